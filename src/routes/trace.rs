//! The page of one trace: header, summary, timeline, steps, details, tasks, output. UI layer.
//!
//! The view lives in the URL (`view_query`): selecting something pushes a history entry,
//! so the back button walks the selection; zooming replaces the entry.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::components::api_connect::ApiConnect;
use crate::components::embed_link::EmbedLink;
use crate::components::load_state::{LoadError, LoadingView};
use crate::components::retry_button::RetryButton;
use crate::loading::Progress;
use crate::routes::trace_view::TraceView;
use crate::source::{load_with, LoadOptions, LoadedTrace, OpenedTraces, TraceSource};
use stepwise_core::intake::timeout_ms_from;
use stepwise_core::view_query::{Selection, ViewQuery};

/// Asks the page to fetch its trace again (live refresh, retry).
#[derive(Clone, Copy)]
pub struct Reload(pub Callback<()>);

/// How the page's loads are going, for the live marker: failures in a row (it backs off),
/// the wait a server asked for, and whether a load is under way (it never starts another).
#[derive(Clone, Copy, Debug, Default)]
pub struct RefreshState {
    pub failures: u32,
    pub retry_after_s: Option<u64>,
    pub in_flight: bool,
}

/// The page's `RefreshState`, shared with the live marker.
#[derive(Clone, Copy)]
pub struct Refresh(pub StoredValue<RefreshState>);

/// The trace currently shown and where it came from.
#[derive(Clone)]
pub struct Current {
    pub source: TraceSource,
    pub loaded: LoadedTrace,
}

#[component]
pub fn TracePage(source: TraceSource) -> impl IntoView {
    let opened = expect_context::<OpenedTraces>();
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
            let result = load_with(source, opened, options).await;
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
    if let Some(session) = use_context::<crate::components::rollup::session::SessionTraces>() {
        let source = source.clone();
        Effect::new(move |_| {
            if let Some(Ok(trace)) = loaded.get() {
                session.record(&source, &trace);
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
    view! {
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

/// An absolute URL on this origin. leptos_router's `navigate` takes one verbatim, whereas a
/// path would be joined to the router's base with its trailing slash dropped, and
/// relative asset URLs (`favicon.svg`, `demo/trace.json`) would then resolve one level up.
pub fn absolute(path_and_query: &str) -> String {
    let origin = window().location().origin().unwrap_or_default();
    format!("{origin}{path_and_query}")
}

/// leptos_router's navigate function, stored so the state stays `Copy`.
type Navigate = Arc<dyn Fn(&str, NavigateOptions) + Send + Sync>;

/// The view state read from the URL, and a way to change it.
#[derive(Clone, Copy)]
pub struct ViewState {
    pub query: Memo<ViewQuery>,
    navigate: StoredValue<Navigate>,
    pathname: Memo<String>,
}

impl ViewState {
    pub(crate) fn new() -> ViewState {
        let map = use_query_map();
        let query = Memo::new(move |_| {
            let map = map.read();
            ViewQuery::from_pairs(map.latest_values().map(|(k, v)| (k.as_ref(), v)))
        });
        let navigate = use_navigate();
        let location = use_location();
        ViewState {
            query,
            navigate: StoredValue::new(Arc::new(move |to: &str, options: NavigateOptions| {
                navigate(to, options)
            })),
            pathname: Memo::new(move |_| location.pathname.get()),
        }
    }

    /// Where a link to `query` points: this page with that query string.
    pub fn href(&self, query: &ViewQuery) -> String {
        format!(
            "{}{}",
            self.pathname.get_untracked(),
            query.to_query_string()
        )
    }

    /// Selects something, as a new history entry.
    pub fn select(&self, selection: Option<Selection>) {
        let next = self.query.get_untracked().with_selection(selection);
        self.go(&next, false);
    }

    /// Hides or shows a panel, replacing the history entry.
    pub fn set_panel_hidden(&self, name: &str, hidden: bool) {
        let mut next = self.query.get_untracked();
        next.hidden_panels.retain(|panel| panel != name);
        if hidden {
            next.hidden_panels.push(name.to_string());
            next.hidden_panels.sort();
        }
        self.go(&next, true);
    }

    /// Sets the step search (`q=`), replacing the history entry: each keystroke is not a
    /// place to come back to.
    pub fn set_search(&self, search: &str) {
        let current = self.query.get_untracked();
        let next = current.with_search(search);
        if next != current {
            self.go(&next, true);
        }
    }

    /// Lists only the search's matches (`true`) or highlights them, replacing the history
    /// entry as typing a search does.
    pub fn set_search_filter(&self, filter: bool) {
        let current = self.query.get_untracked();
        let next = current.with_search_filter(filter);
        if next != current {
            self.go(&next, true);
        }
    }

    /// Sets the timeline's zoom window, replacing the history entry.
    pub fn set_window(&self, window_ms: Option<(f64, f64)>) {
        let next = self.query.get_untracked().with_window(window_ms);
        self.go(&next, true);
    }

    fn go(&self, query: &ViewQuery, replace: bool) {
        let href = absolute(&self.href(query));
        let options = NavigateOptions {
            replace,
            scroll: false,
            ..NavigateOptions::default()
        };
        self.navigate
            .with_value(|navigate| navigate(&href, options));
    }
}
