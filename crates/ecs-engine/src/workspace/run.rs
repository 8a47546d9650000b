//! A run on the run page: the scenario it starts from (the user's workspace or
//! a gallery scenario), the actions the user took while watching (each one the
//! ECS or simulator calls it stands for, appended as timed steps), and where
//! playback stood. It is stored under its own key, so opening a gallery
//! scenario never touches the user's workspace.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::sim::scenario::{parse_time, CallRecord, Scenario, DEFAULT_TAIL_MS, MAX_STEPS};

/// The localStorage key the run lives under (the workspace has its own).
pub const RUN_STORAGE_KEY: &str = "ecs-playground.run";
const RUN_FORMAT: &str = "ecs-playground-run/1";

/// Where the run's scenario came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum RunSource {
    Workspace,
    Gallery {
        name: String,
    },
    /// A lesson (`www/lessons/ID.json`): its scenario, the learner's calls
    /// as actions.
    Lesson {
        id: String,
    },
}

/// The recorded call an action's last step made: the last call of its name
/// at the action's time (actions follow the scenario's steps, and later
/// actions earlier ones). `None` when the recording has no such call.
pub fn recorded_call<'a>(
    recording: &'a crate::sim::playback::Recording,
    action: &Action,
) -> Option<&'a CallRecord> {
    let step = action.steps.last()?;
    let at = action.at_ms as f64 / 1000.0;
    recording
        .calls()
        .iter()
        .rev()
        .find(|c| c.call == step.call && (c.at - at).abs() < 0.0005)
}

/// One call of an action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionStep {
    pub call: String,
    pub input: Value,
}

/// What the user did at a virtual time, as the calls it stands for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Action {
    pub at_ms: u64,
    pub label: String,
    pub steps: Vec<ActionStep>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    pub source: RunSource,
    pub title: String,
    /// The scenario document as loaded, never changed by actions.
    pub base: Value,
    pub actions: Vec<Action>,
    /// Where playback stood (virtual ms).
    pub position_ms: u64,
}

#[derive(Serialize, Deserialize)]
struct Envelope {
    format: String,
    run: Run,
}

impl Run {
    pub fn new(source: RunSource, base: Value) -> Run {
        let title = base
            .get("guide")
            .and_then(|g| g.get("title"))
            .or_else(|| base.get("name"))
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| match &source {
                RunSource::Workspace => "Your workspace".to_string(),
                RunSource::Gallery { name } | RunSource::Lesson { id: name } => name.clone(),
            });
        Run {
            source,
            title,
            base,
            actions: Vec::new(),
            position_ms: 0,
        }
    }

    /// The base scenario with every action's calls appended at its time; when
    /// the base sets `until`, it is extended to show ten minutes after the
    /// last action.
    pub fn scenario_value(&self) -> Value {
        let mut doc = self.base.clone();
        let Some(object) = doc.as_object_mut() else {
            return doc;
        };
        let mut steps = match object.remove("steps") {
            Some(Value::Array(steps)) => steps,
            _ => Vec::new(),
        };
        for action in &self.actions {
            for step in &action.steps {
                steps.push(
                    json!({"at": seconds(action.at_ms), "call": step.call, "input": step.input}),
                );
            }
        }
        object.insert("steps".into(), Value::Array(steps));
        let last_action = self.actions.iter().map(|a| a.at_ms).max();
        if let (Some(until), Some(last)) = (object.get("until"), last_action) {
            if let Ok(until) = parse_time(until) {
                let wanted = last.saturating_add(DEFAULT_TAIL_MS).max(until);
                object.insert("until".into(), json!(seconds(wanted)));
            }
        }
        doc
    }

    /// The scenario to record; the message says what is wrong with it.
    pub fn scenario(&self) -> Result<Scenario, String> {
        Scenario::from_value(&self.scenario_value())
    }

    /// This run with `action` taken; refused when the scenario would exceed
    /// the step limit.
    pub fn with_action(&self, action: Action) -> Result<Run, String> {
        let base_steps = self
            .base
            .get("steps")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        let steps: usize = self.actions.iter().map(|a| a.steps.len()).sum();
        if base_steps + steps + action.steps.len() > MAX_STEPS {
            return Err(format!(
                "A scenario has at most {MAX_STEPS} steps; undo an action first."
            ));
        }
        let mut run = self.clone();
        run.position_ms = action.at_ms;
        run.actions.push(action);
        Ok(run)
    }

    /// This run without its last action, or `None` when there is none.
    pub fn without_last_action(&self) -> Option<Run> {
        let mut run = self.clone();
        run.actions.pop()?;
        Some(run)
    }

    pub fn save(&self) -> String {
        crate::json::write::compact_of(&Envelope {
            format: RUN_FORMAT.into(),
            run: self.clone(),
        })
        .unwrap_or_default()
    }

    /// The stored run, or `None` when there is none or it cannot be read.
    pub fn load(stored: &str) -> Option<Run> {
        let value = super::parse_value(stored).ok()?;
        let envelope: Envelope = serde_json::from_value(value).ok()?;
        (envelope.format == RUN_FORMAT).then_some(envelope.run)
    }

    /// What ECS answered to the last action's calls, when it refused any:
    /// `calls` are the recording's, in time order, and the action's calls
    /// are the last ones made at its time.
    pub fn last_action_errors(&self, calls: &[CallRecord]) -> Vec<String> {
        let Some(action) = self.actions.last() else {
            return Vec::new();
        };
        let at = action.at_ms as f64 / 1000.0;
        let at_time: Vec<&CallRecord> = calls.iter().filter(|c| c.at == at).collect();
        let mine = at_time
            .get(at_time.len().saturating_sub(action.steps.len())..)
            .unwrap_or_default();
        mine.iter()
            .filter_map(|c| {
                let e = c.error.as_ref()?;
                let kind = e.get("__type").and_then(Value::as_str).unwrap_or("Error");
                let message = e.get("message").and_then(Value::as_str).unwrap_or("");
                Some(format!("{}: {kind}: {message}", c.call))
            })
            .collect()
    }

    /// The latest value of a service's `member` among its CreateService and
    /// UpdateService steps (what the user last asked for).
    pub fn service_setting(&self, service: &str, member: &str) -> Option<Value> {
        let value = self.scenario_value();
        let mut found = None;
        for step in value.get("steps")?.as_array()? {
            let input = step.get("input");
            let names = match step.get("call").and_then(Value::as_str) {
                Some("CreateService") => input.and_then(|i| i.get("serviceName")),
                Some("UpdateService") => input.and_then(|i| i.get("service")),
                _ => None,
            };
            let is_service = names
                .and_then(Value::as_str)
                .is_some_and(|n| n == service || n.ends_with(&format!("/{service}")));
            if let (true, Some(v)) = (is_service, input.and_then(|i| i.get(member))) {
                found = Some(v.clone());
            }
        }
        found
    }

    /// The Auto Scaling groups the scenario creates, by name.
    pub fn auto_scaling_groups(&self) -> Vec<String> {
        let value = self.scenario_value();
        value
            .get("steps")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|s| {
                s.get("call").and_then(Value::as_str) == Some("Simulator.CreateAutoScalingGroup")
            })
            .filter_map(|s| s.get("input")?.get("name")?.as_str().map(str::to_string))
            .collect()
    }

    /// The latest RegisterTaskDefinition input for `family` among the
    /// scenario's steps, the base's and the actions'.
    pub fn latest_registration(&self, family: &str) -> Option<Value> {
        let value = self.scenario_value();
        let steps = value.get("steps")?.as_array()?;
        let mut found = None;
        let mut latest = 0;
        for step in steps {
            let at = step.get("at").map_or(Ok(0), parse_time).unwrap_or(0);
            let is_family = step.get("call").and_then(Value::as_str)
                == Some("RegisterTaskDefinition")
                && step
                    .get("input")
                    .and_then(|i| i.get("family"))
                    .and_then(Value::as_str)
                    == Some(family);
            if is_family && at >= latest {
                latest = at;
                found = step.get("input").cloned();
            }
        }
        found
    }
}

fn seconds(ms: u64) -> Value {
    if ms.is_multiple_of(1000) {
        json!(ms / 1000)
    } else {
        json!(ms as f64 / 1000.0)
    }
}

/// How an image behaves, for `Simulator.SetImageBehavior`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageBehavior {
    Healthy,
    /// Exits with code 1 this many seconds after starting.
    CrashAfter(u32),
    /// Fails to start: the image cannot be pulled.
    FailsToStart,
    /// Its health check fails from this many seconds after starting.
    UnhealthyAfter(u32),
}

impl ImageBehavior {
    fn request(self, image: &str) -> Value {
        match self {
            ImageBehavior::Healthy => json!({"image": image}),
            ImageBehavior::CrashAfter(s) => {
                json!({"image": image, "exitAfterSeconds": s, "exitCode": 1})
            }
            ImageBehavior::FailsToStart => {
                json!({"image": image, "startFailure": format!("CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref {image}: not found")})
            }
            ImageBehavior::UnhealthyAfter(s) => {
                json!({"image": image, "health": [{"atSeconds": s, "status": "UNHEALTHY"}]})
            }
        }
    }

    fn describe(self) -> String {
        match self {
            ImageBehavior::Healthy => "runs normally".into(),
            ImageBehavior::CrashAfter(s) => format!("exits with code 1 after {s} s"),
            ImageBehavior::FailsToStart => "fails to start (the image cannot be pulled)".into(),
            ImageBehavior::UnhealthyAfter(s) => format!("turns unhealthy after {s} s"),
        }
    }
}

/// An action the run page offers, before it is turned into calls.
#[derive(Debug, Clone, PartialEq)]
pub enum ActionRequest {
    SetDesiredCount {
        cluster: String,
        service: String,
        desired: u32,
    },
    SetDeploymentConfiguration {
        cluster: String,
        service: String,
        minimum_healthy_percent: u32,
        maximum_percent: u32,
    },
    ForceNewDeployment {
        cluster: String,
        service: String,
    },
    /// Registers a new revision of `family` whose first container runs
    /// `image` (behaving as `behavior`), and deploys it to the service.
    DeployImage {
        cluster: String,
        service: String,
        family: String,
        image: String,
        behavior: Option<ImageBehavior>,
    },
    RunTask {
        cluster: String,
        task_definition: String,
        count: u32,
        /// placementStrategy as JSON text; empty for none.
        placement_strategy: String,
    },
    /// UpdateService's deploymentCircuitBreaker.
    SetCircuitBreaker {
        cluster: String,
        service: String,
        enable: bool,
        rollback: bool,
    },
    StopTask {
        cluster: String,
        task: String,
    },
    DrainInstance {
        cluster: String,
        instance: String,
    },
    ActivateInstance {
        cluster: String,
        instance: String,
    },
    FailInstance {
        cluster: String,
        instance: String,
    },
    DisconnectAgent {
        cluster: String,
        instance: String,
    },
    ReconnectAgent {
        cluster: String,
        instance: String,
    },
    SpotInterruption {
        cluster: String,
        task: String,
    },
    SetImageBehavior {
        image: String,
        behavior: ImageBehavior,
    },
    /// `Simulator.LaunchInstances`: `count` instances of a catalogued type,
    /// in one Availability Zone or round robin over the region's three.
    LaunchInstances {
        cluster: String,
        instance_type: String,
        availability_zone: Option<String>,
        count: u32,
    },
    /// `Simulator.TerminateInstances` of one instance.
    TerminateInstance {
        cluster: String,
        instance: String,
    },
    /// UpdateService with a new capacityProviderStrategy (JSON text, as the
    /// API takes it) and forceNewDeployment, which ECS requires for it.
    SetCapacityProviderStrategy {
        cluster: String,
        service: String,
        strategy: String,
    },
    /// UpdateService with new placementConstraints and placementStrategy
    /// (JSON text each, as the API takes them).
    SetPlacement {
        cluster: String,
        service: String,
        constraints: String,
        strategies: String,
    },
    /// RegisterTaskDefinition of an edited document (JSON text), then
    /// UpdateService to its family when `deploy_to` names a service.
    RegisterRevision {
        cluster: String,
        document: String,
        deploy_to: Option<String>,
    },
    /// `Simulator.SetDesiredCapacity` of an Auto Scaling group.
    ScaleAutoScalingGroup {
        name: String,
        desired: u32,
    },
}

/// `text` as a JSON array for `member`, or why it is not one.
fn json_array(member: &str, text: &str) -> Result<Value, String> {
    let text = if text.trim().is_empty() { "[]" } else { text };
    match super::parse_value(text) {
        Ok(value @ Value::Array(_)) => Ok(value),
        Ok(_) => Err(format!("{member} must be a JSON array, for example []")),
        Err(e) => Err(format!("{member} is not valid JSON: {e}")),
    }
}

impl ActionRequest {
    /// The action at `at_ms`, as the calls it stands for; `run` supplies the
    /// task definition a new revision starts from.
    pub fn into_action(self, run: &Run, at_ms: u64) -> Result<Action, String> {
        let step = |call: &str, input: Value| ActionStep {
            call: call.into(),
            input,
        };
        let fault = |kind: &str, cluster: &str, member: &str, id: &str| {
            step(
                "Simulator.InjectFault",
                json!({"type": kind, "cluster": cluster, member: id}),
            )
        };
        let (label, steps) = match self {
            ActionRequest::SetDesiredCount { cluster, service, desired } => (
                format!("Set {service}'s desired count to {desired}"),
                vec![step("UpdateService", json!({"cluster": cluster, "service": service, "desiredCount": desired}))],
            ),
            ActionRequest::SetDeploymentConfiguration { cluster, service, minimum_healthy_percent, maximum_percent } => (
                format!("Set {service}'s minimumHealthyPercent to {minimum_healthy_percent} and maximumPercent to {maximum_percent}"),
                vec![step("UpdateService", json!({"cluster": cluster, "service": service, "deploymentConfiguration": {"minimumHealthyPercent": minimum_healthy_percent, "maximumPercent": maximum_percent}}))],
            ),
            ActionRequest::ForceNewDeployment { cluster, service } => (
                format!("Force a new deployment of {service}"),
                vec![step("UpdateService", json!({"cluster": cluster, "service": service, "forceNewDeployment": true}))],
            ),
            ActionRequest::DeployImage { cluster, service, family, image, behavior } => {
                let mut input = run
                    .latest_registration(&family)
                    .ok_or_else(|| format!("No task definition of family {family} is registered in this scenario."))?;
                let container = input
                    .get_mut("containerDefinitions")
                    .and_then(Value::as_array_mut)
                    .and_then(|c| c.first_mut())
                    .and_then(Value::as_object_mut)
                    .ok_or_else(|| format!("Task definition family {family} has no container to change."))?;
                container.insert("image".into(), json!(image));
                let mut steps = Vec::new();
                let mut label = format!("Deploy {image} to {service}");
                if let Some(behavior) = behavior {
                    label = format!("{label} (it {})", behavior.describe());
                    steps.push(step("Simulator.SetImageBehavior", behavior.request(&image)));
                }
                steps.push(step("RegisterTaskDefinition", input));
                steps.push(step("UpdateService", json!({"cluster": cluster, "service": service, "taskDefinition": family})));
                (label, steps)
            }
            ActionRequest::RunTask { cluster, task_definition, count, placement_strategy } => {
                let mut input = json!({"cluster": cluster, "taskDefinition": task_definition, "count": count});
                let mut label = format!("Run {count} task{} of {task_definition}", if count == 1 { "" } else { "s" });
                if !placement_strategy.trim().is_empty() {
                    let strategy = json_array("placementStrategy", &placement_strategy)?;
                    label = format!("{label} with placement strategy {}", crate::json::write::compact(&strategy));
                    input["placementStrategy"] = strategy;
                }
                (label, vec![step("RunTask", input)])
            }
            ActionRequest::SetCircuitBreaker { cluster, service, enable, rollback } => (
                format!("Set {service}'s deployment circuit breaker: enable {enable}, rollback {rollback}"),
                vec![step("UpdateService", json!({"cluster": cluster, "service": service, "deploymentConfiguration": {"deploymentCircuitBreaker": {"enable": enable, "rollback": rollback}}}))],
            ),
            ActionRequest::StopTask { cluster, task } => (
                format!("Stop task {task}"),
                vec![step("StopTask", json!({"cluster": cluster, "task": task, "reason": "Stopped from the run page"}))],
            ),
            ActionRequest::DrainInstance { cluster, instance } => (
                format!("Drain instance {instance}"),
                vec![step("UpdateContainerInstancesState", json!({"cluster": cluster, "containerInstances": [instance], "status": "DRAINING"}))],
            ),
            ActionRequest::ActivateInstance { cluster, instance } => (
                format!("Set instance {instance} ACTIVE"),
                vec![step("UpdateContainerInstancesState", json!({"cluster": cluster, "containerInstances": [instance], "status": "ACTIVE"}))],
            ),
            ActionRequest::FailInstance { cluster, instance } => (
                format!("Fail instance {instance}"),
                vec![fault("INSTANCE_FAILURE", &cluster, "containerInstance", &instance)],
            ),
            ActionRequest::DisconnectAgent { cluster, instance } => (
                format!("Disconnect the agent on {instance}"),
                vec![fault("AGENT_DISCONNECT", &cluster, "containerInstance", &instance)],
            ),
            ActionRequest::ReconnectAgent { cluster, instance } => (
                format!("Reconnect the agent on {instance}"),
                vec![fault("AGENT_RECONNECT", &cluster, "containerInstance", &instance)],
            ),
            ActionRequest::SpotInterruption { cluster, task } => (
                format!("Interrupt Spot task {task}"),
                vec![fault("SPOT_INTERRUPTION", &cluster, "task", &task)],
            ),
            ActionRequest::SetImageBehavior { image, behavior } => (
                format!("Image {image} {}", behavior.describe()),
                vec![step("Simulator.SetImageBehavior", behavior.request(&image))],
            ),
            ActionRequest::LaunchInstances { cluster, instance_type, availability_zone, count } => {
                if count == 0 {
                    return Err("Launch at least one instance.".into());
                }
                let mut input = json!({"cluster": cluster, "instanceType": instance_type, "count": count});
                let place = match &availability_zone {
                    Some(zone) => {
                        input["availabilityZone"] = json!(zone);
                        format!("in {zone}")
                    }
                    None => "across the Availability Zones".to_string(),
                };
                (
                    format!("Launch {count} {instance_type} instance{} {place}", if count == 1 { "" } else { "s" }),
                    vec![step("Simulator.LaunchInstances", input)],
                )
            }
            ActionRequest::TerminateInstance { cluster, instance } => (
                format!("Terminate instance {instance}"),
                vec![step("Simulator.TerminateInstances", json!({"cluster": cluster, "containerInstances": [instance]}))],
            ),
            ActionRequest::SetCapacityProviderStrategy { cluster, service, strategy } => {
                let strategy = json_array("capacityProviderStrategy", &strategy)?;
                (
                    format!("Set {service}'s capacity provider strategy to {}", crate::json::write::compact(&strategy)),
                    vec![step("UpdateService", json!({"cluster": cluster, "service": service, "capacityProviderStrategy": strategy, "forceNewDeployment": true}))],
                )
            }
            ActionRequest::SetPlacement { cluster, service, constraints, strategies } => {
                let constraints = json_array("placementConstraints", &constraints)?;
                let strategies = json_array("placementStrategy", &strategies)?;
                (
                    format!(
                        "Set {service}'s placement: constraints {}, strategy {}",
                        crate::json::write::compact(&constraints),
                        crate::json::write::compact(&strategies)
                    ),
                    vec![step("UpdateService", json!({"cluster": cluster, "service": service, "placementConstraints": constraints, "placementStrategy": strategies}))],
                )
            }
            ActionRequest::RegisterRevision { cluster, document, deploy_to } => {
                let analysis = crate::analysis::analyze_registered_task_definition(&document);
                if let Some(first) = analysis
                    .diagnostics
                    .iter()
                    .find(|d| d.severity == crate::diagnostic::Severity::Error)
                {
                    let n = analysis.error_count();
                    return Err(format!(
                        "The revision has {n} error{}; AWS would refuse it: {}",
                        if n == 1 { "" } else { "s" },
                        first.message
                    ));
                }
                let input = super::parse_value(&document)
                    .map_err(|e| format!("The revision is not valid JSON: {e}"))?;
                let family = input
                    .get("family")
                    .and_then(Value::as_str)
                    .filter(|f| !f.is_empty())
                    .ok_or("The revision needs a family.")?
                    .to_string();
                let mut steps = vec![step("RegisterTaskDefinition", input)];
                let label = match deploy_to {
                    Some(service) => {
                        steps.push(step("UpdateService", json!({"cluster": cluster, "service": service, "taskDefinition": family})));
                        format!("Register a new revision of {family} and deploy it to {service}")
                    }
                    None => format!("Register a new revision of {family}"),
                };
                (label, steps)
            }
            ActionRequest::ScaleAutoScalingGroup { name, desired } => (
                format!("Set Auto Scaling group {name}'s desired capacity to {desired}"),
                vec![step("Simulator.SetDesiredCapacity", json!({"autoScalingGroupName": name, "desiredCapacity": desired}))],
            ),
        };
        Ok(Action {
            at_ms,
            label,
            steps,
        })
    }
}

/// The image of the family's latest registration's first container, with a
/// new tag suggested for a new version (`api:1` → `api:2`).
pub fn next_image(run: &Run, family: &str) -> Option<String> {
    let input = run.latest_registration(family)?;
    let image = input
        .get("containerDefinitions")?
        .as_array()?
        .first()?
        .get("image")?
        .as_str()?
        .to_string();
    let (repository, tag) = match image.rsplit_once(':') {
        Some((r, t)) if !t.contains('/') => (r.to_string(), t.to_string()),
        _ => (image.clone(), String::new()),
    };
    let next = tag
        .parse::<u64>()
        .map(|n| (n + 1).to_string())
        .unwrap_or_else(|_| "next".into());
    Some(format!("{repository}:{next}"))
}

/// The members a gallery scenario's `guide` holds, for its card.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Guide {
    pub title: String,
    pub description: String,
    pub look_for: Vec<String>,
    pub suggested_action: String,
    pub topics: Vec<String>,
}

/// The scenario's guide, falling back on its name and description.
pub fn guide_of(scenario: &Value) -> Guide {
    let mut guide: Guide = scenario
        .get("guide")
        .cloned()
        .and_then(|g| serde_json::from_value(g).ok())
        .unwrap_or_default();
    let text = |key: &str| {
        scenario
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    if guide.title.is_empty() {
        guide.title = text("name");
    }
    if guide.description.is_empty() {
        guide.description = text("description");
    }
    guide
}

/// The files listed in the gallery's index.json, in its order.
pub fn gallery_files(index: &Value) -> Vec<String> {
    index
        .get("scenarios")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|e| e.get("file").and_then(Value::as_str))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// A gallery scenario's name from its file name (`rolling-default.json` →
/// `rolling-default`); `None` for anything that is not a plain file name.
pub fn gallery_name(file: &str) -> Option<String> {
    let name = file.strip_suffix(".json")?;
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    plain.then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Value {
        json!({"format": "ecs-playground-scenario/1", "name": "Rolling", "until": "5m", "steps": [
            {"at": 0, "call": "RegisterTaskDefinition", "input": {"family": "web", "containerDefinitions": [{"name": "web", "image": "web:1", "memory": 512}]}},
            {"at": 0, "call": "CreateService", "input": {"serviceName": "web", "taskDefinition": "web", "desiredCount": 2}}
        ]})
    }

    fn run() -> Run {
        Run::new(
            RunSource::Gallery {
                name: "rolling".into(),
            },
            base(),
        )
    }

    #[test]
    fn title_comes_from_the_guide_then_the_name() {
        assert_eq!(run().title, "Rolling");
        let mut with_guide = base();
        with_guide["guide"] = json!({"title": "Guided"});
        assert_eq!(Run::new(RunSource::Workspace, with_guide).title, "Guided");
        assert_eq!(
            Run::new(RunSource::Workspace, json!({})).title,
            "Your workspace"
        );
    }

    #[test]
    fn actions_append_timed_steps_and_extend_until() {
        let action = ActionRequest::SetDesiredCount {
            cluster: "default".into(),
            service: "web".into(),
            desired: 5,
        }
        .into_action(&run(), 290_500)
        .unwrap();
        let run = run().with_action(action).unwrap();
        let doc = run.scenario_value();
        let steps = doc["steps"].as_array().unwrap();
        assert_eq!(steps.len(), 3);
        assert_eq!(steps[2]["at"], json!(290.5));
        assert_eq!(steps[2]["call"], "UpdateService");
        assert_eq!(steps[2]["input"]["desiredCount"], 5);
        assert_eq!(doc["until"], json!(890.5));
        assert_eq!(run.position_ms, 290_500);
        let scenario = run.scenario().unwrap();
        assert_eq!(scenario.steps.len(), 3);
        assert_eq!(scenario.until, Some(890_500));
        assert_eq!(run.base, base(), "the base never changes");
    }

    #[test]
    fn undo_drops_the_last_action_only() {
        let first = ActionRequest::ForceNewDeployment {
            cluster: "default".into(),
            service: "web".into(),
        }
        .into_action(&run(), 1000)
        .unwrap();
        let once = run().with_action(first.clone()).unwrap();
        let second = ActionRequest::StopTask {
            cluster: "default".into(),
            task: "abc".into(),
        }
        .into_action(&once, 2000)
        .unwrap();
        let twice = once.with_action(second).unwrap();
        let undone = twice.without_last_action().unwrap();
        assert_eq!(undone.actions, vec![first]);
        assert!(run().without_last_action().is_none());
    }

    #[test]
    fn a_new_image_registers_a_revision_from_the_latest_and_deploys_it() {
        let request = ActionRequest::DeployImage {
            cluster: "default".into(),
            service: "web".into(),
            family: "web".into(),
            image: "web:2".into(),
            behavior: Some(ImageBehavior::CrashAfter(10)),
        };
        let action = request.into_action(&run(), 60_000).unwrap();
        let calls: Vec<&str> = action.steps.iter().map(|s| s.call.as_str()).collect();
        assert_eq!(
            calls,
            [
                "Simulator.SetImageBehavior",
                "RegisterTaskDefinition",
                "UpdateService"
            ]
        );
        assert_eq!(
            action.steps[0].input,
            json!({"image": "web:2", "exitAfterSeconds": 10, "exitCode": 1})
        );
        assert_eq!(
            action.steps[1].input["containerDefinitions"][0]["image"],
            "web:2"
        );
        assert_eq!(
            action.steps[1].input["containerDefinitions"][0]["memory"],
            512
        );
        assert_eq!(action.steps[2].input["taskDefinition"], "web");
        let after = run().with_action(action).unwrap();
        assert_eq!(next_image(&after, "web").as_deref(), Some("web:3"));
        let missing = ActionRequest::DeployImage {
            cluster: "default".into(),
            service: "web".into(),
            family: "db".into(),
            image: "db:2".into(),
            behavior: None,
        };
        assert!(missing.into_action(&run(), 0).unwrap_err().contains("db"));
    }

    #[test]
    fn instance_and_task_faults_name_their_target() {
        let cases = [
            (
                ActionRequest::FailInstance {
                    cluster: "c".into(),
                    instance: "i-1".into(),
                },
                "INSTANCE_FAILURE",
                "containerInstance",
            ),
            (
                ActionRequest::DisconnectAgent {
                    cluster: "c".into(),
                    instance: "i-1".into(),
                },
                "AGENT_DISCONNECT",
                "containerInstance",
            ),
            (
                ActionRequest::ReconnectAgent {
                    cluster: "c".into(),
                    instance: "i-1".into(),
                },
                "AGENT_RECONNECT",
                "containerInstance",
            ),
            (
                ActionRequest::SpotInterruption {
                    cluster: "c".into(),
                    task: "t-1".into(),
                },
                "SPOT_INTERRUPTION",
                "task",
            ),
        ];
        for (request, kind, member) in cases {
            let action = request.into_action(&run(), 0).unwrap();
            assert_eq!(action.steps[0].call, "Simulator.InjectFault");
            assert_eq!(action.steps[0].input["type"], kind);
            assert_eq!(action.steps[0].input["cluster"], "c");
            assert!(
                action.steps[0].input[member].is_string(),
                "{kind} names its {member}"
            );
        }
        let drain = ActionRequest::DrainInstance {
            cluster: "c".into(),
            instance: "i-1".into(),
        }
        .into_action(&run(), 0)
        .unwrap();
        assert_eq!(
            drain.steps[0].input,
            json!({"cluster": "c", "containerInstances": ["i-1"], "status": "DRAINING"})
        );
    }

    #[test]
    fn a_run_survives_storage_and_bad_copies_are_ignored() {
        let action = ActionRequest::SetImageBehavior {
            image: "web:1".into(),
            behavior: ImageBehavior::FailsToStart,
        }
        .into_action(&run(), 5000)
        .unwrap();
        let run = run().with_action(action).unwrap();
        assert_eq!(Run::load(&run.save()), Some(run));
        assert_eq!(Run::load("{"), None);
        assert_eq!(Run::load("{\"format\": \"other\"}"), None);
    }

    #[test]
    fn the_recorded_scenario_runs_and_actions_reach_the_simulator() {
        let action = ActionRequest::SetDesiredCount {
            cluster: "default".into(),
            service: "web".into(),
            desired: 3,
        }
        .into_action(&run(), 60_000)
        .unwrap();
        let mut doc = run().with_action(action).unwrap().scenario_value();
        doc["steps"]
            .as_array_mut()
            .unwrap()
            .insert(0, json!({"at": 0, "call": "CreateCluster", "input": {}}));
        doc["steps"].as_array_mut().unwrap().insert(
            1,
            json!({"at": 0, "call": "Simulator.LaunchInstances", "input": {"count": 2}}),
        );
        let outcome = Scenario::from_value(&doc).unwrap().run(None);
        let last = outcome.calls.last().unwrap();
        assert_eq!(last.call, "UpdateService");
        assert!(last.error.is_none(), "{:?}", last.error);
        assert_eq!(
            last.response.as_ref().unwrap()["service"]["desiredCount"],
            3
        );
    }

    #[test]
    fn guides_fall_back_on_name_and_description() {
        let guide = guide_of(
            &json!({"name": "N", "description": "D", "guide": {"lookFor": ["x"], "topics": ["placement"]}}),
        );
        assert_eq!(guide.title, "N");
        assert_eq!(guide.description, "D");
        assert_eq!(guide.look_for, vec!["x"]);
        assert_eq!(guide.topics, vec!["placement"]);
        assert_eq!(guide_of(&json!(null)), Guide::default());
    }

    #[test]
    fn gallery_names_are_plain_file_names() {
        let index = json!({"scenarios": [{"file": "rolling-default.json"}, {"title": "no file"}, {"file": "daemon.json"}]});
        assert_eq!(
            gallery_files(&index),
            ["rolling-default.json", "daemon.json"]
        );
        for (file, name) in [
            ("rolling-default.json", Some("rolling-default")),
            ("../x.json", None),
            (".json", None),
            ("a.txt", None),
        ] {
            assert_eq!(gallery_name(file).as_deref(), name, "{file}");
        }
    }

    /// The run page's newer actions: each is the call it stands for.
    #[test]
    fn instance_capacity_placement_revision_and_scaling_actions_are_their_calls() {
        let td = r#"{"family": "web", "containerDefinitions": [{"name": "web", "image": "web:9", "memory": 256}]}"#;
        let cases: Vec<(ActionRequest, Vec<(&str, Value)>)> = vec![
            (
                ActionRequest::LaunchInstances {
                    cluster: "default".into(),
                    instance_type: "c5.large".into(),
                    availability_zone: Some("us-east-1b".into()),
                    count: 2,
                },
                vec![(
                    "Simulator.LaunchInstances",
                    json!({"cluster": "default", "instanceType": "c5.large", "count": 2, "availabilityZone": "us-east-1b"}),
                )],
            ),
            (
                ActionRequest::LaunchInstances {
                    cluster: "default".into(),
                    instance_type: "m5.large".into(),
                    availability_zone: None,
                    count: 1,
                },
                vec![(
                    "Simulator.LaunchInstances",
                    json!({"cluster": "default", "instanceType": "m5.large", "count": 1}),
                )],
            ),
            (
                ActionRequest::TerminateInstance {
                    cluster: "default".into(),
                    instance: "abc".into(),
                },
                vec![(
                    "Simulator.TerminateInstances",
                    json!({"cluster": "default", "containerInstances": ["abc"]}),
                )],
            ),
            (
                ActionRequest::SetCapacityProviderStrategy {
                    cluster: "default".into(),
                    service: "web".into(),
                    strategy: r#"[{"capacityProvider": "FARGATE", "weight": 1}]"#.into(),
                },
                vec![(
                    "UpdateService",
                    json!({"cluster": "default", "service": "web", "capacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1}], "forceNewDeployment": true}),
                )],
            ),
            (
                ActionRequest::SetPlacement {
                    cluster: "default".into(),
                    service: "web".into(),
                    constraints: "".into(),
                    strategies: r#"[{"type": "binpack", "field": "cpu"}]"#.into(),
                },
                vec![(
                    "UpdateService",
                    json!({"cluster": "default", "service": "web", "placementConstraints": [], "placementStrategy": [{"type": "binpack", "field": "cpu"}]}),
                )],
            ),
            (
                ActionRequest::RegisterRevision {
                    cluster: "default".into(),
                    document: td.into(),
                    deploy_to: Some("web".into()),
                },
                vec![
                    ("RegisterTaskDefinition", serde_json::from_str(td).unwrap()),
                    (
                        "UpdateService",
                        json!({"cluster": "default", "service": "web", "taskDefinition": "web"}),
                    ),
                ],
            ),
            (
                ActionRequest::RunTask {
                    cluster: "default".into(),
                    task_definition: "web".into(),
                    count: 3,
                    placement_strategy: r#"[{"type": "binpack", "field": "cpu"}]"#.into(),
                },
                vec![(
                    "RunTask",
                    json!({"cluster": "default", "taskDefinition": "web", "count": 3, "placementStrategy": [{"type": "binpack", "field": "cpu"}]}),
                )],
            ),
            (
                ActionRequest::SetCircuitBreaker {
                    cluster: "default".into(),
                    service: "web".into(),
                    enable: true,
                    rollback: false,
                },
                vec![(
                    "UpdateService",
                    json!({"cluster": "default", "service": "web", "deploymentConfiguration": {"deploymentCircuitBreaker": {"enable": true, "rollback": false}}}),
                )],
            ),
            (
                ActionRequest::ScaleAutoScalingGroup {
                    name: "spot".into(),
                    desired: 3,
                },
                vec![(
                    "Simulator.SetDesiredCapacity",
                    json!({"autoScalingGroupName": "spot", "desiredCapacity": 3}),
                )],
            ),
        ];
        for (request, expected) in cases {
            let action = request.clone().into_action(&run(), 1_000).unwrap();
            let calls: Vec<(&str, Value)> = action
                .steps
                .iter()
                .map(|s| (s.call.as_str(), s.input.clone()))
                .collect();
            assert_eq!(calls, expected, "{request:?}");
        }
    }

    #[test]
    fn bad_input_is_refused_with_a_clear_message() {
        let cases = [
            (ActionRequest::SetCapacityProviderStrategy { cluster: "c".into(), service: "web".into(), strategy: "[{".into() }, "capacityProviderStrategy is not valid JSON"),
            (ActionRequest::LaunchInstances { cluster: "c".into(), instance_type: "m5.large".into(), availability_zone: None, count: 0 }, "Launch at least one instance."),
            (ActionRequest::SetPlacement { cluster: "c".into(), service: "web".into(), constraints: "{}".into(), strategies: "[]".into() }, "placementConstraints must be a JSON array"),
            (ActionRequest::RegisterRevision { cluster: "c".into(), document: r#"{"family": "web", "containerDefinitions": [{"name": "web", "memory": 256}]}"#.into(), deploy_to: None }, "AWS would refuse it"),
            (ActionRequest::RegisterRevision { cluster: "c".into(), document: "not json".into(), deploy_to: None }, "AWS would refuse it"),
        ];
        for (request, message) in cases {
            let error = request.clone().into_action(&run(), 0).unwrap_err();
            assert!(error.contains(message), "{request:?}: {error}");
        }
    }

    /// A call ECS refuses makes the action refused, with ECS's own error.
    #[test]
    fn the_last_actions_refused_calls_are_reported_with_ecs_errors() {
        let mut base = base();
        base["steps"]
            .as_array_mut()
            .unwrap()
            .insert(0, json!({"at": 0, "call": "CreateCluster", "input": {}}));
        let run = Run::new(RunSource::Workspace, base);
        let good = ActionRequest::SetDesiredCount {
            cluster: "default".into(),
            service: "web".into(),
            desired: 3,
        }
        .into_action(&run, 10_000)
        .unwrap();
        let run = run.with_action(good).unwrap();
        let recording = crate::sim::playback::Recording::record(&run.scenario().unwrap());
        assert_eq!(
            run.last_action_errors(recording.calls()),
            Vec::<String>::new()
        );
        let bad = ActionRequest::SetPlacement {
            cluster: "default".into(),
            service: "web".into(),
            constraints: r#"[{"type": "nearby"}]"#.into(),
            strategies: "[]".into(),
        }
        .into_action(&run, 10_000)
        .unwrap();
        let run = run.with_action(bad).unwrap();
        let recording = crate::sim::playback::Recording::record(&run.scenario().unwrap());
        let errors = run.last_action_errors(recording.calls());
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("UpdateService: "), "{errors:?}");
        assert!(errors[0].contains("Exception"), "{errors:?}");
    }

    #[test]
    fn service_settings_and_groups_come_from_the_latest_steps() {
        let mut base = base();
        base["steps"].as_array_mut().unwrap().push(json!({"at": 5, "call": "UpdateService", "input": {"service": "web", "placementStrategy": [{"type": "random"}]}}));
        base["steps"].as_array_mut().unwrap().push(json!({"at": 0, "call": "Simulator.CreateAutoScalingGroup", "input": {"name": "asg-a"}}));
        let run = Run::new(RunSource::Workspace, base);
        assert_eq!(
            run.service_setting("web", "placementStrategy"),
            Some(json!([{"type": "random"}]))
        );
        assert_eq!(run.service_setting("web", "desiredCount"), Some(json!(2)));
        assert_eq!(run.service_setting("db", "desiredCount"), None);
        assert_eq!(run.auto_scaling_groups(), ["asg-a"]);
    }
}
