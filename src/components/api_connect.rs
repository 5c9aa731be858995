//! "Connect to an API": base URL, kind and credentials, then its trace list. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};

use crate::components::api_credentials::{CredentialFields, SecretInputs};
use crate::components::api_saved::{list_query, SavedApis};
use crate::components::offline_notice::OfflineNotice;
use crate::io::api_client::{load_credentials, remember, save_credentials, saved_apis};
use crate::state::view::absolute;
use stepwise_core::api::{normalize_base, tempo_secret, ApiKind, Credentials, Secret};

/// The secret typed in the form, if any; Langfuse needs both keys, unless this tab
/// already holds a pair for the base; Tempo takes basic auth or a token, optionally.
fn typed_secret(kind: ApiKind, base: &str, inputs: SecretInputs) -> Result<Option<Secret>, String> {
    let (public_key, secret_key) = (
        inputs.public_key.get_untracked(),
        inputs.secret_key.get_untracked(),
    );
    let token = inputs.token.get_untracked();
    match kind {
        ApiKind::Langfuse if !public_key.trim().is_empty() && !secret_key.trim().is_empty() => {
            Ok(Some(Secret::Basic {
                public_key: public_key.trim().to_string(),
                secret_key: secret_key.trim().to_string(),
            }))
        }
        ApiKind::Langfuse => match load_credentials(base) {
            Some(stored) if stored.base == base => Ok(None),
            _ => Err("Langfuse needs its key pair: enter the public key (pk-lf-…) and the secret key (sk-lf-…) of the project.".to_string()),
        },
        ApiKind::Tempo => tempo_secret(public_key.trim(), secret_key.trim(), token.trim()),
        ApiKind::Stepwise if !token.trim().is_empty() => Ok(Some(Secret::Bearer {
            token: token.trim().to_string(),
        })),
        _ => Ok(None),
    }
}

#[component]
pub fn ApiConnect(
    /// Pre-filled base URL (the trace list offers the form again when credentials fail).
    #[prop(optional, into)]
    base: Option<String>,
    #[prop(optional)] kind: Option<ApiKind>,
    /// Run instead of navigating when the form connects to the base and kind it was given
    /// (the list page retries in place: the address would not change).
    #[prop(optional)]
    on_connected: Option<Callback<()>>,
) -> impl IntoView {
    let given = base.clone().zip(kind);
    let saved = saved_apis();
    let last = saved.first().cloned();
    let last_kind = last.as_ref().and_then(|s| ApiKind::from_key(&s.kind).ok());
    let base_text = RwSignal::new(base.or(last.map(|s| s.base)).unwrap_or_default());
    let kind_value = RwSignal::new(kind.or(last_kind).unwrap_or(ApiKind::Stepwise));
    let inputs = SecretInputs::new();
    let error = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let location = use_location();
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let kind = kind_value.get_untracked();
        let result = normalize_base(&base_text.get_untracked()).and_then(|base| {
            if let Some(secret) = typed_secret(kind, &base, inputs)? {
                save_credentials(&Credentials {
                    base: base.clone(),
                    secret,
                })?;
            }
            Ok(base)
        });
        match result {
            Err(message) => error.set(Some(message)),
            Ok(base) => {
                error.set(None);
                inputs.clear();
                remember(&base, kind);
                if let (Some(callback), Some((given_base, given_kind))) = (on_connected, &given) {
                    if *given_base == base && *given_kind == kind {
                        callback.run(());
                        return;
                    }
                }
                let path = format!(
                    "{}{}",
                    location.pathname.get_untracked(),
                    list_query(&base, kind)
                );
                navigate(&absolute(&path), Default::default());
            }
        }
    };
    view! {
        <section class="panel api-connect" aria-labelledby="api-connect-heading">
            <h2 id="api-connect-heading">"Connect to an API"</h2>
            <OfflineNotice />
            <form class="api-form" on:submit=on_submit>
                <label class="api-field api-base">
                    <span>"Base URL"</span>
                    <input
                        type="url"
                        name="api-base"
                        placeholder="https://traces.example.com"
                        required
                        list="api-saved-bases"
                        prop:value=move || base_text.get()
                        on:input=move |ev| base_text.set(event_target_value(&ev))
                    />
                    <datalist id="api-saved-bases">
                        {saved.iter().map(|s| view! { <option value=s.base.clone()></option> }).collect_view()}
                    </datalist>
                </label>
                <label class="api-field">
                    <span>"Kind"</span>
                    <select
                        name="api-kind"
                        on:change=move |ev| {
                            if let Ok(kind) = ApiKind::from_key(&event_target_value(&ev)) {
                                kind_value.set(kind);
                            }
                        }
                    >
                        {ApiKind::ALL
                            .into_iter()
                            .map(|k| {
                                view! {
                                    <option value=k.key() selected=move || kind_value.get() == k>
                                        {k.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <CredentialFields kind=kind_value base=base_text inputs />
                <button type="submit" class="header-button primary">"Connect"</button>
            </form>
            <Show when=move || error.read().is_some()>
                <p class="api-error" role="alert">{move || error.get().unwrap_or_default()}</p>
            </Show>
            <SavedApis saved=saved.clone() />
        </section>
    }
}
