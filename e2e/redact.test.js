// Redaction in the page: a hostile fixture with planted secrets is opened, the panel
// finds them by category and shows each in its context, the user adds a pattern of their
// own, and every export (own format, report, shareable page) holds none of them; the
// original download stays as loaded, and the preview shows the labels.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ROOT, startStaticServer, launchBrowser, newPage, screenshot, SUB_PATH, until } from './harness.js';

const FIXTURE = join(ROOT, 'tests', 'fixtures', 'redact', 'hostile-secrets.json');
const PLANTED = JSON.parse(readFileSync(join(ROOT, 'tests', 'fixtures', 'redact', 'planted.json'), 'utf8')).secrets;

let server;
let browser;
let dir;
before(async () => {
  server = await startStaticServer(SUB_PATH);
  browser = await launchBrowser();
  dir = mkdtempSync(join(tmpdir(), 'stepwise-redact-'));
});
after(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function exportDownload(page, item) {
  const menu = page.locator('[data-testid=export-menu]');
  if (!(await menu.evaluate((details) => details.open))) await menu.locator('summary').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-testid=${item}]`).click()]);
  const path = join(dir, download.suggestedFilename());
  await download.saveAs(path);
  return readFileSync(path, 'utf8');
}

const survivors = (text) => PLANTED.filter((secret) => text.includes(secret));
const status = (page) => page.locator('[data-testid=redact-status]');

test('redact → export: no planted secret leaves, in any export', async () => {
  const page = await newPage(browser);
  await page.goto(server.url);
  await page.locator('[data-testid=open-file]').first().setInputFiles(FIXTURE);
  await page.locator('[data-testid=total-tokens]').waitFor({ timeout: 20_000 });

  await page.locator('[data-testid=redact-open]').click();
  await status(page).waitFor({ timeout: 20_000 });
  assert.match(await status(page).textContent(), /Replaced \d+ occurrences/);
  // Every built-in category found something; each value is shown marked in its context.
  for (const category of ['api-key', 'email', 'phone', 'credit-card', 'ip-address']) {
    const row = page.locator(`[data-testid=redact-category][data-category=${category}]`);
    assert.match(await row.locator('[data-testid=redact-count]').textContent(), /\d+ values? · \d+ occurrences?/, category);
  }
  const email = page.locator('[data-testid=redact-category][data-category=email]');
  await email.locator('summary').click();
  const marked = await email.locator('[data-testid=redact-mark]').allTextContents();
  assert.ok(marked.includes('jane.doe+billing@acme-corp.example.com'), `marked: ${marked}`);
  assert.match(await email.locator('.redact-label').first().textContent(), /\[redacted: email #1\]/);

  // The customer id is the user's to name: a regex of their own.
  await page.locator('[data-testid=redact-pattern]').fill('ACME-CUST-\\d+');
  await page.locator('[data-testid=redact-pattern-regex]').check();
  await page.locator('[data-testid=redact-pattern-add]').click();
  await until(
    async () => /\d+ values?/.test(await page.locator('[data-testid=redact-category][data-category=custom] [data-testid=redact-count]').textContent()),
    'the custom pattern to find the customer id',
  );
  await status(page).waitFor();
  await screenshot(page, 'redaction-panel');

  // A bad pattern is refused with the reason; the last copy stays in use.
  await page.locator('[data-testid=redact-pattern]').fill('(unclosed');
  await page.locator('[data-testid=redact-pattern-regex]').check();
  await page.locator('[data-testid=redact-pattern-add]').click();
  const error = page.locator('[data-testid=redact-error]');
  await error.waitFor({ timeout: 20_000 });
  assert.match(await error.textContent(), /not a valid regular expression/);
  await page.locator('.redact-pattern-list li', { hasText: '(unclosed' }).locator('button').click();
  await status(page).waitFor({ timeout: 20_000 });

  // The preview shows labels where the values were.
  await page.locator('[data-testid=redact-preview]').check();
  await page.locator('[data-testid=step-list] li.step', { hasText: 'gpt-4o' }).first().locator('.step-name').click();
  const details = page.locator('[data-testid=step-details]');
  await details.waitFor();
  await until(async () => /\[redacted: credit-card #1\]/.test(await details.textContent()), 'the preview to show labels');
  // Each label is marked where the value stood.
  const marks = await details.locator('mark.redacted-label').allTextContents();
  assert.ok(marks.includes('[redacted: credit-card #1]'), `marked in place: ${marks}`);
  assert.ok(marks.every((mark) => /^\[redacted: [a-z-]+ #\d+\]$/.test(mark)), `only labels are marked: ${marks}`);
  assert.deepEqual(survivors(await details.textContent()), []);

  const stepwise = await exportDownload(page, 'export-stepwise');
  assert.deepEqual(survivors(stepwise), [], 'the Stepwise-format export');
  const document = JSON.parse(stepwise);
  assert.equal(document.redaction.redacted, true);
  assert.ok(document.redaction.counts['api-key'] > 0);
  const report = await exportDownload(page, 'export-report');
  assert.deepEqual(survivors(report), [], 'the markdown report');
  assert.match(report, /[Rr]edacted/);
  // The original is still there, as loaded, and says it is not redacted.
  const menu0 = page.locator('[data-testid=export-menu]');
  if (!(await menu0.evaluate((details) => details.open))) await menu0.locator('summary').click();
  assert.match(await page.locator('[data-testid=export-original]').textContent(), /not redacted/);
  const original = await exportDownload(page, 'export-original');
  assert.equal(original, readFileSync(FIXTURE, 'utf8'));

  // The shareable page carries the redacted copy: its trace block, inflated, holds none.
  const menu = page.locator('[data-testid=export-menu]');
  if (!(await menu.evaluate((details) => details.open))) await menu.locator('summary').click();
  await page.locator('[data-testid=export-share]').click();
  const ready = page.locator('[data-testid=share-ready]');
  await ready.waitFor({ timeout: 30_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), ready.locator('[data-testid=share-download]').click()]);
  const sharePath = join(dir, 'share.html');
  await download.saveAs(sharePath);
  const html = readFileSync(sharePath, 'utf8');
  const block = html.split('id="stepwise-trace">')[1].split('</script>')[0];
  const transfer = gunzipSync(Buffer.from(block, 'base64')).toString('latin1');
  assert.ok(transfer.includes('[redacted: api-key'), 'the shared trace holds labels');
  assert.deepEqual(survivors(transfer), [], 'the shareable page');
  assert.deepEqual(survivors(html), []);
  assert.match(html.split('id="stepwise-share">')[1].split('</script>')[0], /"redaction":\{"at":/);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
