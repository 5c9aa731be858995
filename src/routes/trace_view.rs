//! The view of one loaded trace: header, summary, the views as tabs (timeline and steps, graph, reader, insights) with the details beside them, the annotations and saved views, then tasks and output. Route layer: uses routes, components, state, I/O and the core.

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::annotations::AnnotationsPanel;
use crate::components::details_pane::Details;
use crate::components::embed::link::EmbedLink;
use crate::components::final_output::FinalOutput;
use crate::components::graph::AgentGraph;
use crate::components::insights::{InsightsBody, InsightsState};
use crate::components::keyboard::{use_trace_keys, KeyMap};
use crate::components::reader::ReaderView;
use crate::components::recent::RememberRecent;
use crate::components::repairs::RepairsNotice;
use crate::components::root_crumb::RootCrumb;
use crate::components::search_bar::SearchBar;
use crate::components::share_banner::ShareBanner;
use crate::components::step_list::StepList;
use crate::components::step_search::{use_step_search, StepSearch};
use crate::components::summary::SummaryBar;
use crate::components::task_table::{AgentList, TaskTable};
use crate::components::timeline::marks::TimelineMarks;
use crate::components::timeline::TimelineCanvas;
use crate::components::trace_header::{EmbedHeader, FullHeader};
use crate::components::view_tabs::{self, ViewTabs};
use crate::state::notes::{PageNotes, ReadOnly};
use crate::state::view::{Current, ViewState};
use stepwise_core::embed::{EmbedConfig, Panels};
use stepwise_core::model::Trace;
use stepwise_core::tree::{subtree, StepRow};
use stepwise_core::view_query::{Selection, TraceTab};

/// The trace the details and the output show: the redacted copy while the user previews
/// it, else the trace as loaded.
fn shown_copy(
    redaction: Option<crate::state::redaction::Redaction>,
    trace: &Arc<Trace>,
) -> Arc<Trace> {
    redaction
        .filter(|redaction| redaction.preview.get())
        .and_then(|redaction| redaction.ready())
        .map_or_else(|| trace.clone(), |redacted| redacted.trace.clone())
}

/// Whether the page shows a shared page's trace (read-only, with its banner).
fn current_source_is_shared() -> bool {
    use_context::<Current>()
        .is_some_and(|current| current.source == crate::state::source::TraceSource::Shared)
}

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
    // Redaction makes a copy from the input; a shared page has none, and an embedding
    // page's trace is that page's to redact.
    let redaction = (!embed.embedded && current.loaded.original.blob().is_some())
        .then(crate::state::redaction::Redaction::new);
    if let Some(redaction) = redaction {
        provide_context(redaction);
    }
    // Before the keys and views that read them. Notes are kept in this browser only for
    // its own pages: not an embedding host's traces, nor a read-only (shared) page.
    let keep = !embed.embedded && !ReadOnly::from_context();
    let notes = PageNotes::new(&current.source, &current.loaded, keep);
    provide_context(notes);
    provide_context(current);
    if embed.embedded {
        publish_to_embed_bridge(trace.clone());
    }
    let stage = staged_render(trace.steps.len());
    let shown = shown_rows(trace.clone(), rows.clone(), state);
    let key_map_open = use_trace_keys(
        trace.clone(),
        Signal::derive(move || shown.read().rows.clone()),
        state,
    );
    let search = use_step_search(trace.clone(), rows.clone(), state);
    let selection = Memo::new(move |_| state.query.read().selection.clone());
    let header = if embed.embedded {
        view! { <EmbedHeader trace=trace.clone() /> }.into_any()
    } else {
        view! { <FullHeader trace=trace.clone() key_map_open /> }.into_any()
    };
    let summary = panels
        .summary
        .then(|| view! { <SummaryBar trace=trace.clone() rows=rows.clone() /> });
    // Shared by the insights view and the timeline, which marks the critical path.
    let insights_state = InsightsState::new(trace.clone(), rows.clone());
    provide_context(insights_state);
    let marks = timeline_marks(insights_state, search, notes);
    let tabs = available_tabs(&panels);
    let tab = {
        let tabs = tabs.clone();
        Memo::new(move |_| {
            let asked = state.query.read().tab;
            // A link may name a view this embedding leaves out: the first one shown instead.
            if tabs.contains(&asked) {
                asked
            } else {
                tabs.first().copied().unwrap_or_default()
            }
        })
    };
    let jumps: Vec<(&'static str, &'static str)> = [
        (panels.table, ("Tasks & agents", "tasks-heading")),
        (panels.output, ("Output", "output-heading")),
    ]
    .into_iter()
    .filter_map(|(shown, jump)| shown.then_some(jump))
    .collect();
    // One view alone needs no tabs.
    let tab_bar =
        (tabs.len() > 1).then(|| view! { <ViewTabs tabs=tabs.clone() shown=tab jumps /> });
    let view_body = {
        let (trace, rows) = (trace.clone(), rows.clone());
        move || {
            let shown = shown.get();
            let crumb =
                view! { <RootCrumb trace=trace.clone() rows=rows.clone() root=shown.root /> };
            let body = match tab.get() {
                TraceTab::Timeline => view! {
                    <TimelineTab trace=trace.clone() shown panels stage marks search />
                }
                .into_any(),
                TraceTab::Insights => view! {
                    <section class="panel insights-panel" data-panel="insights" aria-label="Insights">
                        <InsightsBody />
                    </section>
                }
                .into_any(),
                TraceTab::Graph => view! {
                    <section class="panel graph-panel" data-panel="graph" aria-label="Agent graph">
                        <AgentGraph trace=trace.clone() rows=rows.clone() />
                    </section>
                }
                .into_any(),
                TraceTab::Reader => {
                    view! { <ReaderView trace=trace.clone() rows=rows.clone() /> }.into_any()
                }
            };
            view! { {crumb}{body} }
        }
    };
    // The details go with every view: what a view selects is shown beside it.
    let details = (panels.steps || tabs.len() > 1).then(|| {
        view! {
            <div class="details-dock" class:open=move || selection.read().is_some()>
                {
                    let trace = trace.clone();
                    move || {
                        let shown = shown_copy(redaction, &trace);
                        view! { <Details trace=shown selection /> }
                    }
                }
            </div>
        }
    });
    let with_details = details.is_some();
    let labelled_by = move || view_tabs::tab_id(tab.get());
    let table = panels.table.then(|| {
        let trace = trace.clone();
        view! {
            <Panel name="tasks" title="Tasks & agents" class="">
                {
                    let trace = trace.clone();
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
    let annotations = (!embed.embedded).then(|| {
        let (trace, rows) = (trace.clone(), rows.clone());
        view! {
            <Panel name="annotations" title="Annotations & saved views" class="annotations-panel">
                <AnnotationsPanel trace=trace.clone() rows=rows.clone() />
            </Panel>
        }
    });
    let output = panels.output.then(|| {
        let trace = trace.clone();
        move || view! { <FinalOutput trace=shown_copy(redaction, &trace) /> }
    });
    // One of the pair alone takes the full width rather than leaving a hole.
    let lower_class = if panels.table && panels.output {
        "columns"
    } else {
        "columns single"
    };
    let share_banner = (current_source_is_shared())
        .then(|| crate::io::share::embedded().ok())
        .flatten()
        .map(|embedded| view! { <ShareBanner meta=embedded.meta /> });
    view! {
        {share_banner}
        {header}
        <RepairsNotice trace=trace.clone() />
        {summary}
        {redaction.map(|_| view! { <crate::components::redact::RedactPanel /> })}
        {tab_bar}
        <div class="workspace" class:with-details=with_details>
            <div class="view-pane" id=view_tabs::TAB_PANEL_ID role="tabpanel" aria-labelledby=labelled_by
                data-view=move || tab.get().name()>
                {view_body}
            </div>
            {details}
        </div>
        {annotations}
        <div class=lower_class>{table}{output}</div>
        <KeyMap open=key_map_open />
        // A host's traces are the host's: they stay out of this browser's recent list.
        {(!embed.embedded).then(|| view! { <RememberRecent /> })}
    }
}

/// The views an embedding (`panels=`) asks for, in tab order; every one on a full page.
fn available_tabs(panels: &Panels) -> Vec<TraceTab> {
    TraceTab::ALL
        .into_iter()
        .filter(|tab| match tab {
            TraceTab::Timeline => panels.timeline || panels.steps,
            TraceTab::Insights => panels.insights,
            // The new views follow the step list: an embedding that shows steps gets them.
            TraceTab::Graph | TraceTab::Reader => panels.steps && !panels_limited(panels),
        })
        .collect()
}

/// An embedding that names its panels gets only those: no views it did not ask for.
fn panels_limited(panels: &Panels) -> bool {
    *panels != Panels::all()
}

/// The timeline and the step list, one above the other.
#[component]
fn TimelineTab(
    trace: Arc<Trace>,
    shown: ShownRows,
    panels: Panels,
    stage: RwSignal<Stage>,
    marks: TimelineMarks,
    search: StepSearch,
) -> impl IntoView {
    let state = expect_context::<ViewState>();
    let selected_step = Memo::new(move |_| state.query.read().selected_step().map(str::to_string));
    let window_ms = Signal::derive(move || state.query.read().window_ms);
    let on_select = Callback::new(move |selection: Selection| state.select(Some(selection)));
    let on_window = Callback::new(move |window: Option<(f64, f64)>| state.set_window(window));
    let subtree = shown.root.is_some();
    let timeline = panels.timeline.then(|| {
        let (trace, rows) = (trace.clone(), shown.rows.clone());
        view! {
            <Panel name="timeline" title="Execution timeline" class="timeline-panel">
                {
                    let (trace, rows) = (trace.clone(), rows.clone());
                    view! {
                        <Show
                            when=move || { stage.get() >= Stage::Timeline }
                            fallback=|| view! { <StagePlaceholder what="the timeline" /> }
                        >
                            <TimelineCanvas
                                trace=trace.clone()
                                selected=selected_step.into()
                                window_ms
                                on_select
                                on_window
                                rows=rows.clone()
                                marks
                                subtree
                            />
                        </Show>
                    }
                }
            </Panel>
        }
    });
    let steps = panels.steps.then(|| {
        let (trace, rows) = (trace.clone(), shown.rows.clone());
        view! {
            <Panel name="steps" title="Steps" class="steps-panel">
                {
                    let (trace, rows) = (trace.clone(), rows.clone());
                    view! {
                        <Show
                            when=move || { stage.get() >= Stage::Steps }
                            fallback=|| view! { <StagePlaceholder what="the steps" /> }
                        >
                            <SearchBar trace=trace.clone() rows=rows.clone() search />
                            <StepList trace=trace.clone() rows=rows.clone() selected=selected_step />
                        </Show>
                    }
                }
            </Panel>
        }
    });
    view! { {timeline}{steps} }
}

/// The rows the views show: the whole trace's, or the subtree of the step the page is
/// re-rooted at (`root=`). A root that names no step shows everything.
#[derive(Clone)]
pub struct ShownRowsValue {
    pub root: Option<usize>,
    pub rows: Arc<Vec<StepRow>>,
}

// Rows follow from the root, so comparing roots is enough (and O(1) at 100k rows).
impl PartialEq for ShownRowsValue {
    fn eq(&self, other: &Self) -> bool {
        self.root == other.root
    }
}

type ShownRows = ShownRowsValue;

fn shown_rows(
    trace: Arc<Trace>,
    rows: Arc<Vec<StepRow>>,
    state: ViewState,
) -> Memo<ShownRowsValue> {
    Memo::new(move |_| {
        let root = state
            .query
            .read()
            .root
            .as_deref()
            .and_then(|id| trace.steps.iter().position(|step| step.id == id));
        match root.and_then(|index| subtree(&rows, index)) {
            Some(sub) => ShownRowsValue {
                root,
                rows: Arc::new(sub.to_vec()),
            },
            None => ShownRowsValue {
                root: None,
                rows: rows.clone(),
            },
        }
    })
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

/// What the timeline marks: the critical path while the insights show it, the search's
/// matches while a query is set, and the annotations.
fn timeline_marks(insights: InsightsState, search: StepSearch, notes: PageNotes) -> TimelineMarks {
    let path_steps = Memo::new(move |_| match insights.shown_path() {
        Some(found) => Arc::new(found.critical_path.steps.clone()),
        None => Arc::default(),
    });
    let match_steps = Memo::new(move |_| Arc::new(search.matches.read().in_order.clone()));
    TimelineMarks {
        path_steps: path_steps.into(),
        match_steps: match_steps.into(),
        show_path: Some(insights.show_path),
        notes: notes.signal().into(),
    }
}
