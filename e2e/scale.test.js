// Issue 6's smoke test: a 100k-step synthetic trace opens, its lists keep at most 200 rows
// in the DOM, the last step can be scrolled to, a step far down can be selected by URL and
// walked with j/k, and the tasks table sorts. It asserts correctness, not time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, OUTPUT, SUB_PATH, startStaticServer, launchBrowser, newPage } from './harness.js';

const STEPS = 100_000;
const MAX_DOM_ROWS = 200;

let server;
let browser;
let file;
let trace;
before(async () => {
  // STEPWISE_SCALE_FILE reuses a trace written by `stepwise synth --steps 100000` before.
  file = process.env.STEPWISE_SCALE_FILE ?? join(mkdtempSync(join(tmpdir(), 'stepwise-scale-')), `synth-${STEPS}.json`);
  if (!process.env.STEPWISE_SCALE_FILE) writeFileSync(file, generate());
  trace = JSON.parse(readFileSync(file, 'utf8')).trace;
  server = await startStaticServer(SUB_PATH);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

function generate() {
  // The debug build: the test command's `cargo test` has just built it, so nothing compiles here.
  return execFileSync('cargo', ['run', '--quiet', '--locked', '-p', 'stepwise-cli', '--bin', 'stepwise', '--', 'synth', '--steps', String(STEPS)], {
    cwd: ROOT,
    maxBuffer: 512 * 1024 * 1024,
  });
}

/**
 * A screenshot of the viewport around `selector`. Not the harness's full-page one:
 * Chromium's full-page capture resets the scroll of a 2.6-million-pixel list to the top.
 */
async function screenshot(page, name, selector) {
  mkdirSync(OUTPUT, { recursive: true });
  await page.locator(selector).evaluate((element) => element.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: join(OUTPUT, `${name}.png`) });
}

/** The step list's order, as src/tree.rs builds it: depth-first, siblings by start. */
function readingOrder(steps) {
  const indexOf = new Map(steps.map((step, index) => [step.id, index]));
  const children = steps.map(() => []);
  const roots = [];
  steps.forEach((step, index) => {
    const parent = indexOf.get(step.parent_id);
    if (parent !== undefined && parent !== index) children[parent].push(index);
    else roots.push(index);
  });
  // Every synthetic step has a start in one ISO format, so the strings sort as times.
  const byStart = (a, b) => (steps[a].start_time < steps[b].start_time ? -1 : steps[a].start_time > steps[b].start_time ? 1 : a - b);
  roots.sort(byStart);
  children.forEach((list) => list.sort(byStart));
  const order = [];
  const stack = [...roots].reverse();
  while (stack.length) {
    const index = stack.pop();
    order.push(steps[index].id);
    stack.push(...[...children[index]].reverse());
  }
  return order;
}

async function openSynthetic(options = {}) {
  const page = await newPage(browser, options);
  await page.goto(`${server.url}?trace=demo`);
  await page.locator('h1.trace-name').waitFor({ timeout: 20_000 });
  await page.locator('[data-testid=open-file]').setInputFiles(file);
  await page.locator('h1.trace-name', { hasText: trace.name }).waitFor({ timeout: 60_000 });
  await page.locator('li.step').first().waitFor();
  return page;
}

const stepRows = (page) => page.locator('li.step').count();
const selectedId = (page) => new URL(page.url()).searchParams.get('step');

/** Polls `read` until it returns `expected` (deep-equal), or fails with the last value. */
async function until(read, expected, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await read();
    if (JSON.stringify(last) === JSON.stringify(expected)) return;
    if (Date.now() > deadline) assert.deepEqual(last, expected, what);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Whether the row of `id` is rendered, selected and inside the list's visible box. */
function rowState(page, id) {
  return page.evaluate((id) => {
    const row = document.querySelector(`li.step[data-step-id="${CSS.escape(id)}"]`);
    if (!row) return 'absent';
    const list = row.closest('ul.steps').getBoundingClientRect();
    const box = row.getBoundingClientRect();
    const inView = box.top >= list.top - 1 && box.bottom <= list.bottom + 1;
    return `${row.getAttribute('aria-selected') === 'true' ? 'selected' : 'plain'}${inView ? ', in view' : ', hidden'}`;
  }, id);
}

test('a 100k-step trace opens with at most 200 step rows, and its end can be reached', async () => {
  const order = readingOrder(trace.steps);
  assert.equal(order.length, STEPS);
  const page = await openSynthetic();
  assert.ok((await stepRows(page)) <= MAX_DOM_ROWS, `${await stepRows(page)} step rows`);
  assert.equal(await page.locator('ul.steps li.step').first().getAttribute('aria-setsize'), String(STEPS));
  assert.equal(await page.locator('ul.steps li.step').first().getAttribute('data-step-id'), order[0]);

  await page.locator('ul.steps').evaluate((list) => { list.scrollTop = list.scrollHeight; });
  const last = page.locator(`li.step[data-step-id="${order.at(-1)}"]`);
  await last.waitFor();
  assert.equal(await last.getAttribute('aria-posinset'), String(STEPS));
  assert.ok((await stepRows(page)) <= MAX_DOM_ROWS);
  await screenshot(page, 'scale-100k-end', '[data-panel=steps]');

  // Folding the first root hides its subtree: the list's size drops by it.
  await page.locator('ul.steps').evaluate((list) => { list.scrollTop = 0; });
  const firstRoot = page.locator(`li.step[data-step-id="${order[0]}"]`);
  await firstRoot.waitFor();
  const childrenOfRoot = trace.steps.filter((step) => step.parent_id === order[0]).length;
  if (childrenOfRoot > 0) {
    await firstRoot.locator('button.toggle').click();
    const hidden = order.filter((id) => isUnder(trace.steps, id, order[0])).length;
    await until(() => firstRoot.getAttribute('aria-setsize'), String(STEPS - hidden), 'size after folding');
    await firstRoot.locator('button.toggle').click();
    await until(() => firstRoot.getAttribute('aria-setsize'), String(STEPS), 'size after unfolding');
  }
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

/** Whether step `id` lies in the subtree of `ancestor`. */
function isUnder(steps, id, ancestor) {
  const parentOf = isUnder.parents ??= new Map(steps.map((step) => [step.id, step.parent_id]));
  for (let at = parentOf.get(id); at; at = parentOf.get(at)) if (at === ancestor) return true;
  return false;
}

test('a step far down selected by URL is shown and highlighted, and j/k walk from it', async () => {
  const order = readingOrder(trace.steps);
  const page = await openSynthetic();
  const far = order[Math.floor(STEPS * 0.9)];
  // A same-document navigation, as the back button or an embedding page would make.
  await page.evaluate((id) => {
    const url = new URL(location.href);
    url.searchParams.set('step', id);
    history.pushState(null, '', url);
    dispatchEvent(new PopStateEvent('popstate'));
  }, far);
  await until(() => rowState(page, far), 'selected, in view', 'the far step');
  assert.ok((await stepRows(page)) <= MAX_DOM_ROWS);
  await page.locator('.details h2').first().waitFor();

  const at = order.indexOf(far);
  await page.keyboard.press('j');
  await until(() => selectedId(page), order[at + 1], 'j selects the next step');
  await until(() => rowState(page, order[at + 1]), 'selected, in view', 'j');
  await page.keyboard.press('k');
  await page.keyboard.press('k');
  await until(() => selectedId(page), order[at - 1], 'k k selects the previous step');
  await until(() => rowState(page, order[at - 1]), 'selected, in view', 'k');
  assert.equal(await page.locator('li.step[aria-selected=true]').count(), 1);
  await screenshot(page, 'scale-100k-selected', '[data-panel=steps]');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the tasks table of a 100k-step trace renders a window and sorts every task', async () => {
  const page = await openSynthetic();
  const table = page.locator('[data-testid=tasks-table]');
  const rows = table.locator('tbody tr:not(.spacer)');
  await rows.first().waitFor();
  assert.equal(await table.getAttribute('aria-rowcount'), String(trace.tasks.length + 1));
  assert.ok(trace.tasks.length > 100, 'enough tasks to virtualize');
  assert.ok((await rows.count()) <= MAX_DOM_ROWS);

  const names = trace.tasks.map((task) => task.name).sort();
  await table.locator('thead button', { hasText: 'Task' }).click();
  await until(() => rows.first().locator('th').textContent(), names[0], 'first by name');
  assert.equal(await table.locator('thead th', { hasText: 'Task' }).getAttribute('aria-sort'), 'ascending');
  await page.locator('.table-scroll.virtual').evaluate((box) => { box.scrollTop = box.scrollHeight; });
  await until(() => rows.last().locator('th').textContent(), names.at(-1), 'last by name');
  await rows.last().locator('a').click();
  await until(() => new URL(page.url()).searchParams.get('task'), trace.tasks.find((t) => t.name === names.at(-1)).id, 'the row opens its task');
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'scale-100k-tasks-phone', '[data-panel=tasks]');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a trace list of 5,000 traces renders a window, filters, and reaches its oldest trace', async () => {
  const LISTED = 5000;
  const base = 'http://127.0.0.1:9/sw';
  const start = Date.parse('2026-11-01T00:00:00Z');
  // Newest first is the page's order; the listing is served oldest first to prove it sorts.
  const traces = Array.from({ length: LISTED }, (_, i) => ({
    id: `run-${String(i).padStart(4, '0')}`,
    name: i % 10 === 0 ? `nightly eval ${i}` : `support triage ${i}`,
    start_time: new Date(start + i * 60_000).toISOString(),
    status: 'completed',
    total_tokens: i,
  }));
  const page = await newPage(browser);
  // An API answered in the page's network layer: no server needs to hold 5,000 traces.
  await page.route(`${base}/traces`, (route) =>
    route.fulfill({ contentType: 'application/json', headers: { 'access-control-allow-origin': '*' }, body: JSON.stringify({ traces, next: null }) }));
  await page.goto(`${server.url}?api=${encodeURIComponent(base)}&kind=stepwise`);
  const rows = page.locator('table.trace-list tbody tr:not(.spacer)');
  await rows.first().waitFor({ timeout: 20_000 });
  assert.equal(await page.locator('table.trace-list').getAttribute('aria-rowcount'), String(LISTED + 1));
  assert.ok((await rows.count()) <= MAX_DOM_ROWS, `${await rows.count()} rows`);
  assert.equal(await rows.first().getAttribute('data-id'), traces.at(-1).id);
  await page.locator('.table-scroll.virtual').evaluate((box) => { box.scrollTop = box.scrollHeight; });
  await until(() => rows.last().getAttribute('data-id'), traces[0].id, 'the oldest trace at the end');

  await page.locator('input[name=filter-name]').fill('nightly');
  await until(() => page.locator('.list-count').textContent(), `${LISTED / 10} of ${LISTED} traces`, 'the count after filtering');
  await until(() => rows.first().getAttribute('data-id'), traces.at(-10).id, 'the newest nightly first');
  assert.ok((await rows.count()) <= MAX_DOM_ROWS);
  assert.deepEqual(page.problems, []);
  // A row click opens that trace (whose fetch is not served here: only the URL is checked).
  await rows.nth(2).click();
  await page.waitForURL((url) => url.searchParams.get('id') === traces.at(-30).id);
  await page.context().close();
});
