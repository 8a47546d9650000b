//! Wire-form benchmark: prints figures, no external harness.
//!
//! Run: `cargo bench -p ecs-engine --bench wire`
//!
//! The engine's share of a local-endpoint request: `Ecs::call_target`
//! (X-Amz-Target and body text in, status and body text out) against
//! `Ecs::call` (a parsed request in, a `Value` out), for DescribeServices of
//! a 100-task service and RunTask of one task. Median and 99th percentile
//! per call over a fixed number of calls, and the wire form's own text work
//! (parsing the body, writing the answer) alone. HTTP and the network are
//! the server's and not measured here. On a loaded machine the 99th
//! percentile shows the scheduler's time slices (4–16 ms), not the engine.

use std::time::{Duration, Instant};

use ecs_engine::sim::wire::ECS_TARGET_PREFIX;
use ecs_engine::sim::{Ecs, SimConfig};
use serde_json::{json, Value};

const CALLS: usize = 2_000;

fn account() -> Ecs {
    let mut ecs = Ecs::new(SimConfig::default());
    let steps = [
        ("CreateCluster", json!({})),
        (
            "Simulator.LaunchInstances",
            json!({"instanceType": "m5.4xlarge", "count": 40}),
        ),
        (
            "RegisterTaskDefinition",
            json!({"family": "web", "containerDefinitions": [{"name": "app", "image": "nginx", "cpu": 128, "memory": 128}]}),
        ),
        (
            "CreateService",
            json!({"serviceName": "web", "taskDefinition": "web", "desiredCount": 100}),
        ),
        ("Simulator.AdvanceClock", json!({"seconds": 120})),
    ];
    for (operation, request) in steps {
        if let Err(e) = ecs.call(operation, &request) {
            panic!("{operation}: {} {}", e.error_type, e.message);
        }
    }
    ecs
}

fn percentiles(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort_unstable();
    let at = |q: f64| {
        let k = ((times.len() as f64 - 1.0) * q).round() as usize;
        times.get(k).map_or(0.0, |d| d.as_secs_f64() * 1e6)
    };
    (at(0.5), at(0.99))
}

fn measure(name: &str, operation: &str, request: &Value) {
    let mut by_wire = account();
    let mut by_call = account();
    let target = format!("{ECS_TARGET_PREFIX}{operation}");
    let body = request.to_string();
    let mut wire = Vec::with_capacity(CALLS);
    let mut call = Vec::with_capacity(CALLS);
    let mut bytes = 0;
    for _ in 0..CALLS {
        let start = Instant::now();
        let (status, out) = by_wire.call_target(&target, body.as_bytes());
        wire.push(start.elapsed());
        assert_eq!(status, 200, "{out}");
        bytes = out.len();
        let start = Instant::now();
        let out = by_call.call(operation, request);
        call.push(start.elapsed());
        assert!(out.is_ok());
    }
    // The wire form's own work alone: parsing the body, writing the answer.
    let answer = by_call
        .call(operation, request)
        .map(|a| a.into_value())
        .unwrap_or_default();
    let mut text_only = Vec::with_capacity(CALLS);
    for _ in 0..CALLS {
        let start = Instant::now();
        let parsed: Value = serde_json::from_str(&body).unwrap_or_default();
        let written = ecs_engine::json::write::compact(&answer);
        text_only.push(start.elapsed());
        assert!(parsed.is_object() && !written.is_empty());
    }
    let (text_p50, text_p99) = percentiles(text_only);
    let (wire_p50, wire_p99) = percentiles(wire);
    let (call_p50, call_p99) = percentiles(call);
    println!("  {name} ({bytes} B response), {CALLS} calls:");
    println!("    call_target  p50 {wire_p50:>8.1} µs   p99 {wire_p99:>8.1} µs");
    println!("    call         p50 {call_p50:>8.1} µs   p99 {call_p99:>8.1} µs");
    println!("    text alone   p50 {text_p50:>8.1} µs   p99 {text_p99:>8.1} µs");
}

fn main() {
    println!("wire: the engine's share of an endpoint request");
    measure(
        "DescribeServices of a 100-task service",
        "DescribeServices",
        &json!({"services": ["web"]}),
    );
    measure(
        "RunTask of one task",
        "RunTask",
        &json!({"taskDefinition": "web", "count": 1}),
    );
}
