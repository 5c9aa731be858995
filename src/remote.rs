//! Fetching a trace from any URL (`?src=`). UI layer.

use crate::source::fetch_bytes;

/// A file name for downloads, from the URL's last path segment.
pub fn file_name_of(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    match path.rsplit('/').next() {
        Some(name) if !name.is_empty() => name.to_string(),
        _ => "trace.json".to_string(),
    }
}

/// Fetches the bytes of a trace.
pub async fn fetch_trace_bytes(url: &str) -> Result<Vec<u8>, String> {
    fetch_bytes(url).await
}
