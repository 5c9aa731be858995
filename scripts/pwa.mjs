// Trunk post-build hook: writes the service worker, dist/sw.js, for this very build.
//
// It must run after everything else that writes into the build (csp.mjs rewrites
// index.html; Trunk.toml chains the two, as Trunk runs one stage's hooks concurrently),
// because it lists the built files and hashes their contents: the worker's
// cache name carries that build id, so any change to any file makes a new worker, which
// the page announces with its "Reload to update" prompt. scripts/service-worker.js is the
// worker's code; this script puts the build's constants above it.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR || process.argv[2];
if (!dir) {
  console.error('pwa.mjs: TRUNK_STAGING_DIR is not set (run it as a Trunk hook or pass the dist directory)');
  process.exit(1);
}

const WORKER = 'sw.js';
// Fetched by few visits and large: cached on first use rather than at install.
const LAZY_NAMES = ['share-template.html'];
// Any other file this large is cached on first use too, so installing never downloads
// something that big in the background.
const LAZY_MIN_BYTES = 4 << 20;

function filesUnder(root) {
  const found = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(path));
    else if (entry.isFile()) found.push(path);
  }
  return found;
}

const template = readFileSync(new URL('./service-worker.js', import.meta.url), 'utf8');
const build = createHash('sha256').update(template);
const precache = [];
const lazy = new Set(LAZY_NAMES);
const files = filesUnder(dir)
  .map((path) => ({ path, name: relative(dir, path).split(sep).join('/') }))
  .filter(({ name }) => name !== WORKER)
  .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
for (const { path, name } of files) {
  const bytes = readFileSync(path);
  build.update(`${name}\0${createHash('sha256').update(bytes).digest('hex')}\n`);
  if (lazy.has(name) || statSync(path).size >= LAZY_MIN_BYTES) lazy.add(name);
  else precache.push(name);
}
const buildId = build.digest('hex').slice(0, 16);

const constants = [
  `// Written by scripts/pwa.mjs for build ${buildId}; do not edit (edit scripts/service-worker.js).`,
  `const CACHE = ${JSON.stringify(`stepwise-app-${buildId}`)};`,
  `const PRECACHE = ${JSON.stringify(precache, null, 2)};`,
  `const LAZY = ${JSON.stringify([...lazy].sort())};`,
].join('\n');
writeFileSync(join(dir, WORKER), `${constants}\n\n${template}`);
console.log(`pwa.mjs: ${WORKER} written for build ${buildId} (${precache.length} file(s) precached, ${lazy.size} on first use)`);
