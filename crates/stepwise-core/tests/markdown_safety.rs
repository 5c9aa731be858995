//! Untrusted markdown stays inert: only http, https and mailto links survive (whatever
//! the spelling of other schemes), raw HTML is text, and images never load anything.
#![cfg(not(target_arch = "wasm32"))]

use stepwise_core::markdown::{parse, safe_href, Block, Node, MAX_DEPTH};

/// Every link target in the tree, in order (`None` for a link whose target was dropped).
fn hrefs(nodes: &[Node]) -> Vec<Option<String>> {
    let mut out = Vec::new();
    fn walk(nodes: &[Node], out: &mut Vec<Option<String>>) {
        for node in nodes {
            if let Node::Element(block, children) = node {
                if let Block::Link { href } = block {
                    out.push(href.clone());
                }
                walk(children, out);
            }
        }
    }
    walk(nodes, &mut out);
    out
}

fn text(nodes: &[Node]) -> String {
    nodes
        .iter()
        .map(|node| match node {
            Node::Text(text) | Node::Code(text) => text.clone(),
            Node::Element(_, children) => text(children),
            _ => String::new(),
        })
        .collect()
}

fn only_href(markdown: &str) -> Option<String> {
    let found = hrefs(&parse(markdown));
    assert_eq!(found.len(), 1, "one link in {markdown:?}: {found:?}");
    found.into_iter().next().flatten()
}

#[test]
fn javascript_data_and_vbscript_links_are_dropped() {
    for markdown in [
        "[a](javascript:alert(1))",
        "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[a](vbscript:msgbox(1))",
        "[a](file:///etc/passwd)",
        "[a](//evil.example/x)",
        "[a](/relative/path)",
    ] {
        assert_eq!(only_href(markdown), None, "{markdown}");
    }
}

#[test]
fn mixed_case_and_whitespace_spellings_are_dropped() {
    for markdown in [
        "[a](JavaScript:alert(1))",
        "[a](JAVASCRIPT:alert(1))",
        "[a]( javascript:alert(1))",
        "[a](<java script:alert(1)>)",
        "[a](<java\tscript:alert(1)>)",
        "[a](<\u{1}javascript:alert(1)>)",
        "[a](DaTa:text/html,x)",
    ] {
        assert_eq!(only_href(markdown), None, "{markdown}");
    }
}

/// pulldown-cmark decodes entities and escapes in link targets; the decoded scheme is
/// what a browser would see, and it is what is checked.
#[test]
fn entity_and_escape_encoded_schemes_are_dropped() {
    for markdown in [
        "[a](&#106;avascript:alert(1))",
        "[a](&#x6A;avascript:alert(1))",
        "[a](javascript&colon;alert(1))",
        "[a](&#74;&#65;vascript:alert(1))",
        r"[a](java\script:alert(1))",
        "[a](%6Aavascript:alert(1))",
    ] {
        assert_eq!(only_href(markdown), None, "{markdown}");
    }
}

#[test]
fn reference_links_and_autolinks_are_checked_too() {
    assert_eq!(only_href("[a][x]\n\n[x]: javascript:alert(1)"), None);
    assert_eq!(only_href("<javascript:alert(1)>"), None);
    assert_eq!(
        only_href("<https://example.org/a>"),
        Some("https://example.org/a".to_string())
    );
}

#[test]
fn http_https_and_mailto_are_kept_in_any_case() {
    assert_eq!(
        only_href("[a](http://example.org/?q=1)"),
        Some("http://example.org/?q=1".to_string())
    );
    assert_eq!(
        only_href("[a](HTTPS://Example.org/x)"),
        Some("HTTPS://Example.org/x".to_string())
    );
    assert_eq!(
        only_href("[a](mailto:someone@example.org)"),
        Some("mailto:someone@example.org".to_string())
    );
}

#[test]
fn a_dropped_link_keeps_its_text() {
    let nodes = parse("see [the docs](javascript:alert(1)) here");
    assert_eq!(text(&nodes), "see the docs here");
}

#[test]
fn safe_href_is_an_allow_list() {
    assert_eq!(
        safe_href("  https://a.b  "),
        Some("https://a.b".to_string())
    );
    for refused in [
        "https:/a",
        "https:",
        "http:javascript:x",
        "mailtox:a",
        "ftp://a",
        "",
    ] {
        assert_eq!(safe_href(refused), None, "{refused}");
    }
}

#[test]
fn raw_html_stays_text() {
    for html in [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<style>body{display:none}</style>",
    ] {
        let nodes = parse(&format!("before {html} after"));
        assert_eq!(text(&nodes), format!("before {html} after"), "{html}");
        assert!(hrefs(&nodes).is_empty(), "{html} made a link");
    }
}

#[test]
fn an_html_block_stays_text() {
    let nodes = parse("<div onclick=\"steal()\">\n<script>alert(1)</script>\n</div>");
    let shown = text(&nodes);
    assert!(shown.contains("<script>alert(1)</script>"), "{shown}");
    assert!(shown.contains("<div onclick=\"steal()\">"), "{shown}");
}

/// An image would load its URL as soon as it is drawn: it becomes a link to click instead.
#[test]
fn images_become_links_never_loads() {
    let nodes = parse("![pixel](https://tracker.example/p.gif)");
    assert_eq!(
        nodes,
        [Node::Element(
            Block::Paragraph,
            vec![Node::Element(
                Block::Link {
                    href: Some("https://tracker.example/p.gif".to_string())
                },
                vec![Node::Text("image: ".into()), Node::Text("pixel".into())]
            )]
        )]
    );
    assert_eq!(only_href("![x](javascript:alert(1))"), None);
    assert_eq!(
        only_href("![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"),
        None
    );
}

/// Bidi overrides and other control characters are text like any other.
#[test]
fn bidi_overrides_are_kept_as_text() {
    let nodes = parse("name\u{202e}gpj.exe");
    assert_eq!(text(&nodes), "name\u{202e}gpj.exe");
}

fn depth(nodes: &[Node]) -> usize {
    nodes
        .iter()
        .map(|node| match node {
            Node::Element(_, children) => 1 + depth(children),
            _ => 0,
        })
        .max()
        .unwrap_or(0)
}

/// Regression: 50,000 nested block quotes made a tree 50,001 deep, which overflowed the
/// stack when it was dropped (and would when drawn). Deeper structure is flattened; the
/// text stays.
#[test]
fn deeply_nested_quotes_lists_and_emphasis_are_flattened() {
    for markdown in [
        ">".repeat(50_000) + " x",
        "- ".repeat(20_000) + "x",
        "*".repeat(50_000) + "x" + &"*".repeat(50_000),
        "[".repeat(50_000) + "x" + &"](http://a)".repeat(50_000),
    ] {
        let nodes = parse(&markdown);
        assert!(depth(&nodes) <= MAX_DEPTH, "{}", depth(&nodes));
        assert!(text(&nodes).contains('x'));
    }
}

/// Nesting within the limit keeps every level.
#[test]
fn nesting_within_the_limit_keeps_its_structure() {
    let nodes = parse(&(">".repeat(10) + " x"));
    assert_eq!(depth(&nodes), 11, "ten quotes and the paragraph");
    assert_eq!(text(&nodes), "x");
}
