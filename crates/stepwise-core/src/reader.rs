//! The reader view's content: the run as one conversation of blocks, in reading order. Pure core.
//!
//! Only what a person reads as the conversation becomes a block: what each agent was
//! asked, what the model said (its reasoning kept apart, to be folded), tool calls with
//! their results, handoffs between agents, and errors. Spans of plumbing (workflow
//! wrappers, memory, retrieval, anything else) are left out unless they failed.

pub mod export;
pub mod find;
pub mod layout;
pub mod text;

use crate::fast_hash::{map_with_capacity, HashMap};
use crate::model::{value_as_text, Status, Step, StepKind, Trace};
use crate::present::{conversation, embedded_json, response, Part};
use crate::tree::StepRow;
use text::{name_base64, Cut};

/// Where a text of a block comes from, so the whole of it can be fetched again when
/// someone asks to see all of a cut one (`full_text`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Source {
    /// Index into `trace.steps`.
    pub step: usize,
    pub field: Field,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// The description of the step's task.
    TaskDescription,
    /// The step's input, as text.
    Input,
    /// The step's output, as text.
    Output,
    /// The first user message of an LLM call's prompt.
    FirstUserMessage,
    /// The last user message of an LLM call's prompt.
    LastUserMessage,
    /// What the model answered, without its reasoning.
    Reply,
    /// The reasoning parts of an LLM call's answer.
    Reasoning,
    /// A tool call's arguments (a JSON string shown as the JSON it holds).
    Arguments,
    /// The step's error: type and message.
    Error,
}

/// A text of a block, cut to what a page can lay out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    pub shown: String,
    pub full_chars: usize,
    pub source: Source,
}

impl Text {
    fn new(text: &str, source: Source) -> Option<Text> {
        let text = name_base64(text.trim());
        if text.is_empty() {
            return None;
        }
        let cut = Cut::of(&text);
        Some(Text {
            shown: cut.shown,
            full_chars: cut.full_chars,
            source,
        })
    }

    pub fn is_cut(&self) -> bool {
        self.shown.chars().count() < self.full_chars
    }
}

/// One tool call in a block, with the result that answered it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ToolUse {
    /// The call's step; for a result whose call is not in view, the result's.
    pub step: usize,
    pub name: String,
    pub arguments: Option<Text>,
    pub result: Option<Text>,
    /// The tool result step that answered the call, when it is a step of its own.
    pub result_step: Option<usize>,
    pub error: Option<Text>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// What an agent (or, with no agent, the user) asked: a task, an input, a message.
    Ask {
        task: Option<String>,
        text: Option<Text>,
    },
    /// Work passing from one agent to another: in turn, or delegated from inside.
    Handoff {
        from: String,
        to: String,
        delegated: bool,
    },
    /// What the model said, its reasoning apart.
    Reply {
        model: Option<String>,
        text: Option<Text>,
        reasoning: Option<Text>,
        error: Option<Text>,
    },
    /// An agent's reasoning outside any LLM call (a plan, a reflection).
    Reasoning { text: Option<Text> },
    /// One tool call, or several made at once (same parent, overlapping in time).
    Tools { calls: Vec<ToolUse> },
    /// A failure: an error step, or a failed step that is otherwise left out.
    Error { name: String, text: Option<Text> },
}

impl BlockKind {
    /// The name of the kind, for classes and tests.
    pub fn key(&self) -> &'static str {
        match self {
            BlockKind::Ask { .. } => "ask",
            BlockKind::Handoff { .. } => "handoff",
            BlockKind::Reply { .. } => "reply",
            BlockKind::Reasoning { .. } => "reasoning",
            BlockKind::Tools { .. } => "tools",
            BlockKind::Error { .. } => "error",
        }
    }
}

/// One block of the conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    /// Indices into `trace.steps` the block stands for; the first is the one it links to.
    pub steps: Vec<usize>,
    /// Who speaks: the agent's role ("user" for an ask outside any agent).
    pub who: Option<String>,
    /// How many agents enclose it: a delegated agent's blocks sit one level in.
    pub depth: usize,
    /// The block, or one of its calls, failed.
    pub failed: bool,
}

impl Block {
    /// The step a link on the block selects.
    pub fn step(&self) -> usize {
        self.steps.first().copied().unwrap_or(0)
    }

    /// Every text of the block, in the order a view shows them.
    pub fn texts(&self) -> Vec<&Text> {
        match &self.kind {
            BlockKind::Ask { text, .. } | BlockKind::Reasoning { text } => text.iter().collect(),
            BlockKind::Error { text, .. } => text.iter().collect(),
            BlockKind::Handoff { .. } => Vec::new(),
            BlockKind::Reply {
                text,
                reasoning,
                error,
                ..
            } => [reasoning, text, error].into_iter().flatten().collect(),
            BlockKind::Tools { calls } => calls
                .iter()
                .flat_map(|call| [&call.arguments, &call.result, &call.error])
                .flatten()
                .collect(),
        }
    }

    /// The block's own words beside its texts: names, the task, the agents of a handoff.
    pub fn labels(&self) -> Vec<&str> {
        let mut labels: Vec<&str> = self.who.as_deref().into_iter().collect();
        match &self.kind {
            BlockKind::Ask { task, .. } => labels.extend(task.as_deref()),
            BlockKind::Handoff { from, to, .. } => labels.extend([from.as_str(), to.as_str()]),
            BlockKind::Reply { model, .. } => labels.extend(model.as_deref()),
            BlockKind::Tools { calls } => labels.extend(calls.iter().map(|c| c.name.as_str())),
            BlockKind::Error { name, .. } => labels.push(name),
            BlockKind::Reasoning { .. } => {}
        }
        labels
    }
}

/// The rows of `root`'s subtree (the root included), or all rows. Rows are depth-first,
/// so a subtree is the root's row and the deeper rows right after it.
pub fn subtree(rows: &[StepRow], root: Option<usize>) -> &[StepRow] {
    let Some(root) = root else {
        return rows;
    };
    let Some(at) = rows.iter().position(|row| row.step == root) else {
        return &[];
    };
    let depth = rows[at].depth;
    let len = rows[at + 1..]
        .iter()
        .position(|row| row.depth <= depth)
        .unwrap_or(rows.len() - at - 1);
    &rows[at..=at + len]
}

/// The text of `source` in full, base64 runs named, for "Show all".
pub fn full_text(trace: &Trace, source: Source) -> String {
    trace
        .steps
        .get(source.step)
        .and_then(|step| extract(trace, source.step, step, source.field))
        .map(|text| name_base64(text.trim()).into_owned())
        .unwrap_or_default()
}

fn extract(trace: &Trace, index: usize, step: &Step, field: Field) -> Option<String> {
    let json_text = |raw: &Option<crate::model::RawJson>| {
        let raw = raw.as_ref()?;
        Some(
            raw.as_string()
                .unwrap_or_else(|| value_as_text(&raw.parse())),
        )
    };
    match field {
        Field::TaskDescription => {
            let task = trace.links().task.get(index).copied().flatten()?;
            let task = trace.tasks.get(task)?;
            task.description.clone().or_else(|| Some(task.name.clone()))
        }
        Field::Input => json_text(&step.input),
        Field::Output => json_text(&step.output),
        Field::FirstUserMessage | Field::LastUserMessage => {
            let messages = conversation(&step.input.as_ref()?.parse());
            let mut users = messages.into_iter().filter(|m| m.role == "user");
            let message = match field {
                Field::FirstUserMessage => users.next(),
                _ => users.next_back(),
            };
            message.map(|message| message.text)
        }
        Field::Reply | Field::Reasoning => {
            let output = step.output.as_ref()?;
            if let Some(text) = output.as_string() {
                return (field == Field::Reply).then_some(text);
            }
            let value = output.parse();
            let messages = response(&value);
            if field == Field::Reasoning {
                let parts: Vec<String> = messages
                    .iter()
                    .flat_map(|message| &message.parts)
                    .filter_map(|part| match part {
                        Part::Reasoning(text) => Some(text.clone()),
                        _ => None,
                    })
                    .collect();
                return (!parts.is_empty()).then(|| parts.join("\n\n"));
            }
            if messages.is_empty() {
                // A shape `present` does not read: the answer as it was recorded.
                return Some(value_as_text(&value));
            }
            let texts: Vec<String> = messages.into_iter().map(|m| m.text).collect();
            Some(texts.join("\n\n"))
        }
        Field::Arguments => {
            let input = step.input.as_ref()?;
            Some(value_as_text(&embedded_json(&input.parse())))
        }
        Field::Error => {
            let error = step.error.as_ref()?;
            Some(match &error.error_type {
                Some(kind) => format!("{kind}: {}", error.message),
                None => error.message.clone(),
            })
        }
    }
}

/// Builds the blocks of `trace` in reading order (`rows`, from `tree::step_rows`), or of
/// the subtree of the step `root` only. One pass over the rows.
pub fn blocks(trace: &Trace, rows: &[StepRow], root: Option<usize>) -> Vec<Block> {
    Builder::new(trace, subtree(rows, root)).build()
}

/// A user's message kept as a step (ATIF `source: user`).
fn is_user_message(step: &Step) -> bool {
    step.attributes
        .get("atif.source")
        .and_then(serde_json::Value::as_str)
        == Some("user")
}

/// An agent (or task) whose blocks are being built.
struct Open {
    depth: usize,
    /// How many agents it works for: 0 for a top agent, 1 for one it delegated to…
    level: usize,
    step: usize,
    role: String,
    /// Its ask block, while it says nothing yet (its first LLM call's user message fills it).
    empty_ask: Option<usize>,
}

struct Builder<'a> {
    trace: &'a Trace,
    rows: &'a [StepRow],
    out: Vec<Block>,
    open: Vec<Open>,
    /// The tool result step answering each tool call in view, by the call's index.
    result_of: HashMap<usize, usize>,
    /// Tool results shown with their call, so not again alone.
    answered: Vec<bool>,
    /// The reasoning child of each LLM call that has one, by the call's index.
    reasoning_of: HashMap<usize, usize>,
    /// Reasoning steps of an LLM call, shown folded in its reply rather than alone.
    folded: Vec<bool>,
    last_role: Option<String>,
    last_user_ask: Option<String>,
}

impl<'a> Builder<'a> {
    fn new(trace: &'a Trace, rows: &'a [StepRow]) -> Builder<'a> {
        let links = trace.links();
        let mut call_at: HashMap<&str, usize> = map_with_capacity(rows.len() / 4);
        for row in rows {
            let step = &trace.steps[row.step];
            if step.kind == StepKind::ToolCall {
                call_at.insert(step.id.as_str(), row.step);
            }
        }
        let mut result_of = map_with_capacity(call_at.len());
        let mut reasoning_of = HashMap::default();
        let mut answered = vec![false; trace.steps.len()];
        let mut folded = vec![false; trace.steps.len()];
        for row in rows {
            let step = &trace.steps[row.step];
            match step.kind {
                StepKind::ToolResult => {
                    let call = step.result_of.as_deref().and_then(|id| call_at.get(id));
                    if let Some(&call) = call {
                        result_of.entry(call).or_insert(row.step);
                        answered[row.step] = true;
                    }
                }
                StepKind::Reasoning => {
                    let parent = links.parent.get(row.step).copied().flatten();
                    if let Some(parent) =
                        parent.filter(|&p| trace.steps[p].kind == StepKind::LlmCall)
                    {
                        reasoning_of.entry(parent).or_insert(row.step);
                        folded[row.step] = true;
                    }
                }
                _ => {}
            }
        }
        Builder {
            trace,
            rows,
            out: Vec::new(),
            open: Vec::new(),
            result_of,
            answered,
            reasoning_of,
            folded,
            last_role: None,
            last_user_ask: None,
        }
    }

    fn text(&self, index: usize, field: Field) -> Option<Text> {
        let step = &self.trace.steps[index];
        let text = extract(self.trace, index, step, field)?;
        Text::new(&text, Source { step: index, field })
    }

    fn role_of(&self, step: &Step) -> Option<String> {
        let id = step.agent_id.as_deref()?;
        Some(
            self.trace
                .agent(id)
                .map_or_else(|| id.to_string(), |agent| agent.role.clone()),
        )
    }

    fn push(&mut self, kind: BlockKind, steps: Vec<usize>, who: Option<String>, failed: bool) {
        self.out.push(Block {
            kind,
            steps,
            who,
            depth: self.open.last().map_or(0, |open| open.level),
            failed,
        });
    }

    fn build(mut self) -> Vec<Block> {
        let mut at = 0;
        while at < self.rows.len() {
            let row = self.rows[at];
            self.close_deeper_than(row.depth);
            let step = &self.trace.steps[row.step];
            at += 1;
            match step.kind {
                StepKind::Agent | StepKind::Task => self.agent(row),
                StepKind::LlmCall => self.reply(row.step),
                StepKind::Reasoning if !self.folded[row.step] => {
                    let text = self.text(row.step, Field::Output);
                    let who = self.speaker(step);
                    self.push(BlockKind::Reasoning { text }, vec![row.step], who, false);
                }
                StepKind::ToolCall => at = self.tools(at - 1),
                StepKind::ToolResult if !self.answered[row.step] => {
                    let call = ToolUse {
                        step: row.step,
                        name: step.name.clone(),
                        arguments: None,
                        result: self.text(row.step, Field::Output),
                        result_step: Some(row.step),
                        error: self.text(row.step, Field::Error),
                    };
                    let failed = step.status == Status::Failed;
                    let who = self.speaker(step);
                    self.push(
                        BlockKind::Tools { calls: vec![call] },
                        vec![row.step],
                        who,
                        failed,
                    );
                }
                // Shown with their call or their LLM call.
                StepKind::ToolResult | StepKind::Reasoning => {}
                StepKind::Error => self.error(row.step),
                _ if step.status == Status::Failed => self.error(row.step),
                // ATIF keeps the user's messages as steps of their own: asks, not plumbing.
                StepKind::Other if is_user_message(step) => {
                    let text = self.text(row.step, Field::Input);
                    let ask = BlockKind::Ask { task: None, text };
                    self.push(ask, vec![row.step], Some("user".to_string()), false);
                }
                _ => {}
            }
        }
        self.close_deeper_than(0);
        self.out
    }

    /// Who speaks at `step`: the enclosing agent, else the step's own agent.
    fn speaker(&self, step: &Step) -> Option<String> {
        self.open
            .last()
            .map(|open| open.role.clone())
            .or_else(|| self.role_of(step))
    }

    fn close_deeper_than(&mut self, depth: usize) {
        while self.open.last().is_some_and(|open| open.depth >= depth) {
            if let Some(open) = self.open.pop() {
                self.closed(open);
            }
        }
    }

    /// An agent's failure is told after its work, where the failure happened.
    fn closed(&mut self, open: Open) {
        let step = &self.trace.steps[open.step];
        if step.status != Status::Failed {
            return;
        }
        let kind = BlockKind::Error {
            name: step.name.clone(),
            text: self.text(open.step, Field::Error),
        };
        self.out.push(Block {
            kind,
            steps: vec![open.step],
            who: Some(open.role),
            depth: open.level,
            failed: true,
        });
    }

    fn agent(&mut self, row: StepRow) {
        let index = row.step;
        let step = &self.trace.steps[index];
        let role = self.role_of(step).unwrap_or_else(|| step.name.clone());
        let task = self.trace.links().task.get(index).copied().flatten();
        let task = task.and_then(|task| self.trace.tasks.get(task));
        let text = task
            .and(self.text(index, Field::TaskDescription))
            .or_else(|| self.text(index, Field::Input));
        // An agent that did nothing here (`create_agent`, an empty wrapper) says nothing.
        if row.child_count == 0 && text.is_none() && step.status != Status::Failed {
            return;
        }
        // Delegated from inside another agent's work: an agent open around it, or the
        // agent of the step it hangs under (ATIF's subagents hang under a tool call).
        let within = self.open.last().map(|open| open.role.clone()).or_else(|| {
            let parent = self.trace.links().parent.get(index).copied().flatten()?;
            self.role_of(&self.trace.steps[parent])
        });
        let delegated_from_outside = self.open.is_empty() && within.is_some();
        let from = within.clone().or_else(|| self.last_role.clone());
        if let Some(from) = from.filter(|from| *from != role) {
            let delegated = within.is_some();
            self.push(
                BlockKind::Handoff {
                    from,
                    to: role.clone(),
                    delegated,
                },
                vec![index],
                None,
                false,
            );
        }
        self.last_role = Some(role.clone());
        let empty = text.is_none();
        let task_name = task.map(|task| task.name.clone());
        let level = match self.open.last() {
            Some(open) if open.role != role => open.level + 1,
            Some(open) => open.level,
            None => usize::from(delegated_from_outside),
        };
        self.open.push(Open {
            depth: row.depth,
            level,
            step: index,
            role: role.clone(),
            empty_ask: None,
        });
        self.push(
            BlockKind::Ask {
                task: task_name,
                text,
            },
            vec![index],
            Some(role),
            false,
        );
        if empty {
            let at = self.out.len() - 1;
            if let Some(open) = self.open.last_mut() {
                open.empty_ask = Some(at);
            }
        }
    }

    fn reply(&mut self, index: usize) {
        let step = &self.trace.steps[index];
        match self.open.last().map(|open| open.empty_ask) {
            Some(Some(at)) => {
                let text = self.text(index, Field::FirstUserMessage);
                if let Some(BlockKind::Ask { text: ask, .. }) =
                    self.out.get_mut(at).map(|block| &mut block.kind)
                {
                    *ask = text;
                }
                if let Some(open) = self.open.last_mut() {
                    open.empty_ask = None;
                }
            }
            Some(None) => {}
            // A call outside any agent: a chat turn, asked by the user.
            None => {
                let text = self.text(index, Field::LastUserMessage);
                let new = text.as_ref().map(|text| &text.shown) != self.last_user_ask.as_ref();
                if let Some(text) = text.filter(|_| new) {
                    self.last_user_ask = Some(text.shown.clone());
                    let ask = BlockKind::Ask {
                        task: None,
                        text: Some(text),
                    };
                    self.push(ask, vec![index], Some("user".to_string()), false);
                }
            }
        }
        let mut steps = vec![index];
        let reasoning = self.text(index, Field::Reasoning).or_else(|| {
            let child = *self.reasoning_of.get(&index)?;
            steps.push(child);
            self.text(child, Field::Output)
        });
        let kind = BlockKind::Reply {
            model: step.model.clone(),
            text: self.text(index, Field::Reply),
            reasoning,
            error: self.text(index, Field::Error),
        };
        let who = self.speaker(step);
        self.push(kind, steps, who, step.status == Status::Failed);
    }

    /// The tool call at `rows[at]` and the calls made with it; returns the next row.
    fn tools(&mut self, at: usize) -> usize {
        let first = self.rows[at];
        let links = self.trace.links();
        let parent = links.parent.get(first.step).copied().flatten();
        let mut group_end = self.trace.steps[first.step].end_ns;
        let untimed = self.trace.steps[first.step].start_ns.is_none();
        let mut end = at + 1;
        while let Some(next) = self.rows.get(end) {
            let step = &self.trace.steps[next.step];
            let sibling = next.depth == first.depth
                && step.kind == StepKind::ToolCall
                && links.parent.get(next.step).copied().flatten() == parent;
            // At once: started before the others ended; or, in formats with no times
            // (ATIF), asked for in the same turn.
            let together = match (untimed, step.start_ns, group_end) {
                (true, None, _) => true,
                (false, Some(start), Some(end)) => start < end,
                _ => false,
            };
            if !(sibling && together) {
                break;
            }
            group_end = group_end.max(step.end_ns);
            end += 1;
        }
        let mut steps = Vec::new();
        let mut calls = Vec::new();
        let mut failed = false;
        for row in &self.rows[at..end] {
            let step = &self.trace.steps[row.step];
            let answer = self.result_of.get(&row.step).copied();
            steps.push(row.step);
            steps.extend(answer);
            let result = match answer {
                Some(answer) => self.text(answer, Field::Output),
                None => self.text(row.step, Field::Output),
            };
            let error = self
                .text(row.step, Field::Error)
                .or_else(|| answer.and_then(|answer| self.text(answer, Field::Error)));
            failed |= step.status == Status::Failed
                || answer.is_some_and(|a| self.trace.steps[a].status == Status::Failed);
            calls.push(ToolUse {
                step: row.step,
                name: step.name.clone(),
                arguments: self.text(row.step, Field::Arguments),
                result,
                result_step: answer,
                error,
            });
        }
        let who = self.speaker(&self.trace.steps[first.step]);
        self.push(BlockKind::Tools { calls }, steps, who, failed);
        end
    }

    fn error(&mut self, index: usize) {
        let step = &self.trace.steps[index];
        let text = self.text(index, Field::Error);
        let who = self.speaker(step);
        self.push(
            BlockKind::Error {
                name: step.name.clone(),
                text,
            },
            vec![index],
            who,
            true,
        );
    }
}
