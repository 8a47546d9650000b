//! Requests are checked with Engine I's rules before they act: the request
//! rules for API operations and the task-definition analysis for
//! RegisterTaskDefinition. The first error becomes the AWS error.
//!
//! The request is checked in the form it arrives (serde_json's tree, read
//! once into the located tree the rules walk, never written out and parsed
//! again), against the account read in place: [`State`] is an
//! [`Account`], so a call copies nothing of the account and costs the same
//! whatever the size of its other clusters and services.

use serde_json::Value;

use super::state::{ClusterStatus, State, TaskStatus};
use super::{AwsError, Ecs};
use crate::analysis::MAX_INPUT_BYTES;
use crate::check::request::account::{Account, CapacityProviderView, ServiceView, TaskDef};
use crate::check::request::Operation;
use crate::check::{Located, Sink};
use crate::diagnostic::{Finding, Severity};
use crate::json::{JsonPath, Node};

impl Ecs {
    pub(crate) fn validate(&self, operation: &str, request: &Value) -> Result<(), AwsError> {
        if operation == "RegisterTaskDefinition" {
            // The task-definition analysis reads text (it tells the forms
            // apart by it); registering is not a hot path.
            let analysis = crate::analyze_registered_task_definition(&request.to_string());
            return match analysis
                .diagnostics
                .iter()
                .find(|d| d.severity == Severity::Error)
            {
                Some(first) => Err(AwsError::new(
                    first.exception.as_deref().unwrap_or("ClientException"),
                    first.message.clone(),
                )),
                None => Ok(()),
            };
        }
        let Some(root) = Node::from_value(request) else {
            return Err(AwsError::new(
                "SerializationException",
                "the request is not valid JSON",
            ));
        };
        let located = Located::root(&root, JsonPath::root());
        shape_check(operation, &located)?;
        let Some(op) = Operation::ALL.into_iter().find(|op| op.name() == operation) else {
            return Ok(());
        };
        // The size the request analysis reads, measured on the text the
        // request would be (the root's span is its compact text).
        let size = root.span.end as usize;
        if size > MAX_INPUT_BYTES {
            return Err(AwsError::new(
                "InvalidParameterException",
                format!("the request is {size} bytes, more than the {MAX_INPUT_BYTES} bytes the playground reads"),
            ));
        }
        let mut sink = Sink::default();
        crate::check::request::check(op, &located, &self.state, &mut sink);
        match first_error(&mut sink.findings) {
            Some(first) => Err(AwsError::new(
                first.exception.unwrap_or("InvalidParameterException"),
                first.message.clone(),
            )),
            None => Ok(()),
        }
    }
}

/// The first error in the order the request analysis lists its findings
/// (by position in the request's text, then severity, then code).
fn first_error(findings: &mut [Finding]) -> Option<&Finding> {
    crate::order::sort_by(findings, |a, b| {
        (a.span.start, a.severity, a.code).cmp(&(b.span.start, b.severity, b.code))
    });
    findings.iter().find(|f| f.severity == Severity::Error)
}

/// The model-driven shape check (types, enums, required members) of the
/// operation's input shape; Engine I runs it beside the semantic rules.
fn shape_check(operation: &str, root: &Located<'_>) -> Result<(), AwsError> {
    let mut sink = Sink::default();
    crate::check::shape::check_shape(root, &format!("{operation}Request"), &mut sink);
    match sink.findings.iter().find(|f| f.severity == Severity::Error) {
        Some(f) => Err(AwsError::new(
            f.exception.unwrap_or("InvalidParameterException"),
            f.message.clone(),
        )),
        None => Ok(()),
    }
}

/// The simulator's account as the request rules read it: every answer is
/// looked up in the state when a rule asks, borrowed, never copied.
/// Cluster keys are indexes of `State::clusters`.
impl Account for State {
    fn cluster_key(&self, name_or_arn: &str) -> Option<Option<usize>> {
        Some(self.cluster_index(name_or_arn))
    }

    fn cluster_name(&self, cluster: usize) -> &str {
        self.clusters.get(cluster).map_or("", |c| c.name.as_str())
    }

    fn capacity_providers_of(&self, cluster: usize) -> Vec<&str> {
        self.clusters.get(cluster).map_or_else(Vec::new, |c| {
            c.capacity_providers.iter().map(String::as_str).collect()
        })
    }

    fn default_strategy_of(&self, cluster: usize) -> Vec<&str> {
        self.clusters.get(cluster).map_or_else(Vec::new, |c| {
            c.default_strategy
                .iter()
                .map(|i| i.capacity_provider.as_str())
                .collect()
        })
    }

    fn service(&self, cluster: usize, name_or_arn: &str) -> Option<ServiceView<'_>> {
        let si = self.service_index(cluster, name_or_arn)?;
        let s = self.services.get(si)?;
        Some(ServiceView {
            name: &s.name,
            status: s.status.as_str(),
            deployment_controller: self
                .ops
                .service(si)
                .and_then(|e| e.deployment_controller.as_deref()),
            launch_type: s.launch_type.as_deref(),
            capacity_provider_strategy: s
                .strategy
                .iter()
                .flatten()
                .map(|i| i.capacity_provider.as_str())
                .collect(),
            desired_count: s.desired_count,
            daemon: s.daemon,
            has_load_balancers: !s.load_balancers.is_empty(),
            task_definition: Some(&s.task_definition),
        })
    }

    fn registered_container_instances(&self, cluster: usize) -> usize {
        self.registered_instances(cluster).count()
    }

    fn live_tasks_using(&self, cluster: usize, provider: &str) -> usize {
        self.tasks
            .values()
            .filter(|t| {
                t.cluster == cluster
                    && t.is_live()
                    && t.last_status != TaskStatus::Stopped
                    && t.capacity_provider.as_deref() == Some(provider)
            })
            .count()
    }

    fn capacity_provider(&self, name: &str) -> Option<Option<CapacityProviderView<'_>>> {
        let Some(p) = self.capacity_providers.iter().find(|p| p.name == name) else {
            return Some(None);
        };
        let cluster = self
            .clusters
            .iter()
            .find(|c| c.status != ClusterStatus::Inactive && c.capacity_providers.contains(&p.name))
            .map(|c| c.name.as_str());
        Some(Some(CapacityProviderView {
            status: p.status.as_str(),
            cluster,
        }))
    }

    fn task_definition(&self, reference: Option<&str>) -> Option<TaskDef<'_>> {
        let td = State::task_definition(self, reference?)?;
        let status = if td.active {
            "ACTIVE"
        } else if self.ops.deleting_task_definitions.contains(&td.arn) {
            "DELETE_IN_PROGRESS"
        } else {
            "INACTIVE"
        };
        Some(TaskDef::with_status(&td.body, status))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::sim::tests::{cluster_with, ecs, ok};

    /// The simulator's account answers the request rules from the state as
    /// it is: clusters by name or ARN, live services before INACTIVE ones of
    /// the same name, instance counts, task-definition statuses, providers.
    #[test]
    fn the_state_answers_the_rules_from_the_account_as_it_is() {
        let mut ecs = ecs();
        cluster_with(&mut ecs, 2);
        ok(
            &mut ecs,
            "CreateService",
            json!({"serviceName": "s", "taskDefinition": "web", "desiredCount": 1,
                   "deploymentController": {"type": "CODE_DEPLOY"}}),
        );
        ok(
            &mut ecs,
            "CreateService",
            json!({"serviceName": "gone", "taskDefinition": "web", "desiredCount": 0}),
        );
        ok(&mut ecs, "DeleteService", json!({"service": "gone"}));
        ecs.advance_to(ecs.now() + 600_000);
        let state = &ecs.state;
        assert_eq!(state.cluster_key("nope"), Some(None));
        let arn = state.clusters[0].arn.clone();
        assert_eq!(state.cluster_key(&arn), Some(Some(0)));
        let cluster = crate::check::request::account::ClusterView::find(state, None)
            .flatten()
            .expect("the default cluster");
        assert_eq!(
            (cluster.name, cluster.registered_container_instances()),
            ("default", 2)
        );
        let s = cluster.live_service("s").expect("service s");
        assert_eq!(
            (s.status, s.deployment_controller, s.desired_count, s.daemon),
            ("ACTIVE", Some("CODE_DEPLOY"), 1, false)
        );
        assert_eq!(
            s.task_definition,
            Some(state.services[0].task_definition.as_str())
        );
        assert_eq!(cluster.service("gone").map(|s| s.status), Some("INACTIVE"));
        assert!(cluster.live_service("gone").is_none());
        assert_eq!(cluster.live_tasks_using("FARGATE"), 0);
        assert_eq!(state.capacity_provider("asg-none"), Some(None));
        let td = Account::task_definition(state, Some("web:1")).expect("web:1");
        assert_eq!(td.status(), Some("ACTIVE"));
        assert_eq!(
            Account::task_definition(state, Some("web:2")).map(|t| t.family()),
            None
        );
        ok(
            &mut ecs,
            "DeregisterTaskDefinition",
            json!({"taskDefinition": "web:1"}),
        );
        let td = Account::task_definition(&ecs.state, Some("web:1")).expect("web:1");
        assert_eq!(td.status(), Some("INACTIVE"));
    }
}
