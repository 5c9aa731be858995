//! Find in the reader: the blocks whose words hold a query, ignoring case. Pure core.

use super::text::find_ranges;
use super::Block;

/// The blocks that hold `query` (ignoring case) in their labels or shown texts, in order.
/// A blank query finds nothing.
pub fn find(blocks: &[Block], query: &str) -> Vec<usize> {
    let needle = query.trim().to_lowercase();
    if needle.is_empty() {
        return Vec::new();
    }
    blocks
        .iter()
        .enumerate()
        .filter(|(_, block)| holds(block, &needle))
        .map(|(index, _)| index)
        .collect()
}

/// True when `block` holds `needle_lower` (already lower-case).
pub fn holds(block: &Block, needle_lower: &str) -> bool {
    let hit = |text: &str| !find_ranges(text, needle_lower).is_empty();
    block.labels().into_iter().any(hit) || block.texts().iter().any(|text| hit(&text.shown))
}

/// The match after (or before) position `current` among `count` matches, wrapping; the
/// first (or last) when there is no current one.
pub fn step_match(count: usize, current: Option<usize>, forward: bool) -> Option<usize> {
    if count == 0 {
        return None;
    }
    Some(match (current, forward) {
        (None, true) => 0,
        (None, false) => count - 1,
        (Some(at), true) => (at + 1) % count,
        (Some(at), false) => (at + count - 1) % count,
    })
}

/// "No matches", "3 of 17".
pub fn count_text(count: usize, current: Option<usize>) -> String {
    crate::search::match_count_text(count, current.map(|at| at + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stepping_wraps_around_both_ways() {
        assert_eq!(step_match(3, None, true), Some(0));
        assert_eq!(step_match(3, None, false), Some(2));
        assert_eq!(step_match(3, Some(2), true), Some(0));
        assert_eq!(step_match(3, Some(0), false), Some(2));
        assert_eq!(step_match(0, None, true), None);
        assert_eq!(count_text(17, Some(2)), "3 of 17");
        assert_eq!(count_text(0, None), "No matches");
    }
}
