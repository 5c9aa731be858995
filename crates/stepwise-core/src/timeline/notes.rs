//! Where the timeline shows annotations: a flag at an annotated step's bar, a band over an annotated time range. Pure core; depends on the layout and the frame.
//!
//! Only what is in view is returned, so the page builds a handful of marks whatever the
//! trace's size. Positions are CSS pixels from the canvas's top left, as in `plan`.

use crate::annotate::{AnnotationTarget, Notes};
use crate::fast_hash::HashMap;
use crate::model::Trace;

use super::layout::Layout;
use super::plan::{Frame, AXIS_PX, LANE_PX};

/// One annotation as the timeline shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct NoteMark {
    pub id: String,
    pub label: String,
    pub shape: NoteShape,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NoteShape {
    /// A flag at the start of a step's bar: its pole's x and the top of its lane.
    Flag { x_px: f64, y_px: f64 },
    /// A band over a time range, clipped to the plot.
    Band { x0_px: f64, x1_px: f64 },
}

/// The marks in view for `window_ns`. Annotations whose step has no bar (untimed, unknown,
/// or outside a re-rooted subtree) or whose range is outside the window are left out.
/// `steps` maps the annotated step ids to their index (`annotated_steps`), resolved once
/// per change of the notes rather than on every frame.
pub fn note_marks(
    notes: &Notes,
    steps: &HashMap<String, usize>,
    layout: &Layout,
    frame: &Frame,
    window_ns: (i64, i64),
) -> Vec<NoteMark> {
    let scale = frame.scale(window_ns);
    let plot = (frame.gutter_px, frame.gutter_px + frame.plot_width_px());
    notes
        .annotations
        .iter()
        .filter_map(|annotation| {
            let shape = match &annotation.target {
                AnnotationTarget::Step { step_id } => {
                    let bar = layout.bar_of_step(*steps.get(step_id)?)?;
                    let x_px = frame.gutter_px + scale.x_of(bar.start_ns.max(window_ns.0));
                    let y_px = frame.lane_top_px(bar.lane);
                    let in_time = bar.start_ns <= window_ns.1 && bar.end_ns >= window_ns.0;
                    let in_lanes = y_px + LANE_PX > AXIS_PX && y_px < frame.height_px;
                    (in_time && in_lanes).then_some(NoteShape::Flag { x_px, y_px })?
                }
                AnnotationTarget::Range { start_ns, end_ns } => {
                    if *start_ns > window_ns.1 || *end_ns < window_ns.0 {
                        return None;
                    }
                    let x0_px = (frame.gutter_px + scale.x_of(*start_ns)).max(plot.0);
                    let x1_px = (frame.gutter_px + scale.x_of(*end_ns)).min(plot.1);
                    NoteShape::Band { x0_px, x1_px }
                }
            };
            Some(NoteMark {
                id: annotation.id.clone(),
                label: annotation.label.clone(),
                shape,
            })
        })
        .collect()
}

/// The index in `trace.steps` of each annotated step the trace holds: one pass over the
/// steps, only when the notes change.
pub fn annotated_steps(notes: &Notes, trace: &Trace) -> HashMap<String, usize> {
    let wanted: crate::fast_hash::HashSet<&str> = notes
        .annotations
        .iter()
        .filter_map(|annotation| annotation.step_id())
        .collect();
    if wanted.is_empty() {
        return HashMap::default();
    }
    trace
        .steps
        .iter()
        .enumerate()
        .filter(|(_, step)| wanted.contains(step.id.as_str()))
        .map(|(index, step)| (step.id.clone(), index))
        .collect()
}
