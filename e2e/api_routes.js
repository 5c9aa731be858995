// The trace APIs served by api_server.js: Stepwise's contract, a Langfuse-shaped, a
// Jaeger-shaped and a Grafana-Tempo-shaped API, from fixtures (the real traces in tests/fixtures/real, tests/fixtures, the demo).
//
//   /sw/traces, /sw/traces/{id}              Stepwise's contract (docs/api.md); no auth
//   /sw/traces/live                          a running trace that gains a step per fetch
//   /lf/api/public/traces[?page=&limit=], /lf/api/public/traces/{id}
//                                            Langfuse-shaped; basic auth LANGFUSE_KEYS, else 401
//   /jg/api/services, /jg/api/traces?service=&limit=, /jg/api/traces/{id}
//                                            Jaeger-shaped
//   /tp/api/search?limit=&start=&end=, /tp/api/v2/traces/{id}, /tp/api/traces/{id}
//                                            Grafana-Tempo-shaped: real OTLP files in the v2 envelope,
//                                            the real v1 answer whose v2 route 404s (an older Tempo),
//                                            and a running trace that gains a span per fetch
//   /tpauth/…                                as /tp, but only with `Authorization: Bearer TEMPO_TOKEN`
//   /fail-500/…, /fail-404/…, /fail-html/…, /fail-truncated/…, /fail-429/…, /fail-403/…,
//   /fail-stall/…, /fail-plain/…, /fail-png/…
//                                            the route after the prefix, failing as ?fail=… would
//                                            (a base URL cannot carry a query string)
//   /fail-once-429/…                         as ?fail_once=429 (Retry-After: 2)
//   /hang/…                                  never answers (api_server.js), as ?hang=1
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from './harness.js';

const REAL = join(ROOT, 'tests', 'fixtures', 'real');
const FIXTURES = join(ROOT, 'tests', 'fixtures');
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** The key pair the Langfuse-shaped API accepts. */
export const LANGFUSE_KEYS = { publicKey: 'pk-lf-e2e', secretKey: 'sk-lf-e2e' };
const LANGFUSE_AUTH = `Basic ${Buffer.from(`${LANGFUSE_KEYS.publicKey}:${LANGFUSE_KEYS.secretKey}`).toString('base64')}`;

// ---- Stepwise's contract -----------------------------------------------------------------

const iso = (ms) => new Date(ms).toISOString();

/** A small Stepwise trace: an agent step with `calls` LLM calls under it, a second apart. */
function syntheticTrace({ id, name, startMs, calls, status, failLast = false }) {
  const steps = [{ id: 's1', kind: 'agent', name: 'Researcher', start_time: iso(startMs) }];
  for (let n = 0; n < calls; n += 1) {
    const failed = failLast && n === calls - 1;
    steps.push({
      id: `s${n + 2}`,
      parent_id: 's1',
      kind: 'llm_call',
      name: `call ${n + 1}`,
      model: 'gpt-4o-mini',
      start_time: iso(startMs + n * 1000 + 10),
      end_time: iso(startMs + n * 1000 + 900),
      usage: { input_tokens: 100 + n, output_tokens: 20 },
      cost_usd: 0.001,
      ...(failed ? { error: { type: 'RateLimitError', message: 'rate limited' } } : {}),
    });
  }
  const endMs = startMs + calls * 1000;
  if (status !== 'running') steps[0].end_time = iso(endMs);
  return {
    format: 'stepwise-trace',
    version: 1,
    trace: {
      id,
      name,
      kind: 'crew',
      status,
      start_time: iso(startMs),
      ...(status === 'running' ? {} : { end_time: iso(endMs) }),
      agents: [{ id: 'a1', role: 'Researcher' }],
      tasks: [],
      steps,
    },
  };
}

const LIVE_START_MS = Date.parse('2026-11-04T10:00:00Z');

function stepwiseCatalog() {
  return [
    readJson(join(ROOT, 'public', 'demo', 'trace.json')),
    syntheticTrace({ id: 'nightly-eval', name: 'Nightly evaluation', startMs: Date.parse('2026-11-03T22:00:00Z'), calls: 3, status: 'failed', failLast: true }),
    syntheticTrace({ id: 'support-triage', name: 'Support triage', startMs: Date.parse('2026-10-30T08:15:00Z'), calls: 2, status: 'completed' }),
  ];
}

/** The live trace as of its `fetches`-th fetch: one more LLM call each time. */
function liveTrace(fetches) {
  return syntheticTrace({ id: 'live', name: 'Live research crew', startMs: LIVE_START_MS, calls: fetches, status: 'running' });
}

/** One row of `GET /traces`, computed from the trace document. */
function stepwiseListing(doc) {
  const t = doc.trace;
  const calls = t.steps.filter((s) => s.kind === 'llm_call');
  const tokens = calls.reduce((n, s) => n + (s.usage?.input_tokens ?? 0) + (s.usage?.output_tokens ?? 0), 0);
  const costs = calls.filter((s) => typeof s.cost_usd === 'number');
  return {
    id: t.id,
    name: t.name,
    start_time: t.start_time,
    ...(t.end_time ? { end_time: t.end_time } : {}),
    status: t.status,
    total_tokens: tokens,
    ...(costs.length ? { cost_usd: Number(costs.reduce((n, s) => n + s.cost_usd, 0).toFixed(6)) } : {}),
  };
}

/** Every trace the Stepwise contract lists, with its listing (the live one as it is now). */
export function stepwiseTraces(state) {
  return [...stepwiseCatalog(), liveTrace(Math.max(1, state.liveFetches ?? 0))].map((doc) => ({
    doc,
    listing: stepwiseListing(doc),
  }));
}

async function stepwiseRoute(rest, { state, send }) {
  if (rest === '/traces') {
    const traces = stepwiseTraces(state).map((t) => t.listing);
    await send(200, 'application/json', JSON.stringify({ traces, next: null }));
    return;
  }
  const match = /^\/traces\/([^/]+)$/.exec(rest);
  if (match) {
    const id = decodeURIComponent(match[1]);
    if (id === 'live') {
      state.liveFetches = (state.liveFetches ?? 0) + 1;
      await send(200, 'application/json', JSON.stringify(liveTrace(state.liveFetches)));
      return;
    }
    const found = stepwiseCatalog().find((doc) => doc.trace.id === id);
    if (found) {
      await send(200, 'application/json', JSON.stringify(found));
      return;
    }
  }
  await send(404, 'application/json', JSON.stringify({ error: `no trace at ${rest}` }));
}

// ---- Langfuse-shaped ---------------------------------------------------------------------

/** The API's trace: the download's trace with the full observations inline. */
function langfuseFromDownload(download) {
  return { ...download.trace, observations: download.observations };
}

export function langfuseTraces() {
  return [
    langfuseFromDownload(readJson(join(REAL, 'langfuse-export-crewai-2025-07-11.json'))),
    langfuseFromDownload(readJson(join(REAL, 'langfuse-export-openai-agents-2025-09-30.json'))),
    langfuseFromDownload(readJson(join(REAL, 'langfuse-export-pydantic-ai-tools-2025-12-04.json'))),
    readJson(join(FIXTURES, 'langfuse', 'api_shape.json')),
    langfuseFromDownload(readJson(join(FIXTURES, 'langfuse', 'error_level.json'))),
  ];
}

async function langfuseRoute(rest, { req, url, send }) {
  if (req.headers.authorization !== LANGFUSE_AUTH) {
    await send(401, 'application/json', JSON.stringify({ message: 'Invalid credentials' }));
    return;
  }
  const traces = langfuseTraces();
  if (rest === '/api/public/traces') {
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
    const limit = Math.max(1, Math.min(100, Number(url.searchParams.get('limit') ?? 50)));
    // Newest first, as Langfuse orders by default; list items name their observations by id.
    const sorted = [...traces].sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp));
    const data = sorted.slice((page - 1) * limit, page * limit).map((t) => ({
      ...t,
      observations: (t.observations ?? []).map((o) => o.id),
    }));
    const meta = { page, limit, totalItems: traces.length, totalPages: Math.ceil(traces.length / limit) };
    await send(200, 'application/json', JSON.stringify({ data, meta }));
    return;
  }
  const match = /^\/api\/public\/traces\/([^/]+)$/.exec(rest);
  const found = match && traces.find((t) => t.id === decodeURIComponent(match[1]));
  if (found) {
    await send(200, 'application/json', JSON.stringify(found));
    return;
  }
  await send(404, 'application/json', JSON.stringify({ message: 'Trace not found' }));
}

// ---- Jaeger-shaped -----------------------------------------------------------------------

export function jaegerTraces() {
  return [
    readJson(join(FIXTURES, 'jaeger', 'single_trace.json')),
    ...readJson(join(FIXTURES, 'jaeger', 'api_two_traces.json')).data,
    readJson(join(FIXTURES, 'jaeger', 'error_tag.json')),
  ];
}

const servicesOf = (trace) => Object.values(trace.processes ?? {}).map((p) => p.serviceName);

async function jaegerRoute(rest, { url, send }) {
  const traces = jaegerTraces();
  const answer = (data, status = 200) =>
    send(status, 'application/json', JSON.stringify({ data, total: data?.length ?? 0, limit: 0, offset: 0, errors: null }));
  if (rest === '/api/services') {
    const names = new Set(['jaeger-all-in-one', ...traces.flatMap(servicesOf)]);
    await answer([...names]);
    return;
  }
  if (rest === '/api/traces') {
    const service = url.searchParams.get('service');
    if (!service) {
      await send(400, 'application/json', JSON.stringify({ data: null, errors: [{ code: 400, msg: 'parameter service is required' }] }));
      return;
    }
    const limit = Number(url.searchParams.get('limit') ?? 20);
    await answer(traces.filter((t) => servicesOf(t).includes(service)).slice(0, limit));
    return;
  }
  const match = /^\/api\/traces\/([^/]+)$/.exec(rest);
  const found = match && traces.find((t) => t.traceID === decodeURIComponent(match[1]));
  if (found) {
    await answer([found]);
    return;
  }
  await send(404, 'application/json', JSON.stringify({ data: null, errors: [{ code: 404, msg: 'trace not found' }] }));
}

// ---- Grafana-Tempo-shaped ----------------------------------------------------------------

/** The bearer token the /tpauth Tempo accepts. */
export const TEMPO_TOKEN = 'tempo-e2e-token';

/** Hex of an OTLP/JSON id, which real files write as hex or base64. */
function hexId(id) {
  if (/^[0-9a-fA-F]+$/.test(id) && id.length % 2 === 0) return id.toLowerCase();
  return Buffer.from(id, 'base64').toString('hex');
}

const spansOf = (resourceSpans) =>
  resourceSpans.flatMap((rs) =>
    (rs.scopeSpans ?? []).flatMap((ss) => ss.spans.map((span) => ({ span, resource: rs.resource }))),
  );

const LIVE_TEMPO_ID = '1e0000000000000000000000000000a1';
const LIVE_TEMPO_START_NS = BigInt(Date.parse('2026-11-05T08:00:00Z')) * 1_000_000n;

/** The running trace as of its `fetches`-th fetch: a root with no end yet, and one child per fetch. */
function liveTempoTrace(fetches) {
  const at = (ms) => String(LIVE_TEMPO_START_NS + BigInt(ms) * 1_000_000n);
  const spans = [{ traceId: LIVE_TEMPO_ID, spanId: '00000000000000f1', name: 'invoke_agent Planner', kind: 1, startTimeUnixNano: at(0) }];
  for (let n = 0; n < fetches; n += 1) {
    spans.push({
      traceId: LIVE_TEMPO_ID,
      spanId: `00000000000001${n.toString(16).padStart(2, '0')}`,
      parentSpanId: '00000000000000f1',
      name: `tool lookup ${n + 1}`,
      kind: 1,
      startTimeUnixNano: at(n * 1000 + 10),
      endTimeUnixNano: at(n * 1000 + 900),
    });
  }
  return [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'planner' } }] }, scopeSpans: [{ scope: { name: 'e2e' }, spans }] }];
}

/**
 * What the Tempo-shaped API holds: each trace's resourceSpans, and which route answers it
 * (`v2`, or `v1` only, as a Tempo older than 2.7). The live trace is as of now.
 */
export function tempoTraces(state) {
  const otlp = (name) => readJson(join(REAL, name)).resourceSpans;
  const traces = [
    { route: 'v2', resourceSpans: otlp('otlp-jaeger-ui-multi-resource.json') },
    { route: 'v2', resourceSpans: otlp('otlp-proto-example-trace.json') },
    { route: 'v1', resourceSpans: readJson(join(REAL, 'tempo-v1-trace-by-id-oats-minimal.json')).batches },
    { route: 'v2', resourceSpans: liveTempoTrace(Math.max(1, state.tempoLiveFetches ?? 0)), live: true },
  ];
  return traces.map((t) => ({ ...t, id: hexId(spansOf(t.resourceSpans)[0].span.traceId), listing: tempoListing(t.resourceSpans) }));
}

/** One search result, derived from the spans as Tempo does: the root's names, the extent. */
function tempoListing(resourceSpans) {
  const spans = spansOf(resourceSpans);
  const ids = new Set(spans.map((s) => s.span.spanId));
  const start = (s) => BigInt(s.span.startTimeUnixNano);
  const roots = spans.filter((s) => !s.span.parentSpanId || !ids.has(s.span.parentSpanId)).sort((a, b) => (start(a) < start(b) ? -1 : 1));
  const root = roots[0];
  const first = spans.map(start).reduce((a, b) => (b < a ? b : a));
  const last = spans.map((s) => BigInt(s.span.endTimeUnixNano ?? s.span.startTimeUnixNano)).reduce((a, b) => (b > a ? b : a));
  const service = root.resource?.attributes?.find((a) => a.key === 'service.name')?.value?.stringValue;
  const durationMs = Number((last - first) / 1_000_000n);
  return {
    traceID: hexId(root.span.traceId),
    rootServiceName: service ?? '<root span not yet received>',
    rootTraceName: root.span.name,
    startTimeUnixNano: String(first),
    // Left out when zero, as Tempo's protobuf JSON does.
    ...(durationMs ? { durationMs } : {}),
    spanSet: { spans: [{ spanID: hexId(root.span.spanId), startTimeUnixNano: String(start(root)), durationNanos: String(last - start(root)) }], matched: 1 },
  };
}

async function tempoRoute(rest, { url, state, send }) {
  if (rest === '/api/search') {
    // Newest first, as Tempo answers; start/end are recorded by the server but not applied,
    // so these fixed files stay listed whatever the date.
    const limit = Number(url.searchParams.get('limit') ?? 20);
    const traces = tempoTraces(state)
      .map((t) => t.listing)
      .sort((a, b) => (BigInt(b.startTimeUnixNano) > BigInt(a.startTimeUnixNano) ? 1 : -1))
      .slice(0, limit);
    await send(200, 'application/json', JSON.stringify({ traces, metrics: { inspectedBytes: '1024', completedJobs: 1, totalJobs: 1 } }));
    return;
  }
  const match = /^\/api\/(v2\/)?traces\/([^/]+)$/.exec(rest);
  if (match) {
    const route = match[1] ? 'v2' : 'v1';
    const id = decodeURIComponent(match[2]);
    let found = tempoTraces(state).find((t) => t.id === id && t.route === route);
    if (found?.live) {
      state.tempoLiveFetches = (state.tempoLiveFetches ?? 0) + 1;
      found = { ...found, resourceSpans: liveTempoTrace(state.tempoLiveFetches) };
    }
    if (found) {
      const body = route === 'v2' ? { trace: { resourceSpans: found.resourceSpans } } : { batches: found.resourceSpans };
      // The v1 file is served byte for byte, as the real answer it is.
      const bytes = found.route === 'v1' ? readFileSync(join(REAL, 'tempo-v1-trace-by-id-oats-minimal.json')) : JSON.stringify(body);
      await send(200, 'application/json', bytes);
      return;
    }
  }
  // Tempo answers a missing trace (and an unknown route) with a plain-text 404.
  await send(404, 'text/plain', 'trace not found');
}

async function tempoAuthRoute(rest, context) {
  if (context.req.headers.authorization !== `Bearer ${TEMPO_TOKEN}`) {
    await context.send(401, 'text/plain', 'Unauthorized');
    return;
  }
  await tempoRoute(rest, context);
}

// ---- Dispatch ----------------------------------------------------------------------------

const APIS = [
  ['/sw', stepwiseRoute],
  ['/lf', langfuseRoute],
  ['/jg', jaegerRoute],
  ['/tp', tempoRoute],
  ['/tpauth', tempoAuthRoute],
];

/**
 * Answers `path` if it is an API route, via `send(status, contentType, body)`, and returns
 * true; returns false for anything else.
 */
export async function handleApi({ req, url, path, state, send }) {
  if (path === '/health') {
    await send(200, 'application/json', '{"ok":true}');
    return true;
  }
  const failing = /^\/fail-(404|500|403|429|html|truncated|stall|plain|png)(\/.*)$/.exec(path);
  if (failing) {
    // `send` reads the failure mode from the query, so setting it here fails this answer.
    url.searchParams.set('fail', failing[1]);
    path = failing[2];
  }
  const once = /^\/fail-once-429(\/.*)$/.exec(path);
  if (once) {
    url.searchParams.set('fail_once', '429');
    path = once[1];
  }
  for (const [prefix, route] of APIS) {
    if (path === prefix || path.startsWith(`${prefix}/`)) {
      await route(path.slice(prefix.length), { req, url, state, send });
      return true;
    }
  }
  return false;
}
