//! The start page: open a file, a URL, an API, the demo or a recent trace. UI layer.

use leptos::prelude::*;

use crate::components::api_connect::ApiConnect;
use crate::components::open_file::OpenFileButton;
use crate::components::recent::RecentList;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <header class="trace-header">
            <h1 class="trace-name">"Stepwise"</h1>
            <span class="spacer"></span>
            <OpenFileButton />
        </header>
        <p class="notice">
            <a href="?trace=demo">"Open the demo trace"</a>
        </p>
        <ApiConnect />
        <RecentList />
    }
}
