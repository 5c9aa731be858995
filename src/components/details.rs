//! What the details views of a step, a task and an agent share: frame, facts and links. Component layer: uses state and the core.

use leptos::prelude::*;

use crate::state::view::ViewState;
use stepwise_core::model::{Status, Trace};
use stepwise_core::view_query::Selection;

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
