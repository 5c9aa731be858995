//! Redundant work card: identical tool calls, retries and LLM answers nobody used. Component layer: uses components, state, I/O and the core.

use std::sync::Arc;

use leptos::prelude::*;

use super::links::{more_line, Finding, StepLink, StepLinks};
use super::Card;
use stepwise_core::insights::text::{duplicate_figure, retry_figure, unused_figure};
use stepwise_core::insights::Insights;
use stepwise_core::model::Trace;

const SHOWN: usize = 4;

#[component]
pub fn RedundantCard(trace: Arc<Trace>, insights: Arc<Insights>) -> impl IntoView {
    let redundant = &insights.redundant;
    let duplicates = redundant
        .duplicate_calls
        .iter()
        .take(SHOWN)
        .map(|group| {
            let (trace, tool, steps) = (trace.clone(), group.tool.clone(), group.steps.clone());
            view! {
                <Finding figure=duplicate_figure(group)>
                    <span class="insight-label">{tool}": "</span>
                    <StepLinks trace steps max=3 />
                </Finding>
            }
        })
        .collect_view();
    let retries = redundant
        .retries
        .iter()
        .take(SHOWN)
        .map(|retry| {
            let (first, again) = (trace.clone(), trace.clone());
            let (failed, next) = (retry.failed, retry.retry);
            view! {
                <Finding figure=retry_figure(retry).to_string()>
                    <StepLink trace=first step=failed />" → "
                    <StepLink trace=again step=next />
                </Finding>
            }
        })
        .collect_view();
    let unused = redundant
        .unused_outputs
        .iter()
        .take(SHOWN)
        .map(|unused| {
            let figure = unused_figure(&trace, unused);
            let (trace, step) = (trace.clone(), unused.step);
            view! {
                <Finding figure>
                    <StepLink trace step />
                </Finding>
            }
        })
        .collect_view();
    let sections = [
        (
            "Same call, same arguments",
            redundant.duplicate_calls.len(),
            duplicates.into_any(),
        ),
        ("Retries", redundant.retries.len(), retries.into_any()),
        (
            "Unused LLM output",
            redundant.unused_outputs.len(),
            unused.into_any(),
        ),
    ]
    .into_iter()
    .filter(|(_, count, _)| *count > 0)
    .map(|(title, count, rows)| {
        view! {
            <h4>{title}</h4>
            <ul class="insight-list">{rows}</ul>
            {more_line(count, SHOWN)}
        }
    })
    .collect_view();
    let is_empty = redundant.duplicate_calls.is_empty()
        && redundant.retries.is_empty()
        && redundant.unused_outputs.is_empty();
    view! {
        <Card title="Redundant work" testid="insights-redundant" empty="No redundant work." is_empty>
            {sections}
        </Card>
    }
}
