//! RunTask (seed-checklist §2.15), and what StartTask shares with it.

use super::{char_len, json_string, Launch, Operation, Request};
use crate::check::{Rule, Sink};
use crate::diagnostic::Severity;
use crate::json::float_text;

pub const TASK_COUNT_RANGE: Rule = Rule {
    code: "task-count-range",
    severity: Severity::Error,
    summary: "RunTask `count` is 1 to 10.",
    covers: &["V-RUN-002"],
    exception: Some("InvalidParameterException"),
};

pub const EXECUTE_COMMAND_TASK_ROLE: Rule = Rule {
    code: "execute-command-task-role",
    severity: Severity::Error,
    summary: "`enableExecuteCommand` needs a task role, in the task definition or in `overrides.taskRoleArn`.",
    covers: &["V-RUN-004"],
    exception: Some("InvalidParameterException"),
};

pub const PROPAGATE_TAGS_SERVICE: Rule = Rule {
    code: "propagate-tags-service",
    severity: Severity::Error,
    summary: "RunTask cannot propagate tags from a service: `propagateTags` SERVICE is rejected.",
    covers: &["V-RUN-006", "V-TAG-009"],
    exception: Some("InvalidParameterException"),
};

pub const REFERENCE_ID_TOO_LONG: Rule = Rule {
    code: "reference-id-too-long",
    severity: Severity::Error,
    summary: "`referenceId` is at most 1024 characters.",
    covers: &["V-RUN-007"],
    exception: Some("InvalidParameterException"),
};

// D3: the 2022 docs allow 36 characters without `/`, the newer RunTask docs
// and the model 128 with `/`; the superset is accepted for RunTask and StartTask.
pub const STARTED_BY_FORMAT: Rule = Rule {
    code: "started-by-format",
    severity: Severity::Error,
    summary: "`startedBy` is up to 128 letters, digits, hyphens, underscores and forward slashes.",
    covers: &["V-RUN-008", "V-START-003"],
    exception: Some("InvalidParameterException"),
};

pub const RUN_TASK_CLIENT_TOKEN_FORMAT: Rule = Rule {
    code: "run-task-client-token-format",
    severity: Severity::Error,
    summary: "RunTask `clientToken` is up to 64 characters, each ASCII 33-126.",
    covers: &["V-RUN-009"],
    exception: Some("InvalidParameterException"),
};

pub const LAUNCH_TYPE_INCOMPATIBLE: Rule = Rule {
    code: "launch-type-incompatible",
    severity: Severity::Error,
    summary: "The task definition's compatibilities must include the launch type used.",
    covers: &["V-RUN-012"],
    exception: Some("ClientException"),
};

pub fn check(req: &Request<'_>, sink: &mut Sink) {
    let root = &req.root;
    if let Some(count) = root.field("count") {
        if let Some(n) = count.node.as_f64() {
            if !(1.0..=10.0).contains(&n) {
                let fix = if n < 1.0 { "1" } else { "10" };
                sink.report(&TASK_COUNT_RANGE, count.path.clone(), count.span(), format!("count {} is out of range: you can specify up to 10 tasks for each call, and at least 1", float_text::display(n)))
                    .with_fix(format!("Use {fix}"), vec![(count.span(), fix.to_string())]);
            }
        }
    }
    if root.bool_field("enableExecuteCommand") == Some(true) {
        let override_role = root
            .node
            .get("overrides")
            .and_then(|o| o.get("taskRoleArn"))
            .and_then(|r| r.as_str())
            .is_some_and(|r| !r.is_empty());
        if let Some(td) = req.task_def() {
            if !override_role && td.task_role_arn().is_none() {
                if let Some(flag) = root.field("enableExecuteCommand") {
                    sink.report(
                        &EXECUTE_COMMAND_TASK_ROLE,
                        flag.path.clone(),
                        flag.key_span.unwrap_or(flag.span()),
                        format!("enableExecuteCommand needs a task role: {} has no taskRoleArn and overrides.taskRoleArn is not set", td.family()),
                    );
                }
            }
        }
    }
    if req.is(Operation::RunTask) {
        if let Some(field) = root
            .field("propagateTags")
            .filter(|p| p.node.as_str() == Some("SERVICE"))
        {
            sink.report(
                &PROPAGATE_TAGS_SERVICE,
                field.path.clone(),
                field.span(),
                "propagateTags SERVICE is not valid for RunTask: an error is returned; tags can only be propagated from the task definition",
            )
            .with_fix("Propagate from the task definition", vec![(field.span(), "\"TASK_DEFINITION\"".to_string())]);
        }
        if let Some(token) = root.field("clientToken") {
            if let Some(text) = token.node.as_str() {
                let len = char_len(text);
                let printable = text.bytes().all(|b| (33..=126).contains(&b));
                if len > 64 || !printable {
                    sink.report(&RUN_TASK_CLIENT_TOKEN_FORMAT, token.path.clone(), token.span(), format!("clientToken is invalid: up to 64 characters are allowed, each in the ASCII range 33-126 (it is {len} characters)"));
                }
            }
        }
        check_launch_type_compatible(req, sink);
    }
    // D4: referenceId is "only used by ECS" in the newer docs; the 1024 limit still holds.
    if let Some(field) = root.field("referenceId") {
        if let Some(text) = field.node.as_str().filter(|t| char_len(t) > 1024) {
            sink.report(
                &REFERENCE_ID_TOO_LONG,
                field.path.clone(),
                field.span(),
                format!(
                    "referenceId is {} characters: up to 1024 are allowed",
                    char_len(text)
                ),
            );
        }
    }
    if let Some(field) = root.field("startedBy") {
        if let Some(text) = field.node.as_str() {
            let valid = |c: char| c.is_ascii_alphanumeric() || "-_/".contains(c);
            if char_len(text) > 128 || !text.chars().all(valid) {
                let cleaned: String = text
                    .chars()
                    .map(|c| if valid(c) { c } else { '-' })
                    .take(128)
                    .collect();
                sink.report(
                    &STARTED_BY_FORMAT,
                    field.path.clone(),
                    field.span(),
                    format!("startedBy \"{text}\" is invalid: up to 128 letters (uppercase and lowercase), numbers, hyphens (-), forward slash (/), and underscores (_) are allowed"),
                )
                .with_fix(format!("Use \"{cleaned}\""), vec![(field.span(), json_string(&cleaned))]);
            }
        }
    }
}

/// V-RUN-012: RunTask and CreateService must use a launch type the task definition supports.
pub fn check_launch_type_compatible(req: &Request<'_>, sink: &mut Sink) {
    let Some(td) = req.task_def() else {
        return;
    };
    let compatibilities = td.compatibilities();
    if compatibilities.is_empty() {
        return;
    }
    let Some(launch) = req.launch() else {
        return;
    };
    let needed = match launch {
        Launch::Fargate => "FARGATE",
        Launch::Ec2 => "EC2",
        Launch::External => "EXTERNAL",
    };
    if compatibilities.contains(&needed) {
        return;
    }
    let at = req
        .root
        .field("launchType")
        .or_else(|| req.root.field("capacityProviderStrategy"));
    if let Some(at) = at {
        sink.report(
            &LAUNCH_TYPE_INCOMPATIBLE,
            at.path.clone(),
            at.key_span.unwrap_or(at.span()),
            format!(
                "Task definition does not support launch_type {needed}: {} is compatible with {}",
                td.family(),
                compatibilities.join(", ")
            ),
        );
    }
}
