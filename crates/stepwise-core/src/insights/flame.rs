//! The flame (icicle) chart: trace → task → agent → step tree, weighted by cost or
//! tokens, as nodes with x-offsets and widths in fractions of the whole. Pure core.
//!
//! Only LLM calls carry weight (a parent span that repeats its child's usage would count
//! it twice), so a node's value is the sum of the LLM calls beneath it. Nodes worth
//! nothing are left out; a view draws each node as a box at `x`, `width` wide, on row
//! `depth`, without any arithmetic of its own.

use crate::model::Trace;

use super::{llm_cost_usd, llm_tokens, Context};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlameWeight {
    CostUsd,
    Tokens,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FlameNodeKind {
    Trace,
    /// Index into `trace.tasks`.
    Task(usize),
    /// The steps that name no task.
    NoTask,
    /// The steps of one agent (by id; `None`: no agent) at the top of a task.
    Agent(Option<String>),
    /// Index into `trace.steps`.
    Step(usize),
}

#[derive(Clone, Debug, PartialEq)]
pub struct FlameNode {
    pub kind: FlameNodeKind,
    /// 0 for the trace, 1 for tasks, 2 for agents, 3 and deeper for steps.
    pub depth: usize,
    /// Left edge, as a fraction of the trace's width (0..1).
    pub x: f64,
    /// Width, as a fraction of the trace's width (0..=1).
    pub width: f64,
    /// Dollars or tokens beneath the node.
    pub value: f64,
    /// Index of the parent node in the returned list.
    pub parent: Option<usize>,
}

/// The nodes in pre-order (a parent before its children, children left to right).
/// A trace worth nothing gives the trace node alone, full width, value zero.
pub fn flame(trace: &Trace, weight: FlameWeight) -> Vec<FlameNode> {
    flame_in(&Context::new(trace), weight)
}

/// `flame`, on a context the caller has built (with the step tree it already had).
pub fn flame_in(context: &Context, weight: FlameWeight) -> Vec<FlameNode> {
    let trace = context.trace;
    let totals = subtree_totals(context, weight);
    let grand: f64 = context.roots.iter().map(|&root| totals[root]).sum();
    let mut nodes = vec![FlameNode {
        kind: FlameNodeKind::Trace,
        depth: 0,
        x: 0.0,
        width: 1.0,
        value: grand,
        parent: None,
    }];
    if grand <= 0.0 {
        return nodes;
    }
    // One slot per task, the last for the steps without one.
    let mut by_task: Vec<Vec<usize>> = vec![Vec::new(); trace.tasks.len() + 1];
    for &root in &context.roots {
        let slot = context.task_of[root].unwrap_or(trace.tasks.len());
        by_task[slot].push(root);
    }
    let mut x = 0.0;
    for (slot, roots) in by_task.iter().enumerate() {
        let value: f64 = roots.iter().map(|&root| totals[root]).sum();
        if value <= 0.0 {
            continue;
        }
        let kind = if slot < trace.tasks.len() {
            FlameNodeKind::Task(slot)
        } else {
            FlameNodeKind::NoTask
        };
        let task_node = push(&mut nodes, kind, 1, x, value, grand, Some(0));
        let mut agent_x = x;
        for (agent, steps) in by_agent(context, roots) {
            let value: f64 = steps.iter().map(|&step| totals[step]).sum();
            if value <= 0.0 {
                continue;
            }
            let agent_node = push(
                &mut nodes,
                FlameNodeKind::Agent(agent),
                2,
                agent_x,
                value,
                grand,
                Some(task_node),
            );
            let mut step_x = agent_x;
            for step in steps {
                subtree(
                    &mut nodes,
                    context,
                    &totals,
                    grand,
                    (step, step_x, agent_node),
                );
                step_x += totals[step] / grand;
            }
            agent_x += value / grand;
        }
        x += value / grand;
    }
    nodes
}

/// Each step's own weight plus its descendants'.
fn subtree_totals(context: &Context, weight: FlameWeight) -> Vec<f64> {
    let mut totals: Vec<f64> = context
        .trace
        .steps
        .iter()
        .map(|step| match weight {
            FlameWeight::CostUsd => llm_cost_usd(step),
            FlameWeight::Tokens => llm_tokens(step) as f64,
        })
        .collect();
    // Rows list a parent before its descendants: going backwards adds children first.
    for row in context.rows.iter().rev() {
        if let Some(parent) = context.parent[row.step] {
            totals[parent] += totals[row.step];
        }
    }
    totals
}

/// Top steps grouped by agent, in order of each agent's first step.
fn by_agent(context: &Context, roots: &[usize]) -> Vec<(Option<String>, Vec<usize>)> {
    let mut groups: Vec<(Option<String>, Vec<usize>)> = Vec::new();
    for &root in roots {
        let agent = context.trace.steps[root].agent_id.clone();
        match groups.iter_mut().find(|(known, _)| *known == agent) {
            Some((_, steps)) => steps.push(root),
            None => groups.push((agent, vec![root])),
        }
    }
    groups
}

fn push(
    nodes: &mut Vec<FlameNode>,
    kind: FlameNodeKind,
    depth: usize,
    x: f64,
    value: f64,
    grand: f64,
    parent: Option<usize>,
) -> usize {
    nodes.push(FlameNode {
        kind,
        depth,
        x,
        width: value / grand,
        value,
        parent,
    });
    nodes.len() - 1
}

/// Pushes the step subtree at `(step, x, parent node)`, depth 3 and below.
fn subtree(
    nodes: &mut Vec<FlameNode>,
    context: &Context,
    totals: &[f64],
    grand: f64,
    top: (usize, f64, usize),
) {
    // An explicit stack: step trees can nest thousands deep.
    let mut stack = vec![(top.0, 3usize, top.1, top.2)];
    while let Some((step, depth, x, parent)) = stack.pop() {
        if totals[step] <= 0.0 {
            continue;
        }
        let node = push(
            nodes,
            FlameNodeKind::Step(step),
            depth,
            x,
            totals[step],
            grand,
            Some(parent),
        );
        let mut child_x = x;
        let mut children = Vec::new();
        for &child in &context.children[step] {
            children.push((child, depth + 1, child_x, node));
            child_x += totals[child] / grand;
        }
        stack.extend(children.into_iter().rev());
    }
}

/// The nodes worth drawing on a chart `plot_px` wide: at least `min_px` wide and at most
/// `max_depth` deep, as indices in pre-order. A child is never wider than its parent, so
/// every kept node's parent is kept too; a 100k-step trace shrinks to what can be seen.
pub fn visible_nodes(
    nodes: &[FlameNode],
    plot_px: f64,
    min_px: f64,
    max_depth: usize,
) -> Vec<usize> {
    nodes
        .iter()
        .enumerate()
        .filter(|(_, node)| node.depth <= max_depth && node.width * plot_px >= min_px)
        .map(|(index, _)| index)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(depth: usize, x: f64, width: f64, parent: Option<usize>) -> FlameNode {
        FlameNode {
            kind: FlameNodeKind::Trace,
            depth,
            x,
            width,
            value: width,
            parent,
        }
    }

    #[test]
    fn narrow_and_deep_nodes_are_not_drawn() {
        let nodes = [
            node(0, 0.0, 1.0, None),
            node(1, 0.0, 0.999, Some(0)),
            node(1, 0.999, 0.001, Some(0)),
            node(2, 0.0, 0.5, Some(1)),
            node(3, 0.0, 0.5, Some(3)),
        ];
        // 1000 px: the 0.1% node is 1 px, under the 2 px minimum.
        assert_eq!(visible_nodes(&nodes, 1000.0, 2.0, 2), [0, 1, 3]);
        assert_eq!(visible_nodes(&nodes, 4000.0, 2.0, 8), [0, 1, 2, 3, 4]);
    }
}
