//! The HTML around the timeline canvas: legend, zoom controls and the hover tooltip. Component layer: uses components, state, I/O and the core.

use std::sync::Arc;

use leptos::prelude::*;

use super::chart::Chart;
use stepwise_core::metrics::format_duration_ns;
use stepwise_core::timeline::colours::{
    chrome, critical_path_colour, legend, search_match_colour, Theme,
};
use stepwise_core::timeline::cull::Mark;
use stepwise_core::timeline::minimap::range_window;
use stepwise_core::timeline::text::{group_tooltip, place_tooltip, tooltip, window_caption};

/// Estimated tooltip width for placement; CSS caps it at this.
const TOOLTIP_WIDTH_PX: f64 = 280.0;

/// Legend on the left, zoom controls on the right.
#[component]
pub fn Toolbar(
    chart: Chart,
    theme: Memo<Theme>,
    /// The critical path's bars while it is shown: adds its legend entry.
    path_bars: Memo<Arc<Vec<usize>>>,
    /// The search's matches while a query is set: adds their legend entry and count.
    match_bars: Memo<Arc<Vec<usize>>>,
    /// The critical path's switch, when the page offers one.
    show_path: Option<RwSignal<bool>>,
) -> impl IntoView {
    let legend = chart.layout.with_value(|layout| legend(layout));
    let caption = move || {
        let window = chart.window.get();
        chart
            .layout
            .with_value(|layout| window_caption(layout, window))
    };
    let zoomed = move || caption().is_some();
    let swatches = legend
        .swatches
        .into_iter()
        .map(|swatch| {
            let colour = move || swatch.colours(theme.get()).0.css();
            view! {
                <li class="legend-item">
                    <span class="legend-swatch" style:background=colour></span>
                    {swatch.label()}
                </li>
            }
        })
        .collect_view();
    let error_fill = move || chrome(theme.get()).error_fill.css();
    let error_edge = move || chrome(theme.get()).error_outline.css();
    let path_colour = move || critical_path_colour(theme.get()).css();
    let match_colour = move || search_match_colour(theme.get()).css();
    let path_toggle = show_path.map(|show_path| {
        view! {
            <button type="button" class="timeline-button timeline-path" data-testid="timeline-critical-path"
                title="Mark the steps that decided the run's duration"
                aria-pressed=move || show_path.get().to_string()
                on:click=move |_| show_path.update(|shown| *shown = !*shown)>"Critical path"</button>
        }
    });
    view! {
        <div class="timeline-toolbar">
            <ul class="timeline-legend" aria-label="Colours by step kind">
                {swatches}
                {legend.failed.then(|| view! {
                    <li class="legend-item">
                        <span class="legend-swatch" style:background=error_fill style:border-color=error_edge></span>
                        "error"
                    </li>
                })}
                {move || path_bars.with(|bars| !bars.is_empty()).then(|| view! {
                    <li class="legend-item">
                        <span class="legend-swatch legend-path" style:background=path_colour></span>
                        "critical path"
                    </li>
                })}
                {move || match_bars.with(|bars| {
                    let count = bars.len();
                    (count > 0).then(|| view! {
                        <li class="legend-item" data-testid="legend-search-matches">
                            <span class="legend-swatch legend-path" style:background=match_colour></span>
                            {format!("search match{}", if count == 1 { "" } else { "es" })}
                        </li>
                    })
                })}
                {legend.running.then(|| view! {
                    <li class="legend-item">
                        <span class="legend-swatch legend-running"></span>
                        "running"
                    </li>
                })}
            </ul>
            <div class="timeline-controls">
                {path_toggle}
                <span class="timeline-caption" aria-live="polite">
                    {move || caption().unwrap_or_else(|| "Wheel to zoom · drag to pan · Shift+drag to zoom to a range".to_string())}
                </span>
                <button type="button" class="timeline-button" title="Zoom out (−)" aria-label="Zoom out"
                    on:click=move |_| chart.zoom_middle(1.5)>"−"</button>
                <button type="button" class="timeline-button" title="Zoom in (+)" aria-label="Zoom in"
                    on:click=move |_| chart.zoom_middle(1.0 / 1.5)>"+"</button>
                <button type="button" class="timeline-button timeline-reset" title="Show the whole run (0)"
                    disabled=move || !zoomed() on:click=move |_| chart.reset()>"Reset"</button>
            </div>
        </div>
    }
}

/// Name, kind, duration, tokens and cost of the bar under the pointer, as text.
#[component]
pub fn Tooltip(chart: Chart) -> impl IntoView {
    let content = Memo::new(move |_| {
        let mark = chart.hovered.get()?;
        if chart.drag.with(|drag| drag.is_some_and(|drag| drag.moved)) {
            return None;
        }
        chart.trace.with_value(|trace| {
            chart.layout.with_value(|layout| match mark {
                Mark::Bar(bar) => layout.bars.get(bar).map(|bar| tooltip(trace, bar)),
                Mark::Group(group) => Some(group_tooltip(layout, &group)),
            })
        })
    });
    // Only the position follows the pointer; the text changes when the bar does.
    let place = Memo::new(move |_| {
        place_tooltip(
            chart.pointer_px.get(),
            chart.width_px.get(),
            TOOLTIP_WIDTH_PX,
        )
    });
    view! {
        <div class="timeline-tooltip" role="tooltip" hidden=move || content.with(Option::is_none)
            style:left=move || format!("{}px", place.get().0)
            style:top=move || format!("{}px", place.get().1)>
            {move || content.get().map(|tip| view! {
                <strong class="tooltip-title">{tip.title}</strong>
                {tip.lines.into_iter().map(|line| view! { <span class="tooltip-line">{line}</span> }).collect_view()}
            })}
        </div>
    }
}

/// The band of the range being picked (Shift+drag, or a drag along the axis), with how
/// long it is.
#[component]
pub fn RangeBand(chart: Chart) -> impl IntoView {
    let range = move || chart.range_px.get().filter(|(x0, x1)| x0 != x1);
    let span = move || {
        let (x0, x1) = range()?;
        let (frame, scale) = (chart.frame(), chart.scale());
        let plot = (x0 - frame.gutter_px, x1 - frame.gutter_px);
        let window = range_window(&scale, plot, chart.limit())?;
        Some(format_duration_ns(window.1 - window.0))
    };
    view! {
        <div class="timeline-range" data-testid="timeline-range" aria-hidden="true"
            hidden=move || range().is_none()
            style:left=move || range().map(|(x0, x1)| format!("{}px", x0.min(x1))).unwrap_or_default()
            style:width=move || range().map(|(x0, x1)| format!("{}px", (x1 - x0).abs())).unwrap_or_default()
            style:height=move || format!("{}px", chart.height_px())>
            <span class="timeline-range-label">{span}</span>
        </div>
    }
}
