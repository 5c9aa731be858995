//! The flame (icicle) chart of cost or tokens: trace → task → agent → steps, as positioned boxes whose names are text; hover for figures, click a step to select it. Component layer: uses components, state, I/O and the core.

use std::sync::Arc;

use leptos::prelude::*;

use super::InsightsState;
use crate::state::view::ViewState;
use stepwise_core::insights::flame::visible_nodes;
use stepwise_core::insights::text::{flame_label, flame_value};
use stepwise_core::insights::{flame_in, Context, FlameNode, FlameNodeKind, FlameWeight};
use stepwise_core::model::Trace;
use stepwise_core::view_query::Selection;

/// Height of one row of boxes, in CSS px (style/main.css sizes the boxes to match).
const ROW_PX: usize = 22;
/// Boxes are culled as if the chart were this wide: narrower than `MIN_BOX_PX` there,
/// they would be slivers on any screen.
const NOMINAL_WIDTH_PX: f64 = 1000.0;
/// 4 px: thinner boxes can neither be read nor aimed at, and on a 100k-step trace 2 px let
/// the chart grow to 2,400 DOM elements, which slowed every later click on the page.
const MIN_BOX_PX: f64 = 4.0;
/// Rows below this depth are left out: deep trees are read in the step list.
const MAX_DEPTH: usize = 9;

#[component]
pub fn FlameChart() -> impl IntoView {
    let Some(state) = use_context::<InsightsState>() else {
        return ().into_any();
    };
    let weight = RwSignal::new(FlameWeight::CostUsd);
    let trace = state.trace();
    let nodes = {
        let (trace, rows) = (trace.clone(), state.rows());
        Memo::new(move |_| {
            let context = Context::with_rows(&trace, rows.to_vec());
            Arc::new(flame_in(&context, weight.get()))
        })
    };
    let chart = move || {
        let nodes = nodes.get();
        let weight = weight.get_untracked();
        if nodes.len() <= 1 {
            let what = match weight {
                // Nothing known to weigh: unknown, not zero.
                FlameWeight::CostUsd => {
                    "No known costs to chart: no LLM call has a stated or estimated cost."
                }
                FlameWeight::Tokens => "No known tokens to chart: no LLM call records its tokens.",
            };
            return view! { <p class="insights-empty">{what}</p> }.into_any();
        }
        let shown = visible_nodes(&nodes, NOMINAL_WIDTH_PX, MIN_BOX_PX, MAX_DEPTH);
        let depth = shown.iter().map(|&i| nodes[i].depth).max().unwrap_or(0);
        let boxes = shown
            .into_iter()
            .map(
                |index| view! { <FlameBox trace=trace.clone() node=nodes[index].clone() weight /> },
            )
            .collect_view();
        view! {
            <div class="flame" data-testid="flame" style:height=format!("{}px", (depth + 1) * ROW_PX)>
                {boxes}
            </div>
        }
        .into_any()
    };
    let toggle = move |value: FlameWeight, label: &'static str| {
        view! {
            <button type="button" class="segment" aria-pressed=move || (weight.get() == value).to_string()
                on:click=move |_| weight.set(value)>{label}</button>
        }
    };
    view! {
        <div class="flame-block">
            <div class="cost-head">
                <h3>"Flame chart"</h3>
                <div class="segmented" role="group" aria-label="Weigh the chart by">
                    {toggle(FlameWeight::CostUsd, "Cost")}
                    {toggle(FlameWeight::Tokens, "Tokens")}
                </div>
            </div>
            {chart}
        </div>
    }
    .into_any()
}

#[component]
fn FlameBox(trace: Arc<Trace>, node: FlameNode, weight: FlameWeight) -> impl IntoView {
    let label = flame_label(&trace, &node);
    let title = format!("{label}\n{}", flame_value(&node, weight));
    let (class, selection) = match &node.kind {
        FlameNodeKind::Trace => ("flame-node flame-trace".to_string(), None),
        FlameNodeKind::Task(task) => (
            "flame-node flame-task".to_string(),
            trace
                .tasks
                .get(*task)
                .map(|t| Selection::Task(t.id.clone())),
        ),
        FlameNodeKind::NoTask => ("flame-node flame-task".to_string(), None),
        FlameNodeKind::Agent(agent) => (
            "flame-node flame-agent".to_string(),
            agent
                .as_ref()
                .filter(|id| trace.agent(id).is_some())
                .map(|id| Selection::Agent(id.clone())),
        ),
        FlameNodeKind::Step(step) => {
            let step = trace.steps.get(*step);
            (
                format!(
                    "flame-node flame-step kind-{}",
                    step.map_or("other", |s| s.kind.key())
                ),
                step.map(|s| Selection::Step(s.id.clone())),
            )
        }
    };
    let step_id = match (&node.kind, &selection) {
        (FlameNodeKind::Step(_), Some(Selection::Step(id))) => Some(id.clone()),
        _ => None,
    };
    let clickable = selection.is_some();
    let state = use_context::<ViewState>();
    let select = move || {
        if let (Some(state), Some(selection)) = (state, selection.clone()) {
            state.select(Some(selection));
        }
    };
    let on_click = {
        let select = select.clone();
        move |_| select()
    };
    let on_key = move |event: leptos::ev::KeyboardEvent| {
        if event.key() == "Enter" || event.key() == " " {
            event.prevent_default();
            select();
        }
    };
    view! {
        <div class=class class:clickable=clickable title=title data-step=step_id
            role=clickable.then_some("button") tabindex=clickable.then_some("0")
            style:left=format!("{:.4}%", node.x * 100.0)
            style:width=format!("{:.4}%", node.width * 100.0)
            style:top=format!("{}px", node.depth * ROW_PX)
            on:click=on_click on:keydown=on_key>
            <span class="flame-label">{label}</span>
        </div>
    }
}
