//! Windowing for the reader's blocks, whose heights vary: estimated (or measured once drawn) and summed to find what is in view. Pure core.

use super::{Block, BlockKind};
use crate::virtual_list::RowWindow;

/// A block's frame: padding, border and its head line.
const FRAME_PX: f64 = 44.0;
/// One line of text.
const LINE_PX: f64 = 20.0;
/// A text's own margins and, when cut, its "Show all" line.
const TEXT_PX: f64 = 12.0;
/// A folded reasoning's summary line.
const FOLDED_PX: f64 = 30.0;
/// Height drawn beyond each edge of the viewport, so a fast scroll never shows a gap.
pub const OVERSCAN_PX: f64 = 800.0;
/// The viewport assumed before the container is measured (or while it is hidden).
const UNMEASURED_VIEWPORT_PX: f64 = 800.0;

/// Lines `text` takes at `chars_per_line` characters a line, wrapping long lines.
fn lines(text: &str, chars_per_line: usize) -> usize {
    let width = chars_per_line.max(10);
    text.split('\n')
        .map(|line| line.chars().count().div_ceil(width).max(1))
        .sum()
}

/// The height `block` is expected to take at `chars_per_line` characters a line.
pub fn estimate_px(block: &Block, chars_per_line: usize) -> f64 {
    let text_px = |text: &str| TEXT_PX + lines(text, chars_per_line) as f64 * LINE_PX;
    let mut px = FRAME_PX;
    match &block.kind {
        BlockKind::Handoff { .. } => return LINE_PX + TEXT_PX + 8.0,
        BlockKind::Reply {
            text,
            reasoning,
            error,
            ..
        } => {
            px += reasoning.as_ref().map_or(0.0, |_| FOLDED_PX);
            px += [text, error]
                .into_iter()
                .flatten()
                .map(|text| text_px(&text.shown))
                .sum::<f64>();
        }
        BlockKind::Reasoning { .. } => px += FOLDED_PX - LINE_PX,
        BlockKind::Tools { calls } => {
            for call in calls {
                px += LINE_PX + TEXT_PX;
                px += [&call.arguments, &call.result, &call.error]
                    .into_iter()
                    .flatten()
                    .map(|text| text_px(&text.shown))
                    .sum::<f64>();
            }
        }
        BlockKind::Ask { .. } | BlockKind::Error { .. } => {
            px += block
                .texts()
                .iter()
                .map(|text| text_px(&text.shown))
                .sum::<f64>();
        }
    }
    px
}

/// Each block's top, as a prefix sum of their heights.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Heights {
    /// `tops[i]` is where block `i` starts; the last entry is the total height.
    tops: Vec<f64>,
}

impl Heights {
    pub fn new(heights_px: &[f64]) -> Heights {
        let mut tops = Vec::with_capacity(heights_px.len() + 1);
        let mut top = 0.0;
        tops.push(top);
        for px in heights_px {
            // A hidden block measures 0: keep a pixel so the sums stay increasing.
            top += if px.is_finite() { px.max(1.0) } else { 1.0 };
            tops.push(top);
        }
        Heights { tops }
    }

    pub fn len(&self) -> usize {
        self.tops.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn total_px(&self) -> f64 {
        self.tops.last().copied().unwrap_or(0.0)
    }

    /// Where block `index` starts (the total height past the end).
    pub fn top_px(&self, index: usize) -> f64 {
        self.tops[index.min(self.len())]
    }

    /// The block at `y_px` from the top.
    fn index_at(&self, y_px: f64) -> usize {
        // The last top at or above y: blocks before it end above y.
        let after = self.tops.partition_point(|top| *top <= y_px);
        after.saturating_sub(1).min(self.len().saturating_sub(1))
    }

    /// The blocks to draw for a viewport `viewport_px` tall scrolled to `scroll_top_px`,
    /// with `overscan_px` beyond each edge, and the space above and below them.
    pub fn window(&self, scroll_top_px: f64, viewport_px: f64, overscan_px: f64) -> RowWindow {
        let count = self.len();
        if count == 0 {
            return RowWindow {
                start: 0,
                end: 0,
                before_px: 0.0,
                after_px: 0.0,
            };
        }
        let viewport_px = if viewport_px.is_finite() && viewport_px > 0.0 {
            viewport_px
        } else {
            UNMEASURED_VIEWPORT_PX
        };
        let top = if scroll_top_px.is_finite() {
            scroll_top_px.clamp(0.0, (self.total_px() - viewport_px).max(0.0))
        } else {
            0.0
        };
        let start = self.index_at(top - overscan_px);
        let end = (self.index_at(top + viewport_px + overscan_px) + 1).min(count);
        RowWindow {
            start,
            end,
            before_px: self.top_px(start),
            after_px: self.total_px() - self.top_px(end),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_covers_the_viewport_and_the_spacers_add_up() {
        let heights = Heights::new(&vec![100.0; 10_000]);
        let window = heights.window(50_050.0, 800.0, 200.0);
        // 49_850..51_050 px: blocks 498 to 510.
        assert_eq!((window.start, window.end), (498, 511));
        assert_eq!(window.before_px, 49_800.0);
        let drawn: f64 = (window.start..window.end).map(|_| 100.0).sum();
        assert_eq!(
            window.before_px + drawn + window.after_px,
            heights.total_px()
        );
    }

    #[test]
    fn varying_heights_are_found_by_their_prefix_sums() {
        let heights = Heights::new(&[10.0, 1000.0, 10.0, 10.0]);
        assert_eq!(heights.top_px(2), 1010.0);
        let window = heights.window(500.0, 100.0, 0.0);
        assert_eq!((window.start, window.end), (1, 2));
        let window = heights.window(1005.0, 10.0, 0.0);
        assert_eq!((window.start, window.end), (1, 3));
    }

    #[test]
    fn past_the_end_shows_the_last_blocks_and_unmeasured_sizes_stay_bounded() {
        let heights = Heights::new(&vec![50.0; 1000]);
        let window = heights.window(1e12, 500.0, 0.0);
        assert_eq!(window.end, 1000);
        assert_eq!(window.after_px, 0.0);
        let window = heights.window(f64::NAN, 0.0, 0.0);
        assert_eq!(window.start, 0);
        assert_eq!(window.end, 17);
        assert!(Heights::new(&[]).window(0.0, 100.0, 0.0).is_empty());
        // A zero or NaN height still moves the sums forward.
        let odd = Heights::new(&[0.0, f64::NAN, 5.0]);
        assert_eq!(odd.total_px(), 7.0);
    }
}
