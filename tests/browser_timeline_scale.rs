//! The timeline at 100k synthetic steps in headless Chromium: merged groups keep their error colour on the real canvas, and a click on a group zooms into it.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::future::poll_fn;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Poll, Waker};
use std::time::Duration;

use leptos::prelude::*;
use stepwise::components::timeline::TimelineCanvas;
use stepwise::import::import_bytes;
use stepwise::model::Trace;
use stepwise::synth::{write_trace, SynthFormat, SynthOptions};
use stepwise::timeline::layout;
use stepwise::timeline_draw::{chrome, plan, Fill, Frame, Theme, AXIS_PX};
use stepwise::view_query::Selection;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{
    CanvasRenderingContext2d, HtmlCanvasElement, HtmlElement, MouseEvent, MouseEventInit,
};

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

/// Waits `ms` of real time: the size comes from a ResizeObserver and the drawing from an
/// animation frame, both after the current task.
async fn sleep(ms: u64) {
    let state: Rc<RefCell<(bool, Option<Waker>)>> = Rc::default();
    let fire = state.clone();
    set_timeout(
        move || {
            let mut fire = fire.borrow_mut();
            fire.0 = true;
            if let Some(waker) = fire.1.take() {
                waker.wake();
            }
        },
        Duration::from_millis(ms),
    );
    poll_fn(move |cx| {
        let mut state = state.borrow_mut();
        if state.0 {
            Poll::Ready(())
        } else {
            state.1 = Some(cx.waker().clone());
            Poll::Pending
        }
    })
    .await;
}

/// Mounts the timeline 900 px wide; returns its canvas and the selections it reported.
async fn mount_timeline(trace: Arc<Trace>) -> (HtmlCanvasElement, ArcRwSignal<Vec<Selection>>) {
    let document = web_sys::window()
        .expect("window")
        .document()
        .expect("document");
    let root: HtmlElement = document
        .create_element("div")
        .expect("div")
        .dyn_into()
        .expect("html");
    root.style().set_property("width", "900px").expect("style");
    // The canvas's CSS size comes from the stylesheet, as in the app.
    let style = document.create_element("style").expect("style");
    style.set_text_content(Some(include_str!("../style/timeline.css")));
    root.append_child(&style).expect("append style");
    document
        .body()
        .expect("body")
        .append_child(&root)
        .expect("append");
    let selections = ArcRwSignal::new(Vec::new());
    let seen = selections.clone();
    leptos::mount::mount_to(root.clone(), move || {
        let seen = seen.clone();
        view! {
            <TimelineCanvas
                trace=trace.clone()
                selected=Signal::stored(None)
                window_ms=Signal::stored(None)
                on_select=Callback::new(move |selection| seen.update(|all| all.push(selection)))
                on_window=Callback::new(|_| {})
            />
        }
    })
    .forget();
    sleep(150).await;
    let canvas = root
        .query_selector("[data-testid=timeline]")
        .expect("selector")
        .expect("the canvas is rendered")
        .dyn_into()
        .expect("a canvas");
    (canvas, selections)
}

fn data(canvas: &HtmlCanvasElement, name: &str) -> String {
    canvas
        .get_attribute(name)
        .unwrap_or_else(|| panic!("{name} is set"))
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
    let plan = plan(&trace, &layout, &frame, window, (None, None));
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
    let closer = stepwise::timeline_draw::plan(&trace, &layout, &frame, zoomed, (None, None));
    assert!(
        closer
            .groups
            .iter()
            .all(|(g, _)| g.lane != group.lane || g.steps() < group.steps()),
        "the group came apart"
    );
}
