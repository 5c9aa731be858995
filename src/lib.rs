//! Stepwise's web app: routes → components → state and browser I/O → `stepwise_core`.
//! Everything here may use the browser; the pure core lives in `crates/stepwise-core`.

/// Talking to a connected trace API.
pub mod api_client;

/// The root component: router and page shell.
pub mod app;

/// One screen region per file.
pub mod components;

/// Reading trace bytes with progress, and opening files, drops and pastes.
pub mod loading;

/// Fetching a trace from any URL.
pub mod remote;

/// One page per file.
pub mod routes;

/// Where a trace comes from, and fetching it.
pub mod source;

/// Importing large traces in a Web Worker, decoded on the page a slice at a time.
pub mod worker;
