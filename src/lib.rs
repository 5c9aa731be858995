//! Stepwise: a browser-only viewer for the execution traces of AI agent runs.
//!
//! The pure core (`model`, `import`, `metrics`, `tree`, `timeline`) names no UI or
//! browser crate and is tested natively; `app`, `components` and `routes` draw it.

/// The trace APIs Stepwise can list and fetch from.
pub mod api;
/// Benchmark S1's measured work and statistics.
pub mod bench;
/// Two traces aligned task by task and step by step, with deltas and text diffs.
pub mod compare;
/// Embedding: iframe parameters and the postMessage protocol.
pub mod embed;
/// Writing traces in Stepwise's own format.
pub mod export;
/// Hash maps for the core's hot paths. Pure core.
pub mod fast_hash;
/// Why fetching a trace failed, in plain words.
pub mod fetch_error;
/// Format detection and one importer per format.
pub mod import;
/// Debugging and cost insights on one trace: failures, critical path, hogs, waste.
pub mod insights;
/// The pure rules of opening traces: gzip sniffing, names, progress text, timeouts.
pub mod intake;
/// Untrusted markdown turned into a safe tree.
pub mod markdown;
/// Summaries and per-task figures derived from the model.
pub mod metrics;
/// The trace model every importer produces.
pub mod model;
/// Message shapes, folding and per-agent figures for the details panes.
pub mod present;
/// Model prices and cost estimates.
pub mod pricing;
/// Recently opened traces kept in this browser.
pub mod recent;
/// The execution summary as one record, for the CLI and snapshots.
pub mod report;
/// A one-page markdown report of a trace.
pub mod report_md;
/// Cross-trace rollups for the agent page and the cost dashboard.
pub mod rollup;
/// Search and filter within a trace: query syntax, matches, next/previous.
pub mod search;
/// Synthetic traces of any size, for tests and benchmarks.
pub mod synth;
/// Time↔pixel geometry for the timeline.
pub mod timeline;
/// What the timeline canvas draws: colours, culling, labels, tooltip text.
pub mod timeline_draw;
/// Imported traces as compact bytes, from the import worker to the page.
pub mod transfer;
/// The step tree in reading order.
pub mod tree;
/// The view as it lives in the URL.
pub mod view_query;
/// Windowing for long lists: which fixed-height rows are in view. Pure core.
pub mod virtual_list;

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
