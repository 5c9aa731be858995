//! The execution summary of a trace as one serialisable record: what `stepwise summary`
//! prints and what the import snapshots hold. Pure core.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::metrics::{model_figures, summarize, task_figures, ModelFigures, Summary};
use crate::model::{Repair, SourceFormat, Status, StepKind, Tally, Trace, TraceKind};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TraceReport {
    pub format: SourceFormat,
    pub id: String,
    pub name: String,
    pub kind: TraceKind,
    pub status: Status,
    pub summary: Summary,
    /// Step counts by kind name; kinds with no step are left out.
    pub steps_by_kind: BTreeMap<&'static str, usize>,
    pub agents: Vec<AgentLine>,
    pub tasks: Vec<TaskLine>,
    /// Per model, most expensive first.
    pub models: Vec<ModelFigures>,
    pub repairs: Vec<Repair>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgentLine {
    pub role: String,
    pub models: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TaskLine {
    pub name: String,
    pub agent: Option<String>,
    pub status: Status,
    pub llm_calls: u64,
    /// `null` when none of the task's calls records tokens; the known calls' sum when
    /// `llm_calls_without_tokens` > 0.
    pub total_tokens: Tally<u64>,
    pub llm_calls_without_tokens: u64,
    /// `null` when none of the task's calls has a cost.
    pub cost_usd: Tally<f64>,
    pub llm_calls_without_cost: u64,
}

pub fn trace_report(trace: &Trace) -> TraceReport {
    let steps_by_kind = StepKind::ALL
        .iter()
        .map(|kind| {
            let count = trace.steps.iter().filter(|step| step.kind == *kind).count();
            (kind.key(), count)
        })
        .filter(|(_, count)| *count > 0)
        .collect();
    let tasks = task_figures(trace)
        .into_iter()
        .map(|row| TaskLine {
            name: trace.tasks[row.task].name.clone(),
            agent: row.agent_role,
            status: trace.tasks[row.task].status,
            llm_calls: row.llm_calls,
            total_tokens: row.total_tokens,
            llm_calls_without_tokens: row.total_tokens.unknown_parts,
            cost_usd: row.cost_usd,
            llm_calls_without_cost: row.cost_usd.unknown_parts,
        })
        .collect();
    TraceReport {
        format: trace.source_format,
        id: trace.id.clone(),
        name: trace.name.clone(),
        kind: trace.kind,
        status: trace.status,
        summary: summarize(trace),
        steps_by_kind,
        agents: trace
            .agents
            .iter()
            .map(|agent| AgentLine {
                role: agent.role.clone(),
                models: agent.models.clone(),
            })
            .collect(),
        tasks,
        models: model_figures(trace),
        repairs: trace.repairs.clone(),
    }
}
