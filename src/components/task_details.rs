//! One selected task: who ran it, when, what it was asked, what it used and produced, its steps. Component layer: uses components, state, I/O and the core.

use std::sync::Arc;

use leptos::prelude::*;
use serde_json::Value;

use crate::components::details::{agent_fact, DetailsFrame, Fact, SelectLink, StepLinkItem};
use crate::components::json_view::ValueView;
use crate::components::markdown_view::Markdown;
use stepwise_core::metrics::{format_duration_ns, task_figures};
use stepwise_core::model::{RawJson, Task, Trace};
use stepwise_core::present::{format_time_utc_ms, steps_of_task};
use stepwise_core::view_query::Selection;

#[component]
pub fn TaskDetails(trace: Arc<Trace>, task: Task) -> impl IntoView {
    let models = task_figures(&trace)
        .into_iter()
        .find(|row| trace.tasks.get(row.task).is_some_and(|t| t.id == task.id))
        .map(|row| row.models)
        .unwrap_or_default();
    let agent = agent_fact(&trace, task.agent_id.as_deref());
    let key = task
        .key
        .clone()
        .map(|key| view! { <Fact label="Key"><code>{key}</code></Fact> });
    let llms =
        (!models.is_empty()).then(|| view! { <Fact label="LLMs">{models.join(", ")}</Fact> });
    let started = task
        .start_ns
        .map(|ns| view! { <Fact label="Started"><time>{format_time_utc_ms(ns)}</time></Fact> });
    let ended = task
        .end_ns
        .map(|ns| view! { <Fact label="Ended"><time>{format_time_utc_ms(ns)}</time></Fact> });
    let duration = task
        .start_ns
        .zip(task.end_ns)
        .map(|(start, end)| view! { <Fact label="Execution time">{format_duration_ns(end.saturating_sub(start))}</Fact> });
    let context = (!task.context_task_ids.is_empty()).then(|| {
        let links = task
            .context_task_ids
            .iter()
            .map(|id| {
                let text = trace.task(id).map_or_else(|| id.clone(), |task| task.name.clone());
                view! { <li><SelectLink selection=Selection::Task(id.clone()) text /></li> }
            })
            .collect_view();
        view! { <section class="details-section"><h3>"Context from"</h3><ul class="link-list">{links}</ul></section> }
    });
    let steps = steps_of_task(&trace, &task.id)
        .into_iter()
        .map(|index| {
            view! { <StepLinkItem step=trace.steps[index].clone() /> }
        })
        .collect_view();
    view! {
        <DetailsFrame
            testid="task-details"
            aria_label="Task details"
            kind_label="task"
            kind_key="task"
            title=task.name.clone()
            status=task.status
        >
            <dl class="facts">
                {key}
                <Fact label="ID"><code>{task.id.clone()}</code></Fact>
                {agent}{llms}{started}{ended}{duration}
            </dl>
            {text_section("Description", task.description.clone())}
            {text_section("Expected output", task.expected_output.clone())}
            {context}
            {task.input.as_ref().map(RawJson::parse).map(|value| view! { <section class="details-section"><h3>"Input"</h3><ValueView value label="input" /></section> })}
            {task.output.as_ref().map(RawJson::parse).map(output_section)}
            <section class="details-section">
                <h3>"Steps"</h3>
                <ul class="link-list steps-of-task">{steps}</ul>
            </section>
        </DetailsFrame>
    }
}

fn text_section(title: &'static str, text: Option<String>) -> Option<impl IntoView> {
    text.map(|text| view! { <section class="details-section"><h3>{title}</h3><p class="prose">{text}</p></section> })
}

/// A task's output is usually the agent's final answer, written in markdown.
fn output_section(value: Value) -> impl IntoView {
    let body = match value {
        Value::String(text) => view! { <div class="rendered"><Markdown text /></div> }.into_any(),
        other => view! { <ValueView value=other label="output" /> }.into_any(),
    };
    view! { <section class="details-section"><h3>"Output"</h3>{body}</section> }
}
