//! Task-definition rules (seed-checklist §2.7 and §2.8).

use super::{Located, Rule, Sink};
use crate::diagnostic::Severity;
use crate::units::{fargate_size, nearest_fargate_size, parse_cpu_units, parse_memory_mib};

pub const FAMILY_REQUIRED: Rule = Rule {
    code: "family-required",
    severity: Severity::Error,
    summary: "A task definition needs a `family`.",
    covers: &["V-TD-001"],
    exception: Some("ClientException"),
};

pub const FAMILY_FORMAT: Rule = Rule {
    code: "family-format",
    severity: Severity::Error,
    summary: "`family` is 1 to 255 letters, digits, hyphens and underscores.",
    covers: &["V-TD-002"],
    exception: Some("ClientException"),
};

pub const CONTAINERS_REQUIRED: Rule = Rule {
    code: "container-definitions-required",
    severity: Severity::Error,
    summary: "A task definition needs at least one container definition.",
    covers: &["V-TD-003"],
    exception: Some("ClientException"),
};

pub const ESSENTIAL_CONTAINER: Rule = Rule {
    code: "essential-container-required",
    severity: Severity::Error,
    summary: "At least one container must be essential (`essential` defaults to true).",
    covers: &["V-TD-004"],
    exception: Some("ClientException"),
};

pub const CONTAINER_MEMORY_REQUIRED: Rule = Rule {
    code: "container-memory-required",
    severity: Severity::Error,
    summary:
        "Without task-level memory, every container needs `memory` or `memoryReservation` (EC2).",
    covers: &["V-TD-019"],
    exception: Some("ClientException"),
};

pub const CONTAINER_MEMORY_OVER_TASK: Rule = Rule {
    code: "container-memory-over-task",
    severity: Severity::Error,
    summary: "The containers' memory must fit within the task-level memory.",
    covers: &["V-TD-018"],
    exception: Some("ClientException"),
};

pub const CONTAINER_CPU_OVER_TASK: Rule = Rule {
    code: "container-cpu-over-task",
    severity: Severity::Error,
    summary: "The containers' cpu must fit within the task-level cpu.",
    covers: &["V-TD-017"],
    exception: Some("ClientException"),
};

pub const MEMORY_RESERVATION_OVER_MEMORY: Rule = Rule {
    code: "memory-reservation-not-below-memory",
    severity: Severity::Error,
    summary:
        "When both are set, a container's `memory` must be greater than its `memoryReservation`.",
    covers: &["V-CD-004"],
    exception: Some("ClientException"),
};

pub const FARGATE_CPU_MEMORY: Rule = Rule {
    code: "fargate-cpu-memory",
    severity: Severity::Error,
    summary: "Fargate needs task-level cpu and memory forming a supported pair.",
    covers: &["V-TD-012", "V-TD-013"],
    exception: Some("ClientException"),
};

pub const FARGATE_NETWORK_MODE: Rule = Rule {
    code: "fargate-requires-awsvpc",
    severity: Severity::Error,
    summary: "A task definition that requires FARGATE must use the awsvpc network mode.",
    covers: &["V-TD-006"],
    exception: Some("ClientException"),
};

pub const RULES: &[&Rule] = &[
    &FAMILY_REQUIRED,
    &FAMILY_FORMAT,
    &CONTAINERS_REQUIRED,
    &ESSENTIAL_CONTAINER,
    &CONTAINER_MEMORY_REQUIRED,
    &CONTAINER_MEMORY_OVER_TASK,
    &CONTAINER_CPU_OVER_TASK,
    &MEMORY_RESERVATION_OVER_MEMORY,
    &FARGATE_CPU_MEMORY,
    &FARGATE_NETWORK_MODE,
];

/// Applies every task-definition rule to `task_def`.
pub fn check(task_def: &Located<'_>, sink: &mut Sink) {
    check_family(task_def, sink);
    let containers = task_def.items("containerDefinitions");
    if containers.is_empty() {
        match task_def.field("containerDefinitions") {
            Some(list) => {
                sink.report(
                    &CONTAINERS_REQUIRED,
                    list.path.clone(),
                    list.span(),
                    "containerDefinitions is empty: a task definition needs at least one container",
                );
            }
            None => {
                sink.report_missing(&CONTAINERS_REQUIRED, task_def, "containerDefinitions", "missing required field containerDefinitions: a task definition needs at least one container");
            }
        }
        return;
    }
    check_essential(&containers, task_def, sink);
    check_container_memory(&containers, task_def, sink);
    check_fargate(task_def, sink);
}

fn check_family(task_def: &Located<'_>, sink: &mut Sink) {
    let Some(family) = task_def.field("family") else {
        sink.report_missing(
            &FAMILY_REQUIRED,
            task_def,
            "family",
            "missing required field family",
        );
        return;
    };
    let Some(name) = family.node.as_str() else {
        return; // A type error, reported by the shape check.
    };
    let valid_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if name.is_empty() || name.len() > 255 || !valid_chars {
        let cleaned: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '-'
                }
            })
            .take(255)
            .collect();
        let finding = sink.report(
            &FAMILY_FORMAT,
            family.path.clone(),
            family.span(),
            format!("family \"{name}\" is invalid: up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed"),
        );
        if !cleaned.is_empty() {
            finding.with_fix(
                format!("Rename to \"{cleaned}\""),
                vec![(family.span(), json_string(&cleaned))],
            );
        }
    }
}

fn check_essential(containers: &[Located<'_>], task_def: &Located<'_>, sink: &mut Sink) {
    let any_essential = containers
        .iter()
        .any(|c| c.bool_field("essential").unwrap_or(true));
    if any_essential {
        return;
    }
    let list = task_def.field("containerDefinitions");
    let span = list
        .as_ref()
        .and_then(|l| l.key_span)
        .unwrap_or(task_def.span());
    let finding = sink.report(
        &ESSENTIAL_CONTAINER,
        task_def.path.key("containerDefinitions"),
        span,
        "no container is essential: at least one container in a task definition must be marked essential",
    );
    if let Some(flag) = containers[0].field("essential") {
        finding.with_fix(
            "Mark the first container essential",
            vec![(flag.span(), "true".to_string())],
        );
    }
}

/// Memory that a container reserves on an instance: memoryReservation if set,
/// else memory (seed 000:11421, 000:11431).
fn container_memory(container: &Located<'_>) -> Option<i64> {
    container
        .int_field("memoryReservation")
        .filter(|&m| m > 0)
        .or_else(|| container.int_field("memory").filter(|&m| m > 0))
}

fn check_container_memory(containers: &[Located<'_>], task_def: &Located<'_>, sink: &mut Sink) {
    let task_memory = task_def.str_field("memory").and_then(parse_memory_mib);
    let task_cpu = task_def.str_field("cpu").and_then(parse_cpu_units);
    let fargate_only = requires(task_def, "FARGATE") && !requires(task_def, "EC2");

    for container in containers {
        let memory = container.int_field("memory");
        let reservation = container.int_field("memoryReservation");
        if let (Some(hard), Some(soft), Some(reservation_node)) =
            (memory, reservation, container.field("memoryReservation"))
        {
            if hard <= soft {
                sink.report(
                    &MEMORY_RESERVATION_OVER_MEMORY,
                    reservation_node.path.clone(),
                    reservation_node.span(),
                    format!("memoryReservation ({soft} MiB) must be less than memory ({hard} MiB): memory is the hard limit, memoryReservation the soft one"),
                );
            }
        }
        if task_memory.is_none() && !fargate_only && container_memory(container).is_none() {
            let name = container.str_field("name").unwrap_or("?");
            let span = container
                .field("name")
                .map_or(container.span(), |n| n.span());
            sink.report(
                &CONTAINER_MEMORY_REQUIRED,
                container.path.key("memory"),
                span,
                format!("container \"{name}\" has no memory or memoryReservation, and the task has no task-level memory: set one of them"),
            );
        }
    }

    if let (Some(task_memory), Some(list)) = (task_memory, task_def.field("containerDefinitions")) {
        let total: i64 = containers
            .iter()
            .filter_map(|c| c.int_field("memory"))
            .sum();
        if total > i64::from(task_memory) {
            sink.report(
                &CONTAINER_MEMORY_OVER_TASK,
                list.path.clone(),
                list.key_span.unwrap_or(list.span()),
                format!("the containers' memory adds up to {total} MiB, more than the task's {task_memory} MiB"),
            );
        }
    }
    if let (Some(task_cpu), Some(list)) = (task_cpu, task_def.field("containerDefinitions")) {
        let total: i64 = containers.iter().filter_map(|c| c.int_field("cpu")).sum();
        if total > i64::from(task_cpu) {
            sink.report(
                &CONTAINER_CPU_OVER_TASK,
                list.path.clone(),
                list.key_span.unwrap_or(list.span()),
                format!(
                    "the containers' cpu adds up to {total} units, more than the task's {task_cpu}"
                ),
            );
        }
    }
}

fn requires(task_def: &Located<'_>, compatibility: &str) -> bool {
    task_def
        .node
        .get("requiresCompatibilities")
        .is_some_and(|list| {
            list.items()
                .iter()
                .any(|c| c.as_str() == Some(compatibility))
        })
}

fn check_fargate(task_def: &Located<'_>, sink: &mut Sink) {
    if !requires(task_def, "FARGATE") {
        return;
    }
    let network_mode = task_def.str_field("networkMode");
    // A case slip ("AWSVPC") is the shape check's enum-value, reported with its fix there.
    if !network_mode.is_some_and(|mode| mode.eq_ignore_ascii_case("awsvpc")) {
        let message = match network_mode {
            Some(mode) => format!("networkMode \"{mode}\" is not supported on Fargate: tasks that require FARGATE must use awsvpc"),
            None => "networkMode defaults to bridge, which Fargate does not support: tasks that require FARGATE must use awsvpc".to_string(),
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

    let cpu_field = task_def.field("cpu");
    let memory_field = task_def.field("memory");
    let (Some(cpu_field), Some(memory_field)) = (cpu_field, memory_field) else {
        let missing = match (task_def.field("cpu"), task_def.field("memory")) {
            (None, None) => "cpu and memory",
            (None, _) => "cpu",
            _ => "memory",
        };
        sink.report_missing(
            &FARGATE_CPU_MEMORY,
            task_def,
            if missing == "memory" { "memory" } else { "cpu" },
            format!("Fargate requires task-level {missing}"),
        );
        return;
    };
    let (Some(cpu), Some(memory)) = (
        cpu_field.node.as_str().and_then(parse_cpu_units),
        memory_field.node.as_str().and_then(parse_memory_mib),
    ) else {
        return; // Unreadable values are reported by the shape check.
    };
    let valid = fargate_size(cpu).is_some_and(|size| size.allows_memory(memory));
    if !valid {
        let (fix_cpu, fix_memory) = nearest_fargate_size(cpu, memory);
        let allowed = match fargate_size(cpu) {
            Some(size) => format!(
                "with cpu {cpu}, memory must be one of {}",
                size.memory_choices()
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None => "cpu must be 256, 512, 1024, 2048, 4096, 8192 or 16384".to_string(),
        };
        sink.report(
            &FARGATE_CPU_MEMORY,
            memory_field.path.clone(),
            if fargate_size(cpu).is_some() { memory_field.span() } else { cpu_field.span() },
            format!("Invalid 'cpu' setting for task: Fargate does not support cpu {cpu} with memory {memory} MiB ({allowed})"),
        )
        .with_fix(
            format!("Use the nearest valid size: cpu {fix_cpu}, memory {fix_memory}"),
            vec![
                (cpu_field.span(), json_string(&fix_cpu.to_string())),
                (memory_field.span(), json_string(&fix_memory.to_string())),
            ],
        );
    }
}

fn json_string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// Checks a bare containerDefinitions array, where task-level context is unknown.
pub fn check_bare_containers(list: &Located<'_>, sink: &mut Sink) {
    let containers: Vec<Located<'_>> = list
        .node
        .items()
        .iter()
        .enumerate()
        .map(|(i, node)| Located {
            node,
            path: list.path.index(i),
            key_span: None,
        })
        .collect();
    if containers.is_empty() {
        sink.report(&CONTAINERS_REQUIRED, list.path.clone(), list.span(), "the containerDefinitions array is empty: a task definition needs at least one container");
        return;
    }
    if !containers
        .iter()
        .any(|c| c.bool_field("essential").unwrap_or(true))
    {
        sink.report(&ESSENTIAL_CONTAINER, list.path.clone(), list.span(), "no container is essential: at least one container in a task definition must be marked essential");
    }
    for container in &containers {
        if let (Some(hard), Some(soft), Some(node)) = (
            container.int_field("memory"),
            container.int_field("memoryReservation"),
            container.field("memoryReservation"),
        ) {
            if hard <= soft {
                sink.report(
                    &MEMORY_RESERVATION_OVER_MEMORY,
                    node.path.clone(),
                    node.span(),
                    format!("memoryReservation ({soft} MiB) must be less than memory ({hard} MiB)"),
                );
            }
        }
    }
}
