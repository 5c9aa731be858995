// Failing servers, for a trace opened by URL (?src=), a trace opened from an API and an API's
// trace list: each failure gets its exact message naming the URL and a way forward (Retry,
// a Retry that waits as long as a 429 asked, the credentials form, the way home). Leaving a
// page aborts its request; a failing live trace backs off and never overlaps its requests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { SUB_PATH, startStaticServer, launchBrowser, newPage, screenshot, until } from './harness.js';
import { startApiServer, STALL_BYTES } from './api_server.js';
import { LANGFUSE_KEYS, stepwiseTraces } from './api_routes.js';

let site;
let api;
let browser;
let closedPort;
before(async () => {
  site = await startStaticServer(SUB_PATH);
  api = await startApiServer();
  browser = await launchBrowser();
  // A port that was just free: nothing listens on it, so connecting is refused.
  const probe = createServer();
  await new Promise((ready) => probe.listen(0, '127.0.0.1', ready));
  closedPort = probe.address().port;
  await new Promise((done) => probe.close(done));
});
after(async () => {
  await browser?.close();
  await api?.stop();
  await site?.stop();
});

/** The failed requests the browser logs are expected here; anything else is a problem. */
function unexpectedProblems(page) {
  return page.problems.filter(
    (problem) => !/Failed to load resource|^HTTP (4\d\d|5\d\d) for |net::ERR_/.test(problem),
  );
}

const network = (url) =>
  `Could not reach ${url}: the network request failed (Failed to fetch). Check the address, that the server is running, and your connection.`;
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const demoName = stepwiseTraces({}).find((t) => t.doc.trace.id.startsWith('demo')).doc.trace.name;

// ---- A trace by URL ----------------------------------------------------------------------

/** Opens `?src=url` and returns the page once the failure is shown. */
async function openSrc(url, extra = '') {
  const page = await newPage(browser);
  await page.goto(`${site.url}?src=${encodeURIComponent(url)}${extra}`);
  await page.locator('[data-testid=load-error-message], h1.trace-name:not(:text("Stepwise"))').first().waitFor({ timeout: 20_000 });
  return page;
}

test('?src=: every failure says what happened to which URL, with Retry and the way home', async () => {
  const demo = `${api.origin}/demo.json`;
  const cases = [
    ['refused', `http://127.0.0.1:${closedPort}/run.json`, '', (u) => network(u)],
    ['dns', 'http://nonexistent.invalid/run.json', '', (u) => network(u)],
    ['timeout', `${demo}?hang=1`, '&timeout_ms=400', (u) => `${u} sent nothing for 400 ms: the request timed out.`],
    ['401', `${demo}?fail_once=401`, '', (u) => `Could not load ${u}: the server refused the request with status 401 Unauthorized.`],
    ['403', `${demo}?fail=403`, '', (u) => `Could not load ${u}: the server refused the request with status 403 Forbidden.`],
    ['404', `${demo}?fail=404`, '', (u) => `Nothing was found at ${u} (404): check the address of the trace.`],
    ['500', `${demo}?fail=500`, '', (u) => `Could not load ${u}: the server failed with status 500 Internal Server Error.`],
    ['html', `${demo}?fail=html`, '', (u) => `${u} sent an HTML page where a JSON trace was expected: perhaps a login page, or the address of a web page rather than of the trace file.`],
    ['truncated', `${demo}?fail=truncated`, '', (u) => new RegExp(`^The trace from ${escape(u)} ends in the middle, as if the download was cut short\\. The file is not valid JSON at line \\d+, column \\d+: EOF while parsing .*\\.$`)],
    ['never ends', `${demo}?fail=stall`, '&timeout_ms=600', (u) => `Data stopped arriving from ${u} after ${STALL_BYTES} bytes: nothing more came for 600 ms, so the download was stopped.`],
    ['png', `${demo}?fail=png`, '', (u) => `${u} did not send a trace: expected JSON, got image/png.`],
  ];
  for (const [name, url, extra, expected] of cases) {
    const page = await openSrc(url, extra);
    const message = await page.locator('[data-testid=load-error-message]').textContent();
    const want = expected(url);
    if (want instanceof RegExp) assert.match(message, want, name);
    else assert.equal(message, want, name);
    assert.equal(await page.locator('[data-testid=retry-load]').isEnabled(), true, name);
    assert.equal(await page.locator('[data-testid=load-home]').count(), 1, name);
    if (name === 'never ends') await screenshot(page, 'src-stalled');
    assert.deepEqual(unexpectedProblems(page), [], name);
    await page.context().close();
  }
});

test('?src=: JSON served as text/plain opens', async () => {
  const page = await openSrc(`${api.origin}/demo.json?fail=plain`);
  assert.equal(await page.locator('h1.trace-name').textContent(), demoName);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

/** The requests of `path` + `search` the API server received, in order. */
const requestsOf = (path, search = '') =>
  api.requests.filter((r) => r.method === 'GET' && r.path === path && r.search.includes(search));

test('?src=: a 429 is retried by itself once the Retry-After (seconds) is over, never sooner', async () => {
  const url = `${api.origin}/demo.json?fail_once=429&retry_after=2&n=seconds`;
  const page = await openSrc(url);
  assert.equal(
    await page.locator('[data-testid=load-error-message]').textContent(),
    `${url} is limiting requests (429 Too Many Requests) and asked to wait 2 s before the next one.`,
  );
  const retry = page.locator('[data-testid=retry-load]');
  assert.match(await retry.textContent(), /^Retrying in [12] s$/);
  assert.equal(await retry.isDisabled(), true, 'Retry waits as asked');
  await screenshot(page, 'src-429-countdown');
  await page.locator('h1.trace-name', { hasText: demoName }).waitFor({ timeout: 10_000 });
  const [first, second] = requestsOf('/demo.json', 'n=seconds');
  assert.ok(second.atMs - first.atMs >= 2_000, `retried after ${second.atMs - first.atMs} ms`);
  assert.equal(requestsOf('/demo.json', 'n=seconds').length, 2);
  assert.deepEqual(unexpectedProblems(page), []);
  await page.context().close();
});

test('?src=: a 429 with an HTTP-date Retry-After waits until that date', async () => {
  const url = `${api.origin}/demo.json?fail_once=429&retry_after=date:3&n=date`;
  const page = await openSrc(url);
  assert.match(
    await page.locator('[data-testid=load-error-message]').textContent(),
    new RegExp(`^${escape(url)} is limiting requests \\(429 Too Many Requests\\) and asked to wait [23] s before the next one\\.$`),
  );
  await page.locator('h1.trace-name', { hasText: demoName }).waitFor({ timeout: 10_000 });
  const [first, second] = requestsOf('/demo.json', 'n=date');
  // The date the server named: its clock plus 3 s, to the whole second.
  const dateMs = Math.floor((first.atMs + 3_000) / 1_000) * 1_000;
  assert.ok(second.atMs >= dateMs, `retried ${dateMs - second.atMs} ms before the date`);
  await page.context().close();
});

// ---- An API's trace list -----------------------------------------------------------------

const listUrl = (base, kind = 'stepwise', extra = '') => `${site.url}?api=${encodeURIComponent(base)}&kind=${kind}${extra}`;

async function openList(base, extra = '') {
  const page = await newPage(browser);
  await page.goto(listUrl(base, 'stepwise', extra));
  await page.locator('table.trace-list tbody tr, .api-list-error').first().waitFor({ timeout: 20_000 });
  return page;
}

test('API list: every failure says what happened to which URL, with Retry', async () => {
  const o = api.origin;
  const cases = [
    ['refused', `http://127.0.0.1:${closedPort}/sw`, '', (u) => network(u)],
    ['dns', 'http://nonexistent.invalid/sw', '', (u) => network(u)],
    ['timeout', `${o}/hang/sw`, '&timeout_ms=400', (u) => `${u} sent nothing for 400 ms: the request timed out.`],
    ['404', `${o}/fail-404/sw`, '', (u) => `The API answered 404 Not Found for ${u}: there is nothing at this address. Check the base URL and the API kind.`],
    ['429', `${o}/fail-429/sw`, '', (u) => `${u} is limiting requests (429 Too Many Requests) and asked to wait 2 s before the next one.`],
    ['500', `${o}/fail-500/sw`, '', (u) => `The API answered 500 Internal Server Error for ${u}: the server failed. Retry in a moment.`],
    ['html', `${o}/fail-html/sw`, '', (u) => `${u} answered an HTML page where JSON was expected: the base URL may point at a web page or a sign-in screen rather than the API itself.`],
    ['truncated', `${o}/fail-truncated/sw`, '', (u) => new RegExp(`^The Stepwise API trace list is not valid JSON \\(line \\d+, column \\d+\\): it may be cut off\\. Expected .* \\(from ${escape(u)}\\)$`)],
    ['never ends', `${o}/fail-stall/sw`, '&timeout_ms=600', (u) => `Data stopped arriving from ${u} after ${STALL_BYTES} bytes: nothing more came for 600 ms, so the download was stopped.`],
    ['png', `${o}/fail-png/sw`, '', (u) => `${u} did not send a trace: expected JSON, got image/png.`],
  ];
  for (const [name, base, extra, expected] of cases) {
    const page = await openList(base, extra);
    const message = await page.locator('.api-list-error p').textContent();
    const want = expected(`${base}/traces`);
    if (want instanceof RegExp) assert.match(message, want, name);
    else assert.equal(message, want, name);
    assert.equal(await page.locator('[data-testid=retry-list]').count(), 1, name);
    assert.equal(await page.getByRole('link', { name: '← Home' }).count(), 1, name);
    if (name === '429') await screenshot(page, 'list-429-countdown');
    assert.deepEqual(unexpectedProblems(page), [], name);
    await page.context().close();
  }
});

test('API list: JSON served as text/plain is listed', async () => {
  const page = await openList(`${api.origin}/fail-plain/sw`);
  assert.equal(await page.locator('table.trace-list tbody tr').count(), stepwiseTraces(api.state).length);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('API list: a 403 offers the credentials form; a 429 retries by itself after the wait', async () => {
  let page = await openList(`${api.origin}/fail-403/sw`);
  assert.equal(
    await page.locator('.api-list-error p').textContent(),
    `The API answered 403 Forbidden for ${api.origin}/fail-403/sw/traces: the credentials given may not read these traces.`,
  );
  assert.equal(await page.getByRole('button', { name: 'Connect' }).count(), 1, 'the credentials form');
  await screenshot(page, 'list-403-credentials');
  await page.context().close();

  page = await openList(`${api.origin}/fail-once-429/sw`);
  const retry = page.locator('[data-testid=retry-list]');
  assert.equal(await retry.isDisabled(), true);
  await page.locator('table.trace-list tbody tr').first().waitFor({ timeout: 10_000 });
  const [first, second] = requestsOf('/fail-once-429/sw/traces');
  assert.ok(second.atMs - first.atMs >= 2_000, `retried after ${second.atMs - first.atMs} ms`);
  await page.context().close();
});

// ---- A trace from an API -----------------------------------------------------------------

test('API trace: 401 and 403 show the credentials form, and entering them opens the trace', async () => {
  let page = await newPage(browser);
  await page.goto(`${site.url}?api=${encodeURIComponent(`${api.origin}/fail-403/sw`)}&kind=stepwise&id=support-triage`);
  await page.locator('[data-testid=load-error-message]').waitFor({ timeout: 20_000 });
  assert.equal(
    await page.locator('[data-testid=load-error-message]').textContent(),
    `The API answered 403 Forbidden for ${api.origin}/fail-403/sw/traces/support-triage: the credentials given may not read these traces.`,
  );
  assert.equal(await page.getByRole('button', { name: 'Connect' }).count(), 1);
  await page.context().close();

  page = await newPage(browser);
  const id = 'trace-1';
  await page.goto(`${site.url}?api=${encodeURIComponent(`${api.origin}/lf`)}&kind=langfuse&id=${id}`);
  await page.locator('[data-testid=load-error-message]').waitFor({ timeout: 20_000 });
  assert.match(await page.locator('[data-testid=load-error-message]').textContent(), /^The API answered 401 .*: it needs credentials/);
  await screenshot(page, 'trace-401-credentials');
  await page.locator('input[name=api-public-key]').fill(LANGFUSE_KEYS.publicKey);
  await page.locator('input[name=api-secret-key]').fill(LANGFUSE_KEYS.secretKey);
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.locator('li.step').first().waitFor({ timeout: 20_000 });
  assert.deepEqual(unexpectedProblems(page), []);
  await page.context().close();
});

// ---- Leaving aborts ----------------------------------------------------------------------

test('going home while a trace or a list is loading aborts its request', async () => {
  const page = await newPage(browser);
  const aborted = [];
  page.on('requestfailed', (request) => aborted.push(`${request.failure()?.errorText} ${request.url()}`));
  await page.goto(`${site.url}?src=${encodeURIComponent(`${api.origin}/demo.json?hang=1&n=leave`)}`);
  await until(() => requestsOf('/demo.json', 'n=leave').length === 1, 'the request to reach the server');
  await page.locator('[data-testid=loading-home]').click();
  await page.locator('input[name=api-base]').waitFor();
  await until(() => requestsOf('/demo.json', 'n=leave')[0].closedEarly, 'the server to see the request aborted', 3_000);
  await until(() => aborted.some((line) => line.startsWith('net::ERR_ABORTED') && line.includes('n=leave')), 'requestfailed', 3_000);

  // The list page: its "← Home" link.
  await page.goto(listUrl(`${api.origin}/hang/sw`));
  await until(() => requestsOf('/hang/sw/traces').length >= 1, 'the list request to reach the server', 20_000);
  await page.getByRole('link', { name: '← Home' }).click();
  await page.locator('input[name=api-base]').waitFor();
  await until(() => requestsOf('/hang/sw/traces')[0].closedEarly, 'the server to see the list request aborted', 3_000);
  assert.deepEqual(unexpectedProblems(page), []);
  await page.context().close();
});

// ---- Live refresh backs off --------------------------------------------------------------

test('a running trace whose server fails backs off, doubling the wait, one request at a time', async () => {
  const page = await newPage(browser);
  // The first fetch answers; every later one fails, a little slowly.
  const src = `${api.origin}/sw/traces/live?fail_after=1&delay_ms=150&n=backoff`;
  await page.goto(`${site.url}?src=${encodeURIComponent(src)}&poll_ms=200`);
  await page.locator('[data-testid=refresh-failed]').waitFor({ timeout: 20_000 });
  await page.waitForTimeout(4_500);
  const times = requestsOf('/sw/traces/live', 'n=backoff').map((r) => r.atMs);
  const gaps = times.slice(1).map((at, i) => at - times[i]);
  // 200 ms polls for 5 s would be 20 or more requests; doubling waits allow about 5.
  assert.ok(gaps.length >= 4 && times.length <= 7, `requests ${gaps.join(', ')} ms apart`);
  // From the first failure on (the first gap also holds the first import).
  for (let i = 2; i < gaps.length; i += 1) {
    assert.ok(gaps[i] >= gaps[i - 1] * 1.4, `the waits do not grow: ${gaps.join(', ')} ms`);
  }
  assert.match(await page.locator('[data-testid=live]').getAttribute('title'), /^The last refresh failed: trying again in [\d.]+ s$/);
  assert.match(await page.locator('[data-testid=refresh-failed]').textContent(), /500 Internal Server Error/);
  await screenshot(page, 'live-backoff');
  await page.context().close();
});

test('Retry pressed again and again while a refresh is under way never overlaps requests', async () => {
  const page = await newPage(browser);
  const path = '/sw/traces/live';
  const src = `${api.origin}${path}?fail_after=1&delay_ms=700&n=overlap`;
  await page.goto(`${site.url}?src=${encodeURIComponent(src)}&poll_ms=200`);
  await page.locator('[data-testid=refresh-failed]').waitFor({ timeout: 20_000 });
  const before = requestsOf(path, 'n=overlap').length;
  const clickedUntil = Date.now() + 2_500;
  while (Date.now() < clickedUntil) {
    await page.locator('[data-testid=refresh-failed] button').click({ timeout: 1_000 }).catch(() => {});
    await page.waitForTimeout(50);
  }
  await page.waitForTimeout(800);
  const made = requestsOf(path, 'n=overlap').length - before;
  // About 50 clicks in 2.5 s, but each request takes 0.7 s: a handful at most.
  assert.ok(made >= 1 && made <= 4, `${made} requests`);
  assert.equal(api.maxConcurrent[path], 1, 'two requests for the live trace overlapped');
  await page.context().close();
});
