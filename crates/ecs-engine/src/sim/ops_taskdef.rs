//! Task definitions: Register (normalised, revisions never reused),
//! Deregister, Describe, List and ListTaskDefinitionFamilies.

use serde_json::{json, Map, Value};

use super::ops_cluster::with_token;
use super::paging::page;
use super::request::member;
use super::requests::{
    DeleteTaskDefinitionsRequest, ListTaskDefinitionsRequest, RegisterTaskDefinitionRequest,
    TaskDefinitionRequest,
};
use super::state::{DeploymentStatus, ServiceStatus, TaskDefinition};
use super::{AwsError, CallResult, Ecs};
use crate::units::{parse_cpu_units, parse_memory_mib};

/// Revisions per family (A6).
const MAX_REVISIONS: u32 = 1_000_000;

impl Ecs {
    pub(crate) fn register_task_definition(&mut self, r: &Value) -> CallResult {
        let q = RegisterTaskDefinitionRequest::read(r)?;
        let family = q.family.to_string();
        let containers = q.container_definitions;
        if containers.is_empty() {
            return Err(AwsError::client("Container list cannot be empty."));
        }
        let network_mode = q.network_mode.to_string();
        let requires = q.requires_compatibilities;
        let fargate = requires.iter().any(|c| c == "FARGATE");
        let task_cpu = q.cpu.and_then(parse_cpu_units);
        let task_memory = q.memory.and_then(parse_memory_mib);
        let normalised: Vec<Value> = containers
            .iter()
            .map(|c| normalise_container(c, &network_mode))
            .collect();
        let cpu = task_cpu.unwrap_or_else(|| {
            sum(normalised
                .iter()
                .filter_map(|c| c.get("cpu").and_then(Value::as_i64)))
        });
        let memory = task_memory.unwrap_or_else(|| {
            sum(normalised.iter().filter_map(|c| {
                c.get("memoryReservation")
                    .and_then(Value::as_i64)
                    .filter(|m| *m > 0)
                    .or_else(|| c.get("memory").and_then(Value::as_i64))
            }))
        });
        let host_ports = static_host_ports(&normalised, &network_mode);

        let entry = self.state.families.entry(family.clone()).or_default();
        if entry.next_revision >= MAX_REVISIONS {
            return Err(AwsError::client(format!(
                "Too many revisions in family {family}."
            )));
        }
        entry.next_revision += 1;
        let revision = entry.next_revision;
        let arn = self.arn(&["task-definition", &format!("{family}:{revision}")]);

        let mut body = Map::new();
        body.insert("taskDefinitionArn".into(), json!(arn));
        body.insert("containerDefinitions".into(), json!(normalised));
        body.insert("family".into(), json!(family));
        for key in ["taskRoleArn", "executionRoleArn"] {
            if let Some(v) = member(r, key) {
                body.insert(key.into(), v.clone());
            }
        }
        body.insert("networkMode".into(), json!(network_mode));
        body.insert("revision".into(), json!(revision));
        body.insert("volumes".into(), json!(q.volumes));
        let mut compatibilities = vec!["EC2".to_string()];
        for c in &requires {
            if c != "EC2" && !compatibilities.contains(c) {
                compatibilities.push(c.clone());
            }
        }
        body.insert(
            "placementConstraints".into(),
            json!(q.placement_constraints),
        );
        body.insert("compatibilities".into(), json!(compatibilities));
        for key in [
            "runtimePlatform",
            "ephemeralStorage",
            "proxyConfiguration",
            "inferenceAccelerators",
            "pidMode",
            "ipcMode",
            "enableFaultInjection",
        ] {
            if let Some(v) = member(r, key) {
                body.insert(key.into(), v.clone());
            }
        }
        if !requires.is_empty() {
            body.insert("requiresCompatibilities".into(), json!(requires));
        }
        if let Some(cpu) = task_cpu {
            body.insert("cpu".into(), json!(cpu.to_string()));
        }
        if let Some(memory) = task_memory {
            body.insert("memory".into(), json!(memory.to_string()));
        }
        let body = Value::Object(body);
        let td = TaskDefinition {
            family: family.clone(),
            revision,
            arn: arn.clone(),
            containers: super::lifecycle::container_states(&body),
            body,
            active: true,
            registered_at: self.now,
            deregistered_at: None,
            cpu,
            memory,
            network_mode,
            host_ports,
            fargate,
            requires_compatibilities: requires.clone(),
            requirements: placement_requirements(r),
            tags: q.tags.to_vec(),
        };
        let response_tags = td.tags.clone();
        if let Some(f) = self.state.families.get_mut(&family) {
            f.revisions.insert(revision, td);
        }
        self.log(
            format!("task-definition/{family}:{revision}"),
            "task-definition",
            "registered".into(),
        );
        let td = self
            .state
            .task_definition(&arn)
            .ok_or_else(|| AwsError::new("ServerException", "registration lost"))?;
        let mut out = json!({"taskDefinition": self.task_definition_json(td)});
        if !response_tags.is_empty() {
            out["tags"] = json!(response_tags);
        }
        Ok(out)
    }

    pub(crate) fn deregister_task_definition(&mut self, r: &Value) -> CallResult {
        let reference = TaskDefinitionRequest::read(r)?.task_definition;
        let (family, Some(revision)) = crate::arn::task_definition_parts(reference) else {
            return Err(AwsError::invalid(
                "A revision must be specified to deregister a task definition.",
            ));
        };
        let revision: u32 = revision
            .parse()
            .map_err(|_| AwsError::client("Invalid revision number."))?;
        let now = self.now;
        let td = self
            .state
            .families
            .get_mut(family)
            .and_then(|f| f.revisions.get_mut(&revision))
            .ok_or_else(|| AwsError::client("The specified task definition does not exist."))?;
        if td.active {
            td.active = false;
            td.deregistered_at = Some(now);
        }
        let label = format!("task-definition/{family}:{revision}");
        self.log(label, "task-definition", "deregistered".into());
        let td = self
            .state
            .task_definition(&format!("{family}:{revision}"))
            .ok_or_else(|| AwsError::client("The specified task definition does not exist."))?;
        Ok(json!({"taskDefinition": self.task_definition_json(td)}))
    }

    pub(crate) fn describe_task_definition(&mut self, r: &Value) -> CallResult {
        let r = TaskDefinitionRequest::read(r)?;
        let reference = r.task_definition;
        let td = self
            .state
            .task_definition(reference)
            .ok_or_else(|| AwsError::client("Unable to describe task definition."))?;
        // INACTIVE revisions are describable only while something uses them (B-TD-03).
        if !td.active && !self.task_definition_in_use(&td.arn) {
            return Err(AwsError::client("Unable to describe task definition."));
        }
        let mut out = json!({"taskDefinition": self.task_definition_json(td)});
        if r.with_tags {
            out["tags"] = json!(td.tags);
        }
        Ok(out)
    }

    pub(crate) fn list_task_definitions(&mut self, r: &Value) -> CallResult {
        let r = ListTaskDefinitionsRequest::read(r)?;
        let (prefix, status, descending) = (r.family_prefix, r.status, r.descending);
        let mut arns: Vec<String> = self
            .state
            .families
            .iter()
            .filter(|(name, _)| prefix.is_none_or(|p| name.as_str() == p))
            .flat_map(|(_, f)| f.revisions.values())
            .filter(|td| {
                let deleting = self.state.ops.deleting_task_definitions.contains(&td.arn);
                match status {
                    "ACTIVE" => td.active,
                    "INACTIVE" => !td.active && !deleting,
                    "DELETE_IN_PROGRESS" => deleting && self.task_definition_in_use(&td.arn),
                    // Deleted revisions are gone once nothing uses them.
                    _ => !deleting || self.task_definition_in_use(&td.arn),
                }
            })
            .map(|td| td.arn.clone())
            .collect();
        if descending {
            arns.reverse();
        }
        let (items, next) = page(&r.page, &arns, 100)?;
        Ok(with_token(json!({"taskDefinitionArns": items}), next))
    }

    pub(crate) fn list_task_definition_families(&mut self, r: &Value) -> CallResult {
        let r = ListTaskDefinitionsRequest::read(r)?;
        let (prefix, status) = (r.family_prefix.unwrap_or(""), r.status);
        let families: Vec<String> = self
            .state
            .families
            .iter()
            .filter(|(name, _)| name.starts_with(prefix))
            .filter(|(_, f)| {
                let any_active = f.revisions.values().any(|td| td.active);
                match status {
                    "ACTIVE" => any_active,
                    "INACTIVE" => !any_active,
                    _ => true,
                }
            })
            .map(|(name, _)| name.clone())
            .collect();
        let (items, next) = page(&r.page, &families, 100)?;
        Ok(with_token(json!({"families": items}), next))
    }

    /// A task, a service or a deployment still uses the revision.
    fn task_definition_in_use(&self, arn: &str) -> bool {
        self.state
            .tasks
            .values()
            .any(|t| t.is_live() && t.task_definition == arn)
            || self.state.services.iter().any(|s| {
                s.status != ServiceStatus::Inactive
                    && (s.task_definition == arn
                        || s.deployments.iter().any(|d| {
                            d.status != DeploymentStatus::Inactive && d.task_definition == arn
                        }))
            })
            || self
                .state
                .ops
                .services
                .values()
                .flat_map(|s| s.task_sets.iter())
                .any(|ts| ts.task_definition == arn)
    }

    /// DeleteTaskDefinitions: INACTIVE revisions move to DELETE_IN_PROGRESS
    /// and are gone once nothing uses them (they can no longer be
    /// described, listed or run); ACTIVE ones and unknown ones are
    /// failures. At most 10 a call.
    pub(crate) fn delete_task_definitions(&mut self, r: &Value) -> CallResult {
        let references = DeleteTaskDefinitionsRequest::read(r)?.task_definitions;
        if references.is_empty() || references.len() > 10 {
            return Err(AwsError::invalid(
                "taskDefinitions must list between 1 and 10 task definitions.",
            ));
        }
        let mut deleted = Vec::new();
        let mut failures = Vec::new();
        for reference in references {
            let (family, revision) = crate::arn::task_definition_parts(&reference);
            let found = revision
                .and_then(|revision| revision.parse::<u32>().ok())
                .and_then(|revision| self.state.families.get(family)?.revisions.get(&revision))
                .filter(|td| {
                    !self.state.ops.deleting_task_definitions.contains(&td.arn)
                        || self.task_definition_in_use(&td.arn)
                })
                .map(|td| (td.arn.clone(), td.active));
            match found {
                None => failures.push(json!({
                    "arn": reference,
                    "reason": "The specified task definition does not exist.",
                })),
                Some((arn, true)) => failures.push(json!({
                    "arn": arn,
                    "reason": "The specified task definition is still in ACTIVE status. Please deregister the target and try again.",
                })),
                Some((arn, false)) => {
                    self.state.ops.deleting_task_definitions.insert(arn.clone());
                    let label = format!("task-definition/{}", crate::arn::short_name(&reference));
                    self.log(label, "task-definition", "DELETE_IN_PROGRESS".into());
                    if let Some(td) = self.state.task_definition(&arn) {
                        deleted.push(self.task_definition_json(td));
                    }
                }
            }
        }
        Ok(json!({"taskDefinitions": deleted, "failures": failures}))
    }

    /// The describe form: the registered body plus status and timestamps.
    pub(crate) fn task_definition_json(&self, td: &TaskDefinition) -> Value {
        let mut out = td.body.clone();
        let status = if td.active {
            "ACTIVE"
        } else if self.state.ops.deleting_task_definitions.contains(&td.arn) {
            "DELETE_IN_PROGRESS"
        } else {
            "INACTIVE"
        };
        out["status"] = json!(status);
        out["registeredAt"] = self.ts(td.registered_at);
        if let Some(at) = td.deregistered_at {
            out["deregisteredAt"] = self.ts(at);
        }
        out["registeredBy"] = json!(self.root_principal());
        out
    }
}

fn sum(values: impl Iterator<Item = i64>) -> u32 {
    u32::try_from(values.filter(|v| *v > 0).fold(0i64, i64::saturating_add)).unwrap_or(u32::MAX)
}

/// Container defaults ECS fills in (B-TD-06): essential, protocol, hostPort.
fn normalise_container(container: &Value, network_mode: &str) -> Value {
    let mut c = container.clone();
    let Some(obj) = c.as_object_mut() else {
        return c;
    };
    obj.entry("essential").or_insert(json!(true));
    for key in ["portMappings", "environment", "mountPoints", "volumesFrom"] {
        obj.entry(key).or_insert(json!([]));
    }
    if let Some(Value::Array(mappings)) = obj.get_mut("portMappings") {
        for m in mappings.iter_mut() {
            if let Some(m) = m.as_object_mut() {
                m.entry("protocol").or_insert(json!("tcp"));
                let container_port = m.get("containerPort").cloned();
                if matches!(network_mode, "awsvpc" | "host") {
                    if let Some(port) = container_port {
                        m.entry("hostPort").or_insert(port);
                    }
                }
            }
        }
    }
    c
}

/// Host ports a task binds statically (bridge with hostPort, host mode).
/// What a task of this definition needs from an instance, read by the
/// placement pipeline's own reader from the registered request.
/// What placement needs of the definition, read from the request as it
/// arrived (its tree, not its text written out and parsed again).
fn placement_requirements(r: &Value) -> crate::place::TaskRequirements {
    match crate::json::Node::from_value(r) {
        Some(node) => crate::place::TaskRequirements::of(&crate::check::Located::root(
            &node,
            crate::json::JsonPath::root(),
        )),
        None => crate::place::TaskRequirements::default(),
    }
}

fn static_host_ports(containers: &[Value], network_mode: &str) -> Vec<u16> {
    if network_mode != "bridge" && network_mode != "host" {
        return Vec::new();
    }
    containers
        .iter()
        .filter_map(|c| c.get("portMappings").and_then(Value::as_array))
        .flatten()
        .filter_map(|m| {
            let port = match network_mode {
                "host" => m.get("hostPort").or_else(|| m.get("containerPort")),
                _ => m.get("hostPort"),
            };
            port.and_then(Value::as_u64)
                .and_then(|p| u16::try_from(p).ok())
                .filter(|p| *p > 0)
        })
        .collect()
}
