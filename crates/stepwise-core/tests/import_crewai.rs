//! CrewAI trace batches: the shared samples, each quirk of its batches (see import/crewai.rs), and bad input.
#![cfg(not(target_arch = "wasm32"))]

use stepwise_core::import::{crewai, import_bytes, Detection, Document, ImportError, Shape};
use stepwise_core::model::{
    RawJson, SourceFormat, Status, Step, StepKind, Trace, TraceKind, Usage,
};

fn sample(name: &str) -> Trace {
    let path = format!(
        "{}/../../tests/fixtures/real/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).expect("the shared sample is readable");
    only_trace(&bytes)
}

fn fixture(name: &str) -> Trace {
    let path = format!(
        "{}/../../tests/fixtures/crewai/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).expect("the fixture is readable");
    only_trace(&bytes)
}

fn only_trace(bytes: &[u8]) -> Trace {
    let mut traces = import_bytes(bytes).expect("imports");
    assert_eq!(traces.len(), 1, "all events make one trace");
    let trace = traces.remove(0);
    assert_eq!(trace.source_format, SourceFormat::CrewAi);
    trace
}

fn message(input: &str) -> String {
    import_bytes(input.as_bytes())
        .expect_err("this input must be refused")
        .to_string()
}

fn steps_of(trace: &Trace, kind: StepKind) -> Vec<&Step> {
    trace
        .steps
        .iter()
        .filter(|step| step.kind == kind)
        .collect()
}

fn summed_usage(trace: &Trace) -> Usage {
    steps_of(trace, StepKind::LlmCall)
        .iter()
        .fold(Usage::default(), |sum, step| {
            let add = |a: Option<u64>, b: Option<u64>| match (a, b) {
                (None, None) => None,
                (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
            };
            Usage {
                input_tokens: add(sum.input_tokens, step.usage.input_tokens),
                output_tokens: add(sum.output_tokens, step.usage.output_tokens),
                cached_input_tokens: add(sum.cached_input_tokens, step.usage.cached_input_tokens),
                reasoning_tokens: add(sum.reasoning_tokens, step.usage.reasoning_tokens),
                ..Usage::default()
            }
        })
}

/// Detection as `import_bytes` does it, on one document, without the other formats.
fn detect_one(text: &str) -> Detection<Vec<Trace>> {
    let shape: Shape = serde_json::from_str(text).expect("valid JSON");
    crewai::detect(&[Document {
        shape,
        text,
        line: 1,
    }])
}

// --- The shared samples -----------------------------------------------------------------

#[test]
fn sample_v1_4_1_imports_with_its_task_agent_and_call() {
    let trace = sample("crewai-trace-batch-events-v1.4.1.json");
    assert_eq!(trace.name, "crew");
    assert_eq!(trace.kind, TraceKind::Crew);
    assert_eq!(trace.status, Status::Completed);
    assert_eq!(trace.final_output, Some("hello".into()));
    assert_eq!(
        trace.duration_ns(),
        Some(1_346_077_000),
        "19:58:54.274122 → 19:58:55.620199"
    );

    assert_eq!(trace.agents.len(), 1);
    let agent = &trace.agents[0];
    assert_eq!(agent.role, "Test Agent");
    assert_eq!(agent.goal.as_deref(), Some("Test goal"));
    assert_eq!(agent.backstory.as_deref(), Some("Test backstory"));
    assert_eq!(agent.models, ["gpt-4o-mini"]);

    assert_eq!(trace.tasks.len(), 1);
    let task = &trace.tasks[0];
    assert_eq!(task.id, "REDACTED_TASK_ID");
    assert_eq!(task.name, "Say hello");
    assert_eq!(task.description.as_deref(), Some("Say hello"));
    assert_eq!(task.expected_output.as_deref(), Some("hello"));
    assert_eq!(task.agent_id.as_deref(), Some(agent.id.as_str()));
    assert_eq!(task.input, None, "an empty context is no input");
    assert_eq!(task.output, Some("hello".into()));
    assert_eq!(task.status, Status::Completed);

    let kinds: Vec<StepKind> = trace.steps.iter().map(|step| step.kind).collect();
    assert_eq!(kinds, [StepKind::Agent, StepKind::LlmCall]);
    let (agent_step, call) = (&trace.steps[0], &trace.steps[1]);
    assert_eq!(agent_step.name, "Test Agent");
    assert_eq!(agent_step.task_id.as_deref(), Some("REDACTED_TASK_ID"));
    assert_eq!(call.parent_id.as_deref(), Some(agent_step.id.as_str()));
    assert_eq!(call.model.as_deref(), Some("gpt-4o-mini"));
    assert_eq!(
        call.output,
        Some("I now can give a great answer  \nFinal Answer: hello".into())
    );
    assert_eq!(
        call.input
            .as_ref()
            .map(RawJson::parse)
            .and_then(|v| v.as_array().map(Vec::len)),
        Some(2)
    );
    assert_eq!(call.attributes["call_type"], "llm_call");
    assert_eq!(call.duration_ns(), Some(1_339_778_000));

    // No per-call usage in 1.4: the stated total reaches the trace, with a note.
    assert_eq!(summed_usage(&trace), Usage::default());
    assert_eq!(trace.metadata["stated_total_tokens"], 165);
    assert_eq!(trace.repairs.len(), 1, "{:?}", trace.repairs);
    assert_eq!(trace.repairs[0].path, "events[7].event_data.total_tokens");
    assert!(trace.repairs[0]
        .what
        .starts_with("crew_kickoff_completed says 165 tokens; the 1 LLM call(s) carry no usage"));
}

#[test]
fn sample_v1_6_0_imports_without_task_started() {
    let trace = sample("crewai-trace-batch-events-v1.6.0.json");
    assert_eq!(trace.id, "e73c85bb-b00f-46be-b07f-cfbd398e24d9");
    assert_eq!(trace.name, "crew");
    assert_eq!(trace.status, Status::Completed);
    assert_eq!(trace.final_output, Some("hello world".into()));
    assert_eq!(
        trace.metadata["output"]["expected_output"], "hello world",
        "the whole crew output is kept"
    );
    assert_eq!(trace.metadata["batch_metadata"]["events_count"], 7);

    let agent = &trace.agents[0];
    assert_eq!(trace.agents.len(), 1);
    assert_eq!(agent.role, "Test Agent");
    assert_eq!(
        agent.id, "589d6b85-044a-4df7-b0b9-e4aafeb642a9",
        "CrewAI's agent_id"
    );
    assert_eq!(agent.models, ["gpt-4o-mini"]);

    let task = &trace.tasks[0];
    assert_eq!(trace.tasks.len(), 1);
    assert_eq!(task.id, "2b5b469c-61f1-4439-bb50-1bb59a539305");
    assert_eq!(task.name, "Say hello to the world");
    assert_eq!(task.output, Some("hello world".into()));
    assert_eq!(task.agent_id.as_deref(), Some(agent.id.as_str()));
    // 1.6.0 sends task_completed only: the task starts with its agent's execution.
    assert_eq!(task.start_ns, trace.steps[0].start_ns);

    let calls = steps_of(&trace, StepKind::LlmCall);
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].model.as_deref(), Some("gpt-4o-mini"));
    assert_eq!(calls[0].task_id.as_deref(), Some(task.id.as_str()));
    assert_eq!(
        calls[0].parent_id.as_deref(),
        Some(trace.steps[0].id.as_str())
    );
    assert_eq!(
        trace.steps[0].task_id.as_deref(),
        Some(task.id.as_str()),
        "the agent execution takes the task its call names"
    );

    assert_eq!(trace.metadata["stated_total_tokens"], 170);
    let whats: Vec<&str> = trace.repairs.iter().map(|r| r.what.as_str()).collect();
    assert_eq!(whats.len(), 2, "{whats:?}");
    assert_eq!(trace.repairs[0].path, "events[5]");
    assert!(whats[0].contains("no task_started"), "{whats:?}");
    assert_eq!(trace.repairs[1].path, "events[6].event_data.total_tokens");
    assert!(whats[1]
        .starts_with("crew_kickoff_completed says 170 tokens; the 1 LLM call(s) carry no usage"));
}

// --- Shapes -----------------------------------------------------------------------------

/// The same eight old-style events (1.4-style, no links, no usage) in three shapes.
fn assert_writer_crew(trace: &Trace) {
    assert_eq!(trace.name, "writer crew");
    assert_eq!(trace.id, "o1");
    assert_eq!(trace.status, Status::Completed);
    assert_eq!(trace.final_output, Some("Autumn moonlight".into()));
    assert_eq!(trace.tasks.len(), 1);
    assert_eq!(trace.tasks[0].name, "haiku");
    assert_eq!(
        trace.tasks[0].agent_id.as_deref(),
        Some("Poet"),
        "no agent_id: the role is the id"
    );
    let ids: Vec<&str> = trace.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["o3", "o4"]);
    assert_eq!(trace.steps[1].parent_id.as_deref(), Some("o3"));
    assert_eq!(
        trace.steps[1].end_ns,
        trace.steps[1].start_ns.map(|t| t + 10_000_000)
    );
    assert_eq!(trace.metadata["stated_total_tokens"], 42);
    assert_eq!(trace.metadata["event_count"], 8);
}

#[test]
fn a_bare_list_of_events_imports() {
    let trace = fixture("bare_list_of_events");
    assert_writer_crew(&trace);
    assert_eq!(trace.metadata.get("batch_metadata"), None);
}

#[test]
fn two_concatenated_batches_make_one_trace() {
    let trace = fixture("two_concatenated_batches");
    assert_writer_crew(&trace);
    let sequences: Vec<&serde_json::Value> = trace.metadata["batch_metadata"]
        .as_array()
        .expect("both batches' metadata")
        .iter()
        .map(|m| &m["batch_sequence"])
        .collect();
    assert_eq!(sequences, [1, 2]);
}

#[test]
fn a_list_of_batches_makes_one_trace() {
    let trace = fixture("list_of_batches");
    assert_writer_crew(&trace);
}

#[test]
fn one_event_per_line_is_a_trace_too() {
    let text = std::fs::read_to_string(format!(
        "{}/../../tests/fixtures/crewai/bare_list_of_events.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("readable");
    let events: Vec<serde_json::Value> = serde_json::from_str(&text).expect("valid");
    let lines: Vec<String> = events.iter().map(|e| e.to_string()).collect();
    let trace = only_trace(lines.join("\n").as_bytes());
    assert_writer_crew(&trace);
}

#[test]
fn other_formats_lists_are_not_claimed() {
    // A LangSmith run has `events` too, of another shape.
    let langsmith =
        r#"{"id": "r", "run_type": "chain", "events": [{"name": "start", "time": "x"}]}"#;
    assert!(matches!(detect_one(langsmith), Detection::Incompatible));
    let langsmith_list = r#"[{"id": "r", "run_type": "llm", "events": []}]"#;
    assert!(matches!(
        detect_one(langsmith_list),
        Detection::Incompatible
    ));
    let jaeger_list = r#"[{"traceID": "a", "spans": []}]"#;
    assert!(matches!(detect_one(jaeger_list), Detection::Incompatible));
    let numbers = "[1, 2, 3]";
    assert!(matches!(detect_one(numbers), Detection::Incompatible));
    let other_events = r#"{"events": [{"name": "x"}]}"#;
    assert!(matches!(detect_one(other_events), Detection::Incompatible));
    let mixed = r#"[{"event_id": "a", "type": "x"}, {"events": [], "batch_metadata": {}}]"#;
    assert!(matches!(detect_one(mixed), Detection::Incompatible));
}

// --- Modern clients: sequence, links and usage -----------------------------------------

#[test]
fn a_modern_batch_pairs_by_started_event_id_and_sums_usage() {
    let trace = fixture("modern_batch_with_links_and_usage");
    assert_eq!(trace.name, "research crew");
    assert_eq!(
        trace.input,
        Some(RawJson::from(serde_json::json!({"topic": "bees"})))
    );
    assert!(trace.repairs.is_empty(), "{:?}", trace.repairs);

    let calls = steps_of(&trace, StepKind::LlmCall);
    assert_eq!(calls.len(), 2);
    // Overlapping calls: order alone would close llm-1 with llm-2's end.
    assert_eq!(
        (calls[0].id.as_str(), calls[0].model.as_deref()),
        ("llm-1", Some("gpt-4o-mini"))
    );
    assert_eq!(calls[0].output, Some("first answer".into()));
    assert_eq!(
        calls[0].usage,
        Usage {
            input_tokens: Some(100),
            output_tokens: Some(20),
            cached_input_tokens: Some(40),
            reasoning_tokens: Some(0),
            ..Usage::default()
        }
    );
    assert_eq!(calls[0].duration_ns(), Some(10_000_000));
    assert_eq!(calls[1].id, "llm-2");
    assert_eq!(calls[1].output, Some("second answer".into()));
    assert_eq!(calls[1].usage.reasoning_tokens, Some(10));
    assert_eq!(calls[1].duration_ns(), Some(35_000_000));
    assert!(calls
        .iter()
        .all(|c| c.parent_id.as_deref() == Some("agent-1")));
    assert!(calls
        .iter()
        .all(|c| c.task_id.as_deref() == Some("t-research")));

    let total = summed_usage(&trace);
    assert_eq!(
        total.total_tokens(),
        Some(300),
        "equals crew_kickoff_completed.total_tokens"
    );
    assert_eq!(total.cached_input_tokens, Some(40));
    assert_eq!(total.reasoning_tokens, Some(10));
    assert_eq!(trace.metadata["stated_total_tokens"], 300);
    // Tokens sit on calls only: the agent does not repeat them.
    assert_eq!(steps_of(&trace, StepKind::Agent)[0].usage, Usage::default());

    let tool = &steps_of(&trace, StepKind::ToolCall)[0];
    assert_eq!(tool.name, "search");
    assert_eq!(
        tool.input,
        Some(RawJson::from(serde_json::json!({"q": "bees"})))
    );
    assert_eq!(tool.output, Some("Bees dance.".into()));
    assert_eq!(tool.attributes["tool_class"], "SearchTool");
    assert_eq!(tool.attributes["emission_sequence"], 7);
    assert_eq!(tool.attributes["end_event_id"], "tool-1-end");

    let agent = &trace.agents[0];
    assert_eq!(agent.id, "ag-1");
    assert_eq!(agent.models, ["gpt-4o", "gpt-4o-mini"]);
    assert_eq!(
        trace.tasks[0].output,
        Some("Bees dance, sting, and make honey.".into())
    );
}

#[test]
fn usage_that_disagrees_with_the_stated_total_is_noted_with_both_figures() {
    let input = r#"{"events": [
      {"event_id": "c", "timestamp": "2026-01-05T10:00:00+00:00", "type": "crew_kickoff_started", "event_data": {"crew_name": "c"}},
      {"event_id": "l", "timestamp": "2026-01-05T10:00:01+00:00", "type": "llm_call_started", "event_data": {"model": "m"}},
      {"event_id": "le", "timestamp": "2026-01-05T10:00:02+00:00", "type": "llm_call_completed",
       "event_data": {"usage": {"prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10}}},
      {"event_id": "ce", "timestamp": "2026-01-05T10:00:03+00:00", "type": "crew_kickoff_completed",
       "event_data": {"crew_name": "c", "total_tokens": 12}}]}"#;
    let trace = only_trace(input.as_bytes());
    assert_eq!(summed_usage(&trace).total_tokens(), Some(10));
    assert_eq!(trace.repairs.len(), 1);
    assert_eq!(trace.repairs[0].path, "events[3].event_data.total_tokens");
    assert_eq!(
        trace.repairs[0].what,
        "crew_kickoff_completed says 12 tokens; the LLM calls' usage sums to 10"
    );
}

#[test]
fn a_bad_usage_figure_names_its_path() {
    let input = r#"{"events": [
      {"event_id": "l", "timestamp": "2026-01-05T10:00:01+00:00", "type": "llm_call_started", "event_data": {}},
      {"event_id": "le", "timestamp": "2026-01-05T10:00:02+00:00", "type": "llm_call_completed",
       "event_data": {"usage": {"prompt_tokens": "many"}}}]}"#;
    assert_eq!(
        message(input),
        "CrewAI trace batch at events[1].event_data.usage.prompt_tokens: expected token counts \
         (invalid type: string \"many\", expected u64)."
    );
}

// --- Flows, tools, running traces, unknown events ---------------------------------------

#[test]
fn a_flow_makes_its_methods_tasks() {
    let trace = fixture("flow_with_methods");
    assert_eq!(trace.kind, TraceKind::Flow);
    assert_eq!(trace.name, "PoemFlow");
    assert_eq!(trace.status, Status::Completed);
    assert_eq!(
        trace.input,
        Some(RawJson::from(serde_json::json!({"mood": "calm"})))
    );
    assert_eq!(trace.final_output, Some("Waves".into()));

    let names: Vec<&str> = trace.tasks.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["pick_topic", "write_poem"]);
    assert_eq!(trace.tasks[0].output, Some("the sea".into()));
    assert_eq!(
        trace.tasks[1].input,
        Some(RawJson::from(serde_json::json!({"topic": "the sea"})))
    );
    let write_poem = &trace.tasks[1];
    assert_eq!(
        write_poem
            .end_ns
            .zip(write_poem.start_ns)
            .map(|(end, start)| end - start),
        Some(50_000_000)
    );

    // The crew inside write_poem is a span, its call nested in it.
    let crew = &steps_of(&trace, StepKind::Span)[0];
    assert_eq!(crew.name, "poem crew");
    assert_eq!(crew.task_id.as_deref(), Some("write_poem"));
    let call = &steps_of(&trace, StepKind::LlmCall)[0];
    assert_eq!(call.parent_id.as_deref(), Some(crew.id.as_str()));
    assert_eq!(call.task_id.as_deref(), Some("write_poem"));
    assert_eq!(trace.metadata["stated_total_tokens"], 0);
    assert!(trace.repairs.is_empty(), "{:?}", trace.repairs);
}

#[test]
fn a_tool_error_fails_that_call_and_the_retry_succeeds() {
    let trace = fixture("tool_error_then_retry");
    let tools = steps_of(&trace, StepKind::ToolCall);
    assert_eq!(tools.len(), 2);
    assert_eq!(tools[0].status, Status::Failed);
    assert_eq!(
        tools[0].error.as_ref().map(|e| e.message.as_str()),
        Some("division by zero")
    );
    assert_eq!(
        tools[0].input,
        Some(RawJson::from(serde_json::json!({"expr": "1/0"})))
    );
    assert_eq!(tools[0].duration_ns(), Some(10_000_000));
    assert_eq!(tools[1].status, Status::Completed);
    assert_eq!(tools[1].output, Some("1".into()));
    assert_eq!(tools[1].attributes["run_attempts"], 2);
    assert!(tools.iter().all(|t| t.parent_id.as_deref() == Some("r2")));
    assert_eq!(
        trace.status,
        Status::Completed,
        "a retried tool does not fail the run"
    );
}

#[test]
fn a_trace_without_end_events_is_running() {
    let trace = fixture("running_trace_without_end_events");
    assert_eq!(trace.status, Status::Running);
    assert_eq!(trace.end_ns, None);
    assert_eq!(trace.tasks[0].status, Status::Running);
    assert!(trace
        .steps
        .iter()
        .all(|s| s.status == Status::Running && s.end_ns.is_none()));
    let paths: Vec<&str> = trace.repairs.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(paths, ["events[0]", "events[1]", "events[2]", "events[3]"]);
    assert_eq!(
        trace.repairs[3].what,
        "llm_call_started has no end event; it is shown as running"
    );
}

#[test]
fn unknown_event_types_are_kept_as_other_steps() {
    let trace = fixture("unknown_event_types");
    let others = steps_of(&trace, StepKind::Other);
    assert_eq!(others.len(), 2);
    assert_eq!(others[0].name, "telepathy_detected");
    assert_eq!(others[0].attributes["strength"], 9);
    assert_eq!(others[0].attributes["source"], "moon");
    assert_eq!(
        others[0].duration_ns(),
        Some(0),
        "a one-off event is an instant"
    );
    assert_eq!(
        others[1].name, "dream",
        "a start/end pair of an unknown kind is one step"
    );
    assert_eq!(others[1].attributes["vividness"], "high");
    assert_eq!(others[1].duration_ns(), Some(10_000_000));
    assert!(trace.repairs.is_empty(), "{:?}", trace.repairs);
}

#[test]
fn reasoning_memory_knowledge_and_guardrails_get_their_kinds() {
    let trace = fixture("reasoning_memory_knowledge_guardrail");
    let reasoning = &steps_of(&trace, StepKind::Reasoning)[0];
    assert_eq!(reasoning.output, Some("1. look 2. act".into()));
    assert_eq!(reasoning.attributes["ready"], true);
    let memory = &steps_of(&trace, StepKind::Memory)[0];
    assert_eq!(memory.input, Some("past plans".into()));
    assert_eq!(
        memory.output,
        Some(RawJson::from(serde_json::json!(["plan A"])))
    );
    let knowledge = &steps_of(&trace, StepKind::Knowledge)[0];
    assert_eq!(knowledge.status, Status::Failed);
    assert_eq!(
        knowledge.error.as_ref().map(|e| e.message.as_str()),
        Some("index missing")
    );
    let guardrail = &steps_of(&trace, StepKind::Guardrail)[0];
    assert_eq!(guardrail.status, Status::Failed, "success: false");
    assert_eq!(
        guardrail.error.as_ref().map(|e| e.message.as_str()),
        Some("swore twice")
    );
    let agent = &steps_of(&trace, StepKind::Agent)[0];
    assert!(trace
        .steps
        .iter()
        .filter(|s| s.kind != StepKind::Agent)
        .all(|s| s.parent_id.as_deref() == Some(agent.id.as_str())));
}

#[test]
fn an_end_without_its_start_is_kept_and_noted() {
    let input = r#"[{"event_id": "x", "timestamp": "2026-01-05T10:00:02+00:00",
        "type": "tool_usage_finished", "event_data": {"tool_name": "search", "output": "ok"}}]"#;
    let trace = only_trace(input.as_bytes());
    let tool = &trace.steps[0];
    assert_eq!(
        (tool.kind, tool.status),
        (StepKind::ToolCall, Status::Completed)
    );
    assert_eq!(tool.start_ns, None);
    assert_eq!(trace.repairs[0].path, "[0]");
    assert_eq!(
        trace.repairs[0].what,
        "tool_usage_finished has no tool_usage_started before it; it is kept with no start time"
    );
}

#[test]
fn a_missing_parent_falls_back_to_the_scope_and_is_noted() {
    let input = r#"{"events": [
      {"event_id": "a", "timestamp": "2026-01-05T10:00:00+00:00", "type": "agent_execution_started",
       "event_data": {"agent_role": "R"}},
      {"event_id": "l", "timestamp": "2026-01-05T10:00:01+00:00", "type": "llm_call_started",
       "parent_event_id": "ghost", "event_data": {}}]}"#;
    let trace = only_trace(input.as_bytes());
    assert_eq!(trace.steps[1].parent_id.as_deref(), Some("a"));
    assert_eq!(trace.repairs[0].path, "events[1].parent_event_id");
}

// --- Bad input --------------------------------------------------------------------------

#[test]
fn truncated_json_gives_line_and_column() {
    let input = "{\"events\": [\n  {\"event_id\": \"a\", \"type\": \"crew_kickoff_started\", ";
    assert_eq!(
        message(input),
        "The file is not valid JSON at line 2, column 52: EOF while parsing an object."
    );
}

#[test]
fn an_event_without_a_type_names_its_path() {
    let path = format!(
        "{}/../../tests/fixtures/crewai/event_missing_type.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).expect("readable");
    assert_eq!(
        message(&text),
        "CrewAI trace batch at events[1]: expected valid content (missing field `type`)."
    );
}

#[test]
fn a_bad_timestamp_names_its_path() {
    let input = r#"{"events": [{"event_id": "a", "timestamp": "yesterday", "type": "x"}], "batch_metadata": {}}"#;
    assert_eq!(
        message(input),
        "CrewAI trace batch at events[0].timestamp: expected an ISO 8601 time such as \
         \"2025-11-29T03:12:24.774266+00:00\", not \"yesterday\"."
    );
}

#[test]
fn a_batch_with_no_events_is_refused() {
    let input = r#"{"events": [], "batch_metadata": {"events_count": 0}}"#;
    assert_eq!(
        message(input),
        "CrewAI trace batch at events: expected at least one CrewAI event."
    );
}

#[test]
fn a_wrong_type_in_a_later_batch_names_its_line() {
    let input = "{\"events\": [], \"batch_metadata\": {}}\n{\"events\": [{\"type\": 5}], \"batch_metadata\": {}}";
    assert_eq!(
        message(input),
        "CrewAI trace batch at line 2, events[0].type: expected valid content \
         (invalid type: integer `5`, expected a string)."
    );
}

#[test]
fn an_error_is_an_import_error_not_a_panic() {
    let input = r#"{"events": [{"event_id": 1, "type": "x"}], "batch_metadata": {}}"#;
    assert!(matches!(
        import_bytes(input.as_bytes()),
        Err(ImportError::Invalid {
            format: SourceFormat::CrewAi,
            ..
        })
    ));
}
