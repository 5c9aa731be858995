//! Saving bytes as a file: a Blob, an object URL and a temporary `<a download>`. Component layer: uses components, state, I/O and the core.

use js_sys::{Array, Uint8Array};
use leptos::prelude::{document, set_timeout};
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// How long the object URL outlives the click: the browser resolves it asynchronously,
/// and revoking it at once can cancel the download in some browsers.
const REVOKE_AFTER: std::time::Duration = std::time::Duration::from_secs(30);

/// Offers `bytes` as a download named `file_name`; the error is a sentence for the user.
pub fn save(bytes: &[u8], file_name: &str, mime_type: &str) -> Result<(), String> {
    let parts = Array::of1(&Uint8Array::from(bytes));
    let options = BlobPropertyBag::new();
    options.set_type(mime_type);
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|_| format!("The browser could not make a file for {file_name}."))?;
    save_blob(&blob, file_name)
}

/// Offers `blob` (a trace's input as the browser holds it) as a download named `file_name`.
pub fn save_blob(blob: &Blob, file_name: &str) -> Result<(), String> {
    let failed = |what: &str| format!("The browser could not {what} for {file_name}.");
    let url = Url::create_object_url_with_blob(blob).map_err(|_| failed("make a link"))?;
    let anchor = document()
        .create_element("a")
        .ok()
        .and_then(|element| element.dyn_into::<HtmlAnchorElement>().ok())
        .ok_or_else(|| failed("make a link"))?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    set_timeout(
        move || {
            let _ = Url::revoke_object_url(&url);
        },
        REVOKE_AFTER,
    );
    Ok(())
}
