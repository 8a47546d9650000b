//! The placement benchmark as plain WebAssembly exports, timed by
//! `benches/wasm-bench.mjs` (wasm has no clock of its own here).
//!
//! ```text
//! cargo build --release --example wasm_bench --target wasm32-unknown-unknown
//! node crates/ecs-engine/benches/wasm-bench.mjs
//! ```

use std::cell::RefCell;

use ecs_engine::place::workload::{mixed_cluster as cluster, service_request as request};
use ecs_engine::place::{Cluster, Placer};

thread_local! {
    static CLUSTER: RefCell<Cluster> = RefCell::new(Cluster::default());
}

/// Builds a cluster of `size` mixed instances across three zones.
#[no_mangle]
pub extern "C" fn bench_cluster(size: u32) {
    CLUSTER.with(|c| *c.borrow_mut() = cluster(size as usize, 7));
}

/// Places `tasks` tasks on a copy of the cluster; returns how many were placed.
#[no_mangle]
pub extern "C" fn bench_place(tasks: u32) -> u32 {
    let mut cluster = CLUSTER.with(|c| c.borrow().clone());
    let Ok(mut placer) = Placer::new(&mut cluster, request(), 42) else {
        return 0;
    };
    placer.place_many(tasks as usize) as u32
}

/// Copies the cluster as `bench_place` does, without placing: the baseline
/// to subtract.
#[no_mangle]
pub extern "C" fn bench_copy() -> u32 {
    CLUSTER.with(|c| c.borrow().clone()).instances.len() as u32
}

/// Places `tasks` tasks on the stored cluster itself, to set up a trace.
#[no_mangle]
pub extern "C" fn bench_fill(tasks: u32) -> u32 {
    CLUSTER.with(|c| {
        let mut cluster = c.borrow_mut();
        match Placer::new(&mut cluster, request(), 42) {
            Ok(mut placer) => placer.place_many(tasks as usize) as u32,
            Err(_) => 0,
        }
    })
}

/// Builds the placer on the stored cluster: the baseline for `bench_explain`.
#[no_mangle]
pub extern "C" fn bench_build() -> u32 {
    CLUSTER.with(|c| {
        let mut cluster = c.borrow_mut();
        Placer::new(&mut cluster, request(), 42).map_or(0, |p| p.counters().feasible)
    })
}

/// Builds the placer and produces one full trace; returns the candidates.
#[no_mangle]
pub extern "C" fn bench_explain() -> u32 {
    CLUSTER.with(|c| {
        let mut cluster = c.borrow_mut();
        Placer::new(&mut cluster, request(), 42).map_or(0, |p| p.explain().candidates.len() as u32)
    })
}
