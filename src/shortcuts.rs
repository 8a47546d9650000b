//! The keyboard shortcut sheet, opened with `?` or its header button.
//!
//! Browser-reserved keys are never taken: Ctrl+L, Ctrl+T, Ctrl+W, Ctrl+N,
//! Ctrl+S, Ctrl+P, Ctrl+[, Ctrl+], F5, F6, F11, F12 and Alt+arrows all keep
//! their browser meaning. Nothing needs Ctrl+S: the work lives in the page.
//! Tab is not trapped by the editor: it moves focus like everywhere else.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{HtmlDialogElement, KeyboardEvent as DomKeyboardEvent};
use yew::prelude::*;

/// (keys, what they do), in the order the sheet lists them.
pub const SHORTCUTS: &[(&[&str], &str)] = &[
    (&["?"], "Show this sheet (outside text fields)"),
    (
        &["Ctrl", "Space"],
        "Suggest field names and values in the editor",
    ),
    (&["↑", "↓"], "Move through suggestions"),
    (&["Enter"], "Accept the suggestion (Tab works too)"),
    (&["Esc"], "Close the suggestions, or this sheet"),
    (
        &["Ctrl", "."],
        "Apply the quick fix for the problem at the cursor",
    ),
    (&["F8"], "Go to the next problem"),
    (&["Shift", "F8"], "Go to the previous problem"),
    (
        &["Ctrl", "Z"],
        "Undo, including quick fixes and suggestions",
    ),
    (&["Ctrl", "Shift", "Z"], "Redo"),
    (&["Tab"], "Move focus on (the editor does not capture Tab)"),
    (&["Shift", "Tab"], "Move focus back"),
];

/// True when a key press belongs to a text field, where `?` is just a character.
fn typing_in_a_field(event: &DomKeyboardEvent) -> bool {
    let Some(target) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    let tag = target.tag_name().to_ascii_lowercase();
    matches!(tag.as_str(), "input" | "textarea" | "select")
        || target.get_attribute("contenteditable").is_some()
}

#[function_component(ShortcutSheet)]
pub fn shortcut_sheet() -> Html {
    let dialog = use_node_ref();
    let open = {
        let dialog = dialog.clone();
        move || {
            if let Some(d) = dialog.cast::<HtmlDialogElement>() {
                if !d.open() {
                    let _ = d.show_modal();
                }
            }
        }
    };
    // `?` anywhere outside a text field opens the sheet.
    {
        let open = open.clone();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn(DomKeyboardEvent)>::new(move |e: DomKeyboardEvent| {
                if e.key() == "?"
                    && !e.ctrl_key()
                    && !e.meta_key()
                    && !e.alt_key()
                    && !typing_in_a_field(&e)
                {
                    e.prevent_default();
                    open();
                }
            });
            let document = web_sys::window().and_then(|w| w.document());
            if let Some(doc) = &document {
                let _ = doc
                    .add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(doc) = &document {
                    let _ = doc.remove_event_listener_with_callback(
                        "keydown",
                        listener.as_ref().unchecked_ref(),
                    );
                }
                drop(listener);
            }
        });
    }
    let onclick_open = Callback::from(move |_: MouseEvent| open());
    let onclick_close = {
        let dialog = dialog.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(d) = dialog.cast::<HtmlDialogElement>() {
                d.close();
            }
        })
    };
    let rows = SHORTCUTS.iter().map(|(keys, action)| {
        let keys = keys.iter().enumerate().map(|(i, k)| {
            html! { <>{ if i > 0 { "+" } else { "" } }<kbd>{ *k }</kbd></> }
        });
        html! {
            <tr>
                <th scope="row" class="shortcut-keys">{ for keys }</th>
                <td>{ *action }</td>
            </tr>
        }
    });
    html! {
        <>
            <button type="button" class="header-button" onclick={onclick_open} aria-haspopup="dialog" aria-keyshortcuts="?">
                { "Keyboard shortcuts" }
            </button>
            <dialog ref={dialog} class="shortcut-sheet" aria-labelledby="shortcut-sheet-title">
                <div class="sheet-head">
                    <h2 id="shortcut-sheet-title">{ "Keyboard shortcuts" }</h2>
                    <button type="button" class="header-button" onclick={onclick_close}>{ "Close" }</button>
                </div>
                <table class="shortcut-table">
                    <thead class="visually-hidden"><tr><th scope="col">{ "Keys" }</th><th scope="col">{ "Action" }</th></tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
                <p class="sheet-note">{ "Browser shortcuts (Ctrl+L, Ctrl+T, Ctrl+W, Ctrl+S, Ctrl+[, F5 …) are never taken over. On macOS, use ⌘ for Ctrl." }</p>
            </dialog>
        </>
    }
}
