//! Tasks with their agent, models, status, start, duration, tokens and cost; sortable by every column, each row opens the task, and only the rows in view are in the DOM. Component layer: uses components, state, I/O and the core.

use std::sync::Arc;

use leptos::html::Div;
use leptos::prelude::*;

use crate::components::baseline::use_baseline;
use crate::components::task_row::TaskRow;
use crate::components::virtual_scroll::{use_virtual_scroll, RowSpacer, VirtualRows};
use crate::state::view::ViewState;
use stepwise_core::metrics::{sort_task_rows, task_figures, TaskColumn};
use stepwise_core::model::{Trace, TraceKind};
use stepwise_core::view_query::Selection;
use stepwise_core::virtual_list::RENDER_ALL_UP_TO;

// The agents' list moved to its own file; the trace page still imports it from here.
pub use crate::components::agent_list::AgentList;

const COLUMNS: [(TaskColumn, &str, bool); 8] = [
    (TaskColumn::Name, "Task", false),
    (TaskColumn::Agent, "Agent", false),
    (TaskColumn::Models, "LLMs", false),
    (TaskColumn::Status, "Status", false),
    (TaskColumn::Start, "Start", true),
    (TaskColumn::Duration, "Duration", true),
    (TaskColumn::Tokens, "Tokens", true),
    (TaskColumn::Cost, "Cost", true),
];

#[component]
pub fn TaskTable(trace: Arc<Trace>) -> impl IntoView {
    let state = expect_context::<ViewState>();
    if trace.tasks.is_empty() {
        return view! {
            <p class="hint">"This trace records no tasks; its steps are listed under Steps."</p>
        }
        .into_any();
    }
    // `None` keeps the trace's own order.
    let sort = RwSignal::new(None::<(TaskColumn, bool)>);
    let figures = Arc::new(task_figures(&trace));
    let is_flow = trace.kind == TraceKind::Flow;
    // The sorted order, as positions into `figures`: sorted once per header click.
    let order = {
        let (trace, figures) = (trace.clone(), figures.clone());
        Memo::new(move |_| {
            let mut rows = figures.to_vec();
            if let Some((column, ascending)) = sort.get() {
                sort_task_rows(&trace, &mut rows, column, ascending);
            }
            rows.iter().map(|row| row.task).collect::<Vec<_>>()
        })
    };
    let count = figures.len();
    let container = NodeRef::<Div>::new();
    let scroll = use_virtual_scroll(
        container,
        Signal::derive(move || count),
        VirtualRows {
            default_row_px: 34.0,
            row_selector: "tbody tr:not(.spacer)",
            header_selector: Some("thead"),
        },
    );
    let window = scroll.window;
    let reveal = scroll.reveal;
    // A task selected elsewhere (the details, the URL) scrolls into view.
    let selection_trace = trace.clone();
    Effect::new(move |_| {
        let Some(Selection::Task(id)) = state.query.read().selection.clone() else {
            return;
        };
        let Some(task) = selection_trace.tasks.iter().position(|task| task.id == id) else {
            return;
        };
        if let Some(position) = order.with_untracked(|order| order.iter().position(|&t| t == task))
        {
            request_animation_frame(move || reveal.run(position));
        }
    });
    let in_window = move || {
        let window = window.get();
        let order = order.get();
        let tasks = order.get(window.start..window.end).unwrap_or_default();
        (window.start..)
            .zip(tasks.iter().copied())
            .collect::<Vec<_>>()
    };
    let headers = COLUMNS
        .iter()
        .map(|&(column, label, numeric)| {
            let label = if is_flow && column == TaskColumn::Name {
                "Method"
            } else {
                label
            };
            view! { <SortHeader column label numeric sort /> }
        })
        .collect_view();
    let row_trace = trace.clone();
    let baseline = use_baseline();
    // Long tables scroll inside a fixed height, with fixed-height rows (style/main.css).
    let is_virtual = count > RENDER_ALL_UP_TO;
    view! {
        <div class="table-scroll" class:virtual=is_virtual node_ref=container>
            // The header row is row 1, so the real size is the tasks plus one.
            <table class="tasks" data-testid="tasks-table" aria-rowcount=count + 1>
                <thead><tr aria-rowindex="1">{headers}</tr></thead>
                <tbody>
                    <RowSpacer height_px=Signal::derive(move || window.get().before_px) columns=COLUMNS.len() />
                    <For each=in_window key=|pair| *pair let:((position, task))>
                        <TaskRow
                            trace=row_trace.clone()
                            figures=figures.get(task).cloned()
                            position
                            baseline
                        />
                    </For>
                    <RowSpacer height_px=Signal::derive(move || window.get().after_px) columns=COLUMNS.len() />
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// A column header that sorts: first click ascending (descending for figures, where the
/// largest is what users look for), the next click reverses.
#[component]
fn SortHeader(
    column: TaskColumn,
    label: &'static str,
    numeric: bool,
    sort: RwSignal<Option<(TaskColumn, bool)>>,
) -> impl IntoView {
    let aria_sort = move || match sort.get() {
        Some((current, true)) if current == column => "ascending",
        Some((current, false)) if current == column => "descending",
        _ => "none",
    };
    let arrow = move || match sort.get() {
        Some((current, true)) if current == column => "▲",
        Some((current, false)) if current == column => "▼",
        _ => "",
    };
    let on_click = move |_| {
        sort.update(|sort| {
            *sort = match *sort {
                Some((current, ascending)) if current == column => Some((column, !ascending)),
                _ => Some((column, !numeric)),
            }
        })
    };
    view! {
        <th scope="col" class:num=numeric aria-sort=aria_sort>
            <button type="button" class="sort" on:click=on_click>
                {label}
                <span class="arrow" aria-hidden="true">{arrow}</span>
            </button>
        </th>
    }
}
