//! One group of the comparison table: an aligned task pair (or the steps outside tasks) and, expanded, its aligned steps. A click on a row shows its diff. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;

use crate::components::compare::state::{CompareState, PairId};
use stepwise_core::compare::{
    format_delta_cost_usd, format_delta_duration, format_delta_tokens, Changes, Delta, Trend,
};
use stepwise_core::model::Status;

#[component]
pub fn GroupRows(state: CompareState, group: Option<usize>) -> impl IntoView {
    let expanded = state.expanded;
    let is_open = move || expanded.read().contains(&group);
    let toggle = move |_| {
        expanded.update(|set| {
            if !set.remove(&group) {
                set.insert(group);
            }
        })
    };
    let (name, statuses, delta, changes, step_count) = match group {
        Some(index) => {
            let pair = &state.comparison.tasks[index];
            let name_a = pair
                .a
                .and_then(|i| state.a.tasks.get(i))
                .map(|t| t.name.clone());
            let name_b = pair
                .b
                .and_then(|i| state.b.tasks.get(i))
                .map(|t| t.name.clone());
            let status_a = pair.a.and_then(|i| state.a.tasks.get(i)).map(|t| t.status);
            let status_b = pair.b.and_then(|i| state.b.tasks.get(i)).map(|t| t.status);
            (
                pair_name(name_a, name_b),
                (status_a, status_b),
                pair.delta,
                pair.changes,
                pair.steps.len(),
            )
        }
        None => (
            "Steps outside tasks".to_string(),
            (None, None),
            Delta::default(),
            Changes::default(),
            state.comparison.untasked_steps.len(),
        ),
    };
    let id = PairId { group, step: None };
    let row_state = state.clone();
    let steps = move || {
        is_open().then(|| {
            let pairs = match group {
                Some(index) => state.comparison.tasks[index].steps.clone(),
                None => state.comparison.untasked_steps.clone(),
            };
            pairs
                .into_iter()
                .enumerate()
                .map(|(step, pair)| {
                    let at = |trace: &stepwise_core::model::Trace, i: Option<usize>| {
                        i.and_then(|i| trace.steps.get(i)).cloned()
                    };
                    let (sa, sb) = (at(&state.a, pair.a), at(&state.b, pair.b));
                    let kind = sa.as_ref().or(sb.as_ref()).map_or("", |s| s.kind.label());
                    let name = pair_name(sa.map(|s| s.name), sb.clone().map(|s| s.name));
                    let statuses = (at(&state.a, pair.a).map(|s| s.status), sb.map(|s| s.status));
                    view! {
                        <PairRow
                            state=state.clone()
                            id=PairId { group, step: Some(step) }
                            label=format!("{kind} · {name}")
                            statuses
                            delta=pair.delta
                            changes=pair.changes
                            nested=true
                        />
                    }
                })
                .collect_view()
        })
    };
    view! {
        <tbody class="compare-group">
            <PairRow
                state=row_state
                id
                label=name
                statuses
                delta
                changes
                nested=false
                toggle=(step_count, Callback::new(toggle), Signal::derive(is_open))
            />
            {steps}
        </tbody>
    }
}

/// "Research", or "Research → Research v2" when renamed.
fn pair_name(a: Option<String>, b: Option<String>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if a != b => format!("{a} → {b}"),
        (Some(name), _) | (None, Some(name)) => name,
        (None, None) => String::new(),
    }
}

/// The expand control of a task row: its step count, the toggle, whether it is open.
type Toggle = (usize, Callback<leptos::ev::MouseEvent>, Signal<bool>);

#[component]
fn PairRow(
    state: CompareState,
    id: PairId,
    label: String,
    statuses: (Option<Status>, Option<Status>),
    delta: Delta,
    changes: Changes,
    nested: bool,
    #[prop(optional)] toggle: Option<Toggle>,
) -> impl IntoView {
    let chosen = state.chosen;
    let is_chosen = move || chosen.get() == Some(id);
    let is_divergence = state.divergence == Some(id);
    let marks = change_marks(&changes);
    let toggle = toggle.map(|(count, on_toggle, open)| {
        view! {
            <button
                type="button"
                class="toggle"
                aria-expanded=move || open.get().to_string()
                aria-label=move || format!("{} {count} steps", if open.get() { "Hide" } else { "Show" })
                on:click=move |event| {
                    event.stop_propagation();
                    on_toggle.run(event)
                }
            >
                {move || if open.get() { "▾" } else { "▸" }}
            </button>
        }
    });
    view! {
        <tr
            id=id.dom_id()
            class="compare-row"
            class:nested=nested
            class:diverges=changes.diverges()
            class:first-divergence=is_divergence
            aria-selected=move || is_chosen().to_string()
            data-testid="compare-row"
            on:click=move |_| chosen.set(Some(id))
        >
            <th scope="row" class="task-name">
                <span class="toggle-slot">{toggle}</span>
                <span class="compare-label">{label}</span>
                {marks
                    .into_iter()
                    .map(|(mark, class)| view! { <span class=format!("change-mark {class}")>{mark}</span> })
                    .collect_view()}
            </th>
            <td><StatusChange statuses /></td>
            <DeltaCell text=format_delta_duration(delta.duration_ns) trend=Trend::of(delta.duration_ns.unwrap_or(0) as f64) />
            <DeltaCell text=format_delta_tokens(delta.tokens) trend=Trend::of(delta.tokens.unwrap_or(0) as f64) />
            <DeltaCell text=format_delta_cost_usd(delta.cost_usd) trend=Trend::of(delta.cost_usd.unwrap_or(0.0)) />
        </tr>
    }
}

/// Short words for what differs, beside the name.
fn change_marks(changes: &Changes) -> Vec<(&'static str, &'static str)> {
    [
        (changes.added, "only in B", "added"),
        (changes.removed, "only in A", "removed"),
        (changes.renamed, "renamed", "renamed"),
        (changes.input, "input changed", "changed"),
        (changes.output, "output changed", "changed"),
    ]
    .into_iter()
    .filter_map(|(on, mark, class)| on.then_some((mark, class)))
    .collect()
}

/// "completed → failed", coloured by whether it got better or worse; one status alone
/// when it did not change.
#[component]
fn StatusChange(statuses: (Option<Status>, Option<Status>)) -> impl IntoView {
    match statuses {
        (Some(a), Some(b)) if a != b => view! {
            <span class=format!("status-change trend-{}", Trend::of_status((a, b)).key())>
                <span class=format!("status status-{}", a.label())>{a.label()}</span>
                " → "
                <span class=format!("status status-{}", b.label())>{b.label()}</span>
            </span>
        }
        .into_any(),
        (Some(one), _) | (None, Some(one)) => {
            view! { <span class="hint">{one.label()}</span> }.into_any()
        }
        (None, None) => ().into_any(),
    }
}

#[component]
fn DeltaCell(text: String, trend: Trend) -> impl IntoView {
    view! { <td class=format!("num delta trend-{}", trend.key())>{text}</td> }
}
