//! The importer module run on the page itself, for a page that cannot start a worker (a sandboxed frame, a page opened from disk). The page is busy while it imports, but the trace opens. I/O layer.

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;

use crate::io::address::beside_page;
use crate::io::js_error::describe as reason;
use crate::io::stream::Progress;

/// The importer module Trunk builds as a worker (crates/stepwise-import), and the price
/// table it estimates costs with, beside the page.
const IMPORTER_GLUE: &str = "stepwise-import.js";
const IMPORTER_WASM: &str = "stepwise-import_bg.wasm";
const PRICES: &str = "prices.json";

#[wasm_bindgen(inline_js = "export function load_importer(glue, wasm) {
  return import(glue).then(async (module) => {
    await module.default({ module_or_path: wasm });
    return module;
  });
}
export function price_text(url) {
  return fetch(url).then((response) => (response.ok ? response.text() : null)).catch(() => null);
}")]
extern "C" {
    /// Loads and starts the importer module (its wasm-bindgen glue and wasm) on the page.
    #[wasm_bindgen(catch)]
    fn load_importer(glue: &str, wasm: &str) -> Result<Promise, JsValue>;

    /// The price table's text, or null when it cannot be had.
    fn price_text(url: &str) -> Promise;
}

/// What the worker would answer (`{out, name, contentId}`), made on the page.
pub(super) async fn import(
    input: &Blob,
    name: &str,
    progress: Progress,
) -> Result<JsValue, String> {
    let failed = |error: JsValue| {
        format!(
            "{name} could not be opened: Stepwise's importer did not load on this page ({}).",
            reason(&error)
        )
    };
    let module = JsFuture::from(
        load_importer(
            &beside_page(IMPORTER_GLUE).map_err(failed)?,
            &beside_page(IMPORTER_WASM).map_err(failed)?,
        )
        .map_err(failed)?,
    )
    .await
    .map_err(failed)?;
    let import_input: Function = Reflect::get(&module, &JsValue::from_str("import_input"))
        .map_err(failed)?
        .dyn_into()
        .map_err(failed)?;
    let on_progress = Closure::<dyn Fn(JsValue)>::new(|_read: JsValue| {});
    let on_preview = Closure::<dyn Fn(JsValue)>::new(move |json: JsValue| {
        if let Some(json) = json.as_string() {
            progress.show_preview(&json);
        }
    });
    let arguments = Array::of5(
        input,
        &JsValue::from_str(name),
        &price_text(&beside_page(PRICES).map_err(failed)?),
        on_progress.as_ref(),
        on_preview.as_ref(),
    );
    let answer = import_input
        .apply(&JsValue::NULL, &arguments)
        .map_err(failed)?
        .dyn_into::<Promise>()
        .map_err(failed)?;
    // The importer's own sentence (a refusal, an unreadable file) is the message.
    JsFuture::from(answer).await.map_err(|error| reason(&error))
}
