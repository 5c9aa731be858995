//! LangSmith runs: one run, a list of runs, a run tree with `child_runs`, and ingest batches.
//!
//! Spec: LangSmith's run data format,
//! <https://docs.smith.langchain.com/reference/data_formats/run_data_format>, and the
//! batch ingest endpoint `POST /runs/batch` (`{post: [runs], patch: [runs]}`); real
//! files in tests/fixtures/real/SOURCES.md. Runs are grouped by `trace_id` (the root run's id when it is
//! missing), one `Trace` per group.

use crate::fast_hash::HashMap;
use std::fmt;

use serde::de::{Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::repair::repair_step_tree;
use super::time::parse_utc_ns;
use super::{field_path, parse_document, Detection, Document, ImportError, ObjectOnly};
use crate::model::{
    Cost, CostSource, RawJson, Repair, SourceFormat, Status, Step, StepError, StepKind, Trace,
    TraceKind, Usage,
};

const FORMAT: SourceFormat = SourceFormat::LangSmith;
const TIME_EXPECTED: &str =
    "an ISO 8601 time such as \"2024-05-01T12:00:00.123456\" or epoch milliseconds";

/// The ingest endpoint's body: new runs, then updates to them (end, outputs, error).
#[derive(Deserialize)]
struct RawBatch {
    #[serde(default)]
    post: Vec<RawRun>,
    #[serde(default)]
    patch: Vec<RawRun>,
}

/// `POST /runs/query` answers a page of runs.
#[derive(Deserialize)]
struct RawRunsPage {
    runs: Vec<RawRun>,
}

/// A run as read from the API, written by the SDKs, or patched in a batch (then only
/// `id` and the changed fields are there).
#[derive(Deserialize)]
struct RawRun {
    id: String,
    name: Option<String>,
    run_type: Option<RawRunType>,
    start_time: Option<RawTime>,
    end_time: Option<RawTime>,
    inputs: Option<Value>,
    outputs: Option<Value>,
    error: Option<String>,
    parent_run_id: Option<String>,
    trace_id: Option<String>,
    dotted_order: Option<String>,
    child_runs: Option<Vec<RawRun>>,
    status: Option<String>,
    prompt_tokens: Option<f64>,
    completion_tokens: Option<f64>,
    total_tokens: Option<f64>,
    first_token_time: Option<RawTime>,
    total_cost: Option<RawDecimal>,
    prompt_cost: Option<RawDecimal>,
    completion_cost: Option<RawDecimal>,
    extra: Option<Map<String, Value>>,
    tags: Option<Value>,
    events: Option<Value>,
    session_id: Option<Value>,
    session_name: Option<Value>,
    reference_example_id: Option<Value>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum RawRunType {
    Llm,
    Chain,
    Tool,
    Retriever,
    Embedding,
    Prompt,
    Parser,
    #[serde(other)]
    Other,
}

impl RawRunType {
    fn kind(self) -> StepKind {
        match self {
            RawRunType::Llm => StepKind::LlmCall,
            RawRunType::Embedding => StepKind::Embedding,
            RawRunType::Tool => StepKind::ToolCall,
            RawRunType::Retriever => StepKind::Retrieval,
            RawRunType::Chain => StepKind::Span,
            RawRunType::Prompt => StepKind::Prompt,
            RawRunType::Parser | RawRunType::Other => StepKind::Other,
        }
    }

    fn label(self) -> &'static str {
        match self {
            RawRunType::Llm => "llm",
            RawRunType::Chain => "chain",
            RawRunType::Tool => "tool",
            RawRunType::Retriever => "retriever",
            RawRunType::Embedding => "embedding",
            RawRunType::Prompt => "prompt",
            RawRunType::Parser => "parser",
            RawRunType::Other => "other",
        }
    }
}

/// LangChain's `usage_metadata`: `input_tokens` includes the cached ones.
#[derive(Deserialize)]
struct RawUsageMetadata {
    input_tokens: Option<f64>,
    output_tokens: Option<f64>,
    input_token_details: Option<RawInputDetails>,
    output_token_details: Option<RawOutputDetails>,
}

#[derive(Deserialize)]
struct RawInputDetails {
    cache_read: Option<f64>,
    cache_creation: Option<f64>,
    audio: Option<f64>,
}

#[derive(Deserialize)]
struct RawOutputDetails {
    reasoning: Option<f64>,
    audio: Option<f64>,
}

/// OpenAI-style `llm_output.token_usage` of LangChain's older LLM results.
#[derive(Deserialize)]
struct RawTokenUsage {
    prompt_tokens: Option<f64>,
    completion_tokens: Option<f64>,
}

/// The Python SDK writes ISO text (often without an offset); the JS SDK epoch milliseconds.
enum RawTime {
    Text(String),
    EpochMs(f64),
}

impl<'de> Deserialize<'de> for RawTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TimeVisitor;
        impl Visitor<'_> for TimeVisitor {
            type Value = RawTime;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(TIME_EXPECTED)
            }
            fn visit_str<E>(self, text: &str) -> Result<RawTime, E> {
                Ok(RawTime::Text(text.to_string()))
            }
            fn visit_u64<E>(self, ms: u64) -> Result<RawTime, E> {
                Ok(RawTime::EpochMs(ms as f64))
            }
            fn visit_i64<E>(self, ms: i64) -> Result<RawTime, E> {
                Ok(RawTime::EpochMs(ms as f64))
            }
            fn visit_f64<E>(self, ms: f64) -> Result<RawTime, E> {
                Ok(RawTime::EpochMs(ms))
            }
        }
        deserializer.deserialize_any(TimeVisitor)
    }
}

/// Costs are decimals: a JSON number, or text such as "0.000123" when read as `Decimal`.
struct RawDecimal(f64);

impl<'de> Deserialize<'de> for RawDecimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DecimalVisitor;
        impl Visitor<'_> for DecimalVisitor {
            type Value = RawDecimal;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a cost in US dollars, as a number or decimal text")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<RawDecimal, E> {
                text.trim()
                    .parse::<f64>()
                    .map(RawDecimal)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Str(text), &self))
            }
            fn visit_u64<E>(self, value: u64) -> Result<RawDecimal, E> {
                Ok(RawDecimal(value as f64))
            }
            fn visit_i64<E>(self, value: i64) -> Result<RawDecimal, E> {
                Ok(RawDecimal(value as f64))
            }
            fn visit_f64<E>(self, value: f64) -> Result<RawDecimal, E> {
                Ok(RawDecimal(value))
            }
        }
        deserializer.deserialize_any(DecimalVisitor)
    }
}

#[derive(Clone, Copy)]
enum Shape {
    Run,
    List,
    Page,
    Batch,
}

/// Claims LangSmith runs: an object with `run_type`, an ingest batch (`post`/`patch`),
/// a query page (`runs` + `cursors`), or an array whose first item has `run_type`.
pub fn detect(documents: &[Document]) -> Detection<Vec<Trace>> {
    let Some(shapes) = super::classify_all(documents, shape_of) else {
        return Detection::Incompatible;
    };
    let several = documents.len() > 1;
    let mut runs = Vec::new();
    let mut patches = Vec::new();
    for (document, shape) in documents.iter().zip(shapes) {
        // With several documents (JSON Lines), paths say which line they are on.
        let prefix = if several {
            format!("line {}, ", document.line)
        } else {
            String::new()
        };
        if let Err(error) = read(document, shape, &prefix, &mut runs, &mut patches) {
            return Detection::Imported(Err(error));
        }
    }
    if runs.is_empty() && patches.is_empty() {
        // An empty batch or page would open as nothing at all, without a word.
        return Detection::Imported(Err(invalid(
            super::TOP_LEVEL,
            "at least one run in \"post\", \"patch\" or \"runs\"",
        )));
    }
    Detection::Imported(build_traces(runs, patches))
}

fn shape_of(document: &Document) -> Option<Shape> {
    let shape = &document.shape;
    if shape.has_key("post") || shape.has_key("patch") {
        Some(Shape::Batch)
    } else if shape.has_key("run_type") {
        Some(Shape::Run)
    } else if shape.has_key("runs") && shape.has_key("cursors") {
        Some(Shape::Page)
    } else if matches!(shape, super::Shape::Array { len } if *len > 0) && first_is_run(document) {
        Some(Shape::List)
    } else {
        None
    }
}

/// Reads the keys of the first item only, and skims the rest without building values.
fn first_is_run(document: &Document) -> bool {
    #[derive(Deserialize)]
    struct RunProbe {
        run_type: Option<IgnoredAny>,
    }
    struct FirstItem(bool);
    impl<'de> Deserialize<'de> for FirstItem {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct FirstVisitor;
            impl<'de> Visitor<'de> for FirstVisitor {
                type Value = FirstItem;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("an array")
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<FirstItem, A::Error> {
                    let first = seq.next_element::<ObjectOnly<RunProbe>>()?;
                    while seq.next_element::<IgnoredAny>()?.is_some() {}
                    Ok(FirstItem(matches!(
                        first,
                        Some(ObjectOnly(RunProbe { run_type: Some(_) }))
                    )))
                }
            }
            deserializer.deserialize_seq(FirstVisitor)
        }
    }
    matches!(
        serde_json::from_str::<FirstItem>(document.text),
        Ok(FirstItem(true))
    )
}

/// A run lifted out of its tree, with where it was in the input.
struct FlatRun {
    run: RawRun,
    path: String,
}

fn read(
    document: &Document,
    shape: Shape,
    prefix: &str,
    runs: &mut Vec<FlatRun>,
    patches: &mut Vec<FlatRun>,
) -> Result<(), ImportError> {
    match shape {
        Shape::Run => {
            let run: RawRun = parse_document(document, FORMAT)?;
            flatten(run, prefix.to_string(), runs);
        }
        Shape::List => {
            let list: Vec<RawRun> = parse_document(document, FORMAT)?;
            for (index, run) in list.into_iter().enumerate() {
                flatten(run, format!("{prefix}[{index}]"), runs);
            }
        }
        Shape::Page => {
            let page: RawRunsPage = parse_document(document, FORMAT)?;
            for (index, run) in page.runs.into_iter().enumerate() {
                flatten(run, format!("{prefix}runs[{index}]"), runs);
            }
        }
        Shape::Batch => {
            let batch: RawBatch = parse_document(document, FORMAT)?;
            for (index, run) in batch.post.into_iter().enumerate() {
                flatten(run, format!("{prefix}post[{index}]"), runs);
            }
            for (index, run) in batch.patch.into_iter().enumerate() {
                patches.push(FlatRun {
                    run,
                    path: format!("{prefix}patch[{index}]"),
                });
            }
        }
    }
    Ok(())
}

/// Lifts the runs of a `child_runs` tree into a flat list, depth-first, with an explicit
/// stack. Children get their parent (and its trace) from the tree when they do not say.
fn flatten(run: RawRun, path: String, out: &mut Vec<FlatRun>) {
    let mut stack = vec![(run, path)];
    while let Some((mut run, path)) = stack.pop() {
        let children = run.child_runs.take().unwrap_or_default();
        for (index, mut child) in children.into_iter().enumerate().rev() {
            if child.parent_run_id.is_none() {
                child.parent_run_id = Some(run.id.clone());
            }
            if child.trace_id.is_none() {
                child.trace_id.clone_from(&run.trace_id);
            }
            stack.push((child, field_path(&path, &format!("child_runs[{index}]"))));
        }
        out.push(FlatRun { run, path });
    }
}

fn invalid(path: &str, expected: &str) -> ImportError {
    ImportError::Invalid {
        format: FORMAT,
        path: path.to_string(),
        expected: expected.to_string(),
    }
}

/// LangSmith stores UTC and often writes it without a suffix ("2024-05-01T12:00:00.123456");
/// such a time is read as UTC, not as the viewer's local time.
fn time(raw: Option<&RawTime>, path: &str) -> Result<Option<i64>, ImportError> {
    match raw {
        None => Ok(None),
        Some(RawTime::Text(text)) if text.trim().is_empty() => Ok(None),
        Some(RawTime::Text(text)) => parse_utc_ns(text)
            .map(Some)
            .ok_or_else(|| invalid(path, &format!("{TIME_EXPECTED}, not {text:?}"))),
        Some(RawTime::EpochMs(ms)) if ms.is_finite() && ms.abs() < 9.2e12 => {
            // Whole milliseconds and the fraction apart: `ms * 1e6` in f64 would lose the
            // last digits of nanoseconds near 1.7e18.
            let whole_ms = ms.trunc();
            let fraction_ns = ((ms - whole_ms) * 1e6).round() as i64;
            Ok(Some(
                (whole_ms as i64)
                    .saturating_mul(1_000_000)
                    .saturating_add(fraction_ns),
            ))
        }
        Some(RawTime::EpochMs(ms)) => Err(invalid(path, &format!("{TIME_EXPECTED}, not {ms}"))),
    }
}

/// Applies the patches to their runs, then groups the runs into traces.
fn build_traces(mut runs: Vec<FlatRun>, patches: Vec<FlatRun>) -> Result<Vec<Trace>, ImportError> {
    // Run index → the note about it, filed with its trace below.
    let mut early_repairs: HashMap<usize, Repair> = HashMap::default();
    let mut index_of: HashMap<String, usize> = runs
        .iter()
        .enumerate()
        .map(|(index, flat)| (flat.run.id.clone(), index))
        .collect();
    for patch in patches {
        match index_of.get(&patch.run.id) {
            Some(&index) => apply_patch(&mut runs[index].run, patch.run),
            None => {
                // Batches are split by size, so an update may arrive without the run it
                // updates; it is kept as a run of its own, with what it says.
                index_of.insert(patch.run.id.clone(), runs.len());
                early_repairs.insert(
                    runs.len(),
                    Repair {
                        path: patch.path.clone(),
                        what: format!(
                            "this update is for run {:?}, which is not in the file; it is shown \
                             as a run of its own",
                            patch.run.id
                        ),
                    },
                );
                runs.push(patch);
            }
        }
    }

    // Group by trace, in order of first appearance.
    let keys = trace_keys(&runs, &index_of);
    let mut group_of: HashMap<&str, usize> = HashMap::default();
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (index, key) in keys.iter().enumerate() {
        let group = *group_of.entry(key.as_str()).or_insert_with(|| {
            groups.push((key.clone(), Vec::new()));
            groups.len() - 1
        });
        groups[group].1.push(index);
    }
    drop(group_of);

    let mut slots: Vec<Option<FlatRun>> = runs.into_iter().map(Some).collect();
    let mut traces = Vec::with_capacity(groups.len());
    for (key, members) in groups {
        let repairs: Vec<Repair> = members
            .iter()
            .filter_map(|index| early_repairs.remove(index))
            .collect();
        let members: Vec<FlatRun> = members
            .into_iter()
            .filter_map(|index| slots.get_mut(index).and_then(Option::take))
            .collect();
        traces.push(convert_trace(key, members, repairs)?);
    }
    Ok(traces)
}

/// An update replaces what it states and leaves the rest.
fn apply_patch(run: &mut RawRun, patch: RawRun) {
    macro_rules! take {
        ($($field:ident),*) => {$(
            if patch.$field.is_some() {
                run.$field = patch.$field;
            }
        )*};
    }
    take!(
        name,
        run_type,
        start_time,
        end_time,
        inputs,
        outputs,
        error,
        parent_run_id,
        trace_id,
        dotted_order,
        status,
        prompt_tokens,
        completion_tokens,
        total_tokens,
        first_token_time,
        total_cost,
        prompt_cost,
        completion_cost,
        tags,
        events,
        session_id,
        session_name,
        reference_example_id
    );
    if let Some(extra) = patch.extra {
        let target = run.extra.get_or_insert_with(Map::new);
        for (key, value) in extra {
            match (target.get_mut(&key), value) {
                (Some(Value::Object(old)), Value::Object(new)) => old.extend(new),
                (_, value) => {
                    target.insert(key, value);
                }
            }
        }
    }
}

/// The trace a run states: `trace_id`, else the root id at the head of `dotted_order`.
fn stated_trace(run: &RawRun) -> Option<String> {
    if let Some(trace_id) = run.trace_id.as_ref().filter(|id| !id.is_empty()) {
        return Some(trace_id.clone());
    }
    // "20230914T223155647Z1b64098b-….20230914T…": the first segment is the root's
    // start time (ending in Z) followed by its id.
    run.dotted_order
        .as_deref()
        .and_then(|order| order.split('.').next())
        .and_then(|segment| segment.split_once('Z'))
        .map(|(_, id)| id)
        .filter(|id| !id.is_empty())
        .map(str::to_string)
}

/// Each run's trace: the one it states, else its nearest ancestor's, else the id of
/// the root it reaches by `parent_run_id`. Each run is walked once.
fn trace_keys(runs: &[FlatRun], index_of: &HashMap<String, usize>) -> Vec<String> {
    let mut keys: Vec<Option<String>> = vec![None; runs.len()];
    for start in 0..runs.len() {
        let mut walk = Vec::new();
        let mut current = start;
        let key = loop {
            if let Some(key) = &keys[current] {
                break key.clone();
            }
            walk.push(current);
            if let Some(key) = stated_trace(&runs[current].run) {
                break key;
            }
            let parent = runs[current]
                .run
                .parent_run_id
                .as_ref()
                .and_then(|id| index_of.get(id).copied());
            match parent {
                // A parent cycle has no root: the walk stops once it has seen every run.
                Some(parent) if walk.len() <= runs.len() => current = parent,
                _ => break runs[current].run.id.clone(),
            }
        };
        for index in walk {
            keys[index] = Some(key.clone());
        }
    }
    keys.into_iter().map(Option::unwrap_or_default).collect()
}

fn convert_trace(
    key: String,
    members: Vec<FlatRun>,
    mut repairs: Vec<Repair>,
) -> Result<Trace, ImportError> {
    let paths: Vec<String> = members.iter().map(|flat| flat.path.clone()).collect();
    let mut steps = Vec::with_capacity(members.len());
    for flat in members {
        steps.push(convert_run(flat.run, &flat.path, &mut repairs)?);
    }
    let first_new = repairs.len();
    repair_step_tree(
        &mut steps,
        |index| paths.get(index).cloned().unwrap_or_default(),
        &mut repairs,
    );
    // The shared repairs write `{path}.parent_id`; a lone run's path is empty.
    for repair in repairs.iter_mut().skip(first_new) {
        let at = repair.path.find(", .").map_or(0, |at| at + 2);
        if repair.path[at..].starts_with('.') {
            repair.path.remove(at);
        }
    }

    // The root run is the trace: its name, times, status, input and output. Without one
    // (only updates arrived, say), the steps together stand in for it.
    let root = steps.iter().find(|step| step.parent_id.is_none());
    let (name, start_ns, end_ns, status, input, final_output) = match root {
        Some(root) => (
            root.name.clone(),
            root.start_ns,
            root.end_ns,
            root.status,
            root.input.clone(),
            root.output.clone(),
        ),
        None => (
            key.clone(),
            steps.iter().filter_map(|step| step.start_ns).min(),
            steps.iter().filter_map(|step| step.end_ns).max(),
            // Failed outranks running, which outranks completed (the enum's order).
            steps
                .iter()
                .map(|step| step.status)
                .max()
                .unwrap_or_default(),
            None,
            None,
        ),
    };
    // The root's own metadata (`extra.metadata`), tags and project are the trace's.
    let mut metadata = Map::new();
    if let Some(root) = root {
        for (attribute, value) in &root.attributes {
            let field = match attribute.strip_prefix("langsmith.") {
                None => attribute.as_str(),
                Some(field @ ("tags" | "session_id" | "session_name")) => field,
                Some(_) => continue,
            };
            metadata.insert(field.to_string(), value.clone());
        }
    }
    Ok(Trace {
        links: Default::default(),
        notes: Default::default(),
        id: key,
        name,
        kind: TraceKind::Other,
        status,
        start_ns,
        end_ns,
        input,
        final_output,
        metadata,
        agents: Vec::new(),
        tasks: Vec::new(),
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

/// A count the run does not give stays unknown.
fn count(value: Option<f64>) -> Option<u64> {
    // `as` saturates: a negative or absurd count cannot wrap around.
    value.map(|float| float.round() as u64)
}

/// LangSmith's error is Python's `repr` of the exception, often followed by the
/// traceback: "ValueError('boom')\n\nTraceback (most recent call last): …".
fn step_error(text: &str) -> StepError {
    let (message, stack) = match text.find("Traceback (most recent call last)") {
        Some(at) if at > 0 => (text[..at].trim(), Some(text[at..].trim_end().to_string())),
        _ => (text.trim(), None),
    };
    let error_type = message
        .split_once('(')
        .map(|(name, _)| name)
        .filter(|name| {
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
        })
        .map(str::to_string);
    StepError {
        error_type,
        message: message.to_string(),
        stack,
    }
}

fn convert_run(raw: RawRun, path: &str, repairs: &mut Vec<Repair>) -> Result<Step, ImportError> {
    let run_type = raw.run_type.unwrap_or(RawRunType::Other);
    let kind = run_type.kind();
    let start_ns = time(raw.start_time.as_ref(), &field_path(path, "start_time"))?;
    let end_ns = time(raw.end_time.as_ref(), &field_path(path, "end_time"))?;
    let stated = raw.status.as_deref().map(str::to_ascii_lowercase);
    let error = match (&raw.error, stated.as_deref()) {
        (Some(text), _) if !text.trim().is_empty() => Some(step_error(text)),
        (_, Some("error")) => Some(StepError {
            message: "status \"error\", without an error message".to_string(),
            ..StepError::default()
        }),
        _ => None,
    };
    let status = if error.is_some() {
        Status::Failed
    } else if end_ns.is_some() || stated.as_deref() == Some("success") {
        Status::Completed
    } else {
        repairs.push(Repair {
            path: field_path(path, "end_time"),
            what: "no end time: the run is shown as still running".to_string(),
        });
        Status::Running
    };

    // Tokens and cost belong to LLM calls only: LangSmith sums them up into every parent
    // run, which would otherwise count each call again at every level.
    let (usage, cost) = if kind.is_model_call() {
        (usage_of(&raw, path)?, cost_of(&raw, path)?)
    } else {
        (Usage::default(), None)
    };

    let mut extra = raw.extra.unwrap_or_default();
    let mut attributes = match extra.remove("metadata") {
        Some(Value::Object(metadata)) => metadata,
        other => {
            let mut map = Map::new();
            keep(&mut map, "langsmith.metadata", other);
            map
        }
    };
    let invocation = extra.remove("invocation_params");
    let model = ["ls_model_name", "model_name", "model"]
        .into_iter()
        .find_map(|key| attributes.get(key).and_then(Value::as_str))
        .or_else(|| {
            let params = invocation.as_ref()?;
            ["model", "model_name"]
                .into_iter()
                .find_map(|key| params.get(key).and_then(Value::as_str))
        })
        .map(str::to_string);
    let decimal = |value: Option<RawDecimal>| value.map(|decimal| Value::from(decimal.0));
    let first_token = match raw.first_token_time {
        Some(RawTime::Text(text)) => Some(Value::String(text)),
        Some(RawTime::EpochMs(ms)) => Some(Value::from(ms)),
        None => None,
    };
    let fields = [
        (
            "langsmith.run_type",
            raw.run_type.map(|kind| kind.label().into()),
        ),
        ("langsmith.status", raw.status.map(Value::String)),
        ("langsmith.trace_id", raw.trace_id.map(Value::String)),
        (
            "langsmith.dotted_order",
            raw.dotted_order.map(Value::String),
        ),
        ("langsmith.first_token_time", first_token),
        (
            "langsmith.prompt_tokens",
            raw.prompt_tokens.map(Value::from),
        ),
        (
            "langsmith.completion_tokens",
            raw.completion_tokens.map(Value::from),
        ),
        ("langsmith.total_tokens", raw.total_tokens.map(Value::from)),
        ("langsmith.total_cost", decimal(raw.total_cost)),
        ("langsmith.prompt_cost", decimal(raw.prompt_cost)),
        ("langsmith.completion_cost", decimal(raw.completion_cost)),
        ("langsmith.invocation_params", invocation),
        ("langsmith.tags", raw.tags),
        ("langsmith.events", raw.events),
        ("langsmith.session_id", raw.session_id),
        ("langsmith.session_name", raw.session_name),
        ("langsmith.reference_example_id", raw.reference_example_id),
        (
            "langsmith.extra",
            (!extra.is_empty()).then_some(Value::Object(extra)),
        ),
    ];
    for (key, value) in fields {
        keep(&mut attributes, key, value);
    }

    Ok(Step {
        name: raw
            .name
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| run_type.label().to_string()),
        id: raw.id,
        parent_id: raw.parent_run_id,
        task_id: None,
        agent_id: None,
        kind,
        start_ns,
        end_ns,
        status,
        model,
        usage,
        cost,
        cost_lines: None,
        result_of: None,
        input: raw.inputs.map(RawJson::from),
        output: raw.outputs.map(RawJson::from),
        error,
        attributes,
    })
}

/// Tokens from `outputs.usage_metadata` (what the SDKs send), else the run's own
/// `prompt_tokens`/`completion_tokens` (what the API answers), else the usage inside
/// LangChain's LLM result.
fn usage_of(raw: &RawRun, path: &str) -> Result<Usage, ImportError> {
    let outputs = raw.outputs.as_ref();
    for pointer in [
        "/usage_metadata",
        "/generations/0/0/message/kwargs/usage_metadata",
    ] {
        let Some(value) = outputs.and_then(|outputs| outputs.pointer(pointer)) else {
            continue;
        };
        let usage = RawUsageMetadata::deserialize(value).map_err(|error| {
            invalid(
                &format!(
                    "{}{}",
                    field_path(path, "outputs"),
                    pointer.replace('/', ".")
                ),
                &format!("token counts ({error})"),
            )
        })?;
        let (input_details, output_details) =
            (&usage.input_token_details, &usage.output_token_details);
        return Ok(Usage {
            input_tokens: count(usage.input_tokens),
            output_tokens: count(usage.output_tokens),
            cached_input_tokens: count(input_details.as_ref().and_then(|d| d.cache_read)),
            cache_write_tokens: count(input_details.as_ref().and_then(|d| d.cache_creation)),
            reasoning_tokens: count(output_details.as_ref().and_then(|d| d.reasoning)),
            audio_input_tokens: count(input_details.as_ref().and_then(|d| d.audio)),
            audio_output_tokens: count(output_details.as_ref().and_then(|d| d.audio)),
            image_input_tokens: None,
        });
    }
    if raw.prompt_tokens.is_some() || raw.completion_tokens.is_some() {
        return Ok(Usage {
            input_tokens: count(raw.prompt_tokens),
            output_tokens: count(raw.completion_tokens),
            ..Usage::default()
        });
    }
    if let Some(value) = outputs.and_then(|outputs| outputs.pointer("/llm_output/token_usage")) {
        let usage = RawTokenUsage::deserialize(value).map_err(|error| {
            invalid(
                &format!("{}.llm_output.token_usage", field_path(path, "outputs")),
                &format!("token counts ({error})"),
            )
        })?;
        return Ok(Usage {
            input_tokens: count(usage.prompt_tokens),
            output_tokens: count(usage.completion_tokens),
            ..Usage::default()
        });
    }
    Ok(Usage::default())
}

/// `total_cost`, else `prompt_cost` + `completion_cost`, as LangSmith computed them.
fn cost_of(raw: &RawRun, path: &str) -> Result<Option<Cost>, ImportError> {
    let (usd, field) = match (&raw.total_cost, &raw.prompt_cost, &raw.completion_cost) {
        (Some(total), _, _) => (total.0, "total_cost"),
        (None, None, None) => return Ok(None),
        (None, prompt, completion) => (
            prompt.as_ref().map_or(0.0, |cost| cost.0)
                + completion.as_ref().map_or(0.0, |cost| cost.0),
            "prompt_cost",
        ),
    };
    if !usd.is_finite() || usd < 0.0 {
        return Err(invalid(
            &field_path(path, field),
            &format!("a cost of zero or more US dollars, not {usd}"),
        ));
    }
    Ok(Some(Cost {
        usd,
        source: CostSource::Stated,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_errors_are_split_into_type_message_and_stack() {
        let error = step_error("ValueError('boom')\n\nTraceback (most recent call last):\n  x");
        assert_eq!(error.error_type.as_deref(), Some("ValueError"));
        assert_eq!(error.message, "ValueError('boom')");
        assert_eq!(
            error.stack.as_deref(),
            Some("Traceback (most recent call last):\n  x")
        );
        let plain = step_error("rate limited, try again");
        assert_eq!(plain.error_type, None);
        assert_eq!(plain.stack, None);
    }

    #[test]
    fn the_root_id_is_read_from_the_dotted_order() {
        let run: RawRun = serde_json::from_str(
            r#"{"id": "c", "dotted_order": "20230914T223155647Zroot-1.20230914T223155649Zc"}"#,
        )
        .expect("valid");
        assert_eq!(stated_trace(&run).as_deref(), Some("root-1"));
    }
}
