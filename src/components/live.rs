//! The "live" marker of a running trace, with its pause switch: polls the trace's source. Component layer: uses components, state, I/O and the core.
//!
//! The trace page rebuilds its view (and this marker) on every reload, so one marker
//! schedules one poll; the next marker schedules the next. A poll is scheduled only once
//! the previous answer is in, and the page's `Reload` starts nothing while a load is under
//! way, so requests never pile up; after failed refreshes the wait doubles
//! (`api::poll_delay_ms`), and a server's Retry-After is honoured. The selection and zoom live in
//! the address and survive the rebuild. "Paused" is kept in session storage, so a pause
//! clicked while a poll is on its way holds for the rebuilt marker too.

use std::time::Duration;

use leptos::prelude::*;

use crate::state::source::TraceSource;
use crate::state::view::{Current, Refresh, RefreshState, Reload, ViewState};
use stepwise_core::api::{poll_delay_ms, poll_interval_ms};
use stepwise_core::model::Status;

const PAUSED_KEY: &str = "stepwise.live.paused";

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// Whether live refresh is paused for the trace at `source_key` in this tab.
fn paused_for(source_key: &str) -> bool {
    session()
        .and_then(|storage| storage.get_item(PAUSED_KEY).ok().flatten())
        .is_some_and(|paused| paused == source_key)
}

fn set_paused(source_key: &str, paused: bool) {
    if let Some(storage) = session() {
        let _ = if paused {
            storage.set_item(PAUSED_KEY, source_key)
        } else {
            storage.remove_item(PAUSED_KEY)
        };
    }
}

#[component]
pub fn LiveMarker() -> impl IntoView {
    let (Some(current), Some(reload), Some(state)) = (
        use_context::<Current>(),
        use_context::<Reload>(),
        use_context::<ViewState>(),
    ) else {
        return ().into_any();
    };
    // Only what can be fetched again can change: a demo or a dropped file cannot.
    let fetched = matches!(current.source, TraceSource::Api(_) | TraceSource::Url(_));
    if !fetched || current.loaded.trace.status != Status::Running {
        return ().into_any();
    }
    let source_key = current.source.query_string();
    let paused = RwSignal::new(paused_for(&source_key));
    let interval_ms = poll_interval_ms(state.query.get_untracked().kept("poll_ms"));
    let refresh = use_context::<Refresh>()
        .and_then(|Refresh(refresh)| refresh.try_get_value())
        .unwrap_or_default();
    let RefreshState {
        failures,
        retry_after_s,
        ..
    } = refresh;
    let delay_ms = poll_delay_ms(interval_ms, failures, retry_after_s);
    let timer = StoredValue::new(None::<TimeoutHandle>);
    let stop = move || {
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
        timer.set_value(None);
    };
    Effect::new(move |_| {
        stop();
        if !paused.get() {
            let next =
                set_timeout_with_handle(move || reload.0.run(()), Duration::from_millis(delay_ms));
            timer.set_value(next.ok());
        }
    });
    on_cleanup(stop);
    let toggle = move |_| {
        let now_paused = !paused.get_untracked();
        set_paused(&source_key, now_paused);
        paused.set(now_paused);
    };
    let every = if failures == 0 {
        format!(
            "Refreshes every {:.1} s while the trace runs",
            f64::from(interval_ms) / 1000.0
        )
    } else {
        format!(
            "The last refresh failed: trying again in {:.1} s",
            delay_ms as f64 / 1000.0
        )
    };
    view! {
        <span class="live" class:paused=move || paused.get() title=every data-testid="live">
            <span class="live-dot" aria-hidden="true">"●"</span>
            {move || if paused.get() { " Live, paused" } else { " Live" }}
            <button type="button" class="live-switch" aria-pressed=move || paused.get().to_string() on:click=toggle>
                {move || if paused.get() { "Resume" } else { "Pause" }}
            </button>
        </span>
    }
    .into_any()
}
