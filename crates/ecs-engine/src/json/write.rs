//! JSON text from a `serde_json::Value`, compact or pretty, byte for byte
//! as serde_json writes it except, at most, the spelling of fractions.
//!
//! The engine writes JSON through here rather than through serde_json's
//! serializer because serde_json formats fractions with tables (zmij) that
//! weigh about 25 KB of the web build, while core's float formatting is in
//! the build anyway. Fractions come out in Rust's shortest round-trip form
//! (`0.25`, `1.0`, `1e21`): valid JSON that reads back to the same number.

use serde::Serialize;
use serde_json::Value;

use super::number::number_text;

/// Minified JSON: no whitespace at all.
pub fn compact(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value, None, 0);
    out
}

/// Two-space indented JSON, one member or item per line, `[]` and `{}` for
/// empty containers: serde_json's `to_string_pretty` layout.
pub fn pretty(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value, Some("  "), 0);
    out
}

/// Minified JSON of anything serde can serialise; `None` if it cannot be
/// represented as JSON (a map with non-string keys, say).
pub fn compact_of<T: Serialize + ?Sized>(value: &T) -> Option<String> {
    serde_json::to_value(value).ok().map(|v| compact(&v))
}

/// Pretty JSON of anything serde can serialise; `None` as for [`compact_of`].
pub fn pretty_of<T: Serialize + ?Sized>(value: &T) -> Option<String> {
    serde_json::to_value(value).ok().map(|v| pretty(&v))
}

/// A JSON string literal, quotes included.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    write_string(&mut out, text);
    out
}

fn write_value(out: &mut String, value: &Value, indent: Option<&str>, depth: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => out.push_str(&number_text(n)),
        Value::String(s) => write_string(out, s),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Object(members) if members.is_empty() => out.push_str("{}"),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                separate(out, i, indent, depth + 1);
                write_value(out, item, indent, depth + 1);
            }
            close(out, ']', indent, depth);
        }
        Value::Object(members) => {
            out.push('{');
            for (i, (key, member)) in members.iter().enumerate() {
                separate(out, i, indent, depth + 1);
                write_string(out, key);
                out.push_str(if indent.is_some() { ": " } else { ":" });
                write_value(out, member, indent, depth + 1);
            }
            close(out, '}', indent, depth);
        }
    }
}

/// Before the `index`th item: a comma after the first, then a line break
/// and indentation when pretty.
fn separate(out: &mut String, index: usize, indent: Option<&str>, depth: usize) {
    if index > 0 {
        out.push(',');
    }
    new_line(out, indent, depth);
}

fn close(out: &mut String, bracket: char, indent: Option<&str>, depth: usize) {
    new_line(out, indent, depth);
    out.push(bracket);
}

fn new_line(out: &mut String, indent: Option<&str>, depth: usize) {
    if let Some(unit) = indent {
        out.push('\n');
        for _ in 0..depth {
            out.push_str(unit);
        }
    }
}

fn write_string(out: &mut String, text: &str) {
    // Most strings (names, ARNs, statuses) need no escape: copied whole.
    if !needs_escape(text.as_bytes()) {
        out.push('"');
        out.push_str(text);
        out.push('"');
        return;
    }
    out.push('"');
    let mut start = 0;
    for (i, byte) in text.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0x00..=0x1f => "",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&text[start..]);
    out.push('"');
}

/// Whether any byte of `bytes` is one JSON escapes (a control character,
/// a quote or a backslash), looked at eight bytes at a time: the answers of
/// the hot operations are mostly long ARNs that need none. A chunk that
/// may hold one is rechecked byte by byte, so the answer is exact.
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Some byte of `word` is below `n` (n <= 0x80): subtracting borrows
    // into the high bit of a byte that had it clear.
    let has_below = |word: u64, n: u64| word.wrapping_sub(ONES * n) & !word & HIGH != 0;
    let quotes = ONES * u64::from(b'"');
    let backslashes = ONES * u64::from(b'\\');
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        let maybe = has_below(word, 0x20)
            || has_below(word ^ quotes, 1)
            || has_below(word ^ backslashes, 1);
        if maybe && chunk.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\') {
            return true;
        }
    }
    chunks
        .remainder()
        .iter()
        .any(|&b| b < 0x20 || b == b'"' || b == b'\\')
}

/// Writes one JSON object member by member into `out`, in the forms
/// [`compact`] writes (strings escaped alike, integers exactly, fractions
/// as `{:?}`): an answer written here is byte for byte what `compact` writes
/// for the value with the same members in the same order, without building
/// the value. For the answers of the hot operations (`sim::response`).
pub struct ObjectWriter<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> ObjectWriter<'a> {
    pub fn begin(out: &'a mut String) -> ObjectWriter<'a> {
        out.push('{');
        ObjectWriter { out, empty: true }
    }

    /// The member's name and colon; the caller writes its value into the
    /// returned text (a nested writer, [`ObjectWriter::list`], …).
    pub fn key(&mut self, key: &str) -> &mut String {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        write_string(self.out, key);
        self.out.push(':');
        self.out
    }

    pub fn str(&mut self, key: &str, value: &str) {
        write_string(self.key(key), value);
    }

    pub fn u64(&mut self, key: &str, value: u64) {
        push_display(self.key(key), value);
    }

    pub fn i64(&mut self, key: &str, value: i64) {
        push_display(self.key(key), value);
    }

    /// A fraction, as a `Value` made from an `f64` is written (`null` if it
    /// is not finite, as `json!` makes it).
    pub fn f64(&mut self, key: &str, value: f64) {
        let out = self.key(key);
        if value.is_finite() {
            use std::fmt::Write;
            let _ = write!(out, "{value:?}");
        } else {
            out.push_str("null");
        }
    }

    pub fn bool(&mut self, key: &str, value: bool) {
        self.key(key).push_str(if value { "true" } else { "false" });
    }

    pub fn value(&mut self, key: &str, value: &Value) {
        write_value(self.key(key), value, None, 0);
    }

    /// A list whose items `write` writes, one call per item.
    pub fn list<T>(&mut self, key: &str, items: &[T], write: impl Fn(&mut String, &T)) {
        list(self.key(key), items, write);
    }

    pub fn end(self) {
        self.out.push('}');
    }
}

/// A JSON list whose items `write` writes, one call per item.
pub fn list<T>(out: &mut String, items: &[T], write: impl Fn(&mut String, &T)) {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write(out, item);
    }
    out.push(']');
}

/// Appends a string literal, quotes included, escaped as [`compact`] does.
pub fn push_quoted(out: &mut String, text: &str) {
    write_string(out, text);
}

fn push_display(out: &mut String, value: impl std::fmt::Display) {
    use std::fmt::Write;
    let _ = write!(out, "{value}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Documents whose every number is an integer: the writer must agree with
    /// serde_json byte for byte, compact and pretty.
    #[test]
    fn agrees_with_serde_json_on_integers_strings_and_nesting() {
        let cases = [
            json!(null),
            json!(true),
            json!([]),
            json!({}),
            json!([[], {}, [1, [2, [3]]]]),
            json!({"family": "web", "cpu": "256", "memory": 512, "n": -3, "big": u64::MAX, "small": i64::MIN}),
            json!({"containerDefinitions": [{"name": "a", "portMappings": [{"containerPort": 80}], "environment": []}]}),
            json!("quote \" backslash \\ newline \n tab \t cr \r bell \u{7} nul \u{0} del \u{7f} unit \u{1f} é 😀 </script>"),
            json!({"\u{8}\u{c}": "\u{8}\u{c}"}),
        ];
        for value in cases {
            assert_eq!(
                compact(&value),
                serde_json::to_string(&value).unwrap(),
                "{value:?}"
            );
            assert_eq!(
                pretty(&value),
                serde_json::to_string_pretty(&value).unwrap(),
                "{value:?}"
            );
        }
    }

    /// Every byte that needs an escape is found wherever it sits in a
    /// string, and none is found where there is none.
    #[test]
    fn escapes_are_found_at_every_position() {
        let plain = "arn:aws:ecs:us-east-1:123456789012:task/default/0123456789abcdef~\u{7f}é";
        assert!(!needs_escape(plain.as_bytes()));
        for special in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
            for at in 0..plain.len() {
                let mut bytes = plain.as_bytes().to_vec();
                bytes[at] = special;
                assert!(needs_escape(&bytes), "{special} at {at}");
            }
        }
    }

    /// The member writer writes what `compact` writes for the same value.
    #[test]
    fn the_object_writer_agrees_with_compact() {
        let value = json!({
            "s": "quote \" and \u{1f} and é", "n": 42, "neg": -7, "f": 1767225600.0,
            "g": 0.125, "t": true, "v": {"a": [1, {}]}, "l": ["x", "y"], "e": [],
        });
        let mut out = String::new();
        let mut w = ObjectWriter::begin(&mut out);
        w.str("s", "quote \" and \u{1f} and é");
        w.u64("n", 42);
        w.i64("neg", -7);
        w.f64("f", 1767225600.0);
        w.f64("g", 0.125);
        w.bool("t", true);
        w.value("v", &json!({"a": [1, {}]}));
        w.list("l", &["x", "y"], |out, s| push_quoted(out, s));
        w.list::<&str>("e", &[], |out, s| push_quoted(out, s));
        w.end();
        assert_eq!(out, compact(&value));
    }

    #[test]
    fn serialisable_values_go_through_the_same_writer() {
        #[derive(Serialize)]
        struct Row<'a> {
            name: &'a str,
            weight: f64,
            tags: Vec<&'a str>,
        }
        let row = Row {
            name: "x",
            weight: 0.5,
            tags: vec!["a"],
        };
        assert_eq!(
            compact_of(&row).unwrap(),
            r#"{"name":"x","weight":0.5,"tags":["a"]}"#
        );
        assert_eq!(
            pretty_of(&row).unwrap(),
            "{\n  \"name\": \"x\",\n  \"weight\": 0.5,\n  \"tags\": [\n    \"a\"\n  ]\n}"
        );
        assert_eq!(quoted("a\"b"), r#""a\"b""#);
        assert_eq!(compact(&json!([0.25, 1.0])), "[0.25,1.0]");
    }
}
