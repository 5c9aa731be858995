//! An LLM call's prompt and answer as a conversation of role bubbles. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;
use serde_json::Value;

use crate::components::copy_button::CopyButton;
use crate::components::json_view::{TextBlock, ValueView};
use stepwise_core::present::{conversation, fold, request_settings, response, Message, FOLD_LINES};

/// The prompt and the response of one LLM call; shapes it cannot read fall back to JSON.
#[component]
pub fn LlmExchange(input: Option<Value>, output: Option<Value>) -> impl IntoView {
    let prompt = input.map(|value| {
        let messages = conversation(&value);
        let settings = request_settings(&value)
            .into_iter()
            .map(|(name, text)| view! { <li><span class="setting-name">{name}</span>" "<code>{text}</code></li> })
            .collect_view();
        view! {
            <section class="details-section">
                <h3>"Messages"</h3>
                <ul class="settings" aria-label="Request settings">{settings}</ul>
                <Exchange messages value label="input" />
            </section>
        }
    });
    let answer = output.map(|value| {
        let messages = response(&value);
        view! {
            <section class="details-section">
                <h3>"Response"</h3>
                <Exchange messages value label="response" />
            </section>
        }
    });
    view! { {prompt} {answer} }
}

/// Bubbles when the shape was understood, else the raw value.
#[component]
fn Exchange(messages: Vec<Message>, value: Value, label: &'static str) -> impl IntoView {
    if messages.is_empty() {
        return view! { <ValueView value label /> }.into_any();
    }
    view! { <Conversation messages /> }.into_any()
}

#[component]
pub fn Conversation(messages: Vec<Message>) -> impl IntoView {
    let bubbles = messages
        .into_iter()
        .map(|message| view! { <Bubble message /> })
        .collect_view();
    view! { <ol class="conversation">{bubbles}</ol> }
}

/// One turn: its role and its text, folded when long.
#[component]
fn Bubble(message: Message) -> impl IntoView {
    let role_class = match message.role.as_str() {
        "system" | "user" | "assistant" | "tool" => message.role.clone(),
        _ => "other".to_string(),
    };
    let long = fold(&message.text, FOLD_LINES).is_some();
    let copy_label = format!("Copy {} message", message.role);
    // A long message brings its own copy button with its fold.
    let (body, copy) = if long {
        let body = view! { <TextBlock text=message.text.clone() label=format!("{} message", message.role) prose=true /> };
        (body.into_any(), None)
    } else if message.text.is_empty() {
        (
            view! { <p class="bubble-text empty">"(empty)"</p> }.into_any(),
            None,
        )
    } else {
        let copy = view! { <CopyButton text=message.text.clone() label=copy_label /> };
        (
            view! { <p class="bubble-text">{message.text.clone()}</p> }.into_any(),
            Some(copy),
        )
    };
    view! {
        <li class=format!("bubble role-{role_class}")>
            <div class="bubble-head">
                <span class="bubble-role">{message.role.clone()}</span>
                {copy}
            </div>
            {body}
        </li>
    }
}
