//! Recently opened traces: remembered when shown, listed on the home page. UI layer.

use leptos::prelude::*;

/// Remembers the trace on show (names and summary in local storage). Renders nothing.
#[component]
pub fn RememberRecent() -> impl IntoView {}

/// The recent traces of this browser, to reopen or forget.
#[component]
pub fn RecentList() -> impl IntoView {}
