//! What opening files did: the progress of a large file, how many traces opened, and each file's problem. A toast at the bottom of the page, shared by drop, paste and pick. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;

use crate::components::progress::ProgressBar;
use crate::state::opening::{OpenActivity, OpenReport};

#[component]
pub fn OpenStatus() -> impl IntoView {
    let activity = expect_context::<OpenActivity>();
    let progress = activity.progress;
    let report = activity.report;
    let has_report =
        move || report.with(|report| report.summary.is_some() || !report.problems.is_empty());
    let dismiss = move |_| report.set(OpenReport::default());
    view! {
        <div class="open-status" aria-live="polite">
            <Show when=move || progress.active.get()>
                <div class="open-toast">
                    <ProgressBar progress verb="Reading" />
                </div>
            </Show>
            <Show when=has_report>
                <div class="open-toast" data-testid="open-report">
                    {move || {
                        report
                            .get()
                            .summary
                            .map(|summary| {
                                view! { <p class="open-summary" data-testid="open-summary">{summary}</p> }
                            })
                    }}
                    <For
                        each=move || report.get().problems.into_iter().enumerate()
                        key=|(index, problem)| (*index, problem.clone())
                        children=|(_, problem)| {
                            view! { <p class="open-problem" role="alert">{problem}</p> }
                        }
                    />
                    <button type="button" class="header-button" data-testid="dismiss-open-report" on:click=dismiss>
                        "Dismiss"
                    </button>
                </div>
            </Show>
        </div>
    }
}
