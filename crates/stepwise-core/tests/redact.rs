//! Redaction: what each detector finds and leaves, stable labels, a copy that never
//! touches its input, the user's patterns, and a property that no planted secret survives
//! anywhere in an exported trace.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use serde_json::{json, Map, Value};
use stepwise_core::export::to_stepwise_document;
use stepwise_core::model::{
    Agent, RawJson, SourceFormat, Status, Step, StepError, Task, Trace, TraceKind,
};
use stepwise_core::redact::{
    redact_trace, Category, CustomPattern, RedactionNote, Report, RuleError, Rules,
};

fn trace_with(steps: Vec<Step>) -> Trace {
    Trace {
        id: "t1".into(),
        name: "run".into(),
        kind: TraceKind::Other,
        status: Status::Completed,
        start_ns: Some(1_700_000_000_000_000_000),
        end_ns: None,
        input: None,
        final_output: None,
        metadata: Map::new(),
        agents: Vec::new(),
        tasks: Vec::new(),
        steps,
        source_format: SourceFormat::Stepwise,
        repairs: Vec::new(),
        links: Default::default(),
        notes: Default::default(),
    }
}

fn step(id: &str, output: Value) -> Step {
    Step {
        id: id.into(),
        name: format!("step {id}"),
        output: Some(RawJson::from(output)),
        ..Step::default()
    }
}

/// `text` as one step's output, redacted with `rules`.
fn redact_with(text: &str, rules: &Rules) -> (String, Report) {
    let trace = trace_with(vec![step("s1", json!(text))]);
    let (out, report) = redact_trace(&trace, rules).expect("rules are valid");
    let output = out.steps[0]
        .output
        .as_ref()
        .and_then(RawJson::as_string)
        .expect("a string output");
    (output, report)
}

fn redact(text: &str) -> (String, Report) {
    redact_with(text, &Rules::default())
}

/// The values found in `text`, with their categories.
fn found(text: &str) -> Vec<(Category, String)> {
    redact(text)
        .1
        .hits
        .into_iter()
        .map(|hit| (hit.category, hit.value))
        .collect()
}

fn assert_found(category: Category, text: &str, value: &str) {
    let hits = found(text);
    assert!(
        hits.contains(&(category, value.to_string())),
        "{category:?} {value:?} not found in {text:?}: {hits:?}"
    );
    let (out, _) = redact(text);
    assert!(!out.contains(value), "{value:?} left in {out:?}");
}

fn assert_nothing(text: &str) {
    let (out, report) = redact(text);
    assert!(report.hits.is_empty(), "{text:?} gave {:?}", report.hits);
    assert_eq!(out, text);
}

#[test]
fn api_keys_and_tokens_are_found() {
    let cases = [
        "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z",
        "sk-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb3dEf6hIj9kLm2n",
        "sk-ant-api03-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z-AA",
        "AKIAIOSFODNN7EXAMPLE",
        "ASIAY34FZKBOKMUTVV7A",
        "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
        "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
        "xoxb-2634-1234567890-AbCdEfGhIjKl",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    ];
    for key in cases {
        assert_found(Category::ApiKey, &format!("using key {key} now"), key);
        assert_found(Category::ApiKey, &format!("{{\"key\":\"{key}\"}}"), key);
    }
}

#[test]
fn a_bearer_token_is_redacted_and_the_word_kept() {
    let (out, report) = redact("Authorization: Bearer abc123DEF456ghi789JKL.mno");
    assert_eq!(out, "Authorization: Bearer [redacted: api-key #1]");
    assert_eq!(report.hits[0].value, "abc123DEF456ghi789JKL.mno");
}

#[test]
fn a_private_key_block_is_redacted_whole() {
    let pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1234\nabcd==\n-----END RSA PRIVATE KEY-----";
    let (out, report) = redact(&format!("key:\n{pem}\nthanks"));
    assert_eq!(out, "key:\n[redacted: api-key #1]\nthanks");
    assert_eq!(report.hits[0].value, pem);
    // Cut short, it is still redacted to the end of its body.
    let (out, _) = redact("-----BEGIN PRIVATE KEY-----\nMIIEowIBAAKCAQEA1234");
    assert!(!out.contains("MIIEow"), "{out}");
}

#[test]
fn prose_with_key_like_words_is_left_alone() {
    for text in [
        "a risk-free plan for sk-learn users",
        "sk-learn-compatible-estimators-and-pipelines",
        "the sk- prefix marks OpenAI keys",
        "AKIA is how AWS key ids begin",
        "eyJ is base64 for {\"",
        "ghp_ short",
        "bearer of bad news",
    ] {
        assert_nothing(text);
    }
}

#[test]
fn email_addresses_are_found_and_image_names_are_not() {
    assert_found(
        Category::Email,
        "mail ada.lovelace+ai@example.co.uk now",
        "ada.lovelace+ai@example.co.uk",
    );
    assert_found(Category::Email, "<bob@corp.io>", "bob@corp.io");
    for text in ["logo@2x.png", "ping @channel", "a@b", "user@localhost"] {
        assert_nothing(text);
    }
}

#[test]
fn phone_numbers_are_found() {
    for phone in [
        "+1 415 555 2671",
        "+14155552671",
        "+44 20 7946 0958",
        "+49 (30) 1234-5678",
        "(415) 555-2671",
        "415-555-2671",
        "415.555.2671",
        "020 7946 0958",
        "07700 900123",
    ] {
        assert_found(Category::Phone, &format!("call {phone}, thanks"), phone);
    }
}

#[test]
fn numbers_that_are_not_phones_are_left_alone() {
    for text in [
        "released 2024-01-15 at 10:30:45",
        "timestamp 1700000000 and 1793610000000000000",
        "version 1.2.3.4.5 and v2.10.3",
        "id 123e4567-e89b-12d3-a456-426614174000",
        "id 12345678-1234-1234-1234-123456789012",
        "build 10.0.19045.3570",
        "order 1234567890123",
        "3.14159265358979",
        "total 1,234,567.89 USD",
        "between 100 - 200 - 300 items",
    ] {
        assert_nothing(text);
    }
}

#[test]
fn card_numbers_are_luhn_checked() {
    for card in [
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "4111111111111111",
        "3782 822463 10005",
        "5555555555554444",
    ] {
        assert_found(
            Category::CreditCard,
            &format!("card {card} exp 12/29"),
            card,
        );
    }
    for text in [
        "card 4111 1111 1111 1112",
        "4111111111111112",
        // Luhn-valid, but a timestamp: not an issuer's range.
        "1111111111111117",
        "at 1793610000000000000 ns",
    ] {
        assert!(
            !found(text)
                .iter()
                .any(|(category, _)| *category == Category::CreditCard),
            "{text}: {:?}",
            found(text)
        );
    }
}

#[test]
fn ip_addresses_are_found() {
    assert_found(Category::IpAddress, "from 192.168.1.20 to", "192.168.1.20");
    assert_found(Category::IpAddress, "host=10.0.0.1:8080", "10.0.0.1");
    assert_found(
        Category::IpAddress,
        "via 2001:db8:85a3::8a2e:370:7334 today",
        "2001:db8:85a3::8a2e:370:7334",
    );
    assert_found(
        Category::IpAddress,
        "[fe80:0:0:0:202:b3ff:fe1e:8329]",
        "fe80:0:0:0:202:b3ff:fe1e:8329",
    );
}

#[test]
fn versions_times_and_paths_are_not_ip_addresses() {
    for text in [
        "1.2.3.4.5",
        "v1.2.3.4",
        "999.1.1.1",
        "01.02.2024",
        "at 12:30:45",
        "std::fmt::Display",
        "use a::b::c;",
        "mac 00:1A:2B:3C:4D:5E",
        "::",
        "::1",
        "dead:beef:cafe",
    ] {
        assert_nothing(text);
    }
}

#[test]
fn one_value_has_one_label_across_steps_and_fields() {
    let mut first = step(
        "s1",
        json!({"first": "ada@example.com", "second": "bob@example.com"}),
    );
    first
        .attributes
        .insert("user".into(), json!("bob@example.com"));
    let mut second = step("s2", json!("reply to ada@example.com"));
    second.name = "mail ada@example.com".into();
    second.error = Some(StepError {
        message: "bounced: bob@example.com".into(),
        ..StepError::default()
    });
    let trace = trace_with(vec![first, second]);
    let (out, report) = redact_trace(&trace, &Rules::default()).expect("valid");
    let ada = "[redacted: email #1]";
    let bob = "[redacted: email #2]";
    assert_eq!(
        out.steps[0].output.as_ref().map(RawJson::parse),
        Some(json!({"first": ada, "second": bob}))
    );
    assert_eq!(out.steps[0].attributes["user"], json!(bob));
    assert_eq!(out.steps[1].name, format!("mail {ada}"));
    assert_eq!(
        out.steps[1].output.as_ref().and_then(RawJson::as_string),
        Some(format!("reply to {ada}"))
    );
    assert_eq!(
        out.steps[1]
            .error
            .as_ref()
            .map(|error| error.message.as_str()),
        Some(format!("bounced: {bob}").as_str())
    );
    assert_eq!(report.hits.len(), 2);
    assert_eq!(report.hits[0].count, 3);
    assert_eq!(report.hits[1].count, 3);
    assert_eq!(report.counts, vec![(Category::Email, 6)]);
    assert_eq!(report.redacted_occurrences, 6);
    let place = &report.hits[0].first;
    assert_eq!(place.step_id.as_deref(), Some("s1"));
    assert_eq!(place.step_name, "step s1");
    assert_eq!(place.field, "output.first");
}

#[test]
fn the_input_trace_is_never_changed() {
    let mut first = step("s1", json!({"token": "AKIAIOSFODNN7EXAMPLE"}));
    first.attributes.insert("ip".into(), json!("10.1.2.3"));
    let mut trace = trace_with(vec![first]);
    trace.name = "for ada@example.com".into();
    trace.final_output = Some(RawJson::from(json!("call +1 415 555 2671")));
    let before = trace.clone();
    let (out, report) = redact_trace(&trace, &Rules::default()).expect("valid");
    assert_eq!(trace, before);
    assert_ne!(out, trace);
    assert_eq!(report.redacted_occurrences, 4);
    assert_eq!(out.steps[0].id, "s1");
    assert_eq!(out.start_ns, trace.start_ns);
}

#[test]
fn every_text_of_the_model_is_looked_at() {
    let secret = "ada@example.com";
    let mut trace = trace_with(vec![Step {
        id: "s1".into(),
        name: secret.into(),
        model: Some(secret.into()),
        input: Some(RawJson::from(json!({ secret: [secret] }))),
        output: Some(RawJson::from(json!(secret))),
        error: Some(StepError {
            error_type: Some(secret.into()),
            message: secret.into(),
            stack: Some(secret.into()),
        }),
        attributes: Map::from_iter([(secret.to_string(), json!({ "x": secret }))]),
        ..Step::default()
    }]);
    trace.name = secret.into();
    trace.input = Some(RawJson::from(json!(secret)));
    trace.final_output = Some(RawJson::from(json!(secret)));
    trace.metadata.insert("by".into(), json!(secret));
    trace.agents.push(Agent {
        id: "a1".into(),
        role: secret.into(),
        goal: Some(secret.into()),
        backstory: Some(secret.into()),
        version: Some(secret.into()),
        models: vec![secret.into()],
    });
    trace.tasks.push(Task {
        id: "t1".into(),
        key: Some(secret.into()),
        name: secret.into(),
        description: Some(secret.into()),
        expected_output: Some(secret.into()),
        input: Some(RawJson::from(json!(secret))),
        output: Some(RawJson::from(json!(secret))),
        ..Task::default()
    });
    let (out, report) = redact_trace(&trace, &Rules::default()).expect("valid");
    let text = to_stepwise_document(&[out]).to_string();
    assert!(!text.contains(secret), "{text}");
    assert_eq!(report.hits.len(), 1);
    assert_eq!(report.hits[0].count, 25);
}

#[test]
fn ids_times_and_numbers_are_not_redacted() {
    let mut first = step("ada@example.com", json!({"n": 4111111111111111u64}));
    first.parent_id = Some("10.0.0.1".into());
    let trace = trace_with(vec![first]);
    let (out, report) = redact_trace(&trace, &Rules::default()).expect("valid");
    assert_eq!(out.steps[0].id, "ada@example.com");
    assert_eq!(out.steps[0].parent_id.as_deref(), Some("10.0.0.1"));
    assert_eq!(
        out.steps[0].output.as_ref().map(RawJson::parse),
        Some(json!({"n": 4111111111111111u64}))
    );
    // Only the step's name (made from its id) held the address.
    assert_eq!(report.redacted_occurrences, 1);
}

#[test]
fn kept_values_and_categories_turned_off_stay_and_labels_do_not_shift() {
    let text = "ada@example.com, bob@example.com, carol@example.com, 10.0.0.1";
    let (all, _) = redact(text);
    assert_eq!(
        all,
        "[redacted: email #1], [redacted: email #2], [redacted: email #3], [redacted: ip-address #1]"
    );
    let rules = Rules {
        keep: vec!["bob@example.com".into()],
        categories: vec![Category::Email],
        ..Rules::default()
    };
    let (out, report) = redact_with(text, &rules);
    assert_eq!(
        out,
        "[redacted: email #1], bob@example.com, [redacted: email #3], 10.0.0.1"
    );
    let bob = &report.hits[1];
    assert_eq!(
        (bob.redacted, bob.label.as_str()),
        (false, "[redacted: email #2]")
    );
    let ip = &report.hits[3];
    assert_eq!((ip.category, ip.redacted), (Category::IpAddress, false));
    assert_eq!(report.counts, vec![(Category::Email, 2)]);
}

#[test]
fn custom_literals_and_regexes_are_redacted() {
    let rules = Rules {
        custom: vec![
            CustomPattern {
                pattern: "Project (Falcon)".into(),
                regex: false,
            },
            CustomPattern {
                pattern: r"ACME-[0-9]{4}".into(),
                regex: true,
            },
        ],
        ..Rules::default()
    };
    let (out, report) = redact_with(
        "Project (Falcon) ticket ACME-1234 and ACME-1234, ACME-99",
        &rules,
    );
    assert_eq!(
        out,
        "[redacted: custom #1] ticket [redacted: custom #2] and [redacted: custom #2], ACME-99"
    );
    assert_eq!(report.counts, vec![(Category::Custom, 3)]);
    // Regex metacharacters in a literal are literal.
    let (out, _) = redact_with("Project Falcon", &rules);
    assert_eq!(out, "Project Falcon");
}

#[test]
fn a_kept_address_does_not_shield_a_custom_pattern_inside_it() {
    let rules = Rules {
        custom: vec![CustomPattern {
            pattern: "falcon".into(),
            regex: false,
        }],
        keep: vec!["ops@falcon.io".into()],
        ..Rules::default()
    };
    let (out, _) = redact_with("write to ops@falcon.io", &rules);
    assert_eq!(out, "write to ops@[redacted: custom #1].io");
}

#[test]
fn bad_patterns_are_refused_with_a_reason() {
    let trace = trace_with(vec![step("s1", json!("x"))]);
    let with = |pattern: &str, regex: bool| Rules {
        custom: vec![CustomPattern {
            pattern: pattern.into(),
            regex,
        }],
        ..Rules::default()
    };
    let error = redact_trace(&trace, &with("(unclosed", true)).expect_err("bad syntax");
    assert!(matches!(error, RuleError::Syntax { .. }), "{error:?}");
    assert!(error.to_string().contains("(unclosed"), "{error}");
    let error = redact_trace(&trace, &with(r"(?:\w{100}){100}", true)).expect_err("too large");
    assert!(matches!(error, RuleError::TooLarge { .. }), "{error:?}");
    assert!(error.to_string().contains("too large"), "{error}");
    let long = "a".repeat(5_000);
    let error = redact_trace(&trace, &with(&long, false)).expect_err("too long");
    assert!(matches!(error, RuleError::TooLong { .. }), "{error:?}");
    let error = redact_trace(&trace, &with("", false)).expect_err("empty");
    assert_eq!(error, RuleError::Empty);
    // The same text as a literal is fine.
    assert!(redact_trace(&trace, &with("(unclosed", false)).is_ok());
    assert!(redact_trace(&trace, &with(r"(?i)\w+@corp", true)).is_ok());
}

#[test]
fn rules_and_reports_have_the_json_shape_the_page_reads() {
    let rules: Rules = serde_json::from_str(
        r#"{"categories":["api-key","credit-card","ip-address"],"custom":[{"pattern":"x","regex":true}],"keep":["k"]}"#,
    )
    .expect("reads");
    assert_eq!(
        rules.categories,
        vec![Category::ApiKey, Category::CreditCard, Category::IpAddress]
    );
    // Left-out members take their defaults.
    assert_eq!(
        serde_json::from_str::<Rules>("{}").ok(),
        Some(Rules::default())
    );
    let (_, report) = redact("ada@example.com");
    let value = serde_json::to_value(&report).expect("writes");
    assert_eq!(value["counts"], json!([["email", 1]]));
    assert_eq!(value["hits"][0]["label"], json!("[redacted: email #1]"));
    assert_eq!(value["hits"][0]["first"]["field"], json!("output"));
    assert_eq!(value["hits"][0]["first"]["before"], json!(""));
}

#[test]
fn context_is_at_most_forty_characters_and_cut_between_characters() {
    let text = format!("{} ada@example.com {}", "é".repeat(60), "ü".repeat(60));
    let (_, report) = redact(&text);
    let place = &report.hits[0].first;
    assert_eq!(place.before.chars().count(), 40);
    assert_eq!(place.after.chars().count(), 40);
    assert!(place.before.ends_with("é "));
}

#[test]
fn a_note_sums_reports_and_says_them_in_words() {
    let (_, first) = redact("ada@example.com and AKIAIOSFODNN7EXAMPLE");
    let (_, second) = redact("bob@example.com");
    let note = RedactionNote::of(&[first, second], "2026-12-08T01:00:00Z");
    assert_eq!(
        note.counts,
        vec![(Category::ApiKey, 1), (Category::Email, 2)]
    );
    assert_eq!(note.sentence(), "1 API key or token, 2 e-mail addresses");
}

#[test]
fn an_export_of_a_redacted_trace_carries_counts_and_never_values() {
    let mut trace = trace_with(vec![step(
        "s1",
        json!("key AKIAIOSFODNN7EXAMPLE for ada@example.com and bob@example.com"),
    )]);
    trace.name = "Pricing run".into();
    let (out, report) = redact_trace(&trace, &Rules::default()).expect("valid");
    let note = RedactionNote::of(&[report], "2026-12-08T01:00:00Z");
    let document =
        stepwise_core::export::to_stepwise_document_redacted(std::slice::from_ref(&out), &note);
    assert_eq!(
        document["redaction"],
        json!({
            "redacted": true,
            "at": "2026-12-08T01:00:00Z",
            "counts": {"api-key": 1, "email": 2},
        })
    );
    let text = document.to_string();
    for value in ["AKIAIOSFODNN7EXAMPLE", "ada@example.com", "bob@example.com"] {
        assert!(!text.contains(value), "{value} in {text}");
    }
    // Without a note, nothing is said.
    assert!(to_stepwise_document(std::slice::from_ref(&out))
        .get("redaction")
        .is_none());
    let markdown = stepwise_core::report_md::markdown_report_redacted(&out, &note);
    assert!(
        markdown.contains("Redacted: 1 API key or token, 2 e-mail addresses."),
        "{markdown}"
    );
    assert!(!stepwise_core::report_md::markdown_report(&out).contains("Redacted"));
}

#[test]
fn a_large_trace_is_redacted_quickly() {
    use stepwise_core::synth::{write_trace, SynthFormat, SynthOptions};
    let steps = if cfg!(debug_assertions) {
        5_000
    } else {
        100_000
    };
    let mut bytes = Vec::new();
    write_trace(
        &SynthOptions {
            steps,
            seed: 7,
            format: SynthFormat::Stepwise,
        },
        &mut bytes,
    )
    .expect("writes");
    let mut traces = stepwise_core::import::import_bytes(&bytes).expect("imports");
    let mut trace = traces.remove(0);
    // A secret in one step in a hundred, so that redaction has work to do.
    for (index, step) in trace.steps.iter_mut().enumerate().step_by(100) {
        step.attributes.insert(
            "user".into(),
            json!(format!("user{}@example.com", index % 50)),
        );
    }
    let started = std::time::Instant::now();
    let (out, report) = redact_trace(&trace, &Rules::default()).expect("valid");
    let elapsed = started.elapsed();
    eprintln!(
        "redacted {steps} steps in {} ms: {} occurrences, {} fields",
        elapsed.as_millis(),
        report.redacted_occurrences,
        report.scanned_fields
    );
    assert_eq!(out.steps.len(), steps);
    assert!(report.redacted_occurrences >= steps / 100);
    if !cfg!(debug_assertions) {
        assert!(elapsed.as_secs_f64() < 2.0, "{elapsed:?}");
    }
}

// ---------------------------------------------------------------------------------------
// The property: secrets planted anywhere never survive.

fn secrets() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9]{40}".prop_filter_map("mixed case and digits", |body| {
            let has = |test: fn(&char) -> bool| body.chars().any(|c| test(&c));
            (has(char::is_ascii_digit)
                && has(char::is_ascii_uppercase)
                && has(char::is_ascii_lowercase))
            .then(|| format!("sk-proj-{body}"))
        }),
        "[A-Z0-9]{16}".prop_map(|body| format!("AKIA{body}")),
        "[A-Za-z0-9]{36}".prop_map(|body| format!("ghp_{body}")),
        "[A-Za-z0-9]{12}".prop_map(|body| format!("xoxb-1234-{body}")),
        ("[a-z0-9]{1,10}", "[a-z]{1,10}", "(com|org|io|de)")
            .prop_map(|(user, host, top)| format!("{user}@{host}.{top}")),
        (200u32..999, 200u32..999, 1000u32..9999)
            .prop_map(|(area, exchange, line)| format!("+1 {area} {exchange} {line}")),
        (100_000_000_000_000u64..999_999_999_999_999).prop_map(|body| card("4", body)),
        (0u8..=255, 0u8..=255, 0u8..=255, 1u8..=254)
            .prop_map(|(a, b, c, d)| format!("{a}.{b}.{c}.{d}")),
        (1u16..0xffff, 1u16..0xffff, 1u16..0xffff)
            .prop_map(|(a, b, c)| format!("2001:db8:{a:x}::{b:x}:{c:x}")),
    ]
}

/// A 16-digit card number starting with `prefix`, with its Luhn digit.
fn card(prefix: &str, body: u64) -> String {
    let partial = format!("{prefix}{body:015}")[..15].to_string();
    let sum: u32 = partial
        .chars()
        .rev()
        .enumerate()
        .map(|(position, c)| {
            let digit = c.to_digit(10).unwrap_or(0);
            match position % 2 {
                0 if digit * 2 > 9 => digit * 2 - 9,
                0 => digit * 2,
                _ => digit,
            }
        })
        .sum();
    format!("{partial}{}", (10 - sum % 10) % 10)
}

/// Filler around a planted secret: words, punctuation, quotes, escapes, other scripts.
fn filler() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just(" ".to_string()),
        " [a-z ]{0,12} ",
        " [,;:()\\[\\]{}\"'\\\\\n\t] ?".prop_map(String::from),
        "[ \n]{1,2}(é|日本|🙂)[ \n]",
    ]
}

#[derive(Clone, Debug)]
enum Spot {
    StepName,
    ErrorMessage,
    OutputString,
    OutputKey,
    NestedInput,
    Attribute,
    AttributeKey,
    TaskDescription,
    FinalOutput,
    Metadata,
}

fn spots() -> impl Strategy<Value = Spot> {
    prop_oneof![
        Just(Spot::StepName),
        Just(Spot::ErrorMessage),
        Just(Spot::OutputString),
        Just(Spot::OutputKey),
        Just(Spot::NestedInput),
        Just(Spot::Attribute),
        Just(Spot::AttributeKey),
        Just(Spot::TaskDescription),
        Just(Spot::FinalOutput),
        Just(Spot::Metadata),
    ]
}

fn plant(trace: &mut Trace, spot: &Spot, text: String) {
    let step = &mut trace.steps[0];
    match spot {
        Spot::StepName => step.name = text,
        Spot::ErrorMessage => {
            step.error = Some(StepError {
                message: text,
                ..StepError::default()
            })
        }
        Spot::OutputString => step.output = Some(RawJson::from(json!(text))),
        Spot::OutputKey => step.output = Some(RawJson::from(json!({ text: 1 }))),
        Spot::NestedInput => {
            step.input = Some(RawJson::from(
                json!({"messages": [{"role": "user", "content": text}], "n": 3}),
            ))
        }
        Spot::Attribute => {
            step.attributes
                .insert("http.headers".into(), json!({ "x": [text] }));
        }
        Spot::AttributeKey => {
            step.attributes.insert(text, json!(true));
        }
        Spot::TaskDescription => trace.tasks.push(Task {
            id: "t1".into(),
            name: "task".into(),
            description: Some(text),
            ..Task::default()
        }),
        Spot::FinalOutput => {
            trace.final_output = Some(RawJson::from(json!({ "answer": text })));
        }
        Spot::Metadata => {
            trace.metadata.insert("user".into(), json!(text));
        }
    }
}

fn payloads(trace: &Trace) -> Vec<&RawJson> {
    let mut all: Vec<&RawJson> = trace.input.iter().chain(&trace.final_output).collect();
    for task in &trace.tasks {
        all.extend(task.input.iter().chain(&task.output));
    }
    for step in &trace.steps {
        all.extend(step.input.iter().chain(&step.output));
    }
    all
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn no_planted_secret_survives(
        plants in proptest::collection::vec((secrets(), filler(), filler(), spots()), 1..5)
    ) {
        let mut trace = trace_with(vec![step("s1", json!("nothing here"))]);
        for (secret, before, after, spot) in &plants {
            plant(&mut trace, spot, format!("{before}{secret}{after}"));
        }
        let (out, _) = redact_trace(&trace, &Rules::default()).expect("valid");
        let text = serde_json::to_string(&to_stepwise_document(std::slice::from_ref(&out)))
            .expect("writes");
        for (secret, _, _, _) in &plants {
            // Searched in the written JSON as it is escaped there.
            let escaped = serde_json::to_string(secret).expect("writes");
            let escaped = &escaped[1..escaped.len() - 1];
            prop_assert!(!text.contains(escaped), "{secret:?} survived in {text}");
        }
        for payload in payloads(&out) {
            prop_assert!(
                serde_json::from_str::<Value>(payload.text()).is_ok(),
                "not JSON: {}",
                payload.text()
            );
        }
    }
}

#[test]
fn the_worker_sends_only_redacted_traces_and_a_report_per_trace() {
    use stepwise_core::intake::{import_for_page_redacted, Redaction};
    let document = json!({
        "format": "stepwise-trace",
        "version": 2,
        "traces": [
            {"id": "a", "name": "for ada@example.com", "steps": [
                {"id": "s1", "name": "call", "output": "key AKIAIOSFODNN7EXAMPLE"}
            ]},
            {"id": "b", "name": "plain", "steps": []}
        ]
    })
    .to_string();
    let mut progress = Vec::new();
    let mut on_steps =
        |trace: usize, done: usize, total: usize| progress.push((trace, done, total));
    let clock = || 0.0;
    let mut preview_name = None;
    let redacted = import_for_page_redacted(
        document.into_bytes(),
        None,
        Redaction {
            rules: &Rules::default(),
            on_steps: &mut on_steps,
            now_ms: &clock,
        },
        |preview| preview_name = Some(preview.name.clone()),
    )
    .expect("valid rules");
    assert_eq!(preview_name.as_deref(), Some("for [redacted: email #1]"));
    assert_eq!(redacted.reports.len(), 2);
    assert_eq!(redacted.reports[0].redacted_occurrences, 2);
    let traces = stepwise_core::transfer::decode(&redacted.out)
        .expect("decodes")
        .expect("imports");
    assert_eq!(traces[0].name, "for [redacted: email #1]");
    assert_eq!(
        traces[0].steps[0]
            .output
            .as_ref()
            .and_then(RawJson::as_string),
        Some("key [redacted: api-key #1]".to_string())
    );
    assert_eq!(progress, vec![(0, 0, 1), (0, 1, 1), (1, 0, 0), (1, 0, 0)]);
}

#[test]
fn the_worker_refuses_bad_rules_before_importing() {
    use stepwise_core::intake::{import_for_page_redacted, Redaction};
    let rules = Rules {
        custom: vec![CustomPattern {
            pattern: "[z-a]".into(),
            regex: true,
        }],
        ..Rules::default()
    };
    let mut previews = 0;
    let result = import_for_page_redacted(
        b"not even json".to_vec(),
        None,
        Redaction {
            rules: &rules,
            on_steps: &mut |_, _, _| {},
            now_ms: &|| 0.0,
        },
        |_| previews += 1,
    );
    let error = result.err().expect("refused");
    assert!(error.to_string().contains("[z-a]"), "{error}");
    assert_eq!(previews, 0);
}
