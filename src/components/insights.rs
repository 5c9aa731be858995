//! The insights panel: failures, the critical path, slow outliers, token hogs, redundant work and cost breakdowns of one trace, each finding linking to its steps. Component layer: uses components, state, I/O and the core.
//!
//! `insights::analyse` runs once per trace, the first time the panel (or the timeline's
//! critical-path toggle) asks for it, and for a large trace only after the browser has
//! painted, so opening a 100k-step trace never waits for it.

mod cost;
mod critical_path;
mod failures;
mod flame;
mod hogs;
mod links;
mod outliers;
mod redundant;

use std::sync::Arc;

use leptos::prelude::*;

use stepwise_core::insights::{analyse, Analysis, Context, Insights};
use stepwise_core::model::Trace;
use stepwise_core::tree::StepRow;

/// Below this many steps the analysis runs at once: a yield would only flicker.
const DEFERRED_MIN_STEPS: usize = 5_000;

/// The trace's insights, computed on demand and shared by the panel and the timeline
/// (which draws the critical path). Provided by the trace page.
#[derive(Clone, Copy)]
pub struct InsightsState {
    trace: StoredValue<Arc<Trace>>,
    /// The page's step tree, so the analysis does not build it again.
    rows: StoredValue<Arc<Vec<StepRow>>>,
    insights: RwSignal<Option<Arc<Insights>>>,
    requested: StoredValue<bool>,
    /// The timeline marks the critical path's steps.
    pub show_path: RwSignal<bool>,
}

impl InsightsState {
    pub fn new(trace: Arc<Trace>, rows: Arc<Vec<StepRow>>) -> InsightsState {
        InsightsState {
            trace: StoredValue::new(trace),
            rows: StoredValue::new(rows),
            insights: RwSignal::new(None),
            requested: StoredValue::new(false),
            show_path: RwSignal::new(false),
        }
    }

    pub fn trace(&self) -> Arc<Trace> {
        self.trace.get_value()
    }

    /// The page's step tree.
    pub fn rows(&self) -> Arc<Vec<StepRow>> {
        self.rows.get_value()
    }

    /// The insights once computed; starts computing them on the first call.
    pub fn get(&self) -> Option<Arc<Insights>> {
        self.request();
        self.insights.get()
    }

    fn request(&self) {
        if self.requested.get_value() {
            return;
        }
        self.requested.set_value(true);
        let (trace, insights) = (self.trace.get_value(), self.insights);
        if trace.steps.len() < DEFERRED_MIN_STEPS {
            insights.set(Some(Arc::new(analyse(&trace))));
            return;
        }
        let rows = self.rows.get_value();
        leptos::task::spawn_local(async move {
            // After the page has painted, then one rule per browser task, so the page stays
            // responsive while it runs.
            let _ = crate::io::stream::yield_to_browser().await;
            let mut analysis = Analysis::new(Context::with_rows(&trace, rows.to_vec()));
            let result = loop {
                // Without a way to yield the rest runs at once, as for a small trace.
                let _ = crate::io::stream::yield_to_browser().await;
                // The page may have moved on to another trace meanwhile.
                if insights.is_disposed() {
                    return;
                }
                if let Some(result) = analysis.advance() {
                    break result;
                }
            };
            let _ = insights.try_set(Some(Arc::new(result)));
        });
    }

    /// The insights while the critical path is to be shown on the timeline.
    pub fn shown_path(&self) -> Option<Arc<Insights>> {
        if !self.show_path.get() {
            return None;
        }
        self.get()
    }
}

/// The panel's body: the findings in a grid of cards, then the cost breakdown.
#[component]
pub fn InsightsBody() -> impl IntoView {
    let Some(state) = use_context::<InsightsState>() else {
        return ().into_any();
    };
    let trace = state.trace();
    let body = move || match state.get() {
        None => view! {
            <p class="insights-pending" role="status">"Analysing the trace…"</p>
        }
        .into_any(),
        Some(insights) => {
            let trace = trace.clone();
            view! {
                <div class="insights" data-testid="insights">
                    <div class="insights-grid">
                        <failures::FailuresCard trace=trace.clone() insights=insights.clone() />
                        <critical_path::CriticalPathCard trace=trace.clone() insights=insights.clone() />
                        <outliers::OutliersCard trace=trace.clone() insights=insights.clone() />
                        <hogs::HogsCard trace=trace.clone() insights=insights.clone() />
                        <redundant::RedundantCard trace=trace.clone() insights=insights.clone() />
                    </div>
                    <cost::CostSection trace=trace.clone() insights=insights.clone() />
                </div>
            }
            .into_any()
        }
    };
    body.into_any()
}

/// One card of the grid: a heading, then its findings or one muted line saying there are none.
#[component]
fn Card(
    title: &'static str,
    testid: &'static str,
    /// Shown instead of the children when there is nothing to report.
    empty: &'static str,
    is_empty: bool,
    children: Children,
) -> impl IntoView {
    let body = if is_empty {
        view! { <p class="insights-empty">{empty}</p> }.into_any()
    } else {
        children().into_any()
    };
    view! {
        <section class="insights-card" data-testid=testid>
            <h3>{title}</h3>
            {body}
        </section>
    }
}
