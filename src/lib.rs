//! Stepwise's web app, in layers that depend downward only: app → routes → components → state → io → `stepwise_core`.
//! Everything here may use the browser; the pure core lives in `crates/stepwise-core`.
//! `tests/layers.rs` fails on an import up the layers or an import cycle.

/// The root component: router and page shell.
pub mod app;

/// One screen region per file.
pub mod components;

/// Browser I/O: reading, fetching, storing and importing bytes.
pub mod io;

/// One page per file.
pub mod routes;

/// What the page knows: open traces, prices, the view in the URL.
pub mod state;
