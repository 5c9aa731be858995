//! Values for reading: long text folded to its first lines, JSON as a collapsible tree. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;

use crate::components::marked_text::marked;
use serde_json::Value;

use crate::components::copy_button::CopyButton;
use stepwise_core::present::{fold, json_starts_open, json_summary, FOLD_LINES};

/// Any value: a string as folded text, anything else as a JSON tree. Both can be copied.
#[component]
pub fn ValueView(value: Value, #[prop(optional, into)] label: Option<String>) -> impl IntoView {
    match value {
        Value::String(text) => {
            view! { <TextBlock text label=label.unwrap_or_default() /> }.into_any()
        }
        other => view! { <JsonView value=other label=label.unwrap_or_default() /> }.into_any(),
    }
}

/// Text with whitespace kept (monospace unless `prose`); more than `FOLD_LINES` lines fold.
#[component]
pub fn TextBlock(
    text: String,
    #[prop(optional, into)] label: String,
    #[prop(optional)] prose: bool,
) -> impl IntoView {
    let folded = fold(&text, FOLD_LINES);
    let expanded = RwSignal::new(false);
    let toggle = folded.as_ref().map(|(_, total)| {
        let total = *total;
        view! {
            <button
                type="button"
                class="fold-toggle"
                aria-expanded=move || expanded.get().to_string()
                on:click=move |_| expanded.update(|open| *open = !*open)
            >
                {move || if expanded.get() { "Show less".to_string() } else { format!("Show all {total} lines") }}
            </button>
        }
    });
    let copy_label = copy_label(&label);
    let full = text.clone();
    let shown = move || match &folded {
        Some((head, _)) if !expanded.get() => head.clone(),
        _ => full.clone(),
    };
    view! {
        <div class="value-block">
            <CopyButton text label=copy_label />
            <pre class="value" class:prose=prose>{move || marked(shown())}</pre>
            {toggle}
        </div>
    }
}

/// JSON as a tree: objects and arrays fold per node, deep or large ones start folded.
#[component]
pub fn JsonView(value: Value, #[prop(optional, into)] label: String) -> impl IntoView {
    let pretty = serde_json::to_string_pretty(&value).unwrap_or_default();
    view! {
        <div class="value-block">
            <CopyButton text=pretty label=copy_label(&label) />
            <pre class="value json-tree">{node(None, &value, 0)}</pre>
        </div>
    }
}

fn copy_label(label: &str) -> String {
    if label.is_empty() {
        "Copy value".to_string()
    } else {
        format!("Copy {label}")
    }
}

/// One entry: `key: value`, where an object or array is a `<details>` of its children.
fn node(key: Option<String>, value: &Value, depth: usize) -> AnyView {
    let key_view = key.map(|key| view! { <span class="json-key">{key}</span>": " });
    let (children, open_brace, close_brace): (Vec<AnyView>, &str, &str) = match value {
        Value::Object(map) => (
            map.iter()
                .map(|(key, child)| node(Some(key.clone()), child, depth + 1))
                .collect(),
            "{",
            "}",
        ),
        Value::Array(items) => (
            items
                .iter()
                .enumerate()
                .map(|(index, child)| node(Some(index.to_string()), child, depth + 1))
                .collect(),
            "[",
            "]",
        ),
        scalar => {
            return view! { <div class="json-entry">{key_view}{scalar_view(scalar)}</div> }
                .into_any()
        }
    };
    if children.is_empty() {
        let empty = format!("{open_brace}{close_brace}");
        return view! { <div class="json-entry">{key_view}<span class="json-punct">{empty}</span></div> }
            .into_any();
    }
    let open = json_starts_open(depth, children.len());
    let summary = json_summary(value);
    view! {
        <details class="json-node" open=open>
            <summary>
                {key_view}
                <span class="json-punct">{open_brace}</span>
                <span class="json-count">{summary}</span>
            </summary>
            <div class="json-children">{children}</div>
            <span class="json-punct">{close_brace}</span>
        </details>
    }
    .into_any()
}

/// Strings are shown as the text they are, between quotes; newlines stay newlines.
fn scalar_view(value: &Value) -> AnyView {
    match value {
        Value::String(text) => {
            view! { <span class="json-string">"\""{marked(text.clone())}"\""</span> }.into_any()
        }
        Value::Number(number) => {
            view! { <span class="json-number">{number.to_string()}</span> }.into_any()
        }
        Value::Bool(flag) => view! { <span class="json-bool">{flag.to_string()}</span> }.into_any(),
        _ => view! { <span class="json-null">"null"</span> }.into_any(),
    }
}
