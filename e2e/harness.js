// End-to-end harness: serves the release build (dist/) on loopback with a plain
// static file server, drives Debian's Chromium through playwright-core, and stops
// everything it started. Screenshots go to e2e/output/ (git-ignored).
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, symlinkSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// STEPWISE_DIST lets several builds be tested side by side (default: dist/).
export const DIST = process.env.STEPWISE_DIST ? resolve(process.env.STEPWISE_DIST) : join(ROOT, 'dist');
export const OUTPUT = join(ROOT, 'e2e', 'output');
// Where the app is hosted in tests, to prove that sub-path hosting works.
export const SUB_PATH = '/tools/stepwise/';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Serves dist/ (or another build, `dir`) with `python3 -m http.server` (no fallback routes,
 * no rewrites: the plainest static server), either at the root or under `subPath` such as
 * SUB_PATH.
 */
export async function startStaticServer(subPath = '/', dir = DIST) {
  if (!existsSync(join(dir, 'index.html'))) {
    throw new Error(`${join(dir, 'index.html')} is missing: run scripts/build first`);
  }
  const site = mkdtempSync(join(tmpdir(), 'stepwise-site-'));
  const mount = join(site, ...subPath.split('/').filter(Boolean));
  mkdirSync(dirname(mount), { recursive: true });
  if (mount === site) {
    rmSync(site, { recursive: true });
    symlinkSync(dir, site);
  } else {
    symlinkSync(dir, mount);
  }
  const server = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', site], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const port = await new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error('static server did not start in 10 s')), 10_000);
    server.on('exit', (code) => reject(new Error(`static server exited with ${code}`)));
    server.stdout.on('data', (chunk) => {
      const match = /port (\d+)/.exec(chunk.toString());
      if (match) {
        clearTimeout(timer);
        resolvePort(Number(match[1]));
      }
    });
  });
  server.stderr.resume();
  return {
    origin: `http://127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}${subPath}`,
    async stop() {
      server.kill();
      rmSync(site, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * A browser on a profile of its own in `userDataDir` (a browser context that is not
 * incognito): what installing the app needs. Close it with `context.close()`.
 */
export async function launchProfile(userDataDir) {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
  });
}

/** A page that records console errors and uncaught exceptions, so tests can assert there were none. */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') page.problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => page.problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) page.problems.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  return page;
}

export async function screenshot(page, name) {
  mkdirSync(OUTPUT, { recursive: true });
  await page.screenshot({ path: join(OUTPUT, `${name}.png`), fullPage: true });
}

/**
 * Builds File objects in the page (gzip ones with CompressionStream) and dispatches real
 * drag events carrying them; `only` stops after that event (to look at the overlay).
 */
export async function dropFiles(page, files, only = 'drop') {
  await page.evaluate(
    async ({ files, only }) => {
      const transfer = new DataTransfer();
      for (const { name, text, gzip } of files) {
        let blob = new Blob([text]);
        if (gzip) blob = await new Response(blob.stream().pipeThrough(new CompressionStream('gzip'))).blob();
        transfer.items.add(new File([blob], name));
      }
      window.__transfer = transfer;
      for (const type of ['dragenter', 'dragover', 'drop']) {
        document.body.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
        if (type === only) break;
      }
    },
    { files, only },
  );
}

/** Waits until the page's URL satisfies `predicate`. */
export async function untilUrl(page, predicate, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate(new URL(page.url()))) {
    if (Date.now() > deadline) throw new Error(`URL never matched; last was ${page.url()}`);
    await page.waitForTimeout(25);
  }
}

/**
 * Polls `check` every 25 ms until it returns something truthy, which it returns; throws
 * naming `what` after `timeoutMs`.
 */
export async function until(check, what, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Pixels of the timeline canvas's backing store that are exactly `rgb` ([r, g, b]). */
export function countCanvasColour(page, rgb) {
  return page.locator('[data-testid=timeline]').evaluate((canvas, [r, g, b]) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] === r && data[i + 1] === g && data[i + 2] === b) n += 1;
    }
    return n;
  }, rgb);
}
