//! Failures card: failed tasks with their first error, error steps by kind, and the first error's cause chain. Component layer: uses components, state, I/O and the core.

use std::sync::Arc;

use leptos::prelude::*;

use super::links::{StepLink, StepLinks};
use super::Card;
use stepwise_core::insights::text::{error_message, task_name};
use stepwise_core::insights::{ErrorChain, Insights};
use stepwise_core::model::Trace;

/// Error steps listed per kind before "+N more".
const MAX_LINKS: usize = 4;

#[component]
pub fn FailuresCard(trace: Arc<Trace>, insights: Arc<Insights>) -> impl IntoView {
    let failures = &insights.failures;
    let errors =
        failures.tool_errors.len() + failures.llm_errors.len() + failures.other_errors.len();
    let is_empty = errors == 0 && failures.failed_tasks.is_empty();
    let tasks = failures
        .failed_tasks
        .iter()
        .map(|failed| {
            let cause = failed.cause.as_ref().map(|cause| {
                view! { <Cause trace=trace.clone() chain=cause.clone() /> }.into_any()
            });
            view! {
                <li class="insight failed-task" data-testid="failed-task">
                    <span class="insight-what">
                        <span class="status status-failed">"failed"</span>" "
                        <strong>{task_name(&trace, failed.task)}</strong>
                    </span>
                    {cause.unwrap_or_else(|| view! { <span class="insight-figure">"no failed step recorded"</span> }.into_any())}
                </li>
            }
        })
        .collect_view();
    let kinds = [
        ("Tool errors", &failures.tool_errors),
        ("LLM errors", &failures.llm_errors),
        ("Other errors", &failures.other_errors),
    ]
    .into_iter()
    .filter(|(_, steps)| !steps.is_empty())
    .map(|(label, steps)| {
        let recovered = steps
            .iter()
            .filter(|step| failures.recovered.contains(step))
            .count();
        let figure = match recovered {
            0 => format!("{label}: {}", steps.len()),
            n => format!("{label}: {} ({n} recovered)", steps.len()),
        };
        view! {
            <li class="insight">
                <span class="insight-label">{figure}</span>
                <StepLinks trace=trace.clone() steps=steps.clone() max=MAX_LINKS />
            </li>
        }
    })
    .collect_view();
    let first = failures.first_error.clone().map(|chain| {
        view! { <ChainDetail trace=trace.clone() chain /> }
    });
    view! {
        <Card title="Failures" testid="insights-failures" empty="No failures." is_empty>
            <ul class="insight-list">{tasks}{kinds}</ul>
            {first}
        </Card>
    }
}

/// "first error: fetch_url — 403 Forbidden".
#[component]
fn Cause(trace: Arc<Trace>, chain: ErrorChain) -> impl IntoView {
    let message = error_message(&trace, chain.step);
    view! {
        <span class="insight-figure">
            "first error: "<StepLink trace=trace.clone() step=chain.step />
            {message.map(|message| format!(" — {message}"))}
        </span>
    }
}

/// The first unrecovered error of the run: where it sits and what it reports on.
#[component]
fn ChainDetail(trace: Arc<Trace>, chain: ErrorChain) -> impl IntoView {
    let message = error_message(&trace, chain.step);
    // Ancestors come nearest first; a path reads from the root down.
    let mut path = chain.ancestors.clone();
    path.reverse();
    let path_links = path
        .into_iter()
        .map(|step| view! { <StepLink trace=trace.clone() step />" › " })
        .collect_view();
    let task = chain
        .task
        .map(|task| format!("{} › ", task_name(&trace, task)));
    let caused_by = (!chain.caused_by.is_empty()).then(|| {
        view! {
            <p class="chain-line">
                "after: "<StepLinks trace=trace.clone() steps=chain.caused_by.clone() max=MAX_LINKS />
            </p>
        }
    });
    view! {
        <div class="error-chain" data-testid="first-error">
            <p class="chain-title">
                {if chain.recovered { "First error (recovered)" } else { "First error" }}
            </p>
            <p class="chain-line">
                {task}{path_links}<StepLink trace=trace.clone() step=chain.step />
            </p>
            {message.map(|message| view! { <p class="chain-message">{message}</p> })}
            {caused_by}
        </div>
    }
}
