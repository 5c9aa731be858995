//! The trace page's annotations and saved views, kept in this browser's local storage for the trace's content. State layer: uses state, I/O and the core.
//!
//! Notes are the reader's: they start as the file's own (an own-format export carries
//! them), and once edited here, what this browser keeps wins. They are never written into
//! the file they were made on; the own-format export and the shareable page take them
//! from `PageNotes::get`.

use codee::string::FromToStringCodec;
use leptos::prelude::*;
use leptos_use_storage::use_local_storage;

use crate::state::source::TraceSource;
use crate::state::traces::LoadedTrace;
use stepwise_core::annotate::Notes;
use stepwise_core::recent::{entry_key, SourceKind};

/// Where the notes of one trace live. A file's by its content id, so the same file
/// opened again (or reopened from the recent list) finds them whatever its name; a trace
/// from a URL, an API or the demo by its address (its recent entry's key), since a live
/// trace's content changes at each refresh. And by the trace id: a file may hold several.
fn storage_key(source: &TraceSource, content_id: &str, trace_id: &str) -> String {
    let place = match source.recent_kind() {
        SourceKind::File => content_id.to_string(),
        kind => entry_key(kind, content_id, &source.query_string()),
    };
    format!("stepwise.notes.{place}.{trace_id}")
}

/// The page shows notes it may not change (a shareable page): no forms, no edits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadOnly(pub bool);

impl ReadOnly {
    /// The context's flag; editable when no one said otherwise.
    pub fn from_context() -> bool {
        use_context::<ReadOnly>().is_some_and(|read_only| read_only.0)
    }
}

/// The current trace page's notes, shared through the context. `get` and `set` are for
/// whoever needs all of them (the export, the shareable page); the views read `notes`.
#[derive(Clone, Copy)]
pub struct PageNotes {
    notes: RwSignal<Notes>,
    /// Writes to local storage; `None` where nothing is kept (embedded, read-only).
    store: Option<Callback<String>>,
    /// The annotate form of the selected step is open (the `a` key, the button).
    pub form_open: RwSignal<bool>,
}

impl PageNotes {
    /// The page's notes for `loaded`, kept in local storage when `keep` (a page of this
    /// browser's own, not an embedding's or a shareable page's).
    pub fn new(source: &TraceSource, loaded: &LoadedTrace, keep: bool) -> PageNotes {
        let from_file = loaded.trace.notes.clone();
        if !keep {
            return PageNotes {
                notes: RwSignal::new(from_file),
                store: None,
                form_open: RwSignal::new(false),
            };
        }
        let key = storage_key(source, &loaded.original.content_id, &loaded.trace.id);
        let (stored, set_stored, _) = use_local_storage::<String, FromToStringCodec>(key);
        // Once edited here, this browser's notes are the whole truth: a note deleted here
        // stays deleted even though the file still has it.
        let kept = stored.get_untracked();
        let initial = if kept.is_empty() {
            from_file
        } else {
            Notes::from_json(&kept)
        };
        PageNotes {
            notes: RwSignal::new(initial),
            store: Some(Callback::new(move |json: String| set_stored.set(json))),
            form_open: RwSignal::new(false),
        }
    }

    /// The notes as they are now, tracked.
    pub fn get(&self) -> Notes {
        self.notes.get()
    }

    pub fn get_untracked(&self) -> Notes {
        self.notes.get_untracked()
    }

    /// The notes, for views that read a part of them.
    pub fn signal(&self) -> ReadSignal<Notes> {
        self.notes.read_only()
    }

    /// Replaces the notes, and keeps them in this browser when the page keeps any.
    pub fn set(&self, notes: Notes) {
        if let Some(store) = self.store {
            store.run(notes.to_json());
        }
        self.notes.set(notes);
    }

    /// Changes the notes in place (see `set`).
    pub fn update(&self, change: impl FnOnce(&mut Notes)) {
        let mut notes = self.notes.get_untracked();
        change(&mut notes);
        self.set(notes);
    }
}
