//! The timeline's minimap: how busy the whole run is over time, where it failed, the zoom window drawn over it, and the moves a pointer makes on it (pan, brush, centre). Pure core; depends on the layout, scale, colours, the frame geometry and duration formatting.
//!
//! The minimap's plot lines up with the timeline's: the same gutter and right padding
//! (`plan::Frame`), but its scale always spans the whole run (`scale::limit_ns`).

use super::colours::Swatch;
use super::layout::{BarKind, Layout};
use super::plan::{Frame, RectPx};
use super::scale::{limit_ns, TimeScale};
use crate::metrics::format_duration_ns;

/// Buckets the run is cut into, whatever the canvas width: enough for one per pixel
/// column on a wide screen, few enough to count once per trace.
pub const BUCKETS: usize = 1024;
/// Height of the minimap canvas.
pub const MINIMAP_PX: f64 = 40.0;
/// Room above and below the density columns.
const PAD_PX: f64 = 3.0;
/// The window's rectangle is never drawn narrower than this, so it can be seen and grabbed.
pub const MIN_WINDOW_PX: f64 = 6.0;
/// A brush or range narrower than this is a click, not a range.
pub const MIN_RANGE_PX: f64 = 4.0;
/// The narrowest window a brush makes, as the wheel's zoom does (`TimeScale::zoomed`).
const MIN_SPAN_NS: i64 = 1_000;

const SWATCHES: usize = Swatch::ALL.len();

/// The run at a glance, counted once per trace.
#[derive(Clone, Debug, PartialEq)]
pub struct Overview {
    pub start_ns: i64,
    pub end_ns: i64,
    /// Per bucket, per swatch (`Swatch::ALL` order): busy time in bucket widths, so 2.0
    /// is two steps running across the whole bucket.
    pub busy: Vec<[f32; SWATCHES]>,
    /// Per bucket: a failed step ends in it.
    pub errors: Vec<bool>,
    /// The busiest bucket's total, for scaling the columns.
    pub peak: f32,
}

/// Counts how busy each of `buckets` slices of the run is, per step kind, and where
/// failures are. O(bars + buckets): a bar adds its partial ends directly and its whole
/// buckets through a difference array, so a long bar costs no more than a short one.
pub fn overview(layout: &Layout, buckets: usize) -> Overview {
    let buckets = buckets.max(1);
    let (start_ns, end_ns) = limit_ns(layout);
    let per_bucket_ns = (end_ns - start_ns) as f64 / buckets as f64;
    let at =
        |time_ns: i64| ((time_ns - start_ns) as f64 / per_bucket_ns).clamp(0.0, buckets as f64);
    // A task's own bar spans its steps and would only add a constant band; tasks count
    // only when the trace has no steps to show.
    let has_steps = layout.bars.iter().any(|bar| bar.step.is_some());
    let mut partial = vec![[0f64; SWATCHES]; buckets];
    let mut whole = vec![[0f64; SWATCHES]; buckets + 1];
    let mut errors = vec![false; buckets];
    for bar in &layout.bars {
        let last = buckets - 1;
        if bar.failed {
            errors[(at(bar.end_ns).floor() as usize).min(last)] = true;
        }
        if has_steps && bar.kind == BarKind::Task {
            continue;
        }
        let swatch = Swatch::of(bar.kind).index();
        let (from, to) = (at(bar.start_ns), at(bar.end_ns.max(bar.start_ns)));
        let (first, end) = (
            (from.floor() as usize).min(last),
            (to.floor() as usize).min(last),
        );
        if first == end {
            partial[first][swatch] += to - from;
            continue;
        }
        partial[first][swatch] += (first + 1) as f64 - from;
        partial[end][swatch] += to - end as f64;
        whole[first + 1][swatch] += 1.0;
        whole[end][swatch] -= 1.0;
    }
    let mut running = [0f64; SWATCHES];
    let mut peak = 0f32;
    let busy = partial
        .iter()
        .zip(&whole)
        .map(|(partial, whole)| {
            let mut bucket = [0f32; SWATCHES];
            for swatch in 0..SWATCHES {
                running[swatch] += whole[swatch];
                bucket[swatch] = (running[swatch] + partial[swatch]) as f32;
            }
            peak = peak.max(bucket.iter().sum());
            bucket
        })
        .collect();
    Overview {
        start_ns,
        end_ns,
        busy,
        errors,
        peak,
    }
}

/// What one minimap frame draws, in CSS px from the canvas's top left.
#[derive(Clone, Debug, PartialEq)]
pub struct MinimapPlan {
    /// Density columns, one batch per swatch, stacked in legend order from the bottom.
    pub columns: Vec<(Swatch, Vec<RectPx>)>,
    /// x of each error tick, one per pixel column at most.
    pub error_xs_px: Vec<f64>,
    /// The window, at least `MIN_WINDOW_PX` wide.
    pub window: RectPx,
    /// The plot outside the window, to dim: before and after it.
    pub outside: [RectPx; 2],
}

/// The minimap's frame for a canvas `width_px` wide: the timeline's gutter and padding.
pub fn minimap_frame(width_px: f64) -> Frame {
    Frame::new(width_px, MINIMAP_PX, 0.0)
}

/// The scale of the whole run over the minimap's plot.
pub fn run_scale(frame: &Frame, overview: &Overview) -> TimeScale {
    frame.scale((overview.start_ns, overview.end_ns))
}

pub fn minimap_plan(overview: &Overview, frame: &Frame, window_ns: (i64, i64)) -> MinimapPlan {
    let plot_px = frame.plot_width_px();
    let buckets = overview.busy.len().max(1);
    let columns = (plot_px.floor() as usize).clamp(1, buckets);
    let column_px = plot_px / columns as f64;
    let room_px = frame.height_px - 2.0 * PAD_PX;
    let mut batches: Vec<(Swatch, Vec<RectPx>)> = Swatch::ALL
        .iter()
        .map(|swatch| (*swatch, Vec::new()))
        .collect();
    for column in 0..columns {
        let (first, end) = bucket_range(column, columns, buckets);
        let mut sums = [0f32; SWATCHES];
        for bucket in &overview.busy[first..end] {
            for (sum, busy) in sums.iter_mut().zip(bucket) {
                *sum += busy;
            }
        }
        let total: f32 = sums.iter().sum();
        if total <= 0.0 || overview.peak <= 0.0 {
            continue;
        }
        // The square root keeps a lone step visible beside the busiest stretch.
        let mean = f64::from(total) / (end - first) as f64;
        let height_px = (mean / f64::from(overview.peak)).sqrt().min(1.0) * room_px;
        let mut bottom_px = frame.height_px - PAD_PX;
        for (swatch, sum) in sums.iter().enumerate() {
            if *sum <= 0.0 {
                continue;
            }
            let h = height_px * f64::from(*sum / total);
            bottom_px -= h;
            batches[swatch].1.push(RectPx {
                x: frame.gutter_px + column as f64 * column_px,
                y: bottom_px,
                w: column_px,
                h,
            });
        }
    }
    batches.retain(|(_, rects)| !rects.is_empty());
    MinimapPlan {
        columns: batches,
        error_xs_px: error_xs(overview, frame),
        window: window_rect(overview, frame, window_ns),
        outside: outside_rects(frame, window_rect(overview, frame, window_ns)),
    }
}

/// The buckets that pixel column `column` of `columns` covers; at least one.
fn bucket_range(column: usize, columns: usize, buckets: usize) -> (usize, usize) {
    let first = column * buckets / columns;
    let end = ((column + 1) * buckets / columns).clamp(first + 1, buckets);
    (first.min(buckets - 1), end)
}

fn error_xs(overview: &Overview, frame: &Frame) -> Vec<f64> {
    let buckets = overview.errors.len().max(1) as f64;
    let mut xs: Vec<f64> = Vec::new();
    for (bucket, _) in overview.errors.iter().enumerate().filter(|(_, e)| **e) {
        let x = (frame.gutter_px + (bucket as f64 + 0.5) / buckets * frame.plot_width_px()).round();
        if xs.last() != Some(&x) {
            xs.push(x);
        }
    }
    xs
}

/// The window over the minimap's plot, widened about its middle to `MIN_WINDOW_PX`.
pub fn window_rect(overview: &Overview, frame: &Frame, window_ns: (i64, i64)) -> RectPx {
    let scale = run_scale(frame, overview);
    let (mut x0, mut x1) = (scale.x_of(window_ns.0), scale.x_of(window_ns.1));
    if x1 - x0 < MIN_WINDOW_PX {
        let middle = (x0 + x1) / 2.0;
        x0 = (middle - MIN_WINDOW_PX / 2.0).clamp(0.0, (scale.width_px - MIN_WINDOW_PX).max(0.0));
        x1 = x0 + MIN_WINDOW_PX;
    }
    RectPx {
        x: frame.gutter_px + x0,
        y: 0.0,
        w: x1 - x0,
        h: frame.height_px,
    }
}

fn outside_rects(frame: &Frame, window: RectPx) -> [RectPx; 2] {
    let plot_end_px = frame.gutter_px + frame.plot_width_px();
    let band = |x: f64, end: f64| RectPx {
        x,
        y: 0.0,
        w: (end - x).max(0.0),
        h: frame.height_px,
    };
    [
        band(frame.gutter_px, window.x),
        band(window.x + window.w, plot_end_px),
    ]
}

/// What a press on the minimap at canvas x `x_px` takes hold of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grab {
    /// The window itself: dragging pans it.
    Window,
    /// The run outside it: dragging brushes a new window, a click centres the window.
    Run,
}

/// Showing the whole run, the window cannot move: every press brushes.
pub fn grab_at(overview: &Overview, frame: &Frame, window_ns: (i64, i64), x_px: f64) -> Grab {
    if window_ns.0 <= overview.start_ns && window_ns.1 >= overview.end_ns {
        return Grab::Run;
    }
    let rect = window_rect(overview, frame, window_ns);
    if x_px >= rect.x && x_px <= rect.x + rect.w {
        Grab::Window
    } else {
        Grab::Run
    }
}

/// `window_ns` moved by `dx_px` minimap pixels, kept within the run and as wide as it was.
pub fn pan_window(
    overview: &Overview,
    frame: &Frame,
    window_ns: (i64, i64),
    dx_px: f64,
) -> (i64, i64) {
    let scale = run_scale(frame, overview);
    let shift_ns = (dx_px / scale.width_px * scale.span_ns() as f64).round() as i64;
    clamp_window(
        (window_ns.0 + shift_ns, window_ns.1 + shift_ns),
        (overview.start_ns, overview.end_ns),
    )
}

/// `window_ns` as wide as it is, centred on canvas x `x_px`, within the run.
pub fn centre_window(
    overview: &Overview,
    frame: &Frame,
    window_ns: (i64, i64),
    x_px: f64,
) -> (i64, i64) {
    let scale = run_scale(frame, overview);
    let middle_ns = scale.time_at((x_px - frame.gutter_px).clamp(0.0, scale.width_px));
    let half_ns = (window_ns.1 - window_ns.0) / 2;
    clamp_window(
        (
            middle_ns - half_ns,
            middle_ns - half_ns + (window_ns.1 - window_ns.0),
        ),
        (overview.start_ns, overview.end_ns),
    )
}

/// The window between two plot x positions of `scale` (a brush on the minimap, a range
/// dragged on the timeline), within `limit` and at least 1 µs wide; `None` when the two
/// are closer than `MIN_RANGE_PX`, which is a click.
pub fn range_window(
    scale: &TimeScale,
    (x0_px, x1_px): (f64, f64),
    limit: (i64, i64),
) -> Option<(i64, i64)> {
    if (x1_px - x0_px).abs() < MIN_RANGE_PX {
        return None;
    }
    let at = |x: f64| scale.time_at(x.clamp(0.0, scale.width_px));
    let (start, end) = (at(x0_px.min(x1_px)), at(x0_px.max(x1_px)));
    let span = (end - start).max(MIN_SPAN_NS);
    let middle = start + (end - start) / 2;
    Some(clamp_window(
        (middle - span / 2, middle - span / 2 + span),
        limit,
    ))
}

/// The window shifted back inside `limit`, no wider than it.
fn clamp_window(window_ns: (i64, i64), limit: (i64, i64)) -> (i64, i64) {
    let span = (window_ns.1 - window_ns.0).clamp(1, (limit.1 - limit.0).max(1));
    let start = window_ns.0.clamp(limit.0, (limit.1 - span).max(limit.0));
    (start, start + span)
}

/// The minimap's accessible name: "Showing 1.2 s – 4.8 s of 12.0 s".
pub fn window_label(layout: &Layout, window_ns: (i64, i64)) -> String {
    let (start_ns, end_ns) = limit_ns(layout);
    let run = format_duration_ns(end_ns - start_ns);
    if window_ns.0 <= start_ns && window_ns.1 >= end_ns {
        return format!("Showing the whole run, {run}");
    }
    format!(
        "Showing {} – {} of {run}",
        format_duration_ns(window_ns.0 - start_ns),
        format_duration_ns(window_ns.1 - start_ns),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::StepKind;
    use crate::timeline::layout::Bar;

    const SEC: i64 = 1_000_000_000;

    fn bar(kind: StepKind, start_ns: i64, end_ns: i64, failed: bool) -> Bar {
        Bar {
            step: Some(0),
            task: None,
            lane: 0,
            start_ns,
            end_ns,
            kind: BarKind::Step(kind),
            failed,
            running: false,
        }
    }

    /// A 10 s run: an LLM call over the first half, a tool call from 2.5 s to 3.5 s, and
    /// a failed instant at 9 s.
    fn run() -> Layout {
        let mut layout = Layout::default();
        layout.start_ns = 0;
        layout.end_ns = 10 * SEC;
        layout.bars = vec![
            bar(StepKind::LlmCall, 0, 5 * SEC, false),
            bar(StepKind::ToolCall, 5 * SEC / 2, 7 * SEC / 2, false),
            bar(StepKind::Error, 9 * SEC, 9 * SEC, true),
        ];
        layout
    }

    fn swatch_total(overview: &Overview, swatch: Swatch) -> f32 {
        overview.busy.iter().map(|b| b[swatch.index()]).sum()
    }

    #[test]
    fn density_counts_busy_time_per_kind_and_bucket() {
        let overview = overview(&run(), 10);
        assert_eq!(overview.busy.len(), 10);
        // Busy time in bucket widths adds up to each bar's length in buckets.
        assert!((swatch_total(&overview, Swatch::Llm) - 5.0).abs() < 1e-4);
        assert!((swatch_total(&overview, Swatch::Tool) - 1.0).abs() < 1e-4);
        let llm = Swatch::Llm.index();
        assert_eq!(overview.busy[4][llm], 1.0);
        assert_eq!(
            overview.busy[5][llm], 0.0,
            "the call ends where bucket 5 begins"
        );
        let tool = Swatch::Tool.index();
        assert!(
            (overview.busy[2][tool] - 0.5).abs() < 1e-4,
            "half of bucket 2"
        );
        assert!(
            (overview.busy[3][tool] - 0.5).abs() < 1e-4,
            "half of bucket 3"
        );
        assert!((overview.peak - 1.5).abs() < 1e-4, "call and tool overlap");
    }

    #[test]
    fn a_bar_inside_one_bucket_counts_its_fraction() {
        let mut layout = run();
        layout.bars = vec![bar(StepKind::ToolCall, SEC / 4, SEC / 2, false)];
        let overview = overview(&layout, 10);
        assert!((overview.busy[0][Swatch::Tool.index()] - 0.25).abs() < 1e-4);
        assert!(overview.busy[1..]
            .iter()
            .all(|b| b.iter().all(|v| *v == 0.0)));
    }

    #[test]
    fn task_bars_count_only_when_there_are_no_steps() {
        let mut layout = run();
        let mut task = bar(StepKind::Task, 0, 10 * SEC, false);
        task.kind = BarKind::Task;
        task.step = None;
        layout.bars.push(task);
        assert_eq!(swatch_total(&overview(&layout, 10), Swatch::Task), 0.0);
        layout.bars = vec![task];
        assert!((swatch_total(&overview(&layout, 10), Swatch::Task) - 10.0).abs() < 1e-4);
    }

    #[test]
    fn errors_are_marked_in_their_bucket_and_drawn_at_any_zoom() {
        let overview = overview(&run(), 10);
        let marked: Vec<usize> = (0..10).filter(|b| overview.errors[*b]).collect();
        assert_eq!(marked, vec![9]);
        let frame = minimap_frame(1000.0);
        // However narrow the window, and wherever it is, the tick is drawn.
        for window in [(0, 10 * SEC), (0, 2_000), (4 * SEC, 4 * SEC + 1)] {
            let plan = minimap_plan(&overview, &frame, window);
            assert_eq!(plan.error_xs_px.len(), 1, "{window:?}");
            let x = plan.error_xs_px[0];
            assert!(x > frame.gutter_px + 0.9 * frame.plot_width_px(), "{x}");
        }
    }

    #[test]
    fn an_error_at_the_very_end_is_still_in_a_bucket() {
        let mut layout = run();
        layout
            .bars
            .push(bar(StepKind::Error, 10 * SEC, 10 * SEC, true));
        assert!(overview(&layout, 10).errors[9]);
    }

    #[test]
    fn columns_stack_within_the_canvas_and_scale_with_busyness() {
        let overview = overview(&run(), BUCKETS);
        let frame = minimap_frame(800.0);
        let plan = minimap_plan(&overview, &frame, (0, 10 * SEC));
        let all: Vec<RectPx> = plan.columns.iter().flat_map(|(_, r)| r.clone()).collect();
        assert!(!all.is_empty());
        for rect in &all {
            assert!(rect.y >= PAD_PX - 1e-9 && rect.y + rect.h <= MINIMAP_PX - PAD_PX + 1e-9);
            assert!(
                rect.x >= frame.gutter_px
                    && rect.x + rect.w <= frame.gutter_px + frame.plot_width_px() + 1e-6
            );
        }
        let top_at = |x: f64| {
            all.iter()
                .filter(|r| r.x <= x && x < r.x + r.w)
                .map(|r| r.y)
                .fold(f64::INFINITY, f64::min)
        };
        let plot = |fraction: f64| frame.gutter_px + fraction * frame.plot_width_px();
        assert!(
            top_at(plot(0.3)) < top_at(plot(0.1)),
            "the overlap stands taller"
        );
        assert_eq!(top_at(plot(0.7)), f64::INFINITY, "nothing runs at 7 s");
        let kinds: Vec<Swatch> = plan.columns.iter().map(|(s, _)| *s).collect();
        assert_eq!(kinds, vec![Swatch::Llm, Swatch::Tool]);
    }

    #[test]
    fn the_window_is_a_rectangle_with_the_rest_dimmed() {
        let overview = overview(&run(), BUCKETS);
        let frame = minimap_frame(1000.0);
        let plot = frame.plot_width_px();
        let plan = minimap_plan(&overview, &frame, (2 * SEC, 4 * SEC));
        assert!((plan.window.x - (frame.gutter_px + 0.2 * plot)).abs() < 1e-6);
        assert!((plan.window.w - 0.2 * plot).abs() < 1e-6);
        assert_eq!(plan.outside[0].x, frame.gutter_px);
        assert!((plan.outside[0].w - 0.2 * plot).abs() < 1e-6);
        assert!((plan.outside[1].x + plan.outside[1].w - (frame.gutter_px + plot)).abs() < 1e-6);
        // A window of a microsecond is still drawn wide enough to see, inside the plot.
        let tiny = window_rect(&overview, &frame, (10 * SEC - 1_000, 10 * SEC));
        assert_eq!(tiny.w, MIN_WINDOW_PX);
        assert!((tiny.x + tiny.w - (frame.gutter_px + plot)).abs() < 1e-6);
    }

    #[test]
    fn a_press_inside_the_window_grabs_it() {
        let overview = overview(&run(), BUCKETS);
        let frame = minimap_frame(1000.0);
        let window = (2 * SEC, 4 * SEC);
        let x = |fraction: f64| frame.gutter_px + fraction * frame.plot_width_px();
        assert_eq!(grab_at(&overview, &frame, window, x(0.3)), Grab::Window);
        assert_eq!(grab_at(&overview, &frame, window, x(0.1)), Grab::Run);
        assert_eq!(grab_at(&overview, &frame, window, x(0.5)), Grab::Run);
        let whole = (overview.start_ns, overview.end_ns);
        assert_eq!(
            grab_at(&overview, &frame, whole, x(0.3)),
            Grab::Run,
            "nothing to pan"
        );
    }

    #[test]
    fn dragging_the_window_pans_it_within_the_run() {
        let overview = overview(&run(), BUCKETS);
        let frame = minimap_frame(1000.0);
        let plot = frame.plot_width_px();
        let window = (2 * SEC, 4 * SEC);
        let moved = pan_window(&overview, &frame, window, plot / 10.0);
        assert_eq!(moved, (3 * SEC, 5 * SEC), "a tenth of the plot is a second");
        assert_eq!(pan_window(&overview, &frame, window, -plot), (0, 2 * SEC));
        assert_eq!(
            pan_window(&overview, &frame, window, plot),
            (8 * SEC, 10 * SEC)
        );
    }

    #[test]
    fn brushing_makes_a_window_between_the_two_points() {
        let limit = (0, 10 * SEC);
        let scale = TimeScale::new(0, 10 * SEC, 1000.0);
        assert_eq!(
            range_window(&scale, (300.0, 100.0), limit),
            Some((SEC, 3 * SEC))
        );
        assert_eq!(range_window(&scale, (100.0, 102.0), limit), None, "a click");
        assert_eq!(
            range_window(&scale, (-50.0, 2_000.0), limit),
            Some(limit),
            "clamped to the run"
        );
        // Zoomed far in, a brush is still at least a microsecond wide.
        let fine = TimeScale::new(5 * SEC, 5 * SEC + 100, 1000.0);
        let narrow = range_window(&fine, (0.0, 10.0), limit).expect("a range");
        assert_eq!(narrow.1 - narrow.0, MIN_SPAN_NS);
    }

    #[test]
    fn a_click_centres_the_window_there() {
        let overview = overview(&run(), BUCKETS);
        let frame = minimap_frame(1000.0);
        let x = |fraction: f64| frame.gutter_px + fraction * frame.plot_width_px();
        let window = (0, 2 * SEC);
        assert_eq!(
            centre_window(&overview, &frame, window, x(0.5)),
            (4 * SEC, 6 * SEC)
        );
        assert_eq!(
            centre_window(&overview, &frame, window, x(0.95)),
            (8 * SEC, 10 * SEC)
        );
        assert_eq!(centre_window(&overview, &frame, window, 0.0), (0, 2 * SEC));
    }

    #[test]
    fn the_label_names_the_window_and_the_run() {
        let layout = run();
        assert_eq!(
            window_label(&layout, (1_200_000_000, 4_800_000_000)),
            "Showing 1.2 s – 4.8 s of 10.0 s"
        );
        assert_eq!(
            window_label(&layout, (0, 10 * SEC)),
            "Showing the whole run, 10.0 s"
        );
    }
}
