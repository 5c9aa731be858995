//! The timeline canvas in headless Chromium: a sharp backing store, and a click on a bar selects its step.
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;

use leptos::prelude::*;
use stepwise_core::import::import_bytes;
use stepwise_core::model::Trace;
use stepwise_core::timeline::layout::layout;
use stepwise_core::timeline::plan::Frame;
use stepwise_core::view_query::Selection;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{MouseEvent, MouseEventInit};

#[path = "support/timeline_mount.rs"]
mod timeline_mount;

use timeline_mount::{data, mount_timeline};

wasm_bindgen_test_configure!(run_in_browser);

fn demo() -> Arc<Trace> {
    let bytes = include_bytes!("../public/demo/trace.json");
    Arc::new(import_bytes(bytes).expect("demo imports").remove(0))
}

#[wasm_bindgen_test]
async fn the_backing_store_matches_the_css_size_times_the_pixel_ratio() {
    let (canvas, _) = mount_timeline(demo()).await;
    let ratio = web_sys::window()
        .expect("window")
        .device_pixel_ratio()
        .max(1.0);
    let (css_w, css_h) = (
        f64::from(canvas.client_width()),
        f64::from(canvas.client_height()),
    );
    assert!(css_w > 800.0 && css_h > 100.0, "laid out: {css_w}×{css_h}");
    assert_eq!(f64::from(canvas.width()), (css_w * ratio).round());
    assert_eq!(f64::from(canvas.height()), (css_h * ratio).round());
    assert_eq!(canvas.get_attribute("role").as_deref(), Some("img"));
    assert!(data(&canvas, "aria-label").starts_with("Timeline of 30 steps in 5 tasks"));
}

#[wasm_bindgen_test]
async fn clicking_a_bar_selects_its_step() {
    let trace = demo();
    let (canvas, selections) = mount_timeline(trace.clone()).await;
    // Where s07 is drawn, from the numbers the canvas exposes and the pure geometry.
    let layout = layout(&trace);
    let step = trace.steps.iter().position(|s| s.id == "s07").expect("s07");
    let bar = layout.bar_of_step(step).expect("a bar");
    let frame = Frame::new(
        f64::from(canvas.client_width()),
        f64::from(canvas.client_height()),
        0.0,
    );
    assert_eq!(data(&canvas, "data-gutter-px"), frame.gutter_px.to_string());
    assert_eq!(data(&canvas, "data-top-px"), frame.top_px().to_string());
    let window: (i64, i64) = (
        data(&canvas, "data-start-ns").parse().expect("start"),
        data(&canvas, "data-end-ns").parse().expect("end"),
    );
    let rect = frame.bar_rect(&frame.scale(window), bar);
    let bounds = canvas.get_bounding_client_rect();
    let init = MouseEventInit::new();
    init.set_bubbles(true);
    init.set_client_x((bounds.left() + rect.x + rect.w / 2.0).round() as i32);
    init.set_client_y((bounds.top() + rect.y + rect.h / 2.0).round() as i32);
    let click = MouseEvent::new_with_mouse_event_init_dict("click", &init).expect("event");
    canvas.dispatch_event(&click).expect("dispatch");
    assert_eq!(
        selections.get_untracked(),
        [Selection::Step("s07".to_string())]
    );

    // The task's own bar, on the row's first lane, selects the task.
    let task_bar = layout
        .bars
        .iter()
        .find(|bar| bar.step.is_none())
        .expect("a task bar");
    let rect = frame.bar_rect(&frame.scale(window), task_bar);
    init.set_client_x((bounds.left() + rect.x + 20.0).round() as i32);
    init.set_client_y((bounds.top() + rect.y + rect.h / 2.0).round() as i32);
    let click = MouseEvent::new_with_mouse_event_init_dict("click", &init).expect("event");
    canvas.dispatch_event(&click).expect("dispatch");
    let task_id = trace.tasks[task_bar.task.expect("task")].id.clone();
    assert_eq!(
        selections.get_untracked().last(),
        Some(&Selection::Task(task_id))
    );
}
