#![cfg(not(target_arch = "wasm32"))]
//! The worker→page transfer form gives back exactly the traces that went in, in one go or
//! a slice at a time, and damaged bytes are an error, never a panic.

use std::fs;
use std::path::Path;

use stepwise_core::annotate::{Annotation, AnnotationTarget, Notes, SavedView};
use stepwise_core::import::{import_bytes, ImportError};
use stepwise_core::model::{Links, SourceFormat, Trace};
use stepwise_core::synth::{write_trace, SynthFormat, SynthOptions};
use stepwise_core::transfer::{decode, encode, Decoding};

/// Every trace file that imports under `dir`, recursively.
fn traces_under(dir: &Path, out: &mut Vec<(String, Vec<Trace>)>) {
    for entry in fs::read_dir(dir).expect("readable directory") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            traces_under(&path, out);
        } else if path
            .extension()
            .is_some_and(|ext| ext == "json" || ext == "jsonl")
        {
            let bytes = fs::read(&path).expect("readable");
            if let Ok(traces) = import_bytes(&bytes) {
                out.push((path.display().to_string(), traces));
            }
        }
    }
}

/// The shared real samples and this project's fixtures: every format, many quirks.
fn sample_traces() -> Vec<(String, Vec<Trace>)> {
    let mut out = Vec::new();
    traces_under(
        Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/real"
        )),
        &mut out,
    );
    traces_under(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures")),
        &mut out,
    );
    traces_under(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../public/demo")),
        &mut out,
    );
    assert!(out.len() >= 20, "expected the samples, found {}", out.len());
    out
}

fn synth(steps: usize, format: SynthFormat) -> Vec<Trace> {
    let mut bytes = Vec::new();
    write_trace(
        &SynthOptions {
            steps,
            seed: 7,
            format,
        },
        &mut bytes,
    )
    .expect("generates");
    import_bytes(&bytes).expect("imports")
}

#[test]
fn every_sample_survives_the_round_trip() {
    let mut formats = Vec::new();
    for (name, traces) in sample_traces() {
        let back = decode(&encode(&Ok(traces.clone()))).expect("decodes");
        assert_eq!(back, Ok(traces.clone()), "{name}");
        formats.extend(traces.iter().map(|trace| trace.source_format));
    }
    for format in [
        SourceFormat::CrewAi,
        SourceFormat::Otlp,
        SourceFormat::Langfuse,
        SourceFormat::LangSmith,
        SourceFormat::Jaeger,
        SourceFormat::Stepwise,
    ] {
        assert!(formats.contains(&format), "no sample of {format:?}");
    }
}

#[test]
fn one_trace_encodes_as_the_import_of_it_alone() {
    for (name, traces) in sample_traces() {
        for trace in &traces {
            let one = stepwise_core::transfer::encode_one(trace);
            assert_eq!(one, encode(&Ok(vec![trace.clone()])), "{name}");
            assert_eq!(
                decode(&one).expect("decodes"),
                Ok(vec![trace.clone()]),
                "{name}"
            );
        }
    }
}

#[test]
fn raw_text_is_kept_byte_for_byte() {
    let traces = synth(200, SynthFormat::Otlp);
    let back = decode(&encode(&Ok(traces.clone())))
        .expect("decodes")
        .expect("ok");
    for (before, after) in traces[0].steps.iter().zip(&back[0].steps) {
        assert_eq!(
            before.input.as_ref().map(|raw| raw.text()),
            after.input.as_ref().map(|raw| raw.text())
        );
        assert_eq!(before.attributes, after.attributes);
    }
}

#[test]
fn a_slice_at_a_time_gives_the_same_traces() {
    let mut traces = synth(1_000, SynthFormat::Stepwise);
    traces.extend(synth(300, SynthFormat::Otlp));
    let bytes = encode(&Ok(traces.clone()));
    let mut decoding = Decoding::new(&bytes);
    let mut rounds = 0;
    let outcome = loop {
        rounds += 1;
        if let Some(outcome) = decoding.advance(97).expect("decodes") {
            break outcome;
        }
        assert!(decoding.steps_done() <= 97 * rounds);
    };
    assert_eq!(outcome, Ok(traces));
    assert!(
        rounds >= 13,
        "1,300 steps in slices of 97 took {rounds} rounds"
    );
}

#[test]
fn an_import_error_crosses_as_the_same_error() {
    for error in [
        ImportError::Empty,
        ImportError::NotText { byte_offset: 17 },
        ImportError::Json {
            line: 3,
            column: 9,
            message: "EOF while parsing a string".to_string(),
        },
        ImportError::UnknownFormat {
            found: "an object with keys \"a\"".to_string(),
        },
        ImportError::Invalid {
            format: SourceFormat::Jaeger,
            path: "data[0].spans[2]".to_string(),
            expected: "a spanID".to_string(),
        },
    ] {
        let back = decode(&encode(&Err(error.clone()))).expect("decodes");
        assert_eq!(back, Err(error));
    }
}

#[test]
fn cut_or_damaged_bytes_are_an_error_not_a_panic() {
    let bytes = encode(&Ok(synth(40, SynthFormat::Stepwise)));
    for cut in (0..bytes.len()).step_by(13) {
        let error = decode(&bytes[..cut]).expect_err("cut off");
        assert!(error.byte_offset <= cut, "{error:?} at cut {cut}");
    }
    // A count far larger than the bytes left must not reserve memory for it.
    let mut huge = vec![0u8];
    huge.extend_from_slice(&u64::MAX.to_le_bytes());
    let error = decode(&huge).expect_err("damaged");
    assert_eq!(error.expected, "a trace count");
    assert_eq!(
        error.to_string(),
        "the import worker's answer is damaged at byte 9: expected a trace count"
    );
    let mut flipped = bytes.clone();
    for at in (0..flipped.len()).step_by(7) {
        flipped[at] ^= 0x5a;
        // Any answer is fine; what matters is that decoding returns.
        let _ = decode(&flipped);
        flipped[at] ^= 0x5a;
    }
}

/// The page gets the step→parent and step→task links resolved by the worker, equal to
/// resolving them from the ids, and does not resolve them again.
#[test]
fn resolved_links_cross_with_the_traces() {
    let mut traces: Vec<Trace> = sample_traces()
        .into_iter()
        .flat_map(|(_, traces)| traces)
        .collect();
    traces.extend(synth(3_000, SynthFormat::Stepwise));
    let decoded = decode(&encode(&Ok(traces.clone())))
        .expect("decodes")
        .expect("traces");
    let mut linked_parents = 0;
    for (sent, got) in traces.iter().zip(&decoded) {
        assert_eq!(format!("{:?}", got.links), "LinksCache(resolved)");
        assert_eq!(*got.links(), Links::of(sent));
        linked_parents += got.links().parent.iter().flatten().count();
    }
    assert!(linked_parents > 3_000, "{linked_parents} parent links");
}

/// A parent that is the step itself or no step is no link; ids shared by two steps mean
/// the last; a trace grown after its links were kept gets fresh ones.
#[test]
fn links_resolve_ids_as_a_map_would() {
    let mut trace = synth(200, SynthFormat::Stepwise).remove(0);
    let own = trace.steps[5].id.clone();
    trace.steps[5].parent_id = Some(own);
    trace.steps[6].parent_id = Some("no-such-step".to_string());
    trace.steps[7].task_id = Some("no-such-task".to_string());
    trace.steps[8].parent_id = Some(trace.steps[2].id.clone());
    trace.steps[8].task_id = Some(trace.tasks[1].id.clone());
    let links = Links::of(&trace);
    assert_eq!(links.parent[5], None);
    assert_eq!(links.parent[6], None);
    assert_eq!(links.task[7], None);
    assert_eq!(links.parent[8], Some(2));
    assert_eq!(links.task[8], Some(1));
    assert_eq!(*trace.links(), links);
    let mut extra = trace.steps[8].clone();
    extra.id = "extra".to_string();
    trace.steps.push(extra);
    let grown = trace.links();
    assert_eq!(grown.parent.len(), trace.steps.len());
    assert_eq!(grown.parent.last(), Some(&Some(2)));
}

#[test]
fn annotations_and_saved_views_cross_with_their_trace() {
    let mut traces = synth(50, SynthFormat::Stepwise);
    let step_id = traces[0].steps[3].id.clone();
    traces[0].notes = Notes {
        annotations: vec![
            Annotation {
                id: "a1".into(),
                target: AnnotationTarget::Step { step_id },
                label: "retry storm starts here".into(),
                note: "three 429s in a row — «look»".into(),
                created_at: "2026-12-08T01:00:00Z".into(),
            },
            Annotation {
                id: "a2".into(),
                target: AnnotationTarget::Range {
                    start_ns: 10,
                    end_ns: 20,
                },
                label: "slow".into(),
                note: String::new(),
                created_at: String::new(),
            },
        ],
        views: vec![SavedView {
            name: "graph".into(),
            query: "?view=graph".into(),
        }],
    };
    traces.extend(synth(5, SynthFormat::Otlp));
    let back = decode(&encode(&Ok(traces.clone())))
        .expect("decodes")
        .expect("ok");
    assert_eq!(back[0].notes, traces[0].notes);
    assert_eq!(back[0].notes.annotations.len(), 2);
    assert!(back[1].notes.is_empty(), "notes stay with their own trace");
}
