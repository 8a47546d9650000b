//! The JSON editor: a real textarea over a highlighted layer.
//!
//! The textarea stays a real textarea (keyboard, screen readers, mobile and
//! the browser's own undo all work); the layer behind it draws the same text
//! with syntax colours from the engine's tokens, wavy underlines at each
//! diagnostic's range and the bracket matching the one at the caret. Only the
//! lines in view are rendered (see `layer`). A plain mode drops the layers.
//!
//! Keys: Ctrl+Space suggests, Ctrl+. applies the quick fix at the caret,
//! F8 / Shift+F8 go to the next / previous problem. Tab is left to the
//! browser (it moves focus), so the editor never traps keyboard users.

mod edit;
mod gutter;
pub mod large;
pub mod layer;
mod suggest;

use ecs_engine::completion::complete;
use ecs_engine::json::tokens::matching_bracket;
use ecs_engine::quick_fix::minimal_change;
use ecs_engine::text::byte_offset_of_utf16;
use ecs_engine::{apply_fix, Diagnostic, Fix};
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

use layer::{diagnostic_marks, lex, render_window, window_start, Mark, LINE_HEIGHT};
use suggest::{render_popup, Popup};

/// Asks the editor to select a range (UTF-16 offsets), e.g. when a problem is
/// chosen in the list. `serial` makes a repeated request for the same range
/// distinct, so choosing the same problem twice moves the cursor twice.
#[derive(Clone, PartialEq, Debug)]
pub struct CursorRequest {
    pub start: u32,
    pub end: u32,
    pub serial: u32,
}

/// Asks the editor to apply a fix as one undoable edit.
#[derive(Clone, PartialEq, Debug)]
pub struct FixRequest {
    pub fix: Fix,
    pub serial: u32,
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
    pub on_change: Callback<String>,
    #[prop_or_default]
    pub cursor_request: Option<CursorRequest>,
    #[prop_or_default]
    pub fix_request: Option<FixRequest>,
    /// The textarea's accessible name.
    #[prop_or(AttrValue::Static("Task definition JSON"))]
    pub label: AttrValue,
}

const PLAIN_KEY: &str = "ecs-playground.plain-editor";

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.session_storage().ok().flatten())
}

#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let textarea = use_node_ref();
    let gutter = use_node_ref();
    let layer = use_node_ref();
    let popup_node = use_node_ref();
    let caret = use_state_eq(|| 0u32);
    let window_first = use_state_eq(|| 0usize);
    let popup = use_state_eq(|| None::<Popup>);
    let hover_title = use_state_eq(|| None::<String>);
    let char_width = use_mut_ref(|| 0.0f64);
    let plain = use_state_eq(|| {
        session_storage()
            .and_then(|s| s.get_item(PLAIN_KEY).ok().flatten())
            .is_some_and(|v| v == "1")
    });

    // The textarea gets the text as its default value when mounted, and as
    // its value only when the text changes and differs from what it holds
    // (an undo, a fix, another document). A `value` attribute made every
    // render (each caret move, each click) read the whole value back out of
    // the browser, 5 MB at a time after a big paste. Done where the text is
    // lexed, which runs once per text. Text the user just typed is what the
    // textarea holds: not read back (5 MB of it per key press after a paste).
    let typed = use_mut_ref(|| None::<String>);
    let lexed = {
        let (textarea, typed) = (textarea.clone(), typed.clone());
        use_memo(props.text.clone(), move |text| {
            let typed = typed.borrow_mut().take();
            if let Some(area) = textarea.cast::<HtmlTextAreaElement>() {
                if typed.as_ref() != Some(text) && area.value() != *text {
                    area.set_value(text);
                }
            }
            lex(text)
        })
    };

    // Selects a requested range, e.g. when a problem is chosen in the list.
    {
        let textarea = textarea.clone();
        let caret = caret.clone();
        use_effect_with(props.cursor_request.clone(), move |request| {
            if let (Some(request), Some(area)) = (request, textarea.cast::<HtmlTextAreaElement>()) {
                let _ = area.focus();
                let _ = area.set_selection_range(request.start, request.end);
                scroll_to_selection(&area, request.start);
                caret.set(request.start);
            }
        });
    }
    // Applies a requested fix through the textarea, so that undo restores it.
    {
        let textarea = textarea.clone();
        let on_change = props.on_change.clone();
        use_effect_with(props.fix_request.clone(), move |request| {
            if let (Some(request), Some(area)) = (request, textarea.cast::<HtmlTextAreaElement>()) {
                let old = area.value();
                let new = apply_fix(&old, &request.fix);
                edit::apply_change(&area, &minimal_change(&old, &new), &on_change);
            }
        });
    }
    // Places the popup under the text it completes. CSSOM properties are
    // allowed by the CSP, unlike style attributes.
    {
        let popup_node = popup_node.clone();
        let textarea = textarea.clone();
        let anchor = popup.as_ref().map(|p| p.completion.replace.start as usize);
        let lexed = lexed.clone();
        let text = props.text.clone();
        use_effect_with(anchor, move |anchor| {
            if let (Some(at), Some(node), Some(area)) = (
                anchor,
                popup_node.cast::<HtmlElement>(),
                textarea.cast::<HtmlTextAreaElement>(),
            ) {
                let line = lexed.line_of(*at);
                let line_start = lexed.line_starts.get(line).copied().unwrap_or(0);
                let column = text.get(line_start..*at).map_or(0, |s| s.chars().count());
                let top = 8 + (line as i32 + 1) * LINE_HEIGHT - area.scroll_top();
                let style = node.style();
                let _ = style.set_property("top", &format!("{}px", top.max(0)));
                let _ = style.set_property(
                    "left",
                    &format!("calc(12px + {column}ch - {}px)", area.scroll_left()),
                );
            }
        });
    }

    let caret_byte = byte_offset_of_utf16(&props.text, *caret);
    let refresh_popup = {
        let popup = popup.clone();
        move |text: &str, at: u32| {
            let byte = byte_offset_of_utf16(text, at);
            popup.set(complete(text, byte).map(|completion| Popup {
                completion,
                active: 0,
            }));
        }
    };

    let oninput = {
        let on_change = props.on_change.clone();
        let caret = caret.clone();
        let popup_open = popup.is_some();
        let refresh_popup = refresh_popup.clone();
        let typed = typed.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
                let value = area.value();
                let at = area.selection_start().ok().flatten().unwrap_or(0);
                caret.set(at);
                if popup_open {
                    refresh_popup(&value, at);
                }
                *typed.borrow_mut() = Some(value.clone());
                on_change.emit(value);
            }
        })
    };
    // A paste that makes the document large goes to the workspace as it is,
    // never into the textarea: the page then opens the editor of large
    // documents (`large`), and the textarea never lays megabytes out.
    let onpaste = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: Event| {
            let (Some(area), Some(pasted)) = (
                e.target_dyn_into::<HtmlTextAreaElement>(),
                e.dyn_ref::<web_sys::ClipboardEvent>()
                    .and_then(|e| e.clipboard_data())
                    .and_then(|data| data.get_data("text/plain").ok()),
            ) else {
                return;
            };
            let value = area.value();
            if value.len() + pasted.len() < large::LARGE_DOCUMENT_BYTES {
                return;
            }
            let utf16 = |at: Result<Option<u32>, _>| {
                byte_offset_of_utf16(&value, at.ok().flatten().unwrap_or(0))
            };
            let (start, end) = (utf16(area.selection_start()), utf16(area.selection_end()));
            let (Some(before), Some(after)) = (value.get(..start), value.get(end.max(start)..))
            else {
                return;
            };
            let text = format!("{before}{pasted}{after}");
            if large::is_large(&text) {
                e.prevent_default();
                on_change.emit(text);
            }
        })
    };
    let track_caret = {
        let caret = caret.clone();
        Callback::from(move |e: Event| {
            if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
                caret.set(area.selection_start().ok().flatten().unwrap_or(0));
            }
        })
    };
    let onkeyup = {
        let track_caret = track_caret.clone();
        Callback::from(move |e: KeyboardEvent| track_caret.emit(e.into()))
    };
    let onmouseup = {
        let track_caret = track_caret.clone();
        let popup = popup.clone();
        Callback::from(move |e: MouseEvent| {
            popup.set(None);
            track_caret.emit(e.into());
        })
    };
    let onblur = {
        let popup = popup.clone();
        Callback::from(move |_: FocusEvent| popup.set(None))
    };
    // Hovering underlined text shows its messages as the textarea's tooltip.
    let onmousemove = {
        let hover_title = hover_title.clone();
        let char_width = char_width.clone();
        let layer = layer.clone();
        let lexed = lexed.clone();
        let text = props.text.clone();
        let diagnostics = props.diagnostics.clone();
        Callback::from(move |e: MouseEvent| {
            let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() else {
                return;
            };
            if *char_width.borrow() <= 0.0 {
                *char_width.borrow_mut() = measure_char_width(&layer);
            }
            let width = *char_width.borrow();
            let rect = area.get_bounding_client_rect();
            let x = f64::from(e.client_x()) - rect.left() + f64::from(area.scroll_left()) - 12.0;
            let y = f64::from(e.client_y()) - rect.top() + f64::from(area.scroll_top()) - 8.0;
            let byte = (width > 0.0 && x >= 0.0 && y >= 0.0)
                .then(|| {
                    let line = (y / f64::from(LINE_HEIGHT)) as usize;
                    let column = (x / width) as usize;
                    let (start, end) = lexed.line_range(&text, line);
                    (line < lexed.line_count())
                        .then(|| {
                            text.get(start..end)?
                                .char_indices()
                                .nth(column)
                                .map(|(i, _)| start + i)
                        })
                        .flatten()
                })
                .flatten();
            let messages: Vec<String> = byte
                .map(|byte| {
                    diagnostics
                        .iter()
                        .filter(|d| {
                            let start = lexed.byte_of(&text, &d.range.start);
                            let end = lexed.byte_of(&text, &d.range.end).max(start + 1);
                            start <= byte && byte < end
                        })
                        .map(|d| format!("{}: {}", d.severity.as_str(), d.message))
                        .collect()
                })
                .unwrap_or_default();
            hover_title.set((!messages.is_empty()).then(|| messages.join("\n")));
        })
    };
    let onmouseleave = {
        let hover_title = hover_title.clone();
        Callback::from(move |_: MouseEvent| hover_title.set(None))
    };

    let accept = {
        let popup = popup.clone();
        let textarea = textarea.clone();
        let on_change = props.on_change.clone();
        Callback::from(move |index: usize| {
            let (Some(open), Some(area)) = (popup.as_ref(), textarea.cast::<HtmlTextAreaElement>())
            else {
                return;
            };
            if let Some(item) = open.completion.items.get(index) {
                let change = ecs_engine::quick_fix::TextChange {
                    start_utf16: open.completion.replace_utf16.0,
                    end_utf16: open.completion.replace_utf16.1,
                    insert: item.insert.clone(),
                };
                popup.set(None);
                edit::apply_change(&area, &change, &on_change);
            }
        })
    };

    let onkeydown = {
        let suggestions_shown = !*plain;
        let popup = popup.clone();
        let accept = accept.clone();
        let text = props.text.clone();
        let diagnostics = props.diagnostics.clone();
        let textarea = textarea.clone();
        let on_change = props.on_change.clone();
        let caret = caret.clone();
        let refresh_popup = refresh_popup.clone();
        Callback::from(move |e: KeyboardEvent| {
            let key = e.key();
            let plain_modifiers = !e.ctrl_key() && !e.meta_key() && !e.alt_key();
            if let Some(open) = popup.as_ref() {
                let handled = match key.as_str() {
                    "ArrowDown" if plain_modifiers => {
                        popup.set(Some(open.moved(1)));
                        true
                    }
                    "ArrowUp" if plain_modifiers => {
                        popup.set(Some(open.moved(-1)));
                        true
                    }
                    "Enter" | "Tab" if plain_modifiers && !e.shift_key() => {
                        accept.emit(open.active);
                        true
                    }
                    "Escape" => {
                        popup.set(None);
                        true
                    }
                    _ => false,
                };
                if handled {
                    e.prevent_default();
                    e.stop_propagation();
                    return;
                }
            }
            let Some(area) = textarea.cast::<HtmlTextAreaElement>() else {
                return;
            };
            let at = area.selection_start().ok().flatten().unwrap_or(0);
            // Ctrl+Space: suggest. Browsers reserve no action for it in a textarea.
            if suggestions_shown
                && (key == " " || e.code() == "Space")
                && e.ctrl_key()
                && !e.alt_key()
                && !e.meta_key()
            {
                e.prevent_default();
                refresh_popup(&text, at);
                return;
            }
            // Ctrl+. applies the quick fix at the caret.
            if key == "." && (e.ctrl_key() || e.meta_key()) && !e.alt_key() {
                if let Some(fix) = diagnostics_at(&diagnostics, at).find_map(|d| d.fix.clone()) {
                    e.prevent_default();
                    let new = apply_fix(&text, &fix);
                    edit::apply_change(&area, &minimal_change(&text, &new), &on_change);
                }
                return;
            }
            // F8 / Shift+F8: next / previous problem, wrapping around.
            if key == "F8" && !e.ctrl_key() && !e.alt_key() && !e.meta_key() {
                let mut starts: Vec<(u32, u32)> = diagnostics
                    .iter()
                    .map(|d| (d.range.start.offset_utf16, d.range.end.offset_utf16))
                    .collect();
                ecs_engine::order::sort(&mut starts);
                starts.dedup();
                let target = if e.shift_key() {
                    starts.iter().rev().find(|r| r.0 < at).or(starts.last())
                } else {
                    starts.iter().find(|r| r.0 > at).or(starts.first())
                };
                if let Some(&(start, end)) = target {
                    e.prevent_default();
                    let _ = area.set_selection_range(start, end);
                    scroll_to_selection(&area, start);
                    caret.set(start);
                }
            }
        })
    };

    let onscroll = {
        let (gutter, layer) = (gutter.clone(), layer.clone());
        let window_first = window_first.clone();
        Callback::from(move |e: Event| {
            if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
                let (top, left) = (area.scroll_top(), area.scroll_left());
                if let Some(g) = gutter.cast::<HtmlElement>() {
                    let _ = g
                        .style()
                        .set_property("transform", &format!("translateY({}px)", -top));
                }
                if let Some(l) = layer.cast::<HtmlElement>() {
                    let _ = l
                        .style()
                        .set_property("transform", &format!("translate({}px, {}px)", -left, -top));
                }
                window_first.set(window_start((top / LINE_HEIGHT).max(0) as usize));
            }
        })
    };

    let toggle_plain = {
        let plain = plain.clone();
        Callback::from(move |_: MouseEvent| {
            let next = !*plain;
            if let Some(storage) = session_storage() {
                let _ = storage.set_item(PLAIN_KEY, if next { "1" } else { "0" });
            }
            plain.set(next);
        })
    };

    // What the caret is on: its problems, announced politely, with their fixes.
    let here: Vec<&Diagnostic> = diagnostics_at(&props.diagnostics, *caret).collect();
    let caret_info = here.iter().map(|d| {
        let fix_button = d.fix.clone().map(|fix| {
            let textarea = textarea.clone();
            let on_change = props.on_change.clone();
            let title = fix.title.clone();
            let onclick = Callback::from(move |_: MouseEvent| {
                if let Some(area) = textarea.cast::<HtmlTextAreaElement>() {
                    let old = area.value();
                    let new = apply_fix(&old, &fix);
                    edit::apply_change(&area, &minimal_change(&old, &new), &on_change);
                }
            });
            html! {
                <button type="button" class="quick-fix" onclick={onclick} aria-keyshortcuts="Control+.">
                    { format!("Quick fix: {title}") }
                </button>
            }
        });
        html! {
            <div class={classes!("caret-problem", format!("caret-problem-{}", d.severity.as_str()))}>
                <span class="caret-problem-severity">{ d.severity.as_str() }</span>
                <span class="caret-problem-message">{ &d.message }</span>
                { for fix_button }
            </div>
        }
    });
    let caret_info = html! {
        <div class={classes!("caret-info", here.is_empty().then_some("empty"))} role="status" aria-live="polite" aria-label="Problem at the cursor" data-testid="caret-info">
            { for caret_info }
        </div>
    };

    let toolbar = html! {
        <div class="editor-toolbar">
            <span class="editor-hint" aria-hidden="true">
                <kbd>{ "Ctrl" }</kbd>{ "+" }<kbd>{ "Space" }</kbd>{ " suggests · " }
                <kbd>{ "Ctrl" }</kbd>{ "+" }<kbd>{ "." }</kbd>{ " fixes · " }
                <kbd>{ "F8" }</kbd>{ " next problem" }
            </span>
            <button type="button" class="toggle" aria-pressed={if *plain { "true" } else { "false" }} onclick={toggle_plain}>
                { "Plain text editor" }
            </button>
        </div>
    };

    let mut marks: Vec<Mark> = diagnostic_marks(&props.text, &lexed, &props.diagnostics);
    if let Some((open, close)) = matching_bracket(&props.text, &lexed.tokens, caret_byte) {
        for span in [open, close] {
            marks.push(Mark {
                start: span.start as usize,
                end: span.end as usize,
                class: "bracket-match",
            });
        }
    }
    let line_problems = gutter::LineProblems::new(&props.diagnostics);
    let popup_html = render_popup(popup.as_ref(), &popup_node, accept.clone());
    let active_descendant = popup.as_ref().map(|open| suggest::option_id(open.active));
    let textarea_html = html! {
        <textarea
            ref={textarea}
            class={if *plain { "code-input-plain" } else { "code-input" }}
            aria-label={props.label.clone()}
            aria-autocomplete={(!*plain).then_some("list")}
            aria-controls={popup.is_some().then_some(suggest::LIST_ID)}
            aria-activedescendant={active_descendant}
            aria-keyshortcuts={if *plain { "Control+. F8 Shift+F8" } else { "Control+Space Control+. F8 Shift+F8" }}
            spellcheck="false"
            autocomplete="off"
            autocapitalize="off"
            wrap="off"
            defaultvalue={props.text.clone()}
            oninput={oninput}
            onpaste={onpaste}
            onscroll={onscroll}
            onkeydown={onkeydown}
            onkeyup={onkeyup}
            onmouseup={onmouseup}
            onblur={onblur}
            onmousemove={onmousemove}
            onmouseleave={onmouseleave}
            title={(*hover_title).clone()}
        />
    };
    if *plain {
        return html! {
            <div class="editor-wrap">
                { toolbar }
                { textarea_html }
                { caret_info }
            </div>
        };
    }

    html! {
        <div class="editor-wrap">
            { toolbar }
            <div class="editor">
                // One gutter width for every document (up to 999,999 lines, see
                // editor.css): a gutter widening with the line count resized the
                // textarea, and Chromium lays a resized textarea's whole text out
                // again (2.2 s of a 5 MB paste).
                <div class="gutter" aria-hidden="true">
                    <div class="gutter-content" ref={gutter}>
                        { gutter::render_gutter(*window_first, lexed.line_count(), &line_problems) }
                    </div>
                </div>
                <div class="editor-body">
                    <div class="highlight-layer" aria-hidden="true">
                        <div class="layer-content" ref={layer} data-testid="highlight-layer">
                            { render_window(&props.text, &lexed, *window_first, &marks) }
                        </div>
                    </div>
                    { textarea_html }
                    { popup_html }
                </div>
            </div>
            { caret_info }
        </div>
    }
}

/// Diagnostics whose range holds the caret (an empty range holds the
/// character after it).
fn diagnostics_at(diagnostics: &[Diagnostic], at: u32) -> impl Iterator<Item = &Diagnostic> {
    diagnostics.iter().filter(move |d| {
        let (start, end) = (d.range.start.offset_utf16, d.range.end.offset_utf16);
        start <= at && at <= end
    })
}

/// The width of one character of the code font, measured on the layer.
fn measure_char_width(layer: &NodeRef) -> f64 {
    let Some(span) = layer
        .cast::<HtmlElement>()
        .and_then(|l| l.query_selector(".code-line span").ok().flatten())
    else {
        return 0.0;
    };
    let chars = span.text_content().map_or(0, |t| t.chars().count());
    if chars == 0 {
        return 0.0;
    }
    span.get_bounding_client_rect().width() / chars as f64
}

/// Scrolls the textarea so that the line holding `offset` is in view.
fn scroll_to_selection(area: &HtmlTextAreaElement, offset: u32) {
    let value = area.value();
    let line = value
        .encode_utf16()
        .take(offset as usize)
        .filter(|&u| u == u16::from(b'\n'))
        .count();
    let target = (line as i32 * LINE_HEIGHT) - area.client_height() / 3;
    area.set_scroll_top(target.max(0));
}
