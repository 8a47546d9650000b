//! One frame of the cluster map: what the account looks like at one virtual
//! time, grouped the way the map draws it (cluster, Availability Zone,
//! capacity provider, instance, task).

use std::collections::BTreeMap;

use serde::Serialize;

use super::super::state::{
    ClusterStatus, DeploymentStatus, DesiredStatus, HealthStatus, RolloutState, ServiceStatus,
    Task, TaskStatus,
};
use super::super::Ecs;
use crate::place::InstanceStatus;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Frame {
    pub at: u64,
    pub clusters: Vec<ClusterView>,
    pub services: Vec<ServiceView>,
    /// Live EC2 tasks without an instance yet (waiting for capacity).
    pub unplaced: Vec<TaskCell>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterView {
    pub name: String,
    pub zones: Vec<ZoneView>,
    /// CloudWatch's CPUReservation: reserved over registered CPU of ACTIVE
    /// and DRAINING instances, in percent (0 without instances).
    pub reserved_cpu_percent: f64,
    pub reserved_memory_percent: f64,
}

impl ClusterView {
    /// Gives each instance its short id, one form for the whole cluster.
    pub(crate) fn with_short_ids(mut self) -> ClusterView {
        let instances = || {
            self.zones
                .iter()
                .flat_map(|z| z.groups.iter())
                .flat_map(|g| g.instances.iter())
        };
        let form = crate::console::ShortIds::for_cluster(instances().map(|i| i.id.as_str()));
        for instance in self
            .zones
            .iter_mut()
            .flat_map(|z| z.groups.iter_mut())
            .flat_map(|g| g.instances.iter_mut())
        {
            instance.short_id = form.show(&instance.id).to_string();
        }
        self
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ZoneView {
    pub availability_zone: String,
    /// By capacity provider: instances without one first, then by name.
    pub groups: Vec<InstanceGroupView>,
    pub fargate: Vec<TaskCell>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceGroupView {
    pub capacity_provider: Option<String>,
    /// In registration order.
    pub instances: Vec<InstanceView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceView {
    pub id: String,
    /// The id as every view shows it (`console::ShortIds` over the cluster's
    /// instances in this frame); the full id goes in a tooltip.
    pub short_id: String,
    pub instance_type: String,
    pub status: InstanceStatus,
    pub agent_connected: bool,
    pub cpu: u32,
    pub memory: u32,
    pub reserved_cpu: u32,
    pub reserved_memory: u32,
    /// Live tasks, oldest first.
    pub tasks: Vec<TaskCell>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskCell {
    pub id: String,
    pub service: Option<String>,
    /// The service's position in the account (a stable colour key);
    /// [`NO_SERVICE`] for standalone tasks.
    pub service_index: u32,
    pub deployment_id: Option<String>,
    /// The task definition's revision (a shade key).
    pub revision: Option<u32>,
    pub last_status: TaskStatus,
    pub desired_status: DesiredStatus,
    pub health: HealthStatus,
}

/// `service_index` of a standalone task.
pub const NO_SERVICE: u32 = u32::MAX;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceView {
    pub cluster: String,
    pub name: String,
    pub status: ServiceStatus,
    pub service_index: u32,
    pub desired: u32,
    /// As DescribeServices counts them.
    pub running: u32,
    pub pending: u32,
    /// Newest first, INACTIVE ones left out (as DescribeServices).
    pub deployments: Vec<DeploymentView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentView {
    pub id: String,
    pub status: DeploymentStatus,
    pub rollout_state: RolloutState,
    pub rollout_state_reason: Option<String>,
    pub task_definition: String,
    pub revision: u32,
    pub desired: u32,
    pub running: u32,
    pub pending: u32,
    pub failed: u32,
}

/// The revision at the end of a task-definition ARN or `family:revision`.
pub fn revision_of(task_definition: &str) -> Option<u32> {
    crate::arn::task_definition_revision(task_definition)
}

pub(crate) fn task_cell(ecs: &Ecs, task: &Task) -> TaskCell {
    let service = task.service.and_then(|si| ecs.state.services.get(si));
    TaskCell {
        id: task.id.clone(),
        service: service.map(|s| s.name.clone()),
        service_index: task.service.map_or(NO_SERVICE, |si| si as u32),
        deployment_id: task.deployment.clone(),
        revision: revision_of(&task.task_definition),
        last_status: task.last_status,
        desired_status: task.desired_status,
        health: task.health_status,
    }
}

/// Percent of `used` in `total`, 0 when there is nothing.
pub(crate) fn percent(used: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        used as f64 * 100.0 / total as f64
    }
}

/// Instances counted by CloudWatch's reservation metrics.
pub(crate) fn counts_for_reservation(status: crate::place::InstanceStatus) -> bool {
    status != crate::place::InstanceStatus::Inactive
}

impl Frame {
    /// Every live task of the frame: on instances, on Fargate, then those
    /// waiting for an instance.
    pub fn task_cells(&self) -> impl Iterator<Item = &TaskCell> {
        self.clusters
            .iter()
            .flat_map(|c| c.zones.iter())
            .flat_map(|z| {
                z.groups
                    .iter()
                    .flat_map(|g| g.instances.iter())
                    .flat_map(|i| i.tasks.iter())
                    .chain(z.fargate.iter())
            })
            .chain(self.unplaced.iter())
    }

    /// The frame of the simulation as it is now: the reference every faster
    /// reconstruction is tested against.
    pub fn of_ecs(ecs: &Ecs) -> Frame {
        let state = &ecs.state;
        let mut clusters = Vec::new();
        for (ci, cluster) in state.clusters.iter().enumerate() {
            if cluster.status == ClusterStatus::Inactive {
                continue;
            }
            type Zone = (BTreeMap<Option<String>, Vec<InstanceView>>, Vec<TaskCell>);
            let mut zones: BTreeMap<String, Zone> = BTreeMap::new();
            let (mut cpu, mut memory, mut used_cpu, mut used_memory) = (0u64, 0u64, 0u64, 0u64);
            for (index, instance) in state
                .instances
                .iter()
                .enumerate()
                .filter(|(_, i)| i.cluster == ci && !i.terminated)
            {
                let (reserved_cpu, reserved_memory) = state
                    .host(index)
                    .map_or((0, 0), |h| (h.used_cpu, h.used_memory));
                if counts_for_reservation(instance.status) {
                    cpu += u64::from(instance.cpu);
                    memory += u64::from(instance.memory);
                    used_cpu += u64::from(reserved_cpu);
                    used_memory += u64::from(reserved_memory);
                }
                let tasks = instance
                    .tasks
                    .iter()
                    .filter_map(|seq| state.tasks.get(seq))
                    .map(|t| task_cell(ecs, t))
                    .collect();
                zones
                    .entry(instance.availability_zone.clone())
                    .or_default()
                    .0
                    .entry(instance.capacity_provider.clone())
                    .or_default()
                    .push(InstanceView {
                        id: instance.id.clone(),
                        short_id: String::new(),
                        instance_type: instance.instance_type.clone(),
                        status: instance.status,
                        agent_connected: instance.agent_connected,
                        cpu: instance.cpu,
                        memory: instance.memory,
                        reserved_cpu,
                        reserved_memory,
                        tasks,
                    });
            }
            for task in state
                .tasks
                .values()
                .filter(|t| t.cluster == ci && t.is_live() && t.instance.is_none())
                .filter(|t| t.launch_type == "FARGATE")
            {
                zones
                    .entry(ecs.fargate_zone(task.seq))
                    .or_default()
                    .1
                    .push(task_cell(ecs, task));
            }
            clusters.push(
                ClusterView {
                    name: cluster.name.clone(),
                    zones: zones
                        .into_iter()
                        .map(|(availability_zone, (groups, fargate))| ZoneView {
                            availability_zone,
                            groups: groups
                                .into_iter()
                                .map(|(capacity_provider, instances)| InstanceGroupView {
                                    capacity_provider,
                                    instances,
                                })
                                .collect(),
                            fargate,
                        })
                        .collect(),
                    reserved_cpu_percent: percent(used_cpu, cpu),
                    reserved_memory_percent: percent(used_memory, memory),
                }
                .with_short_ids(),
            );
        }
        let unplaced = state
            .tasks
            .values()
            .filter(|t| t.is_live() && t.instance.is_none() && t.launch_type != "FARGATE")
            .filter(|t| {
                state
                    .clusters
                    .get(t.cluster)
                    .is_some_and(|c| c.status != ClusterStatus::Inactive)
            })
            .map(|t| task_cell(ecs, t))
            .collect();
        let services = (0..state.services.len())
            .filter_map(|si| service_view(ecs, si))
            .collect();
        Frame {
            at: ecs.now,
            clusters,
            services,
            unplaced,
        }
    }
}

/// A service as DescribeServices counts it; `None` when its cluster is gone.
pub(crate) fn service_view(ecs: &Ecs, si: usize) -> Option<ServiceView> {
    let state = &ecs.state;
    let s = state.services.get(si)?;
    let cluster = state.clusters.get(s.cluster)?;
    if cluster.status == ClusterStatus::Inactive {
        return None;
    }
    let tasks: Vec<&Task> = s.tasks.iter().filter_map(|q| state.tasks.get(q)).collect();
    let deployments = s
        .deployments
        .iter()
        .rev()
        .filter(|d| d.status != DeploymentStatus::Inactive)
        .map(|d| {
            let mine: Vec<&&Task> = tasks
                .iter()
                .filter(|t| t.deployment.as_deref() == Some(d.id.as_str()))
                .collect();
            let desired = if d.status == DeploymentStatus::Primary {
                s.desired_count
            } else {
                mine.iter().filter(|t| t.is_wanted()).count() as u32
            };
            DeploymentView {
                id: d.id.clone(),
                status: d.status,
                rollout_state: d.rollout_state,
                rollout_state_reason: Some(d.rollout_state_reason.clone())
                    .filter(|r| !r.is_empty()),
                task_definition: d.task_definition.clone(),
                revision: revision_of(&d.task_definition).unwrap_or(0),
                desired,
                running: mine.iter().filter(|t| is_running(t)).count() as u32,
                pending: mine.iter().filter(|t| is_pending(t)).count() as u32,
                failed: d.failed_tasks,
            }
        })
        .collect();
    Some(ServiceView {
        cluster: cluster.name.clone(),
        name: s.name.clone(),
        status: s.status,
        service_index: si as u32,
        desired: s.desired_count,
        running: tasks.iter().filter(|t| is_running(t)).count() as u32,
        pending: tasks.iter().filter(|t| is_pending(t)).count() as u32,
        deployments,
    })
}

/// RUNNING, as DescribeServices counts `runningCount`.
pub(crate) fn is_running(t: &Task) -> bool {
    t.last_status == TaskStatus::Running
}

/// Wanted and not yet RUNNING, as DescribeServices counts `pendingCount`.
pub(crate) fn is_pending(t: &Task) -> bool {
    t.is_wanted() && t.last_status.is_starting()
}
