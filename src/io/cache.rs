//! The bytes of traces opened from files, kept in the Cache API for reopening after a reload. I/O layer: uses only other I/O modules and the core.
//!
//! They stay in this browser: nothing is uploaded.

use leptos::prelude::window;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, Cache, Response};

use stepwise_core::recent::{cache_url, CACHE_NAME};

/// The synthetic same-origin URL of `cache_id`'s bytes, under the app's directory.
pub fn url_of(cache_id: &str) -> String {
    let location = window().location();
    let origin = location.origin().unwrap_or_default();
    let pathname = location.pathname().unwrap_or_default();
    let directory = crate::io::address::router_base(&pathname);
    cache_url(&origin, &format!("{directory}/"), cache_id)
}

/// A browser error as a sentence part (the Cache API is missing on plain http, for one).
fn reason(error: JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "the browser's cache storage is unavailable".to_string())
}

async fn open() -> Result<Cache, String> {
    let caches = window().caches().map_err(reason)?;
    let cache = JsFuture::from(caches.open(CACHE_NAME))
        .await
        .map_err(reason)?;
    cache
        .dyn_into::<Cache>()
        .map_err(|_| "the browser returned something other than a cache".to_string())
}

/// Keeps `input` (a file as picked, or fetched bytes already in a Blob) under
/// `cache_id`; the cache reads it by itself, without wasm memory.
pub async fn store(cache_id: &str, input: &Blob) -> Result<(), String> {
    let cache = open().await?;
    let response = Response::new_with_opt_blob(Some(input)).map_err(reason)?;
    JsFuture::from(cache.put_with_str(&url_of(cache_id), &response))
        .await
        .map(|_| ())
        .map_err(reason)
}

/// The input kept under `cache_id`, or `None` when the browser no longer has it.
pub async fn load(cache_id: &str) -> Result<Option<Blob>, String> {
    let cache = open().await?;
    let found = JsFuture::from(cache.match_with_str(&url_of(cache_id)))
        .await
        .map_err(reason)?;
    let Ok(response) = found.dyn_into::<Response>() else {
        return Ok(None);
    };
    let blob = JsFuture::from(response.blob().map_err(reason)?)
        .await
        .map_err(reason)?;
    Ok(blob.dyn_into::<Blob>().ok())
}

/// Deletes the bytes of `cache_ids`; a failure only leaves bytes that "Forget all" clears.
pub async fn delete(cache_ids: Vec<String>) {
    let Ok(cache) = open().await else {
        return;
    };
    for id in cache_ids {
        let _ = JsFuture::from(cache.delete_with_str(&url_of(&id))).await;
    }
}

/// Deletes every kept file.
pub async fn clear() {
    if let Ok(caches) = window().caches() {
        let _ = JsFuture::from(caches.delete(CACHE_NAME)).await;
    }
}
