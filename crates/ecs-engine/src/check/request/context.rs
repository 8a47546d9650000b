//! What a request is checked against: the resolved task definition and the
//! known state of the account. Every part is optional; a rule that needs a
//! missing part is skipped rather than guessed.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Known state a request is validated against.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RequestContext {
    /// The task definition the request runs with, in RegisterTaskDefinition
    /// or describe form (`status`, `compatibilities` included when known).
    /// For UpdateService without `taskDefinition`, the service's current one.
    pub task_definition: Option<Value>,
    /// Every cluster of the account. `None`: clusters are unknown and
    /// cluster-state rules are skipped.
    pub clusters: Option<Vec<ClusterState>>,
    /// Auto Scaling group capacity providers of the account. `FARGATE` and
    /// `FARGATE_SPOT` always exist and need not be listed.
    pub capacity_providers: Option<Vec<CapacityProviderState>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ClusterState {
    pub name: String,
    /// Capacity providers associated with the cluster.
    pub capacity_providers: Vec<String>,
    /// Providers of the cluster's default capacity provider strategy.
    pub default_capacity_provider_strategy: Vec<String>,
    pub services: Vec<ServiceState>,
    pub registered_container_instances: u32,
    pub tasks: Vec<TaskState>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ServiceState {
    pub name: String,
    /// `ACTIVE`, `DRAINING` or `INACTIVE`.
    pub status: String,
    /// `ECS` (the default), `CODE_DEPLOY` or `EXTERNAL`.
    pub deployment_controller: Option<String>,
    pub launch_type: Option<String>,
    /// The service's explicit strategy; empty when it uses the cluster default.
    pub capacity_provider_strategy: Vec<String>,
    pub desired_count: u32,
    pub running_count: u32,
    /// `REPLICA` (the default) or `DAEMON`.
    pub scheduling_strategy: Option<String>,
    pub has_load_balancers: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CapacityProviderState {
    pub name: String,
    /// `ACTIVE`, `UPDATING`, `INACTIVE` …
    pub status: String,
    /// The cluster the provider is associated with, if any.
    pub cluster: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TaskState {
    pub arn: String,
    pub capacity_provider_name: Option<String>,
    pub last_status: String,
}

/// Capacity providers every cluster can use without creating them.
pub const FARGATE_PROVIDERS: [&str; 2] = ["FARGATE", "FARGATE_SPOT"];

pub use crate::arn::short_name;

impl RequestContext {
    /// Sets the task definition from its JSON text (RegisterTaskDefinition
    /// input or describe output). Text that does not parse leaves it unknown.
    pub fn with_task_definition_text(mut self, text: &str) -> RequestContext {
        self.task_definition = crate::json::parse(text).ok().map(|node| node.to_value());
        self
    }

    /// The cluster a request addresses (`default` when omitted), if clusters
    /// are known: `Some(None)` means known not to exist.
    pub fn cluster(&self, requested: Option<&str>) -> Option<Option<&ClusterState>> {
        let clusters = self.clusters.as_ref()?;
        let name = short_name(requested.unwrap_or("default"));
        Some(clusters.iter().find(|c| c.name == name))
    }

    pub fn capacity_provider(&self, name: &str) -> Option<Option<&CapacityProviderState>> {
        let providers = self.capacity_providers.as_ref()?;
        Some(providers.iter().find(|p| p.name == name))
    }

    pub fn task_def(&self) -> Option<TaskDef<'_>> {
        self.task_definition.as_ref().map(TaskDef::new)
    }
}

impl ClusterState {
    /// The service by name or ARN, ignoring INACTIVE ones (they are gone).
    pub fn live_service(&self, name_or_arn: &str) -> Option<&ServiceState> {
        let name = short_name(name_or_arn);
        self.services
            .iter()
            .find(|s| s.name == name && s.status != "INACTIVE")
    }
}

/// Read access to a resolved task definition, unwrapping the describe form.
#[derive(Debug, Clone, Copy)]
pub struct TaskDef<'a>(&'a Value);

impl<'a> TaskDef<'a> {
    pub fn new(value: &'a Value) -> TaskDef<'a> {
        TaskDef(value.get("taskDefinition").unwrap_or(value))
    }

    fn str(&self, key: &str) -> Option<&'a str> {
        self.0.get(key).and_then(Value::as_str)
    }

    fn list(&self, key: &str) -> &'a [Value] {
        self.0
            .get(key)
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }

    /// The network mode; ECS defaults to `bridge` when it is omitted.
    pub fn network_mode(&self) -> &'a str {
        self.str("networkMode").unwrap_or("bridge")
    }

    pub fn is_awsvpc(&self) -> bool {
        self.network_mode() == "awsvpc"
    }

    pub fn status(&self) -> Option<&'a str> {
        self.str("status")
    }

    pub fn task_role_arn(&self) -> Option<&'a str> {
        self.str("taskRoleArn").filter(|r| !r.is_empty())
    }

    /// Launch types the definition was validated for (`compatibilities`), or
    /// failing that those it asked for (`requiresCompatibilities`).
    pub fn compatibilities(&self) -> Vec<&'a str> {
        let list = match self.list("compatibilities") {
            [] => self.list("requiresCompatibilities"),
            list => list,
        };
        list.iter().filter_map(Value::as_str).collect()
    }

    pub fn placement_constraint_count(&self) -> usize {
        self.list("placementConstraints").len()
    }

    pub fn containers(&self) -> &'a [Value] {
        self.list("containerDefinitions")
    }

    pub fn container_names(&self) -> Vec<&'a str> {
        self.containers()
            .iter()
            .filter_map(|c| c.get("name").and_then(Value::as_str))
            .collect()
    }

    pub fn container(&self, name: &str) -> Option<&'a Value> {
        self.containers()
            .iter()
            .find(|c| c.get("name").and_then(Value::as_str) == Some(name))
    }

    /// `(name, containerPort, appProtocol)` of every port mapping of a container.
    pub fn port_mappings(container: &'a Value) -> Vec<PortMapping<'a>> {
        container
            .get("portMappings")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|m| PortMapping {
                name: m.get("name").and_then(Value::as_str),
                container_port: m.get("containerPort").and_then(Value::as_i64),
                app_protocol: m.get("appProtocol").and_then(Value::as_str),
            })
            .collect()
    }

    pub fn all_port_mappings(&self) -> Vec<PortMapping<'a>> {
        self.containers()
            .iter()
            .flat_map(TaskDef::port_mappings)
            .collect()
    }

    pub fn has_container_health_check(&self) -> bool {
        self.containers()
            .iter()
            .any(|c| c.get("healthCheck").is_some_and(|h| !h.is_null()))
    }

    pub fn inference_device_names(&self) -> Vec<&'a str> {
        self.list("inferenceAccelerators")
            .iter()
            .filter_map(|a| a.get("deviceName").and_then(Value::as_str))
            .collect()
    }

    /// Names of volumes marked `configuredAtLaunch`.
    pub fn volumes_configured_at_launch(&self) -> Vec<&'a str> {
        self.list("volumes")
            .iter()
            .filter(|v| v.get("configuredAtLaunch").and_then(Value::as_bool) == Some(true))
            .filter_map(|v| v.get("name").and_then(Value::as_str))
            .collect()
    }

    pub fn operating_system_family(&self) -> Option<&'a str> {
        self.0
            .get("runtimePlatform")
            .and_then(|p| p.get("operatingSystemFamily"))
            .and_then(Value::as_str)
    }

    pub fn cpu_architecture(&self) -> Option<&'a str> {
        self.0
            .get("runtimePlatform")
            .and_then(|p| p.get("cpuArchitecture"))
            .and_then(Value::as_str)
    }

    pub fn family(&self) -> &'a str {
        self.str("family").unwrap_or("the task definition")
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PortMapping<'a> {
    pub name: Option<&'a str>,
    pub container_port: Option<i64>,
    pub app_protocol: Option<&'a str>,
}
