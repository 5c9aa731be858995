//! Stepwise: a browser-only viewer for the execution traces of AI agent runs.
//!
//! The pure core (`model`, `import`, `metrics`, `tree`, `timeline`) names no UI or
//! browser crate and is tested natively; `app`, `components` and `routes` draw it.

/// Writing traces in Stepwise's own format.
pub mod export;
/// Format detection and one importer per format.
pub mod import;
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
/// The execution summary as one record, for the CLI and snapshots.
pub mod report;
/// Time↔pixel geometry for the timeline.
pub mod timeline;
/// What the timeline canvas draws: colours, culling, labels, tooltip text.
pub mod timeline_draw;
/// The step tree in reading order.
pub mod tree;
/// The view as it lives in the URL.
pub mod view_query;

/// The root component: router and page shell.
pub mod app;
/// One screen region per file.
pub mod components;
/// One page per file.
pub mod routes;
/// Where a trace comes from, and fetching it.
pub mod source;
