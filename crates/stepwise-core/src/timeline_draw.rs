//! What the timeline canvas draws, computed without a browser: colours, CSS-pixel geometry, culling, level of detail, labels and tooltip text. Pure core.
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

use crate::metrics::{format_cost_usd, format_count, format_duration_ns};
use crate::model::{Status, StepKind, Trace};
use crate::timeline::{Bar, BarKind, Layout, TimeScale};
use crate::view_query::Selection;

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
/// Tolerance around a bar for hover and click, so thin bars can be hit.
pub const HIT_SLOP_PX: f64 = 3.0;
/// Tick labels are about this far apart.
pub const TICK_SPACING_PX: f64 = 96.0;
/// Font sizes the component draws with; the width estimates below assume them.
pub const LABEL_FONT_PX: f64 = 12.0;
pub const BAR_FONT_PX: f64 = 11.0;
/// Bars narrower than this carry no name.
const MIN_LABELLED_BAR_PX: f64 = 34.0;
/// Bars narrower than this may merge with their neighbours (level of detail).
const MERGE_BELOW_PX: f64 = 1.5;

/// A colour as red, green and blue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`, for `fillStyle`.
    pub fn css(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

/// One colour of the legend: step kinds that look alike share one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Swatch {
    Llm,
    Tool,
    ToolResult,
    Reasoning,
    Agent,
    Task,
    Memory,
    Other,
}

impl Swatch {
    /// Legend order.
    pub const ALL: [Swatch; 8] = [
        Swatch::Llm,
        Swatch::Tool,
        Swatch::ToolResult,
        Swatch::Reasoning,
        Swatch::Agent,
        Swatch::Task,
        Swatch::Memory,
        Swatch::Other,
    ];

    pub fn of(kind: BarKind) -> Swatch {
        match kind {
            BarKind::Task | BarKind::Step(StepKind::Task) => Swatch::Task,
            BarKind::Step(StepKind::LlmCall) => Swatch::Llm,
            BarKind::Step(StepKind::ToolCall) => Swatch::Tool,
            BarKind::Step(StepKind::ToolResult) => Swatch::ToolResult,
            BarKind::Step(StepKind::Reasoning) => Swatch::Reasoning,
            BarKind::Step(StepKind::Agent) => Swatch::Agent,
            BarKind::Step(StepKind::Memory | StepKind::Knowledge) => Swatch::Memory,
            BarKind::Step(
                StepKind::Error | StepKind::Span | StepKind::Guardrail | StepKind::Other,
            ) => Swatch::Other,
        }
    }

    /// Position in `Swatch::ALL`.
    pub fn index(self) -> usize {
        Swatch::ALL
            .iter()
            .position(|swatch| *swatch == self)
            .unwrap_or(0)
    }

    pub fn label(self) -> &'static str {
        match self {
            Swatch::Llm => "LLM call",
            Swatch::Tool => "tool call",
            Swatch::ToolResult => "tool result",
            Swatch::Reasoning => "reasoning",
            Swatch::Agent => "agent",
            Swatch::Task => "task",
            Swatch::Memory => "memory / knowledge",
            Swatch::Other => "other",
        }
    }

    /// Stable CSS class suffix, for the HTML legend.
    pub fn key(self) -> &'static str {
        match self {
            Swatch::Llm => "llm",
            Swatch::Tool => "tool",
            Swatch::ToolResult => "tool-result",
            Swatch::Reasoning => "reasoning",
            Swatch::Agent => "agent",
            Swatch::Task => "task",
            Swatch::Memory => "memory",
            Swatch::Other => "other",
        }
    }

    /// Fill and the text colour readable on it. Dark fills are a little deeper so they
    /// do not glare on a dark page.
    pub fn colours(self, theme: Theme) -> (Rgb, Rgb) {
        const WHITE: Rgb = Rgb(255, 255, 255);
        const INK: Rgb = Rgb(24, 28, 36);
        let dark = theme == Theme::Dark;
        match self {
            Swatch::Llm if dark => (Rgb(92, 116, 240), WHITE),
            Swatch::Llm => (Rgb(79, 107, 237), WHITE),
            Swatch::Tool if dark => (Rgb(20, 150, 138), WHITE),
            Swatch::Tool => (Rgb(15, 140, 128), WHITE),
            Swatch::ToolResult if dark => (Rgb(104, 196, 184), INK),
            Swatch::ToolResult => (Rgb(128, 208, 197), INK),
            Swatch::Reasoning if dark => (Rgb(214, 154, 50), INK),
            Swatch::Reasoning => (Rgb(236, 174, 62), INK),
            Swatch::Agent if dark => (Rgb(136, 106, 214), WHITE),
            Swatch::Agent => (Rgb(140, 106, 216), WHITE),
            Swatch::Task if dark => (Rgb(86, 100, 122), WHITE),
            Swatch::Task => (Rgb(84, 98, 120), WHITE),
            Swatch::Memory if dark => (Rgb(44, 148, 206), WHITE),
            Swatch::Memory => (Rgb(40, 150, 212), WHITE),
            Swatch::Other if dark => (Rgb(128, 138, 154), INK),
            Swatch::Other => (Rgb(172, 181, 194), INK),
        }
    }
}

/// Colours of everything around the bars, matching `style/main.css`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Chrome {
    pub background: Rgb,
    pub row_shade: Rgb,
    pub grid: Rgb,
    pub text: Rgb,
    pub muted: Rgb,
    pub accent: Rgb,
    pub error_fill: Rgb,
    /// Darker than the fill on a light page, lighter on a dark one: always contrasts.
    pub error_outline: Rgb,
    pub error_text: Rgb,
}

pub fn chrome(theme: Theme) -> Chrome {
    match theme {
        Theme::Light => Chrome {
            background: Rgb(255, 255, 255),
            row_shade: Rgb(245, 247, 250),
            grid: Rgb(228, 232, 238),
            text: Rgb(29, 35, 48),
            muted: Rgb(93, 103, 120),
            accent: Rgb(53, 89, 224),
            error_fill: Rgb(220, 44, 52),
            error_outline: Rgb(122, 14, 20),
            error_text: Rgb(255, 255, 255),
        },
        Theme::Dark => Chrome {
            background: Rgb(26, 31, 39),
            row_shade: Rgb(32, 38, 48),
            grid: Rgb(44, 52, 64),
            text: Rgb(228, 232, 239),
            muted: Rgb(151, 161, 178),
            accent: Rgb(125, 155, 255),
            error_fill: Rgb(226, 62, 70),
            error_outline: Rgb(255, 178, 182),
            error_text: Rgb(255, 255, 255),
        },
    }
}

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

/// `px` pixels as nanoseconds at this scale: the hit tolerance.
pub fn slop_ns(scale: &TimeScale, px: f64) -> i64 {
    (px / scale.width_px * scale.span_ns() as f64).ceil() as i64
}

/// What is under a point of the canvas: a bar, or a merged run of sub-pixel steps.
///
/// A run is hit as a whole, as Perfetto does with its merged slices: its tooltip says
/// "N steps, M failed, from … to …", and a click zooms into it (see [`group_window`])
/// rather than picking one of steps the user cannot tell apart. Zooming is what a
/// Perfetto or Jaeger user would do next anyway, and it reveals the individual steps.
pub fn hit_at(
    layout: &Layout,
    frame: &Frame,
    scale: &TimeScale,
    x_px: f64,
    y_px: f64,
) -> Option<Mark> {
    if x_px < frame.gutter_px - HIT_SLOP_PX {
        return None;
    }
    let lane = frame.lane_at(y_px, layout.lanes)?;
    let time_ns = scale.time_at(x_px - frame.gutter_px);
    let slop = slop_ns(scale, HIT_SLOP_PX);
    // The same marks the frame drew, so what is hit is what is seen. A narrow window
    // around the pointer is enough: only marks within the slop matter.
    let near = TimeScale::new(
        time_ns.saturating_sub(2 * slop),
        time_ns.saturating_add(2 * slop),
        4.0 * HIT_SLOP_PX,
    );
    let marks = lane_marks(layout, lane, scale, (near.start_ns, near.end_ns));
    marks
        .marks
        .into_iter()
        .map(|mark| {
            let (start, end) = mark_span(layout, &mark, scale);
            let distance = if time_ns < start {
                start - time_ns
            } else if time_ns > end {
                time_ns - end
            } else {
                0
            };
            (distance, mark)
        })
        .filter(|(distance, _)| *distance <= slop)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, mark)| mark)
}

/// A mark's extent in time as drawn: at least a pixel wide.
fn mark_span(layout: &Layout, mark: &Mark, scale: &TimeScale) -> (i64, i64) {
    let (start, end) = match mark {
        Mark::Bar(index) => layout
            .bars
            .get(*index)
            .map_or((0, 0), |bar| (bar.start_ns, bar.end_ns)),
        Mark::Group(group) => (group.start_ns, group.end_ns),
    };
    (start, end.max(start + slop_ns(scale, 1.0)))
}

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
        let counts = layout.lane_kind_counts(lane, at, to);
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
                    && layout.lane_kind_counts(lane, at - 1, at)[swatch.index()] == 1
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

/// The window a click on a group zooms to: its span with a tenth of room either side, at
/// least a microsecond (the narrowest window) and within `limit`.
pub fn group_window(group: &Group, limit: (i64, i64)) -> (i64, i64) {
    let span = (group.end_ns - group.start_ns).max(1);
    let pad = (span / 10).max(1);
    let (mut start, mut end) = (group.start_ns - pad, group.end_ns + pad);
    if end - start < 1_000 {
        let middle = start + (end - start) / 2;
        (start, end) = (middle - 500, middle + 500);
    }
    let width = (end - start).min(limit.1 - limit.0).max(1);
    let start = start.clamp(limit.0, (limit.1 - width).max(limit.0));
    (start, start + width)
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RectPx {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// What a batch of rectangles is filled with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Fill {
    Kind(Swatch),
    Failed,
}

impl Fill {
    pub fn colours(self, theme: Theme) -> (Rgb, Rgb) {
        match self {
            Fill::Kind(swatch) => swatch.colours(theme),
            Fill::Failed => {
                let chrome = chrome(theme);
                (chrome.error_fill, chrome.error_text)
            }
        }
    }
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

/// Line spacing of the names in the gutter.
pub const LABEL_LINE_PX: f64 = 15.0;

#[derive(Clone, Debug, PartialEq)]
pub struct TickPaint {
    pub x_px: f64,
    pub label: String,
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
    /// Strips marking the critical path, drawn over the bars (see [`path_strips`]).
    pub critical_path: Vec<RectPx>,
    /// Strips marking the steps the search matches (see [`match_strips`]).
    pub search_matches: Vec<RectPx>,
}

/// Opacities of the three steps that fade out a running bar's open end.
pub const FADE_ALPHAS: [f64; 3] = [0.6, 0.35, 0.15];

/// Computes one frame: culls to the visible window and lanes (by binary search, per
/// lane), merges sub-pixel bars into groups (see [`lane_marks`]), and groups rectangles
/// by colour. `highlight` is (selected bar, hovered mark).
///
/// The cost grows with the pixels and the visible lanes, not with the steps: at most
/// about two marks per pixel per lane, plus one red tick per pixel that hides a failure.
pub fn plan(
    trace: &Trace,
    layout: &Layout,
    frame: &Frame,
    window_ns: (i64, i64),
    highlight: (Option<usize>, Option<Mark>),
) -> Plan {
    let scale = frame.scale(window_ns);
    let visible = frame.visible_lanes(layout.lanes);
    let mut out = Plan {
        rows: rows(trace, layout, frame, &visible),
        ticks: ticks(layout, frame, &scale),
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
            if highlight.1 == Some(Mark::Bar(index)) {
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
    if let Some(Mark::Group(group)) = highlight.1 {
        let rect = clip(group_rect(frame, &scale, &group), 1.0);
        out.outlines.push((OutlineKind::Hovered, rect));
    }
    // The selection shows even inside a merged group: its outline is drawn on top.
    let selected = highlight.0.and_then(|index| layout.bars.get(index));
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

/// "38.8 s · Senior Market Researcher": how long the task took, and who did it. When
/// both do not fit in `max_px`, the duration alone.
fn task_detail(trace: &Trace, task: &crate::model::Task, max_px: f64) -> Option<String> {
    let duration = match (task.start_ns, task.end_ns) {
        (Some(start), Some(end)) => Some(format_duration_ns(end.saturating_sub(start))),
        (Some(_), None) => Some("running".to_string()),
        _ => None,
    };
    let agent = task
        .agent_id
        .as_deref()
        .and_then(|id| trace.agent(id))
        .map(|agent| agent.role.clone());
    let both = match (&duration, &agent) {
        (Some(duration), Some(agent)) => format!("{duration} · {agent}"),
        (Some(only), None) | (None, Some(only)) => only.clone(),
        (None, None) => return None,
    };
    let font_px = 11.0;
    if text_width_px(&both, font_px) <= max_px {
        return Some(both);
    }
    // A cut agent name still helps while a few of its letters show.
    let cut = truncate_to_width(&both, max_px, font_px);
    let kept = duration.as_ref().map_or(0, |d| d.chars().count() + 3);
    if cut.chars().count() >= kept + 6 {
        return Some(cut);
    }
    let shorter = duration.unwrap_or(both);
    Some(truncate_to_width(&shorter, max_px, font_px)).filter(|text| !text.is_empty())
}

/// `text` wrapped at spaces into at most `max_lines` lines of `max_px`; what does not
/// fit ends the last line with an ellipsis, and a word too long for a line is cut.
pub fn wrap_to_width(text: &str, max_px: f64, font_px: f64, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if text_width_px(&candidate, font_px) <= max_px || current.is_empty() {
            current = candidate;
        } else {
            lines.push(std::mem::replace(&mut current, word.to_string()));
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > max_lines.max(1) {
        // The last line shows the start of the rest, and always an ellipsis.
        let rest = lines.split_off(max_lines.max(1) - 1).join(" ");
        let room = max_px - text_width_px("…", font_px);
        let cut = truncate_to_width(&rest, room, font_px);
        lines.push(format!("{}…", cut.trim_end_matches('…')));
    }
    lines
        .into_iter()
        .map(|line| truncate_to_width(&line, max_px, font_px))
        .collect()
}

/// Ticks about `TICK_SPACING_PX` apart, labelled from the start of the trace.
fn ticks(layout: &Layout, frame: &Frame, scale: &TimeScale) -> Vec<TickPaint> {
    // At least three ticks even on a phone.
    let spacing_px = TICK_SPACING_PX.min(scale.width_px / 3.0);
    let wanted = (scale.width_px / spacing_px).max(1.0);
    let step_ns = nice_time_step_ns(scale.span_ns() as f64 / wanted);
    // Round numbers from the trace's start, not from the epoch: "20 s", never "16.9 s".
    let (from_ns, to_ns) = (
        scale.start_ns - layout.start_ns,
        scale.end_ns - layout.start_ns,
    );
    let first = from_ns.div_euclid(step_ns) * step_ns;
    let first = if first < from_ns {
        first + step_ns
    } else {
        first
    };
    (0..)
        .map(|index| first.saturating_add(index * step_ns))
        .take_while(|offset_ns| *offset_ns <= to_ns)
        .map(|offset_ns| TickPaint {
            x_px: frame.gutter_px + scale.x_of(layout.start_ns + offset_ns),
            label: offset_label(offset_ns, step_ns, to_ns),
        })
        .collect()
}

/// Tick steps people count in: 1-2-5 below a second; then 1, 2, 5, 10, 15, 30 s; 1, 2, 5,
/// 10, 15, 30 min; 1, 2, 3, 6, 12 h; then 1-2-5 days. The smallest not below `raw_ns`.
pub fn nice_time_step_ns(raw_ns: f64) -> i64 {
    const SEC: i64 = 1_000_000_000;
    const LADDER: [i64; 17] = [
        SEC,
        2 * SEC,
        5 * SEC,
        10 * SEC,
        15 * SEC,
        30 * SEC,
        60 * SEC,
        120 * SEC,
        300 * SEC,
        600 * SEC,
        900 * SEC,
        1_800 * SEC,
        3_600 * SEC,
        7_200 * SEC,
        10_800 * SEC,
        21_600 * SEC,
        43_200 * SEC,
    ];
    let raw_ns = raw_ns.max(1.0);
    let one_two_five = |unit: f64, raw: f64| {
        let magnitude = 10f64.powf((raw / unit).log10().floor()) * unit;
        [1.0, 2.0, 5.0, 10.0]
            .into_iter()
            .map(|factor| factor * magnitude)
            .find(|candidate| *candidate >= raw)
            .unwrap_or(10.0 * magnitude)
    };
    if raw_ns <= SEC as f64 {
        return (one_two_five(1.0, raw_ns).round() as i64).clamp(1, SEC);
    }
    if let Some(step) = LADDER.iter().find(|step| **step as f64 >= raw_ns) {
        return *step;
    }
    let day = 86_400.0 * SEC as f64;
    one_two_five(day, raw_ns.max(day)).round() as i64
}

/// An offset from the trace start, as precise as `step_ns` needs, in a unit that suits
/// the window's end: "250 ms", "1.5 s", "130.005 s", and past 3 minutes "20:22.8" or
/// "1:02:03" (clock style, because "1222800 ms" cannot be read at a glance).
pub fn offset_label(offset_ns: i64, step_ns: i64, window_end_ns: i64) -> String {
    // Digits after the point that `step_ns` needs, in a unit of `unit_ns`.
    let decimals = |unit_ns: i64| {
        (0..=3usize)
            .find(|digits| {
                let tick = unit_ns / 10i64.pow(*digits as u32);
                tick > 0 && step_ns % tick == 0
            })
            .unwrap_or(3)
    };
    let sign = if offset_ns < 0 { "−" } else { "" };
    let abs_ns = offset_ns.unsigned_abs() as i64;
    if window_end_ns < 1_000_000 {
        let digits = decimals(1_000);
        format!("{sign}{:.digits$} µs", abs_ns as f64 / 1e3)
    } else if window_end_ns < 1_000_000_000 {
        let digits = decimals(1_000_000);
        format!("{sign}{:.digits$} ms", abs_ns as f64 / 1e6)
    } else if window_end_ns < 180_000_000_000 {
        let digits = decimals(1_000_000_000);
        format!("{sign}{:.digits$} s", abs_ns as f64 / 1e9)
    } else {
        let digits = decimals(1_000_000_000);
        let whole_secs = abs_ns / 1_000_000_000;
        let (hours, minutes, secs) = (whole_secs / 3_600, whole_secs / 60 % 60, whole_secs % 60);
        let fraction = if digits == 0 {
            String::new()
        } else {
            let frac = (abs_ns % 1_000_000_000) as f64 / 1e9;
            format!("{frac:.digits$}")
                .trim_start_matches('0')
                .to_string()
        };
        if hours > 0 {
            format!("{sign}{hours}:{minutes:02}:{secs:02}{fraction}")
        } else {
            format!("{sign}{minutes}:{secs:02}{fraction}")
        }
    }
}

/// The name a bar shows: the step's or the task's, or its kind when it has none.
pub fn bar_name<'a>(trace: &'a Trace, bar: &Bar) -> &'a str {
    let name = match (bar.step, bar.task) {
        (Some(step), _) => trace.steps.get(step).map(|s| s.name.as_str()),
        (None, Some(task)) => trace.tasks.get(task).map(|t| t.name.as_str()),
        (None, None) => None,
    };
    match (name, bar.kind) {
        (Some(name), _) if !name.trim().is_empty() => name,
        (_, BarKind::Task) => "task",
        (_, BarKind::Step(kind)) => kind.label(),
    }
}

/// What a click on a bar selects: its step, or for a task's own bar the task.
pub fn bar_selection(trace: &Trace, bar: &Bar) -> Option<Selection> {
    match (bar.step, bar.task) {
        (Some(step), _) => Some(Selection::Step(trace.steps.get(step)?.id.clone())),
        (None, Some(task)) => Some(Selection::Task(trace.tasks.get(task)?.id.clone())),
        (None, None) => None,
    }
}

/// Estimated width of `text` at `font_px`: average Latin glyphs are about 0.56 em, wide
/// (CJK, emoji) ones a full em. Measuring in the browser per label would cost a call each.
pub fn text_width_px(text: &str, font_px: f64) -> f64 {
    text.chars()
        .map(|c| if is_wide(c) { 1.0 } else { 0.56 })
        .sum::<f64>()
        * font_px
}

/// East Asian wide characters and emoji, which take a full em.
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1FAFF
        | 0x20000..=0x3FFFD)
}

/// `text` cut to fit `max_px`, with an ellipsis when cut; empty when not even one
/// character and the ellipsis fit.
pub fn truncate_to_width(text: &str, max_px: f64, font_px: f64) -> String {
    if text_width_px(text, font_px) <= max_px {
        return text.to_string();
    }
    let budget = max_px - text_width_px("…", font_px);
    let mut used = 0.0;
    let mut out = String::new();
    for c in text.chars() {
        used += text_width_px(c.encode_utf8(&mut [0; 4]), font_px);
        if used > budget {
            break;
        }
        out.push(c);
    }
    let out = out.trim_end();
    if out.is_empty() {
        String::new()
    } else {
        format!("{out}…")
    }
}

/// What hovering a bar says: a title and a few lines of plain text.
#[derive(Clone, Debug, PartialEq)]
pub struct Tooltip {
    pub title: String,
    pub lines: Vec<String>,
}

pub fn tooltip(trace: &Trace, bar: &Bar) -> Tooltip {
    let duration = format_duration_ns(bar.end_ns.saturating_sub(bar.start_ns));
    let status = if bar.failed {
        " · failed"
    } else if bar.running {
        " · running"
    } else {
        ""
    };
    let title = bar_name(trace, bar).to_string();
    let Some(step) = bar.step.and_then(|index| trace.steps.get(index)) else {
        let agent = bar
            .task
            .and_then(|index| trace.tasks.get(index))
            .and_then(|task| task.agent_id.as_deref())
            .and_then(|id| trace.agent(id))
            .map(|agent| format!("agent: {}", agent.role));
        let mut lines = vec![format!("task · {duration}{status}")];
        lines.extend(agent);
        return Tooltip { title, lines };
    };
    let mut lines = vec![format!("{} · {duration}{status}", step.kind.label())];
    if let Some(model) = &step.model {
        lines.push(model.clone());
    }
    let usage = step.usage;
    let mut figures = Vec::new();
    if usage.total_tokens() > 0 {
        figures.push(format!(
            "{} tokens ({} in · {} out)",
            format_count(usage.total_tokens()),
            format_count(usage.input_tokens),
            format_count(usage.output_tokens)
        ));
    }
    if let Some(cost) = step.cost {
        figures.push(format_cost_usd(cost.usd));
    }
    if !figures.is_empty() {
        lines.push(figures.join(" · "));
    }
    if let Some(error) = &step.error {
        let first = error.message.lines().next().unwrap_or_default();
        lines.push(truncate_to_width(first, 320.0, 12.0));
    } else if step.status == Status::Failed && bar.failed {
        lines.push("failed".to_string());
    }
    Tooltip { title, lines }
}

/// What hovering a merged group says: "1,204 steps", how many failed, what most of them
/// are, from when to when, and that a click zooms in.
pub fn group_tooltip(layout: &Layout, group: &Group) -> Tooltip {
    let plural = |n: usize, one: &str, many: &str| {
        format!(
            "{} {}",
            format_count(n as u64),
            if n == 1 { one } else { many }
        )
    };
    let failed = match group.failed {
        0 => "none failed".to_string(),
        n => format!("{} failed", format_count(n as u64)),
    };
    let span_ns = group.end_ns.saturating_sub(group.start_ns);
    let step_ns = nice_time_step_ns(span_ns as f64 / 10.0);
    let end_ns = group.end_ns - layout.start_ns;
    let at = |ns: i64| {
        let offset_ns = ns - layout.start_ns;
        offset_label(offset_ns - offset_ns.rem_euclid(step_ns), step_ns, end_ns)
    };
    Tooltip {
        title: plural(group.steps(), "step", "steps"),
        lines: vec![
            format!("{failed} · mostly {}", group.swatch.label()),
            format!(
                "{} – {} · {}",
                at(group.start_ns),
                at(group.end_ns),
                format_duration_ns(span_ns)
            ),
            "Too close together to tell apart: click to zoom in".to_string(),
        ],
    }
}

/// Where the tooltip goes: beside the pointer, flipped left near the right edge.
pub fn place_tooltip(
    pointer_px: (f64, f64),
    frame_width_px: f64,
    tooltip_width_px: f64,
) -> (f64, f64) {
    let (x, y) = pointer_px;
    let left = if x + 14.0 + tooltip_width_px > frame_width_px {
        (x - 14.0 - tooltip_width_px).max(0.0)
    } else {
        x + 14.0
    };
    (left, y + 16.0)
}

/// The canvas's text alternative: "Timeline of 30 steps in 5 tasks over 2 min 01 s".
pub fn summary_text(trace: &Trace, layout: &Layout) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut text = format!(
        "Timeline of {} in {} over {}",
        plural(trace.steps.len(), "step", "steps"),
        plural(trace.tasks.len(), "task", "tasks"),
        format_duration_ns(layout.end_ns - layout.start_ns)
    );
    let failed = layout
        .bars
        .iter()
        .filter(|bar| bar.failed && bar.step.is_some())
        .count();
    if failed > 0 {
        text.push_str(&format!(", {} failed", plural(failed, "step", "steps")));
    }
    text
}

/// What the legend lists: the colours this trace uses, and whether it has failed or
/// running bars.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Legend {
    pub swatches: Vec<Swatch>,
    pub failed: bool,
    pub running: bool,
}

pub fn legend(layout: &Layout) -> Legend {
    let mut used = [false; Swatch::ALL.len()];
    let mut out = Legend::default();
    for bar in &layout.bars {
        let swatch = Swatch::of(bar.kind);
        if let Some(index) = Swatch::ALL.iter().position(|s| *s == swatch) {
            used[index] = true;
        }
        out.failed |= bar.failed;
        out.running |= bar.running;
    }
    out.swatches = Swatch::ALL
        .iter()
        .zip(used)
        .filter_map(|(swatch, used)| used.then_some(*swatch))
        .collect();
    out
}

/// The zoomed window as offsets from the trace start: "12.4 s – 30.1 s"; `None` when
/// the whole trace shows.
pub fn window_caption(layout: &Layout, window_ns: (i64, i64)) -> Option<String> {
    window_to_ms(layout, window_ns)?;
    // A tenth of a hundredth of the window is as precise as the caption needs to be.
    let step_ns = nice_time_step_ns((window_ns.1 - window_ns.0) as f64 / 100.0);
    let end_ns = window_ns.1 - layout.start_ns;
    let at = |ns: i64| {
        let offset_ns = ns - layout.start_ns;
        offset_label(offset_ns - offset_ns % step_ns, step_ns, end_ns)
    };
    Some(format!("{} – {}", at(window_ns.0), at(window_ns.1)))
}

/// The bounds zooming and panning stay within: the whole trace, at least 1 ns wide.
pub fn limit_ns(layout: &Layout) -> (i64, i64) {
    (layout.start_ns, layout.end_ns.max(layout.start_ns + 1))
}

/// The window in ns for a window in ms from the trace start, as the URL holds it;
/// the whole trace when there is none or it makes no sense.
pub fn window_from_ms(layout: &Layout, window_ms: Option<(f64, f64)>) -> (i64, i64) {
    let limit = limit_ns(layout);
    let Some((from_ms, to_ms)) =
        window_ms.filter(|(from, to)| from.is_finite() && to.is_finite() && to > from)
    else {
        return limit;
    };
    let at = |ms: f64| {
        (layout.start_ns as f64 + ms * 1e6)
            .round()
            .clamp(limit.0 as f64, limit.1 as f64) as i64
    };
    let (start, end) = (at(from_ms), at(to_ms));
    if end <= start {
        limit
    } else {
        (start, end)
    }
}

/// The window in ms from the trace start, or `None` when it shows the whole trace.
pub fn window_to_ms(layout: &Layout, window_ns: (i64, i64)) -> Option<(f64, f64)> {
    let limit = limit_ns(layout);
    if window_ns.0 <= limit.0 && window_ns.1 >= limit.1 {
        return None;
    }
    let ms = |ns: i64| (ns - layout.start_ns) as f64 / 1e6;
    Some((ms(window_ns.0), ms(window_ns.1)))
}

/// A window that shows `span_ns` when it lies wholly outside `window_ns`: the same
/// width, centred on it; `None` when some of it already shows.
pub fn reveal(window_ns: (i64, i64), span_ns: (i64, i64), limit: (i64, i64)) -> Option<(i64, i64)> {
    if span_ns.1 >= window_ns.0 && span_ns.0 <= window_ns.1 {
        return None;
    }
    let width = window_ns.1 - window_ns.0;
    let middle = span_ns.0 + (span_ns.1 - span_ns.0) / 2;
    let start = (middle - width / 2).clamp(limit.0, (limit.1 - width).max(limit.0));
    Some((start, start + width))
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

/// A keyboard command on the focused canvas.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nudge {
    ZoomIn,
    ZoomOut,
    PanEarlier,
    PanLater,
    Reset,
}

pub fn nudge_for_key(key: &str) -> Option<Nudge> {
    match key {
        "+" | "=" => Some(Nudge::ZoomIn),
        "-" | "_" => Some(Nudge::ZoomOut),
        "ArrowLeft" => Some(Nudge::PanEarlier),
        "ArrowRight" => Some(Nudge::PanLater),
        "0" | "Home" => Some(Nudge::Reset),
        _ => None,
    }
}

/// The window after a nudge: zooms keep the middle, pans move a tenth of the width.
pub fn nudged(scale: &TimeScale, nudge: Nudge, limit: (i64, i64)) -> TimeScale {
    let middle = scale.width_px / 2.0;
    match nudge {
        Nudge::ZoomIn => scale.zoomed(0.8, middle, limit),
        Nudge::ZoomOut => scale.zoomed(1.25, middle, limit),
        Nudge::PanEarlier => scale.panned(-scale.width_px / 10.0, limit),
        Nudge::PanLater => scale.panned(scale.width_px / 10.0, limit),
        Nudge::Reset => TimeScale::new(limit.0, limit.1, scale.width_px),
    }
}

/// Zoom factor for one wheel event (< 1 zooms in). `delta_mode` 1 counts lines and 2
/// pages; a trackpad pinch (Chrome: wheel with ctrlKey) sends small deltas, so it
/// counts more per unit.
pub fn wheel_zoom_factor(delta_y: f64, delta_mode: u32, pinch: bool) -> f64 {
    let delta_px = match delta_mode {
        1 => delta_y * 16.0,
        2 => delta_y * 400.0,
        _ => delta_y,
    };
    let per_px = if pinch { 0.01 } else { 0.0015 };
    (delta_px * per_px).exp().clamp(0.5, 2.0)
}

/// The colour of the critical path's strips: apart from every kind colour, the error red
/// and the selection's accent, so the path reads as its own layer.
pub fn critical_path_colour(theme: Theme) -> Rgb {
    match theme {
        Theme::Light => Rgb(214, 36, 159),
        Theme::Dark => Rgb(255, 110, 199),
    }
}

/// Height of the strip under each bar of the critical path: it fills the bar's bottom
/// inset, so it never covers the bar or the next lane.
pub const PATH_STRIP_PX: f64 = BAR_INSET_PX;

/// The colour of the strips over the steps a search matches: the page's ink (near black,
/// near white in the dark), as every hue is taken by a step kind, the error red or the
/// critical path's magenta (a highlighter amber read as "reasoning").
pub fn search_match_colour(theme: Theme) -> Rgb {
    match theme {
        Theme::Light => Rgb(17, 24, 39),
        Theme::Dark => Rgb(243, 244, 246),
    }
}

/// Which inset of its lane a strip fills.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum StripEdge {
    /// Under the bar: the critical path.
    Bottom,
    /// Over the bar: search matches, so both can be shown at once.
    Top,
}

/// Strips over the bars the search matches (`match_bars`, indices into `layout.bars`),
/// merged and culled as [`path_strips`] does; they fill the bar's top inset.
pub fn match_strips(
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
pub fn path_strips(
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
    use crate::timeline::layout;

    fn demo() -> Trace {
        let bytes = include_bytes!("../../../public/demo/trace.json");
        import_bytes(bytes).expect("demo imports").remove(0)
    }

    #[test]
    fn every_step_kind_has_a_legend_colour_and_error_stands_apart() {
        for theme in [Theme::Light, Theme::Dark] {
            let fills: Vec<Rgb> = Swatch::ALL.iter().map(|s| s.colours(theme).0).collect();
            for (i, a) in fills.iter().enumerate() {
                assert!(!fills[i + 1..].contains(a), "{a:?} used twice");
                assert_ne!(*a, chrome(theme).error_fill);
            }
        }
        assert_eq!(
            Swatch::of(BarKind::Step(StepKind::Knowledge)),
            Swatch::Memory
        );
        assert_eq!(Swatch::of(BarKind::Task), Swatch::Task);
        assert_eq!(Rgb(1, 2, 255).css(), "#0102ff");
    }

    #[test]
    fn truncation_fits_the_width_and_marks_the_cut() {
        assert_eq!(truncate_to_width("short", 200.0, 12.0), "short");
        let cut = truncate_to_width("a rather long step name indeed", 60.0, 12.0);
        assert!(cut.ends_with('…'), "{cut}");
        assert!(text_width_px(&cut, 12.0) <= 60.0);
        assert_eq!(truncate_to_width("abc", 2.0, 12.0), "");
        assert!(text_width_px("漢字", 10.0) > text_width_px("ab", 10.0));
    }

    #[test]
    fn names_wrap_at_spaces_within_their_lines() {
        let lines = wrap_to_width("Compare competitor pricing", 90.0, 12.0, 3);
        assert_eq!(lines, ["Compare", "competitor", "pricing"]);
        let lines = wrap_to_width("Compare competitor pricing", 90.0, 12.0, 2);
        assert_eq!(lines, ["Compare", "competitor…"]);
        assert_eq!(wrap_to_width("short", 90.0, 12.0, 2), ["short"]);
        let long = wrap_to_width("Supercalifragilisticexpialidocious", 60.0, 12.0, 2);
        assert!(long.len() == 1 && long[0].ends_with('…'), "{long:?}");
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
    fn a_click_on_a_bar_finds_it_with_slop_for_thin_bars() {
        let trace = demo();
        let layout = layout(&trace);
        let frame = Frame::new(1200.0, view_height_px(layout.lanes), 0.0);
        let window = limit_ns(&layout);
        let scale = frame.scale(window);
        let target = trace.steps.iter().position(|s| s.id == "s07").expect("s07");
        let bar = layout.bar_of_step(target).expect("bar");
        let rect = frame.bar_rect(&scale, bar);
        let hit = hit_at(
            &layout,
            &frame,
            &scale,
            rect.x + rect.w / 2.0,
            rect.y + rect.h / 2.0,
        );
        assert_eq!(
            hit,
            Some(Mark::Bar(layout.bar_index_of_step(target).expect("bar")))
        );
        let near = hit_at(&layout, &frame, &scale, rect.x - 2.0, rect.y + 1.0);
        assert!(near.is_some(), "2 px before the bar is within the slop");
        assert_eq!(
            hit_at(&layout, &frame, &scale, 10.0, rect.y),
            None,
            "the gutter hits nothing"
        );
        assert_eq!(slop_ns(&TimeScale::new(0, 1_000, 100.0), 3.0), 30);
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
            (Some(3), Some(Mark::Bar(4))),
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
        let plan = plan(&trace, &layout, &frame, (0, 1_000_000), (None, None));
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
    fn tooltips_and_summary_read_as_text() {
        let trace = demo();
        let layout = layout(&trace);
        let index = trace
            .steps
            .iter()
            .position(|s| s.kind == StepKind::LlmCall)
            .expect("llm");
        let tip = tooltip(&trace, layout.bar_of_step(index).expect("bar"));
        assert_eq!(tip.title, trace.steps[index].name);
        assert!(tip.lines[0].starts_with("LLM call · "), "{:?}", tip.lines);
        assert!(
            tip.lines.iter().any(|l| l.contains("tokens")),
            "{:?}",
            tip.lines
        );
        assert_eq!(
            bar_selection(&trace, &layout.bars[0]),
            Some(Selection::Task("task-research".to_string()))
        );
        let task = tooltip(&trace, &layout.bars[0]);
        assert!(task.lines[0].starts_with("task · "));
        let summary = summary_text(&trace, &layout);
        assert!(
            summary.starts_with("Timeline of 30 steps in 5 tasks over 2 min 01 s"),
            "{summary}"
        );
        assert_eq!(place_tooltip((10.0, 5.0), 500.0, 200.0), (24.0, 21.0));
        assert_eq!(place_tooltip((450.0, 5.0), 500.0, 200.0), (236.0, 21.0));
    }

    #[test]
    fn windows_round_trip_through_milliseconds_and_clamp_to_the_trace() {
        let mut layout = Layout::default();
        layout.start_ns = 1_000_000_000;
        layout.end_ns = 11_000_000_000;
        assert_eq!(
            window_from_ms(&layout, None),
            (1_000_000_000, 11_000_000_000)
        );
        assert_eq!(
            window_from_ms(&layout, Some((1000.0, 2500.0))),
            (2_000_000_000, 3_500_000_000)
        );
        assert_eq!(
            window_from_ms(&layout, Some((-50.0, 1e9))),
            (1_000_000_000, 11_000_000_000)
        );
        assert_eq!(
            window_from_ms(&layout, Some((5.0, 1.0))),
            (1_000_000_000, 11_000_000_000)
        );
        assert_eq!(
            window_to_ms(&layout, (2_000_000_000, 3_500_000_000)),
            Some((1000.0, 2500.0))
        );
        assert_eq!(window_to_ms(&layout, limit_ns(&layout)), None);
    }

    #[test]
    fn the_legend_lists_only_what_the_trace_uses() {
        let layout = layout(&demo());
        let legend = legend(&layout);
        assert_eq!(legend.swatches.first(), Some(&Swatch::Llm));
        assert!(
            !legend.swatches.contains(&Swatch::Memory),
            "the demo has no memory steps"
        );
        assert!(legend.failed && !legend.running);
        assert_eq!(window_caption(&layout, limit_ns(&layout)), None);
        let zoomed = (
            layout.start_ns + 2_000_000_000,
            layout.start_ns + 12_000_000_000,
        );
        assert_eq!(
            window_caption(&layout, zoomed).as_deref(),
            Some("2.0 s – 12.0 s")
        );
    }

    #[test]
    fn a_selection_out_of_sight_is_brought_into_view() {
        let limit = (0, 1_000);
        assert_eq!(reveal((0, 100), (50, 60), limit), None, "already visible");
        assert_eq!(reveal((0, 100), (500, 520), limit), Some((460, 560)));
        assert_eq!(reveal((0, 100), (990, 1_000), limit), Some((900, 1_000)));
        let frame = Frame::new(800.0, AXIS_PX + 10.0 * LANE_PX, 0.0);
        assert_eq!(scroll_to_lane(&frame, 3), None);
        assert_eq!(scroll_to_lane(&frame, 40), Some(40.0 * LANE_PX - 90.0));
    }

    #[test]
    fn ticks_step_in_units_people_count_in() {
        let sec = 1_000_000_000_i64;
        assert_eq!(nice_time_step_ns(300_000.0), 500_000);
        assert_eq!(nice_time_step_ns(0.7 * sec as f64), sec);
        assert_eq!(nice_time_step_ns(11.6 * sec as f64), 15 * sec);
        assert_eq!(nice_time_step_ns(400.0 * sec as f64), 600 * sec);
        assert_eq!(
            nice_time_step_ns(2.0 * 86_400.0 * sec as f64),
            2 * 86_400 * sec
        );
        assert_eq!(offset_label(250_000_000, 50_000_000, 900_000_000), "250 ms");
        assert_eq!(offset_label(1_500_000_000, 500_000_000, 10 * sec), "1.5 s");
        assert_eq!(
            offset_label(130_005_000_000, 5_000_000, 131 * sec),
            "130.005 s"
        );
        assert_eq!(
            offset_label(1_222_800_000_000, 200_000_000, 1_224 * sec),
            "20:22.8"
        );
        assert_eq!(offset_label(3_723 * sec, 60 * sec, 4_000 * sec), "1:02:03");
        assert_eq!(offset_label(300 * sec, 60 * sec, 600 * sec), "5:00");
    }

    #[test]
    fn keys_and_wheel_zoom_and_pan() {
        let limit = (0, 1_000_000_000);
        let scale = TimeScale::new(0, 1_000_000_000, 1000.0);
        assert_eq!(nudge_for_key("+"), Some(Nudge::ZoomIn));
        assert_eq!(nudge_for_key("x"), None);
        let zoomed = nudged(&scale, Nudge::ZoomIn, limit);
        assert_eq!(zoomed.span_ns(), 800_000_000);
        let panned = nudged(&zoomed, Nudge::PanLater, limit);
        assert!(panned.start_ns > zoomed.start_ns);
        assert_eq!(nudged(&panned, Nudge::Reset, limit), scale);
        assert!(
            wheel_zoom_factor(-100.0, 0, false) < 1.0,
            "wheel up zooms in"
        );
        assert!(wheel_zoom_factor(3.0, 1, false) > 1.0);
        assert!(wheel_zoom_factor(-5.0, 0, true) < wheel_zoom_factor(-5.0, 0, false));
        assert_eq!(wheel_zoom_factor(1e6, 0, false), 2.0);
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
        assert_ne!(
            critical_path_colour(Theme::Light),
            chrome(Theme::Light).accent
        );
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
        for theme in [Theme::Light, Theme::Dark] {
            assert_ne!(search_match_colour(theme), critical_path_colour(theme));
            assert_ne!(search_match_colour(theme), chrome(theme).accent);
        }
    }
}
