//! Figures across several loaded traces, for the agent page and the cost dashboard: the
//! top tasks, agents and models by cost or tokens, each linking back into its trace. Pure core.
//!
//! An agent is known across traces by its role: frameworks give it a new id in each run.
//! Tokens and costs count LLM calls only, as `metrics::summarize` does.

use std::collections::BTreeMap;

use crate::metrics::task_figures;
use crate::model::{Status, StepKind, Tally, Trace};

/// A loaded trace and the id the page knows it by.
#[derive(Clone, Copy, Debug)]
pub struct TraceRef<'a> {
    pub id: &'a str,
    pub trace: &'a Trace,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RankBy {
    CostUsd,
    Tokens,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TaskEntry {
    pub trace_id: String,
    /// Index into `trace.tasks`.
    pub task: usize,
    pub name: String,
    pub tokens: Tally<u64>,
    pub cost_usd: Tally<f64>,
}

/// One agent's part in one trace.
#[derive(Clone, Debug, PartialEq)]
pub struct AgentInTrace {
    pub trace_id: String,
    pub agent_id: String,
    /// Indexes into `trace.steps`, in file order.
    pub steps: Vec<usize>,
    /// Its failed steps and error steps.
    pub errors: Vec<usize>,
    pub tokens: Tally<u64>,
    pub cost_usd: Tally<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AgentEntry {
    pub role: String,
    /// In the order the traces were given.
    pub traces: Vec<AgentInTrace>,
    pub steps: usize,
    pub errors: usize,
    pub tokens: Tally<u64>,
    pub cost_usd: Tally<f64>,
}

/// One model's calls in one trace.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelInTrace {
    pub trace_id: String,
    pub steps: Vec<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ModelEntry {
    pub model: String,
    pub calls: u64,
    pub tokens: Tally<u64>,
    pub cost_usd: Tally<f64>,
    pub traces: Vec<ModelInTrace>,
}

/// Ranks by the chosen figure (the known part of a sum), largest first; ties keep the
/// given order.
fn ranked<T>(
    mut items: Vec<T>,
    by: RankBy,
    n: usize,
    figures: impl Fn(&T) -> (u64, f64),
) -> Vec<T> {
    items.sort_by(|a, b| match by {
        RankBy::CostUsd => figures(b).1.total_cmp(&figures(a).1),
        RankBy::Tokens => figures(b).0.cmp(&figures(a).0),
    });
    items.truncate(n);
    items
}

/// The `n` tasks, across all traces, with the largest cost or tokens.
pub fn top_tasks(traces: &[TraceRef], by: RankBy, n: usize) -> Vec<TaskEntry> {
    let mut entries = Vec::new();
    for source in traces {
        for row in task_figures(source.trace) {
            entries.push(TaskEntry {
                trace_id: source.id.to_string(),
                task: row.task,
                name: source.trace.tasks[row.task].name.clone(),
                tokens: row.total_tokens,
                cost_usd: row.cost_usd,
            });
        }
    }
    ranked(entries, by, n, |e| (e.tokens.known, e.cost_usd.known))
}

/// Every agent across the traces, by role (in role order).
pub fn agents(traces: &[TraceRef]) -> Vec<AgentEntry> {
    let mut by_role: BTreeMap<String, AgentEntry> = BTreeMap::new();
    for source in traces {
        for part in agents_in(source) {
            let role = part.0;
            let entry = by_role.entry(role.clone()).or_insert_with(|| AgentEntry {
                role,
                traces: Vec::new(),
                steps: 0,
                errors: 0,
                tokens: Tally::default(),
                cost_usd: Tally::default(),
            });
            let part = part.1;
            entry.steps += part.steps.len();
            entry.errors += part.errors.len();
            entry.tokens.merge(&part.tokens);
            entry.cost_usd.merge(&part.cost_usd);
            entry.traces.push(part);
        }
    }
    by_role.into_values().collect()
}

/// The agents of one trace with their role, by agent id.
fn agents_in(source: &TraceRef) -> Vec<(String, AgentInTrace)> {
    let trace = source.trace;
    let mut parts: BTreeMap<&str, AgentInTrace> = BTreeMap::new();
    for (index, step) in trace.steps.iter().enumerate() {
        let Some(agent_id) = step.agent_id.as_deref() else {
            continue;
        };
        let part = parts.entry(agent_id).or_insert_with(|| AgentInTrace {
            trace_id: source.id.to_string(),
            agent_id: agent_id.to_string(),
            steps: Vec::new(),
            errors: Vec::new(),
            tokens: Tally::default(),
            cost_usd: Tally::default(),
        });
        part.steps.push(index);
        if step.status == Status::Failed || step.kind == StepKind::Error {
            part.errors.push(index);
        }
        if step.kind.is_model_call() {
            part.tokens.add(step.usage.total_tokens());
            part.cost_usd.add(step.cost.map(|cost| cost.usd));
        }
    }
    parts
        .into_values()
        .map(|part| {
            let role = trace
                .agent(&part.agent_id)
                .map_or_else(|| part.agent_id.clone(), |agent| agent.role.clone());
            (role, part)
        })
        .collect()
}

/// The `n` agents with the largest cost or tokens across the traces.
pub fn top_agents(traces: &[TraceRef], by: RankBy, n: usize) -> Vec<AgentEntry> {
    ranked(agents(traces), by, n, |e| {
        (e.tokens.known, e.cost_usd.known)
    })
}

/// The agent page: everything the agent with `role` did across the traces.
pub fn agent_page(traces: &[TraceRef], role: &str) -> Option<AgentEntry> {
    agents(traces).into_iter().find(|entry| entry.role == role)
}

/// The `n` models with the largest cost or tokens across the traces.
pub fn top_models(traces: &[TraceRef], by: RankBy, n: usize) -> Vec<ModelEntry> {
    let mut by_model: BTreeMap<&str, ModelEntry> = BTreeMap::new();
    for source in traces {
        for (index, step) in source.trace.steps.iter().enumerate() {
            if !step.kind.is_model_call() {
                continue;
            }
            let model = step.model.as_deref().unwrap_or("(unknown model)");
            let entry = by_model.entry(model).or_insert_with(|| ModelEntry {
                model: model.to_string(),
                calls: 0,
                tokens: Tally::default(),
                cost_usd: Tally::default(),
                traces: Vec::new(),
            });
            entry.calls += 1;
            entry.tokens.add(step.usage.total_tokens());
            entry.cost_usd.add(step.cost.map(|cost| cost.usd));
            match entry.traces.last_mut() {
                Some(last) if last.trace_id == source.id => last.steps.push(index),
                _ => entry.traces.push(ModelInTrace {
                    trace_id: source.id.to_string(),
                    steps: vec![index],
                }),
            }
        }
    }
    ranked(by_model.into_values().collect(), by, n, |e| {
        (e.tokens.known, e.cost_usd.known)
    })
}

/// What the dashboard's header counts: the traces and their summary figures, as each
/// trace page's summary shows them.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Totals {
    pub traces: usize,
    pub tokens: Tally<u64>,
    pub cost_usd: Tally<f64>,
}

pub fn totals(traces: &[TraceRef]) -> Totals {
    traces
        .iter()
        .map(|source| crate::metrics::summarize(source.trace))
        .fold(Totals::default(), |mut sum, summary| {
            sum.traces += 1;
            sum.tokens.merge(&summary.total_tokens);
            sum.cost_usd.merge(&summary.cost_usd);
            sum
        })
}

/// The chosen figure of `totals` (its known part), as a number for shares.
pub fn total_of(totals: &Totals, by: RankBy) -> f64 {
    match by {
        RankBy::CostUsd => totals.cost_usd.known,
        RankBy::Tokens => totals.tokens.known as f64,
    }
}

/// `part` as a percentage of `whole`, for a bar's width: 0 when there is no whole, and
/// never above 100 (a task's tokens may exceed a total the trace itself stated lower).
pub fn share_percent(part: f64, whole: f64) -> f64 {
    if whole > 0.0 && part.is_finite() {
        (part / whole * 100.0).clamp(0.0, 100.0)
    } else {
        0.0
    }
}

/// An API's trace list carries only each trace's summary figures: the `n` listed traces
/// with the largest cost or tokens. Traces the API gave no figure for are left out.
pub fn top_listings(
    listings: &[crate::api::TraceListing],
    by: RankBy,
    n: usize,
) -> Vec<&crate::api::TraceListing> {
    let known: Vec<&crate::api::TraceListing> = listings
        .iter()
        .filter(|listing| match by {
            RankBy::CostUsd => listing.cost_usd.is_some(),
            RankBy::Tokens => listing.total_tokens.is_some(),
        })
        .collect();
    ranked(known, by, n, |listing| {
        (
            listing.total_tokens.unwrap_or(0),
            listing.cost_usd.unwrap_or(0.0),
        )
    })
}

/// The listed traces' summed figures: those the API stated, with the others counted
/// as unknown parts.
pub fn listing_totals(listings: &[crate::api::TraceListing]) -> Totals {
    let mut totals = Totals {
        traces: listings.len(),
        ..Totals::default()
    };
    for listing in listings {
        totals.tokens.add(listing.total_tokens);
        totals.cost_usd.add(listing.cost_usd);
    }
    totals
}
