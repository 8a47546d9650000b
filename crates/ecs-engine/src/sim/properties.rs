//! Property tests over random call sequences, valid and invalid: nothing
//! panics, resources are never over-committed, task bookkeeping is
//! conserved, deployments stay within their bounds, and the same seed gives
//! a byte-identical timeline. Sequences come from the simulator's own seeded
//! generator, so every failure names a reproducible seed.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::core::Rng;
use super::scheduler::{maximum_tasks, minimum_healthy};
use super::state::{DeploymentStatus, DesiredStatus, ServiceStatus, TaskStatus, WantedTask};
use super::{Ecs, SimConfig};

const IMAGES: [&str; 4] = ["good:1", "good:2", "broken:1", "flaky:1"];

fn pick<'a>(rng: &mut Rng, items: &[&'a str]) -> &'a str {
    items[rng.below(items.len() as u64) as usize]
}

/// One random call, sometimes malformed.
fn random_call(rng: &mut Rng, ecs: &Ecs) -> (String, Value) {
    let cluster = pick(rng, &["default", "default", "other", "missing"]);
    let service = pick(rng, &["a", "b", "d"]);
    let image = pick(rng, &IMAGES);
    let some_task = ecs
        .state
        .tasks
        .values()
        .nth(rng.below(ecs.state.tasks.len().max(1) as u64) as usize)
        .map(|t| t.arn.clone());
    let some_instance = ecs
        .state
        .instances
        .get(rng.below(ecs.state.instances.len().max(1) as u64) as usize)
        .map(|i| i.arn.clone());
    let n = rng.below(22);
    let (op, input) = match n {
        0 => ("CreateCluster", json!({"clusterName": cluster})),
        1 => (
            "Simulator.LaunchInstances",
            json!({"cluster": cluster, "count": rng.below(4), "instanceType": pick(rng, &["t3.small", "t3.medium", "m5.large", "c5.large", "g4dn.xlarge"])}),
        ),
        2 => (
            "RegisterTaskDefinition",
            json!({"family": "app", "networkMode": pick(rng, &["bridge", "bridge", "bridge", "awsvpc"]),
            "placementConstraints": if rng.below(4) == 0 { json!([{"type": "memberOf", "expression": "attribute:ecs.availability-zone != us-east-1c"}]) } else { json!([]) },
            "containerDefinitions": [{"name": "c", "image": image, "cpu": 256 * (1 + rng.below(4)), "memory": 256 * (1 + rng.below(8)),
            "portMappings": if rng.below(3) == 0 { json!([{"containerPort": 80, "hostPort": 8080}]) } else { json!([{"containerPort": 80}]) },
            "resourceRequirements": if rng.below(10) == 0 { json!([{"type": "GPU", "value": "1"}]) } else { json!([]) },
            "healthCheck": if rng.below(2) == 0 { json!({"command": ["CMD", "true"], "interval": 10, "retries": 2}) } else { Value::Null }}]}),
        ),
        3 => (
            "CreateService",
            json!({"cluster": cluster, "serviceName": service, "taskDefinition": "app", "desiredCount": rng.below(8),
            "schedulingStrategy": if rng.below(5) == 0 { "DAEMON" } else { "REPLICA" },
            "placementStrategy": match rng.below(4) { 0 => json!([{"type": "binpack", "field": "memory"}]), 1 => json!([{"type": "spread", "field": "instanceId"}]), 2 => json!([{"type": "random"}]), _ => json!([]) },
            "placementConstraints": if rng.below(4) == 0 { json!([{"type": "distinctInstance"}]) } else { json!([]) },
            "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1"]}},
            "deploymentConfiguration": {"minimumHealthyPercent": 25 * rng.below(5), "maximumPercent": 100 + 50 * rng.below(3),
                "deploymentCircuitBreaker": {"enable": rng.below(2) == 0, "rollback": rng.below(2) == 0}}}),
        ),
        4 => (
            "UpdateService",
            json!({"cluster": cluster, "service": service, "taskDefinition": "app", "desiredCount": rng.below(8)}),
        ),
        5 => (
            "UpdateService",
            json!({"cluster": cluster, "service": service, "forceNewDeployment": true}),
        ),
        6 => (
            "DeleteService",
            json!({"cluster": cluster, "service": service, "force": rng.below(2) == 0}),
        ),
        7 => (
            "RunTask",
            json!({"cluster": cluster, "taskDefinition": "app", "count": rng.below(12),
                "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1"]}},
                "placementStrategy": if rng.below(2) == 0 { json!([{"type": "binpack", "field": "cpu"}]) } else { json!([]) }}),
        ),
        8 => (
            "StopTask",
            json!({"cluster": cluster, "task": some_task.unwrap_or_default()}),
        ),
        9 => (
            "UpdateContainerInstancesState",
            json!({"cluster": cluster, "containerInstances": [some_instance.unwrap_or_default()], "status": pick(rng, &["DRAINING", "ACTIVE", "BOGUS"])}),
        ),
        10 => (
            "Simulator.InjectFault",
            json!({"cluster": cluster, "type": pick(rng, &["INSTANCE_FAILURE", "AGENT_DISCONNECT", "AGENT_RECONNECT", "SPOT_INTERRUPTION"]), "containerInstance": some_instance.unwrap_or_default(), "task": some_task.clone().unwrap_or_default()}),
        ),
        11 => (
            "Simulator.SetImageBehavior",
            json!({"image": "broken:1", "startFailure": "CannotPullContainerError"}),
        ),
        12 => (
            "Simulator.SetImageBehavior",
            json!({"image": "flaky:1", "exitAfterSeconds": rng.below(120), "exitCode": 1, "health": [{"atSeconds": 0, "status": "HEALTHY"}, {"atSeconds": rng.below(100), "status": "UNHEALTHY"}]}),
        ),
        13 => (
            "DescribeServices",
            json!({"cluster": cluster, "services": [service, "zzz"]}),
        ),
        14 => (
            "ListTasks",
            json!({"cluster": cluster, "maxResults": rng.below(120)}),
        ),
        15 => ("DeleteCluster", json!({"cluster": cluster})),
        16 => (
            "DeregisterTaskDefinition",
            json!({"taskDefinition": format!("app:{}", rng.below(4))}),
        ),
        17 => (
            "Simulator.TerminateInstances",
            json!({"cluster": cluster, "containerInstances": [some_instance.unwrap_or_default()]}),
        ),
        18 => (
            "CreateService",
            json!({"cluster": cluster, "serviceName": 7, "desiredCount": "x"}),
        ),
        19 => (
            "PutAttributes",
            json!({"cluster": cluster, "attributes": [{"name": "stack", "value": "blue", "targetId": some_instance.unwrap_or_default()}]}),
        ),
        20 => (
            "StopServiceDeployment",
            json!({"serviceDeploymentArn": "arn:aws:ecs:us-east-1:123456789012:service-deployment/default/a/x"}),
        ),
        _ => ("Simulator.AdvanceClock", json!({"seconds": rng.below(600)})),
    };
    (op.to_string(), input)
}

/// The scheduler reads service `si`'s kept list of wanted tasks
/// (`State::wanted`, refreshed at each task change): it must hold exactly
/// what the tasks say now, field for field, in seq order.
fn check_kept_wanted(ecs: &Ecs, si: usize, context: &str) -> usize {
    let st = &ecs.state;
    let fresh: Vec<WantedTask> = st
        .tasks
        .values()
        .filter(|t| t.service == Some(si) && t.is_wanted())
        .map(WantedTask::of)
        .collect();
    let kept: Vec<WantedTask> = st.wanted_tasks(si).copied().collect();
    assert_eq!(kept, fresh, "{context}: service {si} kept wanted tasks");
    assert_eq!(
        st.wanted.get(si).map_or(0, |w| w.len()),
        fresh.len(),
        "{context}: service {si} kept count"
    );
    fresh.len()
}

/// Every structural invariant of the state.
fn check_invariants(ecs: &Ecs, context: &str) {
    let st = &ecs.state;
    for (si, service) in st.services.iter().enumerate() {
        check_kept_wanted(ecs, si, context);
        let by_set = ecs.see_walking(si, None);
        let start = service
            .tasks
            .first()
            .and_then(|seq| st.tasks.get_index_of(seq));
        if start.is_some() {
            assert_eq!(
                ecs.see_walking(si, start),
                by_set,
                "{context}: service {si} seen by a map walk"
            );
        }
        assert_eq!(ecs.see(si), by_set, "{context}: service {si} seen");
    }
    for (index, instance) in st.instances.iter().enumerate() {
        let live: Vec<_> = st
            .tasks
            .values()
            .filter(|t| t.is_live() && t.instance == Some(index))
            .collect();
        let ids: BTreeSet<u64> = live.iter().map(|t| t.seq).collect();
        assert_eq!(ids, instance.tasks, "{context}: instance {index} task set");
        // What the instance holds: every live task that has not reached
        // STOPPING or DEPROVISIONING (from then on its resources are
        // released: optimistic release, ecs-semantics A1).
        let holding: Vec<_> = live
            .iter()
            .filter(|t| t.last_status < TaskStatus::Stopping)
            .collect();
        let cpu: u32 = holding.iter().map(|t| t.cpu).sum();
        let memory: u32 = holding.iter().map(|t| t.memory).sum();
        let host = st.host(index).expect("every instance has a host record");
        assert_eq!(
            cpu,
            host.used_cpu,
            "{context}: instance {index} cpu bookkeeping: host {:?} live {:?}",
            host.tasks
                .iter()
                .map(|t| (t.id, t.claim.cpu, t.holds_resources))
                .collect::<Vec<_>>(),
            live.iter()
                .map(|t| (t.seq, t.cpu, t.last_status))
                .collect::<Vec<_>>()
        );
        assert_eq!(
            memory, host.used_memory,
            "{context}: instance {index} memory bookkeeping"
        );
        assert!(
            cpu <= instance.cpu && memory <= instance.memory,
            "{context}: instance {index} over-committed"
        );
        assert!(
            host.used_gpus <= host.registered_gpus && host.used_enis <= host.eni_slots,
            "{context}: instance {index} over its GPUs or ENIs"
        );
        assert!(
            host.reserved_port_count() <= crate::place::cluster::MAX_RESERVED_PORTS,
            "{context}: instance {index} over the reserved-port limit"
        );
        let mut ports: Vec<u16> = holding
            .iter()
            .flat_map(|t| t.host_ports.iter().copied())
            .collect();
        let total = ports.len();
        ports.sort_unstable();
        ports.dedup();
        assert_eq!(
            ports.len(),
            total,
            "{context}: instance {index} port bound twice"
        );
        assert!(
            !instance.terminated || instance.tasks.is_empty(),
            "{context}: terminated instance keeps tasks"
        );
    }
    for (si, service) in st.services.iter().enumerate() {
        let live: BTreeSet<u64> = st
            .tasks
            .values()
            .filter(|t| t.is_live() && t.service == Some(si))
            .map(|t| t.seq)
            .collect();
        assert_eq!(
            live, service.tasks,
            "{context}: service {} task set",
            service.name
        );
        assert!(service.events.len() <= 100);
        assert!(
            service
                .deployments
                .iter()
                .filter(|d| d.status == DeploymentStatus::Primary)
                .count()
                <= 1,
            "{context}: one PRIMARY"
        );
        if service.status == ServiceStatus::Active && !service.daemon {
            let wanted = live.iter().filter(|q| st.tasks[*q].is_wanted()).count() as u32;
            let max = maximum_tasks(service.desired_count, service.config.maximum_percent)
                .max(service.desired_count);
            assert!(
                wanted <= max,
                "{context}: service {} runs {wanted} > max {max}",
                service.name
            );
        }
    }
    for t in st.tasks.values() {
        // Every task on an instance keeps the pipeline decision that put it
        // there, and that decision chose exactly its instance.
        if let Some(index) = t.instance {
            let placement = t.placement.expect("a placed task keeps its decision");
            let slot = st.instances.get(index).map(|i| i.slot as u32);
            assert_eq!(
                placement.record.chosen, slot,
                "{context}: task {} recorded a different instance",
                t.seq
            );
            assert!(placement.batch < st.placement_batches);
        }
        assert_eq!(
            t.stopped_at.is_some(),
            t.last_status == TaskStatus::Stopped,
            "{context}: stoppedAt iff STOPPED"
        );
        if t.desired_status == DesiredStatus::Running {
            assert!(
                t.stop_code.is_none(),
                "{context}: running task with a stop code"
            );
        }
    }
}

/// A default cluster of `instances` instances driven by random calls
/// (`random_call`), its draws seeded by `seed ^ salt` so that each property
/// walks sequences of its own.
struct RandomSequence {
    ecs: Ecs,
    rng: Rng,
}

impl RandomSequence {
    fn new(seed: u64, salt: u64, instances: u32) -> RandomSequence {
        let mut ecs = Ecs::new(SimConfig {
            seed,
            ..SimConfig::default()
        });
        let _ = ecs.call("CreateCluster", &json!({}));
        let _ = ecs.call("Simulator.LaunchInstances", &json!({"count": instances}));
        RandomSequence {
            ecs,
            rng: Rng::new(seed ^ salt),
        }
    }

    /// One random call: its operation, whether it succeeded, and the time
    /// (up to 30 s later) the sequence's clock should move to before the next.
    fn call(&mut self) -> (String, bool, u64) {
        let (op, input) = random_call(&mut self.rng, &self.ecs);
        let ok = self.ecs.call(&op, &input).is_ok();
        let until = self.ecs.now() + self.rng.below(30_000);
        (op, ok, until)
    }
}

fn run_sequence(seed: u64, steps: usize) -> String {
    run_counted(seed, steps).0
}

/// The timeline, how many calls succeeded and how many tasks were created.
fn run_counted(seed: u64, steps: usize) -> (String, usize, u64) {
    let mut sequence = RandomSequence::new(seed, 0xABCD, 3);
    let mut succeeded = 0;
    for step in 0..steps {
        let (op, ok, until) = sequence.call();
        succeeded += usize::from(ok);
        let ecs = &mut sequence.ecs;
        ecs.advance_to(until);
        check_invariants(ecs, &format!("seed {seed} step {step} after {op}"));
    }
    let ecs = &mut sequence.ecs;
    ecs.advance_to(ecs.now() + 3_600_000);
    check_invariants(ecs, &format!("seed {seed} at the end"));
    let timeline = serde_json::to_string(&ecs.timeline().collect::<Vec<_>>()).unwrap_or_default();
    (timeline, succeeded, ecs.state.next_task_seq)
}

#[test]
fn random_call_sequences_keep_the_invariants() {
    let (mut succeeded, mut tasks) = (0, 0);
    for seed in 0..40 {
        let (_, ok, created) = run_counted(seed, 120);
        succeeded += ok;
        tasks += created;
    }
    // The sequences exercise the simulator rather than only its errors.
    assert!(succeeded > 40 * 120 / 4, "only {succeeded} calls succeeded");
    assert!(tasks > 400, "only {tasks} tasks were created");
}

/// The scheduler's kept lists of each service's wanted tasks equal what the
/// tasks say at every event time of random sequences (not only after each
/// call), and so does the view the scheduler computes from them (`see`)
/// equal the walk of the tasks it replaced.
#[test]
fn kept_wanted_tasks_equal_the_tasks_at_every_event() {
    let (mut compared, mut times) = (0, 0);
    for seed in 200..240 {
        let mut sequence = RandomSequence::new(seed, 0x3A7E, 3);
        for step in 0..150 {
            let (op, _, until) = sequence.call();
            let ecs = &mut sequence.ecs;
            loop {
                for si in 0..ecs.state.services.len() {
                    let context = format!("seed {seed} step {step} after {op} at {}", ecs.now());
                    compared += check_kept_wanted(ecs, si, &context);
                    assert_eq!(
                        ecs.see(si),
                        ecs.see_walking(si, None),
                        "{context}: service {si} seen"
                    );
                }
                times += 1;
                match ecs.queue.next_time() {
                    Some(at) if at <= until => ecs.advance_to(at),
                    _ => break,
                }
            }
            ecs.advance_to(until);
        }
    }
    // The sequences run services with tasks, at many event times.
    assert!(compared > 2_000, "only {compared} kept tasks compared");
    assert!(times > 4_000, "only {times} event times");
}

/// The placers' indexes the simulator keeps between batches
/// (`sim::kept_index`) are a cache, never a second truth: after every call of
/// random sequences (tasks placed and stopped, optimistic release, drains,
/// agent faults, instances launched and terminated, attributes put), each
/// kept index, brought up to date, equals one built afresh from the hosts.
#[test]
fn kept_placement_indexes_equal_fresh_ones() {
    let mut compared = 0;
    for seed in 100..130 {
        let mut sequence = RandomSequence::new(seed, 0x5EED, 4);
        for _ in 0..120 {
            let (_, _, until) = sequence.call();
            let ecs = &mut sequence.ecs;
            ecs.advance_to(until);
            compared += ecs.state.kept_indexes.check_all(&ecs.state.hosts);
        }
    }
    // The sequences keep indexes and come back to them.
    assert!(compared > 400, "only {compared} kept indexes compared");
}

/// The scale-in orders the simulator keeps between scheduler runs
/// (`sim::kept_stop_order`) choose exactly what a fresh selection chooses:
/// every selection is compared with one (in test builds), here over rolling
/// deployments in batches under each strategy, with drains, a strategy
/// changed mid-deployment, scale-ins and random call sequences; most
/// selections come from a kept order brought up to date.
#[test]
fn kept_scale_in_orders_choose_what_fresh_ones_choose() {
    let (mut selections, mut updated) = (0, 0);
    let strategies = [
        json!([]),
        json!([{"type": "spread", "field": "instanceId"}]),
        json!([{"type": "binpack", "field": "memory"}]),
        json!([{"type": "spread", "field": "attribute:ecs.availability-zone"}, {"type": "binpack", "field": "cpu"}]),
    ];
    for (case, strategy) in strategies.iter().enumerate() {
        let mut ecs = Ecs::new(SimConfig {
            seed: case as u64,
            ..SimConfig::default()
        });
        let ok = |ecs: &mut Ecs, op: &str, v: Value| {
            ecs.call(op, &v)
                .unwrap_or_else(|e| panic!("{op}: {}", e.message))
        };
        ok(&mut ecs, "CreateCluster", json!({}));
        ok(
            &mut ecs,
            "Simulator.LaunchInstances",
            json!({"count": 9, "instanceType": "m5.xlarge"}),
        );
        let td = |image: &str| json!({"family": "w", "containerDefinitions": [{"name": "c", "image": image, "cpu": 256, "memory": 512}]});
        ok(&mut ecs, "RegisterTaskDefinition", td("w:1"));
        ok(
            &mut ecs,
            "CreateService",
            json!({"serviceName": "w", "taskDefinition": "w:1", "desiredCount": 40, "placementStrategy": strategy,
            "deploymentConfiguration": {"minimumHealthyPercent": 90, "maximumPercent": 100}}),
        );
        ecs.advance_to(600_000);
        // A rolling deployment in batches (a tenth at a time), an
        // instance drained and the strategy changed half-way, then a
        // scale-in and another deployment.
        ok(&mut ecs, "RegisterTaskDefinition", td("w:2"));
        ok(
            &mut ecs,
            "UpdateService",
            json!({"service": "w", "taskDefinition": "w:2"}),
        );
        ecs.advance_to(690_000);
        let instance = ecs.state.instances[case].arn.clone();
        ok(
            &mut ecs,
            "UpdateContainerInstancesState",
            json!({"containerInstances": [instance], "status": "DRAINING"}),
        );
        ecs.advance_to(750_000);
        let next = &strategies[(case + 1) % strategies.len()];
        ok(
            &mut ecs,
            "UpdateService",
            json!({"service": "w", "placementStrategy": next}),
        );
        ecs.advance_to(1_200_000);
        ok(
            &mut ecs,
            "UpdateService",
            json!({"service": "w", "desiredCount": 25}),
        );
        ecs.advance_to(1_500_000);
        ok(&mut ecs, "RegisterTaskDefinition", td("w:3"));
        ok(
            &mut ecs,
            "UpdateService",
            json!({"service": "w", "taskDefinition": "w:3"}),
        );
        ecs.advance_to(2_400_000);
        selections += ecs.state.kept_indexes.stop_orders.selections;
        updated += ecs.state.kept_indexes.stop_orders.updated;
    }
    for seed in 200..220 {
        let mut sequence = RandomSequence::new(seed, 0x5CA1E, 6);
        for _ in 0..120 {
            let (_, _, until) = sequence.call();
            sequence.ecs.advance_to(until);
        }
        let ecs = &sequence.ecs;
        selections += ecs.state.kept_indexes.stop_orders.selections;
        updated += ecs.state.kept_indexes.stop_orders.updated;
    }
    assert!(
        updated * 2 > selections && updated > 60,
        "{updated} of {selections} selections from a kept order"
    );
}

#[test]
fn same_seed_same_timeline_for_random_sequences() {
    for seed in [3, 17, 99] {
        assert_eq!(
            run_sequence(seed, 80),
            run_sequence(seed, 80),
            "seed {seed}"
        );
    }
}

/// During a rolling deployment with healthy images and no faults: healthy
/// ≥ ceil(desired × min%) and wanted ≤ floor(desired × max%) at every second.
#[test]
fn rolling_deployments_stay_within_their_bounds() {
    let mut rng = Rng::new(2024);
    for case in 0..30 {
        let desired = 1 + rng.below(9) as u32;
        let min = [0, 25, 50, 75, 100][rng.below(5) as usize];
        let max = [100, 125, 150, 200][rng.below(4) as usize];
        let instances = 1 + rng.below(6);
        let mut ecs = Ecs::new(SimConfig {
            seed: case,
            ..SimConfig::default()
        });
        let ok = |ecs: &mut Ecs, op: &str, v: Value| {
            ecs.call(op, &v)
                .unwrap_or_else(|e| panic!("{op}: {}", e.message))
        };
        ok(&mut ecs, "CreateCluster", json!({}));
        ok(
            &mut ecs,
            "Simulator.LaunchInstances",
            json!({"count": instances, "instanceType": "m5.xlarge"}),
        );
        let td = |image: &str| json!({"family": "w", "containerDefinitions": [{"name": "c", "image": image, "cpu": 512, "memory": 1024}]});
        ok(&mut ecs, "RegisterTaskDefinition", td("w:1"));
        ok(
            &mut ecs,
            "CreateService",
            json!({"serviceName": "w", "taskDefinition": "w:1", "desiredCount": desired,
            "deploymentConfiguration": {"minimumHealthyPercent": min, "maximumPercent": max}}),
        );
        ecs.advance_to(600_000);
        let steady = ecs.state.services[0].steady;
        ok(&mut ecs, "RegisterTaskDefinition", td("w:2"));
        ok(
            &mut ecs,
            "UpdateService",
            json!({"service": "w", "taskDefinition": "w:2"}),
        );
        let lower = minimum_healthy(desired, min);
        let upper = maximum_tasks(desired, max);
        for second in 0..1800u64 {
            ecs.advance_to(600_000 + second * 1000);
            let s = &ecs.state.services[0];
            let tasks: Vec<_> = s.tasks.iter().map(|q| &ecs.state.tasks[q]).collect();
            let wanted = tasks.iter().filter(|t| t.is_wanted()).count() as u32;
            let healthy = tasks
                .iter()
                .filter(|t| {
                    t.is_wanted()
                        && t.last_status == TaskStatus::Running
                        && t.started_at.is_some_and(|at| at + 40_000 <= ecs.now())
                })
                .count() as u32;
            let context = format!("case {case}: desired {desired} min {min}% max {max}% on {instances} instances at +{second}s");
            assert!(
                wanted <= upper.max(desired),
                "{context}: {wanted} wanted > {upper}"
            );
            // ECS documents the minimum only once the service was steady.
            if steady {
                assert!(
                    healthy >= lower.min(desired),
                    "{context}: {healthy} healthy < {lower}"
                );
            }
        }
    }
}
