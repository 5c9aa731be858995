//! The timeline's time axis: the time↔pixel scale, the zoom window and its limits, zooming and panning by wheel and key. Pure core; depends on the layout only for the trace's bounds.

use super::layout::Layout;

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

/// `px` pixels as nanoseconds at this scale: the hit tolerance.
pub fn slop_ns(scale: &TimeScale, px: f64) -> i64 {
    (px / scale.width_px * scale.span_ns() as f64).ceil() as i64
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
    fn a_selection_out_of_sight_is_brought_into_view() {
        let limit = (0, 1_000);
        assert_eq!(reveal((0, 100), (50, 60), limit), None, "already visible");
        assert_eq!(reveal((0, 100), (500, 520), limit), Some((460, 560)));
        assert_eq!(reveal((0, 100), (990, 1_000), limit), Some((900, 1_000)));
    }

    #[test]
    fn slop_is_pixels_in_nanoseconds() {
        assert_eq!(slop_ns(&TimeScale::new(0, 1_000, 100.0), 3.0), 30);
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
}
