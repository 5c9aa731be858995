//! The details pane: whatever is selected (a step, a task or an agent), or a hint. UI layer.

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::agent_view::AgentView;
use crate::components::step_details::StepDetails;
use crate::components::task_details::TaskDetails;
use crate::routes::trace::ViewState;
use stepwise_core::model::{Status, Trace};
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

/// The frame every details view shares: badges, title, close button, then the body.
#[component]
pub fn DetailsFrame(
    /// `data-testid`, and the kind of pane for assistive technology.
    testid: &'static str,
    aria_label: &'static str,
    /// The kind badge: its text and a CSS-safe key for its colour.
    kind_label: &'static str,
    kind_key: &'static str,
    title: String,
    #[prop(optional)] status: Option<Status>,
    children: Children,
) -> impl IntoView {
    let status = status.map(|status| {
        let label = status.label();
        view! { <span class=format!("status status-{label}")>{label}</span> }
    });
    view! {
        <aside class="panel details" aria-label=aria_label data-testid=testid>
            <header class="details-head">
                <div class="details-badges">
                    <span class=format!("kind-badge kind-{kind_key}")>{kind_label}</span>
                    {status}
                </div>
                <h2 class="details-title">{title}</h2>
                <CloseButton />
            </header>
            {children()}
        </aside>
    }
}

/// Clears the selection; without the trace page's view state (a bare test mount) it is left out.
#[component]
fn CloseButton() -> impl IntoView {
    use_context::<ViewState>().map(|state| {
        view! {
            <button
                type="button"
                class="details-close"
                aria-label="Close details"
                title="Close details"
                on:click=move |_| state.select(None)
            >
                "×"
            </button>
        }
    })
}

/// A link that selects something; plain text where there is no view state to link with.
#[component]
pub fn SelectLink(selection: Selection, text: String) -> impl IntoView {
    match use_context::<ViewState>() {
        Some(state) => {
            let href =
                move || state.href(&state.query.read().with_selection(Some(selection.clone())));
            view! { <a class="select-link" href=href>{text}</a> }.into_any()
        }
        None => view! { <span class="select-link">{text}</span> }.into_any(),
    }
}

/// One label/value row of a facts list.
#[component]
pub fn Fact(label: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="fact">
            <dt>{label}</dt>
            <dd>{children()}</dd>
        </div>
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

/// The "Agent" fact: the agent's role, linking to its view; nothing for an unknown agent.
pub fn agent_fact(trace: &Trace, agent_id: Option<&str>) -> Option<impl IntoView> {
    let agent = trace.agent(agent_id?)?;
    let (selection, text) = (Selection::Agent(agent.id.clone()), agent.role.clone());
    Some(view! { <Fact label="Agent"><SelectLink selection text /></Fact> })
}

/// One step in a list of links: its kind badge and its name, selecting it.
#[component]
pub fn StepLinkItem(step: stepwise_core::model::Step) -> impl IntoView {
    view! {
        <li>
            <span class=format!("kind-badge small kind-{}", step.kind.key())>{step.kind.label()}</span>
            <SelectLink selection=Selection::Step(step.id.clone()) text=step.name.clone() />
        </li>
    }
}
