//! The compare page: two traces of this tab side by side, task by task, with the first divergence and line diffs of prompts and outputs. Route layer: uses routes, components, state, I/O and the core.

use leptos::prelude::*;

use crate::components::compare::header::CompareHeader;
use crate::components::compare::view::CompareView;
use crate::components::load_state::LoadingView;
use crate::components::open_file::OpenAsBButton;
use crate::io::stream::Progress;
use crate::state::open::Opener;
use crate::state::source::TraceSource;
use crate::state::traces::LoadedTrace;

#[component]
pub fn ComparePage(a: TraceSource, b: Option<TraceSource>) -> impl IntoView {
    let opener = Opener::from_context();
    // `Page::from_query` builds sources only from trace parameters, so both have one.
    let a_param = a.trace_param().unwrap_or_default();
    let b_param = b.as_ref().and_then(TraceSource::trace_param);
    let loaded = LocalResource::new(move || {
        let (a, b) = (a.clone(), b.clone());
        async move {
            let a = opener.open_simply(a).await;
            let b = match b {
                Some(b) => Some(opener.open_simply(b).await),
                None => None,
            };
            (a, b)
        }
    });
    let progress = Progress::new();
    view! {
        <div class="compare-page" data-testid="compare-page">
            <CompareHeader a=a_param.clone() b=b_param.clone() />
            <Transition fallback=move || view! { <LoadingView progress /> }>
                {move || loaded.get().map(|(a, b)| body(a, b, a_param.clone()))}
            </Transition>
        </div>
    }
}

fn body(
    a: Result<LoadedTrace, String>,
    b: Option<Result<LoadedTrace, String>>,
    a_param: String,
) -> AnyView {
    match (a, b) {
        (Err(message), _) | (_, Some(Err(message))) => {
            view! { <MissingTrace message /> }.into_any()
        }
        (Ok(_), None) => view! { <PickB a=a_param /> }.into_any(),
        (Ok(a), Some(Ok(b))) => view! { <CompareView a=a.trace b=b.trace /> }.into_any(),
    }
}

/// No B yet: pick one of this tab's traces above, or open a file as B here; or go back.
#[component]
fn PickB(a: String) -> impl IntoView {
    let back = TraceSource::from_trace_param(&a)
        .ok()
        .map(|source| source.query_string());
    view! {
        <div class="notice compare-pick" data-testid="compare-pick">
            <p>
                "Pick the trace to compare with in B above: the demo and the traces opened in \
                 this tab are listed. Or open a file as B:"
            </p>
            <p class="compare-pick-actions">
                <OpenAsBButton a=a.clone() />
                {back.map(|href| view! {
                    <a class="header-button" href=href data-testid="compare-back">"← Back to the trace"</a>
                })}
            </p>
            <p class="hint">"Recent traces on the start page open again with one click."</p>
        </div>
    }
}

/// A trace of the address that this tab no longer has (after a reload, say).
#[component]
fn MissingTrace(message: String) -> impl IntoView {
    view! {
        <div class="notice error" role="alert" data-testid="compare-missing">
            <p>{message}</p>
            <p>
                <a href="./" data-testid="compare-home">"← Back to the start page"</a>
                " to open it again, then compare."
            </p>
        </div>
    }
}
