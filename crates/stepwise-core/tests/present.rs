//! Presentation logic of the details panes: message shapes, folding, times, agent figures.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::json;
use stepwise_core::import::import_bytes;
use stepwise_core::model::{Trace, Usage};
use stepwise_core::present::{
    agent_figures, conversation, fold, format_time_utc_ms, json_starts_open, json_summary,
    looks_like_markdown, request_settings, response, result_of_call, steps_of_task,
    token_breakdown, Message, Part,
};

fn demo() -> Trace {
    let bytes = include_bytes!("../../../public/demo/trace.json");
    import_bytes(bytes).expect("demo imports").remove(0)
}

fn turns(messages: &[Message]) -> Vec<(&str, &str)> {
    messages
        .iter()
        .map(|message| (message.role.as_str(), message.text.as_str()))
        .collect()
}

#[test]
fn a_messages_object_becomes_a_conversation() {
    let input = json!({"messages": [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Hi"}
    ], "temperature": 0.2});
    assert_eq!(
        turns(&conversation(&input)),
        [("system", "Be brief."), ("user", "Hi")]
    );
}

#[test]
fn a_bare_array_and_a_plain_string_are_conversations() {
    let array =
        json!([{"role": "developer", "content": "Rules"}, {"role": "human", "content": "Q"}]);
    assert_eq!(
        turns(&conversation(&array)),
        [("system", "Rules"), ("user", "Q")]
    );
    assert_eq!(
        turns(&conversation(&json!("Just a prompt"))),
        [("user", "Just a prompt")]
    );
}

#[test]
fn content_parts_are_joined_and_images_are_named_not_loaded() {
    let input = json!([{"role": "user", "content": [
        {"type": "text", "text": "What is this?"},
        {"type": "image_url", "image_url": {"url": "https://x.org/a.png"}},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}
    ]}]);
    assert_eq!(
        turns(&conversation(&input)),
        [(
            "user",
            "What is this?\n[image: https://x.org/a.png]\n[image]"
        )]
    );
}

#[test]
fn langchain_message_types_and_batches_are_read() {
    let input = json!({"messages": [[
        {"type": "system", "content": "S"},
        {"type": "human", "content": "H"},
        {"type": "ai", "content": "A"}
    ]]});
    assert_eq!(
        turns(&conversation(&input)),
        [("system", "S"), ("user", "H"), ("assistant", "A")]
    );
}

#[test]
fn tool_calls_and_tool_messages_are_shown() {
    let input = json!([
        {"role": "assistant", "content": null, "tool_calls": [
            {"id": "c1", "type": "function", "function": {"name": "search", "arguments": "{\"q\":\"x\"}"}}
        ]},
        {"role": "tool", "tool_call_id": "c1", "content": "found"}
    ]);
    assert_eq!(
        turns(&conversation(&input)),
        [("assistant", "→ search({\"q\":\"x\"})"), ("tool", "found")]
    );
}

#[test]
fn responses_in_every_common_shape() {
    assert_eq!(turns(&response(&json!("Done."))), [("assistant", "Done.")]);
    assert_eq!(
        turns(&response(&json!({"role": "assistant", "content": "Hi"}))),
        [("assistant", "Hi")]
    );
    let openai = json!({"id": "x", "choices": [{"index": 0, "message": {"role": "assistant", "content": "42"}}]});
    assert_eq!(turns(&response(&openai)), [("assistant", "42")]);
    let anthropic =
        json!({"content": [{"type": "text", "text": "Sure"}], "stop_reason": "end_turn"});
    assert_eq!(turns(&response(&anthropic)), [("assistant", "Sure")]);
}

#[test]
fn unknown_shapes_give_no_messages_so_the_ui_shows_json() {
    assert!(conversation(&json!({"query": "x", "max_results": 5})).is_empty());
    assert!(conversation(&json!(42)).is_empty());
    assert!(response(&json!(null)).is_empty());
}

#[test]
fn the_demo_llm_calls_read_as_conversations() {
    let trace = demo();
    let call = trace.step("s03").expect("s03");
    let prompt = conversation(&call.input.as_ref().expect("input").parse());
    assert_eq!(prompt.len(), 2);
    assert_eq!(prompt[0].role, "system");
    let answer = response(&call.output.as_ref().expect("output").parse());
    assert_eq!(answer[0].role, "assistant");
    assert!(answer[0].text.starts_with("Thought:"));
}

#[test]
fn markdown_is_recognised_by_its_structure() {
    assert!(looks_like_markdown("# Title\n\ntext"));
    assert!(looks_like_markdown("Intro\n- one\n- two"));
    assert!(looks_like_markdown("```text\nx\n```"));
    assert!(looks_like_markdown("| a | b |\n|---|---|"));
    assert!(!looks_like_markdown("1. Find teams.\nI will search first."));
    assert!(!looks_like_markdown("plain words"));
}

#[test]
fn long_text_folds_to_its_first_lines() {
    let text: String = (1..=25).map(|n| format!("line {n}\n")).collect();
    let (head, total) = fold(&text, 20).expect("folds");
    assert_eq!(total, 25);
    assert_eq!(head.lines().count(), 20);
    assert!(head.ends_with("line 20"));
    assert_eq!(fold("short\ntext", 20), None);
}

#[test]
fn times_are_utc_with_milliseconds() {
    assert_eq!(
        format_time_utc_ms(1_793_610_843_120_000_000),
        "2026-11-02 09:14:03.120 UTC"
    );
}

#[test]
fn token_breakdown_names_cached_and_reasoning_tokens() {
    assert_eq!(token_breakdown(&Usage::default()), None);
    let usage = Usage {
        input_tokens: Some(1184),
        output_tokens: Some(61),
        cached_input_tokens: Some(200),
        reasoning_tokens: Some(12),
        ..Usage::default()
    };
    assert_eq!(
        token_breakdown(&usage).as_deref(),
        Some("1,184 in (200 cache read) · 61 out (12 reasoning)")
    );
}

#[test]
fn a_tool_call_finds_its_result_and_a_task_its_steps() {
    let trace = demo();
    assert_eq!(
        result_of_call(&trace, "s05").map(|step| step.id.as_str()),
        Some("s06")
    );
    assert_eq!(
        result_of_call(&trace, "s04"),
        None,
        "the failed attempt has no result"
    );
    let steps = steps_of_task(&trace, "task-research");
    assert!(!steps.is_empty());
    assert!(steps
        .iter()
        .all(|&index| trace.steps[index].task_id.as_deref() == Some("task-research")));
}

#[test]
fn agent_figures_count_only_that_agents_work() {
    let trace = demo();
    let figures = agent_figures(&trace, "agent-factcheck");
    let task_ids: Vec<&str> = figures
        .tasks
        .iter()
        .map(|&i| trace.tasks[i].id.as_str())
        .collect();
    assert_eq!(task_ids, ["task-verify"]);
    let own_steps = trace
        .steps
        .iter()
        .filter(|step| step.agent_id.as_deref() == Some("agent-factcheck"))
        .count();
    assert_eq!(figures.steps, own_steps);
    assert_eq!(figures.llm_calls, 1);
    assert_eq!(
        figures.errors.len(),
        3,
        "two failed fetches and the error step"
    );
    assert_eq!(figures.models, ["gpt-4o-mini"]);
    assert_eq!(agent_figures(&trace, "nobody"), Default::default());
}

#[test]
fn json_nodes_summarise_and_fold_by_depth_and_size() {
    assert_eq!(json_summary(&json!({"a": 1})), "{1 key}");
    assert_eq!(json_summary(&json!([1, 2, 3])), "[3 items]");
    assert!(json_starts_open(0, 3));
    assert!(json_starts_open(1, 3));
    assert!(!json_starts_open(2, 3));
    assert!(!json_starts_open(0, 500));
}

#[test]
fn request_settings_are_the_keys_beside_the_messages() {
    let input = json!({"messages": [], "temperature": 0.2, "stop": ["\n"]});
    assert_eq!(
        request_settings(&input),
        [
            ("stop".to_string(), "[\"\\n\"]".to_string()),
            ("temperature".to_string(), "0.2".to_string())
        ]
    );
    assert!(request_settings(&json!({"query": "x"})).is_empty());
}

/// Messages as the OpenTelemetry GenAI conventions write them (`gen_ai.input.messages`,
/// `gen_ai.output.messages`, 2025–): roles and typed parts. The example follows the
/// conventions' own text.
#[test]
fn genai_parts_become_a_conversation_with_linked_tool_calls() {
    let input = serde_json::json!([
        {"role": "system", "parts": [{"type": "text", "content": "You are a travel agent."}]},
        {"role": "user", "parts": [
            {"type": "text", "content": "Weather in Paris?"},
            {"type": "blob", "modality": "image", "mime_type": "image/png", "content": "iVBORw0KGgoAAAANSUhEUgAA"},
            {"type": "uri", "modality": "video", "uri": "https://example.com/v.mp4"}
        ]},
        {"role": "assistant", "parts": [
            {"type": "reasoning", "content": "I should call the weather tool."},
            {"type": "tool_call", "id": "call_1", "name": "get_weather", "arguments": {"city": "Paris"}}
        ]},
        {"role": "tool", "parts": [{"type": "tool_call_response", "id": "call_1", "response": "rainy, 57°F"}]}
    ]);
    let messages = conversation(&input);
    let roles: Vec<&str> = messages.iter().map(|m| m.role.as_str()).collect();
    assert_eq!(roles, ["system", "user", "assistant", "tool"]);
    assert_eq!(messages[0].text, "You are a travel agent.");
    assert_eq!(
        messages[1].parts[1],
        Part::Media {
            label: "[image · image/png · 18 B inline, not shown]".to_string()
        }
    );
    assert_eq!(
        messages[1].parts[2],
        Part::Media {
            label: "[video · https://example.com/v.mp4, not fetched]".to_string()
        }
    );
    assert_eq!(
        messages[2].parts[0],
        Part::Reasoning("I should call the weather tool.".to_string())
    );
    assert_eq!(
        messages[2].text, r#"→ get_weather({"city":"Paris"})"#,
        "reasoning is not part of the text"
    );
    assert_eq!(
        messages[3].parts[0],
        Part::ToolResponse {
            id: Some("call_1".to_string()),
            name: Some("get_weather".to_string()),
            response: "rainy, 57°F".to_string(),
            server: false
        },
        "the response is named after its call"
    );
    let output = serde_json::json!([
        {"role": "assistant", "parts": [{"type": "text", "content": "Rainy."}], "finish_reason": "stop"}
    ]);
    let answer = response(&output);
    assert_eq!(answer[0].text, "Rainy.");
    assert_eq!(answer[0].finish_reason.as_deref(), Some("stop"));
}
