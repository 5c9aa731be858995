//! The start page: open a file, a URL, an API, the demo or a recent trace. Route layer: uses routes, components, state, I/O and the core.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};

use crate::components::api_connect::ApiConnect;
use crate::components::open_file::OpenFileButton;
use crate::components::recent::RecentList;
use crate::components::theme::ThemeSwitch;
use crate::state::source::TraceSource;
use crate::state::traces::OpenTraces;
use crate::state::view::absolute;

/// The formats the importers read, for people.
const FORMATS: [&str; 7] = [
    "CrewAI trace batches",
    "OpenTelemetry (OTLP/JSON)",
    "Langfuse",
    "Jaeger",
    "LangSmith",
    "ATIF trajectories (Harbor)",
    "Stepwise",
];

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <div class="home">
            <header class="home-header">
                <img class="home-logo" src="favicon.svg" alt="" width="36" height="36" />
                <h1>"Stepwise"</h1>
                <span class="spacer"></span>
                <crate::components::rollup::link::DashboardLink />
                <ThemeSwitch />
                <p class="home-tagline">
                    "See what an AI agent run did, why it failed, where the time went and what \
                     it cost. Traces are read in this page: nothing leaves your browser."
                </p>
            </header>
            <section class="home-drop" data-testid="home-drop" aria-labelledby="drop-heading">
                <svg class="home-drop-icon" viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M12 3v12m0 0-5-5m5 5 5-5M4 17v3h16v-3" />
                </svg>
                <h2 id="drop-heading">"Drop trace files here"</h2>
                <p class="home-drop-formats">".json, .jsonl, .json.gz · several at once"</p>
                <div class="home-drop-actions">
                    <OpenFileButton />
                    <span class="hint">"or paste JSON anywhere with Ctrl+V"</span>
                </div>
            </section>
            <div class="home-grid">
                <UrlForm />
                <section class="panel home-demo" aria-labelledby="demo-heading">
                    <h2 id="demo-heading">"New here?"</h2>
                    <a class="home-demo-link" href="?trace=demo" data-testid="open-demo">
                        "Open the demo trace →"
                    </a>
                    <p class="hint">
                        "A crew of four agents pricing a product launch, with a failed task."
                    </p>
                </section>
            </div>
            <CompareEntry />
            <ApiConnect />
            <RecentList />
            <footer class="home-formats" data-testid="formats">
                <span class="hint">"Reads "</span>
                {FORMATS.join(" · ")}
                <span class="hint">", detected by content."</span>
            </footer>
        </div>
    }
}

/// With a trace file open in this tab, the demo makes two: offer to compare them.
#[component]
fn CompareEntry() -> impl IntoView {
    let opened = expect_context::<OpenTraces>();
    // The first two files by name, or the one file and the demo.
    let pair = move || {
        let mut keys: Vec<String> = opened
            .files()
            .into_iter()
            .map(|(key, _)| format!("file:{key}"))
            .collect();
        keys.push("demo".to_string());
        (keys.len() >= 2).then(|| (keys[0].clone(), keys[1].clone()))
    };
    move || {
        pair().map(|(a, b)| {
            let href = TraceSource::compare_query(&a, Some(&b));
            view! {
                <section class="panel home-compare" aria-labelledby="compare-heading">
                    <h2 id="compare-heading">"Compare two runs"</h2>
                    <a class="home-demo-link" href=href data-testid="home-compare">
                        "Compare the traces opened in this tab →"
                    </a>
                    <p class="hint">"Task by task: time, tokens, cost, status, and what the prompts and outputs changed."</p>
                </section>
            }
        })
    }
}

/// "Open from a URL": navigates to `?src=<url>`, where the trace page fetches it.
#[component]
fn UrlForm() -> impl IntoView {
    let navigate = use_navigate();
    let location = use_location();
    let url = RwSignal::new(String::new());
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let value = url.get_untracked().trim().to_string();
        if value.is_empty() {
            return;
        }
        let query = TraceSource::Url(value).query_string();
        let pathname = location.pathname.get_untracked();
        navigate(&absolute(&format!("{pathname}{query}")), Default::default());
    };
    view! {
        <section class="panel home-url" aria-labelledby="url-heading">
            <h2 id="url-heading">"Open from a URL"</h2>
            <form class="home-url-form" on:submit=on_submit>
                <input
                    type="url"
                    required
                    placeholder="https://example.com/run.json"
                    aria-label="Trace URL"
                    data-testid="url-input"
                    prop:value=move || url.get()
                    on:input=move |event| url.set(event_target_value(&event))
                />
                <button type="submit" class="header-button primary" data-testid="url-open">
                    "Open"
                </button>
            </form>
            <p class="hint">
                "Fetched by this page; the server must allow cross-origin requests (CORS)."
            </p>
        </section>
    }
}
