//! A JSON parser that keeps every value's position.
//!
//! serde_json reports where a syntax error is, but forgets where values are
//! once parsing succeeds; diagnostics need both. This parser is strict RFC 8259
//! JSON, never panics, never recurses deeper than [`MAX_DEPTH`], and stops at the
//! first syntax error with a message a person can act on.

use super::node::{Member, Node, NodeKind};
use crate::text::Span;

/// Deeper nesting than this is refused. Real ECS documents nest about 8 deep.
pub const MAX_DEPTH: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub span: Span,
}

pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    let mut parser = Parser {
        bytes: text.as_bytes(),
        text,
        pos: 0,
        depth: 0,
        members: Vec::new(),
        items: Vec::new(),
    };
    parser.skip_whitespace()?;
    if parser.pos >= parser.bytes.len() {
        return Err(parser.error_here("the document is empty: expected a JSON value"));
    }
    let node = parser.value()?;
    parser.skip_whitespace()?;
    if parser.pos < parser.bytes.len() {
        return Err(parser.error_at(
            parser.pos,
            "unexpected text after the end of the JSON value (is a comma or bracket missing?)",
        ));
    }
    Ok(node)
}

struct Parser<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    depth: usize,
    /// Members and items of the objects and arrays being read, innermost
    /// last: each is moved into a vector of its final size once closed,
    /// rather than growing one vector per object or array.
    members: Vec<Member>,
    items: Vec<Node>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn error_at(&self, pos: usize, message: impl Into<String>) -> SyntaxError {
        let end = next_char_end(self.text, pos);
        SyntaxError {
            message: message.into(),
            span: Span::new(pos, end),
        }
    }

    fn error_here(&self, message: impl Into<String>) -> SyntaxError {
        self.error_at(self.pos, message)
    }

    fn skip_whitespace(&mut self) -> Result<(), SyntaxError> {
        // Indentation comes in runs of spaces: skip them eight at a time.
        while word_at(self.bytes, self.pos) == Some(u64::from_le_bytes([b' '; 8])) {
            self.pos += 8;
        }
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\n' | b'\r' => self.pos += 1,
                b'/' if matches!(self.bytes.get(self.pos + 1), Some(b'/' | b'*')) => {
                    return Err(self.error_here("comments are not allowed in JSON"));
                }
                _ => break,
            }
        }
        Ok(())
    }

    fn value(&mut self) -> Result<Node, SyntaxError> {
        match self.peek() {
            Some(b'{') => self.nested(Self::object),
            Some(b'[') => self.nested(Self::array),
            Some(b'"') => {
                let (s, span) = self.string()?;
                Ok(Node {
                    span,
                    kind: NodeKind::String(s),
                })
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal("true", NodeKind::Bool(true)),
            Some(b'f') => self.literal("false", NodeKind::Bool(false)),
            Some(b'n') => self.literal("null", NodeKind::Null),
            Some(b'\'') => {
                Err(self.error_here("strings must use double quotes, not single quotes"))
            }
            Some(b'}' | b']') => {
                Err(self.error_here("expected a value before this closing bracket"))
            }
            Some(b',') => Err(self.error_here("expected a value before this comma")),
            Some(_) => Err(self.error_here(format!(
                "expected a JSON value, found `{}`",
                self.char_at(self.pos)
            ))),
            None => Err(self.error_here("unexpected end of input: expected a value")),
        }
    }

    fn char_at(&self, pos: usize) -> String {
        let end = next_char_end(self.text, pos);
        self.text.get(pos..end).unwrap_or("?").to_string()
    }

    fn nested(
        &mut self,
        parse: fn(&mut Self) -> Result<Node, SyntaxError>,
    ) -> Result<Node, SyntaxError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error_here(format!(
                "the document nests deeper than {MAX_DEPTH} levels; no ECS document does"
            )));
        }
        self.depth += 1;
        let result = parse(self);
        self.depth -= 1;
        result
    }

    fn object(&mut self) -> Result<Node, SyntaxError> {
        let start = self.pos;
        self.pos += 1; // `{`
        let first = self.members.len();
        self.skip_whitespace()?;
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Node {
                span: Span::new(start, self.pos),
                kind: NodeKind::Object(Vec::new()),
            });
        }
        loop {
            self.skip_whitespace()?;
            match self.peek() {
                Some(b'"') => {}
                Some(b'}') => {
                    return Err(self.error_here("trailing comma: remove the comma before `}`"));
                }
                Some(b'\'') => {
                    return Err(
                        self.error_here("object keys must use double quotes, not single quotes")
                    );
                }
                None => {
                    return Err(
                        self.error_at(start, "unexpected end of input: this `{` is never closed")
                    );
                }
                Some(_) => {
                    return Err(self.error_here("expected a quoted object key, like \"name\""));
                }
            }
            let (key, key_span) = self.string()?;
            self.skip_whitespace()?;
            match self.peek() {
                Some(b':') => self.pos += 1,
                None => {
                    return Err(
                        self.error_here("unexpected end of input: expected `:` after the key")
                    );
                }
                Some(_) => {
                    return Err(self.error_here(format!("expected `:` after the key \"{key}\"")))
                }
            }
            self.skip_whitespace()?;
            let value = self.value()?;
            self.members.push(Member {
                key,
                key_span,
                value,
            });
            self.skip_whitespace()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    let members = self.members.drain(first..).collect();
                    return Ok(Node {
                        span: Span::new(start, self.pos),
                        kind: NodeKind::Object(members),
                    });
                }
                None => {
                    return Err(
                        self.error_at(start, "unexpected end of input: this `{` is never closed")
                    );
                }
                Some(b'"') => {
                    return Err(self.error_here("expected `,` between object members"));
                }
                Some(_) => {
                    return Err(self.error_here("expected `,` or `}` after the object member"));
                }
            }
        }
    }

    fn array(&mut self) -> Result<Node, SyntaxError> {
        let start = self.pos;
        self.pos += 1; // `[`
        let first = self.items.len();
        self.skip_whitespace()?;
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Node {
                span: Span::new(start, self.pos),
                kind: NodeKind::Array(Vec::new()),
            });
        }
        loop {
            self.skip_whitespace()?;
            if self.peek() == Some(b']') {
                return Err(self.error_here("trailing comma: remove the comma before `]`"));
            }
            if self.peek().is_none() {
                return Err(
                    self.error_at(start, "unexpected end of input: this `[` is never closed")
                );
            }
            let item = self.value()?;
            self.items.push(item);
            self.skip_whitespace()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    let items = self.items.drain(first..).collect();
                    return Ok(Node {
                        span: Span::new(start, self.pos),
                        kind: NodeKind::Array(items),
                    });
                }
                None => {
                    return Err(
                        self.error_at(start, "unexpected end of input: this `[` is never closed")
                    );
                }
                Some(_) => return Err(self.error_here("expected `,` or `]` after the array item")),
            }
        }
    }

    fn literal(&mut self, word: &str, kind: NodeKind) -> Result<Node, SyntaxError> {
        let start = self.pos;
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(Node {
                span: Span::new(start, self.pos),
                kind,
            })
        } else {
            let end = self.bytes[start..]
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .map_or(self.bytes.len(), |n| start + n);
            let found = self.text.get(start..end).unwrap_or("");
            Err(SyntaxError {
                message: format!("unknown word `{found}`: expected true, false, null, a number, a string, an object or an array"),
                span: Span::new(start, end.max(start + 1)),
            })
        }
    }

    fn number(&mut self) -> Result<Node, SyntaxError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    return Err(self.error_at(start, "numbers must not have leading zeros"));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error_here("expected a digit in the number")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error_here("expected a digit after the decimal point"));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error_here("expected a digit in the exponent"));
            }
            self.digits();
        }
        let raw = self.text.get(start..self.pos).unwrap_or("0").to_string();
        Ok(Node {
            span: Span::new(start, self.pos),
            kind: NodeKind::Number(raw),
        })
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    fn string(&mut self) -> Result<(String, Span), SyntaxError> {
        let start = self.pos;
        self.pos += 1; // opening quote
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            self.pos = plain_run_end(self.bytes, self.pos);
            out.push_str(self.text.get(run_start..self.pos).unwrap_or(""));
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok((out, Span::new(start, self.pos)));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.escape(&mut out)?;
                }
                Some(b'\n') => {
                    return Err(self.error_at(
                        start,
                        "this string is not closed before the end of the line",
                    ));
                }
                Some(_) => {
                    return Err(self.error_here(
                        "control characters must be escaped inside strings (use \\t, \\n, …)",
                    ));
                }
                None => {
                    return Err(self.error_at(
                        start,
                        "unexpected end of input: this string is never closed",
                    ));
                }
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), SyntaxError> {
        let escape_start = self.pos - 1;
        let Some(b) = self.peek() else {
            return Err(self.error_at(
                escape_start,
                "unexpected end of input in an escape sequence",
            ));
        };
        self.pos += 1;
        let c = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex4(escape_start)?;
                if (0xD800..0xDC00).contains(&first) {
                    // A high surrogate must be followed by `\uDC00`..`\uDFFF`.
                    if self.bytes.get(self.pos) == Some(&b'\\')
                        && self.bytes.get(self.pos + 1) == Some(&b'u')
                    {
                        self.pos += 2;
                        let second = self.hex4(escape_start)?;
                        if (0xDC00..0xE000).contains(&second) {
                            let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                            char::from_u32(code).unwrap_or('\u{FFFD}')
                        } else {
                            return Err(self.error_at(
                                escape_start,
                                "invalid UTF-16 surrogate pair in \\u escape",
                            ));
                        }
                    } else {
                        return Err(
                            self.error_at(escape_start, "lone UTF-16 surrogate in \\u escape")
                        );
                    }
                } else if (0xDC00..0xE000).contains(&first) {
                    return Err(self.error_at(escape_start, "lone UTF-16 surrogate in \\u escape"));
                } else {
                    char::from_u32(first).unwrap_or('\u{FFFD}')
                }
            }
            _ => {
                return Err(SyntaxError {
                    message: format!(
                        "invalid escape `\\{}` (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)",
                        self.char_at(self.pos - 1)
                    ),
                    span: Span::new(escape_start, next_char_end(self.text, self.pos - 1)),
                });
            }
        };
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self, escape_start: usize) -> Result<u32, SyntaxError> {
        let digits = self.bytes.get(self.pos..self.pos + 4);
        let value = digits
            .and_then(|d| std::str::from_utf8(d).ok())
            .filter(|s| s.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|s| u32::from_str_radix(s, 16).ok());
        match value {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => Err(self.error_at(escape_start, "\\u must be followed by four hex digits")),
        }
    }
}

/// The eight bytes at `at` as one little-endian word, if there are eight.
fn word_at(bytes: &[u8], at: usize) -> Option<u64> {
    let chunk = bytes.get(at..at.checked_add(8)?)?;
    <[u8; 8]>::try_from(chunk).ok().map(u64::from_le_bytes)
}

/// Where the run of plain string bytes from `from` ends: at the first `"`,
/// `\` or control character, or at the end of the text.
fn plain_run_end(bytes: &[u8], from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    // Eight bytes at a time while none is special: `(w - ONES * n) & !w`
    // has a high bit set in some byte exactly when some byte of w is below n
    // (n ≤ 0x80), and a byte equals c when it is zero in `w ^ ONES * c`.
    let below = |w: u64, n: u8| w.wrapping_sub(ONES * u64::from(n)) & !w & HIGH_BITS;
    let mut at = from;
    while let Some(word) = word_at(bytes, at) {
        let special = below(word, 0x20)
            | below(word ^ (ONES * u64::from(b'"')), 1)
            | below(word ^ (ONES * u64::from(b'\\')), 1);
        if special != 0 {
            break;
        }
        at += 8;
    }
    while let Some(&b) = bytes.get(at) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            break;
        }
        at += 1;
    }
    at
}

/// The byte offset just past the character starting at `pos` (at least `pos + 1`
/// so that an error always underlines something, even at the end of the text).
fn next_char_end(text: &str, pos: usize) -> usize {
    if pos >= text.len() {
        return pos + 1;
    }
    let mut end = pos + 1;
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> (String, usize) {
        let e = parse(text).expect_err("should not parse");
        (e.message, e.span.start as usize)
    }

    #[test]
    fn parses_values_with_spans() {
        let text = r#"{"a": [1, -2.5e3, true, null, "x\u00e9\ud83d\ude00"]}"#;
        let node = parse(text).unwrap();
        let a = node.get("a").unwrap();
        let items = a.items();
        assert_eq!(items.len(), 5);
        assert_eq!(
            &text[items[1].span.start as usize..items[1].span.end as usize],
            "-2.5e3"
        );
        assert_eq!(items[4].as_str(), Some("xé😀"));
    }

    #[test]
    fn syntax_errors_point_at_the_problem() {
        let cases: &[(&str, &str, usize)] = &[
            ("{\"a\": 1,}", "trailing comma", 8),
            ("{\"a\" 1}", "expected `:`", 5),
            ("{\"a\": 1 \"b\": 2}", "expected `,` between", 8),
            ("[1 2]", "expected `,` or `]`", 3),
            ("{'a': 1}", "double quotes", 1),
            ("{\"a\": tru}", "unknown word `tru`", 6),
            ("{\"a\": 01}", "leading zeros", 6),
            ("// hi\n{}", "comments", 0),
            ("{} x", "unexpected text after", 3),
            ("", "empty", 0),
            ("{\"a\": \"b", "never closed", 6),
            ("{\"a\": [1,", "never closed", 6),
            ("{\"a\": \"\\q\"}", "invalid escape", 7),
        ];
        for (text, message, at) in cases {
            let (got, pos) = error(text);
            assert!(got.contains(message), "{text:?}: {got:?} lacks {message:?}");
            assert_eq!(pos, *at, "{text:?}: wrong position for {got:?}");
        }
    }

    #[test]
    fn depth_is_limited_without_overflowing_the_stack() {
        let deep = "[".repeat(100_000);
        let (message, _) = error(&deep);
        assert!(message.contains("deeper than"));
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
    }

    /// Plain runs are scanned eight bytes at a time: a quote, backslash or
    /// control character must be found at every position of a word.
    #[test]
    fn special_bytes_end_a_run_wherever_they_fall() {
        for padding in 0..20 {
            let plain: String = "aé✓ b".chars().cycle().take(padding).collect();
            let escaped = format!(
                r#"["{plain}\"{plain}\\{plain}", {}"x"]"#,
                " ".repeat(padding)
            );
            let node = parse(&escaped).unwrap();
            let expected = format!("{plain}\"{plain}\\{plain}");
            assert_eq!(node.items()[0].as_str(), Some(expected.as_str()));
            assert_eq!(node.items()[1].as_str(), Some("x"));
            let control = format!("\"{plain}\u{1}\"");
            let (message, at) = error(&control);
            assert!(message.contains("control characters"), "{message}");
            assert_eq!(at, 1 + plain.len());
            let open = format!("\"{plain}");
            assert!(error(&open).0.contains("never closed"));
            let comment = format!("{}// no", " ".repeat(padding));
            assert!(error(&comment).0.contains("comments"));
        }
    }

    #[test]
    fn nested_members_and_items_stay_with_their_parents() {
        let node =
            parse(r#"{"a": [1, [2, 3], {"b": [4], "c": {}}], "d": [], "e": {"f": 5}}"#).unwrap();
        assert_eq!(
            node.to_value(),
            serde_json::json!({"a": [1, [2, 3], {"b": [4], "c": {}}], "d": [], "e": {"f": 5}})
        );
    }

    #[test]
    fn numbers_keep_their_text() {
        let node = parse("12345678901234567890").unwrap();
        assert_eq!(node.kind, NodeKind::Number("12345678901234567890".into()));
    }
}
