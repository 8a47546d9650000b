//! Tags on a task definition (V-TAG-002, V-TAG-003, V-TAG-006, V-TAG-007).
//! Key and value lengths are in the AWS model (shape check).

use std::collections::HashMap;

use super::Context;
use crate::check::{Located, Rule, Sink};
use crate::diagnostic::Severity;

/// User tags per resource; `aws:` tags do not count (000:153).
pub const MAX_TAGS: usize = 50;

pub const TAG_KEY_REQUIRED: Rule = Rule {
    code: "tag-key-required",
    severity: Severity::Error,
    summary: "Every tag has a `key`; the `value` is optional.",
    covers: &["V-TAG-001"],
    exception: Some("InvalidParameterException"),
};

pub const TOO_MANY_TAGS: Rule = Rule {
    code: "too-many-tags",
    severity: Severity::Error,
    summary: "At most 50 tags per resource, not counting tags with the reserved `aws:` prefix.",
    covers: &["V-TAG-002"],
    exception: Some("InvalidParameterException"),
};

pub const DUPLICATE_TAG_KEY: Rule = Rule {
    code: "duplicate-tag-key",
    severity: Severity::Error,
    summary:
        "Each tag key is unique per resource (compared case-sensitively) and has exactly one value.",
    covers: &["V-TAG-003"],
    exception: Some("InvalidParameterException"),
};

pub const RESERVED_TAG_PREFIX: Rule = Rule {
    code: "reserved-tag-prefix",
    severity: Severity::Error,
    summary:
        "Tag keys and values beginning with `aws:` (in any letter case) are reserved for AWS use.",
    covers: &["V-TAG-007"],
    exception: Some("InvalidParameterException"),
};

pub const TAG_CHARACTERS: Rule = Rule {
    code: "tag-characters",
    severity: Severity::Warning,
    summary: "Tags are best kept to letters, digits, spaces and `+ - = . _ : / @`, which every AWS service accepts.",
    covers: &["V-TAG-006"],
    exception: None,
};

fn is_reserved(text: &str) -> bool {
    text.get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("aws:"))
}

fn has_portable_characters(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_alphanumeric() || c == ' ' || "+-=._:/@".contains(c))
}

pub fn check(context: &Context<'_>, sink: &mut Sink) {
    let tags = context.task_items("tags");
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut user_tags = 0;
    for (index, tag) in tags.iter().enumerate() {
        let key_field = tag.field("key");
        let key = key_field.as_ref().and_then(|k| k.node.as_str());
        let reserved =
            key.is_some_and(is_reserved) || tag.str_field("value").is_some_and(is_reserved);
        if !reserved {
            user_tags += 1;
            if user_tags == MAX_TAGS + 1 {
                sink.report(
                    &TOO_MANY_TAGS,
                    tag.path.clone(),
                    tag.span(),
                    format!("more than {MAX_TAGS} tags: the maximum number of tags per resource is 50 (tags with the aws: prefix do not count)"),
                );
            }
        }
        for field in [key_field.clone(), tag.field("value")]
            .into_iter()
            .flatten()
        {
            check_text(&field, sink);
        }
        let (Some(key), Some(key_field)) = (key, key_field) else {
            if tag.node.is_object() && tag.field("key").is_none() {
                sink.report(
                    &TAG_KEY_REQUIRED,
                    tag.path.key("key"),
                    tag.span(),
                    "a tag needs a key: each tag consists of a key and an optional value",
                );
            }
            continue;
        };
        match seen.get(key) {
            Some(first) => {
                sink.report(
                    &DUPLICATE_TAG_KEY,
                    key_field.path.clone(),
                    key_field.span(),
                    format!("duplicate tag key \"{key}\": tags[{first}] already has it, and each tag key must be unique with only one value"),
                );
            }
            None => {
                seen.insert(key, index);
            }
        }
    }
}

fn check_text(field: &Located<'_>, sink: &mut Sink) {
    let Some(text) = field.node.as_str() else {
        return;
    };
    let which = field.path.last_key().unwrap_or("key");
    if is_reserved(text) {
        sink.report(
            &RESERVED_TAG_PREFIX,
            field.path.clone(),
            field.span(),
            format!("tag {which} \"{text}\" uses the reserved prefix aws:, which is for AWS use: you can't edit or delete tag keys or values with this prefix"),
        );
    } else if !has_portable_characters(text) {
        sink.report(
            &TAG_CHARACTERS,
            field.path.clone(),
            field.span(),
            format!("tag {which} \"{text}\" has characters outside letters, numbers, spaces and + - = . _ : / @, which some AWS services do not allow in tags"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reserved_prefix_ignores_case_and_letters_may_be_any_script() {
        assert!(is_reserved("aws:x"));
        assert!(is_reserved("AwS:x"));
        assert!(!is_reserved("aws"));
        assert!(!is_reserved("ä"));
        assert!(has_portable_characters("Kostenstelle größe 1/2"));
        assert!(!has_portable_characters("a#b"));
    }
}
