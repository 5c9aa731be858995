//! Timeline layout: rows per task, lanes for nesting and overlap, and the per-lane index culling and hit testing search. Pure core; depends on the model and the step tree only, never on drawing.
//!
//! Each task is a row: its own bar on the row's first lane, its steps on the lanes
//! beneath, a child always below its parent, and overlapping (parallel) steps on
//! separate lanes. Steps that belong to no task share a last row.

use std::collections::BTreeMap;

use crate::model::{Links, Status, StepKind, Task, Trace};
use crate::tree::{step_rows, StepRow};

/// One task (or the "other steps" group) and the lanes it occupies.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Index into `trace.tasks`; `None` for steps outside any task.
    pub task: Option<usize>,
    pub label: String,
    /// The row's first lane, in lanes from the top of the chart.
    pub first_lane: usize,
    pub lanes: usize,
}

/// One drawable bar.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bar {
    /// Index into `trace.steps`; `None` for a task's own bar.
    pub step: Option<usize>,
    pub task: Option<usize>,
    /// Lanes from the top of the chart.
    pub lane: usize,
    pub start_ns: i64,
    pub end_ns: i64,
    pub kind: BarKind,
    pub failed: bool,
    /// Still running: drawn open-ended.
    pub running: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BarKind {
    Task,
    Step(StepKind),
}

impl BarKind {
    /// How many bar kinds there are: a task's own bar, then one per step kind.
    pub const COUNT: usize = 1 + StepKind::ALL.len();

    /// Every bar kind, in the order of [`BarKind::index`].
    pub fn all() -> impl Iterator<Item = BarKind> {
        std::iter::once(BarKind::Task).chain(StepKind::ALL.into_iter().map(BarKind::Step))
    }

    /// A dense index below [`BarKind::COUNT`], for counting bars per kind.
    pub fn index(self) -> usize {
        match self {
            BarKind::Task => 0,
            // `StepKind::ALL` is in declaration order, so `as usize` is the position in it.
            BarKind::Step(kind) => 1 + kind as usize,
        }
    }
}

/// Counts of bars per [`BarKind::index`].
pub type KindCounts = [u32; BarKind::COUNT];

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    pub start_ns: i64,
    pub end_ns: i64,
    pub rows: Vec<Row>,
    pub bars: Vec<Bar>,
    pub lanes: usize,
    /// Steps left off because they have no start time.
    pub untimed_steps: usize,
    /// Per lane, the bars sorted by start: for culling, merging and hit testing.
    by_lane: Vec<LaneIndex>,
    /// Per step, its index into `bars`.
    step_bar: Vec<Option<usize>>,
}

/// A task (or none) and its steps as `(step index, depth)`, in tree order.
type StepGroup = (Option<usize>, Vec<(usize, usize)>);

/// Free space per lane: the intervals already taken, keyed by start. A B-tree keeps each
/// placement O(log n) even when one lane holds a million steps (a sorted `Vec` insert
/// would make the layout quadratic).
#[derive(Default)]
struct LaneSet {
    lanes: Vec<BTreeMap<i64, i64>>,
}

impl LaneSet {
    /// The first lane at or after `min_lane` where `[start, end)` is free; takes it.
    fn place(&mut self, min_lane: usize, start: i64, end: i64) -> usize {
        let mut lane = min_lane;
        loop {
            if lane >= self.lanes.len() {
                self.lanes.resize_with(lane + 1, BTreeMap::new);
            }
            let taken = &mut self.lanes[lane];
            let clear_before = taken
                .range(..=start)
                .next_back()
                .is_none_or(|(_, &taken_end)| taken_end <= start);
            let clear_after = taken
                .range(start..)
                .next()
                .is_none_or(|(&taken_start, _)| taken_start >= end);
            if clear_before && clear_after {
                taken.insert(start, end);
                return lane;
            }
            lane += 1;
        }
    }
}

/// One lane's bars in order of start, with what level of detail needs to merge a run of
/// them in O(log n): their times, kind counts as prefix sums, and where the failed are.
#[derive(Clone, Debug, Default, PartialEq)]
struct LaneIndex {
    /// Indices into `Layout::bars`.
    bars: Vec<usize>,
    starts: Vec<i64>,
    /// Sorted as well: bars in a lane never overlap.
    ends: Vec<i64>,
    /// `counts[i][k]`: bars of kind index `k` among the first `i`.
    counts: Vec<KindCounts>,
    /// Positions (in this lane) of the failed bars, ascending.
    failed: Vec<usize>,
}

/// Lays out the trace: rows per task in order of start, steps in lanes beneath.
/// A step with no end runs to the trace's end (it is still running).
pub fn layout(trace: &Trace) -> Layout {
    layout_with_rows(trace, &step_rows(trace))
}

/// `layout`, given the trace's step rows (`tree::step_rows`) when the caller has them:
/// building them costs tens of milliseconds at 100k steps.
pub fn layout_with_rows(trace: &Trace, rows: &[StepRow]) -> Layout {
    layout_in_span(trace, rows, trace_span_ns(trace), true)
}

/// `layout_with_rows` for a page re-rooted at a step (`rows` its subtree): the time axis
/// spans only those rows' steps, so the subtree fills the width.
pub fn layout_subtree(trace: &Trace, rows: &[StepRow]) -> Layout {
    let steps = || rows.iter().filter_map(|row| trace.steps.get(row.step));
    let start_ns = steps().filter_map(|s| s.start_ns).min();
    let end_ns = steps().flat_map(|s| [s.start_ns, s.end_ns]).flatten().max();
    match (start_ns, end_ns) {
        (Some(start_ns), Some(end_ns)) => {
            layout_in_span(trace, rows, (start_ns, end_ns.max(start_ns)), false)
        }
        // A subtree with no times at all is placed on the whole trace's axis.
        _ => layout_with_rows(trace, rows),
    }
}

/// `every_task`: a row for each task of the trace, even one with no step among `rows`; a
/// subtree shows only the tasks its steps belong to.
fn layout_in_span(
    trace: &Trace,
    rows: &[StepRow],
    (start_ns, end_ns): (i64, i64),
    every_task: bool,
) -> Layout {
    let links = trace.links();
    let mut placer = Placer {
        trace,
        links: &links,
        end_ns,
        lane_of: vec![None; trace.steps.len()],
        out: Layout {
            start_ns,
            end_ns,
            ..Layout::default()
        },
    };
    let groups = step_groups(trace, &links, rows)
        .into_iter()
        .filter(|(_, steps)| every_task || !steps.is_empty());
    for (row_number, (task, steps)) in groups.enumerate() {
        placer.place_row(row_number, task, &steps);
    }
    let mut out = placer.out;
    out.reindex();
    out
}

/// The earliest start and the latest time anything in the trace is known at.
pub fn trace_span_ns(trace: &Trace) -> (i64, i64) {
    let starts = trace
        .steps
        .iter()
        .filter_map(|s| s.start_ns)
        .chain(trace.tasks.iter().filter_map(|t| t.start_ns))
        .chain(trace.start_ns);
    let start_ns = starts.min().unwrap_or(0);
    let ends = trace
        .steps
        .iter()
        .flat_map(|s| [s.start_ns, s.end_ns])
        .chain(trace.tasks.iter().flat_map(|t| [t.start_ns, t.end_ns]))
        .chain([trace.end_ns])
        .flatten();
    let end_ns = ends.max().unwrap_or(start_ns).max(start_ns);
    (start_ns, end_ns)
}

/// Steps per task in tree order, the tasks in order of start (untimed last), and the
/// steps outside any task as a last group.
fn step_groups(trace: &Trace, links: &Links, rows: &[StepRow]) -> Vec<StepGroup> {
    let mut groups: Vec<StepGroup> = (0..trace.tasks.len())
        .map(|index| (Some(index), Vec::new()))
        .collect();
    let mut loose = Vec::new();
    for row in rows {
        // Rows are the caller's: one naming no step is skipped.
        if row.step >= trace.steps.len() {
            continue;
        }
        match links.task.get(row.step).copied().flatten() {
            Some(task) => groups[task].1.push((row.step, row.depth)),
            None => loose.push((row.step, row.depth)),
        }
    }
    groups.sort_by_cached_key(|(task, steps)| {
        let start = task
            .and_then(|t| trace.tasks[t].start_ns)
            .or_else(|| first_step_start(trace, steps));
        (start.is_none(), start)
    });
    if !loose.is_empty() {
        groups.push((None, loose));
    }
    groups
}

/// The earliest start among `steps`, as `(step index, depth)`.
fn first_step_start(trace: &Trace, steps: &[(usize, usize)]) -> Option<i64> {
    steps
        .iter()
        .filter_map(|(s, _)| trace.steps[*s].start_ns)
        .min()
}

/// Places rows one after another into `out`.
struct Placer<'a> {
    trace: &'a Trace,
    links: &'a Links,
    /// Where running bars end: the trace's end.
    end_ns: i64,
    /// Row and lane (within the row) of each placed step, so children go below their
    /// parent when it is in the same row.
    lane_of: Vec<Option<(usize, usize)>>,
    out: Layout,
}

impl Placer<'_> {
    /// One row: the task's own bar on its first lane (when it has a time), its steps below.
    fn place_row(&mut self, row_number: usize, task: Option<usize>, steps: &[(usize, usize)]) {
        let first_lane = self.out.lanes;
        let mut lanes = LaneSet::default();
        let has_task_bar = task.is_some_and(|t| self.place_task_bar(&mut lanes, t, steps));
        let base = usize::from(has_task_bar);
        for &(step_index, _depth) in steps {
            self.place_step(&mut lanes, row_number, task, step_index, base);
        }
        let used = lanes.lanes.len().max(1);
        self.out.rows.push(Row {
            task,
            label: match task {
                Some(t) => self.trace.tasks[t].name.clone(),
                None => "Other steps".to_string(),
            },
            first_lane,
            lanes: used,
        });
        self.out.lanes += used;
    }

    /// The task's own bar on lane 0 of its row; false when neither it nor its steps
    /// have a start.
    fn place_task_bar(
        &mut self,
        lanes: &mut LaneSet,
        task: usize,
        steps: &[(usize, usize)],
    ) -> bool {
        let task_ref: &Task = &self.trace.tasks[task];
        let Some(start) = task_ref
            .start_ns
            .or_else(|| first_step_start(self.trace, steps))
        else {
            return false;
        };
        let end = task_ref.end_ns.unwrap_or(self.end_ns).max(start);
        lanes.place(0, start, end.max(start + 1));
        self.out.bars.push(Bar {
            step: None,
            task: Some(task),
            lane: self.out.lanes,
            start_ns: start,
            end_ns: end,
            kind: BarKind::Task,
            failed: task_ref.status == Status::Failed,
            running: task_ref.end_ns.is_none(),
        });
        true
    }

    /// A step on the first free lane at or below `base` and below its parent's lane.
    fn place_step(
        &mut self,
        lanes: &mut LaneSet,
        row_number: usize,
        task: Option<usize>,
        step_index: usize,
        base: usize,
    ) {
        let step = &self.trace.steps[step_index];
        let Some(start) = step.start_ns else {
            self.out.untimed_steps += 1;
            return;
        };
        let end = step.end_ns.unwrap_or(self.end_ns).max(start);
        let parent_lane = self
            .links
            .parent
            .get(step_index)
            .copied()
            .flatten()
            .and_then(|parent| self.lane_of.get(parent).copied().flatten())
            .filter(|(row, _)| *row == row_number)
            .map(|(_, lane)| lane);
        let min_lane = parent_lane.map_or(base, |lane| lane + 1);
        // Zero-length steps still need a sliver so they can be seen and hit.
        let lane = lanes.place(min_lane, start, end.max(start + 1));
        if let Some(slot) = self.lane_of.get_mut(step_index) {
            *slot = Some((row_number, lane));
        }
        self.out.bars.push(Bar {
            step: Some(step_index),
            task,
            lane: self.out.lanes + lane,
            start_ns: start,
            end_ns: end,
            kind: BarKind::Step(step.kind),
            failed: step.status == Status::Failed || step.kind == StepKind::Error,
            running: step.end_ns.is_none(),
        });
    }
}

impl Layout {
    /// Builds the per-lane indexes and the step → bar map from `bars` and `lanes`: once
    /// per layout, or again after changing them by hand (as tests do).
    pub fn reindex(&mut self) {
        let steps = self
            .bars
            .iter()
            .filter_map(|bar| bar.step)
            .max()
            .map_or(0, |last| last + 1);
        let mut by_lane: Vec<Vec<usize>> = vec![Vec::new(); self.lanes];
        self.step_bar = vec![None; steps];
        for (index, bar) in self.bars.iter().enumerate() {
            if let Some(list) = by_lane.get_mut(bar.lane) {
                list.push(index);
            }
            if let Some(slot) = bar.step.and_then(|step| self.step_bar.get_mut(step)) {
                *slot = Some(index);
            }
        }
        let bars = &self.bars;
        self.by_lane = by_lane
            .into_iter()
            .map(|list| lane_index(bars, list))
            .collect();
    }

    /// The bar of a step, for scrolling it into view.
    pub fn bar_of_step(&self, step: usize) -> Option<&Bar> {
        self.bars.get(self.bar_index_of_step(step)?)
    }

    /// The index into `bars` of a step's bar; none for an untimed step.
    pub fn bar_index_of_step(&self, step: usize) -> Option<usize> {
        self.step_bar.get(step).copied().flatten()
    }

    /// The bar at `position` in `lane` (in order of start), as an index into `bars`.
    pub fn lane_bar(&self, lane: usize, position: usize) -> Option<usize> {
        self.by_lane.get(lane)?.bars.get(position).copied()
    }

    /// Start and end of the bar at `position` in `lane`.
    pub fn lane_span(&self, lane: usize, position: usize) -> Option<(i64, i64)> {
        let index = self.by_lane.get(lane)?;
        Some((*index.starts.get(position)?, *index.ends.get(position)?))
    }

    /// The first position in `lane` whose bar ends at or after `time_ns`: where a window
    /// starting then begins to cull. O(log n).
    pub fn lane_first_ending_from(&self, lane: usize, time_ns: i64) -> usize {
        self.by_lane
            .get(lane)
            .map_or(0, |index| index.ends.partition_point(|&end| end < time_ns))
    }

    /// The first position at or after `from` in `lane` whose bar starts at or after
    /// `time_ns`. O(log n).
    pub fn lane_first_starting_from(&self, lane: usize, from: usize, time_ns: i64) -> usize {
        self.by_lane.get(lane).map_or(0, |index| {
            let from = from.min(index.starts.len());
            from + index.starts[from..].partition_point(|&start| start < time_ns)
        })
    }

    /// Bars of each kind (by [`BarKind::index`]) at positions `from..to` of `lane`. O(1).
    pub fn lane_kind_counts(&self, lane: usize, from: usize, to: usize) -> KindCounts {
        let mut out = [0; BarKind::COUNT];
        if let Some(index) = self.by_lane.get(lane) {
            let to = to.min(index.bars.len());
            let from = from.min(to);
            for (k, slot) in out.iter_mut().enumerate() {
                *slot = index.counts[to][k] - index.counts[from][k];
            }
        }
        out
    }

    /// How many bars at positions `from..to` of `lane` failed, and the first of them.
    pub fn lane_failed(&self, lane: usize, from: usize, to: usize) -> (usize, Option<usize>) {
        let Some(index) = self.by_lane.get(lane) else {
            return (0, None);
        };
        let first = index.failed.partition_point(|&position| position < from);
        let last = index.failed.partition_point(|&position| position < to);
        let count = last.saturating_sub(first);
        (count, (count > 0).then(|| index.failed[first]))
    }
}

/// One lane's index from its bars (indices into `bars`, in any order).
fn lane_index(bars: &[Bar], mut list: Vec<usize>) -> LaneIndex {
    list.sort_by_key(|&index| bars[index].start_ns);
    let mut lane = LaneIndex {
        starts: list.iter().map(|&i| bars[i].start_ns).collect(),
        ends: list.iter().map(|&i| bars[i].end_ns).collect(),
        counts: Vec::with_capacity(list.len() + 1),
        ..LaneIndex::default()
    };
    let mut running = [0u32; BarKind::COUNT];
    lane.counts.push(running);
    for (position, &index) in list.iter().enumerate() {
        running[bars[index].kind.index()] += 1;
        lane.counts.push(running);
        if bars[index].failed {
            lane.failed.push(position);
        }
    }
    lane.bars = list;
    lane
}
