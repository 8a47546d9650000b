//! Data-driven placement cases: `cases/*.case` hold a cluster, a request and
//! actions, then `=== expected` and the placements and traces as text.
//! Set `UPDATE_PLACEMENT_CASES=1` to rewrite the expected part after a
//! deliberate change (then read the diff).
//!
//! Directives, one per line (`#` starts a comment line):
//! - `instance ID TYPE ZONE [trunking] [draining] [disconnected] [agent=V] [NAME=VALUE…]`
//! - `running ID GROUP cpu=N memory=N [ports=P,P]`: a task already on instance ID
//! - `request group=G cpu=N memory=N [ports=P,P] [udp=P] [dynamic=N] [gpus=N] [network=M] [requires=NAME[=VALUE]]`
//! - `default service NAME` / `default runtask FAMILY`: the request's defaults
//! - `constraint distinctInstance`, `constraint memberOf EXPR`, `taskdef memberOf EXPR`
//! - `strategy S` (repeatable), `seed N`, `provider NAME` (the request's
//!   capacity provider; `provider=NAME` on an instance line puts it in one)
//! - actions: `explain`, `place N`, `daemon`, `stop-on ID` (tasks of the group there start stopping)
//! - `capacity NAME:BASE:WEIGHT… count=N`, `fargate ZONE:N… draws=N`

use std::fmt::Write as _;
use std::path::Path;

use super::capacity::{assign, ProviderItem};
use super::cluster::{Cluster, ContainerInstance, InstanceStatus};
use super::pipeline::{fargate_zone, PlacementRequest, Placer};
use super::requirements::TaskRequirements;
use super::rng::SplitMix64;
use super::strategy::{PlacementConstraint, PlacementStrategy};

const CASES_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/place/cases");
const MARKER: &str = "=== expected";

fn numbers(text: &str) -> Vec<u16> {
    text.split(',')
        .filter_map(|p| p.trim().parse().ok())
        .collect()
}

fn requirements(words: &[&str]) -> (TaskRequirements, Option<String>) {
    let mut r = TaskRequirements {
        network_mode: "bridge".into(),
        ..TaskRequirements::default()
    };
    let mut group = None;
    for word in words {
        let Some((key, value)) = word.split_once('=') else {
            panic!("expected key=value, got `{word}`");
        };
        match key {
            "group" => group = Some(value.to_string()),
            "cpu" => r.cpu = value.parse().expect("cpu"),
            "memory" => r.memory = value.parse().expect("memory"),
            "ports" => r.host_ports = numbers(value),
            "udp" => r.udp_host_ports = numbers(value),
            "dynamic" => r.dynamic_ports = value.parse().expect("dynamic"),
            "gpus" => r.gpus = value.parse().expect("gpus"),
            "network" => r.network_mode = value.to_string(),
            "family" => r.family = value.to_string(),
            "requires" => {
                let (name, want) = match value.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (value, None),
                };
                r.requires_attributes.push((name.to_string(), want));
            }
            _ => panic!("unknown request key `{key}`"),
        }
    }
    (r, group)
}

fn run_case(input: &str) -> String {
    let mut out = String::new();
    let mut instances: Vec<ContainerInstance> = Vec::new();
    let mut running: Vec<(usize, String, TaskRequirements)> = Vec::new();
    let mut request = PlacementRequest {
        requirements: TaskRequirements::default(),
        group: String::new(),
        constraints: Vec::new(),
        strategies: Vec::new(),
        capacity_provider: None,
    };
    let mut seed = 0;
    let mut actions: Vec<&str> = Vec::new();
    for line in input.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (head, rest) = line.split_once(' ').unwrap_or((line, ""));
        let words: Vec<&str> = rest.split_whitespace().collect();
        match head {
            "instance" => {
                let mut instance = ContainerInstance::launch(words[0], words[1], words[2])
                    .unwrap_or_else(|| panic!("unknown type in `{line}`"));
                for word in &words[3..] {
                    match *word {
                        "trunking" => {
                            let kind = super::catalogue::instance_type(words[1]).unwrap();
                            instance = ContainerInstance::of_type(words[0], kind, words[2], true);
                        }
                        "draining" => instance.status = InstanceStatus::Draining,
                        "disconnected" => instance.agent_connected = false,
                        _ => match word.split_once('=') {
                            Some(("agent", version)) => instance.agent_version = version.into(),
                            Some(("provider", name)) => {
                                instance.capacity_provider = Some(name.into())
                            }
                            Some((name, value)) => instance.set_attribute(name, value),
                            None => panic!("unknown instance word `{word}`"),
                        },
                    }
                }
                instances.push(instance);
            }
            "running" => {
                let at = instances
                    .iter()
                    .position(|i| i.id == words[0])
                    .expect("running on a known instance");
                let (needs, _) = requirements(&words[2..]);
                running.push((at, words[1].to_string(), needs));
            }
            "request" => {
                let (needs, group) = requirements(&words);
                request.requirements = TaskRequirements {
                    member_of: request.requirements.member_of.clone(),
                    ..needs
                };
                if let Some(group) = group {
                    request.group = group;
                }
            }
            "default" => {
                let defaults = match words[0] {
                    "service" => PlacementRequest::service(words[1], request.requirements.clone()),
                    _ => {
                        request.requirements.family = words[1].into();
                        PlacementRequest::run_task(request.requirements.clone())
                    }
                };
                request.group = defaults.group;
                request.strategies = defaults.strategies;
            }
            "constraint" if words.first() == Some(&"distinctInstance") => request
                .constraints
                .push(PlacementConstraint::DistinctInstance),
            "constraint" => {
                let expression = rest
                    .trim()
                    .strip_prefix("memberOf")
                    .expect("memberOf")
                    .trim();
                request
                    .constraints
                    .push(PlacementConstraint::MemberOf(expression.into()));
            }
            "taskdef" => {
                let expression = rest
                    .trim()
                    .strip_prefix("memberOf")
                    .expect("memberOf")
                    .trim();
                request.requirements.member_of.push(expression.into());
            }
            "strategy" => request
                .strategies
                .push(PlacementStrategy::parse(rest).expect("strategy")),
            "seed" => seed = rest.trim().parse().expect("seed"),
            "provider" => request.capacity_provider = Some(rest.trim().to_string()),
            "capacity" => {
                let mut providers = Vec::new();
                let mut count = 0;
                for word in &words {
                    if let Some(n) = word.strip_prefix("count=") {
                        count = n.parse().expect("count");
                        continue;
                    }
                    let parts: Vec<&str> = word.split(':').collect();
                    providers.push(ProviderItem::new(
                        parts[0],
                        parts[1].parse().unwrap(),
                        parts[2].parse().unwrap(),
                    ));
                }
                let order = assign(&providers, &[], count);
                let names: Vec<&str> = order
                    .iter()
                    .map(|&i| providers[i].capacity_provider.as_str())
                    .collect();
                let _ = writeln!(out, "capacity {rest}\n  order: {}", names.join(" "));
                for (i, p) in providers.iter().enumerate() {
                    let _ = writeln!(
                        out,
                        "  {}: {}",
                        p.capacity_provider,
                        order.iter().filter(|&&k| k == i).count()
                    );
                }
            }
            "fargate" => {
                let mut zones: Vec<(String, u32)> = Vec::new();
                let mut draws = 0;
                for word in &words {
                    match word.strip_prefix("draws=") {
                        Some(n) => draws = n.parse().expect("draws"),
                        None => {
                            let (zone, n) = word.split_once(':').expect("ZONE:N");
                            zones.push((zone.into(), n.parse().expect("count")));
                        }
                    }
                }
                let mut rng = SplitMix64::new(seed);
                let mut picks = Vec::new();
                for _ in 0..draws {
                    let view: Vec<(&str, u32)> =
                        zones.iter().map(|(z, n)| (z.as_str(), *n)).collect();
                    let at = fargate_zone(&view, &mut rng).expect("zones");
                    zones[at].1 += 1;
                    picks.push(zones[at].0.clone());
                }
                let _ = writeln!(out, "fargate {rest}\n  zones: {}", picks.join(" "));
            }
            "explain" | "place" | "daemon" | "stop-on" => actions.push(line),
            _ => panic!("unknown directive `{line}`"),
        }
    }
    if actions.is_empty() {
        return out;
    }
    let mut cluster = Cluster::new(instances);
    for (at, group, needs) in &running {
        cluster.start_task(*at, group, needs);
    }
    let mut placer = match Placer::new(&mut cluster, request, seed) {
        Ok(placer) => placer,
        Err(err) => {
            let _ = writeln!(out, "refused: {}", err.message);
            return out;
        }
    };
    for action in actions {
        let (head, rest) = action.split_once(' ').unwrap_or((action, ""));
        match head {
            "explain" => {
                let _ = writeln!(out, "--- explain");
                out.push_str(&placer.explain().render());
            }
            "place" => {
                let count: usize = rest.trim().parse().expect("place N");
                let mut placed = Vec::new();
                let mut reason = None;
                for _ in 0..count {
                    match placer.place_one() {
                        Some(i) => placed.push(placer.cluster().instances[i].id.clone()),
                        None => {
                            reason = placer.explain().unplaced_reason;
                            break;
                        }
                    }
                }
                let _ = writeln!(out, "--- place {count}: {}", placed.join(" "));
                if let Some(reason) = reason {
                    let _ = writeln!(out, "unplaced: {reason}");
                }
                let last = placer
                    .records()
                    .last()
                    .map(|r| r.counters.render())
                    .unwrap_or_default();
                let _ = writeln!(out, "last counters: {last}");
            }
            "daemon" => {
                let placed: Vec<String> = placer
                    .place_daemon()
                    .iter()
                    .map(|&i| placer.cluster().instances[i].id.clone())
                    .collect();
                let _ = writeln!(out, "--- daemon: {}", placed.join(" "));
            }
            "stop-on" => {
                let id = rest.trim();
                let group = placer.request().group.clone();
                let tasks: Vec<u64> = placer
                    .cluster()
                    .instances
                    .iter()
                    .filter(|i| i.id == id)
                    .flat_map(|i| {
                        i.tasks
                            .iter()
                            .filter(|t| t.group == group && t.is_live())
                            .map(|t| t.id)
                    })
                    .collect();
                for task in &tasks {
                    placer.stop_task(*task);
                }
                let instance = placer
                    .cluster()
                    .instances
                    .iter()
                    .find(|i| i.id == id)
                    .expect("instance");
                let _ = writeln!(
                    out,
                    "--- stop-on {id}: {} task(s) STOPPING; {} MiB used of {}",
                    tasks.len(),
                    instance.used_memory,
                    instance.registered_memory
                );
            }
            _ => unreachable!(),
        }
    }
    out
}

#[test]
fn every_placement_case_gives_its_expected_output() {
    let update = std::env::var_os("UPDATE_PLACEMENT_CASES").is_some();
    let mut paths: Vec<_> = std::fs::read_dir(Path::new(CASES_DIR))
        .expect("the cases directory exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "case"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 15, "only {} cases found", paths.len());
    let mut failures = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("readable case");
        let (input, expected) = text.split_once(MARKER).unwrap_or((&text, ""));
        let actual = run_case(input);
        let expected = expected.trim_start_matches('\n');
        if update {
            std::fs::write(
                &path,
                format!(
                    "{}{MARKER}\n{actual}",
                    input.trim_end_matches('\n').to_string() + "\n"
                ),
            )
            .expect("writable");
        } else if actual != expected {
            failures.push(format!(
                "{}:\n--- expected\n{expected}\n--- actual\n{actual}",
                path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
