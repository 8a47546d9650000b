//! Rules for ECS API requests other than RegisterTaskDefinition: the
//! semantic, cross-field, conditional and limit rules of seed-checklist §2.
//!
//! Generic shape checks (types, enums, required members, unknown fields) come
//! from the model-driven shape check and are not repeated here. Rules that
//! need the resolved task definition or cluster state read them through the
//! [`Account`] view and are skipped when the account does not know them.
//!
//! Exceptions: the specific one the API model lists where it has one
//! (ClusterContainsContainerInstancesException, ResourceInUseException …),
//! else the one AWS is known to answer with, else the checklist §0 mapping.

pub mod account;
pub mod attributes;
pub mod capacity;
pub mod cluster;
pub mod deployment;
pub mod describe;
pub mod ebs;
pub mod load_balancers;
pub mod network;
pub mod overrides;
pub mod placement;
pub mod run;
pub mod service;
pub mod service_connect;
pub mod service_registries;
pub mod start_stop;
pub mod tags;

#[cfg(test)]
mod tests;

pub use account::{Account, DocumentAccount};

use super::{Located, Rule, Sink};
use crate::diagnostic::Severity;
use account::{ClusterView, ServiceView, TaskDef, FARGATE_PROVIDERS};

/// The operations whose requests can be analysed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    RunTask,
    StartTask,
    StopTask,
    CreateService,
    UpdateService,
    DeleteService,
    CreateCluster,
    UpdateCluster,
    UpdateClusterSettings,
    PutClusterCapacityProviders,
    DeleteCluster,
    PutAttributes,
    DescribeClusters,
    DescribeServices,
    DescribeTasks,
    DescribeTaskDefinition,
    DeregisterTaskDefinition,
    DescribeServiceRevisions,
    ListServicesByNamespace,
}

impl Operation {
    pub const ALL: [Operation; 19] = [
        Operation::RunTask,
        Operation::StartTask,
        Operation::StopTask,
        Operation::CreateService,
        Operation::UpdateService,
        Operation::DeleteService,
        Operation::CreateCluster,
        Operation::UpdateCluster,
        Operation::UpdateClusterSettings,
        Operation::PutClusterCapacityProviders,
        Operation::DeleteCluster,
        Operation::PutAttributes,
        Operation::DescribeClusters,
        Operation::DescribeServices,
        Operation::DescribeTasks,
        Operation::DescribeTaskDefinition,
        Operation::DeregisterTaskDefinition,
        Operation::DescribeServiceRevisions,
        Operation::ListServicesByNamespace,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Operation::RunTask => "RunTask",
            Operation::StartTask => "StartTask",
            Operation::StopTask => "StopTask",
            Operation::CreateService => "CreateService",
            Operation::UpdateService => "UpdateService",
            Operation::DeleteService => "DeleteService",
            Operation::CreateCluster => "CreateCluster",
            Operation::UpdateCluster => "UpdateCluster",
            Operation::UpdateClusterSettings => "UpdateClusterSettings",
            Operation::PutClusterCapacityProviders => "PutClusterCapacityProviders",
            Operation::DeleteCluster => "DeleteCluster",
            Operation::PutAttributes => "PutAttributes",
            Operation::DescribeClusters => "DescribeClusters",
            Operation::DescribeServices => "DescribeServices",
            Operation::DescribeTasks => "DescribeTasks",
            Operation::DescribeTaskDefinition => "DescribeTaskDefinition",
            Operation::DeregisterTaskDefinition => "DeregisterTaskDefinition",
            Operation::DescribeServiceRevisions => "DescribeServiceRevisions",
            Operation::ListServicesByNamespace => "ListServicesByNamespace",
        }
    }

    /// Accepts the API name (`RunTask`) and the CLI name (`run-task`).
    pub fn parse(name: &str) -> Option<Operation> {
        let squashed: String = name
            .chars()
            .filter(|c| *c != '-' && *c != '_')
            .collect::<String>()
            .to_ascii_lowercase();
        Operation::ALL
            .into_iter()
            .find(|op| op.name().to_ascii_lowercase() == squashed)
    }
}

/// A request being checked: its operation, its body and the account it
/// acts on, with the addressed cluster and task definition looked up once.
pub struct Request<'a> {
    pub operation: Operation,
    pub root: Located<'a>,
    pub account: &'a dyn Account,
    /// The addressed cluster: `None` when clusters are unknown, `Some(None)`
    /// when known not to exist.
    cluster: Option<Option<ClusterView<'a>>>,
    task_definition: Option<TaskDef<'a>>,
}

/// How the tasks of a request will be launched, when it can be told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Launch {
    Fargate,
    Ec2,
    External,
}

impl<'a> Request<'a> {
    pub fn is(&self, operation: Operation) -> bool {
        self.operation == operation
    }

    fn new(operation: Operation, root: Located<'a>, account: &'a dyn Account) -> Request<'a> {
        let cluster = ClusterView::find(account, root.str_field("cluster"));
        let mut request = Request {
            operation,
            root,
            account,
            cluster,
            task_definition: None,
        };
        use Operation::*;
        if matches!(
            operation,
            RunTask | StartTask | CreateService | UpdateService
        ) {
            // UpdateService without `taskDefinition` keeps the service's.
            let reference = request.root.str_field("taskDefinition").or_else(|| {
                let name = request.root.str_field("service")?;
                request.cluster()?.service(name)?.task_definition
            });
            request.task_definition = account.task_definition(reference);
        }
        request
    }

    pub fn task_def(&self) -> Option<TaskDef<'a>> {
        self.task_definition
    }

    /// Whether the addressed cluster is known not to exist.
    pub fn cluster_is_missing(&self) -> bool {
        matches!(self.cluster, Some(None))
    }

    /// The addressed cluster, when it is known to exist.
    pub fn cluster(&self) -> Option<ClusterView<'a>> {
        self.cluster.flatten()
    }

    /// The existing service an UpdateService or DeleteService addresses.
    pub fn existing_service(&self) -> Option<ServiceView<'a>> {
        let name = self.root.str_field("service")?;
        self.cluster()?.live_service(name)
    }

    /// The deployment controller: the request's, else the existing service's, else ECS.
    pub fn deployment_controller(&self) -> &'a str {
        if let Some(kind) = self
            .root
            .node
            .get("deploymentController")
            .and_then(|c| c.get("type"))
            .and_then(|t| t.as_str())
        {
            return kind;
        }
        self.existing_service()
            .and_then(|s| s.deployment_controller)
            .unwrap_or("ECS")
    }

    /// The launch type, from `launchType`, the capacity-provider strategy, or
    /// the existing service; `None` when it depends on defaults not known here.
    pub fn launch(&self) -> Option<Launch> {
        if let Some(launch_type) = self.root.str_field("launchType") {
            return launch_from_type(launch_type);
        }
        let strategy: Vec<&str> = self
            .root
            .items("capacityProviderStrategy")
            .iter()
            .filter_map(|item| item.str_field("capacityProvider"))
            .collect();
        if let Some(launch) = launch_from_strategy(&strategy) {
            return Some(launch);
        }
        if let Some(service) = self.existing_service() {
            if let Some(launch_type) = service.launch_type {
                return launch_from_type(launch_type);
            }
            if !service.capacity_provider_strategy.is_empty() {
                return launch_from_strategy(&service.capacity_provider_strategy);
            }
        }
        // Neither given: the cluster's default strategy applies. With no
        // default either, the outcome is a gap in the docs (§7), so unknown.
        let cluster = self.cluster()?;
        launch_from_strategy(&cluster.default_capacity_provider_strategy())
    }

    pub fn is_fargate(&self) -> bool {
        self.launch() == Some(Launch::Fargate)
    }
}

fn launch_from_type(launch_type: &str) -> Option<Launch> {
    match launch_type {
        "FARGATE" | "FARGATE_SPOT" => Some(Launch::Fargate),
        "EC2" => Some(Launch::Ec2),
        "EXTERNAL" => Some(Launch::External),
        _ => None,
    }
}

fn launch_from_strategy(providers: &[&str]) -> Option<Launch> {
    if providers.is_empty() {
        return None;
    }
    let fargate = providers
        .iter()
        .filter(|p| FARGATE_PROVIDERS.contains(p))
        .count();
    if fargate == providers.len() {
        Some(Launch::Fargate)
    } else if fargate == 0 {
        Some(Launch::Ec2)
    } else {
        None
    }
}

pub const UNKNOWN_OPERATION: Rule = Rule {
    code: "unknown-operation",
    severity: Severity::Error,
    summary: "The operation name is not one the playground can analyse.",
    covers: &[],
    exception: None,
};

pub const REQUEST_NOT_OBJECT: Rule = Rule {
    code: "request-not-object",
    severity: Severity::Error,
    summary: "A request body is a JSON object.",
    covers: &[],
    exception: Some("InvalidParameterException"),
};

/// Every request rule, in catalogue order.
pub const RULES: &[&Rule] = &[
    &UNKNOWN_OPERATION,
    &REQUEST_NOT_OBJECT,
    &tags::EBS_TAG_RESERVED_KEY,
    &attributes::ATTRIBUTE_NAME_FORMAT,
    &attributes::ATTRIBUTE_VALUE_FORMAT,
    &attributes::ATTRIBUTE_TARGET_TYPE_REQUIRED,
    &attributes::ATTRIBUTE_LIMIT,
    &cluster::CLUSTER_NOT_FOUND,
    &cluster::CLUSTER_NAME_FORMAT,
    &cluster::CLUSTER_SETTING_VALUE,
    &cluster::EXECUTE_COMMAND_LOG_CONFIGURATION,
    &cluster::CAPACITY_PROVIDER_UNAVAILABLE,
    &cluster::SERVICE_CONNECT_NAMESPACE_FORMAT,
    &cluster::CLUSTER_HAS_INSTANCES,
    &capacity::STRATEGY_TOO_MANY_PROVIDERS,
    &capacity::STRATEGY_WEIGHTS_ALL_ZERO,
    &capacity::STRATEGY_MULTIPLE_BASE,
    &capacity::STRATEGY_DUPLICATE_PROVIDER,
    &capacity::STRATEGY_PROVIDER_NOT_ASSOCIATED,
    &capacity::STRATEGY_PROVIDER_NOT_IN_LIST,
    &capacity::LAUNCH_TYPE_WITH_STRATEGY,
    &capacity::FARGATE_SPOT_LAUNCH_TYPE,
    &capacity::FARGATE_SPOT_PLATFORM,
    &capacity::CAPACITY_PROVIDER_IN_USE,
    &capacity::STRATEGY_CANNOT_REVERT_TO_DEFAULT,
    &network::NETWORK_CONFIGURATION_REQUIRED,
    &network::NETWORK_CONFIGURATION_NOT_SUPPORTED,
    &network::SUBNETS_LIMIT,
    &network::SECURITY_GROUPS_LIMIT,
    &placement::PLACEMENT_CONSTRAINTS_LIMIT,
    &placement::PLACEMENT_EXPRESSION_TOO_LONG,
    &placement::DISTINCT_INSTANCE_EXPRESSION,
    &placement::MEMBER_OF_EXPRESSION_REQUIRED,
    &placement::FARGATE_PLACEMENT,
    &placement::PLACEMENT_STRATEGIES_LIMIT,
    &placement::PLACEMENT_STRATEGY_FIELD,
    &service::SERVICE_NAME_FORMAT,
    &service::SERVICE_NAME_IN_USE,
    &service::SERVICE_NOT_FOUND,
    &service::SERVICE_NOT_ACTIVE,
    &service::SERVICE_TASK_DEFINITION_REQUIRED,
    &service::EXTERNAL_CONTROLLER_FIELD,
    &service::DESIRED_COUNT_REQUIRED,
    &service::CLIENT_TOKEN_FORMAT,
    &service::DAEMON_NOT_SUPPORTED,
    &service::SERVICE_ROLE_NOT_PERMITTED,
    &service::SERVICE_ROLE_REQUIRES_LOAD_BALANCER,
    &service::SERVICE_ROLE_UNNEEDED,
    &service::PLATFORM_VERSION_FARGATE_ONLY,
    &service::HEALTH_CHECK_GRACE_PERIOD_UNUSED,
    &service::HEALTH_CHECK_GRACE_PERIOD_RANGE,
    &service::TASK_DEFINITION_INACTIVE,
    &service::UPDATE_NOT_ALLOWED_FOR_CONTROLLER,
    &service::DELETE_SERVICE_HAS_TASKS,
    &deployment::CIRCUIT_BREAKER_CONTROLLER,
    &deployment::DEPLOYMENT_PERCENT_IGNORED,
    &deployment::DEPLOYMENT_PERCENT_UNUSED,
    &load_balancers::LOAD_BALANCER_TARGET,
    &load_balancers::LOAD_BALANCER_CONTAINER_REQUIRED,
    &load_balancers::CLASSIC_LOAD_BALANCER_NOT_SUPPORTED,
    &load_balancers::LOAD_BALANCER_MULTIPLE_TARGET_GROUPS,
    &load_balancers::LOAD_BALANCER_CONTAINER_UNKNOWN,
    &load_balancers::LOAD_BALANCER_PORT_UNKNOWN,
    &service_registries::SERVICE_REGISTRIES_LIMIT,
    &service_registries::SERVICE_REGISTRY_CONTAINER_REQUIRED,
    &service_registries::SERVICE_REGISTRY_PORT_CONFLICT,
    &service_registries::SERVICE_REGISTRY_CONTAINER_UNKNOWN,
    &service_connect::SERVICE_CONNECT_SERVICES_LIMIT,
    &service_connect::SERVICE_CONNECT_PORT_NAME_UNKNOWN,
    &service_connect::DISCOVERY_NAME_FORMAT,
    &service_connect::DISCOVERY_NAME_DUPLICATE,
    &service_connect::CLIENT_ALIASES_COUNT,
    &service_connect::DNS_NAME_FORMAT,
    &service_connect::CLIENT_ALIAS_DUPLICATE,
    &service_connect::PER_REQUEST_TIMEOUT_TCP,
    &run::TASK_COUNT_RANGE,
    &run::EXECUTE_COMMAND_TASK_ROLE,
    &run::PROPAGATE_TAGS_SERVICE,
    &run::REFERENCE_ID_TOO_LONG,
    &run::STARTED_BY_FORMAT,
    &run::RUN_TASK_CLIENT_TOKEN_FORMAT,
    &run::LAUNCH_TYPE_INCOMPATIBLE,
    &overrides::OVERRIDES_TOO_LONG,
    &overrides::CONTAINER_OVERRIDE_NAME_REQUIRED,
    &overrides::CONTAINER_OVERRIDE_UNKNOWN,
    &overrides::OVERRIDE_ENVIRONMENT_FILES_LIMIT,
    &overrides::OVERRIDE_RESOURCE_TYPE,
    &overrides::INFERENCE_ACCELERATOR_OVERRIDE_UNKNOWN,
    &overrides::EPHEMERAL_STORAGE_OVERRIDE,
    &start_stop::CONTAINER_INSTANCES_LIMIT,
    &start_stop::STOP_REASON_TOO_LONG,
    &start_stop::DEREGISTER_REVISION_REQUIRED,
    &describe::DESCRIBE_LIST_LIMIT,
    &describe::SERVICE_MISSING,
    &describe::MAX_RESULTS_RANGE,
    &ebs::EBS_VOLUME_NOT_CONFIGURED_AT_LAUNCH,
    &ebs::EBS_STANDARD_ON_FARGATE,
    &ebs::EBS_SIZE_OR_SNAPSHOT,
    &ebs::EBS_SIZE_RANGE,
    &ebs::EBS_IOPS,
    &ebs::EBS_THROUGHPUT,
];

/// Seed-checklist IDs the request rules cover, without repeats.
pub fn covered_ids() -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = RULES
        .iter()
        .chain(crate::check::tags::RULES)
        .chain(crate::check::shape::RULES)
        .flat_map(|r| r.covers.iter().copied())
        .collect();
    crate::order::sort(&mut ids);
    ids.dedup();
    ids
}

/// Checklist IDs in the sections this module owns that are left to the
/// model-driven shape check (required members and enums) or cannot be checked
/// on a request (other accounts, Regions, VPCs, defaults that change nothing).
pub const NOT_COVERED_HERE: &[(&str, &str)] = &[
    ("V-CL-004", "enum: shape check"),
    ("V-CL-008", "required member: shape check"),
    ("V-CL-010", "one account and Region are modelled"),
    ("V-CL-011", "required member: shape check"),
    ("V-CL-012", "required member: shape check"),
    ("V-CL-013", "required member: shape check"),
    ("V-CP-001", "required member: shape check"),
    ("V-CP-003", "a default, applied by the simulator"),
    ("V-CP-011", "cluster auto scaling is not modelled"),
    (
        "V-CP-012",
        "required members: shape check (D11: cluster is required)",
    ),
    ("V-NET-003", "required member: shape check"),
    (
        "V-NET-006",
        "enum: shape check (D2: default DISABLED everywhere)",
    ),
    ("V-NET-007", "VPCs are not modelled"),
    ("V-PL-002", "enum: shape check"),
    ("V-PL-008", "enum: shape check"),
    ("V-SVC-001", "required member: shape check"),
    ("V-SVC-008", "enum: shape check"),
    ("V-SVC-010", "required member and enum: shape check"),
    ("V-SVC-017", "enum: shape check"),
    ("V-SVC-019", "required member: shape check"),
    ("V-SVC-023", "required member: shape check"),
    ("V-SVC-025", "platform family is simulator state"),
    ("V-DEP-002", "required members: shape check"),
    ("V-DEP-003", "a default, applied by the simulator"),
    ("V-DEP-004", "a default, applied by the simulator"),
    ("V-DEP-008", "gap marker"),
    (
        "V-LB-003",
        "the second target group lives in CodeDeploy, not in the request",
    ),
    ("V-LB-009", "target groups are not modelled"),
    ("V-SC-001", "required member: shape check"),
    ("V-SC-002", "one Region is modelled"),
    ("V-SC-004", "required member: shape check"),
    ("V-SC-010", "required member: shape check"),
    ("V-SC-013", "required members: shape check"),
    (
        "V-SC-015",
        "RunTask and StartTask have no Service Connect member: shape check",
    ),
    ("V-RUN-001", "required member: shape check"),
    ("V-RUN-003", "enum: shape check; exclusivity is V-CP-008"),
    ("V-STOP-001", "required member: shape check"),
    ("V-DESC-003", "enum: shape check"),
    (
        "V-DESC-005",
        "a purged service cannot be told from one never created",
    ),
    (
        "V-DESC-008",
        "revision creation dates are not in the request",
    ),
    ("V-EBS-002", "required member: shape check"),
    ("V-EBS-003", "enum: shape check"),
    ("V-EBS-010", "required member and enum: shape check"),
    ("V-EBS-011", "required member: shape check"),
    ("V-EBS-012", "enum: shape check; snapshots are not modelled"),
    ("V-EBS-013", "a default, applied by the simulator"),
];

/// Applies every rule for `operation` to the request body `root`.
pub fn check(operation: Operation, root: &Located<'_>, account: &dyn Account, sink: &mut Sink) {
    if !root.node.is_object() {
        sink.report(
            &REQUEST_NOT_OBJECT,
            root.path.clone(),
            root.span(),
            format!(
                "a {} request is a JSON object, not {}",
                operation.name(),
                root.node.type_name()
            ),
        );
        return;
    }
    let request = Request::new(operation, root.clone(), account);
    let req = &request;
    use Operation::*;
    if !matches!(
        operation,
        CreateCluster
            | DescribeClusters
            | DescribeTaskDefinition
            | DeregisterTaskDefinition
            | DescribeServiceRevisions
            | ListServicesByNamespace
    ) {
        cluster::check_exists(req, sink);
    }
    tags::check_request_tags(req, sink);
    match operation {
        RunTask | StartTask => {
            capacity::check_request_strategy(req, sink);
            network::check(req, sink);
            placement::check(req, sink);
            run::check(req, sink);
            overrides::check(req, sink);
            ebs::check(req, sink);
            service::check_task_definition_active(req, sink);
            if operation == RunTask {
                service::check_platform_version(req, sink);
            }
            if operation == StartTask {
                start_stop::check_start(req, sink);
            }
        }
        StopTask => start_stop::check_stop(req, sink),
        CreateService | UpdateService => {
            service::check(req, sink);
            if operation == CreateService {
                run::check_launch_type_compatible(req, sink);
            }
            capacity::check_request_strategy(req, sink);
            network::check(req, sink);
            placement::check(req, sink);
            deployment::check(req, sink);
            load_balancers::check(req, sink);
            service_registries::check(req, sink);
            service_connect::check(req, sink);
            ebs::check(req, sink);
        }
        DeleteService => service::check_delete(req, sink),
        CreateCluster | UpdateCluster | UpdateClusterSettings | PutClusterCapacityProviders => {
            cluster::check(req, sink);
            capacity::check_cluster_strategy(req, sink);
        }
        DeleteCluster => cluster::check_delete(req, sink),
        PutAttributes => attributes::check(req, sink),
        DescribeClusters
        | DescribeServices
        | DescribeTasks
        | DescribeServiceRevisions
        | ListServicesByNamespace => describe::check(req, sink),
        DeregisterTaskDefinition => start_stop::check_deregister(req, sink),
        DescribeTaskDefinition => {}
    }
}

/// Reports `rule` when the array at `list` has more than `max` items.
pub(crate) fn check_max_items(
    sink: &mut Sink,
    rule: &Rule,
    list: &Located<'_>,
    max: usize,
    message: impl FnOnce(usize) -> String,
) {
    let count = list.node.items().len();
    if list.node.is_array() && count > max {
        sink.report(
            rule,
            list.path.clone(),
            list.key_span.unwrap_or(list.span()),
            message(count),
        );
    }
}

/// Length in Unicode scalar values, as AWS counts characters.
pub(crate) fn char_len(value: &str) -> usize {
    value.chars().count()
}

/// A string literal for a fix's replacement text.
pub(crate) use crate::check::task_definition::json_string;
