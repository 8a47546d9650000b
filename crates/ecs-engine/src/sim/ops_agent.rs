//! What the agents on an instance do through the API: UpdateContainerAgent
//! (the update's steps on the virtual clock), the container agent's
//! SubmitTaskStateChange, SubmitContainerStateChange and
//! SubmitAttachmentStateChanges, and ExecuteCommand, which needs the SSM
//! agent in the task: the simulator has none, so it answers as ECS answers
//! when it cannot open a session.

use serde_json::{json, Value};

use super::ops_state::AgentUpdate;
use super::request::required;
use super::requests::{
    ContainerInstanceRequest, ExecuteCommandRequest, SubmitAttachmentStateChangesRequest,
    SubmitContainerStateChangeRequest, SubmitTaskStateChangeRequest,
};
use super::state::{AgentUpdateStatus, DesiredStatus, Task, TaskStatus};
use super::{AwsError, CallResult, Ecs, Event};

/// The newest container agent the simulated instances can update to; the
/// simulator's own instances report it, so they have no update available.
pub const LATEST_AGENT_VERSION: &str = "1.89.0";
/// The steps of an agent update, each taking [`AGENT_UPDATE_STEP_MS`]
/// (an approximation: AWS documents the states, not their durations).
const AGENT_UPDATE_STEP_MS: u64 = 10_000;

/// What the agent's state-change calls answer (an approximation: AWS does
/// not document the acknowledgment's text and the agent ignores it).
const ACKNOWLEDGMENT: &str = "OK";

/// ECS's answer when a task cannot take an ECS Exec session.
const EXEC_NOT_ENABLED: &str = "The execute command failed because execute command was not enabled when the task was run or the execute command agent isn't running. Wait and try the command again or run a new task with execute command enabled and try again.";

/// `1.89.0` as comparable numbers (a leading `v` allowed).
fn version_numbers(version: &str) -> Option<Vec<u64>> {
    version
        .trim_start_matches('v')
        .split('.')
        .map(|part| part.parse().ok())
        .collect()
}

impl Ecs {
    /// The container instance a request names (`cluster`, `containerInstance`).
    pub(crate) fn instance_of(
        &self,
        r: &ContainerInstanceRequest<'_>,
    ) -> Result<(usize, usize), AwsError> {
        let ci = self.cluster_named(r.cluster)?;
        let index = self
            .state
            .instance_index(ci, r.container_instance)
            .ok_or_else(|| AwsError::invalid("The referenced container instance was not found."))?;
        Ok((ci, index))
    }

    pub(crate) fn update_container_agent(&mut self, r: &Value) -> CallResult {
        let (_, index) = self.instance_of(&ContainerInstanceRequest::read(r)?)?;
        if let Some(update) = self.state.ops.agent_updates.get(&index) {
            if update.status.next().is_some() {
                return Err(AwsError::new(
                    "UpdateInProgressException",
                    "There is already a current agent update in progress on this container instance.",
                ));
            }
        }
        let windows = self
            .state
            .instances
            .get(index)
            .and_then(|i| i.attributes.get("ecs.os-type"))
            .is_some_and(|os| os == "windows");
        if windows {
            return Err(AwsError::invalid(
                "Agent updates with UpdateContainerAgent do not apply to Windows container instances.",
            ));
        }
        let described = self.instance_json(index);
        let version = described["versionInfo"]["agentVersion"]
            .as_str()
            .and_then(version_numbers);
        let Some(version) = version else {
            return Err(AwsError::new(
                "MissingVersionException",
                "Amazon ECS is unable to determine the current version of the container agent on the container instance.",
            ));
        };
        if version_numbers(LATEST_AGENT_VERSION).is_some_and(|latest| version >= latest) {
            return Err(AwsError::new(
                "NoUpdateAvailableException",
                "There is no update available for your container agent.",
            ));
        }
        self.state.ops.agent_updates.insert(
            index,
            AgentUpdate {
                status: AgentUpdateStatus::Pending,
                target_version: LATEST_AGENT_VERSION.to_string(),
            },
        );
        let label = self.instance_label(index);
        self.log(label, "instance", "agent update PENDING".into());
        self.schedule_in(
            AGENT_UPDATE_STEP_MS,
            Event::AgentUpdateStep { instance: index },
        );
        Ok(json!({"containerInstance": self.instance_json(index)}))
    }

    /// The next state of an instance's agent update.
    pub(crate) fn agent_update_step(&mut self, index: usize) {
        let Some(update) = self.state.ops.agent_updates.get_mut(&index) else {
            return;
        };
        let Some(next) = update.status.next() else {
            return;
        };
        update.status = next;
        let label = self.instance_label(index);
        self.log(label, "instance", format!("agent update {}", next.as_str()));
        if next != AgentUpdateStatus::Updated {
            self.schedule_in(
                AGENT_UPDATE_STEP_MS,
                Event::AgentUpdateStep { instance: index },
            );
        }
    }

    /// Writes an instance's agent update into its ContainerInstance shape:
    /// `agentUpdateStatus`, and the new version once UPDATED.
    pub(crate) fn write_agent_update(&self, index: usize, out: &mut Value) {
        if let Some(update) = self.state.ops.agent_updates.get(&index) {
            out["agentUpdateStatus"] = json!(update.status.as_str());
            if update.status == AgentUpdateStatus::Updated {
                out["versionInfo"]["agentVersion"] = json!(update.target_version);
            }
        }
    }

    /// The task a state-change call names, if it names one.
    fn reported_task(&self, cluster: &str, task: Option<&str>) -> Result<Option<u64>, AwsError> {
        let ci = self.cluster_named(cluster)?;
        match task {
            None => Ok(None),
            Some(reference) => self
                .state
                .task_by_ref(ci, reference)
                .map(Some)
                .ok_or_else(|| AwsError::invalid("The referenced task was not found.")),
        }
    }

    /// The agent reports a task's state. The simulator runs the lifecycle
    /// itself, so a report changes nothing, except STOPPED for a task it
    /// still runs: the agent saw its essential container exit.
    pub(crate) fn submit_task_state_change(&mut self, r: &Value) -> CallResult {
        let r = SubmitTaskStateChangeRequest::read(r)?;
        let seq = self.reported_task(r.cluster, r.task)?;
        if let (Some(seq), Some("STOPPED")) = (seq, r.status) {
            let reason = r
                .reason
                .unwrap_or("Essential container in task exited")
                .to_string();
            if let Some(t) = self.state.tasks.get_mut(&seq) {
                if t.is_live() && t.desired_status == DesiredStatus::Running {
                    t.failed = true;
                }
            }
            self.stop_task(seq, "EssentialContainerExited", &reason, false);
        }
        Ok(json!({"acknowledgment": ACKNOWLEDGMENT}))
    }

    /// The agent reports a container's state: acknowledged; the
    /// simulated containers follow their image behaviour.
    pub(crate) fn submit_container_state_change(&mut self, r: &Value) -> CallResult {
        let r = SubmitContainerStateChangeRequest::read(r)?;
        let seq = self.reported_task(r.cluster, r.task)?;
        if let (Some(seq), Some(name)) = (seq, r.container_name) {
            let known = self
                .state
                .tasks
                .get(&seq)
                .is_some_and(|t| t.containers.iter().any(|c| c.name == name));
            if !known {
                return Err(AwsError::invalid(format!(
                    "The container {name} was not found in the task."
                )));
            }
        }
        Ok(json!({"acknowledgment": ACKNOWLEDGMENT}))
    }

    /// The agent reports ENI attachments: acknowledged.
    pub(crate) fn submit_attachment_state_changes(&mut self, r: &Value) -> CallResult {
        let r = SubmitAttachmentStateChangesRequest::read(r)?;
        self.cluster_named(r.cluster)?;
        Ok(json!({"acknowledgment": ACKNOWLEDGMENT}))
    }

    /// ECS Exec is on for the task: RunTask's flag, or its service's
    /// current setting (an approximation: ECS applies a change of the
    /// service's setting only to tasks launched after it).
    pub(crate) fn exec_enabled(&self, task: &Task) -> bool {
        match task.service.and_then(|si| self.state.services.get(si)) {
            Some(s) => s.enable_execute_command,
            None => self.state.ops.exec_enabled.contains(&task.seq),
        }
    }

    /// ExecuteCommand never opens a session: the simulated tasks have no
    /// SSM agent. It answers with ECS's errors: the request's own problems
    /// first, then InvalidParameterException when ECS Exec is off or the
    /// task is not RUNNING, else TargetNotConnectedException.
    pub(crate) fn execute_command(&mut self, r: &Value) -> CallResult {
        let r = ExecuteCommandRequest::read(r)?;
        let ci = self.cluster_named(r.cluster)?;
        let interactive = r.interactive.ok_or_else(|| required("interactive"))?;
        if !interactive {
            return Err(AwsError::invalid(
                "Interactive is the only mode supported currently.",
            ));
        }
        let reference = r.task;
        let task = self
            .state
            .task_by_ref(ci, reference)
            .and_then(|seq| self.state.tasks.get(&seq))
            .ok_or_else(|| AwsError::invalid("The specified task was not found."))?;
        match r.container {
            Some(name) if !task.containers.iter().any(|c| c.name == name) => {
                return Err(AwsError::invalid(format!(
                    "The specified container {name} was not found in the task."
                )))
            }
            None if task.containers.len() > 1 => {
                return Err(AwsError::invalid(
                    "A container name must be specified for a task with more than one container.",
                ))
            }
            _ => {}
        }
        if !self.exec_enabled(task) || task.last_status != TaskStatus::Running {
            return Err(AwsError::invalid(EXEC_NOT_ENABLED));
        }
        Err(AwsError::new(
            "TargetNotConnectedException",
            "The execute command failed due to an internal error. Try again later.",
        ))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::sim::tests::{cluster_with, ecs, ok};

    #[test]
    fn an_old_agent_updates_on_the_virtual_clock_and_a_current_one_has_no_update() {
        let mut ecs = ecs();
        cluster_with(&mut ecs, 2);
        let arns = ok(&mut ecs, "ListContainerInstances", json!({}));
        let first = arns["containerInstanceArns"][0]
            .as_str()
            .unwrap()
            .to_string();
        let e = ecs
            .call(
                "UpdateContainerAgent",
                &json!({"containerInstance": first.clone()}),
            )
            .unwrap_err();
        assert_eq!(e.error_type, "NoUpdateAvailableException");
        // An instance on an older agent (as the endpoint's registration
        // from versionInfo gives) updates; its status moves on the clock.
        let index = ecs.state.instance_index(0, &first).unwrap();
        ecs.state.ops.agent_updates.insert(
            index,
            AgentUpdate {
                status: AgentUpdateStatus::Updated,
                target_version: "1.70.0".into(),
            },
        );
        let old = ok(
            &mut ecs,
            "DescribeContainerInstances",
            json!({"containerInstances": [first.clone()]}),
        );
        assert_eq!(
            old["containerInstances"][0]["versionInfo"]["agentVersion"],
            "1.70.0"
        );
        let started = ok(
            &mut ecs,
            "UpdateContainerAgent",
            json!({"containerInstance": first.clone()}),
        );
        assert_eq!(started["containerInstance"]["agentUpdateStatus"], "PENDING");
        let e = ecs
            .call(
                "UpdateContainerAgent",
                &json!({"containerInstance": first.clone()}),
            )
            .unwrap_err();
        assert_eq!(e.error_type, "UpdateInProgressException");
        let mut seen = Vec::new();
        for _ in 0..5 {
            ecs.advance_to(ecs.now() + AGENT_UPDATE_STEP_MS);
            let d = ok(
                &mut ecs,
                "DescribeContainerInstances",
                json!({"containerInstances": [first.clone()]}),
            );
            seen.push(
                d["containerInstances"][0]["agentUpdateStatus"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            );
            if seen.last().is_some_and(|s| s == "UPDATED") {
                assert_eq!(
                    d["containerInstances"][0]["versionInfo"]["agentVersion"],
                    LATEST_AGENT_VERSION
                );
            }
        }
        assert_eq!(
            seen,
            ["STAGING", "STAGED", "UPDATING", "UPDATED", "UPDATED"]
        );
    }

    #[test]
    fn execute_command_answers_as_ecs_does_without_a_session() {
        let mut ecs = ecs();
        cluster_with(&mut ecs, 1);
        let plain = ok(&mut ecs, "RunTask", json!({"taskDefinition": "web"}));
        let plain = plain["tasks"][0]["taskArn"].as_str().unwrap().to_string();
        let exec = ok(
            &mut ecs,
            "RunTask",
            json!({"taskDefinition": "web", "enableExecuteCommand": true,
                   "overrides": {"taskRoleArn": "arn:aws:iam::123456789012:role/exec"}}),
        );
        assert_eq!(exec["tasks"][0]["enableExecuteCommand"], true);
        let exec = exec["tasks"][0]["taskArn"].as_str().unwrap().to_string();
        let request = |task: &str, interactive: bool| json!({"task": task, "command": "/bin/sh", "interactive": interactive});
        let error = |ecs: &mut Ecs, r: serde_json::Value| {
            ecs.call("ExecuteCommand", &r).unwrap_err().error_type
        };
        // Not yet RUNNING: the exec agent is not running either.
        assert_eq!(
            error(&mut ecs, request(&exec, true)),
            "InvalidParameterException"
        );
        ecs.advance_to(60_000);
        assert_eq!(
            error(&mut ecs, request(&plain, true)),
            "InvalidParameterException"
        );
        assert_eq!(
            error(&mut ecs, request(&exec, false)),
            "InvalidParameterException"
        );
        assert_eq!(
            error(&mut ecs, request("nope", true)),
            "InvalidParameterException"
        );
        assert_eq!(
            error(&mut ecs, request(&exec, true)),
            "TargetNotConnectedException"
        );
    }

    #[test]
    fn agent_reports_are_acknowledged_and_a_stopped_report_stops_the_task() {
        let mut ecs = ecs();
        cluster_with(&mut ecs, 1);
        let run = ok(&mut ecs, "RunTask", json!({"taskDefinition": "web"}));
        let arn = run["tasks"][0]["taskArn"].as_str().unwrap().to_string();
        ecs.advance_to(60_000);
        for (operation, request) in [
            (
                "SubmitContainerStateChange",
                json!({"task": arn, "containerName": "app", "status": "RUNNING"}),
            ),
            (
                "SubmitAttachmentStateChanges",
                json!({"attachments": [{"attachmentArn": "arn:aws:ecs:us-east-1:123456789012:attachment/x", "status": "ATTACHED"}]}),
            ),
            (
                "SubmitTaskStateChange",
                json!({"task": arn, "status": "STOPPED", "reason": "OOM"}),
            ),
        ] {
            let out = ok(&mut ecs, operation, request);
            assert_eq!(out, json!({"acknowledgment": "OK"}), "{operation}");
        }
        let e = ecs
            .call(
                "SubmitContainerStateChange",
                &json!({"task": arn, "containerName": "nope"}),
            )
            .unwrap_err();
        assert_eq!(e.error_type, "InvalidParameterException");
        let e = ecs
            .call(
                "SubmitTaskStateChange",
                &json!({"cluster": "nope", "task": arn}),
            )
            .unwrap_err();
        assert_eq!(e.error_type, "ClusterNotFoundException");
        ecs.advance_to(120_000);
        let d = ok(&mut ecs, "DescribeTasks", json!({"tasks": [arn]}));
        assert_eq!(d["tasks"][0]["lastStatus"], "STOPPED");
        assert_eq!(d["tasks"][0]["stoppedReason"], "OOM");
        assert_eq!(d["tasks"][0]["stopCode"], "EssentialContainerExited");
    }
}
