// The cost dashboard and the agent page (issue 7, items 4 and 5): figures across the
// traces opened in this tab, ranked, each entry linking into its trace; and the API trace
// list's own ranking of its traces.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SUB_PATH, startStaticServer, launchBrowser, newPage, screenshot, untilUrl } from './harness.js';
import { startApiServer } from './api_server.js';

const demoFile = join(ROOT, 'public', 'demo', 'trace.json');
const demo = JSON.parse(readFileSync(demoFile, 'utf8')).trace;
// A real run, read-only: the second trace of the session.
const SAMPLE = join(ROOT, 'tests', 'fixtures', 'real', 'langfuse-export-crewai-2025-07-11.json');
const SAMPLE_NAME = 'crewai-index-trace';

let server;
let api;
let browser;
before(async () => {
  server = await startStaticServer(SUB_PATH);
  api = await startApiServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await api?.stop();
  await server?.stop();
});

const dollars = (text) => Number(text.replace(/[$,]/g, ''));
const texts = (locator) => locator.evaluateAll((nodes) => nodes.map((n) => n.textContent.trim()));

/** The demo's trace page, ready. */
async function openDemo(options = {}) {
  const page = await newPage(browser, options);
  await page.goto(`${server.url}?trace=demo`);
  await page.locator('h1.trace-name', { hasText: demo.name }).waitFor({ timeout: 20_000 });
  return page;
}

/** Opens a file through the header's file input, as a user picks one, and waits for it. */
async function openFile(page, file, name) {
  await page.locator('[data-testid=open-file]').first().setInputFiles(file);
  await untilUrl(page, (url) => (url.searchParams.get('trace') ?? '').startsWith('file:'));
  await page.locator('h1.trace-name', { hasText: name }).waitFor({ timeout: 20_000 });
}

/** The tokens and cost cells of a task's row in the trace page's tasks table. */
async function taskRowFigures(page, name) {
  const row = page.locator('[data-testid=tasks-table] tbody tr', { has: page.locator('th', { hasText: name }) });
  const cells = await texts(row.locator('td.num'));
  return { tokens: cells.at(-2), cost: cells.at(-1) };
}

test('the dashboard ranks tasks, agents and models across two traces and links into them', async () => {
  const page = await openDemo();
  const top = await taskRowFigures(page, 'Compare competitor pricing');
  await openFile(page, SAMPLE, SAMPLE_NAME);

  // In-app navigation: the traces stay in this tab's memory.
  await page.locator('[data-testid=dashboard-link]').click();
  await untilUrl(page, (url) => url.searchParams.get('dashboard') === 'cost');
  await page.locator('[data-testid=top-tasks] [data-testid=rank-item]').first().waitFor();
  assert.equal(await page.locator('[data-testid=total-traces]').textContent(), '2');
  const counted = await texts(page.locator('[data-testid=rollup-traces] a'));
  assert.equal(counted.length, 2);
  assert.ok(counted.some((label) => label.includes(demo.name)), counted.join(' | '));
  assert.ok(counted.some((label) => label.includes(SAMPLE_NAME)), counted.join(' | '));

  const tasks = page.locator('[data-testid=top-tasks] [data-testid=rank-item]');
  const names = await texts(tasks.locator('[data-testid=rank-link]'));
  assert.deepEqual(names.slice(0, 3), ['Compare competitor pricing', 'Research the market', 'Estimate demand']);
  assert.equal(names.length, demo.tasks.length + 1, 'every task of both traces');
  const costs = (await texts(tasks.locator('[data-testid=rank-figure]'))).map(dollars);
  assert.deepEqual(costs, [...costs].sort((a, b) => b - a), 'largest cost first');
  // The same figures as the trace page's tasks table.
  assert.equal(await tasks.first().locator('[data-testid=rank-figure]').textContent(), top.cost);
  assert.match(await tasks.first().textContent(), new RegExp(`${top.tokens} tokens`));
  // The sample's task says which trace it comes from.
  assert.ok((await texts(tasks.locator('.rank-from'))).some((from) => from.includes(SAMPLE_NAME)));
  const agents = await texts(page.locator('[data-testid=top-agents] [data-testid=rank-link]'));
  assert.equal(agents[0], 'Pricing Analyst');
  const models = await texts(page.locator('[data-testid=top-models] [data-testid=rank-link]'));
  assert.equal(models[0], 'claude-3-5-sonnet-20241022');
  await screenshot(page, 'dashboard');

  // By tokens, from the address.
  await page.locator('[data-testid=rank-by-tokens]').click();
  await untilUrl(page, (url) => url.searchParams.get('dashboard') === 'tokens');
  await page.locator('[data-testid=rank-by-tokens].active').waitFor();
  assert.equal(await tasks.first().locator('[data-testid=rank-link]').textContent(), 'Write the launch report');
  await page.locator('[data-testid=rank-by-cost]').click();
  await page.locator('[data-testid=rank-by-cost].active').waitFor();

  // An entry lands in its trace with the task selected.
  await tasks.first().locator('[data-testid=rank-link]').click();
  await untilUrl(page, (url) => url.searchParams.get('trace') === 'demo' && url.searchParams.get('task') === 'task-competitors');
  await page.locator('[data-testid=task-details]', { hasText: 'Compare competitor pricing' }).waitFor({ timeout: 20_000 });

  // At phone width the dashboard still reads.
  await page.setViewportSize({ width: 390, height: 844 });
  // There the details are a drawer over the page: closed first, as a person would.
  await page.locator('[data-testid=task-details] .details-close').click();
  await page.locator('[data-testid=dashboard-link]').click();
  await page.locator('[data-testid=top-tasks] [data-testid=rank-item]').first().waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `no sideways scrolling at 390 px (${overflow} px)`);
  await screenshot(page, 'dashboard-narrow');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the agent page gathers an agent across runs, with totals and its errors', async () => {
  // In the dark theme, to see it read there too.
  const page = await openDemo({ colorScheme: 'dark' });
  // A second run of the same crew: the demo's file, opened as a file.
  await openFile(page, demoFile, demo.name);
  // The agent within one trace links to all its runs.
  await page.locator('a.agent-role', { hasText: 'Fact Checker' }).click();
  await page.locator('[data-testid=agent-details]').waitFor({ timeout: 20_000 });
  await page.locator('[data-testid=agent-all-runs]').click();
  await untilUrl(page, (url) => url.searchParams.get('agent_page') === 'Fact Checker');
  await page.locator('[data-testid=agent-run]').first().waitFor();
  assert.equal(await page.locator('[data-testid=agent-run]').count(), 2, 'the demo and its copy');
  assert.equal(await page.locator('[data-testid=agent-runs]').textContent(), '2');
  const perRun = await page.locator('[data-testid=agent-run]').first().locator('td.num').allTextContents();
  const steps = Number(perRun[0]);
  assert.equal(await page.locator('[data-testid=agent-steps]').textContent(), String(steps * 2));
  assert.equal(await page.locator('[data-testid=agent-errors]').textContent(), '6', 'three failing steps per run');
  assert.equal(await page.locator('[data-testid=agent-error]').count(), 6);
  await screenshot(page, 'agent-page');
  // An error links to its failing step.
  await page.locator('[data-testid=agent-error] a').first().click();
  await untilUrl(page, (url) => url.searchParams.get('step') === 's24');
  await page.locator('[data-testid=step-details]').waitFor({ timeout: 20_000 });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('with no trace open the dashboard says so and opens the demo', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}?dashboard=cost`);
  await page.locator('[data-testid=rollup-empty]').waitFor({ timeout: 20_000 });
  await screenshot(page, 'dashboard-empty');
  await page.locator('[data-testid=rollup-open-demo]').click();
  await page.locator('h1.trace-name', { hasText: demo.name }).waitFor({ timeout: 20_000 });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("an API's trace list ranks its traces by cost and tokens", async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}?api=${encodeURIComponent(`${api.origin}/sw`)}&kind=stepwise`);
  await page.locator('table.trace-list tbody tr').first().waitFor({ timeout: 20_000 });
  await page.locator('[data-testid=list-dashboard] summary').click();
  const items = page.locator('[data-testid=top-traces] [data-testid=rank-item]');
  await items.first().waitFor();
  const costs = (await texts(items.locator('[data-testid=rank-figure]'))).map(dollars);
  assert.ok(costs.length >= 1);
  assert.deepEqual(costs, [...costs].sort((a, b) => b - a));
  await page.getByRole('button', { name: 'Tokens' }).click();
  await page.locator('[data-testid=list-dashboard] .rank-switch-option.active', { hasText: 'Tokens' }).waitFor();
  await screenshot(page, 'dashboard-api-list');
  await items.first().locator('[data-testid=rank-link]').click();
  await untilUrl(page, (url) => url.searchParams.has('id'));
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the dashboard opens more files without leaving, and its Back returns to the trace', async () => {
  const page = await openDemo();
  await page.locator('[data-testid=dashboard-link]').click();
  await untilUrl(page, (url) => url.searchParams.get('dashboard') === 'cost');
  await page.locator('[data-testid=total-traces]').waitFor({ timeout: 20_000 });
  assert.equal(await page.locator('[data-testid=total-traces]').textContent(), '1');
  // Its own Open file…: the file joins the traces counted, and the page stays.
  await page.locator('[data-testid=open-file]').first().setInputFiles(SAMPLE);
  await page.locator('[data-testid=total-traces]', { hasText: '2' }).waitFor({ timeout: 20_000 });
  assert.equal(new URL(page.url()).searchParams.get('dashboard'), 'cost');
  // A way back.
  await page.locator('[data-testid=rollup-back]').click();
  await untilUrl(page, (url) => url.searchParams.get('trace') === 'demo');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
