//! Importing traces without freezing the page. I/O layer: uses only other I/O modules and the core.
//!
//! Every import runs in a Web Worker on the importer module (`crates/stepwise-import`,
//! loaded by public/import-worker.js), which the page's own wasm does not contain. The page
//! hands the worker a `Blob` (a picked file as it is, never copied into wasm memory); the
//! worker reads it, decompresses it, refuses what a browser cannot hold, imports it, and
//! answers in the compact transfer form (`stepwise_core::transfer`), which the page decodes
//! a slice of steps at a time, yielding between slices, so no main-thread task grows with
//! the trace. A worker that fails, runs out of memory or traps becomes a message.

use std::cell::RefCell;

use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Blob, MessageEvent, Worker, WorkerOptions, WorkerType};

use crate::io::address::beside_page;
use crate::io::js_error::describe as reason;
use crate::io::stream::{mark, yield_to_browser, Progress};
use stepwise_core::format::format_bytes;
use stepwise_core::import::ImportError;
use stepwise_core::intake::{stopped_message, PROGRESS_MIN_BYTES};
use stepwise_core::model::Trace;
use stepwise_core::transfer::Decoding;

/// Steps decoded per main-thread slice: a few milliseconds of work.
const DECODE_SLICE_STEPS: usize = 2_000;
/// Bytes copied into wasm memory per slice.
const COPY_SLICE_BYTES: u32 = 8 << 20;
const WORKER_SCRIPT: &str = "import-worker.js";

mod on_page;

/// What the worker made of an input.
pub struct Imported {
    /// The traces, or why the text holds none.
    pub outcome: Result<Vec<Trace>, ImportError>,
    /// The content's name: the input's, without `.gz` when it was compressed.
    pub name: String,
    /// The id of the content's text (`recent::cache_id`), to tell two files apart.
    pub content_id: String,
}

/// Why an import gave no traces and no import error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportFailure {
    /// The user pressed Cancel.
    Cancelled,
    /// A sentence for the user: the input was refused or unreadable, or the importer stopped.
    Message(String),
}

/// Every trace in `input`, a file called `name`, imported in the worker. A large input
/// shows the import on the progress bar, with its Cancel button.
pub async fn import(
    input: &Blob,
    name: &str,
    progress: Progress,
) -> Result<Imported, ImportFailure> {
    import_with(input, name, None, progress)
        .await
        .map(|(imported, _)| imported)
}

/// `import`, every trace redacted in the worker by the rules `rules_json` holds
/// (`redact::Rules` as JSON), with the worker's reports (one `redact::Report` per trace,
/// as JSON). The progress bar shows it whatever the input's size.
pub async fn import_redacted(
    input: &Blob,
    name: &str,
    rules_json: &str,
    progress: Progress,
) -> Result<(Imported, String), ImportFailure> {
    let (imported, answer) = import_with(input, name, Some(rules_json), progress).await?;
    let reports = Reflect::get(&answer, &JsValue::from_str("redaction"))
        .ok()
        .and_then(|reports| reports.as_string())
        .ok_or_else(|| {
            ImportFailure::Message(format!("{name}: the importer sent no redaction report."))
        })?;
    Ok((imported, reports))
}

async fn import_with(
    input: &Blob,
    name: &str,
    redact: Option<&str>,
    progress: Progress,
) -> Result<(Imported, JsValue), ImportFailure> {
    let size_bytes = input.size() as u64;
    let shown = size_bytes >= PROGRESS_MIN_BYTES || redact.is_some();
    let controller =
        AbortController::new().map_err(|error| ImportFailure::Message(unavailable(name, error)))?;
    if shown {
        progress.start(name, None, Some(controller.clone()));
        progress.set_phase(&format!(
            "Opening {name} ({}) in the background…",
            format_bytes(size_bytes)
        ));
    }
    let outcome = import_in_worker(input, name, redact, &controller, progress).await;
    if shown {
        progress.finish();
        if outcome.is_ok() {
            // The last decoded slice and the first render of the trace, which the caller
            // starts next, each take a task of their own.
            let _ = yield_to_browser().await;
        }
    }
    outcome
}

fn unavailable(name: &str, error: JsValue) -> String {
    format!(
        "{name} could not be opened: the browser would not start Stepwise's importer ({}).",
        reason(&error)
    )
}

thread_local! {
    /// A worker started ahead of its import, with its wasm loading.
    static WARM: RefCell<Option<Worker>> = const { RefCell::new(None) };
}

/// Starts a worker before any file is chosen, so that the first import does not wait for
/// the importer module to download and start. The app calls it once its first page is
/// shown, and again after each import, as an import uses its worker up. An idle worker
/// holds little more than the compiled module.
pub fn prewarm() {
    if WARM.with_borrow(Option::is_some) {
        return;
    }
    // If it cannot start now, `import` tries again and says why.
    if let Ok(worker) = spawn() {
        let _ = worker.post_message(&Object::new());
        WARM.with_borrow_mut(|warm| *warm = Some(worker));
    }
}

/// Delay before the next worker is started after an import: the page is busy drawing the
/// trace meanwhile.
const REWARM_DELAY: std::time::Duration = std::time::Duration::from_secs(3);

fn spawn() -> Result<Worker, JsValue> {
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    Worker::new_with_options(&beside_page(WORKER_SCRIPT)?, &options)
}

async fn import_in_worker(
    input: &Blob,
    name: &str,
    redact: Option<&str>,
    controller: &AbortController,
    progress: Progress,
) -> Result<(Imported, JsValue), ImportFailure> {
    let answer = answer_of(input, name, redact, controller, progress).await?;
    mark("stepwise:worker-answered");
    let field = |key: &str| Reflect::get(&answer, &JsValue::from_str(key)).unwrap_or_default();
    let out = transfer_of(&answer, name)?;
    let outcome = copy_and_decode(&out, controller, progress)
        .await?
        .map_err(|error| ImportFailure::Message(format!("{name}: {error}.")))?;
    let imported = Imported {
        outcome,
        name: field("name")
            .as_string()
            .unwrap_or_else(|| name.to_string()),
        content_id: field("contentId").as_string().unwrap_or_default(),
    };
    Ok((imported, answer))
}

/// The worker's answer for `input`: imported, and redacted by the rules `redact` holds
/// (JSON), if any. Without a worker the import runs on the page, which cannot redact.
async fn answer_of(
    input: &Blob,
    name: &str,
    redact: Option<&str>,
    controller: &AbortController,
    progress: Progress,
) -> Result<JsValue, ImportFailure> {
    match WARM.with_borrow_mut(Option::take).map_or_else(spawn, Ok) {
        Ok(worker) => {
            let answer = run(&worker, input, name, redact, controller, progress).await;
            // One import per worker: terminating it gives its memory back at once.
            worker.terminate();
            leptos::prelude::set_timeout(prewarm, REWARM_DELAY);
            answer
        }
        Err(error) if redact.is_none() => {
            web_sys::console::warn_1(&JsValue::from_str(&format!(
                "Stepwise: importing on the page, a worker cannot start here ({}).",
                reason(&error)
            )));
            on_page::import(input, name, progress)
                .await
                .map_err(ImportFailure::Message)
        }
        Err(error) => Err(ImportFailure::Message(unavailable(name, error))),
    }
}

/// The transfer form in a worker's answer.
fn transfer_of(answer: &JsValue, name: &str) -> Result<Uint8Array, ImportFailure> {
    Reflect::get(answer, &JsValue::from_str("out"))
        .unwrap_or_default()
        .dyn_into()
        .map_err(|_| ImportFailure::Message(format!("{name}: the importer gave no answer.")))
}

/// The traces a shared page carries in the transfer form, decoded a slice per task.
pub async fn decode_shared(out: &Uint8Array) -> Result<Vec<Trace>, String> {
    let failed = |detail: String| format!("This shared trace cannot be shown: {detail}.");
    let controller = AbortController::new().map_err(|error| failed(reason(&error)))?;
    match copy_and_decode(out, &controller, Progress::new()).await {
        Ok(Ok(Ok(traces))) => Ok(traces),
        Ok(Ok(Err(error))) => Err(failed(error.to_string())),
        Ok(Err(detail)) => Err(failed(detail)),
        Err(_) => Err(failed("it was stopped".to_string())),
    }
}

/// Hands `input` to the worker and waits for its answer, an error event or Cancel,
/// whichever comes first; progress messages move the bar meanwhile.
async fn run(
    worker: &Worker,
    input: &Blob,
    name: &str,
    redact: Option<&str>,
    controller: &AbortController,
    progress: Progress,
) -> Result<JsValue, ImportFailure> {
    let size_bytes = input.size() as u64;
    let message = Object::new();
    for (key, value) in [("input", input.into()), ("name", JsValue::from_str(name))] {
        Reflect::set(&message, &JsValue::from_str(key), &value)
            .map_err(|error| ImportFailure::Message(unavailable(name, error)))?;
    }
    if let Some(rules) = redact {
        Reflect::set(
            &message,
            &JsValue::from_str("redact"),
            &JsValue::from_str(rules),
        )
        .map_err(|error| ImportFailure::Message(unavailable(name, error)))?;
    }
    let signal = controller.signal();
    let mut on_message: Option<Closure<dyn FnMut(MessageEvent)>> = None;
    let reply = Promise::new(&mut |resolve, reject| {
        let label = name.to_string();
        let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            let field = |key: &str| Reflect::get(&data, &JsValue::from_str(key)).ok();
            if let Some(read_bytes) = field("progress").and_then(|read| read.as_f64()) {
                progress.set_phase(&format!(
                    "Opening {label} in the background: {} read…",
                    format_bytes(read_bytes as u64)
                ));
            } else if field("phase")
                .and_then(|phase| phase.as_string())
                .as_deref()
                == Some("redacting")
            {
                let count = |key: &str| field(key).and_then(|n| n.as_f64()).unwrap_or(0.0) as u64;
                let (done, total) = (count("done"), count("total"));
                progress.set_phase(&format!(
                    "Redacting {label}: {} of {} steps…",
                    stepwise_core::metrics::format_count(done),
                    stepwise_core::metrics::format_count(total)
                ));
            } else if let Some(json) = field("preview").and_then(|json| json.as_string()) {
                progress.show_preview(&json);
            } else {
                let _ = resolve.call1(&JsValue::NULL, &data);
            }
        });
        worker.set_onmessage(Some(handler.as_ref().unchecked_ref()));
        on_message = Some(handler);
        worker.set_onerror(Some(&reject));
        signal.set_onabort(Some(&reject));
    });
    worker
        .post_message(&message)
        .map_err(|error| ImportFailure::Message(unavailable(name, error)))?;
    let result = JsFuture::from(reply).await;
    signal.set_onabort(None);
    worker.set_onmessage(None);
    drop(on_message);
    if signal.aborted() {
        return Err(ImportFailure::Cancelled);
    }
    // An error event: the worker died without answering (an uncaught trap names itself),
    // or its script did not load (no message).
    let data = result.map_err(|event| {
        let detail = event
            .dyn_ref::<web_sys::ErrorEvent>()
            .map(|event| event.message())
            .filter(|message| !message.is_empty());
        ImportFailure::Message(match detail {
            Some(detail) => stopped_message(name, size_bytes, &detail),
            None => unavailable(name, JsValue::from_str("its script did not load")),
        })
    })?;
    let field = |key: &str| Reflect::get(&data, &JsValue::from_str(key)).unwrap_or_default();
    if field("ok").as_bool() == Some(true) {
        return Ok(data);
    }
    let error = field("error")
        .as_string()
        .unwrap_or_else(|| "no answer".to_string());
    Err(ImportFailure::Message(match field("stopped").as_bool() {
        Some(true) => stopped_message(name, size_bytes, &error),
        _ => error,
    }))
}

/// Brings the worker's answer into wasm memory and decodes it, a slice per task.
async fn copy_and_decode(
    out: &Uint8Array,
    controller: &AbortController,
    progress: Progress,
) -> Result<Result<Result<Vec<Trace>, ImportError>, String>, ImportFailure> {
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
        let step = match decoding.advance(DECODE_SLICE_STEPS) {
            Ok(step) => step,
            Err(error) => return Ok(Err(error.to_string())),
        };
        if let Some(outcome) = step {
            mark("stepwise:decoded");
            return Ok(Ok(outcome));
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
async fn next_task(controller: &AbortController) -> Result<(), ImportFailure> {
    // Without a way to yield the work goes on; only smoothness is lost.
    let _ = yield_to_browser().await;
    match controller.signal().aborted() {
        true => Err(ImportFailure::Cancelled),
        false => Ok(()),
    }
}

/// `bytes` as a Blob outside wasm memory, copied a slice per browser task: a 72 MB body
/// copied in one go froze the page for about 180 ms.
pub async fn blob_from(bytes: &[u8]) -> Result<Blob, String> {
    /// Bytes copied out of wasm memory per browser task.
    const SLICE_BYTES: usize = 4 << 20;
    let mut blob = Blob::new().map_err(|error| reason(&error))?;
    for (index, slice) in bytes.chunks(SLICE_BYTES).enumerate() {
        if index > 0 {
            let _ = yield_to_browser().await;
        }
        // A Blob made of a Blob and new bytes refers to the first, it does not copy it.
        let parts = Array::of2(&blob, &Uint8Array::from(slice));
        blob = Blob::new_with_u8_array_sequence(&parts).map_err(|error| reason(&error))?;
    }
    Ok(blob)
}
