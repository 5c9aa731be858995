//! The page of one trace: header, summary, timeline, steps, details, tasks, output. UI layer.
//!
//! The view lives in the URL (`view_query`): selecting something pushes a history entry,
//! so the back button walks the selection; zooming replaces the entry.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::components::details::Details;
use crate::components::final_output::FinalOutput;
use crate::components::keyboard::{use_trace_keys, KeyMap};
use crate::components::open_file::OpenFileButton;
use crate::components::step_list::StepList;
use crate::components::summary::SummaryBar;
use crate::components::task_table::{AgentList, TaskTable};
use crate::components::theme::ThemeSwitch;
use crate::components::timeline::TimelineCanvas;
use crate::model::Trace;
use crate::source::{load, OpenedTraces, TraceSource};
use crate::tree::step_rows;
use crate::view_query::{Selection, ViewQuery};

#[component]
pub fn TracePage() -> impl IntoView {
    let query = use_query_map();
    let opened = expect_context::<OpenedTraces>();
    let source = Memo::new(move |_| TraceSource::from_query(query.read().get_str("trace")));
    let loaded = LocalResource::new(move || {
        let source = source.get();
        async move { load(source?, opened).await }
    });
    view! {
        <Transition fallback=|| view! { <p class="notice">"Loading trace…"</p> }>
            {move || {
                loaded
                    .get()
                    .map(|result| match result {
                        Ok(trace) => view! { <TraceView trace /> }.into_any(),
                        Err(message) => {
                            view! {
                                <header class="trace-header">
                                    <h1 class="trace-name">"Stepwise"</h1>
                                    <span class="spacer"></span>
                                    <OpenFileButton />
                                </header>
                                <p class="notice error" role="alert">{message}</p>
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
    fn new() -> ViewState {
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

#[component]
fn TraceView(trace: Arc<Trace>) -> impl IntoView {
    let state = ViewState::new();
    provide_context(state);
    let rows = Arc::new(step_rows(&trace));
    let key_map_open = use_trace_keys(trace.clone(), rows.clone(), state);
    // Panels re-render their bodies when shown again, so each keeps its own handle.
    let (timeline_trace, steps_trace, tasks_trace) = (trace.clone(), trace.clone(), trace.clone());
    let selection = Memo::new(move |_| state.query.read().selection.clone());
    let selected_step = Memo::new(move |_| state.query.read().selected_step().map(str::to_string));
    let window_ms = Signal::derive(move || state.query.read().window_ms);
    let on_select = Callback::new(move |selection: Selection| state.select(Some(selection)));
    let on_window = Callback::new(move |window: Option<(f64, f64)>| state.set_window(window));
    let started = trace.start_ns.map(|ns| {
        chrono::DateTime::from_timestamp_nanos(ns)
            .format("%Y-%m-%d %H:%M:%S UTC")
            .to_string()
    });
    view! {
        <header class="trace-header">
            <h1 class="trace-name">{trace.name.clone()}</h1>
            <span class=format!("status status-{}", trace.status.label())>
                {trace.status.label()}
            </span>
            <span class="trace-meta">
                {trace.source_format.label()}
                {started.map(|at| format!(" · started {at}"))}
            </span>
            <span class="spacer"></span>
            <OpenFileButton />
            <button type="button" class="header-button" on:click=move |_| key_map_open.set(true)>
                "Keys ?"
            </button>
            <ThemeSwitch />
        </header>
        <SummaryBar trace=trace.clone() />
        <Panel name="timeline" title="Execution timeline" class="timeline-panel">
            <TimelineCanvas
                trace=timeline_trace.clone()
                selected=selected_step.into()
                window_ms
                on_select
                on_window
            />
        </Panel>
        <div class="columns">
            <Panel name="steps" title="Steps" class="steps-panel">
                <StepList trace=steps_trace.clone() rows=rows.clone() selected=selected_step />
            </Panel>
            <Details trace=trace.clone() selection />
        </div>
        <div class="columns">
            <Panel name="tasks" title="Tasks & agents" class="">
                <TaskTable trace=tasks_trace.clone() />
                <AgentList trace=tasks_trace.clone() />
            </Panel>
            <FinalOutput trace=trace.clone() />
        </div>
        <KeyMap open=key_map_open />
    }
}

/// A page section that can be hidden; which ones are hidden lives in the URL (`hide=`),
/// so a link (or an embedding page) reproduces the layout.
#[component]
fn Panel(
    name: &'static str,
    title: &'static str,
    class: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    let state = expect_context::<ViewState>();
    let hidden = Memo::new(move |_| state.query.read().hidden_panels.iter().any(|p| p == name));
    let heading = format!("{name}-heading");
    let heading_id = heading.clone();
    view! {
        <section
            class=format!("panel {class}")
            class:collapsed=move || hidden.get()
            aria-labelledby=heading
            data-panel=name
        >
            <div class="panel-head">
                <h2 id=heading_id>{title}</h2>
                <button
                    type="button"
                    class="panel-toggle"
                    aria-expanded=move || (!hidden.get()).to_string()
                    on:click=move |_| state.set_panel_hidden(name, !hidden.get_untracked())
                >
                    {move || if hidden.get() { "Show" } else { "Hide" }}
                </button>
            </div>
            <Show when=move || !hidden.get()>{children()}</Show>
        </section>
    }
}
