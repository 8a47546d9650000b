//! The placement benchmark's workload, shared by the native benchmark
//! (`benches/placement.rs`), the wasm exports (`examples/wasm_bench.rs`) and
//! the in-browser benchmark (`tests/bench.rs` of the web app), so that every
//! figure measures the same thing.

use super::catalogue::instance_types;
use super::rng::SplitMix64;
use super::{
    BinpackField, Cluster, ContainerInstance, PlacementConstraint, PlacementRequest,
    PlacementStrategy, TaskRequirements,
};

const ZONES: [&str; 3] = ["us-east-1a", "us-east-1b", "us-east-1c"];

/// `size` instances of random non-GPU types from the catalogue, spread over
/// three Availability Zones in turn.
pub fn mixed_cluster(size: usize, seed: u64) -> Cluster {
    let types: Vec<_> = instance_types().iter().filter(|t| t.gpus == 0).collect();
    let mut rng = SplitMix64::new(seed);
    let mut instances = Vec::with_capacity(size);
    for k in 0..size {
        let Some(kind) = types.get(rng.below(types.len().max(1))) else {
            break;
        };
        instances.push(ContainerInstance::of_type(
            &format!("i-{k:017x}"),
            kind,
            ZONES[k % ZONES.len()],
            false,
        ));
    }
    Cluster::new(instances)
}

/// One service's task: 256 CPU units, 512 MiB and a dynamic port, placed
/// with spread(attribute:ecs.availability-zone), binpack(memory) and a
/// memberOf constraint, as issue "Engine II" specifies.
pub fn service_request() -> PlacementRequest {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workload_cluster_is_deterministic_and_spans_three_zones() {
        let a = mixed_cluster(30, 7);
        let b = mixed_cluster(30, 7);
        assert_eq!(a.instances.len(), 30);
        let types = |c: &Cluster| {
            c.instances
                .iter()
                .map(|i| i.instance_type.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(types(&a), types(&b));
        let zones: std::collections::BTreeSet<_> = a
            .instances
            .iter()
            .map(|i| i.availability_zone.clone())
            .collect();
        assert_eq!(zones.len(), 3);
    }
}
