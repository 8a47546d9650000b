//! The JSON editor: a plain textarea over a layer that underlines problems.
//!
//! The textarea stays a real textarea (keyboard, screen readers, mobile and
//! the browser's own undo all work); the layer behind it draws the same text
//! transparently with wavy underlines at each diagnostic's range, and a gutter
//! shows line numbers with a mark on lines that have problems.

use ecs_engine::{Diagnostic, Severity};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// Asks the editor to select a range (UTF-16 offsets), e.g. when a problem is
/// chosen in the list. `serial` makes a repeated request for the same range
/// distinct, so choosing the same problem twice moves the cursor twice.
#[derive(Clone, PartialEq, Debug)]
pub struct CursorRequest {
    pub start: u32,
    pub end: u32,
    pub serial: u32,
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
    pub on_change: Callback<String>,
    #[prop_or_default]
    pub cursor_request: Option<CursorRequest>,
}

#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let textarea = use_node_ref();
    let gutter = use_node_ref();
    let layer = use_node_ref();

    {
        let textarea = textarea.clone();
        use_effect_with(props.cursor_request.clone(), move |request| {
            if let (Some(request), Some(area)) = (request, textarea.cast::<HtmlTextAreaElement>()) {
                let _ = area.focus();
                let _ = area.set_selection_range(request.start, request.end);
                scroll_to_selection(&area, request.start);
            }
        });
    }

    let oninput = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
                on_change.emit(area.value());
            }
        })
    };
    let onscroll = {
        let (gutter, layer) = (gutter.clone(), layer.clone());
        Callback::from(move |e: Event| {
            if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
                if let Some(g) = gutter.cast::<web_sys::Element>() {
                    g.set_scroll_top(area.scroll_top());
                }
                if let Some(l) = layer.cast::<web_sys::Element>() {
                    l.set_scroll_top(area.scroll_top());
                    l.set_scroll_left(area.scroll_left());
                }
            }
        })
    };

    let line_count = props.text.split('\n').count();
    let line_marks = line_severities(&props.diagnostics, line_count);
    let gutter_lines = line_marks.iter().enumerate().map(|(i, mark)| {
        let (class, label) = match mark {
            Some(Severity::Error) => ("gutter-line has-error", "error on this line"),
            Some(Severity::Warning) => ("gutter-line has-warning", "warning on this line"),
            Some(Severity::Info) => ("gutter-line has-info", "note on this line"),
            None => ("gutter-line", ""),
        };
        let title = messages_on_line(&props.diagnostics, i as u32 + 1);
        html! {
            <div class={class} title={title} aria-label={(!label.is_empty()).then_some(label)}>{ i + 1 }</div>
        }
    });

    html! {
        <div class="editor">
            <div class="gutter" ref={gutter} aria-hidden="true">{ for gutter_lines }</div>
            <div class="editor-body">
                <pre class="underline-layer" ref={layer} aria-hidden="true">{ underline_segments(&props.text, &props.diagnostics) }</pre>
                <textarea
                    ref={textarea}
                    class="code-input"
                    aria-label="Task definition JSON"
                    spellcheck="false"
                    autocomplete="off"
                    autocapitalize="off"
                    wrap="off"
                    value={props.text.clone()}
                    oninput={oninput}
                    onscroll={onscroll}
                />
            </div>
        </div>
    }
}

/// Scrolls the textarea so that the line holding `offset` is in view.
fn scroll_to_selection(area: &HtmlTextAreaElement, offset: u32) {
    let value = area.value();
    let line = value
        .encode_utf16()
        .take(offset as usize)
        .filter(|&u| u == u16::from(b'\n'))
        .count();
    let line_height = 20; // Matches `--code-line-height` in styles.css.
    let target = (line as i32 * line_height) - area.client_height() / 3;
    area.set_scroll_top(target.max(0));
}

/// The most severe diagnostic starting on each line.
fn line_severities(diagnostics: &[Diagnostic], line_count: usize) -> Vec<Option<Severity>> {
    let mut marks = vec![None; line_count.max(1)];
    for d in diagnostics {
        let i = (d.range.start.line as usize)
            .saturating_sub(1)
            .min(marks.len() - 1);
        marks[i] = Some(match marks[i] {
            Some(existing) if existing < d.severity => existing,
            _ => d.severity,
        });
    }
    marks
}

fn messages_on_line(diagnostics: &[Diagnostic], line: u32) -> Option<String> {
    let messages: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.range.start.line == line)
        .map(|d| format!("{}[{}]: {}", d.severity.as_str(), d.code, d.message))
        .collect();
    (!messages.is_empty()).then(|| messages.join("\n"))
}

/// The text split into plain runs and underlined runs, by UTF-16 offsets.
fn underline_segments(text: &str, diagnostics: &[Diagnostic]) -> Html {
    let total: u32 = text.encode_utf16().count() as u32;
    // Each diagnostic underlines at least one character so that problems at
    // the very end of the text are still visible.
    let mut ranges: Vec<(u32, u32, Severity)> = diagnostics
        .iter()
        .map(|d| {
            let start = d.range.start.offset_utf16.min(total);
            let end = d.range.end.offset_utf16.clamp(start, total);
            if end > start {
                (start, end, d.severity)
            } else if start < total {
                (start, start + 1, d.severity)
            } else {
                (total.saturating_sub(1), total, d.severity)
            }
        })
        .collect();
    ranges.sort_by_key(|r| (r.0, r.2));

    let mut pieces: Vec<Html> = Vec::new();
    let mut plain = String::new();
    let mut marked = String::new();
    let mut current: Option<Severity> = None;
    let mut offset: u32 = 0;
    for ch in text.chars() {
        let severity = ranges
            .iter()
            .filter(|(s, e, _)| *s <= offset && offset < *e)
            .map(|r| r.2)
            .min();
        if severity != current {
            flush(&mut pieces, &mut plain, &mut marked, current);
            current = severity;
        }
        if current.is_some() {
            marked.push(ch);
        } else {
            plain.push(ch);
        }
        offset += ch.len_utf16() as u32;
    }
    flush(&mut pieces, &mut plain, &mut marked, current);
    // A trailing newline needs something after it for the layer to be as tall
    // as the textarea.
    pieces.push(html! { " " });
    html! { <>{ for pieces }</> }
}

fn flush(
    pieces: &mut Vec<Html>,
    plain: &mut String,
    marked: &mut String,
    severity: Option<Severity>,
) {
    if !plain.is_empty() {
        pieces.push(html! { { std::mem::take(plain) } });
    }
    if !marked.is_empty() {
        let class = match severity {
            Some(Severity::Error) => "squiggle squiggle-error",
            Some(Severity::Warning) => "squiggle squiggle-warning",
            _ => "squiggle squiggle-info",
        };
        pieces.push(html! { <span class={class}>{ std::mem::take(marked) }</span> });
    }
}
