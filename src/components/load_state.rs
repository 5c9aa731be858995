//! The trace page before it has a trace: loading (with progress and Cancel for a URL) and
//! a failed load (the reason, Retry, and the way home). UI layer.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::components::open_file::OpenFileButton;
use crate::components::progress::ProgressBar;
use crate::loading::Progress;

/// The header of a page that has no trace to name.
#[component]
fn BareHeader() -> impl IntoView {
    view! {
        <header class="trace-header">
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
            <BareHeader />
            <div class="load-panel">
                <ProgressBar progress verb="Loading" />
            </div>
        </Show>
    }
}

/// A failed load: what went wrong, Retry and the start page. While a retry runs, its
/// progress shows instead.
#[component]
pub fn LoadError(message: String, progress: Progress, on_retry: Callback<()>) -> impl IntoView {
    let pathname = use_location().pathname.get_untracked();
    let home = crate::routes::trace::absolute(&pathname);
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
                    <button
                        type="button"
                        class="header-button retry"
                        data-testid="retry-load"
                        on:click=move |_| on_retry.run(())
                    >
                        "Retry"
                    </button>
                    <a class="header-button" href=home.clone() data-testid="load-home">
                        "Back to the start page"
                    </a>
                </div>
            </div>
        </Show>
    }
}
