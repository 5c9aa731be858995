//! The reader view's blocks, built from real and synthetic traces: asks, replies with
//! their reasoning apart, tool calls with their results, handoffs, errors, and nothing else.
#![cfg(not(target_arch = "wasm32"))]

use stepwise_core::import::import_bytes;
use stepwise_core::model::{RawJson, Status, StepKind, Trace};
use stepwise_core::reader::export::markdown;
use stepwise_core::reader::find::find;
use stepwise_core::reader::text::{CUT_CHARS, CUT_LINES};
use stepwise_core::reader::{blocks, full_text, Block, BlockKind};
use stepwise_core::synth::{write_trace, SynthFormat, SynthOptions};
use stepwise_core::tree::step_rows;

fn load(path: &str) -> Vec<Trace> {
    let bytes = std::fs::read(format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|error| panic!("{path}: {error}"));
    import_bytes(&bytes).unwrap_or_else(|error| panic!("{path}: {error:?}"))
}

fn first(path: &str) -> Trace {
    load(path).remove(0)
}

fn all_blocks(trace: &Trace) -> Vec<Block> {
    blocks(trace, &step_rows(trace), None)
}

/// "kind who: text" per block, for readable failures.
fn outline(blocks: &[Block]) -> Vec<String> {
    blocks
        .iter()
        .map(|block| {
            let text = block
                .texts()
                .first()
                .map(|text| text.shown.chars().take(40).collect::<String>())
                .unwrap_or_default();
            format!(
                "{} {}: {}",
                block.kind.key(),
                block.who.as_deref().unwrap_or("-"),
                text.replace('\n', " ")
            )
        })
        .collect()
}

fn kinds(blocks: &[Block]) -> Vec<&'static str> {
    blocks.iter().map(|block| block.kind.key()).collect()
}

#[test]
fn the_demo_reads_as_asks_replies_tools_handoffs_and_errors() {
    let trace = first("public/demo/trace.json");
    let blocks = all_blocks(&trace);
    let lines = outline(&blocks);
    // The first agent is asked its task, in the task's words.
    assert_eq!(kinds(&blocks)[0], "ask", "{lines:#?}");
    let ask = &blocks[0];
    assert_eq!(ask.who.as_deref(), Some("Senior Market Researcher"));
    let BlockKind::Ask { task, text } = &ask.kind else {
        unreachable!()
    };
    assert_eq!(task.as_deref(), Some("Research the market"));
    assert!(text
        .as_ref()
        .is_some_and(|t| t.shown.contains("usage-based pricing")));
    // Each agent after the first is handed the work.
    let handoffs: Vec<(&str, &str)> = blocks
        .iter()
        .filter_map(|block| match &block.kind {
            BlockKind::Handoff { from, to, .. } => Some((from.as_str(), to.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        handoffs[0],
        ("Senior Market Researcher", "Pricing Analyst"),
        "{lines:#?}"
    );
    assert_eq!(handoffs.len(), 4, "{handoffs:?}");
    // A tool result is shown with its call, never alone.
    let scrape = blocks
        .iter()
        .find_map(|block| match &block.kind {
            BlockKind::Tools { calls } => calls.iter().find(|c| c.name == "scrape_website"),
            _ => None,
        })
        .expect("the scrape call");
    assert!(scrape
        .arguments
        .as_ref()
        .is_some_and(|a| a.shown.contains("devtools-pricing-2026")));
    assert!(scrape
        .result
        .as_ref()
        .is_some_and(|r| r.shown.contains("State of Developer Tool Pricing")));
    let result_step = scrape.result_step.expect("linked to its result step");
    assert_eq!(trace.steps[result_step].kind, StepKind::ToolResult);
    let shown_steps: Vec<usize> = blocks.iter().flat_map(|b| b.steps.clone()).collect();
    assert_eq!(
        shown_steps.iter().filter(|&&s| s == result_step).count(),
        1,
        "the result belongs to one block"
    );
    // The failed first attempt of web_search carries its error, inline, marked failed.
    let timeout = blocks
        .iter()
        .find(|block| matches!(&block.kind, BlockKind::Tools { calls } if calls.iter().any(|c| c.error.as_ref().is_some_and(|e| e.shown.contains("ToolTimeoutError")))))
        .expect("the timed-out call");
    assert!(timeout.failed);
    // The error step is a block of its own, in red.
    assert!(blocks.iter().any(|block| matches!(&block.kind, BlockKind::Error { text, .. } if text.as_ref().is_some_and(|t| t.shown.contains("could not be verified"))) && block.failed));
    // The agent's own reasoning step is a reasoning block; replies say what the model said.
    assert!(kinds(&blocks).contains(&"reasoning"));
    let reply = blocks
        .iter()
        .find_map(|block| match &block.kind {
            BlockKind::Reply { model, text, .. } => Some((model.clone(), text.clone())),
            _ => None,
        })
        .expect("a reply");
    assert!(reply.0.is_some_and(|model| model.starts_with("gpt-4o")));
    assert!(reply
        .1
        .is_some_and(|t| t.shown.contains("search for recent pricing-model data")));
}

#[test]
fn a_crewai_batch_asks_the_task_and_answers() {
    let trace = first("tests/fixtures/real/crewai-trace-batch-events-v1.6.0.json");
    let blocks = all_blocks(&trace);
    assert_eq!(kinds(&blocks), ["ask", "reply"], "{:#?}", outline(&blocks));
    let BlockKind::Ask { text, .. } = &blocks[0].kind else {
        unreachable!()
    };
    assert_eq!(
        text.as_ref().map(|t| t.shown.as_str()),
        Some("Say hello to the world")
    );
    assert_eq!(blocks[0].who.as_deref(), Some("Test Agent"));
    let BlockKind::Reply { text, .. } = &blocks[1].kind else {
        unreachable!()
    };
    assert!(text
        .as_ref()
        .is_some_and(|t| t.shown.contains("Final Answer: hello world")));
    // Each block links to its step.
    assert_eq!(trace.steps[blocks[1].step()].kind, StepKind::LlmCall);
}

#[test]
fn genai_spans_keep_the_conversation_and_leave_the_plumbing_out() {
    let trace = first("tests/fixtures/otlp/genai-2026-messages.from-semconv.json");
    let blocks = all_blocks(&trace);
    let lines = outline(&blocks);
    let shown: Vec<StepKind> = blocks
        .iter()
        .flat_map(|block| block.steps.iter().map(|&s| trace.steps[s].kind))
        .collect();
    for plumbing in [
        StepKind::Span,
        StepKind::Memory,
        StepKind::Retrieval,
        StepKind::Embedding,
        StepKind::Plan,
    ] {
        assert!(!shown.contains(&plumbing), "{plumbing:?} in {lines:#?}");
    }
    // `create_agent` did nothing to read; `invoke_agent` is asked the user's question.
    assert_eq!(kinds(&blocks)[0], "ask", "{lines:#?}");
    assert_eq!(
        blocks.iter().filter(|b| b.kind.key() == "ask").count(),
        1,
        "{lines:#?}"
    );
    assert!(lines[0].contains("Weather"), "{lines:#?}");
    // The reasoning is kept apart from what the model said, and not repeated as a block.
    let BlockKind::Reply {
        reasoning, text, ..
    } = &blocks[1].kind
    else {
        panic!("{lines:#?}")
    };
    assert!(reasoning
        .as_ref()
        .is_some_and(|r| r.shown.contains("call get_weather")));
    assert!(!text
        .as_ref()
        .is_some_and(|t| t.shown.contains("call get_weather.")));
    assert!(!kinds(&blocks).contains(&"reasoning"), "{lines:#?}");
    // The content-filtered reply is failed, with its error inline.
    let filtered = blocks
        .iter()
        .find(|block| matches!(&block.kind, BlockKind::Reply { error: Some(e), .. } if e.shown.contains("content filter")))
        .expect("the filtered reply");
    assert!(filtered.failed);
    let tools = blocks
        .iter()
        .find(|b| b.kind.key() == "tools")
        .expect("the tool call");
    let BlockKind::Tools { calls } = &tools.kind else {
        unreachable!()
    };
    assert!(calls[0]
        .result
        .as_ref()
        .is_some_and(|r| r.shown.contains("rainy")));
}

#[test]
fn parallel_tool_calls_are_one_block_and_delegation_is_a_handoff() {
    let trace = first("tests/fixtures/atif/stock-price-with-subagent.from-spec.json");
    let blocks = all_blocks(&trace);
    let lines = outline(&blocks);
    let group = blocks
        .iter()
        .find_map(|block| match &block.kind {
            BlockKind::Tools { calls } if calls.len() > 1 => Some(calls),
            _ => None,
        })
        .unwrap_or_else(|| panic!("{lines:#?}"));
    let names: Vec<&str> = group.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["financial_search", "financial_search"]);
    assert!(group[0]
        .result
        .as_ref()
        .is_some_and(|r| r.shown.contains("185.35")));
    assert!(group[1]
        .error
        .as_ref()
        .is_some_and(|e| e.shown.contains("did not answer")));
    let handoff = blocks
        .iter()
        .find_map(|block| match &block.kind {
            BlockKind::Handoff {
                from,
                to,
                delegated,
            } => Some((from.clone(), to.clone(), *delegated)),
            _ => None,
        })
        .unwrap_or_else(|| panic!("{lines:#?}"));
    assert_eq!(
        handoff,
        ("harbor-agent".into(), "volume-researcher".into(), true)
    );
    // The delegated agent's blocks sit one level in.
    let sub_ask = blocks
        .iter()
        .position(|b| b.kind.key() == "ask" && b.who.as_deref() == Some("volume-researcher"))
        .unwrap_or_else(|| panic!("{lines:#?}"));
    assert!(blocks[sub_ask].depth > 0);
}

#[test]
fn sequential_tool_calls_stay_apart() {
    let trace = first("tests/fixtures/crewai/tool_error_then_retry.json");
    let blocks = all_blocks(&trace);
    let tools: Vec<&Block> = blocks.iter().filter(|b| b.kind.key() == "tools").collect();
    assert_eq!(tools.len(), 2, "{:#?}", outline(&blocks));
    assert!(tools[0].failed && !tools[1].failed);
}

#[test]
fn overlapping_tool_calls_of_one_parent_are_grouped() {
    let mut trace = first("tests/fixtures/crewai/tool_error_then_retry.json");
    // The retry now starts before the first call ends: they ran at once.
    let first_end = trace
        .steps
        .iter()
        .find(|s| s.kind == StepKind::ToolCall)
        .and_then(|s| s.end_ns)
        .expect("an end");
    if let Some(retry) = trace
        .steps
        .iter_mut()
        .filter(|s| s.kind == StepKind::ToolCall)
        .nth(1)
    {
        retry.start_ns = Some(first_end - 1);
    }
    let blocks = all_blocks(&trace);
    let tools: Vec<&Block> = blocks.iter().filter(|b| b.kind.key() == "tools").collect();
    assert_eq!(tools.len(), 1, "{:#?}", outline(&blocks));
    assert_eq!(tools[0].steps.len(), 2);
}

#[test]
fn a_root_shows_only_its_subtree() {
    let trace = first("public/demo/trace.json");
    let rows = step_rows(&trace);
    let root = trace.steps.iter().position(|s| s.id == "s11").expect("s11");
    let blocks = blocks(&trace, &rows, Some(root));
    let whos: Vec<&str> = blocks.iter().filter_map(|b| b.who.as_deref()).collect();
    assert!(!whos.is_empty());
    assert!(whos.iter().all(|who| *who == "Pricing Analyst"), "{whos:?}");
    assert!(!kinds(&blocks).contains(&"handoff"));
    let missing = trace.steps.len() + 5;
    assert!(stepwise_core::reader::blocks(&trace, &rows, Some(missing)).is_empty());
}

#[test]
fn huge_payloads_are_cut_and_base64_is_named() {
    let mut trace = first("public/demo/trace.json");
    let image = "iVBORw0KGgoAAAANSUhEUgAA".repeat(100);
    let long = "a line of output\n".repeat(CUT_LINES * 10);
    for step in &mut trace.steps {
        match step.id.as_str() {
            "s09" => step.output = Some(RawJson::string(&long)),
            "s15" => {
                step.output = Some(RawJson::string(&format!(
                    "chart: data:image/png;base64,{image}"
                )))
            }
            _ => {}
        }
    }
    let blocks = all_blocks(&trace);
    let results: Vec<_> = blocks
        .iter()
        .filter_map(|block| match &block.kind {
            BlockKind::Tools { calls } => Some(calls.clone()),
            _ => None,
        })
        .flatten()
        .filter_map(|call| call.result)
        .collect();
    let cut = results
        .iter()
        .find(|r| r.shown.starts_with("a line of output"))
        .expect("the long result");
    assert!(cut.is_cut());
    assert_eq!(cut.shown.lines().count(), CUT_LINES);
    assert_eq!(cut.full_chars, long.trim().chars().count());
    assert!(cut.shown.chars().count() <= CUT_CHARS);
    // "Show all" fetches the whole text again.
    assert_eq!(full_text(&trace, cut.source), long.trim());
    let chart = results
        .iter()
        .find(|r| r.shown.starts_with("chart:"))
        .expect("the chart");
    assert!(
        chart.shown.contains("[base64 image/png · "),
        "{}",
        chart.shown
    );
    assert!(!chart.shown.contains("iVBOR"));
}

#[test]
fn find_counts_the_blocks_that_hold_the_words() {
    let trace = first("public/demo/trace.json");
    let blocks = all_blocks(&trace);
    let hits = find(&blocks, "WEB_SEARCH");
    assert!(!hits.is_empty());
    for &hit in &hits {
        let block = &blocks[hit];
        let words = format!("{:?}{:?}", block.labels(), block.texts()).to_lowercase();
        assert!(words.contains("web_search"), "{words}");
    }
    // Blocks without it are not hits.
    assert!(hits.len() < blocks.len());
    assert!(find(&blocks, "  ").is_empty());
    assert!(find(&blocks, "no such words anywhere").is_empty());
}

#[test]
fn the_demo_as_markdown() {
    let trace = first("public/demo/trace.json");
    insta::assert_snapshot!(markdown(&trace, &all_blocks(&trace)));
}

#[test]
fn hostile_text_stays_text_in_the_markdown() {
    let mut trace = first("public/demo/trace.json");
    for step in &mut trace.steps {
        if step.id == "s03" {
            step.output = Some(RawJson::string(
                "```\n<script>alert(1)</script>\n[x](javascript:y)",
            ));
        }
        if step.id == "s01" {
            step.name = "x".into();
        }
    }
    trace.agents[0].role = "<img src=x onerror=alert(1)> | **bold**".into();
    let text = markdown(&trace, &all_blocks(&trace));
    // The role is escaped wherever it is named; the reply sits in a longer fence.
    assert!(text.contains("\\<img"), "{text}");
    assert!(!text.replace("\\<img", "").contains("<img"), "{text}");
    assert!(text.contains("````text\n```\n<script>"), "{text}");
}

#[test]
fn a_hundred_thousand_steps_build_in_one_pass() {
    let mut bytes = Vec::new();
    write_trace(
        &SynthOptions {
            steps: 100_000,
            seed: 7,
            format: SynthFormat::Stepwise,
        },
        &mut bytes,
    )
    .expect("writes to memory");
    let trace = import_bytes(&bytes).expect("imports").remove(0);
    let blocks = all_blocks(&trace);
    let tool_calls = trace
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::ToolCall)
        .count();
    let in_blocks: usize = blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Tools { calls } => Some(
                calls
                    .iter()
                    .filter(|c| trace.steps[c.step].kind == StepKind::ToolCall)
                    .count(),
            ),
            _ => None,
        })
        .sum();
    assert_eq!(in_blocks, tool_calls, "every tool call is in a block");
    let replies = blocks.iter().filter(|b| b.kind.key() == "reply").count();
    let llm_calls = trace
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::LlmCall)
        .count();
    assert_eq!(replies, llm_calls);
    let failed_steps = trace.steps.iter().any(|s| s.status == Status::Failed);
    assert_eq!(blocks.iter().any(|b| b.failed), failed_steps);
    assert!(blocks.iter().all(|b| b
        .texts()
        .iter()
        .all(|t| t.shown.chars().count() <= CUT_CHARS)));
}
