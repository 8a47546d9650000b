//! Simulator-only calls (`Simulator.*`): they drive the world rather than the
//! ECS API. Also managed scaling of Auto Scaling group capacity providers
//! and Fargate Spot interruptions.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::ops_instance::{instance_type, NewInstance};
use super::request::required;
use super::requests::{
    AdvanceClockRequest, CreateAutoScalingGroupRequest, InjectFaultRequest, LaunchInstancesRequest,
    SetDesiredCapacityRequest, SetImageBehaviorRequest, SetInstanceStateRequest,
    TerminateInstancesRequest,
};
use super::state::{
    AutoScalingGroup, CapacityProviderStatus, ClusterStatus, ImageBehavior, TaskStatus,
};
use super::{AwsError, CallResult, Ecs, Event};

/// The zones instances spread over, in turn, when a launch or an Auto Scaling
/// group names none: the region's first three. A model (EC2 picks a subnet's
/// zone; the playground has no subnets), shared with the authoring page's
/// cluster preview (`workspace::cluster`), so both put the same instance in
/// the same zone.
pub fn default_availability_zones(region: &str) -> Vec<String> {
    ["a", "b", "c"].map(|z| format!("{region}{z}")).to_vec()
}

/// How long an Auto Scaling group instance takes to launch and register.
pub const DEFAULT_LAUNCH_SECONDS: u32 = 90;
/// The Fargate Spot warning before the task is reclaimed.
pub const SPOT_WARNING_MS: u64 = 120_000;
/// Managed scaling evaluates once a minute.
const SCALING_PERIOD_MS: u64 = 60_000;
/// The longest step of one AdvanceClock call: the longest scenario run.
const MAX_ADVANCE_MS: u64 = super::scenario::MAX_DURATION_MS;
/// An instance must be empty this long before managed scaling removes it.
const SCALE_IN_AFTER_MS: u64 = 15 * 60_000;

/// The simulator's calls (`Simulator.<Call>`), as [`Ecs::call`] names them
/// without the prefix.
pub const SIMULATOR_CALLS: &[&str] = &[
    "LaunchInstances",
    "TerminateInstances",
    "SetInstanceState",
    "CreateAutoScalingGroup",
    "SetDesiredCapacity",
    "SetImageBehavior",
    "InjectFault",
    "AdvanceClock",
    "Snapshot",
];

impl Ecs {
    pub(crate) fn simulator_call(&mut self, call: &str, r: &Value) -> CallResult {
        match call {
            "LaunchInstances" => self.sim_launch_instances(r),
            "TerminateInstances" => self.sim_terminate_instances(r),
            "CreateAutoScalingGroup" => self.sim_create_asg(r),
            "SetDesiredCapacity" => self.sim_set_desired_capacity(r),
            "SetImageBehavior" => self.sim_set_image_behavior(r),
            "InjectFault" => self.sim_inject_fault(r),
            "AdvanceClock" => self.sim_advance_clock(r),
            "SetInstanceState" => self.sim_set_instance_state(r),
            "Snapshot" => Ok(self.snapshot()),
            other => Err(AwsError::new(
                "UnknownOperationException",
                format!(
                    "unknown simulator call Simulator.{other}: the simulator offers {}",
                    SIMULATOR_CALLS.join(", ")
                ),
            )),
        }
    }

    fn sim_launch_instances(&mut self, r: &Value) -> CallResult {
        let r = LaunchInstancesRequest::read(r)?;
        let ci = self.cluster_named(r.cluster)?;
        let type_name = r.instance_type.to_string();
        let (cpu, memory) = instance_type(&type_name).ok_or_else(|| {
            AwsError::invalid(format!(
                "unknown instance type {type_name}: the catalogue has {}",
                super::ops_instance::instance_type_names()
            ))
        })?;
        let count = r.count;
        if count > 10_000 {
            return Err(AwsError::invalid("count can be at most 10000."));
        }
        let mut zones = r.availability_zones;
        if zones.is_empty() {
            zones = default_availability_zones(&self.config.region);
        }
        let attributes = attributes_of(r.attributes);
        let capacity_provider = r.capacity_provider.map(str::to_string);
        let mut arns = Vec::new();
        for n in 0..count as usize {
            let zone = zones.get(n % zones.len()).cloned().unwrap_or_default();
            let index = self.add_instance(NewInstance {
                cluster: ci,
                instance_type: type_name.clone(),
                availability_zone: zone,
                cpu,
                memory,
                attributes: attributes.clone(),
                capacity_provider: capacity_provider.clone(),
                asg: None,
                tags: Vec::new(),
            });
            arns.push(self.state.instances[index].arn.clone());
        }
        Ok(json!({"containerInstanceArns": arns}))
    }

    fn sim_terminate_instances(&mut self, r: &Value) -> CallResult {
        let r = TerminateInstancesRequest::read(r)?;
        let ci = self.cluster_named(r.cluster)?;
        // Every instance is found before any is terminated.
        let indexes = r
            .container_instances
            .iter()
            .map(|reference| {
                self.state.instance_index(ci, reference).ok_or_else(|| {
                    AwsError::invalid(format!("no live container instance {reference}"))
                })
            })
            .collect::<Result<Vec<usize>, AwsError>>()?;
        let mut terminated = Vec::new();
        for index in indexes {
            if self.state.instances[index].terminated {
                continue;
            }
            terminated.push(self.state.instances[index].arn.clone());
            let ec2 = self.state.instances[index].ec2_instance_id.clone();
            self.remove_instance(index, &format!("Host EC2 (instance {ec2}) terminated."));
        }
        Ok(json!({"terminated": terminated}))
    }

    /// UpdateContainerInstancesState for the instances a query selects, so
    /// scenarios need not know instance ids.
    fn sim_set_instance_state(&mut self, r: &Value) -> CallResult {
        let r = SetInstanceStateRequest::read(r)?;
        let ci = self.cluster_named(r.cluster)?;
        let filter = r.filter;
        let Some(status) = crate::place::InstanceStatus::settable(r.status) else {
            return Err(AwsError::invalid("status must be ACTIVE or DRAINING"));
        };
        crate::place::query::parse(filter).map_err(|e| {
            AwsError::invalid(format!("filter: {} (column {})", e.message, e.column))
        })?;
        let selected: Vec<usize> = (0..self.state.instances.len())
            .filter(|&i| {
                let inst = &self.state.instances[i];
                inst.cluster == ci
                    && !inst.terminated
                    && super::placement::matches_expression(&self.state, i, filter)
            })
            .collect();
        let mut arns = Vec::new();
        for i in selected {
            self.set_instance_status(i, status);
            arns.push(self.state.instances[i].arn.clone());
        }
        Ok(json!({"containerInstanceArns": arns}))
    }

    fn sim_create_asg(&mut self, r: &Value) -> CallResult {
        let r = CreateAutoScalingGroupRequest::read(r)?;
        let name = r.name.to_string();
        if self.state.asgs.iter().any(|a| a.name == name) {
            return Err(AwsError::invalid(format!(
                "the Auto Scaling group {name} already exists"
            )));
        }
        let type_name = r.instance_type.to_string();
        if instance_type(&type_name).is_none() {
            return Err(AwsError::invalid(format!(
                "unknown instance type {type_name}"
            )));
        }
        let mut zones = r.availability_zones;
        if zones.is_empty() {
            zones = default_availability_zones(&self.config.region);
        }
        let min_size = r.min_size.unwrap_or(0);
        let max_size = r.max_size.unwrap_or(10).max(min_size);
        let desired = r
            .desired_capacity
            .unwrap_or(min_size)
            .clamp(min_size, max_size);
        let arn = crate::arn::arn_in_region(
            "autoscaling",
            &self.config.region,
            &self.config.account,
            &format!(
                "autoScalingGroup:{}:autoScalingGroupName/{name}",
                self.rng.hex(8)
            ),
        );
        self.state.asgs.push(AutoScalingGroup {
            name: name.clone(),
            arn: arn.clone(),
            cluster: r.cluster.map(str::to_string),
            instance_type: type_name,
            availability_zones: zones,
            min_size,
            max_size,
            desired: 0,
            launching: 0,
            launch_seconds: r.launch_seconds.unwrap_or(DEFAULT_LAUNCH_SECONDS),
            attributes: attributes_of(r.attributes),
        });
        let index = self.state.asgs.len() - 1;
        self.log(
            format!("asg/{name}"),
            "asg",
            format!("created (min {min_size}, max {max_size}, desired {desired})"),
        );
        for _ in 0..desired {
            self.launch_asg_instance(index);
        }
        Ok(json!({"autoScalingGroupArn": arn}))
    }

    /// EC2 Auto Scaling's SetDesiredCapacity: launches instances up to the
    /// new capacity, or terminates registered ones down to it. Scale-in takes
    /// from the Availability Zone with the most instances, the newest there
    /// first (an approximation of the default termination policy, which
    /// balances zones first).
    fn sim_set_desired_capacity(&mut self, r: &Value) -> CallResult {
        let r = SetDesiredCapacityRequest::read(r)?;
        let name = r.auto_scaling_group_name.to_string();
        let desired = r.desired_capacity;
        let asg = self
            .state
            .asgs
            .iter()
            .position(|a| a.name == name || a.arn == name)
            .ok_or_else(|| {
                AwsError::invalid(format!("AutoScalingGroup name not found - {name}"))
            })?;
        let (group_name, min_size, max_size, launching) = {
            let g = &self.state.asgs[asg];
            (g.name.clone(), g.min_size, g.max_size, g.launching)
        };
        // EC2 Auto Scaling's own ValidationError wording.
        if desired > max_size {
            return Err(AwsError::invalid(format!(
                "New SetDesiredCapacity value {desired} is above max value {max_size} for the AutoScalingGroup."
            )));
        }
        if desired < min_size {
            return Err(AwsError::invalid(format!(
                "New SetDesiredCapacity value {desired} is below min value {min_size} for the AutoScalingGroup."
            )));
        }
        let registered: Vec<usize> = (0..self.state.instances.len())
            .filter(|&i| {
                let inst = &self.state.instances[i];
                inst.asg.as_deref() == Some(group_name.as_str()) && !inst.terminated
            })
            .collect();
        let current = registered.len() as u32 + launching;
        self.log(
            format!("asg/{group_name}"),
            "asg",
            format!("desired capacity {current} -> {desired}"),
        );
        if desired > current {
            for _ in current..desired {
                self.launch_asg_instance(asg);
            }
        } else {
            let mut left = registered;
            for _ in desired..current {
                let mut per_zone: BTreeMap<&str, usize> = BTreeMap::new();
                for &i in &left {
                    *per_zone
                        .entry(self.state.instances[i].availability_zone.as_str())
                        .or_insert(0) += 1;
                }
                let Some(zone) = per_zone
                    .iter()
                    .max_by_key(|(zone, n)| (**n, **zone))
                    .map(|(zone, _)| zone.to_string())
                else {
                    break;
                };
                let Some(pos) = left
                    .iter()
                    .rposition(|&i| self.state.instances[i].availability_zone == zone)
                else {
                    break;
                };
                let i = left.remove(pos);
                let ec2 = self.state.instances[i].ec2_instance_id.clone();
                if let Some(g) = self.state.asgs.get_mut(asg) {
                    g.desired = g.desired.saturating_sub(1);
                }
                self.remove_instance(i, &format!("Host EC2 (instance {ec2}) terminated."));
            }
        }
        Ok(json!({}))
    }

    fn launch_asg_instance(&mut self, asg: usize) {
        let Some(group) = self.state.asgs.get_mut(asg) else {
            return;
        };
        group.desired += 1;
        group.launching += 1;
        let delay = u64::from(group.launch_seconds) * 1000;
        self.schedule_in(delay, Event::InstanceLaunched { asg });
    }

    pub(crate) fn instance_launched(&mut self, asg: usize) {
        let Some(group) = self.state.asgs.get_mut(asg) else {
            return;
        };
        group.launching = group.launching.saturating_sub(1);
        let launched = self
            .state
            .instances
            .iter()
            .filter(|i| i.asg.as_deref() == Some(group.name.as_str()))
            .count();
        let zone = group
            .availability_zones
            .get(launched % group.availability_zones.len().max(1))
            .cloned()
            .unwrap_or_default();
        let (name, arn, type_name, attributes, cluster_name) = (
            group.name.clone(),
            group.arn.clone(),
            group.instance_type.clone(),
            group.attributes.clone(),
            group.cluster.clone(),
        );
        let provider = self
            .state
            .capacity_providers
            .iter()
            .find(|p| {
                p.status == CapacityProviderStatus::Active && asg_matches(&p.asg_arn, &arn, &name)
            })
            .map(|p| p.name.clone());
        // The instance joins the cluster its provider is associated with.
        let cluster = cluster_name
            .and_then(|c| self.state.cluster_index(&c))
            .or_else(|| {
                let p = provider.as_ref()?;
                self.state.clusters.iter().position(|c| {
                    c.status == ClusterStatus::Active && c.capacity_providers.contains(p)
                })
            });
        let Some(cluster) = cluster else {
            self.log(
                format!("asg/{name}"),
                "asg",
                "instance launched but no cluster to join".into(),
            );
            return;
        };
        let (cpu, memory) = instance_type(&type_name).unwrap_or((2048, 7985));
        self.add_instance(NewInstance {
            cluster,
            instance_type: type_name,
            availability_zone: zone,
            cpu,
            memory,
            attributes,
            capacity_provider: provider,
            asg: Some(name),
            tags: Vec::new(),
        });
    }

    fn sim_set_image_behavior(&mut self, r: &Value) -> CallResult {
        let r = SetImageBehaviorRequest::read(r)?;
        let image = r.image.to_string();
        let d = ImageBehavior::default();
        let behavior = ImageBehavior {
            pull_seconds: r.pull_seconds.unwrap_or(d.pull_seconds).max(0.0),
            start_seconds: r.start_seconds.unwrap_or(d.start_seconds).max(0.0),
            stop_seconds: r.stop_seconds.unwrap_or(d.stop_seconds).max(0.0),
            health: r.health,
            exit_after_seconds: r.exit_after_seconds,
            exit_code: r.exit_code.unwrap_or(d.exit_code),
            start_failure: r.start_failure.map(str::to_string),
        };
        self.state.behaviors.insert(image.clone(), behavior);
        self.log(format!("image/{image}"), "image", "behaviour set".into());
        Ok(json!({"image": image}))
    }

    fn sim_inject_fault(&mut self, r: &Value) -> CallResult {
        let r = InjectFaultRequest::read(r)?;
        let kind = r.kind;
        let ci = self.cluster_named(r.cluster)?;
        match kind {
            "INSTANCE_FAILURE" | "AGENT_DISCONNECT" | "AGENT_RECONNECT" => {
                let reference = r
                    .container_instance
                    .ok_or_else(|| required("containerInstance"))?;
                let index = self
                    .state
                    .instance_index(ci, reference)
                    .ok_or_else(|| AwsError::invalid(format!("no live container instance {reference}")))?;
                let label = self.instance_label(index);
                match kind {
                    "INSTANCE_FAILURE" => {
                        let ec2 = self.state.instances[index].ec2_instance_id.clone();
                        self.remove_instance(index, &format!("Host EC2 (instance {ec2}) stopped/terminated."));
                    }
                    "AGENT_DISCONNECT" => {
                        self.state.instances[index].agent_connected = false;
                        self.state.sync_host(index);
                        self.touch_instance(index);
                        self.log(label, "fault", "agent disconnected".into());
                    }
                    _ => {
                        self.state.instances[index].agent_connected = true;
                        self.state.sync_host(index);
                        self.touch_instance(index);
                        self.log(label, "fault", "agent reconnected".into());
                        self.wake_cluster(ci);
                    }
                }
            }
            "SPOT_INTERRUPTION" => {
                let reference = r.task.ok_or_else(|| required("task"))?;
                let seq = self
                    .state
                    .task_by_ref(ci, reference)
                    .ok_or_else(|| AwsError::invalid(format!("no task {reference}")))?;
                let task = &self.state.tasks[&seq];
                if task.capacity_provider.as_deref() != Some("FARGATE_SPOT") {
                    return Err(AwsError::invalid("only FARGATE_SPOT tasks receive Spot interruptions"));
                }
                let label = self.task_label(task);
                self.log(label, "fault", "Fargate Spot interruption: two-minute warning".into());
                self.stop_task(seq, "SpotInterruption", "Your Spot Task was interrupted.", false);
                self.schedule_in(SPOT_WARNING_MS, Event::SpotReclaim { task: seq });
            }
            other => {
                return Err(AwsError::invalid(format!(
                    "unknown fault {other}: use INSTANCE_FAILURE, AGENT_DISCONNECT, AGENT_RECONNECT or SPOT_INTERRUPTION"
                )))
            }
        }
        Ok(json!({"injected": kind}))
    }

    pub(crate) fn spot_reclaim(&mut self, seq: u64) {
        if self.state.tasks.get(&seq).is_some_and(|t| t.is_live()) {
            self.force_stop(seq, "SpotInterruption", "Your Spot Task was interrupted.");
        }
    }

    fn sim_advance_clock(&mut self, r: &Value) -> CallResult {
        let r = AdvanceClockRequest::read(r)?;
        let target = match (r.seconds, r.to) {
            (Some(s), _) if s >= 0.0 => self.now.saturating_add((s * 1000.0).round() as u64),
            (None, Some(t)) if t >= 0.0 => ((t * 1000.0).round() as u64).max(self.now),
            _ => {
                return Err(AwsError::invalid(
                    "AdvanceClock needs seconds (≥ 0) or to (virtual seconds)",
                ))
            }
        };
        // Periodic events (managed scaling every minute) make a huge step
        // take forever: one call moves the clock at most a week.
        if target - self.now > MAX_ADVANCE_MS {
            return Err(AwsError::invalid(
                "AdvanceClock moves the clock at most one week (604800 seconds) per call",
            ));
        }
        self.advance_to(target);
        Ok(json!({"now": self.now as f64 / 1000.0}))
    }

    pub(crate) fn request_scaling_check(&mut self) {
        if self.scaling_check_at.is_some()
            || !self
                .state
                .capacity_providers
                .iter()
                .any(|p| p.managed_scaling && p.status == CapacityProviderStatus::Active)
        {
            return;
        }
        let at = self.now + SCALING_PERIOD_MS;
        self.scaling_check_at = Some(at);
        self.queue.schedule(at, Event::ScalingCheck);
    }

    /// Managed scaling: scale out for the tasks in PROVISIONING that wait for
    /// this provider's capacity (`sim::provisioning`),
    /// scale in instances empty for 15 minutes, toward the target capacity.
    pub(crate) fn scaling_check(&mut self) {
        self.scaling_check_at = None;
        let mut again = false;
        let providers: Vec<(String, String, u32, u32)> = self
            .state
            .capacity_providers
            .iter()
            .filter(|p| p.managed_scaling && p.status == CapacityProviderStatus::Active)
            .map(|p| {
                (
                    p.name.clone(),
                    p.asg_arn.clone(),
                    p.target_capacity,
                    p.maximum_scaling_step_size,
                )
            })
            .collect();
        for (name, asg_arn, target, max_step) in providers {
            let Some(asg) = self
                .state
                .asgs
                .iter()
                .position(|a| asg_matches(&asg_arn, &a.arn, &a.name))
            else {
                continue;
            };
            let mine: Vec<usize> = (0..self.state.instances.len())
                .filter(|&i| {
                    self.state.instances[i].capacity_provider.as_deref() == Some(name.as_str())
                        && !self.state.instances[i].terminated
                })
                .collect();
            let busy = mine
                .iter()
                .filter(|&&i| !self.state.instances[i].tasks.is_empty())
                .count() as u32;
            let instance_type = self.state.asgs[asg].instance_type.clone();
            let needed_for_waiting = self.instances_for_awaiting(&name, &instance_type);
            let wanted = busy + needed_for_waiting;
            let target_count = (u64::from(wanted) * 100).div_ceil(u64::from(target.max(1))) as u32;
            let group = &self.state.asgs[asg];
            let current = mine.len() as u32 + group.launching;
            if target_count > current {
                let add = (target_count - current)
                    .min(max_step)
                    .min(group.max_size.saturating_sub(current));
                if add > 0 {
                    self.log(format!("capacity-provider/{name}"), "scaling", format!("scale out by {add} (target {target_count} instances at {target}% target capacity)"));
                    for _ in 0..add {
                        self.launch_asg_instance(asg);
                    }
                }
            } else if target_count < current {
                let now = self.now;
                let min_size = self.state.asgs[asg].min_size;
                let mut removable = current.saturating_sub(target_count.max(min_size));
                for &i in &mine {
                    if removable == 0 {
                        break;
                    }
                    let inst = &self.state.instances[i];
                    if inst.tasks.is_empty() {
                        if inst
                            .empty_since
                            .is_some_and(|at| at + SCALE_IN_AFTER_MS <= now)
                        {
                            removable -= 1;
                            let ec2 = inst.ec2_instance_id.clone();
                            if let Some(g) = self.state.asgs.get_mut(asg) {
                                g.desired = g.desired.saturating_sub(1);
                            }
                            self.log(
                                format!("capacity-provider/{name}"),
                                "scaling",
                                format!("scale in: terminating empty instance {ec2}"),
                            );
                            self.remove_instance(
                                i,
                                &format!(
                                    "Host EC2 (instance {ec2}) terminated by managed scaling."
                                ),
                            );
                        } else {
                            again = true;
                        }
                    }
                }
            }
            if self.state.asgs.get(asg).is_some_and(|g| g.launching > 0) {
                again = true;
            }
        }
        if again {
            self.request_scaling_check();
        }
    }

    /// DescribeClusters, DescribeServices (with deployments and events),
    /// DescribeTasks and the container instances, as of now.
    pub fn snapshot(&self) -> Value {
        let mut clusters = Vec::new();
        for (ci, c) in self.state.clusters.iter().enumerate() {
            if c.status == ClusterStatus::Inactive {
                continue;
            }
            let services: Vec<Value> = self
                .state
                .services
                .iter()
                .enumerate()
                .filter(|(_, s)| s.cluster == ci)
                .map(|(si, _)| self.service_json(si, false))
                .collect();
            let tasks: Vec<Value> = self
                .state
                .tasks
                .values()
                .filter(|t| t.cluster == ci)
                .map(|t| self.task_json(t.seq, false))
                .collect();
            let instances: Vec<Value> = self
                .state
                .instances
                .iter()
                .enumerate()
                .filter(|(_, i)| i.cluster == ci && !i.terminated)
                .map(|(k, _)| self.instance_json(k))
                .collect();
            clusters.push(json!({
                "cluster": self.cluster_json(ci, &["STATISTICS"]),
                "services": services,
                "tasks": tasks,
                "containerInstances": instances,
            }));
        }
        json!({"at": self.now as f64 / 1000.0, "clusters": clusters})
    }

    /// Counts for invariants: live tasks by status per cluster.
    pub fn task_status_counts(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for t in self.state.tasks.values() {
            *counts.entry(t.last_status.as_str()).or_insert(0) += 1;
        }
        let _ = TaskStatus::Running;
        counts
    }
}

fn attributes_of(value: Option<&Value>) -> BTreeMap<String, String> {
    value
        .and_then(Value::as_object)
        .map(|o| {
            o.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.as_str().map_or_else(|| v.to_string(), str::to_string),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A provider names its group by ARN or, in scenarios, by name.
fn asg_matches(reference: &str, arn: &str, name: &str) -> bool {
    reference == arn
        || reference == name
        || crate::arn::short_name(reference) == name && reference.contains("autoScalingGroupName/")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::sim::tests::ecs;

    #[test]
    fn set_desired_capacity_launches_and_terminates_within_the_group_bounds() {
        let mut ecs = ecs();
        ecs.call("CreateCluster", &json!({})).unwrap();
        ecs.call(
            "Simulator.CreateAutoScalingGroup",
            &json!({"name": "asg", "cluster": "default", "maxSize": 4, "launchSeconds": 10}),
        )
        .unwrap();
        let live = |ecs: &crate::sim::Ecs| {
            ecs.state
                .instances
                .iter()
                .filter(|i| !i.terminated)
                .map(|i| i.availability_zone.clone())
                .collect::<Vec<_>>()
        };
        ecs.call(
            "Simulator.SetDesiredCapacity",
            &json!({"autoScalingGroupName": "asg", "desiredCapacity": 3}),
        )
        .unwrap();
        assert!(
            live(&ecs).is_empty(),
            "instances register after launchSeconds"
        );
        ecs.advance_to(10_000);
        assert_eq!(live(&ecs), ["us-east-1a", "us-east-1b", "us-east-1c"]);
        ecs.call(
            "Simulator.SetDesiredCapacity",
            &json!({"autoScalingGroupName": "asg", "desiredCapacity": 1}),
        )
        .unwrap();
        assert_eq!(live(&ecs), ["us-east-1a"]);
        let cases = [
            (
                json!({"autoScalingGroupName": "asg", "desiredCapacity": 5}),
                "New SetDesiredCapacity value 5 is above max value 4 for the AutoScalingGroup.",
            ),
            (
                json!({"autoScalingGroupName": "nope", "desiredCapacity": 1}),
                "AutoScalingGroup name not found - nope",
            ),
            (
                json!({"autoScalingGroupName": "asg"}),
                "desiredCapacity is required",
            ),
        ];
        for (request, message) in cases {
            let error = ecs
                .call("Simulator.SetDesiredCapacity", &request)
                .unwrap_err();
            assert_eq!(error.message, message, "{request}");
        }
    }

    #[test]
    fn advance_clock_moves_at_most_a_week_per_call() {
        let week = 7.0 * 24.0 * 3600.0;
        let cases = [
            (json!({"seconds": 90}), Ok(90.0)),
            (json!({"to": 30}), Ok(90.0)),
            (json!({"seconds": week}), Ok(90.0 + week)),
            (
                json!({"seconds": week + 1.0}),
                Err("InvalidParameterException"),
            ),
            (json!({"seconds": 1e300}), Err("InvalidParameterException")),
            (json!({"to": 3.0 * week}), Err("InvalidParameterException")),
            (json!({"seconds": -1}), Err("InvalidParameterException")),
        ];
        let mut ecs = ecs();
        let mut expected_now = 0.0;
        for (request, expected) in cases {
            let got = ecs
                .call("Simulator.AdvanceClock", &request)
                .map(|out| out["now"].as_f64().unwrap_or(f64::NAN))
                .map_err(|e| e.error_type);
            match expected {
                Ok(now) => {
                    expected_now = now;
                    assert_eq!(got, Ok(now), "{request}");
                }
                Err(kind) => assert_eq!(got, Err(kind.to_string()), "{request}"),
            }
            assert_eq!(
                ecs.now() as f64,
                expected_now * 1000.0,
                "{request}: the clock"
            );
        }
    }
}
