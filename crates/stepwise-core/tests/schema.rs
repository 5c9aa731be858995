//! The published JSON Schema (public/stepwise-trace.schema.json) accepts what Stepwise
//! writes and reads, and rejects what it refuses.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::{json, Value};

fn read(path: &str) -> Value {
    let text = std::fs::read_to_string(format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|error| panic!("{path}: {error}"));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{path}: {error}"))
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&read("public/stepwise-trace.schema.json")).expect("a valid schema")
}

fn errors(instance: &Value) -> Vec<String> {
    validator()
        .iter_errors(instance)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect()
}

#[test]
fn the_demo_is_valid() {
    assert_eq!(
        errors(&read("public/demo/trace.json")),
        Vec::<String>::new()
    );
}

#[test]
fn what_we_export_is_valid() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../public/demo/trace.json"
    ))
    .expect("demo");
    let traces = stepwise_core::import::import_bytes(&bytes).expect("imports");
    let exported = stepwise_core::export::to_stepwise_document(&traces);
    assert_eq!(errors(&exported), Vec::<String>::new());
}

#[test]
fn a_redacted_export_is_valid_and_still_imports() {
    use stepwise_core::redact::{redact_trace, RedactionNote, Rules};
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../public/demo/trace.json"
    ))
    .expect("demo");
    let traces = stepwise_core::import::import_bytes(&bytes).expect("imports");
    let (redacted, report) = redact_trace(&traces[0], &Rules::default()).expect("valid rules");
    let mut note = RedactionNote::of(&[report], "2026-12-08T01:00:00Z");
    // The demo holds no secrets; the note's shape is what is checked.
    note.counts = vec![(stepwise_core::redact::Category::ApiKey, 3)];
    let exported = stepwise_core::export::to_stepwise_document_redacted(&[redacted], &note);
    assert_eq!(
        exported["redaction"],
        json!({"redacted": true, "at": "2026-12-08T01:00:00Z", "counts": {"api-key": 3}})
    );
    assert_eq!(errors(&exported), Vec::<String>::new());
    assert!(stepwise_core::import::import_bytes(exported.to_string().as_bytes()).is_ok());
    let mut wrong = exported.clone();
    wrong["redaction"]["counts"] = json!({"passwords": 1});
    assert!(!errors(&wrong).is_empty(), "the schema accepts {wrong}");
}

#[test]
fn annotations_and_views_are_optional_and_checked() {
    let with_notes = json!({"format": "stepwise-trace", "version": 2, "trace": {"id": "x",
        "annotations": [
            {"id": "a1", "target": {"step_id": "s1"}, "label": "retry storm", "note": "n",
             "created_at": "2026-12-08T01:00:00Z"},
            {"id": "a2", "target": {"start_ns": 1, "end_ns": 2}, "label": "slow"}
        ],
        "views": [{"name": "graph", "query": "?view=graph"}]}});
    assert_eq!(errors(&with_notes), Vec::<String>::new());
    let too_long = "x".repeat(81);
    for bad in [
        json!({"id": "a", "target": {"step_id": "s1"}, "label": too_long}),
        json!({"id": "a", "target": "s1", "label": "l"}),
        json!({"id": "a", "target": {"start_ns": "1", "end_ns": 2}, "label": "l"}),
        json!({"id": "a", "target": {"step_id": "s1"}}),
    ] {
        let document = json!({"format": "stepwise-trace", "version": 2,
            "trace": {"id": "x", "annotations": [bad]}});
        assert!(!errors(&document).is_empty(), "the schema accepts {bad}");
    }
}

#[test]
fn what_the_importer_refuses_the_schema_refuses_too() {
    let cases = [
        json!({"format": "stepwise-trace", "version": 3, "trace": {"id": "x"}}),
        json!({"format": "stepwise-trace", "version": 1}),
        json!({"format": "stepwise-trace", "version": 1, "trace": {"id": "x", "steps": [{"id": "s"}]}}),
        json!({"format": "stepwise-trace", "version": 1, "trace": {"id": "x", "start_time": "yesterday"}}),
        json!({"format": "stepwise-trace", "version": 1, "trace": {"id": "x", "steps": [{"id": "s", "name": "n", "cost_usd": -1}]}}),
    ];
    for case in cases {
        assert!(!errors(&case).is_empty(), "the schema accepts {case}");
        let text = case.to_string();
        assert!(
            stepwise_core::import::import_bytes(text.as_bytes()).is_err(),
            "the importer accepts {case}"
        );
    }
}
