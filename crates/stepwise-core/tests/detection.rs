//! Detection is by content: every fixture, handed over as bare bytes with no file name,
//! is claimed by the format of the folder it lives in (or refused in that format's
//! words, or as broken JSON for the truncated ones).
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

use stepwise_core::import::{import_bytes, ImportError};
use stepwise_core::model::SourceFormat;

const FOLDERS: [(&str, SourceFormat); 6] = [
    ("crewai", SourceFormat::CrewAi),
    ("otlp", SourceFormat::Otlp),
    ("jaeger", SourceFormat::Jaeger),
    ("langfuse", SourceFormat::Langfuse),
    ("langsmith", SourceFormat::LangSmith),
    ("atif", SourceFormat::Atif),
];

#[test]
fn every_fixture_is_detected_as_its_folder_format_without_a_name() {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).join("tests/fixtures");
    let mut checked = 0;
    for (folder, format) in FOLDERS {
        let mut files: Vec<_> = std::fs::read_dir(root.join(folder))
            .unwrap_or_else(|error| panic!("{folder}: {error}"))
            .map(|entry| entry.expect("entry").path())
            .collect();
        files.sort();
        for file in files {
            let bytes = std::fs::read(&file).expect("readable");
            let name = file.display();
            match import_bytes(&bytes) {
                Ok(traces) => {
                    assert!(!traces.is_empty(), "{name}");
                    for trace in &traces {
                        assert_eq!(trace.source_format, format, "{name}");
                    }
                }
                Err(ImportError::Invalid { format: found, .. }) => {
                    assert_eq!(found, format, "{name} was refused as another format")
                }
                Err(ImportError::Json { .. }) => {
                    assert!(
                        name.to_string().contains("truncated"),
                        "{name} is not valid JSON"
                    )
                }
                Err(other) => panic!("{name}: {other}"),
            }
            checked += 1;
        }
    }
    assert!(checked >= 40, "only {checked} fixtures");
}

#[test]
fn the_shared_traces_and_the_demo_are_detected_without_a_name() {
    let cases = [
        ("public/demo/trace.json", SourceFormat::Stepwise),
        (
            "tests/fixtures/real/crewai-trace-batch-events-v1.6.0.json",
            SourceFormat::CrewAi,
        ),
        (
            "tests/fixtures/real/otlp-proto-example-trace.json",
            SourceFormat::Otlp,
        ),
        (
            "tests/fixtures/real/langfuse-export-crewai-2025-07-11.json",
            SourceFormat::Langfuse,
        ),
    ];
    for (path, format) in cases {
        let bytes =
            std::fs::read(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).join(path))
                .expect(path);
        let traces = import_bytes(&bytes).unwrap_or_else(|error| panic!("{path}: {error}"));
        assert_eq!(traces[0].source_format, format, "{path}");
    }
}
