//! Components rendered into a real DOM in headless Chromium (wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;

use leptos::prelude::*;
use stepwise::components::step_details::StepDetails;
use stepwise::components::summary::SummaryBar;
use stepwise_core::import::import_bytes;
use stepwise_core::metrics::{format_count_tally, summarize};
use stepwise_core::model::{Step, StepKind, Trace};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

fn demo() -> Arc<Trace> {
    let bytes = include_bytes!("../public/demo/trace.json");
    Arc::new(import_bytes(bytes).expect("demo imports").remove(0))
}

/// A fresh container in the page, so tests do not see each other's output.
fn container() -> Element {
    let document = web_sys::window()
        .expect("window")
        .document()
        .expect("document");
    let element = document.create_element("div").expect("div");
    document
        .body()
        .expect("body")
        .append_child(&element)
        .expect("append");
    element
}

fn text_of(root: &Element, selector: &str) -> String {
    root.query_selector(selector)
        .expect("valid selector")
        .unwrap_or_else(|| panic!("{selector} is rendered"))
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
fn summary_shows_the_demo_figures() {
    let trace = demo();
    let expected = summarize(&trace);
    let root = container();
    let element = root
        .clone()
        .dyn_into::<web_sys::HtmlElement>()
        .expect("html element");
    let shown = trace.clone();
    leptos::mount::mount_to(
        element,
        move || view! { <SummaryBar trace=shown.clone() /> },
    )
    .forget();

    assert_eq!(
        text_of(&root, "[data-testid=steps] .figure-value"),
        trace.steps.len().to_string()
    );
    assert_eq!(
        text_of(&root, "[data-testid=total-tokens] .figure-value"),
        format_count_tally(&expected.total_tokens)
    );
    assert_eq!(
        text_of(&root, "[data-testid=requests] .figure-value"),
        expected.requests.to_string()
    );
}

#[wasm_bindgen_test]
fn hostile_step_output_is_shown_as_text_never_as_html() {
    let hostile =
        r#"<img src=x onerror="document.title='pwned'"><script>document.title='pwned'</script>"#;
    let step = Step {
        id: "evil".to_string(),
        name: "<b>bold name</b>".to_string(),
        kind: StepKind::ToolResult,
        output: Some(serde_json::Value::String(hostile.to_string()).into()),
        ..Step::default()
    };
    let root = container();
    let element = root
        .clone()
        .dyn_into::<web_sys::HtmlElement>()
        .expect("html element");
    let trace = demo();
    leptos::mount::mount_to(element, move || {
        view! { <StepDetails trace=trace.clone() step=step.clone() /> }
    })
    .forget();

    assert!(
        root.query_selector("img").expect("selector").is_none(),
        "no <img> was created"
    );
    assert!(
        root.query_selector("script").expect("selector").is_none(),
        "no <script> was created"
    );
    assert!(
        root.query_selector("b").expect("selector").is_none(),
        "no <b> was created"
    );
    assert_eq!(text_of(&root, "pre.value"), hostile);
    assert_eq!(text_of(&root, "h2"), "<b>bold name</b>");
}
