//! CrewAI trace batches (the events its tracing listener posts to its platform) into the model.
//!
//! Spec: none published; read from the source of crewAIInc/crewAI
//! <https://github.com/crewAIInc/crewAI/tree/main/lib/crewai/src/crewai/events/listeners/tracing>
//! (`trace_listener.py`, `trace_batch_manager.py`) and `events/event_context.py` (which
//! start event each end event closes).
//!
//! Accepted, all making ONE trace (a batch carries no run id, so every event in the file
//! is taken to belong to one run): `{"events": […], "batch_metadata": {…}}` or
//! `{"events": […]}`, a bare list of events, a list of batches, several batches
//! concatenated (several documents) and one event per line. Detection is by shape: a
//! document must be a batch, an event or a list of either, and every document must be
//! CrewAI's.
//!
//! Choices, so that readers of the model know what they get:
//! - Events are ordered by `emission_sequence` (when every event has one), then `timestamp`,
//!   keeping file order for ties.
//! - An end event closes its start by `started_event_id`; else by scope (the open start of
//!   its family with the same `parent_event_id`); else, for clients 1.4–1.6 that send
//!   neither, the latest open start of its family with the same key (task id or name,
//!   agent role, tool name, LLM `call_id`, method name), else the latest of its family.
//! - A start nests under the event named by `parent_event_id`, else under the innermost
//!   open start (LLM and tool calls inside the open agent execution, the agent inside its task).
//! - The first top-level `crew_kickoff_*` or `flow_*` is the trace itself; tasks and flow
//!   methods (`method_execution_*`) become `Task`s, not steps; a nested crew or flow is a
//!   `Span` step. Every other event is a step; unknown types are kept as `Other` with their
//!   `event_data` in the attributes.
//! - A tool's output stays on its `ToolCall` step (no separate `ToolResult` step): CrewAI
//!   reports the call and its result in one start/end pair. `tool_usage_error` makes the
//!   call `Failed` with the error; a retry is the next `tool_usage_started`.
//! - Tokens are read from each `llm_call_completed.usage` (`prompt_tokens` includes
//!   `cached_prompt_tokens`). `crew_kickoff_completed.total_tokens` is kept as
//!   `metadata["stated_total_tokens"]`; when the calls carry no usage (old clients, the
//!   real samples in tests/fixtures/real) a repair note says so, and when their sum differs from the stated
//!   total, a note gives both figures. The stated total is never spread over calls by guess.
//! - The trace's final output is `crew_kickoff_completed.output.raw` (the text), with the
//!   whole `output` kept in `metadata["output"]`; for a flow, `flow_finished.result`.
//! - A start with no end is `Running` (and noted); an end with no start is kept with no
//!   start time (and noted), except a task, which begins with its first step (1.6.0 sends
//!   `task_completed` only).
//! - CrewAI states no cost, so `cost` stays `None`.

use crate::fast_hash::{HashMap, HashSet};
use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::repair::{collect_agent_models, repair_step_tree};
use super::{
    parse_document, parse_rfc3339_ns, Detection, Document, ImportError, ObjectOnly, Shape,
};
use crate::model::{
    value_as_text, Agent, RawJson, Repair, SourceFormat, Status, Step, StepError, StepKind, Task,
    Trace, TraceKind, Usage,
};

const FORMAT: SourceFormat = SourceFormat::CrewAi;
const TIME_EXPECTED: &str = "an ISO 8601 time such as \"2025-11-29T03:12:24.774266+00:00\"";

/// Families that CrewAI opens and closes as a scope (`event_context.py`): an end of one of
/// these with no start is a lost start, whereas an unknown `*_failed` is a one-off event.
const SPAN_FAMILIES: &[&str] = &[
    "flow",
    "method_execution",
    "crew_kickoff",
    "crew_train",
    "crew_test",
    "agent_execution",
    "agent_evaluation",
    "lite_agent_execution",
    "task",
    "llm_call",
    "llm_guardrail",
    "tool_usage",
    "mcp_connection",
    "mcp_tool_execution",
    "memory_retrieval",
    "memory_save",
    "memory_query",
    "knowledge_query",
    "knowledge_search_query",
    "knowledge_retrieval",
    "a2a_delegation",
    "a2a_conversation",
    "a2a_server_task",
    "a2a_parallel_delegation",
    "agent_reasoning",
    "step_observation",
    "skill_discovery",
];

/// Fields of `event_data` that become a step's input, in order of preference.
const INPUT_KEYS: &[&str] = &[
    "messages",
    "tool_args",
    "query",
    "params",
    "inputs",
    "value",
];
/// Fields of an end event's `event_data` that become a step's output.
const OUTPUT_KEYS: &[&str] = &[
    "response",
    "output",
    "plan",
    "results",
    "retrieved_knowledge",
    "result",
    "memory_content",
];
/// Envelope fields that `event_data` repeats; the envelope's copy is kept.
const ENVELOPE_KEYS: &[&str] = &[
    "timestamp",
    "type",
    "event_id",
    "emission_sequence",
    "parent_event_id",
    "previous_event_id",
    "triggered_by_event_id",
    "started_event_id",
];

// ---------------------------------------------------------------------------------------
// Raw types
// ---------------------------------------------------------------------------------------

#[derive(Deserialize)]
struct RawBatch {
    events: Vec<RawEvent>,
    batch_metadata: Option<Value>,
}

/// One `TraceEvent`. `event_data` is free-form (the serialised pydantic event, about a
/// hundred types across versions) and is kept whole, so it stays a JSON map.
#[derive(Deserialize)]
struct RawEvent {
    event_id: Option<String>,
    timestamp: Option<String>,
    #[serde(rename = "type")]
    event_type: String,
    event_data: Option<Map<String, Value>>,
    emission_sequence: Option<u64>,
    parent_event_id: Option<String>,
    previous_event_id: Option<String>,
    triggered_by_event_id: Option<String>,
    started_event_id: Option<String>,
}

#[derive(Deserialize, Default)]
struct RawUsage {
    #[serde(alias = "input_tokens")]
    prompt_tokens: Option<u64>,
    #[serde(alias = "output_tokens")]
    completion_tokens: Option<u64>,
    cached_prompt_tokens: Option<u64>,
    reasoning_tokens: Option<u64>,
    prompt_tokens_details: Option<RawPromptDetails>,
    completion_tokens_details: Option<RawCompletionDetails>,
}

#[derive(Deserialize, Default)]
struct RawPromptDetails {
    cached_tokens: Option<u64>,
    audio_tokens: Option<u64>,
}

#[derive(Deserialize, Default)]
struct RawCompletionDetails {
    reasoning_tokens: Option<u64>,
    audio_tokens: Option<u64>,
}

// ---------------------------------------------------------------------------------------
// Detection
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum ItemKind {
    Batch,
    Event,
}

#[derive(Clone, Copy)]
enum DocKind {
    Batch,
    Event,
    BatchList,
    EventList,
}

/// What detection reads of an object: which keys are there, nothing more.
#[derive(Deserialize)]
struct ProbeItem {
    event_id: Option<IgnoredAny>,
    event_data: Option<IgnoredAny>,
    events: Option<Vec<ObjectOnly<ProbeEvent>>>,
    batch_metadata: Option<IgnoredAny>,
    /// LangSmith runs also have `events` (`[{name, time}]`): never ours.
    run_type: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct ProbeEvent {
    event_id: Option<IgnoredAny>,
    event_data: Option<IgnoredAny>,
}

impl ProbeEvent {
    fn looks_like_event(&self) -> bool {
        self.event_id.is_some() || self.event_data.is_some()
    }
}

impl ProbeItem {
    fn kind(&self) -> Option<ItemKind> {
        if self.run_type.is_some() {
            return None;
        }
        match &self.events {
            Some(events) => {
                let all_events =
                    !events.is_empty() && events.iter().all(|event| event.0.looks_like_event());
                (self.batch_metadata.is_some() || all_events).then_some(ItemKind::Batch)
            }
            None => {
                (self.event_id.is_some() || self.event_data.is_some()).then_some(ItemKind::Event)
            }
        }
    }
}

/// A list whose items are all events or all batches; stops at the first foreign item,
/// so that a Jaeger or LangSmith list is turned down after one element.
struct ArrayProbe(ItemKind);

impl<'de> Deserialize<'de> for ArrayProbe {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ArrayProbe, D::Error> {
        struct ProbeVisitor;
        impl<'de> Visitor<'de> for ProbeVisitor {
            type Value = ArrayProbe;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of CrewAI events or batches")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ArrayProbe, A::Error> {
                let mut kind = None;
                while let Some(ObjectOnly(item)) = seq.next_element::<ObjectOnly<ProbeItem>>()? {
                    let this = item
                        .kind()
                        .ok_or_else(|| de::Error::custom("not a CrewAI event or batch"))?;
                    match kind {
                        None => kind = Some(this),
                        Some(seen) if seen == this => {}
                        Some(_) => return Err(de::Error::custom("events and batches mixed")),
                    }
                }
                kind.map(ArrayProbe)
                    .ok_or_else(|| de::Error::custom("an empty list"))
            }
        }
        deserializer.deserialize_seq(ProbeVisitor)
    }
}

fn document_kind(document: &Document) -> Option<DocKind> {
    let shape = &document.shape;
    match shape {
        Shape::Object { .. } => {
            let keyed =
                shape.has_key("events") || shape.has_key("event_data") || shape.has_key("event_id");
            if !keyed || shape.has_key("run_type") {
                return None;
            }
            if shape.has_key("events") && shape.has_key("batch_metadata") {
                return Some(DocKind::Batch);
            }
            let probe: ProbeItem = serde_json::from_str(document.text).ok()?;
            match probe.kind()? {
                ItemKind::Batch => Some(DocKind::Batch),
                ItemKind::Event => Some(DocKind::Event),
            }
        }
        Shape::Array { len } if *len > 0 => {
            let ArrayProbe(kind) = serde_json::from_str(document.text).ok()?;
            match kind {
                ItemKind::Batch => Some(DocKind::BatchList),
                ItemKind::Event => Some(DocKind::EventList),
            }
        }
        _ => None,
    }
}

/// Claims the documents when every one is a CrewAI batch, event, or list of them.
pub fn detect(documents: &[Document]) -> Detection<Vec<Trace>> {
    let Some(kinds) = super::classify_all(documents, document_kind) else {
        return Detection::Incompatible;
    };
    Detection::Imported(import(documents, &kinds).map(|trace| vec![trace]))
}

// ---------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------

/// One event, with where it was in the input and its envelope completed from `event_data`.
struct Event {
    /// JSON path of the event, e.g. `events[3]` or `line 2, events[0]`.
    path: String,
    id: Option<String>,
    event_type: String,
    time_ns: Option<i64>,
    sequence: Option<u64>,
    parent_event_id: Option<String>,
    started_event_id: Option<String>,
    previous_event_id: Option<String>,
    triggered_by_event_id: Option<String>,
    data: Map<String, Value>,
}

impl Event {
    fn from_raw(raw: RawEvent, path: String) -> Result<Event, ImportError> {
        let data = raw.event_data.unwrap_or_default();
        // Clients send "" when the event had no timestamp: that is a missing time, not bad data.
        let time_ns = match raw.timestamp.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(parse_rfc3339_ns(text).ok_or_else(|| {
                invalid(
                    &format!("{path}.timestamp"),
                    &format!("{TIME_EXPECTED}, not {text:?}"),
                )
            })?),
        };
        // Newer clients put the links on the envelope; `event_data` (the serialised
        // event) carries them too, so either place is read.
        let from_data = |key: &str| text_of(&data, key).map(str::to_string);
        Ok(Event {
            id: raw.event_id.or_else(|| from_data("event_id")),
            event_type: raw.event_type,
            time_ns,
            sequence: raw
                .emission_sequence
                .or_else(|| data.get("emission_sequence").and_then(Value::as_u64)),
            parent_event_id: raw.parent_event_id.or_else(|| from_data("parent_event_id")),
            started_event_id: raw
                .started_event_id
                .or_else(|| from_data("started_event_id")),
            previous_event_id: raw
                .previous_event_id
                .or_else(|| from_data("previous_event_id")),
            triggered_by_event_id: raw
                .triggered_by_event_id
                .or_else(|| from_data("triggered_by_event_id")),
            data,
            path,
        })
    }

    fn text(&self, key: &str) -> Option<&str> {
        text_of(&self.data, key)
    }

    fn value(&self, key: &str) -> Option<&Value> {
        self.data.get(key).filter(|value| !value.is_null())
    }
}

/// A non-empty string field.
fn text_of<'a>(data: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    data.get(key)
        .and_then(Value::as_str)
        .filter(|text| !text.trim().is_empty())
}

fn invalid(path: &str, expected: &str) -> ImportError {
    ImportError::Invalid {
        format: FORMAT,
        path: path.to_string(),
        expected: expected.to_string(),
    }
}

/// Reads every document's events, each with its JSON path.
fn read_events(
    documents: &[Document],
    kinds: &[DocKind],
) -> Result<(Vec<Event>, Vec<Value>), ImportError> {
    let several = documents.len() > 1;
    let mut events = Vec::new();
    let mut batch_metadata = Vec::new();
    for (document, kind) in documents.iter().zip(kinds) {
        let prefix = if several {
            format!("line {}, ", document.line)
        } else {
            String::new()
        };
        let mut add = |raw: RawEvent, path: String| -> Result<(), ImportError> {
            events.push(Event::from_raw(raw, path)?);
            Ok(())
        };
        match kind {
            DocKind::Batch => {
                let batch: RawBatch = parse_document(document, FORMAT)?;
                batch_metadata.extend(batch.batch_metadata);
                for (index, raw) in batch.events.into_iter().enumerate() {
                    add(raw, format!("{prefix}events[{index}]"))?;
                }
            }
            DocKind::BatchList => {
                let batches: Vec<RawBatch> = parse_document(document, FORMAT)?;
                for (batch_index, batch) in batches.into_iter().enumerate() {
                    batch_metadata.extend(batch.batch_metadata);
                    for (index, raw) in batch.events.into_iter().enumerate() {
                        add(raw, format!("{prefix}[{batch_index}].events[{index}]"))?;
                    }
                }
            }
            DocKind::EventList => {
                let list: Vec<RawEvent> = parse_document(document, FORMAT)?;
                for (index, raw) in list.into_iter().enumerate() {
                    add(raw, format!("{prefix}[{index}]"))?;
                }
            }
            DocKind::Event => {
                let raw: RawEvent = parse_document(document, FORMAT)?;
                let path = if several {
                    format!("line {}", document.line)
                } else {
                    "$".to_string()
                };
                add(raw, path)?;
            }
        }
    }
    Ok((events, batch_metadata))
}

/// `emission_sequence` is CrewAI's own order, but only comparable when every event has
/// one; the timestamp breaks ties. An event without a time keeps the time of the event
/// before it in the file, so that it stays where it was sent.
fn order_events(events: &mut Vec<Event>) {
    let every_sequence = events.iter().all(|event| event.sequence.is_some());
    let mut last_time = i64::MIN;
    let mut keyed: Vec<(u64, i64, Event)> = events
        .drain(..)
        .map(|event| {
            if let Some(time) = event.time_ns {
                last_time = time;
            }
            let sequence = if every_sequence {
                event.sequence.unwrap_or(0)
            } else {
                0
            };
            (sequence, last_time, event)
        })
        .collect();
    // `sort_by` is stable: equal keys keep file order.
    keyed.sort_by_key(|(sequence, time, _)| (*sequence, *time));
    events.extend(keyed.into_iter().map(|(_, _, event)| event));
}

// ---------------------------------------------------------------------------------------
// Pairing and nesting
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Start,
    End(Status),
    Instant(Status),
}

/// `llm_call_completed` → (`llm_call`, end). `*_paused` stays an instant: the scope is
/// still open.
fn split_type(event_type: &str) -> (&str, Phase) {
    if let Some(family) = event_type.strip_suffix("_started") {
        return (family, Phase::Start);
    }
    for suffix in ["_completed", "_finished"] {
        if let Some(family) = event_type.strip_suffix(suffix) {
            return (family, Phase::End(Status::Completed));
        }
    }
    for suffix in ["_failed", "_error", "_canceled", "_cancelled"] {
        if let Some(family) = event_type.strip_suffix(suffix) {
            return (family, Phase::End(Status::Failed));
        }
    }
    (event_type, Phase::Instant(Status::Completed))
}

fn step_kind(family: &str) -> StepKind {
    match family {
        "llm_call" => StepKind::LlmCall,
        "tool_usage" | "mcp_tool_execution" => StepKind::ToolCall,
        "agent_execution" | "lite_agent_execution" => StepKind::Agent,
        "agent_reasoning"
        | "step_observation"
        | "plan_refinement"
        | "plan_replan_triggered"
        | "goal_achieved_early" => StepKind::Reasoning,
        "llm_guardrail" => StepKind::Guardrail,
        "tool_failure_detected" => StepKind::Error,
        "crew_kickoff" | "flow" | "task" | "method_execution" | "crew_train" | "crew_test"
        | "agent_evaluation" | "mcp_connection" => StepKind::Span,
        family if family.starts_with("memory_") => StepKind::Memory,
        family if family.starts_with("knowledge_") => StepKind::Knowledge,
        family if family.starts_with("a2a_") && SPAN_FAMILIES.contains(&family) => StepKind::Span,
        _ => StepKind::Other,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Root(TraceKind),
    Task,
    Method,
    Step(StepKind),
}

struct Node {
    family: String,
    role: Role,
    /// Index (in `Builder::events`) of the start event, and of the end event.
    start: Option<usize>,
    end: Option<usize>,
    end_status: Status,
    /// The node this one is nested in.
    container: Option<usize>,
}

struct Builder<'e> {
    events: &'e [Event],
    nodes: Vec<Node>,
    /// Open nodes, innermost last.
    open: Vec<usize>,
    /// Start event id → latest node it opened.
    by_event_id: HashMap<&'e str, usize>,
    root: Option<usize>,
    repairs: Vec<Repair>,
}

/// What closes what when no link says so (old clients): the task, agent, tool, call or
/// method the end event names.
fn pairing_key<'a>(family: &str, event: &'a Event) -> Option<&'a str> {
    match family {
        "task" => event.text("task_id").or_else(|| event.text("task_name")),
        "agent_execution" | "lite_agent_execution" => event.text("agent_role"),
        "llm_call" => event.text("call_id"),
        "tool_usage" | "mcp_tool_execution" => event.text("tool_name"),
        "method_execution" => event.text("method_name"),
        "crew_kickoff" => event.text("crew_name"),
        "flow" => event.text("flow_name"),
        _ => None,
    }
}

impl<'e> Builder<'e> {
    fn new(events: &'e [Event]) -> Builder<'e> {
        Builder {
            events,
            nodes: Vec::new(),
            open: Vec::new(),
            by_event_id: HashMap::default(),
            root: None,
            repairs: Vec::new(),
        }
    }

    fn run(&mut self) {
        let events = self.events;
        for (index, event) in events.iter().enumerate() {
            let (family, phase) = split_type(&event.event_type);
            match phase {
                Phase::Start => {
                    let node = self.add_node(family, index, true);
                    self.open.push(node);
                    if let Some(id) = event.id.as_deref() {
                        self.by_event_id.insert(id, node);
                    }
                }
                Phase::End(status) => match self.find_open(family, event) {
                    Some(node) => {
                        self.nodes[node].end = Some(index);
                        self.nodes[node].end_status = status;
                        self.open.retain(|&open| open != node);
                    }
                    None if SPAN_FAMILIES.contains(&family) => {
                        // A task's lost start is noted once its steps are known
                        // (`infer_task_starts`), since they may tell when it began.
                        if family != "task" {
                            let what = format!(
                                "{} has no {family}_started before it; \
                                 it is kept with no start time",
                                event.event_type
                            );
                            self.repairs.push(Repair {
                                path: event.path.clone(),
                                what,
                            });
                        }
                        let node = self.add_node(family, index, false);
                        self.nodes[node].end = Some(index);
                        self.nodes[node].end_status = status;
                    }
                    // An unknown `*_failed` with nothing open is a one-off event.
                    None => {
                        self.add_instant(&event.event_type, index, status);
                    }
                },
                Phase::Instant(status) => {
                    self.add_instant(&event.event_type, index, status);
                }
            }
        }
    }

    /// The node `event` nests in: the one its `parent_event_id` names, else the innermost open one.
    fn container_of(&mut self, event: &Event) -> Option<usize> {
        if let Some(parent) = event.parent_event_id.as_deref() {
            if let Some(&node) = self.by_event_id.get(parent) {
                return Some(node);
            }
            // The parent may be in a batch that was not saved; the scope is the best guess left.
            self.repairs.push(Repair {
                path: format!("{}.parent_event_id", event.path),
                what: format!(
                    "parent event {parent:?} is not in the file; \
                     the event is nested by scope instead"
                ),
            });
        }
        self.open.last().copied()
    }

    fn add_node(&mut self, family: &str, index: usize, is_start: bool) -> usize {
        let event = &self.events[index];
        let container = self.container_of(event);
        let role = match family {
            "crew_kickoff" | "flow" if self.root.is_none() && self.open.is_empty() => {
                Role::Root(if family == "flow" {
                    TraceKind::Flow
                } else {
                    TraceKind::Crew
                })
            }
            "task" => Role::Task,
            "method_execution" => Role::Method,
            _ => Role::Step(step_kind(family)),
        };
        let node = self.nodes.len();
        if matches!(role, Role::Root(_)) {
            self.root = Some(node);
        }
        self.nodes.push(Node {
            family: family.to_string(),
            role,
            start: is_start.then_some(index),
            end: None,
            end_status: Status::Running,
            container: if matches!(role, Role::Root(_)) {
                None
            } else {
                container
            },
        });
        node
    }

    fn add_instant(&mut self, event_type: &str, index: usize, status: Status) -> usize {
        let event = &self.events[index];
        let container = self.container_of(event);
        let node = self.nodes.len();
        self.nodes.push(Node {
            family: event_type.to_string(),
            role: Role::Step(step_kind(event_type)),
            start: Some(index),
            end: Some(index),
            end_status: status,
            container,
        });
        node
    }

    /// The open start that `event` (an end of `family`) closes.
    fn find_open(&self, family: &str, event: &Event) -> Option<usize> {
        let events = self.events;
        let candidates = || {
            self.open
                .iter()
                .rev()
                .copied()
                .filter(|&node| self.nodes[node].family == family)
        };
        let start_of = |node: usize| self.nodes[node].start.and_then(|index| events.get(index));
        if let Some(started) = event.started_event_id.as_deref() {
            let found = candidates().find(|&node| {
                start_of(node).and_then(|start| start.id.as_deref()) == Some(started)
            });
            if found.is_some() {
                return found;
            }
        }
        if let Some(parent) = event.parent_event_id.as_deref() {
            let found = candidates().find(|&node| {
                start_of(node).and_then(|start| start.parent_event_id.as_deref()) == Some(parent)
            });
            if found.is_some() {
                return found;
            }
        }
        let key = pairing_key(family, event);
        let found = candidates().find(|&node| {
            let open_key = start_of(node).and_then(|start| pairing_key(family, start));
            match (key, open_key) {
                (Some(key), Some(open_key)) => key == open_key,
                _ => true,
            }
        });
        found.or_else(|| candidates().next())
    }
}

// ---------------------------------------------------------------------------------------
// Building the model
// ---------------------------------------------------------------------------------------

/// Roles in first-seen order; an agent's id is CrewAI's `agent_id` when an event pairs one
/// with the role, else the role itself (agent execution events carry only the role).
struct Agents {
    agents: Vec<Agent>,
    by_role: HashMap<String, usize>,
    by_crewai_id: HashMap<String, usize>,
}

impl Agents {
    fn collect(events: &[Event]) -> Agents {
        let mut agents: Vec<Agent> = Vec::new();
        let mut by_role: HashMap<String, usize> = HashMap::default();
        let mut crewai_ids: Vec<Option<String>> = Vec::new();
        for event in events {
            let Some(role) = event.text("agent_role") else {
                continue;
            };
            let index = *by_role.entry(role.to_string()).or_insert_with(|| {
                agents.push(Agent {
                    id: String::new(),
                    role: role.to_string(),
                    ..Agent::default()
                });
                crewai_ids.push(None);
                agents.len() - 1
            });
            let agent = &mut agents[index];
            if agent.goal.is_none() {
                agent.goal = event.text("agent_goal").map(str::to_string);
            }
            if agent.backstory.is_none() {
                agent.backstory = event.text("agent_backstory").map(str::to_string);
            }
            if crewai_ids[index].is_none() {
                crewai_ids[index] = event.text("agent_id").map(str::to_string);
            }
        }
        let mut used: HashSet<String> = HashSet::default();
        let mut by_crewai_id = HashMap::default();
        for (index, agent) in agents.iter_mut().enumerate() {
            // Two roles sharing one agent_id would merge in the UI; the role stays unique.
            agent.id = match &crewai_ids[index] {
                Some(id) if !used.contains(id) && !by_role.contains_key(id) => {
                    by_crewai_id.insert(id.clone(), index);
                    id.clone()
                }
                _ => agent.role.clone(),
            };
            used.insert(agent.id.clone());
        }
        Agents {
            agents,
            by_role,
            by_crewai_id,
        }
    }

    fn id_for(&self, event: &Event) -> Option<String> {
        let index = event
            .text("agent_role")
            .and_then(|role| self.by_role.get(role))
            .or_else(|| {
                event
                    .text("agent_id")
                    .and_then(|id| self.by_crewai_id.get(id))
            })?;
        self.agents.get(*index).map(|agent| agent.id.clone())
    }
}

/// Where a node puts its children: their parent step, task and agent.
#[derive(Clone, Default)]
struct Context {
    step_id: Option<String>,
    task_id: Option<String>,
    agent_id: Option<String>,
    /// CrewAI's own id of the task, to tell a rerun task (`id#2`) from the first.
    crewai_task_id: Option<String>,
}

/// Keeps a step's `event_data` as attributes: the start's first, then the end's fields
/// that differ (as `end_<field>`), without the fields already in the model or the envelope.
fn add_attributes(
    attributes: &mut Map<String, Value>,
    event: &Event,
    is_end: bool,
    mapped: &[&str],
) {
    let prefix = if is_end { "end_" } else { "" };
    let envelope = [
        ("event_type", Some(event.event_type.as_str())),
        ("event_id", event.id.as_deref()),
        ("parent_event_id", event.parent_event_id.as_deref()),
        ("previous_event_id", event.previous_event_id.as_deref()),
        (
            "triggered_by_event_id",
            event.triggered_by_event_id.as_deref(),
        ),
    ];
    for (key, value) in envelope {
        if let Some(value) = value {
            attributes.insert(format!("{prefix}{key}"), Value::from(value));
        }
    }
    if let Some(sequence) = event.sequence {
        attributes.insert(format!("{prefix}emission_sequence"), Value::from(sequence));
    }
    for (key, value) in &event.data {
        if value.is_null()
            || ENVELOPE_KEYS.contains(&key.as_str())
            || mapped.contains(&key.as_str())
        {
            continue;
        }
        let value = match (key.as_str(), value) {
            ("call_type", Value::String(text)) => Value::from(call_type(text)),
            _ => value.clone(),
        };
        match attributes.get(key) {
            None => {
                attributes.insert(key.clone(), value);
            }
            Some(existing) if *existing == value => {}
            Some(_) => {
                attributes.insert(format!("end_{key}"), value);
            }
        }
    }
}

/// Old clients send the enum's repr, `"<LLMCallType.LLM_CALL: 'llm_call'>"`;
/// the value is `llm_call`.
fn call_type(text: &str) -> &str {
    let inner = text
        .strip_prefix('<')
        .and_then(|rest| rest.strip_suffix('>'))
        .and_then(|rest| rest.split_once(": "))
        .map(|(_, value)| value.trim_matches(|c| c == '\'' || c == '"'));
    match inner {
        Some(value) if !value.is_empty() => value,
        _ => text,
    }
}

fn first_value<'a>(events: &[Option<&'a Event>], keys: &[&'a str]) -> Option<(&'a str, &'a Value)> {
    keys.iter().find_map(|&key| {
        events
            .iter()
            .flatten()
            .find_map(|event| event.value(key).map(|value| (key, value)))
    })
}

fn first_text<'a>(events: &[Option<&'a Event>], keys: &[&str]) -> Option<&'a str> {
    keys.iter()
        .find_map(|&key| events.iter().flatten().find_map(|event| event.text(key)))
}

fn usage_of(event: &Event) -> Result<Option<Usage>, ImportError> {
    let Some(value) = event.value("usage") else {
        return Ok(None);
    };
    let raw: RawUsage = serde_path_to_error::deserialize(value).map_err(|error| {
        let inner = error.path().to_string();
        let path = if inner == "." {
            format!("{}.event_data.usage", event.path)
        } else {
            format!("{}.event_data.usage.{inner}", event.path)
        };
        invalid(&path, &format!("token counts ({})", error.into_inner()))
    })?;
    if raw.prompt_tokens.is_none() && raw.completion_tokens.is_none() {
        return Ok(None);
    }
    let (prompt_details, completion_details) = (
        raw.prompt_tokens_details.unwrap_or_default(),
        raw.completion_tokens_details.unwrap_or_default(),
    );
    Ok(Some(Usage {
        input_tokens: raw.prompt_tokens,
        output_tokens: raw.completion_tokens,
        cached_input_tokens: raw.cached_prompt_tokens.or(prompt_details.cached_tokens),
        cache_write_tokens: None,
        reasoning_tokens: raw.reasoning_tokens.or(completion_details.reasoning_tokens),
        audio_input_tokens: prompt_details.audio_tokens,
        audio_output_tokens: completion_details.audio_tokens,
        image_input_tokens: None,
    }))
}

fn error_of(event: Option<&Event>) -> StepError {
    let message = event
        .and_then(|event| event.value("error"))
        .map(value_as_text)
        .unwrap_or_else(|| {
            let what = event.map_or("the event", |event| event.event_type.as_str());
            format!("{what} (no error message)")
        });
    StepError {
        error_type: event
            .and_then(|event| event.text("error_type"))
            .map(str::to_string),
        message,
        stack: None,
    }
}

/// Makes `id` unique among `used`, with a `#n` suffix.
fn unique_id(id: &str, used: &mut HashSet<String>) -> String {
    if used.insert(id.to_string()) {
        return id.to_string();
    }
    let mut copy: u32 = 2;
    loop {
        let candidate = format!("{id}#{copy}");
        if used.insert(candidate.clone()) {
            return candidate;
        }
        copy = copy.saturating_add(1);
    }
}

fn import(documents: &[Document], kinds: &[DocKind]) -> Result<Trace, ImportError> {
    let (mut events, batch_metadata) = read_events(documents, kinds)?;
    if events.is_empty() {
        return Err(invalid("events", "at least one CrewAI event"));
    }
    order_events(&mut events);
    let mut builder = Builder::new(&events);
    builder.run();
    let Builder {
        nodes,
        root,
        mut repairs,
        ..
    } = builder;
    let agents = Agents::collect(&events);

    let ids = node_ids(&events, &nodes, &mut repairs);
    let Built {
        mut tasks,
        mut steps,
        step_paths,
        task_names,
    } = build_tasks_and_steps(&events, &nodes, &ids, &agents)?;
    note_unended(&events, &nodes, &mut repairs);

    infer_agent_tasks(&mut steps);
    add_implied_tasks(&mut tasks, &steps, &task_names, &mut repairs);
    infer_task_starts(&mut tasks, &nodes, &ids, &steps, &events, &mut repairs);

    let run = Run::of(&events, &nodes, root);
    let mut metadata = run_metadata(&events, &run, batch_metadata);
    check_tokens(&events, &steps, &mut metadata, &mut repairs);

    repair_step_tree(
        &mut steps,
        |index| step_paths.get(index).cloned().unwrap_or_default(),
        &mut repairs,
    );
    let mut agents = agents.agents;
    collect_agent_models(&mut agents, &steps);

    Ok(Trace {
        links: Default::default(),
        notes: Default::default(),
        id: run.id(&events),
        name: run.name(),
        kind: run.kind,
        status: run.status,
        start_ns: run.start_ns,
        end_ns: run.end_ns,
        input: run
            .start
            .and_then(|event| event.value("inputs"))
            .map(RawJson::from),
        final_output: run.final_output(),
        metadata,
        agents,
        tasks,
        steps,
        source_format: FORMAT,
        repairs,
    })
}

fn event_at(events: &[Event], index: Option<usize>) -> Option<&Event> {
    index.and_then(|index| events.get(index))
}

fn time_at(events: &[Event], index: Option<usize>) -> Option<i64> {
    event_at(events, index).and_then(|event| event.time_ns)
}

impl Node {
    /// A node that never ended is still running, whatever its end status says.
    fn status(&self) -> Status {
        match self.end {
            Some(_) => self.end_status,
            None => Status::Running,
        }
    }

    /// The node's start and end events, the places its fields are read from.
    fn sources<'e>(&self, events: &'e [Event]) -> [Option<&'e Event>; 2] {
        [event_at(events, self.start), event_at(events, self.end)]
    }
}

/// Each node's id, worked out before any task or step is built so that children can name
/// their task and parent. Ids used twice get a `#n` suffix, noted as a repair where that
/// means bad data.
fn node_ids(events: &[Event], nodes: &[Node], repairs: &mut Vec<Repair>) -> Vec<String> {
    let mut task_ids: HashSet<String> = HashSet::default();
    let mut step_ids: HashSet<String> = HashSet::default();
    let mut ids: Vec<String> = Vec::with_capacity(nodes.len());
    for (index, node) in nodes.iter().enumerate() {
        let sources = node.sources(events);
        let first = sources.iter().flatten().next();
        let path = first.map_or_else(String::new, |event| event.path.clone());
        let id = match node.role {
            Role::Root(_) => String::new(),
            Role::Task => {
                let id = first_text(&sources, &["task_id"])
                    .map_or_else(|| format!("task-{index}"), str::to_string);
                let unique = unique_id(&id, &mut task_ids);
                if unique != id {
                    repairs.push(Repair {
                        path,
                        what: format!(
                            "task id {id:?} was used before; this run is kept as {unique:?}"
                        ),
                    });
                }
                unique
            }
            // A method that runs again (a loop, a router) is a new run, not bad data.
            Role::Method => {
                let name = first_text(&sources, &["method_name"]).unwrap_or("method");
                unique_id(name, &mut task_ids)
            }
            Role::Step(_) => {
                let id = first
                    .and_then(|event| event.id.clone())
                    .unwrap_or_else(|| path.clone());
                let unique = unique_id(&id, &mut step_ids);
                if unique != id {
                    repairs.push(Repair {
                        path: format!("{path}.event_id"),
                        what: format!(
                            "event id {id:?} was used before; this step is kept as {unique:?}"
                        ),
                    });
                }
                unique
            }
        };
        ids.push(id);
    }
    ids
}

/// CrewAI's task id → the id of the task built for its first run, for steps that name
/// their task by CrewAI's id.
fn first_runs_of_tasks(
    events: &[Event],
    nodes: &[Node],
    ids: &[String],
) -> HashMap<String, String> {
    let mut map = HashMap::default();
    for (node, id) in nodes.iter().zip(ids) {
        if node.role == Role::Task {
            if let Some(crewai_id) = first_text(&node.sources(events), &["task_id"]) {
                map.entry(crewai_id.to_string())
                    .or_insert_with(|| id.clone());
            }
        }
    }
    map
}

/// The tasks and steps built from the nodes, with what the repairs after them need.
struct Built {
    tasks: Vec<Task>,
    steps: Vec<Step>,
    /// Each step's JSON path, for the step-tree repairs.
    step_paths: Vec<String>,
    /// CrewAI task id → task name, as steps name them, for tasks that sent no event.
    task_names: HashMap<String, String>,
}

/// One task per task or method node and one step per step node, in node order. Each node
/// hands its children a `Context`; containers come before what they contain, so a node's
/// container is always built first.
fn build_tasks_and_steps(
    events: &[Event],
    nodes: &[Node],
    ids: &[String],
    agents: &Agents,
) -> Result<Built, ImportError> {
    let first_runs = first_runs_of_tasks(events, nodes, ids);
    let mut contexts: Vec<Context> = Vec::with_capacity(nodes.len());
    let mut built = Built {
        tasks: Vec::new(),
        steps: Vec::new(),
        step_paths: Vec::new(),
        task_names: HashMap::default(),
    };
    for (node, id) in nodes.iter().zip(ids) {
        let inherited = node
            .container
            .and_then(|container| contexts.get(container))
            .cloned()
            .unwrap_or_default();
        let context = match node.role {
            Role::Root(_) => Context::default(),
            Role::Task | Role::Method => {
                let (task, context) = task_of(events, node, id.clone(), agents);
                built.tasks.push(task);
                context
            }
            Role::Step(kind) => {
                let sources = node.sources(events);
                let (task_id, crewai_task_id) =
                    task_of_step(&sources, &inherited, &first_runs, &mut built.task_names);
                let agent_id =
                    first_of(&sources, |event| agents.id_for(event)).or(inherited.agent_id.clone());
                let [start, end] = sources;
                let step = build_step(StepParts {
                    id: id.clone(),
                    kind,
                    family: &node.family,
                    start,
                    end,
                    status: node.status(),
                    parent_id: inherited.step_id.clone(),
                    task_id: task_id.clone(),
                    agent_id: agent_id.clone(),
                })?;
                built.step_paths.push(
                    sources
                        .iter()
                        .flatten()
                        .next()
                        .map_or_else(String::new, |e| e.path.clone()),
                );
                built.steps.push(step);
                Context {
                    step_id: Some(id.clone()),
                    task_id,
                    agent_id,
                    crewai_task_id,
                }
            }
        };
        contexts.push(context);
    }
    Ok(built)
}

/// The task of a task or method node (a flow's methods are its tasks), and the context
/// it hands its steps.
fn task_of(events: &[Event], node: &Node, id: String, agents: &Agents) -> (Task, Context) {
    let sources = node.sources(events);
    let [start, end] = sources;
    let is_task = node.role == Role::Task;
    let name_keys: &[&str] = if is_task {
        &["task_name", "task_display_name", "task_description"]
    } else {
        &["method_name"]
    };
    let name = first_text(&sources, name_keys).map_or_else(|| id.clone(), str::to_string);
    let crewai_task_id = first_text(&sources, &["task_id"]).map(str::to_string);
    let task_agent = if is_task {
        first_of(&sources, |event| agents.id_for(event))
    } else {
        None
    };
    let input = if is_task {
        // An empty context string means "no context", not an input.
        start
            .and_then(|event| event.value("context"))
            .filter(|value| value.as_str().is_none_or(|text| !text.trim().is_empty()))
    } else {
        start.and_then(|event| event.value("params"))
    };
    let output_key = if is_task { "output_raw" } else { "result" };
    let task = Task {
        id: id.clone(),
        key: first_text(&sources, &["task_key"]).map(str::to_string),
        name,
        description: is_task
            .then(|| first_text(&sources, &["task_description"]))
            .flatten()
            .map(str::to_string),
        expected_output: is_task
            .then(|| first_text(&sources, &["expected_output"]))
            .flatten()
            .map(str::to_string),
        agent_id: task_agent.clone(),
        status: node.status(),
        start_ns: time_at(events, node.start),
        end_ns: time_at(events, node.end),
        context_task_ids: Vec::new(),
        input: input.map(RawJson::from),
        output: end
            .and_then(|event| event.value(output_key))
            .map(RawJson::from),
    };
    let context = Context {
        step_id: None,
        task_id: Some(id),
        agent_id: task_agent,
        crewai_task_id,
    };
    (task, context)
}

/// A step's task id and CrewAI task id. The task an event names wins over the scope,
/// unless the scope is a rerun of that same task (then the scope knows which run). The
/// names of named tasks are kept, should the task itself have sent no event.
fn task_of_step(
    sources: &[Option<&Event>],
    inherited: &Context,
    first_runs: &HashMap<String, String>,
    task_names: &mut HashMap<String, String>,
) -> (Option<String>, Option<String>) {
    let named_task = first_text(sources, &["task_id"]);
    match named_task {
        Some(named) if inherited.crewai_task_id.as_deref() != Some(named) => {
            if let Some(name) = first_text(sources, &["task_name"]) {
                task_names
                    .entry(named.to_string())
                    .or_insert_with(|| name.to_string());
            }
            let task = first_runs
                .get(named)
                .cloned()
                .unwrap_or_else(|| named.to_string());
            (Some(task), Some(named.to_string()))
        }
        _ => (inherited.task_id.clone(), inherited.crewai_task_id.clone()),
    }
}

/// Notes every node that started but never ended: it is shown as running.
fn note_unended(events: &[Event], nodes: &[Node], repairs: &mut Vec<Repair>) {
    for node in nodes {
        if node.start.is_some() && node.end.is_none() {
            if let Some(event) = event_at(events, node.start) {
                repairs.push(Repair {
                    path: event.path.clone(),
                    what: format!(
                        "{} has no end event; it is shown as running",
                        event.event_type
                    ),
                });
            }
        }
    }
}

/// The run as a whole: read from the root node (the crew kickoff or flow) when there is
/// one, else from all the events, since a file may hold only part of a run.
struct Run<'e> {
    start: Option<&'e Event>,
    end: Option<&'e Event>,
    kind: TraceKind,
    status: Status,
    start_ns: Option<i64>,
    end_ns: Option<i64>,
}

impl<'e> Run<'e> {
    fn of(events: &'e [Event], nodes: &[Node], root: Option<usize>) -> Run<'e> {
        let root_node = root.and_then(|root| nodes.get(root));
        let kind = match root_node.map(|node| node.role) {
            Some(Role::Root(kind)) => kind,
            _ if events.iter().any(|event| {
                let (family, _) = split_type(&event.event_type);
                family == "flow" || family == "method_execution"
            }) =>
            {
                TraceKind::Flow
            }
            _ => TraceKind::Crew,
        };
        let any_open = nodes
            .iter()
            .any(|node| node.start.is_some() && node.end.is_none());
        let status = match root_node {
            Some(node) => node.status(),
            None if any_open => Status::Running,
            None => Status::Completed,
        };
        let first_time = events.iter().filter_map(|event| event.time_ns).min();
        let last_time = events.iter().filter_map(|event| event.time_ns).max();
        let start_ns = root_node.map_or(first_time, |node| {
            time_at(events, node.start).or(first_time)
        });
        let end_ns = match root_node {
            Some(node) => time_at(events, node.end),
            None if any_open => None,
            None => last_time,
        };
        Run {
            start: root_node.and_then(|node| event_at(events, node.start)),
            end: root_node.and_then(|node| event_at(events, node.end)),
            kind,
            status,
            start_ns,
            end_ns,
        }
    }

    fn sources(&self) -> [Option<&'e Event>; 2] {
        [self.start, self.end]
    }

    /// The root's event id, else the first event's.
    fn id(&self, events: &[Event]) -> String {
        self.sources()
            .iter()
            .flatten()
            .copied()
            .chain(events.iter().take(1))
            .find_map(|event| event.id.clone())
            .unwrap_or_else(|| "crewai-run".to_string())
    }

    fn name(&self) -> String {
        first_text(&self.sources(), &["crew_name", "flow_name"])
            .map(str::to_string)
            .unwrap_or_else(|| match self.kind {
                TraceKind::Flow => "CrewAI flow".to_string(),
                _ => "CrewAI crew".to_string(),
            })
    }

    /// A crew's output is a TaskOutput/CrewOutput object; people read its `raw` text.
    fn final_output(&self) -> Option<RawJson> {
        let output = self
            .end
            .and_then(|event| event.value("output").or_else(|| event.value("result")));
        output.map(|output| match output.get("raw") {
            Some(Value::String(raw)) => RawJson::string(raw),
            _ => RawJson::from(output),
        })
    }
}

/// The trace's metadata: the root events' fields, the event count and the batches'
/// metadata (one batch's as it is, several as a list).
fn run_metadata(events: &[Event], run: &Run, batch_metadata: Vec<Value>) -> Map<String, Value> {
    let mut metadata = Map::new();
    for (event, is_end) in [(run.start, false), (run.end, true)] {
        if let Some(event) = event {
            // `total_tokens` is summed into `stated_total_tokens` by `check_tokens`.
            add_attributes(&mut metadata, event, is_end, &["inputs", "total_tokens"]);
        }
    }
    metadata.insert("event_count".to_string(), Value::from(events.len()));
    match batch_metadata.len() {
        0 => {}
        1 => {
            metadata.insert("batch_metadata".to_string(), batch_metadata[0].clone());
        }
        _ => {
            metadata.insert("batch_metadata".to_string(), Value::from(batch_metadata));
        }
    }
    metadata
}

fn first_of<T>(sources: &[Option<&Event>], read: impl Fn(&Event) -> Option<T>) -> Option<T> {
    sources.iter().flatten().find_map(|event| read(event))
}

struct StepParts<'a> {
    id: String,
    kind: StepKind,
    family: &'a str,
    start: Option<&'a Event>,
    end: Option<&'a Event>,
    status: Status,
    parent_id: Option<String>,
    task_id: Option<String>,
    agent_id: Option<String>,
}

fn build_step(parts: StepParts) -> Result<Step, ImportError> {
    let StepParts {
        id,
        kind,
        family,
        start,
        end,
        mut status,
        parent_id,
        task_id,
        agent_id,
    } = parts;
    let sources = [start, end];
    let mut mapped: Vec<&str> = vec!["error"];

    let input = first_value(&sources, INPUT_KEYS).map(|(key, value)| {
        mapped.push(key);
        RawJson::from(value)
    });
    let output = first_value(&[end], OUTPUT_KEYS).map(|(key, value)| {
        mapped.push(key);
        RawJson::from(value)
    });

    let mut model = None;
    let mut usage = Usage::default();
    if kind == StepKind::LlmCall {
        model = first_text(&sources, &["model"]).map(str::to_string);
        mapped.push("model");
        for event in [end, start].into_iter().flatten() {
            if let Some(found) = usage_of(event)? {
                usage = found;
                mapped.push("usage");
                break;
            }
        }
    }

    // A guardrail that rejects the output did its job, but the output failed it.
    if kind == StepKind::Guardrail
        && end.and_then(|event| event.value("success")) == Some(&Value::Bool(false))
    {
        status = Status::Failed;
    }
    let error = (status == Status::Failed).then(|| error_of(end.or(start)));

    let name = match kind {
        StepKind::LlmCall => model.clone(),
        StepKind::ToolCall => first_text(&sources, &["tool_name"]).map(str::to_string),
        StepKind::Agent => first_text(&sources, &["agent_role"]).map(str::to_string),
        StepKind::Span => first_text(&sources, &["crew_name", "flow_name"]).map(str::to_string),
        _ => None,
    }
    .unwrap_or_else(|| family.to_string());

    let mut attributes = Map::new();
    if let Some(event) = start {
        add_attributes(&mut attributes, event, false, &mapped);
    }
    if let Some(event) = end {
        let same = start.is_some_and(|start| std::ptr::eq(start, event));
        if !same {
            add_attributes(&mut attributes, event, start.is_some(), &mapped);
        }
    }

    Ok(Step {
        id,
        parent_id,
        task_id,
        agent_id,
        kind,
        name,
        start_ns: start.and_then(|event| event.time_ns),
        end_ns: end.and_then(|event| event.time_ns),
        status,
        model,
        usage,
        cost: None,
        cost_lines: None,
        result_of: None,
        input,
        output,
        error,
        attributes,
    })
}

/// Agent execution events carry no task id (only the role); the task is the one its
/// calls name.
fn infer_agent_tasks(steps: &mut [Step]) {
    let mut child_task: HashMap<String, String> = HashMap::default();
    for step in steps.iter() {
        if let (Some(parent), Some(task)) = (&step.parent_id, &step.task_id) {
            child_task
                .entry(parent.clone())
                .or_insert_with(|| task.clone());
        }
    }
    for step in steps.iter_mut() {
        if step.task_id.is_none() && step.kind == StepKind::Agent {
            step.task_id = child_task.get(&step.id).cloned();
        }
    }
}

/// Steps can name a task that sent no task event (a lost batch); the task is rebuilt from them.
fn add_implied_tasks(
    tasks: &mut Vec<Task>,
    steps: &[Step],
    task_names: &HashMap<String, String>,
    repairs: &mut Vec<Repair>,
) {
    let known: HashSet<String> = tasks.iter().map(|task| task.id.clone()).collect();
    let mut added: Vec<String> = Vec::new();
    for step in steps {
        let Some(task_id) = &step.task_id else {
            continue;
        };
        if known.contains(task_id) || added.contains(task_id) {
            continue;
        }
        added.push(task_id.clone());
        let own: Vec<&Step> = steps
            .iter()
            .filter(|other| other.task_id.as_ref() == Some(task_id))
            .collect();
        let running = own.iter().any(|step| step.status == Status::Running);
        let name = task_names
            .get(task_id)
            .cloned()
            .unwrap_or_else(|| task_id.clone());
        repairs.push(Repair {
            path: "events".to_string(),
            what: format!(
                "task {name:?} ({task_id}) sent no task events; \
                 it is rebuilt from the {} steps that name it",
                own.len()
            ),
        });
        tasks.push(Task {
            id: task_id.clone(),
            name,
            status: if running {
                Status::Running
            } else {
                Status::Completed
            },
            start_ns: own.iter().filter_map(|step| step.start_ns).min(),
            end_ns: if running {
                None
            } else {
                own.iter().filter_map(|step| step.end_ns).max()
            },
            agent_id: own.iter().find_map(|step| step.agent_id.clone()),
            ..Task::default()
        });
    }
}

/// A task whose `task_started` is missing (client 1.6.0 sends only `task_completed`) had
/// begun by the time its first step did: that is its start.
fn infer_task_starts(
    tasks: &mut [Task],
    nodes: &[Node],
    ids: &[String],
    steps: &[Step],
    events: &[Event],
    repairs: &mut Vec<Repair>,
) {
    let mut first_start: HashMap<&str, i64> = HashMap::default();
    for step in steps {
        if let (Some(task_id), Some(start_ns)) = (step.task_id.as_deref(), step.start_ns) {
            let first = first_start.entry(task_id).or_insert(start_ns);
            *first = (*first).min(start_ns);
        }
    }
    let index_of: HashMap<String, usize> = tasks
        .iter()
        .enumerate()
        .map(|(index, task)| (task.id.clone(), index))
        .collect();
    for (node, id) in nodes.iter().zip(ids) {
        if node.role != Role::Task || node.start.is_some() {
            continue;
        }
        let Some(task) = index_of.get(id).and_then(|&index| tasks.get_mut(index)) else {
            continue;
        };
        let first_step = first_start.get(id.as_str()).copied();
        let path = node
            .end
            .and_then(|index| events.get(index))
            .map_or_else(String::new, |event| event.path.clone());
        task.start_ns = first_step;
        let what = match first_step {
            Some(_) => "its start is taken from its first step",
            None => "it is kept with no start time",
        };
        repairs.push(Repair {
            path,
            what: format!("task {:?} has no task_started; {what}", task.name),
        });
    }
}

/// Compares what CrewAI says the run used with what its LLM calls carry.
fn check_tokens(
    events: &[Event],
    steps: &[Step],
    metadata: &mut Map<String, Value>,
    repairs: &mut Vec<Repair>,
) {
    let stated: Vec<(&Event, u64)> = events
        .iter()
        .filter(|event| event.event_type == "crew_kickoff_completed")
        .filter_map(|event| {
            event
                .value("total_tokens")
                .and_then(Value::as_u64)
                .map(|total| (event, total))
        })
        .collect();
    let Some((first, _)) = stated.first() else {
        return;
    };
    let stated_total = stated
        .iter()
        .fold(0u64, |sum, (_, total)| sum.saturating_add(*total));
    metadata.insert("stated_total_tokens".to_string(), Value::from(stated_total));
    let calls: Vec<&Step> = steps
        .iter()
        .filter(|step| step.kind == StepKind::LlmCall)
        .collect();
    let with_usage = calls
        .iter()
        .filter(|step| step.usage != Usage::default())
        .count();
    let summed = calls.iter().fold(0u64, |sum, step| {
        sum.saturating_add(step.usage.total_tokens().unwrap_or(0))
    });
    let path = format!("{}.event_data.total_tokens", first.path);
    if with_usage == 0 && stated_total > 0 {
        repairs.push(Repair {
            path,
            what: format!(
                "crew_kickoff_completed says {stated_total} tokens; the {} LLM call(s) carry no usage, \
                 so the total is kept as stated_total_tokens",
                calls.len()
            ),
        });
    } else if with_usage > 0 && summed != stated_total {
        repairs.push(Repair {
            path,
            what: format!(
                "crew_kickoff_completed says {stated_total} tokens; \
                 the LLM calls' usage sums to {summed}"
            ),
        });
    }
}
