//! The theme switch: follows the system until the user picks light or dark. UI layer.

use leptos::prelude::*;
use leptos_use_color_mode::{
    use_color_mode_with_options, ColorMode, UseColorModeOptions, UseColorModeReturn,
};

/// A button cycling system → light → dark; the choice is kept in local storage.
#[component]
pub fn ThemeSwitch() -> impl IntoView {
    let UseColorModeReturn {
        mode,
        set_mode,
        store,
        ..
    } = use_color_mode_with_options(
        UseColorModeOptions::default()
            .attribute("data-theme")
            .storage_key("stepwise-theme"),
    );
    let label = move || match store.get() {
        ColorMode::Light => "Theme: light",
        ColorMode::Dark => "Theme: dark",
        _ => "Theme: system",
    };
    let next = move |_| {
        let next = match store.get_untracked() {
            ColorMode::Light => ColorMode::Dark,
            ColorMode::Dark => ColorMode::Auto,
            _ => ColorMode::Light,
        };
        set_mode.set(next);
    };
    let _ = mode;
    view! {
        <button type="button" class="header-button" data-testid="theme-switch" on:click=next>
            {label}
        </button>
    }
}
