//! The import itself, exported to `public/import-worker.js` as `import_input`.

use js_sys::{Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, ReadableStream, ReadableStreamDefaultReader, ReadableStreamReadResult,
    ReadableWritablePair,
};

use stepwise_core::intake::{
    decompressed_name, import_for_page, import_for_page_redacted, is_gzip, Preview, Redaction,
    Refusal, MAX_OPEN_BYTES,
};
use stepwise_core::pricing::PriceTable;
use stepwise_core::recent::cache_id;
use stepwise_core::redact::Rules;

/// Bytes read between two progress reports to the page.
const PROGRESS_EVERY_BYTES: u64 = 4 << 20;

#[wasm_bindgen]
extern "C" {
    /// The browser's `DecompressionStream`, bound here because web-sys only offers it
    /// behind `--cfg=web_sys_unstable_apis`.
    #[wasm_bindgen(extends = js_sys::Object)]
    type DecompressionStream;

    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;
}

/// Imports `input`, a file called `name`, estimating the costs it does not state from the
/// price table `prices` resolves to (its text, or null when it could not be had: started
/// by the caller ahead of the import, so it is usually there); `on_progress(read_bytes)`
/// follows the read, and
/// `on_preview(json)` gets the first trace's `intake::Preview` as soon as it is known.
/// Resolves to
/// `{out, name, contentId}`: the traces in the transfer form, the name of the content
/// (without `.gz`), and the id its text is cached under (`recent::cache_id`). Rejects
/// with a sentence for the user.
///
/// With `redact` (the `redact::Rules` as JSON), every trace is redacted before anything
/// is sent, `on_redacting(done_steps, total_steps)` follows it, and the answer adds
/// `redaction` (one `redact::Report` per trace, as JSON) and `redactMs`. Rules that
/// cannot be used reject with the sentence that says why, before the file is read.
#[wasm_bindgen]
pub async fn import_input(
    input: Blob,
    name: String,
    prices: Promise,
    on_progress: Function,
    on_preview: Function,
    redact: Option<String>,
    on_redacting: Option<Function>,
) -> Result<JsValue, JsValue> {
    let size_bytes = input.size() as u64;
    if size_bytes > MAX_OPEN_BYTES {
        return Err(Refusal::TooLarge { size_bytes }.message(&name).into());
    }
    let rules = match redact.as_deref().map(serde_json::from_str::<Rules>) {
        None => None,
        Some(Ok(rules)) => {
            rules.check().map_err(|error| error.to_string())?;
            Some(rules)
        }
        Some(Err(error)) => {
            return Err(format!("The redaction settings could not be read ({error}).").into())
        }
    };
    let gzip = is_gzip(&head(&input).await?);
    let bytes = read(&input, gzip, &on_progress)
        .await
        .map_err(|failure| failure.message(&name, gzip, size_bytes))?;
    let inner = if gzip { decompressed_name(&name) } else { name };
    let table = price_table(prices).await;
    let content_id = cache_id(&bytes);
    let send_preview = |preview: &Preview| {
        // A preview is only shown: one that cannot be sent leaves the page waiting for
        // the whole trace, as before.
        if let Ok(json) = serde_json::to_string(preview) {
            let _ = on_preview.call1(&JsValue::NULL, &JsValue::from_str(&json));
        }
    };
    let answer = Object::new();
    let out = match rules {
        None => import_for_page(bytes, table.as_ref(), send_preview),
        Some(rules) => {
            let mut on_steps = |_trace: usize, done: usize, total: usize| {
                if let Some(on_redacting) = &on_redacting {
                    // Progress is only shown: a failing callback must not stop the work.
                    let _ = on_redacting.call2(
                        &JsValue::NULL,
                        &JsValue::from_f64(done as f64),
                        &JsValue::from_f64(total as f64),
                    );
                }
            };
            let redaction = Redaction {
                rules: &rules,
                on_steps: &mut on_steps,
                now_ms: &now_ms,
            };
            let redacted = import_for_page_redacted(bytes, table.as_ref(), redaction, send_preview)
                .map_err(|error| error.to_string())?;
            let reports = serde_json::to_string(&redacted.reports)
                .map_err(|error| format!("The redaction report could not be written ({error})."))?;
            Reflect::set(&answer, &"redaction".into(), &JsValue::from_str(&reports))?;
            let redact_ms = JsValue::from_f64(redacted.redact_ms);
            Reflect::set(&answer, &"redactMs".into(), &redact_ms)?;
            redacted.out
        }
    };
    for (key, value) in [
        ("out", Uint8Array::from(&out[..]).into()),
        ("name", JsValue::from_str(&inner)),
        ("contentId", JsValue::from_str(&content_id)),
    ] {
        Reflect::set(&answer, &JsValue::from_str(key), &value)?;
    }
    Ok(answer.into())
}

/// The worker's clock, in milliseconds; 0 where there is none.
fn now_ms() -> f64 {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("performance"))
        .ok()
        .and_then(|performance| performance.dyn_into::<web_sys::Performance>().ok())
        .map_or(0.0, |performance| performance.now())
}

/// Why reading stopped.
enum ReadFailure {
    /// The text grew past `MAX_OPEN_BYTES` (a gzip input that inflates too far).
    OverBudget,
    /// The browser's own error: unreadable file, damaged gzip.
    Browser(String),
}

impl ReadFailure {
    fn message(&self, name: &str, gzip: bool, size_bytes: u64) -> String {
        match (self, gzip) {
            (ReadFailure::OverBudget, true) => Refusal::InflatesTooFar {
                compressed_bytes: size_bytes,
            }
            .message(name),
            (ReadFailure::OverBudget, false) => Refusal::TooLarge { size_bytes }.message(name),
            (ReadFailure::Browser(detail), true) => {
                format!("{name} looks gzip-compressed but could not be decompressed ({detail}).")
            }
            (ReadFailure::Browser(detail), false) => {
                format!("{name}: the browser could not read the file ({detail}).")
            }
        }
    }
}

fn describe(error: JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "no reason given".to_string())
}

/// The first two bytes, to tell gzip by its magic number whatever the file is called.
async fn head(input: &Blob) -> Result<Vec<u8>, JsValue> {
    let start = input.slice_with_f64_and_f64(0.0, 2.0)?;
    let buffer = JsFuture::from(start.array_buffer()).await?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// The whole text of `input`, inflated when it is gzip, never more than `MAX_OPEN_BYTES`.
async fn read(input: &Blob, gzip: bool, on_progress: &Function) -> Result<Vec<u8>, ReadFailure> {
    if gzip {
        read_inflated(input, on_progress).await
    } else {
        read_plain(input, on_progress).await
    }
}

/// Bytes of a plain input read per slice: few enough awaits to be quick (a stream's 64 KiB
/// chunks cost a third of a second on 72 MB), little enough JS memory beside the text.
const SLICE_BYTES: f64 = 8.0 * 1024.0 * 1024.0;

/// A plain input, a slice at a time straight into one allocation of its size.
async fn read_plain(input: &Blob, on_progress: &Function) -> Result<Vec<u8>, ReadFailure> {
    let browser = |error: JsValue| ReadFailure::Browser(describe(error));
    let size = input.size();
    let mut bytes = vec![0; size as usize];
    let mut at = 0.0;
    while at < size {
        let end = size.min(at + SLICE_BYTES);
        let slice = input.slice_with_f64_and_f64(at, end).map_err(browser)?;
        let buffer = JsFuture::from(slice.array_buffer())
            .await
            .map_err(browser)?;
        let chunk = Uint8Array::new(&buffer);
        let range = at as usize..at as usize + chunk.length() as usize;
        let target = bytes
            .get_mut(range)
            .ok_or_else(|| ReadFailure::Browser("the file changed while it was read".into()))?;
        chunk.copy_to(target);
        at = end;
        report(on_progress, at as u64);
    }
    Ok(bytes)
}

/// A gzip input through the browser's own inflater, stopped as soon as the text passes
/// `MAX_OPEN_BYTES` (a decompression bomb never gets further).
async fn read_inflated(input: &Blob, on_progress: &Function) -> Result<Vec<u8>, ReadFailure> {
    let browser = |error: JsValue| ReadFailure::Browser(describe(error));
    let inflate = DecompressionStream::new("gzip").map_err(browser)?;
    // A transform stream is a `{readable, writable}` pair, which is what `pipeThrough` takes.
    let pair: ReadableWritablePair = inflate.unchecked_into();
    let stream: ReadableStream = input.stream().pipe_through(&pair);
    let mut bytes = Vec::new();
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut reported = 0u64;
    loop {
        let result: ReadableStreamReadResult = JsFuture::from(reader.read())
            .await
            .map_err(browser)?
            .unchecked_into();
        if result.get_done().unwrap_or(true) {
            return Ok(bytes);
        }
        let chunk = Uint8Array::new(&result.get_value());
        let start = bytes.len();
        let end = start + chunk.length() as usize;
        if end as u64 > MAX_OPEN_BYTES {
            // Tell the source we are done with it; the promise's outcome does not matter.
            let _ = reader.cancel();
            return Err(ReadFailure::OverBudget);
        }
        bytes.resize(end, 0);
        chunk.copy_to(&mut bytes[start..]);
        if end as u64 >= reported + PROGRESS_EVERY_BYTES {
            reported = end as u64;
            report(on_progress, reported);
        }
    }
}

/// Tells the page how much text has been read.
fn report(on_progress: &Function, read_bytes: u64) {
    // Progress is only shown: a failing callback must not stop the import.
    let _ = on_progress.call1(&JsValue::NULL, &JsValue::from_f64(read_bytes as f64));
}

/// The price table, once its text is there: `None` when it could not be had, and traces
/// then open with their unpriced calls counted as such.
async fn price_table(text: Promise) -> Option<PriceTable> {
    let text = JsFuture::from(text).await.ok()?.as_string()?;
    PriceTable::from_compact_json(&text).ok()
}

/// Benchmark S1 in the browser (e2e/bench_import.js loads this module on a page and calls
/// it): imports and derives `bytes` with the importer's own code and returns JSON
/// `{"ms": …, "derived": {…}}` or `{"error": "…"}`. `ms` is timed inside wasm, so it
/// leaves out copying the bytes into wasm memory, which the caller times around it.
#[wasm_bindgen]
pub fn bench_import(bytes: &[u8]) -> String {
    let start = now_ms();
    let result = stepwise_core::bench::import_and_derive(bytes);
    let ms = now_ms() - start;
    match result {
        Ok(derived) => serde_json::json!({ "ms": ms, "derived": derived }).to_string(),
        Err(error) => serde_json::json!({ "error": error }).to_string(),
    }
}
