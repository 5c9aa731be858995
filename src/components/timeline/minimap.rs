//! The minimap above the timeline: the whole run's density and errors, with the zoom window drawn over it to drag, brush and reset. Component layer: uses components, state, I/O and the core.
//!
//! The geometry is `stepwise_core::timeline::minimap`; this file draws its plan and turns
//! pointer and key events into moves of the shared `Chart`, so the timeline follows at
//! once and the URL once the window settles. For end-to-end tests the canvas exposes
//! `data-gutter-px` and `data-plot-px` (where the run lies on it), `data-run-ms` and
//! `data-error-ticks`.

use leptos::html::Canvas;
use leptos::prelude::*;
use leptos_use_element_size::{use_element_size, UseElementSizeReturn};

use super::chart::Chart;
use super::minimap_input::{self as input, Press};
use super::minimap_paint::paint;
use stepwise_core::timeline::colours::Theme;
use stepwise_core::timeline::minimap::{
    minimap_frame, minimap_plan, overview, window_label, Overview, BUCKETS, MINIMAP_PX,
};

#[component]
pub fn Minimap(chart: Chart, theme: Memo<Theme>) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let UseElementSizeReturn { width, .. } = use_element_size(canvas);
    let overview = StoredValue::new(chart.layout.with_value(|layout| overview(layout, BUCKETS)));
    let press = RwSignal::new(None::<Press>);
    let over_window = RwSignal::new(false);
    use_redraw(chart, canvas, overview, width, theme);

    let label = move || {
        let window = chart.window.get();
        let text = chart
            .layout
            .with_value(|layout| window_label(layout, window));
        format!("Run overview. {text}. Drag the window to pan, drag elsewhere to zoom to a range, double-click for the whole run; when focused, arrow keys pan and + and − zoom.")
    };
    let frame = move || minimap_frame(width.get());
    let errors = overview.with_value(|o| o.errors.iter().filter(|e| **e).count());
    let run_ms = overview.with_value(|o| (o.end_ns - o.start_ns) as f64 / 1e6);
    view! {
        <div class="timeline-minimap">
        <canvas node_ref=canvas class="minimap-canvas" data-testid="minimap" role="img" tabindex="0"
            aria-label=label style:height=format!("{MINIMAP_PX}px")
            class:over-window=move || over_window.get()
            class:panning=move || press.with(|p| p.is_some_and(|p| p.moved))
            data-gutter-px=move || frame().gutter_px.to_string()
            data-plot-px=move || frame().plot_width_px().to_string()
            data-error-ticks=errors.to_string() data-run-ms=run_ms.to_string()
            on:pointerdown=move |event| input::on_pointer_down(chart, overview, width, press, event)
            on:pointermove=move |event| input::on_pointer_move(chart, overview, width, (press, over_window), event)
            on:pointerup=move |event| input::on_pointer_up(chart, overview, width, press, event)
            on:pointercancel=move |_| press.set(None)
            on:dblclick=move |_| chart.reset()
            on:keydown=move |event| super::input::on_key(chart, event, None)></canvas>
        </div>
    }
}

/// Redraws at most once per animation frame when the window, width or theme change.
fn use_redraw(
    chart: Chart,
    canvas: NodeRef<Canvas>,
    overview: StoredValue<Overview>,
    width_px: Signal<f64>,
    theme: Memo<Theme>,
) {
    let pending = StoredValue::new(false);
    Effect::new(move |_| {
        chart.window.track();
        width_px.track();
        theme.track();
        if pending.get_value() {
            return;
        }
        pending.set_value(true);
        request_animation_frame(move || {
            if pending.try_set_value(false).is_some() {
                return; // unmounted meanwhile
            }
            let (Some(element), Some(window)) =
                (canvas.get_untracked(), chart.window.try_get_untracked())
            else {
                return;
            };
            let frame = minimap_frame(width_px.get_untracked());
            if frame.width_px < 1.0 {
                return;
            }
            let plan = overview.with_value(|overview| minimap_plan(overview, &frame, window));
            paint(&element, &plan, &frame, theme.get_untracked());
        });
    });
}
