//! Task-definition volumes (V-VOL-001, V-VOL-004, V-VOL-005, V-VOL-007..009
//! and unique volume names, checklist §7). Fargate's limits on volumes are
//! in `fargate.rs`.

use std::collections::HashMap;

use super::{clean_name, is_simple_name, json_string, key_span, Context};
use crate::check::{Located, Rule, Sink};
use crate::diagnostic::Severity;

pub const VOLUME_NAME_FORMAT: Rule = Rule {
    code: "volume-name-format",
    severity: Severity::Error,
    summary: "A volume `name` is 1 to 255 letters, digits, hyphens and underscores.",
    covers: &["V-VOL-001"],
    exception: Some("ClientException"),
};

pub const DUPLICATE_VOLUME_NAME: Rule = Rule {
    code: "duplicate-volume-name",
    severity: Severity::Error,
    summary: "Volume names are unique within a task definition.",
    covers: &[],
    exception: Some("ClientException"),
};

pub const WINDOWS_VOLUME_DRIVER: Rule = Rule {
    code: "windows-volume-driver",
    severity: Severity::Error,
    summary: "Windows containers only support the `local` Docker volume driver.",
    covers: &["V-VOL-004"],
    exception: Some("ClientException"),
};

pub const AUTOPROVISION_WITHOUT_SHARED_SCOPE: Rule = Rule {
    code: "autoprovision-without-shared-scope",
    severity: Severity::Warning,
    summary: "`autoprovision` only applies to Docker volumes whose `scope` is `shared`.",
    covers: &["V-VOL-005"],
    exception: None,
};

pub const EFS_TRANSIT_ENCRYPTION: Rule = Rule {
    code: "efs-transit-encryption",
    severity: Severity::Error,
    summary:
        "EFS volumes using an access point or IAM authorization need `transitEncryption` ENABLED.",
    covers: &["V-VOL-008", "V-VOL-009"],
    exception: Some("ClientException"),
};

pub const EFS_ACCESS_POINT_ROOT: Rule = Rule {
    code: "efs-access-point-root-directory",
    severity: Severity::Error,
    summary: "With an EFS access point, `rootDirectory` must be omitted or `/`: the access point sets the path.",
    covers: &["V-VOL-007"],
    exception: Some("ClientException"),
};

pub fn check(context: &Context<'_>, sink: &mut Sink) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (index, volume) in context.task_items("volumes").iter().enumerate() {
        if let Some(name_field) = volume.field("name") {
            if let Some(name) = name_field.node.as_str() {
                check_name(&name_field, name, &mut seen, index, sink);
            }
        }
        let name = volume.str_field("name").unwrap_or("?");
        if let Some(docker) = volume.field("dockerVolumeConfiguration") {
            check_docker(context, &docker, name, sink);
        }
        if let Some(efs) = volume.field("efsVolumeConfiguration") {
            check_efs(&efs, name, sink);
        }
    }
}

fn check_name<'a>(
    field: &Located<'_>,
    name: &'a str,
    seen: &mut HashMap<&'a str, usize>,
    index: usize,
    sink: &mut Sink,
) {
    if !is_simple_name(name) {
        let cleaned = clean_name(name);
        let finding = sink.report(
            &VOLUME_NAME_FORMAT,
            field.path.clone(),
            field.span(),
            format!("volume name \"{name}\" is invalid: up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed"),
        );
        if !cleaned.is_empty() {
            finding.with_fix(
                format!("Rename to \"{cleaned}\""),
                vec![(field.span(), json_string(&cleaned))],
            );
        }
    }
    match seen.get(name) {
        Some(first) => {
            sink.report(
                &DUPLICATE_VOLUME_NAME,
                field.path.clone(),
                field.span(),
                format!("Duplicate volume name \"{name}\": volumes[{first}] already uses it, and volume names must be unique within a task definition"),
            );
        }
        None => {
            seen.insert(name, index);
        }
    }
}

fn check_docker(context: &Context<'_>, docker: &Located<'_>, name: &str, sink: &mut Sink) {
    if context.is_windows() {
        if let Some(driver) = docker.field("driver") {
            if driver.node.as_str().is_some_and(|d| d != "local") {
                sink.report(
                    &WINDOWS_VOLUME_DRIVER,
                    driver.path.clone(),
                    driver.span(),
                    format!("volume \"{name}\": Windows containers only support the use of the local driver"),
                )
                .with_fix("Use the local driver", vec![(driver.span(), "\"local\"".to_string())]);
            }
        }
    }
    if let Some(autoprovision) = docker.field("autoprovision") {
        if docker.str_field("scope") != Some("shared") && autoprovision.node.as_bool() == Some(true)
        {
            sink.report(
                &AUTOPROVISION_WITHOUT_SHARED_SCOPE,
                autoprovision.path.clone(),
                key_span(&autoprovision),
                format!("volume \"{name}\": autoprovision is only used if the scope is shared; with scope task (the default) it is ignored"),
            );
        }
    }
}

fn check_efs(efs: &Located<'_>, name: &str, sink: &mut Sink) {
    let authorization = efs.field("authorizationConfig");
    let access_point = authorization
        .as_ref()
        .and_then(|a| a.field("accessPointId"));
    let iam = authorization
        .as_ref()
        .and_then(|a| a.field("iam"))
        .filter(|i| i.node.as_str() == Some("ENABLED"));
    let encrypted = efs.str_field("transitEncryption") == Some("ENABLED");
    let reason = match (&access_point, &iam) {
        (Some(_), _) => Some("an access point is used"),
        (None, Some(_)) => Some("IAM authorization is enabled"),
        _ => None,
    };
    if let (Some(reason), false) = (reason, encrypted) {
        let message =
            format!("volume \"{name}\": transit encryption must be enabled when {reason}");
        match efs.field("transitEncryption") {
            Some(field) => {
                sink.report(
                    &EFS_TRANSIT_ENCRYPTION,
                    field.path.clone(),
                    field.span(),
                    message,
                )
                .with_fix(
                    "Enable transit encryption",
                    vec![(field.span(), "\"ENABLED\"".to_string())],
                );
            }
            None => {
                sink.report_missing(&EFS_TRANSIT_ENCRYPTION, efs, "transitEncryption", message);
            }
        }
    }
    if access_point.is_some() {
        if let Some(root) = efs.field("rootDirectory") {
            if root.node.as_str().is_some_and(|r| r != "/") {
                sink.report(
                    &EFS_ACCESS_POINT_ROOT,
                    root.path.clone(),
                    root.span(),
                    format!("volume \"{name}\": if an EFS access point is specified in the authorizationConfig, the root directory parameter must either be omitted or set to / which will enforce the path set on the EFS access point"),
                )
                .with_fix("Use /", vec![(root.span(), "\"/\"".to_string())]);
            }
        }
    }
}
