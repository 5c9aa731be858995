//! Debugging and cost insights derived from one trace: failures, the critical path, slow
//! outliers, token hogs, redundant work, cost breakdowns and the flame chart. Pure core.
//!
//! Every finding names steps by their index into `trace.steps` and tasks by their index
//! into `trace.tasks`, so a view can link each one to the step it is about. Costs are read
//! from `Step::cost`, which the app fills with `pricing::estimate_costs` when it loads a
//! trace, exactly as `metrics::summarize` reads them: the insights and the summary agree.

use std::collections::HashMap;

use crate::model::{Step, StepKind, Trace};
use crate::tree::{step_rows, StepRow};

pub mod breakdown;
pub mod critical_path;
pub mod failures;
pub mod flame;
pub mod hogs;
pub mod outliers;
pub mod redundant;
pub mod text;

pub use breakdown::{sort_by, CostColumn, CostKey, CostRow};
pub use critical_path::{CriticalPath, PathSegment, TimeShares};
pub use failures::{ErrorChain, FailedTask, Failures};
pub use flame::{flame, FlameNode, FlameNodeKind, FlameWeight};
pub use hogs::{GrowingPrompt, Hog, TokenHogs};
pub use outliers::{PeerGroup, SlowOutlier};
pub use redundant::{DuplicateCalls, Redundant, Retry, UnusedOutput, UnusedReason};

/// Everything the insights panel shows for one trace.
#[derive(Clone, Debug, PartialEq)]
pub struct Insights {
    pub failures: Failures,
    pub critical_path: CriticalPath,
    /// Slowest first (by duration over the peers' median).
    pub slow_outliers: Vec<SlowOutlier>,
    pub token_hogs: TokenHogs,
    pub redundant: Redundant,
    /// One row per agent (by id), most expensive first.
    pub cost_by_agent: Vec<CostRow>,
    /// One row per model, most expensive first.
    pub cost_by_model: Vec<CostRow>,
    /// One row per tool name, most expensive (then slowest) first.
    pub cost_by_tool: Vec<CostRow>,
    /// One row per task, in the trace's task order.
    pub cost_by_task: Vec<CostRow>,
}

/// Runs every rule on `trace`. The flame chart is separate (`flame`), as it depends on
/// the chosen weight.
pub fn analyse(trace: &Trace) -> Insights {
    let context = Context::new(trace);
    Insights {
        failures: failures::failures(&context),
        critical_path: critical_path::critical_path(&context),
        slow_outliers: outliers::slow_outliers(trace),
        token_hogs: hogs::token_hogs(&context),
        redundant: redundant::redundant(&context),
        cost_by_agent: breakdown::by_agent(&context),
        cost_by_model: breakdown::by_model(trace),
        cost_by_tool: breakdown::by_tool(trace),
        cost_by_task: breakdown::by_task(&context),
    }
}

/// The lookups several rules need, built once per trace.
pub struct Context<'a> {
    pub trace: &'a Trace,
    /// The step tree in reading order.
    pub rows: Vec<StepRow>,
    /// Each step's parent, when its `parent_id` names another step.
    pub parent: Vec<Option<usize>>,
    /// The roots of the step tree, in reading order.
    pub roots: Vec<usize>,
    /// Each step's children, by start time (the reading order of `tree::step_rows`).
    pub children: Vec<Vec<usize>>,
    /// Each step's task, when its `task_id` names a task.
    pub task_of: Vec<Option<usize>>,
    pub step_index: HashMap<&'a str, usize>,
}

impl<'a> Context<'a> {
    pub fn new(trace: &'a Trace) -> Context<'a> {
        let step_index: HashMap<&str, usize> = trace
            .steps
            .iter()
            .enumerate()
            .map(|(index, step)| (step.id.as_str(), index))
            .collect();
        let task_index: HashMap<&str, usize> = trace
            .tasks
            .iter()
            .enumerate()
            .map(|(index, task)| (task.id.as_str(), index))
            .collect();
        let rows = step_rows(trace);
        let mut parent = vec![None; trace.steps.len()];
        let mut children = vec![Vec::new(); trace.steps.len()];
        // Walking the rows keeps children in reading order and ignores the cycles the
        // tree already broke: a step is the child of the nearest shallower row above it.
        let mut open: Vec<usize> = Vec::new();
        for row in &rows {
            open.truncate(row.depth);
            if let Some(&up) = open.last() {
                parent[row.step] = Some(up);
                children[up].push(row.step);
            }
            open.push(row.step);
        }
        let roots = rows
            .iter()
            .filter(|row| row.depth == 0)
            .map(|row| row.step)
            .collect();
        let task_of = trace
            .steps
            .iter()
            .map(|step| {
                step.task_id
                    .as_deref()
                    .and_then(|id| task_index.get(id).copied())
            })
            .collect();
        Context {
            trace,
            rows,
            parent,
            roots,
            children,
            task_of,
            step_index,
        }
    }

    /// The steps above `step`, nearest first.
    pub fn ancestors(&self, step: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut at = self.parent.get(step).copied().flatten();
        while let Some(up) = at {
            if out.len() > self.trace.steps.len() {
                break;
            }
            out.push(up);
            at = self.parent[up];
        }
        out
    }
}

/// True for the step kinds that group other steps rather than do work themselves.
pub fn is_container(kind: StepKind) -> bool {
    matches!(kind, StepKind::Agent | StepKind::Task | StepKind::Span)
}

/// The cost a step carries, zero when none was stated or estimated.
pub fn cost_usd(step: &Step) -> f64 {
    step.cost.map_or(0.0, |cost| cost.usd)
}

/// Tokens counted towards totals: only LLM calls, so a parent span that repeats its
/// child's usage is not counted twice (as in `metrics::summarize`).
pub fn llm_tokens(step: &Step) -> u64 {
    if step.kind == StepKind::LlmCall {
        step.usage.total_tokens()
    } else {
        0
    }
}

/// Cost counted towards totals, on the same rule as `llm_tokens`.
pub fn llm_cost_usd(step: &Step) -> f64 {
    if step.kind == StepKind::LlmCall {
        cost_usd(step)
    } else {
        0.0
    }
}

/// `part / whole`, zero when the whole is.
pub fn share(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        part / whole
    } else {
        0.0
    }
}
