//! Two traces side by side: tasks and steps aligned by name and position, with the
//! change in duration, tokens, cost and status, the first divergence, and line diffs of
//! prompts and outputs. Pure core.
//!
//! Alignment: tasks (in the trace's order) are diffed on their names, and within each
//! aligned pair of tasks the steps (in reading order) on `(kind, name)`, with Myers' diff.
//! Where a run of items was replaced by another, they are paired by position (steps only
//! when of the same kind), so a renamed step shows as changed rather than as removed
//! and added. Steps of no task are aligned as one more group.

use similar::{capture_diff_slices, Algorithm, ChangeTag, DiffOp};

use crate::metrics::task_figures;
use crate::model::{RawJson, Status, Step, Trace};
use crate::tree::step_rows;

/// `b − a`. For an unmatched item, the side that exists counts (removed: negative).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Delta {
    /// `None` when either side has no duration.
    pub duration_ns: Option<i64>,
    /// `None` when either side's count is unknown or only partly known: a difference
    /// against an unknown is unknown, not the other side's figure.
    pub tokens: Option<i64>,
    /// `None` when either side's cost is unknown or only partly known.
    pub cost_usd: Option<f64>,
}

/// What differs between the two sides of a pair.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Only in b.
    pub added: bool,
    /// Only in a.
    pub removed: bool,
    pub renamed: bool,
    pub status: Option<(Status, Status)>,
    pub input: bool,
    pub output: bool,
}

impl Changes {
    /// True when the runs differ here in anything but figures.
    pub fn diverges(&self) -> bool {
        self.added
            || self.removed
            || self.renamed
            || self.status.is_some()
            || self.input
            || self.output
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct StepPair {
    /// Indexes into `a.steps` and `b.steps`.
    pub a: Option<usize>,
    pub b: Option<usize>,
    pub delta: Delta,
    pub changes: Changes,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TaskPair {
    /// Indexes into `a.tasks` and `b.tasks`.
    pub a: Option<usize>,
    pub b: Option<usize>,
    pub delta: Delta,
    pub changes: Changes,
    /// The tasks' steps, aligned, in reading order.
    pub steps: Vec<StepPair>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Comparison {
    pub tasks: Vec<TaskPair>,
    /// The steps that name no task, aligned.
    pub untasked_steps: Vec<StepPair>,
    /// The whole traces.
    pub delta: Delta,
}

/// Where two runs first differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Divergence {
    /// Index into `Comparison::tasks`; `None` for the untasked steps.
    pub task_pair: Option<usize>,
    /// Index into that pair's `steps`; `None` when the task itself differs.
    pub step_pair: Option<usize>,
    pub changes: Changes,
}

pub fn compare(a: &Trace, b: &Trace) -> Comparison {
    let sides = (Side::new(a), Side::new(b));
    let names = |t: &Trace| {
        t.tasks
            .iter()
            .map(|task| task.name.clone())
            .collect::<Vec<_>>()
    };
    let pairs = align(&names(a), &names(b), |_, _| true);
    let tasks = pairs
        .into_iter()
        .map(|(x, y)| task_pair(&sides, x, y))
        .collect();
    Comparison {
        tasks,
        untasked_steps: step_pairs(&sides, None, None),
        delta: Delta {
            duration_ns: b
                .duration_ns()
                .zip(a.duration_ns())
                .map(|(y, x)| y.saturating_sub(x)),
            tokens: difference(sides.0.total_tokens, sides.1.total_tokens),
            cost_usd: difference(sides.0.total_cost_usd, sides.1.total_cost_usd),
        },
    }
}

/// The first pair, in reading order, that was added, removed, renamed, or changed status,
/// input or output. Durations, tokens and costs differ between any two runs and do not
/// count. Within a task its steps come first: they say more precisely where it changed.
pub fn first_divergence(comparison: &Comparison) -> Option<Divergence> {
    let groups = comparison
        .tasks
        .iter()
        .enumerate()
        .map(|(index, pair)| (Some(index), Some(pair.changes), &pair.steps))
        .chain(std::iter::once((None, None, &comparison.untasked_steps)));
    for (task_pair, task_changes, steps) in groups {
        if let Some(changes) = task_changes.filter(|c| c.added || c.removed) {
            return Some(Divergence {
                task_pair,
                step_pair: None,
                changes,
            });
        }
        if let Some(position) = steps.iter().position(|pair| pair.changes.diverges()) {
            return Some(Divergence {
                task_pair,
                step_pair: Some(position),
                changes: steps[position].changes,
            });
        }
        if let Some(changes) = task_changes.filter(Changes::diverges) {
            return Some(Divergence {
                task_pair,
                step_pair: None,
                changes,
            });
        }
    }
    None
}

/// One trace with the lookups the comparison needs.
struct Side<'a> {
    trace: &'a Trace,
    /// Steps in reading order, grouped by task (the last group: no task).
    steps_by_task: Vec<Vec<usize>>,
    /// Per task, `None` where unknown or partial.
    task_tokens: Vec<Option<i64>>,
    task_cost_usd: Vec<Option<f64>>,
    total_tokens: Option<i64>,
    total_cost_usd: Option<f64>,
}

impl<'a> Side<'a> {
    fn new(trace: &'a Trace) -> Side<'a> {
        let mut steps_by_task = vec![Vec::new(); trace.tasks.len() + 1];
        let task_index: std::collections::HashMap<&str, usize> = trace
            .tasks
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i))
            .collect();
        for row in step_rows(trace) {
            let task = trace.steps[row.step]
                .task_id
                .as_deref()
                .and_then(|id| task_index.get(id).copied())
                .unwrap_or(trace.tasks.len());
            steps_by_task[task].push(row.step);
        }
        let figures = task_figures(trace);
        Side {
            trace,
            steps_by_task,
            task_tokens: figures
                .iter()
                .map(|f| f.total_tokens.exact().map(signed))
                .collect(),
            task_cost_usd: figures.iter().map(|f| f.cost_usd.exact()).collect(),
            total_tokens: trace
                .steps
                .iter()
                .map(step_tokens)
                .try_fold(0i64, |sum, tokens| Some(sum.saturating_add(tokens?))),
            total_cost_usd: trace
                .steps
                .iter()
                .map(step_cost_usd)
                .try_fold(0.0, |sum, cost| Some(sum + cost?)),
        }
    }

    fn group(&self, task: Option<usize>) -> &[usize] {
        let slot = task.unwrap_or(self.trace.tasks.len());
        self.steps_by_task.get(slot).map_or(&[], Vec::as_slice)
    }
}

fn signed(count: u64) -> i64 {
    i64::try_from(count).unwrap_or(i64::MAX)
}

/// `b − a`, known only when both are; a side that does not exist counts as nothing.
fn difference<T: std::ops::Sub<Output = T>>(a: Option<T>, b: Option<T>) -> Option<T> {
    Some(b? - a?)
}

/// Model calls only, as in `metrics::summarize`; `None` when the call records no count.
fn step_tokens(step: &Step) -> Option<i64> {
    if step.kind.is_model_call() {
        step.usage.total_tokens().map(signed)
    } else {
        Some(0)
    }
}

fn step_cost_usd(step: &Step) -> Option<f64> {
    if step.kind.is_model_call() {
        step.cost.map(|cost| cost.usd)
    } else {
        Some(0.0)
    }
}

/// Pairs of positions: equal keys by the diff, replaced runs by position where
/// `pairable` allows, the rest unmatched.
fn align<K: Eq + std::hash::Hash + Ord>(
    a: &[K],
    b: &[K],
    pairable: impl Fn(usize, usize) -> bool,
) -> Vec<(Option<usize>, Option<usize>)> {
    let mut out = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, a, b) {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                out.extend((0..len).map(|i| (Some(old_index + i), Some(new_index + i))));
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => {
                out.extend((old_index..old_index + old_len).map(|i| (Some(i), None)));
            }
            DiffOp::Insert {
                new_index, new_len, ..
            } => {
                out.extend((new_index..new_index + new_len).map(|i| (None, Some(i))));
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                for i in 0..old_len.max(new_len) {
                    let x = (i < old_len).then_some(old_index + i);
                    let y = (i < new_len).then_some(new_index + i);
                    match (x, y) {
                        (Some(x), Some(y)) if !pairable(x, y) => {
                            out.push((Some(x), None));
                            out.push((None, Some(y)));
                        }
                        pair => out.push(pair),
                    }
                }
            }
        }
    }
    out
}

fn task_pair(sides: &(Side, Side), a: Option<usize>, b: Option<usize>) -> TaskPair {
    let x = a.and_then(|i| sides.0.trace.tasks.get(i));
    let y = b.and_then(|i| sides.1.trace.tasks.get(i));
    let figures = |side: &Side, index: Option<usize>| {
        index.map_or((Some(0), Some(0.0)), |i| {
            (
                side.task_tokens.get(i).copied().flatten(),
                side.task_cost_usd.get(i).copied().flatten(),
            )
        })
    };
    let ((tokens_a, cost_a), (tokens_b, cost_b)) = (figures(&sides.0, a), figures(&sides.1, b));
    let duration = |t: Option<&crate::model::Task>| {
        t.and_then(|t| Some(t.end_ns?.saturating_sub(t.start_ns?)))
    };
    let changes = match (x, y) {
        (Some(x), Some(y)) => Changes {
            renamed: x.name != y.name,
            status: (x.status != y.status).then_some((x.status, y.status)),
            input: !same_text(&x.input, &y.input),
            output: !same_text(&x.output, &y.output),
            ..Changes::default()
        },
        _ => Changes {
            added: x.is_none(),
            removed: y.is_none(),
            ..Changes::default()
        },
    };
    TaskPair {
        a,
        b,
        delta: Delta {
            duration_ns: duration(y)
                .zip(duration(x))
                .map(|(y, x)| y.saturating_sub(x)),
            tokens: difference(tokens_a, tokens_b),
            cost_usd: difference(cost_a, cost_b),
        },
        changes,
        steps: if a.is_some() || b.is_some() {
            step_pairs(sides, a, b)
        } else {
            Vec::new()
        },
    }
}

/// Texts compared as written: the same framework writes the same payload alike, and
/// parsing every prompt of two large traces would be slow.
/// The same payload, however it was written: spacing, key order and `6.0` against `6`
/// do not count (a trace exported again, or by another tool, writes JSON its own way).
fn same_text(a: &Option<RawJson>, b: &Option<RawJson>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.text() == b.text() || same_value(&a.parse(), &b.parse()),
        (None, None) => true,
        _ => false,
    }
}

fn same_value(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_value(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(key, x)| y.get(key).is_some_and(|y| same_value(x, y)))
        }
        (x, y) => x == y,
    }
}

fn step_pairs(sides: &(Side, Side), a: Option<usize>, b: Option<usize>) -> Vec<StepPair> {
    // An unmatched task's steps are all added or removed: align against nothing.
    let group_a: &[usize] = if a.is_none() && b.is_some() {
        &[]
    } else {
        sides.0.group(a)
    };
    let group_b: &[usize] = if b.is_none() && a.is_some() {
        &[]
    } else {
        sides.1.group(b)
    };
    let key = |trace: &Trace, i: usize| (trace.steps[i].kind, trace.steps[i].name.clone());
    let keys_a: Vec<_> = group_a.iter().map(|&i| key(sides.0.trace, i)).collect();
    let keys_b: Vec<_> = group_b.iter().map(|&i| key(sides.1.trace, i)).collect();
    let same_kind = |x: usize, y: usize| keys_a[x].0 == keys_b[y].0;
    align(&keys_a, &keys_b, same_kind)
        .into_iter()
        .map(|(x, y)| step_pair(sides, x.map(|x| group_a[x]), y.map(|y| group_b[y])))
        .collect()
}

fn step_pair(sides: &(Side, Side), a: Option<usize>, b: Option<usize>) -> StepPair {
    let (x, y) = (
        a.map(|i| &sides.0.trace.steps[i]),
        b.map(|i| &sides.1.trace.steps[i]),
    );
    let changes = match (x, y) {
        (Some(x), Some(y)) => Changes {
            renamed: x.name != y.name,
            status: (x.status != y.status).then_some((x.status, y.status)),
            input: !same_text(&x.input, &y.input),
            output: !same_text(&x.output, &y.output),
            ..Changes::default()
        },
        _ => Changes {
            added: x.is_none(),
            removed: y.is_none(),
            ..Changes::default()
        },
    };
    StepPair {
        a,
        b,
        delta: Delta {
            duration_ns: y
                .and_then(Step::duration_ns)
                .zip(x.and_then(Step::duration_ns))
                .map(|(y, x)| y.saturating_sub(x)),
            tokens: difference(
                x.map_or(Some(0), step_tokens),
                y.map_or(Some(0), step_tokens),
            ),
            cost_usd: difference(
                x.map_or(Some(0.0), step_cost_usd),
                y.map_or(Some(0.0), step_cost_usd),
            ),
        },
        changes,
    }
}

// ---- text diffs ----

/// Lines each side keeps before a diff is cut, and bytes.
pub const MAX_DIFF_LINES: usize = 2_000;
pub const MAX_DIFF_BYTES: usize = 256 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineTag {
    Equal,
    /// Only in b.
    Insert,
    /// Only in a.
    Delete,
}

/// Consecutive lines with the same tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hunk {
    pub tag: LineTag,
    pub lines: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextDiff {
    pub hunks: Vec<Hunk>,
    /// A side was longer than `MAX_DIFF_LINES` / `MAX_DIFF_BYTES`: only its start was
    /// compared, and the view must say so.
    pub truncated: bool,
}

/// Which text of a pair to diff.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Input,
    Output,
}

/// A line diff of two texts.
pub fn text_diff(a: &str, b: &str) -> TextDiff {
    let (a, cut_a) = capped(a);
    let (b, cut_b) = capped(b);
    let diff = similar::TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .diff_lines(&a, &b);
    let mut hunks: Vec<Hunk> = Vec::new();
    for change in diff.iter_all_changes() {
        let tag = match change.tag() {
            ChangeTag::Equal => LineTag::Equal,
            ChangeTag::Insert => LineTag::Insert,
            ChangeTag::Delete => LineTag::Delete,
        };
        let line = change.value().trim_end_matches(['\n', '\r']).to_string();
        match hunks.last_mut() {
            Some(hunk) if hunk.tag == tag => hunk.lines.push(line),
            _ => hunks.push(Hunk {
                tag,
                lines: vec![line],
            }),
        }
    }
    TextDiff {
        hunks,
        truncated: cut_a || cut_b,
    }
}

/// The first `MAX_DIFF_LINES` lines within `MAX_DIFF_BYTES`, and whether anything was cut.
fn capped(text: &str) -> (String, bool) {
    let mut out = String::new();
    for (count, line) in text.split_inclusive('\n').enumerate() {
        if count >= MAX_DIFF_LINES || out.len().saturating_add(line.len()) > MAX_DIFF_BYTES {
            return (out, true);
        }
        out.push_str(line);
    }
    (out, false)
}

/// A payload as people read it: a string as itself, anything else as pretty JSON (one
/// key per line, so a diff shows which part of a prompt changed).
pub fn payload_text(payload: Option<&RawJson>) -> String {
    payload.map_or_else(String::new, |raw| {
        raw.as_string()
            .unwrap_or_else(|| crate::model::value_as_text(&raw.parse()))
    })
}

/// The diff of a field of an aligned step pair (an empty side for an unmatched step).
pub fn diff_step_pair(a: &Trace, b: &Trace, pair: &StepPair, field: Field) -> TextDiff {
    let text = |trace: &Trace, index: Option<usize>| {
        let step = index.and_then(|i| trace.steps.get(i));
        payload_text(step.and_then(|s| match field {
            Field::Input => s.input.as_ref(),
            Field::Output => s.output.as_ref(),
        }))
    };
    text_diff(&text(a, pair.a), &text(b, pair.b))
}

/// The diff of a field of an aligned task pair.
pub fn diff_task_pair(a: &Trace, b: &Trace, pair: &TaskPair, field: Field) -> TextDiff {
    let text = |trace: &Trace, index: Option<usize>| {
        let task = index.and_then(|i| trace.tasks.get(i));
        payload_text(task.and_then(|t| match field {
            Field::Input => t.input.as_ref(),
            Field::Output => t.output.as_ref(),
        }))
    };
    text_diff(&text(a, pair.a), &text(b, pair.b))
}

// ---- deltas for people ----

/// The sign of a change as people read it: "+" or "−" (a real minus sign), and nothing
/// for no change.
fn sign(negative: bool) -> &'static str {
    if negative {
        "\u{2212}"
    } else {
        "+"
    }
}

/// "+1.2 s", "−850 ms", "0 ms" for no change, "—" when a side has no duration.
pub fn format_delta_duration(duration_ns: Option<i64>) -> String {
    match duration_ns {
        None => "\u{2014}".to_string(),
        Some(0) => "0 ms".to_string(),
        Some(ns) => format!(
            "{}{}",
            sign(ns < 0),
            crate::metrics::format_duration_ns(ns.saturating_abs())
        ),
    }
}

/// "+1,200 tok", "−340 tok", "0 tok"; "—" when either side's count is unknown.
pub fn format_delta_tokens(tokens: Option<i64>) -> String {
    let Some(tokens) = tokens else {
        return crate::metrics::UNKNOWN.to_string();
    };
    if tokens == 0 {
        return "0 tok".to_string();
    }
    format!(
        "{}{} tok",
        sign(tokens < 0),
        crate::metrics::format_count(tokens.unsigned_abs())
    )
}

/// "+$0.0120", "−$0.35", "$0". Differences below a millionth of a dollar are float noise.
/// "—" when either side's cost is unknown or partial.
pub fn format_delta_cost_usd(cost_usd: Option<f64>) -> String {
    let Some(cost_usd) = cost_usd else {
        return crate::metrics::UNKNOWN.to_string();
    };
    if cost_usd.abs() < 1e-6 {
        return "$0".to_string();
    }
    format!(
        "{}{}",
        sign(cost_usd < 0.0),
        crate::metrics::format_cost_usd(cost_usd.abs())
    )
}

/// Whether a change is for the better, the worse or neither, for colouring: less time,
/// fewer tokens and lower cost are better.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trend {
    Better,
    Worse,
    Same,
}

impl Trend {
    pub fn of(change: f64) -> Trend {
        if change.abs() < 1e-9 {
            Trend::Same
        } else if change < 0.0 {
            Trend::Better
        } else {
            Trend::Worse
        }
    }

    /// From `a` to `b`: failing is worse, recovering is better.
    pub fn of_status(change: (Status, Status)) -> Trend {
        match change {
            (_, Status::Failed) => Trend::Worse,
            (Status::Failed, _) => Trend::Better,
            _ => Trend::Same,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Trend::Better => "better",
            Trend::Worse => "worse",
            Trend::Same => "same",
        }
    }
}
