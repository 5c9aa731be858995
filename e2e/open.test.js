// Opening traces as a user does: dropping files (several at once, gzip), picking them,
// pasting JSON, and `?src=` against a real API server on another port, with every failure
// the page must explain in plain words, progress, Cancel and Retry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, SUB_PATH, startStaticServer, launchBrowser, newPage, screenshot, dropFiles as drop, untilUrl } from './harness.js';
import { startApiServer } from './api_server.js';

const demoFile = join(ROOT, 'public', 'demo', 'trace.json');
const demoText = readFileSync(demoFile, 'utf8');
const demo = JSON.parse(demoText).trace;
const REAL = join(ROOT, 'tests', 'fixtures', 'real');
const LANGFUSE = 'langfuse-export-crewai-2025-07-11.json';
const OTLP = 'otlp-proto-example-trace.json';

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

/** What `stepwise summary` says about files: the same core, natively. */
function cliSummary(files) {
  const out = execFileSync('cargo', ['run', '--quiet', '-p', 'stepwise-cli', '--bin', 'stepwise', '--', 'summary', ...files], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out);
}

const stepsFigure = (page) => page.locator('[data-testid=steps] .figure-value');
const errorMessage = (page) => page.locator('[data-testid=load-error-message]');

/** The home page, ready for drops and pastes. */
async function home(options = {}) {
  const page = await newPage(browser, options);
  await page.goto(server.url);
  await page.locator('[data-testid=open-file]').first().waitFor({ state: 'attached', timeout: 20_000 });
  return page;
}

/** Opens `?src=url` (plus more query) on the static server. */
async function openSrc(url, more = '', options = {}) {
  const page = await newPage(browser, options);
  await page.goto(`${server.url}?src=${encodeURIComponent(url)}${more}`);
  return page;
}

/** Problems other than the failures a test provokes on purpose (by URL or origin). */
function unexpected(page, ...expected) {
  // Chromium logs each failed load without its URL.
  const logged = ['Failed to load resource', ...expected];
  return page.problems.filter((problem) => !logged.some((text) => problem.includes(text)));
}

/** A loopback port with nothing listening. */
async function closedPort() {
  const probe = createServer();
  await new Promise((ready) => probe.listen(0, '127.0.0.1', ready));
  const { port } = probe.address();
  await new Promise((done) => probe.close(done));
  return port;
}

test('dragging files shows a full-page drop target saying what can be dropped', async () => {
  for (const [name, options] of [
    ['drop-overlay', {}],
    ['drop-overlay-phone', { viewport: { width: 390, height: 844 } }],
    ['drop-overlay-dark', { colorScheme: 'dark' }],
  ]) {
    const page = await home(options);
    await drop(page, [{ name: 'a.json', text: demoText }], 'dragover');
    const overlay = page.locator('[data-testid=drop-overlay]');
    await overlay.waitFor();
    assert.match(await overlay.textContent(), /Drop trace files.*\.json, \.jsonl, \.json\.gz/);
    const box = await overlay.boundingBox();
    const viewport = page.viewportSize();
    assert.deepEqual([box.width, box.height], [viewport.width, viewport.height], 'covers the whole page');
    await screenshot(page, name);
    await page.evaluate(() =>
      document.body.dispatchEvent(new DragEvent('dragleave', { bubbles: true, dataTransfer: window.__transfer })),
    );
    await overlay.waitFor({ state: 'detached' });
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test('dropping a file opens it with the figures of the source file', async () => {
  const page = await home();
  await drop(page, [{ name: 'run.json', text: demoText }]);
  await untilUrl(page, (url) => url.searchParams.get('trace') === 'file:run.json');
  assert.equal(await stepsFigure(page).textContent(), String(demo.steps.length));
  assert.equal(await page.locator('[data-testid=open-summary]').textContent(), 'Opened 1 trace from run.json.');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('two files dropped at once open as two traces; the first is shown', async () => {
  const page = await home();
  const otlpText = readFileSync(join(REAL, OTLP), 'utf8');
  const langfuseText = readFileSync(join(REAL, LANGFUSE), 'utf8');
  const [langfuse] = cliSummary([join(REAL, LANGFUSE)]);
  await drop(page, [
    { name: 'crew.json', text: langfuseText },
    // JSON Lines: one OTLP request per line.
    { name: 'spans.jsonl', text: `${JSON.stringify(JSON.parse(otlpText))}\n` },
  ]);
  await untilUrl(page, (url) => url.searchParams.get('trace') === 'file:crew.json');
  assert.equal(await stepsFigure(page).textContent(), String(langfuse.traces[0].summary.steps));
  assert.equal(
    await page.locator('[data-testid=open-summary]').textContent(),
    'Opened 2 traces from 2 files: crew.json, spans.jsonl.',
  );
  await screenshot(page, 'open-two-files');
  // The second is kept in this tab too: walk to it through the router.
  await page.evaluate(() => {
    history.pushState(null, '', '?trace=file%3Aspans.jsonl');
    dispatchEvent(new PopStateEvent('popstate'));
  });
  await page.locator('h1.trace-name', { hasText: "I'm a server span" }).waitFor();
  assert.equal(await stepsFigure(page).textContent(), '1');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a gzip file is detected by its bytes, whatever its name, and decompressed', async () => {
  const page = await home();
  await drop(page, [{ name: 'run.json.gz', text: demoText, gzip: true }]);
  await untilUrl(page, (url) => url.searchParams.get('trace') === 'file:run.json');
  assert.equal(await stepsFigure(page).textContent(), String(demo.steps.length));
  // Named like plain JSON, still gzip inside.
  await drop(page, [{ name: 'disguised.json', text: demoText, gzip: true }]);
  await untilUrl(page, (url) => url.searchParams.get('trace') === 'file:disguised.json');
  assert.equal(await stepsFigure(page).textContent(), String(demo.steps.length));
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a bad file is explained by name, and the good ones still open', async () => {
  const page = await home();
  await drop(page, [
    { name: 'broken.json', text: '{"trace": {"steps": [' },
    { name: 'notes.json', text: 'hello' },
    { name: 'good.json', text: demoText },
  ]);
  await untilUrl(page, (url) => url.searchParams.get('trace') === 'file:good.json');
  const problems = await page.locator('.open-problem').allTextContents();
  assert.equal(problems.length, 2);
  assert.match(problems[0], /^broken\.json: The file is not valid JSON at line 1/);
  assert.match(problems[1], /^notes\.json: The file is not valid JSON/);
  assert.equal(await page.locator('[data-testid=open-summary]').textContent(), 'Opened 1 trace from good.json.');
  await screenshot(page, 'open-problems');
  await page.locator('[data-testid=dismiss-open-report]').click();
  await page.locator('[data-testid=open-report]').waitFor({ state: 'detached' });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a JSON Lines file with a cut-off line opens, and says which line it is missing', async () => {
  const line = JSON.stringify(JSON.parse(readFileSync(join(REAL, OTLP), 'utf8')));
  const page = await home();
  await drop(page, [{ name: 'spans.jsonl', text: `${line}\n${line.slice(0, 60)}` }]);
  await untilUrl(page, (url) => url.searchParams.get('trace') === 'file:spans.jsonl');
  const notice = page.locator('[data-testid=trace-repairs]');
  await notice.waitFor({ timeout: 20_000 });
  assert.equal(await notice.getAttribute('data-skipped'), '1');
  assert.match(await notice.locator('summary').textContent(), /^Partly read: 1 part of the file could not be read/);
  await notice.locator('summary').click();
  // The sample's own repairs (a parent link it fixed) are listed too.
  const item = notice.locator('li').filter({ has: page.locator('.repair-path', { hasText: /^line 2$/ }) });
  assert.equal(await item.count(), 1);
  assert.match(await item.textContent(), /^line 2 Skipped: this line is not valid JSON.*at line 2, column 60/);
  assert.ok(Number((await stepsFigure(page).textContent()).replace(/\D/g, '')) > 0, 'the good line is shown');
  await screenshot(page, 'open-partial');
  // A file read whole and needing no repair (the demo, as one line) has no notice.
  const whole = await home();
  await drop(whole, [{ name: 'whole.jsonl', text: `${JSON.stringify(JSON.parse(demoText))}\n` }]);
  await untilUrl(whole, (url) => url.searchParams.get('trace') === 'file:whole.jsonl');
  await stepsFigure(whole).waitFor();
  assert.equal(await whole.locator('[data-testid=trace-repairs]').count(), 0);
  assert.deepEqual(page.problems, []);
  await page.context().close();
  await whole.context().close();
});

test('a large file shows a progress bar while it is read, then its figures before the trace', async () => {
  const page = await home();
  // Watch for the bar and the preview: reading a few MB from memory is quick.
  await page.evaluate(() => {
    window.__sawProgress = false;
    window.__preview = null;
    new MutationObserver(() => {
      if (document.querySelector('[data-testid=load-progress]')) window.__sawProgress = true;
      const preview = document.querySelector('[data-testid=preview]');
      if (preview && !window.__preview) {
        window.__preview = {
          figures: [...preview.querySelectorAll('[data-testid=preview-figure]')].map((figure) => figure.textContent),
          tasks: preview.querySelectorAll('[data-testid=preview-task]').length,
          text: preview.textContent,
        };
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
  // JSON allows whitespace: the demo padded to 8 MB is still the demo.
  const big = demoText.replace(/\}\s*$/, `${' '.repeat(8_000_000)}}`);
  await drop(page, [{ name: 'big.json', text: big }]);
  await untilUrl(page, (url) => url.searchParams.get('trace') === 'file:big.json', 20_000);
  assert.equal(await stepsFigure(page).textContent(), String(demo.steps.length));
  assert.equal(await page.evaluate(() => window.__sawProgress), true);
  // The import worker sent the headline figures and the tasks ahead of the trace.
  const preview = await page.evaluate(() => window.__preview);
  assert.ok(preview, 'the preview was shown');
  assert.ok(preview.text.includes(demo.name), preview.text);
  assert.equal(preview.figures[0], String(demo.steps.length));
  assert.equal(preview.tasks, demo.tasks.length);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('picking files goes through the same pipeline: several, and gzip', async () => {
  const page = await home();
  const [langfuse] = cliSummary([join(REAL, LANGFUSE)]);
  const picker = page.locator('[data-testid=open-file]').first();
  await picker.setInputFiles([
    { name: LANGFUSE, mimeType: 'application/json', buffer: readFileSync(join(REAL, LANGFUSE)) },
    { name: 'demo.json.gz', mimeType: 'application/gzip', buffer: gzipSync(Buffer.from(demoText)) },
  ]);
  await untilUrl(page, (url) => url.searchParams.get('trace') === `file:${LANGFUSE}`);
  assert.equal(await stepsFigure(page).textContent(), String(langfuse.traces[0].summary.steps));
  assert.equal(
    await page.locator('[data-testid=open-summary]').textContent(),
    `Opened 2 traces from 2 files: ${LANGFUSE}, demo.json.gz.`,
  );
  // A real file from disk, picked again from the trace page's header.
  await page.locator('[data-testid=open-file]').first().setInputFiles(demoFile);
  await untilUrl(page, (url) => url.searchParams.get('trace') === 'file:trace.json');
  assert.equal(await stepsFigure(page).textContent(), String(demo.steps.length));
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('pasting JSON opens it as pasted.json; pasting into a field does not', async () => {
  const page = await home();
  const paste = (text, target = 'document') =>
    page.evaluate(
      ({ text, target }) => {
        const transfer = new DataTransfer();
        transfer.setData('text/plain', text);
        const event = new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true });
        (target === 'document' ? document : document.activeElement).dispatchEvent(event);
      },
      { text, target },
    );
  await paste('not a trace');
  assert.match(
    await page.locator('.open-problem').textContent(),
    /The pasted text is not a trace: expected JSON starting with \{ or \[\./,
  );
  await paste(demoText);
  await untilUrl(page, (url) => url.searchParams.get('trace') === 'file:pasted.json');
  assert.equal(await stepsFigure(page).textContent(), String(demo.steps.length));
  // Text pasted into an input belongs to the input.
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.id = 'scratch';
    document.body.append(input);
    input.focus();
  });
  const before = page.url();
  await paste(readFileSync(join(REAL, OTLP), 'utf8'), 'input');
  await page.waitForTimeout(200);
  assert.equal(page.url(), before);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('?src= opens the demo and a real trace from another origin, and gzip', async () => {
  const [langfuse] = cliSummary([join(REAL, LANGFUSE)]);
  for (const [path, steps] of [
    ['/demo.json', demo.steps.length],
    [`/real/${LANGFUSE}`, langfuse.traces[0].summary.steps],
    ['/demo.json?gzip=1', demo.steps.length],
  ]) {
    const page = await openSrc(`${api.origin}${path}`);
    await stepsFigure(page).waitFor({ timeout: 20_000 });
    assert.equal(await stepsFigure(page).textContent(), String(steps), path);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test('each ?src= failure is explained in plain words, naming the URL', async () => {
  const dead = `http://127.0.0.1:${await closedPort()}/trace.json`;
  const cases = [
    [dead, '', /^Could not reach http:\/\/127\.0\.0\.1:\d+\/trace\.json: the network request failed/],
    [
      `${api.origin}/demo.json?cors=0`,
      '',
      new RegExp(
        `answered, but the browser blocked this page from reading it \\(CORS\\)\\. The server must send the header "Access-Control-Allow-Origin: ${server.origin}"`,
      ),
      'fetch-error-cors',
    ],
    [`${api.origin}/demo.json?fail=404`, '', /^Nothing was found at .* \(404\): check the address of the trace\.$/],
    [`${api.origin}/demo.json?fail=500`, '', /: the server failed with status 500 Internal Server Error\.$/],
    [`${api.origin}/demo.json?fail=html`, '', /sent an HTML page where a JSON trace was expected: perhaps a login page/],
    [`${api.origin}/demo.json?hang=1`, '&timeout_ms=400', /sent nothing for 400 ms: the request timed out\.$/],
    [`${api.origin}/demo.json?fail=truncated`, '', /ends in the middle, as if the download was cut short\. The file is not valid JSON/],
  ];
  for (const [url, more, pattern, shot] of cases) {
    const page = await openSrc(url, more);
    await errorMessage(page).waitFor({ timeout: 20_000 });
    const message = await errorMessage(page).textContent();
    assert.match(message, pattern, url);
    assert.ok(message.includes(url), `the message names ${url}: ${message}`);
    assert.equal(await page.locator('[data-testid=retry-load]').count(), 1);
    if (shot) await screenshot(page, shot);
    assert.deepEqual(unexpected(page, url, dead, 'CORS policy', 'Failed to load resource'), []);
    await page.context().close();
  }
  // The CORS verdict came from a second, no-cors request to the same URL.
  assert.equal(api.requests.filter((r) => r.path === '/demo.json' && r.search === '?cors=0').length, 2);
});

test('the CORS error on a phone and in dark mode', async () => {
  for (const [name, options] of [
    ['fetch-error-cors-phone', { viewport: { width: 390, height: 844 } }],
    ['fetch-error-cors-dark', { colorScheme: 'dark' }],
  ]) {
    const page = await openSrc(`${api.origin}/demo.json?cors=0`, '', options);
    await errorMessage(page).waitFor({ timeout: 20_000 });
    await screenshot(page, name);
    await page.context().close();
  }
});

test('a slow download shows its progress and can be cancelled, then retried', async () => {
  const url = `${api.origin}/demo.json?slow=1`;
  const page = await openSrc(url);
  const figures = page.locator('[data-testid=load-progress-text]');
  const total = Buffer.byteLength(demoText);
  const totalText = `${(total / 1000).toFixed(1)} kB`;
  // Some bytes arrived, not all: "12.3 kB of 30.8 kB (40%)".
  const deadline = Date.now() + 10_000;
  let text = '';
  while (!/^[1-9][\d.]* kB of .* \((\d+)%\)$/.test(text) || text.includes('(100%)')) {
    if (Date.now() > deadline) throw new Error(`no partial progress; last was ${text}`);
    text = (await figures.textContent().catch(() => '')) ?? '';
  }
  assert.ok(text.includes(`of ${totalText}`), text);
  assert.match(await page.locator('[data-testid=load-progress]').textContent(), new RegExp(`Loading ${url.replace(/[?.]/g, '\\$&')}`));
  await screenshot(page, 'fetch-progress');
  await page.locator('[data-testid=cancel-load]').click();
  await errorMessage(page).waitFor();
  assert.equal(await errorMessage(page).textContent(), `Loading ${url} was cancelled.`);
  await page.locator('[data-testid=retry-load]').click();
  await page.locator('[data-testid=load-progress]').waitFor();
  await stepsFigure(page).waitFor({ timeout: 20_000 });
  assert.equal(await stepsFigure(page).textContent(), String(demo.steps.length));
  assert.deepEqual(unexpected(page, url), []);
  await page.context().close();
});

test('Retry fetches again: a server that fails once then answers', async () => {
  const url = `${api.origin}/demo.json?fail_once=500`;
  const page = await openSrc(url);
  await errorMessage(page).waitFor({ timeout: 20_000 });
  assert.match(await errorMessage(page).textContent(), /status 500/);
  await page.locator('[data-testid=retry-load]').click();
  await stepsFigure(page).waitFor({ timeout: 20_000 });
  assert.equal(await stepsFigure(page).textContent(), String(demo.steps.length));
  assert.equal(api.requests.filter((r) => r.search === '?fail_once=500').length, 2);
  assert.deepEqual(unexpected(page, url), []);
  await page.context().close();
});

test('from an error, the way back leads to the start page', async () => {
  const url = `${api.origin}/demo.json?fail=404`;
  const page = await openSrc(url);
  await errorMessage(page).waitFor({ timeout: 20_000 });
  await page.locator('[data-testid=load-home]').click();
  await untilUrl(page, (u) => !u.searchParams.has('src'));
  assert.equal(new URL(page.url()).pathname, SUB_PATH);
  await page.locator('[data-testid=open-file]').waitFor({ state: 'attached' });
  assert.equal(await errorMessage(page).count(), 0);
  assert.deepEqual(unexpected(page, url), []);
  await page.context().close();
});
