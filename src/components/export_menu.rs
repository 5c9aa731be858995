//! Export: download the trace as loaded or as Stepwise's format, a markdown report, a link.
//! UI layer.

use leptos::prelude::*;

#[component]
pub fn ExportMenu() -> impl IntoView {}
