//! Wheel, pointer and keyboard input on the timeline canvas, turned into moves of the chart. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, KeyboardEvent, MouseEvent, PointerEvent, WheelEvent};

use super::chart::{Chart, Drag};
use stepwise_core::timeline::cull::Mark;
use stepwise_core::timeline::hit::{bar_selection, group_window, hit_at};
use stepwise_core::timeline::minimap::range_window;
use stepwise_core::timeline::plan::{AXIS_PX, LANE_PX};
use stepwise_core::timeline::scale::{nudge_for_key, nudged, wheel_zoom_factor, Nudge};
use stepwise_core::view_query::Selection;

/// A press that moves less than this is a click.
pub const CLICK_SLOP_PX: f64 = 4.0;

/// The event's position over the canvas it targets, in CSS px.
pub fn position(event: &MouseEvent) -> Option<(f64, f64)> {
    let canvas: HtmlCanvasElement = event.current_target()?.dyn_into().ok()?;
    let rect = canvas.get_bounding_client_rect();
    Some((
        f64::from(event.client_x()) - rect.left(),
        f64::from(event.client_y()) - rect.top(),
    ))
}

/// The bar or merged group under a canvas point.
fn bar_at(chart: Chart, (x, y): (f64, f64)) -> Option<Mark> {
    let (frame, scale) = (chart.frame(), chart.scale());
    chart
        .layout
        .with_value(|layout| hit_at(layout, &frame, &scale, x, y))
}

/// Wheel zooms around the pointer; a sideways swipe pans. Once fully zoomed out, a plain
/// wheel is left to the page so the timeline does not trap scrolling.
pub fn on_wheel(chart: Chart, event: WheelEvent) {
    let Some((x, y)) = position(&event) else {
        return;
    };
    let before = chart.window.get_untracked();
    let (dx, dy) = (event.delta_x(), event.delta_y());
    if dx.abs() > dy.abs() && !event.ctrl_key() {
        let lines = if event.delta_mode() == 1 { 16.0 } else { 1.0 };
        chart.show(chart.scale().panned(dx * lines, chart.limit()));
    } else {
        // Chrome reports a trackpad pinch as a wheel event with ctrlKey set.
        chart.zoom(
            wheel_zoom_factor(dy, event.delta_mode(), event.ctrl_key()),
            x,
        );
    }
    // A pinch never reaches the page: that would zoom the whole page instead.
    if event.ctrl_key() || before != chart.window.get_untracked() {
        event.prevent_default();
        // The bars moved under a still pointer: what it hovers may have changed.
        chart.hovered.set(bar_at(chart, (x, y)));
    }
}

pub fn on_pointer_down(chart: Chart, event: PointerEvent) {
    if event.button() != 0 {
        return;
    }
    let Some((x, y)) = position(&event) else {
        return;
    };
    if let Some(target) = event
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    {
        // Keeps the drag going when the pointer leaves the canvas.
        let _ = target.set_pointer_capture(event.pointer_id());
    }
    chart.dragged.set_value(false);
    chart.drag.set(Some(Drag {
        pointer_id: event.pointer_id(),
        start_x_px: x,
        start_window: chart.window.get_untracked(),
        moved: false,
        // A plain drag over the lanes pans, as it always has; the axis has nothing to
        // click, so a drag along it is free to pick a range.
        selecting: event.shift_key() || y < AXIS_PX,
    }));
}

pub fn on_pointer_move(chart: Chart, event: PointerEvent) {
    let Some(point) = position(&event) else {
        return;
    };
    chart.pointer_px.set(point);
    match chart.drag.get_untracked() {
        Some(drag) if drag.pointer_id == event.pointer_id() => {
            let dx = point.0 - drag.start_x_px;
            if !drag.moved && dx.abs() < CLICK_SLOP_PX {
                return;
            }
            chart.drag.set(Some(Drag {
                moved: true,
                ..drag
            }));
            if chart.hovered.get_untracked().is_some() {
                chart.hovered.set(None);
            }
            let frame = chart.frame();
            if drag.selecting {
                let plot_end = frame.gutter_px + frame.plot_width_px();
                let x = point.0.clamp(frame.gutter_px, plot_end);
                chart
                    .range_px
                    .set(Some((drag.start_x_px.clamp(frame.gutter_px, plot_end), x)));
                return;
            }
            let start = frame.scale(drag.start_window);
            chart.show(start.panned(-dx, chart.limit()));
        }
        _ => {
            let hit = bar_at(chart, point);
            if chart.hovered.get_untracked() != hit {
                chart.hovered.set(hit);
            }
        }
    }
}

/// Ends a drag, zooms to the range it picked if it picked one, and remembers whether it
/// moved for the click that follows.
pub fn on_pointer_up(chart: Chart) {
    let moved = chart.drag.get_untracked().is_some_and(|drag| drag.moved);
    chart.dragged.set_value(moved);
    chart.drag.set(None);
    if let Some((x0, x1)) = chart.range_px.get_untracked() {
        chart.range_px.set(None);
        let (frame, scale) = (chart.frame(), chart.scale());
        let plot = (x0 - frame.gutter_px, x1 - frame.gutter_px);
        if let Some(window) = range_window(&scale, plot, chart.limit()) {
            chart.show(frame.scale(window));
        }
    }
}

/// A drag the browser took over (a touch scroll, a lost capture) changes nothing.
pub fn on_pointer_cancel(chart: Chart) {
    chart.drag.set(None);
    chart.range_px.set(None);
}

/// A click that was not the end of a pan selects the bar under it; on a merged group it
/// zooms into the group instead, so its steps can be told apart (see `hit_at`).
pub fn on_click(chart: Chart, event: MouseEvent, on_select: Callback<Selection>) {
    if chart.dragged.get_value() {
        chart.dragged.set_value(false);
        return;
    }
    let bar = match position(&event).and_then(|point| bar_at(chart, point)) {
        Some(Mark::Bar(bar)) => bar,
        Some(Mark::Group(group)) => {
            let window = group_window(&group, chart.limit());
            chart.hovered.set(None);
            chart.show(chart.frame().scale(window));
            return;
        }
        None => return,
    };
    let selection = chart.trace.with_value(|trace| {
        chart.layout.with_value(|layout| {
            layout
                .bars
                .get(bar)
                .and_then(|bar| bar_selection(trace, bar))
        })
    });
    if let Some(selection) = selection {
        on_select.run(selection);
    }
}

pub fn on_pointer_leave(chart: Chart) {
    if chart.drag.get_untracked().is_none() {
        chart.hovered.set(None);
    }
}

/// `+`/`-` zoom, arrows pan (up/down scroll the lanes), `0` resets.
pub fn on_key(chart: Chart, event: KeyboardEvent, scroller: Option<web_sys::HtmlElement>) {
    if event.ctrl_key() || event.meta_key() || event.alt_key() {
        return;
    }
    let key = event.key();
    if let (Some(scroller), "ArrowUp" | "ArrowDown") = (&scroller, key.as_str()) {
        let before = scroller.scroll_top();
        let step = if key == "ArrowUp" { -3.0 } else { 3.0 } * LANE_PX;
        scroller.set_scroll_top((f64::from(before) + step).max(0.0).round() as i32);
        // At either end the key is left to the page, so it still scrolls.
        if scroller.scroll_top() != before {
            event.prevent_default();
        }
        return;
    }
    let Some(nudge) = nudge_for_key(&key) else {
        return;
    };
    event.prevent_default();
    if nudge == Nudge::Reset {
        chart.reset();
    } else {
        chart.show(nudged(&chart.scale(), nudge, chart.limit()));
    }
}
