//! Clusters (seed-checklist §2.3): names, settings, execute-command logging,
//! capacity-provider associations, Service Connect defaults and existence.

use super::account::{short_name, FARGATE_PROVIDERS};
use super::{char_len, json_string, Operation, Request};
use crate::check::{Rule, Sink};
use crate::diagnostic::Severity;

pub const CLUSTER_NOT_FOUND: Rule = Rule {
    code: "cluster-not-found",
    severity: Severity::Error,
    summary: "The cluster a request names (`default` when omitted) must exist.",
    covers: &["V-CL-015"],
    exception: Some("ClusterNotFoundException"),
};

pub const CLUSTER_NAME_FORMAT: Rule = Rule {
    code: "cluster-name-format",
    severity: Severity::Error,
    summary: "`clusterName` is 1-255 letters, digits, hyphens and underscores.",
    covers: &["V-CL-001"],
    exception: Some("InvalidParameterException"),
};

pub const CLUSTER_SETTING_VALUE: Rule = Rule {
    code: "cluster-setting-value",
    severity: Severity::Error,
    summary: "The `containerInsights` setting is `enabled`, `disabled` or `enhanced`.",
    covers: &["V-CL-003"],
    exception: Some("InvalidParameterException"),
};

pub const EXECUTE_COMMAND_LOG_CONFIGURATION: Rule = Rule {
    code: "execute-command-log-configuration-required",
    severity: Severity::Error,
    summary: "Execute-command `logging` OVERRIDE needs a `logConfiguration`.",
    covers: &["V-CL-005"],
    exception: Some("InvalidParameterException"),
};

pub const CAPACITY_PROVIDER_UNAVAILABLE: Rule = Rule {
    code: "capacity-provider-unavailable",
    severity: Severity::Error,
    summary: "A cluster's capacity providers are FARGATE, FARGATE_SPOT or existing Auto Scaling group providers not associated with another cluster.",
    covers: &["V-CL-007", "V-CP-007"],
    exception: Some("InvalidParameterException"),
};

pub const SERVICE_CONNECT_NAMESPACE_FORMAT: Rule = Rule {
    code: "service-connect-namespace-format",
    severity: Severity::Error,
    summary: "A Service Connect default namespace is at most 1024 characters; a name (not an ARN) has no `-`, `~`, `>`, `<` or `/`.",
    covers: &["V-CL-009"],
    exception: Some("InvalidParameterException"),
};

pub const CLUSTER_HAS_INSTANCES: Rule = Rule {
    code: "cluster-has-instances",
    severity: Severity::Error,
    summary: "A cluster with registered container instances cannot be deleted.",
    covers: &["V-CL-014"],
    // The model names a specific exception; §0 would suggest ClientException.
    exception: Some("ClusterContainsContainerInstancesException"),
};

/// Reports an unknown cluster when the context knows every cluster.
pub fn check_exists(req: &Request<'_>, sink: &mut Sink) {
    let requested = req.root.str_field("cluster");
    if !req.cluster_is_missing() {
        return;
    }
    let name = short_name(requested.unwrap_or("default"));
    let message = format!("Cluster not found: no cluster named \"{name}\" exists");
    match req.root.field("cluster") {
        Some(field) => {
            sink.report(
                &CLUSTER_NOT_FOUND,
                field.path.clone(),
                field.span(),
                message,
            );
        }
        None => {
            sink.report_missing(
                &CLUSTER_NOT_FOUND,
                &req.root,
                "cluster",
                format!("{message} (a request without cluster uses the default cluster)"),
            );
        }
    }
}

pub fn check(req: &Request<'_>, sink: &mut Sink) {
    if req.is(Operation::CreateCluster) {
        check_name(req, sink);
    }
    for setting in req.root.items("settings") {
        let (Some("containerInsights"), Some(value)) =
            (setting.str_field("name"), setting.field("value"))
        else {
            continue;
        };
        let Some(text) = value.node.as_str() else {
            continue;
        };
        // The seed lists enabled and disabled; AWS has since added enhanced
        // (the model's ClusterSetting documentation), so all three pass.
        if !["enabled", "disabled", "enhanced"].contains(&text) {
            let finding = sink.report(
                &CLUSTER_SETTING_VALUE,
                value.path.clone(),
                value.span(),
                format!("\"{text}\" is not a valid containerInsights value: use enabled, disabled or enhanced"),
            );
            let lower = text.to_ascii_lowercase();
            if ["enabled", "disabled", "enhanced"].contains(&lower.as_str()) {
                finding.with_fix(
                    format!("Use \"{lower}\""),
                    vec![(value.span(), json_string(&lower))],
                );
            }
        }
    }
    if let Some(exec) = req
        .root
        .field("configuration")
        .and_then(|c| c.field("executeCommandConfiguration"))
    {
        if exec.str_field("logging") == Some("OVERRIDE") && exec.field("logConfiguration").is_none()
        {
            sink.report_missing(
                &EXECUTE_COMMAND_LOG_CONFIGURATION,
                &exec,
                "logConfiguration",
                "logging is OVERRIDE, so a logConfiguration is required",
            );
        }
    }
    if let Some(namespace) = req
        .root
        .field("serviceConnectDefaults")
        .and_then(|d| d.field("namespace"))
    {
        if let Some(text) = namespace.node.as_str() {
            let len = char_len(text);
            // D18: ARNs contain `/` and `-`, so the character rule applies to names only.
            let bad = if text.starts_with("arn:") {
                None
            } else {
                text.chars().find(|c| "-~></".contains(*c))
            };
            if len > 1024 || len == 0 || bad.is_some() {
                let why = match bad {
                    Some(c) => format!("a namespace name can't include '{c}' (no hyphens, tildes, greater than, less than, or slashes)"),
                    None => format!("it is {len} characters; the name can include up to 1024 characters"),
                };
                sink.report(
                    &SERVICE_CONNECT_NAMESPACE_FORMAT,
                    namespace.path.clone(),
                    namespace.span(),
                    format!("invalid Service Connect namespace: {why}"),
                );
            }
        }
    }
    check_providers_available(req, sink);
}

fn check_name(req: &Request<'_>, sink: &mut Sink) {
    if let Some(field) = req.root.field("clusterName") {
        crate::check::check_simple_name(&field, "clusterName", &CLUSTER_NAME_FORMAT, sink);
    }
}

fn check_providers_available(req: &Request<'_>, sink: &mut Sink) {
    let this_cluster = match req.operation {
        Operation::CreateCluster => req.root.str_field("clusterName").unwrap_or("default"),
        _ => short_name(req.root.str_field("cluster").unwrap_or("default")),
    };
    for item in req.root.items("capacityProviders") {
        let Some(name) = item.node.as_str() else {
            continue;
        };
        if FARGATE_PROVIDERS.contains(&name) {
            continue;
        }
        let problem = match req.account.capacity_provider(name) {
            None => continue, // Capacity providers are not known.
            Some(None) => format!("the capacity provider \"{name}\" does not exist: create it with CreateCapacityProvider first, or use FARGATE or FARGATE_SPOT"),
            Some(Some(p)) => match p.cluster {
                Some(other) if other != this_cluster => format!("the capacity provider \"{name}\" is already associated with the cluster \"{other}\": an Auto Scaling group capacity provider can be associated with one cluster only"),
                _ => continue,
            },
        };
        sink.report(
            &CAPACITY_PROVIDER_UNAVAILABLE,
            item.path.clone(),
            item.span(),
            problem,
        );
    }
}

pub fn check_delete(req: &Request<'_>, sink: &mut Sink) {
    let Some(cluster) = req.cluster() else {
        return;
    };
    let count = cluster.registered_container_instances();
    if count > 0 {
        let span = req
            .root
            .field("cluster")
            .map_or(req.root.span(), |c| c.span());
        sink.report(
            &CLUSTER_HAS_INSTANCES,
            req.root.path.key("cluster"),
            span,
            format!("You can't delete a cluster that has registered container instances: {count} container instance(s) are still registered to \"{}\"; first, deregister the container instances (DeregisterContainerInstance)", cluster.name),
        );
    }
}
