//! A progress bar for a read or download, with a Cancel button. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;

use crate::components::preview::PreviewCard;
use crate::io::stream::Progress;
use stepwise_core::intake::{progress_fraction, progress_text};

/// "Reading run.json  [=====     ]  1.2 MB of 3.4 MB (35%)  [Cancel]". An unknown size
/// gives a sweeping bar and the byte count alone.
#[component]
pub fn ProgressBar(progress: Progress, #[prop(into)] verb: String) -> impl IntoView {
    let fraction = move || match progress.phase.get() {
        Some(_) => None,
        None => progress_fraction(progress.read_bytes.get(), progress.total_bytes.get()),
    };
    let percent = move || fraction().map(|fraction| (fraction * 100.0).floor());
    view! {
        <div class="load-progress" data-testid="load-progress" role="status">
            <p class="load-progress-label">
                {verb} " " <span class="load-progress-name">{move || progress.label.get()}</span>
            </p>
            <div
                class="load-progress-track"
                class:indeterminate=move || fraction().is_none()
                role="progressbar"
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=move || percent().map(|percent| percent.to_string())
            >
                <div
                    class="load-progress-fill"
                    style:width=move || percent().map(|percent| format!("{percent}%"))
                ></div>
            </div>
            <div class="load-progress-row">
                <span class="load-progress-figures" data-testid="load-progress-text">
                    {move || {
                        progress
                            .phase
                            .get()
                            .unwrap_or_else(|| {
                                progress_text(progress.read_bytes.get(), progress.total_bytes.get())
                            })
                    }}
                </span>
                <button
                    type="button"
                    class="header-button"
                    data-testid="cancel-load"
                    on:click=move |_| progress.cancel()
                >
                    "Cancel"
                </button>
            </div>
            {move || progress.preview.get().map(|preview| view! { <PreviewCard preview /> })}
        </div>
    }
}
