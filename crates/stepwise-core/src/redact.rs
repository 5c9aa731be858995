//! Redaction: secrets and personal data found in every text of a trace and replaced by
//! stable labels, in a copy, before the trace is shown, shared or exported. Pure core.
//!
//! The same value gets the same label wherever it appears (`[redacted: email #2]`), so a
//! redacted trace still shows that two steps used the same address. Labels are numbered
//! per category in the order values are first found, counting values the user keeps,
//! so keeping one never renumbers the others.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::model::{RawJson, Trace};

mod detect;

pub use detect::MAX_PATTERN_CHARS;
use detect::{Custom, Found};

/// What a found value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    ApiKey,
    Email,
    Phone,
    CreditCard,
    IpAddress,
    Custom,
}

impl Category {
    /// Every category, in the order the page lists them.
    pub const ALL: [Category; 6] = [
        Category::ApiKey,
        Category::Email,
        Category::Phone,
        Category::CreditCard,
        Category::IpAddress,
        Category::Custom,
    ];

    /// The built-in detectors, on by default.
    pub const BUILT_IN: [Category; 5] = [
        Category::ApiKey,
        Category::Email,
        Category::Phone,
        Category::CreditCard,
        Category::IpAddress,
    ];

    /// The name in files and labels: "api-key".
    pub fn key(self) -> &'static str {
        match self {
            Category::ApiKey => "api-key",
            Category::Email => "email",
            Category::Phone => "phone",
            Category::CreditCard => "credit-card",
            Category::IpAddress => "ip-address",
            Category::Custom => "custom",
        }
    }

    /// For people: "API keys and tokens".
    pub fn label(self) -> &'static str {
        match self {
            Category::ApiKey => "API keys and tokens",
            Category::Email => "E-mail addresses",
            Category::Phone => "Phone numbers",
            Category::CreditCard => "Credit card numbers",
            Category::IpAddress => "IP addresses",
            Category::Custom => "Your own patterns",
        }
    }

    /// A count of them in a sentence: "3 API keys", "1 e-mail address".
    pub fn counted(self, count: usize) -> String {
        let (one, many) = match self {
            Category::ApiKey => ("API key or token", "API keys and tokens"),
            Category::Email => ("e-mail address", "e-mail addresses"),
            Category::Phone => ("phone number", "phone numbers"),
            Category::CreditCard => ("credit card number", "credit card numbers"),
            Category::IpAddress => ("IP address", "IP addresses"),
            Category::Custom => ("match of your patterns", "matches of your patterns"),
        };
        format!("{count} {}", if count == 1 { one } else { many })
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// A pattern of the user's: literal text, or a regular expression.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomPattern {
    pub pattern: String,
    #[serde(default)]
    pub regex: bool,
}

/// What to redact.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Rules {
    /// The categories redacted; the others are still found and listed, not replaced.
    pub categories: Vec<Category>,
    pub custom: Vec<CustomPattern>,
    /// Values the user chose to leave as they are.
    pub keep: Vec<String>,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            categories: Category::ALL.to_vec(),
            custom: Vec::new(),
            keep: Vec::new(),
        }
    }
}

/// Where a value was first found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    /// `None` for the trace's own fields, its agents and tasks.
    pub step_id: Option<String>,
    /// The step's name; for other fields, the trace's, task's or agent's name.
    pub step_name: String,
    /// The field: "output", "attributes.http.headers", "input.messages[2].content".
    pub field: String,
    /// Up to `CONTEXT_CHARS` characters of text before and after the value.
    pub before: String,
    pub after: String,
}

/// Characters of context a `Place` keeps on each side.
pub const CONTEXT_CHARS: usize = 40;

/// One distinct value found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hit {
    pub category: Category,
    /// What replaces it: "[redacted: api-key #3]".
    pub label: String,
    pub value: String,
    /// Occurrences in the trace.
    pub count: usize,
    pub first: Place,
    /// False when its category is off or the user keeps it.
    pub redacted: bool,
}

/// What a redaction found and did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// In the order they were found; at most `MAX_LISTED_HITS`.
    pub hits: Vec<Hit>,
    /// Occurrences redacted per category, only the categories with some.
    pub counts: Vec<(Category, usize)>,
    pub redacted_occurrences: usize,
    /// Text fields looked at (a name, an attribute map, a payload each count once).
    pub scanned_fields: usize,
    /// Distinct values found beyond `MAX_LISTED_HITS`: redacted all the same, not listed.
    #[serde(default)]
    pub unlisted_hits: usize,
}

/// Distinct values a report lists; the rest are counted (a trace of 100k steps may hold
/// a different address in each, and the list is for reading).
pub const MAX_LISTED_HITS: usize = 5_000;

/// A custom pattern that cannot be used, with the reason for the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleError {
    Empty,
    TooLong {
        pattern: String,
        max_chars: usize,
    },
    Syntax {
        pattern: String,
        detail: String,
    },
    TooLarge {
        pattern: String,
    },
    /// The built-in patterns did not compile: a bug, never the user's doing.
    BuiltIn,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleError::Empty => write!(f, "A pattern is empty: type the text to redact."),
            RuleError::TooLong { pattern, max_chars } => write!(
                f,
                "The pattern “{pattern}” is too long: at most {max_chars} characters."
            ),
            RuleError::Syntax { pattern, detail } => {
                write!(
                    f,
                    "The pattern “{pattern}” is not a valid regular expression: {detail}."
                )
            }
            RuleError::TooLarge { pattern } => write!(
                f,
                "The pattern “{pattern}” is too large to run (it compiles to over 1 MB): \
                 make it simpler, e.g. fewer repetitions like {{1000}}."
            ),
            RuleError::BuiltIn => write!(f, "Stepwise's own patterns failed to load."),
        }
    }
}

impl std::error::Error for RuleError {}

/// What an export says about its redaction: counts, never the values.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RedactionNote {
    pub counts: Vec<(Category, usize)>,
    /// When the redaction was done, RFC 3339.
    pub at: String,
}

impl RedactionNote {
    /// The counts of one or several traces' reports, summed.
    pub fn of(reports: &[Report], at: &str) -> RedactionNote {
        let mut sums = [0usize; Category::ALL.len()];
        for report in reports {
            for &(category, count) in &report.counts {
                sums[category.index()] += count;
            }
        }
        RedactionNote {
            counts: nonzero(&sums),
            at: at.to_string(),
        }
    }

    /// "3 API keys and tokens, 2 e-mail addresses", or "nothing" when none.
    pub fn sentence(&self) -> String {
        let parts: Vec<String> = self
            .counts
            .iter()
            .map(|&(category, count)| category.counted(count))
            .collect();
        match parts.is_empty() {
            true => "nothing".to_string(),
            false => parts.join(", "),
        }
    }
}

fn nonzero(sums: &[usize; Category::ALL.len()]) -> Vec<(Category, usize)> {
    Category::ALL
        .into_iter()
        .zip(sums.iter().copied())
        .filter(|&(_, count)| count > 0)
        .collect()
}

/// What opens every label a redaction writes (`[redacted: email #2]`).
const LABEL_OPEN: &str = "[redacted: ";

/// `text` cut into its parts, each with whether it is a redaction label, so a view can
/// mark the labels of a redacted copy where they stand. Text without one is one part.
pub fn label_parts(text: &str) -> Vec<(&str, bool)> {
    let mut parts = Vec::new();
    let mut rest = text;
    let mut plain_from = 0;
    let mut at = 0;
    while let Some(found) = rest.find(LABEL_OPEN) {
        let start = at + found;
        let after = &text[start + LABEL_OPEN.len()..];
        let label_len = after.find(']').filter(|&end| is_label_body(&after[..end]));
        match label_len {
            Some(end) => {
                let end = start + LABEL_OPEN.len() + end + 1;
                if plain_from < start {
                    parts.push((&text[plain_from..start], false));
                }
                parts.push((&text[start..end], true));
                plain_from = end;
                at = end;
            }
            None => at = start + LABEL_OPEN.len(),
        }
        rest = &text[at..];
    }
    if plain_from < text.len() || parts.is_empty() {
        parts.push((&text[plain_from..], false));
    }
    parts
}

/// "email #2": a category's key, a space, `#` and a number.
fn is_label_body(body: &str) -> bool {
    let Some((key, number)) = body.split_once(" #") else {
        return false;
    };
    Category::ALL.iter().any(|category| category.key() == key)
        && !number.is_empty()
        && number.bytes().all(|byte| byte.is_ascii_digit())
}

/// `trace` with what `rules` asks redacted, and what was found. The input is not changed.
/// Ids, times and numbers are left as they are: only text is looked at.
pub fn redact_trace(trace: &Trace, rules: &Rules) -> Result<(Trace, Report), RuleError> {
    redact_trace_with(trace, rules, &mut |_, _| {})
}

/// Steps redacted between two progress reports.
const PROGRESS_EVERY_STEPS: usize = 10_000;

/// `redact_trace`, calling `on_steps(done, total)` at the start, every few thousand steps
/// and at the end.
pub fn redact_trace_with(
    trace: &Trace,
    rules: &Rules,
    on_steps: &mut dyn FnMut(usize, usize),
) -> Result<(Trace, Report), RuleError> {
    let custom = compile(rules)?;
    let mut scanner = Scanner::new(rules, &custom);
    let mut out = trace.clone();
    scanner.trace(&mut out, on_steps);
    Ok((out, scanner.report()))
}

impl Rules {
    /// Whether the user's patterns can be used, with the reason when one cannot.
    pub fn check(&self) -> Result<(), RuleError> {
        compile(self).map(|_| ())
    }
}

fn compile(rules: &Rules) -> Result<Custom, RuleError> {
    let custom = Custom::compile(&rules.custom)?;
    // The built-in patterns compile once; a failure shows here rather than as nothing found.
    detect::find("", &custom, &mut Vec::new()).ok_or(RuleError::BuiltIn)?;
    Ok(custom)
}

/// A JSON path, built on the stack as the walk goes down and written out only when a
/// new value is found there.
#[derive(Clone, Copy)]
enum Path<'a> {
    Field(&'a str),
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    fn write(&self, out: &mut String) {
        match self {
            Path::Field(name) => out.push_str(name),
            Path::Key(parent, key) => {
                parent.write(out);
                out.push('.');
                out.push_str(key);
            }
            Path::Index(parent, index) => {
                parent.write(out);
                out.push_str(&format!("[{index}]"));
            }
        }
    }
}

/// Whose field is being looked at.
#[derive(Clone, Copy)]
struct Owner<'a> {
    step_id: Option<&'a str>,
    name: &'a str,
}

struct Scanner<'r> {
    enabled: [bool; Category::ALL.len()],
    keep: HashSet<&'r str>,
    custom: &'r Custom,
    /// Quick JSON screening is sound only when every pattern matches the same in a
    /// string's raw JSON text as in the string (see `Scanner::raw`).
    screen_raw: bool,
    seen: HashMap<(Category, String), usize>,
    hits: Vec<Hit>,
    numbered: [usize; Category::ALL.len()],
    redacted: [usize; Category::ALL.len()],
    scanned_fields: usize,
    found: Vec<Found>,
}

impl<'r> Scanner<'r> {
    fn new(rules: &'r Rules, custom: &'r Custom) -> Scanner<'r> {
        let mut enabled = [false; Category::ALL.len()];
        for category in &rules.categories {
            enabled[category.index()] = true;
        }
        Scanner {
            enabled,
            keep: rules.keep.iter().map(String::as_str).collect(),
            custom,
            screen_raw: rules.custom.iter().all(|pattern| !pattern.regex),
            seen: HashMap::new(),
            hits: Vec::new(),
            numbered: [0; Category::ALL.len()],
            redacted: [0; Category::ALL.len()],
            scanned_fields: 0,
            found: Vec::new(),
        }
    }

    fn report(self) -> Report {
        let total = self.hits.len();
        let mut hits = self.hits;
        hits.truncate(MAX_LISTED_HITS);
        Report {
            unlisted_hits: total - hits.len(),
            hits,
            counts: nonzero(&self.redacted),
            redacted_occurrences: self.redacted.iter().sum(),
            scanned_fields: self.scanned_fields,
        }
    }

    fn trace(&mut self, trace: &mut Trace, on_steps: &mut dyn FnMut(usize, usize)) {
        let trace_name = trace.name.clone();
        let owner = Owner {
            step_id: None,
            name: &trace_name,
        };
        self.string(&mut trace.name, owner, &Path::Field("name"));
        self.raw(&mut trace.input, owner, &Path::Field("input"));
        self.raw(&mut trace.final_output, owner, &Path::Field("final_output"));
        self.map(&mut trace.metadata, owner, &Path::Field("metadata"));
        for (index, agent) in trace.agents.iter_mut().enumerate() {
            let role = agent.role.clone();
            let owner = Owner {
                step_id: None,
                name: &role,
            };
            let field = format!("agents[{index}]");
            let at = Path::Field(&field);
            self.string(&mut agent.role, owner, &Path::Key(&at, "role"));
            self.optional(&mut agent.goal, owner, &Path::Key(&at, "goal"));
            self.optional(&mut agent.backstory, owner, &Path::Key(&at, "backstory"));
            self.optional(&mut agent.version, owner, &Path::Key(&at, "version"));
            for model in &mut agent.models {
                self.string(model, owner, &Path::Key(&at, "models"));
            }
        }
        for (index, task) in trace.tasks.iter_mut().enumerate() {
            let name = task.name.clone();
            let owner = Owner {
                step_id: None,
                name: &name,
            };
            let field = format!("tasks[{index}]");
            let at = Path::Field(&field);
            self.string(&mut task.name, owner, &Path::Key(&at, "name"));
            self.optional(&mut task.key, owner, &Path::Key(&at, "key"));
            self.optional(&mut task.description, owner, &Path::Key(&at, "description"));
            let expected = Path::Key(&at, "expected_output");
            self.optional(&mut task.expected_output, owner, &expected);
            self.raw(&mut task.input, owner, &Path::Key(&at, "input"));
            self.raw(&mut task.output, owner, &Path::Key(&at, "output"));
        }
        let total = trace.steps.len();
        on_steps(0, total);
        for (index, step) in trace.steps.iter_mut().enumerate() {
            if index % PROGRESS_EVERY_STEPS == 0 && index > 0 {
                on_steps(index, total);
            }
            let (id, name) = (step.id.clone(), step.name.clone());
            let owner = Owner {
                step_id: Some(&id),
                name: &name,
            };
            self.string(&mut step.name, owner, &Path::Field("name"));
            self.optional(&mut step.model, owner, &Path::Field("model"));
            self.raw(&mut step.input, owner, &Path::Field("input"));
            self.raw(&mut step.output, owner, &Path::Field("output"));
            if let Some(error) = &mut step.error {
                self.optional(&mut error.error_type, owner, &Path::Field("error.type"));
                self.string(&mut error.message, owner, &Path::Field("error.message"));
                self.optional(&mut error.stack, owner, &Path::Field("error.stack"));
            }
            if !step.attributes.is_empty() {
                self.map(&mut step.attributes, owner, &Path::Field("attributes"));
            }
        }
        on_steps(total, total);
        for (index, repair) in trace.repairs.iter_mut().enumerate() {
            let field = format!("repairs[{index}]");
            let at = Path::Field(&field);
            self.string(
                &mut repair.path,
                owner_of(&trace_name),
                &Path::Key(&at, "path"),
            );
            self.string(
                &mut repair.what,
                owner_of(&trace_name),
                &Path::Key(&at, "what"),
            );
        }
    }

    fn optional(&mut self, text: &mut Option<String>, owner: Owner, path: &Path) {
        if let Some(text) = text {
            self.string(text, owner, path);
        }
    }

    fn string(&mut self, text: &mut String, owner: Owner, path: &Path) {
        self.scanned_fields += 1;
        if let Some(redacted) = self.text(text, owner, path) {
            *text = redacted;
        }
    }

    fn map(&mut self, map: &mut Map<String, Value>, owner: Owner, path: &Path) {
        self.scanned_fields += 1;
        self.object(map, owner, path);
    }

    /// A JSON payload: parsed, redacted and written again only when it holds something.
    ///
    /// Most payloads hold nothing, and parsing and re-writing each would be most of the
    /// time, so the raw text is screened first. Without a backslash in it, every JSON
    /// string's raw text is the string itself between quotes, and no built-in pattern
    /// (nor an escaped literal) matches across a quote — except private keys, whose
    /// header matches wherever it is — and quotes count as no letter at the patterns'
    /// edges: so a string holds a match only if the raw text does. User regexes (which may
    /// anchor with `^`) turn the screen off.
    fn raw(&mut self, raw: &mut Option<RawJson>, owner: Owner, path: &Path) {
        let Some(json) = raw else {
            return;
        };
        self.scanned_fields += 1;
        let text = json.text();
        if self.screen_raw && !text.contains('\\') {
            self.found.clear();
            let _ = detect::find(text, self.custom, &mut self.found);
            if self.found.is_empty() {
                return;
            }
        }
        let mut value = json.parse();
        if self.value(&mut value, owner, path) {
            *raw = Some(RawJson::from(value));
        }
    }

    /// Redacts every string and key inside `value`; true when something changed.
    fn value(&mut self, value: &mut Value, owner: Owner, path: &Path) -> bool {
        match value {
            Value::String(text) => match self.text(text, owner, path) {
                Some(redacted) => {
                    *text = redacted;
                    true
                }
                None => false,
            },
            Value::Array(items) => {
                let mut changed = false;
                for (index, item) in items.iter_mut().enumerate() {
                    changed |= self.value(item, owner, &Path::Index(path, index));
                }
                changed
            }
            Value::Object(map) => self.object(map, owner, path),
            Value::Null | Value::Bool(_) | Value::Number(_) => false,
        }
    }

    fn object(&mut self, map: &mut Map<String, Value>, owner: Owner, path: &Path) -> bool {
        let mut changed = false;
        for (key, item) in map.iter_mut() {
            changed |= self.value(item, owner, &Path::Key(path, key));
        }
        let mut renamed = Vec::new();
        for key in map.keys() {
            if let Some(redacted) = self.text(key, owner, &Path::Key(path, key)) {
                renamed.push((key.clone(), redacted));
            }
        }
        for (key, redacted) in renamed {
            if let Some(item) = map.remove(&key) {
                map.insert(redacted, item);
            }
            changed = true;
        }
        changed
    }

    /// `text` with its redacted values replaced, or `None` when nothing is replaced.
    fn text(&mut self, text: &str, owner: Owner, path: &Path) -> Option<String> {
        self.found.clear();
        let _ = detect::find(text, self.custom, &mut self.found);
        if self.found.is_empty() {
            return None;
        }
        let mut found = std::mem::take(&mut self.found);
        // Values that will be redacted win over those that will not where they overlap
        // (a kept address must not shield the name of a custom pattern inside it), then
        // the earlier, then the longer.
        let redacts = |found: &Found, scanner: &Scanner| {
            scanner.enabled[found.category.index()]
                && !scanner.keep.contains(&text[found.start..found.end])
        };
        found.sort_by_key(|found| {
            (
                !redacts(found, self),
                found.start,
                usize::MAX - (found.end - found.start),
            )
        });
        let mut chosen: Vec<Found> = Vec::with_capacity(found.len());
        for candidate in &found {
            let overlaps = chosen
                .iter()
                .any(|taken| candidate.start < taken.end && taken.start < candidate.end);
            if !overlaps {
                chosen.push(*candidate);
            }
        }
        chosen.sort_by_key(|found| found.start);
        let mut out = String::new();
        let mut copied = 0;
        for found in &chosen {
            let hit = self.hit(found, text, owner, path);
            self.hits[hit].count += 1;
            if redacts(found, self) {
                out.push_str(&text[copied..found.start]);
                out.push_str(&self.hits[hit].label);
                copied = found.end;
                self.redacted[found.category.index()] += 1;
            }
        }
        self.found = found;
        if copied == 0 {
            return None;
        }
        out.push_str(&text[copied..]);
        Some(out)
    }

    /// The index of the hit of the value at `found`, made on first sight.
    fn hit(&mut self, found: &Found, text: &str, owner: Owner, path: &Path) -> usize {
        let value = &text[found.start..found.end];
        let key = (found.category, value.to_string());
        if let Some(&hit) = self.seen.get(&key) {
            return hit;
        }
        let number = &mut self.numbered[found.category.index()];
        *number += 1;
        let mut field = String::new();
        path.write(&mut field);
        let hit = Hit {
            category: found.category,
            label: format!("[redacted: {} #{number}]", found.category.key()),
            value: value.to_string(),
            count: 0,
            first: Place {
                step_id: owner.step_id.map(str::to_string),
                step_name: owner.name.to_string(),
                field,
                before: tail_chars(&text[..found.start], CONTEXT_CHARS).to_string(),
                after: head_chars(&text[found.end..], CONTEXT_CHARS).to_string(),
            },
            redacted: self.enabled[found.category.index()] && !self.keep.contains(value),
        };
        self.hits.push(hit);
        self.seen.insert(key, self.hits.len() - 1);
        self.hits.len() - 1
    }
}

fn owner_of(name: &str) -> Owner<'_> {
    Owner {
        step_id: None,
        name,
    }
}

/// The last `count` characters of `text`.
fn tail_chars(text: &str, count: usize) -> &str {
    match text.char_indices().rev().nth(count.saturating_sub(1)) {
        Some((at, _)) if count > 0 => &text[at..],
        _ if count == 0 => "",
        _ => text,
    }
}

/// The first `count` characters of `text`.
fn head_chars(text: &str, count: usize) -> &str {
    match text.char_indices().nth(count) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}
