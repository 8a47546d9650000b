//! StartTask, StopTask (seed-checklist §2.17) and DeregisterTaskDefinition (V-TD-033).

use super::{char_len, Request};
use crate::check::{Rule, Sink};
use crate::diagnostic::Severity;

pub const CONTAINER_INSTANCES_LIMIT: Rule = Rule {
    code: "container-instances-limit",
    severity: Severity::Error,
    summary: "StartTask `containerInstances` lists 1 to 10 container instances.",
    covers: &["V-START-001"],
    exception: Some("InvalidParameterException"),
};

pub const STOP_REASON_TOO_LONG: Rule = Rule {
    code: "stop-reason-too-long",
    severity: Severity::Error,
    summary: "StopTask `reason` is at most 255 characters.",
    covers: &["V-STOP-002"],
    exception: Some("InvalidParameterException"),
};

pub const DEREGISTER_REVISION_REQUIRED: Rule = Rule {
    code: "deregister-revision-required",
    severity: Severity::Error,
    summary:
        "DeregisterTaskDefinition names a revision: `family:revision` or a full ARN with revision.",
    covers: &["V-TD-033"],
    exception: Some("InvalidParameterException"),
};

pub fn check_start(req: &Request<'_>, sink: &mut Sink) {
    let Some(list) = req.root.field("containerInstances") else {
        return;
    };
    let count = list.node.items().len();
    if list.node.is_array() && !(1..=10).contains(&count) {
        sink.report(
            &CONTAINER_INSTANCES_LIMIT,
            list.path.clone(),
            list.key_span.unwrap_or(list.span()),
            format!("{count} container instances: you can specify up to 10 container instances per call, and at least one"),
        );
    }
}

pub fn check_stop(req: &Request<'_>, sink: &mut Sink) {
    let Some(reason) = req.root.field("reason") else {
        return;
    };
    let Some(text) = reason.node.as_str() else {
        return;
    };
    let len = char_len(text);
    if len > 255 {
        let truncated: String = text.chars().take(255).collect();
        sink.report(
            &STOP_REASON_TOO_LONG,
            reason.path.clone(),
            reason.span(),
            format!("the reason is {len} characters: up to 255 characters are allowed"),
        )
        .with_fix(
            "Truncate to 255 characters",
            vec![(reason.span(), super::json_string(&truncated))],
        );
    }
}

pub fn check_deregister(req: &Request<'_>, sink: &mut Sink) {
    let Some(field) = req.root.field("taskDefinition") else {
        return;
    };
    let Some(text) = field.node.as_str() else {
        return;
    };
    let has_revision = match crate::arn::task_definition_parts(text) {
        (family, Some(revision)) => {
            !family.is_empty()
                && !revision.is_empty()
                && revision.bytes().all(|b| b.is_ascii_digit())
        }
        (_, None) => false,
    };
    if !has_revision {
        sink.report(
            &DEREGISTER_REVISION_REQUIRED,
            field.path.clone(),
            field.span(),
            format!("\"{text}\" has no revision: you must specify a revision (family:revision or the full Amazon Resource Name) to deregister"),
        );
    }
}
