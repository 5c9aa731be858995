//! Where a trace comes from, and fetching its bytes. UI layer (uses gloo-net).

use std::sync::Arc;

use gloo_net::http::Request;

use crate::import::import_bytes;
use crate::model::Trace;

/// The demo ships with the app, beside `index.html`.
pub const DEMO_PATH: &str = "demo/trace.json";

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

/// Fetches and imports the first trace of `source`; the error is a sentence for the user.
pub async fn load(source: TraceSource) -> Result<Arc<Trace>, String> {
    let url = match source {
        TraceSource::Demo => DEMO_PATH,
    };
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
    let bytes = response
        .binary()
        .await
        .map_err(|error| format!("Could not read {url}: {error}"))?;
    let traces = import_bytes(&bytes).map_err(|error| format!("{url}: {error}"))?;
    traces
        .into_iter()
        .next()
        .map(Arc::new)
        .ok_or_else(|| format!("{url} holds no trace."))
}
