//! Where the app is served from on its origin. I/O layer: uses nothing else of the app.

use wasm_bindgen::JsValue;

/// `file`, beside the page, as an absolute URL: what a worker and `import()` need.
pub fn beside_page(file: &str) -> Result<String, JsValue> {
    let base = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.base_uri().ok().flatten())
        .ok_or_else(|| JsValue::from_str("the page has no address"))?;
    web_sys::Url::new_with_base(file, &base).map(|url| url.href())
}

/// The directory the app is served from: "/tools/stepwise/index.html" → "/tools/stepwise".
pub fn router_base(pathname: &str) -> String {
    let directory = match pathname.rfind('/') {
        Some(index) => &pathname[..index],
        None => "",
    };
    directory.to_string()
}

#[cfg(test)]
mod tests {
    use super::router_base;

    #[test]
    fn base_is_the_serving_directory() {
        assert_eq!(router_base("/"), "");
        assert_eq!(router_base("/index.html"), "");
        assert_eq!(router_base("/tools/stepwise/"), "/tools/stepwise");
        assert_eq!(router_base("/tools/stepwise/index.html"), "/tools/stepwise");
    }
}
