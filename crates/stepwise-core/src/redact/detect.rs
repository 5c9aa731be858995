//! The detectors of secrets and personal data in one string: built-in patterns with their
//! checks (Luhn, octets, word edges) and the user's own patterns. Pure core.
//!
//! Every pattern runs on the `regex` crate, whose matching takes time linear in the text
//! whatever the pattern: that is the time limit on a user's pattern (no backtracking, so
//! no pattern can hang the worker); size limits bound its memory.

use std::net::Ipv6Addr;
use std::sync::OnceLock;

use regex::{Regex, RegexBuilder};

use super::{Category, CustomPattern, RuleError};

/// Longest custom pattern accepted, in characters.
pub const MAX_PATTERN_CHARS: usize = 1_000;
/// Memory a compiled custom pattern, and its lazy DFA, may take.
const PATTERN_SIZE_LIMIT_BYTES: usize = 1 << 20;

/// One match in a string: a byte range and what it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub category: Category,
}

/// The built-in patterns, compiled once.
struct BuiltIn {
    api_key: Regex,
    bearer: Regex,
    private_key: Regex,
    email: Regex,
    /// Runs of digits and the characters phone numbers, cards and IPv4 addresses are
    /// written with: the numeric detectors look only inside them, so text without
    /// such runs costs one pass.
    numeric_run: Regex,
    card: Regex,
    phone: Regex,
    ipv4: Regex,
    ipv6: Regex,
}

fn built_in() -> Option<&'static BuiltIn> {
    static BUILT_IN: OnceLock<Option<BuiltIn>> = OnceLock::new();
    BUILT_IN
        .get_or_init(|| {
            // Patterns use [0-9] and ASCII classes, not \d or \w: a Unicode digit is no
            // phone digit, and ASCII classes keep the fast DFA on every text.
            Some(BuiltIn {
                api_key: Regex::new(concat!(
                    r"sk-[A-Za-z0-9_-]{20,}",
                    r"|(?:AKIA|ASIA)[A-Z0-9]{16}",
                    r"|gh[pousr]_[A-Za-z0-9]{30,}",
                    r"|github_pat_[A-Za-z0-9_]{22,}",
                    r"|xox[abpr]-[A-Za-z0-9-]{10,}",
                    r"|eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*",
                ))
                .ok()?,
                bearer: Regex::new(r"(?i-u:\bbearer)[ \t]+([A-Za-z0-9._~+/=-]{16,})").ok()?,
                // A block cut short (no END line) is redacted to the end of its base64.
                private_key: Regex::new(concat!(
                    r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----",
                    r"(?:[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----|[A-Za-z0-9+/=\s\\]*)",
                ))
                .ok()?,
                email: Regex::new(concat!(
                    r"[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?",
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}",
                ))
                .ok()?,
                numeric_run: Regex::new(r"[0-9+(][0-9 ().+-]{5,}[0-9]").ok()?,
                card: Regex::new(r"[0-9](?:[ -]?[0-9]){12,18}").ok()?,
                phone: Regex::new(concat!(
                    // International: +CC and groups.
                    r"\+[0-9]{1,3}(?:[ .-]?(?:\([0-9]{1,4}\)|[0-9]{1,5})){1,6}",
                    // North American: (415) 555-2671, 415-555-2671, 415.555.2671, 415 555 2671.
                    r"|\([0-9]{3}\)[ .-]?[0-9]{3}[ .-][0-9]{4}",
                    r"|[0-9]{3}-[0-9]{3}-[0-9]{4}|[0-9]{3}\.[0-9]{3}\.[0-9]{4}|[0-9]{3} [0-9]{3} [0-9]{4}",
                    // National with a trunk 0: 020 7946 0958, 07700 900123, 030-1234-5678.
                    r"|0[0-9]{1,4}[ -][0-9]{3,4}[ -]?[0-9]{3,4}",
                ))
                .ok()?,
                ipv4: Regex::new(r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}").ok()?,
                ipv6: Regex::new(r"[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}").ok()?,
            })
        })
        .as_ref()
}

/// The user's patterns, compiled.
pub struct Custom(Vec<Regex>);

impl Custom {
    pub fn compile(patterns: &[CustomPattern]) -> Result<Custom, RuleError> {
        let mut compiled = Vec::with_capacity(patterns.len());
        for custom in patterns {
            let pattern = custom.pattern.as_str();
            if pattern.is_empty() {
                return Err(RuleError::Empty);
            }
            if pattern.chars().count() > MAX_PATTERN_CHARS {
                return Err(RuleError::TooLong {
                    pattern: shorten(pattern),
                    max_chars: MAX_PATTERN_CHARS,
                });
            }
            let source = match custom.regex {
                true => pattern.to_string(),
                false => regex::escape(pattern),
            };
            let regex = RegexBuilder::new(&source)
                .size_limit(PATTERN_SIZE_LIMIT_BYTES)
                .dfa_size_limit(PATTERN_SIZE_LIMIT_BYTES)
                .build()
                .map_err(|error| match error {
                    regex::Error::CompiledTooBig(_) => RuleError::TooLarge {
                        pattern: shorten(pattern),
                    },
                    regex::Error::Syntax(detail) => RuleError::Syntax {
                        pattern: shorten(pattern),
                        detail: last_line(&detail),
                    },
                    other => RuleError::Syntax {
                        pattern: shorten(pattern),
                        detail: other.to_string(),
                    },
                })?;
            compiled.push(regex);
        }
        Ok(Custom(compiled))
    }
}

/// The pattern as a message quotes it.
fn shorten(pattern: &str) -> String {
    const QUOTED_CHARS: usize = 60;
    match pattern.char_indices().nth(QUOTED_CHARS) {
        Some((at, _)) => format!("{}…", &pattern[..at]),
        None => pattern.to_string(),
    }
}

/// The regex crate's syntax errors draw the pattern with a caret and end with the reason.
fn last_line(detail: &str) -> String {
    detail
        .lines()
        .rev()
        .find(|line| !line.trim().is_empty())
        .map_or_else(|| detail.to_string(), |line| line.trim().to_string())
        .trim_start_matches("error: ")
        .to_string()
}

/// Every match in `text`, unordered and possibly overlapping. `None` when the built-in
/// patterns could not be compiled (they are constants, so never in practice).
pub fn find(text: &str, custom: &Custom, out: &mut Vec<Found>) -> Option<()> {
    let built_in = built_in()?;
    let mut push = |start: usize, end: usize, category: Category| {
        if end > start {
            out.push(Found {
                start,
                end,
                category,
            })
        }
    };
    let bytes = text.as_bytes();
    for found in built_in.api_key.find_iter(text) {
        if is_api_key(text, found.start(), found.as_str()) {
            push(found.start(), found.end(), Category::ApiKey);
        }
    }
    if text.contains("earer") || text.contains("EARER") {
        for captures in built_in.bearer.captures_iter(text) {
            if let Some(token) = captures.get(1) {
                push(token.start(), token.end(), Category::ApiKey);
            }
        }
    }
    if text.contains("-----BEGIN") {
        for found in built_in.private_key.find_iter(text) {
            push(found.start(), found.end(), Category::ApiKey);
        }
    }
    if bytes.contains(&b'@') {
        for found in built_in.email.find_iter(text) {
            if let Some((start, end)) = email_span(text, found.start(), found.end()) {
                push(start, end, Category::Email);
            }
        }
    }
    for run in built_in.numeric_run.find_iter(text) {
        numeric(built_in, text, run.start(), run.as_str(), &mut push);
    }
    if bytes.iter().filter(|&&byte| byte == b':').nth(1).is_some() {
        for found in built_in.ipv6.find_iter(text) {
            if let Some((start, end)) = ipv6_span(text, found.start(), found.end()) {
                push(start, end, Category::IpAddress);
            }
        }
    }
    for regex in &custom.0 {
        for found in regex.find_iter(text) {
            push(found.start(), found.end(), Category::Custom);
        }
    }
    Some(())
}

/// The character before byte `at`, if any.
fn before(text: &str, at: usize) -> Option<char> {
    text.get(..at)?.chars().next_back()
}

/// The character at byte `at` and the one after it.
fn after(text: &str, at: usize) -> (Option<char>, Option<char>) {
    let mut rest = text.get(at..).unwrap_or("").chars();
    (rest.next(), rest.next())
}

fn is_word(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// A key's prefix must begin a word ("risk-free" holds no `sk-`), and an `sk-` key has
/// digits and both cases, which prose joined by hyphens ("sk-learn-compatible") does not.
fn is_api_key(text: &str, start: usize, key: &str) -> bool {
    if is_word(before(text, start)) {
        return false;
    }
    if let Some(body) = key.strip_prefix("sk-") {
        let has = |test: fn(&char) -> bool| body.chars().any(|c| test(&c));
        return has(char::is_ascii_digit)
            && has(char::is_ascii_uppercase)
            && has(char::is_ascii_lowercase);
    }
    if key.starts_with("AKIA") || key.starts_with("ASIA") {
        return !is_word(after(text, start + key.len()).0);
    }
    true
}

/// Image names written like addresses (`icon@2x.png`) are not e-mail addresses.
const NOT_DOMAINS: [&str; 6] = ["png", "jpg", "jpeg", "gif", "svg", "webp"];

/// The address without dots or dashes the pattern took from the text around it.
fn email_span(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let found = &text[start..end];
    let trimmed = found.trim_start_matches(['.', '-', '+', '%']);
    let start = start + (found.len() - trimmed.len());
    let (local, domain) = text[start..end].split_once('@')?;
    if local.is_empty() || local.ends_with('.') {
        return None;
    }
    let top = domain.rsplit('.').next()?;
    if NOT_DOMAINS.contains(&top.to_ascii_lowercase().as_str()) {
        return None;
    }
    Some((start, end))
}

/// The numeric detectors inside one run: cards first, then phone numbers, then IPv4.
fn numeric(
    built_in: &BuiltIn,
    text: &str,
    offset: usize,
    run: &str,
    push: &mut impl FnMut(usize, usize, Category),
) {
    let digits = run.bytes().filter(u8::is_ascii_digit).count();
    if digits >= 13 {
        for found in built_in.card.find_iter(run) {
            let (start, end) = (offset + found.start(), offset + found.end());
            if clean_edges(text, start, end) && is_card(found.as_str()) {
                push(start, end, Category::CreditCard);
            }
        }
    }
    if digits >= 7 {
        for found in built_in.phone.find_iter(run) {
            let (start, end) = (offset + found.start(), offset + found.end());
            if clean_edges(text, start, end) && is_phone(found.as_str()) {
                push(start, end, Category::Phone);
            }
        }
    }
    if run.contains('.') {
        for found in built_in.ipv4.find_iter(run) {
            let (start, end) = (offset + found.start(), offset + found.end());
            if ip_edges(text, start, end) && is_ipv4(found.as_str()) {
                push(start, end, Category::IpAddress);
            }
        }
    }
}

/// A number stands alone: not the middle of a longer number, a version (`1.2.3.4.5`), a
/// date, an id or a word.
fn clean_edges(text: &str, start: usize, end: usize) -> bool {
    let lead = before(text, start);
    if is_word(lead) || matches!(lead, Some('.' | '-' | '/' | '+' | '#')) {
        return false;
    }
    clean_end(text, end)
}

/// An address stands alone as a number does, or is a URL's host (`https://10.0.0.1/`,
/// `user@10.0.0.1`), whose lead a number's edge check refuses.
fn ip_edges(text: &str, start: usize, end: usize) -> bool {
    let head = &text[..start];
    clean_edges(text, start, end)
        || ((head.ends_with("//") || head.ends_with('@')) && clean_end(text, end))
}

/// Nothing after a number continues it: a colon may follow (`10.0.0.1:8080`); a dot,
/// dash, slash or comma and a digit continue it.
fn clean_end(text: &str, end: usize) -> bool {
    match after(text, end) {
        (next, _) if is_word(next) => false,
        (Some('.' | '-' | '/' | ','), next) => !next.is_some_and(|c| c.is_ascii_digit()),
        _ => true,
    }
}

/// 13 to 19 digits of a card's issuer range, in groups of 4 to 6 when grouped, with a
/// valid Luhn check digit: a random long number passes one time in ten, timestamps
/// (which begin with 1) never.
fn is_card(candidate: &str) -> bool {
    let digits: Vec<u32> = candidate.chars().filter_map(|c| c.to_digit(10)).collect();
    if !(13..=19).contains(&digits.len()) || !matches!(digits.first(), Some(2..=6)) {
        return false;
    }
    let groups: Vec<&str> = candidate.split([' ', '-']).collect();
    let separators: Vec<char> = candidate
        .chars()
        .filter(|c| *c == ' ' || *c == '-')
        .collect();
    let grouped_well = groups.len() == 1
        || (separators.windows(2).all(|pair| pair[0] == pair[1])
            && groups
                .iter()
                .take(groups.len() - 1)
                .all(|group| (4..=6).contains(&group.len()))
            && groups
                .last()
                .is_some_and(|group| (1..=6).contains(&group.len())));
    grouped_well && luhn(&digits)
}

fn luhn(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(position, &digit)| match position % 2 {
            1 if digit * 2 > 9 => digit * 2 - 9,
            1 => digit * 2,
            _ => digit,
        })
        .sum();
    sum.is_multiple_of(10)
}

/// International numbers have 8 to 15 digits (E.164); the national forms are fixed by
/// the pattern, so only the count is checked.
fn is_phone(candidate: &str) -> bool {
    let digits = candidate.bytes().filter(u8::is_ascii_digit).count();
    match candidate.starts_with('+') {
        true => (8..=15).contains(&digits),
        false => (9..=12).contains(&digits),
    }
}

/// Four octets of at most 255, without leading zeros (`01.02.2024` style dates).
fn is_ipv4(candidate: &str) -> bool {
    candidate
        .split('.')
        .all(|octet| octet.parse::<u8>().is_ok() && !(octet.len() > 1 && octet.starts_with('0')))
}

/// An address the standard library parses, with at least three groups written (so `::`,
/// `::1`, times and `a::b` paths are not addresses), standing alone. Returns its span
/// without a colon the pattern took from the text around it (`: 2001:db8::1`).
fn ipv6_span(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let lead = before(text, start);
    let (next, then) = after(text, end);
    if is_word(lead) || matches!(lead, Some(':' | '.')) || is_word(next) || next == Some(':') {
        return None;
    }
    if next == Some('.') && then.is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut candidate = &text[start..end];
    if candidate.starts_with(':') && !candidate.starts_with("::") {
        candidate = &candidate[1..];
    }
    if candidate.ends_with(':') && !candidate.ends_with("::") {
        candidate = &candidate[..candidate.len() - 1];
    }
    let written = candidate
        .split(':')
        .filter(|group| !group.is_empty())
        .count();
    if written < 3 || candidate.parse::<Ipv6Addr>().is_err() {
        return None;
    }
    let start = start + text[start..end].find(candidate)?;
    Some((start, start + candidate.len()))
}
