//! The line diff of the chosen pair's input or output, added lines green and removed lines red, drawn as text (trace text is untrusted). Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;

use crate::components::compare::state::{CompareState, PairId};
use stepwise_core::compare::{diff_step_pair, diff_task_pair, Field, LineTag, TextDiff};

#[component]
pub fn DiffPanel(state: CompareState) -> impl IntoView {
    let chosen = state.chosen;
    let field = RwSignal::new(Field::Output);
    // A newly chosen pair opens on the field that changed (the output when both did).
    Effect::new({
        let state = state.clone();
        move |_| {
            if let Some(id) = chosen.get() {
                let changes = changes_of(&state, id);
                if changes.is_some_and(|(input, output)| input && !output) {
                    field.set(Field::Input);
                } else {
                    field.set(Field::Output);
                }
            }
        }
    });
    let diff = Memo::new({
        let state = state.clone();
        move |_| chosen.get().map(|id| diff_of(&state, id, field.get()))
    });
    let title = {
        let state = state.clone();
        move || chosen.get().map(|id| title_of(&state, id))
    };
    let field_button = move |which: Field, text: &'static str| {
        view! {
            <button
                type="button"
                class="header-button"
                aria-pressed=move || (field.get() == which).to_string()
                data-testid=format!("diff-{}", text.to_lowercase())
                on:click=move |_| field.set(which)
            >
                {text}
            </button>
        }
    };
    view! {
        <section class="panel compare-diff" aria-labelledby="diff-heading" data-testid="compare-diff">
            <div class="panel-head">
                <h2 id="diff-heading">"Diff"</h2>
                <span class="segmented" role="group" aria-label="Which text">
                    {field_button(Field::Input, "Input")}
                    {field_button(Field::Output, "Output")}
                </span>
            </div>
            {move || match diff.get() {
                None => view! {
                    <p class="hint">"Choose a row to see how its input or output changed from A to B."</p>
                }
                .into_any(),
                Some(diff) => view! {
                    <h3 class="diff-title">{title()}</h3>
                    <DiffLines diff />
                }
                .into_any(),
            }}
        </section>
    }
}

#[component]
fn DiffLines(diff: TextDiff) -> impl IntoView {
    if diff.hunks.iter().all(|hunk| hunk.tag == LineTag::Equal) {
        let note = if diff.hunks.is_empty() {
            "Neither side has this text."
        } else {
            "No change."
        };
        return view! { <p class="hint" data-testid="diff-same">{note}</p> }.into_any();
    }
    let truncated = diff.truncated.then(|| {
        view! { <p class="hint">"Long texts: only their beginnings were compared."</p> }
    });
    let lines = diff
        .hunks
        .into_iter()
        .flat_map(|hunk| {
            let (class, prefix) = match hunk.tag {
                LineTag::Equal => ("diff-line same", "  "),
                LineTag::Insert => ("diff-line added", "+ "),
                LineTag::Delete => ("diff-line removed", "− "),
            };
            hunk.lines
                .into_iter()
                .map(move |line| view! { <span class=class>{format!("{prefix}{line}\n")}</span> })
        })
        .collect_view();
    view! {
        {truncated}
        <pre class="diff" data-testid="diff-lines">{lines}</pre>
    }
    .into_any()
}

fn diff_of(state: &CompareState, id: PairId, field: Field) -> TextDiff {
    let (a, b) = (&state.a, &state.b);
    match (id.group, id.step) {
        (Some(group), None) => state
            .comparison
            .tasks
            .get(group)
            .map(|pair| diff_task_pair(a, b, pair, field))
            .unwrap_or_default(),
        (group, Some(step)) => steps_of(state, group)
            .and_then(|steps| steps.get(step))
            .map(|pair| diff_step_pair(a, b, pair, field))
            .unwrap_or_default(),
        (None, None) => TextDiff::default(),
    }
}

fn steps_of(
    state: &CompareState,
    group: Option<usize>,
) -> Option<&Vec<stepwise_core::compare::StepPair>> {
    match group {
        Some(index) => state.comparison.tasks.get(index).map(|pair| &pair.steps),
        None => Some(&state.comparison.untasked_steps),
    }
}

/// Whether the pair's input and output changed.
fn changes_of(state: &CompareState, id: PairId) -> Option<(bool, bool)> {
    let changes = match id.step {
        None => id
            .group
            .and_then(|group| state.comparison.tasks.get(group))
            .map(|pair| pair.changes),
        Some(step) => steps_of(state, id.group)
            .and_then(|steps| steps.get(step))
            .map(|pair| pair.changes),
    }?;
    Some((changes.input, changes.output))
}

fn title_of(state: &CompareState, id: PairId) -> String {
    let name = match (id.group, id.step) {
        (Some(group), None) => state.comparison.tasks.get(group).and_then(|pair| {
            pair.a
                .and_then(|i| state.a.tasks.get(i))
                .or_else(|| pair.b.and_then(|i| state.b.tasks.get(i)))
                .map(|task| format!("Task: {}", task.name))
        }),
        (group, Some(step)) => steps_of(state, group)
            .and_then(|steps| steps.get(step))
            .and_then(|pair| {
                pair.a
                    .and_then(|i| state.a.steps.get(i))
                    .or_else(|| pair.b.and_then(|i| state.b.steps.get(i)))
                    .map(|s| format!("{}: {}", s.kind.label(), s.name))
            }),
        (None, None) => None,
    };
    name.unwrap_or_default()
}
