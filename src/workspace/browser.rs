//! The few browser facilities the workspace needs: localStorage, the page's
//! address, the clipboard, and files in and out. Every call that can fail
//! returns a message for the user instead.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

fn storage() -> Result<web_sys::Storage, String> {
    window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or_else(|| "this browser does not allow the page to store anything (private mode or storage turned off), so your work is not saved between visits".to_string())
}

/// The stored text under `key`; `Ok(None)` when nothing is stored.
pub fn load(key: &str) -> Result<Option<String>, String> {
    storage()?
        .get_item(key)
        .map_err(|e| format!("could not read saved work: {}", describe(&e)))
}

pub fn store(key: &str, value: &str) -> Result<(), String> {
    storage()?
        .set_item(key, value)
        .map_err(|e| not_saved(&e, value.len()))
}

/// Why `bytes` of the user's work could not be saved, for the user.
fn not_saved(e: &JsValue, bytes: usize) -> String {
    let name = e
        .dyn_ref::<web_sys::DomException>()
        .map(|d| d.name())
        .unwrap_or_default();
    if name == "QuotaExceededError" {
        format!(
            "Your work could not be saved: this browser's storage for the page is full ({} KB needed). Download the workspace as a file to keep it.",
            bytes / 1024 + 1
        )
    } else {
        format!("Your work could not be saved: {}", describe(e))
    }
}

// The saved workspace, in localStorage or, when larger than its quota, in
// IndexedDB (www/js/page.js).
#[wasm_bindgen::prelude::wasm_bindgen(module = "/www/js/page.js")]
extern "C" {
    #[wasm_bindgen(js_name = loadSavedWorkspace, catch)]
    async fn load_saved_workspace(key: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_name = saveWorkspace, catch)]
    async fn save_workspace(key: &str, text: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_name = whenHidden)]
    fn when_hidden_js(on_hidden: &JsValue);
}

/// Calls `on_hidden` each time the page is hidden or closed (`pagehide`,
/// `visibilitychange` to hidden), in that event's task, once the editor of
/// large documents has handed over what it holds. For the page's whole life
/// (the closure is never freed). The closure takes the event, as
/// [`WindowListener`]'s do: one closure type keeps the page's wasm smaller.
pub fn when_hidden(on_hidden: impl Fn(web_sys::Event) + 'static) {
    let callback = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::Event)>::new(on_hidden);
    when_hidden_js(callback.as_ref());
    callback.forget();
}

/// The saved workspace under `key`, wherever it is; `Ok(None)` when none.
pub async fn load_workspace(key: &str) -> Result<Option<String>, String> {
    load_saved_workspace(key)
        .await
        .map(|text| text.as_string())
        .map_err(|e| {
            format!(
                "could not read saved work: {}",
                error_message(&e, "the browser refused")
            )
        })
}

/// Saves the workspace under `key`: in localStorage, or in IndexedDB when
/// localStorage refuses it as too large.
pub async fn store_workspace(key: &str, text: &str) -> Result<(), String> {
    save_workspace(key, text)
        .await
        .map(|_| ())
        .map_err(|e| not_saved(&e, text.len()))
}

fn describe(e: &JsValue) -> String {
    if let Some(d) = e.dyn_ref::<web_sys::DomException>() {
        return format!("{} ({})", d.message(), d.name());
    }
    e.as_string()
        .unwrap_or_else(|| "the browser refused".to_string())
}

/// `location.search` contains the `embed` parameter.
pub fn is_embed() -> bool {
    let search = window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    search
        .trim_start_matches('?')
        .split('&')
        .any(|p| p == "embed" || p.starts_with("embed="))
}

pub fn fragment() -> String {
    window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Removes the fragment from the address without reloading or adding history.
pub fn clear_fragment() {
    let Some(w) = window() else { return };
    let location = w.location();
    let url = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if let Ok(history) = w.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

/// The page's address without fragment, for share links.
pub fn base_url() -> String {
    let Some(location) = window().map(|w| w.location()) else {
        return String::new();
    };
    format!(
        "{}{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    )
}

/// Copies `text` with the clipboard API; `Err` when the browser refuses.
pub async fn copy(text: String) -> Result<(), String> {
    let clipboard = window()
        .map(|w| w.navigator().clipboard())
        .ok_or_else(|| "no clipboard".to_string())?;
    JsFuture::from(clipboard.write_text(&text))
        .await
        .map(|_| ())
        .map_err(|e| describe(&e))
}

/// Offers `text` as a file download (a Blob behind an `<a download>`).
pub fn download(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    let failed = |what: &str| format!("The download could not start ({what}).");
    let document = window()
        .and_then(|w| w.document())
        .ok_or_else(|| failed("no document"))?;
    let parts = js_sys_array_of(text);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| failed("blob"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| failed("object URL"))?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| failed("link"))?
        .dyn_into()
        .map_err(|_| failed("link"))?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.set_class_name("visually-hidden");
    if let Some(body) = document.body() {
        let _ = body.append_child(&anchor);
        anchor.click();
        let _ = body.remove_child(&anchor);
    }
    // The download has started from the URL; it can be released now.
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// A one-element JS array holding `text`.
fn js_sys_array_of(text: &str) -> JsValue {
    web_sys::js_sys::Array::of1(&JsValue::from_str(text)).into()
}

/// A listener on the window for as long as this value lives: an effect
/// returns a closure that drops it, which removes the listener.
pub struct WindowListener {
    event: &'static str,
    callback: wasm_bindgen::closure::Closure<dyn Fn(web_sys::Event)>,
}

impl WindowListener {
    pub fn new(event: &'static str, on_event: impl Fn(web_sys::Event) + 'static) -> WindowListener {
        let callback = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::Event)>::new(on_event);
        if let Some(w) = window() {
            let _ = w.add_event_listener_with_callback(event, callback.as_ref().unchecked_ref());
        }
        WindowListener { event, callback }
    }
}

impl Drop for WindowListener {
    fn drop(&mut self) {
        if let Some(w) = window() {
            let _ = w.remove_event_listener_with_callback(
                self.event,
                self.callback.as_ref().unchecked_ref(),
            );
        }
    }
}

/// The message of what a JavaScript call threw or rejected with: a string, an
/// `Error`'s message, or `fallback`.
pub fn error_message(thrown: &wasm_bindgen::JsValue, fallback: &str) -> String {
    use wasm_bindgen::JsCast;
    thrown
        .as_string()
        .or_else(|| {
            thrown
                .dyn_ref::<web_sys::js_sys::Error>()
                .map(|e| e.message().into())
        })
        .unwrap_or_else(|| fallback.to_string())
}
