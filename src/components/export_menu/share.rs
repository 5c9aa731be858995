//! "Shareable page (.html)": builds one self-contained HTML file of this trace and this view, shows its size, then offers it. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;

use super::{download, redacted_word};
use crate::io::stream::yield_to_browser;
use crate::state::notes::PageNotes;
use crate::state::redaction::Redaction;
use crate::state::source::TraceSource;
use crate::state::view::{Current, ViewState};
use stepwise_core::annotate::Notes;
use stepwise_core::export::redaction_value;
use stepwise_core::format::format_bytes;
use stepwise_core::share::{share_file_name, ShareMeta};
use stepwise_core::transfer::encode_one;

/// Where the offer stands.
#[derive(Clone, Default)]
enum Offer {
    #[default]
    Idle,
    Building,
    /// The page, ready to save: its file name and text.
    Ready {
        name: String,
        html: ArcStoredText,
    },
    Failed(String),
}

/// A built page's text, shared without copying a few megabytes on every render.
type ArcStoredText = std::sync::Arc<String>;

/// Where the shared trace came from, in words for whoever opens the page.
fn source_words(current: &Current) -> String {
    match &current.source {
        TraceSource::Demo => "Stepwise's demo trace".to_string(),
        TraceSource::File(_) | TraceSource::Shared => current.loaded.file_name.clone(),
        TraceSource::Url(url) => url.clone(),
        TraceSource::Api(api) => format!(
            "trace {} of the {} API at {}",
            api.id,
            api.kind.key(),
            api.base
        ),
    }
}

/// The view the page opens on: this one, without where the trace came from or how this
/// page is embedded.
fn shared_view(state: &ViewState) -> String {
    let mut query = state.query.get_untracked();
    query.trace = None;
    query.kept.clear();
    query.to_query_string().trim_start_matches('?').to_string()
}

async fn build(
    current: Current,
    state: ViewState,
    use_redaction: Option<Redaction>,
    notes: Option<Notes>,
) -> Result<(String, String), String> {
    let redacted = use_redaction.and_then(|redaction| redaction.applied());
    // Exactly the trace shown (the redacted copy when there is one), not the rest of its
    // file: a share carries nothing its sharer did not see.
    let trace = redacted.as_ref().map_or_else(
        || current.loaded.trace.clone(),
        |redacted| redacted.trace.clone(),
    );
    // "Building…" paints before the encoding takes the main thread.
    let _ = yield_to_browser().await;
    let transfer = js_sys::Uint8Array::from(&encode_one(&trace)[..]);
    let shared_at = String::from(js_sys::Date::new_0().to_iso_string());
    let mut meta = ShareMeta::new(
        &trace.name,
        &source_words(&current),
        &shared_at,
        &shared_view(&state),
    );
    meta.notes = notes.and_then(|notes| serde_json::to_value(notes).ok());
    // The own format's note: when, and counts by category; never the values.
    meta.redaction = redacted
        .as_ref()
        .map(|redacted| redaction_value(&redacted.note));
    let html = crate::io::share::build(&transfer, &meta).await?;
    Ok((share_file_name(&current.loaded.file_name), html))
}

/// The menu item, and under it the offer: building, then the file's size and a button.
#[component]
pub fn ShareItem() -> impl IntoView {
    let (Some(current), Some(state)) = (use_context::<Current>(), use_context::<ViewState>())
    else {
        return ().into_any();
    };
    // A shared page has no shell to share it with.
    if crate::io::share::is_shared_page() {
        return ().into_any();
    }
    let offer = RwSignal::new(Offer::Idle);
    let redaction = use_context::<Redaction>();
    // The annotations and saved views as they are on this page go with the share.
    let use_notes = use_context::<PageNotes>();
    let start = move |_| {
        if matches!(offer.get_untracked(), Offer::Building) {
            return;
        }
        offer.set(Offer::Building);
        let current = current.clone();
        leptos::task::spawn_local(async move {
            let notes = use_notes.map(|notes| notes.get_untracked());
            let next = match build(current, state, redaction, notes).await {
                Ok((name, html)) => Offer::Ready {
                    name,
                    html: ArcStoredText::new(html),
                },
                Err(message) => Offer::Failed(message),
            };
            // The page may have moved on meanwhile: then nobody waits for the file.
            let _ = offer.try_set(next);
        });
    };
    let save = move |_| {
        if let Offer::Ready { name, html } = offer.get_untracked() {
            match download::save(html.as_bytes(), &name, "text/html;charset=utf-8") {
                Ok(()) => offer.set(Offer::Idle),
                Err(message) => offer.set(Offer::Failed(message)),
            }
        }
    };
    view! {
        <button type="button" role="menuitem" data-testid="export-share" on:click=start>
            {move || redacted_word(redaction)}
            "Shareable page (.html)"
            <span class="export-note">"one file: opens anywhere, offline, read-only"</span>
        </button>
        {move || match offer.get() {
            Offer::Idle => ().into_any(),
            Offer::Building => view! {
                <p class="share-offer" role="status" data-testid="share-building">
                    "Building the shareable page…"
                </p>
            }
            .into_any(),
            Offer::Ready { name, html } => view! {
                <div class="share-offer" role="status" data-testid="share-ready">
                    <span class="share-file">{name}</span>
                    <span class="share-size" data-testid="share-size" data-bytes=html.len()>
                        {format_bytes(html.len() as u64)}
                    </span>
                    <button type="button" class="header-button" data-testid="share-download" on:click=save>
                        "Download"
                    </button>
                </div>
            }
            .into_any(),
            Offer::Failed(message) => view! {
                <p class="export-problem" role="alert" data-testid="share-failed">{message}</p>
            }
            .into_any(),
        }}
    }
    .into_any()
}
