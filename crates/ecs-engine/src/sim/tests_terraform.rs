//! What Terraform's AWS provider relies on (shared/spec/wire-protocol.md,
//! section 4), each flow through the API as the provider calls it.

use serde_json::{json, Value};

use super::tests::{cluster_with, ecs, ok};
use super::Ecs;

fn describe_cluster(ecs: &mut Ecs, name: &str) -> Value {
    let out = ok(
        ecs,
        "DescribeClusters",
        json!({"clusters": [name], "include": ["TAGS", "SETTINGS", "CONFIGURATIONS"]}),
    );
    out["clusters"][0].clone()
}

#[test]
fn clusters_provision_their_capacity_providers_then_go_inactive_when_deleted() {
    let mut ecs = ecs();
    ok(
        &mut ecs,
        "CreateCapacityProvider",
        json!({"name": "spot", "autoScalingGroupProvider": {"autoScalingGroupArn": "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/spot"}}),
    );
    let created = ok(
        &mut ecs,
        "CreateCluster",
        json!({"clusterName": "tf", "capacityProviders": ["spot"], "tags": [{"key": "team", "value": "a"}]}),
    );
    assert_eq!(created["cluster"]["status"], "PROVISIONING");
    assert_eq!(
        created["cluster"]["attachmentsStatus"],
        "UPDATE_IN_PROGRESS"
    );
    // Terraform polls DescribeClusters after 10 s.
    ecs.advance_to(10_000);
    let cluster = describe_cluster(&mut ecs, "tf");
    assert_eq!(cluster["status"], "ACTIVE");
    assert_eq!(cluster["tags"], json!([{"key": "team", "value": "a"}]));
    // Tags only when asked for.
    let plain = ok(&mut ecs, "DescribeClusters", json!({"clusters": ["tf"]}));
    assert!(plain["clusters"][0].get("tags").is_none());
    // A cluster without Auto Scaling group providers is ACTIVE at once.
    let fargate = ok(
        &mut ecs,
        "CreateCluster",
        json!({"clusterName": "f", "capacityProviders": ["FARGATE"]}),
    );
    assert_eq!(fargate["cluster"]["status"], "ACTIVE");
    ok(&mut ecs, "DeleteCluster", json!({"cluster": "f"}));
    assert_eq!(describe_cluster(&mut ecs, "f")["status"], "INACTIVE");
}

#[test]
fn delete_cluster_refuses_while_the_cluster_holds_something() {
    let mut ecs = ecs();
    cluster_with(&mut ecs, 1);
    let error = |ecs: &mut Ecs| {
        ecs.call("DeleteCluster", &json!({"cluster": "default"}))
            .unwrap_err()
            .error_type
    };
    assert_eq!(
        error(&mut ecs),
        "ClusterContainsContainerInstancesException"
    );
    ok(
        &mut ecs,
        "CreateService",
        json!({"serviceName": "web", "taskDefinition": "web", "desiredCount": 0}),
    );
    let instances = ok(&mut ecs, "ListContainerInstances", json!({}));
    let instance = instances["containerInstanceArns"][0].clone();
    ok(
        &mut ecs,
        "DeregisterContainerInstance",
        json!({"containerInstance": instance, "force": true}),
    );
    assert_eq!(error(&mut ecs), "ClusterContainsServicesException");
    ok(&mut ecs, "DeleteService", json!({"service": "web"}));
    ok(
        &mut ecs,
        "RegisterTaskDefinition",
        json!({"family": "f", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
               "cpu": "256", "memory": "512",
               "containerDefinitions": [{"name": "a", "image": "busybox"}]}),
    );
    ok(
        &mut ecs,
        "RunTask",
        json!({"taskDefinition": "f", "launchType": "FARGATE",
               "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1"]}}}),
    );
    ecs.advance_to(60_000);
    assert_eq!(error(&mut ecs), "ClusterContainsTasksException");
}

#[test]
fn a_repeated_client_token_returns_the_same_service() {
    let mut ecs = ecs();
    cluster_with(&mut ecs, 1);
    let request = json!({"serviceName": "web", "taskDefinition": "web", "desiredCount": 1,
                         "clientToken": "terraform-20261204", "deploymentConfiguration": {"maximumPercent": 200, "minimumHealthyPercent": 100}});
    let first = ok(&mut ecs, "CreateService", request.clone());
    let again = ok(&mut ecs, "CreateService", request.clone());
    assert_eq!(
        first["service"]["serviceArn"],
        again["service"]["serviceArn"]
    );
    assert_eq!(
        again["service"]["deployments"].as_array().unwrap().len(),
        1,
        "no second deployment"
    );
    let mut different = request;
    different["desiredCount"] = json!(3);
    let e = ecs.call("CreateService", &different).unwrap_err();
    assert_eq!(e.error_type, "InvalidParameterException");
    assert_eq!(e.message, "Creation of service was not idempotent.");
}

#[test]
fn a_deleted_service_stays_inactive_for_an_hour_and_is_not_listed() {
    let mut ecs = ecs();
    cluster_with(&mut ecs, 1);
    ok(
        &mut ecs,
        "CreateService",
        json!({"serviceName": "web", "taskDefinition": "web", "desiredCount": 1}),
    );
    ecs.advance_to(60_000);
    ok(
        &mut ecs,
        "UpdateService",
        json!({"service": "web", "desiredCount": 0}),
    );
    ecs.advance_to(120_000);
    ok(&mut ecs, "DeleteService", json!({"service": "web"}));
    ecs.advance_to(180_000);
    let described = ok(&mut ecs, "DescribeServices", json!({"services": ["web"]}));
    assert_eq!(described["services"][0]["status"], "INACTIVE");
    let listed = ok(&mut ecs, "ListServices", json!({}));
    assert_eq!(listed["serviceArns"], json!([]));
    ecs.advance_to(180_000 + 3_600_000);
    let described = ok(&mut ecs, "DescribeServices", json!({"services": ["web"]}));
    assert_eq!(described["services"], json!([]));
    assert_eq!(described["failures"][0]["reason"], "MISSING");
}

#[test]
fn deployments_share_their_number_with_their_revision_and_carry_its_configuration() {
    let mut ecs = ecs();
    cluster_with(&mut ecs, 2);
    ok(
        &mut ecs,
        "CreateService",
        json!({"serviceName": "web", "taskDefinition": "web", "desiredCount": 1}),
    );
    ecs.advance_to(60_000);
    ok(
        &mut ecs,
        "UpdateService",
        json!({"service": "web", "serviceConnectConfiguration": {"enabled": true, "namespace": "internal"}}),
    );
    let service = ok(&mut ecs, "DescribeServices", json!({"services": ["web"]}));
    let deployments = service["services"][0]["deployments"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(deployments.len(), 2);
    let (primary, old) = (&deployments[0], &deployments[1]);
    assert_eq!(primary["status"], "PRIMARY");
    assert_eq!(
        primary["serviceConnectConfiguration"]["namespace"],
        "internal"
    );
    assert!(old.get("serviceConnectConfiguration").is_none(), "{old}");
    // Terraform: the PRIMARY deployment created after `start`, found in
    // ListServiceDeployments by the number after `ecs-svc/`.
    let start = ecs.config().epoch_seconds as f64 + 30.0;
    let listed = ok(
        &mut ecs,
        "ListServiceDeployments",
        json!({"service": "web", "createdAt": {"after": start}}),
    );
    let entries = listed["serviceDeployments"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    let number = primary["id"]
        .as_str()
        .unwrap()
        .trim_start_matches("ecs-svc/");
    assert!(entries[0]["targetServiceRevisionArn"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/{number}")));
    let before = ok(
        &mut ecs,
        "ListServiceDeployments",
        json!({"service": "web", "createdAt": {"before": start}}),
    );
    assert_eq!(before["serviceDeployments"].as_array().unwrap().len(), 1);
    let revision = ok(
        &mut ecs,
        "DescribeServiceRevisions",
        json!({"serviceRevisionArns": [entries[0]["targetServiceRevisionArn"].clone()]}),
    );
    assert_eq!(
        revision["serviceRevisions"][0]["serviceConnectConfiguration"]["enabled"],
        true
    );
}

#[test]
fn volume_configurations_are_on_the_deployment_and_its_revision() {
    let mut ecs = ecs();
    cluster_with(&mut ecs, 1);
    ok(
        &mut ecs,
        "RegisterTaskDefinition",
        json!({"family": "db", "volumes": [{"name": "data", "configuredAtLaunch": true}],
               "containerDefinitions": [{"name": "a", "image": "postgres", "memory": 256,
                                         "mountPoints": [{"sourceVolume": "data", "containerPath": "/data"}]}]}),
    );
    let volumes = json!([{"name": "data", "managedEBSVolume": {"roleArn": "arn:aws:iam::123456789012:role/ebs", "sizeInGiB": 10}}]);
    let created = ok(
        &mut ecs,
        "CreateService",
        json!({"serviceName": "db", "taskDefinition": "db", "desiredCount": 0,
               "volumeConfigurations": volumes.clone()}),
    );
    assert_eq!(
        created["service"]["deployments"][0]["volumeConfigurations"],
        volumes
    );
}

#[test]
fn stopping_the_first_deployment_with_rollback_fails_to_roll_back() {
    let mut ecs = ecs();
    cluster_with(&mut ecs, 1);
    ok(
        &mut ecs,
        "CreateService",
        json!({"serviceName": "web", "taskDefinition": "web", "desiredCount": 1}),
    );
    let listed = ok(
        &mut ecs,
        "ListServiceDeployments",
        json!({"service": "web"}),
    );
    let arn = listed["serviceDeployments"][0]["serviceDeploymentArn"].clone();
    ok(
        &mut ecs,
        "StopServiceDeployment",
        json!({"serviceDeploymentArn": arn.clone(), "stopType": "ROLLBACK"}),
    );
    let described = ok(
        &mut ecs,
        "DescribeServiceDeployments",
        json!({"serviceDeploymentArns": [arn]}),
    );
    // Nothing COMPLETED to return to (ecs-semantics A3).
    assert_eq!(
        described["serviceDeployments"][0]["status"],
        "ROLLBACK_FAILED"
    );
    assert!(described["serviceDeployments"][0]["statusReason"]
        .as_str()
        .is_some_and(|r| !r.is_empty()));
}

#[test]
fn deleted_task_definitions_are_in_progress_while_used_then_gone() {
    let mut ecs = ecs();
    cluster_with(&mut ecs, 1);
    let run = ok(&mut ecs, "RunTask", json!({"taskDefinition": "web:1"}));
    let task = run["tasks"][0]["taskArn"].clone();
    let out = ok(
        &mut ecs,
        "DeleteTaskDefinitions",
        json!({"taskDefinitions": ["web:1", "nope:4"]}),
    );
    assert_eq!(out["taskDefinitions"], json!([]));
    assert_eq!(out["failures"].as_array().unwrap().len(), 2);
    ok(
        &mut ecs,
        "DeregisterTaskDefinition",
        json!({"taskDefinition": "web:1"}),
    );
    let out = ok(
        &mut ecs,
        "DeleteTaskDefinitions",
        json!({"taskDefinitions": ["arn:aws:ecs:us-east-1:123456789012:task-definition/web:1"]}),
    );
    assert_eq!(out["taskDefinitions"][0]["status"], "DELETE_IN_PROGRESS");
    // The running task still uses it.
    let d = ok(
        &mut ecs,
        "DescribeTaskDefinition",
        json!({"taskDefinition": "web:1"}),
    );
    assert_eq!(d["taskDefinition"]["status"], "DELETE_IN_PROGRESS");
    let listed = ok(
        &mut ecs,
        "ListTaskDefinitions",
        json!({"status": "DELETE_IN_PROGRESS"}),
    );
    assert_eq!(listed["taskDefinitionArns"].as_array().unwrap().len(), 1);
    ok(&mut ecs, "StopTask", json!({"task": task}));
    ecs.advance_to(120_000);
    let e = ecs
        .call(
            "DescribeTaskDefinition",
            &json!({"taskDefinition": "web:1"}),
        )
        .unwrap_err();
    assert_eq!(e.error_type, "ClientException");
    for status in ["DELETE_IN_PROGRESS", "INACTIVE", "ALL"] {
        let listed = ok(&mut ecs, "ListTaskDefinitions", json!({"status": status}));
        assert_eq!(listed["taskDefinitionArns"], json!([]), "{status}");
    }
    // Revisions are never reused.
    let again = ok(
        &mut ecs,
        "RegisterTaskDefinition",
        json!({"family": "web", "containerDefinitions": [{"name": "app", "image": "nginx", "memory": 128}]}),
    );
    assert_eq!(again["taskDefinition"]["revision"], 2);
    let e = ecs
        .call("DeleteTaskDefinitions", &json!({"taskDefinitions": []}))
        .unwrap_err();
    assert_eq!(e.error_type, "InvalidParameterException");
}

#[test]
fn tags_are_returned_only_when_asked_for() {
    let mut ecs = ecs();
    cluster_with(&mut ecs, 1);
    let tags = json!([{"key": "team", "value": "web"}]);
    ok(
        &mut ecs,
        "RegisterTaskDefinition",
        json!({"family": "tagged", "tags": tags.clone(),
               "containerDefinitions": [{"name": "a", "image": "nginx", "memory": 128}]}),
    );
    ok(
        &mut ecs,
        "CreateService",
        json!({"serviceName": "web", "taskDefinition": "tagged", "desiredCount": 0, "tags": tags.clone()}),
    );
    // (operation, request without include, the tagged object's path)
    let cases = [
        (
            "DescribeTaskDefinition",
            json!({"taskDefinition": "tagged"}),
            "/tags",
        ),
        (
            "DescribeServices",
            json!({"services": ["web"]}),
            "/services/0/tags",
        ),
    ];
    for (operation, request, path) in cases {
        let plain = ok(&mut ecs, operation, request.clone());
        assert!(plain.pointer(path).is_none(), "{operation}: {plain}");
        let mut with = request;
        with["include"] = json!(["TAGS"]);
        let tagged = ok(&mut ecs, operation, with);
        assert_eq!(tagged.pointer(path), Some(&tags), "{operation}");
    }
}
