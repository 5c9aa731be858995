//! Pure timeline geometry: rows and lanes, the time↔pixel scale, axis ticks and hit
//! testing. Views only draw what this computes. Pure core.
//!
//! Each task is a row: its own bar on the row's first lane, its steps on the lanes
//! beneath, a child always below its parent, and overlapping (parallel) steps on
//! separate lanes. Steps that belong to no task share a last row.

use std::collections::BTreeMap;

use crate::model::{Status, StepKind, Trace};
use crate::timeline_draw::Swatch;
use crate::tree::{step_rows, StepRow};

/// Maps the time window `[start_ns, end_ns]` onto `[0, width_px]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeScale {
    pub start_ns: i64,
    pub end_ns: i64,
    pub width_px: f64,
}

impl TimeScale {
    /// An empty or reversed window is widened to 1 ns so that nothing divides by zero.
    pub fn new(start_ns: i64, end_ns: i64, width_px: f64) -> TimeScale {
        TimeScale {
            start_ns,
            end_ns: end_ns.max(start_ns.saturating_add(1)),
            width_px: width_px.max(1.0),
        }
    }

    pub fn span_ns(&self) -> i64 {
        self.end_ns - self.start_ns
    }

    pub fn x_of(&self, time_ns: i64) -> f64 {
        (time_ns - self.start_ns) as f64 / self.span_ns() as f64 * self.width_px
    }

    pub fn time_at(&self, x_px: f64) -> i64 {
        self.start_ns + (x_px / self.width_px * self.span_ns() as f64).round() as i64
    }

    /// Tick offsets from `start_ns`, on a 1-2-5 grid, about `target_px` apart.
    pub fn ticks(&self, target_px: f64) -> Vec<i64> {
        let wanted = (self.width_px / target_px.max(1.0)).max(1.0);
        let step_ns = nice_step_ns(self.span_ns() as f64 / wanted);
        let first = (self.start_ns as f64 / step_ns as f64).ceil() as i64 * step_ns;
        (0..)
            .map(|index| first.saturating_add(index * step_ns))
            .take_while(|tick| *tick <= self.end_ns)
            .map(|tick| tick - self.start_ns)
            .collect()
    }

    /// Zooms by `factor` (< 1 zooms in) around the pixel `anchor_px`, which stays put.
    /// The window never gets narrower than 1 µs nor wider than `limit`.
    pub fn zoomed(&self, factor: f64, anchor_px: f64, limit: (i64, i64)) -> TimeScale {
        let anchor_ns = self.time_at(anchor_px);
        let span_ns =
            (self.span_ns() as f64 * factor).clamp(1_000.0, (limit.1 - limit.0).max(1_000) as f64);
        let left = anchor_px / self.width_px;
        let start_ns = anchor_ns - (span_ns * left).round() as i64;
        self.clamped(start_ns, start_ns + span_ns.round() as i64, limit)
    }

    /// Moves the window by `dx_px` pixels (positive moves later in time), within `limit`.
    pub fn panned(&self, dx_px: f64, limit: (i64, i64)) -> TimeScale {
        let shift_ns = (dx_px / self.width_px * self.span_ns() as f64).round() as i64;
        self.clamped(self.start_ns + shift_ns, self.end_ns + shift_ns, limit)
    }

    fn clamped(&self, start_ns: i64, end_ns: i64, limit: (i64, i64)) -> TimeScale {
        let span_ns = (end_ns - start_ns).min(limit.1 - limit.0).max(1);
        let start_ns = start_ns.clamp(limit.0, (limit.1 - span_ns).max(limit.0));
        TimeScale::new(start_ns, start_ns + span_ns, self.width_px)
    }
}

/// The smallest 1, 2 or 5 × 10^k nanoseconds not below `raw_ns`.
fn nice_step_ns(raw_ns: f64) -> i64 {
    let raw_ns = raw_ns.max(1.0);
    let magnitude = 10f64.powf(raw_ns.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|factor| factor * magnitude)
        .find(|candidate| *candidate >= raw_ns)
        .unwrap_or(10.0 * magnitude);
    step.round() as i64
}

/// A tick label in a unit that suits the window: "250 ms", "1.5 s", "2 min".
pub fn tick_label(offset_ns: i64, window_ns: i64) -> String {
    let offset_ms = offset_ns as f64 / 1e6;
    if window_ns < 2_000_000 {
        format!("{:.0} µs", offset_ns as f64 / 1e3)
    } else if window_ns < 2_000_000_000 {
        format!("{offset_ms:.0} ms")
    } else if window_ns < 180_000_000_000 {
        let secs = offset_ms / 1e3;
        if (secs - secs.round()).abs() < 1e-9 {
            format!("{secs:.0} s")
        } else {
            format!("{secs:.1} s")
        }
    } else {
        let minutes = offset_ms / 60_000.0;
        if (minutes - minutes.round()).abs() < 1e-9 {
            format!("{minutes:.0} min")
        } else {
            format!("{minutes:.1} min")
        }
    }
}

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
    /// `counts[i][k]`: bars of legend colour `k` among the first `i`.
    counts: Vec<[u32; KIND_GROUPS]>,
    /// Positions (in this lane) of the failed bars, ascending.
    failed: Vec<usize>,
}

/// Legend colours, counted per lane for the colour of a merged run.
const KIND_GROUPS: usize = Swatch::ALL.len();

/// Lays out the trace: rows per task in order of start, steps in lanes beneath.
/// A step with no end runs to the trace's end (it is still running).
pub fn layout(trace: &Trace) -> Layout {
    layout_with_rows(trace, &step_rows(trace))
}

/// `layout`, given the trace's step rows (`tree::step_rows`) when the caller has them:
/// building them costs tens of milliseconds at 100k steps.
pub fn layout_with_rows(trace: &Trace, rows: &[StepRow]) -> Layout {
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

    let links = trace.links();
    // Steps per task, in tree order; `None` collects those outside any task.
    let mut groups: Vec<StepGroup> = trace
        .tasks
        .iter()
        .enumerate()
        .map(|(index, _)| (Some(index), Vec::new()))
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
        let task_start = task.and_then(|t| trace.tasks[t].start_ns);
        let first_step = steps
            .iter()
            .filter_map(|(s, _)| trace.steps[*s].start_ns)
            .min();
        (
            task_start.or(first_step).is_none(),
            task_start.or(first_step),
        )
    });
    if !loose.is_empty() {
        groups.push((None, loose));
    }

    let mut out = Layout {
        start_ns,
        end_ns,
        ..Layout::default()
    };
    // Row and lane of each placed step, so children go below their parent (in its row).
    let mut lane_of: Vec<Option<(usize, usize)>> = vec![None; trace.steps.len()];
    for (row_number, (task, steps)) in groups.into_iter().enumerate() {
        let first_lane = out.lanes;
        let mut lanes = LaneSet::default();
        // The task's own bar takes lane 0 of its row.
        let has_task_bar = match task {
            Some(t) => {
                let task_ref = &trace.tasks[t];
                let start = task_ref.start_ns.or_else(|| {
                    steps
                        .iter()
                        .filter_map(|(s, _)| trace.steps[*s].start_ns)
                        .min()
                });
                match start {
                    Some(start) => {
                        let end = task_ref.end_ns.unwrap_or(end_ns).max(start);
                        lanes.place(0, start, end.max(start + 1));
                        out.bars.push(Bar {
                            step: None,
                            task: Some(t),
                            lane: first_lane,
                            start_ns: start,
                            end_ns: end,
                            kind: BarKind::Task,
                            failed: task_ref.status == Status::Failed,
                            running: task_ref.end_ns.is_none(),
                        });
                        true
                    }
                    None => false,
                }
            }
            None => false,
        };
        let base = usize::from(has_task_bar);
        for (step_index, _depth) in steps {
            let step = &trace.steps[step_index];
            let Some(start) = step.start_ns else {
                out.untimed_steps += 1;
                continue;
            };
            let end = step.end_ns.unwrap_or(end_ns).max(start);
            let parent_lane = links
                .parent
                .get(step_index)
                .copied()
                .flatten()
                .and_then(|parent| lane_of.get(parent).copied().flatten())
                .filter(|(row, _)| *row == row_number)
                .map(|(_, lane)| lane);
            let min_lane = parent_lane.map_or(base, |lane| lane + 1);
            // Zero-length steps still need a sliver so they can be seen and hit.
            let lane = lanes.place(min_lane, start, end.max(start + 1));
            if let Some(slot) = lane_of.get_mut(step_index) {
                *slot = Some((row_number, lane));
            }
            out.bars.push(Bar {
                step: Some(step_index),
                task,
                lane: first_lane + lane,
                start_ns: start,
                end_ns: end,
                kind: BarKind::Step(step.kind),
                failed: step.status == Status::Failed || step.kind == StepKind::Error,
                running: step.end_ns.is_none(),
            });
        }
        let used = lanes.lanes.len().max(1);
        out.rows.push(Row {
            task,
            label: match task {
                Some(t) => trace.tasks[t].name.clone(),
                None => "Other steps".to_string(),
            },
            first_lane,
            lanes: used,
        });
        out.lanes += used;
    }
    out.reindex();
    out
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
            .map(|mut list| {
                list.sort_by_key(|&index| bars[index].start_ns);
                let mut lane = LaneIndex {
                    starts: list.iter().map(|&i| bars[i].start_ns).collect(),
                    ends: list.iter().map(|&i| bars[i].end_ns).collect(),
                    counts: Vec::with_capacity(list.len() + 1),
                    ..LaneIndex::default()
                };
                let mut running = [0u32; KIND_GROUPS];
                lane.counts.push(running);
                for (position, &index) in list.iter().enumerate() {
                    running[Swatch::of(bars[index].kind).index()] += 1;
                    lane.counts.push(running);
                    if bars[index].failed {
                        lane.failed.push(position);
                    }
                }
                lane.bars = list;
                lane
            })
            .collect();
    }

    /// The bar under a point: `lane` from the top, `time_ns` on the axis, with
    /// `slop_ns` of tolerance so thin bars can still be hit. The nearest bar wins.
    pub fn hit(&self, lane: usize, time_ns: i64, slop_ns: i64) -> Option<usize> {
        let index = self.by_lane.get(lane)?;
        // Bars in a lane never overlap, so only the neighbours of the insertion point matter.
        let at = index.starts.partition_point(|&start| start <= time_ns);
        [at.checked_sub(1), Some(at)]
            .into_iter()
            .flatten()
            .filter(|&position| position < index.bars.len())
            .map(|position| {
                let (start, end) = (index.starts[position], index.ends[position]);
                let distance = if time_ns < start {
                    start - time_ns
                } else if time_ns > end {
                    time_ns - end
                } else {
                    0
                };
                (distance, index.bars[position])
            })
            .filter(|(distance, _)| *distance <= slop_ns)
            .min()
            .map(|(_, index)| index)
    }

    /// The bar of a step, for scrolling it into view.
    pub fn bar_of_step(&self, step: usize) -> Option<&Bar> {
        self.bars.get(self.bar_index_of_step(step)?)
    }

    /// The index into `bars` of a step's bar; none for an untimed step.
    pub fn bar_index_of_step(&self, step: usize) -> Option<usize> {
        self.step_bar.get(step).copied().flatten()
    }

    /// How many bars `lane` holds.
    pub fn lane_len(&self, lane: usize) -> usize {
        self.by_lane.get(lane).map_or(0, |index| index.bars.len())
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

    /// Bars of each legend colour (in `Swatch::ALL` order) at positions `from..to` of `lane`.
    pub fn lane_kind_counts(&self, lane: usize, from: usize, to: usize) -> [u32; KIND_GROUPS] {
        let mut out = [0; KIND_GROUPS];
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_both_ways() {
        let scale = TimeScale::new(1_000, 3_000, 200.0);
        assert_eq!(scale.x_of(2_000), 100.0);
        assert_eq!(scale.time_at(50.0), 1_500);
    }

    #[test]
    fn empty_window_does_not_divide_by_zero() {
        let scale = TimeScale::new(5, 5, 100.0);
        assert!(scale.x_of(5).is_finite());
    }

    #[test]
    fn ticks_fall_on_round_numbers() {
        // 10 s over 1000 px with ticks about 100 px apart: every second.
        let scale = TimeScale::new(0, 10_000_000_000, 1000.0);
        let ticks = scale.ticks(100.0);
        assert_eq!(ticks.len(), 11);
        assert_eq!(ticks[1], 1_000_000_000);
    }

    #[test]
    fn tick_labels_pick_units_by_window() {
        assert_eq!(tick_label(500_000, 1_000_000), "500 µs");
        assert_eq!(tick_label(250_000_000, 1_000_000_000), "250 ms");
        assert_eq!(tick_label(1_500_000_000, 10_000_000_000), "1.5 s");
        assert_eq!(tick_label(20_000_000_000, 100_000_000_000), "20 s");
        assert_eq!(tick_label(120_000_000_000, 600_000_000_000), "2 min");
    }

    #[test]
    fn zoom_keeps_the_anchor_and_stays_in_bounds() {
        let scale = TimeScale::new(0, 1_000_000_000, 1000.0);
        let zoomed = scale.zoomed(0.5, 250.0, (0, 1_000_000_000));
        assert_eq!(zoomed.span_ns(), 500_000_000);
        assert_eq!(zoomed.time_at(250.0), scale.time_at(250.0));
        let out = zoomed.zoomed(10.0, 0.0, (0, 1_000_000_000));
        assert_eq!((out.start_ns, out.end_ns), (0, 1_000_000_000));
        let panned = zoomed.panned(-10_000.0, (0, 1_000_000_000));
        assert_eq!(panned.start_ns, 0, "panning stops at the start");
    }
}
