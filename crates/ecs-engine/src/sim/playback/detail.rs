//! One task as DescribeTasks shows it, with times in virtual milliseconds.

use serde::Serialize;

use super::super::state::{ContainerStatus, DesiredStatus, HealthStatus, Task, TaskStatus};
use super::super::Ecs;
use super::frame::revision_of;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskDetail {
    pub task_id: String,
    pub task_arn: String,
    pub task_definition_arn: String,
    pub revision: Option<u32>,
    pub cluster: String,
    pub last_status: TaskStatus,
    pub desired_status: DesiredStatus,
    pub health_status: HealthStatus,
    pub launch_type: String,
    pub capacity_provider: Option<String>,
    pub cpu: u32,
    pub memory: u32,
    pub created_at: u64,
    pub pull_started_at: Option<u64>,
    pub pull_stopped_at: Option<u64>,
    pub started_at: Option<u64>,
    pub stopping_at: Option<u64>,
    pub execution_stopped_at: Option<u64>,
    pub stopped_at: Option<u64>,
    pub stop_code: Option<String>,
    pub stopped_reason: Option<String>,
    pub containers: Vec<ContainerDetail>,
    pub group: String,
    pub started_by: Option<String>,
    pub service: Option<String>,
    pub deployment_id: Option<String>,
    /// The container instance's id (its ARN's last part) and ARN.
    pub container_instance: Option<String>,
    pub container_instance_arn: Option<String>,
    pub ec2_instance_id: Option<String>,
    pub availability_zone: Option<String>,
    /// DescribeTasks' `version`: bumped by every state change.
    pub version: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerDetail {
    pub name: String,
    pub image: String,
    pub last_status: ContainerStatus,
    pub exit_code: Option<i64>,
    pub reason: Option<String>,
    pub health_status: HealthStatus,
}

/// The task with this id (or ARN) in any cluster.
pub(crate) fn find_task<'a>(ecs: &'a Ecs, task_id: &str) -> Option<&'a Task> {
    let id = super::super::state::short_name(task_id);
    ecs.state.tasks.values().find(|t| t.id == id)
}

pub(crate) fn task_detail(ecs: &Ecs, task: &Task) -> TaskDetail {
    let instance = task.instance.and_then(|i| ecs.state.instances.get(i));
    let availability_zone = match instance {
        Some(i) => Some(i.availability_zone.clone()),
        None if task.launch_type == "FARGATE" => Some(ecs.fargate_zone(task.seq)),
        None => None,
    };
    TaskDetail {
        task_id: task.id.clone(),
        task_arn: task.arn.clone(),
        task_definition_arn: task.task_definition.clone(),
        revision: revision_of(&task.task_definition),
        cluster: ecs
            .state
            .clusters
            .get(task.cluster)
            .map(|c| c.name.clone())
            .unwrap_or_default(),
        last_status: task.last_status,
        desired_status: task.desired_status,
        health_status: task.health_status,
        launch_type: task.launch_type.clone(),
        capacity_provider: task.capacity_provider.clone(),
        cpu: task.cpu,
        memory: task.memory,
        created_at: task.created_at,
        pull_started_at: task.pull_started_at,
        pull_stopped_at: task.pull_stopped_at,
        started_at: task.started_at,
        stopping_at: task.stopping_at,
        execution_stopped_at: task.execution_stopped_at,
        stopped_at: task.stopped_at,
        stop_code: task.stop_code.map(str::to_string),
        stopped_reason: task.stopped_reason.clone(),
        containers: task
            .containers
            .iter()
            .map(|c| ContainerDetail {
                name: c.name.clone(),
                image: c.image.clone(),
                last_status: c.last_status,
                exit_code: c.exit_code,
                reason: c.reason.as_ref().map(|r| r.chars().take(255).collect()),
                health_status: c.health_status,
            })
            .collect(),
        group: task.group.clone(),
        started_by: task.started_by.clone(),
        service: task
            .service
            .and_then(|si| ecs.state.services.get(si))
            .map(|s| s.name.clone()),
        deployment_id: task.deployment.clone(),
        container_instance: instance.map(|i| i.id.clone()),
        container_instance_arn: instance.map(|i| i.arn.clone()),
        ec2_instance_id: instance.map(|i| i.ec2_instance_id.clone()),
        availability_zone,
        version: task.version,
    }
}
