// Embedding: Stepwise framed by host pages on other origins and driven by postMessage
// (docs/embed.md). Three origins on loopback: the app (127.0.0.1:<app port>, the
// harness's static server), the host (localhost:<host port>) and a foreign page
// (127.0.0.1:<host port>) that tries to drive the frame without being allowed to.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, SUB_PATH, startStaticServer, launchBrowser, newPage, screenshot, until } from './harness.js';

const demoFile = join(ROOT, 'public', 'demo', 'trace.json');
const demoText = readFileSync(demoFile, 'utf8');
const demo = JSON.parse(demoText).trace;
const crewFile = join(ROOT, 'tests', 'fixtures', 'real', 'crewai-trace-batch-events-v1.6.0.json');

// The host page: frames the app named by `?app=`, records what the app says, sizes the
// frame from `resize`, and can add a frame from the foreign origin on request.
const HOST_PAGE = `<!doctype html><meta charset="utf-8"><title>host</title>
<style>body{margin:0;font:14px sans-serif} iframe{display:block;width:100%;height:500px;border:0}</style>
<iframe id="app" title="Stepwise"></iframe>
<script>
  const frame = document.getElementById('app');
  frame.src = new URL(location.href).searchParams.get('app');
  const appOrigin = new URL(frame.src).origin;
  window.received = [];
  addEventListener('message', (event) => {
    if (event.source !== frame.contentWindow || event.origin !== appOrigin) return;
    received.push(event.data);
    if (event.data.type === 'resize') frame.style.height = event.data.height_px + 'px';
  });
  window.send = (message, transfer) => frame.contentWindow.postMessage(message, appOrigin, transfer || []);
  // Perfetto's handshake: ping until ready.
  window.handshake = () => new Promise((resolve) => {
    const timer = setInterval(() => {
      if (received.some((m) => m.type === 'ready')) { clearInterval(timer); resolve(); }
      else send({ type: 'ping' });
    }, 100);
  });
  window.addForeign = (url) => { const f = document.createElement('iframe'); f.src = url; f.style.height = '20px'; document.body.append(f); };
</script>`;

// A page on a third origin that posts commands into the host's app frame.
const FOREIGN_PAGE = `<!doctype html><meta charset="utf-8"><title>foreign</title><script>
  const target = parent.frames[0];
  target.postMessage({ type: 'set-theme', theme: 'dark' }, '*');
  target.postMessage({ type: 'select', step: 's04' }, '*');
  target.postMessage({ type: 'load', name: 'evil.json', text: '{}' }, '*');
</script>`;

let app;
let host;
let hostPort;
let browser;
before(async () => {
  app = await startStaticServer(SUB_PATH);
  host = createServer((request, response) => {
    const page = request.url.startsWith('/foreign.html') ? FOREIGN_PAGE : HOST_PAGE;
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(page);
  });
  await new Promise((resolve) => host.listen(0, '127.0.0.1', resolve));
  hostPort = host.address().port;
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  host?.close();
  await app?.stop();
});

const hostOrigin = () => `http://localhost:${hostPort}`;
const foreignOrigin = () => `http://127.0.0.1:${hostPort}`;

/** The app's URL in embed mode; `params` adds to `embed=1&origins=<host origin>`. */
function appUrl(params = {}) {
  const url = new URL(app.url);
  url.searchParams.set('embed', '1');
  url.searchParams.set('origins', hostOrigin());
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.href;
}

/** Opens the host page framing `appHref`; returns the page and the app's frame. */
async function openHost(appHref, options = {}) {
  const page = await newPage(browser, options);
  page.infos = [];
  page.on('console', (message) => {
    if (message.type() === 'info') page.infos.push(message.text());
  });
  await page.goto(`${hostOrigin()}/host.html?app=${encodeURIComponent(appHref)}`);
  const frame = await until(() => page.frames().find((f) => f.url().startsWith(app.origin)), 'the app frame');
  return { page, frame };
}

/** Polls `probe` until it returns something truthy. */
const received = (page) => page.evaluate(() => window.received);
/** Waits for the `index`-th message of `type` (0 = the first) the host received. */
async function message(page, type, predicate = () => true, index = 0) {
  return until(async () => (await received(page)).filter((m) => m.type === type && predicate(m))[index], `a "${type}" message`);
}
const frameUrl = (frame) => new URL(frame.url());
const theme = (frame) => frame.evaluate(() => document.documentElement.getAttribute('data-theme'));

/** What `stepwise summary` says about a file's first trace: the same core, natively. */
let cliCache;
function cliSummary(file) {
  cliCache ??= JSON.parse(
    execFileSync('cargo', ['run', '--quiet', '-p', 'stepwise-cli', '--bin', 'stepwise', '--', 'summary', demoFile, crewFile], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    }),
  );
  return cliCache.find((entry) => entry.file === file).traces[0];
}

test('embed mode hides the chrome and honours theme, panels and the initial step', async () => {
  const step = demo.steps.find((s) => s.id === 's04');
  const { page, frame } = await openHost(appUrl({ trace: 'demo', theme: 'dark', panels: 'timeline,steps', step: step.id }), {
    colorScheme: 'light',
  });
  await frame.locator('h1.trace-name').waitFor({ timeout: 20_000 });
  assert.equal(await frame.locator('h1.trace-name').textContent(), demo.name);
  for (const chrome of ['[data-testid=theme-switch]', '[data-testid=open-file]', 'button:has-text("Keys ?")', 'a[href="./"]']) {
    assert.equal(await frame.locator(chrome).count(), 0, `${chrome} is hidden`);
  }
  assert.equal(await theme(frame), 'dark', 'theme=dark wins over the light system setting');
  assert.equal(await frame.locator('[data-panel=timeline]').count(), 1);
  assert.equal(await frame.locator('[data-panel=steps]').count(), 1);
  assert.equal(await frame.locator('[data-panel=tasks]').count(), 0, 'the table is not asked for');
  assert.equal(await frame.locator('.summary').count(), 0, 'the summary is not asked for');
  assert.equal(await frame.locator('.final-output').count(), 0, 'the output is not asked for');
  assert.match(await frame.locator('[data-testid=step-details]').textContent(), new RegExp(step.name));
  // A host that starts listening after the trace loaded learns of it on its first ping.
  await page.evaluate(() => window.handshake());
  const loaded = await message(page, 'loaded');
  assert.equal(loaded.summary.name, demo.name);
  const selected = await message(page, 'step-selected');
  assert.deepEqual(selected, { type: 'step-selected', id: step.id, name: step.name, kind: step.kind });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the host loads traces, selects, zooms and themes; Stepwise reports back', async () => {
  const { page, frame } = await openHost(appUrl(), { colorScheme: 'light' });
  await frame.locator('[data-testid=embed-waiting]').waitFor({ timeout: 20_000 });
  assert.equal(await frame.locator('[data-testid=open-file]').isVisible(), false, 'no home page tools');
  await page.evaluate(() => window.handshake());
  const ready = await message(page, 'ready');
  assert.deepEqual(ready, { type: 'ready', protocol: 1, ignored_messages: 0 });

  // load as JSON text → loaded, with the figures the file implies.
  await page.evaluate((text) => window.send({ type: 'load', name: 'run.json', text }), demoText);
  const loaded = await message(page, 'loaded');
  const calls = demo.steps.filter((s) => s.kind === 'llm_call');
  const tokens = calls.reduce((n, s) => n + s.usage.input_tokens + s.usage.output_tokens, 0);
  const errors = demo.steps.filter((s) => s.status === 'failed' || s.kind === 'error').length;
  const demoCli = cliSummary(demoFile);
  assert.deepEqual(loaded.summary, {
    name: demo.name,
    status: demo.status,
    steps: demo.steps.length,
    tasks: demo.tasks.length,
    agents: demo.agents.length,
    tokens,
    tokens_partial: false,
    cost_usd: Math.round(demoCli.summary.cost_usd * 1e6) / 1e6,
    cost_partial: false,
    cost_estimated: true,
    duration_ms: Date.parse(demo.end_time) - Date.parse(demo.start_time),
    errors,
  });
  assert.equal(frameUrl(frame).searchParams.get('trace'), 'file:run.json');
  assert.equal(frameUrl(frame).searchParams.get('embed'), '1', 'the embedding parameters stay');
  await frame.locator('h1.trace-name').waitFor();

  // select → step-selected, and the details pane shows the step.
  const step = demo.steps.find((s) => s.id === 's13');
  await page.evaluate((id) => window.send({ type: 'select', step: id }), step.id);
  assert.deepEqual(await message(page, 'step-selected'), { type: 'step-selected', id: step.id, name: step.name, kind: step.kind });
  assert.match(await frame.locator('[data-testid=step-details]').textContent(), new RegExp(step.name));
  assert.equal(frameUrl(frame).searchParams.get('step'), step.id);
  // Selecting what is already selected still gets an answer.
  await page.evaluate((id) => window.send({ type: 'select', step: id }), step.id);
  await message(page, 'step-selected', (m) => m.id === step.id, 1);

  // set-window → the view's from/to; null resets it.
  await page.evaluate(() => window.send({ type: 'set-window', from_ms: 1500, to_ms: 42000 }));
  await until(() => frameUrl(frame).searchParams.get('from') === '1500' && frameUrl(frame).searchParams.get('to') === '42000', 'from/to');
  await page.evaluate(() => window.send({ type: 'set-window', from_ms: null, to_ms: null }));
  await until(() => !frameUrl(frame).searchParams.has('from'), 'the window reset');

  // set-theme → data-theme on the frame's <html>.
  await page.evaluate(() => window.send({ type: 'set-theme', theme: 'dark' }));
  await until(async () => (await theme(frame)) === 'dark', 'the dark theme');
  await page.evaluate(() => window.send({ type: 'set-theme', theme: 'light' }));
  await until(async () => (await theme(frame)) === 'light', 'the light theme');

  // A user's click inside the frame is announced too.
  const clicked = demo.steps.find((s) => s.id === 's08');
  await frame.locator('li.step a', { hasText: clicked.name }).first().click();
  assert.deepEqual(await message(page, 'step-selected', (m) => m.id === clicked.id), {
    type: 'step-selected',
    id: clicked.id,
    name: clicked.name,
    kind: clicked.kind,
  });

  // Malformed or impossible requests are answered with an error, and change nothing.
  await page.evaluate(() => window.send({ type: 'explode' }));
  assert.match((await message(page, 'error')).message, /Unknown message type "explode"/);
  await page.evaluate(() => window.send({ type: 'select', step: 'no-such-step' }));
  assert.match((await message(page, 'error', () => true, 1)).message, /no step with id "no-such-step"/);
  await page.evaluate(() => window.send({ type: 'load', name: 'bad.json', text: 'this is not a trace' }));
  assert.match((await message(page, 'error', () => true, 2)).message, /^bad\.json: /);
  assert.equal(frameUrl(frame).searchParams.get('step'), clicked.id);

  // load as an ArrayBuffer (transferred) → loaded with that file's figures.
  const crew = cliSummary(crewFile);
  await page.evaluate(async (bytes) => {
    const buffer = new Uint8Array(bytes).buffer;
    window.send({ type: 'load', name: 'crew.json', buffer }, [buffer]);
  }, [...readFileSync(crewFile)]);
  const second = await message(page, 'loaded', () => true, 1);
  assert.equal(second.summary.name, crew.name);
  assert.equal(second.summary.steps, crew.summary.steps);
  assert.equal(second.summary.tokens, crew.summary.total_tokens);
  assert.equal(second.summary.errors, crew.summary.errors);
  assert.equal(frameUrl(frame).searchParams.get('trace'), 'file:crew.json');
  assert.equal(frameUrl(frame).searchParams.get('step'), null, 'a new trace starts unselected');

  // The same name again is a new load, not the old trace.
  await page.evaluate((text) => window.send({ type: 'load', name: 'run.json', text }), demoText);
  await message(page, 'loaded', () => true, 2);
  assert.equal(frameUrl(frame).searchParams.get('trace'), 'file:run.json (2)');

  // resize: the content height, which the host applies to the frame.
  const resize = await message(page, 'resize');
  assert.ok(resize.height_px > 100, `a plausible height (${resize.height_px})`);
  await until(async () => {
    const all = (await received(page)).filter((m) => m.type === 'resize');
    const content = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
    return all.at(-1).height_px === content;
  }, 'the last resize to match the content height');
  const frameHeight = await page.evaluate(() => document.getElementById('app').getBoundingClientRect().height);
  const last = (await received(page)).filter((m) => m.type === 'resize').at(-1);
  assert.equal(Math.round(frameHeight), last.height_px, 'the host sized the frame');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('messages from a foreign origin are ignored and counted, never obeyed', async () => {
  const { page, frame } = await openHost(appUrl({ trace: 'demo', theme: 'light' }));
  await frame.locator('h1.trace-name').waitFor({ timeout: 20_000 });
  await page.evaluate(() => window.handshake());
  await message(page, 'loaded');
  const before = await received(page);
  const url = frame.url();

  await page.evaluate((href) => window.addForeign(href), `${foreignOrigin()}/foreign.html`);
  const bridge = frame.locator('[data-testid=embed-bridge]');
  await until(async () => (await bridge.getAttribute('data-ignored-messages')) === '3', 'three ignored messages');
  assert.equal(await theme(frame), 'light', 'set-theme from the foreign origin is not obeyed');
  assert.equal(frame.url(), url, 'neither select nor load changed the view');
  assert.equal(await frame.locator('[data-testid=step-details]').count(), 0);
  const after = await received(page);
  assert.deepEqual(after.filter((m) => m.type !== 'resize'), before.filter((m) => m.type !== 'resize'), 'nothing was announced');
  // The count is in the next ready, and the console says so once (info, not error).
  await page.evaluate(() => window.send({ type: 'ping' }));
  await message(page, 'ready', (m) => m.ignored_messages === 3);
  assert.equal(page.infos.filter((text) => text.includes('Stepwise ignored a message')).length, 1);
  assert.match(page.infos.find((text) => text.includes('Stepwise ignored')), new RegExp(foreignOrigin().replace(/\./g, '\\.')));
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a host whose origin is not allowed gets no answer', async () => {
  const { page, frame } = await openHost(appUrl({ trace: 'demo', origins: 'https://dashboard.example' }));
  await frame.locator('h1.trace-name').waitFor({ timeout: 20_000 });
  const bridge = frame.locator('[data-testid=embed-bridge]');
  for (let i = 0; i < 5; i += 1) await page.evaluate(() => window.send({ type: 'ping' }));
  await page.evaluate(() => window.send({ type: 'set-theme', theme: 'dark' }));
  await until(async () => Number(await bridge.getAttribute('data-ignored-messages')) === 6, 'six ignored messages');
  assert.deepEqual(await received(page), [], 'not even ready: the host is not allowed');
  assert.notEqual(await theme(frame), 'dark');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the frame fits widths from a phone to a desktop without sideways scrolling', async () => {
  for (const width of [390, 420, 640, 1000]) {
    const { page, frame } = await openHost(appUrl({ trace: 'demo', step: 's04' }), { viewport: { width, height: 844 } });
    await frame.locator('[data-testid=step-details]').waitFor({ timeout: 20_000 });
    const { scroll, client } = await frame.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    assert.ok(scroll <= client, `no sideways scrolling at ${width} px (content ${scroll} px in ${client} px)`);
    if (width === 390) {
      await page.evaluate(() => window.handshake());
      await message(page, 'resize');
      await until(async () => {
        const height = await page.evaluate(() => document.getElementById('app').getBoundingClientRect().height);
        return height > 844;
      }, 'the frame to grow to its content');
      // Chromium paints an out-of-process frame only near the viewport: show it all.
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      await page.setViewportSize({ width, height });
      await screenshot(page, 'embed-compact');
    }
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test('the example page drives the frame with its buttons', async () => {
  const page = await newPage(browser);
  await page.goto(`${app.url}embed-example.html`);
  await until(async () => (await page.locator('#status').textContent()) === 'ready', 'the handshake');
  await page.locator('#sample').click();
  await until(async () => (await page.locator('#status').textContent()).startsWith(`showing “${demo.name}”`), 'the sample');
  const frame = page.frames().find((f) => f.url().includes('embed=1'));
  await frame.locator('h1.trace-name').waitFor();
  await page.locator('#step').fill('s04');
  await page.locator('#select').click();
  await frame.locator('[data-testid=step-details]').waitFor();
  await until(async () => (await page.locator('#log').textContent()).includes('"type":"step-selected","id":"s04"'), 'the log');
  await until(async () => (await page.locator('#stepwise').evaluate((f) => f.style.height)) !== '', 'auto height');
  await screenshot(page, 'embed-example');
  await page.locator('button[data-theme=dark]').click();
  await until(async () => (await theme(frame)) === 'dark', 'the dark theme');
  await screenshot(page, 'embed-example-dark');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a flood of host messages does not freeze the frame: the last of each kind wins', async () => {
  const { page, frame } = await openHost(appUrl({ trace: 'demo' }));
  await frame.locator('h1.trace-name').waitFor({ timeout: 20_000 });
  await page.evaluate(() => window.handshake());
  await message(page, 'loaded');
  const historyBefore = await frame.evaluate(() => history.length);
  const ids = demo.steps.map((s) => s.id);
  const last = ids.at(-2);
  // 20,000 selections, 5,000 malformed messages and 2,000 theme changes in one burst.
  const posted = await page.evaluate(({ ids, last }) => {
    const started = performance.now();
    for (let n = 0; n < 20_000; n += 1) window.send({ type: 'select', step: ids[n % ids.length] });
    for (let n = 0; n < 5_000; n += 1) window.send({ type: 'no-such-type', n });
    for (let n = 0; n < 2_000; n += 1) window.send({ type: 'set-theme', theme: n % 2 ? 'light' : 'dark' });
    window.send({ type: 'select', step: last });
    window.send({ type: 'set-theme', theme: 'dark' });
    return performance.now() - started;
  }, { ids, last });
  assert.ok(posted < 10_000, `posting took ${posted} ms`);
  await until(() => frameUrl(frame).searchParams.get('step') === last, 'the last selection', 30_000);
  await until(async () => (await theme(frame)) === 'dark', 'the last theme', 30_000);
  // The frame answers promptly once the burst is through.
  const roundTripMs = await frame.evaluate(
    () => new Promise((resolve) => {
      const started = performance.now();
      requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - started), 0));
    }),
  );
  assert.ok(roundTripMs < 500, `a frame took ${roundTripMs} ms after the flood`);
  const bridge = frame.locator('[data-testid=embed-bridge]');
  const merged = Number(await bridge.getAttribute('data-merged-messages'));
  assert.ok(merged > 1_000, `most commands were merged (${merged})`);
  // Selections replace the history entry: the page around the frame keeps its back button.
  assert.equal(await frame.evaluate(() => history.length), historyBefore);
  // Errors are answered, but not 5,000 times.
  const errors = (await received(page)).filter((m) => m.type === 'error').length;
  assert.ok(errors >= 1 && errors <= 200, `error answers: ${errors}`);
  assert.match(await frame.locator('[data-testid=step-details] h2').textContent(), new RegExp(demo.steps.find((s) => s.id === last).name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the host page cannot reach into the frame, and nothing posted carries credentials', async () => {
  // API credentials live in the frame's own storage, on the app's origin: the host page,
  // on another origin, cannot read the frame's document or storage.
  const { page, frame } = await openHost(appUrl({ trace: 'demo' }));
  await frame.locator('h1.trace-name').waitFor({ timeout: 20_000 });
  await page.evaluate(() => window.handshake());
  await message(page, 'loaded');
  await page.evaluate(() => window.send({ type: 'select', step: 's04' }));
  await message(page, 'step-selected');
  const reach = await page.evaluate(() => {
    const app = document.getElementById('app').contentWindow;
    const attempt = (read) => {
      try {
        read();
        return 'readable';
      } catch (error) {
        return error.name;
      }
    };
    return [attempt(() => app.sessionStorage), attempt(() => app.localStorage), attempt(() => app.document.body)];
  });
  assert.deepEqual(reach, ['SecurityError', 'SecurityError', 'SecurityError']);
  assert.doesNotMatch(JSON.stringify(await received(page)), /sk-lf-|secret|password|authorization/i);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
