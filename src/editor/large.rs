//! The editor of large documents, and their analysis off the main thread.
//!
//! A textarea holding a whole document costs the browser its layout on every
//! key press (586 ms for 5 MB in Chromium, with no page code at all), and the
//! engine's analysis of megabytes is seconds of main-thread work. From
//! [`LARGE_DOCUMENT_BYTES`] a document opens in CodeMirror 6 instead, which
//! keeps only the lines in view in the DOM (www/large-editor/, bundled into
//! dist/large-editor/ and loaded on demand by www/js/page.js), and the
//! engine's analysis runs in a Web Worker (the workbench's build of the same
//! engine), whose findings come back as the engine's JSON: the editor
//! underlines them and lists them in its Problems panel (CodeMirror's lint
//! panel, with the engine's fixes as its actions), and the page's status
//! gives their counts. The editor, its text and the findings live in
//! JavaScript; this module only hands them over, so that the page's own wasm
//! (its first load, within its budget) grows by as little as it can.
//!
//! Smaller documents keep the textarea editor (`super::Editor`).

use ecs_engine::workspace::Document;
use wasm_bindgen::prelude::*;
use yew::{Callback, NodeRef};

/// Documents from 256 KiB open in the editor of large documents. A task
/// definition AWS accepts is at most 64 KiB, so every document AWS would
/// take keeps the textarea editor; a textarea's layout grows with its text
/// (about 120 ms per MB and key press in Chromium), so at 256 KiB it is
/// still about 30 ms.
pub const LARGE_DOCUMENT_BYTES: usize = 256 * 1024;

/// Whether `text` opens in the editor of large documents.
pub fn is_large(text: &str) -> bool {
    text.len() >= LARGE_DOCUMENT_BYTES
}

#[wasm_bindgen(module = "/www/js/page.js")]
extern "C" {
    #[wasm_bindgen(js_name = showLargeDocument)]
    fn show_large_document(
        host: &web_sys::Element,
        saved_workspace: &str,
        id: &str,
        text: &str,
        label: &str,
        on_text: &JsValue,
        on_counts: &JsValue,
    );

    #[wasm_bindgen(js_name = closeLargeDocument)]
    fn close_large_document();
}

/// What the editor of large documents calls back: a document's text when
/// typing pauses (`id`, `text`), and the counts of the worker's findings for
/// a document (`id`, errors, warnings).
pub struct LargeCallbacks {
    on_text: Closure<dyn Fn(String, String)>,
    on_counts: Closure<dyn Fn(String, u32, u32)>,
}

impl LargeCallbacks {
    pub fn new(
        on_text: Callback<(String, String)>,
        on_counts: Callback<(String, u32, u32)>,
    ) -> Self {
        LargeCallbacks {
            on_text: Closure::new(move |id, text| on_text.emit((id, text))),
            on_counts: Closure::new(move |id, errors, warnings| {
                on_counts.emit((id, errors, warnings))
            }),
        }
    }
}

/// Shows `document` (large) of the workspace saved as `saved_workspace` in
/// the editor of large documents, in `host`: mounts it there, or gives it
/// the text when it differs (an undo); then the worker analyses it.
pub fn show(
    host: &NodeRef,
    saved_workspace: &str,
    document: &Document,
    callbacks: &LargeCallbacks,
) {
    if let Some(host) = host.cast::<web_sys::Element>() {
        show_large_document(
            &host,
            saved_workspace,
            &document.id,
            &document.text,
            &format!("{} JSON", document.kind.label()),
            callbacks.on_text.as_ref(),
            callbacks.on_counts.as_ref(),
        );
    }
}

/// Closes the editor of large documents, if open (what was typed in it and
/// not yet sent is sent first).
pub fn close() {
    close_large_document();
}
