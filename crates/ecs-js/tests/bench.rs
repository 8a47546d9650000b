//! Benchmarks of the SDK as WebAssembly in headless Chromium. They print
//! figures (run with `-- --nocapture`) and assert only that the work was done,
//! never how fast: speed goals are read off the printed numbers.
//!
//! `source scripts/env.sh && cargo test --release --target wasm32-unknown-unknown -p ecs-js --test bench -- --nocapture`
//!
//! 1. The boundary: the same calls with JSON text (`Ecs::call`, plus the
//!    caller's `JSON.stringify` and `JSON.parse`) and with JavaScript objects
//!    converted by serde-wasm-bindgen (`Ecs::callObject`).
//! 2. The speed goal in wasm: the rolling deployment of a 5,000-task
//!    service (`ecs_engine::sim::workload`, as the native benchmark).
#![cfg(target_arch = "wasm32")]

use ecs_engine::sim::workload::{
    corpus_sized_task_definition, run_to_steady, start_rolling_deployment, steady_service,
    task_definition, SERVICE,
};
use ecs_engine::sim::{Ecs as Engine, SimConfig};
use ecs_js::Ecs;
use serde_json::{json, Value};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "../../../tests/support/timing.rs"]
mod timing;
use timing::now_ms;

fn report(line: String) {
    timing::report("wasm bench", line);
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples.get(samples.len() / 2).copied().unwrap_or(f64::NAN)
}

fn to_js(value: &Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).expect("serde_json writes JSON")
}

fn stringify(value: &JsValue) -> String {
    js_sys::JSON::stringify(value).map_or_else(|_| String::new(), String::from)
}

/// What a page does with the JSON-text boundary: stringify, call, parse.
fn call_with_text(ecs: &mut Ecs, operation: &str, request: &JsValue) -> JsValue {
    let response = ecs.call(operation, &stringify(request));
    js_sys::JSON::parse(&response).expect("the SDK returns JSON")
}

/// The serde-wasm-bindgen boundary: objects in and out.
fn call_with_objects(ecs: &mut Ecs, operation: &str, request: &JsValue) -> JsValue {
    ecs.call_object(operation, request.clone())
}

fn ok(ecs: &mut Engine, operation: &str, request: Value) -> Value {
    match ecs.call(operation, &request) {
        Ok(out) => out.into_value(),
        Err(e) => panic!("{operation}: {} {}", e.error_type, e.message),
    }
}

/// A cluster of 100 m5.large instances running a steady 100-task service.
fn hundred_task_service() -> Engine {
    let mut ecs = Engine::new(SimConfig::default());
    ok(&mut ecs, "CreateCluster", json!({}));
    ok(
        &mut ecs,
        "Simulator.LaunchInstances",
        json!({"instanceType": "m5.large", "count": 100}),
    );
    ok(&mut ecs, "RegisterTaskDefinition", task_definition("web:1"));
    ok(
        &mut ecs,
        "CreateService",
        json!({"serviceName": SERVICE, "taskDefinition": "web:1", "desiredCount": 100}),
    );
    ok(&mut ecs, "Simulator.AdvanceClock", json!({"seconds": 600}));
    ecs
}

/// Per-call milliseconds of `batch` calls (the browser's clock is coarse).
fn time_batch(batch: usize, mut f: impl FnMut()) -> f64 {
    let start = now_ms();
    for _ in 0..batch {
        f();
    }
    (now_ms() - start) / batch as f64
}

/// Times the engine alone (requests and responses as `serde_json::Value`)
/// and both boundaries, from a JavaScript object to a JavaScript object,
/// interleaved so all see the same load; prints the medians. The engine runs
/// on its own copy of the state, which the SDK's calls change in step.
fn compare(
    engine: &mut Engine,
    sdk: &mut Ecs,
    label: &str,
    operation: &str,
    request: Value,
    batch: usize,
) {
    const SAMPLES: usize = 31;
    let js_request = to_js(&request);
    let (mut engine_ms, mut text_ms, mut object_ms) = (Vec::new(), Vec::new(), Vec::new());
    let (mut by_text, mut by_object) = (JsValue::NULL, JsValue::NULL);
    for _ in 0..SAMPLES {
        engine_ms.push(time_batch(batch, || {
            let _ = engine.call(operation, &request);
        }));
        text_ms.push(time_batch(batch, || {
            by_text = call_with_text(sdk, operation, &js_request)
        }));
        object_ms.push(time_batch(batch, || {
            by_object = call_with_objects(sdk, operation, &js_request)
        }));
    }
    let (by_text, by_object) = (stringify(&by_text), stringify(&by_object));
    assert!(!by_text.contains("\"__type\""), "{label}: {by_text}");
    assert!(!by_object.contains("\"__type\""), "{label}: {by_object}");
    if operation.starts_with("Describe") {
        assert_eq!(
            by_text, by_object,
            "{label}: both boundaries give the same response"
        );
    }
    let (engine, text, object) = (median(engine_ms), median(text_ms), median(object_ms));
    report(format!(
        "{label}: {:.1} KB request, {:.1} KB response; per call, median of {SAMPLES}×{batch}: engine alone {engine:.3} ms; JSON text {text:.3} ms (+{:.3}); serde-wasm-bindgen {object:.3} ms (+{:.3})",
        request.to_string().len() as f64 / 1000.0,
        by_text.len() as f64 / 1000.0,
        text - engine,
        object - engine,
    ));
}

#[wasm_bindgen_test]
fn json_text_against_serde_wasm_bindgen() {
    let mut engine = hundred_task_service();
    let mut sdk = Ecs::from(engine.clone());
    let service = ok(
        &mut engine,
        "DescribeServices",
        json!({"services": [SERVICE]}),
    );
    assert_eq!(service["services"][0]["runningCount"], 100);
    compare(
        &mut engine,
        &mut sdk,
        "DescribeServices of a 100-task service",
        "DescribeServices",
        json!({"services": [SERVICE]}),
        20,
    );
    let tasks = ok(&mut engine, "ListTasks", json!({"serviceName": SERVICE}));
    compare(
        &mut engine,
        &mut sdk,
        "DescribeTasks of its 100 tasks",
        "DescribeTasks",
        json!({"tasks": tasks["taskArns"]}),
        2,
    );
    compare(
        &mut engine,
        &mut sdk,
        "RegisterTaskDefinition of a corpus-sized definition",
        "RegisterTaskDefinition",
        corpus_sized_task_definition("storefront"),
        5,
    );
    compare(
        &mut engine,
        &mut sdk,
        "RunTask of one task",
        "RunTask",
        json!({"taskDefinition": "web:1", "count": 1}),
        10,
    );
}

#[wasm_bindgen_test]
fn rolling_deployment_of_5000_tasks_on_5000_instances() {
    const SIZE: u32 = 5000;
    let start = now_ms();
    let mut ecs = match steady_service(SIZE) {
        Ok(ecs) => ecs,
        Err(e) => panic!("the workload: {} {}", e.error_type, e.message),
    };
    let setup_ms = now_ms() - start;
    let reconciles = ecs.reconcile_count();
    let start = now_ms();
    if let Err(e) = start_rolling_deployment(&mut ecs) {
        panic!("the deployment: {} {}", e.error_type, e.message);
    }
    let virtual_ms = run_to_steady(&mut ecs, SIZE).expect("steady within six virtual hours");
    let deploy_ms = now_ms() - start;
    report(format!(
        "5,000-task service on 5,000 m5.large instances: create + first rollout {setup_ms:.0} ms; rolling deployment web:1 → web:2 (100%/200%) to steady state {deploy_ms:.0} ms wall ({:.1} virtual minutes, {} scheduler runs)",
        virtual_ms as f64 / 60_000.0,
        ecs.reconcile_count() - reconciles
    ));
}
