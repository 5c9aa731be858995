//! The Cost | Tokens switch and the totals line of the cross-trace pages. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;

use stepwise_core::metrics::{format_cost_tally, format_count_tally};
use stepwise_core::rollup::{RankBy, Totals};

/// Links to the dashboard ranked by each figure, the current one pressed: the choice lives
/// in the address like the rest of the view.
#[component]
pub fn RankSwitch(by: RankBy) -> impl IntoView {
    let option = move |value: RankBy, key: &'static str, text: &'static str| {
        let pressed = value == by;
        view! {
            <a
                class="rank-switch-option"
                class:active=pressed
                href=format!("?dashboard={key}")
                aria-current=pressed.then_some("page")
                data-testid=format!("rank-by-{key}")
            >
                {text}
            </a>
        }
    };
    view! {
        <nav class="rank-switch" aria-label="Rank by">
            {option(RankBy::CostUsd, "cost", "Cost")}
            {option(RankBy::Tokens, "tokens", "Tokens")}
        </nav>
    }
}

/// "3 traces · $0.42 · 12,345 tokens", as big figures.
#[component]
pub fn TotalsLine(totals: Totals, #[prop(default = "traces")] noun: &'static str) -> impl IntoView {
    view! {
        <div class="rollup-totals" data-testid="rollup-totals">
            <div class="figure">
                <span class="figure-label">{noun}</span>
                <span class="figure-value" data-testid="total-traces">{totals.traces}</span>
            </div>
            <div class="figure">
                <span class="figure-label">"cost"</span>
                <span class="figure-value" data-testid="total-cost">{format_cost_tally(&totals.cost_usd)}</span>
            </div>
            <div class="figure">
                <span class="figure-label">"tokens"</span>
                <span class="figure-value" data-testid="total-tokens">{format_count_tally(&totals.tokens)}</span>
            </div>
        </div>
    }
}
