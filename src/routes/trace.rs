//! The page of one trace: header, summary, timeline, steps, details, tasks, output. UI layer.
//!
//! The view lives in the URL (`view_query`): selecting something pushes a history entry,
//! so the back button walks the selection; zooming replaces the entry.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::components::embed_link::EmbedLink;
use crate::components::load_state::{LoadError, LoadingView};
use crate::intake::timeout_ms_from;
use crate::loading::Progress;
use crate::routes::trace_view::TraceView;
use crate::source::{load_with, LoadOptions, LoadedTrace, OpenedTraces, TraceSource};
use crate::view_query::{Selection, ViewQuery};

/// Asks the page to fetch its trace again (live refresh, retry).
#[derive(Clone, Copy)]
pub struct Reload(pub Callback<()>);

/// The trace currently shown and where it came from.
#[derive(Clone)]
pub struct Current {
    pub source: TraceSource,
    pub loaded: LoadedTrace,
}

#[component]
pub fn TracePage(source: TraceSource) -> impl IntoView {
    let opened = expect_context::<OpenedTraces>();
    let timeout_ms =
        use_query_map().with_untracked(|map| timeout_ms_from(map.get("timeout_ms").as_deref()));
    let options = LoadOptions {
        progress: Progress::new(),
        timeout_ms,
    };
    let progress = options.progress;
    let for_load = source.clone();
    let loaded = LocalResource::new(move || {
        let source = for_load.clone();
        async move { load_with(source, opened, options).await }
    });
    let reload = Callback::new(move |_| loaded.refetch());
    provide_context(Reload(reload));
    // The last trace shown: a live refresh that fails keeps it on screen, with a note,
    // rather than replacing the user's view by an error page.
    let last_good = StoredValue::new(None::<LoadedTrace>);
    if let Some(link) = use_context::<EmbedLink>() {
        Effect::new(move |_| {
            if let Some(Err(message)) = loaded.get() {
                link.publish_failure(message);
            }
        });
    }
    view! {
        <Transition fallback=move || view! { <LoadingView progress /> }>
            {move || {
                loaded
                    .get()
                    .map(|result| match (result, last_good.get_value()) {
                        (Ok(loaded), _) => {
                            last_good.set_value(Some(loaded.clone()));
                            let current = Current { source: source.clone(), loaded };
                            view! { <TraceView current /> }.into_any()
                        }
                        (Err(message), Some(loaded)) => {
                            let current = Current { source: source.clone(), loaded };
                            view! {
                                <p class="notice error refresh-failed" role="alert" data-testid="refresh-failed">
                                    {format!("Refreshing failed; showing the last copy loaded. {message}")}
                                    " "
                                    <button type="button" class="header-button" on:click=move |_| reload.run(())>
                                        "Retry"
                                    </button>
                                </p>
                                <TraceView current />
                            }
                            .into_any()
                        }
                        (Err(message), None) => {
                            view! { <LoadError message progress on_retry=reload /> }.into_any()
                        }
                    })
            }}
        </Transition>
    }
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

    /// Sets the timeline's zoom window, replacing the history entry.
    pub fn set_window(&self, window_ms: Option<(f64, f64)>) {
        let next = self.query.get_untracked().with_window(window_ms);
        self.go(&next, true);
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
