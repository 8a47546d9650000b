//! Numeric Linux parameters (V-CD-027..029): swap and shared memory.

use super::{name_of, Context};
use crate::check::{Located, Rule, Sink};
use crate::diagnostic::Severity;

pub const LINUX_PARAMETER_RANGE: Rule = Rule {
    code: "linux-parameter-range",
    severity: Severity::Error,
    summary: "`maxSwap` is 0 or more, `swappiness` 0 to 100, and `sharedMemorySize` and tmpfs `size` are positive MiB.",
    covers: &["V-CD-027", "V-CD-028", "V-CD-029"],
    exception: Some("ClientException"),
};

pub const SWAPPINESS_WITHOUT_MAX_SWAP: Rule = Rule {
    code: "swappiness-without-max-swap",
    severity: Severity::Info,
    summary: "`swappiness` is ignored unless `maxSwap` is set.",
    covers: &[],
    exception: None,
};

pub fn check(context: &Context<'_>, sink: &mut Sink) {
    for container in &context.containers {
        let Some(linux) = container.field("linuxParameters") else {
            continue;
        };
        let name = name_of(container);
        check_range(
            &linux,
            "maxSwap",
            0,
            i64::MAX,
            name,
            "maxSwap must be 0 or a positive integer (MiB)",
            sink,
        );
        check_range(
            &linux,
            "swappiness",
            0,
            100,
            name,
            "swappiness accepts whole numbers between 0 and 100",
            sink,
        );
        check_range(
            &linux,
            "sharedMemorySize",
            1,
            i64::MAX,
            name,
            "sharedMemorySize is the size in MiB of /dev/shm and must be positive",
            sink,
        );
        for mount in linux.items("tmpfs") {
            check_range(
                &mount,
                "size",
                1,
                i64::MAX,
                name,
                "the maximum size (in MiB) of the tmpfs volume must be positive",
                sink,
            );
        }
        if let (Some(swappiness), None) = (linux.field("swappiness"), linux.field("maxSwap")) {
            sink.report(
                &SWAPPINESS_WITHOUT_MAX_SWAP,
                swappiness.path.clone(),
                super::key_span(&swappiness),
                format!("container '{name}': swappiness is ignored because maxSwap is not set; without maxSwap the container uses the instance's swap configuration"),
            );
        }
    }
}

fn check_range(
    parent: &Located<'_>,
    key: &str,
    min: i64,
    max: i64,
    name: &str,
    rule_text: &str,
    sink: &mut Sink,
) {
    let Some(field) = parent.field(key) else {
        return;
    };
    let Some(value) = field.node.as_i64() else {
        return;
    };
    if (min..=max).contains(&value) {
        return;
    }
    let nearest = value.clamp(min, max);
    sink.report(
        &LINUX_PARAMETER_RANGE,
        field.path.clone(),
        field.span(),
        format!("container '{name}': {key} {value} is out of range: {rule_text}"),
    )
    .with_fix(
        format!("Use {nearest}"),
        vec![(field.span(), nearest.to_string())],
    );
}
