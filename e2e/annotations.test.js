// Annotations and saved views: a step annotated in its details shows in the panel, the
// step list, the timeline and the graph; it survives a reload (this browser's storage) and
// an own-format export reopened; the original file is untouched. A saved view comes back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startStaticServer, launchBrowser, newPage, SUB_PATH, until, untilUrl } from './harness.js';

const DEMO_FILE = join(ROOT, 'public', 'demo', 'trace.json');
const FILE_NAME = 'annotated-run.json';
const STEP = 's04';
const LABEL = 'retry storm starts here';
const NOTE = 'three web searches for the same thing <b>in a row</b>';

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

/** Opens `buffer` as a file named `name` from the home page and waits for its trace page. */
async function openFile(page, name, buffer) {
  await page.goto(server.url);
  await page.locator('[data-testid=home-drop]').waitFor({ timeout: 20_000 });
  await page.locator('[data-testid=open-file]').first().setInputFiles({ name, mimeType: 'application/json', buffer });
  await untilUrl(page, (url) => url.searchParams.get('trace') === `file:${name}`);
  await page.locator('[data-testid=step-list]').waitFor({ timeout: 20_000 });
}

async function exportDownload(page, item) {
  const menu = page.locator('[data-testid=export-menu]');
  if (!(await menu.evaluate((details) => details.open))) await menu.locator('summary').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-testid=${item}]`).click()]);
  return download;
}

const panelLabels = (page) => page.locator('[data-testid=annotation-list] [data-testid=note-item] .note-label').allTextContents();

test('annotate a step: panel, step list, timeline and graph; kept after a reload and in the export', async () => {
  const page = await newPage(browser, { colorScheme: 'light', acceptDownloads: true });
  const original = readFileSync(DEMO_FILE);
  await openFile(page, FILE_NAME, original);
  await page.locator('[data-testid=annotations]').waitFor();
  assert.equal(await page.locator('[data-testid=annotation-list] [data-testid=note-item]').count(), 0);

  // Select a step in the list, then `a` opens the form in its details.
  await page.locator(`li.step[data-step-id=${STEP}] a`).click();
  await page.locator('[data-testid=step-details]').waitFor();
  await page.keyboard.press('a');
  const form = page.locator('[data-testid=step-details] [data-testid=note-form]');
  await form.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'note-label', 'the label has focus');
  assert.equal(await form.locator('[data-testid=note-label]').inputValue(), '', 'the key did not land in the field');
  // Esc cancels, and nothing is saved.
  await page.keyboard.press('Escape');
  await form.waitFor({ state: 'detached' });
  assert.equal(await page.locator('[data-testid=step-details]').count(), 1, 'Esc in the form keeps the details open');
  await page.locator('[data-testid=annotate-step]').click();
  await form.locator('[data-testid=note-label]').fill(LABEL);
  await form.locator('[data-testid=note-text]').fill(NOTE);
  await form.locator('[data-testid=note-text]').press('Enter');
  await form.waitFor({ state: 'detached' });

  // In the details, the panel, the step list, the timeline and the graph.
  assert.match(await page.locator('[data-testid=step-notes] [data-testid=note-item]').textContent(), new RegExp(LABEL));
  assert.deepEqual(await panelLabels(page), [LABEL]);
  const item = page.locator('[data-testid=annotation-list] [data-testid=note-item]').first();
  assert.match(await item.textContent(), /Step: web_search/);
  // The note is text, never markup.
  assert.equal(await item.locator('.note-text').textContent(), NOTE);
  assert.equal(await item.locator('.note-text b').count(), 0);
  const badge = page.locator(`li.step[data-step-id=${STEP}] [data-testid=step-note-badge]`);
  assert.equal(await badge.getAttribute('title'), LABEL);
  assert.equal(await page.locator('[data-testid=step-note-badge]').count(), 1, 'only the annotated row has a badge');
  const flag = page.locator('[data-testid=timeline-note][data-note-kind=step]');
  assert.equal(await flag.textContent(), LABEL);
  const canvas = await page.locator('[data-testid=timeline]').boundingBox();
  const flagBox = await flag.boundingBox();
  assert.ok(flagBox.x >= canvas.x && flagBox.x <= canvas.x + canvas.width, 'the flag is over the chart');

  // A range: the visible range of a zoomed timeline, as a band once zoomed out.
  await page.locator('.timeline-panel button[aria-label="Zoom in"]').click();
  await page.locator('.timeline-panel button[aria-label="Zoom in"]').click();
  await untilUrl(page, (url) => url.searchParams.has('from'));
  await page.locator('[data-testid=annotate-range]').click();
  const rangeForm = page.locator('[data-testid=annotations] [data-testid=note-form]');
  await rangeForm.locator('[data-testid=note-label]').fill('slow patch');
  await rangeForm.locator('[data-testid=note-label]').press('Enter');
  await rangeForm.waitFor({ state: 'detached' });
  assert.deepEqual(await panelLabels(page), [LABEL, 'slow patch']);
  const band = page.locator('[data-testid=timeline-note][data-note-kind=range]');
  assert.equal(await band.textContent(), 'slow patch');
  await page.locator('.timeline-panel .timeline-reset').click();
  await untilUrl(page, (url) => !url.searchParams.has('from'));
  await until(async () => (await band.boundingBox()).width < canvas.width / 2, 'the band narrows to its range');

  mkdirSync(join(ROOT, 'docs', 'screenshots'), { recursive: true });
  await page.locator('[data-testid=annotation-list] [data-testid=note-go]').first().click();
  await page.locator(`li.step[data-step-id=${STEP}][aria-selected=true]`).waitFor();
  const dismiss = page.getByRole('button', { name: 'Dismiss' });
  if (await dismiss.count()) await dismiss.first().click();
  // The timeline, the steps and the panel: down to the panel's bottom.
  const shot = async (name) => {
    const panel = await page.locator('[data-panel=annotations]').boundingBox();
    const scrollY = await page.evaluate(() => window.scrollY);
    await page.screenshot({
      path: join(ROOT, 'docs', 'screenshots', name),
      fullPage: true,
      clip: { x: 0, y: 0, width: 1280, height: panel.y + scrollY + panel.height + 12 },
    });
  };
  await shot('annotations.png');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot('annotations-dark.png');
  await page.emulateMedia({ colorScheme: 'light' });

  await page.keyboard.press('2');
  await page.locator('[data-testid=agent-graph][data-ready=true]').waitFor();
  assert.ok((await page.locator('[data-testid=graph-note-badge]').count()) >= 1, 'a graph node is pinned');
  assert.match(await page.locator('[data-testid=graph-note-badge] title').first().textContent(), new RegExp(LABEL));
  await page.keyboard.press('1');

  // A reload of the recent trace keeps them (this browser's storage).
  await page.reload();
  await page.locator('[data-testid=annotation-list]').waitFor({ timeout: 20_000 });
  assert.deepEqual(await panelLabels(page), [LABEL, 'slow patch'], 'kept after a reload');

  // The file as loaded is the file as it was: notes are never written into it.
  const loaded = await exportDownload(page, 'export-original');
  assert.ok(readFileSync(await loaded.path()).equals(original), 'the original is byte-identical');

  // The own-format export carries them; reopened, they are back.
  const exported = await exportDownload(page, 'export-stepwise');
  const document = JSON.parse(readFileSync(await exported.path(), 'utf8'));
  assert.deepEqual(document.trace.annotations.map((a) => a.label), [LABEL, 'slow patch']);
  assert.deepEqual(document.trace.annotations[0].target, { step_id: STEP });
  assert.equal(document.trace.annotations[0].note, NOTE);
  assert.deepEqual(Object.keys(document.trace.annotations[1].target).sort(), ['end_ns', 'start_ns']);
  const other = await newPage(browser, { colorScheme: 'light' });
  await openFile(other, exported.suggestedFilename(), readFileSync(await exported.path()));
  await other.locator('[data-testid=annotation-list] [data-testid=note-item]').first().waitFor();
  assert.deepEqual(await panelLabels(other), [LABEL, 'slow patch'], 'the export reopened has them');
  assert.equal(await other.locator(`li.step[data-step-id=${STEP}] [data-testid=step-note-badge]`).count(), 1);

  // Deleting one here keeps it deleted after a reload, though the file still holds it.
  await other.locator('[data-testid=annotation-list] [data-testid=note-item]', { hasText: 'slow patch' })
    .locator('[data-testid=note-delete]').click();
  assert.deepEqual(await panelLabels(other), [LABEL]);
  await other.reload();
  await other.locator('[data-testid=annotation-list] [data-testid=note-item]').first().waitFor({ timeout: 20_000 });
  assert.deepEqual(await panelLabels(other), [LABEL]);
  assert.deepEqual(page.problems, []);
  assert.deepEqual(other.problems, []);
  await other.context().close();
  await page.context().close();
});

test('a saved view comes back when applied, and its link opens it', async () => {
  const page = await newPage(browser, { colorScheme: 'light' });
  await openFile(page, 'views-run.json', readFileSync(DEMO_FILE));
  await page.locator(`li.step[data-step-id=s03] a`).click();
  await page.keyboard.press('2');
  await untilUrl(page, (url) => url.searchParams.get('view') === 'graph');
  await page.locator('[data-testid=save-view]').click();
  await page.locator('[data-testid=view-name]').fill('the model call in the graph');
  await page.locator('[data-testid=view-name]').press('Enter');
  const item = page.locator('[data-testid=view-item]');
  await item.waitFor();
  assert.match(await item.textContent(), /the model call in the graph/);

  // Change the view, then apply the saved one.
  await page.keyboard.press('1');
  await page.locator(`li.step[data-step-id=s06] a`).click();
  await untilUrl(page, (url) => url.searchParams.get('step') === 's06' && !url.searchParams.has('view'));
  await item.locator('[data-testid=view-apply]').click();
  await untilUrl(page, (url) => url.searchParams.get('step') === 's03' && url.searchParams.get('view') === 'graph');
  assert.equal(new URL(page.url()).searchParams.get('trace'), 'file:views-run.json', 'the source is the page\'s');
  await page.locator('[data-testid=agent-graph]').waitFor();

  // Kept with the annotations after a reload; delete removes it.
  await page.reload();
  await page.locator('[data-testid=view-item]').waitFor({ timeout: 20_000 });
  await page.locator('[data-testid=view-delete]').click();
  await page.locator('[data-testid=view-item]').waitFor({ state: 'detached' });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
