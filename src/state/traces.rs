//! The traces open in this tab, in one registry: files by key, and every trace the trace page has shown. State layer: uses state, I/O and the core.
//!
//! They live only in memory: nothing is uploaded or stored here (a recent file's bytes go
//! to the Cache API separately, see `io::cache`).

use std::sync::{Arc, OnceLock};

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use web_sys::Blob;

use crate::state::source::TraceSource;
use stepwise_core::baseline::{run_id, Run, RunFigures};
use stepwise_core::model::Trace;
use stepwise_core::recent::entry_key;
use stepwise_core::tree::{step_rows, StepRow};

/// What a trace was read from, as the browser holds it: outside wasm memory, never copied
/// into it by the page (the import worker reads it).
#[derive(Clone)]
pub struct Original {
    /// A picked file as it is (gzip included), or fetched bytes; `None` only in tests.
    blob: Option<SendWrapper<Blob>>,
    /// The input's own name ("run.json.gz" for a compressed file), for downloading it.
    pub name: String,
    /// The id of the input's text (`recent::cache_id`): equal ids, equal content.
    pub content_id: String,
    pub size_bytes: u64,
}

impl Original {
    pub fn new(blob: Blob, name: String, content_id: String) -> Original {
        Original {
            name,
            size_bytes: blob.size() as u64,
            blob: Some(SendWrapper::new(blob)),
            content_id,
        }
    }

    /// What a shared page stands on: it has no input of its own (its trace came already
    /// imported), so "download as loaded" is not offered.
    pub fn shared(meta: &stepwise_core::share::ShareMeta) -> Original {
        Original {
            blob: None,
            name: meta.source.clone(),
            content_id: stepwise_core::recent::cache_id(meta.shared_at.as_bytes()),
            size_bytes: 0,
        }
    }

    /// The input, for "download as loaded" and the recent traces' cache.
    pub fn blob(&self) -> Option<Blob> {
        self.blob.as_deref().cloned()
    }
}

/// A trace as loaded, with the input it came from (for "download as loaded").
#[derive(Clone)]
pub struct LoadedTrace {
    pub trace: Arc<Trace>,
    /// The input as read or fetched (a file of several traces keeps them all).
    pub original: Original,
    /// A file name for downloads: the file's own, or one made from the URL or id.
    pub file_name: String,
    /// The step tree in reading order, built once per trace (see `step_rows`).
    rows: Arc<OnceLock<Arc<Vec<StepRow>>>>,
    /// The figures a baseline compares, derived once per trace (see `baseline_run`).
    figures: Arc<OnceLock<Arc<RunFigures>>>,
}

impl LoadedTrace {
    pub fn new(trace: Arc<Trace>, original: Original, file_name: String) -> LoadedTrace {
        LoadedTrace {
            trace,
            original,
            file_name,
            rows: Arc::default(),
            figures: Arc::default(),
        }
    }

    /// The trace as a run a baseline compares, opened from `source`. Its ids are the ones
    /// its recent entry has, so the same run open and remembered counts once.
    pub fn baseline_run(&self, source: &TraceSource) -> Run {
        let content_id = &self.original.content_id;
        let figures = self
            .figures
            .get_or_init(|| Arc::new(RunFigures::of(&self.trace)));
        Run {
            ids: vec![
                run_id(content_id, &self.trace.id),
                entry_key(source.recent_kind(), content_id, &source.query_string()),
            ],
            name: self.trace.name.clone(),
            figures: RunFigures::clone(figures),
        }
    }

    /// The step tree in reading order. Opening a large file builds it before the page is
    /// shown, in a task of its own: at 100k steps it is tens of milliseconds, which the
    /// page's first render would otherwise add to its own.
    pub fn step_rows(&self) -> Arc<Vec<StepRow>> {
        self.rows
            .get_or_init(|| Arc::new(step_rows(&self.trace)))
            .clone()
    }
}

/// One trace of the registry.
#[derive(Clone)]
struct Entry {
    source: TraceSource,
    loaded: LoadedTrace,
    /// When the trace page first showed it (a count), for the rollups' order; `None` for a
    /// file opened but not shown yet (a drop of several files shows only the first).
    shown: Option<u64>,
}

/// Every trace open in this tab: files opened (`TraceSource::File`, by key) and every
/// trace the trace page has shown (demo, URL, API, file), for the compare page, the cost
/// dashboard and the agent page.
#[derive(Clone, Copy)]
pub struct OpenTraces(RwSignal<Vec<Entry>>);

impl OpenTraces {
    pub fn new() -> OpenTraces {
        OpenTraces(RwSignal::new(Vec::new()))
    }

    /// The file trace kept under `key`, read without tracking.
    pub fn file(&self, key: &str) -> Option<LoadedTrace> {
        self.0.with_untracked(|entries| {
            entries
                .iter()
                .find(|entry| is_file(&entry.source, key))
                .map(|entry| entry.loaded.clone())
        })
    }

    /// Whether a file trace is kept under `key`, read without tracking.
    pub fn has_file(&self, key: &str) -> bool {
        self.file(key).is_some()
    }

    /// The file traces by key, sorted by key (tracked).
    pub fn files(&self) -> Vec<(String, LoadedTrace)> {
        let mut files: Vec<(String, LoadedTrace)> = self.0.with(|entries| {
            entries
                .iter()
                .filter_map(|entry| match &entry.source {
                    TraceSource::File(key) => Some((key.clone(), entry.loaded.clone())),
                    _ => None,
                })
                .collect()
        });
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files
    }

    /// Keeps `loaded` as the file trace `key`, replacing the one kept under it.
    pub fn put_file(&self, key: &str, loaded: LoadedTrace) {
        self.0.update(|entries| put(entries, key, loaded));
    }

    /// Keeps the traces of one file called `name` (first trace first) under keys of their
    /// own: the name, then "name#2", "name#3"…; returns the keys.
    pub fn add_file(&self, name: &str, traces: Vec<LoadedTrace>) -> Vec<String> {
        let mut keys = Vec::with_capacity(traces.len());
        self.0.update(|entries| {
            let Some(original) = traces.first().map(|first| first.original.clone()) else {
                return;
            };
            let base = free_base_key(entries, name, &original);
            for (index, loaded) in traces.into_iter().enumerate() {
                let key = match index {
                    0 => base.clone(),
                    n => format!("{base}#{}", n + 1),
                };
                put(entries, &key, loaded);
                keys.push(key);
            }
        });
        keys
    }

    /// Keeps a trace fetched from a URL or an API as a file trace too, so the compare page
    /// can name it (`file:<key>`); returns its key.
    pub fn keep_as_file(&self, loaded: &LoadedTrace) -> String {
        let mut key = String::new();
        self.0.update(|entries| {
            key = free_base_key(entries, &loaded.file_name, &loaded.original);
            put(entries, &key, loaded.clone());
        });
        key
    }

    /// Records that the trace page shows `loaded` for `source`; a live refresh replaces the
    /// older copy in place.
    pub fn record_shown(&self, source: &TraceSource, loaded: &LoadedTrace) {
        self.0.update(|entries| {
            let next = entries.iter().filter_map(|entry| entry.shown).max();
            let order = next.map_or(0, |n| n + 1);
            match entries.iter_mut().find(|entry| &entry.source == source) {
                Some(entry) => {
                    entry.loaded = loaded.clone();
                    entry.shown = entry.shown.or(Some(order));
                }
                None => entries.push(Entry {
                    source: source.clone(),
                    loaded: loaded.clone(),
                    shown: Some(order),
                }),
            }
        });
    }
}

impl OpenTraces {
    /// The traces of this tab (tracked): those shown, in the order first shown, then files
    /// opened but not shown yet, by key.
    pub fn session(&self) -> Vec<SessionTrace> {
        self.0.with(|entries| {
            let mut shown: Vec<&Entry> = entries.iter().filter(|e| e.shown.is_some()).collect();
            shown.sort_by_key(|entry| entry.shown);
            let mut files: Vec<SessionTrace> = entries
                .iter()
                .filter(|entry| entry.shown.is_none())
                .map(session_trace)
                .collect();
            files.sort_by(|a, b| a.id.cmp(&b.id));
            shown.into_iter().map(session_trace).chain(files).collect()
        })
    }
}

impl Default for OpenTraces {
    fn default() -> OpenTraces {
        OpenTraces::new()
    }
}

fn is_file(source: &TraceSource, key: &str) -> bool {
    matches!(source, TraceSource::File(known) if known == key)
}

fn put(entries: &mut Vec<Entry>, key: &str, loaded: LoadedTrace) {
    match entries.iter_mut().find(|entry| is_file(&entry.source, key)) {
        Some(entry) => entry.loaded = loaded,
        None => entries.push(Entry {
            source: TraceSource::File(key.to_string()),
            loaded,
            shown: None,
        }),
    }
}

/// The key for a file called `name`: the name itself, unless a file of that name with other
/// content is already open (a trace re-run and dropped again), then "name (2)", "name (3)"…
/// so the new one shows instead of the old one under the same address.
fn free_base_key(entries: &[Entry], name: &str, original: &Original) -> String {
    (1..)
        .map(|n| match n {
            1 => name.to_string(),
            n => format!("{name} ({n})"),
        })
        .find(|key| {
            entries
                .iter()
                .find(|entry| is_file(&entry.source, key))
                .is_none_or(|known| known.loaded.original.content_id == original.content_id)
        })
        .unwrap_or_else(|| name.to_string())
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

/// The traces of this tab (`OpenTraces::session`), or none outside the app.
pub fn use_session_traces() -> Signal<Vec<SessionTrace>> {
    let traces = use_context::<OpenTraces>();
    Signal::derive(move || traces.map(|traces| traces.session()).unwrap_or_default())
}

fn session_trace(entry: &Entry) -> SessionTrace {
    SessionTrace {
        id: entry.source.query_string(),
        source: entry.source.clone(),
        loaded: entry.loaded.clone(),
    }
}

/// Finds a trace by its rollup id.
pub fn by_id<'a>(traces: &'a [SessionTrace], id: &str) -> Option<&'a SessionTrace> {
    traces.iter().find(|trace| trace.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loaded(bytes: &[u8]) -> LoadedTrace {
        let demo = include_bytes!("../../public/demo/trace.json");
        let trace = stepwise_core::import::import_bytes(demo).expect("demo imports");
        let original = Original {
            blob: None,
            name: "run.json".into(),
            content_id: stepwise_core::recent::cache_id(bytes),
            size_bytes: bytes.len() as u64,
        };
        LoadedTrace::new(Arc::new(trace[0].clone()), original, "run.json".into())
    }

    fn ids(traces: &OpenTraces) -> Vec<String> {
        traces.session().into_iter().map(|trace| trace.id).collect()
    }

    #[test]
    fn a_file_s_traces_get_keys_of_their_own_and_other_content_a_new_name() {
        let traces = OpenTraces::new();
        let keys = traces.add_file("run.json", vec![loaded(b"a"), loaded(b"a")]);
        assert_eq!(keys, ["run.json", "run.json#2"]);
        // The same file again takes the same keys; a re-run with other bytes does not.
        assert_eq!(
            traces.add_file("run.json", vec![loaded(b"a")]),
            ["run.json"]
        );
        assert_eq!(
            traces.add_file("run.json", vec![loaded(b"b")]),
            ["run.json (2)"]
        );
        assert!(traces.has_file("run.json#2") && !traces.has_file("other.json"));
        let files: Vec<String> = traces.files().into_iter().map(|(key, _)| key).collect();
        assert_eq!(files, ["run.json", "run.json (2)", "run.json#2"]);
    }

    #[test]
    fn the_session_lists_shown_traces_in_order_then_files_not_shown() {
        let traces = OpenTraces::new();
        traces.add_file("b.json", vec![loaded(b"b")]);
        traces.add_file("a.json", vec![loaded(b"a")]);
        let url = TraceSource::Url("https://example.com/run.json".into());
        traces.record_shown(&url, &loaded(b"u"));
        traces.record_shown(&TraceSource::File("b.json".into()), &loaded(b"b"));
        // A live refresh replaces the copy shown, in place.
        traces.record_shown(&url, &loaded(b"u2"));
        assert_eq!(
            ids(&traces),
            [
                url.query_string(),
                TraceSource::File("b.json".into()).query_string(),
                TraceSource::File("a.json".into()).query_string(),
            ]
        );
        assert_eq!(
            traces.session()[0].loaded.original.content_id,
            stepwise_core::recent::cache_id(b"u2")
        );
        // Only files are offered to the compare page.
        assert_eq!(traces.files().len(), 2);
    }
}
