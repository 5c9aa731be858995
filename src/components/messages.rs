//! An LLM call's prompt and answer as a conversation of role bubbles. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;

use crate::components::marked_text::marked;
use serde_json::Value;

use crate::components::copy_button::CopyButton;
use crate::components::json_view::{TextBlock, ValueView};
use stepwise_core::present::{
    conversation, fold, request_settings, response, Message, Part, FOLD_LINES,
};

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

/// One turn: its role and its text, folded when long; part by part when the message
/// came in the GenAI `parts` form.
#[component]
fn Bubble(message: Message) -> impl IntoView {
    if !message.parts.is_empty() {
        return view! { <PartsBubble message /> }.into_any();
    }
    view! { <TextBubble message /> }.into_any()
}

fn role_class(role: &str) -> String {
    match role {
        "system" | "user" | "assistant" | "tool" => role.to_string(),
        _ => "other".to_string(),
    }
}

/// A GenAI-form message: text, reasoning folded, tool calls and their responses named
/// by id, media as a labelled placeholder.
#[component]
fn PartsBubble(message: Message) -> impl IntoView {
    let role = message.role.clone();
    let parts = message
        .parts
        .into_iter()
        .map(|part| view! { <PartView part role=role.clone() /> })
        .collect_view();
    let finish = message.finish_reason.map(|reason| {
        view! { <span class="finish-reason" title="Why the model stopped">{format!("finish: {reason}")}</span> }
    });
    view! {
        <li class=format!("bubble role-{}", role_class(&message.role))>
            <div class="bubble-head">
                <span class="bubble-role">{message.role.clone()}</span>
                {finish}
                <CopyButton text=message.text.clone() label=format!("Copy {} message", message.role) />
            </div>
            <div class="bubble-parts">{parts}</div>
        </li>
    }
}

#[component]
fn PartView(part: Part, role: String) -> impl IntoView {
    match part {
        Part::Text(text) => {
            view! { <TextBlock text label=format!("{role} message") prose=true /> }.into_any()
        }
        Part::Reasoning(text) => view! {
            <details class="part-reasoning" data-testid="part-reasoning">
                <summary>"Reasoning"</summary>
                <TextBlock text label="reasoning".to_string() prose=true />
            </details>
        }
        .into_any(),
        Part::ToolCall {
            id,
            name,
            arguments,
            server,
        } => {
            let who = if server {
                "server tool call"
            } else {
                "tool call"
            };
            let id = id.map(|id| view! { <code class="call-id">{id}</code> });
            view! {
                <div class="part-tool-call" data-testid="part-tool-call">
                    <div class="part-head">{format!("→ {who} ")}<strong>{name}</strong>" "{id}</div>
                    <TextBlock text=arguments label="arguments".to_string() prose=false />
                </div>
            }
            .into_any()
        }
        Part::ToolResponse {
            id,
            name,
            response,
            server,
        } => {
            let of = match (name, id.clone()) {
                (Some(name), _) => format!("← result of {name}"),
                (None, Some(_)) => "← result of a call not in this exchange".to_string(),
                (None, None) => "← tool result".to_string(),
            };
            let of = if server { format!("{of} (server)") } else { of };
            let id = id.map(|id| view! { <code class="call-id">{id}</code> });
            view! {
                <div class="part-tool-response" data-testid="part-tool-response">
                    <div class="part-head">{of}" "{id}</div>
                    <TextBlock text=response label="tool result".to_string() prose=false />
                </div>
            }
            .into_any()
        }
        Part::Media { label } => {
            view! { <p class="part-media" data-testid="part-media">{label}</p> }.into_any()
        }
        Part::Other { kind, json } => view! {
            <div class="part-other">
                <div class="part-head">{format!("{kind} part")}</div>
                <TextBlock text=json label="part".to_string() prose=false />
            </div>
        }
        .into_any(),
    }
}

/// A message that is only text.
#[component]
fn TextBubble(message: Message) -> impl IntoView {
    let role_class = role_class(&message.role);
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
            view! { <p class="bubble-text">{marked(message.text.clone())}</p> }.into_any(),
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
