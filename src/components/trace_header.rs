//! The trace page's header: the site's, with its tools, or the compact embedded one. Component layer: uses components, state, I/O and the core.

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::export_menu::ExportMenu;
use crate::components::live::LiveMarker;
use crate::components::open_file::OpenFileButton;
use crate::components::theme::ThemeSwitch;
use crate::state::source::TraceSource;
use crate::state::traces::OpenTraces;
use crate::state::view::{absolute, Current};
use leptos_router::hooks::{use_location, use_navigate};
use stepwise_core::model::Trace;

/// The site's header: name, status, format, start, and the page's tools.
#[component]
pub fn FullHeader(trace: Arc<Trace>, key_map_open: RwSignal<bool>) -> impl IntoView {
    let started = trace.start_ns.map(|ns| {
        chrono::DateTime::from_timestamp_nanos(ns)
            .format("%Y-%m-%d %H:%M:%S UTC")
            .to_string()
    });
    let shared = crate::io::share::is_shared_page();
    view! {
        <header class="trace-header">
            {home_link(shared)}
            <h1 class="trace-name">{trace.name.clone()}</h1>
            <span class=format!("status status-{}", trace.status.label())>
                {trace.status.label()}
            </span>
            <span class="trace-meta">
                {trace.source_format.label()}
                {started.map(|at| format!(" · started {at}"))}
            </span>
            <LiveMarker />
            // One group: when the row is full the buttons move down together, not one by one.
            <div class="header-actions">
                // A shared page shows its one trace: it can open, import or compare no other.
                {(!shared).then(|| view! {
                    <crate::components::rollup::link::DashboardLink />
                    <CompareButton />
                })}
                <crate::components::redact::RedactButton />
                <ExportMenu />
                {(!shared).then(|| view! { <OpenFileButton /> })}
                <button type="button" class="header-button" on:click=move |_| key_map_open.set(true)>
                    "Keys ?"
                </button>
                <ThemeSwitch />
            </div>
        </header>
    }
}

/// The logo, linking to the start page; on a shared page, which has none, only the logo.
fn home_link(shared: bool) -> AnyView {
    let alt = if shared {
        "Stepwise"
    } else {
        "Stepwise start page"
    };
    let logo = view! { <img src=crate::io::share::logo_src() alt=alt width="22" height="22" /> };
    match shared {
        true => view! { <span class="home-link" title="Shown by Stepwise">{logo}</span> }.into_any(),
        false => view! {
            <a class="home-link" href="./" title="Stepwise: start page" data-testid="home-link">{logo}</a>
        }
        .into_any(),
    }
}

/// "Compare…": the compare page with this trace as A, B to be picked there.
#[component]
fn CompareButton() -> impl IntoView {
    let current = expect_context::<Current>();
    let opened = expect_context::<OpenTraces>();
    let navigate = use_navigate();
    let location = use_location();
    let on_click = move |_| {
        // A fetched trace has no trace parameter: it joins the tab's traces to get one.
        let param = current
            .source
            .trace_param()
            .unwrap_or_else(|| format!("file:{}", opened.keep_as_file(&current.loaded)));
        let query = TraceSource::compare_query(&param, None);
        let pathname = location.pathname.get_untracked();
        navigate(&absolute(&format!("{pathname}{query}")), Default::default());
    };
    view! {
        <button
            type="button"
            class="header-button"
            title="Compare this trace with another one opened in this tab"
            data-testid="compare-open"
            on:click=on_click
        >
            "Compare…"
        </button>
    }
}

/// Embedded (`embed=1`), the page is part of someone else's dashboard: one compact line
/// naming the trace, and none of the site's tools; the host sets the theme.
#[component]
pub fn EmbedHeader(trace: Arc<Trace>) -> impl IntoView {
    view! {
        <header class="trace-header embed-header">
            <h1 class="trace-name" title=trace.name.clone()>{trace.name.clone()}</h1>
            <span class=format!("status status-{}", trace.status.label())>
                {trace.status.label()}
            </span>
            <LiveMarker />
        </header>
    }
}
