//! The trace model every importer produces: plain data, no UI or browser crates.
//!
//! Times are Unix epoch nanoseconds (`*_ns`) so that sources with nanosecond
//! precision (OTLP) lose nothing; a missing time is `None`, never a made-up zero.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// A JSON value kept as its text: step, task and trace payloads (LLM messages, tool
/// results) are most of a file's bytes and are read only when someone opens the step,
/// so building a `Value` tree for each of them at import time would cost most of the
/// import's time and memory. The text is always valid JSON; clones share it.
#[derive(Clone)]
pub struct RawJson(Arc<str>);

impl RawJson {
    /// Keeps `text` if it is one valid JSON value, without building a tree for it.
    pub fn from_json_text(text: &str) -> Option<RawJson> {
        serde_json::from_str::<serde::de::IgnoredAny>(text).ok()?;
        Some(RawJson(Arc::from(text.trim())))
    }

    /// JSON text known to be valid (written by this build from a `RawJson`): kept unchecked.
    pub fn trusted(text: &str) -> RawJson {
        RawJson(Arc::from(text))
    }

    /// A JSON string holding `text`.
    pub fn string(text: &str) -> RawJson {
        RawJson(Arc::from(Value::from(text).to_string()))
    }

    /// The value as a tree, for the views and derivations that look inside it.
    pub fn parse(&self) -> Value {
        // The text was valid JSON when it was stored, so this does not fail.
        serde_json::from_str(&self.0).unwrap_or(Value::Null)
    }

    /// The JSON text as it was read (compact when it was built from a `Value`).
    pub fn text(&self) -> &str {
        &self.0
    }

    /// Length of the JSON text in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The string itself when the value is a JSON string, without parsing anything else.
    pub fn as_string(&self) -> Option<String> {
        if !self.0.starts_with('"') {
            return None;
        }
        serde_json::from_str::<String>(&self.0).ok()
    }
}

impl From<Value> for RawJson {
    fn from(value: Value) -> RawJson {
        RawJson(Arc::from(value.to_string()))
    }
}

/// A JSON string, as `Value::from(&str)`.
impl From<&str> for RawJson {
    fn from(text: &str) -> RawJson {
        RawJson::string(text)
    }
}

impl From<&Value> for RawJson {
    fn from(value: &Value) -> RawJson {
        RawJson(Arc::from(value.to_string()))
    }
}

/// Equal when the values are, whatever the spacing or key order of their texts.
impl PartialEq for RawJson {
    fn eq(&self, other: &RawJson) -> bool {
        self.0 == other.0 || self.parse() == other.parse()
    }
}

impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RawJson({})", self.0)
    }
}

/// Serialized as the value it holds, so a derived `Serialize` of a step writes the
/// same JSON (and the same snapshots) as when payloads were `Value`s.
impl Serialize for RawJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.parse().serialize(serializer)
    }
}

/// Read from a document as its raw text: no tree is built.
impl<'de> Deserialize<'de> for RawJson {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<RawJson, D::Error> {
        let raw = <&'de RawValue>::deserialize(deserializer)?;
        Ok(RawJson(Arc::from(raw.get())))
    }
}

/// Which importer read the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    Stepwise,
    CrewAi,
    Otlp,
    Jaeger,
    Langfuse,
    LangSmith,
    Atif,
}

impl SourceFormat {
    pub fn label(self) -> &'static str {
        match self {
            SourceFormat::Stepwise => "Stepwise trace",
            SourceFormat::CrewAi => "CrewAI trace batch",
            SourceFormat::Otlp => "OTLP/JSON",
            SourceFormat::Jaeger => "Jaeger JSON",
            SourceFormat::Langfuse => "Langfuse trace",
            SourceFormat::LangSmith => "LangSmith runs",
            SourceFormat::Atif => "ATIF trajectory",
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TraceKind {
    Crew,
    Flow,
    #[default]
    #[serde(other)]
    Other,
}

/// Status of a trace, task or step. A step with no end is `Running`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    Completed,
    Running,
    Failed,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Completed => "completed",
            Status::Running => "running",
            Status::Failed => "failed",
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    Reasoning,
    LlmCall,
    ToolCall,
    ToolResult,
    Error,
    Agent,
    Task,
    Span,
    Memory,
    Knowledge,
    Guardrail,
    #[default]
    Other,
    // Kinds added later come after `Other`: `kind as u8` is what the import worker
    // sends the page (`transfer`), and the earlier kinds keep their bytes.
    /// An agent making or revising its plan (GenAI `plan`).
    Plan,
    /// A call to an embedding model: priced and summed like an LLM call.
    Embedding,
    /// A search of documents or a vector store (GenAI `retrieval`, OpenInference RETRIEVER).
    Retrieval,
    /// Documents re-ordered by relevance (OpenInference RERANKER).
    Reranker,
    /// A judgement of another step's output (OpenInference EVALUATOR).
    Evaluator,
    /// A prompt template rendered (OpenInference PROMPT).
    Prompt,
    /// A branch taken by the agent or workflow (OpenInference DECISION).
    Decision,
}

impl StepKind {
    /// Every kind, in declaration order (so `kind as usize` indexes it). The test
    /// `step_kind_all_lists_every_variant` fails when a variant is added but not listed.
    pub const ALL: [StepKind; 19] = [
        StepKind::Reasoning,
        StepKind::LlmCall,
        StepKind::ToolCall,
        StepKind::ToolResult,
        StepKind::Error,
        StepKind::Agent,
        StepKind::Task,
        StepKind::Span,
        StepKind::Memory,
        StepKind::Knowledge,
        StepKind::Guardrail,
        StepKind::Other,
        StepKind::Plan,
        StepKind::Embedding,
        StepKind::Retrieval,
        StepKind::Reranker,
        StepKind::Evaluator,
        StepKind::Prompt,
        StepKind::Decision,
    ];

    /// The snake_case name used in files and URLs.
    pub fn key(self) -> &'static str {
        match self {
            StepKind::Reasoning => "reasoning",
            StepKind::LlmCall => "llm_call",
            StepKind::ToolCall => "tool_call",
            StepKind::ToolResult => "tool_result",
            StepKind::Error => "error",
            StepKind::Agent => "agent",
            StepKind::Task => "task",
            StepKind::Span => "span",
            StepKind::Memory => "memory",
            StepKind::Knowledge => "knowledge",
            StepKind::Guardrail => "guardrail",
            StepKind::Other => "other",
            StepKind::Plan => "plan",
            StepKind::Embedding => "embedding",
            StepKind::Retrieval => "retrieval",
            StepKind::Reranker => "reranker",
            StepKind::Evaluator => "evaluator",
            StepKind::Prompt => "prompt",
            StepKind::Decision => "decision",
        }
    }

    /// For people: "LLM call".
    pub fn label(self) -> &'static str {
        match self {
            StepKind::Reasoning => "reasoning",
            StepKind::LlmCall => "LLM call",
            StepKind::ToolCall => "tool call",
            StepKind::ToolResult => "tool result",
            StepKind::Error => "error",
            StepKind::Agent => "agent",
            StepKind::Task => "task",
            StepKind::Span => "span",
            StepKind::Memory => "memory",
            StepKind::Knowledge => "knowledge",
            StepKind::Guardrail => "guardrail",
            StepKind::Other => "other",
            StepKind::Plan => "plan",
            StepKind::Embedding => "embedding",
            StepKind::Retrieval => "retrieval",
            StepKind::Reranker => "reranker",
            StepKind::Evaluator => "evaluator",
            StepKind::Prompt => "prompt",
            StepKind::Decision => "decision",
        }
    }

    /// A call to a model that is billed by tokens: its usage and cost are summed and
    /// estimated. Parents that repeat their calls' usage are never model calls.
    pub fn is_model_call(self) -> bool {
        matches!(self, StepKind::LlmCall | StepKind::Embedding)
    }
}

/// Token counts of one step, each `None` where the trace does not record it: unknown
/// is not zero, so a count the source left out must never be summed or shown as 0.
///
/// `input_tokens` includes the cache-read, cache-written, audio and image input tokens;
/// `output_tokens` includes the reasoning and audio output tokens. The parts are there
/// so that each can be priced at its own rate, never counted twice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Usage {
    pub input_tokens: Option<u64>,
    pub output_tokens: Option<u64>,
    /// Input tokens read from the provider's prompt cache.
    pub cached_input_tokens: Option<u64>,
    /// Input tokens written to the provider's prompt cache.
    pub cache_write_tokens: Option<u64>,
    pub reasoning_tokens: Option<u64>,
    pub audio_input_tokens: Option<u64>,
    pub audio_output_tokens: Option<u64>,
    pub image_input_tokens: Option<u64>,
}

impl Usage {
    /// Known input and output counts, as most sources give them.
    pub fn in_out(input_tokens: u64, output_tokens: u64) -> Usage {
        Usage {
            input_tokens: Some(input_tokens),
            output_tokens: Some(output_tokens),
            ..Usage::default()
        }
    }

    /// Input plus output; unknown unless both are known.
    pub fn total_tokens(&self) -> Option<u64> {
        Some(self.input_tokens?.saturating_add(self.output_tokens?))
    }

    /// Every count with its name in the own format, in declaration order (the transfer
    /// encodes them in this order).
    pub fn named_counts(&self) -> [(&'static str, Option<u64>); 8] {
        [
            ("input_tokens", self.input_tokens),
            ("output_tokens", self.output_tokens),
            ("cached_input_tokens", self.cached_input_tokens),
            ("cache_write_tokens", self.cache_write_tokens),
            ("reasoning_tokens", self.reasoning_tokens),
            ("audio_input_tokens", self.audio_input_tokens),
            ("audio_output_tokens", self.audio_output_tokens),
            ("image_input_tokens", self.image_input_tokens),
        ]
    }

    /// True when the step records no token count at all.
    pub fn is_unknown(&self) -> bool {
        *self == Usage::default()
    }

    /// True when some count is recorded and above zero.
    pub fn has_tokens(&self) -> bool {
        self.input_tokens.unwrap_or(0) > 0 || self.output_tokens.unwrap_or(0) > 0
    }
}

/// A sum over parts (usually LLM calls) of which some may not record the figure. It
/// keeps the sum of the known parts and counts the unknown ones, so that a view can say
/// "—" when nothing is known and "$0.41 + 3 calls unpriced" when only part is, rather
/// than a 0 that reads as "none" or "free". An empty sum is a known zero.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Tally<T> {
    /// Sum of the known parts.
    pub known: T,
    pub known_parts: u64,
    pub unknown_parts: u64,
}

impl<T: Copy> Tally<T> {
    /// The sum when it is complete or partial; `None` when every part is unknown.
    pub fn value(&self) -> Option<T> {
        (self.known_parts > 0 || self.unknown_parts == 0).then_some(self.known)
    }

    /// The sum only when every part is known.
    pub fn exact(&self) -> Option<T> {
        (self.unknown_parts == 0).then_some(self.known)
    }

    /// Some parts known and some not.
    pub fn is_partial(&self) -> bool {
        self.known_parts > 0 && self.unknown_parts > 0
    }

    /// No part known, at least one unknown.
    pub fn is_unknown(&self) -> bool {
        self.known_parts == 0 && self.unknown_parts > 0
    }

    /// A sum known to be `value` (a total the trace states).
    pub fn stated(value: T) -> Tally<T> {
        Tally {
            known: value,
            known_parts: 1,
            unknown_parts: 0,
        }
    }

    /// A sum of `parts` unknown parts.
    pub fn unknown(parts: u64) -> Tally<T>
    where
        T: Default,
    {
        Tally {
            known: T::default(),
            known_parts: 0,
            unknown_parts: parts,
        }
    }
}

impl Tally<u64> {
    /// Adds one part. Saturating: a trace may state absurd counts (1e30 tokens), which
    /// must not overflow (a panic in debug, a wrong total in release).
    pub fn add(&mut self, part: Option<u64>) {
        match part {
            Some(value) => {
                self.known = self.known.saturating_add(value);
                self.known_parts += 1;
            }
            None => self.unknown_parts += 1,
        }
    }

    pub fn merge(&mut self, other: &Tally<u64>) {
        self.known = self.known.saturating_add(other.known);
        self.known_parts += other.known_parts;
        self.unknown_parts += other.unknown_parts;
    }
}

impl Tally<f64> {
    pub fn add(&mut self, part: Option<f64>) {
        match part {
            Some(value) => {
                self.known += value;
                self.known_parts += 1;
            }
            None => self.unknown_parts += 1,
        }
    }

    pub fn merge(&mut self, other: &Tally<f64>) {
        self.known += other.known;
        self.known_parts += other.known_parts;
        self.unknown_parts += other.unknown_parts;
    }
}

/// Equal to a number only when every part is known and they sum to it: a partial or
/// unknown sum equals no number.
impl PartialEq<u64> for Tally<u64> {
    fn eq(&self, other: &u64) -> bool {
        self.exact() == Some(*other)
    }
}

impl PartialEq<f64> for Tally<f64> {
    fn eq(&self, other: &f64) -> bool {
        self.exact() == Some(*other)
    }
}

/// A `Tally` whole, as `[known, known_parts, unknown_parts]`, for messages between
/// Stepwise's own modules (`#[serde(with = "tally_parts")]`), where the page must be
/// able to say "partial" as well as "unknown".
pub mod tally_parts {
    use super::Tally;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize + Copy, S: Serializer>(
        tally: &Tally<T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        (tally.known, tally.known_parts, tally.unknown_parts).serialize(serializer)
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Tally<T>, D::Error> {
        let (known, known_parts, unknown_parts) = <(T, u64, u64)>::deserialize(deserializer)?;
        Ok(Tally {
            known,
            known_parts,
            unknown_parts,
        })
    }
}

/// Written as its value, or `null` when every part is unknown: never a 0 for unknown.
/// Whether a value is partial is told by the counts written beside it.
impl<T: Copy + Serialize> Serialize for Tally<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value().serialize(serializer)
    }
}

/// Where a cost figure came from: the trace said so, or we estimated it from prices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CostSource {
    Stated,
    Estimated,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Cost {
    pub usd: f64,
    pub source: CostSource,
}

/// A part of a call's tokens that a price table may price at its own rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenPart {
    /// Input tokens that are none of the parts below.
    Input,
    CacheRead,
    CacheWrite,
    AudioInput,
    ImageInput,
    /// Output tokens that are neither reasoning nor audio.
    Output,
    Reasoning,
    AudioOutput,
}

impl TokenPart {
    /// Every part, in declaration order (so `part as usize` indexes it).
    pub const ALL: [TokenPart; 8] = [
        TokenPart::Input,
        TokenPart::CacheRead,
        TokenPart::CacheWrite,
        TokenPart::AudioInput,
        TokenPart::ImageInput,
        TokenPart::Output,
        TokenPart::Reasoning,
        TokenPart::AudioOutput,
    ];

    pub fn label(self) -> &'static str {
        match self {
            TokenPart::Input => "input",
            TokenPart::CacheRead => "cache read",
            TokenPart::CacheWrite => "cache write",
            TokenPart::AudioInput => "audio input",
            TokenPart::ImageInput => "image input",
            TokenPart::Output => "output",
            TokenPart::Reasoning => "reasoning",
            TokenPart::AudioOutput => "audio output",
        }
    }
}

/// One line of an estimated cost: `tokens` of `part` at `usd_per_token`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CostLine {
    pub part: TokenPart,
    pub tokens: u64,
    pub usd_per_token: f64,
    pub usd: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct StepError {
    pub error_type: Option<String>,
    pub message: String,
    pub stack: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Agent {
    pub id: String,
    pub role: String,
    pub goal: Option<String>,
    pub backstory: Option<String>,
    /// The agent's version, when the source states it (`gen_ai.agent.version`): two
    /// versions of one agent compared across runs are told apart by it.
    pub version: Option<String>,
    /// Sorted, without duplicates.
    pub models: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Task {
    pub id: String,
    pub key: Option<String>,
    pub name: String,
    pub description: Option<String>,
    pub expected_output: Option<String>,
    pub agent_id: Option<String>,
    pub status: Status,
    pub start_ns: Option<i64>,
    pub end_ns: Option<i64>,
    /// Ids of the earlier tasks whose output this task received as context.
    pub context_task_ids: Vec<String>,
    pub input: Option<RawJson>,
    pub output: Option<RawJson>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Step {
    pub id: String,
    pub parent_id: Option<String>,
    pub task_id: Option<String>,
    pub agent_id: Option<String>,
    pub kind: StepKind,
    pub name: String,
    pub start_ns: Option<i64>,
    pub end_ns: Option<i64>,
    pub status: Status,
    pub model: Option<String>,
    pub usage: Usage,
    pub cost: Option<Cost>,
    /// How an estimated `cost` splits by priced part, for the step's cost detail; empty
    /// when the trace stated the cost. Boxed: most steps have none, and a trace may
    /// hold a million steps.
    pub cost_lines: Option<Box<[CostLine]>>,
    /// For a tool result: the id of the tool call it answers.
    pub result_of: Option<String>,
    pub input: Option<RawJson>,
    pub output: Option<RawJson>,
    pub error: Option<StepError>,
    /// Everything the source carried for this step, so nothing is lost.
    pub attributes: Map<String, Value>,
}

impl Step {
    pub fn duration_ns(&self) -> Option<i64> {
        Some(self.end_ns?.saturating_sub(self.start_ns?))
    }
}

/// A visible note that the importer changed or completed something in the input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Repair {
    /// Where in the input, as a JSON path (or "line N" for a line of JSON Lines).
    pub path: String,
    pub what: String,
}

/// How a `Repair` for input left out entirely begins (a line of JSON Lines that is not JSON).
pub const SKIPPED_INPUT: &str = "Skipped:";

impl Repair {
    /// Part of the input was left out, so figures may be missing, not merely corrected.
    pub fn is_skipped_input(&self) -> bool {
        self.what.starts_with(SKIPPED_INPUT)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Trace {
    pub id: String,
    pub name: String,
    pub kind: TraceKind,
    pub status: Status,
    pub start_ns: Option<i64>,
    pub end_ns: Option<i64>,
    pub input: Option<RawJson>,
    pub final_output: Option<RawJson>,
    pub metadata: Map<String, Value>,
    pub agents: Vec<Agent>,
    pub tasks: Vec<Task>,
    pub steps: Vec<Step>,
    pub source_format: SourceFormat,
    pub repairs: Vec<Repair>,
    /// The reader's annotations and saved views that came with the file (own format only).
    #[serde(skip_serializing_if = "crate::annotate::Notes::is_empty")]
    pub notes: crate::annotate::Notes,
    /// The steps' parent and task ids resolved to indices, once (see `Trace::links`).
    #[serde(skip)]
    pub links: LinksCache,
}

impl Trace {
    /// Each step's parent and task as indices. Resolving the string ids takes a hash
    /// lookup per step, which on 100k steps was tens of milliseconds every time the step
    /// tree, the timeline, the task table or the insights needed it; so it is done once
    /// and kept. The import worker sends it along with the trace (`transfer`).
    ///
    /// Ids and links are settled when an importer returns; code that changes a step's id,
    /// parent or task afterwards must reset `links` (`LinksCache::default()`).
    pub fn links(&self) -> Arc<Links> {
        match self.links.0.get() {
            Some(links) if links.parent.len() == self.steps.len() => links.clone(),
            // Steps added after the links were kept: resolve afresh, without keeping.
            Some(_) => Arc::new(Links::of(self)),
            None => self
                .links
                .0
                .get_or_init(|| Arc::new(Links::of(self)))
                .clone(),
        }
    }

    pub fn duration_ns(&self) -> Option<i64> {
        Some(self.end_ns?.saturating_sub(self.start_ns?))
    }

    pub fn agent(&self, id: &str) -> Option<&Agent> {
        self.agents.iter().find(|agent| agent.id == id)
    }

    pub fn task(&self, id: &str) -> Option<&Task> {
        self.tasks.iter().find(|task| task.id == id)
    }

    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|step| step.id == id)
    }
}

/// Each step's parent step and task, as indices into `Trace::steps` and `Trace::tasks`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Links {
    /// `None` for a root: no parent id, or one naming no step or the step itself.
    pub parent: Vec<Option<usize>>,
    /// `None` when the step names no task, or a task the trace does not have.
    pub task: Vec<Option<usize>>,
}

impl Links {
    /// Resolves `trace`'s ids. Where two steps (or tasks) share an id, the last one is
    /// meant, as in any map keyed by id (importers make ids unique).
    pub fn of(trace: &Trace) -> Links {
        let mut step_at: crate::fast_hash::HashMap<&str, usize> =
            crate::fast_hash::map_with_capacity(trace.steps.len());
        for (index, step) in trace.steps.iter().enumerate() {
            step_at.insert(step.id.as_str(), index);
        }
        let mut task_at: crate::fast_hash::HashMap<&str, usize> =
            crate::fast_hash::map_with_capacity(trace.tasks.len());
        for (index, task) in trace.tasks.iter().enumerate() {
            task_at.insert(task.id.as_str(), index);
        }
        let (mut parent, mut task) = (
            Vec::with_capacity(trace.steps.len()),
            Vec::with_capacity(trace.steps.len()),
        );
        for (index, step) in trace.steps.iter().enumerate() {
            parent.push(
                step.parent_id
                    .as_deref()
                    .and_then(|id| step_at.get(id).copied())
                    .filter(|&up| up != index),
            );
            task.push(
                step.task_id
                    .as_deref()
                    .and_then(|id| task_at.get(id).copied()),
            );
        }
        Links { parent, task }
    }
}

/// Where a trace keeps its `Links` once resolved. A cache, not content: any two are
/// equal, so traces compare by what they hold.
#[derive(Clone, Default)]
pub struct LinksCache(std::sync::OnceLock<Arc<Links>>);

impl LinksCache {
    /// A cache holding `links` already (the import worker resolved them).
    pub fn with(links: Links) -> LinksCache {
        let cache = LinksCache::default();
        // A new cell is empty, so this cannot fail.
        let _ = cache.0.set(Arc::new(links));
        cache
    }
}

impl PartialEq for LinksCache {
    fn eq(&self, _: &LinksCache) -> bool {
        true
    }
}

impl fmt::Debug for LinksCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.0.get() {
            Some(_) => "LinksCache(resolved)",
            None => "LinksCache(empty)",
        })
    }
}

/// Renders a JSON value for people: strings without quotes, the rest as pretty JSON.
pub fn value_as_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => serde_json::to_string_pretty(other).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_kind_all_lists_every_variant_in_declaration_order() {
        let every = every_variant!(StepKind: Reasoning, LlmCall, ToolCall, ToolResult, Error,
            Agent, Task, Span, Memory, Knowledge, Guardrail, Other, Plan, Embedding, Retrieval,
            Reranker, Evaluator, Prompt, Decision);
        assert_eq!(StepKind::ALL, every);
        for (position, kind) in StepKind::ALL.iter().enumerate() {
            assert_eq!(
                *kind as usize, position,
                "{kind:?} out of declaration order"
            );
        }
    }
}
