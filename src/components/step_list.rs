//! The steps in reading order, indented by nesting; a click selects one. UI layer.

use std::sync::Arc;

use leptos::prelude::*;

use crate::metrics::{format_cost_usd, format_count, format_duration_ns};
use crate::model::Trace;
use crate::routes::trace::ViewState;
use crate::tree::step_rows;
use crate::view_query::Selection;

#[component]
pub fn StepList(trace: Arc<Trace>, selected: Memo<Option<String>>) -> impl IntoView {
    let state = expect_context::<ViewState>();
    let href = move |id: &str| {
        let query = state.query.get_untracked();
        state.href(&query.with_selection(Some(Selection::Step(id.to_string()))))
    };
    let rows = step_rows(&trace)
        .into_iter()
        .map(|row| {
            let step = &trace.steps[row.step];
            let id = step.id.clone();
            let is_selected = move || selected.read().as_deref() == Some(id.as_str());
            let tokens = step.usage.total_tokens();
            let figures = [
                step.duration_ns().map(format_duration_ns),
                (tokens > 0).then(|| format!("{} tok", format_count(tokens))),
                step.cost.map(|cost| format_cost_usd(cost.usd)),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ");
            view! {
                <li
                    role="treeitem"
                    aria-selected=move || is_selected().to_string()
                    class=format!("step kind-{:?} status-{}", step.kind, step.status.label())
                    style=format!("--depth: {}", row.depth)
                >
                    <a href=href(&step.id)>
                        <span class="step-kind">{step.kind.label()}</span>
                        <span class="step-name">{step.name.clone()}</span>
                        <span class="step-figures">{figures}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="steps" role="tree" aria-label="Steps">{rows}</ul> }
}
