//! The page's step search: the query read from the URL and the steps it matches, shared by the search bar, the step list and the timeline's marks. Component layer: uses state and the core.

use std::sync::Arc;

use leptos::prelude::*;

use crate::state::view::ViewState;
use stepwise_core::model::Trace;
use stepwise_core::search::{matches_in, Query};
use stepwise_core::tree::StepRow;

/// The steps matching the query, in reading order, and a lookup by step index.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Matches {
    pub in_order: Vec<usize>,
    pub by_step: Vec<bool>,
}

impl Matches {
    pub fn contains(&self, step: usize) -> bool {
        self.by_step.get(step).copied().unwrap_or(false)
    }
}

/// The page's search, shared with the step list through the context.
#[derive(Clone, Copy)]
pub struct StepSearch {
    /// `Ok(None)`: nothing asked; `Err`: the sentence saying what is wrong with the query.
    pub parsed: Memo<Result<Option<Query>, String>>,
    /// Empty unless a valid, non-empty query is set.
    pub matches: Memo<Arc<Matches>>,
    /// Only the matches (and their ancestors) are listed, rather than highlighted
    /// (`qmode=filter` in the URL).
    pub filter: Memo<bool>,
}

impl StepSearch {
    /// Whether a valid query is narrowing the steps.
    pub fn active(&self) -> bool {
        matches!(self.parsed.get(), Ok(Some(_)))
    }
}

/// Reads the query from the URL and matches it; provides the result to the page.
pub fn use_step_search(trace: Arc<Trace>, rows: Arc<Vec<StepRow>>, state: ViewState) -> StepSearch {
    let text = Memo::new(move |_| state.query.read().search.clone());
    let parsed = Memo::new(move |_| match text.get() {
        None => Ok(None),
        Some(text) => Query::parse(&text).map(|query| (!query.is_empty()).then_some(query)),
    });
    // Linear in the steps: one pass over the rows (see `searching_100k_steps_is_measured`).
    let matches = Memo::new(move |_| {
        let Ok(Some(query)) = parsed.get() else {
            return Arc::new(Matches::default());
        };
        let in_order = matches_in(&trace, &rows, &query);
        let mut by_step = vec![false; trace.steps.len()];
        for &step in &in_order {
            by_step[step] = true;
        }
        Arc::new(Matches { in_order, by_step })
    });
    let search = StepSearch {
        parsed,
        matches,
        filter: Memo::new(move |_| state.query.read().search_filter),
    };
    provide_context(search);
    search
}
