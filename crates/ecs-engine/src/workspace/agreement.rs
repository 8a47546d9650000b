//! The authoring page's preview and the run page's first placement agree for
//! the same workspace: each is computed here through the entry points its
//! page calls (`src/app.rs`'s placement memo; `src/run/mod.rs`'s workspace
//! run and `src/run/view.rs`'s recording), and compared task by task.

use serde_json::Value;

use super::analysis::{cluster_to_show, task_definition_to_place};
use super::preview::{preview, service_to_place};
use super::run::{Run, RunSource};
use super::scenario::{to_scenario, ScenarioSettings};
use super::{default_workspace, Document, DocumentKind, Workspace};
use crate::analyze_task_definition;
use crate::place::PlacementDecision;
use crate::sim::playback::{Recording, TaskExplanation};

/// Where the first task goes, in terms both pages share: the instance by its
/// position in launch order (group by group, as the cluster document lists
/// them; the simulator mints its own ids), or why it is on no instance.
#[derive(Debug, Clone, PartialEq)]
enum FirstPlacement {
    OnInstance(usize),
    OnFargate,
    /// Placed nowhere, with ECS's reason.
    Unplaced(String),
}

/// The authoring page: `src/app.rs` analyses the task definition to place
/// and previews it on the cluster to show, as the service to place would.
fn authoring_page(workspace: &Workspace) -> (FirstPlacement, PlacementDecision) {
    let task_definition = task_definition_to_place(workspace);
    let cluster = cluster_to_show(workspace);
    let service = service_to_place(workspace, task_definition, cluster);
    let task = task_definition.map(|d| analyze_task_definition(&d.text));
    let shown = preview(
        task.as_ref(),
        cluster.map(|c| c.text.as_str()),
        service.as_ref(),
    );
    assert!(!shown.blocked, "the task definition has errors: {task:?}");
    let decision = shown.decision.expect("the preview places the task");
    let outcome = match &decision.chosen {
        Some(id) => FirstPlacement::OnInstance(
            shown
                .instances
                .iter()
                .position(|i| &i.id == id)
                .expect("the chosen instance is one of the cluster's"),
        ),
        None if decision.strategy == "FARGATE" => FirstPlacement::OnFargate,
        None => FirstPlacement::Unplaced(decision.unplaced_reason.clone().unwrap_or_default()),
    };
    (outcome, decision)
}

/// The run page: `src/run/mod.rs` makes the workspace a run with
/// `to_scenario`, `src/run/view.rs` records `Run::scenario`; the first task
/// is the first PROVISIONING the timeline shows, and "why is this task
/// here" (`Recording::explain_task`) names its instance.
fn run_page(workspace: &Workspace) -> (FirstPlacement, Recording) {
    let export = to_scenario(workspace, &ScenarioSettings::default());
    assert_eq!(export.skipped, vec![]);
    let run = Run::new(RunSource::Workspace, export.scenario);
    let scenario = run.scenario().expect("the workspace's scenario runs");
    let recording = Recording::record(&scenario);
    let launched = launched_ids(&recording);
    let first = recording
        .timeline_until(recording.end())
        .iter()
        .find(|e| e.kind == "task-state" && e.message.starts_with("PROVISIONING"))
        .cloned();
    let Some(first) = first else {
        // Nothing started: the run page's "why pending" for its service.
        let end = recording.end();
        let services = recording.frame_at(end).services;
        let pending = services
            .iter()
            .find_map(|s| recording.explain_unplaced(end, &s.name));
        let reason = match pending {
            Some(TaskExplanation::Pending { ecs_event, .. }) => ecs_event.unwrap_or_default(),
            other => panic!(
                "no task started and no reason: {other:?} {:?}",
                recording.calls()
            ),
        };
        return (FirstPlacement::Unplaced(reason), recording);
    };
    let short = first
        .resource
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let frame = recording.frame_at(first.at);
    let task_id = frame
        .task_cells()
        .map(|t| t.id.clone())
        .find(|id| id.starts_with(&short));
    let explanation = task_id.and_then(|id| recording.explain_task(first.at, &id));
    let outcome = match explanation {
        Some(TaskExplanation::Placed { instance_id, .. }) => FirstPlacement::OnInstance(
            launched
                .iter()
                .position(|id| *id == instance_id)
                .expect("the task's instance was launched by an instance group"),
        ),
        Some(TaskExplanation::Fargate { .. }) => FirstPlacement::OnFargate,
        other => panic!("the first task {first:?} has no placement: {other:?}"),
    };
    (outcome, recording)
}

/// The simulator's ids of the instances the instance groups launched, in
/// launch order.
fn launched_ids(recording: &Recording) -> Vec<String> {
    recording
        .calls()
        .iter()
        .filter(|c| c.call == "Simulator.LaunchInstances")
        .filter_map(|c| c.response.as_ref())
        .filter_map(|r| r.get("containerInstanceArns").and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str)
        .map(|arn| crate::arn::short_name(arn).to_string())
        .collect()
}

fn workspace(task_definition: &str, cluster: &str, service: &str) -> Workspace {
    Workspace {
        documents: vec![
            Document::new("d1", DocumentKind::TaskDefinition, task_definition),
            Document::new("d2", DocumentKind::Cluster, cluster),
            Document::new("d3", DocumentKind::Service, service),
        ],
        selected: Some("d1".to_string()),
    }
}

/// The same reason on both pages, with the closest match named by its
/// launch position (each page mints its own instance ids) and without the
/// service's name, which the run page's event puts first.
fn normalised(reason: &str, ids: &[String]) -> String {
    let mut text = reason.to_string();
    for (at, id) in ids.iter().enumerate() {
        text = text.replace(id.as_str(), &format!("#{at}"));
    }
    match text.find("was unable to place") {
        Some(at) => text.split_off(at),
        None => text,
    }
}

const DEMO: &str = r#"{"clusterName": "demo", "instanceGroups": [
  {"instanceType": "m5.large", "count": 2, "availabilityZones": ["us-east-1a", "us-east-1b"]},
  {"instanceType": "c5.xlarge", "count": 1, "availabilityZones": ["us-east-1c"], "attributes": {"workload": "batch"}}]}"#;
const GPU_CLUSTER: &str = r#"{"clusterName": "demo", "instanceGroups": [
  {"instanceType": "m5.large", "count": 2}, {"instanceType": "g4dn.xlarge", "count": 1}]}"#;
const SMALL_AND_LARGE: &str = r#"{"clusterName": "demo", "instanceGroups": [
  {"instanceType": "m5.large", "count": 1}, {"instanceType": "t3.micro", "count": 1}, {"instanceType": "t3.medium", "count": 1}]}"#;
const WEB: &str = r#"{"family": "web", "containerDefinitions": [{"name": "w", "image": "nginx:1", "cpu": 256, "memory": 512}]}"#;
const GPU_TASK: &str = r#"{"family": "web", "containerDefinitions": [{"name": "g", "image": "cuda:1", "cpu": 512, "memory": 1024,
  "resourceRequirements": [{"type": "GPU", "value": "1"}]}]}"#;
const AWSVPC_TASK: &str = r#"{"family": "web", "networkMode": "awsvpc", "containerDefinitions": [{"name": "w", "image": "nginx:1", "cpu": 256, "memory": 256}]}"#;
const FARGATE_TASK: &str = r#"{"family": "web", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
  "containerDefinitions": [{"name": "w", "image": "nginx:1"}]}"#;
const HUGE_TASK: &str = r#"{"family": "web", "containerDefinitions": [{"name": "h", "image": "h:1", "memory": 100000}]}"#;
const PINNED_TASK: &str = r#"{"family": "web", "placementConstraints": [{"type": "memberOf", "expression": "attribute:workload == batch"}],
  "containerDefinitions": [{"name": "w", "image": "nginx:1", "cpu": 256, "memory": 512}]}"#;
const NETWORK: &str =
    r#", "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-0a"]}}"#;

/// A service of `web` on `demo`, with `members` added.
fn service(name: &str, members: &str) -> String {
    format!(
        r#"{{"cluster": "demo", "serviceName": "{name}", "taskDefinition": "web", "desiredCount": 2{members}}}"#
    )
}

/// For each workspace: the instance the preview names is the one the run
/// page's first task goes to (by launch position), or both place it on
/// Fargate, or both give ECS's same reason for placing it nowhere.
#[test]
fn the_preview_is_the_run_pages_first_placement() {
    let cases: Vec<(&str, Workspace, FirstPlacement)> = vec![
        (
            "the default workspace",
            default_workspace(),
            FirstPlacement::OnInstance(1),
        ),
        (
            "a GPU task on a cluster with one GPU instance",
            workspace(GPU_TASK, GPU_CLUSTER, &service("s", "")),
            FirstPlacement::OnInstance(2),
        ),
        (
            "a GPU task on a cluster without GPUs",
            workspace(GPU_TASK, SMALL_AND_LARGE, &service("s", "")),
            FirstPlacement::Unplaced(String::new()),
        ),
        (
            "an awsvpc task binpacked by memory",
            workspace(
                AWSVPC_TASK,
                SMALL_AND_LARGE,
                &service(
                    "s",
                    &format!(
                        r#"{NETWORK}, "placementStrategy": [{{"type": "binpack", "field": "memory"}}]"#
                    ),
                ),
            ),
            FirstPlacement::OnInstance(1),
        ),
        (
            "a FARGATE-only definition launched with FARGATE",
            workspace(
                FARGATE_TASK,
                DEMO,
                &service("s", &format!(r#"{NETWORK}, "launchType": "FARGATE""#)),
            ),
            FirstPlacement::OnFargate,
        ),
        (
            "a FARGATE-only definition launched without a launch type (EC2)",
            workspace(FARGATE_TASK, DEMO, &service("s", NETWORK)),
            FirstPlacement::OnInstance(1),
        ),
        (
            "a task too big for every instance",
            workspace(HUGE_TASK, DEMO, &service("s", "")),
            FirstPlacement::Unplaced(String::new()),
        ),
        (
            "a service's memberOf constraint",
            workspace(
                WEB,
                DEMO,
                &service(
                    "s",
                    r#", "placementConstraints": [{"type": "memberOf", "expression": "attribute:workload == batch"}]"#,
                ),
            ),
            FirstPlacement::OnInstance(2),
        ),
        (
            "a task definition's memberOf constraint",
            workspace(PINNED_TASK, DEMO, &service("s", "")),
            FirstPlacement::OnInstance(2),
        ),
        (
            "binpack(cpu)",
            workspace(
                WEB,
                SMALL_AND_LARGE,
                &service(
                    "s",
                    r#", "placementStrategy": [{"type": "binpack", "field": "cpu"}]"#,
                ),
            ),
            FirstPlacement::OnInstance(1),
        ),
        (
            "random",
            workspace(
                WEB,
                SMALL_AND_LARGE,
                &service("s", r#", "placementStrategy": [{"type": "random"}]"#),
            ),
            FirstPlacement::OnInstance(1),
        ),
        (
            "spread(instanceId) then binpack(memory)",
            workspace(
                WEB,
                SMALL_AND_LARGE,
                &service(
                    "s",
                    r#", "placementStrategy": [{"type": "spread", "field": "instanceId"}, {"type": "binpack", "field": "memory"}]"#,
                ),
            ),
            FirstPlacement::OnInstance(1),
        ),
    ];
    for (name, workspace, expected) in cases {
        let (preview, decision) = authoring_page(&workspace);
        let (run, recording) = run_page(&workspace);
        match (&preview, &run) {
            (FirstPlacement::Unplaced(shown), FirstPlacement::Unplaced(ran)) => {
                let launched = launched_ids(&recording);
                let panel: Vec<String> = decision
                    .candidates
                    .iter()
                    .map(|c| c.instance_id.clone())
                    .collect();
                assert_eq!(
                    normalised(shown, &panel),
                    normalised(ran, &launched),
                    "{name}"
                );
                assert!(
                    matches!(expected, FirstPlacement::Unplaced(_)),
                    "{name}: {preview:?}"
                );
            }
            _ => {
                assert_eq!(
                    preview, run,
                    "{name}: the preview by {} and the run page disagree",
                    decision.strategy
                );
                assert_eq!(preview, expected, "{name}");
            }
        }
    }
}
