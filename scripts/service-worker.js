// Stepwise's service worker, as written into dist/sw.js by scripts/pwa.mjs, which puts the
// build's constants above this text: CACHE (a name carrying the build id), PRECACHE (the
// files installed at once) and LAZY (files of the build cached when first fetched).
//
// It keeps the app shell, the import worker, its wasm and the price table, so that
// Stepwise opens, and opens files, with no network. One cache per build: a new build is a
// new worker that waits until the page asks it to take over (the "Reload to update"
// prompt), so a page never runs on a mix of two builds. Anything cross-origin (the trace
// APIs) and any same-origin file that is not the app's own goes to the network untouched.
/* global CACHE, PRECACHE, LAZY */

const SCOPE = new URL('./', self.location.href);
const OWN = new Set([...PRECACHE, ...LAZY]);

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      // `reload`: straight from the server, never a stale copy from the HTTP cache.
      cache.addAll(PRECACHE.map((file) => new Request(new URL(file, SCOPE), { cache: 'reload' }))),
    ),
  );
  // No skipWaiting here: an open page keeps the build it started with until its user
  // chooses to reload.
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys().then((names) =>
      Promise.all(
        names
          // Only this worker's caches: the page keeps opened files in a cache of its own.
          .filter((name) => name.startsWith('stepwise-app-') && name !== CACHE)
          .map((name) => caches.delete(name)),
      ),
    ),
  );
});

self.addEventListener('message', (event) => {
  if (event.data?.type === 'skip-waiting') self.skipWaiting();
});

/** The build's file a request asks for (relative to the scope), or null. */
function ownFile(request) {
  const url = new URL(request.url);
  if (url.origin !== SCOPE.origin || !url.pathname.startsWith(SCOPE.pathname)) return null;
  let path;
  try {
    path = decodeURIComponent(url.pathname.slice(SCOPE.pathname.length));
  } catch {
    return null;
  }
  // The page's views live in the query string: every address of the app is its index.html.
  if (request.mode === 'navigate' && (path === '' || path === 'index.html')) return 'index.html';
  return OWN.has(path) ? path : null;
}

async function cacheFirst(file, request) {
  const cache = await caches.open(CACHE);
  const key = new URL(file, SCOPE).href;
  const cached = await cache.match(key);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && !response.redirected && response.type === 'basic') {
    await cache.put(key, response.clone());
  }
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || request.headers.has('range')) return;
  const file = ownFile(request);
  if (file) event.respondWith(cacheFirst(file, request));
});
