//! The small form that writes an annotation: a label and a note; Enter saves, Esc cancels. Component layer: uses the core.

use leptos::html::Input;
use leptos::prelude::*;

use stepwise_core::annotate::{clean_text, LABEL_MAX_CHARS, NOTE_MAX_CHARS};

/// `on_save` gets the label and note trimmed and within their limits; a problem is said
/// under the fields, and nothing is saved.
#[component]
pub fn NoteForm(
    /// What the form says it annotates ("this step", "0.2 s – 1.4 s").
    what: String,
    #[prop(optional)] label: String,
    #[prop(optional)] note: String,
    on_save: Callback<(String, String)>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let label_text = RwSignal::new(label);
    let note_text = RwSignal::new(note);
    let problem = RwSignal::new(None::<String>);
    let input = NodeRef::<Input>::new();
    // The form opens to be typed in (the `a` key, the Annotate button).
    Effect::new(move |_| {
        if let Some(element) = input.get() {
            let _ = element.focus();
        }
    });
    let save = move || match clean_text(&label_text.get_untracked(), &note_text.get_untracked()) {
        Ok(cleaned) => {
            problem.set(None);
            on_save.run(cleaned);
        }
        Err(error) => problem.set(Some(error.to_string())),
    };
    let on_keydown = move |event: web_sys::KeyboardEvent| match event.key().as_str() {
        "Escape" => {
            event.prevent_default();
            event.stop_propagation();
            on_cancel.run(());
        }
        // In the note, Shift+Enter is a new line and Enter saves, as in the label.
        "Enter" if !event.shift_key() => {
            event.prevent_default();
            save();
        }
        _ => {}
    };
    view! {
        <form
            class="note-form"
            data-testid="note-form"
            aria-label=format!("Annotate {what}")
            on:submit=move |event| {
                event.prevent_default();
                save();
            }
            on:keydown=on_keydown
        >
            <p class="note-form-what">{format!("Annotate {what}")}</p>
            <label class="note-field">
                <span>"Label"</span>
                <input
                    node_ref=input
                    type="text"
                    data-testid="note-label"
                    maxlength=LABEL_MAX_CHARS.to_string()
                    placeholder="retry storm starts here"
                    prop:value=move || label_text.get()
                    on:input=move |event| label_text.set(event_target_value(&event))
                />
            </label>
            <label class="note-field">
                <span>"Note"</span>
                <textarea
                    data-testid="note-text"
                    rows="3"
                    maxlength=NOTE_MAX_CHARS.to_string()
                    placeholder="What you saw, and why it matters (Shift+Enter: new line)"
                    prop:value=move || note_text.get()
                    on:input=move |event| note_text.set(event_target_value(&event))
                ></textarea>
            </label>
            <Show when=move || problem.read().is_some()>
                <p class="note-problem" role="alert">{move || problem.get().unwrap_or_default()}</p>
            </Show>
            <div class="note-actions">
                <button type="submit" class="note-save" data-testid="note-save">"Save"</button>
                <button type="button" class="note-cancel" on:click=move |_| on_cancel.run(())>"Cancel"</button>
            </div>
        </form>
    }
}
