//! Attributes (seed-checklist §2.2), as PutAttributes sends them.

use super::{char_len, Request};
use crate::check::{Located, Rule, Sink};
use crate::diagnostic::Severity;

pub const ATTRIBUTE_NAME_FORMAT: Rule = Rule {
    code: "attribute-name-format",
    severity: Severity::Error,
    summary: "An attribute name is 1-128 letters, digits, hyphens, underscores, slashes, back slashes or periods.",
    covers: &["V-ATTR-001"],
    exception: Some("InvalidParameterException"),
};

pub const ATTRIBUTE_VALUE_FORMAT: Rule = Rule {
    code: "attribute-value-format",
    severity: Severity::Error,
    summary: "An attribute value is 1-128 letters, digits, `-_.@/\\:` or spaces, not starting or ending with a space.",
    covers: &["V-ATTR-002"],
    exception: Some("InvalidParameterException"),
};

pub const ATTRIBUTE_TARGET_TYPE_REQUIRED: Rule = Rule {
    code: "attribute-target-type-required",
    severity: Severity::Error,
    summary: "`targetType` is required when `targetId` is a short ID rather than a full ARN.",
    covers: &["V-ATTR-003"],
    exception: Some("InvalidParameterException"),
};

pub const ATTRIBUTE_LIMIT: Rule = Rule {
    code: "attribute-limit",
    severity: Severity::Error,
    summary: "A resource has at most 10 custom attributes.",
    covers: &[],
    exception: Some("AttributeLimitExceededException"),
};

pub const MAX_CUSTOM_ATTRIBUTES: usize = 10;

pub fn check(req: &Request<'_>, sink: &mut Sink) {
    let attributes = req.root.items("attributes");
    for attribute in &attributes {
        check_attribute(attribute, sink);
    }
    // Attributes without a target apply to the same default target, so group by targetId.
    let mut targets: Vec<(Option<&str>, usize)> = Vec::new();
    for attribute in &attributes {
        let target = attribute.str_field("targetId");
        match targets.iter_mut().find(|(t, _)| *t == target) {
            Some((_, count)) => *count += 1,
            None => targets.push((target, 1)),
        }
    }
    for (target, count) in targets {
        if count > MAX_CUSTOM_ATTRIBUTES {
            if let Some(list) = req.root.field("attributes") {
                sink.report(
                    &ATTRIBUTE_LIMIT,
                    list.path.clone(),
                    list.key_span.unwrap_or(list.span()),
                    format!("{count} attributes for {}: you can apply up to {MAX_CUSTOM_ATTRIBUTES} custom attributes for each resource", target.unwrap_or("the same target")),
                );
            }
        }
    }
}

/// Checks one `{name, value, targetType, targetId}` attribute.
pub fn check_attribute(attribute: &Located<'_>, sink: &mut Sink) {
    if let Some(name) = attribute.field("name") {
        if let Some(text) = name.node.as_str() {
            let len = char_len(text);
            let valid = text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_/\\.".contains(c));
            if len == 0 || len > 128 || !valid {
                sink.report(
                    &ATTRIBUTE_NAME_FORMAT,
                    name.path.clone(),
                    name.span(),
                    format!("attribute name \"{text}\" is invalid: up to 128 letters (uppercase and lowercase), numbers, hyphens, underscores, forward slashes, back slashes, or periods are allowed"),
                );
            }
        }
    }
    if let Some(value) = attribute.field("value") {
        if let Some(text) = value.node.as_str() {
            let len = char_len(text);
            let valid = text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.@/\\: ".contains(c));
            if len == 0 || len > 128 || !valid || text.starts_with(' ') || text.ends_with(' ') {
                let finding = sink.report(
                    &ATTRIBUTE_VALUE_FORMAT,
                    value.path.clone(),
                    value.span(),
                    format!("attribute value \"{text}\" is invalid: up to 128 letters, numbers, hyphens, underscores, periods, at signs, forward slashes, back slashes, colons, or spaces are allowed, and it can't start or end with a space"),
                );
                let trimmed = text.trim();
                if valid && trimmed != text && !trimmed.is_empty() {
                    finding.with_fix(
                        "Trim the spaces",
                        vec![(value.span(), super::json_string(trimmed))],
                    );
                }
            }
        }
    }
    if let Some(target_id) = attribute.str_field("targetId") {
        if !target_id.starts_with("arn:") && attribute.field("targetType").is_none() {
            sink.report_missing(
                &ATTRIBUTE_TARGET_TYPE_REQUIRED,
                attribute,
                "targetType",
                format!("targetId \"{target_id}\" is a short ID, not a full ARN: targetType (container-instance) is required"),
            );
        }
    }
}
