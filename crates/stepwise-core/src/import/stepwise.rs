//! Stepwise's own trace format, version 1: the contract for "any compatible API".
//!
//! Spec: `docs/format.md` in this repository. A document is
//! `{"format": "stepwise-trace", "version": 1, "trace": {…}}` or the same with
//! `"traces": [{…}, …]`. Unknown fields are ignored so that producers may add their own.

use crate::fast_hash::HashSet;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::repair::{collect_agent_models, end_not_before_start, repair_step_tree};
use super::time::parse_rfc3339_ns;
use super::{parse_document, Detection, Document, ImportError};
use crate::annotate::{self, Annotation, Notes, SavedView};
use crate::model::{
    Agent, Cost, CostSource, RawJson, Repair, SourceFormat, Status, Step, StepError, StepKind,
    Task, Trace, TraceKind, Usage,
};

pub const FORMAT_TAG: &str = "stepwise-trace";
/// The version this build writes. Version 2 (December 2026) tells unknown from zero: a
/// token count that is left out or `null` is unknown, and usage gains cache writes,
/// audio and image tokens. Version 1 files still open, with their meaning: in a `usage`
/// object, a left-out input or output count was 0.
pub const VERSION: u32 = 2;
/// The versions this build reads.
const READS: [u32; 2] = [1, 2];

const FORMAT: SourceFormat = SourceFormat::Stepwise;
const TIME_EXPECTED: &str = "an RFC 3339 time such as \"2026-11-02T09:14:03.120Z\"";

#[derive(Deserialize)]
struct RawDocument {
    version: u32,
    trace: Option<RawTrace>,
    traces: Option<Vec<RawTrace>>,
}

#[derive(Deserialize)]
struct RawTrace {
    id: String,
    name: Option<String>,
    #[serde(default)]
    kind: TraceKind,
    status: Option<RawStatus>,
    start_time: Option<String>,
    end_time: Option<String>,
    input: Option<RawJson>,
    output: Option<RawJson>,
    #[serde(default)]
    metadata: Map<String, Value>,
    #[serde(default)]
    agents: Vec<RawAgent>,
    #[serde(default)]
    tasks: Vec<RawTask>,
    #[serde(default)]
    steps: Vec<RawStep>,
    /// A reader's annotations and saved views (docs/format.md, "Annotations"). Read
    /// leniently: they are extras, and a damaged one must not stop the trace opening.
    #[serde(default)]
    annotations: Vec<Value>,
    #[serde(default)]
    views: Vec<Value>,
}

#[derive(Deserialize)]
struct RawAgent {
    id: String,
    role: String,
    goal: Option<String>,
    backstory: Option<String>,
    version: Option<String>,
    #[serde(default)]
    models: Vec<String>,
}

#[derive(Deserialize)]
struct RawTask {
    id: String,
    key: Option<String>,
    name: String,
    description: Option<String>,
    expected_output: Option<String>,
    agent_id: Option<String>,
    status: Option<RawStatus>,
    start_time: Option<String>,
    end_time: Option<String>,
    #[serde(default)]
    context: Vec<String>,
    input: Option<RawJson>,
    output: Option<RawJson>,
}

#[derive(Deserialize)]
struct RawStep {
    id: String,
    parent_id: Option<String>,
    task_id: Option<String>,
    agent_id: Option<String>,
    #[serde(default)]
    kind: RawKind,
    name: String,
    start_time: Option<String>,
    end_time: Option<String>,
    status: Option<RawStatus>,
    model: Option<String>,
    #[serde(default)]
    usage: Option<RawUsage>,
    cost_usd: Option<f64>,
    result_of: Option<String>,
    input: Option<RawJson>,
    output: Option<RawJson>,
    error: Option<RawError>,
    #[serde(default)]
    attributes: Map<String, Value>,
}

#[derive(Deserialize, Default)]
struct RawUsage {
    input_tokens: Option<u64>,
    output_tokens: Option<u64>,
    cached_input_tokens: Option<u64>,
    cache_write_tokens: Option<u64>,
    reasoning_tokens: Option<u64>,
    audio_input_tokens: Option<u64>,
    audio_output_tokens: Option<u64>,
    image_input_tokens: Option<u64>,
}

impl RawUsage {
    fn into_usage(self, version: u32) -> Usage {
        // Version 1 defaulted a left-out input or output count to 0.
        let legacy = |count: Option<u64>| match version {
            1 => Some(count.unwrap_or(0)),
            _ => count,
        };
        Usage {
            input_tokens: legacy(self.input_tokens),
            output_tokens: legacy(self.output_tokens),
            cached_input_tokens: self.cached_input_tokens,
            cache_write_tokens: self.cache_write_tokens,
            reasoning_tokens: self.reasoning_tokens,
            audio_input_tokens: self.audio_input_tokens,
            audio_output_tokens: self.audio_output_tokens,
            image_input_tokens: self.image_input_tokens,
        }
    }
}

#[derive(Deserialize)]
struct RawError {
    #[serde(rename = "type")]
    error_type: Option<String>,
    message: String,
    stack: Option<String>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum RawStatus {
    #[serde(alias = "success", alias = "ok")]
    Completed,
    #[serde(alias = "in_progress", alias = "started")]
    Running,
    #[serde(alias = "error")]
    Failed,
}

impl From<RawStatus> for Status {
    fn from(raw: RawStatus) -> Status {
        match raw {
            RawStatus::Completed => Status::Completed,
            RawStatus::Running => Status::Running,
            RawStatus::Failed => Status::Failed,
        }
    }
}

/// Step kinds as written in files; an unknown kind is kept as `other`, not rejected.
#[derive(Deserialize, Default, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum RawKind {
    Reasoning,
    #[serde(alias = "llm")]
    LlmCall,
    #[serde(alias = "tool")]
    ToolCall,
    ToolResult,
    Error,
    Agent,
    Task,
    Span,
    Memory,
    Knowledge,
    Guardrail,
    Plan,
    Embedding,
    Retrieval,
    Reranker,
    Evaluator,
    Prompt,
    Decision,
    #[default]
    #[serde(other)]
    Other,
}

impl From<RawKind> for StepKind {
    fn from(raw: RawKind) -> StepKind {
        match raw {
            RawKind::Reasoning => StepKind::Reasoning,
            RawKind::LlmCall => StepKind::LlmCall,
            RawKind::ToolCall => StepKind::ToolCall,
            RawKind::ToolResult => StepKind::ToolResult,
            RawKind::Error => StepKind::Error,
            RawKind::Agent => StepKind::Agent,
            RawKind::Task => StepKind::Task,
            RawKind::Span => StepKind::Span,
            RawKind::Memory => StepKind::Memory,
            RawKind::Knowledge => StepKind::Knowledge,
            RawKind::Guardrail => StepKind::Guardrail,
            RawKind::Other => StepKind::Other,
            RawKind::Plan => StepKind::Plan,
            RawKind::Embedding => StepKind::Embedding,
            RawKind::Retrieval => StepKind::Retrieval,
            RawKind::Reranker => StepKind::Reranker,
            RawKind::Evaluator => StepKind::Evaluator,
            RawKind::Prompt => StepKind::Prompt,
            RawKind::Decision => StepKind::Decision,
        }
    }
}

/// Claims documents tagged `"format": "stepwise-trace"`.
pub fn detect(documents: &[Document]) -> Detection<Vec<Trace>> {
    if documents.is_empty()
        || documents
            .iter()
            .any(|document| document.shape.format_tag() != Some(FORMAT_TAG))
    {
        return Detection::Incompatible;
    }
    let mut traces = Vec::new();
    for document in documents {
        match import(document) {
            Ok(more) => traces.extend(more),
            Err(error) => return Detection::Imported(Err(error)),
        }
    }
    Detection::Imported(Ok(traces))
}

fn import(document: &Document) -> Result<Vec<Trace>, ImportError> {
    let document: RawDocument = parse_document(document, FORMAT)?;
    if !READS.contains(&document.version) {
        return Err(invalid(
            "version",
            &format!(
                "version 1 or 2 (this Stepwise reads versions 1 and 2; the file says {})",
                document.version
            ),
        ));
    }
    let version = document.version;
    match (document.trace, document.traces) {
        (Some(trace), None) => Ok(vec![convert_trace(trace, "trace", version)?]),
        (None, Some(traces)) if !traces.is_empty() => traces
            .into_iter()
            .enumerate()
            .map(|(index, trace)| convert_trace(trace, &format!("traces[{index}]"), version))
            .collect(),
        (None, Some(_)) => Err(invalid("traces", "at least one trace")),
        (Some(_), Some(_)) => Err(invalid(
            super::TOP_LEVEL,
            "either \"trace\" or \"traces\", not both",
        )),
        (None, None) => Err(invalid(
            super::TOP_LEVEL,
            "a \"trace\" object or a \"traces\" array",
        )),
    }
}

fn invalid(path: &str, expected: &str) -> ImportError {
    ImportError::Invalid {
        format: FORMAT,
        path: path.to_string(),
        expected: expected.to_string(),
    }
}

/// `path` is built only for an error: formatting it for each of 100k steps was a
/// measurable part of the import.
fn time(text: Option<&str>, path: impl FnOnce() -> String) -> Result<Option<i64>, ImportError> {
    match text {
        None => Ok(None),
        Some(text) => parse_rfc3339_ns(text)
            .map(Some)
            .ok_or_else(|| invalid(&path(), &format!("{TIME_EXPECTED}, not {text:?}"))),
    }
}

/// Open-ended things are running; a stated status wins.
fn status_of(stated: Option<RawStatus>, end_ns: Option<i64>) -> Status {
    match (stated, end_ns) {
        (Some(raw), _) => raw.into(),
        (None, Some(_)) => Status::Completed,
        (None, None) => Status::Running,
    }
}

fn convert_trace(raw: RawTrace, path: &str, version: u32) -> Result<Trace, ImportError> {
    let mut repairs = Vec::new();
    let start_ns = time(raw.start_time.as_deref(), || format!("{path}.start_time"))?;
    let mut end_ns = time(raw.end_time.as_deref(), || format!("{path}.end_time"))?;
    end_not_before_start(
        start_ns,
        &mut end_ns,
        "trace",
        || format!("{path}.end_time"),
        &mut repairs,
    );

    let mut steps = Vec::with_capacity(raw.steps.len());
    for (index, step) in raw.steps.into_iter().enumerate() {
        steps.push(convert_step(step, version, || {
            format!("{path}.steps[{index}]")
        })?);
    }
    let mut tasks = Vec::with_capacity(raw.tasks.len());
    for (index, task) in raw.tasks.into_iter().enumerate() {
        let mut task = convert_task(task, || format!("{path}.tasks[{index}]"))?;
        let end_path = || format!("{path}.tasks[{index}].end_time");
        end_not_before_start(
            task.start_ns,
            &mut task.end_ns,
            "task",
            end_path,
            &mut repairs,
        );
        tasks.push(task);
    }
    repair_step_tree(
        &mut steps,
        |index| format!("{path}.steps[{index}]"),
        &mut repairs,
    );
    detach_unknown_tasks(&mut steps, &tasks, path, &mut repairs);

    let mut agents: Vec<Agent> = raw
        .agents
        .into_iter()
        .map(|agent| Agent {
            id: agent.id,
            role: agent.role,
            goal: agent.goal,
            backstory: agent.backstory,
            version: agent.version,
            models: agent.models,
        })
        .collect();
    collect_agent_models(&mut agents, &steps);
    let notes = read_notes(raw.annotations, raw.views, path, &mut repairs);

    Ok(Trace {
        links: Default::default(),
        notes,
        name: raw.name.unwrap_or_else(|| raw.id.clone()),
        id: raw.id,
        kind: raw.kind,
        status: status_of(raw.status, end_ns),
        start_ns,
        end_ns,
        input: raw.input,
        final_output: raw.output,
        metadata: raw.metadata,
        agents,
        tasks,
        steps,
        source_format: FORMAT,
        repairs,
    })
}

/// The annotations and views that read and pass `annotate::validate`; each one left out
/// is a repair, so the reader knows a note was lost.
fn read_notes(
    annotations: Vec<Value>,
    views: Vec<Value>,
    path: &str,
    repairs: &mut Vec<Repair>,
) -> Notes {
    let mut notes = Notes::default();
    for (index, value) in annotations.into_iter().enumerate() {
        match serde_json::from_value::<Annotation>(value) {
            Ok(annotation) => match annotate::validate(&annotation) {
                Ok(()) => notes.upsert(annotation),
                Err(error) => repairs.push(Repair {
                    path: format!("{path}.annotations[{index}]"),
                    what: format!("an annotation was left out: {error}"),
                }),
            },
            Err(error) => repairs.push(Repair {
                path: format!("{path}.annotations[{index}]"),
                what: format!("an annotation was left out, as it is not one: {error}"),
            }),
        }
    }
    for (index, value) in views.into_iter().enumerate() {
        match serde_json::from_value::<SavedView>(value) {
            Ok(view) => notes.save_view(view),
            Err(error) => repairs.push(Repair {
                path: format!("{path}.views[{index}]"),
                what: format!("a saved view was left out, as it is not one: {error}"),
            }),
        }
    }
    notes
}

/// A step in a task that the file does not list would be counted under a task no
/// view can show; it keeps its place in the tree, without the task.
fn detach_unknown_tasks(steps: &mut [Step], tasks: &[Task], path: &str, repairs: &mut Vec<Repair>) {
    let known: HashSet<&str> = tasks.iter().map(|task| task.id.as_str()).collect();
    for (index, step) in steps.iter_mut().enumerate() {
        let Some(task) = step.task_id.take_if(|task| !known.contains(task.as_str())) else {
            continue;
        };
        repairs.push(Repair {
            path: format!("{path}.steps[{index}].task_id"),
            what: format!("task {task:?} is not in the trace; the step is shown without a task"),
        });
    }
}

fn convert_task(raw: RawTask, path: impl Fn() -> String) -> Result<Task, ImportError> {
    let start_ns = time(raw.start_time.as_deref(), || {
        format!("{}.start_time", path())
    })?;
    let end_ns = time(raw.end_time.as_deref(), || format!("{}.end_time", path()))?;
    Ok(Task {
        id: raw.id,
        key: raw.key,
        name: raw.name,
        description: raw.description,
        expected_output: raw.expected_output,
        agent_id: raw.agent_id,
        status: status_of(raw.status, end_ns),
        start_ns,
        end_ns,
        context_task_ids: raw.context,
        input: raw.input,
        output: raw.output,
    })
}

fn convert_step(
    raw: RawStep,
    version: u32,
    path: impl Fn() -> String,
) -> Result<Step, ImportError> {
    let start_ns = time(raw.start_time.as_deref(), || {
        format!("{}.start_time", path())
    })?;
    let end_ns = time(raw.end_time.as_deref(), || format!("{}.end_time", path()))?;
    let cost = match raw.cost_usd {
        Some(usd) if usd.is_finite() && usd >= 0.0 => Some(Cost {
            usd,
            source: CostSource::Stated,
        }),
        Some(usd) => {
            return Err(invalid(
                &format!("{}.cost_usd", path()),
                &format!("a cost of zero or more US dollars, not {usd}"),
            ))
        }
        None => None,
    };
    let error = raw.error.map(|error| StepError {
        error_type: error.error_type,
        message: error.message,
        stack: error.stack,
    });
    // A step that carries an error failed, even if its producer forgot to say so.
    let status = match status_of(raw.status, end_ns) {
        Status::Completed if error.is_some() => Status::Failed,
        other => other,
    };
    Ok(Step {
        id: raw.id,
        parent_id: raw.parent_id,
        task_id: raw.task_id,
        agent_id: raw.agent_id,
        kind: raw.kind.into(),
        name: raw.name,
        start_ns,
        end_ns,
        status,
        model: raw.model,
        usage: raw
            .usage
            .map_or_else(Usage::default, |usage| usage.into_usage(version)),
        cost,
        cost_lines: None,
        result_of: raw.result_of,
        input: raw.input,
        output: raw.output,
        error,
        attributes: raw.attributes,
    })
}
