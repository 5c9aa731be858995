//! Talking to a connected trace API from the browser: requests, credentials in session storage, recent bases in local storage. UI layer.
//!
//! Storage is read and written directly (not through reactive hooks) because requests
//! read the credentials at the moment they are sent, from async code.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use gloo_net::http::Request;
use leptos::prelude::{set_timeout_with_handle, window};
use web_sys::{AbortController, RequestMode};

use crate::api::{
    credentials_key, http_failure, list_url, parse_list_page, parse_services, remember_api,
    services_url, trace_url, ApiKind, Credentials, ListPage, SavedApi,
};
use crate::fetch_error::{looks_like_html, FetchFailure, RequestClues};
use crate::source::ApiTrace;

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

/// How long a request may take before the page gives up on it.
const TIMEOUT_MS: u64 = 30_000;

/// GETs `url`, with the credentials entered for `base` only when `url` lies under it.
/// Network, CORS and timeout failures are told apart as `fetch_error` does for `?src=`.
async fn get(base: &str, url: &str) -> Result<Vec<u8>, String> {
    let controller = AbortController::new().ok();
    let timed_out = Rc::new(Cell::new(false));
    let timer = controller.clone().and_then(|controller| {
        let timed_out = timed_out.clone();
        set_timeout_with_handle(
            move || {
                timed_out.set(true);
                controller.abort();
            },
            Duration::from_millis(TIMEOUT_MS),
        )
        .ok()
    });
    let result = send(base, url, controller.as_ref()).await;
    if let Some(timer) = timer {
        timer.clear();
    }
    let timed_out_after_ms = timed_out.get().then_some(TIMEOUT_MS);
    match result {
        Ok(bytes) => Ok(bytes),
        Err(SendError::Message(message)) => Err(message),
        Err(SendError::Request { detail, with_auth }) => {
            // A `no-cors` request (without credentials) that gets an answer proves the
            // server is up, so the failure was CORS withholding the answer.
            let probe_answered = match timed_out_after_ms {
                Some(_) => None,
                None => Some(
                    Request::get(url)
                        .mode(RequestMode::NoCors)
                        .send()
                        .await
                        .is_ok(),
                ),
            };
            let clues = RequestClues {
                timed_out_after_ms,
                cancelled: false,
                probe_answered,
                page_origin: window().location().origin().unwrap_or_default(),
            };
            let failure = FetchFailure::from_request_error(&detail, &clues);
            let mut message = failure.message(url);
            if with_auth && matches!(failure, FetchFailure::CorsBlocked { .. }) {
                message.push_str(
                    " An API that takes credentials must also allow the Authorization header \
                     (Access-Control-Allow-Headers: Authorization).",
                );
            }
            Err(message)
        }
    }
}

enum SendError {
    /// `fetch` itself failed: no answer the page may read.
    Request { detail: String, with_auth: bool },
    /// An answer that says what went wrong.
    Message(String),
}

async fn send(
    base: &str,
    url: &str,
    controller: Option<&AbortController>,
) -> Result<Vec<u8>, SendError> {
    let signal = controller.map(AbortController::signal);
    let mut request = Request::get(url)
        .header("Accept", "application/json")
        .abort_signal(signal.as_ref());
    let authorization = load_credentials(base).and_then(|c| c.authorization_for(url));
    if let Some(value) = &authorization {
        request = request.header("Authorization", value);
    }
    let response = request.send().await.map_err(|error| SendError::Request {
        detail: error.to_string(),
        with_auth: authorization.is_some(),
    })?;
    if !response.ok() {
        return Err(SendError::Message(http_failure(
            response.status(),
            &response.status_text(),
            url,
        )));
    }
    let content_type = response.headers().get("content-type");
    let bytes = response.binary().await.map_err(|_| {
        SendError::Message(format!(
            "The answer from {url} was cut off: the connection dropped or timed out. Retry."
        ))
    })?;
    if looks_like_html(content_type.as_deref(), &bytes) {
        return Err(SendError::Message(format!(
            "{url} answered an HTML page where JSON was expected: the base URL may point at a \
             web page or a sign-in screen rather than the API itself."
        )));
    }
    Ok(bytes)
}

/// The first page of traces of the API at `base`.
pub async fn fetch_list(
    base: &str,
    kind: ApiKind,
    service: Option<&str>,
) -> Result<ListPage, String> {
    let url = list_url(kind, base, service);
    let bytes = get(base, &url).await?;
    parse_list_page(kind, &bytes).map_err(|message| format!("{message} (from {url})"))
}

/// Jaeger's services, sorted.
pub async fn fetch_services(base: &str) -> Result<Vec<String>, String> {
    let url = services_url(base);
    parse_services(&get(base, &url).await?).map_err(|message| format!("{message} (from {url})"))
}

/// Fetches one trace of an API as bytes in a format the importers read.
pub async fn fetch_trace_bytes(trace: &ApiTrace) -> Result<Vec<u8>, String> {
    let url = trace_url(trace.kind, &trace.base, &trace.id)?;
    get(&trace.base, &url).await
}
