//! Service registries (seed-checklist §2.13).

use super::account::TaskDef;
use super::{check_max_items, Request};
use crate::check::{Rule, Sink};
use crate::diagnostic::Severity;

pub const SERVICE_REGISTRIES_LIMIT: Rule = Rule {
    code: "service-registries-limit",
    severity: Severity::Error,
    summary: "A service is associated with at most one service registry.",
    covers: &["V-SR-001"],
    exception: Some("InvalidParameterException"),
};

pub const SERVICE_REGISTRY_CONTAINER_REQUIRED: Rule = Rule {
    code: "service-registry-container-required",
    severity: Severity::Error,
    summary: "With a bridge or host task definition, a service registry needs `containerName` and `containerPort`.",
    covers: &["V-SR-002"],
    exception: Some("InvalidParameterException"),
};

pub const SERVICE_REGISTRY_PORT_CONFLICT: Rule = Rule {
    code: "service-registry-port-conflict",
    severity: Severity::Error,
    summary:
        "A service registry takes either `containerName` and `containerPort` or `port`, not both.",
    covers: &["V-SR-003"],
    exception: Some("InvalidParameterException"),
};

pub const SERVICE_REGISTRY_CONTAINER_UNKNOWN: Rule = Rule {
    code: "service-registry-container-unknown",
    severity: Severity::Error,
    summary: "A service registry's `containerName` and `containerPort` must exist in the task definition.",
    covers: &["V-SR-004"],
    exception: Some("InvalidParameterException"),
};

pub fn check(req: &Request<'_>, sink: &mut Sink) {
    let Some(list) = req.root.field("serviceRegistries") else {
        return;
    };
    check_max_items(sink, &SERVICE_REGISTRIES_LIMIT, &list, 1, |n| {
        format!("{n} service registries: each service may be associated with one service registry; multiple service registries for each service isn't supported")
    });
    let td = req.task_def();
    for registry in req.root.items("serviceRegistries") {
        let name = registry.field("containerName");
        let container_port = registry.field("containerPort");
        if let Some(port) = registry.field("port") {
            if name.is_some() || container_port.is_some() {
                sink.report(
                    &SERVICE_REGISTRY_PORT_CONFLICT,
                    port.path.clone(),
                    port.key_span.unwrap_or(port.span()),
                    "specify either a containerName and containerPort combination or a port value, but not both",
                );
            }
        }
        let Some(td) = td else {
            continue;
        };
        if matches!(td.network_mode(), "bridge" | "host") {
            for (key, field) in [("containerName", &name), ("containerPort", &container_port)] {
                if field.is_none() {
                    sink.report_missing(
                        &SERVICE_REGISTRY_CONTAINER_REQUIRED,
                        &registry,
                        key,
                        format!("{} uses the {} network mode, so you must specify a containerName and containerPort combination from the task definition", td.family(), td.network_mode()),
                    );
                }
            }
        }
        let Some(name) = name else {
            continue;
        };
        let Some(text) = name.node.as_str() else {
            continue;
        };
        let Some(container) = td.container(text) else {
            sink.report(
                &SERVICE_REGISTRY_CONTAINER_UNKNOWN,
                name.path.clone(),
                name.span(),
                format!("the container \"{text}\" does not exist in the task definition (containers: {})", td.container_names().join(", ")),
            );
            continue;
        };
        if let Some(port_field) = container_port {
            if let Some(port) = port_field.node.as_i64() {
                let known = TaskDef::port_mappings(container)
                    .iter()
                    .any(|m| m.container_port == Some(port));
                if !known {
                    sink.report(
                        &SERVICE_REGISTRY_CONTAINER_UNKNOWN,
                        port_field.path.clone(),
                        port_field.span(),
                        format!(
                            "the container \"{text}\" has no port mapping for containerPort {port}"
                        ),
                    );
                }
            }
        }
    }
}
