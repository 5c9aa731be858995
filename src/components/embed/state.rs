//! The embed bridge's state: who the host is, what it has been told, and how to change the view for it; the protocol's rules are `stepwise_core::embed`. Component layer: uses components, state, I/O and the core.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::components::embed::link::EmbedLink;
use crate::components::embed::port::{console_info, content_height_px, post_to_parent};
use crate::state::open::Opener;
use crate::state::view::absolute;
use stepwise_core::embed::inbox::{Inbox, ReplyBudget};
use stepwise_core::embed::{announcements, resize_due, Announce, LoadedSummary, Outbound, Seen};
use stepwise_core::view_query::ViewQuery;

/// Error answers a host gets per second at most.
const ERROR_REPLIES_PER_SECOND: u32 = 20;

type Navigate = Arc<dyn Fn(&str, NavigateOptions) + Send + Sync>;

#[derive(Clone, Copy)]
pub struct Bridge {
    pub link: EmbedLink,
    pub query: Memo<ViewQuery>,
    pub opener: Opener,
    /// The origins whose messages are obeyed.
    pub allowed: StoredValue<Vec<String>>,
    /// The host's origin once known: the target of every message not answering one.
    pub target: RwSignal<Option<String>>,
    /// Messages ignored because of their origin or sender.
    pub ignored: RwSignal<u64>,
    /// Commands waiting for the page to be free (`stepwise_core::embed::inbox`).
    pub inbox: StoredValue<Inbox>,
    /// Commands merged into a later one of their kind, shown for hosts debugging a flood.
    pub merged: RwSignal<u64>,
    error_budget: StoredValue<ReplyBudget>,
    pathname: Memo<String>,
    navigate: StoredValue<Navigate>,
    /// The trace and step last looked at, to tell what changed.
    seen: StoredValue<Seen>,
    /// Which load was last announced, and to whom; a ping from a host that has not
    /// heard of it gets it then.
    loaded_sent: StoredValue<Option<(u64, String)>>,
    height_sent: StoredValue<Option<(u32, String)>>,
}

impl Bridge {
    pub fn new(link: EmbedLink, allowed: Vec<String>, target: Option<String>) -> Bridge {
        let map = use_query_map();
        let navigate = use_navigate();
        let location = use_location();
        Bridge {
            link,
            query: Memo::new(move |_| {
                let map = map.read();
                ViewQuery::from_pairs(map.latest_values().map(|(k, v)| (k.as_ref(), v)))
            }),
            opener: Opener::from_context(),
            allowed: StoredValue::new(allowed),
            target: RwSignal::new(target),
            ignored: RwSignal::new(0),
            inbox: StoredValue::new(Inbox::default()),
            merged: RwSignal::new(0),
            error_budget: StoredValue::new(ReplyBudget::new(ERROR_REPLIES_PER_SECOND, 1000.0)),
            pathname: Memo::new(move |_| location.pathname.get()),
            navigate: StoredValue::new(Arc::new(move |to: &str, options: NavigateOptions| {
                navigate(to, options)
            })),
            seen: StoredValue::new(Seen::default()),
            loaded_sent: StoredValue::new(None),
            height_sent: StoredValue::new(None),
        }
    }

    /// Shows `query`, replacing the history entry: what the host does must not add
    /// entries to the back button of the page around the frame.
    pub fn go(&self, query: &ViewQuery) {
        let href = absolute(&format!(
            "{}{}",
            self.pathname.get_untracked(),
            query.to_query_string()
        ));
        let options = NavigateOptions {
            replace: true,
            scroll: false,
            ..NavigateOptions::default()
        };
        self.navigate
            .with_value(|navigate| navigate(&href, options));
    }

    pub fn reply(&self, origin: &str, message: Outbound) {
        post_to_parent(&message, origin);
    }

    /// Answers with an error, unless the host has had `ERROR_REPLIES_PER_SECOND` already
    /// this second: a host flooding us with bad messages is not flooded back.
    pub fn reply_error(&self, origin: &str, message: String) {
        let now_ms = js_sys::Date::now();
        if self
            .error_budget
            .try_update_value(|budget| budget.allow(now_ms))
            .unwrap_or(false)
        {
            self.reply(origin, Outbound::Error { message });
        }
    }

    /// Counts a message that was not obeyed; says so once in the console, where the
    /// developer of the embedding page looks.
    pub fn ignore(&self, origin: &str) {
        self.ignored.update(|count| *count += 1);
        if self.ignored.get_untracked() == 1 {
            console_info(&format!(
                "Stepwise ignored a message from {origin:?}: only messages from the parent \
                 frame at {:?} are obeyed (set origins= in the iframe's src). Further ignored \
                 messages are only counted.",
                self.allowed.get_value()
            ));
        }
    }

    /// Tells the host about a new trace or selection (`Effect`: tracks both).
    pub fn announce_changes(&self) {
        let now = Seen {
            generation: self.link.generation(),
            step: self.query.read().selected_step().map(str::to_string),
        };
        let previous = self.seen.get_value();
        self.seen.set_value(now.clone());
        let Some(origin) = self.target.get_untracked() else {
            return;
        };
        for announce in announcements(&previous, &now) {
            match announce {
                Announce::Loaded => self.send_loaded(&origin),
                Announce::StepSelected => self.send_step(&origin),
            }
        }
    }

    /// After a ping: what this host has not heard yet (a trace loaded before it listened,
    /// the current height).
    pub fn catch_up(&self, origin: &str) {
        let generation = self.link.generation();
        let heard = self.loaded_sent.get_value() == Some((generation, origin.to_string()));
        if generation > 0 && !heard {
            self.send_loaded(origin);
            if self.seen.get_value().step.is_some() {
                self.send_step(origin);
            }
        }
        self.send_height(origin);
    }

    fn send_loaded(&self, origin: &str) {
        let Some(shown) = self.link.shown() else {
            return;
        };
        let summary = LoadedSummary::of(&shown.trace);
        self.reply(origin, Outbound::Loaded { summary });
        self.loaded_sent
            .set_value(Some((shown.generation, origin.to_string())));
    }

    fn send_step(&self, origin: &str) {
        let Some(shown) = self.link.shown() else {
            return;
        };
        let step = self.seen.get_value().step;
        self.reply(
            origin,
            Outbound::step_selected(&shown.trace, step.as_deref()),
        );
    }

    /// Reports the content height when it changed since it was last reported to `origin`.
    pub fn send_height(&self, origin: &str) {
        let height_px = content_height_px();
        let last = self
            .height_sent
            .get_value()
            .filter(|(_, to)| to == origin)
            .map(|(px, _)| px);
        if resize_due(last, height_px) {
            self.reply(origin, Outbound::Resize { height_px });
            self.height_sent
                .set_value(Some((height_px, origin.to_string())));
        }
    }
}
