//! The reader view: the run as one conversation of blocks, in order, virtualized at any size, with its own find, copy and export. Component layer: uses components, state, I/O and the core.

mod block;
mod cache;
mod find_box;
mod scroll;
mod text_view;
mod toolbar;

use std::sync::Arc;

use leptos::ev::keydown;
use leptos::html::Div;
use leptos::prelude::*;
use leptos_use_event_listener::use_event_listener;

use crate::components::reader::block::BlockView;
use crate::components::reader::cache::blocks_of;
use crate::components::reader::find_box::{Find, FindBox};
use crate::components::reader::scroll::use_reader_scroll;
use crate::components::reader::toolbar::ReaderToolbar;
use crate::state::view::ViewState;
use stepwise_core::model::Trace;
use stepwise_core::reader::{find::find, Block};
use stepwise_core::tree::StepRow;

#[component]
pub fn ReaderView(trace: Arc<Trace>, rows: Arc<Vec<StepRow>>) -> impl IntoView {
    let state = expect_context::<ViewState>();
    let root = Memo::new(move |_| state.query.read().root.clone());
    let blocks = {
        let trace = trace.clone();
        Memo::new(move |_| {
            let root = root.read();
            let root = root
                .as_deref()
                .and_then(|id| trace.steps.iter().position(|s| s.id == id));
            blocks_of(&trace, &rows, root)
        })
    };
    // Which block shows each step, to mark and reach the selected one.
    let block_of = {
        let trace = trace.clone();
        Memo::new(move |_| {
            let mut of = vec![usize::MAX; trace.steps.len()];
            for (index, block) in blocks.read().iter().enumerate() {
                for &step in &block.steps {
                    of[step] = index;
                }
            }
            Arc::new(of)
        })
    };
    let selected_block = {
        let trace = trace.clone();
        Memo::new(move |_| {
            let query = state.query.read();
            let step = trace
                .steps
                .iter()
                .position(|s| Some(s.id.as_str()) == query.selected_step())?;
            block_of
                .read()
                .get(step)
                .copied()
                .filter(|at| *at != usize::MAX)
        })
    };
    let query = RwSignal::new(String::new());
    let find_state = Find {
        open: RwSignal::new(false),
        query,
        hits: Memo::new(move |_| find(&blocks.read(), &query.read())),
        current: RwSignal::new(None),
        input: NodeRef::new(),
    };
    let needle = Signal::derive(move || query.read().trim().to_lowercase());
    let current_block = Memo::new(move |_| {
        let at = find_state.current.get()?;
        find_state.hits.read().get(at).copied()
    });

    let root_ref = NodeRef::<Div>::new();
    let container = NodeRef::<Div>::new();
    let scroll = use_reader_scroll(container, blocks);
    let window = scroll.window;
    // The find's match is brought into view, wherever it is.
    Effect::new(move |_| {
        if let Some(at) = current_block.get() {
            scroll.scroll_to.run(at);
        }
    });
    // A selection made elsewhere (the URL, another view) is brought into view, after a
    // frame so that the list is laid out even on the first load.
    Effect::new(move |_| {
        if let Some(at) = selected_block.get() {
            request_animation_frame(move || scroll.reveal.run(at));
        }
    });
    // Drawn blocks are measured after each frame that changes them.
    Effect::new(move |_| {
        window.track();
        request_animation_frame(move || scroll.measure.run(()));
    });

    let open_find = Callback::new(move |_: ()| {
        find_state.open.set(true);
        request_animation_frame(move || {
            if let Some(input) = find_state.input.get_untracked() {
                let _ = input.focus();
                input.select();
            }
        });
    });
    let close_find = Callback::new(move |_: ()| {
        find_state.open.set(false);
        query.set(String::new());
        find_state.current.set(None);
        if let Some(root) = root_ref.get_untracked() {
            let _ = root.focus();
        }
    });
    // On the view itself, so it runs before the page's own "/" (the step search).
    let _ = use_event_listener(root_ref, keydown, move |event| {
        let find_key = event.key() == "/" && !event.ctrl_key() && !event.meta_key();
        let browser_find = event.key() == "f" && (event.ctrl_key() || event.meta_key());
        let in_field = event
            .target()
            .and_then(|target| {
                wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(target).ok()
            })
            .is_some();
        if (find_key && !in_field) || browser_find {
            event.prevent_default();
            event.stop_propagation();
            open_find.run(());
        }
    });

    let ready = RwSignal::new(false);
    Effect::new(move |_| request_animation_frame(move || ready.set(true)));

    let in_window = move || {
        let window = window.get();
        let blocks = blocks.get();
        (window.start..window.end)
            .filter_map(|index| blocks.get(index).map(|block| (index, block.clone())))
            .collect::<Vec<_>>()
    };
    let key = move |(index, _): &(usize, Block)| {
        (*index, blocks.with_untracked(|b| Arc::as_ptr(b) as usize))
    };
    view! {
        <div
            class="reader"
            node_ref=root_ref
            tabindex="-1"
            data-testid="reader-view"
            data-ready=move || ready.get().to_string()
        >
            <ReaderToolbar trace=trace.clone() blocks on_find=open_find />
            <FindBox find=find_state on_close=close_find />
            <div
                class="reader-scroll"
                node_ref=container
                tabindex="0"
                aria-label="The run as a conversation"
                on:click=move |_| request_animation_frame(move || scroll.measure.run(()))
            >
                <Show when=move || blocks.read().is_empty()>
                    <p class="hint">"Nothing to read here: no agent, LLM call, tool call or error."</p>
                </Show>
                <div class="reader-spacer" style:height=move || format!("{}px", window.get().before_px)></div>
                <For each=in_window key=key let:((index, block))>
                    <BlockView
                        trace=trace.clone()
                        block
                        index
                        needle
                        current=Signal::derive(move || current_block.get() == Some(index))
                        selected=Signal::derive(move || selected_block.get() == Some(index))
                    />
                </For>
                <div class="reader-spacer" style:height=move || format!("{}px", window.get().after_px)></div>
            </div>
        </div>
    }
}
