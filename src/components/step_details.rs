//! What one selected step carried: kind, timing, tokens, input, output, error. UI layer.

use std::sync::Arc;

use leptos::prelude::*;

use crate::metrics::{format_cost_usd, format_count, format_duration_ns};
use crate::model::{value_as_text, Step, Trace};

#[component]
pub fn StepDetails(trace: Arc<Trace>, step: Step) -> impl IntoView {
    let agent = step
        .agent_id
        .as_deref()
        .and_then(|id| trace.agent(id))
        .map(|agent| agent.role.clone());
    let task = step
        .task_id
        .as_deref()
        .and_then(|id| trace.task(id))
        .map(|task| task.name.clone());
    let error = step.error.clone().map(|error| {
        view! {
            <div class="step-error" role="alert">
                <strong>{error.error_type.unwrap_or_else(|| "Error".to_string())}</strong>
                ": "
                {error.message}
                {error.stack.map(|stack| view! { <pre>{stack}</pre> })}
            </div>
        }
    });
    view! {
        <aside class="panel details" aria-label="Step details" data-testid="step-details">
            <h2>{step.name.clone()}</h2>
            <dl>
                <dt>"Kind"</dt><dd>{step.kind.label()}</dd>
                <dt>"Status"</dt><dd>{step.status.label()}</dd>
                <dt>"Agent"</dt><dd>{agent.unwrap_or_else(|| "—".to_string())}</dd>
                <dt>"Task"</dt><dd>{task.unwrap_or_else(|| "—".to_string())}</dd>
                <dt>"Model"</dt><dd>{step.model.clone().unwrap_or_else(|| "—".to_string())}</dd>
                <dt>"Duration"</dt>
                <dd>{step.duration_ns().map_or_else(|| "—".to_string(), format_duration_ns)}</dd>
                <dt>"Tokens in / out"</dt>
                <dd>{format!("{} / {}", format_count(step.usage.input_tokens), format_count(step.usage.output_tokens))}</dd>
                <dt>"Cost"</dt>
                <dd>{step.cost.map_or_else(|| "—".to_string(), |cost| format_cost_usd(cost.usd))}</dd>
            </dl>
            {error}
            {step.input.as_ref().map(|input| view! { <h3>"Input"</h3><pre class="value">{value_as_text(input)}</pre> })}
            {step.output.as_ref().map(|output| view! { <h3>"Output"</h3><pre class="value">{value_as_text(output)}</pre> })}
        </aside>
    }
}
