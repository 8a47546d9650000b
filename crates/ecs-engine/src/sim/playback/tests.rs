//! Playback against the gallery's real scenarios.

use serde_json::{json, Value};

use super::super::state::{DeploymentStatus, DesiredStatus, ServiceStatus, TaskStatus};
use super::replay::replay_to;
use super::*;

fn scenario(file: &str) -> Scenario {
    let path = format!("{}/../../www/scenarios/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    Scenario::parse(&text).unwrap()
}

/// Services (name, counts, deployments), live tasks (id, statuses, health), instances.
type Described = (Vec<Value>, Vec<(String, String, String, String)>, usize);

/// What DescribeServices, DescribeTasks and ListContainerInstances report in
/// a fresh run advanced to `at`: per service (desired, running, pending,
/// deployments' counts), per task (status, desired, health), instances.
fn described(ecs: &mut Ecs, cluster: &str) -> Described {
    let listed = ecs
        .call(
            "ListServices",
            &json!({"cluster": cluster, "maxResults": 100}),
        )
        .unwrap();
    let arns: Vec<Value> = listed["serviceArns"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut services = Vec::new();
    for chunk in arns.chunks(10) {
        let out = ecs
            .call(
                "DescribeServices",
                &json!({"cluster": cluster, "services": chunk}),
            )
            .unwrap();
        for s in out["services"].as_array().unwrap() {
            let deployments: Vec<Value> = s["deployments"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| {
                    json!([
                        d["id"],
                        d["status"],
                        d["rolloutState"],
                        d["desiredCount"],
                        d["runningCount"],
                        d["pendingCount"],
                        d["failedTasks"]
                    ])
                })
                .collect();
            services.push(json!([
                s["serviceName"],
                s["desiredCount"],
                s["runningCount"],
                s["pendingCount"],
                deployments
            ]));
        }
    }
    let mut tasks = Vec::new();
    for desired in ["RUNNING", "STOPPED"] {
        let mut token: Option<String> = None;
        loop {
            let mut request =
                json!({"cluster": cluster, "desiredStatus": desired, "maxResults": 100});
            if let Some(t) = &token {
                request["nextToken"] = json!(t);
            }
            let listed = ecs.call("ListTasks", &request).unwrap();
            let arns: Vec<Value> = listed["taskArns"].as_array().cloned().unwrap_or_default();
            for chunk in arns.chunks(100) {
                let out = ecs
                    .call(
                        "DescribeTasks",
                        &json!({"cluster": cluster, "tasks": chunk}),
                    )
                    .unwrap();
                for t in out["tasks"].as_array().unwrap() {
                    if t["lastStatus"] == "STOPPED" {
                        continue;
                    }
                    let id = t["taskArn"]
                        .as_str()
                        .unwrap()
                        .rsplit('/')
                        .next()
                        .unwrap()
                        .to_string();
                    tasks.push((
                        id,
                        t["lastStatus"].as_str().unwrap().to_string(),
                        t["desiredStatus"].as_str().unwrap().to_string(),
                        t["healthStatus"].as_str().unwrap().to_string(),
                    ));
                }
            }
            token = listed["nextToken"].as_str().map(str::to_string);
            if token.is_none() {
                break;
            }
        }
    }
    tasks.sort();
    let instances = ecs
        .call(
            "ListContainerInstances",
            &json!({"cluster": cluster, "maxResults": 100}),
        )
        .unwrap()["containerInstanceArns"]
        .as_array()
        .map_or(0, Vec::len);
    (services, tasks, instances)
}

fn from_frame(frame: &Frame, cluster: &str) -> Described {
    let services = frame
        .services
        .iter()
        .filter(|s| s.cluster == cluster && s.status != ServiceStatus::Inactive)
        .map(|s| {
            let deployments: Vec<Value> = s
                .deployments
                .iter()
                .map(|d| {
                    json!([
                        d.id,
                        d.status,
                        d.rollout_state,
                        d.desired,
                        d.running,
                        d.pending,
                        d.failed
                    ])
                })
                .collect();
            json!([s.name, s.desired, s.running, s.pending, deployments])
        })
        .collect();
    let c = frame.clusters.iter().find(|c| c.name == cluster).unwrap();
    let mut tasks: Vec<(String, String, String, String)> = c
        .zones
        .iter()
        .flat_map(|z| {
            z.groups
                .iter()
                .flat_map(|g| g.instances.iter().flat_map(|i| i.tasks.iter()))
                .chain(z.fargate.iter())
        })
        .chain(frame.unplaced.iter())
        .map(|t| {
            (
                t.id.clone(),
                t.last_status.as_str().to_string(),
                t.desired_status.as_str().to_string(),
                t.health.as_str().to_string(),
            )
        })
        .collect();
    tasks.sort();
    let instances = c
        .zones
        .iter()
        .flat_map(|z| z.groups.iter())
        .map(|g| g.instances.len())
        .sum();
    (services, tasks, instances)
}

#[test]
fn frames_match_what_a_fresh_run_describes() {
    for file in ["rolling-default.json", "circuit-breaker-rollback.json"] {
        let s = scenario(file);
        let recording = Recording::record(&s);
        assert!(recording.end() > 0, "{file}");
        let times = recording.event_times();
        assert!(times.len() > 5, "{file}: {} event times", times.len());
        let picks = [
            times[times.len() / 5],
            times[times.len() / 2],
            times[times.len() * 4 / 5],
            recording.end(),
        ];
        for at in picks {
            let frame = recording.frame_at(at);
            assert_eq!(frame.at, at);
            let mut fresh = replay_to(&s, at);
            let clusters: Vec<String> = frame.clusters.iter().map(|c| c.name.clone()).collect();
            assert!(!clusters.is_empty(), "{file} at {at}");
            for cluster in clusters {
                assert_eq!(
                    from_frame(&frame, &cluster),
                    described(&mut fresh, &cluster),
                    "{file} {cluster} at {at}"
                );
            }
        }
    }
}

#[test]
fn the_recording_is_the_scenario_run() {
    let s = scenario("circuit-breaker-rollback.json");
    let recording = Recording::record(&s);
    let run = s.run(None);
    assert_eq!(recording.calls().len(), run.calls.len());
    assert_eq!(recording.timeline_until(u64::MAX), &run.timeline[..]);
    assert_eq!(recording.end() as f64 / 1000.0, run.end);
    let events = recording.service_events_until(recording.end(), None);
    let last = &run.final_state["clusters"][0]["services"][0]["events"];
    let expected: Vec<&str> = last
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    let got: Vec<&str> = events.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(got, expected);
}

#[test]
fn the_circuit_breaker_chart_marks_failures_and_the_rollback() {
    let recording = Recording::record(&scenario("circuit-breaker-rollback.json"));
    let chart = recording.chart();
    let kinds: Vec<&MarkerKind> = chart.markers.iter().map(|m| &m.kind).collect();
    assert!(
        kinds
            .iter()
            .any(|k| matches!(k, MarkerKind::CircuitBreakerFailure { .. })),
        "{kinds:?}"
    );
    assert!(
        kinds.iter().any(|k| matches!(k, MarkerKind::RolledBack)),
        "{kinds:?}"
    );
    assert!(
        kinds
            .iter()
            .any(|k| matches!(k, MarkerKind::DeploymentStarted)),
        "{kinds:?}"
    );
    let service = &chart.services[0];
    assert!(service.deployments.len() >= 2);
    assert!(!service.bands.is_empty());
    assert!(!chart.reservation[0].points.is_empty());
}

#[test]
fn a_placed_task_is_explained_with_engine_twos_trace() {
    let recording = Recording::record(&scenario("rolling-default.json"));
    let at = recording.end();
    let frame = recording.frame_at(at);
    let instance = frame.clusters[0].zones[0].groups[0]
        .instances
        .iter()
        .find(|i| !i.tasks.is_empty())
        .unwrap();
    let task = &instance.tasks[0];
    match recording.explain_task(at, &task.id).unwrap() {
        TaskExplanation::Placed {
            instance_id, trace, ..
        } => {
            assert_eq!(instance_id, instance.id);
            assert!(!trace.candidates.is_empty());
            assert!(trace
                .candidates
                .iter()
                .any(|c| c.instance_id == instance.id && c.feasible()));
        }
        other => panic!("{other:?}"),
    }
    let detail = recording.task_detail(at, &task.id).unwrap();
    assert_eq!(
        detail.container_instance.as_deref(),
        Some(instance.id.as_str())
    );
    assert_eq!(detail.last_status, task.last_status);
}

#[test]
fn deployment_arithmetic_is_shown() {
    let recording = Recording::record(&scenario("rolling-default.json"));
    let frame = recording.frame_at(recording.end());
    let s = &frame.services[0];
    let d = &s.deployments[0];
    let e = recording
        .explain_deployment(recording.end(), &s.name, &d.id)
        .unwrap();
    assert_eq!(
        e.minimum_healthy_tasks,
        super::super::scheduler::minimum_healthy(e.desired, e.minimum_healthy_percent)
    );
    assert!(
        e.arithmetic[0].starts_with("minimum healthy = ceil("),
        "{:?}",
        e.arithmetic
    );
    assert!(
        e.arithmetic[1].starts_with("maximum = floor("),
        "{:?}",
        e.arithmetic
    );
}

/// Every gallery scenario: the delta log's frame equals the frame read off
/// the simulator itself after everything at that time ran, at every time
/// anything happened and just after it.
#[test]
fn logged_frames_equal_the_simulators_state_at_every_event_time() {
    let dir = format!("{}/../../www/scenarios", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|f| f.ends_with(".json") && f != "index.json")
        .collect();
    files.sort();
    assert!(files.len() >= 9, "{files:?}");
    for file in files {
        let s = scenario(&file);
        assert_eq!(
            Recording::record(&s).frame_at(u64::MAX),
            Recording::record_with(&s, 3).frame_at(u64::MAX)
        );
        // Checkpoints every few changes, so frames start from them too.
        let recording = Recording::record_with(&s, 7);
        let mut expected: std::collections::BTreeMap<u64, Frame> = Default::default();
        super::replay::drive(&s, u64::MAX, false, &mut |ecs, _| {
            expected.insert(ecs.now, Frame::of_ecs(ecs));
        });
        assert_eq!(
            expected.keys().copied().collect::<Vec<_>>(),
            recording.event_times(),
            "{file}"
        );
        for (at, frame) in &expected {
            assert_eq!(&recording.frame_at(*at), frame, "{file} at {at}");
            let next = recording
                .next_event_after(*at)
                .unwrap_or(recording.end() + 1);
            if next > at + 1 {
                let mut later = frame.clone();
                later.at = at + 1;
                assert_eq!(recording.frame_at(at + 1), later, "{file} at {at} + 1 ms");
            }
        }
    }
}

#[test]
fn an_unplaced_task_is_explained_in_plain_words() {
    let recording = Recording::record(&scenario("port-conflict.json"));
    let at = recording.end();
    match recording.explain_unplaced(at, "web").unwrap() {
        TaskExplanation::Pending {
            summary,
            ecs_event,
            checks,
        } => {
            assert!(
                summary.contains("The only instance in us-east-1a already holds a host port"),
                "{summary}"
            );
            assert!(summary.starts_with("1 of the 3 desired tasks"), "{summary}");
            assert!(ecs_event.unwrap().contains("is already using a port"));
            assert_eq!(checks.len(), 2, "{checks:?}");
        }
        other => panic!("{other:?}"),
    }
    let recording = Recording::record(&scenario("distinct-instance.json"));
    match recording
        .explain_unplaced(recording.end(), "cache")
        .unwrap()
    {
        TaskExplanation::Pending { summary, .. } => {
            assert!(
                summary.contains("The only instance in us-east-1c fails the memberOf expression"),
                "{summary}"
            );
            assert!(
                summary.contains("All 2 instances in us-east-1a already run a task"),
                "{summary}"
            );
            assert!(summary.contains("distinctInstance"), "{summary}");
        }
        other => panic!("{other:?}"),
    }
    // A service with all its tasks has nothing to explain.
    let recording = Recording::record(&scenario("rolling-default.json"));
    assert_eq!(recording.explain_unplaced(recording.end(), "api"), None);
}

#[test]
fn a_stuck_deployment_shows_why_it_cannot_move() {
    let recording = Recording::record(&scenario("deployment-no-progress.json"));
    let at = recording.end();
    let frame = recording.frame_at(at);
    let primary = frame.services[0]
        .deployments
        .iter()
        .find(|d| d.status == DeploymentStatus::Primary)
        .unwrap();
    let e = recording
        .explain_deployment(at, "api", &primary.id)
        .unwrap();
    assert_eq!((e.minimum_healthy_tasks, e.maximum_tasks), (4, 4));
    assert_eq!((e.may_stop_now, e.may_start_now), (0, 0));
    assert!(
        e.arithmetic
            .iter()
            .any(|a| a.contains("cannot make progress")),
        "{:?}",
        e.arithmetic
    );
    assert!(
        e.arithmetic[0].contains("ceil(4 × 100 / 100) = ceil(4.00) = 4"),
        "{:?}",
        e.arithmetic
    );
}

#[test]
fn the_circuit_breaker_count_is_explained() {
    let recording = Recording::record(&scenario("circuit-breaker-rollback.json"));
    let failed = recording
        .chart()
        .markers
        .iter()
        .find(|m| matches!(m.kind, MarkerKind::Failed))
        .unwrap()
        .at;
    let frame = recording.frame_at(failed);
    let service = &frame.services[0];
    let broken = recording.chart().services[0]
        .deployments
        .iter()
        .find(|d| d.revision == 2)
        .unwrap();
    let e = recording
        .explain_deployment(failed, &service.name, &broken.deployment_id)
        .unwrap();
    let breaker = e.circuit_breaker.unwrap();
    assert_eq!(breaker.threshold, 3);
    assert!(breaker.failed >= 3, "{breaker:?}");
    assert!(
        breaker
            .formula
            .contains("clamp(ceil(4 × 50 / 100), 3, 200)"),
        "{}",
        breaker.formula
    );
}

#[test]
fn a_service_waiting_for_capacity_and_a_fargate_task_are_explained() {
    let recording = Recording::record(&scenario("capacity-providers.json"));
    // The service is not short of tasks: all ten exist, waiting for
    // capacity in PROVISIONING, and each explains why it waits.
    assert!(recording.explain_unplaced(60_000, "batch").is_none());
    let frame = recording.frame_at(60_000);
    assert_eq!(frame.unplaced.len(), 10);
    let waiting = &frame.unplaced[0];
    assert_eq!(waiting.last_status, TaskStatus::Provisioning);
    assert_eq!(waiting.desired_status, DesiredStatus::Running);
    match recording.explain_task(60_000, &waiting.id).unwrap() {
        TaskExplanation::Pending { summary, .. } => {
            assert!(
                summary.contains("waits in PROVISIONING for capacity provider on-demand"),
                "{summary}"
            );
            assert!(
                summary.contains("No container instance is registered"),
                "{summary}"
            );
        }
        other => panic!("{other:?}"),
    }
    // Once placed, the task is explained by the decision that placed it,
    // made when capacity arrived (not when the task was created).
    let later = recording.frame_at(recording.end());
    assert!(later.unplaced.is_empty());
    match recording
        .explain_task(recording.end(), &waiting.id)
        .unwrap()
    {
        TaskExplanation::Placed { placed_at, .. } => assert_eq!(placed_at, 155_000),
        other => panic!("{other:?}"),
    }
    let recording = Recording::record(&scenario("fargate-spot-interruption.json"));
    let frame = recording.frame_at(recording.end());
    let cell = &frame.clusters[0].zones[0].fargate[0];
    match recording.explain_task(recording.end(), &cell.id).unwrap() {
        TaskExplanation::Fargate { summary } => {
            assert!(summary.contains("Fargate runs the task"), "{summary}")
        }
        other => panic!("{other:?}"),
    }
    // The interrupted task, as DescribeTasks showed it once it stopped.
    let detail = recording
        .task_detail(recording.end(), "1a2d6fc1f4700b9e9a956d52aa6d780e")
        .unwrap();
    assert_eq!(detail.stop_code.as_deref(), Some("SpotInterruption"));
    assert_eq!(detail.last_status, TaskStatus::Stopped);
    assert_eq!(detail.capacity_provider.as_deref(), Some("FARGATE_SPOT"));
    // Before the interruption it was running.
    let before = recording
        .task_detail(170_000, "1a2d6fc1f4700b9e9a956d52aa6d780e")
        .unwrap();
    assert_eq!(
        (before.last_status.as_str(), before.stop_code),
        ("RUNNING", None)
    );
    assert_eq!(
        recording.task_detail(1_000, "1a2d6fc1f4700b9e9a956d52aa6d780e"),
        None
    );
}

/// What the rolling guides tell the user to look for holds: running tasks
/// reach floor(4 × 200%) = 8 with the defaults, and dip to ceil(4 × 50%) = 2
/// at 50/100.
#[test]
fn the_rolling_guides_describe_the_runs() {
    let running = |file: &str| -> Vec<u32> {
        let recording = Recording::record(&scenario(file));
        recording
            .event_times()
            .iter()
            .filter(|t| **t >= 180_000)
            .map(|t| recording.frame_at(*t).services[0].running)
            .collect()
    };
    let defaults = running("rolling-default.json");
    assert_eq!(defaults.iter().max(), Some(&8));
    assert_eq!(defaults.iter().min(), Some(&4));
    let half = running("rolling-50-100.json");
    assert_eq!(half.iter().min(), Some(&2));
    assert_eq!(half.iter().max(), Some(&4));
}

#[test]
fn the_circuit_breaker_story_is_recorded_as_ecs_tells_it() {
    let recording = Recording::record(&scenario("circuit-breaker-rollback.json"));
    let chart = recording.chart();
    let service = &chart.services[0];
    // The failing deployment (api:2) counts its failed tasks one by one.
    let failing = service
        .deployments
        .iter()
        .find(|d| d.revision == 2)
        .unwrap();
    let mut rises: Vec<(u64, u32)> = Vec::new();
    for p in &failing.points {
        if rises.last().map_or(p.failed > 0, |(_, f)| p.failed > *f) {
            rises.push((p.at, p.failed));
        }
    }
    let counts: Vec<u32> = rises.iter().map(|(_, f)| *f).collect();
    assert_eq!(counts, [1, 2, 3], "{:?}", failing.points);
    assert!(
        rises.windows(2).all(|w| w[0].0 < w[1].0),
        "one failure at a time: {rises:?}"
    );
    // The deployments table shows the count rising before the rollback.
    let (second_failure, _) = rises[1];
    let frame = recording.frame_at(second_failure);
    let shown = frame.services[0]
        .deployments
        .iter()
        .find(|d| d.revision == 2)
        .unwrap();
    assert_eq!(
        (shown.failed, shown.rollout_state.as_str()),
        (2, "IN_PROGRESS")
    );
    // FAILED, with ECS's reason, then the rollback, then a steady state.
    let (trip, _) = rises[2];
    let at_trip: Vec<(&MarkerKind, &str)> = chart
        .markers
        .iter()
        .filter(|m| m.at == trip)
        .map(|m| (&m.kind, m.text.as_str()))
        .collect();
    assert!(
        at_trip.iter().any(|(k, t)| matches!(
            k,
            MarkerKind::CircuitBreakerFailure {
                failed: 3,
                threshold: 3
            }
        ) && *t == "3 failed tasks of a threshold of 3"),
        "{at_trip:?}"
    );
    assert!(
        at_trip.iter().any(|(k, t)| matches!(k, MarkerKind::Failed)
            && *t == "ECS deployment circuit breaker: tasks failed to start."),
        "{at_trip:?}"
    );
    assert!(
        at_trip
            .iter()
            .any(|(k, _)| matches!(k, MarkerKind::RolledBack)),
        "{at_trip:?}"
    );
    let events: Vec<String> = recording
        .service_events_until(trip, Some("api"))
        .into_iter()
        .map(|e| e.message)
        .collect();
    assert!(
        events
            .iter()
            .any(|m| m.ends_with("deployment failed: tasks failed to start")),
        "{events:?}"
    );
    // The FAILED deployment stays listed (ACTIVE, its failed count, ECS's
    // reason) while the rollback, named after the deployment it returns to,
    // is in progress; it goes once the rollback completes.
    let first = &service.deployments[0];
    let completed_id = first.deployment_id.clone();
    assert!(
        events
            .iter()
            .any(|m| *m == format!("(service api) rolling back to deployment {completed_id}.")),
        "{events:?}"
    );
    let during = recording.frame_at(trip + 1_000);
    let rows: Vec<(&str, &str, u32, Option<&str>)> = during.services[0]
        .deployments
        .iter()
        .map(|d| {
            (
                d.status.as_str(),
                d.rollout_state.as_str(),
                d.failed,
                d.rollout_state_reason.as_deref(),
            )
        })
        .collect();
    let rollback_reason =
        format!("ECS deployment circuit breaker: rolling back to deploymentId {completed_id}.");
    assert_eq!(
        rows,
        [
            ("PRIMARY", "IN_PROGRESS", 0, Some(rollback_reason.as_str())),
            (
                "ACTIVE",
                "FAILED",
                3,
                Some("ECS deployment circuit breaker: tasks failed to start.")
            ),
        ],
        "{:?}",
        during.services[0].deployments
    );
    let after = recording.frame_at(trip + crate::sim::scheduler::ROLLBACK_SETTLE_MS);
    let rows: Vec<(&str, &str)> = after.services[0]
        .deployments
        .iter()
        .map(|d| (d.status.as_str(), d.rollout_state.as_str()))
        .collect();
    assert_eq!(rows, [("PRIMARY", "COMPLETED")]);
}

/// "Why is this task here" is the decision that placed it: for every task on
/// an instance, the recorded trace chose exactly that instance, with no note
/// of a disagreement (there is no second computation to disagree with).
#[test]
fn every_placed_task_is_explained_by_the_decision_that_placed_it() {
    for name in [
        "spread-vs-binpack.json",
        "distinct-instance.json",
        "draining.json",
    ] {
        let recording = Recording::record(&scenario(name));
        let at = recording.end();
        let frame = recording.frame_at(at);
        let mut explained = 0;
        for zone in &frame.clusters[0].zones {
            for instance in zone.groups.iter().flat_map(|g| &g.instances) {
                for task in &instance.tasks {
                    match recording.explain_task(at, &task.id).unwrap() {
                        TaskExplanation::Placed {
                            instance_id,
                            trace,
                            approximation,
                            ..
                        } => {
                            assert_eq!(instance_id, instance.id, "{name}");
                            assert_eq!(trace.chosen.as_deref(), Some(instance.id.as_str()));
                            assert!(approximation.is_none_or(|a| !a.contains("prefers")));
                            explained += 1;
                        }
                        other => panic!("{name}: {other:?}"),
                    }
                }
            }
        }
        assert!(explained > 0, "{name}: no placed task");
    }
}
