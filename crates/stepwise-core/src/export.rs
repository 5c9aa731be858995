//! Writes a `Trace` in Stepwise's own format (docs/format.md), whatever it was read from. Pure core.

use chrono::{DateTime, SecondsFormat};
use serde_json::{json, Map, Value};

use crate::import::stepwise::{FORMAT_TAG, VERSION};
use crate::model::{CostSource, RawJson, Status, Trace, TraceKind};
use crate::redact::RedactionNote;

/// The document for one or several traces: `"trace"` for one, `"traces"` for more.
pub fn to_stepwise_document(traces: &[Trace]) -> Value {
    document(traces, None)
}

/// The document for traces that were redacted, saying so: a top-level `"redaction"`
/// with when and how many values of each kind were replaced, never the values.
pub fn to_stepwise_document_redacted(traces: &[Trace], note: &RedactionNote) -> Value {
    document(traces, Some(note))
}

fn document(traces: &[Trace], note: Option<&RedactionNote>) -> Value {
    let mut document = Map::new();
    document.insert("format".into(), json!(FORMAT_TAG));
    document.insert("version".into(), json!(VERSION));
    match traces {
        [one] => document.insert("trace".into(), trace_value(one)),
        many => document.insert(
            "traces".into(),
            Value::Array(many.iter().map(trace_value).collect()),
        ),
    };
    if let Some(note) = note {
        document.insert("redaction".into(), redaction_value(note));
    }
    Value::Object(document)
}

/// What an export says of its redaction: when, and how many of each kind; never values.
pub fn redaction_value(note: &RedactionNote) -> Value {
    let counts: Map<String, Value> = note
        .counts
        .iter()
        .map(|&(category, count)| (category.key().to_string(), json!(count)))
        .collect();
    json!({ "redacted": true, "at": note.at, "counts": counts })
}

/// A one-trace document with `notes` as its trace's annotations and views, in place of
/// those the trace was read with: the page's notes, edited since, are what it exports.
pub fn with_notes(trace: &Trace, notes: &crate::annotate::Notes) -> Value {
    replace_notes(to_stepwise_document(std::slice::from_ref(trace)), notes)
}

/// `with_notes` for a redacted trace, saying so as `to_stepwise_document_redacted` does.
pub fn with_notes_redacted(
    trace: &Trace,
    notes: &crate::annotate::Notes,
    note: &RedactionNote,
) -> Value {
    replace_notes(
        to_stepwise_document_redacted(std::slice::from_ref(trace), note),
        notes,
    )
}

fn replace_notes(mut document: Value, notes: &crate::annotate::Notes) -> Value {
    if let Some(Value::Object(map)) = document.get_mut("trace") {
        map.remove("annotations");
        map.remove("views");
        if !notes.annotations.is_empty() {
            map.insert("annotations".into(), json!(notes.annotations));
        }
        if !notes.views.is_empty() {
            map.insert("views".into(), json!(notes.views));
        }
    }
    document
}

/// RFC 3339 with nanoseconds, so a round trip loses no precision.
fn time(ns: Option<i64>) -> Value {
    ns.map(DateTime::from_timestamp_nanos)
        .map_or(Value::Null, |at| {
            json!(at.to_rfc3339_opts(SecondsFormat::AutoSi, true))
        })
}

fn status(status: Status) -> Value {
    json!(status.label())
}

/// Drops null members so the output stays as small as the format allows.
fn compact(mut map: Map<String, Value>) -> Value {
    map.retain(|_, value| !value.is_null());
    Value::Object(map)
}

fn trace_value(trace: &Trace) -> Value {
    let kind = match trace.kind {
        TraceKind::Crew => "crew",
        TraceKind::Flow => "flow",
        TraceKind::Other => "other",
    };
    let mut metadata = trace.metadata.clone();
    metadata.insert(
        "stepwise.converted_from".into(),
        json!(trace.source_format.label()),
    );
    let mut map = Map::new();
    map.insert("id".into(), json!(trace.id));
    map.insert("name".into(), json!(trace.name));
    map.insert("kind".into(), json!(kind));
    map.insert("status".into(), status(trace.status));
    map.insert("start_time".into(), time(trace.start_ns));
    map.insert("end_time".into(), time(trace.end_ns));
    map.insert(
        "input".into(),
        trace.input.as_ref().map_or(Value::Null, RawJson::parse),
    );
    map.insert(
        "output".into(),
        trace
            .final_output
            .as_ref()
            .map_or(Value::Null, RawJson::parse),
    );
    map.insert("metadata".into(), Value::Object(metadata));
    map.insert(
        "agents".into(),
        trace
            .agents
            .iter()
            .map(|agent| {
                let mut map = Map::new();
                map.insert("id".into(), json!(agent.id));
                map.insert("role".into(), json!(agent.role));
                map.insert("goal".into(), json!(agent.goal));
                map.insert("backstory".into(), json!(agent.backstory));
                map.insert("version".into(), json!(agent.version));
                map.insert("models".into(), json!(agent.models));
                compact(map)
            })
            .collect(),
    );
    map.insert(
        "tasks".into(),
        trace
            .tasks
            .iter()
            .map(|task| {
                let mut map = Map::new();
                map.insert("id".into(), json!(task.id));
                map.insert("key".into(), json!(task.key));
                map.insert("name".into(), json!(task.name));
                map.insert("description".into(), json!(task.description));
                map.insert("expected_output".into(), json!(task.expected_output));
                map.insert("agent_id".into(), json!(task.agent_id));
                map.insert("status".into(), status(task.status));
                map.insert("start_time".into(), time(task.start_ns));
                map.insert("end_time".into(), time(task.end_ns));
                map.insert("context".into(), json!(task.context_task_ids));
                map.insert(
                    "input".into(),
                    task.input.as_ref().map_or(Value::Null, RawJson::parse),
                );
                map.insert(
                    "output".into(),
                    task.output.as_ref().map_or(Value::Null, RawJson::parse),
                );
                compact(map)
            })
            .collect(),
    );
    map.insert("steps".into(), trace.steps.iter().map(step_value).collect());
    // Written only when there are some, so a trace without notes exports as before.
    if !trace.notes.annotations.is_empty() {
        map.insert("annotations".into(), json!(trace.notes.annotations));
    }
    if !trace.notes.views.is_empty() {
        map.insert("views".into(), json!(trace.notes.views));
    }
    compact(map)
}

fn step_value(step: &crate::model::Step) -> Value {
    let mut map = Map::new();
    map.insert("id".into(), json!(step.id));
    map.insert("parent_id".into(), json!(step.parent_id));
    map.insert("task_id".into(), json!(step.task_id));
    map.insert("agent_id".into(), json!(step.agent_id));
    map.insert("kind".into(), json!(step.kind.key()));
    map.insert("name".into(), json!(step.name));
    map.insert("start_time".into(), time(step.start_ns));
    map.insert("end_time".into(), time(step.end_ns));
    map.insert("status".into(), status(step.status));
    map.insert("model".into(), json!(step.model));
    let usage = step.usage;
    if !usage.is_unknown() {
        // Only the known counts are written: in version 2 a left-out count is unknown.
        let known = usage
            .named_counts()
            .into_iter()
            .filter_map(|(key, count)| Some((key.to_string(), Value::from(count?))))
            .collect();
        map.insert("usage".into(), Value::Object(known));
    }
    // Only a stated cost is part of the data; an estimate is redone on import.
    if let Some(cost) = step.cost.filter(|cost| cost.source == CostSource::Stated) {
        map.insert("cost_usd".into(), json!(cost.usd));
    }
    map.insert("result_of".into(), json!(step.result_of));
    map.insert(
        "input".into(),
        step.input.as_ref().map_or(Value::Null, RawJson::parse),
    );
    map.insert(
        "output".into(),
        step.output.as_ref().map_or(Value::Null, RawJson::parse),
    );
    if let Some(error) = &step.error {
        let mut error_map = Map::new();
        error_map.insert("type".into(), json!(error.error_type));
        error_map.insert("message".into(), json!(error.message));
        error_map.insert("stack".into(), json!(error.stack));
        map.insert("error".into(), compact(error_map));
    }
    let mut attributes = step.attributes.clone();
    attributes.remove(crate::pricing::ESTIMATED_FROM);
    if !attributes.is_empty() {
        map.insert("attributes".into(), Value::Object(attributes));
    }
    compact(map)
}
