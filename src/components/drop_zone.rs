//! Dropping trace files anywhere on the page, and pasting JSON. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;
use leptos_use_document::use_document;
use leptos_use_drop_zone::{use_drop_zone_with_options, UseDropZoneOptions, UseDropZoneReturn};
use leptos_use_event_listener::use_event_listener;

use crate::components::open_status::OpenStatus;
use crate::io::launch::on_launched_files;
use crate::state::opening::{use_open_traces, OpenActivity, OpenInput, OpenReport};
use stepwise_core::intake::{check_pasted_text, PASTED_NAME};

/// Whether a drag carries files (not a text selection or a link being dragged).
fn carries_files(event: &web_sys::DragEvent) -> bool {
    event
        .data_transfer()
        .map(|transfer| transfer.types().includes(&"Files".into(), 0))
        .unwrap_or(false)
}

/// Whether the focus is where a paste belongs to the element, not to us.
fn focus_takes_paste() -> bool {
    let Some(active) = document().active_element() else {
        return false;
    };
    let tag = active.tag_name().to_ascii_uppercase();
    let editable = active
        .get_attribute("contenteditable")
        .is_some_and(|value| value != "false");
    matches!(tag.as_str(), "INPUT" | "TEXTAREA" | "SELECT") || editable
}

/// The files of a paste, or its text as a trace named "pasted.json".
fn pasted_inputs(event: &web_sys::ClipboardEvent) -> Result<Vec<OpenInput>, String> {
    let Some(transfer) = event.clipboard_data() else {
        return Ok(Vec::new());
    };
    let files: Vec<OpenInput> = transfer
        .files()
        .map(|list| {
            (0..list.length())
                .filter_map(|i| list.get(i))
                .map(OpenInput::File)
                .collect()
        })
        .unwrap_or_default();
    if !files.is_empty() {
        return Ok(files);
    }
    let text = transfer.get_data("text/plain").unwrap_or_default();
    check_pasted_text(&text)?;
    Ok(vec![OpenInput::Text {
        name: PASTED_NAME.to_string(),
        text,
    }])
}

/// A full-page drop target shown while files are dragged over the page, the paste handler,
/// files the installed app is opened with, and the status of opening files.
#[component]
pub fn DropOverlay() -> impl IntoView {
    let activity = expect_context::<OpenActivity>();
    let open = use_open_traces();
    let dragging_files = RwSignal::new(false);
    {
        let open = open.clone();
        on_launched_files(move |files| open(files.into_iter().map(OpenInput::File).collect()));
    }
    let on_drop = {
        let open = open.clone();
        move |event: leptos_use_drop_zone::UseDropZoneEvent| {
            dragging_files.set(false);
            open(event.files.into_iter().map(OpenInput::File).collect());
        }
    };
    let UseDropZoneReturn {
        is_over_drop_zone, ..
    } = use_drop_zone_with_options(
        use_document(),
        UseDropZoneOptions::default()
            .on_enter(move |event| dragging_files.set(carries_files(&event.event)))
            .on_drop(on_drop),
    );
    let _ = use_event_listener(use_document(), leptos::ev::paste, move |event| {
        if focus_takes_paste() {
            return;
        }
        match pasted_inputs(&event) {
            Ok(inputs) if inputs.is_empty() => {}
            Ok(inputs) => {
                event.prevent_default();
                open(inputs);
            }
            Err(problem) => activity.report.set(OpenReport {
                summary: None,
                problems: vec![problem],
            }),
        }
    });
    view! {
        <Show when=move || is_over_drop_zone.get() && dragging_files.get()>
            <div class="drop-overlay" data-testid="drop-overlay">
                <div class="drop-target">
                    <p class="drop-title">"Drop trace files to open them"</p>
                    <p class="drop-hint">
                        "JSON, JSON Lines or gzip-compressed JSON (.json, .jsonl, .json.gz). "
                        "Several files open as several traces. Nothing is uploaded."
                    </p>
                </div>
            </div>
        </Show>
        <OpenStatus />
    }
}
