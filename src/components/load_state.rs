//! The trace page before it has a trace: loading (with progress and Cancel for a URL) and a failed load (the reason, Retry, and the way home). Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::components::open_file::OpenFileButton;
use crate::components::progress::ProgressBar;
use crate::components::retry_button::RetryButton;
use crate::io::stream::Progress;

/// The header of a page that has no trace to name; with a way home while loading (leaving
/// aborts the download: the page's cleanup cancels it).
#[component]
fn BareHeader(#[prop(optional)] home_link: bool) -> impl IntoView {
    let home = home_link.then(|| {
        let pathname = use_location().pathname.get_untracked();
        let href = crate::state::view::absolute(&pathname);
        view! { <a class="header-button" href=href data-testid="loading-home">"← Home"</a> }
    });
    view! {
        <header class="trace-header">
            {home}
            <h1 class="trace-name">"Stepwise"</h1>
            <span class="spacer"></span>
            <OpenFileButton />
        </header>
    }
}

/// Shown until the first load ends: a progress bar while a URL downloads.
#[component]
pub fn LoadingView(progress: Progress) -> impl IntoView {
    view! {
        <Show
            when=move || progress.active.get()
            fallback=|| view! { <p class="notice">"Loading trace…"</p> }
        >
            <BareHeader home_link=true />
            <div class="load-panel">
                <ProgressBar progress verb="Loading" />
            </div>
        </Show>
    }
}

/// A failed load: what went wrong, Retry and the start page. While a retry runs, its
/// progress shows instead. When the server asked to wait (`wait_s`), Retry counts down and
/// then retries by itself.
#[component]
pub fn LoadError(
    message: String,
    progress: Progress,
    on_retry: Callback<()>,
    #[prop(optional)] wait_s: Option<u64>,
) -> impl IntoView {
    let pathname = use_location().pathname.get_untracked();
    let home = crate::state::view::absolute(&pathname);
    view! {
        <BareHeader />
        <Show
            when=move || !progress.active.get()
            fallback=move || view! { <div class="load-panel"><ProgressBar progress verb="Loading" /></div> }
        >
            <div class="notice error load-error" role="alert" data-testid="load-error">
                <p class="load-error-title">"The trace could not be opened"</p>
                <p class="load-error-message" data-testid="load-error-message">{message.clone()}</p>
                <div class="load-error-actions">
                    <RetryButton on_retry wait_s=wait_s.unwrap_or(0) auto=true testid="retry-load" />
                    <a class="header-button" href=home.clone() data-testid="load-home">
                        "Back to the start page"
                    </a>
                </div>
            </div>
        </Show>
    }
}
