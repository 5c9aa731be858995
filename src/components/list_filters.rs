//! The trace list's filters: name or id, status, and the service of a Jaeger API. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;

use stepwise_core::api::{ListFilter, ListStatus};

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
