//! One category of the redaction panel: its switch, its counts, and its values, each shown in the text it was found in, to keep or redact. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;

use crate::state::redaction::Redaction;
use stepwise_core::metrics::format_count;
use stepwise_core::redact::{Category, Hit, Report, Rules};

/// Values listed per category: more are redacted the same, and counted.
const SHOWN_HITS: usize = 200;

#[component]
pub fn CategoryRow(
    category: Category,
    redaction: Redaction,
    report: Memo<Option<Report>>,
    apply: Callback<Rules>,
    busy: Signal<bool>,
) -> impl IntoView {
    let hits = Memo::new(move |_| {
        report.with(|report| {
            report.as_ref().map_or_else(Vec::new, |report| {
                report
                    .hits
                    .iter()
                    .filter(|hit| hit.category == category)
                    .cloned()
                    .collect::<Vec<Hit>>()
            })
        })
    });
    let on = move || redaction.rules().categories.contains(&category);
    let toggle = move |event: leptos::ev::Event| {
        let mut rules = redaction.rules();
        rules.categories.retain(|other| *other != category);
        if event_target_checked(&event) {
            rules.categories.push(category);
        }
        apply.run(rules);
    };
    let counts = move || {
        let hits = hits.read();
        let occurrences: usize = hits.iter().map(|hit| hit.count).sum();
        match hits.len() {
            0 => "none found".to_string(),
            values => format!(
                "{} value{} · {} occurrence{}",
                format_count(values as u64),
                if values == 1 { "" } else { "s" },
                format_count(occurrences as u64),
                if occurrences == 1 { "" } else { "s" }
            ),
        }
    };
    view! {
        <li class="redact-category" data-testid="redact-category" data-category=category.key()>
            <details>
                <summary>
                    <label class="redact-switch" on:click=|event| event.stop_propagation()>
                        <input
                            type="checkbox"
                            data-testid="redact-category-on"
                            prop:checked=on
                            prop:disabled=move || busy.get()
                            on:change=toggle
                        />
                        {category.label()}
                    </label>
                    <span class="redact-count" data-testid="redact-count">{counts}</span>
                </summary>
                <HitList hits redaction apply busy />
            </details>
        </li>
    }
}

#[component]
fn HitList(
    hits: Memo<Vec<Hit>>,
    redaction: Redaction,
    apply: Callback<Rules>,
    busy: Signal<bool>,
) -> impl IntoView {
    move || {
        let hits = hits.get();
        let more = hits.len().saturating_sub(SHOWN_HITS);
        let rows = hits
            .into_iter()
            .take(SHOWN_HITS)
            .map(|hit| view! { <HitRow hit redaction apply busy /> })
            .collect_view();
        view! {
            <ul class="redact-hits">{rows}</ul>
            {(more > 0).then(|| view! {
                <p class="redact-more">{format!("and {} more, redacted the same way", format_count(more as u64))}</p>
            })}
        }
    }
}

/// One value: kept or redacted, its label, and the text around its first occurrence with
/// the value marked (as text: the trace's content never becomes markup).
#[component]
fn HitRow(
    hit: Hit,
    redaction: Redaction,
    apply: Callback<Rules>,
    busy: Signal<bool>,
) -> impl IntoView {
    let value = hit.value.clone();
    let toggle = move |event: leptos::ev::Event| {
        let mut rules = redaction.rules();
        rules.keep.retain(|kept| *kept != value);
        if !event_target_checked(&event) {
            rules.keep.push(value.clone());
        }
        apply.run(rules);
    };
    let place = match hit.first.step_name.is_empty() {
        true => hit.first.field.clone(),
        false => format!("{} · {}", hit.first.step_name, hit.first.field),
    };
    let times = (hit.count > 1).then(|| format!(" ×{}", format_count(hit.count as u64)));
    view! {
        <li class="redact-hit" class:kept=!hit.redacted data-testid="redact-hit">
            <label class="redact-hit-head">
                <input
                    type="checkbox"
                    data-testid="redact-hit-on"
                    prop:checked=hit.redacted
                    prop:disabled=move || busy.get()
                    on:change=toggle
                    title="Redact this value everywhere"
                />
                <code class="redact-label">{hit.label.clone()}</code>
                {times}
                <span class="redact-place" title="Where it was first found">{place}</span>
            </label>
            <p class="redact-context">
                {(!hit.first.before.is_empty()).then_some("…")}
                {hit.first.before.clone()}
                <mark data-testid="redact-mark">{hit.value.clone()}</mark>
                {hit.first.after.clone()}
                {(!hit.first.after.is_empty()).then_some("…")}
            </p>
        </li>
    }
}
