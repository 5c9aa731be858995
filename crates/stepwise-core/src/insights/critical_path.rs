//! The critical path: the chain of steps that determined the trace's duration, and how
//! the time splits between LLM calls, tools, other work and waiting. Pure core.
//!
//! The rule: "last finishing child", walked back from the end, as Jaeger does, with the
//! work that outlives its parent kept. The trace is a virtual root spanning its window.
//! A step spans `[start, end]` (a running step lasts until the window's end), but its
//! *reach* runs until the latest end in its subtree: async work that outlives its parent
//! (a call an HTTP request span only started) still belongs to it. Walking back from the
//! end of a span (the cursor), the path goes through:
//! 1. the child whose reach ended latest at or before the cursor: the predecessor the
//!    rest had to wait for; but
//! 2. if a child still running at the cursor started no later than that predecessor
//!    ended (so it covers the whole gap), that child instead, cut at the cursor: of two
//!    overlapping siblings, the later one holds the overlap and the earlier one only the
//!    part before it, so no time is counted twice.
//!
//! The chosen child is walked the same way up to where it was cut, and the cursor moves
//! to its start. Time between chosen children is the span's own time while the span
//! runs, and waiting (no step) in the part of its reach after its own end. A child that
//! starts before its parent (clock skew) is taken to start with it; a child that ends
//! before its parent starts has no time. Steps without a start hand their children to
//! the nearest timed ancestor; zero-length steps cannot hold the path. The walk is
//! iterative and sorts each step's children once: O(n log n).
//!
//! Each stretch counts by the step that owns it: an LLM or embedding call as LLM, a tool
//! call or result as tool, an agent or any other step doing work (reasoning, retrieval,
//! memory, errors…) as other, and a task or a plain span (HTTP, chain, workflow: the
//! plumbing that holds the work) or no step at all as waiting.

use crate::model::StepKind;

use super::{share, Context};

/// A stretch of the critical path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PathSegment {
    /// The step whose own time this is; `None` for time when no step was on the path
    /// (the trace waiting between steps, or for async work after its parent ended).
    pub step: Option<usize>,
    pub start_ns: i64,
    pub end_ns: i64,
}

/// How time splits. The parts never overlap and add up to `wall_ns`. Over the whole
/// trace, time when an LLM call runs counts as LLM, else a tool as tool, else other work
/// as other, else waiting, so parallel calls cannot exceed 100 %. Along the path, each
/// segment counts by its step (see the module's rule).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TimeShares {
    pub wall_ns: i64,
    pub llm_ns: i64,
    pub tool_ns: i64,
    pub other_ns: i64,
    /// Time in plumbing spans and tasks only, or in no step at all.
    pub wait_ns: i64,
}

impl TimeShares {
    /// Fractions of the wall time, in 0..=1: [llm, tool, other, wait].
    pub fn fractions(&self) -> [f64; 4] {
        let wall = self.wall_ns as f64;
        [self.llm_ns, self.tool_ns, self.other_ns, self.wait_ns].map(|ns| share(ns as f64, wall))
    }

    fn part(&mut self, part: Part) -> &mut i64 {
        match part {
            Part::Llm => &mut self.llm_ns,
            Part::Tool => &mut self.tool_ns,
            Part::Other => &mut self.other_ns,
            Part::Wait => &mut self.wait_ns,
        }
    }
}

/// Where a step's own time counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Llm,
    Tool,
    Other,
    Wait,
}

impl Part {
    fn of(kind: StepKind) -> Part {
        match kind {
            kind if kind.is_model_call() => Part::Llm,
            StepKind::ToolCall | StepKind::ToolResult => Part::Tool,
            // They hold the work and wait on it; an agent's own time is its own code.
            StepKind::Task | StepKind::Span => Part::Wait,
            _ => Part::Other,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct CriticalPath {
    /// In time order, without gaps or overlaps, covering the trace's window.
    pub segments: Vec<PathSegment>,
    /// The steps owning a segment, each once, in the order their first segment starts.
    pub steps: Vec<usize>,
    /// The whole trace's split (every step, not only the path's).
    pub shares: TimeShares,
    /// The same split along the path, each segment counted by its step.
    pub path_shares: TimeShares,
}

impl CriticalPath {
    /// The `n` steps holding the most of the path's time (their own segments summed),
    /// longest first, ties in path order: where shortening the run would pay.
    pub fn longest_steps(&self, n: usize) -> Vec<(usize, i64)> {
        let mut own: Vec<(usize, i64)> = self.steps.iter().map(|&step| (step, 0)).collect();
        let position: crate::fast_hash::HashMap<usize, usize> = self
            .steps
            .iter()
            .enumerate()
            .map(|(at, &step)| (step, at))
            .collect();
        for segment in &self.segments {
            let Some(&at) = segment.step.and_then(|step| position.get(&step)) else {
                continue;
            };
            own[at].1 = own[at]
                .1
                .saturating_add(segment.end_ns.saturating_sub(segment.start_ns));
        }
        // Stable: equal times keep path order.
        own.sort_by_key(|entry| std::cmp::Reverse(entry.1));
        own.truncate(n);
        own
    }
}

pub fn critical_path(context: &Context) -> CriticalPath {
    let Some(window) = window(context) else {
        return CriticalPath::default();
    };
    let tree = TimedTree::new(context, window);
    let segments = walk(&tree, window);
    let mut steps = Vec::new();
    let mut seen = vec![false; context.trace.steps.len()];
    for step in segments.iter().filter_map(|segment| segment.step) {
        if !std::mem::replace(&mut seen[step], true) {
            steps.push(step);
        }
    }
    CriticalPath {
        path_shares: path_shares(context, &segments),
        shares: trace_shares(context, &tree.spans, window),
        segments,
        steps,
    }
}

/// The trace's window, widened to hold every step's known times.
fn window(context: &Context) -> Option<(i64, i64)> {
    let trace = context.trace;
    let starts = trace.steps.iter().filter_map(|s| s.start_ns);
    let ends = trace
        .steps
        .iter()
        .flat_map(|s| [s.start_ns, s.end_ns])
        .flatten();
    let start = starts.chain(trace.start_ns).min()?;
    let end = ends.chain(trace.end_ns).max()?.max(start);
    Some((start, end))
}

/// The step tree with times made consistent: each timed step's span (running steps last
/// until the window's end, a start before the parent's is moved to it), its reach, and
/// its timed children (those of an untimed step go to its nearest timed ancestor).
struct TimedTree {
    spans: Vec<Option<(i64, i64)>>,
    /// The latest end in each timed step's subtree, itself included.
    reach: Vec<i64>,
    children: Vec<Vec<usize>>,
    roots: Vec<usize>,
}

impl TimedTree {
    fn new(context: &Context, window: (i64, i64)) -> TimedTree {
        let steps = &context.trace.steps;
        let mut spans: Vec<Option<(i64, i64)>> = vec![None; steps.len()];
        let mut reach = vec![i64::MIN; steps.len()];
        let mut children = vec![Vec::new(); steps.len()];
        let mut roots = Vec::new();
        // The nearest timed step at or above each step; parents come before their
        // children in the rows, so one pass down fills it.
        let mut anchor: Vec<Option<usize>> = vec![None; steps.len()];
        for row in &context.rows {
            let step = row.step;
            let above = context.parent[step].and_then(|parent| anchor[parent]);
            anchor[step] = above;
            let Some(start) = steps[step].start_ns else {
                continue;
            };
            let floor = above
                .and_then(|up| spans[up])
                .map_or(window.0, |span| span.0);
            let start = start.clamp(floor, window.1);
            let end = steps[step]
                .end_ns
                .unwrap_or(window.1)
                .clamp(start, window.1);
            spans[step] = Some((start, end));
            reach[step] = end;
            anchor[step] = Some(step);
            match above {
                Some(up) => children[up].push(step),
                None => roots.push(step),
            }
        }
        // Children come after their parents in the rows: one pass up lifts the reaches.
        for row in context.rows.iter().rev() {
            let step = row.step;
            let above = context.parent[step].and_then(|parent| anchor[parent]);
            if let (Some(up), Some(_)) = (above, spans[step]) {
                reach[up] = reach[up].max(reach[step]);
            }
        }
        TimedTree {
            spans,
            reach,
            children,
            roots,
        }
    }
}

/// One span being walked back from where the path entered it.
struct Frame {
    owner: Option<usize>,
    /// Children with a non-empty reach: `(start, reach, step)`, latest reach first.
    candidates: Vec<(i64, i64, usize)>,
    next: usize,
    /// The earliest-starting child passed over because it reaches past the cursor.
    earliest_open: Option<(i64, usize)>,
    cursor: i64,
    start_ns: i64,
    /// Where the owner itself ends: time after it, up to its reach, is waiting.
    own_end_ns: i64,
}

impl Frame {
    fn new(owner: Option<usize>, tree: &TimedTree, window: (i64, i64)) -> Frame {
        let children = owner.map_or(&tree.roots, |step| &tree.children[step]);
        let mut candidates: Vec<(i64, i64, usize)> = children
            .iter()
            .filter_map(|&child| {
                let (start, _) = tree.spans[child]?;
                let reach = tree.reach[child];
                (start < reach).then_some((start, reach, child))
            })
            .collect();
        candidates.sort_by_key(|&(start, end, child)| (std::cmp::Reverse(end), start, child));
        let own_end_ns = owner
            .and_then(|step| tree.spans[step])
            .map_or(window.0, |span| span.1.min(window.1));
        Frame {
            owner,
            candidates,
            next: 0,
            earliest_open: None,
            cursor: window.1,
            start_ns: window.0,
            own_end_ns,
        }
    }

    /// The next child on the path going back, with its reach cut at the cursor.
    fn choose(&mut self) -> Option<(usize, i64, i64)> {
        if self.cursor <= self.start_ns {
            return None;
        }
        while let Some(&(start, end, child)) = self.candidates.get(self.next) {
            if end <= self.cursor {
                break;
            }
            if self.earliest_open.is_none_or(|(open, _)| start < open) {
                self.earliest_open = Some((start, child));
            }
            self.next += 1;
        }
        let predecessor = self.candidates.get(self.next).copied();
        let open = self.earliest_open.filter(|&(start, _)| start < self.cursor);
        match (open, predecessor) {
            (Some((start, child)), predecessor)
                if predecessor.is_none_or(|(_, end, _)| start <= end) =>
            {
                Some((child, start, self.cursor))
            }
            (_, Some((start, end, child))) => {
                self.next += 1;
                Some((child, start, end))
            }
            _ => None,
        }
    }

    /// Records the owner's time from `start_ns` to the cursor: its own while it runs,
    /// waiting after its end.
    fn own_time(&self, start_ns: i64, backwards: &mut Vec<PathSegment>) {
        let split = self.own_end_ns.clamp(start_ns, self.cursor);
        if split < self.cursor {
            backwards.push(segment(None, split, self.cursor));
        }
        if start_ns < split {
            backwards.push(segment(self.owner, start_ns, split));
        }
    }
}

/// The segments of the path through `window`, in time order.
fn walk(tree: &TimedTree, window: (i64, i64)) -> Vec<PathSegment> {
    let mut backwards = Vec::new();
    // An explicit stack: step trees can nest thousands deep.
    let mut stack = vec![Frame::new(None, tree, window)];
    while let Some(frame) = stack.last_mut() {
        let Some((child, start, end)) = frame.choose() else {
            if frame.cursor > frame.start_ns {
                frame.own_time(frame.start_ns, &mut backwards);
            }
            stack.pop();
            continue;
        };
        if end < frame.cursor {
            frame.own_time(end, &mut backwards);
        }
        frame.cursor = frame.cursor.min(start);
        stack.push(Frame::new(Some(child), tree, (start, end)));
    }
    backwards.reverse();
    backwards
}

fn segment(step: Option<usize>, start_ns: i64, end_ns: i64) -> PathSegment {
    PathSegment {
        step,
        start_ns,
        end_ns,
    }
}

fn trace_shares(context: &Context, spans: &[Option<(i64, i64)>], window: (i64, i64)) -> TimeShares {
    let mut by_part: [Vec<(i64, i64)>; 3] = Default::default();
    for (step, span) in context.trace.steps.iter().zip(spans) {
        let at = match Part::of(step.kind) {
            Part::Llm => 0,
            Part::Tool => 1,
            Part::Other => 2,
            Part::Wait => continue,
        };
        if let Some(span) = span {
            by_part[at].push(*span);
        }
    }
    // Unions of growing sets: LLM, LLM ∪ tool, LLM ∪ tool ∪ other. Each part is the
    // time the next set adds, so the parts cannot overlap.
    let mut covered = Vec::new();
    let mut union_ns = [0i64; 3];
    for (at, intervals) in by_part.iter().enumerate() {
        covered.extend_from_slice(intervals);
        union_ns[at] = union_len(&mut covered, window);
    }
    let wall_ns = window.1.saturating_sub(window.0);
    TimeShares {
        wall_ns,
        llm_ns: union_ns[0],
        tool_ns: union_ns[1] - union_ns[0],
        other_ns: union_ns[2] - union_ns[1],
        wait_ns: wall_ns - union_ns[2],
    }
}

/// Length of the union of `intervals` clipped to `window` (sorts `intervals`).
fn union_len(intervals: &mut [(i64, i64)], window: (i64, i64)) -> i64 {
    intervals.sort_unstable();
    let mut total = 0i64;
    let mut reach = window.0;
    for &(start, end) in intervals.iter() {
        let (start, end) = (start.max(reach), end.min(window.1));
        if end > start {
            total = total.saturating_add(end - start);
            reach = end;
        }
    }
    total
}

fn path_shares(context: &Context, segments: &[PathSegment]) -> TimeShares {
    let mut shares = TimeShares::default();
    for segment in segments {
        let length = segment.end_ns.saturating_sub(segment.start_ns);
        shares.wall_ns = shares.wall_ns.saturating_add(length);
        let part = segment
            .step
            .map_or(Part::Wait, |step| Part::of(context.trace.steps[step].kind));
        let total = shares.part(part);
        *total = total.saturating_add(length);
    }
    shares
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_steps_sum_their_own_segments() {
        let segment = |step, start_ns, end_ns| PathSegment {
            step,
            start_ns,
            end_ns,
        };
        let path = CriticalPath {
            segments: vec![
                segment(None, 0, 5),
                segment(Some(3), 5, 10),
                segment(Some(7), 10, 30),
                segment(Some(3), 30, 50),
                segment(Some(9), 50, 55),
            ],
            steps: vec![3, 7, 9],
            ..CriticalPath::default()
        };
        assert_eq!(path.longest_steps(2), [(3, 25), (7, 20)]);
        assert_eq!(CriticalPath::default().longest_steps(5), []);
    }
}
