//! Docker Compose: a Compose file's services as one task definition, each
//! service a container, every value keeping its place in the Compose text.
//! The mapping is documented field by field in docs/compose.md; a field with
//! no ECS meaning gets one note (`compose-no-ecs-equivalent`) where it is
//! written, and nothing is silently dropped.
//!
//! `env_file` names files the caller reads (the engine reads no files):
//! their variables become `environment` entries located at the `env_file` entry.

use crate::check::Rule;
use crate::diagnostic::{Finding, Severity};
use crate::json::{JsonPath, Member, Node, NodeKind};
use crate::text::Span;

pub const COMPOSE_NO_ECS_EQUIVALENT: Rule = Rule {
    code: "compose-no-ecs-equivalent",
    severity: Severity::Info,
    summary: "A Compose field with no ECS meaning is left out of the task definition.",
    covers: &[],
    exception: None,
};

pub const COMPOSE_ENV_FILE_UNREAD: Rule = Rule {
    code: "compose-env-file-unread",
    severity: Severity::Warning,
    summary: "An env_file that could not be read contributes no environment variables.",
    covers: &[],
    exception: None,
};

/// Whether a document is a Compose file: a top-level `services` map whose
/// entries are maps with an `image` or a `build`.
pub fn is_compose(root: &Node) -> bool {
    let Some(services) = root.get("services").filter(|s| s.is_object()) else {
        return false;
    };
    !services.members().is_empty()
        && services
            .members()
            .iter()
            .all(|m| m.value.get("image").is_some() || m.value.get("build").is_some())
}

/// The task definition a Compose document describes, and the notes on what did not map.
pub struct Converted {
    pub node: Node,
    pub findings: Vec<Finding>,
}

/// Converts a Compose document (`is_compose`) into register-task-definition
/// input. `file_text` returns the text of an `env_file`, if the caller has it.
pub fn to_task_definition(root: &Node, file_text: &dyn Fn(&str) -> Option<String>) -> Converted {
    let mut c = Converter {
        findings: Vec::new(),
        volumes: Vec::new(),
        file_text,
    };
    let mut task: Vec<Member> = Vec::new();
    let family = root
        .member("name")
        .map(|m| string_node(m.value.span, m.value.as_str().unwrap_or("compose")))
        .unwrap_or_else(|| string_node(Span::new(0, 0), "compose"));
    task.push(member("family", family.span, family));
    let mut containers = Vec::new();
    for top in root.members() {
        match top.key.as_str() {
            "services" => {
                for service in top.value.members() {
                    let path = JsonPath::root().key("services").key(&service.key);
                    containers.push(c.container(service, &path));
                }
            }
            "name" | "volumes" => {}
            "version" => c.note(
                JsonPath::root().key("version"),
                top.key_span,
                "version is obsolete in Compose and has no ECS meaning",
            ),
            other => c.note(
                JsonPath::root().key(other),
                top.key_span,
                &format!("top-level {other} has no ECS meaning in a task definition"),
            ),
        }
    }
    let containers_span = root.member("services").map_or(root.span, |m| m.key_span);
    task.push(member(
        "containerDefinitions",
        containers_span,
        Node {
            span: containers_span,
            kind: NodeKind::Array(containers),
        },
    ));
    if !c.volumes.is_empty() {
        let span = c.volumes.first().map_or(root.span, |v| v.span);
        task.push(member(
            "volumes",
            span,
            Node {
                span,
                kind: NodeKind::Array(std::mem::take(&mut c.volumes)),
            },
        ));
    }
    Converted {
        node: Node {
            span: root.span,
            kind: NodeKind::Object(task),
        },
        findings: c.findings,
    }
}

struct Converter<'a> {
    findings: Vec<Finding>,
    /// The task's volumes, one per named volume or bind mount, in order of first use.
    volumes: Vec<Node>,
    file_text: &'a dyn Fn(&str) -> Option<String>,
}

impl Converter<'_> {
    fn note(&mut self, path: JsonPath, span: Span, message: &str) {
        self.findings.push(finding(
            &COMPOSE_NO_ECS_EQUIVALENT,
            path,
            span,
            message.to_string(),
        ));
    }

    fn container(&mut self, service: &Member, path: &JsonPath) -> Node {
        let mut out = vec![member(
            "name",
            service.key_span,
            string_node(service.key_span, &service.key),
        )];
        let mut environment: Vec<Node> = Vec::new();
        let mut linux_parameters: Vec<Member> = Vec::new();
        for field in service.value.members() {
            let (key, key_span, value) = (field.key.as_str(), field.key_span, &field.value);
            let at = path.key(key);
            let named = |api: &str, node: Node| member(api, key_span, node);
            match key {
                "image" | "hostname" | "user" => out.push(named(
                    match key {
                        "image" => "image",
                        "hostname" => "hostname",
                        _ => "user",
                    },
                    value.clone(),
                )),
                "working_dir" => out.push(named("workingDirectory", value.clone())),
                "privileged" => out.push(named("privileged", value.clone())),
                "read_only" => out.push(named("readonlyRootFilesystem", value.clone())),
                "tty" => out.push(named("pseudoTerminal", value.clone())),
                "stdin_open" => out.push(named("interactive", value.clone())),
                "labels" => out.push(named("dockerLabels", key_values_object(value))),
                "dns" => out.push(named("dnsServers", string_list(value))),
                "dns_search" => out.push(named("dnsSearchDomains", string_list(value))),
                "command" | "entrypoint" => out.push(named(
                    if key == "command" { "command" } else { "entryPoint" },
                    words(value),
                )),
                "environment" => environment.extend(key_value_list(value)),
                "env_file" => {
                    for entry in string_items(value) {
                        let (name, span) = entry;
                        match (self.file_text)(&name) {
                            Some(text) => environment.extend(env_file_variables(&text, span)),
                            None => self.findings.push(finding(
                                &COMPOSE_ENV_FILE_UNREAD,
                                at.clone(),
                                span,
                                format!("env_file {name} could not be read: its variables are not in the task definition"),
                            )),
                        }
                    }
                }
                "ports" => out.push(named("portMappings", self.ports(value))),
                "healthcheck" => {
                    if let Some(check) = self.healthcheck(value, &at) {
                        out.push(named("healthCheck", check));
                    }
                }
                "depends_on" => out.push(named("dependsOn", depends_on(value))),
                "deploy" => self.deploy(value, &at, &mut out),
                "volumes" => out.push(named("mountPoints", self.mounts(value))),
                "logging" => {
                    let mut log = Vec::new();
                    for m in value.members() {
                        match m.key.as_str() {
                            "driver" => log.push(member("logDriver", m.key_span, m.value.clone())),
                            "options" => log.push(member("options", m.key_span, key_values_object(&m.value))),
                            other => self.note(at.key(other), m.key_span, &format!("logging.{other} has no ECS meaning")),
                        }
                    }
                    out.push(named("logConfiguration", object(value.span, log)));
                }
                "ulimits" => out.push(named("ulimits", ulimits(value))),
                "extra_hosts" => out.push(named("extraHosts", extra_hosts(value))),
                "stop_grace_period" => match duration_seconds(value) {
                    Some(seconds) => out.push(named("stopTimeout", number_node(value.span, seconds))),
                    None => self.note(at, key_span, "stop_grace_period is not a duration ECS can read"),
                },
                "cap_add" | "cap_drop" => {
                    let api = if key == "cap_add" { "add" } else { "drop" };
                    let capabilities = match linux_parameters.iter_mut().find(|m| m.key == "capabilities") {
                        Some(existing) => existing,
                        None => {
                            linux_parameters.push(member("capabilities", key_span, object(key_span, Vec::new())));
                            let last = linux_parameters.len() - 1;
                            match linux_parameters.get_mut(last) {
                                Some(m) => m,
                                None => continue,
                            }
                        }
                    };
                    if let NodeKind::Object(members) = &mut capabilities.value.kind {
                        members.push(member(api, key_span, string_list(value)));
                    }
                }
                "init" => linux_parameters.push(member("initProcessEnabled", key_span, value.clone())),
                "shm_size" => match bytes_to_mib(value) {
                    Some(mib) => linux_parameters.push(member("sharedMemorySize", key_span, number_node(value.span, mib))),
                    None => self.note(at, key_span, "shm_size is not a size ECS can read"),
                },
                "build" => self.note(at, key_span, "build has no ECS meaning: ECS runs an image from a registry, so build and push it, and set image"),
                "container_name" => self.note(at, key_span, "container_name has no ECS meaning: the container is named after the Compose service"),
                "restart" => self.note(at, key_span, "restart has no ECS meaning: a service's scheduler replaces stopped tasks, and essential decides whether a container's exit stops the task"),
                "networks" | "network_mode" => self.note(at, key_span, &format!("{key} has no ECS meaning here: the task definition's networkMode and the service's network configuration decide networking")),
                "expose" => self.note(at, key_span, "expose has no ECS meaning: containers of a task reach each other's ports without it"),
                other => self.note(at, key_span, &format!("{other} has no ECS meaning in a task definition")),
            }
        }
        if !environment.is_empty() {
            let span = environment.first().map_or(service.key_span, |e| e.span);
            out.push(member(
                "environment",
                span,
                Node {
                    span,
                    kind: NodeKind::Array(environment),
                },
            ));
        }
        if !linux_parameters.is_empty() {
            out.push(member(
                "linuxParameters",
                service.key_span,
                object(service.key_span, linux_parameters),
            ));
        }
        object(service.value.span, out)
    }

    /// `"8080:80"`, `"80"`, `"127.0.0.1:8080:80/udp"` or `{target, published, protocol}`.
    fn ports(&mut self, value: &Node) -> Node {
        let mappings = value
            .items()
            .iter()
            .map(|port| {
                let mut m = Vec::new();
                if port.is_object() {
                    for field in port.members() {
                        let api = match field.key.as_str() {
                            "target" => "containerPort",
                            "published" => "hostPort",
                            "protocol" => "protocol",
                            "name" => "name",
                            "app_protocol" => "appProtocol",
                            _ => continue,
                        };
                        let v = if api == "hostPort" {
                            numeric(&field.value)
                        } else {
                            field.value.clone()
                        };
                        m.push(member(api, field.key_span, v));
                    }
                    return object(port.span, m);
                }
                let written = scalar_text(port);
                let (ports, protocol) = match written.split_once('/') {
                    Some((p, proto)) => (p.to_string(), Some(proto.to_string())),
                    None => (written.clone(), None),
                };
                let parts: Vec<&str> = ports.rsplitn(3, ':').collect();
                let container = parts.first().copied().unwrap_or("");
                m.push(member(
                    "containerPort",
                    port.span,
                    number_or_string(port.span, container),
                ));
                if let Some(host) = parts.get(1) {
                    m.push(member(
                        "hostPort",
                        port.span,
                        number_or_string(port.span, host),
                    ));
                }
                if let Some(protocol) = protocol {
                    m.push(member(
                        "protocol",
                        port.span,
                        string_node(port.span, &protocol),
                    ));
                }
                object(port.span, m)
            })
            .collect();
        Node {
            span: value.span,
            kind: NodeKind::Array(mappings),
        }
    }

    fn healthcheck(&mut self, value: &Node, at: &JsonPath) -> Option<Node> {
        let mut check = Vec::new();
        for field in value.members() {
            let (api, node) = match field.key.as_str() {
                "test" => ("command", health_command(&field.value)),
                "interval" | "timeout" | "start_period" => {
                    let api = match field.key.as_str() {
                        "interval" => "interval",
                        "timeout" => "timeout",
                        _ => "startPeriod",
                    };
                    match duration_seconds(&field.value) {
                        Some(s) => (api, number_node(field.value.span, s)),
                        None => {
                            self.note(
                                at.key(&field.key),
                                field.key_span,
                                &format!(
                                    "healthcheck.{} is not a duration ECS can read",
                                    field.key
                                ),
                            );
                            continue;
                        }
                    }
                }
                "retries" => ("retries", field.value.clone()),
                "disable" => {
                    self.note(
                        at.key("disable"),
                        field.key_span,
                        "healthcheck.disable: the container gets no healthCheck",
                    );
                    return None;
                }
                other => {
                    self.note(
                        at.key(other),
                        field.key_span,
                        &format!("healthcheck.{other} has no ECS meaning"),
                    );
                    continue;
                }
            };
            check.push(member(api, field.key_span, node));
        }
        Some(object(value.span, check))
    }

    /// `deploy.resources`: reservations are what ECS reserves (cpu, memoryReservation),
    /// limits.memory the hard limit (memory). ECS has no per-container CPU limit.
    fn deploy(&mut self, value: &Node, at: &JsonPath, out: &mut Vec<Member>) {
        for field in value.members() {
            let at = at.key(&field.key);
            if field.key != "resources" {
                let why = match field.key.as_str() {
                    "replicas" => "deploy.replicas has no meaning in a task definition: it is a service's desiredCount",
                    "restart_policy" => "deploy.restart_policy has no ECS meaning: a service's scheduler replaces stopped tasks",
                    "update_config" | "rollback_config" => "deploy's update and rollback settings are a service's deploymentConfiguration, not the task definition's",
                    _ => "this deploy setting has no ECS meaning in a task definition",
                };
                self.note(at, field.key_span, why);
                continue;
            }
            for kind in field.value.members() {
                for resource in kind.value.members() {
                    let here = at.key(&kind.key).key(&resource.key);
                    match (kind.key.as_str(), resource.key.as_str()) {
                        ("limits", "memory") | ("reservations", "memory") => match bytes_to_mib(&resource.value) {
                            Some(mib) => out.push(member(
                                if kind.key == "limits" { "memory" } else { "memoryReservation" },
                                resource.key_span,
                                number_node(resource.value.span, mib),
                            )),
                            None => self.note(here, resource.key_span, "this memory size is not one ECS can read"),
                        },
                        ("reservations", "cpus") => match cpus_to_units(&resource.value) {
                            Some(units) => out.push(member("cpu", resource.key_span, number_node(resource.value.span, units))),
                            None => self.note(here, resource.key_span, "this CPU count is not one ECS can read"),
                        },
                        ("limits", "cpus") => self.note(here, resource.key_span, "deploy.resources.limits.cpus has no ECS equivalent for a container: its cpu is reserved units and a relative share, and only the task-level cpu caps it"),
                        (_, other) => self.note(here, resource.key_span, &format!("deploy.resources {other} has no ECS meaning")),
                    }
                }
            }
        }
    }

    /// `name:/path[:ro]` (a named volume) or `./dir:/path` (a bind mount, a host volume).
    fn mounts(&mut self, value: &Node) -> Node {
        let mounts = value
            .items()
            .iter()
            .map(|entry| {
                let (source, target, read_only) = if entry.is_object() {
                    (
                        entry.get("source").map(scalar_text).unwrap_or_default(),
                        entry.get("target").map(scalar_text).unwrap_or_default(),
                        entry
                            .get("read_only")
                            .and_then(Node::as_bool)
                            .unwrap_or(false),
                    )
                } else {
                    let text = scalar_text(entry);
                    let parts: Vec<&str> = text.split(':').collect();
                    (
                        parts.first().copied().unwrap_or("").to_string(),
                        parts.get(1).copied().unwrap_or("").to_string(),
                        parts
                            .get(2)
                            .is_some_and(|m| m.split(',').any(|o| o == "ro")),
                    )
                };
                let bind = source.starts_with(['.', '/', '~']);
                let name = if bind {
                    volume_name(&source)
                } else {
                    source.clone()
                };
                if !self
                    .volumes
                    .iter()
                    .any(|v| v.get("name").and_then(Node::as_str) == Some(name.as_str()))
                {
                    let mut volume =
                        vec![member("name", entry.span, string_node(entry.span, &name))];
                    if bind {
                        volume.push(member(
                            "host",
                            entry.span,
                            object(
                                entry.span,
                                vec![member(
                                    "sourcePath",
                                    entry.span,
                                    string_node(entry.span, &source),
                                )],
                            ),
                        ));
                    }
                    self.volumes.push(object(entry.span, volume));
                }
                let mut mount = vec![
                    member("sourceVolume", entry.span, string_node(entry.span, &name)),
                    member(
                        "containerPath",
                        entry.span,
                        string_node(entry.span, &target),
                    ),
                ];
                if read_only {
                    mount.push(member(
                        "readOnly",
                        entry.span,
                        Node {
                            span: entry.span,
                            kind: NodeKind::Bool(true),
                        },
                    ));
                }
                object(entry.span, mount)
            })
            .collect();
        Node {
            span: value.span,
            kind: NodeKind::Array(mounts),
        }
    }
}

fn finding(rule: &Rule, path: JsonPath, span: Span, message: String) -> Finding {
    Finding {
        code: rule.code,
        severity: rule.severity,
        path,
        span,
        message,
        exception: rule.exception,
        fix: None,
    }
}

fn member(key: &str, key_span: Span, value: Node) -> Member {
    Member {
        key: key.to_string(),
        key_span,
        value,
    }
}

fn object(span: Span, members: Vec<Member>) -> Node {
    Node {
        span,
        kind: NodeKind::Object(members),
    }
}

fn string_node(span: Span, value: &str) -> Node {
    Node {
        span,
        kind: NodeKind::String(value.to_string()),
    }
}

fn number_node(span: Span, value: u64) -> Node {
    Node {
        span,
        kind: NodeKind::Number(value.to_string()),
    }
}

/// A port as a number when it is one; otherwise as written, for the rules to report.
fn number_or_string(span: Span, text: &str) -> Node {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        let trimmed = text.trim_start_matches('0');
        let digits = if trimmed.is_empty() { "0" } else { trimmed };
        Node {
            span,
            kind: NodeKind::Number(digits.to_string()),
        }
    } else {
        string_node(span, text)
    }
}

fn numeric(node: &Node) -> Node {
    match &node.kind {
        NodeKind::String(s) => number_or_string(node.span, s),
        _ => node.clone(),
    }
}

/// A scalar as text: strings as they are, numbers as written.
fn scalar_text(node: &Node) -> String {
    match &node.kind {
        NodeKind::String(s) | NodeKind::Number(s) => s.clone(),
        NodeKind::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// A string or a list of strings, with each item's span.
fn string_items(node: &Node) -> Vec<(String, Span)> {
    if node.is_array() {
        node.items()
            .iter()
            .map(|n| (scalar_text(n), n.span))
            .collect()
    } else {
        vec![(scalar_text(node), node.span)]
    }
}

fn string_list(node: &Node) -> Node {
    let items = string_items(node)
        .into_iter()
        .map(|(s, span)| string_node(span, &s))
        .collect();
    Node {
        span: node.span,
        kind: NodeKind::Array(items),
    }
}

/// `command: ["a", "b"]` as it is; `command: a b` split on whitespace (Compose
/// splits a string as a shell would; quoting is not modelled).
fn words(node: &Node) -> Node {
    if node.is_array() {
        return string_list(node);
    }
    let items = scalar_text(node)
        .split_whitespace()
        .map(|w| string_node(node.span, w))
        .collect();
    Node {
        span: node.span,
        kind: NodeKind::Array(items),
    }
}

/// `environment` as a map or as `KEY=VALUE` items, to `[{name, value}]`.
fn key_value_list(node: &Node) -> Vec<Node> {
    let pair = |span: Span, key_span: Span, name: &str, value: Node| {
        object(
            span,
            vec![
                member("name", key_span, string_node(key_span, name)),
                member("value", value.span, value),
            ],
        )
    };
    if node.is_object() {
        return node
            .members()
            .iter()
            .map(|m| {
                let value = string_node(m.value.span, &scalar_text(&m.value));
                pair(
                    Span::new(m.key_span.start as usize, m.value.span.end as usize),
                    m.key_span,
                    &m.key,
                    value,
                )
            })
            .collect();
    }
    node.items()
        .iter()
        .map(|item| {
            let text = scalar_text(item);
            let (name, value) = text.split_once('=').unwrap_or((text.as_str(), ""));
            pair(item.span, item.span, name, string_node(item.span, value))
        })
        .collect()
}

/// `KEY=VALUE` lines of an env file (comments and blank lines skipped), located at `span`.
fn env_file_variables(text: &str, span: Span) -> Vec<Node> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(name, value)| {
            let value = value.trim().trim_matches('"');
            object(
                span,
                vec![
                    member("name", span, string_node(span, name.trim())),
                    member("value", span, string_node(span, value)),
                ],
            )
        })
        .collect()
}

/// Labels and log options: a map, or `KEY=VALUE` items, to a map of strings.
fn key_values_object(node: &Node) -> Node {
    let members = if node.is_object() {
        node.members()
            .iter()
            .map(|m| {
                member(
                    &m.key,
                    m.key_span,
                    string_node(m.value.span, &scalar_text(&m.value)),
                )
            })
            .collect()
    } else {
        node.items()
            .iter()
            .map(|item| {
                let text = scalar_text(item);
                let (k, v) = text.split_once('=').unwrap_or((text.as_str(), ""));
                member(k, item.span, string_node(item.span, v))
            })
            .collect()
    };
    object(node.span, members)
}

/// `test: ["CMD", ...]` as it is; a string is `CMD-SHELL`; `NONE` disables.
fn health_command(node: &Node) -> Node {
    if node.is_array() {
        return string_list(node);
    }
    Node {
        span: node.span,
        kind: NodeKind::Array(vec![
            string_node(node.span, "CMD-SHELL"),
            string_node(node.span, &scalar_text(node)),
        ]),
    }
}

/// `depends_on: [db]` (started) or `{db: {condition: service_healthy}}`.
fn depends_on(node: &Node) -> Node {
    let dependency = |span: Span, name: &str, condition: &str| {
        object(
            span,
            vec![
                member("containerName", span, string_node(span, name)),
                member("condition", span, string_node(span, condition)),
            ],
        )
    };
    let items = if node.is_object() {
        node.members()
            .iter()
            .map(|m| {
                let condition = m
                    .value
                    .get("condition")
                    .and_then(Node::as_str)
                    .unwrap_or("service_started");
                let (span, ecs) = match condition {
                    "service_healthy" => (m.key_span, "HEALTHY"),
                    "service_completed_successfully" => (m.key_span, "SUCCESS"),
                    _ => (m.key_span, "START"),
                };
                dependency(span, &m.key, ecs)
            })
            .collect()
    } else {
        node.items()
            .iter()
            .map(|n| dependency(n.span, &scalar_text(n), "START"))
            .collect()
    };
    Node {
        span: node.span,
        kind: NodeKind::Array(items),
    }
}

/// `{nofile: {soft: 1024, hard: 2048}, nproc: 65535}` to `[{name, softLimit, hardLimit}]`.
fn ulimits(node: &Node) -> Node {
    let items = node
        .members()
        .iter()
        .map(|m| {
            let (soft, hard) = if m.value.is_object() {
                (m.value.get("soft").cloned(), m.value.get("hard").cloned())
            } else {
                (Some(m.value.clone()), Some(m.value.clone()))
            };
            let mut limit = vec![member("name", m.key_span, string_node(m.key_span, &m.key))];
            if let Some(soft) = soft {
                limit.push(member("softLimit", soft.span, soft));
            }
            if let Some(hard) = hard {
                limit.push(member("hardLimit", hard.span, hard));
            }
            object(
                Span::new(m.key_span.start as usize, m.value.span.end as usize),
                limit,
            )
        })
        .collect();
    Node {
        span: node.span,
        kind: NodeKind::Array(items),
    }
}

/// `["host:1.2.3.4"]` or `{host: 1.2.3.4}` to `[{hostname, ipAddress}]`.
fn extra_hosts(node: &Node) -> Node {
    let host = |span: Span, name: &str, ip: &str| {
        object(
            span,
            vec![
                member("hostname", span, string_node(span, name)),
                member("ipAddress", span, string_node(span, ip)),
            ],
        )
    };
    let items = if node.is_object() {
        node.members()
            .iter()
            .map(|m| host(m.key_span, &m.key, &scalar_text(&m.value)))
            .collect()
    } else {
        node.items()
            .iter()
            .map(|n| {
                let text = scalar_text(n);
                let (name, ip) = text.split_once([':', '=']).unwrap_or((text.as_str(), ""));
                host(n.span, name, ip)
            })
            .collect()
    };
    Node {
        span: node.span,
        kind: NodeKind::Array(items),
    }
}

/// A Compose duration (`1m30s`, `10s`, `500ms`, or a number of seconds) in whole seconds.
fn duration_seconds(node: &Node) -> Option<u64> {
    let text = scalar_text(node);
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(seconds);
    }
    let (mut total_ms, mut number) = (0u64, String::new());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let mut unit = c.to_string();
        while let Some(&next) = chars.peek() {
            if next.is_ascii_alphabetic() {
                unit.push(next);
                chars.next();
            } else {
                break;
            }
        }
        let n: u64 = number.parse().ok()?;
        number.clear();
        total_ms += n * match unit.as_str() {
            "h" => 3_600_000,
            "m" => 60_000,
            "s" => 1_000,
            "ms" => 1,
            _ => return None,
        };
    }
    if !number.is_empty() {
        return None;
    }
    Some(total_ms.div_ceil(1000))
}

/// A Compose byte size (`512m`, `1g`, `1.5gb`, `268435456`) in MiB, rounded down.
fn bytes_to_mib(node: &Node) -> Option<u64> {
    let text = scalar_text(node).to_ascii_lowercase();
    let digits_end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits_end);
    let bytes_per_unit: f64 = match unit.trim_end_matches('b') {
        "" => 1.0,
        "k" => 1024.0,
        "m" => 1024.0 * 1024.0,
        "g" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    let value: f64 = number.parse().ok()?;
    Some((value * bytes_per_unit / (1024.0 * 1024.0)).floor() as u64)
}

/// `cpus: "0.5"` in ECS CPU units (1 vCPU = 1024).
fn cpus_to_units(node: &Node) -> Option<u64> {
    let cpus: f64 = scalar_text(node).parse().ok()?;
    (cpus >= 0.0).then(|| (cpus * 1024.0).round() as u64)
}

/// A volume name for a bind mount's host path: letters, digits, `-` and `_`.
fn volume_name(source: &str) -> String {
    let name = crate::text::dashed_name(source.trim_start_matches(['.', '/', '~']));
    if name.is_empty() {
        "bind".to_string()
    } else {
        format!("bind-{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze_task_definition_with;

    const COMPOSE: &str = "name: shop
services:
  web:
    image: nginx:1.27
    command: nginx -g daemon
    environment:
      MODE: prod
    env_file: web.env
    ports: [\"8080:80\", \"127.0.0.1:53:53/udp\"]
    healthcheck:
      test: [\"CMD\", \"true\"]
      interval: 1m30s
      start_period: 500ms
    depends_on:
      db:
        condition: service_started
    deploy:
      resources:
        limits: {memory: 1g, cpus: '2'}
        reservations: {memory: 256m, cpus: '0.5'}
    volumes: [\"data:/var/lib/data:ro\", \"./conf:/etc/conf\"]
    logging: {driver: awslogs, options: {awslogs-group: g}}
    ulimits: {nofile: {soft: 10, hard: 20}, nproc: 5}
    restart: always
  db:
    image: postgres:16
    memory: 1
";

    #[test]
    fn each_mapped_field_lands_in_the_task_definition() {
        let root = crate::import::yaml::parse(COMPOSE).unwrap();
        assert!(is_compose(&root));
        let files = |name: &str| (name == "web.env").then(|| "# c\nA=1\nB=\"two\"\n".to_string());
        let converted = to_task_definition(&root, &files);
        let value = converted.node.to_value();
        assert_eq!(
            value["containerDefinitions"][0],
            serde_json::json!({
                "name": "web",
                "image": "nginx:1.27",
                "command": ["nginx", "-g", "daemon"],
                "portMappings": [
                    {"containerPort": 80, "hostPort": 8080},
                    {"containerPort": 53, "hostPort": 53, "protocol": "udp"}
                ],
                "healthCheck": {"command": ["CMD", "true"], "interval": 90, "startPeriod": 1},
                "dependsOn": [{"containerName": "db", "condition": "START"}],
                "memory": 1024,
                "memoryReservation": 256,
                "cpu": 512,
                "mountPoints": [
                    {"sourceVolume": "data", "containerPath": "/var/lib/data", "readOnly": true},
                    {"sourceVolume": "bind-conf", "containerPath": "/etc/conf"}
                ],
                "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "g"}},
                "ulimits": [
                    {"name": "nofile", "softLimit": 10, "hardLimit": 20},
                    {"name": "nproc", "softLimit": 5, "hardLimit": 5}
                ],
                "environment": [
                    {"name": "MODE", "value": "prod"},
                    {"name": "A", "value": "1"},
                    {"name": "B", "value": "two"}
                ]
            })
        );
        assert_eq!(value["family"], "shop");
        assert_eq!(
            value["volumes"],
            serde_json::json!([{"name": "data"}, {"name": "bind-conf", "host": {"sourcePath": "./conf"}}])
        );
        let notes: Vec<String> = converted
            .findings
            .iter()
            .map(|f| f.path.to_string())
            .collect();
        assert_eq!(
            notes,
            [
                "services.web.deploy.resources.limits.cpus",
                "services.web.restart",
                "services.db.memory"
            ]
        );
    }

    #[test]
    fn findings_point_into_the_compose_text() {
        let text = "services:\n  web:\n    image: nginx:1.27\n    ports: [\"80\"]\n    depends_on:\n      api: {condition: service_healthy}\n  api:\n    image: api:1\n    deploy: {resources: {limits: {memory: 64m}}}\n";
        let analysis = analyze_task_definition_with(text, &|_| None);
        assert_eq!(analysis.form, Some(crate::import::InputForm::Compose));
        let found: Vec<(&str, u32, u32)> = analysis
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.range.start.line, d.range.start.column))
            .collect();
        assert!(
            found.contains(&("depends-on-healthy-without-health-check", 6, 7)),
            "{found:?}"
        );
        assert!(
            found.contains(&("container-memory-required", 2, 3)),
            "{found:?}"
        );
    }
}
