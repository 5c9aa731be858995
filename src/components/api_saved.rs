//! Base URLs used before in this browser, as links to their trace lists. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;

use stepwise_core::api::ApiKind;
use stepwise_core::view_query::ViewQuery;

/// Base URLs used before in this browser, one click from their trace list.
/// The query string of an API's trace list.
pub fn list_query(base: &str, kind: ApiKind) -> String {
    ViewQuery {
        kept: vec![
            ("api".into(), base.to_string()),
            ("kind".into(), kind.key().to_string()),
        ],
        ..ViewQuery::default()
    }
    .to_query_string()
}

#[component]
pub fn SavedApis(saved: Vec<stepwise_core::api::SavedApi>) -> impl IntoView {
    let entries: Vec<(String, String)> = saved
        .into_iter()
        .filter_map(|s| {
            let kind = ApiKind::from_key(&s.kind).ok()?;
            Some((
                list_query(&s.base, kind),
                format!("{} · {}", kind.label(), s.base),
            ))
        })
        .collect();
    (!entries.is_empty()).then(|| {
        view! {
            <p class="api-saved">
                <span class="hint">"Recent: "</span>
                {entries
                    .into_iter()
                    .map(|(href, label)| view! { <a class="api-saved-link" href=href>{label}</a> })
                    .collect_view()}
            </p>
        }
    })
}
