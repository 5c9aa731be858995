//! The user's own patterns in the redaction panel: literal text or a regular expression, added and removed. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;

use crate::state::redaction::Redaction;
use stepwise_core::redact::{CustomPattern, Rules, MAX_PATTERN_CHARS};

#[component]
pub fn CustomPatterns(
    redaction: Redaction,
    apply: Callback<Rules>,
    busy: Signal<bool>,
) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let regex = RwSignal::new(false);
    let add = move || {
        let pattern = text.get_untracked();
        if pattern.trim().is_empty() {
            return;
        }
        let mut rules = redaction.rules();
        let pattern = CustomPattern {
            pattern,
            regex: regex.get_untracked(),
        };
        if !rules.custom.contains(&pattern) {
            rules.custom.push(pattern);
        }
        // Adding a pattern means wanting it applied.
        if !rules
            .categories
            .contains(&stepwise_core::redact::Category::Custom)
        {
            rules
                .categories
                .push(stepwise_core::redact::Category::Custom);
        }
        text.set(String::new());
        apply.run(rules);
    };
    let patterns = move || redaction.rules().custom;
    view! {
        <div class="redact-patterns">
            <form
                class="redact-add"
                on:submit=move |event| {
                    event.prevent_default();
                    add();
                }
            >
                <input
                    type="text"
                    data-testid="redact-pattern"
                    placeholder="Your own pattern: a customer id, a project name…"
                    maxlength=MAX_PATTERN_CHARS.to_string()
                    prop:value=move || text.get()
                    on:input=move |event| text.set(event_target_value(&event))
                />
                <label title="A regular expression (linear time, size-limited) rather than literal text">
                    <input
                        type="checkbox"
                        data-testid="redact-pattern-regex"
                        prop:checked=move || regex.get()
                        on:change=move |event| regex.set(event_target_checked(&event))
                    />
                    "regex"
                </label>
                <button type="submit" class="header-button" data-testid="redact-pattern-add" prop:disabled=move || busy.get()>
                    "Add"
                </button>
            </form>
            <ul class="redact-pattern-list">
                {move || {
                    patterns()
                        .into_iter()
                        .map(|pattern| {
                            let removed = pattern.clone();
                            let remove = move |_| {
                                let mut rules = redaction.rules();
                                rules.custom.retain(|other| *other != removed);
                                apply.run(rules);
                            };
                            view! {
                                <li>
                                    <code>{pattern.pattern.clone()}</code>
                                    {pattern.regex.then_some(" (regex)")}
                                    <button type="button" class="panel-toggle" title="Remove this pattern" on:click=remove>"×"</button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}
