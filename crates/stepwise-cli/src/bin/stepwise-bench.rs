//! `stepwise-bench`: benchmark S1 natively — import + derive of trace files, median and p95 over runs after a warm-up.
//!
//! usage: stepwise-bench [--runs N] [--json OUT.json] [--transfer] FILE...
//! Each row: the file, its size, the median and p95 time, MB/s at the median, and the
//! peak resident memory of the process during that file's runs (Linux VmHWM, reset
//! before each file through /proc/self/clear_refs), which includes the file's own bytes.
//! With `--transfer`, it measures instead the two halves of handing the imported traces
//! from the import worker to the page: `transfer::encode` and `transfer::decode`, each
//! with its MB/s of encoded bytes.
//! Exit codes: 0 when every file was measured, 1 when one could not be, 2 for bad usage.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use serde::Serialize;
use stepwise_core::bench::{import_and_derive, mb_per_s, timings, Derived, Timings};
use stepwise_core::import::import_bytes;
use stepwise_core::transfer;

/// Benchmark S1 natively: import + derive of trace files, median and p95 over runs
/// after one warm-up, with the peak resident memory of each file's runs.
#[derive(Parser)]
#[command(name = "stepwise-bench")]
struct Cli {
    /// Timed runs per file, after one warm-up
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = parse_runs)]
    runs: usize,
    /// Also write the rows as JSON to this file
    #[arg(long = "json", value_name = "OUT.json")]
    json_path: Option<PathBuf>,
    /// Measure the worker-to-page transfer (encode, then decode) of each file's traces
    /// instead of the import
    #[arg(long)]
    transfer: bool,
    /// Trace files to measure, in any format Stepwise reads
    #[arg(value_name = "FILE", required = true)]
    files: Vec<String>,
}

/// `--runs`: a count above 0, since a median of no runs means nothing.
fn parse_runs(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("at least 1 run is needed for a median".to_string()),
        Ok(runs) => Ok(runs),
        Err(_) => Err(format!("{text:?} is not a whole number of runs")),
    }
}

#[derive(Serialize)]
struct Row {
    scenario: &'static str,
    runtime: &'static str,
    file: String,
    bytes: usize,
    steps: usize,
    #[serde(flatten)]
    timings: Timings,
    mb_per_s: f64,
    peak_rss_mb: Option<f64>,
    peak_rss_per_file_size: Option<f64>,
    derived: Derived,
}

fn main() -> ExitCode {
    // Usage errors end the process here with clap's message and exit code 2.
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("stepwise-bench: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: &Cli) -> Result<(), String> {
    if cli.transfer {
        return run_transfer(cli);
    }
    println!(
        "{:<40} {:>9} {:>8} {:>10} {:>10} {:>9} {:>10} {:>6}",
        "file", "MB", "steps", "median ms", "p95 ms", "MB/s", "peak RSS", "×file"
    );
    let mut rows = Vec::new();
    for file in &cli.files {
        let row = measure(file, cli.runs)?;
        println!(
            "{:<40} {:>9.1} {:>8} {:>10.1} {:>10.1} {:>9.0} {:>10} {:>6}",
            short(file),
            row.bytes as f64 / 1e6,
            row.steps,
            row.timings.median_ms,
            row.timings.p95_ms,
            row.mb_per_s,
            row.peak_rss_mb
                .map_or("?".to_string(), |mb| format!("{mb:.0} MB")),
            row.peak_rss_per_file_size
                .map_or("?".to_string(), |ratio| format!("{ratio:.1}")),
        );
        rows.push(row);
    }
    if let Some(path) = &cli.json_path {
        let text = serde_json::to_string_pretty(&rows).map_err(|error| error.to_string())?;
        std::fs::write(path, text).map_err(|error| format!("{}: {error}", path.display()))?;
    }
    Ok(())
}

fn measure(file: &str, runs: usize) -> Result<Row, String> {
    let bytes = std::fs::read(file).map_err(|error| format!("{file}: {error}"))?;
    // Peak memory is the file's: forget the peaks of earlier files.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let derived = import_and_derive(&bytes).map_err(|error| format!("{file}: {error}"))?;
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        let again = import_and_derive(&bytes).map_err(|error| format!("{file}: {error}"))?;
        samples.push(start.elapsed().as_secs_f64() * 1e3);
        std::hint::black_box(again);
    }
    let timings = timings(&samples).ok_or("no timings")?;
    let peak_rss_mb = peak_rss_kb().map(|kb| kb as f64 / 1024.0);
    Ok(Row {
        scenario: "S1",
        runtime: "native",
        file: file.to_string(),
        bytes: bytes.len(),
        steps: derived.steps,
        mb_per_s: mb_per_s(bytes.len(), timings.median_ms),
        peak_rss_per_file_size: peak_rss_mb.map(|mb| mb * 1024.0 * 1024.0 / bytes.len() as f64),
        peak_rss_mb,
        timings,
        derived,
    })
}

#[derive(Serialize)]
struct TransferRow {
    scenario: &'static str,
    runtime: &'static str,
    file: String,
    steps: usize,
    encoded_bytes: usize,
    encode: Timings,
    encode_mb_per_s: f64,
    decode: Timings,
    decode_mb_per_s: f64,
}

fn run_transfer(cli: &Cli) -> Result<(), String> {
    println!(
        "{:<40} {:>8} {:>10} {:>10} {:>9} {:>10} {:>9}",
        "file", "steps", "encoded MB", "encode ms", "MB/s", "decode ms", "MB/s"
    );
    let mut rows = Vec::new();
    for file in &cli.files {
        let row = measure_transfer(file, cli.runs)?;
        println!(
            "{:<40} {:>8} {:>10.1} {:>10.1} {:>9.0} {:>10.1} {:>9.0}",
            short(file),
            row.steps,
            row.encoded_bytes as f64 / 1e6,
            row.encode.median_ms,
            row.encode_mb_per_s,
            row.decode.median_ms,
            row.decode_mb_per_s,
        );
        rows.push(row);
    }
    if let Some(path) = &cli.json_path {
        let text = serde_json::to_string_pretty(&rows).map_err(|error| error.to_string())?;
        std::fs::write(path, text).map_err(|error| format!("{}: {error}", path.display()))?;
    }
    Ok(())
}

fn measure_transfer(file: &str, runs: usize) -> Result<TransferRow, String> {
    let bytes = std::fs::read(file).map_err(|error| format!("{file}: {error}"))?;
    // Never encoded itself, so each run's copy resolves its links as the worker's does.
    let imported = import_bytes(&bytes).map_err(|error| format!("{file}: {error}"))?;
    drop(bytes);
    let steps = imported.iter().map(|trace| trace.steps.len()).sum();
    let mut encoded = Vec::new();
    let (mut encode_ms, mut decode_ms) = (Vec::new(), Vec::new());
    // One warm-up round, then the timed ones.
    for round in 0..=runs {
        let outcome = Ok(imported.clone());
        let start = Instant::now();
        encoded = transfer::encode(&outcome);
        let encode_elapsed_ms = start.elapsed().as_secs_f64() * 1e3;
        drop(outcome);
        let start = Instant::now();
        let decoded = transfer::decode(&encoded).map_err(|error| format!("{file}: {error}"))?;
        let decode_elapsed_ms = start.elapsed().as_secs_f64() * 1e3;
        // The traces decoded are those encoded, so an import error cannot come back.
        std::hint::black_box(decoded.map_err(|error| format!("{file}: {error}"))?);
        if round > 0 {
            encode_ms.push(encode_elapsed_ms);
            decode_ms.push(decode_elapsed_ms);
        }
    }
    let encode = timings(&encode_ms).ok_or("no timings")?;
    let decode = timings(&decode_ms).ok_or("no timings")?;
    Ok(TransferRow {
        scenario: "transfer",
        runtime: "native",
        file: file.to_string(),
        steps,
        encoded_bytes: encoded.len(),
        encode_mb_per_s: mb_per_s(encoded.len(), encode.median_ms),
        decode_mb_per_s: mb_per_s(encoded.len(), decode.median_ms),
        encode,
        decode,
    })
}

/// The process's peak resident set (VmHWM), in kB, where Linux tells it.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn short(file: &str) -> &str {
    file.rsplit('/').next().unwrap_or(file)
}
