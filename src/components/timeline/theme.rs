//! Which theme the timeline canvas draws in, and noticing when the page switches it. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use stepwise_core::timeline::colours::Theme;

/// The page's theme: an explicit `data-theme` on `<html>` wins over the system preference.
pub fn current_theme(prefers_dark: bool) -> Theme {
    let explicit = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element())
        .and_then(|root| root.get_attribute("data-theme"));
    match explicit.as_deref() {
        Some("dark") => Theme::Dark,
        Some("light") => Theme::Light,
        _ if prefers_dark => Theme::Dark,
        _ => Theme::Light,
    }
}

/// Counts changes of `data-theme` on `<html>`. The canvas cannot follow CSS variables, so
/// it must hear when the theme switch flips the attribute; leptos-use's mutation observer
/// is not among the dependencies, and this is the whole of it.
pub fn use_theme_attribute_changes() -> ReadSignal<u32> {
    let (changes, set_changes) = signal(0u32);
    let root = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element());
    let callback = Closure::<dyn Fn()>::new(move || {
        set_changes.try_update(|n| *n += 1);
    });
    let Some((root, observer)) =
        root.zip(web_sys::MutationObserver::new(callback.as_ref().unchecked_ref()).ok())
    else {
        return changes;
    };
    // The closure must outlive this call; the observer holds the only reference to it.
    callback.forget();
    let options = web_sys::MutationObserverInit::new();
    options.set_attributes(true);
    options.set_attribute_filter(&js_sys::Array::of1(&"data-theme".into()));
    if observer.observe_with_options(&root, &options).is_ok() {
        let observer = StoredValue::new_local(observer);
        on_cleanup(move || {
            observer.try_with_value(|observer| observer.disconnect());
        });
    }
    changes
}
