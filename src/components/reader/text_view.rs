//! One text of a reader block: the find's matches marked, cut texts with "Show all". Component layer: uses components, state, I/O and the core.

use std::sync::Arc;

use leptos::prelude::*;

use stepwise_core::metrics::format_count;
use stepwise_core::model::Trace;
use stepwise_core::reader::text::segments;
use stepwise_core::reader::{full_text, Text};

/// `needle` is the find's query, lower-case; its matches are marked.
#[component]
pub fn TextView(
    trace: Arc<Trace>,
    text: Text,
    needle: Signal<String>,
    #[prop(optional)] mono: bool,
) -> impl IntoView {
    let whole = RwSignal::new(None::<String>);
    let shown = text.shown.clone();
    let body = move || {
        let needle = needle.get();
        let text = whole.with(|whole| whole.clone().unwrap_or_else(|| shown.clone()));
        segments(&text, &needle)
            .into_iter()
            .map(|(piece, hit)| {
                let piece = piece.to_string();
                if hit {
                    view! { <mark class="reader-hit">{piece}</mark> }.into_any()
                } else {
                    piece.into_any()
                }
            })
            .collect_view()
    };
    let more = text.is_cut().then(|| {
        let source = text.source;
        let label = format!(
            "Show all ({} characters)",
            format_count(text.full_chars as u64)
        );
        view! {
            <button
                type="button"
                class="reader-show-all"
                hidden=move || whole.read().is_some()
                on:click=move |_| whole.set(Some(full_text(&trace, source)))
            >
                {label}
            </button>
        }
    });
    view! {
        <pre class="reader-text" class:mono=mono>{body}</pre>
        {more}
    }
}
