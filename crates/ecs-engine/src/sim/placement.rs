//! The simulator's side of placement. It places nothing itself: it builds
//! `place::PlacementRequest`s from the account (the task definition's
//! requirements, the RunTask's or service's constraints and strategies, the
//! capacity provider), runs `place::Placer` over the cluster's host records
//! (`State::hosts`), and says the outcome in AWS's words (RunTask failures,
//! service events). The capacity-provider split is `place::capacity`'s.

use serde_json::Value;

use super::state::{State, StrategyItem, TaskDefinition};
use super::Ecs;
use crate::place::{
    Check, DecisionRecord, PlacementDecision, PlacementError, PlacementRequest, Placer,
    TaskRequirements,
};

/// A placement decision as the simulator keeps it: which batch (the n-th
/// `Placer` of the run), which decision of that batch, and its record (the
/// chosen instance, the counters, the tie, the first failed check of the
/// closest match). A replay of the run to that batch regenerates its full
/// trace exactly ([`Capture`]): nothing is recomputed on another state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskPlacement {
    pub batch: u64,
    pub decision: u32,
    pub record: DecisionRecord,
}

/// Asks a replay for the full trace of one decision: the placer explains it
/// at the moment it makes it, on the hosts it makes it on.
#[derive(Debug, Clone, Default)]
pub struct Capture {
    pub batch: u64,
    pub decision: u32,
    pub trace: Option<PlacementDecision>,
    /// The hosts the decision saw (for the explanation's free-resource text).
    pub hosts: Vec<crate::place::ContainerInstance>,
    /// What was being placed.
    pub request: Option<PlacementRequest>,
}

// A request's placementConstraints and placementStrategy as the pipeline's:
// read by the authoring preview too, so written once, in `place::strategy`.
pub use crate::place::strategy::{constraints_from_json, strategies_from_json};

/// What a task of `td` needs, with the task-level `cpu`/`memory` overrides.
pub fn requirements_for(td: &TaskDefinition, overrides: &Value) -> TaskRequirements {
    let mut requirements = td.requirements.clone();
    if let Some(cpu) = overrides
        .get("cpu")
        .and_then(Value::as_str)
        .and_then(crate::units::parse_cpu_units)
    {
        requirements.cpu = cpu;
    }
    if let Some(memory) = overrides
        .get("memory")
        .and_then(Value::as_str)
        .and_then(crate::units::parse_memory_mib)
    {
        requirements.memory = memory;
    }
    requirements
}

/// Whether instance `index` satisfies a cluster-query-language expression,
/// evaluated on its host record. An expression that does not parse matches
/// nothing (request validation reports it first).
pub fn matches_expression(state: &State, index: usize, expression: &str) -> bool {
    let Some(host) = state.host(index) else {
        return false;
    };
    crate::place::query::parse(expression).is_ok_and(|q| q.matches(host))
}

/// How many tasks with `requirements` (up to `at_most`) one empty instance
/// of `instance_type` takes, as the pipeline places them: the demand managed
/// scaling reacts to counts CPU, memory, GPUs, ENIs and ports alike.
pub fn tasks_per_instance(
    instance_type: &str,
    requirements: &TaskRequirements,
    at_most: u32,
) -> u32 {
    let Some(kind) = crate::place::catalogue::instance_type(instance_type) else {
        return 0;
    };
    let host = crate::place::ContainerInstance::of_type("i-demand", kind, "zone", false);
    let mut cluster = crate::place::Cluster::new(vec![host]);
    let request = PlacementRequest::run_task(requirements.clone());
    match Placer::new(&mut cluster, request, 0) {
        Ok(mut placer) => placer.place_many(at_most as usize) as u32,
        Err(_) => 0,
    }
}

/// Why a task was not placed, in RunTask's `failures[]` form: the reason
/// (`RESOURCE:CPU`, `RESOURCE:GPU`, `RESOURCE:ENI`, `ATTRIBUTE` …) and the
/// closest matching instance's ARN; and the service event's sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Unplaced {
    pub reason: &'static str,
    pub arn: Option<String>,
    pub event: String,
    /// The failed decision (`None` when the request itself was refused).
    pub placement: Option<TaskPlacement>,
}

impl Ecs {
    /// Runs `f` with a placer for `request` over `cluster`'s hosts (seeded
    /// from the simulation's generator). The hosts are lent to the placer for
    /// the batch and put back after it; the placer's index is kept for the
    /// next batch of the same request (`kept_index`).
    pub(crate) fn with_placer<R>(
        &mut self,
        cluster: usize,
        request: PlacementRequest,
        f: impl FnOnce(&mut Ecs, &mut Placer<'_>) -> R,
    ) -> Result<R, PlacementError> {
        // The batch's seed depends on the run's seed and the batch's rank
        // only (`place::rng::batch_seed`), so the authoring preview draws as
        // the run's first batch does. The simulation's generator still
        // advances, as it did when it gave the seed, so the ids it mints
        // after are unchanged.
        let _ = self.rng.next_u64();
        let seed = crate::place::rng::batch_seed(self.config.seed, self.state.placement_batches);
        self.state.placement_batches += 1;
        let mut hosts = self.state.take_hosts(cluster);
        let placer = self
            .state
            .kept_indexes
            .placer(cluster, &mut hosts, request, seed);
        let result = match placer {
            Ok(mut placer) => {
                let result = f(self, &mut placer);
                let (index, touched) = placer.into_index();
                self.state.kept_indexes.put(cluster, index, &touched);
                Ok(result)
            }
            Err(err) => Err(err),
        };
        self.state.put_hosts(cluster, hosts);
        result
    }

    /// The decision the placer makes next, as the simulator keeps it; and
    /// its full trace when a replay asked for it.
    fn before_decision(&mut self, placer: &Placer<'_>, given: Option<usize>) -> (u64, u32) {
        let batch = self.state.placement_batches.saturating_sub(1);
        let decision = placer.records().len() as u32;
        if let Some(capture) = self.state.capture.as_mut() {
            if capture.batch == batch && capture.decision == decision && capture.trace.is_none() {
                let mut trace = placer.explain();
                if let Some(slot) = given {
                    // StartTask and the DAEMON scheduler name the instance.
                    trace.chosen = placer
                        .cluster()
                        .instances
                        .get(slot)
                        .filter(|_| placer.failed_check(slot).is_none())
                        .map(|i| i.id.clone());
                    trace.approximations.push(
                        "The instance was given (StartTask or the DAEMON scheduler): only its checks decided; the strategies did not rank it.".into(),
                    );
                }
                capture.trace = Some(trace);
                capture.hosts = placer.cluster().instances.clone();
                capture.request = Some(placer.request().clone());
            }
        }
        (batch, decision)
    }

    fn decision_made(placer: &Placer<'_>, batch: u64, decision: u32) -> Option<TaskPlacement> {
        placer.records().last().map(|record| TaskPlacement {
            batch,
            decision,
            record: *record,
        })
    }

    /// Places the next task of a batch: the placer's choice as an
    /// `instances` index, the host already holding the task under the number
    /// `create_task` gives it next (with the decision, kept on the task).
    pub(crate) fn place_next(&mut self, cluster: usize, placer: &mut Placer<'_>) -> Option<usize> {
        self.place_task(cluster, placer, self.state.next_task_seq)
    }

    /// Places task number `task` (a new one, or one waiting for capacity):
    /// the placer's choice as an `instances` index, the host holding it.
    pub(crate) fn place_task(
        &mut self,
        cluster: usize,
        placer: &mut Placer<'_>,
        task: u64,
    ) -> Option<usize> {
        let (batch, decision) = self.before_decision(placer, None);
        placer.set_next_task_id(task);
        let slot = placer.place_one();
        self.state.last_placement = Self::decision_made(placer, batch, decision);
        self.state.instance_at(cluster, slot?)
    }

    /// Places the next task on instance `index` only (StartTask, DAEMON).
    pub(crate) fn place_next_on(
        &mut self,
        placer: &mut Placer<'_>,
        index: usize,
    ) -> Result<usize, Check> {
        let slot = self
            .state
            .instances
            .get(index)
            .map(|i| i.slot)
            .ok_or(Check::Status)?;
        let (batch, decision) = self.before_decision(placer, Some(slot));
        placer.set_next_task_id(self.state.next_task_seq);
        let placed = placer.place_on(slot).map(|_| index);
        self.state.last_placement = Self::decision_made(placer, batch, decision);
        placed
    }

    /// Why the placer cannot place now (right after a failed decision).
    pub(crate) fn unplaced(&self, cluster: usize, placer: &Placer<'_>) -> Unplaced {
        let (closest, event) = placer.unplaced();
        let reason = closest.map_or("MISSING", |(_, check)| check.failure_reason());
        let arn = closest
            .and_then(|(slot, _)| self.state.instance_at(cluster, slot))
            .and_then(|i| self.state.instances.get(i))
            .map(|i| i.arn.clone());
        Unplaced {
            reason,
            arn,
            event,
            placement: self.state.last_placement,
        }
    }
}

/// The account's strategy items as the placement engine's
/// (`place::capacity::launches` splits tasks across them).
pub fn provider_items(strategy: &[StrategyItem]) -> Vec<crate::place::capacity::ProviderItem> {
    strategy
        .iter()
        .map(|i| crate::place::capacity::ProviderItem::new(&i.capacity_provider, i.base, i.weight))
        .collect()
}

/// The strategy rules AWS enforces before placing anything.
pub fn validate_strategy(strategy: &[StrategyItem]) -> Result<(), super::AwsError> {
    crate::place::capacity::validate(&provider_items(strategy), None)
        .map_err(super::AwsError::invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(name: &str, base: u32, weight: u32) -> StrategyItem {
        StrategyItem {
            capacity_provider: name.into(),
            weight,
            base,
        }
    }

    #[test]
    fn base_then_weight_split() {
        let split = |strategy: &[StrategyItem], count: usize| {
            let items = provider_items(strategy);
            let mut placed = vec![0; items.len()];
            let launches: Option<Vec<_>> = (0..count)
                .map(|_| crate::place::capacity::next_launch(None, &items, &mut placed))
                .collect();
            launches.map(|launches| {
                let mut per: Vec<(String, usize)> = Vec::new();
                for name in launches.iter().filter_map(|l| l.capacity_provider) {
                    match per.iter_mut().find(|(n, _)| n == name) {
                        Some((_, k)) => *k += 1,
                        None => per.push((name.to_string(), 1)),
                    }
                }
                per
            })
        };
        // The Spot Workshop example: base 2 weight 1 on-demand, weight 3 spot.
        assert_eq!(
            split(&[item("od", 2, 1), item("spot", 0, 3)], 10),
            Some(vec![("od".to_string(), 4), ("spot".to_string(), 6)])
        );
        assert_eq!(
            split(&[item("a", 0, 1), item("b", 0, 1)], 6),
            Some(vec![("a".to_string(), 3), ("b".to_string(), 3)])
        );
        assert_eq!(split(&[item("a", 0, 0), item("b", 0, 0)], 1), None);
    }
}

/// The examples, through `Ecs::call`: what the pipeline brings to
/// the simulation.
#[cfg(test)]
mod scenario_tests {
    use serde_json::{json, Value};

    use crate::sim::tests::{ecs, ok};
    use crate::sim::Ecs;

    fn cluster(ecs: &mut Ecs, instance_type: &str, count: u32) {
        ok(ecs, "CreateCluster", json!({"clusterName": "default"}));
        launch(ecs, instance_type, count);
    }

    fn launch(ecs: &mut Ecs, instance_type: &str, count: u32) {
        ok(
            ecs,
            "Simulator.LaunchInstances",
            json!({"instanceType": instance_type, "count": count}),
        );
    }

    fn register(ecs: &mut Ecs, definition: Value) {
        ok(ecs, "RegisterTaskDefinition", definition);
    }

    fn reasons(out: &Value) -> Vec<String> {
        out["failures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["reason"].as_str().unwrap().to_string())
            .collect()
    }

    fn gpu_definition() -> Value {
        json!({"family": "train", "containerDefinitions": [{
            "name": "t", "image": "trainer:1", "cpu": 1024, "memory": 2048,
            "resourceRequirements": [{"type": "GPU", "value": "1"}]
        }]})
    }

    #[test]
    fn gpu_tasks_go_only_where_a_gpu_is_free() {
        let mut ecs = ecs();
        cluster(&mut ecs, "m5.large", 2);
        register(&mut ecs, gpu_definition());
        let out = ok(
            &mut ecs,
            "RunTask",
            json!({"taskDefinition": "train", "count": 3}),
        );
        assert!(out["tasks"].as_array().unwrap().is_empty());
        assert_eq!(reasons(&out), vec!["RESOURCE:GPU"; 3]);
        // One g4dn.xlarge: its one GPU takes one task; the next finds none.
        launch(&mut ecs, "g4dn.xlarge", 1);
        let out = ok(
            &mut ecs,
            "RunTask",
            json!({"taskDefinition": "train", "count": 2}),
        );
        let tasks = out["tasks"].as_array().unwrap();
        assert_eq!(tasks.len(), 1);
        let described = ok(
            &mut ecs,
            "DescribeContainerInstances",
            json!({"containerInstances": [tasks[0]["containerInstanceArn"]]}),
        );
        let attributes = described["containerInstances"][0]["attributes"].to_string();
        assert!(attributes.contains("g4dn.xlarge"), "{attributes}");
        assert_eq!(reasons(&out), vec!["RESOURCE:GPU"]);
    }

    #[test]
    fn a_gpu_service_names_the_gpu_in_its_event() {
        let mut ecs = ecs();
        cluster(&mut ecs, "m5.large", 2);
        register(&mut ecs, gpu_definition());
        ok(
            &mut ecs,
            "CreateService",
            json!({"serviceName": "train", "taskDefinition": "train", "desiredCount": 1}),
        );
        ecs.advance_to(60_000);
        let out = ok(&mut ecs, "DescribeServices", json!({"services": ["train"]}));
        let events = out["services"][0]["events"].to_string();
        assert!(events.contains("RESOURCE:GPU"), "{events}");
        assert_eq!(out["services"][0]["runningCount"], 0);
    }

    #[test]
    fn awsvpc_tasks_are_limited_by_the_instance_enis() {
        // t3.medium: 3 network interfaces, one the instance's own: 2 tasks.
        let mut ecs = ecs();
        cluster(&mut ecs, "t3.medium", 1);
        register(
            &mut ecs,
            json!({"family": "api", "networkMode": "awsvpc", "containerDefinitions": [{
                "name": "a", "image": "api:1", "cpu": 128, "memory": 256
            }]}),
        );
        let out = ok(
            &mut ecs,
            "RunTask",
            json!({"taskDefinition": "api", "count": 6,
                "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1"]}}}),
        );
        assert_eq!(out["tasks"].as_array().unwrap().len(), 2);
        assert_eq!(reasons(&out), vec!["RESOURCE:ENI"; 4]);
    }

    /// Where RunTask runs a FARGATE-only definition: on Fargate when asked
    /// (launchType or the cluster's default capacity provider strategy);
    /// with neither, AWS uses launch type EC2, so the task needs an
    /// instance like any other.
    #[test]
    fn a_fargate_only_definition_runs_where_the_launch_type_says() {
        let fargate_only = json!({"family": "fg", "networkMode": "awsvpc",
            "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
            "containerDefinitions": [{"name": "a", "image": "fg:1"}]});
        let run = |launch: Value| {
            let mut request = json!({"taskDefinition": "fg",
                "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1"]}}});
            if let (Some(request), Some(launch)) = (request.as_object_mut(), launch.as_object()) {
                request.extend(launch.clone());
            }
            request
        };
        // No instances, nothing given: EC2, and EC2 needs an instance.
        let mut empty = ecs();
        ok(
            &mut empty,
            "CreateCluster",
            json!({"clusterName": "default"}),
        );
        register(&mut empty, fargate_only.clone());
        let err = empty.call("RunTask", &run(json!({}))).unwrap_err();
        assert_eq!(
            err.message,
            "No Container Instances were found in your cluster."
        );
        // launchType FARGATE: Fargate, no instance.
        let out = ok(&mut empty, "RunTask", run(json!({"launchType": "FARGATE"})));
        let task = &out["tasks"][0];
        assert_eq!(task["launchType"], "FARGATE");
        assert!(task.get("containerInstanceArn").is_none(), "{task}");
        // The cluster's default capacity provider strategy: Fargate too.
        ok(
            &mut empty,
            "PutClusterCapacityProviders",
            json!({"cluster": "default", "capacityProviders": ["FARGATE"],
                "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1}]}),
        );
        let out = ok(&mut empty, "RunTask", run(json!({})));
        assert_eq!(out["tasks"][0]["launchType"], "FARGATE", "{out}");
        // With instances and nothing given: EC2, placed on an instance.
        let mut ecs = ecs();
        cluster(&mut ecs, "m5.large", 2);
        register(&mut ecs, fargate_only);
        let out = ok(&mut ecs, "RunTask", run(json!({})));
        let task = &out["tasks"][0];
        assert_eq!(task["launchType"], "EC2", "{out}");
        assert!(task["containerInstanceArn"].is_string(), "{task}");
        // An EC2-only definition refuses the FARGATE launch type.
        register(
            &mut ecs,
            json!({"family": "ec2", "containerDefinitions": [{"name": "a", "image": "x", "memory": 128}]}),
        );
        let err = ecs
            .call(
                "RunTask",
                &json!({"taskDefinition": "ec2", "launchType": "FARGATE"}),
            )
            .unwrap_err();
        assert!(err.message.contains("does not support launch_type FARGATE"));
    }

    #[test]
    fn arns_take_the_partition_of_the_region() {
        for (region, partition) in [
            ("us-east-1", "aws"),
            ("cn-north-1", "aws-cn"),
            ("us-gov-west-1", "aws-us-gov"),
        ] {
            let mut ecs = crate::sim::Ecs::new(crate::sim::SimConfig {
                region: region.into(),
                ..crate::sim::SimConfig::default()
            });
            let out = ok(&mut ecs, "CreateCluster", json!({"clusterName": "c"}));
            let arn = out["cluster"]["clusterArn"].as_str().unwrap().to_string();
            assert!(
                arn.starts_with(&format!("arn:{partition}:ecs:{region}:")),
                "{arn}"
            );
        }
    }

    /// Optimistic release on a full cluster: the new revision's tasks start
    /// while the old ones are still STOPPING (their stop takes 20 s).
    #[test]
    fn a_rolling_deployment_on_a_full_cluster_starts_tasks_at_stopping() {
        let mut ecs = ecs();
        cluster(&mut ecs, "m5.large", 1);
        ok(
            &mut ecs,
            "Simulator.SetImageBehavior",
            json!({"image": "app:1", "stopSeconds": 20}),
        );
        let definition = |image: &str| {
            json!({"family": "app", "containerDefinitions": [{
                "name": "a", "image": image, "cpu": 1024, "memory": 1024}]})
        };
        register(&mut ecs, definition("app:1"));
        ok(
            &mut ecs,
            "CreateService",
            json!({"serviceName": "app", "taskDefinition": "app:1", "desiredCount": 2,
                "deploymentConfiguration": {"minimumHealthyPercent": 50, "maximumPercent": 100}}),
        );
        ecs.advance_to(120_000);
        register(&mut ecs, definition("app:2"));
        ok(
            &mut ecs,
            "UpdateService",
            json!({"service": "app", "taskDefinition": "app:2"}),
        );
        let mut overlapped = false;
        for second in 121..400 {
            ecs.advance_to(second * 1000);
            let stopping_old = ecs.state.tasks.values().any(|t| {
                t.task_definition.ends_with(":1")
                    && t.last_status == crate::sim::state::TaskStatus::Stopping
            });
            let new_started = ecs
                .state
                .tasks
                .values()
                .any(|t| t.task_definition.ends_with(":2") && t.is_live());
            overlapped |= stopping_old && new_started;
            // Never more than the instance holds.
            let host = ecs.state.host(0).unwrap();
            assert!(host.used_cpu <= host.registered_cpu);
        }
        assert!(
            overlapped,
            "a new task started while an old one was STOPPING"
        );
        let out = ok(&mut ecs, "DescribeServices", json!({"services": ["app"]}));
        assert_eq!(out["services"][0]["runningCount"], 2);
    }
}
