//! A scroll container that keeps only the rows in view in the DOM: leptos-use measures it and follows its scroll, `virtual_list` says which rows to draw. Component layer: uses components, state, I/O and the core.

use leptos::ev::scroll;
use leptos::html::ElementType;
use leptos::prelude::*;
use leptos_use_element_size::{use_element_size, UseElementSizeReturn};
use leptos_use_event_listener::use_event_listener;
use leptos_use_fn_debounce_throttle::use_throttle_fn;
use wasm_bindgen::JsCast;

use stepwise_core::virtual_list::{reveal_scroll_top, row_window, RowWindow, OVERSCAN_ROWS};

/// How often a scroll updates the window at most: once a frame.
const SCROLL_THROTTLE_MS: f64 = 16.0;

/// What the list measures: a rendered row (its height is every row's), and an optional
/// sticky header that covers the top of the viewport.
#[derive(Clone, Copy)]
pub struct VirtualRows {
    /// Used until a row is measured.
    pub default_row_px: f64,
    pub row_selector: &'static str,
    pub header_selector: Option<&'static str>,
}

#[derive(Clone, Copy)]
pub struct VirtualScroll {
    /// The rows to render and the spacers around them.
    pub window: Memo<RowWindow>,
    /// Scrolls the container so that the row at this position shows whole.
    pub reveal: Callback<usize>,
}

/// Follows `container`'s size and scroll; `count` is the number of rows in the list.
pub fn use_virtual_scroll<E>(
    container: NodeRef<E>,
    count: Signal<usize>,
    rows: VirtualRows,
) -> VirtualScroll
where
    E: ElementType + 'static,
    E::Output: JsCast + Clone + 'static,
    web_sys::Element: From<E::Output>,
    web_sys::EventTarget: From<E::Output>,
{
    let scroll_top_px = RwSignal::new(0.0);
    let row_px = RwSignal::new(rows.default_row_px);
    let header_px = RwSignal::new(0.0);
    let element = move || container.get_untracked().map(web_sys::Element::from);
    let UseElementSizeReturn { width, height } = use_element_size(container);

    let read_scroll = use_throttle_fn(
        move || {
            if let Some(element) = element() {
                scroll_top_px.set(f64::from(element.scroll_top()));
            }
        },
        SCROLL_THROTTLE_MS,
    );
    let _ = use_event_listener(container, scroll, move |_| {
        read_scroll();
    });

    // Rows have one height per layout, set in CSS; it changes only with the width (the
    // phone layout wraps the figures), so it is measured again only then.
    let measure = move || {
        let Some(element) = element() else {
            return;
        };
        let height_of = |selector: &str| {
            element
                .query_selector(selector)
                .ok()
                .flatten()
                .map(|found| found.get_bounding_client_rect().height())
        };
        if let Some(measured) = height_of(rows.row_selector).filter(|px| *px >= 1.0) {
            if (measured - row_px.get_untracked()).abs() > 0.01 {
                row_px.set(measured);
            }
        }
        if let Some(selector) = rows.header_selector {
            let measured = height_of(selector).unwrap_or(0.0);
            if (measured - header_px.get_untracked()).abs() > 0.01 {
                header_px.set(measured);
            }
        }
    };
    Effect::new(move |_| {
        width.track();
        count.track();
        measure();
    });

    let window = Memo::new(move |_| {
        row_window(
            scroll_top_px.get(),
            height.get() - header_px.get(),
            row_px.get(),
            count.get(),
            OVERSCAN_ROWS,
        )
    });
    let reveal = Callback::new(move |position: usize| {
        let Some(element) = element() else {
            return;
        };
        let target = reveal_scroll_top(
            position,
            row_px.get_untracked(),
            header_px.get_untracked(),
            f64::from(element.scroll_top()),
            f64::from(element.client_height()),
        );
        if let Some(top_px) = target {
            element.set_scroll_top(top_px.round() as i32);
            // Not waiting for the scroll event: the row must exist when this returns.
            scroll_top_px.set(f64::from(element.scroll_top()));
        }
    });
    VirtualScroll { window, reveal }
}

/// The empty space standing in for the rows above or below the window; absent when
/// there is none, so short lists hold only their rows.
#[component]
pub fn ListSpacer(height_px: Signal<f64>) -> impl IntoView {
    move || {
        let px = height_px.get();
        (px > 0.0).then(|| {
            view! { <li class="spacer" role="presentation" aria-hidden="true" style:height=format!("{px}px")></li> }
        })
    }
}

/// The same, as a table row spanning `columns`.
#[component]
pub fn RowSpacer(height_px: Signal<f64>, columns: usize) -> impl IntoView {
    move || {
        let px = height_px.get();
        (px > 0.0).then(|| {
            view! {
                <tr class="spacer" aria-hidden="true" style:height=format!("{px}px")>
                    <td colspan=columns></td>
                </tr>
            }
        })
    }
}
