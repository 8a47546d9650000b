//! What one task needs from a container instance, read from a task definition.

use serde::{Deserialize, Serialize};

use crate::check::Located;
use crate::units::{parse_cpu_units, parse_memory_mib};

/// Most static host ports read from one port range, so a hostile range
/// cannot allocate without bound (an instance holds at most 100 anyway).
const MAX_RANGE_PORTS: u32 = 1024;

/// What one task needs from an instance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskRequirements {
    /// CPU units: task-level `cpu` if set, else the sum of container `cpu`.
    pub cpu: u32,
    /// MiB: task-level `memory` if set, else per container `memoryReservation`
    /// if set, else `memory`.
    pub memory: u32,
    /// Static TCP host ports.
    pub host_ports: Vec<u16>,
    /// Static UDP host ports.
    #[serde(default)]
    pub udp_host_ports: Vec<u16>,
    /// Ports the agent picks from the ephemeral range (hostPort 0 or omitted in
    /// bridge mode, and bridge-mode container port ranges).
    #[serde(default)]
    pub dynamic_ports: u32,
    #[serde(default)]
    pub gpus: u32,
    /// `bridge` (the EC2 default), `host`, `awsvpc` or `none`.
    pub network_mode: String,
    /// `requiresAttributes`: a name and, optionally, the value it must have.
    #[serde(default)]
    pub requires_attributes: Vec<(String, Option<String>)>,
    /// `memberOf` expressions of the task definition's placementConstraints.
    #[serde(default)]
    pub member_of: Vec<String>,
    #[serde(default)]
    pub family: String,
    /// `requiresCompatibilities`: with the launch type, where the task runs
    /// (`place::launch::launch_target`; the preview: `preview_target`).
    #[serde(default)]
    pub requires_compatibilities: Vec<String>,
}

impl TaskRequirements {
    /// Reads the requirements of a task definition: task-level values win over
    /// the sum of container values, and memoryReservation over memory.
    pub fn of(task_def: &Located<'_>) -> TaskRequirements {
        let containers = task_def.items("containerDefinitions");
        let network_mode = task_def
            .str_field("networkMode")
            .unwrap_or("bridge")
            .to_string();
        let cpu = task_def
            .str_field("cpu")
            .and_then(parse_cpu_units)
            .unwrap_or_else(|| sum_u32(containers.iter().filter_map(|c| c.int_field("cpu"))));
        let memory = task_def
            .str_field("memory")
            .and_then(parse_memory_mib)
            .unwrap_or_else(|| {
                sum_u32(containers.iter().filter_map(|c| {
                    c.int_field("memoryReservation")
                        .filter(|&m| m > 0)
                        .or_else(|| c.int_field("memory"))
                }))
            });
        let gpus = sum_u32(containers.iter().flat_map(|c| {
            c.items("resourceRequirements")
                .into_iter()
                .filter(|r| r.str_field("type") == Some("GPU"))
                .filter_map(|r| {
                    r.str_field("value")
                        .and_then(|v| v.trim().parse::<i64>().ok())
                })
                .collect::<Vec<_>>()
        }));
        let mut requirements = TaskRequirements {
            cpu,
            memory,
            gpus,
            network_mode,
            family: task_def.str_field("family").unwrap_or("").to_string(),
            ..TaskRequirements::default()
        };
        for container in &containers {
            for mapping in container.items("portMappings") {
                requirements.add_port_mapping(&mapping);
            }
        }
        requirements.requires_compatibilities = task_def
            .items("requiresCompatibilities")
            .iter()
            .filter_map(|c| c.node.as_str().map(str::to_string))
            .collect();
        for attribute in task_def.items("requiresAttributes") {
            if let Some(name) = attribute.str_field("name") {
                let value = attribute.str_field("value").map(str::to_string);
                requirements
                    .requires_attributes
                    .push((name.to_string(), value));
            }
        }
        for constraint in task_def.items("placementConstraints") {
            if constraint.str_field("type") == Some("memberOf") {
                if let Some(expression) = constraint.str_field("expression") {
                    requirements.member_of.push(expression.to_string());
                }
            }
        }
        requirements
    }

    /// One port mapping: awsvpc and none reserve no host ports (an awsvpc task
    /// has its own ENI); host mode binds the container port itself; bridge mode
    /// binds `hostPort`, or a dynamic port when it is 0 or omitted.
    fn add_port_mapping(&mut self, mapping: &Located<'_>) {
        let udp = mapping.str_field("protocol") == Some("udp");
        let range = mapping
            .str_field("containerPortRange")
            .and_then(parse_port_range);
        let container_port = mapping.int_field("containerPort");
        let port = |p: Option<i64>| p.and_then(|p| u16::try_from(p).ok()).filter(|&p| p > 0);
        let mut statics = Vec::new();
        match self.network_mode.as_str() {
            "host" => match range {
                Some((low, high)) => statics.extend((low..=high).take(MAX_RANGE_PORTS as usize)),
                None => statics.extend(port(mapping.int_field("hostPort").or(container_port))),
            },
            "bridge" => match (range, port(mapping.int_field("hostPort"))) {
                (Some((low, high)), _) => {
                    let size = u32::from(high - low) + 1;
                    self.dynamic_ports = self.dynamic_ports.saturating_add(size);
                }
                (None, Some(host)) => statics.push(host),
                (None, None) => self.dynamic_ports = self.dynamic_ports.saturating_add(1),
            },
            _ => {}
        }
        if udp {
            self.udp_host_ports.extend(statics);
        } else {
            self.host_ports.extend(statics);
        }
    }
}

/// `"8000-8010"` as an inclusive range.
fn parse_port_range(text: &str) -> Option<(u16, u16)> {
    let (low, high) = text.split_once('-')?;
    let low: u16 = low.trim().parse().ok()?;
    let high: u16 = high.trim().parse().ok()?;
    (low > 0 && low <= high).then_some((low, high))
}

fn sum_u32(values: impl Iterator<Item = i64>) -> u32 {
    u32::try_from(values.filter(|&v| v > 0).fold(0i64, i64::saturating_add)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{parse, JsonPath};

    fn of(text: &str) -> TaskRequirements {
        let node = parse(text).expect("test JSON parses");
        TaskRequirements::of(&Located::root(&node, JsonPath::root()))
    }

    #[test]
    fn memory_reservation_wins_over_memory_and_task_level_over_both() {
        let containers = r#""containerDefinitions":[
            {"name":"a","memory":512,"memoryReservation":256,"cpu":128},
            {"name":"b","memory":300}]"#;
        let per_container = of(&format!("{{{containers}}}"));
        assert_eq!((per_container.cpu, per_container.memory), (128, 556));
        let task_level = of(&format!(
            r#"{{"cpu":"1 vCPU","memory":"2GB",{containers}}}"#
        ));
        assert_eq!((task_level.cpu, task_level.memory), (1024, 2048));
    }

    #[test]
    fn ports_follow_the_network_mode() {
        let mappings = r#"[{"containerPort":80,"hostPort":8080},{"containerPort":53,"protocol":"udp"},
            {"containerPort":9000},{"containerPortRange":"7000-7009"}]"#;
        let bridge = of(&format!(
            r#"{{"containerDefinitions":[{{"name":"a","portMappings":{mappings}}}]}}"#
        ));
        assert_eq!(bridge.host_ports, vec![8080]);
        assert!(bridge.udp_host_ports.is_empty());
        assert_eq!(bridge.dynamic_ports, 2 + 10);
        let host = of(&format!(
            r#"{{"networkMode":"host","containerDefinitions":[{{"name":"a","portMappings":{mappings}}}]}}"#
        ));
        assert_eq!(host.udp_host_ports, vec![53]);
        assert_eq!(host.host_ports.len(), 1 + 1 + 10);
        assert_eq!(host.dynamic_ports, 0);
        let awsvpc = of(&format!(
            r#"{{"networkMode":"awsvpc","containerDefinitions":[{{"name":"a","portMappings":{mappings}}}]}}"#
        ));
        assert!(awsvpc.host_ports.is_empty() && awsvpc.dynamic_ports == 0);
    }

    #[test]
    fn gpus_attributes_and_member_of_are_read() {
        let r = of(
            r#"{"family":"ml","requiresAttributes":[{"name":"ecs.capability.task-eni"},{"name":"stack","value":"prod"}],
            "placementConstraints":[{"type":"memberOf","expression":"attribute:ecs.instance-type =~ g4dn.*"}],
            "containerDefinitions":[{"name":"a","resourceRequirements":[{"type":"GPU","value":"2"}]},
                                    {"name":"b","resourceRequirements":[{"type":"GPU","value":"1"}]}]}"#,
        );
        assert_eq!(r.gpus, 3);
        assert_eq!(r.family, "ml");
        assert_eq!(r.requires_attributes.len(), 2);
        assert_eq!(
            r.requires_attributes[1],
            ("stack".into(), Some("prod".into()))
        );
        assert_eq!(
            r.member_of,
            vec!["attribute:ecs.instance-type =~ g4dn.*".to_string()]
        );
    }
}
