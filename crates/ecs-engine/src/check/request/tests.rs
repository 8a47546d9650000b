//! Data-driven tests: each row is (rule under test, operation, request,
//! context, expected `code@path` list). Every rule has a failing and a
//! passing row. `@gen:KIND:N@` in a request expands to N generated items
//! (see `expand`) so that limits can be tested without pages of JSON.

use serde::Deserialize;
use serde_json::Value;

use super::account::{Account, CapacityProviderView, DocumentAccount, ServiceView, TaskDef};
use super::*;
use crate::analysis::Analysis;
use crate::diagnostic::apply_fix;
use crate::request_analysis::analyze_request;

/// The request rules plus the shared tag rules that requests apply.
fn request_rules() -> Vec<&'static Rule> {
    RULES
        .iter()
        .chain(crate::check::tags::RULES)
        .copied()
        .collect()
}

type Case = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

/// An awsvpc task definition: two containers, named port mappings (one
/// with appProtocol http, one without), an accelerator, a launch volume.
const TD_AWSVPC: &str = r#"{"family": "web", "networkMode": "awsvpc", "status": "ACTIVE",
  "compatibilities": ["EC2", "FARGATE"],
  "containerDefinitions": [
    {"name": "web", "portMappings": [{"name": "http", "containerPort": 80, "appProtocol": "http"}]},
    {"name": "sidecar", "portMappings": [{"name": "metrics", "containerPort": 9000}]}],
  "inferenceAccelerators": [{"deviceName": "device1", "deviceType": "eia2.medium"}],
  "volumes": [{"name": "data", "configuredAtLaunch": true}, {"name": "scratch"}]}"#;

/// A bridge task definition with one container on port 80 and no task role.
const TD_BRIDGE: &str = r#"{"family": "web", "status": "ACTIVE",
  "containerDefinitions": [{"name": "web", "portMappings": [{"containerPort": 80, "hostPort": 0}]}]}"#;

/// Clusters, services, tasks and capacity providers of one account.
const STATE: &str = r#"{
  "clusters": [
    {"name": "default", "capacityProviders": ["FARGATE", "FARGATE_SPOT", "asg-a", "asg-b", "asg-gone"],
     "registeredContainerInstances": 2,
     "tasks": [{"arn": "t1", "capacityProviderName": "asg-b", "lastStatus": "RUNNING"},
               {"arn": "t2", "capacityProviderName": "asg-gone", "lastStatus": "STOPPED"}],
     "services": [
       {"name": "web", "status": "ACTIVE", "desiredCount": 2, "runningCount": 2},
       {"name": "stopping", "status": "ACTIVE", "desiredCount": 0, "runningCount": 2},
       {"name": "old", "status": "DRAINING"},
       {"name": "gone", "status": "INACTIVE"},
       {"name": "blue", "status": "ACTIVE", "deploymentController": "CODE_DEPLOY"},
       {"name": "ext", "status": "ACTIVE", "deploymentController": "EXTERNAL"},
       {"name": "pinned", "status": "ACTIVE", "capacityProviderStrategy": ["asg-a"]}]},
    {"name": "empty"},
    {"name": "serverless", "capacityProviders": ["FARGATE"], "defaultCapacityProviderStrategy": ["FARGATE"]}],
  "capacityProviders": [
    {"name": "asg-a", "status": "ACTIVE", "cluster": "default"},
    {"name": "asg-b", "status": "ACTIVE", "cluster": "default"},
    {"name": "asg-gone", "status": "INACTIVE", "cluster": "default"},
    {"name": "asg-other", "status": "ACTIVE", "cluster": "other"},
    {"name": "asg-free", "status": "ACTIVE"}]}"#;

const NET: &str = r#""networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1"]}}"#;

#[rustfmt::skip]
const CASES: &[Case] = &[
    ("unknown-operation", "RunTasks", r#"{}"#, "", &["unknown-operation@$"]),
    ("unknown-operation", "run-task", r#"{"taskDefinition": "t:1"}"#, "", &[]),
    ("request-not-object", "RunTask", r#"[]"#, "", &["request-not-object@$"]),
    ("request-not-object", "RunTask", r#"{"taskDefinition": "t:1"}"#, "", &[]),
    // §2.1 tags
    ("tag-key-required", "RunTask", r#"{"taskDefinition": "t:1", "tags": [{"value": "v"}]}"#, "", &["tag-key-required@tags[0].key"]),
    ("tag-key-required", "RunTask", r#"{"taskDefinition": "t:1", "tags": [{"key": "k"}]}"#, "", &[]),
    ("tag-limit", "CreateCluster", r#"{"tags": [@gen:tags:51@]}"#, "", &["tag-limit@tags"]),
    ("tag-limit", "CreateCluster", r#"{"tags": [@gen:tags:50@, {"key": "aws:cloudformation:stack-name", "value": "s"}]}"#, "", &["tag-reserved-prefix@tags[50].key"]),
    ("tag-key-duplicate", "CreateCluster", r#"{"tags": [{"key": "a"}, {"key": "a"}]}"#, "", &["tag-key-duplicate@tags[1].key"]),
    ("tag-key-duplicate", "CreateCluster", r#"{"tags": [{"key": "a"}, {"key": "A"}]}"#, "", &[]),
    ("tag-length", "CreateCluster", r#"{"tags": [{"key": "@gen:str:129@", "value": "@gen:str:257@"}, {"key": ""}]}"#, "", &["tag-length@tags[0].key", "tag-length@tags[0].value", "tag-length@tags[1].key"]),
    ("tag-length", "CreateCluster", r#"{"tags": [{"key": "@gen:str:128@", "value": "@gen:str:256@"}]}"#, "", &[]),
    ("tag-characters", "CreateCluster", r#"{"tags": [{"key": "a#b"}]}"#, "", &["tag-characters@tags[0].key"]),
    ("tag-characters", "CreateCluster", r#"{"tags": [{"key": "team name", "value": "a+b=c.d_e:f/g@h-i"}]}"#, "", &[]),
    ("tag-reserved-prefix", "CreateCluster", r#"{"tags": [{"key": "AWS:x"}, {"key": "k", "value": "aws:v"}]}"#, "", &["tag-reserved-prefix@tags[0].key", "tag-reserved-prefix@tags[1].value"]),
    ("tag-reserved-prefix", "CreateCluster", r#"{"tags": [{"key": "awsx", "value": "aws"}]}"#, "", &[]),
    ("ebs-tag-reserved-key", "RunTask", r#"{"taskDefinition": "t:1", "volumeConfigurations": [{"name": "data", "managedEBSVolume": {"roleArn": "r", "sizeInGiB": 10, "tagSpecifications": [{"resourceType": "volume", "tags": [{"key": "AmazonECSManaged", "value": "x"}]}]}}]}"#, "", &["ebs-tag-reserved-key@volumeConfigurations[0].managedEBSVolume.tagSpecifications[0].tags[0].key"]),
    ("ebs-tag-reserved-key", "RunTask", r#"{"taskDefinition": "t:1", "volumeConfigurations": [{"name": "data", "managedEBSVolume": {"roleArn": "r", "sizeInGiB": 10, "tagSpecifications": [{"resourceType": "volume", "tags": [{"key": "owner", "value": "x"}]}]}}]}"#, "", &[]),
    // §2.2 attributes
    ("attribute-name-format", "PutAttributes", r#"{"attributes": [{"name": "bad name"}]}"#, "", &["attribute-name-format@attributes[0].name"]),
    ("attribute-name-format", "PutAttributes", r#"{"attributes": [{"name": "stack/env.v1_x-y\\z"}]}"#, "", &[]),
    ("attribute-value-format", "PutAttributes", r#"{"attributes": [{"name": "a", "value": " x"}, {"name": "b", "value": "x!"}]}"#, "", &["attribute-value-format@attributes[0].value", "attribute-value-format@attributes[1].value"]),
    ("attribute-value-format", "PutAttributes", r#"{"attributes": [{"name": "a", "value": "x y@1:2/3\\4"}]}"#, "", &[]),
    ("attribute-target-type-required", "PutAttributes", r#"{"attributes": [{"name": "a", "targetId": "abc123"}]}"#, "", &["attribute-target-type-required@attributes[0].targetType"]),
    ("attribute-target-type-required", "PutAttributes", r#"{"attributes": [{"name": "a", "targetId": "arn:aws:ecs:us-east-1:1:container-instance/c/abc"}, {"name": "b", "targetId": "abc", "targetType": "container-instance"}]}"#, "", &[]),
    ("attribute-limit", "PutAttributes", r#"{"attributes": [@gen:attributes:11@]}"#, "", &["attribute-limit@attributes"]),
    ("attribute-limit", "PutAttributes", r#"{"attributes": [@gen:attributes:10@, {"name": "other", "targetId": "arn:aws:ecs:us-east-1:1:container-instance/c/def"}]}"#, "", &[]),
    // §2.3 clusters
    ("cluster-not-found", "RunTask", r#"{"taskDefinition": "t:1", "cluster": "nope"}"#, "state", &["cluster-not-found@cluster"]),
    ("cluster-not-found", "StopTask", r#"{"task": "t1"}"#, r#"{"clusters": [{"name": "prod"}]}"#, &["cluster-not-found@cluster"]),
    ("cluster-not-found", "RunTask", r#"{"taskDefinition": "t:1", "cluster": "arn:aws:ecs:us-east-1:1:cluster/default"}"#, "state", &[]),
    ("cluster-name-format", "CreateCluster", r#"{"clusterName": "my cluster"}"#, "", &["cluster-name-format@clusterName"]),
    ("cluster-name-format", "CreateCluster", r#"{"clusterName": "my-cluster_1"}"#, "", &[]),
    ("cluster-setting-value", "UpdateClusterSettings", r#"{"cluster": "default", "settings": [{"name": "containerInsights", "value": "on"}]}"#, "", &["cluster-setting-value@settings[0].value"]),
    ("cluster-setting-value", "CreateCluster", r#"{"settings": [{"name": "containerInsights", "value": "enhanced"}]}"#, "", &[]),
    ("execute-command-log-configuration-required", "UpdateCluster", r#"{"cluster": "default", "configuration": {"executeCommandConfiguration": {"logging": "OVERRIDE"}}}"#, "", &["execute-command-log-configuration-required@configuration.executeCommandConfiguration.logConfiguration"]),
    ("execute-command-log-configuration-required", "UpdateCluster", r#"{"cluster": "default", "configuration": {"executeCommandConfiguration": {"logging": "OVERRIDE", "logConfiguration": {"cloudWatchLogGroupName": "g"}}}}"#, "", &[]),
    ("capacity-provider-unavailable", "PutClusterCapacityProviders", r#"{"cluster": "default", "capacityProviders": ["FARGATE", "asg-other", "asg-missing", "asg-a", "asg-b"], "defaultCapacityProviderStrategy": []}"#, "state", &["capacity-provider-unavailable@capacityProviders[1]", "capacity-provider-unavailable@capacityProviders[2]"]),
    ("capacity-provider-unavailable", "PutClusterCapacityProviders", r#"{"cluster": "default", "capacityProviders": ["FARGATE", "asg-a", "asg-b", "asg-free"], "defaultCapacityProviderStrategy": []}"#, "state", &[]),
    ("service-connect-namespace-format", "CreateCluster", r#"{"serviceConnectDefaults": {"namespace": "my-ns"}}"#, "", &["service-connect-namespace-format@serviceConnectDefaults.namespace"]),
    ("service-connect-namespace-format", "UpdateCluster", r#"{"cluster": "c", "serviceConnectDefaults": {"namespace": "arn:aws:servicediscovery:us-east-1:1:namespace/ns-abc"}}"#, "", &[]),
    ("cluster-has-instances", "DeleteCluster", r#"{"cluster": "default"}"#, "state", &["cluster-has-instances@cluster"]),
    ("cluster-has-instances", "DeleteCluster", r#"{"cluster": "empty"}"#, "state", &[]),
    // §2.4 capacity-provider strategies
    ("strategy-too-many-providers", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "capacityProviderStrategy": [@gen:strategy:21@]}"#, "", &["strategy-too-many-providers@capacityProviderStrategy"]),
    ("strategy-too-many-providers", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "capacityProviderStrategy": [@gen:strategy:20@]}"#, "", &[]),
    ("strategy-weights-all-zero", "RunTask", r#"{"taskDefinition": "t:1", "capacityProviderStrategy": [{"capacityProvider": "FARGATE"}, {"capacityProvider": "FARGATE_SPOT", "weight": 0}]}"#, "", &["strategy-weights-all-zero@capacityProviderStrategy"]),
    ("strategy-weights-all-zero", "RunTask", r#"{"taskDefinition": "t:1", "capacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 0}]}"#, "", &[]),
    ("strategy-multiple-base", "RunTask", r#"{"taskDefinition": "t:1", "capacityProviderStrategy": [{"capacityProvider": "FARGATE", "base": 1, "weight": 1}, {"capacityProvider": "FARGATE_SPOT", "base": 2, "weight": 1}]}"#, "", &["strategy-multiple-base@capacityProviderStrategy[1].base"]),
    ("strategy-multiple-base", "RunTask", r#"{"taskDefinition": "t:1", "capacityProviderStrategy": [{"capacityProvider": "FARGATE", "base": 1, "weight": 1}, {"capacityProvider": "FARGATE_SPOT", "base": 0, "weight": 1}]}"#, "", &[]),
    ("strategy-duplicate-provider", "RunTask", r#"{"taskDefinition": "t:1", "capacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1}, {"capacityProvider": "FARGATE", "weight": 2}]}"#, "", &["strategy-duplicate-provider@capacityProviderStrategy[1].capacityProvider"]),
    ("strategy-duplicate-provider", "RunTask", r#"{"taskDefinition": "t:1", "capacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1}, {"capacityProvider": "FARGATE_SPOT", "weight": 2}]}"#, "", &[]),
    ("strategy-provider-not-associated", "RunTask", r#"{"taskDefinition": "t:1", "capacityProviderStrategy": [{"capacityProvider": "asg-free", "weight": 1}, {"capacityProvider": "asg-gone", "weight": 1}]}"#, "state", &["strategy-provider-not-associated@capacityProviderStrategy[0].capacityProvider", "strategy-provider-not-associated@capacityProviderStrategy[1].capacityProvider"]),
    ("strategy-provider-not-associated", "RunTask", r#"{"taskDefinition": "t:1", "capacityProviderStrategy": [{"capacityProvider": "asg-a", "weight": 1}]}"#, "state", &[]),
    ("default-strategy-provider-not-in-list", "CreateCluster", r#"{"capacityProviders": ["FARGATE"], "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1}]}"#, "", &["default-strategy-provider-not-in-list@defaultCapacityProviderStrategy[0].capacityProvider"]),
    ("default-strategy-provider-not-in-list", "CreateCluster", r#"{"capacityProviders": ["FARGATE"], "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1}]}"#, "", &[]),
    ("launch-type-with-strategy", "RunTask", r#"{"taskDefinition": "t:1", "launchType": "FARGATE", "capacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1}]}"#, "", &["launch-type-with-strategy@launchType"]),
    ("launch-type-with-strategy", "RunTask", r#"{"taskDefinition": "t:1", "launchType": "FARGATE", "capacityProviderStrategy": []}"#, "", &[]),
    ("fargate-spot-launch-type", "RunTask", r#"{"taskDefinition": "t:1", "launchType": "FARGATE_SPOT"}"#, "", &["fargate-spot-launch-type@launchType"]),
    ("fargate-spot-launch-type", "RunTask", r#"{"taskDefinition": "t:1", "launchType": "FARGATE"}"#, "", &[]),
    ("fargate-spot-platform", "RunTask", r#"{"taskDefinition": "t:1", "capacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1}], "platformVersion": "1.2.0"}"#, "", &["fargate-spot-platform@platformVersion"]),
    ("fargate-spot-platform", "RunTask", r#"{"taskDefinition": "t:1", "capacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1}], "platformVersion": "1.3.0"}"#, r#"{"taskDefinition": {"family": "t", "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}}}"#, &["fargate-spot-platform@capacityProviderStrategy[0].capacityProvider"]),
    ("fargate-spot-platform", "RunTask", r#"{"taskDefinition": "t:1", "capacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1}], "platformVersion": "1.3.0"}"#, r#"{"taskDefinition": {"family": "t", "runtimePlatform": {"cpuArchitecture": "ARM64"}}}"#, &["fargate-spot-platform@platformVersion"]),
    ("fargate-spot-platform", "RunTask", r#"{"taskDefinition": "t:1", "capacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1}], "platformVersion": "1.3.0"}"#, "", &[]),
    ("capacity-provider-in-use", "PutClusterCapacityProviders", r#"{"cluster": "default", "capacityProviders": ["FARGATE", "asg-a"], "defaultCapacityProviderStrategy": []}"#, "state", &["capacity-provider-in-use@capacityProviders"]),
    ("capacity-provider-in-use", "PutClusterCapacityProviders", r#"{"cluster": "default", "capacityProviders": ["FARGATE", "asg-b"], "defaultCapacityProviderStrategy": []}"#, "state", &[]),
    ("strategy-cannot-revert-to-default", "UpdateService", r#"{"service": "pinned", "capacityProviderStrategy": []}"#, "state", &["strategy-cannot-revert-to-default@capacityProviderStrategy"]),
    ("strategy-cannot-revert-to-default", "UpdateService", r#"{"service": "web", "capacityProviderStrategy": []}"#, "state", &[]),
    // §2.5 network
    ("network-configuration-required", "RunTask", r#"{"taskDefinition": "web:1"}"#, "awsvpc", &["network-configuration-required@networkConfiguration"]),
    ("network-configuration-required", "CreateService", r#"{"serviceName": "s", "deploymentController": {"type": "EXTERNAL"}}"#, "awsvpc", &[]),
    ("network-configuration-required", "UpdateService", r#"{"service": "web", "desiredCount": 3}"#, "awsvpc", &[]),
    ("network-configuration-not-supported", "RunTask", r#"{"taskDefinition": "web:1", @NET@}"#, "bridge", &["network-configuration-not-supported@networkConfiguration"]),
    ("network-configuration-not-supported", "RunTask", r#"{"taskDefinition": "web:1", @NET@}"#, "awsvpc", &[]),
    ("subnets-limit", "RunTask", r#"{"taskDefinition": "t:1", "networkConfiguration": {"awsvpcConfiguration": {"subnets": [@gen:list:17@]}}}"#, "", &["subnets-limit@networkConfiguration.awsvpcConfiguration.subnets"]),
    ("subnets-limit", "RunTask", r#"{"taskDefinition": "t:1", "networkConfiguration": {"awsvpcConfiguration": {"subnets": []}}}"#, "", &["subnets-limit@networkConfiguration.awsvpcConfiguration.subnets"]),
    ("subnets-limit", "RunTask", r#"{"taskDefinition": "t:1", "networkConfiguration": {"awsvpcConfiguration": {"subnets": [@gen:list:16@]}}}"#, "", &[]),
    ("security-groups-limit", "RunTask", r#"{"taskDefinition": "t:1", "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["s"], "securityGroups": [@gen:list:6@]}}}"#, "", &["security-groups-limit@networkConfiguration.awsvpcConfiguration.securityGroups"]),
    ("security-groups-limit", "RunTask", r#"{"taskDefinition": "t:1", "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["s"], "securityGroups": [@gen:list:5@]}}}"#, "", &[]),
    // §2.6 placement
    ("placement-constraints-limit", "RunTask", r#"{"taskDefinition": "t:1", "placementConstraints": [@gen:constraints:11@]}"#, "", &["placement-constraints-limit@placementConstraints"]),
    ("placement-constraints-limit", "RunTask", r#"{"taskDefinition": "t:1", "placementConstraints": [@gen:constraints:7@]}"#, r#"{"taskDefinition": {"family": "t", "placementConstraints": [{}, {}, {}, {}]}}"#, &["placement-constraints-limit@placementConstraints"]),
    ("placement-constraints-limit", "RunTask", r#"{"taskDefinition": "t:1", "placementConstraints": [@gen:constraints:6@]}"#, r#"{"taskDefinition": {"family": "t", "placementConstraints": [{}, {}, {}, {}]}}"#, &[]),
    ("placement-expression-too-long", "RunTask", r#"{"taskDefinition": "t:1", "placementConstraints": [{"type": "memberOf", "expression": "@gen:str:2001@"}]}"#, "", &["placement-expression-too-long@placementConstraints[0].expression"]),
    ("placement-expression-too-long", "RunTask", r#"{"taskDefinition": "t:1", "placementConstraints": [{"type": "memberOf", "expression": "@gen:str:2000@"}]}"#, "", &[]),
    ("distinct-instance-expression", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "placementConstraints": [{"type": "distinctInstance", "expression": "x"}]}"#, "", &["distinct-instance-expression@placementConstraints[0].expression"]),
    ("distinct-instance-expression", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "placementConstraints": [{"type": "distinctInstance"}]}"#, "", &[]),
    ("member-of-expression-required", "RunTask", r#"{"taskDefinition": "t:1", "placementConstraints": [{"type": "memberOf"}, {"type": "memberOf", "expression": " "}]}"#, "", &["member-of-expression-required@placementConstraints[0].expression", "member-of-expression-required@placementConstraints[1].expression"]),
    ("member-of-expression-required", "RunTask", r#"{"taskDefinition": "t:1", "placementConstraints": [{"type": "memberOf", "expression": "attribute:ecs.instance-type =~ t2.*"}]}"#, "", &[]),
    ("fargate-placement", "RunTask", r#"{"taskDefinition": "t:1", "launchType": "FARGATE", "placementConstraints": [{"type": "distinctInstance"}], "placementStrategy": [{"type": "random"}]}"#, "", &["fargate-placement@placementConstraints", "fargate-placement@placementStrategy"]),
    ("fargate-placement", "RunTask", r#"{"taskDefinition": "t:1", "cluster": "serverless", "placementConstraints": [{"type": "distinctInstance"}]}"#, "state", &["fargate-placement@placementConstraints"]),
    ("fargate-placement", "RunTask", r#"{"taskDefinition": "t:1", "cluster": "empty", "placementConstraints": [{"type": "distinctInstance"}]}"#, "state", &[]),
    ("fargate-placement", "RunTask", r#"{"taskDefinition": "t:1", "launchType": "EC2", "placementConstraints": [{"type": "distinctInstance"}], "placementStrategy": [{"type": "random"}]}"#, "", &[]),
    ("placement-strategies-limit", "RunTask", r#"{"taskDefinition": "t:1", "placementStrategy": [@gen:strategies:6@]}"#, "", &["placement-strategies-limit@placementStrategy"]),
    ("placement-strategies-limit", "RunTask", r#"{"taskDefinition": "t:1", "placementStrategy": [@gen:strategies:5@]}"#, "", &[]),
    ("placement-strategy-field", "RunTask", r#"{"taskDefinition": "t:1", "placementStrategy": [{"type": "spread", "field": "az"}, {"type": "binpack"}, {"type": "binpack", "field": "attribute:x"}]}"#, "", &["placement-strategy-field@placementStrategy[0].field", "placement-strategy-field@placementStrategy[1].field", "placement-strategy-field@placementStrategy[2].field"]),
    ("placement-strategy-field", "RunTask", r#"{"taskDefinition": "t:1", "placementStrategy": [{"type": "spread", "field": "attribute:ecs.availability-zone"}, {"type": "spread", "field": "host"}, {"type": "binpack", "field": "memory"}, {"type": "random", "field": "anything"}]}"#, "", &[]),
    // §2.10 services
    ("service-name-format", "CreateService", r#"{"serviceName": "web app", "taskDefinition": "t:1", "desiredCount": 1}"#, "", &["service-name-format@serviceName"]),
    ("service-name-format", "CreateService", r#"{"serviceName": "web_app-2", "taskDefinition": "t:1", "desiredCount": 1}"#, "", &[]),
    ("service-name-in-use", "CreateService", r#"{"serviceName": "old", "taskDefinition": "t:1", "desiredCount": 1}"#, "state", &["service-name-in-use@serviceName"]),
    ("service-name-in-use", "CreateService", r#"{"serviceName": "gone", "taskDefinition": "t:1", "desiredCount": 1}"#, "state", &[]),
    ("service-not-found", "UpdateService", r#"{"service": "nope", "desiredCount": 1}"#, "state", &["service-not-found@service"]),
    ("service-not-found", "DeleteService", r#"{"service": "gone"}"#, "state", &["service-not-found@service"]),
    ("service-not-active", "UpdateService", r#"{"service": "gone", "desiredCount": 1}"#, "state", &["service-not-active@service"]),
    ("service-not-active", "UpdateService", r#"{"service": "old", "desiredCount": 1}"#, "state", &[]),
    ("service-not-found", "UpdateService", r#"{"service": "arn:aws:ecs:us-east-1:1:service/default/web", "desiredCount": 1}"#, "state", &[]),
    ("service-task-definition-required", "CreateService", r#"{"serviceName": "s", "desiredCount": 1, "deploymentController": {"type": "CODE_DEPLOY"}}"#, "", &["service-task-definition-required@taskDefinition"]),
    ("service-task-definition-required", "CreateService", r#"{"serviceName": "s", "desiredCount": 1, "deploymentController": {"type": "EXTERNAL"}}"#, "", &[]),
    ("external-controller-field", "CreateService", r#"{"serviceName": "s", "desiredCount": 1, "deploymentController": {"type": "EXTERNAL"}, "taskDefinition": "t:1", "launchType": "EC2"}"#, "", &["external-controller-field@taskDefinition", "external-controller-field@launchType"]),
    ("external-controller-field", "CreateService", r#"{"serviceName": "s", "deploymentController": {"type": "EXTERNAL"}, "placementStrategy": [{"type": "random"}]}"#, "", &[]),
    ("desired-count-required", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1"}"#, "", &["desired-count-required@desiredCount"]),
    ("desired-count-required", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "schedulingStrategy": "DAEMON"}"#, "", &[]),
    ("service-client-token-format", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "clientToken": "@gen:str:33@"}"#, "", &["service-client-token-format@clientToken"]),
    ("service-client-token-format", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "clientToken": "@gen:str:32@"}"#, "", &[]),
    ("daemon-not-supported", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "schedulingStrategy": "DAEMON", "launchType": "FARGATE"}"#, "", &["daemon-not-supported@schedulingStrategy"]),
    ("daemon-not-supported", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "schedulingStrategy": "DAEMON", "deploymentController": {"type": "CODE_DEPLOY"}}"#, "", &["daemon-not-supported@schedulingStrategy"]),
    ("daemon-not-supported", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "schedulingStrategy": "DAEMON", "launchType": "EC2"}"#, "", &[]),
    ("service-role-not-permitted", "CreateService", r#"{"serviceName": "s", "taskDefinition": "web:1", "desiredCount": 1, "role": "ecsServiceRole", @NET@, "loadBalancers": [{"targetGroupArn": "tg", "containerName": "web", "containerPort": 80}]}"#, "awsvpc", &["service-role-not-permitted@role"]),
    ("service-role-not-permitted", "CreateService", r#"{"serviceName": "s", "taskDefinition": "web:1", "desiredCount": 1, "role": "ecsServiceRole", "loadBalancers": [{"targetGroupArn": "tg", "containerName": "web", "containerPort": 80}]}"#, "bridge", &[]),
    ("service-role-requires-load-balancer", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "role": "ecsServiceRole"}"#, "", &["service-role-requires-load-balancer@role"]),
    ("service-role-requires-load-balancer", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "role": "r", "loadBalancers": [{"loadBalancerName": "clb", "containerName": "web", "containerPort": 80}]}"#, "", &[]),
    ("service-role-unneeded", "CreateService", r#"{"serviceName": "s", "taskDefinition": "web:1", "desiredCount": 1, "role": "r", "loadBalancers": [{"targetGroupArn": "tg1", "containerName": "web", "containerPort": 80}, {"targetGroupArn": "tg2", "containerName": "web", "containerPort": 80}]}"#, "bridge", &["service-role-unneeded@role"]),
    ("service-role-unneeded", "CreateService", r#"{"serviceName": "s", "taskDefinition": "web:1", "desiredCount": 1, "role": "r", "loadBalancers": [{"targetGroupArn": "tg1", "containerName": "web", "containerPort": 80}]}"#, "bridge", &[]),
    ("platform-version-fargate-only", "RunTask", r#"{"taskDefinition": "t:1", "launchType": "EC2", "platformVersion": "1.4.0"}"#, "", &["platform-version-fargate-only@platformVersion"]),
    ("platform-version-fargate-only", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "launchType": "FARGATE", "platformVersion": "LATEST"}"#, "", &[]),
    ("health-check-grace-period-unused", "CreateService", r#"{"serviceName": "s", "taskDefinition": "web:1", "desiredCount": 1, "healthCheckGracePeriodSeconds": 30}"#, "bridge", &["health-check-grace-period-unused@healthCheckGracePeriodSeconds"]),
    ("health-check-grace-period-unused", "CreateService", r#"{"serviceName": "s", "taskDefinition": "web:1", "desiredCount": 1, "healthCheckGracePeriodSeconds": 30, "loadBalancers": [{"targetGroupArn": "tg", "containerName": "web", "containerPort": 80}]}"#, "bridge", &[]),
    ("health-check-grace-period-range", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "healthCheckGracePeriodSeconds": -1}"#, "", &["health-check-grace-period-range@healthCheckGracePeriodSeconds"]),
    ("health-check-grace-period-range", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "healthCheckGracePeriodSeconds": 2147483647}"#, "", &[]),
    ("task-definition-inactive", "RunTask", r#"{"taskDefinition": "t:1"}"#, r#"{"taskDefinition": {"family": "t", "status": "INACTIVE"}}"#, &["task-definition-inactive@taskDefinition"]),
    ("task-definition-inactive", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1}"#, r#"{"taskDefinition": {"family": "t", "status": "INACTIVE"}}"#, &["task-definition-inactive@taskDefinition"]),
    ("task-definition-inactive", "RunTask", r#"{"taskDefinition": "t:1"}"#, r#"{"taskDefinition": {"family": "t", "status": "ACTIVE"}}"#, &[]),
    ("update-not-allowed-for-controller", "UpdateService", r#"{"service": "blue", "taskDefinition": "t:2", "desiredCount": 3}"#, "state", &["update-not-allowed-for-controller@taskDefinition"]),
    ("update-not-allowed-for-controller", "UpdateService", r#"{"service": "ext", "loadBalancers": [{"targetGroupArn": "tg1", "containerName": "web", "containerPort": 80}, {"targetGroupArn": "tg2", "containerName": "web", "containerPort": 80}]}"#, "state", &["update-not-allowed-for-controller@loadBalancers"]),
    ("update-not-allowed-for-controller", "UpdateService", r#"{"service": "blue", "desiredCount": 3, "deploymentConfiguration": {"maximumPercent": 200}, "forceNewDeployment": true, "deploymentController": {"type": "CODE_DEPLOY"}}"#, "state", &[]),
    ("delete-service-has-tasks", "DeleteService", r#"{"service": "web"}"#, "state", &["delete-service-has-tasks@service"]),
    ("delete-service-has-tasks", "DeleteService", r#"{"service": "web", "force": false}"#, "state", &["delete-service-has-tasks@service"]),
    ("delete-service-has-tasks", "DeleteService", r#"{"service": "web", "force": true}"#, "state", &[]),
    // Scaled to 0 with tasks still stopping: AWS deletes it (DRAINING); Terraform's destroy does exactly this.
    ("delete-service-has-tasks", "DeleteService", r#"{"service": "stopping"}"#, "state", &[]),
    // §2.11 deployments
    ("circuit-breaker-controller", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "deploymentController": {"type": "CODE_DEPLOY"}, "deploymentConfiguration": {"deploymentCircuitBreaker": {"enable": true, "rollback": true}}}"#, "", &["circuit-breaker-controller@deploymentConfiguration.deploymentCircuitBreaker"]),
    ("circuit-breaker-controller", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "loadBalancers": [{"loadBalancerName": "clb", "containerName": "web", "containerPort": 80}], "deploymentConfiguration": {"deploymentCircuitBreaker": {"enable": true, "rollback": true}}}"#, "", &["circuit-breaker-controller@deploymentConfiguration.deploymentCircuitBreaker"]),
    ("circuit-breaker-controller", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "loadBalancers": [{"targetGroupArn": "tg", "containerName": "web", "containerPort": 80}], "deploymentConfiguration": {"deploymentCircuitBreaker": {"enable": true, "rollback": true}}}"#, "", &[]),
    ("deployment-percent-ignored", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "launchType": "EC2", "deploymentController": {"type": "CODE_DEPLOY"}, "deploymentConfiguration": {"maximumPercent": 150}}"#, "", &["deployment-percent-ignored@deploymentConfiguration.maximumPercent"]),
    ("deployment-percent-ignored", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "launchType": "EC2", "deploymentConfiguration": {"maximumPercent": 150}}"#, "", &[]),
    ("deployment-percent-unused", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "launchType": "FARGATE", "deploymentController": {"type": "CODE_DEPLOY"}, "deploymentConfiguration": {"minimumHealthyPercent": 50}}"#, "", &["deployment-percent-unused@deploymentConfiguration.minimumHealthyPercent"]),
    ("deployment-percent-unused", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "launchType": "FARGATE", "deploymentConfiguration": {"minimumHealthyPercent": 50}}"#, "", &[]),
    // §2.12 load balancers
    ("load-balancer-target", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "loadBalancers": [{"containerName": "web", "containerPort": 80}, {"targetGroupArn": "tg", "loadBalancerName": "clb", "containerName": "web", "containerPort": 80}]}"#, "", &["load-balancer-target@loadBalancers[0].targetGroupArn", "load-balancer-target@loadBalancers[1].loadBalancerName"]),
    ("load-balancer-target", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "loadBalancers": [{"targetGroupArn": "tg", "containerName": "web", "containerPort": 80}]}"#, "", &[]),
    ("load-balancer-container-required", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "loadBalancers": [{"targetGroupArn": "tg"}]}"#, "", &["load-balancer-container-required@loadBalancers[0].containerName", "load-balancer-container-required@loadBalancers[0].containerPort"]),
    ("load-balancer-container-required", "UpdateService", r#"{"service": "web", "loadBalancers": [{"targetGroupArn": "tg", "containerName": "web", "containerPort": 80}]}"#, "", &[]),
    ("classic-load-balancer-not-supported", "CreateService", r#"{"serviceName": "s", "taskDefinition": "web:1", "desiredCount": 1, @NET@, "loadBalancers": [{"loadBalancerName": "clb", "containerName": "web", "containerPort": 80}]}"#, "awsvpc", &["classic-load-balancer-not-supported@loadBalancers[0].loadBalancerName"]),
    ("classic-load-balancer-not-supported", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "deploymentController": {"type": "CODE_DEPLOY"}, "loadBalancers": [{"loadBalancerName": "clb", "containerName": "web", "containerPort": 80}]}"#, "", &["classic-load-balancer-not-supported@loadBalancers[0].loadBalancerName"]),
    ("classic-load-balancer-not-supported", "CreateService", r#"{"serviceName": "s", "taskDefinition": "web:1", "desiredCount": 1, "loadBalancers": [{"loadBalancerName": "clb", "containerName": "web", "containerPort": 80}]}"#, "bridge", &[]),
    ("load-balancer-multiple-target-groups", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "deploymentController": {"type": "CODE_DEPLOY"}, "loadBalancers": [{"targetGroupArn": "tg1", "containerName": "web", "containerPort": 80}, {"targetGroupArn": "tg2", "containerName": "web", "containerPort": 80}]}"#, "", &["load-balancer-multiple-target-groups@loadBalancers"]),
    ("load-balancer-multiple-target-groups", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "loadBalancers": [{"targetGroupArn": "tg1", "containerName": "web", "containerPort": 80}, {"targetGroupArn": "tg2", "containerName": "web", "containerPort": 80}]}"#, "", &[]),
    ("load-balancer-container-unknown", "CreateService", r#"{"serviceName": "s", "taskDefinition": "web:1", "desiredCount": 1, "loadBalancers": [{"targetGroupArn": "tg", "containerName": "api", "containerPort": 80}]}"#, "bridge", &["load-balancer-container-unknown@loadBalancers[0].containerName"]),
    ("load-balancer-container-unknown", "CreateService", r#"{"serviceName": "s", "taskDefinition": "web:1", "desiredCount": 1, "loadBalancers": [{"targetGroupArn": "tg", "containerName": "web", "containerPort": 80}]}"#, "bridge", &[]),
    ("load-balancer-port-unknown", "CreateService", r#"{"serviceName": "s", "taskDefinition": "web:1", "desiredCount": 1, "loadBalancers": [{"targetGroupArn": "tg", "containerName": "web", "containerPort": 8080}]}"#, "bridge", &["load-balancer-port-unknown@loadBalancers[0].containerPort"]),
    ("load-balancer-port-unknown", "CreateService", r#"{"serviceName": "s", "taskDefinition": "web:1", "desiredCount": 1, @NET@, "loadBalancers": [{"targetGroupArn": "tg", "containerName": "sidecar", "containerPort": 9000}]}"#, "awsvpc", &[]),
    // §2.13 service registries
    ("service-registries-limit", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "serviceRegistries": [{"registryArn": "a"}, {"registryArn": "b"}]}"#, "", &["service-registries-limit@serviceRegistries"]),
    ("service-registries-limit", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "serviceRegistries": [{"registryArn": "a"}]}"#, "", &[]),
    ("service-registry-container-required", "CreateService", r#"{"serviceName": "s", "taskDefinition": "web:1", "desiredCount": 1, "serviceRegistries": [{"registryArn": "a"}]}"#, "bridge", &["service-registry-container-required@serviceRegistries[0].containerName", "service-registry-container-required@serviceRegistries[0].containerPort"]),
    ("service-registry-container-required", "CreateService", r#"{"serviceName": "s", "taskDefinition": "web:1", "desiredCount": 1, "serviceRegistries": [{"registryArn": "a", "containerName": "web", "containerPort": 80}]}"#, "bridge", &[]),
    ("service-registry-port-conflict", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "serviceRegistries": [{"registryArn": "a", "port": 80, "containerName": "web", "containerPort": 80}]}"#, "", &["service-registry-port-conflict@serviceRegistries[0].port"]),
    ("service-registry-port-conflict", "CreateService", r#"{"serviceName": "s", "taskDefinition": "web:1", "desiredCount": 1, @NET@, "serviceRegistries": [{"registryArn": "a", "port": 80}]}"#, "awsvpc", &[]),
    ("service-registry-container-unknown", "CreateService", r#"{"serviceName": "s", "taskDefinition": "web:1", "desiredCount": 1, "serviceRegistries": [{"registryArn": "a", "containerName": "api", "containerPort": 80}, {"registryArn": "b", "containerName": "web", "containerPort": 81}]}"#, "bridge", &["service-registries-limit@serviceRegistries", "service-registry-container-unknown@serviceRegistries[0].containerName", "service-registry-container-unknown@serviceRegistries[1].containerPort"]),
    ("service-registry-container-unknown", "UpdateService", r#"{"service": "web", "serviceRegistries": [{"registryArn": "a", "containerName": "web", "containerPort": 80}]}"#, "bridge", &[]),
    // §2.14 Service Connect
    ("service-connect-services-limit", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "serviceConnectConfiguration": {"enabled": true, "services": [@gen:scservices:31@]}}"#, "", &["service-connect-services-limit@serviceConnectConfiguration.services"]),
    ("service-connect-services-limit", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "serviceConnectConfiguration": {"enabled": true, "services": [@gen:scservices:30@]}}"#, "", &[]),
    ("service-connect-port-name-unknown", "CreateService", r#"{"serviceName": "s", "taskDefinition": "web:1", "desiredCount": 1, @NET@, "serviceConnectConfiguration": {"enabled": true, "services": [{"portName": "grpc", "clientAliases": [{"port": 80}]}]}}"#, "awsvpc", &["service-connect-port-name-unknown@serviceConnectConfiguration.services[0].portName"]),
    ("service-connect-port-name-unknown", "UpdateService", r#"{"service": "web", "serviceConnectConfiguration": {"enabled": true, "services": [{"portName": "http", "clientAliases": [{"port": 80}]}]}}"#, "awsvpc", &[]),
    ("discovery-name-format", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "serviceConnectConfiguration": {"enabled": true, "services": [{"portName": "http", "discoveryName": "Web", "clientAliases": [{"port": 80}]}, {"portName": "m", "discoveryName": "-m", "clientAliases": [{"port": 81}]}]}}"#, "", &["discovery-name-format@serviceConnectConfiguration.services[0].discoveryName", "discovery-name-format@serviceConnectConfiguration.services[1].discoveryName"]),
    ("discovery-name-format", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "serviceConnectConfiguration": {"enabled": true, "services": [{"portName": "http", "discoveryName": "web-1_a", "clientAliases": [{"port": 80}]}]}}"#, "", &[]),
    ("discovery-name-duplicate", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "serviceConnectConfiguration": {"enabled": true, "services": [{"portName": "http", "clientAliases": [{"port": 80}]}, {"portName": "metrics", "discoveryName": "http", "clientAliases": [{"port": 81}]}]}}"#, "", &["discovery-name-duplicate@serviceConnectConfiguration.services[1].discoveryName"]),
    ("discovery-name-duplicate", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "serviceConnectConfiguration": {"enabled": true, "services": [{"portName": "http", "clientAliases": [{"port": 80}]}, {"portName": "metrics", "clientAliases": [{"port": 81}]}]}}"#, "", &[]),
    ("client-aliases-count", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "serviceConnectConfiguration": {"enabled": true, "services": [{"portName": "a"}, {"portName": "b", "clientAliases": [{"port": 80}, {"port": 81}]}]}}"#, "", &["client-aliases-count@serviceConnectConfiguration.services[0].clientAliases", "client-aliases-count@serviceConnectConfiguration.services[1].clientAliases"]),
    ("client-aliases-count", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "serviceConnectConfiguration": {"enabled": true, "namespace": "ns"}}"#, "", &[]),
    ("dns-name-format", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "serviceConnectConfiguration": {"enabled": true, "services": [{"portName": "a", "clientAliases": [{"port": 80, "dnsName": "-web"}]}, {"portName": "b", "clientAliases": [{"port": 80, "dnsName": "web..local"}]}]}}"#, "", &["dns-name-format@serviceConnectConfiguration.services[0].clientAliases[0].dnsName", "dns-name-format@serviceConnectConfiguration.services[1].clientAliases[0].dnsName"]),
    ("dns-name-format", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "serviceConnectConfiguration": {"enabled": true, "services": [{"portName": "a", "clientAliases": [{"port": 80, "dnsName": "web.my_ns"}]}]}}"#, "", &[]),
    ("client-alias-duplicate", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "serviceConnectConfiguration": {"enabled": true, "services": [{"portName": "a", "clientAliases": [{"port": 80, "dnsName": "web"}]}, {"portName": "b", "clientAliases": [{"port": 80, "dnsName": "web"}]}]}}"#, "", &["client-alias-duplicate@serviceConnectConfiguration.services[1].clientAliases[0].port"]),
    ("client-alias-duplicate", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "serviceConnectConfiguration": {"enabled": true, "services": [{"portName": "a", "clientAliases": [{"port": 80, "dnsName": "web"}]}, {"portName": "b", "clientAliases": [{"port": 81, "dnsName": "web"}]}]}}"#, "", &[]),
    ("per-request-timeout-tcp", "CreateService", r#"{"serviceName": "s", "taskDefinition": "web:1", "desiredCount": 1, @NET@, "serviceConnectConfiguration": {"enabled": true, "services": [{"portName": "metrics", "clientAliases": [{"port": 9000}], "timeout": {"perRequestTimeoutSeconds": 5}}]}}"#, "awsvpc", &["per-request-timeout-tcp@serviceConnectConfiguration.services[0].timeout.perRequestTimeoutSeconds"]),
    ("per-request-timeout-tcp", "CreateService", r#"{"serviceName": "s", "taskDefinition": "web:1", "desiredCount": 1, @NET@, "serviceConnectConfiguration": {"enabled": true, "services": [{"portName": "http", "clientAliases": [{"port": 80}], "timeout": {"perRequestTimeoutSeconds": 5}}, {"portName": "metrics", "clientAliases": [{"port": 9000}], "timeout": {"idleTimeoutSeconds": 60}}]}}"#, "awsvpc", &[]),
    // §2.15 RunTask
    ("task-count-range", "RunTask", r#"{"taskDefinition": "t:1", "count": 11}"#, "", &["task-count-range@count"]),
    ("task-count-range", "RunTask", r#"{"taskDefinition": "t:1", "count": 0}"#, "", &["task-count-range@count"]),
    ("task-count-range", "RunTask", r#"{"taskDefinition": "t:1", "count": 10}"#, "", &[]),
    ("execute-command-task-role", "RunTask", r#"{"taskDefinition": "web:1", "enableExecuteCommand": true}"#, "bridge", &["execute-command-task-role@enableExecuteCommand"]),
    ("execute-command-task-role", "StartTask", r#"{"taskDefinition": "web:1", "containerInstances": ["ci-1"], "enableExecuteCommand": true, "overrides": {"taskRoleArn": "arn:aws:iam::1:role/task"}}"#, "bridge", &[]),
    ("propagate-tags-service", "RunTask", r#"{"taskDefinition": "t:1", "propagateTags": "SERVICE"}"#, "", &["propagate-tags-service@propagateTags"]),
    ("propagate-tags-service", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "propagateTags": "SERVICE"}"#, "", &[]),
    ("reference-id-too-long", "RunTask", r#"{"taskDefinition": "t:1", "referenceId": "@gen:str:1025@"}"#, "", &["reference-id-too-long@referenceId"]),
    ("reference-id-too-long", "RunTask", r#"{"taskDefinition": "t:1", "referenceId": "@gen:str:1024@"}"#, "", &[]),
    ("started-by-format", "RunTask", r#"{"taskDefinition": "t:1", "startedBy": "job id!"}"#, "", &["started-by-format@startedBy"]),
    ("started-by-format", "StartTask", r#"{"taskDefinition": "t:1", "containerInstances": ["c"], "startedBy": "@gen:str:129@"}"#, "", &["started-by-format@startedBy"]),
    ("started-by-format", "RunTask", r#"{"taskDefinition": "t:1", "startedBy": "jobs/2024-01_x"}"#, "", &[]),
    ("run-task-client-token-format", "RunTask", r#"{"taskDefinition": "t:1", "clientToken": "@gen:str:65@"}"#, "", &["run-task-client-token-format@clientToken"]),
    ("run-task-client-token-format", "RunTask", r#"{"taskDefinition": "t:1", "clientToken": "a b"}"#, "", &["run-task-client-token-format@clientToken"]),
    ("run-task-client-token-format", "RunTask", r#"{"taskDefinition": "t:1", "clientToken": "@gen:str:64@"}"#, "", &[]),
    ("launch-type-incompatible", "RunTask", r#"{"taskDefinition": "t:1", "launchType": "FARGATE"}"#, r#"{"taskDefinition": {"family": "t", "compatibilities": ["EC2"]}}"#, &["launch-type-incompatible@launchType"]),
    ("launch-type-incompatible", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "capacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1}]}"#, r#"{"taskDefinition": {"family": "t", "requiresCompatibilities": ["EC2"]}}"#, &["launch-type-incompatible@capacityProviderStrategy"]),
    ("launch-type-incompatible", "RunTask", r#"{"taskDefinition": "t:1", "launchType": "EC2"}"#, r#"{"taskDefinition": {"family": "t", "compatibilities": ["EC2"]}}"#, &[]),
    // §2.16 overrides
    ("overrides-too-long", "RunTask", r#"{"taskDefinition": "t:1", "overrides": {"containerOverrides": [{"name": "web", "command": ["@gen:str:8200@"]}]}}"#, "", &["overrides-too-long@overrides"]),
    ("overrides-too-long", "RunTask", r#"{"taskDefinition": "t:1", "overrides": {"containerOverrides": [{"name": "web", "command": ["@gen:str:8000@"]}]}}"#, "", &[]),
    ("container-override-name-required", "RunTask", r#"{"taskDefinition": "t:1", "overrides": {"containerOverrides": [{"command": ["x"]}]}}"#, "", &["container-override-name-required@overrides.containerOverrides[0].name"]),
    ("container-override-name-required", "RunTask", r#"{"taskDefinition": "t:1", "overrides": {"containerOverrides": []}}"#, "", &[]),
    ("container-override-unknown", "RunTask", r#"{"taskDefinition": "web:1", "overrides": {"containerOverrides": [{"name": "api"}]}}"#, "bridge", &["container-override-unknown@overrides.containerOverrides[0].name"]),
    ("container-override-unknown", "RunTask", r#"{"taskDefinition": "web:1", "overrides": {"containerOverrides": [{"name": "web"}]}}"#, "bridge", &[]),
    ("override-environment-files-limit", "RunTask", r#"{"taskDefinition": "t:1", "overrides": {"containerOverrides": [{"name": "web", "environmentFiles": [@gen:envfiles:11@]}]}}"#, "", &["override-environment-files-limit@overrides.containerOverrides[0].environmentFiles"]),
    ("override-environment-files-limit", "RunTask", r#"{"taskDefinition": "t:1", "overrides": {"containerOverrides": [{"name": "web", "environmentFiles": [@gen:envfiles:10@]}]}}"#, "", &[]),
    ("override-resource-type", "RunTask", r#"{"taskDefinition": "t:1", "overrides": {"containerOverrides": [{"name": "web", "resourceRequirements": [{"type": "InferenceAccelerator", "value": "d"}]}]}}"#, "", &["override-resource-type@overrides.containerOverrides[0].resourceRequirements[0].type"]),
    ("override-resource-type", "RunTask", r#"{"taskDefinition": "t:1", "overrides": {"containerOverrides": [{"name": "web", "resourceRequirements": [{"type": "GPU", "value": "1"}]}]}}"#, "", &[]),
    ("inference-accelerator-override-unknown", "RunTask", r#"{"taskDefinition": "web:1", @NET@, "overrides": {"inferenceAcceleratorOverrides": [{"deviceName": "device2", "deviceType": "eia2.medium"}]}}"#, "awsvpc", &["inference-accelerator-override-unknown@overrides.inferenceAcceleratorOverrides[0].deviceName"]),
    ("inference-accelerator-override-unknown", "RunTask", r#"{"taskDefinition": "web:1", @NET@, "overrides": {"inferenceAcceleratorOverrides": [{"deviceName": "device1", "deviceType": "eia2.large"}]}}"#, "awsvpc", &[]),
    ("ephemeral-storage-override", "RunTask", r#"{"taskDefinition": "t:1", "launchType": "FARGATE", "overrides": {"ephemeralStorage": {"sizeInGiB": 20}}}"#, "", &["ephemeral-storage-override@overrides.ephemeralStorage.sizeInGiB"]),
    ("ephemeral-storage-override", "RunTask", r#"{"taskDefinition": "t:1", "launchType": "EC2", "overrides": {"ephemeralStorage": {"sizeInGiB": 30}}}"#, "", &["ephemeral-storage-override@overrides.ephemeralStorage"]),
    ("ephemeral-storage-override", "StartTask", r#"{"taskDefinition": "t:1", "containerInstances": ["c"], "overrides": {"ephemeralStorage": {"sizeInGiB": 30}}}"#, "", &["ephemeral-storage-override@overrides.ephemeralStorage"]),
    ("ephemeral-storage-override", "RunTask", r#"{"taskDefinition": "t:1", "launchType": "FARGATE", "overrides": {"ephemeralStorage": {"sizeInGiB": 200}}}"#, "", &[]),
    // §2.17 StartTask, StopTask; V-TD-033
    ("container-instances-limit", "StartTask", r#"{"taskDefinition": "t:1", "containerInstances": [@gen:list:11@]}"#, "", &["container-instances-limit@containerInstances"]),
    ("container-instances-limit", "StartTask", r#"{"taskDefinition": "t:1", "containerInstances": []}"#, "", &["container-instances-limit@containerInstances"]),
    ("container-instances-limit", "StartTask", r#"{"taskDefinition": "t:1", "containerInstances": [@gen:list:10@]}"#, "", &[]),
    ("stop-reason-too-long", "StopTask", r#"{"task": "abc", "reason": "@gen:str:256@"}"#, "", &["stop-reason-too-long@reason"]),
    ("stop-reason-too-long", "StopTask", r#"{"task": "abc", "reason": "@gen:str:255@"}"#, "", &[]),
    ("deregister-revision-required", "DeregisterTaskDefinition", r#"{"taskDefinition": "web"}"#, "", &["deregister-revision-required@taskDefinition"]),
    ("deregister-revision-required", "DeregisterTaskDefinition", r#"{"taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/web"}"#, "", &["deregister-revision-required@taskDefinition"]),
    ("deregister-revision-required", "DeregisterTaskDefinition", r#"{"taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3"}"#, "", &[]),
    // §2.18 describe and list
    ("describe-list-limit", "DescribeClusters", r#"{"clusters": [@gen:list:101@]}"#, "", &["describe-list-limit@clusters"]),
    ("describe-list-limit", "DescribeClusters", r#"{"clusters": [@gen:list:100@]}"#, "", &[]),
    ("describe-list-limit", "DescribeServices", r#"{"services": [@gen:list:11@]}"#, "", &["describe-list-limit@services"]),
    ("describe-list-limit", "DescribeServices", r#"{"services": []}"#, "", &["describe-list-limit@services"]),
    ("describe-list-limit", "DescribeServices", r#"{"services": [@gen:list:10@]}"#, "", &[]),
    ("describe-list-limit", "DescribeTasks", r#"{"tasks": [@gen:list:101@]}"#, "", &["describe-list-limit@tasks"]),
    ("describe-list-limit", "DescribeTasks", r#"{"tasks": [@gen:list:100@]}"#, "", &[]),
    ("describe-list-limit", "DescribeServiceRevisions", r#"{"serviceRevisionArns": [@gen:list:21@]}"#, "", &["describe-list-limit@serviceRevisionArns"]),
    ("describe-list-limit", "DescribeServiceRevisions", r#"{"serviceRevisionArns": [@gen:list:20@]}"#, "", &[]),
    ("service-missing", "DescribeServices", r#"{"services": ["web", "nope"]}"#, "state", &["service-missing@services[1]"]),
    ("service-missing", "DescribeServices", r#"{"services": ["web", "arn:aws:ecs:us-east-1:1:service/default/gone"]}"#, "state", &[]),
    ("max-results-range", "ListServicesByNamespace", r#"{"namespace": "ns", "maxResults": 0}"#, "", &["max-results-range@maxResults"]),
    ("max-results-range", "ListServicesByNamespace", r#"{"namespace": "ns", "maxResults": 101}"#, "", &["max-results-range@maxResults"]),
    ("max-results-range", "ListServicesByNamespace", r#"{"namespace": "ns", "maxResults": 100}"#, "", &[]),
    // §2.19 managed EBS volumes
    ("ebs-volume-not-configured-at-launch", "RunTask", r#"{"taskDefinition": "web:1", @NET@, "volumeConfigurations": [{"name": "scratch", "managedEBSVolume": {"roleArn": "r", "sizeInGiB": 10}}]}"#, "awsvpc", &["ebs-volume-not-configured-at-launch@volumeConfigurations[0].name"]),
    ("ebs-volume-not-configured-at-launch", "RunTask", r#"{"taskDefinition": "web:1", @NET@, "volumeConfigurations": [{"name": "data", "managedEBSVolume": {"roleArn": "r", "sizeInGiB": 10}}]}"#, "awsvpc", &[]),
    ("ebs-standard-on-fargate", "RunTask", r#"{"taskDefinition": "t:1", "launchType": "FARGATE", "volumeConfigurations": [{"name": "data", "managedEBSVolume": {"roleArn": "r", "volumeType": "standard", "sizeInGiB": 10}}]}"#, "", &["ebs-standard-on-fargate@volumeConfigurations[0].managedEBSVolume.volumeType"]),
    ("ebs-standard-on-fargate", "RunTask", r#"{"taskDefinition": "t:1", "launchType": "EC2", "volumeConfigurations": [{"name": "data", "managedEBSVolume": {"roleArn": "r", "volumeType": "standard", "sizeInGiB": 10}}]}"#, "", &[]),
    ("ebs-size-or-snapshot", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "volumeConfigurations": [{"name": "data", "managedEBSVolume": {"roleArn": "r"}}]}"#, "", &["ebs-size-or-snapshot@volumeConfigurations[0].managedEBSVolume.sizeInGiB"]),
    ("ebs-size-or-snapshot", "CreateService", r#"{"serviceName": "s", "taskDefinition": "t:1", "desiredCount": 1, "volumeConfigurations": [{"name": "data", "managedEBSVolume": {"roleArn": "r", "snapshotId": "snap-1"}}]}"#, "", &[]),
    ("ebs-size-range", "RunTask", r#"{"taskDefinition": "t:1", "volumeConfigurations": [{"name": "a", "managedEBSVolume": {"roleArn": "r", "sizeInGiB": 20000}}, {"name": "b", "managedEBSVolume": {"roleArn": "r", "volumeType": "st1", "sizeInGiB": 100}}]}"#, "", &["ebs-size-range@volumeConfigurations[0].managedEBSVolume.sizeInGiB", "ebs-size-range@volumeConfigurations[1].managedEBSVolume.sizeInGiB"]),
    ("ebs-size-range", "RunTask", r#"{"taskDefinition": "t:1", "volumeConfigurations": [{"name": "a", "managedEBSVolume": {"roleArn": "r", "volumeType": "io1", "sizeInGiB": 4, "iops": 100}}]}"#, "", &[]),
    ("ebs-iops", "RunTask", r#"{"taskDefinition": "t:1", "volumeConfigurations": [{"name": "a", "managedEBSVolume": {"roleArn": "r", "volumeType": "io2", "sizeInGiB": 10}}, {"name": "b", "managedEBSVolume": {"roleArn": "r", "volumeType": "st1", "sizeInGiB": 125, "iops": 100}}, {"name": "c", "managedEBSVolume": {"roleArn": "r", "sizeInGiB": 10, "iops": 2000}}]}"#, "", &["ebs-iops@volumeConfigurations[0].managedEBSVolume.iops", "ebs-iops@volumeConfigurations[1].managedEBSVolume.iops", "ebs-iops@volumeConfigurations[2].managedEBSVolume.iops"]),
    ("ebs-iops", "RunTask", r#"{"taskDefinition": "t:1", "volumeConfigurations": [{"name": "a", "managedEBSVolume": {"roleArn": "r", "volumeType": "gp3", "sizeInGiB": 10, "iops": 3000}}]}"#, "", &[]),
    ("ebs-throughput", "RunTask", r#"{"taskDefinition": "t:1", "volumeConfigurations": [{"name": "a", "managedEBSVolume": {"roleArn": "r", "volumeType": "gp2", "sizeInGiB": 10, "throughput": 200}}, {"name": "b", "managedEBSVolume": {"roleArn": "r", "sizeInGiB": 10, "throughput": 1001}}]}"#, "", &["ebs-throughput@volumeConfigurations[0].managedEBSVolume.throughput", "ebs-throughput@volumeConfigurations[1].managedEBSVolume.throughput"]),
    ("ebs-throughput", "RunTask", r#"{"taskDefinition": "t:1", "volumeConfigurations": [{"name": "a", "managedEBSVolume": {"roleArn": "r", "volumeType": "gp3", "sizeInGiB": 10, "throughput": 1000}}]}"#, "", &[]),
];

/// Expands `@NET@` and `@gen:KIND:N@` tokens in a request template.
fn expand(template: &str) -> String {
    let mut out = template.replace("@NET@", NET);
    while let Some(start) = out.find("@gen:") {
        let rest = &out[start + 5..];
        let end = rest.find('@').expect("unterminated @gen: token");
        let (kind, n) = rest[..end].split_once(':').expect("@gen:KIND:N@");
        let n: usize = n.parse().expect("a count");
        let item = |i: usize| match kind {
            "tags" => format!(r#"{{"key": "k{i}", "value": "v"}}"#),
            "list" => format!(r#""item-{i}""#),
            "constraints" => {
                r#"{"type": "memberOf", "expression": "attribute:stack == prod"}"#.to_string()
            }
            "strategy" => format!(r#"{{"capacityProvider": "cp{i}", "weight": 1}}"#),
            "attributes" => format!(
                r#"{{"name": "a{i}", "targetId": "arn:aws:ecs:us-east-1:1:container-instance/c/abc"}}"#
            ),
            "strategies" => r#"{"type": "random"}"#.to_string(),
            "envfiles" => format!(r#"{{"value": "arn:aws:s3:::bucket/f{i}.env", "type": "s3"}}"#),
            "scservices" => format!(
                r#"{{"portName": "p{i}", "clientAliases": [{{"port": {}}}]}}"#,
                1000 + i
            ),
            other => panic!("unknown generator {other}"),
        };
        let generated = if kind == "str" {
            "a".repeat(n)
        } else {
            (0..n).map(item).collect::<Vec<_>>().join(", ")
        };
        out.replace_range(start..start + 5 + end + 1, &generated);
    }
    out
}

/// A hand-written account for the rules' tests, read through [`Account`]
/// like the simulator's (whose own implementation the simulator's tests
/// and the endpoint's golden files exercise).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Fixture {
    task_definition: Option<Value>,
    clusters: Option<Vec<FixtureCluster>>,
    capacity_providers: Option<Vec<FixtureProvider>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct FixtureCluster {
    name: String,
    capacity_providers: Vec<String>,
    default_capacity_provider_strategy: Vec<String>,
    services: Vec<FixtureService>,
    registered_container_instances: usize,
    tasks: Vec<FixtureTask>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct FixtureService {
    name: String,
    status: String,
    deployment_controller: Option<String>,
    launch_type: Option<String>,
    capacity_provider_strategy: Vec<String>,
    desired_count: u32,
    scheduling_strategy: Option<String>,
    has_load_balancers: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct FixtureProvider {
    name: String,
    status: String,
    cluster: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct FixtureTask {
    capacity_provider_name: Option<String>,
    last_status: String,
}

impl Fixture {
    fn cluster(&self, key: usize) -> Option<&FixtureCluster> {
        self.clusters.as_ref()?.get(key)
    }
}

impl Account for Fixture {
    fn cluster_key(&self, name_or_arn: &str) -> Option<Option<usize>> {
        let name = account::short_name(name_or_arn);
        Some(self.clusters.as_ref()?.iter().position(|c| c.name == name))
    }

    fn cluster_name(&self, cluster: usize) -> &str {
        self.cluster(cluster).map_or("", |c| c.name.as_str())
    }

    fn capacity_providers_of(&self, cluster: usize) -> Vec<&str> {
        self.cluster(cluster).map_or_else(Vec::new, |c| {
            c.capacity_providers.iter().map(String::as_str).collect()
        })
    }

    fn default_strategy_of(&self, cluster: usize) -> Vec<&str> {
        self.cluster(cluster).map_or_else(Vec::new, |c| {
            c.default_capacity_provider_strategy
                .iter()
                .map(String::as_str)
                .collect()
        })
    }

    fn service(&self, cluster: usize, name_or_arn: &str) -> Option<ServiceView<'_>> {
        let name = account::short_name(name_or_arn);
        let services = &self.cluster(cluster)?.services;
        let s = services
            .iter()
            .find(|s| s.name == name && s.status != "INACTIVE")
            .or_else(|| services.iter().find(|s| s.name == name))?;
        Some(ServiceView {
            name: &s.name,
            status: &s.status,
            deployment_controller: s.deployment_controller.as_deref(),
            launch_type: s.launch_type.as_deref(),
            capacity_provider_strategy: s
                .capacity_provider_strategy
                .iter()
                .map(String::as_str)
                .collect(),
            desired_count: s.desired_count,
            daemon: s.scheduling_strategy.as_deref() == Some("DAEMON"),
            has_load_balancers: s.has_load_balancers,
            task_definition: None,
        })
    }

    fn registered_container_instances(&self, cluster: usize) -> usize {
        self.cluster(cluster)
            .map_or(0, |c| c.registered_container_instances)
    }

    fn live_tasks_using(&self, cluster: usize, provider: &str) -> usize {
        self.cluster(cluster).map_or(0, |c| {
            c.tasks
                .iter()
                .filter(|t| {
                    t.last_status != "STOPPED"
                        && t.capacity_provider_name.as_deref() == Some(provider)
                })
                .count()
        })
    }

    fn capacity_provider(&self, name: &str) -> Option<Option<CapacityProviderView<'_>>> {
        let providers = self.capacity_providers.as_ref()?;
        Some(
            providers
                .iter()
                .find(|p| p.name == name)
                .map(|p| CapacityProviderView {
                    status: &p.status,
                    cluster: p.cluster.as_deref(),
                }),
        )
    }

    fn task_definition(&self, _reference: Option<&str>) -> Option<TaskDef<'_>> {
        self.task_definition.as_ref().map(TaskDef::new)
    }
}

/// Builds an account: raw JSON, or `+`-joined presets (awsvpc, bridge, state).
fn context(spec: &str) -> Fixture {
    if spec.starts_with('{') {
        return serde_json::from_str(spec).expect("context JSON");
    }
    let mut context = Fixture::default();
    for part in spec.split('+').filter(|p| !p.is_empty()) {
        match part {
            "awsvpc" => {
                context.task_definition = Some(serde_json::from_str(TD_AWSVPC).expect("TD_AWSVPC"))
            }
            "bridge" => {
                context.task_definition = Some(serde_json::from_str(TD_BRIDGE).expect("TD_BRIDGE"))
            }
            "state" => {
                let state: Fixture = serde_json::from_str(STATE).expect("STATE");
                context.clusters = state.clusters;
                context.capacity_providers = state.capacity_providers;
            }
            other => panic!("unknown context preset {other}"),
        }
    }
    context
}

fn run(case: &Case) -> (String, Analysis) {
    let (_, op, request, spec, _) = case;
    let text = expand(request);
    let analysis = analyze_request(op, &text, &context(spec));
    (text, analysis)
}

fn located(analysis: &Analysis) -> Vec<String> {
    let mut found: Vec<String> = analysis
        .diagnostics
        .iter()
        .map(|d| format!("{}@{}", d.code, d.path))
        .collect();
    found.sort();
    found
}

#[test]
fn every_case_reports_exactly_what_it_expects() {
    let mut failures = Vec::new();
    for case in CASES {
        let (_, analysis) = run(case);
        let mut expected: Vec<String> = case.4.iter().map(|s| s.to_string()).collect();
        expected.sort();
        let found = located(&analysis);
        if found != expected {
            failures.push(format!(
                "{} {} {}\n  expected {expected:?}\n  found    {found:?}",
                case.0,
                case.1,
                &case.2[..case.2.len().min(120)]
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_rule_has_a_failing_and_a_passing_case() {
    for rule in request_rules() {
        let rows: Vec<&Case> = CASES.iter().filter(|c| c.0 == rule.code).collect();
        assert!(
            rows.iter().any(|c| c
                .4
                .iter()
                .any(|e| e.starts_with(&format!("{}@", rule.code)))),
            "no failing case for {}",
            rule.code
        );
        assert!(
            rows.iter().any(|c| !c
                .4
                .iter()
                .any(|e| e.starts_with(&format!("{}@", rule.code)))),
            "no passing case for {}",
            rule.code
        );
    }
    for case in CASES {
        assert!(
            request_rules().iter().any(|r| r.code == case.0),
            "case for unknown rule {}",
            case.0
        );
    }
}

#[test]
fn diagnostics_carry_the_rule_severity_and_exception() {
    for case in CASES {
        let (_, analysis) = run(case);
        for d in &analysis.diagnostics {
            let rule = request_rules()
                .into_iter()
                .find(|r| r.code == d.code)
                .expect("a catalogued rule");
            assert_eq!(d.severity, rule.severity, "{}", d.code);
            assert_eq!(d.exception.as_deref(), rule.exception, "{}", d.code);
            assert!(!d.message.is_empty());
        }
    }
}

#[test]
fn applying_a_fix_removes_its_diagnostic() {
    let mut checked = 0;
    for case in CASES {
        let (text, analysis) = run(case);
        for d in analysis.diagnostics.iter().filter(|d| d.fix.is_some()) {
            let fixed = apply_fix(&text, d.fix.as_ref().expect("filtered"));
            let again = analyze_request(case.1, &fixed, &context(case.3));
            let target = format!("{}@{}", d.code, d.path);
            assert!(
                !located(&again).contains(&target),
                "fix \"{}\" left {target} in {fixed}",
                d.fix.as_ref().map_or("", |f| f.title.as_str())
            );
            assert!(
                crate::json::parse(&fixed).is_ok(),
                "fix broke the JSON: {fixed}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} fixes exercised");
}

#[test]
fn rule_codes_are_unique_kebab_case_across_the_catalogue() {
    let codes: Vec<&str> = crate::check::RULES.iter().map(|r| r.code).collect();
    for (i, code) in codes.iter().enumerate() {
        assert!(!codes[..i].contains(code), "duplicate rule code {code}");
        assert!(
            code.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{code}"
        );
    }
    for rule in request_rules() {
        assert!(
            crate::check::RULES.iter().any(|r| r.code == rule.code),
            "{} not in the catalogue",
            rule.code
        );
    }
}

#[test]
fn covered_ids_exist_in_the_checklist_and_are_not_also_left_out() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/spec/seed-checklist.md"
    );
    let checklist =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let ids = covered_ids();
    assert!(ids.len() >= 100, "only {} IDs covered", ids.len());
    for id in &ids {
        assert!(
            checklist.contains(&format!("| {id} |")),
            "{id} is not a checklist rule"
        );
        assert!(
            !NOT_COVERED_HERE.iter().any(|(n, _)| n == id),
            "{id} is both covered and left out"
        );
    }
    for (id, _) in NOT_COVERED_HERE {
        assert!(
            checklist.contains(&format!("| {id} |")),
            "{id} is not a checklist rule"
        );
    }
}

#[test]
fn every_owned_checklist_id_is_covered_or_explained() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/spec/seed-checklist.md"
    );
    let checklist =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let owned = [
        "V-TAG-", "V-ATTR-", "V-CL-", "V-CP-", "V-NET-", "V-SVC-", "V-DEP-", "V-LB-", "V-SR-",
        "V-SC-", "V-RUN-", "V-OVR-", "V-START-", "V-STOP-", "V-DESC-", "V-EBS-",
    ];
    let covered = covered_ids();
    let mut missing = Vec::new();
    for line in checklist.lines() {
        let Some(id) = line.strip_prefix("| ").and_then(|l| l.split(' ').next()) else {
            continue;
        };
        let placement_request_side = id
            .strip_prefix("V-PL-")
            .and_then(|n| n.parse::<u32>().ok())
            .is_some_and(|n| n <= 11);
        if (owned.iter().any(|p| id.starts_with(p)) || placement_request_side)
            && !covered.contains(&id)
            && !NOT_COVERED_HERE.iter().any(|(n, _)| *n == id)
        {
            missing.push(id.to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "neither covered nor explained: {missing:?}"
    );
}

#[test]
fn operations_parse_by_api_and_cli_name() {
    for op in Operation::ALL {
        assert_eq!(Operation::parse(op.name()), Some(op));
    }
    assert_eq!(
        Operation::parse("describe-service-revisions"),
        Some(Operation::DescribeServiceRevisions)
    );
    assert_eq!(Operation::parse("RegisterTaskDefinition"), None);
}

#[test]
fn broken_input_becomes_a_diagnostic() {
    let analysis = analyze_request(
        "RunTask",
        "{\"taskDefinition\": ",
        &DocumentAccount::default(),
    );
    assert_eq!(analysis.diagnostics[0].code, "json-syntax");
    let analysis = analyze_request("Nope", "{}", &DocumentAccount::default());
    assert!(analysis.diagnostics[0].message.contains("RunTask"));
    // Values of the wrong type are the shape check's business: no panic, no rule fires.
    let odd = r#"{"taskDefinition": 1, "count": "x", "tags": [1, {"key": 2}], "placementConstraints": {"a": 1},
        "overrides": {"containerOverrides": [null, 3]}, "capacityProviderStrategy": [{"capacityProvider": 1, "base": "x"}]}"#;
    for op in Operation::ALL {
        let analysis = analyze_request(op.name(), odd, &context("awsvpc+state"));
        assert!(
            analysis
                .diagnostics
                .iter()
                .all(|d| d.code != "request-not-object"),
            "{}",
            op.name()
        );
    }
}

#[test]
fn every_request_is_safe_under_every_operation_and_context() {
    // Requests meant for one operation, sent to all of them with every
    // context: unexpected combinations must give diagnostics, never panics.
    for spec in ["", "awsvpc+state", "bridge+state"] {
        let context = context(spec);
        for case in CASES.iter().step_by(3) {
            let text = expand(case.2);
            for op in Operation::ALL {
                let analysis = analyze_request(op.name(), &text, &context);
                let len = text.encode_utf16().count() as u32;
                for d in &analysis.diagnostics {
                    assert!(
                        request_rules().iter().any(|r| r.code == d.code),
                        "{} from {}",
                        d.code,
                        op.name()
                    );
                    assert!(
                        d.range.start.offset_utf16 <= d.range.end.offset_utf16
                            && d.range.end.offset_utf16 <= len,
                        "{} out of range",
                        d.code
                    );
                }
            }
        }
    }
}

#[test]
fn unknown_operations_suggest_the_nearest_name() {
    let message = |op: &str| {
        analyze_request(op, "{}", &DocumentAccount::default()).diagnostics[0]
            .message
            .clone()
    };
    assert!(
        message("RunTasks").contains("did you mean RunTask?"),
        "{}",
        message("RunTasks")
    );
    assert!(message("CreateSevrice").contains("did you mean CreateService?"));
    assert!(!message("Frobnicate").contains("did you mean"));
}

#[test]
fn ranges_point_at_the_value_or_the_parent() {
    let text =
        "{\n  \"taskDefinition\": \"t:1\",\n  \"count\": 11,\n  \"tags\": [{\"value\": \"v\"}]\n}";
    let analysis = analyze_request("RunTask", text, &DocumentAccount::default());
    let at = |code: &str| {
        let d = analysis
            .diagnostics
            .iter()
            .find(|d| d.code == code)
            .unwrap_or_else(|| panic!("no {code}"));
        let (start, end) = (
            d.range.start.offset_utf16 as usize,
            d.range.end.offset_utf16 as usize,
        );
        (d.range.start.line, text[start..end].to_string())
    };
    // A bad value: the value itself.
    assert_eq!(at("task-count-range"), (3, "11".to_string()));
    // A missing member of an array item: the item's opening brace.
    assert_eq!(at("tag-key-required"), (4, "{".to_string()));
    // A state rule about a value: that value.
    let analysis = analyze_request(
        "RunTask",
        r#"{"taskDefinition": "t:1", "cluster": "nope"}"#,
        &context("state"),
    );
    let d = &analysis.diagnostics[0];
    assert_eq!(
        (d.code.as_str(), d.range.start.column, d.range.end.column),
        ("cluster-not-found", 38, 44)
    );
    // A missing top-level member: the request's opening brace.
    let analysis = analyze_request(
        "RunTask",
        r#"  {"taskDefinition": "web:1"}"#,
        &context("awsvpc"),
    );
    let d = &analysis.diagnostics[0];
    assert_eq!(
        (d.code.as_str(), d.range.start.column, d.range.end.column),
        ("network-configuration-required", 3, 4)
    );
}

#[test]
fn a_task_definition_can_be_given_as_text_in_either_form() {
    let register = DocumentAccount::default().with_task_definition_text(TD_BRIDGE);
    let describe = DocumentAccount::default()
        .with_task_definition_text(&format!(r#"{{"taskDefinition": {TD_BRIDGE}}}"#));
    let request =
        r#"{"taskDefinition": "web:1", "overrides": {"containerOverrides": [{"name": "api"}]}}"#;
    for context in [register, describe] {
        let found = located(&analyze_request("RunTask", request, &context));
        assert_eq!(
            found,
            ["container-override-unknown@overrides.containerOverrides[0].name"]
        );
    }
    let broken = DocumentAccount::default().with_task_definition_text("{");
    assert!(broken.task_definition.is_none());
    assert!(located(&analyze_request("RunTask", request, &broken)).is_empty());
}
