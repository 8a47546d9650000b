//! Services (seed-checklist §2.10): CreateService, UpdateService and
//! DeleteService rules that depend on other fields or on known state.

use super::{char_len, Launch, Operation, Request};
use crate::check::{Rule, Sink};
use crate::diagnostic::Severity;
use crate::text::Span;

pub const SERVICE_NAME_FORMAT: Rule = Rule {
    code: "service-name-format",
    severity: Severity::Error,
    summary: "`serviceName` is 1-255 letters, digits, hyphens and underscores.",
    covers: &["V-SVC-002"],
    exception: Some("InvalidParameterException"),
};

// AWS answers a duplicate name with InvalidParameterException ("Creation of
// service was not idempotent"), not the ClientException §0 suggests.
pub const SERVICE_NAME_IN_USE: Rule = Rule {
    code: "service-name-in-use",
    severity: Severity::Error,
    summary: "A service name is unique in its cluster among ACTIVE and DRAINING services.",
    covers: &["V-SVC-003"],
    exception: Some("InvalidParameterException"),
};

pub const SERVICE_NOT_FOUND: Rule = Rule {
    code: "service-not-found",
    severity: Severity::Error,
    summary: "UpdateService and DeleteService need an existing, not INACTIVE, service.",
    covers: &[],
    exception: Some("ServiceNotFoundException"),
};

pub const SERVICE_NOT_ACTIVE: Rule = Rule {
    code: "service-not-active",
    severity: Severity::Error,
    summary: "An INACTIVE (deleted) service cannot be updated; re-create it with CreateService.",
    covers: &[],
    exception: Some("ServiceNotActiveException"),
};

pub const SERVICE_TASK_DEFINITION_REQUIRED: Rule = Rule {
    code: "service-task-definition-required",
    severity: Severity::Error,
    summary: "`taskDefinition` is required with the ECS (default) and CODE_DEPLOY deployment controllers.",
    covers: &["V-SVC-004"],
    exception: Some("InvalidParameterException"),
};

pub const EXTERNAL_CONTROLLER_FIELD: Rule = Rule {
    code: "external-controller-field",
    severity: Severity::Error,
    summary: "With the EXTERNAL controller, task-set-level fields (taskDefinition, launchType, loadBalancers, networkConfiguration, platformVersion) belong to CreateTaskSet.",
    covers: &["V-SVC-005"],
    exception: Some("InvalidParameterException"),
};

pub const DESIRED_COUNT_REQUIRED: Rule = Rule {
    code: "desired-count-required",
    severity: Severity::Error,
    summary: "`desiredCount` is required with the REPLICA scheduling strategy (the default).",
    covers: &["V-SVC-006"],
    exception: Some("InvalidParameterException"),
};

pub const CLIENT_TOKEN_FORMAT: Rule = Rule {
    code: "service-client-token-format",
    severity: Severity::Error,
    summary: "CreateService `clientToken` is at most 32 ASCII characters.",
    covers: &["V-SVC-007"],
    exception: Some("InvalidParameterException"),
};

pub const DAEMON_NOT_SUPPORTED: Rule = Rule {
    code: "daemon-not-supported",
    severity: Severity::Error,
    summary: "DAEMON scheduling is not supported on Fargate or with the CODE_DEPLOY and EXTERNAL controllers.",
    covers: &["V-SVC-009"],
    exception: Some("InvalidParameterException"),
};

pub const SERVICE_ROLE_NOT_PERMITTED: Rule = Rule {
    code: "service-role-not-permitted",
    severity: Severity::Error,
    summary: "`role` is only permitted with load balancers and a task definition whose network mode is not awsvpc.",
    covers: &["V-SVC-011"],
    exception: Some("InvalidParameterException"),
};

pub const SERVICE_ROLE_REQUIRES_LOAD_BALANCER: Rule = Rule {
    code: "service-role-requires-load-balancer",
    severity: Severity::Error,
    summary: "A service `role` can only be given together with `loadBalancers`.",
    covers: &["V-SVC-012"],
    exception: Some("InvalidParameterException"),
};

pub const SERVICE_ROLE_UNNEEDED: Rule = Rule {
    code: "service-role-unneeded",
    severity: Severity::Warning,
    summary: "Do not pass `role` when the service-linked role is required (service discovery, EXTERNAL controller, multiple target groups).",
    covers: &["V-SVC-013"],
    exception: None,
};

pub const PLATFORM_VERSION_FARGATE_ONLY: Rule = Rule {
    code: "platform-version-fargate-only",
    severity: Severity::Error,
    summary: "`platformVersion` is specified only for tasks using Fargate.",
    covers: &["V-SVC-014", "V-RUN-010"],
    exception: Some("InvalidParameterException"),
};

pub const HEALTH_CHECK_GRACE_PERIOD_UNUSED: Rule = Rule {
    code: "health-check-grace-period-unused",
    severity: Severity::Warning,
    summary: "`healthCheckGracePeriodSeconds` is unused without load balancer, VPC Lattice or container health checks.",
    covers: &["V-SVC-015"],
    exception: None,
};

pub const HEALTH_CHECK_GRACE_PERIOD_RANGE: Rule = Rule {
    code: "health-check-grace-period-range",
    severity: Severity::Error,
    summary: "`healthCheckGracePeriodSeconds` is 0 to 2,147,483,647.",
    covers: &["V-SVC-016"],
    exception: Some("InvalidParameterException"),
};

pub const TASK_DEFINITION_INACTIVE: Rule = Rule {
    code: "task-definition-inactive",
    severity: Severity::Error,
    summary:
        "An INACTIVE task definition cannot be used to run tasks or create or update services.",
    covers: &["V-TD-034", "V-SVC-018", "V-RUN-005", "V-START-002"],
    exception: Some("ClientException"),
};

pub const UPDATE_NOT_ALLOWED_FOR_CONTROLLER: Rule = Rule {
    code: "update-not-allowed-for-controller",
    severity: Severity::Error,
    summary:
        "UpdateService on CODE_DEPLOY and EXTERNAL services changes only an allow-list of fields.",
    covers: &["V-SVC-020", "V-SVC-021", "V-SVC-022"],
    exception: Some("InvalidParameterException"),
};

pub const DELETE_SERVICE_HAS_TASKS: Rule = Rule {
    code: "delete-service-has-tasks",
    severity: Severity::Error,
    summary: "A REPLICA service is deleted only at desiredCount 0, unless `force` is true; tasks still stopping do not block it (the service goes DRAINING).",
    covers: &["V-SVC-024"],
    exception: Some("InvalidParameterException"),
};

const MAX_GRACE_PERIOD: f64 = 2_147_483_647.0;

/// Fields UpdateService may change per deployment controller (000:18560, 18562).
const CODE_DEPLOY_UPDATABLE: &[&str] = &[
    "desiredCount",
    "deploymentConfiguration",
    "healthCheckGracePeriodSeconds",
    "placementConstraints",
    "placementStrategy",
    "enableECSManagedTags",
    "propagateTags",
];
const EXTERNAL_UPDATABLE: &[&str] = &[
    "desiredCount",
    "placementConstraints",
    "placementStrategy",
    "healthCheckGracePeriodSeconds",
    "enableECSManagedTags",
    "propagateTags",
];
/// Members that address the service rather than change its configuration.
/// `deploymentController` is here because the model now lets UpdateService
/// switch controllers, which the seed's allow-lists predate.
const ADDRESSING: &[&str] = &[
    "cluster",
    "service",
    "forceNewDeployment",
    "deploymentController",
];

pub fn check(req: &Request<'_>, sink: &mut Sink) {
    let controller = req.deployment_controller();
    if req.is(Operation::CreateService) {
        check_create(req, controller, sink);
    } else {
        check_update(req, controller, sink);
    }
    check_task_definition_active(req, sink);
    check_role(req, controller, sink);
    check_platform_version(req, sink);
    check_grace_period(req, sink);
}

fn check_create(req: &Request<'_>, controller: &str, sink: &mut Sink) {
    let root = &req.root;
    if let Some(field) = root.field("serviceName") {
        if let Some(name) = field.node.as_str() {
            crate::check::check_simple_name(&field, "serviceName", &SERVICE_NAME_FORMAT, sink);
            if let Some(existing) = req.cluster().and_then(|c| c.live_service(name)) {
                sink.report(
                    &SERVICE_NAME_IN_USE,
                    field.path.clone(),
                    field.span(),
                    format!("Creation of service was not idempotent: a service named \"{name}\" is {} in this cluster; service names must be unique among ACTIVE and DRAINING services", existing.status),
                );
            }
        }
    }
    if controller == "EXTERNAL" {
        for key in [
            "taskDefinition",
            "launchType",
            "loadBalancers",
            "networkConfiguration",
            "platformVersion",
        ] {
            if let Some(field) = root.field(key) {
                sink.report(
                    &EXTERNAL_CONTROLLER_FIELD,
                    field.path.clone(),
                    field.key_span.unwrap_or(field.span()),
                    format!("{key} can't be specified for a service using the EXTERNAL deployment controller: set it on the task set with CreateTaskSet"),
                );
            }
        }
    } else if root.field("taskDefinition").is_none() {
        sink.report_missing(
            &SERVICE_TASK_DEFINITION_REQUIRED,
            root,
            "taskDefinition",
            format!("taskDefinition is required when using the {controller} deployment controller"),
        );
    }
    let strategy = root.str_field("schedulingStrategy").unwrap_or("REPLICA");
    if strategy == "REPLICA" && controller != "EXTERNAL" && root.field("desiredCount").is_none() {
        sink.report_missing(
            &DESIRED_COUNT_REQUIRED,
            root,
            "desiredCount",
            "desiredCount is required if schedulingStrategy is REPLICA or isn't specified",
        );
    }
    if let Some(token) = root.field("clientToken") {
        if let Some(text) = token.node.as_str() {
            // D5: CreateService allows 32 ASCII characters, RunTask 64 (see run.rs).
            if char_len(text) > 32 || !text.is_ascii() {
                sink.report(
                    &CLIENT_TOKEN_FORMAT,
                    token.path.clone(),
                    token.span(),
                    format!(
                        "clientToken is {} characters: up to 32 ASCII characters are allowed",
                        char_len(text)
                    ),
                );
            }
        }
    }
    if let Some(field) = root
        .field("schedulingStrategy")
        .filter(|s| s.node.as_str() == Some("DAEMON"))
    {
        let reason = if controller != "ECS" {
            Some(format!(
                "the {controller} deployment controller requires the REPLICA scheduling strategy"
            ))
        } else if req.is_fargate() {
            Some(
                "the DAEMON scheduling strategy is not supported for tasks using Fargate"
                    .to_string(),
            )
        } else {
            None
        };
        if let Some(reason) = reason {
            sink.report(
                &DAEMON_NOT_SUPPORTED,
                field.path.clone(),
                field.span(),
                reason,
            )
            .with_fix(
                "Use REPLICA",
                vec![(field.span(), "\"REPLICA\"".to_string())],
            );
        }
    }
}

fn check_update(req: &Request<'_>, controller: &str, sink: &mut Sink) {
    let Some(cluster) = req.cluster() else {
        return;
    };
    let Some(service_field) = req.root.field("service") else {
        return;
    };
    let Some(name) = service_field.node.as_str() else {
        return;
    };
    let short = super::account::short_name(name);
    if cluster.live_service(name).is_none() {
        if cluster.service(name).is_some() {
            sink.report(
                &SERVICE_NOT_ACTIVE,
                service_field.path.clone(),
                service_field.span(),
                format!("The specified service isn't active: \"{short}\" is INACTIVE; you can't update a service that's inactive, re-create it with CreateService"),
            );
            return;
        }
        sink.report(
            &SERVICE_NOT_FOUND,
            service_field.path.clone(),
            service_field.span(),
            format!("Service not found: no ACTIVE or DRAINING service named \"{}\" in the cluster \"{}\"", super::account::short_name(name), cluster.name),
        );
        return;
    }
    let allowed = match controller {
        "CODE_DEPLOY" => CODE_DEPLOY_UPDATABLE,
        "EXTERNAL" => EXTERNAL_UPDATABLE,
        _ => return,
    };
    let instead = if controller == "CODE_DEPLOY" {
        "create a new CodeDeploy deployment (CreateDeployment)"
    } else {
        "create a new task set (CreateTaskSet)"
    };
    for member in req.root.node.members() {
        let key = member.key.as_str();
        if ADDRESSING.contains(&key) || allowed.contains(&key) || member.value.is_null() {
            continue;
        }
        let why = if key == "loadBalancers" && member.value.items().len() > 1 {
            format!(
                "; note that multiple target groups are not supported for {controller} deployments"
            )
        } else {
            String::new()
        };
        sink.report(
            &UPDATE_NOT_ALLOWED_FOR_CONTROLLER,
            req.root.path.key(key),
            member.key_span,
            format!("{key} can't be updated with UpdateService on a service using the {controller} deployment controller: {instead}{why}"),
        );
    }
}

/// V-TD-034: the task definition a request runs with must be ACTIVE.
pub fn check_task_definition_active(req: &Request<'_>, sink: &mut Sink) {
    let (Some(td), Some(field)) = (req.task_def(), req.root.field("taskDefinition")) else {
        return;
    };
    if td.status() == Some("INACTIVE") {
        let name = field.node.as_str().unwrap_or("the task definition");
        sink.report(
            &TASK_DEFINITION_INACTIVE,
            field.path.clone(),
            field.span(),
            format!("TaskDefinition is inactive: {name} has been deregistered; register a new revision or use an ACTIVE one"),
        );
    }
}

fn check_role(req: &Request<'_>, controller: &str, sink: &mut Sink) {
    let Some(role) = req.root.field("role") else {
        return;
    };
    let balancers = req
        .root
        .field("loadBalancers")
        .map_or(0, |l| l.node.items().len());
    let role_span = role.key_span.unwrap_or(role.span());
    if balancers == 0 {
        sink.report(
            &SERVICE_ROLE_REQUIRES_LOAD_BALANCER,
            role.path.clone(),
            role_span,
            "role is only permitted if you are using a load balancer with your service: add loadBalancers or remove role",
        );
        return;
    }
    if let Some(td) = req.task_def().filter(|td| td.is_awsvpc()) {
        sink.report(
            &SERVICE_ROLE_NOT_PERMITTED,
            role.path.clone(),
            role_span,
            format!("role can't be specified because {} uses the awsvpc network mode: the service-linked role is used instead", td.family()),
        );
        return;
    }
    let reason = if req
        .root
        .field("serviceRegistries")
        .is_some_and(|r| !r.node.items().is_empty())
    {
        Some("the service uses service discovery")
    } else if controller == "EXTERNAL" {
        Some("the service uses the EXTERNAL deployment controller")
    } else if balancers > 1 {
        Some("the service uses multiple target groups")
    } else {
        None
    };
    if let Some(reason) = reason {
        sink.report(
            &SERVICE_ROLE_UNNEEDED,
            role.path.clone(),
            role_span,
            format!("{reason}, which requires the service-linked role: don't specify a role here"),
        );
    }
}

pub fn check_platform_version(req: &Request<'_>, sink: &mut Sink) {
    let Some(field) = req.root.field("platformVersion") else {
        return;
    };
    let launch = match req.launch() {
        Some(Launch::Ec2) => "EC2",
        Some(Launch::External) => "EXTERNAL",
        _ => return,
    };
    sink.report(
        &PLATFORM_VERSION_FARGATE_ONLY,
        field.path.clone(),
        field.key_span.unwrap_or(field.span()),
        format!("The platform version must be null when specifying an {launch} launch type: a platform version is specified only for tasks using Fargate"),
    );
}

fn check_grace_period(req: &Request<'_>, sink: &mut Sink) {
    let Some(field) = req.root.field("healthCheckGracePeriodSeconds") else {
        return;
    };
    let Some(seconds) = field.node.as_f64() else {
        return;
    };
    if !(0.0..=MAX_GRACE_PERIOD).contains(&seconds) {
        sink.report(
            &HEALTH_CHECK_GRACE_PERIOD_RANGE,
            field.path.clone(),
            field.span(),
            "healthCheckGracePeriodSeconds must be between 0 and 2,147,483,647 seconds",
        );
        return;
    }
    // The model now also counts VPC Lattice and container health checks
    // (the seed says load balancers only), so without them it is unused, not rejected.
    let balancers = req
        .root
        .field("loadBalancers")
        .is_some_and(|l| !l.node.items().is_empty())
        || req.existing_service().is_some_and(|s| s.has_load_balancers);
    let lattice = req
        .root
        .field("vpcLatticeConfigurations")
        .is_some_and(|l| !l.node.items().is_empty());
    let Some(td) = req.task_def() else {
        return;
    };
    if !balancers && !lattice && !td.has_container_health_check() {
        sink.report(
            &HEALTH_CHECK_GRACE_PERIOD_UNUSED,
            field.path.clone(),
            field.key_span.unwrap_or(field.span()),
            "healthCheckGracePeriodSeconds is unused: the service has no load balancer, no VPC Lattice configuration and no container health check",
        );
    }
}

pub fn check_delete(req: &Request<'_>, sink: &mut Sink) {
    let Some(cluster) = req.cluster() else {
        return;
    };
    let Some(field) = req.root.field("service") else {
        return;
    };
    let Some(name) = field.node.as_str() else {
        return;
    };
    let Some(service) = cluster.live_service(name) else {
        sink.report(
            &SERVICE_NOT_FOUND,
            field.path.clone(),
            field.span(),
            format!("Service not found: no ACTIVE or DRAINING service named \"{}\" in the cluster \"{}\"", super::account::short_name(name), cluster.name),
        );
        return;
    };
    let daemon = service.daemon;
    let forced = req.root.bool_field("force") == Some(true);
    // AWS checks the desired count only: a service scaled to 0 whose tasks are
    // still stopping is deleted and goes DRAINING (the seed's "no running
    // tasks" wording is stricter than the service; Terraform's destroy relies on it).
    if !daemon && !forced && service.desired_count > 0 {
        let open = req.root.span().start as usize + 1;
        sink.report(
            &DELETE_SERVICE_HAS_TASKS,
            field.path.clone(),
            field.span(),
            format!("The service cannot be stopped while it is scaled above 0. (\"{}\" has desiredCount {}: scale it to 0 first or pass force.)", service.name, service.desired_count),
        )
        .with_fix("Delete with force", vec![match req.root.field("force") {
            Some(force) => (force.span(), "true".to_string()),
            None => (Span::new(open, open), "\"force\": true, ".to_string()),
        }]);
    }
}
