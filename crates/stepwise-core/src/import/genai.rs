//! OpenTelemetry spans of AI agents into the model: the GenAI classifier and trace
//! assembly shared by the OTLP and Jaeger importers. Pure core.
//!
//! Conventions read here, by precedence (as in Langfuse's OTel ingestion): an explicit type (`langfuse.observation.type`), OpenInference
//! (<https://github.com/Arize-ai/openinference/blob/main/spec/semantic_conventions.md>),
//! OTel GenAI (<https://opentelemetry.io/docs/specs/semconv/gen-ai/>), OpenLLMetry
//! (`traceloop.*`, <https://github.com/traceloop/openllmetry>), AgentOps
//! (`agentops.span.kind`), then the span name (CrewAI's `Crew.kickoff` and
//! `Task._execute_core`, `"chat gpt-4o"`, `"litellm completion"`…).
//!
//! The GenAI conventions of 2025–2026 (open-telemetry/semantic-conventions-genai) are
//! read natively: `gen_ai.operation.name` gives the kind (`plan`, `retrieval`,
//! `embeddings`, `*_memory` included); `gen_ai.input.messages`, `gen_ai.output.messages`
//! and `gen_ai.system_instructions` (span attributes, or the opt-in event
//! `gen_ai.client.inference.operation.details`) are an LLM call's input and output in
//! their parts form, `[{role, parts: [...]}]`, with the system instructions leading the
//! input as `{"role": "system", "parts": [...]}` — the form the conversation view reads.
//! The older forms (`gen_ai.prompt.N.*`, `gen_ai.prompt`/`gen_ai.completion`, an event
//! per message) keep the shape their producer wrote. `gen_ai.conversation.id` goes to
//! the trace's metadata (`conversation::CONVERSATION_ID`).
//!
//! Reasoning: an output message part `{"type": "reasoning", "content": …}` is kept in the
//! call's output and also shown as a `Reasoning` child step of the call (id
//! `"<span id>#reasoning"`), so that it is visible in the step tree. Tokens and cost stay
//! on the LLM call only.

use std::fmt;
use std::sync::Arc;

use crate::fast_hash::{HashMap, HashSet};

use serde::Deserialize;
use serde_json::{Map, Value};

use super::repair::{collect_agent_models, repair_step_tree};
use known::{Key, Known};

mod known;
use crate::conversation::CONVERSATION_ID;
use crate::model::{
    Agent, Cost, CostSource, RawJson, Repair, SourceFormat, Status, Step, StepError, StepKind,
    Task, Trace, TraceKind, Usage,
};

/// The span's own status, as OTel defines it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum SpanStatus {
    #[default]
    Unset,
    Ok,
    Error,
}

/// A timed event of a span (OTLP `events`, Jaeger `logs`).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct SpanEvent {
    pub name: String,
    pub time_ns: Option<i64>,
    pub attributes: Map<String, Value>,
}

/// One span, read from its source format but not yet interpreted.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Span {
    /// Lower-case hex for OTLP.
    pub id: String,
    pub parent_id: Option<String>,
    pub name: String,
    pub start_ns: Option<i64>,
    pub end_ns: Option<i64>,
    pub status: SpanStatus,
    pub status_message: Option<String>,
    /// The span's attributes (tags), with the keys as written.
    pub attributes: Map<String, Value>,
    pub events: Vec<SpanEvent>,
    /// Where the span is in the input, for repair notes.
    pub path: SpanPath,
}

/// Where a span is in the input: the JSON path of its list and its index in it. Only
/// a repair note formats it; formatting a path for each of 100k spans up front was a
/// measurable part of the import.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct SpanPath {
    /// Shared by the spans of one list, e.g. `resourceSpans[0].scopeSpans[0].spans`.
    list: Arc<str>,
    index: usize,
}

impl SpanPath {
    pub fn new(list: &Arc<str>, index: usize) -> SpanPath {
        SpanPath {
            list: Arc::clone(list),
            index,
        }
    }
}

impl fmt::Display for SpanPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]", self.list, self.index)
    }
}

/// The spans of one trace id, with what the source said about the trace as a whole.
#[derive(Debug, Default)]
pub(crate) struct SpanTrace {
    pub id: String,
    pub spans: Vec<Span>,
    /// Resource attributes (OTLP) or process tags (Jaeger): `service.name` and so on.
    pub metadata: Map<String, Value>,
    /// Repairs the format reader already made.
    pub repairs: Vec<Repair>,
}

/// Trace metadata gathered from several resources (OTLP) or processes (Jaeger): a key
/// with one value keeps it; a key whose value differs between them (two services in
/// one trace) lists every value, in order of first appearance.
#[derive(Debug, Default)]
pub(crate) struct MetadataBuilder {
    values: Vec<(String, Vec<Value>)>,
    index_of: HashMap<String, usize>,
}

impl MetadataBuilder {
    pub fn add(&mut self, key: &str, value: &Value) {
        match self.index_of.get(key) {
            Some(&index) => {
                let known = &mut self.values[index].1;
                if !known.contains(value) {
                    known.push(value.clone());
                }
            }
            None => {
                self.index_of.insert(key.to_string(), self.values.len());
                self.values.push((key.to_string(), vec![value.clone()]));
            }
        }
    }

    pub fn add_all(&mut self, attributes: &Map<String, Value>) {
        for (key, value) in attributes {
            self.add(key, value);
        }
    }

    pub fn build(self) -> Map<String, Value> {
        self.values
            .into_iter()
            .map(|(key, mut values)| {
                let value = if values.len() == 1 {
                    values.pop().unwrap_or(Value::Null)
                } else {
                    Value::Array(values)
                };
                (key, value)
            })
            .collect()
    }
}

/// Spans grouped by trace id, in the order the trace ids first appear: one trace may
/// be spread over several resources, lines or Jaeger trace objects.
#[derive(Default)]
pub(crate) struct TraceGroups {
    list: Vec<(SpanTrace, MetadataBuilder)>,
    index_of: HashMap<String, usize>,
}

impl TraceGroups {
    /// Adds a span, and what its resource (process) says, to the trace `trace_id`.
    pub fn add(&mut self, trace_id: &str, span: Span, resource: &Map<String, Value>) {
        let index = self.index_for(trace_id);
        let (trace, metadata) = &mut self.list[index];
        metadata.add_all(resource);
        trace.spans.push(span);
    }

    /// `add` for the spans of one resource, which merges the resource into each trace
    /// only once: merging is idempotent (a value already listed is not added again), so
    /// the metadata is the same, without a pass over the resource's attributes per span.
    /// `merged` is the traces this resource was merged into, empty for a new resource.
    pub fn add_from_resource(
        &mut self,
        trace_id: &str,
        span: Span,
        resource: &Map<String, Value>,
        merged: &mut Vec<usize>,
    ) {
        let index = self.index_for(trace_id);
        let (trace, metadata) = &mut self.list[index];
        // A resource's spans nearly always belong to one trace or a few: a short list.
        if !merged.contains(&index) {
            metadata.add_all(resource);
            merged.push(index);
        }
        trace.spans.push(span);
    }

    /// The index of the trace `trace_id`, which is added if new.
    fn index_for(&mut self, trace_id: &str) -> usize {
        match self.index_of.get(trace_id) {
            Some(&index) => index,
            None => {
                self.index_of.insert(trace_id.to_string(), self.list.len());
                self.list.push((
                    SpanTrace {
                        id: trace_id.to_string(),
                        ..SpanTrace::default()
                    },
                    MetadataBuilder::default(),
                ));
                self.list.len() - 1
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn build(self, format: SourceFormat) -> Vec<Trace> {
        self.list
            .into_iter()
            .map(|(trace, metadata)| {
                build_trace(
                    SpanTrace {
                        metadata: metadata.build(),
                        ..trace
                    },
                    format,
                )
            })
            .collect()
    }
}

/// What a span is, before the tree is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SpanClass {
    Step(StepKind),
    /// The run itself (`invoke_workflow`, an OpenLLMetry workflow, `Crew.kickoff`): a
    /// span step whose name, input and output also describe the trace.
    Workflow,
    /// Nothing says what it is.
    Unknown,
}

/// Classifies a span by its attributes, then its name, in the precedence of the module comment.
#[cfg(test)]
pub(crate) fn classify(name: &str, attributes: &Map<String, Value>) -> SpanClass {
    classify_known(name, &Known::new(attributes))
}

fn classify_known(name: &str, known: &Known) -> SpanClass {
    let text = |key: Key| known_text(known, key).map(str::to_ascii_lowercase);
    if let Some(class) = text(Key::langfuse_observation_type).and_then(|t| langfuse_class(&t)) {
        return class;
    }
    // OpenInference's CrewAI instrumentation marks `Task._execute_core` as AGENT and
    // `Crew.kickoff` as CHAIN; CrewAI's own names say more, so they come first.
    if let Some(class) = crewai_class(name) {
        return class;
    }
    if let Some(class) = text(Key::openinference_span_kind).and_then(|t| openinference_class(&t)) {
        return class;
    }
    if let Some(class) = text(Key::gen_ai_operation_name).and_then(|t| operation_class(&t)) {
        return class;
    }
    if let Some(class) = text(Key::traceloop_span_kind).and_then(|t| traceloop_class(&t)) {
        return class;
    }
    if text(Key::llm_request_type).is_some() {
        // OpenLLMetry marks its LLM spans with the request type (chat, completion…).
        return SpanClass::Step(StepKind::LlmCall);
    }
    if let Some(class) = text(Key::agentops_span_kind).and_then(|t| agentops_class(&t)) {
        return class;
    }
    name_class(name)
}

fn langfuse_class(kind: &str) -> Option<SpanClass> {
    Some(SpanClass::Step(match kind {
        "generation" => StepKind::LlmCall,
        "embedding" => StepKind::Embedding,
        "agent" => StepKind::Agent,
        "tool" => StepKind::ToolCall,
        "retriever" => StepKind::Retrieval,
        "guardrail" => StepKind::Guardrail,
        "evaluator" => StepKind::Evaluator,
        "chain" | "span" => StepKind::Span,
        "event" => StepKind::Other,
        _ => return None,
    }))
}

fn crewai_class(name: &str) -> Option<SpanClass> {
    match name {
        "Crew.kickoff" | "Crew.kickoff_async" | "Flow.kickoff" | "Flow.kickoff_async" => {
            Some(SpanClass::Workflow)
        }
        "Task._execute_core" | "Task.execute_sync" | "Task.execute_async" => {
            Some(SpanClass::Step(StepKind::Task))
        }
        "Agent.execute_task" => Some(SpanClass::Step(StepKind::Agent)),
        "ToolUsage._use" | "ToolUsage.use" => Some(SpanClass::Step(StepKind::ToolCall)),
        _ => None,
    }
}

fn openinference_class(kind: &str) -> Option<SpanClass> {
    Some(SpanClass::Step(match kind {
        "llm" => StepKind::LlmCall,
        "embedding" => StepKind::Embedding,
        "tool" => StepKind::ToolCall,
        "agent" => StepKind::Agent,
        "chain" => StepKind::Span,
        "prompt" => StepKind::Prompt,
        "retriever" => StepKind::Retrieval,
        "reranker" => StepKind::Reranker,
        "guardrail" => StepKind::Guardrail,
        "evaluator" => StepKind::Evaluator,
        "decision" => StepKind::Decision,
        _ => return None,
    }))
}

/// `gen_ai.operation.name`, as the GenAI conventions list its values (2025–2026).
fn operation_class(operation: &str) -> Option<SpanClass> {
    Some(match operation {
        "chat" | "text_completion" | "generate_content" | "completion" => {
            SpanClass::Step(StepKind::LlmCall)
        }
        "embeddings" => SpanClass::Step(StepKind::Embedding),
        "execute_tool" => SpanClass::Step(StepKind::ToolCall),
        "invoke_agent" | "create_agent" => SpanClass::Step(StepKind::Agent),
        "invoke_workflow" => SpanClass::Workflow,
        "plan" => SpanClass::Step(StepKind::Plan),
        "retrieval" => SpanClass::Step(StepKind::Retrieval),
        // search_memory, update_memory, create_memory, delete_memory, and any later one.
        memory if memory.ends_with("_memory") => SpanClass::Step(StepKind::Memory),
        _ => return None,
    })
}

fn traceloop_class(kind: &str) -> Option<SpanClass> {
    Some(match kind {
        "workflow" => SpanClass::Workflow,
        "task" => SpanClass::Step(StepKind::Task),
        "agent" => SpanClass::Step(StepKind::Agent),
        "tool" => SpanClass::Step(StepKind::ToolCall),
        "llm" => SpanClass::Step(StepKind::LlmCall),
        _ => return None,
    })
}

fn agentops_class(kind: &str) -> Option<SpanClass> {
    Some(match kind {
        "session" | "workflow" => SpanClass::Workflow,
        "task" => SpanClass::Step(StepKind::Task),
        "agent" => SpanClass::Step(StepKind::Agent),
        "tool" => SpanClass::Step(StepKind::ToolCall),
        "llm" => SpanClass::Step(StepKind::LlmCall),
        "team" => SpanClass::Step(StepKind::Span),
        _ => return None,
    })
}

/// Span names that say what they are: `"{operation} {model}"` (OTel GenAI),
/// `"{entity}.{kind}"` (OpenLLMetry), `"openai.chat"`, `"litellm completion"`.
fn name_class(name: &str) -> SpanClass {
    let lower = name.trim().to_ascii_lowercase();
    let first_word = lower.split_whitespace().next().unwrap_or_default();
    if let Some(class) = operation_class(first_word) {
        // Plain words among the operations are taken only as the conventions write them
        // (`plan Trip Planner`): "Plan the next step" is a title, not the `plan` operation.
        let plain_word = matches!(
            class,
            SpanClass::Step(StepKind::Plan | StepKind::Retrieval | StepKind::Memory)
        );
        let as_written = name.split_whitespace().next() == Some(first_word);
        if !plain_word || as_written {
            return class;
        }
    }
    // Only dotted identifiers: "POST /v1/chat.completions" is an HTTP call, not an LLM call.
    let dotted = !lower.contains([' ', '/']);
    if let Some((_, kind)) = lower.rsplit_once('.').filter(|_| dotted) {
        if let Some(class) = traceloop_class(kind) {
            return class;
        }
        if matches!(kind, "chat" | "completion" | "completions") {
            return SpanClass::Step(StepKind::LlmCall);
        }
        if kind == "embeddings" {
            return SpanClass::Step(StepKind::Embedding);
        }
    }
    if matches!(
        lower.as_str(),
        "litellm completion" | "litellm acompletion" | "completion" | "acompletion"
    ) {
        return SpanClass::Step(StepKind::LlmCall);
    }
    SpanClass::Unknown
}

// ---------------------------------------------------------------------------
// Attribute readers: values arrive as whatever the producer chose (numbers as strings…).

fn text_value(value: Option<&Value>) -> Option<&str> {
    match value? {
        Value::String(text) if !text.trim().is_empty() => Some(text.as_str()),
        _ => None,
    }
}

fn text_attr<'a>(attributes: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    text_value(attributes.get(key))
}

fn first_text(attributes: &Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter()
        .find_map(|key| text_attr(attributes, key))
        .map(str::to_string)
}

fn known_text<'a>(known: &Known<'a>, key: Key) -> Option<&'a str> {
    text_value(known.get(key))
}

fn known_first_text(known: &Known, keys: &[Key]) -> Option<String> {
    keys.iter()
        .find_map(|key| known_text(known, *key))
        .map(str::to_string)
}

/// A count: a non-negative integer, an integral float, or either written as a string.
fn count_value(value: Option<&Value>) -> Option<u64> {
    match value? {
        Value::Number(number) => number.as_u64().or_else(|| {
            let float = number.as_f64()?;
            (float.is_finite() && float >= 0.0 && float.fract() == 0.0 && float < 1.8e19)
                .then_some(float as u64)
        }),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
fn count_attr(attributes: &Map<String, Value>, key: &str) -> Option<u64> {
    count_value(attributes.get(key))
}

fn known_first_count(known: &Known, keys: &[Key]) -> Option<u64> {
    keys.iter().find_map(|key| count_value(known.get(*key)))
}

fn number_value(value: Option<&Value>) -> Option<f64> {
    match value? {
        Value::Number(number) => number.as_f64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// Free-form content: a string holding a JSON object, array or string becomes that JSON;
/// other strings stay text.
fn content_value(value: Option<&Value>) -> Option<Value> {
    match value? {
        Value::String(text) => Some(json_or_text(text)),
        Value::Null => None,
        other => Some(other.clone()),
    }
}

/// As `content_value`, but JSON text is kept as text: payloads are parsed when a step
/// is opened, not at import.
fn content_raw(value: Option<&Value>) -> Option<RawJson> {
    match value? {
        Value::String(text) => Some(json_or_text_raw(text)),
        Value::Null => None,
        other => Some(RawJson::from(other)),
    }
}

fn json_or_text_raw(text: &str) -> RawJson {
    // OpenLLMetry JSON-encodes every entity input and output, strings included.
    if text.trim_start().starts_with(['{', '[', '"']) {
        if let Some(raw) = RawJson::from_json_text(text) {
            return raw;
        }
    }
    RawJson::string(text)
}

fn json_or_text(text: &str) -> Value {
    let trimmed = text.trim_start();
    // OpenLLMetry JSON-encodes every entity input and output, strings included.
    if trimmed.starts_with(['{', '[', '"']) {
        if let Ok(value) = serde_json::from_str(text) {
            return value;
        }
    }
    Value::String(text.to_string())
}

/// Deepest key nesting we rebuild; longer keys stay flat in the attributes only.
const MAX_KEY_SEGMENTS: usize = 32;

/// Rebuilds flattened attributes (`llm.input_messages.0.message.role`) under `prefix`
/// into JSON: numbered segments become arrays in index order. `None` if none match.
fn unflatten(attributes: &Map<String, Value>, prefix: &str) -> Option<Value> {
    let mut root = Value::Object(Map::new());
    let mut found = false;
    for (key, value) in attributes {
        let Some(rest) = key.strip_prefix(prefix) else {
            continue;
        };
        let segments: Vec<&str> = rest.split('.').collect();
        if segments.len() > MAX_KEY_SEGMENTS || segments.iter().any(|s| s.is_empty()) {
            continue;
        }
        found |= insert_at(&mut root, &segments, value.clone());
    }
    found.then(|| numbered_to_arrays(root))
}

/// Inserts `value` at `segments`; a path that runs into a non-object is skipped.
fn insert_at(root: &mut Value, segments: &[&str], value: Value) -> bool {
    let Some((last, parents)) = segments.split_last() else {
        return false;
    };
    let mut node = root;
    for segment in parents {
        let Value::Object(map) = node else {
            return false;
        };
        node = map
            .entry((*segment).to_string())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    match node {
        Value::Object(map) if !map.contains_key(*last) => {
            map.insert((*last).to_string(), value);
            true
        }
        _ => false,
    }
}

/// Objects whose keys are all numbers become arrays, sorted by number. The depth is at
/// most `MAX_KEY_SEGMENTS`, so the recursion is bounded.
fn numbered_to_arrays(value: Value) -> Value {
    let Value::Object(map) = value else {
        return value;
    };
    let numbered: Option<Vec<(u64, Value)>> = map
        .iter()
        .map(|(key, value)| Some((key.parse::<u64>().ok()?, value.clone())))
        .collect();
    match numbered {
        Some(mut items) if !items.is_empty() => {
            items.sort_by_key(|(index, _)| *index);
            Value::Array(
                items
                    .into_iter()
                    .map(|(_, item)| numbered_to_arrays(item))
                    .collect(),
            )
        }
        _ => Value::Object(
            map.into_iter()
                .map(|(key, item)| (key, numbered_to_arrays(item)))
                .collect(),
        ),
    }
}

/// OpenInference nests each message as `{message: {role, content}}`; the viewer wants
/// `{role, content}`.
fn unwrap_messages(value: Value) -> Value {
    unwrap_items(value, &["message"])
}

/// Items of an array that are `{wrapper: {...}}`, for one of `wrappers`, become the
/// inner object.
fn unwrap_items(value: Value, wrappers: &[&str]) -> Value {
    match value {
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|item| match item {
                    Value::Object(mut map)
                        if map.len() == 1 && wrappers.iter().any(|key| map.contains_key(*key)) =>
                    {
                        let key = map.keys().next().cloned().unwrap_or_default();
                        map.remove(&key).unwrap_or(Value::Null)
                    }
                    other => other,
                })
                .collect(),
        ),
        other => other,
    }
}

// ---------------------------------------------------------------------------
// What a span says about the GenAI work it did.

/// Facts read from one span's attributes and events.
#[derive(Debug, Default)]
struct Facts {
    model: Option<String>,
    usage: Usage,
    /// Cache-read and cache-write tokens were more than the input tokens: the source
    /// counted them apart, and they were added to the input.
    cached_added: bool,
    has_usage: bool,
    cost_usd: Option<f64>,
    input: Option<RawJson>,
    output: Option<RawJson>,
    error: Option<StepError>,
    failed: bool,
    reasoning: Vec<Value>,
    agent_id: Option<String>,
    agent_name: Option<String>,
    agent_description: Option<String>,
    agent_version: Option<String>,
    /// `gen_ai.tool.call.id`: the id the model gave the call this tool span runs.
    tool_call_id: Option<String>,
}

fn read_facts(span: &Span, known: &Known, class: SpanClass) -> Facts {
    let mut facts = Facts {
        model: known_first_text(
            known,
            &[
                Key::gen_ai_request_model,
                Key::gen_ai_response_model,
                Key::llm_model_name,
                Key::llm_request_model,
                Key::embedding_model_name,
            ],
        ),
        ..Facts::default()
    };
    read_usage(known, &mut facts);
    facts.cost_usd = [Key::gen_ai_usage_cost, Key::llm_cost_total]
        .iter()
        .find_map(|key| number_value(known.get(*key)))
        .filter(|usd| usd.is_finite() && *usd >= 0.0);
    // The opt-in event carries the messages when the span's attributes do not.
    let details = span
        .events
        .iter()
        .find(|event| event.name == OPERATION_DETAILS_EVENT)
        .map(|event| Known::new(&event.attributes));
    facts.input = read_input(span, known, details.as_ref());
    facts.output = read_output(span, known, details.as_ref());
    read_kind_payloads(known.map, class, &mut facts);
    facts.reasoning = reasoning_parts(facts.output.as_ref());
    read_error(span, known, &mut facts);
    if class == SpanClass::Step(StepKind::LlmCall) {
        read_stopping_finish_reason(span, known, &mut facts);
    }
    facts.agent_id = known_first_text(known, &[Key::gen_ai_agent_id, Key::agent_id]);
    facts.agent_name = known_first_text(known, &[Key::gen_ai_agent_name, Key::agent_name]);
    facts.agent_description = known_first_text(known, &[Key::gen_ai_agent_description]);
    facts.agent_version = known_first_text(known, &[Key::gen_ai_agent_version]);
    facts.tool_call_id = known_first_text(known, &[Key::gen_ai_tool_call_id]);
    facts
}

/// What OpenInference's kinds carry in attributes of their own, where the span states
/// no `input.value`/`output.value`: the documents a retriever found or a reranker kept,
/// the texts embedded, and a decision's `decision.*` attributes (what it decided).
fn read_kind_payloads(attributes: &Map<String, Value>, class: SpanClass, facts: &mut Facts) {
    let SpanClass::Step(kind) = class else {
        return;
    };
    let (input_prefix, output_prefix) = match kind {
        StepKind::Retrieval => (None, Some("retrieval.documents.")),
        StepKind::Reranker => (
            Some("reranker.input_documents."),
            Some("reranker.output_documents."),
        ),
        StepKind::Embedding => (Some("embedding.embeddings."), None),
        StepKind::Decision => (None, Some("decision.")),
        _ => return,
    };
    // `{document: {...}}` and `{embedding: {...}}` wrap each item, as `{message}` does.
    let read = |prefix: &str| {
        unflatten(attributes, prefix)
            .map(|value| unwrap_items(value, &["document", "embedding"]))
            .map(RawJson::from)
    };
    if facts.input.is_none() {
        facts.input = input_prefix.and_then(read);
    }
    if facts.output.is_none() {
        facts.output = output_prefix.and_then(read);
    }
}

/// The GenAI conventions' opt-in span event that carries a call's messages.
const OPERATION_DETAILS_EVENT: &str = "gen_ai.client.inference.operation.details";

fn read_usage(known: &Known, facts: &mut Facts) {
    let count = |keys: &[Key]| known_first_count(known, keys);
    let input = count(&[
        Key::gen_ai_usage_input_tokens,
        Key::gen_ai_usage_prompt_tokens,
        Key::llm_token_count_prompt,
        Key::llm_usage_prompt_tokens,
    ]);
    let output = count(&[
        Key::gen_ai_usage_output_tokens,
        Key::gen_ai_usage_completion_tokens,
        Key::llm_token_count_completion,
        Key::llm_usage_completion_tokens,
    ]);
    let cached = count(&[
        Key::gen_ai_usage_cache_read_input_tokens,
        Key::gen_ai_usage_cache_read_input_tokens_flat,
        Key::llm_token_count_prompt_details_cache_read,
    ]);
    let cache_write = count(&[
        Key::gen_ai_usage_cache_creation_input_tokens,
        Key::gen_ai_usage_cache_creation_input_tokens_flat,
        Key::llm_token_count_prompt_details_cache_write,
    ]);
    let reasoning = count(&[
        Key::gen_ai_usage_reasoning_output_tokens,
        Key::gen_ai_usage_reasoning_tokens,
        Key::llm_token_count_completion_details_reasoning,
    ]);
    facts.has_usage = input.is_some() || output.is_some();
    let mut usage = Usage {
        input_tokens: input,
        output_tokens: output,
        cached_input_tokens: cached,
        cache_write_tokens: cache_write,
        reasoning_tokens: reasoning,
        audio_input_tokens: count(&[Key::llm_token_count_prompt_details_audio]),
        audio_output_tokens: count(&[Key::llm_token_count_completion_details_audio]),
        ..Usage::default()
    };
    // Input tokens include the cache-read and cache-written ones (as the conventions
    // say); more of those than input means this producer counted them apart (as
    // Anthropic does, both), so they are added back.
    let cache_tokens = cached.unwrap_or(0).saturating_add(cache_write.unwrap_or(0));
    if let Some(input) = usage.input_tokens {
        if cache_tokens > input {
            usage.input_tokens = Some(input.saturating_add(cache_tokens));
            facts.cached_added = true;
        }
    }
    facts.usage = usage;
}

fn read_input(span: &Span, known: &Known, details: Option<&Known>) -> Option<RawJson> {
    let attributes = known.map;
    // The span's own attributes first, then the opt-in event's, each key apart: a span
    // may state its system instructions and leave the messages to the event.
    let genai = |key: Key| {
        content_raw(known.get(key)).or_else(|| details.and_then(|d| content_raw(d.get(key))))
    };
    let system = genai(Key::gen_ai_system_instructions);
    if let Some(messages) = genai(Key::gen_ai_input_messages) {
        return Some(with_system(Some(messages), system.as_ref()));
    }
    unflatten(attributes, "llm.input_messages.")
        .map(unwrap_messages)
        .or_else(|| unflatten(attributes, "gen_ai.prompt."))
        .map(RawJson::from)
        .or_else(|| content_raw(known.get(Key::gen_ai_prompt)))
        .or_else(|| old_event_messages(span, MessageSide::Input))
        // System instructions alone are still the conversation the call was given.
        .or_else(|| {
            system
                .as_ref()
                .map(|system| with_system(None, Some(system)))
        })
        .or_else(|| content_raw(known.get(Key::gen_ai_tool_call_arguments)))
        // What a retrieval or a memory search looked for.
        .or_else(|| content_raw(known.get(Key::gen_ai_retrieval_query_text)))
        .or_else(|| content_raw(known.get(Key::gen_ai_memory_query_text)))
        .or_else(|| content_raw(known.get(Key::input_value)))
        .or_else(|| content_raw(known.get(Key::traceloop_entity_input)))
        .or_else(|| content_raw(known.get(Key::agentops_entity_input)))
}

fn read_output(span: &Span, known: &Known, details: Option<&Known>) -> Option<RawJson> {
    let attributes = known.map;
    content_raw(known.get(Key::gen_ai_output_messages))
        .or_else(|| details.and_then(|d| content_raw(d.get(Key::gen_ai_output_messages))))
        .or_else(|| {
            unflatten(attributes, "llm.output_messages.")
                .map(unwrap_messages)
                .or_else(|| unflatten(attributes, "gen_ai.completion."))
                .map(RawJson::from)
        })
        .or_else(|| content_raw(known.get(Key::gen_ai_completion)))
        .or_else(|| old_event_messages(span, MessageSide::Output))
        .or_else(|| content_raw(known.get(Key::gen_ai_tool_call_result)))
        // What it found: documents with their scores, memory records.
        .or_else(|| content_raw(known.get(Key::gen_ai_retrieval_documents)))
        .or_else(|| content_raw(known.get(Key::gen_ai_memory_records)))
        .or_else(|| content_raw(known.get(Key::output_value)))
        .or_else(|| content_raw(known.get(Key::traceloop_entity_output)))
        .or_else(|| content_raw(known.get(Key::agentops_entity_output)))
}

/// Input messages in the GenAI parts form (`[{role, parts: [...]}]`), led by the system
/// instructions, which travel apart (`gen_ai.system_instructions`), as
/// `{"role": "system", "parts": [...]}`: the conversation view reads one array. Done on
/// the JSON text, without building a tree of the messages, which may be most of a
/// trace's bytes. Messages that are not an array (a producer's own shape) are kept as
/// they are.
fn with_system(messages: Option<RawJson>, system: Option<&RawJson>) -> RawJson {
    let (messages, system) = match (messages, system) {
        (Some(messages), None) => return messages,
        (messages, Some(system)) => (messages, system),
        (None, None) => return RawJson::from(Value::Array(Vec::new())),
    };
    let parts = system_parts(system);
    let system_message = format!(r#"{{"role":"system","parts":{parts}}}"#);
    let text = match &messages {
        None => format!("[{system_message}]"),
        Some(messages) => {
            let Some(rest) = messages.text().strip_prefix('[') else {
                return messages.clone();
            };
            if rest.trim_start().starts_with(']') {
                format!("[{system_message}]")
            } else {
                format!("[{system_message},{rest}")
            }
        }
    };
    // Valid JSON pieces joined by JSON punctuation: valid JSON.
    RawJson::trusted(&text)
}

/// The system instructions as a parts array: the conventions' form is an array of
/// parts already; a plain string (some producers) is one text part, an object one part.
fn system_parts(system: &RawJson) -> String {
    let text = system.text();
    if text.starts_with('[') {
        text.to_string()
    } else if text.starts_with('{') {
        format!("[{text}]")
    } else {
        // A JSON string (the text itself), a number or a boolean: one text part.
        format!(r#"[{{"type":"text","content":{text}}}]"#)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum MessageSide {
    Input,
    Output,
}

/// The forms before the message attributes: an event per message
/// (`gen_ai.user.message`, `gen_ai.choice`…, 2024–2025) and the events
/// `gen_ai.content.prompt` / `gen_ai.content.completion` holding `gen_ai.prompt` /
/// `gen_ai.completion` (2024). Messages keep the shape their producer wrote.
fn old_event_messages(span: &Span, side: MessageSide) -> Option<RawJson> {
    let mut messages = Vec::new();
    for event in &span.events {
        let (role, is_input) = match event.name.as_str() {
            "gen_ai.content.prompt" if side == MessageSide::Input => {
                if let Some(raw) = content_raw(event.attributes.get("gen_ai.prompt")) {
                    return Some(raw);
                }
                continue;
            }
            "gen_ai.content.completion" if side == MessageSide::Output => {
                if let Some(raw) = content_raw(event.attributes.get("gen_ai.completion")) {
                    return Some(raw);
                }
                continue;
            }
            "gen_ai.system.message" => ("system", true),
            "gen_ai.user.message" => ("user", true),
            "gen_ai.assistant.message" => ("assistant", true),
            "gen_ai.tool.message" => ("tool", true),
            "gen_ai.choice" => ("assistant", false),
            _ => continue,
        };
        if is_input != (side == MessageSide::Input) {
            continue;
        }
        messages.push(event_message(&event.attributes, role, is_input));
    }
    (!messages.is_empty()).then(|| RawJson::from(Value::Array(messages)))
}

/// One message event as the message it describes: its body, when the producer put it
/// whole in `gen_ai.event.content`, or its attributes, less the ones naming the provider.
fn event_message(attributes: &Map<String, Value>, role: &str, is_input: bool) -> Value {
    let mut message = match content_value(attributes.get("gen_ai.event.content")) {
        Some(Value::Object(body)) => body,
        _ => attributes
            .iter()
            .filter(|(key, _)| {
                !matches!(
                    key.as_str(),
                    "gen_ai.system" | "gen_ai.provider.name" | "event.name"
                )
            })
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect(),
    };
    // A choice nests its message; the role is then the message's own.
    if is_input && !message.contains_key("role") {
        message.insert("role".into(), Value::String(role.to_string()));
    }
    Value::Object(message)
}

/// The `content` of every `{"type": "reasoning"}` part of the output messages.
fn reasoning_parts(output: Option<&RawJson>) -> Vec<Value> {
    // Only outputs that mention reasoning are worth parsing at import.
    let Some(output) = output.filter(|raw| raw.text().contains("reasoning")) else {
        return Vec::new();
    };
    let Value::Array(messages) = output.parse() else {
        return Vec::new();
    };
    messages
        .iter()
        .filter_map(|message| message.get("parts")?.as_array())
        .flatten()
        .filter(|part| part.get("type").and_then(Value::as_str) == Some("reasoning"))
        .filter_map(|part| part.get("content").cloned())
        .collect()
}

/// Finish reasons that mean the model did not give its answer: the provider's content
/// filter stopped it, or it failed. Read from `gen_ai.response.finish_reasons`, else
/// from the output messages' `finish_reason`.
fn stopping_finish_reason(known: &Known, output: Option<&RawJson>) -> Option<&'static str> {
    const STOPPING: [&str; 2] = ["content_filter", "error"];
    let stopping = |reason: &str| STOPPING.iter().copied().find(|s| *s == reason);
    match known.get(Key::gen_ai_response_finish_reasons) {
        Some(Value::Array(reasons)) => {
            return reasons.iter().filter_map(Value::as_str).find_map(stopping);
        }
        Some(Value::String(text)) => {
            // A JSON array written as a string, or one reason.
            return match json_or_text(text) {
                Value::Array(reasons) => {
                    reasons.iter().filter_map(Value::as_str).find_map(stopping)
                }
                _ => stopping(text.trim()),
            };
        }
        _ => {}
    }
    // Only outputs that mention such a reason are worth parsing at import.
    let output = output.filter(|raw| {
        let text = raw.text();
        text.contains("finish_reason")
            && (text.contains("\"content_filter\"") || text.contains("\"error\""))
    })?;
    let Value::Array(messages) = output.parse() else {
        return None;
    };
    messages
        .iter()
        .filter_map(|message| message.get("finish_reason")?.as_str())
        .find_map(stopping)
}

fn read_error(span: &Span, known: &Known, facts: &mut Facts) {
    // OTel's `exception` event; OpenTracing (Jaeger) logs `event: error` with `error.kind`.
    let exception = span.events.iter().find(|event| {
        event.name == "exception"
            || event.attributes.contains_key("exception.type")
            || event.attributes.contains_key("exception.message")
            || (event.name == "error" && event.attributes.contains_key("error.kind"))
    });
    let error_type = exception
        .and_then(|event| first_text(&event.attributes, &["exception.type", "error.kind"]))
        .or_else(|| known_first_text(known, &[Key::error_type, Key::exception_type]));
    let message = exception
        .and_then(|event| {
            first_text(
                &event.attributes,
                &["exception.message", "message", "error.object"],
            )
        })
        .or_else(|| span.status_message.clone().filter(|m| !m.trim().is_empty()))
        .or_else(|| known_first_text(known, &[Key::exception_message]));
    let stack = exception
        .and_then(|event| first_text(&event.attributes, &["exception.stacktrace", "stack"]))
        .or_else(|| known_first_text(known, &[Key::exception_stacktrace]));
    // A status of OK is the producer's final word: an exception it recorded was handled.
    facts.failed = match span.status {
        SpanStatus::Error => true,
        SpanStatus::Ok => false,
        SpanStatus::Unset => exception.is_some() || known_text(known, Key::error_type).is_some(),
    };
    if facts.failed {
        facts.error = Some(StepError {
            message: message
                .or_else(|| error_type.clone())
                .unwrap_or_else(|| "the span's status is ERROR".to_string()),
            error_type,
            stack,
        });
    }
}

/// An LLM call that returned without its answer fails: shown as a failure, so that it is
/// counted and found among the errors, not read as an answer. A status of OK stands.
fn read_stopping_finish_reason(span: &Span, known: &Known, facts: &mut Facts) {
    if !facts.failed && span.status != SpanStatus::Ok {
        if let Some(reason) = stopping_finish_reason(known, facts.output.as_ref()) {
            facts.failed = true;
            facts.error = Some(StepError {
                error_type: Some(format!("finish reason {reason}")),
                message: match reason {
                    "content_filter" => "the provider's content filter stopped the response",
                    _ => "the model stopped with an error",
                }
                .to_string(),
                stack: None,
            });
        }
    }
}

// ---------------------------------------------------------------------------
// CrewAI's own description of the crew, carried as JSON strings on its spans.

#[derive(Deserialize)]
struct CrewAgent {
    id: Option<String>,
    key: Option<String>,
    role: Option<String>,
    goal: Option<String>,
    backstory: Option<String>,
    llm: Option<Value>,
}

#[derive(Deserialize)]
struct CrewTask {
    id: Option<String>,
    key: Option<String>,
    name: Option<String>,
    description: Option<String>,
    expected_output: Option<String>,
    agent_role: Option<String>,
    agent_key: Option<String>,
}

/// The crew's agents and tasks, merged over every span that lists them.
#[derive(Default)]
struct Crew {
    agents: Vec<CrewAgent>,
    tasks: Vec<CrewTask>,
}

impl Crew {
    /// Adds what one span lists; spans are added in their order.
    fn add(&mut self, known: &Known) {
        if let Some(text) = known_text(known, Key::crew_agents) {
            // Broken lists are left in the attributes: they only add detail.
            for agent in serde_json::from_str::<Vec<CrewAgent>>(text).unwrap_or_default() {
                match self.agents.iter_mut().find(|listed| listed.id == agent.id) {
                    Some(listed) => listed.fill(agent),
                    None => self.agents.push(agent),
                }
            }
        }
        if let Some(text) = known_text(known, Key::crew_tasks) {
            for task in serde_json::from_str::<Vec<CrewTask>>(text).unwrap_or_default() {
                match self.tasks.iter_mut().find(|listed| listed.id == task.id) {
                    Some(listed) => listed.fill(task),
                    None => self.tasks.push(task),
                }
            }
        }
    }

    fn task(&self, id: &str, key: Option<&str>) -> Option<&CrewTask> {
        self.tasks
            .iter()
            .find(|task| task.id.as_deref() == Some(id))
            .or_else(|| {
                let key = key?;
                self.tasks
                    .iter()
                    .find(|task| task.key.as_deref() == Some(key))
            })
    }

    /// The agent a task names, by key (exact) or by role.
    fn agent_of(&self, task: &CrewTask) -> Option<&CrewAgent> {
        let by_key = task.agent_key.as_deref().and_then(|key| {
            self.agents
                .iter()
                .find(|agent| agent.key.as_deref() == Some(key))
        });
        by_key.or_else(|| {
            let role = task.agent_role.as_deref()?;
            self.agents
                .iter()
                .find(|agent| agent.role.as_deref() == Some(role))
        })
    }
}

impl CrewAgent {
    fn fill(&mut self, other: CrewAgent) {
        self.key = self.key.take().or(other.key);
        self.role = self.role.take().or(other.role);
        self.goal = self.goal.take().or(other.goal);
        self.backstory = self.backstory.take().or(other.backstory);
        self.llm = self.llm.take().or(other.llm);
    }
}

impl CrewTask {
    fn fill(&mut self, other: CrewTask) {
        self.key = self.key.take().or(other.key);
        self.name = self.name.take().or(other.name);
        self.description = self.description.take().or(other.description);
        self.expected_output = self.expected_output.take().or(other.expected_output);
        self.agent_role = self.agent_role.take().or(other.agent_role);
        self.agent_key = self.agent_key.take().or(other.agent_key);
    }
}

// ---------------------------------------------------------------------------
// Assembly.

/// Builds one trace from its spans: classifies them, keeps tokens on LLM calls only,
/// finds tasks and agents, and repairs the tree.
pub(crate) fn build_trace(source: SpanTrace, format: SourceFormat) -> Trace {
    let SpanTrace {
        id: trace_id,
        spans,
        metadata,
        mut repairs,
    } = source;
    let SpansRead {
        classes,
        facts,
        crew,
        conversation_id,
    } = read_spans(&spans);
    let metadata = with_conversation_id(metadata, conversation_id);
    let paths: Vec<SpanPath> = spans.iter().map(|span| span.path.clone()).collect();

    let mut steps: Vec<Step> = spans
        .into_iter()
        .zip(&classes)
        .zip(&facts)
        .map(|((span, class), facts)| first_step(span, *class, facts, &mut repairs))
        .collect();
    repair_step_tree(&mut steps, |index| paths[index].to_string(), &mut repairs);
    let parents = parent_indices(&steps);

    settle_llm_calls(&mut steps, &classes, &facts, &parents);
    link_tool_calls(&mut steps, &facts);
    for (index, step) in steps.iter_mut().enumerate() {
        if !step.kind.is_model_call() {
            continue;
        }
        step.usage = facts[index].usage;
        // An embedding produces no output tokens by definition; saying so lets the call
        // be priced (a price needs both counts) and summed without an unknown part.
        if step.kind == StepKind::Embedding
            && step.usage.input_tokens.is_some()
            && step.usage.output_tokens.is_none()
        {
            step.usage.output_tokens = Some(0);
        }
        step.cost = facts[index].cost_usd.map(|usd| Cost {
            usd,
            source: CostSource::Stated,
        });
        if facts[index].cached_added {
            let what = if step.usage.cache_write_tokens.is_some() {
                "more cache-read and cache-write input tokens than input tokens: they were \
                 counted apart and are added to the input"
            } else {
                "more cached input tokens than input tokens: the cached ones were counted \
                 apart and are added to the input"
            };
            repairs.push(Repair {
                path: paths[index].to_string(),
                what: what.to_string(),
            });
        }
    }

    let mut agents = Vec::new();
    let own_agents = find_agents(&steps, &facts, &crew, &mut agents);
    let (mut tasks, own_tasks) = find_tasks(&steps, &crew, &agents);
    inherit(&mut steps, &parents, &mut tasks, own_tasks, own_agents);
    add_reasoning_steps(&mut steps, &facts);
    collect_agent_models(&mut agents, &steps);

    let roots: Vec<usize> = (0..steps.len())
        .filter(|&index| steps[index].parent_id.is_none())
        .collect();
    // Reasoning steps were appended after the spans: `classes` covers the spans only.
    let workflow = classes
        .iter()
        .position(|class| *class == SpanClass::Workflow);
    // The run's own span names the trace; lacking one, a single root does.
    let main = workflow.or_else(|| (roots.len() == 1).then(|| roots[0]));
    let status = if roots.iter().any(|&r| steps[r].status == Status::Running) {
        Status::Running
    } else if roots.iter().any(|&r| steps[r].status == Status::Failed) {
        Status::Failed
    } else {
        Status::Completed
    };
    let start_ns = steps.iter().filter_map(|step| step.start_ns).min();
    let end_ns = match status {
        Status::Running => None,
        _ => steps.iter().filter_map(|step| step.end_ns).max(),
    };
    let kind = trace_kind(&steps);
    // With several roots (orphans), the earliest names the trace, as in Jaeger UI.
    let earliest_root = roots
        .iter()
        .copied()
        .min_by_key(|&root| (steps[root].start_ns.is_none(), steps[root].start_ns));
    let name = trace_name(&steps, main.or(earliest_root)).unwrap_or_else(|| trace_id.clone());
    let (input, final_output) = match main {
        Some(index) => (steps[index].input.clone(), steps[index].output.clone()),
        None => (None, None),
    };
    Trace {
        links: Default::default(),
        notes: Default::default(),
        id: trace_id,
        name,
        kind,
        status,
        start_ns,
        end_ns,
        input,
        final_output,
        metadata,
        agents,
        tasks,
        steps,
        source_format: format,
        repairs,
    }
}

/// What the spans are and say, read in one pass over each span's attributes.
struct SpansRead {
    classes: Vec<SpanClass>,
    facts: Vec<Facts>,
    /// The crew they describe.
    crew: Crew,
    /// The first `gen_ai.conversation.id` stated: one per trace, not kept per span.
    conversation_id: Option<String>,
}

fn read_spans(spans: &[Span]) -> SpansRead {
    let mut read = SpansRead {
        classes: Vec::with_capacity(spans.len()),
        facts: Vec::with_capacity(spans.len()),
        crew: Crew::default(),
        conversation_id: None,
    };
    for span in spans {
        let known = Known::new(&span.attributes);
        read.crew.add(&known);
        let class = classify_known(&span.name, &known);
        read.classes.push(class);
        read.facts.push(read_facts(span, &known, class));
        if read.conversation_id.is_none() {
            read.conversation_id = known_first_text(&known, &[Key::gen_ai_conversation_id]);
        }
    }
    read
}

/// The step as the span alone describes it; tokens, tasks and agents come later.
fn first_step(span: Span, class: SpanClass, facts: &Facts, repairs: &mut Vec<Repair>) -> Step {
    let Span {
        id,
        parent_id,
        name,
        start_ns,
        mut end_ns,
        attributes,
        events,
        path,
        ..
    } = span;
    // A span that ends before it starts would draw backwards on the timeline.
    if let (Some(start), Some(end)) = (start_ns, end_ns) {
        if end < start {
            repairs.push(Repair {
                path: path.to_string(),
                what: format!(
                    "the span ends {} ns before it starts; its end is set to its start",
                    start.saturating_sub(end)
                ),
            });
            end_ns = Some(start);
        }
    }
    let status = if facts.failed {
        Status::Failed
    } else if end_ns.is_none() {
        Status::Running
    } else {
        Status::Completed
    };
    let kind = match class {
        SpanClass::Step(kind) => kind,
        SpanClass::Workflow | SpanClass::Unknown => StepKind::Span,
    };
    let mut attributes = attributes;
    if !events.is_empty() {
        attributes.insert("otel.events".to_string(), events_json(events));
    }
    Step {
        id,
        parent_id,
        task_id: None,
        agent_id: None,
        kind,
        name,
        start_ns,
        end_ns,
        status,
        model: facts.model.clone(),
        usage: Usage::default(),
        cost: None,
        cost_lines: None,
        result_of: None,
        input: facts.input.clone(),
        output: facts.output.clone(),
        error: facts.error.clone(),
        attributes,
    }
}

/// Events are kept on the step, so that nothing the source recorded is lost.
fn events_json(events: Vec<SpanEvent>) -> Value {
    Value::Array(
        events
            .into_iter()
            .map(|event| {
                let mut map = Map::new();
                map.insert("name".into(), Value::String(event.name));
                if let Some(time_ns) = event.time_ns {
                    map.insert("time_ns".into(), Value::from(time_ns));
                }
                map.insert("attributes".into(), Value::Object(event.attributes));
                Value::Object(map)
            })
            .collect(),
    )
}

/// Parent index of each step; the tree is repaired, so every link resolves.
fn parent_indices(steps: &[Step]) -> Vec<Option<usize>> {
    let index_of: HashMap<&str, usize> = steps
        .iter()
        .enumerate()
        .map(|(index, step)| (step.id.as_str(), index))
        .collect();
    steps
        .iter()
        .map(|step| {
            step.parent_id
                .as_deref()
                .and_then(|id| index_of.get(id).copied())
        })
        .collect()
}

/// `gen_ai.conversation.id` of the first span that states it, in the trace's metadata
/// under `CONVERSATION_ID`: the trace list groups the traces of one conversation by it.
/// A resource attribute of that name is there already and is kept.
fn with_conversation_id(
    mut metadata: Map<String, Value>,
    conversation_id: Option<String>,
) -> Map<String, Value> {
    if let Some(id) = conversation_id.filter(|_| !metadata.contains_key(CONVERSATION_ID)) {
        metadata.insert(CONVERSATION_ID.to_string(), Value::String(id));
    }
    metadata
}

/// A tool span names the call it runs by `gen_ai.tool.call.id`; the model's messages
/// carry that id on the call (`tool_call` part, or OpenAI's `tool_calls`) and on its
/// answer (`tool_call_response` part, or a `tool` message's `tool_call_id`). A tool span
/// that records no arguments or no result takes them from there.
fn link_tool_calls(steps: &mut [Step], facts: &[Facts]) {
    let wanted: Vec<usize> = (0..steps.len())
        .filter(|&index| {
            steps[index].kind == StepKind::ToolCall
                && facts[index].tool_call_id.is_some()
                && (steps[index].input.is_none() || steps[index].output.is_none())
        })
        .collect();
    if wanted.is_empty() {
        return;
    }
    let ids: HashSet<&str> = wanted
        .iter()
        .filter_map(|&index| facts[index].tool_call_id.as_deref())
        .collect();
    let mut found = ToolMessages::default();
    for step in steps.iter().filter(|step| step.kind == StepKind::LlmCall) {
        for payload in [&step.input, &step.output].into_iter().flatten() {
            // Only messages that hold a tool call or answer are worth parsing.
            if payload.text().contains("tool_call") {
                found.read(&payload.parse(), &ids);
            }
        }
    }
    for index in wanted {
        let Some(id) = facts[index].tool_call_id.as_deref() else {
            continue;
        };
        let step = &mut steps[index];
        if step.input.is_none() {
            step.input = found.arguments.get(id).map(RawJson::from);
        }
        if step.output.is_none() {
            step.output = found.results.get(id).map(RawJson::from);
        }
    }
}

/// Tool call arguments and results by call id, as the messages give them (first wins).
#[derive(Default)]
struct ToolMessages {
    arguments: HashMap<String, Value>,
    results: HashMap<String, Value>,
}

impl ToolMessages {
    fn read(&mut self, messages: &Value, ids: &HashSet<&str>) {
        let Value::Array(messages) = messages else {
            return;
        };
        let keep = |map: &mut HashMap<String, Value>, id: Option<&Value>, value: Option<&Value>| {
            if let (Some(id), Some(value)) = (id.and_then(Value::as_str), value) {
                if ids.contains(id) && !map.contains_key(id) {
                    // Arguments as a JSON string (OpenAI) are the JSON they hold.
                    let value = match value {
                        Value::String(text) => json_or_text(text),
                        other => other.clone(),
                    };
                    map.insert(id.to_string(), value);
                }
            }
        };
        for message in messages {
            for part in message
                .get("parts")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                match part.get("type").and_then(Value::as_str) {
                    Some("tool_call") => {
                        keep(&mut self.arguments, part.get("id"), part.get("arguments"))
                    }
                    Some("tool_call_response") => {
                        keep(&mut self.results, part.get("id"), part.get("response"))
                    }
                    _ => {}
                }
            }
            for call in message
                .get("tool_calls")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let arguments = call
                    .pointer("/function/arguments")
                    .or_else(|| call.get("arguments"));
                keep(&mut self.arguments, call.get("id"), arguments);
            }
            if message.get("role").and_then(Value::as_str) == Some("tool") {
                keep(
                    &mut self.results,
                    message.get("tool_call_id"),
                    message.get("content"),
                );
            }
        }
    }
}

/// A span that names no kind but carries a model or tokens is an LLM call unless an
/// LLM call lies below it: then it is a wrapper repeating its child's usage, and
/// counting it too would double the totals.
fn settle_llm_calls(
    steps: &mut [Step],
    classes: &[SpanClass],
    facts: &[Facts],
    parents: &[Option<usize>],
) {
    let candidate: Vec<bool> = (0..steps.len())
        .map(|index| {
            classes[index] == SpanClass::Unknown
                && (facts[index].has_usage || facts[index].model.is_some())
        })
        .collect();
    let mut llm_below = vec![false; steps.len()];
    for index in 0..steps.len() {
        if !steps[index].kind.is_model_call() && !candidate[index] {
            continue;
        }
        // Parents are a forest after the repairs, so each walk ends at a root.
        let mut current = parents[index];
        while let Some(parent) = current {
            if std::mem::replace(&mut llm_below[parent], true) {
                break;
            }
            current = parents[parent];
        }
    }
    for index in 0..steps.len() {
        if candidate[index] && !llm_below[index] {
            steps[index].kind = StepKind::LlmCall;
        }
    }
}

/// Creates the agents the spans name; returns each step's own agent id.
fn find_agents(
    steps: &[Step],
    facts: &[Facts],
    crew: &Crew,
    agents: &mut Vec<Agent>,
) -> Vec<Option<String>> {
    for member in &crew.agents {
        let Some(id) = member.id.clone().or_else(|| member.key.clone()) else {
            continue;
        };
        if agents.iter().any(|agent| agent.id == id) {
            continue;
        }
        let mut models = Vec::new();
        if let Some(Value::String(model)) = &member.llm {
            if !model.trim().is_empty() {
                models.push(model.clone());
            }
        }
        agents.push(Agent {
            role: member.role.clone().unwrap_or_else(|| id.clone()),
            id,
            goal: member.goal.clone(),
            backstory: member.backstory.clone(),
            version: None,
            models,
        });
    }
    steps
        .iter()
        .zip(facts)
        .map(|(step, facts)| {
            let named = facts.agent_id.is_some() || facts.agent_name.is_some();
            if step.kind != StepKind::Agent && !named {
                return None;
            }
            let role = facts
                .agent_name
                .clone()
                .or_else(|| first_text(&step.attributes, &["traceloop.entity.name"]))
                .unwrap_or_else(|| agent_role_from_name(&step.name));
            let id = facts.agent_id.clone().unwrap_or_else(|| {
                // An agent the crew listed keeps the crew's id.
                agents
                    .iter()
                    .find(|agent| agent.role == role)
                    .map_or_else(|| role.clone(), |agent| agent.id.clone())
            });
            match agents.iter_mut().find(|agent| agent.id == id) {
                Some(agent) => {
                    if agent.goal.is_none() {
                        agent.goal.clone_from(&facts.agent_description);
                    }
                    if agent.version.is_none() {
                        agent.version.clone_from(&facts.agent_version);
                    }
                }
                None => agents.push(Agent {
                    id: id.clone(),
                    role,
                    goal: facts.agent_description.clone(),
                    backstory: None,
                    version: facts.agent_version.clone(),
                    models: Vec::new(),
                }),
            }
            Some(id)
        })
        .collect()
}

/// `"invoke_agent Planner"` (or `create_agent`) → `"Planner"`, `"planner.agent"` →
/// `"planner"`.
fn agent_role_from_name(name: &str) -> String {
    let name = name.trim();
    let name = name
        .strip_prefix("invoke_agent ")
        .or_else(|| name.strip_prefix("create_agent "))
        .unwrap_or(name);
    let name = name.strip_suffix(".agent").unwrap_or(name);
    name.trim().to_string()
}

/// Creates a task per task step; returns the tasks and each step's own task id.
fn find_tasks(steps: &[Step], crew: &Crew, agents: &[Agent]) -> (Vec<Task>, Vec<Option<String>>) {
    let mut tasks: Vec<Task> = Vec::new();
    let own = steps
        .iter()
        .map(|step| {
            if step.kind != StepKind::Task {
                return None;
            }
            let attributes = &step.attributes;
            let key = first_text(attributes, &["task_key"]);
            let id = first_text(attributes, &["task_id"]).unwrap_or_else(|| step.id.clone());
            // A task run twice (a retry) is one task with two steps.
            if tasks.iter().any(|task| task.id == id) {
                return Some(id);
            }
            let listed = crew.task(&id, key.as_deref());
            let agent_id = listed.and_then(|task| {
                let member = crew.agent_of(task)?;
                let id = member.id.clone().or_else(|| member.key.clone())?;
                agents.iter().any(|agent| agent.id == id).then_some(id)
            });
            let name = first_text(attributes, &["task_name", "traceloop.entity.name"])
                .or_else(|| listed.and_then(|task| task.name.clone()))
                .or_else(|| listed.and_then(|task| task.description.clone()))
                .unwrap_or_else(|| step.name.clone());
            tasks.push(Task {
                id: id.clone(),
                key: key.or_else(|| listed.and_then(|task| task.key.clone())),
                name,
                description: listed.and_then(|task| task.description.clone()),
                expected_output: listed.and_then(|task| task.expected_output.clone()),
                agent_id,
                status: step.status,
                start_ns: step.start_ns,
                end_ns: step.end_ns,
                context_task_ids: Vec::new(),
                input: step.input.clone(),
                output: step.output.clone(),
            });
            Some(id)
        })
        .collect();
    (tasks, own)
}

/// Each step belongs to its nearest task and agent, its own first; a task step works
/// for the task's agent. A task without a known agent takes the first agent that
/// works under it.
fn inherit(
    steps: &mut [Step],
    parents: &[Option<usize>],
    tasks: &mut [Task],
    own_tasks: Vec<Option<String>>,
    mut own_agents: Vec<Option<String>>,
) {
    for (own_agent, own_task) in own_agents.iter_mut().zip(&own_tasks) {
        if own_agent.is_some() {
            continue;
        }
        if let Some(task_id) = own_task {
            *own_agent = tasks
                .iter()
                .find(|task| &task.id == task_id)
                .and_then(|task| task.agent_id.clone());
        }
    }
    let task_owners = nearest(parents, &own_tasks);
    let agent_owners = nearest(parents, &own_agents);
    for (index, step) in steps.iter_mut().enumerate() {
        step.task_id = task_owners[index].and_then(|owner| own_tasks[owner].clone());
        step.agent_id = agent_owners[index].and_then(|owner| own_agents[owner].clone());
    }
    for task in tasks.iter_mut().filter(|task| task.agent_id.is_none()) {
        task.agent_id = steps
            .iter()
            .filter(|step| step.task_id.as_deref() == Some(task.id.as_str()))
            .find_map(|step| step.agent_id.clone());
    }
}

/// For each step, the index of the step whose value it takes: itself if it has one,
/// else its nearest ancestor that has one. Indices, not the values: cloning each value
/// down every chain cost an allocation per step.
fn nearest<T>(parents: &[Option<usize>], own: &[Option<T>]) -> Vec<Option<usize>> {
    let mut resolved: Vec<Option<Option<usize>>> = vec![None; own.len()];
    let mut chain = Vec::new();
    for start in 0..own.len() {
        let mut current = Some(start);
        let mut found = None;
        while let Some(index) = current {
            if let Some(known) = resolved[index] {
                found = known;
                break;
            }
            if own[index].is_some() {
                found = Some(index);
                resolved[index] = Some(found);
                break;
            }
            chain.push(index);
            current = parents[index];
        }
        for index in chain.drain(..) {
            resolved[index] = Some(found);
        }
    }
    resolved.into_iter().map(Option::flatten).collect()
}

/// Reasoning parts of an LLM call's output become `Reasoning` children of the call.
fn add_reasoning_steps(steps: &mut Vec<Step>, facts: &[Facts]) {
    let mut ids: HashSet<String> = steps.iter().map(|step| step.id.clone()).collect();
    let mut added = Vec::new();
    for (step, facts) in steps.iter().zip(facts) {
        if step.kind != StepKind::LlmCall {
            continue;
        }
        for (number, content) in facts.reasoning.iter().enumerate() {
            let base = match number {
                0 => format!("{}#reasoning", step.id),
                n => format!("{}#reasoning-{}", step.id, n + 1),
            };
            let mut id = base.clone();
            let mut copy = 2;
            while ids.contains(&id) {
                id = format!("{base}-{copy}");
                copy += 1;
            }
            ids.insert(id.clone());
            added.push(Step {
                id,
                parent_id: Some(step.id.clone()),
                task_id: step.task_id.clone(),
                agent_id: step.agent_id.clone(),
                kind: StepKind::Reasoning,
                name: "reasoning".to_string(),
                start_ns: step.start_ns,
                end_ns: step.end_ns,
                status: match step.status {
                    Status::Failed => Status::Completed,
                    other => other,
                },
                model: step.model.clone(),
                output: Some(RawJson::from(content)),
                ..Step::default()
            });
        }
    }
    steps.extend(added);
}

fn trace_kind(steps: &[Step]) -> TraceKind {
    if steps
        .iter()
        .any(|step| step.name.starts_with("Crew.kickoff"))
    {
        TraceKind::Crew
    } else if steps
        .iter()
        .any(|step| step.name.starts_with("Flow.kickoff"))
    {
        TraceKind::Flow
    } else {
        TraceKind::Other
    }
}

fn trace_name(steps: &[Step], main: Option<usize>) -> Option<String> {
    const NAME_KEYS: &[&str] = &[
        "crew_name",
        "flow_name",
        "gen_ai.workflow.name",
        "traceloop.workflow.name",
    ];
    let main_step = main.and_then(|index| steps.get(index));
    main_step
        .and_then(|step| first_text(&step.attributes, NAME_KEYS))
        .or_else(|| {
            steps
                .iter()
                .find_map(|step| first_text(&step.attributes, NAME_KEYS))
        })
        .or_else(|| main_step.map(|step| step.name.clone()))
        .filter(|name| !name.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(pairs: &[(&str, Value)]) -> Map<String, Value> {
        pairs
            .iter()
            .map(|(key, value)| ((*key).to_string(), value.clone()))
            .collect()
    }

    #[test]
    fn precedence_follows_formats_md() {
        let both = attrs(&[
            ("openinference.span.kind", "TOOL".into()),
            ("gen_ai.operation.name", "chat".into()),
        ]);
        assert_eq!(
            classify("x", &both),
            SpanClass::Step(StepKind::ToolCall),
            "OpenInference before gen_ai"
        );
        let explicit = attrs(&[
            ("langfuse.observation.type", "generation".into()),
            ("openinference.span.kind", "TOOL".into()),
        ]);
        assert_eq!(classify("x", &explicit), SpanClass::Step(StepKind::LlmCall));
        let crew_task = attrs(&[("openinference.span.kind", "AGENT".into())]);
        assert_eq!(
            classify("Task._execute_core", &crew_task),
            SpanClass::Step(StepKind::Task)
        );
    }

    #[test]
    fn agentops_and_openllmetry_kinds_are_read() {
        let agentops = attrs(&[("agentops.span.kind", "session".into())]);
        assert_eq!(classify("x", &agentops), SpanClass::Workflow);
        let agentops = attrs(&[("agentops.span.kind", "tool".into())]);
        assert_eq!(
            classify("x", &agentops),
            SpanClass::Step(StepKind::ToolCall)
        );
        let traceloop = attrs(&[
            ("traceloop.span.kind", "task".into()),
            ("agentops.span.kind", "tool".into()),
        ]);
        assert_eq!(
            classify("x", &traceloop),
            SpanClass::Step(StepKind::Task),
            "OpenLLMetry before AgentOps"
        );
    }

    #[test]
    fn span_names_classify_when_attributes_do_not() {
        let none = Map::new();
        assert_eq!(
            classify("chat gpt-4o", &none),
            SpanClass::Step(StepKind::LlmCall)
        );
        assert_eq!(
            classify("execute_tool get_weather", &none),
            SpanClass::Step(StepKind::ToolCall)
        );
        assert_eq!(
            classify("litellm completion", &none),
            SpanClass::Step(StepKind::LlmCall)
        );
        assert_eq!(classify("Crew.kickoff", &none), SpanClass::Workflow);
        assert_eq!(
            classify("research.task", &none),
            SpanClass::Step(StepKind::Task)
        );
        assert_eq!(classify("GET /users", &none), SpanClass::Unknown);
        assert_eq!(
            classify("POST /v1/chat.completions", &none),
            SpanClass::Unknown
        );
        assert_eq!(classify("Crew Created", &none), SpanClass::Unknown);
        assert_eq!(
            classify("plan Trip Planner", &none),
            SpanClass::Step(StepKind::Plan)
        );
        assert_eq!(
            classify("Plan the next step", &none),
            SpanClass::Unknown,
            "a title, not the operation"
        );
        assert_eq!(
            classify("search_memory prefs", &none),
            SpanClass::Step(StepKind::Memory)
        );
    }

    #[test]
    fn flattened_messages_unflatten_in_index_order() {
        let flat = attrs(&[
            ("llm.input_messages.10.message.role", "user".into()),
            ("llm.input_messages.2.message.role", "system".into()),
            ("llm.input_messages.2.message.content", "be brief".into()),
        ]);
        let value = unflatten(&flat, "llm.input_messages.").map(unwrap_messages);
        assert_eq!(
            value,
            Some(serde_json::json!([
                {"role": "system", "content": "be brief"},
                {"role": "user"}
            ]))
        );
    }

    #[test]
    fn counts_accept_strings_and_integral_floats() {
        let values = attrs(&[
            ("a", "190".into()),
            ("b", 12.0.into()),
            ("c", (-3).into()),
            ("d", 1.5.into()),
        ]);
        assert_eq!(count_attr(&values, "a"), Some(190));
        assert_eq!(count_attr(&values, "b"), Some(12));
        assert_eq!(count_attr(&values, "c"), None);
        assert_eq!(count_attr(&values, "d"), None);
    }

    #[test]
    fn system_instructions_join_any_messages_as_valid_json() {
        let systems = [
            Value::from("Be brief."),
            Value::from(r#"[{"type": "text", "content": "Be brief."}]"#),
            serde_json::json!([{"type": "text", "content": "Be brief."}]),
            serde_json::json!({"type": "text", "content": "Be brief."}),
            Value::from(7),
        ];
        let messages = [
            None,
            Some(Value::from("[]")),
            Some(Value::from(" [ {\"role\": \"user\", \"parts\": []} ] ")),
            Some(serde_json::json!([{"role": "user", "parts": []}])),
            Some(Value::from("not JSON [")),
            Some(serde_json::json!({"role": "user"})),
        ];
        for system in &systems {
            for message in &messages {
                let mut map = attrs(&[("gen_ai.system_instructions", system.clone())]);
                if let Some(message) = message {
                    map.insert("gen_ai.input.messages".into(), message.clone());
                }
                let known = Known::new(&map);
                let joined = with_system(
                    content_raw(known.get(Key::gen_ai_input_messages)),
                    content_raw(known.get(Key::gen_ai_system_instructions)).as_ref(),
                );
                let value: Value = serde_json::from_str(joined.text())
                    .unwrap_or_else(|error| panic!("{}: {error}", joined.text()));
                if let Value::Array(items) = value {
                    assert_eq!(items[0]["role"], "system", "{}", joined.text());
                    assert!(items[0]["parts"].is_array(), "{}", joined.text());
                }
            }
        }
    }

    #[test]
    fn nearest_walks_up_to_the_first_owner() {
        let parents = [None, Some(0), Some(1), None];
        let own = [Some("t".to_string()), None, None, None];
        assert_eq!(nearest(&parents, &own), [Some(0), Some(0), Some(0), None]);
    }
}
