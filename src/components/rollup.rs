//! The cost dashboard's and the agent page's parts: ranked lists with share bars, and the empty state. Component layer: uses components, state, I/O and the core.

/// The empty state: no trace open in this tab.
pub mod empty;
/// The "Cost dashboard" link of the start page and the trace header.
pub mod link;
/// The cost dashboard over an API's trace list.
pub mod list_dashboard;
/// A ranked list with a bar per entry and the traces it comes from.
pub mod ranking;
/// The Cost | Tokens switch and the totals line.
pub mod totals;
