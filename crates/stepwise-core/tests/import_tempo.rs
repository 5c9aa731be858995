//! Grafana Tempo's trace-by-id answers, saved to a file and dropped: the real v1
//! `{"batches": […]}` answer and the v2 `{"trace": {"resourceSpans": […]}}` envelope are read
//! as OTLP/JSON, with the same figures; look-alikes are not claimed.
#![cfg(not(target_arch = "wasm32"))]

use stepwise_core::import::{import_bytes, ImportError};
use stepwise_core::model::{SourceFormat, Status, Trace};

fn read(path: &str) -> Vec<u8> {
    let full = format!("{}/../../tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|error| panic!("cannot read {full}: {error}"))
}

fn only_trace(bytes: &[u8]) -> Trace {
    let mut traces = import_bytes(bytes).unwrap_or_else(|error| panic!("imports: {error}"));
    assert_eq!(traces.len(), 1, "one trace");
    traces.remove(0)
}

const S: i64 = 1_000_000_000;

/// A step as the test compares it: name, start and end (ns), parent.
type SpanFacts<'a> = (&'a str, Option<i64>, Option<i64>, Option<&'a str>);

/// What the oats file holds: two sibling spans of one service, times as strings.
fn assert_oats_spans(trace: &Trace) {
    assert_eq!(trace.source_format, SourceFormat::Otlp);
    assert_eq!(
        trace.id,
        "0".repeat(32),
        "the base64 id of 16 zero bytes, as hex"
    );
    let spans: Vec<SpanFacts> = trace
        .steps
        .iter()
        .map(|s| {
            (
                s.name.as_str(),
                s.start_ns,
                s.end_ns,
                s.parent_id.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        spans,
        [
            ("visible-span", Some(S), Some(2 * S), None),
            ("another-span", Some(S + S / 2), Some(2 * S + S / 2), None),
        ]
    );
    assert!(trace.steps.iter().all(|s| s.status == Status::Completed));
    assert_eq!(trace.steps[0].attributes["http.method"], "GET");
    assert_eq!(trace.steps[0].attributes["http.status_code"], 200);
    assert_eq!(trace.steps[1].attributes["db.system"], "postgresql");
    assert_eq!(trace.metadata["service.name"], "test-service");
    assert_eq!(trace.start_ns, Some(S));
    assert_eq!(trace.end_ns, Some(2 * S + S / 2));
    assert_eq!(trace.status, Status::Completed);
}

#[test]
fn the_real_tempo_v1_answer_opens_with_its_spans_and_times() {
    let trace = only_trace(&read("real/tempo-v1-trace-by-id-oats-minimal.json"));
    assert_oats_spans(&trace);
}

#[test]
fn the_v2_envelope_opens_with_the_same_figures() {
    let v1 = only_trace(&read("real/tempo-v1-trace-by-id-oats-minimal.json"));
    let v2 = only_trace(&read("otlp/tempo-v2-trace-by-id.from-docs.json"));
    assert_oats_spans(&v2);
    assert_eq!(v2.steps, v1.steps);
    assert_eq!(v2.name, v1.name);
}

#[test]
fn a_tempo_v2_answer_with_its_status_fields_still_opens() {
    // Tempo may say beside the trace whether it is complete.
    let text = String::from_utf8(read("otlp/tempo-v2-trace-by-id.from-docs.json")).unwrap();
    let with_status = format!(
        "{{\"status\": \"complete\", {}",
        text.trim_start().trim_start_matches('{')
    );
    assert_oats_spans(&only_trace(with_status.as_bytes()));
}

#[test]
fn errors_in_an_envelope_name_its_path() {
    let bad = br#"{"batches": [{"scopeSpans": [{"spans": [{"traceId": "00000000000000000000000000000001", "name": "x"}]}]}]}"#;
    let error = import_bytes(bad).unwrap_err();
    assert!(
        matches!(&error, ImportError::Invalid { format: SourceFormat::Otlp, path, .. }
            if path.starts_with("batches[0].scopeSpans[0].spans[0]")),
        "{error}"
    );
    let empty = br#"{"trace": {"resourceSpans": []}}"#;
    assert_eq!(
        import_bytes(empty).unwrap_err().to_string(),
        "OTLP/JSON at trace.resourceSpans: expected at least one span."
    );
}

#[test]
fn look_alikes_are_not_taken_for_tempo() {
    for text in [
        r#"{"batches": [1, 2]}"#,
        r#"{"batches": []}"#,
        r#"{"batches": [{"size": 3}]}"#,
        r#"{"trace": {"id": "t", "steps": []}}"#,
        r#"{"trace": "resourceSpans"}"#,
    ] {
        let error = import_bytes(text.as_bytes()).unwrap_err();
        assert!(
            matches!(error, ImportError::UnknownFormat { .. }),
            "{text}: {error}"
        );
    }
    // A Stepwise document keeps its own reading, whatever its trace holds.
    let stepwise = br#"{"format": "stepwise-trace", "version": 1, "trace": {"resourceSpans": []}}"#;
    let error = import_bytes(stepwise).unwrap_err();
    assert!(
        matches!(&error, ImportError::Invalid { format, .. } if *format == SourceFormat::Stepwise),
        "{error}"
    );
}
