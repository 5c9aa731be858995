//! "Open file": picks trace files and opens them through the same pipeline as a drop (read as bytes in chunks, gzip detected by content, one trace per file). Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::opening::{use_open_traces, use_open_traces_to, OpenInput};

#[component]
pub fn OpenFileButton() -> impl IntoView {
    view! { <FilePicker open=use_open_traces() label="Open file…" /> }
}

/// Opens the picked files as the compare page's B, beside `a` (a trace parameter).
#[component]
pub fn OpenAsBButton(a: String) -> impl IntoView {
    let open = use_open_traces_to(move |key: &str| {
        Some(crate::state::source::TraceSource::compare_query(
            &a,
            Some(&format!("file:{key}")),
        ))
    });
    view! { <FilePicker open label="Open a file as B…" /> }
}

/// Opens the picked files and stays on this page (the cross-trace pages count the traces
/// of the tab, so a file opened there joins them).
#[component]
pub fn OpenFileHereButton() -> impl IntoView {
    let open = use_open_traces_to(|_key: &str| None);
    view! { <FilePicker open label="Open file…" /> }
}

#[component]
fn FilePicker(
    open: impl Fn(Vec<OpenInput>) + Clone + 'static,
    label: &'static str,
) -> impl IntoView {
    let on_change = move |event: leptos::ev::Event| {
        let Some(input) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(list) = input.files() else {
            return;
        };
        let files: Vec<OpenInput> = (0..list.length())
            .filter_map(|i| list.get(i))
            .map(OpenInput::File)
            .collect();
        // Let the same file be picked again later.
        input.set_value("");
        open(files);
    };
    view! {
        <label class="header-button open-file" title="Open trace files: .json, .jsonl or .json.gz; or drop them anywhere, or paste JSON">
            {label}
            <input
                type="file"
                accept=".json,.jsonl,.gz,application/json,application/gzip"
                multiple
                data-testid="open-file"
                on:change=on_change
            />
        </label>
    }
}
