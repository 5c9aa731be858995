//! The shareable page: building one from the app's shell, and reading the trace a shared page carries. I/O layer: uses only other I/O modules and the core.
//!
//! A shared page's loader (scripts/share-template.mjs) inflates its trace before the app
//! starts and leaves it in `globalThis.stepwiseShare` as `{ share, trace }`: the page's
//! description and the trace's transfer form.

use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use crate::io::js_error::describe;
use stepwise_core::share::{fill_template, ShareMeta};

/// The shell of a shareable page, built beside `index.html` by the release build.
const TEMPLATE_PATH: &str = "share-template.html";
const GLOBAL: &str = "stepwiseShare";

/// What a shared page carries: its description and its trace's transfer form.
pub struct Embedded {
    pub meta: ShareMeta,
    pub trace: Uint8Array,
}

fn global() -> Option<JsValue> {
    Reflect::get(&js_sys::global(), &JsValue::from_str(GLOBAL))
        .ok()
        .filter(|value| value.is_object())
}

/// Whether this page is a shared page (its loader put a trace where the app looks).
pub fn is_shared_page() -> bool {
    global().is_some()
}

/// The shared page's description and trace, or why they cannot be read.
pub fn embedded() -> Result<Embedded, String> {
    let global = global().ok_or("This page carries no shared trace.")?;
    let field = |key: &str| Reflect::get(&global, &JsValue::from_str(key)).unwrap_or_default();
    let share = js_sys::JSON::stringify(&field("share"))
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_default();
    let meta = ShareMeta::from_json(&share)
        .map_err(|reason| format!("This shared trace cannot be shown: {reason}."))?;
    let trace = field("trace")
        .dyn_into::<Uint8Array>()
        .map_err(|_| "This shared trace cannot be shown: it holds no trace.".to_string())?;
    Ok(Embedded { meta, trace })
}

#[wasm_bindgen]
extern "C" {
    /// The browser's `CompressionStream`, bound here as `stream.rs` binds its inverse.
    #[wasm_bindgen(extends = js_sys::Object)]
    type CompressionStream;

    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<CompressionStream, JsValue>;
}

/// `bytes` gzip-compressed by the browser's own `CompressionStream`, outside wasm memory.
pub async fn gzip(bytes: &Uint8Array) -> Result<Uint8Array, String> {
    let failed =
        |error: JsValue| format!("the browser could not compress it ({})", describe(&error));
    let blob =
        web_sys::Blob::new_with_u8_array_sequence(&js_sys::Array::of1(bytes)).map_err(failed)?;
    let deflate = CompressionStream::new("gzip").map_err(failed)?;
    // A transform stream is a `{readable, writable}` pair, which is what `pipeThrough` takes.
    let pair: web_sys::ReadableWritablePair = deflate.unchecked_into();
    let stream = blob.stream().pipe_through(&pair);
    let response =
        web_sys::Response::new_with_opt_readable_stream(Some(&stream)).map_err(failed)?;
    let buffer = wasm_bindgen_futures::JsFuture::from(response.array_buffer().map_err(failed)?)
        .await
        .map_err(failed)?;
    Ok(Uint8Array::new(&buffer))
}

/// The shareable page for a trace whose transfer form is `transfer`: the app's shell,
/// fetched (the service worker keeps it offline once fetched), with `meta` and the
/// compressed trace filled in.
pub async fn build(transfer: &Uint8Array, meta: &ShareMeta) -> Result<String, String> {
    let shell = crate::io::remote::fetch_asset(TEMPLATE_PATH).await?;
    let shell = String::from_utf8(shell)
        .map_err(|_| "The shareable page's shell is not text; reload Stepwise.".to_string())?;
    let compressed = gzip(transfer).await?;
    fill_template(&shell, meta, &compressed.to_vec()).map_err(|error| {
        let mut message = error.to_string();
        if let Some(first) = message.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        format!("{message}.")
    })
}

/// The address of the app's logo: beside the page, or, on a shared page (which may load
/// nothing from beside itself), the logo itself as a data URL.
pub fn logo_src() -> String {
    match is_shared_page() {
        true => format!(
            "data:image/svg+xml;base64,{}",
            stepwise_core::api::base64_encode(include_bytes!("../../public/favicon.svg"))
        ),
        false => "favicon.svg".to_string(),
    }
}
