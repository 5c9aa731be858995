//! The agent graph read off the step tree in one pass: O(steps), and in the aggregated
//! mode no string built per step (only one label per node). Pure core.
//!
//! A step is a node of its own when it is a call: an agent, a task step, a model call
//! (LLM, embedding) or a tool call (also retrieval and reranking). Other steps (reasoning,
//! tool results, spans) are not nodes; their children attach to the nearest call above
//! them, or, with none, to the step's task. So a call edge runs from the nearest
//! enclosing call to each call, and a span of plumbing between them drops out.

use crate::fast_hash::{map_with_capacity, HashMap};
use crate::insights::add_llm_figures;
use crate::model::{Status, StepKind, Trace};
use crate::tree::StepRow;

use super::{
    short_label, Edge, EdgeKind, Graph, GraphMode, Node, NodeKind, AGGREGATED_MAX_TASKS,
    EXPANDED_MAX_NODES, NO_NODE,
};

/// What a step stands for in the graph, with the name that groups it when aggregated.
fn actor(trace: &Trace, step: usize, task: Option<usize>) -> Option<(NodeKind, &str)> {
    let step = &trace.steps[step];
    match step.kind {
        StepKind::Agent => Some((
            NodeKind::Agent,
            step.agent_id.as_deref().unwrap_or(&step.name),
        )),
        StepKind::Task => Some((
            NodeKind::Task,
            task.map_or(step.name.as_str(), |task| trace.tasks[task].id.as_str()),
        )),
        StepKind::LlmCall | StepKind::Embedding => {
            Some((NodeKind::Model, step.model.as_deref().unwrap_or(&step.name)))
        }
        StepKind::ToolCall | StepKind::Retrieval | StepKind::Reranker => {
            Some((NodeKind::Tool, step.name.as_str()))
        }
        _ => None,
    }
}

/// The graph of `trace`, or of the subtree of step `root` when given. `rows` is the
/// step tree (`tree::step_rows`).
pub fn derive(trace: &Trace, rows: &[StepRow], root: Option<usize>, mode: GraphMode) -> Graph {
    let rows = subtree(rows, root);
    let links = trace.links();
    let mut build = Builder {
        trace,
        mode,
        graph: Graph {
            mode,
            node_of_step: vec![NO_NODE; trace.steps.len()],
            tasks_left_out: mode == GraphMode::Aggregated
                && trace.tasks.len() > AGGREGATED_MAX_TASKS,
            ..Graph::default()
        },
        by_key: HashMap::default(),
        task_node: vec![None; trace.tasks.len()],
        edge_at: map_with_capacity(64),
    };
    let base_depth = rows.first().map_or(0, |row| row.depth);
    // Per depth of the open path through the tree: the nearest node (its own or above),
    // the nearest agent node, and the last agent among the children seen so far with the
    // node they were under (for handoffs between siblings).
    let mut context: Vec<Option<usize>> = Vec::new();
    let mut agent: Vec<Option<usize>> = Vec::new();
    let mut last_agent_child: Vec<Option<(usize, Option<usize>)>> = vec![None];
    for row in rows {
        if build.graph.too_large {
            break;
        }
        let depth = row.depth - base_depth;
        context.truncate(depth);
        agent.truncate(depth);
        last_agent_child.truncate(depth + 1);
        let step = &trace.steps[row.step];
        let task = links.task.get(row.step).copied().flatten();
        let above = context.last().copied().flatten();
        // Steps under no call hang from their task, when they name one.
        let outer = above.or_else(|| task.and_then(|task| build.task_node(task)));
        let own = actor(trace, row.step, task).and_then(|(kind, key)| match (kind, task) {
            // A task step stands for its task: one node, whichever is met first.
            (NodeKind::Task, Some(task)) => build.task_node(task),
            _ => Some(build.node(kind, key, row.step)),
        });
        if let Some(node) = own {
            build.add_step(node, row.step);
            // An agent inside itself is a loop worth drawing; a task step under its own
            // task is the same thing twice.
            let is_task = build.graph.nodes[node].kind == NodeKind::Task;
            if let Some(outer) = outer.filter(|&outer| outer != node || !is_task) {
                build.edge(outer, node, EdgeKind::Call);
            }
            if build.graph.nodes[node].kind == NodeKind::Agent {
                if let Some((previous, under)) = last_agent_child[depth] {
                    if previous != node && under == outer {
                        build.edge(previous, node, EdgeKind::Handoff);
                    }
                }
                last_agent_child[depth] = Some((node, outer));
            }
        } else if step.kind == StepKind::Error {
            if let Some(outer) = outer {
                build.graph.nodes[outer].errors += 1;
            }
        }
        if step.kind.is_model_call() {
            let owner = agent.last().copied().flatten();
            for node in [own, owner.filter(|&owner| Some(owner) != own)]
                .into_iter()
                .flatten()
            {
                let node = &mut build.graph.nodes[node];
                add_llm_figures(step, &mut node.tokens, &mut node.cost_usd);
            }
        }
        let shown = own.or(outer);
        build.graph.node_of_step[row.step] = shown.map_or(NO_NODE, |node| node as u32);
        context.push(own.or(above));
        let is_agent = own.is_some_and(|node| build.graph.nodes[node].kind == NodeKind::Agent);
        agent.push(if is_agent {
            own
        } else {
            agent.last().copied().flatten()
        });
        last_agent_child.push(None);
    }
    build.task_handoffs();
    build.graph
}

/// The rows of `root`'s subtree (all rows without a root): a contiguous run in
/// depth-first order.
fn subtree(rows: &[StepRow], root: Option<usize>) -> &[StepRow] {
    let Some(root) = root else {
        return rows;
    };
    let Some(start) = rows.iter().position(|row| row.step == root) else {
        return &[];
    };
    let depth = rows[start].depth;
    let end = rows[start + 1..]
        .iter()
        .position(|row| row.depth <= depth)
        .map_or(rows.len(), |offset| start + 1 + offset);
    &rows[start..end]
}

struct Builder<'a> {
    trace: &'a Trace,
    mode: GraphMode,
    graph: Graph,
    /// Aggregated nodes by kind and name.
    by_key: HashMap<(NodeKind, &'a str), usize>,
    /// The node of each of `trace.tasks`, once one is made.
    task_node: Vec<Option<usize>>,
    edge_at: HashMap<(usize, usize, EdgeKind), usize>,
}

impl<'a> Builder<'a> {
    /// The node for a call: the one of its name when aggregated, a new one when expanded.
    fn node(&mut self, kind: NodeKind, key: &'a str, step: usize) -> usize {
        if self.mode == GraphMode::Aggregated {
            if let Some(&node) = self.by_key.get(&(kind, key)) {
                return node;
            }
        }
        let label = match kind {
            NodeKind::Agent => self
                .trace
                .agent(key)
                .map_or(self.trace.steps[step].name.as_str(), |agent| {
                    agent.role.as_str()
                }),
            NodeKind::Task => self
                .trace
                .task(key)
                .map_or(self.trace.steps[step].name.as_str(), |task| {
                    task.name.as_str()
                }),
            NodeKind::Model | NodeKind::Tool => key,
        };
        let node = self.push(kind, label, None);
        if self.mode == GraphMode::Aggregated {
            self.by_key.insert((kind, key), node);
        }
        node
    }

    /// The node standing for `trace.tasks[task]`, made on first use; none when the
    /// aggregated graph leaves tasks out.
    fn task_node(&mut self, task: usize) -> Option<usize> {
        if self.graph.tasks_left_out {
            return None;
        }
        if let Some(node) = self.task_node[task] {
            return Some(node);
        }
        let (trace, record) = (self.trace, &self.trace.tasks[task]);
        let node = self.push(NodeKind::Task, &record.name, Some(task));
        let node_record = &mut self.graph.nodes[node];
        node_record.duration_ns = record
            .end_ns
            .zip(record.start_ns)
            .map(|(end, start)| end.saturating_sub(start));
        node_record.errors = u64::from(record.status == Status::Failed);
        if self.mode == GraphMode::Aggregated {
            self.by_key
                .insert((NodeKind::Task, trace.tasks[task].id.as_str()), node);
        }
        self.task_node[task] = Some(node);
        Some(node)
    }

    fn push(&mut self, kind: NodeKind, label: &str, task: Option<usize>) -> usize {
        self.graph.nodes.push(Node {
            kind,
            label: short_label(label),
            steps: Vec::new(),
            task,
            errors: 0,
            duration_ns: None,
            tokens: Default::default(),
            cost_usd: Default::default(),
        });
        if self.mode == GraphMode::Expanded && self.graph.nodes.len() > EXPANDED_MAX_NODES {
            self.graph.too_large = true;
        }
        self.graph.nodes.len() - 1
    }

    fn add_step(&mut self, node: usize, step: usize) {
        let step_record = &self.trace.steps[step];
        let node = &mut self.graph.nodes[node];
        node.steps.push(step);
        // A task node has its task's own times and status.
        if node.task.is_some() {
            return;
        }
        if step_record.status == Status::Failed {
            node.errors += 1;
        }
        if let Some(duration_ns) = step_record.duration_ns() {
            node.duration_ns = Some(node.duration_ns.unwrap_or(0).saturating_add(duration_ns));
        }
    }

    fn edge(&mut self, from: usize, to: usize, kind: EdgeKind) {
        if self.mode == GraphMode::Aggregated {
            if let Some(&edge) = self.edge_at.get(&(from, to, kind)) {
                self.graph.edges[edge].count += 1;
                return;
            }
            self.edge_at
                .insert((from, to, kind), self.graph.edges.len());
        }
        self.graph.edges.push(Edge {
            from,
            to,
            kind,
            count: 1,
        });
    }

    /// A task that received earlier tasks' output as context is handed off from them.
    fn task_handoffs(&mut self) {
        let trace = self.trace;
        if trace.tasks.is_empty() || self.task_node.iter().all(Option::is_none) {
            return;
        }
        let mut task_at: HashMap<&str, usize> = map_with_capacity(trace.tasks.len());
        for (index, task) in trace.tasks.iter().enumerate() {
            task_at.insert(task.id.as_str(), index);
        }
        for (index, task) in trace.tasks.iter().enumerate() {
            let Some(to) = self.task_node[index] else {
                continue;
            };
            for id in &task.context_task_ids {
                let from = task_at.get(id.as_str()).and_then(|&at| self.task_node[at]);
                if let Some(from) = from.filter(|&from| from != to) {
                    self.edge(from, to, EdgeKind::Handoff);
                }
            }
        }
    }
}
