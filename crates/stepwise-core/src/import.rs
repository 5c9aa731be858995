//! Format detection and dispatch: bytes in, `Vec<Trace>` or a clear `ImportError` out. Pure core.
//!
//! Detection is by content, never by file name (speedscope's habit): the input is split
//! into JSON documents (one, or several for JSON Lines and concatenated batches), each
//! document's top-level shape is read cheaply, and each format module either claims the
//! documents or answers `Incompatible` fast. Bulk data is then parsed once, straight
//! into the claiming format's typed structs, never through `serde_json::Value`.

use std::fmt;

use crate::model::{Repair, SourceFormat, Trace, SKIPPED_INPUT};

pub mod atif;
pub mod crewai;
mod genai;
pub mod jaeger;
pub mod langfuse;
pub mod langsmith;
pub mod otlp;
mod probe;
pub mod repair;
pub mod stepwise;
mod text;
mod time;

pub(crate) use probe::ObjectOnly;
pub use probe::Shape;
pub use time::parse_rfc3339_ns;

/// Why a file could not be opened. Every message says what was expected and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportError {
    /// Nothing but whitespace (or a byte-order mark).
    Empty,
    /// Not UTF-8 text.
    NotText { byte_offset: usize },
    /// Not JSON at all, or cut off.
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    /// Valid JSON, but of no format we know.
    UnknownFormat { found: String },
    /// The format was recognised but the content breaks its rules.
    Invalid {
        format: SourceFormat,
        path: String,
        expected: String,
    },
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Empty => write!(f, "The file is empty: expected a JSON trace."),
            ImportError::NotText { byte_offset } => write!(
                f,
                "The file is not UTF-8 text (invalid byte at offset {byte_offset}): expected a JSON trace."
            ),
            ImportError::Json {
                line,
                column,
                message,
            } => write!(
                f,
                "The file is not valid JSON at line {line}, column {column}: {message}."
            ),
            ImportError::UnknownFormat { found } => write!(
                f,
                "Unrecognised trace format: found {found}. Expected one of: a Stepwise trace \
                 (\"format\": \"stepwise-trace\"), OTLP/JSON (\"resourceSpans\"), a Grafana Tempo \
                 trace (\"trace\" or \"batches\" holding them), a CrewAI trace batch (\"events\"), \
                 a Langfuse trace (\"observations\" with \"id\" or \"trace\"), Jaeger JSON \
                 (\"traceID\" and \"spans\"), LangSmith runs (\"run_type\", or \"post\"/\"patch\") \
                 or an ATIF trajectory (\"schema_version\" and \"steps\")."
            ),
            ImportError::Invalid {
                format,
                path,
                expected,
            } => write!(f, "{} at {path}: expected {expected}.", format.label()),
        }
    }
}

impl std::error::Error for ImportError {}

/// How messages name the document itself (serde's path "."), as `api` does.
pub(crate) const TOP_LEVEL: &str = "the top level";

/// What a format module answers for the documents it was offered.
pub enum Detection<T> {
    /// Not this format: try the next one.
    Incompatible,
    Imported(Result<T, ImportError>),
}

/// One top-level JSON value of the input: its shape, its text, and where it starts.
#[derive(Clone, Debug)]
pub struct Document<'a> {
    pub shape: Shape,
    pub text: &'a str,
    /// 1-based line of the input on which this document starts, for messages.
    pub line: usize,
}

/// Classifies every document with `kind_of`: `None` unless all of them (and at least
/// one) are this format, which is when a format module may claim the input.
pub(crate) fn classify_all<'a, K>(
    documents: &[Document<'a>],
    kind_of: impl Fn(&Document<'a>) -> Option<K>,
) -> Option<Vec<K>> {
    documents
        .iter()
        .map(kind_of)
        .collect::<Option<Vec<K>>>()
        .filter(|kinds| !kinds.is_empty())
}

/// A format's entry point: claims `documents` (all of them) or answers `Incompatible`.
type Detector = fn(&[Document]) -> Detection<Vec<Trace>>;

/// The most specific top-level keys first, so a general shape never claims a file meant
/// for a specific one.
const DETECTORS: &[Detector] = &[
    stepwise::detect,
    otlp::detect,
    crewai::detect,
    langfuse::detect,
    jaeger::detect,
    langsmith::detect,
    atif::detect,
];

/// Reads every trace in `bytes`, whatever the format.
pub fn import_bytes(bytes: &[u8]) -> Result<Vec<Trace>, ImportError> {
    let text = std::str::from_utf8(bytes).map_err(|error| ImportError::NotText {
        byte_offset: error.valid_up_to(),
    })?;
    // Editors on Windows write a byte-order mark; serde_json rejects it.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    // Nearly every file is one JSON value. Splitting reads the whole of it once more
    // before the format parses it (a fifth of an OTLP import), so a single value is
    // imported straight away. Only a success is kept: every import that succeeds has
    // parsed and validated the whole text, so it is what splitting would have given;
    // anything else is redone below, so errors, repairs and JSON Lines stay as they were.
    if let Some(document) = single_document(text) {
        if let Ok(traces) = import_documents(std::slice::from_ref(&document)) {
            return Ok(traces);
        }
    }
    let (documents, skipped) = split_documents(text)?;
    let mut traces = import_documents(&documents)?;
    // Every trace says which lines of the file it may be missing.
    for trace in &mut traces {
        trace.repairs.extend(skipped.iter().map(|skip| Repair {
            path: format!("line {}", skip.line),
            what: format!(
                "{SKIPPED_INPUT} this line is not valid JSON, so whatever it held is missing ({}).",
                skip.error
            ),
        }));
    }
    Ok(traces)
}

fn import_documents(documents: &[Document]) -> Result<Vec<Trace>, ImportError> {
    if let Some(result) = detect_all(documents) {
        return result;
    }
    // JSON Lines may mix formats: then each document must be claimed on its own.
    if documents.len() > 1 {
        let mut traces = Vec::new();
        for document in documents {
            match detect_all(std::slice::from_ref(document)) {
                Some(result) => traces.extend(result?),
                None => {
                    return Err(ImportError::UnknownFormat {
                        found: format!("on line {}, {}", document.line, document.shape.describe()),
                    })
                }
            }
        }
        return Ok(traces);
    }
    Err(ImportError::UnknownFormat {
        found: documents
            .first()
            .map_or_else(|| "nothing".to_string(), |doc| doc.shape.describe()),
    })
}

fn detect_all(documents: &[Document]) -> Option<Result<Vec<Trace>, ImportError>> {
    DETECTORS.iter().find_map(|detect| match detect(documents) {
        Detection::Imported(result) => Some(result.map(|mut traces| {
            traces.iter_mut().for_each(repair::repair_trace_times);
            traces
        })),
        Detection::Incompatible => None,
    })
}

/// A line of a JSON Lines input that was not valid JSON and was left out.
#[derive(Debug)]
struct SkippedLine {
    line: usize,
    error: ImportError,
}

/// More bad lines than this, or more bad lines than good ones, and the input is not taken
/// for JSON Lines with a few damaged lines: the first error is reported instead.
const MAX_SKIPPED_LINES: usize = 100;

/// Splits the input into its top-level JSON values: one for a normal file, several
/// for JSON Lines (an OTel collector's file exporter) or concatenated batches. In JSON
/// Lines, a line that is not valid JSON (a line cut off when the file was copied while
/// being written, say) is skipped and returned, so the good lines still open.
fn split_documents(text: &str) -> Result<(Vec<Document<'_>>, Vec<SkippedLine>), ImportError> {
    let mut documents = Vec::new();
    let mut skipped = Vec::new();
    // Where the current stream starts in `text`, and on which line: it restarts after a
    // skipped line, and serde_json counts its lines from there.
    let (mut base, mut stream_line) = (0, 1);
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Shape>();
    let mut start = 0;
    // Lines are counted on from the previous document: counting from the top of the
    // file for each one made JSON Lines quadratic (60,000 short lines: a minute in debug).
    let (mut line, mut counted_to) = (1, 0);
    let mut line_at = |offset: usize| {
        line += text.as_bytes()[counted_to..offset]
            .iter()
            .filter(|&&byte| byte == b'\n')
            .count();
        counted_to = offset;
        line
    };
    loop {
        // The stream reports the offset after each value; the value itself starts
        // after any whitespace that follows the previous one.
        let offset_before = base + stream.byte_offset();
        let Some(next) = stream.next() else {
            break;
        };
        let from = offset_before.max(start);
        let rest = &text[from..];
        let begin = from + (rest.len() - rest.trim_start().len());
        let shape = match next {
            Ok(shape) => shape,
            Err(error) => {
                if !is_json_lines(&documents) {
                    return Err(json_error(&error));
                }
                let bad_line = line_at(begin);
                let line_start = text[..begin].rfind('\n').map_or(0, |at| at + 1);
                let line_end = text[begin..].find('\n').map_or(text.len(), |at| begin + at);
                // The stream's error may lie lines further on (an unclosed object swallows
                // the next line); the line read alone says what is wrong with it.
                let alone =
                    serde_json::from_str::<serde::de::IgnoredAny>(&text[line_start..line_end]);
                skipped.push(SkippedLine {
                    line: bad_line,
                    error: match alone {
                        Err(own) => json_error_on(&own, bad_line),
                        Ok(_) => json_error_on(&error, stream_line),
                    },
                });
                if skipped.len() > MAX_SKIPPED_LINES.min(documents.len()) {
                    let first = skipped.swap_remove(0);
                    return Err(first.error);
                }
                // Read on from the next line with a fresh stream.
                let next_line = text[begin..]
                    .find('\n')
                    .map_or(text.len(), |at| begin + at + 1);
                base = next_line;
                start = next_line;
                stream_line = bad_line + 1;
                stream =
                    serde_json::Deserializer::from_str(&text[next_line..]).into_iter::<Shape>();
                continue;
            }
        };
        let end = base + stream.byte_offset();
        documents.push(Document {
            shape,
            text: &text[begin..end],
            line: line_at(begin),
        });
        start = end;
    }
    Ok((documents, skipped))
}

/// JSON's insignificant whitespace (RFC 8259), which is all serde_json skips.
fn is_json_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r')
}

/// The input as one document, when it looks like a single object or array with
/// nothing after it, found by a structural scan that validates nothing: a few
/// instructions a byte instead of a full parse. On valid JSON it finds exactly what
/// `split_documents` would; on invalid JSON it may find anything, which is why its
/// answer is only trusted once a format has parsed the whole text.
fn single_document(text: &str) -> Option<Document<'_>> {
    let bytes = text.as_bytes();
    let begin = bytes.iter().position(|&byte| !is_json_space(byte))?;
    let line = 1 + bytes[..begin].iter().filter(|&&byte| byte == b'\n').count();
    let (shape, end) = match bytes[begin] {
        b'{' => scan_object(text, begin)?,
        b'[' => scan_array(bytes, begin)?,
        // Scalars are small and rare: splitting them costs nothing.
        _ => return None,
    };
    if !bytes[end..].iter().all(|&byte| is_json_space(byte)) {
        return None;
    }
    Some(Document {
        shape,
        text: &text[begin..end],
        line,
    })
}

/// The first offset at or after `at` that is not whitespace.
fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(|&byte| is_json_space(byte)) {
        at += 1;
    }
    at
}

/// The offset just past the string whose opening quote is at `at`.
fn skip_string(bytes: &[u8], at: usize) -> Option<usize> {
    let mut at = at + 1;
    loop {
        at = find_quote_or_backslash(bytes, at);
        match bytes.get(at)? {
            b'"' => return Some(at + 1),
            // An escape's next byte is never the closing quote.
            _ => at += 2,
        }
    }
}

/// Eight copies of `byte`, for testing a word of input at once.
const fn splat(byte: u8) -> u64 {
    u64::from_ne_bytes([byte; 8])
}

/// The offset of the first `"` or `\` at or after `at` (or the end). Strings are most
/// of a trace's bytes, so they are searched a word at a time rather than a byte.
fn find_quote_or_backslash(bytes: &[u8], mut at: usize) -> usize {
    const ONES: u64 = splat(0x01);
    const HIGHS: u64 = splat(0x80);
    while let Some(chunk) = bytes.get(at..at + 8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        // A byte of `x` is zero where the word holds the byte sought; this classic test
        // may also flag bytes above a true match, never below, so the lowest is exact.
        let zero_in = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
        let found = zero_in(word ^ splat(b'"')) | zero_in(word ^ splat(b'\\'));
        if found != 0 {
            // Little-endian: the lowest set bit is the first byte in the input.
            return at + (found.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while let Some(&byte) = bytes.get(at) {
        if byte == b'"' || byte == b'\\' {
            break;
        }
        at += 1;
    }
    at
}

/// The offset just past the value that starts at `at`.
fn skip_value(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at)? {
        b'"' => skip_string(bytes, at),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut at = at;
            while let Some(&byte) = bytes.get(at) {
                at += 1;
                match byte {
                    b'"' => at = skip_string(bytes, at - 1)?,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return Some(at);
                        }
                    }
                    _ => {}
                }
            }
            None
        }
        // A number, `true`, `false` or `null`: up to the next delimiter.
        _ => {
            let len = bytes[at..]
                .iter()
                .position(|&byte| matches!(byte, b',' | b'}' | b']') || is_json_space(byte))?;
            Some(at + len)
        }
    }
}

/// A string's value, unescaped as serde_json would.
fn string_value(text: &str, from: usize, to: usize) -> Option<String> {
    let quoted = text.get(from..to)?;
    if quoted.contains('\\') {
        serde_json::from_str(quoted).ok()
    } else {
        quoted
            .get(1..quoted.len().checked_sub(1)?)
            .map(str::to_string)
    }
}

/// The keys (and `format` tag) of the object at `at`, as `Shape` reads them, and its end.
fn scan_object(text: &str, at: usize) -> Option<(Shape, usize)> {
    let bytes = text.as_bytes();
    let mut keys = Vec::new();
    let mut format_tag = None;
    let mut at = skip_space(bytes, at + 1);
    if bytes.get(at) == Some(&b'}') {
        return Some((Shape::Object { keys, format_tag }, at + 1));
    }
    loop {
        if bytes.get(at) != Some(&b'"') {
            return None;
        }
        let key_end = skip_string(bytes, at)?;
        let key = string_value(text, at, key_end)?;
        at = skip_space(bytes, key_end);
        if bytes.get(at) != Some(&b':') {
            return None;
        }
        let value_start = skip_space(bytes, at + 1);
        let value_end = skip_value(bytes, value_start)?;
        if key == "format" {
            // The last `format` wins, and one that is not a string is no tag.
            format_tag = match bytes.get(value_start) {
                Some(b'"') => Some(string_value(text, value_start, value_end)?),
                _ => None,
            };
        }
        keys.push(key);
        at = skip_space(bytes, value_end);
        match bytes.get(at)? {
            b',' => at = skip_space(bytes, at + 1),
            b'}' => return Some((Shape::Object { keys, format_tag }, at + 1)),
            _ => return None,
        }
    }
}

/// The length of the array at `at`, and its end.
fn scan_array(bytes: &[u8], at: usize) -> Option<(Shape, usize)> {
    let mut len = 0;
    let mut at = skip_space(bytes, at + 1);
    if bytes.get(at) == Some(&b']') {
        return Some((Shape::Array { len }, at + 1));
    }
    loop {
        at = skip_space(bytes, skip_value(bytes, at)?);
        len += 1;
        match bytes.get(at)? {
            b',' => at = skip_space(bytes, at + 1),
            b']' => return Some((Shape::Array { len }, at + 1)),
            _ => return None,
        }
    }
}

/// Whether the documents read so far are lines of JSON Lines: at least one, each on a
/// line of its own. A pretty-printed file with an error is not read past it.
fn is_json_lines(documents: &[Document]) -> bool {
    !documents.is_empty()
        && documents
            .iter()
            .all(|document| !document.text.contains('\n'))
}

/// `json_error` for a stream that restarted on `first_line`: serde_json counts from it.
fn json_error_on(error: &serde_json::Error, first_line: usize) -> ImportError {
    match json_error(error) {
        ImportError::Json {
            line,
            column,
            message,
        } => ImportError::Json {
            line: line.saturating_add(first_line).saturating_sub(1),
            column,
            message,
        },
        other => other,
    }
}

/// `path.field` for an error's JSON path; a path that is empty, or only the "line N, " of
/// a document of several, takes no dot.
pub(crate) fn field_path(path: &str, field: &str) -> String {
    if path.is_empty() || path.ends_with(' ') {
        format!("{path}{field}")
    } else {
        format!("{path}.{field}")
    }
}

pub(crate) fn json_error(error: &serde_json::Error) -> ImportError {
    ImportError::Json {
        line: error.line(),
        column: error.column(),
        message: json_message(error),
    }
}

/// serde_json appends " at line L column C"; we report the position ourselves.
fn json_message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(index) => text[..index].to_string(),
        None => text,
    }
}

/// Parses one document's text into a format's raw types, with the JSON path of any
/// field that does not fit. Line numbers are made absolute with `document.line`.
pub(crate) fn parse_document<'de, T: serde::Deserialize<'de>>(
    document: &Document<'de>,
    format: SourceFormat,
) -> Result<T, ImportError> {
    // Tracking the path of every value costs a fifth of the parse; it is only needed
    // to word an error, so a failed parse is run again with it.
    match serde_json::from_str(document.text) {
        Ok(value) => Ok(value),
        Err(_) => parse_document_with_path(document, format),
    }
}

/// The second parse of a document that failed: it fails the same way, with a path.
fn parse_document_with_path<'de, T: serde::Deserialize<'de>>(
    document: &Document<'de>,
    format: SourceFormat,
) -> Result<T, ImportError> {
    let mut deserializer = serde_json::Deserializer::from_str(document.text);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = match error.path().to_string() {
            root if root == "." => TOP_LEVEL.to_string(),
            path => path,
        };
        let inner = error.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            ImportError::Json {
                line: inner.line() + document.line - 1,
                column: inner.column(),
                message: json_message(&inner),
            }
        } else {
            let where_ = if document.line > 1 {
                format!("line {}, {path}", document.line)
            } else {
                path
            };
            ImportError::Invalid {
                format,
                path: where_,
                expected: format!("valid content ({})", json_message(&inner)),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_document_is_one_document() {
        let (documents, _) = split_documents("  {\"a\": 1}\n").expect("valid");
        assert_eq!(documents.len(), 1);
        assert_eq!(documents[0].text, "{\"a\": 1}");
        assert_eq!(documents[0].line, 1);
    }

    #[test]
    fn a_single_document_is_found_as_splitting_finds_it() {
        let inputs = [
            "  {\"a\": 1}\n",
            "\n\r\n\t{\"format\": \"x\", \"b\": [1, {\"c\": \"}]\\\"\"}], \"format\": 2}  ",
            "{\"format\": \"a\\u0041\", \"k\\ney\": {}, \"n\": -1.5e3, \"t\": true, \"z\": null}",
            "{}",
            "[]",
            " [ 1 , \"]\" , [ [ ] ] , { \"a\" : [ ] } ]\n\n",
            "{\"a\":{\"b\":[{\"c\":\"\\\\\"}]}}",
        ];
        for input in inputs {
            let found = single_document(input).expect(input);
            let (documents, _) = split_documents(input).expect(input);
            assert_eq!(documents.len(), 1, "{input}");
            assert_eq!(found.text, documents[0].text, "{input}");
            assert_eq!(found.line, documents[0].line, "{input}");
            assert_eq!(found.shape, documents[0].shape, "{input}");
        }
    }

    #[test]
    fn anything_but_a_single_object_or_array_is_left_to_splitting() {
        for input in [
            "{\"a\": 1}\n{\"b\": 2}",
            "{\"a\": 1}{\"b\": 2}",
            "[1] x",
            "42",
            "\"text\"",
            "{\"a\": 1",
            "{\"a\" 1}",
            "[1 2]",
        ] {
            assert!(single_document(input).is_none(), "{input}");
        }
    }

    #[test]
    fn json_lines_become_several_documents_with_their_lines() {
        let (documents, skipped) = split_documents("{\"a\": 1}\n{\"b\": 2}\n\n[3]").expect("valid");
        assert!(skipped.is_empty());
        let texts: Vec<&str> = documents.iter().map(|d| d.text).collect();
        assert_eq!(texts, ["{\"a\": 1}", "{\"b\": 2}", "[3]"]);
        let lines: Vec<usize> = documents.iter().map(|d| d.line).collect();
        assert_eq!(lines, [1, 2, 4]);
    }

    #[test]
    fn a_broken_line_of_json_lines_is_skipped_and_named() {
        let (documents, skipped) =
            split_documents("{\"a\": 1}\n{\"b\": \n{\"c\": 3}\n  {oops}\n[4]").expect("read on");
        let texts: Vec<&str> = documents.iter().map(|d| d.text).collect();
        assert_eq!(texts, ["{\"a\": 1}", "{\"c\": 3}", "[4]"]);
        let lines: Vec<usize> = documents.iter().map(|d| d.line).collect();
        assert_eq!(lines, [1, 3, 5]);
        let bad: Vec<(usize, String)> = skipped
            .iter()
            .map(|skip| (skip.line, skip.error.to_string()))
            .collect();
        assert_eq!(bad.len(), 2);
        assert_eq!(bad[0].0, 2);
        assert_eq!(
            bad[0].1,
            "The file is not valid JSON at line 2, column 6: EOF while parsing a value."
        );
        assert_eq!(bad[1].0, 4);
        assert_eq!(
            bad[1].1,
            "The file is not valid JSON at line 4, column 4: key must be a string."
        );
    }

    #[test]
    fn a_pretty_printed_file_is_not_read_past_its_error() {
        let error = split_documents("{\n  \"a\": 1\n}\n{\"b\": ").expect_err("not lines");
        assert!(
            matches!(error, ImportError::Json { line: 4, .. }),
            "{error:?}"
        );
        let error = split_documents("{\"b\": ").expect_err("nothing good before");
        assert!(
            matches!(error, ImportError::Json { line: 1, .. }),
            "{error:?}"
        );
    }

    #[test]
    fn more_bad_lines_than_good_ones_is_an_error() {
        let error = split_documents("{\"a\": 1}\n{x\n{y\n").expect_err("mostly broken");
        assert!(
            matches!(error, ImportError::Json { line: 2, .. }),
            "{error:?}"
        );
    }
}
