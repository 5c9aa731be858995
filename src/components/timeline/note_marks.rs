//! Annotations on the timeline: a flag at an annotated step's bar, a labelled band over an annotated range, as HTML over the canvas. Component layer: uses components, state, I/O and the core.
//!
//! Only the marks in view are built (`timeline::notes::note_marks`), a handful whatever
//! the trace's size. Being elements rather than pixels, they are readable by assistive
//! technology and by end-to-end tests (`data-testid="timeline-note"`, `data-note-id`).

use std::sync::Arc;

use leptos::prelude::*;

use super::chart::Chart;
use stepwise_core::annotate::Notes;
use stepwise_core::timeline::notes::{annotated_steps, note_marks, NoteShape};
use stepwise_core::timeline::plan::Frame;

#[component]
pub fn NoteMarks(chart: Chart, notes: Signal<Notes>) -> impl IntoView {
    // Resolving step ids walks the steps: once per change of the notes, not per frame.
    let steps = Memo::new(move |_| {
        let notes = notes.read();
        Arc::new(
            chart
                .trace
                .with_value(|trace| annotated_steps(&notes, trace)),
        )
    });
    let marks = Memo::new(move |_| {
        let notes = notes.read();
        if notes.annotations.is_empty() {
            return Vec::new();
        }
        let frame = Frame::new(
            chart.width_px.get(),
            chart.height_px(),
            chart.scroll_px.get(),
        );
        let window = chart.window.get();
        let steps = steps.get();
        chart
            .layout
            .with_value(|layout| note_marks(&notes, &steps, layout, &frame, window))
    });
    let height_px = chart.height_px();
    move || {
        marks
            .get()
            .into_iter()
            .map(|mark| match mark.shape {
                NoteShape::Flag { x_px, y_px } => view! {
                    <div class="timeline-flag" data-testid="timeline-note" data-note-id=mark.id
                        data-note-kind="step" aria-hidden="true"
                        style:left=format!("{x_px:.1}px") style:top=format!("{y_px:.1}px")>
                        <span class="timeline-flag-label">{mark.label}</span>
                    </div>
                }
                .into_any(),
                NoteShape::Band { x0_px, x1_px } => view! {
                    <div class="timeline-band" data-testid="timeline-note" data-note-id=mark.id
                        data-note-kind="range" aria-hidden="true"
                        style:left=format!("{x0_px:.1}px")
                        style:width=format!("{:.1}px", (x1_px - x0_px).max(2.0))
                        style:height=format!("{height_px:.1}px")>
                        <span class="timeline-band-label">{mark.label}</span>
                    </div>
                }
                .into_any(),
            })
            .collect_view()
    }
}
