//! The highlighted layer behind the textarea: only the lines in view.
//!
//! A 64 KiB document has thousands of lines and tens of thousands of tokens;
//! rendering all of them on every keystroke is what makes textarea-overlay
//! editors lag. The layer renders a window of lines around the viewport,
//! preceded by an SVG spacer as tall as the lines above it (the page's CSP
//! forbids inline styles, SVG attributes carry the geometry instead).

use ecs_engine::json::tokens::{tokenize, Token};
use ecs_engine::text::Position;
use ecs_engine::{Diagnostic, Severity};
use yew::prelude::*;

/// Matches `--code-line-height` in styles.css.
pub const LINE_HEIGHT: i32 = 20;
/// Lines rendered at once, and the step the window moves by while scrolling.
pub const WINDOW_LINES: usize = 96;
const WINDOW_STEP: usize = 32;

/// The tokens and line starts of one text, computed once per change.
#[derive(PartialEq)]
pub struct Lexed {
    pub tokens: Vec<Token>,
    pub line_starts: Vec<usize>,
}

pub fn lex(text: &str) -> Lexed {
    let mut line_starts = vec![0];
    line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    Lexed {
        tokens: tokenize(text),
        line_starts,
    }
}

impl Lexed {
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The 0-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// The byte range of line `line` without its newline.
    pub fn line_range(&self, text: &str, line: usize) -> (usize, usize) {
        let start = self.line_starts.get(line).copied().unwrap_or(text.len());
        let end = self
            .line_starts
            .get(line + 1)
            .map_or(text.len(), |next| next.saturating_sub(1));
        (start.min(text.len()), end.max(start).min(text.len()))
    }

    /// The byte offset of a diagnostic position (1-based line and column).
    pub fn byte_of(&self, text: &str, position: &Position) -> usize {
        let (start, end) = self.line_range(text, position.line.saturating_sub(1) as usize);
        let line = text.get(start..end).unwrap_or("");
        let column = position.column.saturating_sub(1) as usize;
        start
            + line
                .char_indices()
                .nth(column)
                .map_or(line.len(), |(i, _)| i)
    }
}

/// The first line to render for a viewport whose top line is `top_line`.
pub fn window_start(top_line: usize) -> usize {
    top_line.saturating_sub(WINDOW_STEP - 16) / WINDOW_STEP * WINDOW_STEP
}

/// A decorated byte range: a diagnostic's underline or a matched bracket.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct Mark {
    pub start: usize,
    pub end: usize,
    pub class: &'static str,
}

pub fn squiggle_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "squiggle squiggle-error",
        Severity::Warning => "squiggle squiggle-warning",
        Severity::Info => "squiggle squiggle-info",
    }
}

/// Underlines for the diagnostics, most severe last so that it wins.
pub fn diagnostic_marks(text: &str, lexed: &Lexed, diagnostics: &[Diagnostic]) -> Vec<Mark> {
    let mut marks: Vec<(Severity, Mark)> = diagnostics
        .iter()
        .map(|d| {
            let start = lexed.byte_of(text, &d.range.start);
            let end = lexed.byte_of(text, &d.range.end).max(start);
            (
                d.severity,
                Mark {
                    start,
                    end,
                    class: squiggle_class(d.severity),
                },
            )
        })
        .collect();
    ecs_engine::order::sort_by_key(&mut marks, |(severity, _)| std::cmp::Reverse(*severity));
    marks.into_iter().map(|(_, m)| m).collect()
}

/// Renders lines `first..first + WINDOW_LINES` of `text`.
pub fn render_window(text: &str, lexed: &Lexed, first: usize, marks: &[Mark]) -> Html {
    let last = (first + WINDOW_LINES).min(lexed.line_count());
    let first = first.min(last);
    let lines = (first..last).map(|line| render_line(text, lexed, line, marks));
    html! {
        <>
            <svg class="spacer" width="1" height={(first as i32 * LINE_HEIGHT).to_string()} aria-hidden="true" focusable="false"></svg>
            { for lines }
        </>
    }
}

fn render_line(text: &str, lexed: &Lexed, line: usize, marks: &[Mark]) -> Html {
    let (start, end) = lexed.line_range(text, line);
    let tokens = &lexed.tokens;
    let first_token = tokens.partition_point(|t| (t.span.end as usize) <= start);
    let line_tokens = tokens
        .get(first_token..)
        .unwrap_or(&[])
        .iter()
        .take_while(|t| (t.span.start as usize) < end);
    let line_marks: Vec<Mark> = marks
        .iter()
        .filter(|m| {
            m.start < end && m.end > start
                || (m.start == m.end && m.start >= start && m.start < end)
        })
        .map(|m| {
            // An empty range still underlines one character.
            let mut m = *m;
            if m.start == m.end {
                m.end = next_boundary(text, m.start).min(end);
            }
            m
        })
        .collect();

    let mut cuts = vec![start, end];
    for t in line_tokens.clone() {
        cuts.push((t.span.start as usize).clamp(start, end));
        cuts.push((t.span.end as usize).clamp(start, end));
    }
    for m in &line_marks {
        cuts.push(m.start.clamp(start, end));
        cuts.push(m.end.clamp(start, end));
    }
    ecs_engine::order::sort(&mut cuts);
    cuts.dedup();

    let mut pieces: Vec<Html> = Vec::with_capacity(cuts.len());
    let mut token_iter = line_tokens.peekable();
    for pair in cuts.windows(2) {
        let [a, b] = pair else { continue };
        let piece = text.get(*a..*b).unwrap_or("");
        while token_iter
            .peek()
            .is_some_and(|t| (t.span.end as usize) <= *a)
        {
            token_iter.next();
        }
        let token_class = token_iter
            .peek()
            .filter(|t| (t.span.start as usize) <= *a)
            .map(|t| t.kind.as_str());
        let mut classes = Classes::new();
        if let Some(kind) = token_class {
            classes.push(format!("tok-{kind}"));
        }
        // The last applicable mark of each kind wins (the most severe underline).
        let mut covering = line_marks.iter().filter(|m| m.start <= *a && *a < m.end);
        if let Some(m) = covering.clone().rfind(|m| m.class.starts_with("squiggle")) {
            classes.push(m.class);
        }
        if let Some(m) = covering.rfind(|m| !m.class.starts_with("squiggle")) {
            classes.push(m.class);
        }
        if classes.is_empty() {
            pieces.push(html! { { piece } });
        } else {
            pieces.push(html! { <span class={classes}>{ piece }</span> });
        }
    }
    // A problem at the very end of a line (a missing member, a missing
    // comma) gets a visible mark after the last character.
    if let Some(m) = line_marks
        .iter()
        .rfind(|m| m.start == end && m.class.starts_with("squiggle"))
    {
        pieces.push(html! { <span class={classes!(m.class, "squiggle-eol")}>{ " " }</span> });
    }
    html! { <div class="code-line">{ for pieces }</div> }
}

fn next_boundary(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|rest| rest.chars().next())
        .map_or(at, |c| at + c.len_utf8())
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn lines_and_positions_map_to_bytes() {
        let text = "{\n  \"é\": 1\n}";
        let lexed = lex(text);
        assert_eq!(lexed.line_count(), 3);
        assert_eq!(lexed.line_range(text, 1), (2, 11));
        assert_eq!(lexed.line_of(5), 1);
        let one = Position {
            line: 2,
            column: 8,
            offset_utf16: 0,
        };
        assert_eq!(lexed.byte_of(text, &one), text.find('1').unwrap_or(0));
    }

    #[wasm_bindgen_test]
    fn the_window_keeps_the_viewport_inside() {
        for top in [0usize, 10, 47, 48, 63, 64, 500, 3001] {
            let first = window_start(top);
            assert!(first <= top && top + 40 < first + WINDOW_LINES, "top {top}");
        }
    }
}
