//! The requests of the task operations: RunTask, StartTask, StopTask,
//! ListTasks, GetTaskProtection and UpdateTaskProtection.

use serde_json::Value;

use super::super::paging::PageRequest;
use super::super::request::{
    list, member, opt_bool, opt_int, opt_str, req_str, str_list, strategy,
};
use super::super::state::StrategyItem;
use super::super::AwsError;
use super::cluster;

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

pub(crate) struct StopTaskRequest<'a> {
    pub cluster: &'a str,
    pub task: &'a str,
    pub reason: Option<&'a str>,
}

impl<'a> StopTaskRequest<'a> {
    pub fn read(r: &'a Value) -> Result<StopTaskRequest<'a>, AwsError> {
        Ok(StopTaskRequest {
            cluster: cluster(r)?,
            task: req_str(r, "task")?,
            reason: opt_str(r, "reason")?,
        })
    }
}

pub(crate) struct ListTasksRequest<'a> {
    pub cluster: &'a str,
    pub container_instance: Option<&'a str>,
    pub family: Option<&'a str>,
    pub started_by: Option<&'a str>,
    pub service_name: Option<&'a str>,
    /// RUNNING when omitted.
    pub desired_status: &'a str,
    pub launch_type: Option<&'a str>,
    pub page: PageRequest<'a>,
}

impl<'a> ListTasksRequest<'a> {
    pub fn read(r: &'a Value) -> Result<ListTasksRequest<'a>, AwsError> {
        // Daemons (of managed instances) are not simulated: `daemonName`
        // is read for its type.
        opt_str(r, "daemonName")?;
        Ok(ListTasksRequest {
            cluster: cluster(r)?,
            container_instance: opt_str(r, "containerInstance")?,
            family: opt_str(r, "family")?,
            started_by: opt_str(r, "startedBy")?,
            service_name: opt_str(r, "serviceName")?,
            desired_status: opt_str(r, "desiredStatus")?.unwrap_or("RUNNING"),
            launch_type: opt_str(r, "launchType")?,
            page: PageRequest::read(r)?,
        })
    }
}

/// GetTaskProtection and UpdateTaskProtection (whose own members are
/// `None` in a GetTaskProtection).
pub(crate) struct TaskProtectionRequest<'a> {
    pub cluster: &'a str,
    pub tasks: Vec<String>,
    pub protection_enabled: Option<bool>,
    pub expires_in_minutes: Option<i64>,
}

impl<'a> TaskProtectionRequest<'a> {
    pub fn read(r: &'a Value) -> Result<TaskProtectionRequest<'a>, AwsError> {
        Ok(TaskProtectionRequest {
            cluster: cluster(r)?,
            tasks: str_list(r, "tasks")?,
            protection_enabled: opt_bool(r, "protectionEnabled")?,
            expires_in_minutes: opt_int(r, "expiresInMinutes")?,
        })
    }
}
