// The demo opens at the root and under a sub-path, and a deep link survives a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SUB_PATH, startStaticServer, launchBrowser, newPage, screenshot } from './harness.js';

// Expected figures come from the demo file itself, not from the page.
const demo = JSON.parse(readFileSync(join(ROOT, 'public', 'demo', 'trace.json'), 'utf8')).trace;

let atRoot;
let underSubPath;
let browser;
before(async () => {
  atRoot = await startStaticServer('/');
  underSubPath = await startStaticServer(SUB_PATH);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await atRoot?.stop();
  await underSubPath?.stop();
});

async function openDemo(url) {
  const page = await newPage(browser);
  await page.goto(`${url}?trace=demo`);
  await page.locator('h1.trace-name').waitFor({ timeout: 20_000 });
  return page;
}

for (const where of ['under a sub-path', 'at the root']) {
  test(`the demo opens ${where} with its name and step count`, async () => {
    const server = where === 'at the root' ? atRoot : underSubPath;
    const page = await openDemo(server.url);
    assert.equal(await page.locator('h1.trace-name').textContent(), demo.name);
    assert.equal(
      await page.locator('[data-testid=steps] .figure-value').textContent(),
      String(demo.steps.length),
    );
    assert.equal(await page.locator('li.step').count(), demo.steps.length);
    assert.equal(await page.locator('table.tasks tbody tr').count(), demo.tasks.length);
    await screenshot(page, `demo-${where.replaceAll(' ', '-')}`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
}

test('a selected step is a deep link that survives a reload on a plain static server', async () => {
  const page = await openDemo(underSubPath.url);
  const failed = demo.steps.find((step) => step.kind === 'error');
  await page.locator('li.step', { hasText: failed.name }).first().click();
  await page.locator('[data-testid=step-details] h2').waitFor();
  assert.equal(await page.locator('[data-testid=step-details] h2').textContent(), failed.name);
  const url = new URL(page.url());
  assert.equal(url.pathname, SUB_PATH, 'the path stays the hosting directory');
  assert.equal(url.searchParams.get('step'), failed.id);

  await page.reload();
  await page.locator('[data-testid=step-details] h2').waitFor({ timeout: 20_000 });
  assert.equal(await page.locator('[data-testid=step-details] h2').textContent(), failed.name);
  assert.match(await page.locator('.step-error').textContent(), /failed 2 times/);
  await screenshot(page, 'demo-deep-link-error-step');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('hostile text in the demo is shown as text', async () => {
  const page = await openDemo(underSubPath.url);
  const result = demo.steps.find((step) => JSON.stringify(step.output ?? '').includes('<script>'));
  await page.locator('li.step', { hasText: result.name }).first().click();
  const shown = await page.locator('[data-testid=step-details] pre.value').textContent();
  assert.match(shown, /<script>alert\('not rendered'\)<\/script>/);
  assert.equal(await page.locator('[data-testid=step-details] script').count(), 0);
  await page.context().close();
});

test('the logo in the trace header leads back to the start page under the sub-path', async () => {
  const page = await openDemo(underSubPath.url);
  await page.locator('[data-testid=home-link]').click();
  await page.locator('[data-testid=open-demo]').waitFor({ timeout: 10_000 });
  const url = new URL(page.url());
  assert.equal(url.pathname, SUB_PATH);
  assert.equal(url.search, '');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
