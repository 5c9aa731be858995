//! The figures of a trace still being opened, sent by the import worker ahead of the trace, so a large file shows what it holds at once. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;

use stepwise_core::intake::{Preview, PreviewTask};
use stepwise_core::metrics::{
    format_cost_tally, format_count, format_count_tally, format_duration_ns,
};

fn duration(duration_ns: Option<i64>) -> String {
    duration_ns.map_or_else(|| "—".to_string(), format_duration_ns)
}

/// Unknown is not zero: "—" when no call records tokens, a partial sum that says so.
fn tokens(preview: &Preview) -> String {
    format_count_tally(&preview.total_tokens)
}

/// Calls with no cost are unknown, not free: "—" when nothing is priced, and
/// "$0.41 + 3 calls unpriced" when only some are.
fn cost(preview: &Preview) -> String {
    format_cost_tally(&preview.cost_usd)
}

/// "Launch pricing crew · failed", the headline figures, and the first tasks.
#[component]
pub fn PreviewCard(preview: Preview) -> impl IntoView {
    let cost_label = if preview.cost_estimated {
        "Estimated cost"
    } else {
        "Cost"
    };
    // The hover says why a figure is unknown or partial.
    let figures = [
        ("Steps", format_count(preview.steps as u64), None),
        ("LLM calls", format_count(preview.llm_calls), None),
        ("Tokens", tokens(&preview), preview.tokens_note.clone()),
        (cost_label, cost(&preview), preview.cost_note.clone()),
        ("Time", duration(preview.duration_ns), None),
        ("Errors", format_count(preview.errors as u64), None),
    ];
    let more_tasks = preview.tasks_total.saturating_sub(preview.tasks.len());
    view! {
        <section class="preview" data-testid="preview" aria-label="The trace being opened">
            <p class="preview-title">
                <span class="preview-name">{preview.name}</span>
                <span class=format!("status status-{}", preview.status)>{preview.status.clone()}</span>
            </p>
            <dl class="preview-figures">
                {figures
                    .into_iter()
                    .map(|(label, value, note)| {
                        view! {
                            <div class="preview-figure" title=note>
                                <dt>{label}</dt>
                                <dd data-testid="preview-figure">{value}</dd>
                            </div>
                        }
                    })
                    .collect_view()}
            </dl>
            {(!preview.tasks.is_empty()).then(|| view! { <PreviewTasks tasks=preview.tasks more_tasks /> })}
        </section>
    }
}

#[component]
fn PreviewTasks(tasks: Vec<PreviewTask>, more_tasks: usize) -> impl IntoView {
    view! {
        <table class="preview-tasks">
            <thead>
                <tr><th>"Task"</th><th>"Agent"</th><th>"Status"</th><th class="num">"Duration"</th></tr>
            </thead>
            <tbody>
                {tasks
                    .into_iter()
                    .map(|task| {
                        view! {
                            <tr data-testid="preview-task">
                                <td class="preview-task-name" title=task.name.clone()>{task.name.clone()}</td>
                                <td>{task.agent.unwrap_or_else(|| "—".to_string())}</td>
                                <td><span class=format!("status status-{}", task.status)>{task.status.clone()}</span></td>
                                <td class="num">{duration(task.duration_ns)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        {(more_tasks > 0).then(|| view! {
            <p class="preview-more">{format!("and {} more", format_count(more_tasks as u64))}</p>
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stepwise_core::model::Tally;

    /// `known` of `parts` calls, the others unknown.
    fn preview(tokens: Tally<u64>, cost_usd: Tally<f64>) -> Preview {
        Preview {
            total_tokens: tokens,
            cost_usd,
            ..Preview::default()
        }
    }

    fn tally<T: Copy>(known: T, known_parts: u64, unknown_parts: u64) -> Tally<T> {
        Tally {
            known,
            known_parts,
            unknown_parts,
        }
    }

    #[test]
    fn unknown_tokens_and_costs_are_never_shown_as_zero() {
        let no_cost = tally(0.0, 0, 0);
        assert_eq!(tokens(&preview(tally(0, 0, 3), no_cost)), "—");
        assert_eq!(
            tokens(&preview(tally(0, 0, 0), no_cost)),
            "0",
            "no calls: none"
        );
        assert_eq!(tokens(&preview(tally(1_200, 3, 0), no_cost)), "1,200");
        let counted = tally(10, 3, 0);
        assert_eq!(cost(&preview(counted, tally(0.0, 0, 3))), "—");
        assert_eq!(
            cost(&preview(counted, tally(0.41, 1, 2))),
            "$0.41 + 2 calls unpriced"
        );
        assert_eq!(cost(&preview(counted, tally(0.41, 3, 0))), "$0.41");
    }
}
