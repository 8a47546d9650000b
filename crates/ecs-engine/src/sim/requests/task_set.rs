//! The requests of the task-set operations: CreateTaskSet, UpdateTaskSet,
//! DeleteTaskSet, DescribeTaskSets and UpdateServicePrimaryTaskSet.

use serde_json::Value;

use super::super::request::{
    list, opt_bool, opt_f64, opt_object, opt_str, req_str, str_list, strategy,
};
use super::super::state::StrategyItem;
use super::super::AwsError;
use super::cluster;

/// The cluster and EXTERNAL service every task-set request names.
pub(crate) struct ServiceRef<'a> {
    pub cluster: &'a str,
    pub service: &'a str,
}

impl<'a> ServiceRef<'a> {
    fn read(r: &'a Value) -> Result<ServiceRef<'a>, AwsError> {
        Ok(ServiceRef {
            cluster: cluster(r)?,
            service: req_str(r, "service")?,
        })
    }
}

/// `Scale`: `{value, unit: PERCENT}` with 0 ≤ value ≤ 100; the percent.
fn scale(r: &Value) -> Result<Option<f64>, AwsError> {
    let Some(scale) = opt_object(r, "scale")? else {
        return Ok(None);
    };
    if let Some(unit) = opt_str(scale, "unit")? {
        if unit != "PERCENT" {
            return Err(AwsError::invalid("scale.unit must be PERCENT."));
        }
    }
    let value = opt_f64(scale, "value")?.unwrap_or(100.0);
    if !(0.0..=100.0).contains(&value) {
        return Err(AwsError::invalid(
            "scale.value must be a number between 0 and 100.",
        ));
    }
    Ok(Some(value))
}

pub(crate) struct CreateTaskSetRequest<'a> {
    pub service: ServiceRef<'a>,
    pub external_id: Option<&'a str>,
    pub task_definition: &'a str,
    pub network_configuration: Option<&'a Value>,
    pub load_balancers: &'a [Value],
    pub service_registries: &'a [Value],
    pub launch_type: Option<&'a str>,
    /// As given (the task set answers with it).
    pub capacity_provider_strategy: &'a [Value],
    /// The same strategy, read.
    pub strategy_items: Option<Vec<StrategyItem>>,
    pub platform_version: Option<&'a str>,
    /// The percent; 100 when omitted.
    pub scale: f64,
    pub client_token: Option<&'a str>,
    pub tags: &'a [Value],
}

impl<'a> CreateTaskSetRequest<'a> {
    pub fn read(r: &'a Value) -> Result<CreateTaskSetRequest<'a>, AwsError> {
        Ok(CreateTaskSetRequest {
            service: ServiceRef::read(r)?,
            client_token: opt_str(r, "clientToken")?,
            task_definition: req_str(r, "taskDefinition")?,
            launch_type: opt_str(r, "launchType")?,
            capacity_provider_strategy: list(r, "capacityProviderStrategy")?,
            strategy_items: strategy(r, "capacityProviderStrategy")?,
            scale: scale(r)?.unwrap_or(100.0),
            external_id: opt_str(r, "externalId")?,
            platform_version: opt_str(r, "platformVersion")?,
            network_configuration: opt_object(r, "networkConfiguration")?,
            load_balancers: list(r, "loadBalancers")?,
            service_registries: list(r, "serviceRegistries")?,
            tags: list(r, "tags")?,
        })
    }
}

/// UpdateTaskSet, DeleteTaskSet and UpdateServicePrimaryTaskSet: one task
/// set of the service (`taskSet`, or `primaryTaskSet`).
pub(crate) struct TaskSetRequest<'a> {
    pub service: ServiceRef<'a>,
    pub task_set: &'a str,
    /// UpdateTaskSet's `scale` (required there).
    pub scale: Option<f64>,
    /// DeleteTaskSet's `force`.
    pub force: bool,
}

impl<'a> TaskSetRequest<'a> {
    /// `key` names the task set: `taskSet` or `primaryTaskSet`.
    pub fn read(r: &'a Value, key: &str) -> Result<TaskSetRequest<'a>, AwsError> {
        Ok(TaskSetRequest {
            service: ServiceRef::read(r)?,
            task_set: req_str(r, key)?,
            scale: scale(r)?,
            force: opt_bool(r, "force")?.unwrap_or(false),
        })
    }
}

pub(crate) struct DescribeTaskSetsRequest<'a> {
    pub service: ServiceRef<'a>,
    pub task_sets: Vec<String>,
    pub with_tags: bool,
}

impl<'a> DescribeTaskSetsRequest<'a> {
    pub fn read(r: &'a Value) -> Result<DescribeTaskSetsRequest<'a>, AwsError> {
        Ok(DescribeTaskSetsRequest {
            service: ServiceRef::read(r)?,
            task_sets: str_list(r, "taskSets")?,
            with_tags: str_list(r, "include")?.iter().any(|i| i == "TAGS"),
        })
    }
}
