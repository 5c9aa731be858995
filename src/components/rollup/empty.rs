//! What the cross-trace pages show with no trace open in this tab. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;

#[component]
pub fn NoTraceOpen() -> impl IntoView {
    view! {
        <section class="panel rollup-empty" data-testid="rollup-empty">
            <h2>"No trace is open in this tab"</h2>
            <p>
                "This page adds up the traces you open here. They are kept in memory only, so \
                 a reload clears them: open the demo, or files, URLs or an API's traces, then \
                 come back."
            </p>
            <div class="rollup-empty-actions">
                <a class="header-button primary" href="?trace=demo" data-testid="rollup-open-demo">
                    "Open the demo trace"
                </a>
                <a class="header-button" href="./">"Start page"</a>
            </div>
        </section>
    }
}
