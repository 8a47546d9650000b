//! Tasks waiting for capacity. When a task's capacity provider is an Auto
//! Scaling group provider with managed scaling and no container instance can
//! take it, ECS still creates the task: it stays in PROVISIONING, without an
//! instance (ListTasks and DescribeTasks show it with desiredStatus RUNNING),
//! managed scaling counts it in the provider's demand, and ECS places it once
//! capacity arrives (ecs-semantics A6: at most 300 such tasks per cluster).
//!
//! Approximation: ECS documents no provisioning timeout. Here a task that
//! still waits after [`PROVISIONING_TIMEOUT_MS`] (30 minutes) is stopped with
//! stop code `TaskFailedToStart`.

use super::state::{CapacityProviderStatus, DesiredStatus, TaskStatus};
use super::{Ecs, Event};
use crate::place::PlacementRequest;

/// How long a task waits for capacity before ECS gives up on it (an
/// approximation, see the module documentation).
pub(crate) const PROVISIONING_TIMEOUT_MS: u64 = 30 * 60 * 1_000;

/// Tasks in PROVISIONING per cluster for Auto Scaling group capacity
/// providers (ecs-semantics A6, not adjustable): beyond it a task that cannot
/// be placed fails as without a capacity provider.
pub(crate) const MAX_AWAITING_PER_CLUSTER: usize = 300;

/// The stopped reason of a task that reached the provisioning timeout.
pub(crate) const TIMEOUT_REASON: &str = "Timeout waiting for capacity.";

/// A task waiting for capacity: its cluster and what it asks of the placer.
#[derive(Debug, Clone, PartialEq)]
pub struct AwaitingCapacity {
    pub cluster: usize,
    pub request: PlacementRequest,
}

impl Ecs {
    /// Whether a task of `provider` that cannot be placed in `cluster` waits
    /// for capacity in PROVISIONING rather than failing: the provider is an
    /// ACTIVE Auto Scaling group provider with managed scaling, and the
    /// cluster is under its quota of waiting tasks.
    pub(crate) fn waits_for_capacity(&self, cluster: usize, provider: Option<&str>) -> bool {
        let Some(name) = provider else {
            return false;
        };
        let managed = self.state.capacity_providers.iter().any(|p| {
            p.name == name && p.managed_scaling && p.status == CapacityProviderStatus::Active
        });
        managed
            && self
                .state
                .awaiting_capacity
                .values()
                .filter(|a| a.cluster == cluster)
                .count()
                < MAX_AWAITING_PER_CLUSTER
    }

    /// Notes task `seq`, just created in PROVISIONING without an instance,
    /// as waiting for capacity: managed scaling looks at it, and the
    /// provisioning timeout starts.
    pub(crate) fn await_capacity(&mut self, seq: u64, cluster: usize, request: PlacementRequest) {
        self.state
            .awaiting_capacity
            .insert(seq, AwaitingCapacity { cluster, request });
        self.schedule_in(
            PROVISIONING_TIMEOUT_MS,
            Event::ProvisioningTimeout { task: seq },
        );
        self.request_scaling_check();
    }

    /// Queues a placement of `cluster`'s waiting tasks now (once per time),
    /// before the services the same change wakes: the tasks that waited
    /// longest take the capacity first.
    pub(crate) fn wake_awaiting(&mut self, cluster: usize) {
        let now = self.now;
        let waiting = self
            .state
            .awaiting_capacity
            .values()
            .any(|a| a.cluster == cluster);
        if !waiting || self.state.awaiting_wake.get(&cluster) == Some(&now) {
            return;
        }
        self.state.awaiting_wake.insert(cluster, now);
        self.queue.schedule(now, Event::PlaceAwaiting { cluster });
    }

    /// Places the cluster's waiting tasks, oldest first, through the
    /// placement pipeline: consecutive tasks asking the same share one
    /// batch; a request that fails stops being tried until the next change.
    pub(crate) fn place_awaiting(&mut self, cluster: usize) {
        self.state.awaiting_wake.remove(&cluster);
        let waiting: Vec<(u64, PlacementRequest)> = self
            .state
            .awaiting_capacity
            .iter()
            .filter(|(seq, a)| {
                a.cluster == cluster
                    && self.state.tasks.get(*seq).is_some_and(|t| {
                        t.desired_status == DesiredStatus::Running
                            && t.last_status == TaskStatus::Provisioning
                    })
            })
            .map(|(seq, a)| (*seq, a.request.clone()))
            .collect();
        let mut failed: Vec<PlacementRequest> = Vec::new();
        let mut at = 0;
        while let Some((_, request)) = waiting.get(at) {
            let run: Vec<u64> = waiting[at..]
                .iter()
                .take_while(|(_, r)| r == request)
                .map(|(seq, _)| *seq)
                .collect();
            at += run.len();
            if failed.contains(request) {
                continue;
            }
            let placed = self.with_placer(cluster, request.clone(), |ecs, placer| {
                let mut placed = Vec::new();
                for &seq in &run {
                    match ecs.place_task(cluster, placer, seq) {
                        Some(index) => placed.push((seq, index, ecs.state.last_placement)),
                        None => return (placed, false),
                    }
                }
                (placed, true)
            });
            let Ok((placed, all)) = placed else {
                failed.push(request.clone());
                continue;
            };
            for (seq, index, placement) in placed {
                self.start_awaiting_on(seq, index, placement);
            }
            if !all {
                failed.push(request.clone());
            }
        }
    }

    /// Task `seq`, placed on instance `index` by `placement` after waiting
    /// for capacity, goes on with its lifecycle from PROVISIONING.
    fn start_awaiting_on(
        &mut self,
        seq: u64,
        index: usize,
        placement: Option<super::placement::TaskPlacement>,
    ) {
        self.state.awaiting_capacity.remove(&seq);
        if let Some(instance) = self.state.instances.get_mut(index) {
            instance.tasks.insert(seq);
            instance.empty_since = None;
        }
        let Some(task) = self.state.tasks.get_mut(&seq) else {
            return;
        };
        task.instance = Some(index);
        task.placement = placement;
        task.version += 1;
        let version = task.version;
        let delay = self.provisioning_ms(&self.state.tasks[&seq]);
        self.touch_task(seq);
        let label = self.task_label(&self.state.tasks[&seq]);
        let place = self
            .state
            .instances
            .get(index)
            .map(|i| {
                [
                    "placed on ",
                    self.state.short_instance_id(i),
                    " (",
                    &i.availability_zone,
                    ")",
                ]
                .concat()
            })
            .unwrap_or_default();
        self.log(label, "task-state", place);
        self.touch_instance(index);
        self.schedule_in(delay, Event::TaskStep { task: seq, version });
    }

    /// The provisioning timeout of task `seq`: stopped if it still waits.
    pub(crate) fn provisioning_timeout(&mut self, seq: u64) {
        let still_waiting = self.state.awaiting_capacity.contains_key(&seq)
            && self
                .state
                .tasks
                .get(&seq)
                .is_some_and(|t| t.is_wanted() && t.instance.is_none());
        if still_waiting {
            self.state.awaiting_capacity.remove(&seq);
            self.stop_task(seq, "TaskFailedToStart", TIMEOUT_REASON, false);
        }
    }

    /// Instances of type `instance_type` that `provider`'s waiting tasks
    /// need: per group of tasks with the same requirements, as many tasks on
    /// each instance as the placement pipeline fits on an empty one.
    pub(crate) fn instances_for_awaiting(&self, provider: &str, instance_type: &str) -> u32 {
        let mut groups: Vec<(&crate::place::TaskRequirements, u32)> = Vec::new();
        for (seq, awaiting) in &self.state.awaiting_capacity {
            if awaiting.request.capacity_provider.as_deref() != Some(provider)
                || !self.state.tasks.get(seq).is_some_and(|t| t.is_wanted())
            {
                continue;
            }
            let requirements = &awaiting.request.requirements;
            match groups.iter_mut().find(|(r, _)| *r == requirements) {
                Some((_, n)) => *n += 1,
                None => groups.push((requirements, 1)),
            }
        }
        groups
            .into_iter()
            .map(|(requirements, tasks)| {
                let per_instance =
                    super::placement::tasks_per_instance(instance_type, requirements, tasks).max(1);
                tasks.div_ceil(per_instance)
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::super::tests::{ecs, empty_scaling_provider, ok};
    use super::super::Ecs;
    use super::{MAX_AWAITING_PER_CLUSTER, PROVISIONING_TIMEOUT_MS, TIMEOUT_REASON};

    /// An empty Auto Scaling group of m5.large behind provider `cp` (managed
    /// scaling `scaling`), the cluster's default strategy, and a definition
    /// of which two tasks fit an instance.
    fn empty_provider(max_size: u32, scaling: &str) -> Ecs {
        let mut ecs = ecs();
        empty_scaling_provider(&mut ecs, max_size, scaling);
        ok(
            &mut ecs,
            "CreateCluster",
            json!({"clusterName": "default", "capacityProviders": ["cp"], "defaultCapacityProviderStrategy": [{"capacityProvider": "cp", "weight": 1}]}),
        );
        ok(
            &mut ecs,
            "RegisterTaskDefinition",
            json!({"family": "job", "containerDefinitions": [{"name": "j", "image": "job:1", "cpu": 1024, "memory": 2048}]}),
        );
        ecs
    }

    fn tasks(ecs: &mut Ecs, desired: &str) -> Vec<Value> {
        let arns = ok(ecs, "ListTasks", json!({"desiredStatus": desired}))["taskArns"].clone();
        if arns.as_array().is_none_or(|a| a.is_empty()) {
            return Vec::new();
        }
        ok(ecs, "DescribeTasks", json!({"tasks": arns}))["tasks"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    fn statuses(tasks: &[Value]) -> Vec<&str> {
        tasks
            .iter()
            .map(|t| t["lastStatus"].as_str().unwrap_or(""))
            .collect()
    }

    #[test]
    fn run_task_on_an_empty_scaling_provider_waits_in_provisioning_then_runs() {
        let mut ecs = empty_provider(5, "ENABLED");
        let answer = ok(
            &mut ecs,
            "RunTask",
            json!({"taskDefinition": "job", "count": 3}),
        );
        assert_eq!(answer["failures"], json!([]));
        let started = answer["tasks"].as_array().cloned().unwrap_or_default();
        assert_eq!(statuses(&started), ["PROVISIONING"; 3]);
        for task in &started {
            assert_eq!(task["desiredStatus"], "RUNNING");
            assert_eq!(task["capacityProviderName"], "cp");
            assert!(task.get("containerInstanceArn").is_none(), "{task}");
        }
        // ListTasks shows them as wanted running tasks.
        assert_eq!(tasks(&mut ecs, "RUNNING").len(), 3);
        // Managed scaling counts them: two tasks per m5.large, two instances.
        ecs.advance_to(10 * 60_000);
        let scaled: Vec<&str> = ecs
            .timeline
            .events()
            .filter(|e| e.kind == "scaling")
            .map(|e| e.message.as_str())
            .collect();
        assert_eq!(
            scaled,
            ["scale out by 2 (target 2 instances at 100% target capacity)"]
        );
        let running = tasks(&mut ecs, "RUNNING");
        assert_eq!(statuses(&running), ["RUNNING"; 3]);
        assert!(running
            .iter()
            .all(|t| t["containerInstanceArn"].is_string()));
    }

    #[test]
    fn a_task_that_never_gets_capacity_stops_at_the_provisioning_timeout() {
        let mut ecs = empty_provider(0, "ENABLED");
        ok(&mut ecs, "RunTask", json!({"taskDefinition": "job"}));
        ecs.advance_to(PROVISIONING_TIMEOUT_MS - 1_000);
        assert_eq!(statuses(&tasks(&mut ecs, "RUNNING")), ["PROVISIONING"]);
        ecs.advance_to(PROVISIONING_TIMEOUT_MS + 1_000);
        assert!(tasks(&mut ecs, "RUNNING").is_empty());
        let stopped = tasks(&mut ecs, "STOPPED");
        assert_eq!(statuses(&stopped), ["STOPPED"]);
        assert_eq!(stopped[0]["stopCode"], "TaskFailedToStart");
        assert_eq!(stopped[0]["stoppedReason"], TIMEOUT_REASON);
    }

    #[test]
    fn without_managed_scaling_or_past_the_quota_an_empty_cluster_refuses() {
        let mut ecs = empty_provider(5, "DISABLED");
        let refused = ecs.call("RunTask", &json!({"taskDefinition": "job"}));
        assert!(refused
            .is_err_and(|e| e.message == "No Container Instances were found in your cluster."));
        // 300 waiting tasks per cluster (ecs-semantics A6), then a refusal.
        let mut ecs = empty_provider(0, "ENABLED");
        for _ in 0..MAX_AWAITING_PER_CLUSTER / 10 {
            ok(
                &mut ecs,
                "RunTask",
                json!({"taskDefinition": "job", "count": 10}),
            );
        }
        assert_eq!(ecs.state.awaiting_capacity.len(), MAX_AWAITING_PER_CLUSTER);
        let refused = ecs.call("RunTask", &json!({"taskDefinition": "job"}));
        assert!(refused.is_err());
    }
}
