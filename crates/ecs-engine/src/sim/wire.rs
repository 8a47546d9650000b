//! The wire form of the API (AWS JSON 1.1): an `X-Amz-Target` value and a
//! raw body in, an HTTP status and a JSON body out. The local endpoint and
//! a page (or a service worker) answer through this one function, so they
//! answer identically.
//!
//! ECS operations are `AmazonEC2ContainerServiceV20141113.<Operation>`; the
//! simulator's own calls are `EcsPlayground.Simulator.<Call>`
//! (`EcsPlayground.Simulator.AdvanceClock`). A success is 200 with the
//! output shape; an error is 400 (500 for `ServerException`) with
//! `{"__type": "...", "message": "..."}`, which botocore maps to the
//! operation's modelled exception class.

use serde_json::Value;

use super::{AwsError, Ecs};

/// `X-Amz-Target` prefix of ECS operations (the model's `targetPrefix`).
pub const ECS_TARGET_PREFIX: &str = "AmazonEC2ContainerServiceV20141113.";
/// `X-Amz-Target` prefix of the simulator's calls (`Simulator.*`).
pub const SIMULATOR_TARGET_PREFIX: &str = "EcsPlayground.Simulator.";

/// Every operation in AWS's model (shared/aws-model, 88 operations). Those
/// the simulator does not honour answer `UnsupportedFeatureException`;
/// a name not listed here answers `UnknownOperationException`.
pub const MODEL_OPERATIONS: &[&str] = &[
    "AssociateGatewayWithCluster",
    "ContinueServiceDeployment",
    "CreateCapacityProvider",
    "CreateCluster",
    "CreateDaemon",
    "CreateExpressGatewayService",
    "CreateGateway",
    "CreateService",
    "CreateTaskSet",
    "DeleteAccountSetting",
    "DeleteAttributes",
    "DeleteCapacityProvider",
    "DeleteCluster",
    "DeleteDaemon",
    "DeleteDaemonTaskDefinition",
    "DeleteExpressGatewayService",
    "DeleteGateway",
    "DeleteService",
    "DeleteTaskDefinitions",
    "DeleteTaskSet",
    "DeregisterContainerInstance",
    "DeregisterTaskDefinition",
    "DescribeCapacityProviders",
    "DescribeClusters",
    "DescribeContainerInstances",
    "DescribeDaemon",
    "DescribeDaemonDeployments",
    "DescribeDaemonRevisions",
    "DescribeDaemonTaskDefinition",
    "DescribeExpressGatewayService",
    "DescribeGateway",
    "DescribeGatewayResources",
    "DescribeGatewayRoute",
    "DescribeServiceDeployments",
    "DescribeServiceRevisions",
    "DescribeServices",
    "DescribeTaskDefinition",
    "DescribeTaskSets",
    "DescribeTasks",
    "DisassociateGatewayFromCluster",
    "DiscoverPollEndpoint",
    "ExecuteCommand",
    "GetTaskProtection",
    "ListAccountSettings",
    "ListAttributes",
    "ListClusters",
    "ListContainerInstances",
    "ListDaemonDeployments",
    "ListDaemonTaskDefinitions",
    "ListDaemons",
    "ListGatewayClusterAssociations",
    "ListGatewayRoutes",
    "ListGateways",
    "ListServiceDeployments",
    "ListServices",
    "ListServicesByNamespace",
    "ListTagsForResource",
    "ListTaskDefinitionFamilies",
    "ListTaskDefinitions",
    "ListTasks",
    "PutAccountSetting",
    "PutAccountSettingDefault",
    "PutAttributes",
    "PutClusterCapacityProviders",
    "RegisterContainerInstance",
    "RegisterDaemonTaskDefinition",
    "RegisterTaskDefinition",
    "RunTask",
    "StartTask",
    "StopServiceDeployment",
    "StopTask",
    "SubmitAttachmentStateChanges",
    "SubmitContainerStateChange",
    "SubmitTaskStateChange",
    "TagResource",
    "UntagResource",
    "UpdateCapacityProvider",
    "UpdateCluster",
    "UpdateClusterSettings",
    "UpdateContainerAgent",
    "UpdateContainerInstancesState",
    "UpdateDaemon",
    "UpdateExpressGatewayService",
    "UpdateGateway",
    "UpdateService",
    "UpdateServicePrimaryTaskSet",
    "UpdateTaskProtection",
    "UpdateTaskSet",
];

/// Why the simulator does not honour an operation of the model: the
/// feature it belongs to is outside what ECS semantics let it simulate.
pub(crate) fn unsupported(operation: &str) -> Option<AwsError> {
    if !MODEL_OPERATIONS.contains(&operation) {
        return None;
    }
    let feature = if operation.contains("Daemon") {
        "Managed Instances daemons"
    } else if operation.contains("Gateway") {
        "Express gateways"
    } else if operation == "ContinueServiceDeployment" {
        "blue/green deployment lifecycle hooks"
    } else {
        "this operation"
    };
    Some(AwsError::new(
        "UnsupportedFeatureException",
        format!("{operation} is not supported: the playground does not simulate {feature}."),
    ))
}

/// The HTTP status an error is sent with: 500 for the service's own
/// failures, 400 for everything the client did.
pub fn status_of(error: &AwsError) -> u16 {
    if error.error_type == "ServerException" {
        500
    } else {
        400
    }
}

impl Ecs {
    /// Answers one AWS JSON 1.1 request: `target` is the `X-Amz-Target`
    /// header's value and `body` the raw request body (empty means `{}`).
    /// Returns the HTTP status and the JSON body to send.
    pub fn call_target(&mut self, target: &str, body: &[u8]) -> (u16, String) {
        let result = self.call_target_value(target, body);
        match result {
            Ok(value) => (200, crate::json::write::compact(&value)),
            Err(error) => (status_of(&error), crate::sdk::error_json(&error)),
        }
    }

    fn call_target_value(&mut self, target: &str, body: &[u8]) -> Result<Value, AwsError> {
        let operation = if let Some(call) = target.strip_prefix(SIMULATOR_TARGET_PREFIX) {
            format!("Simulator.{call}")
        } else if let Some(op) = target.strip_prefix(ECS_TARGET_PREFIX) {
            // `Simulator.` is reached only through its own prefix.
            if op.is_empty() || op.contains('.') {
                return Err(unknown_target(target));
            }
            op.to_string()
        } else {
            return Err(unknown_target(target));
        };
        let text = std::str::from_utf8(body).map_err(|_| {
            AwsError::new("SerializationException", "the request body is not UTF-8")
        })?;
        let request = if text.trim().is_empty() {
            Value::Object(Default::default())
        } else {
            serde_json::from_str::<Value>(text).map_err(|e| {
                AwsError::new(
                    "SerializationException",
                    format!("the request body is not valid JSON: {e}"),
                )
            })?
        };
        if !request.is_object() {
            return Err(AwsError::new(
                "SerializationException",
                "the request body must be a JSON object",
            ));
        }
        self.call(&operation, &request)
    }
}

fn unknown_target(target: &str) -> AwsError {
    AwsError::new(
        "UnknownOperationException",
        format!("the X-Amz-Target {target:?} names no operation: expected {ECS_TARGET_PREFIX}<Operation> or {SIMULATOR_TARGET_PREFIX}<Call>"),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;
    use crate::sim::tests::{ecs, ok};

    fn call(ecs: &mut Ecs, target: &str, body: &str) -> (u16, Value) {
        let (status, body) = ecs.call_target(target, body.as_bytes());
        let value = serde_json::from_str(&body).expect("the wire form always answers JSON");
        (status, value)
    }

    #[test]
    fn the_wire_form_answers_as_the_endpoint_does() {
        let mut ecs = ecs();
        // (target, body, status, __type of an error or a member of the success)
        let cases: &[(&str, &str, u16, &str)] = &[
            (
                "AmazonEC2ContainerServiceV20141113.CreateCluster",
                r#"{"clusterName": "wire"}"#,
                200,
                "cluster",
            ),
            (
                "AmazonEC2ContainerServiceV20141113.ListClusters",
                "",
                200,
                "clusterArns",
            ),
            (
                "AmazonEC2ContainerServiceV20141113.DescribeClusters",
                r#"{"clusters": ["wire", "nope"]}"#,
                200,
                "failures",
            ),
            (
                "AmazonEC2ContainerServiceV20141113.DescribeServices",
                r#"{"cluster": "nope", "services": ["x"]}"#,
                400,
                "ClusterNotFoundException",
            ),
            (
                "AmazonEC2ContainerServiceV20141113.CreateCluster",
                "{not json",
                400,
                "SerializationException",
            ),
            (
                "AmazonEC2ContainerServiceV20141113.CreateCluster",
                "[1, 2]",
                400,
                "SerializationException",
            ),
            (
                "AmazonEC2ContainerServiceV20141113.Frobnicate",
                "{}",
                400,
                "UnknownOperationException",
            ),
            (
                "AmazonEC2ContainerServiceV20141113.Simulator.AdvanceClock",
                r#"{"seconds": 1}"#,
                400,
                "UnknownOperationException",
            ),
            ("Frobnicate", "{}", 400, "UnknownOperationException"),
            ("", "{}", 400, "UnknownOperationException"),
            (
                "AmazonEC2ContainerServiceV20141113.CreateDaemon",
                "{}",
                400,
                "UnsupportedFeatureException",
            ),
            (
                "AmazonEC2ContainerServiceV20141113.ListGateways",
                "{}",
                400,
                "UnsupportedFeatureException",
            ),
            (
                "EcsPlayground.Simulator.AdvanceClock",
                r#"{"seconds": 30}"#,
                200,
                "now",
            ),
            (
                "EcsPlayground.Simulator.Frobnicate",
                "{}",
                400,
                "UnknownOperationException",
            ),
        ];
        for (target, body, status, expected) in cases {
            let (got, value) = call(&mut ecs, target, body);
            assert_eq!(got, *status, "{target} {body}: {value}");
            if *status == 200 {
                assert!(value.get(*expected).is_some(), "{target}: {value}");
            } else {
                assert_eq!(value["__type"], *expected, "{target} {body}");
                assert!(value["message"].as_str().is_some_and(|m| !m.is_empty()));
            }
        }
        let (_, bad_utf8) = {
            let (status, body) = ecs.call_target(
                "AmazonEC2ContainerServiceV20141113.ListClusters",
                &[0xff, 0xfe],
            );
            (status, serde_json::from_str::<Value>(&body).unwrap())
        };
        assert_eq!(bad_utf8["__type"], "SerializationException");
    }

    #[test]
    fn server_errors_are_500_and_every_other_error_400() {
        for (error_type, status) in [
            ("ServerException", 500),
            ("ClientException", 400),
            ("InvalidParameterException", 400),
            ("UnsupportedFeatureException", 400),
        ] {
            assert_eq!(status_of(&AwsError::new(error_type, "m")), status);
        }
    }

    /// The wire form and `Ecs::call` are one implementation: the same calls
    /// on two accounts give the same bodies.
    #[test]
    fn the_wire_form_and_call_agree() {
        let mut by_wire = ecs();
        let mut by_call = ecs();
        let steps = [
            ("CreateCluster", json!({})),
            ("Simulator.LaunchInstances", json!({"count": 2})),
            (
                "RegisterTaskDefinition",
                json!({"family": "w", "containerDefinitions": [{"name": "a", "image": "nginx", "memory": 128}]}),
            ),
            ("RunTask", json!({"taskDefinition": "w", "count": 2})),
            ("Simulator.AdvanceClock", json!({"seconds": 60})),
            ("ListTasks", json!({})),
        ];
        for (operation, request) in steps {
            let target = match operation.strip_prefix("Simulator.") {
                Some(call) => format!("{SIMULATOR_TARGET_PREFIX}{call}"),
                None => format!("{ECS_TARGET_PREFIX}{operation}"),
            };
            let (status, wire) = call(&mut by_wire, &target, &request.to_string());
            assert_eq!(status, 200, "{operation}: {wire}");
            let direct = by_call.call(operation, &request).unwrap();
            assert_eq!(wire, direct, "{operation}");
        }
    }

    #[test]
    fn every_operation_of_the_model_is_honoured_or_refused_as_unsupported() {
        assert_eq!(MODEL_OPERATIONS.len(), 88);
        let mut sorted = MODEL_OPERATIONS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), MODEL_OPERATIONS.len());
        let mut unsupported = Vec::new();
        for operation in MODEL_OPERATIONS {
            let mut ecs = ecs();
            ok(&mut ecs, "CreateCluster", json!({}));
            // An empty request: whatever the answer, it is never an unknown
            // operation, and it never panics.
            if let Err(e) = ecs.call(operation, &json!({})) {
                assert_ne!(e.error_type, "UnknownOperationException", "{operation}");
                if e.error_type == "UnsupportedFeatureException" {
                    unsupported.push(*operation);
                }
            }
        }
        // Exactly the features the simulator leaves out.
        let expected: Vec<&str> = MODEL_OPERATIONS
            .iter()
            .copied()
            .filter(|op| {
                op.contains("Daemon")
                    || op.contains("Gateway")
                    || *op == "ContinueServiceDeployment"
            })
            .collect();
        assert_eq!(unsupported, expected);
        assert_eq!(expected.len(), 28);
    }
}
