//! Timeline geometry and level of detail on the demo, on hand-made cases and on 100k synthetic steps: rows, lanes, nesting, hits, merged groups.
#![cfg(not(target_arch = "wasm32"))]

use stepwise_core::import::import_bytes;
use stepwise_core::model::{StepKind, Trace};
use stepwise_core::timeline::colours::{Fill, Swatch};
use stepwise_core::timeline::cull::Mark;
use stepwise_core::timeline::hit::{group_window, hit_at};
use stepwise_core::timeline::layout::{
    layout, layout_subtree, layout_with_rows, Bar, BarKind, Layout,
};
use stepwise_core::timeline::plan::{
    content_height_px, plan, view_height_px, Frame, Highlights, Plan, RectPx,
};
use stepwise_core::timeline::scale::limit_ns;
use stepwise_core::timeline::text::group_tooltip;

fn demo() -> Trace {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../public/demo/trace.json"
    ))
    .expect("demo");
    import_bytes(&bytes).expect("imports").remove(0)
}

fn trace(steps: &str) -> Trace {
    let text = format!(
        r#"{{"format": "stepwise-trace", "version": 1, "trace": {{"id": "t",
        "tasks": [{{"id": "a", "name": "A"}}], "steps": [{steps}]}}}}"#
    );
    import_bytes(text.as_bytes()).expect("imports").remove(0)
}

fn at(second: u32) -> String {
    format!("2026-01-01T00:00:{second:02}Z")
}

#[test]
fn every_task_gets_a_row_in_order_of_start_and_every_timed_step_a_bar() {
    let trace = demo();
    let layout = layout(&trace);
    let names: Vec<&str> = layout.rows.iter().map(|row| row.label.as_str()).collect();
    assert_eq!(
        names,
        [
            "Research the market",
            "Compare competitor pricing",
            "Estimate demand",
            "Verify sources",
            "Write the launch report"
        ]
    );
    let step_bars = layout.bars.iter().filter(|bar| bar.step.is_some()).count();
    assert_eq!(step_bars, trace.steps.len());
    assert_eq!(layout.untimed_steps, 0);
    assert_eq!(
        layout.lanes,
        layout.rows.iter().map(|row| row.lanes).sum::<usize>()
    );
}

#[test]
fn no_two_bars_overlap_in_a_lane() {
    let layout = layout(&demo());
    for (i, a) in layout.bars.iter().enumerate() {
        for b in &layout.bars[i + 1..] {
            if a.lane == b.lane {
                let a_end = a.end_ns.max(a.start_ns + 1);
                let b_end = b.end_ns.max(b.start_ns + 1);
                assert!(
                    a_end <= b.start_ns || b_end <= a.start_ns,
                    "{a:?} overlaps {b:?}"
                );
            }
        }
    }
}

#[test]
fn children_sit_below_their_parent_and_parallel_steps_split_lanes() {
    let trace = trace(&format!(
        r#"{{"id": "p", "name": "agent", "task_id": "a", "kind": "agent", "start_time": "{}", "end_time": "{}"}},
           {{"id": "c1", "parent_id": "p", "name": "tool 1", "task_id": "a", "start_time": "{}", "end_time": "{}"}},
           {{"id": "c2", "parent_id": "p", "name": "tool 2", "task_id": "a", "start_time": "{}", "end_time": "{}"}},
           {{"id": "c3", "parent_id": "p", "name": "later", "task_id": "a", "start_time": "{}", "end_time": "{}"}}"#,
        at(0),
        at(10),
        at(1),
        at(4),
        at(2),
        at(5),
        at(6),
        at(8)
    ));
    let layout = layout(&trace);
    let lane = |id: &str| {
        let index = trace.steps.iter().position(|s| s.id == id).expect("step");
        layout.bar_of_step(index).expect("bar").lane
    };
    // Lane 0 is the task's own bar (it has no times: it spans its steps).
    assert_eq!(layout.bars[0].kind, BarKind::Task);
    assert_eq!(lane("p"), 1);
    assert_eq!(lane("c1"), 2);
    assert_eq!(lane("c2"), 3, "overlaps c1: a lane of its own");
    assert_eq!(lane("c3"), 2, "after c1 ends, its lane is free again");
}

#[test]
fn hit_testing_finds_the_bar_under_the_pointer() {
    let trace = trace(&format!(
        r#"{{"id": "x", "name": "x", "task_id": "a", "start_time": "{}", "end_time": "{}"}},
           {{"id": "y", "name": "y", "task_id": "a", "start_time": "{}", "end_time": "{}"}}"#,
        at(0),
        at(2),
        at(5),
        at(6)
    ));
    let layout = layout(&trace);
    let frame = Frame::new(1000.0, view_height_px(layout.lanes), 0.0);
    let scale = frame.scale(limit_ns(&layout));
    let s = 1_000_000_000;
    let x = layout.bar_of_step(0).expect("x");
    let y_px = frame.lane_top_px(x.lane) + 10.0;
    let at = |time_ns: i64, y_px: f64| {
        hit_at(
            &layout,
            &frame,
            &scale,
            frame.gutter_px + scale.x_of(time_ns),
            y_px,
        )
    };
    let bar_of = |step: usize| layout.bar_index_of_step(step).map(Mark::Bar);
    assert_eq!(at(x.start_ns + s, y_px), bar_of(0), "x at 1 s");
    assert_eq!(
        at(x.start_ns + 5 * s + s / 2, y_px),
        bar_of(1),
        "y at 5.5 s"
    );
    assert_eq!(at(x.start_ns + 3 * s, y_px), None, "the gap is empty");
    let slop_ns = (2.0 / scale.width_px * scale.span_ns() as f64) as i64;
    assert_eq!(
        at(x.start_ns + 2 * s + slop_ns, y_px),
        bar_of(0),
        "2 px past the end of x is within the slop"
    );
    let below_px = frame.lane_top_px(layout.lanes) + 1.0;
    assert_eq!(at(x.start_ns + s, below_px), None, "past the last lane");
}

#[test]
fn a_running_step_runs_to_the_end_and_untimed_steps_are_counted() {
    let trace = trace(&format!(
        r#"{{"id": "r", "name": "running", "task_id": "a", "start_time": "{}"}},
           {{"id": "d", "name": "done", "task_id": "a", "start_time": "{}", "end_time": "{}"}},
           {{"id": "u", "name": "untimed", "task_id": "a"}}"#,
        at(1),
        at(2),
        at(9)
    ));
    let layout = layout(&trace);
    let running = layout.bar_of_step(0).expect("bar");
    assert!(running.running);
    assert_eq!(running.end_ns, layout.end_ns);
    assert_eq!(layout.untimed_steps, 1);
}

/// 100k synthetic steps and their layout, made once for the tests that share them.
fn synthetic_100k() -> &'static (Trace, Layout) {
    static MADE: std::sync::OnceLock<(Trace, Layout)> = std::sync::OnceLock::new();
    MADE.get_or_init(|| {
        let trace = synthetic(100_000);
        let layout = layout(&trace);
        (trace, layout)
    })
}

/// A synthetic trace of `steps` steps (src/synth.rs), as the benchmarks use.
fn synthetic(steps: usize) -> Trace {
    let mut bytes = Vec::new();
    stepwise_core::synth::write_trace(
        &stepwise_core::synth::SynthOptions {
            steps,
            seed: 42,
            format: stepwise_core::synth::SynthFormat::Stepwise,
        },
        &mut bytes,
    )
    .expect("writes to memory");
    import_bytes(&bytes).expect("imports").remove(0)
}

/// The frame at `width_px`, tall enough to show every lane.
fn whole_frame(layout: &Layout, width_px: f64) -> Frame {
    Frame::new(width_px, content_height_px(layout.lanes), 0.0)
}

fn rect_count(plan: &Plan) -> usize {
    plan.batches.iter().map(|batch| batch.rects.len()).sum()
}

fn overlaps(a: &RectPx, b: &RectPx) -> bool {
    a.y == b.y && a.x < b.x + b.w && b.x < a.x + a.w
}

#[test]
fn at_100k_steps_zoomed_out_sub_pixel_steps_merge_and_keep_their_errors() {
    let (trace, layout) = synthetic_100k();
    assert_eq!(
        layout.bars.iter().filter(|bar| bar.step.is_some()).count(),
        100_000
    );
    let frame = whole_frame(layout, 1280.0);
    let plan = plan(
        trace,
        layout,
        &frame,
        limit_ns(layout),
        &Highlights::default(),
    );
    let plot_px = frame.plot_width_px();
    // About two marks per pixel per lane at most, plus a red tick per pixel with a failure.
    let bound = (3.0 * (plot_px + 2.0)) as usize * layout.lanes;
    let drawn = rect_count(&plan);
    assert!(drawn <= bound, "{drawn} rects for {} lanes", layout.lanes);
    assert!(
        drawn < layout.bars.len() / 2,
        "merging halves the marks at least: {drawn} for {} bars",
        layout.bars.len()
    );
    assert!(
        plan.groups.len() > 100,
        "merged groups: {}",
        plan.groups.len()
    );
    let merged: usize = plan.groups.iter().map(|(group, _)| group.steps()).sum();
    assert!(merged > 50_000, "{merged} steps drawn inside groups");
    // Every group hiding a failure has the error colour drawn over it.
    let failed_rects: Vec<RectPx> = plan
        .batches
        .iter()
        .filter(|batch| batch.fill == Fill::Failed)
        .flat_map(|batch| batch.rects.iter().copied())
        .collect();
    let with_errors: Vec<_> = plan
        .groups
        .iter()
        .filter(|(group, _)| group.failed > 0)
        .collect();
    assert!(!with_errors.is_empty(), "the synthetic trace has failures");
    for (group, rect) in &with_errors {
        assert!(
            failed_rects.iter().any(|tick| overlaps(tick, rect)),
            "no red mark over {group:?}"
        );
    }
    // Failures counted in groups and drawn on their own add up to all visible ones.
    let failed_in_groups: usize = plan.groups.iter().map(|(group, _)| group.failed).sum();
    let failed_bars = layout.bars.iter().filter(|bar| bar.failed).count();
    assert!(failed_in_groups > 0 && failed_in_groups <= failed_bars);
    // Hovering a group says how many steps it holds; a click would zoom into it.
    let (group, rect) = with_errors[0];
    let hit = hit_at(
        layout,
        &frame,
        &frame.scale(limit_ns(layout)),
        rect.x + rect.w / 2.0,
        rect.y + rect.h / 2.0,
    );
    let Some(Mark::Group(hit)) = hit else {
        panic!("a group under the pointer, got {hit:?}");
    };
    assert_eq!(hit.lane, group.lane);
    let tip = group_tooltip(layout, &hit);
    assert!(tip.title.ends_with(" steps"), "{tip:?}");
    let window = group_window(&hit, limit_ns(layout));
    assert!(window.0 <= hit.start_ns && window.1 >= hit.end_ns);
}

#[test]
fn zoomed_into_a_small_window_every_step_there_is_its_own_mark() {
    let (trace, layout) = synthetic_100k();
    let frame = whole_frame(layout, 1280.0);
    // A window around the middle of the trace holding a few dozen steps.
    let middle = layout.start_ns + (layout.end_ns - layout.start_ns) / 2;
    let window = (middle, middle + 20_000_000_000);
    let plan = plan(trace, layout, &frame, window, &Highlights::default());
    assert!(plan.groups.is_empty(), "{:?}", plan.groups.first());
    let scale = frame.scale(window);
    let mut expected: Vec<RectPx> = layout
        .bars
        .iter()
        .filter(|bar| bar.end_ns >= window.0 && bar.start_ns <= window.1)
        .map(|bar| {
            let full = frame.bar_rect(&scale, bar);
            let x0 = full.x.max(frame.gutter_px - 1.0);
            let x1 = (full.x + full.w)
                .min(frame.gutter_px + frame.plot_width_px() + 1.0)
                .max(x0 + if bar.failed { 3.0 } else { 1.0 });
            RectPx {
                x: x0,
                w: x1 - x0,
                ..full
            }
        })
        .collect();
    let steps_in_window = layout
        .bars
        .iter()
        .filter(|bar| bar.step.is_some() && bar.end_ns >= window.0 && bar.start_ns <= window.1)
        .count();
    assert!(
        (10..2_000).contains(&steps_in_window),
        "{steps_in_window} steps in the window"
    );
    // Running bars are split to fade out; the synthetic trace has none.
    assert!(layout.bars.iter().all(|bar| !bar.running));
    let mut drawn: Vec<RectPx> = plan
        .batches
        .iter()
        .flat_map(|batch| batch.rects.iter().copied())
        .collect();
    let key = |r: &RectPx| (r.y.to_bits(), r.x.to_bits());
    expected.sort_by_key(key);
    drawn.sort_by_key(key);
    assert_eq!(
        drawn, expected,
        "one mark per bar in the window, where it is"
    );
}

#[test]
fn a_lane_of_100k_tiny_steps_costs_marks_per_pixel_not_per_step() {
    let mut layout = Layout::default();
    layout.start_ns = 0;
    layout.end_ns = 100_000_000;
    layout.lanes = 2;
    // 100k steps of 400 ns every 1,000 ns on one lane; every 1000th failed.
    layout.bars = (0..100_000)
        .map(|i: i64| Bar {
            step: Some(i as usize),
            task: None,
            lane: (i % 2) as usize,
            start_ns: i * 1_000,
            end_ns: i * 1_000 + 400,
            kind: BarKind::Step(if i % 3 == 0 {
                StepKind::ToolCall
            } else {
                StepKind::LlmCall
            }),
            failed: i % 1_000 == 7,
            running: false,
        })
        .collect();
    layout.reindex();
    let trace = demo();
    let frame = Frame::new(1000.0, content_height_px(2), 0.0);
    let plan = plan(
        &trace,
        &layout,
        &frame,
        limit_ns(&layout),
        &Highlights::default(),
    );
    let plot_px = frame.plot_width_px();
    assert!(
        rect_count(&plan) <= (3.0 * (plot_px + 2.0)) as usize * 2,
        "{}",
        rect_count(&plan)
    );
    let merged: usize = plan.groups.iter().map(|(group, _)| group.steps()).sum();
    assert_eq!(merged, 100_000, "every step is in a group");
    let failed: usize = plan.groups.iter().map(|(group, _)| group.failed).sum();
    assert_eq!(failed, 100, "every failure is counted");
    let ticks = plan
        .batches
        .iter()
        .filter(|batch| batch.fill == Fill::Failed)
        .map(|batch| batch.rects.len())
        .sum::<usize>();
    assert_eq!(ticks, 100, "a red tick per failure, none lost");
    // The colour of a group is what most of its steps are.
    assert!(plan
        .groups
        .iter()
        .all(|(group, _)| group.swatch == Swatch::Llm));
}

#[test]
fn a_layout_from_rows_the_page_already_has_is_the_same_layout() {
    let trace = demo();
    let rows = stepwise_core::tree::step_rows(&trace);
    assert_eq!(layout_with_rows(&trace, &rows), layout(&trace));
    // Rows that do not fit the trace are skipped, never a panic.
    let stray = [stepwise_core::tree::StepRow {
        step: usize::MAX,
        depth: 0,
        child_count: 0,
    }];
    assert!(layout_with_rows(&trace, &stray)
        .bars
        .iter()
        .all(|bar| bar.step.is_none()));
}

#[test]
fn a_subtree_layout_spans_only_its_steps() {
    let trace = demo();
    let rows = stepwise_core::tree::step_rows(&trace);
    let parent = rows
        .iter()
        .find(|row| row.child_count > 0)
        .expect("the demo nests steps");
    let sub = stepwise_core::tree::subtree(&rows, parent.step).expect("its subtree");
    let laid = layout_subtree(&trace, sub);
    let step = &trace.steps[parent.step];
    assert_eq!(laid.start_ns, step.start_ns.expect("timed"));
    assert!(laid.end_ns >= step.end_ns.expect("timed"));
    let whole = layout(&trace);
    assert!(laid.end_ns - laid.start_ns < whole.end_ns - whole.start_ns);
    let barred: Vec<usize> = laid.bars.iter().filter_map(|bar| bar.step).collect();
    assert!(!barred.is_empty());
    assert!(
        barred
            .iter()
            .all(|index| sub.iter().any(|row| row.step == *index)),
        "only the subtree's steps get bars"
    );
    assert_eq!(
        laid.rows.len(),
        1,
        "only the task the subtree's steps belong to"
    );
    // Stray rows never panic.
    let stray = [stepwise_core::tree::StepRow {
        step: usize::MAX,
        depth: 0,
        child_count: 0,
    }];
    assert!(layout_subtree(&trace, &stray)
        .bars
        .iter()
        .all(|bar| bar.step.is_none()));
}
