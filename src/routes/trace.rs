//! The page of one trace: header, summary, tasks and steps. UI layer.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::step_details::StepDetails;
use crate::components::step_list::StepList;
use crate::components::summary::SummaryBar;
use crate::components::task_table::TaskTable;
use crate::model::Trace;
use crate::source::{load, TraceSource};

#[component]
pub fn TracePage() -> impl IntoView {
    let query = use_query_map();
    let source = Memo::new(move |_| TraceSource::from_query(query.read().get_str("trace")));
    let loaded = LocalResource::new(move || {
        let source = source.get();
        async move { load(source?).await }
    });
    view! {
        <Transition fallback=|| view! { <p class="notice">"Loading trace…"</p> }>
            {move || {
                loaded
                    .get()
                    .map(|result| match result {
                        Ok(trace) => view! { <TraceView trace /> }.into_any(),
                        Err(message) => {
                            view! { <p class="notice error" role="alert">{message}</p> }.into_any()
                        }
                    })
            }}
        </Transition>
    }
}

#[component]
fn TraceView(trace: Arc<Trace>) -> impl IntoView {
    let query = use_query_map();
    let selected = Memo::new(move |_| query.read().get("step"));
    let details_trace = trace.clone();
    view! {
        <header class="trace-header">
            <h1 class="trace-name">{trace.name.clone()}</h1>
            <span class=format!("status status-{}", trace.status.label())>
                {trace.status.label()}
            </span>
            <span class="source-format">{trace.source_format.label()}</span>
        </header>
        <SummaryBar trace=trace.clone() />
        <div class="columns">
            <section class="panel" aria-labelledby="tasks-heading">
                <h2 id="tasks-heading">"Tasks & agents"</h2>
                <TaskTable trace=trace.clone() />
            </section>
            <section class="panel" aria-labelledby="steps-heading">
                <h2 id="steps-heading">"Steps"</h2>
                <StepList trace=trace.clone() selected />
            </section>
        </div>
        {move || {
            selected
                .get()
                .and_then(|id| {
                    details_trace
                        .step(&id)
                        .cloned()
                        .map(|step| view! { <StepDetails trace=details_trace.clone() step /> })
                })
        }}
    }
}
