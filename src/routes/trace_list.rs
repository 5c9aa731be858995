//! The list of traces of a connected API: fetch, filter, open one. Route layer: uses routes, components, state, I/O and the core.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::components::api_connect::ApiConnect;
use crate::components::api_saved::list_query;
use crate::components::offline_notice::OfflineNotice;
use crate::components::retry_button::RetryButton;
use crate::components::trace_list_table::{ListFilters, TraceListTable};
use crate::io::api_client::{fetch_list, fetch_services, remember, ApiFetch};
use crate::io::stream::Progress;
use crate::state::view::absolute;
use stepwise_core::api::{default_service, normalize_base, ApiKind, ListFilter, ListPage};
use stepwise_core::intake::timeout_ms_from;

#[component]
pub fn TraceListPage(base: String, kind: ApiKind) -> impl IntoView {
    // A hand-edited link may hold user:password@ or a bad scheme: refuse it here too.
    let base = match normalize_base(&base) {
        Ok(base) => base,
        Err(message) => {
            return view! { <ListHeader base=String::new() kind refresh=None /> <p class="notice error" role="alert">{message}</p> }
                .into_any()
        }
    };
    remember(&base, kind);
    let query = use_query_map();
    let timeout_ms = query.with_untracked(|map| timeout_ms_from(map.get("timeout_ms").as_deref()));
    // Each request keeps its abort in a progress of its own; leaving the page stops both.
    let (services_fetch, list_fetch) = (
        ApiFetch {
            progress: Progress::new(),
            timeout_ms,
        },
        ApiFetch {
            progress: Progress::new(),
            timeout_ms,
        },
    );
    on_cleanup(move || {
        services_fetch.progress.cancel();
        list_fetch.progress.cancel();
    });
    let service_param = Memo::new(move |_| query.read().get("service"));
    let services = LocalResource::new({
        let base = base.clone();
        move || {
            let base = base.clone();
            async move {
                match kind {
                    ApiKind::Jaeger => fetch_services(&base, services_fetch).await.map(Some),
                    _ => Ok(None),
                }
            }
        }
    });
    // Jaeger lists per service: the one in the address, else a sensible first one.
    let service = Memo::new(move |_| {
        service_param.get().or_else(|| match services.get() {
            Some(Ok(Some(names))) => default_service(&names).map(str::to_string),
            _ => None,
        })
    });
    let list = LocalResource::new({
        let base = base.clone();
        move || {
            let (base, service) = (base.clone(), service.get());
            let waiting_for_services = kind == ApiKind::Jaeger && service.is_none();
            async move {
                if waiting_for_services {
                    return match services.await {
                        Err(message) => Err(message),
                        Ok(_) => Ok(ListPage {
                            traces: Vec::new(),
                            more: false,
                        }),
                    };
                }
                fetch_list(&base, kind, service.as_deref(), list_fetch).await
            }
        }
    });
    let filter = RwSignal::new(ListFilter::default());
    let refresh = Callback::new(move |_| {
        services.refetch();
        list.refetch();
    });
    let navigate = use_navigate();
    let location = use_location();
    let base_for_service = base.clone();
    let on_service = Callback::new(move |name: String| {
        let mut path = format!(
            "{}{}",
            location.pathname.get_untracked(),
            list_query(&base_for_service, kind)
        );
        path.push_str(&format!(
            "&service={}",
            stepwise_core::view_query::encode(&name)
        ));
        navigate(
            &absolute(&path),
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        );
    });
    let service_names = Signal::derive(move || match services.get() {
        Some(Ok(Some(names))) => names,
        _ => Vec::new(),
    });
    let base_for_view = base.clone();
    view! {
        <ListHeader base=base.clone() kind refresh=Some(refresh) />
        <OfflineNotice />
        <ListFilters filter service_names service=service.into() on_service />
        <Transition fallback=move || view! { <p class="notice">"Loading traces…"</p> }>
            {move || {
                let base = base_for_view.clone();
                list.get().map(move |result| match result {
                    Ok(page) => {
                        let traces = page.traces.clone();
                        view! {
                            <crate::components::rollup::list_dashboard::ListDashboard base=base.clone() kind traces />
                            <TraceListTable base kind page filter />
                        }
                        .into_any()
                    }
                    Err(failure) => {
                        view! {
                            <div class="notice error api-list-error" role="alert">
                                <p>{failure.message}</p>
                                <RetryButton
                                    on_retry=refresh
                                    wait_s=failure.retry_after_s.unwrap_or(0)
                                    auto=true
                                    testid="retry-list"
                                />
                            </div>
                            {failure.needs_credentials.then(|| view! { <ApiConnect base=base.clone() kind on_connected=refresh /> })}
                        }
                        .into_any()
                    }
                })
            }}
        </Transition>
    }
    .into_any()
}

#[component]
fn ListHeader(base: String, kind: ApiKind, refresh: Option<Callback<()>>) -> impl IntoView {
    let location = use_location();
    let home = move || location.pathname.get();
    view! {
        <header class="trace-header list-header">
            <a class="header-button" href=home>"← Home"</a>
            <h1 class="trace-name">"Traces"</h1>
            <span class="trace-meta api-where">{kind.label()} " · " {base}</span>
            <span class="spacer"></span>
            {refresh.map(|refresh| view! {
                <button type="button" class="header-button" on:click=move |_| refresh.run(())>
                    "Refresh"
                </button>
            })}
        </header>
    }
}
