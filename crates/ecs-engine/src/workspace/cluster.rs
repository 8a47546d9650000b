//! A cluster document's instance groups as container instances, for showing
//! where a task would be placed before anything is simulated.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::scenario::INSTANCE_GROUPS;
use crate::place::ContainerInstance;

/// `sim::default_availability_zones` of the simulator's default region, written
/// out so that the authoring page does not carry the simulator's formatting; a
/// test holds the two equal.
const DEFAULT_ZONES: [&str; 3] = ["us-east-1a", "us-east-1b", "us-east-1c"];

/// The cluster panel shows at most this many instances.
pub const MAX_SHOWN_INSTANCES: usize = 48;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterInstances {
    pub cluster_name: String,
    pub instances: Vec<ContainerInstance>,
    /// Why some instances are not shown (unknown types, too many).
    pub notes: Vec<String>,
}

/// Launches the document's instance groups, with ids that stay the same from
/// one edit to the next (`i-` + group and index), so the panel does not jump.
pub fn cluster_instances(text: &str) -> Result<ClusterInstances, String> {
    let value =
        super::parse_value(text).map_err(|e| format!("the cluster is not valid JSON: {e}"))?;
    let cluster_name = value
        .get("clusterName")
        .and_then(Value::as_str)
        .unwrap_or("default")
        .to_string();
    let groups = match value.get(INSTANCE_GROUPS) {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(groups)) => groups.as_slice(),
        Some(_) => return Err("instanceGroups must be an array".into()),
    };
    let mut instances = Vec::new();
    let mut notes = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        let type_name = group
            .get("instanceType")
            .and_then(Value::as_str)
            .unwrap_or("m5.large");
        let count = group.get("count").and_then(Value::as_u64).unwrap_or(1);
        let zones: Vec<&str> = group
            .get("availabilityZones")
            .and_then(Value::as_array)
            .map(|z| z.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let extra: Vec<(String, String)> = group
            .get("attributes")
            .and_then(Value::as_object)
            .map(|a| {
                a.iter()
                    .map(|(k, v)| {
                        (
                            k.clone(),
                            v.as_str()
                                .map_or_else(|| crate::json::write::compact(v), str::to_string),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let capacity_provider = group
            .get("capacityProvider")
            .and_then(Value::as_str)
            .map(str::to_string);
        for n in 0..count {
            if instances.len() >= MAX_SHOWN_INSTANCES {
                notes.push(format!(
                    "Only the first {MAX_SHOWN_INSTANCES} instances are shown."
                ));
                return Ok(ClusterInstances {
                    cluster_name,
                    instances,
                    notes,
                });
            }
            // A group without zones spreads as the simulator spreads it
            // (`sim::default_availability_zones`, in the simulator's default
            // region, which a workspace's run uses).
            let zones = if zones.is_empty() {
                &DEFAULT_ZONES[..]
            } else {
                &zones[..]
            };
            let zone = zones
                .get(usize::try_from(n).unwrap_or(0) % zones.len())
                .copied()
                .unwrap_or("us-east-1a");
            let id = format!("i-0{:04x}{:012x}", g + 1, n + 1);
            let Some(mut instance) = ContainerInstance::launch(&id, type_name, zone) else {
                notes.push(format!(
                    "Instance type {type_name} is not in the playground's catalogue, so its group is not shown."
                ));
                break;
            };
            instance.attributes.extend(extra.iter().cloned());
            crate::order::sort(&mut instance.attributes);
            instance.capacity_provider.clone_from(&capacity_provider);
            instances.push(instance);
        }
    }
    Ok(ClusterInstances {
        cluster_name,
        instances,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::defaults::DEFAULT_CLUSTER;

    #[test]
    fn a_group_without_zones_spreads_as_the_simulator_spreads_it() {
        let region = crate::sim::SimConfig::default().region;
        assert_eq!(
            DEFAULT_ZONES.to_vec(),
            crate::sim::default_availability_zones(&region)
        );
        let c = cluster_instances(
            r#"{"clusterName": "demo", "instanceGroups": [{"instanceType": "m5.large", "count": 4}]}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let zones: Vec<_> = c
            .instances
            .iter()
            .map(|i| i.availability_zone.as_str())
            .collect();
        assert_eq!(
            zones,
            ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1a"]
        );
    }

    #[test]
    fn the_default_cluster_has_its_three_instances_across_three_zones() {
        let c = cluster_instances(DEFAULT_CLUSTER).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.cluster_name, "demo");
        let shown: Vec<_> = c
            .instances
            .iter()
            .map(|i| {
                (
                    i.id.as_str(),
                    i.instance_type.as_str(),
                    i.availability_zone.as_str(),
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                ("i-00001000000000001", "m5.large", "us-east-1a"),
                ("i-00001000000000002", "m5.large", "us-east-1b"),
                ("i-00002000000000001", "c5.xlarge", "us-east-1c"),
            ]
        );
        assert!(c.instances[2]
            .attributes
            .contains(&("workload".to_string(), "batch".to_string())));
        assert_eq!(c.notes, Vec::<String>::new());
    }

    #[test]
    fn unknown_types_and_huge_groups_are_explained() {
        let c = cluster_instances(
            r#"{"instanceGroups": [{"instanceType": "x9.mega", "count": 2}, {"count": 500}]}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.instances.len(), MAX_SHOWN_INSTANCES);
        assert_eq!(c.notes.len(), 2);
        assert!(c.notes[0].contains("x9.mega"));
        assert!(cluster_instances("{").is_err());
        assert!(cluster_instances(r#"{"instanceGroups": {}}"#).is_err());
    }
}
