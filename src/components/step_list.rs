//! The steps in reading order, indented by nesting and collapsible by subtree; a click selects one. Only the rows in view are in the DOM, whatever the trace's size. Component layer: uses components, state, I/O and the core.

use std::collections::HashSet;
use std::sync::Arc;

use leptos::html::Ul;
use leptos::prelude::*;

use crate::components::step_row::StepRowView;
use crate::components::step_search::StepSearch;
use crate::components::virtual_scroll::{use_virtual_scroll, ListSpacer, VirtualRows};
use crate::state::view::ViewState;
use stepwise_core::model::Trace;
use stepwise_core::search::filtered_rows;
use stepwise_core::tree::{ancestor_steps, visible_rows, StepRow};

/// Steps whose subtrees are folded, by index into `trace.steps`. Shared through the
/// context by the trace page, so that j/k walk the rows the list shows.
#[derive(Clone, Copy)]
pub struct CollapsedSteps(pub RwSignal<HashSet<usize>>);

impl CollapsedSteps {
    /// The page's set; a fresh one when the list is used alone.
    pub fn from_context() -> RwSignal<HashSet<usize>> {
        use_context::<CollapsedSteps>().map_or_else(|| RwSignal::new(HashSet::new()), |c| c.0)
    }
}

#[component]
pub fn StepList(
    trace: Arc<Trace>,
    rows: Arc<Vec<StepRow>>,
    selected: Memo<Option<String>>,
) -> impl IntoView {
    let state = expect_context::<ViewState>();
    let collapsed = CollapsedSteps::from_context();
    // Filtering lists the matches with their ancestors; highlighting (or no search) lists all.
    let search = use_context::<StepSearch>();
    let listed = {
        let rows = rows.clone();
        Memo::new(move |_| match search {
            Some(search) if search.filter.get() && search.active() => {
                Arc::new(search.matches.with(|m| filtered_rows(&rows, &m.in_order)))
            }
            _ => rows.clone(),
        })
    };
    let shown = Memo::new(move |_| {
        Arc::new(visible_rows(&listed.read(), &collapsed.read()).collect::<Vec<_>>())
    });
    let count = Signal::derive(move || shown.read().len());
    let list = NodeRef::<Ul>::new();
    let scroll = use_virtual_scroll(
        list,
        count,
        VirtualRows {
            default_row_px: 26.0,
            row_selector: "li.step",
            header_selector: None,
        },
    );
    reveal_selected_step(
        trace.clone(),
        rows,
        shown,
        collapsed,
        selected,
        scroll.reveal,
    );
    let window = scroll.window;
    let in_window = move || {
        let window = window.get();
        let shown = shown.get();
        let rows = shown.get(window.start..window.end).unwrap_or_default();
        (window.start..)
            .zip(rows.iter().copied())
            .collect::<Vec<_>>()
    };
    view! {
        <ul class="steps" role="tree" aria-label="Steps" data-testid="step-list" node_ref=list>
            <ListSpacer height_px=Signal::derive(move || window.get().before_px) />
            <For
                each=in_window
                // The position is in the key: a collapse above shifts it, and aria-posinset with it.
                key=|(position, row)| (*position, row.step)
                let:((position, row))
            >
                <StepRowView trace=trace.clone() row position count selected collapsed state />
            </For>
            <ListSpacer height_px=Signal::derive(move || window.get().after_px) />
        </ul>
    }
}

/// Brings the selected step into view whoever selected it (the timeline, the URL, an
/// embedding page, j/k): expands the subtrees hiding it, then scrolls to its row by index,
/// since the row itself may not be in the DOM.
fn reveal_selected_step(
    trace: Arc<Trace>,
    rows: Arc<Vec<StepRow>>,
    shown: Memo<Arc<Vec<StepRow>>>,
    collapsed: RwSignal<HashSet<usize>>,
    selected: Memo<Option<String>>,
    reveal: Callback<usize>,
) {
    Effect::new(move |_| {
        let Some(id) = selected.get() else {
            return;
        };
        let Some(step) = trace.steps.iter().position(|step| step.id == id) else {
            return;
        };
        let position_in = |list: &[StepRow]| list.iter().position(|row| row.step == step);
        if shown.with_untracked(|shown| position_in(shown)).is_none() {
            let Some(full_position) = position_in(&rows) else {
                return;
            };
            let ancestors = ancestor_steps(&rows, full_position);
            collapsed.update(|set| {
                for ancestor in ancestors {
                    set.remove(&ancestor);
                }
            });
        }
        let Some(position) = shown.with_untracked(|shown| position_in(shown)) else {
            return;
        };
        // After a frame: the list is laid out (and attached) by then, even on first load.
        request_animation_frame(move || reveal.run(position));
    });
}
