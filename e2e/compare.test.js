// Comparing two runs: the demo and a re-run of it (made here from the demo the app ships,
// with one task failed, slower and with another output), opened through the file input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SUB_PATH, startStaticServer, launchBrowser, newPage, screenshot, until as waitUntil } from './harness.js';

const CHANGED_TASK = 'Estimate demand';
const NEW_LINE = 'Only 1,200 customers (41%) would switch: the survey was re-weighted.';

let server;
let browser;
before(async () => {
  server = await startStaticServer(SUB_PATH);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/** harness.js's `until`, with the description first as this file's calls give it. */
const until = (what, check, timeoutMs) => waitUntil(check, what, timeoutMs);

/** The demo as the app serves it, with one task changed: failed, 4 s slower, new output. */
async function rerunOfDemo(page) {
  const document = await page.evaluate(async () => (await fetch('demo/trace.json')).json());
  const trace = document.trace;
  trace.name = `${trace.name} (re-run)`;
  const task = trace.tasks.find((t) => t.name === 'Estimate demand');
  task.status = 'failed';
  task.end_time = new Date(Date.parse(task.end_time) + 4000).toISOString();
  // One figure changed in place (a removed and an added line) and one line added.
  task.output = `${task.output.replace('1,560', '1,190')}\n${'Only 1,200 customers (41%) would switch: the survey was re-weighted.'}`;
  return JSON.stringify(document, null, 2);
}

test('a re-run compares task by task, jumps to the first divergence and diffs the output', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}?trace=demo`);
  await page.locator('h1.trace-name').waitFor({ timeout: 20_000 });
  const rerun = await rerunOfDemo(page);
  await page.locator('[data-testid=open-file]').first().setInputFiles({
    name: 'demo-rerun.json',
    mimeType: 'application/json',
    buffer: Buffer.from(rerun),
  });
  await until('the re-run open', () => new URL(page.url()).searchParams.get('trace') === 'file:demo-rerun.json');
  await page.locator('h1.trace-name', { hasText: 're-run' }).waitFor();

  await page.locator('[data-testid=compare-open]').click();
  await until('the compare page', () => new URL(page.url()).searchParams.get('compare') === 'file:demo-rerun.json');
  await page.locator('[data-testid=compare-pick]').waitFor();
  await page.locator('[data-testid=compare-pick-b]').selectOption('demo');
  await until('B chosen', () => new URL(page.url()).searchParams.get('with') === 'demo');
  await page.locator('[data-testid=compare-swap]').click();
  await until('swapped', () => {
    const params = new URL(page.url()).searchParams;
    return params.get('compare') === 'demo' && params.get('with') === 'file:demo-rerun.json';
  });

  const row = page.locator('tr[data-testid=compare-row]', { hasText: CHANGED_TASK });
  await row.waitFor({ timeout: 20_000 });
  assert.match(await row.locator('.status-change').textContent(), /completed → failed/);
  assert.ok(await row.locator('.status-change').evaluate((el) => el.classList.contains('trend-worse')));
  const cells = await row.locator('td.num').allTextContents();
  assert.equal(cells[0], '+4.0 s', 'Δ duration');
  assert.match(await row.textContent(), /output changed/);
  const unchanged = page.locator('tr[data-testid=compare-row]', { hasText: 'Research the market' }).first();
  assert.equal((await unchanged.locator('td.num').allTextContents())[0], '0 ms');

  await page.locator('[data-testid=compare-jump]').click();
  const chosen = page.locator('tr[data-testid=compare-row][aria-selected=true]');
  await chosen.waitFor();
  assert.ok(await chosen.evaluate((el) => el.classList.contains('first-divergence')));
  assert.match(await chosen.textContent(), new RegExp(CHANGED_TASK));
  const added = page.locator('[data-testid=diff-lines] .diff-line.added');
  await added.first().waitFor();
  assert.ok((await added.allTextContents()).some((line) => line.includes(NEW_LINE)), 'the new line is added');
  const removed = await page.locator('[data-testid=diff-lines] .diff-line.removed').allTextContents();
  assert.ok(removed.some((line) => line.includes('1,560')), 'the old figure is a removed line');
  assert.ok((await added.allTextContents()).some((line) => line.includes('1,190')), 'the new one added');

  // Expanding a task shows its aligned steps.
  await row.locator('button.toggle').click();
  assert.ok((await page.locator('tr.compare-row.nested').count()) > 0);
  await screenshot(page, 'compare');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a trace this tab no longer has is explained, with a way back', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}?compare=file:gone.json&with=demo`);
  const missing = page.locator('[data-testid=compare-missing]');
  await missing.waitFor({ timeout: 20_000 });
  assert.match(await missing.textContent(), /Open the file again/);
  await page.locator('[data-testid=compare-home]').click();
  await page.locator('[data-testid=open-demo]').waitFor();
  await page.context().close();
});

test('with only the demo open, the compare page opens a file as B, and leads back', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}?trace=demo`);
  await page.locator('h1.trace-name').waitFor({ timeout: 20_000 });
  await page.locator('[data-testid=compare-open]').click();
  await until('the compare page', () => new URL(page.url()).searchParams.get('compare') === 'demo');
  const pick = page.locator('[data-testid=compare-pick]');
  await pick.waitFor();
  // A way back to the trace.
  assert.match(await pick.locator('[data-testid=compare-back]').getAttribute('href'), /trace=demo/);
  await screenshot(page, 'compare-pick');
  // Its own way to open what it needs: a file picked here becomes B.
  const rerun = await rerunOfDemo(page);
  await pick.locator('[data-testid=open-file]').setInputFiles({
    name: 'demo-rerun.json',
    mimeType: 'application/json',
    buffer: Buffer.from(rerun),
  });
  await until('B opened', () => {
    const params = new URL(page.url()).searchParams;
    return params.get('compare') === 'demo' && params.get('with') === 'file:demo-rerun.json';
  });
  await page.locator('tr[data-testid=compare-row]', { hasText: CHANGED_TASK }).waitFor({ timeout: 20_000 });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
