// Share as one HTML file: built from the export menu with its size shown first, then
// opened from file:// with the network cut off, under its own strict policy: the totals,
// the timeline and a step's details show, and the page asks for nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, startStaticServer, launchBrowser, newPage, screenshot, SUB_PATH, until } from './harness.js';

const demo = JSON.parse(readFileSync(join(ROOT, 'public', 'demo', 'trace.json'), 'utf8')).trace;
const FIGURES = ['total-tokens', 'prompt-tokens', 'completion-tokens', 'requests', 'cost', 'agents-tasks'];
const figures = async (page) =>
  Object.fromEntries(
    await Promise.all(
      FIGURES.map(async (id) => [id, await page.locator(`[data-testid=${id}] .figure-value`).textContent()]),
    ),
  );

let server;
let browser;
let dir;
before(async () => {
  server = await startStaticServer(SUB_PATH);
  browser = await launchBrowser();
  dir = mkdtempSync(join(tmpdir(), 'stepwise-share-'));
});
after(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Builds the shareable page of the page's trace and view, and saves it; returns its path and the size shown. */
async function share(page, name) {
  const menu = page.locator('[data-testid=export-menu]');
  if (!(await menu.evaluate((details) => details.open))) await menu.locator('summary').click();
  await page.locator('[data-testid=export-share]').click();
  const ready = page.locator('[data-testid=share-ready]');
  await ready.waitFor({ timeout: 30_000 });
  const shownBytes = Number(await ready.locator('[data-testid=share-size]').getAttribute('data-bytes'));
  const [download] = await Promise.all([page.waitForEvent('download'), ready.locator('[data-testid=share-download]').click()]);
  const path = join(dir, name);
  await download.saveAs(path);
  return { path, shownBytes, suggested: download.suggestedFilename() };
}

/** Opens a saved page from disk in a fresh context that has no network. */
async function openOffline(path) {
  const page = await newPage(browser);
  await page.context().setOffline(true);
  page.requests = [];
  page.on('request', (request) => page.requests.push(request.url()));
  await page.goto(pathToFileURL(path).href);
  await page.locator('[data-testid=total-tokens]').waitFor({ timeout: 30_000 });
  return page;
}

test('a shared page opens from file:// with no network: totals, timeline and a step', async () => {
  const step = demo.steps.find((s) => s.kind === 'llm_call');
  const page = await newPage(browser);
  await page.goto(`${server.url}?trace=demo&step=${encodeURIComponent(step.id)}`);
  await page.locator('[data-testid=step-details]').waitFor({ timeout: 20_000 });
  // An annotation of the sharer's goes with the page.
  await page.locator('[data-testid=annotate-step]').click();
  await page.locator('[data-testid=note-label]').fill('retry storm starts here');
  await page.locator('[data-testid=note-text]').fill('three timeouts in a row');
  await page.locator('[data-testid=note-save]').click();
  await page.locator('[data-testid=step-notes] [data-testid=note-item]').first().waitFor();
  const before = await figures(page);
  const { path, shownBytes, suggested } = await share(page, 'demo.share.html');
  assert.equal(suggested, 'demo-trace.share.html');
  assert.equal(statSync(path).size, shownBytes, 'the size shown is the size downloaded');
  assert.ok(shownBytes < 4 * 1024 * 1024, `one file of a few MB at most (${shownBytes} bytes)`);
  const html = readFileSync(path, 'utf8');
  assert.ok(!html.includes(server.origin), 'the page names no server');
  assert.match(html, /connect-src 'none'/);
  assert.deepEqual(page.problems, []);
  await page.context().close();

  const shared = await openOffline(path);
  // The same figures, the sharer's view (the step selected), and where it came from.
  assert.deepEqual(await figures(shared), before);
  const details = shared.locator('[data-testid=step-details]');
  await details.waitFor();
  assert.match(await details.textContent(), new RegExp(step.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  // The sharer's annotation is there, on the step and in the timeline, and cannot be edited.
  assert.match(await shared.locator('[data-testid=step-notes]').textContent(), /retry storm starts here/);
  assert.ok((await shared.locator('[data-testid=timeline-note]').count()) >= 1, 'the timeline shows the note');
  assert.equal(await shared.locator('[data-testid=annotate-step]').count(), 0, 'read-only: no annotating');
  assert.equal(await shared.locator('[data-testid=note-delete]').count(), 0, 'read-only: no deleting');
  const banner = await shared.locator('[data-testid=share-banner]').textContent();
  assert.match(banner, /Shared trace/);
  assert.match(banner, /read-only/);
  assert.match(banner, /from Stepwise's demo trace/);
  // The timeline drew bars: some pixels are neither the background nor transparent.
  await until(
    () =>
      shared.locator('[data-testid=timeline]').evaluate((canvas) => {
        const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
        const colours = new Set();
        for (let i = 0; i < data.length; i += 16) colours.add(`${data[i]},${data[i + 1]},${data[i + 2]},${data[i + 3]}`);
        return colours.size > 4;
      }),
    'the timeline to draw',
  );
  // Read-only: nothing to import or download as loaded, no link to copy, nothing to share again.
  await shared.locator('[data-testid=export-menu] summary').click();
  assert.equal(await shared.locator('[data-testid=export-original]').count(), 0);
  assert.equal(await shared.locator('[data-testid=export-link]').count(), 0);
  assert.equal(await shared.locator('[data-testid=export-share]').count(), 0);
  // Nothing was asked of any network: only the file itself (and in-page data).
  const outside = shared.requests.filter((url) => !/^(file|data|blob):/.test(url));
  assert.deepEqual(outside, []);
  assert.deepEqual(shared.problems, []);
  await screenshot(shared, 'share-offline');
  await shared.context().close();
});

test('a shared page says when it is damaged', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}?trace=demo`);
  await page.locator('[data-testid=total-tokens]').waitFor({ timeout: 20_000 });
  const { path } = await share(page, 'cut.share.html');
  await page.context().close();
  // Cut the trace's block short: its gzip no longer ends.
  const html = readFileSync(path, 'utf8');
  const start = html.indexOf('id="stepwise-trace">') + 'id="stepwise-trace">'.length;
  const cut = html.slice(0, start + 40) + html.slice(html.indexOf('</script>', start));
  const cutPath = join(dir, 'cut-short.share.html');
  (await import('node:fs')).writeFileSync(cutPath, cut);
  const broken = await newPage(browser);
  await broken.context().setOffline(true);
  await broken.goto(pathToFileURL(cutPath).href);
  const alert = broken.locator('[role=alert]');
  await alert.first().waitFor({ timeout: 20_000 });
  assert.match(await alert.first().textContent(), /could not be shown|cannot be shown/);
  await broken.context().close();
});

test('a 10k-step trace shares in one file of a few MB', async () => {
  // The debug build: the test command's `cargo test` has just built it, so nothing compiles here.
  const synth = execFileSync('cargo', ['run', '--quiet', '--locked', '-p', 'stepwise-cli', '--bin', 'stepwise', '--', 'synth', '--steps', '10000'], {
    cwd: ROOT,
    maxBuffer: 256 * 1024 * 1024,
  });
  const file = join(dir, 'synth-10000.json');
  writeFileSync(file, synth);
  const page = await newPage(browser);
  await page.goto(server.url);
  await page.locator('[data-testid=open-file]').first().setInputFiles(file);
  await page.locator('[data-testid=total-tokens]').waitFor({ timeout: 60_000 });
  const { path, shownBytes } = await share(page, 'synth.share.html');
  await page.context().close();
  // BENCHMARKS.md quotes this line.
  console.log(`share size: 10,000 steps (${synth.length} bytes of JSON) → ${shownBytes} bytes in one file`);
  assert.ok(shownBytes <= 5 * 1024 * 1024, `at most a few MB (${shownBytes} bytes)`);
  const shared = await openOffline(path);
  assert.match(await shared.locator('[data-testid=requests] .figure-value').textContent(), /\d/);
  assert.deepEqual(shared.problems, []);
  await shared.context().close();
});
