//! Embedding: the iframe's URL parameters and the postMessage protocol. Pure core.
//!
//! An embedding page frames `index.html?embed=1&origins=https://host.example&theme=dark`
//! `&panels=timeline,steps&step=s12` and talks to it with `postMessage` (docs/embed.md).
//! Everything here is plain data so it is tested natively; `components::embed_bridge`
//! wires it to the browser.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::metrics::summarize;
use crate::model::Trace;
use crate::view_query::{Selection, ViewQuery};

/// Queuing and merging host messages so a flood cannot freeze the page.
pub mod inbox;

/// Bumped when a message changes shape in a way a host must know about.
pub const PROTOCOL_VERSION: u32 = 1;

/// The name a host's `load` gets when it sends none.
pub const DEFAULT_LOAD_NAME: &str = "embedded-trace.json";

/// Kept parameters that belong to the embedding rather than to the trace's source: a
/// trace the host loads replaces the source but keeps these.
const EMBED_KEYS: [&str; 4] = ["embed", "theme", "panels", "origins"];

/// The colour theme a host asks for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
    /// Follows the system's setting.
    #[default]
    System,
}

impl Theme {
    pub fn from_key(key: &str) -> Result<Theme, String> {
        match key.trim().to_ascii_lowercase().as_str() {
            "light" => Ok(Theme::Light),
            "dark" => Ok(Theme::Dark),
            "system" | "auto" => Ok(Theme::System),
            other => Err(format!(
                "Unknown theme {other:?}: expected \"light\", \"dark\" or \"system\"."
            )),
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
            Theme::System => "system",
        }
    }
}

/// Which parts of the trace page an embedding shows (`panels=`). The details pane goes
/// with the steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Panels {
    pub summary: bool,
    /// The insights panel: failures, critical path, waste and costs.
    pub insights: bool,
    /// The tasks and agents table.
    pub table: bool,
    pub timeline: bool,
    pub steps: bool,
    pub output: bool,
}

impl Default for Panels {
    fn default() -> Panels {
        Panels::all()
    }
}

impl Panels {
    pub fn all() -> Panels {
        Panels {
            summary: true,
            insights: true,
            table: true,
            timeline: true,
            steps: true,
            output: true,
        }
    }

    /// Reads `summary,insights,table,timeline,steps,output` in any order. Unknown names are
    /// skipped; a list naming nothing known shows everything, because a typo in the host's
    /// iframe src should not leave an empty frame.
    pub fn parse(list: &str) -> Panels {
        let mut panels = Panels {
            summary: false,
            insights: false,
            table: false,
            timeline: false,
            steps: false,
            output: false,
        };
        let mut known = false;
        for name in list.split(',').map(|name| name.trim().to_ascii_lowercase()) {
            let flag = match name.as_str() {
                "summary" => &mut panels.summary,
                "insights" => &mut panels.insights,
                // The page calls that panel "Tasks & agents" and hides it as `tasks`.
                "table" | "tasks" => &mut panels.table,
                "timeline" => &mut panels.timeline,
                "steps" | "details" => &mut panels.steps,
                "output" => &mut panels.output,
                _ => continue,
            };
            *flag = true;
            known = true;
        }
        if known {
            panels
        } else {
            Panels::all()
        }
    }
}

/// What the embedding parameters of the URL ask for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmbedConfig {
    /// `embed=1`: no site chrome, and the postMessage bridge listens.
    pub embedded: bool,
    /// `theme=`; `None` when absent or unknown.
    pub theme: Option<Theme>,
    pub panels: Panels,
    /// `origins=`, normalised; empty when absent (the page's own origin then applies,
    /// see `allowed_origins`).
    pub origins: Vec<String>,
    /// Entries of `origins=` that are not an origin, with the reason, for the console.
    pub rejected_origins: Vec<String>,
}

impl EmbedConfig {
    pub fn from_query(query: &ViewQuery) -> EmbedConfig {
        let embedded = matches!(
            query.kept("embed").map(|v| v.trim().to_ascii_lowercase()),
            Some(v) if v == "1" || v == "true" || v == "yes"
        );
        let theme = query
            .kept("theme")
            .and_then(|key| Theme::from_key(key).ok());
        let panels = query.kept("panels").map(Panels::parse).unwrap_or_default();
        let (mut origins, mut rejected_origins) = (Vec::new(), Vec::new());
        for entry in query.kept("origins").unwrap_or("").split(',') {
            if entry.trim().is_empty() {
                continue;
            }
            match normalize_origin(entry) {
                Ok(origin) if !origins.contains(&origin) => origins.push(origin),
                Ok(_) => {}
                Err(reason) => rejected_origins.push(reason),
            }
        }
        EmbedConfig {
            embedded,
            theme,
            panels,
            origins,
            rejected_origins,
        }
    }

    /// The origins whose messages are obeyed: those listed in `origins=`, or else only
    /// the page's own origin.
    pub fn allowed_origins(&self, own_origin: &str) -> Vec<String> {
        if self.origins.is_empty() {
            normalize_origin(own_origin).into_iter().collect()
        } else {
            self.origins.clone()
        }
    }
}

/// `scheme://host[:port]` in lower case without a default port, as browsers report
/// `MessageEvent.origin`. Paths, wildcards and the opaque origin `null` are refused:
/// the allow-list is a list of exact origins.
pub fn normalize_origin(text: &str) -> Result<String, String> {
    let trimmed = text.trim();
    let refuse = |why: &str| Err(format!("{trimmed:?} is not an origin: {why}"));
    if trimmed == "null" {
        return refuse("the opaque origin of sandboxed and file pages cannot be trusted");
    }
    if trimmed.contains('*') {
        return refuse("wildcards are not accepted; list exact origins");
    }
    let Some((scheme, rest)) = trimmed.split_once("://") else {
        return refuse("expected scheme://host[:port], such as https://dash.example.com");
    };
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    if !scheme_ok {
        return refuse("the scheme is malformed");
    }
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    if authority.is_empty() || authority.contains(['/', '?', '#', '@', ' ']) {
        return refuse("expected only scheme://host[:port], with no path, query or user");
    }
    let scheme = scheme.to_ascii_lowercase();
    let authority = authority.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => Some(":80"),
        "https" => Some(":443"),
        _ => None,
    };
    let authority = match default_port {
        Some(port) => authority.strip_suffix(port).unwrap_or(&authority),
        None => &authority,
    };
    Ok(format!("{scheme}://{authority}"))
}

/// Whether a message from `origin` (a `MessageEvent.origin`) may be obeyed.
pub fn origin_allowed(allowed: &[String], origin: &str) -> bool {
    normalize_origin(origin).is_ok_and(|origin| allowed.contains(&origin))
}

/// Where to send messages before the host has spoken: the first candidate (the parent's
/// origin as the browser reports it, then the referrer's) that is allowed, else the only
/// allowed origin. `None` means wait for the host's ping rather than guess, because a
/// wrong target origin drops the message.
pub fn startup_target(allowed: &[String], candidates: &[&str]) -> Option<String> {
    candidates
        .iter()
        .filter_map(|candidate| normalize_origin(candidate).ok())
        .find(|origin| allowed.contains(origin))
        .or_else(|| match allowed {
            [only] => Some(only.clone()),
            _ => None,
        })
}

/// A host's trace: JSON text, or the bytes of a file (any format Stepwise reads).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadContent {
    Text(String),
    Bytes(Vec<u8>),
}

impl LoadContent {
    pub fn into_bytes(self) -> Vec<u8> {
        match self {
            LoadContent::Text(text) => text.into_bytes(),
            LoadContent::Bytes(bytes) => bytes,
        }
    }
}

/// A message from the host page.
#[derive(Clone, Debug, PartialEq)]
pub enum Inbound {
    Ping,
    Load {
        name: String,
        content: LoadContent,
    },
    /// Select a step or task; `None` clears the selection.
    Select(Option<Selection>),
    /// The timeline's window in ms from the trace start; `None` shows it all.
    SetWindow(Option<(f64, f64)>),
    SetTheme(Theme),
}

/// Reads a host's message. `value` is the message as JSON; `buffer` holds the bytes of
/// its `buffer` field when that was an `ArrayBuffer` or typed array, which JSON cannot
/// carry, so the bridge takes it out of `value` first. The error is a sentence for the
/// host's console.
pub fn parse_inbound(value: &Value, buffer: Option<Vec<u8>>) -> Result<Inbound, String> {
    let Value::Object(fields) = value else {
        return Err(format!(
            "A Stepwise message must be an object with a string \"type\"; got {}.",
            json_kind(value)
        ));
    };
    let Some(kind) = fields.get("type").and_then(Value::as_str) else {
        return Err(
            "A Stepwise message needs a string \"type\", such as {\"type\": \"ping\"}.".into(),
        );
    };
    match kind {
        "ping" => Ok(Inbound::Ping),
        "load" => parse_load(fields, buffer),
        "select" => parse_select(fields),
        "set-window" => parse_window(fields),
        "set-theme" => match fields.get("theme").and_then(Value::as_str) {
            Some(key) => Theme::from_key(key).map(Inbound::SetTheme),
            None => Err("set-theme needs \"theme\": \"light\", \"dark\" or \"system\".".into()),
        },
        other => Err(format!(
            "Unknown message type {other:?}: expected ping, load, select, set-window or set-theme."
        )),
    }
}

fn parse_load(fields: &Map<String, Value>, buffer: Option<Vec<u8>>) -> Result<Inbound, String> {
    let name = match fields.get("name") {
        None | Some(Value::Null) => DEFAULT_LOAD_NAME.to_string(),
        Some(Value::String(name)) if !name.trim().is_empty() => clip(name.trim(), 200),
        Some(other) => {
            return Err(format!(
                "load's \"name\" must be a non-empty string; got {}.",
                json_kind(other)
            ))
        }
    };
    let text = fields.get("text");
    let content = match (text, buffer) {
        (Some(_), Some(_)) => {
            return Err("load takes \"text\" or \"buffer\", not both.".into());
        }
        (Some(Value::String(text)), None) => LoadContent::Text(text.clone()),
        (Some(other), None) => {
            return Err(format!(
                "load's \"text\" must be a string of JSON; got {}. Send objects with \
                 JSON.stringify, or the file's bytes as \"buffer\".",
                json_kind(other)
            ))
        }
        (None, Some(bytes)) => LoadContent::Bytes(bytes),
        (None, None) if fields.contains_key("buffer") => {
            return Err("load's \"buffer\" must be an ArrayBuffer or a typed array.".into());
        }
        (None, None) => {
            return Err(
                "load needs \"text\" (the trace as a string) or \"buffer\" (an ArrayBuffer)."
                    .into(),
            )
        }
    };
    Ok(Inbound::Load { name, content })
}

fn parse_select(fields: &Map<String, Value>) -> Result<Inbound, String> {
    let mut chosen = Vec::new();
    for key in ["step", "task", "agent"] {
        match fields.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::String(id)) if !id.is_empty() => chosen.push((key, id.clone())),
            Some(other) => {
                return Err(format!(
                    "select's \"{key}\" must be a non-empty id string; got {}.",
                    json_kind(other)
                ))
            }
        }
    }
    match chosen.as_slice() {
        [] => Ok(Inbound::Select(None)),
        [(key, id)] => Ok(Inbound::Select(Some(match *key {
            "step" => Selection::Step(id.clone()),
            "task" => Selection::Task(id.clone()),
            _ => Selection::Agent(id.clone()),
        }))),
        _ => Err("select takes one of \"step\", \"task\" or \"agent\", not several.".into()),
    }
}

fn parse_window(fields: &Map<String, Value>) -> Result<Inbound, String> {
    let bound = |key: &str| match fields.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(number)) => match number.as_f64() {
            Some(ms) if ms.is_finite() => Ok(Some(ms)),
            _ => Err(format!("set-window's \"{key}\" is not a finite number.")),
        },
        Some(other) => Err(format!(
            "set-window's \"{key}\" must be a number of ms from the trace start, or null; got {}.",
            json_kind(other)
        )),
    };
    match (bound("from_ms")?, bound("to_ms")?) {
        (None, None) => Ok(Inbound::SetWindow(None)),
        (Some(from), Some(to)) if to > from => Ok(Inbound::SetWindow(Some((from, to)))),
        (Some(from), Some(to)) => Err(format!(
            "set-window needs from_ms < to_ms; got {from} and {to}."
        )),
        _ => Err(
            "set-window needs both from_ms and to_ms, or neither to show the whole trace.".into(),
        ),
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn clip(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}

/// The figures `loaded` reports, from `metrics::summarize`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LoadedSummary {
    pub name: String,
    pub status: &'static str,
    pub steps: usize,
    pub tasks: usize,
    pub agents: usize,
    /// `null` when no LLM call records tokens; a partial sum when `tokens_partial`.
    pub tokens: Option<u64>,
    pub tokens_partial: bool,
    /// `null` when no LLM call has a cost; the priced calls' sum when `cost_partial`.
    pub cost_usd: Option<f64>,
    pub cost_partial: bool,
    /// True when part of `cost_usd` is estimated from prices rather than stated.
    pub cost_estimated: bool,
    pub duration_ms: Option<f64>,
    pub errors: usize,
}

impl LoadedSummary {
    pub fn of(trace: &Trace) -> LoadedSummary {
        let summary = summarize(trace);
        LoadedSummary {
            name: trace.name.clone(),
            status: trace.status.label(),
            steps: summary.steps,
            tasks: summary.tasks,
            agents: summary.agents,
            tokens: summary.total_tokens.value(),
            tokens_partial: summary.total_tokens.is_partial(),
            // Sums of float prices carry noise (0.30000000000000004); a micro-dollar is
            // finer than any price.
            cost_usd: summary
                .cost_usd
                .value()
                .map(|usd| (usd * 1e6).round() / 1e6),
            cost_partial: summary.cost_usd.is_partial(),
            cost_estimated: summary.cost_estimated,
            duration_ms: summary.duration_ns.map(|ns| ns as f64 / 1e6),
            errors: summary.errors,
        }
    }
}

/// A message to the host page.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Outbound {
    Ready {
        protocol: u32,
        /// Messages ignored so far because of their origin or sender.
        ignored_messages: u64,
    },
    Loaded {
        summary: LoadedSummary,
    },
    StepSelected {
        /// `None` (null) when the selection was cleared or is not a step.
        id: Option<String>,
        name: Option<String>,
        kind: Option<&'static str>,
    },
    Error {
        message: String,
    },
    Resize {
        height_px: u32,
    },
}

impl Outbound {
    pub fn ready(ignored_messages: u64) -> Outbound {
        Outbound::Ready {
            protocol: PROTOCOL_VERSION,
            ignored_messages,
        }
    }

    /// `step-selected` for `step_id` in `trace`; a step the trace lacks reads as none.
    pub fn step_selected(trace: &Trace, step_id: Option<&str>) -> Outbound {
        match step_id.and_then(|id| trace.step(id)) {
            Some(step) => Outbound::StepSelected {
                id: Some(step.id.clone()),
                name: Some(step.name.clone()),
                kind: Some(step.kind.key()),
            },
            None => Outbound::StepSelected {
                id: None,
                name: None,
                kind: None,
            },
        }
    }

    /// The message as JSON text, `type` first as documented (a `Value` would sort keys).
    pub fn to_json_text(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|error| {
            Outbound::Error {
                message: format!("Stepwise could not encode a message: {error}"),
            }
            .to_json()
            .to_string()
        })
    }

    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or_else(|error| {
            serde_json::json!({"type": "error", "message": format!("Stepwise could not encode a message: {error}")})
        })
    }
}

/// What the bridge last announced: which load of a trace (0 = none yet) and which step.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Seen {
    pub generation: u64,
    pub step: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Announce {
    Loaded,
    StepSelected,
}

/// What to tell the host when the loaded trace or the selected step changes: a new
/// trace is `loaded` (then its selected step, if any); a new selection in the same trace
/// is `step-selected`, including a cleared one.
pub fn announcements(previous: &Seen, now: &Seen) -> Vec<Announce> {
    if now.generation == 0 {
        return Vec::new();
    }
    if now.generation != previous.generation {
        let mut out = vec![Announce::Loaded];
        if now.step.is_some() {
            out.push(Announce::StepSelected);
        }
        return out;
    }
    if now.step != previous.step {
        return vec![Announce::StepSelected];
    }
    Vec::new()
}

/// Whether a new content height is worth a `resize`: any whole-pixel change.
pub fn resize_due(last_px: Option<u32>, height_px: u32) -> bool {
    last_px != Some(height_px)
}

/// A key for a host-loaded trace that no opened trace uses yet, so loading a second
/// trace with the same name changes the address and the page shows it.
pub fn unique_key(name: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(name) {
        return name.to_string();
    }
    (2..)
        .map(|n| format!("{name} ({n})"))
        .find(|key| !taken(key))
        .unwrap_or_else(|| name.to_string())
}

/// The view after the host loads a trace: `trace` names it, the embedding parameters
/// stay, and the old source, selection and window go (they belonged to the old trace).
pub fn query_for_loaded(current: &ViewQuery, trace_param: &str) -> ViewQuery {
    ViewQuery {
        trace: Some(trace_param.to_string()),
        selection: None,
        window_ms: None,
        hidden_panels: current.hidden_panels.clone(),
        search: None,
        search_filter: false,
        // The view shown is the host's layout choice; a root belonged to the old trace.
        tab: current.tab,
        root: None,
        graph_expanded: current.graph_expanded,
        kept: current
            .kept
            .iter()
            .filter(|(key, _)| EMBED_KEYS.contains(&key.as_str()))
            .cloned()
            .collect(),
    }
}

/// The view with `theme=` set, so a reload or a copied link keeps the host's theme.
pub fn query_with_theme(current: &ViewQuery, theme: Theme) -> ViewQuery {
    let mut next = current.clone();
    match next.kept.iter_mut().find(|(key, _)| key == "theme") {
        Some(entry) => entry.1 = theme.key().to_string(),
        None => next.kept.push(("theme".into(), theme.key().into())),
    }
    next
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn query(pairs: &[(&str, &str)]) -> ViewQuery {
        ViewQuery::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn the_config_reads_every_embedding_parameter() {
        let config = EmbedConfig::from_query(&query(&[
            ("embed", "1"),
            ("theme", "dark"),
            ("panels", "timeline, steps"),
            (
                "origins",
                "https://Dash.Example.com:443/,http://localhost:8000,*,null",
            ),
        ]));
        assert!(config.embedded);
        assert_eq!(config.theme, Some(Theme::Dark));
        assert_eq!(
            config.panels,
            Panels {
                summary: false,
                insights: false,
                table: false,
                timeline: true,
                steps: true,
                output: false
            }
        );
        assert_eq!(
            config.origins,
            vec!["https://dash.example.com", "http://localhost:8000"]
        );
        assert_eq!(config.rejected_origins.len(), 2);
        assert!(config.rejected_origins[0].contains("wildcards"));
        assert!(config.rejected_origins[1].contains("opaque origin"));
    }

    #[test]
    fn without_parameters_nothing_is_embedded_and_everything_shows() {
        let config = EmbedConfig::from_query(&query(&[("trace", "demo")]));
        assert_eq!(config, EmbedConfig::default());
        assert!(!config.embedded);
        assert_eq!(config.panels, Panels::all());
        assert!(!EmbedConfig::from_query(&query(&[("embed", "0")])).embedded);
        assert!(EmbedConfig::from_query(&query(&[("embed", "true")])).embedded);
        assert_eq!(
            EmbedConfig::from_query(&query(&[("theme", "purple")])).theme,
            None,
            "an unknown theme leaves the theme alone"
        );
    }

    #[test]
    fn panel_lists_map_onto_the_page_and_a_list_of_typos_shows_everything() {
        let panels = Panels::parse("summary,table,output");
        assert!(panels.summary && panels.table && panels.output);
        assert!(!panels.timeline && !panels.steps);
        assert!(Panels::parse("tasks").table);
        assert!(Panels::parse("insights").insights && !Panels::parse("summary").insights);
        assert!(Panels::parse("details").steps);
        assert_eq!(Panels::parse("timelines,stepz"), Panels::all());
    }

    #[test]
    fn the_allow_list_defaults_to_the_page_s_own_origin() {
        let config = EmbedConfig::from_query(&query(&[("embed", "1")]));
        let allowed = config.allowed_origins("http://127.0.0.1:8080");
        assert_eq!(allowed, vec!["http://127.0.0.1:8080"]);
        assert!(origin_allowed(&allowed, "http://127.0.0.1:8080"));
        assert!(!origin_allowed(&allowed, "http://localhost:8080"));
        assert!(!origin_allowed(&allowed, "null"));
        let listed = EmbedConfig::from_query(&query(&[("origins", "https://a.test")]));
        assert_eq!(
            listed.allowed_origins("http://127.0.0.1:8080"),
            vec!["https://a.test"]
        );
    }

    #[test]
    fn origins_match_exactly_after_normalising() {
        assert_eq!(
            normalize_origin("HTTP://Example.COM:80").as_deref(),
            Ok("http://example.com")
        );
        assert_eq!(
            normalize_origin("https://x.test:8443/").as_deref(),
            Ok("https://x.test:8443")
        );
        assert!(normalize_origin("https://x.test/path").is_err());
        assert!(normalize_origin("x.test").is_err());
        assert!(normalize_origin("https://user@x.test").is_err());
        assert!(normalize_origin("1http://x.test").is_err());
        let allowed = vec!["https://dash.example.com".to_string()];
        assert!(origin_allowed(&allowed, "https://dash.example.com"));
        assert!(!origin_allowed(
            &allowed,
            "https://dash.example.com.evil.test"
        ));
        assert!(
            !origin_allowed(&allowed, "http://dash.example.com"),
            "the scheme counts"
        );
        assert!(
            !origin_allowed(&allowed, "https://dash.example.com:8443"),
            "the port counts"
        );
    }

    #[test]
    fn the_startup_target_is_never_a_guess() {
        let two = vec!["https://a.test".to_string(), "https://b.test".to_string()];
        assert_eq!(
            startup_target(&two, &["https://b.test", ""]).as_deref(),
            Some("https://b.test")
        );
        assert_eq!(startup_target(&two, &["https://evil.test"]), None);
        assert_eq!(startup_target(&two, &[]), None);
        let one = vec!["https://a.test".to_string()];
        assert_eq!(startup_target(&one, &[]).as_deref(), Some("https://a.test"));
    }

    #[test]
    fn host_messages_parse_into_commands() {
        assert_eq!(
            parse_inbound(&json!({"type": "ping"}), None),
            Ok(Inbound::Ping)
        );
        assert_eq!(
            parse_inbound(
                &json!({"type": "load", "name": "run.json", "text": "{}"}),
                None
            ),
            Ok(Inbound::Load {
                name: "run.json".into(),
                content: LoadContent::Text("{}".into())
            })
        );
        assert_eq!(
            parse_inbound(&json!({"type": "load"}), Some(vec![1, 2])),
            Ok(Inbound::Load {
                name: DEFAULT_LOAD_NAME.into(),
                content: LoadContent::Bytes(vec![1, 2])
            })
        );
        assert_eq!(
            parse_inbound(&json!({"type": "select", "step": "s12"}), None),
            Ok(Inbound::Select(Some(Selection::Step("s12".into()))))
        );
        assert_eq!(
            parse_inbound(&json!({"type": "select", "task": "t1", "step": null}), None),
            Ok(Inbound::Select(Some(Selection::Task("t1".into()))))
        );
        assert_eq!(
            parse_inbound(&json!({"type": "select"}), None),
            Ok(Inbound::Select(None))
        );
        assert_eq!(
            parse_inbound(
                &json!({"type": "set-window", "from_ms": 10, "to_ms": 2500.5}),
                None
            ),
            Ok(Inbound::SetWindow(Some((10.0, 2500.5))))
        );
        assert_eq!(
            parse_inbound(
                &json!({"type": "set-window", "from_ms": null, "to_ms": null}),
                None
            ),
            Ok(Inbound::SetWindow(None))
        );
        assert_eq!(
            parse_inbound(&json!({"type": "set-theme", "theme": "Dark"}), None),
            Ok(Inbound::SetTheme(Theme::Dark))
        );
    }

    #[test]
    fn malformed_messages_are_explained() {
        let error = |value: Value| parse_inbound(&value, None).unwrap_err();
        assert_eq!(
            error(json!("ping")),
            "A Stepwise message must be an object with a string \"type\"; got a string."
        );
        assert!(error(json!({"kind": "ping"})).contains("needs a string \"type\""));
        assert_eq!(
            error(json!({"type": "explode"})),
            "Unknown message type \"explode\": expected ping, load, select, set-window or set-theme."
        );
        assert!(error(json!({"type": "load"})).contains("needs \"text\""));
        assert!(error(json!({"type": "load", "text": {"a": 1}})).contains("got an object"));
        assert!(error(json!({"type": "load", "buffer": "abc"})).contains("ArrayBuffer"));
        assert!(error(json!({"type": "load", "name": 5, "text": "{}"})).contains("\"name\""));
        assert_eq!(
            parse_inbound(&json!({"type": "load", "text": "{}"}), Some(vec![1])).unwrap_err(),
            "load takes \"text\" or \"buffer\", not both."
        );
        assert!(error(json!({"type": "select", "step": "a", "task": "b"})).contains("not several"));
        assert!(error(json!({"type": "select", "step": 3})).contains("got a number"));
        assert_eq!(
            error(json!({"type": "set-window", "from_ms": 9, "to_ms": 5})),
            "set-window needs from_ms < to_ms; got 9 and 5."
        );
        assert!(error(json!({"type": "set-window", "from_ms": 9})).contains("both"));
        assert!(
            error(json!({"type": "set-window", "from_ms": "9", "to_ms": 10}))
                .contains("got a string")
        );
        assert!(
            error(json!({"type": "set-theme", "theme": "neon"})).contains("Unknown theme \"neon\"")
        );
        assert!(error(json!({"type": "set-theme"})).contains("needs \"theme\""));
    }

    fn demo() -> Trace {
        let bytes = include_bytes!("../../../public/demo/trace.json");
        crate::import::import_bytes(bytes)
            .expect("the demo imports")
            .remove(0)
    }

    #[test]
    fn outbound_messages_have_the_documented_shape() {
        assert_eq!(
            Outbound::Resize { height_px: 640 }.to_json_text(),
            r#"{"type":"resize","height_px":640}"#
        );
        assert_eq!(
            Outbound::ready(3).to_json(),
            json!({"type": "ready", "protocol": 1, "ignored_messages": 3})
        );
        assert_eq!(
            Outbound::Error {
                message: "bad".into()
            }
            .to_json(),
            json!({"type": "error", "message": "bad"})
        );
        assert_eq!(
            Outbound::Resize { height_px: 640 }.to_json(),
            json!({"type": "resize", "height_px": 640})
        );
        let trace = demo();
        let step = &trace.steps[3];
        assert_eq!(
            Outbound::step_selected(&trace, Some(&step.id)).to_json(),
            json!({"type": "step-selected", "id": step.id, "name": step.name, "kind": step.kind.key()})
        );
        assert_eq!(
            Outbound::step_selected(&trace, Some("no-such-step")).to_json(),
            json!({"type": "step-selected", "id": null, "name": null, "kind": null})
        );
    }

    #[test]
    fn loaded_carries_the_summary_figures() {
        let trace = demo();
        let summary = summarize(&trace);
        let message = Outbound::Loaded {
            summary: LoadedSummary::of(&trace),
        }
        .to_json();
        assert_eq!(message["type"], "loaded");
        let figures = &message["summary"];
        assert_eq!(figures["name"], json!(trace.name));
        assert_eq!(figures["status"], json!(trace.status.label()));
        assert_eq!(figures["steps"], json!(trace.steps.len()));
        assert_eq!(figures["tasks"], json!(trace.tasks.len()));
        assert_eq!(figures["agents"], json!(trace.agents.len()));
        assert_eq!(figures["tokens"], json!(summary.total_tokens));
        assert_eq!(figures["errors"], json!(summary.errors));
        let duration_ns = summary.duration_ns.expect("the demo has a duration");
        assert_eq!(figures["duration_ms"], json!(duration_ns as f64 / 1e6));
        let cost = figures["cost_usd"].as_f64().expect("a number");
        assert!((cost - summary.cost_usd.known).abs() < 1e-6);
    }

    #[test]
    fn announcements_follow_loads_and_selections() {
        let seen = |generation, step: Option<&str>| Seen {
            generation,
            step: step.map(str::to_string),
        };
        assert_eq!(
            announcements(&Seen::default(), &seen(0, Some("s1"))),
            vec![]
        );
        assert_eq!(
            announcements(&Seen::default(), &seen(1, None)),
            vec![Announce::Loaded]
        );
        assert_eq!(
            announcements(&seen(1, None), &seen(2, Some("s1"))),
            vec![Announce::Loaded, Announce::StepSelected]
        );
        assert_eq!(
            announcements(&seen(2, Some("s1")), &seen(2, Some("s2"))),
            vec![Announce::StepSelected]
        );
        assert_eq!(
            announcements(&seen(2, Some("s2")), &seen(2, None)),
            vec![Announce::StepSelected],
            "clearing the selection is announced"
        );
        assert_eq!(announcements(&seen(2, None), &seen(2, None)), vec![]);
    }

    #[test]
    fn small_helpers() {
        assert!(resize_due(None, 10));
        assert!(!resize_due(Some(10), 10));
        assert!(resize_due(Some(10), 11));
        let taken = ["run.json", "run.json (2)"];
        assert_eq!(
            unique_key("run.json", |k| taken.contains(&k)),
            "run.json (3)"
        );
        assert_eq!(
            unique_key("other.json", |k| taken.contains(&k)),
            "other.json"
        );
        assert_eq!(LoadContent::Text("ab".into()).into_bytes(), b"ab".to_vec());
    }

    #[test]
    fn a_loaded_trace_keeps_only_the_embedding_parameters() {
        let current = query(&[
            ("src", "https://x.test/a.json"),
            ("embed", "1"),
            ("origins", "https://h.test"),
            ("step", "s1"),
            ("from", "1"),
            ("to", "2"),
            ("hide", "timeline"),
        ]);
        let next = query_for_loaded(&current, "file:run.json");
        assert_eq!(
            next.to_query_string(),
            "?trace=file%3Arun.json&embed=1&origins=https%3A%2F%2Fh.test&hide=timeline"
        );
        let themed = query_with_theme(&next, Theme::Dark);
        assert_eq!(themed.kept("theme"), Some("dark"));
        assert_eq!(
            query_with_theme(&themed, Theme::Light).kept("theme"),
            Some("light")
        );
        assert_eq!(query_with_theme(&themed, Theme::Light).kept.len(), 3);
    }
}
