// Unknown is not zero (issue 17): a figure the trace does not record, and Stepwise cannot
// derive, reads "—" with the reason, and a sum of known and unknown parts says it is
// partial — on the summary cards, the tasks table, the cost table, the step details and
// the dashboard. Fixtures: tests/fixtures/unknown (built for this), and the real CrewAI
// batch that records only the run's total.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SUB_PATH, startStaticServer, launchBrowser, newPage, screenshot, untilUrl } from './harness.js';

const FIXTURES = join(ROOT, 'tests', 'fixtures');
const UNPRICED = join(FIXTURES, 'unknown', 'unpriced-models.json');
const MIXED = join(FIXTURES, 'unknown', 'mixed-pricing.json');
const CREWAI = join(FIXTURES, 'real', 'crewai-trace-batch-events-v1.6.0.json');

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

// As read on screen: a partial cell's second line joins its value with a space.
const texts = (locator) => locator.evaluateAll((nodes) => nodes.map((n) => n.innerText.trim().replace(/\s+/g, ' ')));

async function openFile(page, file, name) {
  await page.locator('[data-testid=open-file]').first().setInputFiles(file);
  await untilUrl(page, (url) => (url.searchParams.get('trace') ?? '').startsWith('file:'));
  await page.locator('h1.trace-name', { hasText: name }).waitFor({ timeout: 20_000 });
}

async function home() {
  const page = await newPage(browser);
  await page.goto(server.url);
  await page.locator('[data-testid=open-file]').first().waitFor({ timeout: 20_000 });
  return page;
}

const figure = (page, id) => page.locator(`[data-testid=${id}]`);

async function taskCells(page, name) {
  const row = page.locator('[data-testid=tasks-table] tbody tr', { has: page.locator('th', { hasText: name }) });
  const cells = await texts(row.locator('td.num'));
  return { tokens: cells.at(-2), cost: cells.at(-1) };
}

test('models with no known price: the cost is "—" with the reason, never $0', async () => {
  const page = await home();
  await openFile(page, UNPRICED, 'unpriced-models');
  const cost = figure(page, 'cost');
  assert.equal((await cost.locator('.figure-value').textContent()).trim(), '—');
  assert.doesNotMatch(await cost.textContent(), /\$0/);
  const note = await cost.getAttribute('title');
  assert.match(note, /3 LLM calls use models with no known price: model-a, model-b/);
  // Tokens are recorded: they are figures, not unknown.
  assert.equal((await figure(page, 'total-tokens').locator('.figure-value').textContent()).trim(), '690');
  assert.deepEqual(await taskCells(page, 'Gather'), { tokens: '350', cost: '—' });
  // The cost table by agent (in the insights) says "—" as well.
  await page.getByRole('tab', { name: 'Insights' }).click();
  const costTable = page.locator('[data-testid=cost-table]').first();
  await costTable.waitFor({ timeout: 20_000 });
  const cells = await texts(costTable.locator('tbody td.num'));
  assert.ok(cells.includes('—'), cells.join(' | '));
  assert.ok(!cells.some((cell) => /^\$0$/.test(cell)), cells.join(' | '));
  // A call's details say why its cost is unknown.
  await page.locator('a[href*="step=c1"]').first().click();
  const details = page.locator('[data-testid=step-details]');
  await details.waitFor();
  assert.match(await details.textContent(), /no stated cost, and no known price for model-a/);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('priced and unpriced calls mixed: the sums say they are partial', async () => {
  const page = await home();
  await openFile(page, MIXED, 'mixed-pricing');
  const cost = figure(page, 'cost');
  // $0.41 stated + gpt-4o-mini estimated ($0.00021); model-a has no price, c4 no tokens.
  assert.equal((await cost.locator('.figure-value').textContent()).trim(), '$0.41');
  assert.equal((await cost.locator('.figure-missing').textContent()).trim(), '+ 2 calls unpriced');
  assert.match(await cost.getAttribute('title'), /1 LLM call uses models with no known price: model-a; 1 LLM call records no tokens/);
  const tokens = figure(page, 'total-tokens');
  assert.equal((await tokens.locator('.figure-value').textContent()).trim(), '1,880');
  assert.equal((await tokens.locator('.figure-missing').textContent()).trim(), '+ 1 call uncounted');
  assert.deepEqual(await taskCells(page, 'Write'), { tokens: '550 + 1 call uncounted', cost: '$0.41 + 1 call unpriced' });
  await screenshot(page, 'unknown-mixed-summary');
  // The estimated call's details show its cost line by line.
  await page.locator('a[href*="step=c1"]').first().click();
  const lines = page.locator('[data-testid=step-details] [data-testid=cost-lines] li');
  await lines.first().waitFor();
  const [input, output] = await texts(lines);
  assert.match(input, /^1,000 input × \$0\.15\/M = \$0\.000[12]$/);
  assert.match(output, /^100 output × \$0\.6\/M = \$0\.0001$/);

  // The dashboard over both runs keeps the unknown parts.
  await openFile(page, UNPRICED, 'unpriced-models');
  await page.locator('[data-testid=dashboard-link]').click();
  await untilUrl(page, (url) => url.searchParams.get('dashboard') === 'cost');
  const total = page.locator('[data-testid=total-cost]');
  await total.waitFor({ timeout: 20_000 });
  assert.equal((await total.textContent()).trim(), '$0.41 + 5 calls unpriced');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a CrewAI batch with only a run total: prompt and completion are unknown, not 0', async () => {
  const page = await home();
  const batch = JSON.parse(readFileSync(CREWAI, 'utf8'));
  const stated = batch.events.find((e) => e.type === 'crew_kickoff_completed').event_data.total_tokens;
  await page.locator('[data-testid=open-file]').first().setInputFiles(CREWAI);
  await untilUrl(page, (url) => (url.searchParams.get('trace') ?? '').startsWith('file:'));
  const total = figure(page, 'total-tokens');
  await total.waitFor({ timeout: 20_000 });
  assert.equal((await total.locator('.figure-value').textContent()).trim(), String(stated));
  for (const id of ['prompt-tokens', 'completion-tokens', 'cost']) {
    assert.equal((await figure(page, id).locator('.figure-value').textContent()).trim(), '—', id);
  }
  assert.match(await figure(page, 'prompt-tokens').getAttribute('title'), /records only a run total/);
  await page.getByRole('tab', { name: 'Insights' }).click();
  assert.match(
    await page.locator('[data-testid=insights-hogs]').textContent(),
    /This trace records only a run total of tokens/,
  );
  await screenshot(page, 'unknown-crewai-run-total');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
