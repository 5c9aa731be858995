//! Cost section: a grouping switch (agent, model, tool, task), a table sortable by every column, and the flame chart beside it. Component layer: uses components, state, I/O and the core.

use std::sync::Arc;

use leptos::prelude::*;

use super::flame::FlameChart;
use crate::components::details::SelectLink;
use stepwise_core::insights::{sort_by, CostColumn, CostKey, CostRow, Insights};
use stepwise_core::metrics::{
    format_cost_tally, format_count, format_count_tally, format_duration_ns, tally_note,
};
use stepwise_core::model::Trace;
use stepwise_core::view_query::Selection;

/// Rows drawn at once: a 100k-step trace has thousands of tasks, and the top is what matters.
const MAX_ROWS: usize = 50;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Grouping {
    Agent,
    Model,
    Tool,
    Task,
}

const GROUPINGS: [(Grouping, &str); 4] = [
    (Grouping::Agent, "Agent"),
    (Grouping::Model, "Model"),
    (Grouping::Tool, "Tool"),
    (Grouping::Task, "Task"),
];

/// (column, header, numeric)
const COLUMNS: [(CostColumn, &str, bool); 7] = [
    (CostColumn::Label, "Name", false),
    (CostColumn::Cost, "Cost", true),
    (CostColumn::Tokens, "Tokens", true),
    (CostColumn::LlmCalls, "LLM calls", true),
    (CostColumn::ToolCalls, "Tool calls", true),
    (CostColumn::Duration, "Time", true),
    (CostColumn::Errors, "Errors", true),
];

#[component]
pub fn CostSection(trace: Arc<Trace>, insights: Arc<Insights>) -> impl IntoView {
    let grouping = RwSignal::new(Grouping::Agent);
    // `None`: the order the core gives (most expensive first; tasks in trace order).
    let sort = RwSignal::new(None::<(CostColumn, bool)>);
    let rows = Memo::new(move |_| {
        let mut rows = match grouping.get() {
            Grouping::Agent => insights.cost_by_agent.clone(),
            Grouping::Model => insights.cost_by_model.clone(),
            Grouping::Tool => insights.cost_by_tool.clone(),
            Grouping::Task => insights.cost_by_task.clone(),
        };
        if let Some((column, descending)) = sort.get() {
            sort_by(&mut rows, column, descending);
        }
        rows
    });
    let tabs = GROUPINGS
        .iter()
        .map(|&(value, label)| {
            view! {
                <button type="button" role="tab" class="segment"
                    aria-selected=move || (grouping.get() == value).to_string()
                    on:click=move |_| grouping.set(value)>{label}</button>
            }
        })
        .collect_view();
    let headers = COLUMNS
        .iter()
        .map(|&(column, label, numeric)| view! { <SortHeader column label numeric sort /> })
        .collect_view();
    let body = move || {
        let rows = rows.get();
        let more = rows.len().saturating_sub(MAX_ROWS);
        let drawn = rows
            .into_iter()
            .take(MAX_ROWS)
            .map(|row| view! { <CostTableRow trace=trace.clone() row /> })
            .collect_view();
        let note = (more > 0).then(|| {
            view! { <tr class="more-row"><td colspan=COLUMNS.len()>{format!("+{more} more rows")}</td></tr> }
        });
        view! { {drawn}{note} }
    };
    view! {
        <section class="insights-cost" data-testid="insights-cost">
            <div class="cost-body">
                <div class="cost-block">
                    <div class="cost-head">
                        <h3>"Cost by"</h3>
                        <div class="segmented" role="tablist" aria-label="Group costs by">{tabs}</div>
                    </div>
                    <div class="table-scroll">
                        <table class="cost-table" data-testid="cost-table">
                            <thead><tr>{headers}</tr></thead>
                            <tbody>{body}</tbody>
                        </table>
                    </div>
                </div>
                <FlameChart />
            </div>
        </section>
    }
}

#[component]
fn CostTableRow(trace: Arc<Trace>, row: CostRow) -> impl IntoView {
    let label = row.label.clone();
    let name = match &row.key {
        CostKey::Agent(id) if trace.agent(id).is_some() => {
            view! { <SelectLink selection=Selection::Agent(id.clone()) text=label /> }.into_any()
        }
        CostKey::Task(task) => match trace.tasks.get(*task) {
            Some(task) => {
                view! { <SelectLink selection=Selection::Task(task.id.clone()) text=label /> }
                    .into_any()
            }
            None => label.into_any(),
        },
        _ => label.into_any(),
    };
    view! {
        <tr>
            <th scope="row" class="cost-name">{name}</th>
            <td class="num" title=tally_note(row.cost_usd.unknown_parts, "have no cost")>{format_cost_tally(&row.cost_usd)}</td>
            <td class="num" title=tally_note(row.tokens.unknown_parts, "record no tokens")>{format_count_tally(&row.tokens)}</td>
            <td class="num">{format_count(row.llm_calls)}</td>
            <td class="num">{format_count(row.tool_calls)}</td>
            <td class="num">{format_duration_ns(row.duration_ns)}</td>
            <td class="num" class:has-errors={row.errors > 0}>{format_count(row.errors)}</td>
        </tr>
    }
}

/// A header that sorts by its column; a second click reverses. Numbers start largest first.
#[component]
fn SortHeader(
    column: CostColumn,
    label: &'static str,
    numeric: bool,
    sort: RwSignal<Option<(CostColumn, bool)>>,
) -> impl IntoView {
    let current = move || sort.get().filter(|(c, _)| *c == column).map(|(_, d)| d);
    let aria_sort = move || match current() {
        Some(true) => "descending",
        Some(false) => "ascending",
        None => "none",
    };
    let arrow = move || match current() {
        Some(true) => "▼",
        Some(false) => "▲",
        None => "",
    };
    let on_click = move |_| {
        sort.update(|sort| {
            *sort = match *sort {
                Some((known, descending)) if known == column => Some((column, !descending)),
                _ => Some((column, numeric)),
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
