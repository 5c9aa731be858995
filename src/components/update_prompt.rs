//! "A new version of Stepwise is ready": the prompt to reload onto a new build, and starting the service worker that brings it. Component layer: uses I/O and the core.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;

use crate::io::offline::{apply_update, register};
use crate::io::stream::yield_to_browser;
use stepwise_core::embed::EmbedConfig;
use stepwise_core::view_query::ViewQuery;

/// Registers the service worker after the first paint, then offers the reload when a new
/// build waits. Embedded in someone else's page, Stepwise registers nothing: an iframe's
/// worker would be partitioned by the host's site anyway, and a host page never asked for
/// an app to be installed beside it. Nor does a shared page.
#[component]
pub fn UpdatePrompt() -> impl IntoView {
    let embedded = use_query_map().with_untracked(|map| {
        let query = ViewQuery::from_pairs(map.latest_values().map(|(k, v)| (k.as_ref(), v)));
        EmbedConfig::from_query(&query).embedded
    });
    let ready = RwSignal::new(false);
    let dismissed = RwSignal::new(false);
    // A shared page is one file that carries all it needs: a worker beside it, if its host
    // has one, is not its own.
    if !embedded && !crate::io::share::is_shared_page() {
        spawn_local(async move {
            if yield_to_browser().await.is_err() {
                return;
            }
            if let Err(reason) = register(move || {
                let _ = ready.try_set(true);
            })
            .await
            {
                // Not an error for the page: only working offline is lost.
                leptos::logging::log!("Stepwise works online only here: {reason}");
            }
        });
    }
    let update = move |_| {
        spawn_local(async {
            // With no waiting worker (another tab already updated), a reload is the update.
            if apply_update().await.is_err() {
                let _ = window().location().reload();
            }
        })
    };
    view! {
        <Show when=move || ready.get() && !dismissed.get()>
            <div class="update-prompt" role="status" data-testid="update-prompt">
                <p>"A new version of Stepwise is ready."</p>
                <button type="button" class="header-button primary" data-testid="update-reload" on:click=update>
                    "Reload to update"
                </button>
                <button type="button" class="header-button" on:click=move |_| dismissed.set(true)>
                    "Later"
                </button>
            </div>
        </Show>
    }
}
