//! Links from a finding to the step it is about: they select the step, as the step list does. Component layer: uses components, state, I/O and the core.

use std::sync::Arc;

use leptos::prelude::*;

use crate::state::view::ViewState;
use stepwise_core::model::Trace;
use stepwise_core::view_query::Selection;

/// The step's name, selecting it; its kind and id in the hover text. Plain text without
/// the trace page's view state (a bare test mount).
#[component]
pub fn StepLink(trace: Arc<Trace>, step: usize) -> impl IntoView {
    let Some(step) = trace.steps.get(step) else {
        return ().into_any();
    };
    let title = format!("{} {} · {}", step.kind.label(), step.name, step.id);
    let text = step.name.clone();
    let id = step.id.clone();
    match use_context::<ViewState>() {
        Some(state) => {
            let selection = Selection::Step(id.clone());
            let href =
                move || state.href(&state.query.read().with_selection(Some(selection.clone())));
            view! { <a class="insight-step" href=href title=title data-step=id>{text}</a> }
                .into_any()
        }
        None => view! { <span class="insight-step" title=title>{text}</span> }.into_any(),
    }
}

/// Links to several steps, comma-separated, the first `max` of them and a count of the rest.
#[component]
pub fn StepLinks(trace: Arc<Trace>, steps: Vec<usize>, max: usize) -> impl IntoView {
    let rest = steps.len().saturating_sub(max);
    let links = steps
        .into_iter()
        .take(max)
        .enumerate()
        .map(|(position, step)| {
            view! {
                {(position > 0).then_some(", ")}
                <StepLink trace=trace.clone() step />
            }
        })
        .collect_view();
    view! {
        <span class="insight-steps">
            {links}
            {(rest > 0).then(|| view! { <span class="insights-more">{format!(" +{rest} more")}</span> })}
        </span>
    }
}

/// A finding: what it is about (links), then the figure that made it a finding.
#[component]
pub fn Finding(figure: String, children: Children) -> impl IntoView {
    view! {
        <li class="insight">
            <span class="insight-what">{children()}</span>
            <span class="insight-figure">{figure}</span>
        </li>
    }
}

/// "+N more" under a list cut to its first entries.
pub fn more_line(total: usize, shown: usize) -> Option<impl IntoView> {
    (total > shown).then(|| {
        view! { <p class="insights-more">{format!("+{} more", total - shown)}</p> }
    })
}
