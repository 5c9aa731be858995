//! The Annotations panel: every annotation of the trace (a click goes to its step or range), "Annotate the visible range", and the saved views. Component layer: uses components, state and the core.

mod form;
mod item;
/// A step's annotations in its details.
pub mod step_notes;
mod views;

use std::sync::Arc;

use leptos::prelude::*;

use crate::state::notes::{PageNotes, ReadOnly};
use crate::state::view::ViewState;
use form::NoteForm;
use item::NoteItem;
use step_notes::now_rfc3339;
use stepwise_core::annotate::{
    axis_span_ns, next_id, visible_range_ns, window_ms_of, Annotation, AnnotationTarget,
};
use stepwise_core::metrics::format_duration_ns;
use stepwise_core::model::Trace;
use stepwise_core::tree::{subtree, StepRow};
use stepwise_core::view_query::{Selection, TraceTab};
use views::SavedViews;

/// `rows` is the whole trace's step tree (a re-rooted page's axis is its subtree's).
#[component]
pub fn AnnotationsPanel(trace: Arc<Trace>, rows: Arc<Vec<StepRow>>) -> impl IntoView {
    let notes = use_context::<PageNotes>()?;
    let state = expect_context::<ViewState>();
    let read_only = ReadOnly::from_context();
    let whole_axis = axis_span_ns(&trace, None);
    let annotating_range = RwSignal::new(false);
    let listed = move || notes.signal().with(|all| all.annotations.clone());
    let visible_range = {
        let (trace, rows) = (trace.clone(), rows.clone());
        move || {
            let query = state.query.get_untracked();
            let root = query
                .root
                .as_deref()
                .and_then(|id| trace.steps.iter().position(|step| step.id == id))
                .and_then(|index| subtree(&rows, index));
            visible_range_ns(axis_span_ns(&trace, root), query.window_ms)
        }
    };
    let range_form = (!read_only).then(|| {
        let on_save = Callback::new(move |(label, note): (String, String)| {
            let (start_ns, end_ns) = visible_range();
            notes.update(move |all| {
                let annotation = Annotation {
                    id: next_id(all),
                    target: AnnotationTarget::Range { start_ns, end_ns },
                    label,
                    note,
                    created_at: now_rfc3339(),
                };
                all.upsert(annotation);
            });
            annotating_range.set(false);
        });
        view! {
            <Show
                when=move || annotating_range.get()
                fallback=move || view! {
                    <button type="button" class="header-button" data-testid="annotate-range"
                        title="Mark the time range the timeline shows now with a label and a note"
                        on:click=move |_| annotating_range.set(true)>"Annotate the visible range"</button>
                }
            >
                <NoteForm what="the visible range".to_string() on_save
                    on_cancel=Callback::new(move |_| annotating_range.set(false)) />
            </Show>
        }
    });
    let item = {
        let trace = trace.clone();
        move |annotation: Annotation| {
            let (place, lost, go) = match &annotation.target {
                AnnotationTarget::Step { step_id } => {
                    let step = trace.step(step_id);
                    let place = match step {
                        Some(step) => format!("Step: {}", step.name),
                        None => format!("Step {step_id}"),
                    };
                    let selection = Selection::Step(step_id.clone());
                    let go = Callback::new(move |_| state.select(Some(selection.clone())));
                    (place, step.is_none(), go)
                }
                AnnotationTarget::Range { start_ns, end_ns } => {
                    let range = (*start_ns, *end_ns);
                    let place = format!(
                        "{} – {} from the start",
                        format_duration_ns(range.0 - whole_axis.0),
                        format_duration_ns(range.1 - whole_axis.0)
                    );
                    // The range is placed on the whole trace's axis, on the timeline.
                    let go = Callback::new(move |_| {
                        let window = window_ms_of(whole_axis, range);
                        let query = state.query.get_untracked();
                        let next = query
                            .with_root(None)
                            .with_window(Some(window))
                            .with_tab(TraceTab::Timeline);
                        state.show(&next);
                    });
                    (place, false, go)
                }
            };
            view! { <NoteItem annotation notes read_only place lost on_go=go /> }
        }
    };
    Some(view! {
        <div class="annotations" data-testid="annotations">
            <div class="notes-bar">
                {range_form}
                <p class="notes-where">
                    "Kept in this browser and in a Stepwise-format export; never written into the file."
                </p>
            </div>
            <ul class="note-list" data-testid="annotation-list" aria-label="Annotations">
                <For
                    each=listed
                    key=|annotation| (annotation.id.clone(), annotation.label.clone(), annotation.note.clone())
                    children=item
                />
            </ul>
            <Show when=move || notes.signal().with(|all| all.annotations.is_empty())>
                <p class="hint">
                    "No annotations yet. Select a step and press a (or Annotate in its details) to mark it."
                </p>
            </Show>
            <SavedViews notes read_only />
        </div>
    })
}
