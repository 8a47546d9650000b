//! Simulation benchmark: prints figures, no external harness.
//!
//! Run: `cargo bench -p ecs-engine --bench simulation`
//!
//! A rolling deployment of a 5,000-task REPLICA service across 5,000
//! instances, from the old task definition to the new one with the default
//! deployment configuration (100% / 200%), run to steady state. Reports the
//! wall time of the deployment alone (the service was already steady), the
//! virtual time it took, events handled and timeline size.

use std::time::Instant;

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
}
