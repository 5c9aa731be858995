//! A Retry button that honours a server's "wait N s" (429 with Retry-After): disabled, with a visible countdown, until the wait is over, then (when `auto`) retrying by itself. Component layer: uses components, state, I/O and the core.

use std::time::Duration;

use leptos::prelude::*;

/// How often the countdown is redrawn; the deadline itself is checked against the clock,
/// so a late tick never makes the retry early.
const TICK_MS: u64 = 250;

#[component]
pub fn RetryButton(
    on_retry: Callback<()>,
    /// Seconds the server asked to wait; `None` or 0 leaves the button enabled.
    #[prop(optional)]
    wait_s: Option<u64>,
    /// Retry by itself once the wait is over.
    #[prop(optional)]
    auto: bool,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    let left_s = RwSignal::new(wait_s.unwrap_or(0));
    if let Some(wait_s) = wait_s.filter(|wait_s| *wait_s > 0) {
        let deadline_ms = js_sys::Date::now() + wait_s as f64 * 1000.0;
        let ticker = StoredValue::new(None::<IntervalHandle>);
        let stop = move || {
            if let Some(handle) = ticker.try_get_value().flatten() {
                handle.clear();
            }
        };
        let tick = move || {
            let remaining_ms = deadline_ms - js_sys::Date::now();
            if remaining_ms > 0.0 {
                left_s.set((remaining_ms / 1000.0).ceil() as u64);
                return;
            }
            stop();
            left_s.set(0);
            if auto {
                on_retry.run(());
            }
        };
        ticker.set_value(set_interval_with_handle(tick, Duration::from_millis(TICK_MS)).ok());
        on_cleanup(stop);
    }
    let label = move || match left_s.get() {
        0 => "Retry".to_string(),
        left_s if auto => format!("Retrying in {left_s} s"),
        left_s => format!("Retry in {left_s} s"),
    };
    view! {
        <button
            type="button"
            class="header-button retry"
            data-testid=testid
            disabled=move || { left_s.get() > 0 }
            on:click=move |_| on_retry.run(())
        >
            {label}
        </button>
    }
}
