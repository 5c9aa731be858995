//! Critical path card: where the run's time went (LLM, tools, agents and other work, waiting) as stacked bars, the path's longest steps, and the switch that marks the path on the timeline. Component layer: uses components, state, I/O and the core.

use std::sync::Arc;

use leptos::prelude::*;

use super::links::{Finding, StepLink};
use super::{Card, InsightsState};
use stepwise_core::insights::text::percent;
use stepwise_core::insights::{Insights, TimeShares};
use stepwise_core::metrics::format_duration_ns;
use stepwise_core::model::Trace;

/// Steps of the path listed by their share of it.
const LONGEST: usize = 4;

/// Each part of the split: its CSS key, its name, and what it holds (the core's rule,
/// `stepwise_core::insights::critical_path`), said on hover.
const PARTS: [(&str, &str, &str); 4] = [
    ("llm", "LLM", "LLM and embedding calls"),
    ("tool", "tools", "tool calls and their results"),
    (
        "other",
        "agents & other",
        "agents between their calls, reasoning, retrieval, memory, errors",
    ),
    (
        "wait",
        "waiting",
        "plain spans (HTTP, chains) and tasks holding the work, and time with no step",
    ),
];

#[component]
pub fn CriticalPathCard(trace: Arc<Trace>, insights: Arc<Insights>) -> impl IntoView {
    let path = &insights.critical_path;
    let is_empty = path.segments.is_empty();
    let longest = path
        .longest_steps(LONGEST)
        .into_iter()
        .map(|(step, own_ns)| {
            let figure = format!(
                "{} · {} of the path",
                format_duration_ns(own_ns),
                percent(own_ns as f64 / path.path_shares.wall_ns.max(1) as f64)
            );
            let trace = trace.clone();
            view! { <Finding figure><StepLink trace step /></Finding> }
        })
        .collect_view();
    let summary = match path.steps.len() {
        1 => format!(
            "1 step decides the run's {}.",
            format_duration_ns(path.shares.wall_ns)
        ),
        count => format!(
            "{count} steps decide the run's {}.",
            format_duration_ns(path.shares.wall_ns)
        ),
    };
    let (shares, path_shares) = (path.shares, path.path_shares);
    view! {
        <Card title="Critical path" testid="insights-critical-path" empty="No timed steps: no path to show." is_empty>
            <p class="insight-note">{summary}</p>
            <ShareBar label="Whole run" shares />
            <ShareBar label="Along the path" shares=path_shares />
            <h4>"Longest on the path"</h4>
            <ul class="insight-list">{longest}</ul>
            <PathToggle />
        </Card>
    }
}

/// One stacked bar of the time split with its labels; each part's title says its time.
#[component]
fn ShareBar(label: &'static str, shares: TimeShares) -> impl IntoView {
    let fractions = shares.fractions();
    let times = [
        shares.llm_ns,
        shares.tool_ns,
        shares.other_ns,
        shares.wait_ns,
    ];
    let parts = PARTS
        .iter()
        .zip(fractions)
        .zip(times)
        .filter(|(_, ns)| *ns > 0)
        .map(|(((key, name, _), fraction), ns)| {
            let title = format!("{name}: {} ({})", format_duration_ns(ns), percent(fraction));
            view! {
                <span class=format!("share share-{key}") style:flex-grow=fraction.to_string() title=title></span>
            }
        })
        .collect_view();
    let legend = PARTS
        .iter()
        .zip(fractions)
        .map(|((key, name, holds), fraction)| {
            view! {
                <li title=*holds><span class=format!("share-swatch share-{key}")></span>{format!("{name} {}", percent(fraction))}</li>
            }
        })
        .collect_view();
    view! {
        <div class="share-block" data-testid="time-shares">
            <p class="share-label">{label}</p>
            <div class="share-bar" role="img" aria-label=format!("{label}: time split")>{parts}</div>
            <ul class="share-legend">{legend}</ul>
        </div>
    }
}

/// Marks the path on the timeline (shared with the timeline through `InsightsState`).
#[component]
fn PathToggle() -> impl IntoView {
    let Some(state) = use_context::<InsightsState>() else {
        return ().into_any();
    };
    view! {
        <label class="path-toggle">
            <input type="checkbox" data-testid="show-critical-path"
                prop:checked=move || state.show_path.get()
                on:change=move |event| state.show_path.set(event_target_checked(&event)) />
            "Show critical path on the timeline"
        </label>
    }
    .into_any()
}
