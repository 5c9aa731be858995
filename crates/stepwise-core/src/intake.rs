//! The pure rules of opening traces (gzip sniffing, names, progress text, timeouts). Pure core.

use crate::format::format_bytes;
use crate::import::import_bytes;
use crate::metrics::{summarize, task_figures};
use crate::model::{Tally, Trace};
use crate::pricing::{estimate_costs, PriceTable};
use crate::redact::{redact_trace_with, Report, RuleError, Rules};
use crate::transfer;
use serde::{Deserialize, Serialize};

/// The name a pasted trace is opened under.
pub const PASTED_NAME: &str = "pasted.json";
/// Files at least this large show a progress bar while they are read.
pub const PROGRESS_MIN_BYTES: u64 = 1_000_000;
/// How long a `?src=` fetch may go without receiving anything, unless `timeout_ms` says.
pub const DEFAULT_TIMEOUT_MS: u64 = 30_000;
/// The longest `timeout_ms` accepted: ten minutes.
const MAX_TIMEOUT_MS: u64 = 600_000;
/// The most trace text the browser opens, after decompression. The import worker holds
/// the text and the traces built from it at once, about three times the text at its peak,
/// in a wasm32 address space of 4 GiB; beyond this an import would run out of memory.
pub const MAX_OPEN_BYTES: u64 = 1_000_000_000;

/// Why an input is refused before it is imported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The input itself is larger than `MAX_OPEN_BYTES`.
    TooLarge { size_bytes: u64 },
    /// A gzip input of `compressed_bytes` had inflated past `MAX_OPEN_BYTES` when reading
    /// stopped.
    InflatesTooFar { compressed_bytes: u64 },
}

/// What to do instead, for a trace the browser cannot hold.
const LARGER_FILES: &str = "For a larger trace, run `stepwise summary FILE` on your \
     computer, or split the file into smaller ones.";

impl Refusal {
    /// The plain sentence the user sees: the limit, the size seen, and what to do instead.
    pub fn message(&self, name: &str) -> String {
        let limit = format_bytes(MAX_OPEN_BYTES);
        match self {
            Refusal::TooLarge { size_bytes } => format!(
                "{name} is {}, larger than the {limit} a browser page can open. {LARGER_FILES}",
                format_bytes(*size_bytes)
            ),
            Refusal::InflatesTooFar { compressed_bytes } => format!(
                "{name} is {} compressed but decompresses to more than the {limit} a browser \
                 page can open, so it was not opened. {LARGER_FILES}",
                format_bytes(*compressed_bytes)
            ),
        }
    }
}

/// The import worker's whole job once it has the text: every trace in `bytes`, with the
/// costs they do not state estimated from `prices` when the table could be had, in the
/// transfer form the page decodes (`transfer::decode`). `on_preview` gets the first
/// trace's figures as soon as they are known, before the long part of the answer is
/// written, so the page can show them at once. The text is dropped as soon as it is
/// imported, so it is never held together with the answer being written.
pub fn import_for_page(
    bytes: Vec<u8>,
    prices: Option<&PriceTable>,
    on_preview: impl FnOnce(&Preview),
) -> Vec<u8> {
    let mut outcome = import_bytes(&bytes);
    drop(bytes);
    if let (Ok(traces), Some(prices)) = (&mut outcome, prices) {
        for trace in traces {
            estimate_costs(trace, prices);
        }
    }
    if let Some(first) = outcome.as_ref().ok().and_then(|traces| traces.first()) {
        on_preview(&Preview::of(first));
    }
    transfer::encode(&outcome)
}

/// What the page asked to redact, and where to report the redaction's progress.
pub struct Redaction<'a> {
    pub rules: &'a Rules,
    /// Called with (trace index, steps done, steps of that trace) as the redaction goes.
    pub on_steps: &'a mut dyn FnMut(usize, usize, usize),
    /// A clock in milliseconds (the core has none of its own), to time the redaction.
    pub now_ms: &'a dyn Fn() -> f64,
}

/// The answer of `import_for_page_redacted`.
pub struct Redacted {
    /// The redacted traces in the transfer form.
    pub out: Vec<u8>,
    /// One per trace.
    pub reports: Vec<Report>,
    /// Time spent redacting, by `Redaction::now_ms`.
    pub redact_ms: f64,
}

/// `import_for_page`, with every trace redacted before anything is sent: the preview is
/// of the redacted first trace, and the answer holds only redacted copies, with one
/// `Report` per trace. Bad rules are refused before the text is imported.
pub fn import_for_page_redacted(
    bytes: Vec<u8>,
    prices: Option<&PriceTable>,
    redaction: Redaction,
    on_preview: impl FnOnce(&Preview),
) -> Result<Redacted, RuleError> {
    redaction.rules.check()?;
    let mut redact_ms = 0.0;
    let mut outcome = import_bytes(&bytes);
    drop(bytes);
    let mut reports = Vec::new();
    if let Ok(traces) = &mut outcome {
        let mut redacted = Vec::with_capacity(traces.len());
        for (index, mut trace) in std::mem::take(traces).into_iter().enumerate() {
            // Priced first: a model name that looks like a secret is still priced.
            if let Some(prices) = prices {
                estimate_costs(&mut trace, prices);
            }
            let mut on_steps = |done: usize, total: usize| (redaction.on_steps)(index, done, total);
            let started_ms = (redaction.now_ms)();
            let (copy, report) = redact_trace_with(&trace, redaction.rules, &mut on_steps)?;
            redact_ms += (redaction.now_ms)() - started_ms;
            // The original goes before the next trace is copied: one extra trace at most.
            drop(trace);
            redacted.push(copy);
            reports.push(report);
        }
        *traces = redacted;
    }
    if let Some(first) = outcome.as_ref().ok().and_then(|traces| traces.first()) {
        on_preview(&Preview::of(first));
    }
    Ok(Redacted {
        out: transfer::encode(&outcome),
        reports,
        redact_ms,
    })
}

/// Tasks a preview lists; the rest are counted.
const PREVIEW_TASKS: usize = 12;

/// A trace's headline figures and first tasks, sent ahead of the trace itself.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    pub name: String,
    pub status: String,
    pub steps: usize,
    pub llm_calls: u64,
    #[serde(with = "crate::model::tally_parts")]
    pub total_tokens: Tally<u64>,
    #[serde(with = "crate::model::tally_parts")]
    pub cost_usd: Tally<f64>,
    pub cost_estimated: bool,
    /// Why the cost is unknown or partial (`Summary::cost_note`).
    pub cost_note: Option<String>,
    /// Why the tokens are unknown or partial (`Summary::tokens_note`).
    pub tokens_note: Option<String>,
    pub duration_ns: Option<i64>,
    pub errors: usize,
    pub tasks_total: usize,
    pub tasks: Vec<PreviewTask>,
}

/// One row of a preview's task table.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PreviewTask {
    pub name: String,
    pub agent: Option<String>,
    pub status: String,
    pub duration_ns: Option<i64>,
}

impl Preview {
    pub fn of(trace: &Trace) -> Preview {
        let summary = summarize(trace);
        let tasks = task_figures(trace)
            .into_iter()
            .take(PREVIEW_TASKS)
            .filter_map(|figures| {
                let task = trace.tasks.get(figures.task)?;
                Some(PreviewTask {
                    name: task.name.clone(),
                    agent: figures.agent_role,
                    status: task.status.label().to_string(),
                    duration_ns: figures.duration_ns,
                })
            })
            .collect();
        Preview {
            name: trace.name.clone(),
            status: trace.status.label().to_string(),
            steps: summary.steps,
            llm_calls: summary.requests,
            total_tokens: summary.total_tokens,
            cost_usd: summary.cost_usd,
            cost_estimated: summary.cost_estimated,
            cost_note: summary.cost_note(),
            tokens_note: summary.tokens_note(),
            duration_ns: summary.duration_ns,
            errors: summary.errors,
            tasks_total: trace.tasks.len(),
            tasks,
        }
    }
}

/// The message for an import that stopped without an answer: a trap in the importer's
/// wasm (out of memory, most likely) or a worker that died. `detail` is the browser's.
pub fn stopped_message(name: &str, size_bytes: u64, detail: &str) -> String {
    format!(
        "Stepwise's importer stopped while opening {name} ({}), most likely because it ran \
         out of memory ({detail}). Traces up to {} open in the browser. {LARGER_FILES}",
        format_bytes(size_bytes),
        format_bytes(MAX_OPEN_BYTES)
    )
}

/// Whether `bytes` start with gzip's magic number (RFC 1952), whatever the file is called.
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

/// The name of the decompressed content: "run.json.gz" → "run.json", "run.gz" → "run".
pub fn decompressed_name(name: &str) -> String {
    match name.len().checked_sub(3) {
        Some(cut) if name.is_char_boundary(cut) && name[cut..].eq_ignore_ascii_case(".gz") => {
            name[..cut].to_string()
        }
        _ => name.to_string(),
    }
}

/// How far a read is, 0 to 1, when its size is known. More bytes than announced means the
/// length was of the compressed body (`Content-Encoding: gzip`): then the size is unknown.
pub fn progress_fraction(read_bytes: u64, total_bytes: Option<u64>) -> Option<f64> {
    match total_bytes {
        Some(total) if total > 0 && read_bytes <= total => Some(read_bytes as f64 / total as f64),
        _ => None,
    }
}

/// "1.2 MB of 3.4 MB (35%)", or "1.2 MB" when the size is unknown.
pub fn progress_text(read_bytes: u64, total_bytes: Option<u64>) -> String {
    match (total_bytes, progress_fraction(read_bytes, total_bytes)) {
        (Some(total), Some(fraction)) => format!(
            "{} of {} ({}%)",
            format_bytes(read_bytes),
            format_bytes(total),
            (fraction * 100.0).floor()
        ),
        _ => format_bytes(read_bytes),
    }
}

/// The fetch timeout from the `timeout_ms` parameter; a missing, zero or malformed value
/// means the default, and a huge one is capped.
pub fn timeout_ms_from(param: Option<&str>) -> u64 {
    match param.and_then(|text| text.trim().parse::<u64>().ok()) {
        Some(timeout_ms) if timeout_ms > 0 => timeout_ms.min(MAX_TIMEOUT_MS),
        _ => DEFAULT_TIMEOUT_MS,
    }
}

/// Whether pasted text could be a trace: JSON or JSON Lines start with `{` or `[`.
pub fn check_pasted_text(text: &str) -> Result<(), String> {
    match text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .next()
    {
        Some('{') | Some('[') => Ok(()),
        None => Err("The clipboard holds no text: copy a JSON trace, then paste it.".into()),
        Some(_) => {
            Err("The pasted text is not a trace: expected JSON starting with { or [.".into())
        }
    }
}

/// What to tell the user after opening files: how many traces from how many files.
pub fn opened_summary(traces: usize, names: &[String]) -> String {
    let traces_text = match traces {
        1 => "1 trace".to_string(),
        n => format!("{n} traces"),
    };
    match names {
        [] => format!("Opened {traces_text}."),
        [name] => format!("Opened {traces_text} from {name}."),
        names => format!(
            "Opened {traces_text} from {} files: {}.",
            names.len(),
            names.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_says_the_limit_the_size_seen_and_what_to_do() {
        let large = Refusal::TooLarge {
            size_bytes: 2_500_000_000,
        }
        .message("big.json");
        assert!(large.starts_with("big.json is 2.5 GB, larger than the 1.0 GB"));
        assert!(large.contains("stepwise summary") && large.contains("split the file"));
        let bomb = Refusal::InflatesTooFar {
            compressed_bytes: 3_000_000,
        }
        .message("bomb.json.gz");
        assert!(bomb.contains(
            "bomb.json.gz is 3.0 MB compressed but decompresses to more than the 1.0 GB"
        ));
        let stopped = stopped_message("run.json", 900_000_000, "RuntimeError: unreachable");
        assert!(stopped.contains("run.json (900.0 MB)") && stopped.contains("unreachable"));
    }

    #[test]
    fn the_worker_s_answer_carries_the_traces_with_their_costs_estimated() {
        let trace = r#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","name":"chat","startTimeUnixNano":"1","endTimeUnixNano":"2","attributes":[{"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"1000"}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":"10"}}]}]}]}]}"#;
        let prices = PriceTable::from_compact_json(
            r#"{"source":"test","generated_on":"2026-12-07","models":{"gpt-4o":[0.000001,0.00001,null,null,null]}}"#,
        );
        let prices = prices.ok();
        let mut preview = None;
        let answer = import_for_page(trace.as_bytes().to_vec(), prices.as_ref(), |figures| {
            preview = Some(figures.clone())
        });
        let preview = preview.unwrap_or_default();
        assert_eq!(
            (
                preview.steps,
                preview.llm_calls,
                preview.total_tokens.value()
            ),
            (1, 1, Some(1010))
        );
        assert!(preview.cost_usd.known > 0.0 && preview.cost_estimated);
        let decoded = transfer::decode(&answer);
        let traces = decoded.ok().and_then(Result::ok).unwrap_or_default();
        assert_eq!(traces.len(), 1);
        let cost: f64 = traces[0]
            .steps
            .iter()
            .filter_map(|step| step.cost.as_ref())
            .map(|cost| cost.usd)
            .sum();
        assert!(cost > 0.0, "costs were estimated: {cost}");
        let failed = transfer::decode(&import_for_page(b"{".to_vec(), None, |_| {
            panic!("no preview without a trace")
        }))
        .ok();
        assert!(matches!(failed, Some(Err(_))));
    }

    #[test]
    fn gzip_is_told_by_its_magic_bytes_not_its_name() {
        assert!(is_gzip(&[0x1f, 0x8b, 8, 0]));
        assert!(!is_gzip(b"{\"a\":1}"));
        assert!(!is_gzip(&[0x1f]));
        assert_eq!(decompressed_name("run.json.gz"), "run.json");
        assert_eq!(decompressed_name("RUN.GZ"), "RUN");
        assert_eq!(decompressed_name("run.json"), "run.json");
        assert_eq!(decompressed_name("gz"), "gz");
        assert_eq!(decompressed_name("é.gz"), "é");
    }

    #[test]
    fn byte_counts_and_progress() {
        assert_eq!(
            progress_text(1_200_000, Some(3_400_000)),
            "1.2 MB of 3.4 MB (35%)"
        );
        assert_eq!(progress_text(500, None), "500 B");
        assert_eq!(progress_text(10, Some(0)), "10 B");
        assert_eq!(progress_fraction(5, Some(4)), None);
        assert_eq!(progress_text(5_000, Some(4_000)), "5.0 kB");
        assert_eq!(progress_fraction(1, Some(4)), Some(0.25));
    }

    #[test]
    fn timeouts() {
        assert_eq!(timeout_ms_from(None), 30_000);
        assert_eq!(timeout_ms_from(Some("400")), 400);
        assert_eq!(timeout_ms_from(Some("0")), 30_000);
        assert_eq!(timeout_ms_from(Some("-5")), 30_000);
        assert_eq!(timeout_ms_from(Some("soon")), 30_000);
        assert_eq!(timeout_ms_from(Some("99999999")), 600_000);
    }

    #[test]
    fn pasted_text_must_look_like_json() {
        assert_eq!(check_pasted_text("  {\"trace\": {}}"), Ok(()));
        assert_eq!(check_pasted_text("\u{feff}[1]"), Ok(()));
        assert_eq!(
            check_pasted_text("hello"),
            Err("The pasted text is not a trace: expected JSON starting with { or [.".into())
        );
        assert!(check_pasted_text("  ").is_err());
    }

    #[test]
    fn the_summary_counts_traces_and_files() {
        assert_eq!(
            opened_summary(1, &["a.json".into()]),
            "Opened 1 trace from a.json."
        );
        assert_eq!(
            opened_summary(3, &["a.json".into(), "b.jsonl".into()]),
            "Opened 3 traces from 2 files: a.json, b.jsonl."
        );
        assert_eq!(opened_summary(0, &[]), "Opened 0 traces.");
    }
}
