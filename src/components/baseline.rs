//! How this run compares with other runs of its name, open in this tab or opened recently: a line under the summary and marks in the tasks table and the agent list. Component layer: uses components, state, I/O and the core.
//!
//! The rules (at least two other runs, unknown is no claim, the wording) are the core's
//! (`stepwise_core::baseline`); with no baseline these render nothing at all.

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::recent::recent_snapshot;
use crate::state::traces::use_session_traces;
use crate::state::view::{Current, ViewState};
use stepwise_core::baseline::{kind_key, Baseline, Comparison, Comparisons, Direction, MIN_RUNS};
use stepwise_core::recent::RecentEntry;

/// The baseline of the trace shown: the other runs of its name open in this tab first,
/// then the recent list's. `None` when there are too few, and on an embedding page, whose
/// traces are the host's and not compared with this browser's history.
pub fn use_baseline() -> Memo<Option<Arc<Baseline>>> {
    let current = use_context::<Current>();
    let embedded = use_context::<ViewState>()
        .is_some_and(|state| state.query.get_untracked().kept("embed").is_some());
    let session = use_session_traces();
    // Read once when the trace is shown: the list changes only by this very trace.
    let recent = recent_snapshot();
    Memo::new(move |_| {
        let current = current.as_ref().filter(|_| !embedded)?;
        let key = kind_key(&current.loaded.trace.name);
        let open: Vec<_> = session
            .get()
            .into_iter()
            .filter(|other| kind_key(&other.loaded.trace.name) == key)
            .filter(|other| other.source != current.source)
            .collect();
        let remembered: Vec<RecentEntry> = recent
            .iter()
            .filter(|entry| kind_key(&entry.name) == key)
            .cloned()
            .collect();
        // Most traces have no namesake: then no figures are derived at all. (This run's own
        // recent entry may be among `remembered`: `Baseline::of` leaves it out.)
        if open.len() + remembered.len() < MIN_RUNS {
            return None;
        }
        let this = current.loaded.baseline_run(&current.source);
        let candidates = open
            .iter()
            .map(|other| other.loaded.baseline_run(&other.source))
            .chain(remembered.iter().map(RecentEntry::baseline_run));
        Baseline::of(&this, candidates).map(Arc::new)
    })
}

fn direction_class(comparison: &Comparison) -> &'static str {
    match comparison.direction() {
        Direction::Above => "baseline-above",
        Direction::Below => "baseline-below",
        Direction::Same => "baseline-same",
    }
}

/// The claim and the figures behind it, for a hover.
fn hover(comparison: &Comparison) -> String {
    format!(
        "{}. {}",
        capitalised(&comparison.phrase()),
        comparison.detail()
    )
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// Under the summary: "Against other runs named like this one: 38% slower than the median
/// of 6 runs · 2.1× the usual cost". Nothing without a claim.
#[component]
pub fn BaselineLine(comparisons: Signal<Comparisons>) -> impl IntoView {
    move || {
        let comparisons = comparisons.get();
        (!comparisons.is_empty()).then(|| {
            let claims = comparisons
                .all()
                .map(|comparison| {
                    view! {
                        <span
                            class=format!("baseline-claim {}", direction_class(comparison))
                            title=hover(comparison)
                            data-testid="baseline-claim"
                        >
                            {comparison.phrase()}
                        </span>
                    }
                })
                .collect_view();
            view! {
                <p class="baseline-line" data-testid="baseline">
                    <span
                        class="baseline-label"
                        title="Other traces of the same name (or workflow), open in this tab or opened recently in this browser"
                    >
                        "Against other runs of this name:"
                    </span>
                    {claims}
                </p>
            }
        })
    }
}

/// A compact mark for a cell or a list: "+38%", "2.1×", "≈", with the claim and its
/// figures on hover; `label` names the figure where the place does not ("time"), and
/// `badge` says what it is against ("2.1× usual") where no column header does.
#[component]
pub fn BaselineMark(
    comparison: Option<Comparison>,
    #[prop(optional)] label: Option<&'static str>,
    #[prop(optional)] badge: bool,
) -> impl IntoView {
    comparison.map(|comparison| {
        let short = if badge {
            comparison.badge()
        } else {
            comparison.short()
        };
        let text = match label {
            Some(label) => format!("{label} {short}"),
            None => short,
        };
        view! {
            <span
                class=format!("baseline-mark {}", direction_class(&comparison))
                title=hover(&comparison)
                data-testid="baseline-mark"
            >
                {text}
            </span>
        }
    })
}
