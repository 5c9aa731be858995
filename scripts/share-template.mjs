// Trunk post-build hook: writes dist/share-template.html, the shell of a shareable page.
//
// A shareable page is one HTML file that shows one trace with no network at all: opened
// from disk, an e-mail attachment or any static host. Everything the app needs is inlined
// here once per build: the CSS, the wasm-bindgen glue with its snippets, and the app's wasm
// (gzip, then base64). The app, when the user asks for a share, fetches this shell and
// fills the three placeholders (title, the share's description, the trace) in wasm
// (stepwise_core::share::fill_template); nothing of the trace is known at build time.
//
// The loader and the glue are one inline module script, so the page's policy can allow
// exactly that script by its hash and nothing else: the trace's text is data in
// non-script blocks and can never run. `connect-src 'none'`: the page cannot send or
// fetch anything.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dir = process.env.TRUNK_STAGING_DIR || process.argv[2];
if (!dir) {
  console.error('share-template.mjs: TRUNK_STAGING_DIR is not set (run it as a Trunk hook or pass the dist directory)');
  process.exit(1);
}
const fail = (message) => {
  console.error(`share-template.mjs: ${message}`);
  process.exit(1);
};

const index = readFileSync(join(dir, 'index.html'), 'utf8');
const files = readdirSync(dir);
const glueName = files.find((name) => /^stepwise-app-[0-9a-f]+\.js$/.test(name));
const wasmName = files.find((name) => /^stepwise-app-[0-9a-f]+_bg\.wasm$/.test(name));
if (!glueName || !wasmName) fail(`no stepwise-app glue or wasm in ${dir}`);

// The stylesheets in the order index.html links them, so the cascade is the app's.
const css = [...index.matchAll(/<link rel="stylesheet" href="\.\/([^"]+\.css)"/g)]
  .map((match) => readFileSync(join(dir, match[1]), 'utf8'))
  .join('\n');

// The glue imports its snippets as modules of their own, which a page from file:// may
// not load; their functions are declared in the glue's scope instead.
let glue = readFileSync(join(dir, glueName), 'utf8');
glue = glue.replace(/^import \{[^}]*\} from '\.\/(snippets\/[^']+)';$/gm, (_, path) =>
  readFileSync(join(dir, path), 'utf8').replace(/^export /gm, ''),
);
if (/^import /m.test(glue)) fail('the glue imports a module this script does not inline');
glue = glue.replace(/^export \{[^}]*\};?$/gm, '');

const loader = `
// Stepwise shareable page: inflates the app and the trace from the blocks above, then
// starts the app, which finds the trace in globalThis.stepwiseShare.
const bytesOf = (id) => {
  const text = atob(document.getElementById(id).textContent.trim());
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i);
  return bytes;
};
const inflate = async (bytes) => new Uint8Array(
  await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer(),
);
const shown = (message) => {
  const notice = document.createElement('p');
  notice.className = 'notice error';
  notice.setAttribute('role', 'alert');
  notice.textContent = message;
  document.body.append(notice);
};
try {
  const share = JSON.parse(document.getElementById('stepwise-share').textContent);
  globalThis.stepwiseShare = { share, trace: await inflate(bytesOf('stepwise-trace')) };
  await __wbg_init({ module_or_path: await inflate(bytesOf('stepwise-app')) });
} catch (error) {
  shown('This shared trace could not be shown: ' + (error?.message ?? String(error)) + '. The file may be damaged or cut short; ask for it again.');
}
`;
const script = `${glue}\n${loader}`;
if (script.includes('</script')) fail('the inline script contains </script');
const hash = createHash('sha256').update(script, 'utf8').digest('base64');

const POLICY = [
  "default-src 'none'",
  `script-src 'sha256-${hash}' 'wasm-unsafe-eval'`,
  // Leptos writes computed sizes and positions as style attributes, as in the app.
  "style-src 'unsafe-inline'",
  'img-src data: blob:',
  "connect-src 'none'",
  "worker-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

// The icon inline too, or the browser asks the disk for favicon.svg beside the file.
const icon = `data:image/svg+xml;base64,${readFileSync(join(dir, 'favicon.svg')).toString('base64')}`;
const wasm = gzipSync(readFileSync(join(dir, wasmName)), { level: 9 }).toString('base64');
const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta http-equiv="Content-Security-Policy" content="${POLICY}" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<meta name="color-scheme" content="light dark" />
<meta name="generator" content="Stepwise shareable page" />
<title>@@STEPWISE_SHARE_TITLE@@</title>
<link rel="icon" type="image/svg+xml" href="${icon}" />
<style>
${css}
</style>
<script type="application/json" id="stepwise-share">@@STEPWISE_SHARE_META@@</script>
<script type="application/octet-stream" id="stepwise-trace">@@STEPWISE_SHARE_TRACE@@</script>
<script type="application/octet-stream" id="stepwise-app">${wasm}</script>
<script type="module">${script}</script>
</head>
<body>
<noscript>This shared Stepwise trace needs JavaScript and WebAssembly to show.</noscript>
</body>
</html>
`;
for (const token of ['@@STEPWISE_SHARE_TITLE@@', '@@STEPWISE_SHARE_META@@', '@@STEPWISE_SHARE_TRACE@@']) {
  if (html.split(token).length !== 2) fail(`${token} must appear exactly once`);
}
writeFileSync(join(dir, 'share-template.html'), html);
console.log(`share-template.mjs: ${join(dir, 'share-template.html')} (${html.length} bytes; wasm ${wasm.length} base64)`);
