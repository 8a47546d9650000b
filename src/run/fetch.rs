//! Files of the page's own origin (gallery scenarios), as text.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The text at `url` (relative to the page); the message says what failed.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| format!("{url} could not be loaded (the network refused)."))?;
    let response: web_sys::Response = response
        .dyn_into()
        .map_err(|_| format!("{url} did not answer."))?;
    if !response.ok() {
        return Err(format!(
            "{url} could not be loaded (HTTP {}).",
            response.status()
        ));
    }
    let text = response
        .text()
        .map_err(|_| format!("{url} could not be read."))?;
    JsFuture::from(text)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| format!("{url} could not be read."))
}
