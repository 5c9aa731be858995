//! Slow outliers: calls far slower than the other calls of the same tool or model. Pure core.
//!
//! Rule: among the finished calls of one tool name (tool calls) or one model (LLM calls),
//! with at least `MIN_PEERS` others, a call is an outlier when its duration exceeds
//! `max(3 × median, median + 3 × MAD, median + 1 ms)`, where MAD is the median absolute
//! deviation of the group. The median and MAD are robust: the outlier itself barely moves
//! them. A lone call, or a group of similar calls, never fires.

use std::collections::BTreeMap;

use crate::model::{Status, StepKind, Trace};

/// Other calls a group needs besides the one being judged.
pub const MIN_PEERS: usize = 5;
const MIN_EXCESS_NS: i64 = 1_000_000;

/// The calls a step is compared with.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PeerGroup {
    Tool(String),
    Model(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct SlowOutlier {
    pub step: usize,
    pub group: PeerGroup,
    pub duration_ns: i64,
    pub median_ns: i64,
    pub threshold_ns: i64,
    /// Calls in the group besides this one.
    pub peers: usize,
    /// `duration_ns / median_ns` (infinite when the median is zero).
    pub times_median: f64,
}

pub fn slow_outliers(trace: &Trace) -> Vec<SlowOutlier> {
    let mut groups: BTreeMap<PeerGroup, Vec<(usize, i64)>> = BTreeMap::new();
    for (index, step) in trace.steps.iter().enumerate() {
        if step.status == Status::Running {
            continue;
        }
        let group = match (step.kind, &step.model) {
            (StepKind::ToolCall, _) => PeerGroup::Tool(step.name.clone()),
            (StepKind::LlmCall, Some(model)) => PeerGroup::Model(model.clone()),
            _ => continue,
        };
        if let Some(duration) = step.duration_ns().filter(|d| *d >= 0) {
            groups.entry(group).or_default().push((index, duration));
        }
    }
    let mut out = Vec::new();
    for (group, calls) in groups {
        if calls.len() <= MIN_PEERS {
            continue;
        }
        let durations: Vec<i64> = calls.iter().map(|&(_, d)| d).collect();
        let median_ns = median(&durations);
        let deviations: Vec<i64> = durations.iter().map(|d| (d - median_ns).abs()).collect();
        let mad_ns = median(&deviations);
        let threshold_ns = median_ns
            .saturating_mul(3)
            .max(median_ns.saturating_add(mad_ns.saturating_mul(3)))
            .max(median_ns.saturating_add(MIN_EXCESS_NS));
        for &(step, duration_ns) in calls.iter().filter(|&&(_, d)| d > threshold_ns) {
            out.push(SlowOutlier {
                step,
                group: group.clone(),
                duration_ns,
                median_ns,
                threshold_ns,
                peers: calls.len() - 1,
                times_median: duration_ns as f64 / median_ns as f64,
            });
        }
    }
    out.sort_by(|a, b| {
        b.times_median
            .total_cmp(&a.times_median)
            .then(a.step.cmp(&b.step))
    });
    out
}

/// The median, the lower middle value for an even count (so it is a real duration).
fn median(values: &[i64]) -> i64 {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    sorted
        .get(sorted.len().saturating_sub(1) / 2)
        .copied()
        .unwrap_or(0)
}
