//! Container instances: Register, Deregister, Describe, List and
//! UpdateContainerInstancesState (draining).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::ops_cluster::with_token;
use super::paging::page;
use super::requests::{
    ContainerInstanceRequest, DescribeContainerInstancesRequest, ListContainerInstancesRequest,
    RegisterContainerInstanceRequest, UpdateContainerInstancesStateRequest,
};
use super::state::{Instance, DEFAULT_RESERVED_PORTS};
use super::{AwsError, CallResult, Ecs};
use crate::place::InstanceStatus;

/// `(CPU units, registered MiB)` of a catalogued instance type: the one
/// catalogue (`data/instance-types.tsv`) the preview and the cluster map use.
pub fn instance_type(name: &str) -> Option<(u32, u32)> {
    crate::place::catalogue::instance_type(name).map(|t| (t.cpu_units(), t.ecs_memory_mib))
}

/// Every catalogued type name, for error messages.
pub fn instance_type_names() -> String {
    crate::place::catalogue::instance_types()
        .iter()
        .map(|t| t.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a new container instance looks like.
pub(crate) struct NewInstance {
    pub cluster: usize,
    pub instance_type: String,
    pub availability_zone: String,
    pub cpu: u32,
    pub memory: u32,
    pub attributes: BTreeMap<String, String>,
    pub capacity_provider: Option<String>,
    pub asg: Option<String>,
    pub tags: Vec<Value>,
}

impl Ecs {
    pub(crate) fn add_instance(&mut self, new: NewInstance) -> usize {
        self.state.next_instance_number += 1;
        let cluster_name = self
            .state
            .clusters
            .get(new.cluster)
            .map(|c| c.name.clone())
            .unwrap_or_default();
        let id = self.rng.hex(32);
        let ec2 = format!("i-{}", self.rng.hex(17));
        let arn = self.arn_in_format(
            "containerInstanceLongArnFormat",
            "container-instance",
            &cluster_name,
            &id,
        );
        let mut attributes = BTreeMap::new();
        attributes.insert(
            "ecs.availability-zone".to_string(),
            new.availability_zone.clone(),
        );
        attributes.insert("ecs.instance-type".to_string(), new.instance_type.clone());
        attributes.insert("ecs.os-type".to_string(), "linux".to_string());
        let arch = crate::place::catalogue::instance_type(&new.instance_type)
            .map_or("x86_64", |t| t.architecture.as_str());
        attributes.insert("ecs.cpu-architecture".to_string(), arch.to_string());
        attributes.insert("ecs.os-family".to_string(), "LINUX".to_string());
        attributes.insert(
            "ecs.ami-id".to_string(),
            "ami-0playground000000".to_string(),
        );
        for cap in [
            "com.amazonaws.ecs.capability.docker-remote-api.1.44",
            "ecs.capability.task-eni",
            "ecs.capability.service-connect-v1",
            "ecs.capability.container-health-check",
        ] {
            attributes.insert(cap.to_string(), String::new());
        }
        let kind = crate::place::catalogue::instance_type(&new.instance_type)
            .or_else(|| crate::place::catalogue::instance_type("m5.large"));
        if kind.is_some_and(|k| k.gpus > 0) {
            attributes.insert(
                "ecs.capability.gpu-driver-version".to_string(),
                "535.0".to_string(),
            );
        }
        attributes.extend(new.attributes);
        // The host record the placement pipeline reads: the catalogue's GPUs
        // and ENI attachment points, the registered CPU and memory.
        let mut host = match kind {
            Some(kind) => {
                crate::place::ContainerInstance::of_type(&id, kind, &new.availability_zone, false)
            }
            None => crate::place::ContainerInstance::default_for(&id, &new.availability_zone),
        };
        host.instance_type = new.instance_type.clone();
        host.registered_cpu = new.cpu;
        host.registered_memory = new.memory;
        host.agent_version = "1.89.0".into();
        host.registered_at = i64::try_from(self.now / 1000).unwrap_or(0);
        host.capacity_provider = new.capacity_provider.clone();
        let hosts = self.state.hosts_mut(new.cluster);
        let slot = hosts.instances.len();
        hosts.instances.push(host);
        let index_of_new = self.state.instances.len();
        if let Some(slots) = self.state.host_instances.get_mut(new.cluster) {
            slots.push(index_of_new);
        }
        let instance = Instance {
            id: id.clone(),
            arn,
            ec2_instance_id: ec2,
            cluster: new.cluster,
            instance_type: new.instance_type,
            availability_zone: new.availability_zone,
            status: InstanceStatus::Active,
            agent_connected: true,
            cpu: new.cpu,
            memory: new.memory,
            attributes,
            slot,
            capacity_provider: new.capacity_provider,
            asg: new.asg,
            tasks: Default::default(),
            registered_at: self.now,
            version: 1,
            empty_since: Some(self.now),
            draining: false,
            terminated: false,
            tags: new.tags,
            version_info: None,
        };
        let form = self
            .state
            .short_ids
            .get(&instance.cluster)
            .copied()
            .unwrap_or_default()
            .admit(
                &id,
                self.state
                    .instances
                    .iter()
                    .filter(|i| i.cluster == instance.cluster)
                    .map(|i| i.id.as_str()),
            );
        self.state.short_ids.insert(instance.cluster, form);
        let label = format!("container-instance/{cluster_name}/{}", form.show(&id));
        let message = format!(
            "registered {} in {} ({} CPU, {} MiB)",
            instance.instance_type, instance.availability_zone, instance.cpu, instance.memory
        );
        self.state.instances.push(instance);
        self.state.sync_host(index_of_new);
        self.log(label, "instance", message);
        self.wake_cluster(new.cluster);
        self.state.instances.len() - 1
    }

    /// What the container agent registers: the EC2 instance identity
    /// document (instanceId, instanceType, availabilityZone; region and
    /// accountId name where the instance runs, which is this account),
    /// `totalResources` overriding what the type implies, custom
    /// `attributes` and `versionInfo`.
    pub(crate) fn register_container_instance(&mut self, r: &Value) -> CallResult {
        let r = RegisterContainerInstanceRequest::read(r)?;
        let ci = self.cluster_named(r.cluster)?;
        let document = match r.instance_identity_document {
            None => Value::Null,
            Some(text) => match serde_json::from_str::<Value>(text) {
                Ok(document @ Value::Object(_)) => document,
                _ => {
                    return Err(AwsError::invalid(
                        "instanceIdentityDocument is not an EC2 instance identity document (a JSON object).",
                    ))
                }
            },
        };
        let field = |name: &str| document.get(name).and_then(Value::as_str);
        let instance_type = field("instanceType").unwrap_or("m5.large").to_string();
        let az = field("availabilityZone")
            .map(str::to_string)
            .unwrap_or_else(|| format!("{}a", self.config.region));
        let catalogued = crate::place::catalogue::instance_type(&instance_type)
            .map(|t| (t.cpu_units(), t.ecs_memory_mib));
        let cpu = r.cpu.or(catalogued.map(|c| c.0));
        let memory = r.memory.or(catalogued.map(|c| c.1));
        let (Some(cpu), Some(memory)) = (cpu, memory) else {
            return Err(AwsError::invalid(format!(
                "The simulator does not know the resources of instance type {instance_type}: give CPU and MEMORY in totalResources, as the container agent does."
            )));
        };
        let attributes = r.attributes.into_iter().collect();
        let index = self.add_instance(NewInstance {
            cluster: ci,
            instance_type,
            availability_zone: az,
            cpu,
            memory,
            attributes,
            capacity_provider: None,
            asg: None,
            tags: r.tags.to_vec(),
        });
        let version_info = r.version_info.cloned();
        let agent_version = version_info
            .as_ref()
            .and_then(|v| v.get("agentVersion"))
            .and_then(Value::as_str)
            .map(str::to_string);
        if let Some(instance) = self.state.instances.get_mut(index) {
            if let Some(id) = field("instanceId") {
                instance.ec2_instance_id = id.to_string();
            }
            instance.version_info = version_info;
        }
        // The host record is what placement reads (`attribute:ecs.agent-version`
        // and the like): the agent's own version, not the simulator's default.
        if let (Some(version), Some(host)) = (agent_version, self.state.host_mut(index)) {
            host.agent_version = version;
        }
        Ok(json!({"containerInstance": self.instance_json(index)}))
    }

    pub(crate) fn deregister_container_instance(&mut self, r: &Value) -> CallResult {
        let r = ContainerInstanceRequest::read(r)?;
        let (_, index) = self.instance_of(&r)?;
        let force = r.force;
        let live: Vec<u64> = self.state.instances[index].tasks.iter().copied().collect();
        if !live.is_empty() && !force {
            return Err(AwsError::invalid(
                "The specified container instance has tasks running. Use force to deregister it.",
            ));
        }
        let out = self.instance_json(index);
        self.remove_instance(index, "Container instance deregistered");
        let mut out = out;
        out["status"] = json!("INACTIVE");
        Ok(json!({"containerInstance": out}))
    }

    /// Takes an instance out of the cluster; its tasks stop at once.
    pub(crate) fn remove_instance(&mut self, index: usize, reason: &str) {
        let Some(instance) = self.state.instances.get_mut(index) else {
            return;
        };
        if instance.terminated {
            return;
        }
        instance.terminated = true;
        instance.status = InstanceStatus::Inactive;
        instance.draining = false;
        instance.agent_connected = false;
        let cluster = instance.cluster;
        self.state.sync_host(index);
        self.touch_instance(index);
        let label = self.instance_label(index);
        let tasks: Vec<u64> = self.state.instances[index].tasks.iter().copied().collect();
        self.log(label, "instance", format!("removed: {reason}"));
        for task in tasks {
            self.force_stop(task, "TerminationNotice", reason);
        }
        self.wake_cluster(cluster);
    }

    pub(crate) fn describe_container_instances(&mut self, r: &Value) -> CallResult {
        let r = DescribeContainerInstancesRequest::read(r)?;
        let ci = self.cluster_named(r.cluster)?;
        let mut found = Vec::new();
        let mut failures = Vec::new();
        for reference in r.container_instances {
            let id = super::state::short_name(&reference);
            match self
                .state
                .instances
                .iter()
                .position(|i| i.cluster == ci && (i.id == id || i.ec2_instance_id == id))
            {
                Some(index) => found.push(self.instance_json(index)),
                None => failures.push(json!({"arn": reference, "reason": "MISSING"})),
            }
        }
        Ok(super::response([
            ("containerInstances", Value::Array(found)),
            ("failures", Value::Array(failures)),
        ]))
    }

    pub(crate) fn list_container_instances(&mut self, r: &Value) -> CallResult {
        let r = ListContainerInstancesRequest::read(r)?;
        let ci = self.cluster_named(r.cluster)?;
        let (status, filter) = (r.status, r.filter);
        let arns: Vec<String> = self
            .state
            .instances
            .iter()
            .enumerate()
            .filter(|(_, i)| i.cluster == ci && !i.terminated)
            .filter(|(_, i)| status.is_none_or(|s| i.status.as_str() == s))
            .filter(|(k, _)| {
                filter.is_none_or(|f| super::placement::matches_expression(&self.state, *k, f))
            })
            .map(|(_, i)| i.arn.clone())
            .collect();
        let (items, next) = page(&r.page, &arns, 100)?;
        Ok(with_token(json!({"containerInstanceArns": items}), next))
    }

    pub(crate) fn update_container_instances_state(&mut self, r: &Value) -> CallResult {
        let r = UpdateContainerInstancesStateRequest::read(r)?;
        let ci = self.cluster_named(r.cluster)?;
        let given = r.status;
        let Some(status) = InstanceStatus::settable(given) else {
            return Err(AwsError::invalid(format!(
                "Invalid status {given}: only ACTIVE and DRAINING can be set."
            )));
        };
        let mut updated = Vec::new();
        let mut failures = Vec::new();
        for reference in r.container_instances {
            match self.state.instance_index(ci, &reference) {
                Some(index) => {
                    self.set_instance_status(index, status);
                    updated.push(self.instance_json(index));
                }
                None => failures.push(json!({"arn": reference, "reason": "MISSING"})),
            }
        }
        Ok(json!({"containerInstances": updated, "failures": failures}))
    }

    pub(crate) fn set_instance_status(&mut self, index: usize, status: InstanceStatus) {
        let Some(instance) = self.state.instances.get_mut(index) else {
            return;
        };
        if instance.status == status {
            return;
        }
        instance.status = status;
        instance.draining = status == InstanceStatus::Draining;
        instance.version += 1;
        let cluster = instance.cluster;
        self.state.sync_host(index);
        self.touch_instance(index);
        let label = self.instance_label(index);
        self.log(label, "instance", format!("status {}", status.as_str()));
        if status == InstanceStatus::Draining {
            // PENDING service tasks on a draining instance stop at once (A3).
            let pending: Vec<u64> = self.state.instances[index]
                .tasks
                .iter()
                .copied()
                .filter(|t| {
                    self.state.tasks.get(t).is_some_and(|t| {
                        t.service.is_some() && t.last_status.is_starting() && t.is_wanted()
                    })
                })
                .collect();
            for task in pending {
                self.stop_task(
                    task,
                    "ServiceSchedulerInitiated",
                    "Container instance is draining",
                    false,
                );
            }
        }
        self.wake_cluster(cluster);
    }

    pub(crate) fn instance_label(&self, index: usize) -> String {
        match self.state.instances.get(index) {
            Some(i) => {
                let cluster = self
                    .state
                    .clusters
                    .get(i.cluster)
                    .map_or("", |c| c.name.as_str());
                format!(
                    "container-instance/{cluster}/{}",
                    self.state.short_instance_id(i)
                )
            }
            None => "container-instance/?".into(),
        }
    }

    pub(crate) fn instance_json(&self, index: usize) -> Value {
        let Some(i) = self.state.instances.get(index) else {
            return Value::Null;
        };
        let host = self.state.host(index);
        let used_ports = host.map_or(&[][..], |h| h.used_ports.as_slice());
        let ports: Vec<String> = DEFAULT_RESERVED_PORTS
            .iter()
            .chain(used_ports.iter())
            .map(u16::to_string)
            .collect();
        let (free_cpu, free_memory) =
            host.map_or((i.cpu, i.memory), |h| (h.free_cpu(), h.free_memory()));
        let reserved: Vec<String> = DEFAULT_RESERVED_PORTS.iter().map(u16::to_string).collect();
        let resources = |cpu: u32, memory: u32, ports: &[String]| {
            json!([
                {"name": "CPU", "type": "INTEGER", "doubleValue": 0.0, "longValue": 0, "integerValue": cpu},
                {"name": "MEMORY", "type": "INTEGER", "doubleValue": 0.0, "longValue": 0, "integerValue": memory},
                {"name": "PORTS", "type": "STRINGSET", "doubleValue": 0.0, "longValue": 0, "integerValue": 0, "stringSetValue": ports},
                {"name": "PORTS_UDP", "type": "STRINGSET", "doubleValue": 0.0, "longValue": 0, "integerValue": 0, "stringSetValue": []},
            ])
        };
        let (mut running, mut pending) = (0, 0);
        for t in i.tasks.iter().filter_map(|t| self.state.tasks.get(t)) {
            match t.last_status {
                super::state::TaskStatus::Running => running += 1,
                s if s.is_starting() => pending += 1,
                _ => {}
            }
        }
        let attributes: Vec<Value> = i
            .attributes
            .iter()
            .map(|(k, v)| {
                if v.is_empty() {
                    json!({"name": k})
                } else {
                    json!({"name": k, "value": v})
                }
            })
            .collect();
        let mut out = json!({
            "containerInstanceArn": i.arn,
            "ec2InstanceId": i.ec2_instance_id,
            "version": i.version,
            "versionInfo": i.version_info.clone().unwrap_or_else(|| json!({"agentVersion": "1.89.0", "agentHash": "playground", "dockerVersion": "DockerVersion: 25.0.8"})),
            "remainingResources": resources(free_cpu, free_memory, &ports),
            "registeredResources": resources(i.cpu, i.memory, &reserved),
            "status": i.status.as_str(),
            "agentConnected": i.agent_connected,
            "runningTasksCount": running,
            "pendingTasksCount": pending,
            "attributes": attributes,
            "registeredAt": self.ts(i.registered_at),
            "tags": i.tags,
        });
        if let Some(cp) = &i.capacity_provider {
            out["capacityProviderName"] = json!(cp);
        }
        self.write_agent_update(index, &mut out);
        out
    }
}

/// The first 8 characters of an id, for readable timeline labels.
pub(crate) fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::sim::{Ecs, SimConfig};

    fn cluster() -> Ecs {
        let mut ecs = Ecs::new(SimConfig::default());
        ecs.call("CreateCluster", &json!({"clusterName": "c"}))
            .unwrap();
        ecs
    }

    fn resource(instance: &serde_json::Value, name: &str) -> u64 {
        instance["registeredResources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == name)
            .unwrap()["integerValue"]
            .as_u64()
            .unwrap()
    }

    #[test]
    fn registration_reads_the_identity_document_and_the_catalogue() {
        let mut ecs = cluster();
        let document = json!({"instanceId": "i-0abc1234567890def", "instanceType": "c5.xlarge", "availabilityZone": "us-east-1b", "region": "us-east-1", "accountId": "123456789012"});
        let out = ecs
            .call(
                "RegisterContainerInstance",
                &json!({"cluster": "c", "instanceIdentityDocument": document.to_string(),
                        "attributes": [{"name": "stack", "value": "blue"}],
                        "versionInfo": {"agentVersion": "1.90.0", "dockerVersion": "DockerVersion: 26.1.0"}}),
            )
            .unwrap();
        let instance = &out["containerInstance"];
        assert_eq!(instance["ec2InstanceId"], "i-0abc1234567890def");
        assert_eq!(instance["versionInfo"]["agentVersion"], "1.90.0");
        let catalogued = crate::place::catalogue::instance_type("c5.xlarge").unwrap();
        assert_eq!(resource(instance, "CPU"), u64::from(catalogued.cpu_units()));
        assert_eq!(
            resource(instance, "MEMORY"),
            u64::from(catalogued.ecs_memory_mib)
        );
        let attributes = instance["attributes"].as_array().unwrap();
        for (name, value) in [
            ("stack", "blue"),
            ("ecs.instance-type", "c5.xlarge"),
            ("ecs.availability-zone", "us-east-1b"),
        ] {
            assert!(
                attributes
                    .iter()
                    .any(|a| a["name"] == name && a["value"] == value),
                "{name}"
            );
        }
        let found = ecs
            .call(
                "DescribeContainerInstances",
                &json!({"cluster": "c", "containerInstances": ["i-0abc1234567890def"]}),
            )
            .unwrap();
        assert_eq!(
            found["containerInstances"][0]["containerInstanceArn"],
            instance["containerInstanceArn"]
        );
    }

    #[test]
    fn total_resources_override_the_type_and_stand_in_for_unknown_types() {
        let mut ecs = cluster();
        let totals = json!([{"name": "CPU", "type": "INTEGER", "integerValue": 3000}, {"name": "MEMORY", "type": "INTEGER", "integerValue": 5000}]);
        let document = json!({"instanceType": "z9.mega"}).to_string();
        let out = ecs
            .call("RegisterContainerInstance", &json!({"cluster": "c", "instanceIdentityDocument": document, "totalResources": totals}))
            .unwrap();
        assert_eq!(resource(&out["containerInstance"], "CPU"), 3000);
        assert_eq!(resource(&out["containerInstance"], "MEMORY"), 5000);
        let unknown = ecs
            .call(
                "RegisterContainerInstance",
                &json!({"cluster": "c", "instanceIdentityDocument": document}),
            )
            .unwrap_err();
        assert!(
            unknown.message.contains("totalResources"),
            "{}",
            unknown.message
        );
        let broken = ecs
            .call(
                "RegisterContainerInstance",
                &json!({"cluster": "c", "instanceIdentityDocument": "not json"}),
            )
            .unwrap_err();
        assert_eq!(broken.error_type, "InvalidParameterException");
    }

    /// A registered instance is a host like any other: placement reads its
    /// `totalResources` (not the type's catalogue figures) from the one host
    /// record, and the agent version it reported.
    #[test]
    fn a_registered_instance_places_tasks_within_its_total_resources() {
        let mut ecs = cluster();
        let document =
            json!({"instanceType": "m5.xlarge", "availabilityZone": "us-east-1a"}).to_string();
        let totals = json!([{"name": "CPU", "type": "INTEGER", "integerValue": 1024}, {"name": "MEMORY", "type": "INTEGER", "integerValue": 4000}]);
        let out = ecs
            .call(
                "RegisterContainerInstance",
                &json!({"cluster": "c", "instanceIdentityDocument": document, "totalResources": totals,
                        "versionInfo": {"agentVersion": "1.70.0"}}),
            )
            .unwrap();
        let arn = out["containerInstance"]["containerInstanceArn"].clone();
        let index = ecs.state.instances.len() - 1;
        assert_eq!(ecs.state.host(index).unwrap().registered_cpu, 1024);
        assert_eq!(ecs.state.host(index).unwrap().agent_version, "1.70.0");
        ecs.call(
            "RegisterTaskDefinition",
            &json!({"family": "half", "containerDefinitions": [{"name": "a", "image": "i", "cpu": 512, "memory": 256}]}),
        )
        .unwrap();
        let run = ecs
            .call(
                "RunTask",
                &json!({"cluster": "c", "taskDefinition": "half", "count": 3}),
            )
            .unwrap();
        assert_eq!(run["tasks"].as_array().unwrap().len(), 2, "{run}");
        assert_eq!(run["failures"][0]["reason"], "RESOURCE:CPU", "{run}");
        let described = ecs
            .call(
                "DescribeContainerInstances",
                &json!({"cluster": "c", "containerInstances": [arn]}),
            )
            .unwrap();
        let remaining = described["containerInstances"][0]["remainingResources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == "CPU")
            .unwrap()["integerValue"]
            .clone();
        assert_eq!(remaining, 0);
    }
}
