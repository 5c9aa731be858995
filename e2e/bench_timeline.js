// Benchmark S3 of issue 6: timeline redraw time while zooming and panning a 100k-step trace,
// in headless Chromium on the release build. Not a test (no assertions on time): it prints
// the figures and writes target/bench/s3.json, which scripts/bench turns into BENCHMARKS.md.
//
//   STEPWISE_DIST=/tmp/dist-timeline node e2e/bench_timeline.js [--trace FILE] [--out DIR]
//       [--wheel 60] [--drags 60]
//
// The trace defaults to $BENCH_DIR/steps-100000.json (scripts/bench writes it), else
// /tmp/synth-100000.json; make one with
//   cargo run --release -p stepwise-cli --bin stepwise -- synth --steps 100000 > /tmp/synth-100000.json
//
// Each redraw of the canvas (plan + paint, src/components/timeline/hooks.rs) is a
// performance.measure named "timeline-paint"; their durations are the figures. The frame
// interval (requestAnimationFrame to requestAnimationFrame) is reported as context: it also
// holds the rest of the page's work and the raster, which the measure cannot see.
import { existsSync, mkdirSync, writeFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, SUB_PATH, startStaticServer, launchBrowser } from './harness.js';

const BENCH_DIR = process.env.BENCH_DIR ? resolve(process.env.BENCH_DIR) : join(ROOT, 'target', 'bench');
const { values: options } = parseArgs({
  options: {
    trace: { type: 'string' },
    out: { type: 'string', default: BENCH_DIR },
    wheel: { type: 'string', default: '60' },
    drags: { type: 'string', default: '60' },
  },
});
const GOAL_MS = 16;
const WHEEL = Math.max(2, Number(options.wheel));
const DRAGS = Math.max(2, Number(options.drags));
const log = (...parts) => console.error('[bench_timeline]', ...parts);

function traceFile() {
  const candidates = [options.trace, join(BENCH_DIR, 'steps-100000.json'), '/tmp/synth-100000.json'].filter(Boolean);
  const found = candidates.find((file) => existsSync(file));
  if (!found) {
    throw new Error(
      `no 100k-step trace at ${candidates.join(' or ')}: run cargo run --release -p stepwise-cli --bin stepwise -- synth --steps 100000 > /tmp/synth-100000.json`,
    );
  }
  return resolve(found);
}

/** Median, p95 (nearest rank), min and max of `values`, rounded to 0.01 ms. */
function stats(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return { n: 0, median: null, p95: null, min: null, max: null };
  const rank = (p) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  const round = (v) => Math.round(v * 100) / 100;
  return { n: sorted.length, median: round(median), p95: round(rank(0.95)), min: round(sorted[0]), max: round(sorted.at(-1)) };
}

/** In the page: helpers to wait for paints and to collect the measures and frame intervals. */
const INSTRUMENT = `
  window.__frames = [];
  window.__afterPaint = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
  (function tick(last) {
    requestAnimationFrame((now) => { if (window.__recording) window.__frames.push(now - last); tick(now); });
  })(performance.now());
  window.__take = () => {
    const paints = performance.getEntriesByName('timeline-paint').map((e) => e.duration);
    performance.clearMeasures('timeline-paint');
    const frames = window.__frames;
    window.__frames = [];
    return { paints, frames };
  };`;

/** Where to point: the middle of the plot (right of the gutter), on the visible lanes. */
async function plotPoint(page) {
  const canvas = page.locator('[data-testid=timeline]');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  const gutter = Number(await canvas.getAttribute('data-gutter-px'));
  const plot = box.width - gutter - 14;
  return { x: box.x + gutter + plot * 0.55, y: box.y + Math.min(box.height - 20, 140), plot };
}

async function take(page) {
  return page.evaluate(() => window.__take());
}

async function main() {
  const file = traceFile();
  log(`trace ${file} (${(statSync(file).size / 1e6).toFixed(1)} MB)`);
  const server = await startStaticServer(SUB_PATH);
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => log(`page error: ${error.message}`));
    await page.goto(server.url);
    const input = page.locator('[data-testid=open-file]').first();
    await input.waitFor({ state: 'attached', timeout: 20_000 });
    await input.setInputFiles(file);
    await page.locator('[data-testid=timeline]').waitFor({ state: 'visible', timeout: 120_000 });
    await page.evaluate(INSTRUMENT);
    await page.waitForFunction(() => performance.getEntriesByName('timeline-paint').length > 0, null, { timeout: 60_000 });
    const lanes = await page.locator('[data-testid=timeline]').getAttribute('data-lanes');
    log(`opened: ${lanes} lanes`);

    // Warm-up: a few zooms in and out, not counted.
    let at = await plotPoint(page);
    await page.mouse.move(at.x, at.y);
    for (const dy of [-100, -100, -100, 100, 100, 100]) {
      await page.mouse.wheel(0, dy);
      await page.evaluate(() => window.__afterPaint());
    }
    await take(page);
    await page.evaluate(() => { window.__recording = true; });

    // 60 wheel steps: half zooming in around the pointer (to about 1% of the trace), half out.
    for (let i = 0; i < WHEEL; i++) {
      at = await plotPoint(page);
      await page.mouse.move(at.x, at.y);
      await page.mouse.wheel(0, i < WHEEL / 2 ? -100 : 100);
      await page.evaluate(() => window.__afterPaint());
    }
    const wheel = await take(page);
    log(`wheel: ${wheel.paints.length} redraws`);

    // 60 drags at a tenth of the trace, left and right by 40% of the plot, in 8 moves each.
    at = await plotPoint(page);
    await page.mouse.move(at.x, at.y);
    for (let i = 0; i < 14; i++) {
      await page.mouse.wheel(0, -100);
      await page.evaluate(() => window.__afterPaint());
    }
    await take(page);
    for (let i = 0; i < DRAGS; i++) {
      at = await plotPoint(page);
      const dx = (i % 2 ? -1 : 1) * at.plot * 0.4;
      await page.mouse.move(at.x - dx / 2, at.y);
      await page.mouse.down();
      await page.mouse.move(at.x + dx / 2, at.y, { steps: 8 });
      await page.mouse.up();
      await page.evaluate(() => window.__afterPaint());
    }
    const drags = await take(page);
    log(`drags: ${drags.paints.length} redraws`);
    await context.close();

    const row = (label, measured, metric, unit = 'ms') => {
      const s = stats(measured);
      const met = s.p95 == null ? null : s.p95 <= GOAL_MS;
      return {
        case: label,
        metric,
        unit,
        ...s,
        goal_value: GOAL_MS,
        met,
        why: met === false ? `p95 ${s.p95} ms over ${s.n} redraws` : '',
      };
    };
    const rows = [
      row(`100k steps, ${WHEEL} wheel zoom steps`, wheel.paints, 'redraw (plan + paint) per frame'),
      row(`100k steps, ${DRAGS} drags`, drags.paints, 'redraw (plan + paint) per frame'),
      row('100k steps, all', [...wheel.paints, ...drags.paints], 'redraw (plan + paint) per frame'),
    ];
    const context_rows = [
      { ...row('100k steps, wheel and drags', [...wheel.frames, ...drags.frames], 'frame interval (rAF to rAF, context)'), goal_value: null, met: null, why: '' },
    ];
    const result = {
      date: new Date().toISOString(),
      title: 'timeline redraw while zooming and panning at 100k steps',
      method: `A ${(statSync(file).size / 1e6).toFixed(0)} MB, 100k-step synthetic trace opened through the Open file input at 1280×800; then ${WHEEL} wheel steps over the timeline (half zooming in around the pointer, half out) and, zoomed to about a tenth of the trace, ${DRAGS} drags of 40% of the plot in 8 moves each. Each redraw (plan + canvas calls) is a performance.measure "timeline-paint" set by the app; figures are over all redraws. The rAF-to-rAF frame interval is given as context.`,
      trace: file,
      lanes: Number(lanes),
      rows: [...rows, ...context_rows],
    };
    mkdirSync(resolve(options.out), { recursive: true });
    const out = join(resolve(options.out), 's3.json');
    writeFileSync(out, JSON.stringify(result, null, 2));
    console.log('\nS3 timeline redraw at 100k steps (ms)');
    console.log(`${'case'.padEnd(36)} ${'metric'.padEnd(38)} ${'n'.padStart(4)} ${'median'.padStart(8)} ${'p95'.padStart(8)} ${'max'.padStart(8)}`);
    for (const r of result.rows) {
      console.log(`${r.case.padEnd(36)} ${r.metric.padEnd(38)} ${String(r.n).padStart(4)} ${String(r.median).padStart(8)} ${String(r.p95).padStart(8)} ${String(r.max).padStart(8)}`);
    }
    console.log(`goal: p95 ≤ ${GOAL_MS} ms a frame · wrote ${out}`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
