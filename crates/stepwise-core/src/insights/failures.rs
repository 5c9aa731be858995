//! Failures: failed tasks, tool and LLM errors, the first error and its cause chain. Pure core.

use crate::model::{Status, StepKind};

use super::Context;

/// Where a trace went wrong. Every list is in start-time order (steps without a start last).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Failures {
    pub failed_tasks: Vec<FailedTask>,
    /// Failed tool calls and tool results.
    pub tool_errors: Vec<usize>,
    /// Failed LLM calls.
    pub llm_errors: Vec<usize>,
    /// Error steps and other failed steps (reasoning, agent spans, …).
    pub other_errors: Vec<usize>,
    /// Errors a later sibling of the same kind and name retried successfully.
    pub recovered: Vec<usize>,
    /// The earliest error that was not recovered (the earliest of all when every error
    /// was): the one to read first when asking why a run failed.
    pub first_error: Option<ErrorChain>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FailedTask {
    /// Index into `trace.tasks`.
    pub task: usize,
    /// The task's error steps, in start-time order.
    pub errors: Vec<usize>,
    /// The task's earliest unrecovered error (earliest of all if all were recovered);
    /// `None` when the task failed without any failed step.
    pub cause: Option<ErrorChain>,
}

/// One error step and what surrounds it.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorChain {
    /// The error step.
    pub step: usize,
    /// Its task, when it names one.
    pub task: Option<usize>,
    /// The steps above it, nearest first, up to a root of the step tree.
    pub ancestors: Vec<usize>,
    /// What it reports on, nearest first: for a tool result, the tool call it answers;
    /// for any error, the failed siblings before it (a retried call's earlier attempts,
    /// the tool call an error step gives up on).
    pub caused_by: Vec<usize>,
    /// A later sibling of the same kind and name succeeded.
    pub recovered: bool,
}

/// The same rule as `metrics::summarize`'s error count.
pub fn is_error(context: &Context, step: usize) -> bool {
    let step = &context.trace.steps[step];
    step.status == Status::Failed || step.kind == StepKind::Error
}

pub fn failures(context: &Context) -> Failures {
    let steps = &context.trace.steps;
    let mut errors: Vec<usize> = (0..steps.len()).filter(|&i| is_error(context, i)).collect();
    errors.sort_by_key(|&i| (steps[i].start_ns.is_none(), steps[i].start_ns, i));
    let recovered_flags: Vec<bool> = errors.iter().map(|&i| recovered(context, i)).collect();
    let mut out = Failures::default();
    for (&step, &was_recovered) in errors.iter().zip(&recovered_flags) {
        match steps[step].kind {
            StepKind::ToolCall | StepKind::ToolResult => out.tool_errors.push(step),
            StepKind::LlmCall => out.llm_errors.push(step),
            _ => out.other_errors.push(step),
        }
        if was_recovered {
            out.recovered.push(step);
        }
    }
    out.first_error = cause(context, &errors, &recovered_flags);
    out.failed_tasks = context
        .trace
        .tasks
        .iter()
        .enumerate()
        .filter(|(_, task)| task.status == Status::Failed)
        .map(|(task, _)| {
            let (task_errors, flags): (Vec<usize>, Vec<bool>) = errors
                .iter()
                .zip(&recovered_flags)
                .filter(|(&step, _)| context.task_of[step] == Some(task))
                .map(|(&step, &flag)| (step, flag))
                .unzip();
            FailedTask {
                task,
                cause: cause(context, &task_errors, &flags),
                errors: task_errors,
            }
        })
        .collect();
    out
}

/// The first unrecovered error of `errors` (already in start order), else the first.
fn cause(context: &Context, errors: &[usize], recovered: &[bool]) -> Option<ErrorChain> {
    let first = errors
        .iter()
        .zip(recovered)
        .find(|(_, &flag)| !flag)
        .map(|(&step, _)| step)
        .or_else(|| errors.first().copied())?;
    Some(chain(context, first))
}

/// The error at `step` with its ancestors and the failed steps it reports on.
pub fn chain(context: &Context, step: usize) -> ErrorChain {
    let steps = &context.trace.steps;
    let mut caused_by = Vec::new();
    if steps[step].kind == StepKind::ToolResult {
        if let Some(call) = steps[step]
            .result_of
            .as_deref()
            .and_then(|id| context.step_at(id))
        {
            caused_by.push(call);
        }
    }
    let siblings = siblings(context, step);
    let before = siblings.iter().take_while(|&&other| other != step);
    let mut earlier: Vec<usize> = before
        .filter(|&&other| steps[other].status == Status::Failed && !caused_by.contains(&other))
        .copied()
        .collect();
    earlier.reverse();
    caused_by.extend(earlier);
    ErrorChain {
        step,
        task: context.task_of[step],
        ancestors: context.ancestors(step),
        caused_by,
        recovered: recovered(context, step),
    }
}

/// A later sibling with the same kind and name completed.
fn recovered(context: &Context, step: usize) -> bool {
    let steps = &context.trace.steps;
    let failed = &steps[step];
    siblings(context, step)
        .iter()
        .skip_while(|&&other| other != step)
        .skip(1)
        .any(|&other| {
            let later = &steps[other];
            later.kind == failed.kind
                && later.name == failed.name
                && later.status == Status::Completed
        })
}

/// The step's parent's children (or, for a root, the roots of the same task), in
/// reading order.
pub fn siblings(context: &Context, step: usize) -> Vec<usize> {
    match context.parent[step] {
        Some(parent) => context.children[parent].clone(),
        None => context
            .roots
            .iter()
            .filter(|&&root| context.task_of[root] == context.task_of[step])
            .copied()
            .collect(),
    }
}
