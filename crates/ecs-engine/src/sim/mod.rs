//! The simulated ECS: an AWS-shaped API over a deterministic discrete-event
//! simulation of clusters, container instances, tasks and services.
//!
//! [`Ecs::call`] takes an operation name and an AWS-shaped JSON request and
//! returns the AWS-shaped response or an [`AwsError`]. Requests are first
//! validated with Engine I's rules ([`crate::analyze_request`]). Calls named
//! `Simulator.*` drive the world instead of the API: launching instances,
//! image behaviour, faults, and the virtual clock.
//!
//! Time only moves when [`Ecs::advance_to`] (or `Simulator.AdvanceClock`)
//! asks it to; events due at the same millisecond run in the order they were
//! scheduled, and all randomness comes from the seeded [`core::Rng`].

pub mod core;
pub mod kept_index;
pub mod kept_stop_order;
mod lifecycle;
mod ops_account;
mod ops_agent;
mod ops_cluster;
mod ops_instance;
mod ops_misc;
pub(crate) mod ops_service;
pub mod ops_state;
mod ops_task;
mod ops_task_protection;
mod ops_task_set;
mod ops_taskdef;
mod paging;
pub mod placement;
pub mod playback;
#[cfg(test)]
mod properties;
mod provisioning;
mod request;
mod requests;
mod response;
pub use response::Response;
pub mod scenario;
pub(crate) mod scheduler;
mod simulator;
pub use simulator::default_availability_zones;
pub mod state;
mod validate;
pub mod wire;
pub mod workload;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_bad_members;
#[cfg(test)]
mod tests_terraform;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use self::core::{EventQueue, Rng, Timeline, TimelineEvent};
use self::state::State;

/// What the simulation is started with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SimConfig {
    pub region: String,
    pub account: String,
    pub seed: u64,
    /// Wall-clock time (Unix seconds) that virtual time 0 stands for.
    pub epoch_seconds: u64,
    /// Timeline capacity; the oldest events are dropped beyond it.
    pub timeline_capacity: usize,
    /// The smallest circuit-breaker threshold: 3 today, 10 before 2023.
    pub circuit_breaker_minimum: u32,
    /// Count STOPPING tasks toward maximumPercent (the console's reading).
    pub max_percent_counts_stopping: bool,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            region: "us-east-1".into(),
            account: "123456789012".into(),
            seed: 1,
            epoch_seconds: 1_767_225_600,
            timeline_capacity: Timeline::DEFAULT_CAPACITY,
            circuit_breaker_minimum: 3,
            max_percent_counts_stopping: false,
        }
    }
}

/// An AWS-shaped error: `{"__type": "...", "message": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwsError {
    #[serde(rename = "__type")]
    pub error_type: String,
    pub message: String,
}

impl AwsError {
    pub fn new(error_type: &str, message: impl Into<String>) -> AwsError {
        AwsError {
            error_type: error_type.to_string(),
            message: message.into(),
        }
    }

    pub fn invalid(message: impl Into<String>) -> AwsError {
        AwsError::new("InvalidParameterException", message)
    }

    pub fn client(message: impl Into<String>) -> AwsError {
        AwsError::new("ClientException", message)
    }

    pub fn cluster_not_found() -> AwsError {
        AwsError::new("ClusterNotFoundException", "Cluster not found.")
    }

    pub fn service_not_found() -> AwsError {
        AwsError::new("ServiceNotFoundException", "Service not found.")
    }
}

/// What an operation's handler returns: its answer as a JSON value.
pub type CallResult = Result<Value, AwsError>;

/// What [`Ecs::call`] returns: the answer (JSON text or a value) or the
/// AWS error.
pub type Answer = Result<Response, AwsError>;

/// A response object of `members`, moved in: `json!` would copy each value
/// through serde, which for a list of tasks or services costs more than
/// writing them.
pub(crate) fn response<const N: usize>(members: [(&str, Value); N]) -> Value {
    Value::Object(
        members
            .into_iter()
            .map(|(name, value)| (name.to_string(), value))
            .collect(),
    )
}

/// Things that happen at a virtual time.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Event {
    /// Move a task to its next lifecycle state, if it is still at `version`.
    TaskStep { task: u64, version: u64 },
    /// A container's health-check result changes.
    HealthChange {
        task: u64,
        container: usize,
        healthy: bool,
    },
    /// A container exits by itself (image behaviour).
    ContainerExit { task: u64, container: usize },
    /// Run the service scheduler for one service.
    Reconcile { service: usize },
    /// The next step of a container agent update (UpdateContainerAgent).
    AgentUpdateStep { instance: usize },
    /// An Auto Scaling group instance finished launching.
    InstanceLaunched { asg: usize },
    /// The end of a Fargate Spot two-minute warning.
    SpotReclaim { task: u64 },
    /// Managed scaling evaluates capacity providers.
    ScalingCheck,
    /// Capacity may have arrived: place the cluster's tasks that wait for it.
    PlaceAwaiting { cluster: usize },
    /// A task waiting for capacity reaches the provisioning timeout.
    ProvisioningTimeout { task: u64 },
}

/// The simulated account and its virtual clock.
#[derive(Debug, Clone)]
pub struct Ecs {
    pub(crate) config: SimConfig,
    pub(crate) now: u64,
    pub(crate) queue: EventQueue<Event>,
    pub(crate) rng: Rng,
    pub(crate) timeline: Timeline,
    pub(crate) state: State,
    pub(crate) scaling_check_at: Option<u64>,
    pub(crate) reconcile_count: u64,
    /// Tasks and instances changed since the recorder last looked; `None`
    /// unless a [`playback::Recording`] is being made.
    pub(crate) touched: Option<playback::Touched>,
}

impl Ecs {
    pub fn new(config: SimConfig) -> Ecs {
        let rng = Rng::new(config.seed);
        let timeline = Timeline::new(config.timeline_capacity);
        Ecs {
            config,
            now: 0,
            queue: EventQueue::default(),
            rng,
            timeline,
            state: State::default(),
            scaling_check_at: None,
            reconcile_count: 0,
            touched: None,
        }
    }

    pub fn config(&self) -> &SimConfig {
        &self.config
    }

    /// Virtual milliseconds since the start.
    pub fn now(&self) -> u64 {
        self.now
    }

    pub fn timeline(&self) -> impl Iterator<Item = &TimelineEvent> {
        self.timeline.events()
    }

    pub fn timeline_dropped(&self) -> u64 {
        self.timeline.dropped()
    }

    /// Service scheduler runs so far (for benchmarks).
    pub fn reconcile_count(&self) -> u64 {
        self.reconcile_count
    }

    /// Pending events (for tests and benchmarks).
    pub fn queued_events(&self) -> usize {
        self.queue.len()
    }

    /// Calls an ECS operation (`CreateCluster`) or a simulator call
    /// (`Simulator.AdvanceClock`) with an AWS-shaped request.
    pub fn call(&mut self, operation: &str, request: &Value) -> Answer {
        let empty = json!({});
        let request = if request.is_null() { &empty } else { request };
        if !request.is_object() {
            return Err(AwsError::new(
                "SerializationException",
                format!("the {operation} request must be a JSON object"),
            ));
        }
        if let Some(call) = operation.strip_prefix("Simulator.") {
            return self.simulator_call(call, request).map(Response::from);
        }
        // A repeated idempotent request answers as the first one did,
        // before its checks (which would now find the service it made).
        if operation == "CreateService" {
            if let Some(si) = self.idempotent_create(request)? {
                return Ok(json!({"service": self.service_json(si, false)}).into());
            }
        }
        self.validate(operation, request)?;
        self.dispatch(operation, request)
    }

    /// [`Ecs::call`] over JSON text, for the wasm boundary: returns the
    /// response, or the error object, as JSON text.
    pub fn call_json(&mut self, operation: &str, request: &str) -> String {
        let result = match serde_json::from_str::<Value>(request) {
            Ok(value) => self.call(operation, &value),
            Err(e) => Err(AwsError::new(
                "SerializationException",
                format!("the request is not valid JSON: {e}"),
            )),
        };
        match result {
            Ok(answer) => answer.to_string(),
            Err(error) => json!({"__type": error.error_type, "message": error.message}).to_string(),
        }
    }

    fn dispatch(&mut self, operation: &str, r: &Value) -> Answer {
        // The task operations write their answers as text (`response`).
        match operation {
            "RunTask" => self.run_task(r),
            "StartTask" => self.start_task(r),
            "StopTask" => self.stop_task_call(r),
            "DescribeTasks" => self.describe_tasks(r),
            _ => self.dispatch_value(operation, r).map(Response::from),
        }
    }

    fn dispatch_value(&mut self, operation: &str, r: &Value) -> CallResult {
        match operation {
            "CreateCluster" => self.create_cluster(r),
            "DeleteCluster" => self.delete_cluster(r),
            "DescribeClusters" => self.describe_clusters(r),
            "ListClusters" => self.list_clusters(r),
            "UpdateCluster" => self.update_cluster(r),
            "UpdateClusterSettings" => self.update_cluster_settings(r),
            "PutClusterCapacityProviders" => self.put_cluster_capacity_providers(r),
            "RegisterTaskDefinition" => self.register_task_definition(r),
            "DeregisterTaskDefinition" => self.deregister_task_definition(r),
            "DescribeTaskDefinition" => self.describe_task_definition(r),
            "ListTaskDefinitions" => self.list_task_definitions(r),
            "ListTaskDefinitionFamilies" => self.list_task_definition_families(r),
            "RegisterContainerInstance" => self.register_container_instance(r),
            "DeregisterContainerInstance" => self.deregister_container_instance(r),
            "DescribeContainerInstances" => self.describe_container_instances(r),
            "ListContainerInstances" => self.list_container_instances(r),
            "UpdateContainerInstancesState" => self.update_container_instances_state(r),
            "ListTasks" => self.list_tasks(r),
            "CreateService" => self.create_service(r),
            "UpdateService" => self.update_service(r),
            "DeleteService" => self.delete_service(r),
            "DescribeServices" => self.describe_services(r),
            "ListServices" => self.list_services(r),
            "ListServicesByNamespace" => self.list_services_by_namespace(r),
            "ListServiceDeployments" => self.list_service_deployments(r),
            "DescribeServiceDeployments" => self.describe_service_deployments(r),
            "StopServiceDeployment" => self.stop_service_deployment(r),
            "DescribeServiceRevisions" => self.describe_service_revisions(r),
            "CreateCapacityProvider" => self.create_capacity_provider(r),
            "DescribeCapacityProviders" => self.describe_capacity_providers(r),
            "UpdateCapacityProvider" => self.update_capacity_provider(r),
            "DeleteCapacityProvider" => self.delete_capacity_provider(r),
            "PutAttributes" => self.put_attributes(r),
            "ListAttributes" => self.list_attributes(r),
            "DeleteAttributes" => self.delete_attributes(r),
            "TagResource" => self.tag_resource(r),
            "UntagResource" => self.untag_resource(r),
            "ListTagsForResource" => self.list_tags_for_resource(r),
            "DiscoverPollEndpoint" => self.discover_poll_endpoint(r),
            "PutAccountSetting" => self.put_account_setting(r, false),
            "PutAccountSettingDefault" => self.put_account_setting(r, true),
            "ListAccountSettings" => self.list_account_settings(r),
            "DeleteAccountSetting" => self.delete_account_setting(r),
            "DeleteTaskDefinitions" => self.delete_task_definitions(r),
            "GetTaskProtection" => self.get_task_protection(r),
            "UpdateTaskProtection" => self.update_task_protection(r),
            "UpdateContainerAgent" => self.update_container_agent(r),
            "SubmitTaskStateChange" => self.submit_task_state_change(r),
            "SubmitContainerStateChange" => self.submit_container_state_change(r),
            "SubmitAttachmentStateChanges" => self.submit_attachment_state_changes(r),
            "ExecuteCommand" => self.execute_command(r),
            "CreateTaskSet" => self.create_task_set(r),
            "UpdateTaskSet" => self.update_task_set(r),
            "DeleteTaskSet" => self.delete_task_set(r),
            "DescribeTaskSets" => self.describe_task_sets(r),
            "UpdateServicePrimaryTaskSet" => self.update_service_primary_task_set(r),
            other => Err(wire::unsupported(other).unwrap_or_else(|| {
                AwsError::new(
                    "UnknownOperationException",
                    format!("the playground does not implement the operation {other}"),
                )
            })),
        }
    }

    /// Runs every event due up to `until` and moves the clock there.
    pub fn advance_to(&mut self, until: u64) {
        while let Some((at, event)) = self.queue.pop_due(until) {
            self.now = self.now.max(at);
            self.handle(event);
        }
        self.now = self.now.max(until);
    }

    /// Runs events until none are left or `limit` virtual ms have passed;
    /// returns the time reached.
    pub fn run_until_idle(&mut self, limit: u64) -> u64 {
        let horizon = self.now.saturating_add(limit);
        while let Some(at) = self.queue.next_time() {
            if at > horizon {
                break;
            }
            self.advance_to(at);
        }
        self.now
    }

    fn handle(&mut self, event: Event) {
        match event {
            Event::TaskStep { task, version } => self.task_step(task, version),
            Event::HealthChange {
                task,
                container,
                healthy,
            } => self.health_change(task, container, healthy),
            Event::ContainerExit { task, container } => self.container_exit(task, container),
            Event::Reconcile { service } => self.reconcile_event(service),
            Event::InstanceLaunched { asg } => self.instance_launched(asg),
            Event::SpotReclaim { task } => self.spot_reclaim(task),
            Event::ScalingCheck => self.scaling_check(),
            Event::AgentUpdateStep { instance } => self.agent_update_step(instance),
            Event::PlaceAwaiting { cluster } => self.place_awaiting(cluster),
            Event::ProvisioningTimeout { task } => self.provisioning_timeout(task),
        }
    }

    pub(crate) fn schedule_in(&mut self, delay_ms: u64, event: Event) {
        self.queue
            .schedule(self.now.saturating_add(delay_ms), event);
    }

    pub(crate) fn log(&mut self, resource: String, kind: &'static str, message: String) {
        self.timeline.push(TimelineEvent {
            at: self.now,
            resource,
            kind,
            message,
        });
    }

    /// A timestamp in AWS JSON form: Unix seconds with milliseconds.
    pub(crate) fn ts(&self, ms: u64) -> Value {
        let seconds = self.config.epoch_seconds as f64 + ms as f64 / 1000.0;
        json!(seconds)
    }

    /// The ARN of the cluster at `index`; empty if there is none.
    pub(crate) fn cluster_arn(&self, index: usize) -> String {
        self.state
            .clusters
            .get(index)
            .map(|c| c.arn.clone())
            .unwrap_or_default()
    }

    /// The account's ECS ARN of the resource `parts` (`["cluster", NAME]`
    /// gives `…:cluster/NAME`), in the region's partition (`crate::arn`).
    pub(crate) fn arn(&self, parts: &[&str]) -> String {
        crate::arn::ecs_arn_of(&self.config.region, &self.config.account, parts)
    }
}
