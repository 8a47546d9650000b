//! Windows containers: what they do not support (V-TD-007, V-TD-016,
//! V-TD-020, V-TD-021, V-TD-030, V-CD-007, V-CD-022, V-CD-039, V-CD-041..043).
//! A task definition is Windows when `runtimePlatform.operatingSystemFamily`
//! names a Windows Server family.

use super::{key_span, name_of, Context};
use crate::check::{Located, Rule, Sink};
use crate::diagnostic::Severity;

pub const WINDOWS_UNSUPPORTED_PARAMETER: Rule = Rule {
    code: "windows-unsupported-parameter",
    severity: Severity::Error,
    summary: "Parameters Windows containers do not support: pidMode, ipcMode, links, linuxParameters, user, privileged, disableNetworking, readonlyRootFilesystem, dnsServers, dnsSearchDomains, extraHosts, ulimits.",
    covers: &[
        "V-TD-020", "V-TD-021", "V-CD-007", "V-CD-022", "V-CD-039", "V-CD-041", "V-CD-042",
        "V-CD-043",
    ],
    exception: Some("ClientException"),
};

pub const WINDOWS_NETWORK_MODE: Rule = Rule {
    code: "windows-network-mode",
    severity: Severity::Error,
    summary: "Windows tasks on EC2 use the default network mode (networkMode unset) or awsvpc.",
    covers: &["V-TD-007"],
    exception: Some("ClientException"),
};

pub const WINDOWS_TASK_SIZE_IGNORED: Rule = Rule {
    code: "windows-task-size-ignored",
    severity: Severity::Warning,
    summary: "On EC2, task-level cpu and memory are ignored for Windows containers; set them per container.",
    covers: &["V-TD-016"],
    exception: None,
};

pub const ARM64_REQUIRES_LINUX: Rule = Rule {
    code: "arm64-requires-linux",
    severity: Severity::Error,
    summary: "The ARM64 CPU architecture is only available for Linux.",
    covers: &["V-TD-030"],
    exception: Some("ClientException"),
};

/// Container fields Windows does not support, and whether a value is "set"
/// in a way that matters (a `false` flag or an empty list is harmless).
const UNSUPPORTED_CONTAINER_FIELDS: &[&str] = &[
    "links",
    "linuxParameters",
    "user",
    "privileged",
    "disableNetworking",
    "readonlyRootFilesystem",
    "dnsServers",
    "dnsSearchDomains",
    "extraHosts",
    "ulimits",
];

pub fn check(context: &Context<'_>, sink: &mut Sink) {
    check_architecture(context, sink);
    if !context.is_windows() {
        return;
    }
    for key in ["pidMode", "ipcMode"] {
        if let Some(field) = context.task_field(key) {
            unsupported(
                sink,
                &field,
                format!("{key} is not supported for Windows containers"),
            );
        }
    }
    for container in &context.containers {
        for key in UNSUPPORTED_CONTAINER_FIELDS {
            let Some(field) = container.field(key) else {
                continue;
            };
            if is_harmless(&field) {
                continue;
            }
            unsupported(
                sink,
                &field,
                format!(
                    "container '{}': {key} is not supported for Windows containers",
                    name_of(container)
                ),
            );
        }
    }
    if context.on_instances() && !context.on_fargate() {
        check_ec2(context, sink);
    }
}

fn is_harmless(field: &Located<'_>) -> bool {
    field.node.as_bool() == Some(false) || (field.node.is_array() && field.node.items().is_empty())
}

fn unsupported(sink: &mut Sink, located: &Located<'_>, message: String) {
    sink.report(
        &WINDOWS_UNSUPPORTED_PARAMETER,
        located.path.clone(),
        key_span(located),
        message,
    );
}

fn check_ec2(context: &Context<'_>, sink: &mut Sink) {
    if let Some(mode) = context.task_field("networkMode") {
        if mode.node.as_str() != Some("awsvpc") {
            sink.report(
                &WINDOWS_NETWORK_MODE,
                mode.path.clone(),
                mode.span(),
                format!("networkMode {} is not supported for Windows containers on EC2: leave networkMode unset (the default NAT network) or use awsvpc", mode.node.as_str().map_or("?".to_string(), |m| format!("\"{m}\""))),
            )
            .with_fix("Use awsvpc", vec![(mode.span(), "\"awsvpc\"".to_string())]);
        }
    }
    for key in ["cpu", "memory"] {
        if let Some(field) = context.task_field(key) {
            sink.report(
                &WINDOWS_TASK_SIZE_IGNORED,
                field.path.clone(),
                key_span(&field),
                format!("task-level {key} is ignored for Windows containers on EC2: set {key} on each container instead"),
            );
        }
    }
}

fn check_architecture(context: &Context<'_>, sink: &mut Sink) {
    let Some(architecture) = context
        .task_field("runtimePlatform")
        .and_then(|p| p.field("cpuArchitecture"))
    else {
        return;
    };
    if architecture.node.as_str() != Some("ARM64") || !context.is_windows() {
        return;
    }
    sink.report(
        &ARM64_REQUIRES_LINUX,
        architecture.path.clone(),
        architecture.span(),
        format!(
            "cpuArchitecture ARM64 is only supported for Linux, not {}",
            context.operating_system().unwrap_or("Windows")
        ),
    )
    .with_fix(
        "Use X86_64",
        vec![(architecture.span(), "\"X86_64\"".to_string())],
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn false_flags_and_empty_lists_are_harmless_on_windows() {
        let found = super::super::findings(
            r#"{"family": "a", "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2019_FULL"},
                "containerDefinitions": [{"name": "a", "image": "x:1", "memory": 512,
                "privileged": false, "links": [], "readonlyRootFilesystem": false}]}"#,
        );
        assert_eq!(found, vec![]);
    }
}
