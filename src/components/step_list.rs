//! The steps in reading order, indented by nesting and collapsible by subtree; a click
//! selects one. UI layer.

use std::collections::HashSet;
use std::sync::Arc;

use leptos::prelude::*;

use crate::metrics::{format_cost_usd, format_count, format_duration_ns};
use crate::model::Trace;
use crate::routes::trace::ViewState;
use crate::tree::{visible_rows, StepRow};
use crate::view_query::Selection;

#[component]
pub fn StepList(
    trace: Arc<Trace>,
    rows: Arc<Vec<StepRow>>,
    selected: Memo<Option<String>>,
) -> impl IntoView {
    let state = expect_context::<ViewState>();
    // Collapsed steps, by index into `trace.steps`.
    let collapsed = RwSignal::new(HashSet::<usize>::new());
    let list = move || {
        let collapsed_now = collapsed.get();
        visible_rows(&rows, &collapsed_now)
            .map(|row| {
                view! { <StepRowView trace=trace.clone() row selected collapsed state /> }
            })
            .collect_view()
    };
    view! { <ul class="steps" role="tree" aria-label="Steps" data-testid="step-list">{list}</ul> }
}

#[component]
fn StepRowView(
    trace: Arc<Trace>,
    row: StepRow,
    selected: Memo<Option<String>>,
    collapsed: RwSignal<HashSet<usize>>,
    state: ViewState,
) -> impl IntoView {
    let step = &trace.steps[row.step];
    let id = step.id.clone();
    let href = state.href(
        &state
            .query
            .get_untracked()
            .with_selection(Some(Selection::Step(id.clone()))),
    );
    let is_selected = move || selected.read().as_deref() == Some(id.as_str());
    let usage = step.usage;
    let figures = [
        step.duration_ns().map(format_duration_ns),
        (usage.total_tokens() > 0).then(|| {
            format!(
                "{} in · {} out",
                format_count(usage.input_tokens),
                format_count(usage.output_tokens)
            )
        }),
        step.cost.map(|cost| format_cost_usd(cost.usd)),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let index = row.step;
    let toggle = (row.child_count > 0).then(|| {
        let expanded = move || !collapsed.read().contains(&index);
        view! {
            <button
                type="button"
                class="toggle"
                aria-expanded=move || expanded().to_string()
                aria-label=move || if expanded() { "Collapse" } else { "Expand" }
                on:click=move |_| {
                    collapsed.update(|set| {
                        if !set.remove(&index) {
                            set.insert(index);
                        }
                    })
                }
            >
                {move || if expanded() { "▾" } else { "▸" }}
            </button>
        }
    });
    view! {
        <li
            role="treeitem"
            aria-selected=move || is_selected().to_string()
            class=format!("step kind-{} status-{}", step.kind.key(), step.status.label())
            style=format!("--depth: {}", row.depth)
            data-step-id=step.id.clone()
        >
            <span class="toggle-slot">{toggle}</span>
            <a href=href>
                <span class="step-kind">{step.kind.label()}</span>
                <span class="step-name">{step.name.clone()}</span>
                <span class="step-figures">{figures}</span>
            </a>
        </li>
    }
}
