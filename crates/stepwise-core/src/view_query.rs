//! The view as it lives in the URL's query string, so a copied link reproduces it. Pure core.
//!
//! `?trace=demo&step=s12&from=1500&to=9000&panels=summary,timeline` — `from`/`to` are
//! the timeline's zoom window in milliseconds from the trace start.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything of the view that a link must reproduce.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ViewQuery {
    pub trace: Option<String>,
    pub selection: Option<Selection>,
    /// The timeline's zoom window, in ms from the trace start.
    pub window_ms: Option<(f64, f64)>,
    /// Panels the user closed, by name.
    pub hidden_panels: Vec<String>,
    /// The step search as typed (`q=`), parsed by `search::Query::parse` where it is used.
    pub search: Option<String>,
    /// The search narrows the step list to its matches rather than highlighting them
    /// (`qmode=filter`; only written while there is a search).
    pub search_filter: bool,
    /// Which view of the trace page is shown (`view=`); the timeline when absent.
    pub tab: TraceTab,
    /// The step the page is re-rooted at (`root=`): the timeline, step list, graph and
    /// reader show only its subtree.
    pub root: Option<String>,
    /// The agent graph shows one node per call rather than one per agent, tool or model
    /// (`graph=expanded`).
    pub graph_expanded: bool,
    /// Other parameters a link must keep as they are, in their order: where the trace
    /// comes from (`src`, `api`, `kind`, `id`) and how the page is embedded (`embed`,
    /// `theme`, `panels`, `origins`), and a fetch's `timeout_ms`. Their meaning belongs to
    /// `source`, `embed` and `intake`.
    pub kept: Vec<(String, String)>,
}

/// Parameters kept verbatim by `ViewQuery::kept`.
pub const KEPT_KEYS: [&str; 15] = [
    "src",
    "api",
    "kind",
    "id",
    "embed",
    "theme",
    "panels",
    "origins",
    "timeout_ms",
    "service",
    "poll_ms",
    // The two traces of the compare page (`source::Page::Compare`).
    "compare",
    "with",
    // The cost dashboard and the agent page (`source::Page::Dashboard`, `Page::Agent`).
    "dashboard",
    "agent_page",
];

/// The views of the trace page, shown one at a time as tabs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TraceTab {
    #[default]
    Timeline,
    Graph,
    Reader,
    Insights,
}

impl TraceTab {
    pub const ALL: [TraceTab; 4] = [
        TraceTab::Timeline,
        TraceTab::Graph,
        TraceTab::Reader,
        TraceTab::Insights,
    ];

    /// The name in the URL (`view=`).
    pub fn name(self) -> &'static str {
        match self {
            TraceTab::Timeline => "timeline",
            TraceTab::Graph => "graph",
            TraceTab::Reader => "reader",
            TraceTab::Insights => "insights",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TraceTab::Timeline => "Timeline",
            TraceTab::Graph => "Graph",
            TraceTab::Reader => "Reader",
            TraceTab::Insights => "Insights",
        }
    }

    pub fn from_name(name: &str) -> Option<TraceTab> {
        TraceTab::ALL.into_iter().find(|tab| tab.name() == name)
    }
}

/// What the details pane shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    Step(String),
    Task(String),
    Agent(String),
}

impl ViewQuery {
    /// Reads decoded `(key, value)` pairs; unknown keys and malformed values are ignored,
    /// because a hand-edited link should still open the trace.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> ViewQuery {
        let mut query = ViewQuery::default();
        let (mut from, mut to) = (None, None);
        for (key, value) in pairs {
            match key {
                "trace" if !value.is_empty() => query.trace = Some(value.to_string()),
                "step" if !value.is_empty() => {
                    query.selection = Some(Selection::Step(value.to_string()))
                }
                "task" if !value.is_empty() => {
                    query.selection = Some(Selection::Task(value.to_string()))
                }
                "agent" if !value.is_empty() => {
                    query.selection = Some(Selection::Agent(value.to_string()))
                }
                "q" if !value.trim().is_empty() => query.search = Some(value.to_string()),
                "qmode" => query.search_filter = value == "filter",
                "view" => query.tab = TraceTab::from_name(value).unwrap_or_default(),
                "root" if !value.is_empty() => query.root = Some(value.to_string()),
                "graph" => query.graph_expanded = value == "expanded",
                "from" => from = value.parse::<f64>().ok().filter(|v| v.is_finite()),
                "to" => to = value.parse::<f64>().ok().filter(|v| v.is_finite()),
                "hide" => {
                    query.hidden_panels = value
                        .split(',')
                        .filter(|name| !name.is_empty())
                        .map(str::to_string)
                        .collect()
                }
                key if KEPT_KEYS.contains(&key) && !value.is_empty() => {
                    query.kept.push((key.to_string(), value.to_string()))
                }
                _ => {}
            }
        }
        if let (Some(from), Some(to)) = (from, to) {
            if to > from {
                query.window_ms = Some((from, to));
            }
        }
        query
    }

    /// The query string, starting with `?`, with values percent-encoded.
    pub fn to_query_string(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(trace) = &self.trace {
            parts.push(format!("trace={}", encode(trace)));
        }
        for (key, value) in &self.kept {
            parts.push(format!("{key}={}", encode(value)));
        }
        if self.tab != TraceTab::Timeline {
            parts.push(format!("view={}", self.tab.name()));
        }
        if let Some(root) = &self.root {
            parts.push(format!("root={}", encode(root)));
        }
        if self.graph_expanded {
            parts.push("graph=expanded".to_string());
        }
        match &self.selection {
            Some(Selection::Step(id)) => parts.push(format!("step={}", encode(id))),
            Some(Selection::Task(id)) => parts.push(format!("task={}", encode(id))),
            Some(Selection::Agent(id)) => parts.push(format!("agent={}", encode(id))),
            None => {}
        }
        if let Some((from, to)) = self.window_ms {
            parts.push(format!("from={}&to={}", round_ms(from), round_ms(to)));
        }
        if !self.hidden_panels.is_empty() {
            let names: Vec<String> = self.hidden_panels.iter().map(|n| encode(n)).collect();
            parts.push(format!("hide={}", names.join(",")));
        }
        if let Some(search) = &self.search {
            parts.push(format!("q={}", encode(search)));
            if self.search_filter {
                parts.push("qmode=filter".to_string());
            }
        }
        format!("?{}", parts.join("&"))
    }

    /// The same view with another selection.
    pub fn with_selection(&self, selection: Option<Selection>) -> ViewQuery {
        ViewQuery {
            selection,
            ..self.clone()
        }
    }

    /// The same view with another search; blank text is no search.
    pub fn with_search(&self, search: &str) -> ViewQuery {
        ViewQuery {
            search: (!search.trim().is_empty()).then(|| search.to_string()),
            ..self.clone()
        }
    }

    /// The same view with the search filtering (`true`) or highlighting.
    pub fn with_search_filter(&self, search_filter: bool) -> ViewQuery {
        ViewQuery {
            search_filter,
            ..self.clone()
        }
    }

    pub fn with_tab(&self, tab: TraceTab) -> ViewQuery {
        ViewQuery {
            tab,
            ..self.clone()
        }
    }

    /// The same view re-rooted at a step, or at the whole trace (`None`). The zoom window
    /// belongs to the old root's span, so it goes.
    pub fn with_root(&self, root: Option<String>) -> ViewQuery {
        ViewQuery {
            root,
            window_ms: None,
            ..self.clone()
        }
    }

    pub fn with_window(&self, window_ms: Option<(f64, f64)>) -> ViewQuery {
        ViewQuery {
            window_ms,
            ..self.clone()
        }
    }

    /// A kept parameter's value (see `KEPT_KEYS`).
    pub fn kept(&self, key: &str) -> Option<&str> {
        self.kept
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.as_str())
    }

    pub fn selected_step(&self) -> Option<&str> {
        match &self.selection {
            Some(Selection::Step(id)) => Some(id),
            _ => None,
        }
    }
}

/// Microsecond precision is plenty for a zoom window and keeps links short.
fn round_ms(ms: f64) -> String {
    let rounded = (ms * 1000.0).round() / 1000.0;
    format!("{rounded}")
}

/// Everything but RFC 3986's unreserved characters, so a value cannot end its parameter
/// or path segment.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes a query value; ids come from untrusted files.
pub fn encode(text: &str) -> String {
    utf8_percent_encode(text, QUERY_VALUE).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_query_string() {
        let query = ViewQuery {
            trace: Some("demo".into()),
            selection: Some(Selection::Step("s 1&x".into())),
            window_ms: Some((1.5, 2500.0)),
            hidden_panels: vec!["output".into()],
            search: Some("kind:tool_call \"a b\"".into()),
            search_filter: true,
            tab: TraceTab::Graph,
            root: Some("r/1".into()),
            graph_expanded: true,
            kept: vec![
                ("src".into(), "https://x.test/t.json?a=1".into()),
                ("embed".into(), "1".into()),
            ],
        };
        let text = query.to_query_string();
        assert_eq!(
            text,
            "?trace=demo&src=https%3A%2F%2Fx.test%2Ft.json%3Fa%3D1&embed=1&view=graph&root=r%2F1&graph=expanded&step=s%201%26x&from=1.5&to=2500&hide=output&q=kind%3Atool_call%20%22a%20b%22&qmode=filter"
        );
        assert_eq!(query.kept("embed"), Some("1"));
        assert_eq!(query.kept("theme"), None);
        let decoded: Vec<(String, String)> = text[1..]
            .split('&')
            .map(|pair| {
                let (key, value) = pair.split_once('=').expect("key=value");
                (key.to_string(), decode(value))
            })
            .collect();
        let back = ViewQuery::from_pairs(decoded.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(back, query);
    }

    #[test]
    fn malformed_values_are_ignored() {
        let query = ViewQuery::from_pairs([("from", "abc"), ("to", "5"), ("step", ""), ("x", "y")]);
        assert_eq!(query, ViewQuery::default());
        let reversed = ViewQuery::from_pairs([("from", "9"), ("to", "5")]);
        assert_eq!(reversed.window_ms, None, "an empty window is no window");
    }

    #[test]
    fn the_search_lives_in_q_and_blank_is_none() {
        let query = ViewQuery::from_pairs([("trace", "demo"), ("q", "dur>2s")]);
        assert_eq!(query.search.as_deref(), Some("dur>2s"));
        assert_eq!(query.to_query_string(), "?trace=demo&q=dur%3E2s");
        assert_eq!(ViewQuery::from_pairs([("q", "  ")]).search, None);
        assert_eq!(query.with_search(" ").search, None);
        assert_eq!(
            query.with_search("kind:llm_call").search.as_deref(),
            Some("kind:llm_call")
        );
        // Filter mode is kept with the search, and only written while there is one.
        let filtering = query.with_search_filter(true);
        assert!(filtering
            .to_query_string()
            .ends_with("q=dur%3E2s&qmode=filter"));
        let back = ViewQuery::from_pairs([("q", "dur>2s"), ("qmode", "filter")]);
        assert!(back.search_filter);
        assert!(!filtering
            .with_search("")
            .to_query_string()
            .contains("qmode"));
        assert!(!ViewQuery::from_pairs([("qmode", "highlight")]).search_filter);
        // Selecting a step keeps the search, so stepping through matches keeps the link whole.
        let selected = query.with_selection(Some(Selection::Step("s1".into())));
        assert_eq!(selected.search.as_deref(), Some("dur>2s"));
    }

    #[test]
    fn the_tab_and_root_live_in_view_and_root() {
        let query = ViewQuery::from_pairs([("trace", "demo"), ("view", "reader")]);
        assert_eq!(query.tab, TraceTab::Reader);
        assert_eq!(query.to_query_string(), "?trace=demo&view=reader");
        // The default tab is not written, and an unknown one is the default.
        assert_eq!(
            query.with_tab(TraceTab::Timeline).to_query_string(),
            "?trace=demo"
        );
        assert_eq!(
            ViewQuery::from_pairs([("view", "nope")]).tab,
            TraceTab::Timeline
        );
        let zoomed = query.with_window(Some((1.0, 2.0)));
        let rooted = zoomed.with_root(Some("s7".into()));
        assert_eq!(rooted.root.as_deref(), Some("s7"));
        assert_eq!(rooted.window_ms, None, "re-rooting drops the old zoom");
        assert_eq!(rooted.with_root(None).root, None);
        for tab in TraceTab::ALL {
            assert_eq!(TraceTab::from_name(tab.name()), Some(tab));
        }
    }

    fn decode(text: &str) -> String {
        percent_encoding::percent_decode_str(text)
            .decode_utf8()
            .expect("utf-8")
            .into_owned()
    }
}
