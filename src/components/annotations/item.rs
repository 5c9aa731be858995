//! One annotation as listed (in the panel or a step's details): label, note, where it is, and edit/delete unless the page is read-only. Component layer: uses components, state and the core.

use leptos::prelude::*;

use super::form::NoteForm;
use crate::state::notes::PageNotes;
use stepwise_core::annotate::Annotation;

/// `place` says what it marks and, when given, `on_go` goes there (the panel's list).
#[component]
pub fn NoteItem(
    annotation: Annotation,
    notes: PageNotes,
    read_only: bool,
    /// What it marks, as text ("Step: search_web", "1.2 s – 3.4 s"); left out in a step's details.
    #[prop(optional)]
    place: Option<String>,
    /// Marks a step annotation whose step is not in this trace.
    #[prop(optional)]
    lost: bool,
    #[prop(optional)] on_go: Option<Callback<()>>,
) -> impl IntoView {
    let editing = RwSignal::new(false);
    let id = annotation.id.clone();
    let label = annotation.label.clone();
    let heading = match on_go {
        Some(go) => view! {
            <button type="button" class="link-button note-label" data-testid="note-go"
                on:click=move |_| go.run(())>{label}</button>
        }
        .into_any(),
        None => view! { <strong class="note-label">{label}</strong> }.into_any(),
    };
    let place = place.map(|place| view! { <span class="note-place">{place}</span> });
    let lost = lost.then(|| {
        view! {
            <span class="note-lost" title="The file this annotation came with has a step of this id; this trace has none.">
                "step not in this trace"
            </span>
        }
    });
    let note = (!annotation.note.is_empty())
        .then(|| view! { <p class="note-text">{annotation.note.clone()}</p> });
    let actions = (!read_only).then(|| {
        let id = id.clone();
        view! {
            <span class="note-item-actions">
                <button type="button" class="link-button" on:click=move |_| editing.set(true)>"Edit"</button>
                <button type="button" class="link-button" data-testid="note-delete"
                    on:click=move |_| {
                        let id = id.clone();
                        notes.update(move |all| all.remove(&id));
                    }>"Delete"</button>
            </span>
        }
    });
    let shown = view! {
        <div class="note-item-head">{heading}{place}{lost}{actions}</div>
        {note}
    };
    let form = move || {
        let kept = annotation.clone();
        let on_save = Callback::new(move |(label, note): (String, String)| {
            let mut edited = kept.clone();
            edited.label = label;
            edited.note = note;
            notes.update(move |all| all.upsert(edited));
            editing.set(false);
        });
        view! {
            <NoteForm what="this note".to_string() label=annotation.label.clone() note=annotation.note.clone()
                on_save on_cancel=Callback::new(move |_| editing.set(false)) />
        }
    };
    view! {
        <li class="note-item" data-testid="note-item" data-note-id=id>
            <Show when=move || editing.get()>{form()}</Show>
            <div hidden=move || editing.get()>{shown}</div>
        </li>
    }
}
