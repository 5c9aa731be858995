//! The agent graph's controls: aggregated or expanded, heat, the critical path, and stepping through the selected node's calls. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;

use super::GraphContext;
use crate::components::insights::InsightsState;
use crate::state::view::ViewState;
use stepwise_core::graph::{GraphMode, Heat};

#[component]
pub fn GraphToolbar() -> impl IntoView {
    let state = expect_context::<ViewState>();
    let context = expect_context::<GraphContext>();
    let expanded = Memo::new(move |_| state.query.read().graph_expanded);
    let mode_button = move |mode: GraphMode, label: &'static str, hint: &'static str| {
        let is_expanded = mode == GraphMode::Expanded;
        view! {
            <button
                type="button"
                class="graph-mode"
                title=hint
                aria-pressed=move || (expanded.get() == is_expanded).to_string()
                on:click=move |_| state.set_graph_expanded(is_expanded)
            >
                {label}
            </button>
        }
    };
    let heat_options = Heat::ALL
        .iter()
        .map(|heat| {
            let label = match heat {
                Heat::None => "no heat",
                Heat::Time => "heat: time",
                Heat::Cost => "heat: model cost",
            };
            view! { <option value=heat.name()>{label}</option> }
        })
        .collect_view();
    view! {
        <div class="graph-toolbar">
            <div class="graph-modes" role="group" aria-label="Graph mode">
                {mode_button(GraphMode::Aggregated, "Aggregated", "One node per agent, tool or model")}
                {mode_button(GraphMode::Expanded, "Expanded", "One node per call, in order")}
            </div>
            <select
                class="graph-heat"
                aria-label="Colour nodes by"
                on:change=move |event| context.heat.set(Heat::from_name(&event_target_value(&event)))
            >
                {heat_options}
            </select>
            <PathSwitch />
            <Stepper />
        </div>
        <p class="graph-legend">
            "Solid arrows: calls · dashed: handoffs · ×N: repeated calls, drawn as a loop back · red: errors. "
            "Clicking a node selects its first call; ‹ › step through the rest."
        </p>
    }
}

/// Marks the critical path, on the graph and the timeline alike (the insights' switch).
#[component]
fn PathSwitch() -> impl IntoView {
    let Some(insights) = use_context::<InsightsState>() else {
        return ().into_any();
    };
    view! {
        <label class="graph-path-switch">
            <input
                type="checkbox"
                prop:checked=move || insights.show_path.get()
                on:change=move |event| insights.show_path.set(event_target_checked(&event))
            />
            "Critical path"
        </label>
    }
    .into_any()
}

/// "web_search: call 2 of 3 ‹ ›" for the node holding the selected step.
#[component]
fn Stepper() -> impl IntoView {
    let state = expect_context::<ViewState>();
    let context = expect_context::<GraphContext>();
    let position = Memo::new(move |_| {
        let step = context.selected_step.get()?;
        let drawn = context.drawn.read();
        let node = drawn.graph.node_of(step)?;
        let steps = &drawn.graph.nodes[node].steps;
        let at = steps.iter().position(|&own| own == step)?;
        (steps.len() > 1).then(|| (node, at, steps.len(), drawn.graph.nodes[node].label.clone()))
    });
    move || {
        let (node, at, count, label) = position.get()?;
        let go = move |to: usize| context.select_node(state, node, to);
        let (first, last) = (at == 0, at + 1 >= count);
        Some(view! {
            <div class="graph-stepper" role="group" aria-label="Calls of the selected node">
                <button type="button" class="graph-button" aria-label="Previous call" disabled=first on:click=move |_| go(at.saturating_sub(1))>
                    "‹"
                </button>
                <span>{format!("{label}: call {} of {count}", at + 1)}</span>
                <button type="button" class="graph-button" aria-label="Next call" disabled=last on:click=move |_| go(at + 1)>
                    "›"
                </button>
            </div>
        })
    }
}
