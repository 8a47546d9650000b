//! Explanations: why a task is on its instance (Engine II's trace), why a
//! task or a service's next task waits (in plain words beside ECS's own
//! event), and what a deployment may do now (the min/max arithmetic and the
//! circuit breaker). Where the simulator models something AWS does not
//! document, the explanation says so.

use serde::Serialize;

use crate::place::cluster::{Cluster, ContainerInstance};
use crate::place::{
    PlacementConstraint, PlacementDecision, PlacementRequest, PlacementStrategy, Placer,
    TaskRequirements,
};
use crate::sim::placement::Capture;
use crate::sim::scheduler::{BudgetTask, DeploymentBudget};

use super::super::scheduler::circuit_breaker_threshold;
use super::super::state::{
    deployment_key, DeploymentStatus, DesiredStatus, HealthStatus, Instance, RolloutState, Service,
    Task, TaskStatus,
};
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
    pub status: DeploymentStatus,
    pub rollout_state: RolloutState,
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

/// The decision that placed the task, as the placer explained it when it
/// made it (`capture`, from a replay to that decision at `placed_at`).
pub(crate) fn placed(placed_at: u64, capture: Capture) -> Option<TaskExplanation> {
    let trace = capture.trace?;
    let instance_id = trace.chosen.clone()?;
    let approximation = trace
        .tie_break
        .is_some()
        .then(|| TIE_BREAK_NOTE.to_string());
    Some(TaskExplanation::Placed {
        instance_id,
        placed_at,
        trace: Box::new(trace),
        approximation,
    })
}

/// The cluster's host records (what the placer reads), leaving out the tasks
/// in `without`. Returns the simulator's index of each.
fn placement_instances(
    ecs: &Ecs,
    cluster: usize,
    without: &std::collections::BTreeSet<u64>,
) -> (Vec<usize>, Vec<ContainerInstance>) {
    let mut indexes = Vec::new();
    let mut out = Vec::new();
    for (k, i) in ecs.state.instances.iter().enumerate() {
        if i.cluster != cluster
            || i.terminated
            || i.status == crate::place::InstanceStatus::Inactive
        {
            continue;
        }
        indexes.push(k);
        out.push(container_instance(ecs, i, without));
    }
    (indexes, out)
}

/// Instance `i`'s host record (what the placer read and wrote), without the
/// tasks in `without`, whose resources it gives back.
fn container_instance(
    ecs: &Ecs,
    i: &Instance,
    without: &std::collections::BTreeSet<u64>,
) -> ContainerInstance {
    let index = ecs
        .state
        .host_instances
        .get(i.cluster)
        .and_then(|slots| slots.get(i.slot))
        .copied()
        .unwrap_or(usize::MAX);
    let mut host = ecs
        .state
        .host(index)
        .cloned()
        .unwrap_or_else(|| ContainerInstance::default_for(&i.id, &i.availability_zone));
    for seq in without {
        host.finish_stopped(*seq);
    }
    host
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
    let constraints = s.placement.constraints().to_vec();
    let mut strategies = s.placement.strategies().to_vec();
    if strategies.is_empty() {
        strategies = PlacementStrategy::service_default();
    }
    (task.group.clone(), constraints, strategies)
}

/// Why a task without an instance waits.
pub(crate) fn pending(ecs: &Ecs, task: &Task) -> TaskExplanation {
    // A task waiting for capacity keeps what it asks of the placer.
    let request = match ecs.state.awaiting_capacity.get(&task.seq) {
        Some(awaiting) => awaiting.request.clone(),
        None => {
            let (group, constraints, strategies) = rules_of(ecs, task);
            PlacementRequest {
                requirements: requirements_of(ecs, task),
                group,
                constraints,
                strategies,
                capacity_provider: task.capacity_provider.clone(),
            }
        }
    };
    let (summary, checks) = why_nothing_fits(ecs, task.cluster, request);
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

/// Why the service's next task cannot be placed, when ECS last said it was
/// unable to place one and the service is short of tasks.
pub(crate) fn unplaced(
    ecs: &Ecs,
    service: &str,
    latest: Option<Capture>,
) -> Option<TaskExplanation> {
    let si = ecs.state.services.iter().rposition(|s| s.name == service)?;
    let s = ecs.state.services.get(si)?;
    let ecs_event = last_placement_event(s)?;
    let wanted = s
        .tasks
        .iter()
        .filter_map(|q| ecs.state.tasks.get(q))
        .filter(|t| t.is_wanted())
        .count() as u32;
    if wanted >= s.desired_count {
        return None;
    }
    let td = ecs.state.task_definition(&s.task_definition)?;
    // A task the service would start next, to read its needs and rules.
    let probe = Task {
        task_definition: td.arn.clone(),
        family: td.family.clone(),
        cpu: td.cpu,
        memory: td.memory,
        host_ports: td.host_ports.clone(),
        network_mode: td.network_mode.clone(),
        service: Some(si),
        group: format!("service:{}", s.name),
        cluster: s.cluster,
        ..probe_task()
    };
    let (group, constraints, strategies) = rules_of(ecs, &probe);
    let request = PlacementRequest {
        requirements: requirements_of(ecs, &probe),
        group,
        constraints,
        strategies,
        capacity_provider: None,
    };
    // The latest failed attempt as the placer saw it; without one (nothing
    // tried yet), the checks on the hosts now.
    let (summary, checks) = match latest.as_ref().and_then(|c| Some((c.trace.as_ref()?, c))) {
        Some((trace, c)) => {
            let needs = c
                .request
                .as_ref()
                .map_or(request.requirements.clone(), |r| r.requirements.clone());
            summarise(trace, &c.hosts, &needs)
        }
        None => why_nothing_fits(ecs, s.cluster, request),
    };
    let missing = s.desired_count - wanted;
    Some(TaskExplanation::Pending {
        summary: format!(
            "{missing} of the {} desired tasks of service {} cannot be placed. {summary}",
            s.desired_count, s.name
        ),
        ecs_event: Some(ecs_event),
        checks,
    })
}

/// An empty task to fill in (only the fields placement reads matter).
fn probe_task() -> Task {
    Task {
        seq: 0,
        id: String::new(),
        arn: String::new(),
        cluster: 0,
        task_definition: String::new(),
        family: String::new(),
        instance: None,
        launch_type: "EC2".into(),
        capacity_provider: None,
        group: String::new(),
        started_by: None,
        service: None,
        deployment: None,
        last_status: TaskStatus::Provisioning,
        desired_status: DesiredStatus::Running,
        created_at: 0,
        pull_started_at: None,
        pull_stopped_at: None,
        started_at: None,
        stopping_at: None,
        execution_stopped_at: None,
        stopped_at: None,
        connectivity_at: 0,
        stop_code: None,
        stopped_reason: None,
        containers: Vec::new(),
        health_status: HealthStatus::Unknown,
        unhealthy: false,
        version: 0,
        cpu: 0,
        memory: 0,
        host_ports: Vec::new(),
        network_mode: "bridge".into(),
        tags: Vec::new(),
        overrides: serde_json::Value::Null,
        platform_version: None,
        failure_counted: false,
        deployment_key: 0,
        essential_health_check: false,
        failed: false,
        placement: None,
    }
}

/// ECS's newest "unable to place a task" event of the service.
fn last_placement_event(s: &Service) -> Option<String> {
    s.events
        .iter()
        .find(|e| e.message.contains("was unable to place a task"))
        .map(|e| e.message.clone())
}

/// Engine II's checks on every instance, summed up in plain words per
/// Availability Zone, and one line per instance.
fn why_nothing_fits(ecs: &Ecs, cluster: usize, request: PlacementRequest) -> (String, Vec<String>) {
    let none = std::collections::BTreeSet::new();
    let (_, instances) = placement_instances(ecs, cluster, &none);
    if instances.is_empty() {
        return (
            "No container instance is registered in the cluster, so there is nowhere to place it."
                .to_string(),
            Vec::new(),
        );
    }
    let needs = request.requirements.clone();
    let mut placed = Cluster::new(instances.clone());
    let trace = match Placer::new(&mut placed, request, ecs.config.seed) {
        Ok(placer) => placer.explain(),
        Err(e) => {
            return (
                format!("ECS would refuse the request: {}.", e.message),
                Vec::new(),
            )
        }
    };
    summarise(&trace, &instances, &needs)
}

/// A trace's checks on every instance, summed up in plain words per
/// Availability Zone, and one line per instance with its numbers.
fn summarise(
    trace: &PlacementDecision,
    instances: &[ContainerInstance],
    needs: &TaskRequirements,
) -> (String, Vec<String>) {
    use std::collections::BTreeMap;
    if trace.candidates.is_empty() {
        return (
            "No container instance is registered in the cluster, so there is nowhere to place it."
                .to_string(),
            Vec::new(),
        );
    }
    let free = |id: &str| {
        instances
            .iter()
            .find(|i| i.id == id)
            .map(|i| (i.free_cpu(), i.free_memory()))
    };
    let mut checks = Vec::new();
    // By zone: (instance id, first failed check, its detail).
    let mut by_zone: BTreeMap<&str, Vec<Verdict<'_>>> = BTreeMap::new();
    for c in &trace.candidates {
        let failed = c
            .checks
            .iter()
            .find(|k| !k.passed)
            .map(|k| (k.check.as_ref(), k.detail.as_ref()));
        let line = c
            .checks
            .iter()
            .map(|k| {
                format!(
                    "{} {}: {}",
                    if k.passed { "pass" } else { "FAIL" },
                    k.check,
                    k.detail
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        checks.push(format!(
            "{} ({}): {line}",
            c.instance_id, c.availability_zone
        ));
        by_zone
            .entry(&c.availability_zone)
            .or_default()
            .push((&c.instance_id, failed));
    }
    let mut parts = Vec::new();
    for (zone, list) in &by_zone {
        let n = list.len();
        let fits = list.iter().filter(|(_, f)| f.is_none()).count();
        // "The only instance … holds" or "all 4 instances … hold".
        let (all, s) = if n == 1 {
            ("the only instance".to_string(), "s")
        } else {
            (format!("all {n} instances"), "")
        };
        let (are, have) = if n == 1 {
            ("is", "has")
        } else {
            ("are", "have")
        };
        let first = list.first().and_then(|(_, f)| *f);
        let same = first.is_some()
            && list
                .iter()
                .all(|(_, f)| f.map(|f| f.0) == first.map(|f| f.0));
        if fits > 0 {
            parts.push(format!(
                "{fits} of {n} instances in {zone} pass every check now"
            ));
        } else if same {
            let check = first.map_or("", |f| f.0);
            let closest = |key: &dyn Fn((u32, u32)) -> u32| {
                list.iter()
                    .filter_map(|(id, _)| free(id).map(|f| (key(f), *id)))
                    .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(a.1)))
            };
            parts.push(match check {
                "memory" => match closest(&|f| f.1) {
                    Some((mib, id)) => format!("{all} in {zone} lack{s} {} MiB of memory; the closest, {id}, has {mib} MiB free", needs.memory),
                    None => format!("{all} in {zone} lack{s} {} MiB of memory", needs.memory),
                },
                "cpu" => match closest(&|f| f.0) {
                    Some((units, id)) => format!("{all} in {zone} lack{s} {} CPU units; the closest, {id}, has {units} free", needs.cpu),
                    None => format!("{all} in {zone} lack{s} {} CPU units", needs.cpu),
                },
                "ports" => format!("{all} in {zone} already hold{s} a host port the task needs ({})", first.map_or("", |f| f.1)),
                "distinctInstance" => format!("{all} in {zone} already run{s} a task of the same group, and distinctInstance allows one per instance"),
                "memberOf" => format!("{all} in {zone} fail{s} the memberOf expression ({})", first.map_or("", |f| f.1)),
                "status" => format!("{all} in {zone} {are} not ACTIVE ({})", first.map_or("", |f| f.1)),
                "agent" => format!("{all} in {zone} {have} the agent disconnected"),
                other => format!("{all} in {zone} fail{s} the {other} check ({})", first.map_or("", |f| f.1)),
            });
        } else {
            let each: Vec<String> = list
                .iter()
                .filter_map(|(id, f)| {
                    f.map(|(check, detail)| format!("{id} fails {check} ({detail})"))
                })
                .collect();
            parts.push(format!("no instance in {zone} fits: {}", each.join("; ")));
        }
    }
    (sentences(&parts), checks)
}

/// An instance id and the first check it fails, with the check's detail.
type Verdict<'a> = (&'a str, Option<(&'a str, &'a str)>);

/// Parts as sentences: each starts with a capital and ends with a full stop.
fn sentences(parts: &[String]) -> String {
    parts
        .iter()
        .map(|p| {
            let mut chars = p.chars();
            let first = chars
                .next()
                .map(|c| c.to_uppercase().collect::<String>())
                .unwrap_or_default();
            format!("{first}{}.", chars.as_str())
        })
        .collect::<Vec<_>>()
        .join(" ")
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
    // The scheduler's own arithmetic at its latest run (the same function
    // computes it when the scheduler has not run yet).
    let budget = match ecs.state.budgets.get(&si) {
        Some(budget) => *budget,
        None => {
            let primary = deployment_key(s.primary().map(|p| p.id.as_str()));
            let tasks: Vec<BudgetTask> = s
                .tasks
                .iter()
                .filter_map(|q| ecs.state.tasks.get(q))
                .filter(|t| t.is_wanted())
                .map(|t| BudgetTask {
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
                    .filter(|t| t.is_live() && t.desired_status == DesiredStatus::Stopped)
                    .count() as u32
            } else {
                0
            };
            DeploymentBudget::compute(
                desired,
                s.config.minimum_healthy_percent,
                s.config.maximum_percent,
                &tasks,
                stopping,
                0,
                s.primary()
                    .is_some_and(|p| p.rollout_state == RolloutState::Failed),
            )
        }
    };
    let DeploymentBudget {
        desired,
        minimum_healthy_percent: min_pct,
        maximum_percent: max_pct,
        min,
        max,
        wanted,
        healthy,
        stopping,
        surplus,
        unhealthy_retirees,
        healthy_retirees,
        stoppable,
        may_stop,
        keep,
        want,
        live,
        live_after,
        room,
        may_start,
        failed_no_rollback,
        ..
    } = budget;
    let mut arithmetic = vec![
        format!("minimum healthy = ceil({desired} × {min_pct} / 100) = ceil({}) = {min} (minimumHealthyPercent rounds up)", decimal(desired, min_pct)),
        format!("maximum = floor({desired} × {max_pct} / 100) = floor({}) = {max} (maximumPercent rounds down)", decimal(desired, max_pct)),
        format!("healthy now: {healthy} of {wanted} tasks wanted running"),
        format!("running or pending now: {live}{}", if stopping > 0 { format!(" (with {stopping} STOPPING)") } else { String::new() }),
        format!("may stop: {surplus} beyond the desired count, plus {unhealthy_retirees} old tasks not yet healthy, plus min({healthy} healthy − {min} minimum, {healthy_retirees} healthy old tasks) = {stoppable}; total {may_stop}"),
        format!("may start: min(desired {desired} − {} current tasks = {want}, maximum {max} − {live_after} left after the stops = {room}) = {may_start}", keep - surplus),
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
    if s.daemon {
        approximations.push("A DAEMON service runs one task per instance: its desired count is the number of eligible instances, and on each instance the old task stops before the new one starts (maximumPercent 100).".to_string());
    }
    if ecs.config.max_percent_counts_stopping {
        approximations.push("STOPPING tasks count toward maximumPercent here (the console's reading); the API counts RUNNING and PENDING only.".to_string());
    }
    if s.config.threshold_type != "COUNT" && s.config.circuit_breaker {
        approximations.push("The threshold percent is read as value/100 of the desired count; the API's wording is ambiguous.".to_string());
    }
    Some(DeploymentExplanation {
        deployment_id: d.id.clone(),
        status: d.status,
        rollout_state: d.rollout_state,
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
