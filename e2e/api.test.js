// Connecting to trace APIs: the trace list of Stepwise's contract, a Langfuse-shaped and a
// Jaeger-shaped API (sorted, filtered, opened), where credentials go, failures explained,
// and live refresh of a running trace.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SUB_PATH, startStaticServer, launchBrowser, newPage, screenshot, until } from './harness.js';
import { startApiServer } from './api_server.js';
import { LANGFUSE_KEYS, stepwiseTraces, langfuseTraces, jaegerTraces } from './api_routes.js';

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

/** Polls `check` (an async function returning truthy) until it holds. */
const listUrl = (base, kind, extra = '') =>
  `${site.url}?api=${encodeURIComponent(base)}&kind=${kind}${extra}`;

/** Opens an API's trace list and waits for its rows (or its error). */
async function openList(base, kind, { extra = '', options = {}, page } = {}) {
  page = page ?? (await newPage(browser, options));
  await page.goto(listUrl(base, kind, extra));
  await page.locator('table.trace-list tbody tr, .api-list-error').first().waitFor({ timeout: 20_000 });
  return page;
}

const rowIds = (page) => page.locator('table.trace-list tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.id));
const newestFirst = (items, time) => [...items].sort((a, b) => time(b) - time(a));

/** Enters the Langfuse key pair through the form on the home page, then connects. */
async function connectLangfuse(page, base) {
  await page.goto(site.url);
  await page.locator('input[name=api-base]').fill(base);
  await page.locator('select[name=api-kind]').selectOption('langfuse');
  await page.locator('input[name=api-public-key]').fill(LANGFUSE_KEYS.publicKey);
  await page.locator('input[name=api-secret-key]').fill(LANGFUSE_KEYS.secretKey);
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.locator('table.trace-list tbody tr').first().waitFor({ timeout: 20_000 });
}

test("Stepwise's contract: listed newest first, filtered, and opened", async () => {
  const page = await openList(`${api.origin}/sw`, 'stepwise');
  const expected = newestFirst(stepwiseTraces(api.state).map((t) => t.listing), (l) => Date.parse(l.start_time));
  assert.deepEqual(await rowIds(page), expected.map((l) => l.id));
  assert.deepEqual(await rowIds(page), ['live', 'nightly-eval', 'demo-pricing-crew-2026-11-02', 'support-triage']);
  const nightly = page.locator('tr[data-id=nightly-eval]');
  assert.equal(await nightly.locator('.status').textContent(), 'failed');
  assert.equal(await nightly.locator('td.started').textContent(), '2026-11-03 22:00:00 UTC');
  const listing = expected.find((l) => l.id === 'nightly-eval');
  const seconds = (Date.parse(listing.end_time) - Date.parse(listing.start_time)) / 1000;
  assert.deepEqual(await nightly.locator('td.num').allTextContents(), [
    `${seconds.toFixed(1)} s`,
    listing.total_tokens.toLocaleString('en-US'),
    `$${listing.cost_usd.toFixed(4)}`,
  ]);
  await screenshot(page, 'trace-list');

  // Filter by name (any case), then by status.
  await page.locator('input[name=filter-name]').fill('TRIAGE');
  assert.deepEqual(await until(async () => {
    const ids = await rowIds(page);
    return ids.length === 1 && ids;
  }, 'the name filter'), ['support-triage']);
  await page.locator('input[name=filter-name]').fill('');
  await page.locator('select[name=filter-status]').selectOption('running');
  await until(async () => (await rowIds(page)).join() === 'live', 'the status filter');
  assert.match(await page.locator('.list-count').textContent(), /^1 of 4 traces/);
  await page.locator('select[name=filter-status]').selectOption('');

  // Opening a row shows that trace, with figures from its source.
  const demo = stepwiseTraces(api.state).find((t) => t.doc.trace.id.startsWith('demo')).doc.trace;
  await page.locator('tr[data-id=demo-pricing-crew-2026-11-02] td.started').click();
  await page.locator('h1.trace-name', { hasText: demo.name }).waitFor({ timeout: 20_000 });
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('id'), demo.id);
  assert.equal(url.searchParams.get('api'), `${api.origin}/sw`);
  assert.equal(await page.locator('li.step').count(), demo.steps.length);
  const calls = demo.steps.filter((s) => s.kind === 'llm_call');
  const tokens = calls.reduce((n, s) => n + s.usage.input_tokens + s.usage.output_tokens, 0);
  assert.equal(await page.locator('[data-testid=total-tokens] .figure-value').textContent(), tokens.toLocaleString('en-US'));
  // Back returns to the list.
  await page.goBack();
  await page.locator('table.trace-list tbody tr').first().waitFor();
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the trace list in dark mode on a phone', async () => {
  const page = await openList(`${api.origin}/sw`, 'stepwise', {
    options: { viewport: { width: 390, height: 844 }, colorScheme: 'dark' },
  });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
  await screenshot(page, 'trace-list-dark-phone');
  await page.context().close();
});

test('Langfuse: credentials from the form, sent only to its base, never kept in a URL or local storage', async () => {
  const page = await newPage(browser);
  const base = `${api.origin}/lf`;
  // Every request the page makes, to any origin, with the headers actually sent.
  const seen = [];
  page.on('request', (request) => {
    const entry = { url: request.url(), headers: request.headers() };
    seen.push(entry);
    // The full set where it can still be read: a request started as the page closes (the
    // import worker being warmed) cannot, and must not fail the file with an unhandled error.
    request.allHeaders().then((headers) => (entry.headers = headers), () => {});
  });
  await page.goto(site.url);
  await page.locator('select[name=api-kind]').selectOption('langfuse');
  await page.locator('input[name=api-base]').fill(base);
  await page.locator('input[name=api-public-key]').fill(LANGFUSE_KEYS.publicKey);
  await screenshot(page, 'api-connect');
  const before = api.requests.length;
  await connectLangfuse(page, base);
  const expected = newestFirst(langfuseTraces(), (t) => Date.parse(t.timestamp)).map((t) => t.id);
  assert.deepEqual(await rowIds(page), expected);
  // Langfuse gives latency in seconds and a total cost; no status.
  const crewai = langfuseTraces()[0];
  const row = page.locator(`tr[data-id="${crewai.id}"]`);
  assert.equal(await row.locator('.status').textContent(), 'unknown');
  assert.equal(await row.locator('td.num').first().textContent(), `${crewai.latency.toFixed(1)} s`);

  // Open one: the trace is read from the API's trace shape.
  await row.locator('a').click();
  await page.locator('h1.trace-name', { hasText: crewai.name }).waitFor({ timeout: 20_000 });
  assert.equal(await page.locator('li.step').count(), crewai.observations.length);

  // The demo and a Stepwise API in the same tab get no credentials.
  await page.goto(listUrl(`${api.origin}/sw`, 'stepwise'));
  await page.locator('table.trace-list tbody tr').first().waitFor({ timeout: 20_000 });
  const sent = api.requests.slice(before).filter((r) => r.method === 'GET');
  const withAuth = sent.filter((r) => r.headers.authorization);
  assert.ok(withAuth.length >= 2, 'the list and the trace went with credentials');
  for (const r of withAuth) assert.match(r.path, /^\/lf\//, `credentials went to ${r.path}`);
  assert.ok(sent.some((r) => r.path === '/sw/traces' && !r.headers.authorization));
  for (const r of api.requests) {
    assert.ok(!`${r.path}${r.search}`.includes(LANGFUSE_KEYS.secretKey), 'a secret in a URL');
  }
  assert.ok(!page.url().includes(LANGFUSE_KEYS.secretKey));
  assert.ok(seen.some((r) => r.url.startsWith(site.origin)), 'the page loaded its own files');
  for (const r of seen) {
    if (r.headers.authorization) assert.ok(r.url.startsWith(`${base}/`), `credentials went to ${r.url}`);
    assert.ok(!r.url.includes(LANGFUSE_KEYS.secretKey), `a secret in ${r.url}`);
  }
  const stored = await page.evaluate(() => ({
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
  }));
  assert.ok(!stored.local.includes(LANGFUSE_KEYS.secretKey), 'the secret is in local storage');
  assert.ok(stored.local.includes(`${api.origin}/lf`), 'the base is remembered');
  assert.ok(stored.session.includes(LANGFUSE_KEYS.secretKey), 'the secret is kept for the tab');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('Langfuse without credentials: 401 explained, with the form to enter them', async () => {
  const page = await openList(`${api.origin}/lf`, 'langfuse');
  const error = await page.locator('.api-list-error').textContent();
  assert.match(error, /401/);
  assert.match(error, /needs credentials/);
  await page.locator('input[name=api-public-key]').fill(LANGFUSE_KEYS.publicKey);
  await page.locator('input[name=api-secret-key]').fill(LANGFUSE_KEYS.secretKey);
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.locator('table.trace-list tbody tr').first().waitFor({ timeout: 20_000 });
  assert.equal((await rowIds(page)).length, langfuseTraces().length);
  page.problems = page.problems.filter((p) => !/HTTP 401|status of 401/.test(p));
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('Jaeger: services, traces derived from spans, newest first, opened', async () => {
  const page = await openList(`${api.origin}/jg`, 'jaeger');
  // The first service that is not Jaeger's own.
  assert.equal(await page.locator('select[name=service]').inputValue(), 'agent-api');
  await page.locator('select[name=service]').selectOption('front');
  const front = jaegerTraces().filter((t) => Object.values(t.processes).some((p) => p.serviceName === 'front'));
  const start = (t) => Math.min(...t.spans.map((s) => s.startTime));
  const expected = newestFirst(front, start).map((t) => t.traceID);
  await until(async () => (await rowIds(page)).join() === expected.join(), 'the front service traces');
  assert.equal(new URL(page.url()).searchParams.get('service'), 'front');
  const ask = front.find((t) => t.spans.some((s) => s.operationName === 'GET /ask'));
  const row = page.locator(`tr[data-id="${ask.traceID}"]`);
  assert.equal(await row.locator('a').textContent(), 'GET /ask');
  assert.equal(await row.locator('td.num').first().textContent(), '900 ms');
  await row.locator('a').click();
  await page.locator('h1.trace-name').waitFor({ timeout: 20_000 });
  // The step list renders just after the header.
  await until(async () => (await page.locator('li.step').count()) === ask.spans.length, 'every span as a step');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a failing list is explained, and Retry works', async () => {
  for (const [prefix, pattern] of [
    ['fail-500', /answered 500 Internal Server Error .*the server failed/],
    ['fail-html', /answered an HTML page where JSON was expected/],
    ['fail-truncated', /not valid JSON .*cut off/],
  ]) {
    const page = await openList(`${api.origin}/${prefix}/sw`, 'stepwise');
    assert.match(await page.locator('.api-list-error').textContent(), pattern);
    page.problems = page.problems.filter((p) => !/HTTP 500|status of 500/.test(p));
    assert.deepEqual(page.problems, [], prefix);
    if (prefix === 'fail-500') await screenshot(page, 'trace-list-error');
    await page.context().close();
  }
  // A server that does not allow this page to read it (CORS).
  const page = await openList(`${api.origin}/nocors/sw`, 'stepwise');
  assert.match(await page.locator('.api-list-error').textContent(), /answered, but the browser blocked this page from reading it \(CORS\)/);
  const retries = api.requests.filter((r) => r.path === '/nocors/sw/traces').length;
  await page.getByRole('button', { name: 'Retry' }).click();
  await until(() => api.requests.filter((r) => r.path === '/nocors/sw/traces').length > retries, 'a retry');
  await page.context().close();
});

test('a running trace refreshes itself, keeps the selection, and pauses', async () => {
  const page = await newPage(browser);
  const fetches = () => api.requests.filter((r) => r.path === '/sw/traces/live').length;
  await page.goto(`${site.url}?api=${encodeURIComponent(`${api.origin}/sw`)}&kind=stepwise&id=live&poll_ms=300&step=s2&from=0&to=1500`);
  await page.locator('[data-testid=live]').waitFor({ timeout: 20_000 });
  // Watch every DOM change from here on: the page must never lose its header or show the
  // loading notice while it fetches again.
  await page.evaluate(() => {
    window.blanked = 0;
    new MutationObserver(() => {
      if (!document.querySelector('h1.trace-name') || document.body.textContent.includes('Loading trace')) window.blanked += 1;
    }).observe(document.body, { childList: true, subtree: true });
  });
  const steps = () => page.locator('li.step').count();
  const first = await steps();
  await until(async () => (await steps()) >= first + 2, 'two more steps');
  assert.equal(await page.evaluate(() => window.blanked), 0, 'the page blanked while refreshing');
  await screenshot(page, 'live-trace');
  // The selection and zoom (in the address) are kept across reloads.
  const kept = new URL(page.url()).searchParams;
  assert.deepEqual([kept.get('step'), kept.get('from'), kept.get('to')], ['s2', '0', '1500']);
  assert.equal(await page.locator('li.step[aria-selected=true]').count(), 1);
  assert.match(await page.locator('li.step[aria-selected=true]').textContent(), /call 1/);
  // The page never blanks while fetching again.
  assert.equal(await page.locator('h1.trace-name').textContent(), 'Live research crew');

  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('button', { name: 'Resume' }).waitFor();
  const paused = fetches();
  const pausedSteps = await steps();
  await page.waitForTimeout(1_000); // three poll intervals: nothing may be fetched
  assert.ok(fetches() <= paused + 1, 'polling stopped');
  assert.equal(await steps(), fetches() === paused ? pausedSteps : pausedSteps + 1);
  assert.match(await page.locator('[data-testid=live]').textContent(), /paused/);

  await page.getByRole('button', { name: 'Resume' }).click();
  const resumedAt = fetches();
  await until(() => fetches() > resumedAt, 'polling again');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a live refresh that fails keeps the last copy on screen and says so', async () => {
  const page = await newPage(browser);
  const src = `${api.origin}/sw/traces/live?fail_after=1`;
  await page.goto(`${site.url}?src=${encodeURIComponent(src)}&poll_ms=300&step=s2`);
  await page.locator('[data-testid=refresh-failed]').waitFor({ timeout: 20_000 });
  assert.match(await page.locator('[data-testid=refresh-failed]').textContent(), /Refreshing failed; showing the last copy loaded\. .*500/);
  assert.equal(await page.locator('h1.trace-name').textContent(), 'Live research crew', 'the last copy is still shown');
  assert.equal(await page.locator('li.step[aria-selected=true]').count(), 1, 'and the selection with it');
  assert.ok(page.problems.every((problem) => /500|Failed to load resource/.test(problem)), page.problems.join('\n'));
  await page.context().close();
});
