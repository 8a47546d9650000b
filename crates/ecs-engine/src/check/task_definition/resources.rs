//! CPU, memory, GPUs and inference accelerators: how containers share what
//! the task asks for (V-TD-009..011, V-TD-017..019, V-TD-027, V-CD-004,
//! V-CD-005, V-CD-055, V-CD-056).

use super::{is_templated, name_of, Context};
use crate::check::{Located, Rule, Sink};
use crate::diagnostic::Severity;
use crate::json::NodeKind;
use crate::units::{parse_cpu_units, parse_memory_mib};

/// Task-level cpu on EC2, in CPU units. The 2022 seed says 128 to 10240
/// (000:12363); today's RegisterTaskDefinition reference says 128 to 196608
/// (192 vCPUs), and AWS accepts those sizes, so the current bound is used.
pub const EC2_TASK_CPU_MIN: u32 = 128;
pub const EC2_TASK_CPU_MAX: u32 = 196_608;

/// Docker 20.10 reserves 6 MiB per container (000:11423).
pub const MIN_CONTAINER_MEMORY_MIB: i64 = 6;

pub const TASK_CPU_FORMAT: Rule = Rule {
    code: "task-cpu-format",
    severity: Severity::Error,
    summary: "Task `cpu` is CPU units (`\"1024\"`) or vCPUs (`\"1 vCPU\"`).",
    covers: &["V-TD-009"],
    exception: Some("ClientException"),
};

pub const TASK_MEMORY_FORMAT: Rule = Rule {
    code: "task-memory-format",
    severity: Severity::Error,
    summary: "Task `memory` is MiB (`\"1024\"`) or GB (`\"1 GB\"`).",
    covers: &["V-TD-010"],
    exception: Some("ClientException"),
};

pub const TASK_CPU_RANGE: Rule = Rule {
    code: "task-cpu-range",
    severity: Severity::Error,
    summary: "On EC2 and external instances, task `cpu` is 128 to 196608 units.",
    covers: &["V-TD-011"],
    exception: Some("ClientException"),
};

pub const CONTAINER_MEMORY_REQUIRED: Rule = Rule {
    code: "container-memory-required",
    severity: Severity::Error,
    summary:
        "Without task-level memory, every container needs `memory` or `memoryReservation` (EC2).",
    covers: &["V-TD-019", "V-PL-013"],
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
    code: "memory-reservation-over-memory",
    severity: Severity::Error,
    summary:
        "When both are set, a container's `memory` must be greater than or equal to its `memoryReservation` (AWS registers them equal).",
    covers: &["V-CD-004"],
    exception: Some("ClientException"),
};

pub const CONTAINER_MEMORY_LOW: Rule = Rule {
    code: "container-memory-low",
    severity: Severity::Warning,
    summary: "Container memory below 6 MiB is less than Docker itself reserves.",
    covers: &["V-CD-005"],
    exception: None,
};

pub const GPU_COUNT: Rule = Rule {
    code: "gpu-count",
    severity: Severity::Error,
    summary: "A GPU resource requirement's `value` is a whole number of GPUs, at least 1.",
    covers: &["V-CD-055"],
    exception: Some("ClientException"),
};

pub const INFERENCE_ACCELERATOR_REFERENCE: Rule = Rule {
    code: "inference-accelerator-reference",
    severity: Severity::Error,
    summary: "InferenceAccelerator requirements name a task `inferenceAccelerators[].deviceName`, and every accelerator is used by a container.",
    covers: &["V-CD-056", "V-TD-027"],
    exception: Some("ClientException"),
};

pub fn check(context: &Context<'_>, sink: &mut Sink) {
    let task_cpu = task_size(context, "cpu", parse_cpu_units, &TASK_CPU_FORMAT, sink);
    let task_memory = task_size(
        context,
        "memory",
        parse_memory_mib,
        &TASK_MEMORY_FORMAT,
        sink,
    );
    if let Some((cpu, field)) = &task_cpu {
        check_task_cpu_range(context, *cpu, field, sink);
    }
    let task_memory_mib = task_memory.as_ref().map(|(m, _)| *m);
    for container in &context.containers {
        check_container_memory(context, container, task_memory_mib, sink);
        check_gpu(container, sink);
    }
    check_totals(context, task_cpu.map(|(c, _)| c), task_memory_mib, sink);
    check_accelerators(context, sink);
}

/// Reads task-level `cpu` or `memory`, reporting strings it cannot read.
/// Numbers are read too (CloudFormation writes them); their type is the
/// shape check's concern.
fn task_size<'a>(
    context: &Context<'a>,
    key: &str,
    parse: fn(&str) -> Option<u32>,
    rule: &Rule,
    sink: &mut Sink,
) -> Option<(u32, Located<'a>)> {
    let field = context.task_field(key)?;
    let value = match &field.node.kind {
        NodeKind::String(text) => {
            let parsed = parse(text);
            if parsed.is_none() {
                let example = if key == "cpu" {
                    "\"1024\" or \"1 vCPU\""
                } else {
                    "\"2048\" or \"2 GB\""
                };
                sink.report(
                    rule,
                    field.path.clone(),
                    field.span(),
                    format!("Invalid '{key}' setting for task: \"{text}\" is not a {key} value; write it like {example}"),
                );
            }
            parsed
        }
        NodeKind::Number(raw) => raw.parse().ok(),
        _ => None,
    }?;
    Some((value, field))
}

fn check_task_cpu_range(context: &Context<'_>, cpu: u32, field: &Located<'_>, sink: &mut Sink) {
    if !context.on_instances() || (EC2_TASK_CPU_MIN..=EC2_TASK_CPU_MAX).contains(&cpu) {
        return;
    }
    let nearest = cpu.clamp(EC2_TASK_CPU_MIN, EC2_TASK_CPU_MAX);
    sink.report(
        &TASK_CPU_RANGE,
        field.path.clone(),
        field.span(),
        format!("Invalid 'cpu' setting for task: {cpu} CPU units is outside the range for EC2, 128 (0.125 vCPU) to 196608 (192 vCPU)"),
    )
    .with_fix(
        format!("Use {nearest}"),
        vec![(field.span(), super::json_string(&nearest.to_string()))],
    );
}

/// Memory that a container reserves on an instance: memoryReservation if set,
/// else memory (V-PL-013).
fn reserved_memory(container: &Located<'_>) -> Option<i64> {
    container
        .int_field("memoryReservation")
        .filter(|&m| m > 0)
        .or_else(|| container.int_field("memory").filter(|&m| m > 0))
}

fn check_container_memory(
    context: &Context<'_>,
    container: &Located<'_>,
    task_memory: Option<u32>,
    sink: &mut Sink,
) {
    let name = name_of(container);
    let memory = container.int_field("memory");
    let reservation = container.int_field("memoryReservation");
    if let (Some(hard), Some(soft), Some(reservation_node)) =
        (memory, reservation, container.field("memoryReservation"))
    {
        // Equal is accepted (ecs-semantics E1): the hard limit is reached
        // exactly where the reservation ends.
        if hard < soft {
            sink.report(
                &MEMORY_RESERVATION_OVER_MEMORY,
                reservation_node.path.clone(),
                reservation_node.span(),
                format!("Invalid setting for container '{name}'. 'memory' ({hard} MiB) must be greater than or equal to 'memoryReservation' ({soft} MiB): memory is the hard limit, memoryReservation the soft one"),
            );
        }
    }
    for key in ["memory", "memoryReservation"] {
        if let Some(field) = container.field(key) {
            if field
                .node
                .as_i64()
                .is_some_and(|m| (0..MIN_CONTAINER_MEMORY_MIB).contains(&m))
            {
                sink.report(
                    &CONTAINER_MEMORY_LOW,
                    field.path.clone(),
                    field.span(),
                    format!("container '{name}' {key} is below {MIN_CONTAINER_MEMORY_MIB} MiB: Docker 20.10 reserves 6 MiB for every container, so the container may not start"),
                )
                .with_fix("Use 6 MiB", vec![(field.span(), MIN_CONTAINER_MEMORY_MIB.to_string())]);
            }
        }
    }
    // A templated size is known only after substitution.
    let templated = context
        .task_field("memory")
        .is_some_and(|m| is_templated(&m))
        || ["memory", "memoryReservation"]
            .iter()
            .any(|key| container.field(key).is_some_and(|m| is_templated(&m)));
    if context.task_def.is_some()
        && task_memory.is_none()
        && !templated
        && context.on_instances()
        && reserved_memory(container).is_none()
    {
        let span = container
            .field("name")
            .map_or(container.span(), |n| n.span());
        sink.report(
            &CONTAINER_MEMORY_REQUIRED,
            container.path.key("memory"),
            span,
            format!("Invalid setting for container '{name}'. At least one of 'memory' or 'memoryReservation' must be specified when the task has no task-level memory and can run on EC2 or external instances"),
        );
    }
    if let (Some(task_memory), Some(field)) = (task_memory, container.field("memory")) {
        if field
            .node
            .as_i64()
            .is_some_and(|m| m > i64::from(task_memory))
        {
            sink.report(
                &CONTAINER_MEMORY_OVER_TASK,
                field.path.clone(),
                field.span(),
                format!("Invalid setting for container '{name}'. 'memory' ({} MiB) is greater than the task memory ({task_memory} MiB)", memory.unwrap_or(0)),
            )
            .with_fix(
                format!("Use the task memory, {task_memory} MiB"),
                vec![(field.span(), task_memory.to_string())],
            );
        }
    }
}

fn check_totals(
    context: &Context<'_>,
    task_cpu: Option<u32>,
    task_memory: Option<u32>,
    sink: &mut Sink,
) {
    let Some(list) = &context.container_list else {
        return;
    };
    let span = list.key_span.unwrap_or(list.span());
    // A single container over the task is reported at its own memory.
    let one_over = |c: &Located<'_>| {
        task_memory.is_some_and(|t| c.int_field("memory").is_some_and(|m| m > i64::from(t)))
    };
    if let (Some(task_memory), false) = (task_memory, context.containers.iter().any(one_over)) {
        let total: i64 = context.containers.iter().filter_map(reserved_memory).sum();
        if total > i64::from(task_memory) {
            sink.report(
                &CONTAINER_MEMORY_OVER_TASK,
                list.path.clone(),
                span,
                format!("the containers reserve {total} MiB in total (memoryReservation, else memory), more than the task's {task_memory} MiB"),
            );
        }
    }
    if let Some(task_cpu) = task_cpu {
        let total: i64 = context
            .containers
            .iter()
            .filter_map(|c| c.int_field("cpu"))
            .sum();
        if total > i64::from(task_cpu) {
            sink.report(
                &CONTAINER_CPU_OVER_TASK,
                list.path.clone(),
                span,
                format!("the containers' cpu adds up to {total} units, more than the task's {task_cpu}: the total cpu of all containers must not exceed the task cpu"),
            );
        }
    }
}

fn check_gpu(container: &Located<'_>, sink: &mut Sink) {
    for requirement in container.items("resourceRequirements") {
        if requirement.str_field("type") != Some("GPU") {
            continue;
        }
        let Some(value) = requirement.field("value") else {
            continue;
        };
        let Some(text) = value.node.as_str() else {
            continue;
        };
        if text.parse::<u32>().is_ok_and(|n| n >= 1) {
            continue;
        }
        sink.report(
            &GPU_COUNT,
            value.path.clone(),
            value.span(),
            format!("Invalid GPU resource requirement \"{text}\" for container '{}': the value is the number of physical GPUs, a whole number of at least 1", name_of(container)),
        );
    }
}

fn check_accelerators(context: &Context<'_>, sink: &mut Sink) {
    let accelerators = context.task_items("inferenceAccelerators");
    let device_names: Vec<&str> = accelerators
        .iter()
        .filter_map(|a| a.str_field("deviceName"))
        .collect();
    let mut referenced: Vec<&str> = Vec::new();
    for container in &context.containers {
        for requirement in container.items("resourceRequirements") {
            if requirement.str_field("type") != Some("InferenceAccelerator") {
                continue;
            }
            let Some(value) = requirement.field("value") else {
                continue;
            };
            let Some(device) = value.node.as_str() else {
                continue;
            };
            referenced.push(device);
            if context.task_def.is_some() && !device_names.contains(&device) {
                sink.report(
                    &INFERENCE_ACCELERATOR_REFERENCE,
                    value.path.clone(),
                    value.span(),
                    format!("container '{}' requires inference accelerator \"{device}\", but the task's inferenceAccelerators has no deviceName \"{device}\"", name_of(container)),
                );
            }
        }
    }
    for accelerator in &accelerators {
        let Some(name) = accelerator.field("deviceName") else {
            continue;
        };
        let Some(device) = name.node.as_str() else {
            continue;
        };
        if !referenced.contains(&device) {
            sink.report(
                &INFERENCE_ACCELERATOR_REFERENCE,
                name.path.clone(),
                name.span(),
                format!("inference accelerator \"{device}\" is not used: every deviceName must be referenced by a container's resourceRequirements of type InferenceAccelerator"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_memory_prefers_the_soft_limit() {
        let found = |text: &str| super::super::findings(text);
        // memory 512 and reservation 256: 256 is reserved, so two fit in 512.
        let two = r#"{"family": "a", "memory": "512", "containerDefinitions": [
            {"name": "a", "image": "x:1", "memory": 512, "memoryReservation": 256},
            {"name": "b", "image": "x:1", "memory": 512, "memoryReservation": 256}]}"#;
        assert_eq!(found(two), vec![]);
        let three = two.replace(
            "]}",
            ", {\"name\": \"c\", \"image\": \"x:1\", \"memoryReservation\": 8}]}",
        );
        assert_eq!(
            found(&three),
            vec![(
                CONTAINER_MEMORY_OVER_TASK.code.to_string(),
                "containerDefinitions".to_string()
            )]
        );
    }
}
