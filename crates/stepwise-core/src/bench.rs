//! Benchmark S1's measured work (import + derive) and its statistics, shared by the native bench and the wasm export. Pure core.
//!
//! Both builds run exactly this function, so native and wasm figures measure the same
//! work, and the page's JS baseline computes the same figures to be compared with it.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::import::import_bytes;
use crate::metrics::{summarize, task_figures};

/// What the derivation found: the JS baseline must find the same, or it did other work.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Derived {
    pub traces: usize,
    pub steps: usize,
    pub tasks: usize,
    pub llm_calls: u64,
    /// Sums of the known parts (a check that figures were derived, not a figure shown).
    pub total_tokens: u64,
    pub cost_usd: f64,
    pub errors: usize,
    /// Steps per kind key (`llm_call`, `tool_call`…).
    pub kinds: BTreeMap<String, usize>,
    /// Sum over tasks of their LLM calls, a check that per-task figures were derived.
    pub task_llm_calls: u64,
}

/// Imports `bytes` and derives the summary, the per-task figures and the counts per kind.
pub fn import_and_derive(bytes: &[u8]) -> Result<Derived, String> {
    let traces = import_bytes(bytes).map_err(|error| error.to_string())?;
    let mut derived = Derived {
        traces: traces.len(),
        ..Derived::default()
    };
    for trace in &traces {
        let summary = summarize(trace);
        derived.steps += summary.steps;
        derived.tasks += summary.tasks;
        derived.llm_calls += summary.requests;
        derived.total_tokens = derived
            .total_tokens
            .saturating_add(summary.total_tokens.known);
        derived.cost_usd += summary.cost_usd.known;
        derived.errors += summary.errors;
        derived.task_llm_calls += task_figures(trace)
            .iter()
            .map(|row| row.llm_calls)
            .sum::<u64>();
        for step in &trace.steps {
            *derived
                .kinds
                .entry(step.kind.key().to_string())
                .or_default() += 1;
        }
    }
    // Dropping the traces is part of the work: a page that reopens a file pays it.
    drop(traces);
    Ok(derived)
}

/// Median and 95th percentile of some timings, in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Timings {
    pub runs: usize,
    pub median_ms: f64,
    pub p95_ms: f64,
    pub min_ms: f64,
}

/// Nearest-rank percentiles; `None` for no samples.
pub fn timings(samples_ms: &[f64]) -> Option<Timings> {
    let mut sorted: Vec<f64> = samples_ms
        .iter()
        .copied()
        .filter(|ms| ms.is_finite())
        .collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let rank = |fraction: f64| {
        let index = (fraction * sorted.len() as f64).ceil() as usize;
        sorted[index.clamp(1, sorted.len()) - 1]
    };
    Some(Timings {
        runs: sorted.len(),
        median_ms: rank(0.5),
        p95_ms: rank(0.95),
        min_ms: sorted[0],
    })
}

/// Throughput in megabytes (10^6 bytes) per second.
pub fn mb_per_s(bytes: usize, ms: f64) -> f64 {
    if ms <= 0.0 {
        return 0.0;
    }
    bytes as f64 / 1e6 / (ms / 1e3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let samples: Vec<f64> = (1..=20).map(f64::from).collect();
        let t = timings(&samples).expect("samples");
        assert_eq!(
            (t.runs, t.median_ms, t.p95_ms, t.min_ms),
            (20, 10.0, 19.0, 1.0)
        );
        assert_eq!(timings(&[]), None);
        assert_eq!(timings(&[3.0]).map(|t| t.p95_ms), Some(3.0));
    }

    #[test]
    fn throughput_is_in_megabytes_per_second() {
        assert_eq!(mb_per_s(65_000_000, 100.0), 650.0);
        assert_eq!(mb_per_s(1, 0.0), 0.0);
    }

    #[test]
    fn a_synthetic_trace_is_derived() {
        let options = crate::synth::SynthOptions {
            steps: 200,
            seed: 1,
            format: crate::synth::SynthFormat::Stepwise,
        };
        let mut bytes = Vec::new();
        crate::synth::write_trace(&options, &mut bytes).expect("written");
        let derived = import_and_derive(&bytes).expect("imports");
        assert_eq!(derived.traces, 1);
        assert_eq!(derived.kinds.values().sum::<usize>(), derived.steps);
        assert_eq!(derived.task_llm_calls, derived.llm_calls);
        assert!(derived.llm_calls > 0 && derived.total_tokens > 0);
        assert!(import_and_derive(b"[1]").is_err_and(|error| !error.is_empty()));
    }
}
