//! Mounting the timeline canvas in headless Chromium, shared by the browser tests of the
//! timeline (included with `#[path]`; not a test target of its own).

use std::cell::RefCell;
use std::future::poll_fn;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Poll, Waker};
use std::time::Duration;

use leptos::prelude::*;
use stepwise::components::timeline::TimelineCanvas;
use stepwise_core::model::Trace;
use stepwise_core::view_query::Selection;
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, HtmlElement};

/// Waits `ms` of real time: the size comes from a ResizeObserver and the drawing from an
/// animation frame, both after the current task.
pub async fn sleep(ms: u64) {
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
pub async fn mount_timeline(trace: Arc<Trace>) -> (HtmlCanvasElement, ArcRwSignal<Vec<Selection>>) {
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
    style.set_text_content(Some(include_str!("../../style/timeline.css")));
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

pub fn data(canvas: &HtmlCanvasElement, name: &str) -> String {
    canvas
        .get_attribute(name)
        .unwrap_or_else(|| panic!("{name} is set"))
}
