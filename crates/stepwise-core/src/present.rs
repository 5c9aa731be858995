//! Presentation logic for the details panes: message shapes, folding, times, per-agent figures. Pure core.
//!
//! Traces carry LLM inputs and outputs in many shapes (OpenAI, Anthropic, LangChain,
//! plain strings); this module turns them into one list of messages for the UI to draw.

use serde_json::{Map, Value};

use crate::format::plural;
use crate::model::{CostSource, Status, Step, StepKind, Tally, Trace, Usage};

/// One turn of a conversation, as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// Normalised: "system", "user", "assistant", "tool", or the source's own word.
    pub role: String,
    /// The whole turn as text (its text parts, tool calls as `→ name(arguments)`).
    pub text: String,
    /// The turn part by part, for messages written as OpenTelemetry GenAI `parts`
    /// (`gen_ai.input.messages`); empty for other shapes, which `text` says in full.
    pub parts: Vec<Part>,
    /// Why the model stopped (`finish_reason` of an output message).
    pub finish_reason: Option<String>,
}

/// A part of a message in the OpenTelemetry GenAI form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    Text(String),
    /// The model's reasoning, shown folded.
    Reasoning(String),
    /// `server`: run by the provider (`server_tool_call`), not by the agent.
    ToolCall {
        id: Option<String>,
        name: String,
        arguments: String,
        server: bool,
    },
    /// `name`: the called tool's, when a call with the same id is in the conversation.
    ToolResponse {
        id: Option<String>,
        name: Option<String>,
        response: String,
        server: bool,
    },
    /// Media is named, never loaded or decoded: a trace must not make the page fetch
    /// anything, and base64 payloads are not for reading.
    Media {
        label: String,
    },
    /// A part type this build does not know, as JSON.
    Other {
        kind: String,
        json: String,
    },
}

impl Message {
    fn new(role: &str, text: String) -> Message {
        Message {
            role: normalise_role(role),
            text,
            parts: Vec::new(),
            finish_reason: None,
        }
    }
}

/// `{role, parts: [...]}` of the GenAI conventions (2025–): parts by type.
fn parts_message(object: &Map<String, Value>, parts: &[Value], default_role: &str) -> Message {
    let role = object
        .get("role")
        .and_then(Value::as_str)
        .unwrap_or(default_role);
    let parts: Vec<Part> = parts.iter().filter_map(part_of).collect();
    let text = parts
        .iter()
        .filter_map(|part| match part {
            Part::Text(text) => Some(text.clone()),
            Part::ToolCall {
                name, arguments, ..
            } => Some(format!("→ {name}({arguments})")),
            Part::ToolResponse { response, .. } => Some(response.clone()),
            Part::Media { label } => Some(label.clone()),
            Part::Reasoning(_) | Part::Other { .. } => None,
        })
        .collect::<Vec<_>>()
        .join("\n");
    Message {
        role: normalise_role(role),
        text,
        parts,
        finish_reason: object
            .get("finish_reason")
            .and_then(Value::as_str)
            .map(str::to_string),
    }
}

fn part_of(part: &Value) -> Option<Part> {
    let object = part.as_object()?;
    let kind = object.get("type").and_then(Value::as_str).unwrap_or("");
    let text_of = |key: &str| match object.get(key) {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => serde_json::to_string_pretty(other).unwrap_or_default(),
    };
    let id = object.get("id").and_then(Value::as_str).map(str::to_string);
    Some(match kind {
        "text" => Part::Text(text_of("content")),
        "reasoning" | "thinking" => Part::Reasoning(text_of("content")),
        "tool_call" | "server_tool_call" => Part::ToolCall {
            id,
            name: object
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("tool")
                .to_string(),
            arguments: match object.get("arguments") {
                Some(Value::String(text)) => text.clone(),
                Some(Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            },
            server: kind == "server_tool_call",
        },
        "tool_call_response" | "server_tool_call_response" => Part::ToolResponse {
            id,
            name: None,
            response: text_of("response"),
            server: kind == "server_tool_call_response",
        },
        "blob" | "file" | "uri" => Part::Media {
            label: media_label(kind, object),
        },
        other => Part::Other {
            kind: other.to_string(),
            json: serde_json::to_string_pretty(part).unwrap_or_default(),
        },
    })
}

/// "[image · image/png · 12 KB inline, not shown]", "[file · application/pdf · file-abc]",
/// "[video · uri: https://…, not fetched]".
fn media_label(kind: &str, object: &Map<String, Value>) -> String {
    let field = |key: &str| object.get(key).and_then(Value::as_str);
    let what = field("modality").unwrap_or(kind);
    let mut label = format!("[{what}");
    if let Some(mime) = field("mime_type") {
        label.push_str(&format!(" · {mime}"));
    }
    match kind {
        "blob" => {
            // Base64: four characters carry three bytes.
            let bytes = field("content").map_or(0, |content| content.len() / 4 * 3);
            label.push_str(&format!(
                " · {} inline, not shown",
                crate::format::format_bytes(bytes as u64)
            ));
        }
        "file" => {
            if let Some(file_id) = field("file_id") {
                label.push_str(&format!(" · file {file_id}"));
            }
        }
        _ => {
            if let Some(uri) = field("uri") {
                label.push_str(&format!(" · {uri}, not fetched"));
            }
        }
    }
    label.push(']');
    label
}

/// Names each tool response after the call with its id, across the conversation, so
/// a result reads as the answer to its call.
fn link_tool_responses(messages: &mut [Message]) {
    let mut names: Vec<(String, String)> = Vec::new();
    for message in messages.iter() {
        for part in &message.parts {
            if let Part::ToolCall {
                id: Some(id), name, ..
            } = part
            {
                names.push((id.clone(), name.clone()));
            }
        }
    }
    for message in messages.iter_mut() {
        for part in &mut message.parts {
            if let Part::ToolResponse {
                id: Some(id), name, ..
            } = part
            {
                *name = names
                    .iter()
                    .find(|(call, _)| call == id)
                    .map(|(_, called)| called.clone());
            }
        }
    }
}

/// The prompt messages of an LLM call's input; empty when the shape is not recognised.
pub fn conversation(value: &Value) -> Vec<Message> {
    let mut messages = conversation_of(value);
    link_tool_responses(&mut messages);
    messages
}

fn conversation_of(value: &Value) -> Vec<Message> {
    match value {
        Value::String(text) => vec![Message::new("user", text.clone())],
        Value::Array(items) => messages_of(items),
        Value::Object(object) => {
            if let Some(messages) = object.get("messages") {
                return match messages {
                    // LangChain batches: a list of conversations; the first is the one sent.
                    Value::Array(items) if items.first().is_some_and(Value::is_array) => {
                        items.iter().flat_map(conversation_of).collect()
                    }
                    other => conversation_of(other),
                };
            }
            if let Some(Value::String(prompt)) = object.get("prompt") {
                return vec![Message::new("user", prompt.clone())];
            }
            message_of(object, "user").into_iter().collect()
        }
        _ => Vec::new(),
    }
}

/// The answer of an LLM call: a string, one message, OpenAI `choices`, or Anthropic content.
pub fn response(value: &Value) -> Vec<Message> {
    let mut messages = response_of(value);
    link_tool_responses(&mut messages);
    messages
}

fn response_of(value: &Value) -> Vec<Message> {
    match value {
        Value::String(text) => vec![Message::new("assistant", text.clone())],
        Value::Object(object) => {
            if let Some(Value::Array(choices)) = object.get("choices") {
                return choices
                    .iter()
                    .filter_map(|choice| match choice.get("message") {
                        Some(Value::Object(message)) => message_of(message, "assistant"),
                        // Completion APIs answer with `text` rather than a message.
                        _ => choice
                            .get("text")
                            .and_then(Value::as_str)
                            .map(|text| Message::new("assistant", text.to_string())),
                    })
                    .collect();
            }
            // A bare content answer (no role) is the model's.
            if object.contains_key("content") || object.contains_key("tool_calls") {
                return message_of(object, "assistant").into_iter().collect();
            }
            conversation_of(value)
        }
        Value::Array(items) => messages_of_as(items, "assistant"),
        _ => Vec::new(),
    }
}

fn messages_of(items: &[Value]) -> Vec<Message> {
    messages_of_as(items, "user")
}

fn messages_of_as(items: &[Value], default_role: &str) -> Vec<Message> {
    items
        .iter()
        .filter_map(|item| match item {
            Value::Object(object) => message_of(object, default_role),
            Value::String(text) => Some(Message::new(default_role, text.clone())),
            _ => None,
        })
        .collect()
}

/// One message object; `None` when it has neither a role nor content.
fn message_of(object: &Map<String, Value>, default_role: &str) -> Option<Message> {
    if let Some(Value::Array(parts)) = object.get("parts") {
        return Some(parts_message(object, parts, default_role));
    }
    let role = object
        .get("role")
        .or_else(|| object.get("type"))
        .and_then(Value::as_str);
    let content = object.get("content");
    if role.is_none() && content.is_none() {
        return None;
    }
    let mut parts: Vec<String> = content.map(content_text).into_iter().collect();
    if let Some(Value::Array(calls)) = object.get("tool_calls") {
        parts.extend(calls.iter().map(tool_call_text));
    }
    let text = parts
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    Some(Message::new(role.unwrap_or(default_role), text))
}

/// Content as text: a string, or OpenAI/Anthropic content parts joined by newlines.
fn content_text(content: &Value) -> String {
    match content {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        Value::Array(parts) => parts
            .iter()
            .map(|part| match part {
                Value::String(text) => text.clone(),
                Value::Object(object) => part_text(object),
                other => other.to_string(),
            })
            .filter(|text| !text.is_empty())
            .collect::<Vec<_>>()
            .join("\n"),
        other => serde_json::to_string_pretty(other).unwrap_or_default(),
    }
}

fn part_text(part: &Map<String, Value>) -> String {
    let kind = part.get("type").and_then(Value::as_str).unwrap_or("");
    if let Some(text) = part.get("text").and_then(Value::as_str) {
        return text.to_string();
    }
    match kind {
        // An image is named, never loaded: a trace must not make the page fetch anything.
        "image_url" | "image" => {
            let url = part
                .get("image_url")
                .and_then(|image| image.get("url").or(Some(image)))
                .and_then(Value::as_str)
                .unwrap_or("");
            if url.starts_with("data:") || url.is_empty() {
                "[image]".to_string()
            } else {
                format!("[image: {url}]")
            }
        }
        "tool_use" => {
            let name = part.get("name").and_then(Value::as_str).unwrap_or("tool");
            let input = part.get("input").map(Value::to_string).unwrap_or_default();
            format!("→ {name}({input})")
        }
        "tool_result" => part.get("content").map(content_text).unwrap_or_default(),
        _ => serde_json::to_string_pretty(part).unwrap_or_default(),
    }
}

/// An OpenAI tool call as `→ name(arguments)`.
fn tool_call_text(call: &Value) -> String {
    let function = call.get("function").unwrap_or(call);
    let name = function
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("tool");
    let arguments = match function.get("arguments") {
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    format!("→ {name}({arguments})")
}

/// Sources name the same roles differently (LangChain's "human"/"ai", OpenAI's "developer").
fn normalise_role(role: &str) -> String {
    match role.to_ascii_lowercase().as_str() {
        "human" | "user" => "user".to_string(),
        "ai" | "assistant" | "model" | "bot" => "assistant".to_string(),
        "system" | "developer" => "system".to_string(),
        "tool" | "function" | "tool_result" => "tool".to_string(),
        other => other.to_string(),
    }
}

/// True when `text` uses markdown structure worth rendering (headings, lists, fences, tables, bold).
pub fn looks_like_markdown(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim_start();
        line.starts_with("# ")
            || line.starts_with("## ")
            || line.starts_with("### ")
            || line.starts_with("```")
            || line.starts_with("- ")
            || line.starts_with("* ")
            || (line.starts_with('|') && line.ends_with('|') && line.len() > 2)
            || line.contains("**")
    })
}

/// How many lines a long value shows before "Show all".
pub const FOLD_LINES: usize = 20;

/// The first `limit` lines and the total line count, when `text` has more than `limit` lines.
pub fn fold(text: &str, limit: usize) -> Option<(String, usize)> {
    let total = text.lines().count();
    if total <= limit {
        return None;
    }
    let head: Vec<&str> = text.lines().take(limit).collect();
    Some((head.join("\n"), total))
}

/// A UTC time with millisecond precision: "2026-11-02 09:14:03.120 UTC".
pub fn format_time_utc_ms(time_ns: i64) -> String {
    chrono::DateTime::from_timestamp_nanos(time_ns)
        .format("%Y-%m-%d %H:%M:%S%.3f UTC")
        .to_string()
}

/// "1,184 in (200 cache read, 50 cache write) · 61 out (12 reasoning)", with "—" for a
/// side the trace does not record; `None` when the step records no tokens at all.
pub fn token_breakdown(usage: &Usage) -> Option<String> {
    if usage.is_unknown() {
        return None;
    }
    use crate::metrics::{format_count, format_count_opt};
    let parts = |list: &[(Option<u64>, &str)]| {
        let named: Vec<String> = list
            .iter()
            .filter_map(|(count, label)| {
                count
                    .filter(|count| *count > 0)
                    .map(|count| format!("{} {label}", format_count(count)))
            })
            .collect();
        match named.is_empty() {
            true => String::new(),
            false => format!(" ({})", named.join(", ")),
        }
    };
    let input = format!(
        "{} in{}",
        format_count_opt(usage.input_tokens),
        parts(&[
            (usage.cached_input_tokens, "cache read"),
            (usage.cache_write_tokens, "cache write"),
            (usage.audio_input_tokens, "audio"),
            (usage.image_input_tokens, "image"),
        ])
    );
    let output = format!(
        "{} out{}",
        format_count_opt(usage.output_tokens),
        parts(&[
            (usage.reasoning_tokens, "reasoning"),
            (usage.audio_output_tokens, "audio"),
        ])
    );
    Some(format!("{input} · {output}"))
}

/// "6,000 cache read × $0.30/M = $0.0018": one line per priced part of an estimate.
pub fn cost_lines_text(lines: &[crate::model::CostLine]) -> Vec<String> {
    use crate::metrics::{format_cost_usd, format_count};
    lines
        .iter()
        .map(|line| {
            format!(
                "{} {} × ${}/M = {}",
                format_count(line.tokens),
                line.part.label(),
                trim_float(line.usd_per_token * 1e6),
                format_cost_usd(line.usd)
            )
        })
        .collect()
}

/// A price per million tokens without float noise: 0.3, 3.75, 0.075.
fn trim_float(value: f64) -> String {
    let text = format!("{value:.4}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The tool result that answers the tool call `call_id`.
pub fn result_of_call<'a>(trace: &'a Trace, call_id: &str) -> Option<&'a Step> {
    trace.steps.iter().find(|step| {
        step.kind == StepKind::ToolResult && step.result_of.as_deref() == Some(call_id)
    })
}

/// Indices into `trace.steps` of the steps of one task, in trace order.
pub fn steps_of_task(trace: &Trace, task_id: &str) -> Vec<usize> {
    trace
        .steps
        .iter()
        .enumerate()
        .filter(|(_, step)| step.task_id.as_deref() == Some(task_id))
        .map(|(index, _)| index)
        .collect()
}

/// What one agent did in this trace.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AgentFigures {
    /// Indices into `trace.tasks` of the tasks assigned to the agent.
    pub tasks: Vec<usize>,
    pub steps: usize,
    pub llm_calls: usize,
    pub tool_calls: usize,
    pub input_tokens: Tally<u64>,
    pub output_tokens: Tally<u64>,
    pub cost_usd: Tally<f64>,
    pub cost_estimated: bool,
    /// Indices into `trace.steps` of the agent's failed and error steps.
    pub errors: Vec<usize>,
    /// Models its LLM calls used, sorted, without duplicates.
    pub models: Vec<String>,
}

/// Tokens and cost come from LLM calls only, as in `metrics::summarize`, so nothing counts twice.
pub fn agent_figures(trace: &Trace, agent_id: &str) -> AgentFigures {
    let mut figures = AgentFigures {
        tasks: trace
            .tasks
            .iter()
            .enumerate()
            .filter(|(_, task)| task.agent_id.as_deref() == Some(agent_id))
            .map(|(index, _)| index)
            .collect(),
        ..AgentFigures::default()
    };
    for (index, step) in trace.steps.iter().enumerate() {
        if step.agent_id.as_deref() != Some(agent_id) {
            continue;
        }
        figures.steps += 1;
        match step.kind {
            kind if kind.is_model_call() => {
                figures.llm_calls += 1;
                figures.input_tokens.add(step.usage.input_tokens);
                figures.output_tokens.add(step.usage.output_tokens);
                figures.cost_usd.add(step.cost.map(|cost| cost.usd));
                if let Some(cost) = step.cost {
                    figures.cost_estimated |= cost.source == CostSource::Estimated;
                }
                if let Some(model) = &step.model {
                    figures.models.push(model.clone());
                }
            }
            StepKind::ToolCall => figures.tool_calls += 1,
            _ => {}
        }
        if step.status == Status::Failed || step.kind == StepKind::Error {
            figures.errors.push(index);
        }
    }
    figures.models.sort();
    figures.models.dedup();
    figures
}

/// "{3 keys}" / "[5 items]": what a collapsed JSON node holds.
pub fn json_summary(value: &Value) -> String {
    match value {
        Value::Object(map) => format!("{{{}}}", plural(map.len(), "key")),
        Value::Array(items) => format!("[{}]", plural(items.len(), "item")),
        other => other.to_string(),
    }
}

/// Nodes deeper than two levels, or with many children, start collapsed.
pub fn json_starts_open(depth: usize, children: usize) -> bool {
    depth < 2 && children <= 30
}

/// Tool arguments often arrive as a JSON string; such a string is shown as the JSON it holds.
pub fn embedded_json(value: &Value) -> Value {
    match value {
        Value::String(text) => match serde_json::from_str::<Value>(text.trim()) {
            Ok(inner @ (Value::Object(_) | Value::Array(_))) => inner,
            _ => value.clone(),
        },
        other => other.clone(),
    }
}

/// The settings sent beside the messages (`temperature`, `max_tokens`…), as `(name, value)`
/// in the source's order of keys; empty when the input is not a messages object.
pub fn request_settings(input: &Value) -> Vec<(String, String)> {
    let Value::Object(object) = input else {
        return Vec::new();
    };
    if !(object.contains_key("messages") || object.contains_key("prompt")) {
        return Vec::new();
    }
    object
        .iter()
        .filter(|(key, _)| !matches!(key.as_str(), "messages" | "prompt"))
        .map(|(key, value)| {
            let text = match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            (key.clone(), text)
        })
        .collect()
}
