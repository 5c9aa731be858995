//! One row of the tasks table: a link that opens the task, and its figures. Component layer: uses components, state, I/O and the core.

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::baseline::BaselineMark;
use crate::components::tally::TallyCell;
use crate::state::view::ViewState;
use stepwise_core::baseline::{Baseline, Comparisons};
use stepwise_core::metrics::{
    cost_tally_lines, count_tally_lines, format_duration_ns, tally_note, TaskFigures,
};
use stepwise_core::model::Trace;
use stepwise_core::view_query::Selection;

/// `position` is the row's place in the sorted table; aria-rowindex counts the header too.
/// `baseline` marks the duration and cost against the task of that name in other runs.
#[component]
pub fn TaskRow(
    trace: Arc<Trace>,
    figures: Option<TaskFigures>,
    position: usize,
    baseline: Memo<Option<Arc<Baseline>>>,
) -> impl IntoView {
    let state = expect_context::<ViewState>();
    let Some(row) = figures else {
        return ().into_any();
    };
    let Some(task) = trace.tasks.get(row.task) else {
        return ().into_any();
    };
    let id = task.id.clone();
    let href = state.href(
        &state
            .query
            .get_untracked()
            .with_selection(Some(Selection::Task(id.clone()))),
    );
    let status = task.status.label();
    let start = match (row.start_ns, trace.start_ns) {
        (Some(start), Some(origin)) => format!("+{}", format_duration_ns(start - origin)),
        _ => "—".to_string(),
    };
    let name = task.name.clone();
    let against = Memo::new(move |_| {
        baseline
            .read()
            .as_ref()
            .map_or_else(Comparisons::default, |b| b.task(&name))
    });
    let selected = move || state.query.read().selection == Some(Selection::Task(id.clone()));
    view! {
        <tr aria-rowindex=position + 2 aria-selected=move || selected().to_string()>
            <th scope="row" class="task-name"><a href=href>{task.name.clone()}</a></th>
            <td>{row.agent_role.unwrap_or_else(|| "—".to_string())}</td>
            <td class="models">{row.models.join(", ")}</td>
            <td><span class=format!("status status-{status}")>{status}</span></td>
            <td class="num">{start}</td>
            <td class="num">
                {row.duration_ns.map_or_else(|| "—".to_string(), format_duration_ns)}
                {move || view! { <BaselineMark comparison=against.read().duration.clone() /> }}
            </td>
            <TallyCell lines=count_tally_lines(&row.total_tokens) note=tally_note(row.total_tokens.unknown_parts, "record no tokens") />
            <TallyCell lines=cost_tally_lines(&row.cost_usd) note=tally_note(row.cost_usd.unknown_parts, "have no cost (no stated cost, and no known price or no tokens)")>
                {move || view! { <BaselineMark comparison=against.read().cost.clone() /> }}
            </TallyCell>
        </tr>
    }
    .into_any()
}
