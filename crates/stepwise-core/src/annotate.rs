//! Annotations and saved views: a person's labels and notes on steps or time ranges, and
//! named snapshots of the view. Pure core.
//!
//! They are the reader's, not the trace's: the page keeps them in this browser's storage
//! and writes them only into the own-format export (docs/format.md, "Annotations"),
//! never into the file they were made on.

use serde::{Deserialize, Serialize};

use crate::model::Trace;
use crate::tree::StepRow;
use crate::view_query::ViewQuery;

/// The longest label, in characters: it is drawn on the timeline and in badges.
pub const LABEL_MAX_CHARS: usize = 80;
/// The longest note, in characters.
pub const NOTE_MAX_CHARS: usize = 2_000;

/// What an annotation marks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AnnotationTarget {
    /// One step, by id: `{"step_id": "s12"}`.
    Step { step_id: String },
    /// A span of time, in Unix epoch nanoseconds: `{"start_ns": …, "end_ns": …}`.
    Range { start_ns: i64, end_ns: i64 },
}

/// A label and a note on a step or a time range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    pub id: String,
    pub target: AnnotationTarget,
    pub label: String,
    #[serde(default)]
    pub note: String,
    /// When it was made, RFC 3339.
    #[serde(default)]
    pub created_at: String,
}

/// A named snapshot of the view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedView {
    pub name: String,
    /// The view query string (`view_query::ViewQuery::to_query_string`) without where the
    /// trace comes from, so that it applies to the trace however it was opened.
    pub query: String,
}

/// A trace's annotations and saved views.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notes {
    #[serde(default)]
    pub annotations: Vec<Annotation>,
    #[serde(default)]
    pub views: Vec<SavedView>,
}

/// Why a label or note cannot be saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoteError {
    EmptyLabel,
    LabelTooLong {
        chars: usize,
    },
    NoteTooLong {
        chars: usize,
    },
    /// A range that ends before it starts.
    BackwardRange,
}

impl std::fmt::Display for NoteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoteError::EmptyLabel => write!(f, "A label is needed."),
            NoteError::LabelTooLong { chars } => write!(
                f,
                "The label is {chars} characters long; at most {LABEL_MAX_CHARS} fit."
            ),
            NoteError::NoteTooLong { chars } => write!(
                f,
                "The note is {chars} characters long; at most {NOTE_MAX_CHARS} fit."
            ),
            NoteError::BackwardRange => write!(f, "The range ends before it starts."),
        }
    }
}

/// A label and note as typed, trimmed and checked against the limits.
pub fn clean_text(label: &str, note: &str) -> Result<(String, String), NoteError> {
    let label = label.trim();
    let note = note.trim();
    let label_chars = label.chars().count();
    let note_chars = note.chars().count();
    if label.is_empty() {
        return Err(NoteError::EmptyLabel);
    }
    if label_chars > LABEL_MAX_CHARS {
        return Err(NoteError::LabelTooLong { chars: label_chars });
    }
    if note_chars > NOTE_MAX_CHARS {
        return Err(NoteError::NoteTooLong { chars: note_chars });
    }
    Ok((label.to_string(), note.to_string()))
}

/// Checks a whole annotation (its text and, for a range, its order).
pub fn validate(annotation: &Annotation) -> Result<(), NoteError> {
    clean_text(&annotation.label, &annotation.note)?;
    match annotation.target {
        AnnotationTarget::Range { start_ns, end_ns } if end_ns < start_ns => {
            Err(NoteError::BackwardRange)
        }
        _ => Ok(()),
    }
}

impl Annotation {
    /// The annotated step's id, for a step annotation.
    pub fn step_id(&self) -> Option<&str> {
        match &self.target {
            AnnotationTarget::Step { step_id } => Some(step_id),
            AnnotationTarget::Range { .. } => None,
        }
    }
}

impl Notes {
    pub fn is_empty(&self) -> bool {
        self.annotations.is_empty() && self.views.is_empty()
    }

    /// The annotations on one step, in the order they were made.
    pub fn for_step<'a>(&'a self, step_id: &'a str) -> impl Iterator<Item = &'a Annotation> + 'a {
        self.annotations
            .iter()
            .filter(move |annotation| annotation.step_id() == Some(step_id))
    }

    /// The range annotations that overlap `[start_ns, end_ns]` (touching counts).
    pub fn ranges_in(&self, start_ns: i64, end_ns: i64) -> impl Iterator<Item = &Annotation> + '_ {
        self.annotations
            .iter()
            .filter(move |annotation| match annotation.target {
                AnnotationTarget::Range {
                    start_ns: from,
                    end_ns: to,
                } => from <= end_ns && to >= start_ns,
                AnnotationTarget::Step { .. } => false,
            })
    }

    /// Step annotations whose step is not in `known`: kept (the step may come back in
    /// another capture of the same run) but flagged in the panel.
    pub fn unknown_steps<'a>(
        &'a self,
        known: impl Fn(&str) -> bool + 'a,
    ) -> impl Iterator<Item = &'a Annotation> + 'a {
        self.annotations
            .iter()
            .filter(move |annotation| annotation.step_id().is_some_and(|id| !known(id)))
    }

    /// Adds or replaces (same id) an annotation.
    pub fn upsert(&mut self, annotation: Annotation) {
        match self
            .annotations
            .iter_mut()
            .find(|kept| kept.id == annotation.id)
        {
            Some(kept) => *kept = annotation,
            None => self.annotations.push(annotation),
        }
    }

    pub fn remove(&mut self, id: &str) {
        self.annotations.retain(|annotation| annotation.id != id);
    }

    /// Adds or replaces (same name) a saved view.
    pub fn save_view(&mut self, view: SavedView) {
        match self.views.iter_mut().find(|kept| kept.name == view.name) {
            Some(kept) => *kept = view,
            None => self.views.push(view),
        }
    }

    pub fn remove_view(&mut self, name: &str) {
        self.views.retain(|view| view.name != name);
    }

    /// `other` laid over `self`: an annotation or view of `other` replaces one with the same
    /// id (name), the rest are added. The page lays what this browser kept over what the
    /// file holds, so edits made here win.
    pub fn merged_with(&self, other: &Notes) -> Notes {
        let mut merged = self.clone();
        for annotation in &other.annotations {
            merged.upsert(annotation.clone());
        }
        for view in &other.views {
            merged.save_view(view.clone());
        }
        merged
    }

    /// The notes as JSON (the local storage and transfer form).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Notes from `to_json`'s text; anything unreadable is no notes, since they are a
    /// reader's extras and must never stop a trace from opening.
    pub fn from_json(text: &str) -> Notes {
        serde_json::from_str(text).unwrap_or_default()
    }
}

/// A new annotation id that is not yet in `notes`: `a1`, `a2`, …
pub fn next_id(notes: &Notes) -> String {
    let taken = |id: &str| notes.annotations.iter().any(|kept| kept.id == id);
    (notes.annotations.len() + 1..)
        .map(|n| format!("a{n}"))
        .find(|id| !taken(id))
        .unwrap_or_default()
}

/// The view query kept in a saved view: `query`'s view (tab, selection, zoom, panels,
/// search, root) without the trace's source and the page's embedding parameters, so that
/// it applies to the trace however it was opened.
pub fn view_part(query: &ViewQuery) -> String {
    let view = ViewQuery {
        trace: None,
        kept: Vec::new(),
        ..query.clone()
    };
    view.to_query_string()
}

/// The page's query with a saved view applied: the view's fields, the page's source.
pub fn apply_view(page: &ViewQuery, saved_query: &str) -> ViewQuery {
    let pairs = query_pairs(saved_query);
    let saved = ViewQuery::from_pairs(
        pairs
            .iter()
            .map(|(key, value)| (key.as_str(), value.as_str())),
    );
    ViewQuery {
        trace: page.trace.clone(),
        kept: page.kept.clone(),
        ..saved
    }
}

/// `a=1&b=x%20y` as decoded pairs.
fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
        .collect()
}

fn decode(text: &str) -> String {
    let text = text.replace('+', " ");
    percent_encoding::percent_decode_str(&text)
        .decode_utf8_lossy()
        .into_owned()
}

/// The time axis the timeline shows for `rows` (a re-rooted page's subtree, or `None` for
/// the whole trace), as `timeline::layout` places it: the origin of the `from`/`to`
/// window in ms.
pub fn axis_span_ns(trace: &Trace, rows: Option<&[StepRow]>) -> (i64, i64) {
    let whole = crate::timeline::layout::trace_span_ns(trace);
    let Some(rows) = rows else {
        return whole;
    };
    let steps = || rows.iter().filter_map(|row| trace.steps.get(row.step));
    let start_ns = steps().filter_map(|step| step.start_ns).min();
    let end_ns = steps()
        .flat_map(|step| [step.start_ns, step.end_ns])
        .flatten()
        .max();
    match (start_ns, end_ns) {
        (Some(start_ns), Some(end_ns)) => (start_ns, end_ns.max(start_ns)),
        _ => whole,
    }
}

/// The range the timeline shows: the zoom window (ms from the axis start) in epoch ns,
/// or the whole axis when it is not zoomed.
pub fn visible_range_ns(axis_ns: (i64, i64), window_ms: Option<(f64, f64)>) -> (i64, i64) {
    match window_ms.filter(|(from, to)| from.is_finite() && to.is_finite() && to > from) {
        Some((from_ms, to_ms)) => {
            let at = |ms: f64| axis_ns.0.saturating_add((ms * 1e6).round() as i64);
            (
                at(from_ms).max(axis_ns.0),
                at(to_ms).min(axis_ns.1.max(axis_ns.0 + 1)),
            )
        }
        None => axis_ns,
    }
}

/// The zoom window (ms from the axis start) that shows a range, for a click on a range
/// annotation.
pub fn window_ms_of(axis_ns: (i64, i64), range_ns: (i64, i64)) -> (f64, f64) {
    let ms = |ns: i64| (ns.saturating_sub(axis_ns.0)) as f64 / 1e6;
    let (from, to) = (ms(range_ns.0), ms(range_ns.1));
    // An instant is shown with a little room around it: the window must have a width.
    if to > from {
        (from, to)
    } else {
        (from - 0.5, from + 0.5)
    }
}
