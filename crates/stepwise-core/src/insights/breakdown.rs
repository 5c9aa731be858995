//! Cost breakdowns by agent, model, tool and task, as sortable table rows. Pure core.
//!
//! Tokens and cost come from LLM calls only (as in `metrics::summarize`); model and task
//! rows are `metrics::model_figures` and `metrics::task_figures` reshaped.

use std::collections::BTreeMap;

use crate::metrics::{model_figures, task_figures};
use crate::model::{Status, StepKind, Tally, Trace};

use super::{add_llm_figures, Context};

/// What a row is about, to link it to its page or filter.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum CostKey {
    /// An agent id.
    Agent(String),
    Model(String),
    /// A tool name.
    Tool(String),
    /// Index into `trace.tasks`.
    Task(usize),
}

#[derive(Clone, Debug, PartialEq)]
pub struct CostRow {
    pub key: CostKey,
    /// The agent's role, the model, the tool or the task's name.
    pub label: String,
    pub llm_calls: u64,
    pub tool_calls: u64,
    /// Over the row's LLM calls, with the calls that record none counted apart.
    pub tokens: Tally<u64>,
    pub cost_usd: Tally<f64>,
    /// Tasks: the task's wall time. Agents: their own spans' time (an agent's steps not
    /// under another step of the same agent), summed. Models and tools: their calls'
    /// time, summed (parallel calls each count).
    pub duration_ns: i64,
    /// Failed steps and error steps (models: failed calls, as `metrics::model_figures`).
    pub errors: u64,
}

/// A column of a cost table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CostColumn {
    Label,
    LlmCalls,
    ToolCalls,
    Tokens,
    Cost,
    Duration,
    Errors,
}

/// Sorts rows by a column; ties keep the current order, so sorts can be chained.
pub fn sort_by(rows: &mut [CostRow], column: CostColumn, descending: bool) {
    rows.sort_by(|a, b| {
        let order = match column {
            CostColumn::Label => a.label.to_lowercase().cmp(&b.label.to_lowercase()),
            CostColumn::LlmCalls => a.llm_calls.cmp(&b.llm_calls),
            CostColumn::ToolCalls => a.tool_calls.cmp(&b.tool_calls),
            // Unknown sorts below any known figure.
            CostColumn::Tokens => a.tokens.value().cmp(&b.tokens.value()),
            CostColumn::Cost => a
                .cost_usd
                .value()
                .unwrap_or(-1.0)
                .total_cmp(&b.cost_usd.value().unwrap_or(-1.0)),
            CostColumn::Duration => a.duration_ns.cmp(&b.duration_ns),
            CostColumn::Errors => a.errors.cmp(&b.errors),
        };
        if descending {
            order.reverse()
        } else {
            order
        }
    });
}

fn row(key: CostKey, label: String) -> CostRow {
    CostRow {
        key,
        label,
        llm_calls: 0,
        tool_calls: 0,
        tokens: Tally::default(),
        cost_usd: Tally::default(),
        duration_ns: 0,
        errors: 0,
    }
}

fn is_error(status: Status, kind: StepKind) -> bool {
    status == Status::Failed || kind == StepKind::Error
}

/// Most expensive first, then by label.
fn by_cost_then_label(rows: &mut [CostRow]) {
    sort_by(rows, CostColumn::Label, false);
    sort_by(rows, CostColumn::Cost, true);
}

pub fn by_agent(context: &Context) -> Vec<CostRow> {
    let trace = context.trace;
    let mut rows: BTreeMap<&str, CostRow> = trace
        .agents
        .iter()
        .map(|agent| {
            let label = agent.role.clone();
            (
                agent.id.as_str(),
                row(CostKey::Agent(agent.id.clone()), label),
            )
        })
        .collect();
    for (index, step) in trace.steps.iter().enumerate() {
        let Some(agent) = step.agent_id.as_deref() else {
            continue;
        };
        let entry = rows
            .entry(agent)
            .or_insert_with(|| row(CostKey::Agent(agent.to_string()), agent.to_string()));
        add_call(entry, step.kind, step.status);
        add_llm_figures(step, &mut entry.tokens, &mut entry.cost_usd);
        let parent_agent = context.parent[index].and_then(|p| trace.steps[p].agent_id.as_deref());
        if parent_agent != Some(agent) {
            let duration = step.duration_ns().unwrap_or(0).max(0);
            entry.duration_ns = entry.duration_ns.saturating_add(duration);
        }
    }
    let mut rows: Vec<CostRow> = rows.into_values().collect();
    by_cost_then_label(&mut rows);
    rows
}

fn add_call(entry: &mut CostRow, kind: StepKind, status: Status) {
    match kind {
        kind if kind.is_model_call() => entry.llm_calls += 1,
        StepKind::ToolCall => entry.tool_calls += 1,
        _ => {}
    }
    if is_error(status, kind) {
        entry.errors += 1;
    }
}

pub fn by_model(trace: &Trace) -> Vec<CostRow> {
    let mut rows: Vec<CostRow> = model_figures(trace)
        .into_iter()
        .map(|figures| CostRow {
            llm_calls: figures.calls,
            tokens: figures.total_tokens,
            cost_usd: figures.cost_usd,
            duration_ns: figures.duration_ns,
            errors: figures.errors,
            ..row(CostKey::Model(figures.model.clone()), figures.model)
        })
        .collect();
    by_cost_then_label(&mut rows);
    rows
}

pub fn by_tool(trace: &Trace) -> Vec<CostRow> {
    let mut rows: BTreeMap<&str, CostRow> = BTreeMap::new();
    for step in trace.steps.iter().filter(|s| s.kind == StepKind::ToolCall) {
        let entry = rows
            .entry(step.name.as_str())
            .or_insert_with(|| row(CostKey::Tool(step.name.clone()), step.name.clone()));
        add_call(entry, step.kind, step.status);
        let duration = step.duration_ns().unwrap_or(0).max(0);
        entry.duration_ns = entry.duration_ns.saturating_add(duration);
    }
    let mut rows: Vec<CostRow> = rows.into_values().collect();
    sort_by(&mut rows, CostColumn::Duration, true);
    rows
}

pub fn by_task(context: &Context) -> Vec<CostRow> {
    let trace = context.trace;
    let mut tool_calls = vec![0u64; trace.tasks.len()];
    for (index, step) in trace.steps.iter().enumerate() {
        if let (StepKind::ToolCall, Some(task)) = (step.kind, context.task_of[index]) {
            tool_calls[task] += 1;
        }
    }
    task_figures(trace)
        .into_iter()
        .map(|figures| CostRow {
            llm_calls: figures.llm_calls,
            tool_calls: tool_calls[figures.task],
            tokens: figures.total_tokens,
            cost_usd: figures.cost_usd,
            duration_ns: figures.duration_ns.unwrap_or(0).max(0),
            errors: figures.errors,
            ..row(
                CostKey::Task(figures.task),
                trace.tasks[figures.task].name.clone(),
            )
        })
        .collect()
}
