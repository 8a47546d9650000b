//! Files picked or dropped: www/js/page.js reads one plain file
//! itself and hands several files, a folder or a Terraform file to the
//! workbench it loads on demand (`crates/ecs-workbench` and
//! `www/workbench/`, built into `dist/workbench/`): the engine with its YAML
//! and Terraform readers classifies and checks every file, shows the
//! workspace summary and gives back the documents, which are imported here
//! one by one. None of it is in the first load.

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
}

/// Imports the documents of `source` (a `FileList`, or a drop's `DataTransfer`).
pub fn import_files(source: &JsValue, on_import: Callback<String>, on_notice: Callback<Notice>) {
    let texts = JsFuture::from(texts_of(source));
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
