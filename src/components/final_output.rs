//! What the run produced: markdown rendered safely, or the raw text, or JSON. Component layer: uses components, state, I/O and the core.

use std::sync::Arc;

use leptos::prelude::*;
use serde_json::Value;

use crate::components::copy_button::CopyButton;
use crate::components::json_view::{JsonView, TextBlock};
use crate::components::markdown_view::Markdown;
use stepwise_core::model::{RawJson, Trace};

#[component]
pub fn FinalOutput(trace: Arc<Trace>) -> impl IntoView {
    let body = match trace.final_output.as_ref().map(RawJson::parse) {
        Some(Value::String(text)) => view! { <RenderedOrRaw text /> }.into_any(),
        Some(other) => view! { <JsonView value=other label="final output" /> }.into_any(),
        None => view! { <p class="hint">"This run recorded no final output."</p> }.into_any(),
    };
    view! {
        <section class="panel final-output" aria-labelledby="output-heading">
            <h2 id="output-heading">"Final output"</h2>
            {body}
        </section>
    }
}

/// Markdown by default; the raw text one click away, for copying parts of it or checking it.
#[component]
fn RenderedOrRaw(text: String) -> impl IntoView {
    let raw = RwSignal::new(false);
    let rendered_text = text.clone();
    let raw_text = text.clone();
    view! {
        <div class="output-toolbar" role="group" aria-label="Output format">
            <button
                type="button"
                class="seg-toggle"
                aria-pressed=move || (!raw.get()).to_string()
                on:click=move |_| raw.set(false)
            >
                "Rendered"
            </button>
            <button
                type="button"
                class="seg-toggle"
                aria-pressed=move || raw.get().to_string()
                on:click=move |_| raw.set(true)
            >
                "Raw"
            </button>
            <CopyButton text label="Copy final output" />
        </div>
        {move || {
            if raw.get() {
                view! { <TextBlock text=raw_text.clone() label="final output" /> }.into_any()
            } else {
                view! { <div class="rendered"><Markdown text=rendered_text.clone() /></div> }.into_any()
            }
        }}
    }
}
