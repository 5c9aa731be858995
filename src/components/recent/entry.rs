//! One recent trace: its figures, Open and Forget. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_location, use_navigate};

use crate::io::cache;
use crate::io::stream::Progress;
use crate::state::open::Opener;
use crate::state::view::absolute;
use stepwise_core::format::format_bytes;
use stepwise_core::metrics::{
    format_cost_usd, format_count, format_count_opt, format_duration_ns, UNKNOWN,
};
use stepwise_core::recent::{format_opened_at, RecentEntry, SourceKind};

/// The figures line: "Stepwise trace · 30 steps · 31,367 tokens · $0.06 (est.) · 2 min 01 s".
fn figures(entry: &RecentEntry) -> String {
    let mut parts = vec![
        entry.format.clone(),
        format!("{} steps", format_count(entry.steps as u64)),
        format!(
            "{} tokens{}",
            format_count_opt(entry.total_tokens),
            if entry.tokens_partial {
                " (partial)"
            } else {
                ""
            }
        ),
        format!(
            "{}{}{}",
            entry
                .cost_usd
                .map_or_else(|| format!("{UNKNOWN} cost"), format_cost_usd),
            if entry.cost_estimated { " (est.)" } else { "" },
            if entry.cost_partial { " (partial)" } else { "" }
        ),
    ];
    if let Some(duration_ns) = entry.duration_ns {
        parts.push(format_duration_ns(duration_ns));
    }
    parts.retain(|part| !part.is_empty());
    parts.join(" · ")
}

/// Where the trace came from, for people.
fn origin(entry: &RecentEntry) -> &'static str {
    match entry.source.kind {
        SourceKind::File => "file",
        SourceKind::Url => "URL",
        SourceKind::Api => "API",
        SourceKind::Demo => "demo",
    }
}

#[component]
pub fn RecentRow(entry: RecentEntry, now_ms: i64, on_forget: Callback<String>) -> impl IntoView {
    let opener = Opener::from_context();
    let navigate = use_navigate();
    let location = use_location();
    let problem = RwSignal::new(None::<String>);
    let href = format!(
        "{}{}",
        location.pathname.get_untracked(),
        entry.source.query
    );
    let when = format!(
        "{} · {} · opened {}",
        origin(&entry),
        format_bytes(entry.size_bytes),
        format_opened_at(entry.opened_at_ms, now_ms)
    );
    let key = entry.key.clone();
    let open = {
        let href = href.clone();
        let entry = entry.clone();
        move |event: leptos::ev::MouseEvent| {
            // Other sources open by their link; a file must first come back from the cache.
            let Some(id) = entry.cache_id().map(str::to_string) else {
                return;
            };
            event.prevent_default();
            let (navigate, href, file_name) =
                (navigate.clone(), href.clone(), entry.file_name.clone());
            spawn_local(async move {
                match cache::load(&id).await {
                    Ok(Some(input)) => {
                        match opener.open_blob(&file_name, input, Progress::new()).await {
                            Ok(_) => navigate(&absolute(&href), Default::default()),
                            Err(message) => problem.set(Some(message)),
                        }
                    }
                    Ok(None) => problem.set(Some(format!(
                        "{file_name} is no longer kept in this browser. Open the file again."
                    ))),
                    Err(reason) => problem.set(Some(format!(
                        "Could not read {file_name} back from this browser's cache: {reason}."
                    ))),
                }
            });
        }
    };
    view! {
        <li class="recent-entry" data-testid="recent-entry">
            <div class="recent-text">
                <div class="recent-title">
                    <a class="recent-name" href=href.clone() on:click=open.clone()>
                        {entry.name.clone()}
                    </a>
                    <span class=format!("status status-{}", entry.status)>{entry.status.clone()}</span>
                </div>
                <div class="recent-figures" data-testid="recent-figures">{figures(&entry)}</div>
                <div class="recent-when" title=entry.file_name.clone()>
                    {entry.file_name.clone()} " · " {when}
                </div>
            </div>
            <div class="recent-actions">
                <a class="header-button" href=href data-testid="recent-open" on:click=open>
                    "Open"
                </a>
                <button
                    type="button"
                    class="header-button"
                    data-testid="recent-forget"
                    on:click=move |_| on_forget.run(key.clone())
                >
                    "Forget"
                </button>
            </div>
            <Show when=move || problem.read().is_some()>
                <p class="recent-problem" role="alert">{move || problem.get().unwrap_or_default()}</p>
            </Show>
        </li>
    }
}
