//! Files the operating system opens with the installed app (the File Handling API). I/O layer: uses only other I/O modules and the core.
//!
//! The manifest (public/manifest.webmanifest) registers Stepwise for `.json`, `.jsonl` and
//! `.json.gz`; opening such a file launches the app, and `window.launchQueue` hands the
//! page a handle per file. Browsers without the API have no `launchQueue`: nothing happens.

use std::rc::Rc;

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{spawn_local, JsFuture};

use crate::io::js_error::describe;

fn field(value: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(value, &JsValue::from_str(key))
        .ok()
        .filter(|value| !value.is_undefined() && !value.is_null())
}

/// The file behind a `FileSystemFileHandle`.
async fn file_of(handle: &JsValue) -> Result<web_sys::File, String> {
    let get_file: Function = field(handle, "getFile")
        .and_then(|value| value.dyn_into().ok())
        .ok_or("the launch gave something other than a file")?;
    let promise: Promise = get_file
        .call0(handle)
        .map_err(|error| describe(&error))?
        .dyn_into()
        .map_err(|_| "the file could not be read".to_string())?;
    JsFuture::from(promise)
        .await
        .map_err(|error| describe(&error))?
        .dyn_into()
        .map_err(|_| "the launch gave something other than a file".to_string())
}

/// Calls `open` with the files of each launch of the app, as a drop would. Call it once.
pub fn on_launched_files(open: impl Fn(Vec<web_sys::File>) + 'static) {
    let Some(queue) = web_sys::window().and_then(|window| field(&window, "launchQueue")) else {
        return;
    };
    let Some(set_consumer) =
        field(&queue, "setConsumer").and_then(|f| f.dyn_into::<Function>().ok())
    else {
        return;
    };
    let open = Rc::new(open);
    let consumer = Closure::<dyn FnMut(JsValue)>::new(move |params: JsValue| {
        let handles: Array = field(&params, "files")
            .and_then(|files| files.dyn_into().ok())
            .unwrap_or_default();
        let open = open.clone();
        spawn_local(async move {
            let mut files = Vec::new();
            for handle in handles.iter() {
                match file_of(&handle).await {
                    Ok(file) => files.push(file),
                    Err(reason) => web_sys::console::warn_1(&JsValue::from_str(&format!(
                        "Stepwise: a file the app was opened with could not be read ({reason})."
                    ))),
                }
            }
            if !files.is_empty() {
                open(files);
            }
        });
    });
    // The consumer lives as long as the page: launches can come at any time.
    if set_consumer.call1(&queue, consumer.as_ref()).is_ok() {
        consumer.forget();
    }
}
