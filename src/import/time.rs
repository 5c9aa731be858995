//! Timestamp parsing shared by the importers.

use chrono::DateTime;

/// Parses an RFC 3339 / ISO 8601 timestamp ("2026-11-02T09:14:03.120512Z", "+00:00"
/// offsets too) into Unix epoch nanoseconds. `None` when it is not such a time or
/// lies outside the years 1677–2262 that nanoseconds in an `i64` can hold.
pub fn parse_rfc3339_ns(text: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()?
        .timestamp_nanos_opt()
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
}
