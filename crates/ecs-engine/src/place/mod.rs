//! Placement: which container instance a task goes to, and why.
//!
//! This is the foundation's thin slice: resource fit (CPU, memory, static host
//! ports) followed by binpack on memory, with a trace that records every check's
//! numbers. Engine II grows it into the full pipeline (constraints, the cluster
//! query language, chained strategies, capacity providers).

pub mod query;
pub mod rng;

use serde::{Deserialize, Serialize};

use crate::check::Located;
use crate::units::{parse_cpu_units, parse_memory_mib};

/// Host ports the ECS agent reserves on every Linux instance (ecs-semantics A1).
pub const DEFAULT_RESERVED_PORTS: &[u16] = &[22, 2375, 2376, 51678, 51679];

/// What one task needs from an instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskRequirements {
    pub cpu: u32,
    pub memory: u32,
    /// Static host ports (TCP and UDP alike in this slice).
    pub host_ports: Vec<u16>,
    pub network_mode: String,
}

impl TaskRequirements {
    /// Reads the requirements of a task definition: task-level values win over
    /// the sum of container values, and memoryReservation over memory.
    pub fn of(task_def: &Located<'_>) -> TaskRequirements {
        let containers = task_def.items("containerDefinitions");
        let network_mode = task_def
            .str_field("networkMode")
            .unwrap_or("bridge")
            .to_string();
        let cpu = task_def
            .str_field("cpu")
            .and_then(parse_cpu_units)
            .unwrap_or_else(|| sum_u32(containers.iter().filter_map(|c| c.int_field("cpu"))));
        let memory = task_def
            .str_field("memory")
            .and_then(parse_memory_mib)
            .unwrap_or_else(|| {
                sum_u32(containers.iter().filter_map(|c| {
                    c.int_field("memoryReservation")
                        .filter(|&m| m > 0)
                        .or_else(|| c.int_field("memory"))
                }))
            });
        let mut host_ports = Vec::new();
        if network_mode == "bridge" || network_mode == "host" {
            for container in &containers {
                for mapping in container.items("portMappings") {
                    let container_port = mapping.int_field("containerPort");
                    let host_port = match network_mode.as_str() {
                        "host" => mapping.int_field("hostPort").or(container_port),
                        _ => mapping.int_field("hostPort"),
                    };
                    if let Some(port) = host_port
                        .and_then(|p| u16::try_from(p).ok())
                        .filter(|&p| p > 0)
                    {
                        host_ports.push(port);
                    }
                }
            }
        }
        TaskRequirements {
            cpu,
            memory,
            host_ports,
            network_mode,
        }
    }
}

fn sum_u32(values: impl Iterator<Item = i64>) -> u32 {
    u32::try_from(values.filter(|&v| v > 0).fold(0i64, i64::saturating_add)).unwrap_or(u32::MAX)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerInstance {
    pub id: String,
    pub instance_type: String,
    pub availability_zone: String,
    pub registered_cpu: u32,
    pub registered_memory: u32,
    pub used_cpu: u32,
    pub used_memory: u32,
    /// Host ports in use by running tasks (the default reserved ports are implied).
    pub used_ports: Vec<u16>,
}

impl ContainerInstance {
    pub fn free_cpu(&self) -> u32 {
        self.registered_cpu.saturating_sub(self.used_cpu)
    }

    pub fn free_memory(&self) -> u32 {
        self.registered_memory.saturating_sub(self.used_memory)
    }
}

/// The small cluster the foundation slice places onto: three instances in
/// three Availability Zones, one of them partly busy. Registered memory is
/// what ECS registers for these types (less than the installed memory).
pub fn demo_cluster() -> Vec<ContainerInstance> {
    vec![
        ContainerInstance {
            id: "i-0a1b2c3d4e5f60001".into(),
            instance_type: "t3.medium".into(),
            availability_zone: "us-east-1a".into(),
            registered_cpu: 2048,
            registered_memory: 3904,
            used_cpu: 1024,
            used_memory: 2048,
            used_ports: vec![80],
        },
        ContainerInstance {
            id: "i-0a1b2c3d4e5f60002".into(),
            instance_type: "m5.large".into(),
            availability_zone: "us-east-1b".into(),
            registered_cpu: 2048,
            registered_memory: 7680,
            used_cpu: 512,
            used_memory: 1024,
            used_ports: vec![],
        },
        ContainerInstance {
            id: "i-0a1b2c3d4e5f60003".into(),
            instance_type: "c5.xlarge".into(),
            availability_zone: "us-east-1c".into(),
            registered_cpu: 4096,
            registered_memory: 7510,
            used_cpu: 0,
            used_memory: 0,
            used_ports: vec![],
        },
    ]
}

/// One check on one instance, with the numbers behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckOutcome {
    /// `cpu`, `memory` or `ports`.
    pub check: String,
    pub passed: bool,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CandidateTrace {
    pub instance_id: String,
    pub checks: Vec<CheckOutcome>,
    /// Memory left after placing the task, for instances that fit (binpack
    /// prefers the least).
    pub memory_left_after: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlacementDecision {
    pub strategy: String,
    pub candidates: Vec<CandidateTrace>,
    pub chosen: Option<String>,
    /// ECS's own service-event wording when nothing fits.
    pub unplaced_reason: Option<String>,
}

/// Places one task with binpack(memory): the instance with the least memory
/// left that still fits; ties go to the lowest instance id, so the result is
/// deterministic.
pub fn place(
    requirements: &TaskRequirements,
    instances: &[ContainerInstance],
) -> PlacementDecision {
    let mut candidates = Vec::with_capacity(instances.len());
    for instance in instances {
        let cpu_ok = requirements.cpu <= instance.free_cpu();
        let memory_ok = requirements.memory <= instance.free_memory();
        let conflict = requirements
            .host_ports
            .iter()
            .find(|p| instance.used_ports.contains(p) || DEFAULT_RESERVED_PORTS.contains(p));
        let checks = vec![
            CheckOutcome {
                check: "cpu".into(),
                passed: cpu_ok,
                detail: format!(
                    "needs {} units; {} of {} free",
                    requirements.cpu,
                    instance.free_cpu(),
                    instance.registered_cpu
                ),
            },
            CheckOutcome {
                check: "memory".into(),
                passed: memory_ok,
                detail: format!(
                    "needs {} MiB; {} of {} MiB free",
                    requirements.memory,
                    instance.free_memory(),
                    instance.registered_memory
                ),
            },
            CheckOutcome {
                check: "ports".into(),
                passed: conflict.is_none(),
                detail: match conflict {
                    Some(port) => format!("host port {port} is already in use"),
                    None if requirements.host_ports.is_empty() => "no static host ports".into(),
                    None => format!("host ports {:?} are free", requirements.host_ports),
                },
            },
        ];
        let fits = checks.iter().all(|c| c.passed);
        candidates.push(CandidateTrace {
            instance_id: instance.id.clone(),
            checks,
            memory_left_after: fits.then(|| instance.free_memory() - requirements.memory),
        });
    }
    let chosen = candidates
        .iter()
        .filter_map(|c| c.memory_left_after.map(|left| (left, &c.instance_id)))
        .min()
        .map(|(_, id)| id.clone());
    let unplaced_reason = if chosen.is_some() {
        None
    } else {
        Some(unplaced_event(&candidates))
    };
    PlacementDecision {
        strategy: "binpack(memory)".into(),
        candidates,
        chosen,
        unplaced_reason,
    }
}

/// ECS's event text. The "closest matching" instance is the one that passed the
/// most checks, the first in the list among equals (ECS does not document how it
/// chooses; this is the simulator's model).
fn unplaced_event(candidates: &[CandidateTrace]) -> String {
    let base =
        "was unable to place a task because no container instance met all of its requirements.";
    let Some(closest) = candidates
        .iter()
        .rev()
        .max_by_key(|c| c.checks.iter().filter(|k| k.passed).count())
    else {
        return format!("{base} Reason: No Container Instances were found in your cluster.");
    };
    let failed = closest
        .checks
        .iter()
        .find(|k| !k.passed)
        .map(|k| k.check.as_str());
    let why = match failed {
        Some("cpu") => "has insufficient CPU units available.",
        Some("memory") => "has insufficient memory available.",
        Some("ports") => "is already using a port required by your task.",
        _ => "does not meet the requirements.",
    };
    format!(
        "{base} The closest matching container-instance {} {why}",
        closest.instance_id
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needs(cpu: u32, memory: u32, ports: &[u16]) -> TaskRequirements {
        TaskRequirements {
            cpu,
            memory,
            host_ports: ports.to_vec(),
            network_mode: "bridge".into(),
        }
    }

    #[test]
    fn binpack_chooses_the_fullest_instance_that_fits() {
        let decision = place(&needs(256, 512, &[]), &demo_cluster());
        // Free memory: 1856, 6656, 7510; the t3.medium is the tightest fit.
        assert_eq!(decision.chosen.as_deref(), Some("i-0a1b2c3d4e5f60001"));
    }

    #[test]
    fn a_port_conflict_excludes_an_instance_and_says_which_port() {
        let decision = place(&needs(256, 512, &[80]), &demo_cluster());
        assert_eq!(decision.chosen.as_deref(), Some("i-0a1b2c3d4e5f60002"));
        let first = &decision.candidates[0];
        assert!(first
            .checks
            .iter()
            .any(|c| c.check == "ports" && !c.passed && c.detail.contains("80")));
    }

    #[test]
    fn an_oversized_task_is_unplaced_with_the_ecs_event_text() {
        let decision = place(&needs(256, 100_000, &[]), &demo_cluster());
        assert_eq!(decision.chosen, None);
        let reason = decision.unplaced_reason.unwrap();
        assert!(
            reason.contains("has insufficient memory available"),
            "{reason}"
        );
    }

    #[test]
    fn reserved_ports_are_never_free() {
        let decision = place(&needs(1, 1, &[22]), &demo_cluster());
        assert_eq!(decision.chosen, None);
        assert!(decision
            .unplaced_reason
            .unwrap()
            .contains("already using a port"));
    }
}
