// The import worker redacts when the page asks: with `redact` rules it answers with only
// redacted traces, a report per trace and its redacting time, and says why a bad pattern
// cannot be used; without them it answers as it always has.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SUB_PATH, startStaticServer, launchBrowser, newPage } from './harness.js';

const SECRETS = ['ada@example.com', 'AKIAIOSFODNN7EXAMPLE', '4111 1111 1111 1111', '+44 20 7946 0958'];
const TRACE = JSON.stringify({
  format: 'stepwise-trace',
  version: 2,
  trace: {
    id: 'run-1',
    name: 'Support run for ada@example.com',
    steps: [
      { id: 's1', name: 'lookup', output: { card: '4111 1111 1111 1111', key: 'AKIAIOSFODNN7EXAMPLE' } },
      { id: 's2', name: 'reply', output: 'Call +44 20 7946 0958 or write to ada@example.com', attributes: { 'user.email': 'ada@example.com' } },
    ],
  },
});

let server;
let browser;
let page;
before(async () => {
  server = await startStaticServer(SUB_PATH);
  browser = await launchBrowser();
  page = await newPage(browser);
  await page.goto(server.url);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Posts the trace to a fresh import worker; resolves to its answer and the messages before it. */
function importInWorker(redact) {
  return page.evaluate(
    async ({ text, redact }) => {
      const worker = new Worker(new URL('import-worker.js', location.href).href, { type: 'module' });
      const messages = [];
      const answer = await new Promise((resolve) => {
        worker.onmessage = (event) => {
          if (event.data.ok === undefined) messages.push(event.data);
          else resolve(event.data);
        };
        worker.onerror = (event) => resolve({ ok: false, error: event.message });
        const message = { input: new Blob([text]), name: 'support.json' };
        if (redact !== null) message.redact = redact;
        worker.postMessage(message);
      });
      worker.terminate();
      const out = answer.out ? new TextDecoder('utf-8', { fatal: false }).decode(answer.out) : null;
      return { ...answer, out, keys: Object.keys(answer).sort(), messages };
    },
    { text: TRACE, redact },
  );
}

test('with rules, the worker sends back only redacted traces and a report per trace', async () => {
  const answer = await importInWorker(JSON.stringify({}));
  assert.equal(answer.ok, true, answer.error);
  for (const secret of SECRETS) assert.ok(!answer.out.includes(secret), `${secret} reached the page`);
  assert.ok(answer.out.includes('[redacted: email #1]'), 'the label is in the traces');
  assert.equal(typeof answer.redactMs, 'number');
  const reports = JSON.parse(answer.redaction);
  assert.equal(reports.length, 1);
  const categories = reports[0].counts.map(([category]) => category).sort();
  assert.deepEqual(categories, ['api-key', 'credit-card', 'email', 'phone']);
  const ada = reports[0].hits.find((hit) => hit.value === 'ada@example.com');
  assert.equal(ada.count, 3);
  assert.equal(ada.label, '[redacted: email #1]');
  assert.ok(answer.messages.some((message) => message.phase === 'redacting'), JSON.stringify(answer.messages));
  // The preview, sent before the traces, is of the redacted trace too.
  const preview = answer.messages.find((message) => message.preview);
  assert.equal(JSON.parse(preview.preview).name, 'Support run for [redacted: email #1]');
});

test('a bad pattern is refused with the reason', async () => {
  const answer = await importInWorker(JSON.stringify({ custom: [{ pattern: '(unclosed', regex: true }] }));
  assert.equal(answer.ok, false);
  assert.match(answer.error, /“\(unclosed” is not a valid regular expression/);
});

test('without rules, the answer is as before', async () => {
  const answer = await importInWorker(null);
  assert.equal(answer.ok, true, answer.error);
  assert.deepEqual(answer.keys, ['contentId', 'name', 'ok', 'out']);
  assert.ok(answer.out.includes('ada@example.com'));
  assert.ok(!answer.messages.some((message) => message.phase));
});
