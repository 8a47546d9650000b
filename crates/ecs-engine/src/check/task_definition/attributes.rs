//! Attributes a task definition requires of its instances (V-ATTR-001,
//! V-ATTR-002). `requiresAttributes` appears in described task definitions;
//! AWS computes it, but an edited or hand-written one can be wrong.

use super::Context;
use crate::check::{Located, Rule, Sink};
use crate::diagnostic::Severity;

pub const ATTRIBUTE_FORMAT: Rule = Rule {
    code: "attribute-format",
    severity: Severity::Error,
    summary: "An attribute `name` is 1–128 letters, digits and `- _ / \\ .`; a `value` is 1–128 of those plus `@ :` and spaces, not at either end.",
    covers: &["V-ATTR-001", "V-ATTR-002"],
    exception: Some("InvalidParameterException"),
};

fn is_attribute_name(name: &str) -> bool {
    (1..=128).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_/\\.".contains(c))
}

fn is_attribute_value(value: &str) -> bool {
    (1..=128).contains(&value.chars().count())
        && !value.starts_with(' ')
        && !value.ends_with(' ')
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.@/\\: ".contains(c))
}

pub fn check(context: &Context<'_>, sink: &mut Sink) {
    for attribute in context.task_items("requiresAttributes") {
        check_part(&attribute, "name", is_attribute_name, "up to 128 letters (uppercase and lowercase), numbers, hyphens, underscores, forward slashes, back slashes, or periods", sink);
        check_part(&attribute, "value", is_attribute_value, "up to 128 letters (uppercase and lowercase), numbers, hyphens, underscores, periods, at signs (@), forward slashes, back slashes, colons, or spaces, not starting or ending with a space", sink);
    }
}

fn check_part(
    attribute: &Located<'_>,
    key: &str,
    valid: fn(&str) -> bool,
    allowed: &str,
    sink: &mut Sink,
) {
    let Some(field) = attribute.field(key) else {
        return;
    };
    let Some(text) = field.node.as_str() else {
        return;
    };
    if valid(text) {
        return;
    }
    sink.report(
        &ATTRIBUTE_FORMAT,
        field.path.clone(),
        field.span(),
        format!("attribute {key} \"{text}\" is invalid: {allowed} are allowed"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_values_follow_their_character_sets() {
        assert!(is_attribute_name(
            "ecs.capability.secrets.asm.environment-variables"
        ));
        assert!(!is_attribute_name("has space"));
        assert!(!is_attribute_name(""));
        assert!(is_attribute_value("t3.large"));
        assert!(is_attribute_value("a b"));
        assert!(!is_attribute_value(" a"));
        assert!(!is_attribute_value(&"v".repeat(129)));
    }
}
