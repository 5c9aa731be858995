//! The timeline's effects and browser hooks: leptos-use listeners, redraw per animation frame, following the URL and the selection. Component layer: uses components, state, I/O and the core.

use std::sync::Arc;

use leptos::ev::wheel;
use leptos::html::{Canvas, Div};
use leptos::prelude::*;
use leptos_use_element_size::{use_element_size, UseElementSizeReturn};
use leptos_use_event_listener::{use_event_listener_with_options, UseEventListenerOptions};
use leptos_use_fn_debounce_throttle::use_debounce_fn_with_arg;
use leptos_use_media_query::use_media_query;

use super::chart::Chart;
use super::{input, paint};
use stepwise_core::timeline::colours::Theme;
use stepwise_core::timeline::plan::{plan, scroll_to_lane, Highlights};
use stepwise_core::timeline::scale::{reveal, window_from_ms};

/// How long the window must stay put before it is reported (and lands in the URL).
const SETTLE_MS: f64 = 300.0;

pub struct Hooks {
    pub width_px: Signal<f64>,
    pub prefers_dark: Signal<bool>,
    /// Changes whenever `<html data-theme>` does (the theme switch), to redraw.
    pub theme_changes: ReadSignal<u32>,
    pub report: Callback<Option<(f64, f64)>>,
}

pub fn use_timeline_hooks(
    canvas: NodeRef<Canvas>,
    on_window: Callback<Option<(f64, f64)>>,
) -> Hooks {
    let UseElementSizeReturn { width, .. } = use_element_size(canvas);
    let debounced = use_debounce_fn_with_arg(
        move |window: Option<(f64, f64)>| on_window.run(window),
        SETTLE_MS,
    );
    Hooks {
        width_px: width,
        prefers_dark: use_media_query("(prefers-color-scheme: dark)"),
        theme_changes: super::theme::use_theme_attribute_changes(),
        report: Callback::new(move |window| {
            debounced(window);
        }),
    }
}

/// Wheel needs a non-passive listener: zooming must stop the page from scrolling.
pub fn listen_wheel(canvas: NodeRef<Canvas>, chart: Chart) {
    let options = UseEventListenerOptions::default().passive(false);
    // The returned stop function is not needed: the listener goes with the component.
    let _stop = use_event_listener_with_options(
        canvas,
        wheel,
        move |event| input::on_wheel(chart, event),
        options,
    );
}

/// Bars marked over the plain drawing (the critical path, search matches), as indices
/// into the layout's bars.
pub type MarkedBars = Memo<Arc<Vec<usize>>>;

/// Redraws at most once per animation frame, whatever changed. The frame reads the
/// latest state itself, so changes that arrive before it are not lost.
pub fn use_redraw(
    chart: Chart,
    canvas: NodeRef<Canvas>,
    (selected_bar, path_bars, match_bars): (Memo<Option<usize>>, MarkedBars, MarkedBars),
    theme: Memo<Theme>,
) {
    let pending = StoredValue::new(false);
    Effect::new(move |_| {
        chart.window.track();
        chart.scroll_px.track();
        chart.width_px.track();
        chart.hovered.track();
        selected_bar.track();
        path_bars.track();
        match_bars.track();
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
            let frame = chart.frame();
            if frame.width_px < 1.0 {
                return;
            }
            let timing = PaintTiming::start();
            let (path, matches) = (path_bars.get_untracked(), match_bars.get_untracked());
            let highlights = Highlights {
                selected_bar: selected_bar.get_untracked(),
                hovered: chart.hovered.get_untracked(),
                critical_path: &path,
                search_matches: &matches,
            };
            let plan = chart.trace.with_value(|trace| {
                chart
                    .layout
                    .with_value(|layout| plan(trace, layout, &frame, window, &highlights))
            });
            paint::paint(&element, &plan, &frame, theme.get_untracked());
            timing.finish();
        });
    });
}

/// Each redraw (plan and paint) as a `performance.measure` named "timeline-paint", for
/// the S3 benchmark (e2e/bench_timeline.js) and the browser's performance panel.
struct PaintTiming(Option<web_sys::Performance>);

const PAINT_MEASURE: &str = "timeline-paint";
const PAINT_START_MARK: &str = "timeline-paint-start";
/// Measures are kept until this many pile up, then dropped: a long session must not
/// grow the performance buffer without end.
const MAX_MEASURES: u32 = 5_000;

thread_local! {
    static MEASURES: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

impl PaintTiming {
    fn start() -> PaintTiming {
        let performance = web_sys::window().and_then(|window| window.performance());
        if let Some(performance) = &performance {
            let _ = performance.mark(PAINT_START_MARK);
        }
        PaintTiming(performance)
    }

    fn finish(self) {
        let Some(performance) = self.0 else {
            return;
        };
        if MEASURES.with(|count| count.replace(count.get() + 1)) >= MAX_MEASURES {
            performance.clear_measures_with_measure_name(PAINT_MEASURE);
            MEASURES.with(|count| count.set(0));
        }
        let _ = performance.measure_with_start_mark(PAINT_MEASURE, PAINT_START_MARK);
        performance.clear_marks_with_mark_name(PAINT_START_MARK);
    }
}

/// A window from outside (the URL, on load or back/forward) replaces the local one,
/// unless it is only our own report coming back rounded to the millisecond.
pub fn use_adopt_window(chart: Chart, window_ms: Signal<Option<(f64, f64)>>) {
    Effect::new(move |_| {
        let incoming = window_ms.get();
        let target = chart
            .layout
            .with_value(|layout| window_from_ms(layout, incoming));
        let current = chart.window.get_untracked();
        if (target.0 - current.0).abs() > 500_000 || (target.1 - current.1).abs() > 500_000 {
            chart.window.set(target);
        }
    });
}

/// A bar selected elsewhere (the step list) is brought into view: panned to when it is
/// outside the window, scrolled to when its lane is out of sight.
pub fn use_follow_selection(
    chart: Chart,
    selected_bar: Memo<Option<usize>>,
    scroller: NodeRef<Div>,
) {
    Effect::new(move |_| {
        let Some(bar) = selected_bar.get().and_then(|index| {
            chart
                .layout
                .with_value(|layout| layout.bars.get(index).copied())
        }) else {
            return;
        };
        let window = chart.window.get_untracked();
        if let Some(window) = reveal(window, (bar.start_ns, bar.end_ns), chart.limit()) {
            chart.show(chart.frame().scale(window));
        }
        let scroll = scroll_to_lane(&chart.frame(), bar.lane);
        if let (Some(top), Some(element)) = (scroll, scroller.get_untracked()) {
            element.set_scroll_top(top.round() as i32);
        }
    });
}
