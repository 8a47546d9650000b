//! The simulated account: clusters, task definitions, container instances,
//! tasks, services and capacity providers. Collections are ordered (Vec or
//! BTreeMap) so iteration, and therefore the whole run, is deterministic.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde_json::Value;

/// The hasher of the account's maps keyed by task number: a fixed seed (no
/// randomness from the environment; iteration order never depends on it
/// anyway) and several times cheaper than the standard SipHash for `u64`.
pub type FixedHash = foldhash::fast::FixedState;

/// Host ports the ECS agent reserves on every Linux instance (A1).
pub const DEFAULT_RESERVED_PORTS: &[u16] = &[22, 2375, 2376, 51678, 51679];

/// Task lifecycle states, in order (ecs-semantics A3 "Task lifecycle").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TaskStatus {
    Provisioning,
    Pending,
    Activating,
    Running,
    Deactivating,
    Stopping,
    Deprovisioning,
    Stopped,
}

impl TaskStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Provisioning => "PROVISIONING",
            TaskStatus::Pending => "PENDING",
            TaskStatus::Activating => "ACTIVATING",
            TaskStatus::Running => "RUNNING",
            TaskStatus::Deactivating => "DEACTIVATING",
            TaskStatus::Stopping => "STOPPING",
            TaskStatus::Deprovisioning => "DEPROVISIONING",
            TaskStatus::Stopped => "STOPPED",
        }
    }

    /// Before RUNNING: the task has not started yet.
    pub fn is_starting(self) -> bool {
        self < TaskStatus::Running
    }
}

/// Written as AWS spells it.
impl serde::Serialize for TaskStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Declares a status enum with AWS's exact spelling of each value
/// (shared/aws-model), answered through `as_str`.
macro_rules! aws_status {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            /// AWS's spelling.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        /// Written as AWS spells it.
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

aws_status! {
    /// A cluster's stored status. DescribeClusters answers `PROVISIONING` for
    /// an ACTIVE cluster whose capacity providers are still being attached;
    /// that is computed when answering, not stored.
    ClusterStatus { Active => "ACTIVE", Inactive => "INACTIVE" }
}

aws_status! {
    /// `Service.status`.
    ServiceStatus { Active => "ACTIVE", Draining => "DRAINING", Inactive => "INACTIVE" }
}

aws_status! {
    /// `Deployment.status`: the newest is PRIMARY, older live ones ACTIVE;
    /// finished ones INACTIVE (hidden from DescribeServices).
    DeploymentStatus { Primary => "PRIMARY", Active => "ACTIVE", Inactive => "INACTIVE" }
}

aws_status! {
    /// `Deployment.rolloutState` (`DeploymentRolloutState`).
    RolloutState { InProgress => "IN_PROGRESS", Completed => "COMPLETED", Failed => "FAILED" }
}

aws_status! {
    /// `ServiceDeployment.status` (ListServiceDeployments), the values the
    /// simulator reaches.
    ServiceDeploymentStatus {
        Pending => "PENDING",
        InProgress => "IN_PROGRESS",
        Successful => "SUCCESSFUL",
        Stopped => "STOPPED",
        RollbackRequested => "ROLLBACK_REQUESTED",
        RollbackInProgress => "ROLLBACK_IN_PROGRESS",
        RollbackSuccessful => "ROLLBACK_SUCCESSFUL",
        RollbackFailed => "ROLLBACK_FAILED",
    }
}

aws_status! {
    /// `ServiceDeploymentCircuitBreaker.status`
    /// (`ServiceDeploymentRollbackMonitorsStatus`).
    CircuitBreakerStatus {
        Triggered => "TRIGGERED",
        Monitoring => "MONITORING",
        MonitoringComplete => "MONITORING_COMPLETE",
        Disabled => "DISABLED",
    }
}

aws_status! {
    /// `CapacityProvider.status`.
    CapacityProviderStatus { Active => "ACTIVE", Inactive => "INACTIVE" }
}

aws_status! {
    /// `CapacityProvider.updateStatus`, the values the simulator reaches
    /// (its updates and deletions complete at once).
    CapacityProviderUpdateStatus {
        UpdateComplete => "UPDATE_COMPLETE",
        DeleteComplete => "DELETE_COMPLETE",
    }
}

aws_status! {
    /// `TaskSet.status`.
    TaskSetStatus { Primary => "PRIMARY", Active => "ACTIVE", Draining => "DRAINING" }
}

aws_status! {
    /// `ContainerInstance.agentUpdateStatus` (`AgentUpdateStatus`).
    AgentUpdateStatus {
        Pending => "PENDING",
        Staging => "STAGING",
        Staged => "STAGED",
        Updating => "UPDATING",
        Updated => "UPDATED",
        Failed => "FAILED",
    }
}

impl AgentUpdateStatus {
    /// The step an update in progress takes next (None once finished).
    pub fn next(self) -> Option<AgentUpdateStatus> {
        match self {
            AgentUpdateStatus::Pending => Some(AgentUpdateStatus::Staging),
            AgentUpdateStatus::Staging => Some(AgentUpdateStatus::Staged),
            AgentUpdateStatus::Staged => Some(AgentUpdateStatus::Updating),
            AgentUpdateStatus::Updating => Some(AgentUpdateStatus::Updated),
            AgentUpdateStatus::Updated | AgentUpdateStatus::Failed => None,
        }
    }
}

aws_status! {
    /// `Task.desiredStatus`, the values the simulator sets (AWS's
    /// `DesiredStatus` also has PENDING, which no task is ever given).
    DesiredStatus { Running => "RUNNING", Stopped => "STOPPED" }
}

aws_status! {
    /// `Container.lastStatus`, the values the simulator reaches.
    ContainerStatus { Pending => "PENDING", Running => "RUNNING", Stopped => "STOPPED" }
}

aws_status! {
    /// `healthStatus` of a task and of a container (`HealthStatus`).
    HealthStatus { Healthy => "HEALTHY", Unhealthy => "UNHEALTHY", Unknown => "UNKNOWN" }
}

#[derive(Debug, Clone)]
pub struct Cluster {
    pub name: String,
    pub arn: String,
    pub status: ClusterStatus,
    pub settings: Vec<Value>,
    pub configuration: Option<Value>,
    pub capacity_providers: Vec<String>,
    pub default_strategy: Vec<StrategyItem>,
    pub service_connect_namespace: Option<String>,
    pub tags: Vec<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StrategyItem {
    pub capacity_provider: String,
    pub weight: u32,
    pub base: u32,
}

impl StrategyItem {
    pub fn to_json(&self) -> Value {
        serde_json::json!({
            "capacityProvider": self.capacity_provider,
            "weight": self.weight,
            "base": self.base,
        })
    }
}

#[derive(Debug, Clone)]
pub struct TaskDefinition {
    pub family: String,
    pub revision: u32,
    pub arn: String,
    /// The describe form, normalised, without status fields.
    pub body: Value,
    /// The state a new task's containers start in, read from `body` once at
    /// registration.
    pub containers: Vec<ContainerState>,
    pub active: bool,
    pub registered_at: u64,
    pub deregistered_at: Option<u64>,
    pub cpu: u32,
    pub memory: u32,
    pub network_mode: String,
    pub host_ports: Vec<u16>,
    pub fargate: bool,
    /// `requiresCompatibilities` as registered (empty when not given).
    pub requires_compatibilities: Vec<String>,
    /// What one task needs from an instance, read once at registration by the
    /// placement pipeline's own reader (GPUs, ENIs, ports, attributes…).
    pub requirements: crate::place::TaskRequirements,
    pub tags: Vec<Value>,
}

#[derive(Debug, Clone)]
pub struct Instance {
    pub id: String,
    pub arn: String,
    pub ec2_instance_id: String,
    pub cluster: usize,
    pub instance_type: String,
    pub availability_zone: String,
    /// INACTIVE once deregistered or terminated.
    pub status: crate::place::InstanceStatus,
    pub agent_connected: bool,
    /// Registered CPU units and MiB (fixed at registration; what is used is
    /// on the instance's host record, [`State::host`]).
    pub cpu: u32,
    pub memory: u32,
    /// The API's record of the attributes; the host record carries the same
    /// (see [`State::sync_host`]).
    pub attributes: BTreeMap<String, String>,
    /// Index of the instance's host record in its cluster's `State::hosts`.
    pub slot: usize,
    pub capacity_provider: Option<String>,
    pub asg: Option<String>,
    /// Live tasks (not yet STOPPED) on the instance.
    pub tasks: BTreeSet<u64>,
    pub registered_at: u64,
    pub version: u64,
    /// When the instance last became empty (for managed scale-in).
    pub empty_since: Option<u64>,
    pub terminated: bool,
    pub tags: Vec<Value>,
    /// `status == InstanceStatus::Draining`, kept beside it for the scheduler's hot loop.
    pub draining: bool,
    /// The agent's and Docker's versions as RegisterContainerInstance gave them.
    pub version_info: Option<Value>,
}

#[derive(Debug, Clone)]
pub struct ContainerState {
    pub name: String,
    pub image: String,
    pub essential: bool,
    pub last_status: ContainerStatus,
    pub exit_code: Option<i64>,
    pub reason: Option<String>,
    pub health_status: HealthStatus,
    pub has_health_check: bool,
    pub cpu: Option<i64>,
    pub memory: Option<i64>,
    pub port_mappings: Vec<(i64, Option<i64>, String)>,
    pub runtime_id: String,
}

#[derive(Debug, Clone)]
pub struct Task {
    pub seq: u64,
    pub id: String,
    pub arn: String,
    pub cluster: usize,
    pub task_definition: String,
    pub family: String,
    pub instance: Option<usize>,
    pub launch_type: String,
    pub capacity_provider: Option<String>,
    pub group: String,
    pub started_by: Option<String>,
    pub service: Option<usize>,
    pub deployment: Option<String>,
    pub last_status: TaskStatus,
    pub desired_status: DesiredStatus,
    pub created_at: u64,
    pub pull_started_at: Option<u64>,
    pub pull_stopped_at: Option<u64>,
    pub started_at: Option<u64>,
    pub stopping_at: Option<u64>,
    pub execution_stopped_at: Option<u64>,
    pub stopped_at: Option<u64>,
    pub connectivity_at: u64,
    pub stop_code: Option<&'static str>,
    pub stopped_reason: Option<String>,
    pub containers: Vec<ContainerState>,
    pub health_status: HealthStatus,
    /// The task was found unhealthy after its grace period.
    pub unhealthy: bool,
    pub version: u64,
    pub cpu: u32,
    pub memory: u32,
    pub host_ports: Vec<u16>,
    pub network_mode: String,
    pub tags: Vec<Value>,
    pub overrides: Value,
    pub platform_version: Option<String>,
    /// Counted as a circuit-breaker failure already.
    pub failure_counted: bool,
    /// [`deployment_key`] of `deployment` (0 without one): compared instead
    /// of the id text in the scheduler's hot loop.
    pub deployment_key: u64,
    /// Some essential container has a health check.
    pub essential_health_check: bool,
    /// Which placement decision put the task on its instance (EC2 tasks).
    pub placement: Option<super::placement::TaskPlacement>,
    /// An unrequested stop (container exit, health, failure to start).
    pub failed: bool,
}

impl Task {
    pub fn is_live(&self) -> bool {
        self.last_status != TaskStatus::Stopped
    }

    /// Wanted running: desired RUNNING and not yet stopped.
    pub fn is_wanted(&self) -> bool {
        self.desired_status == DesiredStatus::Running && self.is_live()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DeploymentConfig {
    pub minimum_healthy_percent: u32,
    pub maximum_percent: u32,
    pub circuit_breaker: bool,
    pub rollback: bool,
    pub reset_on_healthy_task: bool,
    /// `COUNT`, `BOUNDED_PERCENT` or `UNBOUNDED_PERCENT`.
    pub threshold_type: String,
    pub threshold_value: u32,
    pub raw: Value,
}

#[derive(Debug, Clone)]
pub struct Deployment {
    pub id: String,
    pub status: DeploymentStatus,
    pub task_definition: String,
    pub revision_arn: String,
    pub service_deployment_arn: String,
    pub desired_count: u32,
    pub failed_tasks: u32,
    pub rollout_state: RolloutState,
    pub rollout_state_reason: String,
    pub created_at: u64,
    pub updated_at: u64,
    pub finished_at: Option<u64>,
    pub launch_type: Option<String>,
    pub strategy: Option<Vec<StrategyItem>>,
    pub platform_version: Option<String>,
    pub network_configuration: Option<Value>,
    /// Service-deployment status (ListServiceDeployments).
    pub sd_status: ServiceDeploymentStatus,
    pub sd_status_reason: Option<String>,
    /// Revisions being replaced when this deployment started.
    pub source_revisions: Vec<String>,
    /// Set when this deployment is a rollback: (reason, revision arn).
    pub rollback: Option<(String, String)>,
    pub circuit_breaker_status: CircuitBreakerStatus,
    pub threshold: u32,
    pub ever_running: bool,
    /// A rollback deployment shares its service deployment with the failed one.
    pub is_rollback: bool,
}

/// A service's placement constraints and strategies, parsed into the
/// placement pipeline's types once, when the service is created or updated
/// (every launch and scale-in reads them), beside the form they were given
/// in (what DescribeServices answers). Set only through [`ServicePlacement::new`]
/// and its setters, so the two forms cannot disagree.
#[derive(Debug, Clone, Default)]
pub struct ServicePlacement {
    given_constraints: Vec<Value>,
    given_strategy: Vec<Value>,
    constraints: Vec<crate::place::PlacementConstraint>,
    strategies: Vec<crate::place::PlacementStrategy>,
}

impl ServicePlacement {
    pub fn new(constraints: Vec<Value>, strategy: Vec<Value>) -> ServicePlacement {
        let mut placement = ServicePlacement::default();
        placement.set_constraints(constraints);
        placement.set_strategy(strategy);
        placement
    }

    pub fn set_constraints(&mut self, given: Vec<Value>) {
        self.constraints = super::placement::constraints_from_json(&given);
        self.given_constraints = given;
    }

    pub fn set_strategy(&mut self, given: Vec<Value>) {
        self.strategies = super::placement::strategies_from_json(&given);
        self.given_strategy = given;
    }

    /// `placementConstraints` as the service was given them.
    pub fn given_constraints(&self) -> &[Value] {
        &self.given_constraints
    }

    /// `placementStrategy` as the service was given it.
    pub fn given_strategy(&self) -> &[Value] {
        &self.given_strategy
    }

    pub fn constraints(&self) -> &[crate::place::PlacementConstraint] {
        &self.constraints
    }

    /// The service's own strategies (empty when it gave none: the service
    /// default then applies).
    pub fn strategies(&self) -> &[crate::place::PlacementStrategy] {
        &self.strategies
    }
}

#[derive(Debug, Clone)]
pub struct ServiceRevision {
    pub arn: String,
    pub body: Value,
}

#[derive(Debug, Clone)]
pub struct ServiceEvent {
    pub id: String,
    pub created_at: u64,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct Service {
    pub name: String,
    pub arn: String,
    pub cluster: usize,
    pub status: ServiceStatus,
    pub daemon: bool,
    pub desired_count: u32,
    pub launch_type: Option<String>,
    pub strategy: Option<Vec<StrategyItem>>,
    pub task_definition: String,
    pub config: DeploymentConfig,
    pub placement: ServicePlacement,
    pub network_configuration: Option<Value>,
    pub load_balancers: Vec<Value>,
    pub service_registries: Vec<Value>,
    pub health_check_grace_period: u32,
    pub platform_version: Option<String>,
    pub service_connect: Option<Value>,
    pub namespace: Option<String>,
    pub enable_ecs_managed_tags: bool,
    pub propagate_tags: Option<String>,
    pub enable_execute_command: bool,
    pub created_at: u64,
    pub role_arn: Option<String>,
    pub tags: Vec<Value>,
    /// Every deployment, oldest first; INACTIVE ones are hidden from
    /// DescribeServices. Capped at [`Service::DEPLOYMENT_HISTORY`].
    pub deployments: Vec<Deployment>,
    /// Newest first, at most 100.
    pub events: VecDeque<ServiceEvent>,
    /// Last time each message key was emitted (duplicate suppression).
    pub last_emitted: BTreeMap<String, u64>,
    pub tasks: BTreeSet<u64>,
    pub consecutive_start_failures: u32,
    pub next_launch_at: u64,
    pub revisions: Vec<ServiceRevision>,
    pub steady: bool,
    /// Times a Reconcile event is queued for, so each time runs once.
    pub reconcile_times: BTreeSet<u64>,
    /// Launch times within the last minute (the per-minute launch limit).
    pub recent_launches: VecDeque<u64>,
}

impl Service {
    pub const DEPLOYMENT_HISTORY: usize = 50;
    pub const EVENT_CAP: usize = 100;

    pub fn primary(&self) -> Option<&Deployment> {
        self.deployments
            .iter()
            .rev()
            .find(|d| d.status == DeploymentStatus::Primary)
    }

    pub fn primary_mut(&mut self) -> Option<&mut Deployment> {
        self.deployments
            .iter_mut()
            .rev()
            .find(|d| d.status == DeploymentStatus::Primary)
    }
}

#[derive(Debug, Clone)]
pub struct CapacityProvider {
    pub name: String,
    pub arn: String,
    pub status: CapacityProviderStatus,
    pub asg_arn: String,
    pub managed_scaling: bool,
    pub target_capacity: u32,
    pub minimum_scaling_step_size: u32,
    pub maximum_scaling_step_size: u32,
    pub instance_warmup_period: u32,
    pub managed_termination_protection: String,
    pub managed_draining: String,
    pub raw_managed_scaling: Value,
    pub tags: Vec<Value>,
    /// None until the provider is first updated or deleted.
    pub update_status: Option<CapacityProviderUpdateStatus>,
}

#[derive(Debug, Clone)]
pub struct AutoScalingGroup {
    pub name: String,
    pub arn: String,
    pub cluster: Option<String>,
    pub instance_type: String,
    pub availability_zones: Vec<String>,
    pub min_size: u32,
    pub max_size: u32,
    pub desired: u32,
    /// Instances launching but not yet registered.
    pub launching: u32,
    pub launch_seconds: u32,
    pub attributes: BTreeMap<String, String>,
}

/// How a container image behaves when it runs (Simulator.SetImageBehavior).
#[derive(Debug, Clone, PartialEq)]
pub struct ImageBehavior {
    pub pull_seconds: f64,
    pub start_seconds: f64,
    /// Seconds a container takes to exit after SIGTERM.
    pub stop_seconds: f64,
    /// `(seconds after RUNNING, healthy)`: the result health checks give from then on.
    pub health: Vec<(f64, bool)>,
    pub exit_after_seconds: Option<f64>,
    pub exit_code: i64,
    /// The container fails before RUNNING with this reason.
    pub start_failure: Option<String>,
}

impl ImageBehavior {
    /// An image no behaviour was set for.
    pub const DEFAULT: ImageBehavior = ImageBehavior {
        pull_seconds: 5.0,
        start_seconds: 2.0,
        stop_seconds: 2.0,
        health: Vec::new(),
        exit_after_seconds: None,
        exit_code: 0,
        start_failure: None,
    };
}

/// [`ImageBehavior::DEFAULT`], lent by `Ecs::behavior` without a copy.
pub static DEFAULT_BEHAVIOR: ImageBehavior = ImageBehavior::DEFAULT;

impl Default for ImageBehavior {
    fn default() -> Self {
        ImageBehavior::DEFAULT
    }
}

/// Everything in the account.
#[derive(Debug, Clone, Default)]
pub struct State {
    pub clusters: Vec<Cluster>,
    pub families: BTreeMap<String, Family>,
    pub instances: Vec<Instance>,
    /// Tasks by sequence number, in creation order (O(1) lookups).
    pub tasks: indexmap::IndexMap<u64, Task, FixedHash>,
    /// Stopped tasks past their keeping time, removed in the next batch.
    pub forgotten: std::collections::HashSet<u64, FixedHash>,
    pub next_task_seq: u64,
    pub services: Vec<Service>,
    pub capacity_providers: Vec<CapacityProvider>,
    pub asgs: Vec<AutoScalingGroup>,
    pub behaviors: BTreeMap<String, ImageBehavior>,
    /// Custom attributes on non-instance targets (none in practice) and tags by ARN.
    pub tags: BTreeMap<String, Vec<Value>>,
    pub namespaces: BTreeSet<String>,
    pub next_instance_number: u64,
    /// Stopped tasks, oldest first, for compaction.
    pub stopped_order: VecDeque<u64>,
    /// What only the endpoint's operations keep (settings, task sets, …).
    pub ops: super::ops_state::OpsState,
    /// Per cluster (the index of `clusters`): its container instances as the
    /// placement pipeline (`place/`) sees them, in registration order. The one
    /// record of used resources (CPU, memory, GPUs, ENIs, ports) and of the
    /// tasks each instance holds; every simulator placement and scale-in
    /// reads and writes it through `place::Placer` and `place::scale_in`.
    pub hosts: Vec<crate::place::Cluster>,
    /// Per cluster: the `instances` index of each host slot.
    pub host_instances: Vec<Vec<usize>>,
    /// The placers' indexes kept between batches, told of every change to
    /// the hosts made through the methods below (see `sim::kept_index`).
    pub kept_indexes: super::kept_index::KeptIndexes,
    /// Placement batches (one `place::Placer` each) run so far; the current
    /// one while a batch runs is `placement_batches - 1`.
    pub placement_batches: u64,
    /// The decision the last successful placement made, for `create_task`.
    pub last_placement: Option<super::placement::TaskPlacement>,
    /// Tasks in PROVISIONING that wait for capacity (no instance yet), in
    /// creation order, with what each asks of the placer (`sim::provisioning`).
    pub awaiting_capacity: BTreeMap<u64, super::provisioning::AwaitingCapacity>,
    /// Per cluster: the time a placement of its waiting tasks is queued for.
    pub awaiting_wake: BTreeMap<usize, u64>,
    /// Per service: when its latest placement attempt failed, and which.
    pub unplaced: BTreeMap<usize, (u64, super::placement::TaskPlacement)>,
    /// Per service: the deployment arithmetic of the scheduler's latest run.
    pub budgets: BTreeMap<usize, super::scheduler::DeploymentBudget>,
    /// Set by an explanation's replay: the decision whose full trace to keep
    /// when the replay makes it (see `sim::placement::Capture`).
    pub capture: Option<super::placement::Capture>,
    /// Per cluster: how its instance ids are shortened in timeline labels
    /// (grown as instances register; `console::ShortIds`).
    pub short_ids: BTreeMap<usize, crate::console::ShortIds>,
    /// Per service (the index of `services`): its wanted tasks as the
    /// replica scheduler reads them, kept by [`State::note_task`] at every
    /// change of a task so that a scheduler run reads a short dense list
    /// instead of walking the task map (see [`WantedTasks`]).
    pub wanted: Vec<WantedTasks>,
}

/// What the service scheduler reads of one wanted task (desired RUNNING,
/// not yet STOPPED): the task's fields its view (`scheduler::Seen`) is
/// computed from, copied out of the task whenever the task changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WantedTask {
    pub seq: u64,
    pub deployment_key: u64,
    pub instance: Option<usize>,
    pub started_at: Option<u64>,
    /// From when the task counts toward the minimum healthy, until it
    /// changes again: never (`None`) unless RUNNING and not found
    /// unhealthy; then at once if its essential health checks pass, never
    /// while they do not, or, without one, 40 seconds after it started (A3).
    pub healthy_from: Option<u64>,
    pub running: bool,
    pub unhealthy: bool,
}

impl WantedTask {
    pub fn of(task: &Task) -> WantedTask {
        let running = task.last_status == TaskStatus::Running;
        let healthy_from = if !running || task.unhealthy {
            None
        } else if task.essential_health_check {
            (task.health_status == HealthStatus::Healthy).then_some(0)
        } else {
            task.started_at.map(|at| at.saturating_add(40_000))
        };
        WantedTask {
            seq: task.seq,
            deployment_key: task.deployment_key,
            instance: task.instance,
            started_at: task.started_at,
            healthy_from,
            running,
            unhealthy: task.unhealthy,
        }
    }

    /// Does the task count toward the minimum healthy at `now`?
    pub fn counts_healthy(&self, now: u64) -> bool {
        self.healthy_from.is_some_and(|from| from <= now)
    }
}

/// A service's wanted tasks by seq: a vector in seq order, where a task no
/// longer wanted is marked gone (not removed, which would shift the rest)
/// until the gone outnumber the wanted and are swept out together. New
/// tasks have the highest seq yet, so they go at the end.
#[derive(Debug, Clone, Default)]
pub struct WantedTasks {
    /// `(wanted, task)` in ascending seq; `false` marks a gone entry.
    entries: Vec<(bool, WantedTask)>,
    gone: usize,
}

impl WantedTasks {
    /// The wanted tasks, in seq order.
    pub fn iter(&self) -> impl Iterator<Item = &WantedTask> {
        self.entries
            .iter()
            .filter(|(wanted, _)| *wanted)
            .map(|(_, task)| task)
    }

    /// Every entry in seq order, `(wanted, task)`: a gone entry is `false`
    /// (for a tight loop; [`WantedTasks::iter`] skips them).
    pub fn entries(&self) -> &[(bool, WantedTask)] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len() - self.gone
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn put(&mut self, task: WantedTask) {
        if self
            .entries
            .last()
            .is_none_or(|(_, last)| last.seq < task.seq)
        {
            self.entries.push((true, task));
            return;
        }
        match self.position(task.seq) {
            Ok(at) => {
                if let Some(entry) = self.entries.get_mut(at) {
                    if !entry.0 {
                        self.gone -= 1;
                    }
                    *entry = (true, task);
                }
            }
            Err(at) => self.entries.insert(at, (true, task)),
        }
    }

    /// Where `seq` is (or would go) in `entries`. A service's tasks are
    /// mostly consecutive seqs (a deployment's launches), so the entry
    /// `seq - first` places from the first is tried before a binary search.
    fn position(&self, seq: u64) -> Result<usize, usize> {
        let guess = self
            .entries
            .first()
            .and_then(|(_, first)| usize::try_from(seq.checked_sub(first.seq)?).ok());
        if let Some(at) = guess {
            if self.entries.get(at).is_some_and(|(_, t)| t.seq == seq) {
                return Ok(at);
            }
        }
        self.entries.binary_search_by_key(&seq, |(_, t)| t.seq)
    }

    fn remove(&mut self, seq: u64) {
        let Ok(at) = self.position(seq) else {
            return;
        };
        if let Some(entry) = self.entries.get_mut(at).filter(|(wanted, _)| *wanted) {
            entry.0 = false;
            self.gone += 1;
        }
        if self.gone * 2 > self.entries.len() {
            self.entries.retain(|(wanted, _)| *wanted);
            self.gone = 0;
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Family {
    pub next_revision: u32,
    pub revisions: BTreeMap<u32, TaskDefinition>,
}

impl State {
    /// Task `seq` changed (was created, changed status, desired status,
    /// health, instance or deployment): its service's [`WantedTasks`] follow.
    /// Called through `Ecs::touch_task`, which every such change calls.
    pub fn note_task(&mut self, seq: u64) {
        let Some(task) = self.tasks.get(&seq) else {
            return;
        };
        let Some(si) = task.service else {
            return;
        };
        if self.wanted.len() <= si {
            self.wanted.resize_with(si + 1, WantedTasks::default);
        }
        let wanted = task.is_wanted().then(|| WantedTask::of(task));
        if let Some(kept) = self.wanted.get_mut(si) {
            match wanted {
                Some(task) => kept.put(task),
                None => kept.remove(seq),
            }
        }
    }

    /// Service `si`'s wanted tasks in seq order, as kept.
    pub fn wanted_tasks(&self, si: usize) -> impl Iterator<Item = &WantedTask> {
        self.wanted.get(si).into_iter().flat_map(WantedTasks::iter)
    }

    /// The recorded tasks among `seqs`, in the order given, skipping any not
    /// recorded: what `seqs.filter_map(|q| tasks.get(q))` gives. For the
    /// scheduler's passes over a service's task set (ascending seqs) at
    /// thousands of tasks: `tasks` is kept in creation order, which is seq
    /// order, so each task is looked for first in the few entries after the
    /// previous one found (a service's tasks are mostly neighbours there,
    /// between stopped ones) and only then by hash. Any order of `seqs` or
    /// of `tasks` gives the same answer, only slower.
    pub fn tasks_by_seq<'a>(
        &'a self,
        seqs: impl IntoIterator<Item = &'a u64> + 'a,
    ) -> impl Iterator<Item = &'a Task> + 'a {
        /// Entries tried after the previous one before hashing.
        const NEAR: usize = 4;
        let mut next = 0usize;
        seqs.into_iter().filter_map(move |seq| {
            let from = next;
            for at in from..from.saturating_add(NEAR) {
                match self.tasks.get_index(at) {
                    Some((key, task)) if key == seq => {
                        next = at + 1;
                        return Some(task);
                    }
                    Some((key, _)) if key < seq => {}
                    _ => break,
                }
            }
            let (at, _, task) = self.tasks.get_full(seq)?;
            next = at + 1;
            Some(task)
        })
    }

    /// An instance's id as the timeline shows it.
    pub fn short_instance_id<'a>(&self, instance: &'a Instance) -> &'a str {
        self.short_ids
            .get(&instance.cluster)
            .copied()
            .unwrap_or_default()
            .show(&instance.id)
    }

    /// The host record of instance `index`.
    pub fn host(&self, index: usize) -> Option<&crate::place::ContainerInstance> {
        let i = self.instances.get(index)?;
        self.hosts.get(i.cluster)?.instances.get(i.slot)
    }

    /// The host record of instance `index`, to change anything about it:
    /// the placers' kept indexes of its cluster are dropped.
    pub fn host_mut(&mut self, index: usize) -> Option<&mut crate::place::ContainerInstance> {
        let i = self.instances.get(index)?;
        self.kept_indexes.forget_cluster(i.cluster);
        self.hosts.get_mut(i.cluster)?.instances.get_mut(i.slot)
    }

    /// The hosts of `cluster`, if it has any.
    pub fn hosts_of(&self, cluster: usize) -> Option<&crate::place::Cluster> {
        self.hosts.get(cluster)
    }

    fn ensure_hosts(&mut self, cluster: usize) -> &mut crate::place::Cluster {
        if self.hosts.len() <= cluster {
            self.hosts.resize_with(cluster + 1, Default::default);
            self.host_instances.resize_with(cluster + 1, Vec::new);
        }
        &mut self.hosts[cluster]
    }

    /// The hosts of `cluster`, created on first use, to change anything
    /// about them (instances joining): the placers' kept indexes of the
    /// cluster are dropped.
    pub fn hosts_mut(&mut self, cluster: usize) -> &mut crate::place::Cluster {
        self.kept_indexes.forget_cluster(cluster);
        self.ensure_hosts(cluster)
    }

    /// Takes a cluster's hosts out for a placement batch (see `put_hosts`):
    /// the batch's placer reports what it changed (`KeptIndexes::put`).
    pub fn take_hosts(&mut self, cluster: usize) -> crate::place::Cluster {
        std::mem::take(self.ensure_hosts(cluster))
    }

    /// Task `task` on host `slot` of `cluster` moves to STOPPING
    /// (`place::Cluster::begin_stopping_on`).
    pub fn begin_stopping_on(&mut self, cluster: usize, slot: usize, task: u64) -> bool {
        self.kept_indexes.changed(cluster, slot);
        self.ensure_hosts(cluster).begin_stopping_on(slot, task)
    }

    /// Task `task` on host `slot` of `cluster` is STOPPED and leaves it.
    pub fn finish_stopped_on(&mut self, cluster: usize, slot: usize, task: u64) -> bool {
        self.kept_indexes.changed(cluster, slot);
        self.ensure_hosts(cluster).finish_stopped_on(slot, task)
    }

    pub fn put_hosts(&mut self, cluster: usize, hosts: crate::place::Cluster) {
        *self.ensure_hosts(cluster) = hosts;
    }

    /// The `instances` index of host `slot` of `cluster`.
    pub fn instance_at(&self, cluster: usize, slot: usize) -> Option<usize> {
        self.host_instances.get(cluster)?.get(slot).copied()
    }

    /// Copies what the API record says about an instance (status, agent,
    /// attributes) onto its host record, after any change to them.
    pub fn sync_host(&mut self, index: usize) {
        let Some(i) = self.instances.get(index) else {
            return;
        };
        let status = if i.terminated {
            crate::place::InstanceStatus::Inactive
        } else {
            i.status
        };
        let agent = i.agent_connected;
        let (cluster, slot) = (i.cluster, i.slot);
        let attributes: Vec<(String, String)> = i
            .attributes
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        // Status and agent are re-evaluated per instance; new attributes
        // may move the instance between spread values: the indexes go.
        let same_attributes = self.host(index).is_some_and(|h| h.attributes == attributes);
        if same_attributes {
            self.kept_indexes.changed(cluster, slot);
        } else {
            self.kept_indexes.forget_cluster(cluster);
        }
        if let Some(host) = self
            .hosts
            .get_mut(cluster)
            .and_then(|c| c.instances.get_mut(slot))
        {
            host.status = status;
            host.agent_connected = agent;
            host.attributes = attributes;
        }
    }

    /// Live tasks of `group` on instance `index` (spread, distinctInstance).
    pub fn group_count(&self, index: usize, group: &str) -> u32 {
        self.host(index).map_or(0, |h| h.group_count(group))
    }

    pub fn cluster_index(&self, name_or_arn: &str) -> Option<usize> {
        let name = short_name(name_or_arn);
        self.clusters
            .iter()
            .position(|c| c.name == name && c.status != ClusterStatus::Inactive)
    }

    pub fn service_index(&self, cluster: usize, name_or_arn: &str) -> Option<usize> {
        let name = short_name(name_or_arn);
        // The live service wins over INACTIVE ones of the same name.
        let matches = |s: &&Service| s.cluster == cluster && s.name == name;
        self.services
            .iter()
            .enumerate()
            .filter(|(_, s)| matches(s))
            .max_by_key(|(i, s)| (s.status != ServiceStatus::Inactive, *i))
            .map(|(i, _)| i)
    }

    /// Resolves `family`, `family:revision` or an ARN. `family` alone is the
    /// latest ACTIVE revision.
    pub fn task_definition(&self, reference: &str) -> Option<&TaskDefinition> {
        match crate::arn::task_definition_parts(reference) {
            (family, Some(revision)) => {
                let revision: u32 = revision.parse().ok()?;
                self.families.get(family)?.revisions.get(&revision)
            }
            (family, None) => self
                .families
                .get(family)?
                .revisions
                .values()
                .rev()
                .find(|td| td.active),
        }
    }

    /// The cluster has a container instance not terminated: read from the
    /// cluster's own instances (its host slots), not the account's.
    pub fn has_instances(&self, cluster: usize) -> bool {
        self.registered_instances(cluster).next().is_some()
    }

    /// The cluster's container instances not terminated, read from its own
    /// host slots.
    pub fn registered_instances(&self, cluster: usize) -> impl Iterator<Item = &Instance> {
        self.host_instances
            .get(cluster)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(|&i| self.instances.get(i))
            .filter(move |i| i.cluster == cluster && !i.terminated)
    }

    pub fn instance_index(&self, cluster: usize, id_or_arn: &str) -> Option<usize> {
        let id = short_name(id_or_arn);
        self.instances.iter().position(|i| {
            i.cluster == cluster && !i.terminated && (i.id == id || i.arn == id_or_arn)
        })
    }

    pub fn task_by_ref(&self, cluster: usize, id_or_arn: &str) -> Option<u64> {
        let id = short_name(id_or_arn);
        self.tasks
            .values()
            .find(|t| t.cluster == cluster && t.id == id)
            .map(|t| t.seq)
    }
}

/// A number standing for a deployment id (`ecs-svc/<digits>`), 0 for none.
pub fn deployment_key(id: Option<&str>) -> u64 {
    let Some(id) = id else {
        return 0;
    };
    // What follows the last '/', found bytewise ('/' is ASCII, so the rest
    // starts on a char boundary): every new task of a service computes this.
    let digits = id
        .bytes()
        .rposition(|b| b == b'/')
        .and_then(|slash| id.get(slash + 1..))
        .unwrap_or(id);
    parse_decimal(digits).unwrap_or(0)
}

/// `text.parse::<u64>().ok()`, for ASCII digits with an optional leading
/// '+', without the general parser's set-up (a few times faster on the
/// 19-digit deployment ids).
fn parse_decimal(text: &str) -> Option<u64> {
    let digits = match text.as_bytes() {
        [b'+', rest @ ..] if !rest.is_empty() => rest,
        all => all,
    };
    if digits.is_empty() {
        return None;
    }
    digits.iter().try_fold(0u64, |n, &c| {
        let digit = c.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        n.checked_mul(10)?.checked_add(u64::from(digit))
    })
}

pub use crate::arn::short_name;

#[cfg(test)]
mod tests {
    use crate::place::rng::SplitMix64;
    use crate::sim::workload::{start_rolling_deployment, steady_service};

    #[test]
    fn wanted_tasks_keep_seq_order_through_puts_removals_and_sweeps() {
        use super::{WantedTask, WantedTasks};
        let task = |seq: u64, key: u64| WantedTask {
            seq,
            deployment_key: key,
            instance: None,
            started_at: None,
            healthy_from: None,
            running: false,
            unhealthy: false,
        };
        let mut rng = SplitMix64::new(11);
        let mut kept = WantedTasks::default();
        let mut model = std::collections::BTreeMap::new();
        for step in 0..5_000u64 {
            // Mostly new seqs at the end (with gaps), some out of order,
            // updates and removals of ones kept, and of ones never kept.
            let seq = match rng.below(4) {
                0 => step * 2,
                1 => rng.below(step as usize * 2 + 1) as u64,
                _ => model
                    .keys()
                    .nth(rng.below(model.len() + 1))
                    .copied()
                    .unwrap_or(step),
            };
            if rng.below(3) == 0 {
                kept.remove(seq);
                model.remove(&seq);
            } else {
                kept.put(task(seq, step));
                model.insert(seq, task(seq, step));
            }
            let kept_now: Vec<WantedTask> = kept.iter().copied().collect();
            let model_now: Vec<WantedTask> = model.values().copied().collect();
            assert_eq!(kept_now, model_now, "step {step}");
            assert_eq!(kept.len(), model.len(), "step {step}");
        }
    }

    #[test]
    fn deployment_key_is_the_number_after_the_last_slash() {
        let by_split = |id: Option<&str>| -> u64 {
            id.and_then(|id| id.rsplit('/').next())
                .and_then(|digits| digits.parse().ok())
                .unwrap_or(0)
        };
        let ids = [
            None,
            Some(""),
            Some("/"),
            Some("ecs-svc/1234567890123456789"),
            Some("ecs-svc/99999999999999999999"),
            Some("ecs-svc/12a"),
            Some("ecs-svc/+7"),
            Some("a/b/42"),
            Some("42"),
            Some("ecs-svc/"),
            Some("é/5"),
            Some("ecs-svc/٣"),
            Some("ecs-svc/18446744073709551615"),
            Some("ecs-svc/18446744073709551616"),
            Some("ecs-svc/+"),
            Some("ecs-svc/-1"),
            Some("ecs-svc/ 1"),
            Some("ecs-svc/007"),
        ];
        for id in ids {
            assert_eq!(super::deployment_key(id), by_split(id), "{id:?}");
        }
        assert_eq!(super::deployment_key(Some("ecs-svc/77")), 77);
    }

    #[test]
    fn tasks_by_seq_finds_what_a_lookup_per_seq_finds() {
        // Live, stopped and forgotten tasks of a deployment under way.
        let mut ecs = steady_service(30).expect("the workload builds");
        start_rolling_deployment(&mut ecs).expect("the deployment starts");
        ecs.advance_to(ecs.now() + 3 * 60_000);
        let state = &ecs.state;
        let top = state.next_task_seq + 3;
        let mut rng = SplitMix64::new(5);
        let mut lists: Vec<Vec<u64>> = state
            .services
            .iter()
            .map(|s| s.tasks.iter().copied().collect())
            .collect();
        lists.push((0..top).collect());
        for _ in 0..200 {
            let mut list: Vec<u64> = (0..top).filter(|_| rng.below(3) == 0).collect();
            match rng.below(3) {
                0 => list.reverse(),
                1 => {
                    let mut keyed: Vec<(u64, u64)> =
                        list.iter().map(|&q| (rng.next_u64(), q)).collect();
                    keyed.sort_unstable();
                    list = keyed.into_iter().map(|(_, q)| q).collect();
                }
                _ => {}
            }
            lists.push(list);
        }
        for list in &lists {
            let near: Vec<u64> = state.tasks_by_seq(list).map(|t| t.seq).collect();
            let looked_up: Vec<u64> = list
                .iter()
                .filter_map(|q| state.tasks.get(q))
                .map(|t| t.seq)
                .collect();
            assert_eq!(near, looked_up, "{list:?}");
        }
        assert!(state.services.iter().any(|s| !s.tasks.is_empty()));
    }
}
