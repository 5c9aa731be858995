//! Export: download the trace as loaded or as Stepwise's format, a markdown report, a link. Component layer: uses components, state, I/O and the core.

pub mod download;
pub mod share;

use leptos::html::Details;
use leptos::prelude::*;
use leptos_use_clipboard::{use_clipboard, UseClipboardReturn};
use leptos_use_document::use_document;
use leptos_use_event_listener::use_event_listener;
use wasm_bindgen::JsCast;

use crate::state::redaction::Redaction;
use crate::state::source::TraceSource;
use crate::state::view::Current;
use stepwise_core::export::{
    to_stepwise_document, to_stepwise_document_redacted, with_notes, with_notes_redacted,
};
use stepwise_core::report_md::{
    markdown_report, markdown_report_redacted, report_file_name, stepwise_file_name,
};

/// What the link item says on hover: a file's trace is not in the link.
fn link_title(source: &TraceSource) -> &'static str {
    match source {
        TraceSource::File(_) => {
            "The trace was opened from a file, which is not part of the link: it reproduces \
             this view only for someone who opens the same file."
        }
        _ => "Copies the address of this view: the trace, selection, zoom and panels.",
    }
}

/// "Redacted · " before an item that uses the redacted copy, so nobody sends the original
/// believing it redacted, or the reverse.
fn redacted_word(redaction: Option<Redaction>) -> Option<&'static str> {
    redaction
        .and_then(|redaction| redaction.ready())
        .map(|_| "Redacted · ")
}

#[component]
pub fn ExportMenu() -> impl IntoView {
    let Some(current) = use_context::<Current>() else {
        return ().into_any();
    };
    let menu = NodeRef::<Details>::new();
    let problem = RwSignal::new(None::<String>);
    let UseClipboardReturn {
        is_supported,
        copied,
        copy,
        ..
    } = use_clipboard();
    let close = move || {
        if let Some(details) = menu.get_untracked() {
            let _ = details.remove_attribute("open");
        }
    };
    // A <details> stays open until toggled; a click elsewhere closes it like any menu.
    let _ = use_event_listener(use_document(), leptos::ev::click, move |event| {
        let inside = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Node>().ok())
            .zip(menu.get_untracked())
            .is_some_and(|(target, details)| details.contains(Some(&target)));
        if !inside {
            close();
        }
    });
    let loaded = current.loaded.clone();
    // Once the user has made a redacted copy, every export but the input itself uses it.
    let redaction = use_context::<Redaction>();
    let redacted = move || redaction.and_then(|redaction| redaction.applied());
    let offer = move |bytes: Result<Vec<u8>, String>, name: String, mime: &str| {
        let result = bytes.and_then(|bytes| download::save(&bytes, &name, mime));
        problem.set(result.err());
        close();
    };
    let original = {
        let loaded = loaded.clone();
        move |_| {
            let original = &loaded.original;
            let result = original
                .blob()
                .ok_or_else(|| format!("This page no longer holds {}.", original.name))
                .and_then(|input| download::save_blob(&input, &original.name));
            problem.set(result.err());
            close();
        }
    };
    let stepwise = {
        let loaded = loaded.clone();
        // The page's notes, as edited here, go into the export (never into the original).
        let notes = use_context::<crate::state::notes::PageNotes>();
        move |_| {
            let notes = notes.map(|notes| notes.get_untracked());
            let document = match (redacted(), notes) {
                (Some(redacted), Some(notes)) => {
                    with_notes_redacted(&redacted.trace, &notes, &redacted.note)
                }
                (Some(redacted), None) => to_stepwise_document_redacted(
                    std::slice::from_ref(redacted.trace.as_ref()),
                    &redacted.note,
                ),
                (None, Some(notes)) => with_notes(&loaded.trace, &notes),
                (None, None) => to_stepwise_document(std::slice::from_ref(loaded.trace.as_ref())),
            };
            let bytes = serde_json::to_vec_pretty(&document).map_err(|error| {
                format!("Could not write the trace in Stepwise's format: {error}.")
            });
            offer(
                bytes,
                stepwise_file_name(&loaded.file_name),
                "application/json",
            )
        }
    };
    let report = {
        let loaded = loaded.clone();
        move |_| {
            let text = match redacted() {
                Some(redacted) => markdown_report_redacted(&redacted.trace, &redacted.note),
                None => markdown_report(&loaded.trace),
            };
            offer(
                Ok(text.into_bytes()),
                report_file_name(&loaded.file_name),
                "text/markdown;charset=utf-8",
            )
        }
    };
    let copy_link = move |_| {
        let href = window().location().href().unwrap_or_default();
        copy(&href);
    };
    let stepwise_name = stepwise_file_name(&loaded.file_name);
    // A shared page came already imported: it has no input to download, and no address
    // worth copying (it is a file on the reader's disk).
    let has_original = loaded.original.blob().is_some();
    let file_name = loaded.file_name.clone();
    let report_name = report_file_name(&loaded.file_name);
    view! {
        <details
            class="export-menu"
            node_ref=menu
            data-testid="export-menu"
            on:keydown=move |event| {
                if event.key() == "Escape" {
                    close();
                }
            }
        >
            <summary class="header-button">"Export"</summary>
            <div class="export-items" role="menu">
                {has_original.then(|| view! {
                    <button type="button" role="menuitem" data-testid="export-original" on:click=original>
                        "Download as loaded"
                        <span class="export-note">
                            {file_name}
                            {move || redaction.and_then(|redaction| redaction.ready()).map(|_| " · the original, not redacted")}
                        </span>
                    </button>
                })}
                <button type="button" role="menuitem" data-testid="export-stepwise" on:click=stepwise>
                    {move || redacted_word(redaction)}
                    "Download as Stepwise format"
                    <span class="export-note">{stepwise_name}</span>
                </button>
                <button type="button" role="menuitem" data-testid="export-report" on:click=report>
                    {move || redacted_word(redaction)}
                    "Download report (.md)"
                    <span class="export-note">{report_name}</span>
                </button>
                <share::ShareItem />
                {has_original.then(|| view! {
                <button
                    type="button"
                    role="menuitem"
                    data-testid="export-link"
                    title=link_title(&current.source)
                    // Without the Clipboard API (plain http) the address bar is the way.
                    disabled=move || !is_supported.get()
                    on:click=copy_link
                >
                    {move || if copied.get() { "Link copied" } else { "Copy link to this view" }}
                    <span class="export-note">
                        {if matches!(current.source, TraceSource::File(_)) {
                            "works for whoever has the same file"
                        } else {
                            "selection, zoom and panels included"
                        }}
                    </span>
                </button>
                })}
            </div>
            <Show when=move || problem.read().is_some()>
                <p class="export-problem" role="alert">{move || problem.get().unwrap_or_default()}</p>
            </Show>
        </details>
    }
    .into_any()
}
