//! Where a trace comes from, and fetching its bytes. UI layer (uses gloo-net).

use std::sync::Arc;

use gloo_net::http::Request;

use crate::import::import_bytes;
use crate::model::Trace;
use crate::pricing::{estimate_costs, PriceTable};

/// The demo ships with the app, beside `index.html`.
pub const DEMO_PATH: &str = "demo/trace.json";
/// Our price table (scripts/gen-prices.py), fetched only to estimate unstated costs.
pub const PRICES_PATH: &str = "prices.json";

/// A trace source as named in the URL: `?trace=demo`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraceSource {
    Demo,
}

impl TraceSource {
    /// Reads the `trace` query parameter; an absent one means the demo, so a
    /// newcomer sees a real trace at once.
    pub fn from_query(value: Option<&str>) -> Result<TraceSource, String> {
        match value {
            None | Some("") | Some("demo") => Ok(TraceSource::Demo),
            Some(other) => Err(format!(
                "Unknown trace {other:?} in the address: expected \"demo\"."
            )),
        }
    }

    pub fn query_value(&self) -> &'static str {
        match self {
            TraceSource::Demo => "demo",
        }
    }
}

/// Fetches and imports the first trace of `source`, estimating costs the trace does not
/// state; the error is a sentence for the user.
pub async fn load(source: TraceSource) -> Result<Arc<Trace>, String> {
    let url = match source {
        TraceSource::Demo => DEMO_PATH,
    };
    let bytes = fetch_bytes(url).await?;
    let traces = import_bytes(&bytes).map_err(|error| format!("{url}: {error}"))?;
    let mut trace = traces
        .into_iter()
        .next()
        .ok_or_else(|| format!("{url} holds no trace."))?;
    // Without prices the trace still opens; its unpriced calls are counted as such.
    if let Ok(table) = load_prices().await {
        estimate_costs(&mut trace, &table);
    }
    Ok(Arc::new(trace))
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
