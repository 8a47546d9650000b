//! The task lifecycle: PROVISIONING → PENDING → ACTIVATING → RUNNING →
//! DEACTIVATING → STOPPING → DEPROVISIONING → STOPPED, with timings from the
//! image behaviour, container states, exit codes and health.

use serde_json::Value;

use super::ops_instance::short;
use super::state::{
    ContainerState, ContainerStatus, DesiredStatus, HealthStatus, ImageBehavior, Task, TaskStatus,
};
use super::{Ecs, Event};

/// What a new task is.
pub(crate) struct NewTask {
    pub cluster: usize,
    pub task_definition: String,
    pub instance: Option<usize>,
    pub launch_type: String,
    pub capacity_provider: Option<String>,
    pub group: String,
    pub started_by: Option<String>,
    pub service: Option<usize>,
    pub deployment: Option<String>,
    pub overrides: Value,
    pub tags: Vec<Value>,
    pub platform_version: Option<String>,
}

/// What a lifecycle step reads of a container's image behaviour: its
/// timings, copied out (a step changes the task while it reads them).
#[derive(Debug, Clone, Copy)]
struct ImageTimes {
    pull_seconds: f64,
    start_seconds: f64,
    stop_seconds: f64,
}

impl ImageTimes {
    fn of(behavior: &ImageBehavior) -> ImageTimes {
        ImageTimes {
            pull_seconds: behavior.pull_seconds,
            start_seconds: behavior.start_seconds,
            stop_seconds: behavior.stop_seconds,
        }
    }
}

/// The agent's default stop timeout (ECS_CONTAINER_STOP_TIMEOUT).
const DEFAULT_STOP_TIMEOUT_S: f64 = 30.0;

fn ms(seconds: f64) -> u64 {
    if seconds.is_finite() && seconds > 0.0 {
        (seconds * 1000.0).round().min(1e15) as u64
    } else {
        0
    }
}

impl Ecs {
    /// Moves a task to `status` and schedules its next lifecycle step after
    /// `delay` milliseconds; the step is ignored if the task changed meanwhile.
    fn step_task_to(&mut self, status: TaskStatus, seq: u64, delay: u64) {
        let version = self.set_status(seq, status, "");
        self.schedule_in(delay, Event::TaskStep { task: seq, version });
    }

    pub(crate) fn behavior(&self, image: &str) -> &ImageBehavior {
        if let Some(b) = self.state.behaviors.get(image) {
            return b;
        }
        let repository =
            image
                .rsplit_once(':')
                .map_or(image, |(r, tag)| if tag.contains('/') { image } else { r });
        self.state
            .behaviors
            .get(repository)
            .unwrap_or(&super::state::DEFAULT_BEHAVIOR)
    }

    pub(crate) fn task_label(&self, task: &Task) -> String {
        let cluster = self
            .state
            .clusters
            .get(task.cluster)
            .map_or("", |c| c.name.as_str());
        // Joined rather than formatted: every task step logs a label and a
        // message, and `format!` costs several times a join.
        ["task/", cluster, "/", short(&task.id)].concat()
    }

    /// [`Ecs::task_label`] of task `seq` (empty if there is none).
    pub(crate) fn task_label_of(&self, seq: u64) -> String {
        self.state
            .tasks
            .get(&seq)
            .map(|t| self.task_label(t))
            .unwrap_or_default()
    }

    /// Creates a task in PROVISIONING. A task on an instance must have been
    /// placed first (`Ecs::place_next`), which holds its resources.
    pub(crate) fn create_task(&mut self, new: NewTask) -> Option<u64> {
        self.create_task_waiting(new, None)
    }

    /// Creates a task in PROVISIONING; with `awaiting` (what to ask the
    /// placer), a task of a managed-scaling capacity provider that no
    /// instance can take yet: it stays in PROVISIONING without an instance
    /// until capacity arrives (`sim::provisioning`).
    pub(crate) fn create_task_waiting(
        &mut self,
        new: NewTask,
        awaiting: Option<crate::place::PlacementRequest>,
    ) -> Option<u64> {
        // What the task takes from its definition, read without copying the
        // definition (its body can be large).
        // What the task takes from its definition, read without copying the
        // definition (its body can be large), and its PROVISIONING line,
        // written while the definition is at hand.
        let (td_arn, family, cpu, memory, host_ports, network_mode, containers, message) = {
            let td = self.state.task_definition(&new.task_definition)?;
            let where_: [&str; 4] = match new.instance.and_then(|i| self.state.instances.get(i)) {
                Some(i) => [
                    self.state.short_instance_id(i),
                    " (",
                    &i.availability_zone,
                    ")",
                ],
                None => [
                    new.capacity_provider.as_deref().unwrap_or(&new.launch_type),
                    if awaiting.is_some() {
                        " (waiting for capacity)"
                    } else {
                        ""
                    },
                    "",
                    "",
                ],
            };
            let revision = td.revision.to_string();
            let [w0, w1, w2, w3] = where_;
            let message = [
                "PROVISIONING ",
                &td.family,
                ":",
                &revision,
                " on ",
                w0,
                w1,
                w2,
                w3,
            ]
            .concat();
            (
                td.arn.clone(),
                td.family.clone(),
                td.cpu,
                td.memory,
                td.host_ports.clone(),
                td.network_mode.clone(),
                td.containers.clone(),
                message,
            )
        };
        let seq = self.state.next_task_seq;
        self.state.next_task_seq += 1;
        let id = self.rng.hex(32);
        let arn = {
            let cluster_name = self
                .state
                .clusters
                .get(new.cluster)
                .map_or("", |c| c.name.as_str());
            self.arn_in_format("taskLongArnFormat", "task", cluster_name, &id)
        };
        let mut task = Task {
            seq,
            id,
            arn,
            cluster: new.cluster,
            task_definition: td_arn,
            family,
            instance: new.instance,
            launch_type: new.launch_type,
            capacity_provider: new.capacity_provider,
            group: new.group,
            started_by: new.started_by,
            service: new.service,
            deployment_key: super::state::deployment_key(new.deployment.as_deref()),
            deployment: new.deployment,
            last_status: TaskStatus::Provisioning,
            desired_status: DesiredStatus::Running,
            created_at: self.now,
            pull_started_at: None,
            pull_stopped_at: None,
            started_at: None,
            stopping_at: None,
            execution_stopped_at: None,
            stopped_at: None,
            connectivity_at: self.now,
            stop_code: None,
            stopped_reason: None,
            containers,
            health_status: HealthStatus::Unknown,
            unhealthy: false,
            version: 1,
            cpu,
            memory,
            host_ports,
            network_mode,
            tags: new.tags,
            overrides: new.overrides,
            platform_version: new.platform_version,
            failure_counted: false,
            essential_health_check: false,
            failed: false,
            placement: if new.instance.is_some() {
                self.state.last_placement.take()
            } else {
                None
            },
        };
        apply_overrides(&mut task);
        task.essential_health_check = task
            .containers
            .iter()
            .any(|c| c.has_health_check && c.essential);
        // The placer has already started the task on the instance's host
        // record (its resources are held there); the instance lists it.
        if let Some(index) = task.instance {
            if let Some(instance) = self.state.instances.get_mut(index) {
                instance.tasks.insert(seq);
                instance.empty_since = None;
            }
        }
        if let Some(si) = task.service {
            if let Some(service) = self.state.services.get_mut(si) {
                service.tasks.insert(seq);
            }
        }
        let label = self.task_label(&task);
        let delay = self.provisioning_ms(&task);
        let cluster = task.cluster;
        self.state.tasks.insert(seq, task);
        self.touch_task(seq);
        self.log(label, "task-state", message);
        match awaiting {
            Some(request) => self.await_capacity(seq, cluster, request),
            None => self.schedule_in(
                delay,
                Event::TaskStep {
                    task: seq,
                    version: 1,
                },
            ),
        }
        Some(seq)
    }

    pub(crate) fn provisioning_ms(&self, task: &Task) -> u64 {
        if task.launch_type == "FARGATE" {
            15_000
        } else if task.network_mode == "awsvpc" {
            5_000
        } else {
            1_000
        }
    }

    fn deprovisioning_ms(task: &Task) -> u64 {
        let provisioned = task.instance.is_some() || task.launch_type == "FARGATE";
        // A task that waited for capacity never had anything provisioned.
        if provisioned && (task.launch_type == "FARGATE" || task.network_mode == "awsvpc") {
            5_000
        } else {
            0
        }
    }

    fn needs_activation(&self, task: &Task) -> bool {
        task.service
            .and_then(|si| self.state.services.get(si))
            .is_some_and(|s| {
                s.service_connect.is_some()
                    || !s.service_registries.is_empty()
                    || s.load_balancers.len() > 1
            })
    }

    fn set_status(&mut self, seq: u64, status: TaskStatus, note: &str) -> u64 {
        let Some(task) = self.state.tasks.get_mut(&seq) else {
            return 0;
        };
        let from = task.last_status;
        task.last_status = status;
        task.version += 1;
        let version = task.version;
        let instance = task.instance;
        if matches!(status, TaskStatus::Stopping | TaskStatus::Deprovisioning) {
            // Optimistic release (ecs-semantics A1): with agent 1.73.0 or
            // later the instance's resources count as free from STOPPING (or
            // from DEPROVISIONING for a task that never started).
            self.release_at_stopping(seq, instance);
        }
        self.touch_task(seq);
        let label = self.task_label_of(seq);
        let message = if note.is_empty() {
            [from.as_str(), " → ", status.as_str()].concat()
        } else {
            [from.as_str(), " → ", status.as_str(), " (", note, ")"].concat()
        };
        self.log(label, "task-state", message);
        version
    }

    /// The next lifecycle step of a task, if the event is still current.
    pub(crate) fn task_step(&mut self, seq: u64, version: u64) {
        let Some(task) = self.state.tasks.get(&seq) else {
            return;
        };
        if task.version != version {
            return;
        }
        let wants_running = task.desired_status == DesiredStatus::Running;
        let status = task.last_status;
        let images: Vec<ImageTimes> = task
            .containers
            .iter()
            .map(|c| ImageTimes::of(self.behavior(&c.image)))
            .collect();
        let pull = images.iter().map(|b| ms(b.pull_seconds)).max().unwrap_or(0);
        let start = images
            .iter()
            .map(|b| ms(b.start_seconds))
            .max()
            .unwrap_or(0);
        match status {
            TaskStatus::Provisioning if wants_running => {
                let v = self.set_status(seq, TaskStatus::Pending, "");
                if let Some(t) = self.state.tasks.get_mut(&seq) {
                    t.pull_started_at = Some(self.now);
                }
                self.schedule_in(
                    pull,
                    Event::TaskStep {
                        task: seq,
                        version: v,
                    },
                );
            }
            TaskStatus::Pending if wants_running => {
                let pulled = self
                    .state
                    .tasks
                    .get(&seq)
                    .and_then(|t| t.pull_stopped_at)
                    .is_some();
                if !pulled {
                    let failure = self.state.tasks.get(&seq).and_then(|t| {
                        t.containers.iter().find_map(|c| {
                            self.behavior(&c.image)
                                .start_failure
                                .clone()
                                .filter(|_| c.essential)
                        })
                    });
                    let now = self.now;
                    if let Some(t) = self.state.tasks.get_mut(&seq) {
                        t.pull_stopped_at = Some(now);
                        t.version += 1;
                    }
                    if let Some(reason) = failure {
                        if let Some(t) = self.state.tasks.get_mut(&seq) {
                            t.failed = true;
                            for c in &mut t.containers {
                                c.last_status = ContainerStatus::Stopped;
                                c.reason = Some(reason.clone());
                            }
                        }
                        self.stop_task(seq, "TaskFailedToStart", &reason, false);
                        return;
                    }
                    let v = self.state.tasks.get(&seq).map_or(0, |t| t.version);
                    self.schedule_in(
                        start,
                        Event::TaskStep {
                            task: seq,
                            version: v,
                        },
                    );
                } else if self
                    .state
                    .tasks
                    .get(&seq)
                    .is_some_and(|t| self.needs_activation(t))
                {
                    self.step_task_to(TaskStatus::Activating, seq, 1_000);
                } else {
                    self.enter_running(seq);
                }
            }
            TaskStatus::Activating if wants_running => self.enter_running(seq),
            TaskStatus::Provisioning | TaskStatus::Pending | TaskStatus::Activating => {
                // Stopped before it ran: containers never started.
                let delay = self
                    .state
                    .tasks
                    .get(&seq)
                    .map_or(0, Self::deprovisioning_ms);
                if delay > 0 {
                    self.step_task_to(TaskStatus::Deprovisioning, seq, delay);
                } else {
                    self.finish_stopped(seq);
                }
            }
            TaskStatus::Running => {
                // desiredStatus is STOPPED: begin stopping.
                if self
                    .state
                    .tasks
                    .get(&seq)
                    .is_some_and(|t| self.needs_activation(t))
                {
                    self.step_task_to(TaskStatus::Deactivating, seq, 1_000);
                } else {
                    self.enter_stopping(seq, &images);
                }
            }
            TaskStatus::Deactivating => self.enter_stopping(seq, &images),
            TaskStatus::Stopping => {
                let delay = self
                    .state
                    .tasks
                    .get(&seq)
                    .map_or(0, Self::deprovisioning_ms);
                if let Some(t) = self.state.tasks.get_mut(&seq) {
                    for (c, b) in t.containers.iter_mut().zip(&images) {
                        if c.last_status != ContainerStatus::Stopped {
                            c.last_status = ContainerStatus::Stopped;
                            // SIGKILL after the stop timeout gives 137.
                            c.exit_code = Some(if b.stop_seconds > DEFAULT_STOP_TIMEOUT_S {
                                137
                            } else {
                                0
                            });
                        }
                    }
                    t.execution_stopped_at = Some(self.now);
                }
                if delay > 0 {
                    self.step_task_to(TaskStatus::Deprovisioning, seq, delay);
                } else {
                    self.finish_stopped(seq);
                }
            }
            TaskStatus::Deprovisioning => self.finish_stopped(seq),
            TaskStatus::Stopped => {}
        }
    }

    fn release_at_stopping(&mut self, seq: u64, instance: Option<usize>) {
        let Some(index) = instance else {
            return;
        };
        let Some((cluster, slot)) = self.state.instances.get(index).map(|i| (i.cluster, i.slot))
        else {
            return;
        };
        let released = self
            .state
            .hosts_of(cluster)
            .and_then(|hosts| hosts.instances.get(slot))
            .and_then(|h| h.tasks.iter().find(|t| t.id == seq))
            .is_some_and(|t| t.holds_resources);
        if self.state.begin_stopping_on(cluster, slot, seq) && released {
            self.touch_instance(index);
            self.wake_cluster(cluster);
        }
    }

    fn enter_stopping(&mut self, seq: u64, images: &[ImageTimes]) {
        let stop = images
            .iter()
            .map(|b| b.stop_seconds.min(DEFAULT_STOP_TIMEOUT_S))
            .fold(0.0f64, f64::max);
        let v = self.set_status(seq, TaskStatus::Stopping, "SIGTERM");
        self.schedule_in(
            ms(stop),
            Event::TaskStep {
                task: seq,
                version: v,
            },
        );
    }

    fn enter_running(&mut self, seq: u64) {
        let now = self.now;
        let Some(task) = self.state.tasks.get_mut(&seq) else {
            return;
        };
        task.started_at = Some(now);
        for c in &mut task.containers {
            c.last_status = ContainerStatus::Running;
        }
        // The containers' exits and health results to come, read while the
        // task is at hand (no copies of its images or definition), queued
        // below in the same order as before.
        let Some(task) = self.state.tasks.get(&seq) else {
            return;
        };
        let service = task.service;
        let any_health_check = task.containers.iter().any(|c| c.has_health_check);
        let mut coming: Vec<(u64, Event)> = Vec::new();
        for (i, c) in task.containers.iter().enumerate() {
            let behavior = self.behavior(&c.image);
            if let Some(after) = behavior.exit_after_seconds {
                coming.push((
                    ms(after),
                    Event::ContainerExit {
                        task: seq,
                        container: i,
                    },
                ));
            }
            if c.has_health_check {
                let check = self.health_check_of(&task.task_definition, i);
                for (at, healthy) in health_schedule(&behavior.health, check) {
                    coming.push((
                        at,
                        Event::HealthChange {
                            task: seq,
                            container: i,
                            healthy,
                        },
                    ));
                }
            }
        }
        self.set_status(seq, TaskStatus::Running, "");
        self.refresh_task_health(seq);
        for (delay, event) in coming {
            self.schedule_in(delay, event);
        }
        if let Some(si) = service {
            let state = &mut self.state;
            let deployment = state.tasks.get(&seq).and_then(|t| t.deployment.as_deref());
            if let Some(s) = state.services.get_mut(si) {
                s.consecutive_start_failures = 0;
                if let Some(d) = s
                    .deployments
                    .iter_mut()
                    .find(|d| Some(d.id.as_str()) == deployment)
                {
                    d.ever_running = true;
                }
            }
            self.request_reconcile(si);
            if !any_health_check {
                // The 40-second rule: counted as healthy 40 s after RUNNING.
                self.reconcile_in(si, 40_000);
            }
        }
    }

    /// `(interval, retries, startPeriod)` in ms for a container's health check.
    fn health_check_of(&self, td: &str, container: usize) -> (u64, u32, u64) {
        let check = self.state.task_definition(td).and_then(|td| {
            td.body
                .get("containerDefinitions")?
                .get(container)?
                .get("healthCheck")
                .cloned()
        });
        let get = |k: &str, d: f64| {
            check
                .as_ref()
                .and_then(|c| c.get(k))
                .and_then(Value::as_f64)
                .unwrap_or(d)
        };
        (
            ms(get("interval", 30.0)).max(1),
            get("retries", 3.0).max(1.0) as u32,
            ms(get("startPeriod", 0.0)),
        )
    }

    pub(crate) fn health_change(&mut self, seq: u64, container: usize, healthy: bool) {
        let Some(task) = self.state.tasks.get_mut(&seq) else {
            return;
        };
        if task.last_status != TaskStatus::Running {
            return;
        }
        let Some(c) = task.containers.get_mut(container) else {
            return;
        };
        let status = if healthy {
            HealthStatus::Healthy
        } else {
            HealthStatus::Unhealthy
        };
        if c.health_status == status {
            return;
        }
        c.health_status = status;
        let name = c.name.clone();
        let label = self.task_label_of(seq);
        self.log(
            label,
            "task-health",
            format!("container {name} {}", status.as_str()),
        );
        self.refresh_task_health(seq);
        if let Some(si) = self.state.tasks.get(&seq).and_then(|t| t.service) {
            if healthy {
                self.on_task_healthy(si, seq);
            }
            self.request_reconcile(si);
        }
    }

    /// The task is HEALTHY only if all essential containers are (B-TASK-07).
    fn refresh_task_health(&mut self, seq: u64) {
        let Some(task) = self.state.tasks.get_mut(&seq) else {
            return;
        };
        let essential: Vec<&ContainerState> =
            task.containers.iter().filter(|c| c.essential).collect();
        let status = if essential
            .iter()
            .any(|c| c.health_status == HealthStatus::Unhealthy)
        {
            HealthStatus::Unhealthy
        } else if !essential.is_empty()
            && essential
                .iter()
                .all(|c| c.health_status == HealthStatus::Healthy)
        {
            HealthStatus::Healthy
        } else {
            HealthStatus::Unknown
        };
        task.health_status = status;
        task.unhealthy = status == HealthStatus::Unhealthy;
        self.touch_task(seq);
    }

    pub(crate) fn container_exit(&mut self, seq: u64, container: usize) {
        let Some(task) = self.state.tasks.get(&seq) else {
            return;
        };
        if task.last_status != TaskStatus::Running {
            return;
        }
        let Some(c) = task.containers.get(container) else {
            return;
        };
        let code = self.behavior(&c.image).exit_code;
        let essential = c.essential;
        let name = c.name.clone();
        if let Some(t) = self.state.tasks.get_mut(&seq) {
            if let Some(c) = t.containers.get_mut(container) {
                c.last_status = ContainerStatus::Stopped;
                c.exit_code = Some(code);
            }
        }
        let label = self.task_label_of(seq);
        self.log(
            label,
            "container",
            format!("container {name} exited with code {code}"),
        );
        if essential {
            if let Some(t) = self.state.tasks.get_mut(&seq) {
                t.failed = true;
            }
            self.stop_task(
                seq,
                "EssentialContainerExited",
                "Essential container in task exited",
                false,
            );
        }
    }

    /// Asks a task to stop: desiredStatus STOPPED, then the lifecycle runs.
    pub(crate) fn stop_task(&mut self, seq: u64, code: &'static str, reason: &str, _user: bool) {
        let now = self.now;
        let Some(task) = self.state.tasks.get_mut(&seq) else {
            return;
        };
        if task.desired_status == DesiredStatus::Stopped || !task.is_live() {
            return;
        }
        task.desired_status = DesiredStatus::Stopped;
        task.stopping_at = Some(now);
        task.stop_code = Some(code);
        task.stopped_reason = Some(reason.to_string());
        task.version += 1;
        let version = task.version;
        self.touch_task(seq);
        let label = self.task_label_of(seq);
        self.log(
            label,
            "task-stop",
            ["desiredStatus STOPPED: ", code, ": ", reason].concat(),
        );
        self.schedule_in(0, Event::TaskStep { task: seq, version });
    }

    /// The task's host is gone: it is STOPPED at once.
    pub(crate) fn force_stop(&mut self, seq: u64, code: &'static str, reason: &str) {
        let now = self.now;
        let Some(task) = self.state.tasks.get_mut(&seq) else {
            return;
        };
        if !task.is_live() {
            return;
        }
        if task.desired_status == DesiredStatus::Running {
            task.desired_status = DesiredStatus::Stopped;
            task.stopping_at = Some(now);
            task.stop_code = Some(code);
            task.stopped_reason = Some(reason.to_string());
        }
        for c in &mut task.containers {
            if c.last_status != ContainerStatus::Stopped {
                c.last_status = ContainerStatus::Stopped;
                c.exit_code = Some(137);
            }
        }
        task.execution_stopped_at = Some(now);
        self.touch_task(seq);
        self.finish_stopped(seq);
    }

    fn finish_stopped(&mut self, seq: u64) {
        let now = self.now;
        let Some(task) = self.state.tasks.get_mut(&seq) else {
            return;
        };
        task.stopped_at = Some(now);
        task.execution_stopped_at.get_or_insert(now);
        for c in &mut task.containers {
            c.last_status = ContainerStatus::Stopped;
        }
        let instance = task.instance;
        let service = task.service;
        self.state.awaiting_capacity.remove(&seq);
        self.set_status(seq, TaskStatus::Stopped, "");
        if let Some(index) = instance {
            let slot = self.state.instances.get(index).map(|i| (i.cluster, i.slot));
            if let Some((cluster, slot)) = slot {
                self.state.finish_stopped_on(cluster, slot, seq);
            }
            if let Some(i) = self.state.instances.get_mut(index) {
                i.tasks.remove(&seq);
                if i.tasks.is_empty() {
                    i.empty_since = Some(now);
                }
                let cluster = i.cluster;
                // Freed resources may let waiting work start.
                self.wake_cluster(cluster);
            }
        }
        if let Some(si) = service {
            self.on_service_task_stopped(si, seq);
        }
        self.compact_stopped_tasks(seq);
    }

    /// Keeps memory bounded: stopped tasks are forgotten an hour after they
    /// stop (DescribeTasks shows them "for at least 1 hour", B-TASK-05), and
    /// beyond [`MAX_STOPPED_TASKS`] the oldest go first. Amortised O(1).
    fn compact_stopped_tasks(&mut self, seq: u64) {
        const HOUR: u64 = 3_600_000;
        self.state.stopped_order.push_back(seq);
        let mut forget = std::collections::HashSet::with_hasher(super::state::FixedHash::default());
        while let Some(&oldest) = self.state.stopped_order.front() {
            let expired = self
                .state
                .tasks
                .get(&oldest)
                .and_then(|t| t.stopped_at)
                .is_none_or(|at| at + HOUR < self.now);
            let over = self.state.stopped_order.len() > MAX_STOPPED_TASKS;
            if expired || over {
                self.state.stopped_order.pop_front();
                forget.insert(oldest);
            } else {
                break;
            }
        }
        self.state.forgotten.extend(forget);
        // Removing keeps the tasks in creation order, which costs a pass over
        // all of them: do it in batches.
        if self.state.forgotten.len() >= COMPACTION_BATCH
            || (!self.state.forgotten.is_empty()
                && self.state.forgotten.len() * 4 >= self.state.tasks.len())
        {
            let forgotten = std::mem::take(&mut self.state.forgotten);
            self.state.tasks.retain(|seq, _| !forgotten.contains(seq));
        }
    }
}

/// Forgotten tasks are removed in batches of this many.
const COMPACTION_BATCH: usize = 1_000;

/// Stopped tasks kept for DescribeTasks beyond the one-hour window.
pub const MAX_STOPPED_TASKS: usize = 20_000;

/// Health-change times (ms after RUNNING) for a container, from the image's
/// health timeline `(seconds, healthy)` and its check `(interval, retries,
/// startPeriod)`. A passing result is seen at the next check; a failing one
/// after `retries` consecutive failed checks, failures in the start period
/// not counting. With no timeline the check passes from the start.
fn health_schedule(timeline: &[(f64, bool)], check: (u64, u32, u64)) -> Vec<(u64, bool)> {
    let (interval, retries, start_period) = check;
    let default = [(0.0, true)];
    let timeline = if timeline.is_empty() {
        &default[..]
    } else {
        timeline
    };
    let mut out = Vec::new();
    for (at, healthy) in timeline {
        let at = ms(*at);
        let first_check = at.div_ceil(interval).max(1) * interval;
        let when = if *healthy {
            first_check
        } else {
            let counted_from = first_check.max(start_period.div_ceil(interval) * interval);
            counted_from + interval * u64::from(retries.saturating_sub(1))
        };
        out.push((when, *healthy));
    }
    out
}

/// Task-level cpu/memory overrides (B-TASK-17).
fn apply_overrides(task: &mut Task) {
    let cpu = task
        .overrides
        .get("cpu")
        .and_then(Value::as_str)
        .and_then(crate::units::parse_cpu_units);
    let memory = task
        .overrides
        .get("memory")
        .and_then(Value::as_str)
        .and_then(crate::units::parse_memory_mib);
    if let Some(cpu) = cpu {
        task.cpu = cpu;
    }
    if let Some(memory) = memory {
        task.memory = memory;
    }
}

/// The containers of a new task of `td`, as the task keeps them.
/// The containers of a task of the definition whose describe form is
/// `body`, as they start (read once, at registration).
pub(crate) fn container_states(body: &Value) -> Vec<ContainerState> {
    body.get("containerDefinitions")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .map(|c| ContainerState {
            name: c
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            image: c
                .get("image")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            essential: c.get("essential").and_then(Value::as_bool).unwrap_or(true),
            last_status: ContainerStatus::Pending,
            exit_code: None,
            reason: None,
            health_status: HealthStatus::Unknown,
            has_health_check: c.get("healthCheck").is_some_and(|h| !h.is_null()),
            cpu: c.get("cpu").and_then(Value::as_i64),
            memory: c.get("memory").and_then(Value::as_i64),
            port_mappings: c
                .get("portMappings")
                .and_then(Value::as_array)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .map(|m| {
                    (
                        m.get("containerPort").and_then(Value::as_i64).unwrap_or(0),
                        m.get("hostPort").and_then(Value::as_i64),
                        m.get("protocol")
                            .and_then(Value::as_str)
                            .unwrap_or("tcp")
                            .to_string(),
                    )
                })
                .collect(),
            runtime_id: String::new(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::health_schedule;

    #[test]
    fn health_results_land_on_check_boundaries() {
        // Default: healthy at the first check.
        assert_eq!(health_schedule(&[], (30_000, 3, 0)), vec![(30_000, true)]);
        // Failing from 100 s: checks at 120, 150, 180 → unhealthy at 180 s.
        assert_eq!(
            health_schedule(&[(0.0, true), (100.0, false)], (30_000, 3, 0)),
            vec![(30_000, true), (180_000, false)]
        );
        // Failing from the start with a 60 s start period: counted from 60 s.
        assert_eq!(
            health_schedule(&[(0.0, false)], (10_000, 3, 60_000)),
            vec![(80_000, false)]
        );
    }
}
