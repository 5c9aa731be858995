//! What the importer had to repair in a trace or leave out of it, said above the figures: a trace read from a damaged file must not pass for a whole one. Component layer: uses components, state, I/O and the core.

use std::sync::Arc;

use leptos::prelude::*;

use stepwise_core::format::plural;
use stepwise_core::model::Trace;

/// Repairs listed before "…and N more": a file with thousands of them is read from the
/// first ones.
const SHOWN: usize = 50;

/// Nothing for a trace read as it was; otherwise a folded notice with every repair.
#[component]
pub fn RepairsNotice(trace: Arc<Trace>) -> impl IntoView {
    let count = trace.repairs.len();
    (count > 0).then(|| {
        let skipped = trace
            .repairs
            .iter()
            .filter(|repair| repair.is_skipped_input())
            .count();
        let summary = match skipped {
            0 => format!(
                "Read with {} to the file's data: open to see what was changed.",
                plural(count, "repair")
            ),
            _ => format!(
                "Partly read: {} of the file could not be read and {} left out, so figures \
                 may be missing.",
                plural(skipped, "part"),
                if skipped == 1 { "is" } else { "are" }
            ),
        };
        let items = trace
            .repairs
            .iter()
            .take(SHOWN)
            .map(|repair| {
                view! {
                    <li>
                        <code class="repair-path">{repair.path.clone()}</code>
                        " "
                        {repair.what.clone()}
                    </li>
                }
            })
            .collect_view();
        let more = (count > SHOWN).then(|| {
            view! { <li class="repair-more">{format!("…and {} more.", count - SHOWN)}</li> }
        });
        view! {
            <details
                class="repairs-notice"
                class:partial={skipped > 0}
                data-testid="trace-repairs"
                data-skipped=skipped.to_string()
            >
                <summary>{summary}</summary>
                <ul>{items}{more}</ul>
            </details>
        }
    })
}
