//! The timeline's words: estimated text widths, wrapping and truncating to fit, bar names, tooltips, the window caption and the canvas's text alternative. Pure core; depends on the layout, culling (for merged groups), ticks (for offsets) and the model.

use super::cull::Group;
use super::layout::{Bar, BarKind, Layout};
use super::scale::window_to_ms;
use super::ticks::{nice_time_step_ns, offset_label};
use crate::format::plural;
use crate::metrics::{format_cost_usd, format_count, format_duration_ns};
use crate::model::{Status, Task, Trace};

/// Font sizes the component draws with; the width estimates below assume them.
pub const LABEL_FONT_PX: f64 = 12.0;
pub const BAR_FONT_PX: f64 = 11.0;

/// Line spacing of the names in the gutter.
pub const LABEL_LINE_PX: f64 = 15.0;

/// Estimated width of `text` at `font_px`: average Latin glyphs are about 0.56 em, wide
/// (CJK, emoji) ones a full em. Measuring in the browser per label would cost a call each.
pub fn text_width_px(text: &str, font_px: f64) -> f64 {
    text.chars()
        .map(|c| if is_wide(c) { 1.0 } else { 0.56 })
        .sum::<f64>()
        * font_px
}

/// East Asian wide characters and emoji, which take a full em.
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1FAFF
        | 0x20000..=0x3FFFD)
}

/// `text` cut to fit `max_px`, with an ellipsis when cut; empty when not even one
/// character and the ellipsis fit.
pub fn truncate_to_width(text: &str, max_px: f64, font_px: f64) -> String {
    if text_width_px(text, font_px) <= max_px {
        return text.to_string();
    }
    let budget = max_px - text_width_px("…", font_px);
    let mut used = 0.0;
    let mut out = String::new();
    for c in text.chars() {
        used += text_width_px(c.encode_utf8(&mut [0; 4]), font_px);
        if used > budget {
            break;
        }
        out.push(c);
    }
    let out = out.trim_end();
    if out.is_empty() {
        String::new()
    } else {
        format!("{out}…")
    }
}

/// `text` wrapped at spaces into at most `max_lines` lines of `max_px`; what does not
/// fit ends the last line with an ellipsis, and a word too long for a line is cut.
pub fn wrap_to_width(text: &str, max_px: f64, font_px: f64, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if text_width_px(&candidate, font_px) <= max_px || current.is_empty() {
            current = candidate;
        } else {
            lines.push(std::mem::replace(&mut current, word.to_string()));
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > max_lines.max(1) {
        // The last line shows the start of the rest, and always an ellipsis.
        let rest = lines.split_off(max_lines.max(1) - 1).join(" ");
        let room = max_px - text_width_px("…", font_px);
        let cut = truncate_to_width(&rest, room, font_px);
        lines.push(format!("{}…", cut.trim_end_matches('…')));
    }
    lines
        .into_iter()
        .map(|line| truncate_to_width(&line, max_px, font_px))
        .collect()
}

/// "38.8 s · Senior Market Researcher": how long the task took, and who did it. When
/// both do not fit in `max_px`, the duration alone.
pub(super) fn task_detail(trace: &Trace, task: &Task, max_px: f64) -> Option<String> {
    let duration = match (task.start_ns, task.end_ns) {
        (Some(start), Some(end)) => Some(format_duration_ns(end.saturating_sub(start))),
        (Some(_), None) => Some("running".to_string()),
        _ => None,
    };
    let agent = task
        .agent_id
        .as_deref()
        .and_then(|id| trace.agent(id))
        .map(|agent| agent.role.clone());
    let both = match (&duration, &agent) {
        (Some(duration), Some(agent)) => format!("{duration} · {agent}"),
        (Some(only), None) | (None, Some(only)) => only.clone(),
        (None, None) => return None,
    };
    let font_px = 11.0;
    if text_width_px(&both, font_px) <= max_px {
        return Some(both);
    }
    // A cut agent name still helps while a few of its letters show.
    let cut = truncate_to_width(&both, max_px, font_px);
    let kept = duration.as_ref().map_or(0, |d| d.chars().count() + 3);
    if cut.chars().count() >= kept + 6 {
        return Some(cut);
    }
    let shorter = duration.unwrap_or(both);
    Some(truncate_to_width(&shorter, max_px, font_px)).filter(|text| !text.is_empty())
}

/// The name a bar shows: the step's or the task's, or its kind when it has none.
pub fn bar_name<'a>(trace: &'a Trace, bar: &Bar) -> &'a str {
    let name = match (bar.step, bar.task) {
        (Some(step), _) => trace.steps.get(step).map(|s| s.name.as_str()),
        (None, Some(task)) => trace.tasks.get(task).map(|t| t.name.as_str()),
        (None, None) => None,
    };
    match (name, bar.kind) {
        (Some(name), _) if !name.trim().is_empty() => name,
        (_, BarKind::Task) => "task",
        (_, BarKind::Step(kind)) => kind.label(),
    }
}

/// What hovering a bar says: a title and a few lines of plain text.
#[derive(Clone, Debug, PartialEq)]
pub struct Tooltip {
    pub title: String,
    pub lines: Vec<String>,
}

pub fn tooltip(trace: &Trace, bar: &Bar) -> Tooltip {
    let duration = format_duration_ns(bar.end_ns.saturating_sub(bar.start_ns));
    let status = if bar.failed {
        " · failed"
    } else if bar.running {
        " · running"
    } else {
        ""
    };
    let title = bar_name(trace, bar).to_string();
    let Some(step) = bar.step.and_then(|index| trace.steps.get(index)) else {
        let agent = bar
            .task
            .and_then(|index| trace.tasks.get(index))
            .and_then(|task| task.agent_id.as_deref())
            .and_then(|id| trace.agent(id))
            .map(|agent| format!("agent: {}", agent.role));
        let mut lines = vec![format!("task · {duration}{status}")];
        lines.extend(agent);
        return Tooltip { title, lines };
    };
    let mut lines = vec![format!("{} · {duration}{status}", step.kind.label())];
    if let Some(model) = &step.model {
        lines.push(model.clone());
    }
    let usage = step.usage;
    let mut figures = Vec::new();
    if let Some(total) = usage.total_tokens() {
        figures.push(format!(
            "{} tokens ({} in · {} out)",
            format_count(total),
            crate::metrics::format_count_opt(usage.input_tokens),
            crate::metrics::format_count_opt(usage.output_tokens)
        ));
    } else if step.kind.is_model_call() {
        figures.push("tokens not recorded".to_string());
    }
    if let Some(cost) = step.cost {
        figures.push(format_cost_usd(cost.usd));
    } else if step.kind.is_model_call() {
        figures.push("cost unknown".to_string());
    }
    if !figures.is_empty() {
        lines.push(figures.join(" · "));
    }
    if let Some(error) = &step.error {
        let first = error.message.lines().next().unwrap_or_default();
        lines.push(truncate_to_width(first, 320.0, 12.0));
    } else if step.status == Status::Failed && bar.failed {
        lines.push("failed".to_string());
    }
    Tooltip { title, lines }
}

/// What hovering a merged group says: "1,204 steps", how many failed, what most of them
/// are, from when to when, and that a click zooms in.
pub fn group_tooltip(layout: &Layout, group: &Group) -> Tooltip {
    let failed = match group.failed {
        0 => "none failed".to_string(),
        n => format!("{} failed", format_count(n as u64)),
    };
    let span_ns = group.end_ns.saturating_sub(group.start_ns);
    let step_ns = nice_time_step_ns(span_ns as f64 / 10.0);
    let end_ns = group.end_ns - layout.start_ns;
    let at = |ns: i64| {
        let offset_ns = ns - layout.start_ns;
        offset_label(offset_ns - offset_ns.rem_euclid(step_ns), step_ns, end_ns)
    };
    Tooltip {
        title: plural(group.steps(), "step"),
        lines: vec![
            format!("{failed} · mostly {}", group.swatch.label()),
            format!(
                "{} – {} · {}",
                at(group.start_ns),
                at(group.end_ns),
                format_duration_ns(span_ns)
            ),
            "Too close together to tell apart: click to zoom in".to_string(),
        ],
    }
}

/// Where the tooltip goes: beside the pointer, flipped left near the right edge.
pub fn place_tooltip(
    pointer_px: (f64, f64),
    frame_width_px: f64,
    tooltip_width_px: f64,
) -> (f64, f64) {
    let (x, y) = pointer_px;
    let left = if x + 14.0 + tooltip_width_px > frame_width_px {
        (x - 14.0 - tooltip_width_px).max(0.0)
    } else {
        x + 14.0
    };
    (left, y + 16.0)
}

/// The canvas's text alternative: "Timeline of 30 steps in 5 tasks over 2 min 01 s".
pub fn summary_text(trace: &Trace, layout: &Layout) -> String {
    let mut text = format!(
        "Timeline of {} in {} over {}",
        plural(trace.steps.len(), "step"),
        plural(trace.tasks.len(), "task"),
        format_duration_ns(layout.end_ns - layout.start_ns)
    );
    let failed = layout
        .bars
        .iter()
        .filter(|bar| bar.failed && bar.step.is_some())
        .count();
    if failed > 0 {
        text.push_str(&format!(", {} failed", plural(failed, "step")));
    }
    text
}

/// The zoomed window as offsets from the trace start: "12.4 s – 30.1 s"; `None` when
/// the whole trace shows.
pub fn window_caption(layout: &Layout, window_ns: (i64, i64)) -> Option<String> {
    window_to_ms(layout, window_ns)?;
    // A tenth of a hundredth of the window is as precise as the caption needs to be.
    let step_ns = nice_time_step_ns((window_ns.1 - window_ns.0) as f64 / 100.0);
    let end_ns = window_ns.1 - layout.start_ns;
    let at = |ns: i64| {
        let offset_ns = ns - layout.start_ns;
        offset_label(offset_ns - offset_ns % step_ns, step_ns, end_ns)
    };
    Some(format!("{} – {}", at(window_ns.0), at(window_ns.1)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::import_bytes;
    use crate::model::StepKind;
    use crate::timeline::layout::layout;

    fn demo() -> Trace {
        let bytes = include_bytes!("../../../../public/demo/trace.json");
        import_bytes(bytes).expect("demo imports").remove(0)
    }

    #[test]
    fn truncation_fits_the_width_and_marks_the_cut() {
        assert_eq!(truncate_to_width("short", 200.0, 12.0), "short");
        let cut = truncate_to_width("a rather long step name indeed", 60.0, 12.0);
        assert!(cut.ends_with('…'), "{cut}");
        assert!(text_width_px(&cut, 12.0) <= 60.0);
        assert_eq!(truncate_to_width("abc", 2.0, 12.0), "");
        assert!(text_width_px("漢字", 10.0) > text_width_px("ab", 10.0));
    }

    #[test]
    fn names_wrap_at_spaces_within_their_lines() {
        let lines = wrap_to_width("Compare competitor pricing", 90.0, 12.0, 3);
        assert_eq!(lines, ["Compare", "competitor", "pricing"]);
        let lines = wrap_to_width("Compare competitor pricing", 90.0, 12.0, 2);
        assert_eq!(lines, ["Compare", "competitor…"]);
        assert_eq!(wrap_to_width("short", 90.0, 12.0, 2), ["short"]);
        let long = wrap_to_width("Supercalifragilisticexpialidocious", 60.0, 12.0, 2);
        assert!(long.len() == 1 && long[0].ends_with('…'), "{long:?}");
    }

    #[test]
    fn tooltips_and_summary_read_as_text() {
        let trace = demo();
        let layout = layout(&trace);
        let index = trace
            .steps
            .iter()
            .position(|s| s.kind == StepKind::LlmCall)
            .expect("llm");
        let tip = tooltip(&trace, layout.bar_of_step(index).expect("bar"));
        assert_eq!(tip.title, trace.steps[index].name);
        assert!(tip.lines[0].starts_with("LLM call · "), "{:?}", tip.lines);
        assert!(
            tip.lines.iter().any(|l| l.contains("tokens")),
            "{:?}",
            tip.lines
        );
        let task = tooltip(&trace, &layout.bars[0]);
        assert!(task.lines[0].starts_with("task · "));
        let summary = summary_text(&trace, &layout);
        assert!(
            summary.starts_with("Timeline of 30 steps in 5 tasks over 2 min 01 s"),
            "{summary}"
        );
        assert_eq!(place_tooltip((10.0, 5.0), 500.0, 200.0), (24.0, 21.0));
        assert_eq!(place_tooltip((450.0, 5.0), 500.0, 200.0), (236.0, 21.0));
    }

    #[test]
    fn the_window_caption_shows_only_when_zoomed() {
        let layout = layout(&demo());
        assert_eq!(
            window_caption(&layout, crate::timeline::scale::limit_ns(&layout)),
            None
        );
        let zoomed = (
            layout.start_ns + 2_000_000_000,
            layout.start_ns + 12_000_000_000,
        );
        assert_eq!(
            window_caption(&layout, zoomed).as_deref(),
            Some("2.0 s – 12.0 s")
        );
    }
}
