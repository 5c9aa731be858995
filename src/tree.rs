//! The step tree in reading order: depth-first, siblings by start time. Pure core.

use std::collections::HashMap;

use crate::model::Trace;

/// One line of the step list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepRow {
    /// Index into `trace.steps`.
    pub step: usize,
    pub depth: usize,
    pub child_count: usize,
}

/// Steps in depth-first order. Steps without a start keep their file order after
/// those with one, so a step with broken times is still listed.
pub fn step_rows(trace: &Trace) -> Vec<StepRow> {
    let index_of: HashMap<&str, usize> = trace
        .steps
        .iter()
        .enumerate()
        .map(|(index, step)| (step.id.as_str(), index))
        .collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); trace.steps.len()];
    let mut roots = Vec::new();
    for (index, step) in trace.steps.iter().enumerate() {
        match step.parent_id.as_deref().and_then(|id| index_of.get(id)) {
            Some(&parent) if parent != index => children[parent].push(index),
            _ => roots.push(index),
        }
    }
    let by_start = |index: &usize| {
        let start = trace.steps[*index].start_ns;
        (start.is_none(), start, *index)
    };
    roots.sort_by_key(by_start);
    for list in &mut children {
        list.sort_by_key(by_start);
    }

    let mut rows = Vec::with_capacity(trace.steps.len());
    // An explicit stack: traces can nest thousands deep, recursion could overflow.
    let mut stack: Vec<(usize, usize)> = roots.iter().rev().map(|&root| (root, 0)).collect();
    let mut visited = vec![false; trace.steps.len()];
    while let Some((index, depth)) = stack.pop() {
        // Importers break cycles, but a model built by hand might not have.
        if std::mem::replace(&mut visited[index], true) {
            continue;
        }
        rows.push(StepRow {
            step: index,
            depth,
            child_count: children[index].len(),
        });
        stack.extend(
            children[index]
                .iter()
                .rev()
                .map(|&child| (child, depth + 1)),
        );
    }
    rows
}
