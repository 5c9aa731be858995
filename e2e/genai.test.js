// Today's OpenTelemetry GenAI traces (issue 17): operation names become step kinds (plan,
// retrieval, memory, embedding shown as what they are), and an LLM call's messages in the
// `parts` form read as a conversation — roles, reasoning folded, tool calls linked to their
// results, media as a labelled placeholder that is never fetched — with its cost line by
// line. The fixture is built from the conventions' own text (its name says so).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, SUB_PATH, startStaticServer, launchBrowser, newPage, screenshot, untilUrl } from './harness.js';

const FIXTURE = join(ROOT, 'tests', 'fixtures', 'otlp', 'genai-2026-messages.from-semconv.json');

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

const texts = (locator) => locator.evaluateAll((nodes) => nodes.map((n) => n.innerText.trim().replace(/\s+/g, ' ')));

async function openFixture() {
  const page = await newPage(browser);
  // Media parts name addresses; the page must never fetch them.
  const fetched = [];
  page.on('request', (request) => {
    if (request.url().includes('example.com')) fetched.push(request.url());
  });
  await page.goto(server.url);
  await page.locator('[data-testid=open-file]').first().setInputFiles(FIXTURE);
  await untilUrl(page, (url) => (url.searchParams.get('trace') ?? '').startsWith('file:'));
  await page.locator('[data-testid=steps]').waitFor({ timeout: 20_000 });
  return { page, fetched };
}

test('operations show as what they are: plan, retrieval, memory, embedding', async () => {
  const { page } = await openFixture();
  const list = page.locator('[data-testid=step-list]');
  await list.waitFor({ timeout: 20_000 });
  const text = await list.innerText();
  for (const kind of ['PLAN', 'RETRIEVAL', 'MEMORY', 'EMBEDDING', 'TOOL CALL', 'LLM CALL', 'AGENT']) {
    assert.match(text.toUpperCase(), new RegExp(kind), `${kind} in the step list`);
  }
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('an LLM call reads as a conversation with linked tool calls, folded reasoning and media placeholders', async () => {
  const { page, fetched } = await openFixture();
  await page.locator('a[href$="step=a000000000000008"]').first().click();
  const details = page.locator('[data-testid=step-details]');
  await details.waitFor();
  await details.locator('.conversation .bubble-role').first().waitFor();
  const roles = await texts(details.locator('.conversation .bubble-role'));
  assert.deepEqual(roles.slice(0, 3).map((role) => role.toLowerCase()), ['system', 'user', 'assistant']);
  const media = await texts(details.locator('[data-testid=part-media]'));
  assert.ok(media.some((label) => /^\[image · image\/png · .* inline, not shown\]$/.test(label)), media.join(' | '));
  assert.ok(media.some((label) => /not fetched\]$/.test(label)), media.join(' | '));
  // Reasoning is there but folded.
  const reasoning = details.locator('[data-testid=part-reasoning]').first();
  assert.equal(await reasoning.evaluate((node) => node.open), false);
  const call = details.locator('[data-testid=part-tool-call]').first();
  assert.match(await call.innerText(), /get_weather/);
  assert.match(await call.innerText(), /Paris/);
  assert.match(await details.innerText(), /finish: tool_call/);
  // Cache reads at their own price, line by line.
  const lines = await texts(details.locator('[data-testid=cost-lines] li'));
  assert.ok(lines.some((line) => line.startsWith('2,048 cache read ×')), lines.join(' | '));
  await screenshot(page, 'genai-conversation');

  // The next call's conversation carries the tool's answer, named after its call.
  await page.locator('a[href$="step=a00000000000000a"]').first().click();
  await page.locator('[data-testid=step-details] [data-testid=part-tool-response]').first().waitFor();
  const response = await page.locator('[data-testid=step-details] [data-testid=part-tool-response]').first().innerText();
  assert.match(response, /result of get_weather/);
  assert.deepEqual(fetched, [], 'media addresses are never fetched');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
