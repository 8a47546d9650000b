//! Service Connect (seed-checklist §2.14): `serviceConnectConfiguration` of
//! CreateService and UpdateService.

use super::{char_len, check_max_items, Request};
use crate::check::{Located, Rule, Sink};
use crate::diagnostic::Severity;

// D10: the seed's cap reads "up to X (30?)"; no number is documented, so 30
// is used and the rule only warns.
pub const SERVICE_CONNECT_SERVICES_LIMIT: Rule = Rule {
    code: "service-connect-services-limit",
    severity: Severity::Warning,
    summary: "A Service Connect configuration lists a limited number of services (30 assumed).",
    covers: &["V-SC-003"],
    exception: None,
};

pub const SERVICE_CONNECT_PORT_NAME_UNKNOWN: Rule = Rule {
    code: "service-connect-port-name-unknown",
    severity: Severity::Error,
    summary: "`portName` must be the name of a port mapping in the task definition.",
    covers: &["V-SC-005"],
    exception: Some("InvalidParameterException"),
};

pub const DISCOVERY_NAME_FORMAT: Rule = Rule {
    code: "discovery-name-format",
    severity: Severity::Error,
    summary: "`discoveryName` is 1-64 lowercase letters, digits, underscores and hyphens, not starting with a hyphen.",
    covers: &["V-SC-006"],
    exception: Some("InvalidParameterException"),
};

pub const DISCOVERY_NAME_DUPLICATE: Rule = Rule {
    code: "discovery-name-duplicate",
    severity: Severity::Error,
    summary: "Discovery names (defaulting to the port name) are unique within the namespace.",
    covers: &["V-SC-007"],
    exception: Some("InvalidParameterException"),
};

pub const CLIENT_ALIASES_COUNT: Rule = Rule {
    code: "client-aliases-count",
    severity: Severity::Error,
    summary: "Each Service Connect service has exactly one client alias.",
    covers: &["V-SC-008", "V-SC-009"],
    exception: Some("InvalidParameterException"),
};

pub const DNS_NAME_FORMAT: Rule = Rule {
    code: "dns-name-format",
    severity: Severity::Error,
    summary: "`dnsName` is a DNS name of up to 127 lowercase letters, digits, underscores, hyphens and periods, not starting with a hyphen.",
    covers: &["V-SC-011"],
    exception: Some("InvalidParameterException"),
};

pub const CLIENT_ALIAS_DUPLICATE: Rule = Rule {
    code: "client-alias-duplicate",
    severity: Severity::Error,
    summary: "Each client alias name and port pair is unique within the namespace.",
    covers: &["V-SC-012"],
    exception: Some("InvalidParameterException"),
};

pub const PER_REQUEST_TIMEOUT_TCP: Rule = Rule {
    code: "per-request-timeout-tcp",
    severity: Severity::Error,
    summary: "`perRequestTimeoutSeconds` cannot be set for a TCP port mapping (an unset appProtocol is TCP).",
    covers: &["V-SC-014"],
    exception: Some("InvalidParameterException"),
};

pub const MAX_SERVICE_CONNECT_SERVICES: usize = 30;

pub fn check(req: &Request<'_>, sink: &mut Sink) {
    let Some(config) = req.root.field("serviceConnectConfiguration") else {
        return;
    };
    if let Some(list) = config.field("services") {
        check_max_items(
            sink,
            &SERVICE_CONNECT_SERVICES_LIMIT,
            &list,
            MAX_SERVICE_CONNECT_SERVICES,
            |n| {
                format!("{n} Service Connect services: more than the {MAX_SERVICE_CONNECT_SERVICES} the playground assumes a configuration can hold")
            },
        );
    }
    let services = config.items("services");
    let mut discovery_names: Vec<String> = Vec::new();
    let mut aliases: Vec<(String, i64)> = Vec::new();
    for service in &services {
        let port_name = service.str_field("portName");
        // D15: the discovery name defaults to the port name.
        let discovery = service.str_field("discoveryName").or(port_name);
        if let Some(field) = service.field("discoveryName") {
            if let Some(text) = field.node.as_str() {
                check_discovery_name(&field, text, sink);
            }
        }
        if let Some(name) = discovery {
            if discovery_names.iter().any(|n| n == name) {
                let at = service
                    .field("discoveryName")
                    .or_else(|| service.field("portName"));
                if let Some(at) = at {
                    sink.report(&DISCOVERY_NAME_DUPLICATE, at.path.clone(), at.span(), format!("the discovery name \"{name}\" is used twice: discoveryName must be unique within the Cloud Map namespace (it defaults to portName)"));
                }
            } else {
                discovery_names.push(name.to_string());
            }
        }
        check_aliases(service, discovery, &mut aliases, sink);
        check_port_name(req, service, sink);
    }
}

fn check_discovery_name(field: &Located<'_>, text: &str, sink: &mut Sink) {
    let valid = text
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    let len = char_len(text);
    if len == 0 || len > 64 || !valid || text.starts_with('-') {
        let finding = sink.report(
            &DISCOVERY_NAME_FORMAT,
            field.path.clone(),
            field.span(),
            format!("discoveryName \"{text}\" is invalid: up to 64 characters, lowercase letters, numbers, underscores (_), and hyphens (-), and it can't start with a hyphen"),
        );
        let lower = text.to_ascii_lowercase();
        if lower != text
            && lower
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
            && !lower.starts_with('-')
            && len <= 64
        {
            finding.with_fix(
                "Use lowercase",
                vec![(field.span(), super::json_string(&lower))],
            );
        }
    }
}

fn check_aliases(
    service: &Located<'_>,
    discovery: Option<&str>,
    seen: &mut Vec<(String, i64)>,
    sink: &mut Sink,
) {
    let list = service.field("clientAliases");
    let count = list.as_ref().map_or(0, |l| l.node.items().len());
    if count != 1 {
        let message = if count == 0 {
            "each Service Connect service needs at least one clientAlias with one port".to_string()
        } else {
            format!("{count} client aliases: the maximum number of client aliases that you can have in this list is 1")
        };
        match &list {
            Some(list) => sink.report(
                &CLIENT_ALIASES_COUNT,
                list.path.clone(),
                list.key_span.unwrap_or(list.span()),
                message,
            ),
            None => sink.report_missing(&CLIENT_ALIASES_COUNT, service, "clientAliases", message),
        };
    }
    for alias in service.items("clientAliases") {
        let dns = alias.field("dnsName");
        if let Some(field) = &dns {
            if let Some(text) = field.node.as_str() {
                let valid_chars = text
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.-".contains(c));
                let labels_ok = text.split('.').all(|label| !label.is_empty());
                let len = char_len(text);
                if len == 0 || len > 127 || !valid_chars || text.starts_with('-') || !labels_ok {
                    sink.report(
                        &DNS_NAME_FORMAT,
                        field.path.clone(),
                        field.span(),
                        format!("dnsName \"{text}\" is invalid: up to 127 characters, lowercase letters, numbers, underscores, hyphens, and periods, it can't start with a hyphen, and it must be a valid DNS name"),
                    );
                }
            }
        }
        let name = dns.as_ref().and_then(|d| d.node.as_str()).or(discovery);
        let (Some(name), Some(port)) = (name, alias.int_field("port")) else {
            continue;
        };
        if seen.iter().any(|(n, p)| n == name && *p == port) {
            let at = alias.field("port").unwrap_or(alias.clone());
            sink.report(&CLIENT_ALIAS_DUPLICATE, at.path.clone(), at.span(), format!("the client alias {name}:{port} is used twice: each name and port mapping must be unique within the namespace"));
        } else {
            seen.push((name.to_string(), port));
        }
    }
}

fn check_port_name(req: &Request<'_>, service: &Located<'_>, sink: &mut Sink) {
    let Some(td) = req.task_def() else {
        return;
    };
    let Some(field) = service.field("portName") else {
        return;
    };
    let Some(port_name) = field.node.as_str() else {
        return;
    };
    let mappings = td.all_port_mappings();
    let Some(mapping) = mappings.iter().find(|m| m.name == Some(port_name)) else {
        let names: Vec<&str> = mappings.iter().filter_map(|m| m.name).collect();
        let finding = sink.report(
            &SERVICE_CONNECT_PORT_NAME_UNKNOWN,
            field.path.clone(),
            field.span(),
            format!("portName \"{port_name}\" must match the name of one of the portMappings in the task definition (named port mappings: {})", if names.is_empty() { "none".to_string() } else { names.join(", ") }),
        );
        if let [only] = names.as_slice() {
            finding.with_fix(
                format!("Use \"{only}\""),
                vec![(field.span(), super::json_string(only))],
            );
        }
        return;
    };
    let Some(timeout) = service
        .field("timeout")
        .and_then(|t| t.field("perRequestTimeoutSeconds"))
    else {
        return;
    };
    let protocol = mapping.app_protocol.unwrap_or("tcp");
    if protocol.eq_ignore_ascii_case("tcp") {
        sink.report(
            &PER_REQUEST_TIMEOUT_TCP,
            timeout.path.clone(),
            timeout.key_span.unwrap_or(timeout.span()),
            format!("perRequestTimeoutSeconds can't be set because the port mapping \"{port_name}\" uses TCP{}: only idleTimeoutSeconds is allowed for TCP; set appProtocol http, http2 or grpc to use it", if mapping.app_protocol.is_none() { " (appProtocol is unset)" } else { "" }),
        );
    }
}
