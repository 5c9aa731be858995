//! Saved views: named snapshots of the view (tab, selection, zoom, panels, search), saved with the annotations; apply, copy a link, delete. Component layer: uses components, state and the core.

use leptos::html::Input;
use leptos::prelude::*;

use crate::components::copy_button::CopyButton;
use crate::state::notes::PageNotes;
use crate::state::view::{absolute, ViewState};
use stepwise_core::annotate::{apply_view, view_part, SavedView};

#[component]
pub fn SavedViews(notes: PageNotes, read_only: bool) -> impl IntoView {
    let state = expect_context::<ViewState>();
    let naming = RwSignal::new(false);
    let listed = move || notes.signal().with(|all| all.views.clone());
    let save_form = (!read_only).then(|| {
        view! {
            <Show
                when=move || naming.get()
                fallback=move || view! {
                    <button type="button" class="header-button" data-testid="save-view"
                        title="Keep this view (tab, selection, zoom, panels, search) under a name"
                        on:click=move |_| naming.set(true)>"Save this view"</button>
                }
            >
                <NameForm on_done=Callback::new(move |name: Option<String>| {
                    if let Some(name) = name {
                        let query = view_part(&state.query.get_untracked());
                        notes.update(move |all| all.save_view(SavedView { name, query }));
                    }
                    naming.set(false);
                }) />
            </Show>
        }
    });
    view! {
        <div class="saved-views">
            <h3 class="notes-subhead">"Saved views"</h3>
            {save_form}
            <ul class="view-list" data-testid="view-list">
                <For each=listed key=|view| (view.name.clone(), view.query.clone()) let:view>
                    <ViewItem view notes read_only state />
                </For>
            </ul>
            <Show when=move || notes.signal().with(|all| all.views.is_empty())>
                <p class="hint">"No saved views yet."</p>
            </Show>
        </div>
    }
}

#[component]
fn ViewItem(view: SavedView, notes: PageNotes, read_only: bool, state: ViewState) -> impl IntoView {
    let applied = move || apply_view(&state.query.get_untracked(), &view.query);
    let link = absolute(&state.href(&applied()));
    let name = view.name.clone();
    let delete = (!read_only).then(|| {
        view! {
            <button type="button" class="link-button" data-testid="view-delete"
                on:click=move |_| {
                    let name = name.clone();
                    notes.update(move |all| all.remove_view(&name));
                }>"Delete"</button>
        }
    });
    let apply = applied.clone();
    view! {
        <li class="view-item" data-testid="view-item">
            <button type="button" class="link-button view-apply" data-testid="view-apply"
                title="Show this view" on:click=move |_| state.show(&apply())>{view.name.clone()}</button>
            <CopyButton text=link label=format!("Copy a link to the view {}", view.name) />
            {delete}
        </li>
    }
}

/// Asks a name; Enter saves, Esc cancels (`None`).
#[component]
fn NameForm(on_done: Callback<Option<String>>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let input = NodeRef::<Input>::new();
    Effect::new(move |_| {
        if let Some(element) = input.get() {
            let _ = element.focus();
        }
    });
    let save = move || {
        let text = name.get_untracked().trim().to_string();
        if !text.is_empty() {
            on_done.run(Some(text));
        }
    };
    view! {
        <form class="view-name-form" data-testid="view-name-form"
            on:submit=move |event| {
                event.prevent_default();
                save();
            }
            on:keydown=move |event| {
                if event.key() == "Escape" {
                    event.prevent_default();
                    on_done.run(None);
                }
            }>
            <input node_ref=input type="text" data-testid="view-name" maxlength="80"
                aria-label="Name of the view" placeholder="Name of this view"
                prop:value=move || name.get()
                on:input=move |event| name.set(event_target_value(&event)) />
            <button type="submit" data-testid="view-name-save">"Save"</button>
            <button type="button" on:click=move |_| on_done.run(None)>"Cancel"</button>
        </form>
    }
}
