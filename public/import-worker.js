// Stepwise's import worker: runs the app's own wasm off the page's main thread, so that
// parsing a large trace never freezes the page. The page (src/io/worker.rs) may first
// send { glue, wasm } alone, to start the wasm while the file is still being read, then
// sends { glue, wasm, bytes } and gets back { ok: true, out } with the traces in
// Stepwise's transfer form (crates/stepwise-core/src/transfer.rs), or { ok: false, error }. One import per
// worker: the page terminates it afterwards, which gives its memory back.
let ready = null;

function start(glue, wasm) {
  ready ??= import(glue).then(async (module) => {
    await module.default({ module_or_path: wasm });
    return module;
  });
  return ready;
}

self.onmessage = async (event) => {
  const { glue, wasm, bytes } = event.data;
  if (!bytes) {
    // A warm-up: a failure is reported when the import itself is asked for.
    start(glue, wasm).catch(() => {});
    return;
  }
  try {
    const module = await start(glue, wasm);
    const out = module.worker_import(bytes);
    self.postMessage({ ok: true, out }, [out.buffer]);
  } catch (error) {
    self.postMessage({ ok: false, error: String(error) });
  }
};
