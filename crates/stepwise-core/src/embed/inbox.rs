//! Keeping a flood of host messages from freezing the page. Pure core.
//!
//! A host may post thousands of messages in one go (a loop gone wrong, a hostile page).
//! Obeying each one at once would push thousands of navigations and re-renders, and answer
//! each with a message of our own. Instead messages wait in an `Inbox` until the page is
//! free, and waiting commands of one kind collapse into the last one: only the final
//! selection, window, theme or load matters to the host. Error answers are rate-limited by
//! a `ReplyBudget`.

use std::collections::VecDeque;

use super::Inbound;

/// Commands waiting to be obeyed, at most one per kind, in the order they last arrived.
#[derive(Debug, Default)]
pub struct Inbox {
    waiting: VecDeque<Inbound>,
    /// Commands replaced by a later one of the same kind before they were obeyed.
    merged: u64,
}

/// Whether the page should schedule a drain after a push.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pushed {
    /// The inbox was empty: schedule one drain.
    First,
    /// A drain is already due.
    Queued,
}

impl Inbox {
    pub fn push(&mut self, command: Inbound) -> Pushed {
        let was_empty = self.waiting.is_empty();
        let before = self.waiting.len();
        self.waiting.retain(|waiting| !same_kind(waiting, &command));
        self.merged += (before - self.waiting.len()) as u64;
        self.waiting.push_back(command);
        match was_empty {
            true => Pushed::First,
            false => Pushed::Queued,
        }
    }

    /// Everything waiting, oldest first; the inbox is empty afterwards.
    pub fn drain(&mut self) -> Vec<Inbound> {
        self.waiting.drain(..).collect()
    }

    pub fn merged(&self) -> u64 {
        self.merged
    }

    pub fn len(&self) -> usize {
        self.waiting.len()
    }

    pub fn is_empty(&self) -> bool {
        self.waiting.is_empty()
    }
}

fn same_kind(a: &Inbound, b: &Inbound) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// At most `per_window` error answers in each `window_ms`; the rest are counted.
#[derive(Debug)]
pub struct ReplyBudget {
    per_window: u32,
    window_ms: f64,
    window_start_ms: f64,
    sent_in_window: u32,
    suppressed: u64,
}

impl ReplyBudget {
    pub fn new(per_window: u32, window_ms: f64) -> ReplyBudget {
        ReplyBudget {
            per_window,
            window_ms,
            window_start_ms: f64::NEG_INFINITY,
            sent_in_window: 0,
            suppressed: 0,
        }
    }

    /// Whether an answer may be sent at `now_ms`; counts it either way.
    pub fn allow(&mut self, now_ms: f64) -> bool {
        // Written so that NaN (a clock gone wrong) opens a new window rather than none.
        let in_window = now_ms - self.window_start_ms < self.window_ms;
        if !in_window {
            self.window_start_ms = now_ms;
            self.sent_in_window = 0;
        }
        if self.sent_in_window < self.per_window {
            self.sent_in_window += 1;
            true
        } else {
            self.suppressed += 1;
            false
        }
    }

    pub fn suppressed(&self) -> u64 {
        self.suppressed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::embed::Theme;
    use crate::view_query::Selection;

    fn select(step: &str) -> Inbound {
        Inbound::Select(Some(Selection::Step(step.to_string())))
    }

    #[test]
    fn a_flood_of_one_kind_collapses_into_its_last_message() {
        let mut inbox = Inbox::default();
        assert_eq!(inbox.push(select("s0")), Pushed::First);
        for n in 1..10_000 {
            assert_eq!(inbox.push(select(&format!("s{n}"))), Pushed::Queued);
        }
        assert_eq!(inbox.len(), 1);
        assert_eq!(inbox.merged(), 9_999);
        assert_eq!(inbox.drain(), vec![select("s9999")]);
        assert!(inbox.is_empty());
        // After a drain the next message schedules a new one.
        assert_eq!(inbox.push(Inbound::Ping), Pushed::First);
    }

    #[test]
    fn different_kinds_are_all_kept_in_the_order_they_last_arrived() {
        let mut inbox = Inbox::default();
        inbox.push(Inbound::SetTheme(Theme::Dark));
        inbox.push(select("s1"));
        inbox.push(Inbound::SetWindow(Some((1.0, 2.0))));
        inbox.push(Inbound::SetTheme(Theme::Light));
        assert_eq!(
            inbox.drain(),
            vec![
                select("s1"),
                Inbound::SetWindow(Some((1.0, 2.0))),
                Inbound::SetTheme(Theme::Light),
            ]
        );
        assert_eq!(inbox.merged(), 1);
    }

    #[test]
    fn single_messages_are_not_merged() {
        let mut inbox = Inbox::default();
        inbox.push(Inbound::Ping);
        inbox.push(select("s1"));
        assert_eq!(inbox.drain(), vec![Inbound::Ping, select("s1")]);
        assert_eq!(inbox.merged(), 0);
    }

    #[test]
    fn error_answers_are_limited_per_window_and_counted() {
        let mut budget = ReplyBudget::new(3, 1000.0);
        let allowed = (0..10).filter(|_| budget.allow(5.0)).count();
        assert_eq!(allowed, 3);
        assert_eq!(budget.suppressed(), 7);
        // A new window allows again.
        assert!(budget.allow(1005.0));
        // A clock that goes back (or NaN) never locks the budget shut.
        assert!(budget.allow(f64::NAN));
    }
}
