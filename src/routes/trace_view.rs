//! The view of one loaded trace: header, summary, timeline, steps, details, tasks, output. Route layer: uses routes, components, state, I/O and the core.

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::details_pane::Details;
use crate::components::embed::link::EmbedLink;
use crate::components::final_output::FinalOutput;
use crate::components::insights::{InsightsBody, InsightsState};
use crate::components::keyboard::{use_trace_keys, KeyMap};
use crate::components::recent::RememberRecent;
use crate::components::repairs::RepairsNotice;
use crate::components::search_bar::SearchBar;
use crate::components::step_list::StepList;
use crate::components::step_search::{use_step_search, StepSearch};
use crate::components::summary::SummaryBar;
use crate::components::task_table::{AgentList, TaskTable};
use crate::components::timeline::marks::TimelineMarks;
use crate::components::timeline::TimelineCanvas;
use crate::components::trace_header::{EmbedHeader, FullHeader};
use crate::state::view::{Current, ViewState};
use stepwise_core::embed::{EmbedConfig, Panels};
use stepwise_core::model::Trace;
use stepwise_core::view_query::Selection;

#[component]
pub fn TraceView(current: Current) -> impl IntoView {
    let state = ViewState::new();
    provide_context(state);
    // Embedding parameters survive every navigation (`KEPT_KEYS`), so they are read once.
    let embed = EmbedConfig::from_query(&state.query.get_untracked());
    let panels = if embed.embedded {
        embed.panels
    } else {
        Panels::all()
    };
    let trace = current.loaded.trace.clone();
    let rows = current.loaded.step_rows();
    provide_context(current);
    if embed.embedded {
        publish_to_embed_bridge(trace.clone());
    }
    let stage = staged_render(trace.steps.len());
    let key_map_open = use_trace_keys(trace.clone(), rows.clone(), state);
    let search = use_step_search(trace.clone(), rows.clone(), state);
    // Panels re-render their bodies when shown again, so each keeps its own handle.
    let (timeline_trace, steps_trace, tasks_trace) = (trace.clone(), trace.clone(), trace.clone());
    let selection = Memo::new(move |_| state.query.read().selection.clone());
    let selected_step = Memo::new(move |_| state.query.read().selected_step().map(str::to_string));
    let window_ms = Signal::derive(move || state.query.read().window_ms);
    let on_select = Callback::new(move |selection: Selection| state.select(Some(selection)));
    let on_window = Callback::new(move |window: Option<(f64, f64)>| state.set_window(window));
    let header = if embed.embedded {
        view! { <EmbedHeader trace=trace.clone() /> }.into_any()
    } else {
        view! { <FullHeader trace=trace.clone() key_map_open /> }.into_any()
    };
    let summary = panels
        .summary
        .then(|| view! { <SummaryBar trace=trace.clone() rows=rows.clone() /> });
    // Shared by the insights panel and the timeline, which marks the critical path.
    let insights_state = InsightsState::new(trace.clone(), rows.clone());
    provide_context(insights_state);
    let marks = timeline_marks(insights_state, search);
    let insights = panels.insights.then(|| {
        view! {
            <Panel name="insights" title="Insights" class="insights-panel">
                <InsightsBody />
            </Panel>
        }
    });
    let timeline_rows = rows.clone();
    let timeline_body = move || {
        view! {
            <TimelineCanvas
                trace=timeline_trace.clone()
                selected=selected_step.into()
                window_ms
                on_select
                on_window
                rows=timeline_rows.clone()
                marks
            />
        }
    };
    let timeline = panels.timeline.then(move || {
        view! {
            <Panel name="timeline" title="Execution timeline" class="timeline-panel">
                {
                    let body = timeline_body.clone();
                    view! {
                        <Show
                            when=move || { stage.get() >= Stage::Timeline }
                            fallback=|| view! { <StagePlaceholder what="the timeline" /> }
                        >
                            {body.clone()}
                        </Show>
                    }
                }
            </Panel>
        }
    });
    // The details pane goes with the steps: it shows what the list selects.
    let step_rows_for_list = rows.clone();
    let steps_body = move || {
        view! {
            <SearchBar trace=steps_trace.clone() rows=step_rows_for_list.clone() search />
            <StepList
                trace=steps_trace.clone()
                rows=step_rows_for_list.clone()
                selected=selected_step
            />
        }
    };
    let steps = panels.steps.then(|| {
        view! {
            <div class="columns">
                <Panel name="steps" title="Steps" class="steps-panel">
                    {
                        let body = steps_body.clone();
                        view! {
                            <Show
                                when=move || { stage.get() >= Stage::Steps }
                                fallback=|| view! { <StagePlaceholder what="the steps" /> }
                            >
                                {body.clone()}
                            </Show>
                        }
                    }
                </Panel>
                <Details trace=trace.clone() selection />
            </div>
        }
    });
    let table = panels.table.then(move || {
        view! {
            <Panel name="tasks" title="Tasks & agents" class="">
                {
                    let trace = tasks_trace.clone();
                    view! {
                        <Show
                            when=move || { stage.get() >= Stage::Tables }
                            fallback=|| view! { <StagePlaceholder what="the tasks" /> }
                        >
                            <TaskTable trace=trace.clone() />
                            <AgentList trace=trace.clone() />
                        </Show>
                    }
                }
            </Panel>
        }
    });
    let output = panels
        .output
        .then(|| view! { <FinalOutput trace=trace.clone() /> });
    // One of the pair alone takes the full width rather than leaving a hole.
    let lower_class = if panels.table && panels.output {
        "columns"
    } else {
        "columns single"
    };
    view! {
        {header}
        <RepairsNotice trace=trace.clone() />
        {summary}
        {insights}
        {timeline}
        {steps}
        <div class=lower_class>{table}{output}</div>
        <KeyMap open=key_map_open />
        // A host's traces are the host's: they stay out of this browser's recent list.
        {(!embed.embedded).then(|| view! { <RememberRecent /> })}
    }
}

/// How far the first render of a large trace has got: the summary first, then the step
/// list, the timeline and the tasks table (below them on the page), each in its own
/// browser task.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    Summary,
    Steps,
    Timeline,
    Tables,
}

/// Below this many steps the whole view is built in one task: splitting would only flicker.
const STAGED_MIN_STEPS: usize = 5_000;

/// The render stage, advanced one browser task at a time for a large trace, so its figures
/// show at once and no single task builds the whole page.
fn staged_render(steps: usize) -> RwSignal<Stage> {
    if steps < STAGED_MIN_STEPS {
        return RwSignal::new(Stage::Tables);
    }
    let stage = RwSignal::new(Stage::Summary);
    leptos::task::spawn_local(async move {
        for next in [Stage::Steps, Stage::Timeline, Stage::Tables] {
            // Without a way to yield, the rest is built at once, as for a small trace.
            let _ = crate::io::stream::yield_to_browser().await;
            // The view may be gone (another trace opened) before its turn comes.
            if stage.try_set(next).is_some() {
                return;
            }
            crate::io::stream::mark(match next {
                Stage::Steps => "stepwise:stage-steps",
                Stage::Timeline => "stepwise:stage-timeline",
                _ => "stepwise:stage-tables",
            });
        }
    });
    stage
}

/// Holds a panel's place while its content waits for its turn to be built.
#[component]
fn StagePlaceholder(what: &'static str) -> impl IntoView {
    view! {
        <p class="stage-placeholder" data-testid="stage-placeholder" role="status">
            {format!("Preparing {what}…")}
        </p>
    }
}

/// Tells the embed bridge which trace is on screen, and when it is gone.
fn publish_to_embed_bridge(trace: Arc<Trace>) {
    let Some(link) = use_context::<EmbedLink>() else {
        return;
    };
    // After the view is built, so `loaded` reaches the host once the trace is visible.
    Effect::new(move |_| link.publish(trace.clone()));
    on_cleanup(move || link.withdraw());
}

/// A page section that can be hidden; which ones are hidden lives in the URL (`hide=`),
/// so a link (or an embedding page) reproduces the layout.
#[component]
fn Panel(
    name: &'static str,
    title: &'static str,
    class: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    let state = expect_context::<ViewState>();
    let hidden = Memo::new(move |_| state.query.read().hidden_panels.iter().any(|p| p == name));
    let heading = format!("{name}-heading");
    let heading_id = heading.clone();
    view! {
        <section
            class=format!("panel {class}")
            class:collapsed=move || hidden.get()
            aria-labelledby=heading
            data-panel=name
        >
            <div class="panel-head">
                <h2 id=heading_id>{title}</h2>
                <button
                    type="button"
                    class="panel-toggle"
                    aria-expanded=move || (!hidden.get()).to_string()
                    on:click=move |_| state.set_panel_hidden(name, !hidden.get_untracked())
                >
                    {move || if hidden.get() { "Show" } else { "Hide" }}
                </button>
            </div>
            <Show when=move || !hidden.get()>{children()}</Show>
        </section>
    }
}

/// What the timeline marks: the critical path while the insights show it, and the
/// search's matches while a query is set.
fn timeline_marks(insights: InsightsState, search: StepSearch) -> TimelineMarks {
    let path_steps = Memo::new(move |_| match insights.shown_path() {
        Some(found) => Arc::new(found.critical_path.steps.clone()),
        None => Arc::default(),
    });
    let match_steps = Memo::new(move |_| Arc::new(search.matches.read().in_order.clone()));
    TimelineMarks {
        path_steps: path_steps.into(),
        match_steps: match_steps.into(),
        show_path: Some(insights.show_path),
    }
}
