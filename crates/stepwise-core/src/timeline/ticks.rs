//! The timeline's axis ticks: steps people count in, placed from the trace's start, and their labels. Pure core; depends on the time scale only.

use super::scale::TimeScale;

/// Tick labels are about this far apart.
pub const TICK_SPACING_PX: f64 = 96.0;

#[derive(Clone, Debug, PartialEq)]
pub struct TickPaint {
    pub x_px: f64,
    pub label: String,
}

/// Ticks about `TICK_SPACING_PX` apart over `scale`, labelled as offsets from `origin_ns`
/// (the trace's start); `left_px` is where the scale's 0 is on the canvas.
pub fn ticks(origin_ns: i64, scale: &TimeScale, left_px: f64) -> Vec<TickPaint> {
    // At least three ticks even on a phone.
    let spacing_px = TICK_SPACING_PX.min(scale.width_px / 3.0);
    let wanted = (scale.width_px / spacing_px).max(1.0);
    let step_ns = nice_time_step_ns(scale.span_ns() as f64 / wanted);
    // Round numbers from the trace's start, not from the epoch: "20 s", never "16.9 s".
    let (from_ns, to_ns) = (scale.start_ns - origin_ns, scale.end_ns - origin_ns);
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
            x_px: left_px + scale.x_of(origin_ns + offset_ns),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_fall_on_round_offsets_from_the_origin() {
        let sec = 1_000_000_000_i64;
        // 10 s shown over 960 px, starting 0.3 s into a trace that began at 5 s.
        let scale = TimeScale::new(5 * sec + 300_000_000, 15 * sec + 300_000_000, 960.0);
        let ticks = ticks(5 * sec, &scale, 100.0);
        let labels: Vec<&str> = ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(
            labels,
            ["1 s", "2 s", "3 s", "4 s", "5 s", "6 s", "7 s", "8 s", "9 s", "10 s"]
        );
        assert_eq!(ticks[0].x_px, 100.0 + 0.7 * 96.0);
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
}
