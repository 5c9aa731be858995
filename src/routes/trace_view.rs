//! The view of one loaded trace: header, summary, timeline, steps, details, tasks, output.
//! UI layer.

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::details::Details;
use crate::components::export_menu::ExportMenu;
use crate::components::final_output::FinalOutput;
use crate::components::keyboard::{use_trace_keys, KeyMap};
use crate::components::live::LiveMarker;
use crate::components::open_file::OpenFileButton;
use crate::components::recent::RememberRecent;
use crate::components::step_list::StepList;
use crate::components::summary::SummaryBar;
use crate::components::task_table::{AgentList, TaskTable};
use crate::components::theme::ThemeSwitch;
use crate::components::timeline::TimelineCanvas;
use crate::routes::trace::{Current, ViewState};
use crate::tree::step_rows;
use crate::view_query::Selection;

#[component]
pub fn TraceView(current: Current) -> impl IntoView {
    let state = ViewState::new();
    provide_context(state);
    let trace = current.loaded.trace.clone();
    provide_context(current);
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
            <LiveMarker />
            <span class="spacer"></span>
            <ExportMenu />
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
        <RememberRecent />
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
