//! Tasks with their agent, models, status, start, duration, tokens and cost; sortable by
//! every column, and each row opens the task. Also the list of agents. UI layer.

use std::sync::Arc;

use leptos::prelude::*;

use crate::metrics::{
    format_cost_usd, format_count, format_duration_ns, sort_task_rows, task_figures, TaskColumn,
};
use crate::model::{Trace, TraceKind};
use crate::routes::trace::ViewState;
use crate::view_query::Selection;

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
    // `None` keeps the trace's own order.
    let sort = RwSignal::new(None::<(TaskColumn, bool)>);
    let figures = task_figures(&trace);
    let trace_start = trace.start_ns;
    let is_flow = trace.kind == TraceKind::Flow;
    let rows_trace = trace.clone();
    let rows = move || {
        let mut rows = figures.clone();
        if let Some((column, ascending)) = sort.get() {
            sort_task_rows(&rows_trace, &mut rows, column, ascending);
        }
        rows.into_iter()
            .map(|row| {
                let task = &rows_trace.tasks[row.task];
                let id = task.id.clone();
                let href = state.href(
                    &state
                        .query
                        .get_untracked()
                        .with_selection(Some(Selection::Task(id.clone()))),
                );
                let status = task.status.label();
                let start = match (row.start_ns, trace_start) {
                    (Some(start), Some(origin)) => format!("+{}", format_duration_ns(start - origin)),
                    _ => "—".to_string(),
                };
                let selected = move || {
                    state.query.read().selection == Some(Selection::Task(id.clone()))
                };
                view! {
                    <tr aria-selected=move || selected().to_string()>
                        <th scope="row" class="task-name"><a href=href>{task.name.clone()}</a></th>
                        <td>{row.agent_role.unwrap_or_else(|| "—".to_string())}</td>
                        <td class="models">{row.models.join(", ")}</td>
                        <td><span class=format!("status status-{status}")>{status}</span></td>
                        <td class="num">{start}</td>
                        <td class="num">{row.duration_ns.map_or_else(|| "—".to_string(), format_duration_ns)}</td>
                        <td class="num">{format_count(row.total_tokens)}</td>
                        <td class="num">{format_cost_usd(row.cost_usd)}</td>
                    </tr>
                }
            })
            .collect_view()
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
    if trace.tasks.is_empty() {
        return view! {
            <p class="hint">"This trace records no tasks; its steps are listed under Steps."</p>
        }
        .into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="tasks" data-testid="tasks-table">
                <thead><tr>{headers}</tr></thead>
                <tbody>{rows}</tbody>
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

/// The crew: each agent's role and the models it used; a click opens the agent.
#[component]
pub fn AgentList(trace: Arc<Trace>) -> impl IntoView {
    let state = expect_context::<ViewState>();
    let agents = trace
        .agents
        .iter()
        .map(|agent| {
            let href = state.href(
                &state
                    .query
                    .get_untracked()
                    .with_selection(Some(Selection::Agent(agent.id.clone()))),
            );
            view! {
                <li>
                    <a class="agent-role" href=href>{agent.role.clone()}</a>
                    <span class="models">{agent.models.join(", ")}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <h3 class="agents-heading">"Agents"</h3>
        <ul class="agents" aria-label="Agents">{agents}</ul>
    }
}
