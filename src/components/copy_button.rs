//! A small button that copies a value to the clipboard and says "Copied" briefly. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;
use leptos_use_clipboard::{use_clipboard, UseClipboardReturn};

/// `label` names what is copied, for screen readers ("Copy output").
#[component]
pub fn CopyButton(text: String, #[prop(optional, into)] label: Option<String>) -> impl IntoView {
    let UseClipboardReturn {
        is_supported,
        copied,
        copy,
        ..
    } = use_clipboard();
    let label = label.unwrap_or_else(|| "Copy".to_string());
    view! {
        <button
            type="button"
            class="copy-button"
            title=label.clone()
            aria-label=label
            // Without the Clipboard API (plain http, old browsers) the button would do nothing.
            hidden=move || !is_supported.get()
            on:click=move |_| copy(&text)
        >
            {move || if copied.get() { "Copied" } else { "Copy" }}
        </button>
    }
}
