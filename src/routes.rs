//! One page per file. Route layer: uses routes, components, state, I/O and the core.

/// One agent across the traces of this tab.
pub mod agent_page;
/// Two traces of this tab side by side.
pub mod compare;
/// The cost dashboard across the traces of this tab.
pub mod dashboard;
/// The start page: open a file, a URL, an API, the demo or a recent trace.
pub mod home;
/// One trace: loading it, and the view state in the URL.
pub mod trace;
/// The list of traces of a connected API.
pub mod trace_list;
/// The view of one loaded trace.
pub mod trace_view;
