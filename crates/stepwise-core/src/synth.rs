//! Synthetic traces of any size, for tests and benchmarks. Pure core.
//!
//! The shape follows real CrewAI runs: agents work through tasks, a few tasks run in
//! parallel, and each task is a loop of reasoning → LLM call → tool call → tool result,
//! with tool timeouts retried and, now and then, an error. Strings are sized like real
//! ones (system prompts, chat history, tool results), so a step averages about 1 KB,
//! as in real agent traces (tests/fixtures/real/SOURCES.md; sizes in BENCHMARKS.md). The same seed gives the same file.

use std::io::{self, Write};

use serde_json::{json, Map, Value};

/// Which format the generator writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SynthFormat {
    /// Stepwise's own format (docs/format.md).
    Stepwise,
    /// OTLP/JSON with gen_ai attributes, as an OpenTelemetry collector exports it.
    Otlp,
}

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct SynthOptions {
    /// Steps to write, counted as the importer counts them (agents and tasks' steps).
    pub steps: usize,
    pub seed: u64,
    pub format: SynthFormat,
}

/// Steps of one loop iteration: reasoning, LLM call, tool call, tool result.
const ITERATION_STEPS: usize = 4;
/// Iterations a task runs before it finishes, so tasks stay a realistic size.
const ITERATIONS_PER_TASK: usize = 60;
/// Tasks that run side by side, like CrewAI's async tasks.
const PARALLEL_TASKS: usize = 3;
/// One step in this many is a tool call that times out (and is retried).
const TIMEOUT_EVERY: u64 = 97;
/// One task in this many fails with an error step.
const FAILED_TASK_EVERY: u64 = 41;
/// 2026-11-02T09:00:00Z, in ns.
const START_NS: i64 = 1_793_610_000_000_000_000;

const MODELS: [&str; 3] = [
    "gpt-4o-2024-08-06",
    "gpt-4o-mini",
    "claude-3-5-sonnet-20241022",
];
const TOOLS: [&str; 4] = ["web_search", "read_url", "run_sql", "python_exec"];
const ROLES: [&str; 6] = [
    "Senior Market Researcher",
    "Pricing Analyst",
    "Data Engineer",
    "Fact Checker",
    "Report Writer",
    "Planner",
];
const WORDS: [&str; 24] = [
    "pricing",
    "usage",
    "tier",
    "customer",
    "churn",
    "survey",
    "median",
    "build",
    "minutes",
    "cap",
    "overage",
    "team",
    "engineers",
    "market",
    "source",
    "report",
    "growth",
    "retention",
    "plan",
    "seat",
    "cost",
    "forecast",
    "revenue",
    "segment",
];

/// A small deterministic generator (SplitMix64): no dependency, same output everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `low..=high`.
    fn range(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high.saturating_sub(low) + 1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }

    /// Prose of about `chars` characters.
    fn prose(&mut self, chars: usize) -> String {
        let mut text = String::with_capacity(chars + 16);
        while text.len() < chars {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(self.pick(&WORDS));
        }
        text
    }
}

/// One generated step, before it is written in a format.
struct SynthStep {
    id: String,
    parent: Option<String>,
    task: usize,
    agent: usize,
    kind: &'static str,
    name: String,
    start_ns: i64,
    end_ns: i64,
    model: Option<&'static str>,
    usage: Option<(u64, u64)>,
    input: Option<Value>,
    output: Option<Value>,
    error: Option<(String, String)>,
    result_of: Option<String>,
}

/// One generated task.
struct SynthTask {
    name: String,
    agent: usize,
    start_ns: i64,
    end_ns: i64,
    failed: bool,
}

/// The generated run, format-neutral.
struct SynthRun {
    agents: usize,
    tasks: Vec<SynthTask>,
    steps: Vec<SynthStep>,
}

fn generate(options: &SynthOptions) -> SynthRun {
    let mut rng = Rng(options.seed);
    let target = options.steps.max(1);
    let agents = (target / 5_000 + 3).min(ROLES.len());
    let mut run = SynthRun {
        agents,
        tasks: Vec::new(),
        steps: Vec::with_capacity(target),
    };
    // Each lane runs its tasks one after another; lanes run side by side.
    let mut lane_clock_ns = [START_NS; PARALLEL_TASKS];
    while run.steps.len() < target {
        let task = run.tasks.len();
        let lane = task % PARALLEL_TASKS;
        let agent = task % agents;
        let failed = (task as u64 + 1).is_multiple_of(FAILED_TASK_EVERY);
        let start_ns = lane_clock_ns[lane] + 20_000_000;
        let root_id = format!("s{}", run.steps.len() + 1);
        let root_index = run.steps.len();
        run.steps.push(SynthStep {
            id: root_id.clone(),
            parent: None,
            task,
            agent,
            kind: "agent",
            name: ROLES[agent].to_string(),
            start_ns,
            end_ns: start_ns,
            model: None,
            usage: None,
            input: None,
            output: None,
            error: None,
            result_of: None,
        });
        let mut clock_ns = start_ns + 5_000_000;
        for iteration in 0..ITERATIONS_PER_TASK {
            if run.steps.len() + ITERATION_STEPS > target && iteration > 0 {
                break;
            }
            clock_ns = iterate(&mut rng, &mut run, &root_id, task, agent, clock_ns);
            if run.steps.len() >= target {
                break;
            }
        }
        if failed && run.steps.len() < target {
            let id = format!("s{}", run.steps.len() + 1);
            run.steps.push(SynthStep {
                id,
                parent: Some(root_id.clone()),
                task,
                agent,
                kind: "error",
                name: "Task failed".to_string(),
                start_ns: clock_ns,
                end_ns: clock_ns + 1_000_000,
                model: None,
                usage: None,
                input: None,
                output: None,
                error: Some((
                    "ValueError".to_string(),
                    format!("Agent stopped after {ITERATIONS_PER_TASK} iterations without a final answer"),
                )),
                result_of: None,
            });
            clock_ns += 1_000_000;
        }
        let end_ns = clock_ns + 5_000_000;
        if let Some(root) = run.steps.get_mut(root_index) {
            root.end_ns = end_ns;
        }
        run.tasks.push(SynthTask {
            name: format!("Task {}: {}", task + 1, rng.prose(40)),
            agent,
            start_ns,
            end_ns,
            failed,
        });
        lane_clock_ns[lane] = end_ns;
    }
    run.steps.truncate(target);
    run
}

/// One loop iteration of a task; returns the clock after it.
fn iterate(
    rng: &mut Rng,
    run: &mut SynthRun,
    parent: &str,
    task: usize,
    agent: usize,
    mut clock_ns: i64,
) -> i64 {
    let push = |run: &mut SynthRun, step: SynthStep| run.steps.push(step);
    let next_id = |run: &SynthRun| format!("s{}", run.steps.len() + 1);
    let base =
        |run: &SynthRun, kind: &'static str, name: String, start_ns: i64, end_ns: i64| SynthStep {
            id: next_id(run),
            parent: Some(parent.to_string()),
            task,
            agent,
            kind,
            name,
            start_ns,
            end_ns,
            model: None,
            usage: None,
            input: None,
            output: None,
            error: None,
            result_of: None,
        };

    let thinking_ms = rng.range(200, 1_500) as i64;
    let mut reasoning = base(
        run,
        "reasoning",
        "Plan the next step".into(),
        clock_ns,
        clock_ns + thinking_ms * 1_000_000,
    );
    reasoning.output = Some(Value::String(rng.prose(180)));
    clock_ns = reasoning.end_ns + 1_000_000;
    push(run, reasoning);

    let model = MODELS[(rng.next() % MODELS.len() as u64) as usize];
    let call_ms = rng.range(600, 6_000) as i64;
    let mut call = base(
        run,
        "llm_call",
        format!("{model} · next action"),
        clock_ns,
        clock_ns + call_ms * 1_000_000,
    );
    let (input_tokens, output_tokens) = (rng.range(400, 4_000), rng.range(20, 600));
    call.model = Some(model);
    call.usage = Some((input_tokens, output_tokens));
    call.input = Some(json!({"messages": [
        {"role": "system", "content": format!("You are {}. {}", ROLES[agent], rng.prose(420))},
        {"role": "user", "content": rng.prose(520)},
    ]}));
    call.output = Some(json!({"role": "assistant", "content": rng.prose(320)}));
    clock_ns = call.end_ns + 1_000_000;
    push(run, call);

    let tool = rng.pick(&TOOLS);
    let tool_ms = rng.range(50, 3_000) as i64;
    let mut tool_call = base(
        run,
        "tool_call",
        tool.to_string(),
        clock_ns,
        clock_ns + tool_ms * 1_000_000,
    );
    tool_call.input = Some(json!({"query": rng.prose(60)}));
    let timed_out = rng.next().is_multiple_of(TIMEOUT_EVERY);
    if timed_out {
        tool_call.error = Some((
            "ToolTimeoutError".to_string(),
            format!("{tool} did not answer within 5.0 s"),
        ));
    }
    let call_id = tool_call.id.clone();
    clock_ns = tool_call.end_ns;
    push(run, tool_call);

    let mut result = base(
        run,
        "tool_result",
        format!("{tool} result"),
        clock_ns,
        clock_ns + 100_000,
    );
    result.result_of = Some(call_id);
    result.output = Some(if timed_out {
        Value::String("timed out; retrying with a shorter query".to_string())
    } else {
        json!([{"title": rng.prose(40), "snippet": rng.prose(160)}])
    });
    clock_ns = result.end_ns + 2_000_000;
    push(run, result);
    clock_ns
}

/// Writes a synthetic trace of `options.steps` steps to `out`.
pub fn write_trace(options: &SynthOptions, out: &mut impl Write) -> io::Result<()> {
    let run = generate(options);
    match options.format {
        SynthFormat::Stepwise => write_stepwise(&run, options, out),
        SynthFormat::Otlp => write_otlp(&run, options, out),
    }
}

fn rfc3339(ns: i64) -> String {
    chrono::DateTime::from_timestamp_nanos(ns)
        .format("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string()
}

fn write_stepwise(run: &SynthRun, options: &SynthOptions, out: &mut impl Write) -> io::Result<()> {
    let end_ns = run
        .tasks
        .iter()
        .map(|task| task.end_ns)
        .max()
        .unwrap_or(START_NS);
    let failed = run.tasks.iter().any(|task| task.failed);
    write!(
        out,
        r#"{{"format":"stepwise-trace","version":1,"trace":{{"id":"synthetic-{}-{}","name":"Synthetic crew, {} steps","kind":"crew","status":"{}","start_time":"{}","end_time":"{}","output":"Synthetic run finished.","agents":["#,
        options.steps,
        options.seed,
        options.steps,
        if failed { "failed" } else { "completed" },
        rfc3339(START_NS),
        rfc3339(end_ns),
    )?;
    for (agent, role) in ROLES.iter().enumerate().take(run.agents) {
        let separator = if agent == 0 { "" } else { "," };
        let value = json!({"id": format!("agent-{agent}"), "role": role, "goal": "Finish the assigned tasks"});
        write!(out, "{separator}{value}")?;
    }
    out.write_all(br#"],"tasks":["#)?;
    for (index, task) in run.tasks.iter().enumerate() {
        let separator = if index == 0 { "" } else { "," };
        let value = json!({
            "id": format!("task-{index}"),
            "name": task.name,
            "agent_id": format!("agent-{}", task.agent),
            "status": if task.failed { "failed" } else { "completed" },
            "start_time": rfc3339(task.start_ns),
            "end_time": rfc3339(task.end_ns),
            "description": "A synthetic task of the benchmark trace.",
        });
        write!(out, "{separator}{value}")?;
    }
    out.write_all(br#"],"steps":["#)?;
    for (index, step) in run.steps.iter().enumerate() {
        let separator = if index == 0 { "" } else { "," };
        write!(out, "{separator}{}", Value::Object(stepwise_step(step)))?;
    }
    out.write_all(b"]}}\n")
}

fn stepwise_step(step: &SynthStep) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("id".into(), step.id.clone().into());
    if let Some(parent) = &step.parent {
        map.insert("parent_id".into(), parent.clone().into());
    }
    map.insert("task_id".into(), format!("task-{}", step.task).into());
    map.insert("agent_id".into(), format!("agent-{}", step.agent).into());
    map.insert("kind".into(), step.kind.into());
    map.insert("name".into(), step.name.clone().into());
    map.insert("start_time".into(), rfc3339(step.start_ns).into());
    map.insert("end_time".into(), rfc3339(step.end_ns).into());
    if let Some(model) = step.model {
        map.insert("model".into(), model.into());
    }
    if let Some((input_tokens, output_tokens)) = step.usage {
        map.insert(
            "usage".into(),
            json!({"input_tokens": input_tokens, "output_tokens": output_tokens}),
        );
    }
    if let Some(result_of) = &step.result_of {
        map.insert("result_of".into(), result_of.clone().into());
    }
    if let Some(input) = &step.input {
        map.insert("input".into(), input.clone());
    }
    if let Some(output) = &step.output {
        map.insert("output".into(), output.clone());
    }
    if let Some((kind, message)) = &step.error {
        map.insert("status".into(), "failed".into());
        map.insert("error".into(), json!({"type": kind, "message": message}));
    }
    map
}

fn otlp_attribute(key: &str, value: Value) -> Value {
    let value = match value {
        Value::Number(number) => json!({"intValue": number.to_string()}),
        Value::String(text) => json!({"stringValue": text}),
        other => json!({"stringValue": other.to_string()}),
    };
    json!({"key": key, "value": value})
}

fn write_otlp(run: &SynthRun, options: &SynthOptions, out: &mut impl Write) -> io::Result<()> {
    let trace_id = format!(
        "{:032x}",
        options.seed as u128 * 7_919 + options.steps as u128
    );
    let span_id = |index: usize| format!("{:016x}", index as u64 + 1);
    let end_ns = run
        .tasks
        .iter()
        .map(|task| task.end_ns)
        .max()
        .unwrap_or(START_NS);
    write!(
        out,
        r#"{{"resourceSpans":[{{"resource":{{"attributes":[{}]}},"scopeSpans":[{{"scope":{{"name":"stepwise.synth"}},"spans":["#,
        otlp_attribute("service.name", "synthetic-crew".into())
    )?;
    // The workflow span and one span per task come first; steps follow, parented to their task.
    let workflow_id = span_id(usize::MAX >> 1);
    let workflow = json!({
        "traceId": trace_id, "spanId": workflow_id, "name": format!("Synthetic crew, {} steps", options.steps),
        "kind": 1, "startTimeUnixNano": START_NS.to_string(), "endTimeUnixNano": end_ns.to_string(),
        "attributes": [otlp_attribute("gen_ai.operation.name", "invoke_workflow".into())],
    });
    write!(out, "{workflow}")?;
    let task_span = |index: usize| format!("{:016x}", (1u64 << 40) + index as u64);
    for (index, task) in run.tasks.iter().enumerate() {
        let mut span = json!({
            "traceId": trace_id, "spanId": task_span(index), "parentSpanId": workflow_id,
            "name": task.name, "kind": 1,
            "startTimeUnixNano": task.start_ns.to_string(), "endTimeUnixNano": task.end_ns.to_string(),
            "attributes": [otlp_attribute("traceloop.span.kind", "task".into())],
        });
        if task.failed {
            span["status"] = json!({"code": 2, "message": "task failed"});
        }
        write!(out, ",{span}")?;
    }
    let position: std::collections::HashMap<&str, usize> = run
        .steps
        .iter()
        .enumerate()
        .map(|(index, step)| (step.id.as_str(), index))
        .collect();
    for (index, step) in run.steps.iter().enumerate() {
        let parent = match step.parent.as_deref().and_then(|id| position.get(id)) {
            Some(parent) => span_id(*parent),
            None => task_span(step.task),
        };
        let mut attributes = vec![];
        match step.kind {
            "agent" => {
                attributes.push(otlp_attribute(
                    "gen_ai.operation.name",
                    "invoke_agent".into(),
                ));
                attributes.push(otlp_attribute(
                    "gen_ai.agent.name",
                    step.name.clone().into(),
                ));
            }
            "llm_call" => {
                attributes.push(otlp_attribute("gen_ai.operation.name", "chat".into()));
                if let Some(model) = step.model {
                    attributes.push(otlp_attribute("gen_ai.request.model", model.into()));
                }
                if let Some((input_tokens, output_tokens)) = step.usage {
                    attributes.push(otlp_attribute(
                        "gen_ai.usage.input_tokens",
                        input_tokens.into(),
                    ));
                    attributes.push(otlp_attribute(
                        "gen_ai.usage.output_tokens",
                        output_tokens.into(),
                    ));
                }
            }
            "tool_call" | "tool_result" => {
                attributes.push(otlp_attribute(
                    "gen_ai.operation.name",
                    "execute_tool".into(),
                ));
                attributes.push(otlp_attribute("gen_ai.tool.name", step.name.clone().into()));
            }
            _ => {}
        }
        if let Some(input) = &step.input {
            attributes.push(otlp_attribute(
                "gen_ai.input.messages",
                Value::String(input.to_string()),
            ));
        }
        if let Some(output) = &step.output {
            attributes.push(otlp_attribute(
                "gen_ai.output.messages",
                Value::String(output.to_string()),
            ));
        }
        let mut span = json!({
            "traceId": trace_id, "spanId": span_id(index), "parentSpanId": parent,
            "name": step.name, "kind": 1,
            "startTimeUnixNano": step.start_ns.to_string(), "endTimeUnixNano": step.end_ns.to_string(),
            "attributes": attributes,
        });
        if let Some((kind, message)) = &step.error {
            span["status"] = json!({"code": 2, "message": format!("{kind}: {message}")});
        }
        write!(out, ",{span}")?;
    }
    out.write_all(b"]}]}]}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generated(steps: usize, format: SynthFormat) -> Vec<u8> {
        let mut out = Vec::new();
        write_trace(
            &SynthOptions {
                steps,
                seed: 7,
                format,
            },
            &mut out,
        )
        .expect("writes to memory");
        out
    }

    #[test]
    fn the_same_seed_gives_the_same_file() {
        assert_eq!(
            generated(300, SynthFormat::Stepwise),
            generated(300, SynthFormat::Stepwise)
        );
        let mut other = Vec::new();
        write_trace(
            &SynthOptions {
                steps: 300,
                seed: 8,
                format: SynthFormat::Stepwise,
            },
            &mut other,
        )
        .expect("writes to memory");
        assert_ne!(other, generated(300, SynthFormat::Stepwise));
    }

    #[test]
    fn steps_average_about_a_kilobyte() {
        let bytes = generated(2_000, SynthFormat::Stepwise).len();
        assert!(
            (600..1_600).contains(&(bytes / 2_000)),
            "{bytes} bytes for 2,000 steps"
        );
    }
}
