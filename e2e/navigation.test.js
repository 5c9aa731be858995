// Navigation users expect (issue 18, item 4, in part): collapse and expand all, step to the
// next sibling and to peers of the same kind, by buttons and by the keys listed in `?`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SUB_PATH, startStaticServer, launchBrowser, newPage, untilUrl } from './harness.js';

const demo = JSON.parse(readFileSync(join(ROOT, 'public', 'demo', 'trace.json'), 'utf8')).trace;
const byId = new Map(demo.steps.map((step) => [step.id, step]));

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

const rows = (page) => page.locator('[data-testid=step-list] li.step');
const selected = (page) => new URL(page.url()).searchParams.get('step');

test('collapse all shows the roots, expand all every step; [ and ] do the same', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}?trace=demo`);
  await rows(page).first().waitFor({ timeout: 20_000 });
  const roots = demo.steps.filter((step) => !step.parent_id || !byId.has(step.parent_id)).length;
  assert.equal(await rows(page).count(), demo.steps.length);
  await page.locator('[data-testid=collapse-all]').click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=step-list] li.step').length === n, roots);
  await page.locator('[data-testid=expand-all]').click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=step-list] li.step').length === n, demo.steps.length);
  await page.locator('body').press('[');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=step-list] li.step').length === n, roots);
  await page.locator('body').press(']');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=step-list] li.step').length === n, demo.steps.length);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('n goes to the next sibling and . to the next step of the same kind', async () => {
  const page = await newPage(browser);
  // A step whose parent has several children.
  const counts = new Map();
  for (const step of demo.steps) counts.set(step.parent_id, (counts.get(step.parent_id) ?? 0) + 1);
  const start = demo.steps.find((step) => step.parent_id && counts.get(step.parent_id) > 1);
  await page.goto(`${server.url}?trace=demo&step=${start.id}`);
  await rows(page).first().waitFor({ timeout: 20_000 });
  await page.locator('[data-testid=step-details]').waitFor();
  await page.locator('body').press('n');
  await untilUrl(page, (url) => url.searchParams.get('step') !== start.id);
  const next = byId.get(selected(page));
  assert.equal(next.parent_id, start.parent_id, 'a sibling: the same parent');
  await page.locator('body').press('.');
  await untilUrl(page, (url) => url.searchParams.get('step') !== next.id);
  assert.equal(byId.get(selected(page)).kind, next.kind, 'a peer: the same kind');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
