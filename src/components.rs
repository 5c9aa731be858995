//! One screen region per file; each takes model or derived types as props. UI layer.

/// What one selected step carried.
pub mod step_details;
/// The sequential list of steps, indented by nesting.
pub mod step_list;
/// The execution summary figures.
pub mod summary;
/// Tasks with their agents, status and duration.
pub mod task_table;
/// The details pane: a step, a task or an agent.
pub mod details;
/// What the run produced, as markdown.
pub mod final_output;
/// The execution timeline on a canvas.
pub mod timeline;
