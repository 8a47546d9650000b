//! A run on the run page: the scenario it starts from (the user's workspace or
//! a gallery scenario), the actions the user took while watching (each one the
//! ECS or simulator calls it stands for, appended as timed steps), and where
//! playback stood. It is stored under its own key, so opening a gallery
//! scenario never touches the user's workspace.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::sim::scenario::{parse_time, Scenario, DEFAULT_TAIL_MS, MAX_STEPS};

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
            ActionRequest::RunTask { cluster, task_definition, count } => (
                format!("Run {count} task{} of {task_definition}", if count == 1 { "" } else { "s" }),
                vec![step("RunTask", json!({"cluster": cluster, "taskDefinition": task_definition, "count": count}))],
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
        };
        Ok(Action {
            at_ms,
            label,
            steps,
        })
    }
}

/// The family of a task definition reference (`api`, `api:3` or an ARN).
pub fn family_of(task_definition: &str) -> String {
    let name = task_definition
        .rsplit('/')
        .next()
        .unwrap_or(task_definition);
    name.split(':').next().unwrap_or(name).to_string()
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
        assert_eq!(
            family_of("arn:aws:ecs:us-east-1:1:task-definition/api:3"),
            "api"
        );
        assert_eq!(family_of("api"), "api");
    }
}
