//! JSON written as Python's `json.dumps` writes it, which is what the AWS CLI
//! does twice: the request body botocore sends (`json.dumps(body)`: `", "` and
//! `": "` separators, non-ASCII escaped) and what `aws --output json` prints
//! (`json.dump(response, indent=4, ensure_ascii=False)` and a newline).

use serde_json::{Number, Value};

/// The request body botocore sends for `value`.
pub fn request_body(value: &Value) -> String {
    let mut out = String::new();
    write(&mut out, value, None, 0, true);
    out
}

/// What `aws --output json` prints for a response: nothing at all for an
/// empty object (the CLI prints nothing then), otherwise the JSON with four
/// spaces of indent and a final newline.
pub fn print_json(response: &Value) -> String {
    if response.as_object().is_some_and(|m| m.is_empty()) {
        return String::new();
    }
    let mut out = String::new();
    write(&mut out, response, Some(4), 0, false);
    out.push('\n');
    out
}

/// What the CLI prints when ECS answers with an error.
pub fn print_error(operation: &str, code: &str, message: &str) -> String {
    format!("\nAn error occurred ({code}) when calling the {operation} operation: {message}\n")
}

fn write(out: &mut String, value: &Value, indent: Option<usize>, depth: usize, ascii: bool) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&python_number(n)),
        Value::String(s) => write_string(out, s, ascii),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Object(members) if members.is_empty() => out.push_str("{}"),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                separate(out, i, indent, depth + 1);
                write(out, item, indent, depth + 1, ascii);
            }
            close(out, indent, depth);
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, (key, item)) in members.iter().enumerate() {
                separate(out, i, indent, depth + 1);
                write_string(out, key, ascii);
                out.push_str(": ");
                write(out, item, indent, depth + 1, ascii);
            }
            close(out, indent, depth);
            out.push('}');
        }
    }
}

fn separate(out: &mut String, index: usize, indent: Option<usize>, depth: usize) {
    match indent {
        Some(width) => {
            if index > 0 {
                out.push(',');
            }
            out.push('\n');
            out.push_str(&" ".repeat(width * depth));
        }
        None if index > 0 => out.push_str(", "),
        None => {}
    }
}

fn close(out: &mut String, indent: Option<usize>, depth: usize) {
    if let Some(width) = indent {
        out.push('\n');
        out.push_str(&" ".repeat(width * depth));
    }
}

fn write_string(out: &mut String, text: &str, ascii: bool) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (ascii && (c as u32) > 0x7f) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A number as Python prints it: integers exactly; floats by `repr`, the
/// shortest digits that read back, in positional form when the decimal
/// exponent is between -4 and 16 and as `1e-05` / `1e+16` otherwise.
pub fn python_number(n: &Number) -> String {
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    python_float(n.as_f64().unwrap_or(0.0))
}

pub fn python_float(x: f64) -> String {
    if x.is_nan() {
        return "NaN".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.to_string();
    }
    // Rust's `{:e}` gives the same shortest round-trip digits as Python's repr.
    let sci = format!("{:e}", x.abs());
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if x.is_sign_negative() { "-" } else { "" };
    let point = exponent + 1; // digits are 0.d1d2… × 10^point
    if x == 0.0 {
        return format!("{sign}0.0");
    }
    if (-4 < point) && (point <= 16) {
        let len = digits.len() as i32;
        if point <= 0 {
            let zeros = "0".repeat((-point) as usize);
            format!("{sign}0.{zeros}{digits}")
        } else if point >= len {
            let zeros = "0".repeat((point - len) as usize);
            format!("{sign}{digits}{zeros}.0")
        } else {
            let (whole, fraction) = digits.split_at(point as usize);
            format!("{sign}{whole}.{fraction}")
        }
    } else {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        let fraction = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        format!("{sign}{first}{fraction}e{exp_sign}{:02}", exponent.abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn floats_print_as_python_repr() {
        let cases = [
            (1.0, "1.0"),
            (0.5, "0.5"),
            (-2.25, "-2.25"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (123456789.125, "123456789.125"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5e-7, "1.5e-07"),
            (1700000000.123, "1700000000.123"),
            (0.0, "0.0"),
            (1.2345e20, "1.2345e+20"),
        ];
        for (x, want) in cases {
            assert_eq!(python_float(x), want, "{x}");
        }
    }

    #[test]
    fn bodies_are_json_dumps_and_output_is_indented_by_four() {
        let value = json!({"a": [1, 2.5, "é\n"], "b": {}, "c": [], "d": {"e": true, "f": null}});
        assert_eq!(
            request_body(&value),
            r#"{"a": [1, 2.5, "\u00e9\n"], "b": {}, "c": [], "d": {"e": true, "f": null}}"#
        );
        assert_eq!(
            print_json(&value),
            "{\n    \"a\": [\n        1,\n        2.5,\n        \"é\\n\"\n    ],\n    \"b\": {},\n    \"c\": [],\n    \"d\": {\n        \"e\": true,\n        \"f\": null\n    }\n}\n"
        );
        assert_eq!(print_json(&json!({})), "");
        assert_eq!(
            request_body(&json!({"s": "😀"})),
            r#"{"s": "\ud83d\ude00"}"#
        );
    }
}
