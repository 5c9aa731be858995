//! A small Sugiyama-style layered layout: deterministic, so the same graph always looks
//! the same. Pure core.
//!
//! 1. Cycles are broken by reversing the back edges of a depth-first search (sources
//!    first, then by index).
//! 2. Layers by longest path from the sources: every edge points down.
//! 3. An edge spanning several layers gets a dummy vertex on each layer between, so it
//!    bends around nodes instead of crossing them.
//! 4. Crossings are reduced by barycenter sweeps, a fixed number of them, ties kept in
//!    their current order; the order with fewest crossings seen is kept.
//! 5. Each vertex is pulled towards its neighbours' mean x, keeping the minimum gap:
//!    the mean of a left-packed and a right-packed placement, both of which keep it.
//!
//! No layout crate fits: the well-kept ones are large, not wasm-minded, or not
//! deterministic across runs.

/// The size of every node (the graph cuts labels so that one size fits).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NodeSize {
    pub width: f64,
    pub height: f64,
    /// Horizontal space between nodes of a layer.
    pub gap: f64,
    /// Vertical space between layers, where edges run.
    pub layer_gap: f64,
}

/// Where an edge runs: from the source's bottom to the target's top through its dummy
/// vertices, in the edge's own direction (a reversed edge runs upwards).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Route {
    pub points: Vec<(f64, f64)>,
    /// The edge goes against the layering (it closes a cycle).
    pub upward: bool,
    /// From a node to itself: no points, drawn as a loop on the node's side.
    pub self_loop: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    /// Each node's top-left corner.
    pub nodes: Vec<(f64, f64)>,
    /// Each node's layer, 0 at the top.
    pub layers: Vec<usize>,
    pub routes: Vec<Route>,
    pub width: f64,
    pub height: f64,
}

/// Barycenter sweeps (down and up alternately). Enough for the graphs drawn here; fixed,
/// so that the layout never depends on timing.
const ORDER_SWEEPS: usize = 8;
/// Passes that pull vertices towards their neighbours.
const PLACE_PASSES: usize = 6;
/// Width a dummy vertex takes in its layer.
const DUMMY_WIDTH: f64 = 14.0;
/// Counting crossings is quadratic in a layer's edges: above this many edges the last
/// sweep's order is kept without comparing.
const COUNT_CROSSINGS_MAX_EDGES: usize = 4_000;

/// Lays out `node_count` nodes joined by `edges` (from, to).
pub fn layout(node_count: usize, edges: &[(usize, usize)], size: NodeSize) -> Layout {
    if node_count == 0 {
        return Layout {
            routes: edges.iter().map(|_| Route::default()).collect(),
            ..Layout::default()
        };
    }
    let upward = back_edges(node_count, edges);
    let dag: Vec<(usize, usize)> = edges
        .iter()
        .zip(&upward)
        .filter(|((from, to), _)| from != to)
        .map(|(&(from, to), &up)| if up { (to, from) } else { (from, to) })
        .collect();
    let layers = longest_path_layers(node_count, &dag);
    let mut graph = Layered::new(node_count, &layers, &dag);
    graph.order();
    let xs = graph.place(size);
    let row_height = size.height + size.layer_gap;
    let vertex_centre = |vertex: usize| {
        let y = graph.layer[vertex] as f64 * row_height;
        (xs[vertex], y)
    };
    let nodes: Vec<(f64, f64)> = (0..node_count)
        .map(|node| {
            let (x, y) = vertex_centre(node);
            (x - size.width / 2.0, y)
        })
        .collect();
    let mut routes = Vec::with_capacity(edges.len());
    let mut chains = graph.chains.iter();
    for (&(from, to), &up) in edges.iter().zip(&upward) {
        if from == to {
            routes.push(Route {
                points: Vec::new(),
                upward: false,
                self_loop: true,
            });
            continue;
        }
        let chain = chains.next().map_or(&[][..], Vec::as_slice);
        let (top, bottom) = if up { (to, from) } else { (from, to) };
        let mut points = Vec::with_capacity(chain.len() + 2);
        let (x, y) = vertex_centre(top);
        points.push((x, y + size.height));
        for &dummy in chain {
            let (x, y) = vertex_centre(dummy);
            points.push((x, y + size.height / 2.0));
        }
        let (x, y) = vertex_centre(bottom);
        points.push((x, y));
        if up {
            points.reverse();
        }
        routes.push(Route {
            points,
            upward: up,
            self_loop: false,
        });
    }
    let depth = layers.iter().max().map_or(0, |&layer| layer + 1);
    let width = xs.iter().fold(0.0_f64, |max, &x| max.max(x)) + size.width / 2.0;
    Layout {
        nodes,
        layers,
        routes,
        width,
        height: depth as f64 * row_height - size.layer_gap,
    }
}

/// Which edges a depth-first search finds pointing back to a node on its stack: turning
/// them round leaves no cycle. Sources start the search, so the graph's natural flow
/// (from agents and tasks down to tools) is what stays forward.
fn back_edges(node_count: usize, edges: &[(usize, usize)]) -> Vec<bool> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); node_count];
    let mut has_in = vec![false; node_count];
    for (index, &(from, to)) in edges.iter().enumerate() {
        if from != to {
            out[from].push(index);
            has_in[to] = true;
        }
    }
    const NEW: u8 = 0;
    const OPEN: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; node_count];
    let mut back = vec![false; edges.len()];
    let starts = (0..node_count)
        .filter(|&node| !has_in[node])
        .chain(0..node_count);
    for start in starts {
        if state[start] != NEW {
            continue;
        }
        // (node, next out-edge to look at): an explicit stack, as graphs can be deep.
        let mut stack = vec![(start, 0)];
        state[start] = OPEN;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let Some(&edge) = out[node].get(*next) else {
                state[node] = DONE;
                stack.pop();
                continue;
            };
            *next += 1;
            let to = edges[edge].1;
            match state[to] {
                OPEN => back[edge] = true,
                NEW => {
                    state[to] = OPEN;
                    stack.push((to, 0));
                }
                _ => {}
            }
        }
    }
    back
}

/// Each node's layer: the longest path to it from a source, so every edge goes down at
/// least one layer. `dag` must have no cycle.
fn longest_path_layers(node_count: usize, dag: &[(usize, usize)]) -> Vec<usize> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); node_count];
    let mut in_degree = vec![0_usize; node_count];
    for &(from, to) in dag {
        out[from].push(to);
        in_degree[to] += 1;
    }
    let mut layer = vec![0; node_count];
    let mut ready: Vec<usize> = (0..node_count)
        .rev()
        .filter(|&n| in_degree[n] == 0)
        .collect();
    while let Some(node) = ready.pop() {
        for &to in &out[node] {
            layer[to] = layer[to].max(layer[node] + 1);
            in_degree[to] -= 1;
            if in_degree[to] == 0 {
                ready.push(to);
            }
        }
    }
    layer
}

/// The layered graph with dummy vertices: vertices `0..node_count` are the nodes.
struct Layered {
    node_count: usize,
    layer: Vec<usize>,
    /// Vertices of each layer, in drawing order.
    rows: Vec<Vec<usize>>,
    up: Vec<Vec<usize>>,
    down: Vec<Vec<usize>>,
    /// Each DAG edge's dummy vertices, top to bottom.
    chains: Vec<Vec<usize>>,
}

impl Layered {
    fn new(node_count: usize, layers: &[usize], dag: &[(usize, usize)]) -> Layered {
        let mut layer = layers.to_vec();
        let mut up: Vec<Vec<usize>> = vec![Vec::new(); node_count];
        let mut down: Vec<Vec<usize>> = vec![Vec::new(); node_count];
        let mut chains = Vec::with_capacity(dag.len());
        for &(from, to) in dag {
            let mut chain = Vec::new();
            let mut previous = from;
            for dummy_layer in layer[from] + 1..layer[to] {
                let dummy = layer.len();
                layer.push(dummy_layer);
                up.push(vec![previous]);
                down.push(Vec::new());
                down[previous].push(dummy);
                chain.push(dummy);
                previous = dummy;
            }
            down[previous].push(to);
            up[to].push(previous);
            chains.push(chain);
        }
        let depth = layer.iter().max().map_or(0, |&l| l + 1);
        // First order: depth-first from the top, so a tree starts without crossings and
        // children keep their reading order.
        let mut rows: Vec<Vec<usize>> = vec![Vec::new(); depth];
        let mut seen = vec![false; layer.len()];
        let mut by_layer: Vec<usize> = (0..layer.len()).collect();
        by_layer.sort_by_key(|&vertex| (layer[vertex], vertex));
        for start in by_layer {
            if seen[start] {
                continue;
            }
            let mut stack = vec![start];
            while let Some(vertex) = stack.pop() {
                if std::mem::replace(&mut seen[vertex], true) {
                    continue;
                }
                rows[layer[vertex]].push(vertex);
                stack.extend(down[vertex].iter().rev().filter(|&&next| !seen[next]));
            }
        }
        Layered {
            node_count,
            layer,
            rows,
            up,
            down,
            chains,
        }
    }

    /// Barycenter sweeps, keeping the order with the fewest crossings.
    fn order(&mut self) {
        let edge_count: usize = self.down.iter().map(Vec::len).sum();
        let counting = edge_count <= COUNT_CROSSINGS_MAX_EDGES;
        let mut best = self.rows.clone();
        let mut best_crossings = if counting { self.crossings() } else { 0 };
        let mut position = vec![0.0_f64; self.layer.len()];
        for sweep in 0..ORDER_SWEEPS {
            let downward = sweep % 2 == 0;
            let layer_order: Vec<usize> = if downward {
                (1..self.rows.len()).collect()
            } else {
                (0..self.rows.len().saturating_sub(1)).rev().collect()
            };
            for row in &self.rows {
                for (at, &vertex) in row.iter().enumerate() {
                    position[vertex] = at as f64;
                }
            }
            for layer in layer_order {
                let neighbours = if downward { &self.up } else { &self.down };
                let mut keyed: Vec<(f64, usize, usize)> = self.rows[layer]
                    .iter()
                    .enumerate()
                    .map(|(at, &vertex)| {
                        let linked = &neighbours[vertex];
                        let centre = if linked.is_empty() {
                            at as f64
                        } else {
                            linked.iter().map(|&n| position[n]).sum::<f64>() / linked.len() as f64
                        };
                        (centre, at, vertex)
                    })
                    .collect();
                // Ties keep their current order (`at`): deterministic and stable.
                keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                self.rows[layer] = keyed.iter().map(|&(_, _, vertex)| vertex).collect();
                for (at, &vertex) in self.rows[layer].iter().enumerate() {
                    position[vertex] = at as f64;
                }
            }
            if counting {
                let crossings = self.crossings();
                if crossings < best_crossings {
                    best_crossings = crossings;
                    best = self.rows.clone();
                }
            }
        }
        if counting {
            self.rows = best;
        }
    }

    /// Edge crossings between each pair of adjacent layers.
    fn crossings(&self) -> usize {
        let mut position = vec![0_usize; self.layer.len()];
        for row in &self.rows {
            for (at, &vertex) in row.iter().enumerate() {
                position[vertex] = at;
            }
        }
        let mut total = 0;
        for row in &self.rows {
            let segments: Vec<(usize, usize)> = row
                .iter()
                .flat_map(|&vertex| self.down[vertex].iter().map(move |&to| (vertex, to)))
                .map(|(from, to)| (position[from], position[to]))
                .collect();
            for (index, a) in segments.iter().enumerate() {
                for b in &segments[index + 1..] {
                    if (a.0 < b.0 && a.1 > b.1) || (a.0 > b.0 && a.1 < b.1) {
                        total += 1;
                    }
                }
            }
        }
        total
    }

    /// Each vertex's centre x: in layer order, at least the gap apart, pulled towards
    /// the mean of its neighbours' centres.
    fn place(&self, size: NodeSize) -> Vec<f64> {
        let width = |vertex: usize| {
            if vertex < self.node_count {
                size.width
            } else {
                DUMMY_WIDTH
            }
        };
        let mut x = vec![0.0_f64; self.layer.len()];
        for row in &self.rows {
            let mut right = 0.0;
            for &vertex in row {
                x[vertex] = right + width(vertex) / 2.0;
                right += width(vertex) + size.gap;
            }
        }
        for pass in 0..PLACE_PASSES {
            let downward = pass % 2 == 0;
            let neighbours = if downward { &self.up } else { &self.down };
            let layer_order: Vec<usize> = if downward {
                (1..self.rows.len()).collect()
            } else {
                (0..self.rows.len().saturating_sub(1)).rev().collect()
            };
            for layer in layer_order {
                let row = &self.rows[layer];
                let wanted: Vec<f64> = row
                    .iter()
                    .map(|&vertex| {
                        let linked = &neighbours[vertex];
                        if linked.is_empty() {
                            x[vertex]
                        } else {
                            linked.iter().map(|&n| x[n]).sum::<f64>() / linked.len() as f64
                        }
                    })
                    .collect();
                let separation = |a: usize, b: usize| (width(a) + width(b)) / 2.0 + size.gap;
                // Packed from the left, then from the right; both keep every gap, and so
                // does their mean.
                let mut left = wanted.clone();
                for at in 1..row.len() {
                    left[at] = left[at].max(left[at - 1] + separation(row[at - 1], row[at]));
                }
                let mut right = wanted;
                for at in (0..row.len().saturating_sub(1)).rev() {
                    right[at] = right[at].min(right[at + 1] - separation(row[at], row[at + 1]));
                }
                for (at, &vertex) in row.iter().enumerate() {
                    x[vertex] = (left[at] + right[at]) / 2.0;
                }
            }
        }
        // Shift so the leftmost box starts at 0.
        let min_left = (0..self.layer.len())
            .map(|vertex| x[vertex] - width(vertex) / 2.0)
            .fold(f64::INFINITY, f64::min);
        if min_left.is_finite() {
            for value in &mut x {
                *value -= min_left;
            }
        }
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIZE: NodeSize = NodeSize {
        width: 100.0,
        height: 40.0,
        gap: 20.0,
        layer_gap: 30.0,
    };

    fn overlaps(layout: &Layout) -> bool {
        let nodes = &layout.nodes;
        (0..nodes.len()).any(|a| {
            (a + 1..nodes.len()).any(|b| {
                (nodes[a].0 - nodes[b].0).abs() < SIZE.width
                    && (nodes[a].1 - nodes[b].1).abs() < SIZE.height
            })
        })
    }

    #[test]
    fn empty_and_single_node_graphs() {
        let empty = layout(0, &[], SIZE);
        assert!(empty.nodes.is_empty());
        let one = layout(1, &[], SIZE);
        assert_eq!(one.nodes, [(0.0, 0.0)]);
        assert_eq!((one.width, one.height), (SIZE.width, SIZE.height));
    }

    #[test]
    fn forward_edges_go_down_a_layer_and_nodes_never_overlap() {
        // A small agent graph: 0 calls 1..=4, 1 calls 5, 2 calls 5 and 6, 0 → 6 skips a layer.
        let edges = [
            (0, 1),
            (0, 2),
            (0, 3),
            (0, 4),
            (1, 5),
            (2, 5),
            (2, 6),
            (0, 6),
        ];
        let layout = layout(7, &edges, SIZE);
        for &(from, to) in &edges {
            assert!(layout.layers[to] > layout.layers[from], "{from} → {to}");
            assert!(layout.nodes[to].1 > layout.nodes[from].1);
        }
        assert!(!overlaps(&layout));
        // The long edge bends through a dummy vertex: start, one bend, end.
        assert_eq!(layout.routes[7].points.len(), 3);
    }

    #[test]
    fn the_same_graph_gives_the_same_layout() {
        let edges = [
            (0, 3),
            (1, 3),
            (2, 4),
            (0, 4),
            (3, 5),
            (4, 5),
            (1, 2),
            (5, 0),
        ];
        let first = layout(6, &edges, SIZE);
        for _ in 0..5 {
            assert_eq!(layout(6, &edges, SIZE), first);
        }
    }

    #[test]
    fn cycles_are_laid_out_with_one_edge_upward() {
        let edges = [(0, 1), (1, 2), (2, 0), (1, 1)];
        let layout = layout(3, &edges, SIZE);
        let upward: Vec<bool> = layout.routes.iter().map(|route| route.upward).collect();
        assert_eq!(upward, [false, false, true, false]);
        assert!(layout.routes[3].self_loop);
        // The upward edge still runs from its source to its target.
        let route = &layout.routes[2];
        assert!(route.points[0].1 > route.points[route.points.len() - 1].1);
        assert!(!overlaps(&layout));
    }

    #[test]
    fn barycenter_sweeps_untangle_a_crossing() {
        // Built crossed: 0 → 3 and 1 → 2, with 2 listed before 3.
        let edges = [(0, 3), (1, 2), (0, 4)];
        let layout = layout(5, &edges, SIZE);
        let (x0, x1) = (layout.nodes[0].0, layout.nodes[1].0);
        let (x2, x3) = (layout.nodes[2].0, layout.nodes[3].0);
        assert_eq!(x0 < x1, x3 < x2, "the edges cross");
    }

    #[test]
    fn children_keep_their_order_under_their_parent() {
        let edges = [(0, 1), (0, 2), (0, 3)];
        let layout = layout(4, &edges, SIZE);
        let xs: Vec<f64> = (1..4).map(|node| layout.nodes[node].0).collect();
        assert!(xs[0] < xs[1] && xs[1] < xs[2], "{xs:?}");
        // The parent sits over its children's middle.
        let middle = (xs[0] + xs[2]) / 2.0;
        assert!((layout.nodes[0].0 - middle).abs() < 1.0);
    }
}
