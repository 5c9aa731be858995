//! Every trace loaded in this tab: the ones the trace page showed (demo, URL, API, file) and files opened but not viewed yet. Kept in memory only, like `OpenedTraces`. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;

use crate::state::source::{LoadedTrace, OpenedTraces, TraceSource};

/// Traces the trace page has shown in this tab, in the order they were first shown.
#[derive(Clone, Copy)]
pub struct SessionTraces(pub RwSignal<Vec<(TraceSource, LoadedTrace)>>);

impl SessionTraces {
    pub fn new() -> SessionTraces {
        SessionTraces(RwSignal::new(Vec::new()))
    }

    /// Keeps `loaded` for `source`; a live refresh replaces the older copy in place.
    pub fn record(&self, source: &TraceSource, loaded: &LoadedTrace) {
        self.0.update(
            |traces| match traces.iter_mut().find(|(known, _)| known == source) {
                Some(entry) => entry.1 = loaded.clone(),
                None => traces.push((source.clone(), loaded.clone())),
            },
        );
    }
}

impl Default for SessionTraces {
    fn default() -> SessionTraces {
        SessionTraces::new()
    }
}

/// One trace of this tab, with the id the rollups know it by (its query string, which is
/// unique per source) and a name for people.
#[derive(Clone)]
pub struct SessionTrace {
    pub id: String,
    pub source: TraceSource,
    pub loaded: LoadedTrace,
}

impl SessionTrace {
    /// The trace's name, with the file it came from when that tells runs apart.
    pub fn label(&self) -> String {
        match &self.source {
            TraceSource::File(key) => format!("{} ({key})", self.loaded.trace.name),
            _ => self.loaded.trace.name.clone(),
        }
    }
}

/// The traces of this tab: those shown, in order, then files opened but not shown yet
/// (a drop of several files opens only the first), by key.
pub fn use_session_traces() -> Signal<Vec<SessionTrace>> {
    let shown = use_context::<SessionTraces>();
    let opened = use_context::<OpenedTraces>();
    Signal::derive(move || {
        let mut all: Vec<SessionTrace> = shown
            .map(|shown| {
                shown.0.with(|traces| {
                    traces
                        .iter()
                        .map(|(source, loaded)| entry(source.clone(), loaded.clone()))
                        .collect()
                })
            })
            .unwrap_or_default();
        if let Some(opened) = opened {
            let mut files: Vec<SessionTrace> = opened.0.with(|map| {
                map.iter()
                    .map(|(key, loaded)| entry(TraceSource::File(key.clone()), loaded.clone()))
                    .filter(|file| all.iter().all(|known| known.source != file.source))
                    .collect()
            });
            files.sort_by(|a, b| a.id.cmp(&b.id));
            all.extend(files);
        }
        all
    })
}

fn entry(source: TraceSource, loaded: LoadedTrace) -> SessionTrace {
    SessionTrace {
        id: source.query_string(),
        source,
        loaded,
    }
}

/// Finds a trace by its rollup id.
pub fn by_id<'a>(traces: &'a [SessionTrace], id: &str) -> Option<&'a SessionTrace> {
    traces.iter().find(|trace| trace.id == id)
}
