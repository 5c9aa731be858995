//! The compare page's regions: picking the traces, the aligned tasks and steps, and the text diff of a chosen pair. Component layer: uses components, state, I/O and the core.

/// The line diff of a chosen pair's input or output.
pub mod diff;
/// The two trace pickers and the swap button.
pub mod header;
/// One aligned task (and, expanded, its steps) of the comparison table.
pub mod rows;
/// What the rows and the diff share.
pub mod state;
/// The comparison: overall deltas, the table, the jump to the first divergence.
pub mod view;
