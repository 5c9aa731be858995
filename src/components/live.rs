//! The "live" marker of a running trace, with its pause switch. UI layer.

use leptos::prelude::*;

#[component]
pub fn LiveMarker() -> impl IntoView {}
