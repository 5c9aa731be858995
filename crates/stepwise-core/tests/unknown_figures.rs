#![cfg(not(target_arch = "wasm32"))]
//! Unknown is not zero, surface by surface: a token count or cost the trace does not record
//! and Stepwise cannot derive is unknown (`null`, "—"), and a sum of known and unknown parts
//! says it is partial. Three traces: every model unpriced, priced and unpriced calls mixed
//! (tests/fixtures/unknown), and a CrewAI batch with only a run total (a real file).

use serde_json::Value;
use stepwise_core::compare::{compare, format_delta_cost_usd};
use stepwise_core::embed::LoadedSummary;
use stepwise_core::export::to_stepwise_document;
use stepwise_core::import::import_bytes;
use stepwise_core::insights::analyse;
use stepwise_core::metrics::{format_cost_tally, format_count_tally, summarize, task_figures};
use stepwise_core::model::Trace;
use stepwise_core::pricing::{estimate_costs, PriceTable};
use stepwise_core::recent::{RecentEntry, RecentSource, SourceKind};
use stepwise_core::report::trace_report;
use stepwise_core::report_md::markdown_report;
use stepwise_core::rollup::{totals, TraceRef};

fn fixture(path: &str) -> Trace {
    let path = format!("{}/../../tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).expect("fixture readable");
    let mut trace = import_bytes(&bytes).expect("imports").remove(0);
    // As the page and the CLI do: estimate from the committed table.
    let prices = std::fs::read_to_string(format!(
        "{}/../../public/prices.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("price table");
    let table = PriceTable::from_compact_json(&prices).expect("valid table");
    estimate_costs(&mut trace, &table);
    trace
}

fn unpriced() -> Trace {
    fixture("unknown/unpriced-models.json")
}

fn mixed() -> Trace {
    fixture("unknown/mixed-pricing.json")
}

/// The total the batch's `crew_kickoff_completed` event states.
fn stated_total() -> u64 {
    let path = format!(
        "{}/../../tests/fixtures/real/crewai-trace-batch-events-v1.6.0.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let batch: Value =
        serde_json::from_slice(&std::fs::read(path).expect("readable")).expect("json");
    batch["events"]
        .as_array()
        .and_then(|events| {
            events
                .iter()
                .find(|event| event["type"] == "crew_kickoff_completed")
        })
        .and_then(|event| event["event_data"]["total_tokens"].as_u64())
        .expect("a stated total")
}

fn run_total_only() -> Trace {
    fixture("real/crewai-trace-batch-events-v1.6.0.json")
}

#[test]
fn the_summary_keeps_unknown_parts() {
    let summary = summarize(&unpriced());
    assert!(summary.cost_usd.is_unknown());
    assert_eq!(summary.total_tokens, 690);
    assert_eq!(
        summary.cost_note().as_deref(),
        Some("3 LLM calls use models with no known price: model-a, model-b.")
    );

    let summary = summarize(&mixed());
    // $0.41 stated; gpt-4o-mini at $0.15/M in and $0.60/M out: 1,000 × 0.15e-6 + 100 × 0.6e-6.
    let by_hand = 0.41 + 1_000.0 * 0.15e-6 + 100.0 * 0.6e-6;
    assert!(summary.cost_usd.is_partial());
    assert!((summary.cost_usd.known - by_hand).abs() < 1e-12);
    assert_eq!(summary.cost_usd.unknown_parts, 2);
    assert_eq!(
        format_cost_tally(&summary.cost_usd),
        "$0.41 + 2 calls unpriced"
    );
    assert_eq!(
        format_count_tally(&summary.total_tokens),
        "1,880 + 1 call uncounted"
    );
    assert_eq!(summary.calls_without_tokens, 1);

    let summary = summarize(&run_total_only());
    assert_eq!(
        summary.total_tokens,
        stated_total(),
        "the run total the batch states"
    );
    assert!(summary.tokens_stated_by_trace);
    for part in [summary.prompt_tokens, summary.completion_tokens] {
        assert!(part.is_unknown(), "{part:?}");
        assert_eq!(format_count_tally(&part), "—");
    }
    assert!(summary.cost_usd.is_unknown());
    assert!(summary
        .tokens_note()
        .is_some_and(|note| note.contains("only a run total")));
}

#[test]
fn the_cli_json_writes_null_never_zero() {
    for trace in [unpriced(), run_total_only()] {
        let report = serde_json::to_value(trace_report(&trace)).expect("serialises");
        assert_eq!(report["summary"]["cost_usd"], Value::Null, "{}", trace.name);
        for task in report["tasks"].as_array().expect("tasks") {
            assert_eq!(task["cost_usd"], Value::Null);
        }
        for model in report["models"].as_array().expect("models") {
            assert_eq!(model["cost_usd"], Value::Null);
        }
    }
    let report = serde_json::to_value(trace_report(&run_total_only())).expect("serialises");
    assert_eq!(report["summary"]["prompt_tokens"], Value::Null);
    assert_eq!(report["summary"]["total_tokens"], stated_total());
    // A partial sum is written with the count of calls it leaves out.
    let report = serde_json::to_value(trace_report(&mixed())).expect("serialises");
    assert_eq!(report["summary"]["calls_without_cost"], 2);
    let write = &report["tasks"][1];
    assert_eq!(write["name"], "Write");
    assert_eq!(write["cost_usd"], 0.41);
    assert_eq!(write["llm_calls_without_cost"], 1);
}

#[test]
fn the_markdown_report_says_unknown_and_partial() {
    let report = markdown_report(&unpriced());
    assert!(
        report.contains(
            "| Cost | — (3 LLM calls use models with no known price: model-a, model-b) |"
        ),
        "{report}"
    );
    assert!(report.contains("| Gather | Analyst | completed | 10.0 s | 350 | — |"));
    assert!(!report.contains("$0 "), "{report}");
    let report = markdown_report(&mixed());
    assert!(
        report.contains("| Cost | $0.41 + 2 calls unpriced"),
        "{report}"
    );
    assert!(report.contains("| Write | Analyst | completed | 20.0 s | 550 + 1 call uncounted | $0.41 + 1 call unpriced |"), "{report}");
    let report = markdown_report(&run_total_only());
    assert!(report.contains("| Prompt tokens | — |"), "{report}");
    let total = format!(
        "| Total tokens | {} (stated by the trace as a run total) |",
        stated_total()
    );
    assert!(report.contains(&total), "{report}");
}

#[test]
fn the_export_leaves_unknown_counts_out() {
    let trace = mixed();
    let document = to_stepwise_document(std::slice::from_ref(&trace));
    let steps = document["trace"]["steps"].as_array().expect("steps");
    let c4 = steps.iter().find(|step| step["id"] == "c4").expect("c4");
    assert!(c4.get("usage").is_none(), "no usage: unknown, not zeros");
    assert!(c4.get("cost_usd").is_none());
    let again = import_bytes(document.to_string().as_bytes())
        .expect("re-imports")
        .remove(0);
    assert!(again.step("c4").expect("c4").usage.is_unknown());
}

#[test]
fn tables_compare_dashboard_and_embeds_keep_unknown_apart() {
    let trace = mixed();
    let tasks = task_figures(&trace);
    assert_eq!(
        format_cost_tally(&tasks[1].cost_usd),
        "$0.41 + 1 call unpriced"
    );
    let insights = analyse(&trace);
    let analyst = &insights.cost_by_agent[0];
    assert!(analyst.cost_usd.is_partial());
    assert_eq!(analyst.cost_usd.unknown_parts, 2);
    assert!(insights.token_hogs.total_tokens.is_partial());

    // A difference against an unknown is unknown.
    let comparison = compare(&unpriced(), &mixed());
    assert_eq!(comparison.delta.cost_usd, None);
    assert_eq!(format_delta_cost_usd(comparison.delta.cost_usd), "—");

    let (a, b) = (unpriced(), mixed());
    let sum = totals(&[
        TraceRef { id: "a", trace: &a },
        TraceRef { id: "b", trace: &b },
    ]);
    assert_eq!(format_cost_tally(&sum.cost_usd), "$0.41 + 5 calls unpriced");

    let loaded = serde_json::to_value(LoadedSummary::of(&unpriced())).expect("json");
    assert_eq!(loaded["cost_usd"], Value::Null);
    assert_eq!(loaded["tokens"], 690);
    let loaded = serde_json::to_value(LoadedSummary::of(&mixed())).expect("json");
    assert_eq!(loaded["cost_partial"], true);

    let source = RecentSource {
        kind: SourceKind::File,
        query: "trace=file:u.json".to_string(),
    };
    let entry = RecentEntry::new(&unpriced(), "u.json", ("id", 1), source, 0);
    assert_eq!(entry.cost_usd, None);
}
