//! "Connect to an API": base URL, kind and credentials, then its trace list. UI layer.

use leptos::prelude::*;

#[component]
pub fn ApiConnect() -> impl IntoView {}
