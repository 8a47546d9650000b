//! The wire form's exact bytes: a run of calls through `Ecs::call_target`
//! (request text in, response text out, as the local endpoint sends it) and
//! a golden snapshot of every answer. The AWS CLI, boto3 and the SDKs read
//! these bodies; a response writer that changes a byte (member order, a
//! number's form) shows here before a real client sees it.
//!
//! The calls cover every form the hot writers produce: RunTask on EC2
//! (bridge with static and dynamic ports, awsvpc, placement failures),
//! on Fargate, with tags, propagated tags and overrides; StartTask;
//! DescribeTasks of pending, running and stopped tasks (exit codes,
//! reasons, stop codes), with and without tags; StopTask; CreateService,
//! UpdateService and DescribeServices (deployments, events, strategies,
//! constraints).
//!
//! Update the snapshot, when a change is intended, with
//! `UPDATE_GOLDEN=1 cargo test -p ecs-engine --test wire_responses`.

use std::path::PathBuf;

use ecs_engine::sim::wire::{ECS_TARGET_PREFIX, SIMULATOR_TARGET_PREFIX};
use ecs_engine::sim::{Ecs, SimConfig};

const CALLS: &[(&str, &str)] = &[
    ("CreateCluster", r#"{"clusterName": "default"}"#),
    (
        "Simulator.LaunchInstances",
        r#"{"instanceType": "m5.large", "count": 3}"#,
    ),
    (
        "RegisterTaskDefinition",
        r#"{"family": "web", "containerDefinitions": [{"name": "app", "image": "nginx", "cpu": 256, "memory": 512, "portMappings": [{"containerPort": 80, "hostPort": 8080}, {"containerPort": 443}]}, {"name": "side", "image": "busybox", "memory": 64, "essential": false}], "tags": [{"key": "team", "value": "web"}]}"#,
    ),
    (
        "RegisterTaskDefinition",
        r#"{"family": "vpc", "taskRoleArn": "arn:aws:iam::123456789012:role/t", "networkMode": "awsvpc", "requiresCompatibilities": ["EC2", "FARGATE"], "cpu": "256", "memory": "512", "containerDefinitions": [{"name": "api", "image": "api:1", "essential": true}]}"#,
    ),
    (
        "RegisterTaskDefinition",
        r#"{"family": "crash", "containerDefinitions": [{"name": "c", "image": "crash:1", "memory": 64}]}"#,
    ),
    (
        "Simulator.SetImageBehavior",
        r#"{"image": "crash:1", "exitAfterSeconds": 20, "exitCode": 3}"#,
    ),
    (
        "RunTask",
        r#"{"taskDefinition": "web", "count": 4, "startedBy": "ci", "tags": [{"key": "k", "value": "v"}], "propagateTags": "TASK_DEFINITION", "overrides": {"containerOverrides": [{"name": "app", "environment": [{"name": "A", "value": "1"}]}]}}"#,
    ),
    (
        "RunTask",
        r#"{"taskDefinition": "vpc", "count": 2, "launchType": "EC2", "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1"]}}, "placementStrategy": [{"type": "binpack", "field": "memory"}], "enableExecuteCommand": true}"#,
    ),
    (
        "RunTask",
        r#"{"taskDefinition": "vpc", "count": 2, "launchType": "FARGATE", "platformVersion": "1.4.0", "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1"]}}}"#,
    ),
    (
        "RunTask",
        r#"{"taskDefinition": "web", "count": 1, "placementConstraints": [{"type": "memberOf", "expression": "attribute:ecs.instance-type == t3.nano"}]}"#,
    ),
    (
        "RunTask",
        r#"{"taskDefinition": "crash", "count": 1, "group": "batch"}"#,
    ),
    ("Simulator.AdvanceClock", r#"{"seconds": 15}"#),
    ("ListTasks", r#"{}"#),
    (
        "CreateService",
        r#"{"serviceName": "svc", "taskDefinition": "vpc", "desiredCount": 2, "launchType": "EC2", "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1"]}}, "placementStrategy": [{"type": "spread", "field": "attribute:ecs.availability-zone"}], "placementConstraints": [{"type": "distinctInstance"}], "deploymentConfiguration": {"deploymentCircuitBreaker": {"enable": true, "rollback": true}}, "tags": [{"key": "s", "value": "1"}], "enableECSManagedTags": true, "propagateTags": "SERVICE"}"#,
    ),
    ("Simulator.AdvanceClock", r#"{"seconds": 60}"#),
    ("UpdateService", r#"{"service": "svc", "desiredCount": 3}"#),
    ("Simulator.AdvanceClock", r#"{"seconds": 120}"#),
    (
        "DescribeServices",
        r#"{"services": ["svc", "missing"], "include": ["TAGS"]}"#,
    ),
    ("DescribeServices", r#"{"services": ["svc"]}"#),
    ("DescribeClusters", r#"{"clusters": ["default"]}"#),
];

/// The task ARNs a ListTasks answer names, for the describe calls below.
fn task_arns(body: &str) -> Vec<String> {
    let value: serde_json::Value = serde_json::from_str(body).expect("ListTasks answers JSON");
    value["taskArns"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn target(operation: &str) -> String {
    match operation.strip_prefix("Simulator.") {
        Some(call) => format!("{SIMULATOR_TARGET_PREFIX}{call}"),
        None => format!("{ECS_TARGET_PREFIX}{operation}"),
    }
}

fn run() -> String {
    let mut ecs = Ecs::new(SimConfig::default());
    let mut out = String::new();
    let mut call = |ecs: &mut Ecs, operation: &str, body: &str| -> String {
        let (status, answer) = ecs.call_target(&target(operation), body.as_bytes());
        out.push_str(&format!("> {operation} {body}\n< {status} {answer}\n"));
        answer
    };
    let mut arns = Vec::new();
    for (operation, body) in CALLS {
        let answer = call(&mut ecs, operation, body);
        if *operation == "ListTasks" {
            arns = task_arns(&answer);
        }
    }
    // Every task, running and stopped, with and without tags; then one
    // stopped by the user and described again; then StartTask on a named
    // instance and on a missing one.
    let all = serde_json::json!({"tasks": arns, "include": ["TAGS"]}).to_string();
    call(&mut ecs, "DescribeTasks", &all);
    let mut some = arns.clone();
    some.truncate(3);
    some.push("arn:aws:ecs:us-east-1:123456789012:task/default/nope".into());
    let plain = serde_json::json!({"tasks": some}).to_string();
    call(&mut ecs, "DescribeTasks", &plain);
    if let Some(first) = arns.first() {
        let stop = serde_json::json!({"task": first, "reason": "done"}).to_string();
        call(&mut ecs, "StopTask", &stop);
    }
    call(&mut ecs, "Simulator.AdvanceClock", r#"{"seconds": 60}"#);
    let listed = call(&mut ecs, "ListTasks", r#"{"desiredStatus": "STOPPED"}"#);
    let stopped = serde_json::json!({"tasks": task_arns(&listed), "include": ["TAGS"]}).to_string();
    call(&mut ecs, "DescribeTasks", &stopped);
    let instances = call(&mut ecs, "ListContainerInstances", "{}");
    let instance: serde_json::Value = serde_json::from_str(&instances).expect("JSON");
    let first = instance["containerInstanceArns"][0].as_str().unwrap_or("");
    let start = serde_json::json!({"taskDefinition": "crash", "containerInstances": [first, "nope"], "startedBy": "me", "tags": [{"key": "a", "value": "b"}]}).to_string();
    call(&mut ecs, "StartTask", &start);
    call(&mut ecs, "RunTask", r#"{"taskDefinition": "nope"}"#);
    call(
        &mut ecs,
        "RunTask",
        r#"{"taskDefinition": "web", "count": 11}"#,
    );
    out
}

#[test]
fn wire_responses_are_byte_for_byte_as_recorded() {
    let text = run();
    assert_eq!(text, run(), "the same calls answer the same bytes");
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/golden/wire/responses.txt"
    ));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create golden dir");
        std::fs::write(&path, &text).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with UPDATE_GOLDEN=1 to create it",
            path.display()
        )
    });
    if expected != text {
        let first = expected
            .lines()
            .zip(text.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "the wire answers differ from {} at line {}:\nexpected {}\n     got {}",
            path.display(),
            first + 1,
            expected.lines().nth(first).unwrap_or(""),
            text.lines().nth(first).unwrap_or("")
        );
    }
}
