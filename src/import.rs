//! Format detection and dispatch: bytes in, `Vec<Trace>` or a clear `ImportError` out. Pure core.
//!
//! Each format lives in its own module and answers `Incompatible` fast when a
//! document is not its format, so detection is by content and never by file name.

use std::fmt;

use crate::model::{SourceFormat, Trace};

mod probe;
pub mod stepwise;
mod time;

pub use probe::Shape;

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
                "Unrecognised trace format: found {found}. Expected a Stepwise trace \
                 (\"format\": \"stepwise-trace\")."
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

/// What a format module answers for a document it was offered.
pub enum Detection<T> {
    /// Not this format: try the next one.
    Incompatible,
    Imported(Result<T, ImportError>),
}

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
    // One cheap pass that keeps only the top-level shape, so bulk data is parsed
    // once, straight into the format's typed structs (never through `Value`).
    let shape: Shape = serde_json::from_str(text).map_err(|error| json_error(&error))?;
    match stepwise::detect(&shape, text) {
        Detection::Imported(result) => result,
        Detection::Incompatible => Err(ImportError::UnknownFormat {
            found: shape.describe(),
        }),
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
