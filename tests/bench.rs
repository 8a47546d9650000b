//! Benchmarks of the engine as WebAssembly in headless Chromium. They print
//! figures (run with `-- --nocapture`) and assert only that the work was done,
//! never how fast: speed goals are read off the printed numbers.
//!
//! `cargo test --release --target wasm32-unknown-unknown -p ecs-playground-web --test bench -- --nocapture`

use std::hint::black_box;

use ecs_engine::analyze_task_definition;
use ecs_engine::examples::synthetic_task_definition;
use ecs_engine::place::workload::{mixed_cluster, service_request};
use ecs_engine::place::Placer;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/timing.rs"]
mod timing;
use timing::now_ms;

fn report(line: String) {
    timing::report("wasm bench", line);
}

/// The best of `runs` timings of `f`, in milliseconds, and its last result.
fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut last = None;
    for _ in 0..runs {
        let start = now_ms();
        let result = f();
        best = best.min(now_ms() - start);
        last = Some(result);
    }
    (best, last.expect("at least one run"))
}

/// The median and 95th percentile, in milliseconds per run, of `samples`
/// timings of `batch` runs each. Without cross-origin isolation the
/// browser's clock ticks in 100 µs steps, so quick work is timed in batches
/// and divided. Half a second of warm-up first: V8 compiles WebAssembly with
/// its baseline compiler and optimises hot functions in the background.
fn median_and_p95(samples: usize, batch: usize, mut f: impl FnMut()) -> (f64, f64) {
    let warm_up = now_ms();
    while now_ms() - warm_up < 500.0 {
        f();
    }
    let mut per_run: Vec<f64> = (0..samples)
        .map(|_| {
            let start = now_ms();
            for _ in 0..batch {
                f();
            }
            (now_ms() - start) / batch as f64
        })
        .collect();
    per_run.sort_by(f64::total_cmp);
    (per_run[samples / 2], per_run[samples * 95 / 100])
}

/// The largest file of shared/corpus (the native benchmark picks it by size);
/// CI clones the repository beside shared/.
const LARGEST_CORPUS_FILE: (&str, &str) = (
    "fluent-bit_multi-config-support_task-definition.json",
    include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpus/amazon-ecs-firelens-examples/fluent-bit_multi-config-support_task-definition.json"
    )),
);

/// The figures of `cargo bench -p ecs-engine --bench import`, in the browser.
#[wasm_bindgen_test]
fn import_and_full_validation() {
    let synthetic = synthetic_task_definition(64 * 1024);
    assert_eq!(analyze_task_definition(&synthetic).diagnostics, []);
    let (corpus_name, corpus_text) = LARGEST_CORPUS_FILE;
    let cases = [
        (
            format!("largest corpus file ({corpus_name})"),
            corpus_text,
            100,
        ),
        (
            "synthetic, 10 containers, every field".to_string(),
            synthetic.as_str(),
            5,
        ),
    ];
    for (name, text, batch) in cases {
        let analysis = analyze_task_definition(text);
        assert!(analysis.form.is_some(), "{name} is a task definition");
        let (median, p95) = median_and_p95(50, batch, || {
            black_box(analyze_task_definition(black_box(text)));
        });
        report(format!(
            "import + full validation, {name}, {} B: median {median:.3} ms, p95 {p95:.3} ms",
            text.len()
        ));
    }
}

#[wasm_bindgen_test]
fn placement_of_5000_tasks_on_5000_instances() {
    for size in [50, 500, 5000] {
        let cluster = mixed_cluster(size, 7);
        let (ms, placed) = best_of(3, || {
            let mut cluster = cluster.clone();
            match Placer::new(&mut cluster, service_request(), 42) {
                Ok(mut placer) => placer.place_many(size),
                Err(_) => 0,
            }
        });
        assert_eq!(placed, size, "every task fits in the workload cluster");
        report(format!(
            "{size} tasks onto {size} instances, spread(AZ) + binpack(memory) + memberOf, building the placer and placing: {ms:.2} ms"
        ));
    }
}

#[wasm_bindgen_test]
fn one_full_trace_at_5000_instances() {
    let mut cluster = mixed_cluster(5000, 7);
    let Ok(mut placer) = Placer::new(&mut cluster, service_request(), 42) else {
        panic!("the workload request is valid");
    };
    placer.place_many(2500);
    let (ms, decision) = best_of(5, || placer.explain());
    assert_eq!(decision.candidates.len(), 5000);
    report(format!("one full trace at 5,000 instances: {ms:.2} ms"));
}
