//! Fuzzing of format detection and every importer: arbitrary bytes, JSON-ish token soup,
//! and structure-aware mutations of every real sample and fixture. No input may panic,
//! hang or allocate out of proportion, and every trace that imports keeps the model's
//! invariants.
//!
//! The default run (inside `cargo test`) is bounded by case counts so that it takes
//! seconds in debug. Longer runs: `scripts/fuzz`, or the variables
//! `STEPWISE_FUZZ_CASES` (cases per property and round), `STEPWISE_FUZZ_SECS` (keep
//! running new rounds until this many seconds have passed) and `STEPWISE_FUZZ_SEED`
//! (the first round's seed; later rounds count up from it).
#![cfg(not(target_arch = "wasm32"))]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use serde_json::{Map, Value};
use stepwise_core::import::import_bytes;
use stepwise_core::model::{SourceFormat, Tally, Trace};

// ---------------------------------------------------------------------------------------
// Memory: a global allocator that counts, per thread, the bytes in use and their peak.
// Per thread, so that the other properties running in parallel are not counted.

struct Counting;

thread_local! {
    static IN_USE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn note(delta: isize) {
    // `try_with`: a thread that is being torn down still frees its memory.
    let _ = IN_USE.try_with(|in_use| {
        let now = in_use.get().saturating_add(delta);
        in_use.set(now);
        let _ = PEAK.try_with(|peak| {
            if now > peak.get() {
                peak.set(now);
            }
        });
    });
}

// SAFETY: every call is passed on to the system allocator unchanged; the counters are
// const-initialised thread locals without destructors, which never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = System.alloc(layout);
        if !pointer.is_null() {
            note(layout.size() as isize);
        }
        pointer
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let pointer = System.alloc_zeroed(layout);
        if !pointer.is_null() {
            note(layout.size() as isize);
        }
        pointer
    }
    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        System.dealloc(pointer, layout);
        note(-(layout.size() as isize));
    }
    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = System.realloc(pointer, layout, new_size);
        if !moved.is_null() {
            note(new_size as isize - layout.size() as isize);
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `work` and returns its result with the peak of bytes it had allocated at once
/// (its result included).
fn measure<T>(work: impl FnOnce() -> T) -> (T, usize) {
    let before = IN_USE.with(Cell::get);
    PEAK.with(|peak| peak.set(before));
    let result = work();
    let peak = PEAK.with(Cell::get);
    (result, peak.saturating_sub(before).max(0) as usize)
}

/// The memory an import of `input_len` bytes may use at its peak, its result included.
/// Measured over every sample and fixture repeated to 256 KiB and to 1 MiB
/// (`memory_stays_proportional_to_the_input` prints the worst ratio): 16.7× at worst,
/// for tiny LangSmith runs that each become a trace with its own maps and strings; real
/// samples stay between 1× and 10×. 64× leaves four times that for adversarial shapes,
/// and 1 MiB covers fixed costs (tables, the error path's second parse of small inputs).
fn memory_bound(input_len: usize) -> usize {
    input_len.saturating_mul(64).saturating_add(1 << 20)
}

/// An import of a fuzz case (at most a few hundred KiB) must come back within this,
/// in debug, with the other properties running beside it on a shared machine.
const TIME_BOUND: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------------------------------
// Invariants of every imported trace.

fn check_invariants(trace: &Trace) -> Result<(), String> {
    let mut ids = HashSet::new();
    for step in &trace.steps {
        if !ids.insert(step.id.as_str()) {
            return Err(format!("step id {:?} is used twice", step.id));
        }
    }
    let index_of: HashMap<&str, usize> = trace
        .steps
        .iter()
        .enumerate()
        .map(|(index, step)| (step.id.as_str(), index))
        .collect();
    let task_ids: HashSet<&str> = trace.tasks.iter().map(|task| task.id.as_str()).collect();
    for step in &trace.steps {
        if let Some(parent) = &step.parent_id {
            if !index_of.contains_key(parent.as_str()) {
                return Err(format!(
                    "step {:?} has a missing parent {parent:?}",
                    step.id
                ));
            }
        }
        if let Some(task) = &step.task_id {
            if !task_ids.contains(task.as_str()) {
                return Err(format!("step {:?} names a missing task {task:?}", step.id));
            }
        }
        if let (Some(start), Some(end)) = (step.start_ns, step.end_ns) {
            if end < start {
                return Err(format!("step {:?} ends before it starts", step.id));
            }
        }
    }
    // No cycles: every walk up reaches a root within as many steps as there are.
    for step in &trace.steps {
        let mut current = step.parent_id.as_deref();
        let mut hops = 0;
        while let Some(parent) = current {
            hops += 1;
            if hops > trace.steps.len() {
                return Err(format!("step {:?} is on a parent cycle", step.id));
            }
            current = index_of
                .get(parent)
                .and_then(|&index| trace.steps[index].parent_id.as_deref());
        }
    }
    for task in &trace.tasks {
        if let (Some(start), Some(end)) = (task.start_ns, task.end_ns) {
            if end < start {
                return Err(format!("task {:?} ends before it starts", task.id));
            }
        }
    }
    if let (Some(start), Some(end)) = (trace.start_ns, trace.end_ns) {
        if end < start {
            return Err(format!("trace {:?} ends before it starts", trace.id));
        }
    }
    // Every step is listed exactly once in the tree the UI draws.
    let rows = stepwise_core::tree::step_rows(trace);
    if rows.len() != trace.steps.len() {
        return Err(format!(
            "the tree lists {} rows for {} steps",
            rows.len(),
            trace.steps.len()
        ));
    }
    // Totals are the sums over model calls, LLM and embedding (saturating: counts may be
    // absurd).
    let summary = stepwise_core::metrics::summarize(trace);
    let llm = trace.steps.iter().filter(|step| step.kind.is_model_call());
    // Unknown counts are parts of their own, never summed as 0.
    let (mut prompt, mut completion) = (Tally::<u64>::default(), Tally::<u64>::default());
    for step in llm {
        prompt.add(step.usage.input_tokens);
        completion.add(step.usage.output_tokens);
    }
    if summary.prompt_tokens != prompt || summary.completion_tokens != completion {
        return Err(format!(
            "summary tokens {:?}/{:?} differ from the sums over model calls {prompt:?}/{completion:?}",
            summary.prompt_tokens, summary.completion_tokens
        ));
    }
    Ok(())
}

/// The property every input must keep: no panic (the runner turns one into a failure),
/// a bounded time and memory, and valid traces when it imports.
fn check_input(input: &[u8]) -> Result<(), TestCaseError> {
    let started = Instant::now();
    let (result, peak_bytes) = measure(|| import_bytes(input));
    let elapsed = started.elapsed();
    prop_assert!(
        elapsed < TIME_BOUND,
        "import of {} bytes took {elapsed:?}",
        input.len()
    );
    prop_assert!(
        peak_bytes <= memory_bound(input.len()),
        "import of {} bytes peaked at {peak_bytes} bytes",
        input.len()
    );
    match result {
        Ok(traces) => {
            for trace in &traces {
                check_invariants(trace).map_err(TestCaseError::fail)?;
            }
        }
        // Every refusal must be a sentence that can be shown.
        Err(error) => prop_assert!(!error.to_string().is_empty()),
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Running: bounded by cases in `cargo test`, by time with STEPWISE_FUZZ_SECS.

thread_local! {
    /// Set while a case runs: its panics are expected findings, recorded rather than
    /// printed (shrinking reruns a panicking case hundreds of times).
    static IN_CASE: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

fn record_panics_in_cases() {
    static HOOK: OnceLock<()> = OnceLock::new();
    HOOK.get_or_init(|| {
        let print = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if IN_CASE.with(Cell::get) {
                LAST_PANIC.with(|last| *last.borrow_mut() = Some(info.to_string()));
            } else {
                print(info);
            }
        }));
    });
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok()?.trim().parse().ok()
}

/// Runs `property` over `strategy`, round after round with new seeds while time is
/// left, and prints how many cases ran.
fn fuzz<S: Strategy>(
    name: &str,
    default_cases: u32,
    strategy: S,
    property: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let cases = env_number("STEPWISE_FUZZ_CASES").map_or(default_cases, |n| n as u32);
    let deadline =
        env_number("STEPWISE_FUZZ_SECS").map(|secs| Instant::now() + Duration::from_secs(secs));
    let first_seed = env_number("STEPWISE_FUZZ_SEED").unwrap_or(0x5EED_F022);
    let executed = AtomicU64::new(0);
    let started = Instant::now();
    record_panics_in_cases();
    let mut round = 0u64;
    loop {
        let seed = first_seed.wrapping_add(round);
        let config = Config {
            cases,
            rng_seed: RngSeed::Fixed(seed),
            failure_persistence: None,
            max_shrink_iters: 2_000,
            ..Config::default()
        };
        let mut runner = TestRunner::new(config);
        let result = runner.run(&strategy, |value| {
            executed.fetch_add(1, Ordering::Relaxed);
            IN_CASE.with(|flag| flag.set(true));
            let outcome = property(value);
            IN_CASE.with(|flag| flag.set(false));
            outcome
        });
        IN_CASE.with(|flag| flag.set(false));
        if let Err(failure) = result {
            let panic = LAST_PANIC
                .with(|last| last.borrow_mut().take())
                .unwrap_or_default();
            panic!("{name}: seed {seed}: {failure}\nlast panic in a case: {panic}");
        }
        round += 1;
        if deadline.is_none_or(|deadline| Instant::now() >= deadline) {
            break;
        }
    }
    eprintln!(
        "fuzz {name}: {} executions in {} rounds, {:.1} s",
        executed.load(Ordering::Relaxed),
        round,
        started.elapsed().as_secs_f64()
    );
}

// ---------------------------------------------------------------------------------------
// Seeds: every real sample and fixture, by format.

fn read_dir_sorted(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|entry| Some(entry.ok()?.path()))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// (format, text) of every seed.
fn seeds() -> &'static [(SourceFormat, String)] {
    static SEEDS: OnceLock<Vec<(SourceFormat, String)>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
        let mut seeds = Vec::new();
        let mut add = |format: SourceFormat, path: &Path| {
            if let Ok(text) = std::fs::read_to_string(path) {
                seeds.push((format, text));
            }
        };
        for (folder, format) in [
            ("crewai", SourceFormat::CrewAi),
            ("otlp", SourceFormat::Otlp),
            ("jaeger", SourceFormat::Jaeger),
            ("langfuse", SourceFormat::Langfuse),
            ("langsmith", SourceFormat::LangSmith),
            ("atif", SourceFormat::Atif),
        ] {
            for file in read_dir_sorted(&root.join("tests/fixtures").join(folder)) {
                add(format, &file);
            }
        }
        for file in read_dir_sorted(&root.join("tests/fixtures/real")) {
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let format = match name.split('-').next() {
                Some("crewai") => SourceFormat::CrewAi,
                Some("langfuse") => SourceFormat::Langfuse,
                Some("otlp") => SourceFormat::Otlp,
                Some("atif") => SourceFormat::Atif,
                _ => continue,
            };
            add(format, &file);
        }
        add(SourceFormat::Stepwise, &root.join("public/demo/trace.json"));
        for text in [
            r#"{"format": "stepwise-trace", "version": 1, "trace": {"id": "t", "name": "n",
                "start_time": "2026-01-01T00:00:00Z", "end_time": "2026-01-01T00:00:09Z",
                "agents": [{"id": "a", "role": "r"}],
                "tasks": [{"id": "k", "name": "task", "agent_id": "a", "context": ["k"],
                           "start_time": "2026-01-01T00:00:01Z", "end_time": "2026-01-01T00:00:08Z"}],
                "steps": [{"id": "s1", "name": "root", "kind": "agent", "task_id": "k", "agent_id": "a",
                           "start_time": "2026-01-01T00:00:01Z", "end_time": "2026-01-01T00:00:08Z"},
                          {"id": "s2", "parent_id": "s1", "name": "call", "kind": "llm_call",
                           "model": "gpt-4o", "usage": {"input_tokens": 10, "output_tokens": 5},
                           "cost_usd": 0.01, "start_time": "2026-01-01T00:00:02Z",
                           "end_time": "2026-01-01T00:00:03Z", "error": {"message": "boom"}}]}}"#,
            r#"{"format": "stepwise-trace", "version": 1, "traces": [{"id": "a"}, {"id": "b"}]}"#,
        ] {
            seeds.push((SourceFormat::Stepwise, text.to_string()));
        }
        seeds
    })
}

fn seeds_of(format: SourceFormat) -> Vec<&'static str> {
    seeds()
        .iter()
        .filter(|(seed_format, _)| *seed_format == format)
        .map(|(_, text)| text.as_str())
        .collect()
}

// ---------------------------------------------------------------------------------------
// Structure-aware mutation.

/// Fuzz input bytes, shown as (lossy) text when a case fails.
#[derive(Clone)]
struct Input(Vec<u8>);

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = String::from_utf8_lossy(&self.0);
        let shown: String = text.chars().take(2_000).collect();
        write!(f, "{} bytes: {shown:?}", self.0.len())
    }
}

/// A small deterministic generator for the choices inside one mutation.
struct Xorshift(u64);

impl Xorshift {
    fn next(&mut self) -> u64 {
        let mut x = self.0.max(1);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Values written into the text as they are, which a `Value` cannot hold.
const RAW: &str = "\u{1}raw\u{1}";
/// An object key that the writer turns into a second copy of the key after it.
const DUP: &str = "\u{1}dup\u{1}";

const NUMBERS: &[&str] = &[
    "1e400",
    "-1e400",
    "18446744073709551616",
    "18446744073709551615",
    "9223372036854775807",
    "-9223372036854775808",
    "-9223372036854775809",
    "-1",
    "-0",
    "0",
    "1e-400",
    "0.5",
    "1.7e18",
    "1700000000",
    "1700000000123",
    "1700000000123456",
    "1700000000123456789",
    "123456789012345678901234567890",
];

const STRINGS: &[&str] = &[
    "",
    " ",
    "NaN",
    "Infinity",
    "-Infinity",
    "-1",
    "1e400",
    "99999999999999999999",
    "2026-01-01T00:00:00Z",
    "2026-02-30T00:00:00Z",
    "1970-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "2026-01-01T00:00:00.123456789+14:00",
    "2026-01-01 00:00:00",
    "1700000000",
    "llm_call",
    "tool_call",
    "GENERATION",
    "ERROR",
    "llm",
    "STATUS_CODE_ERROR",
    "CHILD_OF",
    "task_started",
    "task_completed",
    "llm_call_completed",
    "crew_kickoff_started",
    "\u{202e}evil\u{202c}",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "é\u{301}🦀\u{0}\u{ffff}",
    "s1",
    "a#reasoning",
    "0000000000000000",
    "AAAAAAAAAAAAAAAAAAAAAA==",
];

fn random_scalar(rng: &mut Xorshift) -> Value {
    match rng.below(7) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => Value::String(format!("{RAW}{}", rng.pick(NUMBERS))),
        3 => Value::from(rng.next() as i64),
        4 => Value::String(random_text(rng)),
        _ => Value::String((*rng.pick(STRINGS)).to_string()),
    }
}

/// Random unicode: any scalar value, weighted towards the awkward ones.
fn random_text(rng: &mut Xorshift) -> String {
    let len = rng.below(12);
    (0..len)
        .map(|_| match rng.below(4) {
            0 => char::from_u32(rng.below(0x11_0000) as u32).unwrap_or('\u{fffd}'),
            1 => *rng.pick(&['\u{202e}', '\u{200b}', '\u{feff}', '\u{0}', '"', '\\', '\n']),
            _ => char::from(b' ' + rng.below(95) as u8),
        })
        .collect()
}

/// Every node of `value`, as JSON pointers.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let escaped = key.replace('~', "~0").replace('/', "~1");
                pointers(child, format!("{at}/{escaped}"), out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

fn mutate(value: &mut Value, op: u8, rng: &mut Xorshift) {
    let mut all = Vec::new();
    pointers(value, String::new(), &mut all);
    let target = rng.pick(&all).clone();
    // Ids and other strings of the document, to copy into parent links (cycles, orphans).
    let strings: Vec<String> = all
        .iter()
        .filter_map(|pointer| value.pointer(pointer)?.as_str().map(str::to_string))
        .collect();
    let Some(node) = value.pointer_mut(&target) else {
        return;
    };
    match op % 10 {
        // Drop a key, or an item.
        0 => match node {
            Value::Object(map) if !map.is_empty() => {
                let key = map
                    .keys()
                    .nth(rng.below(map.len()))
                    .cloned()
                    .unwrap_or_default();
                map.remove(&key);
            }
            Value::Array(items) if !items.is_empty() => {
                items.remove(rng.below(items.len()));
            }
            _ => *node = Value::Null,
        },
        // Duplicate a key (with a value of its own), or an item (duplicate ids).
        1 => match node {
            Value::Object(map) if !map.is_empty() => {
                let key = map
                    .keys()
                    .nth(rng.below(map.len()))
                    .cloned()
                    .unwrap_or_default();
                map.insert(format!("{DUP}{key}"), random_scalar(rng));
            }
            Value::Array(items) if !items.is_empty() => {
                let item = items[rng.below(items.len())].clone();
                items.push(item);
            }
            _ => {}
        },
        // Swap the type.
        2 => {
            *node = match rng.below(4) {
                0 => Value::Array(vec![node.take()]),
                1 => Value::Object(Map::from_iter([("x".to_string(), node.take())])),
                2 => Value::String(node.to_string()),
                _ => random_scalar(rng),
            }
        }
        // A huge, tiny or negative number.
        3 => *node = Value::String(format!("{RAW}{}", rng.pick(NUMBERS))),
        // Deep nesting around the value.
        4 => {
            let depth = [2, 20, 127, 129, 1_000, 5_000][rng.below(6)];
            let (open, close) = if rng.below(2) == 0 {
                ("[", "]")
            } else {
                ("{\"a\":", "}")
            };
            *node = Value::String(format!(
                "{RAW}{}{}{}",
                open.repeat(depth),
                node,
                close.repeat(depth)
            ));
        }
        // Random unicode.
        5 => *node = Value::String(random_text(rng)),
        // A string of the document elsewhere: parent cycles, duplicate ids, orphans.
        6 => {
            if !strings.is_empty() {
                *node = Value::String(rng.pick(&strings).clone());
            }
        }
        // A value from the palette of times, enums and ids.
        7 => *node = Value::String((*rng.pick(STRINGS)).to_string()),
        // A long string.
        8 => *node = Value::String("x".repeat([1_000, 100_000][rng.below(2)])),
        // Empty the container.
        _ => match node {
            Value::Object(map) => map.clear(),
            Value::Array(items) => items.clear(),
            _ => *node = Value::Null,
        },
    }
}

/// Writes JSON, turning `RAW` strings into raw text and `DUP` keys into repeated keys.
fn write_json(value: &Value, out: &mut String) {
    match value {
        Value::String(text) => match text.strip_prefix(RAW) {
            Some(raw) => out.push_str(raw),
            None => out.push_str(&Value::String(text.clone()).to_string()),
        },
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_json(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (index, (key, item)) in map.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                let key = key.strip_prefix(DUP).unwrap_or(key);
                out.push_str(&Value::String(key.to_string()).to_string());
                out.push(':');
                write_json(item, out);
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Bytes spliced into a document: invalid UTF-8, stray JSON, a lone surrogate, a BOM.
const JUNK: &[&[u8]] = &[
    b"\xff",
    b"\xc3",
    b"\0",
    b"}",
    b"]",
    b",",
    b"\"",
    b"\n{}\n",
    b"\\ud800",
    b"\xef\xbb\xbf",
];

/// The last touch on the text: cut it, splice bytes in, or make it JSON Lines.
fn mutate_text(text: String, op: u8, salt: u64) -> Vec<u8> {
    let mut rng = Xorshift(salt);
    let mut bytes = text.into_bytes();
    let at = rng.below(bytes.len() + 1);
    match op % 8 {
        0 => bytes.truncate(at),
        1 => {
            let junk = rng.pick(JUNK);
            bytes.splice(at..at, junk.iter().copied());
        }
        2 => {
            // The same document twice, as JSON Lines.
            let copy = bytes.clone();
            bytes.push(b'\n');
            bytes.extend(copy);
        }
        3 => {
            let mut with_bom = b"\xef\xbb\xbf".to_vec();
            with_bom.extend(bytes);
            bytes = with_bom;
        }
        _ => {}
    }
    bytes
}

/// One structure-aware case: a seed, the mutations to apply, and a last touch on the text.
fn mutated_case(format: SourceFormat) -> impl Strategy<Value = Input> {
    let seeds = seeds_of(format);
    assert!(!seeds.is_empty(), "no seeds for {format:?}");
    (
        0..seeds.len(),
        vec((any::<u8>(), any::<u64>()), 0..5),
        any::<u8>(),
        any::<u64>(),
    )
        .prop_map(move |(index, ops, text_op, salt)| {
            let seed = seeds[index];
            let Ok(mut value) = serde_json::from_str::<Value>(seed) else {
                // Seeds that are not one JSON value (JSON Lines, truncated) are cut and spliced only.
                return Input(mutate_text(seed.to_string(), text_op, salt));
            };
            for (op, op_salt) in ops {
                mutate(&mut value, op, &mut Xorshift(op_salt));
            }
            let mut text = String::new();
            write_json(&value, &mut text);
            Input(mutate_text(text, text_op, salt))
        })
}

fn fuzz_format(name: &str, format: SourceFormat) {
    fuzz(name, 2_000, mutated_case(format), |input| {
        check_input(&input.0)
    });
}

#[test]
fn mutated_stepwise_traces_keep_the_invariants() {
    fuzz_format("stepwise", SourceFormat::Stepwise);
}

#[test]
fn mutated_otlp_requests_keep_the_invariants() {
    fuzz_format("otlp", SourceFormat::Otlp);
}

#[test]
fn mutated_crewai_batches_keep_the_invariants() {
    fuzz_format("crewai", SourceFormat::CrewAi);
}

#[test]
fn mutated_langfuse_traces_keep_the_invariants() {
    fuzz_format("langfuse", SourceFormat::Langfuse);
}

#[test]
fn mutated_jaeger_traces_keep_the_invariants() {
    fuzz_format("jaeger", SourceFormat::Jaeger);
}

#[test]
fn mutated_langsmith_runs_keep_the_invariants() {
    fuzz_format("langsmith", SourceFormat::LangSmith);
}

#[test]
fn mutated_atif_trajectories_keep_the_invariants() {
    fuzz_format("atif", SourceFormat::Atif);
}

#[test]
fn arbitrary_bytes_never_panic() {
    let bytes = vec(any::<u8>(), 0..600).prop_map(Input);
    fuzz("bytes", 5_000, bytes, |input| check_input(&input.0));
}

/// Tokens that detection and the probes look for, in any order: reaches the branches
/// that random bytes never do.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\n",
    " ",
    "null",
    "true",
    "0",
    "-1",
    "1e400",
    "\"x\"",
    "\"\"",
    "\"format\"",
    "\"stepwise-trace\"",
    "\"version\"",
    "1",
    "\"trace\"",
    "\"traces\"",
    "\"id\"",
    "\"name\"",
    "\"steps\"",
    "\"parent_id\"",
    "\"resourceSpans\"",
    "\"scopeSpans\"",
    "\"spans\"",
    "\"traceId\"",
    "\"spanId\"",
    "\"events\"",
    "\"batch_metadata\"",
    "\"event_id\"",
    "\"event_data\"",
    "\"type\"",
    "\"observations\"",
    "\"data\"",
    "\"meta\"",
    "\"totalItems\"",
    "\"traceID\"",
    "\"spanID\"",
    "\"run_type\"",
    "\"post\"",
    "\"patch\"",
    "\"runs\"",
    "\"cursors\"",
    "\"child_runs\"",
];

#[test]
fn token_soup_never_panics() {
    let soup = vec(proptest::sample::select(TOKENS), 0..80).prop_map(|tokens| tokens.concat());
    fuzz("token-soup", 10_000, soup, |input| {
        check_input(input.as_bytes())
    });
}

/// Detection reads keys, not their order or the spacing: the same document written with
/// its keys reversed and pretty-printed imports to the same traces.
#[test]
fn key_order_and_spacing_do_not_change_the_import() {
    let mut checked = 0;
    for (format, text) in seeds() {
        let Ok(value) = serde_json::from_str::<Value>(text) else {
            continue;
        };
        let Ok(original) = import_bytes(text.as_bytes()) else {
            continue;
        };
        let mut reordered = String::new();
        write_reversed(&value, &mut reordered);
        let again = import_bytes(reordered.as_bytes())
            .unwrap_or_else(|error| panic!("{format:?} seed refused once reordered: {error}"));
        assert_eq!(again, original, "{format:?} seed changed once reordered");
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} seeds checked");
}

/// Writes `value` with the keys of every object in reverse order, one member a line.
fn write_reversed(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            out.push_str("{\n");
            for (index, (key, item)) in map.iter().rev().enumerate() {
                if index > 0 {
                    out.push_str(",\n");
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push_str(" : ");
                write_reversed(item, out);
            }
            out.push_str("\n}");
        }
        Value::Array(items) => {
            out.push_str("[ ");
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push_str(" , ");
                }
                write_reversed(item, out);
            }
            out.push_str(" ]");
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Each sample and fixture, and each repeated to about 256 KiB as JSON Lines: the peak
/// stays within the bound, and the worst ratio is printed. (At 1 MiB, measured once, the
/// worst was 16.7×, tiny LangSmith runs each becoming a trace of its own.)
#[test]
fn memory_stays_proportional_to_the_input() {
    let mut worst = (0.0f64, String::new());
    for (format, text) in seeds() {
        for copies in [1usize, 1 + (256 << 10) / text.len().max(1)] {
            let input = vec![text.as_str(); copies].join("\n");
            let (result, peak_bytes) = measure(|| import_bytes(input.as_bytes()));
            drop(result);
            let ratio = peak_bytes as f64 / input.len() as f64;
            if copies > 1 && ratio > worst.0 {
                worst = (ratio, format!("{format:?} ×{copies}"));
            }
            assert!(
                peak_bytes <= memory_bound(input.len()),
                "{format:?} ×{copies}: {peak_bytes} bytes for {} bytes of input",
                input.len()
            );
        }
    }
    eprintln!(
        "worst peak/input ratio at about 256 KiB: {:.1}× ({})",
        worst.0, worst.1
    );
}
