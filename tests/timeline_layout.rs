//! Timeline geometry on the demo and on hand-made cases: rows, lanes, nesting, hits.
#![cfg(not(target_arch = "wasm32"))]

use stepwise::import::import_bytes;
use stepwise::model::Trace;
use stepwise::timeline::{layout, BarKind};

fn demo() -> Trace {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/public/demo/trace.json"
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
    let s = 1_000_000_000;
    let x = layout.bar_of_step(0).expect("x");
    let found = layout.hit(x.lane, x.start_ns + s, 0).expect("a bar at 1 s");
    assert_eq!(layout.bars[found].step, Some(0));
    let found = layout
        .hit(x.lane, x.start_ns + 5 * s + s / 2, 0)
        .expect("y at 5.5 s");
    assert_eq!(layout.bars[found].step, Some(1));
    assert_eq!(
        layout.hit(x.lane, x.start_ns + 3 * s, 0),
        None,
        "the gap is empty"
    );
    assert!(
        layout.hit(x.lane, x.start_ns + 3 * s, s).is_some(),
        "within slop"
    );
    assert_eq!(layout.hit(99, 0, s), None);
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
