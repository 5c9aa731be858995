//! Markdown from untrusted traces turned into a safe tree for the UI to draw. Pure core.
//!
//! pulldown-cmark parses; this module keeps only structure and text. Raw HTML becomes
//! literal text, links keep only http, https and mailto targets, and images become
//! links (a trace must not make the page load anything).

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    Text(String),
    /// Inline `code`.
    Code(String),
    SoftBreak,
    HardBreak,
    Rule,
    Element(Block, Vec<Node>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Paragraph,
    Heading(u8),
    BlockQuote,
    CodeBlock {
        language: Option<String>,
    },
    List {
        ordered: bool,
        start: u64,
    },
    Item,
    Emphasis,
    Strong,
    Strikethrough,
    /// `href` is `None` when the target was not a safe URL: the text is kept, the link dropped.
    Link {
        href: Option<String>,
    },
    Table,
    TableHead,
    TableRow,
    TableCell,
}

/// Structure nested deeper than this is flattened into its ancestor at this depth: the
/// text stays, but a tree 50,000 block quotes deep overflowed the stack when it was
/// dropped (and would when drawn), since both recurse.
pub const MAX_DEPTH: usize = 32;

/// Only these schemes may become a clickable link.
pub fn safe_href(url: &str) -> Option<String> {
    let trimmed = url.trim();
    let lower = trimmed.to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
        .then(|| trimmed.to_string())
}

/// Parses markdown into a tree of safe nodes.
pub fn parse(text: &str) -> Vec<Node> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    // Each open element: its block and the children gathered so far.
    let mut stack: Vec<(Block, Vec<Node>)> = Vec::new();
    let mut root: Vec<Node> = Vec::new();
    // Starts past `MAX_DEPTH` whose ends are still to come; they open no element.
    let mut flattened = 0usize;
    let push = |stack: &mut Vec<(Block, Vec<Node>)>, root: &mut Vec<Node>, node: Node| match stack
        .last_mut()
    {
        Some((_, children)) => children.push(node),
        None => root.push(node),
    };
    for event in Parser::new_ext(text, options) {
        match event {
            Event::Start(_) if stack.len() >= MAX_DEPTH => flattened += 1,
            Event::End(_) if flattened > 0 => flattened -= 1,
            Event::Start(tag) => {
                let block = match tag {
                    Tag::Paragraph => Block::Paragraph,
                    Tag::Heading { level, .. } => Block::Heading(heading_level(level)),
                    Tag::BlockQuote(_) => Block::BlockQuote,
                    Tag::CodeBlock(kind) => Block::CodeBlock {
                        language: match kind {
                            CodeBlockKind::Fenced(info) => {
                                info.split_whitespace().next().map(str::to_string)
                            }
                            CodeBlockKind::Indented => None,
                        },
                    },
                    Tag::List(start) => Block::List {
                        ordered: start.is_some(),
                        start: start.unwrap_or(1),
                    },
                    Tag::Item => Block::Item,
                    Tag::Emphasis => Block::Emphasis,
                    Tag::Strong => Block::Strong,
                    Tag::Strikethrough => Block::Strikethrough,
                    Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => Block::Link {
                        href: safe_href(&dest_url),
                    },
                    Tag::Table(_) => Block::Table,
                    Tag::TableHead => Block::TableHead,
                    Tag::TableRow => Block::TableRow,
                    Tag::TableCell => Block::TableCell,
                    // Anything else (footnotes, metadata, HTML blocks) only groups text.
                    _ => Block::Paragraph,
                };
                stack.push((block, Vec::new()));
            }
            Event::End(end) => {
                // Images show their alt text as the link's text, marked as an image.
                let image = matches!(end, TagEnd::Image);
                if let Some((block, mut children)) = stack.pop() {
                    if image {
                        children.insert(0, Node::Text("image: ".to_string()));
                    }
                    push(&mut stack, &mut root, Node::Element(block, children));
                }
            }
            Event::Text(text) => push(&mut stack, &mut root, Node::Text(text.into_string())),
            Event::Code(code) => push(&mut stack, &mut root, Node::Code(code.into_string())),
            // Raw HTML is shown as the text it is, never interpreted.
            Event::Html(html) | Event::InlineHtml(html) => {
                push(&mut stack, &mut root, Node::Text(html.into_string()))
            }
            Event::SoftBreak => push(&mut stack, &mut root, Node::SoftBreak),
            Event::HardBreak => push(&mut stack, &mut root, Node::HardBreak),
            Event::Rule => push(&mut stack, &mut root, Node::Rule),
            Event::TaskListMarker(done) => push(
                &mut stack,
                &mut root,
                Node::Text(if done { "☑ " } else { "☐ " }.to_string()),
            ),
            Event::FootnoteReference(name) => {
                push(&mut stack, &mut root, Node::Text(format!("[{name}]")))
            }
            Event::InlineMath(math) | Event::DisplayMath(math) => {
                push(&mut stack, &mut root, Node::Code(math.into_string()))
            }
        }
    }
    // Unbalanced events cannot come from pulldown-cmark, but nothing is dropped if they do.
    while let Some((block, children)) = stack.pop() {
        push(&mut stack, &mut root, Node::Element(block, children));
    }
    root
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(nodes: &[Node]) -> String {
        nodes
            .iter()
            .map(|node| match node {
                Node::Text(text) | Node::Code(text) => text.clone(),
                Node::Element(_, children) => text_of(children),
                _ => String::new(),
            })
            .collect()
    }

    #[test]
    fn raw_html_stays_text() {
        let nodes = parse("Hi <script>alert(1)</script> and <img src=x onerror=alert(2)>");
        assert_eq!(
            text_of(&nodes),
            "Hi <script>alert(1)</script> and <img src=x onerror=alert(2)>"
        );
    }

    #[test]
    fn an_html_block_stays_text() {
        let nodes = parse("<div onclick=\"x()\">\nhello\n</div>");
        assert!(text_of(&nodes).contains("<div onclick=\"x()\">"));
    }

    #[test]
    fn only_safe_links_are_links() {
        let nodes = parse(
            "[a](https://x.org) [b](javascript:alert(1)) [c](JAVASCRIPT:x) [d](mailto:a@b.c)",
        );
        let mut hrefs = Vec::new();
        fn collect(nodes: &[Node], out: &mut Vec<Option<String>>) {
            for node in nodes {
                if let Node::Element(block, children) = node {
                    if let Block::Link { href } = block {
                        out.push(href.clone());
                    }
                    collect(children, out);
                }
            }
        }
        collect(&nodes, &mut hrefs);
        assert_eq!(
            hrefs,
            [
                Some("https://x.org".into()),
                None,
                None,
                Some("mailto:a@b.c".into())
            ]
        );
    }

    #[test]
    fn images_become_links_and_load_nothing() {
        let nodes = parse("![chart](https://tracker.example/pixel.png)");
        assert_eq!(
            nodes,
            [Node::Element(
                Block::Paragraph,
                vec![Node::Element(
                    Block::Link {
                        href: Some("https://tracker.example/pixel.png".into())
                    },
                    vec![Node::Text("image: ".into()), Node::Text("chart".into())]
                )]
            )]
        );
    }

    #[test]
    fn code_blocks_keep_their_language_and_text() {
        let nodes = parse("```rust\nfn main() {}\n```");
        assert_eq!(
            nodes,
            [Node::Element(
                Block::CodeBlock {
                    language: Some("rust".into())
                },
                vec![Node::Text("fn main() {}\n".into())]
            )]
        );
    }

    #[test]
    fn tables_and_headings_keep_their_structure() {
        let nodes = parse("# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |");
        assert!(matches!(&nodes[0], Node::Element(Block::Heading(1), _)));
        assert!(matches!(&nodes[1], Node::Element(Block::Table, _)));
    }
}
