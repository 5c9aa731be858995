// Hostile text in every text field of every format: nothing runs, nothing opens, nothing
// leaves for another host, and the page stays usable.
//
// Each format's real file is rewritten in memory: every free-text string gets one of the
// payloads appended (the same original always gets the same one, so ids that are repeated
// as references still match). Short single-word strings such as ids, enums, timestamps,
// tool and model names are structural and also get payloads when they sit under a key
// that holds text (name, role, input…).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SUB_PATH, startStaticServer, launchBrowser, newPage, screenshot, dropFiles } from './harness.js';

const REAL = join(ROOT, 'tests', 'fixtures', 'real');
const FIXTURES = join(ROOT, 'tests', 'fixtures');

const SOURCES = [
  ['Stepwise', join(ROOT, 'public', 'demo', 'trace.json')],
  ['CrewAI', join(REAL, 'crewai-trace-batch-events-v1.6.0.json')],
  ['OTLP', join(REAL, 'otlp-proto-example-trace.json')],
  ['OTLP, several resources', join(REAL, 'otlp-jaeger-ui-multi-resource.json')],
  ['Langfuse', join(REAL, 'langfuse-export-crewai-2025-07-11.json')],
  ['Jaeger', join(FIXTURES, 'jaeger', 'single_trace.json')],
  ['LangSmith', join(FIXTURES, 'langsmith', 'run_tree_child_runs.json')],
];

// Any of these running sets window.__pwned; any of these loading asks evil.example.
const PAYLOADS = [
  '<script>window.__pwned = "script"</script>',
  '<img src=x onerror="window.__pwned = \'img\'">',
  '<svg onload="window.__pwned = \'svg\'"><circle r="9"/></svg>',
  '<a href="javascript:window.__pwned=\'href\'">click</a>',
  '[markdown link](javascript:window.__pwned="md")',
  '![tracker](http://evil.example/pixel.png)',
  '<iframe src="http://evil.example/frame"></iframe>',
  '<style>body { display: none !important }</style>',
  '<div style="position:fixed;inset:0;z-index:99999;background:red">covered</div>',
  '<link rel="stylesheet" href="http://evil.example/x.css">',
  '"><body onload="window.__pwned=\'attr\'">',
  '{{constructor.constructor("window.__pwned=\'tpl\'")()}}',
  'safe \u202Egnp.exe\u202C and \u2067isolated\u2069 bidi',
];
// One field per file gets a single 1 MB line with no break opportunity.
const HUGE_LINE = 'W'.repeat(1024 * 1024);
const TEXT_KEYS = /^(name|role|goal|backstory|description|expected_output|input|output|inputs|outputs|content|message|text|prompt|completion|result|error|statusMessage|operationName|final_output|task_name|agent_role)$/i;

function poison(json) {
  const seen = new Map();
  let next = 0;
  let hugeUsed = false;
  const rewrite = (text) => {
    if (!seen.has(text)) {
      let extra = PAYLOADS[next++ % PAYLOADS.length];
      if (!hugeUsed && text.length > 20) {
        extra += HUGE_LINE;
        hugeUsed = true;
      }
      seen.set(text, `${text} ${extra}`);
    }
    return seen.get(text);
  };
  const walk = (value, key) => {
    if (Array.isArray(value)) return value.map((item) => walk(item, key));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    }
    if (typeof value !== 'string') return value;
    const freeText = /\s/.test(value) || value.length > 40;
    const looksLikeTime = /^\d{4}-\d\d-\d\dT/.test(value) || /^\d+$/.test(value);
    if (looksLikeTime) return value;
    return freeText || TEXT_KEYS.test(key ?? '') ? rewrite(value) : value;
  };
  return walk(json);
}

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

/** A page that records every way hostile text could act. */
async function guardedPage() {
  const page = await newPage(browser);
  page.dialogs = [];
  page.on('dialog', async (dialog) => {
    page.dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  page.foreign = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!['127.0.0.1', 'localhost'].includes(url.hostname) && !['data:', 'blob:'].includes(url.protocol)) {
      page.foreign.push(request.url());
    }
  });
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (event) =>
      window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  return page;
}

async function assertNothingRan(page, label) {
  assert.equal(await page.evaluate(() => window.__pwned), undefined, `${label}: a payload ran`);
  assert.deepEqual(page.dialogs, [], `${label}: a dialog opened`);
  assert.deepEqual(page.foreign, [], `${label}: a request left for another host`);
  assert.deepEqual(await page.evaluate(() => window.__violations), [], `${label}: CSP violations`);
  // No payload became an element.
  const planted = await page.evaluate(
    () => document.querySelectorAll('body script, body iframe, body svg[onload], img[onerror], body style, link[href*="evil"]').length,
  );
  assert.equal(planted, 0, `${label}: a payload became markup`);
  // Usable: the page does not scroll sideways, and its header is on screen.
  const layout = await page.evaluate(() => ({
    scrollWidth: document.scrollingElement.scrollWidth,
    width: window.innerWidth,
    bodyShown: getComputedStyle(document.body).display !== 'none',
  }));
  assert.ok(layout.bodyShown, `${label}: the body was hidden`);
  assert.ok(layout.scrollWidth <= layout.width + 1, `${label}: the page scrolls sideways (${layout.scrollWidth} > ${layout.width})`);
}

for (const [format, file] of SOURCES) {
  test(`${format}: hostile text in every field is shown as text`, async () => {
    const text = JSON.stringify(poison(JSON.parse(readFileSync(file, 'utf8'))));
    const page = await guardedPage();
    await page.goto(server.url);
    await page.locator('[data-testid=open-file]').first().waitFor({ state: 'attached', timeout: 20_000 });
    await dropFiles(page, [{ name: 'hostile.json', text }]);
    await page.locator('h1.trace-name').waitFor({ timeout: 30_000 });
    // The payloads reach the page as text.
    const shown = await page.locator('body').innerText();
    assert.match(shown, /<script>|onerror|onload|javascript:|evil\.example|<iframe|<style|\u202E/, `${format}: no payload is visible at all`);
    // Select steps and tasks so every details view renders its hostile fields.
    const steps = page.locator('li.step');
    const count = Math.min(await steps.count(), 25);
    for (let index = 0; index < count; index += 1) {
      await steps.nth(index).click();
      await page.locator('[data-testid=step-details], [data-testid=task-details]').first().waitFor();
    }
    const tasks = page.locator('table.tasks tbody tr');
    for (let index = 0; index < Math.min(await tasks.count(), 5); index += 1) {
      await tasks.nth(index).click();
    }
    // Markdown links that survive are safe ones, and open safely.
    const links = await page.evaluate(() =>
      [...document.querySelectorAll('main a[href], .markdown a[href]')]
        .filter((a) => !a.closest('header'))
        .map((a) => ({ href: a.getAttribute('href'), rel: a.getAttribute('rel') ?? '', target: a.target })),
    );
    for (const link of links.filter((l) => /^[a-z]+:/i.test(l.href))) {
      assert.match(link.href, /^(https?:|mailto:)/i, `${format}: unsafe link ${link.href}`);
      if (link.target === '_blank') assert.match(link.rel, /noopener/, `${format}: ${link.href} opens without noopener`);
    }
    await assertNothingRan(page, format);
    if (format === 'Stepwise') await screenshot(page, 'injection-stepwise');
    assert.deepEqual(page.problems, [], page.problems.join('\n'));
    await page.context().close();
  });
}

test('the built page carries a Content-Security-Policy that blocks inline script', async () => {
  const page = await guardedPage();
  await page.goto(`${server.url}?trace=demo`);
  await page.locator('h1.trace-name').waitFor({ timeout: 20_000 });
  const policy = await page.evaluate(
    () => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '',
  );
  assert.match(policy, /default-src 'none'/);
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
  assert.doesNotMatch(policy, /script-src[^;]*'unsafe-inline'/);
  // A script added at run time, as an injection would be, is refused.
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__pwned = "inline"';
    document.body.append(script);
  });
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  const violations = await page.evaluate(() => window.__violations);
  assert.ok(violations.some((v) => v.startsWith('script-src')), violations.join('\n'));
  page.problems = page.problems.filter((p) => !/Content Security Policy/.test(p));
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
