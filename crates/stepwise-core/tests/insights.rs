#![cfg(not(target_arch = "wasm32"))]
//! The insight rules on hand-made fixtures (each firing and not firing) and on the demo.

#[path = "support/fixture.rs"]
mod fixture;

use fixture::*;
use stepwise_core::insights::failures::chain;
use stepwise_core::insights::*;
use stepwise_core::metrics::summarize;

// ---- failures ----

const FAILED_FETCH: &str = r#"
    task t1 Fetch 0-100 status=failed
    task t2 Write 0-100
    s1 agent A 0-100 task=t1
    s2 llm plan 0-10 parent=s1 task=t1 model=m in=10 out=5
    s3 tool fetch 10-20 parent=s1 task=t1 status=failed error=403
    s4 result "fetch result" 20-21 parent=s1 task=t1 result_of=s3 status=failed
    s5 error ToolUsageError 30-40 parent=s1 task=t1 error=gave_up
    s6 tool search 5-8 task=t2 status=failed error=timeout
    s7 tool search 8-9 task=t2
"#;

#[test]
fn failures_list_errors_by_kind_and_explain_the_first_unrecovered_one() {
    let trace = build(FAILED_FETCH);
    let failures = analyse(&trace).failures;
    assert_eq!(ids(&trace, &failures.tool_errors), ["s6", "s3", "s4"]);
    assert!(failures.llm_errors.is_empty());
    assert_eq!(ids(&trace, &failures.other_errors), ["s5"]);
    assert_eq!(ids(&trace, &failures.recovered), ["s6"], "s7 retried it");
    let first = failures.first_error.expect("an error");
    assert_eq!(
        trace.steps[first.step].id, "s3",
        "s6 started first but was recovered"
    );
    assert_eq!(first.task, Some(0));
    assert_eq!(ids(&trace, &first.ancestors), ["s1"]);
    assert!(!first.recovered);
    assert_eq!(failures.failed_tasks.len(), 1);
    let task = &failures.failed_tasks[0];
    assert_eq!(task.task, 0);
    assert_eq!(ids(&trace, &task.errors), ["s3", "s4", "s5"]);
    assert_eq!(task.cause.as_ref().map(|c| c.step), Some(at(&trace, "s3")));
}

#[test]
fn a_cause_chain_leads_from_the_error_to_the_call_it_reports() {
    let trace = build(FAILED_FETCH);
    let context = Context::new(&trace);
    let result = chain(&context, at(&trace, "s4"));
    assert_eq!(
        ids(&trace, &result.caused_by),
        ["s3"],
        "the tool call it answers"
    );
    let error = chain(&context, at(&trace, "s5"));
    assert_eq!(ids(&trace, &error.caused_by), ["s4", "s3"], "nearest first");
    assert_eq!(ids(&trace, &error.ancestors), ["s1"]);
}

#[test]
fn a_clean_run_has_no_failures() {
    let trace = build(
        r#"
        task t1 Fetch 0-100
        s1 llm plan 0-10 task=t1 model=m in=10 out=5
        s2 tool fetch 10-20 task=t1
    "#,
    );
    assert_eq!(analyse(&trace).failures, Failures::default());
}

#[test]
fn when_every_error_was_recovered_the_first_error_is_the_earliest() {
    let trace = build("s1 tool search 5-8 status=failed\ns2 tool search 8-9");
    let first = analyse(&trace).failures.first_error.expect("an error");
    assert_eq!(first.step, 0);
    assert!(first.recovered);
}

// ---- critical path ----

const PARALLEL: &str = r#"
    trace 0-100
    s1 agent A 0-60
    s2 llm x 0-60 parent=s1
    s3 agent B 10-100
    s4 tool y 10-100 parent=s3
    s5 tool z 20-90 parent=s3
"#;

fn segments(trace: &Trace, path: &CriticalPath) -> Vec<(Option<String>, i64, i64)> {
    path.segments
        .iter()
        .map(|s| {
            let id = s.step.map(|i| trace.steps[i].id.clone());
            (id, s.start_ns / MS, s.end_ns / MS)
        })
        .collect()
}

use stepwise_core::model::Trace;

#[test]
fn the_critical_path_follows_the_lane_that_ended_last() {
    let trace = build(PARALLEL);
    let path = analyse(&trace).critical_path;
    assert_eq!(
        segments(&trace, &path),
        [(Some("s2".into()), 0, 10), (Some("s4".into()), 10, 100)],
        "A was still running when B started: it explains the first 10 ms"
    );
    assert_eq!(ids(&trace, &path.steps), ["s2", "s4"]);
}

#[test]
fn parallel_lanes_never_add_up_to_more_than_the_wall_time() {
    let trace = build(PARALLEL);
    let shares = analyse(&trace).critical_path.shares;
    // Summed, the calls last 60 + 90 + 70 = 220 ms in a 100 ms trace.
    assert_eq!(shares.wall_ns, 100 * MS);
    assert_eq!(shares.llm_ns, 60 * MS);
    assert_eq!(shares.tool_ns, 40 * MS);
    assert_eq!((shares.other_ns, shares.wait_ns), (0, 0));
    let fractions = shares.fractions();
    assert!((fractions.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    assert!(fractions.iter().all(|f| (0.0..=1.0).contains(f)));
}

#[test]
fn a_predecessor_that_ended_before_the_next_step_started_is_waited_for() {
    // B started after A ended: B is a parallel lane, not what C waited for.
    let trace = build(
        r#"
        s1 tool a 0-50
        s2 tool b 52-80
        s3 tool c 55-100
    "#,
    );
    let path = analyse(&trace).critical_path;
    assert_eq!(
        segments(&trace, &path),
        [
            (Some("s1".into()), 0, 50),
            (None, 50, 55),
            (Some("s3".into()), 55, 100)
        ]
    );
    // A lane running through the whole gap explains it instead.
    let trace = build(
        r#"
        s1 tool a 0-50
        s2 tool b 40-80
        s3 tool c 55-100
    "#,
    );
    let path = analyse(&trace).critical_path;
    assert_eq!(
        segments(&trace, &path),
        [
            (Some("s1".into()), 0, 40),
            (Some("s2".into()), 40, 55),
            (Some("s3".into()), 55, 100)
        ]
    );
}

#[test]
fn a_running_step_lasts_until_the_latest_known_time() {
    let trace = build(
        r#"
        s1 llm a 0-40
        s2 tool b 30-?
        s3 tool c 50-120
    "#,
    );
    let insights = analyse(&trace);
    let path = &insights.critical_path;
    assert_eq!(
        segments(&trace, path),
        [(Some("s1".into()), 0, 30), (Some("s2".into()), 30, 120)]
    );
    assert_eq!(path.shares.wall_ns, 120 * MS);
    assert_eq!(path.shares.llm_ns, 40 * MS);
    assert_eq!(path.shares.tool_ns, 80 * MS);
    assert_eq!(path.path_shares.tool_ns, 90 * MS);
}

#[test]
fn time_between_steps_is_waiting() {
    let trace = build("trace 0-100\ns1 llm a 10-20\ns2 reasoning b 50-60");
    let insights = analyse(&trace);
    let shares = insights.critical_path.shares;
    assert_eq!(
        (shares.llm_ns, shares.other_ns, shares.wait_ns),
        (10 * MS, 10 * MS, 80 * MS)
    );
    assert_eq!(insights.critical_path.path_shares, shares);
}

// ---- slow outliers ----

fn calls(durations_ms: &[i64]) -> String {
    let mut at = 0;
    let mut out = String::new();
    for (i, d) in durations_ms.iter().enumerate() {
        out.push_str(&format!("c{i} tool web_search {at}-{}\n", at + d));
        at += d;
    }
    out
}

#[test]
fn a_call_far_slower_than_its_peers_is_an_outlier() {
    let trace = build(&calls(&[100, 110, 95, 105, 100, 1000]));
    let outliers = analyse(&trace).slow_outliers;
    assert_eq!(outliers.len(), 1);
    let outlier = &outliers[0];
    assert_eq!(trace.steps[outlier.step].id, "c5");
    assert_eq!(outlier.group, PeerGroup::Tool("web_search".into()));
    assert_eq!(outlier.peers, 5);
    assert_eq!(outlier.median_ns, 100 * MS);
    assert_eq!(outlier.threshold_ns, 300 * MS);
    assert_eq!(outlier.times_median, 10.0);
}

#[test]
fn ordinary_calls_and_small_groups_are_not_outliers() {
    let ordinary = build(&calls(&[100, 130, 90, 120, 110, 140, 95]));
    assert!(analyse(&ordinary).slow_outliers.is_empty());
    let too_few_peers = build(&calls(&[100, 100, 100, 100, 1000]));
    assert!(analyse(&too_few_peers).slow_outliers.is_empty());
    let single = build(&calls(&[5000]));
    assert!(analyse(&single).slow_outliers.is_empty());
}

#[test]
fn llm_calls_are_compared_per_model() {
    let mut text = String::new();
    for i in 0..6 {
        text.push_str(&format!(
            "f{i} llm fast {}-{} model=mini\n",
            i * 10,
            i * 10 + 10
        ));
    }
    // Slow, but the only call of its model: not an outlier.
    text.push_str("big llm slow 0-900 model=large\n");
    text.push_str("late llm fast 100-200 model=mini\n");
    let trace = build(&text);
    let outliers = analyse(&trace).slow_outliers;
    assert_eq!(outliers.len(), 1);
    assert_eq!(trace.steps[outliers[0].step].id, "late");
    assert_eq!(outliers[0].group, PeerGroup::Model("mini".into()));
}

// ---- token hogs ----

#[test]
fn hogs_rank_calls_and_tasks_with_their_shares() {
    let trace = build(
        r#"
        task t1 One 0-100
        task t2 Two 0-100
        a llm a 0-10 task=t1 in=100 out=0 cost=0.01
        b llm b 10-20 task=t1 in=200 out=100 cost=0.01
        c llm c 20-30 task=t2 in=600 out=0 cost=0.03
        d tool d 30-40 task=t2
    "#,
    );
    let hogs = analyse(&trace).token_hogs;
    assert_eq!(hogs.total_tokens, 1000);
    assert!((hogs.total_cost_usd.known - 0.05).abs() < 1e-12);
    let calls: Vec<(String, Option<u64>)> = hogs
        .calls_by_tokens
        .iter()
        .map(|h| (trace.steps[h.index].id.clone(), h.tokens))
        .collect();
    assert_eq!(
        calls,
        [
            ("c".into(), Some(600)),
            ("b".into(), Some(300)),
            ("a".into(), Some(100))
        ]
    );
    assert_eq!(hogs.calls_by_tokens[0].token_share, 0.6);
    assert_eq!(
        hogs.calls_by_cost
            .iter()
            .map(|h| h.index)
            .collect::<Vec<_>>(),
        [2, 0, 1],
        "ties keep step order"
    );
    assert_eq!(
        hogs.tasks_by_tokens
            .iter()
            .map(|h| (h.index, h.tokens))
            .collect::<Vec<_>>(),
        [(1, Some(600)), (0, Some(400))]
    );
    assert!((hogs.tasks_by_cost[0].cost_share - 0.6).abs() < 1e-12);
    assert!(hogs.growing_prompts.is_empty());
}

#[test]
fn prompts_growing_over_four_calls_in_a_loop_are_reported() {
    let trace = build(
        r#"
        task t1 Loop 0-100
        a llm x 0-10 task=t1 agent=a1 in=100
        b llm x 10-20 task=t1 agent=a1 in=300
        c llm x 20-30 task=t1 agent=a1 in=600
        d llm x 30-40 task=t1 agent=a1 in=1000
        other llm x 35-45 task=t1 agent=a2 in=5
    "#,
    );
    let growing = analyse(&trace).token_hogs.growing_prompts;
    assert_eq!(growing.len(), 1);
    assert_eq!(ids(&trace, &growing[0].steps), ["a", "b", "c", "d"]);
    assert_eq!(growing[0].growth_tokens, 900);
    assert_eq!(growing[0].total_input_tokens, 2000);
    assert_eq!(growing[0].task, Some(0));
    assert_eq!(growing[0].agent_id.as_deref(), Some("a1"));
}

#[test]
fn three_growing_calls_or_a_dip_are_not_a_growing_loop() {
    let three = build("a llm x 0-1 in=1\nb llm x 1-2 in=2\nc llm x 2-3 in=3");
    assert!(analyse(&three).token_hogs.growing_prompts.is_empty());
    let dip = build(
        "a llm x 0-1 in=1\nb llm x 1-2 in=2\nc llm x 2-3 in=1\nd llm x 3-4 in=4\ne llm x 4-5 in=5",
    );
    assert!(analyse(&dip).token_hogs.growing_prompts.is_empty());
}

// ---- redundant work ----

#[test]
fn the_same_tool_with_the_same_arguments_is_redundant() {
    let trace = build(
        r#"
        a tool search 0-10 input='{"q": "x", "n": 3}'
        b tool search 20-30 input='{"n":3,"q":"x"}'
        c tool search 40-50 input='"{\"q\": \"x\", \"n\": 3}"'
        d tool search 60-70 input='{"q": "y", "n": 3}'
        e tool fetch 60-70 input='{"q": "x", "n": 3}'
    "#,
    );
    let redundant = analyse(&trace).redundant;
    assert_eq!(redundant.duplicate_calls.len(), 1, "{redundant:?}");
    let group = &redundant.duplicate_calls[0];
    assert_eq!(group.tool, "search");
    assert_eq!(
        ids(&trace, &group.steps),
        ["a", "b", "c"],
        "key order, spacing and a JSON string don't matter"
    );
    assert_eq!(ids(&trace, &group.after_success), ["b", "c"]);
}

#[test]
fn a_single_call_or_different_arguments_are_not_redundant() {
    let trace = build(
        r#"
        a tool search 0-10 input='{"q": "x"}'
        b tool search 20-30 input='{"q": "y"}'
        c tool clock 30-31
        d tool clock 40-41
    "#,
    );
    assert_eq!(analyse(&trace).redundant, Redundant::default());
}

#[test]
fn a_retry_is_a_failed_step_followed_by_a_namesake_under_the_same_parent() {
    let trace = build(
        r#"
        p agent A 0-100
        a tool search 0-10 parent=p status=failed input='{"q":"x"}'
        b tool fetch 10-20 parent=p
        c tool search 20-30 parent=p input='{"q":"x"}'
        q agent B 0-100
        d tool fetch 0-10 parent=q status=failed
        e tool search 10-20 parent=q
    "#,
    );
    let redundant = analyse(&trace).redundant;
    assert_eq!(
        redundant.retries,
        [Retry {
            failed: at(&trace, "a"),
            retry: at(&trace, "c"),
            succeeded: true
        }],
        "d's namesake b is under another parent"
    );
    assert!(
        redundant.duplicate_calls[0].after_success.is_empty(),
        "a retry after a failure is not waste"
    );
}

#[test]
fn an_llm_call_asked_again_with_the_same_input_was_unused() {
    let trace = build(
        r#"
        p agent A 0-100
        a llm x 0-10 parent=p input='{"m": 1}'
        b llm x 10-20 parent=p input='{"m": 1}'
        t tool y 20-30 parent=p
        c llm x 30-40 parent=p input='{"m": 2}'
    "#,
    );
    let unused = analyse(&trace).redundant.unused_outputs;
    assert_eq!(
        unused,
        [UnusedOutput {
            step: at(&trace, "a"),
            reason: UnusedReason::AskedAgain(at(&trace, "b"))
        }]
    );
}

#[test]
fn the_last_llm_call_of_a_failed_task_was_unused_but_a_normal_chain_is_not() {
    let failed = build(
        r#"
        task t1 One 0-100 status=failed
        a llm x 0-10 task=t1 input='{"m": 1}'
        t tool y 10-20 task=t1
        b llm x 20-30 task=t1 input='{"m": 2}'
    "#,
    );
    assert_eq!(
        analyse(&failed).redundant.unused_outputs,
        [UnusedOutput {
            step: at(&failed, "b"),
            reason: UnusedReason::LastInFailedTask
        }]
    );
    let completed = build(
        r#"
        task t1 One 0-100
        a llm x 0-10 task=t1 input='{"m": 1}'
        t tool y 10-20 task=t1
        b llm x 20-30 task=t1 input='{"m": 2}'
    "#,
    );
    assert!(analyse(&completed).redundant.unused_outputs.is_empty());
}

// ---- cost breakdown and flame ----

const COSTS: &str = r#"
    agent a1 Researcher
    agent a2 Writer
    task t1 Research 0-50 agent=a1
    task t2 Write 50-100 agent=a2
    r agent Researcher 0-50 task=t1 agent=a1
    r1 llm one 0-10 parent=r task=t1 agent=a1 model=big in=100 out=50 cost=0.03
    r2 tool search 10-30 parent=r task=t1 agent=a1 status=failed
    r3 llm two 30-50 parent=r task=t1 agent=a1 model=small in=50 out=0 cost=0.01
    w agent Writer 50-100 task=t2 agent=a2
    w1 llm three 50-100 parent=w task=t2 agent=a2 model=small in=200 out=0 cost=0.05
"#;

#[test]
fn cost_rows_per_agent_model_tool_and_task() {
    let trace = build(COSTS);
    let insights = analyse(&trace);
    let agents: Vec<(&str, u64, u64, u64, i64, u64)> = insights
        .cost_by_agent
        .iter()
        .map(|r| {
            (
                r.label.as_str(),
                r.llm_calls,
                r.tool_calls,
                r.tokens.known,
                r.duration_ns / MS,
                r.errors,
            )
        })
        .collect();
    assert_eq!(
        agents,
        [
            ("Writer", 1, 0, 200, 50, 0),
            ("Researcher", 2, 1, 200, 50, 1)
        ]
    );
    let models: Vec<(&str, u64)> = insights
        .cost_by_model
        .iter()
        .map(|r| (r.label.as_str(), r.tokens.known))
        .collect();
    assert_eq!(models, [("small", 250), ("big", 150)]);
    assert_eq!(insights.cost_by_tool.len(), 1);
    assert_eq!(insights.cost_by_tool[0].key, CostKey::Tool("search".into()));
    assert_eq!(
        (
            insights.cost_by_tool[0].duration_ns,
            insights.cost_by_tool[0].errors
        ),
        (20 * MS, 1)
    );
    let tasks: Vec<(CostKey, u64, u64)> = insights
        .cost_by_task
        .iter()
        .map(|r| (r.key.clone(), r.llm_calls, r.tool_calls))
        .collect();
    assert_eq!(tasks, [(CostKey::Task(0), 2, 1), (CostKey::Task(1), 1, 0)]);
}

#[test]
fn cost_rows_sort_by_any_column_either_way() {
    let trace = build(COSTS);
    let mut rows = analyse(&trace).cost_by_task;
    sort_by(&mut rows, CostColumn::Cost, false);
    assert_eq!(rows[0].key, CostKey::Task(0));
    sort_by(&mut rows, CostColumn::Cost, true);
    assert_eq!(rows[0].key, CostKey::Task(1));
    sort_by(&mut rows, CostColumn::ToolCalls, true);
    assert_eq!(rows[0].key, CostKey::Task(0));
    sort_by(&mut rows, CostColumn::Label, false);
    assert_eq!(rows[0].label, "Research");
    sort_by(&mut rows, CostColumn::Tokens, true);
    assert_eq!(rows[0].tokens, 200, "a tie keeps the previous order");
    assert_eq!(rows[0].label, "Research");
}

#[test]
fn the_flame_chart_nests_trace_task_agent_and_steps() {
    let trace = build(COSTS);
    let nodes = flame(&trace, FlameWeight::Tokens);
    let shape: Vec<(FlameNodeKind, usize, f64, f64)> = nodes
        .iter()
        .map(|n| (n.kind.clone(), n.depth, n.x, n.width))
        .collect();
    use FlameNodeKind::*;
    assert_eq!(
        shape,
        [
            (Trace, 0, 0.0, 1.0),
            (Task(0), 1, 0.0, 0.5),
            (Agent(Some("a1".into())), 2, 0.0, 0.5),
            (Step(0), 3, 0.0, 0.5),
            (Step(1), 4, 0.0, 0.375),
            (Step(3), 4, 0.375, 0.125),
            (Task(1), 1, 0.5, 0.5),
            (Agent(Some("a2".into())), 2, 0.5, 0.5),
            (Step(4), 3, 0.5, 0.5),
            (Step(5), 4, 0.5, 0.5),
        ],
        "the tool call is worth nothing and left out"
    );
    assert_eq!(nodes[4].parent, Some(3));
    let by_cost = flame(&trace, FlameWeight::CostUsd);
    assert!((by_cost[1].width - 0.04 / 0.09).abs() < 1e-12);
    assert!((by_cost[4].width - 0.03 / 0.09).abs() < 1e-12);
    let empty = flame(&build("a tool x 0-1"), FlameWeight::CostUsd);
    assert_eq!(empty.len(), 1);
}

// ---- the demo ----

#[test]
fn demo_failures_are_the_failed_fact_check() {
    let trace = demo_priced();
    let failures = analyse(&trace).failures;
    assert_eq!(failures.failed_tasks.len(), 1);
    let failed = &failures.failed_tasks[0];
    assert_eq!(trace.tasks[failed.task].name, "Verify sources");
    assert_eq!(ids(&trace, &failed.errors), ["s24", "s25", "s26"]);
    let cause = failed.cause.as_ref().expect("a cause");
    assert_eq!(trace.steps[cause.step].id, "s24");
    assert_eq!(ids(&trace, &cause.ancestors), ["s22"]);
    assert_eq!(failures.first_error.as_ref(), Some(cause));
    assert_eq!(ids(&trace, &failures.tool_errors), ["s04", "s24", "s25"]);
    assert!(failures.llm_errors.is_empty());
    assert_eq!(ids(&trace, &failures.other_errors), ["s26"]);
    assert_eq!(
        ids(&trace, &failures.recovered),
        ["s04"],
        "the web search retry succeeded"
    );
    let context = Context::new(&trace);
    let gave_up = chain(&context, at(&trace, "s26"));
    assert_eq!(ids(&trace, &gave_up.caused_by), ["s25", "s24"]);
}

#[test]
fn demo_critical_path_runs_research_pricing_then_the_report() {
    let trace = demo_priced();
    let path = analyse(&trace).critical_path;
    let expected = [
        "s01", "s02", "s03", "s04", "s05", "s06", "s07", "s08", "s09", "s10", // research
        "s11", "s12", "s13", "s14", "s15", "s16", // competitor pricing (demand ended sooner)
        "s27", "s28", "s29", "s30", // the report (verification ran beside it)
    ];
    assert_eq!(ids(&trace, &path.steps), expected);
    assert_eq!(path.segments.len(), 38);
    let idle: Vec<(i64, i64)> = path
        .segments
        .iter()
        .filter(|s| s.step.is_none())
        .map(|s| {
            (
                s.start_ns - trace.start_ns.unwrap_or(0),
                s.end_ns - trace.start_ns.unwrap_or(0),
            )
        })
        .map(|(a, b)| (a / MS, b / MS))
        .collect();
    assert_eq!(
        idle,
        [
            (0, 50),
            (37_900, 38_250),
            (79_000, 79_450),
            (121_000, 121_100)
        ]
    );
    let shares = path.shares;
    assert_eq!(shares.wall_ns, 121_100 * MS);
    assert_eq!(shares.llm_ns, 99_700 * MS);
    assert_eq!(shares.tool_ns, 15_440 * MS);
    // Other: 3.5 s of reasoning and the error, and 1.61 s of agents between their
    // calls; waiting: no step at all (0–50, 37 900–38 250, 79 000–79 350, 121 000–).
    assert_eq!(shares.other_ns, 5_110 * MS);
    assert_eq!(shares.wait_ns, 850 * MS);
    let along = path.path_shares;
    // Waiting along the path is its four gaps above (950 ms); agents' own time is other.
    assert_eq!(
        (along.llm_ns, along.tool_ns, along.other_ns, along.wait_ns),
        (88_400 * MS, 20_950 * MS, 10_800 * MS, 950 * MS)
    );
}

#[test]
fn demo_waste_outliers_and_hogs() {
    let trace = demo_priced();
    let insights = analyse(&trace);
    assert!(
        insights.slow_outliers.is_empty(),
        "no tool or model has six calls"
    );
    let redundant = &insights.redundant;
    let groups: Vec<(&str, Vec<String>)> = redundant
        .duplicate_calls
        .iter()
        .map(|g| (g.tool.as_str(), ids(&trace, &g.steps)))
        .collect();
    assert_eq!(
        groups,
        [
            ("fetch_url", vec!["s24".to_string(), "s25".to_string()]),
            ("web_search", vec!["s04".to_string(), "s05".to_string()])
        ]
    );
    assert!(redundant
        .duplicate_calls
        .iter()
        .all(|g| g.after_success.is_empty()));
    let retries: Vec<(String, String, bool)> = redundant
        .retries
        .iter()
        .map(|r| {
            (
                trace.steps[r.failed].id.clone(),
                trace.steps[r.retry].id.clone(),
                r.succeeded,
            )
        })
        .collect();
    assert_eq!(
        retries,
        [
            ("s04".into(), "s05".into(), true),
            ("s24".into(), "s25".into(), false)
        ]
    );
    assert!(redundant.unused_outputs.is_empty());
    let hogs = &insights.token_hogs;
    let summary = summarize(&trace);
    assert_eq!(hogs.total_tokens, summary.total_tokens);
    assert_eq!(hogs.total_tokens, 31_367);
    assert!((hogs.total_cost_usd.known - summary.cost_usd.known).abs() < 1e-15);
    assert_eq!(
        ids(
            &trace,
            &hogs
                .calls_by_tokens
                .iter()
                .map(|h| h.index)
                .collect::<Vec<_>>()
        ),
        ["s30", "s29", "s10", "s16", "s13"]
    );
    assert_eq!(
        ids(
            &trace,
            &hogs
                .calls_by_cost
                .iter()
                .map(|h| h.index)
                .collect::<Vec<_>>()
        ),
        ["s16", "s13", "s10", "s21", "s07"]
    );
    assert_eq!(
        hogs.tasks_by_cost
            .iter()
            .map(|h| h.index)
            .collect::<Vec<_>>(),
        [1, 0, 2, 4, 3]
    );
    assert_eq!(hogs.tasks_by_tokens[0].tokens, Some(11_892));
    assert!(hogs.growing_prompts.is_empty(), "no loop of four calls");
}

#[test]
fn demo_cost_tables_agree_with_the_summary() {
    let trace = demo_priced();
    let insights = analyse(&trace);
    let summary = summarize(&trace);
    for rows in [
        &insights.cost_by_agent,
        &insights.cost_by_model,
        &insights.cost_by_task,
    ] {
        assert_eq!(
            rows.iter().map(|r| r.tokens.known).sum::<u64>(),
            summary.total_tokens.known
        );
        assert!(
            (rows.iter().map(|r| r.cost_usd.known).sum::<f64>() - summary.cost_usd.known).abs()
                < 1e-12
        );
        assert_eq!(
            rows.iter().map(|r| r.llm_calls).sum::<u64>(),
            summary.requests
        );
    }
    let agents: Vec<&str> = insights
        .cost_by_agent
        .iter()
        .map(|r| r.label.as_str())
        .collect();
    assert_eq!(
        agents,
        [
            "Pricing Analyst",
            "Senior Market Researcher",
            "Report Writer",
            "Fact Checker"
        ]
    );
    let tools: Vec<(&str, u64, i64)> = insights
        .cost_by_tool
        .iter()
        .map(|r| (r.label.as_str(), r.tool_calls, r.duration_ns / MS))
        .collect();
    assert_eq!(
        tools,
        [
            ("fetch_url", 2, 10_100),
            ("pricing_lookup", 1, 8_400),
            ("web_search", 2, 6_800),
            ("scrape_website", 1, 5_700),
            ("query_customers", 1, 2_300)
        ]
    );
    let nodes = flame(&trace, FlameWeight::CostUsd);
    assert_eq!(nodes.len(), 26);
    let tasks: f64 = nodes.iter().filter(|n| n.depth == 1).map(|n| n.width).sum();
    assert!((tasks - 1.0).abs() < 1e-12);
}

#[test]
fn a_large_synthetic_trace_is_analysed() {
    let trace = synth(10_000);
    let started = std::time::Instant::now();
    let insights = analyse(&trace);
    eprintln!(
        "analyse: {} steps in {:?}",
        trace.steps.len(),
        started.elapsed()
    );
    let summary = summarize(&trace);
    assert_eq!(insights.token_hogs.total_tokens, summary.total_tokens);
    assert!(!insights.failures.tool_errors.is_empty());
    let fractions = insights.critical_path.shares.fractions();
    assert!((fractions.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    // The path covers the window without overlaps.
    let segments = &insights.critical_path.segments;
    assert!(segments.windows(2).all(|w| w[0].end_ns == w[1].start_ns));
}

/// The page runs the analysis a rule per browser task; it must find exactly what the
/// one-call analysis finds, and take more than one step to do so.
#[test]
fn the_stepwise_analysis_equals_the_whole_one() {
    for trace in [demo_priced(), synth(3_000)] {
        let rows = stepwise_core::tree::step_rows(&trace);
        let mut analysis = Analysis::new(Context::with_rows(&trace, rows));
        let mut steps = 1;
        let stepped = loop {
            match analysis.advance() {
                Some(insights) => break insights,
                None => steps += 1,
            }
        };
        assert!(steps > 5, "{steps} steps");
        assert_eq!(stepped, analyse(&trace));
        for weight in [FlameWeight::CostUsd, FlameWeight::Tokens] {
            let context = Context::with_rows(&trace, stepwise_core::tree::step_rows(&trace));
            assert_eq!(flame_in(&context, weight), flame(&trace, weight));
        }
    }
}
