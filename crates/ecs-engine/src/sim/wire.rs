//! The wire form of the API (AWS JSON 1.1): an `X-Amz-Target` value and a
//! raw body in, an HTTP status and a JSON body out. The local endpoint
//! (crates/ecs-server) and a page (the JS SDK's `callTarget`) answer through
//! this one module, so they answer identically: every decision about the
//! wire form (which targets name a call, how a body is read, which error
//! code and status an answer carries, which calls leave an account as it
//! was) is made here; the server adds only HTTP (headers, request ids, body
//! limits, regions, the journal).
//!
//! ECS operations are `AmazonEC2ContainerServiceV20141113.<Operation>`; the
//! simulator's own calls are `EcsPlayground.Simulator.<Call>`
//! (`EcsPlayground.Simulator.AdvanceClock`). A success is 200 with the
//! output shape; an error is 400 (500 for `ServerException`) with
//! `{"__type": "...", "message": "..."}`, which botocore maps to the
//! operation's modelled exception class (shared/spec/wire-protocol.md §1).

use serde_json::Value;

use super::{AwsError, Ecs};

pub use super::simulator::SIMULATOR_CALLS;

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

/// One request of the wire form: the call its target names, as
/// [`Ecs::call`] names it (`CreateCluster`, `Simulator.AdvanceClock`), and
/// its input.
#[derive(Debug, Clone, PartialEq)]
pub struct WireRequest {
    pub operation: String,
    pub input: Value,
}

impl WireRequest {
    /// Reads a request from its `X-Amz-Target` value (`""` when the header
    /// is missing) and raw body. The target is checked before the body, as
    /// AWS's JSON services do: a target that names no operation answers
    /// `UnknownOperationException` whatever the body; then a body that is
    /// not UTF-8 JSON of an object answers `SerializationException`. An
    /// empty (or blank) body is `{}`.
    pub fn read(target: &str, body: &[u8]) -> Result<WireRequest, AwsError> {
        let operation = operation_of(target).ok_or_else(|| unknown_target(target))?;
        let text = std::str::from_utf8(body).map_err(|_| {
            AwsError::new("SerializationException", "the request body is not UTF-8")
        })?;
        let input = if text.trim().is_empty() {
            Value::Object(Default::default())
        } else {
            serde_json::from_str::<Value>(text).map_err(|e| {
                AwsError::new(
                    "SerializationException",
                    format!("the request body is not valid JSON: {e}"),
                )
            })?
        };
        if !input.is_object() {
            return Err(AwsError::new(
                "SerializationException",
                "the request body must be a JSON object",
            ));
        }
        Ok(WireRequest { operation, input })
    }

    /// Whether the call leaves the account as it was (a server need not
    /// record it to rebuild the account).
    pub fn is_read_only(&self) -> bool {
        is_read_only(&self.operation)
    }
}

/// Calls that never change an account: ECS's reads (`Describe*`, `List*`,
/// `Get*`, `DiscoverPollEndpoint`) and `Simulator.Snapshot`.
pub fn is_read_only(operation: &str) -> bool {
    operation.starts_with("Describe")
        || operation.starts_with("List")
        || operation.starts_with("Get")
        || operation == "DiscoverPollEndpoint"
        || operation == "Simulator.Snapshot"
}

/// The call a target names, if it names one: an operation of AWS's model
/// after the ECS prefix, a simulator call after the simulator's.
fn operation_of(target: &str) -> Option<String> {
    if let Some(call) = target.strip_prefix(SIMULATOR_TARGET_PREFIX) {
        SIMULATOR_CALLS
            .contains(&call)
            .then(|| format!("Simulator.{call}"))
    } else {
        // `Simulator.` is reached only through its own prefix.
        let operation = target.strip_prefix(ECS_TARGET_PREFIX)?;
        MODEL_OPERATIONS
            .contains(&operation)
            .then(|| operation.to_string())
    }
}

fn unknown_target(target: &str) -> AwsError {
    let message = if target.is_empty() {
        format!("the request has no X-Amz-Target header naming the operation: expected {ECS_TARGET_PREFIX}<Operation> or {SIMULATOR_TARGET_PREFIX}<Call>")
    } else {
        format!("the X-Amz-Target {target:?} names no operation: expected {ECS_TARGET_PREFIX}<Operation> (an operation of AWS's model) or {SIMULATOR_TARGET_PREFIX}<Call> (one of {})", SIMULATOR_CALLS.join(", "))
    };
    AwsError::new("UnknownOperationException", message)
}

/// An answer of the wire form.
#[derive(Debug, Clone, PartialEq)]
pub struct WireAnswer {
    /// 200, 400, or 500 for `ServerException`.
    pub status: u16,
    /// The output shape, or `{"__type": "...", "message": "..."}`, as
    /// compact JSON.
    pub body: String,
    /// The `__type` of an error (a server also sends it as
    /// `x-amzn-ErrorType`); `None` for a success.
    pub error_type: Option<String>,
}

impl WireAnswer {
    /// The answer to a call's result.
    pub fn of(result: super::Answer) -> WireAnswer {
        match result {
            Ok(answer) => WireAnswer {
                status: 200,
                body: answer.into_json(),
                error_type: None,
            },
            Err(error) => WireAnswer::error(&error),
        }
    }

    /// The answer to an error, with the code AWS's servers send for it.
    pub fn error(error: &AwsError) -> WireAnswer {
        let sent = AwsError::new(wire_error_type(error), error.message.clone());
        WireAnswer {
            status: status_of(&sent),
            body: crate::sdk::error_json(&sent),
            error_type: Some(sent.error_type),
        }
    }

    pub fn is_success(&self) -> bool {
        self.status == 200
    }
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

/// The `__type` AWS's servers answer for an engine error. The engine names
/// botocore's client-side check `ParamValidationError`, which the SDKs raise
/// before sending; a request that skipped that check reaches AWS's servers,
/// which answer a wrong JSON type with `SerializationException` (the body
/// does not deserialize into the input shape) and other shape problems
/// (missing or unknown members) with ECS's `InvalidParameterException`
/// (an approximation: AWS documents neither).
pub fn wire_error_type(error: &AwsError) -> &str {
    match error.error_type.as_str() {
        "ParamValidationError" if error.message.starts_with("Invalid type for parameter") => {
            "SerializationException"
        }
        "ParamValidationError" => "InvalidParameterException",
        other => other,
    }
}

impl Ecs {
    /// Answers one AWS JSON 1.1 request: `target` is the `X-Amz-Target`
    /// header's value (`""` when it is missing) and `body` the raw request
    /// body (empty means `{}`). Returns the HTTP status and the JSON body
    /// to send.
    pub fn call_target(&mut self, target: &str, body: &[u8]) -> (u16, String) {
        let answer = self.answer_target(target, body);
        (answer.status, answer.body)
    }

    /// [`Ecs::call_target`] with the error's code beside the body.
    pub fn answer_target(&mut self, target: &str, body: &[u8]) -> WireAnswer {
        match WireRequest::read(target, body) {
            Ok(request) => self.answer(&request),
            Err(error) => WireAnswer::error(&error),
        }
    }

    /// Answers a request already read (a server reads it first to route
    /// and record it).
    pub fn answer(&mut self, request: &WireRequest) -> WireAnswer {
        WireAnswer::of(self.call(&request.operation, &request.input))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;
    use crate::sim::tests::{ecs, ok};

    fn call(ecs: &mut Ecs, target: &str, body: &str) -> (u16, Value) {
        let answer = ecs.answer_target(target, body.as_bytes());
        let value: Value =
            serde_json::from_str(&answer.body).expect("the wire form always answers JSON");
        // The code beside the body is the body's own.
        assert_eq!(
            answer.error_type.as_deref(),
            value.get("__type").and_then(Value::as_str),
            "{target}"
        );
        (answer.status, value)
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
                "DynamoDB_20120810.ListTables",
                "{}",
                400,
                "UnknownOperationException",
            ),
            (
                "AmazonEC2ContainerServiceV20141113.",
                "{}",
                400,
                "UnknownOperationException",
            ),
            (
                "AmazonEC2ContainerServiceV20141113.createCluster",
                "{}",
                400,
                "UnknownOperationException",
            ),
            (
                "EcsPlayground.CreateCluster",
                "{}",
                400,
                "UnknownOperationException",
            ),
            (
                "EcsPlayground.Simulator.",
                "{}",
                400,
                "UnknownOperationException",
            ),
            // The target is read before the body, as AWS's JSON services do.
            (
                "AmazonEC2ContainerServiceV20141113.LaunchRockets",
                "{not json",
                400,
                "UnknownOperationException",
            ),
            (
                "AmazonEC2ContainerServiceV20141113.ListClusters",
                " \n\t",
                200,
                "clusterArns",
            ),
            (
                "AmazonEC2ContainerServiceV20141113.ListClusters",
                "null",
                400,
                "SerializationException",
            ),
            // botocore's client-side ParamValidationError, as AWS's servers
            // answer a request that skipped it.
            (
                "AmazonEC2ContainerServiceV20141113.CreateCluster",
                r#"{"clusterName": 5}"#,
                400,
                "SerializationException",
            ),
            (
                "AmazonEC2ContainerServiceV20141113.DescribeServices",
                "{}",
                400,
                "InvalidParameterException",
            ),
            (
                "AmazonEC2ContainerServiceV20141113.CreateCluster",
                r#"{"clusterNmae": "typo"}"#,
                400,
                "InvalidParameterException",
            ),
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
    fn requests_name_the_call_as_ecs_call_does() {
        for (target, operation) in [
            (
                "AmazonEC2ContainerServiceV20141113.CreateCluster",
                "CreateCluster",
            ),
            (
                "EcsPlayground.Simulator.AdvanceClock",
                "Simulator.AdvanceClock",
            ),
        ] {
            let request = WireRequest::read(target, b"").unwrap();
            assert_eq!(request.operation, operation);
            assert_eq!(request.input, json!({}));
        }
        let missing = WireRequest::read("", b"{}").unwrap_err();
        assert!(missing.message.contains("no X-Amz-Target"), "{missing:?}");
        for call in SIMULATOR_CALLS {
            let target = format!("{SIMULATOR_TARGET_PREFIX}{call}");
            assert!(WireRequest::read(&target, b"{}").is_ok(), "{call}");
        }
    }

    /// Every operation is either a read, which leaves the account exactly
    /// as it was, or a verb that changes one: a server may leave reads out
    /// of what it records.
    #[test]
    fn read_only_calls_leave_the_account_as_it_was() {
        let mutating = [
            "Associate",
            "Continue",
            "Create",
            "Delete",
            "Deregister",
            "Disassociate",
            "Execute",
            "Put",
            "Register",
            "Run",
            "Start",
            "Stop",
            "Submit",
            "Tag",
            "Untag",
            "Update",
        ];
        let calls = MODEL_OPERATIONS
            .iter()
            .map(|op| op.to_string())
            .chain(SIMULATOR_CALLS.iter().map(|c| format!("Simulator.{c}")));
        let (mut reads, mut answered) = (0, 0);
        for operation in calls {
            let name = operation.trim_start_matches("Simulator.");
            let writes = mutating.iter().any(|verb| name.starts_with(verb))
                || operation.starts_with("Simulator.") && name != "Snapshot";
            assert_ne!(is_read_only(&operation), writes, "{operation}");
            if writes {
                continue;
            }
            reads += 1;
            let mut ecs = ecs();
            ok(&mut ecs, "CreateCluster", json!({}));
            ok(&mut ecs, "Simulator.LaunchInstances", json!({"count": 2}));
            ok(
                &mut ecs,
                "RegisterTaskDefinition",
                json!({"family": "r", "containerDefinitions": [{"name": "a", "image": "nginx", "memory": 128}]}),
            );
            ok(
                &mut ecs,
                "CreateService",
                json!({"serviceName": "s", "taskDefinition": "r", "desiredCount": 2}),
            );
            ok(&mut ecs, "Simulator.AdvanceClock", json!({"seconds": 30}));
            let before = ok(&mut ecs, "Simulator.Snapshot", json!({}));
            for input in [
                json!({}),
                json!({"cluster": "default", "services": ["s"], "taskDefinition": "r", "include": ["TAGS"]}),
            ] {
                answered += usize::from(ecs.call(&operation, &input).is_ok());
            }
            let after = ok(&mut ecs, "Simulator.Snapshot", json!({}));
            assert_eq!(before, after, "{operation}");
        }
        // Most reads answer (the test is not only of refusals).
        assert!(reads > 30 && answered > reads / 2, "{reads} {answered}");
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
            let (status, wire) = by_wire.call_target(&target, request.to_string().as_bytes());
            let wire: Value = serde_json::from_str(&wire).unwrap();
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
