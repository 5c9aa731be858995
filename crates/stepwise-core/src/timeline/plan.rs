//! What one frame of the timeline canvas draws, computed without a browser: the frame's CSS-pixel geometry, culled and batched bars, row labels, ticks and the marked overlays. Pure core; depends on the layout, scale, ticks, culling, colours and text.
//!
//! The canvas only executes a [`Plan`]. Coordinates are CSS pixels from the canvas's top
//! left corner (the component scales the context by `devicePixelRatio`). The mapping, which
//! end-to-end tests rely on and the canvas exposes as `data-*` attributes:
//!
//! - x of time `t`: `gutter_px + (t - window_start_ns) / (window_end_ns - window_start_ns)
//!   × (canvas width − gutter_px − RIGHT_PAD_PX)`;
//! - y of the top of lane `n`: `top_px + n × LANE_PX`, where `top_px = AXIS_PX − scroll`;
//!   a bar fills its lane minus `BAR_INSET_PX` above and below.

use crate::fast_hash::HashMap;

use super::colours::{Fill, Swatch};
use super::cull::{lane_marks, Group, Mark};
use super::layout::{Bar, Layout};
use super::scale::TimeScale;
use super::text::{
    bar_name, task_detail, truncate_to_width, wrap_to_width, BAR_FONT_PX, LABEL_FONT_PX,
    LABEL_LINE_PX,
};
use super::ticks::{ticks, TickPaint};
use crate::model::{Status, Trace};

/// Height of one lane.
pub const LANE_PX: f64 = 20.0;
/// Height of the time axis along the top.
pub const AXIS_PX: f64 = 26.0;
/// Space between a bar and the edges of its lane.
pub const BAR_INSET_PX: f64 = 3.0;
/// Room after the last lane, so its bars do not touch the frame.
pub const BOTTOM_PAD_PX: f64 = 6.0;
/// Room after the plot, so the last tick label is not cut.
pub const RIGHT_PAD_PX: f64 = 14.0;
/// The canvas never gets taller than this; taller charts scroll inside their frame.
pub const MAX_VIEW_PX: f64 = 460.0;
/// Bars narrower than this carry no name.
const MIN_LABELLED_BAR_PX: f64 = 34.0;

/// Width of the task-name gutter: a fifth of the canvas, within readable bounds.
pub fn gutter_px(width_px: f64) -> f64 {
    (width_px * 0.2).clamp(92.0, 210.0).round()
}

/// Height of the whole chart, axis and all lanes.
pub fn content_height_px(lanes: usize) -> f64 {
    AXIS_PX + lanes.max(1) as f64 * LANE_PX + BOTTOM_PAD_PX
}

/// Height of the canvas: the whole chart, up to `MAX_VIEW_PX`.
pub fn view_height_px(lanes: usize) -> f64 {
    content_height_px(lanes).min(MAX_VIEW_PX)
}

/// The canvas's size and vertical scroll, in CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    pub width_px: f64,
    pub height_px: f64,
    pub gutter_px: f64,
    /// How far the lanes are scrolled up under the fixed axis.
    pub scroll_px: f64,
}

impl Frame {
    pub fn new(width_px: f64, height_px: f64, scroll_px: f64) -> Frame {
        Frame {
            width_px,
            height_px,
            gutter_px: gutter_px(width_px),
            scroll_px,
        }
    }

    pub fn plot_width_px(&self) -> f64 {
        (self.width_px - self.gutter_px - RIGHT_PAD_PX).max(1.0)
    }

    /// The scale of the window `(start_ns, end_ns)` over the plot.
    pub fn scale(&self, window_ns: (i64, i64)) -> TimeScale {
        TimeScale::new(window_ns.0, window_ns.1, self.plot_width_px())
    }

    /// y of lane 0's top; lanes above the axis are scrolled out of sight.
    pub fn top_px(&self) -> f64 {
        AXIS_PX - self.scroll_px
    }

    pub fn lane_top_px(&self, lane: usize) -> f64 {
        self.top_px() + lane as f64 * LANE_PX
    }

    /// The lane under `y_px`, if any: none over the axis or past the last lane.
    pub fn lane_at(&self, y_px: f64, lanes: usize) -> Option<usize> {
        if y_px < AXIS_PX || y_px >= self.height_px {
            return None;
        }
        let lane = ((y_px - self.top_px()) / LANE_PX).floor();
        (lane >= 0.0 && (lane as usize) < lanes).then_some(lane as usize)
    }

    /// Lanes at least partly below the axis: the only ones worth drawing.
    pub fn visible_lanes(&self, lanes: usize) -> std::ops::Range<usize> {
        let first = (self.scroll_px / LANE_PX).floor().max(0.0) as usize;
        let last = ((self.scroll_px + self.height_px - AXIS_PX) / LANE_PX)
            .ceil()
            .max(0.0) as usize;
        first.min(lanes)..last.min(lanes)
    }

    /// The bar's rectangle, unclipped.
    pub fn bar_rect(&self, scale: &TimeScale, bar: &Bar) -> RectPx {
        let x0 = self.gutter_px + scale.x_of(bar.start_ns);
        let x1 = self.gutter_px + scale.x_of(bar.end_ns);
        RectPx {
            x: x0,
            y: self.lane_top_px(bar.lane) + BAR_INSET_PX,
            w: x1 - x0,
            h: LANE_PX - 2.0 * BAR_INSET_PX,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RectPx {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// Rectangles of one colour at one opacity: one `fillStyle`, many `fillRect`.
#[derive(Clone, Debug, PartialEq)]
pub struct Batch {
    pub fill: Fill,
    pub alpha: f64,
    pub rects: Vec<RectPx>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutlineKind {
    Failed,
    Hovered,
    Selected,
}

/// A name written inside its bar.
#[derive(Clone, Debug, PartialEq)]
pub struct BarLabel {
    pub x_px: f64,
    /// Middle of the bar.
    pub y_px: f64,
    pub text: String,
    /// The room inside the bar, for `fillText`'s maxWidth.
    pub max_width_px: f64,
    pub fill: Fill,
}

/// A task row: shaded on every other row, its name in the gutter.
#[derive(Clone, Debug, PartialEq)]
pub struct RowPaint {
    pub top_px: f64,
    pub height_px: f64,
    pub shaded: bool,
    /// Middle of the first line of the name; the name stays in sight while scrolling.
    pub label_y_px: f64,
    /// The task's name, wrapped to the gutter, `LABEL_LINE_PX` apart.
    pub label: Vec<String>,
    /// Duration and agent, on the line after the name, when the row has room.
    pub detail: Option<String>,
    pub failed: bool,
}

/// Everything one frame draws, back to front.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    pub rows: Vec<RowPaint>,
    pub ticks: Vec<TickPaint>,
    /// A band across the plot behind the selected bar's lane.
    pub selected_lane: Option<RectPx>,
    pub batches: Vec<Batch>,
    pub outlines: Vec<(OutlineKind, RectPx)>,
    pub labels: Vec<BarLabel>,
    /// The merged groups drawn, with their rectangles (also in `batches`).
    pub groups: Vec<(Group, RectPx)>,
    /// Strips marking the critical path, drawn over the bars (`Highlights::critical_path`).
    pub critical_path: Vec<RectPx>,
    /// Strips marking the steps the search matches (`Highlights::search_matches`).
    pub search_matches: Vec<RectPx>,
}

/// Opacities of the three steps that fade out a running bar's open end.
pub const FADE_ALPHAS: [f64; 3] = [0.6, 0.35, 0.15];

/// What a frame marks beyond the plain bars: the selection, the hovered mark, and the
/// bars of the critical path and of the search's matches (indices into `layout.bars`).
/// Plain values, so a view can pass them as they come.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Highlights<'a> {
    pub selected_bar: Option<usize>,
    pub hovered: Option<Mark>,
    pub critical_path: &'a [usize],
    pub search_matches: &'a [usize],
}

/// Computes one frame: culls to the visible window and lanes (by binary search, per
/// lane), merges sub-pixel bars into groups (see [`lane_marks`]), and groups rectangles
/// by colour, then marks what `highlights` asks for.
///
/// The cost grows with the pixels and the visible lanes, not with the steps: at most
/// about two marks per pixel per lane, plus one red tick per pixel that hides a failure.
pub fn plan(
    trace: &Trace,
    layout: &Layout,
    frame: &Frame,
    window_ns: (i64, i64),
    highlights: &Highlights,
) -> Plan {
    let scale = frame.scale(window_ns);
    let visible = frame.visible_lanes(layout.lanes);
    let mut out = Plan {
        rows: rows(trace, layout, frame, &visible),
        ticks: ticks(layout.start_ns, &scale, frame.gutter_px),
        ..Plan::default()
    };
    let plot_left = frame.gutter_px;
    let plot_right = frame.gutter_px + frame.plot_width_px();
    let clip = |full: RectPx, min_w: f64| {
        let x0 = full.x.max(plot_left - 1.0);
        let x1 = (full.x + full.w).min(plot_right + 1.0).max(x0 + min_w);
        RectPx {
            x: x0,
            w: x1 - x0,
            ..full
        }
    };
    // (fill, alpha step) → rectangles; alpha step 0 is opaque.
    let mut batches: HashMap<(Fill, usize), Vec<RectPx>> = HashMap::default();
    let window = (scale.start_ns, scale.end_ns);
    for lane in visible {
        let marks = lane_marks(layout, lane, &scale, window);
        for mark in marks.marks {
            let index = match mark {
                Mark::Bar(index) => index,
                Mark::Group(group) => {
                    let rect = clip(group_rect(frame, &scale, &group), 1.0);
                    batches
                        .entry((Fill::Kind(group.swatch), 0))
                        .or_default()
                        .push(rect);
                    out.groups.push((group, rect));
                    continue;
                }
            };
            let Some(bar) = layout.bars.get(index) else {
                continue;
            };
            let full = frame.bar_rect(&scale, bar);
            let fill = bar_fill(bar);
            // Failed bars get a wider minimum so the error is visible at any zoom.
            let rect = clip(full, if bar.failed { 3.0 } else { 1.0 });
            push_bar(
                &mut batches,
                fill,
                rect,
                bar.running && full.x + full.w <= plot_right + 1.0,
            );
            if bar.failed {
                out.outlines.push((OutlineKind::Failed, rect));
            }
            if highlights.hovered == Some(Mark::Bar(index)) {
                out.outlines.push((OutlineKind::Hovered, rect));
            }
            if rect.w >= MIN_LABELLED_BAR_PX {
                let name = bar_name(trace, bar);
                // Bar names are medium weight, a little wider than the regular estimate.
                let text = truncate_to_width(name, rect.w - 8.0, BAR_FONT_PX * 1.04);
                if !text.is_empty() {
                    out.labels.push(BarLabel {
                        x_px: rect.x + 4.0,
                        y_px: rect.y + rect.h / 2.0,
                        text,
                        max_width_px: rect.w - 8.0,
                        fill,
                    });
                }
            }
        }
        // A group that hides a failure keeps the error colour: a red tick, two pixels
        // wide, where its first failed step starts, drawn over the group.
        for tick_ns in marks.error_ticks_ns {
            let x = frame.gutter_px + scale.x_of(tick_ns);
            let rect = RectPx {
                x: (x - 0.5).floor(),
                y: frame.lane_top_px(lane) + BAR_INSET_PX,
                w: 2.0,
                h: LANE_PX - 2.0 * BAR_INSET_PX,
            };
            batches.entry((Fill::Failed, 0)).or_default().push(rect);
        }
    }
    if let Some(Mark::Group(group)) = highlights.hovered {
        let rect = clip(group_rect(frame, &scale, &group), 1.0);
        out.outlines.push((OutlineKind::Hovered, rect));
    }
    // The selection shows even inside a merged group: its outline is drawn on top.
    let selected = highlights
        .selected_bar
        .and_then(|index| layout.bars.get(index));
    if let Some(bar) = selected.filter(|bar| {
        frame.visible_lanes(layout.lanes).contains(&bar.lane)
            && bar.end_ns >= scale.start_ns
            && bar.start_ns <= scale.end_ns
    }) {
        let rect = clip(
            frame.bar_rect(&scale, bar),
            if bar.failed { 3.0 } else { 1.0 },
        );
        out.outlines.push((OutlineKind::Selected, rect));
        out.selected_lane = Some(RectPx {
            x: plot_left,
            y: frame.lane_top_px(bar.lane),
            w: plot_right - plot_left,
            h: LANE_PX,
        });
    }
    out.batches = sorted_batches(batches);
    // Labels by colour too, so the canvas sets each text colour once.
    out.labels.sort_by_key(|label| fill_rank(label.fill));
    out.critical_path = path_strips(layout, frame, window_ns, highlights.critical_path);
    out.search_matches = match_strips(layout, frame, window_ns, highlights.search_matches);
    out
}

/// Legend order, failed last.
fn fill_rank(fill: Fill) -> usize {
    match fill {
        Fill::Kind(swatch) => swatch.index(),
        Fill::Failed => Swatch::ALL.len(),
    }
}

/// A bar's colour: its kind's, or the error colour when it failed.
fn bar_fill(bar: &Bar) -> Fill {
    if bar.failed {
        Fill::Failed
    } else {
        Fill::Kind(Swatch::of(bar.kind))
    }
}

/// A group's rectangle, unclipped: at least a pixel wide.
fn group_rect(frame: &Frame, scale: &TimeScale, group: &Group) -> RectPx {
    let x0 = frame.gutter_px + scale.x_of(group.start_ns);
    let x1 = (frame.gutter_px + scale.x_of(group.end_ns)).max(x0 + 1.0);
    RectPx {
        x: x0,
        y: frame.lane_top_px(group.lane) + BAR_INSET_PX,
        w: x1 - x0,
        h: LANE_PX - 2.0 * BAR_INSET_PX,
    }
}

/// A bar's rectangle, with a running bar's last pixels fading out in three steps.
fn push_bar(
    batches: &mut HashMap<(Fill, usize), Vec<RectPx>>,
    fill: Fill,
    rect: RectPx,
    open_end: bool,
) {
    if !open_end || rect.w < 12.0 {
        batches.entry((fill, 0)).or_default().push(rect);
        return;
    }
    let fade_w = (rect.w / 2.0).min(24.0);
    let step_w = fade_w / FADE_ALPHAS.len() as f64;
    let solid = RectPx {
        w: rect.w - fade_w,
        ..rect
    };
    batches.entry((fill, 0)).or_default().push(solid);
    for step in 0..FADE_ALPHAS.len() {
        let x = solid.x + solid.w + step as f64 * step_w;
        batches.entry((fill, step + 1)).or_default().push(RectPx {
            x,
            w: step_w,
            ..rect
        });
    }
}

/// Batches in a stable order: by colour in legend order, failed last, opaque first.
fn sorted_batches(batches: HashMap<(Fill, usize), Vec<RectPx>>) -> Vec<Batch> {
    let mut list: Vec<_> = batches.into_iter().collect();
    list.sort_by_key(|((fill, step), _)| (*step, fill_rank(*fill)));
    list.into_iter()
        .map(|((fill, step), rects)| Batch {
            fill,
            alpha: if step == 0 {
                1.0
            } else {
                FADE_ALPHAS[step - 1]
            },
            rects,
        })
        .collect()
}

fn rows(
    trace: &Trace,
    layout: &Layout,
    frame: &Frame,
    visible: &std::ops::Range<usize>,
) -> Vec<RowPaint> {
    let label_width = frame.gutter_px - 18.0;
    // Rows are in lane order: skip to the first visible one instead of scanning them all.
    let first = layout
        .rows
        .partition_point(|row| row.first_lane + row.lanes <= visible.start);
    layout
        .rows
        .iter()
        .enumerate()
        .skip(first)
        .take_while(|(_, row)| row.first_lane < visible.end)
        .map(|(index, row)| {
            let top_px = frame.lane_top_px(row.first_lane);
            let height_px = row.lanes as f64 * LANE_PX;
            let task = row.task.and_then(|task| trace.tasks.get(task));
            let room = (((height_px - 5.0) / LABEL_LINE_PX).floor() as usize).max(1);
            let detail = task
                .and_then(|task| task_detail(trace, task, label_width))
                .filter(|_| room >= 2);
            let name_room = if detail.is_some() { room - 1 } else { room };
            // Names are bold, about 8% wider than the estimate for regular text.
            let label = wrap_to_width(&row.label, label_width, LABEL_FONT_PX * 1.08, name_room);
            let detail = detail.filter(|_| label.len() < room);
            let lines = label.len() + usize::from(detail.is_some());
            // The name sticks under the axis while its row scrolls by, and is pushed up
            // by the next row, like a sticky header.
            let block_px = (lines.max(1) - 1) as f64 * LABEL_LINE_PX;
            let label_y_px = (top_px + LANE_PX / 2.0)
                .max(AXIS_PX + LANE_PX / 2.0)
                .min(top_px + height_px - LANE_PX / 2.0 - block_px);
            RowPaint {
                top_px,
                height_px,
                shaded: index % 2 == 1,
                label_y_px,
                label,
                detail,
                failed: task.is_some_and(|task| task.status == Status::Failed),
            }
        })
        .collect()
}

/// The scroll offset that brings `lane` into view, or `None` when it already shows.
pub fn scroll_to_lane(frame: &Frame, lane: usize) -> Option<f64> {
    let top = lane as f64 * LANE_PX;
    let room = frame.height_px - AXIS_PX;
    if top >= frame.scroll_px && top + LANE_PX <= frame.scroll_px + room {
        return None;
    }
    Some((top - room / 2.0 + LANE_PX / 2.0).max(0.0))
}

/// inset, so it never covers the bar or the next lane.
pub const PATH_STRIP_PX: f64 = BAR_INSET_PX;

/// Which inset of its lane a strip fills.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum StripEdge {
    /// Under the bar: the critical path.
    Bottom,
    /// Over the bar: search matches, so both can be shown at once.
    Top,
}

/// Strips over the bars the search matches (`match_bars`, indices into `layout.bars`),
/// merged and culled as `path_strips` does; they fill the bar's top inset.
fn match_strips(
    layout: &Layout,
    frame: &Frame,
    window_ns: (i64, i64),
    match_bars: &[usize],
) -> Vec<RectPx> {
    strips(layout, frame, window_ns, match_bars, StripEdge::Top)
}

/// Strips under the bars of the critical path (`path_bars`, indices into `layout.bars`)
/// that fall in the visible lanes and window. Strips closer than a pixel in one lane are
/// merged, so a zoomed-out path of thousands of steps draws a few hundred rectangles.
/// The strips sit on whole pixels so their colour is exact (the end-to-end test reads it).
fn path_strips(
    layout: &Layout,
    frame: &Frame,
    window_ns: (i64, i64),
    path_bars: &[usize],
) -> Vec<RectPx> {
    strips(layout, frame, window_ns, path_bars, StripEdge::Bottom)
}

fn strips(
    layout: &Layout,
    frame: &Frame,
    window_ns: (i64, i64),
    path_bars: &[usize],
    edge: StripEdge,
) -> Vec<RectPx> {
    let scale = frame.scale(window_ns);
    let visible = frame.visible_lanes(layout.lanes);
    let plot_left = frame.gutter_px;
    let plot_right = frame.gutter_px + frame.plot_width_px();
    let mut last_in_lane: HashMap<usize, usize> = HashMap::default();
    let mut out: Vec<RectPx> = Vec::new();
    let mut bars: Vec<&Bar> = path_bars
        .iter()
        .filter_map(|&index| layout.bars.get(index))
        .filter(|bar| visible.contains(&bar.lane))
        .filter(|bar| bar.end_ns >= scale.start_ns && bar.start_ns <= scale.end_ns)
        .collect();
    bars.sort_by_key(|bar| (bar.lane, bar.start_ns));
    for bar in bars {
        let full = frame.bar_rect(&scale, bar);
        let x0 = full.x.max(plot_left).floor();
        let x1 = (full.x + full.w).min(plot_right).ceil().max(x0 + 2.0);
        let y = match edge {
            StripEdge::Bottom => (frame.lane_top_px(bar.lane) + LANE_PX - PATH_STRIP_PX).round(),
            StripEdge::Top => frame.lane_top_px(bar.lane).round(),
        };
        if let Some(&previous) = last_in_lane.get(&bar.lane) {
            let strip = &mut out[previous];
            if x0 <= strip.x + strip.w + 1.0 {
                strip.w = strip.w.max(x1 - strip.x);
                continue;
            }
        }
        last_in_lane.insert(bar.lane, out.len());
        out.push(RectPx {
            x: x0,
            y,
            w: x1 - x0,
            h: PATH_STRIP_PX,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::import_bytes;
    use crate::model::StepKind;
    use crate::timeline::layout::{layout, BarKind};
    use crate::timeline::scale::limit_ns;

    fn demo() -> Trace {
        let bytes = include_bytes!("../../../../public/demo/trace.json");
        import_bytes(bytes).expect("demo imports").remove(0)
    }

    #[test]
    fn pixels_map_to_lanes_below_the_axis_and_back() {
        let frame = Frame::new(1000.0, 300.0, 0.0);
        assert_eq!(frame.gutter_px, 200.0);
        assert_eq!(
            frame.lane_at(AXIS_PX - 1.0, 10),
            None,
            "the axis is no lane"
        );
        assert_eq!(frame.lane_at(AXIS_PX + 0.5, 10), Some(0));
        assert_eq!(frame.lane_at(frame.lane_top_px(3) + 10.0, 10), Some(3));
        assert_eq!(
            frame.lane_at(frame.lane_top_px(3) + 10.0, 3),
            None,
            "past the last lane"
        );
        let scrolled = Frame::new(1000.0, 300.0, 2.0 * LANE_PX);
        assert_eq!(scrolled.lane_at(AXIS_PX + 1.0, 10), Some(2));
        assert_eq!(scrolled.visible_lanes(100), 2..16);
        assert_eq!(
            gutter_px(390.0),
            92.0,
            "narrow screens keep a readable gutter"
        );
        assert_eq!(view_height_px(1000), MAX_VIEW_PX);
    }

    #[test]
    fn the_plan_batches_by_colour_and_marks_errors_selection_and_running_ends() {
        let trace = demo();
        let layout = layout(&trace);
        let frame = Frame::new(1200.0, content_height_px(layout.lanes), 0.0);
        let failed = layout
            .bars
            .iter()
            .position(|b| b.failed)
            .expect("the demo has a failure");
        let plan = plan(
            &trace,
            &layout,
            &frame,
            limit_ns(&layout),
            &Highlights {
                selected_bar: Some(3),
                hovered: Some(Mark::Bar(4)),
                ..Highlights::default()
            },
        );
        let drawn: usize = plan.batches.iter().map(|b| b.rects.len()).sum();
        assert_eq!(
            drawn,
            layout.bars.len(),
            "no running bars in the demo: one rect per bar"
        );
        let mut fills: Vec<_> = plan
            .batches
            .iter()
            .map(|b| (b.fill, b.alpha.to_bits()))
            .collect();
        fills.dedup();
        assert_eq!(fills.len(), plan.batches.len(), "one batch per colour");
        assert!(plan.outlines.contains(&(OutlineKind::Selected, {
            let scale = frame.scale(limit_ns(&layout));
            frame.bar_rect(&scale, &layout.bars[3])
        })));
        assert!(plan
            .outlines
            .iter()
            .any(|(k, _)| *k == OutlineKind::Hovered));
        assert!(plan.outlines.iter().any(|(k, _)| *k == OutlineKind::Failed));
        assert!(plan
            .batches
            .iter()
            .any(|b| b.fill == Fill::Failed && !b.rects.is_empty()));
        assert!(layout.bars[failed].failed);
        assert!(plan.selected_lane.is_some());
        assert_eq!(plan.rows.len(), 5);
        assert_eq!(plan.rows[0].label, ["Research the market"]);
        let detail = plan.rows[0].detail.as_deref().unwrap_or_default();
        assert!(detail.starts_with("38.0 s · Senior Market"), "{detail}");
        assert!(plan.rows[1].shaded && !plan.rows[0].shaded);
        assert!(plan.ticks.len() >= 5);
        let labels: Vec<&str> = plan.ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(
            labels[..3],
            ["0 s", "15 s", "30 s"],
            "round numbers from the start"
        );
        assert!(!plan.labels.is_empty());
    }

    #[test]
    fn running_bars_fade_out_and_sub_pixel_bars_merge() {
        let mut layout = Layout::default();
        layout.start_ns = 0;
        layout.end_ns = 1_000_000;
        let bar = |start_ns, end_ns, running| Bar {
            step: None,
            task: None,
            lane: 0,
            start_ns,
            end_ns,
            kind: BarKind::Step(StepKind::LlmCall),
            failed: false,
            running,
        };
        layout.bars = vec![bar(0, 500_000, true)];
        layout
            .bars
            .extend((0..100).map(|i| bar(600_000 + i * 1_000, 600_000 + i * 1_000 + 500, false)));
        layout.lanes = 1;
        layout.reindex();
        let trace = demo();
        let frame = Frame::new(1000.0, 100.0, 0.0);
        let plan = plan(
            &trace,
            &layout,
            &frame,
            (0, 1_000_000),
            &Highlights::default(),
        );
        let faded: Vec<f64> = plan
            .batches
            .iter()
            .filter(|b| b.alpha < 1.0)
            .map(|b| b.alpha)
            .collect();
        assert_eq!(faded, FADE_ALPHAS.to_vec());
        let opaque: usize = plan
            .batches
            .iter()
            .filter(|b| b.alpha == 1.0)
            .map(|b| b.rects.len())
            .sum();
        assert!(
            opaque < 10,
            "100 sub-pixel bars merge into a few rects, got {opaque}"
        );
    }

    #[test]
    fn a_lane_out_of_sight_is_scrolled_into_view() {
        let frame = Frame::new(800.0, AXIS_PX + 10.0 * LANE_PX, 0.0);
        assert_eq!(scroll_to_lane(&frame, 3), None);
        assert_eq!(scroll_to_lane(&frame, 40), Some(40.0 * LANE_PX - 90.0));
    }

    #[test]
    fn the_critical_path_is_strips_under_its_bars_merged_when_they_touch() {
        let trace = demo();
        let layout = layout(&trace);
        let frame = Frame::new(1200.0, view_height_px(layout.lanes), 0.0);
        let window = limit_ns(&layout);
        let path: Vec<usize> = ["s01", "s02", "s27"]
            .iter()
            .filter_map(|id| trace.steps.iter().position(|s| s.id == *id))
            .filter_map(|step| layout.bar_index_of_step(step))
            .collect();
        assert_eq!(path.len(), 3);
        let strips = path_strips(&layout, &frame, window, &path);
        assert!(!strips.is_empty() && strips.len() <= 3);
        let scale = frame.scale(window);
        for strip in &strips {
            assert_eq!(strip.h, PATH_STRIP_PX);
            assert_eq!(
                strip.y,
                strip.y.round(),
                "whole pixels keep the colour exact"
            );
            assert!(strip.w >= 2.0 && strip.x >= frame.gutter_px);
        }
        let bar = &layout.bars[path[2]];
        let rect = frame.bar_rect(&scale, bar);
        assert!(strips
            .iter()
            .any(|s| s.y == rect.y + rect.h && s.x <= rect.x + 1.0));
        // Outside the window nothing is drawn.
        let before = (window.0 - 10_000, window.0 - 5_000);
        assert!(path_strips(&layout, &frame, before, &path).is_empty());
    }

    #[test]
    fn search_matches_are_strips_over_their_bars_apart_from_the_path() {
        let trace = demo();
        let layout = layout(&trace);
        let frame = Frame::new(1200.0, view_height_px(layout.lanes), 0.0);
        let window = limit_ns(&layout);
        let bars: Vec<usize> = ["s01", "s27"]
            .iter()
            .filter_map(|id| trace.steps.iter().position(|s| s.id == *id))
            .filter_map(|step| layout.bar_index_of_step(step))
            .collect();
        assert_eq!(bars.len(), 2);
        let over = match_strips(&layout, &frame, window, &bars);
        let under = path_strips(&layout, &frame, window, &bars);
        assert_eq!(over.len(), under.len());
        let scale = frame.scale(window);
        let rect = frame.bar_rect(&scale, &layout.bars[bars[1]]);
        // Above the bar, in its lane's top inset; the path's strip is below it.
        assert!(over
            .iter()
            .any(|s| s.y + s.h == rect.y && s.x <= rect.x + 1.0));
        assert!(over
            .iter()
            .zip(&under)
            .all(|(top, bottom)| top.y < bottom.y));
        assert!(match_strips(&layout, &frame, window, &[]).is_empty());
    }

    #[test]
    fn the_plan_strips_the_marked_bars_it_is_given() {
        let trace = demo();
        let layout = layout(&trace);
        let frame = Frame::new(1200.0, view_height_px(layout.lanes), 0.0);
        let window = limit_ns(&layout);
        let (path, matches) = ([0, 5], [7]);
        let marked = plan(
            &trace,
            &layout,
            &frame,
            window,
            &Highlights {
                critical_path: &path,
                search_matches: &matches,
                ..Highlights::default()
            },
        );
        assert_eq!(
            marked.critical_path,
            path_strips(&layout, &frame, window, &path)
        );
        assert_eq!(
            marked.search_matches,
            match_strips(&layout, &frame, window, &matches)
        );
        assert!(!marked.critical_path.is_empty() && !marked.search_matches.is_empty());
        let plain = plan(&trace, &layout, &frame, window, &Highlights::default());
        assert!(plain.critical_path.is_empty() && plain.search_matches.is_empty());
    }
}
