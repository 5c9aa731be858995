//! The agent graph view: agents, tasks, tools and models with their calls and handoffs, aggregated or one node per call, with error, critical-path and heat overlays. Component layer: uses components, state, I/O and the core.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;

use crate::components::insights::InsightsState;
use crate::state::notes::PageNotes;
use crate::state::view::ViewState;
use stepwise_core::graph::{derive, layout, Graph, GraphMode, Heat, Layout, NodeSize};
use stepwise_core::model::Trace;
use stepwise_core::timeline::notes::annotated_steps;
use stepwise_core::tree::StepRow;
use stepwise_core::view_query::Selection;

mod canvas;
mod shapes;
mod toolbar;

/// Every node's box; labels are cut to fit its width (`graph::LABEL_MAX_CHARS`).
pub const NODE_SIZE: NodeSize = NodeSize {
    width: 184.0,
    height: 62.0,
    gap: 20.0,
    layer_gap: 64.0,
};

/// A graph and where its nodes go; no layout for an expanded graph too large to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct Drawn {
    pub graph: Graph,
    pub layout: Option<Layout>,
}

/// What the graph's parts share: the derived graph, the selection and the overlays.
#[derive(Clone, Copy)]
pub struct GraphContext {
    pub drawn: Memo<Arc<Drawn>>,
    /// The selected step, as an index into `trace.steps`.
    pub selected_step: Memo<Option<usize>>,
    pub heat: RwSignal<Heat>,
    /// Each node's heat level under `heat`.
    pub heat_levels: Memo<Vec<Option<u8>>>,
    /// Nodes and edges on the critical path, while it is shown.
    pub path: Memo<Option<(Vec<bool>, Vec<bool>)>>,
    pub trace: StoredValue<Arc<Trace>>,
    /// The labels of the annotations on each node's steps, by node.
    pub node_notes: Memo<Arc<HashMap<usize, Vec<String>>>>,
}

impl GraphContext {
    /// Selects what `node` stands for: its `at`-th step, or its task when it has none.
    pub fn select_node(&self, state: ViewState, node: usize, at: usize) {
        let drawn = self.drawn.get_untracked();
        let Some(record) = drawn.graph.nodes.get(node) else {
            return;
        };
        let trace = self.trace.get_value();
        let selection = match (record.steps.get(at), record.task) {
            (Some(&step), _) => Selection::Step(trace.steps[step].id.clone()),
            (None, Some(task)) => Selection::Task(trace.tasks[task].id.clone()),
            (None, None) => return,
        };
        state.select(Some(selection));
    }
}

#[component]
pub fn AgentGraph(trace: Arc<Trace>, rows: Arc<Vec<StepRow>>) -> impl IntoView {
    let state = expect_context::<ViewState>();
    let insights = use_context::<InsightsState>();
    let stored_trace = StoredValue::new(trace.clone());
    // Only these two change the graph: a new selection must not derive it again.
    let root = Memo::new(move |_| state.query.read().root.clone());
    let expanded = Memo::new(move |_| state.query.read().graph_expanded);
    let drawn = Memo::new(move |_| {
        let trace = stored_trace.get_value();
        let root = root
            .read()
            .as_deref()
            .and_then(|id| trace.steps.iter().position(|step| step.id == id));
        let mode = if expanded.get() {
            GraphMode::Expanded
        } else {
            GraphMode::Aggregated
        };
        let graph = derive(&trace, &rows, root, mode);
        let layout =
            (!graph.too_large).then(|| layout(graph.nodes.len(), &graph.edge_pairs(), NODE_SIZE));
        Arc::new(Drawn { graph, layout })
    });
    let selected_step = Memo::new(move |_| {
        let query = state.query.read();
        let id = query.selected_step()?;
        stored_trace.with_value(|trace| trace.steps.iter().position(|step| step.id == id))
    });
    let path = Memo::new(move |_| {
        let shown = insights.and_then(|insights| insights.shown_path())?;
        Some(drawn.read().graph.on_path(&shown.critical_path.steps))
    });
    let heat = RwSignal::new(Heat::None);
    let heat_levels = Memo::new(move |_| drawn.read().graph.heat(heat.get()));
    let node_notes = node_notes(drawn, stored_trace);
    let context = GraphContext {
        drawn,
        selected_step,
        heat,
        heat_levels,
        path,
        trace: stored_trace,
        node_notes,
    };
    provide_context(context);
    let ready = RwSignal::new(false);
    // After the first draw: a benchmark waits for the attribute and reads the mark.
    Effect::new(move |_| {
        if !ready.get_untracked() {
            ready.set(true);
            crate::io::stream::mark("stepwise:graph-drawn");
        }
    });
    let body = move || {
        let drawn = drawn.get();
        if drawn.graph.too_large {
            view! { <TooLarge /> }.into_any()
        } else if drawn.graph.nodes.is_empty() {
            view! {
                <p class="graph-empty" role="status">
                    "No agents, tasks, tools or model calls in this part of the trace."
                </p>
            }
            .into_any()
        } else {
            // Hundreds of task nodes would bury the agents and tools: say they are left out.
            let note = drawn.graph.tasks_left_out.then(|| {
                let limit = stepwise_core::graph::AGGREGATED_MAX_TASKS;
                view! {
                    <p class="graph-note" role="note" data-testid="graph-tasks-left-out">
                        {format!("Tasks are left out: this trace has more than {limit}, too many to draw readably. The timeline and the tasks table list them.")}
                    </p>
                }
            });
            view! { {note}<canvas::GraphCanvas /> }.into_any()
        }
    };
    view! {
        <div class="agent-graph" data-testid="agent-graph" data-ready=move || ready.get().to_string()>
            <toolbar::GraphToolbar />
            {body}
        </div>
    }
}

/// Which nodes hold annotated steps, and the labels: resolved when the notes or the graph
/// change, never per node.
fn node_notes(
    drawn: Memo<Arc<Drawn>>,
    trace: StoredValue<Arc<Trace>>,
) -> Memo<Arc<HashMap<usize, Vec<String>>>> {
    let notes = use_context::<PageNotes>();
    Memo::new(move |_| {
        let Some(notes) = notes else {
            return Arc::default();
        };
        let notes = notes.get();
        let steps = trace.with_value(|trace| annotated_steps(&notes, trace));
        let drawn = drawn.read();
        let mut by_node: HashMap<usize, Vec<String>> = HashMap::new();
        for annotation in &notes.annotations {
            let node = annotation
                .step_id()
                .and_then(|id| steps.get(id))
                .and_then(|&step| drawn.graph.node_of(step));
            if let Some(node) = node {
                by_node
                    .entry(node)
                    .or_default()
                    .push(annotation.label.clone());
            }
        }
        Arc::new(by_node)
    })
}

/// The expanded graph of a large trace: too many calls to read, so it offers the
/// aggregated graph or a subtree instead.
#[component]
fn TooLarge() -> impl IntoView {
    let state = expect_context::<ViewState>();
    let context = expect_context::<GraphContext>();
    let selected = move || {
        let step = context.selected_step.get()?;
        Some(
            context
                .trace
                .with_value(|trace| trace.steps[step].id.clone()),
        )
    };
    let limit = stepwise_core::format::plural(stepwise_core::graph::EXPANDED_MAX_NODES, "call");
    view! {
        <div class="graph-too-large" role="status" data-testid="graph-too-large">
            <p>
                {format!(
                    "This part of the trace has more than {limit}: one node per call would be too many to read.",
                )}
            </p>
            <div class="graph-too-large-actions">
                <button type="button" class="graph-button" on:click=move |_| state.set_graph_expanded(false)>
                    "Show aggregated"
                </button>
                <button
                    type="button"
                    class="graph-button"
                    disabled=move || selected().is_none()
                    title="Select a step first, then show only its subtree"
                    on:click=move |_| state.set_root(selected())
                >
                    "Show the selected step's subtree"
                </button>
            </div>
        </div>
    }
}
