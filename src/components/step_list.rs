//! The steps in reading order, indented by nesting; a click selects one. UI layer.

use std::sync::Arc;

use leptos::prelude::*;

use crate::metrics::{format_cost_usd, format_count, format_duration_ns};
use crate::model::Trace;
use crate::tree::step_rows;

#[component]
pub fn StepList(trace: Arc<Trace>, selected: Memo<Option<String>>) -> impl IntoView {
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
                    <a href=format!("?trace=demo&step={}", encode(&step.id))>
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

/// Percent-encodes an id for a query string; ids come from untrusted files.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
