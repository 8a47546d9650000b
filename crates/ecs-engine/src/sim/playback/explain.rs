//! Explanations: why a task is on its instance (Engine II's trace), why a
//! task or a service's next task waits (in plain words beside ECS's own
//! event), and what a deployment may do now (the min/max arithmetic and the
//! circuit breaker). Where the simulator models something AWS does not
//! document, the explanation says so.

use serde::Serialize;

use crate::place::catalogue::instance_type;
use crate::place::cluster::{
    Cluster, ContainerInstance, InstanceStatus, PlacedTask, ResourceClaim,
    TaskStatus as PlacedStatus,
};
use crate::place::{
    PlacementConstraint, PlacementDecision, PlacementRequest, PlacementStrategy, Placer,
    TaskRequirements,
};

use super::super::scheduler::{circuit_breaker_threshold, maximum_tasks, minimum_healthy};
use super::super::state::{deployment_key, Instance, Service, Task, TaskStatus};
use super::super::Ecs;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum TaskExplanation {
    /// Engine II's trace at the moment the task was placed: candidates by
    /// check with numbers, strategy scores, tie-break.
    #[serde(rename_all = "camelCase")]
    Placed {
        instance_id: String,
        placed_at: u64,
        trace: Box<PlacementDecision>,
        approximation: Option<String>,
    },
    /// Plain words beside ECS's own event text.
    #[serde(rename_all = "camelCase")]
    Pending {
        summary: String,
        ecs_event: Option<String>,
        checks: Vec<String>,
    },
    #[serde(rename_all = "camelCase")]
    Fargate { summary: String },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentExplanation {
    pub deployment_id: String,
    /// PRIMARY, ACTIVE or INACTIVE, and the rollout state.
    pub status: String,
    pub rollout_state: String,
    pub desired: u32,
    pub minimum_healthy_percent: u32,
    pub maximum_percent: u32,
    pub minimum_healthy_tasks: u32,
    pub maximum_tasks: u32,
    /// Tasks counting toward the minimum healthy.
    pub healthy: u32,
    /// Tasks counting toward the maximum.
    pub running_or_pending: u32,
    pub may_stop_now: u32,
    pub may_start_now: u32,
    /// Each step, e.g. "minimum healthy = ceil(6 × 100 / 100) = 6".
    pub arithmetic: Vec<String>,
    pub circuit_breaker: Option<CircuitBreakerView>,
    /// Where the engine models what AWS does not document.
    pub approximations: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CircuitBreakerView {
    pub failed: u32,
    pub threshold: u32,
    pub formula: String,
    pub rollback: bool,
}

const TIE_BREAK_NOTE: &str = "How ECS combines strategies and breaks ties is not documented: the playground applies them in order and draws among the remaining ties with a seeded generator.";

pub(crate) fn fargate(ecs: &Ecs, task: &Task) -> TaskExplanation {
    let zone = ecs.fargate_zone(task.seq);
    let provider = task.capacity_provider.as_deref().unwrap_or("FARGATE");
    TaskExplanation::Fargate {
        summary: format!(
            "Fargate runs the task on capacity AWS manages ({provider}), so no container instance is chosen: only its subnet's Availability Zone, {zone}, applies. It asks for {} CPU units and {} MiB.",
            task.cpu, task.memory
        ),
    }
}

/// Engine II's trace for the task, on the state just before it was placed.
/// `before` is the state at the task's creation time.
pub(crate) fn placed(before: &Ecs, seq: u64) -> Option<TaskExplanation> {
    let task = before.state.tasks.get(&seq)?;
    let chosen = before.state.instances.get(task.instance?)?;
    let same_batch: std::collections::BTreeSet<u64> = before
        .state
        .tasks
        .values()
        .filter(|t| t.created_at == task.created_at && t.seq >= seq)
        .map(|t| t.seq)
        .collect();
    let (indexes, instances) = placement_instances(before, task.cluster, &same_batch);
    let requirements = requirements_of(before, task);
    let (group, constraints, strategies) = rules_of(before, task);
    let mut cluster = Cluster::new(instances);
    let request = PlacementRequest {
        requirements,
        group,
        constraints,
        strategies,
        capacity_provider: task.capacity_provider.clone(),
    };
    let trace = match Placer::new(&mut cluster, request, before.config.seed) {
        Ok(placer) => placer.explain(),
        Err(e) => {
            return Some(TaskExplanation::Pending {
                summary: e.message,
                ecs_event: None,
                checks: Vec::new(),
            })
        }
    };
    let _ = indexes;
    let mut notes = Vec::new();
    match trace.chosen.as_deref() {
        Some(id) if id == chosen.id => {}
        Some(id) => {
            let tied = trace
                .tie_break
                .as_ref()
                .is_some_and(|t| t.among.contains(&chosen.id));
            notes.push(if tied {
                format!("{} and {id} were equally good after every strategy; the simulator's draw picked {}.", chosen.id, chosen.id)
            } else {
                format!("The simulator placed the task on {} while this trace, rebuilt from the state before, prefers {id}: the simulator places a batch of tasks at once and balances Availability Zones first.", chosen.id)
            });
        }
        None => notes.push(format!("The simulator placed the task on {}; rebuilt from the state before, no instance passes every check.", chosen.id)),
    }
    if trace.tie_break.is_some() {
        notes.push(TIE_BREAK_NOTE.to_string());
    }
    Some(TaskExplanation::Placed {
        instance_id: chosen.id.clone(),
        placed_at: task.created_at,
        trace: Box::new(trace),
        approximation: (!notes.is_empty()).then(|| notes.join(" ")),
    })
}

/// The cluster's instances as Engine II sees them, leaving out the tasks in
/// `without`. Returns the simulator's index of each.
fn placement_instances(
    ecs: &Ecs,
    cluster: usize,
    without: &std::collections::BTreeSet<u64>,
) -> (Vec<usize>, Vec<ContainerInstance>) {
    let mut indexes = Vec::new();
    let mut out = Vec::new();
    for (k, i) in ecs.state.instances.iter().enumerate() {
        if i.cluster != cluster || i.terminated || !(i.status == "ACTIVE" || i.status == "DRAINING")
        {
            continue;
        }
        indexes.push(k);
        out.push(container_instance(ecs, i, without));
    }
    (indexes, out)
}

fn container_instance(
    ecs: &Ecs,
    i: &Instance,
    without: &std::collections::BTreeSet<u64>,
) -> ContainerInstance {
    let mut used_cpu = i.used_cpu;
    let mut used_memory = i.used_memory;
    let mut used_ports = i.used_ports.clone();
    let mut tasks = Vec::new();
    let mut enis = 0;
    for t in i.tasks.iter().filter_map(|q| ecs.state.tasks.get(q)) {
        if without.contains(&t.seq) {
            used_cpu = used_cpu.saturating_sub(t.cpu);
            used_memory = used_memory.saturating_sub(t.memory);
            used_ports.retain(|p| !t.host_ports.contains(p));
            continue;
        }
        if t.network_mode == "awsvpc" {
            enis += 1;
        }
        tasks.push(PlacedTask {
            id: t.seq,
            group: t.group.clone(),
            status: match t.last_status {
                s if s.is_starting() => PlacedStatus::Pending,
                TaskStatus::Running if t.desired_status == "RUNNING" => PlacedStatus::Running,
                _ => PlacedStatus::Stopping,
            },
            claim: ResourceClaim {
                cpu: t.cpu,
                memory: t.memory,
                tcp_ports: t.host_ports.clone(),
                enis: u32::from(t.network_mode == "awsvpc"),
                ..ResourceClaim::default()
            },
            holds_resources: true,
        });
    }
    let mut attributes: Vec<(String, String)> = i
        .attributes
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    attributes.sort();
    ContainerInstance {
        id: i.id.clone(),
        instance_type: i.instance_type.clone(),
        availability_zone: i.availability_zone.clone(),
        registered_cpu: i.cpu,
        registered_memory: i.memory,
        used_cpu,
        used_memory,
        used_ports,
        used_udp_ports: Vec::new(),
        used_dynamic_ports: 0,
        registered_gpus: 0,
        used_gpus: 0,
        eni_slots: instance_type(&i.instance_type).map_or(0, |k| k.awsvpc_task_limit(false)),
        used_enis: enis,
        status: if i.status == "DRAINING" {
            InstanceStatus::Draining
        } else {
            InstanceStatus::Active
        },
        agent_connected: i.agent_connected,
        agent_version: "1.89.0".into(),
        registered_at: (ecs.config.epoch_seconds + i.registered_at / 1000) as i64,
        capacity_provider: i.capacity_provider.clone(),
        attributes,
        tasks,
    }
}

fn requirements_of(ecs: &Ecs, task: &Task) -> TaskRequirements {
    let body = ecs
        .state
        .task_definition(&task.task_definition)
        .map(|td| &td.body);
    let member_of = body
        .and_then(|b| b.get("placementConstraints"))
        .and_then(serde_json::Value::as_array)
        .map(|list| {
            list.iter()
                .filter(|c| c.get("type").and_then(serde_json::Value::as_str) == Some("memberOf"))
                .filter_map(|c| {
                    c.get("expression")
                        .and_then(serde_json::Value::as_str)
                        .map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    TaskRequirements {
        cpu: task.cpu,
        memory: task.memory,
        host_ports: task.host_ports.clone(),
        network_mode: task.network_mode.clone(),
        member_of,
        family: task.family.clone(),
        ..TaskRequirements::default()
    }
}

/// The task's group, constraints and strategies as its service (or its
/// RunTask default) gives them.
fn rules_of(ecs: &Ecs, task: &Task) -> (String, Vec<PlacementConstraint>, Vec<PlacementStrategy>) {
    let Some(s) = task.service.and_then(|si| ecs.state.services.get(si)) else {
        return (
            task.group.clone(),
            Vec::new(),
            PlacementStrategy::run_task_default(),
        );
    };
    let constraints = s
        .placement_constraints
        .iter()
        .filter_map(
            |c| match c.get("type").and_then(serde_json::Value::as_str) {
                Some("distinctInstance") => Some(PlacementConstraint::DistinctInstance),
                Some("memberOf") => c
                    .get("expression")
                    .and_then(serde_json::Value::as_str)
                    .map(|e| PlacementConstraint::MemberOf(e.to_string())),
                _ => None,
            },
        )
        .collect();
    let mut strategies: Vec<PlacementStrategy> = s
        .placement_strategy
        .iter()
        .filter_map(|p| {
            let kind = p.get("type").and_then(serde_json::Value::as_str)?;
            PlacementStrategy::from_api(kind, p.get("field").and_then(serde_json::Value::as_str))
                .ok()
        })
        .collect();
    if strategies.is_empty() {
        strategies = PlacementStrategy::service_default();
    }
    (task.group.clone(), constraints, strategies)
}

/// Why a task without an instance waits.
pub(crate) fn pending(ecs: &Ecs, task: &Task) -> TaskExplanation {
    let (summary, checks) = why_nothing_fits(
        ecs,
        task.cluster,
        &requirements_of(ecs, task),
        task.capacity_provider.as_deref(),
    );
    let ecs_event = task
        .service
        .and_then(|si| ecs.state.services.get(si))
        .and_then(last_placement_event);
    let summary = match &task.capacity_provider {
        Some(provider) => format!("The task waits in PROVISIONING for capacity provider {provider} to launch an instance it fits on. {summary}"),
        None => summary,
    };
    TaskExplanation::Pending {
        summary,
        ecs_event,
        checks,
    }
}

/// Why the service's next task cannot be placed, when it is short of tasks
/// and ECS said it was unable to place one.
pub(crate) fn unplaced(ecs: &Ecs, service: &str) -> Option<TaskExplanation> {
    let s = ecs
        .state
        .services
        .iter()
        .rev()
        .find(|s| s.name == service)?;
    let ecs_event = last_placement_event(s)?;
    let td = ecs.state.task_definition(&s.task_definition)?;
    let requirements = TaskRequirements {
        cpu: td.cpu,
        memory: td.memory,
        host_ports: td.host_ports.clone(),
        network_mode: td.network_mode.clone(),
        family: td.family.clone(),
        ..TaskRequirements::default()
    };
    let (summary, checks) = why_nothing_fits(ecs, s.cluster, &requirements, None);
    Some(TaskExplanation::Pending {
        summary,
        ecs_event: Some(ecs_event),
        checks,
    })
}

/// ECS's newest "unable to place a task" event of the service.
fn last_placement_event(s: &Service) -> Option<String> {
    s.events
        .iter()
        .find(|e| e.message.contains("was unable to place a task"))
        .map(|e| e.message.clone())
}

/// Plain words per Availability Zone, and one line per instance.
fn why_nothing_fits(
    ecs: &Ecs,
    cluster: usize,
    need: &TaskRequirements,
    provider: Option<&str>,
) -> (String, Vec<String>) {
    use std::collections::BTreeMap;
    let mut by_zone: BTreeMap<&str, Vec<(&Instance, Vec<String>)>> = BTreeMap::new();
    let mut checks = Vec::new();
    for i in ecs
        .state
        .instances
        .iter()
        .filter(|i| i.cluster == cluster && !i.terminated)
    {
        if provider.is_some() && i.capacity_provider.as_deref() != provider {
            continue;
        }
        let free_cpu = i.cpu.saturating_sub(i.used_cpu);
        let free_memory = i.memory.saturating_sub(i.used_memory);
        let mut lacks = Vec::new();
        if i.status != "ACTIVE" {
            lacks.push(format!("is {}", i.status));
        }
        if !i.agent_connected {
            lacks.push("has its agent disconnected".to_string());
        }
        if free_cpu < need.cpu {
            lacks.push(format!(
                "has {free_cpu} CPU units free of the {} needed",
                need.cpu
            ));
        }
        if free_memory < need.memory {
            lacks.push(format!(
                "has {free_memory} MiB free of the {} MiB needed",
                need.memory
            ));
        }
        let taken: Vec<String> = need
            .host_ports
            .iter()
            .filter(|p| i.used_ports.contains(p))
            .map(u16::to_string)
            .collect();
        if !taken.is_empty() {
            lacks.push(format!("already uses host port {}", taken.join(", ")));
        }
        checks.push(if lacks.is_empty() {
            format!(
                "{} ({}): fits now ({free_cpu} CPU units and {free_memory} MiB free)",
                i.id, i.availability_zone
            )
        } else {
            format!("{} ({}): {}", i.id, i.availability_zone, lacks.join("; "))
        });
        by_zone
            .entry(&i.availability_zone)
            .or_default()
            .push((i, lacks));
    }
    if by_zone.is_empty() {
        return (
            "No container instance is registered in the cluster for it.".to_string(),
            checks,
        );
    }
    let mut parts = Vec::new();
    for (zone, instances) in &by_zone {
        let n = instances.len();
        let short_memory = instances
            .iter()
            .filter(|(i, _)| i.memory.saturating_sub(i.used_memory) < need.memory)
            .count();
        let short_cpu = instances
            .iter()
            .filter(|(i, _)| i.cpu.saturating_sub(i.used_cpu) < need.cpu)
            .count();
        let fits = instances.iter().filter(|(_, l)| l.is_empty()).count();
        let all = if n == 1 {
            "the only instance".to_string()
        } else {
            format!("all {n} instances")
        };
        if fits > 0 {
            parts.push(format!("{fits} of {n} instances in {zone} can take it now"));
        } else if short_memory == n {
            let closest = instances.iter().map(|(i, _)| *i).max_by_key(|i| {
                (
                    i.memory.saturating_sub(i.used_memory),
                    std::cmp::Reverse(i.id.clone()),
                )
            });
            let tail = closest.map_or(String::new(), |i| {
                format!(
                    "; the closest, {}, has {} MiB free",
                    i.id,
                    i.memory.saturating_sub(i.used_memory)
                )
            });
            parts.push(format!(
                "{all} in {zone} lack {} MiB of memory{tail}",
                need.memory
            ));
        } else if short_cpu == n {
            let closest = instances.iter().map(|(i, _)| *i).max_by_key(|i| {
                (
                    i.cpu.saturating_sub(i.used_cpu),
                    std::cmp::Reverse(i.id.clone()),
                )
            });
            let tail = closest.map_or(String::new(), |i| {
                format!(
                    "; the closest, {}, has {} CPU units free",
                    i.id,
                    i.cpu.saturating_sub(i.used_cpu)
                )
            });
            parts.push(format!("{all} in {zone} lack {} CPU units{tail}", need.cpu));
        } else {
            let reasons: Vec<String> = instances
                .iter()
                .filter_map(|(i, l)| l.first().map(|r| format!("{} {r}", i.id)))
                .collect();
            parts.push(format!(
                "no instance in {zone} fits: {}",
                reasons.join("; ")
            ));
        }
    }
    let mut summary = parts.join(". ");
    summary.push('.');
    if let Some(first) = summary.get(..1) {
        summary = first.to_uppercase() + summary.get(1..).unwrap_or("");
    }
    (summary, checks)
}

/// What the deployment may do at the scheduler's next run.
pub(crate) fn deployment(
    ecs: &Ecs,
    service: &str,
    deployment_id: &str,
) -> Option<DeploymentExplanation> {
    let si =
        ecs.state.services.iter().rposition(|s| {
            s.name == service && s.deployments.iter().any(|d| d.id == deployment_id)
        })?;
    let s = ecs.state.services.get(si)?;
    let d = s.deployments.iter().find(|d| d.id == deployment_id)?;
    let desired = s.desired_count;
    let (min_pct, max_pct) = (s.config.minimum_healthy_percent, s.config.maximum_percent);
    let min = minimum_healthy(desired, min_pct);
    let max = maximum_tasks(desired, max_pct);
    let primary = deployment_key(s.primary().map(|p| p.id.as_str()));
    let failed_no_rollback = s.primary().is_some_and(|p| p.rollout_state == "FAILED");
    struct Seen {
        primary: bool,
        draining: bool,
        healthy: bool,
    }
    let seen: Vec<Seen> = s
        .tasks
        .iter()
        .filter_map(|q| ecs.state.tasks.get(q))
        .filter(|t| t.is_wanted())
        .map(|t| Seen {
            primary: t.deployment_key == primary,
            draining: t
                .instance
                .and_then(|i| ecs.state.instances.get(i))
                .is_some_and(|i| i.draining),
            healthy: ecs.counts_healthy(t),
        })
        .collect();
    let stopping = if ecs.config.max_percent_counts_stopping {
        s.tasks
            .iter()
            .filter_map(|q| ecs.state.tasks.get(q))
            .filter(|t| t.is_live() && t.desired_status == "STOPPED")
            .count() as u32
    } else {
        0
    };
    let healthy = seen.iter().filter(|t| t.healthy).count() as u32;
    let live = seen.len() as u32 + stopping;
    let is_retiree = |t: &&Seen| {
        if failed_no_rollback {
            t.primary && t.draining
        } else {
            !t.primary || t.draining
        }
    };
    let unhealthy_retirees = seen
        .iter()
        .filter(is_retiree)
        .filter(|t| !t.healthy)
        .count() as u32;
    let healthy_retirees = seen.iter().filter(is_retiree).filter(|t| t.healthy).count() as u32;
    let stoppable = healthy.saturating_sub(min).min(healthy_retirees);
    let may_stop = unhealthy_retirees + stoppable;
    let keep = seen.iter().filter(|t| t.primary && !t.draining).count() as u32;
    let want = desired.saturating_sub(keep);
    let live_after = live.saturating_sub(may_stop);
    let room = max.saturating_sub(live_after);
    let may_start = if failed_no_rollback {
        0
    } else {
        want.min(room)
    };
    let mut arithmetic = vec![
        format!("minimum healthy = ceil({desired} × {min_pct} / 100) = ceil({}) = {min} (minimumHealthyPercent rounds up)", decimal(desired, min_pct)),
        format!("maximum = floor({desired} × {max_pct} / 100) = floor({}) = {max} (maximumPercent rounds down)", decimal(desired, max_pct)),
        format!("healthy now: {healthy} of {} tasks wanted running", seen.len()),
        format!("running or pending now: {live}{}", if stopping > 0 { format!(" (with {stopping} STOPPING)") } else { String::new() }),
        format!("may stop: {unhealthy_retirees} old tasks not yet healthy, plus min({healthy} healthy − {min} minimum, {healthy_retirees} healthy old tasks) = {stoppable}; total {may_stop}"),
        format!("may start: min(desired {desired} − {keep} current tasks = {want}, maximum {max} − {live_after} left after the stops = {room}) = {may_start}"),
    ];
    if failed_no_rollback {
        arithmetic.push(
            "the deployment FAILED without rollback: the scheduler launches nothing new"
                .to_string(),
        );
    } else if may_start == 0 && may_stop == 0 && want > 0 {
        arithmetic.push(format!("neither stopping nor starting is allowed: with {min_pct}% / {max_pct}% the deployment cannot make progress, and ECS says \"service {} was unable to stop or start tasks during a deployment because of the service deployment configuration\"", s.name));
    }
    let circuit_breaker = s.config.circuit_breaker.then(|| {
        let threshold = if d.threshold > 0 {
            d.threshold
        } else {
            circuit_breaker_threshold(&s.config.threshold_type, s.config.threshold_value, desired, ecs.config.circuit_breaker_minimum)
        };
        let value = s.config.threshold_value;
        let formula = match s.config.threshold_type.as_str() {
            "COUNT" => format!("threshold = COUNT {value} = {threshold}"),
            "UNBOUNDED_PERCENT" => format!("threshold = max(ceil({desired} × {value} / 100), 1) = {threshold}"),
            _ => format!(
                "threshold = clamp(ceil({desired} × {value} / 100), {}, 200) = clamp({}, {}, 200) = {threshold}",
                ecs.config.circuit_breaker_minimum,
                (u64::from(desired) * u64::from(value)).div_ceil(100),
                ecs.config.circuit_breaker_minimum
            ),
        };
        CircuitBreakerView {
            failed: d.failed_tasks,
            threshold,
            formula: format!("{formula}; failed {} of {threshold}{}", d.failed_tasks, if s.config.reset_on_healthy_task { " (a healthy task resets the count)" } else { "" }),
            rollback: s.config.rollback,
        }
    });
    let mut approximations = vec!["The counts are what the scheduler sees at its next run; ECS does not document when it runs, the playground runs it after every task change.".to_string()];
    if ecs.config.max_percent_counts_stopping {
        approximations.push("STOPPING tasks count toward maximumPercent here (the console's reading); the API counts RUNNING and PENDING only.".to_string());
    }
    if s.config.threshold_type != "COUNT" && s.config.circuit_breaker {
        approximations.push("The threshold percent is read as value/100 of the desired count; the API's wording is ambiguous.".to_string());
    }
    Some(DeploymentExplanation {
        deployment_id: d.id.clone(),
        status: d.status.to_string(),
        rollout_state: d.rollout_state.to_string(),
        desired,
        minimum_healthy_percent: min_pct,
        maximum_percent: max_pct,
        minimum_healthy_tasks: min,
        maximum_tasks: max,
        healthy,
        running_or_pending: live,
        may_stop_now: may_stop,
        may_start_now: may_start,
        arithmetic,
        circuit_breaker,
        approximations,
    })
}

/// `desired × percent / 100` with two decimals, as shown in the arithmetic.
fn decimal(desired: u32, percent: u32) -> String {
    let hundredths = u64::from(desired) * u64::from(percent);
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}
