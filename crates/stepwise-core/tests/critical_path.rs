#![cfg(not(target_arch = "wasm32"))]
//! The critical path on the shapes that decide it: async work that outlives its parent,
//! overlapping siblings, work under a plumbing span next to a long idle sibling (a
//! Jaeger trace), a sequential chain, a parallel fan-out and a child whose clock runs
//! ahead of its parent's. The expected paths and shares are worked out by hand.

#[path = "support/fixture.rs"]
mod fixture;

use fixture::*;
use stepwise_core::import::import_bytes;
use stepwise_core::insights::*;
use stepwise_core::model::Trace;

/// The one trace in `tests/fixtures/{name}`.
fn import(name: &str) -> Trace {
    let path = format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|error| panic!("{path}: {error}"));
    let mut traces = import_bytes(&bytes).expect("imports");
    traces.remove(0)
}

/// The path as `(step id or "-" for waiting, start ms, end ms)` from the trace start.
fn segments(trace: &Trace, path: &CriticalPath) -> Vec<(String, i64, i64)> {
    let origin = path.segments.first().map_or(0, |s| s.start_ns);
    path.segments
        .iter()
        .map(|s| {
            let id = s
                .step
                .map_or("-".to_string(), |i| trace.steps[i].id.clone());
            (id, (s.start_ns - origin) / MS, (s.end_ns - origin) / MS)
        })
        .collect()
}

fn seg(id: &str, start_ms: i64, end_ms: i64) -> (String, i64, i64) {
    (id.to_string(), start_ms, end_ms)
}

/// `[llm, tool, other, wait]` in whole milliseconds.
fn split_ms(shares: TimeShares) -> [i64; 4] {
    [
        shares.llm_ns,
        shares.tool_ns,
        shares.other_ns,
        shares.wait_ns,
    ]
    .map(|ns| ns / MS)
}

/// The path of a hand-made trace (`fixture::build`), as `segments`.
fn path_of(description: &str) -> (Trace, CriticalPath) {
    let trace = build(description);
    let path = analyse(&trace).critical_path;
    (trace, path)
}

fn names(trace: &Trace, longest: &[(usize, i64)]) -> Vec<(String, i64)> {
    longest
        .iter()
        .map(|&(step, ns)| (trace.steps[step].name.clone(), ns / MS))
        .collect()
}

#[test]
fn under_an_http_request_span_the_path_follows_the_llm_calls_not_the_idle_sibling() {
    // POST /v1/chat 0–1000 holds an HTTP request span 10–40 whose LLM calls and tool
    // (40–400, 400–600, 610–990) outlive it, beside a Redis subscription 5–985.
    let trace = import("jaeger/agent_under_http_request.json");
    let path = analyse(&trace).critical_path;
    let id = |name: &str| {
        let step = trace.steps.iter().find(|s| s.name == name);
        step.map(|s| s.id.clone()).expect("the span")
    };
    let (server, request, redis) = (
        id("POST /v1/chat"),
        id("HTTP POST agent-runner"),
        id("redis SUBSCRIBE chat-events"),
    );
    let calls: Vec<String> = trace
        .steps
        .iter()
        .filter(|s| s.kind.is_model_call() || s.name.starts_with("execute_tool"))
        .map(|s| s.id.clone())
        .collect();
    assert_eq!(
        segments(&trace, &path),
        [
            seg(&server, 0, 5),
            seg(&redis, 5, 10),
            seg(&request, 10, 40),
            seg(&calls[0], 40, 400),
            seg(&calls[1], 400, 600),
            seg("-", 600, 610),
            seg(&calls[2], 610, 990),
            seg(&server, 990, 1000),
        ],
        "the calls outlive the request span, so they finish it; Redis only waited"
    );
    // Along the path: LLM 360 + 380 ms, the tool 200 ms, and waiting in the plumbing
    // spans (5 + 5 + 30 + 10) and between the tool and the second call (10).
    assert_eq!(split_ms(path.path_shares), [740, 200, 0, 60]);
    assert_eq!(split_ms(path.shares), [740, 200, 0, 60]);
    assert_eq!(
        names(&trace, &path.longest_steps(3)),
        [
            ("chat gpt-4o".to_string(), 380),
            ("chat gpt-4o".to_string(), 360),
            ("execute_tool search_docs".to_string(), 200)
        ]
    );
}

#[test]
fn the_real_jaeger_ui_trace_descends_through_its_plumbing_spans() {
    // main 940–1116.3 ms > info 943–1116.2 > ohboy.do 978–1024.5 and 1025–1096.4: the
    // path goes down to both calls; with nothing but plain spans, all of it is waiting.
    let trace = import("real/otlp-jaeger-ui-multi-resource.json");
    let path = analyse(&trace).critical_path;
    let owners: Vec<&str> = path
        .segments
        .iter()
        .map(|s| s.step.map_or("-", |i| trace.steps[i].name.as_str()))
        .collect();
    assert_eq!(
        owners,
        ["main", "info", "ohboy.do", "info", "ohboy.do", "info", "main"]
    );
    let ohboy: i64 = path
        .segments
        .iter()
        .filter(|s| s.step.is_some_and(|i| trace.steps[i].name == "ohboy.do"))
        .map(|s| s.end_ns - s.start_ns)
        .sum();
    // 46.460625 ms and 71.35525 ms.
    assert_eq!(ohboy, 46_460_625 + 71_355_250);
    assert_eq!(path.path_shares.wait_ns, path.path_shares.wall_ns);
    assert_eq!(path.path_shares.wall_ns, 176_321_958);
}

#[test]
fn async_work_that_outlives_its_parent_extends_it() {
    // The agent ends at 30 but its fetch runs on to 90: the agent, not the 60 ms
    // sibling span, is what the trace waited for.
    let (trace, path) = path_of(
        r#"
        trace 0-100
        s1 agent A 0-30
        s2 llm plan 0-20 parent=s1
        s3 tool fetch 25-90 parent=s1
        s4 span cleanup 0-60
    "#,
    );
    assert_eq!(
        segments(&trace, &path),
        [
            seg("s2", 0, 20),
            seg("s1", 20, 25),
            seg("s3", 25, 90),
            seg("-", 90, 100)
        ]
    );
    assert_eq!(ids(&trace, &path.steps), ["s2", "s1", "s3"]);
    assert_eq!(split_ms(path.path_shares), [20, 65, 5, 10]);
    // The sibling span only waits: over the whole run it adds nothing but waiting.
    assert_eq!(split_ms(path.shares), [20, 65, 5, 10]);
}

#[test]
fn time_after_a_parent_ended_and_before_its_async_child_started_is_waiting() {
    let (trace, path) = path_of(
        r#"
        trace 0-100
        s1 span "POST /run" 0-10
        s2 llm answer 40-100 parent=s1
        s3 span poll 0-80
    "#,
    );
    assert_eq!(
        segments(&trace, &path),
        [seg("s1", 0, 10), seg("-", 10, 40), seg("s2", 40, 100)]
    );
    assert_eq!(split_ms(path.path_shares), [60, 0, 0, 40]);
}

#[test]
fn overlapping_siblings_share_the_overlap_out_once() {
    // a 0–50, b 40–80, c 70–100: c holds 70–100, b what is left of it before (40–70),
    // a what is left before that (0–40).
    let (trace, path) = path_of(
        r#"
        s1 agent A 0-100
        s2 llm a 0-50 parent=s1
        s3 tool b 40-80 parent=s1
        s4 llm c 70-100 parent=s1
    "#,
    );
    assert_eq!(
        segments(&trace, &path),
        [seg("s2", 0, 40), seg("s3", 40, 70), seg("s4", 70, 100)]
    );
    assert_eq!(split_ms(path.path_shares), [70, 30, 0, 0]);
    // Over the whole run LLM time wins where they overlap: 0–50 and 70–100.
    assert_eq!(split_ms(path.shares), [80, 20, 0, 0]);
}

#[test]
fn a_sequential_chain_is_all_on_the_path_with_the_agent_between_its_calls() {
    let (trace, path) = path_of(
        r#"
        s1 agent A 0-100
        s2 llm plan 5-30 parent=s1
        s3 tool search 30-60 parent=s1
        s4 result search 60-62 parent=s1 result_of=s3
        s5 llm answer 65-95 parent=s1
    "#,
    );
    assert_eq!(
        segments(&trace, &path),
        [
            seg("s1", 0, 5),
            seg("s2", 5, 30),
            seg("s3", 30, 60),
            seg("s4", 60, 62),
            seg("s1", 62, 65),
            seg("s5", 65, 95),
            seg("s1", 95, 100)
        ]
    );
    assert_eq!(ids(&trace, &path.steps), ["s1", "s2", "s3", "s4", "s5"]);
    // LLM 25 + 30, tools 30 + 2, the agent's own 5 + 3 + 5.
    assert_eq!(split_ms(path.path_shares), [55, 32, 13, 0]);
    let longest: Vec<usize> = path.longest_steps(3).iter().map(|l| l.0).collect();
    assert_eq!(
        ids(&trace, &longest),
        ["s3", "s5", "s2"],
        "30, 30 (a tie keeps path order) and 25 ms"
    );
}

#[test]
fn a_parallel_fan_out_is_decided_by_its_slowest_branch() {
    let (trace, path) = path_of(
        r#"
        trace 0-100
        s1 span gather 0-100
        s2 llm plan 0-10 parent=s1
        s3 tool a 10-40 parent=s1
        s4 tool b 10-70 parent=s1
        s5 tool c 12-50 parent=s1
        s6 llm merge 75-100 parent=s1
    "#,
    );
    assert_eq!(
        segments(&trace, &path),
        [
            seg("s2", 0, 10),
            seg("s4", 10, 70),
            seg("s1", 70, 75),
            seg("s6", 75, 100)
        ]
    );
    // The plain span waiting between the slowest branch and the merge is waiting.
    assert_eq!(split_ms(path.path_shares), [35, 60, 0, 5]);
    assert_eq!(split_ms(path.shares), [35, 60, 0, 5]);
}

#[test]
fn a_child_whose_clock_runs_ahead_starts_with_its_parent() {
    // The call claims 10–60 under an agent that started at 20; the early check ends
    // before the agent started, so it has no time at all.
    let (trace, path) = path_of(
        r#"
        trace 0-100
        s1 agent A 20-100
        s2 llm a 10-60 parent=s1
        s3 tool b 60-100 parent=s1
        s4 llm early 0-15 parent=s1
    "#,
    );
    assert_eq!(
        segments(&trace, &path),
        [seg("-", 0, 20), seg("s2", 20, 60), seg("s3", 60, 100)]
    );
    assert_eq!(split_ms(path.path_shares), [40, 40, 0, 20]);
    assert_eq!(split_ms(path.shares), [40, 40, 0, 20]);
}

#[test]
fn untimed_and_zero_length_steps_hold_no_time_but_their_children_count() {
    // The wrapper has no times: its children are walked as the trace's own.
    let (trace, path) = path_of(
        r#"
        trace 0-100
        s1 span wrapper ?-?
        s2 llm a 0-60 parent=s1
        s3 tool b 60-60 parent=s1
        s4 tool c 60-90 parent=s1
    "#,
    );
    assert_eq!(
        segments(&trace, &path),
        [seg("s2", 0, 60), seg("s4", 60, 90), seg("-", 90, 100)]
    );
    assert_eq!(ids(&trace, &path.steps), ["s2", "s4"]);
    assert_eq!(split_ms(path.path_shares), [60, 30, 0, 10]);
}

#[test]
fn a_deep_tree_is_walked_without_recursion() {
    // 100,000 spans each inside the last, the innermost an LLM call.
    const DEPTH: usize = 100_000;
    let mut description = String::from("trace 0-200000\nd0 span level 0-200000\n");
    for depth in 1..DEPTH {
        let kind = if depth + 1 == DEPTH { "llm" } else { "span" };
        let parent = depth - 1;
        let end = 200_000 - depth;
        description.push_str(&format!(
            "d{depth} {kind} level {depth}-{end} parent=d{parent}\n"
        ));
    }
    let (trace, path) = path_of(&description);
    assert_eq!(path.steps.len(), DEPTH);
    assert!(path
        .segments
        .windows(2)
        .all(|w| w[0].end_ns == w[1].start_ns));
    let innermost = DEPTH as i64 - 1;
    let llm_ms = (200_000 - innermost) - innermost;
    assert_eq!(split_ms(path.path_shares), [llm_ms, 0, 0, 200_000 - llm_ms]);
    assert_eq!(
        ids(&trace, &path.steps[DEPTH - 1..]),
        [format!("d{innermost}")]
    );
}
