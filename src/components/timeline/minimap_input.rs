//! Pointer input on the minimap: drag the window to pan, drag elsewhere to brush a new window, click to centre it there. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::PointerEvent;

use super::chart::Chart;
use super::input::{position, CLICK_SLOP_PX};
use stepwise_core::timeline::minimap::{
    centre_window, grab_at, minimap_frame, pan_window, range_window, run_scale, Grab, Overview,
};

/// A press on the minimap: what it took hold of and the window it started from.
#[derive(Clone, Copy, Debug)]
pub struct Press {
    pointer_id: i32,
    start_x_px: f64,
    start_window: (i64, i64),
    grab: Grab,
    /// Past a few pixels a press is a drag, not a click.
    pub moved: bool,
}

pub fn on_pointer_down(
    chart: Chart,
    overview: StoredValue<Overview>,
    width_px: Signal<f64>,
    press: RwSignal<Option<Press>>,
    event: PointerEvent,
) {
    let Some((x, _)) = position(&event).filter(|_| event.button() == 0) else {
        return;
    };
    if let Some(target) = event
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    {
        // Keeps the drag going when the pointer leaves the minimap.
        let _ = target.set_pointer_capture(event.pointer_id());
    }
    let window = chart.window.get_untracked();
    let frame = minimap_frame(width_px.get_untracked());
    press.set(Some(Press {
        pointer_id: event.pointer_id(),
        start_x_px: x,
        start_window: window,
        grab: overview.with_value(|overview| grab_at(overview, &frame, window, x)),
        moved: false,
    }));
}

pub fn on_pointer_move(
    chart: Chart,
    overview: StoredValue<Overview>,
    width_px: Signal<f64>,
    (press, over_window): (RwSignal<Option<Press>>, RwSignal<bool>),
    event: PointerEvent,
) {
    let Some((x, _)) = position(&event) else {
        return;
    };
    let frame = minimap_frame(width_px.get_untracked());
    let Some(held) = press
        .get_untracked()
        .filter(|held| held.pointer_id == event.pointer_id())
    else {
        let window = chart.window.get_untracked();
        let over = overview.with_value(|o| grab_at(o, &frame, window, x)) == Grab::Window;
        if over_window.get_untracked() != over {
            over_window.set(over);
        }
        return;
    };
    let dx = x - held.start_x_px;
    if !held.moved && dx.abs() < CLICK_SLOP_PX {
        return;
    }
    press.set(Some(Press {
        moved: true,
        ..held
    }));
    let window = overview.with_value(|overview| match held.grab {
        Grab::Window => Some(pan_window(overview, &frame, held.start_window, dx)),
        Grab::Run => {
            let scale = run_scale(&frame, overview);
            let plot = (held.start_x_px - frame.gutter_px, x - frame.gutter_px);
            range_window(&scale, plot, (overview.start_ns, overview.end_ns))
        }
    });
    if let Some(window) = window {
        chart.show(chart.frame().scale(window));
    }
}

/// Ends a press; one that did not move and was outside the window centres it there.
pub fn on_pointer_up(
    chart: Chart,
    overview: StoredValue<Overview>,
    width_px: Signal<f64>,
    press: RwSignal<Option<Press>>,
    event: PointerEvent,
) {
    let Some(held) = press.get_untracked() else {
        return;
    };
    press.set(None);
    if held.moved || held.grab != Grab::Run {
        return;
    }
    let frame = minimap_frame(width_px.get_untracked());
    let x = position(&event).map_or(held.start_x_px, |(x, _)| x);
    let window = overview.with_value(|o| centre_window(o, &frame, held.start_window, x));
    chart.show(chart.frame().scale(window));
}
