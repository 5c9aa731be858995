//! Traces built from a compact text description, for the insight, search, compare and
//! rollup tests. One line per item; times are milliseconds from the trace start:
//!
//! ```text
//! trace 0-1000                                  (optional: the trace's own window)
//! agent a1 Researcher
//! task t1 Research 0-500 agent=a1 status=failed output='"text"'
//! s1 agent Researcher 0-500 task=t1 agent=a1
//! s2 llm "gpt · plan" 10-90 parent=s1 model=gpt-4o in=100 out=20 cost=0.01
//! s3 tool web_search 100-? parent=s1 input='{"q": "x"}' status=failed error=timeout
//! ```
//!
//! Kinds: llm, tool, result, reasoning, error, agent, task, span, other. `?` as an end
//! leaves the step running. Quote with "…" or '…' (single quotes for JSON).
#![allow(dead_code)]

use serde_json::Map;
use stepwise_core::model::{
    Agent, Cost, CostSource, RawJson, SourceFormat, Status, Step, StepError, StepKind, Task, Trace,
    TraceKind, Usage,
};

pub const MS: i64 = 1_000_000;

/// Splits on spaces, keeping quoted runs together (quotes removed).
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut in_word = false;
    for c in line.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => current.push(c),
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                in_word = true;
            }
            None if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            None => {
                current.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(current);
    }
    out
}

fn span(text: &str) -> (Option<i64>, Option<i64>) {
    let (start, end) = text.split_once('-').expect("a start-end span");
    let ms = |t: &str| (t != "?").then(|| t.parse::<i64>().expect("milliseconds") * MS);
    (ms(start), ms(end))
}

fn kind(text: &str) -> StepKind {
    match text {
        "llm" => StepKind::LlmCall,
        "tool" => StepKind::ToolCall,
        "result" => StepKind::ToolResult,
        "reasoning" => StepKind::Reasoning,
        "error" => StepKind::Error,
        "agent" => StepKind::Agent,
        "task" => StepKind::Task,
        "span" => StepKind::Span,
        "other" => StepKind::Other,
        other => panic!("unknown kind {other}"),
    }
}

fn status(text: &str) -> Status {
    match text {
        "failed" => Status::Failed,
        "running" => Status::Running,
        "completed" => Status::Completed,
        other => panic!("unknown status {other}"),
    }
}

fn json(text: &str) -> RawJson {
    RawJson::from_json_text(text).unwrap_or_else(|| RawJson::string(text))
}

/// Builds a trace from the description above.
pub fn build(description: &str) -> Trace {
    let mut trace = Trace {
        id: "fixture".into(),
        name: "fixture".into(),
        kind: TraceKind::Crew,
        status: Status::Completed,
        start_ns: None,
        end_ns: None,
        input: None,
        final_output: None,
        metadata: Map::new(),
        agents: Vec::new(),
        tasks: Vec::new(),
        steps: Vec::new(),
        source_format: SourceFormat::Stepwise,
        repairs: Vec::new(),
        links: Default::default(),
        notes: Default::default(),
    };
    let mut window = None;
    for line in description.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let words = words(line);
        match words[0].as_str() {
            "trace" => window = Some(span(&words[1])),
            "agent" => trace.agents.push(Agent {
                id: words[1].clone(),
                role: words[2].clone(),
                ..Agent::default()
            }),
            "task" => trace.tasks.push(task(&words)),
            _ => trace.steps.push(step(&words)),
        }
    }
    let (start, end) = window.unwrap_or_else(|| {
        let start = trace.steps.iter().filter_map(|s| s.start_ns).min();
        let end = trace.steps.iter().filter_map(|s| s.end_ns).max();
        (start, end)
    });
    trace.start_ns = start;
    trace.end_ns = end;
    trace
}

fn task(words: &[String]) -> Task {
    let (start_ns, end_ns) = span(&words[3]);
    let mut task = Task {
        id: words[1].clone(),
        name: words[2].clone(),
        start_ns,
        end_ns,
        ..Task::default()
    };
    for pair in &words[4..] {
        let (key, value) = pair.split_once('=').expect("key=value");
        match key {
            "agent" => task.agent_id = Some(value.to_string()),
            "status" => task.status = status(value),
            "output" => task.output = Some(json(value)),
            "input" => task.input = Some(json(value)),
            other => panic!("unknown task key {other}"),
        }
    }
    task
}

fn step(words: &[String]) -> Step {
    let (start_ns, end_ns) = span(&words[3]);
    let mut step = Step {
        id: words[0].clone(),
        kind: kind(&words[1]),
        name: words[2].clone(),
        start_ns,
        end_ns,
        status: if end_ns.is_none() {
            Status::Running
        } else {
            Status::Completed
        },
        usage: Usage::default(),
        ..Step::default()
    };
    for pair in &words[4..] {
        let (key, value) = pair.split_once('=').expect("key=value");
        match key {
            "parent" => step.parent_id = Some(value.to_string()),
            "task" => step.task_id = Some(value.to_string()),
            "agent" => step.agent_id = Some(value.to_string()),
            "model" => step.model = Some(value.to_string()),
            "in" => step.usage.input_tokens = Some(value.parse().expect("tokens")),
            "out" => step.usage.output_tokens = Some(value.parse().expect("tokens")),
            "cost" => {
                step.cost = Some(Cost {
                    usd: value.parse().expect("dollars"),
                    source: CostSource::Stated,
                })
            }
            "status" => step.status = status(value),
            "input" => step.input = Some(json(value)),
            "output" => step.output = Some(json(value)),
            "result_of" => step.result_of = Some(value.to_string()),
            "error" => {
                step.error = Some(StepError {
                    message: value.to_string(),
                    ..StepError::default()
                })
            }
            other => panic!("unknown step key {other}"),
        }
    }
    step
}

/// The index of the step with `id`.
pub fn at(trace: &Trace, id: &str) -> usize {
    trace
        .steps
        .iter()
        .position(|s| s.id == id)
        .unwrap_or_else(|| panic!("no step {id}"))
}

/// The ids of `steps`, for readable assertions.
pub fn ids(trace: &Trace, steps: &[usize]) -> Vec<String> {
    steps.iter().map(|&i| trace.steps[i].id.clone()).collect()
}

/// The built-in demo trace, as the app opens it (before prices are applied).
pub fn demo() -> Trace {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../public/demo/trace.json"
    ))
    .expect("the demo trace is in public/demo");
    let mut traces = stepwise_core::import::import_bytes(&bytes).expect("the demo imports");
    traces.remove(0)
}

/// The demo with the app's price estimates applied, as the page shows it.
pub fn demo_priced() -> Trace {
    let mut trace = demo();
    let prices = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../public/prices.json"
    ))
    .expect("the price table is in public/");
    let table =
        stepwise_core::pricing::PriceTable::from_compact_json(&prices).expect("valid table");
    stepwise_core::pricing::estimate_costs(&mut trace, &table);
    trace
}

/// A synthetic trace of about `steps` steps.
pub fn synth(steps: usize) -> Trace {
    let options = stepwise_core::synth::SynthOptions {
        steps,
        seed: 7,
        format: stepwise_core::synth::SynthFormat::Stepwise,
    };
    let mut bytes = Vec::new();
    stepwise_core::synth::write_trace(&options, &mut bytes).expect("written");
    let mut traces = stepwise_core::import::import_bytes(&bytes).expect("imports");
    traces.remove(0)
}
