//! awsvpc network configuration (seed-checklist §2.5).

use super::{check_max_items, Operation, Request};
use crate::check::{Rule, Sink};
use crate::diagnostic::Severity;

pub const NETWORK_CONFIGURATION_REQUIRED: Rule = Rule {
    code: "network-configuration-required",
    severity: Severity::Error,
    summary: "A task definition with the awsvpc network mode needs a `networkConfiguration`.",
    covers: &["V-NET-001", "V-RUN-005"],
    exception: Some("InvalidParameterException"),
};

pub const NETWORK_CONFIGURATION_NOT_SUPPORTED: Rule = Rule {
    code: "network-configuration-not-supported",
    severity: Severity::Error,
    summary: "`networkConfiguration` is only for task definitions with the awsvpc network mode.",
    covers: &["V-NET-002", "V-RUN-005"],
    exception: Some("InvalidParameterException"),
};

// D2 (RunTask's assignPublicIp default, DISABLED vs ENABLED) changes no
// validation: any value of the enum is accepted, and the simulator uses DISABLED.

pub const SUBNETS_LIMIT: Rule = Rule {
    code: "subnets-limit",
    severity: Severity::Error,
    summary: "`awsvpcConfiguration.subnets` holds 1 to 16 subnets.",
    covers: &["V-NET-004"],
    exception: Some("InvalidParameterException"),
};

pub const SECURITY_GROUPS_LIMIT: Rule = Rule {
    code: "security-groups-limit",
    severity: Severity::Error,
    summary: "`awsvpcConfiguration.securityGroups` holds at most 5 security groups.",
    covers: &["V-NET-005"],
    exception: Some("InvalidParameterException"),
};

pub fn check(req: &Request<'_>, sink: &mut Sink) {
    let config = req.root.field("networkConfiguration");
    if let Some(awsvpc) = config.as_ref().and_then(|c| c.field("awsvpcConfiguration")) {
        if let Some(subnets) = awsvpc.field("subnets") {
            if subnets.node.is_array() && subnets.node.items().is_empty() {
                sink.report(
                    &SUBNETS_LIMIT,
                    subnets.path.clone(),
                    subnets.span(),
                    "subnets is empty: specify at least one subnet (up to 16)",
                );
            }
            check_max_items(sink, &SUBNETS_LIMIT, &subnets, 16, |n| {
                format!("{n} subnets: there's a limit of 16 subnets that can be specified per awsvpcConfiguration")
            });
        }
        if let Some(groups) = awsvpc.field("securityGroups") {
            check_max_items(sink, &SECURITY_GROUPS_LIMIT, &groups, 5, |n| {
                format!("{n} security groups: there's a limit of 5 security groups that can be specified per awsvpcConfiguration")
            });
        }
    }
    let Some(td) = req.task_def() else {
        return;
    };
    match (&config, td.is_awsvpc()) {
        (Some(config), false) => {
            sink.report(
                &NETWORK_CONFIGURATION_NOT_SUPPORTED,
                config.path.clone(),
                config.key_span.unwrap_or(config.span()),
                format!("Network Configuration is not valid for the given networkMode of this task definition: {} uses the {} network mode, and networkConfiguration is only supported for awsvpc", td.family(), td.network_mode()),
            );
        }
        // UpdateService keeps the service's network configuration when it is omitted.
        // EXTERNAL services take their network configuration per task set.
        (None, true)
            if !req.is(Operation::UpdateService) && req.deployment_controller() != "EXTERNAL" =>
        {
            sink.report_missing(
                &NETWORK_CONFIGURATION_REQUIRED,
                &req.root,
                "networkConfiguration",
                format!("Network Configuration must be provided when networkMode 'awsvpc' is specified: {} uses awsvpc, so give networkConfiguration.awsvpcConfiguration with subnets", td.family()),
            );
        }
        _ => {}
    }
}
