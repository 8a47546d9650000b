//! Changing the textarea's text so that the browser's own undo still works.
//!
//! Setting `value` from code wipes the textarea's undo history. Replacing the
//! selection with `document.execCommand("insertText")` records the change
//! like typing does, so Ctrl+Z undoes a quick fix or an accepted suggestion.
//! The command is deprecated but still the only way to keep native undo in
//! every browser; when it is unavailable the value is set directly (the
//! change still happens, only its undo is lost) and the `input` handler is
//! told through `on_change`.

use ecs_engine::quick_fix::TextChange;
use wasm_bindgen::JsCast;
use web_sys::{HtmlDocument, HtmlTextAreaElement};
use yew::Callback;

/// Applies `change` to the textarea. The text flows back to the app through
/// the textarea's `input` event, or through `on_change` in the fallback.
pub fn apply_change(area: &HtmlTextAreaElement, change: &TextChange, on_change: &Callback<String>) {
    if change.start_utf16 == change.end_utf16 && change.insert.is_empty() {
        return;
    }
    let _ = area.focus();
    let _ = area.set_selection_range(change.start_utf16, change.end_utf16);
    let inserted = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.dyn_into::<HtmlDocument>().ok())
        .and_then(|d| {
            d.exec_command_with_show_ui_and_value("insertText", false, &change.insert)
                .ok()
        })
        .unwrap_or(false);
    if inserted {
        return;
    }
    let units: Vec<u16> = area.value().encode_utf16().collect();
    let start = (change.start_utf16 as usize).min(units.len());
    let end = (change.end_utf16 as usize).clamp(start, units.len());
    let mut out: Vec<u16> = units.get(..start).unwrap_or(&[]).to_vec();
    out.extend(change.insert.encode_utf16());
    out.extend(units.get(end..).unwrap_or(&[]));
    let text = String::from_utf16_lossy(&out);
    area.set_value(&text);
    let caret = (start + change.insert.encode_utf16().count()) as u32;
    let _ = area.set_selection_range(caret, caret);
    on_change.emit(text);
}
