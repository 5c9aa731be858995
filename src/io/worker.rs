//! Importing traces without freezing the page. I/O layer: uses only other I/O modules and the core.
//!
//! A large input is parsed in a Web Worker running this same wasm (public/import-worker.js
//! calls `worker_import`), so the page keeps painting, the progress bar moves and Cancel
//! works while it parses. The worker answers in the compact transfer form
//! (`stepwise_core::transfer`), which the page decodes a slice of steps at a time, yielding between
//! slices, so no main-thread task grows with the trace. Small inputs, and pages where the
//! worker cannot start (no module links, a blocked script), import in place.

use std::cell::RefCell;

use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, MessageEvent, Worker, WorkerOptions, WorkerType};

use crate::io::stream::{mark, yield_to_browser, Progress};
use stepwise_core::format::format_bytes;
use stepwise_core::import::{import_bytes, ImportError};
use stepwise_core::model::Trace;
use stepwise_core::transfer::Decoding;

/// Below this a second wasm instance costs more time than parsing in place.
const WORKER_MIN_BYTES: usize = 1 << 20;
/// Steps decoded per main-thread slice: a few milliseconds of work.
const DECODE_SLICE_STEPS: usize = 2_000;
/// Bytes copied into wasm memory per slice.
const COPY_SLICE_BYTES: u32 = 8 << 20;
const WORKER_SCRIPT: &str = "import-worker.js";

/// The user pressed Cancel while the trace was being imported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cancelled;

/// Every trace in `bytes`, imported off the main thread when it is large. `label` names
/// the input on the progress bar, which shows the import's phases and its Cancel button.
pub async fn import(
    bytes: &[u8],
    label: &str,
    progress: Progress,
) -> Result<Result<Vec<Trace>, ImportError>, Cancelled> {
    if bytes.len() < WORKER_MIN_BYTES {
        return Ok(import_bytes(bytes));
    }
    let controller = AbortController::new().ok();
    progress.start(label, None, controller.clone());
    progress.set_phase(&format!(
        "Importing {} in the background…",
        format_bytes(bytes.len() as u64)
    ));
    let outcome = match &controller {
        Some(controller) => import_in_worker(bytes, controller, progress).await,
        None => Err(Trouble::Unavailable("no AbortController".to_string())),
    };
    progress.finish();
    match outcome {
        Ok(traces) => {
            // The last decoded slice and the first render of the trace, which the caller
            // starts next, each take a task of their own.
            let _ = yield_to_browser().await;
            Ok(traces)
        }
        Err(Trouble::Cancelled) => Err(Cancelled),
        Err(Trouble::Unavailable(reason)) => {
            // The trace still opens, only with the page busy while it parses.
            web_sys::console::warn_1(&JsValue::from_str(&format!(
                "Stepwise: importing on the page, the import worker is unavailable ({reason})."
            )));
            Ok(import_bytes(bytes))
        }
    }
}

enum Trouble {
    Cancelled,
    Unavailable(String),
}

fn unavailable(error: JsValue) -> Trouble {
    Trouble::Unavailable(
        error
            .as_string()
            .or_else(|| {
                error
                    .dyn_ref::<js_sys::Error>()
                    .map(|error| String::from(error.message()))
            })
            .unwrap_or_else(|| "unknown error".to_string()),
    )
}

thread_local! {
    /// A worker started ahead of its import (`prepare`), with its wasm loading.
    static WARM: RefCell<Option<Worker>> = const { RefCell::new(None) };
}

/// Starts a worker and its wasm for an input of `size_bytes` that is about to be read, so
/// that it is ready when the read ends. Does nothing for inputs imported in place.
pub fn prepare(size_bytes: u64) {
    if size_bytes < WORKER_MIN_BYTES as u64 || WARM.with_borrow(Option::is_some) {
        return;
    }
    // If it cannot start now, `import` tries again and says why.
    if let Ok(worker) = spawn(false) {
        WARM.with_borrow_mut(|warm| *warm = Some(worker));
    }
}

/// Starts a worker before any file is chosen, so that the first large file does not wait
/// for a second wasm instance to start (most of the worker's time on a 7 MB file). The app
/// calls it once its first page is shown, and again after each import, as an import uses
/// its worker up. An idle worker holds little more than the compiled module.
pub fn prewarm() {
    if WARM.with_borrow(Option::is_some) {
        return;
    }
    // If it cannot start now, `import` tries again and says why.
    if let Ok(worker) = spawn(false) {
        WARM.with_borrow_mut(|warm| *warm = Some(worker));
    }
}

/// Delay before the next worker is started after an import: the page is busy drawing the
/// trace meanwhile.
const REWARM_DELAY: std::time::Duration = std::time::Duration::from_secs(3);

/// A new worker; `fresh` skips the warm-up message (the import message follows at once).
fn spawn(fresh: bool) -> Result<Worker, Trouble> {
    let (glue, wasm) = module_urls()?;
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    let worker =
        Worker::new_with_options(&resolve(WORKER_SCRIPT)?, &options).map_err(unavailable)?;
    if !fresh {
        worker
            .post_message(&message(&glue, &wasm, None)?.into())
            .map_err(unavailable)?;
    }
    Ok(worker)
}

async fn import_in_worker(
    bytes: &[u8],
    controller: &AbortController,
    progress: Progress,
) -> Result<Result<Vec<Trace>, ImportError>, Trouble> {
    let worker = match WARM.with_borrow_mut(Option::take) {
        Some(worker) => worker,
        None => spawn(true)?,
    };
    let answer = run(&worker, bytes, controller).await;
    // One import per worker: terminating it gives its memory back at once.
    worker.terminate();
    leptos::prelude::set_timeout(prewarm, REWARM_DELAY);
    let out = answer?;
    mark("stepwise:worker-answered");
    copy_and_decode(&out, controller, progress).await
}

/// The message a worker gets: where the app's module is, and the bytes to import if any.
fn message(glue: &str, wasm: &str, bytes: Option<&Uint8Array>) -> Result<Object, Trouble> {
    let message = Object::new();
    let mut fields = vec![
        ("glue", JsValue::from_str(glue)),
        ("wasm", JsValue::from_str(wasm)),
    ];
    if let Some(bytes) = bytes {
        fields.push(("bytes", bytes.into()));
    }
    for (key, value) in fields {
        Reflect::set(&message, &JsValue::from_str(key), &value).map_err(unavailable)?;
    }
    Ok(message)
}

/// Posts the bytes (moved, not copied, to the worker) and waits for its answer, an error
/// event or Cancel, whichever comes first.
async fn run(
    worker: &Worker,
    bytes: &[u8],
    controller: &AbortController,
) -> Result<Uint8Array, Trouble> {
    let (glue, wasm) = module_urls()?;
    let array = Uint8Array::from(bytes);
    let message = message(&glue, &wasm, Some(&array))?;
    let signal = controller.signal();
    let reply = Promise::new(&mut |resolve, reject| {
        worker.set_onmessage(Some(&resolve));
        worker.set_onerror(Some(&reject));
        signal.set_onabort(Some(&reject));
    });
    worker
        .post_message_with_transfer(&message, &Array::of1(&array.buffer()))
        .map_err(unavailable)?;
    let result = JsFuture::from(reply).await;
    signal.set_onabort(None);
    if signal.aborted() {
        return Err(Trouble::Cancelled);
    }
    let event: MessageEvent = result
        .map_err(|_| Trouble::Unavailable("the worker failed to start".to_string()))?
        .dyn_into()
        .map_err(unavailable)?;
    let data = event.data();
    let field = |key: &str| Reflect::get(&data, &JsValue::from_str(key)).unwrap_or_default();
    if field("ok").as_bool() != Some(true) {
        return Err(Trouble::Unavailable(
            field("error")
                .as_string()
                .unwrap_or_else(|| "no answer".to_string()),
        ));
    }
    field("out").dyn_into::<Uint8Array>().map_err(unavailable)
}

/// Brings the worker's answer into wasm memory and decodes it, a slice per task.
async fn copy_and_decode(
    out: &Uint8Array,
    controller: &AbortController,
    progress: Progress,
) -> Result<Result<Vec<Trace>, ImportError>, Trouble> {
    let length = out.length();
    // Reserved, not zeroed: zeroing tens of megabytes at once was itself a long task.
    let mut bytes = Vec::with_capacity(length as usize);
    let mut at = 0;
    while at < length {
        let end = length.min(at.saturating_add(COPY_SLICE_BYTES));
        bytes.extend_from_slice(&out.subarray(at, end).to_vec());
        at = end;
        next_task(controller).await?;
    }
    let mut decoding = Decoding::new(&bytes);
    loop {
        let step = decoding
            .advance(DECODE_SLICE_STEPS)
            .map_err(|error| Trouble::Unavailable(error.to_string()))?;
        if let Some(outcome) = step {
            mark("stepwise:decoded");
            return Ok(outcome);
        }
        progress.set_phase(&format!(
            "Preparing the view: {} steps read…",
            stepwise_core::metrics::format_count(decoding.steps_done() as u64)
        ));
        next_task(controller).await?;
    }
}

/// Lets the browser paint and handle input before the next slice, then says whether the
/// import was cancelled meanwhile.
async fn next_task(controller: &AbortController) -> Result<(), Trouble> {
    yield_to_browser().await.map_err(unavailable)?;
    match controller.signal().aborted() {
        true => Err(Trouble::Cancelled),
        false => Ok(()),
    }
}

/// The app's wasm-bindgen glue and wasm file, from the links Trunk puts in the page.
fn module_urls() -> Result<(String, String), Trouble> {
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or_else(|| Trouble::Unavailable("no page".to_string()))?;
    let href = |selector: &str| {
        document
            .query_selector(selector)
            .ok()
            .flatten()
            .and_then(|link| link.get_attribute("href"))
            .ok_or_else(|| {
                Trouble::Unavailable("the page does not name its wasm module".to_string())
            })
            .and_then(|href| resolve(&href))
    };
    Ok((
        href("link[rel=modulepreload]")?,
        href("link[rel=preload][type='application/wasm']")?,
    ))
}

/// `path` made absolute against the page, as a worker and `import()` need.
fn resolve(path: &str) -> Result<String, Trouble> {
    let base = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.base_uri().ok().flatten())
        .ok_or_else(|| Trouble::Unavailable("the page has no address".to_string()))?;
    web_sys::Url::new_with_base(path, &base)
        .map(|url| url.href())
        .map_err(unavailable)
}
