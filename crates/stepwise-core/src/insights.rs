//! Debugging and cost insights derived from one trace: failures, the critical path, slow
//! outliers, token hogs, redundant work, cost breakdowns and the flame chart. Pure core.
//!
//! Every finding names steps by their index into `trace.steps` and tasks by their index
//! into `trace.tasks`, so a view can link each one to the step it is about. Costs are read
//! from `Step::cost`, which the app fills with `pricing::estimate_costs` when it loads a
//! trace, exactly as `metrics::summarize` reads them: the insights and the summary agree.

use crate::fast_hash::HashMap;

use crate::model::{Step, Tally, Trace};
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
pub use flame::{flame, flame_in, FlameNode, FlameNodeKind, FlameWeight};
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
    let mut analysis = Analysis::new(Context::new(trace));
    loop {
        if let Some(insights) = analysis.advance() {
            return insights;
        }
    }
}

/// `analyse`, one rule per call of `advance`, so that a page can let the browser paint
/// between rules: on 100k steps the whole analysis is hundreds of milliseconds, each rule
/// a few tens.
pub struct Analysis<'a> {
    context: Context<'a>,
    done: Partial,
}

#[derive(Default)]
struct Partial {
    failures: Option<Failures>,
    critical_path: Option<CriticalPath>,
    slow_outliers: Option<Vec<SlowOutlier>>,
    token_hogs: Option<TokenHogs>,
    duplicate_calls: Option<Vec<DuplicateCalls>>,
    retries: Option<Vec<Retry>>,
    unused_outputs: Option<Vec<UnusedOutput>>,
    cost_by_agent: Option<Vec<CostRow>>,
    cost_by_model: Option<Vec<CostRow>>,
    cost_by_tool: Option<Vec<CostRow>>,
}

impl<'a> Analysis<'a> {
    pub fn new(context: Context<'a>) -> Analysis<'a> {
        Analysis {
            context,
            done: Partial::default(),
        }
    }

    /// Runs the next rule; after the last one, returns every finding.
    pub fn advance(&mut self) -> Option<Insights> {
        let (context, done) = (&self.context, &mut self.done);
        let trace = context.trace;
        if done.failures.is_none() {
            done.failures = Some(failures::failures(context));
        } else if done.critical_path.is_none() {
            done.critical_path = Some(critical_path::critical_path(context));
        } else if done.slow_outliers.is_none() {
            done.slow_outliers = Some(outliers::slow_outliers(trace));
        } else if done.token_hogs.is_none() {
            done.token_hogs = Some(hogs::token_hogs(context));
        } else if done.duplicate_calls.is_none() {
            done.duplicate_calls = Some(redundant::duplicate_calls(context));
        } else if done.retries.is_none() {
            done.retries = Some(redundant::retries(context));
        } else if done.unused_outputs.is_none() {
            done.unused_outputs = Some(redundant::unused_outputs(context));
        } else if done.cost_by_agent.is_none() {
            done.cost_by_agent = Some(breakdown::by_agent(context));
        } else if done.cost_by_model.is_none() {
            done.cost_by_model = Some(breakdown::by_model(trace));
        } else if done.cost_by_tool.is_none() {
            done.cost_by_tool = Some(breakdown::by_tool(trace));
        } else {
            let done = std::mem::take(&mut self.done);
            return Some(Insights {
                failures: done.failures.unwrap_or_default(),
                critical_path: done.critical_path.unwrap_or_default(),
                slow_outliers: done.slow_outliers.unwrap_or_default(),
                token_hogs: done.token_hogs.unwrap_or_default(),
                redundant: Redundant {
                    duplicate_calls: done.duplicate_calls.unwrap_or_default(),
                    retries: done.retries.unwrap_or_default(),
                    unused_outputs: done.unused_outputs.unwrap_or_default(),
                },
                cost_by_agent: done.cost_by_agent.unwrap_or_default(),
                cost_by_model: done.cost_by_model.unwrap_or_default(),
                cost_by_tool: done.cost_by_tool.unwrap_or_default(),
                cost_by_task: breakdown::by_task(context),
            });
        }
        None
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
    /// Steps by id, built only if a rule looks one up (`step_at`).
    step_index: std::cell::OnceCell<HashMap<&'a str, usize>>,
}

impl<'a> Context<'a> {
    pub fn new(trace: &'a Trace) -> Context<'a> {
        Context::with_rows(trace, step_rows(trace))
    }

    /// `new`, with the step tree the caller has already built (`tree::step_rows(trace)`).
    pub fn with_rows(trace: &'a Trace, rows: Vec<StepRow>) -> Context<'a> {
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
        Context {
            trace,
            rows,
            parent,
            roots,
            children,
            task_of: trace.links().task.clone(),
            step_index: std::cell::OnceCell::new(),
        }
    }

    /// The step with this id.
    pub fn step_at(&self, id: &str) -> Option<usize> {
        self.step_index
            .get_or_init(|| {
                self.trace
                    .steps
                    .iter()
                    .enumerate()
                    .map(|(index, step)| (step.id.as_str(), index))
                    .collect()
            })
            .get(id)
            .copied()
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

/// The cost a step carries, zero when none was stated or estimated.
pub fn cost_usd(step: &Step) -> f64 {
    step.cost.map_or(0.0, |cost| cost.usd)
}

/// Tokens counted towards totals: only LLM calls, so a parent span that repeats its
/// child's usage is not counted twice (as in `metrics::summarize`). Zero for a call
/// that records none: for weights and shares (a bar's width), never a figure shown.
pub fn llm_tokens(step: &Step) -> u64 {
    if step.kind.is_model_call() {
        step.usage.total_tokens().unwrap_or(0)
    } else {
        0
    }
}

/// Cost counted towards totals, on the same rule as `llm_tokens`; a weight, not a figure.
pub fn llm_cost_usd(step: &Step) -> f64 {
    if step.kind.is_model_call() {
        cost_usd(step)
    } else {
        0.0
    }
}

/// Adds an LLM call's tokens and cost to sums that keep unknown parts apart; other
/// steps are not parts of these sums at all.
pub fn add_llm_figures(step: &Step, tokens: &mut Tally<u64>, cost_usd: &mut Tally<f64>) {
    if step.kind.is_model_call() {
        tokens.add(step.usage.total_tokens());
        cost_usd.add(step.cost.map(|cost| cost.usd));
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
