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

use ecs_engine::sim::wire::ECS_TARGET_PREFIX;
use ecs_engine::sim::{Ecs, Response, SimConfig};
use serde_json::json;

const CALLS: u32 = 200;

fn call(ecs: &mut Ecs, op: &str, request: serde_json::Value) -> Response {
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

/// Tasks placed, counted from the answers after the clock stops (reading
/// an answer as a value parses its text, which is not the call's cost).
fn placed<'a>(answers: impl IntoIterator<Item = &'a str>) -> u64 {
    answers
        .into_iter()
        .filter_map(|text| serde_json::from_str::<serde_json::Value>(text).ok())
        .map(|v| v["tasks"].as_array().map_or(0, Vec::len) as u64)
        .sum()
}

fn report(label: &str, elapsed: f64, placed: u64) {
    println!(
        "  {label:<44} {:>8.3} ms per call  {:>10.0} placements/s  ({placed} placed)",
        elapsed * 1e3 / f64::from(CALLS),
        placed as f64 / elapsed
    );
}

fn measure(label: &str, instances: u32, other: Option<u32>) {
    let mut ecs = account(instances, other);
    let request = json!({"cluster": "bench", "taskDefinition": "small", "count": 10});
    let mut answers = Vec::with_capacity(CALLS as usize);
    let start = Instant::now();
    for _ in 0..CALLS {
        answers.push(call(&mut ecs, "RunTask", request.clone()));
    }
    let elapsed = start.elapsed().as_secs_f64();
    let texts: Vec<String> = answers.into_iter().map(Response::into_json).collect();
    report(label, elapsed, placed(texts.iter().map(String::as_str)));
}

/// The same calls through the wire form (`Ecs::call_target`): request text
/// in, response text out, as the local endpoint answers them.
fn measure_wire(label: &str, instances: u32) {
    let mut ecs = account(instances, None);
    let target = format!("{ECS_TARGET_PREFIX}RunTask");
    let body = br#"{"cluster": "bench", "taskDefinition": "small", "count": 10}"#;
    let mut answers = Vec::with_capacity(CALLS as usize);
    let start = Instant::now();
    for _ in 0..CALLS {
        let (status, text) = ecs.call_target(&target, body);
        assert_eq!(status, 200);
        answers.push(text);
    }
    let elapsed = start.elapsed().as_secs_f64();
    report(label, elapsed, placed(answers.iter().map(String::as_str)));
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
    println!("The same through the wire form (Ecs::call_target: text in, text out):");
    for n in [50, 5000] {
        measure_wire(&format!("{n} instances"), n);
    }
    match peak_memory_kib() {
        Some(kib) => println!("  peak resident memory {:.1} MiB", kib as f64 / 1024.0),
        None => println!("  peak resident memory: unavailable (no /proc/self/status)"),
    }
}
