//! A forgiving JSON lexer for the editor: highlight tokens with byte spans.
//!
//! Unlike the parser it never stops: text that is not JSON becomes `Invalid`
//! tokens and lexing carries on, so half-typed documents still highlight.
//! Strings that are object keys are told apart from string values, which the
//! editor colours differently and completion relies on.

use crate::text::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// `{` or `[`.
    Open,
    /// `}` or `]`.
    Close,
    Colon,
    Comma,
    /// A string in key position of an object (unterminated ones included).
    Key,
    String,
    Number,
    /// `true`, `false` or `null`.
    Literal,
    /// Anything else that is not whitespace.
    Invalid,
}

impl TokenKind {
    /// The CSS class suffix the editor uses for this kind.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::Open | TokenKind::Close => "bracket",
            TokenKind::Colon | TokenKind::Comma => "punct",
            TokenKind::Key => "key",
            TokenKind::String => "string",
            TokenKind::Number => "number",
            TokenKind::Literal => "literal",
            TokenKind::Invalid => "invalid",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

/// Where the lexer is inside a container: what a string there would be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Key,
    Value,
}

/// Splits `text` into tokens, in order, never overlapping. Whitespace is not
/// a token. Never panics and always terminates.
pub fn tokenize(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::with_capacity(text.len() / 4);
    // One entry per open container: `Some(expect)` for objects, `None` for arrays.
    let mut stack: Vec<Option<Expect>> = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let start = i;
        let kind = match b {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'{' | b'[' => {
                stack.push((b == b'{').then_some(Expect::Key));
                i += 1;
                TokenKind::Open
            }
            b'}' | b']' => {
                stack.pop();
                i += 1;
                TokenKind::Close
            }
            b':' => {
                if let Some(Some(expect)) = stack.last_mut() {
                    *expect = Expect::Value;
                }
                i += 1;
                TokenKind::Colon
            }
            b',' => {
                if let Some(Some(expect)) = stack.last_mut() {
                    *expect = Expect::Key;
                }
                i += 1;
                TokenKind::Comma
            }
            b'"' => {
                i = string_end(bytes, i);
                match stack.last() {
                    Some(Some(Expect::Key)) => TokenKind::Key,
                    _ => TokenKind::String,
                }
            }
            _ => {
                i = word_end(bytes, i);
                classify_word(text.get(start..i).unwrap_or(""))
            }
        };
        tokens.push(Token {
            kind,
            span: Span::new(start, i),
        });
    }
    tokens
}

/// The end of the string starting at the quote at `start`: after the closing
/// quote, or at the end of the line for an unterminated string (JSON strings
/// cannot hold a raw newline).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return i + 1,
            b'\n' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The end of a run of characters that is neither whitespace, structure nor a
/// quote. Multi-byte characters are never split: their bytes are all >= 0x80.
fn word_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while let Some(&b) = bytes.get(i) {
        if matches!(
            b,
            b' ' | b'\t' | b'\n' | b'\r' | b'{' | b'}' | b'[' | b']' | b':' | b',' | b'"'
        ) {
            break;
        }
        i += 1;
    }
    i.min(bytes.len())
}

fn classify_word(word: &str) -> TokenKind {
    match word {
        "true" | "false" | "null" => TokenKind::Literal,
        _ if is_json_number(word) => TokenKind::Number,
        _ => TokenKind::Invalid,
    }
}

/// JSON's number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
fn is_json_number(word: &str) -> bool {
    let b = word.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let from = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - from
    };
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(&mut i);
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// The bracket next to the caret at byte `offset` and the one that matches
/// it, as `(open, close)`. The bracket just after the caret wins over the one
/// just before it. `None` when there is no bracket at the caret, when it is
/// unbalanced, or when the pair does not match (`{` closed by `]`).
pub fn matching_bracket(text: &str, tokens: &[Token], offset: usize) -> Option<(Span, Span)> {
    let at = |i: usize| {
        tokens
            .get(i)
            .filter(|t| matches!(t.kind, TokenKind::Open | TokenKind::Close))
    };
    let after = tokens.partition_point(|t| (t.span.start as usize) < offset);
    let index = [Some(after), after.checked_sub(1)]
        .into_iter()
        .flatten()
        .find(|&i| {
            at(i).is_some_and(|t| t.span.start as usize == offset || t.span.end as usize == offset)
        })?;
    let bracket = at(index)?;
    let mut depth = 0usize;
    let partner = if bracket.kind == TokenKind::Open {
        tokens
            .get(index + 1..)?
            .iter()
            .find(|t| depth_step(t.kind, &mut depth, TokenKind::Open, TokenKind::Close))?
    } else {
        tokens
            .get(..index)?
            .iter()
            .rev()
            .find(|t| depth_step(t.kind, &mut depth, TokenKind::Close, TokenKind::Open))?
    };
    let (open, close) = if bracket.kind == TokenKind::Open {
        (bracket.span, partner.span)
    } else {
        (partner.span, bracket.span)
    };
    let pair = (
        text.as_bytes().get(open.start as usize)?,
        text.as_bytes().get(close.start as usize)?,
    );
    matches!(pair, (b'{', b'}') | (b'[', b']')).then_some((open, close))
}

/// Counts nesting while scanning away from a bracket; true at its partner.
fn depth_step(kind: TokenKind, depth: &mut usize, deeper: TokenKind, shallower: TokenKind) -> bool {
    if kind == deeper {
        *depth += 1;
    } else if kind == shallower {
        if *depth == 0 {
            return true;
        }
        *depth -= 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tokens as (kind, text) pairs, which read well in expectations.
    fn lex(text: &str) -> Vec<(TokenKind, &str)> {
        tokenize(text)
            .into_iter()
            .map(|t| (t.kind, &text[t.span.start as usize..t.span.end as usize]))
            .collect()
    }

    use TokenKind::*;

    #[test]
    fn tokens_of_documents_valid_and_not() {
        let cases: &[(&str, &[(TokenKind, &str)])] = &[
            (
                r#"{"a": [1, -2.5e3, true, null], "b": "x"}"#,
                &[
                    (Open, "{"),
                    (Key, r#""a""#),
                    (Colon, ":"),
                    (Open, "["),
                    (Number, "1"),
                    (Comma, ","),
                    (Number, "-2.5e3"),
                    (Comma, ","),
                    (Literal, "true"),
                    (Comma, ","),
                    (Literal, "null"),
                    (Close, "]"),
                    (Comma, ","),
                    (Key, r#""b""#),
                    (Colon, ":"),
                    (String, r#""x""#),
                    (Close, "}"),
                ],
            ),
            // A string with escaped quotes stays one token.
            (
                r#"["a\"b"]"#,
                &[(Open, "["), (String, r#""a\"b""#), (Close, "]")],
            ),
            // Unterminated strings stop at the end of the line.
            ("{\"fam\n}", &[(Open, "{"), (Key, "\"fam"), (Close, "}")]),
            // Words that are not JSON are invalid, and lexing carries on.
            (
                "{x: 01, \"k\": True}",
                &[
                    (Open, "{"),
                    (Invalid, "x"),
                    (Colon, ":"),
                    (Invalid, "01"),
                    (Comma, ","),
                    (Key, "\"k\""),
                    (Colon, ":"),
                    (Invalid, "True"),
                    (Close, "}"),
                ],
            ),
            // Stray closers and multi-byte text do not upset it.
            ("]} é", &[(Close, "]"), (Close, "}"), (Invalid, "é")]),
            ("\"é", &[(String, "\"é")]),
            ("\"ab\\", &[(String, "\"ab\\")]),
            ("", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(lex(text), expected.to_vec(), "lexing {text:?}");
        }
    }

    #[test]
    fn tokens_cover_every_non_space_byte_in_order() {
        let text = crate::examples::DEFAULT_TASK_DEFINITION;
        let tokens = tokenize(text);
        let mut covered = 0;
        for t in &tokens {
            assert!(t.span.start as usize >= covered);
            assert!(text[covered..t.span.start as usize].trim().is_empty());
            covered = t.span.end as usize;
        }
        assert!(text[covered..].trim().is_empty());
        assert!(tokens.iter().all(|t| t.kind != Invalid));
    }

    #[test]
    fn bracket_matches_at_the_caret() {
        // `|` marks the caret; the expectation names the pair's byte offsets.
        let cases: &[(&str, Option<(u32, u32)>)] = &[
            ("|{\"a\": [1]}", Some((0, 9))),
            ("{|\"a\": [1]}", Some((0, 9))),
            ("{\"a\": |[1]}", Some((6, 8))),
            ("{\"a\": [1]|}", Some((0, 9))),
            ("{\"a\": [1|]}", Some((6, 8))),
            ("{\"a\": \"[\"|}", Some((0, 9))),
            ("{\"a|\": 1}", None),
            ("|{\"a\": 1", None),
            ("|{]", None),
            ("]|", None),
        ];
        for (marked, expected) in cases {
            let caret = marked.find('|').unwrap();
            let text = marked.replacen('|', "", 1);
            let tokens = tokenize(&text);
            let found = matching_bracket(&text, &tokens, caret).map(|(o, c)| (o.start, c.start));
            assert_eq!(found, *expected, "caret in {marked:?}");
        }
    }

    #[test]
    fn lexing_arbitrary_bytes_never_panics() {
        let samples = [
            "\u{0}\"\\",
            "{{{{[[[",
            "\"\\u12",
            "-",
            "1e",
            "1.",
            "é\"é\"é",
            "{\"a\":}",
        ];
        for s in samples {
            let tokens = tokenize(s);
            for t in &tokens {
                assert!(s.is_char_boundary(t.span.start as usize));
                assert!(s.is_char_boundary(t.span.end as usize));
            }
            for caret in 0..=s.len() {
                let _ = matching_bracket(s, &tokens, caret);
            }
        }
    }
}
