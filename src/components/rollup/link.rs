//! The "Cost dashboard" entry point, shown once a trace is open in this tab. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;

use crate::state::traces::use_session_traces;

#[component]
pub fn DashboardLink() -> impl IntoView {
    let traces = use_session_traces();
    let count = move || traces.with(Vec::len);
    move || {
        (count() > 0).then(|| {
            view! {
                <a
                    class="header-button dashboard-link"
                    href="?dashboard=cost"
                    title="Top tasks, agents and models across the traces open in this tab"
                    data-testid="dashboard-link"
                >
                    "Cost dashboard"
                </a>
            }
        })
    }
}
