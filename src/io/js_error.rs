//! A browser error as words for a message. I/O layer: uses nothing else of the app.

use wasm_bindgen::{JsCast, JsValue};

/// The error's own text: a thrown string, or an `Error`'s message.
pub fn describe(error: &JsValue) -> String {
    error
        .as_string()
        .or_else(|| {
            error
                .dyn_ref::<js_sys::Error>()
                .map(|error| String::from(error.message()))
        })
        .unwrap_or_else(|| "no reason given".to_string())
}
