//! Where a trace comes from (a tagged union, as Perfetto does it), and loading it. UI layer.

use std::collections::HashMap;
use std::sync::Arc;

use gloo_net::http::Request;
use leptos::prelude::*;

use crate::import::import_bytes;
use crate::model::Trace;
use crate::pricing::{estimate_costs, PriceTable};

/// The demo ships with the app, beside `index.html`.
pub const DEMO_PATH: &str = "demo/trace.json";
/// Our price table (scripts/gen-prices.py), fetched only to estimate unstated costs.
pub const PRICES_PATH: &str = "prices.json";
/// Prefix of `?trace=` values naming a trace opened from a file in this tab.
const FILE_PREFIX: &str = "file:";

/// A trace source as named in the URL: `?trace=demo` or `?trace=file:run.json`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraceSource {
    Demo,
    /// A trace opened from a file in this tab, by its key in `OpenedTraces`.
    File(String),
}

impl TraceSource {
    /// Reads the `trace` query parameter; an absent one means the demo, so a
    /// newcomer sees a real trace at once.
    pub fn from_query(value: Option<&str>) -> Result<TraceSource, String> {
        match value {
            None | Some("") | Some("demo") => Ok(TraceSource::Demo),
            Some(value) => match value.strip_prefix(FILE_PREFIX) {
                Some(key) if !key.is_empty() => Ok(TraceSource::File(key.to_string())),
                _ => Err(format!(
                    "Unknown trace {value:?} in the address: expected \"demo\" or a file opened in this tab."
                )),
            },
        }
    }

    pub fn query_value(&self) -> String {
        match self {
            TraceSource::Demo => "demo".to_string(),
            TraceSource::File(key) => format!("{FILE_PREFIX}{key}"),
        }
    }
}

/// Traces opened from files in this tab, by key. They live only in memory: nothing is
/// uploaded or stored.
#[derive(Clone, Copy)]
pub struct OpenedTraces(pub RwSignal<HashMap<String, Arc<Trace>>>);

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

/// Loads the first trace of `source`, estimating costs the trace does not state; the
/// error is a sentence for the user.
pub async fn load(source: TraceSource, opened: OpenedTraces) -> Result<Arc<Trace>, String> {
    match source {
        TraceSource::Demo => {
            let bytes = fetch_bytes(DEMO_PATH).await?;
            let mut traces = import_bytes(&bytes).map_err(|error| format!("{DEMO_PATH}: {error}"))?;
            let mut trace = traces.drain(..).next().ok_or_else(|| format!("{DEMO_PATH} holds no trace."))?;
            // Without prices the trace still opens; its unpriced calls are counted as such.
            if let Ok(table) = load_prices().await {
                estimate_costs(&mut trace, &table);
            }
            Ok(Arc::new(trace))
        }
        TraceSource::File(key) => opened.0.with_untracked(|traces| traces.get(&key).cloned()).ok_or_else(|| {
            format!(
                "The trace {key:?} was opened from a file in another page load and is no longer in memory. \
                 Open the file again."
            )
        }),
    }
}

/// Imports `bytes` from a file called `name`, estimates costs and keeps every trace it
/// holds under a key of its own; returns the keys, first trace first.
pub fn open_bytes(
    name: &str,
    bytes: &[u8],
    prices: Option<&PriceTable>,
    opened: OpenedTraces,
) -> Result<Vec<String>, String> {
    let traces = import_bytes(bytes).map_err(|error| format!("{name}: {error}"))?;
    if traces.is_empty() {
        return Err(format!("{name} holds no trace."));
    }
    let mut keys = Vec::with_capacity(traces.len());
    opened.0.update(|map| {
        for (index, mut trace) in traces.into_iter().enumerate() {
            if let Some(table) = prices {
                estimate_costs(&mut trace, table);
            }
            let key = if index == 0 {
                name.to_string()
            } else {
                format!("{name}#{}", index + 1)
            };
            map.insert(key.clone(), Arc::new(trace));
            keys.push(key);
        }
    });
    Ok(keys)
}

async fn load_prices() -> Result<PriceTable, String> {
    let bytes = fetch_bytes(PRICES_PATH).await?;
    let text = String::from_utf8(bytes).map_err(|error| error.to_string())?;
    PriceTable::from_compact_json(&text)
}

async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let response = Request::get(url)
        .send()
        .await
        .map_err(|error| format!("Could not fetch {url}: {error}"))?;
    if !response.ok() {
        return Err(format!(
            "Could not fetch {url}: the server answered {} {}.",
            response.status(),
            response.status_text()
        ));
    }
    response
        .binary()
        .await
        .map_err(|error| format!("Could not read {url}: {error}"))
}
