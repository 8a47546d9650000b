//! The requests of the central operations, read once into typed structs
//! before the operation acts: RegisterTaskDefinition, RunTask, StartTask,
//! DescribeTasks, DescribeServices, CreateService and UpdateService.
//!
//! Members are named and typed as in AWS's model (aws-model's
//! `RunTaskRequest` …); only those the simulator acts on are read. The
//! reads go through `sim::request`'s helpers rather than a serde derive, so
//! that a wrong type fails with the same AWS-shaped error as every other
//! operation's (`count: expected an integer`). Every member is read before
//! the operation looks anything up or changes anything: a request with a
//! badly typed member fails whole, as AWS's deserialisation makes it fail.
//! Strings and JSON members are borrowed from the request, not copied.

use serde_json::Value;

use super::request::{list, member, opt_bool, opt_int, opt_list, opt_str, opt_u32, req_str};
use super::request::{str_list, strategy};
use super::state::StrategyItem;
use super::AwsError;

/// The cluster a request addresses: `default` when it names none.
fn cluster(r: &Value) -> Result<&str, AwsError> {
    Ok(opt_str(r, "cluster")?.unwrap_or("default"))
}

/// RunTask's members the simulator acts on.
pub(crate) struct RunTaskRequest<'a> {
    pub cluster: &'a str,
    pub task_definition: &'a str,
    /// 1 when omitted.
    pub count: i64,
    pub launch_type: Option<&'a str>,
    pub capacity_provider_strategy: Option<Vec<StrategyItem>>,
    pub group: Option<&'a str>,
    pub tags: &'a [Value],
    pub propagate_tags: Option<&'a str>,
    pub overrides: Option<&'a Value>,
    pub placement_constraints: &'a [Value],
    pub placement_strategy: &'a [Value],
    pub started_by: Option<&'a str>,
    pub platform_version: Option<&'a str>,
    pub enable_execute_command: bool,
}

impl<'a> RunTaskRequest<'a> {
    pub fn read(r: &'a Value) -> Result<RunTaskRequest<'a>, AwsError> {
        Ok(RunTaskRequest {
            cluster: cluster(r)?,
            task_definition: req_str(r, "taskDefinition")?,
            count: opt_int(r, "count")?.unwrap_or(1),
            launch_type: opt_str(r, "launchType")?,
            capacity_provider_strategy: strategy(r, "capacityProviderStrategy")?,
            group: opt_str(r, "group")?,
            tags: list(r, "tags")?,
            propagate_tags: opt_str(r, "propagateTags")?,
            overrides: member(r, "overrides"),
            placement_constraints: list(r, "placementConstraints")?,
            placement_strategy: list(r, "placementStrategy")?,
            started_by: opt_str(r, "startedBy")?,
            platform_version: opt_str(r, "platformVersion")?,
            enable_execute_command: opt_bool(r, "enableExecuteCommand")?.unwrap_or(false),
        })
    }
}

/// StartTask's members the simulator acts on.
pub(crate) struct StartTaskRequest<'a> {
    pub cluster: &'a str,
    pub task_definition: &'a str,
    pub container_instances: Vec<String>,
    pub group: Option<&'a str>,
    pub overrides: Option<&'a Value>,
    pub started_by: Option<&'a str>,
    pub tags: &'a [Value],
}

impl<'a> StartTaskRequest<'a> {
    pub fn read(r: &'a Value) -> Result<StartTaskRequest<'a>, AwsError> {
        Ok(StartTaskRequest {
            cluster: cluster(r)?,
            task_definition: req_str(r, "taskDefinition")?,
            container_instances: str_list(r, "containerInstances")?,
            group: opt_str(r, "group")?,
            overrides: member(r, "overrides"),
            started_by: opt_str(r, "startedBy")?,
            tags: list(r, "tags")?,
        })
    }
}

/// DescribeTasks and DescribeServices: a cluster, the names or ARNs to
/// describe (`tasks` or `services`) and `include`.
pub(crate) struct DescribeRequest<'a> {
    pub cluster: &'a str,
    pub references: Vec<String>,
    /// `include` lists `TAGS`.
    pub with_tags: bool,
}

impl<'a> DescribeRequest<'a> {
    /// `list` is the member naming what to describe: `tasks` or `services`.
    pub fn read(r: &'a Value, list: &str) -> Result<DescribeRequest<'a>, AwsError> {
        Ok(DescribeRequest {
            cluster: cluster(r)?,
            references: str_list(r, list)?,
            with_tags: str_list(r, "include")?.iter().any(|i| i == "TAGS"),
        })
    }
}

/// CreateService's members the simulator acts on.
pub(crate) struct CreateServiceRequest<'a> {
    pub cluster: &'a str,
    pub service_name: &'a str,
    /// `deploymentController.type` when it is not `ECS`.
    pub deployment_controller: Option<&'a str>,
    pub task_definition: Option<&'a str>,
    pub daemon: bool,
    pub desired_count: Option<u32>,
    pub launch_type: Option<&'a str>,
    pub capacity_provider_strategy: Option<Vec<StrategyItem>>,
    pub deployment_configuration: Option<&'a Value>,
    pub service_connect_configuration: Option<&'a Value>,
    pub placement_constraints: &'a [Value],
    pub placement_strategy: &'a [Value],
    pub network_configuration: Option<&'a Value>,
    pub load_balancers: &'a [Value],
    pub service_registries: &'a [Value],
    pub health_check_grace_period_seconds: Option<u32>,
    pub platform_version: Option<&'a str>,
    pub enable_ecs_managed_tags: bool,
    pub propagate_tags: Option<&'a str>,
    pub enable_execute_command: bool,
    pub role: Option<&'a str>,
    pub tags: &'a [Value],
    pub volume_configurations: &'a [Value],
    pub client_token: Option<&'a str>,
}

impl<'a> CreateServiceRequest<'a> {
    pub fn read(r: &'a Value) -> Result<CreateServiceRequest<'a>, AwsError> {
        Ok(CreateServiceRequest {
            cluster: cluster(r)?,
            service_name: req_str(r, "serviceName")?,
            deployment_controller: member(r, "deploymentController")
                .and_then(|c| c.get("type"))
                .and_then(Value::as_str)
                .filter(|c| *c != "ECS"),
            task_definition: opt_str(r, "taskDefinition")?,
            daemon: opt_str(r, "schedulingStrategy")? == Some("DAEMON"),
            desired_count: opt_u32(r, "desiredCount")?,
            launch_type: opt_str(r, "launchType")?,
            capacity_provider_strategy: strategy(r, "capacityProviderStrategy")?,
            deployment_configuration: member(r, "deploymentConfiguration"),
            service_connect_configuration: member(r, "serviceConnectConfiguration"),
            placement_constraints: list(r, "placementConstraints")?,
            placement_strategy: list(r, "placementStrategy")?,
            network_configuration: member(r, "networkConfiguration"),
            load_balancers: list(r, "loadBalancers")?,
            service_registries: list(r, "serviceRegistries")?,
            health_check_grace_period_seconds: opt_u32(r, "healthCheckGracePeriodSeconds")?,
            platform_version: opt_str(r, "platformVersion")?,
            enable_ecs_managed_tags: opt_bool(r, "enableECSManagedTags")?.unwrap_or(false),
            propagate_tags: opt_str(r, "propagateTags")?,
            enable_execute_command: opt_bool(r, "enableExecuteCommand")?.unwrap_or(false),
            role: opt_str(r, "role")?,
            tags: list(r, "tags")?,
            volume_configurations: list(r, "volumeConfigurations")?,
            client_token: opt_str(r, "clientToken")?,
        })
    }
}

/// UpdateService's members the simulator acts on: `None` (or an absent
/// list) leaves the service's own setting as it is.
pub(crate) struct UpdateServiceRequest<'a> {
    pub cluster: &'a str,
    pub service: &'a str,
    pub force_new_deployment: bool,
    pub task_definition: Option<&'a str>,
    pub desired_count: Option<u32>,
    pub capacity_provider_strategy: Option<Vec<StrategyItem>>,
    pub deployment_configuration: Option<&'a Value>,
    pub service_connect_configuration: Option<&'a Value>,
    pub placement_constraints: Option<&'a Vec<Value>>,
    pub placement_strategy: Option<&'a Vec<Value>>,
    pub network_configuration: Option<&'a Value>,
    pub load_balancers: Option<&'a Vec<Value>>,
    pub service_registries: Option<&'a Vec<Value>>,
    pub platform_version: Option<&'a str>,
    pub health_check_grace_period_seconds: Option<u32>,
    pub enable_execute_command: Option<bool>,
    pub enable_ecs_managed_tags: Option<bool>,
    pub propagate_tags: Option<&'a str>,
    pub volume_configurations: Option<&'a Vec<Value>>,
}

impl<'a> UpdateServiceRequest<'a> {
    pub fn read(r: &'a Value) -> Result<UpdateServiceRequest<'a>, AwsError> {
        Ok(UpdateServiceRequest {
            cluster: cluster(r)?,
            service: req_str(r, "service")?,
            force_new_deployment: opt_bool(r, "forceNewDeployment")?.unwrap_or(false),
            task_definition: opt_str(r, "taskDefinition")?,
            desired_count: opt_u32(r, "desiredCount")?,
            capacity_provider_strategy: strategy(r, "capacityProviderStrategy")?,
            deployment_configuration: member(r, "deploymentConfiguration"),
            service_connect_configuration: member(r, "serviceConnectConfiguration"),
            placement_constraints: opt_list(r, "placementConstraints")?,
            placement_strategy: opt_list(r, "placementStrategy")?,
            network_configuration: member(r, "networkConfiguration"),
            load_balancers: opt_list(r, "loadBalancers")?,
            service_registries: opt_list(r, "serviceRegistries")?,
            platform_version: opt_str(r, "platformVersion")?,
            health_check_grace_period_seconds: opt_u32(r, "healthCheckGracePeriodSeconds")?,
            enable_execute_command: opt_bool(r, "enableExecuteCommand")?,
            enable_ecs_managed_tags: opt_bool(r, "enableECSManagedTags")?,
            propagate_tags: opt_str(r, "propagateTags")?,
            volume_configurations: opt_list(r, "volumeConfigurations")?,
        })
    }
}

/// RegisterTaskDefinition's members the simulator reads itself; the
/// members it keeps as given (roles, runtimePlatform …) are copied from
/// the request into the definition's body.
pub(crate) struct RegisterTaskDefinitionRequest<'a> {
    pub family: &'a str,
    pub container_definitions: &'a [Value],
    /// `bridge` when omitted.
    pub network_mode: &'a str,
    pub requires_compatibilities: Vec<String>,
    pub cpu: Option<&'a str>,
    pub memory: Option<&'a str>,
    pub volumes: &'a [Value],
    pub placement_constraints: &'a [Value],
    pub tags: &'a [Value],
}

impl<'a> RegisterTaskDefinitionRequest<'a> {
    pub fn read(r: &'a Value) -> Result<RegisterTaskDefinitionRequest<'a>, AwsError> {
        Ok(RegisterTaskDefinitionRequest {
            family: req_str(r, "family")?,
            container_definitions: list(r, "containerDefinitions")?,
            network_mode: opt_str(r, "networkMode")?.unwrap_or("bridge"),
            requires_compatibilities: str_list(r, "requiresCompatibilities")?,
            cpu: opt_str(r, "cpu")?,
            memory: opt_str(r, "memory")?,
            volumes: list(r, "volumes")?,
            placement_constraints: list(r, "placementConstraints")?,
            tags: list(r, "tags")?,
        })
    }
}
