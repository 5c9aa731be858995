//! One block of the reader: who speaks, a link to its step, and what was said. Component layer: uses components, state, I/O and the core.

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::reader::text_view::TextView;
use crate::state::view::ViewState;
use stepwise_core::model::Trace;
use stepwise_core::reader::{Block, BlockKind, Text, ToolUse};
use stepwise_core::view_query::Selection;

/// A link that selects step `index`, so its details show beside the view.
#[component]
fn StepLink(trace: Arc<Trace>, index: usize, label: String) -> impl IntoView {
    let state = expect_context::<ViewState>();
    let id = trace
        .steps
        .get(index)
        .map(|step| step.id.clone())
        .unwrap_or_default();
    let selection = Some(Selection::Step(id.clone()));
    let href = state.href(
        &state
            .query
            .get_untracked()
            .with_selection(selection.clone()),
    );
    view! {
        <a
            class="reader-step-link"
            href=href
            data-step=id
            on:click=move |event| {
                // A plain click stays in the page; a modified one opens the link as usual.
                if !(event.ctrl_key() || event.meta_key() || event.shift_key()) {
                    event.prevent_default();
                    state.select(selection.clone());
                }
            }
        >
            {label}
        </a>
    }
}

/// `needle`: the find's query, lower-case. `current`: the block the find is on.
#[component]
pub fn BlockView(
    trace: Arc<Trace>,
    block: Block,
    index: usize,
    needle: Signal<String>,
    current: Signal<bool>,
    selected: Signal<bool>,
) -> impl IntoView {
    let text = {
        let trace = trace.clone();
        move |text: Text, mono: bool| view! { <TextView trace=trace.clone() text needle mono /> }
    };
    let who = block.who.clone().unwrap_or_else(|| "—".to_string());
    let link = |label: String| view! { <StepLink trace=trace.clone() index=block.step() label /> };
    let (head, body) = match block.kind.clone() {
        BlockKind::Ask { task, text: ask } => {
            let task = task.map(|task| view! { <span class="reader-task">{task}</span> });
            let body = ask.map_or_else(
                || {
                    view! { <p class="reader-none">"Nothing recorded of what was asked."</p> }
                        .into_any()
                },
                |ask| text(ask, false).into_any(),
            );
            (
                view! { <strong>{who}</strong>" was asked "{task}{link("step".into())}}.into_any(),
                body,
            )
        }
        BlockKind::Handoff {
            from,
            to,
            delegated,
        } => {
            let how = if delegated {
                " delegates to "
            } else {
                " hands over to "
            };
            let head =
                view! { <strong>{from}</strong>{how}<strong>{to}</strong>{link("step".into())} };
            (head.into_any(), ().into_any())
        }
        BlockKind::Reply {
            model,
            text: said,
            reasoning,
            error,
        } => {
            let model = model.map(|model| view! { <span class="reader-model">{model}</span> });
            let reasoning = reasoning.map(|reasoning| {
                // Opened while the find has a match inside, so the match can be seen.
                let open = {
                    let shown = reasoning.shown.to_lowercase();
                    move || {
                        let needle = needle.get();
                        !needle.is_empty() && shown.contains(&needle)
                    }
                };
                view! {
                    <details class="reader-reasoning" open=open>
                        <summary>"Reasoning"</summary>
                        {text(reasoning, false)}
                    </details>
                }
            });
            let said = said.map(|said| text(said, false));
            let error = error.map(|error| view! { <div class="reader-error-text" role="note">{text(error, false)}</div> });
            let head = view! { <strong>{who}</strong>" · model "{model}{link("step".into())} };
            (
                head.into_any(),
                view! { {reasoning}{said}{error} }.into_any(),
            )
        }
        BlockKind::Reasoning { text: thought } => {
            let body = view! {
                <details class="reader-reasoning">
                    <summary>"Reasoning"</summary>
                    {thought.map(|thought| text(thought, false))}
                </details>
            };
            (
                view! { <strong>{who}</strong>" thinks"{link("step".into())} }.into_any(),
                body.into_any(),
            )
        }
        BlockKind::Tools { calls } => {
            let count = calls.len();
            let head = if count > 1 {
                view! { <strong>{who}</strong>{format!(" calls {count} tools at once")} }.into_any()
            } else {
                view! { <strong>{who}</strong>" calls a tool" }.into_any()
            };
            let body = calls
                .into_iter()
                .map(|call| view! { <ToolCallView trace=trace.clone() call needle /> })
                .collect_view();
            (head, body.into_any())
        }
        BlockKind::Error {
            name,
            text: message,
        } => {
            let body = message.map(|message| text(message, false));
            (
                view! { <strong>"Error"</strong>" in "{name}{link("step".into())} }.into_any(),
                body.into_any(),
            )
        }
    };
    view! {
        <article
            class=format!("reader-block kind-{}", block.kind.key())
            class:failed=block.failed
            class:current=move || current.get()
            class:selected=move || selected.get()
            style=format!("--depth: {}", block.depth.min(6))
            data-block=index.to_string()
            data-testid="reader-block"
        >
            <div class="reader-head">{head}</div>
            {body}
        </article>
    }
}

/// One call: name and link, arguments, then its result (linked to the result step) or error.
#[component]
fn ToolCallView(trace: Arc<Trace>, call: ToolUse, needle: Signal<String>) -> impl IntoView {
    let text = {
        let trace = trace.clone();
        move |text: Text| view! { <TextView trace=trace.clone() text needle mono=true /> }
    };
    let arguments = call.arguments.map(&text);
    let result_link = call
        .result_step
        .map(|step| view! { <StepLink trace=trace.clone() index=step label="result step".to_string() /> });
    let result = call.result.map(|result| {
        view! {
            <div class="reader-result">
                <div class="reader-label">"← result"{result_link}</div>
                {text(result)}
            </div>
        }
    });
    let error = call
        .error
        .map(|error| view! { <div class="reader-error-text" role="note">{text(error)}</div> });
    view! {
        <div class="reader-call" data-testid="reader-call">
            <div class="reader-label">
                "→ "<code class="reader-tool">{call.name.clone()}</code>
                <StepLink trace=trace.clone() index=call.step label="step".to_string() />
            </div>
            {arguments}
            {result}
            {error}
        </div>
    }
}
