//! The details panes, JSON view and final output rendered into a real DOM (wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;

use leptos::prelude::*;
use serde_json::json;
use stepwise::components::agent_view::AgentView;
use stepwise::components::final_output::FinalOutput;
use stepwise::components::json_view::JsonView;
use stepwise::components::step_details::StepDetails;
use stepwise::components::task_details::TaskDetails;
use stepwise_core::import::import_bytes;
use stepwise_core::model::{Step, StepError, StepKind, Trace};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

const HOSTILE: &str =
    r#"<img src=x onerror="document.title='pwned'"><script>document.title='pwned'</script>"#;

fn demo() -> Arc<Trace> {
    let bytes = include_bytes!("../public/demo/trace.json");
    Arc::new(import_bytes(bytes).expect("demo imports").remove(0))
}

/// Mounts `view` into a fresh container, so tests do not see each other's output.
fn mount<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> Element {
    let document = web_sys::window()
        .expect("window")
        .document()
        .expect("document");
    let root = document.create_element("div").expect("div");
    document
        .body()
        .expect("body")
        .append_child(&root)
        .expect("append");
    let element = root
        .clone()
        .dyn_into::<HtmlElement>()
        .expect("html element");
    leptos::mount::mount_to(element, view).forget();
    root
}

fn count(root: &Element, selector: &str) -> u32 {
    root.query_selector_all(selector)
        .expect("valid selector")
        .length()
}

fn text_of(root: &Element, selector: &str) -> String {
    root.query_selector(selector)
        .expect("valid selector")
        .unwrap_or_else(|| panic!("{selector} is rendered"))
        .text_content()
        .unwrap_or_default()
}

fn assert_inert(root: &Element) {
    assert_eq!(count(root, "img"), 0, "no <img> was created");
    assert_eq!(count(root, "script"), 0, "no <script> was created");
    let title = web_sys::window().unwrap().document().unwrap().title();
    assert_ne!(title, "pwned", "no hostile handler ran");
}

fn hostile_step(kind: StepKind) -> Step {
    Step {
        id: "evil".to_string(),
        name: HOSTILE.to_string(),
        kind,
        model: Some(HOSTILE.to_string()),
        input: Some(
            json!({"messages": [{"role": "user", "content": HOSTILE}], "args": [HOSTILE]}).into(),
        ),
        output: Some(json!({"role": "assistant", "content": HOSTILE}).into()),
        error: Some(StepError {
            error_type: Some(HOSTILE.to_string()),
            message: HOSTILE.to_string(),
            stack: Some(HOSTILE.to_string()),
        }),
        attributes: [("html".to_string(), json!(HOSTILE))].into_iter().collect(),
        ..Step::default()
    }
}

#[wasm_bindgen_test]
fn hostile_strings_in_every_field_of_every_step_kind_stay_text() {
    let trace = demo();
    for kind in [
        StepKind::LlmCall,
        StepKind::ToolCall,
        StepKind::Reasoning,
        StepKind::Error,
    ] {
        let step = hostile_step(kind);
        let shown = trace.clone();
        let root = mount(move || view! { <StepDetails trace=shown.clone() step=step.clone() /> });
        assert_inert(&root);
        assert_eq!(text_of(&root, "h2"), HOSTILE);
        assert!(text_of(&root, ".step-error").contains(HOSTILE));
        assert!(
            root.text_content()
                .unwrap_or_default()
                .matches(HOSTILE)
                .count()
                >= 4
        );
    }
}

#[wasm_bindgen_test]
fn hostile_final_output_renders_as_literal_text_in_markdown_and_raw() {
    let mut trace = (*demo()).clone();
    trace.final_output = Some(
        json!(format!(
            "# Report\n\n{HOSTILE}\n\n[click](javascript:alert(1))"
        ))
        .into(),
    );
    let trace = Arc::new(trace);
    let root = mount(move || view! { <FinalOutput trace=trace.clone() /> });
    assert_inert(&root);
    assert!(text_of(&root, ".markdown").contains(HOSTILE));
    assert_eq!(
        count(&root, ".markdown a"),
        0,
        "a javascript: link is not a link"
    );
    assert_eq!(text_of(&root, ".markdown h1"), "Report");
}

#[wasm_bindgen_test]
fn the_demo_final_output_renders_headings_tables_and_code() {
    let trace = demo();
    let root = mount(move || view! { <FinalOutput trace=trace.clone() /> });
    assert!(text_of(&root, ".markdown h1").starts_with("Launch a usage-based CI tier"));
    assert!(count(&root, ".markdown h2") >= 3);
    assert_eq!(count(&root, ".markdown table th"), 2);
    assert!(text_of(&root, ".markdown pre.code-block code").contains("cap_usd = min("));
}

#[wasm_bindgen_test]
fn an_llm_call_shows_its_messages_as_role_bubbles() {
    let trace = demo();
    let step = trace.step("s03").cloned().expect("s03");
    let root = mount(move || view! { <StepDetails trace=trace.clone() step=step.clone() /> });
    assert_eq!(count(&root, ".bubble.role-system"), 1);
    assert_eq!(count(&root, ".bubble.role-user"), 1);
    assert_eq!(count(&root, ".bubble.role-assistant"), 1);
    assert!(text_of(&root, ".facts").contains("1,184 in"));
    assert_eq!(
        text_of(&root, "[data-testid=step-details] h2"),
        "gpt-4o · choose search"
    );
}

#[wasm_bindgen_test]
fn a_tool_call_names_its_result_and_a_result_its_call() {
    let trace = demo();
    let call = trace.step("s05").cloned().expect("s05");
    let shown = trace.clone();
    let root = mount(move || view! { <StepDetails trace=shown.clone() step=call.clone() /> });
    assert!(text_of(&root, ".relation").contains("web_search result"));
    let result = trace.step("s06").cloned().expect("s06");
    let root = mount(move || view! { <StepDetails trace=trace.clone() step=result.clone() /> });
    assert!(text_of(&root, ".relation").contains("web_search"));
    assert_eq!(
        count(&root, "pre.value"),
        1,
        "one value, as the end-to-end test expects"
    );
    assert!(text_of(&root, "pre.value").contains("<script>alert('not rendered')</script>"));
    assert_inert(&root);
}

#[wasm_bindgen_test]
async fn long_text_folds_and_unfolds() {
    let text: String = (1..=50).map(|n| format!("line {n}\n")).collect();
    let step = Step {
        id: "long".into(),
        name: "long".into(),
        kind: StepKind::ToolResult,
        output: Some(json!(text).into()),
        ..Step::default()
    };
    let trace = demo();
    let root = mount(move || view! { <StepDetails trace=trace.clone() step=step.clone() /> });
    assert_eq!(text_of(&root, "pre.value").lines().count(), 20);
    let toggle = root
        .query_selector(".fold-toggle")
        .unwrap()
        .expect("toggle");
    assert_eq!(
        toggle.text_content().unwrap_or_default(),
        "Show all 50 lines"
    );
    toggle.dyn_into::<HtmlElement>().unwrap().click();
    // The DOM follows the signal on the executor's next tick.
    leptos::task::tick().await;
    assert_eq!(text_of(&root, "pre.value").lines().count(), 50);
}

#[wasm_bindgen_test]
fn json_nodes_fold_by_depth() {
    let value = json!({"a": {"b": {"c": {"d": 1}}}, "list": [1, 2]});
    let root = mount(move || view! { <JsonView value=value.clone() /> });
    assert_eq!(
        count(&root, "details.json-node"),
        5,
        "root, a, b, c and list"
    );
    assert_eq!(
        count(&root, "details.json-node[open]"),
        3,
        "depth 0 and 1 open, deeper folded"
    );
    assert!(
        text_of(&root, "pre.json-tree").contains("d: 1"),
        "folded nodes keep their text"
    );
}

#[wasm_bindgen_test]
fn task_and_agent_views_list_what_they_did() {
    let trace = demo();
    let task = trace.task("task-competitors").cloned().expect("task");
    let shown = trace.clone();
    let root = mount(move || view! { <TaskDetails trace=shown.clone() task=task.clone() /> });
    assert_eq!(text_of(&root, "h2"), "Compare competitor pricing");
    assert!(text_of(&root, ".facts").contains("Pricing Analyst"));
    assert!(root
        .text_content()
        .unwrap_or_default()
        .contains("Research the market"));
    assert!(count(&root, ".steps-of-task li") >= 5);

    let agent = trace.agent("agent-factcheck").cloned().expect("agent");
    let root = mount(move || view! { <AgentView trace=trace.clone() agent=agent.clone() /> });
    assert_eq!(text_of(&root, "h2"), "Fact Checker");
    assert_eq!(count(&root, "ul.errors li"), 3);
}
