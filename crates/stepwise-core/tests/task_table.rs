//! Sorting the tasks table by every column.
#![cfg(not(target_arch = "wasm32"))]

use stepwise_core::import::import_bytes;
use stepwise_core::metrics::{sort_task_rows, task_figures, TaskColumn};
use stepwise_core::model::Trace;

fn demo() -> Trace {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../public/demo/trace.json"
    ))
    .expect("demo");
    import_bytes(&bytes).expect("imports").remove(0)
}

fn names(trace: &Trace, column: TaskColumn, ascending: bool) -> Vec<String> {
    let mut rows = task_figures(trace);
    sort_task_rows(trace, &mut rows, column, ascending);
    rows.iter()
        .map(|row| trace.tasks[row.task].name.clone())
        .collect()
}

#[test]
fn sorts_by_duration_both_ways() {
    let trace = demo();
    let up = names(&trace, TaskColumn::Duration, true);
    assert_eq!(
        up.first().map(String::as_str),
        Some("Verify sources"),
        "16.3 s is shortest"
    );
    assert_eq!(
        up.last().map(String::as_str),
        Some("Write the launch report"),
        "41.6 s"
    );
    let mut down = names(&trace, TaskColumn::Duration, false);
    down.reverse();
    assert_eq!(up, down);
}

#[test]
fn sorts_by_tokens_status_name_and_start() {
    let trace = demo();
    assert_eq!(
        names(&trace, TaskColumn::Tokens, false)[0],
        "Write the launch report"
    );
    assert_eq!(
        names(&trace, TaskColumn::Status, false)[0],
        "Verify sources",
        "failed first"
    );
    assert_eq!(
        names(&trace, TaskColumn::Name, true)[0],
        "Compare competitor pricing"
    );
    assert_eq!(
        names(&trace, TaskColumn::Start, true)[0],
        "Research the market"
    );
    assert_eq!(
        names(&trace, TaskColumn::Agent, true)[0],
        "Verify sources",
        "Fact Checker"
    );
}

#[test]
fn missing_values_sort_last_both_ways() {
    let text = r#"{"format": "stepwise-trace", "version": 1, "trace": {"id": "t", "tasks": [
        {"id": "a", "name": "untimed"},
        {"id": "b", "name": "timed", "start_time": "2026-01-01T00:00:00Z", "end_time": "2026-01-01T00:00:05Z"}]}}"#;
    let trace = import_bytes(text.as_bytes()).expect("imports").remove(0);
    assert_eq!(
        names(&trace, TaskColumn::Duration, true),
        ["timed", "untimed"]
    );
    assert_eq!(
        names(&trace, TaskColumn::Duration, false),
        ["timed", "untimed"]
    );
}
