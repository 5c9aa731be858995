//! One selected step: a header of facts, then what its kind carries (thought, call, messages, error). Component layer: uses components, state, I/O and the core.

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::annotations::step_notes::StepNotes;
use crate::components::details::{agent_fact, DetailsFrame, Fact, SelectLink};
use crate::components::json_view::{JsonView, TextBlock, ValueView};
use crate::components::markdown_view::Markdown;
use crate::components::messages::LlmExchange;
use crate::components::step_sections::{ErrorBlock, ToolCallSections, ToolResultSections};
use crate::state::view::ViewState;
use stepwise_core::metrics::{format_cost_usd, format_duration_ns, UNKNOWN};
use stepwise_core::model::{value_as_text, CostSource, RawJson, Step, StepKind, Trace};
use stepwise_core::present::{
    cost_lines_text, format_time_utc_ms, looks_like_markdown, token_breakdown,
};
use stepwise_core::pricing::ESTIMATED_FROM;
use stepwise_core::view_query::Selection;

#[component]
pub fn StepDetails(trace: Arc<Trace>, step: Step) -> impl IntoView {
    let body = match step.kind {
        StepKind::Reasoning => reasoning(&step),
        StepKind::LlmCall => {
            view! { <LlmExchange input=step.input.as_ref().map(RawJson::parse) output=step.output.as_ref().map(RawJson::parse) /> }.into_any()
        }
        StepKind::ToolCall => {
            view! { <ToolCallSections trace=trace.clone() step=step.clone() /> }.into_any()
        }
        StepKind::ToolResult => {
            view! { <ToolResultSections trace=trace.clone() step=step.clone() /> }.into_any()
        }
        _ => input_and_output(&step),
    };
    let error = step
        .error
        .clone()
        .map(|error| view! { <ErrorBlock error /> });
    let attributes = (!step.attributes.is_empty()).then(|| {
        let count = step.attributes.len();
        let value = serde_json::Value::Object(step.attributes.clone());
        view! {
            <details class="details-section attributes">
                <summary>{format!("Attributes ({count})")}</summary>
                <JsonView value label="attributes" />
            </details>
        }
    });
    view! {
        <DetailsFrame
            testid="step-details"
            aria_label="Step details"
            kind_label=step.kind.label()
            kind_key=step.kind.key()
            title=step.name.clone()
            status=step.status
        >
            <StepFacts trace=trace.clone() step=step.clone() />
            <FocusSubtree trace=trace.clone() step_id=step.id.clone() />
            <StepNotes step_id=step.id.clone() />
            {error}
            {body}
            {attributes}
        </DetailsFrame>
    }
}

/// Re-roots the page at a step with children, or leaves it when it is the root already.
/// Without the trace page's view state (a bare test mount) it is left out.
#[component]
fn FocusSubtree(trace: Arc<Trace>, step_id: String) -> impl IntoView {
    let state = use_context::<ViewState>()?;
    let index = trace.steps.iter().position(|step| step.id == step_id)?;
    let has_children = trace.links().parent.contains(&Some(index));
    if !has_children {
        return None;
    }
    let id = step_id.clone();
    // Re-rooting keeps the selection, so this pane stays: it follows the root to hide.
    let is_root = move || state.query.read().root.as_deref() == Some(id.as_str());
    Some(view! {
        <Show when=move || !is_root()>
            <p class="focus-subtree">
                <button
                    type="button"
                    class="link-button"
                    title="Show only this step and what ran under it (r)"
                    on:click={
                        let step_id = step_id.clone();
                        move |_| state.set_root(Some(step_id.clone()))
                    }
                >
                    "Show only this subtree"
                </button>
            </p>
        </Show>
    })
}

/// Who, when, how long, how many tokens, what it cost.
#[component]
fn StepFacts(trace: Arc<Trace>, step: Step) -> impl IntoView {
    let agent = agent_fact(&trace, step.agent_id.as_deref());
    let task = step
        .task_id
        .as_deref()
        .and_then(|id| trace.task(id))
        .map(|task| {
            let (selection, text) = (Selection::Task(task.id.clone()), task.name.clone());
            view! { <Fact label="Task"><SelectLink selection text /></Fact> }
        });
    let model = step
        .model
        .clone()
        .map(|model| view! { <Fact label="Model"><code>{model}</code></Fact> });
    let started = step
        .start_ns
        .map(|ns| view! { <Fact label="Started"><time>{format_time_utc_ms(ns)}</time></Fact> });
    let ended = step
        .end_ns
        .map(|ns| view! { <Fact label="Ended"><time>{format_time_utc_ms(ns)}</time></Fact> });
    let duration = step
        .duration_ns()
        .map(|ns| view! { <Fact label="Duration">{format_duration_ns(ns)}</Fact> });
    // Embeddings are model calls too: their tokens and cost are figures of the run.
    let is_call = step.kind.is_model_call();
    // An LLM call that records no tokens says so: unknown, never 0.
    let tokens = token_breakdown(&step.usage)
        .or_else(|| is_call.then(|| format!("{UNKNOWN} (the trace does not record them)")))
        .map(|text| view! { <Fact label="Tokens">{text}</Fact> });
    let cost = cost_fact(&step);
    view! { <dl class="facts">{agent}{task}{model}{started}{ended}{duration}{tokens}{cost}</dl> }
}

/// The cost, how it was estimated, line by line, or why it is unknown.
fn cost_fact(step: &Step) -> Option<AnyView> {
    let Some(cost) = step.cost else {
        if !step.kind.is_model_call() {
            return None;
        }
        let why = match (&step.model, step.usage.total_tokens()) {
            (_, None) => "no stated cost, and no token counts to price".to_string(),
            (Some(model), Some(_)) => format!("no stated cost, and no known price for {model}"),
            (None, Some(_)) => "no stated cost, and no model to price".to_string(),
        };
        return Some(
            view! { <Fact label="Cost"><span class="unknown-figure">{UNKNOWN}</span>" "<span class="estimated">{why}</span></Fact> }
                .into_any(),
        );
    };
    let estimated = (cost.source == CostSource::Estimated).then(|| {
        let entry = step.attributes.get(ESTIMATED_FROM).map(value_as_text);
        let note = match &entry {
            Some(entry) => format!("estimated from the price of {entry}"),
            None => "estimated from the price table".to_string(),
        };
        view! { <span class="estimated">{note}</span> }
    });
    let lines = step
        .cost_lines
        .as_deref()
        .filter(|lines| !lines.is_empty())
        .map(|lines| {
            let items = cost_lines_text(lines)
                .into_iter()
                .map(|line| view! { <li>{line}</li> })
                .collect_view();
            view! { <ul class="cost-lines" data-testid="cost-lines">{items}</ul> }
        });
    Some(
        view! { <Fact label="Cost">{format_cost_usd(cost.usd)}" "{estimated}{lines}</Fact> }
            .into_any(),
    )
}

/// The thought process, as markdown when it is written that way.
fn reasoning(step: &Step) -> AnyView {
    let Some(thought) = step
        .output
        .as_ref()
        .or(step.input.as_ref())
        .map(RawJson::parse)
    else {
        return ().into_any();
    };
    let body = match &thought {
        serde_json::Value::String(text) if looks_like_markdown(text) => {
            view! { <Markdown text=text.clone() /> }.into_any()
        }
        serde_json::Value::String(text) => {
            view! { <TextBlock text=text.clone() label="thought" prose=true /> }.into_any()
        }
        other => view! { <ValueView value=other.clone() label="thought" /> }.into_any(),
    };
    view! { <section class="details-section"><h3>"Thought process"</h3>{body}</section> }.into_any()
}

/// Any other kind: its input and output as they are.
fn input_and_output(step: &Step) -> AnyView {
    let input = step.input.as_ref().map(RawJson::parse).map(|value| {
        view! { <section class="details-section"><h3>"Input"</h3><ValueView value label="input" /></section> }
    });
    let output = step.output.as_ref().map(RawJson::parse).map(|value| {
        view! { <section class="details-section"><h3>"Output"</h3><ValueView value label="output" /></section> }
    });
    view! { {input}{output} }.into_any()
}
