//! The pure rules of opening traces (gzip sniffing, names, progress text, timeouts). Pure core.

use crate::format::format_bytes;

/// The name a pasted trace is opened under.
pub const PASTED_NAME: &str = "pasted.json";
/// Files at least this large show a progress bar while they are read.
pub const PROGRESS_MIN_BYTES: u64 = 1_000_000;
/// How long a `?src=` fetch may go without receiving anything, unless `timeout_ms` says.
pub const DEFAULT_TIMEOUT_MS: u64 = 30_000;
/// The longest `timeout_ms` accepted: ten minutes.
const MAX_TIMEOUT_MS: u64 = 600_000;

/// Whether `bytes` start with gzip's magic number (RFC 1952), whatever the file is called.
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

/// The name of the decompressed content: "run.json.gz" → "run.json", "run.gz" → "run".
pub fn decompressed_name(name: &str) -> String {
    match name.len().checked_sub(3) {
        Some(cut) if name.is_char_boundary(cut) && name[cut..].eq_ignore_ascii_case(".gz") => {
            name[..cut].to_string()
        }
        _ => name.to_string(),
    }
}

/// How far a read is, 0 to 1, when its size is known. More bytes than announced means the
/// length was of the compressed body (`Content-Encoding: gzip`): then the size is unknown.
pub fn progress_fraction(read_bytes: u64, total_bytes: Option<u64>) -> Option<f64> {
    match total_bytes {
        Some(total) if total > 0 && read_bytes <= total => Some(read_bytes as f64 / total as f64),
        _ => None,
    }
}

/// "1.2 MB of 3.4 MB (35%)", or "1.2 MB" when the size is unknown.
pub fn progress_text(read_bytes: u64, total_bytes: Option<u64>) -> String {
    match (total_bytes, progress_fraction(read_bytes, total_bytes)) {
        (Some(total), Some(fraction)) => format!(
            "{} of {} ({}%)",
            format_bytes(read_bytes),
            format_bytes(total),
            (fraction * 100.0).floor()
        ),
        _ => format_bytes(read_bytes),
    }
}

/// The fetch timeout from the `timeout_ms` parameter; a missing, zero or malformed value
/// means the default, and a huge one is capped.
pub fn timeout_ms_from(param: Option<&str>) -> u64 {
    match param.and_then(|text| text.trim().parse::<u64>().ok()) {
        Some(timeout_ms) if timeout_ms > 0 => timeout_ms.min(MAX_TIMEOUT_MS),
        _ => DEFAULT_TIMEOUT_MS,
    }
}

/// Whether pasted text could be a trace: JSON or JSON Lines start with `{` or `[`.
pub fn check_pasted_text(text: &str) -> Result<(), String> {
    match text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .next()
    {
        Some('{') | Some('[') => Ok(()),
        None => Err("The clipboard holds no text: copy a JSON trace, then paste it.".into()),
        Some(_) => {
            Err("The pasted text is not a trace: expected JSON starting with { or [.".into())
        }
    }
}

/// What to tell the user after opening files: how many traces from how many files.
pub fn opened_summary(traces: usize, names: &[String]) -> String {
    let traces_text = match traces {
        1 => "1 trace".to_string(),
        n => format!("{n} traces"),
    };
    match names {
        [] => format!("Opened {traces_text}."),
        [name] => format!("Opened {traces_text} from {name}."),
        names => format!(
            "Opened {traces_text} from {} files: {}.",
            names.len(),
            names.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_is_told_by_its_magic_bytes_not_its_name() {
        assert!(is_gzip(&[0x1f, 0x8b, 8, 0]));
        assert!(!is_gzip(b"{\"a\":1}"));
        assert!(!is_gzip(&[0x1f]));
        assert_eq!(decompressed_name("run.json.gz"), "run.json");
        assert_eq!(decompressed_name("RUN.GZ"), "RUN");
        assert_eq!(decompressed_name("run.json"), "run.json");
        assert_eq!(decompressed_name("gz"), "gz");
        assert_eq!(decompressed_name("é.gz"), "é");
    }

    #[test]
    fn byte_counts_and_progress() {
        assert_eq!(
            progress_text(1_200_000, Some(3_400_000)),
            "1.2 MB of 3.4 MB (35%)"
        );
        assert_eq!(progress_text(500, None), "500 B");
        assert_eq!(progress_text(10, Some(0)), "10 B");
        assert_eq!(progress_fraction(5, Some(4)), None);
        assert_eq!(progress_text(5_000, Some(4_000)), "5.0 kB");
        assert_eq!(progress_fraction(1, Some(4)), Some(0.25));
    }

    #[test]
    fn timeouts() {
        assert_eq!(timeout_ms_from(None), 30_000);
        assert_eq!(timeout_ms_from(Some("400")), 400);
        assert_eq!(timeout_ms_from(Some("0")), 30_000);
        assert_eq!(timeout_ms_from(Some("-5")), 30_000);
        assert_eq!(timeout_ms_from(Some("soon")), 30_000);
        assert_eq!(timeout_ms_from(Some("99999999")), 600_000);
    }

    #[test]
    fn pasted_text_must_look_like_json() {
        assert_eq!(check_pasted_text("  {\"trace\": {}}"), Ok(()));
        assert_eq!(check_pasted_text("\u{feff}[1]"), Ok(()));
        assert_eq!(
            check_pasted_text("hello"),
            Err("The pasted text is not a trace: expected JSON starting with { or [.".into())
        );
        assert!(check_pasted_text("  ").is_err());
    }

    #[test]
    fn the_summary_counts_traces_and_files() {
        assert_eq!(
            opened_summary(1, &["a.json".into()]),
            "Opened 1 trace from a.json."
        );
        assert_eq!(
            opened_summary(3, &["a.json".into(), "b.jsonl".into()]),
            "Opened 3 traces from 2 files: a.json, b.jsonl."
        );
        assert_eq!(opened_summary(0, &[]), "Opened 0 traces.");
    }
}
