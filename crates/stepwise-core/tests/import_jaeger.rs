//! Jaeger JSON: the API wrapper and single traces, microsecond times, references,
//! errors from tags and logs, repairs, and refusals.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::json;
use stepwise_core::import::{import_bytes, jaeger, Detection, Document, Shape};
use stepwise_core::metrics::summarize;
use stepwise_core::model::RawJson;
use stepwise_core::model::{CostSource, SourceFormat, Status, StepKind, Trace};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../tests/fixtures/jaeger/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

fn only_trace(bytes: &[u8]) -> Trace {
    let mut traces = import_bytes(bytes).expect("imports");
    assert_eq!(traces.len(), 1, "one trace");
    traces.remove(0)
}

fn step<'a>(trace: &'a Trace, id: &str) -> &'a stepwise_core::model::Step {
    trace
        .step(id)
        .unwrap_or_else(|| panic!("step {id} is in the trace"))
}

/// Start of the fixtures: 2025-06-29T21:42:47Z, in microseconds there.
const T0_NS: i64 = 1_751_234_567_000_000_000;

#[test]
fn a_single_trace_imports_with_microseconds_as_nanoseconds() {
    let trace = only_trace(&fixture("single_trace.json"));
    assert_eq!(trace.source_format, SourceFormat::Jaeger);
    assert_eq!(trace.id, "a1b2c3d4e5f60718");
    assert_eq!(
        trace.name, "invoke_agent Helper",
        "the single root names it"
    );
    let kinds: Vec<StepKind> = trace.steps.iter().map(|step| step.kind).collect();
    assert_eq!(
        kinds,
        [
            StepKind::Agent,
            StepKind::LlmCall,
            StepKind::ToolCall,
            StepKind::Span
        ]
    );
    let agent = &trace.steps[0];
    assert_eq!(agent.start_ns, Some(T0_NS));
    assert_eq!(agent.duration_ns(), Some(2_500_000_000));
    assert_eq!(trace.duration_ns(), Some(2_500_000_000));
    let call = step(&trace, "0000000000000002");
    assert_eq!(call.parent_id.as_deref(), Some("0000000000000001"));
    assert_eq!(call.start_ns, Some(T0_NS + 1_000_000));
    assert_eq!(
        (call.usage.input_tokens, call.usage.output_tokens),
        (Some(321), Some(45))
    );
    assert_eq!(
        call.cost.map(|cost| (cost.usd, cost.source)),
        Some((0.000075, CostSource::Stated))
    );
    assert_eq!(call.agent_id.as_deref(), Some("Helper"));
    assert_eq!(
        call.attributes["otel.events"],
        json!([{"name": "gen_ai.content.chunk", "time_ns": T0_NS + 600_000_000,
                "attributes": {"index": 3}}])
    );
    assert_eq!(
        step(&trace, "0000000000000004").parent_id.as_deref(),
        Some("0000000000000003"),
        "FOLLOWS_FROM links a parent when there is no CHILD_OF"
    );
    assert_eq!(
        step(&trace, "0000000000000003").input,
        Some(RawJson::from(json!({"id": 42})))
    );
    assert_eq!(
        trace.metadata["service.name"],
        json!(["agent-api", "tools"])
    );
    assert_eq!(trace.metadata["hostname"], json!("box-1"));
    assert_eq!(trace.agents.len(), 1);
    assert_eq!(trace.agents[0].models, ["gpt-4o-mini"]);
    assert!(trace.repairs.is_empty(), "{:?}", trace.repairs);
    assert_eq!(trace.status, Status::Completed);
}

#[test]
fn the_api_wrapper_with_two_traces_gives_two_traces() {
    let traces = import_bytes(&fixture("api_two_traces.json")).expect("imports");
    let figures: Vec<(&str, &str, usize)> = traces
        .iter()
        .map(|trace| (trace.id.as_str(), trace.name.as_str(), trace.steps.len()))
        .collect();
    assert_eq!(
        figures,
        [
            ("b1b2c3d4e5f60718", "GET /ask", 2),
            ("c1b2c3d4e5f60718", "GET /health", 1)
        ]
    );
    let summary = summarize(&traces[0]);
    assert_eq!(summary.requests, 1);
    assert_eq!(summary.total_tokens, 60);
    assert_eq!(traces[1].duration_ns(), Some(3_000_000));
    assert_eq!(traces[1].metadata["service.name"], json!("front"));
}

#[test]
fn error_tags_and_logs_fail_steps() {
    let trace = only_trace(&fixture("error_tag.json"));
    let run = step(&trace, "00000000000000c1");
    assert_eq!(run.status, Status::Failed, "otel.status_code ERROR");
    assert_eq!(
        run.error.as_ref().map(|error| error.message.as_str()),
        Some("agent gave up")
    );
    let tool = step(&trace, "00000000000000c2");
    assert_eq!(tool.status, Status::Failed, "error: true");
    let error = tool.error.as_ref().expect("an error");
    assert_eq!(error.error_type.as_deref(), Some("TimeoutError"));
    assert_eq!(error.message, "search timed out after 30 s");
    assert_eq!(
        error.stack.as_deref(),
        Some("Traceback (most recent call last):\n  ...\nTimeoutError")
    );
    let legacy = step(&trace, "00000000000000c3");
    let error = legacy.error.as_ref().expect("an OpenTracing error log");
    assert_eq!(error.error_type.as_deref(), Some("IOError"));
    assert_eq!(error.message, "disk full");
    assert_eq!(error.stack.as_deref(), Some("at write()"));
    assert_eq!(trace.status, Status::Failed);
    assert_eq!(summarize(&trace).errors, 3);
}

#[test]
fn a_missing_parent_makes_a_root_and_is_reported() {
    let trace = only_trace(&fixture("missing_parent.json"));
    assert_eq!(trace.steps[0].parent_id, None);
    assert_eq!(
        trace.steps[1].parent_id.as_deref(),
        Some("00000000000000d1")
    );
    assert_eq!(trace.repairs.len(), 1);
    assert_eq!(trace.repairs[0].path, "spans[0].parent_id");
    assert_eq!(
        trace.repairs[0].what,
        "parent \"ffffffffffffffff\" is not in the trace; the step is shown as a root"
    );
}

#[test]
fn a_span_without_span_id_is_refused_with_its_path() {
    let error = import_bytes(&fixture("missing_span_id.json")).expect_err("no spanID");
    assert_eq!(
        error.to_string(),
        "Jaeger JSON at data[0].spans[1].spanID: expected a span id, which every span needs."
    );
}

#[test]
fn a_wrong_type_is_refused_with_its_path() {
    let input = r#"{"traceID": "abc", "spans": [{"spanID": "1", "startTime": "yesterday"}]}"#;
    let error = import_bytes(input.as_bytes()).expect_err("bad time");
    assert_eq!(
        error.to_string(),
        "Jaeger JSON at spans[0].startTime: expected valid content (an integer, not \"yesterday\")."
    );
}

#[test]
fn a_span_without_duration_is_running() {
    let input = r#"{"traceID": "abc", "spans": [{"spanID": "1", "operationName": "wait",
        "startTime": 1751234567000000}]}"#;
    let trace = only_trace(input.as_bytes());
    assert_eq!(trace.steps[0].status, Status::Running);
    assert_eq!(trace.status, Status::Running);
}

fn detect(text: &str) -> Detection<Vec<Trace>> {
    let shape: Shape = serde_json::from_str(text).expect("valid JSON");
    jaeger::detect(&[Document {
        shape,
        text,
        line: 1,
    }])
}

#[test]
fn data_of_other_formats_is_not_claimed() {
    let openai_agents = r#"{"data": [{"object": "trace", "id": "trace_1", "workflow_name": "x"}]}"#;
    assert!(matches!(detect(openai_agents), Detection::Incompatible));
    let langfuse_list = r#"{"data": [{"id": "t1", "name": "run"}], "meta": {"page": 1}}"#;
    assert!(matches!(detect(langfuse_list), Detection::Incompatible));
    assert!(matches!(detect(r#"{"data": []}"#), Detection::Incompatible));
    assert!(matches!(detect(r#"{"data": 3}"#), Detection::Incompatible));
    let jaeger = r#"{"data": [{"traceID": "a", "spans": [{"spanID": "1"}]}]}"#;
    assert!(matches!(detect(jaeger), Detection::Imported(Ok(_))));
}

#[test]
fn with_several_roots_the_earliest_names_the_trace() {
    let input = r#"{"traceID": "abc", "spans": [
        {"spanID": "2", "operationName": "later", "startTime": 20, "duration": 1},
        {"spanID": "1", "operationName": "first", "startTime": 10, "duration": 1,
         "references": [{"refType": "CHILD_OF", "spanID": "9"}]}]}"#;
    let trace = only_trace(input.as_bytes());
    assert_eq!(trace.name, "first");
    assert_eq!(trace.repairs.len(), 1, "the missing parent 9");
}
