//! Format detection and dispatch: bytes in, `Vec<Trace>` or a clear `ImportError` out. Pure core.
//!
//! Detection is by content, never by file name (speedscope's habit): the input is split
//! into JSON documents (one, or several for JSON Lines and concatenated batches), each
//! document's top-level shape is read cheaply, and each format module either claims the
//! documents or answers `Incompatible` fast. Bulk data is then parsed once, straight
//! into the claiming format's typed structs, never through `serde_json::Value`.

use std::fmt;

use crate::model::{Repair, SourceFormat, Trace, SKIPPED_INPUT};

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
                 (\"format\": \"stepwise-trace\"), OTLP/JSON (\"resourceSpans\"), a CrewAI trace \
                 batch (\"events\"), a Langfuse trace (\"observations\" with \"id\" or \"trace\"), \
                 Jaeger JSON (\"traceID\" and \"spans\") or LangSmith runs (\"run_type\", or \
                 \"post\"/\"patch\")."
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
