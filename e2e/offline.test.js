// Offline and installable: the manifest Chromium reads (icons, file handlers), the service
// worker scoped to the app's sub-path, the app and a file opening with the network cut,
// API sources saying plainly that they are offline, and a new build announced with
// "Reload to update" rather than slipped in under an open page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DIST,
  ROOT,
  SUB_PATH,
  startStaticServer,
  launchBrowser,
  launchProfile,
  newPage,
  screenshot,
  until,
  untilUrl,
} from './harness.js';

const demoFile = join(ROOT, 'public', 'demo', 'trace.json');
const demo = JSON.parse(readFileSync(demoFile, 'utf8')).trace;
const OFFLINE = 'You are offline: API sources need the network. Files still open.';

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

const stepsFigure = (page) => page.locator('[data-testid=steps] .figure-value');
const homeReady = (page) => page.locator('[data-testid=open-file]').first().waitFor({ state: 'attached', timeout: 20_000 });

/** Loads the app at `url`, waits for its service worker, then reloads so that it controls the page. */
async function installed(page, url) {
  await page.goto(url);
  await homeReady(page);
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  assert.equal(scope, url, 'the worker is scoped to the directory the app is served from');
  assert.equal(await page.evaluate(() => navigator.serviceWorker.controller), null, 'a first visit is not taken over');
  await page.reload();
  await homeReady(page);
  const script = await until(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL), 'a controlling worker');
  assert.equal(script, `${url}sw.js`);
}

const appCaches = (page) => page.evaluate(async () => (await caches.keys()).filter((name) => name.startsWith('stepwise-app-')).sort());

test('the manifest is linked, parses without errors, registers the trace file types, and Chromium would install the app', async () => {
  // Incognito contexts install nothing, so this test runs on a profile of its own.
  const profile = mkdtempSync(join(tmpdir(), 'stepwise-profile-'));
  const context = await launchProfile(profile);
  try {
    const page = await context.newPage();
    const problems = [];
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    await page.goto(server.url);
    await homeReady(page);
    assert.equal(await page.locator('link[rel=manifest]').getAttribute('href'), 'manifest.webmanifest');
    const cdp = await context.newCDPSession(page);
    const { url, errors, data } = await cdp.send('Page.getAppManifest');
    assert.equal(url, `${server.url}manifest.webmanifest`);
    assert.deepEqual(errors, []);
    const manifest = JSON.parse(data);
    assert.equal(manifest.start_url, './');
    assert.equal(manifest.scope, './');
    assert.equal(manifest.display, 'standalone');
    const accepted = manifest.file_handlers.flatMap((handler) => Object.values(handler.accept).flat());
    for (const extension of ['.json', '.jsonl', '.json.gz']) assert.ok(accepted.includes(extension), extension);
    // Every icon is served as what it says it is.
    for (const icon of manifest.icons) {
      const response = await page.request.get(new URL(icon.src, url).href);
      assert.equal(response.status(), 200, icon.src);
      assert.equal(response.headers()['content-type'], icon.type, icon.src);
    }
    const sizes = manifest.icons.map((icon) => icon.sizes);
    assert.ok(sizes.includes('192x192') && sizes.includes('512x512'), sizes.join(', '));
    await page.evaluate(() => navigator.serviceWorker.ready);
    // Chromium's own verdict (an icon list without a 144 px PNG, say, is refused here).
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, []);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test('load once, go offline, reload: the home page shows and a picked file opens with its totals', async () => {
  const page = await newPage(browser);
  await installed(page, server.url);
  // A first install announces nothing.
  assert.equal(await page.locator('[data-testid=update-prompt]').count(), 0);
  await page.context().setOffline(true);
  await page.reload();
  await homeReady(page);
  assert.equal(await page.title(), 'Stepwise: agent trace viewer');
  await page.locator('[data-testid=open-file]').first().setInputFiles(demoFile);
  await untilUrl(page, (url) => url.searchParams.get('trace') === 'file:trace.json', 20_000);
  await until(async () => (await stepsFigure(page).textContent()) === String(demo.steps.length), 'the step count');
  assert.match(await page.locator('[data-testid=cost]').textContent(), /\$\d/, 'the cost, priced by the cached price table');
  // Offline, so nothing in the page went to the network: everything came from the worker.
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('offline, API sources say so: the connect form, the trace list and a failed request', async () => {
  const page = await newPage(browser);
  await installed(page, server.url);
  const notice = page.locator('.api-connect [data-testid=offline-notice]');
  assert.equal(await notice.count(), 0, 'online, no notice');
  await page.context().setOffline(true);
  await notice.waitFor();
  assert.equal(await notice.textContent(), OFFLINE);
  await screenshot(page, 'offline-api');
  // Back online, the notice goes.
  await page.context().setOffline(false);
  await notice.waitFor({ state: 'detached' });
  await page.context().setOffline(true);
  const base = 'http://127.0.0.1:9/api';
  await page.goto(`${server.url}?api=${encodeURIComponent(base)}&kind=stepwise`);
  await page.locator('.api-list-error').waitFor({ timeout: 20_000 });
  assert.equal(await page.locator('[data-testid=offline-notice]').textContent(), OFFLINE);
  assert.match(
    await page.locator('.api-list-error p').first().textContent(),
    /^Could not reach http:\/\/127\.0\.0\.1:9\/api\/\S+: you are offline\. API sources need the network; files still open\.$/,
  );
  await page.context().close();
});

test('a new build waits for "Reload to update", then every part of the page comes from it', async () => {
  // A copy of the build whose service worker can be changed, as a deploy would.
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-next-'));
  cpSync(DIST, dir, { recursive: true, dereference: true });
  const copy = await startStaticServer(SUB_PATH, dir);
  try {
    // Tall enough that the prompt sits below the home page's content in the picture.
    const page = await newPage(browser, { viewport: { width: 1280, height: 960 } });
    await installed(page, copy.url);
    const [first] = await appCaches(page);
    assert.match(first, /^stepwise-app-[0-9a-f]{16}$/);
    const worker = join(dir, 'sw.js');
    const next = `${first}-next`;
    writeFileSync(worker, readFileSync(worker, 'utf8').replace(`"${first}"`, `"${next}"`));
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    const prompt = page.locator('[data-testid=update-prompt]');
    await prompt.waitFor({ timeout: 20_000 });
    assert.match(await prompt.textContent(), /A new version of Stepwise is ready\.\s*Reload to update/);
    // Installed beside the running build, not in its place: the page still runs on the old one.
    assert.deepEqual(await appCaches(page), [first, next].sort());
    assert.ok(await page.evaluate(() => navigator.serviceWorker.controller.state === 'activated'));
    // The picture for the README: the prompt, and the API form while the network is cut.
    await page.context().setOffline(true);
    await page.locator('.api-connect [data-testid=offline-notice]').waitFor();
    await screenshot(page, 'offline-update');
    await page.screenshot({ path: join(ROOT, 'docs', 'screenshots', 'offline.png') });
    await page.context().setOffline(false);
    await page.evaluate(() => {
      window.beforeUpdate = true;
    });
    await page.locator('[data-testid=update-reload]').click();
    await until(() => page.evaluate(() => window.beforeUpdate === undefined).catch(() => false), 'the reload onto the new build');
    await homeReady(page);
    assert.deepEqual(await appCaches(page), [next], 'the old build is gone');
    assert.equal(await prompt.count(), 0);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  } finally {
    await copy.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file the installed app is launched with opens as a dropped one would', async () => {
  const page = await newPage(browser);
  // Chromium offers launchQueue to installed apps only; this stands in for it, as the
  // File Handling API hands over a FileSystemFileHandle per file.
  // (Chromium has a launchQueue on every page, which a plain assignment does not replace.)
  await page.addInitScript(() => {
    const queue = {
      setConsumer(consumer) {
        window.launchConsumer = consumer;
      },
    };
    Object.defineProperty(window, 'launchQueue', { value: queue, configurable: true });
  });
  await page.goto(server.url);
  await homeReady(page);
  await page.evaluate((text) => {
    const handle = { kind: 'file', name: 'launched.json', getFile: async () => new File([text], 'launched.json') };
    window.launchConsumer({ files: [handle] });
  }, readFileSync(demoFile, 'utf8'));
  await untilUrl(page, (url) => url.searchParams.get('trace') === 'file:launched.json', 20_000);
  await until(async () => (await stepsFigure(page).textContent()) === String(demo.steps.length), 'the step count');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('embedded, Stepwise registers no service worker', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}?trace=demo&embed=1`);
  await page.locator('h1.trace-name').waitFor({ timeout: 20_000 });
  await page.waitForTimeout(1_000);
  assert.equal(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length), 0);
  await page.context().close();
});
