//! Requests are checked with Engine I's rules before they act: the request
//! analysis for API operations and the task-definition analysis for
//! RegisterTaskDefinition. The first error becomes the AWS error.

use serde_json::Value;

use super::request::opt_str;
use super::{AwsError, Ecs};
use crate::check::request::Operation;
use crate::diagnostic::Severity;
use crate::request_analysis::{
    CapacityProviderState, ClusterState, RequestContext, ServiceState, TaskState,
};
use crate::sim::state::ClusterStatus;

impl Ecs {
    pub(crate) fn validate(&self, operation: &str, request: &Value) -> Result<(), AwsError> {
        let text = request.to_string();
        if operation != "RegisterTaskDefinition" {
            shape_check(operation, &text)?;
        }
        let analysis = if operation == "RegisterTaskDefinition" {
            crate::analyze_registered_task_definition(&text)
        } else {
            let Some(op) = Operation::ALL.into_iter().find(|op| op.name() == operation) else {
                return Ok(());
            };
            let context = self.request_context(op, request);
            crate::analyze_request(operation, &text, &context)
        };
        let Some(first) = analysis
            .diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
        else {
            return Ok(());
        };
        let default = if operation == "RegisterTaskDefinition" {
            "ClientException"
        } else {
            "InvalidParameterException"
        };
        Err(AwsError::new(
            first.exception.as_deref().unwrap_or(default),
            first.message.clone(),
        ))
    }

    /// What the request rules need to know about the account. The rules
    /// read one cluster, the one the request addresses
    /// (`RequestContext::cluster`), so only that one is written out: a call
    /// costs the same whatever the size of the account's other clusters.
    /// Within it, the parts only some operations' rules read (its services,
    /// its tasks, its count of instances) are written for those alone: a
    /// RunTask costs the same whatever the number of the cluster's services
    /// and instances.
    fn request_context(&self, op: Operation, request: &Value) -> RequestContext {
        let state = &self.state;
        // The service rules (service.rs, describe.rs, and `existing_service`,
        // which reads the request's `service` member) and DeleteCluster.
        let reads_services = matches!(
            op,
            Operation::CreateService
                | Operation::UpdateService
                | Operation::DeleteService
                | Operation::DescribeServices
                | Operation::DeleteCluster
        );
        let addressed = crate::check::request::context::short_name(
            request
                .get("cluster")
                .and_then(Value::as_str)
                .unwrap_or("default"),
        );
        let clusters = state
            .clusters
            .iter()
            .enumerate()
            .filter(|(_, c)| c.status != ClusterStatus::Inactive && c.name == addressed)
            .map(|(ci, c)| ClusterState {
                name: c.name.clone(),
                capacity_providers: c.capacity_providers.clone(),
                default_capacity_provider_strategy: c
                    .default_strategy
                    .iter()
                    .map(|i| i.capacity_provider.clone())
                    .collect(),
                services: if reads_services {
                    state
                        .services
                        .iter()
                        .enumerate()
                        .filter(|(_, s)| s.cluster == ci)
                        .map(|(si, s)| ServiceState {
                            name: s.name.clone(),
                            status: s.status.as_str().to_string(),
                            deployment_controller: state
                                .ops
                                .service(si)
                                .and_then(|e| e.deployment_controller.clone()),
                            launch_type: s.launch_type.clone(),
                            capacity_provider_strategy: s
                                .strategy
                                .iter()
                                .flatten()
                                .map(|i| i.capacity_provider.clone())
                                .collect(),
                            desired_count: s.desired_count,
                            running_count: self.running_count(s),
                            scheduling_strategy: Some(
                                if s.daemon { "DAEMON" } else { "REPLICA" }.into(),
                            ),
                            has_load_balancers: !s.load_balancers.is_empty(),
                        })
                        .collect()
                } else {
                    Vec::new()
                },
                registered_container_instances: if op == Operation::DeleteCluster {
                    state
                        .host_instances
                        .get(ci)
                        .map_or(&[][..], Vec::as_slice)
                        .iter()
                        .filter_map(|&i| state.instances.get(i))
                        .filter(|i| i.cluster == ci && !i.terminated)
                        .count() as u32
                } else {
                    0
                },
                tasks: if matches!(
                    op,
                    Operation::DeleteCluster | Operation::PutClusterCapacityProviders
                ) {
                    state
                        .tasks
                        .values()
                        .filter(|t| t.cluster == ci && t.is_live())
                        .map(|t| TaskState {
                            arn: t.arn.clone(),
                            capacity_provider_name: t.capacity_provider.clone(),
                            last_status: t.last_status.as_str().to_string(),
                        })
                        .collect()
                } else {
                    Vec::new()
                },
            })
            .collect();
        let capacity_providers = state
            .capacity_providers
            .iter()
            .map(|p| CapacityProviderState {
                name: p.name.clone(),
                status: p.status.as_str().to_string(),
                cluster: state
                    .clusters
                    .iter()
                    .find(|c| {
                        c.status != ClusterStatus::Inactive
                            && c.capacity_providers.contains(&p.name)
                    })
                    .map(|c| c.name.clone()),
            })
            .collect();
        let task_definition = match op {
            Operation::RunTask
            | Operation::StartTask
            | Operation::CreateService
            | Operation::UpdateService => {
                let reference = opt_str(request, "taskDefinition")
                    .ok()
                    .flatten()
                    .map(str::to_string)
                    .or_else(|| {
                        let cluster = opt_str(request, "cluster")
                            .ok()
                            .flatten()
                            .unwrap_or("default");
                        let service = opt_str(request, "service").ok().flatten()?;
                        let ci = state.cluster_index(cluster)?;
                        let si = state.service_index(ci, service)?;
                        state.services.get(si).map(|s| s.task_definition.clone())
                    });
                reference
                    .and_then(|r| state.task_definition(&r))
                    .map(|td| self.task_definition_json(td))
            }
            _ => None,
        };
        RequestContext {
            task_definition,
            clusters: Some(clusters),
            capacity_providers: Some(capacity_providers),
        }
    }
}

/// The model-driven shape check (types, enums, required members) of the
/// operation's input shape; Engine I runs it beside the semantic rules.
fn shape_check(operation: &str, text: &str) -> Result<(), AwsError> {
    let Ok(root) = crate::json::parse(text) else {
        return Err(AwsError::new(
            "SerializationException",
            "the request is not valid JSON",
        ));
    };
    let mut sink = crate::check::Sink::default();
    crate::check::shape::check_shape(
        &crate::check::Located::root(&root, crate::json::JsonPath::root()),
        &format!("{operation}Request"),
        &mut sink,
    );
    match sink.findings.iter().find(|f| f.severity == Severity::Error) {
        Some(f) => Err(AwsError::new(
            f.exception.unwrap_or("InvalidParameterException"),
            f.message.clone(),
        )),
        None => Ok(()),
    }
}
