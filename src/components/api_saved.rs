//! Base URLs used before in this browser, as links to their trace lists. UI layer.

use leptos::prelude::*;

use crate::components::api_connect::list_query;
use stepwise_core::api::ApiKind;

/// Base URLs used before in this browser, one click from their trace list.
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
