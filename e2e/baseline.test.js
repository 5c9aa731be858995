// Baselines: runs of one name opened one after another (made here from the demo the app
// ships, with every time and cost scaled), each compared with the median of the others.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SUB_PATH, startStaticServer, launchBrowser, newPage, screenshot, until } from './harness.js';

const NAME = 'Nightly pricing crew';

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

/**
 * The demo renamed, with every time stretched by `scale` from its start and every LLM call
 * given a cost of `scale` times a base (the calls the demo leaves unpriced get $0.001), so a
 * run's duration and cost are the demo's times `scale`.
 */
function variant(demo, name, scale) {
  const document = structuredClone(demo);
  const trace = document.trace;
  trace.name = name;
  trace.id = `${trace.id}-${scale}`;
  const origin = Date.parse(trace.start_time);
  const stretch = (iso) => new Date(origin + (Date.parse(iso) - origin) * scale).toISOString();
  for (const item of [trace, ...trace.tasks, ...trace.steps]) {
    if (item.start_time) item.start_time = stretch(item.start_time);
    if (item.end_time) item.end_time = stretch(item.end_time);
  }
  for (const step of trace.steps.filter((s) => s.kind === 'llm_call')) {
    step.cost_usd = (step.cost_usd ?? 0.001) * scale;
  }
  return JSON.stringify(document);
}

async function open(page, name, text) {
  await page.locator('[data-testid=open-file]').first().setInputFiles({
    name,
    mimeType: 'application/json',
    buffer: Buffer.from(text),
  });
  await until(() => new URL(page.url()).searchParams.get('trace') === `file:${name}`, `${name} shown`);
  await page.locator('[data-testid=duration] .figure-value').waitFor();
}

/** The summary's claims, or [] once the page has settled without any. */
async function claims(page) {
  return page.locator('[data-testid=baseline-claim]').allTextContents();
}

test('runs of one name compare with the median of the others; a unique name shows nothing', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}?trace=demo`);
  await page.locator('h1.trace-name').waitFor({ timeout: 20_000 });
  const demo = await page.evaluate(async () => (await fetch('demo/trace.json')).json());
  // The demo (another name) never counts.
  assert.equal(await page.locator('[data-testid=baseline]').count(), 0, 'the demo alone has no baseline');

  await open(page, 'nightly-1.json', variant(demo, NAME, 1.0));
  await open(page, 'nightly-2.json', variant(demo, `  ${NAME.toUpperCase()} `, 1.2));
  // One other run is not a baseline.
  assert.equal(await page.locator('[data-testid=baseline]').count(), 0, 'one other run: nothing');
  assert.equal(await page.locator('[data-testid=baseline-mark]').count(), 0);

  // 1.4 against 1.0 and 1.2 (median 1.1): 27% slower, 27% costlier; tokens alike.
  await open(page, 'nightly-3.json', variant(demo, NAME, 1.4));
  await page.locator('[data-testid=baseline]').waitFor();
  assert.deepEqual(await claims(page), [
    '27% slower than the median of 2 runs',
    '27% costlier than the median of 2 runs',
    'about as many tokens as the median of 2 runs',
  ]);

  // 0.7 against 1.0, 1.2 and 1.4 (median 1.2): 42% faster and cheaper. The runs open in
  // this tab are also in the recent list: each counts once.
  await open(page, 'nightly-4.json', variant(demo, NAME, 0.7));
  await until(async () => (await claims(page))[0]?.includes('median of 3 runs'), 'three runs');
  const found = await claims(page);
  assert.equal(found[0], '42% faster than the median of 3 runs');
  assert.equal(found[1], '42% cheaper than the median of 3 runs');
  // The demo runs 2 min 01.1 s; times 0.7, 1.0, 1.2 and 1.4.
  const title = await page.locator('[data-testid=baseline-claim]').first().getAttribute('title');
  assert.equal(
    title,
    '42% faster than the median of 3 runs. This run 1 min 25 s; median of 3 runs 2 min 25 s; runs: 2 min 01 s, 2 min 25 s, 2 min 50 s',
  );
  const timeMark = page.locator('[data-testid=duration] [data-testid=baseline-mark]');
  assert.equal(await timeMark.textContent(), '−42% vs usual');
  assert.ok(await timeMark.evaluate((el) => el.classList.contains('baseline-below')));

  // Each task against the task of that name; each agent against its role.
  const row = page.locator('table.tasks tr', { hasText: 'Research the market' });
  assert.equal(await row.locator('[data-testid=baseline-mark]').first().textContent(), '−42%');
  const agent = page.locator('ul.agents li', { hasText: 'Senior Market Researcher' });
  assert.match(await agent.locator('[data-testid=baseline-mark]').first().textContent(), /^time −4[12]%$/);
  await screenshot(page, 'baseline');

  // A name no other run has: nothing at all.
  await open(page, 'one-off.json', variant(demo, 'One-off crew', 3));
  await page.locator('h1.trace-name', { hasText: 'One-off crew' }).waitFor();
  assert.equal(await page.locator('[data-testid=baseline]').count(), 0);
  assert.equal(await page.locator('[data-testid=baseline-mark]').count(), 0);
});
