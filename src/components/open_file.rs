//! "Open file": reads trace files as bytes (never as one big JS string) and shows the
//! first trace; several files at once each become a trace of their own. UI layer.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_location, use_navigate};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::source::{open_bytes, OpenedTraces, Prices, TraceSource};

/// Reads one `File` into wasm memory.
async fn read_file(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| format!("{}: the browser could not read the file.", file.name()))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

#[component]
pub fn OpenFileButton() -> impl IntoView {
    let opened = expect_context::<OpenedTraces>();
    let prices = expect_context::<Prices>();
    let navigate = use_navigate();
    let location = use_location();
    let error = RwSignal::new(None::<String>);
    let on_change = move |event: leptos::ev::Event| {
        let Some(input) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(list) = input.files() else {
            return;
        };
        let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        // Let the same file be picked again later.
        input.set_value("");
        let navigate = navigate.clone();
        let pathname = location.pathname.get_untracked();
        spawn_local(async move {
            let table = prices.0.await;
            let mut first = None;
            let mut problems = Vec::new();
            for file in files {
                let result = match read_file(&file).await {
                    Ok(bytes) => open_bytes(&file.name(), &bytes, table.as_deref(), opened),
                    Err(message) => Err(message),
                };
                match result {
                    Ok(keys) => first = first.or_else(|| keys.into_iter().next()),
                    Err(message) => problems.push(message),
                }
            }
            error.set((!problems.is_empty()).then(|| problems.join("\n")));
            if let Some(key) = first {
                let query = TraceSource::File(key).query_string();
                navigate(
                    &crate::routes::trace::absolute(&format!("{pathname}{query}")),
                    Default::default(),
                );
            }
        });
    };
    view! {
        <label class="header-button open-file">
            "Open file…"
            <input
                type="file"
                accept=".json,.jsonl,application/json"
                multiple
                data-testid="open-file"
                on:change=on_change
            />
        </label>
        <Show when=move || error.read().is_some()>
            <p class="open-error" role="alert">
                {move || error.get().unwrap_or_default()}
                <button type="button" class="header-button" on:click=move |_| error.set(None)>
                    "Dismiss"
                </button>
            </p>
        </Show>
    }
}
