//! Mounts the app; everything else lives in the library. Also exports the import worker's
//! entry point and `bench_import` for benchmark S1.

fn main() {
    console_error_panic_hook::set_once();
    // The import worker (public/import-worker.js) runs this same module and has no page.
    #[cfg(target_arch = "wasm32")]
    if web_sys::window().is_none() {
        return;
    }
    leptos::mount::mount_to_body(stepwise::app::App);
}

/// The import worker's work: every trace in `bytes`, or why none, in the transfer form
/// the page decodes (`stepwise_core::transfer`).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn worker_import(bytes: &[u8]) -> Vec<u8> {
    stepwise_core::transfer::encode(&stepwise_core::import::import_bytes(bytes))
}

/// Benchmark S1 in the page (e2e/bench_import.js calls it through `window.wasmBindings`):
/// imports and derives `bytes` with the app's own code and returns JSON
/// `{"ms": …, "derived": {…}}` or `{"error": "…"}`. `ms` is timed inside wasm, so it
/// leaves out copying the bytes into wasm memory, which the caller times around it.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn bench_import(bytes: &[u8]) -> String {
    let now = || {
        web_sys::window()
            .and_then(|window| window.performance())
            .map_or(0.0, |performance| performance.now())
    };
    let start = now();
    let result = stepwise_core::bench::import_and_derive(bytes);
    let ms = now() - start;
    match result {
        Ok(derived) => serde_json::json!({ "ms": ms, "derived": derived }).to_string(),
        Err(error) => serde_json::json!({ "error": error }).to_string(),
    }
}
