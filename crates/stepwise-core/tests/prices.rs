//! Our compact price table is a faithful derivation of the shared LiteLLM table.
#![cfg(not(target_arch = "wasm32"))]

use stepwise_core::pricing::PriceTable;

fn ours() -> PriceTable {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../public/prices.json"
    ))
    .expect("public/prices.json (scripts/gen-prices.py)");
    PriceTable::from_compact_json(&text).expect("valid")
}

fn litellm() -> PriceTable {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/pricing/litellm-model-prices.json"
    ))
    .expect("shared price table");
    PriceTable::from_litellm_json(&text, "litellm").expect("valid")
}

#[test]
fn states_its_source_and_date() {
    let table = ours();
    assert!(table.source.contains("litellm 1.109.1"), "{}", table.source);
    assert!(table.source.contains("generated 20"), "{}", table.source);
}

#[test]
fn every_priced_chat_model_agrees_with_litellm() {
    let ours = ours();
    let theirs = litellm();
    assert!(ours.len() > 3000, "{} models", ours.len());
    for model in [
        "gpt-4o",
        "gpt-4o-mini",
        "o3",
        "claude-sonnet-4-5",
        "gemini-2.5-pro",
    ] {
        let (_, a) = ours
            .lookup(model)
            .unwrap_or_else(|| panic!("{model} is priced"));
        let (_, b) = theirs
            .lookup(model)
            .unwrap_or_else(|| panic!("{model} is in litellm"));
        assert_eq!(a, b, "{model}");
    }
}

#[test]
fn langfuse_agrees_with_our_gpt_4o_price() {
    // SOURCE.md: Langfuse's own cost for 631 input tokens of gpt-4o is $0.0015775.
    let (_, price) = ours().lookup("gpt-4o").expect("priced");
    assert!((631.0 * price.input_usd - 0.0015775).abs() < 1e-12);
}
