//! The trace APIs Stepwise can list and fetch from: kinds, URLs, list parsing and where credentials may go. Pure core.
//!
//! Four APIs are spoken (docs/api.md):
//! - Stepwise's own contract: `GET {base}/traces` and `GET {base}/traces/{id}`;
//! - the Langfuse public API: `GET {base}/api/public/traces?page=&limit=` and
//!   `GET {base}/api/public/traces/{id}` (<https://api.reference.langfuse.com>);
//! - the Jaeger query API: `GET {base}/api/services`, `GET {base}/api/traces?service=&limit=`
//!   and `GET {base}/api/traces/{id}` (<https://www.jaegertracing.io/docs/latest/apis/>);
//! - Grafana Tempo's HTTP API: `GET {base}/api/search?limit=&start=&end=` and
//!   `GET {base}/api/v2/traces/{id}`, falling back to `GET {base}/api/traces/{id}` on a
//!   Tempo older than 2.7 (<https://grafana.com/docs/tempo/latest/api_docs/>).
//!
//! A trace itself is read by the importers; this module only reads the lists.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::fmt;

use base64::Engine as _;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::fetch_error::FetchFailure;
use crate::import::parse_rfc3339_ns;
use crate::view_query::encode;

/// Which API a base URL speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiKind {
    /// Stepwise's own contract: `GET {base}/traces`, `GET {base}/traces/{id}` (docs/api.md).
    Stepwise,
    /// The Langfuse public API (`/api/public/traces`), basic auth with a key pair.
    Langfuse,
    /// The Jaeger query API (`/api/traces?service=`, `/api/traces/{id}`).
    Jaeger,
    /// Grafana Tempo's HTTP API (`/api/search`, `/api/v2/traces/{id}`), basic or bearer auth
    /// optional.
    Tempo,
}

impl ApiKind {
    pub const ALL: [ApiKind; 4] = [
        ApiKind::Stepwise,
        ApiKind::Langfuse,
        ApiKind::Jaeger,
        ApiKind::Tempo,
    ];

    /// The `kind=` value in the address.
    pub fn key(self) -> &'static str {
        match self {
            ApiKind::Stepwise => "stepwise",
            ApiKind::Langfuse => "langfuse",
            ApiKind::Jaeger => "jaeger",
            ApiKind::Tempo => "tempo",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ApiKind::Stepwise => "Stepwise API",
            ApiKind::Langfuse => "Langfuse",
            ApiKind::Jaeger => "Jaeger",
            ApiKind::Tempo => "Grafana Tempo",
        }
    }

    pub fn from_key(key: &str) -> Result<ApiKind, String> {
        ApiKind::ALL
            .into_iter()
            .find(|kind| kind.key() == key)
            .ok_or_else(|| {
                format!("Unknown API kind {key:?} in the address: expected stepwise, langfuse, jaeger or tempo.")
            })
    }

    /// The shape of a list answer, for error messages.
    fn list_shape(self) -> &'static str {
        match self {
            ApiKind::Stepwise => r#"{"traces": [{"id", "name", "start_time", "status", …}]}"#,
            ApiKind::Langfuse => r#"{"data": [{"id", "name", "timestamp", …}], "meta": {…}}"#,
            ApiKind::Jaeger => r#"{"data": [{"traceID", "spans": […]}]}"#,
            ApiKind::Tempo => {
                r#"{"traces": [{"traceID", "rootTraceName", "startTimeUnixNano", "durationMs", …}], "metrics": {…}}"#
            }
        }
    }
}

/// How many traces one list request asks for (Langfuse caps `limit` at 100).
pub const LIST_LIMIT: usize = 100;
/// How many rows the trace list draws at most; the rest are counted, not drawn.
pub const MAX_ROWS: usize = 200;

/// The status of a listed trace. APIs that do not say (Langfuse) give `Unknown`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ListStatus {
    Completed,
    Running,
    Failed,
    Unknown,
}

impl ListStatus {
    pub const ALL: [ListStatus; 4] = [
        ListStatus::Completed,
        ListStatus::Running,
        ListStatus::Failed,
        ListStatus::Unknown,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ListStatus::Completed => "completed",
            ListStatus::Running => "running",
            ListStatus::Failed => "failed",
            ListStatus::Unknown => "unknown",
        }
    }

    pub fn from_key(key: &str) -> Option<ListStatus> {
        ListStatus::ALL
            .into_iter()
            .find(|status| status.key() == key)
    }
}

/// One row of an API's trace list.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceListing {
    pub id: String,
    pub name: String,
    pub start_ns: Option<i64>,
    pub status: ListStatus,
    pub duration_ns: Option<i64>,
    pub total_tokens: Option<u64>,
    pub cost_usd: Option<f64>,
}

/// One answer of a list request.
#[derive(Clone, Debug, PartialEq)]
pub struct ListPage {
    pub traces: Vec<TraceListing>,
    /// The API says (or, for Jaeger and Tempo, a full page suggests) that it holds more traces.
    pub more: bool,
}

// ---------------------------------------------------------------------------------------
// Base URLs and request URLs

/// Checks and tidies a base URL typed by the user: `http(s)://host[:port][/path]`, no
/// credentials, query or fragment, no trailing slash, scheme and host in lower case.
pub fn normalize_base(input: &str) -> Result<String, String> {
    let text = input.trim();
    if text.is_empty() {
        return Err("Enter the API's base URL, such as https://traces.example.com.".to_string());
    }
    let Some((scheme, rest)) = text.split_once("://") else {
        return Err(format!(
            "{text:?} is not a web address: expected one starting with https:// or http://."
        ));
    };
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return Err(format!(
            "{text:?} uses {scheme}:, expected an https:// or http:// address."
        ));
    }
    let (authority, path) = match rest.find('/') {
        Some(index) => rest.split_at(index),
        None => (rest, ""),
    };
    if authority.contains('@') {
        return Err(
            "The base URL holds a user name or password: credentials never go in a URL. \
             Enter them in the fields for them instead."
                .to_string(),
        );
    }
    if text.contains('?') || text.contains('#') {
        return Err(format!(
            "{text:?} has a query or fragment: expected only the API's base, such as https://host/path."
        ));
    }
    if authority.is_empty() || authority.starts_with(':') || authority.contains(char::is_whitespace)
    {
        return Err(format!(
            "{text:?} names no host: expected https://host[/path]."
        ));
    }
    if has_dot_segment(path) {
        return Err(format!(
            "{text:?} has a \".\" or \"..\" segment in its path: expected a plain path."
        ));
    }
    let path = path.trim_end_matches('/');
    Ok(format!(
        "{scheme}://{}{path}",
        authority.to_ascii_lowercase()
    ))
}

/// `scheme://host[:port]` of a URL, in lower case: what credentials are stored under.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    (!authority.is_empty()).then(|| format!("{scheme}://{authority}").to_ascii_lowercase())
}

/// Whether a path has a `.` or `..` segment (also percent-encoded, as browsers read
/// `%2e` as a dot there): such a URL could climb out of the base it seems to be under.
fn has_dot_segment(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    path.split('/').any(|segment| {
        let segment = segment.to_ascii_lowercase().replace("%2e", ".");
        segment == "." || segment == ".."
    })
}

/// Whether credentials entered for `base` may go with a request to `url`: only when the
/// URL lies under that base (same scheme, host, port and path prefix, on a segment
/// boundary) and cannot climb out of it.
pub fn credentials_apply(base: &str, url: &str) -> bool {
    let base = base.trim_end_matches('/');
    if !(base.starts_with("https://") || base.starts_with("http://")) {
        return false;
    }
    let Some(rest) = url.strip_prefix(base) else {
        return false;
    };
    let on_boundary = rest.is_empty() || rest.starts_with(['/', '?', '#']);
    on_boundary && !has_dot_segment(rest)
}

/// The list request of `kind` at `base`; Jaeger needs a service (`services_url` lists them).
/// Tempo's is without a time window, which Tempo reads as "recent traces only": the page
/// asks `tempo_search_url` instead, with the time it is now.
pub fn list_url(kind: ApiKind, base: &str, service: Option<&str>) -> String {
    let base = base.trim_end_matches('/');
    match kind {
        ApiKind::Tempo => format!("{base}/api/search?limit={LIST_LIMIT}"),
        ApiKind::Stepwise => format!("{base}/traces"),
        ApiKind::Langfuse => format!("{base}/api/public/traces?page=1&limit={LIST_LIMIT}"),
        ApiKind::Jaeger => format!(
            "{base}/api/traces?service={}&limit={LIST_LIMIT}",
            encode(service.unwrap_or_default())
        ),
    }
}

/// How far back a Tempo search looks: a day. Tempo refuses a window longer than its
/// `max_duration` (168 h by default, often set lower), and Grafana's own default is shorter.
pub const TEMPO_SEARCH_WINDOW_S: i64 = 24 * 60 * 60;

/// Tempo's search for the newest `LIST_LIMIT` traces that started in the day before
/// `end_s` (Unix seconds). Tempo has no offset: the next (older) page is the same search
/// ending where this one's oldest trace starts (`tempo_older_end_s`).
pub fn tempo_search_url(base: &str, end_s: i64) -> String {
    format!(
        "{}/api/search?limit={LIST_LIMIT}&start={}&end={end_s}",
        base.trim_end_matches('/'),
        end_s.saturating_sub(TEMPO_SEARCH_WINDOW_S)
    )
}

/// Where the search for the page older than `traces` ends (Unix seconds): at the oldest
/// start listed, rounded up so that trace is not lost between two pages (it may be listed
/// twice instead). `None` when no trace says when it started.
pub fn tempo_older_end_s(traces: &[TraceListing]) -> Option<i64> {
    const NS_PER_S: i64 = 1_000_000_000;
    let oldest_ns = traces.iter().filter_map(|t| t.start_ns).min()?;
    Some(oldest_ns.div_euclid(NS_PER_S) + i64::from(oldest_ns.rem_euclid(NS_PER_S) != 0))
}

/// Jaeger's list of services, to pick one to list the traces of.
pub fn services_url(base: &str) -> String {
    format!("{}/api/services", base.trim_end_matches('/'))
}

/// The request for one trace. Ids `.` and `..` cannot be written in a path (browsers
/// resolve them, even percent-encoded), so they are refused.
pub fn trace_url(kind: ApiKind, base: &str, id: &str) -> Result<String, String> {
    if id.is_empty() || id == "." || id == ".." {
        return Err(format!(
            "The trace id {id:?} cannot be requested: expected a non-empty id other than \".\" and \"..\"."
        ));
    }
    let base = base.trim_end_matches('/');
    let id = encode(id);
    Ok(match kind {
        ApiKind::Stepwise => format!("{base}/traces/{id}"),
        ApiKind::Langfuse => format!("{base}/api/public/traces/{id}"),
        ApiKind::Jaeger => format!("{base}/api/traces/{id}"),
        // Tempo 2.7 and later answer OTLP/JSON here; older ones 404 (`trace_fallback_url`).
        ApiKind::Tempo => format!("{base}/api/v2/traces/{id}"),
    })
}

/// What to request after the request for a trace failed with `failure`: Tempo's v1
/// `/api/traces/{id}` (`{"batches": […]}`) when `/api/v2/traces/{id}` was not found, as a
/// Tempo older than 2.7 answers; `None` when the failure stands. A newer Tempo that lacks
/// the trace 404s on both, so at most two requests are made.
pub fn trace_fallback_url(
    kind: ApiKind,
    base: &str,
    id: &str,
    failed_url: &str,
    failure: &FetchFailure,
) -> Option<String> {
    let first = trace_url(kind, base, id).ok()?;
    let is_v2_not_found =
        kind == ApiKind::Tempo && failed_url == first && *failure == FetchFailure::NotFound;
    is_v2_not_found.then(|| format!("{}/api/traces/{}", base.trim_end_matches('/'), encode(id)))
}

// ---------------------------------------------------------------------------------------
// Credentials

/// A secret entered for one base URL. Kept in session storage only, never in a URL.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Secret {
    /// Langfuse's key pair (public key : secret key), or a user and password for Tempo,
    /// sent as HTTP basic auth.
    Basic {
        public_key: String,
        secret_key: String,
    },
    /// An optional token for Stepwise's contract or Tempo, sent as `Authorization: Bearer …`.
    Bearer { token: String },
}

/// The secret typed for Tempo, whose credentials are optional: a user and password (basic
/// auth, as Grafana Cloud asks), a token (bearer, as an auth proxy may ask), or none.
pub fn tempo_secret(user: &str, password: &str, token: &str) -> Result<Option<Secret>, String> {
    let (user, password, token) = (user.trim(), password.trim(), token.trim());
    match (user.is_empty(), password.is_empty(), token.is_empty()) {
        (true, true, true) => Ok(None),
        (false, false, true) => Ok(Some(Secret::Basic {
            public_key: user.to_string(),
            secret_key: password.to_string(),
        })),
        (true, true, false) => Ok(Some(Secret::Bearer {
            token: token.to_string(),
        })),
        (_, _, false) => Err(
            "Tempo takes either a user and password or a token, not both: clear one of them."
                .to_string(),
        ),
        _ => Err(
            "Tempo's basic auth needs both the user and the password: fill in both, or neither."
                .to_string(),
        ),
    }
}

/// A secret and the base URL it was entered for.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    pub base: String,
    pub secret: Secret,
}

/// Secrets never reach logs or panic messages through `Debug`.
impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.secret {
            Secret::Basic { .. } => "basic",
            Secret::Bearer { .. } => "bearer",
        };
        write!(
            f,
            "Credentials {{ base: {:?}, secret: {kind} (hidden) }}",
            self.base
        )
    }
}

impl Credentials {
    /// The `Authorization` header value.
    pub fn authorization(&self) -> String {
        match &self.secret {
            Secret::Basic {
                public_key,
                secret_key,
            } => format!(
                "Basic {}",
                base64_encode(format!("{public_key}:{secret_key}").as_bytes())
            ),
            Secret::Bearer { token } => format!("Bearer {token}"),
        }
    }

    /// The `Authorization` header for a request to `url`, only if `url` is under the base
    /// these credentials were entered for.
    pub fn authorization_for(&self, url: &str) -> Option<String> {
        credentials_apply(&self.base, url).then(|| self.authorization())
    }
}

/// The session storage key of the credentials for `base`: one entry per origin.
pub fn credentials_key(base: &str) -> Option<String> {
    origin_of(base).map(|origin| format!("stepwise.api.credentials {origin}"))
}

/// Standard base64 with padding (RFC 4648), as basic auth (RFC 7617) asks.
pub fn base64_encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

// ---------------------------------------------------------------------------------------
// Recently used bases (local storage)

/// A base URL used before, with its kind's key, newest first in local storage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedApi {
    pub base: String,
    pub kind: String,
}

/// How many bases are remembered.
pub const SAVED_APIS: usize = 5;

/// `saved` with `base` moved (or added) to the front, at most `SAVED_APIS` long.
pub fn remember_api(saved: &[SavedApi], base: &str, kind: ApiKind) -> Vec<SavedApi> {
    let mut out = vec![SavedApi {
        base: base.to_string(),
        kind: kind.key().to_string(),
    }];
    out.extend(saved.iter().filter(|entry| entry.base != base).cloned());
    out.truncate(SAVED_APIS);
    out
}

// ---------------------------------------------------------------------------------------
// Sorting and filtering

/// Newest first; traces without a start time last; ties by name, then id, so the order
/// does not depend on the API's.
pub fn sort_newest_first(traces: &mut [TraceListing]) {
    traces.sort_by(|a, b| {
        let by_start = match (a.start_ns, b.start_ns) {
            (Some(a), Some(b)) => b.cmp(&a),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        by_start
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.id.cmp(&b.id))
    });
}

/// What the user filters the list by.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListFilter {
    /// A case-insensitive part of the name (or of the id).
    pub text: String,
    /// Only traces of this status, if set.
    pub status: Option<ListStatus>,
}

impl ListFilter {
    pub fn matches(&self, trace: &TraceListing) -> bool {
        let needle = self.text.trim().to_lowercase();
        let text_matches = needle.is_empty()
            || trace.name.to_lowercase().contains(&needle)
            || trace.id.to_lowercase().contains(&needle);
        text_matches && self.status.is_none_or(|status| status == trace.status)
    }
}

/// The rows to draw: the first `max_rows` matches, and how many more matched.
pub fn visible_rows<'a>(
    traces: &'a [TraceListing],
    filter: &ListFilter,
    max_rows: usize,
) -> (Vec<&'a TraceListing>, usize) {
    let matching: Vec<&TraceListing> = traces.iter().filter(|t| filter.matches(t)).collect();
    let hidden = matching.len().saturating_sub(max_rows);
    (matching.into_iter().take(max_rows).collect(), hidden)
}

// ---------------------------------------------------------------------------------------
// Parsing lists

/// Reads a list answer of `kind`, sorted newest first.
pub fn parse_list(kind: ApiKind, bytes: &[u8]) -> Result<Vec<TraceListing>, String> {
    parse_list_page(kind, bytes).map(|page| page.traces)
}

/// Reads a list answer of `kind`, sorted newest first, and whether the API holds more.
pub fn parse_list_page(kind: ApiKind, bytes: &[u8]) -> Result<ListPage, String> {
    let what = format!("{} trace list", kind.label());
    let mut page = match kind {
        ApiKind::Stepwise => stepwise_page(from_json(bytes, &what, kind.list_shape())?)?,
        ApiKind::Langfuse => langfuse_page(from_json(bytes, &what, kind.list_shape())?),
        ApiKind::Jaeger => jaeger_page(from_json(bytes, &what, kind.list_shape())?),
        ApiKind::Tempo => tempo_page(from_json(bytes, &what, kind.list_shape())?),
    };
    sort_newest_first(&mut page.traces);
    Ok(page)
}

/// Reads Jaeger's `{data: [service, …]}`, sorted.
pub fn parse_services(bytes: &[u8]) -> Result<Vec<String>, String> {
    #[derive(Deserialize)]
    struct Services {
        data: Option<Vec<String>>,
    }
    let services: Services =
        from_json(bytes, "Jaeger service list", r#"{"data": ["service", …]}"#)?;
    let mut names = services.data.unwrap_or_default();
    names.sort();
    names.dedup();
    Ok(names)
}

/// The service to list first: Jaeger lists its own query service too, which is rarely
/// what the user is after.
pub fn default_service(services: &[String]) -> Option<&str> {
    services
        .iter()
        .find(|name| !name.starts_with("jaeger"))
        .or_else(|| services.first())
        .map(String::as_str)
}

/// Parses JSON into `T`; the error says what came instead, and where.
fn from_json<T: DeserializeOwned>(bytes: &[u8], what: &str, shape: &str) -> Result<T, String> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| format!("The {what} is not UTF-8 text: expected JSON such as {shape}."))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text).trim_start();
    if text.is_empty() {
        return Err(format!(
            "The {what} is empty: expected JSON such as {shape}."
        ));
    }
    if text.starts_with('<') {
        return Err(format!(
            "The {what} is an HTML page, not JSON: the address may point at a web page or a \
             sign-in screen rather than the API. Expected JSON such as {shape}."
        ));
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            format!(
                "The {what} is not valid JSON (line {}, column {}): it may be cut off. Expected {shape}.",
                inner.line(),
                inner.column()
            )
        } else {
            let at = if path == "." { "the top level".to_string() } else { path };
            format!("The {what} is not as expected at {at}: {}. Expected {shape}.", message_of(&inner))
        }
    })
}

/// serde_json's message without its " at line L column C" suffix.
fn message_of(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(index) => text[..index].to_string(),
        None => text,
    }
}

/// An RFC 3339 time; one without an offset is read as UTC (some Langfuse exports).
fn parse_time(text: &str) -> Option<i64> {
    parse_rfc3339_ns(text).or_else(|| parse_rfc3339_ns(&format!("{}Z", text.trim())))
}

#[derive(Deserialize)]
struct StepwiseList {
    traces: Vec<StepwiseItem>,
    next: Option<Value>,
}

#[derive(Deserialize)]
struct StepwiseItem {
    id: String,
    name: Option<String>,
    start_time: Option<String>,
    end_time: Option<String>,
    status: Option<String>,
    total_tokens: Option<u64>,
    cost_usd: Option<f64>,
}

fn stepwise_page(list: StepwiseList) -> Result<ListPage, String> {
    let time = |text: Option<String>, path: String| -> Result<Option<i64>, String> {
        match text {
            None => Ok(None),
            Some(text) => parse_time(&text).map(Some).ok_or_else(|| {
                format!(
                    "The Stepwise API trace list is not as expected at {path}: {text:?} is not a time. \
                     Expected an RFC 3339 time such as \"2026-11-02T09:14:03.120Z\"."
                )
            }),
        }
    };
    let mut traces = Vec::with_capacity(list.traces.len());
    for (index, item) in list.traces.into_iter().enumerate() {
        let start_ns = time(item.start_time, format!("traces[{index}].start_time"))?;
        let end_ns = time(item.end_time, format!("traces[{index}].end_time"))?;
        // As in the trace format: no end time and no status means still running.
        let status = match item.status.as_deref() {
            Some(key) => ListStatus::from_key(key).unwrap_or(ListStatus::Unknown),
            None if end_ns.is_none() => ListStatus::Running,
            None => ListStatus::Completed,
        };
        traces.push(TraceListing {
            name: item
                .name
                .filter(|name| !name.is_empty())
                .unwrap_or_else(|| item.id.clone()),
            id: item.id,
            start_ns,
            status,
            duration_ns: start_ns
                .zip(end_ns)
                .map(|(start, end)| end - start)
                .filter(|d| *d >= 0),
            total_tokens: item.total_tokens,
            cost_usd: item.cost_usd.filter(|cost| cost.is_finite()),
        });
    }
    let more = match list.next {
        None | Some(Value::Null) => false,
        Some(Value::String(cursor)) => !cursor.is_empty(),
        Some(_) => true,
    };
    Ok(ListPage { traces, more })
}

#[derive(Deserialize)]
struct LangfuseList {
    data: Vec<LangfuseItem>,
    meta: Option<LangfuseMeta>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LangfuseItem {
    id: String,
    name: Option<String>,
    timestamp: Option<String>,
    /// Seconds.
    latency: Option<f64>,
    total_cost: Option<f64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LangfuseMeta {
    page: Option<u64>,
    total_pages: Option<u64>,
}

fn langfuse_page(list: LangfuseList) -> ListPage {
    let traces = list
        .data
        .into_iter()
        .map(|item| TraceListing {
            name: item
                .name
                .filter(|name| !name.is_empty())
                .unwrap_or_else(|| item.id.clone()),
            start_ns: item.timestamp.as_deref().and_then(parse_time),
            // Langfuse states no status for a trace, only levels on its observations.
            status: ListStatus::Unknown,
            duration_ns: item
                .latency
                .filter(|secs| secs.is_finite() && *secs >= 0.0)
                .map(|secs| (secs * 1e9).round() as i64),
            total_tokens: None,
            cost_usd: item.total_cost.filter(|cost| cost.is_finite()),
            id: item.id,
        })
        .collect();
    let more = list.meta.is_some_and(
        |meta| matches!((meta.page, meta.total_pages), (Some(page), Some(total)) if page < total),
    );
    ListPage { traces, more }
}

#[derive(Deserialize)]
struct JaegerList {
    /// Jaeger answers `"data": null` when nothing matched.
    data: Option<Vec<JaegerTrace>>,
}

#[derive(Deserialize)]
struct JaegerTrace {
    #[serde(rename = "traceID")]
    trace_id: String,
    spans: Vec<JaegerSpan>,
}

#[derive(Deserialize)]
struct JaegerSpan {
    #[serde(rename = "spanID")]
    span_id: Option<String>,
    #[serde(rename = "operationName")]
    operation_name: Option<String>,
    references: Option<Vec<JaegerReference>>,
    #[serde(rename = "parentSpanID")]
    parent_span_id: Option<String>,
    /// Microseconds since the epoch.
    #[serde(rename = "startTime")]
    start_time: Option<crate::import::otlp::LooseInt>,
    /// Microseconds.
    duration: Option<crate::import::otlp::LooseInt>,
    tags: Option<Vec<JaegerTag>>,
    // `logs`, `processID` and the rest are skipped unread (serde ignores unknown keys).
}

#[derive(Deserialize)]
struct JaegerReference {
    #[serde(rename = "spanID")]
    span_id: Option<String>,
}

#[derive(Deserialize)]
struct JaegerTag {
    key: String,
    #[serde(default)]
    value: Value,
}

const NS_PER_US: i64 = 1_000;

fn jaeger_page(list: JaegerList) -> ListPage {
    let data = list.data.unwrap_or_default();
    let more = data.len() >= LIST_LIMIT;
    ListPage {
        traces: data.into_iter().map(jaeger_listing).collect(),
        more,
    }
}

/// A Jaeger trace as a row: the root span's name, the spans' extent, failed if any span
/// carries an error tag. Jaeger keeps finished spans only, so a trace is never running.
fn jaeger_listing(trace: JaegerTrace) -> TraceListing {
    let ids: HashSet<&str> = trace
        .spans
        .iter()
        .filter_map(|s| s.span_id.as_deref())
        .collect();
    let parent_in_trace = |span: &JaegerSpan| {
        let by_reference = span
            .references
            .iter()
            .flatten()
            .filter_map(|r| r.span_id.as_deref());
        by_reference
            .chain(span.parent_span_id.as_deref())
            .any(|parent| ids.contains(parent))
    };
    let start_of = |span: &JaegerSpan| span.start_time.as_ref().map(|t| t.0);
    // A span whose parent is missing from the trace counts as a root; the earliest wins.
    let root = trace
        .spans
        .iter()
        .filter(|span| !parent_in_trace(span))
        .min_by_key(|span| start_of(span).unwrap_or(i64::MAX));
    let start_us = trace.spans.iter().filter_map(start_of).min();
    let end_us = trace
        .spans
        .iter()
        .filter_map(|span| Some(start_of(span)? + span.duration.as_ref().map_or(0, |d| d.0)))
        .max();
    let failed = trace.spans.iter().any(|span| {
        span.tags
            .iter()
            .flatten()
            .any(|tag| match tag.key.as_str() {
                "error" => tag.value == Value::Bool(true) || tag.value == "true",
                "otel.status_code" => tag.value == "ERROR",
                _ => false,
            })
    });
    let name = root
        .and_then(|span| span.operation_name.clone())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| trace.trace_id.clone());
    TraceListing {
        id: trace.trace_id,
        name,
        start_ns: start_us.and_then(|us| us.checked_mul(NS_PER_US)),
        status: if failed {
            ListStatus::Failed
        } else {
            ListStatus::Completed
        },
        duration_ns: start_us
            .zip(end_us)
            .and_then(|(start, end)| (end - start).checked_mul(NS_PER_US)),
        total_tokens: None,
        cost_usd: None,
    }
}

/// Tempo's search answer (<https://grafana.com/docs/tempo/latest/api_docs/#search>).
#[derive(Deserialize)]
struct TempoList {
    traces: Vec<TempoTrace>,
    // `metrics` (bytes inspected, jobs) says nothing about the traces: skipped unread.
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TempoTrace {
    #[serde(rename = "traceID")]
    trace_id: String,
    root_trace_name: Option<String>,
    /// A string of digits in Tempo's answers (protobuf JSON writes 64-bit integers so).
    start_time_unix_nano: Option<crate::import::otlp::LooseInt>,
    /// Left out when zero (protobuf JSON), so a missing one is not known to be zero.
    duration_ms: Option<crate::import::otlp::LooseInt>,
    /// The matching spans: one set before Tempo 2.2, and still beside `spanSets` since.
    span_set: Option<TempoSpanSet>,
    span_sets: Option<Vec<TempoSpanSet>>,
}

#[derive(Deserialize)]
struct TempoSpanSet {
    spans: Option<Vec<TempoSpan>>,
}

#[derive(Deserialize)]
struct TempoSpan {
    attributes: Option<Vec<TempoAttribute>>,
}

/// A `{key, value: {stringValue}}` attribute; only string values matter here.
#[derive(Deserialize)]
struct TempoAttribute {
    key: String,
    value: Option<TempoValue>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TempoValue {
    string_value: Option<String>,
}

const NS_PER_MS: i64 = 1_000_000;

fn tempo_page(list: TempoList) -> ListPage {
    // Tempo has no "more" flag: a full page suggests there is more, as for Jaeger.
    let more = list.traces.len() >= LIST_LIMIT;
    ListPage {
        traces: list.traces.into_iter().map(tempo_listing).collect(),
        more,
    }
}

/// A Tempo search result as a row. Tempo states no trace status; a search whose TraceQL
/// selects `status` returns it as a span attribute, which marks the trace failed when it is
/// `error`. Otherwise the status is unknown (Tempo keeps finished spans only, but a trace
/// can still be gaining spans).
fn tempo_listing(trace: TempoTrace) -> TraceListing {
    let failed = trace
        .span_set
        .iter()
        .chain(trace.span_sets.iter().flatten())
        .flat_map(|set| set.spans.iter().flatten())
        .flat_map(|span| span.attributes.iter().flatten())
        .any(|attribute| {
            attribute.key == "status"
                && attribute
                    .value
                    .as_ref()
                    .and_then(|value| value.string_value.as_deref())
                    == Some("error")
        });
    TraceListing {
        name: trace
            .root_trace_name
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| trace.trace_id.clone()),
        id: trace.trace_id,
        start_ns: trace
            .start_time_unix_nano
            .map(|ns| ns.0)
            .filter(|ns| *ns > 0),
        status: if failed {
            ListStatus::Failed
        } else {
            ListStatus::Unknown
        },
        duration_ns: trace
            .duration_ms
            .and_then(|ms| ms.0.checked_mul(NS_PER_MS))
            .filter(|ns| *ns >= 0),
        total_tokens: None,
        cost_usd: None,
    }
}

// ---------------------------------------------------------------------------------------
// Plain words for the UI

/// Why a request to an API failed, for an answer with an HTTP error status.
pub fn http_failure(status: u16, status_text: &str, url: &str) -> String {
    let status_line = format!("{status} {status_text}").trim().to_string();
    let why = match status {
        401 => "it needs credentials, or refused the ones given. Check the key pair or token for this base URL.",
        403 => "the credentials given may not read these traces.",
        404 => "there is nothing at this address. Check the base URL and the API kind.",
        429 => "too many requests. Wait a moment, then retry.",
        500..=599 => "the server failed. Retry in a moment.",
        _ => "the request was not accepted.",
    };
    format!("The API answered {status_line} for {url}: {why}")
}

/// The live refresh interval: `poll_ms=` from the address (kept between 100 ms and an
/// hour), else every 5 s.
pub fn poll_interval_ms(param: Option<&str>) -> u32 {
    param
        .and_then(|text| text.trim().parse::<u32>().ok())
        .map_or(5_000, |ms| ms.clamp(100, 3_600_000))
}

/// The longest a failing live refresh waits between attempts (unless the interval itself
/// is longer).
pub const MAX_POLL_BACKOFF_MS: u64 = 300_000;

/// How long a live trace waits before its next refresh: the interval after a success;
/// after `failures` failed refreshes in a row, the interval doubled for each (so a server
/// that is down is not hammered), at most `MAX_POLL_BACKOFF_MS`; and never less than a
/// wait the server asked for (`Retry-After`).
pub fn poll_delay_ms(interval_ms: u32, failures: u32, retry_after_s: Option<u64>) -> u64 {
    let interval_ms = u64::from(interval_ms);
    let backoff_ms = interval_ms
        .saturating_mul(1u64 << failures.min(30))
        .min(MAX_POLL_BACKOFF_MS.max(interval_ms));
    backoff_ms.max(retry_after_s.unwrap_or(0).saturating_mul(1000))
}

/// A listed start time for the table: "2026-01-02 10:00:00 UTC", or "—".
pub fn format_start_ns(start_ns: Option<i64>) -> String {
    start_ns
        .map(|ns| {
            chrono::DateTime::from_timestamp_nanos(ns)
                .format("%Y-%m-%d %H:%M:%S UTC")
                .to_string()
        })
        .unwrap_or_else(|| "—".to_string())
}
