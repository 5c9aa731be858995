//! The synthetic trace generator writes traces our importers read back exactly.
#![cfg(not(target_arch = "wasm32"))]

use stepwise_core::import::import_bytes;
use stepwise_core::metrics::summarize;
use stepwise_core::model::{SourceFormat, StepKind};
use stepwise_core::synth::{write_trace, SynthFormat, SynthOptions};

fn generate(steps: usize, format: SynthFormat) -> Vec<u8> {
    let mut out = Vec::new();
    write_trace(
        &SynthOptions {
            steps,
            seed: 42,
            format,
        },
        &mut out,
    )
    .expect("writes to memory");
    out
}

#[test]
fn our_format_holds_exactly_the_steps_asked_for() {
    for steps in [1, 7, 1_000, 10_000] {
        let traces = import_bytes(&generate(steps, SynthFormat::Stepwise)).expect("imports");
        assert_eq!(traces.len(), 1);
        let trace = &traces[0];
        assert_eq!(trace.source_format, SourceFormat::Stepwise);
        assert_eq!(trace.steps.len(), steps, "{steps} steps");
        assert!(trace.repairs.is_empty(), "{:?}", trace.repairs.first());
    }
}

#[test]
fn a_large_trace_has_every_kind_parallel_tasks_and_errors() {
    let traces = import_bytes(&generate(10_000, SynthFormat::Stepwise)).expect("imports");
    let trace = &traces[0];
    for kind in [
        StepKind::Agent,
        StepKind::Reasoning,
        StepKind::LlmCall,
        StepKind::ToolCall,
        StepKind::ToolResult,
        StepKind::Error,
    ] {
        assert!(trace.steps.iter().any(|step| step.kind == kind), "{kind:?}");
    }
    let summary = summarize(trace);
    assert!(summary.errors > 0);
    assert!(summary.agents >= 3);
    // Tasks overlap in time: the second starts before the first ends.
    let (first, second) = (&trace.tasks[0], &trace.tasks[1]);
    assert!(
        second.start_ns < first.end_ns,
        "tasks run in parallel lanes"
    );
    assert_eq!(
        summary.requests as usize,
        trace
            .steps
            .iter()
            .filter(|s| s.kind == StepKind::LlmCall)
            .count()
    );
}

#[test]
fn the_otlp_version_carries_the_same_llm_usage() {
    let ours = import_bytes(&generate(2_000, SynthFormat::Stepwise)).expect("imports");
    let otlp = import_bytes(&generate(2_000, SynthFormat::Otlp)).expect("imports");
    assert_eq!(otlp[0].source_format, SourceFormat::Otlp);
    let (a, b) = (summarize(&ours[0]), summarize(&otlp[0]));
    assert_eq!(a.requests, b.requests);
    assert_eq!(a.prompt_tokens, b.prompt_tokens);
    assert_eq!(a.completion_tokens, b.completion_tokens);
}
