//! OTLP/JSON: the shared real samples, every quirk of real exporters (see import/otlp.rs), the GenAI dialects,
//! and how bad input is refused.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::json;
use stepwise_core::import::{import_bytes, ImportError};
use stepwise_core::metrics::{summarize, task_figures};
use stepwise_core::model::RawJson;
use stepwise_core::model::{CostSource, SourceFormat, Status, StepKind, Trace, TraceKind};
use stepwise_core::tree::step_rows;

fn shared(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../tests/fixtures/real/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../tests/fixtures/otlp/{name}",
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

#[test]
fn proto_example_imports_with_its_missing_parent_repaired() {
    let trace = only_trace(&shared("otlp-proto-example-trace.json"));
    assert_eq!(trace.source_format, SourceFormat::Otlp);
    assert_eq!(
        trace.id, "5b8efff798038103d269b633813fc60c",
        "lower-case hex"
    );
    assert_eq!(trace.name, "I'm a server span");
    assert_eq!(trace.steps.len(), 1);
    let span = &trace.steps[0];
    assert_eq!(span.id, "eee19b7ec3c1b174");
    assert_eq!(span.parent_id, None, "its parent is not in the file");
    assert_eq!(span.kind, StepKind::Span);
    assert_eq!(span.status, Status::Completed);
    assert_eq!(span.start_ns, Some(1_544_712_660_000_000_000));
    assert_eq!(span.duration_ns(), Some(1_000_000_000));
    assert_eq!(span.attributes["my.span.attr"], json!("some value"));
    assert_eq!(span.attributes["span.kind"], json!("server"));
    assert_eq!(span.attributes["otel.scope.name"], json!("my.library"));
    assert_eq!(trace.metadata["service.name"], json!("my.service"));
    assert_eq!(trace.repairs.len(), 1);
    assert_eq!(
        trace.repairs[0].path,
        "resourceSpans[0].scopeSpans[0].spans[0].parent_id"
    );
    assert_eq!(
        trace.repairs[0].what,
        "parent \"eee19b7ec3c1b173\" is not in the trace; the step is shown as a root"
    );
    assert_eq!(trace.duration_ns(), Some(1_000_000_000));
}

#[test]
fn jaeger_ui_sample_merges_four_resource_spans_into_one_trace() {
    let trace = only_trace(&shared("otlp-jaeger-ui-multi-resource.json"));
    assert_eq!(trace.id, "c620759e5d60fafb8ee0922b30e06bc6");
    assert_eq!(trace.steps.len(), 4);
    assert_eq!(trace.name, "main", "the root names the trace");
    assert!(trace.repairs.is_empty(), "{:?}", trace.repairs);
    assert_eq!(
        step(&trace, "eff3153be6b1fb93").parent_id,
        None,
        "\"\" is no parent"
    );
    assert_eq!(
        step(&trace, "49b8e9efa1e8a3b1").parent_id.as_deref(),
        Some("eff3153be6b1fb93")
    );
    let rows: Vec<(&str, usize)> = step_rows(&trace)
        .iter()
        .map(|row| (trace.steps[row.step].id.as_str(), row.depth))
        .collect();
    assert_eq!(
        rows,
        [
            ("eff3153be6b1fb93", 0),
            ("49b8e9efa1e8a3b1", 1),
            ("26f5ef9dbb885479", 2),
            ("e76628f4e6dde174", 2),
        ]
    );
    assert_eq!(trace.start_ns, Some(1_711_138_246_940_000_000));
    assert_eq!(trace.duration_ns(), Some(176_321_958));
    assert_eq!(
        trace.status,
        Status::Completed,
        "status: {{}} is unset, not failed"
    );
    assert_eq!(trace.metadata["service.name"], json!("example-trace"));
    assert_eq!(trace.metadata["telemetry.sdk.version"], json!("1.22.0"));
    assert_eq!(
        step(&trace, "26f5ef9dbb885479").attributes["otel.scope.name"],
        json!("ohboy")
    );
}

#[test]
fn base64_ids_become_hex_and_keep_their_parent_links() {
    let trace = only_trace(&fixture("base64_ids.json"));
    assert_eq!(trace.id, "5b8efff798038103d269b633813fc60c");
    assert_eq!(trace.steps[0].id, "eee19b7ec3c1b173");
    assert_eq!(trace.steps[1].id, "eee19b7ec3c1b174");
    assert_eq!(
        trace.steps[1].parent_id.as_deref(),
        Some("eee19b7ec3c1b173")
    );
    assert!(trace.repairs.is_empty());
}

#[test]
fn enum_names_are_read_like_numbers() {
    let trace = only_trace(&fixture("string_enums.json"));
    let call = &trace.steps[0];
    assert_eq!(call.attributes["span.kind"], json!("client"));
    assert_eq!(call.status, Status::Failed, "STATUS_CODE_ERROR");
    let error = call.error.as_ref().expect("an error");
    assert_eq!(error.message, "upstream returned 503");
    assert_eq!(trace.steps[1].status, Status::Completed, "STATUS_CODE_OK");
    assert_eq!(trace.steps[1].attributes["span.kind"], json!("internal"));
    assert_eq!(trace.status, Status::Failed, "the root failed");
}

#[test]
fn times_as_json_numbers_keep_every_nanosecond() {
    let trace = only_trace(&fixture("numeric_times.json"));
    assert_eq!(trace.steps[0].start_ns, Some(1_751_234_567_000_000_001));
    assert_eq!(trace.steps[0].end_ns, Some(1_751_234_567_500_000_001));
    assert_eq!(trace.steps[0].status, Status::Completed);
}

#[test]
fn every_attribute_value_type_is_kept() {
    let trace = only_trace(&fixture("int_value_as_string.json"));
    let call = &trace.steps[0];
    assert_eq!(call.kind, StepKind::LlmCall);
    assert_eq!(call.usage.input_tokens, Some(1200), "intValue as a string");
    assert_eq!(call.usage.output_tokens, Some(340), "intValue as a number");
    let attributes = &call.attributes;
    assert_eq!(attributes["gen_ai.usage.input_tokens"], json!(1200));
    assert_eq!(attributes["gen_ai.request.temperature"], json!(0.2));
    assert_eq!(attributes["gen_ai.request.stream"], json!(false));
    assert_eq!(
        attributes["gen_ai.request.stop_sequences"],
        json!(["END", "STOP"])
    );
    assert_eq!(
        attributes["app.settings"],
        json!({"retries": 3, "nan": "NaN"})
    );
    assert_eq!(attributes["app.blob"], json!("AAEC"));
    assert_eq!(attributes["app.empty"], json!(null));
}

#[test]
fn json_lines_merge_by_trace_id_across_requests() {
    let traces = import_bytes(&fixture("json_lines_two_requests.jsonl")).expect("imports");
    let ids: Vec<&str> = traces.iter().map(|trace| trace.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "11111111111111111111111111111111",
            "22222222222222222222222222222222"
        ]
    );
    let first = &traces[0];
    assert_eq!(
        first.steps.len(),
        2,
        "the second line's span joins its trace"
    );
    assert_eq!(
        first.steps[1].parent_id.as_deref(),
        Some("1111111111111111")
    );
    assert_eq!(
        first.metadata["service.name"],
        json!(["api", "worker"]),
        "two services in one trace"
    );
    assert_eq!(traces[1].metadata["service.name"], json!("api"));
    assert_eq!(traces[1].steps.len(), 1);
}

#[test]
fn current_gen_ai_names_give_calls_tools_agents_and_the_workflow() {
    let trace = only_trace(&fixture("genai_current_names.json"));
    assert_eq!(trace.name, "trip-planner", "gen_ai.workflow.name");
    let kinds: Vec<(&str, StepKind)> = trace
        .steps
        .iter()
        .map(|step| (step.id.as_str(), step.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("0000000000000001", StepKind::Span),
            ("0000000000000002", StepKind::Agent),
            ("0000000000000003", StepKind::LlmCall),
            ("0000000000000004", StepKind::ToolCall),
            ("0000000000000005", StepKind::LlmCall),
            ("0000000000000003#reasoning", StepKind::Reasoning),
        ]
    );
    let agent = step(&trace, "0000000000000002");
    assert_eq!(
        agent.usage.total_tokens(),
        None,
        "the agent repeats its calls' usage"
    );
    let call = step(&trace, "0000000000000003");
    assert_eq!(call.model.as_deref(), Some("gpt-4o"), "the requested model");
    assert_eq!(call.usage.input_tokens, Some(1000));
    assert_eq!(call.usage.output_tokens, Some(40));
    assert_eq!(call.usage.cached_input_tokens, Some(800));
    assert_eq!(call.usage.reasoning_tokens, Some(25));
    assert_eq!(
        call.cost.map(|cost| (cost.usd, cost.source)),
        Some((0.0031, CostSource::Stated))
    );
    assert_eq!(
        call.input,
        Some(RawJson::from(json!([
            {"role": "system", "parts": [{"type": "text", "content": "You are a weather assistant."}]},
            {"role": "user", "parts": [{"type": "text", "content": "Weather in Paris?"}]}
        ])))
    );
    assert_eq!(call.agent_id.as_deref(), Some("agent-weather"));
    let reasoning = step(&trace, "0000000000000003#reasoning");
    assert_eq!(reasoning.parent_id.as_deref(), Some("0000000000000003"));
    assert_eq!(
        reasoning.output,
        Some(RawJson::from(json!(
            "The user wants the weather; call the tool."
        )))
    );
    let tool = step(&trace, "0000000000000004");
    assert_eq!(tool.input, Some(RawJson::from(json!({"city": "Paris"}))));
    assert_eq!(
        tool.output,
        Some(RawJson::from(json!({"temperature_c": 18, "sky": "sunny"})))
    );
    assert_eq!(trace.agents.len(), 1);
    assert_eq!(trace.agents[0].id, "agent-weather");
    assert_eq!(trace.agents[0].role, "WeatherAgent");
    assert_eq!(
        trace.agents[0].goal.as_deref(),
        Some("Answers weather questions")
    );
    assert_eq!(trace.agents[0].models, ["gpt-4o"]);

    let summary = summarize(&trace);
    assert_eq!(summary.requests, 2);
    assert_eq!(
        summary.prompt_tokens, 1500,
        "1000 + 500, the agent not again"
    );
    assert_eq!(summary.completion_tokens, 60);
    assert_eq!(summary.tool_calls, 1);
    assert_eq!(
        summary.calls_without_cost, 1,
        "the second call states no cost"
    );
}

#[test]
fn deprecated_gen_ai_names_still_give_tokens_and_messages() {
    let trace = only_trace(&fixture("genai_deprecated_names.json"));
    let call = &trace.steps[0];
    assert_eq!(call.kind, StepKind::LlmCall, "span name openai.chat");
    assert_eq!(call.model.as_deref(), Some("gpt-3.5-turbo"));
    assert_eq!(
        (call.usage.input_tokens, call.usage.output_tokens),
        (Some(120), Some(30))
    );
    assert_eq!(call.cost, None, "no stated cost: estimated later");
    assert_eq!(
        call.input,
        Some(RawJson::from(json!([
            {"role": "system", "content": "Be terse."},
            {"role": "user", "content": "Hi"}
        ])))
    );
    assert_eq!(
        call.output,
        Some(RawJson::from(
            json!([{"role": "assistant", "content": "Hello.", "finish_reason": "stop"}])
        ))
    );
}

#[test]
fn openinference_llm_reads_flattened_messages_and_stated_cost() {
    let trace = only_trace(&fixture("openinference_llm.json"));
    let agent = &trace.steps[0];
    assert_eq!(agent.kind, StepKind::Agent);
    assert_eq!(
        agent.usage.total_tokens(),
        None,
        "the AGENT span repeats the counts"
    );
    assert_eq!(
        agent.input,
        Some(RawJson::from(json!("Find the capital of France")))
    );
    let call = &trace.steps[1];
    assert_eq!(call.kind, StepKind::LlmCall);
    assert_eq!(call.model.as_deref(), Some("gpt-4o-mini"));
    assert_eq!(call.usage.input_tokens, Some(190));
    assert_eq!(call.usage.cached_input_tokens, Some(64));
    assert_eq!(call.usage.output_tokens, Some(164));
    assert_eq!(
        call.cost.map(|cost| (cost.usd, cost.source)),
        Some((0.0001269, CostSource::Stated))
    );
    assert_eq!(
        call.input,
        Some(RawJson::from(json!([
            {"role": "system", "content": "You are a researcher."},
            {"role": "user", "content": "Capital of France?"}
        ])))
    );
    assert_eq!(
        call.output,
        Some(RawJson::from(
            json!([{"role": "assistant", "content": "Paris."}])
        ))
    );
    assert_eq!(call.agent_id.as_deref(), Some("Researcher"));
    let summary = summarize(&trace);
    assert_eq!(
        summary.total_tokens, 354,
        "llm.token_count.total of the one call"
    );
    assert_eq!(summary.cost_usd, 0.0001269);
}

#[test]
fn openllmetry_spans_give_workflow_task_agent_tool_and_call() {
    let trace = only_trace(&fixture("openllmetry.json"));
    assert_eq!(trace.name, "joke_generator");
    assert_eq!(
        trace.input,
        Some(RawJson::from(
            json!({"args": [], "kwargs": {"topic": "otters"}})
        ))
    );
    assert_eq!(
        trace.final_output,
        Some(RawJson::from(json!("Why did the otter...")))
    );
    let kinds: Vec<StepKind> = trace.steps.iter().map(|step| step.kind).collect();
    assert_eq!(
        kinds,
        [
            StepKind::Span,
            StepKind::Task,
            StepKind::LlmCall,
            StepKind::Agent,
            StepKind::ToolCall
        ]
    );
    assert_eq!(trace.tasks.len(), 1);
    assert_eq!(trace.tasks[0].id, "00000000000000c2");
    assert_eq!(trace.tasks[0].name, "write_joke");
    assert_eq!(
        trace.steps[2].task_id.as_deref(),
        Some("00000000000000c2"),
        "the call belongs to its task"
    );
    assert_eq!(trace.steps[2].usage.total_tokens(), Some(37));
    assert_eq!(trace.agents.len(), 1);
    assert_eq!(trace.agents[0].role, "pun_agent");
    assert_eq!(trace.steps[4].agent_id.as_deref(), Some("pun_agent"));
    assert_eq!(
        trace.steps[4].output,
        Some(RawJson::from(json!(["water", "hotter"])))
    );
}

#[test]
fn crewai_as_otel_gives_a_crew_with_tasks_and_agents() {
    let trace = only_trace(&fixture("crewai_as_otel.json"));
    assert_eq!(trace.kind, TraceKind::Crew);
    assert_eq!(trace.name, "Crew.kickoff");
    assert_eq!(
        trace.final_output,
        Some(RawJson::from(json!({"raw": "Otters hold hands."})))
    );
    let agents: Vec<(&str, &str, Vec<String>)> = trace
        .agents
        .iter()
        .map(|agent| (agent.id.as_str(), agent.role.as_str(), agent.models.clone()))
        .collect();
    assert_eq!(
        agents,
        [
            ("a-research", "Researcher", vec!["gpt-4o-mini".to_string()]),
            ("a-writer", "Writer", vec!["gpt-4o".to_string()]),
        ]
    );
    assert_eq!(
        trace.agents[0].backstory.as_deref(),
        Some("A careful researcher.")
    );
    let tasks: Vec<(&str, Option<&str>, &str, Option<&str>)> = trace
        .tasks
        .iter()
        .map(|task| {
            (
                task.id.as_str(),
                task.key.as_deref(),
                task.name.as_str(),
                task.agent_id.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        tasks,
        [
            (
                "t-research",
                Some("tk-1"),
                "Research otters",
                Some("a-research")
            ),
            (
                "t-write",
                Some("tk-2"),
                "Write a paragraph about otters",
                Some("a-writer")
            ),
        ]
    );
    assert_eq!(
        trace.tasks[0].expected_output.as_deref(),
        Some("Three facts")
    );
    assert_eq!(
        trace.tasks[0].output,
        Some(RawJson::from(json!({"raw": "1. They hold hands."})))
    );
    let call = step(&trace, "00000000000000d4");
    assert_eq!(call.task_id.as_deref(), Some("t-research"));
    assert_eq!(call.agent_id.as_deref(), Some("a-research"));
    let figures = task_figures(&trace);
    let per_task: Vec<(u64, u64)> = figures
        .iter()
        .map(|row| (row.llm_calls, row.total_tokens.known))
        .collect();
    assert_eq!(per_task, [(2, 410), (1, 420)]);
    assert_eq!(summarize(&trace).total_tokens, 830);
}

#[test]
fn an_exception_event_fails_the_step_with_its_stack() {
    let trace = only_trace(&fixture("exception_event.json"));
    let tool = &trace.steps[0];
    assert_eq!(tool.kind, StepKind::ToolCall);
    assert_eq!(tool.status, Status::Failed);
    let error = tool.error.as_ref().expect("an error");
    assert_eq!(error.error_type.as_deref(), Some("ConnectionError"));
    assert_eq!(error.message, "HTTPSConnectionPool: max retries exceeded");
    assert!(error
        .stack
        .as_deref()
        .is_some_and(|stack| stack.starts_with("Traceback (most recent call last):")));
    assert_eq!(
        tool.attributes["otel.events"][0]["name"],
        json!("exception")
    );
    assert_eq!(trace.status, Status::Failed);
    assert_eq!(summarize(&trace).errors, 1);
}

#[test]
fn a_span_without_an_end_is_running() {
    let trace = only_trace(&fixture("running_span.json"));
    assert_eq!(trace.steps[0].status, Status::Running);
    assert_eq!(trace.steps[0].end_ns, None);
    assert_eq!(trace.steps[1].status, Status::Completed);
    assert_eq!(trace.status, Status::Running);
    assert_eq!(trace.end_ns, None);
}

#[test]
fn truncated_json_is_refused_with_its_position() {
    let error = import_bytes(&fixture("truncated.json")).expect_err("truncated");
    assert!(
        matches!(error, ImportError::Json { line: 1, .. }),
        "{error:?}"
    );
}

#[test]
fn a_span_without_span_id_is_refused_with_its_path() {
    let error = import_bytes(&fixture("missing_span_id.json")).expect_err("no spanId");
    assert_eq!(
        error.to_string(),
        "OTLP/JSON at resourceSpans[0].scopeSpans[0].spans[1].spanId: expected a span id \
         (16 hex digits or base64), which every span needs."
    );
}

#[test]
fn a_wrong_type_is_refused_with_its_path() {
    let input = r#"{"resourceSpans": [{"scopeSpans": [{"spans": [
        {"traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "b7ad6b7169203331",
         "startTimeUnixNano": "soon"}]}]}]}"#;
    let error = import_bytes(input.as_bytes()).expect_err("bad time");
    assert_eq!(
        error.to_string(),
        "OTLP/JSON at resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: expected \
         valid content (an integer, not \"soon\")."
    );
}

#[test]
fn a_request_without_spans_is_refused() {
    let error = import_bytes(br#"{"resourceSpans": []}"#).expect_err("no spans");
    assert_eq!(
        error.to_string(),
        "OTLP/JSON at resourceSpans: expected at least one span."
    );
}

#[test]
fn an_error_on_a_later_line_names_the_line() {
    let input = "{\"resourceSpans\": []}\n{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"spanId\": \"b7ad6b7169203331\"}]}]}]}";
    let error = import_bytes(input.as_bytes()).expect_err("no traceId");
    assert_eq!(
        error.to_string(),
        "OTLP/JSON at line 2, resourceSpans[0].scopeSpans[0].spans[0].traceId: expected a \
         trace id (32 hex digits or base64), which every span needs."
    );
}

#[test]
fn a_span_that_ends_before_it_starts_is_repaired_visibly() {
    let input = r#"{"resourceSpans": [{"scopeSpans": [{"spans": [
        {"traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "b7ad6b7169203331", "name": "x",
         "startTimeUnixNano": "2000", "endTimeUnixNano": "1500"}]}]}]}"#;
    let trace = only_trace(input.as_bytes());
    assert_eq!(trace.steps[0].end_ns, Some(2000));
    assert_eq!(trace.repairs.len(), 1);
    assert_eq!(
        trace.repairs[0].what,
        "the span ends 500 ns before it starts; its end is set to its start"
    );
}

fn one_scope(spans: &str) -> String {
    format!(r#"{{"resourceSpans": [{{"scopeSpans": [{{"spans": [{spans}]}}]}}]}}"#)
}

#[test]
fn an_unnamed_span_with_tokens_is_a_call_unless_a_call_lies_below() {
    let input = one_scope(
        r#"{"traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "0000000000000001", "name": "handle",
            "startTimeUnixNano": "1000", "endTimeUnixNano": "9000",
            "attributes": [{"key": "gen_ai.usage.input_tokens", "value": {"intValue": "70"}}]},
           {"traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "0000000000000002", "parentSpanId": "0000000000000001",
            "name": "llm", "startTimeUnixNano": "2000", "endTimeUnixNano": "8000",
            "attributes": [{"key": "gen_ai.request.model", "value": {"stringValue": "gpt-4o"}},
                           {"key": "gen_ai.usage.input_tokens", "value": {"intValue": "70"}}]}"#,
    );
    let trace = only_trace(input.as_bytes());
    assert_eq!(
        trace.steps[0].kind,
        StepKind::Span,
        "a wrapper repeating its call"
    );
    assert_eq!(trace.steps[0].usage.input_tokens, None);
    assert_eq!(trace.steps[1].kind, StepKind::LlmCall);
    assert_eq!(summarize(&trace).prompt_tokens, 70, "counted once");
}

#[test]
fn cached_tokens_counted_apart_are_added_to_the_input_visibly() {
    let input = one_scope(
        r#"{"traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "0000000000000001", "name": "chat claude",
            "startTimeUnixNano": "1000", "endTimeUnixNano": "9000",
            "attributes": [{"key": "gen_ai.usage.input_tokens", "value": {"intValue": "12"}},
                           {"key": "gen_ai.usage.cache_read.input_tokens", "value": {"intValue": "2048"}}]}"#,
    );
    let trace = only_trace(input.as_bytes());
    assert_eq!(trace.steps[0].usage.input_tokens, Some(2060));
    assert_eq!(trace.steps[0].usage.cached_input_tokens, Some(2048));
    assert_eq!(trace.repairs.len(), 1);
    assert_eq!(
        trace.repairs[0].path,
        "resourceSpans[0].scopeSpans[0].spans[0]"
    );
}

/// Regression: appended reasoning steps were looked up among the spans' classes and
/// panicked with an index out of bounds when no span was a workflow.
#[test]
fn reasoning_without_a_workflow_span_imports() {
    let input = one_scope(
        r#"{"traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "0000000000000001", "name": "chat o3",
            "startTimeUnixNano": "1000", "endTimeUnixNano": "9000",
            "attributes": [{"key": "gen_ai.output.messages", "value": {"stringValue":
              "[{\"role\": \"assistant\", \"parts\": [{\"type\": \"reasoning\", \"content\": \"think\"}, {\"type\": \"text\", \"content\": \"done\"}]}]"}}]}"#,
    );
    let trace = only_trace(input.as_bytes());
    let ids: Vec<&str> = trace.steps.iter().map(|step| step.id.as_str()).collect();
    assert_eq!(ids, ["0000000000000001", "0000000000000001#reasoning"]);
    assert_eq!(trace.name, "chat o3");
    assert_eq!(trace.steps[1].output, Some(RawJson::from(json!("think"))));
}
