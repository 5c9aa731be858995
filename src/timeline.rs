//! Pure timeline geometry: the time↔pixel scale and axis ticks. Pure core.

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
            .map(|index| first + index * step_ns)
            .take_while(|tick| *tick <= self.end_ns)
            .map(|tick| tick - self.start_ns)
            .collect()
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
}
