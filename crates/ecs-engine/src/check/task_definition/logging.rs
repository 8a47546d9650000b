//! Log configuration: driver options, FireLens and the execution role
//! (V-CD-047, V-CD-058, V-LOG-001..006).

use super::{key_span, name_of, Context};
use crate::check::{Located, Rule, Sink};
use crate::diagnostic::Severity;

/// Log drivers Fargate supports (000:12033).
pub const FARGATE_LOG_DRIVERS: &[&str] = &["awslogs", "splunk", "awsfirelens"];

pub const AWSLOGS_OPTIONS: Rule = Rule {
    code: "awslogs-options",
    severity: Severity::Error,
    summary: "awslogs needs `awslogs-group` and `awslogs-region`, and on Fargate `awslogs-stream-prefix`; `awslogs-datetime-format` and `awslogs-multiline-pattern` exclude each other.",
    covers: &["V-LOG-001", "V-LOG-002", "V-LOG-003", "V-LOG-004"],
    exception: Some("ClientException"),
};

pub const SPLUNK_OPTIONS: Rule = Rule {
    code: "splunk-options",
    severity: Severity::Error,
    summary: "The splunk log driver needs `splunk-url` and a `splunk-token` (as an option or a secret option).",
    covers: &["V-LOG-006"],
    exception: Some("ClientException"),
};

pub const LOG_OPTION_VALUE: Rule = Rule {
    code: "log-option-value",
    severity: Severity::Error,
    summary: "awslogs `mode` is `blocking` or `non-blocking`, and `awslogs-create-group` a boolean as Go's ParseBool reads it (`true`, `True`, `1`, `false`, …).",
    covers: &["V-LOG-005"],
    exception: Some("ClientException"),
};

pub const FARGATE_LOG_DRIVER: Rule = Rule {
    code: "fargate-log-driver",
    severity: Severity::Error,
    summary: "On Fargate the log driver is awslogs, splunk or awsfirelens.",
    covers: &["V-CD-047", "V-CD-048"],
    exception: Some("ClientException"),
};

pub const FIRELENS_CONTAINER_REQUIRED: Rule = Rule {
    code: "firelens-container-required",
    severity: Severity::Error,
    summary: "The awsfirelens log driver needs a container with `firelensConfiguration` in the same task definition.",
    covers: &[],
    exception: Some("ClientException"),
};

pub const FIRELENS_CONFIG_FILE_TYPE: Rule = Rule {
    code: "firelens-config-file-type",
    severity: Severity::Error,
    summary: "On Fargate, a FireLens `config-file-type` must be `file`: configuration files from S3 are not supported.",
    covers: &["V-CD-058"],
    exception: Some("ClientException"),
};

pub const EXECUTION_ROLE_REQUIRED: Rule = Rule {
    code: "execution-role-required",
    severity: Severity::Error,
    summary: "`executionRoleArn` is needed for awslogs and ECR images on Fargate, for secrets and for private registry credentials.",
    covers: &[],
    exception: Some("ClientException"),
};

pub fn check(context: &Context<'_>, sink: &mut Sink) {
    let has_firelens = context
        .containers
        .iter()
        .any(|c| c.field("firelensConfiguration").is_some());
    for container in &context.containers {
        if let Some(logging) = container.field("logConfiguration") {
            check_log_configuration(context, container, &logging, has_firelens, sink);
        }
        if context.on_fargate() {
            check_firelens_file_type(container, sink);
        }
    }
    check_execution_role(context, sink);
}

fn option<'a>(logging: &Located<'a>, key: &str) -> Option<Located<'a>> {
    logging.field("options")?.field(key)
}

fn check_log_configuration(
    context: &Context<'_>,
    container: &Located<'_>,
    logging: &Located<'_>,
    has_firelens: bool,
    sink: &mut Sink,
) {
    let name = name_of(container);
    let Some(driver_field) = logging.field("logDriver") else {
        return;
    };
    let Some(driver) = driver_field.node.as_str() else {
        return;
    };
    if context.on_fargate() && !FARGATE_LOG_DRIVERS.contains(&driver) {
        sink.report(
            &FARGATE_LOG_DRIVER,
            driver_field.path.clone(),
            driver_field.span(),
            format!("container '{name}': log driver {driver} is not supported on Fargate (requiresCompatibilities includes FARGATE): the supported log drivers are awslogs, splunk, and awsfirelens"),
        );
    }
    let secret_names: Vec<&str> = logging
        .items("secretOptions")
        .iter()
        .filter_map(|s| s.str_field("name"))
        .collect();
    let missing = |keys: &[&str]| -> Vec<String> {
        keys.iter()
            .filter(|k| option(logging, k).is_none() && !secret_names.contains(k))
            .map(|k| (*k).to_string())
            .collect()
    };
    match driver {
        "awslogs" => {
            let mut required = vec!["awslogs-group", "awslogs-region"];
            if context.on_fargate() {
                required.push("awslogs-stream-prefix");
            }
            for key in missing(&required) {
                let why = if key == "awslogs-stream-prefix" {
                    " (required on Fargate, where requiresCompatibilities includes FARGATE)"
                } else {
                    ""
                };
                report_missing_option(
                    &AWSLOGS_OPTIONS,
                    logging,
                    &key,
                    &format!(
                        "container '{name}': the awslogs log driver requires the option {key}{why}"
                    ),
                    sink,
                );
            }
            if let (Some(_), Some(pattern)) = (
                option(logging, "awslogs-datetime-format"),
                option(logging, "awslogs-multiline-pattern"),
            ) {
                sink.report(
                    &AWSLOGS_OPTIONS,
                    pattern.path.clone(),
                    key_span(&pattern),
                    format!("container '{name}': awslogs-multiline-pattern is ignored when awslogs-datetime-format is also configured: set only one of them"),
                );
            }
            check_option_values(logging, name, sink);
        }
        "splunk" => {
            for key in missing(&["splunk-url", "splunk-token"]) {
                report_missing_option(
                    &SPLUNK_OPTIONS,
                    logging,
                    &key,
                    &format!("container '{name}': the splunk log driver requires the option {key}"),
                    sink,
                );
            }
        }
        "awsfirelens" if !has_firelens => {
            sink.report(
                &FIRELENS_CONTAINER_REQUIRED,
                driver_field.path.clone(),
                driver_field.span(),
                format!("container '{name}' uses the awsfirelens log driver, but no container in the task definition has a firelensConfiguration: add a FireLens log router container"),
            );
        }
        _ => {}
    }
}

fn report_missing_option(
    rule: &Rule,
    logging: &Located<'_>,
    key: &str,
    message: &str,
    sink: &mut Sink,
) {
    match logging.field("options") {
        Some(options) => {
            sink.report_missing(rule, &options, key, message);
        }
        None => {
            sink.report_missing(rule, logging, "options", message);
        }
    }
}

/// The booleans Go's `strconv.ParseBool` accepts: the awslogs driver reads
/// `awslogs-create-group` with it (ecs-semantics E2).
const GO_BOOLEANS: &[&str] = &[
    "1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False",
];

fn check_option_values(logging: &Located<'_>, name: &str, sink: &mut Sink) {
    if let Some(field) = option(logging, "mode") {
        if let Some(value) = field.node.as_str() {
            if value != "blocking" && value != "non-blocking" {
                let finding = sink.report(
                    &LOG_OPTION_VALUE,
                    field.path.clone(),
                    field.span(),
                    format!("container '{name}': awslogs option mode \"{value}\" is invalid: valid values are blocking and non-blocking"),
                );
                if let Some(fix) = ["blocking", "non-blocking"]
                    .iter()
                    .find(|v| v.eq_ignore_ascii_case(value))
                {
                    finding.with_fix(
                        format!("Use \"{fix}\""),
                        vec![(field.span(), super::json_string(fix))],
                    );
                }
            }
        }
    }
    let Some(field) = option(logging, "awslogs-create-group") else {
        return;
    };
    let Some(value) = field.node.as_str() else {
        return;
    };
    if GO_BOOLEANS.contains(&value) {
        return;
    }
    let finding = sink.report(
        &LOG_OPTION_VALUE,
        field.path.clone(),
        field.span(),
        format!("container '{name}': awslogs option awslogs-create-group \"{value}\" is not a boolean: the awslogs driver accepts true or false (also 1, t, TRUE, True, 0, f, FALSE, False)"),
    );
    let meant = match value.to_ascii_lowercase().as_str() {
        "yes" | "y" | "on" | "true" => Some("true"),
        "no" | "n" | "off" | "false" => Some("false"),
        _ => None,
    };
    if let Some(fix) = meant {
        finding.with_fix(
            format!("Use \"{fix}\""),
            vec![(field.span(), super::json_string(fix))],
        );
    }
}

fn check_firelens_file_type(container: &Located<'_>, sink: &mut Sink) {
    let Some(options) = container
        .field("firelensConfiguration")
        .and_then(|f| f.field("options"))
    else {
        return;
    };
    let Some(file_type) = options.field("config-file-type") else {
        return;
    };
    if file_type.node.as_str() != Some("s3") {
        return;
    }
    sink.report(
        &FIRELENS_CONFIG_FILE_TYPE,
        file_type.path.clone(),
        file_type.span(),
        format!("container '{}': config-file-type s3 is not supported on Fargate (requiresCompatibilities includes FARGATE): put the configuration file in the log router image and use config-file-type file", name_of(container)),
    )
    .with_fix("Use a file in the image", vec![(file_type.span(), "\"file\"".to_string())]);
}

fn check_execution_role(context: &Context<'_>, sink: &mut Sink) {
    let Some(task_def) = &context.task_def else {
        return;
    };
    if task_def.field("executionRoleArn").is_some() {
        return;
    }
    for container in &context.containers {
        let name = name_of(container);
        if let Some((field, message)) = needs_execution_role(context, container) {
            sink.report(
                &EXECUTION_ROLE_REQUIRED,
                field.path.clone(),
                key_span(&field),
                format!("container '{name}': {message}"),
            );
        }
    }
}

/// The first thing in `container` that needs the task execution role, with
/// the message RegisterTaskDefinition gives for it.
fn needs_execution_role<'a>(
    context: &Context<'a>,
    container: &Located<'a>,
) -> Option<(Located<'a>, &'static str)> {
    let logging = container.field("logConfiguration");
    if context.on_fargate() {
        if let Some(driver) = logging.as_ref().and_then(|l| l.field("logDriver")) {
            if driver.node.as_str() == Some("awslogs") {
                return Some((driver, "Fargate requires task definition to have execution role ARN to support log driver awslogs."));
            }
        }
        if let Some(image) = container.field("image") {
            if image.node.as_str().is_some_and(|i| i.contains(".dkr.ecr.")) {
                return Some((image, "Fargate requires task definition to have execution role ARN to support ECR images."));
            }
        }
    }
    let non_empty = |field: Option<Located<'a>>| field.filter(|f| !f.node.items().is_empty());
    if let Some(secrets) = non_empty(container.field("secrets"))
        .or_else(|| non_empty(logging.as_ref().and_then(|l| l.field("secretOptions"))))
    {
        return Some((secrets, "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'."));
    }
    container.field("repositoryCredentials").map(|credentials| {
        (credentials, "Private repository authentication requires that the task definition specify a value for executionRoleArn.")
    })
}
