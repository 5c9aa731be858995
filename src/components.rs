//! One screen region per file; each takes model or derived types as props. Component layer: uses components, state, I/O and the core.

/// The crew's agents under the tasks table.
pub mod agent_list;
/// One agent: its profile and what it did in the trace.
pub mod agent_view;
/// Annotations and saved views: the panel, the step form, the list.
pub mod annotations;
/// "Connect to an API": base URL, kind and credentials.
pub mod api_connect;
/// The credential fields of the API form.
pub mod api_credentials;
/// Base URLs used before, as links to their trace lists.
pub mod api_saved;
/// How this run compares with other runs of its name.
pub mod baseline;
/// The compare page's regions: trace pickers, aligned tasks, text diff.
pub mod compare;
/// A button that copies a value to the clipboard.
pub mod copy_button;
/// What the details views share: frame, facts, links.
pub mod details;
/// The details pane: a step, a task or an agent.
pub mod details_pane;
/// Dropping trace files anywhere on the page, and pasting JSON.
pub mod drop_zone;
/// The postMessage bridge with an embedding page.
pub mod embed;
/// Export: downloads, report and link.
pub mod export_menu;
/// What the run produced, as markdown.
pub mod final_output;
/// The agent graph: agents, tasks, tools and models with calls and handoffs.
pub mod graph;
/// Failures, critical path, outliers, hogs, waste and costs of one trace.
pub mod insights;
/// Values for reading: folded text and a collapsible JSON tree.
pub mod json_view;
/// j/k/e/E/Esc/? shortcuts and the key map.
pub mod keyboard;
/// The trace list's filters.
pub mod list_filters;
/// The live marker of a running trace.
pub mod live;
/// The loading state and load errors of the trace page.
pub mod load_state;
/// The safe markdown tree drawn as elements.
pub mod markdown_view;
/// Text with the labels of a redacted copy marked.
pub mod marked_text;
/// An LLM call's prompt and response as role bubbles.
pub mod messages;
/// "You are offline": API sources need the network.
pub mod offline_notice;
/// "Open file": trace files read as bytes.
pub mod open_file;
/// What opening files did: progress, counts and problems.
pub mod open_status;
/// The figures and first tasks of a trace still being opened.
pub mod preview;
/// A progress bar with a Cancel button.
pub mod progress;
/// The run as one conversation: asks, replies, tool calls, handoffs, errors.
pub mod reader;
/// Recently opened traces.
pub mod recent;
/// Redaction: the panel that finds secrets and personal data, and the header's button.
pub mod redact;
/// What the importer repaired or left out, said above the figures.
pub mod repairs;
/// A Retry button that waits as long as the server asked (429 Retry-After).
pub mod retry_button;
/// Parts of the cost dashboard and the agent page.
pub mod rollup;
/// The breadcrumb of a page re-rooted at a step.
pub mod root_crumb;
/// The step search: query box, match count, Prev/Next, Highlight | Filter.
pub mod search_bar;
/// What a shared page says of itself: from where, when, read-only.
pub mod share_banner;
/// What one selected step carried.
pub mod step_details;
/// The sequential list of steps, indented by nesting.
pub mod step_list;
/// One row of the step list.
pub mod step_row;
/// The step search's query and matches.
pub mod step_search;
/// Tool call, tool result and error sections of the step details.
pub mod step_sections;
/// The execution summary figures.
pub mod summary;
/// A table cell for a sum with unknown parts.
pub mod tally;
/// One task: agent, times, description, context, output and steps.
pub mod task_details;
/// One row of the tasks table.
pub mod task_row;
/// Tasks with their agents, status and duration.
pub mod task_table;
/// The light/dark/system theme switch.
pub mod theme;
/// The execution timeline on a canvas.
pub mod timeline;
/// The trace page's header, full or embedded.
pub mod trace_header;
/// The trace list's filters and table.
pub mod trace_list_table;
/// "A new version of Stepwise is ready": the reload prompt.
pub mod update_prompt;
/// The trace page's views as tabs.
pub mod view_tabs;
/// Scroll containers that render only the rows in view.
pub mod virtual_scroll;
