//! The markdown report of the demo, reviewed as a snapshot, and hostile names kept in their cells.
#![cfg(not(target_arch = "wasm32"))]

use stepwise_core::import::import_bytes;
use stepwise_core::pricing::{estimate_costs, PriceTable};
use stepwise_core::report_md::markdown_report;

/// The demo as the page shows it: imported, with unstated costs estimated from our prices.
fn demo() -> stepwise_core::model::Trace {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../public/demo/trace.json"
    ))
    .expect("demo");
    let mut trace = import_bytes(&bytes).expect("demo imports").remove(0);
    let prices = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../public/prices.json"
    ))
    .expect("prices");
    estimate_costs(
        &mut trace,
        &PriceTable::from_compact_json(&prices).expect("prices parse"),
    );
    trace
}

#[test]
fn the_demo_report() {
    insta::assert_snapshot!(markdown_report(&demo()));
}

#[test]
fn a_hostile_task_name_stays_in_its_cell() {
    let mut trace = demo();
    trace.tasks[0].name = "evil | name\n| injected | row |".to_string();
    let report = markdown_report(&trace);
    let row = report
        .lines()
        .find(|line| line.contains("evil"))
        .expect("the task row");
    // Six cells: seven unescaped pipes.
    let pipes = row
        .match_indices('|')
        .filter(|(at, _)| !row[..*at].ends_with('\\'))
        .count();
    assert_eq!(pipes, 7, "{row}");
    assert!(!report.lines().any(|line| line.starts_with("| injected")));
}

#[test]
fn figures_match_the_summary() {
    let trace = demo();
    let summary = stepwise_core::metrics::summarize(&trace);
    let report = markdown_report(&trace);
    let total = stepwise_core::metrics::format_count_tally(&summary.total_tokens);
    assert!(
        report.contains(&format!("| Total tokens | {total} |")),
        "{report}"
    );
    assert!(report.contains(&format!("| Requests (LLM calls) | {} |", summary.requests)));
    for task in &trace.tasks {
        assert!(
            report.contains(&format!("| {} |", task.name)),
            "task {}",
            task.name
        );
    }
}
