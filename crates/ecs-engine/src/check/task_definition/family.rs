//! The task definition's family name (V-TD-001, V-TD-002).

use super::Context;
use crate::check::{Rule, Sink};
use crate::diagnostic::Severity;

pub const FAMILY_REQUIRED: Rule = Rule {
    code: "family-required",
    severity: Severity::Error,
    summary: "A task definition needs a `family`.",
    covers: &["V-TD-001"],
    exception: Some("ClientException"),
};

pub const FAMILY_FORMAT: Rule = Rule {
    code: "family-format",
    severity: Severity::Error,
    summary: "`family` is 1 to 255 letters, digits, hyphens and underscores.",
    covers: &["V-TD-002"],
    exception: Some("ClientException"),
};

pub fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(task_def) = &context.task_def else {
        return;
    };
    let Some(family) = task_def.field("family") else {
        sink.report_missing(
            &FAMILY_REQUIRED,
            task_def,
            "family",
            "missing required field family",
        );
        return;
    };
    crate::check::check_simple_name(&family, "family", &FAMILY_FORMAT, sink);
}
