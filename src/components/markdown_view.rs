//! Draws the safe markdown tree of `stepwise_core::markdown` as elements, every string as a text node. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;

use stepwise_core::markdown::{parse, Block, Node};

/// Untrusted markdown, rendered: raw HTML in it stays literal text.
#[component]
pub fn Markdown(text: String) -> impl IntoView {
    let nodes = parse(&text);
    view! { <div class="markdown">{render_all(&nodes)}</div> }
}

fn render_all(nodes: &[Node]) -> Vec<AnyView> {
    nodes.iter().map(render).collect()
}

fn render(node: &Node) -> AnyView {
    match node {
        Node::Text(text) => text.clone().into_any(),
        Node::Code(code) => view! { <code>{code.clone()}</code> }.into_any(),
        Node::SoftBreak => " ".into_any(),
        Node::HardBreak => view! { <br /> }.into_any(),
        Node::Rule => view! { <hr /> }.into_any(),
        Node::Element(block, children) => element(block, children),
    }
}

fn element(block: &Block, children: &[Node]) -> AnyView {
    let inner = render_all(children);
    match block {
        Block::Paragraph => view! { <p>{inner}</p> }.into_any(),
        Block::Heading(level) => heading(*level, inner),
        Block::BlockQuote => view! { <blockquote>{inner}</blockquote> }.into_any(),
        Block::CodeBlock { language } => view! {
            <pre class="code-block" data-language=language.clone()>
                <code>{inner}</code>
            </pre>
        }
        .into_any(),
        Block::List {
            ordered: true,
            start,
        } => view! { <ol start=start.to_string()>{inner}</ol> }.into_any(),
        Block::List { ordered: false, .. } => view! { <ul>{inner}</ul> }.into_any(),
        Block::Item => view! { <li>{inner}</li> }.into_any(),
        Block::Emphasis => view! { <em>{inner}</em> }.into_any(),
        Block::Strong => view! { <strong>{inner}</strong> }.into_any(),
        Block::Strikethrough => view! { <s>{inner}</s> }.into_any(),
        // Only a safe href (http, https, mailto) becomes a link; otherwise the text stays.
        Block::Link { href: Some(href) } => view! {
            <a href=href.clone() target="_blank" rel="noopener noreferrer">{inner}</a>
        }
        .into_any(),
        Block::Link { href: None } => view! { <span class="unsafe-link">{inner}</span> }.into_any(),
        Block::Table => {
            view! { <div class="table-scroll"><table>{table_parts(children)}</table></div> }
                .into_any()
        }
        Block::TableHead => view! { <thead><tr>{header_cells(children)}</tr></thead> }.into_any(),
        Block::TableRow => view! { <tr>{inner}</tr> }.into_any(),
        Block::TableCell => view! { <td>{inner}</td> }.into_any(),
    }
}

fn heading(level: u8, inner: Vec<AnyView>) -> AnyView {
    match level {
        1 => view! { <h1>{inner}</h1> }.into_any(),
        2 => view! { <h2>{inner}</h2> }.into_any(),
        3 => view! { <h3>{inner}</h3> }.into_any(),
        4 => view! { <h4>{inner}</h4> }.into_any(),
        5 => view! { <h5>{inner}</h5> }.into_any(),
        _ => view! { <h6>{inner}</h6> }.into_any(),
    }
}

/// pulldown-cmark puts the head's cells straight in `TableHead` and the body rows after it;
/// the rows go into one `tbody` so the table is well formed.
fn table_parts(children: &[Node]) -> Vec<AnyView> {
    let (head, rows): (Vec<&Node>, Vec<&Node>) = children
        .iter()
        .partition(|node| matches!(node, Node::Element(Block::TableHead, _)));
    let body: Vec<AnyView> = rows.into_iter().map(render).collect();
    let mut parts: Vec<AnyView> = head.into_iter().map(render).collect();
    parts.push(view! { <tbody>{body}</tbody> }.into_any());
    parts
}

fn header_cells(cells: &[Node]) -> Vec<AnyView> {
    cells
        .iter()
        .map(|cell| match cell {
            Node::Element(Block::TableCell, inner) => {
                view! { <th scope="col">{render_all(inner)}</th> }.into_any()
            }
            other => render(other),
        })
        .collect()
}
