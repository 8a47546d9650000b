//! TEMPORARY: the playback contract's view types until helper/playback lands.
#![allow(dead_code)]

pub use ecs_engine::place::PlacementDecision as PlacementTrace;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Frame {
    pub at: u64,
    pub clusters: Vec<ClusterView>,
    pub services: Vec<ServiceView>,
    pub unplaced: Vec<TaskCell>,
}
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClusterView {
    pub name: String,
    pub zones: Vec<ZoneView>,
    pub reserved_cpu_percent: f64,
    pub reserved_memory_percent: f64,
}
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ZoneView {
    pub availability_zone: String,
    pub groups: Vec<InstanceGroupView>,
    pub fargate: Vec<TaskCell>,
}
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InstanceGroupView {
    pub capacity_provider: Option<String>,
    pub instances: Vec<InstanceView>,
}
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InstanceView {
    pub id: String,
    pub instance_type: String,
    pub status: String,
    pub agent_connected: bool,
    pub cpu: u32,
    pub memory: u32,
    pub reserved_cpu: u32,
    pub reserved_memory: u32,
    pub tasks: Vec<TaskCell>,
}
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TaskCell {
    pub id: String,
    pub service: Option<String>,
    pub service_index: u32,
    pub deployment_id: Option<String>,
    pub revision: Option<u32>,
    pub last_status: String,
    pub desired_status: String,
    pub health: String,
}
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServiceView {
    pub cluster: String,
    pub name: String,
    pub desired: u32,
    pub running: u32,
    pub pending: u32,
    pub deployments: Vec<DeploymentView>,
}
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeploymentView {
    pub id: String,
    pub status: String,
    pub rollout_state: String,
    pub rollout_state_reason: Option<String>,
    pub task_definition: String,
    pub revision: u32,
    pub desired: u32,
    pub running: u32,
    pub pending: u32,
    pub failed: u32,
}
#[derive(Debug, Clone, PartialEq)]
pub enum TaskExplanation {
    Placed {
        instance_id: String,
        placed_at: u64,
        trace: PlacementTrace,
        approximation: Option<String>,
    },
    Pending {
        summary: String,
        ecs_event: Option<String>,
        checks: Vec<String>,
    },
    Fargate {
        summary: String,
    },
}
#[derive(Debug, Clone, PartialEq)]
pub struct CircuitBreakerView {
    pub failed: u32,
    pub threshold: u32,
    pub formula: String,
}
#[derive(Debug, Clone, PartialEq)]
pub struct DeploymentExplanation {
    pub desired: u32,
    pub minimum_healthy_percent: u32,
    pub maximum_percent: u32,
    pub minimum_healthy_tasks: u32,
    pub maximum_tasks: u32,
    pub healthy: u32,
    pub running_or_pending: u32,
    pub may_stop_now: u32,
    pub may_start_now: u32,
    pub arithmetic: Vec<String>,
    pub circuit_breaker: Option<CircuitBreakerView>,
    pub approximations: Vec<String>,
}

/// TEMPORARY stand-in for the recording.
pub struct Recording;
impl Recording {
    pub fn explain_task(&self, _at: u64, _task_id: &str) -> Option<TaskExplanation> {
        None
    }
    pub fn explain_deployment(
        &self,
        _at: u64,
        _service: &str,
        _deployment_id: &str,
    ) -> Option<DeploymentExplanation> {
        None
    }
}
