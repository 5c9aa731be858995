//! Search and filter within a trace: a query (parsed from a compact string) and the
//! steps it matches in reading order, with next/previous stepping. Pure core.
//!
//! Query syntax: space-separated terms, all of which must hold.
//! - `kind:tool_call` (or `llm_call,reasoning`…), `agent:writer` (id or role),
//!   `model:gpt-4o`, `status:failed` — repeated or comma-separated values are
//!   alternatives; agent and model match any part of the name, ignoring case;
//! - `dur>2s`, `dur<=500ms` (units ms, s, min, h; a bare number is ms), `cost>0.01`
//!   (dollars; a step without a cost costs 0); `>`/`<` are strict, `>=`/`<=` are not;
//! - any other word, or a "quoted phrase", must appear, ignoring case, in the step's
//!   name, input or output text (the JSON as written, not parsed), or error message.

use crate::model::{Status, Step, StepKind, Trace};
use crate::tree::{next_matching, step_rows, StepRow};

/// One end of a range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bound {
    pub value: f64,
    pub inclusive: bool,
}

impl Bound {
    fn below(self, value: f64) -> bool {
        value < self.value || (self.inclusive && value == self.value)
    }
    fn above(self, value: f64) -> bool {
        value > self.value || (self.inclusive && value == self.value)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Query {
    /// Words and phrases, lower-cased; each must appear.
    pub text: Vec<String>,
    pub kinds: Vec<StepKind>,
    /// Lower-cased parts of agent ids or roles.
    pub agents: Vec<String>,
    /// Lower-cased parts of model names.
    pub models: Vec<String>,
    pub statuses: Vec<Status>,
    pub min_duration_ms: Option<Bound>,
    pub max_duration_ms: Option<Bound>,
    pub min_cost_usd: Option<Bound>,
    pub max_cost_usd: Option<Bound>,
}

impl Query {
    /// True when the query asks for nothing (every step matches).
    pub fn is_empty(&self) -> bool {
        *self == Query::default()
    }

    /// Parses the compact syntax above. The error names the term and what was expected.
    pub fn parse(input: &str) -> Result<Query, String> {
        let mut query = Query::default();
        for term in terms(input)? {
            match term {
                Term::Text(text) => query.text.push(text.to_lowercase()),
                Term::Field(field, values) => query.add_field(&field, &values)?,
                Term::Compare(field, op, value) => query.add_bound(&field, &op, &value)?,
            }
        }
        Ok(query)
    }

    fn add_field(&mut self, field: &str, values: &str) -> Result<(), String> {
        for value in values.split(',').filter(|v| !v.is_empty()) {
            let lower = value.to_lowercase();
            match field {
                "kind" => self.kinds.push(parse_kind(&lower)?),
                "agent" => self.agents.push(lower),
                "model" => self.models.push(lower),
                "status" => self.statuses.push(parse_status(&lower)?),
                _ => {
                    return Err(format!(
                        "Unknown filter \"{field}:\"; use kind:, agent:, model:, status:, dur> or cost>, or quote the text to search for it."
                    ))
                }
            }
        }
        if values.split(',').all(str::is_empty) {
            return Err(format!(
                "\"{field}:\" needs a value, e.g. {field}:{}",
                example(field)
            ));
        }
        Ok(())
    }

    fn add_bound(&mut self, field: &str, op: &str, value: &str) -> Result<(), String> {
        let number = match field {
            "dur" | "duration" => parse_duration_ms(value)?,
            "cost" => parse_cost_usd(value)?,
            _ => {
                return Err(format!(
                    "Unknown comparison \"{field}{op}\"; only dur and cost compare, e.g. dur>2s or cost>0.01."
                ))
            }
        };
        let bound = Bound {
            value: number,
            inclusive: op.ends_with('='),
        };
        let slot = match (field, op.starts_with('>')) {
            ("cost", true) => &mut self.min_cost_usd,
            ("cost", false) => &mut self.max_cost_usd,
            (_, true) => &mut self.min_duration_ms,
            (_, false) => &mut self.max_duration_ms,
        };
        *slot = Some(bound);
        Ok(())
    }

    /// Whether `step` satisfies every part of the query.
    pub fn matches_step(&self, trace: &Trace, step: &Step) -> bool {
        self.matches_fields(trace, step) && self.matches_ranges(step) && self.matches_text(step)
    }

    fn matches_fields(&self, trace: &Trace, step: &Step) -> bool {
        let kind = self.kinds.is_empty() || self.kinds.contains(&step.kind);
        let status = self.statuses.is_empty() || self.statuses.contains(&step.status);
        let model = self.models.is_empty()
            || step.model.as_deref().is_some_and(|model| {
                self.models
                    .iter()
                    .any(|wanted| contains_ignoring_case(model, wanted))
            });
        let agent = self.agents.is_empty()
            || step.agent_id.as_deref().is_some_and(|id| {
                let role = trace.agent(id).map_or("", |agent| agent.role.as_str());
                self.agents.iter().any(|wanted| {
                    contains_ignoring_case(id, wanted) || contains_ignoring_case(role, wanted)
                })
            });
        kind && status && model && agent
    }

    fn matches_ranges(&self, step: &Step) -> bool {
        let duration_ms = step.duration_ns().map(|ns| ns as f64 / 1e6);
        let cost_usd = step.cost.map_or(0.0, |cost| cost.usd);
        let in_range = |value: f64, min: Option<Bound>, max: Option<Bound>| {
            min.is_none_or(|b| b.above(value)) && max.is_none_or(|b| b.below(value))
        };
        let duration_wanted = self.min_duration_ms.is_some() || self.max_duration_ms.is_some();
        let duration = match duration_ms {
            Some(ms) => in_range(ms, self.min_duration_ms, self.max_duration_ms),
            // A step without a duration (running, or broken times) has none to compare.
            None => !duration_wanted,
        };
        duration && in_range(cost_usd, self.min_cost_usd, self.max_cost_usd)
    }

    fn matches_text(&self, step: &Step) -> bool {
        self.text.iter().all(|word| {
            contains_ignoring_case(&step.name, word)
                || step
                    .input
                    .as_ref()
                    .is_some_and(|input| contains_ignoring_case(input.text(), word))
                || step
                    .output
                    .as_ref()
                    .is_some_and(|output| contains_ignoring_case(output.text(), word))
                || step.error.as_ref().is_some_and(|error| {
                    contains_ignoring_case(&error.message, word)
                        || error
                            .error_type
                            .as_deref()
                            .is_some_and(|kind| contains_ignoring_case(kind, word))
                })
        })
    }
}

fn example(field: &str) -> &'static str {
    match field {
        "kind" => "tool_call",
        "status" => "failed",
        "model" => "gpt-4o",
        _ => "writer",
    }
}

fn parse_kind(value: &str) -> Result<StepKind, String> {
    StepKind::ALL
        .iter()
        .copied()
        .find(|kind| kind.key() == value || kind.key().replace('_', "") == value)
        .ok_or_else(|| {
            let known: Vec<&str> = StepKind::ALL.iter().map(|kind| kind.key()).collect();
            format!("Unknown kind \"{value}\"; use one of {}.", known.join(", "))
        })
}

fn parse_status(value: &str) -> Result<Status, String> {
    [Status::Completed, Status::Running, Status::Failed]
        .into_iter()
        .find(|status| status.label() == value)
        .ok_or_else(|| format!("Unknown status \"{value}\"; use completed, running or failed."))
}

fn parse_duration_ms(value: &str) -> Result<f64, String> {
    let split = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let scale = match unit {
        "" | "ms" => 1.0,
        "s" | "sec" => 1e3,
        "m" | "min" => 60e3,
        "h" => 3600e3,
        _ => {
            return Err(format!(
                "Unknown duration unit \"{unit}\" in \"{value}\"; use ms, s, min or h, e.g. dur>2s."
            ))
        }
    };
    let number: f64 = number
        .parse()
        .map_err(|_| format!("\"{value}\" is not a duration; write e.g. dur>2s or dur<500ms."))?;
    Ok(number * scale)
}

fn parse_cost_usd(value: &str) -> Result<f64, String> {
    value
        .trim_start_matches('$')
        .parse::<f64>()
        .ok()
        .filter(|cost| cost.is_finite())
        .ok_or_else(|| format!("\"{value}\" is not an amount in dollars; write e.g. cost>0.01."))
}

enum Term {
    Text(String),
    Field(String, String),
    Compare(String, String, String),
}

/// Splits the input into terms; quotes keep a phrase (or a `field:"a b"` value) together.
fn terms(input: &str) -> Result<Vec<Term>, String> {
    let mut words: Vec<(String, bool)> = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut in_quotes = false;
    for c in input.chars() {
        match c {
            '"' => {
                // A word that opens with a quote is text, whatever it holds ("a:b").
                quoted |= !in_quotes && current.is_empty();
                in_quotes = !in_quotes;
            }
            c if c.is_whitespace() && !in_quotes => {
                if !current.is_empty() || quoted {
                    words.push((std::mem::take(&mut current), quoted));
                }
                quoted = false;
            }
            c => current.push(c),
        }
    }
    if in_quotes {
        return Err("A quote is not closed.".to_string());
    }
    if !current.is_empty() || quoted {
        words.push((current, quoted));
    }
    words
        .into_iter()
        .filter(|(word, _)| !word.is_empty())
        .map(|(word, quoted)| term(word, quoted))
        .collect()
}

fn term(word: String, quoted: bool) -> Result<Term, String> {
    let name_end = word
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(word.len());
    let (name, rest) = word.split_at(name_end);
    if name.is_empty() || quoted {
        return Ok(Term::Text(word));
    }
    let name = name.to_lowercase();
    if let Some(value) = rest.strip_prefix(':') {
        return Ok(Term::Field(name, value.to_string()));
    }
    for op in [">=", "<=", ">", "<"] {
        if let Some(value) = rest.strip_prefix(op) {
            if value.is_empty() {
                return Err(format!("\"{word}\" needs a value after {op}, e.g. dur>2s."));
            }
            return Ok(Term::Compare(name, op.to_string(), value.to_string()));
        }
    }
    Ok(Term::Text(word))
}

/// Finds `needle_lower` (already lower-case) in `haystack` ignoring case, without
/// copying the haystack when the needle is ASCII (the common case, and the fast one).
pub fn contains_ignoring_case(haystack: &str, needle_lower: &str) -> bool {
    if needle_lower.is_empty() {
        return true;
    }
    if !needle_lower.is_ascii() {
        return haystack.to_lowercase().contains(needle_lower);
    }
    let needle = needle_lower.as_bytes();
    let first = needle[0];
    haystack.as_bytes().windows(needle.len()).any(|window| {
        window[0].to_ascii_lowercase() == first && window.eq_ignore_ascii_case(needle)
    })
}

/// The steps matching `query`, in reading order (the step tree's depth-first order).
pub fn matches(trace: &Trace, query: &Query) -> Vec<usize> {
    matches_in(trace, &step_rows(trace), query)
}

/// As `matches`, with the rows the caller already has.
pub fn matches_in(trace: &Trace, rows: &[StepRow], query: &Query) -> Vec<usize> {
    rows.iter()
        .map(|row| row.step)
        .filter(|&step| {
            trace
                .steps
                .get(step)
                .is_some_and(|s| query.matches_step(trace, s))
        })
        .collect()
}

/// The match after (or before) the step `current` in reading order, wrapping around;
/// the first (or last) match when nothing is selected. `current` need not be a match.
pub fn next_match(
    rows: &[StepRow],
    matched: &[usize],
    current: Option<usize>,
    forward: bool,
) -> Option<usize> {
    let mut is_match = vec![false; rows.len().max(matched.iter().max().map_or(0, |m| m + 1))];
    for &step in matched {
        is_match[step] = true;
    }
    next_matching(rows, current, forward, |step| {
        is_match.get(step).copied().unwrap_or(false)
    })
}

/// The rows a filtered list shows: the matches and the steps above them in the tree, so
/// each match keeps its context (which agent, which task) and the indentation still reads.
/// Reading order and depths are kept, so folding still works on the result.
pub fn filtered_rows(rows: &[StepRow], matched: &[usize]) -> Vec<StepRow> {
    let step_count = rows.iter().map(|row| row.step + 1).max().unwrap_or(0);
    let mut is_match = vec![false; step_count];
    for &step in matched {
        if let Some(slot) = is_match.get_mut(step) {
            *slot = true;
        }
    }
    let mut keep = vec![false; rows.len()];
    // Positions of the open ancestors of the current row, shallowest first: one pass.
    let mut path: Vec<usize> = Vec::new();
    for (position, row) in rows.iter().enumerate() {
        while path.last().is_some_and(|&at| rows[at].depth >= row.depth) {
            path.pop();
        }
        if is_match.get(row.step).copied().unwrap_or(false) {
            keep[position] = true;
            // Ancestors already kept mean their own ancestors are too: stop there.
            for &at in path.iter().rev() {
                if std::mem::replace(&mut keep[at], true) {
                    break;
                }
            }
        }
        path.push(position);
    }
    rows.iter()
        .zip(keep)
        .filter_map(|(row, kept)| kept.then_some(*row))
        .collect()
}

/// Where `current` stands among the matches, 1-based, for "3 of 12".
pub fn match_position(matched: &[usize], current: Option<usize>) -> Option<usize> {
    let current = current?;
    matched
        .iter()
        .position(|&step| step == current)
        .map(|at| at + 1)
}

/// "No matches", "12 matches", or "3 of 12" when the selection is the third match.
pub fn match_count_text(count: usize, position: Option<usize>) -> String {
    match (count, position) {
        (0, _) => "No matches".to_string(),
        (count, Some(at)) => format!("{at} of {count}"),
        (1, None) => "1 match".to_string(),
        (count, None) => format!("{count} matches"),
    }
}
