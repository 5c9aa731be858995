//! A table cell for a sum with unknown parts: its value, and under it what is missing ("+ 2 calls unpriced", "unknown"), so a partial sum never reads as complete and an unknown never as 0. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;

use stepwise_core::metrics::UNKNOWN;

/// `lines` from `metrics::cost_tally_lines` / `count_tally_lines`; `note` is the hover;
/// `children` follow the value (a baseline mark).
#[component]
pub fn TallyCell(
    lines: (String, Option<String>),
    note: Option<String>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let (value, missing) = lines;
    // In a table "—" needs no second line: the hover says why.
    let missing = missing.filter(|_| value != UNKNOWN);
    let class = if missing.is_some() {
        "num tally-partial"
    } else {
        "num"
    };
    view! {
        <td class=class title=note>
            {value}
            {children.map(|children| children())}
            {missing.map(|missing| view! { <span class="cell-missing">{missing}</span> })}
        </td>
    }
}
