//! Baselines: how a run compares with other runs of the same kind, open in this tab or opened recently. Pure core.
//!
//! Runs are of one kind when their trace names match once trimmed, lower-cased and with
//! runs of spaces made one (`kind_key`). Importers name a trace from `gen_ai.workflow.name`,
//! `traceloop.workflow.name` or the crew's or flow's name when it states one, so the runs of
//! one workflow share a name.
//!
//! The rules, so that a claim is never made on too little or on an unknown:
//! - A figure is compared only with the median of at least `MIN_RUNS` other runs that know
//!   it; with fewer, nothing is said.
//! - A cost or token count is known only when every call of the run (task, agent) has one:
//!   a partial sum is a lower bound, and comparing lower bounds would claim savings that
//!   are only missing prices. A run still running has no figures yet.
//! - Unknown is not zero: a run without the figure is left out of the median, and this
//!   run without it gets no claim. A median of 0 gives no ratio, so no claim either.
//! - Wording (`Comparison::phrase`): a ratio of `MULTIPLIER_FROM` (1.5) or more reads
//!   "2.1× the usual cost"; within `SAME_WITHIN_PERCENT` (±5%) of the median it reads
//!   "about as fast as the median of 6 runs"; in between, a rounded percentage: "38% slower
//!   than the median of 6 runs", "12% cheaper than the median of 6 runs".

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::metrics::{format_cost_usd, format_count, format_duration_ns, summarize, task_figures};
use crate::model::{Status, Trace};

/// Other runs a baseline needs, at the least.
pub const MIN_RUNS: usize = 2;
/// A ratio from which a difference is said as a multiple ("2.1×") rather than a percentage.
pub const MULTIPLIER_FROM: f64 = 1.5;
/// Within this many percent of the median, a run is "about the same".
pub const SAME_WITHIN_PERCENT: f64 = 5.0;
/// Agents and tasks kept per run (the longest): a recent entry stays a few kilobytes.
pub const MAX_PARTS: usize = 50;
/// Runs listed by value in a comparison's detail; more are summed up as "…".
const DETAIL_RUNS: usize = 12;

/// The figures of a run, an agent or a task; `None` when unknown (or only partly known).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_usd: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens: Option<u64>,
}

/// One agent (by role) or task (by name) of a run, with its figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartFigures {
    pub name: String,
    #[serde(flatten)]
    pub figures: Figures,
}

/// What a baseline knows of one run: its own figures, its agents' and its tasks'.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunFigures {
    pub run: Figures,
    /// At most `MAX_PARTS`, by name; roles that occur twice in the run are left out.
    pub agents: Vec<PartFigures>,
    /// At most `MAX_PARTS`, by name; a task run several times is left out: it has no
    /// single figure to compare.
    pub tasks: Vec<PartFigures>,
}

impl RunFigures {
    /// The figures of `trace`. O(steps), plus a sort of each agent's step times.
    pub fn of(trace: &Trace) -> RunFigures {
        if trace.status == Status::Running {
            return RunFigures::default();
        }
        let summary = summarize(trace);
        RunFigures {
            run: Figures {
                duration_ms: summary.duration_ns.map(ns_to_ms),
                cost_usd: summary.cost_usd.exact(),
                tokens: summary.total_tokens.exact(),
            },
            agents: agent_parts(trace),
            tasks: task_parts(trace),
        }
    }
}

fn ns_to_ms(duration_ns: i64) -> f64 {
    duration_ns as f64 / 1e6
}

fn task_parts(trace: &Trace) -> Vec<PartFigures> {
    let parts = task_figures(trace)
        .into_iter()
        .filter_map(|row| {
            let task = trace.tasks.get(row.task)?;
            Some(PartFigures {
                name: task.name.clone(),
                figures: Figures {
                    duration_ms: row.duration_ns.map(ns_to_ms),
                    cost_usd: row.cost_usd.exact(),
                    tokens: row.total_tokens.exact(),
                },
            })
        })
        .collect();
    kept_parts(parts)
}

/// Each agent's busy time (the union of its steps' spans, so nested and parallel steps
/// count once) and its LLM calls' tokens and cost.
fn agent_parts(trace: &Trace) -> Vec<PartFigures> {
    struct Work {
        spans: Vec<(i64, i64)>,
        cost_usd: crate::model::Tally<f64>,
        tokens: crate::model::Tally<u64>,
    }
    let mut by_id: BTreeMap<&str, Work> = BTreeMap::new();
    for step in &trace.steps {
        let Some(id) = step.agent_id.as_deref() else {
            continue;
        };
        let work = by_id.entry(id).or_insert_with(|| Work {
            spans: Vec::new(),
            cost_usd: Default::default(),
            tokens: Default::default(),
        });
        if let (Some(start), Some(end)) = (step.start_ns, step.end_ns) {
            work.spans.push((start, end.max(start)));
        }
        if step.kind.is_model_call() {
            work.tokens.add(step.usage.total_tokens());
            work.cost_usd.add(step.cost.map(|cost| cost.usd));
        }
    }
    let parts = by_id
        .into_iter()
        .map(|(id, work)| PartFigures {
            name: trace
                .agent(id)
                .map_or_else(|| id.to_string(), |agent| agent.role.clone()),
            figures: Figures {
                duration_ms: union_ns(work.spans).map(ns_to_ms),
                cost_usd: work.cost_usd.exact(),
                tokens: work.tokens.exact(),
            },
        })
        .collect();
    kept_parts(parts)
}

/// The time covered by `spans`, overlaps counted once; `None` without spans.
fn union_ns(mut spans: Vec<(i64, i64)>) -> Option<i64> {
    spans.sort_unstable();
    let mut spans = spans.into_iter();
    let (mut start, mut end) = spans.next()?;
    let mut total: i64 = 0;
    for (next_start, next_end) in spans {
        if next_start > end {
            total = total.saturating_add(end - start);
            start = next_start;
        }
        end = end.max(next_end);
    }
    Some(total.saturating_add(end - start))
}

/// Drops names that occur twice, keeps the `MAX_PARTS` longest, sorted by name.
fn kept_parts(parts: Vec<PartFigures>) -> Vec<PartFigures> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for part in &parts {
        *counts.entry(part.name.clone()).or_default() += 1;
    }
    let mut kept: Vec<PartFigures> = parts
        .into_iter()
        .filter(|part| counts.get(&part.name) == Some(&1))
        .collect();
    // Longest first; unknown durations last.
    kept.sort_by(|a, b| {
        let key = |part: &PartFigures| part.figures.duration_ms.unwrap_or(f64::NEG_INFINITY);
        key(b).total_cmp(&key(a)).then_with(|| a.name.cmp(&b.name))
    });
    kept.truncate(MAX_PARTS);
    kept.sort_by(|a, b| a.name.cmp(&b.name));
    kept
}

/// The key that makes runs of one kind: the name trimmed, lower-cased, spaces made one.
pub fn kind_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// One run that may join a baseline.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// What identifies the run (its content and trace id, its recent-list key): runs that
    /// share any id are one run, seen twice (open in this tab and in the recent list).
    pub ids: Vec<String>,
    pub name: String,
    pub figures: RunFigures,
}

impl Run {
    fn is_same(&self, other: &Run) -> bool {
        self.ids.iter().any(|id| other.ids.contains(id))
    }
}

/// The id of a trace read from an input whose text has the id `content_id`.
pub fn run_id(content_id: &str, trace_id: &str) -> String {
    format!("{content_id}#{trace_id}")
}

/// This run and the other runs of its kind it is compared with.
#[derive(Clone, Debug, PartialEq)]
pub struct Baseline {
    pub this: RunFigures,
    /// Other runs of the same kind, each once, in the order given.
    pub runs: Vec<Run>,
}

impl Baseline {
    /// The baseline of `this` among `candidates` (earlier first wins when a run is given
    /// twice); `None` when fewer than `MIN_RUNS` other runs are of its kind.
    pub fn of(this: &Run, candidates: impl IntoIterator<Item = Run>) -> Option<Baseline> {
        let key = kind_key(&this.name);
        let mut runs: Vec<Run> = Vec::new();
        for run in candidates {
            if kind_key(&run.name) == key
                && !run.is_same(this)
                && !runs.iter().any(|kept| kept.is_same(&run))
            {
                runs.push(run);
            }
        }
        (runs.len() >= MIN_RUNS).then(|| Baseline {
            this: this.figures.clone(),
            runs,
        })
    }

    /// The whole run against the other runs.
    pub fn run(&self) -> Comparisons {
        Comparisons::of(
            &self.this.run,
            self.runs.iter().map(|run| Some(&run.figures.run)),
        )
    }

    /// The agent with `role` against the same role in the other runs.
    pub fn agent(&self, role: &str) -> Comparisons {
        self.part(role, |figures| &figures.agents)
    }

    /// The task called `name` against the task of that name in the other runs.
    pub fn task(&self, name: &str) -> Comparisons {
        self.part(name, |figures| &figures.tasks)
    }

    fn part(&self, name: &str, parts: fn(&RunFigures) -> &Vec<PartFigures>) -> Comparisons {
        let find = |figures: &'_ RunFigures| -> Option<Figures> {
            parts(figures)
                .iter()
                .find(|part| part.name == name)
                .map(|part| part.figures.clone())
        };
        let Some(this) = find(&self.this) else {
            return Comparisons::default();
        };
        let others: Vec<Option<Figures>> = self.runs.iter().map(|run| find(&run.figures)).collect();
        Comparisons::of(&this, others.iter().map(Option::as_ref))
    }
}

/// What is compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    Duration,
    Cost,
    Tokens,
}

/// Which way this run lies from the median.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Slower, costlier, more tokens.
    Above,
    Below,
    /// Within `SAME_WITHIN_PERCENT`.
    Same,
}

/// This run's duration, cost and tokens against the other runs; `None` where no claim can
/// be made.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Comparisons {
    pub duration: Option<Comparison>,
    pub cost: Option<Comparison>,
    pub tokens: Option<Comparison>,
}

impl Comparisons {
    fn of<'a>(
        this: &Figures,
        others: impl Iterator<Item = Option<&'a Figures>> + Clone,
    ) -> Comparisons {
        let pick = |get: fn(&Figures) -> Option<f64>| others.clone().map(move |f| f.and_then(get));
        Comparisons {
            duration: Comparison::of(Measure::Duration, this.duration_ms, pick(|f| f.duration_ms)),
            cost: Comparison::of(Measure::Cost, this.cost_usd, pick(|f| f.cost_usd)),
            tokens: Comparison::of(
                Measure::Tokens,
                this.tokens.map(|t| t as f64),
                pick(|f| f.tokens.map(|t| t as f64)),
            ),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.duration.is_none() && self.cost.is_none() && self.tokens.is_none()
    }

    /// The claims made, in order: duration, cost, tokens.
    pub fn all(&self) -> impl Iterator<Item = &Comparison> {
        [&self.duration, &self.cost, &self.tokens]
            .into_iter()
            .flatten()
    }
}

/// One figure of this run against the median of the other runs that know it.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub measure: Measure,
    pub this: f64,
    pub median: f64,
    /// The other runs' figures, smallest first.
    pub runs: Vec<f64>,
}

impl Comparison {
    /// `None` when `this` is unknown, fewer than `MIN_RUNS` others know the figure, or
    /// their median is not above 0 (there is no ratio to a zero).
    pub fn of(
        measure: Measure,
        this: Option<f64>,
        others: impl IntoIterator<Item = Option<f64>>,
    ) -> Option<Comparison> {
        let this = this.filter(|value| value.is_finite() && *value >= 0.0)?;
        let mut runs: Vec<f64> = others
            .into_iter()
            .flatten()
            .filter(|value| value.is_finite() && *value >= 0.0)
            .collect();
        if runs.len() < MIN_RUNS {
            return None;
        }
        runs.sort_by(f64::total_cmp);
        let median = median_of_sorted(&runs)?;
        (median > 0.0).then_some(Comparison {
            measure,
            this,
            median,
            runs,
        })
    }

    /// This run's figure over the median.
    pub fn ratio(&self) -> f64 {
        self.this / self.median
    }

    /// How far from the median, in percent (negative below).
    fn percent(&self) -> f64 {
        (self.ratio() - 1.0) * 100.0
    }

    pub fn direction(&self) -> Direction {
        let percent = self.percent();
        if percent.abs() < SAME_WITHIN_PERCENT {
            Direction::Same
        } else if percent > 0.0 {
            Direction::Above
        } else {
            Direction::Below
        }
    }

    /// "38% slower than the median of 6 runs", "2.1× the usual cost", "about as many tokens
    /// as the median of 3 runs".
    pub fn phrase(&self) -> String {
        let runs = self.runs.len();
        let ratio = self.ratio();
        let (usual, more, less, same) = match self.measure {
            Measure::Duration => ("time", "slower", "faster", "about as fast as"),
            Measure::Cost => ("cost", "costlier", "cheaper", "about the same cost as"),
            Measure::Tokens => (
                "tokens",
                "more tokens",
                "fewer tokens",
                "about as many tokens as",
            ),
        };
        let percent = self.percent().abs().round();
        match self.direction() {
            _ if ratio >= MULTIPLIER_FROM => format!("{ratio:.1}× the usual {usual}"),
            Direction::Same => format!("{same} the median of {runs} runs"),
            Direction::Above => format!("{percent}% {more} than the median of {runs} runs"),
            Direction::Below => format!("{percent}% {less} than the median of {runs} runs"),
        }
    }

    /// A mark for a table cell: "+38%", "−12%", "2.1×", "≈".
    pub fn short(&self) -> String {
        let ratio = self.ratio();
        let percent = self.percent().round();
        match self.direction() {
            _ if ratio >= MULTIPLIER_FROM => format!("{ratio:.1}×"),
            Direction::Same => "≈".to_string(),
            Direction::Above => format!("+{percent}%"),
            Direction::Below => format!("−{}%", percent.abs()),
        }
    }

    /// A badge under a figure, where the comparison needs naming: "2.1× usual",
    /// "+38% vs usual", "≈ usual".
    pub fn badge(&self) -> String {
        match self.short().as_str() {
            "≈" => "≈ usual".to_string(),
            short if short.ends_with('×') => format!("{short} usual"),
            short => format!("{short} vs usual"),
        }
    }

    /// The figures behind the claim, for a tooltip: "This run 12.4 s; median of 6 runs
    /// 9.0 s; runs: 8.1 s, 8.7 s, …".
    pub fn detail(&self) -> String {
        let mut listed: Vec<String> = self
            .runs
            .iter()
            .take(DETAIL_RUNS)
            .map(|value| self.format(*value))
            .collect();
        if self.runs.len() > DETAIL_RUNS {
            listed.push("…".to_string());
        }
        format!(
            "This run {}; median of {} runs {}; runs: {}",
            self.format(self.this),
            self.runs.len(),
            self.format(self.median),
            listed.join(", ")
        )
    }

    fn format(&self, value: f64) -> String {
        match self.measure {
            Measure::Duration => format_duration_ns((value * 1e6).round() as i64),
            Measure::Cost => format_cost_usd(value),
            Measure::Tokens => format_count(value.round() as u64),
        }
    }
}

/// The median of sorted figures: the middle one, or the mean of the two middle ones.
fn median_of_sorted(sorted: &[f64]) -> Option<f64> {
    let middle = sorted.len() / 2;
    match sorted.len() {
        0 => None,
        len if len % 2 == 1 => sorted.get(middle).copied(),
        _ => Some((sorted.get(middle - 1)? + sorted.get(middle)?) / 2.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Agent, Cost, CostSource, Step, StepKind, Task, Usage};

    fn secs(values: &[f64]) -> Vec<Option<f64>> {
        values.iter().map(|s| Some(s * 1000.0)).collect()
    }

    fn duration(this_s: f64, runs_s: &[f64]) -> Option<Comparison> {
        Comparison::of(Measure::Duration, Some(this_s * 1000.0), secs(runs_s))
    }

    #[test]
    fn an_odd_count_takes_the_middle_run() {
        // Runs 8, 9, 10 s: the median is 9 s; 12 / 9 = 1.333, so 33% slower.
        let found = duration(12.0, &[10.0, 8.0, 9.0]).expect("three runs");
        assert_eq!(found.median, 9_000.0);
        assert_eq!(found.runs, [8_000.0, 9_000.0, 10_000.0]);
        assert_eq!(found.direction(), Direction::Above);
        assert_eq!(found.phrase(), "33% slower than the median of 3 runs");
        assert_eq!(found.short(), "+33%");
        assert_eq!(found.badge(), "+33% vs usual");
        assert_eq!(
            found.detail(),
            "This run 12.0 s; median of 3 runs 9.0 s; runs: 8.0 s, 9.0 s, 10.0 s"
        );
    }

    #[test]
    fn an_even_count_takes_the_mean_of_the_middle_two() {
        // Runs 8, 9, 10, 11 s: the median is 9.5 s; 12 / 9.5 = 1.263, so 26% slower.
        let found = duration(12.0, &[11.0, 8.0, 10.0, 9.0]).expect("four runs");
        assert_eq!(found.median, 9_500.0);
        assert_eq!(found.phrase(), "26% slower than the median of 4 runs");
        // Two runs are the least: their mean is the median. 8.8 / 10 = 0.88, 12% faster.
        let faster = duration(8.8, &[9.0, 11.0]).expect("two runs");
        assert_eq!(faster.median, 10_000.0);
        assert_eq!(faster.direction(), Direction::Below);
        assert_eq!(faster.phrase(), "12% faster than the median of 2 runs");
        assert_eq!(faster.short(), "−12%");
    }

    #[test]
    fn from_one_and_a_half_times_the_median_a_multiple_is_said() {
        // $0.21 against $0.10 and $0.10: 2.1 times.
        let cost =
            Comparison::of(Measure::Cost, Some(0.21), [Some(0.10), Some(0.10)]).expect("two costs");
        assert_eq!(cost.phrase(), "2.1× the usual cost");
        assert_eq!(cost.short(), "2.1×");
        assert_eq!(cost.badge(), "2.1× usual");
        assert_eq!(
            cost.detail(),
            "This run $0.21; median of 2 runs $0.10; runs: $0.10, $0.10"
        );
        // Just under 1.5 is still a percentage; 1.5 itself is a multiple.
        assert_eq!(
            duration(14.9, &[10.0, 10.0]).map(|c| c.phrase()),
            Some("49% slower than the median of 2 runs".to_string())
        );
        assert_eq!(
            duration(15.0, &[10.0, 10.0]).map(|c| c.phrase()),
            Some("1.5× the usual time".to_string())
        );
        // A cheaper run never reads as a multiple: $0.04 against $0.10 is 60% cheaper.
        let cheaper =
            Comparison::of(Measure::Cost, Some(0.04), [Some(0.10), Some(0.10)]).expect("two costs");
        assert_eq!(cheaper.phrase(), "60% cheaper than the median of 2 runs");
    }

    #[test]
    fn within_five_percent_is_about_the_same() {
        // 1,030 tokens against a median of 1,000: 3% more, said as the same.
        let tokens = Comparison::of(
            Measure::Tokens,
            Some(1_030.0),
            [Some(1_000.0), Some(1_100.0), Some(900.0)],
        )
        .expect("three counts");
        assert_eq!(tokens.direction(), Direction::Same);
        assert_eq!(
            tokens.phrase(),
            "about as many tokens as the median of 3 runs"
        );
        assert_eq!(tokens.short(), "≈");
        assert_eq!(tokens.badge(), "≈ usual");
        // 5% itself is a difference: 10.5 s against 10 s.
        assert_eq!(
            duration(10.5, &[10.0, 10.0]).map(|c| c.phrase()),
            Some("5% slower than the median of 2 runs".to_string())
        );
        assert_eq!(
            duration(9.6, &[10.0, 10.0]).map(|c| c.phrase()),
            Some("about as fast as the median of 2 runs".to_string())
        );
    }

    #[test]
    fn unknown_figures_make_no_claim() {
        // This run's cost unknown.
        assert_eq!(
            Comparison::of(Measure::Cost, None, [Some(0.1), Some(0.2)]),
            None
        );
        // Three runs, but only one knows its cost: fewer than two, no claim.
        assert_eq!(
            Comparison::of(Measure::Cost, Some(0.1), [Some(0.2), None, None]),
            None
        );
        // The unknown run is left out of the median, not read as 0: (0.2 + 0.4) / 2.
        let found = Comparison::of(Measure::Cost, Some(0.3), [Some(0.2), None, Some(0.4)])
            .expect("two known");
        assert_eq!(found.runs.len(), 2);
        assert!((found.median - 0.3).abs() < 1e-12);
        // A median of 0 has no ratio.
        assert_eq!(
            Comparison::of(Measure::Cost, Some(0.1), [Some(0.0), Some(0.0)]),
            None
        );
    }

    fn run(ids: &[&str], name: &str, run: Figures) -> Run {
        Run {
            ids: ids.iter().map(|id| id.to_string()).collect(),
            name: name.into(),
            figures: RunFigures {
                run,
                ..RunFigures::default()
            },
        }
    }

    fn took(duration_s: f64) -> Figures {
        Figures {
            duration_ms: Some(duration_s * 1000.0),
            ..Figures::default()
        }
    }

    #[test]
    fn a_baseline_needs_two_other_runs_of_the_same_name() {
        let this = run(&["a#1"], "Pricing crew", took(12.0));
        // The same run again (open and recent) and another kind do not count.
        let candidates = vec![
            run(&["a#1", "key-a"], "Pricing crew", took(1.0)),
            run(&["b#1"], "Other crew", took(2.0)),
            run(&["c#1"], "  pricing   CREW ", took(10.0)),
        ];
        assert_eq!(Baseline::of(&this, candidates.clone()), None);
        // A second run of the kind makes a baseline; a run seen twice counts once (the
        // first seen is kept), whichever of its ids is shared.
        let mut more = candidates;
        more.push(run(&["d#1", "key-d"], "Pricing crew", took(8.0)));
        more.push(run(&["key-d"], "Pricing crew", took(100.0)));
        let baseline = Baseline::of(&this, more).expect("two runs");
        assert_eq!(baseline.runs.len(), 2);
        let time = baseline.run().duration.expect("durations known");
        assert_eq!(time.median, 9_000.0);
        assert_eq!(time.phrase(), "33% slower than the median of 2 runs");
        // Cost and tokens are unknown everywhere: no claim.
        assert_eq!(baseline.run().cost, None);
        assert_eq!(baseline.run().tokens, None);
    }

    #[test]
    fn names_match_once_trimmed_lower_cased_and_spaced() {
        assert_eq!(
            kind_key("  Pricing \t strategy  CREW "),
            "pricing strategy crew"
        );
        assert_ne!(kind_key("Pricing crew"), kind_key("Pricing crew 2"));
    }

    fn step(id: &str, agent: &str, task: &str, span_s: (i64, i64), cost: Option<f64>) -> Step {
        Step {
            id: id.into(),
            agent_id: Some(agent.into()),
            task_id: Some(task.into()),
            kind: StepKind::LlmCall,
            start_ns: Some(span_s.0 * 1_000_000_000),
            end_ns: Some(span_s.1 * 1_000_000_000),
            usage: Usage {
                input_tokens: Some(100),
                output_tokens: Some(10),
                ..Usage::default()
            },
            cost: cost.map(|usd| Cost {
                usd,
                source: CostSource::Stated,
            }),
            ..Step::default()
        }
    }

    fn task(id: &str, name: &str, agent: &str, span_s: (i64, i64)) -> Task {
        Task {
            id: id.into(),
            name: name.into(),
            agent_id: Some(agent.into()),
            start_ns: Some(span_s.0 * 1_000_000_000),
            end_ns: Some(span_s.1 * 1_000_000_000),
            ..Task::default()
        }
    }

    fn agent(id: &str, role: &str) -> Agent {
        Agent {
            id: id.into(),
            role: role.into(),
            goal: None,
            backstory: None,
            version: None,
            models: Vec::new(),
        }
    }

    fn crew() -> Trace {
        Trace {
            id: "t".into(),
            name: "Crew".into(),
            start_ns: Some(0),
            end_ns: Some(60_000_000_000),
            agents: vec![
                agent("a1", "Researcher"),
                agent("a2", "Writer"),
                agent("a3", "Writer"),
            ],
            tasks: vec![
                task("t1", "Research", "a1", (0, 20)),
                task("t2", "Draft", "a2", (20, 40)),
                task("t3", "Draft", "a3", (40, 60)),
            ],
            steps: vec![
                // The researcher's calls overlap (2–10 s and 5–12 s) then resume at 15 s:
                // busy 2–12 and 15–18, so 13 s.
                step("s1", "a1", "t1", (2, 10), Some(0.01)),
                step("s2", "a1", "t1", (5, 12), Some(0.02)),
                step("s3", "a1", "t1", (15, 18), None),
                step("s4", "a2", "t2", (20, 30), Some(0.05)),
                step("s5", "a3", "t3", (40, 50), Some(0.05)),
            ],
            kind: Default::default(),
            status: Status::Completed,
            input: None,
            final_output: None,
            metadata: Default::default(),
            source_format: crate::model::SourceFormat::Otlp,
            repairs: vec![],
            links: Default::default(),
            notes: Default::default(),
        }
    }

    #[test]
    fn a_run_s_figures_count_busy_time_once_and_partial_costs_as_unknown() {
        let figures = RunFigures::of(&crew());
        assert_eq!(figures.run.duration_ms, Some(60_000.0));
        // One call has no cost: the run's cost is partial, so unknown to a baseline.
        assert_eq!(figures.run.cost_usd, None);
        assert_eq!(figures.run.tokens, Some(550));
        // Two agents share the role "Writer" and two tasks the name "Draft": left out.
        assert_eq!(
            figures.agents,
            [PartFigures {
                name: "Researcher".into(),
                figures: Figures {
                    duration_ms: Some(13_000.0),
                    cost_usd: None,
                    tokens: Some(330),
                },
            }]
        );
        let tasks: Vec<&str> = figures.tasks.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(tasks, ["Research"]);
        assert_eq!(figures.tasks[0].figures.duration_ms, Some(20_000.0));
        // A run still running has nothing to compare yet.
        let mut running = crew();
        running.status = Status::Running;
        assert_eq!(RunFigures::of(&running), RunFigures::default());
    }

    #[test]
    fn the_busy_time_of_spans_counts_overlaps_once() {
        assert_eq!(union_ns(vec![(30, 40), (0, 10), (5, 20)]), Some(30));
        assert_eq!(union_ns(vec![(0, 10), (10, 15)]), Some(15));
        assert_eq!(union_ns(Vec::new()), None);
    }

    #[test]
    fn only_the_longest_parts_are_kept() {
        let parts = (0..MAX_PARTS + 10)
            .map(|index| PartFigures {
                name: format!("task {index:03}"),
                figures: took(index as f64),
            })
            .collect();
        let kept = kept_parts(parts);
        assert_eq!(kept.len(), MAX_PARTS);
        // The ten shortest (0–9 s) go; the rest stay, by name.
        assert_eq!(kept[0].name, "task 010");
        assert_eq!(
            kept[MAX_PARTS - 1].name,
            format!("task {:03}", MAX_PARTS + 9)
        );
    }

    #[test]
    fn tasks_and_agents_compare_with_the_runs_that_have_them() {
        let part = |name: &str, duration_s: f64| PartFigures {
            name: name.into(),
            figures: took(duration_s),
        };
        let with_parts = |ids: &[&str], research_s: f64| Run {
            ids: ids.iter().map(|id| id.to_string()).collect(),
            name: "Crew".into(),
            figures: RunFigures {
                run: took(60.0),
                agents: vec![part("Researcher", research_s)],
                tasks: vec![part("Research", research_s)],
            },
        };
        let this = with_parts(&["this"], 30.0);
        // Runs with 10 and 30 s, and one (an old entry) without parts: median 20 s.
        let old = run(&["old"], "Crew", took(60.0));
        let baseline = Baseline::of(
            &this,
            [with_parts(&["a"], 10.0), old, with_parts(&["b"], 30.0)],
        )
        .expect("three runs");
        let research = baseline
            .task("Research")
            .duration
            .expect("two runs have it");
        assert_eq!(research.runs.len(), 2);
        assert_eq!(research.phrase(), "1.5× the usual time");
        assert_eq!(
            baseline.agent("Researcher").duration.map(|c| c.median),
            Some(20_000.0)
        );
        // The whole run counts all three: 60 s each.
        assert_eq!(
            baseline.run().duration.map(|c| c.phrase()),
            Some("about as fast as the median of 3 runs".to_string())
        );
        assert!(baseline.task("Unknown task").is_empty());
    }
}
