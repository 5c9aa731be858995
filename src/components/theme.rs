//! The theme: the user's switch (follows the system until they pick light or dark), or the theme an embedding page sets. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;
use leptos_use_color_mode::{
    use_color_mode_with_options, ColorMode, UseColorModeOptions, UseColorModeReturn,
};

use stepwise_core::embed::Theme;

/// Left as they are when the theme is applied. Otherwise leptos-use suspends every
/// transition and forces a synchronous style pass over the whole page each time the switch
/// mounts, which is with every trace shown: about 30 ms on a 100k-step trace's first render.
const TRANSITIONS_STAY: bool = true;

/// A button cycling system → light → dark; the choice is kept in local storage.
/// An embedded page has no switch: its host sets the theme (`use_embed_theme`).
#[component]
pub fn ThemeSwitch() -> impl IntoView {
    let UseColorModeReturn {
        set_mode, store, ..
    } = use_color_mode_with_options(
        UseColorModeOptions::default()
            .attribute("data-theme")
            .storage_key("stepwise-theme")
            .transition_enabled(TRANSITIONS_STAY),
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
    view! {
        <button type="button" class="header-button" data-testid="theme-switch" on:click=next>
            {label}
        </button>
    }
}

/// Applies the theme an embedding page asks for (`theme=` or `set-theme`) through the
/// same `data-theme` attribute, without storing it: the host's choice must not become
/// the user's choice on the standalone site.
pub fn use_embed_theme(theme: Signal<Theme>) {
    let store = RwSignal::new(color_mode(theme.get_untracked()));
    Effect::new(move |_| store.set(color_mode(theme.get())));
    use_color_mode_with_options(
        UseColorModeOptions::default()
            .attribute("data-theme")
            .storage_enabled(false)
            .storage_signal(store)
            .transition_enabled(TRANSITIONS_STAY),
    );
}

fn color_mode(theme: Theme) -> ColorMode {
    match theme {
        Theme::Light => ColorMode::Light,
        Theme::Dark => ColorMode::Dark,
        Theme::System => ColorMode::Auto,
    }
}
