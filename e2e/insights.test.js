// The insights panel on the demo trace: its failure leads to the failed step, the
// critical path is drawn on the timeline, the cost table sorts and the flame chart draws.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { OUTPUT, SUB_PATH, ROOT, startStaticServer, launchBrowser, newPage, screenshot, untilUrl, countCanvasColour } from './harness.js';

const demo = JSON.parse(readFileSync(join(ROOT, 'public', 'demo', 'trace.json'), 'utf8')).trace;
// src/timeline_draw.rs `critical_path_colour`, light and dark.
const PATH_RGB = { light: [214, 36, 159], dark: [255, 110, 199] };

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

async function open(query = '', options = {}) {
  const page = await newPage(browser, options);
  await page.goto(`${server.url}?trace=demo&view=insights${query.replace(/^\?/, '&')}`);
  await page.locator('[data-testid=insights]').waitFor({ timeout: 20_000 });
  return page;
}

/** A screenshot of one region of the page, into the e2e output folder. */
async function shot(locator, name) {
  mkdirSync(OUTPUT, { recursive: true });
  await locator.screenshot({ path: join(OUTPUT, `${name}.png`) });
}

test('the panel lists the failed task, and its first error opens the failed step', async () => {
  const page = await open();
  const failures = page.locator('[data-testid=insights-failures]');
  const task = failures.locator('[data-testid=failed-task]', { hasText: 'Verify sources' });
  assert.equal(await task.count(), 1);
  assert.match(await task.textContent(), /first error: fetch_url/);
  assert.match(await failures.textContent(), /Tool errors: 3 \(1 recovered\)/);
  // Empty sections say so rather than vanish.
  assert.match(await page.locator('[data-testid=insights-outliers]').textContent(), /No slow outliers\./);
  await screenshot(page, 'insights');
  await task.locator('a.insight-step', { hasText: 'fetch_url' }).click();
  await untilUrl(page, (url) => url.searchParams.get('step') === 's24');
  const details = page.locator('[data-testid=step-details]');
  await details.waitFor();
  assert.equal(await details.locator('h2').first().textContent(), 'fetch_url');
  assert.equal(demo.steps.find((s) => s.id === 's24').name, 'fetch_url');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the critical path is drawn on the timeline when asked for', async () => {
  for (const scheme of ['light', 'dark']) {
    const page = await open('', { colorScheme: scheme });
    // Asked for in the insights, the path shows when the timeline is.
    await page.locator('[data-testid=show-critical-path]').check();
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await untilUrl(page, (url) => !url.searchParams.has('view'));
    const canvas = page.locator('[data-testid=timeline]');
    await canvas.waitFor();
    // The demo's path: research, pricing, then the report (tests/insights.rs).
    await page.waitForFunction(
      () => document.querySelector('[data-testid=timeline]').dataset.criticalPathSteps === '20',
    );
    await page.waitForTimeout(150);
    const painted = await countCanvasColour(page, PATH_RGB[scheme]);
    assert.ok(painted > 200, `${painted} pixels in the path colour`);
    assert.equal(
      await page.locator('[data-testid=timeline-critical-path]').getAttribute('aria-pressed'),
      'true',
      'the timeline toggle shows the same state',
    );
    await shot(page.locator('[data-panel=timeline]'), `insights-critical-path-${scheme}`);
    // The timeline's own toggle hides it again.
    await page.locator('[data-testid=timeline-critical-path]').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid=timeline]').dataset.criticalPathSteps === '0',
    );
    await page.waitForTimeout(150);
    assert.equal(await countCanvasColour(page, PATH_RGB[scheme]), 0, 'no path colour after');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test('the cost table groups and sorts, and the flame chart selects steps', async () => {
  const page = await open();
  const cost = page.locator('[data-testid=insights-cost]');
  const column = (n) =>
    cost.locator('[data-testid=cost-table] tbody tr').evaluateAll(
      (rows, n) => rows.map((row) => row.children[n].textContent),
      n,
    );
  const numbers = (texts) => texts.map((t) => Number(t.replace(/[^0-9.]/g, '')));
  assert.deepEqual(await column(0), ['Pricing Analyst', 'Senior Market Researcher', 'Report Writer', 'Fact Checker']);
  const tokens = cost.locator('thead button', { hasText: 'Tokens' });
  await tokens.click();
  const down = numbers(await column(2));
  assert.deepEqual(down, [...down].sort((a, b) => b - a), 'largest first');
  await tokens.click();
  const up = numbers(await column(2));
  assert.deepEqual(up, [...down].reverse(), 'then smallest first');
  assert.equal(await cost.locator('th[aria-sort=ascending]').count(), 1);

  await cost.locator('[role=tab]', { hasText: 'Tool' }).click();
  await cost.locator('thead button', { hasText: 'Name' }).click();
  assert.deepEqual(await column(0), ['fetch_url', 'pricing_lookup', 'query_customers', 'scrape_website', 'web_search']);

  const nodes = page.locator('[data-testid=flame] .flame-node');
  assert.ok((await nodes.count()) >= 10, `${await nodes.count()} flame nodes`);
  const step = page.locator('[data-testid=flame] .flame-step').first();
  const id = await step.getAttribute('data-step');
  assert.ok(id, 'a step node names its step');
  assert.ok((await step.getAttribute('title')).includes('$'), 'the hover text has the cost');
  await cost.locator('button.segment', { hasText: 'Tokens' }).click();
  assert.match(await page.locator('[data-testid=flame] .flame-trace').getAttribute('title'), /tokens/);
  await shot(cost, 'insights-cost');
  await page.locator(`[data-testid=flame] .flame-step[data-step=${id}]`).click();
  await untilUrl(page, (url) => url.searchParams.get('step') === id);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the panel fits a phone and the dark theme', async () => {
  const phone = await open('', { viewport: { width: 390, height: 844 } });
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no sideways scrolling at 390 px (page is ${width} px wide)`);
  await shot(phone.locator('[data-panel=insights]'), 'insights-phone');
  await phone.context().close();
  const dark = await open('', { colorScheme: 'dark' });
  await shot(dark.locator('[data-panel=insights]'), 'insights-dark');
  assert.deepEqual(dark.problems, []);
  await dark.context().close();
});

test('on LLM calls under an HTTP request span, the critical path follows the calls', async () => {
  // tests/fixtures/jaeger/agent_under_http_request.json: the calls outlive the request
  // span beside a long Redis span; the path and its split are worked out in
  // crates/stepwise-core/tests/critical_path.rs.
  const page = await open();
  await page.locator('[data-testid=open-file]').first().setInputFiles(
    join(ROOT, 'tests', 'fixtures', 'jaeger', 'agent_under_http_request.json'),
  );
  await untilUrl(page, (url) => (url.searchParams.get('trace') ?? '').startsWith('file:'));
  await page.locator('h1.trace-name', { hasText: 'POST /v1/chat' }).waitFor({ timeout: 20_000 });
  await page.getByRole('tab', { name: 'Insights' }).click();
  const card = page.locator('[data-testid=insights-critical-path]');
  await card.locator('[data-testid=time-shares]').nth(1).waitFor({ timeout: 20_000 });
  const along = await card.locator('[data-testid=time-shares]').nth(1).textContent();
  assert.match(along, /LLM 74%/);
  assert.match(along, /tools 20%/);
  assert.match(along, /waiting 6%/);
  const longest = await card.locator('.insight-list li').allTextContents();
  assert.match(longest[0], /chat gpt-4o/);
  assert.ok(!longest.slice(0, 3).some((item) => /redis|HTTP POST/.test(item)), longest.join(' | '));
  await shot(card, 'insights-critical-path-jaeger');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
