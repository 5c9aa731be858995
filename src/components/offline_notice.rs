//! The notice that API sources need the network, shown while the browser is offline. Component layer: uses I/O and the core.

use leptos::prelude::*;

use crate::io::offline::use_online;

/// Shown only while offline: files open without a network, API traces cannot.
#[component]
pub fn OfflineNotice() -> impl IntoView {
    let online = use_online();
    view! {
        <Show when=move || !online.get()>
            <p class="notice offline-notice" role="status" data-testid="offline-notice">
                "You are offline: API sources need the network. Files still open."
            </p>
        </Show>
    }
}
