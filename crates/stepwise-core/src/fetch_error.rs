//! Why fetching a trace failed, in plain words. Pure core.
//!
//! The browser tells a page very little about a failed fetch: a CORS refusal and a dead
//! server both surface as the same `TypeError`. The UI layer gathers the clues (status,
//! content type, body start, whether a `no-cors` probe of the same URL was answered, its
//! own timeout and cancel flags) and this module turns them into one sentence naming the URL.

use crate::import::ImportError;

/// What went wrong, as far as the page can tell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchFailure {
    /// No answer at all: unknown host, refused connection, bad certificate.
    Network {
        detail: String,
    },
    /// No answer, and the browser says it has no network at all.
    Offline,
    /// The server answered a `no-cors` probe, so it is reachable: the browser refused to let
    /// the page read the answer because it carries no `Access-Control-Allow-Origin` header.
    CorsBlocked {
        page_origin: String,
    },
    NotFound,
    /// 429: the server asks the page to slow down, maybe saying for how long (`Retry-After`,
    /// already capped by `retry_after_s`).
    RateLimited {
        retry_after_s: Option<u64>,
    },
    /// Any other status that is not a success.
    Status {
        status: u16,
        status_text: String,
    },
    /// An HTML page (often a login page) where a JSON trace was expected.
    Html,
    /// Nothing arrived for `timeout_ms`.
    Timeout {
        timeout_ms: u64,
    },
    /// The server sent headers (and maybe some bytes), then nothing for `timeout_ms`.
    Stalled {
        received_bytes: u64,
        timeout_ms: u64,
    },
    /// The server labelled the answer as something other than JSON, and it is not JSON.
    NotJson {
        content_type: String,
    },
    /// The body ended before the length the server announced.
    Truncated {
        received_bytes: u64,
        expected_bytes: u64,
    },
    /// Gzip bytes that could not be decompressed.
    BadGzip {
        detail: String,
    },
    /// The body arrived but is no trace; `cut_off` when the JSON simply stops.
    Unreadable {
        detail: String,
        cut_off: bool,
    },
    /// The user pressed Cancel.
    Cancelled,
}

/// Which failure a request error is, given what the UI layer knows beyond its message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestClues {
    pub timed_out_after_ms: Option<u64>,
    pub cancelled: bool,
    /// Whether a `no-cors` request to the same URL got an (opaque) answer; `None` when no
    /// probe was made (a same-origin URL cannot be blocked by CORS).
    pub probe_answered: Option<bool>,
    pub page_origin: String,
    /// Whether the browser said it was offline (`navigator.onLine` false) when the request failed.
    pub offline: bool,
}

impl FetchFailure {
    /// Classifies an error of `fetch` itself (no response) from its message and the clues.
    pub fn from_request_error(detail: &str, clues: &RequestClues) -> FetchFailure {
        if clues.cancelled {
            return FetchFailure::Cancelled;
        }
        if let Some(timeout_ms) = clues.timed_out_after_ms {
            return FetchFailure::Timeout { timeout_ms };
        }
        // Offline, a probe cannot be answered either: nothing but the network is to blame.
        if clues.offline {
            return FetchFailure::Offline;
        }
        match clues.probe_answered {
            Some(true) => FetchFailure::CorsBlocked {
                page_origin: clues.page_origin.clone(),
            },
            _ => FetchFailure::Network {
                detail: detail.to_string(),
            },
        }
    }

    /// The failure an HTTP status means, or `None` for a success.
    pub fn from_status(status: u16, status_text: &str) -> Option<FetchFailure> {
        match status {
            200..=299 => None,
            404 | 410 => Some(FetchFailure::NotFound),
            429 => Some(FetchFailure::RateLimited {
                retry_after_s: None,
            }),
            _ => Some(FetchFailure::Status {
                status,
                status_text: status_text.trim().to_string(),
            }),
        }
    }

    /// Checks a complete body: its length against `Content-Length`, then whether it is HTML.
    pub fn from_body(
        content_type: Option<&str>,
        body: &[u8],
        expected_bytes: Option<u64>,
    ) -> Option<FetchFailure> {
        let received_bytes = body.len() as u64;
        match expected_bytes {
            Some(expected_bytes) if received_bytes < expected_bytes => {
                Some(FetchFailure::Truncated {
                    received_bytes,
                    expected_bytes,
                })
            }
            _ if looks_like_html(content_type, body) => Some(FetchFailure::Html),
            _ => not_json_type(content_type, body)
                .map(|content_type| FetchFailure::NotJson { content_type }),
        }
    }

    /// A 429 with how long the server asked to wait (the parsed `Retry-After`); other
    /// failures are returned unchanged.
    pub fn with_retry_after(self, retry_after_s: Option<u64>) -> FetchFailure {
        match self {
            FetchFailure::RateLimited { .. } => FetchFailure::RateLimited { retry_after_s },
            other => other,
        }
    }

    /// How long to wait before asking again, when the server said so.
    pub fn retry_after_s(&self) -> Option<u64> {
        match self {
            FetchFailure::RateLimited { retry_after_s } => *retry_after_s,
            _ => None,
        }
    }

    /// Whether the server wants (other) credentials: 401, or 403.
    pub fn needs_credentials(&self) -> bool {
        matches!(
            self,
            FetchFailure::Status {
                status: 401 | 403,
                ..
            }
        )
    }

    /// The message for the user plus what the page can do about it.
    pub fn for_user(&self, url: &str) -> LoadFailure {
        LoadFailure {
            message: self.message(url),
            retry_after_s: self.retry_after_s(),
            needs_credentials: self.needs_credentials(),
        }
    }

    /// The importer's verdict on a body that arrived whole.
    pub fn from_import(error: &ImportError) -> FetchFailure {
        let cut_off = matches!(error, ImportError::Json { message, .. } if message.starts_with("EOF while parsing"));
        FetchFailure::Unreadable {
            detail: error.to_string(),
            cut_off,
        }
    }

    /// One or two sentences for the user, naming `url`.
    pub fn message(&self, url: &str) -> String {
        match self {
            FetchFailure::Network { detail } => format!(
                "Could not reach {url}: the network request failed ({detail}). Check the address, \
                 that the server is running, and your connection."
            ),
            FetchFailure::Offline => format!(
                "Could not reach {url}: you are offline. API sources need the network; files \
                 still open."
            ),
            FetchFailure::CorsBlocked { page_origin } => format!(
                "The server at {url} answered, but the browser blocked this page from reading it \
                 (CORS). The server must send the header \"Access-Control-Allow-Origin: {page_origin}\" \
                 (or \"*\") with the trace."
            ),
            FetchFailure::NotFound => {
                format!("Nothing was found at {url} (404): check the address of the trace.")
            }
            FetchFailure::RateLimited {
                retry_after_s: Some(wait_s),
            } => format!(
                "{url} is limiting requests (429 Too Many Requests) and asked to wait {wait_s} s \
                 before the next one."
            ),
            FetchFailure::RateLimited {
                retry_after_s: None,
            } => format!(
                "{url} is limiting requests (429 Too Many Requests): wait a moment, then retry."
            ),
            FetchFailure::Status {
                status,
                status_text,
            } => {
                let kind = if *status >= 500 {
                    "the server failed"
                } else {
                    "the server refused the request"
                };
                let text = if status_text.is_empty() {
                    String::new()
                } else {
                    format!(" {status_text}")
                };
                format!("Could not load {url}: {kind} with status {status}{text}.")
            }
            FetchFailure::Html => format!(
                "{url} sent an HTML page where a JSON trace was expected: perhaps a login page, \
                 or the address of a web page rather than of the trace file."
            ),
            FetchFailure::Timeout { timeout_ms } => format!(
                "{url} sent nothing for {}: the request timed out.",
                seconds_text(*timeout_ms)
            ),
            FetchFailure::Stalled {
                received_bytes,
                timeout_ms,
            } => format!(
                "Data stopped arriving from {url} after {received_bytes} bytes: nothing more came \
                 for {}, so the download was stopped.",
                seconds_text(*timeout_ms)
            ),
            FetchFailure::NotJson { content_type } => {
                format!("{url} did not send a trace: expected JSON, got {content_type}.")
            }
            FetchFailure::Truncated {
                received_bytes,
                expected_bytes,
            } => format!(
                "The download of {url} stopped early: {received_bytes} of {expected_bytes} bytes arrived."
            ),
            FetchFailure::BadGzip { detail } => format!(
                "{url} looks gzip-compressed but could not be decompressed ({detail})."
            ),
            FetchFailure::Unreadable {
                detail,
                cut_off: true,
            } => format!(
                "The trace from {url} ends in the middle, as if the download was cut short. {detail}"
            ),
            FetchFailure::Unreadable {
                detail,
                cut_off: false,
            } => format!("The file at {url} is not a trace Stepwise can read. {detail}"),
            FetchFailure::Cancelled => format!("Loading {url} was cancelled."),
        }
    }
}

/// A failed load as the page shows it: the sentence, and what the page can offer beyond
/// Retry (a countdown when the server asked to wait, the credentials form).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadFailure {
    pub message: String,
    pub retry_after_s: Option<u64>,
    pub needs_credentials: bool,
}

impl From<String> for LoadFailure {
    fn from(message: String) -> LoadFailure {
        LoadFailure {
            message,
            ..LoadFailure::default()
        }
    }
}

impl std::fmt::Display for LoadFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// The longest wait a `Retry-After` may impose: a server asking for hours (or a date
/// years ahead) is treated as asking for an hour.
pub const MAX_RETRY_AFTER_S: u64 = 3_600;

/// Seconds to wait from a `Retry-After` header, either form (RFC 9110 §10.2.3): a number of
/// seconds, or an HTTP date compared with `now_ms` (Unix ms), rounded up so the page never
/// asks sooner than it was told. Capped at `MAX_RETRY_AFTER_S`; a date in the past is 0.
pub fn retry_after_s(header: &str, now_ms: i64) -> Option<u64> {
    let text = header.trim();
    if !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit()) {
        // Too many digits for a u64 is still "a very long time".
        let wait_s = text.parse::<u64>().unwrap_or(u64::MAX);
        return Some(wait_s.min(MAX_RETRY_AFTER_S));
    }
    let date_ms = http_date_ms(text)?;
    let wait_ms = date_ms.saturating_sub(now_ms).max(0) as u64;
    Some(wait_ms.div_ceil(1000).min(MAX_RETRY_AFTER_S))
}

/// An HTTP date in any of its three forms: IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"),
/// obsolete RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT") and asctime ("Sun Nov  6 08:49:37 1994").
fn http_date_ms(text: &str) -> Option<i64> {
    use chrono::NaiveDateTime;
    if let Ok(date) = chrono::DateTime::parse_from_rfc2822(text) {
        return Some(date.timestamp_millis());
    }
    ["%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .map(|date| date.and_utc().timestamp_millis())
}

/// The content type (without parameters) of a body that is labelled as something other
/// than JSON and does not look like JSON (or gzip) either. Text types pass: servers often
/// serve `.json` files as `text/plain`, and the importer explains any text it cannot read.
fn not_json_type(content_type: Option<&str>, body: &[u8]) -> Option<String> {
    let essence = content_type?
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let first = body.iter().find(|byte| !byte.is_ascii_whitespace());
    let looks_like_json = matches!(first, None | Some(b'{') | Some(b'['));
    let is_gzip = body.starts_with(&[0x1f, 0x8b]);
    let acceptable = essence.is_empty()
        || essence.contains("json")
        || essence.starts_with("text/")
        || essence == "application/octet-stream"
        || essence.contains("gzip");
    (!looks_like_json && !is_gzip && !acceptable).then_some(essence)
}

/// Whether an answer is a web page: by its content type, or by its first non-blank byte
/// being `<` (no JSON document starts that way).
pub fn looks_like_html(content_type: Option<&str>, body: &[u8]) -> bool {
    let typed_html = content_type
        .map(|value| value.to_ascii_lowercase().contains("html"))
        .unwrap_or(false);
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let first = body.iter().find(|byte| !byte.is_ascii_whitespace());
    typed_html || first == Some(&b'<')
}

/// "30 s", "1.5 s", "250 ms".
fn seconds_text(duration_ms: u64) -> String {
    if duration_ms < 1000 {
        format!("{duration_ms} ms")
    } else {
        let seconds = duration_ms as f64 / 1000.0;
        format!("{} s", (seconds * 10.0).round() / 10.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://example.test/run.json";

    fn clues() -> RequestClues {
        RequestClues {
            page_origin: "http://127.0.0.1:8080".into(),
            ..RequestClues::default()
        }
    }

    #[test]
    fn a_type_error_is_cors_only_when_the_probe_was_answered() {
        let blocked = RequestClues {
            probe_answered: Some(true),
            ..clues()
        };
        let failure = FetchFailure::from_request_error("Failed to fetch", &blocked);
        assert_eq!(
            failure,
            FetchFailure::CorsBlocked {
                page_origin: "http://127.0.0.1:8080".into()
            }
        );
        assert_eq!(
            failure.message(URL),
            "The server at https://example.test/run.json answered, but the browser blocked this page \
             from reading it (CORS). The server must send the header \
             \"Access-Control-Allow-Origin: http://127.0.0.1:8080\" (or \"*\") with the trace."
        );
        for probe_answered in [Some(false), None] {
            let clues = RequestClues {
                probe_answered,
                ..clues()
            };
            assert_eq!(
                FetchFailure::from_request_error("Failed to fetch", &clues),
                FetchFailure::Network {
                    detail: "Failed to fetch".into()
                }
            );
        }
    }

    #[test]
    fn a_failed_request_while_offline_says_so_rather_than_blaming_the_server() {
        let offline = RequestClues {
            offline: true,
            ..clues()
        };
        let failure = FetchFailure::from_request_error("Failed to fetch", &offline);
        assert_eq!(failure, FetchFailure::Offline);
        assert_eq!(
            failure.message(URL),
            "Could not reach https://example.test/run.json: you are offline. API sources need the \
             network; files still open."
        );
        // A cancel or our own timeout stays what it was.
        let cancelled = RequestClues {
            cancelled: true,
            ..offline.clone()
        };
        assert_eq!(
            FetchFailure::from_request_error("aborted", &cancelled),
            FetchFailure::Cancelled
        );
        let timed_out = RequestClues {
            timed_out_after_ms: Some(5),
            ..offline
        };
        assert_eq!(
            FetchFailure::from_request_error("aborted", &timed_out),
            FetchFailure::Timeout { timeout_ms: 5 }
        );
    }

    #[test]
    fn our_own_abort_is_a_cancel_or_a_timeout_not_a_network_error() {
        let cancelled = RequestClues {
            cancelled: true,
            timed_out_after_ms: Some(5),
            ..clues()
        };
        assert_eq!(
            FetchFailure::from_request_error("aborted", &cancelled),
            FetchFailure::Cancelled
        );
        let timed_out = RequestClues {
            timed_out_after_ms: Some(30_000),
            probe_answered: Some(true),
            ..clues()
        };
        let failure = FetchFailure::from_request_error("aborted", &timed_out);
        assert_eq!(failure, FetchFailure::Timeout { timeout_ms: 30_000 });
        assert_eq!(
            failure.message(URL),
            "https://example.test/run.json sent nothing for 30 s: the request timed out."
        );
        assert_eq!(
            FetchFailure::Timeout { timeout_ms: 400 }.message("u"),
            "u sent nothing for 400 ms: the request timed out."
        );
    }

    #[test]
    fn statuses() {
        assert_eq!(FetchFailure::from_status(200, "OK"), None);
        assert_eq!(FetchFailure::from_status(206, ""), None);
        assert_eq!(
            FetchFailure::from_status(404, "Not Found"),
            Some(FetchFailure::NotFound)
        );
        let server = FetchFailure::from_status(500, "Internal Server Error").expect("a failure");
        assert_eq!(
            server.message(URL),
            "Could not load https://example.test/run.json: the server failed with status 500 \
             Internal Server Error."
        );
        let refused = FetchFailure::from_status(403, "").expect("a failure");
        assert_eq!(
            refused.message("u"),
            "Could not load u: the server refused the request with status 403."
        );
        assert_eq!(
            FetchFailure::NotFound.message(URL),
            "Nothing was found at https://example.test/run.json (404): check the address of the trace."
        );
    }

    #[test]
    fn html_is_recognised_by_type_or_by_its_first_byte() {
        assert!(looks_like_html(Some("text/html; charset=utf-8"), b"{}"));
        assert!(looks_like_html(None, b"\xEF\xBB\xBF \n<!doctype html>"));
        assert!(!looks_like_html(Some("application/json"), b"  {\"a\": 1}"));
        assert!(!looks_like_html(None, b""));
        assert_eq!(
            FetchFailure::from_body(Some("text/html"), b"<html>", None),
            Some(FetchFailure::Html)
        );
        assert!(FetchFailure::Html.message(URL).contains("login page"));
    }

    #[test]
    fn a_short_body_is_truncated_before_anything_else() {
        assert_eq!(
            FetchFailure::from_body(Some("text/html"), b"<ht", Some(10)),
            Some(FetchFailure::Truncated {
                received_bytes: 3,
                expected_bytes: 10
            })
        );
        assert_eq!(FetchFailure::from_body(None, b"{}", Some(2)), None);
        assert_eq!(
            FetchFailure::Truncated {
                received_bytes: 3,
                expected_bytes: 10
            }
            .message("u"),
            "The download of u stopped early: 3 of 10 bytes arrived."
        );
    }

    #[test]
    fn json_that_stops_is_called_cut_off() {
        let eof = ImportError::Json {
            line: 59,
            column: 197,
            message: "EOF while parsing a string".into(),
        };
        let failure = FetchFailure::from_import(&eof);
        assert_eq!(
            failure.message("u"),
            "The trace from u ends in the middle, as if the download was cut short. The file is not \
             valid JSON at line 59, column 197: EOF while parsing a string."
        );
        let unknown = FetchFailure::from_import(&ImportError::Empty);
        assert_eq!(
            unknown.message("u"),
            "The file at u is not a trace Stepwise can read. The file is empty: expected a JSON trace."
        );
    }

    #[test]
    fn retry_after_in_seconds_is_capped() {
        assert_eq!(retry_after_s("120", 0), Some(120));
        assert_eq!(retry_after_s(" 0 ", 0), Some(0));
        assert_eq!(retry_after_s("86400", 0), Some(MAX_RETRY_AFTER_S));
        assert_eq!(
            retry_after_s("99999999999999999999999", 0),
            Some(MAX_RETRY_AFTER_S)
        );
        assert_eq!(retry_after_s("-5", 0), None);
        assert_eq!(retry_after_s("1.5", 0), None);
        assert_eq!(retry_after_s("soon", 0), None);
        assert_eq!(retry_after_s("", 0), None);
    }

    #[test]
    fn retry_after_as_an_http_date_is_counted_from_now_and_rounded_up() {
        // 2026-12-06 00:00:00 UTC.
        let now_ms = 1_796_515_200_000;
        assert_eq!(
            retry_after_s("Sun, 06 Dec 2026 00:00:30 GMT", now_ms),
            Some(30)
        );
        // Half a second short of 30 s is still 30 s: never ask sooner than told.
        assert_eq!(
            retry_after_s("Sun, 06 Dec 2026 00:00:30 GMT", now_ms + 500),
            Some(30)
        );
        assert_eq!(
            retry_after_s("Sunday, 06-Dec-26 00:01:00 GMT", now_ms),
            Some(60)
        );
        assert_eq!(retry_after_s("Sun Dec  6 00:00:10 2026", now_ms), Some(10));
        assert_eq!(
            retry_after_s("Sat, 05 Dec 2026 23:00:00 GMT", now_ms),
            Some(0),
            "a date in the past means now"
        );
        assert_eq!(
            retry_after_s("Fri, 01 Jan 2100 00:00:00 GMT", now_ms),
            Some(MAX_RETRY_AFTER_S)
        );
    }

    #[test]
    fn a_429_says_how_long_the_server_asked_to_wait() {
        let failure = FetchFailure::from_status(429, "Too Many Requests")
            .expect("a failure")
            .with_retry_after(retry_after_s("7", 0));
        assert_eq!(failure.retry_after_s(), Some(7));
        assert_eq!(
            failure.message("u"),
            "u is limiting requests (429 Too Many Requests) and asked to wait 7 s before the next one."
        );
        let user = failure.for_user("u");
        assert_eq!(user.retry_after_s, Some(7));
        assert!(!user.needs_credentials);
        let unsaid = FetchFailure::from_status(429, "").expect("a failure");
        assert_eq!(
            unsaid.message("u"),
            "u is limiting requests (429 Too Many Requests): wait a moment, then retry."
        );
        // A Retry-After on another status changes nothing.
        assert_eq!(
            FetchFailure::NotFound.with_retry_after(Some(3)),
            FetchFailure::NotFound
        );
    }

    #[test]
    fn unauthorized_and_forbidden_ask_for_credentials() {
        for status in [401, 403] {
            let failure = FetchFailure::from_status(status, "").expect("a failure");
            assert!(failure.for_user("u").needs_credentials, "{status}");
        }
        assert!(!FetchFailure::NotFound.needs_credentials());
    }

    #[test]
    fn a_stall_names_the_bytes_that_came() {
        assert_eq!(
            FetchFailure::Stalled {
                received_bytes: 64,
                timeout_ms: 500
            }
            .message("u"),
            "Data stopped arriving from u after 64 bytes: nothing more came for 500 ms, so the \
             download was stopped."
        );
    }

    #[test]
    fn json_under_another_label_still_opens_but_a_picture_does_not() {
        assert_eq!(
            FetchFailure::from_body(Some("text/plain"), b"{}", None),
            None
        );
        assert_eq!(
            FetchFailure::from_body(Some("application/octet-stream"), b"[1]", None),
            None
        );
        assert_eq!(
            FetchFailure::from_body(Some("image/png"), b" {\"a\": 1}", None),
            None,
            "JSON bytes win over a wrong label"
        );
        assert_eq!(
            FetchFailure::from_body(Some("application/x-gzip"), b"\x1f\x8b\x08", None),
            None
        );
        let png = FetchFailure::from_body(Some("image/png; q=1"), b"\x89PNG\r\n\x1a\n", None)
            .expect("a failure");
        assert_eq!(
            png.message("u"),
            "u did not send a trace: expected JSON, got image/png."
        );
        // Text the importer will explain itself, with the line and column.
        assert_eq!(
            FetchFailure::from_body(Some("text/plain"), b"hello", None),
            None
        );
    }
}
