//! The bad-input catalogue: one named case per way a trace file can be broken, each with
//! the exact message a user reads, or, for what is repaired rather than refused, the exact
//! repair notes and the figures that survive. Huge inputs are generated here, not committed.
#![cfg(not(target_arch = "wasm32"))]

use std::time::{Duration, Instant};

use stepwise_core::import::import_bytes;
use stepwise_core::metrics::summarize;
use stepwise_core::model::{Repair, SourceFormat, Trace};

/// What every "unrecognised" message lists after what it found.
const EXPECTED_FORMATS: &str = "Expected one of: a Stepwise trace (\"format\": \
    \"stepwise-trace\"), OTLP/JSON (\"resourceSpans\"), a Grafana Tempo trace (\"trace\" or \"batches\" \
    holding them), a CrewAI trace batch (\"events\"), \
    a Langfuse trace (\"observations\" with \"id\" or \"trace\"), Jaeger JSON (\"traceID\" and \
    \"spans\"), LangSmith runs (\"run_type\", or \"post\"/\"patch\") or an ATIF trajectory \
    (\"schema_version\" and \"steps\").";

fn message(input: impl AsRef<[u8]>) -> String {
    match import_bytes(input.as_ref()) {
        Ok(traces) => panic!("imported {} trace(s); expected a refusal", traces.len()),
        Err(error) => error.to_string(),
    }
}

fn unrecognised(found: &str) -> String {
    format!("Unrecognised trace format: found {found}. {EXPECTED_FORMATS}")
}

fn traces(input: impl AsRef<[u8]>) -> Vec<Trace> {
    import_bytes(input.as_ref()).unwrap_or_else(|error| panic!("refused: {error}"))
}

fn only_trace(input: impl AsRef<[u8]>) -> Trace {
    let mut all = traces(input);
    assert_eq!(all.len(), 1, "one trace");
    all.remove(0)
}

/// The repair notes of a trace as `(path, what)`.
fn repairs(trace: &Trace) -> Vec<(&str, &str)> {
    trace
        .repairs
        .iter()
        .map(|repair| (repair.path.as_str(), repair.what.as_str()))
        .collect()
}

fn stepwise(trace_body: &str) -> String {
    format!(r#"{{"format": "stepwise-trace", "version": 1, "trace": {{"id": "t1"{trace_body}}}}}"#)
}

fn otlp_span(fields: &str) -> String {
    format!(
        r#"{{"resourceSpans": [{{"scopeSpans": [{{"spans": [{{"traceId": "0af7651916cd43dd8448eb211c80319c",
            "spanId": "b7ad6b7169203331", "name": "x"{fields}}}]}}]}}]}}"#
    )
}

fn jaeger_span(fields: &str) -> String {
    format!(r#"{{"traceID": "abc", "spans": [{{"spanID": "s1", "operationName": "op"{fields}}}]}}"#)
}

fn langsmith_run(fields: &str) -> String {
    format!(r#"{{"id": "r1", "run_type": "chain", "end_time": "2024-05-01T12:00:01"{fields}}}"#)
}

// ---------------------------------------------------------------------------------------
// Empty and non-trace documents

#[test]
fn a_file_of_zero_bytes_is_empty() {
    assert_eq!(message(b""), "The file is empty: expected a JSON trace.");
}

#[test]
fn whitespace_only_is_empty() {
    assert_eq!(
        message(b" \t\r\n \n"),
        "The file is empty: expected a JSON trace."
    );
}

#[test]
fn an_empty_array_names_what_was_found() {
    assert_eq!(message(b"[]"), unrecognised("an empty array"));
}

#[test]
fn an_empty_object_names_what_was_found() {
    assert_eq!(message(b"{}"), unrecognised("an empty object"));
}

#[test]
fn null_names_what_was_found() {
    assert_eq!(message(b"null"), unrecognised("null"));
}

#[test]
fn a_bare_string_names_what_was_found() {
    assert_eq!(message(br#""hello""#), unrecognised("a string"));
}

#[test]
fn a_bare_number_names_what_was_found() {
    assert_eq!(message(b"42"), unrecognised("a number"));
}

/// Regression: serde's derived structs also read an array of their fields in order, so
/// `[["x"]]` was taken for a list of LangSmith runs ("LangSmith runs at [0][0]: …").
#[test]
fn an_array_of_arrays_is_not_taken_for_langsmith_runs() {
    assert_eq!(message(br#"[["x"]]"#), unrecognised("an array of 1 item"));
}

/// Regression: the same for CrewAI events and Jaeger's `data`.
#[test]
fn arrays_in_place_of_events_or_jaeger_traces_are_not_claimed() {
    assert_eq!(
        message(br#"[["e1", null, "task_started"]]"#),
        unrecognised("an array of 1 item")
    );
    assert_eq!(
        message(br#"{"data": [["abc", []]]}"#),
        unrecognised("an object with keys data")
    );
}

#[test]
fn an_empty_langfuse_list_page_says_it_lists_nothing() {
    assert_eq!(
        message(br#"{"data": [], "meta": {"page": 1, "totalItems": 0}}"#),
        "Langfuse trace at data: expected at least one trace (this page lists none)."
    );
}

#[test]
fn an_empty_langsmith_batch_says_it_holds_no_run() {
    assert_eq!(
        message(br#"{"post": [], "patch": []}"#),
        "LangSmith runs at the top level: expected at least one run in \"post\", \"patch\" \
         or \"runs\"."
    );
}

// ---------------------------------------------------------------------------------------
// Encoding

#[test]
fn a_utf8_byte_order_mark_before_json_lines_imports_both_lines() {
    let line = otlp_span("").replace('\n', " ");
    let input = format!(
        "\u{feff}{line}\n{}",
        line.replace("b7ad6b7169203331", "00f067aa0ba902b7")
    );
    let trace = only_trace(input);
    assert_eq!(trace.source_format, SourceFormat::Otlp);
    assert_eq!(trace.steps.len(), 2, "both lines, one trace id");
}

#[test]
fn invalid_utf8_on_a_later_line_gives_its_byte_offset() {
    let mut input = stepwise("").into_bytes();
    input.extend(b"\n{\"name\": \"caf\xe9\"}");
    let offset = input.len() - 3;
    assert_eq!(
        message(&input),
        format!(
            "The file is not UTF-8 text (invalid byte at offset {offset}): expected a JSON trace."
        )
    );
}

#[test]
fn a_character_cut_in_half_at_the_end_is_not_utf8() {
    let input = b"{\"name\": \"\xe2\x82".to_vec();
    let offset = input.len() - 2;
    assert_eq!(
        message(&input),
        format!(
            "The file is not UTF-8 text (invalid byte at offset {offset}): expected a JSON trace."
        )
    );
}

#[test]
fn utf16_text_is_not_utf8() {
    assert_eq!(
        message(b"\xff\xfe{\0}\0"),
        "The file is not UTF-8 text (invalid byte at offset 0): expected a JSON trace."
    );
}

#[test]
fn a_lone_surrogate_escape_is_refused_with_its_position() {
    assert_eq!(
        message(stepwise(r#", "name": "\ud800""#)),
        "The file is not valid JSON at line 1, column 81: unexpected end of hex escape."
    );
}

// ---------------------------------------------------------------------------------------
// Truncated JSON, at several depths

#[test]
fn truncated_at_the_top_level() {
    assert_eq!(
        message(br#"{"format": "stepwise-trace", "version": 1"#),
        "The file is not valid JSON at line 1, column 41: EOF while parsing an object."
    );
}

#[test]
fn truncated_inside_the_steps_array() {
    assert_eq!(
        message(stepwise(r#", "steps": [{"id": "a", "name": "x"}, {"id""#).trim_end_matches('}')),
        "The file is not valid JSON at line 1, column 106: EOF while parsing an object."
    );
}

#[test]
fn truncated_inside_a_string() {
    assert_eq!(
        message(
            br#"{"format": "stepwise-trace", "version": 1, "trace": {"id": "t1", "name": "abc"#
        ),
        "The file is not valid JSON at line 1, column 77: EOF while parsing a string."
    );
}

#[test]
fn truncated_inside_a_nested_object() {
    assert_eq!(
        message(br#"{"format": "stepwise-trace", "version": 1, "trace": {"id": "t1", "metadata": {"a": {"b": [1, 2"#),
        "The file is not valid JSON at line 1, column 94: EOF while parsing a list."
    );
}

/// A JSON Lines file cut off in its last line (copied while still being written) opens
/// with the lines before, and the trace says which line it is missing and why.
#[test]
fn truncated_on_the_second_line_of_json_lines() {
    let line = otlp_span("").replace('\n', " ");
    let input = format!("{line}\n{}", &line[..40]);
    let all = traces(input);
    assert_eq!(all.len(), 1);
    assert_eq!(
        all[0].repairs,
        [Repair {
            path: "line 2".to_string(),
            what: "Skipped: this line is not valid JSON, so whatever it held is missing (The \
                   file is not valid JSON at line 2, column 40: EOF while parsing a string.)."
                .to_string(),
        }]
    );
}

/// A bad line in the middle of JSON Lines is skipped the same way; the lines after it are
/// read. With more bad lines than good ones the file is refused, naming the first.
#[test]
fn a_bad_line_inside_json_lines_is_skipped_and_named() {
    let first = langsmith_run("");
    let last = first.replace("r1", "r2");
    let all = traces(format!("{first}\n{{\"id\": oops}}\n{last}\n"));
    assert_eq!(all.len(), 2, "both good lines become traces");
    for trace in &all {
        assert_eq!(trace.repairs.len(), 1);
        assert_eq!(trace.repairs[0].path, "line 2");
    }
    assert_eq!(
        message(format!("{first}\n{{oops\n{{again\n")),
        "The file is not valid JSON at line 2, column 2: key must be a string."
    );
}

// ---------------------------------------------------------------------------------------
// Size and depth

/// 100 MB in one JSON string: refused or read whole, never a panic. Debug builds parse it
/// in about a second here; the bound leaves room for a loaded machine.
#[test]
fn a_100_mb_single_string_is_refused_as_a_string() {
    let input = format!("\"{}\"", "x".repeat(100 << 20));
    let started = Instant::now();
    assert_eq!(message(&input), unrecognised("a string"));
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_100_mb_trace_name_is_kept_whole() {
    let input = stepwise(&format!(r#", "name": "{}""#, "x".repeat(100 << 20)));
    let started = Instant::now();
    let trace = only_trace(&input);
    assert_eq!(trace.name.len(), 100 << 20);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn nesting_10000_deep_at_the_top_level_is_an_unknown_array() {
    let input = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert_eq!(message(input), unrecognised("an array of 1 item"));
}

#[test]
fn nesting_10000_deep_in_metadata_hits_the_recursion_limit() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert_eq!(
        message(stepwise(&format!(r#", "metadata": {{"x": {deep}}}"#))),
        "The file is not valid JSON at line 1, column 208: recursion limit exceeded."
    );
}

/// A payload is kept as the text it was, so depth costs nothing at import.
#[test]
fn nesting_10000_deep_in_a_step_input_is_kept_as_text() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let trace = only_trace(stepwise(&format!(
        r#", "steps": [{{"id": "a", "name": "x", "input": {deep}}}]"#
    )));
    assert_eq!(
        trace.steps[0].input.as_ref().map(|input| input.len()),
        Some(20_000)
    );
}

/// Regression: each document's line number was counted from the top of the file, which
/// made JSON Lines quadratic: 20,000 small lines took 6 s in debug (0.3 s now), so these
/// 60,000 would take about a minute.
#[test]
fn sixty_thousand_json_lines_import_in_linear_time() {
    let line = langsmith_run("").replace("r1", "r{}");
    let input: String = (0..60_000)
        .map(|index| line.replace("r{}", &format!("r{index}")) + "\n")
        .collect();
    let started = Instant::now();
    assert_eq!(traces(&input).len(), 60_000);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

// ---------------------------------------------------------------------------------------
// Numbers out of range

#[test]
fn a_token_count_beyond_u64_names_its_path() {
    assert_eq!(
        message(stepwise(
            r#", "steps": [{"id": "a", "name": "x", "usage": {"input_tokens": 18446744073709551616}}]"#
        )),
        "Stepwise trace at trace.steps[0].usage.input_tokens: expected valid content (invalid \
         type: floating point `1.8446744073709552e+19`, expected u64)."
    );
}

#[test]
fn a_number_beyond_f64_is_out_of_range() {
    assert_eq!(
        message(stepwise(
            r#", "steps": [{"id": "a", "name": "x", "cost_usd": 1e400}]"#
        )),
        "The file is not valid JSON at line 1, column 117: number out of range."
    );
}

#[test]
fn a_negative_token_count_names_its_path() {
    assert_eq!(
        message(stepwise(
            r#", "steps": [{"id": "a", "name": "x", "usage": {"input_tokens": -5}}]"#
        )),
        "Stepwise trace at trace.steps[0].usage.input_tokens: expected valid content (invalid \
         value: integer `-5`, expected u64)."
    );
}

#[test]
fn an_otlp_time_beyond_i64_names_its_path() {
    assert_eq!(
        message(otlp_span(
            r#", "startTimeUnixNano": "99999999999999999999""#
        )),
        "OTLP/JSON at resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: expected \
         valid content (an integer, not \"99999999999999999999\")."
    );
}

/// Regression: two calls of 1e30 tokens each overflowed the summary's sum (a panic in
/// debug builds). Counts saturate instead.
#[test]
fn absurd_token_counts_saturate_instead_of_overflowing() {
    let runs = r#"[{"id": "a", "trace_id": "t", "run_type": "llm", "end_time": 2, "prompt_tokens": 1e30},
                   {"id": "b", "trace_id": "t", "run_type": "llm", "end_time": 2, "prompt_tokens": 1e30}]"#;
    let trace = only_trace(runs);
    assert_eq!(trace.steps[0].usage.input_tokens, Some(u64::MAX));
    let summary = summarize(&trace);
    assert_eq!(summary.prompt_tokens, u64::MAX);
    assert!(
        summary.total_tokens.is_unknown(),
        "no completion count is recorded, so the total is unknown, not the prompt count"
    );
}

#[test]
fn a_negative_langsmith_token_count_reads_as_zero() {
    let trace = only_trace(
        langsmith_run(r#", "run_type": "llm", "prompt_tokens": -5, "completion_tokens": 7"#)
            .replace(r#""run_type": "chain", "#, ""),
    );
    assert_eq!(trace.steps[0].usage.input_tokens, Some(0));
    assert_eq!(trace.steps[0].usage.output_tokens, Some(7));
}

// ---------------------------------------------------------------------------------------
// NaN and Infinity spelled as strings

#[test]
fn nan_as_a_string_in_a_stepwise_cost_names_its_path() {
    assert_eq!(
        message(stepwise(
            r#", "steps": [{"id": "a", "name": "x", "cost_usd": "NaN"}]"#
        )),
        "Stepwise trace at trace.steps[0].cost_usd: expected valid content (invalid type: \
         string \"NaN\", expected f64)."
    );
}

#[test]
fn infinity_as_a_string_in_a_langsmith_cost_is_refused() {
    let input = langsmith_run(r#", "total_cost": "Infinity""#).replace("chain", "llm");
    assert_eq!(
        message(input),
        "LangSmith runs at total_cost: expected a cost of zero or more US dollars, not inf."
    );
}

#[test]
fn nan_as_a_string_in_an_otlp_time_names_its_path() {
    assert_eq!(
        message(otlp_span(r#", "startTimeUnixNano": "NaN""#)),
        "OTLP/JSON at resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: expected \
         valid content (an integer, not \"NaN\")."
    );
}

#[test]
fn nan_as_a_string_in_a_langfuse_cost_names_its_path() {
    assert_eq!(
        message(br#"{"id": "t", "observations": [{"id": "o", "type": "GENERATION", "totalCost": "NaN"}]}"#),
        "Langfuse trace at observations[0].totalCost: expected valid content (invalid type: \
         string \"NaN\", expected f64)."
    );
}

/// proto3 JSON spells a double's infinity as a string; it is kept as that text.
#[test]
fn infinity_as_an_otlp_double_value_is_kept_as_text() {
    let trace = only_trace(otlp_span(
        r#", "attributes": [{"key": "score", "value": {"doubleValue": "Infinity"}}]"#,
    ));
    assert_eq!(trace.steps[0].attributes["score"], "Infinity");
}

// ---------------------------------------------------------------------------------------
// Negative durations and ends before starts: kept, with the end moved to the start

#[test]
fn a_negative_jaeger_duration_ends_the_span_at_its_start() {
    let trace = only_trace(jaeger_span(
        r#", "startTime": 1700000000123456, "duration": -1000"#,
    ));
    assert_eq!(trace.steps[0].start_ns, Some(1_700_000_000_123_456_000));
    assert_eq!(trace.steps[0].end_ns, Some(1_700_000_000_123_456_000));
    assert_eq!(
        repairs(&trace),
        [(
            "spans[0]",
            "the span ends 1000000 ns before it starts; its end is set to its start"
        )]
    );
}

/// Regression: Stepwise's own format kept a step, a task and the trace ending before
/// they started, which drew backwards on the timeline.
#[test]
fn a_stepwise_trace_task_and_step_that_end_before_they_start() {
    let trace = only_trace(stepwise(
        r#", "start_time": "2026-01-01T00:00:02Z", "end_time": "2026-01-01T00:00:01Z",
        "tasks": [{"id": "k", "name": "k", "start_time": "2026-01-01T00:00:02Z", "end_time": "2026-01-01T00:00:01.5Z"}],
        "steps": [{"id": "a", "name": "x", "task_id": "k", "start_time": "2026-01-01T00:00:02Z", "end_time": "2026-01-01T00:00:01Z"}]"#,
    ));
    let start = Some(1_767_225_602_000_000_000);
    assert_eq!((trace.start_ns, trace.end_ns), (start, start));
    assert_eq!(
        (trace.tasks[0].start_ns, trace.tasks[0].end_ns),
        (start, start)
    );
    assert_eq!(
        (trace.steps[0].start_ns, trace.steps[0].end_ns),
        (start, start)
    );
    assert_eq!(
        repairs(&trace),
        [
            (
                "trace.end_time",
                "the trace ends 1000000000 ns before it starts; its end is set to its start"
            ),
            (
                "trace.tasks[0].end_time",
                "the task ends 500000000 ns before it starts; its end is set to its start"
            ),
            (
                "trace.steps[0]",
                "the step ends 1000000000 ns before it starts; its end is set to its start"
            ),
        ]
    );
}

#[test]
fn a_langfuse_observation_that_ends_before_it_starts() {
    let trace = only_trace(
        br#"{"id": "t", "observations": [{"id": "o", "type": "SPAN",
            "startTime": "2025-01-01T00:00:02Z", "endTime": "2025-01-01T00:00:01Z"}]}"#,
    );
    assert_eq!(trace.steps[0].end_ns, Some(1_735_689_602_000_000_000));
    assert_eq!(
        repairs(&trace),
        [(
            "observations[0]",
            "the step ends 1000000000 ns before it starts; its end is set to its start"
        )]
    );
}

/// Regression: a Langfuse trace whose timestamp lies after the end of its observations
/// ended before it started.
#[test]
fn a_langfuse_trace_stamped_after_its_observations_end() {
    let trace = only_trace(
        br#"{"id": "t", "timestamp": "2025-01-01T00:00:09Z",
            "observations": [{"id": "o", "type": "SPAN", "endTime": "2025-01-01T00:00:01Z"}]}"#,
    );
    assert_eq!(trace.start_ns, Some(1_735_689_609_000_000_000));
    assert_eq!(trace.end_ns, trace.start_ns);
    assert_eq!(
        repairs(&trace),
        [(
            "$",
            "the trace ends 8000000000 ns before it starts; its end is set to its start"
        )]
    );
}

#[test]
fn a_langsmith_run_that_ends_before_it_starts() {
    let trace = only_trace(langsmith_run(r#", "start_time": "2024-05-01T12:00:02""#));
    assert_eq!(trace.steps[0].end_ns, trace.steps[0].start_ns);
    assert_eq!(
        repairs(&trace),
        [(
            "$",
            "the step ends 1000000000 ns before it starts; its end is set to its start"
        )]
    );
}

/// Events are ordered by time when not all carry a sequence: a finish stamped before its
/// start is read as a finish without a start, and the start as still running.
#[test]
fn a_crewai_finish_stamped_before_its_start() {
    let trace = only_trace(
        br#"{"events": [
            {"event_id": "e1", "type": "tool_usage_started", "timestamp": "2025-01-01T00:00:02+00:00", "event_data": {"tool_name": "t"}},
            {"event_id": "e2", "type": "tool_usage_finished", "timestamp": "2025-01-01T00:00:01+00:00", "event_data": {"tool_name": "t"}}],
           "batch_metadata": {}}"#,
    );
    assert_eq!(
        repairs(&trace),
        [
            ("events[1]", "tool_usage_finished has no tool_usage_started before it; it is kept with no start time"),
            ("events[0]", "tool_usage_started has no end event; it is shown as running"),
        ]
    );
    assert_eq!(trace.steps.len(), 2);
}

// ---------------------------------------------------------------------------------------
// Timestamps in seconds, milliseconds, microseconds and nanoseconds. Each format reads its
// own unit; a number written in another unit is read literally, never guessed at.

#[test]
fn timestamps_in_seconds() {
    let otlp = only_trace(otlp_span(r#", "startTimeUnixNano": 1700000000"#));
    assert_eq!(
        otlp.steps[0].start_ns,
        Some(1_700_000_000),
        "OTLP reads nanoseconds"
    );
    let jaeger = only_trace(jaeger_span(r#", "startTime": 1700000000"#));
    assert_eq!(
        jaeger.steps[0].start_ns,
        Some(1_700_000_000_000),
        "Jaeger reads µs"
    );
    let langsmith = only_trace(langsmith_run(r#", "start_time": 1700000000"#));
    assert_eq!(
        langsmith.steps[0].start_ns,
        Some(1_700_000_000_000_000),
        "LangSmith reads ms"
    );
    let own = only_trace(stepwise(r#", "start_time": "2023-11-14T22:13:20Z""#));
    assert_eq!(own.start_ns, Some(1_700_000_000_000_000_000));
}

#[test]
fn timestamps_in_milliseconds() {
    let otlp = only_trace(otlp_span(r#", "startTimeUnixNano": 1700000000123"#));
    assert_eq!(otlp.steps[0].start_ns, Some(1_700_000_000_123));
    let jaeger = only_trace(jaeger_span(r#", "startTime": 1700000000123"#));
    assert_eq!(jaeger.steps[0].start_ns, Some(1_700_000_000_123_000));
    let langsmith = only_trace(langsmith_run(r#", "start_time": 1700000000123.5"#));
    assert_eq!(langsmith.steps[0].start_ns, Some(1_700_000_000_123_500_000));
    let own = only_trace(stepwise(r#", "start_time": "2023-11-14T22:13:20.123Z""#));
    assert_eq!(own.start_ns, Some(1_700_000_000_123_000_000));
}

#[test]
fn timestamps_in_microseconds() {
    let otlp = only_trace(otlp_span(r#", "startTimeUnixNano": 1700000000123456"#));
    assert_eq!(otlp.steps[0].start_ns, Some(1_700_000_000_123_456));
    let jaeger = only_trace(jaeger_span(r#", "startTime": 1700000000123456"#));
    assert_eq!(jaeger.steps[0].start_ns, Some(1_700_000_000_123_456_000));
    assert_eq!(
        message(langsmith_run(r#", "start_time": 1700000000123456"#)),
        "LangSmith runs at start_time: expected an ISO 8601 time such as \
         \"2024-05-01T12:00:00.123456\" or epoch milliseconds, not 1700000000123456."
    );
    let own = only_trace(stepwise(r#", "start_time": "2023-11-14T22:13:20.123456Z""#));
    assert_eq!(own.start_ns, Some(1_700_000_000_123_456_000));
}

#[test]
fn timestamps_in_nanoseconds() {
    let as_text = only_trace(otlp_span(r#", "startTimeUnixNano": "1700000000123456789""#));
    assert_eq!(as_text.steps[0].start_ns, Some(1_700_000_000_123_456_789));
    let as_number = only_trace(otlp_span(r#", "startTimeUnixNano": 1700000000123456789"#));
    assert_eq!(as_number.steps[0].start_ns, Some(1_700_000_000_123_456_789));
    // Nanoseconds where Jaeger wants µs overflow i64 nanoseconds: they saturate.
    let jaeger = only_trace(jaeger_span(r#", "startTime": 1700000000123456789"#));
    assert_eq!(jaeger.steps[0].start_ns, Some(i64::MAX));
    let own = only_trace(stepwise(
        r#", "start_time": "2023-11-14T22:13:20.123456789Z""#,
    ));
    assert_eq!(own.start_ns, Some(1_700_000_000_123_456_789));
}

#[test]
fn a_stepwise_time_as_a_number_names_its_path() {
    assert_eq!(
        message(stepwise(r#", "start_time": 1700000000"#)),
        "Stepwise trace at trace.start_time: expected valid content (invalid type: integer \
         `1700000000`, expected a string)."
    );
}

/// OTLP's 0 means "not set"; a negative time is no time either.
#[test]
fn a_negative_otlp_time_is_no_time() {
    let trace = only_trace(otlp_span(
        r#", "startTimeUnixNano": -5, "endTimeUnixNano": "0""#,
    ));
    assert_eq!(
        (trace.steps[0].start_ns, trace.steps[0].end_ns),
        (None, None)
    );
}

// ---------------------------------------------------------------------------------------
// Ids: duplicates, cycles, orphans

#[test]
fn duplicate_otlp_span_ids_keep_both_spans() {
    let input = otlp_span("").replace(
        r#""name": "x"}"#,
        r#""name": "a"}, {"traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "b7ad6b7169203331", "name": "b"}"#,
    );
    let trace = only_trace(input);
    let ids: Vec<&str> = trace.steps.iter().map(|step| step.id.as_str()).collect();
    assert_eq!(ids, ["b7ad6b7169203331", "b7ad6b7169203331#2"]);
    assert_eq!(
        repairs(&trace),
        [(
            "resourceSpans[0].scopeSpans[0].spans[1].id",
            "step id \"b7ad6b7169203331\" was used before; this step is kept as \"b7ad6b7169203331#2\""
        )]
    );
}

#[test]
fn a_duplicate_key_in_one_object_is_refused() {
    assert_eq!(
        message(stepwise(
            r#", "steps": [{"id": "a", "id": "b", "name": "x"}]"#
        )),
        "Stepwise trace at trace.steps[0]: expected valid content (duplicate field `id`)."
    );
}

#[test]
fn a_jaeger_parent_cycle_is_cut_once() {
    let trace = only_trace(
        br#"{"traceID": "t", "spans": [
            {"spanID": "a", "operationName": "a", "references": [{"refType": "CHILD_OF", "spanID": "b"}]},
            {"spanID": "b", "operationName": "b", "references": [{"refType": "CHILD_OF", "spanID": "a"}]}]}"#,
    );
    assert_eq!(trace.steps[0].parent_id, None);
    assert_eq!(trace.steps[1].parent_id.as_deref(), Some("a"));
    assert_eq!(
        repairs(&trace),
        [(
            "spans[0].parent_id",
            "step \"a\" is its own ancestor; its parent link was removed"
        )]
    );
}

#[test]
fn a_langsmith_run_that_is_its_own_parent() {
    let trace = only_trace(langsmith_run(r#", "parent_run_id": "r1""#));
    assert_eq!(trace.steps[0].parent_id, None);
    assert_eq!(
        repairs(&trace),
        [(
            "parent_id",
            "step \"r1\" is its own ancestor; its parent link was removed"
        )]
    );
}

#[test]
fn a_langsmith_orphan_becomes_a_root() {
    let trace = only_trace(format!(
        "[{}]",
        langsmith_run(r#", "parent_run_id": "ghost", "trace_id": "t""#)
    ));
    assert_eq!(trace.steps[0].parent_id, None);
    assert_eq!(
        repairs(&trace),
        [(
            "[0].parent_id",
            "parent \"ghost\" is not in the trace; the step is shown as a root"
        )]
    );
}

/// Regression: a Stepwise step could name a task the file does not list.
#[test]
fn a_stepwise_step_in_an_unknown_task_keeps_its_place() {
    let trace = only_trace(stepwise(
        r#", "steps": [{"id": "a", "name": "x", "task_id": "ghost"}]"#,
    ));
    assert_eq!(trace.steps[0].task_id, None);
    assert_eq!(
        repairs(&trace),
        [(
            "trace.steps[0].task_id",
            "task \"ghost\" is not in the trace; the step is shown without a task"
        )]
    );
}

// ---------------------------------------------------------------------------------------
// Required fields, missing one at a time

#[test]
fn stepwise_without_format_is_not_recognised() {
    assert_eq!(
        message(br#"{"version": 1, "trace": {"id": "t"}}"#),
        unrecognised("an object with keys trace, version")
    );
}

#[test]
fn stepwise_without_version() {
    assert_eq!(
        message(br#"{"format": "stepwise-trace", "trace": {"id": "t"}}"#),
        "Stepwise trace at the top level: expected valid content (missing field `version`)."
    );
}

#[test]
fn stepwise_without_trace_or_traces() {
    assert_eq!(
        message(br#"{"format": "stepwise-trace", "version": 1}"#),
        "Stepwise trace at the top level: expected a \"trace\" object or a \"traces\" array."
    );
}

#[test]
fn stepwise_without_a_trace_id() {
    assert_eq!(
        message(br#"{"format": "stepwise-trace", "version": 1, "trace": {"name": "n"}}"#),
        "Stepwise trace at trace: expected valid content (missing field `id`)."
    );
}

#[test]
fn stepwise_without_a_step_id_task_name_or_agent_role() {
    assert_eq!(
        message(stepwise(r#", "steps": [{"name": "n"}]"#)),
        "Stepwise trace at trace.steps[0]: expected valid content (missing field `id`)."
    );
    assert_eq!(
        message(stepwise(r#", "tasks": [{"id": "k"}]"#)),
        "Stepwise trace at trace.tasks[0]: expected valid content (missing field `name`)."
    );
    assert_eq!(
        message(stepwise(r#", "agents": [{"id": "a"}]"#)),
        "Stepwise trace at trace.agents[0]: expected valid content (missing field `role`)."
    );
    assert_eq!(
        message(stepwise(
            r#", "steps": [{"id": "s", "name": "n", "error": {"type": "E"}}]"#
        )),
        "Stepwise trace at trace.steps[0].error: expected valid content (missing field `message`)."
    );
}

#[test]
fn otlp_span_without_trace_id() {
    assert_eq!(
        message(otlp_span("").replace(r#""traceId": "0af7651916cd43dd8448eb211c80319c","#, "")),
        "OTLP/JSON at resourceSpans[0].scopeSpans[0].spans[0].traceId: expected a trace id \
         (32 hex digits or base64), which every span needs."
    );
}

#[test]
fn otlp_span_without_span_id() {
    assert_eq!(
        message(otlp_span("").replace(r#""spanId": "b7ad6b7169203331","#, "")),
        "OTLP/JSON at resourceSpans[0].scopeSpans[0].spans[0].spanId: expected a span id \
         (16 hex digits or base64), which every span needs."
    );
}

#[test]
fn otlp_without_scope_spans_or_spans() {
    let expected = "OTLP/JSON at resourceSpans: expected at least one span.";
    assert_eq!(
        message(br#"{"resourceSpans": [{"resource": {"attributes": []}}]}"#),
        expected
    );
    assert_eq!(
        message(br#"{"resourceSpans": [{"scopeSpans": [{"scope": {"name": "s"}}]}]}"#),
        expected
    );
}

#[test]
fn otlp_attribute_without_key() {
    assert_eq!(
        message(otlp_span(
            r#", "attributes": [{"value": {"stringValue": "v"}}]"#
        )),
        "OTLP/JSON at resourceSpans[0].scopeSpans[0].spans[0].attributes[0]: expected valid \
         content (missing field `key`)."
    );
}

#[test]
fn crewai_event_without_type() {
    assert_eq!(
        message(br#"{"events": [{"event_id": "e1", "event_data": {}}], "batch_metadata": {}}"#),
        "CrewAI trace batch at events[0]: expected valid content (missing field `type`)."
    );
}

#[test]
fn crewai_batch_without_events() {
    assert_eq!(
        message(br#"{"batch_metadata": {"events_count": 0}}"#),
        unrecognised("an object with keys batch_metadata")
    );
    assert_eq!(
        message(br#"{"events": [], "batch_metadata": {}}"#),
        "CrewAI trace batch at events: expected at least one CrewAI event."
    );
}

#[test]
fn langfuse_without_trace_id() {
    assert_eq!(
        message(br#"{"name": "n", "observations": [{"id": "o", "type": "SPAN"}]}"#),
        unrecognised("an object with keys name, observations")
    );
    assert_eq!(
        message(br#"{"trace": {"name": "n"}, "observations": []}"#),
        "Langfuse trace at trace: expected valid content (missing field `id`)."
    );
    assert_eq!(
        message(br#"{"data": [{"name": "n"}], "meta": {"totalItems": 1}}"#),
        "Langfuse trace at data[0]: expected valid content (missing field `id`)."
    );
}

#[test]
fn langfuse_observation_without_id() {
    assert_eq!(
        message(br#"{"id": "t", "observations": [{"type": "SPAN", "name": "x"}]}"#),
        "Langfuse trace at observations[0]: expected valid content (missing field `id`)."
    );
}

#[test]
fn jaeger_without_trace_id_or_spans() {
    assert_eq!(
        message(br#"{"spans": [{"spanID": "s"}]}"#),
        unrecognised("an object with keys spans")
    );
    assert_eq!(
        message(br#"{"traceID": "t", "processes": {}}"#),
        unrecognised("an object with keys processes, traceID")
    );
    assert_eq!(
        message(br#"{"data": [{"spans": [{"spanID": "s"}]}]}"#),
        unrecognised("an object with keys data")
    );
}

#[test]
fn jaeger_span_without_span_id() {
    assert_eq!(
        message(br#"{"traceID": "t", "spans": [{"operationName": "op"}]}"#),
        "Jaeger JSON at spans[0].spanID: expected a span id, which every span needs."
    );
}

#[test]
fn langsmith_run_without_id() {
    assert_eq!(
        message(br#"{"name": "n", "run_type": "chain"}"#),
        "LangSmith runs at the top level: expected valid content (missing field `id`)."
    );
    assert_eq!(
        message(br#"{"id": "r", "run_type": "chain", "child_runs": [{"run_type": "llm"}]}"#),
        "LangSmith runs at child_runs[0]: expected valid content (missing field `id`)."
    );
    assert_eq!(
        message(br#"{"post": [], "patch": [{"end_time": "2024-01-01T00:00:00"}]}"#),
        "LangSmith runs at patch[0]: expected valid content (missing field `id`)."
    );
}

#[test]
fn langsmith_run_without_run_type() {
    assert_eq!(
        message(br#"{"id": "r", "name": "n"}"#),
        unrecognised("an object with keys id, name")
    );
}

// ---------------------------------------------------------------------------------------
// Several formats in one JSON Lines file

#[test]
fn mixed_formats_in_json_lines_give_both_traces() {
    let input = format!("{}\n{}\n", langsmith_run(""), jaeger_span(""));
    let all = traces(input);
    let formats: Vec<SourceFormat> = all.iter().map(|trace| trace.source_format).collect();
    assert_eq!(formats, [SourceFormat::LangSmith, SourceFormat::Jaeger]);
}

#[test]
fn mixed_json_lines_with_an_unknown_line_name_that_line() {
    let input = format!("{}\n\n{{\"hello\": 1}}\n", langsmith_run(""));
    assert_eq!(
        message(input),
        unrecognised("on line 3, an object with keys hello")
    );
}
