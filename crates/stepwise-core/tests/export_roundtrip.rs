//! Stepwise's own format round-trips: export then import gives the same model.
#![cfg(not(target_arch = "wasm32"))]

use stepwise_core::export::to_stepwise_document;
use stepwise_core::import::import_bytes;

#[test]
fn the_demo_survives_a_round_trip_unchanged() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../public/demo/trace.json"
    ))
    .expect("demo");
    let original = import_bytes(&bytes).expect("demo imports");
    let written = serde_json::to_vec(&to_stepwise_document(&original)).expect("serialises");
    let mut again = import_bytes(&written).expect("export imports");
    // The export notes where it came from; everything else must be identical.
    again[0].metadata.remove("stepwise.converted_from");
    assert_eq!(again, original);
}

#[test]
fn nanoseconds_survive_a_round_trip() {
    let input = r#"{"format": "stepwise-trace", "version": 1, "traces": [
        {"id": "a", "start_time": "2026-01-01T00:00:00.123456789Z"},
        {"id": "b"}]}"#;
    let original = import_bytes(input.as_bytes()).expect("imports");
    let written = serde_json::to_vec(&to_stepwise_document(&original)).expect("serialises");
    let again = import_bytes(&written).expect("export imports");
    assert_eq!(again.len(), 2);
    assert_eq!(again[0].start_ns, original[0].start_ns);
    assert_eq!(
        again[0].start_ns.map(|ns| ns % 1_000_000_000),
        Some(123_456_789)
    );
}

#[test]
fn annotations_and_saved_views_survive_a_round_trip() {
    use stepwise_core::annotate::{Annotation, AnnotationTarget, Notes, SavedView};
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../public/demo/trace.json"
    ))
    .expect("demo");
    let mut original = import_bytes(&bytes).expect("demo imports");
    assert!(original[0].notes.is_empty(), "the demo has no notes");
    let step_id = original[0].steps[2].id.clone();
    original[0].notes = Notes {
        annotations: vec![
            Annotation {
                id: "a1".into(),
                target: AnnotationTarget::Step { step_id },
                label: "retry storm starts here".into(),
                note: "<b>not html</b>".into(),
                created_at: "2026-12-08T01:00:00Z".into(),
            },
            Annotation {
                id: "a2".into(),
                target: AnnotationTarget::Range {
                    start_ns: 1_000,
                    end_ns: 2_000,
                },
                label: "slow patch".into(),
                note: String::new(),
                created_at: "2026-12-08T01:00:01Z".into(),
            },
        ],
        views: vec![SavedView {
            name: "the graph".into(),
            query: "?view=graph&step=s3".into(),
        }],
    };
    let document = to_stepwise_document(&original);
    let trace = &document["trace"];
    assert_eq!(
        trace["annotations"][0]["target"]["step_id"],
        original[0].steps[2].id
    );
    assert_eq!(trace["annotations"][1]["target"]["start_ns"], 1_000);
    assert_eq!(trace["views"][0]["name"], "the graph");
    let written = serde_json::to_vec(&document).expect("serialises");
    let again = import_bytes(&written).expect("export imports");
    assert_eq!(again[0].notes, original[0].notes);
}

#[test]
fn a_trace_without_notes_writes_no_notes_members() {
    let input = r#"{"format": "stepwise-trace", "version": 2, "trace": {"id": "a"}}"#;
    let traces = import_bytes(input.as_bytes()).expect("imports");
    let document = to_stepwise_document(&traces);
    assert!(document["trace"].get("annotations").is_none());
    assert!(document["trace"].get("views").is_none());
}

#[test]
fn a_damaged_annotation_is_left_out_with_a_repair_and_the_trace_still_opens() {
    let input = r#"{"format": "stepwise-trace", "version": 2, "trace": {"id": "a",
        "steps": [{"id": "s1", "name": "n"}],
        "annotations": [
            {"id": "a1", "target": {"step_id": "s1"}, "label": "fine"},
            {"id": "a2", "target": {"step_id": "gone"}, "label": "kept, though its step is not here"},
            {"id": "a3", "target": "s1", "label": "bad target"},
            {"id": "a4", "target": {"step_id": "s1"}, "label": "   "},
            {"id": "a5", "target": {"start_ns": 9, "end_ns": 1}, "label": "backwards"}
        ],
        "views": [{"name": "v"}]}}"#;
    let traces = import_bytes(input.as_bytes()).expect("imports");
    let ids: Vec<&str> = traces[0]
        .notes
        .annotations
        .iter()
        .map(|annotation| annotation.id.as_str())
        .collect();
    assert_eq!(ids, ["a1", "a2"]);
    assert!(traces[0].notes.views.is_empty());
    let repaired: Vec<&str> = traces[0]
        .repairs
        .iter()
        .map(|repair| repair.path.as_str())
        .collect();
    assert_eq!(
        repaired,
        [
            "trace.annotations[2]",
            "trace.annotations[3]",
            "trace.annotations[4]",
            "trace.views[0]"
        ]
    );
    assert!(traces[0]
        .repairs
        .iter()
        .all(|repair| !repair.is_skipped_input()));
}

#[test]
fn the_page_s_notes_replace_the_file_s_in_the_export() {
    use stepwise_core::annotate::{Annotation, AnnotationTarget, Notes};
    let input = r#"{"format": "stepwise-trace", "version": 2, "trace": {"id": "a",
        "steps": [{"id": "s1", "name": "n"}],
        "annotations": [{"id": "a1", "target": {"step_id": "s1"}, "label": "old"}],
        "views": [{"name": "v", "query": "?view=graph"}]}}"#;
    let traces = import_bytes(input.as_bytes()).expect("imports");
    let mut page = Notes::default();
    page.upsert(Annotation {
        id: "a2".into(),
        target: AnnotationTarget::Step {
            step_id: "s1".into(),
        },
        label: "new".into(),
        note: String::new(),
        created_at: String::new(),
    });
    let document = stepwise_core::export::with_notes(&traces[0], &page);
    let again = import_bytes(&serde_json::to_vec(&document).expect("serialises")).expect("imports");
    assert_eq!(
        again[0].notes, page,
        "the views deleted on the page stay deleted"
    );
    let none = stepwise_core::export::with_notes(&traces[0], &Notes::default());
    assert!(none["trace"].get("annotations").is_none());
}
