//! Keyboard habits of the trace page: 1–4 switch views, r/u re-root and go up, j/k walk the steps, n/p the siblings, ./, the peers of a kind, [/] fold all, e/E the errors, a annotates, Esc closes the details, `?` shows the key map. Component layer: uses components, state, I/O and the core.

use std::collections::HashSet;
use std::sync::Arc;

use leptos::ev::keydown;
use leptos::prelude::*;
use leptos_use_document::use_document;
use leptos_use_event_listener::use_event_listener;

use crate::components::step_list::CollapsedSteps;
use crate::state::notes::{PageNotes, ReadOnly};
use crate::state::view::ViewState;
use stepwise_core::model::{Status, StepKind, Trace};
use stepwise_core::tree::{neighbour, next_matching, parents, sibling, visible_rows, StepRow};
use stepwise_core::view_query::{Selection, TraceTab};

/// The shortcuts, for the key map.
const KEYS: [(&str, &str); 15] = [
    ("1 – 4", "show the timeline, graph, reader or insights"),
    (
        "/",
        "search the steps (in the reader: find in the conversation)",
    ),
    ("j / k", "next / previous step"),
    ("n / p", "next / previous sibling (same parent)"),
    (". / ,", "next / previous step of the same kind"),
    ("[ / ]", "collapse / expand all steps"),
    ("e / E", "next / previous error"),
    ("r", "show only the selected step's subtree"),
    ("u", "go up one level from the subtree shown"),
    ("a", "annotate the selected step"),
    ("Esc", "close the details"),
    (
        "+ / − / 0",
        "zoom the timeline or its overview in / out / reset (when it has focus)",
    ),
    (
        "← / →",
        "pan the timeline or its overview (when it has focus)",
    ),
    (
        "Shift + drag",
        "zoom the timeline to a time range (or drag along its time axis)",
    ),
    ("?", "show or hide this key map"),
];

/// Listens on the document; returns whether the key map is open. Also provides the step
/// list's folded subtrees (`CollapsedSteps`) to the page, so j/k walk the rows shown.
pub fn use_trace_keys(
    trace: Arc<Trace>,
    rows: Signal<Arc<Vec<StepRow>>>,
    state: ViewState,
) -> RwSignal<bool> {
    let key_map_open = RwSignal::new(false);
    let collapsed = RwSignal::new(HashSet::<usize>::new());
    provide_context(CollapsedSteps(collapsed));
    let index_of = {
        let trace = trace.clone();
        move |id: &str| trace.steps.iter().position(|step| step.id == id)
    };
    let failed = {
        let trace = trace.clone();
        move |index: usize| {
            let step = &trace.steps[index];
            step.status == Status::Failed || step.kind == StepKind::Error
        }
    };
    let step_id = {
        let trace = trace.clone();
        move |index: usize| trace.steps[index].id.clone()
    };
    // Read here: the context is not reachable from inside the listener.
    let notes = use_context::<PageNotes>().filter(|_| !ReadOnly::from_context());
    let _ = use_event_listener(use_document(), keydown, move |event| {
        // Typing in a field, or a chord with a modifier, is not a shortcut.
        let in_field = event
            .target()
            .and_then(|target| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(target).ok())
            .is_some_and(|element| {
                matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
            });
        if in_field || event.ctrl_key() || event.meta_key() || event.alt_key() {
            return;
        }
        let query = state.query.get_untracked();
        let current = query.selected_step().and_then(&index_of);
        // The rows the views show: the subtree when the page is re-rooted.
        let rows = rows.get_untracked();
        // j/k step through what the list shows; e/E find errors in folded subtrees too
        // (the list unfolds them to show the selection).
        let shown = || visible_rows(&rows, &collapsed.read_untracked()).collect::<Vec<_>>();
        let target = match event.key().as_str() {
            "j" => neighbour(&shown(), current, true),
            "k" => neighbour(&shown(), current, false),
            "n" => sibling(&shown(), current, true),
            "p" => sibling(&shown(), current, false),
            // Peers: the steps of the selected one's kind (LLM calls, tool calls…).
            "." | "," => {
                let kind = current.map(|index| trace.steps[index].kind);
                let same = |index: usize| Some(trace.steps[index].kind) == kind;
                next_matching(&shown(), current, event.key() == ".", same)
            }
            "[" => {
                collapsed.set(parents(&rows).collect());
                return;
            }
            "]" => {
                collapsed.set(HashSet::new());
                return;
            }
            "e" => next_matching(&rows, current, true, &failed),
            "E" => next_matching(&rows, current, false, &failed),
            "1" | "2" | "3" | "4" => {
                let tab = event
                    .key()
                    .parse::<usize>()
                    .ok()
                    .and_then(|n| TraceTab::ALL.get(n - 1).copied());
                if let Some(tab) = tab {
                    state.set_tab(tab);
                }
                return;
            }
            "r" => {
                if let Some(index) = current {
                    state.set_root(Some(step_id(index)));
                }
                return;
            }
            "a" => {
                if let (Some(notes), Some(_)) = (notes, current) {
                    // The key must not also land in the form's field it opens.
                    event.prevent_default();
                    notes.form_open.set(true);
                }
                return;
            }
            "u" => {
                let up = query
                    .root
                    .as_deref()
                    .and_then(&index_of)
                    .and_then(|root| trace.links().parent.get(root).copied().flatten());
                if query.root.is_some() {
                    state.set_root(up.map(&step_id));
                }
                return;
            }
            "Escape" => {
                if key_map_open.get_untracked() {
                    key_map_open.set(false);
                } else {
                    state.select(None);
                }
                return;
            }
            "?" => {
                key_map_open.update(|open| *open = !*open);
                return;
            }
            // The reader has a find of its own, which takes "/" while it is shown.
            "/" if query.tab == TraceTab::Reader => return,
            "/" => {
                let input = document()
                    .get_element_by_id(crate::components::search_bar::SEARCH_INPUT_ID)
                    .and_then(|element| {
                        wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(element).ok()
                    });
                // Hidden with the steps panel: then "/" is left to the browser.
                if let Some(input) = input {
                    event.prevent_default();
                    let _ = input.focus();
                }
                return;
            }
            _ => return,
        };
        if let Some(index) = target {
            event.prevent_default();
            state.select(Some(Selection::Step(step_id(index))));
        }
    });
    key_map_open
}

/// The `?` overlay listing the shortcuts.
#[component]
pub fn KeyMap(open: RwSignal<bool>) -> impl IntoView {
    // Built at each opening rather than cloned: with type-erased views (`--cfg
    // erase_components`, set for wasm32 in .cargo/config.toml) a view is not `Clone`.
    let rows = || {
        KEYS.iter()
            .map(|(keys, what)| view! { <tr><th scope="row"><kbd>{*keys}</kbd></th><td>{*what}</td></tr> })
            .collect_view()
    };
    view! {
        <Show when=move || open.get()>
            <div class="key-map" role="dialog" aria-modal="true" aria-labelledby="key-map-title">
                <h2 id="key-map-title">"Keyboard shortcuts"</h2>
                <table>{rows()}</table>
                <button type="button" on:click=move |_| open.set(false)>"Close"</button>
            </div>
        </Show>
    }
}
