//! The postMessage bridge with an embedding page (`embed=1`); docs/embed.md describes it for hosts. Component layer: uses components, state, I/O and the core.

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use leptos_use_event_listener::use_event_listener;
use leptos_use_resize_observer::use_resize_observer;

use crate::components::embed::commands::obey;
use crate::components::embed::link::EmbedLink;
use crate::components::embed::port::{
    console_info, is_own_window, is_parent, own_origin, parent_origin_hints, parent_window,
    read_message,
};
use crate::components::embed::state::Bridge;
use crate::components::theme::use_embed_theme;
use crate::state::source::Page;
use stepwise_core::embed::inbox::Pushed;
use stepwise_core::embed::{
    origin_allowed, parse_inbound, startup_target, EmbedConfig, Outbound, Theme,
};
use stepwise_core::view_query::ViewQuery;

/// Mounted once beside the routes; does nothing unless the page is embedded. The `embed`
/// parameter survives every navigation, so it is read once.
#[component]
pub fn EmbedBridge() -> impl IntoView {
    let map = use_query_map();
    let query = map.with_untracked(|map| {
        ViewQuery::from_pairs(map.latest_values().map(|(k, v)| (k.as_ref(), v)))
    });
    let config = EmbedConfig::from_query(&query);
    config.embedded.then(|| view! { <EmbedSession config /> })
}

#[component]
fn EmbedSession(config: EmbedConfig) -> impl IntoView {
    if let Some(root) = document().document_element() {
        // embed.css keys the compact layout on it.
        let _ = root.set_attribute("data-embed", "1");
    }
    for reason in &config.rejected_origins {
        console_info(&format!(
            "Stepwise embed: ignoring an entry of origins=: {reason}."
        ));
    }
    let allowed = config.allowed_origins(&own_origin());
    let hints = parent_origin_hints();
    let hints: Vec<&str> = hints.iter().map(String::as_str).collect();
    let target = parent_window().and_then(|_| startup_target(&allowed, &hints));
    let link = use_context::<EmbedLink>().unwrap_or_default();
    let bridge = Bridge::new(link, allowed, target);

    let theme = Memo::new(move |_| {
        bridge.query.with(|query| {
            query
                .kept("theme")
                .and_then(|key| Theme::from_key(key).ok())
                .unwrap_or_default()
        })
    });
    use_embed_theme(theme.into());

    let _ = use_event_listener(window(), leptos::ev::message, move |event| {
        let source = event.source();
        // This page's own scripts (and extensions) post to it too: not a host, not counted.
        if is_own_window(source.as_ref()) {
            return;
        }
        let origin = event.origin();
        let allowed = bridge
            .allowed
            .with_value(|allowed| origin_allowed(allowed, &origin));
        if !allowed || !is_parent(source.as_ref()) {
            bridge.ignore(&origin);
            return;
        }
        if bridge.target.get_untracked().as_deref() != Some(origin.as_str()) {
            bridge.target.set(Some(origin.clone()));
        }
        let parsed =
            read_message(&event.data()).and_then(|(value, buffer)| parse_inbound(&value, buffer));
        match parsed {
            Ok(command) => queue(bridge, command),
            Err(message) => bridge.reply_error(&origin, message),
        }
    });

    Effect::new(move |_| bridge.announce_changes());
    // A trace the address named (`src=`) that failed to load is the host's `error` too.
    Effect::new(move |_| {
        if let (Some((_, message)), Some(origin)) = (link.failure(), bridge.target.get_untracked())
        {
            bridge.reply(&origin, Outbound::Error { message });
        }
    });
    // The root element's box is the content's height, reported as the host sizes the frame.
    if let Some(root) = document().document_element() {
        let _ = use_resize_observer(root, move |_, _| {
            if let Some(origin) = bridge.target.get_untracked() {
                bridge.send_height(&origin);
            }
        });
    }
    // Once at start-up, for a host already listening; the ping handshake covers the rest.
    if let Some(origin) = bridge.target.get_untracked() {
        bridge.reply(&origin, Outbound::ready(0));
    }

    let waiting = Memo::new(move |_| {
        bridge
            .query
            .with(|query| matches!(Page::from_query(query), Ok(Page::Home)))
    });
    view! {
        <div
            class="embed-status"
            hidden
            data-testid="embed-bridge"
            data-ignored-messages=move || bridge.ignored.get().to_string()
            data-merged-messages=move || bridge.merged.get().to_string()
            data-host-origin=move || bridge.target.get().unwrap_or_default()
        ></div>
        <Show when=move || waiting.get()>
            <p class="notice embed-waiting" data-testid="embed-waiting">
                "Waiting for a trace from the page around this frame…"
            </p>
        </Show>
    }
}

/// Puts `command` in the inbox; the first one since the last drain schedules the next
/// drain, after the messages already posted have been received and merged.
fn queue(bridge: Bridge, command: stepwise_core::embed::Inbound) {
    let pushed = bridge
        .inbox
        .try_update_value(|inbox| inbox.push(command))
        .unwrap_or(Pushed::Queued);
    if pushed == Pushed::First {
        set_timeout(move || drain(bridge), Duration::ZERO);
    }
}

fn drain(bridge: Bridge) {
    let (commands, merged) = bridge
        .inbox
        .try_update_value(|inbox| (inbox.drain(), inbox.merged()))
        .unwrap_or_default();
    if bridge.merged.get_untracked() != merged {
        bridge.merged.set(merged);
    }
    let Some(origin) = bridge.target.get_untracked() else {
        return;
    };
    for command in commands {
        obey(bridge, command, origin.clone());
    }
}
