//! The list of traces of a connected API. UI layer.

use leptos::prelude::*;

use crate::api::ApiKind;

#[component]
pub fn TraceListPage(base: String, kind: ApiKind) -> impl IntoView {
    view! { <p class="notice">{format!("{} at {base}", kind.label())}</p> }
}
