//! Text that marks the labels of a redacted copy (`[redacted: email #2]`) where they stand, so a preview shows every replaced value in place. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;

use stepwise_core::redact::label_parts;

/// `text` as text, its redaction labels in `<mark>`: the parts stay text nodes, so
/// nothing in a trace becomes markup.
pub fn marked(text: String) -> AnyView {
    // Nearly every text has no label: one text node, as before.
    if !text.contains("[redacted: ") {
        return text.into_any();
    }
    label_parts(&text)
        .into_iter()
        .map(|(part, label)| match label {
            true => view! { <mark class="redacted-label">{part.to_string()}</mark> }.into_any(),
            false => part.to_string().into_any(),
        })
        .collect_view()
        .into_any()
}
