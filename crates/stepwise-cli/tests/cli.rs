//! The `stepwise` command line: summary and convert on the demo and the shared traces,
//! synth, and how both binaries answer bad usage (clap's message, exit code 2).
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

use serde_json::Value;

const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../public/demo/trace.json");

fn stepwise(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_stepwise"))
        .args(args)
        .output()
        .expect("the binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn summary_of_the_demo_gives_format_and_figures() {
    let (code, stdout, stderr) = stepwise(&["summary", DEMO]);
    assert_eq!(code, 0, "{stderr}");
    let reports: Value = serde_json::from_str(&stdout).expect("JSON on stdout");
    let trace = &reports[0]["traces"][0];
    assert_eq!(trace["format"], "stepwise");
    assert_eq!(trace["name"], "Pricing strategy crew");
    assert_eq!(trace["summary"]["requests"], 10);
    assert_eq!(trace["summary"]["steps"], 30);
    assert_eq!(trace["summary"]["cost_estimated"], true);
    assert_eq!(trace["cost_estimates"]["estimated_calls"], 3);
}

#[test]
fn summary_works_on_every_shared_trace() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/real");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .expect("shared traces are beside the checkout")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .map(|path| path.display().to_string())
        .collect();
    files.sort();
    assert!(files.len() >= 7, "{files:?}");
    let mut args = vec!["summary"];
    args.extend(files.iter().map(String::as_str));
    let (code, stdout, stderr) = stepwise(&args);
    let reports: Value = serde_json::from_str(&stdout).expect("JSON on stdout");
    for report in reports.as_array().expect("one report per file") {
        assert!(report.get("error").is_none(), "{report}");
        assert!(
            !report["traces"].as_array().expect("traces").is_empty(),
            "{report}"
        );
    }
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn a_bad_file_is_reported_and_fails_the_command() {
    let dir = std::env::temp_dir().join(format!("stepwise-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\"events\": [").expect("write");
    let (code, stdout, _) = stepwise(&["summary", bad.to_str().expect("utf-8 path")]);
    assert_eq!(code, 1);
    let reports: Value = serde_json::from_str(&stdout).expect("JSON on stdout");
    let error = reports[0]["error"].as_str().expect("an error message");
    assert!(
        error.starts_with("The file is not valid JSON at line 1"),
        "{error}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn convert_writes_our_format_and_it_reads_back_the_same() {
    let (code, stdout, stderr) = stepwise(&["convert", DEMO, "--to", "stepwise"]);
    assert_eq!(code, 0, "{stderr}");
    let original = stepwise_core::import::import_bytes(&std::fs::read(DEMO).expect("demo"))
        .expect("demo imports");
    let converted = stepwise_core::import::import_bytes(stdout.as_bytes()).expect("output imports");
    assert_eq!(
        stepwise_core::report::trace_report(&converted[0]).summary,
        stepwise_core::report::trace_report(&original[0]).summary
    );
}

#[test]
fn misuse_explains_itself() {
    let (code, stdout, stderr) = stepwise(&["convert", DEMO, "--to", "jaeger"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("invalid value 'jaeger' for '--to <FORMAT>'"),
        "{stderr}"
    );
    assert!(stderr.contains("[possible values: stepwise]"), "{stderr}");
    let (code, _, stderr) = stepwise(&[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("Usage: stepwise <COMMAND>"), "{stderr}");
    let (code, _, stderr) = stepwise(&["summary"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("<FILE>"), "{stderr}");
}

#[test]
fn help_lists_the_three_commands() {
    let (code, stdout, stderr) = stepwise(&["--help"]);
    assert_eq!(code, 0, "{stderr}");
    let commands: Vec<&str> = stdout
        .lines()
        .skip_while(|line| *line != "Commands:")
        .skip(1)
        .take_while(|line| !line.is_empty())
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    for command in ["summary", "convert", "synth"] {
        assert!(commands.contains(&command), "{command} in {stdout}");
    }
}

#[test]
fn an_unknown_flag_fails_and_is_named() {
    let (code, stdout, stderr) = stepwise(&["summary", "--bogus", DEMO]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("unexpected argument '--bogus'"), "{stderr}");
}

#[test]
fn synth_without_steps_fails() {
    let (code, stdout, stderr) = stepwise(&["synth", "--seed", "1"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("--steps <N>"), "{stderr}");
    let (code, _, stderr) = stepwise(&["synth", "--steps", "0"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("at least 1 step"), "{stderr}");
}

#[test]
fn synth_writes_a_trace_that_imports_with_the_steps_asked_for() {
    let (code, stdout, stderr) = stepwise(&["synth", "--steps", "10", "--seed", "1"]);
    assert_eq!(code, 0, "{stderr}");
    let traces = stepwise_core::import::import_bytes(stdout.as_bytes()).expect("output imports");
    assert_eq!(traces.len(), 1);
    assert_eq!(
        traces[0].source_format,
        stepwise_core::model::SourceFormat::Stepwise
    );
    assert_eq!(traces[0].steps.len(), 10);
    // The default seed is 1, and a seed gives the same bytes every time.
    let (_, again, _) = stepwise(&["synth", "--steps", "10"]);
    assert_eq!(again, stdout);
    // Separators in the count, and the OTLP writer, as scripts/bench-import uses it.
    let (code, stdout, stderr) = stepwise(&["synth", "--steps", "1_000", "--format", "otlp"]);
    assert_eq!(code, 0, "{stderr}");
    let traces = stepwise_core::import::import_bytes(stdout.as_bytes()).expect("OTLP imports");
    assert_eq!(
        traces[0].source_format,
        stepwise_core::model::SourceFormat::Otlp
    );
}

#[test]
fn a_file_that_cannot_be_read_fails_with_1_not_the_usage_code() {
    let missing = concat!(env!("CARGO_MANIFEST_DIR"), "/no-such-trace.json");
    let (code, stdout, stderr) = stepwise(&["convert", missing, "--to", "stepwise"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("no-such-trace.json"), "{stderr}");
    let (code, _, stderr) = stepwise(&["summary", "--prices", missing, DEMO]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("no-such-trace.json"), "{stderr}");
}

#[test]
fn the_bench_takes_the_flags_scripts_pass_and_rejects_others() {
    let bench = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_stepwise-bench"))
            .args(args)
            .output()
            .expect("the binary runs")
    };
    let dir = std::env::temp_dir().join(format!("stepwise-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let json_path = dir.join("rows.json");
    let json_arg = json_path.to_str().expect("utf-8 path");
    let output = bench(&["--runs", "2", "--json", json_arg, DEMO]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let rows: Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).expect("rows written"))
            .expect("rows are JSON");
    assert_eq!(rows[0]["scenario"], "S1");
    assert_eq!(rows[0]["steps"], 30);
    std::fs::remove_dir_all(&dir).ok();

    let output = bench(&["--runs", "0", DEMO]);
    assert_eq!(output.status.code(), Some(2));
    let output = bench(&["--rounds", "2", DEMO]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("'--rounds'"));
}
