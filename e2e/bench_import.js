// Benchmark S1 in Chromium: the app's own wasm (`bench_import`, exported from
// src/main.rs) imports and derives a trace, against TextDecoder + JSON.parse + the same
// aggregation in JS, in the same page and the same run. Figures only, no assertions.
//
// usage: STEPWISE_DIST=/tmp/dist-s1 node e2e/bench_import.js [--runs N] [--json OUT] FILE...
// (scripts/bench-import builds, generates the traces and runs this.)
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { chromium } from 'playwright-core';
import { startStaticServer, SUB_PATH } from './harness.js';

const args = process.argv.slice(2);
let runs = 10;
let jsonOut = null;
const files = [];
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--runs') runs = Number(args[(i += 1)]);
  else if (args[i] === '--json') jsonOut = args[(i += 1)];
  else files.push(args[i]);
}
if (!files.length || !(runs > 0)) {
  console.error('usage: node e2e/bench_import.js [--runs N] [--json OUT] FILE...');
  process.exit(2);
}

// The JS baseline: what a JS viewer does with a Stepwise trace to show its summary.
// Kinds and aliases as src/import/stepwise.rs reads them.
function jsBaseline(buffer) {
  const text = new TextDecoder().decode(buffer);
  const doc = JSON.parse(text);
  const traces = doc.trace ? [doc.trace] : doc.traces || [];
  const KINDS = new Set(['reasoning', 'llm_call', 'tool_call', 'tool_result', 'error', 'agent', 'task',
    'span', 'memory', 'knowledge', 'guardrail']);
  const ALIAS = { llm: 'llm_call', tool: 'tool_call' };
  const out = { traces: traces.length, steps: 0, tasks: 0, llm_calls: 0, total_tokens: 0, cost_usd: 0,
    errors: 0, kinds: {}, task_llm_calls: 0 };
  for (const trace of traces) {
    const steps = trace.steps || [];
    const tasks = trace.tasks || [];
    out.steps += steps.length;
    out.tasks += tasks.length;
    const perTask = new Map(tasks.map((task) => [task.id, { calls: 0, tokens: 0, cost: 0, errors: 0 }]));
    for (const step of steps) {
      let kind = ALIAS[step.kind] || step.kind || 'other';
      if (!KINDS.has(kind)) kind = 'other';
      out.kinds[kind] = (out.kinds[kind] || 0) + 1;
      const usage = step.usage || {};
      // A stated failure, or an error on a step that is not running, or an error step.
      const failed = step.status === 'failed' || step.status === 'error'
        || (step.error && !['running', 'in_progress', 'started'].includes(step.status)) || kind === 'error';
      if (failed) out.errors += 1;
      const row = step.task_id !== undefined ? perTask.get(step.task_id) : undefined;
      if (kind === 'llm_call') {
        const tokens = (usage.input_tokens || 0) + (usage.output_tokens || 0);
        out.llm_calls += 1;
        out.total_tokens += tokens;
        out.cost_usd += step.cost_usd || 0;
        if (row) { row.calls += 1; row.tokens += tokens; row.cost += step.cost_usd || 0; }
      }
      if (row && failed) row.errors += 1;
    }
    for (const row of perTask.values()) out.task_llm_calls += row.calls;
  }
  return out;
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (f) => sorted[Math.min(sorted.length, Math.max(1, Math.ceil(f * sorted.length))) - 1];
  return { runs: sorted.length, median_ms: rank(0.5), p95_ms: rank(0.95), min_ms: sorted[0] };
}

const server = await startStaticServer(SUB_PATH);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--js-flags=--expose-gc'],
});
const rows = [];
try {
  const page = await browser.newPage();
  // The traces are served to the page by Playwright, next to the app.
  await page.route('**/bench-data/**', async (route) => {
    const index = Number(new URL(route.request().url()).pathname.split('/').pop());
    await route.fulfill({ body: readFileSync(files[index]), contentType: 'application/json' });
  });
  await page.goto(server.url);
  await page.waitForFunction(() => window.wasmBindings && window.wasmBindings.bench_import, null, { timeout: 60_000 });
  await page.evaluate(`window.jsBaseline = ${jsBaseline.toString()}`);
  console.log(`${'file'.padEnd(28)} ${'MB'.padStart(6)} ${'path'.padEnd(22)} ${'median ms'.padStart(10)} ${'p95 ms'.padStart(8)} ${'MB/s'.padStart(6)}`);
  for (let index = 0; index < files.length; index += 1) {
    const result = await page.evaluate(async ({ index, runs }) => {
      const buffer = await (await fetch(`bench-data/${index}`)).arrayBuffer();
      const once = (which) => {
        window.gc?.();
        const start = performance.now();
        let inner = null;
        let derived;
        if (which === 'wasm') {
          const reply = JSON.parse(window.wasmBindings.bench_import(new Uint8Array(buffer)));
          if (reply.error) throw new Error(reply.error);
          inner = reply.ms;
          derived = reply.derived;
        } else {
          derived = window.jsBaseline(buffer);
        }
        return { ms: performance.now() - start, inner, derived };
      };
      once('wasm');
      once('js');
      const wasm = [];
      const wasmInner = [];
      const js = [];
      let last = {};
      for (let run = 0; run < runs; run += 1) {
        const w = once('wasm');
        const j = once('js');
        wasm.push(w.ms);
        wasmInner.push(w.inner);
        js.push(j.ms);
        last = { wasm: w.derived, js: j.derived };
      }
      return { bytes: buffer.byteLength, wasm, wasmInner, js, last };
    }, { index, runs });
    const mb = result.bytes / 1e6;
    const same = ['steps', 'llm_calls', 'total_tokens', 'errors', 'task_llm_calls']
      .every((key) => result.last.wasm[key] === result.last.js[key]);
    for (const [path, samples] of [
      ['wasm (bytes→figures)', result.wasm],
      ['wasm (inside wasm)', result.wasmInner],
      ['JS (decode+parse+agg)', result.js],
    ]) {
      const s = stats(samples);
      const row = {
        scenario: 'S1', runtime: 'chromium', path, file: files[index], bytes: result.bytes,
        steps: result.last.wasm.steps, ...s, mb_per_s: mb / (s.median_ms / 1e3), figures_match_js: same,
      };
      rows.push(row);
      console.log(`${basename(files[index]).padEnd(28)} ${mb.toFixed(1).padStart(6)} ${path.padEnd(22)} ${s.median_ms.toFixed(1).padStart(10)} ${s.p95_ms.toFixed(1).padStart(8)} ${row.mb_per_s.toFixed(0).padStart(6)}`);
    }
    if (!same) console.log('  note: the JS and wasm figures differ', JSON.stringify(result.last));
  }
} finally {
  await browser.close();
  await server.stop();
}
if (jsonOut) {
  mkdirSync(dirname(jsonOut), { recursive: true });
  writeFileSync(jsonOut, JSON.stringify(rows, null, 2));
}
