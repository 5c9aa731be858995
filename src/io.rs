//! Browser I/O: reading, fetching, storing and importing bytes. I/O layer: uses only other I/O modules and the core, never state, components, routes or the app.

/// Where the app is served from on its origin.
pub mod address;
/// Talking to a connected trace API.
pub mod api_client;
/// The bytes of opened files in the browser's Cache API.
pub mod cache;
/// A browser error as words.
pub mod js_error;
/// Files the operating system opens with the installed app.
pub mod launch;
/// The service worker that keeps the app offline, its updates, and whether the network is there.
pub mod offline;
/// Fetching a trace from any URL, and the app's own files.
pub mod remote;
/// The shareable page: making one, and reading the trace a shared page carries.
pub mod share;
/// Progress, streams, files, gunzip and yielding to the event loop.
pub mod stream;
/// Importing large traces in a Web Worker, decoded on the page a slice at a time.
pub mod worker;
