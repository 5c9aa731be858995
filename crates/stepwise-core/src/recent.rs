//! Recently opened traces: names and summaries kept in this browser. Pure core.
//!
//! The list lives in local storage as JSON and is read back from whatever is there:
//! another version of the app, a user or an extension may have written anything, so an
//! unreadable list is an empty list and an unreadable entry is dropped, never a panic.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::baseline::{run_id, Figures, PartFigures, Run, RunFigures};
use crate::metrics::summarize;
use crate::model::Trace;

/// How many traces the list keeps; the oldest fall off.
pub const MAX_ENTRIES: usize = 20;
/// The local-storage key of the list.
pub const STORAGE_KEY: &str = "stepwise.recent";
/// The Cache API cache that holds the bytes of traces opened from files.
pub const CACHE_NAME: &str = "stepwise-recent";

/// Where a remembered trace came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A file (picked, dropped or pasted): its bytes are in the cache, if still there.
    File,
    Url,
    Api,
    Demo,
}

/// A source and the query string that opens it again (`?src=…`, `?trace=file:run.json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentSource {
    pub kind: SourceKind,
    pub query: String,
}

/// One remembered trace: enough to list it without opening it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecentEntry {
    /// Unique in the list; for a file it starts with the name of its cached bytes.
    pub key: String,
    pub name: String,
    pub file_name: String,
    pub source: RecentSource,
    /// The detected format, for people ("OTLP/JSON").
    #[serde(default)]
    pub format: String,
    pub opened_at_ms: i64,
    pub size_bytes: u64,
    pub steps: usize,
    /// "completed", "running" or "failed".
    pub status: String,
    /// `None` when no LLM call records tokens (entries saved before December 2026
    /// hold a number, read as given).
    pub total_tokens: Option<u64>,
    #[serde(default)]
    pub tokens_partial: bool,
    /// `None` when no LLM call has a cost; the priced calls' sum when `cost_partial`.
    pub cost_usd: Option<f64>,
    #[serde(default)]
    pub cost_partial: bool,
    #[serde(default)]
    pub cost_estimated: bool,
    pub duration_ns: Option<i64>,
    /// `gen_ai.conversation.id`: the list gathers a conversation's traces.
    #[serde(default)]
    pub conversation_id: Option<String>,
    /// The trace's content and id (`baseline::run_id`), so the run open in this tab is
    /// not counted again from this list. Entries saved before December 2026 have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_id: Option<String>,
    /// The longest agents' and tasks' figures, for baselines (`baseline::MAX_PARTS`);
    /// empty in entries saved before December 2026, which then count for the run only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agents: Vec<PartFigures>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<PartFigures>,
}

impl RecentEntry {
    /// The entry for `trace`, read from an input of `size_bytes` whose text has the id
    /// `content_id` (`cache_id`), and opened by `source`.
    pub fn new(
        trace: &Trace,
        file_name: &str,
        (content_id, size_bytes): (&str, u64),
        source: RecentSource,
        opened_at_ms: i64,
    ) -> RecentEntry {
        let summary = summarize(trace);
        let key = entry_key(source.kind, content_id, &source.query);
        let parts = RunFigures::of(trace);
        RecentEntry {
            key,
            name: trace.name.clone(),
            file_name: file_name.to_string(),
            source,
            format: trace.source_format.label().to_string(),
            opened_at_ms,
            size_bytes,
            steps: summary.steps,
            status: trace.status.label().to_string(),
            total_tokens: summary.total_tokens.value(),
            tokens_partial: summary.total_tokens.is_partial(),
            cost_usd: summary.cost_usd.value(),
            cost_partial: summary.cost_usd.is_partial(),
            cost_estimated: summary.cost_estimated,
            duration_ns: summary.duration_ns,
            conversation_id: crate::conversation::conversation_id(trace).map(str::to_string),
            run_id: Some(run_id(content_id, &trace.id)),
            agents: parts.agents,
            tasks: parts.tasks,
        }
    }

    /// The run as a baseline sees it. Cost and tokens count only when complete, and a
    /// run that was still running has no figures (see `baseline`).
    pub fn baseline_run(&self) -> Run {
        let complete = self.status != "running";
        let run = Figures {
            duration_ms: self.duration_ns.map(|ns| ns as f64 / 1e6),
            cost_usd: self.cost_usd.filter(|_| !self.cost_partial),
            tokens: self.total_tokens.filter(|_| !self.tokens_partial),
        };
        Run {
            ids: std::iter::once(self.key.clone())
                .chain(self.run_id.clone())
                .collect(),
            name: self.name.clone(),
            figures: if complete {
                RunFigures {
                    run,
                    agents: self.agents.clone(),
                    tasks: self.tasks.clone(),
                }
            } else {
                RunFigures::default()
            },
        }
    }

    /// The name of this file's bytes in the cache; `None` for traces fetched again on open.
    pub fn cache_id(&self) -> Option<&str> {
        match self.source.kind {
            SourceKind::File => self.key.split('/').next(),
            _ => None,
        }
    }

    fn same_trace(&self, other: &RecentEntry) -> bool {
        self.source == other.source && self.name == other.name
    }
}

/// The key of the entry for a trace opened from `query`, whose input has `content_id`.
pub fn entry_key(kind: SourceKind, content_id: &str, query: &str) -> String {
    match kind {
        SourceKind::File => format!("{content_id}/{query}"),
        _ => query.to_string(),
    }
}

/// Names a file's bytes by their content (FNV-1a, 64 bits): opening the same file twice
/// keeps one copy, and two different files that share a name keep two.
pub fn cache_id(bytes: &[u8]) -> String {
    const PRIME: u64 = 0x0100_0000_01b3;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    // Eight bytes per step: byte by byte, a 70 MB file cost the main thread ~100 ms. The
    // rotation carries each word's high bits down, which a multiply alone never does.
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let mut array = [0u8; 8];
        array.copy_from_slice(word);
        hash = (hash ^ u64::from_le_bytes(array))
            .wrapping_mul(PRIME)
            .rotate_left(29);
    }
    for byte in words.remainder() {
        hash = (hash ^ u64::from(*byte)).wrapping_mul(PRIME);
    }
    format!("{hash:016x}-{}", bytes.len())
}

/// The synthetic same-origin URL the Cache API keeps a file's bytes under. `directory` is
/// where the app is served ("/tools/stepwise/"), so two installs on one origin stay apart.
pub fn cache_url(origin: &str, directory: &str, cache_id: &str) -> String {
    let directory = directory.trim_end_matches('/');
    format!("{origin}{directory}/stepwise-recent/{cache_id}")
}

/// Adds `entry` first, replacing an earlier entry for the same trace, and keeps
/// `MAX_ENTRIES`. Returns the cache ids no entry uses any more, to delete.
pub fn add(list: &mut Vec<RecentEntry>, entry: RecentEntry) -> Vec<String> {
    let before = cache_ids(list);
    list.retain(|old| !old.same_trace(&entry) && old.key != entry.key);
    list.insert(0, entry);
    list.truncate(MAX_ENTRIES);
    orphans(before, list)
}

/// Removes the entry with `key`. Returns the cache ids no entry uses any more.
pub fn forget(list: &mut Vec<RecentEntry>, key: &str) -> Vec<String> {
    let before = cache_ids(list);
    list.retain(|entry| entry.key != key);
    orphans(before, list)
}

fn cache_ids(list: &[RecentEntry]) -> Vec<String> {
    let mut ids: Vec<String> = list
        .iter()
        .filter_map(|entry| entry.cache_id().map(str::to_string))
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

fn orphans(before: Vec<String>, list: &[RecentEntry]) -> Vec<String> {
    let after = cache_ids(list);
    before
        .into_iter()
        .filter(|id| !after.contains(id))
        .collect()
}

/// Reads the stored list: entries that do not parse are dropped, anything else is empty.
pub fn from_json(text: &str) -> Vec<RecentEntry> {
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    let mut list: Vec<RecentEntry> = items
        .into_iter()
        .filter_map(|item| serde_json::from_value(item).ok())
        .collect();
    list.truncate(MAX_ENTRIES);
    list
}

pub fn to_json(list: &[RecentEntry]) -> String {
    // Plain data with string keys always serialises; an empty list is the safe fallback.
    serde_json::to_string(list).unwrap_or_else(|_| "[]".to_string())
}

/// When an entry was opened, relative to `now_ms`: "just now", "5 min ago", "3 h ago",
/// "yesterday", "4 days ago", then the date.
pub fn format_opened_at(opened_at_ms: i64, now_ms: i64) -> String {
    let minutes = now_ms.saturating_sub(opened_at_ms) / 60_000;
    match minutes {
        i64::MIN..=0 => "just now".to_string(),
        1..=59 => format!("{minutes} min ago"),
        60..=1439 => format!("{} h ago", minutes / 60),
        1440..=2879 => "yesterday".to_string(),
        2880..=10079 => format!("{} days ago", minutes / 1440),
        _ => chrono::DateTime::from_timestamp_millis(opened_at_ms)
            .map_or_else(String::new, |at| at.format("%Y-%m-%d").to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, kind: SourceKind, query: &str, bytes: &[u8]) -> RecentEntry {
        let trace = crate::import::import_bytes(include_bytes!("../../../public/demo/trace.json"))
            .expect("demo")
            .remove(0);
        let mut entry = RecentEntry::new(
            &trace,
            "run.json",
            (&cache_id(bytes), bytes.len() as u64),
            RecentSource {
                kind,
                query: query.into(),
            },
            1_000,
        );
        entry.name = name.into();
        entry
    }

    #[test]
    fn an_entry_summarises_its_trace() {
        let entry = entry("demo", SourceKind::Demo, "?trace=demo", b"12345");
        assert_eq!(entry.key, "?trace=demo");
        assert_eq!(entry.steps, 30);
        assert_eq!(entry.total_tokens, Some(31_367));
        assert_eq!(entry.status, "completed");
        assert_eq!(entry.format, "Stepwise trace");
        assert_eq!(entry.size_bytes, 5);
        assert_eq!(entry.cache_id(), None);
        let file = super::tests::entry("a", SourceKind::File, "?trace=file:run.json", b"abc");
        assert_eq!(file.key, "e71fa2190541574b-3/?trace=file:run.json");
        assert_eq!(file.cache_id(), Some("e71fa2190541574b-3"));
    }

    #[test]
    fn the_content_id_sees_every_byte_of_every_word() {
        let base = vec![b'x'; 37];
        let id = cache_id(&base);
        assert_eq!(cache_id(&base.clone()), id);
        // One changed byte anywhere (low or high byte of a word, or the tail) changes it.
        for index in [0, 7, 8, 15, 31, 32, 36] {
            let mut changed = base.clone();
            changed[index] = b'y';
            assert_ne!(cache_id(&changed), id, "byte {index}");
        }
        // Swapped words are different content.
        let mut swapped = base.clone();
        swapped[..8].copy_from_slice(b"abcdefgh");
        let mut other = base.clone();
        other[8..16].copy_from_slice(b"abcdefgh");
        assert_ne!(cache_id(&swapped), cache_id(&other));
    }

    #[test]
    fn adding_puts_the_newest_first_and_replaces_the_same_trace() {
        let mut list = Vec::new();
        add(
            &mut list,
            entry("a", SourceKind::File, "?trace=file:a.json", b"old"),
        );
        add(&mut list, entry("b", SourceKind::Url, "?src=x", b""));
        // The same file opened again with new content: one entry, and the old bytes go.
        let dropped = add(
            &mut list,
            entry("a", SourceKind::File, "?trace=file:a.json", b"new"),
        );
        let names: Vec<&str> = list.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(dropped, [cache_id(b"old")]);
    }

    #[test]
    fn the_list_keeps_twenty() {
        let mut list = Vec::new();
        for index in 0..25 {
            add(
                &mut list,
                entry(
                    &format!("t{index}"),
                    SourceKind::Url,
                    &format!("?src={index}"),
                    b"",
                ),
            );
        }
        assert_eq!(list.len(), MAX_ENTRIES);
        assert_eq!(list[0].name, "t24");
        assert_eq!(list[19].name, "t5");
    }

    #[test]
    fn forgetting_frees_bytes_only_when_unused() {
        let mut list = Vec::new();
        // Two traces of one file share its bytes.
        add(
            &mut list,
            entry("one", SourceKind::File, "?trace=file:f.json", b"f"),
        );
        add(
            &mut list,
            entry("two", SourceKind::File, "?trace=file:f.json%232", b"f"),
        );
        let first = list[1].key.clone();
        assert_eq!(forget(&mut list, &first), Vec::<String>::new());
        let second = list[0].key.clone();
        assert_eq!(forget(&mut list, &second), [cache_id(b"f")]);
        assert!(list.is_empty());
    }

    #[test]
    fn storage_round_trips_and_tolerates_garbage() {
        let list = vec![entry("a", SourceKind::Demo, "?trace=demo", b"x")];
        assert_eq!(from_json(&to_json(&list)), list);
        assert!(from_json("").is_empty());
        assert!(from_json("not json").is_empty());
        assert!(from_json("{\"a\":1}").is_empty());
        assert!(from_json("null").is_empty());
        // A broken entry is dropped; its neighbours survive.
        let mixed = format!(
            "[1, {{\"key\":2}}, {}]",
            &to_json(&list)[1..to_json(&list).len() - 1]
        );
        assert_eq!(from_json(&mixed), list);
    }

    #[test]
    fn an_entry_keeps_what_a_baseline_needs() {
        let entry = entry("demo", SourceKind::Demo, "?trace=demo", b"12345");
        assert_eq!(
            entry.run_id.as_deref(),
            Some("demo-pricing-crew-2026-11-02")
                .map(|id| crate::baseline::run_id(&cache_id(b"12345"), id))
                .as_deref()
        );
        let run = entry.baseline_run();
        assert_eq!(
            run.ids,
            [entry.key.clone(), entry.run_id.clone().unwrap_or_default()]
        );
        // The demo runs 2 min 01.1 s.
        assert_eq!(run.figures.run.duration_ms, Some(121_100.0));
        let tasks: Vec<&str> = entry.tasks.iter().map(|part| part.name.as_str()).collect();
        assert!(tasks.contains(&"Research the market"), "{tasks:?}");
        assert!(!entry.agents.is_empty());
        assert_eq!(from_json(&to_json(std::slice::from_ref(&entry))), [entry]);
    }

    #[test]
    fn an_entry_saved_before_baselines_still_reads_and_counts_for_the_run() {
        let old = r#"[{"key":"?src=x","name":"Crew","file_name":"run.json",
            "source":{"kind":"url","query":"?src=x"},"opened_at_ms":1,"size_bytes":2,
            "steps":3,"status":"completed","total_tokens":900,"cost_usd":0.5,
            "cost_partial":true,"duration_ns":4000000000}]"#;
        let list = from_json(old);
        assert_eq!(list.len(), 1);
        let run = list[0].baseline_run();
        assert_eq!(run.ids, ["?src=x"]);
        assert_eq!(run.figures.run.duration_ms, Some(4_000.0));
        assert_eq!(run.figures.run.tokens, Some(900));
        // A partial cost is a lower bound: unknown to a baseline.
        assert_eq!(run.figures.run.cost_usd, None);
        assert!(run.figures.agents.is_empty() && run.figures.tasks.is_empty());
        // A run remembered while still running has no figures.
        let mut running = list[0].clone();
        running.status = "running".into();
        assert_eq!(running.baseline_run().figures, RunFigures::default());
    }

    #[test]
    fn times_and_sizes_read_well() {
        let now = 1_700_000_000_000;
        assert_eq!(format_opened_at(now - 10_000, now), "just now");
        assert_eq!(format_opened_at(now + 10_000, now), "just now");
        assert_eq!(format_opened_at(now - 5 * 60_000, now), "5 min ago");
        assert_eq!(format_opened_at(now - 3 * 3_600_000, now), "3 h ago");
        assert_eq!(format_opened_at(now - 30 * 3_600_000, now), "yesterday");
        assert_eq!(format_opened_at(now - 4 * 86_400_000, now), "4 days ago");
        assert_eq!(format_opened_at(now - 40 * 86_400_000, now), "2023-10-05");
    }

    #[test]
    fn the_cache_url_is_under_the_app() {
        assert_eq!(
            cache_url("http://127.0.0.1:8000", "/tools/stepwise/", "ab-3"),
            "http://127.0.0.1:8000/tools/stepwise/stepwise-recent/ab-3"
        );
        assert_eq!(
            cache_url("https://x.test", "/", "ab-3"),
            "https://x.test/stepwise-recent/ab-3"
        );
    }
}
