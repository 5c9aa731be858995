//! The trace list's filters and table: newest first; every matching trace is listed, with only the rows in view in the DOM. Component layer: uses components, state, I/O and the core.

use leptos::html::Div;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};

use crate::components::virtual_scroll::{use_virtual_scroll, RowSpacer, VirtualRows};
use crate::state::source::{ApiTrace, TraceSource};
use crate::state::view::absolute;
use stepwise_core::api::{
    format_start_ns, visible_rows, ApiKind, ListFilter, ListPage, TraceListing,
};
use stepwise_core::metrics::{format_cost_usd, format_count, format_duration_ns, UNKNOWN};
use stepwise_core::virtual_list::RENDER_ALL_UP_TO;

// The filters moved to their own file; the trace list page still imports them from here.
pub use crate::components::list_filters::ListFilters;

/// Columns of the table, for the spacer rows.
const COLUMN_COUNT: usize = 6;

#[component]
pub fn TraceListTable(
    base: String,
    kind: ApiKind,
    page: ListPage,
    filter: RwSignal<ListFilter>,
) -> impl IntoView {
    let total = page.traces.len();
    let more = page.more;
    let traces = StoredValue::new(page.traces);
    // Every match: the table renders only the rows in view, so there is no cap to hit.
    let shown = Memo::new(move |_| {
        traces.with_value(|all| {
            let (rows, _) = visible_rows(all, &filter.read(), usize::MAX);
            rows.into_iter().cloned().collect::<Vec<_>>()
        })
    });
    let count = Signal::derive(move || shown.read().len());
    let container = NodeRef::<Div>::new();
    let scroll = use_virtual_scroll(
        container,
        count,
        VirtualRows {
            default_row_px: 52.0,
            row_selector: "tbody tr:not(.spacer)",
            header_selector: Some("thead"),
        },
    );
    let window = scroll.window;
    // A new filter shows its matches from the newest, not wherever the last list was.
    Effect::new(move |previous: Option<()>| {
        filter.track();
        if previous.is_some() {
            scroll.reveal.run(0);
        }
    });
    // Long lists scroll inside a fixed height, with fixed-height rows (style/main.css).
    let is_virtual = move || count.get() > RENDER_ALL_UP_TO;
    let in_window = move || {
        let window = window.get();
        shown.with(|rows| {
            let rows = rows.get(window.start..window.end).unwrap_or_default();
            (window.start..)
                .zip(rows.iter().cloned())
                .collect::<Vec<_>>()
        })
    };
    let navigate = use_navigate();
    let location = use_location();
    let open = Callback::new(move |href: String| {
        navigate(
            &absolute(&format!("{}{href}", location.pathname.get_untracked())),
            Default::default(),
        );
    });
    let href_of = move |id: &str| {
        TraceSource::Api(ApiTrace {
            base: base.clone(),
            kind,
            id: id.to_string(),
        })
        .query_string()
    };
    view! {
        <p class="list-count hint" aria-live="polite">
            {move || {
                let mut text = format!("{} of {total} traces", count.get());
                if more {
                    text.push_str(" · the API holds more than this first page");
                }
                text
            }}
        </p>
        <div
            class="panel table-scroll"
            class:virtual=is_virtual
            node_ref=container
        >
            <table class="tasks trace-list" aria-rowcount=move || count.get() + 1>
                <thead>
                    <tr aria-rowindex="1">
                        <th>"Name"</th>
                        <th>"Status"</th>
                        <th>"Started"</th>
                        <th class="num">"Duration"</th>
                        <th class="num">"Tokens"</th>
                        <th class="num">"Cost"</th>
                    </tr>
                </thead>
                <tbody>
                    <RowSpacer height_px=Signal::derive(move || window.get().before_px) columns=COLUMN_COUNT />
                    <For
                        each=in_window
                        key=|(position, trace)| (*position, trace.id.clone())
                        let:((position, trace))
                    >
                        <Row href=href_of(&trace.id) trace position open />
                    </For>
                    <RowSpacer height_px=Signal::derive(move || window.get().after_px) columns=COLUMN_COUNT />
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn Row(
    trace: TraceListing,
    href: String,
    position: usize,
    open: Callback<String>,
) -> impl IntoView {
    let status = trace.status.key();
    let row_href = href.clone();
    view! {
        <tr
            data-id=trace.id.clone()
            aria-rowindex=position + 2
            on:click=move |_| open.run(row_href.clone())
        >
            <th class="task-name" scope="row">
                // The link opens the trace by keyboard too; the row click covers the rest.
                <a href=href on:click=|ev| ev.stop_propagation()>{trace.name.clone()}</a>
                <span class="trace-id">{trace.id.clone()}</span>
            </th>
            <td><span class=format!("status status-{status}")>{status}</span></td>
            <td class="started">{format_start_ns(trace.start_ns)}</td>
            <td class="num">{trace.duration_ns.map(format_duration_ns)}</td>
            <td class="num">{trace.total_tokens.map_or_else(|| UNKNOWN.to_string(), format_count)}</td>
            <td class="num">{trace.cost_usd.map_or_else(|| UNKNOWN.to_string(), format_cost_usd)}</td>
        </tr>
    }
}
