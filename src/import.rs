//! Format detection and dispatch: bytes in, `Vec<Trace>` or a clear `ImportError` out. Pure core.
//!
//! Detection is by content, never by file name (speedscope's habit): the input is split
//! into JSON documents (one, or several for JSON Lines and concatenated batches), each
//! document's top-level shape is read cheaply, and each format module either claims the
//! documents or answers `Incompatible` fast. Bulk data is then parsed once, straight
//! into the claiming format's typed structs, never through `serde_json::Value`.

use std::fmt;

use crate::model::{SourceFormat, Trace};

pub mod crewai;
mod genai;
pub mod jaeger;
pub mod langfuse;
pub mod langsmith;
pub mod otlp;
mod probe;
pub mod repair;
pub mod stepwise;
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
pub(crate) fn classify_all<K>(
    documents: &[Document],
    kind_of: impl Fn(&Document) -> Option<K>,
) -> Option<Vec<K>> {
    documents
        .iter()
        .map(kind_of)
        .collect::<Option<Vec<K>>>()
        .filter(|kinds| !kinds.is_empty())
}

/// A format's entry point: claims `documents` (all of them) or answers `Incompatible`.
type Detector = fn(&[Document]) -> Detection<Vec<Trace>>;

/// In the order of FORMATS.md: the most specific top-level keys first.
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
    let documents = split_documents(text)?;
    if let Some(result) = detect_all(&documents) {
        return result;
    }
    // JSON Lines may mix formats: then each document must be claimed on its own.
    if documents.len() > 1 {
        let mut traces = Vec::new();
        for document in &documents {
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

/// Splits the input into its top-level JSON values: one for a normal file, several
/// for JSON Lines (an OTel collector's file exporter) or concatenated batches.
fn split_documents(text: &str) -> Result<Vec<Document<'_>>, ImportError> {
    let mut documents = Vec::new();
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Shape>();
    let mut start = 0;
    // Lines are counted on from the previous document: counting from the top of the
    // file for each one made JSON Lines quadratic (60,000 short lines: a minute in debug).
    let (mut line, mut counted_to) = (1, 0);
    loop {
        // The stream reports the offset after each value; the value itself starts
        // after any whitespace that follows the previous one.
        let offset_before = stream.byte_offset();
        let Some(next) = stream.next() else {
            break;
        };
        let shape = next.map_err(|error| json_error(&error))?;
        let end = stream.byte_offset();
        let slice = &text[offset_before.max(start)..end];
        let leading = slice.len() - slice.trim_start().len();
        let begin = offset_before.max(start) + leading;
        line += text.as_bytes()[counted_to..begin]
            .iter()
            .filter(|&&byte| byte == b'\n')
            .count();
        counted_to = begin;
        documents.push(Document {
            shape,
            text: &text[begin..end],
            line,
        });
        start = end;
    }
    Ok(documents)
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
        let documents = split_documents("  {\"a\": 1}\n").expect("valid");
        assert_eq!(documents.len(), 1);
        assert_eq!(documents[0].text, "{\"a\": 1}");
        assert_eq!(documents[0].line, 1);
    }

    #[test]
    fn json_lines_become_several_documents_with_their_lines() {
        let documents = split_documents("{\"a\": 1}\n{\"b\": 2}\n\n[3]").expect("valid");
        let texts: Vec<&str> = documents.iter().map(|d| d.text).collect();
        assert_eq!(texts, ["{\"a\": 1}", "{\"b\": 2}", "[3]"]);
        let lines: Vec<usize> = documents.iter().map(|d| d.line).collect();
        assert_eq!(lines, [1, 2, 4]);
    }

    #[test]
    fn a_broken_second_line_is_reported_on_that_line() {
        let error = split_documents("{\"a\": 1}\n{\"b\": ").expect_err("truncated");
        assert!(
            matches!(error, ImportError::Json { line: 2, .. }),
            "{error:?}"
        );
    }
}
