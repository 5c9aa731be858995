//! Stepwise's own format: what it accepts, what it repairs visibly, and how it refuses.
#![cfg(not(target_arch = "wasm32"))]

use stepwise_core::import::{import_bytes, ImportError};
use stepwise_core::model::{CostSource, Status, StepKind};

fn doc(trace_body: &str) -> String {
    format!(r#"{{"format": "stepwise-trace", "version": 1, "trace": {{"id": "t1"{trace_body}}}}}"#)
}

fn message(input: &str) -> String {
    import_bytes(input.as_bytes())
        .expect_err("this input must be refused")
        .to_string()
}

#[test]
fn a_minimal_trace_imports() {
    let traces = import_bytes(doc("").as_bytes()).expect("imports");
    assert_eq!(traces[0].id, "t1");
    assert_eq!(traces[0].name, "t1", "the id stands in for a missing name");
    assert_eq!(
        traces[0].status,
        Status::Running,
        "no end time: still running"
    );
}

#[test]
fn several_traces_in_one_file_all_import() {
    let input = r#"{"format": "stepwise-trace", "version": 1,
        "traces": [{"id": "a"}, {"id": "b", "end_time": "2026-01-01T00:00:00Z"}]}"#;
    let traces = import_bytes(input.as_bytes()).expect("imports");
    let ids: Vec<&str> = traces.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
}

#[test]
fn steps_keep_nanoseconds_costs_and_unknown_kinds() {
    let input = doc(r#", "steps": [
        {"id": "s1", "kind": "llm_call", "name": "call", "model": "gpt-4o",
         "start_time": "2026-01-01T00:00:00.000000001Z", "end_time": "2026-01-01T00:00:00.000000501Z",
         "usage": {"input_tokens": 10, "output_tokens": 5}, "cost_usd": 0.5},
        {"id": "s2", "kind": "telepathy", "name": "odd", "parent_id": "s1"}]"#);
    let trace = &import_bytes(input.as_bytes()).expect("imports")[0];
    let call = &trace.steps[0];
    assert_eq!(call.duration_ns(), Some(500));
    assert_eq!(call.usage.total_tokens(), Some(15));
    assert_eq!(
        call.cost.map(|c| (c.usd, c.source)),
        Some((0.5, CostSource::Stated))
    );
    assert_eq!(
        trace.steps[1].kind,
        StepKind::Other,
        "unknown kinds are kept as other"
    );
    assert_eq!(trace.steps[1].status, Status::Running);
}

#[test]
fn a_step_with_an_error_is_failed() {
    let input = doc(
        r#", "steps": [{"id": "s1", "name": "x", "end_time": "2026-01-01T00:00:00Z",
        "error": {"type": "ValueError", "message": "boom"}}]"#,
    );
    let trace = &import_bytes(input.as_bytes()).expect("imports")[0];
    assert_eq!(trace.steps[0].status, Status::Failed);
}

#[test]
fn duplicate_ids_are_kept_under_a_new_id_and_reported() {
    let input = doc(r#", "steps": [{"id": "s", "name": "a"}, {"id": "s", "name": "b"}]"#);
    let trace = &import_bytes(input.as_bytes()).expect("imports")[0];
    assert_eq!(trace.steps[1].id, "s#2");
    assert_eq!(trace.repairs.len(), 1);
    assert_eq!(trace.repairs[0].path, "trace.steps[1].id");
}

#[test]
fn an_orphan_becomes_a_root_and_is_reported() {
    let input = doc(r#", "steps": [{"id": "s", "name": "a", "parent_id": "ghost"}]"#);
    let trace = &import_bytes(input.as_bytes()).expect("imports")[0];
    assert_eq!(trace.steps[0].parent_id, None);
    assert!(trace.repairs[0]
        .what
        .contains("\"ghost\" is not in the trace"));
}

#[test]
fn a_parent_cycle_is_broken_and_reported() {
    let input = doc(r#", "steps": [{"id": "a", "name": "a", "parent_id": "b"},
                       {"id": "b", "name": "b", "parent_id": "a"}]"#);
    let trace = &import_bytes(input.as_bytes()).expect("imports")[0];
    let roots = trace.steps.iter().filter(|s| s.parent_id.is_none()).count();
    assert_eq!(roots, 1, "exactly one link is cut");
    assert_eq!(trace.repairs.len(), 1);
    assert_eq!(
        stepwise_core::tree::step_rows(trace).len(),
        2,
        "both steps are listed"
    );
}

#[test]
fn an_empty_file_says_so() {
    assert_eq!(import_bytes(b" \n"), Err(ImportError::Empty));
    assert_eq!(import_bytes("\u{feff}".as_bytes()), Err(ImportError::Empty));
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let input = format!("\u{feff}{}", doc(""));
    assert!(import_bytes(input.as_bytes()).is_ok());
}

#[test]
fn truncated_json_gives_line_and_column() {
    let input = "{\"format\": \"stepwise-trace\",\n \"version\": 1, \"trace\": {\"id\": ";
    assert_eq!(
        message(input),
        "The file is not valid JSON at line 2, column 31: EOF while parsing a value."
    );
}

#[test]
fn invalid_utf8_gives_the_offset() {
    let bytes = [b'{', b'"', 0xff, b'"', b'}'];
    assert_eq!(
        import_bytes(&bytes).expect_err("refused").to_string(),
        "The file is not UTF-8 text (invalid byte at offset 2): expected a JSON trace."
    );
}

#[test]
fn an_unknown_format_lists_what_it_found() {
    let text = message(r#"{"hello": 1, "world": 2}"#);
    assert!(
        text.starts_with("Unrecognised trace format: found an object with keys hello, world."),
        "{text}"
    );
    assert!(text.contains("a Stepwise trace (\"format\": \"stepwise-trace\")"));
    assert!(text.contains("OTLP/JSON (\"resourceSpans\")"));
    assert!(message("[]").contains("found an empty array"));
}

#[test]
fn a_missing_field_names_its_path() {
    let input = doc(r#", "steps": [{"id": "s1", "name": "ok"}, {"id": "s2"}]"#);
    assert_eq!(
        message(&input),
        "Stepwise trace at trace.steps[1]: expected valid content (missing field `name`)."
    );
}

#[test]
fn a_wrong_type_names_its_path() {
    let input = doc(r#", "tasks": [{"id": 7, "name": "x"}]"#);
    assert_eq!(
        message(&input),
        "Stepwise trace at trace.tasks[0].id: expected valid content \
         (invalid type: integer `7`, expected a string)."
    );
}

#[test]
fn a_bad_time_names_its_path() {
    let input = doc(r#", "start_time": "yesterday""#);
    assert_eq!(
        message(&input),
        "Stepwise trace at trace.start_time: expected an RFC 3339 time such as \
         \"2026-11-02T09:14:03.120Z\", not \"yesterday\"."
    );
}

#[test]
fn a_newer_version_is_refused_clearly() {
    let input = r#"{"format": "stepwise-trace", "version": 3, "trace": {"id": "x"}}"#;
    assert_eq!(
        message(input),
        "Stepwise trace at version: expected version 1 or 2 \
         (this Stepwise reads versions 1 and 2; the file says 3)."
    );
}

/// Version 2 tells unknown from zero; version 1 files keep their meaning (a count left
/// out of a `usage` object was 0), and a step with no `usage` at all is unknown in both.
#[test]
fn version_2_keeps_unknown_counts_unknown_and_version_1_reads_as_before() {
    let steps = r#""steps": [
        {"id": "a", "name": "a", "kind": "llm_call", "usage": {"input_tokens": 10}},
        {"id": "b", "name": "b", "kind": "llm_call"},
        {"id": "c", "name": "c", "kind": "llm_call",
         "usage": {"input_tokens": 100, "output_tokens": 5, "cache_write_tokens": 40,
                   "audio_input_tokens": 7, "image_input_tokens": 9, "audio_output_tokens": 2}}]"#;
    let read = |version: u32| {
        let input = format!(
            r#"{{"format": "stepwise-trace", "version": {version}, "trace": {{"id": "t", {steps}}}}}"#
        );
        import_bytes(input.as_bytes()).expect("imports").remove(0)
    };
    let v2 = read(2);
    assert_eq!(v2.steps[0].usage.input_tokens, Some(10));
    assert_eq!(v2.steps[0].usage.output_tokens, None, "left out: unknown");
    assert!(v2.steps[1].usage.is_unknown());
    let c = v2.steps[2].usage;
    assert_eq!(
        (
            c.cache_write_tokens,
            c.audio_input_tokens,
            c.image_input_tokens,
            c.audio_output_tokens
        ),
        (Some(40), Some(7), Some(9), Some(2))
    );
    let v1 = read(1);
    assert_eq!(
        v1.steps[0].usage.output_tokens,
        Some(0),
        "version 1 meant 0"
    );
    assert!(v1.steps[1].usage.is_unknown());
    // What we write reads back the same, unknowns included.
    let exported = stepwise_core::export::to_stepwise_document(std::slice::from_ref(&v2));
    let text = serde_json::to_string(&exported).expect("json");
    assert!(text.contains(r#""version":2"#), "{text}");
    let again = import_bytes(text.as_bytes()).expect("re-imports").remove(0);
    let usages: Vec<_> = again.steps.iter().map(|step| step.usage).collect();
    let before: Vec<_> = v2.steps.iter().map(|step| step.usage).collect();
    assert_eq!(usages, before);
}

#[test]
fn a_negative_cost_is_refused() {
    let input = doc(r#", "steps": [{"id": "s", "name": "x", "cost_usd": -1.0}]"#);
    assert!(message(&input).contains("trace.steps[0].cost_usd"));
}
