//! The core stays pure because the compiler says so: its normal dependency tree must
//! name no UI or browser crate. This replaces a text scan of the sources, which could
//! not see a browser crate pulled in by a dependency.
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

/// Crates that only make sense in a browser or a UI; a name starting with one of these
/// (`leptos_router`, `web-sys`, `gloo-net`, `wasm-bindgen-futures`…) fails the test.
const BROWSER_CRATES: &[&str] = &[
    "leptos",
    "web-sys",
    "js-sys",
    "wasm-bindgen",
    "gloo",
    "plotters-canvas",
    "reactive_graph",
    "tachys",
    "codee",
];

fn core_tree() -> String {
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let output = Command::new(env!("CARGO"))
        .args(["tree", "--offline", "--locked", "--manifest-path", manifest])
        .args(["-p", "stepwise-core", "-e", "normal", "--prefix", "none"])
        .args(["--format", "{p}"])
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("cargo tree prints UTF-8")
}

/// The crate names in `cargo tree --format {p}` output: the first word of each line.
fn crate_names(tree: &str) -> Vec<&str> {
    tree.lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect()
}

fn browser_crates_in(names: &[&str]) -> Vec<String> {
    let mut found: Vec<String> = names
        .iter()
        .filter(|name| {
            BROWSER_CRATES.iter().any(|banned| {
                name.replace('_', "-")
                    .starts_with(&banned.replace('_', "-"))
            })
        })
        .map(|name| name.to_string())
        .collect();
    found.sort();
    found.dedup();
    found
}

#[test]
fn the_core_depends_on_no_browser_crate() {
    let tree = core_tree();
    let names = crate_names(&tree);
    // The tree really is the core's: without this a wrong package would pass.
    assert_eq!(names.first(), Some(&"stepwise-core"), "{tree}");
    assert!(names.contains(&"serde_json"), "{tree}");
    assert_eq!(browser_crates_in(&names), Vec::<String>::new(), "{tree}");
}

#[test]
fn the_check_catches_each_kind_of_browser_crate() {
    let names = [
        "leptos_router",
        "web-sys",
        "js-sys",
        "gloo-net",
        "wasm-bindgen-futures",
        "serde",
    ];
    assert_eq!(
        browser_crates_in(&names),
        vec![
            "gloo-net",
            "js-sys",
            "leptos_router",
            "wasm-bindgen-futures",
            "web-sys"
        ]
    );
}
