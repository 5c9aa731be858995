//! Where a trace comes from (a tagged union, as Perfetto does it), and loading it. State layer: uses other state modules, I/O and the core.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use leptos::prelude::*;

use crate::io::stream::Progress;
use stepwise_core::model::Trace;
use stepwise_core::pricing::{estimate_costs, PriceTable};
use stepwise_core::rollup::RankBy;
use stepwise_core::tree::{step_rows, StepRow};

use stepwise_core::api::ApiKind;
use stepwise_core::view_query::ViewQuery;

/// The demo ships with the app, beside `index.html`.
pub const DEMO_PATH: &str = "demo/trace.json";
/// Our price table (scripts/gen-prices.py), fetched only to estimate unstated costs.
pub const PRICES_PATH: &str = "prices.json";
/// Prefix of `?trace=` values naming a trace opened from a file in this tab.
const FILE_PREFIX: &str = "file:";

/// A trace source as named in the URL: `?trace=demo`, `?trace=file:run.json`,
/// `?src=https://…/run.json` or `?api=https://…&kind=langfuse&id=abc`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraceSource {
    Demo,
    /// A trace opened from a file in this tab, by its key in `OpenedTraces`.
    File(String),
    /// A trace fetched from any URL (`?src=`).
    Url(String),
    /// One trace of a connected API.
    Api(ApiTrace),
}

/// One trace of an API: where the API is, which kind it speaks, and the trace's id.
/// Credentials are never part of it: they stay in session storage (see `api_client`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiTrace {
    pub base: String,
    pub kind: ApiKind,
    pub id: String,
}

/// What the address asks the app to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Page {
    /// No trace named: open a file, a URL, an API, the demo or a recent trace.
    Home,
    /// The trace list of a connected API (`?api=…&kind=…`, no `id`).
    TraceList {
        base: String,
        kind: ApiKind,
    },
    Trace(TraceSource),
    /// Two traces side by side (`?compare=demo&with=file:run.json`); `b` is picked on the
    /// page when the address names only `a`.
    Compare {
        a: TraceSource,
        b: Option<TraceSource>,
    },
    /// The cost dashboard over the traces loaded in this tab (`?dashboard=cost` or
    /// `?dashboard=tokens`, the figure it ranks by).
    Dashboard {
        by: RankBy,
    },
    /// One agent, by role, across the traces loaded in this tab (`?agent_page=<role>`).
    Agent {
        role: String,
    },
}

impl Page {
    /// Reads the page from the query; the error is a sentence for the user.
    pub fn from_query(query: &ViewQuery) -> Result<Page, String> {
        if let Some(a) = query.kept("compare") {
            return Ok(Page::Compare {
                a: TraceSource::from_trace_param(a)?,
                b: query
                    .kept("with")
                    .map(TraceSource::from_trace_param)
                    .transpose()?,
            });
        }
        if let Some(by) = query.kept("dashboard") {
            let by = match by {
                "tokens" => RankBy::Tokens,
                _ => RankBy::CostUsd,
            };
            return Ok(Page::Dashboard { by });
        }
        if let Some(role) = query.kept("agent_page") {
            return Ok(Page::Agent {
                role: role.to_string(),
            });
        }
        if let Some(url) = query.kept("src") {
            return Ok(Page::Trace(TraceSource::Url(url.to_string())));
        }
        if let Some(base) = query.kept("api") {
            let kind = ApiKind::from_key(query.kept("kind").unwrap_or("stepwise"))?;
            let base = base.to_string();
            return Ok(match query.kept("id") {
                Some(id) => Page::Trace(TraceSource::Api(ApiTrace {
                    base,
                    kind,
                    id: id.to_string(),
                })),
                None => Page::TraceList { base, kind },
            });
        }
        match query.trace.as_deref() {
            None => Ok(Page::Home),
            Some(value) => TraceSource::from_trace_param(value).map(Page::Trace),
        }
    }
}

impl TraceSource {
    /// Reads the `trace` query parameter.
    pub fn from_trace_param(value: &str) -> Result<TraceSource, String> {
        match value {
            "demo" => Ok(TraceSource::Demo),
            value => match value.strip_prefix(FILE_PREFIX) {
                Some(key) if !key.is_empty() => Ok(TraceSource::File(key.to_string())),
                _ => Err(format!(
                    "Unknown trace {value:?} in the address: expected \"demo\" or a file opened in this tab."
                )),
            },
        }
    }

    /// The `trace` parameter naming this source, for the sources that have one (the
    /// compare page names its two traces this way).
    pub fn trace_param(&self) -> Option<String> {
        match self {
            TraceSource::Demo => Some("demo".to_string()),
            TraceSource::File(key) => Some(format!("{FILE_PREFIX}{key}")),
            TraceSource::Url(_) | TraceSource::Api(_) => None,
        }
    }

    /// The query string of the compare page for `a` and, if chosen, `b`.
    pub fn compare_query(a: &str, b: Option<&str>) -> String {
        let mut query = ViewQuery::default();
        query.kept.push(("compare".into(), a.to_string()));
        if let Some(b) = b {
            query.kept.push(("with".into(), b.to_string()));
        }
        query.to_query_string()
    }

    /// The view that opens this source, to add a selection to (cross-trace pages link
    /// into a trace with a task, agent or step selected).
    pub fn view_query(&self) -> ViewQuery {
        let mut query = ViewQuery::default();
        match self {
            TraceSource::Demo => query.trace = Some("demo".to_string()),
            TraceSource::File(key) => query.trace = Some(format!("{FILE_PREFIX}{key}")),
            TraceSource::Url(url) => query.kept.push(("src".into(), url.clone())),
            TraceSource::Api(api) => {
                query.kept.push(("api".into(), api.base.clone()));
                query.kept.push(("kind".into(), api.kind.key().into()));
                query.kept.push(("id".into(), api.id.clone()));
            }
        }
        query
    }

    /// The query string that opens this source, starting with `?`.
    pub fn query_string(&self) -> String {
        self.view_query().to_query_string()
    }
}

/// A trace as loaded, with the bytes it came from (for "download as loaded").
#[derive(Clone)]
pub struct LoadedTrace {
    pub trace: Arc<Trace>,
    /// The bytes as read or fetched (a file of several traces keeps them all). Moved in,
    /// never copied: for a large trace a copy is tens of milliseconds of frozen page.
    pub original: Arc<Vec<u8>>,
    /// A file name for downloads: the file's own, or one made from the URL or id.
    pub file_name: String,
    /// The step tree in reading order, built once per trace (see `step_rows`).
    rows: Arc<OnceLock<Arc<Vec<StepRow>>>>,
}

impl LoadedTrace {
    pub fn new(trace: Arc<Trace>, original: Arc<Vec<u8>>, file_name: String) -> LoadedTrace {
        LoadedTrace {
            trace,
            original,
            file_name,
            rows: Arc::default(),
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

/// Traces opened from files in this tab, by key. They live only in memory: nothing is
/// uploaded or stored.
#[derive(Clone, Copy)]
pub struct OpenedTraces(pub RwSignal<HashMap<String, LoadedTrace>>);

/// The price table, fetched once per tab.
#[derive(Clone, Copy)]
pub struct Prices(pub LocalResource<Option<Arc<PriceTable>>>);

impl Prices {
    pub fn new() -> Prices {
        Prices(LocalResource::new(|| async {
            load_prices().await.ok().map(Arc::new)
        }))
    }
}

impl Default for Prices {
    fn default() -> Prices {
        Prices::new()
    }
}

/// How a load reports progress and how long a fetch may stay silent.
#[derive(Clone, Copy)]
pub struct LoadOptions {
    pub progress: crate::io::stream::Progress,
    pub timeout_ms: u64,
}

impl Default for LoadOptions {
    fn default() -> LoadOptions {
        LoadOptions {
            progress: crate::io::stream::Progress::new(),
            timeout_ms: stepwise_core::intake::DEFAULT_TIMEOUT_MS,
        }
    }
}

/// Loads the first trace of `source`, estimating costs the trace does not state; the
/// error is a sentence for the user.
pub async fn load(source: TraceSource, opened: OpenedTraces) -> Result<LoadedTrace, String> {
    load_with(source, opened, LoadOptions::default())
        .await
        .map_err(|failure| failure.message)
}

/// `load`, with progress shown (and cancellable) for a `?src=` URL and its own timeout; the
/// failure also says whether to wait (429) or to ask for credentials (401/403).
pub async fn load_with(
    source: TraceSource,
    opened: OpenedTraces,
    options: LoadOptions,
) -> Result<LoadedTrace, stepwise_core::fetch_error::LoadFailure> {
    let (file_name, bytes) = match source {
        TraceSource::Demo => (
            "demo-trace.json".to_string(),
            crate::io::remote::fetch_asset(DEMO_PATH).await?,
        ),
        TraceSource::File(key) => {
            if let Some(loaded) = opened.0.with_untracked(|traces| traces.get(&key).cloned()) {
                return Ok(loaded);
            }
            // After a reload the file is gone from memory, but a recent trace's bytes may
            // still be in this browser's cache.
            return reopen_from_cache(&key, opened).await.ok_or_else(|| {
                format!(
                    "The trace {key:?} was opened from a file in another page load, and this browser \
                     no longer keeps a copy. Open the file again."
                )
                .into()
            });
        }
        TraceSource::Url(url) => {
            let (file_name, bytes) =
                crate::io::remote::fetch_trace(&url, options.progress, options.timeout_ms)
                    .await
                    .map_err(|failure| failure.for_user(&url))?;
            let table = load_prices().await.ok();
            return import_url(&url, &file_name, bytes, table.as_ref(), options.progress)
                .await
                .map_err(Into::into);
        }
        TraceSource::Api(api) => (
            format!("{}-{}.json", api.kind.key(), api.id),
            crate::io::api_client::fetch_trace_bytes(
                &api.base,
                api.kind,
                &api.id,
                crate::io::api_client::ApiFetch {
                    progress: options.progress,
                    timeout_ms: options.timeout_ms,
                },
            )
            .await?,
        ),
    };
    let table = load_prices().await.ok();
    import_first(&file_name, bytes, table.as_ref(), options.progress)
        .await
        .map_err(Into::into)
}

/// A file trace of an earlier page load, read back from the recent traces' cache and
/// kept in `opened` under its old key.
async fn reopen_from_cache(key: &str, opened: OpenedTraces) -> Option<LoadedTrace> {
    let query = TraceSource::File(key.to_string()).query_string();
    let stored = window()
        .local_storage()
        .ok()
        .flatten()?
        .get_item(stepwise_core::recent::STORAGE_KEY)
        .ok()
        .flatten()?;
    let entry = stepwise_core::recent::from_json(&stored)
        .into_iter()
        .find(|entry| entry.source.query == query)?;
    let bytes = crate::io::cache::load(entry.cache_id()?)
        .await
        .ok()
        .flatten()?;
    // A file of several traces keeps them as "name", "name#2", …
    let index = key
        .rsplit_once('#')
        .and_then(|(_, n)| n.parse::<usize>().ok())
        .map_or(0, |n| n.saturating_sub(1));
    let table = load_prices().await.ok();
    let trace = crate::io::worker::import(&bytes, &entry.file_name, Progress::new())
        .await
        .ok()?
        .ok()?
        .into_iter()
        .nth(index)?;
    let loaded = priced(&entry.file_name, trace, bytes, table.as_ref());
    opened
        .0
        .update(|traces| drop(traces.insert(key.to_string(), loaded.clone())));
    Some(loaded)
}

/// `import_first` for a fetched body: a body that is no trace is explained as a fetch
/// failure naming the URL (cut off, or not a trace).
async fn import_url(
    url: &str,
    file_name: &str,
    bytes: Vec<u8>,
    prices: Option<&PriceTable>,
    progress: Progress,
) -> Result<LoadedTrace, String> {
    let traces = crate::io::worker::import(&bytes, file_name, progress)
        .await
        .map_err(|_| cancelled(file_name))?
        .map_err(|error| {
            stepwise_core::fetch_error::FetchFailure::from_import(&error).message(url)
        })?;
    let trace = traces
        .into_iter()
        .next()
        .ok_or_else(|| format!("The file at {url} holds no trace."))?;
    Ok(priced(file_name, trace, bytes, prices))
}

/// Imports the first trace of `bytes`, estimating costs from `prices` where known.
pub async fn import_first(
    file_name: &str,
    bytes: Vec<u8>,
    prices: Option<&PriceTable>,
    progress: Progress,
) -> Result<LoadedTrace, String> {
    let traces = crate::io::worker::import(&bytes, file_name, progress)
        .await
        .map_err(|_| cancelled(file_name))?
        .map_err(|error| format!("{file_name}: {error}"))?;
    let trace = traces
        .into_iter()
        .next()
        .ok_or_else(|| format!("{file_name} holds no trace."))?;
    Ok(priced(file_name, trace, bytes, prices))
}

/// From this many steps, opening a file builds the step tree in a task of its own.
const PREPARE_MIN_STEPS: usize = 5_000;

fn cancelled(name: &str) -> String {
    format!("Opening {name} was cancelled.")
}

/// A loaded trace with costs estimated from `prices` where known. Without prices the trace
/// still opens; its unpriced calls are counted as such.
fn priced(
    file_name: &str,
    mut trace: Trace,
    bytes: Vec<u8>,
    prices: Option<&PriceTable>,
) -> LoadedTrace {
    if let Some(table) = prices {
        estimate_costs(&mut trace, table);
    }
    LoadedTrace::new(Arc::new(trace), Arc::new(bytes), file_name.to_string())
}

/// Imports `bytes` from a file called `name`, estimates costs and keeps every trace it
/// holds under a key of its own; returns the keys, first trace first.
pub async fn open_bytes(
    name: &str,
    bytes: Vec<u8>,
    prices: Option<&PriceTable>,
    opened: OpenedTraces,
    progress: Progress,
) -> Result<Vec<String>, String> {
    let traces = crate::io::worker::import(&bytes, name, progress)
        .await
        .map_err(|_| cancelled(name))?
        .map_err(|error| format!("{name}: {error}"))?;
    if traces.is_empty() {
        return Err(format!("{name} holds no trace."));
    }
    let original = Arc::new(bytes);
    let mut loaded = Vec::with_capacity(traces.len());
    for mut trace in traces {
        if let Some(table) = prices {
            estimate_costs(&mut trace, table);
        }
        let large = trace.steps.len() >= PREPARE_MIN_STEPS;
        let one = LoadedTrace::new(Arc::new(trace), original.clone(), name.to_string());
        if large {
            // Estimating, building the step tree and rendering the page: a task each.
            // Without a way to yield they run on in this task, as for a small trace.
            let _ = crate::io::stream::yield_to_browser().await;
            one.step_rows();
            let _ = crate::io::stream::yield_to_browser().await;
        }
        loaded.push(one);
    }
    let mut keys = Vec::with_capacity(loaded.len());
    opened.0.update(|map| {
        let base = free_base_key(map, name, &original);
        for (index, one) in loaded.into_iter().enumerate() {
            let key = if index == 0 {
                base.clone()
            } else {
                format!("{base}#{}", index + 1)
            };
            map.insert(key.clone(), one);
            keys.push(key);
        }
    });
    Ok(keys)
}

/// Keeps a trace fetched from a URL or an API among this tab's opened traces, so the
/// compare page can name it (`file:<key>`); returns its key.
pub fn keep_opened(opened: OpenedTraces, loaded: &LoadedTrace) -> String {
    let mut key = String::new();
    opened.0.update(|map| {
        key = free_base_key(map, &loaded.file_name, &loaded.original);
        map.insert(key.clone(), loaded.clone());
    });
    key
}

/// The key for a file called `name`: the name itself, unless a file of that name with other
/// content is already open (a trace re-run and dropped again), then "name (2)", "name (3)"…
/// so the new one shows instead of the old one under the same address.
fn free_base_key(map: &HashMap<String, LoadedTrace>, name: &str, bytes: &[u8]) -> String {
    (1..)
        .map(|n| match n {
            1 => name.to_string(),
            n => format!("{name} ({n})"),
        })
        .find(|key| {
            map.get(key)
                .is_none_or(|known| &known.original[..] == bytes)
        })
        .unwrap_or_else(|| name.to_string())
}

async fn load_prices() -> Result<PriceTable, String> {
    let bytes = crate::io::remote::fetch_asset(PRICES_PATH).await?;
    let text = String::from_utf8(bytes).map_err(|error| error.to_string())?;
    PriceTable::from_compact_json(&text)
}

#[cfg(test)]
mod compare_page_tests {
    use super::*;

    fn page(pairs: &[(&str, &str)]) -> Result<Page, String> {
        Page::from_query(&ViewQuery::from_pairs(pairs.iter().copied()))
    }

    #[test]
    fn the_compare_page_names_two_traces_by_their_trace_parameter() {
        assert_eq!(
            page(&[("compare", "demo"), ("with", "file:run (2).json")]),
            Ok(Page::Compare {
                a: TraceSource::Demo,
                b: Some(TraceSource::File("run (2).json".into())),
            })
        );
        assert_eq!(
            page(&[("compare", "file:a.json")]),
            Ok(Page::Compare {
                a: TraceSource::File("a.json".into()),
                b: None,
            })
        );
        assert!(page(&[("compare", "nonsense")]).is_err());
        assert!(page(&[("compare", "demo"), ("with", "file:")]).is_err());
        // Without `compare`, `with` alone changes nothing.
        assert_eq!(page(&[("with", "demo")]), Ok(Page::Home));
    }

    #[test]
    fn the_compare_query_round_trips() {
        let query = TraceSource::compare_query("demo", Some("file:b&c.json"));
        assert_eq!(query, "?compare=demo&with=file%3Ab%26c.json");
        let a = TraceSource::File("x.json".into()).trace_param();
        assert_eq!(a.as_deref(), Some("file:x.json"));
        assert_eq!(
            TraceSource::Url("https://x.test".into()).trace_param(),
            None
        );
        assert_eq!(TraceSource::compare_query("demo", None), "?compare=demo");
    }
}

#[cfg(test)]
mod rollup_page_tests {
    use super::*;

    fn page(pairs: &[(&str, &str)]) -> Result<Page, String> {
        Page::from_query(&ViewQuery::from_pairs(pairs.iter().copied()))
    }

    #[test]
    fn the_dashboard_and_the_agent_page_are_read_from_the_address() {
        assert_eq!(
            page(&[("dashboard", "cost")]),
            Ok(Page::Dashboard {
                by: RankBy::CostUsd
            })
        );
        assert_eq!(
            page(&[("dashboard", "tokens")]),
            Ok(Page::Dashboard { by: RankBy::Tokens })
        );
        // A hand-edited value still opens the dashboard, by cost.
        assert_eq!(
            page(&[("dashboard", "money")]),
            Ok(Page::Dashboard {
                by: RankBy::CostUsd
            })
        );
        assert_eq!(
            page(&[("agent_page", "Fact Checker")]),
            Ok(Page::Agent {
                role: "Fact Checker".into()
            })
        );
        // `agent=` stays the trace page's selection, not the agent page.
        assert_eq!(
            page(&[("trace", "demo"), ("agent", "agent-writer")]),
            Ok(Page::Trace(TraceSource::Demo))
        );
    }

    #[test]
    fn a_source_s_view_query_links_into_it_with_a_selection() {
        let query = TraceSource::File("run 1.json".into())
            .view_query()
            .with_selection(Some(stepwise_core::view_query::Selection::Task(
                "t1".into(),
            )));
        assert_eq!(
            query.to_query_string(),
            "?trace=file%3Arun%201.json&task=t1"
        );
        assert_eq!(
            TraceSource::Demo.view_query().to_query_string(),
            TraceSource::Demo.query_string()
        );
    }
}
