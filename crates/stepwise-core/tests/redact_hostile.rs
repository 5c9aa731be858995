//! The hostile fixture the browser test redacts (tests/fixtures/redact): every planted
//! secret is gone from the redacted export, in every field it was planted in, and the
//! export still reads back as the same trace shape.
#![cfg(not(target_arch = "wasm32"))]

use stepwise_core::export::to_stepwise_document_redacted;
use stepwise_core::import::import_bytes;
use stepwise_core::redact::{redact_trace, Category, CustomPattern, RedactionNote, Rules};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/redact/hostile-secrets.json"
);
const PLANTED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/redact/planted.json"
);

fn planted() -> Vec<String> {
    let text = std::fs::read_to_string(PLANTED).expect("planted list");
    let value: serde_json::Value = serde_json::from_str(&text).expect("json");
    value["secrets"]
        .as_array()
        .expect("secrets")
        .iter()
        .map(|secret| secret.as_str().expect("text").to_string())
        .collect()
}

#[test]
fn no_planted_secret_survives_the_redacted_export() {
    let bytes = std::fs::read(FIXTURE).expect("fixture");
    let trace = import_bytes(&bytes).expect("imports").remove(0);
    let original = serde_json::to_string(&stepwise_core::export::to_stepwise_document(
        std::slice::from_ref(&trace),
    ))
    .expect("serialises");
    let secrets = planted();
    // The fixture really holds them, or the test below proves nothing.
    for secret in &secrets {
        assert!(original.contains(secret.as_str()), "fixture lacks {secret}");
    }
    let rules = Rules {
        custom: vec![CustomPattern {
            pattern: r"ACME-CUST-\d+".into(),
            regex: true,
        }],
        ..Rules::default()
    };
    let (redacted, report) = redact_trace(&trace, &rules).expect("redacts");
    let note = RedactionNote::of(std::slice::from_ref(&report), "2026-12-08T00:00:00Z");
    let document = to_stepwise_document_redacted(std::slice::from_ref(&redacted), &note);
    let text = serde_json::to_string(&document).expect("serialises");
    for secret in &secrets {
        if let Some(at) = text.find(secret.as_str()) {
            let from = text[..at]
                .char_indices()
                .rev()
                .nth(80)
                .map_or(0, |(i, _)| i);
            panic!(
                "{secret} survived: …{}…",
                &text[from..(at + secret.len() + 20).min(text.len())]
            );
        }
    }
    // Every category planted was counted, and the note carries no value.
    for category in Category::ALL {
        assert!(
            note.counts
                .iter()
                .any(|(found, count)| *found == category && *count > 0),
            "{category:?} not counted"
        );
    }
    let note_text = serde_json::to_string(&document["redaction"]).expect("note");
    for secret in &secrets {
        assert!(!note_text.contains(secret.as_str()));
    }
    // The export reads back: same steps, same kinds, labels where the values were.
    let back = import_bytes(text.as_bytes()).expect("reads back").remove(0);
    assert_eq!(back.steps.len(), trace.steps.len());
    assert!(text.contains("[redacted: email #1]"));
}

#[test]
fn labels_are_found_where_they_stand_and_nothing_else_is() {
    use stepwise_core::redact::label_parts;
    assert_eq!(label_parts("plain"), vec![("plain", false)]);
    assert_eq!(label_parts(""), vec![("", false)]);
    assert_eq!(
        label_parts("mail [redacted: email #2], key [redacted: api-key #13]"),
        vec![
            ("mail ", false),
            ("[redacted: email #2]", true),
            (", key ", false),
            ("[redacted: api-key #13]", true),
        ]
    );
    assert_eq!(
        label_parts("[redacted: custom #1]"),
        vec![("[redacted: custom #1]", true)]
    );
    // Look-alikes stay text: an unknown category, no number, no closing bracket.
    for text in [
        "[redacted: password #1]",
        "[redacted: email #]",
        "[redacted: email #x]",
        "[redacted: email #1",
        "[redacted: [redacted: email #1]",
    ] {
        let parts = label_parts(text);
        let joined: String = parts.iter().map(|(part, _)| *part).collect();
        assert_eq!(joined, text, "parts cover the text");
        let labels: Vec<&str> = parts
            .iter()
            .filter(|(_, label)| *label)
            .map(|(part, _)| *part)
            .collect();
        assert!(
            labels.iter().all(|label| *label == "[redacted: email #1]"),
            "{text}: {labels:?}"
        );
    }
}
