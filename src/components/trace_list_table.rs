//! The trace list's filters and table: newest first, the first rows only. UI layer.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};

use crate::api::{
    format_start_ns, visible_rows, ApiKind, ListFilter, ListPage, ListStatus, TraceListing,
    MAX_ROWS,
};
use crate::metrics::{format_cost_usd, format_count, format_duration_ns};
use crate::routes::trace::absolute;
use crate::source::{ApiTrace, TraceSource};

#[component]
pub fn ListFilters(
    filter: RwSignal<ListFilter>,
    service_names: Signal<Vec<String>>,
    service: Signal<Option<String>>,
    on_service: Callback<String>,
) -> impl IntoView {
    view! {
        <div class="list-filters" role="search">
            <label class="api-field">
                <span>"Name"</span>
                <input
                    type="search"
                    name="filter-name"
                    placeholder="Filter by name or id"
                    prop:value=move || filter.read().text.clone()
                    on:input=move |ev| filter.update(|f| f.text = event_target_value(&ev))
                />
            </label>
            <label class="api-field">
                <span>"Status"</span>
                <select
                    name="filter-status"
                    on:change=move |ev| {
                        filter.update(|f| f.status = ListStatus::from_key(&event_target_value(&ev)))
                    }
                >
                    <option value="">"Any"</option>
                    {ListStatus::ALL
                        .into_iter()
                        .map(|s| view! { <option value=s.key()>{s.key()}</option> })
                        .collect_view()}
                </select>
            </label>
            <Show when=move || !service_names.read().is_empty()>
                <label class="api-field">
                    <span>"Service"</span>
                    <select name="service" on:change=move |ev| on_service.run(event_target_value(&ev))>
                        {move || {
                            service_names
                                .get()
                                .into_iter()
                                .map(|name| {
                                    let selected = service.get().as_deref() == Some(name.as_str());
                                    view! { <option value=name.clone() selected=selected>{name.clone()}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
            </Show>
        </div>
    }
}

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
    let shown = Memo::new(move |_| {
        traces.with_value(|all| {
            let (rows, hidden) = visible_rows(all, &filter.read(), MAX_ROWS);
            (rows.into_iter().cloned().collect::<Vec<_>>(), hidden)
        })
    });
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
                let (rows, hidden) = shown.get();
                let matching = rows.len() + hidden;
                let mut text = format!("{matching} of {total} traces");
                if hidden > 0 {
                    text.push_str(&format!(" · showing the newest {}; {hidden} more match, narrow the filter to see them", rows.len()));
                }
                if more {
                    text.push_str(" · the API holds more than this first page");
                }
                text
            }}
        </p>
        <div class="panel table-scroll">
            <table class="tasks trace-list">
                <thead>
                    <tr>
                        <th>"Name"</th>
                        <th>"Status"</th>
                        <th>"Started"</th>
                        <th class="num">"Duration"</th>
                        <th class="num">"Tokens"</th>
                        <th class="num">"Cost"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let href_of = href_of.clone();
                        shown.get().0.into_iter().map(move |trace| {
                            let href = href_of(&trace.id);
                            view! { <Row trace href open /> }
                        }).collect_view()
                    }}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn Row(trace: TraceListing, href: String, open: Callback<String>) -> impl IntoView {
    let status = trace.status.key();
    let row_href = href.clone();
    view! {
        <tr data-id=trace.id.clone() on:click=move |_| open.run(row_href.clone())>
            <th class="task-name" scope="row">
                // The link opens the trace by keyboard too; the row click covers the rest.
                <a href=href on:click=|ev| ev.stop_propagation()>{trace.name.clone()}</a>
                <span class="trace-id">{trace.id.clone()}</span>
            </th>
            <td><span class=format!("status status-{status}")>{status}</span></td>
            <td class="started">{format_start_ns(trace.start_ns)}</td>
            <td class="num">{trace.duration_ns.map(format_duration_ns)}</td>
            <td class="num">{trace.total_tokens.map(format_count)}</td>
            <td class="num">{trace.cost_usd.map(format_cost_usd)}</td>
        </tr>
    }
}
