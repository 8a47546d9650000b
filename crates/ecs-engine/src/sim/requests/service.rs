//! The requests of the service operations.

use serde_json::Value;

use super::super::paging::PageRequest;
use super::super::request::{
    list, member, opt_bool, opt_list, opt_object, opt_str, opt_timestamp, opt_u32, req_str,
    str_list, strategy,
};
use super::super::state::StrategyItem;
use super::super::AwsError;
use super::cluster;

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

/// DeleteService.
pub(crate) struct DeleteServiceRequest<'a> {
    pub cluster: &'a str,
    pub service: &'a str,
    pub force: bool,
}

impl<'a> DeleteServiceRequest<'a> {
    pub fn read(r: &'a Value) -> Result<DeleteServiceRequest<'a>, AwsError> {
        Ok(DeleteServiceRequest {
            cluster: cluster(r)?,
            service: req_str(r, "service")?,
            force: opt_bool(r, "force")?.unwrap_or(false),
        })
    }
}

pub(crate) struct ListServicesRequest<'a> {
    pub cluster: &'a str,
    pub launch_type: Option<&'a str>,
    pub scheduling_strategy: Option<&'a str>,
    pub page: PageRequest<'a>,
}

impl<'a> ListServicesRequest<'a> {
    pub fn read(r: &'a Value) -> Result<ListServicesRequest<'a>, AwsError> {
        // Every simulated service is customer-managed:
        // `resourceManagementType` is read for its type.
        opt_str(r, "resourceManagementType")?;
        Ok(ListServicesRequest {
            cluster: cluster(r)?,
            launch_type: opt_str(r, "launchType")?,
            scheduling_strategy: opt_str(r, "schedulingStrategy")?,
            page: PageRequest::read(r)?,
        })
    }
}

pub(crate) struct ListServicesByNamespaceRequest<'a> {
    pub namespace: &'a str,
    pub page: PageRequest<'a>,
}

impl<'a> ListServicesByNamespaceRequest<'a> {
    pub fn read(r: &'a Value) -> Result<ListServicesByNamespaceRequest<'a>, AwsError> {
        Ok(ListServicesByNamespaceRequest {
            namespace: req_str(r, "namespace")?,
            page: PageRequest::read(r)?,
        })
    }
}

pub(crate) struct ListServiceDeploymentsRequest<'a> {
    pub service: &'a str,
    pub cluster: &'a str,
    pub status: Vec<String>,
    /// `createdAt.after` and `createdAt.before`, epoch seconds.
    pub created_after: Option<f64>,
    pub created_before: Option<f64>,
    pub page: PageRequest<'a>,
}

impl<'a> ListServiceDeploymentsRequest<'a> {
    pub fn read(r: &'a Value) -> Result<ListServiceDeploymentsRequest<'a>, AwsError> {
        let created = opt_object(r, "createdAt")?;
        let at = |key: &str| -> Result<Option<f64>, AwsError> {
            created.map_or(Ok(None), |c| opt_timestamp(c, key))
        };
        Ok(ListServiceDeploymentsRequest {
            service: req_str(r, "service")?,
            cluster: cluster(r)?,
            status: str_list(r, "status")?,
            created_after: at("after")?,
            created_before: at("before")?,
            page: PageRequest::read(r)?,
        })
    }
}

pub(crate) struct StopServiceDeploymentRequest<'a> {
    pub service_deployment_arn: &'a str,
    /// ROLLBACK when omitted.
    pub stop_type: &'a str,
}

impl<'a> StopServiceDeploymentRequest<'a> {
    pub fn read(r: &'a Value) -> Result<StopServiceDeploymentRequest<'a>, AwsError> {
        Ok(StopServiceDeploymentRequest {
            service_deployment_arn: req_str(r, "serviceDeploymentArn")?,
            stop_type: opt_str(r, "stopType")?.unwrap_or("ROLLBACK"),
        })
    }
}

/// DescribeServiceDeployments (`serviceDeploymentArns`) and
/// DescribeServiceRevisions (`serviceRevisionArns`): the ARNs to describe.
pub(crate) struct DescribeArnsRequest {
    pub arns: Vec<String>,
}

impl DescribeArnsRequest {
    /// `key` is the member listing the ARNs.
    pub fn read(r: &Value, key: &str) -> Result<DescribeArnsRequest, AwsError> {
        Ok(DescribeArnsRequest {
            arns: str_list(r, key)?,
        })
    }
}
