//! The built-in demo must show everything the views are built for.
#![cfg(not(target_arch = "wasm32"))]

use stepwise_core::import::import_bytes;
use stepwise_core::metrics::summarize;
use stepwise_core::model::{Status, StepKind, Trace, TraceKind};

fn demo() -> Trace {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../public/demo/trace.json"
    ))
    .expect("the demo trace is in public/demo");
    let mut traces = import_bytes(&bytes).expect("the demo imports");
    assert_eq!(traces.len(), 1);
    traces.remove(0)
}

#[test]
fn is_a_crew_of_three_or_more_agents_and_four_or_more_tasks() {
    let trace = demo();
    assert_eq!(trace.kind, TraceKind::Crew);
    assert!(trace.agents.len() >= 3, "{} agents", trace.agents.len());
    assert!(trace.tasks.len() >= 4, "{} tasks", trace.tasks.len());
    assert!(
        trace.repairs.is_empty(),
        "demo needs repairs: {:?}",
        trace.repairs
    );
}

#[test]
fn two_tasks_run_in_parallel() {
    let trace = demo();
    let spans: Vec<(i64, i64)> = trace
        .tasks
        .iter()
        .map(|task| (task.start_ns.expect("start"), task.end_ns.expect("end")))
        .collect();
    let overlapping = spans
        .iter()
        .enumerate()
        .any(|(i, a)| spans[i + 1..].iter().any(|b| a.0 < b.1 && b.0 < a.1));
    assert!(overlapping, "no two tasks overlap: {spans:?}");
}

#[test]
fn has_reasoning_and_llm_calls_on_two_models_with_tokens() {
    let trace = demo();
    assert!(trace.steps.iter().any(|s| s.kind == StepKind::Reasoning));
    let mut models: Vec<&str> = trace
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::LlmCall && s.usage.total_tokens() > Some(0))
        .filter_map(|s| s.model.as_deref())
        .collect();
    models.sort_unstable();
    models.dedup();
    assert!(models.len() >= 2, "models with tokens: {models:?}");
}

#[test]
fn a_failed_tool_call_is_retried_and_answered() {
    let trace = demo();
    let calls: Vec<_> = trace
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::ToolCall)
        .collect();
    let retried = calls.iter().enumerate().any(|(i, failed)| {
        failed.status == Status::Failed
            && failed.error.is_some()
            && calls[i + 1..].iter().any(|retry| {
                retry.name == failed.name
                    && retry.status == Status::Completed
                    && trace.steps.iter().any(|result| {
                        result.kind == StepKind::ToolResult
                            && result.result_of.as_deref() == Some(retry.id.as_str())
                    })
            })
    });
    assert!(
        retried,
        "no failed tool call followed by a successful retry with a result"
    );
}

#[test]
fn one_task_fails_with_a_message_and_a_stack() {
    let trace = demo();
    let failed: Vec<_> = trace
        .tasks
        .iter()
        .filter(|task| task.status == Status::Failed)
        .collect();
    assert_eq!(failed.len(), 1);
    let error = trace
        .steps
        .iter()
        .filter(|s| s.task_id.as_deref() == Some(failed[0].id.as_str()))
        .find_map(|s| s.error.as_ref().filter(|e| e.stack.is_some()))
        .expect("the failed task has an error with a stack");
    assert!(!error.message.is_empty());
}

#[test]
fn ends_with_a_markdown_final_output() {
    let trace = demo();
    let output = trace
        .final_output
        .as_ref()
        .and_then(|value| value.as_string())
        .expect("a text final output");
    assert!(output.starts_with("# "), "a markdown heading first");
    assert!(output.contains("```"), "a code block");
}

#[test]
fn summary_counts_each_llm_call_once() {
    let trace = demo();
    let summary = summarize(&trace);
    let calls: Vec<_> = trace
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::LlmCall)
        .collect();
    assert_eq!(summary.requests, calls.len() as u64);
    let prompt: u64 = calls.iter().filter_map(|s| s.usage.input_tokens).sum();
    let completion: u64 = calls.iter().filter_map(|s| s.usage.output_tokens).sum();
    assert_eq!(summary.prompt_tokens, prompt);
    assert_eq!(summary.completion_tokens, completion);
    assert_eq!(summary.total_tokens, prompt + completion);
    // The writer's gpt-4o-mini calls carry no cost: the page estimates them.
    assert!(
        !summary.cost_estimated,
        "nothing is estimated before prices are applied"
    );
    assert_eq!(summary.calls_without_cost, 3);
    assert_eq!(summary.steps, trace.steps.len());
    assert!(
        summary.errors >= 3,
        "two failed fetches, one timeout and an error step"
    );
}

#[test]
fn unstated_costs_are_estimated_from_our_price_table() {
    let mut trace = demo();
    let prices = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../public/prices.json"
    ))
    .expect("the price table is in public/");
    let table =
        stepwise_core::pricing::PriceTable::from_compact_json(&prices).expect("valid table");
    let stated = summarize(&trace).cost_usd.known;
    let report = stepwise_core::pricing::estimate_costs(&mut trace, &table);
    assert_eq!(report.estimated_calls, 3);
    assert!(report.unpriced_models.is_empty());
    let summary = summarize(&trace);
    assert!(summary.cost_estimated);
    assert_eq!(summary.calls_without_cost, 0);
    // gpt-4o-mini: $0.15 / $0.60 per million tokens, cached input at $0.075.
    let mini: f64 = [(1320u64, 41u64, 0u64), (4890, 702, 0), (5760, 540, 4864)]
        .iter()
        .map(|&(input, output, cached)| {
            (input - cached) as f64 * 0.15e-6 + cached as f64 * 0.075e-6 + output as f64 * 0.6e-6
        })
        .sum();
    assert!(
        (summary.cost_usd.known - stated - mini).abs() < 1e-12,
        "{} vs {}",
        summary.cost_usd.known - stated,
        mini
    );
}

#[test]
fn figures_per_model_add_up_to_the_summary() {
    let trace = demo();
    let models = stepwise_core::metrics::model_figures(&trace);
    let names: Vec<&str> = models.iter().map(|m| m.model.as_str()).collect();
    // Claude's two calls are the most expensive stated costs; the mini calls have none yet.
    assert_eq!(
        names,
        [
            "claude-3-5-sonnet-20241022",
            "gpt-4o-2024-08-06",
            "gpt-4o-mini"
        ]
    );
    let summary = summarize(&trace);
    assert_eq!(
        models.iter().map(|m| m.calls).sum::<u64>(),
        summary.requests
    );
    assert_eq!(
        models.iter().map(|m| m.prompt_tokens.known).sum::<u64>(),
        summary.prompt_tokens.known
    );
    assert!(
        (models.iter().map(|m| m.cost_usd.known).sum::<f64>() - summary.cost_usd.known).abs()
            < 1e-12
    );
    assert_eq!(models[2].calls, 3);
    assert!(
        models[2].cost_usd.is_unknown(),
        "no price applied yet: unknown, not $0"
    );
    assert!(summary.cost_usd.is_partial());
}
