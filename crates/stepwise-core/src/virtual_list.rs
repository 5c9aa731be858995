//! Windowing for long lists of fixed-height rows: which rows are in view, the spacers
//! around them, and where to scroll to reveal one. Pure core.

/// Rows a list keeps in the DOM at most, whatever its length (a tall screen plus overscan).
pub const MAX_RENDERED_ROWS: usize = 200;
/// Lists up to this long render every row and no spacers: the DOM stays small anyway, and
/// find-in-page and printing see the whole list.
pub const RENDER_ALL_UP_TO: usize = 100;
/// Rows rendered beyond each edge of the viewport, so a fast scroll never shows a gap.
pub const OVERSCAN_ROWS: usize = 20;
/// The viewport assumed before the container is measured (or while it is hidden).
const UNMEASURED_VIEWPORT_PX: f64 = 800.0;

/// The rows to render, `start..end`, and the empty space above and below them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RowWindow {
    pub start: usize,
    pub end: usize,
    pub before_px: f64,
    pub after_px: f64,
}

impl RowWindow {
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// A row height fit to divide by: a zero, negative or NaN measurement (a hidden list)
/// falls back to 1 px, which only makes the window larger, never wrong.
fn usable_row_px(row_px: f64) -> f64 {
    if row_px.is_finite() && row_px >= 1.0 {
        row_px
    } else {
        1.0
    }
}

/// The window of a list of `count` rows of `row_px` each, scrolled to `scroll_top_px` in a
/// viewport `viewport_px` tall. A scroll position past the end (the list shrank under
/// it, before the browser clamped it) shows the last rows.
pub fn row_window(
    scroll_top_px: f64,
    viewport_px: f64,
    row_px: f64,
    count: usize,
    overscan: usize,
) -> RowWindow {
    if count <= RENDER_ALL_UP_TO {
        return RowWindow {
            start: 0,
            end: count,
            before_px: 0.0,
            after_px: 0.0,
        };
    }
    let row_px = usable_row_px(row_px);
    let viewport_px = if viewport_px.is_finite() && viewport_px > 0.0 {
        viewport_px
    } else {
        UNMEASURED_VIEWPORT_PX
    };
    let scroll_top_px = if scroll_top_px.is_finite() {
        scroll_top_px.max(0.0)
    } else {
        0.0
    };
    // +1: a row cut at the top and one cut at the bottom are both partly visible.
    let visible = ((viewport_px / row_px).ceil() as usize + 1).min(count);
    let first = ((scroll_top_px / row_px).floor() as usize).min(count - visible);
    let len = (visible + 2 * overscan).min(MAX_RENDERED_ROWS).min(count);
    let start = first.saturating_sub(overscan).min(count - len);
    let end = start + len;
    RowWindow {
        start,
        end,
        before_px: start as f64 * row_px,
        after_px: (count - end) as f64 * row_px,
    }
}

/// The scroll top that shows row `index` whole, or `None` when it already is. A row just
/// outside the view is brought in with the least movement (j/k walk smoothly); a row far
/// away is centred, so its neighbours show too. `header_px` is a sticky header's height,
/// which covers the top of the viewport.
pub fn reveal_scroll_top(
    index: usize,
    row_px: f64,
    header_px: f64,
    scroll_top_px: f64,
    viewport_px: f64,
) -> Option<f64> {
    let row_px = usable_row_px(row_px);
    let row_top = index as f64 * row_px;
    let rows_viewport_px = viewport_px - header_px.max(0.0);
    if !rows_viewport_px.is_finite() || rows_viewport_px < row_px {
        // Too small (or not laid out) to show a row whole: put it at the top.
        return (scroll_top_px != row_top).then_some(row_top);
    }
    let view_top = scroll_top_px;
    let view_bottom = scroll_top_px + rows_viewport_px;
    let row_bottom = row_top + row_px;
    if row_top >= view_top && row_bottom <= view_bottom {
        return None;
    }
    let far = row_bottom < view_top - rows_viewport_px || row_top > view_bottom + rows_viewport_px;
    let target = if far {
        row_top - (rows_viewport_px - row_px) / 2.0
    } else if row_top < view_top {
        row_top
    } else {
        row_bottom - rows_viewport_px
    };
    Some(target.max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lists_render_every_row() {
        let window = row_window(5000.0, 300.0, 30.0, RENDER_ALL_UP_TO, OVERSCAN_ROWS);
        assert_eq!(
            window,
            RowWindow {
                start: 0,
                end: RENDER_ALL_UP_TO,
                before_px: 0.0,
                after_px: 0.0
            }
        );
    }

    #[test]
    fn empty_list_renders_nothing() {
        let window = row_window(0.0, 560.0, 30.0, 0, OVERSCAN_ROWS);
        assert!(window.is_empty());
        assert_eq!(window.after_px, 0.0);
    }

    #[test]
    fn top_of_a_long_list() {
        // 560 px of 28 px rows: 20 rows, +1 partly visible, +2 × 20 overscan (all of it
        // below, as there is nothing above).
        let window = row_window(0.0, 560.0, 28.0, 100_000, 20);
        assert_eq!((window.start, window.end), (0, 61));
        assert_eq!(window.before_px, 0.0);
        assert_eq!(window.after_px, (100_000 - 61) as f64 * 28.0);
    }

    #[test]
    fn middle_of_a_long_list_with_spacers_that_add_up() {
        let window = row_window(28.0 * 5000.0 + 10.0, 560.0, 28.0, 100_000, 20);
        assert_eq!((window.start, window.end), (4980, 5041));
        assert_eq!(window.before_px, 4980.0 * 28.0);
        let total = window.before_px + window.len() as f64 * 28.0 + window.after_px;
        assert_eq!(total, 100_000.0 * 28.0);
    }

    #[test]
    fn scrolled_to_the_end_shows_the_last_row() {
        let count = 100_000;
        let max_scroll = count as f64 * 28.0 - 560.0;
        let window = row_window(max_scroll, 560.0, 28.0, count, 20);
        assert_eq!(window.end, count);
        assert_eq!(window.after_px, 0.0);
        assert_eq!(window.start, count - 61);
    }

    #[test]
    fn a_list_shrinking_under_the_scroll_position_shows_its_last_rows() {
        // Scrolled deep into 100k rows, then a collapse leaves 150.
        let window = row_window(28.0 * 90_000.0, 560.0, 28.0, 150, 20);
        assert_eq!((window.start, window.end), (150 - 61, 150));
        assert_eq!(window.after_px, 0.0);
    }

    #[test]
    fn a_taller_viewport_renders_more_rows_but_never_more_than_the_cap() {
        let small = row_window(0.0, 560.0, 28.0, 100_000, 20);
        let resized = row_window(0.0, 1120.0, 28.0, 100_000, 20);
        assert_eq!(resized.len(), small.len() + 20);
        let huge = row_window(28.0 * 50_000.0, 100_000.0, 28.0, 100_000, 20);
        assert_eq!(huge.len(), MAX_RENDERED_ROWS);
    }

    #[test]
    fn unmeasured_sizes_still_give_a_bounded_window() {
        let window = row_window(f64::NAN, 0.0, 0.0, 100_000, 20);
        assert_eq!(window.start, 0);
        assert_eq!(window.len(), MAX_RENDERED_ROWS);
        let negative = row_window(-50.0, 560.0, 28.0, 100_000, 20);
        assert_eq!(negative.start, 0);
    }

    #[test]
    fn a_visible_row_needs_no_scroll() {
        assert_eq!(reveal_scroll_top(3, 28.0, 0.0, 0.0, 560.0), None);
        // Exactly the last whole row.
        assert_eq!(reveal_scroll_top(19, 28.0, 0.0, 0.0, 560.0), None);
    }

    #[test]
    fn a_row_just_below_scrolls_by_the_least() {
        // Row 20 spans 560..588; its bottom aligns with the viewport's.
        assert_eq!(reveal_scroll_top(20, 28.0, 0.0, 0.0, 560.0), Some(28.0));
        // Row 9 just above a view starting at row 10.
        assert_eq!(reveal_scroll_top(9, 28.0, 0.0, 280.0, 560.0), Some(252.0));
    }

    #[test]
    fn a_far_row_is_centred() {
        // Row 50_000 from the top: (560 - 28) / 2 = 266 px above it.
        assert_eq!(
            reveal_scroll_top(50_000, 28.0, 0.0, 0.0, 560.0),
            Some(50_000.0 * 28.0 - 266.0)
        );
        // The first row from far down is centred but clamped at 0.
        assert_eq!(
            reveal_scroll_top(0, 28.0, 0.0, 28.0 * 9000.0, 560.0),
            Some(0.0)
        );
    }

    #[test]
    fn a_sticky_header_covers_the_top() {
        // 40 px header: row 0 at scroll 10 is partly under it.
        assert_eq!(reveal_scroll_top(0, 30.0, 40.0, 10.0, 400.0), Some(0.0));
        // 360 px for rows: row 12 (360..390) is cut at the bottom.
        assert_eq!(reveal_scroll_top(12, 30.0, 40.0, 0.0, 400.0), Some(30.0));
    }

    #[test]
    fn an_unlaid_out_viewport_puts_the_row_at_the_top() {
        assert_eq!(reveal_scroll_top(40, 28.0, 0.0, 0.0, 0.0), Some(1120.0));
        assert_eq!(reveal_scroll_top(40, 28.0, 0.0, 1120.0, 0.0), None);
    }
}
