//! Container parameters that depend on the task's network mode (V-CD-006,
//! V-CD-009, V-CD-010, V-CD-038, V-CD-043).

use super::{key_span, name_of, Context};
use crate::check::{Rule, Sink};
use crate::diagnostic::Severity;

pub const NETWORK_MODE_UNSUPPORTED_PARAMETER: Rule = Rule {
    code: "network-mode-unsupported-parameter",
    severity: Severity::Error,
    summary: "links need bridge mode; portMappings are not allowed with none; hostname and extraHosts are not supported with awsvpc.",
    covers: &["V-CD-006", "V-CD-009", "V-CD-038", "V-CD-043"],
    exception: Some("ClientException"),
};

pub const HOST_PORT_MISMATCH: Rule = Rule {
    code: "host-port-mismatch",
    severity: Severity::Error,
    summary:
        "With the awsvpc or host network mode, `hostPort` must be omitted or equal `containerPort`.",
    covers: &["V-CD-010"],
    exception: Some("ClientException"),
};

pub fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(mode) = context.network_mode() else {
        return;
    };
    for container in &context.containers {
        let name = name_of(container);
        let mut unsupported = |key: &str, why: &str| {
            if let Some(field) = container.field(key) {
                if field.node.is_array() && field.node.items().is_empty() {
                    return;
                }
                sink.report(
                    &NETWORK_MODE_UNSUPPORTED_PARAMETER,
                    field.path.clone(),
                    key_span(&field),
                    format!("container '{name}': {key} {why} (networkMode is {mode})"),
                );
            }
        };
        if mode != "bridge" {
            unsupported("links", "is only supported when networkMode is bridge");
        }
        if mode == "none" {
            unsupported(
                "portMappings",
                "cannot be specified when networkMode is none",
            );
        }
        if mode == "awsvpc" {
            unsupported("hostname", "is not supported with the awsvpc network mode");
            unsupported(
                "extraHosts",
                "is not supported with the awsvpc network mode",
            );
        }
        if mode == "awsvpc" || mode == "host" {
            check_host_ports(container, name, mode, sink);
        }
    }
}

fn check_host_ports(
    container: &crate::check::Located<'_>,
    name: &str,
    mode: &str,
    sink: &mut Sink,
) {
    for mapping in container.items("portMappings") {
        let (Some(container_port), Some(host_field)) = (
            mapping.int_field("containerPort"),
            mapping.field("hostPort"),
        ) else {
            continue;
        };
        let Some(host_port) = host_field.node.as_i64() else {
            continue;
        };
        if host_port == container_port {
            continue;
        }
        sink.report(
            &HOST_PORT_MISMATCH,
            host_field.path.clone(),
            host_field.span(),
            format!("container '{name}': when networkMode={mode}, the host ports and container ports in port mappings must match (hostPort {host_port}, containerPort {container_port})"),
        )
        .with_fix(
            format!("Use hostPort {container_port}"),
            vec![(host_field.span(), container_port.to_string())],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_container_list_has_no_network_mode_to_judge() {
        let analysis = crate::analyze_task_definition(
            r#"[{"name": "a", "image": "x:1", "memory": 64, "hostname": "a", "links": ["b"],
                 "portMappings": [{"containerPort": 80, "hostPort": 81}]},
                {"name": "b", "image": "x:1", "memory": 64}]"#,
        );
        assert!(analysis
            .diagnostics
            .iter()
            .all(|d| d.code != NETWORK_MODE_UNSUPPORTED_PARAMETER.code
                && d.code != HOST_PORT_MISMATCH.code));
    }
}
