//! Where a trace comes from (a tagged union, as Perfetto does it) and what the address asks to show. State layer: uses the core only.

use stepwise_core::api::ApiKind;
use stepwise_core::recent::SourceKind;
use stepwise_core::rollup::RankBy;
use stepwise_core::view_query::ViewQuery;

/// Prefix of `?trace=` values naming a trace opened from a file in this tab.
const FILE_PREFIX: &str = "file:";

/// A trace source as named in the URL: `?trace=demo`, `?trace=file:run.json`,
/// `?src=https://…/run.json` or `?api=https://…&kind=langfuse&id=abc`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraceSource {
    Demo,
    /// A trace opened from a file in this tab, by its key in `OpenTraces`.
    File(String),
    /// A trace fetched from any URL (`?src=`).
    Url(String),
    /// One trace of a connected API.
    Api(ApiTrace),
    /// The trace a shareable page carries (`?trace=shared`), read-only.
    Shared,
}

/// One trace of an API: where the API is, which kind it speaks, and the trace's id.
/// Credentials are never part of it: they stay in session storage (see `api_client`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiTrace {
    pub base: String,
    pub kind: ApiKind,
    pub id: String,
}

/// What the address asks the app to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Page {
    /// No trace named: open a file, a URL, an API, the demo or a recent trace.
    Home,
    /// The trace list of a connected API (`?api=…&kind=…`, no `id`).
    TraceList {
        base: String,
        kind: ApiKind,
    },
    Trace(TraceSource),
    /// Two traces side by side (`?compare=demo&with=file:run.json`); `b` is picked on the
    /// page when the address names only `a`.
    Compare {
        a: TraceSource,
        b: Option<TraceSource>,
    },
    /// The cost dashboard over the traces loaded in this tab (`?dashboard=cost` or
    /// `?dashboard=tokens`, the figure it ranks by).
    Dashboard {
        by: RankBy,
    },
    /// One agent, by role, across the traces loaded in this tab (`?agent_page=<role>`).
    Agent {
        role: String,
    },
}

impl Page {
    /// Reads the page from the query; the error is a sentence for the user.
    pub fn from_query(query: &ViewQuery) -> Result<Page, String> {
        if let Some(a) = query.kept("compare") {
            return Ok(Page::Compare {
                a: TraceSource::from_trace_param(a)?,
                b: query
                    .kept("with")
                    .map(TraceSource::from_trace_param)
                    .transpose()?,
            });
        }
        if let Some(by) = query.kept("dashboard") {
            let by = match by {
                "tokens" => RankBy::Tokens,
                _ => RankBy::CostUsd,
            };
            return Ok(Page::Dashboard { by });
        }
        if let Some(role) = query.kept("agent_page") {
            return Ok(Page::Agent {
                role: role.to_string(),
            });
        }
        if let Some(url) = query.kept("src") {
            return Ok(Page::Trace(TraceSource::Url(url.to_string())));
        }
        if let Some(base) = query.kept("api") {
            let kind = ApiKind::from_key(query.kept("kind").unwrap_or("stepwise"))?;
            let base = base.to_string();
            return Ok(match query.kept("id") {
                Some(id) => Page::Trace(TraceSource::Api(ApiTrace {
                    base,
                    kind,
                    id: id.to_string(),
                })),
                None => Page::TraceList { base, kind },
            });
        }
        match query.trace.as_deref() {
            None => Ok(Page::Home),
            Some(value) => TraceSource::from_trace_param(value).map(Page::Trace),
        }
    }
}

/// Which trace of its file a file key names: a file of several traces keeps them as
/// "name", "name#2", …, so "name#2" is index 1.
pub fn file_trace_index(key: &str) -> usize {
    key.rsplit_once('#')
        .and_then(|(_, n)| n.parse::<usize>().ok())
        .map_or(0, |n| n.saturating_sub(1))
}

impl TraceSource {
    /// Where the trace came from, as the recent list records it.
    pub fn recent_kind(&self) -> SourceKind {
        match self {
            TraceSource::Demo => SourceKind::Demo,
            TraceSource::File(_) => SourceKind::File,
            TraceSource::Url(_) => SourceKind::Url,
            TraceSource::Api(_) => SourceKind::Api,
            // Never recorded (`RememberRecent` skips it): a share lives in its own file.
            TraceSource::Shared => SourceKind::File,
        }
    }

    /// Reads the `trace` query parameter.
    pub fn from_trace_param(value: &str) -> Result<TraceSource, String> {
        match value {
            "demo" => Ok(TraceSource::Demo),
            "shared" => Ok(TraceSource::Shared),
            value => match value.strip_prefix(FILE_PREFIX) {
                Some(key) if !key.is_empty() => Ok(TraceSource::File(key.to_string())),
                _ => Err(format!(
                    "Unknown trace {value:?} in the address: expected \"demo\" or a file opened in this tab."
                )),
            },
        }
    }

    /// The `trace` parameter naming this source, for the sources that have one (the
    /// compare page names its two traces this way).
    pub fn trace_param(&self) -> Option<String> {
        match self {
            TraceSource::Demo => Some("demo".to_string()),
            TraceSource::Shared => Some("shared".to_string()),
            TraceSource::File(key) => Some(format!("{FILE_PREFIX}{key}")),
            TraceSource::Url(_) | TraceSource::Api(_) => None,
        }
    }

    /// The query string of the compare page for `a` and, if chosen, `b`.
    pub fn compare_query(a: &str, b: Option<&str>) -> String {
        let mut query = ViewQuery::default();
        query.kept.push(("compare".into(), a.to_string()));
        if let Some(b) = b {
            query.kept.push(("with".into(), b.to_string()));
        }
        query.to_query_string()
    }

    /// The view that opens this source, to add a selection to (cross-trace pages link
    /// into a trace with a task, agent or step selected).
    pub fn view_query(&self) -> ViewQuery {
        let mut query = ViewQuery::default();
        match self {
            TraceSource::Demo => query.trace = Some("demo".to_string()),
            TraceSource::Shared => query.trace = Some("shared".to_string()),
            TraceSource::File(key) => query.trace = Some(format!("{FILE_PREFIX}{key}")),
            TraceSource::Url(url) => query.kept.push(("src".into(), url.clone())),
            TraceSource::Api(api) => {
                query.kept.push(("api".into(), api.base.clone()));
                query.kept.push(("kind".into(), api.kind.key().into()));
                query.kept.push(("id".into(), api.id.clone()));
            }
        }
        query
    }

    /// The query string that opens this source, starting with `?`.
    pub fn query_string(&self) -> String {
        self.view_query().to_query_string()
    }
}

#[cfg(test)]
mod compare_page_tests {
    use super::*;

    fn page(pairs: &[(&str, &str)]) -> Result<Page, String> {
        Page::from_query(&ViewQuery::from_pairs(pairs.iter().copied()))
    }

    #[test]
    fn the_compare_page_names_two_traces_by_their_trace_parameter() {
        assert_eq!(
            page(&[("compare", "demo"), ("with", "file:run (2).json")]),
            Ok(Page::Compare {
                a: TraceSource::Demo,
                b: Some(TraceSource::File("run (2).json".into())),
            })
        );
        assert_eq!(
            page(&[("compare", "file:a.json")]),
            Ok(Page::Compare {
                a: TraceSource::File("a.json".into()),
                b: None,
            })
        );
        assert!(page(&[("compare", "nonsense")]).is_err());
        assert!(page(&[("compare", "demo"), ("with", "file:")]).is_err());
        // Without `compare`, `with` alone changes nothing.
        assert_eq!(page(&[("with", "demo")]), Ok(Page::Home));
    }

    #[test]
    fn the_compare_query_round_trips() {
        let query = TraceSource::compare_query("demo", Some("file:b&c.json"));
        assert_eq!(query, "?compare=demo&with=file%3Ab%26c.json");
        let a = TraceSource::File("x.json".into()).trace_param();
        assert_eq!(a.as_deref(), Some("file:x.json"));
        assert_eq!(
            TraceSource::Url("https://x.test".into()).trace_param(),
            None
        );
        assert_eq!(TraceSource::compare_query("demo", None), "?compare=demo");
    }
}

#[cfg(test)]
mod rollup_page_tests {
    use super::*;

    fn page(pairs: &[(&str, &str)]) -> Result<Page, String> {
        Page::from_query(&ViewQuery::from_pairs(pairs.iter().copied()))
    }

    #[test]
    fn the_dashboard_and_the_agent_page_are_read_from_the_address() {
        assert_eq!(
            page(&[("dashboard", "cost")]),
            Ok(Page::Dashboard {
                by: RankBy::CostUsd
            })
        );
        assert_eq!(
            page(&[("dashboard", "tokens")]),
            Ok(Page::Dashboard { by: RankBy::Tokens })
        );
        // A hand-edited value still opens the dashboard, by cost.
        assert_eq!(
            page(&[("dashboard", "money")]),
            Ok(Page::Dashboard {
                by: RankBy::CostUsd
            })
        );
        assert_eq!(
            page(&[("agent_page", "Fact Checker")]),
            Ok(Page::Agent {
                role: "Fact Checker".into()
            })
        );
        // `agent=` stays the trace page's selection, not the agent page.
        assert_eq!(
            page(&[("trace", "demo"), ("agent", "agent-writer")]),
            Ok(Page::Trace(TraceSource::Demo))
        );
    }

    #[test]
    fn a_source_s_view_query_links_into_it_with_a_selection() {
        let query = TraceSource::File("run 1.json".into())
            .view_query()
            .with_selection(Some(stepwise_core::view_query::Selection::Task(
                "t1".into(),
            )));
        assert_eq!(
            query.to_query_string(),
            "?trace=file%3Arun%201.json&task=t1"
        );
        assert_eq!(
            TraceSource::Demo.view_query().to_query_string(),
            TraceSource::Demo.query_string()
        );
    }
}
