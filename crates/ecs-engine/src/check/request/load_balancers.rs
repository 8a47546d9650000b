//! Service load balancers (seed-checklist §2.12).

use super::account::TaskDef;
use super::{Operation, Request};
use crate::check::{Located, Rule, Sink};
use crate::diagnostic::Severity;

pub const LOAD_BALANCER_TARGET: Rule = Rule {
    code: "load-balancer-target",
    severity: Severity::Error,
    summary: "A load balancer entry names either a `targetGroupArn` (ALB/NLB) or a `loadBalancerName` (Classic), not both.",
    covers: &["V-LB-001", "V-LB-004", "V-LB-005"],
    exception: Some("InvalidParameterException"),
};

pub const LOAD_BALANCER_CONTAINER_REQUIRED: Rule = Rule {
    code: "load-balancer-container-required",
    severity: Severity::Error,
    summary: "A load balancer entry needs `containerName` and `containerPort`.",
    covers: &["V-LB-004", "V-LB-005"],
    exception: Some("InvalidParameterException"),
};

pub const CLASSIC_LOAD_BALANCER_NOT_SUPPORTED: Rule = Rule {
    code: "classic-load-balancer-not-supported",
    severity: Severity::Error,
    summary:
        "Classic Load Balancers are not supported with CODE_DEPLOY or with awsvpc task definitions.",
    covers: &["V-LB-002", "V-LB-006"],
    exception: Some("InvalidParameterException"),
};

pub const LOAD_BALANCER_MULTIPLE_TARGET_GROUPS: Rule = Rule {
    code: "load-balancer-multiple-target-groups",
    severity: Severity::Error,
    summary: "Multiple target groups are not supported for CODE_DEPLOY or EXTERNAL deployments.",
    covers: &["V-SVC-022"],
    exception: Some("InvalidParameterException"),
};

pub const LOAD_BALANCER_CONTAINER_UNKNOWN: Rule = Rule {
    code: "load-balancer-container-unknown",
    severity: Severity::Error,
    summary: "A load balancer's `containerName` must be a container of the task definition.",
    covers: &["V-LB-007"],
    exception: Some("InvalidParameterException"),
};

pub const LOAD_BALANCER_PORT_UNKNOWN: Rule = Rule {
    code: "load-balancer-port-unknown",
    severity: Severity::Error,
    summary: "A load balancer's `containerPort` must be a port mapping of that container.",
    covers: &["V-LB-008"],
    exception: Some("InvalidParameterException"),
};

pub fn check(req: &Request<'_>, sink: &mut Sink) {
    let Some(list) = req.root.field("loadBalancers") else {
        return;
    };
    let controller = req.deployment_controller();
    let entries = req.root.items("loadBalancers");
    if req.is(Operation::CreateService) && controller != "ECS" && entries.len() > 1 {
        sink.report(
            &LOAD_BALANCER_MULTIPLE_TARGET_GROUPS,
            list.path.clone(),
            list.key_span.unwrap_or(list.span()),
            format!("{} load balancer entries: multiple target groups are not supported for {controller} deployments; give one (CodeDeploy holds the second target group)", entries.len()),
        );
    }
    let td = req.task_def();
    for entry in &entries {
        if !entry.node.is_object() {
            continue;
        }
        check_entry(entry, controller, td, sink);
    }
}

fn check_entry(entry: &Located<'_>, controller: &str, td: Option<TaskDef<'_>>, sink: &mut Sink) {
    let target_group = entry.field("targetGroupArn");
    let classic = entry.field("loadBalancerName");
    match (&target_group, &classic) {
        (None, None) => {
            sink.report_missing(
                &LOAD_BALANCER_TARGET,
                entry,
                "targetGroupArn",
                "specify targetGroupArn for an Application or Network Load Balancer, or loadBalancerName for a Classic Load Balancer",
            );
        }
        (Some(_), Some(name)) => {
            sink.report(
                &LOAD_BALANCER_TARGET,
                name.path.clone(),
                name.key_span.unwrap_or(name.span()),
                "give either targetGroupArn (Application or Network Load Balancer) or loadBalancerName (Classic Load Balancer): with a target group, the load balancer name must be omitted",
            );
        }
        _ => {}
    }
    if let (None, Some(name)) = (&target_group, &classic) {
        let reason = if controller == "CODE_DEPLOY" {
            Some("the CODE_DEPLOY deployment controller requires an Application Load Balancer or Network Load Balancer".to_string())
        } else {
            td.filter(|td| td.is_awsvpc()).map(|td| format!("{} uses the awsvpc network mode, which supports only Application Load Balancers and Network Load Balancers", td.family()))
        };
        if let Some(reason) = reason {
            sink.report(
                &CLASSIC_LOAD_BALANCER_NOT_SUPPORTED,
                name.path.clone(),
                name.span(),
                format!("Classic Load Balancers are not supported here: {reason}"),
            );
        }
    }
    for key in ["containerName", "containerPort"] {
        if entry.field(key).is_none() {
            sink.report_missing(
                &LOAD_BALANCER_CONTAINER_REQUIRED,
                entry,
                key,
                format!("{key} is required: the load balancer routes to a container name and port from the task definition"),
            );
        }
    }
    let Some(td) = td else {
        return;
    };
    let Some(name_field) = entry.field("containerName") else {
        return;
    };
    let Some(name) = name_field.node.as_str() else {
        return;
    };
    let Some(container) = td.container(name) else {
        sink.report(
            &LOAD_BALANCER_CONTAINER_UNKNOWN,
            name_field.path.clone(),
            name_field.span(),
            format!(
                "the container \"{name}\" does not exist in the task definition (containers: {})",
                td.container_names().join(", ")
            ),
        );
        return;
    };
    let Some(port_field) = entry.field("containerPort") else {
        return;
    };
    let Some(port) = port_field.node.as_i64() else {
        return;
    };
    let ports: Vec<i64> = TaskDef::port_mappings(container)
        .iter()
        .filter_map(|m| m.container_port)
        .collect();
    if !ports.contains(&port) {
        let finding = sink.report(
            &LOAD_BALANCER_PORT_UNKNOWN,
            port_field.path.clone(),
            port_field.span(),
            format!("the container \"{name}\" has no port mapping for containerPort {port} (its container ports: {})", if ports.is_empty() { "none".to_string() } else { ports.iter().map(i64::to_string).collect::<Vec<_>>().join(", ") }),
        );
        if let [only] = ports.as_slice() {
            finding.with_fix(
                format!("Use containerPort {only}"),
                vec![(port_field.span(), only.to_string())],
            );
        }
    }
}
