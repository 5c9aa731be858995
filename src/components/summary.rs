//! The execution summary: tokens, requests, time, cost and counts. Component layer: uses components, state, I/O and the core.

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::baseline::{use_baseline, BaselineLine, BaselineMark};
use crate::state::view::ViewState;
use stepwise_core::baseline::{Comparison, Comparisons};
use stepwise_core::metrics::{
    cost_tally_lines, count_tally_lines, format_count, format_duration_ns, summarize,
};
use stepwise_core::model::{Tally, Trace};
use stepwise_core::tree::StepRow;
use stepwise_core::view_query::Selection;

#[component]
pub fn SummaryBar(
    trace: Arc<Trace>,
    /// The step tree in reading order, when the page has it already: building it again
    /// costs tens of milliseconds at 100k steps.
    #[prop(optional)]
    rows: Option<Arc<Vec<StepRow>>>,
) -> impl IntoView {
    let summary = summarize(&trace);
    let duration = summary
        .duration_ns
        .map_or_else(|| "—".to_string(), format_duration_ns);
    let tokens_note = summary.tokens_note();
    let cost_note = cost_note(&summary);
    let baseline = use_baseline();
    let against = Memo::new(move |_| baseline.get().map(|b| b.run()).unwrap_or_default());
    let mark = move |pick: fn(&Comparisons) -> Option<Comparison>| move || view! { <BaselineMark comparison=pick(&against.read()) badge=true /> };
    view! {
        <section class="summary" aria-label="Execution summary">
            <TallyFigure label="Total tokens" tally=summary.total_tokens note=tokens_note.clone() stated=summary.tokens_stated_by_trace test_id="total-tokens">
                {mark(|c| c.tokens.clone())}
            </TallyFigure>
            <TallyFigure label="Prompt tokens" tally=summary.prompt_tokens note=tokens_note.clone() test_id="prompt-tokens" />
            <TallyFigure label="Completion tokens" tally=summary.completion_tokens note=tokens_note test_id="completion-tokens" />
            <Figure label="Requests" value=format_count(summary.requests) test_id="requests" />
            <Figure label="Execution time" value=duration test_id="duration">
                {mark(|c| c.duration.clone())}
            </Figure>
            <div class="figure" title=cost_note data-testid="cost">
                <span class="figure-label">
                    {if summary.cost_estimated { "Estimated cost" } else { "Cost" }}
                </span>
                <TallyValue text=cost_tally_lines(&summary.cost_usd) />
                {mark(|c| c.cost.clone())}
            </div>
            <Figure label="Steps" value=format_count(summary.steps as u64) test_id="steps" />
            <Figure label="Agents · tasks" value=format!("{} · {}", summary.agents, summary.tasks) test_id="agents-tasks" />
            <Figure label="Tool calls" value=format_count(summary.tool_calls as u64) test_id="tool-calls" />
            <ErrorsFigure trace=trace.clone() rows count=summary.errors />
            <BaselineLine comparisons=against.into() />
        </section>
    }
}

#[component]
fn TallyValue(text: (String, Option<String>)) -> impl IntoView {
    let (value, missing) = text;
    let class = value_class(&value);
    view! {
        <span class=class>{value}</span>
        {missing.map(|missing| view! { <span class="figure-missing">{missing}</span> })}
    }
}

#[component]
fn TallyFigure(
    label: &'static str,
    tally: Tally<u64>,
    /// Why part or all of it is unknown, for the hover.
    note: Option<String>,
    /// The trace's own run total rather than a sum over its calls.
    #[prop(optional)]
    stated: bool,
    test_id: &'static str,
    /// Under the value: how it compares with other runs.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let mut text = count_tally_lines(&tally);
    if stated {
        text.1 = Some("run total, as stated".to_string());
    }
    let title = (tally.unknown_parts > 0 || stated)
        .then_some(note)
        .flatten();
    view! {
        <div class="figure" title=title data-testid=test_id>
            <span class="figure-label">{label}</span>
            <TallyValue text />
            {children.map(|children| children())}
        </div>
    }
}

#[component]
fn Figure(
    label: &'static str,
    value: String,
    test_id: &'static str,
    /// Under the value: how it compares with other runs.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let class = value_class(&value);
    view! {
        <div class="figure" data-testid=test_id>
            <span class="figure-label">{label}</span>
            <span class=class>{value}</span>
            {children.map(|children| children())}
        </div>
    }
}

/// Longer figures ("2 min 01 s", "12,345,678") are set smaller, so they fit the card
/// of a ten-card row at 1280 px instead of running over its edge.
fn value_class(value: &str) -> &'static str {
    if value.chars().count() > 8 {
        "figure-value long"
    } else {
        "figure-value"
    }
}

/// The hover text of the cost: how much of it was estimated, and what is unknown and why.
fn cost_note(summary: &stepwise_core::metrics::Summary) -> String {
    let mut note = if summary.cost_estimated {
        format!(
            "Estimated: {} of {} LLM calls stated no cost, so theirs was computed from model \
             prices (LiteLLM's table).",
            summary.estimated_calls, summary.requests
        )
    } else if summary.cost_usd.known_parts > 0 {
        "As stated by the trace.".to_string()
    } else {
        String::new()
    };
    if let Some(unknown) = summary.cost_note() {
        if !note.is_empty() {
            note.push(' ');
        }
        note.push_str(&unknown);
    }
    note
}

/// The error count, linking to the first error in reading order.
#[component]
fn ErrorsFigure(trace: Arc<Trace>, rows: Option<Arc<Vec<StepRow>>>, count: usize) -> impl IntoView {
    // Without errors there is nothing to find, and no tree to build.
    let rows = match rows {
        Some(rows) => rows,
        None if count > 0 => Arc::new(stepwise_core::tree::step_rows(&trace)),
        None => Arc::default(),
    };
    let first = rows
        .iter()
        .filter_map(|row| trace.steps.get(row.step))
        .find(|step| {
            step.status == stepwise_core::model::Status::Failed
                || step.kind == stepwise_core::model::StepKind::Error
        })
        .map(|step| step.id.clone());
    let href = first.zip(use_context::<ViewState>()).map(|(id, state)| {
        state.href(
            &state
                .query
                .get_untracked()
                .with_selection(Some(Selection::Step(id))),
        )
    });
    let value = format_count(count as u64);
    let class = if count > 0 {
        "figure has-errors"
    } else {
        "figure"
    };
    view! {
        <div class=class data-testid="errors">
            <span class="figure-label">"Errors"</span>
            {match href {
                Some(href) => view! {
                    <a class="figure-value" href=href title="Go to the first error">{value}</a>
                }
                .into_any(),
                None => view! { <span class="figure-value">{value}</span> }.into_any(),
            }}
        </div>
    }
}
