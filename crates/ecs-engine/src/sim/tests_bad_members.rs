//! A request with one badly typed member fails whole and changes nothing:
//! for every operation, every member of its input shape in AWS's model (and
//! every member of the simulator's own calls) is replaced in turn by a value
//! of the wrong type, and the account must answer with an error and be
//! exactly as it was (state, clock, queue, timeline and random numbers).

use serde_json::{json, Value};

use super::tests::{cluster_with, ecs, empty_scaling_provider, ok};
use super::Ecs;
use crate::check::schema::{Kind, MemberDef, SHAPES};

/// A small account with something of every kind a request can name.
fn account() -> Ecs {
    let mut ecs = ecs();
    empty_scaling_provider(&mut ecs, 2, "DISABLED");
    cluster_with(&mut ecs, 2);
    ok(
        &mut ecs,
        "UpdateCluster",
        json!({"cluster": "default", "serviceConnectDefaults": {"namespace": "ns"}}),
    );
    ok(
        &mut ecs,
        "CreateService",
        json!({"serviceName": "s", "taskDefinition": "web", "desiredCount": 1}),
    );
    ok(
        &mut ecs,
        "CreateService",
        json!({"serviceName": "ext", "deploymentController": {"type": "EXTERNAL"}, "desiredCount": 1}),
    );
    ok(
        &mut ecs,
        "CreateTaskSet",
        json!({"service": "ext", "taskDefinition": "web", "externalId": "one"}),
    );
    ok(
        &mut ecs,
        "RunTask",
        json!({"taskDefinition": "web", "enableExecuteCommand": true,
               "overrides": {"taskRoleArn": "arn:aws:iam::123456789012:role/task"}}),
    );
    let instance = ecs.state.instances[0].arn.clone();
    ok(
        &mut ecs,
        "PutAttributes",
        json!({"attributes": [{"name": "stack", "value": "blue", "targetId": instance}]}),
    );
    // An empty cluster, for DeleteCluster.
    ok(&mut ecs, "CreateCluster", json!({"clusterName": "empty"}));
    // An instance on an old agent, for UpdateContainerAgent.
    ok(
        &mut ecs,
        "RegisterContainerInstance",
        json!({"instanceIdentityDocument": "{\"instanceId\": \"i-0old\", \"instanceType\": \"m5.large\"}",
               "versionInfo": {"agentVersion": "1.60.0"}}),
    );
    // An INACTIVE definition, for DeleteTaskDefinitions.
    ok(
        &mut ecs,
        "RegisterTaskDefinition",
        json!({"family": "old", "containerDefinitions": [{"name": "app", "image": "nginx:1", "memory": 128}]}),
    );
    ok(
        &mut ecs,
        "DeregisterTaskDefinition",
        json!({"taskDefinition": "old:1"}),
    );
    ecs.advance_to(ecs.now() + 120_000);
    // A deployment in progress, for StopServiceDeployment.
    ok(
        &mut ecs,
        "UpdateService",
        json!({"service": "s", "forceNewDeployment": true}),
    );
    ecs
}

/// Every operation with a request that succeeds on [`account`].
fn requests(ecs: &Ecs) -> Vec<(&'static str, Value)> {
    let instance = ecs.state.instances[0].arn.clone();
    let other_instance = ecs.state.instances[1].arn.clone();
    let task = ecs
        .state
        .tasks
        .values()
        .find(|t| t.service.is_none())
        .map(|t| t.arn.clone())
        .unwrap_or_default();
    let service_task = ecs
        .state
        .tasks
        .values()
        .find(|t| t.service.is_some() && t.is_live())
        .map(|t| t.arn.clone())
        .unwrap_or_default();
    let cluster = ecs.state.clusters[0].arn.clone();
    let old_agent = ecs
        .state
        .instances
        .iter()
        .find(|i| i.ec2_instance_id == "i-0old")
        .map(|i| i.arn.clone())
        .unwrap_or_default();
    let instance_for_start = ecs.state.instances[1].arn.clone();
    let ext = ecs
        .state
        .services
        .iter()
        .position(|s| s.name == "ext")
        .unwrap_or_default();
    let task_set = ecs
        .state
        .ops
        .service(ext)
        .and_then(|e| e.task_sets.first())
        .map(|t| t.id.clone())
        .unwrap_or_default();
    let deployment = ecs.state.services[0]
        .deployments
        .iter()
        .find(|d| d.finished_at.is_none())
        .map(|d| d.service_deployment_arn.clone())
        .unwrap_or_default();
    vec![
        (
            "CreateCluster",
            json!({"clusterName": "c2", "settings": [{"name": "containerInsights", "value": "enabled"}],
                   "serviceConnectDefaults": {"namespace": "ns"}, "tags": [{"key": "k", "value": "v"}]}),
        ),
        (
            "UpdateCluster",
            json!({"cluster": "default", "settings": [{"name": "containerInsights", "value": "enabled"}],
                   "serviceConnectDefaults": {"namespace": "ns2"}}),
        ),
        (
            "UpdateClusterSettings",
            json!({"cluster": "default", "settings": [{"name": "containerInsights", "value": "enabled"}]}),
        ),
        (
            "PutClusterCapacityProviders",
            json!({"cluster": "default", "capacityProviders": ["cp", "FARGATE"],
                   "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1}]}),
        ),
        (
            "DescribeClusters",
            json!({"clusters": ["default"], "include": ["TAGS"]}),
        ),
        ("ListClusters", json!({"maxResults": 5})),
        (
            "DeregisterTaskDefinition",
            json!({"taskDefinition": "web:1"}),
        ),
        (
            "DescribeTaskDefinition",
            json!({"taskDefinition": "web:1", "include": ["TAGS"]}),
        ),
        (
            "ListTaskDefinitions",
            json!({"familyPrefix": "web", "status": "ACTIVE", "sort": "DESC", "maxResults": 5}),
        ),
        (
            "ListTaskDefinitionFamilies",
            json!({"familyPrefix": "w", "status": "ACTIVE", "maxResults": 5}),
        ),
        (
            "RegisterContainerInstance",
            json!({"instanceIdentityDocument": "{\"instanceId\": \"i-0abc\", \"instanceType\": \"m5.large\"}",
                   "totalResources": [{"name": "CPU", "type": "INTEGER", "integerValue": 2048}, {"name": "MEMORY", "type": "INTEGER", "integerValue": 7000}],
                   "attributes": [{"name": "a", "value": "b"}], "versionInfo": {"agentVersion": "1.80.0"}, "tags": [{"key": "k", "value": "v"}]}),
        ),
        (
            "DeleteTaskDefinitions",
            json!({"taskDefinitions": ["old:1"]}),
        ),
        (
            "DeregisterContainerInstance",
            json!({"containerInstance": other_instance, "force": true}),
        ),
        (
            "DescribeContainerInstances",
            json!({"containerInstances": [instance.clone()], "include": ["CONTAINER_INSTANCE_HEALTH"]}),
        ),
        (
            "ListContainerInstances",
            json!({"status": "ACTIVE", "maxResults": 5}),
        ),
        (
            "UpdateContainerInstancesState",
            json!({"containerInstances": [other_instance.clone()], "status": "DRAINING"}),
        ),
        ("StopTask", json!({"task": task.clone(), "reason": "done"})),
        (
            "ListTasks",
            json!({"family": "web", "desiredStatus": "RUNNING", "launchType": "EC2", "maxResults": 5}),
        ),
        ("DeleteService", json!({"service": "s", "force": true})),
        (
            "ListServices",
            json!({"launchType": "EC2", "schedulingStrategy": "REPLICA", "maxResults": 5}),
        ),
        (
            "ListServicesByNamespace",
            json!({"namespace": "ns", "maxResults": 5}),
        ),
        (
            "ListServiceDeployments",
            json!({"service": "s", "status": ["SUCCESSFUL"], "maxResults": 5}),
        ),
        (
            "DescribeServiceDeployments",
            json!({"serviceDeploymentArns": [deployment.clone()]}),
        ),
        (
            "StopServiceDeployment",
            json!({"serviceDeploymentArn": deployment, "stopType": "ROLLBACK"}),
        ),
        (
            "DescribeServiceRevisions",
            json!({"serviceRevisionArns": [ecs.state.services[0].deployments[0].revision_arn.clone()]}),
        ),
        (
            "CreateCapacityProvider",
            json!({"name": "cp2", "autoScalingGroupProvider": {"autoScalingGroupArn": "asg2",
                   "managedScaling": {"status": "ENABLED", "targetCapacity": 90}, "managedTerminationProtection": "DISABLED"},
                   "tags": [{"key": "k", "value": "v"}]}),
        ),
        (
            "DescribeCapacityProviders",
            json!({"capacityProviders": ["cp"], "include": ["TAGS"], "maxResults": 5}),
        ),
        (
            "UpdateCapacityProvider",
            json!({"name": "cp", "autoScalingGroupProvider": {"managedScaling": {"status": "ENABLED", "targetCapacity": 80}}}),
        ),
        ("DeleteCapacityProvider", json!({"capacityProvider": "cp"})),
        (
            "PutAttributes",
            json!({"attributes": [{"name": "tier", "value": "web", "targetType": "container-instance", "targetId": instance.clone()},
                   {"name": "zone", "value": "a", "targetType": "container-instance", "targetId": instance.clone()}]}),
        ),
        (
            "DeleteAttributes",
            json!({"attributes": [{"name": "stack", "targetId": instance.clone()}, {"name": "stack", "targetId": instance.clone()}]}),
        ),
        (
            "ListAttributes",
            json!({"targetType": "container-instance", "attributeName": "stack", "attributeValue": "blue", "maxResults": 5}),
        ),
        (
            "TagResource",
            json!({"resourceArn": cluster.clone(), "tags": [{"key": "k", "value": "v"}]}),
        ),
        (
            "UntagResource",
            json!({"resourceArn": cluster.clone(), "tagKeys": ["k"]}),
        ),
        ("ListTagsForResource", json!({"resourceArn": cluster})),
        (
            "DiscoverPollEndpoint",
            json!({"containerInstance": instance.clone(), "cluster": "default"}),
        ),
        (
            "PutAccountSetting",
            json!({"name": "containerInsights", "value": "enabled", "principalArn": "arn:aws:iam::123456789012:user/u"}),
        ),
        (
            "PutAccountSettingDefault",
            json!({"name": "containerInsights", "value": "enabled"}),
        ),
        (
            "ListAccountSettings",
            json!({"name": "containerInsights", "effectiveSettings": true, "maxResults": 5}),
        ),
        ("DeleteAccountSetting", json!({"name": "containerInsights"})),
        (
            "GetTaskProtection",
            json!({"tasks": [service_task.clone()]}),
        ),
        (
            "UpdateTaskProtection",
            json!({"tasks": [service_task.clone()], "protectionEnabled": true, "expiresInMinutes": 60}),
        ),
        (
            "SubmitTaskStateChange",
            json!({"task": task.clone(), "status": "STOPPED", "reason": "agent"}),
        ),
        (
            "SubmitContainerStateChange",
            json!({"task": task.clone(), "containerName": "app", "status": "STOPPED", "exitCode": 1}),
        ),
        (
            "SubmitAttachmentStateChanges",
            json!({"attachments": [{"attachmentArn": "arn:aws:ecs:us-east-1:123456789012:attachment/a", "status": "ATTACHED"}]}),
        ),
        (
            "CreateTaskSet",
            json!({"service": "ext", "taskDefinition": "web", "externalId": "two", "launchType": "EC2",
                   "scale": {"unit": "PERCENT", "value": 50.0}, "tags": [{"key": "k", "value": "v"}]}),
        ),
        (
            "UpdateTaskSet",
            json!({"service": "ext", "taskSet": task_set.clone(), "scale": {"unit": "PERCENT", "value": 50.0}}),
        ),
        (
            "DeleteTaskSet",
            json!({"service": "ext", "taskSet": task_set.clone(), "force": true}),
        ),
        (
            "DescribeTaskSets",
            json!({"service": "ext", "taskSets": [task_set.clone()], "include": ["TAGS"]}),
        ),
        (
            "UpdateServicePrimaryTaskSet",
            json!({"service": "ext", "primaryTaskSet": task_set}),
        ),
        (
            "Simulator.LaunchInstances",
            json!({"cluster": "default", "instanceType": "m5.large", "count": 1,
                   "availabilityZones": ["us-east-1a"], "attributes": {"a": "b"}}),
        ),
        (
            "Simulator.TerminateInstances",
            json!({"cluster": "default", "containerInstances": [other_instance.clone(), instance.clone()]}),
        ),
        (
            "Simulator.SetInstanceState",
            json!({"cluster": "default", "filter": "attribute:stack == blue", "status": "DRAINING"}),
        ),
        (
            "Simulator.CreateAutoScalingGroup",
            json!({"name": "asg2", "cluster": "default", "instanceType": "m5.large",
                   "availabilityZones": ["us-east-1a"], "minSize": 0, "maxSize": 2, "desiredCapacity": 1,
                   "launchSeconds": 30, "attributes": {"a": "b"}}),
        ),
        (
            "Simulator.SetDesiredCapacity",
            json!({"autoScalingGroupName": "asg", "desiredCapacity": 1}),
        ),
        (
            "Simulator.SetImageBehavior",
            json!({"image": "nginx:1", "pullSeconds": 1.0, "startSeconds": 1.0, "stopSeconds": 1.0,
                   "exitAfterSeconds": 60.0, "exitCode": 1, "health": [{"atSeconds": 5.0, "status": "UNHEALTHY"}]}),
        ),
        (
            "Simulator.InjectFault",
            json!({"type": "AGENT_DISCONNECT", "cluster": "default", "containerInstance": instance}),
        ),
        ("Simulator.AdvanceClock", json!({"seconds": 10.0})),
        ("DeleteCluster", json!({"cluster": "empty"})),
        (
            "UpdateContainerAgent",
            json!({"containerInstance": old_agent}),
        ),
        (
            "RegisterTaskDefinition",
            json!({"family": "api", "networkMode": "bridge", "cpu": "256", "memory": "512",
                   "containerDefinitions": [{"name": "app", "image": "nginx:1", "memory": 256, "cpu": 128,
                                             "portMappings": [{"containerPort": 8080}]}],
                   "placementConstraints": [{"type": "memberOf", "expression": "attribute:stack == blue"}],
                   "tags": [{"key": "k", "value": "v"}]}),
        ),
        (
            "RunTask",
            json!({"taskDefinition": "web", "count": 1, "group": "g", "startedBy": "me",
                   "placementStrategy": [{"type": "spread", "field": "attribute:ecs.availability-zone"}],
                   "placementConstraints": [{"type": "distinctInstance"}],
                   "overrides": {"containerOverrides": [{"name": "app", "environment": [{"name": "A", "value": "1"}]}]},
                   "tags": [{"key": "k", "value": "v"}]}),
        ),
        (
            "StartTask",
            json!({"taskDefinition": "web", "containerInstances": [instance_for_start], "startedBy": "me",
                   "tags": [{"key": "k", "value": "v"}]}),
        ),
        (
            "DescribeTasks",
            json!({"tasks": [task.clone()], "include": ["TAGS"]}),
        ),
        (
            "DescribeServices",
            json!({"services": ["s"], "include": ["TAGS"]}),
        ),
        (
            "CreateService",
            json!({"serviceName": "s2", "taskDefinition": "web", "desiredCount": 1,
                   "deploymentConfiguration": {"maximumPercent": 200, "minimumHealthyPercent": 50,
                                               "deploymentCircuitBreaker": {"enable": true, "rollback": true}},
                   "placementStrategy": [{"type": "binpack", "field": "memory"}],
                   "placementConstraints": [{"type": "distinctInstance"}],
                   "healthCheckGracePeriodSeconds": 30,
                   "tags": [{"key": "k", "value": "v"}]}),
        ),
        (
            "UpdateService",
            json!({"service": "s", "desiredCount": 2, "taskDefinition": "web:1",
                   "deploymentConfiguration": {"maximumPercent": 150, "minimumHealthyPercent": 100,
                                               "deploymentCircuitBreaker": {"enable": true, "rollback": false}},
                   "placementStrategy": [{"type": "spread", "field": "instanceId"}],
                   "placementConstraints": [{"type": "distinctInstance"}],
                   "healthCheckGracePeriodSeconds": 10}),
        ),
    ]
}

/// The simulator's own calls have no shape in AWS's model: their members'
/// kinds, as `Simulator.*` documents them.
fn simulator_members(operation: &str) -> &'static [(&'static str, Kind)] {
    use Kind::*;
    match operation {
        "Simulator.LaunchInstances" => &[
            ("cluster", String),
            ("instanceType", String),
            ("count", Integer),
            ("availabilityZones", List),
            ("availabilityZone", String),
            ("attributes", Map),
            ("capacityProvider", String),
        ],
        "Simulator.TerminateInstances" => &[("cluster", String), ("containerInstances", List)],
        "Simulator.SetInstanceState" => {
            &[("cluster", String), ("filter", String), ("status", String)]
        }
        "Simulator.CreateAutoScalingGroup" => &[
            ("name", String),
            ("cluster", String),
            ("instanceType", String),
            ("availabilityZones", List),
            ("minSize", Integer),
            ("maxSize", Integer),
            ("desiredCapacity", Integer),
            ("launchSeconds", Integer),
            ("attributes", Map),
        ],
        "Simulator.SetDesiredCapacity" => &[
            ("autoScalingGroupName", String),
            ("desiredCapacity", Integer),
        ],
        "Simulator.SetImageBehavior" => &[
            ("image", String),
            ("pullSeconds", Double),
            ("startSeconds", Double),
            ("stopSeconds", Double),
            ("exitAfterSeconds", Double),
            ("exitCode", Integer),
            ("startFailure", String),
            ("health", List),
        ],
        "Simulator.InjectFault" => &[
            ("type", String),
            ("cluster", String),
            ("containerInstance", String),
            ("task", String),
        ],
        "Simulator.AdvanceClock" => &[("seconds", Double), ("to", Double)],
        _ => &[],
    }
}

/// The top-level members of the requests whose shapes the engine's compact
/// table ([`SHAPES`]) leaves out (it keeps only what Engine I checks, to
/// stay small in wasm), with their kinds, from aws-model's
/// ecs-2014-11-13.service-2.json.
fn model_members(operation: &str) -> &'static [(&'static str, Kind)] {
    use Kind::*;
    match operation {
        "ListClusters" => &[("nextToken", String), ("maxResults", Integer)],
        "ListTaskDefinitions" => &[
            ("familyPrefix", String),
            ("status", String),
            ("sort", String),
            ("nextToken", String),
            ("maxResults", Integer),
        ],
        "ListTaskDefinitionFamilies" => &[
            ("familyPrefix", String),
            ("status", String),
            ("nextToken", String),
            ("maxResults", Integer),
        ],
        "DeregisterContainerInstance" => &[
            ("cluster", String),
            ("containerInstance", String),
            ("force", Boolean),
        ],
        "DescribeContainerInstances" => &[
            ("cluster", String),
            ("containerInstances", List),
            ("include", List),
        ],
        "ListContainerInstances" => &[
            ("cluster", String),
            ("filter", String),
            ("nextToken", String),
            ("maxResults", Integer),
            ("status", String),
        ],
        "UpdateContainerInstancesState" => &[
            ("cluster", String),
            ("containerInstances", List),
            ("status", String),
        ],
        "ListTasks" => &[
            ("cluster", String),
            ("containerInstance", String),
            ("family", String),
            ("nextToken", String),
            ("maxResults", Integer),
            ("startedBy", String),
            ("serviceName", String),
            ("desiredStatus", String),
            ("launchType", String),
            ("daemonName", String),
        ],
        "ListServices" => &[
            ("cluster", String),
            ("nextToken", String),
            ("maxResults", Integer),
            ("launchType", String),
            ("schedulingStrategy", String),
            ("resourceManagementType", String),
        ],
        "ListServiceDeployments" => &[
            ("service", String),
            ("cluster", String),
            ("status", List),
            ("createdAt", Structure),
            ("nextToken", String),
            ("maxResults", Integer),
        ],
        "DescribeServiceDeployments" => &[("serviceDeploymentArns", List)],
        "StopServiceDeployment" => &[("serviceDeploymentArn", String), ("stopType", String)],
        "CreateCapacityProvider" => &[
            ("name", String),
            ("cluster", String),
            ("autoScalingGroupProvider", Structure),
            ("managedInstancesProvider", Structure),
            ("tags", List),
        ],
        "DescribeCapacityProviders" => &[
            ("capacityProviders", List),
            ("cluster", String),
            ("include", List),
            ("maxResults", Integer),
            ("nextToken", String),
        ],
        "UpdateCapacityProvider" => &[
            ("name", String),
            ("cluster", String),
            ("autoScalingGroupProvider", Structure),
            ("managedInstancesProvider", Structure),
        ],
        "DeleteCapacityProvider" => &[("capacityProvider", String), ("cluster", String)],
        "PutAttributes" => &[("cluster", String), ("attributes", List)],
        "DeleteAttributes" => &[("cluster", String), ("attributes", List)],
        "ListAttributes" => &[
            ("cluster", String),
            ("targetType", String),
            ("attributeName", String),
            ("attributeValue", String),
            ("nextToken", String),
            ("maxResults", Integer),
        ],
        "TagResource" => &[("resourceArn", String), ("tags", List)],
        "UntagResource" => &[("resourceArn", String), ("tagKeys", List)],
        "ListTagsForResource" => &[("resourceArn", String)],
        "PutAccountSetting" => &[
            ("name", String),
            ("value", String),
            ("principalArn", String),
        ],
        "PutAccountSettingDefault" => &[("name", String), ("value", String)],
        "ListAccountSettings" => &[
            ("name", String),
            ("value", String),
            ("principalArn", String),
            ("effectiveSettings", Boolean),
            ("nextToken", String),
            ("maxResults", Integer),
        ],
        "DeleteAccountSetting" => &[("name", String), ("principalArn", String)],
        "GetTaskProtection" => &[("cluster", String), ("tasks", List)],
        "UpdateTaskProtection" => &[
            ("cluster", String),
            ("tasks", List),
            ("protectionEnabled", Boolean),
            ("expiresInMinutes", Integer),
        ],
        "UpdateContainerAgent" => &[("cluster", String), ("containerInstance", String)],
        "SubmitTaskStateChange" => &[
            ("cluster", String),
            ("task", String),
            ("status", String),
            ("reason", String),
            ("containers", List),
            ("attachments", List),
            ("managedAgents", List),
            ("pullStartedAt", Timestamp),
            ("pullStoppedAt", Timestamp),
            ("executionStoppedAt", Timestamp),
        ],
        "SubmitContainerStateChange" => &[
            ("cluster", String),
            ("task", String),
            ("containerName", String),
            ("runtimeId", String),
            ("status", String),
            ("exitCode", Integer),
            ("reason", String),
            ("networkBindings", List),
        ],
        "SubmitAttachmentStateChanges" => &[("cluster", String), ("attachments", List)],
        "CreateTaskSet" => &[
            ("service", String),
            ("cluster", String),
            ("externalId", String),
            ("taskDefinition", String),
            ("networkConfiguration", Structure),
            ("loadBalancers", List),
            ("serviceRegistries", List),
            ("launchType", String),
            ("capacityProviderStrategy", List),
            ("platformVersion", String),
            ("scale", Structure),
            ("clientToken", String),
            ("tags", List),
        ],
        "UpdateTaskSet" => &[
            ("cluster", String),
            ("service", String),
            ("taskSet", String),
            ("scale", Structure),
        ],
        "DeleteTaskSet" => &[
            ("cluster", String),
            ("service", String),
            ("taskSet", String),
            ("force", Boolean),
        ],
        "DescribeTaskSets" => &[
            ("cluster", String),
            ("service", String),
            ("taskSets", List),
            ("include", List),
        ],
        "UpdateServicePrimaryTaskSet" => &[
            ("cluster", String),
            ("service", String),
            ("primaryTaskSet", String),
        ],
        "DeleteTaskDefinitions" => &[("taskDefinitions", List)],
        "ExecuteCommand" => &[
            ("cluster", String),
            ("container", String),
            ("command", String),
            ("interactive", Boolean),
            ("task", String),
        ],
        "RegisterContainerInstance" => &[
            ("cluster", String),
            ("instanceIdentityDocument", String),
            ("instanceIdentityDocumentSignature", String),
            ("totalResources", List),
            ("versionInfo", Structure),
            ("containerInstanceArn", String),
            ("attributes", List),
            ("platformDevices", List),
            ("tags", List),
        ],
        _ => &[],
    }
}

/// The members of `operation`'s request and their kinds: from AWS's model,
/// or [`simulator_members`].
fn members(operation: &str) -> Vec<(&'static str, Kind)> {
    if operation.starts_with("Simulator.") {
        return simulator_members(operation).to_vec();
    }
    let name = format!("{operation}Request");
    let Some(shape) = SHAPES.iter().find(|s| s.name == name) else {
        let members = model_members(operation);
        assert!(!members.is_empty(), "no members for {operation}");
        return members.to_vec();
    };
    shape
        .members
        .iter()
        .filter_map(|MemberDef(member, index, _)| {
            SHAPES.get(usize::from(*index)).map(|s| (*member, s.kind))
        })
        .collect()
}

/// Values of the wrong type for a member of `kind`: what a careless client
/// sends (a number for a string, a quoted number, a string for a list …).
fn wrong_values(kind: Kind) -> Vec<Value> {
    match kind {
        Kind::String => vec![json!(7), json!(["x"])],
        Kind::Integer => vec![json!("7"), json!(1.5), json!(true)],
        Kind::Double => vec![json!("0.5"), json!(false)],
        Kind::Boolean => vec![json!("true"), json!(1)],
        Kind::List => vec![json!("x"), json!({"a": 1})],
        Kind::Structure | Kind::Map => vec![json!("x"), json!([1])],
        Kind::Timestamp => vec![json!("x")],
        Kind::Document => vec![],
    }
}

/// A value of another JSON type than `like`'s.
fn unlike(like: &Value) -> Value {
    match like {
        Value::String(_) => json!(7),
        Value::Number(n) => json!(n.to_string()),
        Value::Bool(_) => json!("true"),
        Value::Array(_) | Value::Object(_) | Value::Null => json!("x"),
    }
}

/// The request with one nested member (of an object member, or of a list
/// member's last item) replaced by a value of another type, for every
/// nested member the request has.
fn nested_variants(request: &Value) -> Vec<(String, Value)> {
    let mut variants = Vec::new();
    let Some(members) = request.as_object() else {
        return variants;
    };
    for (member, value) in members {
        let (path, object) = match value {
            Value::Object(_) => (member.clone(), value),
            Value::Array(items) => match items.last() {
                Some(last @ Value::Object(_)) => (format!("{member}[last]"), last),
                _ => continue,
            },
            _ => continue,
        };
        for (key, inner) in object.as_object().into_iter().flatten() {
            let mut bad = request.clone();
            let target = match &mut bad[member.as_str()] {
                Value::Array(items) => items.last_mut(),
                other => Some(other),
            };
            if let Some(target) = target {
                target[key.as_str()] = unlike(inner);
            }
            variants.push((format!("{path}.{key} = {}", unlike(inner)), bad));
        }
    }
    variants
}

/// Everything the account holds, as text: two equal fingerprints mean
/// nothing changed.
fn fingerprint(ecs: &Ecs) -> String {
    format!("{ecs:?}")
}

#[test]
fn every_request_of_the_table_succeeds_on_the_account() {
    let account = account();
    for (operation, request) in requests(&account) {
        let mut ecs = account.clone();
        if let Err(e) = ecs.call(operation, &request) {
            panic!("{operation} {request}: {} {}", e.error_type, e.message);
        }
    }
}

#[test]
fn a_badly_typed_member_fails_the_whole_request_and_changes_nothing() {
    let account = account();
    let before = fingerprint(&account);
    let mut problems = Vec::new();
    for (operation, request) in requests(&account).into_iter().chain(refused(&account)) {
        for (member, kind) in members(operation) {
            for wrong in wrong_values(kind) {
                let mut bad = request.clone();
                bad[member] = wrong.clone();
                let mut ecs = account.clone();
                let result = ecs.call(operation, &bad);
                let changed = fingerprint(&ecs) != before;
                match result {
                    Ok(_) => problems.push(format!("{operation}.{member} = {wrong}: accepted")),
                    Err(e) if changed => problems.push(format!(
                        "{operation}.{member} = {wrong}: failed ({}) but changed the account",
                        e.message
                    )),
                    // Refused for its type, not for what the valid request is refused for.
                    Err(e) if e.error_type == "TargetNotConnectedException" => problems.push(
                        format!("{operation}.{member} = {wrong}: read after the lookups"),
                    ),
                    Err(_) => {}
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Operations whose valid request the simulator still refuses: ExecuteCommand
/// opens no session (TargetNotConnectedException), so its table is here,
/// for the bad-member test only.
fn refused(ecs: &Ecs) -> Vec<(&'static str, Value)> {
    let task = ecs
        .state
        .tasks
        .values()
        .find(|t| t.service.is_none())
        .map(|t| t.arn.clone())
        .unwrap_or_default();
    vec![(
        "ExecuteCommand",
        json!({"task": task, "container": "app", "command": "/bin/sh", "interactive": true}),
    )]
}

#[test]
fn the_refused_requests_are_refused_for_what_the_simulator_cannot_do() {
    let account = account();
    for (operation, request) in refused(&account) {
        let mut ecs = account.clone();
        let e = ecs.call(operation, &request).unwrap_err();
        assert_eq!(
            e.error_type, "TargetNotConnectedException",
            "{operation}: {}",
            e.message
        );
    }
}

/// The half-applied requests the table above found, each named: before
/// their members were read first, each failed after drawing a random
/// number (the task set's id, the group's ARN), so that the next resource
/// got a different name than with the bad request left out.
#[test]
fn create_task_set_with_a_badly_typed_member_draws_no_id() {
    let account = account();
    let request = requests(&account)
        .into_iter()
        .find(|(operation, _)| *operation == "CreateTaskSet")
        .map(|(_, r)| r)
        .unwrap_or_default();
    for member in [
        "externalId",
        "platformVersion",
        "loadBalancers",
        "serviceRegistries",
        "tags",
    ] {
        let mut ecs = account.clone();
        let mut bad = request.clone();
        bad[member] = json!(7);
        let e = ecs.call("CreateTaskSet", &bad).unwrap_err();
        assert_eq!(e.error_type, "SerializationException", "{member}");
        assert_eq!(fingerprint(&ecs), fingerprint(&account), "{member}");
    }
}

#[test]
fn create_auto_scaling_group_with_a_badly_typed_member_draws_no_arn() {
    let account = account();
    for (member, wrong) in [("cluster", json!(7)), ("launchSeconds", json!("30"))] {
        let mut ecs = account.clone();
        let mut request = json!({"name": "asg2", "maxSize": 2});
        request[member] = wrong;
        let e = ecs
            .call("Simulator.CreateAutoScalingGroup", &request)
            .unwrap_err();
        assert!(e.message.starts_with(member), "{}", e.message);
        assert_eq!(fingerprint(&ecs), fingerprint(&account), "{member}");
    }
}

/// TerminateInstances finds every instance it names before it terminates
/// any: an unknown one fails the call with the others still running.
#[test]
fn terminate_instances_with_an_unknown_instance_terminates_none() {
    let account = account();
    let mut ecs = account.clone();
    let known = ecs.state.instances[0].arn.clone();
    let e = ecs
        .call(
            "Simulator.TerminateInstances",
            &json!({"containerInstances": [known, "nope"]}),
        )
        .unwrap_err();
    assert_eq!(e.message, "no live container instance nope");
    assert_eq!(fingerprint(&ecs), fingerprint(&account));
}

/// A request whose nested member has the wrong type may be refused or (where
/// the simulator reads a member leniently, as ECS fills in defaults) accepted,
/// but never half-applied.
#[test]
fn a_badly_typed_nested_member_never_half_applies_a_request() {
    let account = account();
    let before = fingerprint(&account);
    let mut problems = Vec::new();
    for (operation, request) in requests(&account) {
        for (variant, bad) in nested_variants(&request) {
            let mut ecs = account.clone();
            if let Err(e) = ecs.call(operation, &bad) {
                if fingerprint(&ecs) != before {
                    problems.push(format!(
                        "{operation}.{variant}: failed ({}) but changed the account",
                        e.message
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// PutAttributes and DeleteAttributes read every attribute and find every
/// target before they change one: before, a bad second attribute (a name
/// of the wrong type, an unknown target) failed the call with the first
/// already put or deleted.
#[test]
fn attributes_with_a_bad_second_attribute_change_none() {
    let account = account();
    let instance = account.state.instances[0].arn.clone();
    let cases = [
        (
            "PutAttributes",
            json!({"name": 7, "targetId": instance.clone()}),
        ),
        ("PutAttributes", json!({"name": "b", "targetId": "nope"})),
        (
            "DeleteAttributes",
            json!({"name": 7, "targetId": instance.clone()}),
        ),
        (
            "DeleteAttributes",
            json!({"name": "stack", "targetId": "nope"}),
        ),
    ];
    for (operation, second) in cases {
        let mut ecs = account.clone();
        let first = json!({"name": "stack", "value": "green", "targetId": instance.clone()});
        let result = ecs.call(operation, &json!({"attributes": [first, second]}));
        assert!(result.is_err(), "{operation} {second}");
        assert_eq!(
            fingerprint(&ecs),
            fingerprint(&account),
            "{operation} {second}"
        );
    }
}

/// The limit of ten custom attributes counts the ones the same request
/// adds before it, as when they were put one by one.
#[test]
fn put_attributes_counts_the_request_s_own_attributes_towards_the_limit() {
    let account = account();
    let instance = account.state.instances[0].arn.clone();
    // The account's instance has one custom attribute (stack).
    let attributes = |n: usize| -> Value {
        (0..n)
            .map(|k| json!({"name": format!("a{k}"), "targetId": instance.clone()}))
            .collect()
    };
    let mut ecs = account.clone();
    ok(
        &mut ecs,
        "PutAttributes",
        json!({"attributes": attributes(9)}),
    );
    let mut ecs = account.clone();
    let e = ecs
        .call("PutAttributes", &json!({"attributes": attributes(10)}))
        .unwrap_err();
    assert_eq!(e.error_type, "AttributeLimitExceededException");
    assert_eq!(fingerprint(&ecs), fingerprint(&account));
}
