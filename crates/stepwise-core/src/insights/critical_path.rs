//! The critical path: the chain of steps that determined the trace's duration, and how
//! the trace's wall time splits between LLM calls, tools, other work and idle. Pure core.
//!
//! Definition. The trace is a virtual root spanning its window; every step spans
//! `[start, end]`, a running step (no end) lasting until the window's end. Walking back
//! from the end of a span (the cursor), the path goes through:
//! 1. the child that ended latest at or before the cursor — the predecessor the rest had
//!    to wait for; but
//! 2. if a child that is still running at the cursor started no later than that
//!    predecessor ended (so it covers the whole gap), that running child instead, cut at
//!    the cursor: parallel lanes are explained by the lane that was busy, not by idle.
//!
//! The chosen child is walked the same way inside its own span, and the cursor moves to
//! its start. Time between chosen children is the span's own time (for the root: idle).
//! Children that only overlap another lane's work are off the path. Steps without a
//! start are left out; zero-length steps cannot hold the path.

use crate::model::StepKind;

use super::{is_container, share, Context};

/// A stretch of the critical path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PathSegment {
    /// The step whose own time this is; `None` for time when no step was on the path
    /// (the trace waiting between steps).
    pub step: Option<usize>,
    pub start_ns: i64,
    pub end_ns: i64,
}

/// How wall time splits. The parts never overlap and add up to `wall_ns`: time when an
/// LLM call runs counts as LLM, else a tool as tool, else any other work (reasoning,
/// memory, errors…) as other, else idle. So parallel calls cannot exceed 100 %.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TimeShares {
    pub wall_ns: i64,
    pub llm_ns: i64,
    pub tool_ns: i64,
    pub other_ns: i64,
    pub idle_ns: i64,
}

impl TimeShares {
    /// Fractions of the wall time, in 0..=1: [llm, tool, other, idle].
    pub fn fractions(&self) -> [f64; 4] {
        let wall = self.wall_ns as f64;
        [self.llm_ns, self.tool_ns, self.other_ns, self.idle_ns].map(|ns| share(ns as f64, wall))
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
    /// The same split along the path: a container's own time on it counts as idle.
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
    let spans = spans(context, window.1);
    let segments = walk(context, &spans, window);
    let mut steps = Vec::new();
    let mut seen = vec![false; context.trace.steps.len()];
    for step in segments.iter().filter_map(|segment| segment.step) {
        if !std::mem::replace(&mut seen[step], true) {
            steps.push(step);
        }
    }
    CriticalPath {
        path_shares: path_shares(context, &segments),
        shares: trace_shares(context, &spans, window),
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

/// Each step's `(start, end)`; running steps last until `now_ns`.
fn spans(context: &Context, now_ns: i64) -> Vec<Option<(i64, i64)>> {
    context
        .trace
        .steps
        .iter()
        .map(|step| {
            let start = step.start_ns?;
            Some((start, step.end_ns.unwrap_or(now_ns).max(start)))
        })
        .collect()
}

/// One span being walked back from its end.
struct Frame {
    owner: Option<usize>,
    /// Children with a non-empty span: `(start, end, step)`, latest end first.
    candidates: Vec<(i64, i64, usize)>,
    next: usize,
    /// The earliest-starting child passed over because it ends after the cursor.
    earliest_open: Option<(i64, usize)>,
    cursor: i64,
    start_ns: i64,
}

impl Frame {
    fn new(
        owner: Option<usize>,
        children: &[usize],
        spans: &[Option<(i64, i64)>],
        window: (i64, i64),
    ) -> Frame {
        let mut candidates: Vec<(i64, i64, usize)> = children
            .iter()
            .filter_map(|&child| {
                let (start, end) = spans[child]?;
                let (start, end) = (start.max(window.0), end.min(window.1));
                (start < end).then_some((start, end, child))
            })
            .collect();
        candidates.sort_by_key(|&(start, end, child)| (std::cmp::Reverse(end), start, child));
        Frame {
            owner,
            candidates,
            next: 0,
            earliest_open: None,
            cursor: window.1,
            start_ns: window.0,
        }
    }

    /// The next child on the path going back, with its span cut at the cursor.
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
}

/// The segments of the path through `window`, in time order.
fn walk(context: &Context, spans: &[Option<(i64, i64)>], window: (i64, i64)) -> Vec<PathSegment> {
    let mut backwards = Vec::new();
    // An explicit stack: step trees can nest thousands deep.
    let mut stack = vec![Frame::new(None, &context.roots, spans, window)];
    while let Some(frame) = stack.last_mut() {
        let Some((child, start, end)) = frame.choose() else {
            if frame.cursor > frame.start_ns {
                backwards.push(segment(frame.owner, frame.start_ns, frame.cursor));
            }
            stack.pop();
            continue;
        };
        if end < frame.cursor {
            backwards.push(segment(frame.owner, end, frame.cursor));
        }
        frame.cursor = frame.cursor.min(start);
        let children = &context.children[child];
        stack.push(Frame::new(Some(child), children, spans, (start, end)));
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

/// Which part of `TimeShares` a step's time counts towards: 0 LLM, 1 tool, 2 other,
/// `None` for containers.
fn category(kind: StepKind) -> Option<usize> {
    match kind {
        StepKind::LlmCall => Some(0),
        StepKind::ToolCall | StepKind::ToolResult => Some(1),
        kind if is_container(kind) => None,
        _ => Some(2),
    }
}

fn trace_shares(context: &Context, spans: &[Option<(i64, i64)>], window: (i64, i64)) -> TimeShares {
    let mut by_category: [Vec<(i64, i64)>; 3] = Default::default();
    for (step, span) in context.trace.steps.iter().zip(spans) {
        if let (Some(category), Some(span)) = (category(step.kind), span) {
            by_category[category].push(*span);
        }
    }
    // Unions of growing sets: LLM, LLM ∪ tool, LLM ∪ tool ∪ other. Each part is the
    // time the next set adds, so the parts cannot overlap.
    let mut covered = Vec::new();
    let mut union_ns = [0i64; 3];
    for (category, intervals) in by_category.iter().enumerate() {
        covered.extend_from_slice(intervals);
        union_ns[category] = union_len(&mut covered, window);
    }
    let wall_ns = window.1.saturating_sub(window.0);
    TimeShares {
        wall_ns,
        llm_ns: union_ns[0],
        tool_ns: union_ns[1] - union_ns[0],
        other_ns: union_ns[2] - union_ns[1],
        idle_ns: wall_ns - union_ns[2],
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
        let kind = segment.step.map(|step| context.trace.steps[step].kind);
        let part = match kind.and_then(category) {
            Some(0) => &mut shares.llm_ns,
            Some(1) => &mut shares.tool_ns,
            Some(_) => &mut shares.other_ns,
            None => &mut shares.idle_ns,
        };
        *part = part.saturating_add(length);
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
