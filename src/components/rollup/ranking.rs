//! A ranked list: each entry links somewhere, shows its figures, a bar as wide as its share and the traces it comes from. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;

/// A link to a trace an entry comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct FromTrace {
    pub label: String,
    pub href: String,
}

/// One entry, formatted: `view!` only lays it out.
#[derive(Clone, Debug, PartialEq)]
pub struct RankRow {
    pub label: String,
    pub href: String,
    /// A hint under the name ("3 calls", "12 steps · 1 error").
    pub detail: String,
    /// The figure ranked by, and the other one.
    pub figure: String,
    pub other: String,
    /// Width of the bar: the entry's share of the total, in percent.
    pub share_pct: f64,
    pub from: Vec<FromTrace>,
}

#[component]
pub fn RankingList(
    title: &'static str,
    testid: &'static str,
    rows: Vec<RankRow>,
    /// Shown when there is nothing to rank.
    empty: &'static str,
) -> impl IntoView {
    let body = if rows.is_empty() {
        view! { <p class="hint">{empty}</p> }.into_any()
    } else {
        let items = rows
            .into_iter()
            .enumerate()
            .map(|(index, row)| view! { <RankItem rank=index + 1 row /> })
            .collect_view();
        view! { <ol class="rank-list">{items}</ol> }.into_any()
    };
    view! {
        <section class="panel rollup-section" data-testid=testid>
            <h2>{title}</h2>
            {body}
        </section>
    }
}

#[component]
fn RankItem(rank: usize, row: RankRow) -> impl IntoView {
    let from = (!row.from.is_empty()).then(|| {
        let links = row
            .from
            .into_iter()
            .map(|trace| {
                view! { <a class="rank-from-link" href=trace.href>{trace.label}</a> }
            })
            .collect_view();
        view! { <span class="rank-from">"in " {links}</span> }
    });
    let detail =
        (!row.detail.is_empty()).then(|| view! { <span class="rank-detail">{row.detail}</span> });
    let share = format!("{:.0}%", row.share_pct);
    view! {
        <li class="rank-item" data-testid="rank-item">
            <span class="rank-number">{rank}</span>
            <div class="rank-main">
                <div class="rank-line">
                    <a class="rank-name" href=row.href data-testid="rank-link">{row.label}</a>
                    <span class="rank-figure" data-testid="rank-figure">{row.figure}</span>
                </div>
                <div class="rank-bar-track" title=format!("{share} of the total")>
                    <span class="rank-bar" style=format!("width: {:.1}%", row.share_pct)></span>
                </div>
                <div class="rank-line rank-sub">
                    {detail}
                    {from}
                    <span class="rank-other">{row.other} " · " {share}</span>
                </div>
            </div>
        </li>
    }
}
