//! RunTask through `Ecs::call`: prints figures, no external harness.
//!
//! Run: `cargo bench -p ecs-engine --bench run_task`
//!
//! RunTask of count 10 (one small task definition, random placement) on a
//! cluster of 50, 500 and 5,000 m5.large instances, 200 calls each; then the
//! 50-instance case again beside a second cluster of 5,000 instances with
//! 5,000 running tasks, to show whether a call's cost depends on the rest of
//! the account. Ends with the process's peak resident memory (Linux
//! `VmHWM`), which the 5,000-instance cases dominate. Given an instance
//! count (`target/release/deps/run_task-* 5000`), it measures that case only.

use std::time::Instant;

use ecs_engine::sim::{Ecs, SimConfig};
use serde_json::json;

const CALLS: u32 = 200;

fn call(ecs: &mut Ecs, op: &str, request: serde_json::Value) -> serde_json::Value {
    match ecs.call(op, &request) {
        Ok(v) => v,
        Err(e) => panic!("{op}: {} {}", e.error_type, e.message),
    }
}

fn account(instances: u32, other: Option<u32>) -> Ecs {
    let mut ecs = Ecs::new(SimConfig::default());
    call(&mut ecs, "CreateCluster", json!({"clusterName": "bench"}));
    call(
        &mut ecs,
        "Simulator.LaunchInstances",
        json!({"cluster": "bench", "instanceType": "m5.large", "count": instances}),
    );
    call(
        &mut ecs,
        "RegisterTaskDefinition",
        json!({"family": "small", "containerDefinitions": [{"name": "a", "image": "a:1", "cpu": 16, "memory": 16}]}),
    );
    if let Some(n) = other {
        call(&mut ecs, "CreateCluster", json!({"clusterName": "other"}));
        call(
            &mut ecs,
            "Simulator.LaunchInstances",
            json!({"cluster": "other", "instanceType": "m5.large", "count": n}),
        );
        call(
            &mut ecs,
            "CreateService",
            json!({"cluster": "other", "serviceName": "big", "taskDefinition": "small", "desiredCount": n}),
        );
        ecs.advance_to(ecs.now() + 1_800_000);
    }
    ecs
}

fn measure(label: &str, instances: u32, other: Option<u32>) {
    let mut ecs = account(instances, other);
    let start = Instant::now();
    let mut placed = 0usize;
    for _ in 0..CALLS {
        let out = call(
            &mut ecs,
            "RunTask",
            json!({"cluster": "bench", "taskDefinition": "small", "count": 10}),
        );
        placed += out["tasks"].as_array().map_or(0, Vec::len);
    }
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "  {label:<44} {:>8.3} ms per call  {:>10.0} placements/s  ({placed} placed)",
        elapsed * 1e3 / f64::from(CALLS),
        placed as f64 / elapsed
    );
}

fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    // `run_task-… 5000` (the bench binary with an instance count) measures
    // that one case only, for a profiler.
    if let Some(n) = std::env::args().skip(1).find_map(|a| a.parse::<u32>().ok()) {
        measure(&format!("{n} instances"), n, None);
        return;
    }
    println!("RunTask count 10 through Ecs::call ({CALLS} calls each; goal ≥ 100,000 placements/s at 5,000):");
    for n in [50, 500, 5000] {
        measure(&format!("{n} instances"), n, None);
    }
    measure(
        "50 instances beside a 5,000-instance cluster",
        50,
        Some(5000),
    );
    match peak_memory_kib() {
        Some(kib) => println!("  peak resident memory {:.1} MiB", kib as f64 / 1024.0),
        None => println!("  peak resident memory: unavailable (no /proc/self/status)"),
    }
}
