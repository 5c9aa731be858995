//! The agent graph: agents, tasks, tools and models as nodes, with edges for calls and
//! handoffs, derived from the step tree; and its layered layout. Pure core.
//!
//! Two modes: aggregated (one node per agent, tool or model, its calls summed) and
//! expanded (one node per call, in reading order). `derive` builds the graph, `layout`
//! places it; the overlays (critical path, heat) are read off the graph here, so the
//! view only draws.

use crate::metrics::{format_cost_tally, format_count_tally, format_duration_ns};
use crate::model::Tally;

pub mod derive;
pub mod layout;

pub use derive::derive;
pub use layout::{layout, Layout, NodeSize, Route};

/// Above this many nodes the expanded graph is not drawn: a wall of boxes answers none of
/// the graph's questions, and the aggregated graph or a subtree does.
pub const EXPANDED_MAX_NODES: usize = 1_500;

/// With more tasks than this the aggregated graph leaves tasks out: one node per task
/// would bury the few agents, tools and models it is there to show.
pub const AGGREGATED_MAX_TASKS: usize = 24;

/// Labels longer than this are cut with "…", so every node has the same width.
pub const LABEL_MAX_CHARS: usize = 22;

/// One node per agent, tool or model, or one per call.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GraphMode {
    #[default]
    Aggregated,
    Expanded,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeKind {
    Task,
    Agent,
    Model,
    Tool,
}

impl NodeKind {
    /// For CSS classes and tests.
    pub fn key(self) -> &'static str {
        match self {
            NodeKind::Task => "task",
            NodeKind::Agent => "agent",
            NodeKind::Model => "model",
            NodeKind::Tool => "tool",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    /// The source's step encloses the target's: an agent calling a model, a tool, another agent.
    Call,
    /// Work passed on: a task given an earlier task's output, or an agent followed by
    /// another under the same parent.
    Handoff,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    /// Cut to `LABEL_MAX_CHARS`.
    pub label: String,
    /// The node's steps (indices into `trace.steps`) in reading order; empty for a task
    /// node, which stands for a `trace.tasks` entry.
    pub steps: Vec<usize>,
    /// For a task node, its index into `trace.tasks`.
    pub task: Option<usize>,
    /// Failed steps of the node, and error steps directly under it.
    pub errors: u64,
    /// Known durations of its steps summed (the task's own for a task node); `None` when
    /// none is known.
    pub duration_ns: Option<i64>,
    /// Model calls' tokens and cost: a model node's own, an agent's calls' under it.
    pub tokens: Tally<u64>,
    pub cost_usd: Tally<f64>,
}

impl Node {
    /// "3 calls · 12.4 s": how often and how long.
    pub fn calls_line(&self) -> String {
        let calls = match self.kind {
            NodeKind::Task => None,
            _ => Some(crate::format::plural(self.steps.len(), "call")),
        };
        let time = self.duration_ns.map(format_duration_ns);
        [calls, time]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// "1,234 tokens · $0.04", or `None` for a node that made no model call: there the
    /// figures do not apply, which is not the same as unknown ("—").
    pub fn usage_line(&self) -> Option<String> {
        if self.tokens.known_parts + self.tokens.unknown_parts == 0 {
            return None;
        }
        Some(format!(
            "{} tok · {}",
            format_count_tally(&self.tokens),
            format_cost_tally(&self.cost_usd)
        ))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
    /// How many calls or handoffs it stands for (1 in the expanded graph).
    pub count: u64,
}

impl Edge {
    /// "×3" for a repeated call; drawn as a cycle back to the caller. `None` for one.
    pub fn count_label(&self) -> Option<String> {
        (self.count > 1).then(|| format!("×{}", crate::metrics::format_count(self.count)))
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Graph {
    pub mode: GraphMode,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// For each step, the node that shows it: its own, or for a step that is no call
    /// (reasoning, a tool result, a span) the node of the call or agent enclosing it.
    /// `NO_NODE` outside the graph.
    pub node_of_step: Vec<u32>,
    /// The trace has more than `AGGREGATED_MAX_TASKS` tasks, which the aggregated graph
    /// does not draw.
    pub tasks_left_out: bool,
    /// The expanded graph stopped at `EXPANDED_MAX_NODES`: it is not to be drawn.
    pub too_large: bool,
}

/// `Graph::node_of_step` for a step no node shows.
pub const NO_NODE: u32 = u32::MAX;

/// What the heat overlay colours nodes by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Heat {
    #[default]
    None,
    Time,
    Cost,
}

impl Heat {
    pub const ALL: [Heat; 3] = [Heat::None, Heat::Time, Heat::Cost];

    pub fn name(self) -> &'static str {
        match self {
            Heat::None => "none",
            Heat::Time => "time",
            Heat::Cost => "cost",
        }
    }

    pub fn from_name(name: &str) -> Heat {
        Heat::ALL
            .into_iter()
            .find(|heat| heat.name() == name)
            .unwrap_or_default()
    }
}

/// Heat levels run 0..=HEAT_LEVELS; a node without the figure has no level.
pub const HEAT_LEVELS: u8 = 4;

impl Graph {
    /// The node showing `step`, if any.
    pub fn node_of(&self, step: usize) -> Option<usize> {
        self.node_of_step
            .get(step)
            .filter(|&&node| node != NO_NODE)
            .map(|&node| node as usize)
    }

    /// Edges as (from, to) pairs, for `layout`.
    pub fn edge_pairs(&self) -> Vec<(usize, usize)> {
        self.edges.iter().map(|edge| (edge.from, edge.to)).collect()
    }

    /// Which nodes and edges the critical path (`path_steps`) runs through: a node showing
    /// a step of the path, and a call between two such nodes.
    pub fn on_path(&self, path_steps: &[usize]) -> (Vec<bool>, Vec<bool>) {
        let mut nodes = vec![false; self.nodes.len()];
        for &step in path_steps {
            if let Some(node) = self.node_of(step) {
                nodes[node] = true;
            }
        }
        let edges = self
            .edges
            .iter()
            .map(|edge| edge.kind == EdgeKind::Call && nodes[edge.from] && nodes[edge.to])
            .collect();
        (nodes, edges)
    }

    /// Each node's heat level in 0..=`HEAT_LEVELS`, relative to the hottest node; `None`
    /// where the figure is unknown (or for `Heat::None`). Levels rather than a gradient,
    /// so the colours come from the theme.
    pub fn heat(&self, heat: Heat) -> Vec<Option<u8>> {
        let figure = |node: &Node| -> Option<f64> {
            match heat {
                Heat::None => None,
                Heat::Time => node.duration_ns.map(|ns| ns as f64),
                // An agent's cost repeats its model calls', so only models are compared.
                Heat::Cost if node.kind == NodeKind::Model => node.cost_usd.value(),
                Heat::Cost => None,
            }
        };
        let figures: Vec<Option<f64>> = self.nodes.iter().map(figure).collect();
        let hottest = figures.iter().flatten().fold(0.0_f64, |max, &v| max.max(v));
        figures
            .into_iter()
            .map(|value| {
                let value = value?;
                let share = if hottest > 0.0 { value / hottest } else { 0.0 };
                Some((share * f64::from(HEAT_LEVELS)).round() as u8)
            })
            .collect()
    }
}

/// The pan and zoom of a drawn graph: a point (x, y) of the layout is drawn at
/// (x·scale + x_offset, y·scale + y_offset). Moving it never lays the graph out again.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    pub x_offset: f64,
    pub y_offset: f64,
    pub scale: f64,
}

impl Default for Viewport {
    fn default() -> Viewport {
        Viewport {
            x_offset: 0.0,
            y_offset: 0.0,
            scale: 1.0,
        }
    }
}

impl Viewport {
    pub const MIN_SCALE: f64 = 0.1;
    pub const MAX_SCALE: f64 = 4.0;

    /// Zoomed by `factor` about `at` (in drawing units), which stays where it is.
    pub fn zoomed(self, factor: f64, at: (f64, f64)) -> Viewport {
        let scale = (self.scale * factor).clamp(Viewport::MIN_SCALE, Viewport::MAX_SCALE);
        let applied = scale / self.scale;
        Viewport {
            x_offset: at.0 - (at.0 - self.x_offset) * applied,
            y_offset: at.1 - (at.1 - self.y_offset) * applied,
            scale,
        }
    }

    pub fn panned(self, dx: f64, dy: f64) -> Viewport {
        Viewport {
            x_offset: self.x_offset + dx,
            y_offset: self.y_offset + dy,
            ..self
        }
    }

    /// The SVG `transform` attribute.
    pub fn transform(&self) -> String {
        format!(
            "translate({:.1} {:.1}) scale({:.3})",
            self.x_offset, self.y_offset, self.scale
        )
    }
}

/// `text` cut to `LABEL_MAX_CHARS` characters, "…" marking the cut.
pub(crate) fn short_label(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(LABEL_MAX_CHARS).collect();
    if chars.next().is_some() {
        let cut: String = head.chars().take(LABEL_MAX_CHARS - 1).collect();
        format!("{cut}…")
    } else {
        head
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_cut_with_an_ellipsis() {
        assert_eq!(short_label("web_search"), "web_search");
        let long = "a".repeat(LABEL_MAX_CHARS + 5);
        let cut = short_label(&long);
        assert_eq!(cut.chars().count(), LABEL_MAX_CHARS);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn zooming_keeps_the_point_under_the_cursor() {
        let view = Viewport::default().panned(10.0, 20.0);
        let at = (110.0, 70.0);
        let zoomed = view.zoomed(2.0, at);
        assert_eq!(zoomed.scale, 2.0);
        // The layout point under `at` before (100, 50) is still under it.
        let layout_point = (
            (at.0 - view.x_offset) / view.scale,
            (at.1 - view.y_offset) / view.scale,
        );
        let drawn = (
            layout_point.0 * zoomed.scale + zoomed.x_offset,
            layout_point.1 * zoomed.scale + zoomed.y_offset,
        );
        assert_eq!(drawn, at);
        let far = zoomed.zoomed(1e6, at);
        assert_eq!(far.scale, Viewport::MAX_SCALE);
    }

    #[test]
    fn heat_levels_are_relative_and_unknown_has_none() {
        let node = |duration_ns| Node {
            kind: NodeKind::Tool,
            label: String::new(),
            steps: Vec::new(),
            task: None,
            errors: 0,
            duration_ns,
            tokens: Tally::default(),
            cost_usd: Tally::default(),
        };
        let graph = Graph {
            nodes: vec![node(Some(100)), node(Some(50)), node(None)],
            ..Graph::default()
        };
        assert_eq!(graph.heat(Heat::Time), [Some(4), Some(2), None]);
        assert_eq!(graph.heat(Heat::None), [None, None, None]);
    }
}
