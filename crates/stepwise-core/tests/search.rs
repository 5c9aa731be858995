#![cfg(not(target_arch = "wasm32"))]
//! Search and filter within a trace: the query syntax, matching and stepping.

#[path = "support/fixture.rs"]
mod fixture;

use fixture::*;
use stepwise_core::model::{Status, StepKind};
use stepwise_core::search::*;
use stepwise_core::tree::step_rows;

#[test]
fn the_compact_syntax_parses_every_filter() {
    let query = Query::parse(
        r#"kind:tool_call,llm_call model:GPT-4o status:failed agent:writer dur>2s dur<=1min cost>=0.01 cost<$1 Timeout "two words""#,
    )
    .expect("valid");
    assert_eq!(query.kinds, [StepKind::ToolCall, StepKind::LlmCall]);
    assert_eq!(query.models, ["gpt-4o"]);
    assert_eq!(query.statuses, [Status::Failed]);
    assert_eq!(query.agents, ["writer"]);
    assert_eq!(
        query.min_duration_ms,
        Some(Bound {
            value: 2000.0,
            inclusive: false
        })
    );
    assert_eq!(
        query.max_duration_ms,
        Some(Bound {
            value: 60_000.0,
            inclusive: true
        })
    );
    assert_eq!(
        query.min_cost_usd,
        Some(Bound {
            value: 0.01,
            inclusive: true
        })
    );
    assert_eq!(
        query.max_cost_usd,
        Some(Bound {
            value: 1.0,
            inclusive: false
        })
    );
    assert_eq!(query.text, ["timeout", "two words"]);
    assert!(Query::parse("  ").expect("empty is fine").is_empty());
    assert_eq!(
        Query::parse(r#""http://x""#).expect("quoted").text,
        ["http://x"]
    );
    assert_eq!(Query::parse("gpt-4o").expect("text").text, ["gpt-4o"]);
}

#[test]
fn bad_terms_are_explained() {
    let error = |input: &str| Query::parse(input).expect_err(input);
    assert_eq!(
        error("kind:toolcall2"),
        "Unknown kind \"toolcall2\"; use one of reasoning, llm_call, tool_call, tool_result, error, agent, task, span, memory, knowledge, guardrail, other, plan, embedding, retrieval, reranker, evaluator, prompt, decision."
    );
    assert_eq!(
        error("status:broken"),
        "Unknown status \"broken\"; use completed, running or failed."
    );
    assert_eq!(
        error("dur>2weeks"),
        "Unknown duration unit \"weeks\" in \"2weeks\"; use ms, s, min or h, e.g. dur>2s."
    );
    assert_eq!(
        error("dur>s"),
        "\"s\" is not a duration; write e.g. dur>2s or dur<500ms."
    );
    assert_eq!(
        error("cost>cheap"),
        "\"cheap\" is not an amount in dollars; write e.g. cost>0.01."
    );
    assert_eq!(
        error("dur>"),
        "\"dur>\" needs a value after >, e.g. dur>2s."
    );
    assert!(error("knd:tool").starts_with("Unknown filter \"knd:\""));
    assert!(error("tokens>5").starts_with("Unknown comparison \"tokens>\""));
    assert_eq!(
        error("model:"),
        "\"model:\" needs a value, e.g. model:gpt-4o"
    );
    assert_eq!(error("\"open"), "A quote is not closed.");
}

const STEPS: &str = r#"
    agent a1 Writer
    p agent Writer 0-100 agent=a1
    l llm "draft" 0-3000 parent=p agent=a1 model=gpt-4o-mini cost=0.02 input='{"messages": "Write the REPORT"}'
    t tool web_search 3000-3500 parent=p status=failed error=Timeout input='{"q": "pricing"}'
    r result "search result" 3500-3501 parent=p result_of=t output='"Pricing: $6"'
    x tool web_search 4000-? parent=p
"#;

fn found(query: &str) -> Vec<String> {
    let trace = build(STEPS);
    ids(
        &trace,
        &matches(&trace, &Query::parse(query).expect("valid")),
    )
}

#[test]
fn filters_and_text_select_steps_in_reading_order() {
    assert_eq!(found(""), ["p", "l", "t", "r", "x"]);
    assert_eq!(found("report"), ["l"], "input text, ignoring case");
    assert_eq!(found("PRICING"), ["t", "r"], "input and output");
    assert_eq!(found("timeout"), ["t"], "error message");
    assert_eq!(found("search result"), ["r"], "each word must appear");
    assert_eq!(found("\"search result\""), ["r"]);
    assert_eq!(found("kind:tool_call"), ["t", "x"]);
    assert_eq!(found("kind:toolcall,llm_call"), ["l", "t", "x"]);
    assert_eq!(found("model:gpt-4o"), ["l"]);
    assert_eq!(found("model:claude"), Vec::<String>::new());
    assert_eq!(found("agent:writ"), ["p", "l"], "role, ignoring case");
    assert_eq!(found("agent:a1"), ["p", "l"], "id");
    assert_eq!(found("status:failed"), ["t"]);
    assert_eq!(found("status:running"), ["x"]);
    assert_eq!(found("dur>2s"), ["l"]);
    assert_eq!(
        found("dur<=500ms kind:tool_call"),
        ["t"],
        "the running call has no duration"
    );
    assert_eq!(
        found("dur<500ms kind:tool_call"),
        Vec::<String>::new(),
        "strict"
    );
    assert_eq!(found("cost>0.01"), ["l"]);
    assert_eq!(found("cost<0.01 kind:llm_call"), Vec::<String>::new());
}

#[test]
fn next_and_previous_wrap_around() {
    let trace = build(STEPS);
    let rows = step_rows(&trace);
    let matched = matches(&trace, &Query::parse("kind:tool_call").expect("valid"));
    let (t, x, l) = (at(&trace, "t"), at(&trace, "x"), at(&trace, "l"));
    assert_eq!(next_match(&rows, &matched, None, true), Some(t));
    assert_eq!(next_match(&rows, &matched, Some(t), true), Some(x));
    assert_eq!(next_match(&rows, &matched, Some(x), true), Some(t), "wraps");
    assert_eq!(
        next_match(&rows, &matched, Some(t), false),
        Some(x),
        "wraps back"
    );
    assert_eq!(
        next_match(&rows, &matched, Some(l), true),
        Some(t),
        "from a non-match"
    );
    assert_eq!(next_match(&rows, &matched, None, false), Some(x));
    assert_eq!(next_match(&rows, &[], None, true), None);
}

#[test]
fn case_is_ignored_for_non_ascii_text_too() {
    assert!(contains_ignoring_case("Größe ÜBER", "über"));
    assert!(!contains_ignoring_case("abc", "abcd"));
    assert!(contains_ignoring_case("", ""));
}

#[test]
fn the_demo_searches() {
    let trace = demo();
    let search = |q: &str| ids(&trace, &matches(&trace, &Query::parse(q).expect("valid")));
    assert_eq!(search("status:failed"), ["s04", "s24", "s25", "s26"]);
    assert_eq!(search("403"), ["s24", "s25"]);
    assert_eq!(search("kind:llm_call model:claude"), ["s13", "s16"]);
    assert_eq!(search("kind:tool_call dur>5s"), ["s08", "s14", "s25"]);
}

#[test]
fn a_large_trace_is_searched() {
    let trace = synth(10_000);
    let rows = step_rows(&trace);
    let query = Query::parse("timeout kind:tool_call").expect("valid");
    let started = std::time::Instant::now();
    let found = matches_in(&trace, &rows, &query);
    let text_only = matches_in(
        &trace,
        &rows,
        &Query::parse("zzzz-not-there").expect("valid"),
    );
    eprintln!(
        "search: {} steps, two queries in {:?}",
        trace.steps.len(),
        started.elapsed()
    );
    assert!(!found.is_empty());
    assert!(found
        .iter()
        .all(|&s| trace.steps[s].kind == StepKind::ToolCall));
    assert!(text_only.is_empty());
}

const NESTED: &str = r#"
    a agent Root 0-100
    b span inner 1-50 parent=a
    c tool web_search 2-10 parent=b
    d llm think 11-20 parent=b
    e tool fetch 60-70 parent=a
    f agent Other 200-300
    g llm other 210-220 parent=f
"#;

#[test]
fn a_filter_keeps_the_matches_and_their_ancestors_in_reading_order() {
    let trace = build(NESTED);
    let rows = step_rows(&trace);
    let matched = matches(&trace, &Query::parse("kind:tool_call").expect("valid"));
    let kept = filtered_rows(&rows, &matched);
    let kept_ids: Vec<usize> = kept.iter().map(|row| row.step).collect();
    assert_eq!(ids(&trace, &kept_ids), ["a", "b", "c", "e"]);
    assert_eq!(
        kept.iter().map(|row| row.depth).collect::<Vec<_>>(),
        [0, 1, 2, 1],
        "depths stay, so the tree still reads"
    );
    assert!(filtered_rows(&rows, &[]).is_empty());
    let llm = matches(&trace, &Query::parse("kind:llm_call").expect("valid"));
    let kept: Vec<usize> = filtered_rows(&rows, &llm).iter().map(|r| r.step).collect();
    assert_eq!(ids(&trace, &kept), ["a", "b", "d", "f", "g"]);
}

#[test]
fn the_position_among_matches_is_one_based() {
    assert_eq!(match_position(&[4, 2, 9], Some(2)), Some(2));
    assert_eq!(match_position(&[4, 2, 9], Some(5)), None);
    assert_eq!(match_position(&[4, 2, 9], None), None);
    assert_eq!(match_count_text(12, Some(3)), "3 of 12");
    assert_eq!(match_count_text(12, None), "12 matches");
    assert_eq!(match_count_text(1, None), "1 match");
    assert_eq!(match_count_text(0, None), "No matches");
}

/// The figure the search bar's "instant on 100k steps" rests on (run with --nocapture).
#[test]
#[ignore = "a measurement: cargo test --release --test search -- --ignored --nocapture"]
fn searching_100k_steps_is_measured() {
    let trace = synth(100_000);
    let rows = step_rows(&trace);
    for text in [
        "kind:tool_call",
        "timeout",
        "zzzz-not-there",
        "dur>2s cost>0.001",
    ] {
        let query = Query::parse(text).expect("valid");
        let started = std::time::Instant::now();
        let found = matches_in(&trace, &rows, &query);
        let matched_ms = started.elapsed().as_secs_f64() * 1e3;
        let started = std::time::Instant::now();
        let kept = filtered_rows(&rows, &found);
        let filtered_ms = started.elapsed().as_secs_f64() * 1e3;
        eprintln!(
            "{text:>20}: {} matches in {matched_ms:.1} ms, filter to {} rows in {filtered_ms:.1} ms",
            found.len(),
            kept.len()
        );
    }
}
