//! Timestamp parsing shared by the importers.

use chrono::{DateTime, NaiveDateTime};

/// Parses an RFC 3339 / ISO 8601 timestamp ("2026-11-02T09:14:03.120512Z", "+00:00"
/// offsets too) into Unix epoch nanoseconds. `None` when it is not such a time or
/// lies outside the years 1677–2262 that nanoseconds in an `i64` can hold.
pub fn parse_rfc3339_ns(text: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()?
        .timestamp_nanos_opt()
}

/// Like `parse_rfc3339_ns`, but a time written without an offset
/// ("2026-11-02T09:14:03.120512", or with a space for the `T`) is read as UTC: LangSmith
/// and some Langfuse exports drop the suffix of times they store in UTC.
pub fn parse_utc_ns(text: &str) -> Option<i64> {
    parse_rfc3339_ns(text).or_else(|| {
        let text = text.trim();
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
            .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f"))
            .ok()?
            .and_utc()
            .timestamp_nanos_opt()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_nanosecond_precision() {
        assert_eq!(
            parse_rfc3339_ns("1970-01-01T00:00:01.000000123Z"),
            Some(1_000_000_123)
        );
    }

    #[test]
    fn honours_offsets() {
        assert_eq!(
            parse_rfc3339_ns("1970-01-01T01:00:00+01:00"),
            Some(0),
            "+01:00 at 01:00 is midnight UTC"
        );
    }

    #[test]
    fn rejects_what_is_not_a_time() {
        assert_eq!(parse_rfc3339_ns("yesterday"), None);
        assert_eq!(parse_rfc3339_ns("9999-01-01T00:00:00Z"), None);
    }

    #[test]
    fn a_time_without_offset_is_utc() {
        assert_eq!(parse_utc_ns("1970-01-01T00:00:01.5"), Some(1_500_000_000));
        assert_eq!(parse_utc_ns("1970-01-01 00:00:02"), Some(2_000_000_000));
        assert_eq!(parse_utc_ns("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(parse_utc_ns("yesterday"), None);
    }
}
