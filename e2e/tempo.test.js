// Grafana Tempo as a trace API: the search listed newest first, a trace opened through
// /api/v2/traces/{id}, an older Tempo's /api/traces/{id} used when v2 answers 404, a token
// sent only to its base, and a running trace refreshed live.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SUB_PATH, startStaticServer, launchBrowser, newPage, screenshot, until, untilUrl, dropFiles } from './harness.js';
import { startApiServer } from './api_server.js';
import { tempoTraces, TEMPO_TOKEN } from './api_routes.js';

let site;
let api;
let browser;
before(async () => {
  site = await startStaticServer(SUB_PATH);
  api = await startApiServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await api?.stop();
  await site?.stop();
});

const listUrl = (base, extra = '') => `${site.url}?api=${encodeURIComponent(base)}&kind=tempo${extra}`;
const rowIds = (page) => page.locator('table.trace-list tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.id));
const figure = (page, id) => page.locator(`[data-testid=${id}] .figure-value`).textContent();
/** The 404 of the v2 route shows in the console as a failed load; that one is expected. */
const without404 = (problems) => problems.filter((p) => !/404|Failed to load resource/.test(p));

/** The extent of a trace's spans, in ms, from the OTLP it is served as. */
function extentMs(resourceSpans) {
  const spans = resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
  const start = spans.map((s) => BigInt(s.startTimeUnixNano)).reduce((a, b) => (b < a ? b : a));
  const end = spans.map((s) => BigInt(s.endTimeUnixNano ?? s.startTimeUnixNano)).reduce((a, b) => (b > a ? b : a));
  return Number(end - start) / 1e6;
}

test('Tempo: the search is listed newest first, and a trace opens from /api/v2/traces', async () => {
  const page = await newPage(browser);
  const before = api.requests.length;
  await page.goto(listUrl(`${api.origin}/tp`));
  await page.locator('table.trace-list tbody tr').first().waitFor({ timeout: 20_000 });
  const traces = tempoTraces(api.state);
  const newestFirst = [...traces].sort((a, b) => (BigInt(b.listing.startTimeUnixNano) > BigInt(a.listing.startTimeUnixNano) ? 1 : -1));
  assert.deepEqual(await rowIds(page), newestFirst.map((t) => t.id));
  assert.match(await page.locator('.api-where').textContent(), /Grafana Tempo/);

  // The search asked for a day back from now, in Unix seconds.
  const search = api.requests.slice(before).find((r) => r.path === '/tp/api/search');
  const params = new URLSearchParams(search.search);
  const [start, end] = [Number(params.get('start')), Number(params.get('end'))];
  assert.equal(end - start, 86_400);
  assert.ok(Math.abs(end - Date.now() / 1000) < 600, `end ${end} is now`);
  assert.equal(params.get('limit'), '100');

  // A row: the root span's name, the extent; Tempo states no status.
  const multi = traces.find((t) => t.listing.rootTraceName === 'main');
  const row = page.locator(`tr[data-id="${multi.id}"]`);
  assert.equal(await row.locator('a').textContent(), multi.listing.rootTraceName);
  assert.equal(await row.locator('.status').textContent(), 'unknown');
  assert.equal(await row.locator('td.num').first().textContent(), `${multi.listing.durationMs} ms`);
  await screenshot(page, 'tempo-list');

  // The name filter works on Tempo rows as on the others.
  await page.locator('input[name=filter-name]').fill('MAIN');
  await until(async () => (await rowIds(page)).join() === multi.id, 'the name filter');
  await page.locator('input[name=filter-name]').fill('');

  await row.locator('a').click();
  await page.locator('h1.trace-name').waitFor({ timeout: 20_000 });
  const spans = multi.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
  await until(async () => (await page.locator('li.step').count()) === spans.length, 'every span as a step');
  assert.equal(await figure(page, 'steps'), String(spans.length));
  assert.equal(await figure(page, 'duration'), `${extentMs(multi.resourceSpans).toFixed(0)} ms`);
  const paths = api.requests.slice(before).map((r) => r.path);
  assert.ok(paths.includes(`/tp/api/v2/traces/${multi.id}`), 'the v2 route was asked');
  assert.ok(!paths.includes(`/tp/api/traces/${multi.id}`), 'no fallback when v2 answers');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('Tempo: when /api/v2/traces answers 404, the older /api/traces answer opens', async () => {
  const page = await newPage(browser);
  const old = tempoTraces(api.state).find((t) => t.route === 'v1');
  const before = api.requests.length;
  await page.goto(listUrl(`${api.origin}/tp`, `&id=${old.id}`));
  // The loading view has a heading of its own ("Stepwise"): wait for the trace's steps
  // before reading what was asked, or the fallback may not have been asked yet.
  const spans = old.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
  await until(async () => (await page.locator('li.step').count()) === spans.length, 'both spans as steps');
  const asked = api.requests.slice(before).filter((r) => r.path.includes(old.id)).map((r) => r.path);
  assert.deepEqual(asked, [`/tp/api/v2/traces/${old.id}`, `/tp/api/traces/${old.id}`]);
  for (const span of spans) {
    assert.equal(await page.locator('li.step', { hasText: span.name }).count(), 1, span.name);
  }
  assert.equal(await figure(page, 'duration'), `${(extentMs(old.resourceSpans) / 1000).toFixed(1)} s`);
  assert.deepEqual(without404(page.problems), []);
  await page.context().close();

  // A trace neither route holds: the failure names both addresses.
  const missing = await newPage(browser);
  await missing.goto(listUrl(`${api.origin}/tp`, '&id=ffffffffffffffffffffffffffffffff'));
  await missing.locator('[data-testid=load-error]').waitFor({ timeout: 20_000 });
  const message = await missing.locator('[data-testid=load-error]').textContent();
  assert.match(message, /404 Not Found for .*\/tp\/api\/traces\/ffffffffffffffffffffffffffffffff/);
  assert.match(message, /Asked first: .*\/tp\/api\/v2\/traces\/ffffffffffffffffffffffffffffffff, which was not found/);
  await missing.context().close();
});

test('Tempo with a token: entered in the form, sent only under its base', async () => {
  const page = await newPage(browser);
  const base = `${api.origin}/tpauth`;
  await page.goto(site.url);
  await page.locator('select[name=api-kind]').selectOption('tempo');
  await page.locator('input[name=api-base]').fill(base);
  await page.locator('input[name=api-token]').fill(TEMPO_TOKEN);
  const before = api.requests.length;
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.locator('table.trace-list tbody tr').first().waitFor({ timeout: 20_000 });
  assert.equal((await rowIds(page)).length, tempoTraces(api.state).length);
  const sent = api.requests.slice(before).filter((r) => r.method === 'GET');
  assert.ok(sent.some((r) => r.path === '/tpauth/api/search' && r.headers.authorization === `Bearer ${TEMPO_TOKEN}`));
  for (const r of sent.filter((r) => r.headers.authorization)) assert.match(r.path, /^\/tpauth\//);
  for (const r of api.requests) assert.ok(!`${r.path}${r.search}`.includes(TEMPO_TOKEN), 'a token in a URL');
  assert.ok(!(await page.evaluate(() => JSON.stringify({ ...localStorage }))).includes(TEMPO_TOKEN));
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('Tempo: a running trace refreshes itself through the same route', async () => {
  const page = await newPage(browser);
  const live = tempoTraces(api.state).find((t) => t.live);
  const fetches = () => api.requests.filter((r) => r.path === `/tp/api/v2/traces/${live.id}`).length;
  await page.goto(listUrl(`${api.origin}/tp`, `&id=${live.id}&poll_ms=300`));
  await page.locator('[data-testid=live]').waitFor({ timeout: 20_000 });
  assert.equal(await page.locator('h1.trace-name').textContent(), live.listing.rootTraceName);
  const steps = () => page.locator('li.step').count();
  const first = await steps();
  await until(async () => (await steps()) >= first + 2, 'two more spans');
  assert.ok(fetches() >= 3, 'fetched again');
  assert.ok(await page.locator('li.step', { hasText: 'tool lookup 3' }).count() >= 1);
  await screenshot(page, 'tempo-live');
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('button', { name: 'Resume' }).waitFor();
  const paused = fetches();
  await page.waitForTimeout(1_000);
  assert.ok(fetches() <= paused + 1, 'polling stopped');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("Tempo's answers saved to files open by drop, v1 and v2 alike", async () => {
  const v1Text = readFileSync(join(ROOT, 'tests', 'fixtures', 'real', 'tempo-v1-trace-by-id-oats-minimal.json'), 'utf8');
  const v2Text = readFileSync(join(ROOT, 'tests', 'fixtures', 'otlp', 'tempo-v2-trace-by-id.from-docs.json'), 'utf8');
  const spans = JSON.parse(v1Text).batches.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
  for (const [name, text] of [['tempo-v1.json', v1Text], ['tempo-v2.json', v2Text]]) {
    const page = await newPage(browser);
    await page.goto(site.url);
    await page.locator('[data-testid=open-file]').first().waitFor({ state: 'attached', timeout: 20_000 });
    await dropFiles(page, [{ name, text }]);
    await untilUrl(page, (url) => url.searchParams.get('trace') === `file:${name}`, 20_000);
    await until(async () => (await page.locator('[data-testid=steps] .figure-value').count()) === 1, 'the figures');
    assert.equal(await figure(page, 'steps'), String(spans.length), name);
    assert.equal(await figure(page, 'duration'), `${(extentMs(JSON.parse(v1Text).batches) / 1000).toFixed(1)} s`, name);
    for (const span of spans) assert.equal(await page.locator('li.step', { hasText: span.name }).count(), 1, `${name}: ${span.name}`);
    assert.deepEqual(page.problems, [], name);
    await page.context().close();
  }
});
