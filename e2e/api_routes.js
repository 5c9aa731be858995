// The trace APIs served by api_server.js: Stepwise's contract, a Langfuse-shaped API and a
// Jaeger-shaped API, from fixtures.

/**
 * Answers `path` if it is an API route, via `send(status, contentType, body)`, and returns
 * true; returns false for anything else.
 */
export async function handleApi({ path, send }) {
  if (path === '/health') {
    await send(200, 'application/json', '{"ok":true}');
    return true;
  }
  return false;
}
