//! The execution timeline on a canvas: a row per task, bars per step, zoom, pan, hover and click. Component layer: uses components, state, I/O and the core.
//!
//! The geometry comes from `timeline::layout` (once per trace) and each frame's drawing
//! from `timeline::plan::plan`; this file wires state and events. The canvas exposes the
//! numbers end-to-end tests need to find a bar (see `timeline::plan`'s module comment):
//! `data-gutter-px`, `data-lane-px`, `data-top-px`, and the window as `data-start-ns` /
//! `data-end-ns` (epoch ns, exact as strings: read them with `BigInt`).

mod axis;
mod chart;
mod hooks;
mod input;
/// What the timeline marks besides the selection.
pub mod marks;
mod minimap;
mod minimap_input;
mod minimap_paint;
mod note_marks;
mod overlay;
mod paint;
mod theme;

use std::sync::Arc;

use leptos::html::{Canvas, Div};
use leptos::prelude::*;

use chart::Chart;
use marks::{bars_of, TimelineMarks};
use minimap::Minimap;
use note_marks::NoteMarks;
use overlay::{RangeBand, Toolbar, Tooltip};
use stepwise_core::model::Trace;
use stepwise_core::timeline::layout::{layout, layout_subtree, layout_with_rows};
use stepwise_core::timeline::plan::{
    content_height_px, gutter_px, view_height_px, AXIS_PX, LANE_PX,
};
use stepwise_core::timeline::text::summary_text;
use stepwise_core::tree::StepRow;
use stepwise_core::view_query::Selection;

/// Props are the contract with the trace page: the selected step id, the zoom window in
/// ms from the trace start, and callbacks for a click on a bar and a settled zoom/pan.
#[component]
pub fn TimelineCanvas(
    trace: Arc<Trace>,
    selected: Signal<Option<String>>,
    window_ms: Signal<Option<(f64, f64)>>,
    on_select: Callback<Selection>,
    on_window: Callback<Option<(f64, f64)>>,
    /// The step tree in reading order, when the page has built it already.
    #[prop(optional)]
    rows: Option<Arc<Vec<StepRow>>>,
    /// The critical path and search matches to mark, and the critical path's switch.
    #[prop(optional)]
    marks: TimelineMarks,
    /// `rows` are one step's subtree (the page is re-rooted): the axis spans only them.
    #[prop(optional)]
    subtree: bool,
) -> impl IntoView {
    let layout = Arc::new(match rows {
        Some(rows) if subtree => layout_subtree(&trace, &rows),
        Some(rows) => layout_with_rows(&trace, &rows),
        None => layout(&trace),
    });
    let label = format!(
        "{}. When focused: + and − zoom, arrow keys pan, 0 resets. Shift+drag, or a drag along the time axis, zooms to a range.",
        summary_text(&trace, &layout)
    );
    let (view_px, content_px) = (
        view_height_px(layout.lanes),
        content_height_px(layout.lanes),
    );
    let canvas = NodeRef::<Canvas>::new();
    let scroller = NodeRef::<Div>::new();
    let hooks = hooks::use_timeline_hooks(canvas, on_window);
    let chart = Chart::new(trace, layout, hooks.width_px, hooks.report);
    let theme = Memo::new(move |_| {
        hooks.theme_changes.track();
        theme::current_theme(hooks.prefers_dark.get())
    });
    let selected_bar = Memo::new(move |_| {
        let id = selected.get()?;
        let step = chart
            .trace
            .with_value(|trace| trace.steps.iter().position(|s| s.id == id))?;
        chart
            .layout
            .with_value(|layout| layout.bar_index_of_step(step))
    });

    let path_bars = bars_of(chart, marks.path_steps);
    let match_bars = bars_of(chart, marks.match_steps);

    hooks::use_adopt_window(chart, window_ms);
    hooks::use_follow_selection(chart, selected_bar, scroller);
    hooks::use_redraw(chart, canvas, (selected_bar, path_bars, match_bars), theme);
    hooks::listen_wheel(canvas, chart);

    let top_px = move || (AXIS_PX - chart.scroll_px.get()).to_string();
    let gutter_px = move || gutter_px(chart.width_px.get()).to_string();
    let over_bar = move || chart.hovered.with(Option::is_some);
    let dragging = move || chart.drag.with(|drag| drag.is_some_and(|drag| drag.moved));
    let over_axis = move || chart.pointer_px.with(|(_, y)| *y < AXIS_PX);
    view! {
        <div class="timeline">
            <Toolbar chart theme path_bars match_bars show_path=marks.show_path />
            <Minimap chart theme />
            <div class="timeline-frame">
                <div class="timeline-scroll" node_ref=scroller style:height=format!("{view_px}px")
                    on:scroll=move |_| {
                        if let Some(element) = scroller.get_untracked() {
                            chart.scroll_px.set(f64::from(element.scroll_top()));
                        }
                    }>
                    <div class="timeline-spacer" style:height=format!("{content_px}px")>
                        <canvas node_ref=canvas class="timeline-canvas" class:over-bar=over_bar
                            class:dragging=dragging class:over-axis=over_axis style:height=format!("{view_px}px")
                            data-testid="timeline" role="img" tabindex="0" aria-label=label
                            data-gutter-px=gutter_px data-lane-px=LANE_PX.to_string() data-top-px=top_px
                            data-start-ns=move || chart.window.get().0.to_string()
                            data-end-ns=move || chart.window.get().1.to_string()
                            data-lanes=chart.lanes()
                            data-critical-path-steps=move || path_bars.with(|bars| bars.len().to_string())
                            data-search-match-steps=move || match_bars.with(|bars| bars.len().to_string())
                            on:pointerdown=move |event| input::on_pointer_down(chart, event)
                            on:pointermove=move |event| input::on_pointer_move(chart, event)
                            on:pointerup=move |_| input::on_pointer_up(chart)
                            on:click=move |event| input::on_click(chart, event, on_select)
                            on:pointercancel=move |_| input::on_pointer_cancel(chart)
                            on:pointerleave=move |_| input::on_pointer_leave(chart)
                            on:dblclick=move |_| chart.reset()
                            on:keydown=move |event| {
                                let element = scroller.get_untracked().map(|e| e.into());
                                input::on_key(chart, event, element)
                            }></canvas>
                    </div>
                </div>
                <NoteMarks chart notes=marks.notes />
                <RangeBand chart />
                <Tooltip chart />
            </div>
        </div>
    }
}
