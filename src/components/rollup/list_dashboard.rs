//! "Cost dashboard" on an API's trace list: its rows carry only each trace's summary figures, so this ranks the listed traces by cost or tokens. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;

use crate::components::rollup::ranking::{RankRow, RankingList};
use crate::components::rollup::totals::TotalsLine;
use crate::state::source::{ApiTrace, TraceSource};
use stepwise_core::api::{ApiKind, TraceListing};
use stepwise_core::metrics::{format_cost_usd, format_count};
use stepwise_core::rollup::{listing_totals, share_percent, top_listings, total_of, RankBy};

const TOP_N: usize = 10;

#[component]
pub fn ListDashboard(base: String, kind: ApiKind, traces: Vec<TraceListing>) -> impl IntoView {
    let by = RwSignal::new(RankBy::CostUsd);
    let traces = StoredValue::new(traces);
    let rows = move || {
        let by = by.get();
        traces.with_value(|all| {
            let whole = total_of(&listing_totals(all), by);
            top_listings(all, by, TOP_N)
                .into_iter()
                .map(|listing| {
                    let (tokens, cost_usd) = (listing.total_tokens, listing.cost_usd);
                    let tokens_text = tokens.map(|t| format!("{} tokens", format_count(t)));
                    let cost_text = cost_usd.map(format_cost_usd);
                    let (figure, other, part) = match by {
                        RankBy::CostUsd => (cost_text, tokens_text, cost_usd.unwrap_or(0.0)),
                        RankBy::Tokens => (tokens_text, cost_text, tokens.unwrap_or(0) as f64),
                    };
                    RankRow {
                        label: listing.name.clone(),
                        href: TraceSource::Api(ApiTrace {
                            base: base.clone(),
                            kind,
                            id: listing.id.clone(),
                        })
                        .query_string(),
                        detail: listing.status.key().to_string(),
                        figure: figure.unwrap_or_default(),
                        other: other.unwrap_or_else(|| "—".to_string()),
                        share_pct: share_percent(part, whole),
                        from: Vec::new(),
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    let sum = traces.with_value(|all| listing_totals(all));
    let switch = move |value: RankBy, text: &'static str| {
        view! {
            <button
                type="button"
                class="rank-switch-option"
                class:active=move || by.get() == value
                aria-pressed=move || (by.get() == value).to_string()
                on:click=move |_| by.set(value)
            >
                {text}
            </button>
        }
    };
    view! {
        <details class="panel list-dashboard" data-testid="list-dashboard">
            <summary>"Cost dashboard"</summary>
            <div class="rollup-top">
                <TotalsLine totals=sum noun="listed" />
                <div class="rank-switch" role="group" aria-label="Rank by">
                    {switch(RankBy::CostUsd, "Cost")}
                    {switch(RankBy::Tokens, "Tokens")}
                </div>
            </div>
            <p class="hint rollup-note">
                "The API lists each trace's totals only: these are its traces ranked by them. \
                 Open traces to see their top tasks, agents and models on the dashboard."
            </p>
            {move || view! {
                <RankingList
                    title="Top traces"
                    testid="top-traces"
                    rows=rows()
                    empty="The API gave no figure for these traces."
                />
            }}
        </details>
    }
}
