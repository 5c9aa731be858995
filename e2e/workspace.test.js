// The trace page's layout (issue 18, items 4 and 6): the views as tabs kept in the URL,
// the details beside whichever view is shown (a drawer at 800 px), the tasks table and the
// output one click away, and re-rooting at a step with a breadcrumb back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SUB_PATH, startStaticServer, launchBrowser, newPage, screenshot, untilUrl } from './harness.js';

const demo = JSON.parse(readFileSync(join(ROOT, 'public', 'demo', 'trace.json'), 'utf8')).trace;

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
const tab = (page, name) => page.getByRole('tab', { name });
const view = (page) => new URL(page.url()).searchParams.get('view');

/** Whether the element's box lies inside the viewport, with no scrolling. */
async function inView(locator) {
  const box = await locator.boundingBox();
  const size = locator.page().viewportSize();
  return box !== null && box.y >= 0 && box.y + Math.min(box.height, 40) <= size.height && box.x + box.width <= size.width + 1;
}

test('the views are tabs kept in the URL, and Back returns to the last one', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}?trace=demo`);
  await rows(page).first().waitFor({ timeout: 20_000 });
  assert.equal(await tab(page, 'Timeline').getAttribute('aria-selected'), 'true');
  assert.equal(view(page), null, 'the timeline is the default, not written');
  await tab(page, 'Insights').click();
  await untilUrl(page, () => view(page) === 'insights');
  await page.locator('[data-testid=insights]').waitFor();
  assert.equal(await page.locator('[data-testid=timeline]').count(), 0, 'one view at a time');
  await page.goBack();
  await untilUrl(page, () => view(page) === null);
  await page.locator('[data-testid=timeline]').waitFor();
  // Arrow keys move along the tabs; number keys pick one.
  await tab(page, 'Timeline').focus();
  await page.keyboard.press('ArrowRight');
  await untilUrl(page, () => view(page) === 'graph');
  assert.equal(await tab(page, 'Graph').getAttribute('aria-selected'), 'true');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.locator('body').press('4');
  await untilUrl(page, () => view(page) === 'insights');
  await page.locator('body').press('1');
  await untilUrl(page, () => view(page) === null);
  // A link names its view.
  await page.goto(`${server.url}?trace=demo&view=insights`);
  await page.locator('[data-testid=insights]').waitFor({ timeout: 20_000 });
  assert.equal(await tab(page, 'Insights').getAttribute('aria-selected'), 'true');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a step link at 1280×800 shows the details beside the view, without scrolling', async () => {
  const failed = demo.steps.find((s) => s.status === 'failed');
  for (const scheme of ['light', 'dark']) {
    const page = await newPage(browser, { viewport: { width: 1280, height: 800 }, colorScheme: scheme });
    await page.goto(`${server.url}?trace=demo&step=${failed.id}`);
    const details = page.locator('[data-testid=step-details]');
    await details.waitFor({ timeout: 20_000 });
    assert.ok(await inView(details.locator('h2.details-title')), 'the title is on the first screen');
    assert.ok(await inView(details.locator('.step-error').first()), 'so is the error');
    assert.ok(await inView(page.locator('[data-testid=timeline]')), 'beside the timeline');
    await screenshot(page, `workspace-1280-${scheme}`);
    // Beside every view, not just the timeline.
    await tab(page, 'Insights').click();
    await page.locator('[data-testid=insights]').waitFor();
    assert.ok(await inView(details.locator('h2.details-title')), 'beside the insights too');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test('at 800 px the details are a drawer that the close button shuts', async () => {
  const call = demo.steps.find((s) => s.kind === 'llm_call');
  const page = await newPage(browser, { viewport: { width: 800, height: 800 } });
  await page.goto(`${server.url}?trace=demo&step=${call.id}`);
  const details = page.locator('[data-testid=step-details]');
  await details.waitFor({ timeout: 20_000 });
  const dock = page.locator('.details-dock');
  await page.waitForTimeout(300);
  const box = await dock.boundingBox();
  assert.ok(box && box.x > 200 && box.x + box.width <= 801, `a drawer on the right (${JSON.stringify(box)})`);
  assert.equal(await dock.evaluate((el) => getComputedStyle(el).position), 'fixed');
  await screenshot(page, 'workspace-800-drawer');
  await details.locator('.details-close').click();
  await untilUrl(page, (url) => !url.searchParams.has('step'));
  await page.waitForTimeout(300);
  assert.equal(await dock.isVisible(), false, 'closed with the selection');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 800, `no sideways scrolling (${width} px)`);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the tasks table and the output are one click away', async () => {
  const page = await newPage(browser, { viewport: { width: 1280, height: 800 } });
  await page.goto(`${server.url}?trace=demo`);
  await rows(page).first().waitFor({ timeout: 20_000 });
  const heading = page.locator('#tasks-heading');
  assert.equal(await inView(heading), false, 'below the fold at first');
  await page.getByRole('button', { name: /Tasks & agents/ }).click();
  await page.waitForFunction(() => {
    const box = document.getElementById('tasks-heading').getBoundingClientRect();
    return box.top >= 0 && box.top < window.innerHeight;
  });
  await page.getByRole('button', { name: /^Output/ }).click();
  await page.waitForFunction(() => {
    const box = document.getElementById('output-heading').getBoundingClientRect();
    return box.top >= 0 && box.top < window.innerHeight;
  });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('re-rooting shows one subtree with a breadcrumb back; r and u do the same', async () => {
  const children = new Map();
  for (const step of demo.steps) {
    if (step.parent_id) children.set(step.parent_id, (children.get(step.parent_id) ?? 0) + 1);
  }
  // A nested parent, so the breadcrumb has a level above it.
  const byId = new Map(demo.steps.map((s) => [s.id, s]));
  const parent = demo.steps.find((s) => children.get(s.id) > 1 && s.parent_id && byId.has(s.parent_id))
    ?? demo.steps.find((s) => children.get(s.id) > 1);
  const size = (id) => 1 + demo.steps.filter((s) => s.parent_id === id).reduce((n, s) => n + size(s.id), 0);
  const page = await newPage(browser, { viewport: { width: 1280, height: 800 } });
  await page.goto(`${server.url}?trace=demo&step=${parent.id}`);
  await page.locator('[data-testid=step-details]').waitFor({ timeout: 20_000 });
  assert.equal(await rows(page).count(), demo.steps.length);
  await page.getByRole('button', { name: 'Show only this subtree' }).click();
  await untilUrl(page, (url) => url.searchParams.get('root') === parent.id);
  const crumb = page.locator('[data-testid=root-crumb]');
  await crumb.waitFor();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=step-list] li.step').length === n, size(parent.id));
  assert.match(await crumb.textContent(), new RegExp(`Whole trace.*${parent.name}`));
  await page.getByRole('button', { name: 'Show only this subtree' }).waitFor({ state: 'detached' });
  // Already the root: the button to re-root here is gone.
  const lanes = Number(await page.locator('[data-testid=timeline]').getAttribute('data-lanes'));
  await screenshot(page, 'workspace-rerooted');
  // The root survives a switch of view, and the timeline shows only the subtree.
  await page.goBack();
  await untilUrl(page, (url) => !url.searchParams.has('root'));
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=step-list] li.step').length === n, demo.steps.length);
  const allLanes = Number(await page.locator('[data-testid=timeline]').getAttribute('data-lanes'));
  assert.ok(lanes < allLanes, `fewer lanes when re-rooted (${lanes} < ${allLanes})`);
  // By keys: r re-roots at the selection, u goes up a level.
  await page.locator('body').press('r');
  await untilUrl(page, (url) => url.searchParams.get('root') === parent.id);
  await page.locator('body').press('u');
  const up = parent.parent_id && byId.has(parent.parent_id) ? parent.parent_id : null;
  await untilUrl(page, (url) => url.searchParams.get('root') === up);
  // The breadcrumb's first part shows the whole trace.
  if (up) {
    await crumb.getByRole('button', { name: 'Whole trace' }).click();
    await untilUrl(page, (url) => !url.searchParams.has('root'));
  }
  assert.equal(await crumb.count(), 0);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
