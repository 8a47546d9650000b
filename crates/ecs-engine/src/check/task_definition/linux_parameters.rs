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

pub const LINUX_PARAMETER_VALUE: Rule = Rule {
    code: "linux-parameter-value",
    severity: Severity::Error,
    summary: "Kernel capabilities come from Docker's list of 38 (without the CAP_ prefix), and tmpfs mount options from the 39 Linux mount options ECS accepts.",
    covers: &["V-CD-023"],
    exception: Some("ClientException"),
};

/// Kernel capabilities ECS accepts in `capabilities.add` and `drop` (000:11651).
pub const CAPABILITIES: &[&str] = &[
    "ALL",
    "AUDIT_CONTROL",
    "AUDIT_WRITE",
    "BLOCK_SUSPEND",
    "CHOWN",
    "DAC_OVERRIDE",
    "DAC_READ_SEARCH",
    "FOWNER",
    "FSETID",
    "IPC_LOCK",
    "IPC_OWNER",
    "KILL",
    "LEASE",
    "LINUX_IMMUTABLE",
    "MAC_ADMIN",
    "MAC_OVERRIDE",
    "MKNOD",
    "NET_ADMIN",
    "NET_BIND_SERVICE",
    "NET_BROADCAST",
    "NET_RAW",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_ADMIN",
    "SYS_BOOT",
    "SYS_CHROOT",
    "SYS_MODULE",
    "SYS_NICE",
    "SYS_PACCT",
    "SYS_PTRACE",
    "SYS_RAWIO",
    "SYS_RESOURCE",
    "SYS_TIME",
    "SYS_TTY_CONFIG",
    "SYSLOG",
    "WAKE_ALARM",
];

/// tmpfs mount options (000:11725); `mode`, `uid` and the like take `=value`.
pub const TMPFS_MOUNT_OPTIONS: &[&str] = &[
    "defaults",
    "ro",
    "rw",
    "suid",
    "nosuid",
    "dev",
    "nodev",
    "exec",
    "noexec",
    "sync",
    "async",
    "dirsync",
    "remount",
    "mand",
    "nomand",
    "atime",
    "noatime",
    "diratime",
    "nodiratime",
    "bind",
    "rbind",
    "unbindable",
    "runbindable",
    "private",
    "rprivate",
    "shared",
    "rshared",
    "slave",
    "rslave",
    "relatime",
    "norelatime",
    "strictatime",
    "nostrictatime",
    "mode",
    "uid",
    "gid",
    "nr_inodes",
    "nr_blocks",
    "mpol",
];

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
        check_values(&linux, name, sink);
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

fn check_values(linux: &Located<'_>, name: &str, sink: &mut Sink) {
    let mut capabilities = Vec::new();
    if let Some(set) = linux.field("capabilities") {
        capabilities.extend(set.items("add"));
        capabilities.extend(set.items("drop"));
    }
    for capability in capabilities {
        let Some(text) = capability.node.as_str() else {
            continue;
        };
        if CAPABILITIES.contains(&text) {
            continue;
        }
        let normalised = text.to_ascii_uppercase();
        let normalised = normalised.strip_prefix("CAP_").unwrap_or(&normalised);
        let finding = sink.report(
            &LINUX_PARAMETER_VALUE,
            capability.path.clone(),
            capability.span(),
            format!("container '{name}': \"{text}\" is not a kernel capability ECS accepts: use a name from Docker's list, like SYS_PTRACE or NET_ADMIN, without the CAP_ prefix"),
        );
        if CAPABILITIES.contains(&normalised) {
            finding.with_fix(
                format!("Use {normalised}"),
                vec![(capability.span(), super::json_string(normalised))],
            );
        }
    }
    for mount in linux.items("tmpfs") {
        for option in mount.items("mountOptions") {
            let Some(text) = option.node.as_str() else {
                continue;
            };
            let key = text.split('=').next().unwrap_or(text);
            if TMPFS_MOUNT_OPTIONS.contains(&key) {
                continue;
            }
            sink.report(
                &LINUX_PARAMETER_VALUE,
                option.path.clone(),
                option.span(),
                format!("container '{name}': \"{text}\" is not a tmpfs mount option ECS accepts, such as rw, noexec, nosuid or mode=1777"),
            );
        }
    }
}
