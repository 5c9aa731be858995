//! The timeline at 100k synthetic steps in headless Chromium: merged groups keep their error colour on the real canvas, and a click on a group zooms into it.
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;

use leptos::prelude::*;
use stepwise_core::import::import_bytes;
use stepwise_core::model::Trace;
use stepwise_core::synth::{write_trace, SynthFormat, SynthOptions};
use stepwise_core::timeline::colours::{chrome, Fill, Theme};
use stepwise_core::timeline::layout::layout;
use stepwise_core::timeline::plan::{plan, Frame, Highlights, AXIS_PX};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, MouseEvent, MouseEventInit};

#[path = "support/timeline_mount.rs"]
mod timeline_mount;

use timeline_mount::{data, mount_timeline, sleep};

wasm_bindgen_test_configure!(run_in_browser);

fn synthetic(steps: usize) -> Arc<Trace> {
    let mut bytes = Vec::new();
    write_trace(
        &SynthOptions {
            steps,
            seed: 42,
            format: SynthFormat::Stepwise,
        },
        &mut bytes,
    )
    .expect("writes to memory");
    Arc::new(import_bytes(&bytes).expect("imports").remove(0))
}

/// The canvas pixel at CSS `(x, y)`, as red, green and blue.
fn pixel(canvas: &HtmlCanvasElement, x: f64, y: f64) -> (u8, u8, u8) {
    let ratio = web_sys::window()
        .expect("window")
        .device_pixel_ratio()
        .max(1.0);
    let context: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .expect("context")
        .expect("2d")
        .dyn_into()
        .expect("2d context");
    // Through Reflect: web-sys's ImageData feature is not enabled in this crate.
    let get = js_sys::Reflect::get(&context, &"getImageData".into())
        .expect("getImageData")
        .dyn_into::<js_sys::Function>()
        .expect("a function");
    let at = |v: f64| wasm_bindgen::JsValue::from_f64((v * ratio).floor());
    let args = js_sys::Array::of4(&at(x), &at(y), &1.0.into(), &1.0.into());
    let image = get.apply(&context, &args).expect("image data");
    let data = js_sys::Uint8ClampedArray::from(
        js_sys::Reflect::get(&image, &"data".into()).expect("data"),
    )
    .to_vec();
    (data[0], data[1], data[2])
}

#[wasm_bindgen_test]
async fn at_100k_steps_a_merged_group_with_a_failure_shows_red_and_a_click_zooms_into_it() {
    let trace = synthetic(100_000);
    let (canvas, selections) = mount_timeline(trace.clone()).await;
    let layout = layout(&trace);
    let frame = Frame::new(
        f64::from(canvas.client_width()),
        f64::from(canvas.client_height()),
        0.0,
    );
    let window: (i64, i64) = (
        data(&canvas, "data-start-ns").parse().expect("start"),
        data(&canvas, "data-end-ns").parse().expect("end"),
    );
    // The same plan the canvas executed: find a merged group hiding a failure, in sight.
    let plan = plan(&trace, &layout, &frame, window, &Highlights::default());
    let ticks: Vec<_> = plan
        .batches
        .iter()
        .filter(|batch| batch.fill == Fill::Failed)
        .flat_map(|batch| batch.rects.iter().copied())
        .collect();
    let (group, rect, tick) = plan
        .groups
        .iter()
        .filter(|(group, rect)| group.failed > 0 && rect.y > AXIS_PX)
        .find_map(|(group, rect)| {
            let tick = ticks
                .iter()
                .find(|t| t.y == rect.y && t.x < rect.x + rect.w && rect.x < t.x + t.w)?;
            Some((*group, *rect, *tick))
        })
        .expect("a merged group with a failure is drawn zoomed out");
    assert!(group.steps() >= 2, "{group:?}");
    let theme = match web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
    {
        Some(query) if query.matches() => Theme::Dark,
        _ => Theme::Light,
    };
    let red = chrome(theme).error_fill;
    let seen = pixel(&canvas, tick.x + tick.w / 2.0, tick.y + tick.h / 2.0);
    assert_eq!(
        seen,
        (red.0, red.1, red.2),
        "the error colour on the canvas where {group:?} hides a failure"
    );

    // A click on the group zooms into it rather than selecting one of its steps.
    let bounds = canvas.get_bounding_client_rect();
    let init = MouseEventInit::new();
    init.set_bubbles(true);
    init.set_client_x((bounds.left() + rect.x + rect.w / 2.0).round() as i32);
    init.set_client_y((bounds.top() + rect.y + rect.h / 2.0).round() as i32);
    let click = MouseEvent::new_with_mouse_event_init_dict("click", &init).expect("event");
    canvas.dispatch_event(&click).expect("dispatch");
    sleep(100).await;
    let zoomed: (i64, i64) = (
        data(&canvas, "data-start-ns").parse().expect("start"),
        data(&canvas, "data-end-ns").parse().expect("end"),
    );
    assert!(
        zoomed.1 - zoomed.0 < (window.1 - window.0) / 100,
        "zoomed from {window:?} to {zoomed:?}"
    );
    assert!(zoomed.0 <= group.start_ns && zoomed.1 >= group.end_ns);
    assert!(selections.get_untracked().is_empty(), "nothing selected");
    // Zoomed in, the group's steps are drawn one by one.
    let frame = Frame::new(frame.width_px, frame.height_px, 0.0);
    let closer = stepwise_core::timeline::plan::plan(
        &trace,
        &layout,
        &frame,
        zoomed,
        &Highlights::default(),
    );
    assert!(
        closer
            .groups
            .iter()
            .all(|(g, _)| g.lane != group.lane || g.steps() < group.steps()),
        "the group came apart"
    );
}
