//! The cost dashboard: across the traces loaded in this tab, the top tasks, agents and models by cost or tokens, each linking into its trace. Route layer: uses routes, components, state, I/O and the core.

use leptos::prelude::*;

use crate::components::open_file::OpenFileHereButton;
use crate::components::rollup::empty::NoTraceOpen;
use crate::components::rollup::ranking::{FromTrace, RankRow, RankingList};
use crate::components::rollup::totals::{RankSwitch, TotalsLine};
use crate::components::theme::ThemeSwitch;
use crate::state::traces::{by_id, use_session_traces, SessionTrace};
use stepwise_core::conversation::{conversation_id, group_by_conversation};
use stepwise_core::format::plural;
use stepwise_core::metrics::{format_cost_tally, format_count_tally};
use stepwise_core::model::Tally;
use stepwise_core::rollup::{
    share_percent, top_agents, top_models, top_tasks, total_of, totals, RankBy, TraceRef,
};
use stepwise_core::view_query::{encode, Selection};

/// Entries per list: enough to see where the money went, short enough to read.
const TOP_N: usize = 10;

#[component]
pub fn DashboardPage(by: RankBy) -> impl IntoView {
    let traces = use_session_traces();
    view! {
        <div class="rollup-page" data-testid="dashboard">
            <RollupHeader title="Cost dashboard".to_string() />
            {move || {
                let list = traces.get();
                if list.is_empty() {
                    view! { <NoTraceOpen /> }.into_any()
                } else {
                    view! { <DashboardBody list by /> }.into_any()
                }
            }}
        </div>
    }
}

/// The cross-trace pages' header: the start page, back to where the user came from, the
/// title, a way to open more traces without leaving, the theme.
#[component]
pub fn RollupHeader(title: String) -> impl IntoView {
    let back = move |_| {
        if let Some(history) = web_sys::window().and_then(|window| window.history().ok()) {
            let _ = history.back();
        }
    };
    view! {
        <header class="trace-header rollup-header">
            <a class="home-link" href="./" title="Stepwise: start page" data-testid="home-link">
                <img src=crate::io::share::logo_src() alt="Stepwise start page" width="22" height="22" />
            </a>
            <button type="button" class="header-button" data-testid="rollup-back" title="Back to the page you came from" on:click=back>
                "← Back"
            </button>
            <h1 class="trace-name">{title}</h1>
            <span class="spacer"></span>
            <OpenFileHereButton />
            <ThemeSwitch />
        </header>
    }
}

#[component]
fn DashboardBody(list: Vec<SessionTrace>, by: RankBy) -> impl IntoView {
    let refs: Vec<TraceRef> = list
        .iter()
        .map(|t| TraceRef {
            id: &t.id,
            trace: &t.loaded.trace,
        })
        .collect();
    let sum = totals(&refs);
    let whole = total_of(&sum, by);
    // Unknown parts are said, never summed as 0: "$0.41 + 3 calls unpriced", "—".
    let figures = |tokens: Tally<u64>, cost_usd: Tally<f64>| match by {
        RankBy::CostUsd => (
            format_cost_tally(&cost_usd),
            format!("{} tokens", format_count_tally(&tokens)),
        ),
        RankBy::Tokens => (
            format!("{} tokens", format_count_tally(&tokens)),
            format_cost_tally(&cost_usd),
        ),
    };
    // A bar's width: the known part.
    let share = |tokens: Tally<u64>, cost_usd: Tally<f64>| match by {
        RankBy::CostUsd => share_percent(cost_usd.known, whole),
        RankBy::Tokens => share_percent(tokens.known as f64, whole),
    };
    let link = |trace: &SessionTrace, selection: Selection| {
        trace
            .source
            .view_query()
            .with_selection(Some(selection))
            .to_query_string()
    };
    let tasks: Vec<RankRow> = top_tasks(&refs, by, TOP_N)
        .into_iter()
        .filter_map(|entry| {
            let trace = by_id(&list, &entry.trace_id)?;
            let task = trace.loaded.trace.tasks.get(entry.task)?;
            let href = link(trace, Selection::Task(task.id.clone()));
            let (figure, other) = figures(entry.tokens, entry.cost_usd);
            let agent = task
                .agent_id
                .as_deref()
                .and_then(|id| trace.loaded.trace.agent(id))
                .map(|agent| agent.role.clone())
                .unwrap_or_default();
            Some(RankRow {
                label: entry.name,
                detail: agent,
                figure,
                other,
                share_pct: share(entry.tokens, entry.cost_usd),
                from: vec![FromTrace {
                    label: trace.label(),
                    href: trace.source.query_string(),
                }],
                href,
            })
        })
        .collect();
    let agents: Vec<RankRow> = top_agents(&refs, by, TOP_N)
        .into_iter()
        .map(|entry| {
            let from = entry
                .traces
                .iter()
                .filter_map(|part| {
                    let trace = by_id(&list, &part.trace_id)?;
                    Some(FromTrace {
                        label: trace.label(),
                        href: link(trace, Selection::Agent(part.agent_id.clone())),
                    })
                })
                .collect();
            let (figure, other) = figures(entry.tokens, entry.cost_usd);
            RankRow {
                href: format!("?agent_page={}", encode(&entry.role)),
                detail: steps_and_errors(entry.steps, entry.errors),
                figure,
                other,
                share_pct: share(entry.tokens, entry.cost_usd),
                from,
                label: entry.role,
            }
        })
        .collect();
    let models: Vec<RankRow> = top_models(&refs, by, TOP_N)
        .into_iter()
        .map(|entry| {
            // Each trace's link opens it on the model's first call there.
            let from: Vec<FromTrace> = entry
                .traces
                .iter()
                .filter_map(|part| {
                    let trace = by_id(&list, &part.trace_id)?;
                    let step = trace.loaded.trace.steps.get(*part.steps.first()?)?;
                    Some(FromTrace {
                        label: trace.label(),
                        href: link(trace, Selection::Step(step.id.clone())),
                    })
                })
                .collect();
            let (figure, other) = figures(entry.tokens, entry.cost_usd);
            RankRow {
                href: from.first().map(|f| f.href.clone()).unwrap_or_default(),
                detail: plural(entry.calls as usize, "call"),
                figure,
                other,
                share_pct: share(entry.tokens, entry.cost_usd),
                from,
                label: entry.model,
            }
        })
        .collect();
    let basis = match by {
        RankBy::CostUsd => "cost",
        RankBy::Tokens => "tokens",
    };
    view! {
        <div class="rollup-top">
            <TotalsLine totals=sum />
            <RankSwitch by />
        </div>
        <p class="hint rollup-note">
            {format!(
                "The top {TOP_N} of each across the traces opened in this tab, by {basis}; bars show each entry's share of the total. Tokens and cost count LLM calls."
            )}
        </p>
        <div class="rollup-grid">
            <RankingList title="Top tasks" testid="top-tasks" rows=tasks empty="No tasks in these traces." />
            <RankingList title="Top agents" testid="top-agents" rows=agents empty="No agents in these traces." />
            <RankingList title="Top models" testid="top-models" rows=models empty="No LLM calls in these traces." />
        </div>
        <TraceChips list />
    }
}

/// The traces counted, each a link to it; a conversation's traces are gathered under
/// its `gen_ai.conversation.id`.
#[component]
fn TraceChips(list: Vec<SessionTrace>) -> impl IntoView {
    let groups = group_by_conversation(
        list.iter()
            .map(|trace| conversation_id(&trace.loaded.trace)),
    );
    let link = |trace: &SessionTrace| {
        let href = trace.source.query_string();
        view! { <li><a href=href>{trace.label()}</a></li> }
    };
    let items = groups
        .into_iter()
        .map(|group| {
            let links = group
                .items
                .iter()
                .filter_map(|&index| list.get(index))
                .map(link)
                .collect_view();
            match group.conversation.filter(|_| group.items.len() > 1) {
                Some(id) => view! {
                    <li class="rollup-conversation" data-testid="rollup-conversation">
                        <span class="conversation-head">{format!("Conversation {id}")}</span>
                        <ul class="link-list">{links}</ul>
                    </li>
                }
                .into_any(),
                None => links.into_any(),
            }
        })
        .collect_view();
    view! {
        <section class="panel rollup-traces" data-testid="rollup-traces">
            <h2>"Traces counted"</h2>
            <ul class="link-list">{items}</ul>
        </section>
    }
}

pub fn steps_and_errors(steps: usize, errors: usize) -> String {
    match errors {
        0 => plural(steps, "step"),
        n => format!("{} · {}", plural(steps, "step"), plural(n, "error")),
    }
}
