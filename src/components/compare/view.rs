//! The comparison of two loaded traces: overall deltas, the aligned tasks (expandable into their steps), the jump to the first divergence, and the diff of the chosen pair. Component layer: uses components, state, I/O and the core.

use std::collections::HashSet;
use std::sync::Arc;

use leptos::prelude::*;

use crate::components::compare::diff::DiffPanel;
use crate::components::compare::rows::GroupRows;
use crate::components::compare::state::{CompareState, PairId};
use stepwise_core::compare::{
    compare, first_divergence, format_delta_cost_usd, format_delta_duration, format_delta_tokens,
    Delta, Divergence, Trend,
};
use stepwise_core::model::Trace;

#[component]
pub fn CompareView(a: Arc<Trace>, b: Arc<Trace>) -> impl IntoView {
    let comparison = Arc::new(compare(&a, &b));
    let divergence = first_divergence(&comparison).map(
        |Divergence {
             task_pair,
             step_pair,
             ..
         }| {
            PairId {
                group: task_pair,
                step: step_pair,
            }
        },
    );
    let state = CompareState {
        a: a.clone(),
        b: b.clone(),
        comparison: comparison.clone(),
        expanded: RwSignal::new(HashSet::new()),
        chosen: RwSignal::new(None),
        divergence,
    };
    let groups = (0..comparison.tasks.len())
        .map(Some)
        .chain((!comparison.untasked_steps.is_empty()).then_some(None))
        .map(|group| view! { <GroupRows state=state.clone() group /> })
        .collect_view();
    let jump = {
        let state = state.clone();
        move |_| jump_to(&state)
    };
    view! {
        <section class="compare-totals" aria-label="Whole traces" data-testid="compare-totals">
            <span class="compare-names">
                <span class="compare-side">"A"</span>
                <span class="compare-name">{a.name.clone()}</span>
                <span class="compare-side">"B"</span>
                <span class="compare-name">{b.name.clone()}</span>
            </span>
            <DeltaFigures delta=comparison.delta />
            {match divergence {
                Some(_) => view! {
                    <button
                        type="button"
                        class="header-button primary"
                        data-testid="compare-jump"
                        on:click=jump
                    >
                        "Jump to first divergence"
                    </button>
                }
                .into_any(),
                None => view! {
                    <span class="hint" data-testid="compare-same">
                        "The runs do the same steps with the same inputs and outputs."
                    </span>
                }
                .into_any(),
            }}
        </section>
        <div class="columns compare-columns">
            <section class="panel" aria-label="Tasks, aligned">
                <div class="table-scroll">
                    <table class="tasks compare-table" data-testid="compare-table">
                        <thead>
                            <tr>
                                <th scope="col">"Task / step"</th>
                                <th scope="col">"Status"</th>
                                <th scope="col" class="num">"Δ duration"</th>
                                <th scope="col" class="num">"Δ tokens"</th>
                                <th scope="col" class="num">"Δ cost"</th>
                            </tr>
                        </thead>
                        {groups}
                    </table>
                </div>
            </section>
            <DiffPanel state />
        </div>
    }
}

/// Expands the diverging task, chooses the pair (its diff shows) and scrolls its row
/// into view once it is drawn.
fn jump_to(state: &CompareState) {
    let Some(target) = state.divergence else {
        return;
    };
    if target.step.is_some() {
        state.expanded.update(|set| {
            set.insert(target.group);
        });
    }
    state.chosen.set(Some(target));
    request_animation_frame(move || {
        let row = document().get_element_by_id(&target.dom_id());
        if let Some(row) = row {
            row.scroll_into_view_with_bool(false);
        }
    });
}

/// The three deltas of a pair or of the whole traces, coloured by trend.
#[component]
pub fn DeltaFigures(delta: Delta) -> impl IntoView {
    view! {
        <span class="compare-deltas">
            <DeltaCell
                text=format_delta_duration(delta.duration_ns)
                trend=Trend::of(delta.duration_ns.unwrap_or(0) as f64)
                what="duration"
            />
            <DeltaCell text=format_delta_tokens(delta.tokens) trend=Trend::of(delta.tokens.unwrap_or(0) as f64) what="tokens" />
            <DeltaCell text=format_delta_cost_usd(delta.cost_usd) trend=Trend::of(delta.cost_usd.unwrap_or(0.0)) what="cost" />
        </span>
    }
}

#[component]
fn DeltaCell(text: String, trend: Trend, what: &'static str) -> impl IntoView {
    view! {
        <span class=format!("delta trend-{}", trend.key()) title=format!("B − A, {what}")>
            {text}
        </span>
    }
}
