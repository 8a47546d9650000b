//! Tag rules shared by every resource that carries tags (task definitions,
//! services, clusters, tasks, EBS volumes): seed-checklist §2.1.

use crate::check::{Located, Rule, Sink};
use crate::diagnostic::Severity;

pub const TAG_KEY_REQUIRED: Rule = Rule {
    code: "tag-key-required",
    severity: Severity::Error,
    summary: "Every tag has a `key`; `value` is optional.",
    covers: &["V-TAG-001"],
    exception: Some("InvalidParameterException"),
};

pub const TAG_LIMIT: Rule = Rule {
    code: "tag-limit",
    severity: Severity::Error,
    summary: "A resource has at most 50 user tags; `aws:` tags do not count.",
    covers: &["V-TAG-002", "V-TAG-007"],
    exception: Some("InvalidParameterException"),
};

pub const TAG_KEY_DUPLICATE: Rule = Rule {
    code: "tag-key-duplicate",
    severity: Severity::Error,
    summary: "Tag keys are unique per resource, compared case-sensitively.",
    covers: &["V-TAG-003", "V-TAG-007"],
    exception: Some("InvalidParameterException"),
};

pub const TAG_TOO_LONG: Rule = Rule {
    code: "tag-length",
    severity: Severity::Error,
    summary: "A tag key is 1-128 characters and a tag value at most 256.",
    covers: &["V-TAG-004", "V-TAG-005"],
    exception: Some("InvalidParameterException"),
};

pub const TAG_CHARACTERS: Rule = Rule {
    code: "tag-characters",
    severity: Severity::Warning,
    summary: "Tags are generally letters, digits, spaces and + - = . _ : / @.",
    covers: &["V-TAG-006"],
    exception: None,
};

pub const TAG_RESERVED_PREFIX: Rule = Rule {
    code: "tag-reserved-prefix",
    severity: Severity::Error,
    summary: "Tag keys and values starting with `aws:` (any case) are reserved for AWS use.",
    covers: &["V-TAG-007"],
    exception: Some("InvalidParameterException"),
};

pub const MAX_USER_TAGS: usize = 50;

fn is_reserved(text: &str) -> bool {
    text.get(..4)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case("aws:"))
}

/// A character as a message shows it: quoted, or by code point when it is
/// invisible.
fn shown(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("U+{:04X}", u32::from(c))
    } else {
        format!("'{c}'")
    }
}

fn allowed_char(c: char) -> bool {
    c.is_alphanumeric() || c.is_whitespace() || "+-=._:/@".contains(c)
}

/// Checks a list of `{key, value}` tags for any resource.
pub fn check_tags(list: &Located<'_>, sink: &mut Sink) {
    let tags: Vec<Located<'_>> = list
        .node
        .items()
        .iter()
        .enumerate()
        .map(|(i, node)| Located {
            node,
            path: list.path.index(i),
            key_span: None,
        })
        .collect();
    let mut seen: Vec<&str> = Vec::new();
    let mut user_tags = 0;
    for tag in &tags {
        if !tag.node.is_object() {
            continue; // A type error, reported by the shape check.
        }
        let key = tag.field("key");
        let value = tag.field("value");
        let Some(key) = key else {
            sink.report_missing(
                &TAG_KEY_REQUIRED,
                tag,
                "key",
                "each tag must have a key; the value is optional",
            );
            continue;
        };
        let Some(key_text) = key.node.as_str() else {
            continue;
        };
        let value_text = value.as_ref().and_then(|v| v.node.as_str());
        let reserved_key = is_reserved(key_text);
        let reserved_value = value_text.is_some_and(is_reserved);
        if reserved_key || reserved_value {
            let (what, at) = if reserved_key {
                ("key", &key)
            } else {
                ("value", value.as_ref().unwrap_or(&key))
            };
            sink.report(
                &TAG_RESERVED_PREFIX,
                at.path.clone(),
                at.span(),
                format!("the tag {what} uses the aws: prefix, which is reserved for AWS use: you can't create, edit or delete such tags"),
            );
        } else {
            user_tags += 1;
        }
        if seen.contains(&key_text) {
            sink.report(
                &TAG_KEY_DUPLICATE,
                key.path.clone(),
                key.span(),
                format!("duplicate tag key \"{key_text}\": each tag key must be unique, and each tag key can have only one value"),
            );
        } else {
            seen.push(key_text);
        }
        let key_len = char_len(key_text);
        if key_len == 0 || key_len > 128 {
            sink.report(
                &TAG_TOO_LONG,
                key.path.clone(),
                key.span(),
                format!("the tag key is {key_len} characters: the maximum key length is 128 Unicode characters, the minimum 1"),
            );
        }
        if let (Some(value), Some(text)) = (&value, value_text) {
            let len = char_len(text);
            if len > 256 {
                sink.report(
                    &TAG_TOO_LONG,
                    value.path.clone(),
                    value.span(),
                    format!("the tag value is {len} characters: the maximum value length is 256 Unicode characters"),
                );
            }
        }
        for (field, text) in [(Some(&key), Some(key_text)), (value.as_ref(), value_text)] {
            let (Some(field), Some(text)) = (field, text) else {
                continue;
            };
            if let Some(bad) = text.chars().find(|c| !allowed_char(*c)) {
                sink.report(
                    &TAG_CHARACTERS,
                    field.path.clone(),
                    field.span(),
                    format!("the character {} is outside what tags generally allow (letters, numbers, spaces and + - = . _ : / @); some services may reject it", shown(bad)),
                );
            }
        }
    }
    if user_tags > MAX_USER_TAGS {
        sink.report(
            &TAG_LIMIT,
            list.path.clone(),
            list.key_span.unwrap_or(list.span()),
            format!("{user_tags} tags: the maximum number of tags per resource is {MAX_USER_TAGS} (tags with the aws: prefix do not count)"),
        );
    }
}

/// The tag rules, in catalogue order.
pub const RULES: &[&Rule] = &[
    &TAG_KEY_REQUIRED,
    &TAG_LIMIT,
    &TAG_KEY_DUPLICATE,
    &TAG_TOO_LONG,
    &TAG_CHARACTERS,
    &TAG_RESERVED_PREFIX,
];

fn char_len(text: &str) -> usize {
    text.chars().count()
}
