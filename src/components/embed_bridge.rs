//! The postMessage bridge with an embedding page. UI layer.

use leptos::prelude::*;

#[component]
pub fn EmbedBridge() -> impl IntoView {}
