//! Stepwise's pure core: the trace model, one importer per format, and everything the
//! views derive from a trace (figures, insights, search, comparison, timeline geometry,
//! the worker codec). It depends on no UI or browser crate, so it builds and tests
//! natively, and the compiler keeps it that way (`tests/boundary.rs`).

// First, so that its macros are in scope in every module below.
#[cfg(test)]
#[macro_use]
mod variants;

/// The trace APIs Stepwise can list and fetch from.
pub mod api;

/// Baselines: a run against the median of other runs of its kind.
pub mod baseline;

/// Benchmark S1's measured work and statistics.
pub mod bench;

/// Two traces aligned task by task and step by step, with deltas and text diffs.
pub mod compare;

/// Traces of one conversation (`gen_ai.conversation.id`), grouped in lists.
pub mod conversation;

/// Embedding: iframe parameters and the postMessage protocol.
pub mod embed;

/// Writing traces in Stepwise's own format.
pub mod export;

/// Hash maps for the core's hot paths. Pure core.
pub mod fast_hash;

/// Why fetching a trace failed, in plain words.
pub mod fetch_error;

/// Counted nouns and byte sizes for people.
pub mod format;

/// The agent graph: agents, tasks, tools and models with calls and handoffs, laid out in layers.
pub mod graph;

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

/// The run as one conversation of blocks: asks, replies, tool calls, handoffs, errors.
pub mod reader;

/// Secrets and personal data found and replaced by stable labels, in a copy of a trace.
pub mod redact;

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

/// The shareable page: one HTML file that shows a trace with no network.
pub mod share;

/// Synthetic traces of any size, for tests and benchmarks.
pub mod synth;

/// Timeline geometry: layout, scale, ticks, culling, hit testing and frame plans.
pub mod timeline;

/// Imported traces as compact bytes, from the import worker to the page.
pub mod transfer;

/// The step tree in reading order.
pub mod tree;

/// The view as it lives in the URL.
pub mod view_query;

/// Windowing for long lists: which fixed-height rows are in view. Pure core.
pub mod virtual_list;
