// Benchmark S1 in Chromium: the app's own wasm (`bench_import`, exported by the importer
// module, crates/stepwise-import, which the import worker runs; builds before it exported
// it from the page's module, src/main.rs) imports and derives a trace, against the JS
// floor — TextDecoder + JSON.parse + a token sum over the same bytes — in the same page,
// on its main thread, alternating run by run. Figures only, no assertions.
//
// usage: STEPWISE_DIST=/tmp/dist-s1 node e2e/bench_import.js [--runs N] [--runs-large N]
//            [--budget SECONDS] [--json OUT] FILE...
// (scripts/bench-import builds, generates the traces and runs this.)
//
// Each file gets a fresh page (wasm memory only grows, so a page that imported a large file
// would carry that memory into the next one). Files over 300 MB get --runs-large runs
// (default 1) and no warm-up. Runs beyond the third are cut when a file would take more
// than --budget seconds (default 60) by the warm-up's pace; the row says so. The bytes are served to the page by a small HTTP server of
// this script (streamed: a 900 MB file cannot pass through Playwright's routing).
import { createReadStream, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { basename, dirname } from 'node:path';
import { chromium } from 'playwright-core';
import { startStaticServer, SUB_PATH } from './harness.js';

const args = process.argv.slice(2);
let runs = 10;
let runsLarge = 1;
let budgetMs = 60_000;
let jsonOut = null;
const files = [];
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--runs') runs = Number(args[(i += 1)]);
  else if (args[i] === '--runs-large') runsLarge = Number(args[(i += 1)]);
  else if (args[i] === '--budget') budgetMs = Number(args[(i += 1)]) * 1000;
  else if (args[i] === '--json') jsonOut = args[(i += 1)];
  else files.push(args[i]);
}
if (!files.length || !(runs > 0) || !(runsLarge > 0)) {
  console.error('usage: node e2e/bench_import.js [--runs N] [--runs-large N] [--json OUT] FILE...');
  process.exit(2);
}
const LARGE_BYTES = 300e6;

// The JS floor: what any JS viewer must at least do to show a trace's token total — decode
// the bytes, parse all of the JSON, and sum the tokens. Stepwise's format: each step's
// usage.input_tokens + usage.output_tokens; OTLP/JSON: the gen_ai.usage.input_tokens and
// gen_ai.usage.output_tokens attributes of every span (intValue, a string in OTLP/JSON).
// Both sums equal the app's total_tokens for `stepwise synth` traces, which is checked.
function jsFloor(buffer) {
  const text = new TextDecoder().decode(buffer);
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    // V8 caps a string's length (about 2^29 characters): TextDecoder then gives less than the file.
    throw new Error(`${error.name}: ${error.message} (TextDecoder gave ${text.length.toLocaleString('en')} characters of ${buffer.byteLength.toLocaleString('en')} bytes)`);
  }
  let tokens = 0;
  let items = 0;
  if (Array.isArray(doc.resourceSpans)) {
    for (const resource of doc.resourceSpans) {
      for (const scope of resource.scopeSpans || []) {
        for (const span of scope.spans || []) {
          items += 1;
          for (const attribute of span.attributes || []) {
            if (attribute.key === 'gen_ai.usage.input_tokens' || attribute.key === 'gen_ai.usage.output_tokens') {
              const value = attribute.value || {};
              tokens += Number(value.intValue ?? value.doubleValue ?? 0);
            }
          }
        }
      }
    }
    return { format: 'otlp', items, tokens };
  }
  const traces = doc.trace ? [doc.trace] : doc.traces || [];
  for (const trace of traces) {
    for (const step of trace.steps || []) {
      items += 1;
      const usage = step.usage;
      if (usage) tokens += (usage.input_tokens || 0) + (usage.output_tokens || 0);
    }
  }
  return { format: 'stepwise', items, tokens };
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  if (!sorted.length) return { runs: 0, median_ms: null, p95_ms: null, min_ms: null };
  const rank = (f) => sorted[Math.min(sorted.length, Math.max(1, Math.ceil(f * sorted.length))) - 1];
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { runs: sorted.length, median_ms: median, p95_ms: rank(0.95), min_ms: sorted[0] };
}

// The traces, streamed to the page from another port (CORS allowed).
const data = createServer((request, response) => {
  const index = Number(request.url.split('/').pop());
  const file = files[index];
  if (!file) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': statSync(file).size,
    'access-control-allow-origin': '*',
  });
  createReadStream(file).pipe(response);
});
await new Promise((resolveListen) => data.listen(0, '127.0.0.1', resolveListen));
const dataUrl = `http://127.0.0.1:${data.address().port}/`;

const server = await startStaticServer(SUB_PATH);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--js-flags=--expose-gc'],
});
const rows = [];
const short = (error) => String(error?.message ?? error).split('\n')[0].slice(0, 200);
try {
  console.log(`${'file'.padEnd(28)} ${'MB'.padStart(6)} ${'path'.padEnd(34)} ${'median ms'.padStart(10)} ${'p95 ms'.padStart(8)} ${'MB/s'.padStart(6)}`);
  for (let index = 0; index < files.length; index += 1) {
    const bytes = statSync(files[index]).size;
    const large = bytes > LARGE_BYTES;
    const context = await browser.newContext();
    const page = await context.newPage();
    let crashed = false;
    page.on('crash', () => (crashed = true));
    let result;
    let wasmModule = null;
    try {
      await page.goto(server.url);
      // The importer module (stepwise-import.js next to the page), loaded on the page as the
      // import worker loads it; else the page's own module, where older builds export it.
      wasmModule = await page.evaluate(async () => {
        const here = (file) => new URL(file, location.href).href;
        const module = await import(here('stepwise-import.js')).catch(() => null);
        if (module?.bench_import) {
          await module.default({ module_or_path: here('stepwise-import_bg.wasm') });
          window.benchImport = module.bench_import;
          return 'the importer module (stepwise-import_bg.wasm)';
        }
        return null;
      });
      if (!wasmModule) {
        await page
          .waitForFunction(() => window.wasmBindings && window.wasmBindings.bench_import, null, { timeout: 30_000 })
          .catch(() => {
            throw new Error('this build exports no bench_import, neither from stepwise-import.js nor from the page\'s module');
          });
        await page.evaluate(() => (window.benchImport = window.wasmBindings.bench_import));
        wasmModule = "the page's module";
      }
      await page.evaluate(`window.jsFloor = ${jsFloor.toString()}`);
      result = await page.evaluate(
        async ({ url, runs, warmup, budgetMs }) => {
          let buffer = await (await fetch(url)).arrayBuffer();
          const once = (which) => {
            window.gc?.();
            const start = performance.now();
            try {
              if (which === 'wasm') {
                const reply = JSON.parse(window.benchImport(new Uint8Array(buffer)));
                if (reply.error) return { error: `the import failed: ${reply.error}` };
                return { ms: performance.now() - start, inner: reply.ms, derived: reply.derived };
              }
              const derived = window.jsFloor(buffer);
              return { ms: performance.now() - start, derived };
            } catch (error) {
              // A wasm trap (`unreachable`: with panic = "abort", a panic or a failed
              // allocation) leaves the instance unusable; a RangeError is a string too long.
              const text = `${error?.name ?? 'Error'}: ${error?.message ?? error}`;
              return { error: /unreachable/.test(text) ? `the wasm trapped (${text}: a panic or, most likely at this size, a failed memory allocation)` : text };
            }
          };
          const out = { bytes: buffer.byteLength, wasm: [], wasmInner: [], js: [], wasmError: null, jsError: null, last: {}, planned: runs, cut: null };
          for (let run = warmup ? -1 : 0; run < runs; run += 1) {
            const began = performance.now();
            if (!out.wasmError) {
              const w = once('wasm');
              if (w.error) out.wasmError = w.error;
              else if (run >= 0) {
                out.wasm.push(w.ms);
                out.wasmInner.push(w.inner);
                out.last.wasm = w.derived;
              }
            }
            if (!out.jsError) {
              const j = once('js');
              if (j.error) out.jsError = j.error;
              else if (run >= 0) {
                out.js.push(j.ms);
                out.last.js = j.derived;
              }
            }
            if (out.wasmError && out.jsError) break;
            // The warm-up's pace decides how many runs fit the budget (at least 3).
            const took = performance.now() - began;
            if (run === -1 && took * runs > budgetMs) {
              const fit = Math.max(3, Math.floor(budgetMs / took));
              if (fit < runs) {
                out.cut = `${fit} runs instead of ${runs}: the warm-up (wasm and floor) took ${(took / 1000).toFixed(1)} s`;
                runs = fit;
              }
            }
          }
          buffer = null;
          return out;
        },
        { url: `${dataUrl}${index}`, runs: large ? runsLarge : runs, warmup: !large, budgetMs },
      );
    } catch (error) {
      result = { bytes, wasm: [], wasmInner: [], js: [], last: {}, wasmError: crashed ? 'the tab crashed (out of memory?)' : short(error), jsError: 'not run: the page failed first' };
    }
    await context.close().catch(() => {});
    const mb = bytes / 1e6;
    const tokensMatch =
      result.last.wasm && result.last.js ? result.last.wasm.total_tokens === result.last.js.tokens : null;
    for (const [path, samples, error] of [
      ['wasm (bytes→figures)', result.wasm, result.wasmError],
      ['wasm (inside wasm)', result.wasmInner, result.wasmError],
      ['JS floor (decode+parse+token sum)', result.js, result.jsError],
    ]) {
      const s = stats(samples);
      const row = {
        scenario: 'S1', runtime: 'chromium', path, file: files[index], bytes, warmup: !large, wasm_module: wasmModule,
        steps: result.last.wasm?.steps ?? null, ...s,
        mb_per_s: s.median_ms ? mb / (s.median_ms / 1e3) : null,
        error: error ?? null,
        cut: result.cut ?? null,
        tokens_match_floor: tokensMatch,
        tokens: path.startsWith('JS') ? result.last.js?.tokens ?? null : result.last.wasm?.total_tokens ?? null,
      };
      rows.push(row);
      const shown = s.median_ms == null ? `${''.padStart(10)} ${''.padStart(8)} ${''.padStart(6)} ${error ?? 'no runs'}` : `${s.median_ms.toFixed(1).padStart(10)} ${s.p95_ms.toFixed(1).padStart(8)} ${row.mb_per_s.toFixed(0).padStart(6)}`;
      console.log(`${basename(files[index]).padEnd(28)} ${mb.toFixed(1).padStart(6)} ${path.padEnd(34)} ${shown}`);
    }
    if (tokensMatch === false) console.log('  note: the wasm token total and the JS floor\'s sum differ', JSON.stringify(result.last));
  }
} finally {
  await browser.close();
  await server.stop();
  data.close();
}
if (jsonOut) {
  mkdirSync(dirname(jsonOut), { recursive: true });
  writeFileSync(jsonOut, JSON.stringify(rows, null, 2));
}
