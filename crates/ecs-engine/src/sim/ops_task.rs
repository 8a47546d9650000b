//! Tasks: RunTask, StartTask, StopTask, DescribeTasks and ListTasks, and the
//! Task shape DescribeTasks returns.

use serde_json::{json, Value};

use super::lifecycle::NewTask;
use super::ops_cluster::with_token;
use super::paging::page;
use super::placement::{
    constraints_from_json, provider_items, requirements_for, strategies_from_json,
};
use super::requests::{
    DescribeRequest, ListTasksRequest, RunTaskRequest, StartTaskRequest, StopTaskRequest,
};
use super::response::Response;
use super::state::{ContainerState, DesiredStatus};
use super::state::{StrategyItem, Task, TaskStatus};
use super::{Answer, AwsError, CallResult, Ecs};
use crate::json::write::ObjectWriter;
use crate::place::launch::launch_target;
use crate::place::{PlacementRequest, PlacementStrategy};

/// Tasks per RunTask call and instances per StartTask call (A6).
const MAX_RUN_COUNT: i64 = 10;

impl Ecs {
    /// The strategy tasks are launched with: none with a launch type, else
    /// the request's, else the cluster default (B-CP-01).
    pub(crate) fn effective_strategy(
        &self,
        cluster: usize,
        launch_type: Option<&str>,
        requested: Option<&[StrategyItem]>,
    ) -> Option<Vec<StrategyItem>> {
        if launch_type.is_some() {
            return None;
        }
        if let Some(s) = requested.filter(|s| !s.is_empty()) {
            return Some(s.to_vec());
        }
        self.state
            .clusters
            .get(cluster)
            .map(|c| c.default_strategy.clone())
            .filter(|s| !s.is_empty())
    }

    pub(crate) fn run_task(&mut self, r: &Value) -> Answer {
        let q = RunTaskRequest::read(r)?;
        let ci = self.cluster_named(q.cluster)?;
        let td = self.active_task_definition(q.task_definition)?;
        let count = q.count;
        if !(1..=MAX_RUN_COUNT).contains(&count) {
            return Err(AwsError::invalid("count must be between 1 and 10."));
        }
        let launch_type = q.launch_type.map(str::to_string);
        let requested = q.capacity_provider_strategy;
        if let Some(st) = &requested {
            super::placement::validate_strategy(st)?;
        }
        if launch_type.is_some() && requested.is_some() {
            return Err(AwsError::invalid(
                "Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.",
            ));
        }
        let strategy = self.effective_strategy(ci, launch_type.as_deref(), requested.as_deref());
        let group = q
            .group
            .map(str::to_string)
            .unwrap_or_else(|| format!("family:{}", td.family));
        // Each task's launch type and provider, in order
        // (place::capacity::launches). Without a provider, the launch type
        // (EC2 when neither is given, whatever the definition requires: a
        // FARGATE-only definition then needs an instance like any other)
        // must suit the definition (place::launch).
        let items = strategy.as_deref().map(provider_items).unwrap_or_default();
        let mut placed = vec![0u32; items.len()];
        let mut launches: Vec<(String, Option<String>)> = Vec::with_capacity(count as usize);
        for _ in 0..count {
            let launch = crate::place::capacity::next_launch(launch_type.as_deref(), &items, &mut placed)
                .ok_or_else(|| AwsError::invalid(
                    "The specified capacity provider strategy has no capacity provider with a weight greater than zero.",
                ))?;
            launches.push(match launch.capacity_provider {
                Some(name) => (launch.launch_type.to_string(), Some(name.to_string())),
                None => {
                    let target = launch_target(&td.requires_compatibilities, launch.launch_type)
                        .map_err(AwsError::client)?;
                    (target.as_str().to_string(), None)
                }
            });
        }
        // Tasks of a managed-scaling provider wait for instances instead.
        let needs_instances = launches
            .iter()
            .any(|(lt, p)| lt != "FARGATE" && !self.waits_for_capacity(ci, p.as_deref()));
        if needs_instances && !self.state.has_instances(ci) {
            return Err(AwsError::invalid(
                "No Container Instances were found in your cluster.",
            ));
        }
        let mut task_tags = q.tags.to_vec();
        if q.propagate_tags == Some("TASK_DEFINITION") {
            task_tags.extend(td.tags.iter().cloned());
        }
        let overrides = q.overrides.cloned().unwrap_or_else(|| json!({}));
        let request = PlacementRequest {
            requirements: requirements_for(&td, &overrides),
            group: group.clone(),
            constraints: constraints_from_json(q.placement_constraints),
            strategies: {
                let given = strategies_from_json(q.placement_strategy);
                if given.is_empty() {
                    PlacementStrategy::run_task_default()
                } else {
                    given
                }
            },
            capacity_provider: None,
        };
        let started_by = q.started_by.map(str::to_string);
        let platform_version = q.platform_version.map(str::to_string);
        let exec = q.enable_execute_command;
        let new_task = |instance: Option<usize>, lt: &str, provider: &Option<String>| NewTask {
            cluster: ci,
            task_definition: td.arn.clone(),
            instance,
            launch_type: lt.to_string(),
            capacity_provider: provider.clone(),
            group: group.clone(),
            started_by: started_by.clone(),
            service: None,
            deployment: None,
            overrides: overrides.clone(),
            tags: task_tags.clone(),
            platform_version: platform_version.clone(),
        };
        let mut tasks = Vec::new();
        let mut failures = Vec::new();
        let mut at = 0;
        while let Some((lt, provider)) = launches.get(at).cloned() {
            if lt == "FARGATE" {
                if let Some(seq) = self.create_task(new_task(None, &lt, &provider)) {
                    if exec {
                        self.enable_exec(seq);
                    }
                    tasks.push(seq);
                }
                at += 1;
                continue;
            }
            // One placer for the run of tasks that share this provider.
            let run = launches[at..]
                .iter()
                .take_while(|(l, p)| *l == lt && *p == provider)
                .count();
            let mut request = request.clone();
            request.capacity_provider = provider.clone();
            let awaiting = request.clone();
            let placed = self
                .with_placer(ci, request, |ecs, placer| {
                    let mut out = Vec::new();
                    for _ in 0..run {
                        let created = match ecs.place_next(ci, placer) {
                            Some(index) => ecs.create_task(new_task(Some(index), &lt, &provider)),
                            // No instance can take it, but its provider
                            // scales: the task waits in PROVISIONING.
                            None if ecs.waits_for_capacity(ci, provider.as_deref()) => ecs
                                .create_task_waiting(
                                    new_task(None, &lt, &provider),
                                    Some(awaiting.clone()),
                                ),
                            None => {
                                out.push(Err(ecs.unplaced(ci, placer)));
                                continue;
                            }
                        };
                        out.extend(created.map(Ok));
                    }
                    out
                })
                .map_err(|e| AwsError::invalid(e.message))?;
            for outcome in placed {
                match outcome {
                    Ok(seq) => {
                        if exec {
                            self.enable_exec(seq);
                        }
                        tasks.push(seq);
                    }
                    Err(unplaced) => {
                        let mut failure = json!({"reason": unplaced.reason});
                        if let Some(arn) = unplaced.arn {
                            failure["arn"] = json!(arn);
                        }
                        failures.push(failure);
                    }
                }
            }
            at += run;
        }
        Ok(self.tasks_answer(&tasks, true, &failures))
    }

    /// Notes that ECS Exec is on for task `seq` (RunTask's
    /// enableExecuteCommand), forgetting tasks the account no longer keeps.
    fn enable_exec(&mut self, seq: u64) {
        let tasks = &self.state.tasks;
        self.state
            .ops
            .exec_enabled
            .retain(|q| tasks.contains_key(q));
        self.state.ops.exec_enabled.insert(seq);
    }

    pub(crate) fn start_task(&mut self, r: &Value) -> Answer {
        let q = StartTaskRequest::read(r)?;
        let ci = self.cluster_named(q.cluster)?;
        let td = self.active_task_definition(q.task_definition)?;
        let references = q.container_instances;
        if references.is_empty() || references.len() > MAX_RUN_COUNT as usize {
            return Err(AwsError::invalid(
                "containerInstances must list between 1 and 10 container instances.",
            ));
        }
        let group = q
            .group
            .map(str::to_string)
            .unwrap_or_else(|| format!("family:{}", td.family));
        let overrides = q.overrides.cloned().unwrap_or_else(|| json!({}));
        let started_by = q.started_by.map(str::to_string);
        let task_tags = q.tags.to_vec();
        let mut tasks = Vec::new();
        let mut failures = Vec::new();
        for reference in references {
            let Some(index) = self.state.instance_index(ci, &reference) else {
                failures.push(json!({"arn": reference, "reason": "MISSING"}));
                continue;
            };
            // StartTask skips the strategies but not the checks: the
            // pipeline's verdict for that one instance.
            let mut request = PlacementRequest::run_task(requirements_for(&td, &overrides));
            request.group = group.clone();
            let placed = self
                .with_placer(ci, request, |ecs, placer| ecs.place_next_on(placer, index))
                .map_err(|e| AwsError::invalid(e.message))?;
            if let Err(check) = placed {
                let arn = self.state.instances[index].arn.clone();
                failures.push(json!({"arn": arn, "reason": check.failure_reason()}));
                continue;
            }
            if let Some(seq) = self.create_task(NewTask {
                cluster: ci,
                task_definition: td.arn.clone(),
                instance: Some(index),
                launch_type: "EC2".into(),
                capacity_provider: None,
                group: group.clone(),
                started_by: started_by.clone(),
                service: None,
                deployment: None,
                overrides: overrides.clone(),
                tags: task_tags.clone(),
                platform_version: None,
            }) {
                tasks.push(seq);
            }
        }
        Ok(self.tasks_answer(&tasks, true, &failures))
    }

    fn active_task_definition(
        &self,
        reference: &str,
    ) -> Result<super::state::TaskDefinition, AwsError> {
        self.active_revision(reference, "Unable to find the task definition.")
    }

    /// The ACTIVE revision a reference names; `missing` is the operation's
    /// own ClientException text for one that does not exist.
    pub(crate) fn active_revision(
        &self,
        reference: &str,
        missing: &str,
    ) -> Result<super::state::TaskDefinition, AwsError> {
        let td = self
            .state
            .task_definition(reference)
            .ok_or_else(|| AwsError::client(missing))?;
        if !td.active {
            return Err(AwsError::client(format!(
                "TaskDefinition is inactive ({}:{}).",
                td.family, td.revision
            )));
        }
        Ok(td.clone())
    }

    pub(crate) fn stop_task_call(&mut self, r: &Value) -> Answer {
        let r = StopTaskRequest::read(r)?;
        let ci = self.cluster_named(r.cluster)?;
        let seq = self
            .state
            .task_by_ref(ci, r.task)
            .ok_or_else(|| AwsError::invalid("The referenced task was not found."))?;
        let reason = r.reason.unwrap_or("Task stopped by user").to_string();
        self.stop_task(seq, "UserInitiated", &reason, true);
        // The task's tags are deleted when it is stopped (B-TASK-03).
        if let Some(t) = self.state.tasks.get_mut(&seq) {
            t.tags.clear();
        }
        let mut text = String::with_capacity(1024);
        let mut answer = ObjectWriter::begin(&mut text);
        match self.task_view(seq, false) {
            Some(view) => view.write(answer.key("task")),
            None => answer.key("task").push_str("null"),
        }
        answer.end();
        Ok(Response::written(text))
    }

    pub(crate) fn describe_tasks(&mut self, r: &Value) -> Answer {
        let q = DescribeRequest::read(r, "tasks")?;
        let ci = self.cluster_named(q.cluster)?;
        let references = q.references;
        if references.len() > 100 {
            return Err(AwsError::invalid("tasks can have at most 100 items."));
        }
        let with_tags = q.with_tags;
        let mut tasks = Vec::new();
        let mut failures = Vec::new();
        for reference in references {
            match self.state.task_by_ref(ci, &reference) {
                Some(seq) => tasks.push(seq),
                None => failures.push(json!({"arn": reference, "reason": "MISSING"})),
            }
        }
        Ok(self.tasks_answer(&tasks, with_tags, &failures))
    }

    pub(crate) fn list_tasks(&mut self, r: &Value) -> CallResult {
        let r = ListTasksRequest::read(r)?;
        let ci = self.cluster_named(r.cluster)?;
        let instance = match r.container_instance {
            Some(reference) => Some(self.state.instance_index(ci, reference).ok_or_else(|| {
                AwsError::invalid("The referenced container instance was not found.")
            })?),
            None => None,
        };
        let (family, started_by) = (r.family, r.started_by);
        let service = match r.service_name {
            Some(name) => Some(
                self.state
                    .service_index(ci, name)
                    .ok_or_else(AwsError::service_not_found)?,
            ),
            None => None,
        };
        let (desired, launch_type) = (r.desired_status, r.launch_type);
        let arns: Vec<String> = self
            .state
            .tasks
            .values()
            .filter(|t| t.cluster == ci)
            .filter(|t| instance.is_none() || t.instance == instance)
            .filter(|t| family.is_none_or(|f| t.family == f))
            .filter(|t| started_by.is_none_or(|s| t.started_by.as_deref() == Some(s)))
            .filter(|t| service.is_none() || t.service == service)
            .filter(|t| match desired {
                "STOPPED" => t.desired_status == DesiredStatus::Stopped,
                "PENDING" => {
                    t.desired_status == DesiredStatus::Running && t.last_status.is_starting()
                }
                _ => t.desired_status == DesiredStatus::Running,
            })
            .filter(|t| launch_type.is_none_or(|l| t.launch_type == l))
            .map(|t| t.arn.clone())
            .collect();
        let (items, next) = page(&r.page, &arns, 100)?;
        Ok(with_token(json!({"taskArns": items}), next))
    }

    /// The Task shape (B-TASK-01 … B-TASK-18).
    /// The Availability Zone a Fargate task runs in (spread by task number).
    pub(crate) fn fargate_zone(&self, seq: u64) -> String {
        let zone = ["a", "b", "c"]
            .get((seq % 3) as usize)
            .copied()
            .unwrap_or("a");
        format!("{}{zone}", self.config.region)
    }

    /// The Task shape of task `seq` as a JSON value (the simulator's
    /// snapshot): the text the operations answer, read back.
    pub(crate) fn task_json(&self, seq: u64, with_tags: bool) -> Value {
        let Some(view) = self.task_view(seq, with_tags) else {
            return Value::Null;
        };
        let mut text = String::new();
        view.write(&mut text);
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    pub(crate) fn task_view(&self, seq: u64, with_tags: bool) -> Option<TaskView<'_>> {
        let task = self.state.tasks.get(&seq)?;
        Some(TaskView {
            ecs: self,
            task,
            with_tags,
        })
    }

    /// `{"tasks": [...], "failures": [...]}` written straight from the
    /// account: RunTask, StartTask and DescribeTasks.
    fn tasks_answer(&self, seqs: &[u64], with_tags: bool, failures: &[Value]) -> Response {
        let views: Vec<TaskView<'_>> = seqs
            .iter()
            .filter_map(|&seq| self.task_view(seq, with_tags))
            .collect();
        let mut text = String::with_capacity(1024 * views.len() + 64);
        let mut answer = ObjectWriter::begin(&mut text);
        answer.list("tasks", &views, |out, view| view.write(out));
        answer.list("failures", failures, |out, failure| {
            out.push_str(&crate::json::write::compact(failure))
        });
        answer.end();
        Response::written(text)
    }
}

/// The Task shape (B-TASK-01 … B-TASK-18) of one task, written from the
/// account: members in the order ECS's SDK models list them first, then
/// the ones only some tasks have.
pub(crate) struct TaskView<'a> {
    ecs: &'a Ecs,
    task: &'a Task,
    with_tags: bool,
}

impl TaskView<'_> {
    pub(crate) fn write(&self, text: &mut String) {
        let (ecs, t) = (self.ecs, self.task);
        let seq = t.seq;
        let cluster = ecs.state.clusters.get(t.cluster);
        let instance = t.instance.and_then(|i| ecs.state.instances.get(i));
        // A timestamp in AWS JSON form: Unix seconds with milliseconds.
        let seconds = |ms: u64| ecs.config.epoch_seconds as f64 + ms as f64 / 1000.0;
        let mut out = ObjectWriter::begin(text);
        if t.network_mode == "awsvpc" || t.launch_type == "FARGATE" {
            let status = match t.last_status {
                TaskStatus::Provisioning => "PRECREATED",
                TaskStatus::Deprovisioning => "DETACHING",
                TaskStatus::Stopped => "DELETED",
                _ => "ATTACHED",
            };
            out.value(
                "attachments",
                &json!([{
                    "id": format!("{}-eni", &t.id.get(..8).unwrap_or("")),
                    "type": "ElasticNetworkInterface",
                    "status": status,
                    "details": [
                        {"name": "networkInterfaceId", "value": format!("eni-{}", t.id.get(..17).unwrap_or(""))},
                        {"name": "privateIPv4Address", "value": format!("10.0.{}.{}", (seq / 250) % 250, seq % 250 + 4)},
                    ],
                }]),
            );
        } else {
            out.key("attachments").push_str("[]");
        }
        out.key("attributes")
            .push_str(r#"[{"name":"ecs.cpu-architecture","value":"x86_64"}]"#);
        out.str("clusterArn", cluster.map_or("", |c| c.arn.as_str()));
        out.str("connectivity", "CONNECTED");
        out.f64("connectivityAt", seconds(t.connectivity_at));
        let running = t.started_at.is_some();
        let cluster_name = cluster.map_or("", |c| c.name.as_str());
        let containers: Vec<(usize, &ContainerState)> = t.containers.iter().enumerate().collect();
        out.list("containers", &containers, |out, &(k, c)| {
            let arn = crate::arn::ecs_arn(
                &ecs.config.region,
                &ecs.config.account,
                &format!("container/{cluster_name}/{}/{}", t.id, c.name),
            );
            write_container(out, t, k, c, running, &arn);
        });
        // Integers the Task shape spells as strings.
        out.str("cpu", &t.cpu.to_string());
        out.f64("createdAt", seconds(t.created_at));
        out.str("desiredStatus", t.desired_status.as_str());
        out.bool("enableExecuteCommand", ecs.exec_enabled(t));
        out.str("group", &t.group);
        out.str("healthStatus", t.health_status.as_str());
        out.str("lastStatus", t.last_status.as_str());
        out.str("launchType", &t.launch_type);
        out.str("memory", &t.memory.to_string());
        if t.overrides.as_object().is_some_and(|o| !o.is_empty()) {
            out.value("overrides", &t.overrides);
        } else {
            out.key("overrides")
                .push_str(r#"{"containerOverrides":[],"inferenceAcceleratorOverrides":[]}"#);
        }
        out.str("taskArn", &t.arn);
        out.str("taskDefinitionArn", &t.task_definition);
        out.u64("version", t.version);
        if let Some(i) = instance {
            out.str("containerInstanceArn", &i.arn);
            out.str("availabilityZone", &i.availability_zone);
        } else if t.launch_type == "FARGATE" {
            out.str("availabilityZone", &ecs.fargate_zone(seq));
            out.str(
                "platformVersion",
                t.platform_version.as_deref().unwrap_or("1.4.0"),
            );
            out.str("platformFamily", "Linux");
            out.key("ephemeralStorage").push_str(r#"{"sizeInGiB":20}"#);
        }
        if let Some(cp) = &t.capacity_provider {
            out.str("capacityProviderName", cp);
        }
        if let Some(by) = &t.started_by {
            out.str("startedBy", by);
        }
        let times = [
            ("pullStartedAt", t.pull_started_at),
            ("pullStoppedAt", t.pull_stopped_at),
            ("startedAt", t.started_at),
            ("stoppingAt", t.stopping_at),
            ("executionStoppedAt", t.execution_stopped_at),
            ("stoppedAt", t.stopped_at),
        ];
        for (key, at) in times {
            if let Some(at) = at {
                out.f64(key, seconds(at));
            }
        }
        if let Some(code) = t.stop_code {
            out.str("stopCode", code);
        }
        if let Some(reason) = &t.stopped_reason {
            out.str("stoppedReason", reason);
        }
        if self.with_tags {
            out.list("tags", &t.tags, |out, tag| {
                out.push_str(&crate::json::write::compact(tag))
            });
        }
        out.end();
    }
}

fn write_container(
    text: &mut String,
    t: &Task,
    k: usize,
    c: &ContainerState,
    running: bool,
    arn: &str,
) {
    let mut out = ObjectWriter::begin(text);
    out.str("containerArn", arn);
    out.str("taskArn", &t.arn);
    out.str("name", &c.name);
    out.str("image", &c.image);
    out.str("lastStatus", c.last_status.as_str());
    out.key("networkInterfaces").push_str("[]");
    out.str("healthStatus", c.health_status.as_str());
    if running {
        out.str("runtimeId", &format!("{}-{}", t.id, k));
    }
    if let Some(code) = c.exit_code {
        out.i64("exitCode", code);
    }
    if let Some(reason) = &c.reason {
        out.str("reason", &reason.chars().take(255).collect::<String>());
    }
    if let Some(cpu) = c.cpu {
        out.str("cpu", &cpu.to_string());
    }
    if let Some(memory) = c.memory {
        out.str("memory", &memory.to_string());
    }
    if running && t.is_live() && t.network_mode != "awsvpc" {
        // Bridge: static host ports as mapped, else an ephemeral port.
        let mappings: Vec<_> = c.port_mappings.iter().enumerate().collect();
        out.list("networkBindings", &mappings, |text, &(j, mapping)| {
            let (container_port, host_port, protocol) = mapping;
            let mut binding = ObjectWriter::begin(text);
            binding.str("bindIP", "0.0.0.0");
            binding.i64("containerPort", *container_port);
            binding.i64(
                "hostPort",
                host_port
                    .filter(|p| *p > 0)
                    .unwrap_or(49153 + ((t.seq * 7 + j as u64) % 16000) as i64),
            );
            binding.str("protocol", protocol);
            binding.end();
        });
    }
    out.end();
}
