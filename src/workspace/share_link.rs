//! Share links compressed by the browser: its own raw deflate
//! (`CompressionStream("deflate-raw")`, www/js/page.js) keeps a deflate
//! implementation out of the page's download. The engine writes and reads the
//! link format around it (`ecs_engine::share`).

use ecs_engine::share::{self, ShareError, SplitLink, CURRENT_VERSION, MAX_INFLATED_BYTES};
use ecs_engine::workspace::Workspace;
use wasm_bindgen::prelude::*;
use web_sys::js_sys::Uint8Array;

#[wasm_bindgen(module = "/www/js/page.js")]
extern "C" {
    #[wasm_bindgen(js_name = deflateRaw, catch)]
    async fn deflate_raw(bytes: &[u8]) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_name = inflateRaw, catch)]
    async fn inflate_raw(bytes: &[u8], limit: f64) -> Result<JsValue, JsValue>;
}

/// The fragment (without `#`) for `workspace`, or why the browser could not
/// compress it.
pub async fn encode(workspace: &Workspace) -> Result<String, String> {
    let json = share::payload_json(workspace);
    let deflated = deflate_raw(json.as_bytes())
        .await
        .map_err(|e| super::browser::error_message(&e, "compression failed"))?;
    Ok(share::fragment_for(
        CURRENT_VERSION,
        &Uint8Array::new(&deflated).to_vec(),
    ))
}

/// The workspace in a fragment (with or without its `#`).
pub async fn decode(fragment: &str) -> Result<Workspace, ShareError> {
    read(share::split_link(fragment)?).await
}

/// The workspace in a link already split by the engine.
pub async fn read(link: SplitLink) -> Result<Workspace, ShareError> {
    let json = inflate(&link).await?;
    share::workspace_from_json(link.version, &json)
}

/// A split link's payload inflated by the browser.
pub async fn inflate(link: &SplitLink) -> Result<Vec<u8>, ShareError> {
    // Damaged data and deflate bombs both reject: the link is damaged.
    let json = inflate_raw(&link.deflated, MAX_INFLATED_BYTES as f64)
        .await
        .map_err(|_| ShareError::BadCompression)?;
    Ok(Uint8Array::new(&json).to_vec())
}
