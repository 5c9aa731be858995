#![cfg(not(target_arch = "wasm32"))]
//! Comparing two traces: alignment, deltas, the first divergence and text diffs.

#[path = "support/fixture.rs"]
mod fixture;

use fixture::*;
use stepwise_core::compare::*;
use stepwise_core::model::{RawJson, Status};

const RUN_A: &str = r#"
    task t1 Research 0-100
    task t2 Write 100-200
    s1 llm plan 0-10 task=t1 in=10 out=5 cost=0.01 input='"p1"' output='"o1"'
    s2 tool search 10-50 task=t1
    s3 llm answer 50-100 task=t1 in=20 out=5 output='"answer"'
    w1 llm draft 100-200 task=t2 in=100 out=50
"#;

fn pairs(c: &Comparison) -> Vec<(Option<usize>, Option<usize>)> {
    c.tasks.iter().map(|p| (p.a, p.b)).collect()
}

#[test]
fn identical_runs_align_one_to_one_and_do_not_diverge() {
    let (a, b) = (build(RUN_A), build(RUN_A));
    let comparison = compare(&a, &b);
    assert_eq!(pairs(&comparison), [(Some(0), Some(0)), (Some(1), Some(1))]);
    let steps: Vec<_> = comparison.tasks[0]
        .steps
        .iter()
        .map(|p| (p.a, p.b))
        .collect();
    assert_eq!(
        steps,
        [(Some(0), Some(0)), (Some(1), Some(1)), (Some(2), Some(2))]
    );
    // Research has one priced call of two and Write none: their cost differences are
    // unknown, not $0, even between identical runs.
    assert!(comparison.tasks.iter().all(|t| t.delta
        == Delta {
            duration_ns: Some(0),
            tokens: Some(0),
            cost_usd: None
        }));
    assert_eq!(
        format_delta_cost_usd(comparison.tasks[0].delta.cost_usd),
        "—"
    );
    assert_eq!(first_divergence(&comparison), None);
}

#[test]
fn an_added_step_a_slower_step_and_a_status_change_show_as_deltas() {
    let a = build(RUN_A);
    let b = build(
        r#"
        task t1 Research 0-150
        task t2 Write 150-250 status=failed
        s1 llm plan 0-10 task=t1 in=10 out=5 cost=0.01 input='"p1"' output='"o1"'
        s2 tool search 10-50 task=t1
        s2b tool search 50-90 task=t1
        s3 llm answer 90-150 task=t1 in=20 out=5 output='"answer"'
        w1 llm draft 150-250 task=t2 in=100 out=50
    "#,
    );
    let comparison = compare(&a, &b);
    let research = &comparison.tasks[0];
    assert_eq!(research.delta.duration_ns, Some(50 * MS));
    let steps: Vec<_> = research.steps.iter().map(|p| (p.a, p.b)).collect();
    assert_eq!(
        steps,
        [
            (Some(0), Some(0)),
            (Some(1), Some(1)),
            (None, Some(2)),
            (Some(2), Some(3))
        ]
    );
    assert!(research.steps[2].changes.added);
    assert_eq!(research.steps[3].delta.duration_ns, Some(10 * MS));
    assert_eq!(
        comparison.tasks[1].changes.status,
        Some((Status::Completed, Status::Failed))
    );
    let divergence = first_divergence(&comparison).expect("diverges");
    assert_eq!(
        (divergence.task_pair, divergence.step_pair),
        (Some(0), Some(2)),
        "the added search"
    );
    assert!(divergence.changes.added);
}

#[test]
fn a_renamed_step_of_the_same_kind_pairs_by_position() {
    let a = build("s1 llm plan 0-10\ns2 tool search 10-20\ns3 llm answer 20-30");
    let b = build("s1 llm plan 0-10\ns2 tool lookup 10-20\ns3 llm answer 20-30");
    let comparison = compare(&a, &b);
    let steps: Vec<_> = comparison
        .untasked_steps
        .iter()
        .map(|p| (p.a, p.b, p.changes.renamed))
        .collect();
    assert_eq!(
        steps,
        [
            (Some(0), Some(0), false),
            (Some(1), Some(1), true),
            (Some(2), Some(2), false)
        ]
    );
    let divergence = first_divergence(&comparison).expect("diverges");
    assert_eq!(
        (divergence.task_pair, divergence.step_pair),
        (None, Some(1))
    );
    // A step of another kind is not paired with it.
    let c = build("s1 llm plan 0-10\ns2 reasoning think 10-20\ns3 llm answer 20-30");
    let steps: Vec<_> = compare(&a, &c)
        .untasked_steps
        .iter()
        .map(|p| (p.a, p.b))
        .collect();
    assert_eq!(
        steps,
        [
            (Some(0), Some(0)),
            (Some(1), None),
            (None, Some(1)),
            (Some(2), Some(2))
        ]
    );
}

#[test]
fn tasks_align_by_name_around_an_inserted_task() {
    let a = build("task t1 A 0-1\ntask t2 B 1-2\ntask t3 C 2-3");
    let b = build("task t1 A 0-1\ntask tx X 1-2\ntask t2 B 1-2\ntask t3 C 2-3");
    let comparison = compare(&a, &b);
    assert_eq!(
        pairs(&comparison),
        [
            (Some(0), Some(0)),
            (None, Some(1)),
            (Some(1), Some(2)),
            (Some(2), Some(3))
        ]
    );
    let divergence = first_divergence(&comparison).expect("diverges");
    assert_eq!(
        (divergence.task_pair, divergence.step_pair),
        (Some(1), None)
    );
    let removed = compare(&b, &a);
    assert!(removed.tasks[1].changes.removed);
}

#[test]
fn line_diffs_group_equal_inserted_and_deleted_lines() {
    let diff = text_diff("a\nb\nc\n", "a\nB\nc\nd\n");
    let hunks: Vec<(LineTag, Vec<&str>)> = diff
        .hunks
        .iter()
        .map(|h| (h.tag, h.lines.iter().map(String::as_str).collect()))
        .collect();
    assert_eq!(
        hunks,
        [
            (LineTag::Equal, vec!["a"]),
            (LineTag::Delete, vec!["b"]),
            (LineTag::Insert, vec!["B"]),
            (LineTag::Equal, vec!["c"]),
            (LineTag::Insert, vec!["d"]),
        ]
    );
    assert!(!diff.truncated);
    assert_eq!(text_diff("", ""), TextDiff::default());
}

#[test]
fn huge_texts_are_cut_and_say_so() {
    let long: String = (0..MAX_DIFF_LINES + 10)
        .map(|i| format!("line {i}\n"))
        .collect();
    let diff = text_diff(&long, "line 0\n");
    assert!(diff.truncated);
    let deleted: usize = diff
        .hunks
        .iter()
        .filter(|h| h.tag == LineTag::Delete)
        .map(|h| h.lines.len())
        .sum();
    assert_eq!(deleted, MAX_DIFF_LINES - 1);
    let one_huge_line = "x".repeat(MAX_DIFF_BYTES + 1);
    let diff = text_diff(&one_huge_line, "x");
    assert!(diff.truncated);
}

#[test]
fn payloads_diff_as_readable_text() {
    let mut a = build(RUN_A);
    let b = build(RUN_A);
    a.steps[0].input =
        RawJson::from_json_text(r#"{"messages": [{"role": "user", "content": "hi"}], "n": 1}"#);
    let comparison = compare(&a, &b);
    let pair = &comparison.tasks[0].steps[0];
    assert!(pair.changes.input && !pair.changes.output);
    let diff = diff_step_pair(&a, &b, pair, Field::Input);
    assert_eq!(diff.hunks[0].tag, LineTag::Delete);
    assert_eq!(diff.hunks[0].lines[0], "{");
    assert_eq!(
        diff.hunks.last().map(|h| (h.tag, h.lines.clone())),
        Some((LineTag::Insert, vec!["p1".to_string()]))
    );
    assert!(diff_step_pair(&a, &b, pair, Field::Output)
        .hunks
        .iter()
        .all(|h| h.tag == LineTag::Equal));
}

#[test]
fn the_demo_against_a_modified_copy_diverges_at_the_changed_task() {
    let a = demo_priced();
    let mut b = a.clone();
    // A slower step in the first task: timings differ in every rerun, not a divergence.
    let s03 = at(&b, "s03");
    b.steps[s03].end_ns = b.steps[s03].end_ns.map(|end| end + 2_000 * MS);
    // A different answer from the demand estimate.
    let demand = b
        .tasks
        .iter()
        .position(|t| t.name == "Estimate demand")
        .expect("task");
    b.tasks[demand].output = Some(RawJson::string("About 900 of 2,898 customers."));
    let comparison = compare(&a, &b);
    assert_eq!(comparison.tasks.len(), a.tasks.len());
    assert!(comparison.tasks.iter().all(|t| t.a == t.b), "one to one");
    assert_eq!(
        comparison.tasks[0].steps[2].delta.duration_ns,
        Some(2_000 * MS)
    );
    assert_eq!(comparison.delta.tokens, Some(0));
    let divergence = first_divergence(&comparison).expect("diverges");
    assert_eq!(divergence.task_pair, Some(demand));
    assert_eq!(divergence.step_pair, None);
    assert!(divergence.changes.output && !divergence.changes.input);
    let diff = diff_task_pair(&a, &b, &comparison.tasks[demand], Field::Output);
    assert!(diff
        .hunks
        .iter()
        .any(|h| h.tag == LineTag::Insert && h.lines == ["About 900 of 2,898 customers."]));
}

#[test]
fn a_large_trace_compares_with_itself() {
    let a = synth(10_000);
    let started = std::time::Instant::now();
    let comparison = compare(&a, &a);
    eprintln!(
        "compare: {} steps in {:?}",
        a.steps.len(),
        started.elapsed()
    );
    assert_eq!(first_divergence(&comparison), None);
    let steps: usize = comparison
        .tasks
        .iter()
        .map(|t| t.steps.len())
        .sum::<usize>()
        + comparison.untasked_steps.len();
    assert_eq!(steps, a.steps.len());
}

#[test]
fn deltas_read_with_a_sign_and_a_unit() {
    assert_eq!(format_delta_duration(Some(1_200_000_000)), "+1.2 s");
    assert_eq!(format_delta_duration(Some(-850_000_000)), "\u{2212}850 ms");
    assert_eq!(format_delta_duration(Some(0)), "0 ms");
    assert_eq!(format_delta_duration(None), "\u{2014}");
    assert_eq!(format_delta_tokens(Some(-340)), "\u{2212}340 tok");
    assert_eq!(format_delta_tokens(Some(1200)), "+1,200 tok");
    assert_eq!(format_delta_tokens(Some(0)), "0 tok");
    assert_eq!(format_delta_cost_usd(Some(0.012)), "+$0.01");
    assert_eq!(format_delta_cost_usd(Some(-0.0034)), "\u{2212}$0.0034");
    assert_eq!(format_delta_cost_usd(Some(1e-9)), "$0");
    assert_eq!(Trend::of(-3.0), Trend::Better);
    assert_eq!(Trend::of(0.0), Trend::Same);
    assert_eq!(
        Trend::of_status((Status::Completed, Status::Failed)),
        Trend::Worse
    );
    assert_eq!(
        Trend::of_status((Status::Failed, Status::Completed)),
        Trend::Better
    );
}

/// Regression: a re-exported trace (pretty-printed, `6.0` written as `6`, keys reordered)
/// showed every structured output as changed, and the first divergence pointed at one.
#[test]
fn the_same_payload_written_another_way_is_not_a_change() {
    let mut a = build(RUN_A);
    let mut b = build(RUN_A);
    a.steps[1].output = RawJson::from_json_text(r#"{"CircleCI": {"usd": 6.0}, "n": [1, 2]}"#);
    b.steps[1].output =
        RawJson::from_json_text("{\n  \"n\": [1, 2],\n  \"CircleCI\": {\n    \"usd\": 6\n  }\n}");
    let comparison = compare(&a, &b);
    assert!(!comparison.tasks[0].steps[1].changes.output);
    assert_eq!(first_divergence(&comparison), None);
    b.steps[1].output = RawJson::from_json_text(r#"{"CircleCI": {"usd": 6.5}, "n": [1, 2]}"#);
    assert!(compare(&a, &b).tasks[0].steps[1].changes.output);
}
