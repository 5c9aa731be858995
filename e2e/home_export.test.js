// The home page's ways in, recent traces (kept in this browser, reopened from the Cache
// API after a reload, forgotten), and export: downloads, re-import, report and link.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, basename } from 'node:path';
import { ROOT, startStaticServer, launchBrowser, newPage, screenshot, SUB_PATH, untilUrl } from './harness.js';

const REAL = join(ROOT, 'tests', 'fixtures', 'real');
// A Langfuse export with a task, tokens and a stated cost: every figure has something to compare.
const TRACE_FILE = join(REAL, 'langfuse-export-crewai-2025-07-11.json');
const OTHER_FILE = join(REAL, 'langfuse-export-pydantic-ai-tools-2025-12-04.json');

/** The step count `stepwise summary` finds in `file`: the same core, natively. */
function cliSteps(file) {
  const out = execFileSync('cargo', ['run', '--quiet', '-p', 'stepwise-cli', '--bin', 'stepwise', '--', 'summary', file], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out)[0].traces[0].summary.steps;
}

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

/** Polls until the page's URL satisfies `predicate` (router pushes are same-document). */
async function home(options = {}) {
  const page = await newPage(browser, options);
  await page.goto(server.url);
  await page.locator('[data-testid=home-drop]').waitFor({ timeout: 20_000 });
  return page;
}

/** Opens `file` through the file input and waits for its trace page. */
async function openFile(page, file) {
  await page.locator('[data-testid=open-file]').first().setInputFiles(file);
  await untilUrl(page, (url) => url.searchParams.get('trace') === `file:${basename(file)}`);
  await page.locator('[data-testid=total-tokens]').waitFor({ timeout: 20_000 });
}

const FIGURES = ['total-tokens', 'prompt-tokens', 'completion-tokens', 'requests', 'cost', 'agents-tasks'];
const figures = async (page) =>
  Object.fromEntries(
    await Promise.all(
      FIGURES.map(async (id) => [id, await page.locator(`[data-testid=${id}] .figure-value`).textContent()]),
    ),
  );

/** Opens the export menu and clicks `item`, returning the download it starts. */
async function exportDownload(page, item) {
  const menu = page.locator('[data-testid=export-menu]');
  if (!(await menu.evaluate((details) => details.open))) await menu.locator('summary').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-testid=${item}]`).click()]);
  return download;
}

test('the home page at the sub-path root shows every way in', async () => {
  const page = await home({ colorScheme: 'light' });
  assert.match(await page.locator('h1').textContent(), /Stepwise/);
  assert.match(await page.locator('.home-tagline').textContent(), /nothing leaves your browser/);
  const drop = await page.locator('[data-testid=home-drop]').textContent();
  assert.match(drop, /Drop trace files here/);
  assert.match(drop, /\.json, \.jsonl, \.json\.gz/);
  assert.match(drop, /paste/);
  assert.equal(await page.locator('[data-testid=home-drop] [data-testid=open-file]').count(), 1);
  assert.equal(await page.locator('[data-testid=open-demo]').getAttribute('href'), '?trace=demo');
  const formats = await page.locator('[data-testid=formats]').textContent();
  for (const name of ['CrewAI', 'OpenTelemetry', 'Langfuse', 'Jaeger', 'LangSmith', 'ATIF', 'Stepwise']) {
    assert.match(formats, new RegExp(name));
  }
  assert.match(await page.locator('[data-testid=recent]').textContent(), /Traces you open are listed here/);
  await screenshot(page, 'home');

  // Open from a URL: the demo's own address, made absolute.
  await page.locator('[data-testid=url-input]').fill(`${server.url}demo/trace.json`);
  await page.locator('[data-testid=url-open]').click();
  await untilUrl(page, (url) => url.searchParams.get('src') === `${server.url}demo/trace.json`);
  assert.equal(new URL(page.url()).pathname, SUB_PATH, 'the sub-path keeps its trailing slash');
  await page.locator('h1.trace-name', { hasText: 'Pricing strategy crew' }).waitFor({ timeout: 20_000 });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the home page on a phone in the dark, and the demo link', async () => {
  const page = await home({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no sideways scrolling at 390 px (page is ${width} px wide)`);
  const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  assert.notEqual(background, 'rgb(246, 247, 249)', 'the dark theme applies');
  await screenshot(page, 'home-phone-dark');
  await page.locator('[data-testid=open-demo]').click();
  await untilUrl(page, (url) => url.searchParams.get('trace') === 'demo');
  assert.equal(new URL(page.url()).pathname, SUB_PATH);
  await page.locator('h1.trace-name', { hasText: 'Pricing strategy crew' }).waitFor({ timeout: 20_000 });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('an opened file is listed in Recent, reopens from the cache after a reload, and is forgotten', async () => {
  const page = await home();
  await openFile(page, TRACE_FILE);
  const name = await page.locator('h1.trace-name').textContent();
  const original = await figures(page);
  await page.goto(server.url);
  const entry = page.locator('[data-testid=recent-entry]', { hasText: name });
  await entry.waitFor();
  const steps = cliSteps(TRACE_FILE);
  assert.match(await entry.locator('[data-testid=recent-figures]').textContent(), new RegExp(`\\b${steps} steps`));
  assert.match(await entry.textContent(), new RegExp(`${original['total-tokens']} tokens`));

  // A reload forgets the page's memory; the list and the file's bytes remain in the browser.
  await page.reload();
  await entry.waitFor();
  await entry.locator('[data-testid=recent-open]').click();
  await untilUrl(page, (url) => url.searchParams.get('trace') === `file:${basename(TRACE_FILE)}`);
  await page.locator('h1.trace-name', { hasText: name }).waitFor();
  assert.deepEqual(await figures(page), original);
  // Reloading the trace's own address also finds the kept copy.
  await page.reload();
  await page.locator('h1.trace-name', { hasText: name }).waitFor({ timeout: 20_000 });
  assert.deepEqual(await figures(page), original, 'a reload of ?trace=file:… reopens it from the cache');

  // Opening another file puts it first; forgetting removes exactly the one asked.
  await openFile(page, OTHER_FILE);
  await page.goto(server.url);
  const entries = page.locator('[data-testid=recent-entry]');
  await entries.nth(1).waitFor();
  assert.equal(await entries.count(), 2);
  assert.match(await entries.first().textContent(), new RegExp(basename(OTHER_FILE)));
  await screenshot(page, 'home-recent');
  await entry.locator('[data-testid=recent-forget]').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=recent-entry]').length === 1);
  await page.reload();
  await entries.first().waitFor();
  assert.equal(await entries.count(), 1, 'the forgotten entry stays forgotten after a reload');
  await page.locator('[data-testid=recent-forget-all]').click();
  await page.locator('.recent-empty').waitFor();
  const cached = await page.evaluate(async () => (await caches.has('stepwise-recent')) && (await (await caches.open('stepwise-recent')).keys()).length);
  assert.ok(!cached, 'Forget all also clears the kept files');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a recent file no longer cached says so plainly (on a phone, dark)', async () => {
  const page = await home({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
  await openFile(page, OTHER_FILE);
  await page.goto(server.url);
  await page.evaluate(() => caches.delete('stepwise-recent'));
  const entry = page.locator('[data-testid=recent-entry]').first();
  await entry.locator('[data-testid=recent-open]').click();
  assert.match(await entry.locator('[role=alert]').textContent(), /no longer kept in this browser/);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no sideways scrolling at 390 px (page is ${width} px wide)`);
  await screenshot(page, 'recent-phone-dark');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('export: as loaded, as Stepwise format (re-imported with the same figures), report and link', async () => {
  const page = await home({ permissions: ['clipboard-read', 'clipboard-write'] });
  await openFile(page, TRACE_FILE);
  const name = await page.locator('h1.trace-name').textContent();
  const original = await figures(page);
  const taskNames = await page.locator('[data-testid=tasks-table] tbody tr th').allTextContents();
  assert.ok(taskNames.length > 0);

  const loaded = await exportDownload(page, 'export-original');
  assert.equal(loaded.suggestedFilename(), basename(TRACE_FILE));
  assert.ok(readFileSync(await loaded.path()).equals(readFileSync(TRACE_FILE)), 'byte-identical to the source');

  const report = await exportDownload(page, 'export-report');
  assert.equal(report.suggestedFilename(), 'langfuse-export-crewai-2025-07-11.report.md');
  // Names are escaped for markdown; read them back without the escapes.
  const text = readFileSync(await report.path(), 'utf8').replaceAll('\\', '');
  assert.ok(text.startsWith(`# ${name}\n`), text.slice(0, 80));
  assert.match(text, new RegExp(`\\| Total tokens \\| ${original['total-tokens']} \\|`));
  assert.match(text, new RegExp(`\\| Requests \\(LLM calls\\) \\| ${original.requests} \\|`));
  for (const task of taskNames) assert.ok(text.includes(`| ${task} |`), `task ${task} in the report`);

  // Copy link: the clipboard gets this view's full address, selection included.
  await page.locator('[data-testid=tasks-table] tbody a').first().click();
  await untilUrl(page, (url) => url.searchParams.has('task'));
  await page.locator('[data-testid=export-menu] > summary').click();
  const link = page.locator('[data-testid=export-link]');
  assert.match(await link.getAttribute('title'), /same file/);
  await screenshot(page, 'export-menu');
  await link.click();
  await page.locator('[data-testid=export-link]', { hasText: 'Link copied' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), page.url());

  const exported = await exportDownload(page, 'export-stepwise');
  assert.equal(exported.suggestedFilename(), 'langfuse-export-crewai-2025-07-11.stepwise.json');
  const document = JSON.parse(readFileSync(await exported.path(), 'utf8'));
  assert.equal(document.format, 'stepwise-trace');
  await page.locator('[data-testid=open-file]').first().setInputFiles({
    name: exported.suggestedFilename(),
    mimeType: 'application/json',
    buffer: readFileSync(await exported.path()),
  });
  await untilUrl(page, (url) => url.searchParams.get('trace') === `file:${exported.suggestedFilename()}`);
  await page.locator('.trace-meta', { hasText: 'Stepwise trace' }).waitFor();
  assert.equal(await page.locator('h1.trace-name').textContent(), name);
  assert.deepEqual(await figures(page), original, 'the re-imported export has the same summary');
  assert.equal(document.trace.steps.length, cliSteps(TRACE_FILE));
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
