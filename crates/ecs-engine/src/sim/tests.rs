//! Behaviour tests of the simulated ECS through its API.

use serde_json::{json, Value};

use super::{Ecs, SimConfig};

pub(crate) fn ecs() -> Ecs {
    Ecs::new(SimConfig::default())
}

pub(crate) fn ok(ecs: &mut Ecs, op: &str, request: Value) -> Value {
    match ecs.call(op, &request) {
        Ok(v) => v.into_value(),
        Err(e) => panic!("{op} failed: {} {}", e.error_type, e.message),
    }
}

fn web_task_definition(image: &str) -> Value {
    json!({
        "family": "web",
        "containerDefinitions": [{
            "name": "app",
            "image": image,
            "memory": 512,
            "cpu": 256,
            "portMappings": [{"containerPort": 80}]
        }]
    })
}

/// An empty Auto Scaling group `asg` of m5.large (at most `max_size`
/// instances) behind capacity provider `cp`, its managed scaling `scaling`
/// ("ENABLED" or "DISABLED") at a target capacity of 100%.
pub(crate) fn empty_scaling_provider(ecs: &mut Ecs, max_size: u32, scaling: &str) {
    ok(
        ecs,
        "Simulator.CreateAutoScalingGroup",
        json!({"name": "asg", "instanceType": "m5.large", "minSize": 0, "maxSize": max_size, "desiredCapacity": 0}),
    );
    ok(
        ecs,
        "CreateCapacityProvider",
        json!({"name": "cp", "autoScalingGroupProvider": {"autoScalingGroupArn": "asg", "managedScaling": {"status": scaling, "targetCapacity": 100}}}),
    );
}

/// A cluster with `instances` m5.large instances and a web task definition.
pub(crate) fn cluster_with(ecs: &mut Ecs, instances: u32) {
    ok(ecs, "CreateCluster", json!({"clusterName": "default"}));
    if instances > 0 {
        ok(
            ecs,
            "Simulator.LaunchInstances",
            json!({"instanceType": "m5.large", "count": instances}),
        );
    }
    ok(
        ecs,
        "RegisterTaskDefinition",
        web_task_definition("nginx:1"),
    );
}

fn service(ecs: &mut Ecs, name: &str) -> Value {
    let out = ok(ecs, "DescribeServices", json!({"services": [name]}));
    out["services"][0].clone()
}

fn messages(service: &Value) -> Vec<String> {
    service["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn errors_are_aws_shaped() {
    let mut ecs = ecs();
    let e = ecs
        .call(
            "DescribeServices",
            &json!({"cluster": "nope", "services": ["x"]}),
        )
        .unwrap_err();
    assert_eq!(e.error_type, "ClusterNotFoundException");
    let text = ecs.call_json("CreateService", "{not json");
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["__type"], "SerializationException");
    let e = ecs.call("Frobnicate", &json!({})).unwrap_err();
    assert_eq!(e.error_type, "UnknownOperationException");
    ok(&mut ecs, "CreateCluster", json!({}));
    let e = ecs
        .call("UpdateService", &json!({"service": "missing"}))
        .unwrap_err();
    assert_eq!(e.error_type, "ServiceNotFoundException");
}

#[test]
fn task_definition_revisions_are_never_reused() {
    let mut ecs = ecs();
    let td = web_task_definition("nginx:1");
    let first = ok(&mut ecs, "RegisterTaskDefinition", td.clone());
    assert_eq!(first["taskDefinition"]["revision"], 1);
    ok(
        &mut ecs,
        "DeregisterTaskDefinition",
        json!({"taskDefinition": "web:1"}),
    );
    let second = ok(&mut ecs, "RegisterTaskDefinition", td);
    assert_eq!(second["taskDefinition"]["revision"], 2);
    // Nothing uses web:1 any more, so it is no longer describable (B-TD-03).
    let e = ecs
        .call(
            "DescribeTaskDefinition",
            &json!({"taskDefinition": "web:1"}),
        )
        .unwrap_err();
    assert_eq!(e.error_type, "ClientException");
    // `family` alone resolves to the latest ACTIVE revision.
    let latest = ok(
        &mut ecs,
        "DescribeTaskDefinition",
        json!({"taskDefinition": "web"}),
    );
    assert_eq!(latest["taskDefinition"]["revision"], 2);
    let listed = ok(&mut ecs, "ListTaskDefinitions", json!({"status": "ALL"}));
    assert_eq!(listed["taskDefinitionArns"].as_array().unwrap().len(), 2);
}

#[test]
fn register_normalises_cpu_and_memory() {
    let mut ecs = ecs();
    let out = ok(
        &mut ecs,
        "RegisterTaskDefinition",
        json!({
            "family": "f",
            "requiresCompatibilities": ["FARGATE"],
            "networkMode": "awsvpc",
            "cpu": "1 vCPU",
            "memory": "2 GB",
            "containerDefinitions": [{"name": "a", "image": "busybox"}]
        }),
    );
    let td = &out["taskDefinition"];
    assert_eq!(td["cpu"], "1024");
    assert_eq!(td["memory"], "2048");
    assert_eq!(td["compatibilities"], json!(["EC2", "FARGATE"]));
    assert_eq!(td["containerDefinitions"][0]["essential"], true);
}

#[test]
fn run_task_walks_the_lifecycle() {
    let mut ecs = ecs();
    cluster_with(&mut ecs, 1);
    let out = ok(&mut ecs, "RunTask", json!({"taskDefinition": "web"}));
    let task = &out["tasks"][0];
    assert_eq!(task["lastStatus"], "PROVISIONING");
    assert_eq!(task["desiredStatus"], "RUNNING");
    assert_eq!(task["group"], "family:web");
    let arn = task["taskArn"].as_str().unwrap().to_string();
    ecs.advance_to(60_000);
    let described = ok(&mut ecs, "DescribeTasks", json!({"tasks": [arn.clone()]}));
    let task = &described["tasks"][0];
    assert_eq!(task["lastStatus"], "RUNNING");
    for key in ["createdAt", "pullStartedAt", "pullStoppedAt", "startedAt"] {
        assert!(task[key].is_number(), "{key} missing");
    }
    ok(
        &mut ecs,
        "StopTask",
        json!({"task": arn.clone(), "reason": "done"}),
    );
    ecs.advance_to(120_000);
    let described = ok(&mut ecs, "DescribeTasks", json!({"tasks": [arn]}));
    let task = &described["tasks"][0];
    assert_eq!(task["lastStatus"], "STOPPED");
    assert_eq!(task["stopCode"], "UserInitiated");
    assert_eq!(task["stoppedReason"], "done");
    assert_eq!(task["containers"][0]["exitCode"], 0);
    assert!(task["stoppedAt"].is_number() && task["stoppingAt"].is_number());
}

#[test]
fn run_task_reports_port_conflicts_as_failures() {
    let mut ecs = ecs();
    ok(&mut ecs, "CreateCluster", json!({}));
    ok(&mut ecs, "Simulator.LaunchInstances", json!({"count": 1}));
    ok(
        &mut ecs,
        "RegisterTaskDefinition",
        json!({
            "family": "fixed",
            "containerDefinitions": [{"name": "a", "image": "nginx", "memory": 128, "portMappings": [{"containerPort": 80, "hostPort": 8080}]}]
        }),
    );
    let out = ok(
        &mut ecs,
        "RunTask",
        json!({"taskDefinition": "fixed", "count": 2}),
    );
    assert_eq!(out["tasks"].as_array().unwrap().len(), 1);
    assert_eq!(out["failures"][0]["reason"], "RESOURCE:PORTS");
}

#[test]
fn replica_service_reaches_steady_state() {
    let mut ecs = ecs();
    cluster_with(&mut ecs, 3);
    let created = ok(
        &mut ecs,
        "CreateService",
        json!({"serviceName": "api", "taskDefinition": "web", "desiredCount": 3}),
    );
    let d = &created["service"]["deployments"][0];
    assert_eq!(d["status"], "PRIMARY");
    assert_eq!(d["rolloutState"], "IN_PROGRESS");
    assert!(d["id"].as_str().unwrap().starts_with("ecs-svc/"));
    ecs.advance_to(120_000);
    let s = service(&mut ecs, "api");
    assert_eq!(s["runningCount"], 3);
    assert_eq!(s["deployments"][0]["rolloutState"], "COMPLETED");
    let events = messages(&s);
    assert_eq!(events[0], "(service api) has reached a steady state.");
    assert!(events[1].contains("deployment completed."));
    assert!(events
        .iter()
        .any(|m| m.starts_with("(service api) has started 3 tasks:")));
    // Tasks carry the deployment id and the service group; spread over AZs.
    let listed = ok(&mut ecs, "ListTasks", json!({"serviceName": "api"}));
    let arns = listed["taskArns"].clone();
    let tasks = ok(&mut ecs, "DescribeTasks", json!({"tasks": arns}));
    let mut zones: Vec<String> = Vec::new();
    for t in tasks["tasks"].as_array().unwrap() {
        assert_eq!(t["group"], "service:api");
        assert_eq!(t["startedBy"], s["deployments"][0]["id"]);
        zones.push(t["availabilityZone"].as_str().unwrap().to_string());
    }
    zones.sort();
    zones.dedup();
    assert_eq!(zones.len(), 3);
}

/// Counts of tasks that are wanted (desired RUNNING) per task definition.
fn wanted_by_revision(ecs: &Ecs) -> (usize, usize) {
    let mut old = 0;
    let mut new = 0;
    for t in ecs.state.tasks.values().filter(|t| t.is_wanted()) {
        if t.task_definition.ends_with(":1") {
            old += 1;
        } else {
            new += 1;
        }
    }
    (old, new)
}

/// The A3 best-practices example: six tasks on a cluster with room for eight.
fn best_practices(min_percent: u32) -> Vec<(usize, usize)> {
    let mut ecs = ecs();
    ok(&mut ecs, "CreateCluster", json!({}));
    // Each m5.large (2048 CPU) takes two 1024-CPU tasks: 4 instances, room for 8.
    ok(&mut ecs, "Simulator.LaunchInstances", json!({"count": 4}));
    let td = |image: &str| json!({"family": "bp", "containerDefinitions": [{"name": "a", "image": image, "cpu": 1024, "memory": 1024}]});
    ok(&mut ecs, "RegisterTaskDefinition", td("app:1"));
    ok(
        &mut ecs,
        "CreateService",
        json!({
            "serviceName": "bp", "taskDefinition": "bp:1", "desiredCount": 6,
            "deploymentConfiguration": {"minimumHealthyPercent": min_percent, "maximumPercent": 200}
        }),
    );
    ecs.advance_to(300_000);
    assert_eq!(wanted_by_revision(&ecs), (6, 0));
    ok(&mut ecs, "RegisterTaskDefinition", td("app:2"));
    ok(
        &mut ecs,
        "UpdateService",
        json!({"service": "bp", "taskDefinition": "bp:2"}),
    );
    let mut phases = vec![wanted_by_revision(&ecs)];
    let end = ecs.now() + 1_800_000;
    while ecs.now() < end {
        let next = ecs.now() + 1_000;
        ecs.advance_to(next);
        let counts = wanted_by_revision(&ecs);
        assert!(counts.0 + counts.1 <= 8, "over capacity: {counts:?}");
        if phases.last() != Some(&counts) {
            phases.push(counts);
        }
    }
    phases
}

#[test]
fn best_practices_example_with_defaults() {
    // The guide's sequence is start 2 new → stop 2 old → start 2 → stop 2 →
    // start 2 → stop 2. With optimistic release (agent ≥ 1.73.0, A1) the
    // stopped tasks' resources are free the moment they reach STOPPING, so
    // each "start 2" follows its "stop 2" within the same second.
    let phases = best_practices(100);
    let expected = vec![(6, 2), (4, 4), (2, 6), (0, 6)];
    let compact: Vec<(usize, usize)> = phases.into_iter().filter(|p| *p != (6, 0)).collect();
    assert_eq!(compact, expected);
}

#[test]
fn best_practices_example_at_fifty_percent() {
    // Stop 3 old (with 2 new started) → 5 new → stop the remaining 3 → the last one.
    let phases = best_practices(50);
    assert!(phases.contains(&(3, 5)), "{phases:?}");
    assert_eq!(phases.last(), Some(&(0, 6)));
    assert!(phases
        .iter()
        .all(|(old, _)| *old >= 3 || phases.iter().any(|p| p.1 >= 5)));
}

#[test]
fn configuration_that_cannot_progress_says_so() {
    let mut ecs = ecs();
    cluster_with(&mut ecs, 3);
    ok(
        &mut ecs,
        "CreateService",
        json!({
            "serviceName": "stuck", "taskDefinition": "web", "desiredCount": 3,
            "deploymentConfiguration": {"minimumHealthyPercent": 100, "maximumPercent": 100}
        }),
    );
    ecs.advance_to(120_000);
    ok(
        &mut ecs,
        "RegisterTaskDefinition",
        web_task_definition("nginx:2"),
    );
    ok(
        &mut ecs,
        "UpdateService",
        json!({"service": "stuck", "taskDefinition": "web:2"}),
    );
    ecs.advance_to(300_000);
    let s = service(&mut ecs, "stuck");
    assert!(messages(&s).iter().any(|m| m.contains("was unable to stop or start tasks during a deployment because of the service deployment configuration")), "{:?}", messages(&s));
    assert_eq!(s["deployments"].as_array().unwrap().len(), 2);
}

#[test]
fn circuit_breaker_rolls_back_to_the_completed_revision() {
    let mut ecs = ecs();
    cluster_with(&mut ecs, 3);
    ok(
        &mut ecs,
        "CreateService",
        json!({
            "serviceName": "api", "taskDefinition": "web:1", "desiredCount": 2,
            "deploymentConfiguration": {"deploymentCircuitBreaker": {"enable": true, "rollback": true}}
        }),
    );
    ecs.advance_to(120_000);
    ok(
        &mut ecs,
        "Simulator.SetImageBehavior",
        json!({"image": "broken:1", "startFailure": "CannotPullContainerError: pull image manifest has been retried 5 time(s)"}),
    );
    ok(
        &mut ecs,
        "RegisterTaskDefinition",
        web_task_definition("broken:1"),
    );
    let updated = ok(
        &mut ecs,
        "UpdateService",
        json!({"service": "api", "taskDefinition": "web:2"}),
    );
    let failed_id = updated["service"]["deployments"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    ecs.advance_to(1_800_000);
    let s = service(&mut ecs, "api");
    assert_eq!(
        s["taskDefinition"].as_str().unwrap().rsplit('/').next(),
        Some("web:1")
    );
    let deployments = s["deployments"].as_array().unwrap();
    assert_eq!(deployments.len(), 1, "{deployments:?}");
    assert_eq!(deployments[0]["rolloutState"], "COMPLETED");
    assert!(messages(&s)
        .iter()
        .any(|m| m.contains(&format!("(deployment {failed_id}) deployment failed"))));
    // Service deployments: the failed one rolled back, without a new revision.
    let listed = ok(
        &mut ecs,
        "ListServiceDeployments",
        json!({"service": "api"}),
    );
    let briefs = listed["serviceDeployments"].as_array().unwrap();
    assert_eq!(briefs.len(), 2);
    assert_eq!(briefs[0]["status"], "ROLLBACK_SUCCESSFUL");
    assert_eq!(briefs[1]["status"], "SUCCESSFUL");
    let arn = briefs[0]["serviceDeploymentArn"].clone();
    let described = ok(
        &mut ecs,
        "DescribeServiceDeployments",
        json!({"serviceDeploymentArns": [arn]}),
    );
    let sd = &described["serviceDeployments"][0];
    assert_eq!(sd["deploymentCircuitBreaker"]["status"], "TRIGGERED");
    assert_eq!(sd["deploymentCircuitBreaker"]["threshold"], 3);
    assert_eq!(
        sd["rollback"]["serviceRevisionArn"],
        briefs[1]["targetServiceRevisionArn"]
    );
    let revisions = ok(
        &mut ecs,
        "DescribeServiceRevisions",
        json!({"serviceRevisionArns": [briefs[1]["targetServiceRevisionArn"].clone()]}),
    );
    assert!(revisions["serviceRevisions"][0]["taskDefinition"]
        .as_str()
        .unwrap()
        .ends_with("web:1"));
}

#[test]
fn circuit_breaker_without_rollback_leaves_the_deployment_failed() {
    let mut ecs = ecs();
    cluster_with(&mut ecs, 3);
    ok(
        &mut ecs,
        "CreateService",
        json!({
            "serviceName": "api", "taskDefinition": "web:1", "desiredCount": 2,
            "deploymentConfiguration": {"deploymentCircuitBreaker": {"enable": true, "rollback": false}}
        }),
    );
    ecs.advance_to(120_000);
    ok(
        &mut ecs,
        "Simulator.SetImageBehavior",
        json!({"image": "broken:1", "startFailure": "CannotPullContainerError"}),
    );
    ok(
        &mut ecs,
        "RegisterTaskDefinition",
        web_task_definition("broken:1"),
    );
    ok(
        &mut ecs,
        "UpdateService",
        json!({"service": "api", "taskDefinition": "web:2"}),
    );
    ecs.advance_to(1_800_000);
    let s = service(&mut ecs, "api");
    let primary = &s["deployments"][0];
    assert_eq!(primary["rolloutState"], "FAILED");
    assert_eq!(
        primary["rolloutStateReason"],
        "ECS deployment circuit breaker: tasks failed to start."
    );
    assert_eq!(primary["failedTasks"], 3);
    // Nothing new launches; the old tasks keep running.
    assert_eq!(wanted_by_revision(&ecs), (2, 0));
}

#[test]
fn unhealthy_tasks_are_replaced_and_the_throttle_backs_off() {
    let mut ecs = ecs();
    ok(&mut ecs, "CreateCluster", json!({}));
    ok(&mut ecs, "Simulator.LaunchInstances", json!({"count": 2}));
    ok(
        &mut ecs,
        "Simulator.SetImageBehavior",
        json!({"image": "sick", "health": [{"atSeconds": 0, "status": "HEALTHY"}, {"atSeconds": 60, "status": "UNHEALTHY"}]}),
    );
    ok(
        &mut ecs,
        "RegisterTaskDefinition",
        json!({"family": "sick", "containerDefinitions": [{"name": "a", "image": "sick", "memory": 256, "healthCheck": {"command": ["CMD", "true"]}}]}),
    );
    ok(
        &mut ecs,
        "CreateService",
        json!({"serviceName": "s", "taskDefinition": "sick", "desiredCount": 1}),
    );
    ecs.advance_to(400_000);
    let stopped = ok(
        &mut ecs,
        "ListTasks",
        json!({"serviceName": "s", "desiredStatus": "STOPPED"}),
    );
    let tasks = ok(
        &mut ecs,
        "DescribeTasks",
        json!({"tasks": stopped["taskArns"].clone()}),
    );
    let first = &tasks["tasks"][0];
    assert_eq!(
        first["stoppedReason"],
        "Task failed container health checks"
    );
    assert_eq!(first["stopCode"], "ServiceSchedulerInitiated");
    assert_eq!(first["healthStatus"], "UNHEALTHY");

    // A task that never starts trips the throttle.
    let mut ecs = self::ecs();
    ok(&mut ecs, "CreateCluster", json!({}));
    ok(&mut ecs, "Simulator.LaunchInstances", json!({"count": 1}));
    ok(
        &mut ecs,
        "Simulator.SetImageBehavior",
        json!({"image": "nope", "startFailure": "CannotPullContainerError"}),
    );
    ok(
        &mut ecs,
        "RegisterTaskDefinition",
        json!({"family": "nope", "containerDefinitions": [{"name": "a", "image": "nope", "memory": 256}]}),
    );
    ok(
        &mut ecs,
        "CreateService",
        json!({"serviceName": "n", "taskDefinition": "nope", "desiredCount": 1}),
    );
    ecs.advance_to(3_600_000);
    let s = service(&mut ecs, "n");
    assert!(messages(&s)
        .contains(&"(service n) is unable to consistently start tasks successfully.".to_string()));
    // Backoff: far fewer attempts than one per 7 seconds over an hour.
    let attempts = ecs.state.tasks.len();
    assert!(attempts < 40, "{attempts} attempts");
}

#[test]
fn draining_replaces_tasks_elsewhere() {
    let mut ecs = ecs();
    cluster_with(&mut ecs, 3);
    ok(
        &mut ecs,
        "CreateService",
        json!({"serviceName": "api", "taskDefinition": "web", "desiredCount": 3}),
    );
    ecs.advance_to(120_000);
    let instances = ok(&mut ecs, "ListContainerInstances", json!({}));
    let first = instances["containerInstanceArns"][0].clone();
    let out = ok(
        &mut ecs,
        "UpdateContainerInstancesState",
        json!({"containerInstances": [first.clone()], "status": "DRAINING"}),
    );
    assert_eq!(out["containerInstances"][0]["status"], "DRAINING");
    ecs.advance_to(400_000);
    let described = ok(
        &mut ecs,
        "DescribeContainerInstances",
        json!({"containerInstances": [first]}),
    );
    assert_eq!(described["containerInstances"][0]["runningTasksCount"], 0);
    let s = service(&mut ecs, "api");
    assert_eq!(s["runningCount"], 3);
}

#[test]
fn daemon_runs_one_task_per_instance() {
    let mut ecs = ecs();
    cluster_with(&mut ecs, 3);
    ok(
        &mut ecs,
        "CreateService",
        json!({"serviceName": "agent", "taskDefinition": "web", "schedulingStrategy": "DAEMON"}),
    );
    ecs.advance_to(120_000);
    let s = service(&mut ecs, "agent");
    assert_eq!(s["desiredCount"], 3);
    assert_eq!(s["runningCount"], 3);
    ok(&mut ecs, "Simulator.LaunchInstances", json!({"count": 1}));
    ecs.advance_to(240_000);
    let s = service(&mut ecs, "agent");
    assert_eq!(s["runningCount"], 4);
    assert_eq!(s["deployments"][0]["rolloutState"], "COMPLETED");
}

#[test]
fn lists_page_with_next_token() {
    let mut ecs = ecs();
    for n in 0..12 {
        ok(
            &mut ecs,
            "CreateCluster",
            json!({"clusterName": format!("c{n:02}")}),
        );
    }
    let first = ok(&mut ecs, "ListClusters", json!({"maxResults": 5}));
    assert_eq!(first["clusterArns"].as_array().unwrap().len(), 5);
    let token = first["nextToken"].clone();
    let second = ok(
        &mut ecs,
        "ListClusters",
        json!({"maxResults": 10, "nextToken": token}),
    );
    assert_eq!(second["clusterArns"].as_array().unwrap().len(), 7);
    assert!(second.get("nextToken").is_none());
}

#[test]
fn same_seed_gives_the_same_timeline() {
    let run = |seed: u64| {
        let mut ecs = Ecs::new(SimConfig {
            seed,
            ..SimConfig::default()
        });
        cluster_with(&mut ecs, 4);
        ok(
            &mut ecs,
            "CreateService",
            json!({"serviceName": "api", "taskDefinition": "web", "desiredCount": 5}),
        );
        ecs.advance_to(100_000);
        ok(
            &mut ecs,
            "RegisterTaskDefinition",
            web_task_definition("nginx:2"),
        );
        ok(
            &mut ecs,
            "UpdateService",
            json!({"service": "api", "taskDefinition": "web:2"}),
        );
        ecs.advance_to(600_000);
        serde_json::to_string(&ecs.timeline().collect::<Vec<_>>()).unwrap()
    };
    assert_eq!(run(9), run(9));
    assert_ne!(run(9), run(10));
}

#[test]
fn requests_are_shape_checked_before_they_act() {
    let mut ecs = ecs();
    cluster_with(&mut ecs, 1);
    let e = ecs
        .call(
            "CreateService",
            &json!({"serviceName": "x", "taskDefinition": "web", "desiredCount": "three"}),
        )
        .unwrap_err();
    // Engine I's shape check answers as the SDK does for a wrong type.
    assert_eq!(e.error_type, "ParamValidationError", "{}", e.message);
    assert!(e.message.contains("desiredCount"));
    assert!(ecs.state.services.is_empty());
    let e = ecs
        .call(
            "RunTask",
            &json!({"taskDefinition": "web", "launchType": "SPACESHIP"}),
        )
        .unwrap_err();
    assert_eq!(e.error_type, "InvalidParameterException", "{}", e.message);
}

/// A quoted number passes the shape check (a warning, as CloudFormation
/// converts it) but not the simulator's typed read of the request, which
/// reads every member before acting: UpdateService changes nothing, not
/// even the members before the bad one.
#[test]
fn a_badly_typed_member_fails_the_whole_request_before_it_acts() {
    let mut ecs = ecs();
    cluster_with(&mut ecs, 1);
    ok(
        &mut ecs,
        "RegisterTaskDefinition",
        web_task_definition("nginx:1"),
    );
    ok(
        &mut ecs,
        "CreateService",
        json!({"serviceName": "s", "taskDefinition": "web", "desiredCount": 1}),
    );
    let e = ecs
        .call(
            "UpdateService",
            &json!({"service": "s", "desiredCount": 3, "healthCheckGracePeriodSeconds": "30"}),
        )
        .unwrap_err();
    assert_eq!(
        (e.error_type.as_str(), e.message.as_str()),
        (
            "SerializationException",
            "healthCheckGracePeriodSeconds: expected an integer"
        )
    );
    assert_eq!(ecs.state.services[0].desired_count, 1);
    let e = ecs
        .call("RunTask", &json!({"taskDefinition": "web", "count": "2"}))
        .unwrap_err();
    assert_eq!(e.message, "count: expected an integer");
    assert!(ecs.state.tasks.values().all(|t| t.service.is_some()));
}

#[test]
fn member_of_uses_the_cluster_query_language() {
    let mut ecs = ecs();
    ok(&mut ecs, "CreateCluster", json!({}));
    ok(
        &mut ecs,
        "Simulator.LaunchInstances",
        json!({"instanceType": "m5.large", "count": 2}),
    );
    ok(
        &mut ecs,
        "Simulator.LaunchInstances",
        json!({"instanceType": "c5.large", "count": 2}),
    );
    ok(
        &mut ecs,
        "RegisterTaskDefinition",
        web_task_definition("nginx:1"),
    );
    let out = ok(
        &mut ecs,
        "RunTask",
        json!({
            "taskDefinition": "web", "count": 4,
            "placementConstraints": [{"type": "memberOf", "expression": "attribute:ecs.instance-type =~ c5.*"}]
        }),
    );
    for t in out["tasks"].as_array().unwrap() {
        let arn = t["containerInstanceArn"].clone();
        let described = ok(
            &mut ecs,
            "DescribeContainerInstances",
            json!({"containerInstances": [arn]}),
        );
        let attrs = described["containerInstances"][0]["attributes"]
            .as_array()
            .unwrap()
            .clone();
        assert!(attrs
            .iter()
            .any(|a| a["name"] == "ecs.instance-type" && a["value"] == "c5.large"));
    }
    let listed = ok(
        &mut ecs,
        "ListContainerInstances",
        json!({"filter": "attribute:ecs.instance-type == m5.large"}),
    );
    assert_eq!(listed["containerInstanceArns"].as_array().unwrap().len(), 2);
}

#[test]
fn capacity_provider_strategy_splits_base_then_weight() {
    let mut ecs = ecs();
    ok(
        &mut ecs,
        "CreateCluster",
        json!({"clusterName": "default", "capacityProviders": ["FARGATE", "FARGATE_SPOT"]}),
    );
    ok(
        &mut ecs,
        "RegisterTaskDefinition",
        json!({
            "family": "f", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "cpu": "256", "memory": "512",
            "containerDefinitions": [{"name": "a", "image": "busybox"}]
        }),
    );
    ok(
        &mut ecs,
        "CreateService",
        json!({
            "serviceName": "mix", "taskDefinition": "f", "desiredCount": 10,
            "capacityProviderStrategy": [{"capacityProvider": "FARGATE", "base": 2, "weight": 1}, {"capacityProvider": "FARGATE_SPOT", "weight": 3}],
            "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1"]}}
        }),
    );
    ecs.advance_to(120_000);
    let on = |p: &str| {
        ecs.state
            .tasks
            .values()
            .filter(|t| t.capacity_provider.as_deref() == Some(p))
            .count()
    };
    assert_eq!((on("FARGATE"), on("FARGATE_SPOT")), (4, 6));
}

fn fargate_service(ecs: &mut Ecs, strategy: Value) {
    ok(
        ecs,
        "CreateCluster",
        json!({"clusterName": "default", "capacityProviders": ["FARGATE", "FARGATE_SPOT"]}),
    );
    ok(
        ecs,
        "RegisterTaskDefinition",
        json!({
            "family": "f", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "cpu": "256", "memory": "512",
            "containerDefinitions": [{"name": "a", "image": "busybox"}]
        }),
    );
    ok(
        ecs,
        "CreateService",
        json!({
            "serviceName": "spot", "taskDefinition": "f", "desiredCount": 2, "capacityProviderStrategy": strategy,
            "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1"]}}
        }),
    );
}

#[test]
fn fargate_spot_interruption_is_replaced() {
    let mut ecs = ecs();
    fargate_service(
        &mut ecs,
        json!([{"capacityProvider": "FARGATE_SPOT", "weight": 1}]),
    );
    ecs.advance_to(120_000);
    let listed = ok(&mut ecs, "ListTasks", json!({"serviceName": "spot"}));
    let victim = listed["taskArns"][0].clone();
    ok(
        &mut ecs,
        "Simulator.InjectFault",
        json!({"type": "SPOT_INTERRUPTION", "task": victim.clone()}),
    );
    ecs.advance_to(400_000);
    let described = ok(&mut ecs, "DescribeTasks", json!({"tasks": [victim]}));
    assert_eq!(described["tasks"][0]["stopCode"], "SpotInterruption");
    assert_eq!(described["tasks"][0]["lastStatus"], "STOPPED");
    assert_eq!(service(&mut ecs, "spot")["runningCount"], 2);
    // Only Spot tasks can be interrupted.
    let mut ecs = self::ecs();
    fargate_service(
        &mut ecs,
        json!([{"capacityProvider": "FARGATE", "weight": 1}]),
    );
    ecs.advance_to(60_000);
    let listed = ok(&mut ecs, "ListTasks", json!({"serviceName": "spot"}));
    let e = ecs
        .call(
            "Simulator.InjectFault",
            &json!({"type": "SPOT_INTERRUPTION", "task": listed["taskArns"][0]}),
        )
        .unwrap_err();
    assert_eq!(e.error_type, "InvalidParameterException");
}

#[test]
fn stop_service_deployment_rolls_back() {
    let mut ecs = ecs();
    cluster_with(&mut ecs, 3);
    ok(
        &mut ecs,
        "CreateService",
        json!({"serviceName": "api", "taskDefinition": "web:1", "desiredCount": 2}),
    );
    ecs.advance_to(120_000);
    ok(
        &mut ecs,
        "Simulator.SetImageBehavior",
        json!({"image": "slow:1", "pullSeconds": 600}),
    );
    ok(
        &mut ecs,
        "RegisterTaskDefinition",
        web_task_definition("slow:1"),
    );
    ok(
        &mut ecs,
        "UpdateService",
        json!({"service": "api", "taskDefinition": "web:2"}),
    );
    ecs.advance_to(130_000);
    let listed = ok(
        &mut ecs,
        "ListServiceDeployments",
        json!({"service": "api", "status": ["IN_PROGRESS"]}),
    );
    let arn = listed["serviceDeployments"][0]["serviceDeploymentArn"].clone();
    ok(
        &mut ecs,
        "StopServiceDeployment",
        json!({"serviceDeploymentArn": arn.clone()}),
    );
    ecs.advance_to(400_000);
    let s = service(&mut ecs, "api");
    assert!(s["taskDefinition"].as_str().unwrap().ends_with("web:1"));
    assert_eq!(s["deployments"].as_array().unwrap().len(), 1);
    let described = ok(
        &mut ecs,
        "DescribeServiceDeployments",
        json!({"serviceDeploymentArns": [arn.clone()]}),
    );
    assert_eq!(
        described["serviceDeployments"][0]["status"],
        "ROLLBACK_SUCCESSFUL"
    );
    // A finished deployment can't be stopped again.
    let e = ecs
        .call(
            "StopServiceDeployment",
            &json!({"serviceDeploymentArn": arn}),
        )
        .unwrap_err();
    assert_eq!(e.error_type, "ConflictException");
}

#[test]
fn grace_period_delays_replacing_unhealthy_tasks() {
    let run = |grace: u32| {
        let mut ecs = ecs();
        ok(&mut ecs, "CreateCluster", json!({}));
        ok(&mut ecs, "Simulator.LaunchInstances", json!({"count": 2}));
        ok(
            &mut ecs,
            "Simulator.SetImageBehavior",
            json!({"image": "slowstart", "health": [{"atSeconds": 0, "status": "UNHEALTHY"}, {"atSeconds": 200, "status": "HEALTHY"}]}),
        );
        ok(
            &mut ecs,
            "RegisterTaskDefinition",
            json!({"family": "s", "containerDefinitions": [{"name": "a", "image": "slowstart", "memory": 256, "healthCheck": {"command": ["CMD", "true"], "interval": 10, "retries": 3}}]}),
        );
        ok(
            &mut ecs,
            "CreateService",
            json!({"serviceName": "s", "taskDefinition": "s", "desiredCount": 1, "healthCheckGracePeriodSeconds": grace}),
        );
        ecs.advance_to(600_000);
        ok(
            &mut ecs,
            "ListTasks",
            json!({"serviceName": "s", "desiredStatus": "STOPPED"}),
        )["taskArns"]
            .as_array()
            .unwrap()
            .len()
    };
    // Without a grace period the task is replaced while it warms up; with
    // 300 s the scheduler ignores the failing checks until it is healthy.
    assert!(run(0) > 0);
    assert_eq!(run(300), 0);
}

#[test]
fn inactive_revisions_stay_describable_while_in_use() {
    let mut ecs = ecs();
    cluster_with(&mut ecs, 1);
    ok(
        &mut ecs,
        "CreateService",
        json!({"serviceName": "api", "taskDefinition": "web:1", "desiredCount": 1}),
    );
    ecs.advance_to(60_000);
    ok(
        &mut ecs,
        "DeregisterTaskDefinition",
        json!({"taskDefinition": "web:1"}),
    );
    let described = ok(
        &mut ecs,
        "DescribeTaskDefinition",
        json!({"taskDefinition": "web:1"}),
    );
    assert_eq!(described["taskDefinition"]["status"], "INACTIVE");
    // The service keeps running and can still scale on the INACTIVE revision.
    ok(
        &mut ecs,
        "UpdateService",
        json!({"service": "api", "desiredCount": 2}),
    );
    ecs.advance_to(180_000);
    assert_eq!(service(&mut ecs, "api")["runningCount"], 2);
    // But nothing new may start from it.
    let e = ecs
        .call("RunTask", &json!({"taskDefinition": "web:1"}))
        .unwrap_err();
    assert_eq!(e.error_type, "ClientException");
}

/// A service's constraints and strategies are parsed once, when it is
/// created or updated: the typed form the scheduler places with follows
/// every change, and DescribeServices still answers the form given.
#[test]
fn service_placement_is_parsed_when_created_and_updated() {
    use crate::place::{BinpackField, PlacementConstraint, PlacementStrategy, SpreadField};
    let mut ecs = ecs();
    cluster_with(&mut ecs, 2);
    ok(
        &mut ecs,
        "CreateService",
        json!({"serviceName": "s", "taskDefinition": "web", "desiredCount": 1,
               "placementStrategy": [{"type": "spread", "field": "instanceId"}],
               "placementConstraints": [{"type": "distinctInstance"}]}),
    );
    let placement = |ecs: &Ecs| ecs.state.services[0].placement.clone();
    assert_eq!(
        placement(&ecs).strategies(),
        [PlacementStrategy::Spread(SpreadField::Instance)]
    );
    assert_eq!(
        placement(&ecs).constraints(),
        [PlacementConstraint::DistinctInstance]
    );
    let given = json!([{"type": "binpack", "field": "memory"}]);
    ok(
        &mut ecs,
        "UpdateService",
        json!({"service": "s", "placementStrategy": given}),
    );
    assert_eq!(
        placement(&ecs).strategies(),
        [PlacementStrategy::Binpack(BinpackField::Memory)]
    );
    // Constraints not named in the update stay as they were.
    assert_eq!(
        placement(&ecs).constraints(),
        [PlacementConstraint::DistinctInstance]
    );
    let described = ok(&mut ecs, "DescribeServices", json!({"services": ["s"]}));
    assert_eq!(described["services"][0]["placementStrategy"], given);
}

/// A service launched with an Auto Scaling group capacity provider whose
/// tasks do not fit the capacity there is: ECS does not count them toward
/// the deployment circuit breaker. They wait for managed scaling to launch
/// capacity ("If the Auto Scaling group is unable to scale out to
/// accommodate the number of tasks run, the tasks will fail to transition
/// beyond the PROVISIONING state", developer guide, asg-capacity-providers;
/// the circuit breaker counts tasks that fail to reach RUNNING or fail
/// health checks, ecs-semantics E6), and are placed when it arrives.
#[test]
fn tasks_waiting_for_capacity_never_trip_the_circuit_breaker() {
    for (max_size, placed) in [(2u32, 4usize), (1, 2)] {
        let mut ecs = ecs();
        empty_scaling_provider(&mut ecs, max_size, "ENABLED");
        ok(
            &mut ecs,
            "CreateCluster",
            json!({"clusterName": "default", "capacityProviders": ["cp"]}),
        );
        // Two tasks fit an m5.large (7,985 MiB registered).
        ok(
            &mut ecs,
            "RegisterTaskDefinition",
            json!({"family": "big", "containerDefinitions": [{"name": "b", "image": "b:1", "cpu": 512, "memory": 3000}]}),
        );
        ok(
            &mut ecs,
            "CreateService",
            json!({
                "serviceName": "api", "taskDefinition": "big", "desiredCount": 4,
                "capacityProviderStrategy": [{"capacityProvider": "cp", "weight": 1}],
                "deploymentConfiguration": {"deploymentCircuitBreaker": {"enable": true, "rollback": false}}
            }),
        );
        ecs.advance_to(3_600_000);
        let s = service(&mut ecs, "api");
        let deployment = &s["deployments"][0];
        assert_eq!(deployment["failedTasks"], 0, "max {max_size}: {deployment}");
        assert_eq!(s["runningCount"], placed as u64, "max {max_size}");
        let expected = if placed == 4 {
            "COMPLETED"
        } else {
            "IN_PROGRESS"
        };
        assert_eq!(deployment["rolloutState"], expected, "max {max_size}");
        assert!(!messages(&s).iter().any(|m| m.contains("circuit breaker")));
        // Capacity arrived once (max 2) or never for the last two (max 1):
        // those wait in PROVISIONING, without an instance, desired RUNNING.
        let arns = ok(&mut ecs, "ListTasks", json!({"serviceName": "api"}))["taskArns"].clone();
        let tasks = ok(&mut ecs, "DescribeTasks", json!({"tasks": arns}))["tasks"].clone();
        let waiting: Vec<&Value> = tasks
            .as_array()
            .map(|t| {
                t.iter()
                    .filter(|t| t["lastStatus"] == "PROVISIONING")
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(waiting.len(), 4 - placed, "max {max_size}");
        for task in waiting {
            assert_eq!(task["desiredStatus"], "RUNNING");
            assert!(task.get("containerInstanceArn").is_none(), "{task}");
            assert_eq!(task["capacityProviderName"], "cp");
        }
        assert_eq!(s["pendingCount"], (4 - placed) as u64);
    }
}
