//! Port mappings within a container (V-CD-011, V-CD-013, V-CD-014, V-CD-016).

use std::collections::HashMap;

use super::{key_span, name_of, Context};
use crate::check::{Located, Rule, Sink};
use crate::diagnostic::Severity;

/// Docker's default ephemeral range for dynamic host ports (000:11493).
pub const EPHEMERAL_PORTS: std::ops::RangeInclusive<i64> = 49153..=65535;

/// Port ranges a container may map (002:641).
pub const MAX_PORT_RANGES: usize = 100;

/// The 2022 seed says exposing one container port for two protocols is an
/// error (000:11475); AWS removed that note in 2020 because registration
/// accepts it, while CreateService still answers "Container port 53 is used
/// in more than one port mapping for container" (InvalidParameterException).
/// So it is a warning: the task definition registers, a service cannot use it.
pub const DUPLICATE_CONTAINER_PORT: Rule = Rule {
    code: "duplicate-container-port",
    severity: Severity::Warning,
    summary: "A container port used in more than one port mapping (for example for tcp and udp) registers, but services using the task definition are rejected.",
    covers: &["V-CD-011"],
    exception: Some("InvalidParameterException"),
};

pub const DUPLICATE_HOST_PORT: Rule = Rule {
    code: "duplicate-host-port",
    severity: Severity::Error,
    summary: "A static host port (per protocol) is mapped once per task: two mappings of the same port could never be placed.",
    covers: &[],
    exception: Some("ClientException"),
};

pub const EPHEMERAL_HOST_PORT: Rule = Rule {
    code: "ephemeral-host-port",
    severity: Severity::Warning,
    summary: "A static `hostPort` inside the ephemeral range (49153–65535) can collide with the dynamic ports Docker hands out.",
    covers: &["V-CD-013"],
    exception: None,
};

pub const PORT_MAPPING_NAME_FORMAT: Rule = Rule {
    code: "port-mapping-name-format",
    severity: Severity::Error,
    summary: "A port mapping `name` is up to 64 lowercase letters, digits, underscores and hyphens, not starting with a hyphen.",
    covers: &["V-CD-014"],
    exception: Some("ClientException"),
};

pub const CONTAINER_PORT_RANGE: Rule = Rule {
    code: "container-port-range",
    severity: Severity::Error,
    summary: "`containerPortRange` is `first-last` within 1–65535, first below last, without overlaps, at most 100 per container, only in bridge or awsvpc mode, never with `hostPortRange`.",
    covers: &["V-CD-016"],
    exception: Some("ClientException"),
};

/// ECS's front end accepts a port from 0 (unset: dynamic) to 65535
/// (amazon-ecs-agent#3584: "value > 0 and value <= MAX_PORT_NUMBER, 65535");
/// the model's `BoxedInteger` says nothing of it.
pub const PORT_NUMBER: Rule = Rule {
    code: "port-number",
    severity: Severity::Error,
    summary: "`containerPort` and `hostPort` are port numbers: 0 to 65535.",
    covers: &[],
    exception: Some("ClientException"),
};

pub fn check(context: &Context<'_>, sink: &mut Sink) {
    check_host_ports(context, sink);
    for container in &context.containers {
        let mappings = container.items("portMappings");
        check_duplicates(container, &mappings, sink);
        check_port_ranges(context, container, &mappings, sink);
        for mapping in &mappings {
            check_port_numbers(container, mapping, sink);
            check_name(mapping, sink);
            if context.network_mode() == Some("bridge") {
                check_ephemeral(container, mapping, sink);
            }
        }
    }
}

fn check_duplicates(container: &Located<'_>, mappings: &[Located<'_>], sink: &mut Sink) {
    let mut seen: HashMap<i64, (usize, String)> = HashMap::new();
    for (index, mapping) in mappings.iter().enumerate() {
        let Some(port_field) = mapping.field("containerPort") else {
            continue;
        };
        let Some(port) = port_field.node.as_i64() else {
            continue;
        };
        let protocol = mapping.str_field("protocol").unwrap_or("tcp").to_string();
        match seen.get(&port) {
            Some((first, first_protocol)) => {
                let detail = if *first_protocol == protocol {
                    format!("portMappings[{first}] already maps it for {protocol}")
                } else {
                    format!("portMappings[{first}] maps it for {first_protocol}, this one for {protocol}")
                };
                sink.report(
                    &DUPLICATE_CONTAINER_PORT,
                    port_field.path.clone(),
                    port_field.span(),
                    format!(
                        "Container port {port} is used in more than one port mapping for container {} ({detail}): the task definition registers, but CreateService rejects it",
                        name_of(container)
                    ),
                );
            }
            None => {
                seen.insert(port, (index, protocol));
            }
        }
    }
}

/// Host ports across the whole task: in bridge mode the explicit non-zero
/// `hostPort`s, in host and awsvpc mode every mapping's port.
fn check_host_ports(context: &Context<'_>, sink: &mut Sink) {
    let Some(mode) = context.network_mode() else {
        return;
    };
    let mut seen: HashMap<(i64, String), String> = HashMap::new();
    for container in &context.containers {
        for mapping in container.items("portMappings") {
            let field = match mode {
                "bridge" => mapping.field("hostPort"),
                "host" | "awsvpc" => mapping
                    .field("hostPort")
                    .or_else(|| mapping.field("containerPort")),
                _ => None,
            };
            let Some(field) = field else {
                continue;
            };
            let Some(port) = field.node.as_i64().filter(|p| *p > 0) else {
                continue;
            };
            let protocol = mapping.str_field("protocol").unwrap_or("tcp").to_string();
            let owner = name_of(container).to_string();
            let key = (port, protocol.clone());
            if let Some(first) = seen.get(&key) {
                let upper = protocol.to_ascii_uppercase();
                let also = if *first == owner {
                    "this container".to_string()
                } else {
                    format!("container '{first}'")
                };
                sink.report(
                    &DUPLICATE_HOST_PORT,
                    field.path.clone(),
                    field.span(),
                    format!("{upper} host port '{port}' is mapped multiple times in task: {also} already maps it ({mode} network mode)"),
                );
            } else {
                seen.insert(key, owner);
            }
        }
    }
}

fn check_port_numbers(container: &Located<'_>, mapping: &Located<'_>, sink: &mut Sink) {
    for member in ["containerPort", "hostPort"] {
        let Some(field) = mapping.field(member) else {
            continue;
        };
        match field.node.as_i64() {
            Some(port) if !(0..=65535).contains(&port) => {
                sink.report(
                    &PORT_NUMBER,
                    field.path.clone(),
                    field.span(),
                    format!("Invalid '{member}' setting for container '{}': {port} is not a port number (0 to 65535)", name_of(container)),
                );
            }
            _ => {}
        }
    }
}

fn check_ephemeral(container: &Located<'_>, mapping: &Located<'_>, sink: &mut Sink) {
    let Some(host_field) = mapping.field("hostPort") else {
        return;
    };
    let Some(port) = host_field.node.as_i64() else {
        return;
    };
    if !EPHEMERAL_PORTS.contains(&port) {
        return;
    }
    sink.report(
        &EPHEMERAL_HOST_PORT,
        host_field.path.clone(),
        host_field.span(),
        format!("container '{}': static hostPort {port} is inside the ephemeral port range 49153-65535, which Docker uses for dynamic host ports in bridge network mode; choose a port below 49153, or 0 for a dynamic one", name_of(container)),
    )
    .with_fix("Use a dynamic host port (0)", vec![(host_field.span(), "0".to_string())]);
}

fn is_port_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && !name.starts_with('-')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

fn check_name(mapping: &Located<'_>, sink: &mut Sink) {
    let Some(field) = mapping.field("name") else {
        return;
    };
    let Some(name) = field.node.as_str() else {
        return;
    };
    if is_port_name(name) {
        return;
    }
    let cleaned: String = name
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .skip_while(|&c| c == '-')
        .take(64)
        .collect();
    let finding = sink.report(
        &PORT_MAPPING_NAME_FORMAT,
        field.path.clone(),
        field.span(),
        format!("port mapping name \"{name}\" is invalid: up to 64 characters of lowercase letters, numbers, underscores and hyphens, not starting with a hyphen"),
    );
    if is_port_name(&cleaned) {
        finding.with_fix(
            format!("Rename to \"{cleaned}\""),
            vec![(field.span(), super::json_string(&cleaned))],
        );
    }
}

/// Parses `"8000-8010"` into its bounds.
fn parse_range(text: &str) -> Option<(i64, i64)> {
    let (first, last) = text.split_once('-')?;
    Some((first.trim().parse().ok()?, last.trim().parse().ok()?))
}

fn check_port_ranges(
    context: &Context<'_>,
    container: &Located<'_>,
    mappings: &[Located<'_>],
    sink: &mut Sink,
) {
    let name = name_of(container);
    let mut ranges: Vec<(i64, i64, usize)> = Vec::new();
    let report = |located: &Located<'_>, message: String, sink: &mut Sink| {
        sink.report(
            &CONTAINER_PORT_RANGE,
            located.path.clone(),
            located.span(),
            format!("container '{name}': {message}"),
        );
    };
    for (index, mapping) in mappings.iter().enumerate() {
        if let Some(host_range) = mapping.field("hostPortRange") {
            sink.report(
                &CONTAINER_PORT_RANGE,
                host_range.path.clone(),
                key_span(&host_range),
                format!(
                    "container '{name}': hostPortRange is set by Amazon ECS; do not specify it"
                ),
            );
        }
        let Some(range_field) = mapping.field("containerPortRange") else {
            continue;
        };
        let Some(text) = range_field.node.as_str() else {
            continue;
        };
        if let Some(mode) = context.network_mode() {
            if mode != "bridge" && mode != "awsvpc" {
                report(&range_field, format!("containerPortRange is only supported with the bridge and awsvpc network modes, not {mode}"), sink);
                continue;
            }
        }
        let Some((first, last)) = parse_range(text) else {
            report(&range_field, format!("containerPortRange \"{text}\" is not a range: write it as first-last, like \"8000-8010\""), sink);
            continue;
        };
        if !(1..=65535).contains(&first) || !(1..=65535).contains(&last) {
            report(
                &range_field,
                format!(
                    "containerPortRange \"{text}\" is invalid: valid port numbers are 1 to 65535"
                ),
                sink,
            );
            continue;
        }
        if first >= last {
            report(&range_field, format!("containerPortRange \"{text}\" is invalid: the first port must be less than the last port"), sink);
            continue;
        }
        if let Some((_, _, other)) = ranges.iter().find(|(a, b, _)| first <= *b && *a <= last) {
            report(&range_field, format!("containerPortRange \"{text}\" overlaps the range in portMappings[{other}]; a port can only be included in one port mapping per container"), sink);
            continue;
        }
        if let Some(port) = mappings
            .iter()
            .filter_map(|m| m.int_field("containerPort"))
            .find(|p| (first..=last).contains(p))
        {
            report(&range_field, format!("containerPortRange \"{text}\" includes containerPort {port}, which another mapping already maps; a port can only be included in one port mapping per container"), sink);
            continue;
        }
        ranges.push((first, last, index));
        if ranges.len() == MAX_PORT_RANGES + 1 {
            report(&range_field, format!("more than {MAX_PORT_RANGES} port ranges: a container can map at most {MAX_PORT_RANGES} port ranges"), sink);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_names_and_ranges_parse() {
        assert!(is_port_name("http-80"));
        assert!(!is_port_name("-http"));
        assert!(!is_port_name("HTTP"));
        assert_eq!(parse_range("8000-8010"), Some((8000, 8010)));
        assert_eq!(parse_range("8000"), None);
    }
}
