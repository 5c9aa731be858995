//! ATIF trajectories: the Agent Trajectory Interchange Format of the Harbor project (v1.x).
//!
//! Spec: Harbor's RFC 0001, "Agent Trajectory Interchange Format (ATIF)"
//! (`docs/rfcs/0001-trajectory-format.md` in laude-institute/harbor); real files in
//! tests/fixtures/real/SOURCES.md. A trajectory is `{schema_version, session_id, agent,
//! steps[], final_metrics?}`; each step comes from the `system`, the `user` or the
//! `agent`, and an agent step is one LLM turn with its tool calls and their observed
//! results. One `Trace` per trajectory.
//!
//! Subagents: an observation result may name delegated trajectories by `session_id`
//! (`subagent_trajectory_ref`). Harbor writes each one to a file of its own; when it is
//! in the same input (a `subagent_trajectories` array in the file, or a second document
//! of a concatenated input) it is nested under the step that delegated to it, else the
//! step names the missing trajectory and a repair says how to open it.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::repair::repair_step_tree;
use super::time::parse_utc_ns;
use super::{field_path, parse_document, Detection, Document, ImportError};
use crate::metrics::STATED_TOTAL_TOKENS;
use crate::model::{
    Agent, Cost, CostSource, RawJson, Repair, SourceFormat, Status, Step, StepError, StepKind,
    Trace, TraceKind, Usage, SKIPPED_INPUT,
};

const FORMAT: SourceFormat = SourceFormat::Atif;

/// How many subagents deep a trajectory may be nested.
const MAX_DEPTH: usize = 64;

/// How long a trace name taken from the first user message may be, in characters.
const NAME_CHARS: usize = 80;

#[derive(Deserialize)]
struct RawTrajectory {
    schema_version: Option<String>,
    session_id: Option<String>,
    agent: Option<RawAgent>,
    steps: Vec<RawStep>,
    notes: Option<String>,
    final_metrics: Option<RawFinalMetrics>,
    /// Subagent trajectories embedded in this one, referred to by their `session_id`.
    subagent_trajectories: Option<Vec<RawTrajectory>>,
    extra: Option<Value>,
}

#[derive(Deserialize)]
struct RawAgent {
    name: Option<String>,
    version: Option<String>,
    model_name: Option<String>,
    tool_definitions: Option<Value>,
    extra: Option<Value>,
}

#[derive(Deserialize)]
struct RawStep {
    step_id: Option<Value>,
    timestamp: Option<String>,
    source: RawSource,
    model_name: Option<String>,
    reasoning_effort: Option<Value>,
    message: Option<Value>,
    reasoning_content: Option<String>,
    tool_calls: Option<Vec<RawToolCall>>,
    observation: Option<RawObservation>,
    metrics: Option<RawMetrics>,
    /// Harbor's subagents copy the parent's history into their own trajectory, marked so:
    /// those steps record what the subagent was shown, not calls it made.
    #[serde(default)]
    is_copied_context: bool,
    extra: Option<Value>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum RawSource {
    System,
    User,
    Agent,
}

impl RawSource {
    fn label(self) -> &'static str {
        match self {
            RawSource::System => "system",
            RawSource::User => "user",
            RawSource::Agent => "agent",
        }
    }
}

#[derive(Deserialize)]
struct RawToolCall {
    tool_call_id: String,
    function_name: String,
    arguments: Option<Value>,
}

#[derive(Deserialize)]
struct RawObservation {
    results: Vec<RawResult>,
}

#[derive(Deserialize)]
struct RawResult {
    source_call_id: Option<String>,
    content: Option<Value>,
    subagent_trajectory_ref: Option<RawRefs>,
    extra: Option<Value>,
}

/// The spec makes `subagent_trajectory_ref` an array; early writers put one object.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawRefs {
    Many(Vec<RawRef>),
    One(RawRef),
}

#[derive(Deserialize, Clone)]
struct RawRef {
    session_id: String,
    trajectory_path: Option<String>,
    extra: Option<Value>,
}

#[derive(Deserialize)]
struct RawMetrics {
    prompt_tokens: Option<u64>,
    completion_tokens: Option<u64>,
    cached_tokens: Option<u64>,
    cost_usd: Option<f64>,
    // Token ids and log-probabilities are for training, and may be a large part of the
    // file: only their presence is kept.
    prompt_token_ids: Option<IgnoredAny>,
    completion_token_ids: Option<IgnoredAny>,
    logprobs: Option<IgnoredAny>,
    extra: Option<Map<String, Value>>,
}

#[derive(Deserialize)]
struct RawFinalMetrics {
    total_prompt_tokens: Option<u64>,
    total_completion_tokens: Option<u64>,
    total_cached_tokens: Option<u64>,
    total_cost_usd: Option<f64>,
    total_steps: Option<u64>,
    extra: Option<Value>,
}

/// Claims every document when each is an ATIF trajectory: an object with
/// `schema_version` and one of `steps`, `session_id` or `agent` (so that a trajectory
/// without `steps` is told what it lacks rather than called unknown), or an object with
/// `steps`, `session_id` and `agent` and no version. No other format has these keys.
pub fn detect(documents: &[Document]) -> Detection<Vec<Trace>> {
    if super::classify_all(documents, |document| is_trajectory(document).then_some(())).is_none() {
        return Detection::Incompatible;
    }
    Detection::Imported(import(documents))
}

fn is_trajectory(document: &Document) -> bool {
    let shape = &document.shape;
    let versioned = shape.has_key("schema_version")
        && ["steps", "session_id", "agent"]
            .into_iter()
            .any(|key| shape.has_key(key));
    versioned
        || ["steps", "session_id", "agent"]
            .into_iter()
            .all(|key| shape.has_key(key))
}

fn invalid(path: &str, expected: &str) -> ImportError {
    ImportError::Invalid {
        format: FORMAT,
        path: path.to_string(),
        expected: expected.to_string(),
    }
}

/// A trajectory with where it was read, for repair paths.
struct Located {
    raw: RawTrajectory,
    path: String,
}

fn import(documents: &[Document]) -> Result<Vec<Trace>, ImportError> {
    let several = documents.len() > 1;
    let mut top = Vec::with_capacity(documents.len());
    for document in documents {
        let raw: RawTrajectory = parse_document(document, FORMAT)?;
        let path = if several {
            format!("line {}, ", document.line)
        } else {
            String::new()
        };
        top.push(Located { raw, path });
    }

    // Every trajectory of the input that a reference may name: the documents and the
    // ones embedded in them, at any depth.
    let mut pool: Vec<Located> = Vec::new();
    let mut roots = Vec::new();
    // For each trajectory of the pool, the document it was read from (its index in the
    // pool), where it is shown if no step refers to it.
    let mut owners: Vec<usize> = Vec::new();
    let mut stack: Vec<(Located, Option<usize>)> =
        top.into_iter().rev().map(|t| (t, None)).collect();
    while let Some((mut located, owner)) = stack.pop() {
        let at = pool.len();
        let owner = owner.unwrap_or(at);
        let embedded = located.raw.subagent_trajectories.take().unwrap_or_default();
        for (index, raw) in embedded.into_iter().enumerate().rev() {
            let path = field_path(&located.path, &format!("subagent_trajectories[{index}]"));
            stack.push((Located { raw, path }, Some(owner)));
        }
        if owner == at {
            roots.push(at);
        }
        owners.push(owner);
        pool.push(located);
    }

    // A document that another trajectory of the input refers to is a subagent, shown
    // inside its parent; the others are traces of their own.
    let referred: HashSet<String> = pool
        .iter()
        .flat_map(|located| refs_of(&located.raw))
        .collect();
    let mut by_session: HashMap<String, usize> = HashMap::new();
    for (index, located) in pool.iter().enumerate() {
        if let Some(id) = &located.raw.session_id {
            by_session.entry(id.clone()).or_insert(index);
        }
    }
    let mut trace_roots: Vec<usize> = roots
        .iter()
        .copied()
        .filter(|&index| {
            pool[index]
                .raw
                .session_id
                .as_ref()
                .is_none_or(|id| !referred.contains(id))
        })
        .collect();
    if trace_roots.is_empty() {
        // Documents that all refer to one another (a cycle): the first one leads.
        trace_roots.extend(roots.first().copied());
    }

    let mut traces = Vec::with_capacity(trace_roots.len());
    for root in trace_roots {
        traces.push(Builder::new(&pool, &by_session).build(root, &owners)?);
    }
    Ok(traces)
}

/// The session ids a trajectory's observation results refer to.
fn refs_of(raw: &RawTrajectory) -> Vec<String> {
    raw.steps
        .iter()
        .filter_map(|step| step.observation.as_ref())
        .flat_map(|observation| &observation.results)
        .filter_map(|result| result.subagent_trajectory_ref.as_ref())
        .flat_map(|refs| match refs {
            RawRefs::Many(many) => many.iter().map(|r| r.session_id.clone()).collect(),
            RawRefs::One(one) => vec![one.session_id.clone()],
        })
        .collect()
}

/// Builds one trace from a root trajectory and the subagents it reaches.
struct Builder<'a> {
    pool: &'a [Located],
    by_session: &'a HashMap<String, usize>,
    steps: Vec<Step>,
    /// The input path of each step, for the repairs of `repair_step_tree`.
    paths: Vec<String>,
    agents: Vec<Agent>,
    repairs: Vec<Repair>,
    /// Trajectories already placed in this trace: a reference to one of them again (or
    /// a cycle of references) is not nested a second time.
    placed: HashSet<usize>,
    missing_refs: usize,
    /// How many subagents deep the step being added is.
    depth: usize,
}

impl<'a> Builder<'a> {
    fn new(pool: &'a [Located], by_session: &'a HashMap<String, usize>) -> Builder<'a> {
        Builder {
            pool,
            by_session,
            steps: Vec::new(),
            paths: Vec::new(),
            agents: Vec::new(),
            repairs: Vec::new(),
            placed: HashSet::new(),
            missing_refs: 0,
            depth: 0,
        }
    }

    fn build(mut self, root: usize, owners: &[usize]) -> Result<Trace, ImportError> {
        let located = &self.pool[root];
        let raw = &located.raw;
        let path = located.path.clone();
        self.placed.insert(root);
        let agent_id = self.add_agent(raw);
        self.add_trajectory(raw, &path, "", None, &agent_id)?;
        self.add_unreferenced(root, owners)?;

        let mut metadata = Map::new();
        let mut keep = |key: &str, value: Option<Value>| {
            if let Some(value) = value.filter(|value| !value.is_null()) {
                metadata.insert(key.to_string(), value);
            }
        };
        keep(
            "atif.schema_version",
            raw.schema_version.clone().map(Value::from),
        );
        keep("atif.session_id", raw.session_id.clone().map(Value::from));
        if let Some(agent) = &raw.agent {
            keep("atif.agent.name", agent.name.clone().map(Value::from));
            keep("atif.agent.version", agent.version.clone().map(Value::from));
            keep(
                "atif.agent.model_name",
                agent.model_name.clone().map(Value::from),
            );
            keep(
                "atif.agent.tool_definitions",
                agent.tool_definitions.clone(),
            );
            keep("atif.agent.extra", agent.extra.clone());
        }
        keep("atif.notes", raw.notes.clone().map(Value::from));
        keep("atif.extra", raw.extra.clone());
        if let Some(final_metrics) = &raw.final_metrics {
            keep(
                "atif.final_metrics",
                Some(final_metrics_value(final_metrics)),
            );
        }
        self.check_final_metrics(raw, &path, &mut metadata);

        let first_new = self.repairs.len();
        let paths = std::mem::take(&mut self.paths);
        repair_step_tree(
            &mut self.steps,
            |index| paths.get(index).cloned().unwrap_or_default(),
            &mut self.repairs,
        );
        // The shared repairs write `{path}.parent_id`; a path may be only "line N, ".
        for repair in self.repairs.iter_mut().skip(first_new) {
            let at = repair.path.find(", .").map_or(0, |at| at + 2);
            if repair.path[at..].starts_with('.') {
                repair.path.remove(at);
            }
        }

        let top: Vec<&Step> = self
            .steps
            .iter()
            .filter(|step| step.parent_id.is_none())
            .collect();
        let input = raw
            .steps
            .iter()
            .find(|step| step.source == RawSource::User)
            .and_then(|step| step.message.as_ref())
            .map(RawJson::from);
        let final_output = raw
            .steps
            .iter()
            .rev()
            .find(|step| step.source == RawSource::Agent && !step.is_copied_context)
            .and_then(|step| step.message.as_ref())
            .filter(|message| !is_blank(message))
            .map(RawJson::from);
        // The trajectory is written once the run is over, so it is never running; it
        // failed when its last step did.
        let status = match top.last() {
            Some(last) if last.status == Status::Failed => Status::Failed,
            _ => Status::Completed,
        };
        let start_ns = self.steps.iter().filter_map(|step| step.start_ns).min();
        // The last step's end is unknown, so the trace ends at the latest known moment.
        let end_ns = self
            .steps
            .iter()
            .flat_map(|step| [step.start_ns, step.end_ns])
            .flatten()
            .max();
        Ok(Trace {
            links: Default::default(),
            notes: Default::default(),
            id: raw
                .session_id
                .clone()
                .filter(|id| !id.is_empty())
                .unwrap_or_else(|| "atif-trajectory".to_string()),
            name: trace_name(raw),
            kind: TraceKind::Other,
            status,
            start_ns,
            end_ns,
            input,
            final_output,
            metadata,
            agents: self.agents,
            tasks: Vec::new(),
            steps: self.steps,
            source_format: FORMAT,
            repairs: self.repairs,
        })
    }

    /// Adds the trajectory's agent and answers its id (the session id, made unique).
    fn add_agent(&mut self, raw: &RawTrajectory) -> String {
        let agent = raw.agent.as_ref();
        let role = agent
            .and_then(|agent| agent.name.clone())
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| "agent".to_string());
        let base = raw
            .session_id
            .clone()
            .filter(|id| !id.is_empty())
            .unwrap_or_else(|| role.clone());
        let mut id = base.clone();
        let mut n = 1;
        while self.agents.iter().any(|agent| agent.id == id) {
            n += 1;
            id = format!("{base}#{n}");
        }
        let models: BTreeSet<String> = agent
            .and_then(|agent| agent.model_name.clone())
            .into_iter()
            .chain(raw.steps.iter().filter_map(|step| step.model_name.clone()))
            .filter(|model| !model.is_empty())
            .collect();
        self.agents.push(Agent {
            id: id.clone(),
            role,
            goal: None,
            backstory: None,
            version: agent
                .and_then(|agent| agent.version.clone())
                .filter(|version| !version.is_empty()),
            models: models.into_iter().collect(),
        });
        id
    }

    /// Adds the steps of `raw` under `parent`, with ids prefixed by `scope` so that the
    /// step and tool call ids of different trajectories cannot collide (a subagent
    /// copies its parent's history, tool call ids included).
    fn add_trajectory(
        &mut self,
        raw: &RawTrajectory,
        path: &str,
        scope: &str,
        parent: Option<&str>,
        agent_id: &str,
    ) -> Result<(), ImportError> {
        let default_model = raw
            .agent
            .as_ref()
            .and_then(|agent| agent.model_name.clone());
        // Steps carry only the time they happened: a step ends when the next one
        // begins, and the last step's end is unknown (ATIF records no end times).
        let mut starts = Vec::with_capacity(raw.steps.len());
        for (index, step) in raw.steps.iter().enumerate() {
            let at = field_path(path, &format!("steps[{index}].timestamp"));
            starts.push(match step.timestamp.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(text) => Some(parse_utc_ns(text).ok_or_else(|| {
                    invalid(
                        &at,
                        &format!("an ISO 8601 time such as \"2025-10-11T10:30:00Z\", not {text:?}"),
                    )
                })?),
            });
        }
        let place = Place {
            scope,
            parent,
            agent_id,
            default_model: default_model.as_deref(),
        };
        for (index, step) in raw.steps.iter().enumerate() {
            let step_path = field_path(path, &format!("steps[{index}]"));
            let start_ns = starts[index];
            let end_ns = start_ns.and(starts.get(index + 1).copied().flatten());
            self.add_step(step, &step_path, &place, Timing { start_ns, end_ns })?;
        }
        Ok(())
    }

    fn add_step(
        &mut self,
        raw: &RawStep,
        path: &str,
        place: &Place,
        timing: Timing,
    ) -> Result<(), ImportError> {
        let Place {
            scope,
            parent,
            agent_id,
            default_model,
        } = *place;
        let number = raw
            .step_id
            .as_ref()
            .map(|id| match id {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            })
            .unwrap_or_else(|| "?".to_string());
        let id = format!("{scope}step-{number}");
        let mut attributes = Map::new();
        attributes.insert("atif.source".into(), raw.source.label().into());
        if let Some(step_id) = &raw.step_id {
            attributes.insert("atif.step_id".into(), step_id.clone());
        }
        if let Some(effort) = &raw.reasoning_effort {
            attributes.insert("atif.reasoning_effort".into(), effort.clone());
        }
        if let Some(extra) = &raw.extra {
            attributes.insert("atif.extra".into(), extra.clone());
        }
        let error = error_in(raw.extra.as_ref());
        let status = if error.is_some() {
            Status::Failed
        } else {
            Status::Completed
        };
        let message = raw
            .message
            .as_ref()
            .filter(|message| !is_blank(message))
            .map(RawJson::from);

        if raw.is_copied_context {
            // A subagent's copy of its parent's history: what it was shown, not calls it
            // made, so neither LLM calls nor tool calls are counted again. The copied
            // calls and results stay readable in the attributes.
            attributes.insert("atif.is_copied_context".into(), true.into());
            if let Some(calls) = &raw.tool_calls {
                let calls: Vec<Value> = calls.iter().map(tool_call_value).collect();
                attributes.insert("atif.tool_calls".into(), calls.into());
            }
            if let Some(observation) = &raw.observation {
                let contents: Vec<Value> = observation
                    .results
                    .iter()
                    .map(|result| result.content.clone().unwrap_or(Value::Null))
                    .collect();
                attributes.insert("atif.observation".into(), contents.into());
            }
            let (input, output) = match raw.source {
                RawSource::Agent => (None, message),
                RawSource::System | RawSource::User => (message, None),
            };
            self.push(
                Step {
                    id,
                    parent_id: parent.map(str::to_string),
                    kind: StepKind::Other,
                    name: format!("copied context: {} message", raw.source.label()),
                    start_ns: timing.start_ns,
                    end_ns: timing.end_ns,
                    status,
                    input,
                    output,
                    error,
                    attributes,
                    ..Step::default()
                },
                path,
            );
            return Ok(());
        }

        match raw.source {
            RawSource::System | RawSource::User => {
                let name = match raw.source {
                    RawSource::User => "user message",
                    _ => "system message",
                };
                self.push(
                    Step {
                        id: id.clone(),
                        parent_id: parent.map(str::to_string),
                        kind: StepKind::Other,
                        name: name.to_string(),
                        start_ns: timing.start_ns,
                        end_ns: timing.end_ns,
                        status,
                        input: message,
                        error,
                        attributes,
                        ..Step::default()
                    },
                    path,
                );
            }
            RawSource::Agent => {
                let model = raw
                    .model_name
                    .clone()
                    .or_else(|| default_model.map(str::to_string))
                    .filter(|model| !model.is_empty());
                let (usage, cost) = match &raw.metrics {
                    Some(metrics) => {
                        usage_and_cost(metrics, &field_path(path, "metrics"), &mut attributes)?
                    }
                    None => (Usage::default(), None),
                };
                self.push(
                    Step {
                        id: id.clone(),
                        parent_id: parent.map(str::to_string),
                        agent_id: Some(agent_id.to_string()),
                        kind: StepKind::LlmCall,
                        name: model.clone().unwrap_or_else(|| "LLM call".to_string()),
                        start_ns: timing.start_ns,
                        end_ns: timing.end_ns,
                        status,
                        model,
                        usage,
                        cost,
                        output: message,
                        error,
                        attributes,
                        ..Step::default()
                    },
                    path,
                );
                if let Some(reasoning) = raw
                    .reasoning_content
                    .as_ref()
                    .filter(|text| !text.trim().is_empty())
                {
                    self.push(
                        Step {
                            id: format!("{id}/reasoning"),
                            parent_id: Some(id.clone()),
                            agent_id: Some(agent_id.to_string()),
                            kind: StepKind::Reasoning,
                            name: "reasoning".to_string(),
                            // Reasoning is part of the turn; it has no time of its own.
                            start_ns: timing.start_ns,
                            output: Some(RawJson::string(reasoning)),
                            ..Step::default()
                        },
                        &field_path(path, "reasoning_content"),
                    );
                }
            }
        }

        // Tool calls, then what was observed. Neither has a time of its own in ATIF.
        let mut call_ids: Vec<(String, String, String)> = Vec::new();
        for (index, call) in raw.tool_calls.iter().flatten().enumerate() {
            let call_id = format!("{scope}{}", call.tool_call_id);
            self.push(
                Step {
                    id: call_id.clone(),
                    parent_id: Some(id.clone()),
                    agent_id: Some(agent_id.to_string()),
                    kind: StepKind::ToolCall,
                    name: call.function_name.clone(),
                    input: call.arguments.as_ref().map(RawJson::from),
                    attributes: {
                        let mut map = Map::new();
                        map.insert("atif.tool_call_id".into(), call.tool_call_id.clone().into());
                        map
                    },
                    ..Step::default()
                },
                &field_path(path, &format!("tool_calls[{index}]")),
            );
            call_ids.push((
                call.tool_call_id.clone(),
                call_id,
                call.function_name.clone(),
            ));
        }
        let Some(observation) = &raw.observation else {
            return Ok(());
        };
        let answered: HashSet<&str> = observation
            .results
            .iter()
            .filter_map(|result| result.source_call_id.as_deref())
            .collect();
        let unanswered: Vec<&(String, String, String)> = call_ids
            .iter()
            .filter(|(raw_id, _, _)| !answered.contains(raw_id.as_str()))
            .collect();
        let unlinked = observation
            .results
            .iter()
            .filter(|result| result.source_call_id.is_none() && result.content.is_some())
            .count();
        // The spec reads a result without `source_call_id` as not from a tool call, but
        // terminus-2 writes one result per call and leaves the id out: when the calls
        // without a result and the results without an id are as many, they are paired
        // in order (and the pairing is noted on the result).
        let pair_in_order = unlinked > 0 && unlinked == unanswered.len();
        let mut next_unanswered = unanswered.into_iter();
        for (index, result) in observation.results.iter().enumerate() {
            let result_path = field_path(path, &format!("observation.results[{index}]"));
            let mut attributes = Map::new();
            if let Some(extra) = &result.extra {
                attributes.insert("atif.extra".into(), extra.clone());
            }
            let call = match &result.source_call_id {
                Some(source) => {
                    attributes.insert("atif.source_call_id".into(), source.clone().into());
                    let found = call_ids.iter().find(|(raw_id, _, _)| raw_id == source);
                    if found.is_none() {
                        self.repairs.push(Repair {
                            path: field_path(&result_path, "source_call_id"),
                            what: format!(
                                "this result answers tool call {source:?}, which is not among \
                                 the step's tool_calls; it is shown unlinked"
                            ),
                        });
                    }
                    found
                }
                None if pair_in_order && result.content.is_some() => {
                    let paired = next_unanswered.next();
                    if paired.is_some() {
                        attributes.insert("atif.linked_by".into(), "order".into());
                    }
                    paired
                }
                None => None,
            };
            let error = error_in(result.extra.as_ref());
            let result_id = match call {
                Some((_, call_id, _)) => format!("{call_id}/result"),
                None => format!("{id}/result-{index}"),
            };
            if let Some(content) = &result.content {
                let name = match call {
                    Some((_, _, function)) => format!("{function} result"),
                    None => "observation".to_string(),
                };
                self.push(
                    Step {
                        id: result_id.clone(),
                        parent_id: Some(id.clone()),
                        agent_id: Some(agent_id.to_string()),
                        kind: if call.is_some() {
                            StepKind::ToolResult
                        } else {
                            StepKind::Other
                        },
                        name,
                        status: if error.is_some() {
                            Status::Failed
                        } else {
                            Status::Completed
                        },
                        result_of: call.map(|(_, call_id, _)| call_id.clone()),
                        output: Some(RawJson::from(content)),
                        error,
                        attributes,
                        ..Step::default()
                    },
                    &result_path,
                );
            }
            // Delegated subagents sit under the call that delegated, else under the step.
            let delegated_by = call.map_or_else(|| id.clone(), |(_, call_id, _)| call_id.clone());
            let refs = result
                .subagent_trajectory_ref
                .as_ref()
                .map(|refs| match refs {
                    RawRefs::Many(many) => many.clone(),
                    RawRefs::One(one) => vec![one.clone()],
                })
                .unwrap_or_default();
            for (ref_index, reference) in refs.iter().enumerate() {
                let ref_path = field_path(
                    &result_path,
                    &format!("subagent_trajectory_ref[{ref_index}]"),
                );
                self.add_subagent(reference, &ref_path, &delegated_by, timing)?;
            }
        }
        Ok(())
    }

    /// Nests the trajectory `reference` names as an Agent step under `parent`, or names
    /// it as missing.
    fn add_subagent(
        &mut self,
        reference: &RawRef,
        path: &str,
        parent: &str,
        timing: Timing,
    ) -> Result<(), ImportError> {
        let mut attributes = Map::new();
        attributes.insert(
            "atif.subagent_session_id".into(),
            reference.session_id.clone().into(),
        );
        if let Some(trajectory_path) = &reference.trajectory_path {
            attributes.insert(
                "atif.trajectory_path".into(),
                trajectory_path.clone().into(),
            );
        }
        if let Some(extra) = &reference.extra {
            attributes.insert("atif.ref_extra".into(), extra.clone());
        }
        let summary = reference
            .extra
            .as_ref()
            .and_then(|extra| extra.get("summary"))
            .cloned();
        let step_id = format!("subagent:{}", reference.session_id);
        let Some(&index) = self.by_session.get(&reference.session_id) else {
            self.missing_refs += 1;
            let file = reference
                .trajectory_path
                .as_deref()
                .map_or_else(String::new, |file| format!(" (written to {file:?})"));
            self.repairs.push(Repair {
                path: path.to_string(),
                what: format!(
                    "{SKIPPED_INPUT} the subagent trajectory {:?}{file} is not in this input, so \
                     its steps, tokens and cost are missing. To see it nested here, open this \
                     file and the subagent's file together as one input (concatenated, e.g. \
                     `cat trajectory.json {} > run.json`).",
                    reference.session_id,
                    reference
                        .trajectory_path
                        .as_deref()
                        .unwrap_or("subagent.json"),
                ),
            });
            attributes.insert("atif.missing".into(), true.into());
            self.push(
                Step {
                    id: step_id,
                    parent_id: Some(parent.to_string()),
                    kind: StepKind::Agent,
                    name: format!("subagent {} (not in this input)", reference.session_id),
                    start_ns: timing.start_ns,
                    end_ns: timing.end_ns,
                    input: summary.map(RawJson::from),
                    attributes,
                    ..Step::default()
                },
                path,
            );
            return Ok(());
        };
        if self.depth >= MAX_DEPTH {
            // Each level is a few stack frames: a chain of thousands of subagents (no
            // real run has one) must not overflow the stack of a Web Worker.
            self.repairs.push(Repair {
                path: path.to_string(),
                what: format!(
                    "{SKIPPED_INPUT} the subagent trajectory {:?} is nested more than \
                     {MAX_DEPTH} subagents deep, so it is not shown",
                    reference.session_id
                ),
            });
            attributes.insert("atif.too_deep".into(), true.into());
            self.push(
                Step {
                    id: step_id,
                    parent_id: Some(parent.to_string()),
                    kind: StepKind::Agent,
                    name: format!("subagent {} (nested too deep)", reference.session_id),
                    start_ns: timing.start_ns,
                    end_ns: timing.end_ns,
                    attributes,
                    ..Step::default()
                },
                path,
            );
            return Ok(());
        }
        if self.placed.contains(&index) {
            // Referred to a second time (or by itself, in a cycle): its steps are shown
            // once, where it was first referred to, so that nothing is counted twice.
            attributes.insert("atif.shown_at".into(), step_id.clone().into());
            self.push(
                Step {
                    id: format!("{step_id}/again"),
                    parent_id: Some(parent.to_string()),
                    kind: StepKind::Other,
                    name: format!("subagent {} (shown once, above)", reference.session_id),
                    start_ns: timing.start_ns,
                    end_ns: timing.end_ns,
                    input: summary.map(RawJson::from),
                    attributes,
                    ..Step::default()
                },
                path,
            );
            return Ok(());
        }
        let head = Step {
            id: step_id,
            parent_id: Some(parent.to_string()),
            kind: StepKind::Agent,
            start_ns: timing.start_ns,
            end_ns: timing.end_ns,
            input: summary.map(RawJson::from),
            attributes,
            ..Step::default()
        };
        self.nest(index, head, path)
    }

    /// Shows the trajectory `index` of the pool as the Agent step `head` (its id, parent
    /// and what the reference said), with its steps inside and an Agent entry of its
    /// own. `head`'s times are kept only when the trajectory has none.
    fn nest(&mut self, index: usize, mut head: Step, path: &str) -> Result<(), ImportError> {
        self.placed.insert(index);
        let pool = self.pool;
        let located = &pool[index];
        let raw = &located.raw;
        let agent_id = self.add_agent(raw);
        let role = self
            .agents
            .iter()
            .find(|agent| agent.id == agent_id)
            .map(|agent| agent.role.clone())
            .unwrap_or_default();
        if let Some(final_metrics) = &raw.final_metrics {
            head.attributes.insert(
                "atif.final_metrics".into(),
                final_metrics_value(final_metrics),
            );
        }
        let step_id = head.id.clone();
        let timing = Timing {
            start_ns: head.start_ns,
            end_ns: head.end_ns,
        };
        let at = self.steps.len();
        self.push(
            Step {
                agent_id: Some(agent_id.clone()),
                name: role,
                ..head
            },
            path,
        );
        let scope = match &raw.session_id {
            Some(session) if !session.is_empty() => format!("{session}/"),
            _ => format!("{}/", located.path),
        };
        self.depth += 1;
        let added = self.add_trajectory(raw, &located.path, &scope, Some(&step_id), &agent_id);
        self.depth -= 1;
        added?;
        // The subagent ran from its first step to its last known moment, else within the
        // step that delegated to it.
        let children = &self.steps[at + 1..];
        let first = children.iter().filter_map(|step| step.start_ns).min();
        let last = children
            .iter()
            .flat_map(|step| [step.start_ns, step.end_ns])
            .flatten()
            .max();
        let agent_step = &mut self.steps[at];
        agent_step.start_ns = first.or(timing.start_ns);
        agent_step.end_ns = if first.is_some() { last } else { timing.end_ns };
        agent_step.output = raw
            .steps
            .iter()
            .rev()
            .find(|step| step.source == RawSource::Agent && !step.is_copied_context)
            .and_then(|step| step.message.as_ref())
            .filter(|message| !is_blank(message))
            .map(RawJson::from);
        Ok(())
    }

    /// Subagent trajectories embedded in the root's file that no step refers to: shown
    /// at the top, after the root's steps, rather than dropped.
    fn add_unreferenced(&mut self, root: usize, owners: &[usize]) -> Result<(), ImportError> {
        let pool = self.pool;
        for (index, located) in pool.iter().enumerate() {
            if owners[index] != root || index == root || self.placed.contains(&index) {
                continue;
            }
            let name = located
                .raw
                .session_id
                .clone()
                .unwrap_or_else(|| located.path.clone());
            self.repairs.push(Repair {
                path: located.path.clone(),
                what: format!(
                    "no step refers to the embedded subagent trajectory {name:?}; it is shown \
                     after the trajectory's steps"
                ),
            });
            let head = Step {
                id: format!("subagent:{name}"),
                kind: StepKind::Agent,
                ..Step::default()
            };
            self.nest(index, head, &located.path)?;
        }
        Ok(())
    }

    fn push(&mut self, step: Step, path: &str) {
        self.steps.push(step);
        self.paths.push(path.to_string());
    }

    /// Keeps `final_metrics` as the trajectory states it, never spread over the calls:
    /// as the stated total when no call carries tokens, and with a note when the calls
    /// add up to something else (Harbor counts the subagents' calls in the parent's
    /// totals, so a missing subagent file shows here).
    fn check_final_metrics(
        &mut self,
        raw: &RawTrajectory,
        path: &str,
        metadata: &mut Map<String, Value>,
    ) {
        let Some(stated) = &raw.final_metrics else {
            return;
        };
        let at = field_path(path, "final_metrics");
        if let (Some(prompt), Some(completion)) =
            (stated.total_prompt_tokens, stated.total_completion_tokens)
        {
            metadata.insert(
                STATED_TOTAL_TOKENS.to_string(),
                Value::from(prompt.saturating_add(completion)),
            );
        }
        let calls: Vec<&Step> = self
            .steps
            .iter()
            .filter(|step| step.kind == StepKind::LlmCall)
            .collect();
        let with_tokens = calls.iter().filter(|step| !step.usage.is_unknown()).count();
        let missing = if self.missing_refs > 0 {
            format!(
                "; {} subagent trajectory(ies) referred to are not in this input, and Harbor \
                 counts subagents in the parent's totals",
                self.missing_refs
            )
        } else {
            String::new()
        };
        if with_tokens == 0 {
            if stated.total_prompt_tokens.is_some() || stated.total_completion_tokens.is_some() {
                self.repairs.push(Repair {
                    path: at,
                    what: format!(
                        "final_metrics states the totals; the {} LLM call(s) carry no metrics, \
                         so the total is kept as stated ({STATED_TOTAL_TOKENS}) and no \
                         per-call figures are made up",
                        calls.len()
                    ),
                });
            }
            return;
        }
        let sum = |field: fn(&Usage) -> Option<u64>| {
            calls.iter().fold(0u64, |sum, step| {
                sum.saturating_add(field(&step.usage).unwrap_or(0))
            })
        };
        let mut differences = Vec::new();
        if let Some(prompt) = stated.total_prompt_tokens {
            let summed = sum(|usage| usage.input_tokens);
            if summed != prompt {
                differences.push(format!("{prompt} prompt tokens (the steps: {summed})"));
            }
        }
        if let Some(completion) = stated.total_completion_tokens {
            let summed = sum(|usage| usage.output_tokens);
            if summed != completion {
                differences.push(format!(
                    "{completion} completion tokens (the steps: {summed})"
                ));
            }
        }
        if let Some(cost) = stated.total_cost_usd {
            let summed: f64 = calls
                .iter()
                .filter_map(|step| step.cost)
                .map(|c| c.usd)
                .sum();
            // Costs are sums of floats: a difference below a millionth of a cent is noise.
            if (summed - cost).abs() > 1e-8 {
                differences.push(format!("${cost:.6} (the steps: ${summed:.6})"));
            }
        }
        if !differences.is_empty() {
            self.repairs.push(Repair {
                path: at,
                what: format!(
                    "final_metrics states {}; the figures shown are the steps'{missing}",
                    differences.join(", ")
                ),
            });
        }
    }
}

/// Where the steps of one trajectory go: their id prefix, parent step and agent.
#[derive(Clone, Copy)]
struct Place<'p> {
    scope: &'p str,
    parent: Option<&'p str>,
    agent_id: &'p str,
    /// The agent's `model_name`, for steps that name none.
    default_model: Option<&'p str>,
}

#[derive(Clone, Copy)]
struct Timing {
    start_ns: Option<i64>,
    end_ns: Option<i64>,
}

fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.trim().is_empty(),
        _ => false,
    }
}

fn tool_call_value(call: &RawToolCall) -> Value {
    let mut map = Map::new();
    map.insert("tool_call_id".into(), call.tool_call_id.clone().into());
    map.insert("function_name".into(), call.function_name.clone().into());
    map.insert(
        "arguments".into(),
        call.arguments.clone().unwrap_or(Value::Null),
    );
    Value::Object(map)
}

fn final_metrics_value(metrics: &RawFinalMetrics) -> Value {
    let mut map = Map::new();
    let fields = [
        (
            "total_prompt_tokens",
            metrics.total_prompt_tokens.map(Value::from),
        ),
        (
            "total_completion_tokens",
            metrics.total_completion_tokens.map(Value::from),
        ),
        (
            "total_cached_tokens",
            metrics.total_cached_tokens.map(Value::from),
        ),
        ("total_cost_usd", metrics.total_cost_usd.map(Value::from)),
        ("total_steps", metrics.total_steps.map(Value::from)),
        ("extra", metrics.extra.clone()),
    ];
    for (key, value) in fields {
        if let Some(value) = value {
            map.insert(key.into(), value);
        }
    }
    Value::Object(map)
}

/// Tokens and cost of one agent turn. `prompt_tokens` includes the cached ones, as in
/// Stepwise's model; reasoning and cache-write counts, which ATIF leaves to
/// `metrics.extra`, are read from the names the spec gives as examples.
fn usage_and_cost(
    metrics: &RawMetrics,
    path: &str,
    attributes: &mut Map<String, Value>,
) -> Result<(Usage, Option<Cost>), ImportError> {
    let extra = metrics.extra.as_ref();
    let extra_count = |keys: &[&str]| -> Result<Option<u64>, ImportError> {
        for key in keys {
            match extra.and_then(|extra| extra.get(*key)) {
                None | Some(Value::Null) => continue,
                Some(value) => {
                    return value.as_u64().map(Some).ok_or_else(|| {
                        invalid(
                            &field_path(path, &format!("extra.{key}")),
                            &format!("a token count (a whole number of 0 or more), not {value}"),
                        )
                    })
                }
            }
        }
        Ok(None)
    };
    let usage = Usage {
        input_tokens: metrics.prompt_tokens,
        output_tokens: metrics.completion_tokens,
        cached_input_tokens: metrics.cached_tokens,
        cache_write_tokens: extra_count(&["cache_creation_input_tokens", "cache_write_tokens"])?,
        reasoning_tokens: extra_count(&["reasoning_tokens"])?,
        ..Usage::default()
    };
    let cost = match metrics.cost_usd {
        None => None,
        Some(usd) if usd.is_finite() && usd >= 0.0 => Some(Cost {
            usd,
            source: CostSource::Stated,
        }),
        Some(usd) => {
            return Err(invalid(
                &field_path(path, "cost_usd"),
                &format!("a cost of zero or more US dollars, not {usd}"),
            ))
        }
    };
    let present: Vec<Value> = [
        ("prompt_token_ids", metrics.prompt_token_ids.is_some()),
        (
            "completion_token_ids",
            metrics.completion_token_ids.is_some(),
        ),
        ("logprobs", metrics.logprobs.is_some()),
    ]
    .into_iter()
    .filter(|(_, present)| *present)
    .map(|(name, _)| Value::from(name))
    .collect();
    if !present.is_empty() {
        attributes.insert("atif.metrics.omitted".into(), present.into());
    }
    if let Some(extra) = extra {
        attributes.insert("atif.metrics.extra".into(), Value::Object(extra.clone()));
    }
    Ok((usage, cost))
}

/// ATIF has no error field; a step or result whose `extra` says it failed (`error`, or
/// `is_error: true`, or `status` "error"/"failed") is shown as failed, with what it says.
fn error_in(extra: Option<&Value>) -> Option<StepError> {
    let extra = extra?.as_object()?;
    let status_failed = extra
        .get("status")
        .and_then(Value::as_str)
        .is_some_and(|status| matches!(status.to_ascii_lowercase().as_str(), "error" | "failed"));
    let flagged = extra.get("is_error").and_then(Value::as_bool) == Some(true);
    match extra.get("error") {
        Some(Value::String(text)) if !text.trim().is_empty() => Some(StepError {
            error_type: None,
            message: text.clone(),
            stack: None,
        }),
        Some(Value::Object(error)) => Some(StepError {
            error_type: ["type", "error_type", "name"]
                .into_iter()
                .find_map(|key| error.get(key).and_then(Value::as_str))
                .map(str::to_string),
            message: ["message", "msg"]
                .into_iter()
                .find_map(|key| error.get(key).and_then(Value::as_str))
                .map_or_else(|| Value::Object(error.clone()).to_string(), str::to_string),
            stack: ["stack", "traceback"]
                .into_iter()
                .find_map(|key| error.get(key).and_then(Value::as_str))
                .map(str::to_string),
        }),
        _ if flagged || status_failed => Some(StepError {
            error_type: None,
            message: "the trajectory marks this as failed, without an error message".into(),
            stack: None,
        }),
        _ => None,
    }
}

/// "agent: first line of the first user message", shortened.
fn trace_name(raw: &RawTrajectory) -> String {
    let agent = raw
        .agent
        .as_ref()
        .and_then(|agent| agent.name.as_deref())
        .filter(|name| !name.is_empty())
        .unwrap_or("ATIF trajectory");
    let task = raw
        .steps
        .iter()
        .find(|step| step.source == RawSource::User && !step.is_copied_context)
        .and_then(|step| step.message.as_ref())
        .and_then(Value::as_str)
        .and_then(|text| text.lines().map(str::trim).find(|line| !line.is_empty()));
    match task {
        Some(line) => {
            let mut short: String = line.chars().take(NAME_CHARS).collect();
            if line.chars().count() > NAME_CHARS {
                short.push('…');
            }
            format!("{agent}: {short}")
        }
        None => agent.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_first_user_line_is_shortened_in_the_name() {
        let raw: RawTrajectory = serde_json::from_value(serde_json::json!({
            "agent": {"name": "a"},
            "steps": [{"source": "user", "message": format!("\n{}\nmore", "x".repeat(100))}]
        }))
        .expect("valid");
        assert_eq!(trace_name(&raw), format!("a: {}…", "x".repeat(80)));
    }

    #[test]
    fn errors_are_read_from_extra() {
        let error = error_in(Some(
            &serde_json::json!({"error": {"type": "Timeout", "message": "slow"}}),
        ))
        .expect("an error");
        assert_eq!(error.error_type.as_deref(), Some("Timeout"));
        assert_eq!(error.message, "slow");
        assert!(error_in(Some(&serde_json::json!({"is_error": true}))).is_some());
        assert!(error_in(Some(&serde_json::json!({"status": "ok"}))).is_none());
        assert!(error_in(None).is_none());
    }
}
