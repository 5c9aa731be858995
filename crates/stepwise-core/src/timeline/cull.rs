//! Culling and level of detail: a lane's bars within a window at a zoom, with runs of sub-pixel bars merged into groups. Pure core; depends on the layout, the scale and the swatches (a group takes its steps' majority colour).

use super::colours::Swatch;
use super::layout::{BarKind, KindCounts, Layout};
use super::scale::TimeScale;

/// Bars narrower than this may merge with their neighbours (level of detail).
const MERGE_BELOW_PX: f64 = 1.5;

/// Several steps of one lane that fall under about a pixel, drawn as one mark (level of
/// detail). Positions count bars of the lane in order of start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Group {
    pub lane: usize,
    pub from: usize,
    /// One past the last position.
    pub to: usize,
    pub start_ns: i64,
    pub end_ns: i64,
    pub failed: usize,
    /// The colour most of its steps have.
    pub swatch: Swatch,
}

impl Group {
    pub fn steps(&self) -> usize {
        self.to - self.from
    }
}

/// One thing drawn in a lane: a bar (index into `layout.bars`) or a merged group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Bar(usize),
    Group(Group),
}

/// A lane's marks in a window, and the starts of the failed steps hidden in its groups.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LaneMarks {
    pub marks: Vec<Mark>,
    /// Where to draw a red tick: the first failure of each merged bucket that holds one,
    /// so at most one per pixel.
    pub error_ticks_ns: Vec<i64>,
}

/// The marks of `lane` within `window_ns` at `scale`'s zoom. Bars at least
/// `MERGE_BELOW_PX` wide stay themselves; narrower ones are bucketed by pixel (on a
/// grid anchored at the trace start, so buckets do not flicker while panning), and a
/// bucket of two or more becomes a group. Adjacent groups of one colour join.
///
/// Every step jumps by binary search over the lane's sorted starts, so a frame costs
/// O(pixels × log n) per lane whatever the number of steps in the window.
pub fn lane_marks(
    layout: &Layout,
    lane: usize,
    scale: &TimeScale,
    window_ns: (i64, i64),
) -> LaneMarks {
    let mut out = LaneMarks::default();
    let ns_per_px = (scale.span_ns() as f64 / scale.width_px).max(1e-9);
    let merge_ns = MERGE_BELOW_PX * ns_per_px;
    let origin = layout.start_ns;
    let mut at = layout.lane_first_ending_from(lane, window_ns.0);
    // The position of the last mark when it is a lone sub-pixel bar, which the next
    // bucket may join.
    let mut small_before: Option<usize> = None;
    while let Some((start, end)) = layout.lane_span(lane, at) {
        if start > window_ns.1 {
            break;
        }
        if (end - start) as f64 >= merge_ns {
            out.marks.extend(layout.lane_bar(lane, at).map(Mark::Bar));
            small_before = None;
            at += 1;
            continue;
        }
        let bucket = ((start - origin) as f64 / ns_per_px).floor();
        let bucket_end = origin.saturating_add(((bucket + 1.0) * ns_per_px).ceil() as i64);
        let mut to = layout.lane_first_starting_from(lane, at + 1, bucket_end.max(start + 1));
        // Only the last bar of a bucket can be wide: it is what ends the bucket.
        if to - at > 1 {
            let (last_start, last_end) = layout.lane_span(lane, to - 1).unwrap_or((0, 0));
            if (last_end - last_start) as f64 >= merge_ns {
                to -= 1;
            }
        }
        let counts = swatch_counts(&layout.lane_kind_counts(lane, at, to));
        let swatch = (0..counts.len())
            .max_by_key(|&k| (counts[k], std::cmp::Reverse(k)))
            .map_or(Swatch::Other, |k| Swatch::ALL[k]);
        let end_ns = layout.lane_span(lane, to - 1).map_or(end, |span| span.1);
        // Within a pixel of the mark before and of its colour: they are one group.
        let joins = |last_end_ns: i64| ((start - last_end_ns) as f64) < ns_per_px;
        let from = match out.marks.last() {
            Some(Mark::Group(last))
                if last.swatch == swatch && last.to == at && joins(last.end_ns) =>
            {
                Some(last.from)
            }
            Some(Mark::Bar(_))
                if small_before == Some(at.wrapping_sub(1))
                    && layout
                        .lane_bar(lane, at - 1)
                        .and_then(|index| layout.bars.get(index))
                        .is_some_and(|bar| Swatch::of(bar.kind) == swatch)
                    && layout
                        .lane_span(lane, at - 1)
                        .is_some_and(|(_, e)| joins(e)) =>
            {
                Some(at - 1)
            }
            _ if to - at == 1 => None,
            _ => Some(at),
        };
        small_before = None;
        let Some(from) = from else {
            // A lone thin bar stays itself: it is drawn a pixel wide, and can be hit.
            out.marks.extend(layout.lane_bar(lane, at).map(Mark::Bar));
            small_before = Some(at);
            at = to;
            continue;
        };
        if from < at && matches!(out.marks.last(), Some(Mark::Bar(_))) {
            out.marks.pop();
        }
        // The first failure among the bars not yet ticked gets a tick.
        let fresh =
            if from < at && matches!(out.marks.last(), Some(Mark::Group(g)) if g.from == from) {
                at
            } else {
                from
            };
        if let Some(position) = layout.lane_failed(lane, fresh, to).1 {
            out.error_ticks_ns
                .extend(layout.lane_span(lane, position).map(|span| span.0));
        }
        let start_ns = layout.lane_span(lane, from).map_or(start, |span| span.0);
        let group = Group {
            lane,
            from,
            to,
            start_ns,
            end_ns,
            failed: layout.lane_failed(lane, from, to).0,
            swatch,
        };
        match out.marks.last_mut() {
            Some(Mark::Group(last)) if last.from == from => *last = group,
            _ => out.marks.push(Mark::Group(group)),
        }
        at = to;
    }
    out
}

/// Bars per swatch, from bars per kind.
fn swatch_counts(kinds: &KindCounts) -> [u32; Swatch::ALL.len()] {
    let mut out = [0; Swatch::ALL.len()];
    for kind in BarKind::all() {
        out[Swatch::of(kind).index()] += kinds[kind.index()];
    }
    out
}
