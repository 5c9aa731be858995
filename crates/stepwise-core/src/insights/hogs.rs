//! Token hogs: the calls and tasks with the largest token and cost shares, and prompts
//! that grow call after call in a loop. Pure core.

use std::collections::BTreeMap;

use crate::metrics::task_figures;
use crate::model::StepKind;

use super::{llm_cost_usd, llm_tokens, share, Context};

/// Entries each top list keeps.
pub const TOP_N: usize = 5;
/// Consecutive calls whose prompts must grow before it is reported.
pub const MIN_GROWING_CALLS: usize = 4;

/// One call or task and its share of the trace's LLM tokens and cost.
#[derive(Clone, Debug, PartialEq)]
pub struct Hog {
    /// Index into `trace.steps` (calls) or `trace.tasks` (tasks).
    pub index: usize,
    pub tokens: u64,
    pub cost_usd: f64,
    /// Of all LLM calls' tokens, in 0..=1.
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
    /// Totals over LLM calls, the denominators of the shares (as `metrics::summarize`).
    pub total_tokens: u64,
    pub total_cost_usd: f64,
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
    let total_tokens: u64 = steps.iter().map(llm_tokens).fold(0, u64::saturating_add);
    let total_cost_usd: f64 = steps.iter().map(llm_cost_usd).sum();
    let hog = |index: usize, tokens: u64, cost_usd: f64| Hog {
        index,
        tokens,
        cost_usd,
        token_share: share(tokens as f64, total_tokens as f64),
        cost_share: share(cost_usd, total_cost_usd),
    };
    let calls: Vec<Hog> = steps
        .iter()
        .enumerate()
        .filter(|(_, step)| step.kind == StepKind::LlmCall)
        .map(|(index, step)| hog(index, llm_tokens(step), llm_cost_usd(step)))
        .collect();
    let tasks: Vec<Hog> = task_figures(context.trace)
        .iter()
        .map(|row| hog(row.task, row.total_tokens, row.cost_usd))
        .collect();
    TokenHogs {
        total_tokens,
        total_cost_usd,
        calls_by_tokens: top(&calls, |h| h.tokens as f64),
        calls_by_cost: top(&calls, |h| h.cost_usd),
        tasks_by_tokens: top(&tasks, |h| h.tokens as f64),
        tasks_by_cost: top(&tasks, |h| h.cost_usd),
        growing_prompts: growing_prompts(context),
    }
}

/// The `TOP_N` largest by `value`, above zero; ties keep index order.
fn top(hogs: &[Hog], value: impl Fn(&Hog) -> f64) -> Vec<Hog> {
    let mut ranked: Vec<&Hog> = hogs.iter().filter(|h| value(h) > 0.0).collect();
    ranked.sort_by(|a, b| value(b).total_cmp(&value(a)).then(a.index.cmp(&b.index)));
    ranked.into_iter().take(TOP_N).cloned().collect()
}

fn growing_prompts(context: &Context) -> Vec<GrowingPrompt> {
    let steps = &context.trace.steps;
    let mut loops: BTreeMap<(Option<usize>, Option<&str>), Vec<usize>> = BTreeMap::new();
    for (index, step) in steps.iter().enumerate() {
        if step.kind == StepKind::LlmCall && step.usage.input_tokens > 0 {
            let key = (context.task_of[index], step.agent_id.as_deref());
            loops.entry(key).or_default().push(index);
        }
    }
    let mut out = Vec::new();
    for ((task, agent_id), mut calls) in loops {
        calls.sort_by_key(|&i| (steps[i].start_ns.is_none(), steps[i].start_ns, i));
        let input = |i: usize| steps[i].usage.input_tokens;
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
