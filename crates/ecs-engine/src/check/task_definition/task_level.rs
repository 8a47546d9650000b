//! Task-level settings: IPC and network system controls, the App Mesh proxy
//! and ephemeral storage (V-TD-022, V-TD-025, V-TD-028, V-CD-059).

use super::{key_span, name_of, Context};
use crate::check::{Rule, Sink};
use crate::diagnostic::Severity;

/// Ephemeral storage bounds in GiB (000:12585).
pub const EPHEMERAL_STORAGE_GIB: std::ops::RangeInclusive<i64> = 21..=200;

/// Proxy properties App Mesh needs; the `EgressIgnored…` ones may be empty.
const PROXY_PROPERTIES: &[&str] = &[
    "AppPorts",
    "ProxyIngressPort",
    "ProxyEgressPort",
    "EgressIgnoredPorts",
    "EgressIgnoredIPs",
];

pub const IPC_HOST_SYSTEM_CONTROLS: Rule = Rule {
    code: "ipc-host-system-controls",
    severity: Severity::Error,
    summary: "With `ipcMode` host, IPC-namespace system controls (kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.*) are not supported.",
    covers: &["V-TD-022"],
    exception: Some("ClientException"),
};

pub const NETWORK_SYSTEM_CONTROLS_SHARED: Rule = Rule {
    code: "network-system-controls-shared",
    severity: Severity::Warning,
    summary: "In awsvpc or host mode, network system controls set on several containers apply to the whole task: the last container to start wins.",
    covers: &["V-CD-059"],
    exception: None,
};

pub const PROXY_CONFIGURATION_PROPERTIES: Rule = Rule {
    code: "proxy-configuration-properties",
    severity: Severity::Error,
    summary: "An App Mesh proxy configuration lists AppPorts, ProxyIngressPort, ProxyEgressPort, EgressIgnoredPorts, EgressIgnoredIPs and IgnoredUID or IgnoredGID.",
    covers: &["V-TD-025"],
    exception: Some("ClientException"),
};

pub const EPHEMERAL_STORAGE_SIZE: Rule = Rule {
    code: "ephemeral-storage-size",
    severity: Severity::Error,
    summary: "`ephemeralStorage.sizeInGiB` is 21 to 200.",
    covers: &["V-TD-028"],
    exception: Some("ClientException"),
};

fn is_ipc_namespace(key: &str) -> bool {
    [
        "kernel.msgmax",
        "kernel.msgmnb",
        "kernel.msgmni",
        "kernel.sem",
        "kernel.shmall",
        "kernel.shmmax",
        "kernel.shmmni",
        "kernel.shm_rmid_forced",
    ]
    .contains(&key)
        || key.starts_with("fs.mqueue.")
}

pub fn check(context: &Context<'_>, sink: &mut Sink) {
    check_system_controls(context, sink);
    check_proxy(context, sink);
    check_ephemeral_storage(context, sink);
}

fn check_system_controls(context: &Context<'_>, sink: &mut Sink) {
    let ipc_host = context
        .task_field("ipcMode")
        .and_then(|m| m.node.as_str().map(str::to_string))
        == Some("host".to_string());
    let shared_network = matches!(context.network_mode(), Some("awsvpc" | "host"));
    let mut network_setters: Vec<&str> = Vec::new();
    for container in &context.containers {
        let name = name_of(container);
        let mut sets_network = false;
        for control in container.items("systemControls") {
            let Some(namespace) = control.field("namespace") else {
                continue;
            };
            let Some(key) = namespace.node.as_str() else {
                continue;
            };
            if ipc_host && is_ipc_namespace(key) {
                sink.report(
                    &IPC_HOST_SYSTEM_CONTROLS,
                    namespace.path.clone(),
                    namespace.span(),
                    format!("container '{name}': system control {key} is in the IPC namespace, which is not supported when ipcMode is host"),
                );
            }
            if key.starts_with("net.") {
                sets_network = true;
                if shared_network && !network_setters.is_empty() && !network_setters.contains(&name)
                {
                    sink.report(
                        &NETWORK_SYSTEM_CONTROLS_SHARED,
                        namespace.path.clone(),
                        namespace.span(),
                        format!("container '{name}' sets network system control {key}, and so does '{}': in {} mode the containers share one network namespace, and the last container to start decides the value", network_setters.join("', '"), context.network_mode().unwrap_or("")),
                    );
                }
            }
        }
        if sets_network && !network_setters.contains(&name) {
            network_setters.push(name);
        }
    }
}

fn check_proxy(context: &Context<'_>, sink: &mut Sink) {
    let Some(proxy) = context.task_field("proxyConfiguration") else {
        return;
    };
    if proxy.str_field("type").is_some_and(|t| t != "APPMESH") {
        return;
    }
    let properties = proxy.items("properties");
    let names: Vec<&str> = properties
        .iter()
        .filter_map(|p| p.str_field("name"))
        .collect();
    let mut missing: Vec<&str> = PROXY_PROPERTIES
        .iter()
        .copied()
        .filter(|p| !names.contains(p))
        .collect();
    if !names.contains(&"IgnoredUID") && !names.contains(&"IgnoredGID") {
        missing.push("IgnoredUID or IgnoredGID");
    }
    if missing.is_empty() {
        return;
    }
    let target = proxy.field("properties").unwrap_or(proxy.clone());
    sink.report(
        &PROXY_CONFIGURATION_PROPERTIES,
        target.path.clone(),
        key_span(&target),
        format!("proxyConfiguration properties is missing {}: App Mesh needs AppPorts, ProxyIngressPort, ProxyEgressPort, EgressIgnoredPorts and EgressIgnoredIPs (the last two may be empty), and IgnoredUID and/or IgnoredGID", missing.join(", ")),
    );
}

fn check_ephemeral_storage(context: &Context<'_>, sink: &mut Sink) {
    let Some(size) = context
        .task_field("ephemeralStorage")
        .and_then(|e| e.field("sizeInGiB"))
    else {
        return;
    };
    let Some(gib) = size.node.as_i64() else {
        return;
    };
    if EPHEMERAL_STORAGE_GIB.contains(&gib) {
        return;
    }
    let nearest = gib.clamp(*EPHEMERAL_STORAGE_GIB.start(), *EPHEMERAL_STORAGE_GIB.end());
    sink.report(
        &EPHEMERAL_STORAGE_SIZE,
        size.path.clone(),
        size.span(),
        format!("ephemeralStorage sizeInGiB {gib} is out of range: the minimum supported value is 21 GiB and the maximum supported value is 200 GiB"),
    )
    .with_fix(format!("Use {nearest} GiB"), vec![(size.span(), nearest.to_string())]);
}
