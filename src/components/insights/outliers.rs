//! Slow outliers card: calls far slower than the other calls of the same tool or model. Component layer: uses components, state, I/O and the core.

use std::sync::Arc;

use leptos::prelude::*;

use super::links::{more_line, Finding, StepLink};
use super::Card;
use stepwise_core::insights::text::outlier_figure;
use stepwise_core::insights::Insights;
use stepwise_core::metrics::format_duration_ns;
use stepwise_core::model::Trace;

const SHOWN: usize = 5;

#[component]
pub fn OutliersCard(trace: Arc<Trace>, insights: Arc<Insights>) -> impl IntoView {
    let outliers = &insights.slow_outliers;
    let rows = outliers
        .iter()
        .take(SHOWN)
        .map(|outlier| {
            let figure = format!(
                "{} · {}",
                format_duration_ns(outlier.duration_ns),
                outlier_figure(outlier)
            );
            let (trace, step) = (trace.clone(), outlier.step);
            view! { <Finding figure><StepLink trace step /></Finding> }
        })
        .collect_view();
    let (count, is_empty) = (outliers.len(), outliers.is_empty());
    view! {
        <Card title="Slow outliers" testid="insights-outliers" empty="No slow outliers." is_empty>
            <ul class="insight-list">{rows}</ul>
            {more_line(count, SHOWN)}
        </Card>
    }
}
