//! Grafana Tempo as a trace API: its URLs, the v2 → v1 fallback, and its search answers.
#![cfg(not(target_arch = "wasm32"))]

use stepwise_core::api::*;
use stepwise_core::fetch_error::FetchFailure;

fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/../../tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|error| panic!("cannot read {full}: {error}"))
}

const SHAPE: &str = "{\"traces\": [{\"traceID\", \"rootTraceName\", \"startTimeUnixNano\", \
                     \"durationMs\", …}], \"metrics\": {…}}";

#[test]
fn tempo_is_a_kind_of_its_own() {
    assert_eq!(ApiKind::from_key("tempo"), Ok(ApiKind::Tempo));
    assert_eq!(ApiKind::Tempo.key(), "tempo");
    assert_eq!(ApiKind::Tempo.label(), "Grafana Tempo");
    assert!(ApiKind::ALL.contains(&ApiKind::Tempo));
    assert_eq!(
        ApiKind::from_key("zipkin").unwrap_err(),
        "Unknown API kind \"zipkin\" in the address: expected stepwise, langfuse, jaeger or tempo."
    );
}

#[test]
fn tempo_urls() {
    let base = "https://tempo.test/grafana/";
    assert_eq!(
        list_url(ApiKind::Tempo, base, None),
        "https://tempo.test/grafana/api/search?limit=100"
    );
    // A day back from the time given, in Unix seconds.
    let end_s = 1_767_348_000;
    assert_eq!(
        tempo_search_url(base, end_s),
        format!(
            "https://tempo.test/grafana/api/search?limit={LIST_LIMIT}&start={}&end={end_s}",
            end_s - 86_400
        )
    );
    assert_eq!(
        trace_url(ApiKind::Tempo, base, "2f3e0cee77ae5dc9").as_deref(),
        Ok("https://tempo.test/grafana/api/v2/traces/2f3e0cee77ae5dc9")
    );
    assert_eq!(
        trace_url(ApiKind::Tempo, base, "a/b").as_deref(),
        Ok("https://tempo.test/grafana/api/v2/traces/a%2Fb")
    );
    assert!(trace_url(ApiKind::Tempo, base, "..").is_err());
}

#[test]
fn only_a_tempo_v2_not_found_falls_back_to_v1() {
    let base = "https://tempo.test";
    let v2 = "https://tempo.test/api/v2/traces/abc";
    assert_eq!(
        trace_fallback_url(ApiKind::Tempo, base, "abc", v2, &FetchFailure::NotFound).as_deref(),
        Some("https://tempo.test/api/traces/abc")
    );
    // The v1 request failing too is final: no third request.
    let v1 = "https://tempo.test/api/traces/abc";
    assert_eq!(
        trace_fallback_url(ApiKind::Tempo, base, "abc", v1, &FetchFailure::NotFound),
        None
    );
    // Other failures are not about the route: they stand.
    for failure in [
        FetchFailure::Status {
            status: 500,
            status_text: "Internal Server Error".into(),
        },
        FetchFailure::Status {
            status: 401,
            status_text: "Unauthorized".into(),
        },
        FetchFailure::RateLimited {
            retry_after_s: Some(2),
        },
        FetchFailure::Html,
    ] {
        assert_eq!(
            trace_fallback_url(ApiKind::Tempo, base, "abc", v2, &failure),
            None,
            "{failure:?}"
        );
    }
    // Other kinds have one route only.
    let jaeger = "https://tempo.test/api/traces/abc";
    assert_eq!(
        trace_fallback_url(
            ApiKind::Jaeger,
            base,
            "abc",
            jaeger,
            &FetchFailure::NotFound
        ),
        None
    );
}

#[test]
fn tempo_search_rows_are_read_and_sorted_newest_first() {
    let page =
        parse_list_page(ApiKind::Tempo, &fixture("api/tempo_search.from-docs.json")).unwrap();
    assert!(!page.more, "three traces are not a full page");
    assert_eq!(
        page.traces,
        [
            TraceListing {
                id: "2f3e0cee77ae5dc9c17ade3689eb2e54".into(),
                name: "update-billing".into(),
                start_ns: Some(1_767_348_000_000_000_000),
                status: ListStatus::Failed,
                duration_ns: Some(557_000_000),
                total_tokens: None,
                cost_usd: None,
            },
            TraceListing {
                id: "9c0e7f2d1a3b4c5d6e7f8091a2b3c4d5".into(),
                name: "9c0e7f2d1a3b4c5d6e7f8091a2b3c4d5".into(),
                start_ns: Some(1_767_344_400_000_000_000),
                status: ListStatus::Unknown,
                duration_ns: None,
                total_tokens: None,
                cost_usd: None,
            },
            TraceListing {
                id: "48a5d7e0b9b6c4d1".into(),
                name: "POST /plan".into(),
                start_ns: Some(1_767_340_800_000_000_000),
                status: ListStatus::Unknown,
                duration_ns: Some(1_250_000_000),
                total_tokens: None,
                cost_usd: None,
            },
        ]
    );
}

#[test]
fn a_full_tempo_page_says_there_is_more_and_where_the_next_ends() {
    let rows: Vec<String> = (0..LIST_LIMIT)
        .map(|n| {
            format!(
                r#"{{"traceID": "t{n}", "startTimeUnixNano": {}}}"#,
                1_767_348_000_000_000_000_i64 + n as i64 * 1_500_000_000
            )
        })
        .collect();
    let answer = format!(r#"{{"traces": [{}]}}"#, rows.join(","));
    let page = parse_list_page(ApiKind::Tempo, answer.as_bytes()).unwrap();
    assert!(page.more);
    assert_eq!(page.traces.len(), LIST_LIMIT);
    assert_eq!(page.traces[0].id, format!("t{}", LIST_LIMIT - 1));
    // The oldest starts on a whole second: the next page ends there.
    assert_eq!(tempo_older_end_s(&page.traces), Some(1_767_348_000));
    let half = parse_list(
        ApiKind::Tempo,
        br#"{"traces": [{"traceID": "a", "startTimeUnixNano": "1767348000500000000"}]}"#,
    )
    .unwrap();
    assert_eq!(
        tempo_older_end_s(&half),
        Some(1_767_348_001),
        "rounded up, so the trace is not lost between pages"
    );
    assert_eq!(tempo_older_end_s(&[]), None);
}

#[test]
fn an_empty_tempo_search_is_an_empty_list() {
    let page = parse_list_page(ApiKind::Tempo, br#"{"traces": [], "metrics": {}}"#).unwrap();
    assert_eq!(page.traces, []);
    assert!(!page.more);
}

#[test]
fn bad_tempo_answers_say_what_was_expected_and_where() {
    assert_eq!(
        parse_list(ApiKind::Tempo, br#"{"data": []}"#).unwrap_err(),
        format!(
            "The Grafana Tempo trace list is not as expected at the top level: missing field \
             `traces`. Expected {SHAPE}."
        )
    );
    assert_eq!(
        parse_list(
            ApiKind::Tempo,
            br#"{"traces": [{"traceID": "a"}, {"rootTraceName": "x"}]}"#
        )
        .unwrap_err(),
        format!(
            "The Grafana Tempo trace list is not as expected at traces[1]: missing field \
             `traceID`. Expected {SHAPE}."
        )
    );
    assert_eq!(
        parse_list(
            ApiKind::Tempo,
            br#"{"traces": [{"traceID": "a", "startTimeUnixNano": "soon"}]}"#
        )
        .unwrap_err(),
        format!(
            "The Grafana Tempo trace list is not as expected at traces[0].startTimeUnixNano: \
             an integer, not \"soon\". Expected {SHAPE}."
        )
    );
    assert_eq!(
        parse_list(ApiKind::Tempo, b"<html><body>Grafana</body></html>").unwrap_err(),
        format!(
            "The Grafana Tempo trace list is an HTML page, not JSON: the address may point at a \
             web page or a sign-in screen rather than the API. Expected JSON such as {SHAPE}."
        )
    );
}

#[test]
fn tempo_credentials_are_basic_or_bearer_and_stay_under_their_base() {
    let basic = Credentials {
        base: "https://tempo.test/tempo".into(),
        secret: Secret::Basic {
            public_key: "123456".into(),
            secret_key: "glc_token".into(),
        },
    };
    assert_eq!(
        basic
            .authorization_for("https://tempo.test/tempo/api/v2/traces/abc")
            .as_deref(),
        Some(format!("Basic {}", base64_encode(b"123456:glc_token")).as_str())
    );
    assert_eq!(
        basic.authorization_for("https://tempo.test/other/api/search"),
        None
    );
    let bearer = Credentials {
        base: "https://tempo.test".into(),
        secret: Secret::Bearer {
            token: "t0k".into(),
        },
    };
    assert_eq!(
        bearer
            .authorization_for("https://tempo.test/api/search?limit=100")
            .as_deref(),
        Some("Bearer t0k")
    );
}

#[test]
fn tempo_credentials_typed_are_basic_bearer_or_none() {
    // `Secret` has no `Debug` (secrets never reach logs), so results are compared with `==`.
    assert!(tempo_secret(" ", "", "") == Ok(None));
    assert!(
        tempo_secret(" 123456 ", "glc_x", "")
            == Ok(Some(Secret::Basic {
                public_key: "123456".into(),
                secret_key: "glc_x".into(),
            }))
    );
    assert!(
        tempo_secret("", "", "t0k ")
            == Ok(Some(Secret::Bearer {
                token: "t0k".into()
            }))
    );
    assert!(
        tempo_secret("123456", "", "").err().as_deref()
            == Some("Tempo's basic auth needs both the user and the password: fill in both, or neither.")
    );
    assert!(
        tempo_secret("u", "p", "t").err().as_deref()
            == Some(
                "Tempo takes either a user and password or a token, not both: clear one of them."
            )
    );
}
