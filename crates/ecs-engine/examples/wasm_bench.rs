//! The placement benchmark as plain WebAssembly exports, timed by
//! `benches/wasm-bench.mjs` (wasm has no clock of its own here).
//!
//! ```text
//! cargo build --release --example wasm_bench --target wasm32-unknown-unknown
//! node crates/ecs-engine/benches/wasm-bench.mjs
//! ```

use std::cell::RefCell;

use ecs_engine::place::catalogue::instance_types;
use ecs_engine::place::rng::SplitMix64;
use ecs_engine::place::{
    BinpackField, Cluster, ContainerInstance, PlacementConstraint, PlacementRequest,
    PlacementStrategy, Placer, TaskRequirements,
};

const ZONES: [&str; 3] = ["us-east-1a", "us-east-1b", "us-east-1c"];

thread_local! {
    static CLUSTER: RefCell<Cluster> = RefCell::new(Cluster::default());
}

fn request() -> PlacementRequest {
    PlacementRequest {
        requirements: TaskRequirements {
            cpu: 256,
            memory: 512,
            dynamic_ports: 1,
            network_mode: "bridge".into(),
            family: "web".into(),
            ..TaskRequirements::default()
        },
        group: "service:web".into(),
        constraints: vec![PlacementConstraint::MemberOf(
            "attribute:ecs.instance-type =~ (m5|m6i|c5|r5|t3).* and attribute:ecs.os-type == linux"
                .into(),
        )],
        strategies: vec![
            PlacementStrategy::spread_zone(),
            PlacementStrategy::Binpack(BinpackField::Memory),
        ],
        capacity_provider: None,
    }
}

/// Builds a cluster of `size` mixed instances across three zones.
#[no_mangle]
pub extern "C" fn bench_cluster(size: u32) {
    let types: Vec<_> = instance_types().iter().filter(|t| t.gpus == 0).collect();
    let mut rng = SplitMix64::new(7);
    let instances = (0..size as usize)
        .map(|k| {
            let kind = types[rng.below(types.len())];
            ContainerInstance::of_type(&format!("i-{k:017x}"), kind, ZONES[k % 3], false)
        })
        .collect();
    CLUSTER.with(|c| *c.borrow_mut() = Cluster::new(instances));
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
