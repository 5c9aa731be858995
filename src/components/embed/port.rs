//! Browser plumbing of the embed bridge: reading a host's message, posting to the parent frame, and where the page sits; the protocol itself is `stepwise_core::embed`. Component layer: uses components, state, I/O and the core.

use js_sys::{ArrayBuffer, Object, Reflect, Uint8Array};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};

use stepwise_core::embed::Outbound;

/// A host's message as JSON, plus the bytes of its `buffer` field when that is binary
/// (JSON would turn an `ArrayBuffer` into `{}` and a typed array into a huge object).
pub fn read_message(data: &JsValue) -> Result<(Value, Option<Vec<u8>>), String> {
    if data.is_undefined() {
        return Ok((Value::Null, None));
    }
    let mut for_json = data.clone();
    let mut bytes = None;
    if data.is_object() {
        let buffer = Reflect::get(data, &"buffer".into()).unwrap_or(JsValue::UNDEFINED);
        bytes = binary_bytes(&buffer);
        if bytes.is_some() {
            let copy = Object::assign(&Object::new(), data.unchecked_ref());
            let _ = Reflect::delete_property(&copy, &"buffer".into());
            for_json = copy.into();
        }
    }
    let text = js_sys::JSON::stringify(&for_json)
        .ok()
        .and_then(|text| text.as_string())
        .ok_or("The message could not be read as JSON (it holds cycles, functions or BigInts).")?;
    let value = serde_json::from_str(&text)
        .map_err(|error| format!("The message could not be read as JSON: {error}."))?;
    Ok((value, bytes))
}

/// The bytes of an `ArrayBuffer` or of any typed array or `DataView` (its own slice of
/// the buffer, not the whole buffer).
fn binary_bytes(value: &JsValue) -> Option<Vec<u8>> {
    if let Some(buffer) = value.dyn_ref::<ArrayBuffer>() {
        return Some(Uint8Array::new(buffer).to_vec());
    }
    if !ArrayBuffer::is_view(value) {
        return None;
    }
    let number = |key: &str| Reflect::get(value, &key.into()).ok()?.as_f64();
    let buffer = Reflect::get(value, &"buffer".into()).ok()?;
    let (offset, length) = (number("byteOffset")?, number("byteLength")?);
    Some(
        Uint8Array::new_with_byte_offset_and_length(&buffer, offset as u32, length as u32).to_vec(),
    )
}

/// The parent frame, when this page is framed.
pub fn parent_window() -> Option<web_sys::Window> {
    let own = web_sys::window()?;
    let parent = own.parent().ok()??;
    (!Object::is(&parent, &own)).then_some(parent)
}

/// Whether `source` (a `MessageEvent.source`) is this page itself: scripts here or
/// extensions posting to the page are not a host.
pub fn is_own_window(source: Option<&Object>) -> bool {
    match (source, web_sys::window()) {
        (Some(source), Some(own)) => Object::is(source, &own),
        _ => false,
    }
}

/// Whether `source` is the parent frame, the only host the bridge answers.
pub fn is_parent(source: Option<&Object>) -> bool {
    match (source, parent_window()) {
        (Some(source), Some(parent)) => Object::is(source, &parent),
        _ => false,
    }
}

/// Posts `message` to the parent frame, delivered only if the parent is at `origin`.
pub fn post_to_parent(message: &Outbound, origin: &str) {
    let Some(parent) = parent_window() else {
        return;
    };
    let Ok(value) = js_sys::JSON::parse(&message.to_json_text()) else {
        return;
    };
    // A parent that navigated to another origin meanwhile just does not get it.
    let _ = parent.post_message(&value, origin);
}

pub fn own_origin() -> String {
    web_sys::window()
        .and_then(|window| window.location().origin().ok())
        .unwrap_or_default()
}

/// What the browser says the parent's origin is: `location.ancestorOrigins[0]` where
/// supported (Chromium, Safari), and the referrer's origin.
pub fn parent_origin_hints() -> Vec<String> {
    let Some(window) = web_sys::window() else {
        return Vec::new();
    };
    let mut hints = Vec::new();
    let ancestors = Reflect::get(&window.location(), &"ancestorOrigins".into());
    if let Some(first) = ancestors
        .ok()
        .filter(|list| list.is_object())
        .and_then(|list| Reflect::get(&list, &JsValue::from(0)).ok())
        .and_then(|origin| origin.as_string())
    {
        hints.push(first);
    }
    if let Some(referrer) = window.document().map(|document| document.referrer()) {
        if let Ok(url) = web_sys::Url::new(&referrer) {
            hints.push(url.origin());
        }
    }
    hints
}

/// The height of the page's content in whole pixels: the root element's box, which
/// (unlike `scrollHeight`) shrinks below the frame's height when the content does.
pub fn content_height_px() -> u32 {
    web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element())
        .map(|root| root.get_bounding_client_rect().height().ceil().max(0.0) as u32)
        .unwrap_or(0)
}

pub fn console_info(text: &str) {
    web_sys::console::info_1(&JsValue::from_str(text));
}
