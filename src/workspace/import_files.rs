//! Files picked or dropped, and pasted text that is not JSON: www/js/page.js
//! reads one plain file itself and hands several files, a folder, a
//! Terraform file or pasted YAML, Compose or Terraform to the workbench it
//! loads on demand (`crates/ecs-workbench` and `www/workbench/`, built into
//! `dist/workbench/`): the engine with its YAML and Terraform readers
//! classifies and checks every file, shows the workspace summary and gives
//! back the documents, which are imported here one by one. The workbench also
//! compares a pasted revision with the open document, and writes the Export
//! panel's files. None of it is in the first load.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::js_sys::{Array, Promise};
use yew::Callback;

use super::browser::error_message;
use super::notices::{Notice, Tone};

#[wasm_bindgen(module = "/www/js/page.js")]
extern "C" {
    // Called synchronously: a drop's entries are gone once its event returns.
    #[wasm_bindgen(js_name = importFiles)]
    fn texts_of(source: &JsValue) -> Promise;

    #[wasm_bindgen(js_name = compareRevisions)]
    fn compare_revisions(pasted: &str) -> Promise;

    #[wasm_bindgen(js_name = exportWorkspace)]
    fn export_workspace(saved_workspace: &str, what: &str) -> Promise;
}

/// Imports the documents of `source` (a `FileList`, a drop's `DataTransfer`,
/// or pasted text that is not JSON).
pub fn import_files(source: &JsValue, on_import: Callback<String>, on_notice: Callback<Notice>) {
    import_texts(texts_of(source), on_import, on_notice)
}

/// The workbench's comparison of `pasted` with the workspace's open task
/// definition; imports what the user opens from it.
pub fn compare(pasted: &str, on_import: Callback<String>, on_notice: Callback<Notice>) {
    import_texts(compare_revisions(pasted), on_import, on_notice)
}

/// Downloads one of the Export panel's files (`what`: `register`,
/// `cloudformation`, `script`, `scenario`), which the workbench writes from
/// the saved workspace (`storage::save`'s text): the exports' writers stay
/// out of the first load. What it left out are warnings; why there is no
/// file, an error.
pub fn export(saved_workspace: &str, what: &str, on_notice: Callback<Notice>) {
    let on_warning = on_notice.reform(|message: String| Notice::new(Tone::Warning, message));
    import_texts(
        export_workspace(saved_workspace, what),
        on_warning,
        on_notice,
    )
}

fn import_texts(texts: Promise, on_import: Callback<String>, on_notice: Callback<Notice>) {
    let texts = JsFuture::from(texts);
    wasm_bindgen_futures::spawn_local(async move {
        match texts.await {
            Ok(texts) => Array::from(&texts)
                .iter()
                .filter_map(|text| text.as_string())
                .for_each(|text| on_import.emit(text)),
            Err(e) => on_notice.emit(Notice::new(
                Tone::Error,
                error_message(&e, "The files could not be read."),
            )),
        }
    });
}
