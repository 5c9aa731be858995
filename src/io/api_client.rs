//! Talking to a connected trace API from the browser: requests, credentials in session storage, recent bases in local storage. I/O layer: uses only other I/O modules and the core.
//!
//! Storage is read and written directly (not through reactive hooks) because requests
//! read the credentials at the moment they are sent, from async code.

use crate::io::remote::fetch_bytes;
use crate::io::stream::Progress;
use stepwise_core::api::{
    credentials_key, http_failure, list_url, parse_list_page, parse_services, remember_api,
    services_url, tempo_search_url, trace_fallback_url, trace_url, ApiKind, Credentials, ListPage,
    SavedApi,
};
use stepwise_core::fetch_error::{FetchFailure, LoadFailure};

/// Local storage key of the recently used base URLs.
const SAVED_KEY: &str = "stepwise.api.recent";

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The credentials stored in this tab for `base`'s origin, whatever base they were
/// entered for (requests check that themselves).
pub fn load_credentials(base: &str) -> Option<Credentials> {
    let key = credentials_key(base)?;
    let text = session()?.get_item(&key).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

/// Keeps credentials in session storage only: they go when the tab closes.
pub fn save_credentials(credentials: &Credentials) -> Result<(), String> {
    let key = credentials_key(&credentials.base)
        .ok_or_else(|| "The base URL has no origin to keep credentials for.".to_string())?;
    let text = serde_json::to_string(credentials).map_err(|error| error.to_string())?;
    session()
        .ok_or_else(|| "This browser offers no session storage for credentials.".to_string())?
        .set_item(&key, &text)
        .map_err(|_| "The browser refused to keep the credentials for this tab.".to_string())
}

pub fn forget_credentials(base: &str) {
    if let (Some(key), Some(storage)) = (credentials_key(base), session()) {
        let _ = storage.remove_item(&key);
    }
}

/// The base URLs used before, newest first.
pub fn saved_apis() -> Vec<SavedApi> {
    local()
        .and_then(|storage| storage.get_item(SAVED_KEY).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Remembers `base` (never credentials) in local storage.
pub fn remember(base: &str, kind: ApiKind) {
    let saved = remember_api(&saved_apis(), base, kind);
    if let (Some(storage), Ok(text)) = (local(), serde_json::to_string(&saved)) {
        let _ = storage.set_item(SAVED_KEY, &text);
    }
}

/// GETs `url`, with the credentials entered for `base` only when `url` lies under it,
/// through the same watched, abortable fetch as `?src=` (`remote::fetch_bytes`); failures
/// are worded for an API.
async fn get(
    base: &str,
    url: &str,
    progress: Progress,
    timeout_ms: u64,
) -> Result<Vec<u8>, LoadFailure> {
    get_or_fail(base, url, progress, timeout_ms)
        .await
        .map_err(|(failure, authorized)| api_failure(&failure, url, authorized))
}

/// `get`, with the failure as it came and whether credentials went with the request.
async fn get_or_fail(
    base: &str,
    url: &str,
    progress: Progress,
    timeout_ms: u64,
) -> Result<Vec<u8>, (FetchFailure, bool)> {
    let authorization = load_credentials(base).and_then(|c| c.authorization_for(url));
    fetch_bytes(url, authorization.as_deref(), progress, timeout_ms)
        .await
        .map_err(|failure| (failure, authorization.is_some()))
}

/// A failed request to an API, worded for the user.
fn api_failure(failure: &FetchFailure, url: &str, authorized: bool) -> LoadFailure {
    let mut user = failure.for_user(url);
    match &failure {
        FetchFailure::Status {
            status,
            status_text,
        } => user.message = http_failure(*status, status_text, url),
        FetchFailure::NotFound => user.message = http_failure(404, "Not Found", url),
        FetchFailure::Html => {
            user.message = format!(
                "{url} answered an HTML page where JSON was expected: the base URL may point at a \
                 web page or a sign-in screen rather than the API itself."
            )
        }
        FetchFailure::CorsBlocked { .. } if authorized => user.message.push_str(
            " An API that takes credentials must also allow the Authorization header \
             (Access-Control-Allow-Headers: Authorization).",
        ),
        _ => {}
    }
    user
}

/// The first page of traces of the API at `base`.
pub async fn fetch_list(
    base: &str,
    kind: ApiKind,
    service: Option<&str>,
    fetch: ApiFetch,
) -> Result<ListPage, LoadFailure> {
    let url = match kind {
        // Without a window Tempo searches only its most recent data.
        ApiKind::Tempo => tempo_search_url(base, now_s()),
        _ => list_url(kind, base, service),
    };
    let bytes = get(base, &url, fetch.progress, fetch.timeout_ms).await?;
    parse_list_page(kind, &bytes).map_err(|message| format!("{message} (from {url})").into())
}

/// Jaeger's services, sorted.
pub async fn fetch_services(base: &str, fetch: ApiFetch) -> Result<Vec<String>, LoadFailure> {
    let url = services_url(base);
    let bytes = get(base, &url, fetch.progress, fetch.timeout_ms).await?;
    parse_services(&bytes).map_err(|message| format!("{message} (from {url})").into())
}

/// Fetches the trace `id` of the API of `kind` at `base`, as bytes in a format the
/// importers read.
pub async fn fetch_trace_bytes(
    base: &str,
    kind: ApiKind,
    id: &str,
    fetch: ApiFetch,
) -> Result<Vec<u8>, LoadFailure> {
    let url = trace_url(kind, base, id)?;
    let failure = match get_or_fail(base, &url, fetch.progress, fetch.timeout_ms).await {
        Ok(bytes) => return Ok(bytes),
        Err(failure) => failure,
    };
    let Some(older) = trace_fallback_url(kind, base, id, &url, &failure.0) else {
        return Err(api_failure(&failure.0, &url, failure.1));
    };
    get(base, &older, fetch.progress, fetch.timeout_ms)
        .await
        .map_err(|mut user| {
            user.message
                .push_str(&format!(" Asked first: {url}, which was not found."));
            user
        })
}

/// The time now, in Unix seconds.
fn now_s() -> i64 {
    (js_sys::Date::now() / 1000.0).floor() as i64
}

/// Where a request shows its progress (and keeps its abort, so the page that made it can
/// stop it when it goes away), and how long it may stay silent.
#[derive(Clone, Copy)]
pub struct ApiFetch {
    pub progress: Progress,
    pub timeout_ms: u64,
}
