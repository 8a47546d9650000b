//! The compact delta log behind [`super::Recording::frame_at`].
//!
//! What a frame shows of a task (lastStatus, desiredStatus, health, its
//! instance) and of an instance (status, agent, reserved CPU and memory,
//! whether it is registered) is kept as small fixed-size records: one
//! [`Delta`] each time a task or instance changes, with the time. Names and
//! other fixed facts (ids, service, deployment, revision, type, zone) are
//! stored once per task or instance; repeated strings (statuses, health) are
//! interned. Every [`CHECKPOINT_INTERVAL`] deltas a checkpoint keeps the
//! live tasks and registered instances as such records, so a frame at any
//! time starts from the checkpoint before it and applies at most that many
//! deltas. Services and clusters, being few, are kept as whole views each
//! time one changes. Memory grows with the number of changes (about 32 bytes
//! each) plus the checkpoints, never with copies of the account.
//!
//! The simulator tells the log which tasks and instances changed
//! ([`super::Touched`]); the log reads only those.

use crate::place::InstanceStatus;
use std::collections::{BTreeMap, HashMap};

use super::super::state::{
    ClusterStatus, DeploymentStatus, DesiredStatus, HealthStatus, Task, TaskStatus,
};
use super::super::Ecs;
use super::frame::{
    counts_for_reservation, percent, revision_of, ClusterView, Frame, InstanceGroupView,
    InstanceView, ServiceView, TaskCell, ZoneView, NO_SERVICE,
};

/// Deltas between checkpoints.
pub(crate) const CHECKPOINT_INTERVAL: usize = 16_384;

/// What never changes about a task.
#[derive(Debug, Clone)]
struct TaskFacts {
    id: String,
    cluster: u32,
    service: u32,
    service_name: Option<String>,
    revision: Option<u32>,
    fargate: bool,
    /// The Fargate task's zone.
    zone: Option<String>,
}

/// What a frame shows of a task that can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TaskState {
    last_status: TaskStatus,
    desired: DesiredStatus,
    health: HealthStatus,
    instance: u32,
    /// Interned deployment id ([`NO_NAME`] for none): a rollback adopts tasks.
    deployment: u16,
}

const NO_NAME: u16 = u16::MAX;

const NO_INSTANCE: u32 = u32::MAX;

#[derive(Debug, Clone)]
struct InstanceFacts {
    id: String,
    instance_type: String,
    zone: String,
    capacity_provider: Option<String>,
    cluster: u32,
    cpu: u32,
    memory: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct InstanceState {
    registered: bool,
    status: InstanceStatus,
    agent_connected: bool,
    reserved_cpu: u32,
    reserved_memory: u32,
}

#[derive(Debug, Clone, Copy)]
enum Change {
    Task(u32, TaskState),
    Instance(u32, InstanceState),
}

#[derive(Debug, Clone, Copy)]
struct Delta {
    at: u64,
    change: Change,
}

/// Live tasks and registered instances after `deltas` deltas.
#[derive(Debug, Clone)]
struct Checkpoint {
    deltas: usize,
    tasks: Vec<(u32, TaskState)>,
    instances: Vec<(u32, InstanceState)>,
}

/// A task's whereabouts at one time, read from the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TaskWhere {
    /// When the task was placed on its instance (when it was created, for a
    /// task not on one, or placed at once).
    pub placed_at: u64,
    pub on_instance: bool,
}

/// Running, pending and wanted tasks of one deployment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub running: u32,
    pub pending: u32,
    pub wanted: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct FrameLog {
    /// Deltas between checkpoints.
    interval: usize,
    names: Vec<String>,
    name_index: HashMap<String, u16>,
    tasks: Vec<TaskFacts>,
    task_index: HashMap<u64, u32>,
    /// By task id: its index.
    task_by_id: HashMap<String, u32>,
    /// By task index: the positions of its deltas, oldest first.
    task_deltas: Vec<Vec<u32>>,
    instances: Vec<InstanceFacts>,
    current_tasks: Vec<Option<TaskState>>,
    current_instances: Vec<InstanceState>,
    deltas: Vec<Delta>,
    checkpoints: Vec<Checkpoint>,
    /// Whole views of the services each time one changed.
    services: Vec<(u64, Vec<ServiceView>)>,
    /// (index, name) of the clusters not INACTIVE, each time that changed.
    clusters: Vec<(u64, Vec<(u32, String)>)>,
    /// By (service, deployment id): counted as DescribeServices counts.
    counts: HashMap<(u32, String), Counts>,
    /// By service: all its tasks, whatever their deployment.
    service_counts: HashMap<u32, Counts>,
    /// By cluster: (registered cpu, memory, reserved cpu, memory) of ACTIVE and DRAINING instances.
    reservation: BTreeMap<u32, [u64; 4]>,
    /// Instance indexes in map order: cluster, zone, capacity provider, registration.
    layout: Vec<u32>,
}

impl FrameLog {
    pub(crate) fn new(interval: usize) -> FrameLog {
        FrameLog {
            interval: interval.max(1),
            names: Vec::new(),
            name_index: HashMap::new(),
            tasks: Vec::new(),
            task_index: HashMap::new(),
            task_by_id: HashMap::new(),
            task_deltas: Vec::new(),
            instances: Vec::new(),
            current_tasks: Vec::new(),
            current_instances: Vec::new(),
            deltas: Vec::new(),
            checkpoints: Vec::new(),
            services: Vec::new(),
            clusters: Vec::new(),
            counts: HashMap::new(),
            service_counts: HashMap::new(),
            reservation: BTreeMap::new(),
            layout: Vec::new(),
        }
    }

    fn intern(&mut self, name: &str) -> u16 {
        if let Some(&k) = self.name_index.get(name) {
            return k;
        }
        // The last code stands for "none"; a run never needs that many names.
        let k = self.names.len().min(usize::from(NO_NAME - 1)) as u16;
        self.names.push(name.to_string());
        self.name_index.insert(name.to_string(), k);
        k
    }

    fn name(&self, k: u16) -> String {
        self.names.get(usize::from(k)).cloned().unwrap_or_default()
    }

    /// Reads what changed since the last look. `touched` comes from the simulator.
    pub(crate) fn observe(&mut self, ecs: &Ecs, mut tasks: Vec<u64>, instances: Vec<usize>) {
        let at = ecs.now;
        // Clusters: few, compared whole.
        let clusters: Vec<(u32, String)> = ecs
            .state
            .clusters
            .iter()
            .enumerate()
            .filter(|(_, c)| c.status != ClusterStatus::Inactive)
            .map(|(k, c)| (k as u32, c.name.clone()))
            .collect();
        if self.clusters.last().map(|(_, c)| c) != Some(&clusters) {
            self.clusters.push((at, clusters));
        }
        // New instances register; their index is their position.
        let mut touched_instances = instances;
        for k in self.instances.len()..ecs.state.instances.len() {
            if let Some(i) = ecs.state.instances.get(k) {
                self.instances.push(InstanceFacts {
                    id: i.id.clone(),
                    instance_type: i.instance_type.clone(),
                    zone: i.availability_zone.clone(),
                    capacity_provider: i.capacity_provider.clone(),
                    cluster: i.cluster as u32,
                    cpu: i.cpu,
                    memory: i.memory,
                });
                self.current_instances.push(InstanceState {
                    registered: false,
                    status: InstanceStatus::Inactive,
                    agent_connected: false,
                    reserved_cpu: 0,
                    reserved_memory: 0,
                });
                touched_instances.push(k);
            }
        }
        // Tasks, new ones in creation order so index order is sequence order.
        tasks.sort_unstable();
        tasks.dedup();
        for seq in tasks {
            let Some(task) = ecs.state.tasks.get(&seq) else {
                continue;
            };
            let index = match self.task_index.get(&seq) {
                Some(&k) => k,
                None => self.add_task(ecs, task),
            };
            let state = self.task_state(task);
            let before = self.current_tasks.get(index as usize).copied().flatten();
            if before != Some(state) {
                self.count(index, before, -1);
                self.count(index, Some(state), 1);
                if let Some(slot) = self.current_tasks.get_mut(index as usize) {
                    *slot = Some(state);
                }
                if let Some(list) = self.task_deltas.get_mut(index as usize) {
                    list.push(self.deltas.len() as u32);
                }
                self.deltas.push(Delta {
                    at,
                    change: Change::Task(index, state),
                });
            }
            if let Some(instance) = task.instance {
                touched_instances.push(instance);
            }
        }
        touched_instances.sort_unstable();
        touched_instances.dedup();
        for k in touched_instances {
            let Some(i) = ecs.state.instances.get(k) else {
                continue;
            };
            let status = i.status;
            let (reserved_cpu, reserved_memory) = ecs
                .state
                .host(k)
                .map_or((0, 0), |h| (h.used_cpu, h.used_memory));
            let state = InstanceState {
                registered: !i.terminated,
                status,
                agent_connected: i.agent_connected,
                reserved_cpu,
                reserved_memory,
            };
            let before = self.current_instances.get(k).copied();
            if before != Some(state) {
                if let Some(before) = before {
                    self.reserve(k, before, false);
                }
                self.reserve(k, state, true);
                if let Some(slot) = self.current_instances.get_mut(k) {
                    *slot = state;
                }
                self.deltas.push(Delta {
                    at,
                    change: Change::Instance(k as u32, state),
                });
            }
        }
        let services = self.service_views(ecs);
        if self.services.last().map(|(_, s)| s) != Some(&services) {
            self.services.push((at, services));
        }
        let since = self.checkpoints.last().map_or(0, |c| c.deltas);
        if self.deltas.len() - since >= self.interval {
            self.checkpoint();
        }
    }

    fn add_task(&mut self, ecs: &Ecs, task: &Task) -> u32 {
        let index = self.tasks.len() as u32;
        let fargate = task.launch_type == "FARGATE";
        self.tasks.push(TaskFacts {
            id: task.id.clone(),
            cluster: task.cluster as u32,
            service: task.service.map_or(NO_SERVICE, |s| s as u32),
            service_name: task
                .service
                .and_then(|si| ecs.state.services.get(si))
                .map(|s| s.name.clone()),
            revision: revision_of(&task.task_definition),
            fargate,
            zone: fargate.then(|| ecs.fargate_zone(task.seq)),
        });
        self.current_tasks.push(None);
        self.task_deltas.push(Vec::new());
        self.task_index.insert(task.seq, index);
        self.task_by_id.insert(task.id.clone(), index);
        index
    }

    fn task_state(&mut self, task: &Task) -> TaskState {
        TaskState {
            last_status: task.last_status,
            desired: task.desired_status,
            health: task.health_status,
            instance: task.instance.map_or(NO_INSTANCE, |i| i as u32),
            deployment: task
                .deployment
                .as_deref()
                .map_or(NO_NAME, |d| self.intern(d)),
        }
    }

    /// Adds (`sign` 1) or removes (-1) a task's share of its deployment's counts.
    fn count(&mut self, index: u32, state: Option<TaskState>, sign: i64) {
        let (Some(state), Some(facts)) = (state, self.tasks.get(index as usize)) else {
            return;
        };
        if facts.service == NO_SERVICE {
            return;
        }
        let wanted =
            state.desired == DesiredStatus::Running && state.last_status != TaskStatus::Stopped;
        let running = state.last_status == TaskStatus::Running;
        let pending = wanted && state.last_status.is_starting();
        let apply = |entry: &mut Counts| {
            for (value, on) in [
                (&mut entry.running, running),
                (&mut entry.pending, pending),
                (&mut entry.wanted, wanted),
            ] {
                if on {
                    *value = (i64::from(*value) + sign).max(0) as u32;
                }
            }
        };
        apply(self.service_counts.entry(facts.service).or_default());
        if let Some(deployment) = self.names.get(usize::from(state.deployment)) {
            let key = (facts.service, deployment.clone());
            apply(self.counts.entry(key).or_default());
        }
    }

    fn reserve(&mut self, k: usize, state: InstanceState, add: bool) {
        let Some(facts) = self.instances.get(k) else {
            return;
        };
        let counted = state.registered && counts_for_reservation(state.status);
        if !counted {
            return;
        }
        let values = [
            u64::from(facts.cpu),
            u64::from(facts.memory),
            u64::from(state.reserved_cpu),
            u64::from(state.reserved_memory),
        ];
        let totals = self.reservation.entry(facts.cluster).or_default();
        for (total, value) in totals.iter_mut().zip(values) {
            *total = if add {
                total.saturating_add(value)
            } else {
                total.saturating_sub(value)
            };
        }
    }

    /// The deployment's counts now.
    pub(crate) fn counts(&self, service: usize, deployment: &str) -> Counts {
        self.counts
            .get(&(service as u32, deployment.to_string()))
            .copied()
            .unwrap_or_default()
    }

    /// CPU and memory reservation of a cluster now, in percent.
    pub(crate) fn reservation(&self, cluster: usize) -> (f64, f64) {
        let [cpu, memory, used_cpu, used_memory] = self
            .reservation
            .get(&(cluster as u32))
            .copied()
            .unwrap_or_default();
        (percent(used_cpu, cpu), percent(used_memory, memory))
    }

    fn service_views(&self, ecs: &Ecs) -> Vec<ServiceView> {
        let mut out = Vec::new();
        for (si, s) in ecs.state.services.iter().enumerate() {
            let Some(cluster) = ecs.state.clusters.get(s.cluster) else {
                continue;
            };
            if cluster.status == ClusterStatus::Inactive {
                continue;
            }
            let all = self
                .service_counts
                .get(&(si as u32))
                .copied()
                .unwrap_or_default();
            let mut deployments = Vec::new();
            for d in s
                .deployments
                .iter()
                .rev()
                .filter(|d| d.status != DeploymentStatus::Inactive)
            {
                let c = self.counts(si, &d.id);
                deployments.push(super::frame::DeploymentView {
                    id: d.id.clone(),
                    status: d.status,
                    rollout_state: d.rollout_state,
                    rollout_state_reason: Some(d.rollout_state_reason.clone())
                        .filter(|r| !r.is_empty()),
                    task_definition: d.task_definition.clone(),
                    revision: revision_of(&d.task_definition).unwrap_or(0),
                    desired: if d.status == DeploymentStatus::Primary {
                        s.desired_count
                    } else {
                        c.wanted
                    },
                    running: c.running,
                    pending: c.pending,
                    failed: d.failed_tasks,
                });
            }
            out.push(ServiceView {
                cluster: cluster.name.clone(),
                name: s.name.clone(),
                status: s.status,
                service_index: si as u32,
                desired: s.desired_count,
                running: all.running,
                pending: all.pending,
                deployments,
            });
        }
        out
    }

    fn checkpoint(&mut self) {
        let tasks = self
            .current_tasks
            .iter()
            .enumerate()
            .filter_map(|(k, s)| {
                s.filter(|s| s.last_status != TaskStatus::Stopped)
                    .map(|s| (k as u32, s))
            })
            .collect();
        let instances = self
            .current_instances
            .iter()
            .enumerate()
            .filter(|(_, s)| s.registered)
            .map(|(k, s)| (k as u32, *s))
            .collect();
        self.checkpoints.push(Checkpoint {
            deltas: self.deltas.len(),
            tasks,
            instances,
        });
    }

    /// Where the task is at `at`: `None` before it exists; else when it was
    /// placed, whether it is on an instance, and whether it is still live.
    pub(crate) fn task_at(&self, at: u64, id: &str) -> Option<TaskWhere> {
        let index = *self.task_by_id.get(super::super::state::short_name(id))?;
        let list = self.task_deltas.get(index as usize)?;
        let delta = |k: &u32| self.deltas.get(*k as usize);
        let created_at = list.first().and_then(delta)?.at;
        // A task that waited for capacity was placed later than created.
        let placed_at = list
            .iter()
            .filter_map(delta)
            .take_while(|d| d.at <= at)
            .find(|d| matches!(d.change, Change::Task(_, state) if state.instance != NO_INSTANCE))
            .map_or(created_at, |d| d.at);
        let last = list
            .iter()
            .filter_map(delta)
            .take_while(|d| d.at <= at)
            .last()?;
        let Change::Task(_, state) = last.change else {
            return None;
        };
        Some(TaskWhere {
            placed_at,
            on_instance: state.instance != NO_INSTANCE,
        })
    }

    /// Orders the instances as the map groups them, once, after the run.
    pub(crate) fn finish(&mut self) {
        let mut order: Vec<u32> = (0..self.instances.len() as u32).collect();
        let key = |k: &u32| {
            self.instances
                .get(*k as usize)
                .map(|f| (f.cluster, f.zone.as_str(), f.capacity_provider.as_deref()))
        };
        order.sort_by(|a, b| (key(a), *a).cmp(&(key(b), *b)));
        self.layout = order;
    }

    /// Deltas and checkpoints held, and roughly the bytes of the changes,
    /// checkpoints and per-task indexes (for the benchmark's memory figure).
    pub(crate) fn sizes(&self) -> (usize, usize, usize) {
        use std::mem::size_of;
        let checkpoints: usize = self
            .checkpoints
            .iter()
            .map(|c| {
                c.tasks.len() * size_of::<(u32, TaskState)>()
                    + c.instances.len() * size_of::<(u32, InstanceState)>()
            })
            .sum();
        let per_task: usize = self
            .task_deltas
            .iter()
            .map(|d| size_of::<Vec<u32>>() + d.capacity() * size_of::<u32>())
            .sum();
        let bytes = self.deltas.capacity() * size_of::<Delta>() + checkpoints + per_task;
        (self.deltas.len(), self.checkpoints.len(), bytes)
    }

    /// The frame at `at`: the last checkpoint before it, then the deltas up to it.
    pub(crate) fn frame_at(&self, at: u64) -> Frame {
        let end = self.deltas.partition_point(|d| d.at <= at);
        let checkpoint = self.checkpoints.iter().rev().find(|c| c.deltas <= end);
        let mut tasks: Vec<Option<TaskState>> = vec![None; self.tasks.len()];
        let mut instances: Vec<Option<InstanceState>> = vec![None; self.instances.len()];
        let start = match checkpoint {
            Some(c) => {
                for (k, s) in &c.tasks {
                    if let Some(slot) = tasks.get_mut(*k as usize) {
                        *slot = Some(*s);
                    }
                }
                for (k, s) in &c.instances {
                    if let Some(slot) = instances.get_mut(*k as usize) {
                        *slot = Some(*s);
                    }
                }
                c.deltas
            }
            None => 0,
        };
        for delta in self.deltas.get(start..end).unwrap_or_default() {
            match delta.change {
                Change::Task(k, s) => {
                    if let Some(slot) = tasks.get_mut(k as usize) {
                        *slot = Some(s);
                    }
                }
                Change::Instance(k, s) => {
                    if let Some(slot) = instances.get_mut(k as usize) {
                        *slot = Some(s);
                    }
                }
            }
        }
        self.build(at, &tasks, &instances)
    }

    fn cell(&self, k: usize, s: &TaskState) -> Option<TaskCell> {
        let facts = self.tasks.get(k)?;
        Some(TaskCell {
            id: facts.id.clone(),
            service: facts.service_name.clone(),
            service_index: facts.service,
            deployment_id: (s.deployment != NO_NAME).then(|| self.name(s.deployment)),
            revision: facts.revision,
            last_status: s.last_status,
            desired_status: s.desired,
            health: s.health,
        })
    }

    fn build(
        &self,
        at: u64,
        tasks: &[Option<TaskState>],
        instances: &[Option<InstanceState>],
    ) -> Frame {
        let latest = |k: usize| k.checked_sub(1);
        let services = latest(self.services.partition_point(|(t, _)| *t <= at))
            .and_then(|k| self.services.get(k))
            .map(|(_, s)| s.clone())
            .unwrap_or_default();
        let clusters = latest(self.clusters.partition_point(|(t, _)| *t <= at))
            .and_then(|k| self.clusters.get(k))
            .map(|(_, c)| c.clone())
            .unwrap_or_default();
        // Live tasks by instance, Fargate tasks by cluster, unplaced ones.
        // Each instance's list sized once: a frame allocates thousands of them.
        let mut per_instance = vec![0usize; self.instances.len()];
        for state in tasks.iter().flatten() {
            if state.last_status != TaskStatus::Stopped && state.instance != NO_INSTANCE {
                if let Some(n) = per_instance.get_mut(state.instance as usize) {
                    *n += 1;
                }
            }
        }
        let mut on_instance: Vec<Vec<TaskCell>> =
            per_instance.into_iter().map(Vec::with_capacity).collect();
        let mut fargate: BTreeMap<u32, Vec<(String, TaskCell)>> = BTreeMap::new();
        let mut unplaced = Vec::new();
        let active = |cluster: u32| clusters.iter().any(|(k, _)| *k == cluster);
        for (k, state) in tasks.iter().enumerate() {
            let Some(state) = state.filter(|s| s.last_status != TaskStatus::Stopped) else {
                continue;
            };
            let Some(facts) = self.tasks.get(k) else {
                continue;
            };
            let Some(cell) = self.cell(k, &state) else {
                continue;
            };
            if state.instance != NO_INSTANCE {
                if let Some(list) = on_instance.get_mut(state.instance as usize) {
                    list.push(cell);
                }
            } else if facts.fargate {
                fargate
                    .entry(facts.cluster)
                    .or_default()
                    .push((facts.zone.clone().unwrap_or_default(), cell));
            } else if active(facts.cluster) {
                unplaced.push(cell);
            }
        }
        let mut views = Vec::new();
        let first = |cluster: u32| {
            self.layout.partition_point(|k| {
                self.instances
                    .get(*k as usize)
                    .is_some_and(|f| f.cluster < cluster)
            })
        };
        for (ci, name) in &clusters {
            let (mut cpu, mut memory, mut used_cpu, mut used_memory) = (0u64, 0u64, 0u64, 0u64);
            let mut zones: Vec<ZoneView> = Vec::new();
            for &k in self.layout.get(first(*ci)..).unwrap_or_default() {
                let Some(facts) = self.instances.get(k as usize) else {
                    continue;
                };
                if facts.cluster != *ci {
                    break;
                }
                let Some(state) = instances
                    .get(k as usize)
                    .copied()
                    .flatten()
                    .filter(|s| s.registered)
                else {
                    continue;
                };
                let status = state.status;
                if counts_for_reservation(status) {
                    cpu += u64::from(facts.cpu);
                    memory += u64::from(facts.memory);
                    used_cpu += u64::from(state.reserved_cpu);
                    used_memory += u64::from(state.reserved_memory);
                }
                if zones
                    .last()
                    .is_none_or(|z| z.availability_zone != facts.zone)
                {
                    zones.push(ZoneView {
                        availability_zone: facts.zone.clone(),
                        groups: Vec::new(),
                        fargate: Vec::new(),
                    });
                }
                let Some(zone) = zones.last_mut() else {
                    continue;
                };
                if zone
                    .groups
                    .last()
                    .is_none_or(|g| g.capacity_provider != facts.capacity_provider)
                {
                    zone.groups.push(InstanceGroupView {
                        capacity_provider: facts.capacity_provider.clone(),
                        instances: Vec::new(),
                    });
                }
                if let Some(group) = zone.groups.last_mut() {
                    group.instances.push(InstanceView {
                        id: facts.id.clone(),
                        short_id: String::new(),
                        instance_type: facts.instance_type.clone(),
                        status,
                        agent_connected: state.agent_connected,
                        cpu: facts.cpu,
                        memory: facts.memory,
                        reserved_cpu: state.reserved_cpu,
                        reserved_memory: state.reserved_memory,
                        tasks: on_instance
                            .get_mut(k as usize)
                            .map(std::mem::take)
                            .unwrap_or_default(),
                    });
                }
            }
            for (zone, cell) in fargate.remove(ci).unwrap_or_default() {
                let at = zones.partition_point(|z| z.availability_zone < zone);
                if zones.get(at).is_none_or(|z| z.availability_zone != zone) {
                    zones.insert(
                        at,
                        ZoneView {
                            availability_zone: zone,
                            groups: Vec::new(),
                            fargate: Vec::new(),
                        },
                    );
                }
                if let Some(z) = zones.get_mut(at) {
                    z.fargate.push(cell);
                }
            }
            views.push(
                ClusterView {
                    name: name.clone(),
                    zones,
                    reserved_cpu_percent: percent(used_cpu, cpu),
                    reserved_memory_percent: percent(used_memory, memory),
                }
                .with_short_ids(),
            );
        }
        Frame {
            at,
            clusters: views,
            services,
            unplaced,
        }
    }
}
