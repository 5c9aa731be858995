//! Token hogs card: the calls and tasks with the largest shares of tokens and cost, and prompts that grow call after call. Component layer: uses components, state, I/O and the core.

use std::sync::Arc;

use leptos::prelude::*;

use super::links::{Finding, StepLink, StepLinks};
use super::Card;
use crate::components::details::SelectLink;
use stepwise_core::insights::text::{growing_figure, hog_figure, task_name};
use stepwise_core::insights::{FlameWeight, Hog, Insights};
use stepwise_core::model::Trace;
use stepwise_core::view_query::Selection;

/// Entries per list: the card is a glance, the cost table has the rest.
const SHOWN: usize = 3;

#[component]
pub fn HogsCard(trace: Arc<Trace>, insights: Arc<Insights>) -> impl IntoView {
    let hogs = &insights.token_hogs;
    let calls = |list: &[Hog], weight: FlameWeight| -> Option<AnyView> {
        if list.is_empty() {
            return None;
        }
        let rows = list
            .iter()
            .take(SHOWN)
            .map(|hog| {
                let (trace, step) = (trace.clone(), hog.index);
                view! {
                    <Finding figure=hog_figure(hog, weight)>
                        <StepLink trace step />
                    </Finding>
                }
            })
            .collect_view();
        Some(view! { <ul class="insight-list">{rows}</ul> }.into_any())
    };
    let by_tokens = calls(&hogs.calls_by_tokens, FlameWeight::Tokens);
    let by_cost = calls(&hogs.calls_by_cost, FlameWeight::CostUsd)
        .unwrap_or_else(|| view! { <p class="insights-empty">"No costs recorded."</p> }.into_any());
    let tasks = hogs
        .tasks_by_cost
        .iter()
        .take(SHOWN)
        .filter_map(|hog| {
            let task = trace.tasks.get(hog.index)?;
            let selection = Selection::Task(task.id.clone());
            let text = task_name(&trace, hog.index);
            Some(view! {
                <Finding figure=hog_figure(hog, FlameWeight::CostUsd)>
                    <SelectLink selection text />
                </Finding>
            })
        })
        .collect_view();
    let tasks = (!hogs.tasks_by_cost.is_empty()).then(|| {
        view! {
            <h4>"Tasks by cost"</h4>
            <ul class="insight-list">{tasks}</ul>
        }
    });
    let growing = if hogs.growing_prompts.is_empty() {
        view! { <p class="insights-empty">"No growing prompts."</p> }.into_any()
    } else {
        let rows = hogs
            .growing_prompts
            .iter()
            .take(SHOWN)
            .map(|growing| {
                let (trace, steps) = (trace.clone(), growing.steps.clone());
                view! {
                    <Finding figure=growing_figure(growing)>
                        <StepLinks trace steps max=2 />
                    </Finding>
                }
            })
            .collect_view();
        view! { <ul class="insight-list">{rows}</ul> }.into_any()
    };
    let is_empty = hogs.total_tokens.known == 0;
    // Say why there is nothing to rank: no calls, calls that record no counts, or a
    // trace that states only the run's total.
    let empty = if hogs.total_tokens.unknown_parts == 0 {
        "No LLM tokens recorded."
    } else if trace
        .metadata
        .contains_key(stepwise_core::metrics::STATED_TOTAL_TOKENS)
    {
        "This trace records only a run total of tokens, not the tokens of each call."
    } else {
        "No LLM call in this trace records its tokens: they are unknown."
    };
    view! {
        <Card title="Token hogs" testid="insights-hogs" empty is_empty>
            <h4>"Calls by tokens"</h4>
            {by_tokens}
            <h4>"Calls by cost"</h4>
            {by_cost}
            {tasks}
            <h4>"Growing prompts"</h4>
            {growing}
        </Card>
    }
}
