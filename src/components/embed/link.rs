//! What the trace page tells the embed bridge: which trace is shown. Component layer: uses components, state, I/O and the core.
//!
//! The bridge sits beside the routes, not inside the trace page, so the page publishes
//! its trace through this context, which the app provides above both.

use std::sync::Arc;

use leptos::prelude::*;

use stepwise_core::model::Trace;

/// A shown trace and which load it is (1, 2, … in this tab), so reloading the same trace
/// still reads as a new load.
#[derive(Clone)]
pub struct Shown {
    pub generation: u64,
    pub trace: Arc<Trace>,
}

#[derive(Clone, Copy)]
pub struct EmbedLink {
    shown: RwSignal<Option<Shown>>,
    loads: StoredValue<u64>,
    /// The latest failure to load a trace (numbered like loads), for the host's `error`.
    failure: RwSignal<Option<(u64, String)>>,
}

impl Default for EmbedLink {
    fn default() -> EmbedLink {
        EmbedLink {
            shown: RwSignal::new(None),
            loads: StoredValue::new(0),
            failure: RwSignal::new(None),
        }
    }
}

impl EmbedLink {
    /// Called by the trace page once its trace is on screen.
    pub fn publish(&self, trace: Arc<Trace>) {
        let generation = self.loads.get_value() + 1;
        self.loads.set_value(generation);
        self.shown.set(Some(Shown { generation, trace }));
    }

    /// Called by the trace page when its trace could not be loaded (a `?src=` that failed).
    pub fn publish_failure(&self, message: String) {
        let generation = self.loads.get_value() + 1;
        self.loads.set_value(generation);
        self.failure.set(Some((generation, message)));
    }

    /// The latest load failure; tracked, so an effect reruns on each.
    pub fn failure(&self) -> Option<(u64, String)> {
        self.failure.get()
    }

    /// Called when the trace page goes away.
    pub fn withdraw(&self) {
        self.shown.try_set(None);
    }

    /// The shown trace, without tracking.
    pub fn shown(&self) -> Option<Shown> {
        self.shown.get_untracked()
    }

    /// The current load, 0 when no trace is shown; tracked, so effects rerun on a load.
    pub fn generation(&self) -> u64 {
        self.shown
            .with(|shown| shown.as_ref().map_or(0, |shown| shown.generation))
    }
}
