// The reader view (issue 18, item 2): the run as one conversation, each block linked to
// its step, its own find, markdown export, and hostile text shown as text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SUB_PATH, startStaticServer, launchBrowser, newPage, dropFiles, untilUrl, until, screenshot } from './harness.js';

const demo = JSON.parse(readFileSync(join(ROOT, 'public', 'demo', 'trace.json'), 'utf8')).trace;

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

const view = (page) => page.locator('[data-testid=reader-view]');

/** The text of every block, scrolling the list from top to bottom: only those in view are drawn. */
async function allBlocksText(page) {
  const seen = new Map();
  const list = page.locator('.reader-scroll');
  for (let top = 0; ; ) {
    for (const [index, text] of await list.evaluate((element) =>
      [...element.querySelectorAll('[data-block]')].map((block) => [block.dataset.block, block.textContent]),
    )) {
      seen.set(Number(index), text);
    }
    const { scrollHeight, clientHeight } = await list.evaluate((element) => ({ scrollHeight: element.scrollHeight, clientHeight: element.clientHeight }));
    if (top + clientHeight >= scrollHeight) break;
    top += clientHeight / 2;
    await list.evaluate((element, y) => { element.scrollTop = y; }, top);
    await page.waitForTimeout(60);
  }
  return [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([, text]) => text);
}

async function openReader(page, query = '') {
  await page.goto(`${server.url}?trace=demo&view=reader${query}`);
  await page.locator('[data-testid=reader-view][data-ready=true]').waitFor({ timeout: 20_000 });
}

test('the demo reads as asks, replies and tool calls with their results', async () => {
  const page = await newPage(browser);
  await openReader(page);
  const all = await allBlocksText(page);
  const text = all.join('\n');
  const research = demo.tasks.find((task) => task.id === 'task-research');
  assert.ok(text.includes(research.description), 'the first agent is asked its task');
  assert.ok(text.includes('I should search for recent pricing-model data first'), 'a model reply');
  assert.ok(text.includes('scrape_website'), 'a tool call');
  assert.ok(text.includes('State of Developer Tool Pricing 2026'), 'a tool result');
  assert.ok(text.includes('hands over to'), 'a handoff');
  assert.ok((await page.locator('.reader-block.kind-error').count()) > 0, 'the error inline');
  // Reasoning is folded until asked for.
  const reasoning = page.locator('.reader-reasoning').first();
  assert.equal(await reasoning.evaluate((details) => details.open), false);
  // Every block is drawn once scrolled to, though only those in view are in the page.
  const count = Number((await page.locator('.reader-count').textContent()).split(' ')[0]);
  assert.equal(all.length, count);
  await screenshot(page, 'reader-demo');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a deep link to a step scrolls its block into view and marks it', async () => {
  const page = await newPage(browser);
  await openReader(page, '&step=s26');
  const block = page.locator('.reader-block.selected');
  await block.waitFor();
  assert.match(await block.textContent(), /ToolUsageError/);
  await until(
    () => block.evaluate((element) => {
      const box = element.getBoundingClientRect();
      const list = element.closest('.reader-scroll').getBoundingClientRect();
      return box.bottom > list.top && box.top < list.bottom;
    }),
    'the selected block in view',
  );
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("a block's link selects its step and the details show it", async () => {
  const page = await newPage(browser);
  await openReader(page);
  const call = page.locator('[data-testid=reader-call]', { hasText: 'scrape_website' }).first();
  await call.locator('a.reader-step-link').first().click();
  await untilUrl(page, (url) => url.searchParams.get('step') === 's08');
  assert.equal(new URL(page.url()).searchParams.get('view'), 'reader', 'the view stays');
  const details = page.locator('[data-testid=step-details]').first();
  await details.waitFor();
  assert.match(await details.textContent(), /scrape_website/);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('find with / counts the matching blocks and scrolls to them', async () => {
  const page = await newPage(browser);
  await openReader(page);
  await page.locator('.reader-scroll').focus();
  await page.keyboard.press('/');
  const input = page.locator('[data-testid=reader-find-input]');
  await until(() => input.evaluate((field) => document.activeElement === field), 'the find box to take focus');
  await input.fill('fetch_url');
  const count = page.locator('[data-testid=reader-find-count]');
  await until(async () => /^1 of \d+$/.test(await count.textContent()), 'a count of matches');
  const total = Number((await count.textContent()).split(' of ')[1]);
  assert.ok(total >= 2, `${total} blocks name fetch_url`);
  await input.press('Enter');
  await until(async () => (await count.textContent()) === `2 of ${total}`, 'the second match');
  const current = page.locator('.reader-block.current');
  await current.waitFor();
  assert.match(await current.textContent(), /fetch_url/i);
  // The current block is in view inside the scrolling list.
  const inView = await current.evaluate((block) => {
    const box = block.getBoundingClientRect();
    const list = block.closest('.reader-scroll').getBoundingClientRect();
    return box.bottom > list.top && box.top < list.bottom;
  });
  assert.ok(inView, 'the match is scrolled into view');
  assert.ok((await page.locator('mark.reader-hit').count()) > 0, 'matches are marked');
  await input.press('Shift+Enter');
  await until(async () => (await count.textContent()) === `1 of ${total}`, 'back to the first');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('Export .md downloads the conversation as markdown', async () => {
  const page = await newPage(browser);
  await openReader(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=reader-export]').click()]);
  assert.match(download.suggestedFilename(), /\.reader\.md$/);
  const text = readFileSync(await download.path(), 'utf8');
  assert.match(text, /^# /);
  assert.ok(text.includes('## Senior Market Researcher was asked · task: Research the market (step s01)'), text.slice(0, 400));
  assert.ok(text.includes('#### `scrape_website` (step s08)'));
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('hostile text in a trace is shown as text in the reader', async () => {
  const page = await newPage(browser);
  page.dialogs = [];
  page.on('dialog', async (dialog) => {
    page.dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  const hostile = JSON.parse(readFileSync(join(ROOT, 'public', 'demo', 'trace.json'), 'utf8'));
  const payload = '<img src=x onerror="window.__pwned = 1"><script>window.__pwned = 2</script>';
  for (const step of hostile.trace.steps) {
    if (step.kind === 'llm_call') step.output = { role: 'assistant', content: `Answer ${payload} [x](javascript:window.__pwned=3)` };
    if (step.kind === 'tool_call') step.input = { query: payload };
  }
  hostile.trace.tasks[0].description = `Research ${payload}`;
  await page.goto(server.url);
  await page.locator('[data-testid=open-file]').first().waitFor({ state: 'attached', timeout: 20_000 });
  await dropFiles(page, [{ name: 'hostile.json', text: JSON.stringify(hostile) }]);
  await page.locator('h1.trace-name').waitFor({ timeout: 30_000 });
  // Switch views inside the page: the dropped file lives in this tab only.
  await page.evaluate(() => {
    const url = new URL(location.href);
    url.searchParams.set('view', 'reader');
    history.pushState(null, '', url);
    dispatchEvent(new PopStateEvent('popstate'));
  });
  await page.locator('[data-testid=reader-view][data-ready=true]').waitFor({ timeout: 20_000 });
  const text = (await allBlocksText(page)).join('\n');
  assert.ok(text.includes('<script>window.__pwned = 2</script>'), 'the payload reads as text');
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await view(page).locator('script, img, a[href^="javascript"]').count(), 0);
  assert.deepEqual(page.dialogs, []);
  await page.context().close();
});
