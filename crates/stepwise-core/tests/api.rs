//! The trace APIs: URLs, list parsing for each kind, sorting, filtering, and where credentials may go.
#![cfg(not(target_arch = "wasm32"))]

use stepwise_core::api::*;
use stepwise_core::import::import_bytes;
use stepwise_core::metrics::summarize;

fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/../../tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|error| panic!("cannot read {full}: {error}"))
}

fn shared(name: &str) -> Vec<u8> {
    let full = format!(
        "{}/../../tests/fixtures/real/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&full).unwrap_or_else(|error| panic!("cannot read {full}: {error}"))
}

fn ids(traces: &[TraceListing]) -> Vec<&str> {
    traces.iter().map(|t| t.id.as_str()).collect()
}

const T_2026_01_02_10H: i64 = 1_767_348_000_000_000_000;

#[test]
fn urls_for_each_kind() {
    let base = "https://h.test/x";
    assert_eq!(
        list_url(ApiKind::Stepwise, base, None),
        "https://h.test/x/traces"
    );
    assert_eq!(
        list_url(ApiKind::Langfuse, "https://cloud.langfuse.com/", None),
        "https://cloud.langfuse.com/api/public/traces?page=1&limit=100"
    );
    assert_eq!(
        list_url(ApiKind::Jaeger, base, Some("agent api")),
        "https://h.test/x/api/traces?service=agent%20api&limit=100"
    );
    assert_eq!(services_url(base), "https://h.test/x/api/services");
    assert_eq!(
        trace_url(ApiKind::Stepwise, base, "run/1?a").as_deref(),
        Ok("https://h.test/x/traces/run%2F1%3Fa")
    );
    assert_eq!(
        trace_url(ApiKind::Langfuse, base, "abc").as_deref(),
        Ok("https://h.test/x/api/public/traces/abc")
    );
    assert_eq!(
        trace_url(ApiKind::Jaeger, base, "b1b2").as_deref(),
        Ok("https://h.test/x/api/traces/b1b2")
    );
}

#[test]
fn dot_ids_cannot_climb_out_of_the_base() {
    assert!(trace_url(ApiKind::Stepwise, "https://h.test", "..").is_err());
    assert!(trace_url(ApiKind::Stepwise, "https://h.test", ".").is_err());
    assert!(trace_url(ApiKind::Stepwise, "https://h.test", "").is_err());
    assert_eq!(
        trace_url(ApiKind::Stepwise, "https://h.test", "...").as_deref(),
        Ok("https://h.test/traces/...")
    );
}

#[test]
fn base_urls_are_checked_and_tidied() {
    assert_eq!(
        normalize_base("  HTTPS://Traces.Example.COM:8443/Api/v1/  ").as_deref(),
        Ok("https://traces.example.com:8443/Api/v1")
    );
    assert_eq!(
        normalize_base("http://127.0.0.1:9/sw").as_deref(),
        Ok("http://127.0.0.1:9/sw")
    );
    let with_user = normalize_base("https://pk:sk@cloud.langfuse.com").unwrap_err();
    assert!(
        with_user.contains("credentials never go in a URL"),
        "{with_user}"
    );
    assert!(normalize_base("").unwrap_err().contains("base URL"));
    assert!(normalize_base("ftp://h").unwrap_err().contains("ftp:"));
    assert!(normalize_base("h.test/api")
        .unwrap_err()
        .contains("not a web address"));
    assert!(normalize_base("https://h.test/api?key=1")
        .unwrap_err()
        .contains("query"));
    assert!(normalize_base("https://h.test/a/../b")
        .unwrap_err()
        .contains(".."));
    assert!(normalize_base("https:///path")
        .unwrap_err()
        .contains("no host"));
}

#[test]
fn credentials_go_only_under_their_base() {
    let base = "https://h.test/lf";
    assert!(credentials_apply(base, "https://h.test/lf"));
    assert!(credentials_apply(
        base,
        "https://h.test/lf/api/public/traces?page=1"
    ));
    assert!(credentials_apply(
        "https://h.test/lf/",
        "https://h.test/lf/api/public/traces/1"
    ));
    // Another path on the same host, a longer name, another port, scheme or host.
    assert!(!credentials_apply(base, "https://h.test/sw/traces"));
    assert!(!credentials_apply(base, "https://h.test/lfx/api"));
    assert!(!credentials_apply(base, "https://h.test:444/lf/api"));
    assert!(!credentials_apply(base, "http://h.test/lf/api"));
    assert!(!credentials_apply(
        base,
        "https://h.test.evil.example/lf/api"
    ));
    // Climbing out, plainly or percent-encoded.
    assert!(!credentials_apply(base, "https://h.test/lf/../admin"));
    assert!(!credentials_apply(base, "https://h.test/lf/%2E%2E/admin"));
    assert!(!credentials_apply("", "https://h.test/lf"));
    assert!(!credentials_apply("javascript:", "javascript:alert(1)"));
}

#[test]
fn authorization_headers() {
    // RFC 7617's example.
    assert_eq!(
        base64_encode(b"Aladdin:open sesame"),
        "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
    );
    assert_eq!(base64_encode(b""), "");
    assert_eq!(base64_encode(b"a"), "YQ==");
    assert_eq!(base64_encode(b"ab"), "YWI=");
    assert_eq!(base64_encode("é".as_bytes()), "w6k=");
    let basic = Credentials {
        base: "https://h.test/lf".into(),
        secret: Secret::Basic {
            public_key: "pk-lf-1".into(),
            secret_key: "sk-lf-2".into(),
        },
    };
    assert_eq!(basic.authorization(), "Basic cGstbGYtMTpzay1sZi0y");
    assert_eq!(
        basic
            .authorization_for("https://h.test/lf/api/public/traces")
            .as_deref(),
        Some("Basic cGstbGYtMTpzay1sZi0y")
    );
    assert_eq!(
        basic.authorization_for("https://h.test/jg/api/traces"),
        None
    );
    assert_eq!(
        format!("{basic:?}"),
        "Credentials { base: \"https://h.test/lf\", secret: basic (hidden) }",
        "Debug never shows a secret"
    );
    let bearer = Credentials {
        base: "https://h.test/sw".into(),
        secret: Secret::Bearer {
            token: "t0k".into(),
        },
    };
    assert_eq!(bearer.authorization(), "Bearer t0k");
    assert_eq!(
        credentials_key("https://H.test:8080/sw").as_deref(),
        Some("stepwise.api.credentials https://h.test:8080")
    );
}

#[test]
fn recent_bases_keep_the_newest_five() {
    let mut saved = Vec::new();
    for n in 0..7 {
        saved = remember_api(&saved, &format!("https://h{n}.test"), ApiKind::Stepwise);
    }
    saved = remember_api(&saved, "https://h3.test", ApiKind::Jaeger);
    let bases: Vec<&str> = saved.iter().map(|s| s.base.as_str()).collect();
    assert_eq!(
        bases,
        [
            "https://h3.test",
            "https://h6.test",
            "https://h5.test",
            "https://h4.test",
            "https://h2.test"
        ]
    );
    assert_eq!(saved[0].kind, "jaeger");
}

#[test]
fn stepwise_list_is_read_and_sorted_newest_first() {
    let page = parse_list_page(ApiKind::Stepwise, &fixture("api/stepwise_list.json")).unwrap();
    assert!(page.more, "\"next\" says there is another page");
    assert_eq!(
        ids(&page.traces),
        ["run-2", "run-5", "run-1", "run-3", "run-4"]
    );
    assert_eq!(
        page.traces[2],
        TraceListing {
            id: "run-1".into(),
            name: "Nightly eval".into(),
            start_ns: Some(T_2026_01_02_10H),
            status: ListStatus::Completed,
            duration_ns: Some(90_500_000_000),
            total_tokens: Some(12_345),
            cost_usd: Some(0.42),
        }
    );
    // 08:00 at +01:00 is 07:00 UTC on the 3rd.
    assert_eq!(
        page.traces[0].start_ns,
        Some(T_2026_01_02_10H + 21 * 3_600_000_000_000)
    );
    assert_eq!(page.traces[0].status, ListStatus::Running);
    assert_eq!(page.traces[0].duration_ns, None);
    assert_eq!(page.traces[1].name, "run-5", "no name: the id stands in");
    assert_eq!(
        page.traces[1].status,
        ListStatus::Unknown,
        "\"paused\" is no status we know"
    );
    assert_eq!(page.traces[4].start_ns, None);
    assert_eq!(
        page.traces[4].status,
        ListStatus::Running,
        "no end and no status: running"
    );
    assert_eq!(page.traces[3].status, ListStatus::Failed);
    assert_eq!(page.traces[3].total_tokens, Some(10));
    assert_eq!(page.traces[3].cost_usd, None);
}

#[test]
fn langfuse_list_is_read() {
    let page =
        parse_list_page(ApiKind::Langfuse, &fixture("langfuse/list_two_traces.json")).unwrap();
    assert!(!page.more, "page 1 of 1");
    assert_eq!(
        page.traces,
        [
            TraceListing {
                id: "trace-b".into(),
                name: "second".into(),
                start_ns: Some(1_740_909_600_000_000_000),
                status: ListStatus::Unknown,
                duration_ns: Some(2_500_000_000),
                total_tokens: None,
                cost_usd: Some(0.0),
            },
            TraceListing {
                id: "trace-a".into(),
                name: "first".into(),
                start_ns: Some(1_740_906_000_000_000_000),
                status: ListStatus::Unknown,
                duration_ns: Some(800_000_000),
                total_tokens: None,
                cost_usd: Some(0.001),
            },
        ]
    );
    let more =
        br#"{"data": [], "meta": {"page": 1, "limit": 1, "totalItems": 3, "totalPages": 3}}"#;
    assert!(parse_list_page(ApiKind::Langfuse, more).unwrap().more);
}

#[test]
fn jaeger_list_is_derived_from_spans() {
    let page = parse_list_page(ApiKind::Jaeger, &fixture("jaeger/api_two_traces.json")).unwrap();
    assert!(!page.more);
    assert_eq!(
        page.traces,
        [
            TraceListing {
                id: "c1b2c3d4e5f60718".into(),
                name: "GET /health".into(),
                start_ns: Some(1_751_234_572_000_000_000),
                status: ListStatus::Completed,
                duration_ns: Some(3_000_000),
                total_tokens: None,
                cost_usd: None,
            },
            TraceListing {
                id: "b1b2c3d4e5f60718".into(),
                name: "GET /ask".into(),
                start_ns: Some(1_751_234_567_000_000_000),
                status: ListStatus::Completed,
                duration_ns: Some(900_000_000),
                total_tokens: None,
                cost_usd: None,
            },
        ]
    );
    // A single trace file is not a list; wrap it as the API would.
    let single = String::from_utf8(fixture("jaeger/error_tag.json")).unwrap();
    let wrapped = format!("{{\"data\": [{single}]}}");
    let failed = parse_list(ApiKind::Jaeger, wrapped.as_bytes()).unwrap();
    assert_eq!(failed[0].name, "run");
    assert_eq!(
        failed[0].status,
        ListStatus::Failed,
        "error tags mark the trace failed"
    );
    assert_eq!(failed[0].duration_ns, Some(1_000_000_000));
    let nothing = parse_list(ApiKind::Jaeger, br#"{"data": null, "errors": null}"#).unwrap();
    assert_eq!(nothing, []);
}

#[test]
fn jaeger_services_are_sorted_and_a_default_picked() {
    let services = parse_services(&fixture("api/jaeger_services.json")).unwrap();
    assert_eq!(services, ["agent-api", "jaeger-all-in-one", "tools"]);
    assert_eq!(default_service(&services), Some("agent-api"));
    assert_eq!(
        default_service(&["jaeger-query".to_string()]),
        Some("jaeger-query")
    );
    assert_eq!(default_service(&[]), None);
}

#[test]
fn list_errors_say_what_was_expected_and_where() {
    let html = b"<!doctype html><html><body>Sign in</body></html>";
    assert_eq!(
        parse_list(ApiKind::Langfuse, html).unwrap_err(),
        "The Langfuse trace list is an HTML page, not JSON: the address may point at a web page \
         or a sign-in screen rather than the API. Expected JSON such as {\"data\": [{\"id\", \
         \"name\", \"timestamp\", …}], \"meta\": {…}}."
    );
    assert_eq!(
        parse_list(
            ApiKind::Stepwise,
            br#"{"traces": [{"id": "a"}, {"id": 7}]}"#
        )
        .unwrap_err(),
        "The Stepwise API trace list is not as expected at traces[1].id: invalid type: integer \
         `7`, expected a string. Expected {\"traces\": [{\"id\", \"name\", \"start_time\", \
         \"status\", …}]}."
    );
    assert_eq!(
        parse_list(ApiKind::Stepwise, br#"{"data": []}"#).unwrap_err(),
        "The Stepwise API trace list is not as expected at the top level: missing field \
         `traces`. Expected {\"traces\": [{\"id\", \"name\", \"start_time\", \"status\", …}]}."
    );
    assert_eq!(
        parse_list(ApiKind::Jaeger, br#"{"data": [{"traceID": "a", "spa"#).unwrap_err(),
        "The Jaeger trace list is not valid JSON (line 1, column 31): it may be cut off. \
         Expected {\"data\": [{\"traceID\", \"spans\": […]}]}."
    );
    assert_eq!(
        parse_list(
            ApiKind::Stepwise,
            &fixture("api/stepwise_list_bad_time.json")
        )
        .unwrap_err(),
        "The Stepwise API trace list is not as expected at traces[1].start_time: \"yesterday\" \
         is not a time. Expected an RFC 3339 time such as \"2026-11-02T09:14:03.120Z\"."
    );
    assert_eq!(
        parse_list(ApiKind::Stepwise, b"  ").unwrap_err(),
        "The Stepwise API trace list is empty: expected JSON such as {\"traces\": [{\"id\", \
         \"name\", \"start_time\", \"status\", …}]}."
    );
}

#[test]
fn filter_by_name_and_status() {
    let traces = parse_list(ApiKind::Stepwise, &fixture("api/stepwise_list.json")).unwrap();
    let filter = |text: &str, status: Option<ListStatus>| {
        let filter = ListFilter {
            text: text.into(),
            status,
        };
        let (rows, hidden) = visible_rows(&traces, &filter, MAX_ROWS);
        assert_eq!(hidden, 0);
        rows.iter().map(|t| t.id.clone()).collect::<Vec<_>>()
    };
    assert_eq!(
        filter("", None),
        ["run-2", "run-5", "run-1", "run-3", "run-4"]
    );
    assert_eq!(filter("  CREW ", None), ["run-3"]);
    assert_eq!(filter("", Some(ListStatus::Running)), ["run-2", "run-4"]);
    assert_eq!(filter("t", Some(ListStatus::Running)), ["run-2", "run-4"]);
    assert_eq!(
        filter("triage", Some(ListStatus::Failed)),
        Vec::<String>::new()
    );
    assert_eq!(filter("run-5", None), ["run-5"], "the id matches too");
    let (rows, hidden) = visible_rows(&traces, &ListFilter::default(), 2);
    assert_eq!(
        (ids(&rows.into_iter().cloned().collect::<Vec<_>>()), hidden),
        (vec!["run-2", "run-5"], 3)
    );
}

#[test]
fn status_keys_round_trip() {
    for status in ListStatus::ALL {
        assert_eq!(ListStatus::from_key(status.key()), Some(status));
    }
    assert_eq!(ListStatus::from_key("done"), None);
}

/// `GET /api/public/traces/{id}` answers the trace with its observations inline; the
/// importer must read that shape as it reads the UI download of the same trace.
#[test]
fn langfuse_api_trace_reads_like_its_download() {
    for name in [
        "langfuse-export-crewai-2025-07-11.json",
        "langfuse-export-openai-agents-2025-09-30.json",
        "langfuse-export-pydantic-ai-tools-2025-12-04.json",
    ] {
        let bytes = shared(name);
        let download: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let mut api = download["trace"].clone();
        api["observations"] = download["observations"].clone();
        let api_bytes = serde_json::to_vec(&api).unwrap();
        let from_download = import_bytes(&bytes).unwrap();
        let from_api = import_bytes(&api_bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(from_api.len(), 1, "{name}");
        assert_eq!(from_api[0].id, from_download[0].id, "{name}");
        assert_eq!(
            from_api[0].steps.len(),
            from_download[0].steps.len(),
            "{name}"
        );
        assert_eq!(
            summarize(&from_api[0]),
            summarize(&from_download[0]),
            "{name}"
        );
    }
}

/// `GET /api/traces/{id}` answers `{data: [trace]}`, which the Jaeger importer reads.
#[test]
fn jaeger_api_trace_is_imported() {
    let single = String::from_utf8(fixture("jaeger/single_trace.json")).unwrap();
    let wrapped = format!(
        "{{\"data\": [{single}], \"total\": 0, \"limit\": 0, \"offset\": 0, \"errors\": null}}"
    );
    let traces = import_bytes(wrapped.as_bytes()).unwrap();
    assert_eq!(traces.len(), 1);
    assert_eq!(traces[0].steps.len(), 4);
}

#[test]
fn plain_words_for_the_page() {
    assert_eq!(
        http_failure(500, "Internal Server Error", "http://h.test/sw/traces"),
        "The API answered 500 Internal Server Error for http://h.test/sw/traces: the server failed. Retry in a moment."
    );
    assert!(
        http_failure(401, "", "u").starts_with("The API answered 401 for u: it needs credentials")
    );
    assert_eq!(poll_interval_ms(None), 5_000);
    assert_eq!(poll_interval_ms(Some("300")), 300);
    assert_eq!(poll_interval_ms(Some("5")), 100);
    assert_eq!(poll_interval_ms(Some("soon")), 5_000);
    assert_eq!(
        format_start_ns(Some(T_2026_01_02_10H)),
        "2026-01-02 10:00:00 UTC"
    );
    assert_eq!(format_start_ns(None), "—");
}

#[test]
fn a_failing_live_refresh_backs_off_doubling_up_to_a_cap_and_resets_on_success() {
    // Success: the plain interval.
    assert_eq!(poll_delay_ms(5_000, 0, None), 5_000);
    // Each failure in a row doubles the wait.
    let delays: Vec<u64> = (0..8)
        .map(|failures| poll_delay_ms(5_000, failures, None))
        .collect();
    assert_eq!(
        delays,
        [5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]
    );
    // A huge failure count neither overflows nor passes the cap.
    assert_eq!(poll_delay_ms(200, u32::MAX, None), MAX_POLL_BACKOFF_MS);
    // An interval longer than the cap is kept as it is.
    assert_eq!(poll_delay_ms(3_600_000, 3, None), 3_600_000);
    // A server's Retry-After is never cut short, but does not shorten the backoff either.
    assert_eq!(poll_delay_ms(200, 1, Some(5)), 5_000);
    assert_eq!(poll_delay_ms(5_000, 3, Some(1)), 40_000);
}
