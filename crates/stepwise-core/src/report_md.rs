//! A one-page markdown report of a trace: summary, tasks, errors, final output. Pure core.
//!
//! Every string from the trace is untrusted: inline text is escaped so that a hostile name
//! cannot break a table, start a link or inject HTML, and the final output goes in a code
//! fence longer than any backtick run it holds.

use std::fmt::Write;

use crate::metrics::{
    format_cost_tally, format_count, format_count_tally, format_duration_ns, summarize,
    task_figures,
};
use serde_json::Value;

use crate::model::{value_as_text, StepKind, Trace};
use crate::redact::RedactionNote;

/// Longest error message quoted in the errors list; the details pane has the rest.
const MAX_ERROR_CHARS: usize = 400;

/// The report as markdown text.
pub fn markdown_report(trace: &Trace) -> String {
    markdown_report_noted(trace, None)
}

/// The report of a redacted trace, saying what was redacted ("Redacted: 3 API keys and
/// tokens, 2 e-mail addresses") under its facts.
pub fn markdown_report_redacted(trace: &Trace, note: &RedactionNote) -> String {
    markdown_report_noted(trace, Some(note))
}

fn markdown_report_noted(trace: &Trace, note: Option<&RedactionNote>) -> String {
    let summary = summarize(trace);
    let mut out = String::new();
    // `write!` into a String cannot fail, so its results are ignored below.
    let _ = writeln!(out, "# {}\n", inline(&trace.name));
    let mut facts = vec![
        format!("Status: {}", trace.status.label()),
        format!("Format: {}", trace.source_format.label()),
    ];
    if let Some(ns) = trace.start_ns {
        let at = chrono::DateTime::from_timestamp_nanos(ns).format("%Y-%m-%d %H:%M:%S UTC");
        facts.push(format!("Started: {at}"));
    }
    let _ = writeln!(out, "{}\n", facts.join(" · "));
    match note {
        Some(note) if note.counts.is_empty() => {
            let _ = writeln!(out, "Redacted: nothing was found to redact.\n");
        }
        Some(note) => {
            let _ = writeln!(
                out,
                "Redacted: {}. Each value is replaced by a label such as \
                 `[redacted: email #1]`, the same wherever it appeared.\n",
                note.sentence()
            );
        }
        None => {}
    }

    let _ = writeln!(out, "## Summary\n");
    let _ = writeln!(out, "| Figure | Value |\n|---|---:|");
    let tokens_note = if summary.tokens_stated_by_trace {
        " (stated by the trace as a run total)"
    } else {
        ""
    };
    let rows = [
        (
            "Total tokens",
            format!("{}{tokens_note}", format_count_tally(&summary.total_tokens)),
        ),
        ("Prompt tokens", format_count_tally(&summary.prompt_tokens)),
        (
            "Completion tokens",
            format_count_tally(&summary.completion_tokens),
        ),
        ("Requests (LLM calls)", format_count(summary.requests)),
        (
            "Duration",
            summary
                .duration_ns
                .map_or("unknown".to_string(), format_duration_ns),
        ),
        ("Cost", cost_text(&summary)),
        (
            "Agents · tasks · steps",
            format!("{} · {} · {}", summary.agents, summary.tasks, summary.steps),
        ),
        ("Tool calls", summary.tool_calls.to_string()),
        ("Errors", summary.errors.to_string()),
    ];
    for (label, value) in rows {
        let _ = writeln!(out, "| {label} | {value} |");
    }
    out.push('\n');

    write_tasks(&mut out, trace);
    write_errors(&mut out, trace);

    let _ = writeln!(out, "## Final output\n");
    match &trace.final_output {
        Some(value) => out.push_str(&fenced(&value.parse())),
        None => out.push_str("The trace records no final output.\n"),
    }
    out
}

/// The cost, saying how much of it is an estimate and what was left out.
fn cost_text(summary: &crate::metrics::Summary) -> String {
    let mut text = format_cost_tally(&summary.cost_usd);
    if summary.cost_estimated {
        let _ = write!(
            text,
            " (estimated: {} of {} LLM calls priced from model prices)",
            summary.estimated_calls, summary.requests
        );
    }
    if let Some(note) = summary.cost_note() {
        let _ = write!(text, " ({})", note.trim_end_matches('.'));
    }
    text
}

fn write_tasks(out: &mut String, trace: &Trace) {
    let _ = writeln!(out, "## Tasks\n");
    let rows = task_figures(trace);
    if rows.is_empty() {
        out.push_str("The trace records no tasks.\n\n");
        return;
    }
    out.push_str("| Task | Agent | Status | Duration | Tokens | Cost |\n");
    out.push_str("|---|---|---|---:|---:|---:|\n");
    for row in rows {
        let Some(task) = trace.tasks.get(row.task) else {
            continue;
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            inline(&task.name),
            row.agent_role.as_deref().map_or("—".to_string(), inline),
            task.status.label(),
            row.duration_ns.map_or("—".to_string(), format_duration_ns),
            format_count_tally(&row.total_tokens),
            format_cost_tally(&row.cost_usd),
        );
    }
    out.push('\n');
}

fn write_errors(out: &mut String, trace: &Trace) {
    let _ = writeln!(out, "## Errors\n");
    let failed: Vec<_> = trace
        .steps
        .iter()
        .filter(|step| step.status == crate::model::Status::Failed || step.kind == StepKind::Error)
        .collect();
    if failed.is_empty() {
        out.push_str("No step failed.\n\n");
        return;
    }
    for step in failed {
        let task = step
            .task_id
            .as_deref()
            .and_then(|id| trace.task(id))
            .map(|task| format!(" (task: {})", inline(&task.name)))
            .unwrap_or_default();
        let message = step
            .error
            .as_ref()
            .map(|error| match &error.error_type {
                Some(kind) => format!("{kind}: {}", error.message),
                None => error.message.clone(),
            })
            .unwrap_or_else(|| "no error message recorded".to_string());
        let _ = writeln!(
            out,
            "- **{}**{task}: {}",
            inline(&step.name),
            inline(&truncate(&message, MAX_ERROR_CHARS))
        );
    }
    out.push('\n');
}

/// Cuts `text` to at most `max_chars` characters, marking the cut.
fn truncate(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// Untrusted text as one line of inline markdown: line breaks become spaces (a newline
/// would end a table row) and every character markdown could read as syntax — pipes,
/// emphasis, links, HTML, entities, code spans — is backslash-escaped, which CommonMark allows
/// for any ASCII punctuation.
pub fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_was_space = false;
    for character in text.trim().chars() {
        if character.is_whitespace() {
            if !last_was_space {
                out.push(' ');
            }
            last_was_space = true;
            continue;
        }
        last_was_space = false;
        if "\\`*_[]<>|~&".contains(character) {
            out.push('\\');
        }
        out.push(character);
    }
    if out.is_empty() {
        "(unnamed)".to_string()
    } else {
        out
    }
}

/// A value as a fenced code block: JSON pretty-printed, text verbatim. The fence is longer
/// than any backtick run inside, so the content can never close it.
pub(crate) fn fenced(value: &Value) -> String {
    let (language, text) = match value {
        Value::String(text) => ("text", text.clone()),
        other => ("json", value_as_text(other)),
    };
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat((longest_run + 1).max(3));
    format!(
        "{fence}{language}\n{}\n{fence}\n",
        text.trim_end_matches('\n')
    )
}

/// The download name of the reader view's markdown: `run.json` → `run.reader.md`.
pub fn reader_file_name(file_name: &str) -> String {
    format!("{}.reader.md", stem(file_name))
}

/// Where the file name's stem ends: before `.json`, `.jsonl` or `.json.gz`.
fn stem(file_name: &str) -> &str {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    for suffix in [".json.gz", ".jsonl.gz", ".jsonl", ".json", ".gz"] {
        if let Some(stem) = base.strip_suffix(suffix) {
            if !stem.is_empty() {
                return stem;
            }
        }
    }
    if base.is_empty() {
        "trace"
    } else {
        base
    }
}

/// The download name of the Stepwise-format export: `run.jsonl` → `run.stepwise.json`.
pub fn stepwise_file_name(file_name: &str) -> String {
    format!("{}.stepwise.json", stem(file_name))
}

/// The download name of the report: `run.json` → `run.report.md`.
pub fn report_file_name(file_name: &str) -> String {
    format!("{}.report.md", stem(file_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_cannot_break_a_table_row() {
        assert_eq!(inline("a | b\nc"), "a \\| b c");
        assert_eq!(
            inline("<img src=x onerror=alert(1)>"),
            "\\<img src=x onerror=alert(1)\\>"
        );
        assert_eq!(inline("[click](javascript:x)"), "\\[click\\](javascript:x)");
        assert_eq!(inline("  \r\n "), "(unnamed)");
        assert_eq!(inline("**bold** `code`"), "\\*\\*bold\\*\\* \\`code\\`");
    }

    #[test]
    fn the_fence_outlasts_backticks_in_the_output() {
        let value = Value::String("run ````x```` done\n".into());
        assert_eq!(fenced(&value), "`````text\nrun ````x```` done\n`````\n");
        assert_eq!(
            fenced(&serde_json::json!({"a": 1})),
            "```json\n{\n  \"a\": 1\n}\n```\n"
        );
    }

    #[test]
    fn long_messages_are_cut_on_a_character_boundary() {
        assert_eq!(truncate("ééé", 2), "éé…");
        assert_eq!(truncate("ab", 2), "ab");
    }

    #[test]
    fn download_names_keep_the_stem() {
        assert_eq!(stepwise_file_name("run.jsonl"), "run.stepwise.json");
        assert_eq!(stepwise_file_name("dir/run.json.gz"), "run.stepwise.json");
        assert_eq!(report_file_name("demo-trace.json"), "demo-trace.report.md");
        assert_eq!(report_file_name(""), "trace.report.md");
        assert_eq!(reader_file_name("dir/run.json.gz"), "run.reader.md");
        assert_eq!(report_file_name(".json"), ".json.report.md");
    }
}
