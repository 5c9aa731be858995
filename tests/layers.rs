//! Fails on an import cycle between the web app's modules, or on an import that goes up the layers.
//!
//! The layers, top to bottom: `app` → `routes` → `components` → `state` → `io` (then
//! `stepwise_core`, another crate). A module may use its own layer and the ones below,
//! never one above, and no chain of `crate::` or `super::` imports may come back to where it started.
//! Native only: it reads the source tree, which a browser test cannot.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers by their top-level module, lowest first.
const LAYERS: [&str; 5] = ["io", "state", "components", "routes", "app"];

/// A module's path inside the crate, as segments (`components::timeline` → two).
type Module = Vec<String>;

/// Where one module uses another: the first such line.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Use {
    line: usize,
    path: String,
}

/// The modules and, for each, the modules it uses (with where).
#[derive(Debug, Default)]
struct Graph {
    files: BTreeMap<Module, PathBuf>,
    edges: BTreeMap<Module, BTreeMap<Module, Use>>,
}

fn name(module: &Module) -> String {
    match module.is_empty() {
        true => "crate".to_string(),
        false => module.join("::"),
    }
}

/// `src/a/b.rs` and `src/a/b/mod.rs` → `a::b`; `src/lib.rs` → the crate root.
fn module_of(relative: &Path) -> Module {
    let mut parts: Vec<String> = relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs").to_string();
        if stem != "mod" && stem != "lib" {
            parts.push(stem);
        }
    }
    parts
}

/// The source with comments, strings and character literals blanked (newlines kept, so
/// line numbers hold): a `crate::` in a doc comment or a message is no import.
fn code_only(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let (c, next) = (chars[i], at(&chars, i + 1));
        if c == '/' && next == '/' {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(&chars, i + 1) == '*' {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && at(&chars, i + 1) == '/' {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r' && (next == '"' || next == '#') && !ident_char(prev(&chars, i)) {
            // A raw string: r"…", r#"…"#, …
            let mut hashes = 0;
            while at(&chars, i + 1 + hashes) == '#' {
                hashes += 1;
            }
            if at(&chars, i + 1 + hashes) != '"' {
                out.push(c);
                i += 1;
                continue;
            }
            let end: String = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let body_start = i + 2 + hashes;
            let tail: String = chars[body_start..].iter().collect();
            let body_chars = tail.find(&end).map_or(tail.chars().count(), |at| {
                tail[..at].chars().count() + end.chars().count()
            });
            for &skipped in &chars[i..(body_start + body_chars).min(chars.len())] {
                out.push(blank(skipped));
            }
            i = body_start + body_chars;
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                let step = if chars[i] == '\\' { 2 } else { 1 };
                for &skipped in &chars[i..(i + step).min(chars.len())] {
                    out.push(blank(skipped));
                }
                i += step;
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' && (at(&chars, i + 2) == '\'' || (next == '\\')) {
            // A character literal ('"', '\''), not a lifetime.
            let length = if next == '\\' {
                (i + 2..chars.len())
                    .find(|&j| chars[j] == '\'')
                    .map_or(1, |j| j - i + 1)
            } else {
                3
            };
            for &skipped in &chars[i..(i + length).min(chars.len())] {
                out.push(blank(skipped));
            }
            i += length;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn at(chars: &[char], i: usize) -> char {
    chars.get(i).copied().unwrap_or('\0')
}

fn prev(chars: &[char], i: usize) -> char {
    if i == 0 {
        '\0'
    } else {
        chars[i - 1]
    }
}

fn ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Where a path starts: at the crate's root (`crate::`) or at the parent of the module
/// the file is (`super::`, once per `super`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Root {
    Crate,
    Up(usize),
}

/// Every path a `crate::` or `super::` prefix starts in `code`, with its line: grouped
/// imports (`crate::{a::b, c::{d, e}}`) give one path per leaf. A `super::` path counts its
/// own `super`s (`super::super::x` goes up two); a bare glob (`use super::*`, the test
/// module's idiom, which names no sibling) gives nothing.
fn crate_paths(code: &str) -> Vec<(usize, Root, Vec<String>)> {
    let chars: Vec<char> = code.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    let starts = |at: usize, word: &str| {
        word.chars()
            .enumerate()
            .all(|(k, c)| at + k < chars.len() && chars[at + k] == c)
    };
    while i < chars.len() {
        let root = if starts(i, "crate::") {
            Root::Crate
        } else if starts(i, "super::") {
            Root::Up(1)
        } else {
            i += 1;
            continue;
        };
        let at = i;
        i = at + 7;
        // `$crate::`, `my_crate::` and `a_super::` are not this crate's paths.
        if at > 0 && (ident_char(chars[at - 1]) || chars[at - 1] == '$' || chars[at - 1] == ':') {
            continue;
        }
        let line = chars[..at].iter().filter(|&&c| c == '\n').count() + 1;
        let mut paths = Vec::new();
        i = use_tree(&chars, i, Vec::new(), &mut paths);
        for mut path in paths {
            let root = match root {
                Root::Crate => Root::Crate,
                Root::Up(_) => {
                    let ups = path.iter().take_while(|part| *part == "super").count();
                    path.drain(..ups);
                    Root::Up(1 + ups)
                }
            };
            if path.is_empty() || path == ["self"] {
                continue;
            }
            found.push((line, root, path));
        }
    }
    found
}

/// Reads one use tree from `at` (after a `::`), adding each leaf's full path to `out`;
/// returns where it stopped.
fn use_tree(
    chars: &[char],
    mut at: usize,
    mut prefix: Vec<String>,
    out: &mut Vec<Vec<String>>,
) -> usize {
    let skip_space = |mut at: usize| {
        while at < chars.len() && chars[at].is_whitespace() {
            at += 1;
        }
        at
    };
    loop {
        at = skip_space(at);
        if chars.get(at) == Some(&'{') {
            at += 1;
            loop {
                at = skip_space(at);
                match chars.get(at) {
                    None => return at,
                    Some('}') => return at + 1,
                    Some(',') => at += 1,
                    Some(_) => {
                        let before = at;
                        at = use_tree(chars, at, prefix.clone(), out);
                        if at == before {
                            // Something that is no path (a glob, a stray token): step over it.
                            at += 1;
                        }
                    }
                }
            }
        }
        let start = at;
        while at < chars.len() && ident_char(chars[at]) {
            at += 1;
        }
        if at == start {
            if !prefix.is_empty() {
                out.push(prefix);
            }
            return at;
        }
        prefix.push(chars[start..at].iter().collect());
        let after = skip_space(at);
        if chars.get(after) == Some(&':') && chars.get(after + 1) == Some(&':') {
            at = after + 2;
        } else {
            out.push(prefix);
            return at;
        }
    }
}

impl Graph {
    /// Reads every `.rs` file under `src`.
    fn from_dir(src: &Path) -> Graph {
        let mut sources = BTreeMap::new();
        let mut pending = vec![src.to_path_buf()];
        while let Some(dir) = pending.pop() {
            let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir:?}: {e}"));
            for entry in entries {
                let path = entry.expect("a directory entry").path();
                if path.is_dir() {
                    pending.push(path);
                } else if path.extension().is_some_and(|ext| ext == "rs") {
                    let relative = path.strip_prefix(src).expect("under src").to_path_buf();
                    // The binary is a crate of its own, using the library by name.
                    if relative == Path::new("main.rs") {
                        continue;
                    }
                    let text = std::fs::read_to_string(&path).expect("readable source");
                    sources.insert(relative, text);
                }
            }
        }
        Graph::from_sources(
            sources
                .iter()
                .map(|(path, text)| (path.as_path(), text.as_str())),
        )
    }

    /// Builds the graph from (path under `src`, source text) pairs.
    fn from_sources<'a>(sources: impl IntoIterator<Item = (&'a Path, &'a str)>) -> Graph {
        let mut graph = Graph::default();
        let mut texts = Vec::new();
        for (path, text) in sources {
            let module = module_of(path);
            graph.files.insert(module.clone(), path.to_path_buf());
            texts.push((module, text));
        }
        for (module, text) in texts {
            for (line, root, path) in crate_paths(&code_only(text)) {
                let (path, written) = match root {
                    Root::Crate => (path.clone(), format!("crate::{}", path.join("::"))),
                    Root::Up(ups) => {
                        let Some(kept) = module.len().checked_sub(ups) else {
                            continue;
                        };
                        let written = format!("{}{}", "super::".repeat(ups), path.join("::"));
                        ([&module[..kept], &path[..]].concat(), written)
                    }
                };
                let Some(target) = graph.resolve(&path) else {
                    continue;
                };
                if target == module || target.is_empty() {
                    continue;
                }
                let path = written;
                graph
                    .edges
                    .entry(module.clone())
                    .or_default()
                    .entry(target)
                    .or_insert(Use { line, path });
            }
        }
        graph
    }

    /// The longest known module a path starts with.
    fn resolve(&self, path: &[String]) -> Option<Module> {
        (0..=path.len())
            .rev()
            .map(|n| path[..n].to_vec())
            .find(|prefix| self.files.contains_key(prefix))
    }

    fn file(&self, module: &Module) -> String {
        self.files
            .get(module)
            .map_or_else(|| name(module), |path| format!("src/{}", path.display()))
    }

    /// Groups of modules that reach each other (Tarjan's strongly connected components),
    /// keeping only real cycles: two modules or more.
    fn cycles(&self) -> Vec<Vec<Module>> {
        struct Tarjan<'g> {
            graph: &'g Graph,
            index: BTreeMap<Module, usize>,
            low: BTreeMap<Module, usize>,
            stack: Vec<Module>,
            on_stack: BTreeSet<Module>,
            found: Vec<Vec<Module>>,
        }
        impl Tarjan<'_> {
            fn visit(&mut self, module: &Module) {
                let n = self.index.len();
                self.index.insert(module.clone(), n);
                self.low.insert(module.clone(), n);
                self.stack.push(module.clone());
                self.on_stack.insert(module.clone());
                let targets: Vec<Module> = self
                    .graph
                    .edges
                    .get(module)
                    .map(|edges| edges.keys().cloned().collect())
                    .unwrap_or_default();
                for target in targets {
                    if !self.index.contains_key(&target) {
                        self.visit(&target);
                        let low = self.low[module].min(self.low[&target]);
                        self.low.insert(module.clone(), low);
                    } else if self.on_stack.contains(&target) {
                        let low = self.low[module].min(self.index[&target]);
                        self.low.insert(module.clone(), low);
                    }
                }
                if self.low[module] == self.index[module] {
                    let mut component = Vec::new();
                    while let Some(top) = self.stack.pop() {
                        self.on_stack.remove(&top);
                        let done = &top == module;
                        component.push(top);
                        if done {
                            break;
                        }
                    }
                    if component.len() > 1 {
                        component.sort();
                        self.found.push(component);
                    }
                }
            }
        }
        let mut tarjan = Tarjan {
            graph: self,
            index: BTreeMap::new(),
            low: BTreeMap::new(),
            stack: Vec::new(),
            on_stack: BTreeSet::new(),
            found: Vec::new(),
        };
        for module in self.files.keys() {
            if !tarjan.index.contains_key(module) {
                tarjan.visit(module);
            }
        }
        tarjan.found
    }

    /// A module's layer: its rank in `LAYERS`, or `None` for one outside every layer.
    fn layer(module: &Module) -> Option<usize> {
        let top = module.first()?;
        LAYERS.iter().position(|layer| layer == top)
    }

    /// Everything wrong, one readable paragraph each; empty when the graph is clean.
    fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for module in self.files.keys() {
            if !module.is_empty() && Graph::layer(module).is_none() {
                problems.push(format!(
                    "{} ({}) is in no layer: put it under one of {LAYERS:?}",
                    name(module),
                    self.file(module)
                ));
            }
        }
        for (from, targets) in &self.edges {
            for (to, used) in targets {
                if let (Some(low), Some(high)) = (Graph::layer(from), Graph::layer(to)) {
                    if high > low {
                        problems.push(format!(
                            "upward import: {} ({}) uses {} ({}) at {}:{}: `{}`",
                            name(from),
                            LAYERS[low],
                            name(to),
                            LAYERS[high],
                            self.file(from),
                            used.line,
                            used.path
                        ));
                    }
                }
            }
        }
        for cycle in self.cycles() {
            let members: BTreeSet<&Module> = cycle.iter().collect();
            let mut lines = vec![format!(
                "import cycle between {}:",
                cycle.iter().map(name).collect::<Vec<_>>().join(", ")
            )];
            for from in &cycle {
                for (to, used) in self.edges.get(from).into_iter().flatten() {
                    if members.contains(to) {
                        lines.push(format!(
                            "    {} → {} at {}:{}: `{}`",
                            name(from),
                            name(to),
                            self.file(from),
                            used.line,
                            used.path
                        ));
                    }
                }
            }
            problems.push(lines.join("\n"));
        }
        problems
    }
}

#[test]
fn the_web_app_s_modules_have_no_cycles_and_depend_only_downward() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = Graph::from_dir(&src);
    assert!(
        graph.files.len() > 20,
        "found only {} modules",
        graph.files.len()
    );
    let problems = graph.problems();
    assert!(
        problems.is_empty(),
        "{} layer problem(s) among the web app's modules:\n\n{}\n",
        problems.len(),
        problems.join("\n\n")
    );
}

/// A graph from a few (path, source) pairs.
fn graph(files: &[(&str, &str)]) -> Graph {
    Graph::from_sources(files.iter().map(|(path, text)| (Path::new(*path), *text)))
}

#[test]
fn a_clean_graph_has_no_problems() {
    let graph = graph(&[
        ("lib.rs", "pub mod app; pub mod io; pub mod state;"),
        (
            "app.rs",
            "use crate::state::view::ViewState;\nuse crate::io::Progress;",
        ),
        ("state.rs", "pub mod view;"),
        (
            "state/view.rs",
            "use crate::io::{self, Progress};\nfn f() { crate::io::tick(); }",
        ),
        (
            "io.rs",
            "// crate::app::App is only mentioned here.\nconst S: &str = \"crate::app\";",
        ),
    ]);
    assert_eq!(graph.problems(), Vec::<String>::new());
    let view = vec!["state".to_string(), "view".to_string()];
    assert_eq!(graph.edges[&view].len(), 1, "{:?}", graph.edges);
}

#[test]
fn a_cycle_is_found_and_shown_with_its_imports() {
    let graph = graph(&[
        ("components.rs", "pub mod a; pub mod b; pub mod c;"),
        ("components/a.rs", "use crate::components::b::B;"),
        ("components/b.rs", "use crate::components::{c::C, a};"),
        (
            "components/c.rs",
            "fn f() { let _ = crate::components::a::A; }",
        ),
    ]);
    let cycles = graph.cycles();
    assert_eq!(cycles.len(), 1, "{cycles:?}");
    assert_eq!(cycles[0].len(), 3);
    let problems = graph.problems();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("components::c → components::a at src/components/c.rs:1"));
}

#[test]
fn an_upward_import_is_found() {
    let graph = graph(&[
        ("io.rs", "pub mod cache;"),
        ("io/cache.rs", "\n\nuse crate::{state::view::absolute, io};"),
        ("state.rs", "pub mod view;"),
        ("state/view.rs", "use crate::routes::trace::Current;"),
        ("routes.rs", "pub mod trace;"),
        ("routes/trace.rs", ""),
    ]);
    let problems = graph.problems();
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems[0].contains("io::cache (io) uses state::view (state) at src/io/cache.rs:3"));
    assert!(problems[1].contains("state::view (state) uses routes::trace (routes)"));
}

#[test]
fn a_module_outside_the_layers_is_a_problem() {
    let graph = graph(&[("source.rs", ""), ("lib.rs", "pub mod source;")]);
    assert_eq!(graph.problems().len(), 1);
}

#[test]
fn nested_groups_and_raw_strings_are_read_right() {
    let code = code_only("let s = r#\"crate::x\"#; let c = '\"'; use crate::a::{b::{C, D}, e};");
    let paths: Vec<String> = crate_paths(&code)
        .into_iter()
        .map(|(_, _, path)| path.join("::"))
        .collect();
    assert_eq!(paths, ["a::b::C", "a::b::D", "a::e"]);
}

/// Two sibling files that import each other through `super::` are a cycle too (the
/// timeline's axis and paint were one, unseen while only `crate::` paths were read).
#[test]
fn a_cycle_through_super_is_found() {
    let graph = graph(&[
        ("components/timeline.rs", "mod axis; mod paint;"),
        ("components/timeline/axis.rs", "use super::paint::FONT;"),
        (
            "components/timeline/paint.rs",
            "fn f() { super::axis::text(); }\nmod tests { use super::*; }",
        ),
    ]);
    let problems = graph.problems();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("super::axis::text"), "{}", problems[0]);
    assert!(
        problems[0].contains("super::paint::FONT"),
        "{}",
        problems[0]
    );
}

#[test]
fn super_paths_count_their_steps_up() {
    let code = code_only("use super::super::state::view::X; use super::{a, b::C}; use super::*;");
    let paths: Vec<(Root, String)> = crate_paths(&code)
        .into_iter()
        .map(|(_, root, path)| (root, path.join("::")))
        .collect();
    assert_eq!(
        paths,
        [
            (Root::Up(2), "state::view::X".to_string()),
            (Root::Up(1), "a".to_string()),
            (Root::Up(1), "b::C".to_string()),
        ]
    );
}
