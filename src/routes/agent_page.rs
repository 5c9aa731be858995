//! One agent, by role, across the traces loaded in this tab: a row per run with links into it, totals, and its errors with links to the failing steps. Route layer: uses routes, components, state, I/O and the core.

use leptos::prelude::*;

use crate::components::rollup::empty::NoTraceOpen;
use crate::routes::dashboard::RollupHeader;
use crate::state::traces::{by_id, use_session_traces, SessionTrace};
use stepwise_core::format::plural;
use stepwise_core::metrics::{format_cost_tally, format_count, format_count_tally};
use stepwise_core::rollup::{agent_page, AgentEntry, TraceRef};
use stepwise_core::view_query::Selection;

#[component]
pub fn AgentPage(role: String) -> impl IntoView {
    let traces = use_session_traces();
    let title = format!("Agent: {role}");
    view! {
        <div class="rollup-page" data-testid="agent-page">
            <RollupHeader title />
            {move || {
                let list = traces.get();
                let refs: Vec<TraceRef> = list
                    .iter()
                    .map(|t| TraceRef { id: &t.id, trace: &t.loaded.trace })
                    .collect();
                match (list.is_empty(), agent_page(&refs, &role)) {
                    (true, _) => view! { <NoTraceOpen /> }.into_any(),
                    (false, None) => view! {
                        <p class="notice" data-testid="agent-absent">
                            {format!(
                                "No trace open in this tab has an agent called {role:?} ({}).",
                                plural(list.len(), "trace"),
                            )}
                            " "
                            <a href="?dashboard=cost">"See the cost dashboard"</a>
                        </p>
                    }
                    .into_any(),
                    (false, Some(entry)) => view! { <AgentRuns entry list /> }.into_any(),
                }
            }}
        </div>
    }
}

#[component]
fn AgentRuns(entry: AgentEntry, list: Vec<SessionTrace>) -> impl IntoView {
    let link = |trace: &SessionTrace, selection: Selection| {
        trace
            .source
            .view_query()
            .with_selection(Some(selection))
            .to_query_string()
    };
    let rows = entry
        .traces
        .iter()
        .filter_map(|part| {
            let trace = by_id(&list, &part.trace_id)?;
            let href = link(trace, Selection::Agent(part.agent_id.clone()));
            let has_errors = !part.errors.is_empty();
            Some(view! {
                <tr data-testid="agent-run">
                    <th scope="row"><a href=href>{trace.label()}</a></th>
                    <td class="num">{format_count(part.steps.len() as u64)}</td>
                    <td class="num" class:has-errors=has_errors>{format_count(part.errors.len() as u64)}</td>
                    <td class="num">{format_count_tally(&part.tokens)}</td>
                    <td class="num">{format_cost_tally(&part.cost_usd)}</td>
                </tr>
            })
        })
        .collect_view();
    let errors = entry
        .traces
        .iter()
        .filter_map(|part| Some((by_id(&list, &part.trace_id)?, part)))
        .flat_map(|(trace, part)| {
            part.errors.iter().filter_map(move |&index| {
                let step = trace.loaded.trace.steps.get(index)?;
                let message = step.error.as_ref().map(|error| error.message.clone());
                Some(view! {
                    <li data-testid="agent-error">
                        <a href=link(trace, Selection::Step(step.id.clone()))>{step.name.clone()}</a>
                        <span class="hint">" in " {trace.label()}</span>
                        {message.map(|text| view! { <div class="agent-error-message">{text}</div> })}
                    </li>
                })
            })
        })
        .collect_view();
    let runs = entry.traces.len();
    view! {
        <div class="rollup-totals" data-testid="agent-totals">
            <Total label="runs" value=format_count(runs as u64) testid="agent-runs" />
            <Total label="steps" value=format_count(entry.steps as u64) testid="agent-steps" />
            <Total label="errors" value=format_count(entry.errors as u64) testid="agent-errors" />
            <Total label="tokens" value=format_count_tally(&entry.tokens) testid="agent-tokens" />
            <Total label="cost" value=format_cost_tally(&entry.cost_usd) testid="agent-cost" />
        </div>
        <p class="hint rollup-note">
            "Every trace opened in this tab in which an agent with this role took part. Tokens and cost count its LLM calls. "
            <a href="?dashboard=cost">"Cost dashboard"</a>
        </p>
        <section class="panel rollup-section">
            <h2>"Runs"</h2>
            <div class="table-scroll">
                <table class="rollup-table" data-testid="agent-runs-table">
                    <thead>
                        <tr>
                            <th scope="col">"Trace"</th>
                            <th scope="col" class="num">"Steps"</th>
                            <th scope="col" class="num">"Errors"</th>
                            <th scope="col" class="num">"Tokens"</th>
                            <th scope="col" class="num">"Cost"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
        <section class="panel rollup-section" data-testid="agent-error-list">
            <h2>{format!("Errors ({})", entry.errors)}</h2>
            {(entry.errors == 0).then(|| view! { <p class="hint">"No errors in these runs."</p> })}
            <ul class="link-list errors">{errors}</ul>
        </section>
    }
}

#[component]
fn Total(label: &'static str, value: String, testid: &'static str) -> impl IntoView {
    let failing = label == "errors" && value != "0";
    view! {
        <div class="figure" class:has-errors=failing>
            <span class="figure-label">{label}</span>
            <span class="figure-value" data-testid=testid>{value}</span>
        </div>
    }
}
