//! The service scheduler: REPLICA and DAEMON reconciliation, rolling
//! deployments bounded by minimumHealthyPercent (rounded up) and
//! maximumPercent (rounded down), unhealthy-task replacement, draining,
//! scale-in selection, the start-failure throttle, the deployment circuit
//! breaker with rollback, and service events in ECS's wording.

use std::collections::{BTreeMap, BTreeSet};

use super::state::{
    CircuitBreakerStatus, Deployment, DeploymentStatus, DesiredStatus, RolloutState,
    ServiceDeploymentStatus, ServiceEvent, ServiceStatus,
};
use super::{Ecs, Event};
use crate::place::{PlacementRequest, PlacementStrategy};

/// Duplicate service events are suppressed for six hours (A3).
const DUPLICATE_WINDOW_MS: u64 = 6 * 3_600_000;
/// The start-failure throttle tops out at 15 minutes (A3).
const MAX_THROTTLE_MS: u64 = 15 * 60_000;
/// How long a circuit-breaker rollback takes to complete at the earliest.
/// An approximation: ECS documents no figure; a rollback that only adopts
/// running tasks is observed completing about a minute after it started
/// (ecs-semantics.md A3), and the simulator uses the scheduler's documented
/// 40-second wait before a task counts toward the minimum healthy.
pub const ROLLBACK_SETTLE_MS: u64 = 40_000;
/// Tasks a service may launch per minute on EC2 and Fargate (A6).
const LAUNCHES_PER_MINUTE_EC2: u32 = 250;
const LAUNCHES_PER_MINUTE_FARGATE: u32 = 500;

/// Minimum healthy tasks: `ceil(desired × min% / 100)`.
pub fn minimum_healthy(desired: u32, percent: u32) -> u32 {
    (u64::from(desired) * u64::from(percent)).div_ceil(100) as u32
}

/// Maximum RUNNING + PENDING tasks: `floor(desired × max% / 100)`.
pub fn maximum_tasks(desired: u32, percent: u32) -> u32 {
    (u64::from(desired) * u64::from(percent) / 100) as u32
}

/// What a rolling deployment may do at one run of the replica scheduler:
/// the one computation of its may-stop / may-start arithmetic, used by the
/// scheduler to act and by the explanation to show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DeploymentBudget {
    pub desired: u32,
    pub minimum_healthy_percent: u32,
    pub maximum_percent: u32,
    /// `minimum_healthy(desired, min%)` and `maximum_tasks(desired, max%)`.
    pub min: u32,
    pub max: u32,
    /// Tasks wanted running, and of them healthy (after the surplus goes).
    pub wanted: u32,
    pub healthy: u32,
    /// STOPPING tasks counted toward the maximum (0 unless configured).
    pub stopping: u32,
    /// Tasks of the primary deployment beyond the desired count (scale-in),
    /// and how many of those were healthy.
    pub surplus: u32,
    pub healthy_surplus: u32,
    pub unhealthy_retirees: u32,
    pub healthy_retirees: u32,
    /// Healthy old tasks that may stop without going under the minimum.
    pub stoppable: u32,
    pub may_stop: u32,
    /// Primary, non-draining tasks (before the surplus stops).
    pub keep: u32,
    pub want: u32,
    pub live: u32,
    pub live_after: u32,
    pub room: u32,
    pub may_start: u32,
    pub failed_no_rollback: bool,
}

/// One task as the budget counts it.
#[derive(Debug, Clone, Copy)]
pub struct BudgetTask {
    pub primary: bool,
    pub draining: bool,
    pub healthy: bool,
}

impl DeploymentBudget {
    /// `tasks`: every task wanted running. A FAILED primary without rollback
    /// launches nothing and retires only tasks on draining instances.
    #[allow(clippy::too_many_arguments)]
    pub fn compute(
        desired: u32,
        minimum_healthy_percent: u32,
        maximum_percent: u32,
        tasks: &[BudgetTask],
        stopping: u32,
        healthy_surplus: u32,
        failed_no_rollback: bool,
    ) -> DeploymentBudget {
        Self::compute_over(
            desired,
            minimum_healthy_percent,
            maximum_percent,
            tasks.iter().copied(),
            stopping,
            healthy_surplus,
            failed_no_rollback,
        )
    }

    /// [`DeploymentBudget::compute`] over tasks as they come (the
    /// scheduler's, mapped from what it sees, without a copy).
    #[allow(clippy::too_many_arguments)]
    pub fn compute_over(
        desired: u32,
        minimum_healthy_percent: u32,
        maximum_percent: u32,
        tasks: impl IntoIterator<Item = BudgetTask>,
        stopping: u32,
        healthy_surplus: u32,
        failed_no_rollback: bool,
    ) -> DeploymentBudget {
        let min = minimum_healthy(desired, minimum_healthy_percent);
        let max = maximum_tasks(desired, maximum_percent);
        // One pass (the scheduler computes this at every run, over thousands
        // of tasks during a deployment).
        let (mut wanted, mut keep, mut all_healthy) = (0u32, 0u32, 0u32);
        let (mut unhealthy_retirees, mut healthy_retirees) = (0u32, 0u32);
        for t in tasks {
            wanted += 1;
            keep += u32::from(t.primary && !t.draining);
            all_healthy += u32::from(t.healthy);
            let retiree = if failed_no_rollback {
                t.primary && t.draining
            } else {
                !t.primary || t.draining
            };
            if retiree {
                if t.healthy {
                    healthy_retirees += 1;
                } else {
                    unhealthy_retirees += 1;
                }
            }
        }
        let surplus = keep.saturating_sub(desired);
        let healthy = all_healthy.saturating_sub(healthy_surplus);
        let stoppable = healthy.saturating_sub(min).min(healthy_retirees);
        let may_stop = surplus + unhealthy_retirees + stoppable;
        let want = desired.saturating_sub(keep - surplus);
        let live = wanted + stopping;
        let live_after = live.saturating_sub(may_stop);
        let room = max.saturating_sub(live_after);
        let may_start = if failed_no_rollback {
            0
        } else {
            want.min(room)
        };
        DeploymentBudget {
            desired,
            minimum_healthy_percent,
            maximum_percent,
            min,
            max,
            wanted,
            healthy,
            stopping,
            surplus,
            healthy_surplus,
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
        }
    }
}

/// The circuit-breaker failure threshold (A3): by default
/// clamp(ceil(50% × desired), minimum, 200).
pub fn circuit_breaker_threshold(kind: &str, value: u32, desired: u32, minimum: u32) -> u32 {
    let percent = (u64::from(desired) * u64::from(value)).div_ceil(100) as u32;
    match kind {
        "COUNT" => value.max(1),
        "UNBOUNDED_PERCENT" => percent.max(1),
        _ => percent.clamp(minimum, 200),
    }
}

/// One task as the scheduler sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Seen {
    pub seq: u64,
    primary: bool,
    pub draining: bool,
    pub healthy: bool,
    pub running: bool,
    replace_unhealthy: bool,
    instance: Option<usize>,
}

impl Ecs {
    pub(crate) fn request_reconcile(&mut self, si: usize) {
        self.reconcile_in(si, 0);
    }

    /// Queues a reconcile of the service `delay_ms` from now, once per time.
    pub(crate) fn reconcile_in(&mut self, si: usize, delay_ms: u64) {
        let at = self.now.saturating_add(delay_ms);
        let Some(service) = self.state.services.get_mut(si) else {
            return;
        };
        if service.reconcile_times.insert(at) {
            self.queue.schedule(at, Event::Reconcile { service: si });
        }
    }

    pub(crate) fn reconcile_event(&mut self, si: usize) {
        let now = self.now;
        if let Some(service) = self.state.services.get_mut(si) {
            service.reconcile_times.remove(&now);
        }
        self.reconcile(si);
    }

    /// Something in the cluster changed: its services take another look.
    /// DAEMON services look first, so that a daemon task is the first task
    /// to launch on a new instance (ECS "prioritizes the daemon task").
    pub(crate) fn wake_cluster(&mut self, cluster: usize) {
        self.wake_awaiting(cluster);
        let mut services: Vec<(bool, usize)> = self
            .state
            .services
            .iter()
            .enumerate()
            .filter(|(_, s)| s.cluster == cluster && s.status != ServiceStatus::Inactive)
            .map(|(i, s)| (!s.daemon, i))
            .collect();
        services.sort_unstable();
        let services = services.into_iter().map(|(_, i)| i);
        for si in services {
            self.request_reconcile(si);
        }
        self.request_scaling_check();
    }

    /// Adds a service event, newest first, capped at 100; an identical
    /// message within six hours of the last one is suppressed.
    pub(crate) fn service_event(&mut self, si: usize, message: String) {
        let now = self.now;
        let id = self.rng.hex(8)
            + "-"
            + &self.rng.hex(4)
            + "-"
            + &self.rng.hex(4)
            + "-"
            + &self.rng.hex(4)
            + "-"
            + &self.rng.hex(12);
        let Some(service) = self.state.services.get_mut(si) else {
            return;
        };
        if let Some(last) = service.last_emitted.get(&message) {
            let still_newest = service.events.front().is_some_and(|e| e.message == message);
            if still_newest && now < last + DUPLICATE_WINDOW_MS {
                return;
            }
        }
        service.last_emitted.insert(message.clone(), now);
        if service.last_emitted.len() > 4 * super::state::Service::EVENT_CAP {
            // Forget the oldest keys; they only suppress duplicates.
            let oldest: Vec<String> = {
                let mut keys: Vec<(&String, &u64)> = service.last_emitted.iter().collect();
                keys.sort_by_key(|(_, at)| **at);
                keys.iter()
                    .take(service.last_emitted.len() / 2)
                    .map(|(k, _)| (*k).clone())
                    .collect()
            };
            for k in oldest {
                service.last_emitted.remove(&k);
            }
        }
        service.events.push_front(ServiceEvent {
            id,
            created_at: now,
            message: message.clone(),
        });
        service.events.truncate(super::state::Service::EVENT_CAP);
        let label = self.service_label(si);
        self.log(label, "service-event", message);
    }

    pub(crate) fn service_label(&self, si: usize) -> String {
        match self.state.services.get(si) {
            Some(s) => {
                let cluster = self
                    .state
                    .clusters
                    .get(s.cluster)
                    .map_or("", |c| c.name.as_str());
                format!("service/{cluster}/{}", s.name)
            }
            None => "service/?".into(),
        }
    }

    pub(crate) fn on_task_healthy(&mut self, si: usize, seq: u64) {
        let deployment = self
            .state
            .tasks
            .get(&seq)
            .and_then(|t| t.deployment.clone());
        if let Some(s) = self.state.services.get_mut(si) {
            let reset = s.config.reset_on_healthy_task;
            if let Some(d) = s
                .deployments
                .iter_mut()
                .find(|d| Some(&d.id) == deployment.as_ref())
            {
                if reset && d.rollout_state == RolloutState::InProgress {
                    d.failed_tasks = 0;
                }
            }
        }
    }

    pub(crate) fn on_service_task_stopped(&mut self, si: usize, seq: u64) {
        let Some(task) = self.state.tasks.get(&seq) else {
            return;
        };
        let never_ran = task.started_at.is_none();
        // Read only of a failure not yet counted (most stopped tasks were
        // stopped on purpose): its deployment, and whether health checks
        // failed it.
        let failure = (task.failed && !task.failure_counted).then(|| {
            let health = task
                .stopped_reason
                .as_deref()
                .is_some_and(|r| r.contains("health"));
            (task.deployment.clone(), health)
        });
        if let Some(s) = self.state.services.get_mut(si) {
            s.tasks.remove(&seq);
        }
        if let Some((deployment, health)) = failure {
            if never_ran {
                self.note_start_failure(si);
            }
            // Stage 1: failed to reach RUNNING; stage 2: failed health checks.
            if never_ran || health {
                self.count_deployment_failure(si, deployment.as_deref());
            }
        }
        self.request_reconcile(si);
    }

    fn note_start_failure(&mut self, si: usize) {
        let now = self.now;
        let Some(s) = self.state.services.get_mut(si) else {
            return;
        };
        s.consecutive_start_failures += 1;
        let n = s.consecutive_start_failures;
        if n >= 3 {
            let delay = (10_000u64 << (n - 3).min(10)).min(MAX_THROTTLE_MS);
            s.next_launch_at = now + delay;
            let name = s.name.clone();
            self.service_event(
                si,
                format!("(service {name}) is unable to consistently start tasks successfully."),
            );
            self.reconcile_in(si, delay);
        }
    }

    fn count_deployment_failure(&mut self, si: usize, deployment: Option<&str>) {
        let minimum = self.config.circuit_breaker_minimum;
        let Some(s) = self.state.services.get_mut(si) else {
            return;
        };
        if !s.config.circuit_breaker {
            return;
        }
        let desired = s.desired_count;
        let (kind, value) = (s.config.threshold_type.clone(), s.config.threshold_value);
        let Some(d) = s
            .deployments
            .iter_mut()
            .find(|d| Some(d.id.as_str()) == deployment)
        else {
            return;
        };
        if d.status != DeploymentStatus::Primary || d.rollout_state != RolloutState::InProgress {
            return;
        }
        d.failed_tasks += 1;
        d.threshold = circuit_breaker_threshold(&kind, value, desired, minimum);
        if d.failed_tasks >= d.threshold {
            self.fail_deployment(
                si,
                "ECS deployment circuit breaker: tasks failed to start.",
                true,
            );
        }
    }

    /// The primary deployment FAILED: roll back when asked to and possible.
    pub(crate) fn fail_deployment(&mut self, si: usize, reason: &str, circuit_breaker: bool) {
        let now = self.now;
        let Some(s) = self.state.services.get_mut(si) else {
            return;
        };
        let rollback = !circuit_breaker || s.config.rollback;
        let name = s.name.clone();
        let Some(pi) = s
            .deployments
            .iter()
            .rposition(|d| d.status == DeploymentStatus::Primary)
        else {
            return;
        };
        let target = s
            .deployments
            .iter()
            .take(pi)
            .rev()
            .find(|d| d.rollout_state == RolloutState::Completed)
            .map(|d| {
                (
                    d.task_definition.clone(),
                    d.revision_arn.clone(),
                    d.id.clone(),
                )
            });
        let d = &mut s.deployments[pi];
        d.rollout_state = RolloutState::Failed;
        d.rollout_state_reason = reason.to_string();
        d.updated_at = now;
        if circuit_breaker {
            d.circuit_breaker_status = CircuitBreakerStatus::Triggered;
        }
        let id = d.id.clone();
        let sd_arn = d.service_deployment_arn.clone();
        let label = self.service_label(si);
        self.log(label, "deployment", format!("{id} FAILED: {reason}"));
        self.service_event(
            si,
            format!(
                "(service {name}) (deployment {id}) deployment failed: {}",
                reason
                    .trim_end_matches('.')
                    .rsplit(": ")
                    .next()
                    .unwrap_or(reason)
            ),
        );
        let Some(s) = self.state.services.get_mut(si) else {
            return;
        };
        match (rollback, target) {
            (true, Some((task_definition, revision_arn, target_id))) => {
                if let Some(d) = s.deployments.get_mut(pi) {
                    d.sd_status = ServiceDeploymentStatus::RollbackInProgress;
                    d.sd_status_reason = Some(reason.to_string());
                    d.rollback = Some((reason.to_string(), revision_arn.clone()));
                }
                s.task_definition = task_definition.clone();
                // ECS names the deployment it returns to, both as the new
                // primary's rolloutStateReason and in the EventBridge reason
                // (ecs-semantics.md A3: "rolling back to deploymentId …").
                let rollback_reason = format!(
                    "ECS deployment circuit breaker: rolling back to deploymentId {target_id}."
                );
                if circuit_breaker {
                    // Observed service-event wording (a partial quote, see
                    // ecs-semantics.md A3); the rest is an approximation.
                    self.service_event(
                        si,
                        format!("(service {name}) rolling back to deployment {target_id}."),
                    );
                }
                self.start_deployment(
                    si,
                    Some((task_definition, revision_arn, sd_arn)),
                    &rollback_reason,
                );
                if circuit_breaker {
                    if let Some(d) = self
                        .state
                        .services
                        .get_mut(si)
                        .and_then(|s| s.deployments.last_mut())
                    {
                        d.rollout_state_reason = rollback_reason;
                    }
                }
            }
            (true, None) => {
                if let Some(d) = s.deployments.get_mut(pi) {
                    d.sd_status = ServiceDeploymentStatus::RollbackFailed;
                    d.sd_status_reason = Some(format!(
                        "{reason} No deployment in the COMPLETED state to roll back to."
                    ));
                    d.finished_at = Some(now);
                }
            }
            (false, _) => {
                if let Some(d) = s.deployments.get_mut(pi) {
                    d.sd_status = ServiceDeploymentStatus::Stopped;
                    d.sd_status_reason = Some(reason.to_string());
                    d.finished_at = Some(now);
                }
            }
        }
        self.request_reconcile(si);
    }

    /// Starts a new deployment of the service's current configuration, or a
    /// rollback to `(task definition, revision, service deployment)`.
    pub(crate) fn start_deployment(
        &mut self,
        si: usize,
        rollback: Option<(String, String, String)>,
        note: &str,
    ) {
        let now = self.now;
        let id = format!("ecs-svc/{}", self.rng.digits(19));
        let is_rollback = rollback.is_some();
        let (revision_arn, sd_arn) = match &rollback {
            Some((_, revision, sd)) => (revision.clone(), sd.clone()),
            None => {
                let number = id.trim_start_matches("ecs-svc/").to_string();
                let revision = self.create_service_revision(si, &number);
                let sd =
                    self.service_scoped_arn(si, "service-deployment", &self.rng.clone().hex(22));
                let _ = self.rng.next_u64();
                (revision, sd)
            }
        };
        let Some(s) = self.state.services.get_mut(si) else {
            return;
        };
        let mut source_revisions = Vec::new();
        for d in s.deployments.iter_mut() {
            if d.status == DeploymentStatus::Primary {
                d.status = DeploymentStatus::Active;
                d.updated_at = now;
                if !is_rollback
                    && matches!(
                        d.sd_status,
                        ServiceDeploymentStatus::InProgress | ServiceDeploymentStatus::Pending
                    )
                {
                    d.sd_status = ServiceDeploymentStatus::Stopped;
                    d.sd_status_reason = Some("Superseded by a newer service deployment.".into());
                    d.finished_at = Some(now);
                }
            }
            if d.status != DeploymentStatus::Inactive && !source_revisions.contains(&d.revision_arn)
            {
                source_revisions.push(d.revision_arn.clone());
            }
        }
        let task_definition = rollback
            .as_ref()
            .map_or_else(|| s.task_definition.clone(), |r| r.0.clone());
        let deployment = Deployment {
            id: id.clone(),
            status: DeploymentStatus::Primary,
            task_definition,
            revision_arn,
            service_deployment_arn: sd_arn,
            desired_count: s.desired_count,
            failed_tasks: 0,
            rollout_state: RolloutState::InProgress,
            rollout_state_reason: format!("ECS deployment {id} in progress."),
            created_at: now,
            updated_at: now,
            finished_at: None,
            launch_type: s.launch_type.clone(),
            strategy: s.strategy.clone(),
            platform_version: s.platform_version.clone(),
            network_configuration: s.network_configuration.clone(),
            sd_status: if is_rollback {
                ServiceDeploymentStatus::RollbackInProgress
            } else {
                ServiceDeploymentStatus::InProgress
            },
            sd_status_reason: None,
            source_revisions,
            rollback: None,
            circuit_breaker_status: if s.config.circuit_breaker {
                CircuitBreakerStatus::Monitoring
            } else {
                CircuitBreakerStatus::Disabled
            },
            threshold: 0,
            ever_running: false,
            is_rollback,
        };
        // A rollback adopts the running tasks of the revision it returns to
        // rather than replacing them with identical ones.
        let adopted: Vec<String> = if is_rollback {
            s.deployments
                .iter()
                .filter(|d| d.revision_arn == deployment.revision_arn)
                .map(|d| d.id.clone())
                .collect()
        } else {
            Vec::new()
        };
        s.deployments.push(deployment);
        if !adopted.is_empty() {
            let tasks: Vec<u64> = s.tasks.iter().copied().collect();
            for seq in tasks {
                let mut moved = false;
                if let Some(t) = self.state.tasks.get_mut(&seq) {
                    if t.deployment.as_ref().is_some_and(|d| adopted.contains(d)) {
                        t.deployment = Some(id.clone());
                        t.deployment_key = super::state::deployment_key(Some(&id));
                        moved = true;
                    }
                }
                if moved {
                    self.touch_task(seq);
                }
            }
        }
        let Some(s) = self.state.services.get_mut(si) else {
            return;
        };
        s.steady = false;
        // A new task definition resets the throttle at once (A3).
        s.consecutive_start_failures = 0;
        s.next_launch_at = now;
        if s.deployments.len() > super::state::Service::DEPLOYMENT_HISTORY {
            if let Some(pos) = s
                .deployments
                .iter()
                .position(|d| d.status == DeploymentStatus::Inactive)
            {
                s.deployments.remove(pos);
            }
        }
        let label = self.service_label(si);
        let message = if note.is_empty() {
            format!("{id} started")
        } else {
            format!("{id} started: {note}")
        };
        self.log(label, "deployment", message);
        self.request_reconcile(si);
        if is_rollback {
            self.reconcile_in(si, ROLLBACK_SETTLE_MS);
        }
    }

    pub(crate) fn service_scoped_arn(&self, si: usize, kind: &str, id: &str) -> String {
        let (cluster, name) = self
            .state
            .services
            .get(si)
            .map(|s| {
                (
                    self.state
                        .clusters
                        .get(s.cluster)
                        .map_or("", |c| c.name.as_str()),
                    s.name.as_str(),
                )
            })
            .unwrap_or(("", ""));
        self.arn(&[kind, cluster, name, id])
    }

    /// Does a running task count toward the minimum healthy?
    pub(crate) fn counts_healthy(&self, task: &super::state::Task) -> bool {
        super::state::WantedTask::of(task).counts_healthy(self.now)
    }

    /// Whether the task's instance is draining (Fargate tasks never are).
    fn on_draining_instance(&self, task: &super::state::Task) -> bool {
        task.instance
            .and_then(|i| self.state.instances.get(i))
            .is_some_and(|i| i.draining)
    }

    /// The service's wanted tasks as the scheduler sees them, in seq order
    /// (callers binary-search it), from the service's kept list of wanted
    /// tasks (`State::wanted`): what [`Ecs::see_walking`] finds by walking
    /// the tasks themselves (`sim::properties` checks the two agree).
    pub(crate) fn see(&self, si: usize) -> Vec<Seen> {
        let Some(s) = self.state.services.get(si) else {
            return Vec::new();
        };
        let primary = super::state::deployment_key(s.primary().map(|d| d.id.as_str()));
        let grace = u64::from(s.health_check_grace_period) * 1000;
        let now = self.now;
        let instances = &self.state.instances;
        let Some(kept) = self.state.wanted.get(si) else {
            return Vec::new();
        };
        let mut seen = Vec::with_capacity(kept.len());
        for (wanted, t) in kept.entries() {
            if !*wanted {
                continue;
            }
            seen.push(Seen {
                seq: t.seq,
                primary: t.deployment_key == primary,
                draining: t
                    .instance
                    .and_then(|i| instances.get(i))
                    .is_some_and(|i| i.draining),
                healthy: t.counts_healthy(now),
                running: t.running,
                replace_unhealthy: t.unhealthy && t.started_at.is_some_and(|at| at + grace <= now),
                instance: t.instance,
            });
        }
        seen
    }

    /// [`Ecs::see`] computed afresh from the tasks: by a walk of the task
    /// map from index `start` (the service's first task; every live task of
    /// the service is in its task set, so the walk meets the same tasks), or
    /// without one by the service's task set. The references the kept list
    /// is checked against.
    #[cfg(test)]
    pub(crate) fn see_walking(&self, si: usize, start: Option<usize>) -> Vec<Seen> {
        let Some(s) = self.state.services.get(si) else {
            return Vec::new();
        };
        let primary = super::state::deployment_key(s.primary().map(|d| d.id.as_str()));
        let grace = u64::from(s.health_check_grace_period) * 1000;
        let to_seen = |t: &super::state::Task| Seen {
            seq: t.seq,
            primary: t.deployment_key == primary,
            draining: self.on_draining_instance(t),
            healthy: self.counts_healthy(t),
            running: t.last_status == super::state::TaskStatus::Running,
            replace_unhealthy: t.unhealthy && t.started_at.is_some_and(|at| at + grace <= self.now),
            instance: t.instance,
        };
        let mut seen = Vec::with_capacity(s.tasks.len());
        match start {
            Some(start) => seen.extend(
                self.state
                    .tasks
                    .values()
                    .skip(start)
                    .filter(|t| t.service == Some(si) && t.is_wanted())
                    .map(to_seen),
            ),
            None => seen.extend(
                self.state
                    .tasks_by_seq(&s.tasks)
                    .filter(|t| t.is_wanted())
                    .map(to_seen),
            ),
        }
        seen
    }

    pub(crate) fn reconcile(&mut self, si: usize) {
        self.reconcile_count += 1;
        let Some(s) = self.state.services.get(si) else {
            return;
        };
        match s.status {
            ServiceStatus::Inactive => return,
            ServiceStatus::Draining => return self.drain_deleted_service(si),
            _ => {}
        }
        if self.state.ops.is_external(si) {
            return self.reconcile_task_sets(si);
        }
        if s.daemon {
            self.reconcile_daemon(si);
        } else {
            self.reconcile_replica(si);
        }
        self.update_deployment_states(si);
    }

    fn drain_deleted_service(&mut self, si: usize) {
        let live: Vec<u64> = self
            .state
            .services
            .get(si)
            .map(|s| s.tasks.iter().copied().collect())
            .unwrap_or_default();
        let mut any_live = false;
        for seq in live {
            if self.state.tasks.get(&seq).is_some_and(|t| t.is_live()) {
                any_live = true;
                self.stop_task(
                    seq,
                    "ServiceSchedulerInitiated",
                    "Service is being deleted",
                    false,
                );
            }
        }
        if !any_live {
            let now = self.now;
            self.state.ops.service_mut(si).inactive_at = Some(now);
            if let Some(s) = self.state.services.get_mut(si) {
                s.status = ServiceStatus::Inactive;
                for d in &mut s.deployments {
                    d.status = DeploymentStatus::Inactive;
                }
            }
            let label = self.service_label(si);
            self.log(label, "service", "INACTIVE".into());
        }
    }

    pub(crate) fn stop_unhealthy(&mut self, si: usize, seen: &mut Vec<Seen>) -> Vec<u64> {
        let mut stopped = Vec::new();
        for t in seen.iter().filter(|t| t.replace_unhealthy) {
            if let Some(task) = self.state.tasks.get_mut(&t.seq) {
                task.failed = true;
            }
            self.stop_task(
                t.seq,
                "ServiceSchedulerInitiated",
                "Task failed container health checks",
                false,
            );
            stopped.push(t.seq);
        }
        if !stopped.is_empty() {
            seen.retain(|t| !t.replace_unhealthy);
            let name = self
                .state
                .services
                .get(si)
                .map(|s| s.name.clone())
                .unwrap_or_default();
            let ids = task_list(
                stopped
                    .iter()
                    .filter_map(|seq| self.state.tasks.get(seq))
                    .map(|t| t.id.as_str()),
            );
            self.service_event(
                si,
                format!(
                    "(service {name}) has stopped {} running tasks: {ids}.",
                    stopped.len(),
                ),
            );
        }
        stopped
    }

    fn reconcile_replica(&mut self, si: usize) {
        let mut seen = self.see(si);
        self.stop_unhealthy(si, &mut seen);
        let Some(s) = self.state.services.get(si) else {
            return;
        };
        let name = s.name.clone();
        let desired = s.desired_count;
        let (min_percent, max_percent) =
            (s.config.minimum_healthy_percent, s.config.maximum_percent);
        let primary_state = s.primary().map(|d| d.rollout_state);
        let primary_failed_no_rollback = primary_state == Some(RolloutState::Failed);
        let stopping_count = if self.config.max_percent_counts_stopping {
            s.tasks
                .iter()
                .filter_map(|q| self.state.tasks.get(q))
                .filter(|t| t.is_live() && t.desired_status == DesiredStatus::Stopped)
                .count() as u32
        } else {
            0
        };

        // Stops: scale-in of surplus primary tasks, then retiring old and draining ones.
        let keep = |t: &&Seen| t.primary && !t.draining;
        let mut to_stop: Vec<u64> = Vec::new();
        let surplus = (seen.iter().filter(keep).count() as u32).saturating_sub(desired);
        if surplus > 0 {
            // Protected tasks are never chosen (UpdateTaskProtection).
            let pool: Vec<Seen> = seen
                .iter()
                .filter(keep)
                .copied()
                .filter(|t| !self.state.ops.is_protected(t.seq, self.now))
                .collect();
            if pool.len() < surplus as usize {
                self.protected_scale_in_event(si, None);
            }
            to_stop.extend(self.scale_in_selection(si, &pool, surplus as usize));
        }
        let healthy_surplus = if to_stop.is_empty() {
            0
        } else {
            let surplus_set: std::collections::HashSet<u64> = to_stop.iter().copied().collect();
            seen.iter()
                .filter(|t| t.healthy && surplus_set.contains(&t.seq))
                .count() as u32
        };
        let budget = DeploymentBudget::compute_over(
            desired,
            min_percent,
            max_percent,
            seen.iter().map(|t| BudgetTask {
                primary: t.primary,
                draining: t.draining,
                healthy: t.healthy,
            }),
            stopping_count,
            healthy_surplus,
            primary_failed_no_rollback,
        );
        self.state.budgets.insert(si, budget);
        let is_retiree = |t: &Seen| {
            if primary_failed_no_rollback {
                // A FAILED deployment launches nothing; old tasks keep serving.
                t.primary && t.draining
            } else {
                // A deployment leaves protected old tasks until protection ends.
                t.draining || (!t.primary && !self.state.ops.is_protected(t.seq, self.now))
            }
        };
        // Not-yet-healthy retirees can go at once; healthy ones within the minimum.
        let mut any_retiree = false;
        // Sized by the budget's count (thousands during a deployment), not
        // grown a doubling at a time at every run.
        let mut healthy_retirees: Vec<Seen> = Vec::with_capacity(budget.healthy_retirees as usize);
        to_stop.reserve(budget.unhealthy_retirees as usize + budget.stoppable as usize);
        for t in seen.iter().filter(|t| is_retiree(t)) {
            any_retiree = true;
            if t.healthy {
                healthy_retirees.push(*t);
            } else {
                to_stop.push(t.seq);
            }
        }
        let chosen = self.scale_in_selection(si, &healthy_retirees, budget.stoppable as usize);
        to_stop.extend(chosen);
        let stopped_now = to_stop.len();
        // `seen` is in the order of the service's task set: by seq.
        let seen_by_seq = |seq: &u64| {
            seen.binary_search_by_key(seq, |t| t.seq)
                .ok()
                .and_then(|k| seen.get(k))
        };
        if !to_stop.is_empty() {
            let running = task_list(
                to_stop
                    .iter()
                    .filter_map(|q| self.state.tasks.get(q))
                    .map(|t| t.id.as_str()),
            );
            for seq in &to_stop {
                let seen = seen_by_seq(seq);
                let reason = if seen.is_some_and(|t| t.draining) {
                    DRAINING_STOP_REASON
                } else if seen.is_some_and(|t| t.primary) {
                    "Scaling activity initiated by (deployment) service scale-in"
                } else {
                    "Scaling activity initiated by deployment"
                };
                self.stop_task(*seq, "ServiceSchedulerInitiated", reason, false);
            }
            self.service_event(
                si,
                format!("(service {name}) has stopped {stopped_now} running tasks: {running}."),
            );
        }

        // Starts: replace toward the desired count within the maximum (the
        // budget's arithmetic, which the explanation shows).
        let (want, room) = (budget.want, budget.room);
        let mut started = 0;
        if want > 0 && !primary_failed_no_rollback {
            if room == 0 {
                let in_flight = seen.iter().any(|t| !t.running || !t.healthy)
                    || self.state.services.get(si).is_some_and(|s| {
                        s.tasks
                            .iter()
                            .filter_map(|q| self.state.tasks.get(q))
                            .any(|t| t.desired_status == DesiredStatus::Stopped)
                    });
                if stopped_now == 0 && any_retiree && !in_flight {
                    self.service_event(si, format!("service {name} was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again."));
                }
            } else {
                started = self.launch_service_tasks(si, want.min(room));
            }
        }
        let _ = started;
    }

    /// Which `count` tasks of `pool` to stop: tasks not yet RUNNING first
    /// (newest first), then the placement engine's scale-in
    /// (`place::scale_in`) over the cluster's hosts with the service's
    /// strategies (none: the service default, keeping the Availability Zones
    /// balanced). Tasks without an instance (Fargate) go last, newest first
    /// (an approximation: Fargate's own AZ balance is not modelled here).
    pub(crate) fn scale_in_selection(
        &mut self,
        si: usize,
        pool: &[Seen],
        count: usize,
    ) -> Vec<u64> {
        if count >= pool.len() {
            return pool.iter().map(|t| t.seq).collect();
        }
        // Most runs of a deployment may stop none of the healthy old tasks.
        if count == 0 {
            return Vec::new();
        }
        let mut chosen = Vec::with_capacity(count);
        let mut not_running: Vec<u64> = pool.iter().filter(|t| !t.running).map(|t| t.seq).collect();
        not_running.sort_unstable_by(|a, b| b.cmp(a));
        chosen.extend(not_running.into_iter().take(count));
        let Some(s) = self.state.services.get(si) else {
            return chosen;
        };
        let cluster = s.cluster;
        let group = format!("service:{}", s.name);
        let strategies = s.placement.strategies().to_vec();
        // Each running task on an instance, with its instance's host slot:
        // the scale-in reads those hosts, not every task of the cluster.
        let on_instances: Vec<(u64, usize)> = pool
            .iter()
            .filter(|t| t.running)
            .filter_map(|t| {
                let instance = self.state.instances.get(t.instance?)?;
                Some((t.seq, instance.slot))
            })
            .collect();
        let left = count - chosen.len();
        if left > 0 && !on_instances.is_empty() {
            let seed = self.rng.next_u64();
            let empty = crate::place::Cluster::default();
            let state = &mut self.state;
            let hosts = state.hosts.get(cluster).unwrap_or(&empty);
            // Through the order kept since the service's last scale-in.
            chosen.extend(state.kept_indexes.stop_orders.select(
                cluster,
                hosts,
                &group,
                &strategies,
                left,
                seed,
                &on_instances,
            ));
        }
        let mut elsewhere: Vec<u64> = pool
            .iter()
            .filter(|t| t.running && t.instance.is_none())
            .map(|t| t.seq)
            .collect();
        elsewhere.sort_unstable_by(|a, b| b.cmp(a));
        let left = count.saturating_sub(chosen.len());
        chosen.extend(elsewhere.into_iter().take(left));
        chosen
    }

    /// Launches up to `count` tasks of the primary deployment; returns how
    /// many started. Placement failures become service events.
    fn launch_service_tasks(&mut self, si: usize, count: u32) -> u32 {
        let Some(s) = self.state.services.get(si) else {
            return 0;
        };
        let Some(primary) = s.primary() else {
            return 0;
        };
        let spec = LaunchSpec {
            id: primary.id.clone(),
            task_definition: primary.task_definition.clone(),
            launch_type: s.launch_type.clone(),
            strategy: s.strategy.clone(),
            platform_version: s.platform_version.clone(),
        };
        self.launch_tasks_of(si, &spec, count)
    }

    /// Launches up to `count` service tasks of `spec` (the primary
    /// deployment, or a task set); returns how many started. Placement
    /// failures become service events.
    pub(crate) fn launch_tasks_of(&mut self, si: usize, spec: &LaunchSpec, count: u32) -> u32 {
        let now = self.now;
        let Some(s) = self.state.services.get(si) else {
            return 0;
        };
        if now < s.next_launch_at {
            return 0;
        }
        let Some(td) = self.state.task_definition(&spec.task_definition).cloned() else {
            return 0;
        };
        let name = s.name.clone();
        let cluster = s.cluster;
        let group = format!("service:{name}");
        let strategy = self.effective_strategy(
            cluster,
            spec.launch_type.as_deref(),
            spec.strategy.as_deref(),
        );
        let fargate_launch = spec.launch_type.as_deref() == Some("FARGATE")
            || strategy.as_ref().is_some_and(|st| {
                st.iter()
                    .any(|i| crate::place::capacity::is_fargate_provider(&i.capacity_provider))
            });
        let per_minute = if fargate_launch {
            LAUNCHES_PER_MINUTE_FARGATE
        } else {
            LAUNCHES_PER_MINUTE_EC2
        };
        let launched_recently = s
            .recent_launches
            .iter()
            .filter(|at| **at + 60_000 > now)
            .count() as u32;
        let budget = per_minute.saturating_sub(launched_recently);
        let count = count.min(budget);
        if count == 0 {
            // Try again when the oldest launch of the window leaves it.
            let retry = s
                .recent_launches
                .iter()
                .find(|at| **at + 60_000 > now)
                .map_or(60_000, |at| at + 60_000 - now);
            self.reconcile_in(si, retry);
            return 0;
        }
        let request = PlacementRequest {
            requirements: super::placement::requirements_for(&td, &serde_json::Value::Null),
            group: group.clone(),
            constraints: s.placement.constraints().to_vec(),
            strategies: {
                let given = s.placement.strategies().to_vec();
                if given.is_empty() {
                    PlacementStrategy::service_default()
                } else {
                    given
                }
            },
            capacity_provider: None,
        };
        let platform_version = spec.platform_version.clone();
        let tags = if s.propagate_tags.as_deref() == Some("SERVICE") {
            s.tags.clone()
        } else {
            Vec::new()
        };
        // Per-provider counts of the deployment's live tasks, for base/weight:
        // each deployment (or task set) has its own capacityProviderStrategy
        // (`Deployment.capacityProviderStrategy`), so the tasks of an older
        // one, which are going away, do not skew the new one's split.
        let mut provider_counts: Vec<u32> = strategy
            .as_ref()
            .map(|st| {
                st.iter()
                    .map(|item| {
                        s.tasks
                            .iter()
                            .filter_map(|q| self.state.tasks.get(q))
                            .filter(|t| {
                                t.is_wanted()
                                    && t.deployment.as_deref() == Some(spec.id.as_str())
                                    && t.capacity_provider.as_deref()
                                        == Some(item.capacity_provider.as_str())
                            })
                            .count() as u32
                    })
                    .collect()
            })
            .unwrap_or_default();
        // Each task's launch type and provider, in order
        // (place::capacity::launches); a strategy without weight (refused
        // when the service was created) launches on EC2.
        let items = strategy
            .as_deref()
            .map(super::placement::provider_items)
            .unwrap_or_default();
        let mut launches: Vec<(String, Option<String>)> = Vec::with_capacity(count as usize);
        for _ in 0..count {
            launches.push(
                match crate::place::capacity::next_launch(
                    spec.launch_type.as_deref(),
                    &items,
                    &mut provider_counts,
                ) {
                    Some(l) => (
                        l.launch_type.to_string(),
                        l.capacity_provider.map(str::to_string),
                    ),
                    None => ("EC2".to_string(), None),
                },
            );
        }
        let new_task = |instance: Option<usize>, lt: &str, provider: &Option<String>| {
            super::lifecycle::NewTask {
                cluster,
                task_definition: spec.task_definition.clone(),
                instance,
                launch_type: lt.to_string(),
                capacity_provider: provider.clone(),
                group: group.clone(),
                started_by: Some(spec.id.clone()),
                service: Some(si),
                deployment: Some(spec.id.clone()),
                overrides: serde_json::json!({}),
                tags: tags.clone(),
                platform_version: platform_version.clone(),
            }
        };
        let mut started_ids = Vec::new();
        let mut failure: Option<super::placement::Unplaced> = None;
        let mut at = 0;
        while let Some((lt, provider)) = launches.get(at).cloned() {
            if lt == "FARGATE" {
                if let Some(seq) = self.create_task(new_task(None, &lt, &provider)) {
                    if let Some(t) = self.state.tasks.get(&seq) {
                        started_ids.push(t.id.clone());
                    }
                }
                at += 1;
                continue;
            }
            let run = launches[at..]
                .iter()
                .take_while(|(l, p)| *l == lt && *p == provider)
                .count();
            let mut request = request.clone();
            request.capacity_provider = provider.clone();
            let awaiting = request.clone();
            let outcome = self.with_placer(cluster, request, |ecs, placer| {
                let mut ids = Vec::new();
                for _ in 0..run {
                    let created = match ecs.place_next(cluster, placer) {
                        Some(index) => ecs.create_task(new_task(Some(index), &lt, &provider)),
                        // No instance can take it, but its provider scales:
                        // the task waits for capacity in PROVISIONING.
                        None if ecs.waits_for_capacity(cluster, provider.as_deref()) => {
                            if let Some(placement) = ecs.state.last_placement {
                                ecs.state.unplaced.insert(si, (now, placement));
                            }
                            ecs.create_task_waiting(
                                new_task(None, &lt, &provider),
                                Some(awaiting.clone()),
                            )
                        }
                        None => return (ids, Some(ecs.unplaced(cluster, placer))),
                    };
                    if let Some(t) = created.and_then(|seq| ecs.state.tasks.get(&seq)) {
                        ids.push(t.id.clone());
                    }
                }
                (ids, None)
            });
            match outcome {
                Ok((ids, unplaced)) => {
                    started_ids.extend(ids);
                    if unplaced.is_some() {
                        failure = unplaced;
                        break;
                    }
                }
                Err(err) => {
                    failure = Some(super::placement::Unplaced {
                        reason: "INVALID",
                        arn: None,
                        event: err.message,
                        placement: None,
                    });
                    break;
                }
            }
            at += run;
        }
        if let Some(s) = self.state.services.get_mut(si) {
            s.recent_launches.retain(|at| *at + 60_000 > now);
            s.recent_launches
                .extend(std::iter::repeat_n(now, started_ids.len()));
        }
        if !started_ids.is_empty() {
            let list = task_list(started_ids.iter().map(String::as_str));
            self.service_event(
                si,
                format!(
                    "(service {name}) has started {} tasks: {list}.",
                    started_ids.len(),
                ),
            );
            if let Some(s) = self.state.services.get_mut(si) {
                s.steady = false;
            }
        }
        if let Some(unplaced) = failure {
            if let Some(placement) = unplaced.placement {
                self.state.unplaced.insert(si, (now, placement));
            }
            self.service_event(si, format!("service {name} {}", unplaced.event));
            self.request_scaling_check();
        }
        started_ids.len() as u32
    }

    fn reconcile_daemon(&mut self, si: usize) {
        let mut seen = self.see(si);
        self.stop_unhealthy(si, &mut seen);
        let Some(s) = self.state.services.get(si) else {
            return;
        };
        let name = s.name.clone();
        let cluster = s.cluster;
        let Some(primary) = s.primary().cloned() else {
            return;
        };
        let Some(td) = self
            .state
            .task_definition(&primary.task_definition)
            .cloned()
        else {
            return;
        };
        let constraints = s.placement.constraints().to_vec();
        let member_of: Vec<&str> = constraints
            .iter()
            .filter_map(|c| match c {
                crate::place::PlacementConstraint::MemberOf(e) => Some(e.as_str()),
                crate::place::PlacementConstraint::DistinctInstance => None,
            })
            .collect();
        let eligible: Vec<usize> = self
            .state
            .instances
            .iter()
            .enumerate()
            .filter(|(_, i)| {
                i.cluster == cluster
                    && !i.terminated
                    && i.status == crate::place::InstanceStatus::Active
            })
            .map(|(k, _)| k)
            .filter(|&k| {
                member_of
                    .iter()
                    .all(|e| super::placement::matches_expression(&self.state, k, e))
            })
            .collect();
        let request = PlacementRequest {
            requirements: super::placement::requirements_for(&td, &serde_json::Value::Null),
            group: format!("service:{name}"),
            constraints,
            strategies: Vec::new(),
            capacity_provider: None,
        };
        let desired = eligible.len() as u32;
        let min = minimum_healthy(desired, s.config.minimum_healthy_percent);
        if let Some(s) = self.state.services.get_mut(si) {
            s.desired_count = desired;
            if let Some(d) = s.primary_mut() {
                d.desired_count = desired;
            }
        }
        let mut to_stop = Vec::new();
        let eligible_set: BTreeSet<usize> = eligible.iter().copied().collect();
        let mut by_instance: BTreeMap<usize, Vec<Seen>> = BTreeMap::new();
        for t in &seen {
            if let Some(i) = t.instance {
                by_instance.entry(i).or_default().push(*t);
            }
        }
        // Tasks on instances that are no longer eligible stop, last of all.
        for t in &seen {
            let on_eligible = t.instance.is_some_and(|i| eligible_set.contains(&i));
            if !on_eligible {
                let others = t
                    .instance
                    .and_then(|i| self.state.instances.get(i))
                    .map_or(0, |i| {
                        i.tasks
                            .iter()
                            .filter_map(|q| self.state.tasks.get(q))
                            .filter(|o| o.is_live() && o.service != Some(si))
                            .count()
                    });
                if others == 0 {
                    to_stop.push(t.seq);
                }
            }
        }
        let mut healthy = seen.iter().filter(|t| t.healthy).count() as u32;
        let mut to_start = Vec::new();
        for &index in &eligible {
            let here: Vec<&Seen> = by_instance
                .get(&index)
                .map(|v| v.iter().collect())
                .unwrap_or_default();
            let has_primary = here.iter().any(|t| t.primary);
            let old: Vec<&Seen> = here.iter().filter(|t| !t.primary).copied().collect();
            for t in &old {
                if !t.healthy {
                    to_stop.push(t.seq);
                } else if healthy > min {
                    healthy -= 1;
                    to_stop.push(t.seq);
                }
            }
            if !has_primary && old.is_empty() && primary.rollout_state != RolloutState::Failed {
                to_start.push(index);
            }
        }
        // One task per instance, through the pipeline's checks for that
        // instance (resources, GPUs, ENIs, ports, attributes).
        let mut started = Vec::new();
        let mut failure = None;
        if !to_start.is_empty() {
            let task_definition = primary.task_definition.clone();
            let deployment = primary.id.clone();
            let outcome = self.with_placer(cluster, request, |ecs, placer| {
                let mut started = Vec::new();
                let mut failure = None;
                for index in to_start {
                    if let Err(check) = ecs.place_next_on(placer, index) {
                        failure.get_or_insert((index, check));
                        continue;
                    }
                    let seq = ecs.create_task(super::lifecycle::NewTask {
                        cluster,
                        task_definition: task_definition.clone(),
                        instance: Some(index),
                        launch_type: "EC2".into(),
                        capacity_provider: None,
                        group: format!("service:{name}"),
                        started_by: Some(deployment.clone()),
                        service: Some(si),
                        deployment: Some(deployment.clone()),
                        overrides: serde_json::json!({}),
                        tags: Vec::new(),
                        platform_version: None,
                    });
                    if let Some(t) = seq.and_then(|q| ecs.state.tasks.get(&q)) {
                        started.push(format!("(task {})", t.id));
                    }
                }
                (started, failure)
            });
            if let Ok((s, f)) = outcome {
                started = s;
                failure = f;
            }
        }
        if !to_stop.is_empty() {
            let ids: Vec<String> = to_stop
                .iter()
                .filter_map(|q| self.state.tasks.get(q))
                .map(|t| format!("(task {})", t.id))
                .collect();
            for seq in &to_stop {
                // The same words as for a service task on a draining instance.
                let draining = self
                    .state
                    .tasks
                    .get(seq)
                    .and_then(|t| t.instance)
                    .and_then(|i| self.state.instances.get(i))
                    .is_some_and(|i| i.draining);
                let reason = if draining {
                    DRAINING_STOP_REASON
                } else {
                    "Scaling activity initiated by deployment"
                };
                self.stop_task(*seq, "ServiceSchedulerInitiated", reason, false);
            }
            self.service_event(
                si,
                format!(
                    "(service {name}) has stopped {} running tasks: {}.",
                    to_stop.len(),
                    ids.join(" ")
                ),
            );
        }
        if !started.is_empty() {
            self.service_event(
                si,
                format!(
                    "(service {name}) has started {} tasks: {}.",
                    started.len(),
                    started.join(" ")
                ),
            );
        }
        if let Some((index, check)) = failure {
            // ECS keeps trying on that instance as resources free up.
            let label = self.instance_label(index);
            self.log(
                label,
                "daemon",
                format!(
                    "waiting for resources for a {name} daemon task ({})",
                    check.failure_reason()
                ),
            );
        }
    }

    /// Marks deployments COMPLETED or INACTIVE and emits steady-state events.
    fn update_deployment_states(&mut self, si: usize) {
        let now = self.now;
        let Some(s) = self.state.services.get(si) else {
            return;
        };
        let name = s.name.clone();
        let desired = s.desired_count;
        let primary_key = super::state::deployment_key(s.primary().map(|d| d.id.as_str()));
        // One pass over the service's tasks: live tasks per deployment (keyed
        // by deployment_key), and the primary's healthy ones as `see` counts
        // them (wanted, healthy, not on a draining instance).
        // The pass can stop early: once a live task of another deployment is
        // seen the service is not settled, and once every ACTIVE deployment
        // has a live task none of them turns INACTIVE, so the rest of the
        // counts decide nothing. (Old tasks come first in seq order: during a
        // deployment this is usually the first task.)
        let mut live_by_deployment: BTreeMap<u64, u32> = BTreeMap::new();
        let mut active_unseen: Vec<u64> = s
            .deployments
            .iter()
            .filter(|d| d.status == DeploymentStatus::Active)
            .map(|d| super::state::deployment_key(Some(&d.id)))
            .collect();
        let mut others_live = false;
        let mut primary_healthy = 0u32;
        let mut last: Option<(u64, u32)> = None;
        for t in self.state.tasks_by_seq(&s.tasks).filter(|t| t.is_live()) {
            // Tasks come in runs of one deployment: count a run, then add it.
            match &mut last {
                Some((key, n)) if *key == t.deployment_key => *n += 1,
                _ => {
                    if let Some((key, n)) = last.replace((t.deployment_key, 1)) {
                        *live_by_deployment.entry(key).or_insert(0) += n;
                    }
                }
            }
            if t.is_wanted()
                && t.deployment_key == primary_key
                && self.counts_healthy(t)
                && !self.on_draining_instance(t)
            {
                primary_healthy += 1;
            }
            others_live |= t.deployment_key != primary_key;
            if !active_unseen.is_empty() {
                active_unseen.retain(|key| *key != t.deployment_key);
            }
            if others_live && active_unseen.is_empty() {
                break;
            }
        }
        if let Some((key, n)) = last {
            *live_by_deployment.entry(key).or_insert(0) += n;
        }
        let primary_live = live_by_deployment.get(&primary_key).copied().unwrap_or(0);
        let settled = primary_healthy == desired && primary_live == desired && !others_live;
        let mut events = Vec::new();
        let Some(s) = self.state.services.get_mut(si) else {
            return;
        };
        let mut completed_rollback_sd = None;
        if let Some(d) = s
            .deployments
            .iter_mut()
            .rev()
            .find(|d| d.status == DeploymentStatus::Primary)
        {
            let rollback_settling = d.is_rollback && now < d.created_at + ROLLBACK_SETTLE_MS;
            if settled && d.rollout_state == RolloutState::InProgress && !rollback_settling {
                d.rollout_state = RolloutState::Completed;
                d.rollout_state_reason = format!("ECS deployment {} completed.", d.id);
                d.updated_at = now;
                d.finished_at = Some(now);
                if d.circuit_breaker_status == CircuitBreakerStatus::Monitoring {
                    d.circuit_breaker_status = CircuitBreakerStatus::MonitoringComplete;
                }
                if d.is_rollback {
                    completed_rollback_sd = Some(d.service_deployment_arn.clone());
                    d.sd_status = ServiceDeploymentStatus::RollbackSuccessful;
                } else {
                    d.sd_status = ServiceDeploymentStatus::Successful;
                }
                events.push(format!(
                    "(service {name}) (deployment {}) deployment completed.",
                    d.id
                ));
            }
        }
        if let Some(sd) = completed_rollback_sd {
            for d in s
                .deployments
                .iter_mut()
                .filter(|d| d.service_deployment_arn == sd && !d.is_rollback)
            {
                d.sd_status = ServiceDeploymentStatus::RollbackSuccessful;
                d.finished_at = Some(now);
            }
        }
        // A deployment with no live task is completely replaced (INACTIVE),
        // except a FAILED one whose rollback is still in progress: ECS keeps
        // listing it (ACTIVE, FAILED, its failedTasks) until the rollback
        // completes.
        let rolling_back = s
            .primary()
            .is_some_and(|d| d.is_rollback && d.rollout_state == RolloutState::InProgress);
        for d in s.deployments.iter_mut() {
            let key = super::state::deployment_key(Some(&d.id));
            let kept = rolling_back && d.rollout_state == RolloutState::Failed;
            if d.status == DeploymentStatus::Active
                && !kept
                && live_by_deployment.get(&key).copied().unwrap_or(0) == 0
            {
                d.status = DeploymentStatus::Inactive;
                d.updated_at = now;
            }
        }
        let steady_now = settled
            && s.primary()
                .is_some_and(|d| d.rollout_state == RolloutState::Completed);
        if steady_now && !s.steady {
            events.push(format!("(service {name}) has reached a steady state."));
        }
        s.steady = steady_now;
        for e in events {
            let label = self.service_label(si);
            self.log(label, "deployment", e.clone());
            self.service_event(si, e);
        }
    }
}

/// `(task a) (task b)`: the task list of a service event ("has started 2
/// tasks: …"), written into one string (thousands of ids in a deployment).
pub(crate) fn task_list<'a>(ids: impl IntoIterator<Item = &'a str>) -> String {
    let mut list = String::new();
    for id in ids {
        if !list.is_empty() {
            list.push(' ');
        }
        list.push_str("(task ");
        list.push_str(id);
        list.push(')');
    }
    list
}

/// What a service launches tasks of: its primary deployment or a task set.
pub(crate) struct LaunchSpec {
    /// The deployment or task set id (`ecs-svc/…`): the tasks' startedBy.
    pub id: String,
    pub task_definition: String,
    pub launch_type: Option<String>,
    pub strategy: Option<Vec<super::state::StrategyItem>>,
    pub platform_version: Option<String>,
}

/// The stop reason of a service or daemon task whose instance is draining.
pub(crate) const DRAINING_STOP_REASON: &str = "Container instance is draining";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::tests::{cluster_with, ecs, ok};
    use serde_json::json;

    #[test]
    fn the_budget_is_the_documented_arithmetic() {
        let old = BudgetTask {
            primary: false,
            draining: false,
            healthy: true,
        };
        let new = BudgetTask {
            primary: true,
            draining: false,
            healthy: false,
        };
        // 4 healthy old tasks, 50% / 200%: 2 may stop, 4 may start.
        let b = DeploymentBudget::compute(4, 50, 200, &[old; 4], 0, 0, false);
        assert_eq!((b.min, b.max, b.stoppable, b.may_stop), (2, 8, 2, 2));
        assert_eq!((b.want, b.live_after, b.room, b.may_start), (4, 2, 6, 4));
        // 100% / 100% with every old task healthy: no progress possible.
        let b = DeploymentBudget::compute(4, 100, 100, &[old; 4], 0, 0, false);
        assert_eq!((b.may_stop, b.may_start), (0, 0));
        // Two new tasks started (not yet healthy), 100% / 200%: the two
        // unhealthy new ones stay; none of the old may stop yet.
        let tasks = [old, old, old, old, new, new];
        let b = DeploymentBudget::compute(4, 100, 200, &tasks, 0, 0, false);
        assert_eq!((b.may_stop, b.want, b.room, b.may_start), (0, 2, 2, 2));
        // A FAILED deployment without rollback starts nothing.
        let b = DeploymentBudget::compute(4, 50, 200, &[old; 4], 0, 0, true);
        assert_eq!(b.may_start, 0);
    }

    /// Scale-in applies the service's strategy in reverse: with binpack, the
    /// tasks on the emptier instance go, so the packed one stays packed.
    #[test]
    fn binpack_services_scale_in_from_the_emptiest_instance() {
        let mut ecs = ecs();
        cluster_with(&mut ecs, 3);
        ok(
            &mut ecs,
            "CreateService",
            json!({"serviceName": "web", "taskDefinition": "web", "desiredCount": 10,
                   "placementStrategy": [{"type": "binpack", "field": "cpu"}]}),
        );
        ecs.advance_to(120_000);
        let per_instance = |ecs: &mut Ecs| {
            let mut counts: Vec<u64> = ecs
                .state
                .instances
                .iter()
                .map(|i| i.tasks.len() as u64)
                .collect();
            counts.sort_unstable();
            counts
        };
        assert_eq!(per_instance(&mut ecs), vec![0, 2, 8]);
        ok(
            &mut ecs,
            "UpdateService",
            json!({"service": "web", "desiredCount": 8}),
        );
        ecs.advance_to(240_000);
        assert_eq!(per_instance(&mut ecs), vec![0, 0, 8]);
    }

    /// A new instance goes to the daemon first, even when a REPLICA service
    /// created earlier is waiting for room.
    #[test]
    fn a_daemon_task_is_the_first_to_launch_on_a_new_instance() {
        let mut ecs = ecs();
        cluster_with(&mut ecs, 1);
        ok(
            &mut ecs,
            "CreateService",
            json!({"serviceName": "web", "taskDefinition": "web", "desiredCount": 20}),
        );
        ok(
            &mut ecs,
            "RegisterTaskDefinition",
            json!({"family": "agent", "containerDefinitions": [{"name": "agent", "image": "fluent-bit", "cpu": 256, "memory": 256}]}),
        );
        ok(
            &mut ecs,
            "CreateService",
            json!({"serviceName": "agent", "taskDefinition": "agent", "schedulingStrategy": "DAEMON"}),
        );
        ecs.advance_to(120_000);
        let running = |ecs: &mut Ecs, name: &str| {
            let out = ok(ecs, "DescribeServices", json!({"services": [name]}));
            out["services"][0]["runningCount"].clone()
        };
        // The first instance is full of web tasks (8 × 256 CPU units).
        assert_eq!(
            (running(&mut ecs, "web"), running(&mut ecs, "agent")),
            (json!(8), json!(0))
        );
        ok(&mut ecs, "Simulator.LaunchInstances", json!({"count": 1}));
        ecs.advance_to(240_000);
        assert_eq!(
            (running(&mut ecs, "web"), running(&mut ecs, "agent")),
            (json!(15), json!(1))
        );
    }

    #[test]
    fn a_task_list_names_each_task_once_in_order() {
        for (ids, list) in [
            (&[][..], ""),
            (&["3f2a"][..], "(task 3f2a)"),
            (
                &["3f2a", "9b1c", "77"][..],
                "(task 3f2a) (task 9b1c) (task 77)",
            ),
        ] {
            assert_eq!(task_list(ids.iter().copied()), list);
        }
    }

    #[test]
    fn deployment_arithmetic_rounds_as_documented() {
        // A3: min rounds up, max rounds down.
        assert_eq!(minimum_healthy(4, 50), 2);
        assert_eq!(minimum_healthy(2, 75), 2);
        assert_eq!(maximum_tasks(4, 200), 8);
        assert_eq!(maximum_tasks(3, 125), 3);
        assert_eq!(minimum_healthy(6, 100), 6);
    }

    #[test]
    fn circuit_breaker_threshold_table() {
        // The DG23 table with the old minimum of 10, and today's minimum of 3.
        for (desired, minimum, expected) in [
            (1, 10, 10),
            (25, 10, 13),
            (400, 10, 200),
            (800, 10, 200),
            (1, 3, 3),
            (10, 3, 5),
        ] {
            assert_eq!(
                circuit_breaker_threshold("BOUNDED_PERCENT", 50, desired, minimum),
                expected,
                "desired {desired}"
            );
        }
        assert_eq!(circuit_breaker_threshold("COUNT", 7, 100, 3), 7);
        assert_eq!(
            circuit_breaker_threshold("UNBOUNDED_PERCENT", 50, 1000, 3),
            500
        );
    }
}
