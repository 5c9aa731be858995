//! A step's annotations in its details, and the Annotate button and form (the `a` key opens it). Component layer: uses components, state and the core.

use leptos::prelude::*;

use super::form::NoteForm;
use super::item::NoteItem;
use crate::state::notes::{PageNotes, ReadOnly};
use stepwise_core::annotate::{next_id, Annotation, AnnotationTarget};

/// Left out where the page has no notes (a bare test mount).
#[component]
pub fn StepNotes(step_id: String) -> impl IntoView {
    let notes = use_context::<PageNotes>()?;
    let read_only = ReadOnly::from_context();
    // A form left open belongs to the step it was opened on.
    notes.form_open.set(false);
    let listed = {
        let step_id = step_id.clone();
        move || {
            notes
                .signal()
                .with(|all| all.for_step(&step_id).cloned().collect::<Vec<_>>())
        }
    };
    let on_save = {
        let step_id = step_id.clone();
        Callback::new(move |(label, note): (String, String)| {
            let step_id = step_id.clone();
            notes.update(move |all| {
                let annotation = Annotation {
                    id: next_id(all),
                    target: AnnotationTarget::Step { step_id },
                    label,
                    note,
                    created_at: now_rfc3339(),
                };
                all.upsert(annotation);
            });
            notes.form_open.set(false);
        })
    };
    let annotate = (!read_only).then(|| {
        view! {
            <Show
                when=move || notes.form_open.get()
                fallback=move || view! {
                    <button type="button" class="link-button annotate-button" data-testid="annotate-step"
                        title="Mark this step with a label and a note (a)"
                        on:click=move |_| notes.form_open.set(true)>"Annotate"</button>
                }
            >
                <NoteForm what="this step".to_string() on_save
                    on_cancel=Callback::new(move |_| notes.form_open.set(false)) />
            </Show>
        }
    });
    Some(view! {
        <section class="step-notes" data-testid="step-notes" aria-label="Annotations of this step">
            <ul class="note-list">
                <For
                    each=listed
                    // Edits change the key, so an edited note is shown afresh.
                    key=|annotation| (annotation.id.clone(), annotation.label.clone(), annotation.note.clone())
                    let:annotation
                >
                    <NoteItem annotation notes read_only />
                </For>
            </ul>
            {annotate}
        </section>
    })
}

/// Now, as RFC 3339 (the browser's clock, in UTC).
pub fn now_rfc3339() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}
