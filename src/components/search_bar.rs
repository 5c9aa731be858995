//! Search and filter within a trace: the query box above the step list, its match count, Prev/Next, and Highlight | Filter. The query lives in the URL (`q=`). Component layer: uses components, state, I/O and the core.

use std::sync::Arc;

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use leptos_use_fn_debounce_throttle::use_debounce_fn_with_arg;

use crate::components::step_search::StepSearch;
use crate::state::view::ViewState;
use stepwise_core::model::Trace;
use stepwise_core::search::{match_count_text, match_position, next_match};
use stepwise_core::tree::StepRow;
use stepwise_core::view_query::Selection;

/// The element id of the query box, for the "/" shortcut.
pub const SEARCH_INPUT_ID: &str = "step-search";

/// Shown in the empty box: the syntax, by example.
const PLACEHOLDER: &str = "Search steps: kind:tool_call status:failed dur>2s \"text\"";
const SYNTAX_HELP: &str = "Terms all must hold: kind:tool_call,llm_call · agent:writer · \
    model:gpt-4o · status:failed · dur>2s, dur<=500ms · cost>=0.01 · words or a \"quoted \
    phrase\" in the name, input, output or error. Enter: next match, Shift+Enter: previous.";

/// Above this many steps typing waits for a pause before searching.
const DEBOUNCE_MIN_STEPS: usize = 5_000;

/// Collapse or expand every subtree of the step list at once (keys `[` and `]`).
#[component]
fn FoldAll(rows: Arc<Vec<StepRow>>) -> impl IntoView {
    let collapsed = crate::components::step_list::CollapsedSteps::from_context();
    view! {
        <span class="segmented" role="group" aria-label="Fold the steps">
            <button
                type="button"
                title="Collapse all ([)"
                data-testid="collapse-all"
                on:click=move |_| collapsed.set(stepwise_core::tree::parents(&rows).collect())
            >
                "Collapse all"
            </button>
            <button
                type="button"
                title="Expand all (])"
                data-testid="expand-all"
                on:click=move |_| collapsed.set(Default::default())
            >
                "Expand all"
            </button>
        </span>
    }
}

#[component]
pub fn SearchBar(trace: Arc<Trace>, rows: Arc<Vec<StepRow>>, search: StepSearch) -> impl IntoView {
    let fold_rows = rows.clone();
    let state = expect_context::<ViewState>();
    let typed = RwSignal::new(state.query.get_untracked().search.unwrap_or_default());
    // What this box last wrote to the URL: the URL catching up with typing must not
    // overwrite what was typed since.
    let committed = StoredValue::new(typed.get_untracked());
    // Back/forward or a link changes the query under the box: follow it.
    Effect::new(move |_| {
        let in_url = state.query.read().search.clone().unwrap_or_default();
        let ours = committed.with_value(|text| text.trim() == in_url.trim());
        if !ours && in_url.trim() != typed.get_untracked().trim() {
            committed.set_value(in_url.clone());
            typed.set(in_url);
        }
    });
    let delay_ms = if trace.steps.len() >= DEBOUNCE_MIN_STEPS {
        250.0
    } else {
        60.0
    };
    let commit = use_debounce_fn_with_arg(
        move |text: String| {
            committed.set_value(text.clone());
            state.set_search(&text);
        },
        delay_ms,
    );
    let step = {
        let trace = trace.clone();
        move |forward: bool| {
            let current_id = state
                .query
                .get_untracked()
                .selected_step()
                .map(str::to_string);
            let current = current_id.and_then(|id| trace.steps.iter().position(|s| s.id == id));
            let target = search
                .matches
                .with_untracked(|m| next_match(&rows, &m.in_order, current, forward));
            if let Some(index) = target {
                state.select(Some(Selection::Step(trace.steps[index].id.clone())));
            }
        }
    };
    let on_key = {
        let (step, commit) = (step.clone(), commit.clone());
        move |event: KeyboardEvent| match event.key().as_str() {
            "Enter" => {
                event.prevent_default();
                // Enter right after typing searches first, without waiting for the pause.
                let text = typed.get_untracked();
                committed.set_value(text.clone());
                state.set_search(&text);
                step(!event.shift_key());
            }
            "Escape" => {
                typed.set(String::new());
                commit(String::new());
            }
            _ => {}
        }
    };
    let status = {
        let trace = trace.clone();
        move || {
            let selected = state.query.read().selected_step().map(str::to_string);
            match search.parsed.get() {
                Err(message) => (true, message),
                Ok(None) => (false, String::new()),
                Ok(Some(_)) => search.matches.with(|m| {
                    let current = selected
                        .and_then(|id| trace.steps.iter().position(|s| s.id == id))
                        .filter(|&step| m.contains(step));
                    (
                        false,
                        match_count_text(m.in_order.len(), match_position(&m.in_order, current)),
                    )
                }),
            }
        }
    };
    let status = Memo::new(move |_| status());
    let has_matches = move || search.matches.with(|m| !m.in_order.is_empty());
    let (prev, next) = (step.clone(), step);
    let mode_button = move |filter: bool, text: &'static str| {
        view! {
            <button
                type="button"
                aria-pressed=move || (search.filter.get() == filter).to_string()
                data-testid=format!("search-{}", text.to_lowercase())
                on:click=move |_| state.set_search_filter(filter)
            >
                {text}
            </button>
        }
    };
    view! {
        <div class="step-search" role="search" data-testid="step-search">
            <input
                id=SEARCH_INPUT_ID
                type="search"
                placeholder=PLACEHOLDER
                title=SYNTAX_HELP
                aria-label="Search steps"
                aria-describedby="step-search-status"
                autocomplete="off"
                spellcheck="false"
                data-testid="search-input"
                prop:value=move || typed.get()
                on:input=move |event| {
                    let value = event_target_value(&event);
                    typed.set(value.clone());
                    commit(value);
                }
                on:keydown=on_key
            />
            <span
                id="step-search-status"
                class="search-status"
                class:error=move || status.get().0
                role="status"
                data-testid="search-status"
            >
                {move || status.get().1}
            </span>
            <span class="search-actions">
                <button
                    type="button"
                    title="Previous match (Shift+Enter)"
                    aria-label="Previous match"
                    data-testid="search-prev"
                    disabled=move || !has_matches()
                    on:click=move |_| prev(false)
                >
                    "↑"
                </button>
                <button
                    type="button"
                    title="Next match (Enter)"
                    aria-label="Next match"
                    data-testid="search-next"
                    disabled=move || !has_matches()
                    on:click=move |_| next(true)
                >
                    "↓"
                </button>
                <span class="segmented" role="group" aria-label="Show matches by">
                    {mode_button(false, "Highlight")}
                    {mode_button(true, "Filter")}
                </span>
                <FoldAll rows=fold_rows />
            </span>
        </div>
    }
}
