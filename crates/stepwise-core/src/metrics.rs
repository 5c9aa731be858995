//! Pure derivations from a `Trace`: the execution summary and per-task figures. Pure core.

use serde::Serialize;

use crate::model::{CostSource, Status, StepKind, Tally, Trace};

/// The figures of the execution summary. Token and cost sums are `Tally`s: a call that
/// records no count (or has no price) is counted as unknown, never as 0.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Summary {
    pub total_tokens: Tally<u64>,
    pub prompt_tokens: Tally<u64>,
    pub completion_tokens: Tally<u64>,
    pub cached_prompt_tokens: Tally<u64>,
    pub cache_write_tokens: Tally<u64>,
    pub reasoning_tokens: Tally<u64>,
    /// LLM calls.
    pub requests: u64,
    /// True when `total_tokens` is the trace's own stated total (CrewAI's
    /// `crew_kickoff_completed.total_tokens`) because its calls carry no usage.
    pub tokens_stated_by_trace: bool,
    pub duration_ns: Option<i64>,
    pub cost_usd: Tally<f64>,
    /// True when any part of `cost_usd` was estimated rather than stated by the trace.
    pub cost_estimated: bool,
    /// LLM calls whose cost was estimated from prices.
    pub estimated_calls: u64,
    /// LLM calls with no cost, so `cost_usd` is partial or unknown.
    pub calls_without_cost: u64,
    /// LLM calls that record no token counts.
    pub calls_without_tokens: u64,
    /// True when `cost_usd` is the sum of the priced calls only (JSON readers: the
    /// figure is a lower bound; `calls_without_cost` says how many are left out).
    pub cost_partial: bool,
    /// True when `total_tokens` is the sum of the counted calls only.
    pub tokens_partial: bool,
    /// Models of the calls with tokens but no cost: the table has no price for them.
    /// "(no model)" for calls that name none.
    pub unpriced_models: Vec<String>,
    pub agents: usize,
    pub tasks: usize,
    pub steps: usize,
    pub tool_calls: usize,
    pub errors: usize,
}

/// Trace metadata key under which an importer keeps a token total the trace stated.
pub const STATED_TOTAL_TOKENS: &str = "stated_total_tokens";

/// What a model-less call is listed as among `unpriced_models`.
pub const NO_MODEL: &str = "(no model)";

/// Tokens and cost are summed over LLM calls only: a parent span that repeats
/// its child's usage must not count it twice.
pub fn summarize(trace: &Trace) -> Summary {
    let mut summary = Summary {
        agents: trace.agents.len(),
        tasks: trace.tasks.len(),
        steps: trace.steps.len(),
        duration_ns: trace.duration_ns().or_else(|| span_of_steps(trace)),
        ..Summary::default()
    };
    let mut unpriced: std::collections::BTreeSet<&str> = Default::default();
    for step in &trace.steps {
        match step.kind {
            // An embedding call is billed by tokens like an LLM call.
            kind if kind.is_model_call() => {
                summary.requests += 1;
                let usage = &step.usage;
                summary.prompt_tokens.add(usage.input_tokens);
                summary.completion_tokens.add(usage.output_tokens);
                summary.total_tokens.add(usage.total_tokens());
                // A part the call does not break out is unknown only if the call's
                // input (or output) is: a count of 200 with no cache detail has no
                // cached tokens we could show.
                summary
                    .cached_prompt_tokens
                    .add(usage.cached_input_tokens.or(usage.input_tokens.map(|_| 0)));
                summary
                    .cache_write_tokens
                    .add(usage.cache_write_tokens.or(usage.input_tokens.map(|_| 0)));
                summary
                    .reasoning_tokens
                    .add(usage.reasoning_tokens.or(usage.output_tokens.map(|_| 0)));
                if usage.is_unknown() {
                    summary.calls_without_tokens += 1;
                }
                summary.cost_usd.add(step.cost.map(|cost| cost.usd));
                match step.cost {
                    Some(cost) => {
                        if cost.source == CostSource::Estimated {
                            summary.cost_estimated = true;
                            summary.estimated_calls += 1;
                        }
                    }
                    None => {
                        summary.calls_without_cost += 1;
                        if !usage.is_unknown() {
                            unpriced.insert(step.model.as_deref().unwrap_or(NO_MODEL));
                        }
                    }
                }
            }
            StepKind::ToolCall => summary.tool_calls += 1,
            _ => {}
        }
        if step.status == Status::Failed || step.kind == StepKind::Error {
            summary.errors += 1;
        }
    }
    summary.unpriced_models = unpriced.into_iter().map(str::to_string).collect();
    summary.cost_partial = summary.cost_usd.is_partial();
    // Older CrewAI clients send no per-call usage, only the run's total: show that total,
    // with prompt and completion unknown (not 0).
    if summary.total_tokens.known_parts == 0 {
        if let Some(stated) = trace
            .metadata
            .get(STATED_TOTAL_TOKENS)
            .and_then(serde_json::Value::as_u64)
        {
            summary.total_tokens = Tally::stated(stated);
            summary.tokens_stated_by_trace = true;
            let calls = summary.requests.max(1);
            for part in [
                &mut summary.prompt_tokens,
                &mut summary.completion_tokens,
                &mut summary.cached_prompt_tokens,
                &mut summary.cache_write_tokens,
                &mut summary.reasoning_tokens,
            ] {
                if part.known_parts == 0 {
                    *part = Tally::unknown(calls);
                }
            }
        }
    }
    summary.tokens_partial = summary.total_tokens.is_partial();
    summary
}

impl Summary {
    /// Why the cost is unknown or partial, for a tooltip; `None` when it is complete.
    pub fn cost_note(&self) -> Option<String> {
        if self.calls_without_cost == 0 {
            return None;
        }
        let untokened = self.calls_without_tokens.min(self.calls_without_cost);
        let priced_missing = self.calls_without_cost - untokened;
        let mut reasons = Vec::new();
        if priced_missing > 0 {
            reasons.push(format!(
                "{} {} models with no known price: {}",
                plural_calls(priced_missing),
                if priced_missing == 1 { "uses" } else { "use" },
                self.unpriced_models.join(", ")
            ));
        }
        if untokened > 0 {
            reasons.push(format!(
                "{} {} no tokens, so {} cost is unknown",
                plural_calls(untokened),
                if untokened == 1 { "records" } else { "record" },
                if untokened == 1 { "its" } else { "their" }
            ));
        }
        let mut note = reasons.join("; ");
        if self.cost_usd.is_partial() {
            note.push_str(". The sum shown is of the priced calls only.");
        } else {
            note.push('.');
        }
        Some(note)
    }

    /// Why token counts are unknown or partial, for a tooltip; `None` when complete.
    pub fn tokens_note(&self) -> Option<String> {
        if self.tokens_stated_by_trace {
            return Some(
                "This trace records only a run total of tokens, not prompt and completion per call."
                    .to_string(),
            );
        }
        if self.calls_without_tokens == 0 && !self.total_tokens.is_partial() {
            return None;
        }
        let missing = self.total_tokens.unknown_parts;
        Some(format!(
            "{} {} no token counts{}",
            plural_calls(missing),
            if missing == 1 { "records" } else { "record" },
            if self.total_tokens.is_partial() {
                ". The sum shown is of the other calls only."
            } else {
                "."
            }
        ))
    }
}

/// A hover for a sum with unknown parts: "3 LLM calls record no tokens"; `None` when
/// every part is known. `what` is said of the calls in the plural.
pub fn tally_note(unknown_parts: u64, what: &str) -> Option<String> {
    match unknown_parts {
        0 => None,
        1 => Some(format!(
            "1 LLM call {}",
            what.replacen("record ", "records ", 1)
                .replacen("have ", "has ", 1)
        )),
        count => Some(format!("{count} LLM calls {what}")),
    }
}

/// "1 LLM call", "3 LLM calls".
pub fn plural_calls(count: u64) -> String {
    crate::format::plural(count as usize, "LLM call")
}

/// One row of the tasks table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TaskFigures {
    /// Index into `trace.tasks`.
    pub task: usize,
    pub agent_role: Option<String>,
    /// Models of the task's LLM calls, sorted, without duplicates.
    pub models: Vec<String>,
    pub start_ns: Option<i64>,
    pub duration_ns: Option<i64>,
    pub total_tokens: Tally<u64>,
    pub cost_usd: Tally<f64>,
    pub llm_calls: u64,
    pub errors: u64,
}

/// Figures per task, in the trace's task order, from the LLM calls that name the task.
pub fn task_figures(trace: &Trace) -> Vec<TaskFigures> {
    let mut rows: Vec<TaskFigures> = trace
        .tasks
        .iter()
        .enumerate()
        .map(|(index, task)| TaskFigures {
            task: index,
            agent_role: task
                .agent_id
                .as_deref()
                .and_then(|id| trace.agent(id))
                .map(|agent| agent.role.clone()),
            models: Vec::new(),
            start_ns: task.start_ns,
            duration_ns: task
                .end_ns
                .zip(task.start_ns)
                .map(|(end, start)| end.saturating_sub(start)),
            total_tokens: Tally::default(),
            cost_usd: Tally::default(),
            llm_calls: 0,
            errors: 0,
        })
        .collect();
    let links = trace.links();
    for (step, task) in trace.steps.iter().zip(&links.task) {
        let Some(row) = *task else {
            continue;
        };
        let row = &mut rows[row];
        if step.kind.is_model_call() {
            row.llm_calls += 1;
            row.total_tokens.add(step.usage.total_tokens());
            row.cost_usd.add(step.cost.map(|cost| cost.usd));
            if let Some(model) = &step.model {
                row.models.push(model.clone());
            }
        }
        if step.status == Status::Failed || step.kind == StepKind::Error {
            row.errors += 1;
        }
    }
    for row in &mut rows {
        row.models.sort();
        row.models.dedup();
    }
    rows
}

/// Figures of one model across the trace's LLM calls.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModelFigures {
    pub model: String,
    pub calls: u64,
    pub prompt_tokens: Tally<u64>,
    pub completion_tokens: Tally<u64>,
    pub total_tokens: Tally<u64>,
    pub cost_usd: Tally<f64>,
    pub cost_estimated: bool,
    /// Time spent in this model's calls, summed (parallel calls each count).
    pub duration_ns: i64,
    pub errors: u64,
}

/// Figures per model, most expensive first (then by name), so the costly model leads.
pub fn model_figures(trace: &Trace) -> Vec<ModelFigures> {
    let mut by_model: std::collections::BTreeMap<&str, ModelFigures> = Default::default();
    for step in trace.steps.iter().filter(|s| s.kind.is_model_call()) {
        let model = step.model.as_deref().unwrap_or("(unknown model)");
        let row = by_model.entry(model).or_insert_with(|| ModelFigures {
            model: model.to_string(),
            calls: 0,
            prompt_tokens: Tally::default(),
            completion_tokens: Tally::default(),
            total_tokens: Tally::default(),
            cost_usd: Tally::default(),
            cost_estimated: false,
            duration_ns: 0,
            errors: 0,
        });
        row.calls += 1;
        row.prompt_tokens.add(step.usage.input_tokens);
        row.completion_tokens.add(step.usage.output_tokens);
        row.total_tokens.add(step.usage.total_tokens());
        row.cost_usd.add(step.cost.map(|cost| cost.usd));
        if let Some(cost) = step.cost {
            row.cost_estimated |= cost.source == CostSource::Estimated;
        }
        row.duration_ns = row
            .duration_ns
            .saturating_add(step.duration_ns().unwrap_or(0).max(0));
        if step.status == Status::Failed {
            row.errors += 1;
        }
    }
    let mut rows: Vec<ModelFigures> = by_model.into_values().collect();
    rows.sort_by(|a, b| {
        b.cost_usd
            .known
            .partial_cmp(&a.cost_usd.known)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.model.cmp(&b.model))
    });
    rows
}

/// A column of the tasks table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskColumn {
    Name,
    Agent,
    Models,
    Status,
    Start,
    Duration,
    Tokens,
    Cost,
}

/// Sorts rows by a column. Missing values sort last in either direction, and ties
/// keep the trace's task order, so a sort is stable and predictable.
pub fn sort_task_rows(
    trace: &Trace,
    rows: &mut [TaskFigures],
    column: TaskColumn,
    ascending: bool,
) {
    use std::cmp::Ordering;
    fn missing_last<T: PartialOrd>(a: &Option<T>, b: &Option<T>, ascending: bool) -> Ordering {
        match (a, b) {
            (Some(a), Some(b)) => {
                let order = a.partial_cmp(b).unwrap_or(Ordering::Equal);
                if ascending {
                    order
                } else {
                    order.reverse()
                }
            }
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }
    rows.sort_by(|a, b| {
        let name = |row: &TaskFigures| Some(trace.tasks[row.task].name.to_lowercase());
        let order = match column {
            TaskColumn::Name => missing_last(&name(a), &name(b), ascending),
            TaskColumn::Agent => missing_last(&a.agent_role, &b.agent_role, ascending),
            TaskColumn::Models => {
                let first = |row: &TaskFigures| row.models.first().cloned();
                missing_last(&first(a), &first(b), ascending)
            }
            TaskColumn::Status => {
                let status = |row: &TaskFigures| Some(trace.tasks[row.task].status);
                missing_last(&status(a), &status(b), ascending)
            }
            TaskColumn::Start => missing_last(&a.start_ns, &b.start_ns, ascending),
            TaskColumn::Duration => missing_last(&a.duration_ns, &b.duration_ns, ascending),
            TaskColumn::Tokens => {
                missing_last(&a.total_tokens.value(), &b.total_tokens.value(), ascending)
            }
            TaskColumn::Cost => missing_last(&a.cost_usd.value(), &b.cost_usd.value(), ascending),
        };
        order.then(a.task.cmp(&b.task))
    });
}

/// When the trace has no times of its own, its steps still span a period.
fn span_of_steps(trace: &Trace) -> Option<i64> {
    let start = trace.steps.iter().filter_map(|step| step.start_ns).min()?;
    let end = trace.steps.iter().filter_map(|step| step.end_ns).max()?;
    (end >= start).then_some(end - start)
}

/// Human-readable duration with a unit that suits its size: "850 ms", "12.4 s", "3 min 05 s".
pub fn format_duration_ns(duration_ns: i64) -> String {
    let duration_ms = duration_ns as f64 / 1e6;
    if duration_ns == 0 {
        "0 ms".to_string()
    } else if duration_ms < 1.0 {
        format!("{:.0} µs", duration_ns as f64 / 1e3)
    } else if duration_ms < 1_000.0 {
        format!("{duration_ms:.0} ms")
    } else if duration_ms < 60_000.0 {
        format!("{:.1} s", duration_ms / 1e3)
    } else {
        let total_secs = (duration_ms / 1e3).round() as i64;
        let (hours, minutes, secs) = (total_secs / 3600, total_secs / 60 % 60, total_secs % 60);
        if hours > 0 {
            format!("{hours} h {minutes:02} min")
        } else {
            format!("{minutes} min {secs:02} s")
        }
    }
}

/// Dollars with precision that suits agent runs, where calls cost fractions of a cent.
pub fn format_cost_usd(cost_usd: f64) -> String {
    if cost_usd == 0.0 {
        "$0".to_string()
    } else if cost_usd < 0.01 {
        format!("${cost_usd:.4}")
    } else {
        format!("${cost_usd:.2}")
    }
}

/// What an unknown figure is shown as, everywhere: never 0 or $0.
pub const UNKNOWN: &str = "—";

/// A cost sum for people: "$0.41", "—" when no part is priced, and
/// "$0.41 + 3 calls unpriced" when only some are.
pub fn format_cost_tally(cost: &Tally<f64>) -> String {
    match cost.value() {
        None => UNKNOWN.to_string(),
        Some(usd) if cost.is_partial() => {
            format!(
                "{} + {} unpriced",
                format_cost_usd(usd),
                calls(cost.unknown_parts)
            )
        }
        Some(usd) => format_cost_usd(usd),
    }
}

/// A token sum for people: "1,234", "—", or "1,234 + 2 calls uncounted".
pub fn format_count_tally(tokens: &Tally<u64>) -> String {
    match tokens.value() {
        None => UNKNOWN.to_string(),
        Some(count) if tokens.is_partial() => format!(
            "{} + {} uncounted",
            format_count(count),
            calls(tokens.unknown_parts)
        ),
        Some(count) => format_count(count),
    }
}

/// A cost sum as a value and, when part is unknown, what is missing, for two-line cells:
/// ("$0.41", Some("+ 3 calls unpriced")), ("—", Some("unknown")), ("$0.41", None).
pub fn cost_tally_lines(cost: &Tally<f64>) -> (String, Option<String>) {
    tally_lines(cost.value().map(format_cost_usd), cost, "unpriced")
}

/// A token sum as a value and what is missing: ("1,234", Some("+ 1 call uncounted")).
pub fn count_tally_lines(tokens: &Tally<u64>) -> (String, Option<String>) {
    tally_lines(tokens.value().map(format_count), tokens, "uncounted")
}

fn tally_lines<T: Copy>(
    value: Option<String>,
    tally: &Tally<T>,
    missing: &str,
) -> (String, Option<String>) {
    match value {
        None => (UNKNOWN.to_string(), Some("unknown".to_string())),
        Some(value) if tally.is_partial() => (
            value,
            Some(format!("+ {} {missing}", calls(tally.unknown_parts))),
        ),
        Some(value) => (value, None),
    }
}

/// An optional count for people: "1,234" or "—".
pub fn format_count_opt(count: Option<u64>) -> String {
    count.map_or_else(|| UNKNOWN.to_string(), format_count)
}

fn calls(count: u64) -> String {
    crate::format::plural(count as usize, "call")
}

/// Token counts with thousands separators: 12,345.
pub fn format_count(count: u64) -> String {
    let digits = count.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_pick_a_readable_unit() {
        assert_eq!(format_duration_ns(420_000), "420 µs");
        assert_eq!(format_duration_ns(850_000_000), "850 ms");
        assert_eq!(format_duration_ns(12_400_000_000), "12.4 s");
        assert_eq!(format_duration_ns(185_000_000_000), "3 min 05 s");
        assert_eq!(format_duration_ns(7_260_000_000_000), "2 h 01 min");
    }

    #[test]
    fn costs_keep_fractions_of_a_cent() {
        assert_eq!(format_cost_usd(0.0), "$0");
        assert_eq!(format_cost_usd(0.00123), "$0.0012");
        assert_eq!(format_cost_usd(1.5), "$1.50");
    }

    #[test]
    fn unknown_and_partial_sums_say_so() {
        let mut cost = Tally::<f64>::default();
        assert_eq!(
            format_cost_tally(&cost),
            "$0",
            "an empty sum is a known zero"
        );
        cost.add(None);
        assert_eq!(format_cost_tally(&cost), "—");
        cost.add(Some(0.41));
        cost.add(None);
        cost.add(None);
        assert_eq!(format_cost_tally(&cost), "$0.41 + 3 calls unpriced");
        let mut tokens = Tally::<u64>::default();
        tokens.add(None);
        assert_eq!(format_count_tally(&tokens), "—");
        tokens.add(Some(1234));
        assert_eq!(format_count_tally(&tokens), "1,234 + 1 call uncounted");
    }

    #[test]
    fn counts_get_separators() {
        assert_eq!(format_count(0), "0");
        assert_eq!(format_count(999), "999");
        assert_eq!(format_count(1000), "1,000");
        assert_eq!(format_count(1234567), "1,234,567");
    }
}
