//! What the page knows: the traces open in it, the price table, the view in the URL. State layer: uses other state modules, I/O and the core, never components, routes or the app.

/// Opening a trace from its source, or a file's bytes.
pub mod open;
/// Opening dropped, picked or pasted files.
pub mod opening;
/// The redacted copy of the trace shown, and the rules that made it.
pub mod redaction;
/// Where a trace comes from, and what the address asks to show.
pub mod source;
/// The traces open in this tab, in one registry.
pub mod traces;
/// The trace page's view state in the URL, and the contexts its components share.
pub mod view;
