// Benchmark S10 in Chromium: redaction on import, at 100k steps, in the import worker. The
// page hands the worker the file as a Blob, as the app does, with and without redaction
// rules (`{ input, name, redact }`, public/import-worker.js), and times each import from
// the post to the answer; the worker also reports the time spent redacting (`redactMs`).
// Each is set against the JS floor of S1 and S2 — TextDecoder + JSON.parse + a token sum
// over the same bytes, on the page — measured in the same page, run by run. Figures only.
//
// usage: STEPWISE_DIST=dist node e2e/bench_redact.js [--runs N] [--json OUT] [FILE]
// FILE defaults to BENCH_TRACE_100K (scripts/bench sets it). A secret is planted in one
// step in a hundred (an e-mail address in an attribute, an API key in every 500th output),
// so that the redaction replaces values as well as looking; the planted copy is written
// beside the JSON output, or in the system's temporary directory.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';
import { startStaticServer, SUB_PATH } from './harness.js';

const args = process.argv.slice(2);
let runs = 5;
let jsonOut = null;
let file = process.env.BENCH_TRACE_100K ?? null;
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--runs') runs = Number(args[(i += 1)]);
  else if (args[i] === '--json') jsonOut = args[(i += 1)];
  else file = args[i];
}
if (!file || !(runs > 0)) {
  console.error('usage: node e2e/bench_redact.js [--runs N] [--json OUT] FILE');
  process.exit(2);
}

// The trace with secrets planted, in Stepwise's format.
const doc = JSON.parse(readFileSync(file, 'utf8'));
const traces = doc.trace ? [doc.trace] : doc.traces;
let planted = 0;
for (const trace of traces) {
  trace.steps.forEach((step, index) => {
    if (index % 100 === 0) {
      step.attributes = { ...(step.attributes ?? {}), 'user.email': `user${index % 997}@example.com` };
      planted += 1;
    }
    if (index % 500 === 0 && typeof step.output === 'string') {
      step.output += ` key sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv${index}wXy4z`;
      planted += 1;
    }
  });
}
const steps = traces.reduce((sum, trace) => sum + trace.steps.length, 0);
const text = JSON.stringify(doc);
const plantedFile = join(jsonOut ? dirname(jsonOut) : tmpdir(), 'redact-bench-trace.json');
mkdirSync(dirname(plantedFile), { recursive: true });
writeFileSync(plantedFile, text);
const bytes = Buffer.byteLength(text);
const RULES = JSON.stringify({ categories: ['api-key', 'email', 'phone', 'credit-card', 'ip-address'], custom: [], keep: [] });

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  if (!sorted.length) return { n: 0, median: null, p95: null };
  const rank = (f) => sorted[Math.min(sorted.length, Math.max(1, Math.ceil(f * sorted.length))) - 1];
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { n: sorted.length, median, p95: rank(0.95) };
}

const server = await startStaticServer(SUB_PATH);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--js-flags=--expose-gc'],
});
let result;
try {
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.evaluate(`window.benchText = ${JSON.stringify(text)}`);
  result = await page.evaluate(
    async ({ runs, rules }) => {
      const blob = new Blob([window.benchText], { type: 'application/json' });
      window.benchText = null;
      const workerUrl = new URL('import-worker.js', location.href).href;
      // One import in a worker warmed up first (its module loaded, as the app's prewarm
      // does), from the post to the answer.
      const importOnce = async (redact) => {
        const worker = new Worker(workerUrl, { type: 'module' });
        worker.postMessage({});
        await new Promise((resolveWait) => setTimeout(resolveWait, 1500));
        const started = performance.now();
        const phases = [];
        const answer = await new Promise((resolveAnswer) => {
          worker.onmessage = (event) => {
            const data = event.data;
            if (data.phase) phases.push(data.done);
            else if (data.ok !== undefined) resolveAnswer(data);
          };
          worker.onerror = (event) => resolveAnswer({ ok: false, error: event.message });
          const message = { input: blob, name: 'bench.json' };
          if (redact) message.redact = redact;
          worker.postMessage(message);
        });
        const ms = performance.now() - started;
        worker.terminate();
        if (!answer.ok) return { error: answer.error };
        const reports = answer.redaction ? JSON.parse(answer.redaction) : null;
        return {
          ms,
          redactMs: answer.redactMs ?? null,
          outBytes: answer.out.byteLength,
          phases: phases.length,
          redacted: reports ? reports.reduce((sum, report) => sum + report.redacted_occurrences, 0) : null,
          hits: reports ? reports.reduce((sum, report) => sum + report.hits.length + report.unlisted_hits, 0) : null,
        };
      };
      const floorOnce = async () => {
        window.gc?.();
        const started = performance.now();
        const doc = JSON.parse(new TextDecoder().decode(await blob.arrayBuffer()));
        let tokens = 0;
        for (const trace of doc.trace ? [doc.trace] : doc.traces) {
          for (const step of trace.steps) {
            if (step.usage) tokens += (step.usage.input_tokens || 0) + (step.usage.output_tokens || 0);
          }
        }
        return { ms: performance.now() - started, tokens };
      };
      const out = { plain: [], redacted: [], redactMs: [], floor: [], last: null, error: null };
      for (let run = -1; run < runs; run += 1) {
        const plain = await importOnce(null);
        const redacted = await importOnce(rules);
        const floor = await floorOnce();
        if (plain.error || redacted.error) {
          out.error = plain.error ?? redacted.error;
          break;
        }
        if (run < 0) continue;
        out.plain.push(plain.ms);
        out.redacted.push(redacted.ms);
        out.redactMs.push(redacted.redactMs);
        out.floor.push(floor.ms);
        out.last = redacted;
      }
      return out;
    },
    { runs, rules: RULES },
  );
} finally {
  await browser.close();
  await server.stop();
}

if (result.error) {
  console.error(`the import failed: ${result.error}`);
  process.exit(1);
}
const floor = stats(result.floor);
const label = `${steps.toLocaleString('en')} steps, ${(bytes / 1e6).toFixed(1)} MB, ${planted} secrets planted`;
const ratio = (s) => (s.median != null && floor.median ? s.median / floor.median : null);
const rows = [
  ['import in the worker, no redaction (post → answer)', result.plain],
  ['redaction, 100k steps, in the worker: import + redaction (post → answer)', result.redacted],
  ['redaction alone, inside the worker (redactMs)', result.redactMs],
  ['JS floor: TextDecoder + JSON.parse + token sum', result.floor],
].map(([metric, samples]) => {
  const s = stats(samples);
  return { case: label, metric, unit: 'ms', ...s, goal_value: null, met: null, ratio_to_floor: ratio(s) };
});
rows[1].note = `${result.last.redacted} values replaced, ${result.last.hits} distinct, ${result.last.phases} progress messages`;
for (const row of rows) {
  const r = row.ratio_to_floor == null ? '' : `${row.ratio_to_floor.toFixed(2)}× floor`;
  console.log(`${row.metric.padEnd(76)} median ${row.median.toFixed(0).padStart(6)} ms  p95 ${row.p95.toFixed(0).padStart(6)} ms  ${r}`);
}
console.log(rows[1].note);
if (jsonOut) {
  mkdirSync(dirname(jsonOut), { recursive: true });
  writeFileSync(
    jsonOut,
    JSON.stringify(
      {
        scenario: 'S10',
        title: 'redaction on import, in the worker, at 100k steps',
        method: `A warmed import worker is handed the 100k trace (with ${planted} secrets planted) as a Blob with and without redaction rules; post → answer is timed on the page, the worker reports its redacting time; each run is followed by the JS floor (TextDecoder + JSON.parse + token sum) in the same page. ${runs} runs after a warm-up.`,
        rows,
      },
      null,
      2,
    ),
  );
}
