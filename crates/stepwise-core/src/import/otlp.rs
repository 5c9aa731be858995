//! OTLP/JSON traces: one `ExportTraceServiceRequest`, or JSON Lines of them (the
//! collector's file exporter), read into the model through the shared GenAI classifier.
//!
//! Spec: <https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding> and
//! <https://github.com/open-telemetry/opentelemetry-proto/blob/main/opentelemetry/proto/trace/v1/trace.proto>.
//! Real files (tests/fixtures/real/SOURCES.md) bend it: base64 ids, enum names instead of numbers, times
//! and `intValue`s as numbers or strings, `parentSpanId: ""` for a root, one trace spread
//! over several `resourceSpans` or lines, parents that are not in the file. All are read.
//!
//! Grafana Tempo's trace-by-id answers are OTLP/JSON in an envelope, and read as such:
//! `{"trace": {"resourceSpans": […]}}` from `/api/v2/traces/{id}` and `{"batches": […]}`
//! (each batch a `ResourceSpans`) from `/api/traces/{id}`
//! (<https://grafana.com/docs/tempo/latest/api_docs/#query>).

use std::fmt;
use std::sync::Arc;

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Number, Value};

use super::genai::{Span, SpanEvent, SpanPath, SpanStatus, TraceGroups};
use super::probe::Shape;
use super::text::Text;
use super::{parse_document, Detection, Document, ImportError};
use crate::model::{SourceFormat, Trace};

const FORMAT: SourceFormat = SourceFormat::Otlp;
const TRACE_ID_BYTES: usize = 16;
const SPAN_ID_BYTES: usize = 8;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawRequest<'a> {
    #[serde(borrow, alias = "resource_spans")]
    resource_spans: Option<Vec<RawResourceSpans<'a>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawResourceSpans<'a> {
    resource: Option<RawResource>,
    /// `instrumentationLibrarySpans` is the name before OTLP 0.15.
    #[serde(borrow, alias = "scope_spans", alias = "instrumentationLibrarySpans")]
    scope_spans: Option<Vec<RawScopeSpans<'a>>>,
}

#[derive(Deserialize)]
struct RawResource {
    attributes: Option<Attributes>,
}

#[derive(Deserialize)]
struct RawScopeSpans<'a> {
    #[serde(borrow, alias = "instrumentationLibrary")]
    scope: Option<RawScope<'a>>,
    #[serde(borrow)]
    spans: Option<Vec<RawSpan<'a>>>,
}

#[derive(Deserialize)]
struct RawScope<'a> {
    #[serde(borrow)]
    name: Option<Text<'a>>,
    #[serde(borrow)]
    version: Option<Text<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawSpan<'a> {
    #[serde(borrow, alias = "trace_id")]
    trace_id: Option<Text<'a>>,
    #[serde(borrow, alias = "span_id")]
    span_id: Option<Text<'a>>,
    #[serde(borrow, alias = "parent_span_id")]
    parent_span_id: Option<Text<'a>>,
    #[serde(borrow, alias = "trace_state")]
    trace_state: Option<Text<'a>>,
    #[serde(borrow)]
    name: Option<Text<'a>>,
    kind: Option<RawEnum>,
    #[serde(alias = "start_time_unix_nano")]
    start_time_unix_nano: Option<Nanos>,
    #[serde(alias = "end_time_unix_nano")]
    end_time_unix_nano: Option<Nanos>,
    attributes: Option<Attributes>,
    #[serde(borrow)]
    events: Option<Vec<RawEvent<'a>>>,
    #[serde(borrow)]
    links: Option<Vec<RawLink<'a>>>,
    #[serde(borrow)]
    status: Option<RawStatus<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawEvent<'a> {
    #[serde(alias = "time_unix_nano")]
    time_unix_nano: Option<Nanos>,
    #[serde(borrow)]
    name: Option<Text<'a>>,
    attributes: Option<Attributes>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawLink<'a> {
    #[serde(borrow, alias = "trace_id")]
    trace_id: Option<Text<'a>>,
    #[serde(borrow, alias = "span_id")]
    span_id: Option<Text<'a>>,
    attributes: Option<Attributes>,
}

#[derive(Deserialize)]
struct RawStatus<'a> {
    code: Option<RawEnum>,
    #[serde(borrow)]
    message: Option<Text<'a>>,
}

/// A list of `KeyValue`s read straight into the map the step keeps: no list of pairs
/// is built first. A repeated key keeps its last value.
struct Attributes(Map<String, Value>);

impl<'de> Deserialize<'de> for Attributes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Attributes, D::Error> {
        struct ListVisitor;
        impl<'de> Visitor<'de> for ListVisitor {
            type Value = Attributes;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a sequence")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Attributes, A::Error> {
                let mut map = Map::new();
                while let Some(pair) = seq.next_element::<RawKeyValue>()? {
                    map.insert(pair.key, pair.value.map_or(Value::Null, any_value));
                }
                Ok(Attributes(map))
            }
        }
        deserializer.deserialize_seq(ListVisitor)
    }
}

#[derive(Deserialize)]
struct RawKeyValue {
    key: String,
    value: Option<RawAnyValue>,
}

/// One of the `AnyValue` variants; an empty object is an empty value.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawAnyValue {
    #[serde(alias = "string_value")]
    string_value: Option<String>,
    #[serde(alias = "int_value")]
    int_value: Option<LooseInt>,
    #[serde(alias = "double_value")]
    double_value: Option<LooseDouble>,
    #[serde(alias = "bool_value")]
    bool_value: Option<bool>,
    #[serde(alias = "array_value")]
    array_value: Option<RawArrayValue>,
    #[serde(alias = "kvlist_value")]
    kvlist_value: Option<RawKvList>,
    /// Base64 in the JSON encoding; kept as written.
    #[serde(alias = "bytes_value")]
    bytes_value: Option<String>,
}

#[derive(Deserialize)]
struct RawArrayValue {
    values: Option<Vec<RawAnyValue>>,
}

#[derive(Deserialize)]
struct RawKvList {
    values: Option<Attributes>,
}

/// An enum as its number (`2`) or its name (`"SPAN_KIND_SERVER"`).
enum RawEnum {
    Number(i64),
    Name(String),
}

impl<'de> Deserialize<'de> for RawEnum {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<RawEnum, D::Error> {
        struct EnumVisitor;
        impl Visitor<'_> for EnumVisitor {
            type Value = RawEnum;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an enum number or name")
            }
            fn visit_i64<E>(self, number: i64) -> Result<RawEnum, E> {
                Ok(RawEnum::Number(number))
            }
            fn visit_u64<E: de::Error>(self, number: u64) -> Result<RawEnum, E> {
                i64::try_from(number)
                    .map(RawEnum::Number)
                    .map_err(|_| E::custom(format!("an enum number, not {number}")))
            }
            fn visit_str<E>(self, name: &str) -> Result<RawEnum, E> {
                Ok(RawEnum::Name(name.to_string()))
            }
        }
        deserializer.deserialize_any(EnumVisitor)
    }
}

/// An integer written as a JSON number or as a string of digits (proto3 JSON writes
/// 64-bit integers as strings; many exporters write numbers).
pub(crate) struct LooseInt(pub i64);

impl<'de> Deserialize<'de> for LooseInt {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<LooseInt, D::Error> {
        struct IntVisitor;
        impl Visitor<'_> for IntVisitor {
            type Value = LooseInt;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an integer, as a number or a string of digits")
            }
            fn visit_i64<E>(self, number: i64) -> Result<LooseInt, E> {
                Ok(LooseInt(number))
            }
            fn visit_u64<E: de::Error>(self, number: u64) -> Result<LooseInt, E> {
                i64::try_from(number)
                    .map(LooseInt)
                    .map_err(|_| E::custom(format!("an integer below 2^63, not {number}")))
            }
            fn visit_f64<E: de::Error>(self, number: f64) -> Result<LooseInt, E> {
                // 1.7e18 style numbers: exact enough for times, refused when not integral.
                if number.is_finite() && number.fract() == 0.0 && number.abs() < 9.2e18 {
                    Ok(LooseInt(number as i64))
                } else {
                    Err(E::custom(format!("an integer, not {number}")))
                }
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<LooseInt, E> {
                text.trim()
                    .parse()
                    .map(LooseInt)
                    .map_err(|_| E::custom(format!("an integer, not {text:?}")))
            }
        }
        deserializer.deserialize_any(IntVisitor)
    }
}

/// Nanoseconds since the Unix epoch; `0` means "not set" in OTLP.
struct Nanos(Option<i64>);

impl<'de> Deserialize<'de> for Nanos {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Nanos, D::Error> {
        let LooseInt(nanos) = LooseInt::deserialize(deserializer)?;
        Ok(Nanos((nanos > 0).then_some(nanos)))
    }
}

/// A double as a number, or as one of proto3 JSON's strings ("NaN", "Infinity", "1.5").
struct LooseDouble(Value);

impl<'de> Deserialize<'de> for LooseDouble {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<LooseDouble, D::Error> {
        struct DoubleVisitor;
        impl Visitor<'_> for DoubleVisitor {
            type Value = LooseDouble;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E>(self, number: i64) -> Result<LooseDouble, E> {
                Ok(LooseDouble(Value::from(number)))
            }
            fn visit_u64<E>(self, number: u64) -> Result<LooseDouble, E> {
                Ok(LooseDouble(Value::from(number)))
            }
            fn visit_f64<E>(self, number: f64) -> Result<LooseDouble, E> {
                Ok(LooseDouble(Value::from(number)))
            }
            fn visit_str<E>(self, text: &str) -> Result<LooseDouble, E> {
                // JSON has no NaN or infinity: those stay as the text the source wrote.
                let parsed = text.trim().parse::<f64>().ok().and_then(Number::from_f64);
                Ok(LooseDouble(parsed.map_or_else(
                    || Value::String(text.to_string()),
                    Value::Number,
                )))
            }
        }
        deserializer.deserialize_any(DoubleVisitor)
    }
}

/// Where a document keeps its `ResourceSpans`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Envelope {
    /// An `ExportTraceServiceRequest`: `{"resourceSpans": […]}`.
    Request,
    /// Tempo's `/api/v2/traces/{id}`: `{"trace": {"resourceSpans": […]}}`.
    TempoV2,
    /// Tempo's `/api/traces/{id}`: `{"batches": [ResourceSpans, …]}`.
    TempoV1,
}

impl Envelope {
    /// The envelope of `document`, if it holds OTLP spans. Tempo's keys are general words
    /// (a Stepwise trace has `trace` too), so their content is skimmed to be sure.
    fn of(document: &Document) -> Option<Envelope> {
        let shape = &document.shape;
        if shape.has_key("resourceSpans") || shape.has_key("resource_spans") {
            return Some(Envelope::Request);
        }
        // A Langfuse download has `trace` too: it is not skimmed a second time for nothing.
        let maybe_tempo = !shape.has_key("format")
            && !shape.has_key("observations")
            && (shape.has_key("trace") || shape.has_key("batches"));
        if !maybe_tempo {
            return None;
        }
        #[derive(Deserialize)]
        struct TempoProbe {
            trace: Option<Shape>,
            batches: Option<Vec<Shape>>,
        }
        let probe: TempoProbe = serde_json::from_str(document.text).ok()?;
        let is_resource_spans = |shape: &Shape| {
            [
                "scopeSpans",
                "scope_spans",
                "instrumentationLibrarySpans",
                "resource",
            ]
            .iter()
            .any(|key| shape.has_key(key))
        };
        match (probe.trace, probe.batches) {
            (Some(trace), None)
                if trace.has_key("resourceSpans") || trace.has_key("resource_spans") =>
            {
                Some(Envelope::TempoV2)
            }
            (None, Some(batches))
                if !batches.is_empty() && batches.iter().all(is_resource_spans) =>
            {
                Some(Envelope::TempoV1)
            }
            _ => None,
        }
    }

    /// The JSON path of the `ResourceSpans` list, for messages.
    fn list_path(self) -> &'static str {
        match self {
            Envelope::Request => "resourceSpans",
            Envelope::TempoV2 => "trace.resourceSpans",
            Envelope::TempoV1 => "batches",
        }
    }

    /// Parses `document` and takes its request out of the envelope.
    fn parse<'a>(self, document: &Document<'a>) -> Result<RawRequest<'a>, ImportError> {
        #[derive(Deserialize)]
        struct TempoV2<'a> {
            #[serde(borrow)]
            trace: RawRequest<'a>,
        }
        #[derive(Deserialize)]
        struct TempoV1<'a> {
            #[serde(borrow)]
            batches: Vec<RawResourceSpans<'a>>,
        }
        Ok(match self {
            Envelope::Request => parse_document(document, FORMAT)?,
            Envelope::TempoV2 => parse_document::<TempoV2>(document, FORMAT)?.trace,
            Envelope::TempoV1 => RawRequest {
                resource_spans: Some(parse_document::<TempoV1>(document, FORMAT)?.batches),
            },
        })
    }
}

/// Claims documents that all have `resourceSpans`, directly or in one of Tempo's envelopes.
pub fn detect(documents: &[Document]) -> Detection<Vec<Trace>> {
    match super::classify_all(documents, Envelope::of) {
        Some(envelopes) => Detection::Imported(import(documents, &envelopes)),
        None => Detection::Incompatible,
    }
}

fn import(documents: &[Document], envelopes: &[Envelope]) -> Result<Vec<Trace>, ImportError> {
    let mut traces = TraceGroups::default();
    for (document, envelope) in documents.iter().zip(envelopes) {
        let request = envelope.parse(document)?;
        // Paths in messages name the line too when the input is JSON Lines.
        let prefix = if document.line > 1 {
            format!("line {}, ", document.line)
        } else {
            String::new()
        };
        read_request(request, &prefix, envelope.list_path(), &mut traces)?;
    }
    if traces.is_empty() {
        let list = envelopes.first().map_or("resourceSpans", |e| e.list_path());
        return Err(ImportError::Invalid {
            format: FORMAT,
            path: list.to_string(),
            expected: "at least one span".to_string(),
        });
    }
    Ok(traces.build(FORMAT))
}

fn read_request(
    request: RawRequest,
    prefix: &str,
    list_path: &str,
    traces: &mut TraceGroups,
) -> Result<(), ImportError> {
    // Spans of one request nearly always share a trace id: it is normalised once.
    let mut last_trace_id: Option<(Text, String)> = None;
    for (r, resource_spans) in request
        .resource_spans
        .unwrap_or_default()
        .into_iter()
        .enumerate()
    {
        let resource = resource_spans
            .resource
            .and_then(|resource| resource.attributes)
            .map_or_else(Map::new, |Attributes(map)| map);
        let mut merged_into = Vec::new();
        for (s, scope_spans) in resource_spans
            .scope_spans
            .unwrap_or_default()
            .into_iter()
            .enumerate()
        {
            let scope = scope_spans.scope;
            let list: Arc<str> =
                Arc::from(format!("{prefix}{list_path}[{r}].scopeSpans[{s}].spans"));
            for (i, mut raw) in scope_spans
                .spans
                .unwrap_or_default()
                .into_iter()
                .enumerate()
            {
                let path = SpanPath::new(&list, i);
                let trace_id = trace_id_of(raw.trace_id.take(), &mut last_trace_id, &path)?;
                let span = read_span(raw, scope.as_ref(), path)?;
                traces.add_from_resource(&trace_id, span, &resource, &mut merged_into);
            }
        }
    }
    Ok(())
}

/// The span's normalised trace id, taken from `last` when the text is the same.
fn trace_id_of<'a>(
    raw: Option<Text<'a>>,
    last: &mut Option<(Text<'a>, String)>,
    path: &SpanPath,
) -> Result<String, ImportError> {
    if let (Some((known, normalised)), Some(text)) = (last.as_ref(), raw.as_ref()) {
        if **known == **text {
            return Ok(normalised.clone());
        }
    }
    let normalised = required_id(raw.as_deref(), TRACE_ID_BYTES, path, "traceId")?;
    if let Some(text) = raw {
        *last = Some((text, normalised.clone()));
    }
    Ok(normalised)
}

fn read_span(raw: RawSpan, scope: Option<&RawScope>, path: SpanPath) -> Result<Span, ImportError> {
    let id = required_id(raw.span_id.as_deref(), SPAN_ID_BYTES, &path, "spanId")?;
    // `""` (and an all-zero id) is how many exporters write "no parent".
    let parent_id = raw
        .parent_span_id
        .as_deref()
        .map(str::trim)
        .filter(|parent| !parent.is_empty())
        .map(|parent| normalise_id(parent, SPAN_ID_BYTES))
        .filter(|parent| parent.bytes().any(|byte| byte != b'0'));
    let mut attributes = raw.attributes.map_or_else(Map::new, |Attributes(map)| map);
    // Kept under the names the OTLP → Jaeger translation uses, unless the span has them.
    let mut add = |key: &str, value: Value| {
        if !attributes.contains_key(key) {
            attributes.insert(key.to_string(), value);
        }
    };
    if let Some(kind) = raw.kind.as_ref().and_then(span_kind) {
        add("span.kind", kind);
    }
    if let Some(scope) = scope {
        if let Some(name) = scope.name.as_deref().filter(|name| !name.is_empty()) {
            add("otel.scope.name", Value::from(name));
        }
        if let Some(version) = scope.version.as_deref().filter(|v| !v.is_empty()) {
            add("otel.scope.version", Value::from(version));
        }
    }
    if let Some(state) = raw.trace_state.filter(|state| !state.is_empty()) {
        add("otel.trace_state", Value::String(state.into_string()));
    }
    let links = raw.links.unwrap_or_default();
    if !links.is_empty() {
        add("otel.links", links_json(links));
    }
    let (status, status_message) = match raw.status {
        Some(status) => (
            status.code.as_ref().map_or(SpanStatus::Unset, status_code),
            status
                .message
                .filter(|message| !message.is_empty())
                .map(Text::into_string),
        ),
        None => (SpanStatus::Unset, None),
    };
    match status {
        SpanStatus::Error => add("otel.status_code", Value::String("ERROR".into())),
        SpanStatus::Ok => add("otel.status_code", Value::String("OK".into())),
        SpanStatus::Unset => {}
    }
    if let Some(message) = &status_message {
        add("otel.status_description", Value::String(message.clone()));
    }
    let events = raw
        .events
        .unwrap_or_default()
        .into_iter()
        .map(|event| SpanEvent {
            name: event.name.map(Text::into_string).unwrap_or_default(),
            time_ns: event.time_unix_nano.and_then(|Nanos(nanos)| nanos),
            attributes: event
                .attributes
                .map_or_else(Map::new, |Attributes(map)| map),
        })
        .collect();
    Ok(Span {
        name: raw
            .name
            .filter(|name| !name.trim().is_empty())
            .map_or_else(|| format!("span {id}"), Text::into_string),
        id,
        parent_id,
        start_ns: raw.start_time_unix_nano.and_then(|Nanos(nanos)| nanos),
        end_ns: raw.end_time_unix_nano.and_then(|Nanos(nanos)| nanos),
        status,
        status_message,
        attributes,
        events,
        path,
    })
}

fn required_id(
    raw: Option<&str>,
    bytes: usize,
    path: &SpanPath,
    field: &str,
) -> Result<String, ImportError> {
    match raw.map(str::trim) {
        Some(text) if !text.is_empty() => Ok(normalise_id(text, bytes)),
        _ => Err(ImportError::Invalid {
            format: FORMAT,
            path: format!("{path}.{field}"),
            expected: format!(
                "a {} ({} hex digits or base64), which every span needs",
                if bytes == TRACE_ID_BYTES {
                    "trace id"
                } else {
                    "span id"
                },
                bytes * 2
            ),
        }),
    }
}

/// Ids become lower-case hex: the spec writes hex, protobuf's own JSON writes base64,
/// and some exporters write upper case. An id that is neither is kept as written.
pub(crate) fn normalise_id(text: &str, bytes: usize) -> String {
    let is_hex = text.bytes().all(|byte| byte.is_ascii_hexdigit());
    if is_hex && text.len() == bytes * 2 {
        return text.to_ascii_lowercase();
    }
    if let Some(decoded) = decode_base64(text).filter(|decoded| decoded.len() == bytes) {
        return decoded.iter().map(|byte| format!("{byte:02x}")).collect();
    }
    if is_hex {
        return text.to_ascii_lowercase();
    }
    text.to_string()
}

/// Exporters pad base64 or not, so either is read; left-over bits must still be zero
/// (the engine's default), or it was not base64 of whole bytes.
const ANY_PADDING: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
const STANDARD_ANY_PADDING: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, ANY_PADDING);
const URL_SAFE_ANY_PADDING: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, ANY_PADDING);

/// Standard or URL-safe base64, padded or not; `None` if it is not base64 of at least
/// one byte.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    [STANDARD_ANY_PADDING, URL_SAFE_ANY_PADDING]
        .iter()
        .find_map(|engine| engine.decode(text).ok())
        .filter(|bytes| !bytes.is_empty())
}

fn span_kind(kind: &RawEnum) -> Option<Value> {
    let name = match kind {
        RawEnum::Number(0) => return None,
        RawEnum::Number(1) => "internal",
        RawEnum::Number(2) => "server",
        RawEnum::Number(3) => "client",
        RawEnum::Number(4) => "producer",
        RawEnum::Number(5) => "consumer",
        RawEnum::Number(other) => return Some(Value::from(*other)),
        RawEnum::Name(name) => {
            let short = name.strip_prefix("SPAN_KIND_").unwrap_or(name);
            if short.is_empty() || short == "UNSPECIFIED" {
                return None;
            }
            return Some(Value::String(short.to_ascii_lowercase()));
        }
    };
    Some(Value::String(name.to_string()))
}

fn status_code(code: &RawEnum) -> SpanStatus {
    match code {
        RawEnum::Number(1) => SpanStatus::Ok,
        RawEnum::Number(2) => SpanStatus::Error,
        RawEnum::Number(_) => SpanStatus::Unset,
        RawEnum::Name(name) => match name
            .strip_prefix("STATUS_CODE_")
            .unwrap_or(name)
            .to_ascii_uppercase()
            .as_str()
        {
            "OK" => SpanStatus::Ok,
            "ERROR" => SpanStatus::Error,
            _ => SpanStatus::Unset,
        },
    }
}

fn any_value(value: RawAnyValue) -> Value {
    if let Some(text) = value.string_value {
        Value::String(text)
    } else if let Some(LooseInt(number)) = value.int_value {
        Value::from(number)
    } else if let Some(LooseDouble(number)) = value.double_value {
        number
    } else if let Some(flag) = value.bool_value {
        Value::Bool(flag)
    } else if let Some(array) = value.array_value {
        // Nesting is bounded by serde_json's recursion limit on the input.
        Value::Array(
            array
                .values
                .unwrap_or_default()
                .into_iter()
                .map(any_value)
                .collect(),
        )
    } else if let Some(list) = value.kvlist_value {
        Value::Object(list.values.map_or_else(Map::new, |Attributes(map)| map))
    } else if let Some(bytes) = value.bytes_value {
        Value::String(bytes)
    } else {
        Value::Null
    }
}

fn links_json(links: Vec<RawLink>) -> Value {
    Value::Array(
        links
            .into_iter()
            .map(|link| {
                let mut map = Map::new();
                if let Some(trace_id) = link.trace_id.as_deref() {
                    map.insert(
                        "trace_id".into(),
                        Value::String(normalise_id(trace_id.trim(), TRACE_ID_BYTES)),
                    );
                }
                if let Some(span_id) = link.span_id.as_deref() {
                    map.insert(
                        "span_id".into(),
                        Value::String(normalise_id(span_id.trim(), SPAN_ID_BYTES)),
                    );
                }
                map.insert(
                    "attributes".into(),
                    Value::Object(link.attributes.map_or_else(Map::new, |Attributes(map)| map)),
                );
                Value::Object(map)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_become_lower_case_hex() {
        assert_eq!(
            normalise_id("EEE19B7EC3C1B174", SPAN_ID_BYTES),
            "eee19b7ec3c1b174"
        );
        assert_eq!(
            normalise_id("7uGbfsPBsXQ=", SPAN_ID_BYTES),
            "eee19b7ec3c1b174"
        );
        assert_eq!(
            normalise_id("W47/95gDgQPSabYzgT/GDA==", TRACE_ID_BYTES),
            "5b8efff798038103d269b633813fc60c"
        );
        assert_eq!(normalise_id("not an id!", SPAN_ID_BYTES), "not an id!");
    }

    #[test]
    fn base64_rejects_what_is_not_base64() {
        assert_eq!(decode_base64("a"), None, "6 bits are not a byte");
        assert_eq!(decode_base64("ab$d"), None);
        assert_eq!(decode_base64("===="), None);
        assert_eq!(decode_base64("AQ=="), Some(vec![1]));
    }
}
