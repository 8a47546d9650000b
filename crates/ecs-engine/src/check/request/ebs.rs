//! Managed EBS volumes configured at launch (seed-checklist §2.19):
//! `volumeConfigurations` of RunTask, StartTask, CreateService and UpdateService.

use super::{tags, Request};
use crate::check::{Located, Rule, Sink};
use crate::diagnostic::Severity;

pub const EBS_VOLUME_NOT_CONFIGURED_AT_LAUNCH: Rule = Rule {
    code: "ebs-volume-not-configured-at-launch",
    severity: Severity::Error,
    summary: "A volume configuration's `name` must be a task-definition volume marked `configuredAtLaunch`.",
    covers: &["V-EBS-001"],
    exception: Some("InvalidParameterException"),
};

pub const EBS_STANDARD_ON_FARGATE: Rule = Rule {
    code: "ebs-standard-on-fargate",
    severity: Severity::Error,
    summary: "The `standard` (magnetic) volume type is not supported on Fargate.",
    covers: &["V-EBS-004"],
    exception: Some("InvalidParameterException"),
};

pub const EBS_SIZE_OR_SNAPSHOT: Rule = Rule {
    code: "ebs-size-or-snapshot",
    severity: Severity::Error,
    summary: "A managed EBS volume needs `sizeInGiB`, `snapshotId`, or both.",
    covers: &["V-EBS-005"],
    exception: Some("InvalidParameterException"),
};

pub const EBS_SIZE_RANGE: Rule = Rule {
    code: "ebs-size-range",
    severity: Severity::Error,
    summary: "`sizeInGiB`: gp2/gp3 1-16384, io1/io2 4-16384, st1/sc1 125-16384, standard 1-1024.",
    covers: &["V-EBS-006"],
    exception: Some("InvalidParameterException"),
};

pub const EBS_IOPS: Rule = Rule {
    code: "ebs-iops",
    severity: Severity::Error,
    summary: "`iops`: required for io1/io2, not for st1/sc1/standard; gp3 3000-16000, io1 100-64000, io2 100-256000.",
    covers: &["V-EBS-007", "V-EBS-008"],
    exception: Some("InvalidParameterException"),
};

pub const EBS_THROUGHPUT: Rule = Rule {
    code: "ebs-throughput",
    severity: Severity::Error,
    summary: "`throughput` is only for gp3 volumes, at most 1000 MiB/s.",
    covers: &["V-EBS-009"],
    exception: Some("InvalidParameterException"),
};

/// The volume type ECS uses when none is given.
const DEFAULT_VOLUME_TYPE: &str = "gp3";

pub fn check(req: &Request<'_>, sink: &mut Sink) {
    let fargate = req.is_fargate();
    let td = req.task_def();
    for config in req.root.items("volumeConfigurations") {
        if let (Some(td), Some(name)) = (td, config.field("name")) {
            if let Some(text) = name.node.as_str() {
                let at_launch = td.volumes_configured_at_launch();
                if !at_launch.contains(&text) {
                    sink.report(
                        &EBS_VOLUME_NOT_CONFIGURED_AT_LAUNCH,
                        name.path.clone(),
                        name.span(),
                        format!("the volume \"{text}\" is not a volume of {} marked configuredAtLaunch ({})", td.family(), if at_launch.is_empty() { "it has none".to_string() } else { at_launch.join(", ") }),
                    );
                }
            }
        }
        if let Some(volume) = config.field("managedEBSVolume") {
            check_volume(&volume, fargate, sink);
        }
    }
}

fn check_volume(volume: &Located<'_>, fargate: bool, sink: &mut Sink) {
    let kind = volume
        .str_field("volumeType")
        .unwrap_or(DEFAULT_VOLUME_TYPE);
    if fargate && kind == "standard" {
        if let Some(field) = volume.field("volumeType") {
            sink.report(
                &EBS_STANDARD_ON_FARGATE,
                field.path.clone(),
                field.span(),
                "the standard (magnetic) volume type is not supported on Fargate",
            )
            .with_fix("Use gp3", vec![(field.span(), "\"gp3\"".to_string())]);
        }
    }
    let size = volume.field("sizeInGiB");
    if size.is_none() && volume.field("snapshotId").is_none() {
        sink.report_missing(&EBS_SIZE_OR_SNAPSHOT, volume, "sizeInGiB", "specify sizeInGiB, snapshotId, or both: with only a snapshot the volume takes the snapshot's size");
    }
    if let Some(size) = &size {
        let range = match kind {
            "gp2" | "gp3" => Some((1, 16384)),
            "io1" | "io2" => Some((4, 16384)),
            "st1" | "sc1" => Some((125, 16384)),
            "standard" => Some((1, 1024)),
            _ => None,
        };
        if let (Some((min, max)), Some(n)) = (range, size.node.as_i64()) {
            if !(min..=max).contains(&n) {
                sink.report(
                    &EBS_SIZE_RANGE,
                    size.path.clone(),
                    size.span(),
                    format!("sizeInGiB {n} is out of range for {kind} volumes: {min}-{max} GiB"),
                );
            }
        }
    }
    let iops = volume.field("iops");
    match (&iops, kind) {
        (None, "io1" | "io2") => {
            sink.report_missing(
                &EBS_IOPS,
                volume,
                "iops",
                format!("iops is required for {kind} volumes"),
            );
        }
        (Some(field), "st1" | "sc1" | "standard") => {
            sink.report(
                &EBS_IOPS,
                field.path.clone(),
                field.key_span.unwrap_or(field.span()),
                format!("iops is not supported for {kind} volumes"),
            );
        }
        (Some(field), _) => {
            let range = match kind {
                "gp3" => Some((3000, 16000)),
                "io1" => Some((100, 64000)),
                "io2" => Some((100, 256000)),
                _ => None,
            };
            if let (Some((min, max)), Some(n)) = (range, field.node.as_i64()) {
                if !(min..=max).contains(&n) {
                    sink.report(
                        &EBS_IOPS,
                        field.path.clone(),
                        field.span(),
                        format!("iops {n} is out of range for {kind} volumes: {min}-{max}"),
                    );
                }
            }
        }
        _ => {}
    }
    if let Some(field) = volume.field("throughput") {
        if kind != "gp3" {
            sink.report(
                &EBS_THROUGHPUT,
                field.path.clone(),
                field.key_span.unwrap_or(field.span()),
                format!("throughput is only supported for gp3 volumes, not {kind}"),
            );
        } else if field.node.as_i64().is_some_and(|n| n > 1000) {
            sink.report(
                &EBS_THROUGHPUT,
                field.path.clone(),
                field.span(),
                "throughput is at most 1000 MiB/s",
            );
        }
    }
    for spec in volume.items("tagSpecifications") {
        if let Some(list) = spec.field("tags") {
            tags::check_ebs_tags(&list, sink);
        }
    }
}
