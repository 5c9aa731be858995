//! The execution timeline on a canvas. (Stub: the canvas is drawn by a later change.)

use std::sync::Arc;

use leptos::prelude::*;

use crate::model::Trace;
use crate::view_query::Selection;

/// Props are the contract with the trace page: the selected step id, the zoom window in
/// ms from the trace start, and callbacks for a click on a bar and a settled zoom/pan.
#[component]
pub fn TimelineCanvas(
    trace: Arc<Trace>,
    selected: Signal<Option<String>>,
    window_ms: Signal<Option<(f64, f64)>>,
    on_select: Callback<Selection>,
    on_window: Callback<Option<(f64, f64)>>,
) -> impl IntoView {
    let _ = (selected, window_ms, on_select, on_window);
    view! { <canvas class="timeline" data-steps=trace.steps.len()></canvas> }
}
