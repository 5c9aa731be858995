//! Redundant work: repeated identical tool calls, retries, and LLM calls whose output was
//! not used. Pure core.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::model::{RawJson, Status, StepKind};

use super::failures::siblings;
use super::Context;

/// Calls of one tool with the same arguments.
#[derive(Clone, Debug, PartialEq)]
pub struct DuplicateCalls {
    pub tool: String,
    /// Every call with these arguments (two or more), in start order.
    pub steps: Vec<usize>,
    /// The calls made after an identical call had already succeeded: plain waste
    /// (a repeat after a failure is a retry, listed in `Redundant::retries`).
    pub after_success: Vec<usize>,
}

/// A failed step followed, under the same parent, by a step of the same kind and name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retry {
    pub failed: usize,
    pub retry: usize,
    /// The retry completed.
    pub succeeded: bool,
}

/// Why an LLM call's output counts as unused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnusedReason {
    /// The call is the last step of a task that failed: nothing consumed its answer.
    LastInFailedTask,
    /// The next LLM call under the same parent sent the very same input text, so this
    /// answer was thrown away and asked again. Holds that next call.
    AskedAgain(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnusedOutput {
    pub step: usize,
    pub reason: UnusedReason,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Redundant {
    /// By tool name, then first call.
    pub duplicate_calls: Vec<DuplicateCalls>,
    /// By the failed step's index.
    pub retries: Vec<Retry>,
    /// By step index.
    pub unused_outputs: Vec<UnusedOutput>,
}

pub fn redundant(context: &Context) -> Redundant {
    Redundant {
        duplicate_calls: duplicate_calls(context),
        retries: retries(context),
        unused_outputs: unused_outputs(context),
    }
}

/// Tool calls grouped by name and normalised input. Calls without an input are never
/// grouped: an argument-less tool (a clock, a queue) may rightly be called again.
pub fn duplicate_calls(context: &Context) -> Vec<DuplicateCalls> {
    let steps = &context.trace.steps;
    let mut groups: BTreeMap<(&str, String), Vec<usize>> = BTreeMap::new();
    for (index, step) in steps.iter().enumerate() {
        if step.kind != StepKind::ToolCall {
            continue;
        }
        if let Some(input) = &step.input {
            groups
                .entry((step.name.as_str(), normalised(input)))
                .or_default()
                .push(index);
        }
    }
    groups
        .into_iter()
        .filter(|(_, calls)| calls.len() > 1)
        .map(|((tool, _), mut calls)| {
            calls.sort_by_key(|&i| (steps[i].start_ns.is_none(), steps[i].start_ns, i));
            let mut succeeded_by: Option<i64> = None;
            let mut after_success = Vec::new();
            for &call in &calls {
                let step = &steps[call];
                if succeeded_by.is_some_and(|end| step.start_ns.is_none_or(|start| start >= end)) {
                    after_success.push(call);
                }
                if step.status == Status::Completed {
                    let end = step.end_ns.or(step.start_ns).unwrap_or(i64::MIN);
                    succeeded_by = Some(succeeded_by.map_or(end, |known| known.min(end)));
                }
            }
            DuplicateCalls {
                tool: tool.to_string(),
                steps: calls,
                after_success,
            }
        })
        .collect()
}

/// The input as canonical JSON: keys sorted, spacing dropped, and a JSON text held in a
/// string (as some frameworks write tool arguments) read as the value it holds.
pub fn normalised(input: &RawJson) -> String {
    let mut value = input.parse();
    if let Value::String(text) = &value {
        if let Ok(inner) = serde_json::from_str::<Value>(text) {
            value = inner;
        } else {
            value = Value::String(text.trim().to_string());
        }
    }
    let mut out = String::new();
    write_canonical(&value, &mut out);
    out
}

/// Writes JSON with object keys sorted, whatever order the map keeps them in.
fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by_key(|(key, _)| *key);
            out.push('{');
            for (position, (key, item)) in entries.into_iter().enumerate() {
                if position > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(item, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (position, item) in items.iter().enumerate() {
                if position > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

pub fn retries(context: &Context) -> Vec<Retry> {
    let steps = &context.trace.steps;
    let mut out = Vec::new();
    for (failed, step) in steps.iter().enumerate() {
        if step.status != Status::Failed {
            continue;
        }
        let siblings = siblings(context, failed);
        let retry = siblings
            .iter()
            .skip_while(|&&other| other != failed)
            .skip(1)
            .find(|&&other| steps[other].kind == step.kind && steps[other].name == step.name);
        if let Some(&retry) = retry {
            out.push(Retry {
                failed,
                retry,
                succeeded: steps[retry].status == Status::Completed,
            });
        }
    }
    out
}

pub fn unused_outputs(context: &Context) -> Vec<UnusedOutput> {
    let steps = &context.trace.steps;
    let mut out = Vec::new();
    // Asked again: consecutive LLM calls under one parent (for roots: in one task) with
    // identical input text. Texts are compared as written: parsing every prompt would
    // cost more than the rest of the insights, and one framework writes them alike.
    let parents = context
        .children
        .iter()
        .chain(std::iter::once(&context.roots));
    for family in parents {
        let calls: Vec<usize> = family
            .iter()
            .copied()
            .filter(|&i| steps[i].kind == StepKind::LlmCall)
            .collect();
        for pair in calls.windows(2) {
            let (a, b) = (&steps[pair[0]], &steps[pair[1]]);
            let same = a
                .input
                .as_ref()
                .zip(b.input.as_ref())
                .is_some_and(|(x, y)| x.text() == y.text());
            if same && context.task_of[pair[0]] == context.task_of[pair[1]] {
                out.push(UnusedOutput {
                    step: pair[0],
                    reason: UnusedReason::AskedAgain(pair[1]),
                });
            }
        }
    }
    // Last in a failed task: the final step, in reading order, of the task's steps.
    let mut last_of_task: Vec<Option<usize>> = vec![None; context.trace.tasks.len()];
    for row in &context.rows {
        if let Some(task) = context.task_of[row.step] {
            last_of_task[task] = Some(row.step);
        }
    }
    for (task, last) in last_of_task.into_iter().enumerate() {
        let failed = context.trace.tasks[task].status == Status::Failed;
        if let Some(step) = last.filter(|&s| failed && steps[s].kind == StepKind::LlmCall) {
            out.push(UnusedOutput {
                step,
                reason: UnusedReason::LastInFailedTask,
            });
        }
    }
    out.sort_by_key(|unused| unused.step);
    out.dedup_by_key(|unused| unused.step);
    out
}
