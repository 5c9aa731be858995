//! The browser half of opening traces: chunked reads and gzip through DecompressionStream,
//! in headless Chromium (wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use stepwise::io::stream::{gunzip, gunzip_if_needed, read_stream};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// `{"a": 1}` compressed by Python's gzip module (mtime 0).
const GZIPPED: [u8; 28] = [
    31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 171, 86, 74, 84, 178, 82, 48, 172, 5, 0, 151, 142, 161, 251,
    8, 0, 0, 0,
];

fn blob_of(bytes: &[u8]) -> web_sys::Blob {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    web_sys::Blob::new_with_u8_array_sequence(&parts).expect("a blob")
}

#[wasm_bindgen_test]
async fn a_stream_is_read_whole_and_counted_chunk_by_chunk() {
    let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let mut counted = 0u64;
    let read = read_stream(&blob_of(&bytes).stream(), None, |n| counted += n, || true)
        .await
        .expect("the blob reads");
    assert_eq!(read, bytes);
    assert_eq!(counted, bytes.len() as u64);
}

#[wasm_bindgen_test]
async fn a_read_stops_when_asked() {
    let bytes = vec![b' '; 300_000];
    let result = read_stream(&blob_of(&bytes).stream(), None, |_| {}, || false).await;
    assert!(result.is_err());
}

#[wasm_bindgen_test]
async fn gzip_is_inflated_by_the_browser() {
    assert_eq!(gunzip(&GZIPPED).await.expect("inflates"), b"{\"a\": 1}");
    let (name, bytes) = gunzip_if_needed("run.json.gz", GZIPPED.to_vec())
        .await
        .expect("inflates");
    assert_eq!(
        (name.as_str(), bytes.as_slice()),
        ("run.json", &b"{\"a\": 1}"[..])
    );
    let (name, bytes) = gunzip_if_needed("plain.json.gz", b"{}".to_vec())
        .await
        .expect("plain bytes pass through");
    assert_eq!(
        (name.as_str(), bytes.as_slice()),
        ("plain.json.gz", &b"{}"[..])
    );
}

#[wasm_bindgen_test]
async fn broken_gzip_is_an_error_not_a_panic() {
    let mut broken = GZIPPED.to_vec();
    broken.truncate(14);
    let error = gunzip(&broken)
        .await
        .expect_err("a cut-off gzip stream fails");
    assert!(!error.is_empty());
}
