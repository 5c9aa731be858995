//! Obeying a host's message: answer a ping, open a trace, select, zoom, set the theme; which messages exist and what they hold is `stepwise_core::embed`. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::embed::state::Bridge;
use crate::io::stream::Progress;
use stepwise_core::embed::{
    query_for_loaded, query_with_theme, unique_key, Inbound, LoadContent, Outbound,
};
use stepwise_core::view_query::Selection;

/// Prefix of `?trace=` values naming a trace opened in this tab (`TraceSource::File`).
const FILE_PREFIX: &str = "file:";

/// Carries out `command` from the host at `origin`; failures go back as `error`.
pub fn obey(bridge: Bridge, command: Inbound, origin: String) {
    let result = match command {
        Inbound::Ping => {
            bridge.reply(&origin, Outbound::ready(bridge.ignored.get_untracked()));
            bridge.catch_up(&origin);
            Ok(())
        }
        Inbound::Load { name, content } => {
            load(bridge, name, content, origin);
            return;
        }
        Inbound::Select(selection) => select(bridge, selection, &origin),
        Inbound::SetWindow(window_ms) => require_trace(bridge, "set-window").map(|_| {
            bridge.go(&bridge.query.get_untracked().with_window(window_ms));
        }),
        Inbound::SetTheme(theme) => {
            bridge.go(&query_with_theme(&bridge.query.get_untracked(), theme));
            Ok(())
        }
    };
    if let Err(message) = result {
        bridge.reply_error(&origin, message);
    }
}

/// Opens the host's trace like a dropped file, under a key no other trace uses, and
/// shows it; `loaded` follows once the page shows it.
fn load(bridge: Bridge, name: String, content: LoadContent, origin: String) {
    spawn_local(async move {
        // Costs the trace does not state are estimated, as for any opened file.
        let opener = bridge.opener;
        let key = unique_key(&name, |key| opener.traces.has_file(key));
        let bytes = content.into_bytes();
        match opener.open_bytes(&key, &bytes, Progress::new()).await {
            Ok(keys) => {
                let Some(first) = keys.first() else {
                    return;
                };
                let trace_param = format!("{FILE_PREFIX}{first}");
                bridge.go(&query_for_loaded(
                    &bridge.query.get_untracked(),
                    &trace_param,
                ));
            }
            Err(message) => bridge.reply(&origin, Outbound::Error { message }),
        }
    });
}

fn select(bridge: Bridge, selection: Option<Selection>, origin: &str) -> Result<(), String> {
    let trace = require_trace(bridge, "select")?;
    let missing = match &selection {
        Some(Selection::Step(id)) if trace.step(id).is_none() => Some(("step", id)),
        Some(Selection::Task(id)) if trace.task(id).is_none() => Some(("task", id)),
        Some(Selection::Agent(id)) if trace.agent(id).is_none() => Some(("agent", id)),
        _ => None,
    };
    if let Some((what, id)) = missing {
        return Err(format!("The trace shown has no {what} with id {id:?}."));
    }
    let current = bridge.query.get_untracked();
    if current.selection == selection {
        // Nothing changes, so no announcement would follow: answer the host directly.
        bridge.reply(
            origin,
            Outbound::step_selected(&trace, current.selected_step()),
        );
        return Ok(());
    }
    bridge.go(&current.with_selection(selection));
    Ok(())
}

fn require_trace(
    bridge: Bridge,
    message: &str,
) -> Result<std::sync::Arc<stepwise_core::model::Trace>, String> {
    bridge.link.shown().map(|shown| shown.trace).ok_or_else(|| {
        format!("No trace is shown yet: send {message:?} after Stepwise announced \"loaded\".")
    })
}
