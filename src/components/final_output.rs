//! What the run produced. (Stub: markdown rendering comes in a later change.)

use std::sync::Arc;

use leptos::prelude::*;

use crate::model::{value_as_text, Trace};

#[component]
pub fn FinalOutput(trace: Arc<Trace>) -> impl IntoView {
    let text = trace.final_output.as_ref().map(value_as_text);
    view! {
        <section class="panel final-output" aria-labelledby="output-heading">
            <h2 id="output-heading">"Final output"</h2>
            {match text {
                Some(text) => view! { <pre class="value">{text}</pre> }.into_any(),
                None => view! { <p class="hint">"This run recorded no final output."</p> }.into_any(),
            }}
        </section>
    }
}
