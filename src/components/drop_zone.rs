//! Dropping trace files anywhere on the page, and pasting JSON. UI layer.

use leptos::prelude::*;

#[component]
pub fn DropOverlay() -> impl IntoView {}
