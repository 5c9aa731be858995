//! The redacted copy of the trace on the page: the user's rules, what the worker found, and the copy that export, share and the preview use. State layer: uses state, I/O and the core.
//!
//! The original stays as it was loaded: redaction imports the same input again in the
//! worker with the rules, so a 100k-step trace is redacted off the main thread and the
//! page only decodes the result. Nothing leaves the browser.

use std::sync::Arc;

use leptos::prelude::*;

use crate::io::stream::Progress;
use crate::io::worker::{import_redacted, ImportFailure};
use crate::state::source::{file_trace_index, TraceSource};
use crate::state::view::Current;
use stepwise_core::model::Trace;
use stepwise_core::redact::{RedactionNote, Report, Rules};

/// A redaction made: the rules, what they found and replaced, and the redacted copy.
pub struct Redacted {
    pub rules: Rules,
    /// The report of the trace shown (a file of several traces is redacted whole).
    pub report: Report,
    /// What exports say: counts per category, when; never the values.
    pub note: RedactionNote,
    pub trace: Arc<Trace>,
}

/// Where the page's redaction stands.
#[derive(Clone, Default)]
pub enum RedactionStatus {
    /// Nothing asked yet: exports and shares use the original.
    #[default]
    Off,
    /// The worker is at it, with `rules`.
    Working(Rules),
    /// Made: exports, shares and the preview use `trace`.
    Ready(Arc<Redacted>),
    /// The rules could not be used or the worker failed; the last good copy, if any, stays.
    Failed {
        message: String,
        rules: Rules,
        last: Option<Arc<Redacted>>,
    },
}

/// The trace page's redaction, shared by the panel, the export menu and the views.
#[derive(Clone, Copy)]
pub struct Redaction {
    pub status: RwSignal<RedactionStatus>,
    /// The page shows the redacted copy in the details and the final output.
    pub preview: RwSignal<bool>,
    pub panel_open: RwSignal<bool>,
    pub progress: Progress,
}

impl Default for Redaction {
    fn default() -> Redaction {
        Redaction::new()
    }
}

impl Redaction {
    pub fn new() -> Redaction {
        Redaction {
            status: RwSignal::new(RedactionStatus::Off),
            preview: RwSignal::new(false),
            panel_open: RwSignal::new(false),
            progress: Progress::new(),
        }
    }

    /// The copy exports and shares use, if one is made (read without tracking: callers
    /// act on a click).
    pub fn applied(self) -> Option<Arc<Redacted>> {
        match self.status.get_untracked() {
            RedactionStatus::Ready(redacted) => Some(redacted),
            _ => None,
        }
    }

    /// The copy, if one is made, tracked: views that show it or say so follow it.
    pub fn ready(self) -> Option<Arc<Redacted>> {
        match self.status.get() {
            RedactionStatus::Ready(redacted) => Some(redacted),
            _ => None,
        }
    }

    /// The rules last asked for, or the defaults.
    pub fn rules(self) -> Rules {
        match self.status.get() {
            RedactionStatus::Off => Rules::default(),
            RedactionStatus::Working(rules) | RedactionStatus::Failed { rules, .. } => rules,
            RedactionStatus::Ready(redacted) => redacted.rules.clone(),
        }
    }

    /// Back to the original everywhere.
    pub fn clear(self) {
        self.status.set(RedactionStatus::Off);
        self.preview.set(false);
    }

    /// Redacts the trace `current` shows with `rules`, in the worker.
    pub fn run(self, current: &Current, rules: Rules) {
        let last = self.applied();
        self.status.set(RedactionStatus::Working(rules.clone()));
        let (original, index) = (current.loaded.original.clone(), trace_index(current));
        let progress = self.progress;
        leptos::task::spawn_local(async move {
            let outcome = match original.blob() {
                None => Err("This page holds no input to redact.".to_string()),
                Some(input) => redact(&input, &original.name, &rules, index, progress).await,
            };
            let next = match outcome {
                Ok(redacted) => RedactionStatus::Ready(Arc::new(redacted)),
                Err(message) => RedactionStatus::Failed {
                    message,
                    rules,
                    last,
                },
            };
            // The page may be gone by now: then nobody waits for it.
            let _ = self.status.try_set(next);
        });
    }
}

/// Which trace of its input the page shows ("run.json#2" is the second).
pub fn trace_index(current: &Current) -> usize {
    match &current.source {
        TraceSource::File(key) => file_trace_index(key),
        _ => 0,
    }
}

async fn redact(
    input: &web_sys::Blob,
    name: &str,
    rules: &Rules,
    index: usize,
    progress: Progress,
) -> Result<Redacted, String> {
    let rules_json = serde_json::to_string(rules)
        .map_err(|error| format!("The redaction settings could not be written ({error})."))?;
    let (imported, reports_json) = import_redacted(input, name, &rules_json, progress)
        .await
        .map_err(|failure| match failure {
            ImportFailure::Cancelled => "Redacting was cancelled.".to_string(),
            ImportFailure::Message(message) => message,
        })?;
    let mut traces = imported
        .outcome
        .map_err(|error| format!("{name}: {error}"))?;
    let reports: Vec<Report> = serde_json::from_str(&reports_json)
        .map_err(|error| format!("The redaction report could not be read ({error})."))?;
    if index >= traces.len() || index >= reports.len() {
        return Err(format!("{name} no longer holds the trace shown."));
    }
    let at = String::from(js_sys::Date::new_0().to_iso_string());
    let note = RedactionNote::of(&reports, &at);
    let report = reports.into_iter().nth(index).unwrap_or_default();
    Ok(Redacted {
        rules: rules.clone(),
        report,
        note,
        trace: Arc::new(traces.swap_remove(index)),
    })
}
