//! The shareable page: what a share says of itself, and how the page's shell (built once
//! per release by scripts/share-template.mjs) is filled with one trace. Pure core.
//!
//! A share is one HTML file. Its trace travels in the transfer form (`transfer`), gzip
//! and base64, in a data block that never runs; what it says of itself (`ShareMeta`) is a
//! JSON data block. Both come from the trace, which is untrusted, so the filling escapes
//! everything that could end a block or the title.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What `ShareMeta::format` says, so a page can tell a share's description from any JSON.
pub const FORMAT_TAG: &str = "stepwise-share";
/// The version of `ShareMeta` this build writes and reads.
pub const VERSION: u32 = 1;

const TITLE: &str = "@@STEPWISE_SHARE_TITLE@@";
const META: &str = "@@STEPWISE_SHARE_META@@";
const TRACE: &str = "@@STEPWISE_SHARE_TRACE@@";

/// What a shareable page says of itself: where its trace came from, when it was shared,
/// the view it opens on, and what was done to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShareMeta {
    pub format: String,
    pub version: u32,
    /// The trace's own name.
    pub trace_name: String,
    /// Where the sharer had it from: a file name or an address (never credentials).
    pub source: String,
    /// When it was shared, RFC 3339.
    pub shared_at: String,
    /// The view it opens on: a query string without the trace source (`view=graph&step=s4`).
    pub view: String,
    /// Occurrences redacted per category, when the trace was redacted; never the values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redaction: Option<Value>,
    /// The sharer's annotations and saved views.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<Value>,
}

impl ShareMeta {
    pub fn new(trace_name: &str, source: &str, shared_at: &str, view: &str) -> ShareMeta {
        ShareMeta {
            format: FORMAT_TAG.to_string(),
            version: VERSION,
            trace_name: trace_name.to_string(),
            source: source.to_string(),
            shared_at: shared_at.to_string(),
            view: view.to_string(),
            redaction: None,
            notes: None,
        }
    }

    /// Reads a share's description, saying what is wrong in a sentence.
    pub fn from_json(text: &str) -> Result<ShareMeta, String> {
        let meta: ShareMeta = serde_json::from_str(text)
            .map_err(|error| format!("its description is not readable ({error})"))?;
        if meta.format != FORMAT_TAG {
            return Err(format!(
                "its description is {:?}, not {FORMAT_TAG:?}",
                meta.format
            ));
        }
        if meta.version > VERSION {
            return Err(format!(
                "it was made by a newer Stepwise (share version {}, this one reads up to {VERSION})",
                meta.version
            ));
        }
        Ok(meta)
    }
}

/// Why a shell could not be filled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShareError {
    /// The shell is not the one this build writes (a placeholder is missing or repeated).
    NotATemplate(&'static str),
}

impl std::fmt::Display for ShareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShareError::NotATemplate(token) => write!(
                f,
                "the shareable page's shell is damaged ({token} is not there exactly once); \
                 reload Stepwise and try again"
            ),
        }
    }
}

/// The shareable page: `template` with its title, description and trace filled in.
/// `trace_gzip` is the trace's transfer form, gzip-compressed.
pub fn fill_template(
    template: &str,
    meta: &ShareMeta,
    trace_gzip: &[u8],
) -> Result<String, ShareError> {
    use base64::Engine as _;
    let title = format!("{} · shared from Stepwise", meta.trace_name);
    let parts = [
        (TITLE, html_text(&title)),
        (META, script_json(meta)),
        (
            TRACE,
            base64::engine::general_purpose::STANDARD.encode(trace_gzip),
        ),
    ];
    let extra: usize = parts.iter().map(|(_, value)| value.len()).sum();
    let mut page = String::with_capacity(template.len() + extra);
    let mut rest = template;
    for (token, value) in &parts {
        let (before, after) = rest
            .split_once(token)
            .ok_or(ShareError::NotATemplate(token))?;
        page.push_str(before);
        page.push_str(value);
        rest = after;
    }
    if parts.iter().any(|(token, _)| rest.contains(token)) {
        let token = parts
            .iter()
            .find(|(token, _)| rest.contains(token))
            .map_or(TRACE, |(token, _)| token);
        return Err(ShareError::NotATemplate(token));
    }
    page.push_str(rest);
    Ok(page)
}

/// `meta` as JSON that cannot end its `<script>` block or open a comment: every `<`, `>`
/// and `&` is written as a JSON escape, which `JSON.parse` reads back as the character.
pub fn script_json(meta: &ShareMeta) -> String {
    let json = serde_json::to_string(meta).unwrap_or_else(|_| "{}".to_string());
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// `text` as HTML text (for the title).
fn html_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// The shareable page's file name for a trace downloaded as `file_name`.
pub fn share_file_name(file_name: &str) -> String {
    let stem = file_name
        .strip_suffix(".gz")
        .unwrap_or(file_name)
        .trim_end_matches(".jsonl")
        .trim_end_matches(".json");
    let stem = if stem.is_empty() { "trace" } else { stem };
    format!("{stem}.share.html")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHELL: &str = "<title>@@STEPWISE_SHARE_TITLE@@</title>\
        <script type=\"application/json\" id=\"m\">@@STEPWISE_SHARE_META@@</script>\
        <script type=\"application/octet-stream\" id=\"t\">@@STEPWISE_SHARE_TRACE@@</script>";

    fn meta(name: &str) -> ShareMeta {
        ShareMeta::new(name, "run.json", "2026-12-08T01:00:00Z", "view=graph")
    }

    #[test]
    fn fills_each_placeholder_once() {
        let page = fill_template(SHELL, &meta("crew"), &[1, 2, 3]).expect("fills");
        assert!(page.contains("<title>crew · shared from Stepwise</title>"));
        assert!(page.contains(">AQID</script>"));
        assert!(!page.contains("@@STEPWISE"));
        let json = page
            .split("id=\"m\">")
            .nth(1)
            .and_then(|rest| rest.split("</script>").next())
            .expect("meta block");
        assert_eq!(ShareMeta::from_json(json), Ok(meta("crew")));
    }

    #[test]
    fn a_hostile_name_cannot_end_a_block_or_the_title() {
        let name = "</script><script>alert(1)</script></title><!--";
        let page = fill_template(SHELL, &meta(name), &[]).expect("fills");
        assert_eq!(page.matches("</script>").count(), 2);
        assert_eq!(page.matches("</title>").count(), 1);
        assert!(!page.contains("<!--"));
        let json = page
            .split("id=\"m\">")
            .nth(1)
            .and_then(|rest| rest.split("</script>").next())
            .expect("meta block");
        assert_eq!(
            ShareMeta::from_json(json).map(|meta| meta.trace_name),
            Ok(name.to_string())
        );
    }

    #[test]
    fn a_shell_without_or_with_twice_a_placeholder_is_refused() {
        assert_eq!(
            fill_template("<title></title>", &meta("a"), &[]),
            Err(ShareError::NotATemplate(TITLE))
        );
        let twice = format!("{SHELL}{TRACE}");
        assert_eq!(
            fill_template(&twice, &meta("a"), &[]),
            Err(ShareError::NotATemplate(TRACE))
        );
    }

    #[test]
    fn a_description_from_elsewhere_or_newer_is_refused_with_a_reason() {
        assert!(ShareMeta::from_json("{}").is_err());
        let mut newer = meta("a");
        newer.version = VERSION + 1;
        let text = serde_json::to_string(&newer).expect("serialises");
        assert!(ShareMeta::from_json(&text)
            .unwrap_err()
            .contains("newer Stepwise"));
        let mut other = meta("a");
        other.format = "something".into();
        let text = serde_json::to_string(&other).expect("serialises");
        assert!(ShareMeta::from_json(&text).is_err());
    }

    #[test]
    fn file_names() {
        assert_eq!(share_file_name("run.json"), "run.share.html");
        assert_eq!(share_file_name("run.json.gz"), "run.share.html");
        assert_eq!(share_file_name("spans.jsonl"), "spans.share.html");
        assert_eq!(share_file_name(".json"), "trace.share.html");
    }
}
