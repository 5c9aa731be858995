//! The trace page's views as tabs (Timeline · Graph · Reader · Insights), kept in the URL, with the tasks table and the output one click away. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::view::ViewState;
use stepwise_core::view_query::TraceTab;

/// The id of a tab's button, which its panel is labelled by.
pub fn tab_id(tab: TraceTab) -> String {
    format!("view-tab-{}", tab.name())
}

/// The id of the region the tabs control.
pub const TAB_PANEL_ID: &str = "view-panel";

/// A tab list in the WAI-ARIA pattern: arrow keys move between tabs, Home/End to the ends.
/// `jumps` are the sections below the views, as `(label, element id)`.
#[component]
pub fn ViewTabs(
    tabs: Vec<TraceTab>,
    shown: Memo<TraceTab>,
    jumps: Vec<(&'static str, &'static str)>,
) -> impl IntoView {
    let state = expect_context::<ViewState>();
    let order = tabs.clone();
    let on_keydown = move |event: leptos::ev::KeyboardEvent| {
        let Some(at) = order.iter().position(|tab| *tab == shown.get_untracked()) else {
            return;
        };
        let last = order.len().saturating_sub(1);
        let next = match event.key().as_str() {
            "ArrowRight" => (at + 1) % order.len(),
            "ArrowLeft" => at.checked_sub(1).unwrap_or(last),
            "Home" => 0,
            "End" => last,
            _ => return,
        };
        event.prevent_default();
        state.set_tab(order[next]);
        focus_by_id(&tab_id(order[next]));
    };
    let buttons = tabs
        .into_iter()
        .map(|tab| {
            let selected = move || shown.get() == tab;
            view! {
                <button
                    type="button"
                    role="tab"
                    id=tab_id(tab)
                    class="view-tab"
                    aria-selected=move || selected().to_string()
                    aria-controls=TAB_PANEL_ID
                    tabindex=move || if selected() { "0" } else { "-1" }
                    data-tab=tab.name()
                    on:click=move |_| state.set_tab(tab)
                >
                    {tab.label()}
                </button>
            }
        })
        .collect_view();
    let jumps = jumps
        .into_iter()
        .map(|(label, target)| {
            view! {
                <button type="button" class="view-jump" on:click=move |_| scroll_to_id(target)>
                    {label}
                    <span aria-hidden="true">" ↓"</span>
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="view-tabs-bar">
            <div class="view-tabs" role="tablist" aria-label="Views of the trace" on:keydown=on_keydown>
                {buttons}
            </div>
            <div class="view-jumps">{jumps}</div>
        </div>
    }
}

fn element_by_id(id: &str) -> Option<web_sys::HtmlElement> {
    document()
        .get_element_by_id(id)
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
}

fn focus_by_id(id: &str) {
    // The button is re-rendered by the tab change; it exists by the next frame.
    let id = id.to_string();
    request_animation_frame(move || {
        if let Some(element) = element_by_id(&id) {
            let _ = element.focus();
        }
    });
}

fn scroll_to_id(id: &str) {
    if let Some(element) = element_by_id(id) {
        element.scroll_into_view();
        // Focus follows, so a keyboard user lands where the eye does.
        let _ = element.focus();
    }
}
