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
