//! The shipped scenarios (www/scenarios/, served with the app): each one's key
//! outcome, and a golden text snapshot of its run (calls, timeline, final
//! state). Regenerate the snapshots after an intended change with
//! `UPDATE_GOLDEN=1 cargo test -p ecs-engine --test scenarios`.

use std::path::PathBuf;

use ecs_engine::sim::playback::{gallery, Recording};
use ecs_engine::sim::scenario::{Scenario, ScenarioRun};
use serde_json::Value;

fn dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../www/scenarios"))
}

fn run(name: &str) -> ScenarioRun {
    let path = dir().join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Scenario::parse(&text)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .run(None)
}

fn services(run: &ScenarioRun, cluster: usize) -> Vec<Value> {
    run.final_state["clusters"][cluster]["services"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn events(service: &Value) -> Vec<String> {
    service["events"]
        .as_array()
        .map(|e| {
            e.iter()
                .filter_map(|e| e["message"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn no_errors(run: &ScenarioRun) {
    for call in &run.calls {
        assert!(
            call.error.is_none(),
            "{} at {}: {:?}",
            call.call,
            call.at,
            call.error
        );
    }
}

#[test]
fn golden_timelines() {
    let golden_dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden"));
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .expect("the scenarios directory exists")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".json").map(str::to_string))
        .filter(|n| n != "index")
        .collect();
    names.sort();
    assert!(
        names.len() >= 12,
        "expected the twelve gallery scenarios, found {names:?}"
    );
    for name in names {
        let text = run(&name).to_text();
        // Same scenario, same bytes.
        assert_eq!(text, run(&name).to_text(), "{name} is not deterministic");
        let path = golden_dir.join(format!("{name}.txt"));
        if update {
            std::fs::create_dir_all(&golden_dir).expect("create golden dir");
            std::fs::write(&path, &text).expect("write golden");
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run with UPDATE_GOLDEN=1 to create it",
                path.display()
            )
        });
        assert!(
            expected == text,
            "{name}: the run differs from {}; run with UPDATE_GOLDEN=1 if intended",
            path.display()
        );
    }
}

#[test]
fn spread_versus_binpack() {
    let run = run("spread-vs-binpack");
    no_errors(&run);
    let instances_of = |n: usize| {
        let mut arns: Vec<String> = run.calls[n].response.as_ref().unwrap()["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["containerInstanceArn"].as_str().unwrap().to_string())
            .collect();
        arns.sort();
        arns.dedup();
        arns.len()
    };
    assert_eq!(instances_of(3), 3, "spread uses every instance");
    assert_eq!(instances_of(4), 1, "binpack fills one instance");
}

#[test]
fn port_conflict_blocks_placement() {
    let run = run("port-conflict");
    no_errors(&run);
    let s = &services(&run, 0)[0];
    assert_eq!(s["runningCount"], 2);
    assert!(events(s)
        .iter()
        .any(|m| m.contains("is already using a port required by your task")));
}

#[test]
fn rolling_deployment_with_defaults() {
    let run = run("rolling-default");
    no_errors(&run);
    let s = &services(&run, 0)[0];
    assert_eq!(s["runningCount"], 4);
    let deployments = s["deployments"].as_array().unwrap();
    assert_eq!(deployments.len(), 1);
    assert!(deployments[0]["taskDefinition"]
        .as_str()
        .unwrap()
        .ends_with("api:2"));
    assert_eq!(deployments[0]["rolloutState"], "COMPLETED");
    assert!(events(s).iter().any(|m| m.contains("has started 4 tasks")));
}

#[test]
fn rolling_deployment_at_50_100() {
    let run = run("rolling-50-100");
    no_errors(&run);
    let s = &services(&run, 0)[0];
    assert_eq!(s["deployments"][0]["rolloutState"], "COMPLETED");
    // Never more than four tasks wanted at once: count PROVISIONING entries
    // against stops through the timeline.
    let mut live: i64 = 0;
    let mut peak = 0;
    for e in &run.timeline {
        if e.kind == "task-state"
            && e.message.starts_with("PROVISIONING")
            && !e.message.contains("→")
        {
            live += 1;
        }
        if e.kind == "task-stop" {
            live -= 1;
        }
        peak = peak.max(live);
    }
    assert_eq!(peak, 4);
    assert!(
        events(s)
            .iter()
            .filter(|m| m.contains("has stopped 2 running tasks"))
            .count()
            >= 2
    );
}

#[test]
fn broken_image_trips_the_circuit_breaker_and_rolls_back() {
    let run = run("circuit-breaker-rollback");
    no_errors(&run);
    let s = &services(&run, 0)[0];
    assert!(s["taskDefinition"].as_str().unwrap().ends_with("api:1"));
    assert_eq!(s["runningCount"], 4);
    assert!(events(s)
        .iter()
        .any(|m| m.contains("deployment failed: tasks failed to start")));
    // The rollback keeps the api:1 tasks that were running; only the broken
    // ones stopped: three, started one at a time (maximumPercent 125).
    let tasks = run.final_state["clusters"][0]["tasks"].as_array().unwrap();
    let stopped: Vec<&Value> = tasks
        .iter()
        .filter(|t| t["lastStatus"] == "STOPPED")
        .collect();
    assert_eq!(stopped.len(), 3);
    assert!(stopped
        .iter()
        .all(|t| t["taskDefinitionArn"].as_str().unwrap().ends_with("api:2")));
    assert!(stopped.iter().all(|t| t["stopCode"] == "TaskFailedToStart"));
}

#[test]
fn capacity_providers_split_and_scale_out() {
    let run = run("capacity-providers");
    no_errors(&run);
    let s = &services(&run, 0)[0];
    assert_eq!(s["runningCount"], 10);
    let tasks = run.final_state["clusters"][0]["tasks"].as_array().unwrap();
    let on = |p: &str| {
        tasks
            .iter()
            .filter(|t| t["lastStatus"] == "RUNNING" && t["capacityProviderName"] == p)
            .count()
    };
    assert_eq!((on("on-demand"), on("spot")), (4, 6));
    assert!(run
        .timeline
        .iter()
        .any(|e| e.kind == "scaling" && e.message.starts_with("scale out")));
}

/// The gallery's suggested action: a new capacityProviderStrategy with
/// forceNewDeployment. Managed scaling sees the new deployment's tasks that
/// wait for capacity (within maximumPercent) and scales out for them.
#[test]
fn a_new_capacity_provider_strategy_deploys_with_managed_scaling() {
    let path = dir().join("capacity-providers.json");
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["steps"].as_array_mut().unwrap().push(serde_json::json!({"at": "10m", "call": "UpdateService", "input": {
        "service": "batch", "forceNewDeployment": true,
        "capacityProviderStrategy": [{"capacityProvider": "on-demand", "base": 2, "weight": 1}, {"capacityProvider": "spot", "weight": 1}]}}));
    doc["until"] = serde_json::json!("20m");
    let run = Scenario::from_value(&doc).unwrap().run(None);
    no_errors(&run);
    let s = &services(&run, 0)[0];
    assert_eq!(s["runningCount"], 10);
    assert_eq!(
        s["deployments"].as_array().unwrap().len(),
        1,
        "{:?}",
        s["deployments"]
    );
    assert_eq!(s["deployments"][0]["rolloutState"], "COMPLETED");
    let tasks = run.final_state["clusters"][0]["tasks"].as_array().unwrap();
    let on = |p: &str| {
        tasks
            .iter()
            .filter(|t| t["lastStatus"] == "RUNNING" && t["capacityProviderName"] == p)
            .count()
    };
    assert_eq!((on("on-demand"), on("spot")), (6, 4), "base 2, then 1:1");
    assert!(run
        .timeline
        .iter()
        .any(|e| e.at > 600_000 && e.kind == "scaling" && e.message.starts_with("scale out")));
}

/// Managed scaling stops counting a deployment's tasks once it is FAILED
/// (without rollback it launches nothing more): nothing more scales out for
/// it, and the instances launched for it are scaled in once empty.
#[test]
fn a_failed_deployment_gets_no_more_capacity() {
    let path = dir().join("capacity-providers.json");
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let steps = doc["steps"].as_array_mut().unwrap();
    steps.push(serde_json::json!({"at": "10m", "call": "Simulator.SetImageBehavior", "input": {"image": "batch:broken", "startFailure": "CannotPullContainerError: manifest unknown"}}));
    steps.push(serde_json::json!({"at": "10m", "call": "RegisterTaskDefinition", "input": {"family": "batch", "containerDefinitions": [{"name": "b", "image": "batch:broken", "cpu": 1024, "memory": 2048}]}}));
    steps.push(serde_json::json!({"at": "10m", "call": "UpdateService", "input": {"service": "batch", "taskDefinition": "batch:2",
        "deploymentConfiguration": {"deploymentCircuitBreaker": {"enable": true, "rollback": false,
            "thresholdConfiguration": {"type": "COUNT", "value": 20}}}}}));
    doc["until"] = serde_json::json!("60m");
    let run = Scenario::from_value(&doc).unwrap().run(None);
    no_errors(&run);
    let failed_at = run
        .timeline
        .iter()
        .find(|e| e.kind == "deployment" && e.message.contains("FAILED"))
        .map(|e| e.at)
        .expect("the deployment fails");
    let late: Vec<&str> = run
        .timeline
        .iter()
        .filter(|e| e.at > failed_at && e.kind == "scaling" && e.message.starts_with("scale out"))
        .map(|e| e.message.as_str())
        .collect();
    assert_eq!(late, Vec::<&str>::new());
    assert!(run
        .timeline
        .iter()
        .any(|e| e.at > failed_at && e.kind == "scaling" && e.message.starts_with("scale in")));
}

#[test]
fn draining_moves_tasks() {
    let run = run("draining");
    no_errors(&run);
    let s = &services(&run, 0)[0];
    assert_eq!(s["runningCount"], 6);
    let tasks = run.final_state["clusters"][0]["tasks"].as_array().unwrap();
    assert!(tasks
        .iter()
        .filter(|t| t["lastStatus"] == "RUNNING")
        .all(|t| t["availabilityZone"] != "us-east-1a"));
}

#[test]
fn daemon_service_follows_instances() {
    let run = run("daemon");
    no_errors(&run);
    let s = &services(&run, 0)[0];
    assert_eq!(s["schedulingStrategy"], "DAEMON");
    assert_eq!(s["desiredCount"], 4);
    assert_eq!(s["runningCount"], 4);
}

#[test]
fn service_connect_namespace_spans_clusters() {
    let run = run("service-connect");
    no_errors(&run);
    let all = run.calls[8].response.as_ref().unwrap()["serviceArns"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(all.len(), 2);
    let first_page = run.calls[9].response.as_ref().unwrap();
    assert_eq!(first_page["serviceArns"].as_array().unwrap().len(), 1);
    assert!(first_page["nextToken"].is_string());
    let orders = &services(&run, 1)[0];
    assert_eq!(
        orders["deployments"][0]["serviceConnectResources"][0]["discoveryName"],
        "http"
    );
}

/// A tiny deterministic generator for the fuzz test.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Replaces one random node of `value` with a random JSON value.
fn mutate(value: &mut Value, mix: &mut Mix, depth: usize) {
    let replacement = |mix: &mut Mix| match mix.next() % 8 {
        0 => Value::Null,
        1 => serde_json::json!(-1),
        2 => serde_json::json!(1e300),
        3 => serde_json::json!("5m"),
        4 => serde_json::json!([]),
        5 => serde_json::json!({}),
        6 => serde_json::json!(true),
        _ => serde_json::json!("arn:aws:ecs:us-east-1:123456789012:cluster/x"),
    };
    let stop = depth > 6 || mix.next().is_multiple_of(4);
    match value {
        Value::Object(map) if !map.is_empty() && !stop => {
            let keys: Vec<String> = map.keys().cloned().collect();
            let key = &keys[(mix.next() % keys.len() as u64) as usize];
            if mix.next().is_multiple_of(5) {
                map.remove(key);
            } else if let Some(child) = map.get_mut(key) {
                mutate(child, mix, depth + 1);
            }
        }
        Value::Array(items) if !items.is_empty() && !stop => {
            let i = (mix.next() % items.len() as u64) as usize;
            if mix.next().is_multiple_of(5) {
                items.remove(i);
            } else {
                mutate(&mut items[i], mix, depth + 1);
            }
        }
        _ => *value = replacement(mix),
    }
}

/// Fuzzing the runner: mutated scenarios either load with a message or run
/// without panicking, and runs stay deterministic.
#[test]
fn mutated_scenarios_never_panic() {
    let mut mix = Mix(42);
    let mut loaded = 0;
    for entry in std::fs::read_dir(dir()).expect("scenarios dir") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let original: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("parse");
        for _ in 0..40 {
            let mut doc = original.clone();
            for _ in 0..(1 + mix.next() % 3) {
                mutate(&mut doc, &mut mix, 0);
            }
            match Scenario::from_value(&doc) {
                Ok(mut scenario) => {
                    loaded += 1;
                    let run = scenario.run(Some(20 * 60_000));
                    assert!(run.end <= 20.0 * 60.0);
                    // Playback of the same run never panics either.
                    scenario.until = Some(20 * 60_000);
                    let recording = Recording::record(&scenario);
                    let middle = recording.end() / 2;
                    let frame = recording.frame_at(middle);
                    for s in &frame.services {
                        let _ = recording.explain_unplaced(middle, &s.name);
                        for d in &s.deployments {
                            let _ = recording.explain_deployment(middle, &s.name, &d.id);
                        }
                    }
                    let _ = recording.service_events_until(middle, None);
                    let some_task = frame
                        .clusters
                        .iter()
                        .flat_map(|c| c.zones.iter())
                        .flat_map(|z| z.groups.iter().flat_map(|g| g.instances.iter()))
                        .flat_map(|i| i.tasks.iter())
                        .chain(frame.unplaced.iter())
                        .next();
                    if let Some(task) = some_task {
                        assert!(recording.task_detail(middle, &task.id).is_some());
                        assert!(recording.explain_task(middle, &task.id).is_some());
                    }
                }
                Err(message) => assert!(!message.is_empty()),
            }
        }
    }
    assert!(loaded > 50, "only {loaded} mutated scenarios loaded");
}

/// Managed scaling also scales in: once the service is scaled to zero, the
/// empty instances go after 15 minutes.
#[test]
fn capacity_providers_scale_in_empty_instances() {
    let text = std::fs::read_to_string(dir().join("capacity-providers.json")).expect("read");
    let mut doc: Value = serde_json::from_str(&text).expect("parse");
    doc["steps"]
        .as_array_mut()
        .expect("steps")
        .push(serde_json::json!(
            {"at": "16m", "call": "UpdateService", "input": {"service": "batch", "desiredCount": 0}}
        ));
    doc["until"] = serde_json::json!("50m");
    let run = Scenario::from_value(&doc).expect("loads").run(None);
    no_errors(&run);
    assert_eq!(
        run.final_state["clusters"][0]["cluster"]["registeredContainerInstancesCount"],
        0
    );
    let scale_ins = run
        .timeline
        .iter()
        .filter(|e| e.kind == "scaling" && e.message.starts_with("scale in"))
        .count();
    // Four on-demand tasks (base 2, then one for every three spot) and six
    // spot tasks, two per m5.large: 2 + 3 instances launched, all scaled in.
    assert_eq!(scale_ins, 5);
    let first = run
        .timeline
        .iter()
        .find(|e| e.kind == "scaling" && e.message.starts_with("scale in"))
        .map(|e| e.at);
    assert!(first.is_some_and(|at| at >= 31 * 60_000), "{first:?}");
}

/// Every gallery scenario has a guide, and www/scenarios/index.json lists
/// them all with their titles and topics. Regenerate it with
/// `UPDATE_GOLDEN=1 cargo test -p ecs-engine --test scenarios`.
#[test]
fn the_gallery_index_matches_the_scenarios() {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir()).expect("scenarios dir") {
        let name = entry
            .expect("entry")
            .file_name()
            .into_string()
            .expect("utf-8 name");
        if !name.ends_with(".json") || name == "index.json" {
            continue;
        }
        let text = std::fs::read_to_string(dir().join(&name)).expect("read");
        let scenario = Scenario::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let guide = scenario
            .guide
            .unwrap_or_else(|| panic!("{name} has no guide"));
        assert!(!guide.look_for.is_empty(), "{name}: say what to look for");
        assert!(!guide.topics.is_empty(), "{name}: tag it with a topic");
        entries.push((name, guide));
    }
    assert!(
        entries.len() >= 10,
        "the gallery needs at least 10 scenarios"
    );
    let expected = gallery::index(&entries);
    let path = dir().join("index.json");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let text = serde_json::to_string_pretty(&expected).expect("serialise") + "\n";
        std::fs::write(&path, text).expect("write index.json");
        return;
    }
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with UPDATE_GOLDEN=1", path.display()));
    let actual: Value = serde_json::from_str(&text).expect("index.json is JSON");
    assert_eq!(
        actual, expected,
        "index.json is out of date: run with UPDATE_GOLDEN=1"
    );
    for topic in gallery::TOPICS {
        assert!(
            entries
                .iter()
                .any(|(_, g)| g.topics.iter().any(|t| t == topic)),
            "no scenario on {topic}"
        );
    }
}

#[test]
fn min_100_max_100_makes_no_progress() {
    let run = run("deployment-no-progress");
    no_errors(&run);
    let s = &services(&run, 0)[0];
    let deployments = s["deployments"].as_array().unwrap();
    assert_eq!(deployments.len(), 2);
    assert_eq!(deployments[0]["rolloutState"], "IN_PROGRESS");
    assert_eq!(deployments[0]["runningCount"], 0);
    assert_eq!(deployments[1]["runningCount"], 4);
    assert!(events(s).iter().any(|m| m.contains(
        "was unable to stop or start tasks during a deployment because of the service deployment configuration"
    )));
}

#[test]
fn distinct_instance_and_member_of_leave_one_task_unplaced() {
    let run = run("distinct-instance");
    no_errors(&run);
    let s = &services(&run, 0)[0];
    assert_eq!(s["desiredCount"], 4);
    assert_eq!(s["runningCount"], 3);
    let tasks = run.final_state["clusters"][0]["tasks"].as_array().unwrap();
    let mut hosts: Vec<&str> = tasks
        .iter()
        .map(|t| t["containerInstanceArn"].as_str().unwrap())
        .collect();
    hosts.sort();
    hosts.dedup();
    assert_eq!(hosts.len(), 3, "one task per instance");
    assert!(tasks.iter().all(|t| t["availabilityZone"] != "us-east-1c"));
    assert!(events(s)
        .iter()
        .any(|m| m.contains("placement constraint unsatisfied")));
}

#[test]
fn a_fargate_spot_interruption_is_replaced() {
    let run = run("fargate-spot-interruption");
    no_errors(&run);
    let s = &services(&run, 0)[0];
    assert_eq!(s["runningCount"], 4);
    let tasks = run.final_state["clusters"][0]["tasks"].as_array().unwrap();
    let interrupted: Vec<&Value> = tasks
        .iter()
        .filter(|t| t["stopCode"] == "SpotInterruption")
        .collect();
    assert_eq!(interrupted.len(), 1);
    assert_eq!(
        interrupted[0]["stoppedReason"],
        "Your Spot Task was interrupted."
    );
    assert!(events(s).iter().any(|m| m.contains("has started 1 tasks")));
}
