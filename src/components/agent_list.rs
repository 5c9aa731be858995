//! The crew under the tasks table: each agent's role and models, a link that opens it. Component layer: uses components, state, I/O and the core.

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::baseline::{use_baseline, BaselineMark};
use crate::state::view::ViewState;
use stepwise_core::baseline::Comparisons;
use stepwise_core::model::Trace;
use stepwise_core::view_query::Selection;

/// The crew: each agent's role and the models it used, and how its time and cost compare
/// with the same role in other runs; a click opens the agent.
#[component]
pub fn AgentList(trace: Arc<Trace>) -> impl IntoView {
    let state = expect_context::<ViewState>();
    let baseline = use_baseline();
    let agents = trace
        .agents
        .iter()
        .map(|agent| {
            let href = state.href(
                &state
                    .query
                    .get_untracked()
                    .with_selection(Some(Selection::Agent(agent.id.clone()))),
            );
            let role = agent.role.clone();
            let marks = move || {
                let against = baseline
                    .read()
                    .as_ref()
                    .map_or_else(Comparisons::default, |b| b.agent(&role));
                (against.duration.is_some() || against.cost.is_some()).then(|| {
                    view! {
                        <span class="baseline-marks">
                            <BaselineMark comparison=against.duration label="time" />
                            <BaselineMark comparison=against.cost label="cost" />
                        </span>
                    }
                })
            };
            view! {
                <li>
                    <a class="agent-role" href=href>{agent.role.clone()}</a>
                    <span class="models">{agent.models.join(", ")}</span>
                    {marks}
                </li>
            }
        })
        .collect_view();
    view! {
        <h3 class="agents-heading">"Agents"</h3>
        <ul class="agents" aria-label="Agents">{agents}</ul>
    }
}
