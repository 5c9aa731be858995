//! Fetching a trace from any URL (`?src=`), and the app's own files. I/O layer: uses only other I/O modules and the core.
//!
//! A trace is streamed with progress, cancellable, with a timeout, and every failure is
//! classified by `fetch_error`.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use gloo_net::http::Request;
use leptos::prelude::{set_timeout_with_handle, window, TimeoutHandle};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, RequestMode, Response};

use crate::io::offline::is_online;
use crate::io::stream::{gunzip_if_needed, read_stream, Progress};
use stepwise_core::fetch_error::{retry_after_s, FetchFailure, RequestClues};

/// A file name for downloads, from the URL's last path segment.
pub fn file_name_of(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    match path.rsplit('/').next() {
        Some(name) if !name.is_empty() => name.to_string(),
        _ => "trace.json".to_string(),
    }
}

/// Aborts a request when nothing has arrived for `timeout_ms`; re-armed at each chunk, so a
/// large trace on a slow line is not cut off as long as it keeps coming.
struct Watchdog {
    timeout_ms: u64,
    controller: AbortController,
    fired: Rc<Cell<bool>>,
    handle: Option<TimeoutHandle>,
}

impl Watchdog {
    fn start(timeout_ms: u64, controller: &AbortController) -> Watchdog {
        let mut watchdog = Watchdog {
            timeout_ms,
            controller: controller.clone(),
            fired: Rc::new(Cell::new(false)),
            handle: None,
        };
        watchdog.arm();
        watchdog
    }

    fn arm(&mut self) {
        if let Some(handle) = self.handle.take() {
            handle.clear();
        }
        let (fired, controller) = (self.fired.clone(), self.controller.clone());
        let fire = move || {
            fired.set(true);
            controller.abort();
        };
        self.handle = set_timeout_with_handle(fire, Duration::from_millis(self.timeout_ms)).ok();
    }

    fn timed_out_after_ms(&self) -> Option<u64> {
        self.fired.get().then_some(self.timeout_ms)
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            handle.clear();
        }
    }
}

/// A GET of `url` exactly as written. (gloo-net's builder appends "&" to a URL that already
/// has a query, which can break signed URLs.) `authorization` goes as that header.
async fn send(
    url: &str,
    mode: RequestMode,
    signal: &AbortSignal,
    authorization: Option<&str>,
) -> Result<Response, JsValue> {
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    init.set_mode(mode);
    init.set_signal(Some(signal));
    if mode == RequestMode::Cors {
        let headers = web_sys::Headers::new()?;
        headers.set("Accept", "application/json, */*;q=0.5")?;
        if let Some(value) = authorization {
            headers.set("Authorization", value)?;
        }
        init.set_headers(&headers);
    }
    let answer = JsFuture::from(window().fetch_with_str_and_init(url, &init)).await?;
    answer.dyn_into::<Response>()
}

fn detail_of(error: &JsValue) -> String {
    match error.dyn_ref::<js_sys::Error>() {
        Some(error) => String::from(error.message()),
        None => "no detail".to_string(),
    }
}

/// Whether `url` (maybe relative) is on another origin than this page.
fn is_cross_origin(url: &str) -> bool {
    let location = window().location();
    let (Ok(href), Ok(origin)) = (location.href(), location.origin()) else {
        return true;
    };
    web_sys::Url::new_with_base(url, &href)
        .map(|resolved| resolved.origin() != origin)
        .unwrap_or(true)
}

/// Asks for `url` again in `no-cors` mode: the answer is opaque, but that there is one at
/// all proves the server is reachable, so an earlier failure was CORS refusing the read.
async fn probe_answers(url: &str, timeout_ms: u64) -> bool {
    let Ok(controller) = AbortController::new() else {
        return false;
    };
    let _watchdog = Watchdog::start(timeout_ms, &controller);
    send(url, RequestMode::NoCors, &controller.signal(), None)
        .await
        .is_ok()
}

/// Fetches a trace, showing progress; returns the content's file name and bytes, decompressed
/// if they were gzip.
pub async fn fetch_trace(
    url: &str,
    progress: Progress,
    timeout_ms: u64,
) -> Result<(String, Vec<u8>), FetchFailure> {
    let bytes = fetch_bytes(url, None, progress, timeout_ms).await?;
    gunzip_if_needed(&file_name_of(url), bytes)
        .await
        .map_err(|detail| FetchFailure::BadGzip { detail })
}

/// GETs `url` whole, with `authorization` if given. `progress` shows the download and
/// holds the request's abort: Cancel, and the page that started it going away
/// (`Progress::cancel` on cleanup), stop it at once.
pub async fn fetch_bytes(
    url: &str,
    authorization: Option<&str>,
    progress: Progress,
    timeout_ms: u64,
) -> Result<Vec<u8>, FetchFailure> {
    let controller = AbortController::new().map_err(|_| FetchFailure::Network {
        detail: "this browser cannot make requests".into(),
    })?;
    progress.start(url, None, Some(controller.clone()));
    let result = fetch_body(url, authorization, progress, timeout_ms, &controller).await;
    progress.finish();
    result
}

async fn fetch_body(
    url: &str,
    authorization: Option<&str>,
    progress: Progress,
    timeout_ms: u64,
    controller: &AbortController,
) -> Result<Vec<u8>, FetchFailure> {
    let mut watchdog = Watchdog::start(timeout_ms, controller);
    let clues = |watchdog: &Watchdog| RequestClues {
        timed_out_after_ms: watchdog.timed_out_after_ms(),
        cancelled: progress.is_cancelled(),
        probe_answered: None,
        page_origin: window().location().origin().unwrap_or_default(),
        offline: !is_online(),
    };
    let sent = send(url, RequestMode::Cors, &controller.signal(), authorization).await;
    let response = match sent {
        Ok(response) => response,
        Err(error) => {
            let mut clues = clues(&watchdog);
            drop(watchdog);
            // Only a cross-origin request can be refused by CORS; probing after our own
            // abort would only repeat it.
            if !clues.cancelled
                && clues.timed_out_after_ms.is_none()
                && !clues.offline
                && is_cross_origin(url)
            {
                clues.probe_answered = Some(probe_answers(url, timeout_ms).await);
            }
            return Err(FetchFailure::from_request_error(&detail_of(&error), &clues));
        }
    };
    let headers = response.headers();
    if let Some(failure) = FetchFailure::from_status(response.status(), &response.status_text()) {
        let retry_after = headers.get("retry-after").ok().flatten();
        let now_ms = js_sys::Date::now() as i64;
        return Err(
            failure.with_retry_after(retry_after.and_then(|value| retry_after_s(&value, now_ms)))
        );
    }
    let expected_bytes = headers
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|length| length.trim().parse::<u64>().ok());
    progress.set_total_bytes(expected_bytes);
    let Some(stream) = response.body() else {
        return Err(FetchFailure::from_import(
            &stepwise_core::import::ImportError::Empty,
        ));
    };
    let read = read_stream(
        &stream,
        expected_bytes,
        |bytes| {
            watchdog.arm();
            progress.advance(bytes);
        },
        || true,
    )
    .await;
    let body = match read {
        Ok(body) => body,
        Err(_) => {
            let clues = clues(&watchdog);
            let received_bytes = progress.read_bytes_now();
            // The headers came, so a silence now is a body that stopped, not a dead server.
            if let (false, Some(timeout_ms)) = (clues.cancelled, clues.timed_out_after_ms) {
                return Err(FetchFailure::Stalled {
                    received_bytes,
                    timeout_ms,
                });
            }
            if clues.cancelled {
                return Err(FetchFailure::Cancelled);
            }
            return Err(match expected_bytes {
                Some(expected_bytes) => FetchFailure::Truncated {
                    received_bytes,
                    expected_bytes,
                },
                None if clues.offline => FetchFailure::Offline,
                None => FetchFailure::Network {
                    detail: format!("the connection dropped after {received_bytes} bytes"),
                },
            });
        }
    };
    drop(watchdog);
    match FetchFailure::from_body(
        headers.get("content-type").ok().flatten().as_deref(),
        &body,
        expected_bytes,
    ) {
        Some(failure) => Err(failure),
        None => Ok(body),
    }
}

/// GETs one of the app's own files (the demo trace, the price table) whole.
pub async fn fetch_asset(url: &str) -> Result<Vec<u8>, String> {
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
