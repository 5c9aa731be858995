//! The details pane: whatever is selected (a step, a task or an agent), or a hint. Component layer: uses other components, state and the core.

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::agent_view::AgentView;
use crate::components::step_details::StepDetails;
use crate::components::task_details::TaskDetails;
use stepwise_core::model::Trace;
use stepwise_core::view_query::Selection;

#[component]
pub fn Details(trace: Arc<Trace>, selection: Memo<Option<Selection>>) -> impl IntoView {
    move || {
        let selected = selection.get();
        match selected {
            Some(Selection::Step(id)) => match trace.step(&id).cloned() {
                Some(step) => view! { <StepDetails trace=trace.clone() step /> }.into_any(),
                None => missing("step", &id),
            },
            Some(Selection::Task(id)) => match trace.task(&id).cloned() {
                Some(task) => view! { <TaskDetails trace=trace.clone() task /> }.into_any(),
                None => missing("task", &id),
            },
            Some(Selection::Agent(id)) => match trace.agent(&id).cloned() {
                Some(agent) => view! { <AgentView trace=trace.clone() agent /> }.into_any(),
                None => missing("agent", &id),
            },
            None => view! {
                <aside class="panel details empty" aria-label="Details">
                    <p class="hint">"Select a step, a task or a bar of the timeline to see its details."</p>
                </aside>
            }
            .into_any(),
        }
    }
}

/// A link can name something the trace does not hold (an edited URL, a newer trace).
fn missing(what: &'static str, id: &str) -> AnyView {
    view! {
        <aside class="panel details" role="alert">
            <p class="notice error">{format!("This trace has no {what} with id {id:?}.")}</p>
        </aside>
    }
    .into_any()
}
