//! The trace page's view state in the URL and the contexts its components share. State layer: uses state, I/O and the core.
//!
//! The view lives in the URL (`view_query`): selecting something pushes a history entry,
//! so the back button walks the selection; zooming replaces the entry.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::state::source::TraceSource;
use crate::state::traces::LoadedTrace;
use stepwise_core::view_query::{Selection, TraceTab, ViewQuery};

/// Asks the page to fetch its trace again (live refresh, retry).
#[derive(Clone, Copy)]
pub struct Reload(pub Callback<()>);

/// How the page's loads are going, for the live marker: failures in a row (it backs off),
/// the wait a server asked for, and whether a load is under way (it never starts another).
#[derive(Clone, Copy, Debug, Default)]
pub struct RefreshState {
    pub failures: u32,
    pub retry_after_s: Option<u64>,
    pub in_flight: bool,
}

/// The page's `RefreshState`, shared with the live marker.
#[derive(Clone, Copy)]
pub struct Refresh(pub StoredValue<RefreshState>);

/// The trace currently shown and where it came from.
#[derive(Clone)]
pub struct Current {
    pub source: TraceSource,
    pub loaded: LoadedTrace,
}

/// An absolute URL on this origin. leptos_router's `navigate` takes one verbatim, whereas a
/// path would be joined to the router's base with its trailing slash dropped, and
/// relative asset URLs (`favicon.svg`, `demo/trace.json`) would then resolve one level up.
pub fn absolute(path_and_query: &str) -> String {
    let origin = window().location().origin().unwrap_or_default();
    format!("{origin}{path_and_query}")
}

/// leptos_router's navigate function, stored so the state stays `Copy`.
type Navigate = Arc<dyn Fn(&str, NavigateOptions) + Send + Sync>;

/// The view state read from the URL, and a way to change it.
#[derive(Clone, Copy)]
pub struct ViewState {
    pub query: Memo<ViewQuery>,
    navigate: StoredValue<Navigate>,
    pathname: Memo<String>,
}

impl ViewState {
    pub(crate) fn new() -> ViewState {
        let map = use_query_map();
        let query = Memo::new(move |_| {
            let map = map.read();
            ViewQuery::from_pairs(map.latest_values().map(|(k, v)| (k.as_ref(), v)))
        });
        let navigate = use_navigate();
        let location = use_location();
        ViewState {
            query,
            navigate: StoredValue::new(Arc::new(move |to: &str, options: NavigateOptions| {
                navigate(to, options)
            })),
            pathname: Memo::new(move |_| location.pathname.get()),
        }
    }

    /// Where a link to `query` points: this page with that query string.
    pub fn href(&self, query: &ViewQuery) -> String {
        format!(
            "{}{}",
            self.pathname.get_untracked(),
            query.to_query_string()
        )
    }

    /// Selects something, as a new history entry.
    pub fn select(&self, selection: Option<Selection>) {
        let next = self.query.get_untracked().with_selection(selection);
        self.go(&next, false);
    }

    /// Hides or shows a panel, replacing the history entry.
    pub fn set_panel_hidden(&self, name: &str, hidden: bool) {
        let mut next = self.query.get_untracked();
        next.hidden_panels.retain(|panel| panel != name);
        if hidden {
            next.hidden_panels.push(name.to_string());
            next.hidden_panels.sort();
        }
        self.go(&next, true);
    }

    /// Sets the step search (`q=`), replacing the history entry: each keystroke is not a
    /// place to come back to.
    pub fn set_search(&self, search: &str) {
        let current = self.query.get_untracked();
        let next = current.with_search(search);
        if next != current {
            self.go(&next, true);
        }
    }

    /// Lists only the search's matches (`true`) or highlights them, replacing the history
    /// entry as typing a search does.
    pub fn set_search_filter(&self, filter: bool) {
        let current = self.query.get_untracked();
        let next = current.with_search_filter(filter);
        if next != current {
            self.go(&next, true);
        }
    }

    /// Shows another view of the trace page, as a new history entry so Back returns.
    pub fn set_tab(&self, tab: TraceTab) {
        let current = self.query.get_untracked();
        if current.tab != tab {
            self.go(&current.with_tab(tab), false);
        }
    }

    /// Re-roots the page at a step (`None`: the whole trace), as a new history entry.
    pub fn set_root(&self, root: Option<String>) {
        let current = self.query.get_untracked();
        if current.root != root {
            self.go(&current.with_root(root), false);
        }
    }

    /// Switches the agent graph between one node per call and one per agent, tool or model.
    pub fn set_graph_expanded(&self, expanded: bool) {
        let mut next = self.query.get_untracked();
        if next.graph_expanded != expanded {
            next.graph_expanded = expanded;
            self.go(&next, true);
        }
    }

    /// Sets the timeline's zoom window, replacing the history entry.
    pub fn set_window(&self, window_ms: Option<(f64, f64)>) {
        let next = self.query.get_untracked().with_window(window_ms);
        self.go(&next, true);
    }

    /// Shows a whole other view (a saved view, an annotated range), as a new history entry.
    pub fn show(&self, query: &ViewQuery) {
        if *query != self.query.get_untracked() {
            self.go(query, false);
        }
    }

    fn go(&self, query: &ViewQuery, replace: bool) {
        let href = absolute(&self.href(query));
        let options = NavigateOptions {
            replace,
            scroll: false,
            ..NavigateOptions::default()
        };
        self.navigate
            .with_value(|navigate| navigate(&href, options));
    }
}
