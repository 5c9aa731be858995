// The trace page as a user drives it: figures, sorting, selection, keys, deep links,
// real trace files opened through the file input, and hostile text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, SUB_PATH, startStaticServer, launchBrowser, newPage, screenshot, untilUrl } from './harness.js';

const demoFile = join(ROOT, 'public', 'demo', 'trace.json');
const demo = JSON.parse(readFileSync(demoFile, 'utf8')).trace;
const REAL = join(ROOT, 'tests', 'fixtures', 'real');

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

/** Opens the demo; `query` ("?step=…") adds to `?trace=demo`. */
async function open(query = '', options = {}) {
  const page = await newPage(browser, options);
  await page.goto(`${server.url}?trace=demo${query.replace(/^\?/, '&')}`);
  await page.locator('h1.trace-name').waitFor({ timeout: 20_000 });
  return page;
}

/**
 * Waits until the page's URL satisfies `predicate`. History pushes from the router are
 * same-document navigations, so this polls rather than waiting for a load event.
 */
const figure = (page, id) => page.locator(`[data-testid=${id}] .figure-value`).textContent();
const count = (n) => n.toLocaleString('en-US');
const details = (page) => page.locator('[data-testid=step-details]');

/** What `stepwise summary` says about files: the same core, natively. */
function cliSummary(files) {
  const out = execFileSync('cargo', ['run', '--quiet', '-p', 'stepwise-cli', '--bin', 'stepwise', '--', 'summary', ...files], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out);
}

test('the summary shows the figures the demo data implies', async () => {
  const page = await open();
  const calls = demo.steps.filter((s) => s.kind === 'llm_call');
  const prompt = calls.reduce((n, s) => n + s.usage.input_tokens, 0);
  const completion = calls.reduce((n, s) => n + s.usage.output_tokens, 0);
  assert.equal(await figure(page, 'total-tokens'), count(prompt + completion));
  assert.equal(await figure(page, 'prompt-tokens'), count(prompt));
  assert.equal(await figure(page, 'completion-tokens'), count(completion));
  assert.equal(await figure(page, 'requests'), String(calls.length));
  assert.equal(await figure(page, 'tool-calls'), String(demo.steps.filter((s) => s.kind === 'tool_call').length));
  const failed = demo.steps.filter((s) => s.status === 'failed' || s.kind === 'error' || s.error);
  assert.equal(await figure(page, 'errors'), String(failed.length));
  assert.equal(await figure(page, 'agents-tasks'), `${demo.agents.length} · ${demo.tasks.length}`);
  // Some calls state no cost: the cost is an estimate, and the hover says so.
  assert.match(await page.locator('[data-testid=cost] .figure-label').textContent(), /Estimated/);
  assert.match(await page.locator('[data-testid=cost]').getAttribute('title'), /3 of 10 LLM calls/);
  await screenshot(page, 'trace-page-light');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the trace page in dark mode and on a phone', async () => {
  const dark = await open('', { colorScheme: 'dark' });
  const background = await dark.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  assert.notEqual(background, 'rgb(246, 247, 249)', 'the dark theme applies');
  await screenshot(dark, 'trace-page-dark');
  await dark.context().close();
  const phone = await open(`?step=${demo.steps[3].id}`, { viewport: { width: 390, height: 844 } });
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no sideways scrolling at 390 px (page is ${width} px wide)`);
  await screenshot(phone, 'trace-page-phone');
  await phone.context().close();
});

test('the theme switch overrides the system setting', async () => {
  const page = await open('', { colorScheme: 'light' });
  const bodyColour = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const light = await bodyColour();
  await page.locator('[data-testid=theme-switch]').click(); // system → light
  await page.locator('[data-testid=theme-switch]').click(); // light → dark
  assert.equal(await page.evaluate(() => document.documentElement.getAttribute('data-theme')), 'dark');
  assert.notEqual(await bodyColour(), light);
  await page.context().close();
});

test('the tasks table sorts by a column both ways, and a row opens its task', async () => {
  const page = await open();
  const firstTask = () => page.locator('[data-testid=tasks-table] tbody tr th').first().textContent();
  const header = page.locator('[data-testid=tasks-table] thead button', { hasText: 'Duration' });
  await header.click();
  assert.equal(await firstTask(), 'Write the launch report', 'longest first');
  await header.click();
  assert.equal(await firstTask(), 'Verify sources', 'shortest first');
  await page.locator('[data-testid=tasks-table] thead button', { hasText: 'Task' }).click();
  assert.equal(await firstTask(), 'Compare competitor pricing');
  await page.locator('[data-testid=tasks-table] tbody a', { hasText: 'Verify sources' }).click();
  await page.locator('[data-testid=task-details]').waitFor();
  assert.match(await page.locator('[data-testid=task-details]').textContent(), /Verify sources/);
  assert.equal(new URL(page.url()).searchParams.get('task'), 'task-verify');
  await screenshot(page, 'task-details');
  await page.context().close();
});

test('a tool call shows its arguments and its linked result', async () => {
  const call = demo.steps.find((s) => s.kind === 'tool_call' && s.name === 'query_customers');
  const result = demo.steps.find((s) => s.result_of === call.id);
  const page = await open(`?step=${call.id}`);
  await details(page).waitFor();
  const text = await details(page).textContent();
  assert.match(text, /SELECT team_size_band, count\(\*\) FROM customers GROUP BY 1/);
  assert.match(text, /1840/, 'the result of the call is shown with it');
  await screenshot(page, 'tool-call-details');
  // The call links to its result step.
  await details(page).locator(`a[href*="step=${result.id}"]`).first().click();
  await untilUrl(page, (url) => url.searchParams.get('step') === result.id);
  assert.equal(await details(page).locator('h2').first().textContent(), result.name);
  await page.context().close();
});

test('an LLM call shows its conversation, model and tokens', async () => {
  const call = demo.steps.find((s) => s.kind === 'llm_call' && s.name === 'gpt-4o · read results');
  const page = await open(`?step=${call.id}`);
  await details(page).waitFor();
  const text = await details(page).textContent();
  assert.match(text, /gpt-4o-2024-08-06/);
  assert.match(text, /You are Senior Market Researcher/, 'the system message');
  assert.match(text, /scrape it for the exact figures/, 'the response');
  assert.match(text, /2,210/, 'input tokens');
  await screenshot(page, 'llm-call-details');
  await page.context().close();
});

test('j, k and e walk the steps and the errors; Esc closes the details', async () => {
  const page = await open();
  const selected = () => new URL(page.url()).searchParams.get('step');
  await page.locator('body').press('j');
  await untilUrl(page, (url) => url.searchParams.has('step'));
  const first = selected();
  // Regression: the router dropped the sub-path's trailing slash on navigation, so
  // relative assets (favicon.svg, demo/trace.json) resolved one level up and 404ed.
  assert.equal(new URL(page.url()).pathname, SUB_PATH);
  await page.locator('body').press('j');
  await untilUrl(page, (url) => url.searchParams.get('step') !== first);
  const second = selected();
  await page.locator('body').press('k');
  await untilUrl(page, (url) => url.searchParams.get('step') === first);
  await page.locator('body').press('e');
  await untilUrl(page, (url) => url.searchParams.get('step') !== first);
  const error = demo.steps.find((s) => s.id === selected());
  assert.ok(error.status === 'failed' || error.kind === 'error', `${error.name} is an error`);
  await page.locator('body').press('e');
  await untilUrl(page, (url) => url.searchParams.get('step') !== error.id);
  await page.locator('body').press('E');
  await untilUrl(page, (url) => url.searchParams.get('step') === error.id);
  // Back walks the selection history.
  await page.goBack();
  await untilUrl(page, (url) => url.searchParams.get('step') !== error.id);
  await page.locator('body').press('Escape');
  await untilUrl(page, (url) => !url.searchParams.has('step'));
  await page.locator('body').press('?');
  await page.locator('.key-map').waitFor();
  await screenshot(page, 'key-map');
  assert.notEqual(second, first);
  await page.context().close();
});

test('a deep link with a selection and a zoom window reloads to the same view', async () => {
  const step = demo.steps.find((s) => s.kind === 'error');
  const page = await open(`?step=${step.id}&from=70000&to=100000`);
  await details(page).waitFor();
  await page.reload();
  await details(page).waitFor({ timeout: 20_000 });
  assert.equal(await details(page).locator('h2').first().textContent(), step.name);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('from'), '70000');
  assert.equal(url.searchParams.get('to'), '100000');
  await screenshot(page, 'deep-link-zoomed');
  await page.context().close();
});

test('every real trace file opens through the file input with the same totals as the CLI', async () => {
  const files = readdirSync(REAL).filter((name) => name.endsWith('.json')).sort();
  assert.ok(files.length >= 7);
  const reports = cliSummary(files.map((name) => join(REAL, name)));
  for (const [index, name] of files.entries()) {
    const expected = reports[index].traces[0];
    const page = await open();
    await page.locator('[data-testid=open-file]').setInputFiles(join(REAL, name));
    await untilUrl(page, (url) => (url.searchParams.get('trace') ?? '').startsWith('file:'));
    await page.locator('h1.trace-name', { hasText: expected.name }).waitFor({ timeout: 20_000 }).catch(async (error) => {
      throw new Error(`${name}: expected the title ${JSON.stringify(expected.name)}, page shows ${JSON.stringify(await page.locator('h1').first().textContent())}: ${error.message}`);
    });
    assert.equal(await figure(page, 'total-tokens'), count(expected.summary.total_tokens), name);
    assert.equal(await figure(page, 'requests'), String(expected.summary.requests), name);
    assert.equal(await figure(page, 'steps'), String(expected.summary.steps), name);
    assert.equal(await page.locator('li.step').count(), expected.summary.steps, name);
    await screenshot(page, `file-${name.replace(/\.json$/, '')}`);
    assert.deepEqual(page.problems, [], name);
    await page.context().close();
  }
});

test('a broken file says what is wrong and the page keeps working', async () => {
  const page = await open();
  await page.locator('[data-testid=open-file]').setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"resourceSpans": [ {"scopeSpans": '),
  });
  await page.locator('.open-problem').waitFor();
  assert.match(await page.locator('.open-problem').textContent(), /broken\.json: The file is not valid JSON at line 1/);
  assert.equal(await page.locator('h1.trace-name').textContent(), demo.name, 'the demo is still shown');
  await screenshot(page, 'open-error');
  await page.context().close();
});

test('script and img-onerror payloads in every text field never run', async () => {
  const payload = (field) => `<img src=x onerror="window.__pwned='${field}'"><script>window.__pwned='${field}'</script>**${field}**`;
  const hostile = JSON.parse(JSON.stringify(demo));
  const poison = (value, path) => {
    if (typeof value === 'string') return path.endsWith('time') || path.endsWith('id') || path.endsWith('kind') || path.endsWith('status') ? value : payload(path);
    if (Array.isArray(value)) return value.map((item, i) => poison(item, `${path}[${i}]`));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poison(v, `${path}.${k}`)]));
    return value;
  };
  const trace = poison(hostile, 'trace');
  const page = await open();
  let dialogs = 0;
  page.on('dialog', async (dialog) => { dialogs += 1; await dialog.dismiss(); });
  await page.locator('[data-testid=open-file]').setInputFiles({
    name: 'hostile.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ format: 'stepwise-trace', version: 1, trace })),
  });
  await page.locator('h1.trace-name', { hasText: '<img' }).waitFor({ timeout: 20_000 });
  for (const step of trace.steps.slice(0, 12)) {
    await page.locator(`li.step[data-step-id="${step.id}"] a`).click();
    await details(page).waitFor();
  }
  const taskLinks = page.locator('[data-testid=tasks-table] tbody a');
  for (let i = 0; i < trace.tasks.length; i += 1) {
    await taskLinks.nth(i).click();
    await page.locator('[data-testid=task-details]').waitFor();
  }
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no payload ran');
  assert.equal(await page.locator('main img, body img[src="x"]').count(), 0, 'no <img> from the trace');
  assert.equal(dialogs, 0);
  await screenshot(page, 'hostile-trace');
  await page.context().close();
});

test('a click on a timeline bar opens that step, and the wheel zooms into the URL', async () => {
  const target = demo.steps.find((s) => s.kind === 'error');
  const page = await open();
  const canvas = page.locator('[data-testid=timeline]');
  await canvas.waitFor();
  const box = await canvas.boundingBox();
  const data = await canvas.evaluate((el) => ({ ...el.dataset }));
  const gutter = Number(data.gutterPx);
  const lanePx = Number(data.lanePx);
  const top = Number(data.topPx);
  const start = BigInt(data.startNs);
  const end = BigInt(data.endNs);
  // The documented mapping (src/timeline_draw.rs): x of a time, y of a lane.
  const RIGHT_PAD_PX = 14;
  const mid = (BigInt(Date.parse(target.start_time)) + BigInt(Date.parse(target.end_time))) * 500_000n;
  const x = gutter + Number(mid - start) / Number(end - start) * (box.width - gutter - RIGHT_PAD_PX);
  let found = false;
  for (let lane = 0; lane < Number(data.lanes) && !found; lane += 1) {
    await canvas.click({ position: { x, y: top + lane * lanePx + lanePx / 2 } });
    await page.waitForTimeout(60);
    found = new URL(page.url()).searchParams.get('step') === target.id;
  }
  assert.ok(found, `clicking along x=${x.toFixed(0)} selected ${target.id}`);
  await details(page).waitFor();
  assert.equal(await details(page).locator('h2').first().textContent(), target.name);
  await screenshot(page, 'timeline-click-selects-step');

  await canvas.hover({ position: { x, y: top + lanePx / 2 } });
  for (let i = 0; i < 5; i += 1) await page.mouse.wheel(0, -240);
  await untilUrl(page, (url) => url.searchParams.has('from') && url.searchParams.has('to'));
  const url = new URL(page.url());
  assert.ok(Number(url.searchParams.get('to')) - Number(url.searchParams.get('from')) < 121_100, 'zoomed in');
  assert.equal(url.searchParams.get('step'), target.id, 'zooming keeps the selection');
  await screenshot(page, 'timeline-zoomed');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('each view in the dark theme', async () => {
  const call = demo.steps.find((s) => s.kind === 'llm_call');
  for (const [name, query] of [
    ['llm-call-dark', `?step=${call.id}`],
    ['task-dark', '?task=task-verify'],
    ['agent-dark', `?agent=${demo.agents[0].id}`],
  ]) {
    const page = await open(query, { colorScheme: 'dark' });
    await page.locator('aside.details').first().waitFor();
    await screenshot(page, name);
    assert.deepEqual(page.problems, [], name);
    await page.context().close();
  }
});

test('the error count opens the first error, and hidden panels stay hidden after a reload', async () => {
  const page = await open();
  await page.locator('[data-testid=errors] a').click();
  await untilUrl(page, (url) => url.searchParams.has('step'));
  const first = demo.steps.find((s) => s.id === new URL(page.url()).searchParams.get('step'));
  assert.equal(first.name, 'web_search');
  assert.equal(first.status, 'failed');

  await page.locator('[data-panel=timeline] .panel-toggle').click();
  await untilUrl(page, (url) => url.searchParams.get('hide') === 'timeline');
  assert.equal(await page.locator('[data-testid=timeline]').count(), 0);
  await page.reload();
  await page.locator('h1.trace-name').waitFor({ timeout: 20_000 });
  assert.equal(await page.locator('[data-testid=timeline]').count(), 0, 'still hidden');
  await details(page).waitFor();
  await page.locator('[data-panel=timeline] .panel-toggle').click();
  await page.locator('[data-testid=timeline]').waitFor();
  await untilUrl(page, (url) => !url.searchParams.has('hide'));
  await page.context().close();
});
