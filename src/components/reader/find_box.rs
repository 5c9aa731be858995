//! The reader's own find: a query box, "3 of 17", next and previous. Component layer: uses components, state, I/O and the core.

use leptos::html::Input;
use leptos::prelude::*;

use stepwise_core::reader::find::{count_text, step_match};

/// What the find box shares with the view: its query, its matches and where it is.
#[derive(Clone, Copy)]
pub struct Find {
    pub open: RwSignal<bool>,
    pub query: RwSignal<String>,
    /// Indices of the blocks that match, in order.
    pub hits: Memo<Vec<usize>>,
    /// Position in `hits` of the match shown.
    pub current: RwSignal<Option<usize>>,
    pub input: NodeRef<Input>,
}

impl Find {
    /// Moves to the next (or previous) match, wrapping.
    pub fn step(&self, forward: bool) {
        let count = self.hits.with_untracked(Vec::len);
        self.current
            .set(step_match(count, self.current.get_untracked(), forward));
    }
}

#[component]
pub fn FindBox(find: Find, on_close: Callback<()>) -> impl IntoView {
    let count = move || {
        let hits = find.hits.read();
        match find.query.read().trim().is_empty() {
            true => String::new(),
            false => count_text(hits.len(), find.current.get()),
        }
    };
    view! {
        <div class="reader-find" role="search" hidden=move || !find.open.get()>
            <input
                type="search"
                node_ref=find.input
                aria-label="Find in the conversation"
                placeholder="Find in the conversation"
                data-testid="reader-find-input"
                prop:value=move || find.query.get()
                on:input=move |event| {
                    find.query.set(event_target_value(&event));
                    find.current.set(None);
                    find.step(true);
                }
                on:keydown=move |event| match event.key().as_str() {
                    "Enter" => {
                        event.prevent_default();
                        find.step(!event.shift_key());
                    }
                    "Escape" => {
                        event.prevent_default();
                        event.stop_propagation();
                        on_close.run(());
                    }
                    _ => {}
                }
            />
            <span class="reader-find-count" data-testid="reader-find-count" aria-live="polite">{count}</span>
            <button type="button" class="header-button" aria-label="Previous match" on:click=move |_| find.step(false)>"↑"</button>
            <button type="button" class="header-button" aria-label="Next match" on:click=move |_| find.step(true)>"↓"</button>
            <button type="button" class="header-button" aria-label="Close find" on:click=move |_| on_close.run(())>"×"</button>
        </div>
    }
}
