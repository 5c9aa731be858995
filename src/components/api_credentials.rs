//! The credential fields of the API form: Langfuse's key pair, an optional bearer token, or for Tempo either, optionally. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;

use crate::io::api_client::{forget_credentials, load_credentials};
use stepwise_core::api::{normalize_base, ApiKind};

/// What the user typed; cleared once stored, so secrets do not linger in the page.
#[derive(Clone, Copy)]
pub struct SecretInputs {
    pub public_key: RwSignal<String>,
    pub secret_key: RwSignal<String>,
    pub token: RwSignal<String>,
}

impl SecretInputs {
    pub fn new() -> SecretInputs {
        SecretInputs {
            public_key: RwSignal::new(String::new()),
            secret_key: RwSignal::new(String::new()),
            token: RwSignal::new(String::new()),
        }
    }

    pub fn clear(&self) {
        self.public_key.set(String::new());
        self.secret_key.set(String::new());
        self.token.set(String::new());
    }
}

impl Default for SecretInputs {
    fn default() -> SecretInputs {
        SecretInputs::new()
    }
}

#[component]
fn SecretField(
    label: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] password: bool,
    #[prop(optional)] placeholder: &'static str,
) -> impl IntoView {
    view! {
        <label class="api-field">
            <span>{label}</span>
            <input
                type=if password { "password" } else { "text" }
                name=name
                autocomplete="off"
                spellcheck="false"
                placeholder=placeholder
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </label>
    }
}

#[component]
pub fn CredentialFields(
    kind: RwSignal<ApiKind>,
    base: RwSignal<String>,
    inputs: SecretInputs,
) -> impl IntoView {
    // Bumped by "Forget" so the note below reads storage again.
    let forgotten = RwSignal::new(0u32);
    let stored_for = Memo::new(move |_| {
        forgotten.track();
        let base = normalize_base(&base.get()).ok()?;
        load_credentials(&base)
            .filter(|c| c.base == base)
            .map(|c| c.base)
    });
    let fields = move || {
        match kind.get() {
        ApiKind::Langfuse => view! {
            <SecretField label="Public key" name="api-public-key" value=inputs.public_key placeholder="pk-lf-…" />
            <SecretField label="Secret key" name="api-secret-key" value=inputs.secret_key password=true placeholder="sk-lf-…" />
        }
        .into_any(),
        ApiKind::Stepwise => view! {
            <SecretField label="Token (optional)" name="api-token" value=inputs.token password=true />
        }
        .into_any(),
        ApiKind::Tempo => view! {
            <SecretField label="User (optional)" name="api-public-key" value=inputs.public_key />
            <SecretField label="Password (optional)" name="api-secret-key" value=inputs.secret_key password=true />
            <SecretField label="Token (optional)" name="api-token" value=inputs.token password=true />
        }
        .into_any(),
        ApiKind::Jaeger => ().into_any(),
    }
    };
    view! {
        {fields}
        <p class="api-note hint">
            {move || match stored_for.get() {
                Some(_) => "Credentials for this base URL are kept in this tab only.",
                None if kind.get() == ApiKind::Jaeger => "Jaeger's query API is read without credentials.",
                None => "Credentials stay in this tab's session storage, never in a link, and go only to this base URL.",
            }}
            {move || {
                stored_for.get().map(|base| {
                    view! {
                        " "
                        <button
                            type="button"
                            class="link-button"
                            on:click=move |_| {
                                forget_credentials(&base);
                                forgotten.update(|n| *n += 1);
                            }
                        >
                            "Forget them"
                        </button>
                    }
                })
            }}
        </p>
    }
}
