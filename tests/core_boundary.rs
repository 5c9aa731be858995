//! The pure core must compile and test without a browser: no core file may name a
//! UI or browser crate.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::{Path, PathBuf};

const CORE: &[&str] = &[
    "src/model.rs",
    "src/import.rs",
    "src/import",
    "src/metrics.rs",
    "src/tree.rs",
    "src/timeline.rs",
    "src/timeline_draw.rs",
    "src/pricing.rs",
    "src/report.rs",
    "src/export.rs",
    "src/markdown.rs",
    "src/view_query.rs",
    "src/present.rs",
    "src/api.rs",
    "src/embed.rs",
    "src/embed",
    "src/recent.rs",
    "src/report_md.rs",
    "src/fetch_error.rs",
    "src/intake.rs",
    "src/synth.rs",
    "src/bench.rs",
    "src/virtual_list.rs",
    "src/transfer.rs",
    "src/fast_hash.rs",
    "src/insights.rs",
    "src/insights",
    "src/search.rs",
    "src/compare.rs",
    "src/rollup.rs",
];
const BANNED: &[&str] = &["leptos", "web_sys", "web-sys", "gloo", "wasm_bindgen"];

fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = fs::read_dir(path)
            .expect("core directory is readable")
            .map(|entry| entry.expect("directory entry").path())
            .collect();
        entries.sort();
        for entry in entries {
            rust_files(&entry, out);
        }
    } else if path.extension().is_some_and(|ext| ext == "rs") {
        out.push(path.to_path_buf());
    }
}

/// Words of `source` that name a banned crate, with their line numbers.
fn banned_names(source: &str) -> Vec<(usize, &'static str)> {
    let mut found = Vec::new();
    for (number, line) in source.lines().enumerate() {
        for word in line.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')) {
            if let Some(name) = BANNED.iter().find(|name| word == **name) {
                found.push((number + 1, *name));
            }
        }
    }
    found
}

#[test]
fn the_scanner_catches_a_browser_import() {
    assert_eq!(
        banned_names("use std::fmt;\nuse leptos::prelude::*;"),
        vec![(2, "leptos")]
    );
    assert_eq!(
        banned_names("let x = web_sys::window();"),
        vec![(1, "web_sys")]
    );
    assert!(banned_names("// leptospirosis is not a crate").is_empty());
}

#[test]
fn core_files_name_no_ui_or_browser_crate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for entry in CORE {
        let path = root.join(entry);
        assert!(
            path.exists(),
            "{entry} is listed as core but does not exist"
        );
        rust_files(&path, &mut files);
    }
    assert!(files.len() >= 6, "expected the core files, found {files:?}");
    let mut offences = Vec::new();
    for file in &files {
        let source = fs::read_to_string(file).expect("core file is readable");
        for (line, name) in banned_names(&source) {
            offences.push(format!("{}:{line} names {name}", file.display()));
        }
    }
    assert!(
        offences.is_empty(),
        "core files name browser crates:\n{}",
        offences.join("\n")
    );
}
