//! Langfuse traces: the public API's trace, the UI's trace download and the list response.
//!
//! Spec: the Langfuse public API reference, <https://api.reference.langfuse.com>
//! (`GET /api/public/traces/{traceId}` answers a `TraceWithFullDetails`,
//! `GET /api/public/traces` a page of traces); real files in tests/fixtures/real/SOURCES.md.
//! Three shapes are read:
//! - API: `{id, timestamp, name, …, observations: [observation]}`;
//! - UI download: `{trace: {…}, observations: [observation]}`;
//! - list: `{data: [trace], meta: {page, limit, totalItems, totalPages}}`.

use crate::fast_hash::HashMap;
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{value::MapAccessDeserializer, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::repair::{collect_agent_models, repair_step_tree};
use super::time::parse_utc_ns;
use super::{parse_document, Detection, Document, ImportError, ObjectOnly};
use crate::model::{
    Agent, Cost, CostSource, RawJson, Repair, SourceFormat, Status, Step, StepError, StepKind,
    Task, Trace, TraceKind, Usage,
};

const FORMAT: SourceFormat = SourceFormat::Langfuse;
const TIME_EXPECTED: &str = "an ISO 8601 time such as \"2025-07-11T07:45:13.601Z\"";

/// The UI's download: the trace, and its observations beside it.
#[derive(Deserialize)]
struct RawDownload<'a> {
    /// The download repeats a stripped copy of the observations inside `trace`; the
    /// complete ones are those beside it.
    #[serde(borrow)]
    trace: RawTrace<'a, IgnoredAny>,
    #[serde(borrow)]
    observations: Vec<RawObservationEntry<'a>>,
}

/// `GET /api/public/traces`: one page of traces.
#[derive(Deserialize)]
struct RawList<'a> {
    #[serde(borrow)]
    data: Vec<RawTrace<'a, Vec<RawObservationEntry<'a>>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawTrace<'a, O> {
    id: String,
    timestamp: Option<String>,
    name: Option<String>,
    /// Payloads stay the text they were written as (`payload`).
    #[serde(borrow)]
    input: Option<&'a RawValue>,
    #[serde(borrow)]
    output: Option<&'a RawValue>,
    session_id: Option<String>,
    user_id: Option<String>,
    metadata: Option<Value>,
    tags: Option<Value>,
    release: Option<Value>,
    version: Option<Value>,
    environment: Option<Value>,
    /// Seconds.
    latency: Option<f64>,
    total_cost: Option<f64>,
    scores: Option<Value>,
    html_path: Option<Value>,
    observations: Option<O>,
}

/// An observation in full, or (in list responses) only its id.
enum RawObservationEntry<'a> {
    Full(Box<RawObservation<'a>>),
    IdOnly,
}

impl<'de: 'a, 'a> Deserialize<'de> for RawObservationEntry<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntryVisitor<'a>(PhantomData<&'a str>);
        impl<'de: 'a, 'a> Visitor<'de> for EntryVisitor<'a> {
            type Value = RawObservationEntry<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an observation object (or, in a list of traces, an observation id)")
            }
            fn visit_str<E>(self, _: &str) -> Result<RawObservationEntry<'a>, E> {
                Ok(RawObservationEntry::IdOnly)
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<RawObservationEntry<'a>, A::Error> {
                RawObservation::deserialize(MapAccessDeserializer::new(map))
                    .map(|observation| RawObservationEntry::Full(Box::new(observation)))
            }
        }
        deserializer.deserialize_any(EntryVisitor(PhantomData))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawObservation<'a> {
    id: String,
    trace_id: Option<String>,
    #[serde(rename = "type")]
    kind: Option<RawType>,
    name: Option<String>,
    start_time: Option<String>,
    end_time: Option<String>,
    completion_start_time: Option<String>,
    model: Option<String>,
    model_parameters: Option<Value>,
    #[serde(borrow)]
    input: Option<&'a RawValue>,
    #[serde(borrow)]
    output: Option<&'a RawValue>,
    metadata: Option<Value>,
    usage: Option<RawUsage>,
    usage_details: Option<Map<String, Value>>,
    cost_details: Option<Map<String, Value>>,
    calculated_total_cost: Option<f64>,
    total_cost: Option<f64>,
    level: Option<RawLevel>,
    status_message: Option<String>,
    parent_observation_id: Option<String>,
    /// Seconds in the API, milliseconds in some downloads: kept, never used for times.
    latency: Option<f64>,
    time_to_first_token: Option<f64>,
    input_usage: Option<f64>,
    output_usage: Option<f64>,
    version: Option<Value>,
    environment: Option<Value>,
    prompt_name: Option<Value>,
    prompt_version: Option<Value>,
    tool_calls: Option<Value>,
    tool_call_names: Option<Value>,
}

/// The older usage object; `promptTokens`… is the name it had before `input`….
#[derive(Deserialize)]
struct RawUsage {
    #[serde(alias = "promptTokens")]
    input: Option<f64>,
    #[serde(alias = "completionTokens")]
    output: Option<f64>,
    #[serde(alias = "totalTokens")]
    total: Option<f64>,
    unit: Option<String>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum RawType {
    Span,
    Generation,
    Event,
    Agent,
    Tool,
    Chain,
    Retriever,
    Evaluator,
    Embedding,
    Guardrail,
    #[serde(other)]
    Other,
}

impl RawType {
    fn kind(self) -> StepKind {
        match self {
            RawType::Generation => StepKind::LlmCall,
            RawType::Embedding => StepKind::Embedding,
            RawType::Tool => StepKind::ToolCall,
            RawType::Agent => StepKind::Agent,
            RawType::Guardrail => StepKind::Guardrail,
            RawType::Retriever => StepKind::Retrieval,
            RawType::Evaluator => StepKind::Evaluator,
            RawType::Span | RawType::Chain => StepKind::Span,
            RawType::Event | RawType::Other => StepKind::Other,
        }
    }

    fn label(self) -> &'static str {
        match self {
            RawType::Span => "SPAN",
            RawType::Generation => "GENERATION",
            RawType::Event => "EVENT",
            RawType::Agent => "AGENT",
            RawType::Tool => "TOOL",
            RawType::Chain => "CHAIN",
            RawType::Retriever => "RETRIEVER",
            RawType::Evaluator => "EVALUATOR",
            RawType::Embedding => "EMBEDDING",
            RawType::Guardrail => "GUARDRAIL",
            RawType::Other => "OTHER",
        }
    }
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum RawLevel {
    Debug,
    Default,
    Warning,
    Error,
    #[serde(other)]
    Other,
}

impl RawLevel {
    fn label(self) -> &'static str {
        match self {
            RawLevel::Debug => "DEBUG",
            RawLevel::Default => "DEFAULT",
            RawLevel::Warning => "WARNING",
            RawLevel::Error => "ERROR",
            RawLevel::Other => "OTHER",
        }
    }
}

/// CrewAI's OTel spans list the crew's agents and tasks as JSON text in attributes.
#[derive(Deserialize)]
struct RawCrewAgent {
    key: Option<String>,
    id: Option<String>,
    role: Option<String>,
    goal: Option<String>,
    backstory: Option<String>,
}

#[derive(Deserialize)]
struct RawCrewTask {
    key: Option<String>,
    id: Option<String>,
    name: Option<String>,
    description: Option<String>,
    expected_output: Option<String>,
    agent_role: Option<String>,
    agent_key: Option<String>,
}

#[derive(Clone, Copy)]
enum Shape {
    Api,
    Download,
    List,
}

/// Claims Langfuse traces by their top-level keys: `trace` + `observations` (download),
/// `observations` + `id` (API), or `data` + `meta` whose `meta` counts pages (list).
pub fn detect(documents: &[Document]) -> Detection<Vec<Trace>> {
    let Some(shapes) = super::classify_all(documents, shape_of) else {
        return Detection::Incompatible;
    };
    let mut traces = Vec::new();
    for (document, shape) in documents.iter().zip(shapes) {
        match import(document, shape) {
            Ok(more) => traces.extend(more),
            Err(error) => return Detection::Imported(Err(at_line(error, document.line))),
        }
    }
    Detection::Imported(Ok(traces))
}

fn shape_of(document: &Document) -> Option<Shape> {
    let shape = &document.shape;
    if shape.has_key("observations") && shape.has_key("trace") {
        Some(Shape::Download)
    } else if shape.has_key("observations") && shape.has_key("id") {
        Some(Shape::Api)
    } else if shape.has_key("data") && shape.has_key("meta") && is_list_page(document) {
        Some(Shape::List)
    } else {
        None
    }
}

/// `data` is also what Jaeger and the OpenAI Agents SDK write; Langfuse's list pages
/// are told apart by their `meta` counts. Skims the text without building values.
fn is_list_page(document: &Document) -> bool {
    #[derive(Deserialize)]
    struct PageProbe {
        meta: ObjectOnly<MetaProbe>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct MetaProbe {
        total_items: Option<IgnoredAny>,
        total_pages: Option<IgnoredAny>,
    }
    matches!(
        serde_json::from_str::<PageProbe>(document.text),
        Ok(PageProbe { meta: ObjectOnly(meta) })
            if meta.total_items.is_some() || meta.total_pages.is_some()
    )
}

fn import(document: &Document, shape: Shape) -> Result<Vec<Trace>, ImportError> {
    match shape {
        Shape::Download => {
            let raw: RawDownload = parse_document(document, FORMAT)?;
            Ok(vec![convert_trace(
                raw.trace,
                raw.observations,
                "trace",
                "observations",
            )?])
        }
        Shape::Api => {
            let mut raw: RawTrace<Vec<RawObservationEntry>> = parse_document(document, FORMAT)?;
            let observations = raw.observations.take().unwrap_or_default();
            Ok(vec![convert_trace(raw, observations, "", "observations")?])
        }
        Shape::List => {
            let raw: RawList = parse_document(document, FORMAT)?;
            // An empty page would open as nothing at all, without a word.
            if raw.data.is_empty() {
                return Err(invalid("data", "at least one trace (this page lists none)"));
            }
            raw.data
                .into_iter()
                .enumerate()
                .map(|(index, mut trace)| {
                    let observations = trace.observations.take().unwrap_or_default();
                    let path = format!("data[{index}]");
                    convert_trace(trace, observations, &path, &format!("{path}.observations"))
                })
                .collect()
        }
    }
}

/// In JSON Lines, a path alone does not say which line; `parse_document` already adds
/// it to its own errors.
fn at_line(error: ImportError, line: usize) -> ImportError {
    match error {
        ImportError::Invalid {
            format,
            path,
            expected,
        } if line > 1 && !path.starts_with("line ") => ImportError::Invalid {
            format,
            path: format!("line {line}, {path}"),
            expected,
        },
        other => other,
    }
}

fn invalid(path: &str, expected: &str) -> ImportError {
    ImportError::Invalid {
        format: FORMAT,
        path: path.to_string(),
        expected: expected.to_string(),
    }
}

/// `prefix.field`, or `field` at the top level.
fn join(prefix: &str, field: &str) -> String {
    if prefix.is_empty() {
        field.to_string()
    } else {
        format!("{prefix}.{field}")
    }
}

/// Langfuse writes UTC times with a `Z`, but some exports drop the suffix; such a time
/// is read as UTC (what Langfuse stores), not as the viewer's local time.
fn time(text: Option<&str>, path: &str) -> Result<Option<i64>, ImportError> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => parse_utc_ns(text)
            .map(Some)
            .ok_or_else(|| invalid(path, &format!("{TIME_EXPECTED}, not {text:?}"))),
    }
}

/// Langfuse keeps the `input`, `output` and `metadata` of OTel-ingested observations as
/// the JSON text they arrived as. Text that holds a JSON object or array is decoded so
/// it shows as structure; any other text (prose, HTML) stays text, verbatim.
fn decode_json_text(value: Value) -> Value {
    if let Value::String(text) = &value {
        let trimmed = text.trim_start();
        if trimmed.starts_with('{') || trimmed.starts_with('[') {
            if let Ok(decoded @ (Value::Object(_) | Value::Array(_))) =
                serde_json::from_str::<Value>(text)
            {
                return decoded;
            }
        }
    }
    value
}

/// A payload as `decode_json_text` reads it, but kept as text: JSON text inside a
/// string is checked, not built into a tree, and nothing is written back out. Building
/// and re-serialising each payload's tree was a third of the import. The text is the
/// one in the file, so its spacing and key order are the producer's, not serde_json's.
fn payload(raw: &RawValue) -> RawJson {
    let text = raw.get();
    if text.starts_with('"') {
        if let Ok(inner) = serde_json::from_str::<Cow<str>>(text) {
            if inner.trim_start().starts_with(['{', '[']) {
                if let Some(json) = RawJson::from_json_text(&inner) {
                    return json;
                }
            }
        }
    }
    // serde_json checked the value while reading it.
    RawJson::trusted(text)
}

fn convert_trace<O>(
    raw: RawTrace<'_, O>,
    entries: Vec<RawObservationEntry>,
    path: &str,
    observations_path: &str,
) -> Result<Trace, ImportError> {
    let mut repairs = Vec::new();
    let timestamp_ns = time(raw.timestamp.as_deref(), &join(path, "timestamp"))?;

    let mut steps = Vec::with_capacity(entries.len());
    // Step index → index in the file, for the paths of repair notes.
    let mut file_index = Vec::with_capacity(entries.len());
    let mut ids_only = 0usize;
    for (index, entry) in entries.into_iter().enumerate() {
        match entry {
            RawObservationEntry::Full(observation) => {
                let step_path = format!("{observations_path}[{index}]");
                steps.push(convert_observation(*observation, &step_path, &mut repairs)?);
                file_index.push(index);
            }
            RawObservationEntry::IdOnly => ids_only += 1,
        }
    }
    if ids_only > 0 {
        // The list endpoint names observations by id only; their content is not here.
        repairs.push(Repair {
            path: observations_path.to_string(),
            what: format!(
                "{ids_only} observation(s) are listed by id only; open the trace itself to see them"
            ),
        });
    }
    repair_step_tree(
        &mut steps,
        |index| {
            let at = file_index.get(index).copied().unwrap_or(index);
            format!("{observations_path}[{at}]")
        },
        &mut repairs,
    );

    let (mut agents, tasks, is_crew) = crew_structure(&mut steps);
    named_agents(&mut steps, &mut agents);
    inherit_from_ancestors(&mut steps);
    collect_agent_models(&mut agents, &steps);

    let first_start = steps.iter().filter_map(|step| step.start_ns).min();
    let start_ns = match (timestamp_ns, first_start) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let end_ns = if steps.is_empty() {
        // A trace of a list page without its observations: its latency (seconds) says
        // how long it ran.
        match (timestamp_ns, raw.latency) {
            (Some(start), Some(latency)) if latency >= 0.0 => {
                Some(start.saturating_add((latency * 1e9).round() as i64))
            }
            _ => None,
        }
    } else {
        steps.iter().filter_map(|step| step.end_ns).max()
    };
    let status = if steps.iter().any(|step| step.status == Status::Failed) {
        Status::Failed
    } else if steps.iter().any(|step| step.status == Status::Running) || end_ns.is_none() {
        Status::Running
    } else {
        Status::Completed
    };

    let mut metadata = Map::new();
    match raw.metadata.map(decode_json_text) {
        Some(Value::Object(map)) => metadata.extend(map),
        Some(Value::Null) | None => {}
        Some(other) => {
            metadata.insert("metadata".to_string(), other);
        }
    }
    let fields = [
        ("sessionId", raw.session_id.map(Value::String)),
        ("userId", raw.user_id.map(Value::String)),
        ("tags", raw.tags),
        ("release", raw.release),
        ("version", raw.version),
        ("environment", raw.environment),
        ("latency", raw.latency.map(Value::from)),
        ("totalCost", raw.total_cost.map(Value::from)),
        ("scores", raw.scores),
        ("htmlPath", raw.html_path),
    ];
    for (key, value) in fields {
        keep(&mut metadata, key, value);
    }

    Ok(Trace {
        links: Default::default(),
        notes: Default::default(),
        name: raw.name.unwrap_or_else(|| raw.id.clone()),
        id: raw.id,
        kind: if is_crew {
            TraceKind::Crew
        } else {
            TraceKind::Other
        },
        status,
        start_ns,
        end_ns,
        input: raw.input.map(payload),
        final_output: raw.output.map(payload),
        metadata,
        agents,
        tasks,
        steps,
        source_format: FORMAT,
        repairs,
    })
}

/// Inserts `value` unless it is missing or null.
fn keep(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    match value {
        None | Some(Value::Null) => {}
        Some(value) => {
            map.insert(key.to_string(), value);
        }
    }
}

fn convert_observation(
    raw: RawObservation<'_>,
    path: &str,
    repairs: &mut Vec<Repair>,
) -> Result<Step, ImportError> {
    let raw_type = raw.kind.unwrap_or(RawType::Other);
    let kind = raw_type.kind();
    let start_ns = time(raw.start_time.as_deref(), &format!("{path}.startTime"))?;
    let mut end_ns = time(raw.end_time.as_deref(), &format!("{path}.endTime"))?;
    let failed = raw.level == Some(RawLevel::Error);
    let status = if failed {
        Status::Failed
    } else if end_ns.is_some() {
        Status::Completed
    } else if raw_type == RawType::Event {
        // An event is a point in time: it has no end and is not running.
        end_ns = start_ns;
        Status::Completed
    } else {
        repairs.push(Repair {
            path: format!("{path}.endTime"),
            what: "no end time: the observation is shown as still running".to_string(),
        });
        Status::Running
    };
    let error = failed.then(|| StepError {
        error_type: None,
        message: raw
            .status_message
            .clone()
            .unwrap_or_else(|| "level ERROR, without a status message".to_string()),
        stack: None,
    });

    // Tokens and cost belong to LLM calls only: a parent span or agent that repeats its
    // child generation's usage would otherwise count it twice in every total.
    let (usage, cost) = if kind.is_model_call() {
        (usage_of(&raw), cost_of(&raw, path)?)
    } else {
        (Usage::default(), None)
    };

    let mut attributes = Map::new();
    match raw.metadata.map(decode_json_text) {
        Some(Value::Object(mut metadata)) => {
            // `metadata.attributes` holds the span's original OTel attributes.
            match metadata.remove("attributes").map(decode_json_text) {
                Some(Value::Object(otel)) => attributes.extend(otel),
                other => keep(&mut metadata, "attributes", other),
            }
            if !metadata.is_empty() {
                attributes.insert("langfuse.metadata".to_string(), Value::Object(metadata));
            }
        }
        other => keep(&mut attributes, "langfuse.metadata", other),
    }
    let usage_value = raw.usage.as_ref().map(|usage| {
        serde_json::json!({
            "input": usage.input, "output": usage.output,
            "total": usage.total, "unit": usage.unit,
        })
    });
    let fields = [
        ("langfuse.type", raw.kind.map(|kind| kind.label().into())),
        (
            "langfuse.level",
            raw.level.map(|level| level.label().into()),
        ),
        (
            "langfuse.statusMessage",
            raw.status_message.map(Value::String),
        ),
        ("langfuse.traceId", raw.trace_id.map(Value::String)),
        (
            "langfuse.completionStartTime",
            raw.completion_start_time.map(Value::String),
        ),
        (
            "langfuse.timeToFirstToken",
            raw.time_to_first_token.map(Value::from),
        ),
        ("langfuse.latency", raw.latency.map(Value::from)),
        ("langfuse.modelParameters", raw.model_parameters),
        ("langfuse.usage", usage_value),
        (
            "langfuse.usageDetails",
            raw.usage_details
                .filter(|m| !m.is_empty())
                .map(Value::Object),
        ),
        (
            "langfuse.costDetails",
            raw.cost_details
                .filter(|m| !m.is_empty())
                .map(Value::Object),
        ),
        (
            "langfuse.calculatedTotalCost",
            raw.calculated_total_cost.map(Value::from),
        ),
        ("langfuse.totalCost", raw.total_cost.map(Value::from)),
        ("langfuse.version", raw.version),
        ("langfuse.environment", raw.environment),
        ("langfuse.promptName", raw.prompt_name),
        ("langfuse.promptVersion", raw.prompt_version),
        ("langfuse.toolCalls", raw.tool_calls),
        ("langfuse.toolCallNames", raw.tool_call_names),
    ];
    for (key, value) in fields {
        keep(&mut attributes, key, value);
    }

    Ok(Step {
        name: raw
            .name
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| raw_type.label().to_lowercase()),
        id: raw.id,
        parent_id: raw.parent_observation_id,
        task_id: None,
        agent_id: None,
        kind,
        start_ns,
        end_ns,
        status,
        model: raw.model,
        usage,
        cost,
        cost_lines: None,
        result_of: None,
        input: raw.input.map(payload),
        output: raw.output.map(payload),
        error,
        attributes,
    })
}

/// A token count as written: a whole number, or a float that stands for one.
fn count(value: Option<&Value>) -> u64 {
    match value {
        Some(value) => value.as_u64().unwrap_or_else(|| {
            // `as` saturates: a negative or absurd count cannot wrap around.
            value.as_f64().map_or(0, |float| float.round() as u64)
        }),
        None => 0,
    }
}

/// `as` saturates: a negative or absurd count cannot wrap around.
fn float_count_opt(value: Option<f64>) -> Option<u64> {
    value.map(|float| float.round() as u64)
}

/// Tokens from `usageDetails`, else the older `usage`, else `inputUsage`/`outputUsage`.
///
/// Langfuse prices each usage type on its own, so its SDKs write `input` without the
/// cached tokens (`input_cached_tokens`, `cache_read_input_tokens`, …) and `output`
/// without the reasoning ones, and `total` is the sum of every type. Our `input_tokens`
/// includes the cached ones, so the breakdowns are added back, unless `total` shows
/// that `input` + `output` already held them.
fn usage_of(raw: &RawObservation) -> Usage {
    if let Some(details) = raw.usage_details.as_ref().filter(|map| !map.is_empty()) {
        let input_key = ["input", "input_tokens", "prompt_tokens"]
            .into_iter()
            .find(|key| details.contains_key(*key));
        let output_key = ["output", "output_tokens", "completion_tokens"]
            .into_iter()
            .find(|key| details.contains_key(*key));
        // A key the details do not hold is unknown, not 0.
        let input = input_key.map(|key| count(details.get(key)));
        let output = output_key.map(|key| count(details.get(key)));
        let mut input_details = 0u64;
        let mut output_details = 0u64;
        let mut cached = None::<u64>;
        let mut cache_write = None::<u64>;
        let mut reasoning = None::<u64>;
        let mut audio_input = None::<u64>;
        let mut audio_output = None::<u64>;
        let mut image_input = None::<u64>;
        let add = |part: &mut Option<u64>, tokens: u64| {
            *part = Some(part.unwrap_or(0).saturating_add(tokens));
        };
        for (key, value) in details {
            if Some(key.as_str()) == input_key
                || Some(key.as_str()) == output_key
                || key.starts_with("total")
            {
                continue;
            }
            let tokens = count(Some(value));
            if key.contains("reasoning") {
                add(&mut reasoning, tokens);
            }
            if key.starts_with("output")
                || key.starts_with("completion")
                || key.contains("reasoning")
            {
                output_details = output_details.saturating_add(tokens);
                if key.contains("audio") {
                    add(&mut audio_output, tokens);
                }
            } else if key.starts_with("input")
                || key.starts_with("prompt")
                || key.starts_with("cache")
                || key.contains("_input")
            {
                input_details = input_details.saturating_add(tokens);
                if key.contains("cache_read") || key.contains("cached") {
                    add(&mut cached, tokens);
                } else if key.contains("cache_creation") || key.contains("cache_write") {
                    add(&mut cache_write, tokens);
                } else if key.contains("audio") {
                    add(&mut audio_input, tokens);
                } else if key.contains("image") {
                    add(&mut image_input, tokens);
                }
            }
        }
        let stated_total = ["total", "total_tokens"]
            .into_iter()
            .find_map(|key| details.get(key))
            .map(|value| count(Some(value)));
        let breakdowns_included = input_details.saturating_add(output_details) > 0
            && stated_total == Some(input.unwrap_or(0).saturating_add(output.unwrap_or(0)));
        let with_details = |base: Option<u64>, details: u64| match (base, details) {
            (base, 0) => base,
            (base, details) => Some(base.unwrap_or(0).saturating_add(details)),
        };
        let (input_tokens, output_tokens) = if breakdowns_included {
            (input, output)
        } else {
            (
                with_details(input, input_details),
                with_details(output, output_details),
            )
        };
        return Usage {
            input_tokens,
            output_tokens,
            cached_input_tokens: cached,
            cache_write_tokens: cache_write,
            reasoning_tokens: reasoning,
            audio_input_tokens: audio_input,
            audio_output_tokens: audio_output,
            image_input_tokens: image_input,
        };
    }
    if let Some(usage) = &raw.usage {
        return Usage {
            input_tokens: float_count_opt(usage.input),
            output_tokens: float_count_opt(usage.output),
            ..Usage::default()
        };
    }
    Usage {
        input_tokens: float_count_opt(raw.input_usage),
        output_tokens: float_count_opt(raw.output_usage),
        ..Usage::default()
    }
}

/// `costDetails.total`, else `calculatedTotalCost`, else `totalCost`. Langfuse writes a
/// `totalCost` of 0 when it knows no price; that is no statement of cost, so it is left
/// for the estimate rather than shown as free.
fn cost_of(raw: &RawObservation, path: &str) -> Result<Option<Cost>, ImportError> {
    let detail_total = raw
        .cost_details
        .as_ref()
        .and_then(|details| details.get("total"))
        .and_then(Value::as_f64);
    let (usd, field) = match (detail_total, raw.calculated_total_cost, raw.total_cost) {
        (Some(usd), _, _) => (usd, "costDetails.total"),
        (None, Some(usd), _) => (usd, "calculatedTotalCost"),
        (None, None, Some(usd)) if usd != 0.0 => (usd, "totalCost"),
        _ => return Ok(None),
    };
    if !usd.is_finite() || usd < 0.0 {
        return Err(invalid(
            &format!("{path}.{field}"),
            &format!("a cost of zero or more US dollars, not {usd}"),
        ));
    }
    Ok(Some(Cost {
        usd,
        source: CostSource::Stated,
    }))
}

fn attribute_str<'a>(step: &'a Step, key: &str) -> Option<&'a str> {
    step.attributes
        .get(key)
        .and_then(Value::as_str)
        .filter(|text| !text.is_empty())
}

/// A CrewAI run exported through OTel (OpenInference's CrewAI instrumentation and
/// CrewAI's own telemetry): `Crew.kickoff`/`Crew Created` list the agents and tasks as
/// JSON text in `crew_agents`/`crew_tasks`, and each `Task._execute_core` span runs one
/// task (`task_id`). Returns the agents, the tasks, and whether this is a crew at all.
fn crew_structure(steps: &mut [Step]) -> (Vec<Agent>, Vec<Task>, bool) {
    let mut agents: Vec<Agent> = Vec::new();
    // Agent id → CrewAI's agent key, which tasks use to name their agent.
    let mut agent_keys: HashMap<String, String> = HashMap::default();
    let mut tasks: Vec<Task> = Vec::new();
    // Task index → (agent key, agent role) as the task names its agent.
    let mut task_agents: Vec<(Option<String>, Option<String>)> = Vec::new();
    let mut is_crew = false;

    for step in steps.iter() {
        if step.name == "Crew.kickoff" || step.attributes.contains_key("crew_id") {
            is_crew = true;
        }
        // Attributes are free text: a list that is not what CrewAI writes is skipped,
        // the steps still show.
        if let Some(Ok(list)) =
            attribute_str(step, "crew_agents").map(serde_json::from_str::<Vec<RawCrewAgent>>)
        {
            for raw in list {
                let Some(id) = raw
                    .id
                    .or_else(|| raw.key.clone())
                    .or_else(|| raw.role.clone())
                else {
                    continue;
                };
                if let Some(key) = raw.key {
                    agent_keys.entry(id.clone()).or_insert(key);
                }
                match agents.iter_mut().find(|agent| agent.id == id) {
                    Some(agent) => {
                        agent.goal = agent.goal.take().or(raw.goal);
                        agent.backstory = agent.backstory.take().or(raw.backstory);
                    }
                    None => agents.push(Agent {
                        role: raw.role.unwrap_or_else(|| id.clone()),
                        id,
                        goal: raw.goal,
                        backstory: raw.backstory,
                        version: None,
                        models: Vec::new(),
                    }),
                }
            }
        }
        if let Some(Ok(list)) =
            attribute_str(step, "crew_tasks").map(serde_json::from_str::<Vec<RawCrewTask>>)
        {
            for raw in list {
                let Some(id) = raw.id.clone().or_else(|| raw.key.clone()) else {
                    continue;
                };
                match tasks.iter().position(|task| task.id == id) {
                    Some(index) => {
                        let task = &mut tasks[index];
                        task.key = task.key.take().or(raw.key);
                        task.description = task.description.take().or(raw.description);
                        task.expected_output = task.expected_output.take().or(raw.expected_output);
                        let agent = &mut task_agents[index];
                        agent.0 = agent.0.take().or(raw.agent_key);
                        agent.1 = agent.1.take().or(raw.agent_role);
                    }
                    None => {
                        tasks.push(Task {
                            id,
                            key: raw.key,
                            name: raw.name.unwrap_or_default(),
                            description: raw.description,
                            expected_output: raw.expected_output,
                            ..Task::default()
                        });
                        task_agents.push((raw.agent_key, raw.agent_role));
                    }
                }
            }
        }
    }

    for (task, (agent_key, agent_role)) in tasks.iter_mut().zip(task_agents) {
        // CrewAI tasks often have no name: their description stands in.
        if task.name.is_empty() {
            task.name = task.description.clone().unwrap_or_else(|| task.id.clone());
        }
        let by_key = agent_key.and_then(|key| {
            agent_keys
                .iter()
                .find(|(_, known)| **known == key)
                .map(|(id, _)| id.clone())
        });
        task.agent_id = by_key.or_else(|| {
            let role = agent_role?;
            agents
                .iter()
                .find(|agent| agent.role == role)
                .map(|agent| agent.id.clone())
        });
    }

    if is_crew {
        for step in steps.iter_mut() {
            let Some(task_id) = attribute_str(step, "task_id").map(str::to_string) else {
                continue;
            };
            let Some(task) = tasks.iter_mut().find(|task| task.id == task_id) else {
                continue;
            };
            step.task_id = Some(task_id);
            if step.name == "Task._execute_core" {
                step.kind = StepKind::Task;
                step.agent_id.clone_from(&task.agent_id);
                task.start_ns = step.start_ns;
                task.end_ns = step.end_ns;
                task.status = step.status;
                task.input.clone_from(&step.input);
                task.output.clone_from(&step.output);
            }
        }
    }
    (agents, tasks, is_crew)
}

/// Agents named by their spans (`gen_ai.agent.name`, pydantic-ai's `agent_name`, or the
/// `graph.node.id` of an OpenInference AGENT span) become agents of the trace.
fn named_agents(steps: &mut [Step], agents: &mut Vec<Agent>) {
    for step in steps.iter_mut() {
        if step.agent_id.is_some() {
            continue;
        }
        let name = attribute_str(step, "gen_ai.agent.name")
            .or_else(|| attribute_str(step, "agent_name"))
            .or_else(|| {
                (step.kind == StepKind::Agent)
                    .then(|| attribute_str(step, "graph.node.id"))
                    .flatten()
            });
        let Some(name) = name.map(str::to_string) else {
            continue;
        };
        if !agents.iter().any(|agent| agent.id == name) {
            agents.push(Agent {
                id: name.clone(),
                role: name.clone(),
                ..Agent::default()
            });
        }
        step.agent_id = Some(name);
    }
}

/// A step belongs to the task and agent of its nearest ancestor that names one, so that
/// an LLM call inside a task's span counts for that task and agent.
fn inherit_from_ancestors(steps: &mut [Step]) {
    let index_of: HashMap<&str, usize> = steps
        .iter()
        .enumerate()
        .map(|(index, step)| (step.id.as_str(), index))
        .collect();
    let parent: Vec<Option<usize>> = steps
        .iter()
        .map(|step| {
            step.parent_id
                .as_deref()
                .and_then(|id| index_of.get(id).copied())
        })
        .collect();
    drop(index_of);
    let mut done = vec![false; steps.len()];
    for start in 0..steps.len() {
        // Walk up to the first settled ancestor, then settle the walk top-down.
        let mut walk = Vec::new();
        let mut current = Some(start);
        while let Some(index) = current {
            if done[index] || walk.len() > steps.len() {
                break;
            }
            walk.push(index);
            current = parent[index];
        }
        for &index in walk.iter().rev() {
            if let Some(up) = parent[index] {
                if steps[index].task_id.is_none() {
                    steps[index].task_id = steps[up].task_id.clone();
                }
                if steps[index].agent_id.is_none() {
                    steps[index].agent_id = steps[up].agent_id.clone();
                }
            }
            done[index] = true;
        }
    }
}
