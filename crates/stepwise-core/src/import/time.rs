//! Timestamp parsing shared by the importers.

use chrono::{DateTime, NaiveDateTime};

/// Parses an RFC 3339 / ISO 8601 timestamp ("2026-11-02T09:14:03.120512Z", "+00:00"
/// offsets too) into Unix epoch nanoseconds. `None` when it is not such a time or
/// lies outside the years 1677–2262 that nanoseconds in an `i64` can hold.
pub fn parse_rfc3339_ns(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Some(ns) = parse_plain_utc(text.as_bytes()) {
        return Some(ns);
    }
    DateTime::parse_from_rfc3339(text)
        .ok()?
        .timestamp_nanos_opt()
}

/// The common shape `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, read without chrono's general
/// parser (two times a step, it was a tenth of the import). Anything else, or anything
/// out of the plain ranges (leap seconds, years outside 1970–2200), is left to chrono.
fn parse_plain_utc(bytes: &[u8]) -> Option<i64> {
    if bytes.len() < 20 || bytes.len() > 30 || bytes[bytes.len() - 1] != b'Z' {
        return None;
    }
    let digits = |from: usize, to: usize| -> Option<i64> {
        bytes[from..to].iter().try_fold(0i64, |acc, &b| {
            b.is_ascii_digit().then(|| acc * 10 + i64::from(b - b'0'))
        })
    };
    let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if separators.iter().any(|&(at, c)| bytes[at] != c) {
        return None;
    }
    let (year, month, day) = (digits(0, 4)?, digits(5, 7)?, digits(8, 10)?);
    let (hour, minute, second) = (digits(11, 13)?, digits(14, 16)?, digits(17, 19)?);
    let fraction_ns = match &bytes[19..bytes.len() - 1] {
        [] => 0,
        [b'.', rest @ ..] if !rest.is_empty() && rest.len() <= 9 => {
            digits(20, 20 + rest.len())? * 10i64.pow(9 - rest.len() as u32)
        }
        _ => return None,
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1970..=2200).contains(&year)
        || !(1..=12).contains(&month)
        || day < 1
        || day > month_days[(month - 1) as usize]
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    // Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second;
    Some(seconds * 1_000_000_000 + fraction_ns)
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
    fn the_fast_path_agrees_with_chrono() {
        for text in [
            "2026-11-02T09:14:03.120Z",
            "2026-11-02T09:14:03Z",
            "2026-11-02T09:14:03.1Z",
            "2026-11-02T09:14:03.123456789Z",
            "2024-02-29T23:59:59.999999Z",
            "2000-03-01T00:00:00Z",
            "1970-01-01T00:00:00Z",
            "2100-12-31T12:00:00.5Z",
        ] {
            let chrono = DateTime::parse_from_rfc3339(text)
                .ok()
                .and_then(|time| time.timestamp_nanos_opt());
            assert_eq!(parse_plain_utc(text.as_bytes()), chrono, "{text}");
        }
        for text in [
            "2025-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-11-02T24:00:00Z",
            "2026-11-02T09:14:60Z",
            "2026-11-02T09:14:03.Z",
            "2026-11-02T09:14:03.1234567891Z",
            "2026-11-02 09:14:03Z",
            "2026-11-02T09:14:03+00:00",
        ] {
            assert_eq!(parse_plain_utc(text.as_bytes()), None, "{text}");
        }
        assert_eq!(parse_rfc3339_ns("2025-02-29T00:00:00Z"), None);
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
