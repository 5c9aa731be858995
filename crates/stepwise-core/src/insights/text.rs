//! Short texts for the insights panel: names of what a finding is about and the figure
//! that made it a finding ("4.1× the median of fetch_url (1.2 s)"). Pure core.
//!
//! The view only places these strings; every number is formatted here, where it is tested.

use crate::metrics::{format_cost_usd, format_count, format_duration_ns};
use crate::model::Trace;

use super::flame::{FlameNode, FlameNodeKind, FlameWeight};
use super::hogs::{GrowingPrompt, Hog};
use super::outliers::{PeerGroup, SlowOutlier};
use super::redundant::{DuplicateCalls, Retry, UnusedOutput, UnusedReason};

/// Longest error message shown inline; the details pane has the rest.
const MESSAGE_CHARS: usize = 140;

/// A fraction in 0..=1 as a whole percentage, "<1%" for a sliver that is not nothing.
pub fn percent(fraction: f64) -> String {
    let value = (fraction * 100.0).round();
    if fraction > 0.0 && value < 1.0 {
        "<1%".to_string()
    } else {
        format!("{value:.0}%")
    }
}

/// The tool or model a call is compared with.
pub fn group_label(group: &PeerGroup) -> &str {
    match group {
        PeerGroup::Tool(name) | PeerGroup::Model(name) => name,
    }
}

/// "4.1× the median of fetch_url (1.2 s)".
pub fn outlier_figure(outlier: &SlowOutlier) -> String {
    let group = group_label(&outlier.group);
    let median = format_duration_ns(outlier.median_ns);
    if outlier.times_median.is_finite() {
        format!(
            "{:.1}× the median of {group} ({median})",
            outlier.times_median
        )
    } else {
        format!("{group} usually takes {median}")
    }
}

/// "11,892 tokens · 38% of all" or "$0.0123 · 38% of all".
pub fn hog_figure(hog: &Hog, weight: FlameWeight) -> String {
    match weight {
        FlameWeight::Tokens => format!(
            "{} tokens{} · {} of all",
            crate::metrics::format_count_opt(hog.tokens),
            partial(hog.calls_without_tokens, "uncounted"),
            percent(hog.token_share)
        ),
        FlameWeight::CostUsd => format!(
            "{}{} · {} of all",
            hog.cost_usd
                .map_or_else(|| crate::metrics::UNKNOWN.to_string(), format_cost_usd),
            partial(hog.calls_without_cost, "unpriced"),
            percent(hog.cost_share)
        ),
    }
}

/// " + 2 calls unpriced" after a partial figure; nothing for a complete one.
fn partial(calls: u64, missing: &str) -> String {
    match calls {
        0 => String::new(),
        calls => format!(
            " + {} {missing}",
            crate::format::plural(calls as usize, "call")
        ),
    }
}

/// "prompt grew 1,200 → 5,400 tokens over 6 calls".
pub fn growing_figure(growing: &GrowingPrompt) -> String {
    format!(
        "prompt grew {} → {} tokens over {} calls",
        format_count(growing.first_input_tokens),
        format_count(growing.last_input_tokens),
        growing.steps.len()
    )
}

/// "2 calls with the same arguments", and how many came after one had succeeded.
pub fn duplicate_figure(duplicates: &DuplicateCalls) -> String {
    let mut text = format!("{} calls with the same arguments", duplicates.steps.len());
    if !duplicates.after_success.is_empty() {
        text.push_str(&format!(
            ", {} after one had succeeded",
            duplicates.after_success.len()
        ));
    }
    text
}

/// "retried, succeeded" / "retried, failed again".
pub fn retry_figure(retry: &Retry) -> &'static str {
    if retry.succeeded {
        "retried, succeeded"
    } else {
        "retried, failed again"
    }
}

/// Why an LLM call's answer counts as unused.
pub fn unused_figure(trace: &Trace, unused: &UnusedOutput) -> String {
    match unused.reason {
        UnusedReason::LastInFailedTask => "last call of a failed task".to_string(),
        UnusedReason::AskedAgain(next) => match trace.steps.get(next) {
            Some(step) => format!("the same prompt was sent again ({})", step.id),
            None => "the same prompt was sent again".to_string(),
        },
    }
}

/// The first line of a step's error message, cut to a readable length.
pub fn error_message(trace: &Trace, step: usize) -> Option<String> {
    let error = trace.steps.get(step)?.error.as_ref()?;
    let line = error.message.lines().find(|line| !line.trim().is_empty())?;
    let line = line.trim();
    if line.chars().count() > MESSAGE_CHARS {
        let cut: String = line.chars().take(MESSAGE_CHARS - 1).collect();
        Some(format!("{}…", cut.trim_end()))
    } else {
        Some(line.to_string())
    }
}

/// A task's name by index, or a placeholder for an index the trace does not hold.
pub fn task_name(trace: &Trace, task: usize) -> String {
    trace
        .tasks
        .get(task)
        .map_or_else(|| format!("task {task}"), |task| task.name.clone())
}

/// What a flame node stands for.
pub fn flame_label(trace: &Trace, node: &FlameNode) -> String {
    match &node.kind {
        FlameNodeKind::Trace => trace.name.clone(),
        FlameNodeKind::Task(task) => task_name(trace, *task),
        FlameNodeKind::NoTask => "(no task)".to_string(),
        FlameNodeKind::Agent(Some(id)) => trace
            .agent(id)
            .map_or_else(|| id.clone(), |agent| agent.role.clone()),
        FlameNodeKind::Agent(None) => "(no agent)".to_string(),
        FlameNodeKind::Step(step) => trace
            .steps
            .get(*step)
            .map_or_else(|| format!("step {step}"), |step| step.name.clone()),
    }
}

/// A flame node's value with its unit and share: "$0.0123 · 38%".
pub fn flame_value(node: &FlameNode, weight: FlameWeight) -> String {
    let value = match weight {
        FlameWeight::CostUsd => format_cost_usd(node.value),
        FlameWeight::Tokens => format!("{} tokens", format_count(node.value.round() as u64)),
    };
    format!("{value} · {}", percent(node.width))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_and_keep_slivers_visible() {
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(0.001), "<1%");
        assert_eq!(percent(0.384), "38%");
        assert_eq!(percent(1.0), "100%");
    }

    #[test]
    fn an_outlier_names_its_factor_and_the_median() {
        let outlier = SlowOutlier {
            step: 3,
            group: PeerGroup::Tool("fetch_url".into()),
            duration_ns: 4_920_000_000,
            median_ns: 1_200_000_000,
            threshold_ns: 3_600_000_000,
            peers: 6,
            times_median: 4.1,
        };
        assert_eq!(
            outlier_figure(&outlier),
            "4.1× the median of fetch_url (1.2 s)"
        );
        let instant = SlowOutlier {
            median_ns: 0,
            times_median: f64::INFINITY,
            ..outlier
        };
        assert_eq!(outlier_figure(&instant), "fetch_url usually takes 0 ms");
    }

    #[test]
    fn hogs_growth_and_waste_read_as_sentences() {
        let hog = Hog {
            index: 0,
            tokens: Some(11_892),
            cost_usd: Some(0.0123),
            calls_without_tokens: 0,
            calls_without_cost: 0,
            token_share: 0.384,
            cost_share: 0.5,
        };
        assert_eq!(
            hog_figure(&hog, FlameWeight::Tokens),
            "11,892 tokens · 38% of all"
        );
        assert_eq!(hog_figure(&hog, FlameWeight::CostUsd), "$0.01 · 50% of all");
        let growing = GrowingPrompt {
            steps: vec![1, 2, 3, 4, 5, 6],
            task: None,
            agent_id: None,
            first_input_tokens: 1_200,
            last_input_tokens: 5_400,
            growth_tokens: 4_200,
            total_input_tokens: 18_000,
        };
        assert_eq!(
            growing_figure(&growing),
            "prompt grew 1,200 → 5,400 tokens over 6 calls"
        );
        let duplicates = DuplicateCalls {
            tool: "web_search".into(),
            steps: vec![1, 2, 3],
            after_success: vec![3],
        };
        assert_eq!(
            duplicate_figure(&duplicates),
            "3 calls with the same arguments, 1 after one had succeeded"
        );
        let retry = Retry {
            failed: 1,
            retry: 2,
            succeeded: false,
        };
        assert_eq!(retry_figure(&retry), "retried, failed again");
    }
}
