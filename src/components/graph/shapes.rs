//! One node and one edge of the agent graph, with their overlays (selection, errors, critical path, heat). Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;

use super::{GraphContext, NODE_SIZE};
use crate::state::view::ViewState;
use stepwise_core::graph::{Edge, EdgeKind, Route};

/// A node: its box, label and figures; focusable, and Enter or a click selects it.
#[component]
pub fn NodeShape(index: usize, at: (f64, f64)) -> impl IntoView {
    let state = expect_context::<ViewState>();
    let context = expect_context::<GraphContext>();
    let drawn = context.drawn.get_untracked();
    let node = &drawn.graph.nodes[index];
    let (width, height) = node_size();
    let calls_line = node.calls_line();
    let usage_line = node.usage_line();
    let errors = node.errors;
    let error_line = (errors > 0).then(|| stepwise_core::format::plural(errors as usize, "error"));
    let label = node.label.clone();
    let kind = node.kind.key();
    let description = [
        Some(format!("{kind} {label}")),
        Some(calls_line.clone()),
        usage_line.clone(),
        error_line.clone(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    let selected = Memo::new(move |_| {
        let step = context.selected_step.get()?;
        Some(context.drawn.read().graph.node_of(step) == Some(index))
    });
    let class = move || {
        let mut class = format!("graph-node kind-{kind}");
        if errors > 0 {
            class.push_str(" has-errors");
        }
        if selected.get() == Some(true) {
            class.push_str(" selected");
        }
        if context
            .path
            .read()
            .as_ref()
            .is_some_and(|(nodes, _)| nodes[index])
        {
            class.push_str(" on-path");
        }
        if let Some(Some(level)) = context.heat_levels.read().get(index).copied() {
            class.push_str(&format!(" heat heat-{level}"));
        }
        class
    };
    let select = move || context.select_node(state, index, 0);
    // A pin in the top right corner when any of the node's steps is annotated.
    let pin = move || {
        let labels = context.node_notes.read().get(&index).cloned()?;
        Some(view! {
            <g class="graph-note" data-testid="graph-note-badge" transform=format!("translate({:.1} -8)", width - 26.0)>
                <title>{format!("Annotated: {}", labels.join("; "))}</title>
                <rect width="22" height="16" rx="8" />
                <text x="11" y="12" text-anchor="middle">{if labels.len() == 1 { "✎".to_string() } else { labels.len().to_string() }}</text>
            </g>
        })
    };
    let second_line = usage_line.unwrap_or_default();
    let title = description.clone();
    view! {
        <g
            class=class
            transform=format!("translate({:.1} {:.1})", at.0, at.1)
            tabindex="0"
            role="button"
            aria-label=description
            aria-pressed=move || selected.get().unwrap_or(false).to_string()
            data-kind=kind
            data-node=index
            on:click=move |_| select()
            on:keydown=move |event: web_sys::KeyboardEvent| {
                if event.key() == "Enter" || event.key() == " " {
                    event.prevent_default();
                    select();
                }
            }
        >
            <title>{title}</title>
            <rect class="graph-box" width=width height=height rx="8" />
            <rect class="graph-stripe" width="5" height=height rx="2" />
            <text class="graph-label" x="14" y="21">{label}</text>
            <text class="graph-figures" x="14" y="39">{calls_line}</text>
            <text class="graph-figures" x="14" y="55">{second_line}</text>
            {error_line.map(|line| view! { <text class="graph-errors" x=width - 10.0 y="21" text-anchor="end">{line}</text> })}
            {pin}
        </g>
    }
}

/// An edge along its route: calls solid, handoffs dashed, a repeated call with its count
/// and a loop back to the caller, an edge closing a cycle drawn upwards.
#[component]
pub fn EdgeShape(index: usize, edge: Edge, route: Route, from: (f64, f64)) -> impl IntoView {
    let context = expect_context::<GraphContext>();
    let on_path = move || {
        context
            .path
            .read()
            .as_ref()
            .is_some_and(|(_, edges)| edges[index])
    };
    let kind = match edge.kind {
        EdgeKind::Call => "call",
        EdgeKind::Handoff => "handoff",
    };
    let class = move || {
        let mut class = format!("graph-edge {kind}");
        if route.upward {
            class.push_str(" upward");
        }
        if on_path() {
            class.push_str(" on-path");
        }
        class
    };
    let count = edge.count_label();
    let (width, height) = node_size();
    if route.self_loop {
        let (x, y) = (from.0 + width, from.1);
        let d = format!(
            "M {x:.1} {:.1} C {:.1} {:.1}, {:.1} {:.1}, {x:.1} {:.1}",
            y + 16.0,
            x + 44.0,
            y - 8.0,
            x + 44.0,
            y + height + 8.0,
            y + height - 16.0
        );
        return view! {
            <g class=class>
                <path d=d marker-end="url(#graph-arrow)" />
                {count.map(|count| view! { <text class="graph-count" x=x + 40.0 y=y + height / 2.0 + 4.0>{count}</text> })}
            </g>
        }
        .into_any();
    }
    let d = curve(&route.points);
    let middle = route.points[route.points.len() / 2];
    let middle = if route.points.len() == 2 {
        let (a, b) = (route.points[0], route.points[1]);
        ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0)
    } else {
        middle
    };
    // A repeated call returns to its caller: the loop drawn back, beside the call.
    let back = (edge.count > 1 && edge.kind == EdgeKind::Call).then(|| {
        let shifted: Vec<(f64, f64)> = route
            .points
            .iter()
            .rev()
            .map(|&(x, y)| (x + 16.0, y))
            .collect();
        view! { <path class="graph-return" d=curve(&shifted) marker-end="url(#graph-arrow)" /> }
    });
    view! {
        <g class=class>
            <path d=d marker-end="url(#graph-arrow)" />
            {back}
            {count.map(|count| view! { <text class="graph-count" x=middle.0 + 22.0 y=middle.1 + 4.0>{count}</text> })}
        </g>
    }
    .into_any()
}

/// A smooth path through `points`: each stretch leaves and arrives vertically.
fn curve(points: &[(f64, f64)]) -> String {
    let Some(&(x, y)) = points.first() else {
        return String::new();
    };
    let mut d = format!("M {x:.1} {y:.1}");
    for pair in points.windows(2) {
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        let middle = (y0 + y1) / 2.0;
        d.push_str(&format!(
            " C {x0:.1} {middle:.1}, {x1:.1} {middle:.1}, {x1:.1} {y1:.1}"
        ));
    }
    d
}

/// The box size, for shapes drawn relative to a node.
fn node_size() -> (f64, f64) {
    (NODE_SIZE.width, NODE_SIZE.height)
}
