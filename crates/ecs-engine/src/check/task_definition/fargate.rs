//! Fargate's requirements and what it does not support (V-TD-006,
//! V-TD-012, V-TD-013, V-TD-015, V-TD-020, V-TD-021, V-CD-024..029,
//! V-CD-042, V-CD-044, V-VOL-002, V-VOL-003, V-PL-006). Each rule applies
//! when `requiresCompatibilities` lists FARGATE, since the definition must
//! validate for every listed compatibility (V-TD-008).

use super::{json_string, key_span, name_of, Context};
use crate::check::{Located, Rule, Sink};
use crate::diagnostic::Severity;
use crate::units::{
    fargate_size, nearest_fargate_size, parse_cpu_units, parse_memory_mib, FARGATE_SIZES,
};

pub const FARGATE_NETWORK_MODE: Rule = Rule {
    code: "fargate-requires-awsvpc",
    severity: Severity::Error,
    summary: "A task definition that requires FARGATE must use the awsvpc network mode.",
    covers: &["V-TD-006", "V-TD-008"],
    exception: Some("ClientException"),
};

pub const FARGATE_CPU_MEMORY: Rule = Rule {
    code: "fargate-cpu-memory",
    severity: Severity::Error,
    summary: "Fargate needs task-level cpu and memory forming a supported pair for the operating system (Windows needs at least 1 vCPU).",
    covers: &["V-TD-012", "V-TD-013", "V-TD-015"],
    exception: Some("ClientException"),
};

pub const FARGATE_UNSUPPORTED_PARAMETER: Rule = Rule {
    code: "fargate-unsupported-parameter",
    severity: Severity::Error,
    summary: "Parameters Fargate does not support: pidMode host, ipcMode, placement constraints, privileged, devices, sharedMemorySize, tmpfs, maxSwap, swappiness, dockerSecurityOptions, GPUs, inference accelerators, host source paths and Docker volumes.",
    covers: &[
        "V-TD-020", "V-TD-021", "V-TD-036", "V-PL-006", "V-CD-025", "V-CD-026", "V-CD-027",
        "V-CD-028", "V-CD-029", "V-CD-042", "V-CD-044", "V-VOL-002", "V-VOL-003",
    ],
    exception: Some("ClientException"),
};

pub const FARGATE_CAPABILITIES: Rule = Rule {
    code: "fargate-capabilities",
    severity: Severity::Error,
    summary: "On Fargate, `linuxParameters.capabilities.add` may only contain SYS_PTRACE.",
    covers: &["V-CD-024"],
    exception: Some("ClientException"),
};

pub fn check(context: &Context<'_>, sink: &mut Sink) {
    if !context.on_fargate() {
        return;
    }
    let Some(task_def) = &context.task_def else {
        return;
    };
    check_network_mode(task_def, sink);
    check_size(context, task_def, sink);
    check_task_parameters(context, sink);
    for container in &context.containers {
        check_container(container, sink);
    }
    for volume in context.task_items("volumes") {
        let name = volume.str_field("name").unwrap_or("?");
        if let Some(path) = volume.field("host").and_then(|h| h.field("sourcePath")) {
            unsupported(sink, &path, format!("volume \"{name}\": host.sourcePath is not supported on Fargate (requiresCompatibilities includes FARGATE); omit host to use a bind mount in the task's storage"));
        }
        if let Some(docker) = volume.field("dockerVolumeConfiguration") {
            unsupported(sink, &docker, format!("volume \"{name}\": dockerVolumeConfiguration is not supported on Fargate (requiresCompatibilities includes FARGATE); use an EFS volume or a bind mount"));
        }
    }
}

fn unsupported(sink: &mut Sink, located: &Located<'_>, message: String) {
    sink.report(
        &FARGATE_UNSUPPORTED_PARAMETER,
        located.path.clone(),
        key_span(located),
        message,
    );
}

fn check_network_mode(task_def: &Located<'_>, sink: &mut Sink) {
    let network_mode = task_def.str_field("networkMode");
    // A case slip ("AWSVPC") is the shape check's enum-value, reported with its fix there.
    if network_mode.is_some_and(|mode| mode.eq_ignore_ascii_case("awsvpc")) {
        return;
    }
    let message = match network_mode {
        Some(mode) => format!("Fargate only supports network mode 'awsvpc': networkMode \"{mode}\" fails validation for FARGATE, which requiresCompatibilities lists"),
        None => "Fargate only supports network mode 'awsvpc': networkMode defaults to bridge, which fails validation for FARGATE, which requiresCompatibilities lists".to_string(),
    };
    match task_def.field("networkMode") {
        Some(mode) => {
            sink.report(
                &FARGATE_NETWORK_MODE,
                mode.path.clone(),
                mode.span(),
                message,
            )
            .with_fix("Use awsvpc", vec![(mode.span(), "\"awsvpc\"".to_string())]);
        }
        None => {
            sink.report_missing(&FARGATE_NETWORK_MODE, task_def, "networkMode", message);
        }
    }
}

fn check_size(context: &Context<'_>, task_def: &Located<'_>, sink: &mut Sink) {
    let (Some(cpu_field), Some(memory_field)) = (task_def.field("cpu"), task_def.field("memory"))
    else {
        let missing = match (task_def.field("cpu"), task_def.field("memory")) {
            (None, None) => "cpu and memory",
            (None, _) => "cpu",
            _ => "memory",
        };
        sink.report_missing(
            &FARGATE_CPU_MEMORY,
            task_def,
            if missing == "memory" { "memory" } else { "cpu" },
            format!(
                "Fargate requires task-level {missing} (requiresCompatibilities includes FARGATE)"
            ),
        );
        return;
    };
    let (Some(cpu), Some(memory)) = (
        read(&cpu_field, parse_cpu_units),
        read(&memory_field, parse_memory_mib),
    ) else {
        return; // Unreadable values are reported by the task-cpu-format rules.
    };
    let windows = context.is_windows();
    let size = fargate_size(cpu).filter(|size| size.windows || !windows);
    if size.is_some_and(|size| size.allows_memory(memory)) {
        return;
    }
    let (fix_cpu, fix_memory) = nearest(cpu, memory, windows);
    let allowed = match size {
        Some(size) => format!(
            "with cpu {cpu}, memory must be one of {}",
            size.memory_choices()
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None if windows => "Windows on Fargate needs cpu 1024, 2048 or 4096".to_string(),
        None => "cpu must be 256, 512, 1024, 2048, 4096, 8192 or 16384".to_string(),
    };
    let (path, span) = if size.is_some() {
        (memory_field.path.clone(), memory_field.span())
    } else {
        (cpu_field.path.clone(), cpu_field.span())
    };
    let os = if windows { "Windows " } else { "" };
    sink.report(
        &FARGATE_CPU_MEMORY,
        path,
        span,
        format!("Invalid 'cpu' setting for task: {os}Fargate does not support cpu {cpu} with memory {memory} MiB ({allowed})"),
    )
    .with_fix(
        format!("Use the nearest valid size: cpu {fix_cpu}, memory {fix_memory}"),
        vec![
            (cpu_field.span(), json_string(&fix_cpu.to_string())),
            (memory_field.span(), json_string(&fix_memory.to_string())),
        ],
    );
}

fn read(field: &Located<'_>, parse: fn(&str) -> Option<u32>) -> Option<u32> {
    match field.node.as_str() {
        Some(text) => parse(text),
        None => field.node.as_i64().and_then(|n| u32::try_from(n).ok()),
    }
}

/// The nearest valid pair, restricted to the rows Windows supports.
fn nearest(cpu: u32, memory: u32, windows: bool) -> (u32, u32) {
    if !windows {
        return nearest_fargate_size(cpu, memory);
    }
    let rows = || FARGATE_SIZES.iter().filter(|s| s.windows);
    for size in rows() {
        if size.cpu < cpu {
            continue;
        }
        if let Some(m) = size.memory_choices().into_iter().find(|&m| m >= memory) {
            return (size.cpu, m);
        }
    }
    rows()
        .next_back()
        .map_or((4096, 30720), |s| (s.cpu, s.memory_max))
}

fn check_task_parameters(context: &Context<'_>, sink: &mut Sink) {
    if let Some(pid) = context.task_field("pidMode") {
        if pid.node.as_str() == Some("host") {
            unsupported(sink, &pid, "pidMode \"host\" is not supported on Fargate (requiresCompatibilities includes FARGATE); only \"task\" is".to_string());
        }
    }
    if let Some(ipc) = context.task_field("ipcMode") {
        unsupported(sink, &ipc, "ipcMode is not supported for tasks run on Fargate (requiresCompatibilities includes FARGATE)".to_string());
    }
    if let Some(accelerators) = context.task_field("inferenceAccelerators") {
        if !accelerators.node.items().is_empty() {
            unsupported(sink, &accelerators, "inferenceAccelerators (Elastic Inference) are not supported for tasks run on Fargate (requiresCompatibilities includes FARGATE)".to_string());
        }
    }
    if let Some(constraints) = context.task_field("placementConstraints") {
        if !constraints.node.items().is_empty() {
            unsupported(sink, &constraints, "Task placement constraints are not supported for tasks run on Fargate (requiresCompatibilities includes FARGATE)".to_string());
        }
    }
}

fn check_container(container: &Located<'_>, sink: &mut Sink) {
    let name = name_of(container);
    if let Some(privileged) = container.field("privileged") {
        if privileged.node.as_bool() == Some(true) {
            unsupported(sink, &privileged, format!("container '{name}': privileged is not supported on Fargate (requiresCompatibilities includes FARGATE)"));
        }
    }
    if let Some(options) = container.field("dockerSecurityOptions") {
        if !options.node.items().is_empty() {
            unsupported(sink, &options, format!("container '{name}': dockerSecurityOptions is not valid for containers in tasks using Fargate (requiresCompatibilities includes FARGATE)"));
        }
    }
    for requirement in container.items("resourceRequirements") {
        if requirement.str_field("type") == Some("GPU") {
            unsupported(sink, &requirement, format!("container '{name}': GPU resource requirements are not supported on Fargate (requiresCompatibilities includes FARGATE)"));
        }
    }
    let Some(linux) = container.field("linuxParameters") else {
        return;
    };
    for key in [
        "devices",
        "sharedMemorySize",
        "tmpfs",
        "maxSwap",
        "swappiness",
    ] {
        if let Some(field) = linux.field(key) {
            if field.node.is_array() && field.node.items().is_empty() {
                continue;
            }
            unsupported(sink, &field, format!("container '{name}': linuxParameters.{key} is not supported on Fargate (requiresCompatibilities includes FARGATE)"));
        }
    }
    for capability in linux
        .field("capabilities")
        .map(|c| c.items("add"))
        .unwrap_or_default()
    {
        let Some(value) = capability.node.as_str() else {
            continue;
        };
        if value != "SYS_PTRACE" {
            sink.report(
                &FARGATE_CAPABILITIES,
                capability.path.clone(),
                capability.span(),
                format!("container '{name}': capability {value} cannot be added on Fargate (requiresCompatibilities includes FARGATE); SYS_PTRACE is the only kernel capability Fargate allows adding"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_windows_size_has_at_least_one_vcpu() {
        assert_eq!(nearest(256, 512, true), (1024, 2048));
        assert_eq!(nearest(256, 512, false), (256, 512));
        assert_eq!(nearest(8192, 16384, true), (4096, 30720));
    }
}
