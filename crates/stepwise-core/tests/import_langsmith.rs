//! LangSmith runs: run trees, flat lists, ingest batches, each quirk, and bad input.
#![cfg(not(target_arch = "wasm32"))]

use stepwise_core::import::{import_bytes, langsmith, Detection, Document, Shape};
use stepwise_core::metrics::summarize;
use stepwise_core::model::RawJson;
use stepwise_core::model::{CostSource, SourceFormat, Status, StepKind, Trace};
use stepwise_core::tree::step_rows;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../tests/fixtures/langsmith/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|error| panic!("cannot read {path}: {error}"))
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

/// Whether the LangSmith importer alone claims `text`, whatever the other formats do.
fn claimed_by_langsmith(text: &str) -> bool {
    let shape: Shape = serde_json::from_str(text).expect("valid JSON");
    let document = Document {
        shape,
        text,
        line: 1,
    };
    matches!(langsmith::detect(&[document]), Detection::Imported(_))
}

fn assert_close(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() < 1e-15,
        "expected {expected}, got {actual}"
    );
}

/// 2024-05-01T12:00:00Z.
const NOON_NS: i64 = 1_714_564_800_000_000_000;

#[test]
fn a_run_tree_imports_with_tokens_counted_once() {
    let trace = import_one(&fixture("run_tree_child_runs.json"));
    assert_eq!(trace.source_format, SourceFormat::LangSmith);
    assert_eq!(trace.id, "run-root", "no trace_id: the root run's id");
    assert_eq!(trace.name, "AgentExecutor");
    assert_eq!(trace.status, Status::Completed);
    assert_eq!(trace.start_ns, Some(NOON_NS));
    assert_eq!(trace.duration_ns(), Some(5_000_000_000));
    assert_eq!(
        trace.input,
        Some(RawJson::from(
            serde_json::json!({"input": "What is 2+2, in words?"})
        ))
    );
    assert_eq!(
        trace.final_output,
        Some(RawJson::from(serde_json::json!({"output": "four"})))
    );
    assert_eq!(trace.metadata["user"], "ada");
    assert_eq!(trace.metadata["session_name"], "default");

    let ids: Vec<&str> = trace.steps.iter().map(|step| step.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "run-root",
            "run-llm-1",
            "run-tool",
            "run-chain",
            "run-llm-2"
        ]
    );
    let parents: Vec<Option<&str>> = trace
        .steps
        .iter()
        .map(|step| step.parent_id.as_deref())
        .collect();
    assert_eq!(
        parents,
        [
            None,
            Some("run-root"),
            Some("run-root"),
            Some("run-root"),
            Some("run-chain")
        ]
    );
    let kinds: Vec<StepKind> = trace.steps.iter().map(|step| step.kind).collect();
    assert_eq!(
        kinds,
        [
            StepKind::Span,
            StepKind::LlmCall,
            StepKind::ToolCall,
            StepKind::Span,
            StepKind::LlmCall
        ]
    );
    assert_eq!(step_rows(&trace).iter().map(|row| row.depth).max(), Some(2));

    // The root and the inner chain repeat their calls' totals: only the calls count.
    let summary = summarize(&trace);
    assert_eq!(summary.requests, 2);
    assert_eq!(summary.prompt_tokens, 300, "100 + 200");
    assert_eq!(summary.completion_tokens, 40, "15 + 25");
    assert_close(summary.cost_usd.known, 0.0031);
    let root = trace.step("run-root").expect("root");
    assert_eq!(root.usage.total_tokens(), None);
    assert_eq!(root.cost, None);
    assert_eq!(root.attributes["langsmith.total_tokens"], 340.0);

    let first = trace.step("run-llm-1").expect("first call");
    assert_eq!(first.model.as_deref(), Some("gpt-4o"));
    assert_eq!(first.attributes["ls_provider"], "openai");
    assert_eq!(
        first.cost.map(|cost| (cost.usd, cost.source)),
        Some((0.0011, CostSource::Stated))
    );
    assert_eq!(
        first.attributes["langsmith.invocation_params"]["temperature"],
        0
    );
    let second = trace.step("run-llm-2").expect("second call");
    assert_eq!(second.model.as_deref(), Some("gpt-4o-mini"));
    assert_eq!(
        second.cost.map(|cost| cost.usd),
        Some(0.002),
        "decimal text"
    );
    assert!(trace.repairs.is_empty(), "{:?}", trace.repairs);
}

#[test]
fn a_flat_list_is_grouped_into_traces_by_trace_id_and_parents() {
    let traces = import_bytes(&fixture("flat_list_parent_run_id.json")).expect("imports");
    let ids: Vec<&str> = traces.iter().map(|trace| trace.id.as_str()).collect();
    assert_eq!(ids, ["r1", "r2"]);

    let first = &traces[0];
    assert_eq!(
        first.name, "first graph",
        "named by its root, not its first run"
    );
    assert_eq!(first.steps.len(), 2);
    assert_eq!(
        first.final_output,
        Some(RawJson::from(serde_json::json!({"answer": "hello"})))
    );
    assert_eq!(
        first.step("c1").and_then(|step| step.parent_id.as_deref()),
        Some("r1")
    );
    let summary = summarize(first);
    assert_eq!(
        (
            summary.prompt_tokens.exact(),
            summary.completion_tokens.exact()
        ),
        (Some(40), Some(10))
    );
    assert_close(summary.cost_usd.known, 0.0003);
    assert_eq!(
        first.step("c1").and_then(|step| step.model.as_deref()),
        Some("claude-3-5-haiku-latest")
    );

    let second = &traces[1];
    let second_ids: Vec<&str> = second.steps.iter().map(|step| step.id.as_str()).collect();
    assert_eq!(second_ids, ["r2", "c2", "c3"]);
    assert_eq!(
        second.step("c2").map(|step| step.kind),
        Some(StepKind::Retrieval)
    );
    assert_eq!(
        second.step("c3").map(|step| step.kind),
        Some(StepKind::Prompt)
    );
    assert_eq!(second.duration_ns(), Some(3_000_000_000));
}

#[test]
fn an_ingest_batch_applies_its_patches_and_reads_usage_metadata() {
    let trace = import_one(&fixture("post_patch_batch.json"));
    assert_eq!(trace.id, "b-root");
    assert_eq!(trace.status, Status::Completed, "the patch ended the root");
    assert_eq!(trace.duration_ns(), Some(3_200_000_000));
    assert_eq!(
        trace.final_output,
        Some(RawJson::from(
            serde_json::json!({"answer": "Rayleigh scattering."})
        ))
    );

    let call = trace.step("b-llm").expect("the call");
    assert_eq!(call.status, Status::Completed);
    assert_eq!(call.duration_ns(), Some(3_000_000_000));
    assert_eq!(call.model.as_deref(), Some("o3-mini"));
    assert_eq!(call.usage.input_tokens, Some(350), "cached tokens included");
    assert_eq!(call.usage.cached_input_tokens, Some(100));
    assert_eq!(call.usage.output_tokens, Some(120));
    assert_eq!(call.usage.reasoning_tokens, Some(64));
    assert_eq!(call.cost, None, "no cost stated: left for the estimate");
    assert_eq!(
        call.attributes["revision"], "v2",
        "patched metadata is merged"
    );
    assert_eq!(
        call.attributes["ls_provider"], "openai",
        "posted metadata is kept"
    );

    // An update whose run is not in the batch is kept, and said so.
    let late = trace.step("b-late").expect("the orphan update");
    assert_eq!(late.parent_id.as_deref(), Some("b-root"));
    assert_eq!(late.name, "other");
    assert_eq!(trace.repairs.len(), 1, "{:?}", trace.repairs);
    assert_eq!(trace.repairs[0].path, "patch[2]");
    assert_eq!(
        trace.repairs[0].what,
        "this update is for run \"b-late\", which is not in the file; it is shown as a run of its own"
    );

    let summary = summarize(&trace);
    assert_eq!(summary.requests, 1);
    assert_eq!(summary.total_tokens, 470);
    assert_eq!(summary.calls_without_cost, 1);
}

#[test]
fn an_error_string_fails_the_run_with_its_message() {
    let trace = import_one(&fixture("error_run.json"));
    assert_eq!(trace.status, Status::Failed);
    let root = trace.step("e-root").expect("root");
    let error = root.error.as_ref().expect("an error");
    assert_eq!(error.error_type.as_deref(), Some("ValueError"));
    assert_eq!(error.message, "ValueError('division by zero in tool')");
    assert!(error.stack.as_deref().is_some_and(|stack| stack
        .starts_with("Traceback (most recent call last):")
        && stack.ends_with("ValueError: division by zero in tool")));
    let tool = trace.step("e-tool").expect("tool");
    assert_eq!(tool.status, Status::Failed);
    assert_eq!(
        tool.error.as_ref().map(|error| error.message.as_str()),
        Some("ZeroDivisionError('division by zero')")
    );
    assert_eq!(summarize(&trace).errors, 2);
}

#[test]
fn naive_timestamps_are_read_as_utc() {
    let trace = import_one(&fixture("naive_timestamps.json"));
    let call = &trace.steps[0];
    assert_eq!(call.start_ns, Some(NOON_NS + 123_456_000));
    assert_eq!(call.end_ns, Some(NOON_NS + 1_654_321_000));
    assert_eq!(trace.duration_ns(), Some(1_530_865_000));
    assert_eq!(
        call.attributes["langsmith.first_token_time"],
        "2024-05-01T12:00:00.400000"
    );
    assert_eq!(
        (call.usage.input_tokens, call.usage.output_tokens),
        (Some(12), Some(3))
    );
}

#[test]
fn epoch_millisecond_times_from_the_js_sdk_are_read() {
    let input = r#"{"id": "js", "name": "x", "run_type": "tool",
        "start_time": 1714564800000, "end_time": 1714564800250.5}"#;
    let trace = import_one(input.as_bytes());
    assert_eq!(trace.steps[0].start_ns, Some(NOON_NS));
    assert_eq!(trace.steps[0].duration_ns(), Some(250_500_000));
}

#[test]
fn a_run_without_end_is_running_and_reported() {
    let input = r#"{"id": "r", "name": "pending", "run_type": "chain",
        "start_time": "2024-05-01T12:00:00Z"}"#;
    let trace = import_one(input.as_bytes());
    assert_eq!(trace.status, Status::Running);
    assert_eq!(trace.repairs.len(), 1);
    assert_eq!(trace.repairs[0].path, "end_time");
}

#[test]
fn a_query_page_and_json_lines_of_runs_import() {
    let page = r#"{"runs": [{"id": "a", "run_type": "chain", "name": "a",
        "start_time": "2024-05-01T12:00:00Z", "end_time": "2024-05-01T12:00:01Z"}],
        "cursors": {"next": null}}"#;
    assert_eq!(import_one(page.as_bytes()).name, "a");
    let lines =
        "{\"id\": \"a\", \"run_type\": \"chain\", \"end_time\": \"2024-05-01T12:00:01Z\"}\n\
                 {\"id\": \"b\", \"run_type\": \"llm\", \"parent_run_id\": \"a\", \
                 \"end_time\": \"2024-05-01T12:00:01Z\", \"outputs\": {\"llm_output\": \
                 {\"token_usage\": {\"prompt_tokens\": 9, \"completion_tokens\": 2}}}}\n";
    let trace = import_one(lines.as_bytes());
    assert_eq!(trace.steps.len(), 2);
    assert_eq!(summarize(&trace).total_tokens, 11);
}

#[test]
fn detection_is_by_shape() {
    assert!(claimed_by_langsmith(r#"[{"id": "a", "run_type": "llm"}]"#));
    assert!(claimed_by_langsmith(r#"{"post": []}"#));
    assert!(!claimed_by_langsmith(r#"[{"id": "a", "name": "x"}]"#));
    assert!(!claimed_by_langsmith("[]"));
    assert!(!claimed_by_langsmith(r#"{"runs": []}"#));
}

#[test]
fn a_run_without_id_names_its_path() {
    assert_eq!(
        message(&fixture("run_missing_id.json")),
        "LangSmith runs at [1]: expected valid content (missing field `id`)."
    );
    let nested = r#"{"id": "a", "run_type": "chain", "child_runs": [{"name": "x"}]}"#;
    assert_eq!(
        message(nested.as_bytes()),
        "LangSmith runs at child_runs[0]: expected valid content (missing field `id`)."
    );
}

#[test]
fn bad_values_name_their_path() {
    let input = r#"{"post": [{"id": "a", "run_type": "llm", "start_time": "noon"}]}"#;
    assert_eq!(
        message(input.as_bytes()),
        "LangSmith runs at post[0].start_time: expected an ISO 8601 time such as \
         \"2024-05-01T12:00:00.123456\" or epoch milliseconds, not \"noon\"."
    );
    let input = r#"{"id": "a", "run_type": "llm", "total_cost": "cheap"}"#;
    assert!(
        message(input.as_bytes())
            .starts_with("LangSmith runs at total_cost: expected valid content"),
        "{}",
        message(input.as_bytes())
    );
    let input = r#"{"id": "a", "run_type": "llm",
        "outputs": {"usage_metadata": {"input_tokens": "many"}}}"#;
    assert!(message(input.as_bytes())
        .starts_with("LangSmith runs at outputs.usage_metadata: expected token counts"));
}

#[test]
fn truncated_json_gives_line_and_column() {
    assert_eq!(
        message(b"[{\"id\": \"a\", \"run_type\": \"ll"),
        "The file is not valid JSON at line 1, column 28: EOF while parsing a string."
    );
}

#[test]
fn a_parent_cycle_without_trace_ids_is_one_trace_with_the_cycle_broken() {
    let input = r#"[{"id": "a", "run_type": "chain", "parent_run_id": "b", "end_time": "2024-05-01T12:00:01Z"},
                    {"id": "b", "run_type": "chain", "parent_run_id": "a", "end_time": "2024-05-01T12:00:01Z"}]"#;
    let trace = import_one(input.as_bytes());
    assert_eq!(trace.id, "a");
    assert_eq!(step_rows(&trace).len(), 2, "both runs are listed");
    assert_eq!(trace.repairs.len(), 1);
    assert_eq!(trace.repairs[0].path, "[0].parent_id");
}

#[test]
fn repair_paths_are_json_paths_of_the_input() {
    let lone = r#"{"id": "c", "run_type": "tool", "parent_run_id": "ghost",
        "end_time": "2024-05-01T12:00:01Z",
        "child_runs": [{"id": "d", "run_type": "tool"}]}"#;
    let trace = import_one(lone.as_bytes());
    let paths: Vec<&str> = trace.repairs.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(paths, ["child_runs[0].end_time", "parent_id"]);

    let lines = "{\"id\": \"a\", \"run_type\": \"chain\", \"end_time\": \"2024-05-01T12:00:01Z\"}\n\
                 {\"id\": \"b\", \"run_type\": \"chain\", \"parent_run_id\": \"zz\", \"trace_id\": \"a\"}\n";
    let trace = import_one(lines.as_bytes());
    let paths: Vec<&str> = trace.repairs.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(paths, ["line 2, end_time", "line 2, parent_id"]);
}

#[test]
fn no_value_in_any_field_makes_the_import_panic() {
    let weird = [
        serde_json::json!(null),
        serde_json::json!(-1),
        serde_json::json!(-1e300),
        serde_json::json!(1e308),
        serde_json::json!("x"),
        serde_json::json!([]),
        serde_json::json!({}),
        serde_json::json!({"metadata": 3, "usage_metadata": {"input_tokens": -4}}),
    ];
    let source: serde_json::Value =
        serde_json::from_slice(&fixture("run_tree_child_runs.json")).expect("JSON");
    let keys: Vec<String> = source["child_runs"][0]
        .as_object()
        .expect("a run")
        .keys()
        .cloned()
        .collect();
    let mut outcomes = 0;
    for key in &keys {
        for value in &weird {
            let mut input = source.clone();
            input["child_runs"][0][key.as_str()] = value.clone();
            input["child_runs"][2][key.as_str()] = value.clone();
            let text = serde_json::to_vec(&input).expect("serializes");
            // Either outcome is fine; a panic fails the test.
            let _ = import_bytes(&text);
            outcomes += 1;
        }
    }
    assert_eq!(outcomes, keys.len() * weird.len());
}
