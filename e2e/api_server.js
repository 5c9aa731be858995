// A small HTTP server for end-to-end tests, started on loopback by the tests themselves.
// It serves trace files (our fixtures, the real traces in tests/fixtures/real, the demo), the four trace
// APIs Stepwise speaks (routes in api_routes.js), and misbehaves on demand so each failure
// the page must explain can be produced for real:
//
//   ?fail=404 | ?fail=500     that status, with a short text body
//   ?fail=html                200 with an HTML page where JSON was expected
//   ?fail=truncated           the first half of the body only
//   ?delay_ms=N               wait N ms before answering
//   ?slow=1                   send the body in 20 pieces over about 2 s (progress, cancel)
//   ?hang=1                   never answer (timeouts)
//   ?cors=0 (or a /nocors/ path prefix)   no CORS headers, so the browser blocks the read
//   ?fail_once=500            that status for the first request of this exact URL, then success (Retry)
//   ?fail_after=N             a 500 for every request of this exact URL after its Nth (a live
//                             trace whose server goes down between two polls)
//   ?gzip=1                   the body gzip-compressed, as a .json.gz file is (no Content-Encoding)
//   ?fail=429                 429 with Retry-After (?retry_after=N seconds, or date:N for an
//                             HTTP date N s ahead; default 2); also with ?fail_once=429
//   ?fail=403                 403 Forbidden
//   ?fail=stall               headers and the first STALL_BYTES bytes, then nothing, ever
//   ?fail=plain               the body as text/plain (JSON all the same)
//   ?fail=png                 a PNG picture labelled image/png
//
// Every request is recorded in `server.requests` (method, path, headers, atMs, and
// `closedEarly` when the client hung up before the answer was complete) so tests can check,
// say, that credentials went only where they belong, or that leaving a page aborted its
// request. `server.maxConcurrent` counts overlapping requests per path.
import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { join, normalize, resolve } from 'node:path';
import { ROOT } from './harness.js';
import { handleApi } from './api_routes.js';

const REAL_TRACES = join(ROOT, 'tests', 'fixtures', 'real');
const FIXTURES = join(ROOT, 'tests', 'fixtures');

/** Where `/fixtures/…`, `/real/…` and `/demo.json` are read from. */
function fileFor(path) {
  const inside = (base, rest) => {
    const full = normalize(join(base, rest));
    return full.startsWith(base) && existsSync(full) && statSync(full).isFile() ? full : null;
  };
  if (path === '/demo.json') return join(ROOT, 'public', 'demo', 'trace.json');
  if (path.startsWith('/fixtures/')) return inside(FIXTURES, path.slice('/fixtures/'.length));
  if (path.startsWith('/real/')) return inside(REAL_TRACES, path.slice('/real/'.length));
  return null;
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** How many bytes ?fail=stall sends before going silent. */
export const STALL_BYTES = 64;

/** The first bytes of a PNG file: what ?fail=png serves. */
const PNG_BYTES = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

/** The Retry-After header for ?retry_after=: seconds as given, or `date:N` as an HTTP date. */
function retryAfterHeader(param) {
  const value = param ?? '2';
  if (value.startsWith('date:')) return new Date(Date.now() + Number(value.slice(5)) * 1000).toUTCString();
  return value;
}

export async function startApiServer() {
  const requests = [];
  const state = {}; // api_routes.js keeps its mutable fixtures here (live traces).
  const failedOnce = new Set(); // URLs already failed by ?fail_once=
  const served = new Map(); // requests so far per exact URL, for ?fail_after=
  const open = new Map(); // requests under way per path
  const maxConcurrent = {}; // the most requests under way at once, per path
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://placeholder');
    const record = { method: req.method, path: url.pathname, search: url.search, headers: req.headers, atMs: Date.now() };
    requests.push(record);
    open.set(url.pathname, (open.get(url.pathname) ?? 0) + 1);
    maxConcurrent[url.pathname] = Math.max(maxConcurrent[url.pathname] ?? 0, open.get(url.pathname));
    res.on('close', () => {
      open.set(url.pathname, open.get(url.pathname) - 1);
      if (!res.writableFinished) record.closedEarly = true;
    });
    let path = url.pathname;
    const cors = url.searchParams.get('cors') !== '0' && !path.startsWith('/nocors/');
    if (path.startsWith('/nocors/')) path = path.slice('/nocors'.length);
    const headers = {};
    if (cors) {
      headers['Access-Control-Allow-Origin'] = req.headers.origin ?? '*';
      headers['Access-Control-Allow-Headers'] = 'Authorization, Content-Type';
      headers['Access-Control-Allow-Methods'] = 'GET, OPTIONS';
      // Without this the page cannot read a 429's Retry-After (not a CORS-safelisted header).
      headers['Access-Control-Expose-Headers'] = 'Retry-After';
      headers['Vary'] = 'Origin';
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, headers);
      res.end();
      return;
    }
    if (url.searchParams.get('hang') === '1' || path.startsWith('/hang/')) return; // never answers
    const delayMs = Number(url.searchParams.get('delay_ms') ?? 0);
    if (delayMs > 0) await sleep(delayMs);

    const send = async (status, contentType, body) => {
      const fail = url.searchParams.get('fail');
      const failOnce = url.searchParams.get('fail_once');
      const failAfter = url.searchParams.get('fail_after');
      served.set(req.url, (served.get(req.url) ?? 0) + 1);
      if (failAfter && served.get(req.url) > Number(failAfter)) {
        res.writeHead(500, { ...headers, 'Content-Type': 'text/plain' });
        res.end('Internal Server Error');
        return;
      }
      const retryAfter = { 'Retry-After': retryAfterHeader(url.searchParams.get('retry_after')) };
      if (failOnce && !failedOnce.has(req.url)) {
        failedOnce.add(req.url);
        res.writeHead(Number(failOnce), { ...headers, 'Content-Type': 'text/plain', ...(failOnce === '429' ? retryAfter : {}) });
        res.end('Failing once on purpose');
        return;
      }
      if (fail === '404' || fail === '500' || fail === '403' || fail === '429') {
        res.writeHead(Number(fail), { ...headers, 'Content-Type': 'text/plain', ...(fail === '429' ? retryAfter : {}) });
        res.end({ 404: 'Not Found', 500: 'Internal Server Error', 403: 'Forbidden', 429: 'Too Many Requests' }[fail]);
        return;
      }
      if (fail === 'png') {
        res.writeHead(200, { ...headers, 'Content-Type': 'image/png', 'Content-Length': PNG_BYTES.length });
        res.end(PNG_BYTES);
        return;
      }
      if (fail === 'html') {
        res.writeHead(200, { ...headers, 'Content-Type': 'text/html' });
        res.end('<!doctype html><html><head><title>Sign in</title></head><body><h1>Please sign in</h1></body></html>');
        return;
      }
      let bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
      if (url.searchParams.get('gzip') === '1') {
        bytes = gzipSync(bytes);
        contentType = 'application/gzip';
      }
      if (fail === 'truncated') bytes = bytes.subarray(0, Math.floor(bytes.length / 2));
      if (fail === 'plain') contentType = 'text/plain; charset=utf-8';
      if (fail === 'stall') {
        // The whole length is announced, a little is sent, then the line goes quiet.
        res.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': bytes.length });
        res.write(bytes.subarray(0, STALL_BYTES));
        return;
      }
      res.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': bytes.length });
      if (url.searchParams.get('slow') === '1') {
        const piece = Math.ceil(bytes.length / 20);
        for (let at = 0; at < bytes.length; at += piece) {
          if (res.destroyed) return;
          res.write(bytes.subarray(at, at + piece));
          await sleep(100);
        }
        res.end();
      } else {
        res.end(bytes);
      }
    };

    try {
      if (await handleApi({ req, url, path, state, send })) return;
      const file = fileFor(path);
      if (file) {
        const type = file.endsWith('.gz') ? 'application/gzip' : 'application/json';
        await send(200, type, readFileSync(file));
        return;
      }
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' });
      res.end(`no route for ${path}`);
    } catch (error) {
      res.writeHead(500, { ...headers, 'Content-Type': 'text/plain' });
      res.end(String(error));
    }
  });
  await new Promise((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    maxConcurrent,
    state,
    async stop() {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}
