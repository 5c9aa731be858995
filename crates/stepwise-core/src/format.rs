//! Small formatters for people shared by every view: counted nouns and byte sizes. Pure core; depends on `metrics` for digit grouping only.

use crate::metrics::format_count;

/// `count` and `noun`, with an "s" unless there is exactly one: "1 step", "0 steps",
/// "1,204 steps". Only for nouns whose plural is regular.
pub fn plural(count: usize, noun: &str) -> String {
    match count {
        1 => format!("1 {noun}"),
        n => format!("{} {noun}s", format_count(n as u64)),
    }
}

/// A byte count for people, in decimal units: "512 B", "48.3 kB", "3.4 MB". A value that
/// would round up to 1000 of a unit is shown in the next one ("1.0 MB", not "1000.0 kB").
pub fn format_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 999.95 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_counts_are_grouped() {
        assert_eq!(plural(1, "step"), "1 step");
        assert_eq!(plural(0, "key"), "0 keys");
        assert_eq!(plural(2, "item"), "2 items");
        assert_eq!(plural(1_204, "step"), "1,204 steps");
    }

    #[test]
    fn bytes_read_in_decimal_units() {
        assert_eq!(format_bytes(0), "0 B");
        assert_eq!(format_bytes(812), "812 B");
        assert_eq!(format_bytes(999), "999 B");
        assert_eq!(format_bytes(1000), "1.0 kB");
        assert_eq!(format_bytes(14_230), "14.2 kB");
        assert_eq!(format_bytes(48_321), "48.3 kB");
        assert_eq!(format_bytes(999_999), "1.0 MB");
        assert_eq!(format_bytes(3_100_000), "3.1 MB");
        assert_eq!(format_bytes(2_000_000_000), "2.0 GB");
        assert_eq!(format_bytes(5_000_000_000_000_000), "5000.0 TB");
    }
}
