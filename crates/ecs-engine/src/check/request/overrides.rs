//! Task overrides (seed-checklist §2.16), for RunTask and StartTask.

use super::{check_max_items, Launch, Request};
use crate::check::{Rule, Sink};
use crate::diagnostic::Severity;
use crate::json::float_text;

pub const OVERRIDES_TOO_LONG: Rule = Rule {
    code: "overrides-too-long",
    severity: Severity::Error,
    summary:
        "`overrides` serialized as JSON is at most 8192 characters, formatting characters included.",
    covers: &["V-OVR-001", "V-START-004"],
    exception: Some("InvalidParameterException"),
};

pub const CONTAINER_OVERRIDE_NAME_REQUIRED: Rule = Rule {
    code: "container-override-name-required",
    severity: Severity::Error,
    summary: "Every container override names the container it overrides.",
    covers: &["V-OVR-002", "V-START-004"],
    exception: Some("InvalidParameterException"),
};

pub const CONTAINER_OVERRIDE_UNKNOWN: Rule = Rule {
    code: "container-override-unknown",
    severity: Severity::Error,
    summary: "A container override's `name` must be a container of the task definition.",
    covers: &["V-OVR-003", "V-START-004"],
    exception: Some("InvalidParameterException"),
};

pub const OVERRIDE_ENVIRONMENT_FILES_LIMIT: Rule = Rule {
    code: "override-environment-files-limit",
    severity: Severity::Error,
    summary: "A container override has at most 10 environment files.",
    covers: &["V-OVR-004", "V-START-004"],
    exception: Some("InvalidParameterException"),
};

pub const OVERRIDE_RESOURCE_TYPE: Rule = Rule {
    code: "override-resource-type",
    severity: Severity::Error,
    summary: "Resource requirement overrides support only GPU.",
    covers: &["V-OVR-005", "V-START-004"],
    exception: Some("InvalidParameterException"),
};

pub const INFERENCE_ACCELERATOR_OVERRIDE_UNKNOWN: Rule = Rule {
    code: "inference-accelerator-override-unknown",
    severity: Severity::Error,
    summary:
        "An inference accelerator override's `deviceName` must be one of the task definition's.",
    covers: &["V-OVR-006", "V-START-004"],
    exception: Some("InvalidParameterException"),
};

// D8: the override's ephemeralStorage is 21-200 GiB (fargateEphemeralStorage,
// which reads 20, is a response field). D21: Linux 1.4.0+ and Windows 1.0.0+.
pub const EPHEMERAL_STORAGE_OVERRIDE: Rule = Rule {
    code: "ephemeral-storage-override",
    severity: Severity::Error,
    summary: "`overrides.ephemeralStorage.sizeInGiB` is 21-200 and only for Fargate tasks.",
    covers: &["V-OVR-007", "V-START-004"],
    exception: Some("InvalidParameterException"),
};

pub const MAX_OVERRIDES_CHARS: usize = 8192;

pub fn check(req: &Request<'_>, sink: &mut Sink) {
    let Some(overrides) = req.root.field("overrides") else {
        return;
    };
    // AWS measures the overrides as the SDK sends them: compact JSON. The
    // user's own spacing does not count against the limit.
    let serialized = crate::json::write::compact(&overrides.node.to_value());
    let length = serialized.chars().count();
    if length > MAX_OVERRIDES_CHARS {
        sink.report(
            &OVERRIDES_TOO_LONG,
            overrides.path.clone(),
            overrides.key_span.unwrap_or(overrides.span()),
            format!("the overrides are {length} characters as JSON: a total of {MAX_OVERRIDES_CHARS} characters are allowed for overrides, including the JSON formatting characters"),
        );
    }
    let td = req.task_def();
    for container in overrides.items("containerOverrides") {
        if !container.node.is_object() {
            continue;
        }
        match container.field("name") {
            None => {
                sink.report_missing(
                    &CONTAINER_OVERRIDE_NAME_REQUIRED,
                    &container,
                    "name",
                    "a container override must include the name of the container that receives the override",
                );
            }
            Some(name) => {
                if let (Some(td), Some(text)) = (td, name.node.as_str()) {
                    if td.container(text).is_none() {
                        let names = td.container_names();
                        let finding = sink.report(
                            &CONTAINER_OVERRIDE_UNKNOWN,
                            name.path.clone(),
                            name.span(),
                            format!(
                                "the container \"{text}\" does not exist in {} (containers: {})",
                                td.family(),
                                names.join(", ")
                            ),
                        );
                        if let [only] = names.as_slice() {
                            finding.with_fix(
                                format!("Use \"{only}\""),
                                vec![(name.span(), super::json_string(only))],
                            );
                        }
                    }
                }
            }
        }
        if let Some(files) = container.field("environmentFiles") {
            check_max_items(sink, &OVERRIDE_ENVIRONMENT_FILES_LIMIT, &files, 10, |n| {
                format!("{n} environment files: you can specify up to ten environment files")
            });
        }
        for requirement in container.items("resourceRequirements") {
            if let Some(kind) = requirement.field("type") {
                if let Some(text) = kind.node.as_str().filter(|t| *t != "GPU") {
                    sink.report(
                        &OVERRIDE_RESOURCE_TYPE,
                        kind.path.clone(),
                        kind.span(),
                        format!("resource requirement overrides support only GPU, not {text}"),
                    );
                }
            }
        }
    }
    for accelerator in overrides.items("inferenceAcceleratorOverrides") {
        let (Some(td), Some(field)) = (td, accelerator.field("deviceName")) else {
            continue;
        };
        let Some(name) = field.node.as_str() else {
            continue;
        };
        let known = td.inference_device_names();
        if !known.contains(&name) {
            sink.report(
                &INFERENCE_ACCELERATOR_OVERRIDE_UNKNOWN,
                field.path.clone(),
                field.span(),
                format!("the Elastic Inference accelerator device name \"{name}\" must match a deviceName specified in the task definition ({})", if known.is_empty() { "it has none".to_string() } else { known.join(", ") }),
            );
        }
    }
    if let Some(storage) = overrides.field("ephemeralStorage") {
        if let Some(size) = storage.field("sizeInGiB") {
            if let Some(n) = size.node.as_f64().filter(|n| !(21.0..=200.0).contains(n)) {
                let fix = if n < 21.0 { "21" } else { "200" };
                sink.report(&EPHEMERAL_STORAGE_OVERRIDE, size.path.clone(), size.span(), format!("ephemeral storage of {} GiB is out of range: the minimum supported value is 21 GiB and the maximum supported value is 200 GiB", float_text::display(n)))
                    .with_fix(format!("Use {fix} GiB"), vec![(size.span(), fix.to_string())]);
            }
        }
        let launch = if req.is(super::Operation::StartTask) {
            Some(Launch::Ec2)
        } else {
            req.launch()
        };
        if matches!(launch, Some(Launch::Ec2 | Launch::External)) {
            sink.report(
                &EPHEMERAL_STORAGE_OVERRIDE,
                storage.path.clone(),
                storage.key_span.unwrap_or(storage.span()),
                "the ephemeral storage override is only supported for tasks hosted on Fargate",
            );
        }
    }
}
