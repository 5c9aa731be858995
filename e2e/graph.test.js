// The agent graph (issue 18, item 1): open the demo's graph, read its nodes, click one to
// select its step, switch to the expanded graph and back, deep-link a step, go back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SUB_PATH, startStaticServer, launchBrowser, newPage, untilUrl } from './harness.js';

const demo = JSON.parse(readFileSync(join(ROOT, 'public', 'demo', 'trace.json'), 'utf8')).trace;
const searches = demo.steps.filter((step) => step.kind === 'tool_call' && step.name === 'web_search');

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

const graph = (page) => page.locator('[data-testid=agent-graph][data-ready=true]');
const node = (page, kind, label) => page.locator(`.graph-node[data-kind=${kind}]`).filter({ hasText: label });

/** Opens the graph: by its tab when the page has one, else by the URL alone. */
async function openGraph(page, query = '') {
  await page.goto(`${server.url}?trace=demo${query}`);
  const tab = page.getByRole('tab', { name: 'Graph' });
  if (await tab.count()) {
    await tab.first().click();
    await untilUrl(page, (url) => url.searchParams.get('view') === 'graph');
  } else {
    await page.goto(`${server.url}?trace=demo&view=graph${query}`);
  }
  await graph(page).waitFor({ timeout: 20_000 });
}

test('the aggregated graph shows the demo agents, tools and models with their counts', async () => {
  const page = await newPage(browser);
  await openGraph(page);
  for (const agent of demo.agents) {
    // Long names are cut to fit the node: the start of the name is enough.
    assert.equal(await node(page, 'agent', agent.role.slice(0, 16)).count(), 1, agent.role);
  }
  const search = node(page, 'tool', 'web_search');
  assert.equal(await search.count(), 1, 'one node for every web_search call');
  assert.match(await search.textContent(), new RegExp(`${searches.length} calls`));
  assert.ok(await page.locator('.graph-node.has-errors').count() > 0, 'failed calls in red');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('clicking a node selects its first call; Back returns', async () => {
  const page = await newPage(browser);
  await openGraph(page);
  const before = page.url();
  await node(page, 'tool', 'web_search').click();
  await untilUrl(page, (url) => url.searchParams.get('step') === searches[0].id);
  await page.locator('[data-testid=step-details]').filter({ hasText: 'web_search' }).waitFor();
  assert.match(await node(page, 'tool', 'web_search').getAttribute('class'), /selected/);
  // The node's other calls, one by one.
  await page.getByRole('button', { name: 'Next call' }).click();
  await untilUrl(page, (url) => url.searchParams.get('step') === searches[1].id);
  await page.goBack();
  await page.goBack();
  await untilUrl(page, (url) => url.searchParams.get('step') === null);
  assert.equal(page.url(), before);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the expanded graph has one node per call and lives in the URL', async () => {
  const page = await newPage(browser);
  await openGraph(page);
  const aggregated = await page.locator('.graph-node').count();
  await page.getByRole('button', { name: 'Expanded' }).click();
  await untilUrl(page, (url) => url.searchParams.get('graph') === 'expanded');
  await page.waitForFunction((n) => document.querySelectorAll('.graph-node').length > n, aggregated);
  assert.equal(await node(page, 'tool', 'web_search').count(), searches.length);
  await page.getByRole('button', { name: 'Aggregated' }).click();
  await untilUrl(page, (url) => url.searchParams.get('graph') === null);
  await page.waitForFunction((n) => document.querySelectorAll('.graph-node').length === n, aggregated);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a link to a step highlights the node holding it; Enter on a node selects it', async () => {
  const page = await newPage(browser);
  const scrape = demo.steps.find((step) => step.name === 'scrape_website' && step.kind === 'tool_call');
  await page.goto(`${server.url}?trace=demo&view=graph&step=${scrape.id}`);
  await graph(page).waitFor({ timeout: 20_000 });
  const scrapeNode = node(page, 'tool', 'scrape_website');
  await page.waitForFunction(() => document.querySelector('.graph-node.selected') !== null);
  assert.match(await scrapeNode.getAttribute('class'), /selected/);
  const fetch = node(page, 'tool', 'fetch_url');
  await fetch.focus();
  await page.keyboard.press('Enter');
  const firstFetch = demo.steps.find((step) => step.name === 'fetch_url' && step.kind === 'tool_call');
  await untilUrl(page, (url) => url.searchParams.get('step') === firstFetch.id);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
