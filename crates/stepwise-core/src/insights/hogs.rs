//! Token hogs: the calls and tasks with the largest token and cost shares, and prompts
//! that grow call after call in a loop. Pure core.

use std::collections::BTreeMap;

use crate::metrics::task_figures;
use crate::model::{StepKind, Tally};

use super::{add_llm_figures, share, Context};

/// Entries each top list keeps.
pub const TOP_N: usize = 5;
/// Consecutive calls whose prompts must grow before it is reported.
pub const MIN_GROWING_CALLS: usize = 4;

/// One call or task and its share of the trace's LLM tokens and cost.
#[derive(Clone, Debug, PartialEq)]
pub struct Hog {
    /// Index into `trace.steps` (calls) or `trace.tasks` (tasks).
    pub index: usize,
    /// `None` when unknown (a task: when any of its calls records none).
    pub tokens: Option<u64>,
    pub cost_usd: Option<f64>,
    /// A task's calls that record no tokens / have no cost: its figures are then partial.
    pub calls_without_tokens: u64,
    pub calls_without_cost: u64,
    /// Of the known LLM calls' tokens, in 0..=1.
    pub token_share: f64,
    pub cost_share: f64,
}

/// Consecutive LLM calls of one agent in one task whose prompts keep growing.
#[derive(Clone, Debug, PartialEq)]
pub struct GrowingPrompt {
    /// The calls, in start order.
    pub steps: Vec<usize>,
    pub task: Option<usize>,
    pub agent_id: Option<String>,
    pub first_input_tokens: u64,
    pub last_input_tokens: u64,
    /// `last_input_tokens - first_input_tokens`.
    pub growth_tokens: u64,
    /// Input tokens summed over the calls: what the loop paid for its prompts.
    pub total_input_tokens: u64,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct TokenHogs {
    /// Totals over LLM calls, the denominators of the shares (as `metrics::summarize`);
    /// shares are of the known parts.
    pub total_tokens: Tally<u64>,
    pub total_cost_usd: Tally<f64>,
    /// Largest first, at most `TOP_N`, only entries above zero.
    pub calls_by_tokens: Vec<Hog>,
    pub calls_by_cost: Vec<Hog>,
    pub tasks_by_tokens: Vec<Hog>,
    pub tasks_by_cost: Vec<Hog>,
    /// Largest growth first.
    pub growing_prompts: Vec<GrowingPrompt>,
}

pub fn token_hogs(context: &Context) -> TokenHogs {
    let steps = &context.trace.steps;
    let (mut total_tokens, mut total_cost_usd) = (Tally::default(), Tally::default());
    for step in steps {
        add_llm_figures(step, &mut total_tokens, &mut total_cost_usd);
    }
    let hog = |index: usize, tokens: Option<u64>, cost_usd: Option<f64>| Hog {
        index,
        tokens,
        cost_usd,
        calls_without_tokens: 0,
        calls_without_cost: 0,
        token_share: share(tokens.unwrap_or(0) as f64, total_tokens.known as f64),
        cost_share: share(cost_usd.unwrap_or(0.0), total_cost_usd.known),
    };
    let calls: Vec<Hog> = steps
        .iter()
        .enumerate()
        .filter(|(_, step)| step.kind.is_model_call())
        .map(|(index, step)| {
            hog(
                index,
                step.usage.total_tokens(),
                step.cost.map(|cost| cost.usd),
            )
        })
        .collect();
    // A task's sum is ranked by its known part: a task with one unpriced call still
    // spent what its other calls cost.
    let tasks: Vec<Hog> = task_figures(context.trace)
        .iter()
        .map(|row| Hog {
            calls_without_tokens: row.total_tokens.unknown_parts,
            calls_without_cost: row.cost_usd.unknown_parts,
            ..hog(row.task, row.total_tokens.value(), row.cost_usd.value())
        })
        .collect();
    TokenHogs {
        total_tokens,
        total_cost_usd,
        calls_by_tokens: top(&calls, |h| h.tokens.map(|t| t as f64)),
        calls_by_cost: top(&calls, |h| h.cost_usd),
        tasks_by_tokens: top(&tasks, |h| h.tokens.map(|t| t as f64)),
        tasks_by_cost: top(&tasks, |h| h.cost_usd),
        growing_prompts: growing_prompts(context),
    }
}

/// The `TOP_N` largest by `value`, known and above zero; ties keep index order.
fn top(hogs: &[Hog], value: impl Fn(&Hog) -> Option<f64>) -> Vec<Hog> {
    let value = |h: &Hog| value(h).unwrap_or(0.0);
    let mut ranked: Vec<&Hog> = hogs.iter().filter(|h| value(h) > 0.0).collect();
    ranked.sort_by(|a, b| value(b).total_cmp(&value(a)).then(a.index.cmp(&b.index)));
    ranked.into_iter().take(TOP_N).cloned().collect()
}

fn growing_prompts(context: &Context) -> Vec<GrowingPrompt> {
    let steps = &context.trace.steps;
    let mut loops: BTreeMap<(Option<usize>, Option<&str>), Vec<usize>> = BTreeMap::new();
    for (index, step) in steps.iter().enumerate() {
        if step.kind == StepKind::LlmCall && step.usage.input_tokens.unwrap_or(0) > 0 {
            let key = (context.task_of[index], step.agent_id.as_deref());
            loops.entry(key).or_default().push(index);
        }
    }
    let mut out = Vec::new();
    for ((task, agent_id), mut calls) in loops {
        calls.sort_by_key(|&i| (steps[i].start_ns.is_none(), steps[i].start_ns, i));
        // Only calls with a known input count are in `loops`.
        let input = |i: usize| steps[i].usage.input_tokens.unwrap_or(0);
        let mut run_start = 0;
        for end in 1..=calls.len() {
            let grows = end < calls.len() && input(calls[end]) > input(calls[end - 1]);
            if grows {
                continue;
            }
            let run = &calls[run_start..end];
            if run.len() >= MIN_GROWING_CALLS {
                let (first, last) = (input(run[0]), input(run[run.len() - 1]));
                out.push(GrowingPrompt {
                    steps: run.to_vec(),
                    task,
                    agent_id: agent_id.map(str::to_string),
                    first_input_tokens: first,
                    last_input_tokens: last,
                    growth_tokens: last.saturating_sub(first),
                    total_input_tokens: run.iter().map(|&i| input(i)).fold(0, u64::saturating_add),
                });
            }
            run_start = end;
        }
    }
    out.sort_by(|a, b| {
        b.growth_tokens
            .cmp(&a.growth_tokens)
            .then(a.steps.cmp(&b.steps))
    });
    out
}
