//! A compact binary form of imported traces, for handing them from the import worker to
//! the page. Pure core.
//!
//! The page imports every input in a Web Worker running the importer module
//! (`crates/stepwise-import`), so that parsing never blocks the page. The worker's traces then have to cross to the page as bytes:
//! re-parsing JSON there would undo the gain, and serde formats without field names
//! cannot carry `serde_json::Value` attributes. This format is fields in model order
//! (counts, lengths and indices as LEB128, other numbers as little-endian bytes, texts
//! after their length), with steps last so that the page can decode
//! them a slice at a time (`Decoding::advance`) and keep every main-thread task short.
//! Both ends come from the same build of the same core, so there is no versioning.

use serde_json::{Map, Number, Value};

use crate::import::ImportError;
use crate::model::{
    Agent, Cost, CostLine, CostSource, Links, LinksCache, RawJson, Repair, SourceFormat, Status,
    Step, StepError, StepKind, Task, TokenPart, Trace, TraceKind, Usage,
};

const OK: u8 = 0;
const FAILED: u8 = 1;

const STATUSES: [Status; 3] = [Status::Completed, Status::Running, Status::Failed];
const TRACE_KINDS: [TraceKind; 3] = [TraceKind::Crew, TraceKind::Flow, TraceKind::Other];
const FORMATS: [SourceFormat; 7] = [
    SourceFormat::Stepwise,
    SourceFormat::CrewAi,
    SourceFormat::Otlp,
    SourceFormat::Jaeger,
    SourceFormat::Langfuse,
    SourceFormat::LangSmith,
    SourceFormat::Atif,
];
const COST_SOURCES: [CostSource; 2] = [CostSource::Stated, CostSource::Estimated];

/// A model enum that crosses as one byte: written as its discriminant, read back as the
/// index into `ALL`, so `ALL` must list the variants in declaration order. The tests pin
/// each enum's bytes, so that a variant added or moved fails them rather than crossing
/// as another.
trait Code: Copy + 'static {
    const ALL: &'static [Self];
    /// What a damaged byte was meant to be, for `DecodeError::expected`.
    const EXPECTED: &'static str;
    fn byte(self) -> u8;
}

impl Code for Status {
    const ALL: &'static [Status] = &STATUSES;
    const EXPECTED: &'static str = "a status";
    fn byte(self) -> u8 {
        self as u8
    }
}

impl Code for TraceKind {
    const ALL: &'static [TraceKind] = &TRACE_KINDS;
    const EXPECTED: &'static str = "a trace kind";
    fn byte(self) -> u8 {
        self as u8
    }
}

impl Code for SourceFormat {
    const ALL: &'static [SourceFormat] = &FORMATS;
    const EXPECTED: &'static str = "a source format";
    fn byte(self) -> u8 {
        self as u8
    }
}

impl Code for StepKind {
    const ALL: &'static [StepKind] = &StepKind::ALL;
    const EXPECTED: &'static str = "a step kind";
    fn byte(self) -> u8 {
        self as u8
    }
}

impl Code for TokenPart {
    const ALL: &'static [TokenPart] = &TokenPart::ALL;
    const EXPECTED: &'static str = "a token part";
    fn byte(self) -> u8 {
        self as u8
    }
}

impl Code for CostSource {
    const ALL: &'static [CostSource] = &COST_SOURCES;
    const EXPECTED: &'static str = "a cost source";
    fn byte(self) -> u8 {
        self as u8
    }
}

/// The bytes were not written by `encode` of this build (or were cut off).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    pub byte_offset: usize,
    pub expected: &'static str,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the import worker's answer is damaged at byte {}: expected {}",
            self.byte_offset, self.expected
        )
    }
}

/// Writes the outcome of an import.
pub fn encode(outcome: &Result<Vec<Trace>, ImportError>) -> Vec<u8> {
    let mut out = Writer {
        bytes: Vec::with_capacity(outcome.as_ref().map_or(64, |traces| size_hint(traces))),
    };
    match outcome {
        Ok(traces) => {
            out.u8(OK);
            out.len(traces.len());
            for trace in traces {
                write_trace(&mut out, trace);
            }
        }
        Err(error) => {
            out.u8(FAILED);
            write_error(&mut out, error);
        }
    }
    out.bytes
}

/// Writes one trace as the successful import of it alone: what a shareable page carries,
/// encoded on the page from the trace it shows (not the rest of its file).
pub fn encode_one(trace: &Trace) -> Vec<u8> {
    let mut out = Writer {
        bytes: Vec::with_capacity(size_hint(std::slice::from_ref(trace))),
    };
    out.u8(OK);
    out.len(1);
    write_trace(&mut out, trace);
    out.bytes
}

/// Roughly what `encode` writes, from the steps' texts: growing the buffer by doubling
/// instead copies it again and again, which in wasm also grows the memory each time.
fn size_hint(traces: &[Trace]) -> usize {
    /// The fixed fields of a step, its ids and the links after it.
    const STEP_BYTES: usize = 192;
    /// An attribute's key, value and their lengths and tag, typically.
    const ATTRIBUTE_BYTES: usize = 64;
    let raw_len = |raw: &Option<RawJson>| raw.as_ref().map_or(0, |raw| raw.text().len());
    traces
        .iter()
        .flat_map(|trace| &trace.steps)
        .map(|step| {
            STEP_BYTES
                + step.name.len()
                + raw_len(&step.input)
                + raw_len(&step.output)
                + step.attributes.len() * ATTRIBUTE_BYTES
        })
        .sum::<usize>()
        .saturating_add(4096)
}

/// Reads back everything `encode` wrote, in one go.
pub fn decode(bytes: &[u8]) -> Result<Result<Vec<Trace>, ImportError>, DecodeError> {
    let mut decoding = Decoding::new(bytes);
    loop {
        if let Some(outcome) = decoding.advance(usize::MAX)? {
            return Ok(outcome);
        }
    }
}

/// A decode done a slice at a time: each `advance` reads at most about `steps` steps.
pub struct Decoding<'a> {
    reader: Reader<'a>,
    traces: Vec<Trace>,
    traces_left: usize,
    /// The trace being read and how many of its steps are still to come.
    current: Option<(Trace, usize)>,
    started: bool,
}

impl<'a> Decoding<'a> {
    pub fn new(bytes: &'a [u8]) -> Decoding<'a> {
        Decoding {
            reader: Reader { bytes, at: 0 },
            traces: Vec::new(),
            traces_left: 0,
            current: None,
            started: false,
        }
    }

    /// Steps decoded so far, across traces, for progress.
    pub fn steps_done(&self) -> usize {
        self.traces
            .iter()
            .map(|trace| trace.steps.len())
            .sum::<usize>()
            + self
                .current
                .as_ref()
                .map_or(0, |(trace, _)| trace.steps.len())
    }

    /// Reads on; `Some` once the whole outcome is read.
    pub fn advance(
        &mut self,
        steps: usize,
    ) -> Result<Option<Result<Vec<Trace>, ImportError>>, DecodeError> {
        if !self.started {
            self.started = true;
            match self.reader.u8("an outcome tag")? {
                OK => self.traces_left = self.reader.len("a trace count")?,
                FAILED => return Ok(Some(Err(read_error(&mut self.reader)?))),
                _ => return Err(self.reader.error("an outcome tag")),
            }
        }
        let mut budget = steps;
        loop {
            if let Some((mut trace, left)) = self.current.take() {
                let now = left.min(budget);
                for _ in 0..now {
                    trace.steps.push(read_step(&mut self.reader)?);
                }
                budget -= now;
                if left > now {
                    self.current = Some((trace, left - now));
                    return Ok(None);
                }
                trace.links = LinksCache::with(read_links(&mut self.reader, &trace)?);
                self.traces.push(trace);
            }
            if self.traces_left == 0 {
                return Ok(Some(Ok(std::mem::take(&mut self.traces))));
            }
            if budget == 0 {
                return Ok(None);
            }
            self.traces_left -= 1;
            self.current = Some(read_trace_head(&mut self.reader)?);
        }
    }
}

fn write_trace(out: &mut Writer, trace: &Trace) {
    out.str(&trace.id);
    out.str(&trace.name);
    out.code(trace.kind);
    out.code(trace.status);
    out.opt_i64(trace.start_ns);
    out.opt_i64(trace.end_ns);
    out.opt_raw(&trace.input);
    out.opt_raw(&trace.final_output);
    out.map(&trace.metadata);
    out.len(trace.agents.len());
    for agent in &trace.agents {
        out.str(&agent.id);
        out.str(&agent.role);
        out.opt_str(&agent.goal);
        out.opt_str(&agent.backstory);
        out.opt_str(&agent.version);
        out.strs(&agent.models);
    }
    out.len(trace.tasks.len());
    for task in &trace.tasks {
        write_task(out, task);
    }
    out.code(trace.source_format);
    out.len(trace.repairs.len());
    for repair in &trace.repairs {
        out.str(&repair.path);
        out.str(&repair.what);
    }
    // The notes are few and small: one JSON text, empty when there are none.
    out.opt_str(&(!trace.notes.is_empty()).then(|| trace.notes.to_json()));
    out.len(trace.steps.len());
    for step in &trace.steps {
        write_step(out, step);
    }
    // Resolved here, in the worker, so the page never hashes the ids (`Trace::links`).
    let links = trace.links();
    for (parent, task) in links.parent.iter().zip(&links.task) {
        out.len(parent.map_or(0, |index| index + 1));
        out.len(task.map_or(0, |index| index + 1));
    }
}

/// The links written after a trace's steps: each an index below its list's length.
fn read_links(input: &mut Reader, trace: &Trace) -> Result<Links, DecodeError> {
    let index = |input: &mut Reader, below: usize, expected| -> Result<_, DecodeError> {
        match input.varint(expected)? {
            0 => Ok(None),
            plus_one => usize::try_from(plus_one - 1)
                .ok()
                .filter(|&index| index < below)
                .map(Some)
                .ok_or_else(|| input.error(expected)),
        }
    };
    let count = trace.steps.len();
    let (mut parent, mut task) = (Vec::with_capacity(count), Vec::with_capacity(count));
    for _ in 0..count {
        parent.push(index(input, count, "a parent step index")?);
        task.push(index(input, trace.tasks.len(), "a task index")?);
    }
    Ok(Links { parent, task })
}

fn read_trace_head(input: &mut Reader) -> Result<(Trace, usize), DecodeError> {
    let mut trace = Trace {
        links: Default::default(),
        id: input.str()?,
        name: input.str()?,
        kind: input.code()?,
        status: input.code()?,
        start_ns: input.opt_i64()?,
        end_ns: input.opt_i64()?,
        input: input.opt_raw()?,
        final_output: input.opt_raw()?,
        metadata: input.map()?,
        agents: Vec::new(),
        tasks: Vec::new(),
        steps: Vec::new(),
        source_format: SourceFormat::Stepwise,
        repairs: Vec::new(),
        notes: Default::default(),
    };
    for _ in 0..input.len("an agent count")? {
        trace.agents.push(Agent {
            id: input.str()?,
            role: input.str()?,
            goal: input.opt_str()?,
            backstory: input.opt_str()?,
            version: input.opt_str()?,
            models: input.strs()?,
        });
    }
    for _ in 0..input.len("a task count")? {
        trace.tasks.push(read_task(input)?);
    }
    trace.source_format = input.code()?;
    for _ in 0..input.len("a repair count")? {
        trace.repairs.push(Repair {
            path: input.str()?,
            what: input.str()?,
        });
    }
    if let Some(notes) = input.opt_str()? {
        trace.notes = crate::annotate::Notes::from_json(&notes);
    }
    let steps = input.len("a step count")?;
    // The count is checked against the bytes left, so this cannot reserve wildly.
    trace.steps.reserve(steps);
    Ok((trace, steps))
}

fn write_task(out: &mut Writer, task: &Task) {
    out.str(&task.id);
    out.opt_str(&task.key);
    out.str(&task.name);
    out.opt_str(&task.description);
    out.opt_str(&task.expected_output);
    out.opt_str(&task.agent_id);
    out.code(task.status);
    out.opt_i64(task.start_ns);
    out.opt_i64(task.end_ns);
    out.strs(&task.context_task_ids);
    out.opt_raw(&task.input);
    out.opt_raw(&task.output);
}

fn read_task(input: &mut Reader) -> Result<Task, DecodeError> {
    Ok(Task {
        id: input.str()?,
        key: input.opt_str()?,
        name: input.str()?,
        description: input.opt_str()?,
        expected_output: input.opt_str()?,
        agent_id: input.opt_str()?,
        status: input.code()?,
        start_ns: input.opt_i64()?,
        end_ns: input.opt_i64()?,
        context_task_ids: input.strs()?,
        input: input.opt_raw()?,
        output: input.opt_raw()?,
    })
}

fn write_step(out: &mut Writer, step: &Step) {
    out.str(&step.id);
    out.opt_str(&step.parent_id);
    out.opt_str(&step.task_id);
    out.opt_str(&step.agent_id);
    out.code(step.kind);
    out.str(&step.name);
    out.opt_i64(step.start_ns);
    out.opt_i64(step.end_ns);
    out.code(step.status);
    out.opt_str(&step.model);
    write_usage(out, &step.usage);
    match &step.cost {
        None => out.u8(0),
        Some(cost) => {
            out.u8(1);
            out.f64(cost.usd);
            out.code(cost.source);
        }
    }
    match &step.cost_lines {
        None => out.u8(0),
        Some(lines) => {
            out.u8(1);
            out.len(lines.len());
            for line in lines.iter() {
                out.code(line.part);
                out.u64(line.tokens);
                out.f64(line.usd_per_token);
                out.f64(line.usd);
            }
        }
    }
    out.opt_str(&step.result_of);
    out.opt_raw(&step.input);
    out.opt_raw(&step.output);
    match &step.error {
        None => out.u8(0),
        Some(error) => {
            out.u8(1);
            out.opt_str(&error.error_type);
            out.str(&error.message);
            out.opt_str(&error.stack);
        }
    }
    out.map(&step.attributes);
}

/// The usage's counts (`Usage::named_counts` order) as a presence mask and the known
/// ones: an unknown count must arrive unknown, not as 0.
fn write_usage(out: &mut Writer, usage: &Usage) {
    let counts = usage.named_counts().map(|(_, count)| count);
    let mask = counts.iter().enumerate().fold(0u8, |mask, (bit, count)| {
        mask | (u8::from(count.is_some()) << bit)
    });
    out.u8(mask);
    for count in counts.into_iter().flatten() {
        out.u64(count);
    }
}

fn read_usage(input: &mut Reader) -> Result<Usage, DecodeError> {
    let mask = input.u8("a usage mask")?;
    let mut counts = [None; 8];
    for (bit, count) in counts.iter_mut().enumerate() {
        if mask & (1 << bit) != 0 {
            *count = Some(input.u64()?);
        }
    }
    let [input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens, audio_input_tokens, audio_output_tokens, image_input_tokens] =
        counts;
    Ok(Usage {
        input_tokens,
        output_tokens,
        cached_input_tokens,
        cache_write_tokens,
        reasoning_tokens,
        audio_input_tokens,
        audio_output_tokens,
        image_input_tokens,
    })
}

fn read_step(input: &mut Reader) -> Result<Step, DecodeError> {
    Ok(Step {
        id: input.str()?,
        parent_id: input.opt_str()?,
        task_id: input.opt_str()?,
        agent_id: input.opt_str()?,
        kind: input.code()?,
        name: input.str()?,
        start_ns: input.opt_i64()?,
        end_ns: input.opt_i64()?,
        status: input.code()?,
        model: input.opt_str()?,
        usage: read_usage(input)?,
        cost: match input.flag()? {
            false => None,
            true => Some(Cost {
                usd: input.f64()?,
                source: input.code()?,
            }),
        },
        cost_lines: match input.flag()? {
            false => None,
            true => {
                let count = input.len("a count of cost lines")?;
                let mut lines = Vec::with_capacity(count.min(16));
                for _ in 0..count {
                    lines.push(CostLine {
                        part: input.code()?,
                        tokens: input.u64()?,
                        usd_per_token: input.f64()?,
                        usd: input.f64()?,
                    });
                }
                Some(lines.into_boxed_slice())
            }
        },
        result_of: input.opt_str()?,
        input: input.opt_raw()?,
        output: input.opt_raw()?,
        error: match input.flag()? {
            false => None,
            true => Some(StepError {
                error_type: input.opt_str()?,
                message: input.str()?,
                stack: input.opt_str()?,
            }),
        },
        attributes: input.map()?,
    })
}

fn write_error(out: &mut Writer, error: &ImportError) {
    match error {
        ImportError::Empty => out.u8(0),
        ImportError::NotText { byte_offset } => {
            out.u8(1);
            out.len(*byte_offset);
        }
        ImportError::Json {
            line,
            column,
            message,
        } => {
            out.u8(2);
            out.len(*line);
            out.len(*column);
            out.str(message);
        }
        ImportError::UnknownFormat { found } => {
            out.u8(3);
            out.str(found);
        }
        ImportError::Invalid {
            format,
            path,
            expected,
        } => {
            out.u8(4);
            out.code(*format);
            out.str(path);
            out.str(expected);
        }
    }
}

fn read_error(input: &mut Reader) -> Result<ImportError, DecodeError> {
    Ok(match input.u8("an error tag")? {
        0 => ImportError::Empty,
        1 => ImportError::NotText {
            byte_offset: input.position("a byte offset")?,
        },
        2 => ImportError::Json {
            line: input.position("a line number")?,
            column: input.position("a column number")?,
            message: input.str()?,
        },
        3 => ImportError::UnknownFormat {
            found: input.str()?,
        },
        4 => ImportError::Invalid {
            format: input.code()?,
            path: input.str()?,
            expected: input.str()?,
        },
        _ => return Err(input.error("an error tag")),
    })
}

#[derive(Default)]
struct Writer {
    bytes: Vec<u8>,
}

impl Writer {
    fn u8(&mut self, value: u8) {
        self.bytes.push(value);
    }

    fn code<T: Code>(&mut self, value: T) {
        self.u8(value.byte());
    }

    fn u64(&mut self, value: u64) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    /// A count, length or position, as LEB128: nearly all are below 128, so one byte
    /// instead of eight, which shrinks an answer full of short strings by a fifth.
    fn len(&mut self, value: usize) {
        let mut rest = value as u64;
        while rest >= 0x80 {
            self.u8((rest as u8) | 0x80);
            rest >>= 7;
        }
        self.u8(rest as u8);
    }

    fn i64(&mut self, value: i64) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    fn f64(&mut self, value: f64) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    fn str(&mut self, value: &str) {
        self.len(value.len());
        self.bytes.extend_from_slice(value.as_bytes());
    }

    fn strs(&mut self, values: &[String]) {
        self.len(values.len());
        for value in values {
            self.str(value);
        }
    }

    fn opt_str(&mut self, value: &Option<String>) {
        match value {
            None => self.u8(0),
            Some(text) => {
                self.u8(1);
                self.str(text);
            }
        }
    }

    fn opt_i64(&mut self, value: Option<i64>) {
        match value {
            None => self.u8(0),
            Some(number) => {
                self.u8(1);
                self.i64(number);
            }
        }
    }

    fn opt_raw(&mut self, value: &Option<RawJson>) {
        match value {
            None => self.u8(0),
            Some(raw) => {
                self.u8(1);
                self.str(raw.text());
            }
        }
    }

    fn map(&mut self, map: &Map<String, Value>) {
        self.len(map.len());
        for (key, value) in map {
            self.str(key);
            self.value(value);
        }
    }

    fn value(&mut self, value: &Value) {
        match value {
            Value::Null => self.u8(0),
            Value::Bool(flag) => self.u8(if *flag { 2 } else { 1 }),
            Value::Number(number) => {
                if let Some(unsigned) = number.as_u64() {
                    self.u8(3);
                    self.u64(unsigned);
                } else if let Some(signed) = number.as_i64() {
                    self.u8(4);
                    self.i64(signed);
                } else {
                    self.u8(5);
                    self.f64(number.as_f64().unwrap_or(0.0));
                }
            }
            Value::String(text) => {
                self.u8(6);
                self.str(text);
            }
            Value::Array(items) => {
                self.u8(7);
                self.len(items.len());
                for item in items {
                    self.value(item);
                }
            }
            Value::Object(map) => {
                self.u8(8);
                self.map(map);
            }
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

/// Values nest no deeper than the JSON they came from, which serde_json capped at 128.
const MAX_DEPTH: usize = 256;

impl Reader<'_> {
    fn error(&self, expected: &'static str) -> DecodeError {
        DecodeError {
            byte_offset: self.at,
            expected,
        }
    }

    fn take(&mut self, count: usize, expected: &'static str) -> Result<&[u8], DecodeError> {
        let end = self
            .at
            .checked_add(count)
            .filter(|end| *end <= self.bytes.len())
            .ok_or_else(|| self.error(expected))?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn array8(&mut self, expected: &'static str) -> Result<[u8; 8], DecodeError> {
        let mut out = [0; 8];
        out.copy_from_slice(self.take(8, expected)?);
        Ok(out)
    }

    fn u8(&mut self, expected: &'static str) -> Result<u8, DecodeError> {
        Ok(self.take(1, expected)?[0])
    }

    fn flag(&mut self) -> Result<bool, DecodeError> {
        match self.u8("a presence flag")? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(self.error("a presence flag")),
        }
    }

    fn u64(&mut self) -> Result<u64, DecodeError> {
        Ok(u64::from_le_bytes(self.array8("a number")?))
    }

    /// What `Writer::len` wrote: seven bits a byte, low first, at most ten bytes.
    fn varint(&mut self, expected: &'static str) -> Result<u64, DecodeError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.u8(expected)?;
            // The tenth byte holds the top bit alone.
            if shift == 63 && byte > 1 {
                return Err(self.error(expected));
            }
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(self.error(expected))
    }

    /// A position (byte offset, line, column): on wasm32 a `u64` that does not fit a
    /// `usize` is damage, not a number to truncate silently.
    fn position(&mut self, expected: &'static str) -> Result<usize, DecodeError> {
        let value = self.varint(expected)?;
        usize::try_from(value).map_err(|_| self.error(expected))
    }

    fn i64(&mut self) -> Result<i64, DecodeError> {
        Ok(i64::from_le_bytes(self.array8("a number")?))
    }

    fn f64(&mut self) -> Result<f64, DecodeError> {
        Ok(f64::from_le_bytes(self.array8("a number")?))
    }

    /// A count of items, each at least one byte long: more than the bytes left is damage.
    fn len(&mut self, expected: &'static str) -> Result<usize, DecodeError> {
        let count = self.varint(expected)?;
        usize::try_from(count)
            .ok()
            .filter(|count| *count <= self.bytes.len() - self.at)
            .ok_or_else(|| self.error(expected))
    }

    fn code<T: Code>(&mut self) -> Result<T, DecodeError> {
        let index = self.u8(T::EXPECTED)?;
        T::ALL
            .get(usize::from(index))
            .copied()
            .ok_or_else(|| self.error(T::EXPECTED))
    }

    fn text(&mut self) -> Result<&str, DecodeError> {
        let count = self.len("a text length")?;
        let at = self.at;
        let bytes = self.take(count, "text")?;
        std::str::from_utf8(bytes).map_err(|_| DecodeError {
            byte_offset: at,
            expected: "UTF-8 text",
        })
    }

    fn str(&mut self) -> Result<String, DecodeError> {
        self.text().map(str::to_string)
    }

    fn strs(&mut self) -> Result<Vec<String>, DecodeError> {
        (0..self.len("a list length")?)
            .map(|_| self.str())
            .collect()
    }

    fn opt_str(&mut self) -> Result<Option<String>, DecodeError> {
        Ok(match self.flag()? {
            false => None,
            true => Some(self.str()?),
        })
    }

    fn opt_i64(&mut self) -> Result<Option<i64>, DecodeError> {
        Ok(match self.flag()? {
            false => None,
            true => Some(self.i64()?),
        })
    }

    fn opt_raw(&mut self) -> Result<Option<RawJson>, DecodeError> {
        Ok(match self.flag()? {
            false => None,
            // The worker stored valid JSON text; it is kept as it came.
            true => Some(RawJson::trusted(self.text()?)),
        })
    }

    fn map(&mut self) -> Result<Map<String, Value>, DecodeError> {
        self.map_at(0)
    }

    fn map_at(&mut self, depth: usize) -> Result<Map<String, Value>, DecodeError> {
        // The keys come sorted (they were written from a sorted map), which a map built
        // from a list takes in one pass; inserting them searched the tree for each.
        let count = self.len("a map size")?;
        let mut entries = Vec::with_capacity(count);
        for _ in 0..count {
            entries.push((self.str()?, self.value(depth + 1)?));
        }
        Ok(entries.into_iter().collect())
    }

    fn value(&mut self, depth: usize) -> Result<Value, DecodeError> {
        if depth > MAX_DEPTH {
            return Err(self.error("a value nested less deeply"));
        }
        Ok(match self.u8("a value tag")? {
            0 => Value::Null,
            1 => Value::Bool(false),
            2 => Value::Bool(true),
            3 => Value::from(self.u64()?),
            4 => Value::from(self.i64()?),
            5 => Number::from_f64(self.f64()?).map_or(Value::Null, Value::Number),
            6 => Value::String(self.str()?),
            7 => Value::Array(
                (0..self.len("an array length")?)
                    .map(|_| self.value(depth + 1))
                    .collect::<Result<_, _>>()?,
            ),
            8 => Value::Object(self.map_at(depth)?),
            _ => return Err(self.error("a value tag")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes and reads each variant as its pinned byte, and reads every other byte as
    /// an error naming the enum.
    fn check_codes<T: Code + PartialEq + std::fmt::Debug>(table: &[(T, u8)]) {
        assert_eq!(table.len(), T::ALL.len(), "{}: table size", T::EXPECTED);
        for &(variant, byte) in table {
            let mut out = Writer::default();
            out.code(variant);
            assert_eq!(out.bytes, [byte], "{variant:?} is written as");
            let mut input = Reader {
                bytes: &[byte],
                at: 0,
            };
            assert_eq!(input.code::<T>(), Ok(variant), "byte {byte} is read as");
        }
        let first_unknown = u8::try_from(table.len()).unwrap_or(u8::MAX);
        for byte in first_unknown..=u8::MAX {
            let mut input = Reader {
                bytes: &[byte],
                at: 0,
            };
            assert_eq!(
                input.code::<T>(),
                Err(DecodeError {
                    byte_offset: 1,
                    expected: T::EXPECTED
                }),
                "unknown byte {byte}"
            );
        }
        let mut empty = Reader { bytes: &[], at: 0 };
        assert_eq!(empty.code::<T>().map_err(|error| error.byte_offset), Err(0));
    }

    // The bytes are what the worker and the page agree on: a test that lists them by
    // hand, rather than deriving them from the enums, is what catches a reordering.

    #[test]
    fn statuses_cross_as_their_pinned_bytes() {
        check_codes(&every_variant!(Status: Completed => 0, Running => 1, Failed => 2));
    }

    #[test]
    fn trace_kinds_cross_as_their_pinned_bytes() {
        check_codes(&every_variant!(TraceKind: Crew => 0, Flow => 1, Other => 2));
    }

    #[test]
    fn source_formats_cross_as_their_pinned_bytes() {
        check_codes(&every_variant!(SourceFormat:
            Stepwise => 0,
            CrewAi => 1,
            Otlp => 2,
            Jaeger => 3,
            Langfuse => 4,
            LangSmith => 5,
            Atif => 6,
        ));
    }

    #[test]
    fn step_kinds_cross_as_their_pinned_bytes() {
        check_codes(&every_variant!(StepKind:
            Reasoning => 0,
            LlmCall => 1,
            ToolCall => 2,
            ToolResult => 3,
            Error => 4,
            Agent => 5,
            Task => 6,
            Span => 7,
            Memory => 8,
            Knowledge => 9,
            Guardrail => 10,
            Other => 11,
            Plan => 12,
            Embedding => 13,
            Retrieval => 14,
            Reranker => 15,
            Evaluator => 16,
            Prompt => 17,
            Decision => 18,
        ));
    }

    #[test]
    fn cost_sources_cross_as_their_pinned_bytes() {
        check_codes(&every_variant!(CostSource: Stated => 0, Estimated => 1));
    }

    /// The tag each import error crosses with. Exhaustive, so a new error must be given
    /// a tag here (and a sample below).
    fn pinned_error_tag(error: &ImportError) -> u8 {
        match error {
            ImportError::Empty => 0,
            ImportError::NotText { .. } => 1,
            ImportError::Json { .. } => 2,
            ImportError::UnknownFormat { .. } => 3,
            ImportError::Invalid { .. } => 4,
        }
    }

    #[test]
    fn outcomes_and_import_errors_cross_with_their_pinned_tags() {
        // The outcome tag, then a trace count of 0 in one byte.
        assert_eq!(encode(&Ok(Vec::new())), [OK, 0], "an empty success");
        let samples = [
            ImportError::Empty,
            ImportError::NotText { byte_offset: 3 },
            ImportError::Json {
                line: 1,
                column: 2,
                message: "EOF".to_string(),
            },
            ImportError::UnknownFormat {
                found: "a number".to_string(),
            },
            ImportError::Invalid {
                format: SourceFormat::Otlp,
                path: "resourceSpans".to_string(),
                expected: "an array".to_string(),
            },
        ];
        let tags: Vec<u8> = samples.iter().map(pinned_error_tag).collect();
        assert_eq!(tags, [0, 1, 2, 3, 4], "one sample per error, in tag order");
        for error in samples {
            let bytes = encode(&Err(error.clone()));
            assert_eq!(bytes[..2], [FAILED, pinned_error_tag(&error)], "{error:?}");
            assert_eq!(decode(&bytes), Ok(Err(error)));
        }
        assert_eq!(FAILED, 1);
    }

    #[test]
    fn lengths_cross_as_leb128_and_an_overlong_one_is_an_error() {
        for value in [0, 1, 127, 128, 300, u32::MAX as usize, usize::MAX] {
            let mut out = Writer::default();
            out.len(value);
            let mut input = Reader {
                bytes: &out.bytes,
                at: 0,
            };
            assert_eq!(input.varint("a length"), Ok(value as u64), "{value}");
            assert_eq!(input.at, out.bytes.len(), "{value} is read to its end");
        }
        let mut one_byte = Writer::default();
        one_byte.len(127);
        assert_eq!(one_byte.bytes, [127]);
        let overlong = [0xff; 11];
        let mut input = Reader {
            bytes: &overlong,
            at: 0,
        };
        assert_eq!(
            input.varint("a length").map_err(|e| e.expected),
            Err("a length")
        );
    }

    #[test]
    fn an_unknown_outcome_or_error_tag_is_an_error() {
        assert_eq!(
            decode(&[2]),
            Err(DecodeError {
                byte_offset: 1,
                expected: "an outcome tag"
            })
        );
        for tag in 5..=u8::MAX {
            assert_eq!(
                decode(&[FAILED, tag]),
                Err(DecodeError {
                    byte_offset: 2,
                    expected: "an error tag"
                }),
                "error tag {tag}"
            );
        }
    }

    /// The tag each JSON value crosses with. Exhaustive over `Value`'s variants.
    fn pinned_value_tag(value: &Value) -> u8 {
        match value {
            Value::Null => 0,
            Value::Bool(false) => 1,
            Value::Bool(true) => 2,
            Value::Number(number) if number.is_u64() => 3,
            Value::Number(number) if number.is_i64() => 4,
            Value::Number(_) => 5,
            Value::String(_) => 6,
            Value::Array(_) => 7,
            Value::Object(_) => 8,
        }
    }

    #[test]
    fn json_values_cross_with_their_pinned_tags() {
        let samples = [
            Value::Null,
            Value::Bool(false),
            Value::Bool(true),
            Value::from(7u64),
            Value::from(-7i64),
            Value::from(0.5),
            Value::from("text"),
            Value::Array(vec![Value::Null]),
            Value::Object(Map::new()),
        ];
        let tags: Vec<u8> = samples.iter().map(pinned_value_tag).collect();
        assert_eq!(tags, [0, 1, 2, 3, 4, 5, 6, 7, 8], "one sample per tag");
        for value in samples {
            let mut out = Writer::default();
            out.value(&value);
            assert_eq!(out.bytes[0], pinned_value_tag(&value), "{value}");
            let mut input = Reader {
                bytes: &out.bytes,
                at: 0,
            };
            assert_eq!(input.value(0), Ok(value));
            assert_eq!(input.at, out.bytes.len());
        }
        for tag in 9..=u8::MAX {
            let mut input = Reader {
                bytes: &[tag],
                at: 0,
            };
            assert_eq!(
                input.value(0),
                Err(DecodeError {
                    byte_offset: 1,
                    expected: "a value tag"
                }),
                "value tag {tag}"
            );
        }
    }
}
