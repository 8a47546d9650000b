//! Capacity-provider strategies (seed-checklist §2.4), in RunTask,
//! CreateService, UpdateService, CreateCluster and PutClusterCapacityProviders.

use super::{check_max_items, Operation, Request};
use crate::check::{Located, Rule, Sink};
use crate::diagnostic::Severity;

pub const STRATEGY_TOO_MANY_PROVIDERS: Rule = Rule {
    code: "strategy-too-many-providers",
    severity: Severity::Error,
    summary: "A capacity provider strategy contains at most 20 capacity providers.",
    covers: &["V-CP-002"],
    exception: Some("InvalidParameterException"),
};

pub const STRATEGY_WEIGHTS_ALL_ZERO: Rule = Rule {
    code: "strategy-weights-all-zero",
    severity: Severity::Error,
    summary: "A strategy of more than one capacity provider needs a weight greater than zero.",
    covers: &["V-CP-004"],
    exception: Some("InvalidParameterException"),
};

pub const STRATEGY_MULTIPLE_BASE: Rule = Rule {
    code: "strategy-multiple-base",
    severity: Severity::Error,
    summary: "Only one capacity provider in a strategy can have a base defined.",
    covers: &["V-CP-005"],
    exception: Some("InvalidParameterException"),
};

pub const STRATEGY_DUPLICATE_PROVIDER: Rule = Rule {
    code: "strategy-duplicate-provider",
    severity: Severity::Error,
    summary: "A capacity provider appears at most once in a strategy.",
    covers: &[],
    exception: Some("InvalidParameterException"),
};

pub const STRATEGY_PROVIDER_NOT_ASSOCIATED: Rule = Rule {
    code: "strategy-provider-not-associated",
    severity: Severity::Error,
    summary: "Every capacity provider in a strategy must be associated with the cluster and be ACTIVE or UPDATING.",
    covers: &["V-CP-006"],
    exception: Some("InvalidParameterException"),
};

pub const STRATEGY_PROVIDER_NOT_IN_LIST: Rule = Rule {
    code: "default-strategy-provider-not-in-list",
    severity: Severity::Error,
    summary: "A default strategy may only name capacity providers in the request's `capacityProviders` list.",
    covers: &["V-CL-006", "V-CP-014"],
    exception: Some("InvalidParameterException"),
};

pub const LAUNCH_TYPE_WITH_STRATEGY: Rule = Rule {
    code: "launch-type-with-strategy",
    severity: Severity::Error,
    summary: "`launchType` and `capacityProviderStrategy` are mutually exclusive.",
    covers: &["V-CP-008"],
    exception: Some("InvalidParameterException"),
};

pub const FARGATE_SPOT_LAUNCH_TYPE: Rule = Rule {
    code: "fargate-spot-launch-type",
    severity: Severity::Error,
    summary: "Fargate Spot is used through a FARGATE_SPOT capacity provider, not a launch type.",
    covers: &["V-CP-009"],
    exception: Some("InvalidParameterException"),
};

pub const FARGATE_SPOT_PLATFORM: Rule = Rule {
    code: "fargate-spot-platform",
    severity: Severity::Error,
    summary:
        "FARGATE_SPOT runs Linux only: X86_64 on platform 1.3.0 or later, ARM64 on 1.4.0 or later.",
    covers: &["V-CP-010"],
    exception: Some("InvalidParameterException"),
};

pub const CAPACITY_PROVIDER_IN_USE: Rule = Rule {
    code: "capacity-provider-in-use",
    severity: Severity::Error,
    summary: "PutClusterCapacityProviders replaces the list; a provider left out cannot be removed while tasks use it.",
    covers: &["V-CP-013"],
    // The model lists ResourceInUseException for PutClusterCapacityProviders.
    exception: Some("ResourceInUseException"),
};

pub const STRATEGY_CANNOT_REVERT_TO_DEFAULT: Rule = Rule {
    code: "strategy-cannot-revert-to-default",
    severity: Severity::Error,
    summary: "A service with its own capacity provider strategy cannot be switched back to the cluster default.",
    covers: &["V-CP-015"],
    exception: Some("ClientException"),
};

/// D1: the seeds say 6 (2022) and 20 (RunTask, 002); the API model now
/// documents 20 for every operation, so 20 applies everywhere.
pub const MAX_STRATEGY_ITEMS: usize = 20;

/// Strategy rules for RunTask, CreateService and UpdateService.
pub fn check_request_strategy(req: &Request<'_>, sink: &mut Sink) {
    let strategy = req.root.field("capacityProviderStrategy");
    if let Some(list) = &strategy {
        check_strategy(list, sink);
        check_associated(req, list, sink);
        check_fargate_spot_platform(req, list, sink);
        if let Some(launch_type) = req.root.field("launchType") {
            if !list.node.items().is_empty() {
                sink.report(
                    &LAUNCH_TYPE_WITH_STRATEGY,
                    launch_type.path.clone(),
                    launch_type.key_span.unwrap_or(launch_type.span()),
                    "launchType and capacityProviderStrategy are mutually exclusive: if a capacityProviderStrategy is specified, the launchType parameter must be omitted",
                );
            }
        }
        if req.is(Operation::UpdateService) && list.node.is_array() && list.node.items().is_empty()
        {
            if let Some(service) = req.existing_service() {
                if !service.capacity_provider_strategy.is_empty() {
                    sink.report(
                        &STRATEGY_CANNOT_REVERT_TO_DEFAULT,
                        list.path.clone(),
                        list.span(),
                        format!("service \"{}\" uses a capacity provider strategy that's not the cluster default ({}): it can't be updated to use the cluster's default capacity provider strategy", service.name, service.capacity_provider_strategy.join(", ")),
                    );
                }
            }
        }
    }
    if let Some(launch_type) = req.root.field("launchType") {
        if launch_type.node.as_str() == Some("FARGATE_SPOT") {
            let start = launch_type
                .key_span
                .map_or(launch_type.span().start, |k| k.start);
            let member = crate::text::Span::new(start as usize, launch_type.span().end as usize);
            let finding = sink.report(
                &FARGATE_SPOT_LAUNCH_TYPE,
                launch_type.path.clone(),
                launch_type.span(),
                "FARGATE_SPOT is not a launch type (EC2, FARGATE or EXTERNAL): use a capacityProviderStrategy with the FARGATE_SPOT capacity provider",
            );
            if strategy.is_none() {
                finding.with_fix(
                    "Use a FARGATE_SPOT capacity provider strategy",
                    vec![(member, r#""capacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1}]"#.to_string())],
                );
            }
        }
    }
}

/// Default-strategy rules for CreateCluster and PutClusterCapacityProviders.
/// D11: PutClusterCapacityProviders' `cluster` is treated as required, as the
/// model says; the shape check reports it missing.
pub fn check_cluster_strategy(req: &Request<'_>, sink: &mut Sink) {
    let new_list: Vec<&str> = req
        .root
        .items("capacityProviders")
        .iter()
        .filter_map(|p| p.node.as_str())
        .collect();
    if let Some(list) = req.root.field("defaultCapacityProviderStrategy") {
        check_strategy(&list, sink);
        for item in list
            .node
            .items()
            .iter()
            .enumerate()
            .map(|(i, node)| item_at(&list, i, node))
        {
            let Some(provider) = item.field("capacityProvider") else {
                continue;
            };
            let Some(name) = provider.node.as_str() else {
                continue;
            };
            if !new_list.contains(&name) {
                sink.report(
                    &STRATEGY_PROVIDER_NOT_IN_LIST,
                    provider.path.clone(),
                    provider.span(),
                    format!("the capacity provider \"{name}\" is not in capacityProviders: a capacity provider must be associated with the cluster before it can be included in the default capacity provider strategy"),
                );
            }
        }
    }
    if req.is(Operation::PutClusterCapacityProviders)
        && req.root.field("capacityProviders").is_some()
    {
        let Some(cluster) = req.cluster() else {
            return;
        };
        for removed in cluster
            .capacity_providers()
            .into_iter()
            .filter(|p| !new_list.contains(p))
        {
            let users = cluster.live_tasks_using(removed);
            if users > 0 {
                let list = req.root.field("capacityProviders");
                let span = list
                    .as_ref()
                    .and_then(|l| l.key_span)
                    .unwrap_or(req.root.span());
                sink.report(
                    &CAPACITY_PROVIDER_IN_USE,
                    req.root.path.key("capacityProviders"),
                    span,
                    format!("the capacity provider \"{removed}\" is left out and would be disassociated, but {users} task(s) still use it: a capacity provider can only be disassociated when no existing tasks use it"),
                );
            }
        }
    }
}

fn item_at<'a>(list: &Located<'a>, i: usize, node: &'a crate::json::Node) -> Located<'a> {
    Located {
        node,
        path: list.path.index(i),
        key_span: None,
    }
}

/// Rules every strategy obeys, whatever the operation.
fn check_strategy(list: &Located<'_>, sink: &mut Sink) {
    check_max_items(
        sink,
        &STRATEGY_TOO_MANY_PROVIDERS,
        list,
        MAX_STRATEGY_ITEMS,
        |n| {
            format!("the strategy has {n} capacity providers: a capacity provider strategy can contain a maximum of {MAX_STRATEGY_ITEMS} capacity providers")
        },
    );
    let items: Vec<Located<'_>> = list
        .node
        .items()
        .iter()
        .enumerate()
        .map(|(i, node)| item_at(list, i, node))
        .collect();
    if items.len() > 1
        && items
            .iter()
            .all(|i| i.int_field("weight").unwrap_or(0) == 0)
    {
        let finding = sink.report(
            &STRATEGY_WEIGHTS_ALL_ZERO,
            list.path.clone(),
            list.key_span.unwrap_or(list.span()),
            "every capacity provider in the strategy has weight 0: with more than one capacity provider, at least one must have a weight greater than zero, or tasks using the strategy fail to place",
        );
        if let Some(weight) = items.first().and_then(|item| item.field("weight")) {
            finding.with_fix(
                "Give the first capacity provider weight 1",
                vec![(weight.span(), "1".to_string())],
            );
        }
    }
    // D19: the base defaults to 0, so only a base above 0 counts as defined;
    // exports that write `"base": 0` on every item stay valid.
    let with_base: Vec<&Located<'_>> = items
        .iter()
        .filter(|i| i.int_field("base").unwrap_or(0) > 0)
        .collect();
    for extra in with_base.iter().skip(1) {
        if let Some(base) = extra.field("base") {
            sink.report(
                &STRATEGY_MULTIPLE_BASE,
                base.path.clone(),
                base.span(),
                "only one capacity provider in a capacity provider strategy can have a base defined",
            )
            .with_fix("Set this base to 0", vec![(base.span(), "0".to_string())]);
        }
    }
    let mut seen: Vec<&str> = Vec::new();
    for item in &items {
        let Some(provider) = item.field("capacityProvider") else {
            continue;
        };
        let Some(name) = provider.node.as_str() else {
            continue;
        };
        if seen.contains(&name) {
            sink.report(
                &STRATEGY_DUPLICATE_PROVIDER,
                provider.path.clone(),
                provider.span(),
                format!("the capacity provider \"{name}\" appears more than once in the strategy"),
            );
        }
        seen.push(name);
    }
}

fn check_associated(req: &Request<'_>, list: &Located<'_>, sink: &mut Sink) {
    let Some(cluster) = req.cluster() else {
        return;
    };
    for (i, node) in list.node.items().iter().enumerate() {
        let item = item_at(list, i, node);
        let Some(provider) = item.field("capacityProvider") else {
            continue;
        };
        let Some(name) = provider.node.as_str() else {
            continue;
        };
        let problem = if !cluster.capacity_providers().contains(&name) {
            format!("the capacity provider \"{name}\" is not associated with the cluster \"{}\": add it with PutClusterCapacityProviders first", cluster.name)
        } else {
            match req.account.capacity_provider(name).flatten() {
                Some(p) if !["ACTIVE", "UPDATING", ""].contains(&p.status) => {
                    format!("the capacity provider \"{name}\" is {}: only capacity providers with an ACTIVE or UPDATING status can be used", p.status)
                }
                _ => continue,
            }
        };
        sink.report(
            &STRATEGY_PROVIDER_NOT_ASSOCIATED,
            provider.path.clone(),
            provider.span(),
            problem,
        );
    }
}

/// Compares dotted versions such as `1.3.0`; `None` for LATEST or anything unreadable.
fn version_below(version: &str, minimum: [u32; 3]) -> Option<bool> {
    let parts: Vec<u32> = version
        .split('.')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let mut padded = [0u32; 3];
    for (slot, part) in padded.iter_mut().zip(parts) {
        *slot = part;
    }
    Some(padded < minimum)
}

fn check_fargate_spot_platform(req: &Request<'_>, list: &Located<'_>, sink: &mut Sink) {
    let spot = list.node.items().iter().enumerate().find(|(_, item)| {
        item.get("capacityProvider").and_then(|p| p.as_str()) == Some("FARGATE_SPOT")
    });
    let Some((i, _)) = spot else {
        return;
    };
    let at = list.path.index(i).key("capacityProvider");
    let span = list
        .node
        .items()
        .get(i)
        .and_then(|item| item.get("capacityProvider"))
        .map_or(list.span(), |n| n.span);
    if let Some(td) = req.task_def() {
        if let Some(os) = td.operating_system_family().filter(|os| *os != "LINUX") {
            sink.report(
                &FARGATE_SPOT_PLATFORM,
                at,
                span,
                format!(
                    "FARGATE_SPOT supports Linux tasks only, but {} runs on {os}",
                    td.family()
                ),
            );
            return;
        }
    }
    let Some(version) = req.root.str_field("platformVersion") else {
        return;
    };
    let arm = req.task_def().and_then(|td| td.cpu_architecture()) == Some("ARM64");
    let minimum = if arm { [1, 4, 0] } else { [1, 3, 0] };
    if version_below(version, minimum) == Some(true) {
        let arch = if arm { "ARM64" } else { "X86_64" };
        let needed = if arm { "1.4.0" } else { "1.3.0" };
        if let Some(field) = req.root.field("platformVersion") {
            sink.report(
                &FARGATE_SPOT_PLATFORM,
                field.path.clone(),
                field.span(),
                format!("FARGATE_SPOT with the {arch} architecture needs platform version {needed} or later, not {version}"),
            )
            .with_fix(format!("Use {needed}"), vec![(field.span(), super::json_string(needed))]);
        }
    }
}
