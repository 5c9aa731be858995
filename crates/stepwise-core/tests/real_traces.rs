//! One snapshot per real trace file in tests/fixtures/real: the summary report of every
//! trace it holds. Detection is by content only (the importer never sees a file name),
//! and each file is also read back after a round trip through Stepwise's own format.
#![cfg(not(target_arch = "wasm32"))]

use stepwise_core::export::to_stepwise_document;
use stepwise_core::import::import_bytes;
use stepwise_core::model::SourceFormat;
use stepwise_core::report::trace_report;

fn check(file: &str, format: SourceFormat) {
    let path = format!(
        "{}/../../tests/fixtures/real/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|error| panic!("{path}: {error}"));
    let traces = import_bytes(&bytes).unwrap_or_else(|error| panic!("{file}: {error}"));
    assert!(!traces.is_empty());
    assert!(traces.iter().all(|trace| trace.source_format == format));
    let reports: Vec<_> = traces.iter().map(trace_report).collect();
    insta::assert_json_snapshot!(file, reports);

    let exported = serde_json::to_vec(&to_stepwise_document(&traces)).expect("serialises");
    let again = import_bytes(&exported).expect("our own export imports");
    let summaries = |traces: &[stepwise_core::model::Trace]| -> Vec<_> {
        traces.iter().map(|t| trace_report(t).summary).collect()
    };
    assert_eq!(
        summaries(&again),
        summaries(&traces),
        "{file}: round trip changed figures"
    );
}

/// The summary's total for a file, as the page and `stepwise summary` show it.
fn total_tokens(file: &str) -> u64 {
    let path = format!(
        "{}/../../tests/fixtures/real/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let traces = import_bytes(&std::fs::read(path).expect("readable")).expect("imports");
    stepwise_core::metrics::summarize(&traces[0])
        .total_tokens
        .exact()
        .expect("every call's tokens known")
}

#[test]
fn crewai_v1_4_1() {
    check(
        "crewai-trace-batch-events-v1.4.1.json",
        SourceFormat::CrewAi,
    );
    // crew_kickoff_completed.total_tokens; the calls of this old client carry no usage.
    assert_eq!(total_tokens("crewai-trace-batch-events-v1.4.1.json"), 165);
}

#[test]
fn crewai_v1_6_0() {
    check(
        "crewai-trace-batch-events-v1.6.0.json",
        SourceFormat::CrewAi,
    );
    assert_eq!(total_tokens("crewai-trace-batch-events-v1.6.0.json"), 170);
}

#[test]
fn otlp_proto_example() {
    check("otlp-proto-example-trace.json", SourceFormat::Otlp);
}

#[test]
fn otlp_jaeger_ui_multi_resource() {
    check("otlp-jaeger-ui-multi-resource.json", SourceFormat::Otlp);
}

#[test]
fn tempo_v1_trace_by_id() {
    check("tempo-v1-trace-by-id-oats-minimal.json", SourceFormat::Otlp);
}

#[test]
fn langfuse_crewai() {
    check(
        "langfuse-export-crewai-2025-07-11.json",
        SourceFormat::Langfuse,
    );
}

#[test]
fn langfuse_openai_agents() {
    check(
        "langfuse-export-openai-agents-2025-09-30.json",
        SourceFormat::Langfuse,
    );
}

#[test]
fn langfuse_pydantic_ai_tools() {
    check(
        "langfuse-export-pydantic-ai-tools-2025-12-04.json",
        SourceFormat::Langfuse,
    );
}

#[test]
fn atif_openhands() {
    check(
        "atif-openhands-hello-world.trajectory.json",
        SourceFormat::Atif,
    );
    // The steps' metrics, which final_metrics confirms (220 in, 80 out).
    assert_eq!(
        total_tokens("atif-openhands-hello-world.trajectory.json"),
        300
    );
}

#[test]
fn atif_terminus2_context_summarization() {
    // Alone: its three subagents are named as missing (import_atif.rs has them together).
    check(
        "atif-terminus2-context-summarization.trajectory.json",
        SourceFormat::Atif,
    );
}

#[test]
fn atif_terminus2_subagent_summary() {
    check(
        "atif-terminus2-context-summarization.subagent-summary.trajectory.json",
        SourceFormat::Atif,
    );
}

#[test]
fn every_real_file_has_a_test_here() {
    let source = include_str!("real_traces.rs");
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/real");
    for entry in std::fs::read_dir(dir).expect("tests/fixtures/real") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name.ends_with(".json") {
            assert!(
                source.contains(&format!("\"{name}\"")),
                "{name} has no snapshot test"
            );
        }
    }
}
