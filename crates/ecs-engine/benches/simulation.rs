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
//!
//! Then the same workload as a scenario (the deployment starts at 25
//! virtual minutes, the run ends at 50): the plain run, a playback
//! recording of it, and `frame_at` at the end, mid-deployment and at a
//! spread of times. Given `deployment` (`target/release/deps/simulation-* deployment`),
//! it stops after the deployment, for a profiler.

use std::time::Instant;

use ecs_engine::sim::playback::Recording;
use ecs_engine::sim::workload::{
    rolling_scenario, run_to_steady, start_rolling_deployment, steady_service,
};
use ecs_engine::sim::{Ecs, SimConfig};

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
        "    wall time            {:>8.1} ms   (goal ≤ 100 ms, issue 12)",
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
    if std::env::args().any(|a| a == "deployment") {
        return;
    }
    playback();
}

fn playback() {
    let scenario = match rolling_scenario(SIZE) {
        Ok(scenario) => scenario,
        Err(e) => panic!("the benchmark scenario: {e}"),
    };
    // The plain run: the same calls on a bare simulator, no snapshots.
    let plain = Instant::now();
    let mut ecs = Ecs::new(SimConfig::default());
    for step in &scenario.steps {
        ecs.advance_to(step.at);
        if let Err(e) = ecs.call(&step.call, &step.input) {
            panic!("{}: {} {}", step.call, e.error_type, e.message);
        }
    }
    ecs.advance_to(50 * 60_000);
    let plain = plain.elapsed();
    let record = Instant::now();
    let recording = Recording::record(&scenario);
    let record = record.elapsed();
    assert_eq!(ecs.now(), recording.end());
    let (deltas, checkpoints, bytes) = recording.log_sizes();
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
        "  delta log                 {:>8} changes, {} checkpoints, {:.1} MB, {} event times",
        deltas,
        checkpoints,
        bytes as f64 / 1e6,
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
