//! Recently opened traces: remembered when shown, listed on the home page. Component layer: uses components, state, I/O and the core.
//!
//! Names and figures go to local storage; the bytes of a file go to the Cache API so it
//! can be reopened after a reload. Both stay in this browser: nothing is uploaded.

mod entry;

use codee::string::FromToStringCodec;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_use_storage::use_local_storage;

use crate::io::cache;
use crate::state::source::TraceSource;
use crate::state::view::{Current, ViewState};
use entry::RecentRow;
use stepwise_core::conversation::group_by_conversation;
use stepwise_core::recent::STORAGE_KEY;
use stepwise_core::recent::{add, forget, from_json, to_json, RecentEntry, RecentSource};

/// The stored list, read tolerantly, and a way to replace it.
fn use_recent() -> (Memo<Vec<RecentEntry>>, Callback<Vec<RecentEntry>>) {
    let (stored, set_stored, _) = use_local_storage::<String, FromToStringCodec>(STORAGE_KEY);
    let list = Memo::new(move |_| from_json(&stored.read()));
    (
        list,
        Callback::new(move |list: Vec<RecentEntry>| set_stored.set(to_json(&list))),
    )
}

/// The stored list as it is now, read once. For readers that never write it (the
/// baselines): a second storage hook on the same key can write its stale value back over
/// the list `RememberRecent` has just stored.
pub fn recent_snapshot() -> Vec<RecentEntry> {
    window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten())
        .map(|stored| from_json(&stored))
        .unwrap_or_default()
}

/// Remembers the trace on show (names and summary in local storage, a file's bytes in the
/// cache). Renders nothing.
#[component]
pub fn RememberRecent() -> impl IntoView {
    let (Some(current), Some(state)) = (use_context::<Current>(), use_context::<ViewState>())
    else {
        return;
    };
    // An embedding page's traces belong to that page, not to this browser's history.
    if state.query.get_untracked().kept("embed").is_some() {
        return;
    }
    // A shared page's trace lives in its file, which is its own history.
    if current.source == TraceSource::Shared {
        return;
    }
    let kind = current.source.recent_kind();
    let loaded = current.loaded;
    let entry = RecentEntry::new(
        &loaded.trace,
        &loaded.file_name,
        (&loaded.original.content_id, loaded.original.size_bytes),
        RecentSource {
            kind,
            query: current.source.query_string(),
        },
        js_sys::Date::now() as i64,
    );
    let (list, set_list) = use_recent();
    let mut next = list.get_untracked();
    let cache_id = entry.cache_id().map(str::to_string);
    let unused = add(&mut next, entry);
    set_list.run(next);
    spawn_local(async move {
        if let Some(id) = cache_id {
            // Without the cache the trace is still listed; reopening it then says so.
            if let Some(input) = loaded.original.blob() {
                let _ = cache::store(&id, &input).await;
            }
        }
        cache::delete(unused).await;
    });
}

/// The recent traces of this browser, to reopen or forget.
/// The traces of one conversation (`gen_ai.conversation.id`), gathered under its id.
#[component]
fn ConversationGroup(id: String, count: usize, rows: AnyView) -> impl IntoView {
    view! {
        <li class="recent-conversation" data-testid="recent-conversation">
            <div class="conversation-head" title="Traces that share gen_ai.conversation.id">
                {format!("Conversation {id} · {count} traces")}
            </div>
            <ul class="recent-list">{rows}</ul>
        </li>
    }
}

#[component]
pub fn RecentList() -> impl IntoView {
    let (list, set_list) = use_recent();
    let now_ms = js_sys::Date::now() as i64;
    let on_forget = Callback::new(move |key: String| {
        let mut next = list.get_untracked();
        let unused = forget(&mut next, &key);
        set_list.run(next);
        spawn_local(cache::delete(unused));
    });
    let forget_all = move |_| {
        set_list.run(Vec::new());
        spawn_local(cache::clear());
    };
    view! {
        <section class="panel recent" aria-labelledby="recent-heading" data-testid="recent">
            <div class="panel-head">
                <h2 id="recent-heading">"Recent traces"</h2>
                <Show when=move || !list.read().is_empty()>
                    <button
                        type="button"
                        class="panel-toggle"
                        data-testid="recent-forget-all"
                        title="Forget every recent trace and the file copies kept in this browser"
                        on:click=forget_all
                    >
                        "Forget all"
                    </button>
                </Show>
            </div>
            <Show
                when=move || !list.read().is_empty()
                fallback=|| {
                    view! {
                        <p class="hint recent-empty">
                            "Traces you open are listed here. Their names and figures, and the \
                             files themselves, are kept in this browser only."
                        </p>
                    }
                }
            >
                <ul class="recent-list">
                    {move || {
                        let entries = list.get();
                        group_by_conversation(entries.iter().map(|e| e.conversation_id.as_deref()))
                            .into_iter()
                            .map(|group| {
                                let rows = group
                                    .items
                                    .iter()
                                    .filter_map(|&index| entries.get(index).cloned())
                                    .map(|entry| view! { <RecentRow entry now_ms on_forget /> })
                                    .collect_view();
                                match group.conversation.filter(|_| group.items.len() > 1) {
                                    Some(id) => view! { <ConversationGroup id count=group.items.len() rows=rows.into_any() /> }.into_any(),
                                    None => rows.into_any(),
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </Show>
        </section>
    }
}
