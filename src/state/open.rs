//! Opening a trace: one path from a source, a file or bytes, through the import worker, to loaded traces with their costs estimated. State layer: uses state, I/O and the core.

use std::sync::Arc;

use web_sys::Blob;

use crate::io::api_client::{fetch_trace_bytes, ApiFetch};
use crate::io::stream::{yield_to_browser, Progress};
use crate::io::worker::{blob_from, ImportFailure};
use crate::state::source::TraceSource;
use crate::state::traces::{LoadedTrace, OpenTraces, Original};
use stepwise_core::fetch_error::{FetchFailure, LoadFailure};

/// The demo ships with the app, beside `index.html`.
pub const DEMO_PATH: &str = "demo/trace.json";

/// From this many steps, opening a file builds the step tree in a task of its own.
const PREPARE_MIN_STEPS: usize = 5_000;

/// What opening needs from the page: its registry (the import worker prices the traces).
#[derive(Clone, Copy)]
pub struct Opener {
    pub traces: OpenTraces,
}

/// How a load reports progress and how long a fetch may stay silent.
#[derive(Clone, Copy)]
pub struct LoadOptions {
    pub progress: Progress,
    pub timeout_ms: u64,
}

impl Default for LoadOptions {
    fn default() -> LoadOptions {
        LoadOptions {
            progress: Progress::new(),
            timeout_ms: stepwise_core::intake::DEFAULT_TIMEOUT_MS,
        }
    }
}

/// Which traces of a file a load keeps.
#[derive(Clone, Copy)]
enum Keep {
    /// The one a source names: the file's first trace, or its nth ("name#2" is the second).
    Nth(usize),
    /// Every trace of a file opened by the user.
    All,
}

/// An input to import, with the names a failure is worded with.
struct Input {
    file_name: String,
    blob: Blob,
    /// The URL the bytes came from: a body that is no trace is then explained as a fetch
    /// failure naming it (cut off, or not a trace).
    url: Option<String>,
}

impl Opener {
    /// The page's registry, from the context the app provides.
    pub fn from_context() -> Opener {
        Opener {
            traces: leptos::prelude::expect_context::<OpenTraces>(),
        }
    }

    /// Loads the trace `source` names, estimating costs the trace does not state; a file
    /// trace comes from the registry, or after a reload from the recent traces' cache. With
    /// progress shown (and cancellable) and a timeout for fetches; the failure also says
    /// whether to wait (429) or to ask for credentials (401/403).
    pub async fn open(
        self,
        source: TraceSource,
        options: LoadOptions,
    ) -> Result<LoadedTrace, LoadFailure> {
        // The import worker and its module load while the trace downloads.
        crate::io::worker::prewarm();
        let input = match source {
            TraceSource::File(key) => return self.open_file_key(&key).await.map_err(Into::into),
            TraceSource::Shared => return open_shared().await.map_err(Into::into),
            TraceSource::Demo => Input {
                file_name: "demo-trace.json".to_string(),
                blob: blob_from(&crate::io::remote::fetch_asset(DEMO_PATH).await?).await?,
                url: None,
            },
            TraceSource::Url(url) => {
                let (file_name, bytes) =
                    crate::io::remote::fetch_trace(&url, options.progress, options.timeout_ms)
                        .await
                        .map_err(|failure| failure.for_user(&url))?;
                Input {
                    file_name,
                    blob: blob_from(&bytes).await?,
                    url: Some(url),
                }
            }
            TraceSource::Api(api) => {
                let fetch = ApiFetch {
                    progress: options.progress,
                    timeout_ms: options.timeout_ms,
                };
                let bytes = fetch_trace_bytes(&api.base, api.kind, &api.id, fetch).await?;
                Input {
                    file_name: format!("{}-{}.json", api.kind.key(), api.id),
                    blob: blob_from(&bytes).await?,
                    url: None,
                }
            }
        };
        let mut traces = self.import(input, Keep::Nth(0), options.progress).await?;
        Ok(traces.remove(0))
    }

    /// `open`, with the failure as a sentence for the user.
    pub async fn open_simply(self, source: TraceSource) -> Result<LoadedTrace, String> {
        self.open(source, LoadOptions::default())
            .await
            .map_err(|failure| failure.message)
    }

    /// Imports `input`, a file called `name` (a picked file, handed over as it is),
    /// estimates costs and keeps every trace it holds in the registry under a key of its
    /// own; returns the keys, first trace first.
    pub async fn open_blob(
        self,
        name: &str,
        input: Blob,
        progress: Progress,
    ) -> Result<Vec<String>, String> {
        let input = Input {
            file_name: name.to_string(),
            blob: input,
            url: None,
        };
        let traces = self.import(input, Keep::All, progress).await?;
        let content_name = traces
            .first()
            .map_or_else(|| name.to_string(), |first| first.file_name.clone());
        Ok(self.traces.add_file(&content_name, traces))
    }

    /// `open_blob` for bytes already in wasm memory (pasted text, an embedding page's).
    pub async fn open_bytes(
        self,
        name: &str,
        bytes: &[u8],
        progress: Progress,
    ) -> Result<Vec<String>, String> {
        self.open_blob(name, blob_from(bytes).await?, progress)
            .await
    }

    /// The file trace `key`: from the registry, or, after a reload, read back from the
    /// recent traces' cache and kept under its old key.
    async fn open_file_key(self, key: &str) -> Result<LoadedTrace, String> {
        if let Some(loaded) = self.traces.file(key) {
            return Ok(loaded);
        }
        let gone = || {
            format!(
                "The trace {key:?} was opened from a file in another page load, and this browser \
                 no longer keeps a copy. Open the file again."
            )
        };
        let query = TraceSource::File(key.to_string()).query_string();
        let (file_name, blob) = cached_file(&query).await.ok_or_else(gone)?;
        let index = crate::state::source::file_trace_index(key);
        let input = Input {
            file_name,
            blob,
            url: None,
        };
        let mut traces = self
            .import(input, Keep::Nth(index), Progress::new())
            .await
            .map_err(|_| gone())?;
        let loaded = traces.remove(0);
        self.traces.put_file(key, loaded.clone());
        Ok(loaded)
    }

    /// The one way inputs become loaded traces: imported and priced in the import worker,
    /// the traces `keep` asks for kept, the step tree of a large one built in a task of its
    /// own. Never empty when it succeeds.
    async fn import(
        self,
        input: Input,
        keep: Keep,
        progress: Progress,
    ) -> Result<Vec<LoadedTrace>, String> {
        let Input {
            file_name,
            blob,
            url,
        } = input;
        let imported = crate::io::worker::import(&blob, &file_name, progress)
            .await
            .map_err(|failure| match failure {
                ImportFailure::Cancelled => format!("Opening {file_name} was cancelled."),
                ImportFailure::Message(message) => message,
            })?;
        let traces = imported.outcome.map_err(|error| match &url {
            Some(url) => FetchFailure::from_import(&error).message(url),
            None => format!("{file_name}: {error}"),
        })?;
        let kept: Vec<_> = match keep {
            Keep::Nth(index) => traces.into_iter().skip(index).take(1).collect(),
            Keep::All => traces,
        };
        if kept.is_empty() {
            return Err(match &url {
                Some(url) => format!("The file at {url} holds no trace."),
                None => format!("{file_name} holds no trace."),
            });
        }
        let original = Original::new(blob, file_name.clone(), imported.content_id);
        let mut loaded = Vec::with_capacity(kept.len());
        for trace in kept {
            let large = trace.steps.len() >= PREPARE_MIN_STEPS;
            let one = LoadedTrace::new(Arc::new(trace), original.clone(), imported.name.clone());
            if large {
                // Estimating, building the step tree and rendering the page: a task each.
                // Without a way to yield they run on in this task, as for a small trace.
                let _ = yield_to_browser().await;
                one.step_rows();
                let _ = yield_to_browser().await;
            }
            loaded.push(one);
        }
        Ok(loaded)
    }
}

/// The trace this shared page carries, as the sharer saw it: with their annotations.
async fn open_shared() -> Result<LoadedTrace, String> {
    let embedded = crate::io::share::embedded()?;
    let mut traces = crate::io::worker::decode_shared(&embedded.trace).await?;
    if traces.is_empty() {
        return Err("This shared trace cannot be shown: it holds no trace.".to_string());
    }
    let mut trace = traces.swap_remove(0);
    // The sharer's notes as they were on their page, edits included.
    if let Some(notes) = embedded
        .meta
        .notes
        .as_ref()
        .and_then(|notes| serde_json::from_value(notes.clone()).ok())
    {
        trace.notes = notes;
    }
    let file_name = embedded.meta.source.clone();
    let original = Original::shared(&embedded.meta);
    Ok(LoadedTrace::new(Arc::new(trace), original, file_name))
}

/// The file name and input of the recent trace opened by `query`, from this browser's
/// cache.
async fn cached_file(query: &str) -> Option<(String, Blob)> {
    let stored = leptos::prelude::window()
        .local_storage()
        .ok()
        .flatten()?
        .get_item(stepwise_core::recent::STORAGE_KEY)
        .ok()
        .flatten()?;
    let entry = stepwise_core::recent::from_json(&stored)
        .into_iter()
        .find(|entry| entry.source.query == query)?;
    let blob = crate::io::cache::load(entry.cache_id()?)
        .await
        .ok()
        .flatten()?;
    Some((entry.file_name, blob))
}
