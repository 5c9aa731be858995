#![cfg(not(target_arch = "wasm32"))]
//! Where the page's main-thread time goes after a 100k-step import: each piece of derived
//! work the trace view runs, timed natively. A measurement, not a test of speed: it only
//! prints (run with `cargo test --release --test derived_timing -- --ignored --nocapture`).
//! The browser figures are in BENCHMARKS.md (scripts/bench).

use std::time::Instant;

fn timed<T>(label: &str, work: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let out = work();
    eprintln!(
        "{label:>28}: {:8.1} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    out
}

#[test]
#[ignore = "a measurement: cargo test --release --test derived_timing -- --ignored --nocapture"]
fn derived_work_on_100k_steps_is_measured() {
    let options = stepwise_core::synth::SynthOptions {
        steps: 100_000,
        seed: 7,
        format: stepwise_core::synth::SynthFormat::Stepwise,
    };
    let mut bytes = Vec::new();
    stepwise_core::synth::write_trace(&options, &mut bytes).expect("written");
    let mut trace = timed("import_bytes", || {
        stepwise_core::import::import_bytes(&bytes)
            .expect("imports")
            .remove(0)
    });
    let prices = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../public/prices.json"
    ))
    .expect("the price table is in public/");
    let table =
        stepwise_core::pricing::PriceTable::from_compact_json(&prices).expect("valid table");
    timed("estimate_costs", || {
        stepwise_core::pricing::estimate_costs(&mut trace, &table)
    });
    timed("recent::cache_id", || {
        stepwise_core::recent::cache_id(&bytes)
    });
    timed("metrics::summarize", || {
        stepwise_core::metrics::summarize(&trace)
    });
    let rows = timed("tree::step_rows", || stepwise_core::tree::step_rows(&trace));
    timed("metrics::task_figures", || {
        stepwise_core::metrics::task_figures(&trace)
    });
    timed("timeline::layout_with_rows", || {
        stepwise_core::timeline::layout::layout_with_rows(&trace, &rows)
    });
    let context = timed("insights::Context::new", || {
        stepwise_core::insights::Context::new(&trace)
    });
    {
        use stepwise_core::insights::*;
        timed("  failures", || failures::failures(&context));
        timed("  critical_path", || critical_path::critical_path(&context));
        timed("  slow_outliers", || outliers::slow_outliers(&trace));
        timed("  token_hogs", || hogs::token_hogs(&context));
        timed("  redundant", || redundant::redundant(&context));
        timed("  by_agent", || breakdown::by_agent(&context));
        timed("  by_model", || breakdown::by_model(&trace));
        timed("  by_tool", || breakdown::by_tool(&trace));
        timed("  by_task", || breakdown::by_task(&context));
    }
    let insights = timed("insights::analyse", || {
        stepwise_core::insights::analyse(&trace)
    });
    assert_eq!(rows.len(), trace.steps.len());
    assert!(!insights.cost_by_model.is_empty());
}
