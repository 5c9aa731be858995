//! Reading bytes in the browser: progress, streams, files, gunzip and yielding to the event loop. I/O layer: uses only other I/O modules and the core.

use leptos::prelude::*;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, ReadableStream, ReadableStreamDefaultReader};

use stepwise_core::intake::{decompressed_name, is_gzip, Preview};

/// One read or download under way: what, how far, and how to stop it.
#[derive(Clone, Copy)]
pub struct Progress {
    /// The file name or URL being read.
    pub label: RwSignal<String>,
    pub read_bytes: RwSignal<u64>,
    pub total_bytes: RwSignal<Option<u64>>,
    /// Whether a read is under way (the bar shows only then).
    pub active: RwSignal<bool>,
    /// What happens after reading ("Importing … in the background…"): shown instead of
    /// the byte count, with a sweeping bar.
    pub phase: RwSignal<Option<String>>,
    /// The trace's headline figures and first tasks, sent by the import worker ahead of
    /// the trace itself.
    pub preview: RwSignal<Option<Preview>>,
    cancelled: RwSignal<bool>,
    abort: StoredValue<Option<AbortController>, LocalStorage>,
}

impl Progress {
    pub fn new() -> Progress {
        Progress {
            label: RwSignal::new(String::new()),
            read_bytes: RwSignal::new(0),
            total_bytes: RwSignal::new(None),
            active: RwSignal::new(false),
            phase: RwSignal::new(None),
            preview: RwSignal::new(None),
            cancelled: RwSignal::new(false),
            abort: StoredValue::new_local(None),
        }
    }

    /// Starts showing a read of `label`; `abort` is what Cancel aborts, if anything.
    ///
    /// Like every method here it tolerates a disposed page: a request aborted because its
    /// page went away resumes after the page's signals are gone.
    pub fn start(&self, label: &str, total_bytes: Option<u64>, abort: Option<AbortController>) {
        self.label.try_set(label.to_string());
        self.read_bytes.try_set(0);
        self.total_bytes.try_set(total_bytes);
        self.cancelled.try_set(false);
        self.phase.try_set(None);
        self.preview.try_set(None);
        self.abort.try_set_value(abort);
        self.active.try_set(true);
    }

    pub fn advance(&self, bytes: u64) {
        self.read_bytes.try_update(|read| *read += bytes);
    }

    pub fn set_phase(&self, phase: &str) {
        self.phase.try_set(Some(phase.to_string()));
    }

    /// Shows the import worker's preview (`intake::Preview` as JSON) while the rest of the
    /// trace is prepared. One that does not parse is skipped: the trace itself follows.
    pub fn show_preview(&self, json: &str) {
        if let Ok(preview) = serde_json::from_str::<Preview>(json) {
            self.preview.try_set(Some(preview));
            self.set_phase("Preparing the steps and the timeline…");
            mark("stepwise:preview");
        }
    }

    pub fn finish(&self) {
        self.abort.try_set_value(None);
        self.active.try_set(false);
    }

    /// Asks the read under way to stop; a fetch is aborted at once.
    pub fn cancel(&self) {
        self.cancelled.try_set(true);
        self.abort.try_with_value(|abort| {
            if let Some(controller) = abort {
                controller.abort();
            }
        });
    }

    /// Whether Cancel was pressed, or the page that showed this progress is gone.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.try_get_untracked().unwrap_or(true)
    }

    /// The bytes read so far (0 once the page is gone).
    pub fn read_bytes_now(&self) -> u64 {
        self.read_bytes.try_get_untracked().unwrap_or(0)
    }

    pub fn set_total_bytes(&self, total_bytes: Option<u64>) {
        self.total_bytes.try_set(total_bytes);
    }
}

impl Default for Progress {
    fn default() -> Progress {
        Progress::new()
    }
}

/// Bytes `read_stream` copies before it lets the browser paint and handle input.
const READ_YIELD_BYTES: usize = 4 << 20;

/// The most `read_stream` reserves before the bytes arrive.
const PREALLOCATE_MAX_BYTES: u64 = 512 * 1024 * 1024;

/// Reads a stream to its end chunk by chunk, calling `on_chunk` with each chunk's size, so
/// a large body never becomes one JS string. Stops when `keep_going` says so.
/// `expected_bytes` (a file's size, a Content-Length) only sizes the first allocation.
pub async fn read_stream(
    stream: &ReadableStream,
    expected_bytes: Option<u64>,
    mut on_chunk: impl FnMut(u64),
    keep_going: impl Fn() -> bool,
) -> Result<Vec<u8>, JsValue> {
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    // Growing a 70 MB buffer by doubling costs a long main-thread task in the middle of
    // the read; one allocation up front does not. The size is a hint from the file or an
    // untrusted Content-Length, so it is capped.
    let capacity = expected_bytes.unwrap_or(0).min(PREALLOCATE_MAX_BYTES) as usize;
    let mut bytes = Vec::with_capacity(capacity);
    let mut unyielded_bytes = 0usize;
    loop {
        let result: web_sys::ReadableStreamReadResult =
            JsFuture::from(reader.read()).await?.unchecked_into();
        if result.get_done().unwrap_or(true) {
            return Ok(bytes);
        }
        let chunk = js_sys::Uint8Array::new(&result.get_value());
        let start = bytes.len();
        bytes.resize(start + chunk.length() as usize, 0);
        chunk.copy_to(&mut bytes[start..]);
        on_chunk(chunk.length() as u64);
        // A file's chunks are ready at once, and a read that is ready continues in the same
        // browser task: without a pause, a 72 MB file was read in tasks of 250 ms.
        unyielded_bytes += chunk.length() as usize;
        if unyielded_bytes >= READ_YIELD_BYTES {
            unyielded_bytes = 0;
            // Without a way to yield the read goes on; only smoothness is lost.
            let _ = yield_to_browser().await;
        }
        if !keep_going() {
            // Tell the source we are done with it; the promise's outcome does not matter.
            let _ = reader.cancel();
            return Err(JsValue::from_str("cancelled"));
        }
    }
}

#[wasm_bindgen]
extern "C" {
    /// The browser's `DecompressionStream`, bound here because web-sys only offers it
    /// behind `--cfg=web_sys_unstable_apis`.
    #[wasm_bindgen(extends = js_sys::Object)]
    type DecompressionStream;

    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;
}

/// Decompresses gzip bytes with the browser's own `DecompressionStream` (no wasm inflater).
pub async fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let describe = |error: JsValue| {
        error
            .dyn_ref::<js_sys::Error>()
            .map(|error| String::from(error.message()))
            .unwrap_or_else(|| "the data is not valid gzip".to_string())
    };
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).map_err(describe)?;
    let inflate = DecompressionStream::new("gzip").map_err(describe)?;
    // A transform stream is a `{readable, writable}` pair, which is what `pipeThrough` takes.
    let pair: web_sys::ReadableWritablePair = inflate.unchecked_into();
    let stream = blob.stream().pipe_through(&pair);
    read_stream(&stream, None, |_| {}, || true)
        .await
        .map_err(describe)
}

/// Decompresses `bytes` if they are gzip, returning the content's name and bytes.
pub async fn gunzip_if_needed(name: &str, bytes: Vec<u8>) -> Result<(String, Vec<u8>), String> {
    if !is_gzip(&bytes) {
        return Ok((name.to_string(), bytes));
    }
    let inflated = gunzip(&bytes).await?;
    Ok((decompressed_name(name), inflated))
}

/// Marks a moment of opening a file on the page's performance timeline, so the benchmark
/// (e2e/bench_page.js) can split the time into reading, importing and drawing.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        // A mark that cannot be set only loses a benchmark figure.
        let _ = performance.mark(name);
    }
}

/// Ends the current task: the browser paints and handles input, then this resolves. A
/// message to ourselves rather than `setTimeout(0)`, which the browser stretches to 4 ms
/// once nested.
pub async fn yield_to_browser() -> Result<(), JsValue> {
    let channel = web_sys::MessageChannel::new()?;
    let tick = js_sys::Promise::new(&mut |resolve, _| {
        channel.port1().set_onmessage(Some(&resolve));
    });
    channel.port2().post_message(&JsValue::NULL)?;
    JsFuture::from(tick).await?;
    channel.port1().set_onmessage(None);
    Ok(())
}
