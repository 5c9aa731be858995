//! Langfuse traces: the three shapes, the shared real exports, each quirk, and bad input.
#![cfg(not(target_arch = "wasm32"))]

use stepwise_core::import::{import_bytes, langfuse, Detection, Document, Shape};
use stepwise_core::metrics::summarize;
use stepwise_core::model::RawJson;
use stepwise_core::model::{CostSource, SourceFormat, Status, StepKind, Trace, TraceKind};
use stepwise_core::tree::step_rows;

const CREWAI: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/real/langfuse-export-crewai-2025-07-11.json"
);
const OPENAI_AGENTS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/real/langfuse-export-openai-agents-2025-09-30.json"
);
const PYDANTIC_AI: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/real/langfuse-export-pydantic-ai-tools-2025-12-04.json"
);

fn read(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|error| panic!("cannot read {path}: {error}"))
}

fn fixture(name: &str) -> Vec<u8> {
    read(&format!(
        "{}/../../tests/fixtures/langfuse/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
}

fn import_one(bytes: &[u8]) -> Trace {
    let mut traces = import_bytes(bytes).expect("imports");
    assert_eq!(traces.len(), 1, "one trace");
    traces.remove(0)
}

fn message(bytes: &[u8]) -> String {
    import_bytes(bytes)
        .expect_err("this input must be refused")
        .to_string()
}

/// Whether the Langfuse importer alone claims `text`, whatever the other formats do.
fn claimed_by_langfuse(text: &str) -> bool {
    let shape: Shape = serde_json::from_str(text).expect("valid JSON");
    let document = Document {
        shape,
        text,
        line: 1,
    };
    matches!(langfuse::detect(&[document]), Detection::Imported(_))
}

fn assert_close(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() < 1e-15,
        "expected {expected}, got {actual}"
    );
}

const NS_2025_03_01_10H: i64 = 1_740_823_200_000_000_000;

// --- The shared real exports -------------------------------------------------------

#[test]
fn crewai_export_totals_match_its_one_generation() {
    let trace = import_one(&read(CREWAI));
    assert_eq!(trace.source_format, SourceFormat::Langfuse);
    assert_eq!(trace.id, "a287bb31e317433610d8827617471140");
    assert_eq!(trace.name, "crewai-index-trace");
    assert_eq!(trace.steps.len(), 6);
    let summary = summarize(&trace);
    assert_eq!(summary.requests, 1);
    assert_eq!(summary.prompt_tokens, 190);
    assert_eq!(summary.completion_tokens, 164);
    assert_eq!(summary.total_tokens, 354);
    assert_close(summary.cost_usd.known, 0.0001269);
    assert!(!summary.cost_estimated);
    // 07:45:13.600 to 07:45:17.350, from the root observation (the trace says 13.601).
    assert_eq!(trace.start_ns, Some(1_752_219_913_600_000_000));
    assert_eq!(trace.duration_ns(), Some(3_750_000_000));
    assert_eq!(trace.status, Status::Completed);
    assert!(trace.repairs.is_empty(), "{:?}", trace.repairs);
}

#[test]
fn crewai_export_becomes_a_crew_with_its_task_and_agent() {
    let trace = import_one(&read(CREWAI));
    assert_eq!(trace.kind, TraceKind::Crew);
    assert_eq!(trace.agents.len(), 1);
    let agent = &trace.agents[0];
    assert_eq!(agent.id, "5b92f546-0a74-4cf1-afb1-d2f8adf61036");
    assert_eq!(agent.role, "Software developer");
    assert_eq!(
        agent.goal.as_deref(),
        Some("Write clear, concise code on demand")
    );
    assert_eq!(
        agent.backstory.as_deref(),
        Some("An expert coder with a keen eye for software trends.")
    );
    assert_eq!(agent.models, ["gpt-4o-mini"]);

    assert_eq!(trace.tasks.len(), 1);
    let task = &trace.tasks[0];
    assert_eq!(task.id, "0431e543-c6ee-485b-bb77-332da9080b89");
    assert_eq!(
        task.name,
        "Define the HTML for making a simple website with heading- Hello World! \
         Langfuse monitors your CrewAI agent!"
    );
    assert_eq!(
        task.expected_output.as_deref(),
        Some("A clear and concise HTML code")
    );
    assert_eq!(
        task.key.as_deref(),
        Some("b465f86cdaeb68be07239ef62e75944d")
    );
    assert_eq!(task.agent_id.as_deref(), Some(agent.id.as_str()));
    assert_eq!(task.status, Status::Completed);
    assert_eq!(
        task.end_ns
            .zip(task.start_ns)
            .map(|(end, start)| end - start),
        Some(3_700_000_000),
        "13.641 to 17.341"
    );

    let task_step = trace.step("a8bf77474d6f9a1d").expect("Task._execute_core");
    assert_eq!(task_step.kind, StepKind::Task);
    let llm = trace.step("231c43964b7e7e63").expect("the completion");
    assert_eq!(llm.kind, StepKind::LlmCall);
    assert_eq!(llm.task_id.as_deref(), Some(task.id.as_str()));
    assert_eq!(llm.agent_id.as_deref(), Some(agent.id.as_str()));
    let figures = stepwise_core::metrics::task_figures(&trace);
    assert_eq!(figures[0].agent_role.as_deref(), Some("Software developer"));
    assert_eq!(figures[0].total_tokens, 354);
}

#[test]
fn crewai_export_keeps_the_raw_html_answer_verbatim_and_decodes_json_text() {
    let trace = import_one(&read(CREWAI));
    let source: serde_json::Value =
        serde_json::from_slice(&read(CREWAI)).expect("the sample is JSON");
    let written = source["observations"][0]["output"]
        .as_str()
        .expect("the sample's LLM output is text");
    let llm = trace.step("231c43964b7e7e63").expect("the completion");
    assert_eq!(
        llm.output,
        Some(RawJson::from(serde_json::Value::String(
            written.to_string()
        )))
    );
    assert!(written.contains("<!DOCTYPE html>"));
    // Its input is JSON text of an object: it shows as structure.
    let messages = llm
        .input
        .as_ref()
        .map(RawJson::parse)
        .and_then(|input| input["messages"].as_array().map(Vec::len));
    assert_eq!(messages, Some(2));
    // `metadata.attributes` are the span's OTel attributes.
    assert_eq!(llm.attributes["llm.model_name"], "gpt-4o-mini");
    assert_eq!(llm.attributes["openinference.span.kind"], "LLM");
    assert_eq!(
        llm.attributes["langfuse.metadata"]["scope"]["name"],
        "openinference.instrumentation.litellm"
    );
    assert_eq!(llm.usage.cached_input_tokens, Some(0));
    assert_eq!(
        trace.metadata["resourceAttributes"]["telemetry.sdk.version"], "1.34.1",
        "the trace's metadata is JSON text too"
    );
}

#[test]
fn openai_agents_export_counts_two_generations() {
    let trace = import_one(&read(OPENAI_AGENTS));
    assert_eq!(trace.steps.len(), 5);
    let summary = summarize(&trace);
    assert_eq!(summary.requests, 2);
    assert_eq!(summary.prompt_tokens, 140, "85 + 55");
    assert_eq!(summary.completion_tokens, 44, "29 + 15");
    assert_close(summary.cost_usd.known, 0.000632);
    assert_eq!(summary.tool_calls, 1);
    let kinds: Vec<StepKind> = trace.steps.iter().map(|step| step.kind).collect();
    assert_eq!(
        kinds,
        [
            StepKind::Agent,
            StepKind::Agent,
            StepKind::LlmCall,
            StepKind::LlmCall,
            StepKind::ToolCall
        ]
    );
    let tool = trace.step("5b99c3e3411ed17b").expect("get_weather");
    assert_eq!(
        tool.input,
        Some(RawJson::from(serde_json::json!({"city": "Tokyo"})))
    );
    assert_eq!(
        tool.output,
        Some(RawJson::from(serde_json::json!(
            "The weather in Tokyo is sunny."
        )))
    );
    let roles: Vec<&str> = trace
        .agents
        .iter()
        .map(|agent| agent.role.as_str())
        .collect();
    assert_eq!(roles, ["Hello world"]);
    assert_eq!(trace.agents[0].models, ["gpt-4.1-2025-04-14"]);
    assert_eq!(trace.duration_ns(), Some(2_190_000_000));
}

#[test]
fn pydantic_ai_export_has_three_parallel_tools_at_depth_three() {
    let trace = import_one(&read(PYDANTIC_AI));
    assert_eq!(trace.steps.len(), 12);
    let summary = summarize(&trace);
    assert_eq!(summary.requests, 4);
    assert_eq!(summary.prompt_tokens, 1315, "417 + 131 + 502 + 265");
    assert_eq!(summary.completion_tokens, 209, "53 + 69 + 14 + 73");
    assert_close(summary.cost_usd.known, 0.000_322_649_999);
    assert_eq!(summary.tool_calls, 3);

    let children: Vec<_> = trace
        .steps
        .iter()
        .filter(|step| step.parent_id.as_deref() == Some("93d5543f7340c2e6"))
        .collect();
    assert!(children.iter().all(|step| step.kind == StepKind::ToolCall));
    // In parallel: all three started within a millisecond and ended together at .422.
    let mut durations_ns: Vec<i64> = children.iter().filter_map(|s| s.duration_ns()).collect();
    durations_ns.sort_unstable();
    assert_eq!(durations_ns, [5_000_000, 5_000_000, 6_000_000]);
    let mut tools: Vec<&str> = children.iter().map(|step| step.name.as_str()).collect();
    tools.sort_unstable();
    assert_eq!(
        tools,
        [
            "running tool: get_dad_joke_suggestion",
            "running tool: get_one_liner_suggestion",
            "running tool: get_pun_suggestion"
        ]
    );
    let rows = step_rows(&trace);
    assert_eq!(rows.len(), 12);
    assert_eq!(rows.iter().map(|row| row.depth).max(), Some(3));

    let roles: Vec<&str> = trace
        .agents
        .iter()
        .map(|agent| agent.role.as_str())
        .collect();
    assert_eq!(roles, ["joke_agent", "evaluator_agent"]);
    // The agent spans repeat their calls' usage in attributes only, never as tokens.
    let agent_span = trace.step("5b5c52d029f28206").expect("joke_agent run");
    assert_eq!(agent_span.usage.total_tokens(), None);
    assert_eq!(agent_span.attributes["gen_ai.usage.input_tokens"], "682");
    let tool = trace.step("99ec63d0b5ecdbf5").expect("a tool");
    assert_eq!(tool.agent_id.as_deref(), Some("joke_agent"), "inherited");
}

// --- Shapes -------------------------------------------------------------------------

#[test]
fn api_shape_imports_with_exact_figures() {
    let trace = import_one(&fixture("api_shape.json"));
    assert_eq!(trace.id, "trace-1");
    assert_eq!(trace.name, "support-bot");
    assert_eq!(trace.start_ns, Some(NS_2025_03_01_10H));
    assert_eq!(trace.duration_ns(), Some(1_500_000_000));
    assert_eq!(trace.metadata["sessionId"], "session-7");
    assert_eq!(trace.metadata["userId"], "user-42");
    assert_eq!(trace.metadata["plan"], "pro");
    assert_eq!(
        trace.final_output,
        Some(RawJson::from(
            serde_json::json!({"answer": "It ships tomorrow."})
        ))
    );
    let generation = trace.step("gen-1").expect("the generation");
    assert_eq!(generation.parent_id.as_deref(), Some("span-1"));
    assert_eq!(generation.model.as_deref(), Some("gpt-4o"));
    assert_eq!(generation.usage.input_tokens, Some(120));
    assert_eq!(generation.usage.output_tokens, Some(30));
    assert_eq!(
        generation.cost.map(|cost| (cost.usd, cost.source)),
        Some((0.0006, CostSource::Stated))
    );
    assert_eq!(
        generation.attributes["langfuse.completionStartTime"],
        "2025-03-01T10:00:00.600Z"
    );
    assert_eq!(trace.step("span-1").map(|s| s.kind), Some(StepKind::Span));
}

#[test]
fn download_shape_imports_the_same_as_the_api_shape() {
    let api = import_one(&fixture("api_shape.json"));
    let download = import_one(&fixture("download_shape.json"));
    assert_eq!(
        download.steps, api.steps,
        "the stripped copy in trace is ignored"
    );
    assert_eq!(download.metadata, api.metadata);
    assert_eq!(download.start_ns, api.start_ns);
}

#[test]
fn a_list_response_yields_every_trace() {
    let traces = import_bytes(&fixture("list_two_traces.json")).expect("imports");
    let ids: Vec<&str> = traces.iter().map(|trace| trace.id.as_str()).collect();
    assert_eq!(ids, ["trace-a", "trace-b"]);
    assert_eq!(traces[0].steps.len(), 2);
    assert_eq!(summarize(&traces[0]).prompt_tokens, 10);
    assert_eq!(
        traces[0]
            .step("a-tool")
            .and_then(|s| s.parent_id.as_deref()),
        Some("a-gen")
    );
    // Without observations, the trace still stands, timed by its latency (seconds).
    let second = &traces[1];
    assert!(second.steps.is_empty());
    assert_eq!(second.name, "second");
    assert_eq!(second.duration_ns(), Some(2_500_000_000));
    assert_eq!(second.status, Status::Completed);
}

#[test]
fn a_list_item_with_observation_ids_only_says_so() {
    let input = r#"{"data": [{"id": "t", "timestamp": "2025-03-02T10:00:00Z",
        "observations": ["o1", "o2"]}], "meta": {"page": 1, "totalItems": 1}}"#;
    let trace = import_one(input.as_bytes());
    assert!(trace.steps.is_empty());
    assert_eq!(trace.repairs.len(), 1);
    assert_eq!(trace.repairs[0].path, "data[0].observations");
    assert_eq!(
        trace.repairs[0].what,
        "2 observation(s) are listed by id only; open the trace itself to see them"
    );
}

#[test]
fn data_without_langfuse_page_counts_is_not_claimed() {
    // Jaeger's and the OpenAI Agents SDK's `data` must be left to them.
    assert!(!claimed_by_langfuse(
        r#"{"data": [{"traceID": "a", "spans": []}], "total": 0, "limit": 0}"#
    ));
    assert!(!claimed_by_langfuse(
        r#"{"data": [{"object": "trace"}], "meta": {"next": null}}"#
    ));
    assert!(!claimed_by_langfuse(r#"{"data": [], "meta": "page 1"}"#));
    assert!(claimed_by_langfuse(
        r#"{"data": [], "meta": {"page": 1, "limit": 50, "totalItems": 0, "totalPages": 0}}"#
    ));
    assert!(!claimed_by_langfuse(r#"{"observations": []}"#));
    assert!(claimed_by_langfuse(r#"{"id": "t", "observations": []}"#));
}

// --- Quirks -------------------------------------------------------------------------

#[test]
fn json_text_in_input_output_and_metadata_is_decoded_but_prose_stays_text() {
    let trace = import_one(&fixture("string_encoded_fields.json"));
    assert_eq!(
        trace.input,
        Some(RawJson::from(serde_json::json!({"topic": "weather"})))
    );
    assert_eq!(
        trace.final_output,
        Some(RawJson::from(serde_json::json!("All done.")))
    );
    assert_eq!(trace.metadata["resourceAttributes"]["service.name"], "bot");

    let llm = trace.step("llm").expect("llm");
    assert_eq!(
        llm.input,
        Some(RawJson::from(
            serde_json::json!({"messages": [{"role": "user", "content": "hi"}]})
        ))
    );
    assert_eq!(
        llm.output,
        Some(RawJson::from(serde_json::json!("Hello <b>world</b>")))
    );
    assert_eq!(llm.attributes["gen_ai.system"], "openai");
    assert_eq!(llm.attributes["llm.token_count.prompt"], "12");
    assert_eq!(
        llm.attributes["langfuse.metadata"],
        serde_json::json!({"scope": {"name": "openinference"}})
    );

    let tool = trace.step("tool").expect("tool");
    assert_eq!(tool.input, Some(RawJson::from(serde_json::json!([1, 2]))));
    assert_eq!(
        tool.output,
        Some(RawJson::from(serde_json::json!("{not json"))),
        "broken JSON text stays text"
    );
    assert_eq!(tool.attributes["langfuse.metadata"], "plain words");
}

#[test]
fn a_parent_repeating_its_generations_usage_is_counted_once() {
    let trace = import_one(&fixture("parent_repeats_child_usage.json"));
    let summary = summarize(&trace);
    assert_eq!(summary.requests, 2);
    assert_eq!(summary.prompt_tokens, 700, "500 + 200, not 1,400");
    assert_eq!(summary.completion_tokens, 150);
    assert_close(summary.cost_usd.known, 0.014);
    let agent = trace.step("agent").expect("agent");
    assert_eq!(agent.kind, StepKind::Agent);
    assert_eq!(agent.usage.total_tokens(), None);
    assert_eq!(agent.cost, None);
    assert_eq!(
        agent.attributes["langfuse.usageDetails"]["input"], 700,
        "what the parent said is still kept"
    );
}

#[test]
fn usage_breakdowns_follow_langfuse_conventions() {
    let trace = import_one(&fixture("usage_breakdowns.json"));
    let usage = |id: &str| trace.step(id).expect(id).usage;
    // SDK style: `input` leaves out the cached tokens, `total` sums every type.
    let excluded = usage("excluded");
    assert_eq!(
        (
            excluded.input_tokens,
            excluded.cached_input_tokens,
            excluded.output_tokens,
            excluded.reasoning_tokens
        ),
        (Some(100), Some(20), Some(40), Some(10))
    );
    // OTel style: `total` = input + output, so the breakdowns were already inside.
    let included = usage("included");
    assert_eq!(
        (
            included.input_tokens,
            included.cached_input_tokens,
            included.output_tokens,
            included.reasoning_tokens
        ),
        (Some(100), Some(20), Some(40), Some(5))
    );
    let legacy = trace.step("legacy").expect("legacy");
    assert_eq!(
        (legacy.usage.input_tokens, legacy.usage.output_tokens),
        (Some(7), Some(3))
    );
    assert_eq!(legacy.cost.map(|cost| cost.usd), Some(0.0001));
    let unpriced = trace.step("unpriced").expect("unpriced");
    assert_eq!(
        unpriced.kind,
        StepKind::Embedding,
        "an embedding is a model call of its own kind"
    );
    assert!(unpriced.kind.is_model_call());
    assert_eq!(unpriced.usage.input_tokens, Some(50));
    assert_eq!(unpriced.cost, None, "a totalCost of 0 states no price");
    assert_eq!(summarize(&trace).calls_without_cost, 3);
}

#[test]
fn an_error_level_fails_the_step_with_its_status_message() {
    let trace = import_one(&fixture("error_level.json"));
    let call = trace.step("gen").expect("gen");
    assert_eq!(call.status, Status::Failed);
    assert_eq!(
        call.error.as_ref().map(|error| error.message.as_str()),
        Some("429 Too Many Requests: rate limit reached")
    );
    let root = trace.step("root").expect("root");
    assert_eq!(root.status, Status::Completed, "a warning is not a failure");
    assert_eq!(root.attributes["langfuse.level"], "WARNING");
    assert_eq!(root.attributes["langfuse.statusMessage"], "retried once");
    assert_eq!(trace.status, Status::Failed);
    assert_eq!(summarize(&trace).errors, 1);
}

#[test]
fn a_missing_end_time_is_running_and_an_event_is_a_moment() {
    let trace = import_one(&fixture("missing_end_time.json"));
    let streaming = trace.step("gen").expect("gen");
    assert_eq!(streaming.status, Status::Running);
    assert_eq!(streaming.end_ns, None);
    let event = trace.step("event").expect("event");
    assert_eq!(event.kind, StepKind::Other);
    assert_eq!(event.status, Status::Completed);
    assert_eq!(event.duration_ns(), Some(0));
    assert_eq!(trace.status, Status::Running);
    assert_eq!(trace.repairs.len(), 1);
    assert_eq!(trace.repairs[0].path, "observations[1].endTime");
}

#[test]
fn a_timestamp_without_timezone_is_read_as_utc() {
    let trace = import_one(&fixture("timestamp_without_timezone.json"));
    assert_eq!(trace.start_ns, Some(NS_2025_03_01_10H));
    let span = &trace.steps[0];
    assert_eq!(span.start_ns, Some(NS_2025_03_01_10H + 250_000_000));
    assert_eq!(span.end_ns, Some(NS_2025_03_01_10H + 1_750_000_000));
}

#[test]
fn an_orphan_observation_becomes_a_root_and_is_reported() {
    let input = r#"{"id": "t", "observations": [{"id": "o", "type": "SPAN",
        "startTime": "2025-03-01T10:00:00Z", "endTime": "2025-03-01T10:00:01Z",
        "parentObservationId": "gone"}]}"#;
    let trace = import_one(input.as_bytes());
    assert_eq!(trace.steps[0].parent_id, None);
    assert_eq!(
        trace.steps[0].name, "span",
        "a missing name falls back to the type"
    );
    assert_eq!(trace.repairs[0].path, "observations[0].parent_id");
}

// --- Bad input ----------------------------------------------------------------------

#[test]
fn an_observation_without_id_names_its_path() {
    assert_eq!(
        message(&fixture("observation_missing_id.json")),
        "Langfuse trace at observations[1]: expected valid content (missing field `id`)."
    );
}

#[test]
fn truncated_json_gives_line_and_column() {
    assert_eq!(
        message(&fixture("truncated.json")),
        "The file is not valid JSON at line 4, column 44: EOF while parsing a string."
    );
}

#[test]
fn a_bad_time_names_its_path() {
    let input = r#"{"trace": {"id": "t"}, "observations": [
        {"id": "o", "type": "SPAN", "startTime": "soon"}]}"#;
    assert_eq!(
        message(input.as_bytes()),
        "Langfuse trace at observations[0].startTime: expected an ISO 8601 time such as \
         \"2025-07-11T07:45:13.601Z\", not \"soon\"."
    );
}

#[test]
fn a_wrong_type_names_its_path() {
    let input = r#"{"trace": {"id": "t"}, "observations": [
        {"id": "o", "type": "GENERATION", "usageDetails": {}, "calculatedTotalCost": "free"}]}"#;
    assert_eq!(
        message(input.as_bytes()),
        "Langfuse trace at observations[0].calculatedTotalCost: expected valid content \
         (invalid type: string \"free\", expected f64)."
    );
    let input = r#"{"trace": {"id": "t"}, "observations": [42]}"#;
    assert!(message(input.as_bytes()).starts_with("Langfuse trace at observations[0]"));
}

#[test]
fn a_negative_cost_is_refused() {
    let input = r#"{"trace": {"id": "t"}, "observations": [
        {"id": "o", "type": "GENERATION", "costDetails": {"total": -1.0}}]}"#;
    assert!(message(input.as_bytes()).contains("observations[0].costDetails.total"));
}

#[test]
fn json_lines_of_traces_yield_each_trace() {
    let input =
        "{\"id\": \"one\", \"observations\": []}\n{\"id\": \"two\", \"observations\": []}\n";
    let traces = import_bytes(input.as_bytes()).expect("imports");
    let ids: Vec<&str> = traces.iter().map(|trace| trace.id.as_str()).collect();
    assert_eq!(ids, ["one", "two"]);
}

#[test]
fn an_error_on_a_later_line_names_the_line() {
    let input = "{\"id\": \"one\", \"observations\": []}\n\
                 {\"id\": \"two\", \"observations\": [{\"id\": \"o\", \"startTime\": \"later\"}]}\n";
    assert!(
        message(input.as_bytes()).starts_with(
            "Langfuse trace at line 2, observations[0].startTime: expected an ISO 8601 time"
        ),
        "{}",
        message(input.as_bytes())
    );
}

#[test]
fn no_value_in_any_field_makes_the_import_panic() {
    let weird = [
        serde_json::json!(null),
        serde_json::json!(-1),
        serde_json::json!(1e308),
        serde_json::json!("x"),
        serde_json::json!("{\"a\": [1"),
        serde_json::json!([]),
        serde_json::json!({}),
        serde_json::json!({"total": -5, "input": "many"}),
    ];
    let source: serde_json::Value =
        serde_json::from_slice(&read(OPENAI_AGENTS)).expect("the sample is JSON");
    let keys: Vec<String> = source["observations"][2]
        .as_object()
        .expect("an observation")
        .keys()
        .cloned()
        .collect();
    let mut outcomes = 0;
    for key in &keys {
        for value in &weird {
            let mut input = source.clone();
            input["observations"][2][key.as_str()] = value.clone();
            input["trace"][key.as_str()] = value.clone();
            let text = serde_json::to_vec(&input).expect("serializes");
            // Either outcome is fine; a panic fails the test.
            let _ = import_bytes(&text);
            outcomes += 1;
        }
    }
    assert_eq!(outcomes, keys.len() * weird.len());
}
