//! The breadcrumb of a re-rooted trace page: the path from the whole trace down to the step the views show, each part a way back up. Component layer: uses components, state, I/O and the core.

use std::sync::Arc;

use leptos::prelude::*;

use crate::state::view::ViewState;
use stepwise_core::model::Trace;
use stepwise_core::tree::{ancestor_steps, StepRow};

/// `root` is the step the page is re-rooted at (an index into `trace.steps`), found in
/// `rows`, the whole trace's rows; nothing is shown without one.
#[component]
pub fn RootCrumb(trace: Arc<Trace>, rows: Arc<Vec<StepRow>>, root: Option<usize>) -> impl IntoView {
    let state = expect_context::<ViewState>();
    let root = root?;
    let position = rows.iter().position(|row| row.step == root)?;
    let mut path = ancestor_steps(&rows, position);
    path.reverse();
    let up = path
        .into_iter()
        .map(|index| {
            let id = trace.steps[index].id.clone();
            let name = trace.steps[index].name.clone();
            view! {
                <li>
                    <button type="button" class="link-button" title="Show this step's subtree"
                        on:click=move |_| state.set_root(Some(id.clone()))>{name}</button>
                </li>
            }
        })
        .collect_view();
    let here = trace.steps[root].name.clone();
    Some(view! {
        <nav class="root-crumb" aria-label="Subtree shown" data-testid="root-crumb">
            <ol>
                <li>
                    <button type="button" class="link-button" on:click=move |_| state.set_root(None)>
                        "Whole trace"
                    </button>
                </li>
                {up}
                <li aria-current="location"><strong>{here}</strong></li>
            </ol>
            <button type="button" class="root-clear" on:click=move |_| state.set_root(None)
                title="Show every step again (u goes up one level)">
                "Show the whole trace"
            </button>
        </nav>
    })
}
