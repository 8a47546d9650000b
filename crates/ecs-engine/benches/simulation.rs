//! Simulation benchmark: prints figures, no external harness.
//!
//! Run: `cargo bench -p ecs-engine --bench simulation`
//!
//! A rolling deployment of a 5,000-task REPLICA service across 5,000
//! instances, from the old task definition to the new one with the default
//! deployment configuration (100% / 200%), run to steady state. Reports the
//! wall time of the deployment alone (the service was already steady), the
//! virtual time it took, events handled and timeline size.
//!
//! Then the same workload as a scenario (the deployment starts at 25
//! virtual minutes, the run ends at 50): the plain run, a playback
//! recording of it, and `frame_at` at the end, mid-deployment and at a
//! spread of times.

use std::time::Instant;

use ecs_engine::sim::playback::Recording;
use ecs_engine::sim::scenario::Scenario;
use ecs_engine::sim::{Ecs, SimConfig};
use serde_json::{json, Value};

fn call(ecs: &mut Ecs, op: &str, request: Value) -> Value {
    match ecs.call(op, &request) {
        Ok(v) => v,
        Err(e) => panic!("{op}: {} {}", e.error_type, e.message),
    }
}

fn task_definition(image: &str) -> Value {
    json!({"family": "web", "containerDefinitions": [{"name": "app", "image": image, "cpu": 256, "memory": 512, "portMappings": [{"containerPort": 80}]}]})
}

fn steady(ecs: &mut Ecs) -> bool {
    let out = call(ecs, "DescribeServices", json!({"services": ["web"]}));
    let s = &out["services"][0];
    s["deployments"].as_array().is_some_and(|d| d.len() == 1)
        && s["deployments"][0]["rolloutState"] == "COMPLETED"
        && s["runningCount"] == 5000
}

fn run_to_steady(ecs: &mut Ecs) -> u64 {
    let start = ecs.now();
    while !steady(ecs) {
        let next = ecs.now() + 60_000;
        ecs.advance_to(next);
        assert!(
            ecs.now() - start < 6 * 3_600_000,
            "no steady state within six virtual hours"
        );
    }
    ecs.now() - start
}

fn main() {
    let setup = Instant::now();
    let mut ecs = Ecs::new(SimConfig::default());
    call(&mut ecs, "CreateCluster", json!({}));
    call(
        &mut ecs,
        "Simulator.LaunchInstances",
        json!({"instanceType": "m5.large", "count": 5000}),
    );
    call(&mut ecs, "RegisterTaskDefinition", task_definition("web:1"));
    call(
        &mut ecs,
        "CreateService",
        json!({"serviceName": "web", "taskDefinition": "web:1", "desiredCount": 5000}),
    );
    let first = run_to_steady(&mut ecs);
    let setup = setup.elapsed();
    let events_before = ecs.timeline().count() as u64 + ecs.timeline_dropped();

    let reconciles_before = ecs.reconcile_count();
    let deploy = Instant::now();
    call(&mut ecs, "RegisterTaskDefinition", task_definition("web:2"));
    call(
        &mut ecs,
        "UpdateService",
        json!({"service": "web", "taskDefinition": "web:2"}),
    );
    let virtual_ms = run_to_steady(&mut ecs);
    let elapsed = deploy.elapsed();
    let events = ecs.timeline().count() as u64 + ecs.timeline_dropped() - events_before;

    println!("simulation: 5,000-task service on 5,000 m5.large instances");
    println!(
        "  create + first rollout to steady state: {:>8.1} ms wall, {:>6.1} min virtual",
        setup.as_secs_f64() * 1e3,
        first as f64 / 60_000.0
    );
    println!("  rolling deployment web:1 → web:2 (100%/200%) to steady state:");
    println!(
        "    wall time            {:>8.1} ms   (goal ≤ 1000 ms)",
        elapsed.as_secs_f64() * 1e3
    );
    println!(
        "    virtual time         {:>8.1} min",
        virtual_ms as f64 / 60_000.0
    );
    println!("    timeline events      {:>8}", events);
    println!(
        "    scheduler runs       {:>8}",
        ecs.reconcile_count() - reconciles_before
    );
    println!(
        "    timeline kept        {:>8} (dropped {})",
        ecs.timeline().count(),
        ecs.timeline_dropped()
    );
    playback();
}

fn playback() {
    let scenario = Scenario::from_value(&json!({
        "format": "ecs-playground-scenario/1",
        "steps": [
            {"at": 0, "call": "CreateCluster", "input": {}},
            {"at": 0, "call": "Simulator.LaunchInstances", "input": {"instanceType": "m5.large", "count": 5000}},
            {"at": 0, "call": "RegisterTaskDefinition", "input": task_definition("web:1")},
            {"at": 0, "call": "CreateService", "input": {"serviceName": "web", "taskDefinition": "web:1", "desiredCount": 5000}},
            {"at": "25m", "call": "RegisterTaskDefinition", "input": task_definition("web:2")},
            {"at": "25m", "call": "UpdateService", "input": {"service": "web", "taskDefinition": "web:2"}}
        ],
        "until": "50m"
    }))
    .expect("the benchmark scenario parses");
    // The plain run: the same calls on a bare simulator, no snapshots.
    let plain = Instant::now();
    let mut ecs = Ecs::new(SimConfig::default());
    for step in &scenario.steps {
        ecs.advance_to(step.at);
        call(&mut ecs, &step.call, step.input.clone());
    }
    ecs.advance_to(50 * 60_000);
    let plain = plain.elapsed();
    let record = Instant::now();
    let recording = Recording::record(&scenario);
    let record = record.elapsed();
    assert_eq!(ecs.now(), recording.end());
    let (deltas, checkpoints) = recording.log_sizes();
    // The median of five tries, so one pause of a busy machine does not count.
    let time_frame = |at: u64| {
        let mut tries = Vec::new();
        let mut tasks = 0;
        for _ in 0..5 {
            let start = Instant::now();
            let frame = recording.frame_at(at);
            tries.push(start.elapsed().as_secs_f64() * 1e3);
            tasks = frame
                .clusters
                .iter()
                .flat_map(|c| c.zones.iter())
                .flat_map(|z| z.groups.iter())
                .flat_map(|g| g.instances.iter())
                .map(|i| i.tasks.len())
                .sum();
        }
        tries.sort_by(f64::total_cmp);
        (tries[2], tasks)
    };
    let (end_ms, end_tasks) = time_frame(recording.end());
    let mid = 25 * 60_000 + 5 * 60_000;
    let (mid_ms, mid_tasks) = time_frame(mid);
    let mut spread: Vec<f64> = (1..=20)
        .map(|k| time_frame(recording.end() * k / 20).0)
        .collect();
    spread.sort_by(f64::total_cmp);
    println!("playback: the same workload as a scenario (deployment at 25 min, run to 50 min)");
    println!(
        "  plain run (no snapshots)  {:>8.1} ms wall",
        plain.as_secs_f64() * 1e3
    );
    println!(
        "  Recording::record         {:>8.1} ms wall   (goal ≤ 2× the plain run: {:.2}×)",
        record.as_secs_f64() * 1e3,
        record.as_secs_f64() / plain.as_secs_f64()
    );
    println!(
        "  delta log                 {:>8} changes, {} checkpoints, {} event times",
        deltas,
        checkpoints,
        recording.event_times().len()
    );
    println!(
        "  frame_at(end)             {:>8.2} ms   ({end_tasks} tasks on instances; goal ≤ 10 ms)",
        end_ms
    );
    println!(
        "  frame_at(30 min, mid-deployment) {:>5.2} ms   ({mid_tasks} tasks on instances)",
        mid_ms
    );
    println!(
        "  frame_at at 20 times      median {:.2} ms, slowest {:.2} ms",
        spread[spread.len() / 2],
        spread[spread.len() - 1]
    );
}
