//! The EC2 instance-type catalogue, embedded at compile time from
//! `data/instance-types.tsv` (the file names its sources and which numbers are
//! approximations).

use std::sync::OnceLock;

use serde::Serialize;

const CATALOGUE_TSV: &str = include_str!("../../data/instance-types.tsv");

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceType {
    pub name: String,
    /// burstable, general, compute, memory, gpu or inference.
    pub class: String,
    /// `x86_64` or `arm64`, as the `ecs.cpu-architecture` attribute says.
    pub architecture: String,
    pub vcpus: u32,
    pub memory_mib: u32,
    /// The MEMORY resource ECS registers (approximated; see the data file).
    pub ecs_memory_mib: u32,
    /// EC2's network-interface limit; awsvpc tasks get one fewer.
    pub max_enis: u32,
    /// awsvpc tasks with ENI trunking; 0 when trunking is not supported.
    pub trunk_task_limit: u32,
    pub gpus: u32,
}

impl InstanceType {
    /// CPU units ECS registers: 1,024 per vCPU.
    pub fn cpu_units(&self) -> u32 {
        self.vcpus.saturating_mul(1024)
    }

    /// How many awsvpc tasks fit: each needs its own ENI, and the instance's
    /// primary ENI is not available to tasks.
    pub fn awsvpc_task_limit(&self, trunking: bool) -> u32 {
        if trunking && self.trunk_task_limit > 0 {
            self.trunk_task_limit
        } else {
            self.max_enis.saturating_sub(1)
        }
    }
}

fn parse_line(line: &str) -> Option<InstanceType> {
    let mut cells = line.split('\t');
    let mut text = || cells.next().map(str::to_string);
    let (name, class, architecture) = (text()?, text()?, text()?);
    let mut number = || text().and_then(|c| c.parse::<u32>().ok());
    let entry = InstanceType {
        name,
        class,
        architecture,
        vcpus: number()?,
        memory_mib: number()?,
        ecs_memory_mib: number()?,
        max_enis: number()?,
        trunk_task_limit: number()?,
        gpus: number()?,
    };
    Some(entry)
}

/// Every catalogue entry, in file order.
pub fn instance_types() -> &'static [InstanceType] {
    static TYPES: OnceLock<Vec<InstanceType>> = OnceLock::new();
    TYPES.get_or_init(|| {
        CATALOGUE_TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(parse_line)
            .collect()
    })
}

pub fn instance_type(name: &str) -> Option<&'static InstanceType> {
    instance_types().iter().find(|t| t.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_data_line_parses_and_the_catalogue_is_broad() {
        let lines = CATALOGUE_TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .count();
        assert_eq!(
            instance_types().len(),
            lines,
            "a catalogue line failed to parse"
        );
        assert!(lines >= 100);
        let names: std::collections::BTreeSet<&str> =
            instance_types().iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names.len(), lines, "a type is listed twice");
        for family in [
            "g4dn", "g5", "g6", "p4d", "p5", "inf2", "m7g", "c7g", "r7g", "t4g", "m6i", "m7i",
            "c6i", "c7i", "r6i", "r7i",
        ] {
            assert!(
                names.iter().any(|n| n.split('.').next() == Some(family)),
                "{family}"
            );
        }
        for class in [
            "burstable",
            "general",
            "compute",
            "memory",
            "gpu",
            "inference",
        ] {
            assert!(instance_types().iter().any(|t| t.class == class), "{class}");
        }
        assert!(instance_types().iter().any(|t| t.architecture == "arm64"));
        assert!(instance_types().iter().any(|t| t.gpus > 0));
    }

    #[test]
    fn entries_are_consistent() {
        for t in instance_types() {
            assert!(t.ecs_memory_mib < t.memory_mib, "{}", t.name);
            assert!(t.vcpus > 0 && t.max_enis >= 2, "{}", t.name);
            assert_eq!(t.gpus > 0, t.class == "gpu", "{}", t.name);
            assert_eq!(
                t.architecture == "arm64",
                t.name.split('.').next().is_some_and(|f| f.ends_with('g')),
                "{}: Graviton families end in g",
                t.name
            );
            assert!(["x86_64", "arm64"].contains(&t.architecture.as_str()));
        }
    }

    #[test]
    fn the_documented_m4_large_example_registers_7985_mib() {
        let m4 = instance_type("m4.large").unwrap();
        assert_eq!((m4.cpu_units(), m4.ecs_memory_mib), (2048, 7985));
        let c5 = instance_type("c5.large").unwrap();
        assert_eq!(
            (c5.awsvpc_task_limit(false), c5.awsvpc_task_limit(true)),
            (2, 10)
        );
    }
}
