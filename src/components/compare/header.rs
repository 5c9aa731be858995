//! The compare page's header: which trace is A and which is B, picked among the traces of this tab, and a swap. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};

use crate::components::theme::ThemeSwitch;
use crate::state::source::TraceSource;
use crate::state::traces::OpenTraces;
use crate::state::view::absolute;

/// `a` and `b` are trace parameters (`demo`, `file:run.json`).
#[component]
pub fn CompareHeader(a: String, b: Option<String>) -> impl IntoView {
    let opened = expect_context::<OpenTraces>();
    let navigate = use_navigate();
    let location = use_location();
    let go = move |a: String, b: Option<String>| {
        let query = TraceSource::compare_query(&a, b.as_deref());
        let pathname = location.pathname.get_untracked();
        navigate(&absolute(&format!("{pathname}{query}")), Default::default());
    };
    // The demo can always be had; files only while this tab holds them. The traces named
    // by the address are listed even when missing, so the pickers show what was asked.
    let choices = Memo::new({
        let (a, b) = (a.clone(), b.clone());
        move |_| {
            let mut choices: Vec<(String, String)> = vec![("demo".into(), "Demo trace".into())];
            for (key, loaded) in opened.files() {
                let name = &loaded.trace.name;
                choices.push((format!("file:{key}"), format!("{key} — {name}")));
            }
            for named in [Some(&a), b.as_ref()].into_iter().flatten() {
                if !choices.iter().any(|(param, _)| param == named) {
                    choices.push((named.clone(), format!("{named} (not open)")));
                }
            }
            choices
        }
    });
    let (go_a, go_b, go_swap) = (go.clone(), go.clone(), go);
    let (a_for_b, b_for_a) = (a.clone(), b.clone());
    let swap = b.clone().map(|b_param| {
        let a_param = a.clone();
        view! {
            <button
                type="button"
                class="header-button"
                data-testid="compare-swap"
                title="Swap A and B"
                on:click=move |_| go_swap(b_param.clone(), Some(a_param.clone()))
            >
                "⇄ Swap"
            </button>
        }
    });
    view! {
        <header class="trace-header compare-header">
            <a class="home-link" href="./" title="Stepwise: start page" data-testid="home-link">
                <img src=crate::io::share::logo_src() alt="Stepwise start page" width="22" height="22" />
            </a>
            <h1 class="trace-name">"Compare traces"</h1>
            <TracePicker
                label="A"
                choices
                chosen=Some(a)
                on_pick=Callback::new(move |param: String| go_a(param, b_for_a.clone()))
            />
            {swap}
            <TracePicker
                label="B"
                choices
                chosen=b
                on_pick=Callback::new(move |param: String| go_b(a_for_b.clone(), Some(param)))
            />
            <span class="spacer"></span>
            <ThemeSwitch />
        </header>
    }
}

#[component]
fn TracePicker(
    label: &'static str,
    choices: Memo<Vec<(String, String)>>,
    chosen: Option<String>,
    on_pick: Callback<String>,
) -> impl IntoView {
    let chosen_for_options = chosen.clone();
    view! {
        <label class="compare-picker">
            <span class="compare-side">{label}</span>
            <select
                data-testid=format!("compare-pick-{}", label.to_lowercase())
                on:change=move |event| on_pick.run(event_target_value(&event))
            >
                {chosen.is_none().then(|| view! { <option value="" selected=true>"Choose a trace…"</option> })}
                {move || {
                    choices
                        .get()
                        .into_iter()
                        .map(|(param, text)| {
                            let selected = chosen_for_options.as_deref() == Some(param.as_str());
                            view! { <option value=param selected=selected>{text}</option> }
                        })
                        .collect_view()
                }}
            </select>
        </label>
    }
}
