//! What a request is checked against: the account, read where it lives
//! through [`Account`], never copied. The simulator's state implements it
//! (`sim::validate`); the authoring side's [`DocumentAccount`] knows only the
//! task definition a document runs with. A rule that needs something the
//! account does not know is skipped rather than guessed.

use serde_json::Value;

/// The account a request is validated against, as the request rules read
/// it. Every method has an "unknown" default, so an implementation says
/// only what it knows: an account that does not know its clusters leaves
/// `cluster` at `None` and the cluster-state rules are skipped.
///
/// Clusters are addressed by the account's own key (`ClusterView::key`),
/// which only the implementation that handed it out interprets.
pub trait Account {
    /// The key of the cluster named (short name or ARN; not INACTIVE):
    /// `None` when clusters are unknown, `Some(None)` when known not to exist.
    fn cluster_key(&self, _name_or_arn: &str) -> Option<Option<usize>> {
        None
    }

    fn cluster_name(&self, _cluster: usize) -> &str {
        ""
    }

    /// Capacity providers associated with the cluster.
    fn capacity_providers_of(&self, _cluster: usize) -> Vec<&str> {
        Vec::new()
    }

    /// Providers of the cluster's default capacity provider strategy.
    fn default_strategy_of(&self, _cluster: usize) -> Vec<&str> {
        Vec::new()
    }

    /// The cluster's service of that name or ARN, of any status; a live
    /// (ACTIVE or DRAINING) one wins over INACTIVE ones of the same name.
    fn service(&self, _cluster: usize, _name_or_arn: &str) -> Option<ServiceView<'_>> {
        None
    }

    /// Container instances registered to the cluster.
    fn registered_container_instances(&self, _cluster: usize) -> usize {
        0
    }

    /// The cluster's tasks, not STOPPED, launched by `provider`.
    fn live_tasks_using(&self, _cluster: usize, _provider: &str) -> usize {
        0
    }

    /// An Auto Scaling group capacity provider: `None` when capacity
    /// providers are unknown, `Some(None)` when known not to exist.
    /// `FARGATE` and `FARGATE_SPOT` always exist and are not asked for.
    fn capacity_provider(&self, _name: &str) -> Option<Option<CapacityProviderView<'_>>> {
        None
    }

    /// The task definition a request runs with: `reference` is the
    /// request's `taskDefinition`, else the existing service's (`None` when
    /// neither is known).
    fn task_definition(&self, _reference: Option<&str>) -> Option<TaskDef<'_>> {
        None
    }
}

/// One cluster of an [`Account`], read through it.
#[derive(Clone, Copy)]
pub struct ClusterView<'a> {
    account: &'a dyn Account,
    /// The account's own key for the cluster.
    pub key: usize,
    pub name: &'a str,
}

impl<'a> ClusterView<'a> {
    /// The cluster a request addresses (`default` when omitted): `None` when
    /// clusters are unknown, `Some(None)` when known not to exist.
    pub fn find(
        account: &'a dyn Account,
        requested: Option<&str>,
    ) -> Option<Option<ClusterView<'a>>> {
        let key = account.cluster_key(requested.unwrap_or("default"))?;
        Some(key.map(|key| ClusterView {
            account,
            key,
            name: account.cluster_name(key),
        }))
    }

    pub fn capacity_providers(&self) -> Vec<&'a str> {
        self.account.capacity_providers_of(self.key)
    }

    pub fn default_capacity_provider_strategy(&self) -> Vec<&'a str> {
        self.account.default_strategy_of(self.key)
    }

    /// The service by name or ARN, of any status.
    pub fn service(&self, name_or_arn: &str) -> Option<ServiceView<'a>> {
        self.account.service(self.key, name_or_arn)
    }

    /// The service by name or ARN, ignoring INACTIVE ones (they are gone).
    pub fn live_service(&self, name_or_arn: &str) -> Option<ServiceView<'a>> {
        self.service(name_or_arn).filter(|s| s.status != "INACTIVE")
    }

    pub fn registered_container_instances(&self) -> usize {
        self.account.registered_container_instances(self.key)
    }

    pub fn live_tasks_using(&self, provider: &str) -> usize {
        self.account.live_tasks_using(self.key, provider)
    }
}

/// What the request rules read of a service: borrowed from the account.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceView<'a> {
    pub name: &'a str,
    /// `ACTIVE`, `DRAINING` or `INACTIVE`.
    pub status: &'a str,
    /// `ECS` (the default), `CODE_DEPLOY` or `EXTERNAL`.
    pub deployment_controller: Option<&'a str>,
    pub launch_type: Option<&'a str>,
    /// The service's explicit strategy; empty when it uses the cluster default.
    pub capacity_provider_strategy: Vec<&'a str>,
    pub desired_count: u32,
    pub daemon: bool,
    pub has_load_balancers: bool,
    /// The service's task definition reference.
    pub task_definition: Option<&'a str>,
}

/// What the request rules read of a capacity provider.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CapacityProviderView<'a> {
    /// `ACTIVE`, `UPDATING`, `INACTIVE` …
    pub status: &'a str,
    /// The cluster the provider is associated with, if any.
    pub cluster: Option<&'a str>,
}

/// What the authoring side (workspace, Terraform files, the CLI) knows of
/// the account: the task definition a document runs with, resolved from
/// the workspace or the configuration before the analysis; clusters and
/// services are unknown, so their rules are skipped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocumentAccount {
    /// In RegisterTaskDefinition or describe form (`status`,
    /// `compatibilities` included when known).
    pub task_definition: Option<Value>,
}

impl DocumentAccount {
    pub fn with_task_definition(task_definition: Option<Value>) -> DocumentAccount {
        DocumentAccount { task_definition }
    }

    /// Sets the task definition from its JSON text (RegisterTaskDefinition
    /// input or describe output). Text that does not parse leaves it unknown.
    pub fn with_task_definition_text(mut self, text: &str) -> DocumentAccount {
        self.task_definition = crate::json::parse(text).ok().map(|node| node.to_value());
        self
    }
}

impl Account for DocumentAccount {
    /// The one task definition resolved for the document, whatever the
    /// request names: the authoring side resolves it from the same reference.
    fn task_definition(&self, _reference: Option<&str>) -> Option<TaskDef<'_>> {
        self.task_definition.as_ref().map(TaskDef::new)
    }
}

/// Capacity providers every cluster can use without creating them.
pub const FARGATE_PROVIDERS: [&str; 2] = ["FARGATE", "FARGATE_SPOT"];

pub use crate::arn::short_name;

/// Read access to a resolved task definition, unwrapping the describe form.
#[derive(Debug, Clone, Copy)]
pub struct TaskDef<'a> {
    body: &'a Value,
    status: Option<&'a str>,
}

impl<'a> TaskDef<'a> {
    /// A task definition in RegisterTaskDefinition or describe form; its
    /// status is its `status` member when it has one.
    pub fn new(value: &'a Value) -> TaskDef<'a> {
        let body = value.get("taskDefinition").unwrap_or(value);
        TaskDef {
            body,
            status: body.get("status").and_then(Value::as_str),
        }
    }

    /// A registered body whose status the account keeps beside it.
    pub fn with_status(body: &'a Value, status: &'a str) -> TaskDef<'a> {
        TaskDef {
            body,
            status: Some(status),
        }
    }

    fn str(&self, key: &str) -> Option<&'a str> {
        self.body.get(key).and_then(Value::as_str)
    }

    fn list(&self, key: &str) -> &'a [Value] {
        self.body
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
        self.status
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
        self.body
            .get("runtimePlatform")
            .and_then(|p| p.get("operatingSystemFamily"))
            .and_then(Value::as_str)
    }

    pub fn cpu_architecture(&self) -> Option<&'a str> {
        self.body
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
