// Trunk post-build hook: writes a strict Content-Security-Policy into the built index.html.
//
// The policy lives in a <meta> tag because Stepwise is hosted by any static server, where
// we cannot set headers. Trunk adds its own inline loader script at build time, so the
// policy can only be written after the build: each inline script is allowed by its SHA-256
// hash, and nothing else inline runs. A trace's text can therefore never become script,
// even if a rendering bug let markup through.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR || process.argv[2];
if (!dir) {
  console.error('csp.mjs: TRUNK_STAGING_DIR is not set (run it as a Trunk hook or pass the dist directory)');
  process.exit(1);
}
const file = join(dir, 'index.html');
let html = readFileSync(file, 'utf8');

const hashes = [];
for (const match of html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)) {
  const digest = createHash('sha256').update(match[1], 'utf8').digest('base64');
  hashes.push(`'sha256-${digest}'`);
}

export const POLICY = [
  "default-src 'none'",
  // The app's own modules, wasm compilation, and Trunk's inline loader by hash.
  `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`.trim(),
  // The import worker runs the same wasm from the same origin.
  "worker-src 'self'",
  // Leptos writes computed sizes and positions (virtual lists, bars) as style attributes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  // Traces come from any HTTP API the user names, so connections cannot be narrowed further.
  "connect-src 'self' http: https:",
  "manifest-src 'self'",
  "base-uri 'self'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

const meta = `<meta http-equiv="Content-Security-Policy" content="${POLICY}" />`;
html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/i, '');
// The policy must come before any script or style it governs; the charset stays first.
html = /<meta charset[^>]*>/i.test(html)
  ? html.replace(/(<meta charset[^>]*>)/i, `$1\n    ${meta}`)
  : html.replace(/<head>/i, `<head>\n    ${meta}`);
writeFileSync(file, html);
console.log(`csp.mjs: policy written to ${file} (${hashes.length} inline script(s) allowed by hash)`);
