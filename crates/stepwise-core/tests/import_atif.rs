//! ATIF trajectories (Harbor): the real files, subagents in and out of the input, a
//! fixture written from the spec for what the real files lack, and bad input.
#![cfg(not(target_arch = "wasm32"))]

use stepwise_core::import::{atif, import_bytes, Detection, Document, Shape};
use stepwise_core::metrics::{summarize, STATED_TOTAL_TOKENS};
use stepwise_core::model::{CostSource, RawJson, SourceFormat, Status, StepKind, Trace};
use stepwise_core::report::trace_report;

fn read(path: &str) -> Vec<u8> {
    let path = format!("{}/../../tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|error| panic!("cannot read {path}: {error}"))
}

const OPENHANDS: &str = "real/atif-openhands-hello-world.trajectory.json";
const TERMINUS: &str = "real/atif-terminus2-context-summarization.trajectory.json";
const TERMINUS_SUMMARY: &str =
    "real/atif-terminus2-context-summarization.subagent-summary.trajectory.json";
const FROM_SPEC: &str = "atif/stock-price-with-subagent.from-spec.json";

fn import_one(bytes: &[u8]) -> Trace {
    let mut traces = import_bytes(bytes).unwrap_or_else(|error| panic!("imports: {error}"));
    assert_eq!(traces.len(), 1, "one trace");
    traces.remove(0)
}

fn message(bytes: &[u8]) -> String {
    import_bytes(bytes)
        .expect_err("this input must be refused")
        .to_string()
}

fn count(trace: &Trace, kind: StepKind) -> usize {
    trace.steps.iter().filter(|step| step.kind == kind).count()
}

fn assert_close(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() < 1e-12,
        "expected {expected}, got {actual}"
    );
}

/// Every tool result names a tool call of the trace, and sits beside it.
fn assert_results_linked(trace: &Trace) {
    for result in trace
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::ToolResult)
    {
        let call_id = result.result_of.as_deref().expect("linked to its call");
        let call = trace.step(call_id).expect("the call is in the trace");
        assert_eq!(call.kind, StepKind::ToolCall);
        assert_eq!(call.parent_id, result.parent_id, "{}", result.id);
    }
}

/// 2025-10-11T10:30:00Z.
const T0_NS: i64 = 1_760_178_600_000_000_000;
const SECOND_NS: i64 = 1_000_000_000;

#[test]
fn the_openhands_file_opens_with_its_figures() {
    let trace = import_one(&read(OPENHANDS));
    assert_eq!(trace.source_format, SourceFormat::Atif);
    assert_eq!(trace.source_format.label(), "ATIF trajectory");
    assert_eq!(trace.id, "NORMALIZED_SESSION_ID");
    assert_eq!(
        trace.name,
        "openhands: Create a file called hello.txt with \"Hello, world!\" as the content."
    );
    assert_eq!(trace.status, Status::Completed);
    // No step has a timestamp: no time is made up.
    assert_eq!((trace.start_ns, trace.end_ns), (None, None));
    assert_eq!(
        trace.input,
        Some(RawJson::string(
            "Create a file called hello.txt with \"Hello, world!\" as the content.\n"
        ))
    );
    assert_eq!(
        trace.final_output,
        Some(RawJson::string("All done! What's next on the agenda?"))
    );

    // 3 system and 1 user message; 2 agent turns, with 2 tool calls and 1 result.
    assert_eq!(trace.steps.len(), 9);
    assert_eq!(count(&trace, StepKind::Other), 4);
    assert_eq!(count(&trace, StepKind::LlmCall), 2);
    assert_eq!(count(&trace, StepKind::ToolCall), 2);
    assert_eq!(count(&trace, StepKind::ToolResult), 1);
    assert_results_linked(&trace);
    let call = trace.step("call_fake_1").expect("the tool call");
    assert_eq!(call.name, "str_replace_editor");
    assert_eq!(call.parent_id.as_deref(), Some("step-5"));
    assert_eq!(
        call.input.as_ref().expect("arguments").parse()["path"],
        "/app/hello.txt"
    );
    let result = trace.step("call_fake_1/result").expect("its result");
    assert_eq!(
        result.output,
        Some(RawJson::string(
            "File created successfully at: /app/hello.txt"
        ))
    );

    // Per-step metrics, which final_metrics confirms: 220 in, 80 out, $0.00135.
    let summary = summarize(&trace);
    assert_eq!(summary.requests, 2);
    assert_eq!(summary.prompt_tokens.exact(), Some(220));
    assert_eq!(summary.completion_tokens.exact(), Some(80));
    assert_eq!(summary.total_tokens.exact(), Some(300));
    assert_close(
        summary.cost_usd.exact().expect("every call priced"),
        0.00135,
    );
    assert!(!summary.cost_estimated);
    assert_eq!(summary.tool_calls, 2);
    assert_eq!(summary.errors, 0);
    let llm = trace.step("step-5").expect("first agent turn");
    assert_eq!(llm.usage.input_tokens, Some(100));
    assert_eq!(llm.usage.output_tokens, Some(50));
    assert_eq!(llm.usage.cached_input_tokens, None, "not recorded: unknown");
    assert_eq!(llm.cost.map(|cost| cost.source), Some(CostSource::Stated));
    assert_eq!(trace.metadata[STATED_TOTAL_TOKENS], 300);
    assert!(trace.repairs.is_empty(), "{:?}", trace.repairs);

    assert_eq!(trace.agents.len(), 1);
    assert_eq!(trace.agents[0].role, "openhands");
    assert!(trace.agents[0].models.is_empty(), "the file names no model");
    assert_eq!(
        trace.metadata["atif.agent.tool_definitions"]
            .as_array()
            .map(Vec::len),
        Some(6)
    );
}

#[test]
fn the_terminus_file_alone_names_its_missing_subagents() {
    let trace = import_one(&read(TERMINUS));
    assert_eq!(trace.agents.len(), 1);
    assert_eq!(trace.agents[0].role, "terminus-2");
    assert_eq!(trace.agents[0].models, ["openai/gpt-4o"]);
    // 1 + 3×3 (turn, call, result) + system step with 3 missing subagents + user
    // + 4×3.
    assert_eq!(trace.steps.len(), 27);
    assert_eq!(count(&trace, StepKind::LlmCall), 7);
    assert_eq!(count(&trace, StepKind::ToolCall), 7);
    assert_eq!(count(&trace, StepKind::ToolResult), 7);
    assert_results_linked(&trace);
    // Results without source_call_id are paired with the turn's one call, and say so.
    let result = trace.step("call_0_1/result").expect("paired result");
    assert_eq!(result.attributes["atif.linked_by"], "order");

    let summary = summarize(&trace);
    assert_eq!(
        summary.prompt_tokens.exact(),
        Some(682 + 750 + 820 + 1700 + 850 * 3)
    );
    assert_eq!(
        summary.completion_tokens.exact(),
        Some(60 + 50 * 2 + 420 + 40 * 2 + 30)
    );
    assert_close(
        summary.cost_usd.exact().expect("priced"),
        0.002305 + 0.002375 + 0.00255 + 0.00845 + 0.002525 + 0.002525 + 0.002425,
    );

    let missing: Vec<&str> = trace
        .steps
        .iter()
        .filter(|step| step.kind == StepKind::Agent)
        .map(|step| step.name.as_str())
        .collect();
    assert_eq!(
        missing,
        [
            "subagent test-session-context-summarization-summarization-1-summary (not in this input)",
            "subagent test-session-context-summarization-summarization-1-questions (not in this input)",
            "subagent test-session-context-summarization-summarization-1-answers (not in this input)",
        ]
    );
    let system = trace
        .step("step-5")
        .expect("the system step that delegated");
    assert_eq!(system.kind, StepKind::Other);
    assert!(trace
        .steps
        .iter()
        .filter(|step| step.kind == StepKind::Agent)
        .all(|step| step.parent_id.as_deref() == Some("step-5")));

    let skipped: Vec<&str> = trace
        .repairs
        .iter()
        .filter(|repair| repair.is_skipped_input())
        .map(|repair| repair.path.as_str())
        .collect();
    assert_eq!(
        skipped,
        [
            "steps[4].observation.results[0].subagent_trajectory_ref[0]",
            "steps[4].observation.results[0].subagent_trajectory_ref[1]",
            "steps[4].observation.results[0].subagent_trajectory_ref[2]",
        ]
    );
    assert!(trace.repairs[0]
        .what
        .contains("trajectory.summarization-1-summary.json"));
    // final_metrics counts the subagents too: 7802 / 1030 / $0.029805, more than the
    // steps of this file, which a note says, while the figures stay the steps'.
    let note = trace
        .repairs
        .iter()
        .find(|repair| repair.path == "final_metrics")
        .expect("a note on final_metrics");
    assert!(
        note.what.contains("7802 prompt tokens (the steps: 6502)"),
        "{}",
        note.what
    );
    assert!(
        note.what
            .contains("1030 completion tokens (the steps: 690)"),
        "{}",
        note.what
    );
    assert!(
        note.what.contains("3 subagent trajectory(ies)"),
        "{}",
        note.what
    );
    assert_eq!(trace.metadata[STATED_TOTAL_TOKENS], 7802 + 1030);
}

#[test]
fn the_terminus_file_and_its_subagent_together_nest_the_subagent() {
    let mut both = read(TERMINUS);
    both.push(b'\n');
    both.extend(read(TERMINUS_SUMMARY));
    let trace = import_one(&both);
    assert_eq!(trace.id, "NORMALIZED_SESSION_ID", "the parent is the trace");
    assert_eq!(trace.agents.len(), 2);
    assert_eq!(
        trace.agents[1].id,
        "test-session-context-summarization-summarization-1-summary"
    );
    assert_eq!(trace.agents[1].role, "terminus-2-summarization-summary");

    let agent_step = trace
        .step("subagent:test-session-context-summarization-summarization-1-summary")
        .expect("the subagent's step");
    assert_eq!(agent_step.kind, StepKind::Agent);
    assert_eq!(agent_step.name, "terminus-2-summarization-summary");
    assert_eq!(agent_step.parent_id.as_deref(), Some("step-5"));
    assert_eq!(
        agent_step.input,
        Some(RawJson::string(
            "Context summarization 1: Step 1 - Summary generation"
        ))
    );
    let children: Vec<&str> = trace
        .steps
        .iter()
        .filter(|step| step.parent_id.as_deref() == Some(agent_step.id.as_str()))
        .map(|step| step.name.as_str())
        .collect();
    assert_eq!(
        children,
        [
            "copied context: user message",
            "copied context: agent message",
            "copied context: agent message",
            "user message",
            "openai/gpt-4o",
        ]
    );
    // The copied history is not counted again: one more call, of 500 in and 200 out.
    assert_eq!(trace.steps.len(), 27 + 5);
    let summary = summarize(&trace);
    assert_eq!(summary.requests, 8);
    assert_eq!(summary.tool_calls, 7);
    assert_eq!(summary.calls_without_tokens, 0);
    assert_eq!(summary.prompt_tokens.exact(), Some(6502 + 500));
    assert_eq!(summary.completion_tokens.exact(), Some(690 + 200));
    assert_close(
        summary.cost_usd.exact().expect("priced"),
        0.023155 + 0.00325,
    );
    let sub_call = trace
        .step("test-session-context-summarization-summarization-1-summary/step-5")
        .expect("the subagent's own call");
    assert_eq!(
        sub_call.agent_id.as_deref(),
        Some("test-session-context-summarization-summarization-1-summary")
    );
    // Two subagents are still missing; paths say which document they are in.
    let skipped: Vec<&str> = trace
        .repairs
        .iter()
        .filter(|repair| repair.is_skipped_input())
        .map(|repair| repair.path.as_str())
        .collect();
    assert_eq!(
        skipped,
        [
            "line 1, steps[4].observation.results[0].subagent_trajectory_ref[1]",
            "line 1, steps[4].observation.results[0].subagent_trajectory_ref[2]",
        ]
    );
}

#[test]
fn a_subagent_file_alone_is_a_trace_of_its_own() {
    let trace = import_one(&read(TERMINUS_SUMMARY));
    assert_eq!(
        trace.id,
        "test-session-context-summarization-summarization-1-summary"
    );
    let summary = summarize(&trace);
    assert_eq!(summary.requests, 1);
    assert_eq!(summary.prompt_tokens.exact(), Some(500));
    assert_eq!(summary.completion_tokens.exact(), Some(200));
    assert_eq!(
        count(&trace, StepKind::ToolCall),
        0,
        "copied calls are not calls"
    );
    assert!(trace.repairs.is_empty(), "{:?}", trace.repairs);
}

#[test]
fn the_from_spec_fixture_covers_times_reasoning_errors_and_an_embedded_subagent() {
    let trace = import_one(&read(FROM_SPEC));
    assert_eq!(trace.id, "sess-main");
    assert_eq!(
        trace.name,
        "harbor-agent: What is the current trading price and volume of Alphabet (GOOGL)?"
    );
    assert_eq!(trace.steps.len(), 17);
    assert_eq!(count(&trace, StepKind::LlmCall), 5);
    assert_eq!(count(&trace, StepKind::ToolCall), 4);
    assert_eq!(count(&trace, StepKind::ToolResult), 4);
    assert_eq!(count(&trace, StepKind::Reasoning), 1);
    assert_eq!(count(&trace, StepKind::Agent), 1);
    assert_results_linked(&trace);

    // A step ends when the next begins; the last one's end is unknown.
    let turn = trace.step("step-2").expect("second step");
    assert_eq!(turn.start_ns, Some(T0_NS + 2 * SECOND_NS));
    assert_eq!(turn.end_ns, Some(T0_NS + 4 * SECOND_NS));
    assert_eq!(trace.step("step-4").and_then(|s| s.end_ns), None);
    assert_eq!(trace.start_ns, Some(T0_NS));
    assert_eq!(trace.end_ns, Some(T0_NS + 9 * SECOND_NS));

    assert_eq!(turn.usage.cached_input_tokens, Some(200));
    assert_eq!(turn.usage.reasoning_tokens, Some(30));
    assert_eq!(turn.attributes["atif.reasoning_effort"], "medium");
    let reasoning = trace.step("step-2/reasoning").expect("the reasoning");
    assert_eq!(reasoning.parent_id.as_deref(), Some("step-2"));
    assert_eq!(
        reasoning.output,
        Some(RawJson::string(
            "Two data points are needed: two tool calls at once."
        ))
    );

    let failed = trace
        .step("call_volume_2/result")
        .expect("the failed result");
    assert_eq!(failed.status, Status::Failed);
    let error = failed.error.as_ref().expect("its error");
    assert_eq!(error.error_type.as_deref(), Some("ServiceUnavailable"));
    assert_eq!(error.message, "the volume service did not answer");
    assert_eq!(trace.status, Status::Completed, "the run recovered");

    // The subagent sits under the call that delegated to it, with its own agent.
    let sub = trace
        .step("subagent:sess-volume")
        .expect("the subagent step");
    assert_eq!(sub.parent_id.as_deref(), Some("call_delegate_3"));
    assert_eq!(sub.name, "volume-researcher");
    assert_eq!(sub.start_ns, Some(T0_NS + 5 * SECOND_NS));
    assert_eq!(sub.end_ns, Some(T0_NS + 8 * SECOND_NS));
    assert_eq!(sub.output, Some(RawJson::string("1.5M shares")));
    let sub_call = trace
        .step("sess-volume/step-2")
        .expect("the subagent's call");
    assert_eq!(sub_call.parent_id.as_deref(), Some("subagent:sess-volume"));
    assert_eq!(sub_call.model.as_deref(), Some("gemini-2.5-flash-lite"));
    assert_eq!(sub_call.name, "gemini-2.5-flash-lite");
    assert_eq!(sub_call.output, None, "an empty message is no output");
    assert_eq!(
        trace
            .step("sess-volume/call_market_1")
            .and_then(|s| s.parent_id.as_deref()),
        Some("sess-volume/step-2")
    );
    let roles: Vec<&str> = trace.agents.iter().map(|a| a.role.as_str()).collect();
    assert_eq!(roles, ["harbor-agent", "volume-researcher"]);

    // final_metrics (2160 in, 194 out, $0.00111) agrees with the steps: no note.
    let summary = summarize(&trace);
    assert_eq!(summary.prompt_tokens.exact(), Some(2160));
    assert_eq!(summary.completion_tokens.exact(), Some(194));
    assert_eq!(summary.cached_prompt_tokens.exact(), Some(200));
    assert_eq!(summary.reasoning_tokens.exact(), Some(30));
    assert_close(summary.cost_usd.exact().expect("priced"), 0.00111);
    assert_eq!(summary.errors, 1);
    assert_eq!(summary.agents, 2);
    assert!(trace.repairs.is_empty(), "{:?}", trace.repairs);
}

#[test]
fn totals_stated_only_in_final_metrics_are_kept_as_stated() {
    let text = r#"{"schema_version": "ATIF-v1.5", "session_id": "s", "agent": {"name": "a", "version": "1"},
        "steps": [
          {"step_id": 1, "source": "user", "message": "hi"},
          {"step_id": 2, "source": "agent", "message": "hello"}
        ],
        "final_metrics": {"total_prompt_tokens": 40, "total_completion_tokens": 2, "total_cost_usd": 0.001}}"#;
    let trace = import_one(text.as_bytes());
    let summary = summarize(&trace);
    assert_eq!(summary.total_tokens.exact(), Some(42));
    assert!(summary.tokens_stated_by_trace);
    assert_eq!(
        summary.prompt_tokens.value(),
        None,
        "never spread over the calls"
    );
    assert_eq!(summary.cost_usd.value(), None, "no call states a cost");
    let call = trace.step("step-2").expect("the call");
    assert!(call.usage.is_unknown());
    assert_eq!(trace.repairs.len(), 1);
    assert_eq!(trace.repairs[0].path, "final_metrics");
    assert_eq!(
        trace.metadata["atif.final_metrics"]["total_cost_usd"],
        0.001
    );
}

#[test]
fn bad_input_says_what_and_where() {
    assert_eq!(
        message(br#"{"schema_version": "ATIF-v1.5", "session_id": "s", "agent": {"name": "a"}}"#),
        "ATIF trajectory at the top level: expected valid content (missing field `steps`)."
    );
    assert_eq!(
        message(br#"{"schema_version": "ATIF-v1.5", "steps": {"step_id": 1}}"#),
        "ATIF trajectory at steps: expected valid content (invalid type: map, expected a sequence)."
    );
    assert_eq!(
        message(br#"{"schema_version": "ATIF-v1.5", "steps": [{"step_id": 1, "source": "robot", "message": ""}]}"#),
        "ATIF trajectory at steps[0].source: expected valid content (unknown variant `robot`, \
         expected one of `system`, `user`, `agent`)."
    );
    assert_eq!(
        message(br#"{"schema_version": "ATIF-v1.5", "steps": [{"source": "agent", "metrics": {"prompt_tokens": -3}}]}"#),
        "ATIF trajectory at steps[0].metrics.prompt_tokens: expected valid content (invalid value: \
         integer `-3`, expected u64)."
    );
    assert_eq!(
        message(br#"{"schema_version": "ATIF-v1.5", "steps": [{"source": "agent", "metrics": {"cost_usd": -1.5}}]}"#),
        "ATIF trajectory at steps[0].metrics.cost_usd: expected a cost of zero or more US dollars, not -1.5."
    );
    assert_eq!(
        message(br#"{"schema_version": "ATIF-v1.5", "steps": [{"source": "user", "timestamp": "yesterday"}]}"#),
        "ATIF trajectory at steps[0].timestamp: expected an ISO 8601 time such as \
         \"2025-10-11T10:30:00Z\", not \"yesterday\"."
    );
}

/// Whether the ATIF importer alone claims `text`.
fn claimed_by_atif(text: &str) -> bool {
    let shape: Shape = serde_json::from_str(text).expect("valid JSON");
    let document = Document {
        shape,
        text,
        line: 1,
    };
    matches!(atif::detect(&[document]), Detection::Imported(_))
}

#[test]
fn detection_claims_trajectories_and_nothing_else() {
    assert!(claimed_by_atif(
        r#"{"schema_version": "ATIF-v1.2", "steps": []}"#
    ));
    assert!(claimed_by_atif(
        r#"{"session_id": "s", "agent": {}, "steps": []}"#
    ));
    assert!(!claimed_by_atif(r#"{"steps": []}"#));
    assert!(!claimed_by_atif(r#"{"schema_version": "2"}"#));
    assert!(!claimed_by_atif(
        r#"[{"schema_version": "ATIF-v1.5", "steps": []}]"#
    ));
    // No fixture of another format is taken for a trajectory.
    let root = format!("{}/../../tests/fixtures", env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for folder in [
        "crewai",
        "otlp",
        "jaeger",
        "langfuse",
        "langsmith",
        "real",
        "api",
    ] {
        let Ok(entries) = std::fs::read_dir(format!("{root}/{folder}")) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = path.to_string_lossy().to_string();
            if !name.ends_with(".json") || name.contains("atif-") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            if serde_json::from_str::<Shape>(&text).is_err() {
                continue;
            }
            assert!(!claimed_by_atif(&text), "{name} taken for ATIF");
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} fixtures checked");
}

#[test]
fn the_real_files_survive_our_own_export() {
    for file in [OPENHANDS, TERMINUS, FROM_SPEC] {
        let traces = import_bytes(&read(file)).expect("imports");
        let exported = serde_json::to_vec(&stepwise_core::export::to_stepwise_document(&traces))
            .expect("serialises");
        let again = import_bytes(&exported).expect("our own export imports");
        let summaries = |traces: &[Trace]| -> Vec<_> {
            traces.iter().map(|t| trace_report(t).summary).collect()
        };
        assert_eq!(summaries(&again), summaries(&traces), "{file}");
    }
}

/// The real files' reports are snapshots in real_traces.rs; this one's is here.
#[test]
fn report_of_the_from_spec_fixture() {
    let traces = import_bytes(&read(FROM_SPEC)).expect("imports");
    let reports: Vec<_> = traces.iter().map(trace_report).collect();
    insta::assert_json_snapshot!("atif-from-spec", reports);
}

/// A minimal trajectory: `session`, with agent `name`, and `steps` as JSON text.
fn trajectory(session: &str, name: &str, steps: &str, more: &str) -> String {
    format!(
        r#"{{"schema_version": "ATIF-v1.5", "session_id": "{session}",
            "agent": {{"name": "{name}", "version": "1"}}, "steps": [{steps}]{more}}}"#
    )
}

#[test]
fn a_subagent_referred_to_twice_is_shown_once() {
    let delegate = r#"{"step_id": 1, "source": "system", "message": "",
        "observation": {"results": [
            {"subagent_trajectory_ref": {"session_id": "sub"}},
            {"subagent_trajectory_ref": [{"session_id": "sub"}]}
        ]}}"#;
    let sub = trajectory(
        "sub",
        "helper",
        r#"{"step_id": 1, "source": "agent", "message": "ok", "metrics": {"prompt_tokens": 5, "completion_tokens": 1}}"#,
        "",
    );
    let text = trajectory(
        "main",
        "lead",
        delegate,
        &format!(r#", "subagent_trajectories": [{sub}]"#),
    );
    let trace = import_one(text.as_bytes());
    // The single-object form of the reference is read as well as the spec's array.
    let names: Vec<&str> = trace.steps.iter().map(|step| step.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "system message",
            "helper",
            "LLM call",
            "subagent sub (shown once, above)"
        ]
    );
    assert_eq!(
        summarize(&trace).prompt_tokens.exact(),
        Some(5),
        "counted once"
    );
    assert!(trace.repairs.is_empty(), "{:?}", trace.repairs);
}

#[test]
fn an_embedded_subagent_no_step_refers_to_is_still_shown() {
    let sub = trajectory(
        "lonely",
        "helper",
        r#"{"step_id": 1, "source": "agent", "message": "hi"}"#,
        "",
    );
    let text = trajectory(
        "main",
        "lead",
        r#"{"step_id": 1, "source": "user", "message": "go"}"#,
        &format!(r#", "subagent_trajectories": [{sub}]"#),
    );
    let trace = import_one(text.as_bytes());
    let agent = trace.step("subagent:lonely").expect("shown");
    assert_eq!(agent.parent_id, None);
    assert_eq!(
        trace
            .step("lonely/step-1")
            .and_then(|s| s.parent_id.as_deref()),
        Some("subagent:lonely")
    );
    assert_eq!(trace.repairs.len(), 1);
    assert_eq!(trace.repairs[0].path, "subagent_trajectories[0]");
}

#[test]
fn a_result_for_an_unknown_call_is_kept_unlinked_and_noted() {
    let text = trajectory(
        "main",
        "lead",
        r#"{"step_id": 1, "source": "agent", "message": "",
            "tool_calls": [{"tool_call_id": "a", "function_name": "f", "arguments": {}}],
            "observation": {"results": [{"source_call_id": "b", "content": "?"}]}}"#,
        "",
    );
    let trace = import_one(text.as_bytes());
    let observation = trace.step("step-1/result-0").expect("kept");
    assert_eq!(observation.kind, StepKind::Other);
    assert_eq!(observation.result_of, None);
    assert_eq!(trace.repairs.len(), 1);
    assert_eq!(
        trace.repairs[0].path,
        "steps[0].observation.results[0].source_call_id"
    );
}

#[test]
fn a_failed_last_step_fails_the_trace() {
    let text = trajectory(
        "main",
        "lead",
        r#"{"step_id": 1, "source": "user", "message": "go"},
           {"step_id": 2, "source": "agent", "message": "", "extra": {"error": "context window exceeded"}}"#,
        "",
    );
    let trace = import_one(text.as_bytes());
    assert_eq!(trace.status, Status::Failed);
    let step = trace.step("step-2").expect("the failed turn");
    assert_eq!(step.status, Status::Failed);
    assert_eq!(
        step.error.as_ref().map(|error| error.message.as_str()),
        Some("context window exceeded")
    );
    assert_eq!(summarize(&trace).errors, 1);
}

#[test]
fn a_chain_of_thousands_of_subagents_stops_at_a_depth_and_says_so() {
    // Each trajectory delegates to the next, as concatenated documents.
    let mut text = String::new();
    for level in 0..3_000 {
        let delegate = format!(
            r#"{{"step_id": 1, "source": "system", "message": "",
                "observation": {{"results": [{{"subagent_trajectory_ref": [{{"session_id": "s{}"}}]}}]}}}}"#,
            level + 1
        );
        text.push_str(&trajectory(&format!("s{level}"), "agent", &delegate, "").replace('\n', " "));
        text.push('\n');
    }
    let trace = import_one(text.as_bytes());
    assert_eq!(trace.id, "s0");
    assert_eq!(
        count(&trace, StepKind::Agent),
        65,
        "64 nested and one that is not shown"
    );
    assert!(trace
        .repairs
        .iter()
        .any(|repair| repair.what.contains("more than 64 subagents deep")));
}
