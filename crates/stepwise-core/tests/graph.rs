#![cfg(not(target_arch = "wasm32"))]
//! The agent graph: derivation on hand-made fixtures, the demo, a real export and a
//! 100k-step synthetic trace, then the layout of what was derived.

#[path = "support/fixture.rs"]
mod fixture;

use fixture::*;
use stepwise_core::graph::{
    derive, layout, EdgeKind, Graph, GraphMode, NodeKind, NodeSize, EXPANDED_MAX_NODES,
};
use stepwise_core::model::Trace;
use stepwise_core::tree::step_rows;

const SIZE: NodeSize = NodeSize {
    width: 180.0,
    height: 60.0,
    gap: 24.0,
    layer_gap: 56.0,
};

const LOOP: &str = r#"
    agent a1 Researcher
    agent a2 Writer
    task t1 Research 0-500 agent=a1
    s1 agent Researcher 0-300 task=t1 agent=a1
    s2 llm "gpt · plan" 10-90 parent=s1 task=t1 model=gpt-4o in=100 out=20 cost=0.01
    s3 tool web_search 100-120 parent=s1 task=t1 status=failed
    s4 tool web_search 120-150 parent=s1 task=t1
    s5 result "web_search result" 150-151 parent=s1 task=t1
    s6 span plumbing 151-200 parent=s1 task=t1
    s7 tool web_search 160-190 parent=s6 task=t1
    s8 llm "gpt · answer" 200-290 parent=s1 task=t1 model=gpt-4o
    s9 agent Writer 300-400 task=t1 agent=a2
    s10 error Oops 390-391 parent=s9 task=t1
"#;

fn graph(trace: &Trace, mode: GraphMode) -> Graph {
    derive(trace, &step_rows(trace), None, mode)
}

fn node(graph: &Graph, kind: NodeKind, label: &str) -> usize {
    graph
        .nodes
        .iter()
        .position(|node| {
            // Long names are cut: "Write the launch repo…".
            let shown = node.label.trim_end_matches('…');
            node.kind == kind
                && (node.label == label || label.starts_with(shown) && shown != node.label)
        })
        .unwrap_or_else(|| panic!("no {kind:?} node {label}"))
}

fn edge_count(graph: &Graph, from: usize, to: usize, kind: EdgeKind) -> Option<u64> {
    graph
        .edges
        .iter()
        .find(|edge| edge.from == from && edge.to == to && edge.kind == kind)
        .map(|edge| edge.count)
}

#[test]
fn aggregated_nodes_sum_their_calls_through_plumbing() {
    let trace = build(LOOP);
    let graph = graph(&trace, GraphMode::Aggregated);
    let task = node(&graph, NodeKind::Task, "Research");
    let researcher = node(&graph, NodeKind::Agent, "Researcher");
    let writer = node(&graph, NodeKind::Agent, "Writer");
    let search = node(&graph, NodeKind::Tool, "web_search");
    let model = node(&graph, NodeKind::Model, "gpt-4o");
    assert_eq!(graph.nodes.len(), 5, "{:?}", graph.nodes);
    // The call under the span of plumbing counts as the agent's.
    assert_eq!(
        edge_count(&graph, researcher, search, EdgeKind::Call),
        Some(3)
    );
    assert_eq!(
        edge_count(&graph, researcher, model, EdgeKind::Call),
        Some(2)
    );
    assert_eq!(
        edge_count(&graph, task, researcher, EdgeKind::Call),
        Some(1)
    );
    assert_eq!(
        edge_count(&graph, researcher, writer, EdgeKind::Handoff),
        Some(1)
    );
    assert_eq!(ids(&trace, &graph.nodes[search].steps), ["s3", "s4", "s7"]);
    assert_eq!(graph.nodes[search].errors, 1);
    assert_eq!(graph.nodes[writer].errors, 1, "the error step under it");
    assert_eq!(graph.nodes[search].duration_ns, Some(80 * MS));
    let search_edge = graph.edges.iter().find(|e| e.to == search).expect("edge");
    assert_eq!(search_edge.count_label().as_deref(), Some("×3"));
}

#[test]
fn unknown_usage_stays_unknown_on_nodes() {
    let trace = build(LOOP);
    let graph = graph(&trace, GraphMode::Aggregated);
    let model = &graph.nodes[node(&graph, NodeKind::Model, "gpt-4o")];
    // One call counted 120 tokens, the other counted none: partial, never a plain 120.
    assert_eq!(model.tokens.known, 120);
    assert_eq!(model.tokens.unknown_parts, 1);
    let line = model.usage_line().expect("a model has usage");
    assert!(line.contains("120 + 1 call uncounted"), "{line}");
    let researcher = &graph.nodes[node(&graph, NodeKind::Agent, "Researcher")];
    assert_eq!(researcher.tokens, model.tokens, "the agent's calls");
    let search = &graph.nodes[node(&graph, NodeKind::Tool, "web_search")];
    assert_eq!(search.usage_line(), None, "a tool makes no model calls");
}

#[test]
fn selecting_any_step_finds_the_node_showing_it() {
    let trace = build(LOOP);
    let graph = graph(&trace, GraphMode::Aggregated);
    let researcher = node(&graph, NodeKind::Agent, "Researcher");
    // A tool result and a span are no nodes: their agent shows them.
    assert_eq!(graph.node_of(at(&trace, "s5")), Some(researcher));
    assert_eq!(graph.node_of(at(&trace, "s6")), Some(researcher));
    let search = node(&graph, NodeKind::Tool, "web_search");
    assert_eq!(graph.node_of(at(&trace, "s7")), Some(search));
}

#[test]
fn expanded_has_one_node_per_call_in_order() {
    let trace = build(LOOP);
    let graph = graph(&trace, GraphMode::Expanded);
    let calls: Vec<&str> = graph.nodes.iter().map(|node| node.label.as_str()).collect();
    assert_eq!(
        calls,
        [
            "Research",
            "Researcher",
            "gpt-4o",
            "web_search",
            "web_search",
            "web_search",
            "gpt-4o",
            "Writer"
        ]
    );
    assert!(graph.edges.iter().all(|edge| edge.count == 1));
    assert!(!graph.too_large);
}

#[test]
fn a_root_keeps_only_its_subtree() {
    let trace = build(LOOP);
    let rows = step_rows(&trace);
    let graph = derive(&trace, &rows, Some(at(&trace, "s6")), GraphMode::Aggregated);
    let labels: Vec<&str> = graph.nodes.iter().map(|node| node.label.as_str()).collect();
    // The span's own call, hanging from its task (no call above it within the subtree).
    assert_eq!(labels, ["Research", "web_search"]);
    assert_eq!(graph.node_of(at(&trace, "s2")), None);
}

#[test]
fn tasks_hand_off_to_the_tasks_that_read_their_output() {
    let trace = demo();
    let graph = graph(&trace, GraphMode::Aggregated);
    let research = node(&graph, NodeKind::Task, "Research the market");
    let report = node(&graph, NodeKind::Task, "Write the launch report");
    assert_eq!(
        edge_count(&graph, research, report, EdgeKind::Handoff),
        Some(1)
    );
    // The demo's agents, tools and models, each once.
    for (kind, label) in [
        (NodeKind::Agent, "Senior Market Researcher"),
        (NodeKind::Agent, "Fact Checker"),
        (NodeKind::Tool, "web_search"),
        (NodeKind::Tool, "fetch_url"),
        (NodeKind::Model, "gpt-4o-mini"),
    ] {
        node(&graph, kind, label);
    }
    let fetch = &graph.nodes[node(&graph, NodeKind::Tool, "fetch_url")];
    assert_eq!(fetch.errors, 2);
}

#[test]
fn a_real_agents_sdk_export_gives_a_small_connected_graph() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/real/langfuse-export-openai-agents-2025-09-30.json"
    ))
    .expect("the fixture is in tests/fixtures/real");
    let traces = stepwise_core::import::import_bytes(&bytes).expect("imports");
    for trace in &traces {
        let graph = graph(trace, GraphMode::Aggregated);
        let calls: usize = graph.nodes.iter().map(|node| node.steps.len()).sum();
        assert!(calls > 0, "{}: no calls in the graph", trace.name);
        assert!(graph.nodes.len() <= calls);
        assert!(graph.nodes.iter().any(|node| node.kind == NodeKind::Agent));
        let drawn = layout(graph.nodes.len(), &graph.edge_pairs(), SIZE);
        assert_eq!(drawn.routes.len(), graph.edges.len());
    }
}

#[test]
fn the_same_trace_always_looks_the_same() {
    let trace = demo();
    let first = graph(&trace, GraphMode::Aggregated);
    let first_layout = layout(first.nodes.len(), &first.edge_pairs(), SIZE);
    for _ in 0..3 {
        let again = graph(&trace, GraphMode::Aggregated);
        assert_eq!(again, first);
        assert_eq!(
            layout(again.nodes.len(), &again.edge_pairs(), SIZE),
            first_layout
        );
    }
}

#[test]
fn laid_out_nodes_never_overlap_and_calls_go_down() {
    for mode in [GraphMode::Aggregated, GraphMode::Expanded] {
        let trace = demo();
        let graph = graph(&trace, mode);
        let drawn = layout(graph.nodes.len(), &graph.edge_pairs(), SIZE);
        for a in 0..drawn.nodes.len() {
            for b in a + 1..drawn.nodes.len() {
                let (pa, pb) = (drawn.nodes[a], drawn.nodes[b]);
                let apart = (pa.0 - pb.0).abs() >= SIZE.width || (pa.1 - pb.1).abs() >= SIZE.height;
                assert!(apart, "{mode:?}: nodes {a} and {b} overlap");
            }
        }
        for (edge, route) in graph.edges.iter().zip(&drawn.routes) {
            if edge.kind == EdgeKind::Call && !route.upward && !route.self_loop {
                assert!(drawn.layers[edge.to] > drawn.layers[edge.from]);
            }
        }
    }
}

#[test]
fn a_100k_step_trace_aggregates_to_a_readable_graph() {
    let trace = synth(100_000);
    let graph = graph(&trace, GraphMode::Aggregated);
    let calls: usize = graph.nodes.iter().map(|node| node.steps.len()).sum();
    assert!(calls > 20_000, "{calls} calls");
    // Six roles, four tools, three models and the tasks: tasks are many, the rest few.
    let others = graph
        .nodes
        .iter()
        .filter(|node| node.kind != NodeKind::Task)
        .count();
    assert!(others <= 13, "{others} agent, tool and model nodes");
    let expanded = derive(&trace, &step_rows(&trace), None, GraphMode::Expanded);
    assert!(expanded.too_large);
    assert!(expanded.nodes.len() <= EXPANDED_MAX_NODES + 1);
}
