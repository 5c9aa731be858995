//! What the timeline marks besides the selection (critical path, search matches, annotations), as props from the page. Component layer: uses the core.

use std::sync::Arc;

use leptos::prelude::*;

use super::chart::Chart;
use stepwise_core::annotate::Notes;

/// Steps the timeline marks besides the selection, as indices into the trace's steps. The
/// page gives them (the timeline reads no context for them), so what is marked is in the
/// props and a timeline mounted alone marks nothing.
#[derive(Clone, Copy)]
pub struct TimelineMarks {
    /// The critical path's steps while it is shown, empty otherwise.
    pub path_steps: Signal<Arc<Vec<usize>>>,
    /// The search's matches while a query is set, empty otherwise.
    pub match_steps: Signal<Arc<Vec<usize>>>,
    /// The switch that shows the critical path, when the page offers one.
    pub show_path: Option<RwSignal<bool>>,
    /// The reader's annotations: flags at steps, bands over ranges.
    pub notes: Signal<Notes>,
}

impl Default for TimelineMarks {
    fn default() -> TimelineMarks {
        TimelineMarks {
            path_steps: Signal::stored(Arc::default()),
            match_steps: Signal::stored(Arc::default()),
            show_path: None,
            notes: Signal::stored(Notes::default()),
        }
    }
}

/// The bars of `steps` (a few indices, so each frame strips only those, see
/// `stepwise_core::timeline::plan`); a step without a bar (untimed) has none.
pub(super) fn bars_of(chart: Chart, steps: Signal<Arc<Vec<usize>>>) -> Memo<Arc<Vec<usize>>> {
    Memo::new(move |_| {
        let steps = steps.get();
        let bars = chart.layout.with_value(|layout| {
            steps
                .iter()
                .filter_map(|&step| layout.bar_index_of_step(step))
                .collect()
        });
        Arc::new(bars)
    })
}
