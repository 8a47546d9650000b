//! The task definition's size quota: 64 KiB (ecs-semantics A6).

use super::Context;
use crate::check::{Rule, Sink};
use crate::diagnostic::Severity;
use std::collections::HashMap;

use crate::json::{Member, Node, NodeKind};

/// "Task definition size: 64 KiB, not adjustable" (ecs-semantics A6).
pub const MAX_TASK_DEFINITION_BYTES: usize = 64 * 1024;

/// Fields of a described task definition that AWS fills in itself; they are
/// not part of what is registered, so they do not count toward the quota.
const READ_ONLY_FIELDS: &[&str] = &[
    "taskDefinitionArn",
    "revision",
    "status",
    "requiresAttributes",
    "compatibilities",
    "registeredAt",
    "registeredBy",
    "deregisteredAt",
];

pub const TASK_DEFINITION_TOO_LARGE: Rule = Rule {
    code: "task-definition-too-large",
    severity: Severity::Error,
    summary: "The task definition, written as minified JSON, is at most 64 KiB.",
    covers: &[],
    exception: Some("ClientException"),
};

pub fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(task_def) = &context.task_def else {
        return;
    };
    let size = minified_register_size(task_def.node);
    if size <= MAX_TASK_DEFINITION_BYTES {
        return;
    }
    let span = task_def.key_span.unwrap_or(crate::text::Span::new(
        task_def.node.span.start as usize,
        task_def.node.span.start as usize + 1,
    ));
    sink.report(
        &TASK_DEFINITION_TOO_LARGE,
        task_def.path.clone(),
        span,
        format!("Actual length: '{size}'. Max allowed length is '{MAX_TASK_DEFINITION_BYTES}' bytes: the task definition is larger than the 64 KiB quota once minified"),
    );
}

/// The byte length of the register input as minified JSON: what
/// [`crate::json::write::compact`] of [`Node::to_value`] would write, without read-only
/// fields, counted without building either (they cost more than every other
/// rule together on a 64 KiB document).
pub fn minified_register_size(task_def: &Node) -> usize {
    match &task_def.kind {
        NodeKind::Object(members) => object_len(members, READ_ONLY_FIELDS),
        _ => minified_len(task_def),
    }
}

fn minified_len(node: &Node) -> usize {
    match &node.kind {
        NodeKind::Null => "null".len(),
        NodeKind::Bool(true) => "true".len(),
        NodeKind::Bool(false) => "false".len(),
        NodeKind::Number(raw) => number_len(raw),
        NodeKind::String(text) => string_len(text),
        NodeKind::Array(items) => {
            let commas = items.len().saturating_sub(1);
            2 + commas + items.iter().map(minified_len).sum::<usize>()
        }
        NodeKind::Object(members) => object_len(members, &[]),
    }
}

/// An object as a map: of duplicate keys the last value is kept (in the
/// first one's place, which does not change the length); `left_out` keys are dropped.
fn object_len(members: &[Member], left_out: &[&str]) -> usize {
    // Objects of ECS's size (ContainerDefinition has about 50 members) are
    // searched; larger ones (hostile input) get a map.
    let last_index: Option<HashMap<&str, usize>> = (members.len() > 64).then(|| {
        members
            .iter()
            .enumerate()
            .map(|(i, m)| (m.key.as_str(), i))
            .collect()
    });
    let is_last = |i: usize, key: &str| match &last_index {
        Some(map) => map.get(key) == Some(&i),
        None => !members.iter().skip(i + 1).any(|m| m.key == key),
    };
    let mut len = 2;
    let mut kept: usize = 0;
    for (i, member) in members.iter().enumerate() {
        if left_out.contains(&member.key.as_str()) || !is_last(i, &member.key) {
            continue;
        }
        len += string_len(&member.key) + 1 + minified_len(&member.value);
        kept += 1;
    }
    len + kept.saturating_sub(1)
}

/// A number as the JSON writer writes it back. Integers that fit 64 bits are
/// written as they were (JSON allows no leading zeros or plus sign); other
/// numbers go through the writer itself, and text serde_json does not read as a
/// number stays a string, as in [`Node::to_value`].
fn number_len(raw: &str) -> usize {
    let digits = raw.strip_prefix('-').unwrap_or(raw);
    let plain_integer = !digits.is_empty()
        && digits.len() <= 18
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
        && raw != "-0";
    if plain_integer {
        return raw.len();
    }
    match raw.parse::<serde_json::Number>() {
        Ok(number) => crate::json::number::number_text(&number).len(),
        Err(_) => string_len(raw),
    }
}

/// A string literal as the JSON writer (and serde_json) escapes it: quotes, backslashes and
/// control characters only; everything else is written as UTF-8.
fn string_len(text: &str) -> usize {
    // A branch-free count first: almost no string needs escaping.
    let escaped = text
        .bytes()
        .map(|b| usize::from(b < 0x20 || b == b'"' || b == b'\\'))
        .sum::<usize>();
    if escaped == 0 {
        return text.len() + 2;
    }
    2 + text
        .bytes()
        .map(|b| match b {
            b'"' | b'\\' | 0x08 | 0x0c | b'\n' | b'\r' | b'\t' => 2,
            0x00..=0x1f => 6,
            _ => 1,
        })
        .sum::<usize>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_size_is_that_of_the_minified_register_input() {
        let node = crate::json::parse("{ \"family\" : \"a\",\n  \"revision\": 3 }").unwrap();
        assert_eq!(minified_register_size(&node), r#"{"family":"a"}"#.len());
    }

    /// What the size used to be computed as: the whole document written out.
    fn written_out(task_def: &Node) -> usize {
        let mut value = task_def.to_value();
        if let serde_json::Value::Object(map) = &mut value {
            for field in READ_ONLY_FIELDS {
                map.remove(*field);
            }
        }
        crate::json::write::compact(&value).len()
    }

    #[test]
    fn the_size_is_counted_exactly_as_the_writer_writes_it() {
        let many_duplicates: String = (0..40)
            .map(|i| format!("\"k{}\": [{i}, {{}}], ", i % 7))
            .collect();
        let documents = [
            r#"{"family": "a", "revision": 1, "revision": 2, "status": null}"#.to_string(),
            r#"{"a": "quote \" backslash \\ tab \t nl \n cr \r bs \b ff \f nul \u0000 del \u007f é ✓ 😀"}"#.to_string(),
            r#"{"n": [0, -0, 7, -12, 1.0, 1e3, 1E+2, -1.5e-7, 0.1, 123456789012345678, 12345678901234567890, 99999999999999999999, -9223372036854775808]}"#.to_string(),
            r#"{"d": {"x": 1, "y": 2, "x": {"z": [true, false, null]}}, "e": [], "f": {}}"#.to_string(),
            format!("{{{many_duplicates}\"last\": 1}}"),
            r#"[{"family": "a"}, "revision"]"#.to_string(),
            r#""just a string""#.to_string(),
        ];
        for text in documents {
            let node = crate::json::parse(&text).unwrap();
            assert_eq!(minified_register_size(&node), written_out(&node), "{text}");
        }
    }
}
