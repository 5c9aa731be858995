//! The reader's tools: find, copy as markdown, export a .md file. Component layer: uses components, state, I/O and the core.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_use_clipboard::{use_clipboard, UseClipboardReturn};

use crate::components::export_menu::download;
use crate::state::view::Current;
use stepwise_core::format::plural;
use stepwise_core::model::Trace;
use stepwise_core::reader::export::markdown;
use stepwise_core::reader::Block;
use stepwise_core::report_md::reader_file_name;

#[component]
pub fn ReaderToolbar(
    trace: Arc<Trace>,
    blocks: Memo<Arc<Vec<Block>>>,
    on_find: Callback<()>,
) -> impl IntoView {
    let UseClipboardReturn {
        is_supported,
        copied,
        copy,
        ..
    } = use_clipboard();
    let problem = RwSignal::new(None::<String>);
    // The markdown is written when asked for, not with every render: at 100k steps it is large.
    let text = {
        let trace = trace.clone();
        move || markdown(&trace, &blocks.read_untracked())
    };
    let copy_text = text.clone();
    let file_name = use_context::<Current>()
        .map(|current| current.loaded.file_name.clone())
        .unwrap_or_else(|| format!("{}.json", trace.name));
    let export = move |_| {
        let name = reader_file_name(&file_name);
        problem.set(download::save(text().as_bytes(), &name, "text/markdown;charset=utf-8").err());
    };
    view! {
        <div class="reader-toolbar">
            <span class="reader-count">{move || plural(blocks.read().len(), "block")}</span>
            <button type="button" class="header-button" data-testid="reader-find" title="Find (/ or Ctrl+F)" on:click=move |_| on_find.run(())>
                "Find"
            </button>
            <button
                type="button"
                class="header-button"
                data-testid="reader-copy"
                hidden=move || !is_supported.get()
                on:click=move |_| copy(&copy_text())
            >
                {move || if copied.get() { "Copied" } else { "Copy as markdown" }}
            </button>
            <button type="button" class="header-button" data-testid="reader-export" on:click=export>
                "Export .md"
            </button>
            <Show when=move || problem.read().is_some()>
                <p class="export-problem" role="alert">{move || problem.get().unwrap_or_default()}</p>
            </Show>
        </div>
    }
}
