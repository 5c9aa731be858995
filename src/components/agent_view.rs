//! One selected agent: who it is, and what it did in this trace (tasks, calls, tokens, cost, errors). Component layer: uses components, state, I/O and the core.

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::details::{DetailsFrame, Fact, SelectLink, StepLinkItem};
use stepwise_core::metrics::{format_cost_tally, format_count, format_count_tally};
use stepwise_core::model::{Agent, Trace};
use stepwise_core::present::agent_figures;
use stepwise_core::view_query::Selection;

#[component]
pub fn AgentView(trace: Arc<Trace>, agent: Agent) -> impl IntoView {
    let figures = agent_figures(&trace, &agent.id);
    // The agent's declared models first, then whatever its calls actually used.
    let mut models = agent.models.clone();
    models.extend(figures.models.iter().cloned());
    models.sort();
    models.dedup();
    let models =
        (!models.is_empty()).then(|| view! { <Fact label="Models">{models.join(", ")}</Fact> });
    let goal = agent
        .goal
        .clone()
        .map(|goal| view! { <Fact label="Goal">{goal}</Fact> });
    let backstory = agent
        .backstory
        .clone()
        .map(|text| view! { <Fact label="Backstory">{text}</Fact> });
    let estimated = figures.cost_estimated.then_some("estimated");
    let tasks = figures
        .tasks
        .iter()
        .map(|&index| {
            let task = &trace.tasks[index];
            let status = task.status.label();
            view! {
                <li>
                    <SelectLink selection=Selection::Task(task.id.clone()) text=task.name.clone() />
                    " "
                    <span class=format!("status status-{status}")>{status}</span>
                </li>
            }
        })
        .collect_view();
    let errors = (!figures.errors.is_empty()).then(|| {
        let items = figures
            .errors
            .iter()
            .map(|&index| {
                view! { <StepLinkItem step=trace.steps[index].clone() /> }
            })
            .collect_view();
        view! {
            <section class="details-section">
                <h3>{format!("Errors ({})", figures.errors.len())}</h3>
                <ul class="link-list errors">{items}</ul>
            </section>
        }
    });
    view! {
        <DetailsFrame
            testid="agent-details"
            aria_label="Agent"
            kind_label="agent"
            kind_key="agent"
            title=agent.role.clone()
        >
            <dl class="facts">{goal}{backstory}{models}</dl>
            <a
                class="all-runs-link"
                href=format!("?agent_page={}", stepwise_core::view_query::encode(&agent.role))
                data-testid="agent-all-runs"
            >
                "All runs of this agent →"
            </a>
            <section class="details-section">
                <h3>"In this trace"</h3>
                <div class="mini-figures">
                    <Figure label="Steps" value=format_count(figures.steps as u64) />
                    <Figure label="LLM calls" value=format_count(figures.llm_calls as u64) />
                    <Figure label="Tool calls" value=format_count(figures.tool_calls as u64) />
                    <Figure label="Tokens in" value=format_count_tally(&figures.input_tokens) />
                    <Figure label="Tokens out" value=format_count_tally(&figures.output_tokens) />
                    <Figure label="Cost" value=format_cost_tally(&figures.cost_usd) note=estimated />
                    <Figure label="Errors" value=format_count(figures.errors.len() as u64) />
                </div>
            </section>
            <section class="details-section">
                <h3>{format!("Tasks ({})", figures.tasks.len())}</h3>
                <ul class="link-list">{tasks}</ul>
            </section>
            {errors}
        </DetailsFrame>
    }
}

#[component]
fn Figure(
    label: &'static str,
    value: String,
    #[prop(default = None)] note: Option<&'static str>,
) -> impl IntoView {
    view! {
        <div class="mini-figure">
            <span class="mini-label">{label}</span>
            <span class="mini-value">{value}</span>
            {note.map(|note| view! { <span class="estimated">{note}</span> })}
        </div>
    }
}
