//! Windowing of the reader's blocks, whose heights vary: estimated, corrected as drawn blocks are measured, and summed. Component layer: uses components, state, I/O and the core.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::ev::scroll;
use leptos::html::Div;
use leptos::prelude::*;
use leptos_use_element_size::{use_element_size, UseElementSizeReturn};
use leptos_use_event_listener::use_event_listener;
use leptos_use_fn_debounce_throttle::use_throttle_fn;
use wasm_bindgen::JsCast;

use stepwise_core::reader::layout::{estimate_px, Heights, OVERSCAN_PX};
use stepwise_core::reader::Block;
use stepwise_core::virtual_list::RowWindow;

/// How often a scroll updates the window at most: once a frame.
const SCROLL_THROTTLE_MS: f64 = 16.0;
/// Average width of a character of the blocks' text, for the estimate of wrapped lines.
const CHAR_PX: f64 = 7.6;
/// Horizontal space a block's text does not get: the view's and the block's padding.
const INSET_PX: f64 = 72.0;
/// A measured height this close to the known one is not worth a new layout.
const MEASURE_SLACK_PX: f64 = 1.5;

#[derive(Clone, Copy)]
pub struct ReaderScroll {
    /// The blocks to draw and the space around them.
    pub window: Memo<RowWindow>,
    /// Scrolls so that block `index` starts near the top of the view.
    pub scroll_to: Callback<usize>,
    /// Scrolls to block `index` only when none of it is in the viewport.
    pub reveal: Callback<usize>,
    /// Reads the drawn blocks' heights, so the layout above and below them is right.
    pub measure: Callback<()>,
}

/// Follows `container`'s size and scroll over `blocks`.
pub fn use_reader_scroll(container: NodeRef<Div>, blocks: Memo<Arc<Vec<Block>>>) -> ReaderScroll {
    let scroll_top_px = RwSignal::new(0.0);
    let UseElementSizeReturn { width, height } = use_element_size(container);
    let read_scroll = use_throttle_fn(
        move || {
            if let Some(element) = container.get_untracked() {
                scroll_top_px.set(f64::from(element.scroll_top()));
            }
        },
        SCROLL_THROTTLE_MS,
    );
    let _ = use_event_listener(container, scroll, move |_| {
        read_scroll();
    });
    let chars_per_line = Memo::new(move |_| {
        let width = width.get();
        let usable = if width > INSET_PX {
            width - INSET_PX
        } else {
            600.0
        };
        (usable / CHAR_PX) as usize
    });
    let estimates = Memo::new(move |_| {
        let per_line = chars_per_line.get();
        let blocks = blocks.read();
        Arc::new(
            blocks
                .iter()
                .map(|block| estimate_px(block, per_line))
                .collect::<Vec<_>>(),
        )
    });
    // Measured heights by block, for the current blocks and width.
    let measured = RwSignal::new(HashMap::<usize, f64>::new());
    Effect::new(move |_| {
        estimates.track();
        measured.set(HashMap::new());
    });
    let heights = Memo::new(move |_| {
        let mut list = estimates.read().as_ref().clone();
        for (index, px) in measured.read().iter() {
            if let Some(slot) = list.get_mut(*index) {
                *slot = *px;
            }
        }
        Arc::new(Heights::new(&list))
    });
    let window = Memo::new(move |_| {
        heights
            .read()
            .window(scroll_top_px.get(), height.get(), OVERSCAN_PX)
    });
    // The block last scrolled to: measuring the blocks above it moves it, so it is
    // scrolled to again until the heights settle.
    let target = StoredValue::new(None::<usize>);
    let scroll_to = Callback::new(move |index: usize| {
        target.set_value(Some(index));
        let Some(element) = container.get_untracked() else {
            return;
        };
        let top_px = heights.with_untracked(|heights| heights.top_px(index));
        // A little of the block before shows, so the target does not sit on the edge.
        let scroll_top = (top_px - 24.0).max(0.0);
        element.set_scroll_top(scroll_top.round() as i32);
        scroll_top_px.set(f64::from(element.scroll_top()));
    });
    let reveal = Callback::new(move |index: usize| {
        let Some(element) = container.get_untracked() else {
            return;
        };
        let view_top = f64::from(element.scroll_top());
        let view_bottom = view_top + f64::from(element.client_height());
        let (top, bottom) =
            heights.with_untracked(|heights| (heights.top_px(index), heights.top_px(index + 1)));
        if bottom <= view_top || top >= view_bottom {
            scroll_to.run(index);
        }
    });
    let measure = Callback::new(move |_: ()| {
        let Some(element) = container.get_untracked() else {
            return;
        };
        let Ok(drawn) = element.query_selector_all("[data-block]") else {
            return;
        };
        let mut changes = Vec::new();
        let known = heights.get_untracked();
        for at in 0..drawn.length() {
            let Some(node) = drawn.item(at) else { continue };
            let Ok(block) = node.dyn_into::<web_sys::HtmlElement>() else {
                continue;
            };
            let Some(index) = block
                .get_attribute("data-block")
                .and_then(|text| text.parse::<usize>().ok())
            else {
                continue;
            };
            let px = f64::from(block.offset_height());
            let was = known.top_px(index + 1) - known.top_px(index);
            if px >= 1.0 && (px - was).abs() > MEASURE_SLACK_PX {
                changes.push((index, px));
            }
        }
        if changes.is_empty() {
            target.set_value(None);
            return;
        }
        measured.update(|map| map.extend(changes));
        if let Some(index) = target.get_value() {
            let top_px = heights.with_untracked(|heights| heights.top_px(index));
            element.set_scroll_top((top_px - 24.0).max(0.0).round() as i32);
            scroll_top_px.set(f64::from(element.scroll_top()));
        }
    });
    ReaderScroll {
        window,
        scroll_to,
        reveal,
        measure,
    }
}
