//! Talking to a connected trace API from the browser. UI layer.

use crate::source::ApiTrace;

/// Fetches one trace of an API as bytes in a format the importers read.
pub async fn fetch_trace_bytes(trace: &ApiTrace) -> Result<Vec<u8>, String> {
    Err(format!(
        "Opening traces from {} is not available yet.",
        trace.kind.label()
    ))
}
