//! The OpenTelemetry GenAI conventions of 2025–2026 (messages in parts form, the new
//! operation names, usage parts, conversation ids) and OpenInference's span kinds, read
//! natively; and the older GenAI forms still read as before. The fixtures are built from
//! the conventions' own text (see tests/fixtures/schemas/SOURCES.md).
#![cfg(not(target_arch = "wasm32"))]

use serde_json::{json, Value};
use stepwise_core::conversation::{conversation_id, CONVERSATION_ID};
use stepwise_core::import::import_bytes;
use stepwise_core::metrics::summarize;
use stepwise_core::model::{RawJson, Status, Step, StepKind, Trace};
use stepwise_core::pricing::{estimate_costs, PriceTable};

fn read(path: &str) -> Vec<u8> {
    let path = format!("{}/../../tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

fn only_trace(path: &str) -> Trace {
    let mut traces = import_bytes(&read(path)).expect("imports");
    assert_eq!(traces.len(), 1, "one trace");
    traces.remove(0)
}

fn step<'a>(trace: &'a Trace, id: &str) -> &'a Step {
    trace.step(id).unwrap_or_else(|| panic!("no step {id}"))
}

/// The span attribute `key` of span `span_id` in an OTLP fixture, as JSON: a JSON string
/// is the JSON it holds; a structured value (`arrayValue`, `kvlistValue`) the JSON it is.
fn span_attribute(fixture: &[u8], span_id: &str, key: &str) -> Value {
    fn plain(value: &Value) -> Value {
        let Some(map) = value.as_object() else {
            return Value::Null;
        };
        if let Some(text) = map.get("stringValue").and_then(Value::as_str) {
            return serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.into()));
        }
        if let Some(values) = value
            .pointer("/arrayValue/values")
            .and_then(Value::as_array)
        {
            return Value::Array(values.iter().map(plain).collect());
        }
        if let Some(values) = value
            .pointer("/kvlistValue/values")
            .and_then(Value::as_array)
        {
            return Value::Object(
                values
                    .iter()
                    .map(|pair| {
                        (
                            pair["key"].as_str().unwrap_or_default().to_string(),
                            plain(&pair["value"]),
                        )
                    })
                    .collect(),
            );
        }
        if let Some(text) = map.get("intValue").and_then(Value::as_str) {
            return json!(text.parse::<i64>().expect("an integer"));
        }
        map.get("doubleValue")
            .or(map.get("boolValue"))
            .cloned()
            .unwrap_or(Value::Null)
    }
    let document: Value = serde_json::from_slice(fixture).expect("JSON");
    let spans = document["resourceSpans"][0]["scopeSpans"][0]["spans"]
        .as_array()
        .expect("spans");
    let span = spans
        .iter()
        .find(|span| span["spanId"] == span_id)
        .unwrap_or_else(|| panic!("no span {span_id}"));
    let attributes = span["attributes"].as_array().expect("attributes");
    let pair = attributes
        .iter()
        .find(|pair| pair["key"] == key)
        .unwrap_or_else(|| panic!("span {span_id} has no {key}"));
    plain(&pair["value"])
}

fn schema(name: &str) -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_slice(&read(&format!("schemas/{name}"))).expect("a JSON schema");
    jsonschema::validator_for(&schema).expect("a valid schema")
}

fn schema_errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|error| format!("{error} at {}", error.instance_path()))
        .collect()
}

/// What the UI's conversation view reads as an LLM call's input: the system
/// instructions as a leading system message, then the input messages, in parts form.
fn with_system(system: &Value, messages: &Value) -> Value {
    let mut all = vec![json!({"role": "system", "parts": system})];
    all.extend(messages.as_array().expect("messages").iter().cloned());
    Value::Array(all)
}

const MESSAGES: &str = "otlp/genai-2026-messages.from-semconv.json";

#[test]
fn operation_names_give_their_kinds() {
    let trace = only_trace(MESSAGES);
    assert_eq!(trace.name, "travel-desk", "gen_ai.workflow.name");
    let kinds: Vec<(&str, StepKind)> = trace
        .steps
        .iter()
        .map(|step| (step.id.as_str(), step.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("a000000000000001", StepKind::Span),
            ("a000000000000002", StepKind::Agent),
            ("a000000000000003", StepKind::Agent),
            ("a000000000000004", StepKind::Plan),
            ("a000000000000005", StepKind::Memory),
            ("a000000000000006", StepKind::Embedding),
            ("a000000000000007", StepKind::Retrieval),
            ("a000000000000008", StepKind::LlmCall),
            ("a000000000000009", StepKind::ToolCall),
            ("a00000000000000a", StepKind::LlmCall),
            ("a00000000000000b", StepKind::LlmCall),
            ("a00000000000000c", StepKind::Memory),
            ("a000000000000008#reasoning", StepKind::Reasoning),
        ]
    );
}

#[test]
fn retrieval_and_memory_show_what_they_looked_for_and_found() {
    let fixture = read(MESSAGES);
    let trace = only_trace(MESSAGES);
    for (id, query, found) in [
        (
            "a000000000000007",
            "gen_ai.retrieval.query.text",
            "gen_ai.retrieval.documents",
        ),
        (
            "a000000000000005",
            "gen_ai.memory.query.text",
            "gen_ai.memory.records",
        ),
    ] {
        let step = step(&trace, id);
        assert_eq!(
            step.input.as_ref().map(RawJson::parse),
            Some(span_attribute(&fixture, id, query)),
            "{id}: {query}"
        );
        assert_eq!(
            step.output.as_ref().map(RawJson::parse),
            Some(span_attribute(&fixture, id, found)),
            "{id}: {found}"
        );
    }
}

#[test]
fn messages_are_the_call_input_and_output_in_parts_form() {
    let fixture = read(MESSAGES);
    let trace = only_trace(MESSAGES);
    let (inputs, outputs) = (
        schema("otel-genai-schema-input-messages.json"),
        schema("otel-genai-schema-output-messages.json"),
    );
    // The first call's messages are JSON strings, the second's structured values.
    for id in ["a000000000000008", "a00000000000000a"] {
        let system = span_attribute(&fixture, id, "gen_ai.system_instructions");
        let input = span_attribute(&fixture, id, "gen_ai.input.messages");
        let output = span_attribute(&fixture, id, "gen_ai.output.messages");
        assert_eq!(
            schema_errors(&inputs, &input),
            Vec::<String>::new(),
            "{id} fixture"
        );
        assert_eq!(
            schema_errors(&outputs, &output),
            Vec::<String>::new(),
            "{id} fixture"
        );

        let call = step(&trace, id);
        let expected_input = with_system(&system, &input);
        assert_eq!(
            call.input,
            Some(RawJson::from(&expected_input)),
            "{id} input"
        );
        assert_eq!(call.output, Some(RawJson::from(&output)), "{id} output");
        let imported = call.input.as_ref().map(RawJson::parse).unwrap_or_default();
        assert_eq!(
            schema_errors(&inputs, &imported),
            Vec::<String>::new(),
            "{id}: the step input is itself valid input messages"
        );
    }
    // The reasoning part is also a step of its own under the call.
    let reasoning = step(&trace, "a000000000000008#reasoning");
    assert_eq!(reasoning.parent_id.as_deref(), Some("a000000000000008"));
    assert_eq!(
        reasoning.output.as_ref().map(RawJson::parse),
        Some(json!(
            "The user wants the current weather in Paris; call get_weather."
        ))
    );
}

#[test]
fn the_operation_details_event_gives_the_messages_and_a_content_filter_fails_the_call() {
    let trace = only_trace(MESSAGES);
    let call = step(&trace, "a00000000000000b");
    let details = call.attributes["otel.events"]
        .as_array()
        .and_then(|events| {
            events
                .iter()
                .find(|event| event["name"] == "gen_ai.client.inference.operation.details")
        })
        .expect("the event is kept");
    let json_of = |key: &str| -> Value {
        serde_json::from_str(details["attributes"][key].as_str().expect(key)).expect(key)
    };
    assert_eq!(
        call.input.as_ref().map(RawJson::parse),
        Some(with_system(
            &json_of("gen_ai.system_instructions"),
            &json_of("gen_ai.input.messages")
        ))
    );
    assert_eq!(
        call.output.as_ref().map(RawJson::parse),
        Some(json_of("gen_ai.output.messages"))
    );
    assert_eq!(call.status, Status::Failed, "finish reason content_filter");
    let error = call.error.as_ref().expect("an error");
    assert_eq!(
        error.error_type.as_deref(),
        Some("finish reason content_filter")
    );
    // A tool_call finish reason is an ordinary answer.
    assert_eq!(step(&trace, "a000000000000008").status, Status::Completed);
}

#[test]
fn usage_parts_are_read_and_only_model_calls_count() {
    let trace = only_trace(MESSAGES);
    let call = step(&trace, "a000000000000008");
    assert_eq!(call.usage.input_tokens, Some(3000));
    assert_eq!(call.usage.output_tokens, Some(120));
    assert_eq!(call.usage.cached_input_tokens, Some(2048), "cache_read");
    assert_eq!(call.usage.cache_write_tokens, Some(512), "cache_creation");
    assert_eq!(call.usage.reasoning_tokens, Some(64));
    assert_eq!(call.model.as_deref(), Some("gpt-4o"));

    let embedding = step(&trace, "a000000000000006");
    assert_eq!(embedding.model.as_deref(), Some("text-embedding-3-small"));
    assert_eq!(embedding.usage.input_tokens, Some(12));
    assert_eq!(
        embedding.usage.output_tokens,
        Some(0),
        "an embedding produces no output tokens"
    );
    let agent = step(&trace, "a000000000000003");
    assert!(
        agent.usage.is_unknown(),
        "the agent repeats its calls' usage"
    );

    let summary = summarize(&trace);
    assert_eq!(summary.requests, 4, "three chats and the embeddings call");
    assert_eq!(
        summary.prompt_tokens.exact(),
        Some(3000 + 3200 + 30 + 12),
        "the agent span's 6200 not again"
    );
    assert_eq!(summary.completion_tokens.exact(), Some(120 + 40));
    assert_eq!(summary.cache_write_tokens.exact(), Some(512));
}

#[test]
fn an_embeddings_call_is_priced() {
    let mut trace = only_trace(MESSAGES);
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../public/prices.json"
    ))
    .expect("public/prices.json");
    let table = PriceTable::from_compact_json(&text).expect("valid");
    estimate_costs(&mut trace, &table);
    let embedding = step(&trace, "a000000000000006");
    let price = table
        .lookup("text-embedding-3-small")
        .expect("a price for text-embedding-3-small");
    let usd = embedding.cost.map(|cost| cost.usd).expect("a cost");
    assert!(
        (usd - 12.0 * price.1.input_usd).abs() < 1e-15,
        "12 input tokens at the table's rate: {usd}"
    );
}

#[test]
fn the_conversation_agents_and_tool_results_are_linked() {
    let trace = only_trace(MESSAGES);
    assert_eq!(
        trace.metadata.get(CONVERSATION_ID),
        Some(&json!("conv_5j66UpCpwteGg4YSxUnt7lPY"))
    );
    assert_eq!(
        conversation_id(&trace),
        Some("conv_5j66UpCpwteGg4YSxUnt7lPY"),
        "as the lists that group by conversation read it"
    );

    assert_eq!(
        trace.agents.len(),
        1,
        "create_agent, invoke_agent and plan name one agent"
    );
    let agent = &trace.agents[0];
    assert_eq!(agent.id, "asst_5j66UpCpwteGg4YSxUnt7lPY");
    assert_eq!(agent.role, "Trip Planner");
    assert_eq!(
        agent.goal.as_deref(),
        Some("Plans trips and checks the weather")
    );
    assert_eq!(agent.version.as_deref(), Some("2.1.0"));
    assert_eq!(
        step(&trace, "a000000000000008").agent_id.as_deref(),
        Some("asst_5j66UpCpwteGg4YSxUnt7lPY")
    );

    // The tool span states only its call id: its arguments come from the call's
    // tool_call part, its result from the next call's tool_call_response part.
    let tool = step(&trace, "a000000000000009");
    assert_eq!(
        tool.attributes.get("gen_ai.tool.name"),
        Some(&json!("get_weather"))
    );
    assert_eq!(
        tool.input.as_ref().map(RawJson::parse),
        Some(json!({"location": "Paris"}))
    );
    assert_eq!(
        tool.output.as_ref().map(RawJson::parse),
        Some(json!("rainy, 57°F"))
    );
}

#[test]
fn openinference_kinds_and_token_details() {
    let trace = only_trace("otlp/openinference-kinds.from-spec.json");
    let kinds: Vec<StepKind> = trace.steps.iter().map(|step| step.kind).collect();
    assert_eq!(
        kinds,
        [
            StepKind::Span,
            StepKind::Prompt,
            StepKind::Embedding,
            StepKind::Retrieval,
            StepKind::Reranker,
            StepKind::Decision,
            StepKind::LlmCall,
            StepKind::Guardrail,
            StepKind::Evaluator,
        ]
    );
    let embedding = step(&trace, "b000000000000003");
    assert_eq!(embedding.model.as_deref(), Some("text-embedding-3-small"));
    assert_eq!(
        (embedding.usage.input_tokens, embedding.usage.output_tokens),
        (Some(7), Some(0))
    );
    assert_eq!(
        embedding.input.as_ref().map(RawJson::parse),
        Some(json!([{"text": "How do I reset my router?"}])),
        "the texts embedded"
    );
    let retriever = step(&trace, "b000000000000004");
    assert_eq!(
        retriever.output.as_ref().map(RawJson::parse),
        Some(json!([
            {"id": "kb-17", "score": 0.91, "content": "Hold the reset button for 10 seconds."},
            {"id": "kb-3", "score": 0.42, "content": "Routers blink when updating."}
        ])),
        "the documents found"
    );
    let reranker = step(&trace, "b000000000000005");
    assert_eq!(
        reranker.output.as_ref().map(RawJson::parse),
        Some(json!([{"id": "kb-17", "score": 7.2}])),
        "the documents kept"
    );
    let decision = step(&trace, "b000000000000006");
    assert_eq!(
        decision.output.as_ref().map(RawJson::parse),
        Some(json!({
            "name": "route",
            "choice": "answer_from_context",
            "options": "[\"answer_from_context\", \"escalate_to_human\"]"
        })),
        "the decision taken, as its decision.* attributes"
    );
    let call = step(&trace, "b000000000000007");
    let usage = call.usage;
    assert_eq!(usage.input_tokens, Some(1200));
    assert_eq!(usage.output_tokens, Some(300));
    assert_eq!(usage.cached_input_tokens, Some(1024));
    assert_eq!(usage.cache_write_tokens, Some(128));
    assert_eq!(usage.audio_input_tokens, Some(40));
    assert_eq!(usage.reasoning_tokens, Some(100));
    assert_eq!(usage.audio_output_tokens, Some(60));
    let evaluator = step(&trace, "b000000000000009");
    assert_eq!(
        evaluator.output.as_ref().map(RawJson::parse),
        Some(json!({"label": "relevant", "score": 1}))
    );
    let summary = summarize(&trace);
    assert_eq!(summary.prompt_tokens.exact(), Some(1200 + 7));
}

#[test]
fn the_old_message_events_and_attributes_are_still_read() {
    let trace = only_trace("otlp/genai-old-message-events.from-semconv.json");
    let kinds: Vec<StepKind> = trace.steps.iter().map(|step| step.kind).collect();
    assert_eq!(kinds, [StepKind::LlmCall; 3]);

    let events = step(&trace, "c000000000000001");
    assert_eq!(
        events.input.as_ref().map(RawJson::parse),
        Some(json!([
            {"role": "system", "content": "You are terse."},
            {"role": "user", "content": "Weather in Paris?"},
            {"role": "assistant", "tool_calls": "[{\"id\": \"call_1\", \"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"arguments\": \"{\\\"location\\\": \\\"Paris\\\"}\"}}]"},
            {"role": "tool", "id": "call_1", "content": "rainy, 57°F"}
        ]))
    );
    assert_eq!(
        events.output.as_ref().map(RawJson::parse),
        Some(json!([
            {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Rainy, 57°F."}}
        ]))
    );
    assert_eq!(
        (events.usage.input_tokens, events.usage.output_tokens),
        (Some(20), Some(5))
    );

    let content_events = step(&trace, "c000000000000002");
    assert_eq!(
        content_events.input.as_ref().map(RawJson::parse),
        Some(json!([{"role": "user", "content": "Hi"}]))
    );
    assert_eq!(
        content_events.output.as_ref().map(RawJson::parse),
        Some(json!([{"role": "assistant", "content": "Hello."}]))
    );
    assert_eq!(
        (
            content_events.usage.input_tokens,
            content_events.usage.output_tokens
        ),
        (Some(9), Some(2)),
        "prompt_tokens and completion_tokens"
    );

    let attributes = step(&trace, "c000000000000003");
    assert_eq!(
        attributes.input.as_ref().map(RawJson::parse),
        Some(json!("Say hi"))
    );
    assert_eq!(
        attributes.output.as_ref().map(RawJson::parse),
        Some(json!("hi"))
    );
    assert!(attributes.usage.is_unknown(), "no counts: unknown, not 0");
}

#[test]
fn system_instructions_alone_or_as_text_still_lead_the_input() {
    let document = |attributes: &str| {
        format!(
            r#"{{"resourceSpans": [{{"scopeSpans": [{{"spans": [
                {{"traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "0000000000000001",
                  "name": "chat gpt-4o", "startTimeUnixNano": "1000", "endTimeUnixNano": "2000",
                  "attributes": [{attributes}]}}]}}]}}]}}"#
        )
    };
    let input_of = |attributes: &str| {
        let traces = import_bytes(document(attributes).as_bytes()).expect("imports");
        traces[0].steps[0].input.as_ref().map(RawJson::parse)
    };
    assert_eq!(
        input_of(r#"{"key": "gen_ai.system_instructions", "value": {"stringValue": "Be brief."}}"#),
        Some(json!([{"role": "system", "parts": [{"type": "text", "content": "Be brief."}]}])),
        "plain text, and no input messages"
    );
    assert_eq!(
        input_of(
            r#"{"key": "gen_ai.system_instructions", "value": {"stringValue": "[{\"type\": \"text\", \"content\": \"Be brief.\"}]"}},
               {"key": "gen_ai.input.messages", "value": {"stringValue": " [ ] "}}"#
        ),
        Some(json!([{"role": "system", "parts": [{"type": "text", "content": "Be brief."}]}])),
        "an empty message list"
    );
    assert_eq!(
        input_of(
            r#"{"key": "gen_ai.system_instructions", "value": {"stringValue": "Be brief."}},
               {"key": "llm.input_messages.0.message.role", "value": {"stringValue": "user"}},
               {"key": "llm.input_messages.0.message.content", "value": {"stringValue": "Hi"}}"#
        ),
        Some(json!([{"role": "user", "content": "Hi"}])),
        "messages of an older form are the input; instructions alone do not hide them"
    );
}

#[test]
fn system_instructions_on_the_span_lead_messages_on_the_event() {
    let document = r#"{"resourceSpans": [{"scopeSpans": [{"spans": [
        {"traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "0000000000000001",
         "name": "chat gpt-4o", "startTimeUnixNano": "1000", "endTimeUnixNano": "2000",
         "attributes": [{"key": "gen_ai.system_instructions", "value": {"stringValue": "Be brief."}}],
         "events": [{"name": "gen_ai.client.inference.operation.details", "timeUnixNano": "2000",
           "attributes": [{"key": "gen_ai.input.messages", "value": {"stringValue":
             "[{\"role\": \"user\", \"parts\": [{\"type\": \"text\", \"content\": \"Hi\"}]}]"}}]}]}]}]}]}"#;
    let traces = import_bytes(document.as_bytes()).expect("imports");
    assert_eq!(
        traces[0].steps[0].input.as_ref().map(RawJson::parse),
        Some(json!([
            {"role": "system", "parts": [{"type": "text", "content": "Be brief."}]},
            {"role": "user", "parts": [{"type": "text", "content": "Hi"}]}
        ]))
    );
}

#[test]
fn the_new_kinds_survive_export_and_the_worker_transfer() {
    let traces = vec![
        only_trace(MESSAGES),
        only_trace("otlp/openinference-kinds.from-spec.json"),
    ];
    let kinds = |traces: &[Trace]| -> Vec<Vec<StepKind>> {
        traces
            .iter()
            .map(|trace| trace.steps.iter().map(|step| step.kind).collect())
            .collect()
    };
    let document = stepwise_core::export::to_stepwise_document(&traces);
    let published: Value = serde_json::from_slice(&read("../../public/stepwise-trace.schema.json"))
        .expect("the published schema");
    let published = jsonschema::validator_for(&published).expect("a valid schema");
    assert_eq!(
        schema_errors(&published, &document),
        Vec::<String>::new(),
        "the export, new kinds and agent versions included, is valid"
    );
    let again = import_bytes(document.to_string().as_bytes()).expect("re-imports");
    assert_eq!(kinds(&again), kinds(&traces), "exported and read back");
    assert_eq!(
        again[0].metadata.get(CONVERSATION_ID),
        traces[0].metadata.get(CONVERSATION_ID)
    );

    let bytes = stepwise_core::transfer::encode(&Ok(traces.clone()));
    let decoded = stepwise_core::transfer::decode(&bytes)
        .expect("decodes")
        .expect("an import");
    assert_eq!(decoded, traces, "sent from the import worker to the page");
}

#[test]
fn cache_reads_and_writes_counted_apart_are_both_added_to_the_input() {
    // Anthropic's input count leaves out the tokens read from and written to the cache.
    let document = r#"{"resourceSpans": [{"scopeSpans": [{"spans": [
        {"traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "0000000000000001",
         "name": "chat claude-sonnet-4-5", "startTimeUnixNano": "1000", "endTimeUnixNano": "2000",
         "attributes": [
           {"key": "gen_ai.provider.name", "value": {"stringValue": "anthropic"}},
           {"key": "gen_ai.usage.input_tokens", "value": {"intValue": "12"}},
           {"key": "gen_ai.usage.output_tokens", "value": {"intValue": "80"}},
           {"key": "gen_ai.usage.cache_read.input_tokens", "value": {"intValue": "2048"}},
           {"key": "gen_ai.usage.cache_creation.input_tokens", "value": {"intValue": "512"}}]}]}]}]}"#;
    let traces = import_bytes(document.as_bytes()).expect("imports");
    let usage = traces[0].steps[0].usage;
    assert_eq!(usage.input_tokens, Some(12 + 2048 + 512));
    assert_eq!(usage.cached_input_tokens, Some(2048));
    assert_eq!(usage.cache_write_tokens, Some(512));
    assert_eq!(traces[0].repairs.len(), 1, "said, not silent");
    assert!(
        traces[0].repairs[0].what.contains("cache-write"),
        "{}",
        traces[0].repairs[0].what
    );
}
