// ATIF trajectories (Harbor) as a user opens them: dropped on the start page, with the
// figures the file states, and a subagent shown nested when its file comes along (the
// two concatenated into one input) or named as missing when it does not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SUB_PATH, startStaticServer, launchBrowser, newPage, screenshot, dropFiles as drop, untilUrl } from './harness.js';

const REAL = join(ROOT, 'tests', 'fixtures', 'real');
const OPENHANDS = 'atif-openhands-hello-world.trajectory.json';
const TERMINUS = 'atif-terminus2-context-summarization.trajectory.json';
const SUMMARY = 'atif-terminus2-context-summarization.subagent-summary.trajectory.json';
const read = (name) => readFileSync(join(REAL, name), 'utf8');

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

const figure = (page, id) => page.locator(`[data-testid=${id}] .figure-value`);
/** A figure's number, without thousands separators. */
const number = async (page, id) => Number((await figure(page, id).textContent()).replace(/[^\d]/g, ''));

/** Sums over the file's agent steps, computed here from the file itself. */
function stepSums(trajectory) {
  const calls = trajectory.steps.filter((step) => step.source === 'agent' && !step.is_copied_context);
  const sum = (field) => calls.reduce((total, step) => total + (step.metrics?.[field] ?? 0), 0);
  return {
    calls: calls.length,
    prompt: sum('prompt_tokens'),
    completion: sum('completion_tokens'),
    cost: sum('cost_usd'),
    toolCalls: calls.reduce((total, step) => total + (step.tool_calls?.length ?? 0), 0),
  };
}

async function home() {
  const page = await newPage(browser);
  await page.goto(server.url);
  await page.locator('[data-testid=open-file]').first().waitFor({ state: 'attached', timeout: 20_000 });
  return page;
}

test('an OpenHands trajectory opens with the tokens and cost it states', async () => {
  const text = read(OPENHANDS);
  const sums = stepSums(JSON.parse(text));
  // The file's final_metrics say the same: 220 in, 80 out, $0.00135.
  assert.deepEqual([sums.prompt, sums.completion], [220, 80]);
  const page = await home();
  await drop(page, [{ name: 'hello.trajectory.json', text }]);
  await untilUrl(page, (url) => url.searchParams.get('trace') === 'file:hello.trajectory.json');
  await page.locator('h1.trace-name', { hasText: 'openhands: Create a file called hello.txt' }).waitFor({ timeout: 20_000 });
  assert.equal(await number(page, 'prompt-tokens'), 220);
  assert.equal(await number(page, 'completion-tokens'), 80);
  assert.equal(await number(page, 'total-tokens'), 300);
  assert.equal(await number(page, 'requests'), 2);
  assert.equal(await figure(page, 'cost').textContent(), `$${(0.00135).toFixed(4)}`);
  assert.equal(await number(page, 'steps'), 9);
  assert.equal(await number(page, 'tool-calls'), 2);
  assert.equal(await figure(page, 'agents-tasks').textContent(), '1 · 0');
  assert.match(await page.locator('.trace-header').textContent(), /ATIF trajectory/);
  await page.locator('.step-name', { hasText: 'str_replace_editor result' }).first().waitFor();
  await screenshot(page, 'atif-openhands');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a trajectory and its subagent dropped as one input show the subagent nested', async () => {
  const parent = JSON.parse(read(TERMINUS));
  const subagent = JSON.parse(read(SUMMARY));
  const [own, sub] = [stepSums(parent), stepSums(subagent)];
  const page = await home();
  await drop(page, [{ name: 'run.json', text: `${read(TERMINUS)}\n${read(SUMMARY)}` }]);
  await untilUrl(page, (url) => url.searchParams.get('trace') === 'file:run.json');
  await page.locator('h1.trace-name', { hasText: 'terminus-2' }).waitFor({ timeout: 20_000 });
  assert.equal(await number(page, 'requests'), own.calls + sub.calls);
  assert.equal(await number(page, 'prompt-tokens'), own.prompt + sub.prompt);
  assert.equal(await number(page, 'completion-tokens'), own.completion + sub.completion);
  assert.equal(await figure(page, 'cost').textContent(), `$${(own.cost + sub.cost).toFixed(2)}`);
  assert.equal(await number(page, 'tool-calls'), own.toolCalls, 'copied context is not counted again');
  assert.equal(await figure(page, 'agents-tasks').textContent(), '2 · 0');
  const subStep = page.locator('.step-name', { hasText: subagent.agent.name });
  await subStep.first().waitFor();
  // The two subagents not in the input are named, and the notice says figures are missing.
  assert.equal(await page.locator('.step-name', { hasText: '(not in this input)' }).count(), 2);
  const notice = page.locator('[data-testid=trace-repairs]');
  await notice.waitFor();
  assert.equal(await notice.getAttribute('data-skipped'), '2');
  await screenshot(page, 'atif-subagent');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a trajectory alone names each subagent file it is missing', async () => {
  const page = await home();
  await drop(page, [{ name: 'trajectory.json', text: read(TERMINUS) }]);
  await untilUrl(page, (url) => url.searchParams.get('trace') === 'file:trajectory.json');
  const notice = page.locator('[data-testid=trace-repairs]');
  await notice.waitFor({ timeout: 20_000 });
  assert.equal(await notice.getAttribute('data-skipped'), '3');
  await notice.locator('summary').click();
  assert.match(await notice.textContent(), /trajectory\.summarization-1-summary\.json/);
  assert.equal(await page.locator('.step-name', { hasText: '(not in this input)' }).count(), 3);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
