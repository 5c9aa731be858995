//! Hit testing on the timeline canvas: which bar or merged group is under a point, and what a click on it selects or zooms to. Pure core; depends on the layout, the scale, culling and the frame.

use super::cull::{lane_marks, Group, Mark};
use super::layout::{Bar, Layout};
use super::plan::Frame;
use super::scale::{slop_ns, TimeScale};
use crate::model::Trace;
use crate::view_query::Selection;

/// Tolerance around a bar for hover and click, so thin bars can be hit.
pub const HIT_SLOP_PX: f64 = 3.0;

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

/// What a click on a bar selects: its step, or for a task's own bar the task.
pub fn bar_selection(trace: &Trace, bar: &Bar) -> Option<Selection> {
    match (bar.step, bar.task) {
        (Some(step), _) => Some(Selection::Step(trace.steps.get(step)?.id.clone())),
        (None, Some(task)) => Some(Selection::Task(trace.tasks.get(task)?.id.clone())),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::import_bytes;
    use crate::timeline::layout::layout;
    use crate::timeline::plan::view_height_px;
    use crate::timeline::scale::limit_ns;

    fn demo() -> Trace {
        let bytes = include_bytes!("../../../../public/demo/trace.json");
        import_bytes(bytes).expect("demo imports").remove(0)
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
    }

    #[test]
    fn a_click_on_a_task_bar_selects_the_task() {
        let trace = demo();
        let layout = layout(&trace);
        assert_eq!(
            bar_selection(&trace, &layout.bars[0]),
            Some(Selection::Task("task-research".to_string()))
        );
        let step = layout.bar_of_step(0).expect("bar");
        assert_eq!(
            bar_selection(&trace, step),
            Some(Selection::Step(trace.steps[0].id.clone()))
        );
    }
}
