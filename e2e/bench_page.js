// Benchmarks S2, S4, S5, S6, S8 (issues 6 and 16) and S9 (issue 18) in headless Chromium on the release
// build: opening a file (10k, 100k, 1M steps, in Stepwise's format and in OTLP/JSON) against
// the JS floor, interacting at 100k, bundle size and cold start, the longest main-thread task
// while opening, the peak memory while opening, and switching to the agent graph and the
// reader view at 100k steps (S9). Not a test (no assertions on time):
// scripts/bench runs it and turns target/bench/s{2,4,5,6,8}.json into BENCHMARKS.md.
//
//   STEPWISE_DIST=target/bench/dist node e2e/bench_page.js [--only S2,S4,S5,S6,S8,S9]
//       [--traces target/bench] [--out target/bench] [--runs 10] [--runs-1m 1]
//       [--formats stepwise,otlp] [--sizes 10000,100000,1000000] [--timeout-1m 60]
//
// Traces: steps-N.json (Stepwise's format) and steps-N-otlp.json (OTLP/JSON) in --traces.
// Figures are taken in the page with performance.now(): noisy machines shift everything, so
// every figure is a median and a p95 (nearest rank) over the runs after one warm-up run.
// S8 reads /proc, so it needs Linux.
import { readFileSync, readdirSync, readlinkSync, existsSync, mkdirSync, writeFileSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, DIST, SUB_PATH, startStaticServer, launchBrowser } from './harness.js';

const { values: options } = parseArgs({
  options: {
    only: { type: 'string', default: 'S2,S4,S5,S6,S8,S9' },
    traces: { type: 'string', default: join(ROOT, 'target', 'bench') },
    out: { type: 'string', default: join(ROOT, 'target', 'bench') },
    runs: { type: 'string', default: '10' },
    'runs-1m': { type: 'string', default: '1' },
    formats: { type: 'string', default: 'stepwise,otlp' },
    'timeout-1m': { type: 'string', default: '60' },
    sizes: { type: 'string', default: '10000,100000,1000000' },
  },
});
const ONLY = new Set(options.only.split(',').map((s) => s.trim().toUpperCase()));
const RUNS = Math.max(1, Number(options.runs));
const RUNS_1M = Math.max(1, Number(options['runs-1m']));
const TIMEOUT_1M = Math.max(10, Number(options['timeout-1m'])) * 1000;
const SIZE_LIST = options.sizes.split(',').map(Number);
const FORMAT_LIST = options.formats.split(',').map((s) => s.trim()).filter(Boolean);
const OUT = resolve(options.out);
/** steps-N.json, or steps-N-otlp.json for OTLP/JSON. */
const traceFile = (steps, format = 'stepwise') =>
  join(resolve(options.traces), `steps-${steps}${format === 'stepwise' ? '' : `-${format}`}.json`);

/** Median, p95 (nearest rank: with 10 runs it is the slowest), min and max of `values`. */
export function stats(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return { n: 0, median: null, p95: null, min: null, max: null };
  const rank = (p) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  const round = (v) => Math.round(v * 10) / 10;
  return { n: sorted.length, median: round(median), p95: round(rank(0.95)), min: round(sorted[0]), max: round(sorted.at(-1)) };
}

const log = (...parts) => console.error('[bench_page]', ...parts);
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
const short = (steps) => (steps >= 1e6 ? `${steps / 1e6}M` : `${steps / 1e3}k`);

function writeResult(name, result) {
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, `${name}.json`);
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), ...result }, null, 2));
  log(`wrote ${file}`);
}

/** A row of a result: a figure over runs, its goal, and whether it was met. */
function row(fields, values, goalMs) {
  const s = stats(values);
  const met = goalMs == null || s.p95 == null ? null : s.median <= goalMs && s.p95 <= goalMs;
  return { unit: 'ms', ...s, goal_value: goalMs ?? null, met, ...fields };
}

let server;
let browser;

/** A fresh context (no cache, no storage) and page at 1280×800, with crashes recorded. */
async function freshPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.crashed = false;
  page.on('crash', () => (page.crashed = true));
  page.on('pageerror', (error) => log(`page error: ${error.message}`));
  return { context, page };
}

// ---- S2, S6 and S8: file handed to the page → summary, table and timeline painted ----

/** Installs, before the file is handed over, the clock start (the input's change event). */
async function instrument(page) {
  await page.evaluate(() => {
    const bench = (window.__bench = { longtasks: [], t0: null });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) bench.longtasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
    addEventListener(
      'change',
      (event) => {
        if (event.target?.matches?.('[data-testid=open-file]') && bench.t0 == null) bench.t0 = performance.now();
      },
      true,
    );
  });
}

/**
 * Waits in the page until the steps figure reads `expected` (any count above 0 when
 * `expected` is null), the timeline canvas, a step row and a tasks-table row exist, then two
 * animation frames; returns the phases, in ms from the change event. `summary_ms` is the
 * same for the summary figures alone: two animation frames after a steps figure first reads
 * the count — the trace page's summary card, or the preview the import worker sends ahead of
 * the trace in builds that have one (its first figure is the steps; `summary_source` says
 * which came first). The summary cards are rendered together, before the step list,
 * timeline and tables.
 */
function waitPainted(page, expected, timeoutMs) {
  return page.evaluate(
    ({ expected, timeoutMs }) =>
      new Promise((resolvePainted) => {
        const began = performance.now();
        let summaryPainted = null;
        let summarySeen = false;
        let shownSteps = null;
        let summarySource = null;
        const check = () => {
          const bench = window.__bench;
          const figure = document.querySelector('[data-testid=steps] .figure-value');
          const reads = (element) => {
            const digits = element ? element.textContent.replace(/[^0-9]/g, '') : '';
            return expected == null ? Number(digits) > 0 : digits === String(expected);
          };
          const summaryShown = reads(figure);
          const preview = document.querySelector('[data-testid=preview] [data-testid=preview-figure]');
          if (!summarySeen && (summaryShown || reads(preview))) {
            summarySeen = true;
            summarySource = summaryShown ? 'the summary cards' : 'the import preview';
            shownSteps = Number((summaryShown ? figure : preview).textContent.replace(/[^0-9]/g, ''));
            requestAnimationFrame(() => requestAnimationFrame(() => (summaryPainted = performance.now())));
          }
          const ready =
            summaryShown &&
            document.querySelector('canvas[data-testid=timeline]') &&
            document.querySelector('[data-testid=step-list] li') &&
            document.querySelector('[data-testid=tasks-table] tbody tr');
          if (ready) {
            requestAnimationFrame(() =>
              requestAnimationFrame(() => {
                const painted = performance.now();
                const at = (name) => performance.getEntriesByName(name, 'mark').at(-1)?.startTime ?? null;
                // Long tasks are reported a little after they end.
                setTimeout(() => {
                  const during = bench.longtasks.filter((t) => t.start + t.duration > bench.t0 && t.start < painted);
                  // The phase the longest task began in: the last of the app's marks before it.
                  const longest = during.reduce((max, t) => (max == null || t.duration > max.duration ? t : max), null);
                  const phases = [
                    ['stepwise:read-start', 'reading the file (where the import worker reads it itself: the worker reading and importing it)'],
                    ['stepwise:read-done', 'handing the bytes to the import worker'],
                    ['stepwise:preview', "showing the import worker's preview"],
                    ['stepwise:worker-answered', "copying and decoding the worker's answer"],
                    ['stepwise:decoded', 'cost estimates and the first render (header, summary)'],
                    ['stepwise:stage-steps', 'rendering the step list'],
                    ['stepwise:stage-timeline', 'laying out and drawing the timeline'],
                    ['stepwise:stage-tables', 'rendering the tasks table, then the insights rules'],
                  ];
                  let longest_phase = null;
                  for (const [mark, label] of phases) {
                    const t = at(mark);
                    if (longest && t != null && t <= longest.start + 1) longest_phase = label;
                  }
                  resolvePainted({
                    ok: true,
                    t0: bench.t0,
                    total_ms: painted - bench.t0,
                    summary_ms: summaryPainted == null ? null : summaryPainted - bench.t0,
                    summary_source: summarySource,
                    shown_steps: shownSteps,
                    // Builds whose import worker reads the file itself mark no read-done:
                    // the import phase then counts from the change event, the read included.
                    read_ms: at('stepwise:read-done') == null ? null : at('stepwise:read-done') - bench.t0,
                    import_ms:
                      at('stepwise:imported') == null
                        ? null
                        : at('stepwise:imported') - (at('stepwise:read-done') ?? bench.t0),
                    draw_ms: at('stepwise:imported') == null ? null : painted - at('stepwise:imported'),
                    longest_task_ms: during.reduce((max, t) => Math.max(max, t.duration), 0),
                    longest_phase,
                    long_tasks: during.length,
                    blocking_ms: during.reduce((sum, t) => sum + Math.max(0, t.duration - 50), 0),
                    dom_elements: document.getElementsByTagName('*').length,
                  });
                }, 120);
              }),
            );
            return;
          }
          const problem =
            document.querySelector('[data-testid=load-error-message]')?.textContent ||
            document.querySelector('[data-testid=open-report]')?.textContent;
          if (problem && /could not|not |error|failed|cancel/i.test(problem)) {
            resolvePainted({ ok: false, reason: `the page said: ${problem.trim().slice(0, 300)}` });
          } else if (performance.now() - began > timeoutMs) {
            resolvePainted({ ok: false, reason: `not painted within ${timeoutMs / 1000} s, the suite's limit (steps figure: ${figure?.textContent ?? 'absent'})` });
          } else {
            setTimeout(check, 4);
          }
        };
        check();
      }),
    { expected, timeoutMs },
  );
}

// ---- S8: memory of Chromium's processes, from /proc ----

const PAGE_BYTES = (() => {
  try {
    return Number(execFileSync('getconf', ['PAGESIZE']).toString().trim()) || 4096;
  } catch {
    return 4096;
  }
})();

/** Chromium's processes: every descendant of this node process whose executable is Chromium. */
function chromiumProcesses() {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(name));
    } catch {
      // The process ended meanwhile.
    }
  }
  const found = [];
  const walk = (pid) => {
    for (const child of children.get(pid) ?? []) {
      try {
        if (readlinkSync(`/proc/${child}/exe`).includes('chromium')) {
          const type = /--type=(\S+)/.exec(readFileSync(`/proc/${child}/cmdline`, 'utf8').replace(/\0/g, ' '))?.[1] ?? 'browser';
          found.push({ pid: child, type });
        }
      } catch {
        // Ended meanwhile.
      }
      walk(child);
    }
  };
  walk(process.pid);
  return found;
}

/** Resident bytes of `processes` now: in all, and of the renderers alone. */
function residentNow(processes) {
  let total = 0;
  let renderer = 0;
  for (const { pid, type } of processes) {
    try {
      const bytes = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_BYTES;
      total += bytes;
      if (type === 'renderer') renderer += bytes;
    } catch {
      // Ended meanwhile: it holds nothing now.
    }
  }
  return { total, renderer };
}

/** VmHWM (the kernel's peak resident set) of each renderer, in bytes. */
function rendererPeaks(processes) {
  const peaks = {};
  for (const { pid, type } of processes) {
    if (type !== 'renderer') continue;
    try {
      const kb = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      if (kb) peaks[pid] = Number(kb) * 1024;
    } catch {
      // Ended meanwhile.
    }
  }
  return peaks;
}

/**
 * Starts sampling the resident memory of all of Chromium's processes (browser, GPU,
 * utilities, renderers: a page's dedicated workers, and their wasm memory, live in its
 * renderer) every `intervalMs`; the process list is read again every second. `stop()` gives
 * the baseline (at the start), the peak and the end, in bytes.
 */
function sampleMemory(intervalMs = 20) {
  let processes = chromiumProcesses();
  let scanned = Date.now();
  const baseline = residentNow(processes);
  const baselineRenderers = Object.fromEntries(processes.filter((p) => p.type === 'renderer').map((p) => [p.pid, residentNow([p]).total]));
  const peak = { ...baseline };
  let samples = 1;
  const sample = () => {
    if (Date.now() - scanned > 1000) {
      processes = chromiumProcesses();
      scanned = Date.now();
    }
    const now = residentNow(processes);
    samples += 1;
    peak.total = Math.max(peak.total, now.total);
    peak.renderer = Math.max(peak.renderer, now.renderer);
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const end = residentNow(processes);
      // The kernel's own peak of the renderers that were there at the start, over their
      // resident size then: it misses nothing between samples.
      const hwm = rendererPeaks(processes);
      const hwmOver = Math.max(0, ...Object.entries(baselineRenderers).map(([pid, bytes]) => (hwm[pid] ?? bytes) - bytes));
      return {
        baseline_bytes: baseline.total,
        peak_over_baseline_bytes: peak.total - baseline.total,
        renderer_peak_over_baseline_bytes: peak.renderer - baseline.renderer,
        renderer_hwm_over_baseline_bytes: hwmOver,
        end_over_baseline_bytes: end.total - baseline.total,
        samples,
        processes: processes.length,
      };
    },
  };
}

/** How long a freshly loaded page is left to settle before a file is handed to it. */
const SETTLE_MS = 1500;

/**
 * Opens `file` through the Open file input of a fresh page; returns the phases or a failure.
 * With `memory`, the resident memory of Chromium's processes is sampled from just before the
 * file is handed over until the page is painted (result.memory).
 */
async function openOnce(file, expected, timeoutMs, keep = false, memory = false) {
  const { context, page } = await freshPage();
  let sampler = null;
  try {
    await page.goto(server.url);
    const input = page.locator('[data-testid=open-file]').first();
    await input.waitFor({ state: 'attached', timeout: 20_000 });
    // A person takes longer than this to pick a file; the page uses the time to start its
    // import worker (src/io/worker.rs, `prewarm`), which the figure should not charge.
    await page.waitForTimeout(SETTLE_MS);
    await instrument(page);
    const painted = waitPainted(page, expected, timeoutMs).catch((error) => ({
      ok: false,
      reason: page.crashed ? 'the tab crashed (out of memory?)' : `the page went away: ${error.message.split('\n')[0]}`,
    }));
    // A wasm trap (`unreachable`: with panic = "abort" a panic or a failed allocation) ends
    // the app at once; waiting for the timeout would only waste minutes.
    const trapped = new Promise((resolveTrap) =>
      page.on('pageerror', (error) =>
        resolveTrap({
          ok: false,
          reason: /unreachable/.test(error.message)
            ? 'the wasm trapped (`unreachable`: a panic or, at this size, most likely a failed memory allocation)'
            : `the app threw: ${error.message.split('\n')[0]}`,
        }),
      ),
    );
    if (memory) sampler = sampleMemory();
    await input.setInputFiles(file);
    // The page's own limit cannot fire while its main thread is busy: this one can.
    let lateTimer;
    const late = new Promise((resolveLate) => {
      lateTimer = setTimeout(
        () => resolveLate({ ok: false, reason: `not painted within ${timeoutMs / 1000} s, the suite's limit (the page's main thread did not answer)` }),
        timeoutMs + 5000,
      );
    });
    const result = await Promise.race([painted, trapped, late]);
    clearTimeout(lateTimer);
    if (sampler) result.memory = sampler.stop();
    if (keep && result.ok) return { result, context, page };
    await context.close();
    return { result };
  } catch (error) {
    if (sampler) sampler.stop();
    await context.close().catch(() => {});
    return { result: { ok: false, reason: page.crashed ? 'the tab crashed (out of memory?)' : error.message.split('\n')[0] } };
  }
}

/**
 * The JS floor of S2: a blank page with a file input; from its change event, File.arrayBuffer,
 * TextDecoder, JSON.parse of all of it and a token sum (as e2e/bench_import.js: Stepwise
 * format, usage.input_tokens + output_tokens of every step; OTLP/JSON, the
 * gen_ai.usage.input_tokens/output_tokens attributes of every span). Nothing is drawn.
 */
async function floorOnce(file, timeoutMs, memory = false) {
  const { context, page } = await freshPage();
  let sampler = null;
  try {
    await page.setContent('<input type="file" id="floor">');
    await page.evaluate(() => {
      window.__floor = new Promise((resolveFloor) => {
        document.getElementById('floor').addEventListener('change', async (event) => {
          const t0 = performance.now();
          try {
            const buffer = await event.target.files[0].arrayBuffer();
            const text = new TextDecoder().decode(buffer);
            let doc;
            try {
              doc = JSON.parse(text);
            } catch (error) {
              // V8 caps a string's length (about 2^29 characters): TextDecoder then gives less than the file.
              throw new Error(`${error.name}: ${error.message} (TextDecoder gave ${text.length.toLocaleString('en')} characters of ${buffer.byteLength.toLocaleString('en')} bytes)`);
            }
            let tokens = 0;
            if (Array.isArray(doc.resourceSpans)) {
              for (const resource of doc.resourceSpans)
                for (const scope of resource.scopeSpans || [])
                  for (const span of scope.spans || [])
                    for (const attribute of span.attributes || [])
                      if (attribute.key === 'gen_ai.usage.input_tokens' || attribute.key === 'gen_ai.usage.output_tokens')
                        tokens += Number(attribute.value?.intValue ?? attribute.value?.doubleValue ?? 0);
            } else {
              for (const trace of doc.trace ? [doc.trace] : doc.traces || [])
                for (const step of trace.steps || []) if (step.usage) tokens += (step.usage.input_tokens || 0) + (step.usage.output_tokens || 0);
            }
            resolveFloor({ ok: true, total_ms: performance.now() - t0, tokens });
          } catch (error) {
            resolveFloor({ ok: false, reason: `${error?.name ?? 'Error'}: ${error?.message ?? error}` });
          }
        });
      });
    });
    if (memory) sampler = sampleMemory();
    await page.locator('#floor').setInputFiles(file);
    let lateTimer;
    const result = await Promise.race([
      page.evaluate(() => window.__floor),
      new Promise((resolveLate) => {
        lateTimer = setTimeout(() => resolveLate({ ok: false, reason: `not done within ${timeoutMs / 1000} s` }), timeoutMs);
      }),
    ]);
    clearTimeout(lateTimer);
    if (sampler) result.memory = sampler.stop();
    await context.close();
    return result;
  } catch (error) {
    if (sampler) sampler.stop();
    await context.close().catch(() => {});
    return { ok: false, reason: page.crashed ? 'the tab crashed (out of memory?)' : error.message.split('\n')[0] };
  }
}

const S2_GOALS = { 10000: 150, 100000: 800, 1000000: 8000 };
const FORMATS = { stepwise: 'Stepwise format', otlp: 'OTLP/JSON' };

/** What the steps figure must read once the file has opened: N for our format; for OTLP the
 * count `stepwise summary` gives, from the `.steps` file next to the trace (scripts/bench
 * writes it), or else any count above 0. */
function expectedSteps(steps, format) {
  if (format === 'stepwise') return steps;
  const side = traceFile(steps, format).replace(/\.json$/, '.steps');
  const count = existsSync(side) ? Number(readFileSync(side, 'utf8').trim()) : NaN;
  return Number.isFinite(count) && count > 0 ? count : null;
}

/**
 * Opens one case `runs` times (after a warm-up when `warmup`), each app open followed by a
 * JS-floor open of the same file; runs beyond the first are cut so that the case takes about
 * `budgetMs` at most. The memory of Chromium's processes is sampled during every open (S8).
 */
async function benchOpen({ steps, format }, runs, warmup, timeoutMs, budgetMs) {
  const file = traceFile(steps, format);
  const label = `${short(steps)} steps, ${FORMATS[format]}`;
  if (!existsSync(file)) return { steps, format, label, skipped: `${file} is missing (scripts/bench generates it)` };
  const bytes = statSync(file).size;
  const expected = expectedSteps(steps, format);
  log(`S2 ${label} (${mb(bytes)}): ${warmup ? '1 warm-up + ' : ''}${runs} runs, each followed by the JS floor`);
  const results = [];
  const floors = [];
  let note = '';
  let floorDead = null;
  for (let i = 0; i < runs + (warmup ? 1 : 0); i++) {
    const began = Date.now();
    const { result } = await openOnce(file, expected, timeoutMs, false, true);
    // The floor cannot get past a string too long for V8: trying it again only costs time.
    const floor = floorDead ?? (await floorOnce(file, timeoutMs, true));
    if (!floor.ok && /Invalid string length|too long|Array buffer allocation failed|TextDecoder gave/i.test(floor.reason)) floorDead = floor;
    const shown = (r) => (r.ok ? `${r.total_ms.toFixed(0)} ms` : r.reason);
    log(`  run ${i}${warmup && i === 0 ? ' (warm-up)' : ''}: app ${shown(result)}${result.ok && result.summary_ms != null ? ` (summary ${result.summary_ms.toFixed(0)} ms)` : ''}; JS floor ${shown(floor)}`);
    if (!(warmup && i === 0)) {
      results.push(result);
      floors.push(floor);
    }
    if (!result.ok) break;
    const took = Date.now() - began;
    if (i === 0 && took * runs > budgetMs) {
      const cut = Math.max(3, Math.floor(budgetMs / took));
      if (cut < runs) {
        note = `${cut} runs instead of ${runs}: one open and its floor took ${(took / 1000).toFixed(1)} s`;
        log(`  ${note}`);
        runs = cut;
      }
    }
  }
  return { steps, format, label, bytes, expected, results, floors, note };
}

const ratioText = (ratio) => `${ratio.toFixed(2)}× the JS floor`;

/** S2's rows for one case: summary painted, all painted, the JS floor. */
function openRows(bench) {
  const label = `${bench.label} (${mb(bench.bytes ?? 0)})`;
  const summaryGoal = bench.steps === 100000 ? 1.2 : null;
  const summaryGoalText = summaryGoal ? '≤ 1.2× the JS floor (medians)' : null;
  if (bench.skipped) {
    return [
      { case: label, metric: 'file → summary painted', skipped: bench.skipped, met: null, goal: summaryGoalText },
      { case: label, metric: 'file → summary, table and timeline painted', skipped: bench.skipped, met: null, unit: 'ms', goal_value: S2_GOALS[bench.steps] },
    ];
  }
  const ok = bench.results.filter((r) => r.ok);
  const failed = bench.results.find((r) => !r.ok);
  const floorsOk = bench.floors.filter((r) => r.ok);
  const floorFailed = bench.floors.find((r) => !r.ok);
  const floor = stats(floorsOk.map((r) => r.total_ms));
  const pick = (key) => stats(ok.map((r) => r[key]).filter((v) => v != null));
  const phases = { read_ms: pick('read_ms'), import_ms: pick('import_ms'), draw_ms: pick('draw_ms') };
  const floorNote = floor.median == null ? `no JS floor: ${floorFailed?.reason ?? 'no run'}` : null;
  const warm = bench.steps >= 1e6 ? 'no warm-up at this size' : null;
  const floorRow = floorsOk.length
    ? row({ case: label, metric: 'JS floor: File → TextDecoder + JSON.parse + token sum' }, floorsOk.map((r) => r.total_ms), null)
    : { case: label, metric: 'JS floor: File → TextDecoder + JSON.parse + token sum', met: null, result: 'could not run', skipped: `the JS floor could not run in Chromium: ${floorFailed?.reason ?? 'no run'}` };
  if (floorsOk.length) floorRow.note = [`${floorsOk[0].tokens.toLocaleString('en')} tokens`, warm].filter(Boolean).join('; ');
  if (!ok.length) {
    const why = `did not open: ${failed?.reason ?? 'no run'}`;
    return [
      { case: label, metric: 'file → summary painted', skipped: why, result: 'did not open', met: summaryGoal ? false : null, goal: summaryGoalText },
      { case: label, metric: 'file → summary, table and timeline painted', skipped: why, result: 'did not open', met: false, unit: 'ms', goal_value: S2_GOALS[bench.steps] },
      floorRow,
    ];
  }

  // File → summary painted.
  const summary = row({ case: label, metric: 'file → summary painted' }, ok.map((r) => r.summary_ms).filter((v) => v != null), null);
  summary.goal = summaryGoalText;
  const summaryRatio = summary.median != null && floor.median ? summary.median / floor.median : null;
  summary.ratio_to_floor = summaryRatio;
  summary.met = summaryGoal == null || summaryRatio == null ? (summaryGoal && failed ? false : null) : summaryRatio <= summaryGoal;
  const sources = ok.map((r) => r.summary_source).filter(Boolean);
  summary.note = [
    summaryRatio != null ? null : floorNote,
    sources.length ? `first shown by ${tally(sources)}` : null,
    warm,
  ]
    .filter(Boolean)
    .join('; ');
  if (failed) summary.why = `did not open: ${failed.reason}`;
  else if (summary.met === false) {
    summary.why = `${ratioText(summaryRatio)} (${Math.round(summary.median)} ms vs ${Math.round(floor.median)} ms): ${whyOpen(summary, phases, null, true)}`;
  }

  // File → summary, table and timeline painted.
  const full = row({ case: label, metric: 'file → summary, table and timeline painted', phases }, ok.map((r) => r.total_ms), S2_GOALS[bench.steps]);
  if (failed) {
    full.met = false;
    full.failed = failed.reason;
  }
  const fullRatio = full.median != null && floor.median ? full.median / floor.median : null;
  full.ratio_to_floor = fullRatio;
  full.note = [fullRatio != null ? null : floorNote, bench.note, warm].filter(Boolean).join('; ');
  full.why = whyOpen(full, phases, failed);
  if (bench.expected == null && ok.length) full.detail = `steps figure read ${ok[0].shown_steps} (no count to check it against)`;

  return [summary, full, floorRow];
}

/** "a (7 runs), b (3 runs)": how often each label occurs, most frequent first. */
function tally(labels) {
  const counts = new Map();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([label, n]) => `${label} (${n} run${n === 1 ? '' : 's'})`)
    .join(', ');
}

/** Where the time went, from the app's marks (median of each phase). */
function whyOpen(result, phases, failed, summaryOnly = false) {
  if (failed) return `did not open: ${failed.reason}`;
  if (result.met !== false) return '';
  const readSeparately = phases.read_ms.median != null;
  const parts = [
    ['reading the file into wasm memory (main thread, yielding every 4 MB)', phases.read_ms.median],
    [
      readSeparately
        ? 'import (in the import worker from 1 MB, its answer decoded on the page in slices) and cost estimates'
        : 'reading and importing the file in the import worker, then decoding its answer on the page',
      phases.import_ms.median,
    ],
    [summaryOnly ? 'then the first render (summary) and paint' : 'staged first render of the page (summary, steps, timeline, tasks table) and paint', summaryOnly ? null : phases.draw_ms.median],
  ].filter(([, ms]) => ms != null);
  if (parts.length === 0) return 'the build sets no stepwise:* performance marks, so the time cannot be split into phases';
  return parts.map(([what, ms]) => `${what} ${Math.round(ms)} ms`).join('; ') + ' (medians)';
}

/** S6's row for one case: the longest main-thread task while opening. */
function longTaskRow(bench) {
  const label = `${bench.label} (${mb(bench.bytes ?? 0)})`;
  const ok = bench.results?.filter((r) => r.ok) ?? [];
  const result = row({ case: label, metric: 'longest main-thread task while opening' }, ok.map((r) => r.longest_task_ms), 50);
  if (bench.skipped) return { ...result, skipped: bench.skipped, met: null };
  const failed = bench.results.find((r) => !r.ok);
  if (!ok.length) return { ...result, skipped: `did not open: ${failed?.reason ?? 'no run'}`, result: 'did not open', met: false };
  result.detail = `long tasks (≥ 50 ms) per open: ${stats(ok.map((r) => r.long_tasks)).median} (median); total blocking time ${stats(ok.map((r) => r.blocking_ms)).median} ms (median)`;
  const notes = [bench.note, bench.steps >= 1e6 ? 'no warm-up at this size' : null, failed ? `a run did not open: ${failed.reason}` : null];
  result.note = notes.filter(Boolean).join('; ');
  if (result.met === false) {
    const import_ms = stats(ok.map((r) => r.import_ms).filter((v) => v != null)).median;
    result.why =
      import_ms == null
        ? 'work on the main thread in tasks of that length (no stepwise:* marks in this build to say which phase)'
        : `the import runs in a worker and the render in stages, but single tasks still reach ${Math.round(result.max)} ms; the longest task of each run began in: ${tally(ok.map((r) => r.longest_phase ?? 'no task of 50 ms or more'))}`;
  }
  return result;
}

const MB = (bytes) => Math.round(bytes / 1e5) / 10;

/** S8's rows: peak memory while opening at 100k (both formats), and the largest file that opened. */
function memoryRows(opened) {
  const rows = [];
  for (const bench of opened.filter((b) => b.steps === 100000)) {
    const label = `${bench.label} (${mb(bench.bytes ?? 0)})`;
    const metric = 'peak memory while opening, over the page before';
    if (bench.skipped) {
      rows.push({ case: label, metric, skipped: bench.skipped, met: null, goal: '≤ 3× the file' });
      continue;
    }
    const measured = bench.results.filter((r) => r.ok && r.memory);
    if (!measured.length) {
      rows.push({ case: label, metric, skipped: `did not open: ${bench.results.find((r) => !r.ok)?.reason ?? 'no run'}`, met: false, goal: '≤ 3× the file' });
      continue;
    }
    const peak = stats(measured.map((r) => r.memory.peak_over_baseline_bytes / 1e6));
    const ratio = peak.median / (bench.bytes / 1e6);
    const ratioP95 = peak.p95 / (bench.bytes / 1e6);
    const hwm = stats(measured.map((r) => r.memory.renderer_hwm_over_baseline_bytes / 1e6));
    const renderer = stats(measured.map((r) => r.memory.renderer_peak_over_baseline_bytes / 1e6));
    const end = stats(measured.map((r) => r.memory.end_over_baseline_bytes / 1e6));
    const floorMem = stats(bench.floors.filter((r) => r.ok && r.memory).map((r) => r.memory.peak_over_baseline_bytes / 1e6));
    const met = ratio <= 3 && ratioP95 <= 3;
    rows.push({
      case: label,
      metric,
      unit: 'MB',
      n: peak.n,
      median: peak.median,
      p95: peak.p95,
      goal: '≤ 3× the file',
      met,
      ratio_to_file: ratio,
      why: met
        ? ''
        : `${ratio.toFixed(1)}× the file (median; p95 ${ratioP95.toFixed(1)}×); the page's renderer process alone (the page and its import worker, their JS heaps and wasm memories) rose ${renderer.median} MB at its peak (all of Chromium's processes together: ${peak.median} MB); the import worker's wasm, the page's copy of its answer and the page's own data cannot be told apart from outside the process`,
      note: [
        `${ratio.toFixed(1)}× the file`,
        `the renderer's kernel high-water mark (VmHWM) ${hwm.median} MB over its size before, as a check on the 20 ms sampling`,
        `${end.median} MB still held once painted`,
        floorMem.median != null ? `the JS floor's peak ${floorMem.median} MB = ${(floorMem.median / (bench.bytes / 1e6)).toFixed(1)}× the file` : null,
      ]
        .filter(Boolean)
        .join('; '),
    });
  }
  for (const format of Object.keys(FORMATS)) {
    const tried = opened.filter((b) => b.format === format && !b.skipped).sort((a, b) => a.bytes - b.bytes);
    if (!tried.length) continue;
    const opens = tried.filter((b) => b.results.some((r) => r.ok));
    const largest = opens.at(-1);
    const failedBigger = tried.filter((b) => b.bytes > (largest?.bytes ?? 0));
    const biggest = tried.at(-1);
    const label = `${FORMATS[format]}, of the files tried (largest ${short(biggest.steps)} steps, ${mb(biggest.bytes)})`;
    if (!largest) {
      rows.push({ case: label, metric: 'the largest file that opens', skipped: `none opened: ${tried[0].results.find((r) => !r.ok)?.reason}`, result: 'none opened', met: false });
      continue;
    }
    const run = largest.results.find((r) => r.ok);
    const memoryText = run.memory
      ? `peak memory ${MB(run.memory.peak_over_baseline_bytes)} MB over the page before = ${(run.memory.peak_over_baseline_bytes / largest.bytes).toFixed(1)}× the file`
      : null;
    rows.push({
      case: label,
      metric: 'the largest file that opens',
      unit: 'MB',
      n: largest.results.filter((r) => r.ok).length,
      median: MB(largest.bytes),
      p95: MB(largest.bytes),
      goal: '(context: the largest S2 case that painted)',
      met: null,
      note: [
        `${short(largest.steps)} steps opened in ${(run.total_ms / 1000).toFixed(1)} s`,
        memoryText,
        ...failedBigger.map((b) => `${short(b.steps)} steps (${mb(b.bytes)}) did not open: ${b.results.find((r) => !r.ok)?.reason}`),
        failedBigger.length ? null : 'nothing larger was tried',
      ]
        .filter(Boolean)
        .join('; '),
    });
  }
  return rows;
}

// ---- S4: click, sort, filter at 100k steps ----

/** In the page: runs `act`, then waits until `done()` and the next paint; returns ms. */
const INTERACT = `
  window.__afterPaint = () => new Promise((r) => requestAnimationFrame(() => { const c = new MessageChannel(); c.port1.onmessage = () => r(); c.port2.postMessage(0); }));
  window.__until = async (done, timeoutMs = 10000) => {
    const began = performance.now();
    while (!done()) {
      if (performance.now() - began > timeoutMs) throw new Error('timed out');
      await new Promise((r) => { const c = new MessageChannel(); c.port1.onmessage = () => r(); c.port2.postMessage(0); });
    }
  };`;

async function clickStep(page, index) {
  return page.evaluate(async (index) => {
    const links = [...document.querySelectorAll('[data-testid=step-list] li a')];
    const link = links[index % links.length];
    const name = link.querySelector('.step-name')?.textContent ?? '';
    const before = document.querySelector('[data-testid=step-details]')?.textContent ?? null;
    const t0 = performance.now();
    link.click();
    await window.__until(() => {
      const text = document.querySelector('[data-testid=step-details]')?.textContent;
      return text != null && text !== before && text.includes(name);
    });
    const dom = performance.now() - t0;
    await window.__afterPaint();
    return { ms: performance.now() - t0, dom_ms: dom };
  }, index);
}

async function sortTable(page, index) {
  return page.evaluate(async (index) => {
    const headers = [...document.querySelectorAll('[data-testid=tasks-table] thead th')].filter((th) => th.querySelector('button'));
    if (headers.length === 0) return null;
    const th = headers[index % headers.length];
    const before = th.getAttribute('aria-sort');
    const t0 = performance.now();
    th.querySelector('button').click();
    await window.__until(() => th.isConnected && th.getAttribute('aria-sort') !== before);
    const dom = performance.now() - t0;
    await window.__afterPaint();
    return { ms: performance.now() - t0, dom_ms: dom };
  }, index);
}

// The search bar's query narrows the list when its mode is Filter. Typing waits for a pause
// (250 ms from 5,000 steps, by design), so the timed interaction is the switch from
// Highlight to Filter with a query in place: matching, filtering the rows and the repaint.
const FILTER_QUERIES = ['kind:tool_call', 'status:failed', 'kind:llm_call dur>1s', 'kind:reasoning'];

async function filterSteps(page, index) {
  return page.evaluate(
    async ({ index, queries }) => {
      const input = document.querySelector('[data-testid=search-input]');
      const filterButton = document.querySelector('[data-testid=search-filter]');
      const highlightButton = document.querySelector('[data-testid=search-highlight]');
      if (!input || !filterButton || !highlightButton) return null;
      const rows = () => [...document.querySelectorAll('[data-testid=step-list] li')];
      const signature = () => rows().slice(0, 30).map((li) => li.textContent).join('|') + rows().length;
      // "12 matches", or "3 of 12" when a step is selected.
      const status = () => document.querySelector('[data-testid=search-status]')?.textContent ?? '';
      // Untimed: a query in Highlight mode, waited for until its matches are counted.
      const query = queries[index % queries.length];
      input.value = query;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await window.__until(() => new URL(location.href).searchParams.get('q') === query && status().trim() !== '', 20000);
      await window.__afterPaint();
      const before = signature();
      const t0 = performance.now();
      filterButton.click();
      await window.__until(() => signature() !== before);
      const dom = performance.now() - t0;
      await window.__afterPaint();
      const ms = performance.now() - t0;
      // Untimed: back to Highlight and an empty query for the next run.
      highlightButton.click();
      input.value = '';
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await window.__until(() => !new URL(location.href).searchParams.get('q'), 20000).catch(() => {});
      return { ms, dom_ms: dom, query };
    },
    { index, queries: FILTER_QUERIES },
  );
}

async function domRows(page) {
  return page.evaluate(() => ({
    step_rows: document.querySelectorAll('[data-testid=step-list] li').length,
    task_rows: document.querySelectorAll('[data-testid=tasks-table] tbody tr').length,
    elements: document.getElementsByTagName('*').length,
  }));
}

/** Runs `fn(page, i)` a warm-up and then `runs` times; the figures of the timed runs, the
 * warm-up's result (`first`) and the last one's, or why it could not be measured. */
async function measureRuns(page, runs, name, fn) {
  const values = [];
  const dom = [];
  let last = null;
  let first = null;
  for (let i = 0; i <= runs; i++) {
    let result;
    try {
      result = await fn(page, i);
    } catch (error) {
      return { error: `${name} failed: ${error.message.split('\n')[0]}` };
    }
    if (result == null) return { unavailable: true };
    last = result;
    if (i === 0) first = result;
    else {
      values.push(result.ms);
      dom.push(result.dom_ms);
    }
  }
  log(`  ${name}: ${stats(values).median} ms median (warm-up ${first?.ms?.toFixed(1)} ms)`);
  return { values, dom: stats(dom), last, first };
}

async function benchInteract(steps, runs) {
  const file = traceFile(steps);
  if (!existsSync(file)) return { skipped: `${file} is missing` };
  log(`S4 ${short(steps)}: opening the trace`);
  const opened = await openOnce(file, steps, 60_000, true);
  if (!opened.page) return { skipped: `the trace did not open: ${opened.result.reason}` };
  const { page, context } = opened;
  await page.evaluate(INTERACT);
  const rowsBefore = await domRows(page);
  const measure = (name, fn) => measureRuns(page, runs, name, fn);
  const click = await measure('click a step', clickStep);
  const sort = await measure('sort the tasks table', sortTable);
  const filter = await measure('filter the steps', filterSteps);
  const rowsAfter = await domRows(page);
  await context.close();
  return { click, sort, filter, rowsBefore, rowsAfter };
}

function interactRows(bench) {
  if (bench.skipped) return [{ case: '100k steps', metric: 'interactions', skipped: bench.skipped, met: null }];
  const make = (metric, measured, missing) => {
    if (measured.unavailable) return { case: '100k steps', metric, skipped: missing, met: null, goal_value: 50 };
    if (measured.error) return { case: '100k steps', metric, skipped: measured.error, met: false, goal_value: 50 };
    const result = row({ case: '100k steps', metric, dom_update: measured.dom }, measured.values, 50);
    if (result.met === false) {
      result.why = `the DOM is updated ${measured.dom.median} ms (median) after the click; the rest is style, layout and paint of ${bench.rowsAfter.elements} DOM elements`;
    }
    return result;
  };
  const rows = bench.rowsAfter;
  const maxRows = Math.max(rows.step_rows, rows.task_rows, bench.rowsBefore.step_rows, bench.rowsBefore.task_rows);
  return [
    make('click a step → details painted', bench.click),
    make('sort the tasks table (click a header) → painted', bench.sort),
    make('filter the steps (Highlight → Filter with a query set) → painted', bench.filter, 'not available: the page has no search bar with a Filter mode'),
    {
      case: '100k steps',
      metric: 'rows in the DOM (step list / tasks table)',
      unit: 'rows',
      median: maxRows,
      p95: maxRows,
      n: 1,
      detail: `${rows.step_rows} step rows, ${rows.task_rows} task rows, ${rows.elements} elements in all`,
      goal_value: 200,
      met: maxRows <= 200,
      why: maxRows <= 200 ? '' : `the ${rows.step_rows > 200 ? 'step list' : 'tasks table'} renders every row (${maxRows}), not a window of them`,
    },
  ];
}

// ---- S9: the agent graph and the reader view at 100k steps ----

/** In the page: shows `tab` (from another tab), waits until its view has drawn (its root
 * carries data-ready="true") and the next paint; returns ms from the click. */
async function showView(page, tab) {
  return page.evaluate(async (tab) => {
    const button = (name) => document.querySelector(`[role=tab][data-tab=${name}]`);
    const panel = () => document.getElementById('view-panel');
    // Untimed: away to the timeline, so the view is built afresh.
    if (panel()?.dataset.view === tab) {
      button('timeline').click();
      await window.__until(() => panel()?.dataset.view === 'timeline', 20000);
      await window.__afterPaint();
    }
    const t0 = performance.now();
    button(tab).click();
    await window.__until(() => panel()?.dataset.view === tab && panel().querySelector('[data-ready=true]') != null, 20000);
    const dom = performance.now() - t0;
    await window.__afterPaint();
    return { ms: performance.now() - t0, dom_ms: dom };
  }, tab);
}

/** In the page: scrolls the reader to the `index`th of ten places and waits until the blocks
 * there are in the DOM and painted; returns ms from the scroll. */
async function scrollReader(page, index) {
  return page.evaluate(async (index) => {
    const panel = document.getElementById('view-panel');
    // The reader's own scroller: the tallest scrollable element in the view.
    const scroller = [...panel.querySelectorAll('*')]
      .filter((el) => el.scrollHeight > el.clientHeight + 20 && /auto|scroll/.test(getComputedStyle(el).overflowY))
      .sort((a, b) => b.scrollHeight - a.scrollHeight)[0];
    if (!scroller) return null;
    const signature = () => [...scroller.querySelectorAll('[data-step]')].slice(0, 5).map((el) => el.dataset.step).join('|');
    const before = signature();
    const top = Math.round(((index % 10) + 0.5) / 10 * (scroller.scrollHeight - scroller.clientHeight));
    const t0 = performance.now();
    scroller.scrollTop = top;
    scroller.dispatchEvent(new Event('scroll'));
    await window.__until(() => signature() !== before && signature() !== '', 20000);
    const dom = performance.now() - t0;
    await window.__afterPaint();
    return { ms: performance.now() - t0, dom_ms: dom, blocks: scroller.querySelectorAll('[data-step]').length };
  }, index);
}

async function benchViews(steps, runs) {
  const file = traceFile(steps);
  if (!existsSync(file)) return { skipped: `${file} is missing` };
  log(`S9 ${short(steps)}: opening the trace`);
  const opened = await openOnce(file, steps, 60_000, true);
  if (!opened.page) return { skipped: `the trace did not open: ${opened.result.reason}` };
  const { page, context } = opened;
  await page.evaluate(INTERACT);
  const measure = (name, fn) => measureRuns(page, runs, name, fn);
  const graph = await measure('agent graph', (p) => showView(p, 'graph'));
  const graphNodes = await page.evaluate(() => document.querySelectorAll('#view-panel [data-node]').length);
  const reader = await measure('reader view', (p) => showView(p, 'reader'));
  const scroll = await measure('reader scroll', scrollReader);
  const elements = await page.evaluate(() => document.getElementsByTagName('*').length);
  await context.close();
  // The JS floor on the same bytes in the same run, for the ratio.
  const floor = [];
  for (let i = 0; i < Math.min(runs, 5); i++) {
    const result = await floorOnce(file, 60_000);
    if (result.ok) floor.push(result.total_ms);
  }
  return { graph, graphNodes, reader, scroll, elements, floor: stats(floor) };
}

function viewRows(bench) {
  const c = '100k steps (Stepwise format)';
  if (bench.skipped) return [{ case: c, metric: 'views', skipped: bench.skipped, met: null }];
  const make = (metric, measured, goalMs, detail) => {
    if (measured.unavailable) return { case: c, metric, skipped: 'not available: the view has no scroller', met: null, goal_value: goalMs };
    if (measured.error) return { case: c, metric, skipped: measured.error, met: false, goal_value: goalMs };
    const result = row({ case: c, metric, dom_update: measured.dom, detail }, measured.values, goalMs);
    if (bench.floor.median) result.ratio_to_floor = result.median / bench.floor.median;
    result.note = `the DOM is ready ${measured.dom.median} ms (median) after the click; the JS floor reads the same file in ${bench.floor.median} ms`;
    if (result.met === false) result.why = `${measured.dom.median} ms until the view is built, the rest style, layout and paint (${bench.elements} elements on the page)`;
    return result;
  };
  // The first showing after the open: the reader builds its blocks then and keeps them for
  // later visits, so its later figures are of a view whose model is built.
  const firstRow = (metric, measured, goalMs) => {
    if (!measured.first) return null;
    const result = row({ case: c, metric, note: 'one run: the warm-up of the row below' }, [measured.first.ms], goalMs);
    if (bench.floor.median) result.ratio_to_floor = result.median / bench.floor.median;
    if (result.met === false) result.why = `${measured.first.dom_ms.toFixed(0)} ms until the view is built: the first showing derives its model from all 100k steps`;
    return result;
  };
  return [
    firstRow('agent graph, aggregated: first showing after the open', bench.graph, 100),
    make('agent graph, aggregated: Graph tab clicked → derived and drawn', bench.graph, 100, `${bench.graphNodes} nodes drawn`),
    firstRow('reader view: first showing after the open (blocks built)', bench.reader, 100),
    make('reader view: Reader tab clicked again → blocks painted (blocks kept)', bench.reader, 100, null),
    make('reader view: scroll to one of ten places → its blocks painted', bench.scroll, 50, bench.scroll.last ? `${bench.scroll.last.blocks} blocks in the DOM` : null),
  ].filter(Boolean);
}

// ---- S5: bundle size and cold start ----

function bundle() {
  // The importer module (Trunk's worker build) and the worker script load in the import
  // worker after the first paint, as is the service worker (sw.js), registered then;
  // everything else (the page's module, its JS glue and snippets, the CSS) is fetched
  // before the page can paint anything.
  const importer = /^(stepwise-import(_bg)?\.(js|wasm)|import-worker\.js)$/;
  const module = (f) => (importer.test(f) ? 'importer' : f === 'sw.js' ? 'service-worker' : 'page');
  const files = readdirSync(DIST, { recursive: true }).filter((f) => /\.(wasm|js|css)$/.test(f));
  const parts = files.map((f) => {
    const data = readFileSync(join(DIST, f));
    return { file: f, bytes: data.length, gzip_bytes: gzipSync(data, { level: 9 }).length, module: module(f) };
  });
  const sum = (list) => list.reduce((total, p) => total + p.gzip_bytes, 0);
  const page = parts.filter((p) => p.module === 'page');
  const importerParts = parts.filter((p) => p.module === 'importer');
  return { parts, total_gzip_bytes: sum(parts), first_paint_gzip_bytes: sum(page), importer_gzip_bytes: sum(importerParts) };
}

async function coldStart(runs) {
  const values = [];
  const fcp = [];
  const arrivals = { wasm: [], prices: [], demo: [] };
  for (let i = 0; i <= runs; i++) {
    const { context, page } = await freshPage();
    await page.addInitScript(() => {
      const cold = (window.__cold = {});
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) cold[entry.name] = entry.startTime;
      }).observe({ type: 'paint', buffered: true });
      const check = () => {
        if (document.querySelector('[data-testid=steps] .figure-value')?.textContent) {
          cold.summary = performance.now();
          requestAnimationFrame(() => requestAnimationFrame(() => (cold.painted = performance.now())));
        } else {
          setTimeout(check, 2);
        }
      };
      check();
    });
    await page.goto(`${server.url}?trace=demo`);
    await page.waitForFunction(() => window.__cold.painted != null, null, { timeout: 30_000 });
    const cold = await page.evaluate(() => {
      // When the wasm, the prices and the demo trace had arrived, to say where the time went.
      const arrived = (pattern) =>
        performance.getEntriesByType('resource').find((entry) => pattern.test(entry.name))?.responseEnd ?? null;
      return { ...window.__cold, wasm: arrived(/\.wasm$/), prices: arrived(/prices\.json/), demo: arrived(/demo\/trace\.json/) };
    });
    await context.close();
    if (i > 0) {
      values.push(cold.painted);
      if (cold['first-contentful-paint'] != null) fcp.push(cold['first-contentful-paint']);
      for (const key of ['wasm', 'prices', 'demo']) if (cold[key] != null) arrivals[key].push(cold[key]);
    }
  }
  return { values, fcp, arrivals };
}

// ---- main ----

async function main() {
  server = await startStaticServer(SUB_PATH);
  browser = await launchBrowser();
  log(`serving ${DIST} at ${server.url}; Chromium ${browser.version()}`);
  try {
    if (ONLY.has('S2') || ONLY.has('S6') || ONLY.has('S8')) {
      // [steps, runs, warm-up, timeout, budget], for each format in turn.
      const sizes = [
        [10000, RUNS + 2, true, 30_000, 90_000],
        [100000, RUNS, true, 60_000, 120_000],
        [1000000, RUNS_1M, false, TIMEOUT_1M, TIMEOUT_1M],
      ];
      const opened = [];
      for (const [steps, runs, warmup, timeoutMs, budgetMs] of sizes) {
        if (!SIZE_LIST.includes(steps)) continue;
        if (!ONLY.has('S2') && steps === 10000) continue;
        if (!ONLY.has('S2') && !ONLY.has('S8') && steps !== 100000) continue;
        for (const format of FORMAT_LIST) {
          opened.push(await benchOpen({ steps, format }, runs, warmup, timeoutMs, budgetMs));
        }
      }
      if (ONLY.has('S2')) {
        writeResult('s2', {
          scenario: 'S2',
          title: 'File handed to the page → summary painted; → summary, table and timeline painted; against the JS floor',
          method: `Open file input (setInputFiles), a fresh browser context per run, the file handed over ${SETTLE_MS / 1000} s after the page has loaded (its import worker is started meanwhile, as while a person picks a file); clock from the input's change event to two animation frames after the steps figure reads the trace's count (summary painted) and after the steps figure, a step row, a tasks-table row and the timeline canvas are present (all painted). Each run is followed, in the same browser, by the JS floor in a fresh context: a blank page with a file input, the same file handed over, and from its change event File.arrayBuffer + TextDecoder + JSON.parse of all of it + a token sum (Stepwise format: each step's usage.input_tokens + output_tokens; OTLP/JSON: the gen_ai.usage.input_tokens/output_tokens attributes of every span), nothing drawn. "× the JS floor" is Stepwise's median / the floor's median. Phases from the app's performance marks (src/state/opening.rs). 10k: ${RUNS + 2} runs, 100k: ${RUNS} runs, each after a warm-up (fewer when one run is slow, as the note says); 1M: ${RUNS_1M} run${RUNS_1M > 1 ? 's' : ''}, no warm-up, at most ${TIMEOUT_1M / 1000} s. OTLP traces from \`stepwise synth --format otlp\` (their steps figure is checked against \`stepwise summary\`'s count where scripts/bench wrote it).`,
          rows: opened.flatMap((bench) => openRows(bench)),
        });
      }
      if (ONLY.has('S6')) {
        writeResult('s6', {
          scenario: 'S6',
          title: 'Longest main-thread task while opening (the S2 runs)',
          method: 'PerformanceObserver longtask (buffered), during each S2 run: the longest task between the change event and the painted frame (0 when no task reached 50 ms, the longtask threshold).',
          rows: opened.filter((bench) => ONLY.has('S2') || bench.steps === 100000).map((bench) => longTaskRow(bench)),
        });
      }
      if (ONLY.has('S8')) {
        writeResult('s8', {
          scenario: 'S8',
          title: 'Peak memory while opening, as a multiple of the file; the largest file that opens',
          method: `During every S2 run (app and JS floor alike), node reads /proc/<pid>/statm of all of Chromium's processes (the descendants of the node process whose executable is Chromium: browser, GPU, utility, zygote and renderer processes; the process list is read again every second) every 20 ms, from just before the file is handed over until the page is painted, and sums their resident memory. Figure: the peak of that sum minus the sum just before the file was handed over (the page loaded and settled, its import worker started), in MB (10^6 bytes); the goal compares it with the file's size. A page's dedicated workers, and the wasm memory of page and worker, live in its renderer process, so they are counted; memory a process has reserved but not touched is not (resident memory only). The renderer's kernel high-water mark (VmHWM, missing nothing between samples) is given as a check. The largest file that opens: the largest S2 case (10k, 100k, 1M steps) that painted, per format — a lower bound, since nothing larger is tried.`,
          rows: memoryRows(opened),
        });
      }
    }
    if (ONLY.has('S4')) {
      const bench = await benchInteract(100000, RUNS);
      writeResult('s4', {
        scenario: 'S4',
        title: 'Click, sort, filter at 100k steps',
        method: `One page with the 100k trace open; each interaction ${RUNS} times after a warm-up, through element.click() in the page; clock from the click to the first task after the next animation frame once the DOM shows the result (that is, after the paint). Filter: a search query (kind:tool_call, status:failed, …) is set in Highlight mode untimed (typing waits for a 250 ms pause from 5,000 steps, by design), then the Filter button is clicked and timed. Rows counted after the interactions.`,
        rows: interactRows(bench),
        dom: bench.rowsAfter ?? null,
      });
    }
    if (ONLY.has('S9')) {
      const bench = await benchViews(100000, RUNS);
      writeResult('s9', {
        scenario: 'S9',
        title: 'The agent graph and the reader view at 100k steps',
        method: `One page with the 100k trace open; each view shown ${RUNS} times after a warm-up, from the Timeline tab (untimed) through element.click() on its tab; clock from the click to the first task after the next animation frame once the view's root says data-ready (it has derived its model and drawn). Scroll: the reader's scroller set to one of ten places, clock to the paint after other blocks are in the DOM. The JS floor (TextDecoder + JSON.parse + token sum) of the same file in the same run gives the ratio, as context: a view switch does not re-read the file.`,
        rows: viewRows(bench),
      });
    }
    if (ONLY.has('S5')) {
      const size = bundle();
      log(`S5 bundle: ${size.total_gzip_bytes} bytes gzipped`);
      const cold = await coldStart(RUNS + 2);
      const kb = size.first_paint_gzip_bytes / 1000;
      const wasm = size.parts.filter((p) => p.module === 'page' && p.file.endsWith('.wasm')).reduce((s, p) => s + p.gzip_bytes, 0);
      const bundleRow = {
        case: 'release bundle',
        metric: 'fetched before the first paint: the page module, its JS and the CSS, gzip -9',
        note: `both modules: ${(size.total_gzip_bytes / 1000).toFixed(1)} KB; the importer module and its worker script, fetched by the worker after the first paint: ${(size.importer_gzip_bytes / 1000).toFixed(1)} KB`,
        unit: 'KB',
        median: Math.round(kb * 10) / 10,
        p95: Math.round(kb * 10) / 10,
        n: 1,
        detail: size.parts.map((p) => `${p.file} ${(p.gzip_bytes / 1000).toFixed(1)} KB`).join(', '),
        goal_value: 250,
        met: kb <= 250,
        why:
          kb <= 250
            ? ''
            : `the page's wasm is ${(wasm / 1000).toFixed(0)} KB of it: Leptos' view and reactive code and our components for every page (no code splitting under Trunk), pulldown-cmark, time via leptos-use-color-mode; see "Size" below`,
      };
      const coldRow = row({ case: 'cold start on loopback', metric: '?trace=demo → summary painted (navigation start = 0)' }, cold.values, 300);
      const fcpRow = row({ case: 'cold start on loopback', metric: 'first contentful paint' }, cold.fcp, null);
      if (coldRow.met === false) {
        const at = (key) => stats(cold.arrivals[key]).median;
        coldRow.why = `nothing can be drawn before the page's ${(wasm / 1000).toFixed(0)} KB (gzipped) wasm has arrived (${at('wasm')} ms) and been compiled and started; the demo trace arrives at ${at('demo')} ms${at('prices') == null ? '' : ` and the price table at ${at('prices')} ms`} (medians); first contentful paint at ${fcpRow.median} ms`;
      }
      writeResult('s5', {
        scenario: 'S5',
        title: 'Release bundle, gzipped, and cold start',
        method: `Bundle: every .wasm, .js and .css of the build, gzip level 9 (as scripts/build), split into what the page fetches before its first paint and the importer module the import worker fetches after it. Cold start: a new browser context (empty cache) per run, ${RUNS + 2} runs after a warm-up, python http.server on 127.0.0.1.`,
        rows: [bundleRow, coldRow, fcpRow],
        bundle: size,
      });
    }
  } finally {
    await browser.close();
    await server.stop();
  }
}

await main();
