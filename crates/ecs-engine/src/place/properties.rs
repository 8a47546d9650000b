//! Property tests of placement, with random clusters and requests from the
//! seeded generator (stable: no external framework, no nightly).

use super::catalogue::instance_types;
use super::cluster::{
    Cluster, ContainerInstance, InstanceStatus, DEFAULT_RESERVED_PORTS, MAX_RESERVED_PORTS,
};
use super::pipeline::{replay_trace, PlacementRequest, Placer};
use super::query::parse;
use super::requirements::TaskRequirements;
use super::rng::SplitMix64;
use super::strategy::{BinpackField, PlacementConstraint, PlacementStrategy, SpreadField};

const ZONES: [&str; 3] = ["us-east-1a", "us-east-1b", "us-east-1c"];
const EXPRESSIONS: [&str; 4] = [
    "attribute:stack == prod",
    "attribute:ecs.cpu-architecture == x86_64 and not(attribute:ecs.availability-zone == us-east-1c)",
    "attribute:ecs.instance-type =~ (m5|c5|r5).*",
    "runningTasksCount < 3",
];

fn pick<'a, T>(rng: &mut SplitMix64, items: &'a [T]) -> &'a T {
    &items[rng.below(items.len())]
}

fn random_cluster(rng: &mut SplitMix64) -> Cluster {
    let types = instance_types();
    let zones = 1 + rng.below(3);
    let n = 1 + rng.below(30);
    let instances = (0..n)
        .map(|k| {
            let kind = pick(rng, types);
            let mut instance = ContainerInstance::of_type(
                &format!("i-{k:03}"),
                kind,
                ZONES[k % zones],
                rng.below(2) == 0,
            );
            if rng.below(20) == 0 {
                instance.status = InstanceStatus::Draining;
            }
            if rng.below(20) == 0 {
                instance.agent_connected = false;
            }
            if rng.below(3) == 0 {
                instance.capacity_provider = Some(pick(rng, &["spot", "on-demand"]).to_string());
            }
            match rng.below(3) {
                0 => instance.set_attribute("stack", "prod"),
                1 => instance.set_attribute("stack", "dev"),
                _ => {}
            }
            instance
        })
        .collect();
    let mut cluster = Cluster::new(instances);
    // Some other work already running.
    for _ in 0..rng.below(2 * n) {
        let at = rng.below(n);
        let other = TaskRequirements {
            cpu: *pick(rng, &[128, 512, 1024]),
            memory: *pick(rng, &[256, 1024, 2048]),
            host_ports: if rng.below(4) == 0 { vec![80] } else { vec![] },
            network_mode: "bridge".into(),
            ..TaskRequirements::default()
        };
        let target = &cluster.instances[at];
        let ports_free = other.host_ports.iter().all(|&p| !target.tcp_port_taken(p));
        if target.free_memory() >= other.memory && target.free_cpu() >= other.cpu && ports_free {
            cluster.start_task(at, "family:other", &other);
        }
    }
    cluster
}

fn random_request(rng: &mut SplitMix64) -> PlacementRequest {
    let network_mode = pick(rng, &["bridge", "host", "awsvpc", "none"]).to_string();
    let ports = match network_mode.as_str() {
        "bridge" | "host" if rng.below(3) == 0 => vec![*pick(rng, &[80u16, 8080, 22])],
        _ => vec![],
    };
    let requirements = TaskRequirements {
        cpu: *pick(rng, &[0, 128, 256, 512, 1024, 2048, 4096]),
        memory: *pick(rng, &[128, 256, 512, 1024, 4096, 16384]),
        host_ports: ports,
        udp_host_ports: if rng.below(8) == 0 { vec![53] } else { vec![] },
        dynamic_ports: rng.below(3) as u32,
        gpus: u32::from(rng.below(8) == 0),
        network_mode,
        requires_attributes: if rng.below(5) == 0 {
            vec![("stack".into(), None)]
        } else {
            vec![]
        },
        member_of: if rng.below(5) == 0 {
            vec![pick(rng, &EXPRESSIONS).to_string()]
        } else {
            vec![]
        },
        family: "app".into(),
        requires_compatibilities: Vec::new(),
    };
    let mut constraints = Vec::new();
    if rng.below(3) == 0 {
        constraints.push(PlacementConstraint::DistinctInstance);
    }
    if rng.below(3) == 0 {
        constraints.push(PlacementConstraint::MemberOf(
            pick(rng, &EXPRESSIONS).to_string(),
        ));
    }
    let options = [
        PlacementStrategy::Random,
        PlacementStrategy::spread_zone(),
        PlacementStrategy::Spread(SpreadField::Instance),
        PlacementStrategy::Spread(SpreadField::Attribute("stack".into())),
        PlacementStrategy::Binpack(BinpackField::Cpu),
        PlacementStrategy::Binpack(BinpackField::Memory),
    ];
    let strategies = (0..rng.below(4))
        .map(|_| pick(rng, &options).clone())
        .collect();
    PlacementRequest {
        requirements,
        group: "service:app".into(),
        constraints,
        strategies,
        capacity_provider: (rng.below(4) == 0)
            .then(|| pick(rng, &["spot", "on-demand"]).to_string()),
    }
}

/// An independent, naive statement of "this task fits on this instance".
fn fits_naively(instance: &ContainerInstance, request: &PlacementRequest, group_here: u32) -> bool {
    let r = &request.requirements;
    let statics = r.host_ports.len() + r.udp_host_ports.len();
    request
        .capacity_provider
        .as_ref()
        .is_none_or(|p| instance.capacity_provider.as_ref() == Some(p))
        && instance.status == InstanceStatus::Active
        && instance.agent_connected
        && instance.used_cpu + r.cpu <= instance.registered_cpu
        && instance.used_memory + r.memory <= instance.registered_memory
        && instance.used_gpus + r.gpus <= instance.registered_gpus
        && (r.network_mode != "awsvpc" || instance.used_enis < instance.eni_slots)
        && r.host_ports
            .iter()
            .all(|p| !DEFAULT_RESERVED_PORTS.contains(p) && !instance.used_ports.contains(p))
        && r.udp_host_ports
            .iter()
            .all(|p| !instance.used_udp_ports.contains(p))
        && (statics == 0 || instance.reserved_port_count() + statics <= MAX_RESERVED_PORTS)
        && r.requires_attributes
            .iter()
            .all(|(name, _)| instance.attribute_value(name).is_some())
        && (!request
            .constraints
            .contains(&PlacementConstraint::DistinctInstance)
            || group_here == 0)
        && r.member_of
            .iter()
            .chain(request.constraints.iter().filter_map(|c| match c {
                PlacementConstraint::MemberOf(e) => Some(e),
                PlacementConstraint::DistinctInstance => None,
            }))
            .all(|e| parse(e).is_ok_and(|q| q.matches(instance)))
}

fn assert_not_overcommitted(cluster: &Cluster, context: &str) {
    for instance in &cluster.instances {
        assert!(
            instance.used_cpu <= instance.registered_cpu,
            "{context}: cpu on {}",
            instance.id
        );
        assert!(
            instance.used_memory <= instance.registered_memory,
            "{context}: memory on {}",
            instance.id
        );
        assert!(
            instance.used_gpus <= instance.registered_gpus,
            "{context}: gpus on {}",
            instance.id
        );
        assert!(
            instance.used_enis <= instance.eni_slots,
            "{context}: enis on {}",
            instance.id
        );
        assert!(
            instance.reserved_port_count() <= MAX_RESERVED_PORTS,
            "{context}: ports on {}",
            instance.id
        );
        let mut ports = instance.used_ports.clone();
        ports.extend(DEFAULT_RESERVED_PORTS);
        ports.sort_unstable();
        let before = ports.len();
        ports.dedup();
        assert_eq!(
            before,
            ports.len(),
            "{context}: a TCP port is held twice on {}",
            instance.id
        );
    }
}

#[test]
fn random_scenarios_hold_every_property() {
    let mut rng = SplitMix64::new(2024);
    let mut placed_total = 0;
    let mut unplaced_total = 0;
    for scenario in 0..400 {
        let mut cluster = random_cluster(&mut rng);
        let request = random_request(&mut rng);
        let context = format!("scenario {scenario}: {:?}", request.strategies);
        let seed = rng.next_u64();
        let distinct = request
            .constraints
            .contains(&PlacementConstraint::DistinctInstance);
        let mut placer = Placer::new(&mut cluster, request.clone(), seed).expect("valid request");
        for _ in 0..12 {
            // The trace of the next decision, then the decision itself.
            let trace = placer.explain();
            let state = placer.cluster().clone();
            let fitting: Vec<usize> = (0..state.instances.len())
                .filter(|&i| {
                    fits_naively(
                        &state.instances[i],
                        &request,
                        state.instances[i].group_count(&request.group),
                    )
                })
                .collect();
            let chosen = placer.place_one();
            let record = *placer.records().last().expect("a record per decision");
            assert_eq!(
                trace.chosen,
                chosen.map(|i| state.instances[i].id.clone()),
                "{context}: trace and decision differ"
            );
            assert_eq!(
                trace.counters, record.counters,
                "{context}: counters differ"
            );
            assert_eq!(
                record.counters.feasible as usize,
                fitting.len(),
                "{context}: feasible count"
            );
            match chosen {
                Some(i) => {
                    placed_total += 1;
                    assert!(
                        fitting.contains(&i),
                        "{context}: placed on {i}, which does not fit"
                    );
                    assert!(trace.candidates[i].feasible());
                }
                None => {
                    unplaced_total += 1;
                    assert!(
                        fitting.is_empty(),
                        "{context}: unplaced although {fitting:?} fit"
                    );
                    assert!(trace.unplaced_reason.is_some());
                    break;
                }
            }
        }
        assert_not_overcommitted(placer.cluster(), &context);
        if distinct {
            for instance in &placer.cluster().instances {
                assert!(
                    instance.group_count("service:app") <= 1,
                    "{context}: distinctInstance broken on {}",
                    instance.id
                );
            }
        }
    }
    assert!(
        placed_total > 500 && unplaced_total > 20,
        "weak generator: {placed_total} placed, {unplaced_total} unplaced"
    );
}

#[test]
fn spread_across_zones_stays_within_one_when_capacity_allows() {
    let mut rng = SplitMix64::new(99);
    for round in 0..30 {
        let per_zone = 1 + rng.below(6);
        let instances = (0..per_zone * 3)
            .map(|k| {
                ContainerInstance::launch(
                    &format!("i-{k}"),
                    pick::<&str>(&mut rng, &["m5.4xlarge", "c5.4xlarge", "r5.4xlarge"]),
                    ZONES[k % 3],
                )
                .unwrap()
            })
            .collect();
        let mut cluster = Cluster::new(instances);
        let mut request = PlacementRequest::service(
            "web",
            TaskRequirements {
                cpu: 256,
                memory: 512,
                network_mode: "bridge".into(),
                ..TaskRequirements::default()
            },
        );
        if rng.below(2) == 0 {
            request
                .strategies
                .push(PlacementStrategy::Binpack(BinpackField::Memory));
            request.strategies.remove(1);
        }
        let mut placer = Placer::new(&mut cluster, request, rng.next_u64()).unwrap();
        for placed in 1..=40 {
            assert!(placer.place_one().is_some());
            let mut per_zone = [0u32; 3];
            for instance in &placer.cluster().instances {
                let zone = ZONES
                    .iter()
                    .position(|z| *z == instance.availability_zone)
                    .unwrap();
                per_zone[zone] += instance.group_count("service:web");
            }
            let (max, min) = (
                per_zone.iter().max().unwrap(),
                per_zone.iter().min().unwrap(),
            );
            assert!(
                max - min <= 1,
                "round {round}, after {placed}: {per_zone:?}"
            );
        }
    }
}

#[test]
fn member_of_holds_for_every_placed_task() {
    let mut rng = SplitMix64::new(5);
    for expression in EXPRESSIONS {
        let mut cluster = random_cluster(&mut rng);
        let query = parse(expression).unwrap();
        let mut request = random_request(&mut rng);
        request.constraints = vec![PlacementConstraint::MemberOf(expression.into())];
        let mut placer = Placer::new(&mut cluster, request, 1).unwrap();
        for _ in 0..20 {
            let before = placer.cluster().clone();
            let Some(i) = placer.place_one() else { break };
            assert!(
                query.matches(&before.instances[i]),
                "{expression}: placed on {}",
                before.instances[i].id
            );
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_placements_and_another_seed_may_not() {
    let run = |seed: u64| {
        let mut rng = SplitMix64::new(77);
        let mut cluster = random_cluster(&mut rng);
        while cluster.instances.len() < 10 {
            cluster = random_cluster(&mut rng);
        }
        let mut request = random_request(&mut rng);
        request.requirements = TaskRequirements {
            cpu: 1,
            memory: 1,
            network_mode: "none".into(),
            ..TaskRequirements::default()
        };
        request.constraints.clear();
        request.strategies = vec![PlacementStrategy::Random];
        let mut placer = Placer::new(&mut cluster, request, seed).unwrap();
        (0..20)
            .filter_map(|_| placer.place_one())
            .collect::<Vec<_>>()
    };
    assert_eq!(run(1), run(1));
    assert_ne!(run(1), run(2));
}

#[test]
fn a_replayed_trace_equals_the_decision_that_was_made() {
    let mut rng = SplitMix64::new(31);
    for _ in 0..20 {
        let initial = random_cluster(&mut rng);
        let request = random_request(&mut rng);
        let seed = rng.next_u64();
        let mut cluster = initial.clone();
        let mut placer = Placer::new(&mut cluster, request.clone(), seed).unwrap();
        let mut chosen_ids = Vec::new();
        for _ in 0..10 {
            let chosen = placer.place_one();
            chosen_ids.push(chosen.map(|i| placer.cluster().instances[i].id.clone()));
        }
        let records = placer.records().to_vec();
        for k in [0, 3, records.len() - 1] {
            let trace = replay_trace(&initial, &request, seed, k).unwrap();
            assert_eq!(trace.chosen, chosen_ids[k], "decision {k}");
            assert_eq!(trace.counters, records[k].counters, "decision {k}");
        }
    }
}

#[test]
fn huge_registered_resources_do_not_break_the_index() {
    let mut instance = ContainerInstance::launch("i-huge", "m5.large", "us-east-1a").unwrap();
    instance.registered_memory = u32::MAX;
    instance.registered_cpu = u32::MAX;
    let mut cluster = Cluster::new(vec![instance]);
    let request = PlacementRequest {
        requirements: TaskRequirements {
            cpu: 0,
            memory: 0,
            network_mode: "none".into(),
            ..TaskRequirements::default()
        },
        group: "family:x".into(),
        constraints: vec![],
        strategies: vec![PlacementStrategy::Binpack(BinpackField::Memory)],
        capacity_provider: None,
    };
    let mut placer = Placer::new(&mut cluster, request, 0).unwrap();
    assert_eq!(placer.place_one(), Some(0));
}
