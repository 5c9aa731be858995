//! Jaeger JSON traces: the query API's `{data: [trace, …]}` and a single trace
//! `{traceID, spans, processes}` (Jaeger UI downloads), read through the shared GenAI
//! classifier.
//!
//! Spec: the query service's JSON model,
//! <https://github.com/jaegertracing/jaeger-idl/blob/main/swagger/api_v3/query_service.swagger.json>
//! and the UI's `SpanData` type,
//! <https://github.com/jaegertracing/jaeger-ui/blob/main/packages/jaeger-ui/src/types/trace.tsx>.
//! Times are microseconds since the epoch; tags and log fields are `{key, type, value}`.

use std::sync::Arc;

use crate::fast_hash::HashMap;

use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::genai::{Span, SpanEvent, SpanPath, SpanStatus, TraceGroups};
use super::otlp::LooseInt;
use super::text::Text;
use super::{parse_document, Detection, Document, ImportError, ObjectOnly};
use crate::model::{SourceFormat, Trace};

const FORMAT: SourceFormat = SourceFormat::Jaeger;
const NS_PER_US: i64 = 1_000;

#[derive(Deserialize)]
struct RawApi<'a> {
    #[serde(borrow)]
    data: Vec<RawTrace<'a>>,
}

/// `RawApi` whose traces must be objects, as `ApiProbe` asks: a response that reads as
/// this is one the probe would have claimed.
#[derive(Deserialize)]
struct RawApiObjects<'a> {
    #[serde(borrow)]
    data: Vec<ObjectOnly<RawTrace<'a>>>,
}

#[derive(Deserialize)]
struct RawTrace<'a> {
    #[serde(rename = "traceID")]
    trace_id: String,
    #[serde(borrow)]
    spans: Vec<RawSpan<'a>>,
    #[serde(borrow)]
    processes: Option<HashMap<String, RawProcess<'a>>>,
}

#[derive(Deserialize)]
struct RawSpan<'a> {
    #[serde(borrow, rename = "spanID")]
    span_id: Option<Text<'a>>,
    /// Older Jaeger JSON names the parent here instead of in `references`.
    #[serde(borrow, rename = "parentSpanID")]
    parent_span_id: Option<Text<'a>>,
    #[serde(borrow, rename = "operationName")]
    operation_name: Option<Text<'a>>,
    #[serde(borrow)]
    references: Option<Vec<RawReference<'a>>>,
    #[serde(rename = "startTime")]
    start_time: Option<LooseInt>,
    duration: Option<LooseInt>,
    #[serde(borrow)]
    tags: Option<Vec<RawTag<'a>>>,
    #[serde(borrow)]
    logs: Option<Vec<RawLog<'a>>>,
    #[serde(borrow, rename = "processID")]
    process_id: Option<Text<'a>>,
    /// Some exports embed the process in the span instead of `processes`.
    #[serde(borrow)]
    process: Option<RawProcess<'a>>,
    warnings: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct RawReference<'a> {
    #[serde(borrow, rename = "refType")]
    ref_type: Option<Text<'a>>,
    #[serde(borrow, rename = "traceID")]
    trace_id: Option<Text<'a>>,
    #[serde(borrow, rename = "spanID")]
    span_id: Option<Text<'a>>,
}

#[derive(Deserialize)]
struct RawTag<'a> {
    key: String,
    #[serde(borrow, rename = "type")]
    value_type: Option<Text<'a>>,
    #[serde(default)]
    value: Value,
}

#[derive(Deserialize)]
struct RawLog<'a> {
    timestamp: Option<LooseInt>,
    #[serde(borrow)]
    fields: Option<Vec<RawTag<'a>>>,
}

#[derive(Deserialize)]
struct RawProcess<'a> {
    #[serde(rename = "serviceName")]
    service_name: Option<String>,
    #[serde(borrow)]
    tags: Option<Vec<RawTag<'a>>>,
}

/// Cheap check that a `data` array holds Jaeger traces: OpenAI Agents ingest batches
/// and Langfuse list responses also have `data`, but their items have no `traceID`.
#[derive(Deserialize)]
struct ApiProbe {
    data: Vec<ObjectOnly<TraceProbe>>,
}

#[derive(Deserialize)]
struct TraceProbe {
    #[serde(rename = "traceID")]
    _trace_id: IgnoredAny,
    #[serde(rename = "spans")]
    _spans: IgnoredAny,
}

/// What each document is.
enum Kind<'a> {
    /// A response already read in full while it was being recognised.
    Read(RawApi<'a>),
    Api,
    Single,
}

fn kind_of<'a>(document: &Document<'a>) -> Option<Kind<'a>> {
    let shape = &document.shape;
    if shape.has_key("traceID") && shape.has_key("spans") {
        return Some(Kind::Single);
    }
    if shape.has_key("data") {
        // Reading the response is the proof that it is Jaeger's, and probing it first
        // was a second pass over the whole file. Only a response that does not read
        // is probed, to tell Jaeger's errors from another format's `data`.
        if let Ok(RawApiObjects { data }) = serde_json::from_str(document.text) {
            let data: Vec<RawTrace> = data.into_iter().map(|ObjectOnly(trace)| trace).collect();
            return (!data.is_empty()).then_some(Kind::Read(RawApi { data }));
        }
        let probe: ApiProbe = serde_json::from_str(document.text).ok()?;
        return (!probe.data.is_empty()).then_some(Kind::Api);
    }
    None
}

/// Claims documents that are each a Jaeger trace or a `{data: [trace…]}` response.
pub fn detect(documents: &[Document]) -> Detection<Vec<Trace>> {
    let Some(kinds) = super::classify_all(documents, kind_of) else {
        return Detection::Incompatible;
    };
    Detection::Imported(import(documents, kinds))
}

fn import(documents: &[Document], kinds: Vec<Kind>) -> Result<Vec<Trace>, ImportError> {
    let mut traces = TraceGroups::default();
    for (document, kind) in documents.iter().zip(kinds) {
        let prefix = if document.line > 1 {
            format!("line {}, ", document.line)
        } else {
            String::new()
        };
        match kind {
            Kind::Read(api) => read_api(api, &prefix, &mut traces)?,
            Kind::Api => {
                let api: RawApi = parse_document(document, FORMAT)?;
                read_api(api, &prefix, &mut traces)?;
            }
            Kind::Single => {
                let trace: RawTrace = parse_document(document, FORMAT)?;
                read_trace(trace, &prefix, &mut traces)?;
            }
        }
    }
    if traces.is_empty() {
        return Err(ImportError::Invalid {
            format: FORMAT,
            path: "spans".to_string(),
            expected: "at least one span".to_string(),
        });
    }
    Ok(traces.build(FORMAT))
}

fn read_api(api: RawApi, prefix: &str, traces: &mut TraceGroups) -> Result<(), ImportError> {
    for (index, trace) in api.data.into_iter().enumerate() {
        read_trace(trace, &format!("{prefix}data[{index}]."), traces)?;
    }
    Ok(())
}

/// `prefix` is the JSON path of the trace object, ending in a dot (or empty at the top).
fn read_trace(trace: RawTrace, prefix: &str, traces: &mut TraceGroups) -> Result<(), ImportError> {
    let trace_id = trace.trace_id.trim().to_ascii_lowercase();
    if trace_id.is_empty() {
        return Err(ImportError::Invalid {
            format: FORMAT,
            path: format!("{prefix}traceID"),
            expected: "a trace id".to_string(),
        });
    }
    let processes: HashMap<String, Map<String, Value>> = trace
        .processes
        .unwrap_or_default()
        .into_iter()
        .map(|(id, process)| (id, process_metadata(process)))
        .collect();
    let no_process = Map::new();
    let list: Arc<str> = Arc::from(format!("{prefix}spans"));
    for (index, mut raw) in trace.spans.into_iter().enumerate() {
        let path = SpanPath::new(&list, index);
        let embedded = raw.process.take().map(process_metadata);
        let resource = match &embedded {
            Some(metadata) => metadata,
            None => raw
                .process_id
                .as_deref()
                .and_then(|id| processes.get(id))
                .unwrap_or(&no_process),
        };
        let span = read_span(raw, &trace_id, path)?;
        traces.add(&trace_id, span, resource);
    }
    Ok(())
}

fn process_metadata(process: RawProcess) -> Map<String, Value> {
    let mut metadata = Map::new();
    if let Some(service) = process.service_name.filter(|name| !name.is_empty()) {
        metadata.insert("service.name".to_string(), Value::String(service));
    }
    for (key, value) in tags_map(process.tags) {
        metadata.entry(key).or_insert(value);
    }
    metadata
}

fn read_span(raw: RawSpan, trace_id: &str, path: SpanPath) -> Result<Span, ImportError> {
    let id = match raw.span_id.as_deref().map(str::trim) {
        Some(id) if !id.is_empty() => id.to_ascii_lowercase(),
        _ => {
            return Err(ImportError::Invalid {
                format: FORMAT,
                path: format!("{path}.spanID"),
                expected: "a span id, which every span needs".to_string(),
            })
        }
    };
    let references = raw.references.unwrap_or_default();
    let parent_id = parent_of(&references, trace_id).or_else(|| {
        raw.parent_span_id
            .as_deref()
            .map(str::trim)
            .filter(|parent| !parent.is_empty() && parent.bytes().any(|byte| byte != b'0'))
            .map(str::to_ascii_lowercase)
    });
    let mut attributes = tags_map(raw.tags);
    // The parent link is the step's parent; any further reference is kept as written.
    if references.len() > 1 {
        attributes
            .entry("references".to_string())
            .or_insert_with(|| references_json(&references));
    }
    if let Some(warnings) = raw.warnings.filter(|warnings| !warnings.is_empty()) {
        attributes
            .entry("jaeger.warnings".to_string())
            .or_insert_with(|| Value::from(warnings));
    }
    let start_ns = raw
        .start_time
        .and_then(|LooseInt(us)| (us > 0).then_some(us.saturating_mul(NS_PER_US)));
    // Jaeger has no end time: a span with a start but no duration has not ended.
    let end_ns = match (start_ns, raw.duration) {
        (Some(start), Some(LooseInt(us))) => {
            Some(start.saturating_add(us.saturating_mul(NS_PER_US)))
        }
        _ => None,
    };
    let (status, status_message) = status_of(&attributes);
    let events = raw
        .logs
        .unwrap_or_default()
        .into_iter()
        .map(|log| {
            let mut fields = tags_map(log.fields);
            let name = match fields.remove("event") {
                Some(Value::String(name)) => name,
                Some(other) => {
                    fields.insert("event".to_string(), other);
                    "log".to_string()
                }
                None => "log".to_string(),
            };
            SpanEvent {
                name,
                time_ns: log
                    .timestamp
                    .map(|LooseInt(us)| us.saturating_mul(NS_PER_US)),
                attributes: fields,
            }
        })
        .collect();
    Ok(Span {
        name: raw
            .operation_name
            .filter(|name| !name.trim().is_empty())
            .map_or_else(|| format!("span {id}"), Text::into_string),
        id,
        parent_id,
        start_ns,
        end_ns,
        status,
        status_message,
        attributes,
        events,
        path,
    })
}

/// The parent is the first `CHILD_OF` reference within the trace, else the first
/// `FOLLOWS_FROM` one, as Jaeger UI reads it.
fn parent_of(references: &[RawReference], trace_id: &str) -> Option<String> {
    let in_trace = |reference: &&RawReference| {
        reference
            .trace_id
            .as_deref()
            .is_none_or(|id| id.trim().eq_ignore_ascii_case(trace_id))
    };
    let of_type = |wanted: &str| {
        references
            .iter()
            .filter(in_trace)
            .find(|reference| reference.ref_type.as_deref().unwrap_or("CHILD_OF") == wanted)
            .and_then(|reference| reference.span_id.as_deref())
            .map(|id| id.trim().to_ascii_lowercase())
            .filter(|id| !id.is_empty())
    };
    of_type("CHILD_OF").or_else(|| of_type("FOLLOWS_FROM"))
}

fn references_json(references: &[RawReference]) -> Value {
    Value::Array(
        references
            .iter()
            .map(|reference| {
                let mut map = Map::new();
                for (key, value) in [
                    ("refType", &reference.ref_type),
                    ("traceID", &reference.trace_id),
                    ("spanID", &reference.span_id),
                ] {
                    if let Some(value) = value {
                        map.insert(key.to_string(), Value::from(&**value));
                    }
                }
                Value::Object(map)
            })
            .collect(),
    )
}

/// Errors are the OpenTracing tag `error: true` or the OTel `otel.status_code`.
fn status_of(attributes: &Map<String, Value>) -> (SpanStatus, Option<String>) {
    let message = match attributes.get("otel.status_description") {
        Some(Value::String(text)) if !text.is_empty() => Some(text.clone()),
        _ => None,
    };
    let code = attributes
        .get("otel.status_code")
        .and_then(Value::as_str)
        .map(str::to_ascii_uppercase);
    let error_tag = matches!(attributes.get("error"), Some(Value::Bool(true)))
        || matches!(attributes.get("error"), Some(Value::String(text)) if text.eq_ignore_ascii_case("true"));
    let status = match code.as_deref() {
        Some("ERROR") => SpanStatus::Error,
        _ if error_tag => SpanStatus::Error,
        Some("OK") => SpanStatus::Ok,
        _ => SpanStatus::Unset,
    };
    (status, message)
}

/// Tags as a flat map; values that say their type but arrive as text become that type.
fn tags_map(tags: Option<Vec<RawTag>>) -> Map<String, Value> {
    tags.unwrap_or_default()
        .into_iter()
        .map(|tag| {
            let value = match (tag.value_type.as_deref(), tag.value) {
                (Some("bool"), Value::String(text)) => match text.as_str() {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    _ => Value::String(text),
                },
                (Some("int64"), Value::String(text)) => text
                    .trim()
                    .parse::<i64>()
                    .map_or(Value::String(text), Value::from),
                (Some("float64"), Value::String(text)) => text
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(Value::String(text), Value::Number),
                (_, value) => value,
            };
            (tag.key, value)
        })
        .collect()
}
