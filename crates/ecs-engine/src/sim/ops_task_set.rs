//! Task sets of services with the EXTERNAL deployment controller:
//! CreateTaskSet, UpdateTaskSet, DeleteTaskSet, DescribeTaskSets and
//! UpdateServicePrimaryTaskSet, and their reconciliation.
//!
//! An external controller (a blue/green tool) shapes the rollout itself:
//! each task set keeps `computedDesiredCount = ceil(desiredCount × scale%)`
//! tasks running, launched through the service scheduler's own launcher
//! and placement (group `service:NAME`) and scaled in through its own
//! scale-in selection. A task set is ACTIVE when created, PRIMARY once
//! UpdateServicePrimaryTaskSet names it (the service then takes its task
//! definition), and DRAINING once deleted, until its tasks have stopped.
//! `stabilityStatus` is STEADY_STATE when the running count equals the
//! computed count with nothing pending or on a DRAINING instance.

use serde_json::{json, Value};

use super::ops_state::TaskSet;
use super::requests::{CreateTaskSetRequest, DescribeTaskSetsRequest, ServiceRef, TaskSetRequest};
use super::scheduler::LaunchSpec;
use super::state::{deployment_key, ServiceStatus, StrategyItem, TaskSetStatus, TaskStatus};
use super::{AwsError, CallResult, Ecs};

/// Task sets per service (ECS's quota).
const MAX_TASK_SETS: usize = 5;

fn task_set_not_found() -> AwsError {
    AwsError::new(
        "TaskSetNotFoundException",
        "The specified task set does not exist.",
    )
}

/// `ceil(desired × percent / 100)`, as ECS documents computedDesiredCount.
pub fn computed_desired_count(desired: u32, percent: f64) -> u32 {
    let exact = f64::from(desired) * percent.clamp(0.0, 100.0) / 100.0;
    // Tolerate binary noise (10% of 30 is 3, not 3.0000000000000004).
    let rounded = (exact * 1e9).round() / 1e9;
    rounded.ceil() as u32
}

impl Ecs {
    /// The cluster and ACTIVE EXTERNAL service a task-set request names.
    fn external_service(&self, r: &ServiceRef<'_>) -> Result<usize, AwsError> {
        let ci = self.cluster_named(r.cluster)?;
        let si = self
            .state
            .service_index(ci, r.service)
            .ok_or_else(AwsError::service_not_found)?;
        if self.state.services.get(si).map(|s| s.status) != Some(ServiceStatus::Active) {
            return Err(AwsError::new(
                "ServiceNotActiveException",
                "Service was not ACTIVE.",
            ));
        }
        if !self.state.ops.is_external(si) {
            return Err(AwsError::invalid(
                "Amazon ECS only supports task set management on services configured to use external deployment controllers.",
            ));
        }
        Ok(si)
    }

    fn task_set_index(&self, si: usize, reference: &str) -> Option<usize> {
        self.state
            .ops
            .service(si)?
            .task_sets
            .iter()
            .position(|ts| ts.id == reference || ts.arn == reference)
    }

    fn task_set_of(&self, r: &TaskSetRequest<'_>) -> Result<(usize, usize), AwsError> {
        let si = self.external_service(&r.service)?;
        let k = self
            .task_set_index(si, r.task_set)
            .ok_or_else(task_set_not_found)?;
        Ok((si, k))
    }

    pub(crate) fn create_task_set(&mut self, r: &Value) -> CallResult {
        let r = CreateTaskSetRequest::read(r)?;
        let si = self.external_service(&r.service)?;
        let token = r.client_token.map(str::to_string);
        if let Some(token) = &token {
            let existing = self.state.ops.service(si).and_then(|s| {
                s.task_sets
                    .iter()
                    .position(|ts| ts.client_token.as_ref() == Some(token))
            });
            if let Some(k) = existing {
                return Ok(json!({"taskSet": self.task_set_json(si, k, false)}));
            }
        }
        let td = self.service_task_definition(r.task_definition)?;
        let launch_type = r.launch_type.map(str::to_string);
        let strategy = r.capacity_provider_strategy.to_vec();
        if launch_type.is_some() && !strategy.is_empty() {
            return Err(AwsError::invalid("Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again."));
        }
        if let Some(items) = &r.strategy_items {
            super::placement::validate_strategy(items)?;
        }
        let live_sets = self.state.ops.service(si).map_or(0, |s| s.task_sets.len());
        if live_sets >= MAX_TASK_SETS {
            return Err(AwsError::new(
                "LimitExceededException",
                "The limit on the number of task sets per service has been reached.",
            ));
        }
        let scale = r.scale;
        let id = format!("ecs-svc/{}", self.rng.digits(19));
        let arn = self.service_scoped_arn(si, "task-set", &id);
        let now = self.now;
        let task_set = TaskSet {
            id: id.clone(),
            arn,
            external_id: r.external_id.map(str::to_string),
            status: TaskSetStatus::Active,
            task_definition: td.arn.clone(),
            launch_type: if strategy.is_empty() {
                Some(launch_type.unwrap_or_else(|| "EC2".into()))
            } else {
                None
            },
            capacity_provider_strategy: strategy,
            platform_version: r.platform_version.map(str::to_string),
            network_configuration: r.network_configuration.cloned(),
            load_balancers: r.load_balancers.to_vec(),
            service_registries: r.service_registries.to_vec(),
            scale,
            stable: false,
            stability_at: now,
            created_at: now,
            updated_at: now,
            tags: r.tags.to_vec(),
            client_token: token,
        };
        let extras = self.state.ops.service_mut(si);
        extras.task_sets.push(task_set);
        let k = extras.task_sets.len() - 1;
        let label = self.service_label(si);
        self.log(
            label,
            "task-set",
            format!(
                "{id} created with {}:{} at {scale}%",
                td.family, td.revision
            ),
        );
        self.request_reconcile(si);
        Ok(json!({"taskSet": self.task_set_json(si, k, false)}))
    }

    pub(crate) fn update_task_set(&mut self, r: &Value) -> CallResult {
        let r = TaskSetRequest::read(r, "taskSet")?;
        let (si, k) = self.task_set_of(&r)?;
        let scale = r
            .scale
            .ok_or_else(|| AwsError::invalid("scale is required."))?;
        let now = self.now;
        if let Some(ts) = self.state.ops.service_mut(si).task_sets.get_mut(k) {
            ts.scale = scale;
            ts.updated_at = now;
            let message = format!("{} scaled to {scale}%", ts.id);
            let label = self.service_label(si);
            self.log(label, "task-set", message);
        }
        self.request_reconcile(si);
        Ok(json!({"taskSet": self.task_set_json(si, k, false)}))
    }

    pub(crate) fn delete_task_set(&mut self, r: &Value) -> CallResult {
        let r = TaskSetRequest::read(r, "taskSet")?;
        let (si, k) = self.task_set_of(&r)?;
        let force = r.force;
        let now = self.now;
        let Some(ts) = self.state.ops.service_mut(si).task_sets.get_mut(k) else {
            return Err(task_set_not_found());
        };
        if ts.scale > 0.0 && !force {
            return Err(AwsError::invalid(
                "The task set cannot be deleted until it is scaled down to 0%. Use force to delete it anyway.",
            ));
        }
        ts.status = TaskSetStatus::Draining;
        ts.updated_at = now;
        let id = ts.id.clone();
        let label = self.service_label(si);
        self.log(label, "task-set", format!("{id} DRAINING (deleted)"));
        let out = self.task_set_json(si, k, false);
        self.request_reconcile(si);
        Ok(json!({"taskSet": out}))
    }

    pub(crate) fn describe_task_sets(&mut self, r: &Value) -> CallResult {
        let r = DescribeTaskSetsRequest::read(r)?;
        let si = self.external_service(&r.service)?;
        let (references, with_tags) = (r.task_sets, r.with_tags);
        let mut found = Vec::new();
        let mut failures = Vec::new();
        if references.is_empty() {
            let count = self.state.ops.service(si).map_or(0, |s| s.task_sets.len());
            found.extend((0..count).map(|k| self.task_set_json(si, k, with_tags)));
        }
        for reference in references {
            match self.task_set_index(si, &reference) {
                Some(k) => found.push(self.task_set_json(si, k, with_tags)),
                None => failures.push(json!({"arn": reference, "reason": "MISSING"})),
            }
        }
        Ok(json!({"taskSets": found, "failures": failures}))
    }

    pub(crate) fn update_service_primary_task_set(&mut self, r: &Value) -> CallResult {
        let r = TaskSetRequest::read(r, "primaryTaskSet")?;
        let (si, k) = self.task_set_of(&r)?;
        let now = self.now;
        let extras = self.state.ops.service_mut(si);
        if extras.task_sets.get(k).map(|ts| ts.status) == Some(TaskSetStatus::Draining) {
            return Err(AwsError::invalid(
                "A DRAINING task set cannot become the primary task set.",
            ));
        }
        for (j, ts) in extras.task_sets.iter_mut().enumerate() {
            if j == k {
                ts.status = TaskSetStatus::Primary;
                ts.updated_at = now;
            } else if ts.status == TaskSetStatus::Primary {
                ts.status = TaskSetStatus::Active;
                ts.updated_at = now;
            }
        }
        // The primary task set's parameters become the service's.
        let primary = extras.task_sets.get(k).cloned();
        if let (Some(ts), Some(s)) = (primary, self.state.services.get_mut(si)) {
            s.task_definition = ts.task_definition.clone();
            s.launch_type = ts.launch_type.clone();
            s.network_configuration = ts.network_configuration.clone();
            s.load_balancers = ts.load_balancers.clone();
            s.service_registries = ts.service_registries.clone();
            s.platform_version = ts.platform_version.clone();
            let label = self.service_label(si);
            self.log(label, "task-set", format!("{} is PRIMARY", ts.id));
        }
        Ok(json!({"taskSet": self.task_set_json(si, k, false)}))
    }

    /// The service's live tasks of one task set.
    fn task_set_tasks(&self, si: usize, id: &str) -> Vec<&super::state::Task> {
        let key = deployment_key(Some(id));
        self.state.services.get(si).map_or_else(Vec::new, |s| {
            s.tasks
                .iter()
                .filter_map(|q| self.state.tasks.get(q))
                .filter(|t| t.deployment_key == key && t.is_wanted())
                .collect()
        })
    }

    pub(crate) fn task_set_json(&self, si: usize, k: usize, with_tags: bool) -> Value {
        let (Some(s), Some(ts)) = (
            self.state.services.get(si),
            self.state.ops.service(si).and_then(|e| e.task_sets.get(k)),
        ) else {
            return Value::Null;
        };
        let tasks = self.task_set_tasks(si, &ts.id);
        let running = tasks
            .iter()
            .filter(|t| t.last_status == TaskStatus::Running)
            .count();
        let pending = tasks.iter().filter(|t| t.last_status.is_starting()).count();
        let computed = if ts.status == TaskSetStatus::Draining {
            0
        } else {
            computed_desired_count(s.desired_count, ts.scale)
        };
        let mut out = json!({
            "id": ts.id,
            "taskSetArn": ts.arn,
            "serviceArn": s.arn,
            "clusterArn": self.cluster_arn(s.cluster),
            "status": ts.status.as_str(),
            "taskDefinition": ts.task_definition,
            "computedDesiredCount": computed,
            "pendingCount": pending,
            "runningCount": running,
            "createdAt": self.ts(ts.created_at),
            "updatedAt": self.ts(ts.updated_at),
            "loadBalancers": ts.load_balancers,
            "serviceRegistries": ts.service_registries,
            "scale": {"value": ts.scale, "unit": "PERCENT"},
            "stabilityStatus": if ts.stable { "STEADY_STATE" } else { "STABILIZING" },
            "stabilityStatusAt": self.ts(ts.stability_at),
        });
        if let Some(id) = &ts.external_id {
            out["externalId"] = json!(id);
        }
        match &ts.launch_type {
            Some(lt) => out["launchType"] = json!(lt),
            None => out["capacityProviderStrategy"] = json!(ts.capacity_provider_strategy),
        }
        if let Some(n) = &ts.network_configuration {
            out["networkConfiguration"] = n.clone();
        }
        if ts.launch_type.as_deref() == Some("FARGATE") {
            out["platformVersion"] = json!(ts.platform_version.as_deref().unwrap_or("LATEST"));
            out["platformFamily"] = json!("Linux");
        }
        if with_tags {
            out["tags"] = json!(ts.tags);
        }
        out
    }

    /// The EXTERNAL service's scheduler: unhealthy tasks are replaced as
    /// the service scheduler replaces them; each task set moves toward its
    /// computed desired count (0 once DRAINING), counting tasks on DRAINING
    /// instances as leaving: they stop once enough others are healthy.
    /// DRAINING sets without tasks are gone; stability is noted when it
    /// changes.
    pub(crate) fn reconcile_task_sets(&mut self, si: usize) {
        let Some(desired) = self.state.services.get(si).map(|s| s.desired_count) else {
            return;
        };
        let sets: Vec<TaskSet> = self
            .state
            .ops
            .service(si)
            .map(|s| s.task_sets.clone())
            .unwrap_or_default();
        let mut seen = self.see(si);
        self.stop_unhealthy(si, &mut seen);
        let mut gone = Vec::new();
        for (k, ts) in sets.iter().enumerate() {
            let target = if ts.status == TaskSetStatus::Draining {
                0
            } else {
                computed_desired_count(desired, ts.scale)
            };
            let key = deployment_key(Some(&ts.id));
            let mine: Vec<_> = seen
                .iter()
                .filter(|t| {
                    self.state
                        .tasks
                        .get(&t.seq)
                        .is_some_and(|task| task.deployment_key == key)
                })
                .copied()
                .collect();
            let staying: Vec<_> = mine.iter().filter(|t| !t.draining).copied().collect();
            let live = staying.len() as u32;
            let healthy = staying.iter().filter(|t| t.healthy).count() as u32;
            if healthy >= target {
                let leaving: Vec<u64> = mine.iter().filter(|t| t.draining).map(|t| t.seq).collect();
                self.stop_task_set_tasks(si, &leaving, super::scheduler::DRAINING_STOP_REASON);
            }
            if live < target {
                let spec = LaunchSpec {
                    id: ts.id.clone(),
                    task_definition: ts.task_definition.clone(),
                    launch_type: ts.launch_type.clone(),
                    strategy: strategy_items(&ts.capacity_provider_strategy),
                    platform_version: ts.platform_version.clone(),
                };
                self.launch_tasks_of(si, &spec, target - live);
            } else if live > target {
                let pool: Vec<_> = staying
                    .iter()
                    .filter(|t| !self.state.ops.is_protected(t.seq, self.now))
                    .copied()
                    .collect();
                if pool.len() < (live - target) as usize && ts.status != TaskSetStatus::Draining {
                    self.protected_scale_in_event(si, Some(&ts.id));
                }
                let chosen = self.scale_in_selection(si, &pool, (live - target) as usize);
                self.stop_task_set_tasks(
                    si,
                    &chosen,
                    "Scaling activity initiated by (deployment) task set scale-in",
                );
            } else if ts.status == TaskSetStatus::Draining && mine.is_empty() {
                gone.push(k);
                continue;
            }
            let stable = mine.iter().filter(|t| t.running).count() as u32 == target
                && live == target
                && mine.iter().all(|t| t.running && !t.draining);
            let now = self.now;
            if let Some(slot) = self.state.ops.service_mut(si).task_sets.get_mut(k) {
                if slot.stable != stable {
                    slot.stable = stable;
                    slot.stability_at = now;
                }
            }
        }
        let extras = self.state.ops.service_mut(si);
        for k in gone.into_iter().rev() {
            if k < extras.task_sets.len() {
                extras.task_sets.remove(k);
            }
        }
    }

    fn stop_task_set_tasks(&mut self, si: usize, chosen: &[u64], reason: &str) {
        if chosen.is_empty() {
            return;
        }
        let ids: Vec<String> = chosen
            .iter()
            .filter_map(|q| self.state.tasks.get(q))
            .map(|t| format!("(task {})", t.id))
            .collect();
        for seq in chosen {
            self.stop_task(*seq, "ServiceSchedulerInitiated", reason, false);
        }
        let name = self
            .state
            .services
            .get(si)
            .map(|s| s.name.clone())
            .unwrap_or_default();
        self.service_event(
            si,
            format!(
                "(service {name}) has stopped {} running tasks: {}.",
                chosen.len(),
                ids.join(" ")
            ),
        );
    }

    /// `taskSets` of an EXTERNAL service's Service shape.
    pub(crate) fn task_sets_json(&self, si: usize) -> Vec<Value> {
        let count = self.state.ops.service(si).map_or(0, |s| s.task_sets.len());
        (0..count)
            .map(|k| self.task_set_json(si, k, false))
            .collect()
    }
}

/// A task set's capacity provider strategy as the launcher reads it.
fn strategy_items(items: &[Value]) -> Option<Vec<StrategyItem>> {
    if items.is_empty() {
        return None;
    }
    Some(
        items
            .iter()
            .map(|item| StrategyItem {
                capacity_provider: item
                    .get("capacityProvider")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                weight: item.get("weight").and_then(Value::as_u64).unwrap_or(0) as u32,
                base: item.get("base").and_then(Value::as_u64).unwrap_or(0) as u32,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;
    use crate::sim::tests::{cluster_with, ecs, ok};

    #[test]
    fn computed_desired_count_rounds_up() {
        for (desired, percent, expected) in [
            (10, 50.0, 5),
            (3, 50.0, 2),
            (30, 10.0, 3),
            (4, 0.0, 0),
            (4, 100.0, 4),
            (1, 0.5, 1),
            (0, 100.0, 0),
        ] {
            assert_eq!(
                computed_desired_count(desired, percent),
                expected,
                "{desired} × {percent}%"
            );
        }
    }

    fn external_service(ecs: &mut Ecs, desired: u32) {
        cluster_with(ecs, 3);
        ok(
            ecs,
            "CreateService",
            json!({"serviceName": "bg", "desiredCount": desired,
                   "deploymentController": {"type": "EXTERNAL"}}),
        );
    }

    fn task_set(ecs: &mut Ecs, id: &str) -> Value {
        let out = ok(
            ecs,
            "DescribeTaskSets",
            json!({"service": "bg", "taskSets": [id]}),
        );
        out["taskSets"][0].clone()
    }

    #[test]
    fn task_sets_run_their_share_and_hand_over_the_primary() {
        let mut ecs = ecs();
        external_service(&mut ecs, 4);
        let service = ok(&mut ecs, "DescribeServices", json!({"services": ["bg"]}));
        assert_eq!(
            service["services"][0]["deploymentController"],
            json!({"type": "EXTERNAL"})
        );
        assert_eq!(service["services"][0]["deployments"], json!([]));
        let blue = ok(
            &mut ecs,
            "CreateTaskSet",
            json!({"service": "bg", "taskDefinition": "web", "externalId": "blue",
                   "scale": {"value": 100, "unit": "PERCENT"}}),
        );
        let blue = blue["taskSet"]["id"].as_str().unwrap().to_string();
        assert!(blue.starts_with("ecs-svc/"));
        ecs.advance_to(120_000);
        let described = task_set(&mut ecs, &blue);
        assert_eq!(described["status"], "ACTIVE");
        assert_eq!(described["computedDesiredCount"], 4);
        assert_eq!(described["runningCount"], 4);
        assert_eq!(described["stabilityStatus"], "STEADY_STATE");
        assert_eq!(described["externalId"], "blue");
        ok(
            &mut ecs,
            "UpdateServicePrimaryTaskSet",
            json!({"service": "bg", "primaryTaskSet": blue.clone()}),
        );
        ok(
            &mut ecs,
            "RegisterTaskDefinition",
            json!({"family": "web", "containerDefinitions": [{"name": "app", "image": "nginx:2", "memory": 512, "cpu": 256}]}),
        );
        let green = ok(
            &mut ecs,
            "CreateTaskSet",
            json!({"service": "bg", "taskDefinition": "web:2", "scale": {"value": 50, "unit": "PERCENT"}}),
        );
        let green = green["taskSet"]["taskSetArn"].as_str().unwrap().to_string();
        assert_eq!(task_set(&mut ecs, &green)["stabilityStatus"], "STABILIZING");
        ecs.advance_to(240_000);
        assert_eq!(task_set(&mut ecs, &green)["runningCount"], 2);
        let service = ok(&mut ecs, "DescribeServices", json!({"services": ["bg"]}));
        assert_eq!(service["services"][0]["runningCount"], 6);
        assert_eq!(
            service["services"][0]["taskSets"].as_array().unwrap().len(),
            2
        );
        // Green becomes primary; blue scales to 0 and is deleted.
        let primary = ok(
            &mut ecs,
            "UpdateServicePrimaryTaskSet",
            json!({"service": "bg", "primaryTaskSet": green.clone()}),
        );
        assert_eq!(primary["taskSet"]["status"], "PRIMARY");
        assert_eq!(task_set(&mut ecs, &blue)["status"], "ACTIVE");
        let e = ecs
            .call(
                "DeleteTaskSet",
                &json!({"service": "bg", "taskSet": blue.clone()}),
            )
            .unwrap_err();
        assert_eq!(e.error_type, "InvalidParameterException");
        ok(
            &mut ecs,
            "UpdateTaskSet",
            json!({"service": "bg", "taskSet": green.clone(), "scale": {"value": 100, "unit": "PERCENT"}}),
        );
        ok(
            &mut ecs,
            "UpdateTaskSet",
            json!({"service": "bg", "taskSet": blue.clone(), "scale": {"value": 0, "unit": "PERCENT"}}),
        );
        ecs.advance_to(360_000);
        assert_eq!(task_set(&mut ecs, &blue)["runningCount"], 0);
        let deleted = ok(
            &mut ecs,
            "DeleteTaskSet",
            json!({"service": "bg", "taskSet": blue.clone()}),
        );
        assert_eq!(deleted["taskSet"]["status"], "DRAINING");
        ecs.advance_to(420_000);
        let all = ok(
            &mut ecs,
            "DescribeTaskSets",
            json!({"service": "bg", "taskSets": [blue, green.clone()]}),
        );
        assert_eq!(all["failures"][0]["reason"], "MISSING");
        assert_eq!(all["taskSets"][0]["runningCount"], 4);
        let service = ok(&mut ecs, "DescribeServices", json!({"services": ["bg"]}));
        assert!(service["services"][0]["taskDefinition"]
            .as_str()
            .unwrap()
            .ends_with("web:2"));
    }

    #[test]
    fn task_set_tasks_on_a_draining_instance_are_replaced_first() {
        let mut ecs = ecs();
        external_service(&mut ecs, 2);
        let set = ok(
            &mut ecs,
            "CreateTaskSet",
            json!({"service": "bg", "taskDefinition": "web"}),
        );
        let id = set["taskSet"]["id"].as_str().unwrap().to_string();
        ecs.advance_to(120_000);
        let tasks = ok(&mut ecs, "ListTasks", json!({"serviceName": "bg"}));
        let first = tasks["taskArns"][0].clone();
        let described = ok(&mut ecs, "DescribeTasks", json!({"tasks": [first.clone()]}));
        let instance = described["tasks"][0]["containerInstanceArn"].clone();
        ok(
            &mut ecs,
            "UpdateContainerInstancesState",
            json!({"containerInstances": [instance.clone()], "status": "DRAINING"}),
        );
        ecs.advance_to(125_000);
        // The replacement starts while the draining task still runs.
        let during = task_set(&mut ecs, &id);
        assert_eq!(during["stabilityStatus"], "STABILIZING");
        ecs.advance_to(300_000);
        let after = task_set(&mut ecs, &id);
        assert_eq!(after["runningCount"], 2);
        assert_eq!(after["stabilityStatus"], "STEADY_STATE");
        let d = ok(&mut ecs, "DescribeTasks", json!({"tasks": [first]}));
        assert_eq!(d["tasks"][0]["lastStatus"], "STOPPED");
        assert_eq!(
            d["tasks"][0]["stoppedReason"],
            "Container instance is draining"
        );
    }

    #[test]
    fn task_set_requests_are_checked() {
        let mut ecs = ecs();
        external_service(&mut ecs, 2);
        ok(
            &mut ecs,
            "CreateService",
            json!({"serviceName": "rolling", "taskDefinition": "web", "desiredCount": 1}),
        );
        let cases = [
            (
                "CreateTaskSet",
                json!({"service": "rolling", "taskDefinition": "web"}),
                "InvalidParameterException",
            ),
            (
                "CreateTaskSet",
                json!({"service": "nope", "taskDefinition": "web"}),
                "ServiceNotFoundException",
            ),
            (
                "CreateTaskSet",
                json!({"service": "bg", "taskDefinition": "web", "scale": {"value": 120, "unit": "PERCENT"}}),
                "InvalidParameterException",
            ),
            (
                "UpdateTaskSet",
                json!({"service": "bg", "taskSet": "ecs-svc/1", "scale": {"value": 10}}),
                "TaskSetNotFoundException",
            ),
            (
                "UpdateServicePrimaryTaskSet",
                json!({"service": "bg", "primaryTaskSet": "ecs-svc/1"}),
                "TaskSetNotFoundException",
            ),
            (
                "DescribeTaskSets",
                json!({"cluster": "nope", "service": "bg"}),
                "ClusterNotFoundException",
            ),
        ];
        for (operation, request, expected) in cases {
            let e = ecs.call(operation, &request).unwrap_err();
            assert_eq!(e.error_type, expected, "{operation} {request}");
        }
        // A repeated clientToken returns the same task set.
        let request = json!({"service": "bg", "taskDefinition": "web", "clientToken": "t-1"});
        let first = ok(&mut ecs, "CreateTaskSet", request.clone());
        let again = ok(&mut ecs, "CreateTaskSet", request);
        assert_eq!(first["taskSet"]["id"], again["taskSet"]["id"]);
    }
}
