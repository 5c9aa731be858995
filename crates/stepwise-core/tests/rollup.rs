#![cfg(not(target_arch = "wasm32"))]
//! Cross-trace figures for the agent page and the cost dashboard.

#[path = "support/fixture.rs"]
mod fixture;

use fixture::*;
use stepwise_core::rollup::*;

const RUN_ONE: &str = r#"
    agent a1 Researcher
    agent a2 Writer
    task t1 Research 0-10 agent=a1
    task t2 Write 10-20 agent=a2
    r1 llm x 0-10 task=t1 agent=a1 model=big in=100 out=0 cost=0.05
    r2 tool search 0-10 task=t1 agent=a1 status=failed
    w1 llm y 10-20 task=t2 agent=a2 model=small in=900 out=100 cost=0.01
"#;

const RUN_TWO: &str = r#"
    agent b1 Researcher
    task t1 Research 0-10 agent=b1
    r1 llm x 0-10 task=t1 agent=b1 model=big in=300 out=0 cost=0.2
"#;

#[test]
fn the_dashboard_ranks_tasks_agents_and_models_across_traces() {
    let (one, two) = (build(RUN_ONE), build(RUN_TWO));
    let traces = [
        TraceRef {
            id: "one",
            trace: &one,
        },
        TraceRef {
            id: "two",
            trace: &two,
        },
    ];
    let tasks: Vec<(String, usize, u64)> = top_tasks(&traces, RankBy::CostUsd, 10)
        .into_iter()
        .map(|t| (t.trace_id, t.task, t.tokens.known))
        .collect();
    assert_eq!(
        tasks,
        [
            ("two".into(), 0, 300),
            ("one".into(), 0, 100),
            ("one".into(), 1, 1000)
        ]
    );
    let by_tokens: Vec<(String, usize)> = top_tasks(&traces, RankBy::Tokens, 2)
        .into_iter()
        .map(|t| (t.trace_id, t.task))
        .collect();
    assert_eq!(by_tokens, [("one".into(), 1), ("two".into(), 0)]);
    let agents: Vec<(String, u64)> = top_agents(&traces, RankBy::CostUsd, 5)
        .into_iter()
        .map(|a| (a.role, a.tokens.known))
        .collect();
    assert_eq!(
        agents,
        [("Researcher".into(), 400), ("Writer".into(), 1000)]
    );
    let models = top_models(&traces, RankBy::Tokens, 5);
    assert_eq!(
        models.iter().map(|m| m.model.as_str()).collect::<Vec<_>>(),
        ["small", "big"]
    );
    let big = &models[1];
    assert_eq!((big.calls, big.tokens.known), (2, 400));
    assert!((big.cost_usd.known - 0.25).abs() < 1e-12);
    let links: Vec<(&str, &[usize])> = big
        .traces
        .iter()
        .map(|t| (t.trace_id.as_str(), t.steps.as_slice()))
        .collect();
    assert_eq!(links, [("one", &[0usize][..]), ("two", &[0usize][..])]);
}

#[test]
fn the_agent_page_gathers_an_agent_across_runs_by_role() {
    let (one, two) = (build(RUN_ONE), build(RUN_TWO));
    let traces = [
        TraceRef {
            id: "one",
            trace: &one,
        },
        TraceRef {
            id: "two",
            trace: &two,
        },
    ];
    let page = agent_page(&traces, "Researcher").expect("took part");
    let parts: Vec<(&str, &str, Vec<usize>, Vec<usize>)> = page
        .traces
        .iter()
        .map(|t| {
            (
                t.trace_id.as_str(),
                t.agent_id.as_str(),
                t.steps.clone(),
                t.errors.clone(),
            )
        })
        .collect();
    assert_eq!(
        parts,
        [
            ("one", "a1", vec![0, 1], vec![1]),
            ("two", "b1", vec![0], vec![])
        ]
    );
    assert_eq!((page.steps, page.errors, page.tokens.known), (3, 1, 400));
    assert!((page.cost_usd.known - 0.25).abs() < 1e-12);
    assert_eq!(
        agent_page(&traces, "Writer").map(|p| p.traces.len()),
        Some(1)
    );
    assert_eq!(agent_page(&traces, "Nobody"), None);
    assert!(top_tasks(&[], RankBy::CostUsd, 5).is_empty());
}

#[test]
fn the_demo_dashboard() {
    let trace = demo_priced();
    let traces = [TraceRef {
        id: "demo",
        trace: &trace,
    }];
    let tasks: Vec<String> = top_tasks(&traces, RankBy::CostUsd, 3)
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(
        tasks,
        [
            "Compare competitor pricing",
            "Research the market",
            "Estimate demand"
        ]
    );
    let tasks: Vec<String> = top_tasks(&traces, RankBy::Tokens, 1)
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(tasks, ["Write the launch report"]);
    let agents: Vec<String> = top_agents(&traces, RankBy::CostUsd, 4)
        .into_iter()
        .map(|a| a.role)
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
    let models: Vec<String> = top_models(&traces, RankBy::CostUsd, 3)
        .into_iter()
        .map(|m| m.model)
        .collect();
    assert_eq!(
        models,
        [
            "claude-3-5-sonnet-20241022",
            "gpt-4o-2024-08-06",
            "gpt-4o-mini"
        ]
    );
    let checker = agent_page(&traces, "Fact Checker").expect("in the demo");
    assert_eq!(
        ids(&trace, &checker.traces[0].errors),
        ["s24", "s25", "s26"]
    );
    let researcher = agent_page(&traces, "Senior Market Researcher").expect("in the demo");
    assert_eq!(researcher.steps, 15, "two tasks: s01–s10 and s17–s21");
}

#[test]
fn totals_and_shares_for_the_dashboard_header_and_bars() {
    let (one, two) = (build(RUN_ONE), build(RUN_TWO));
    let traces = [
        TraceRef {
            id: "one",
            trace: &one,
        },
        TraceRef {
            id: "two",
            trace: &two,
        },
    ];
    let sum = totals(&traces);
    assert_eq!((sum.traces, sum.tokens.known), (2, 1400));
    assert!((sum.cost_usd.known - 0.26).abs() < 1e-12);
    assert!((total_of(&sum, RankBy::Tokens) - 1400.0).abs() < 1e-12);
    assert_eq!(totals(&[]), Totals::default());
    assert!((share_percent(1.0, 4.0) - 25.0).abs() < 1e-12);
    // No whole (nothing priced) draws no bar rather than dividing by zero.
    assert_eq!(share_percent(3.0, 0.0), 0.0);
    assert_eq!(share_percent(5.0, 4.0), 100.0);
}

fn listing(
    id: &str,
    tokens: Option<u64>,
    cost_usd: Option<f64>,
) -> stepwise_core::api::TraceListing {
    stepwise_core::api::TraceListing {
        id: id.into(),
        name: format!("run {id}"),
        start_ns: None,
        status: stepwise_core::api::ListStatus::Completed,
        duration_ns: None,
        total_tokens: tokens,
        cost_usd,
    }
}

#[test]
fn an_api_list_ranks_its_traces_and_leaves_out_unknown_figures() {
    let rows = [
        listing("a", Some(10), Some(0.5)),
        listing("b", Some(900), None),
        listing("c", None, Some(2.0)),
        listing("d", Some(50), Some(0.1)),
    ];
    let ids = |by, n| -> Vec<String> {
        top_listings(&rows, by, n)
            .into_iter()
            .map(|l| l.id.clone())
            .collect()
    };
    assert_eq!(ids(RankBy::CostUsd, 10), ["c", "a", "d"]);
    assert_eq!(ids(RankBy::Tokens, 2), ["b", "d"]);
    let sum = listing_totals(&rows);
    assert_eq!((sum.traces, sum.tokens.known), (4, 960));
    assert!((sum.cost_usd.known - 2.6).abs() < 1e-12);
}

/// Token counts are untrusted: sums over calls that each claim nearly u64::MAX tokens stop
/// at the largest figure rather than overflowing (a panic in debug builds, nonsense in
/// release).
#[test]
fn huge_token_counts_saturate_in_every_sum() {
    let huge = u64::MAX / 2 + 1;
    let mut one = build(
        r#"
        agent a1 Researcher
        task t1 Research 0-10 agent=a1
        r1 llm x 0-5 task=t1 agent=a1 model=big in=1 out=1
        r2 llm x 5-10 task=t1 agent=a1 model=big in=1 out=1
    "#,
    );
    for step in &mut one.steps {
        step.usage.input_tokens = Some(huge);
        step.usage.output_tokens = Some(huge);
    }
    let traces = [
        TraceRef {
            id: "one",
            trace: &one,
        },
        TraceRef {
            id: "again",
            trace: &one,
        },
    ];
    assert_eq!(agents(&traces)[0].tokens, u64::MAX);
    assert_eq!(totals(&traces).tokens, u64::MAX);
    assert_eq!(top_models(&traces, RankBy::Tokens, 10)[0].tokens, u64::MAX);
    let figures = stepwise_core::present::agent_figures(&one, "a1");
    assert_eq!(figures.input_tokens, u64::MAX);
    assert_eq!(figures.output_tokens, u64::MAX);
    let insights = stepwise_core::insights::analyse(&one);
    assert_eq!(insights.cost_by_model[0].tokens, u64::MAX);
}
