//! The reader view's texts: cut to a size a page can lay out, base64 media named rather than shown. Pure core.

use crate::format::format_bytes;

/// Characters a text shows before "Show all".
pub const CUT_CHARS: usize = 2_000;
/// Lines a text shows before "Show all".
pub const CUT_LINES: usize = 40;
/// A run of base64 characters at least this long is media or a file, not prose.
const BASE64_RUN_MIN: usize = 256;

/// A text as the view shows it, and how long it is in full.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cut {
    pub shown: String,
    /// Characters of the whole text (after base64 runs were named).
    pub full_chars: usize,
}

impl Cut {
    /// The text at most `CUT_CHARS` characters and `CUT_LINES` lines long.
    pub fn of(text: &str) -> Cut {
        let full_chars = text.chars().count();
        let mut end = text.len();
        if let Some((at, _)) = text.char_indices().nth(CUT_CHARS) {
            end = at;
        }
        if let Some((at, _)) = text.match_indices('\n').nth(CUT_LINES - 1) {
            end = end.min(at);
        }
        Cut {
            shown: text[..end].to_string(),
            full_chars,
        }
    }

    /// True when part of the text is not shown.
    pub fn is_cut(&self) -> bool {
        self.shown.chars().count() < self.full_chars
    }
}

fn is_base64_char(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'/' | b'=' | b'-' | b'_')
}

/// `text` with each long base64 run (a data URL's payload or a bare blob) replaced by
/// "[base64 image/png · 12.3 kB, not shown]": such runs are not for reading, and a
/// megabyte of them would make the page lay out a megabyte of letters.
pub fn name_base64(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied_to = 0;
    let mut at = 0;
    while at < bytes.len() {
        if !is_base64_char(bytes[at]) {
            at += 1;
            continue;
        }
        let start = at;
        while at < bytes.len() && is_base64_char(bytes[at]) {
            at += 1;
        }
        // A run of one letter repeated is padding or a test, not data; real base64 mixes.
        let run = &bytes[start..at];
        if run.len() < BASE64_RUN_MIN || !mixes_cases_and_digits(run) {
            continue;
        }
        let (cut_from, mime) = data_url_prefix(&text[..start]);
        let out = out.get_or_insert_with(|| String::with_capacity(text.len().min(4096)));
        out.push_str(&text[copied_to..cut_from]);
        let what = mime.map_or("base64".to_string(), |mime| format!("base64 {mime}"));
        // Four characters carry three bytes.
        let size = format_bytes((run.len() / 4 * 3) as u64);
        out.push_str(&format!("[{what} · {size}, not shown]"));
        copied_to = at;
    }
    match out {
        Some(mut out) => {
            out.push_str(&text[copied_to..]);
            std::borrow::Cow::Owned(out)
        }
        None => std::borrow::Cow::Borrowed(text),
    }
}

fn mixes_cases_and_digits(run: &[u8]) -> bool {
    let upper = run.iter().any(u8::is_ascii_uppercase);
    let lower = run.iter().any(u8::is_ascii_lowercase);
    upper && lower
}

/// Where a `data:<mime>;base64,` prefix right before a run starts, and its mime type;
/// the run's own start and no mime when there is none.
fn data_url_prefix(before: &str) -> (usize, Option<&str>) {
    let Some(head) = before.strip_suffix(";base64,") else {
        return (before.len(), None);
    };
    match head.rfind("data:") {
        Some(at) if !head[at + 5..].contains(char::is_whitespace) => {
            (at, Some(&head[at + 5..]).filter(|mime| !mime.is_empty()))
        }
        _ => (before.len(), None),
    }
}

/// Where `needle_lower` (lower-case) occurs in `text` ignoring case, as byte ranges of
/// `text`, so a view can mark them. ASCII needles only match case-insensitively in ASCII.
pub fn find_ranges(text: &str, needle_lower: &str) -> Vec<std::ops::Range<usize>> {
    if needle_lower.is_empty() {
        return Vec::new();
    }
    let mut ranges = Vec::new();
    if needle_lower.is_ascii() {
        let needle = needle_lower.as_bytes();
        let bytes = text.as_bytes();
        let mut at = 0;
        while at + needle.len() <= bytes.len() {
            if bytes[at..at + needle.len()].eq_ignore_ascii_case(needle) {
                ranges.push(at..at + needle.len());
                at += needle.len();
            } else {
                at += 1;
            }
        }
        return ranges;
    }
    // Lower-casing can change byte lengths outside ASCII: compare char by char.
    let needle: Vec<char> = needle_lower.chars().collect();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut at = 0;
    while at + needle.len() <= chars.len() {
        let hit = chars[at..at + needle.len()]
            .iter()
            .zip(&needle)
            .all(|((_, have), want)| have.to_lowercase().eq(want.to_lowercase()));
        if hit {
            let end = chars
                .get(at + needle.len())
                .map_or(text.len(), |(index, _)| *index);
            ranges.push(chars[at].0..end);
            at += needle.len();
        } else {
            at += 1;
        }
    }
    ranges
}

/// `text` in pieces, each marked when it is a match of `needle_lower`: what a view draws
/// with `<mark>` around the matches.
pub fn segments<'a>(text: &'a str, needle_lower: &str) -> Vec<(&'a str, bool)> {
    let mut pieces = Vec::new();
    let mut from = 0;
    for range in find_ranges(text, needle_lower) {
        if range.start > from {
            pieces.push((&text[from..range.start], false));
        }
        pieces.push((&text[range.clone()], true));
        from = range.end;
    }
    if from < text.len() || pieces.is_empty() {
        pieces.push((&text[from..], false));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_text_is_whole() {
        let cut = Cut::of("hello\nworld");
        assert_eq!(cut.shown, "hello\nworld");
        assert!(!cut.is_cut());
    }

    #[test]
    fn a_long_text_is_cut_by_characters_or_lines_and_knows_its_length() {
        let long = "é".repeat(CUT_CHARS + 10);
        let cut = Cut::of(&long);
        assert_eq!(cut.shown.chars().count(), CUT_CHARS);
        assert_eq!(cut.full_chars, CUT_CHARS + 10);
        assert!(cut.is_cut());
        let many_lines = "line\n".repeat(CUT_LINES * 2);
        let cut = Cut::of(&many_lines);
        assert_eq!(cut.shown.lines().count(), CUT_LINES);
        assert!(cut.is_cut());
    }

    #[test]
    fn base64_runs_are_named_with_their_type_and_size() {
        let payload = "iVBORw0KGgo".repeat(40);
        let text = format!("see data:image/png;base64,{payload} here");
        let named = name_base64(&text);
        assert_eq!(
            named,
            format!(
                "see [base64 image/png · {}, not shown] here",
                format_bytes((payload.len() / 4 * 3) as u64)
            )
        );
        let bare = format!("{{\"blob\": \"{payload}\"}}");
        assert!(name_base64(&bare).starts_with("{\"blob\": \"[base64 · "));
        // Prose and a long run of one letter stay.
        let prose = "word ".repeat(400);
        assert_eq!(name_base64(&prose), prose);
        let dashes = "a".repeat(1000);
        assert_eq!(name_base64(&dashes), dashes);
    }

    #[test]
    fn matches_are_found_ignoring_case_and_marked() {
        assert_eq!(find_ranges("Paris, paris", "paris"), [0..5, 7..12]);
        assert_eq!(find_ranges("Éclair ÉCLAIR", "éclair").len(), 2);
        assert_eq!(
            segments("a Paris b", "paris"),
            [("a ", false), ("Paris", true), (" b", false)]
        );
        assert_eq!(segments("none", "x"), [("none", false)]);
    }
}
