//! What the comparison's rows and diff share: the traces, their alignment, what is open. Component layer: uses the core.

use std::collections::HashSet;
use std::sync::Arc;

use leptos::prelude::*;

use stepwise_core::compare::Comparison;
use stepwise_core::model::Trace;

/// A pair of the comparison: a task pair (`group` indexes `Comparison::tasks`, `None` is
/// the steps outside tasks) or, with `step`, one of its step pairs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PairId {
    pub group: Option<usize>,
    pub step: Option<usize>,
}

impl PairId {
    /// The row's element id, for scrolling to it.
    pub fn dom_id(self) -> String {
        let group = self.group.map_or("x".to_string(), |g| g.to_string());
        let step = self.step.map_or("task".to_string(), |s| s.to_string());
        format!("pair-{group}-{step}")
    }
}

/// What the rows and the diff share.
#[derive(Clone)]
pub struct CompareState {
    pub a: Arc<Trace>,
    pub b: Arc<Trace>,
    pub comparison: Arc<Comparison>,
    /// Groups whose steps are shown.
    pub expanded: RwSignal<HashSet<Option<usize>>>,
    /// The pair whose diff is shown.
    pub chosen: RwSignal<Option<PairId>>,
    pub divergence: Option<PairId>,
}
