//! One page per file. UI layer.

/// One trace: summary, tasks and steps.
pub mod trace;
