//! The timeline's local state: window, hover, drag and scroll, and the moves that change it. Component layer: uses components, state, I/O and the core.

use std::sync::Arc;

use leptos::prelude::*;

use stepwise_core::model::Trace;
use stepwise_core::timeline::cull::Mark;
use stepwise_core::timeline::layout::Layout;
use stepwise_core::timeline::plan::{view_height_px, Frame};
use stepwise_core::timeline::scale::{limit_ns, window_to_ms, TimeScale};

/// A drag in progress: where it started and the window it started from.
#[derive(Clone, Copy, Debug)]
pub struct Drag {
    pub pointer_id: i32,
    pub start_x_px: f64,
    pub start_window: (i64, i64),
    /// Past a few pixels a press is a pan (or a range), not a click.
    pub moved: bool,
    /// Shift held, or pressed on the time axis: the drag picks a range to zoom into.
    pub selecting: bool,
}

/// Everything the canvas, its handlers and its overlays share. `Copy`, so every closure
/// can hold it.
#[derive(Clone, Copy)]
pub struct Chart {
    pub trace: StoredValue<Arc<Trace>>,
    pub layout: StoredValue<Arc<Layout>>,
    /// The visible window in epoch ns. Local while interacting; reported when settled.
    pub window: RwSignal<(i64, i64)>,
    /// The bar or merged group under the pointer.
    pub hovered: RwSignal<Option<Mark>>,
    /// Pointer position over the canvas, CSS px, for the tooltip.
    pub pointer_px: RwSignal<(f64, f64)>,
    pub scroll_px: RwSignal<f64>,
    pub width_px: Signal<f64>,
    pub drag: RwSignal<Option<Drag>>,
    /// The range being picked, as canvas x from the press to the pointer.
    pub range_px: RwSignal<Option<(f64, f64)>>,
    /// The last press panned: the click that follows it selects nothing.
    pub dragged: StoredValue<bool>,
    /// Reports the window in ms to the page, debounced.
    pub report: Callback<Option<(f64, f64)>>,
}

impl Chart {
    pub fn new(
        trace: Arc<Trace>,
        layout: Arc<Layout>,
        width_px: Signal<f64>,
        report: Callback<Option<(f64, f64)>>,
    ) -> Chart {
        let window = RwSignal::new(limit_ns(&layout));
        Chart {
            trace: StoredValue::new(trace),
            layout: StoredValue::new(layout),
            window,
            hovered: RwSignal::new(None),
            pointer_px: RwSignal::new((0.0, 0.0)),
            scroll_px: RwSignal::new(0.0),
            width_px,
            drag: RwSignal::new(None),
            range_px: RwSignal::new(None),
            dragged: StoredValue::new(false),
            report,
        }
    }

    pub fn lanes(&self) -> usize {
        self.layout.with_value(|layout| layout.lanes)
    }

    pub fn height_px(&self) -> f64 {
        view_height_px(self.lanes())
    }

    /// The frame as it is now, without subscribing to anything.
    pub fn frame(&self) -> Frame {
        Frame::new(
            self.width_px.get_untracked(),
            self.height_px(),
            self.scroll_px.get_untracked(),
        )
    }

    pub fn scale(&self) -> TimeScale {
        self.frame().scale(self.window.get_untracked())
    }

    pub fn limit(&self) -> (i64, i64) {
        self.layout.with_value(|layout| limit_ns(layout))
    }

    /// Shows `scale`'s window now and reports it once the user pauses.
    pub fn show(&self, scale: TimeScale) {
        let window = (scale.start_ns, scale.end_ns);
        if window == self.window.get_untracked() {
            return;
        }
        self.window.set(window);
        let ms = self
            .layout
            .with_value(|layout| window_to_ms(layout, window));
        self.report.run(ms);
    }

    pub fn reset(&self) {
        let limit = self.limit();
        self.show(TimeScale::new(limit.0, limit.1, 1.0));
    }

    /// Zooms by `factor` around the canvas x `anchor_px` (< 1 zooms in).
    pub fn zoom(&self, factor: f64, anchor_px: f64) {
        let frame = self.frame();
        let anchor = (anchor_px - frame.gutter_px).clamp(0.0, frame.plot_width_px());
        self.show(self.scale().zoomed(factor, anchor, self.limit()));
    }

    /// Zoom for the buttons: around the middle of the plot.
    pub fn zoom_middle(&self, factor: f64) {
        let frame = self.frame();
        self.zoom(factor, frame.gutter_px + frame.plot_width_px() / 2.0);
    }
}
