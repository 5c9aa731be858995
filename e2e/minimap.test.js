// The timeline's minimap and range zoom (issue 18, item 3): the whole run above the
// timeline with its errors, brushed to zoom, its window dragged to pan, double-clicked to
// reset, driven by keys; and a range dragged on the timeline itself zooms to it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SUB_PATH, startStaticServer, launchBrowser, newPage, untilUrl } from './harness.js';

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

/** The demo's trace page scrolled to its timeline, and the run's length in ms. */
async function open(query = '', options = {}) {
  const page = await newPage(browser, options);
  await page.goto(`${server.url}?trace=demo${query}`);
  await page.locator('[data-testid=minimap]').waitFor({ timeout: 20_000 });
  // The mouse acts on what is on screen: bring the minimap and the timeline's top there.
  await page.locator('.timeline').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  const runMs = Number(await page.locator('[data-testid=minimap]').getAttribute('data-run-ms'));
  return { page, runMs };
}

/** Where a fraction of the run lies on the minimap, in page coordinates. */
async function minimapPoint(page, fraction) {
  const minimap = page.locator('[data-testid=minimap]');
  const box = await minimap.boundingBox();
  const data = await minimap.evaluate((el) => ({ ...el.dataset }));
  return { x: box.x + Number(data.gutterPx) + fraction * Number(data.plotPx), y: box.y + box.height / 2 };
}

/** A press, a move in steps and a release, as a hand would drag. */
async function drag(page, from, to) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (let i = 1; i <= 8; i += 1) {
    await page.mouse.move(from.x + ((to.x - from.x) * i) / 8, from.y + ((to.y - from.y) * i) / 8);
  }
  await page.mouse.up();
}

const windowOf = (page) => {
  const url = new URL(page.url());
  return [Number(url.searchParams.get('from')), Number(url.searchParams.get('to'))];
};

/** Asserts `actual` is within 2% of the run from `expected`. */
function near(actual, expected, runMs, what) {
  assert.ok(Math.abs(actual - expected) < runMs * 0.02, `${what}: ${actual} is not near ${expected}`);
}

test('the minimap shows the whole run and its errors', async () => {
  const { page, runMs } = await open();
  const data = await page.locator('[data-testid=timeline]').evaluate((el) => ({ ...el.dataset }));
  assert.equal(Number(BigInt(data.endNs) - BigInt(data.startNs)) / 1e6, runMs, 'the timeline shows the run');
  const minimap = page.locator('[data-testid=minimap]');
  assert.match(await minimap.getAttribute('aria-label'), /Showing the whole run/);
  assert.ok(Number(await minimap.getAttribute('data-error-ticks')) > 0, 'the demo has failed steps');
  // The ticks are drawn in the error red, whatever else the canvas shows.
  await page.waitForFunction(() => {
    const canvas = document.querySelector('[data-testid=minimap]');
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] === 220 && data[i + 1] === 44 && data[i + 2] === 52) return true;
    }
    return false;
  });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('brushing the minimap zooms, dragging its window pans, a double-click resets', async () => {
  const { page, runMs } = await open();
  await drag(page, await minimapPoint(page, 0.2), await minimapPoint(page, 0.4));
  await untilUrl(page, (url) => url.searchParams.has('from') && url.searchParams.has('to'));
  const [from, to] = windowOf(page);
  near(from, 0.2 * runMs, runMs, 'from');
  near(to, 0.4 * runMs, runMs, 'to');
  const data = await page.locator('[data-testid=timeline]').evaluate((el) => ({ ...el.dataset }));
  near(Number(BigInt(data.endNs) - BigInt(data.startNs)) / 1e6, 0.2 * runMs, runMs, 'the timeline zoomed');
  assert.match(await page.locator('[data-testid=minimap]').getAttribute('aria-label'), /Showing .+ – .+ of /);

  await drag(page, await minimapPoint(page, 0.3), await minimapPoint(page, 0.55));
  await untilUrl(page, (url) => Number(url.searchParams.get('from')) > from + 0.1 * runMs);
  const [panFrom, panTo] = windowOf(page);
  near(panFrom, from + 0.25 * runMs, runMs, 'panned from');
  near(panTo - panFrom, to - from, runMs, 'as wide as before');

  await page.locator('[data-testid=minimap]').dblclick({ position: { x: 5, y: 10 } });
  await untilUrl(page, (url) => !url.searchParams.has('from') && !url.searchParams.has('to'));
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a click on the minimap centres the window there; keys zoom and pan it', async () => {
  const { page, runMs } = await open('&from=0&to=1000');
  await page.locator('[data-testid=minimap]').waitFor();
  const point = await minimapPoint(page, 0.7);
  await page.mouse.click(point.x, point.y);
  await untilUrl(page, (url) => Number(url.searchParams.get('from')) > 0);
  const [from, to] = windowOf(page);
  near((from + to) / 2, 0.7 * runMs, runMs, 'centred');
  near(to - from, 1000, runMs, 'as wide as before');

  const minimap = page.locator('[data-testid=minimap]');
  await minimap.focus();
  await minimap.press('-');
  await untilUrl(page, (url) => Number(url.searchParams.get('to')) - Number(url.searchParams.get('from')) > to - from + 1);
  const [outFrom] = windowOf(page);
  await minimap.press('ArrowLeft');
  await untilUrl(page, (url) => Number(url.searchParams.get('from')) < outFrom);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('Shift+drag or a drag along the axis zooms the timeline to that range; a plain drag still pans', async () => {
  const { page, runMs } = await open();
  const canvas = page.locator('[data-testid=timeline]');
  const box = await canvas.boundingBox();
  const data = await canvas.evaluate((el) => ({ ...el.dataset }));
  const gutter = Number(data.gutterPx);
  const plot = box.width - gutter - 14;
  const at = (fraction, y) => ({ x: box.x + gutter + fraction * plot, y: box.y + y });
  const laneY = Number(data.topPx) + Number(data.lanePx) * 1.5;

  await page.keyboard.down('Shift');
  await page.mouse.move(at(0.5, laneY).x, at(0.5, laneY).y);
  await page.mouse.down();
  await page.mouse.move(at(0.6, laneY).x, at(0.6, laneY).y, { steps: 4 });
  await page.mouse.move(at(0.75, laneY).x, at(0.75, laneY).y, { steps: 4 });
  assert.ok(await page.locator('[data-testid=timeline-range]').isVisible(), 'the band shows while dragging');
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await untilUrl(page, (url) => url.searchParams.has('from'));
  let [from, to] = windowOf(page);
  near(from, 0.5 * runMs, runMs, 'from');
  near(to, 0.75 * runMs, runMs, 'to');
  assert.equal(new URL(page.url()).searchParams.get('step'), null, 'the drag selected no step');
  assert.ok(await page.locator('[data-testid=timeline-range]').isHidden(), 'the band goes on release');

  // Along the axis, no Shift needed: the middle half of what shows now.
  const width = to - from;
  await drag(page, at(0.25, 10), at(0.75, 10));
  await untilUrl(page, (url) => Number(url.searchParams.get('from')) > from + width / 10);
  [from, to] = windowOf(page);
  near(to - from, width / 2, runMs, 'half as wide');

  // Over the lanes a plain drag pans: the window keeps its width.
  const before = windowOf(page);
  await drag(page, at(0.6, laneY), at(0.4, laneY));
  await untilUrl(page, (url) => Number(url.searchParams.get('from')) !== before[0]);
  const after = windowOf(page);
  assert.ok(after[0] > before[0], 'dragged left shows later time');
  near(after[1] - after[0], before[1] - before[0], runMs, 'panning keeps the width');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
