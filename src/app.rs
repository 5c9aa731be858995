//! The root component: the router and the page shell. App layer: uses routes, components, state, I/O and the core.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use leptos_router::hooks::use_query_map;

use crate::components::drop_zone::DropOverlay;
use crate::components::embed::bridge::EmbedBridge;
use crate::components::update_prompt::UpdatePrompt;
use crate::io::address::router_base;
use crate::routes::compare::ComparePage;
use crate::routes::home::HomePage;
use crate::routes::trace::TracePage;
use crate::routes::trace_list::TraceListPage;
use crate::state::source::{Page, TraceSource};
use crate::state::traces::OpenTraces;
use stepwise_core::view_query::ViewQuery;

/// Views live in the query string (`?trace=demo&step=s12`) rather than the path, so
/// any plain static server can serve a deep link after a reload, under any sub-path.
#[component]
pub fn App() -> impl IntoView {
    let pathname = window().location().pathname().unwrap_or_default();
    // Every trace open in this tab: files, and those the trace page showed (for the compare
    // page, the cost dashboard and the agent page).
    provide_context(OpenTraces::new());
    // The trace page publishes its trace here for the embed bridge, its sibling.
    provide_context(crate::components::embed::link::EmbedLink::default());
    provide_context(crate::state::opening::OpenActivity::new());
    let shared = crate::io::share::is_shared_page();
    if shared {
        open_on_shared_view();
    } else {
        // After the first paint, so starting it never delays the page. A shared page
        // imports nothing, and may not start workers.
        leptos::task::spawn_local(async {
            if crate::io::stream::yield_to_browser().await.is_ok() {
                crate::io::worker::prewarm();
            }
        });
    }
    view! {
        <Router base=router_base(&pathname)>
            // A shared page has whatever name its file was given: every path is its trace.
            <Routes fallback=move || match shared {
                true => view! { <Root /> }.into_any(),
                false => view! { <p class="notice">"Nothing here. Open Stepwise's main page."</p> }.into_any(),
            }>
                <Route path=path!("/") view=Root />
                <Route path=path!("/index.html") view=Root />
            </Routes>
            // A shared page only shows its own trace: it cannot import another.
            {(!shared).then(|| view! { <DropOverlay /> })}
            <EmbedBridge />
            <UpdatePrompt />
        </Router>
    }
}

/// Puts the view the sharer shared into the address before the router reads it, unless
/// the address already names one (a reload keeps where the reader went since).
fn open_on_shared_view() {
    let location = window().location();
    if location.search().is_ok_and(|search| search.len() > 1) {
        return;
    }
    let Ok(embedded) = crate::io::share::embedded() else {
        return;
    };
    let mut query = ViewQuery::from_pairs(
        url_pairs(&embedded.meta.view)
            .iter()
            .map(|(key, value)| (key.as_str(), value.as_str())),
    );
    query.trace = Some("shared".to_string());
    let href = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        query.to_query_string()
    );
    // A file:// page may rewrite its query but not its path; a refusal only loses the view.
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&href));
    }
}

/// The pairs of a query string, percent-decoded as the router would.
fn url_pairs(query: &str) -> Vec<(String, String)> {
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(query) else {
        return Vec::new();
    };
    js_sys::try_iter(&params)
        .ok()
        .flatten()
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let pair = js_sys::Array::from(&entry.ok()?);
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}

/// Picks the page the address names: home, an API's trace list, or one trace.
#[component]
fn Root() -> impl IntoView {
    let map = use_query_map();
    let page = Memo::new(move |_| {
        let map = map.read();
        let page = Page::from_query(&ViewQuery::from_pairs(
            map.latest_values().map(|(k, v)| (k.as_ref(), v)),
        ));
        // A shared page shows its own trace, read-only, whatever its address says.
        match crate::io::share::is_shared_page() {
            true => Ok(Page::Trace(TraceSource::Shared)),
            false => page,
        }
    });
    // `page` changes only when the trace does, not with the selection or zoom, so the
    // trace page (and its loaded trace) is rebuilt only then.
    move || match page.get() {
        Err(message) => view! { <p class="notice error" role="alert">{message}</p> }.into_any(),
        Ok(Page::Home) => view! { <HomePage /> }.into_any(),
        Ok(Page::TraceList { base, kind }) => view! { <TraceListPage base kind /> }.into_any(),
        Ok(Page::Trace(source)) => view! { <TracePage source /> }.into_any(),
        Ok(Page::Compare { a, b }) => view! { <ComparePage a b /> }.into_any(),
        Ok(Page::Dashboard { by }) => {
            view! { <crate::routes::dashboard::DashboardPage by /> }.into_any()
        }
        Ok(Page::Agent { role }) => {
            view! { <crate::routes::agent_page::AgentPage role /> }.into_any()
        }
    }
}
