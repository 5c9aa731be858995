//! What tool calls, tool results and errors carry, as sections of the step details. Component layer: uses components, state, I/O and the core.

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::details::SelectLink;
use crate::components::json_view::ValueView;
use stepwise_core::model::{RawJson, Status, Step, StepError, Trace};
use stepwise_core::present::{embedded_json, result_of_call};
use stepwise_core::view_query::Selection;

/// The function, its parameters and the result that answered it (or why none did).
#[component]
pub fn ToolCallSections(trace: Arc<Trace>, step: Step) -> impl IntoView {
    let parameters = step.input.as_ref().map(|input| {
        let value = embedded_json(&input.parse());
        view! { <ValueView value label="parameters" /> }.into_any()
    });
    let answer = result_of_call(&trace, &step.id).cloned();
    let result = match (answer, step.output.as_ref().map(RawJson::parse)) {
        (Some(answer), _) => {
            let link = view! { <SelectLink selection=Selection::Step(answer.id.clone()) text=answer.name.clone() /> };
            let value = answer
                .output
                .as_ref()
                .map(RawJson::parse)
                .map(|value| view! { <ValueView value label="result" /> });
            view! { <p class="relation">"Answered by "{link}</p>{value} }.into_any()
        }
        (None, Some(output)) => view! { <ValueView value=output label="result" /> }.into_any(),
        (None, None) if step.status == Status::Failed => {
            view! { <p class="hint">"No result: the call failed."</p> }.into_any()
        }
        (None, None) => view! { <p class="hint">"No result was recorded."</p> }.into_any(),
    };
    view! {
        <section class="details-section">
            <h3>"Function"</h3>
            <p><code class="function-name">{step.name.clone()}</code></p>
        </section>
        <section class="details-section">
            <h3>"Parameters"</h3>
            {parameters.unwrap_or_else(|| view! { <p class="hint">"None."</p> }.into_any())}
        </section>
        <section class="details-section">
            <h3>"Result"</h3>
            {result}
        </section>
    }
}

/// The call this result answers, and the result itself.
#[component]
pub fn ToolResultSections(trace: Arc<Trace>, step: Step) -> impl IntoView {
    let call = step.result_of.as_deref().and_then(|id| trace.step(id)).map(|call| {
        let link = view! { <SelectLink selection=Selection::Step(call.id.clone()) text=call.name.clone() /> };
        view! { <p class="relation">"Result of the call "{link}</p> }
    });
    let output = step
        .output
        .as_ref()
        .map(RawJson::parse)
        .map(|value| view! { <ValueView value label="result" /> });
    view! {
        <section class="details-section">
            <h3>"Result"</h3>
            {call}
            {output}
        </section>
    }
}

/// Type, message and stack; the stack keeps its whitespace.
#[component]
pub fn ErrorBlock(error: StepError) -> impl IntoView {
    view! {
        <div class="step-error" role="alert">
            <div class="error-type">{error.error_type.unwrap_or_else(|| "Error".to_string())}</div>
            <p class="error-message">{error.message}</p>
            {error.stack.map(|stack| view! {
                <details class="error-stack" open=true>
                    <summary>"Stack trace"</summary>
                    <pre>{stack}</pre>
                </details>
            })}
        </div>
    }
}
