// Stepwise's import worker: runs the importer module (crates/stepwise-import, built by
// Trunk as a worker) off the page's main thread, so that reading and parsing a trace never
// freezes the page. Protocol (src/io/worker.rs):
//   page → worker  {}                  warm-up: load the module now
//   page → worker  { input, name }     input is a Blob (a File as picked, never copied)
//   page → worker  { input, name, redact }   redact: the redaction rules as JSON text
//                                      (stepwise_core::redact::Rules); every trace is
//                                      redacted before anything is sent back
//   worker → page  { progress }        bytes of text read so far
//   worker → page  { phase: 'redacting', done, total }   steps of a trace redacted so far
//   worker → page  { preview }         the first trace's figures and tasks, as JSON, early
//                                      (with redact: of the redacted trace)
//   worker → page  { ok: true, out, name, contentId }   out: the traces' transfer form
//   worker → page  { ok: true, out, name, contentId, redaction, redactMs }   with redact:
//                                      out holds the redacted traces; redaction is JSON
//                                      text, one redact::Report per trace; redactMs the
//                                      time spent redacting
//   worker → page  { ok: false, error, stopped }        stopped: the wasm trapped; with
//                                      redact, rules that cannot be used (a bad pattern)
//                                      answer this with the sentence saying why
// One import per worker: the page terminates it afterwards, which gives its memory back.
const here = (file) => new URL(file, import.meta.url).href;
let ready = null;
// The price table's text (or null), fetched once per worker from its warm-up on.
let prices = null;

function start() {
  prices ??= fetch(here('prices.json'))
    .then((response) => (response.ok ? response.text() : null))
    .catch(() => null);
  ready ??= import(here('stepwise-import.js')).then(async (module) => {
    await module.default({ module_or_path: here('stepwise-import_bg.wasm') });
    return module;
  });
  return ready;
}

self.onmessage = async (event) => {
  const { input, name, redact } = event.data;
  if (!input) {
    // A warm-up: a failure is reported when the import itself is asked for.
    start().catch(() => {});
    return;
  }
  let module;
  try {
    module = await start();
  } catch (error) {
    const detail = error?.message ?? String(error);
    self.postMessage({ ok: false, error: `${name} could not be opened: Stepwise's importer did not load (${detail}). Reload the page to try again.` });
    return;
  }
  try {
    const answer = await module.import_input(
      input,
      name,
      prices,
      (read) => self.postMessage({ progress: read }),
      (preview) => self.postMessage({ preview }),
      redact ?? null,
      (done, total) => self.postMessage({ phase: 'redacting', done, total }),
    );
    self.postMessage({ ok: true, ...answer }, [answer.out.buffer]);
  } catch (error) {
    // A trap (out of memory, a panic) is a WebAssembly.RuntimeError; a refusal or an
    // unreadable file is the importer's own sentence.
    const stopped = error instanceof WebAssembly.RuntimeError;
    self.postMessage({ ok: false, stopped, error: error?.message ?? String(error) });
  }
};
