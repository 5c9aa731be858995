//! Tasks with their agent, models, status, duration, tokens and cost. UI layer.

use std::sync::Arc;

use leptos::prelude::*;

use crate::metrics::{format_cost_usd, format_count, format_duration_ns, task_figures};
use crate::model::Trace;

#[component]
pub fn TaskTable(trace: Arc<Trace>) -> impl IntoView {
    let rows = task_figures(&trace)
        .into_iter()
        .map(|row| {
            let task = &trace.tasks[row.task];
            let status = task.status.label();
            view! {
                <tr>
                    <td class="task-name">{task.name.clone()}</td>
                    <td>{row.agent_role.unwrap_or_else(|| "—".to_string())}</td>
                    <td class="models">{row.models.join(", ")}</td>
                    <td><span class=format!("status status-{status}")>{status}</span></td>
                    <td class="num">{row.duration_ns.map_or_else(|| "—".to_string(), format_duration_ns)}</td>
                    <td class="num">{format_count(row.total_tokens)}</td>
                    <td class="num">{format_cost_usd(row.cost_usd)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="tasks">
            <thead>
                <tr>
                    <th scope="col">"Task"</th>
                    <th scope="col">"Agent"</th>
                    <th scope="col">"LLMs"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col" class="num">"Duration"</th>
                    <th scope="col" class="num">"Tokens"</th>
                    <th scope="col" class="num">"Cost"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// The crew: each agent's role and the models it used.
#[component]
pub fn AgentList(trace: Arc<Trace>) -> impl IntoView {
    let agents = trace
        .agents
        .iter()
        .map(|agent| {
            view! {
                <li>
                    <span class="agent-role">{agent.role.clone()}</span>
                    <span class="models">{agent.models.join(", ")}</span>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="agents" aria-label="Agents">{agents}</ul> }
}
