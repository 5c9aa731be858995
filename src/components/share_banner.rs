//! The banner of a shared page: where its trace came from, when it was shared, that it is read-only, and whether it was redacted. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;

use stepwise_core::redact::Category;
use stepwise_core::share::ShareMeta;

/// "3 API keys and tokens, 1 e-mail address": what the sharer's redaction replaced, by
/// category, from the counts the page carries (never the values).
fn redaction_words(redaction: &serde_json::Value) -> Option<String> {
    let counts = redaction.get("counts")?.as_object()?;
    let parts: Vec<String> = counts
        .iter()
        .filter_map(|(key, count)| {
            let count = count.as_u64()? as usize;
            let category: Category =
                serde_json::from_value(serde_json::Value::String(key.clone())).ok()?;
            Some(category.counted(count))
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// When it was shared, in the reader's own time zone.
fn local_time(rfc3339: &str) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc3339));
    if date.get_time().is_nan() {
        return rfc3339.to_string();
    }
    String::from(date.to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED))
}

#[component]
pub fn ShareBanner(meta: ShareMeta) -> impl IntoView {
    let redacted = meta.redaction.as_ref().map(|redaction| {
        let title = redaction_words(redaction)
            .map(|words| format!("Replaced before sharing: {words}."))
            .unwrap_or_else(|| "Secrets and personal data were replaced before sharing.".into());
        view! {
            <span class="share-redacted" title=title.clone() data-testid="share-redacted">
                "Redacted"
            </span>
        }
    });
    view! {
        <aside class="share-banner" data-testid="share-banner" aria-label="Shared trace">
            <strong>"Shared trace"</strong>
            <span>"read-only"</span>
            <span title="Where the sharer had it from">{format!("from {}", meta.source)}</span>
            <span title=meta.shared_at.clone()>{format!("shared {}", local_time(&meta.shared_at))}</span>
            {redacted}
            <span class="share-offline">"Everything is in this file: nothing is fetched or sent."</span>
        </aside>
    }
}
