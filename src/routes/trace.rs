//! The page of one trace: loading it, then its view, or why it could not be loaded. Route layer: uses components, state, I/O and the core.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::api_connect::ApiConnect;
use crate::components::embed::link::EmbedLink;
use crate::components::load_state::{LoadError, LoadingView};
use crate::components::offline_notice::OfflineNotice;
use crate::components::retry_button::RetryButton;
use crate::io::stream::Progress;
use crate::routes::trace_view::TraceView;
use crate::state::open::{LoadOptions, Opener};
use crate::state::source::TraceSource;
use crate::state::traces::LoadedTrace;
use crate::state::view::{Current, Refresh, RefreshState, Reload};
use stepwise_core::intake::timeout_ms_from;

#[component]
pub fn TracePage(source: TraceSource) -> impl IntoView {
    let opener = Opener::from_context();
    let timeout_ms =
        use_query_map().with_untracked(|map| timeout_ms_from(map.get("timeout_ms").as_deref()));
    let options = LoadOptions {
        progress: Progress::new(),
        timeout_ms,
    };
    let progress = options.progress;
    // Leaving the page (home, another trace) aborts its download rather than letting it
    // finish for nobody. Cleanups run before the page's signals are disposed.
    on_cleanup(move || progress.cancel());
    // The resource below starts loading at once.
    let refresh_state = StoredValue::new(RefreshState {
        in_flight: true,
        ..RefreshState::default()
    });
    provide_context(Refresh(refresh_state));
    let for_load = source.clone();
    let loaded = LocalResource::new(move || {
        let source = for_load.clone();
        async move {
            let result = opener.open(source, options).await;
            // The page may be gone by now: then there is nothing to record.
            refresh_state.try_update_value(|state| {
                state.in_flight = false;
                match &result {
                    Ok(_) => {
                        state.failures = 0;
                        state.retry_after_s = None;
                    }
                    Err(failure) => {
                        state.failures = state.failures.saturating_add(1);
                        state.retry_after_s = failure.retry_after_s;
                    }
                }
            });
            result
        }
    });
    // One request at a time: a poll, Retry and a countdown that meet while a load is under
    // way start nothing more (its answer schedules the next poll anyway).
    let reload = Callback::new(move |_| {
        let busy = refresh_state
            .try_update_value(|state| std::mem::replace(&mut state.in_flight, true))
            .unwrap_or(true);
        if !busy {
            loaded.refetch();
        }
    });
    provide_context(Reload(reload));
    // Counted by the cost dashboard and the agent page for the rest of the tab's life.
    {
        let source = source.clone();
        Effect::new(move |_| {
            if let Some(Ok(trace)) = loaded.get() {
                opener.traces.record_shown(&source, &trace);
            }
        });
    }
    // The last trace shown: a live refresh that fails keeps it on screen, with a note,
    // rather than replacing the user's view by an error page.
    let last_good = StoredValue::new(None::<LoadedTrace>);
    if let Some(link) = use_context::<EmbedLink>() {
        Effect::new(move |_| {
            if let Some(Err(failure)) = loaded.get() {
                link.publish_failure(failure.message);
            }
        });
    }
    // An API's trace says so while offline (a `?src=` URL's failure says it in its message).
    let needs_network = matches!(source, TraceSource::Api(_));
    view! {
        {needs_network.then(|| view! { <OfflineNotice /> })}
        <Transition fallback=move || view! { <LoadingView progress /> }>
            {move || {
                loaded
                    .get()
                    .map(|result| match (result, last_good.get_value()) {
                        (Ok(loaded), _) => {
                            last_good.set_value(Some(loaded.clone()));
                            let current = Current { source: source.clone(), loaded };
                            view! { <TraceView current /> }.into_any()
                        }
                        (Err(failure), Some(loaded)) => {
                            let current = Current { source: source.clone(), loaded };
                            // The live marker polls again after the wait; Retry only waits.
                            view! {
                                <p class="notice error refresh-failed" role="alert" data-testid="refresh-failed">
                                    {format!("Refreshing failed; showing the last copy loaded. {}", failure.message)}
                                    " "
                                    <RetryButton on_retry=reload wait_s=failure.retry_after_s.unwrap_or(0) />
                                </p>
                                <TraceView current />
                            }
                            .into_any()
                        }
                        (Err(failure), None) => {
                            let credentials = match (&source, failure.needs_credentials) {
                                (TraceSource::Api(api), true) => Some(view! {
                                    <ApiConnect base=api.base.clone() kind=api.kind on_connected=reload />
                                }),
                                _ => None,
                            };
                            view! {
                                <LoadError
                                    message=failure.message
                                    progress
                                    on_retry=reload
                                    wait_s=failure.retry_after_s.unwrap_or(0)
                                />
                                {credentials}
                            }
                            .into_any()
                        }
                    })
            }}
        </Transition>
    }
}
