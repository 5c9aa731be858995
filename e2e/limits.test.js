// Inputs a browser page cannot hold are refused in plain words, and the page stays usable:
// a decompression bomb (a small .json.gz that inflates past the 1 GB budget) and a file
// over the budget. Both go through the import worker, which reads the file itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createWriteStream, existsSync, mkdirSync, openSync, closeSync, ftruncateSync, statSync } from 'node:fs';
import { createGzip, constants } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { OUTPUT, SUB_PATH, startStaticServer, launchBrowser, newPage, screenshot, untilUrl } from './harness.js';

// The budget the app states (crates/stepwise-core/src/intake.rs, MAX_OPEN_BYTES).
const BUDGET_BYTES = 1_000_000_000;
const BOMB = join(OUTPUT, 'bomb.json.gz');
const HUGE = join(OUTPUT, 'huge.json');

/** A gzip file of about 1 MB whose text is 1.1 GB: a JSON string of spaces. Kept between runs. */
async function writeBomb() {
  if (existsSync(BOMB)) return;
  const chunk = Buffer.alloc(16 << 20, 0x20);
  const total = Math.ceil((BUDGET_BYTES * 1.1) / chunk.length);
  async function* text() {
    yield Buffer.from('{"padding":"');
    for (let i = 0; i < total; i++) yield chunk;
    yield Buffer.from('"}');
  }
  await pipeline(Readable.from(text()), createGzip({ level: constants.Z_BEST_SPEED }), createWriteStream(`${BOMB}.part`));
  await import('node:fs/promises').then((fs) => fs.rename(`${BOMB}.part`, BOMB));
}

/** A sparse file just over the budget: it takes no disk, and the worker refuses it by its size. */
function writeHuge() {
  const fd = openSync(HUGE, 'w');
  ftruncateSync(fd, BUDGET_BYTES + 1_000_000);
  closeSync(fd);
}

let server;
let browser;
before(async () => {
  mkdirSync(OUTPUT, { recursive: true });
  await writeBomb();
  writeHuge();
  server = await startStaticServer(SUB_PATH);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a decompression bomb and a file over the budget are refused in plain words; the demo then opens', async () => {
  assert.ok(statSync(BOMB).size < 5_000_000, 'the bomb is small on disk');
  const page = await newPage(browser);
  await page.goto(server.url);
  const picker = page.locator('[data-testid=open-file]').first();
  await picker.waitFor({ state: 'attached', timeout: 20_000 });

  await picker.setInputFiles(BOMB);
  const problem = page.locator('.open-problem');
  await problem.first().waitFor({ timeout: 120_000 });
  const bomb = await problem.first().textContent();
  assert.match(bomb, /^bomb\.json\.gz is [\d.]+ MB compressed but decompresses to more than the 1\.0 GB a browser page can open/);
  assert.match(bomb, /stepwise summary/);
  assert.match(bomb, /split the file/);
  await screenshot(page, 'limits-bomb');
  await page.locator('[data-testid=dismiss-open-report]').click();
  await page.locator('[data-testid=open-report]').waitFor({ state: 'detached' });

  await picker.setInputFiles(HUGE);
  await problem.first().waitFor({ timeout: 60_000 });
  const huge = await problem.first().textContent();
  assert.match(huge, /^huge\.json is 1\.0 GB, larger than the 1\.0 GB a browser page can open\. For a larger trace, run `stepwise summary FILE`/);
  await page.locator('[data-testid=dismiss-open-report]').click();

  // The page is still usable: the demo opens from the same page.
  await page.locator('[data-testid=open-demo]').click();
  await untilUrl(page, (url) => url.searchParams.get('trace') === 'demo');
  await page.locator('[data-testid=steps] .figure-value').waitFor({ timeout: 20_000 });
  assert.equal((await page.locator('[data-testid=steps] .figure-value').textContent()).trim(), '30');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

// The importer's glue replaced by one whose import runs a real wasm `unreachable`: the
// trap an importer out of memory ends in. The page must say so in words and stay usable.
const TRAPPING_GLUE = `
const trap = new Uint8Array([0,0x61,0x73,0x6d,1,0,0,0, 1,4,1,0x60,0,0, 3,2,1,0, 7,5,1,1,0x66,0,0, 0x0a,5,1,3,0,0,0x0b]);
export default async function init() {}
export async function import_input() {
  new WebAssembly.Instance(new WebAssembly.Module(trap)).exports.f();
}`;

test('a trap in the importer and an importer that does not load become messages; the page stays usable', async () => {
  // No service worker: a worker started once it is active loads the importer from its
  // cache, where the route below cannot reach.
  const page = await newPage(browser, { serviceWorkers: 'block' });
  let mode = 'trap';
  await page.route('**/stepwise-import.js', (route) =>
    mode === 'trap'
      ? route.fulfill({ contentType: 'text/javascript', body: TRAPPING_GLUE })
      : mode === 'missing'
        ? route.fulfill({ status: 404, body: 'not here' })
        : route.continue(),
  );
  await page.goto(server.url);
  const picker = page.locator('[data-testid=open-file]').first();
  await picker.waitFor({ state: 'attached', timeout: 20_000 });
  const problem = page.locator('.open-problem');

  await picker.setInputFiles({ name: 'run.json', mimeType: 'application/json', buffer: Buffer.from('{"resourceSpans": []}') });
  await problem.first().waitFor({ timeout: 30_000 });
  assert.match(
    await problem.first().textContent(),
    /^Stepwise's importer stopped while opening run\.json \(21 B\), most likely because it ran out of memory \(unreachable\)\. Traces up to 1\.0 GB open in the browser\./,
  );
  await page.locator('[data-testid=dismiss-open-report]').click();

  mode = 'missing';
  // Workers started before this point have the trapping glue; wait out the app's re-warm.
  await page.waitForTimeout(3_500);
  await picker.setInputFiles({ name: 'again.json', mimeType: 'application/json', buffer: Buffer.from('{}') });
  await problem.first().waitFor({ timeout: 30_000 });
  assert.match(await problem.first().textContent(), /^again\.json could not be opened: Stepwise's importer did not load \(.+\)\. Reload the page to try again\.$/);
  await page.locator('[data-testid=dismiss-open-report]').click();

  mode = 'real';
  await page.waitForTimeout(3_500);
  await page.locator('[data-testid=open-demo]').click();
  await page.locator('[data-testid=steps] .figure-value').waitFor({ timeout: 20_000 });
  assert.equal((await page.locator('[data-testid=steps] .figure-value').textContent()).trim(), '30');
  // Only the provoked failures were logged (the missing module's load).
  assert.deepEqual(page.problems.filter((problem) => !problem.includes('404') && !problem.includes('Failed to load')), []);
  await page.context().close();
});

test('a page that cannot start a worker imports on the page, with the same refusals', async () => {
  const page = await newPage(browser);
  // As in a sandboxed frame or a page opened from disk: the constructor throws.
  await page.addInitScript(() => {
    window.Worker = function Worker() {
      throw new DOMException('workers are not allowed here', 'SecurityError');
    };
  });
  await page.goto(server.url);
  const picker = page.locator('[data-testid=open-file]').first();
  await picker.waitFor({ state: 'attached', timeout: 20_000 });
  await picker.setInputFiles(HUGE);
  const problem = page.locator('.open-problem');
  await problem.first().waitFor({ timeout: 30_000 });
  assert.match(await problem.first().textContent(), /^huge\.json is 1\.0 GB, larger than the 1\.0 GB a browser page can open/);
  await page.locator('[data-testid=dismiss-open-report]').click();
  await page.locator('[data-testid=open-demo]').click();
  await page.locator('[data-testid=steps] .figure-value').waitFor({ timeout: 20_000 });
  assert.equal((await page.locator('[data-testid=steps] .figure-value').textContent()).trim(), '30');
  assert.equal(await page.locator('[data-testid=cost] .figure-value').textContent().then((text) => text.startsWith('$')), true);
  assert.ok(page.problems.every((problem) => problem.includes('importing on the page')), page.problems.join('\n'));
  await page.context().close();
});
