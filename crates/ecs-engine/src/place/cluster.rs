//! Container instances and the tasks on them: registered and used resources,
//! reserved ports, attributes, status and agent state.

use serde::{Deserialize, Serialize};

use super::catalogue::{instance_type, InstanceType};
use super::query::QueryContext;
use super::requirements::TaskRequirements;

/// Host ports the ECS agent reserves on every Linux instance: the agent's
/// `ECS_RESERVED_PORTS` default, which is also the `PORTS` resource of
/// AWS's registeredResources example (ecs-semantics A1, A5).
pub const DEFAULT_RESERVED_PORTS: &[u16] = &[22, 2375, 2376, 51678, 51679];

/// "a container instance might have up to 100 reserved ports at a time,
/// including the default reserved ports".
pub const MAX_RESERVED_PORTS: usize = 100;

/// The agent's fallback ephemeral range for dynamic host ports.
pub const DYNAMIC_PORT_RANGE: (u16, u16) = (49153, 65535);

/// The first agent version that frees resources when a task starts stopping
/// ("optimistic release", 2023).
pub const OPTIMISTIC_RELEASE_AGENT: &[u64] = &[1, 73, 0];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum InstanceStatus {
    Active,
    Draining,
    /// Deregistered or terminated: kept so indexes stay stable, never a
    /// candidate.
    Inactive,
}

impl InstanceStatus {
    /// AWS's spelling (`ContainerInstance.status`).
    pub fn as_str(self) -> &'static str {
        match self {
            InstanceStatus::Active => "ACTIVE",
            InstanceStatus::Draining => "DRAINING",
            InstanceStatus::Inactive => "INACTIVE",
        }
    }

    /// The statuses UpdateContainerInstancesState may set.
    pub fn settable(status: &str) -> Option<InstanceStatus> {
        match status {
            "ACTIVE" => Some(InstanceStatus::Active),
            "DRAINING" => Some(InstanceStatus::Draining),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TaskStatus {
    Pending,
    Running,
    Stopping,
}

/// What a placed task holds on its instance, so it can be given back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceClaim {
    pub cpu: u32,
    pub memory: u32,
    pub gpus: u32,
    pub enis: u32,
    pub tcp_ports: Vec<u16>,
    pub udp_ports: Vec<u16>,
    pub dynamic_ports: u32,
}

impl ResourceClaim {
    pub fn of(requirements: &TaskRequirements) -> ResourceClaim {
        ResourceClaim {
            cpu: requirements.cpu,
            memory: requirements.memory,
            gpus: requirements.gpus,
            enis: u32::from(requirements.network_mode == "awsvpc"),
            tcp_ports: requirements.host_ports.clone(),
            udp_ports: requirements.udp_host_ports.clone(),
            dynamic_ports: requirements.dynamic_ports,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlacedTask {
    pub id: u64,
    /// `service:NAME` or `family:NAME` (or a custom group).
    pub group: String,
    pub status: TaskStatus,
    pub claim: ResourceClaim,
    /// Whether the claim is still counted in the instance's used resources.
    pub holds_resources: bool,
}

impl PlacedTask {
    /// Tasks whose desired status is RUNNING: what runningTasksCount, spread
    /// and distinctInstance count.
    pub fn is_live(&self) -> bool {
        self.status != TaskStatus::Stopping
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerInstance {
    pub id: String,
    pub instance_type: String,
    pub availability_zone: String,
    pub registered_cpu: u32,
    pub registered_memory: u32,
    pub used_cpu: u32,
    pub used_memory: u32,
    /// TCP host ports held by tasks (the default reserved ports are implied).
    pub used_ports: Vec<u16>,
    #[serde(default)]
    pub used_udp_ports: Vec<u16>,
    #[serde(default)]
    pub used_dynamic_ports: u32,
    #[serde(default)]
    pub registered_gpus: u32,
    #[serde(default)]
    pub used_gpus: u32,
    /// awsvpc tasks that fit (ENI attachment points available to tasks).
    #[serde(default)]
    pub eni_slots: u32,
    #[serde(default)]
    pub used_enis: u32,
    #[serde(default = "active")]
    pub status: InstanceStatus,
    #[serde(default = "yes")]
    pub agent_connected: bool,
    #[serde(default = "default_agent_version")]
    pub agent_version: String,
    /// Seconds since the Unix epoch.
    #[serde(default)]
    pub registered_at: i64,
    /// The Auto Scaling group capacity provider the instance belongs to.
    #[serde(default)]
    pub capacity_provider: Option<String>,
    /// Built-in and custom attributes, sorted by name.
    #[serde(default)]
    pub attributes: Vec<(String, String)>,
    #[serde(default)]
    pub tasks: Vec<PlacedTask>,
}

fn active() -> InstanceStatus {
    InstanceStatus::Active
}
fn yes() -> bool {
    true
}
fn default_agent_version() -> String {
    "1.87.0".into()
}

impl ContainerInstance {
    /// A fresh ACTIVE instance of a catalogued type, with the built-in
    /// attributes ECS sets at registration. `None` for an unknown type.
    pub fn launch(id: &str, type_name: &str, availability_zone: &str) -> Option<ContainerInstance> {
        let kind = instance_type(type_name)?;
        Some(ContainerInstance::of_type(
            id,
            kind,
            availability_zone,
            false,
        ))
    }

    pub fn of_type(
        id: &str,
        kind: &InstanceType,
        availability_zone: &str,
        eni_trunking: bool,
    ) -> ContainerInstance {
        let suffix = availability_zone.chars().last().unwrap_or('a');
        let mut attributes = vec![
            (
                "ecs.availability-zone".to_string(),
                availability_zone.to_string(),
            ),
            ("ecs.instance-type".into(), kind.name.clone()),
            ("ecs.os-type".into(), "linux".into()),
            ("ecs.os-family".into(), "LINUX".into()),
            ("ecs.cpu-architecture".into(), kind.architecture.clone()),
            (
                "ecs.ami-id".into(),
                format!("ami-0ecs{}", kind.architecture.replace('_', "")),
            ),
            ("ecs.vpc-id".into(), "vpc-0playground".into()),
            (
                "ecs.subnet-id".into(),
                format!("subnet-0playground{suffix}"),
            ),
            ("ecs.capability.task-eni".into(), String::new()),
            (
                "com.amazonaws.ecs.capability.task-iam-role".into(),
                String::new(),
            ),
            (
                "com.amazonaws.ecs.capability.logging-driver.awslogs".into(),
                String::new(),
            ),
            (
                "ecs.capability.execution-role-awslogs".into(),
                String::new(),
            ),
            (
                "ecs.capability.container-health-check".into(),
                String::new(),
            ),
            (
                "com.amazonaws.ecs.capability.docker-remote-api.1.44".into(),
                String::new(),
            ),
        ];
        if kind.gpus > 0 {
            attributes.push(("ecs.capability.gpu-driver-version".into(), "535.0".into()));
        }
        if eni_trunking {
            attributes.push(("ecs.awsvpc-trunk-id".into(), format!("eni-trunk-{id}")));
        }
        crate::order::sort(&mut attributes);
        ContainerInstance {
            id: id.to_string(),
            instance_type: kind.name.clone(),
            availability_zone: availability_zone.to_string(),
            registered_cpu: kind.cpu_units(),
            registered_memory: kind.ecs_memory_mib,
            used_cpu: 0,
            used_memory: 0,
            used_ports: Vec::new(),
            used_udp_ports: Vec::new(),
            used_dynamic_ports: 0,
            registered_gpus: kind.gpus,
            used_gpus: 0,
            eni_slots: kind.awsvpc_task_limit(eni_trunking),
            used_enis: 0,
            status: InstanceStatus::Active,
            agent_connected: true,
            agent_version: default_agent_version(),
            registered_at: 1_700_000_000,
            capacity_provider: None,
            attributes,
            tasks: Vec::new(),
        }
    }

    /// An instance of a type outside the catalogue (RegisterContainerInstance
    /// with its own resources): no GPUs, the ENIs of the smallest types.
    pub fn default_for(id: &str, availability_zone: &str) -> ContainerInstance {
        let mut instance = ContainerInstance::launch(id, "m5.large", availability_zone)
            .unwrap_or_else(|| ContainerInstance {
                id: id.to_string(),
                instance_type: String::new(),
                availability_zone: availability_zone.to_string(),
                registered_cpu: 0,
                registered_memory: 0,
                used_cpu: 0,
                used_memory: 0,
                used_ports: Vec::new(),
                used_udp_ports: Vec::new(),
                used_dynamic_ports: 0,
                registered_gpus: 0,
                used_gpus: 0,
                eni_slots: 1,
                used_enis: 0,
                status: InstanceStatus::Active,
                agent_connected: true,
                agent_version: default_agent_version(),
                registered_at: 0,
                capacity_provider: None,
                attributes: Vec::new(),
                tasks: Vec::new(),
            });
        instance.registered_gpus = 0;
        instance
    }

    pub fn free_cpu(&self) -> u32 {
        self.registered_cpu.saturating_sub(self.used_cpu)
    }

    pub fn free_memory(&self) -> u32 {
        self.registered_memory.saturating_sub(self.used_memory)
    }

    pub fn free_gpus(&self) -> u32 {
        self.registered_gpus.saturating_sub(self.used_gpus)
    }

    pub fn free_enis(&self) -> u32 {
        self.eni_slots.saturating_sub(self.used_enis)
    }

    /// Reserved TCP ports: the defaults plus those tasks hold.
    pub fn reserved_port_count(&self) -> usize {
        DEFAULT_RESERVED_PORTS.len() + self.used_ports.len() + self.used_udp_ports.len()
    }

    pub fn tcp_port_taken(&self, port: u16) -> bool {
        DEFAULT_RESERVED_PORTS.contains(&port) || self.used_ports.contains(&port)
    }

    pub fn udp_port_taken(&self, port: u16) -> bool {
        self.used_udp_ports.contains(&port)
    }

    pub fn free_dynamic_ports(&self) -> u32 {
        let (low, high) = DYNAMIC_PORT_RANGE;
        (u32::from(high) - u32::from(low) + 1).saturating_sub(self.used_dynamic_ports)
    }

    pub fn set_attribute(&mut self, name: &str, value: &str) {
        match self
            .attributes
            .binary_search_by(|(k, _)| k.as_str().cmp(name))
        {
            Ok(at) => {
                if let Some(slot) = self.attributes.get_mut(at) {
                    slot.1 = value.to_string();
                }
            }
            Err(at) => self
                .attributes
                .insert(at, (name.to_string(), value.to_string())),
        }
    }

    pub fn attribute_value(&self, name: &str) -> Option<&str> {
        self.attributes
            .binary_search_by(|(k, _)| k.as_str().cmp(name))
            .ok()
            .and_then(|at| self.attributes.get(at))
            .map(|(_, v)| v.as_str())
    }

    /// Live tasks of `group` on this instance.
    pub fn group_count(&self, group: &str) -> u32 {
        self.tasks
            .iter()
            .filter(|t| t.is_live() && t.group == group)
            .count() as u32
    }

    fn hold(&mut self, claim: &ResourceClaim) {
        self.used_cpu = self.used_cpu.saturating_add(claim.cpu);
        self.used_memory = self.used_memory.saturating_add(claim.memory);
        self.used_gpus = self.used_gpus.saturating_add(claim.gpus);
        self.used_enis = self.used_enis.saturating_add(claim.enis);
        self.used_ports.extend(&claim.tcp_ports);
        self.used_udp_ports.extend(&claim.udp_ports);
        self.used_dynamic_ports = self.used_dynamic_ports.saturating_add(claim.dynamic_ports);
    }

    fn release(&mut self, claim: &ResourceClaim) {
        self.used_cpu = self.used_cpu.saturating_sub(claim.cpu);
        self.used_memory = self.used_memory.saturating_sub(claim.memory);
        self.used_gpus = self.used_gpus.saturating_sub(claim.gpus);
        self.used_enis = self.used_enis.saturating_sub(claim.enis);
        for port in &claim.tcp_ports {
            if let Some(at) = self.used_ports.iter().position(|p| p == port) {
                self.used_ports.swap_remove(at);
            }
        }
        for port in &claim.udp_ports {
            if let Some(at) = self.used_udp_ports.iter().position(|p| p == port) {
                self.used_udp_ports.swap_remove(at);
            }
        }
        self.used_dynamic_ports = self.used_dynamic_ports.saturating_sub(claim.dynamic_ports);
    }

    /// The task moves to STOPPING. With agent 1.73.0 or later ECS counts its
    /// resources as free at once (optimistic release, ecs-semantics A1);
    /// older agents hold them until STOPPED.
    pub fn begin_stopping(&mut self, task: u64) -> bool {
        let optimistic = self.releases_optimistically();
        let Some(t) = self.tasks.iter_mut().find(|t| t.id == task) else {
            return false;
        };
        t.status = TaskStatus::Stopping;
        let release = optimistic && t.holds_resources;
        if release {
            t.holds_resources = false;
            let claim = t.claim.clone();
            self.release(&claim);
        }
        true
    }

    /// The task is STOPPED: it leaves the instance and frees what it held.
    pub fn finish_stopped(&mut self, task: u64) -> bool {
        let Some(at) = self.tasks.iter().position(|t| t.id == task) else {
            return false;
        };
        let removed = self.tasks.remove(at);
        if removed.holds_resources {
            self.release(&removed.claim);
        }
        true
    }

    /// Whether this agent frees resources at STOPPING rather than STOPPED.
    pub fn releases_optimistically(&self) -> bool {
        super::query::version_at_least(&self.agent_version, OPTIMISTIC_RELEASE_AGENT)
    }
}

impl QueryContext for ContainerInstance {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attribute_value(name)
    }
    fn ec2_instance_id(&self) -> Option<&str> {
        Some(&self.id)
    }
    fn agent_connected(&self) -> bool {
        self.agent_connected
    }
    fn agent_version(&self) -> &str {
        &self.agent_version
    }
    fn registered_at(&self) -> i64 {
        self.registered_at
    }
    fn running_tasks_count(&self) -> u32 {
        self.tasks.iter().filter(|t| t.is_live()).count() as u32
    }
    fn any_task_group(&self, test: &mut dyn FnMut(&str) -> bool) -> bool {
        self.tasks
            .iter()
            .filter(|t| t.is_live())
            .any(|t| test(&t.group))
    }
}

/// The container instances of one cluster and the tasks placed on them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cluster {
    pub instances: Vec<ContainerInstance>,
    #[serde(default)]
    pub next_task_id: u64,
}

impl Cluster {
    pub fn new(instances: Vec<ContainerInstance>) -> Cluster {
        let next_task_id = instances
            .iter()
            .flat_map(|i| i.tasks.iter().map(|t| t.id + 1))
            .max()
            .unwrap_or(1);
        Cluster {
            instances,
            next_task_id,
        }
    }

    /// Starts a task on instance `at` (PENDING), holding its resources.
    /// Returns the task id, or `None` for an index out of range.
    pub fn start_task(
        &mut self,
        at: usize,
        group: &str,
        requirements: &TaskRequirements,
    ) -> Option<u64> {
        let id = self.next_task_id;
        self.instances.get(at)?;
        self.start_task_as(at, id, group, requirements)
    }

    /// Starts task `id` on instance `at`; the next automatic id follows it.
    pub fn start_task_as(
        &mut self,
        at: usize,
        id: u64,
        group: &str,
        requirements: &TaskRequirements,
    ) -> Option<u64> {
        let instance = self.instances.get_mut(at)?;
        let claim = ResourceClaim::of(requirements);
        instance.hold(&claim);
        instance.tasks.push(PlacedTask {
            id,
            group: group.to_string(),
            status: TaskStatus::Pending,
            claim,
            holds_resources: true,
        });
        self.next_task_id = id.wrapping_add(1);
        Some(id)
    }

    fn find_task(&mut self, task: u64) -> Option<(&mut ContainerInstance, usize)> {
        self.instances.iter_mut().find_map(|instance| {
            let at = instance.tasks.iter().position(|t| t.id == task)?;
            Some((instance, at))
        })
    }

    /// [`Cluster::begin_stopping`] when the instance is known: no search.
    pub fn begin_stopping_on(&mut self, at: usize, task: u64) -> bool {
        let Some(instance) = self.instances.get_mut(at) else {
            return false;
        };
        instance.begin_stopping(task)
    }

    /// [`Cluster::finish_stopped`] when the instance is known: no search.
    pub fn finish_stopped_on(&mut self, at: usize, task: u64) -> bool {
        let Some(instance) = self.instances.get_mut(at) else {
            return false;
        };
        instance.finish_stopped(task)
    }

    /// The task moves to STOPPING. With agent 1.73.0 or later ECS counts its
    /// resources as free at once (optimistic release); older agents hold them
    /// until STOPPED.
    pub fn begin_stopping(&mut self, task: u64) -> bool {
        let Some((instance, _)) = self.find_task(task) else {
            return false;
        };
        instance.begin_stopping(task)
    }

    /// The task is STOPPED: it leaves the instance and frees what it held.
    pub fn finish_stopped(&mut self, task: u64) -> bool {
        let Some((instance, _)) = self.find_task(task) else {
            return false;
        };
        instance.finish_stopped(task)
    }
}
