//! Redaction on the trace page: the header's button and the panel that lists what was found, by category and by value, with the user's own patterns. Component layer: uses components, state, I/O and the core.

mod hits;
mod patterns;

use leptos::prelude::*;

use crate::components::progress::ProgressBar;
use crate::state::redaction::{Redaction, RedactionStatus};
use crate::state::view::Current;
use hits::CategoryRow;
use patterns::CustomPatterns;
use stepwise_core::metrics::format_count;
use stepwise_core::redact::{Category, Report, Rules};

/// "Redact…" in the header; "Redacted" once a copy is made.
#[component]
pub fn RedactButton() -> impl IntoView {
    let Some(redaction) = use_context::<Redaction>() else {
        return ().into_any();
    };
    let made = move || redaction.ready().is_some();
    view! {
        <button
            type="button"
            class="header-button"
            class:redacted=made
            data-testid="redact-open"
            aria-expanded=move || redaction.panel_open.get().to_string()
            title="Find API keys, e-mail addresses, phone numbers, cards and IP addresses, and replace them in a copy for export and sharing. Runs in this browser."
            on:click=move |_| redaction.panel_open.update(|open| *open = !*open)
        >
            {move || if made() { "Redacted ✓" } else { "Redact…" }}
        </button>
    }
    .into_any()
}

/// The panel: opens on a first pass with every detector on, then follows the user's choices.
#[component]
pub fn RedactPanel() -> impl IntoView {
    let (Some(redaction), Some(current)) = (use_context::<Redaction>(), use_context::<Current>())
    else {
        return ().into_any();
    };
    // The first opening looks with the defaults: the user starts from what was found.
    {
        let current = current.clone();
        Effect::new(move |_| {
            if redaction.panel_open.get()
                && matches!(redaction.status.get_untracked(), RedactionStatus::Off)
            {
                redaction.run(&current, Rules::default());
            }
        });
    }
    let apply = {
        let current = current.clone();
        Callback::new(move |rules: Rules| redaction.run(&current, rules))
    };
    let busy =
        Signal::derive(move || matches!(redaction.status.get(), RedactionStatus::Working(_)));
    view! {
        <Show when=move || redaction.panel_open.get()>
            <section class="panel redact-panel" data-testid="redact-panel" aria-label="Redaction">
                <header class="redact-head">
                    <h2>"Redaction"</h2>
                    <p class="redact-lead">
                        "Secrets and personal data are found and replaced in a copy, in this browser: nothing is uploaded, and the trace as loaded stays as it was. Exports, shareable pages and the preview use the copy."
                    </p>
                    <button type="button" class="panel-toggle" on:click=move |_| redaction.panel_open.set(false)>
                        "Close"
                    </button>
                </header>
                <Status redaction />
                <Categories redaction apply busy />
                <CustomPatterns redaction apply busy />
                <Footer redaction />
            </section>
        </Show>
    }
    .into_any()
}

/// Working (with the progress bar), what was done, or why it could not be.
#[component]
fn Status(redaction: Redaction) -> impl IntoView {
    move || {
        match redaction.status.get() {
        RedactionStatus::Off => ().into_any(),
        RedactionStatus::Working(_) => {
            view! { <ProgressBar progress=redaction.progress verb="Redacting" /> }.into_any()
        }
        RedactionStatus::Ready(redacted) => view! {
            <p class="redact-status" role="status" data-testid="redact-status">{summary(&redacted.report)}</p>
        }
        .into_any(),
        RedactionStatus::Failed { message, .. } => view! {
            <p class="notice error" role="alert" data-testid="redact-error">{message}</p>
        }
        .into_any(),
    }
    }
}

/// "1 value", "1,204 values".
fn counted(count: u64, one: &str, many: &str) -> String {
    format!(
        "{} {}",
        format_count(count),
        if count == 1 { one } else { many }
    )
}

/// "Replaced 12 occurrences of 5 values, in 1,204 text fields; 1 value kept as it is."
fn summary(report: &Report) -> String {
    let values = report.hits.len() + report.unlisted_hits;
    let kept = report.hits.iter().filter(|hit| !hit.redacted).count();
    let mut text = format!(
        "Replaced {} of {} found, in {} looked at.",
        counted(
            report.redacted_occurrences as u64,
            "occurrence",
            "occurrences"
        ),
        counted(values as u64, "value", "values"),
        counted(report.scanned_fields as u64, "text field", "text fields"),
    );
    if kept > 0 {
        text.push_str(&format!(
            " {} left as {}.",
            counted(kept as u64, "value", "values"),
            if kept == 1 { "it is" } else { "they are" }
        ));
    }
    if values == 0 {
        text = format!(
            "Nothing found in {}.",
            counted(report.scanned_fields as u64, "text field", "text fields")
        );
    }
    text
}

/// One row per category: on or off, with what it found and its values to keep.
#[component]
fn Categories(redaction: Redaction, apply: Callback<Rules>, busy: Signal<bool>) -> impl IntoView {
    let report = Memo::new(move |_| match redaction.status.get() {
        RedactionStatus::Ready(redacted) => Some(redacted.report.clone()),
        RedactionStatus::Failed { last, .. } => last.map(|redacted| redacted.report.clone()),
        _ => None,
    });
    view! {
        <ul class="redact-categories" data-testid="redact-categories">
            {Category::ALL
                .into_iter()
                .map(|category| view! { <CategoryRow category redaction report apply busy /> })
                .collect_view()}
        </ul>
    }
}

/// Preview, and back to the original.
#[component]
fn Footer(redaction: Redaction) -> impl IntoView {
    let made = move || redaction.ready().is_some();
    view! {
        <div class="redact-footer">
            <label class="redact-preview">
                <input
                    type="checkbox"
                    data-testid="redact-preview"
                    prop:checked=move || redaction.preview.get()
                    prop:disabled=move || !made()
                    on:change=move |event| redaction.preview.set(event_target_checked(&event))
                />
                "Show the redacted copy in the details and the output"
            </label>
            <button type="button" class="header-button" data-testid="redact-clear" prop:disabled=move || !made() on:click=move |_| redaction.clear()>
                "Back to the original"
            </button>
        </div>
    }
}
