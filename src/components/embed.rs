//! The postMessage bridge with an embedding page: its state, commands and browser plumbing. Component layer: uses other components, state, I/O and the core.

/// The bridge component.
pub mod bridge;
/// Obeying an embedding page's messages.
pub mod commands;
/// The trace shown, published for the embed bridge.
pub mod link;
/// Browser plumbing of the embed bridge: reading and posting messages.
pub mod port;
/// The embed bridge's state and what the host has been told.
pub mod state;
