// Searching the steps of the demo: the count, stepping through matches (selection and
// URL follow), Filter, a bad query explained inline, "/" to focus, and a link that
// reproduces the search.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SUB_PATH, startStaticServer, launchBrowser, newPage, screenshot, countCanvasColour, until as waitUntil } from './harness.js';

const demo = JSON.parse(readFileSync(join(ROOT, 'public', 'demo', 'trace.json'), 'utf8')).trace;
const toolCalls = demo.steps.filter((step) => step.kind === 'tool_call').map((step) => step.id);

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

async function open(query = '') {
  const page = await newPage(browser);
  await page.goto(`${server.url}?trace=demo${query}`);
  await page.locator('[data-testid=search-input]').waitFor({ timeout: 20_000 });
  return page;
}

/** harness.js's `until`, with the description first as this file's calls give it. */
const until = (what, check, timeoutMs) => waitUntil(check, what, timeoutMs);

const status = (page) => page.locator('[data-testid=search-status]');
const selectedStep = (page) => new URL(page.url()).searchParams.get('step');
/** timeline_draw::search_match_colour(Theme::Light). */
const MATCH_RGB = [17, 24, 39];

const statusIs = (page, text) => until(`status "${text}"`, async () => (await status(page).textContent()) === text);

test('a query counts its matches, Next/Enter step through them, Filter narrows the list', async () => {
  const page = await open();
  const allRows = await page.locator('li.step').count();
  await page.locator('[data-testid=search-input]').fill('kind:tool_call');
  await statusIs(page, `${toolCalls.length} matches`);
  await until('q= in the URL', () => new URL(page.url()).searchParams.get('q') === 'kind:tool_call');
  assert.equal(await page.locator('li.step.search-match').count(), toolCalls.length, 'highlighted');
  assert.equal(await page.locator('li.step').count(), allRows, 'highlighting keeps every row');

  await page.locator('[data-testid=search-next]').click();
  await statusIs(page, `1 of ${toolCalls.length}`);
  const first = selectedStep(page);
  assert.ok(toolCalls.includes(first), `${first} is a tool call`);
  assert.equal(await page.locator('li.step[aria-selected=true]').getAttribute('data-step-id'), first);
  assert.equal(new URL(page.url()).searchParams.get('q'), 'kind:tool_call', 'the search stays in the link');

  await page.locator('[data-testid=search-input]').press('Enter');
  await statusIs(page, `2 of ${toolCalls.length}`);
  const second = selectedStep(page);
  assert.notEqual(second, first);
  assert.ok(toolCalls.includes(second));
  await page.locator('[data-testid=search-input]').press('Shift+Enter');
  await statusIs(page, `1 of ${toolCalls.length}`);
  assert.equal(selectedStep(page), first);
  await page.locator('[data-testid=search-prev]').click();
  await statusIs(page, `${toolCalls.length} of ${toolCalls.length}`, 'wraps around');

  await page.locator('[data-testid=search-filter]').click();
  const filtered = await until('fewer rows', async () => {
    const rows = await page.locator('li.step').count();
    return rows < allRows && rows;
  });
  assert.ok(filtered >= toolCalls.length, 'the matches stay, with their ancestors');
  await until('qmode=filter in the URL', () => new URL(page.url()).searchParams.get('qmode') === 'filter');
  // The link reproduces the filtered list.
  const copy = await open(`&q=kind%3Atool_call&qmode=filter`);
  await until('the copy filtered', async () => (await copy.locator('li.step').count()) === filtered);
  assert.equal(await copy.locator('[data-testid=search-filter]').getAttribute('aria-pressed'), 'true');
  await copy.context().close();
  const shown = await page.locator('li.step').evaluateAll((rows) => rows.map((row) => row.dataset.stepId));
  for (const id of toolCalls) assert.ok(shown.includes(id), `${id} listed`);
  await screenshot(page, 'search');
  await page.locator('[data-testid=search-highlight]').click();
  await until('all rows back', async () => (await page.locator('li.step').count()) === allRows);
  assert.equal(new URL(page.url()).searchParams.get('qmode'), null, 'Highlight is the default, not written');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a bad query is explained inline, "/" focuses the box, and a link reproduces a search', async () => {
  const page = await open('&q=status%3Afailed');
  await statusIs(page, '4 matches');
  assert.equal(await page.locator('[data-testid=search-input]').inputValue(), 'status:failed');

  await page.locator('[data-testid=search-input]').fill('dur>abc');
  const message = await until('an error', async () => {
    const text = await status(page).textContent();
    return /duration/.test(text) && text;
  });
  assert.match(message, /Unknown duration unit "abc"/);
  assert.equal(await status(page).getAttribute('role'), 'status');
  assert.ok(await status(page).evaluate((el) => el.classList.contains('error')));
  assert.equal(await page.locator('li.step.search-match').count(), 0);
  assert.ok(await page.locator('[data-testid=search-next]').isDisabled());
  await screenshot(page, 'search-error');

  await page.locator('[data-testid=search-input]').press('Escape');
  await until('an empty box', async () => (await page.locator('[data-testid=search-input]').inputValue()) === '');
  await page.locator('h1.trace-name').click();
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'step-search');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the matches are marked on the timeline while a query is set', async () => {
  const page = await open();
  const canvas = page.locator('[data-testid=timeline]');
  await canvas.waitFor();
  await page.waitForTimeout(150);
  assert.equal(await canvas.getAttribute('data-search-match-steps'), '0');
  assert.equal(await countCanvasColour(page, MATCH_RGB), 0, 'no match colour before a query');
  assert.equal(await page.locator('[data-testid=legend-search-matches]').count(), 0);

  await page.locator('[data-testid=search-input]').fill('kind:tool_call');
  await statusIs(page, `${toolCalls.length} matches`);
  const marked = Number(
    await until('marks on the timeline', async () => {
      const n = await canvas.getAttribute('data-search-match-steps');
      return n !== '0' && n;
    }),
  );
  assert.ok(marked > 0 && marked <= toolCalls.length, `${marked} of ${toolCalls.length} tool calls marked`);
  await page.waitForTimeout(150);
  const painted = await countCanvasColour(page, MATCH_RGB);
  assert.ok(painted > 50, `${painted} pixels in the match colour`);
  assert.match(await page.locator('[data-testid=legend-search-matches]').textContent(), /search matches/);
  await screenshot(page, 'search-timeline');

  // A narrower query marks fewer steps; clearing it removes the marks.
  await page.locator('[data-testid=search-input]').fill('kind:tool_call status:failed');
  await until('fewer marks', async () => Number(await canvas.getAttribute('data-search-match-steps')) < marked);
  await page.locator('[data-testid=search-input]').fill('');
  await until('no marks', async () => (await canvas.getAttribute('data-search-match-steps')) === '0');
  await page.waitForTimeout(150);
  assert.equal(await countCanvasColour(page, MATCH_RGB), 0, 'the marks go with the query');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
