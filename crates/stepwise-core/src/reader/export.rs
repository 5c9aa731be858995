//! The reader's conversation as markdown, to copy or download. Pure core.
//!
//! Every string from the trace is untrusted: names go through `report_md::inline` and
//! texts into code fences longer than any backtick run they hold, so nothing in a trace
//! can become a link, HTML or structure in whatever renders the file.

use std::fmt::Write;

use serde_json::Value;

use super::{Block, BlockKind, Text};
use crate::format::plural;
use crate::model::Trace;
use crate::report_md::{fenced, inline};

/// The blocks as one markdown document titled after `trace`.
pub fn markdown(trace: &Trace, blocks: &[Block]) -> String {
    let mut out = String::new();
    // `write!` into a String cannot fail, so its results are ignored below.
    let _ = writeln!(out, "# {}\n", inline(&trace.name));
    let _ = writeln!(
        out,
        "The run as a conversation: {}.\n",
        plural(blocks.len(), "block")
    );
    for block in blocks {
        write_block(&mut out, trace, block);
    }
    out
}

fn step_id<'a>(trace: &'a Trace, block: &Block) -> &'a str {
    trace
        .steps
        .get(block.step())
        .map_or("", |step| step.id.as_str())
}

fn who(block: &Block) -> String {
    block
        .who
        .as_deref()
        .map_or("(no agent)".to_string(), inline)
}

fn write_block(out: &mut String, trace: &Trace, block: &Block) {
    let id = inline(step_id(trace, block));
    match &block.kind {
        BlockKind::Ask { task, text } => {
            let task = task
                .as_deref()
                .map(|task| format!(" · task: {}", inline(task)))
                .unwrap_or_default();
            let _ = writeln!(out, "## {} was asked{task} (step {id})\n", who(block));
            write_text(out, text.as_ref());
        }
        BlockKind::Handoff {
            from,
            to,
            delegated,
        } => {
            let how = if *delegated {
                "delegates to"
            } else {
                "hands over to"
            };
            let _ = writeln!(out, "**{}** {how} **{}**\n", inline(from), inline(to));
        }
        BlockKind::Reply {
            model,
            text,
            reasoning,
            error,
        } => {
            let model = model
                .as_deref()
                .map(|model| format!(" ({})", inline(model)))
                .unwrap_or_default();
            let _ = writeln!(out, "### {}{model} said (step {id})\n", who(block));
            if let Some(reasoning) = reasoning {
                out.push_str("Reasoning:\n\n");
                write_text(out, Some(reasoning));
            }
            write_text(out, text.as_ref());
            write_error(out, error.as_ref());
        }
        BlockKind::Reasoning { text } => {
            let _ = writeln!(out, "### {} reasoned (step {id})\n", who(block));
            write_text(out, text.as_ref());
        }
        BlockKind::Tools { calls } => {
            let heading = if calls.len() > 1 {
                format!("{} at once", plural(calls.len(), "tool call"))
            } else {
                "Tool call".to_string()
            };
            let _ = writeln!(out, "### {heading} by {}\n", who(block));
            for call in calls {
                let call_id = trace.steps.get(call.step).map_or("", |s| s.id.as_str());
                let _ = writeln!(
                    out,
                    "#### `{}` (step {})\n",
                    call.name.replace('`', "'"),
                    inline(call_id)
                );
                if let Some(arguments) = &call.arguments {
                    out.push_str("Arguments:\n\n");
                    write_text(out, Some(arguments));
                }
                if let Some(result) = &call.result {
                    out.push_str("Result:\n\n");
                    write_text(out, Some(result));
                }
                write_error(out, call.error.as_ref());
            }
        }
        BlockKind::Error { name, text } => {
            let _ = writeln!(out, "### Error in {} (step {id})\n", inline(name));
            write_text(out, text.as_ref());
        }
    }
}

fn write_text(out: &mut String, text: Option<&Text>) {
    let Some(text) = text else {
        return;
    };
    out.push_str(&fenced(&Value::String(text.shown.clone())));
    if text.is_cut() {
        let _ = writeln!(
            out,
            "\n(cut: {} characters in all)",
            crate::metrics::format_count(text.full_chars as u64)
        );
    }
    out.push('\n');
}

fn write_error(out: &mut String, error: Option<&Text>) {
    if let Some(error) = error {
        let _ = writeln!(out, "**Error:** {}\n", inline(&error.shown));
    }
}
