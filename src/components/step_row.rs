//! One row of the step list: toggle, kind, name and figures; a link that selects the step. Component layer: uses components, state, I/O and the core.

use std::collections::HashSet;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::tachys::html::attribute::custom::custom_attribute;

use crate::components::step_search::StepSearch;
use crate::state::notes::PageNotes;
use crate::state::view::ViewState;
use stepwise_core::metrics::{format_cost_usd, format_count_opt, format_duration_ns};
use stepwise_core::model::Trace;
use stepwise_core::tree::StepRow;
use stepwise_core::view_query::Selection;

/// `position` is the row's place among the rows shown and `count` their number: with only
/// a window of the rows in the DOM, aria-posinset/aria-setsize tell a screen reader the
/// real size (counted over the flattened tree, as virtualized trees do).
#[component]
pub fn StepRowView(
    trace: Arc<Trace>,
    row: StepRow,
    position: usize,
    count: Signal<usize>,
    selected: Memo<Option<String>>,
    collapsed: RwSignal<HashSet<usize>>,
    state: ViewState,
) -> impl IntoView {
    let Some(step) = trace.steps.get(row.step) else {
        return ().into_any();
    };
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
        // A side the trace does not record reads "—", never 0.
        (!usage.is_unknown()).then(|| {
            format!(
                "{} in · {} out",
                format_count_opt(usage.input_tokens),
                format_count_opt(usage.output_tokens)
            )
        }),
        step.cost.map(|cost| format_cost_usd(cost.usd)),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let index = row.step;
    let search = use_context::<StepSearch>();
    let is_match = move || search.is_some_and(|search| search.matches.with(|m| m.contains(index)));
    let badge = use_context::<PageNotes>().map(|notes| {
        let id = step.id.clone();
        move || {
            let labels: Vec<String> = notes
                .signal()
                .with(|all| all.for_step(&id).map(|note| note.label.clone()).collect());
            (!labels.is_empty()).then(|| {
                let count = labels.len();
                view! {
                    <span class="note-badge" data-testid="step-note-badge" title=labels.join(" · ")
                        aria-label=format!("Annotated: {}", labels.join("; "))>
                        {if count == 1 { "✎".to_string() } else { format!("✎ {count}") }}
                    </span>
                }
            })
        }
    });
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
    let item = view! {
        <li
            role="treeitem"
            aria-setsize=move || count.get().to_string()
            aria-posinset=(position + 1).to_string()
            aria-selected=move || is_selected().to_string()
            class=format!("step kind-{} status-{}", step.kind.key(), step.status.label())
            class:search-match=is_match
            style=format!("--depth: {}", row.depth)
            data-step-id=step.id.clone()
        >
            <span class="toggle-slot">{toggle}</span>
            <a href=href>
                <span class="step-kind">{step.kind.label()}</span>
                <span class="step-name">{step.name.clone()}</span>
                <span class="step-figures">{badge}{figures}</span>
            </a>
        </li>
    };
    // Leptos names no `aria-level` attribute; the depth is the tree level, 1-based.
    item.add_any_attr(custom_attribute("aria-level", (row.depth + 1).to_string()))
        .into_any()
}
