//! Simulation benchmark: prints figures, no external harness.
//!
//! Run: `cargo bench -p ecs-engine --bench simulation`
//!
//! A rolling deployment of a 5,000-task REPLICA service across 5,000
//! instances, from the old task definition to the new one with the default
//! deployment configuration (100% / 200%), run to steady state. Reports the
//! wall time of the deployment alone (the service was already steady), the
//! virtual time it took, events handled and timeline size. The workload is
//! `ecs_engine::sim::workload`, which the in-browser benchmark shares.

use std::time::Instant;

use ecs_engine::sim::workload::{run_to_steady, start_rolling_deployment, steady_service};

const SIZE: u32 = 5000;

fn main() {
    let setup = Instant::now();
    let mut ecs = match steady_service(SIZE) {
        Ok(ecs) => ecs,
        Err(e) => panic!("the workload: {} {}", e.error_type, e.message),
    };
    let setup = setup.elapsed();
    let first = ecs.now();
    let events_before = ecs.timeline().count() as u64 + ecs.timeline_dropped();

    let reconciles_before = ecs.reconcile_count();
    let deploy = Instant::now();
    if let Err(e) = start_rolling_deployment(&mut ecs) {
        panic!("the deployment: {} {}", e.error_type, e.message);
    }
    let Some(virtual_ms) = run_to_steady(&mut ecs, SIZE) else {
        panic!("no steady state within six virtual hours");
    };
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
