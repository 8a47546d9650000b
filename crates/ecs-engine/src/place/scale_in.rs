//! Scale-in: which tasks of a group to stop first (ecs-semantics A1).
//!
//! Each strategy is applied in reverse: spread stops from the attribute value
//! (or instance) with the most tasks of the group, keeping the balance;
//! binpack stops the task whose instance has the most of the resource
//! available after the task ends. Ties, and `random`, go to the seeded draw;
//! within an Availability Zone that gives the documented "selected at random".

use super::cluster::Cluster;
use super::rng::SplitMix64;
use super::strategy::{BinpackField, PlacementStrategy, SpreadField};

/// Picks `count` live tasks of `group` to stop, in order. An empty strategy
/// list means the service default (most tasks in the AZ, then on the instance).
pub fn select_tasks_to_stop(
    cluster: &Cluster,
    group: &str,
    strategies: &[PlacementStrategy],
    count: usize,
    seed: u64,
) -> Vec<u64> {
    select_tasks_to_stop_among(cluster, group, strategies, count, seed, |_| true)
}

/// [`select_tasks_to_stop`] among the live tasks of `group` that `eligible`
/// accepts (the simulator's scheduler chooses among, say, the tasks of
/// old deployments); the balance is counted among them.
pub fn select_tasks_to_stop_among(
    cluster: &Cluster,
    group: &str,
    strategies: &[PlacementStrategy],
    count: usize,
    seed: u64,
    eligible: impl Fn(u64) -> bool,
) -> Vec<u64> {
    let defaults;
    let strategies = if strategies.is_empty() {
        defaults = PlacementStrategy::service_default();
        &defaults[..]
    } else {
        strategies
    };
    let mut rng = SplitMix64::new(seed);
    let eligible = &eligible;
    // (task id, instance index, cpu, memory) of every live task of the group.
    let mut tasks: Vec<(u64, usize, u32, u32)> = cluster
        .instances
        .iter()
        .enumerate()
        .flat_map(|(i, instance)| {
            instance
                .tasks
                .iter()
                .filter(move |t| t.is_live() && t.group == group && eligible(t.id))
                .map(move |t| (t.id, i, t.claim.cpu, t.claim.memory))
        })
        .collect();
    tasks.sort_unstable();
    let n = cluster.instances.len();
    let mut on_instance = vec![0u64; n];
    let mut freed_cpu = vec![0u64; n];
    let mut freed_memory = vec![0u64; n];
    for &(_, i, _, _) in &tasks {
        on_instance[i] += 1;
    }
    // Per spread(attribute) strategy: each instance's value, and live tasks
    // of the group per value, kept up to date as tasks are picked.
    let mut spread_counts: Vec<Option<(Vec<usize>, Vec<u64>)>> = strategies
        .iter()
        .map(|strategy| {
            let PlacementStrategy::Spread(SpreadField::Attribute(name)) = strategy else {
                return None;
            };
            let mut values: Vec<Option<&str>> = Vec::new();
            let value_of: Vec<usize> = cluster
                .instances
                .iter()
                .map(|instance| {
                    let value = instance.attribute_value(name);
                    values.iter().position(|v| *v == value).unwrap_or_else(|| {
                        values.push(value);
                        values.len() - 1
                    })
                })
                .collect();
            let mut counts = vec![0u64; values.len()];
            for &(_, i, _, _) in &tasks {
                counts[value_of[i]] += 1;
            }
            Some((value_of, counts))
        })
        .collect();
    let mut chosen = Vec::new();
    // Tasks stay in id order; a stopped one is marked, not removed, so a
    // pick costs one pass over the candidates, not a shift of the list.
    let mut alive = vec![true; tasks.len()];
    let mut remaining = tasks.len();
    let mut tied: Vec<usize> = Vec::with_capacity(tasks.len());
    let lead_spread = matches!(
        strategies.first(),
        Some(PlacementStrategy::Spread(SpreadField::Attribute(_)))
    );
    while chosen.len() < count && remaining > 0 {
        tied.clear();
        let mut from = 0;
        match spread_counts
            .first()
            .and_then(Option::as_ref)
            .filter(|_| lead_spread)
        {
            // The first strategy spreads on an attribute: only the tasks of
            // the value(s) with the most tasks are candidates.
            Some((value_of, counts)) => {
                let best = counts.iter().copied().max().unwrap_or(0);
                tied.extend(
                    (0..tasks.len()).filter(|&k| alive[k] && counts[value_of[tasks[k].1]] == best),
                );
                from = 1;
            }
            None => tied.extend((0..tasks.len()).filter(|&k| alive[k])),
        }
        for (position, strategy) in strategies.iter().enumerate().skip(from) {
            if *strategy == PlacementStrategy::Random || tied.len() <= 1 {
                break;
            }
            // Higher score = stop first.
            let score = |k: usize| -> u64 {
                let (_, i, cpu, memory) = tasks[k];
                let instance = &cluster.instances[i];
                match strategy {
                    PlacementStrategy::Spread(SpreadField::Attribute(_)) => spread_counts
                        .get(position)
                        .and_then(Option::as_ref)
                        .map_or(0, |(value_of, counts)| counts[value_of[i]]),
                    PlacementStrategy::Spread(SpreadField::Instance) => on_instance[i],
                    PlacementStrategy::Binpack(BinpackField::Cpu) => {
                        u64::from(instance.free_cpu()) + freed_cpu[i] + u64::from(cpu)
                    }
                    PlacementStrategy::Binpack(BinpackField::Memory) => {
                        u64::from(instance.free_memory()) + freed_memory[i] + u64::from(memory)
                    }
                    PlacementStrategy::Random => 0,
                }
            };
            let best = tied.iter().map(|&k| score(k)).max().unwrap_or(0);
            tied.retain(|&k| score(k) == best);
        }
        let pick = match tied.len() {
            0 => break,
            1 => tied[0],
            len => tied[rng.below(len)],
        };
        alive[pick] = false;
        remaining -= 1;
        let (id, i, cpu, memory) = tasks[pick];
        on_instance[i] -= 1;
        for (value_of, counts) in spread_counts.iter_mut().flatten() {
            counts[value_of[i]] -= 1;
        }
        freed_cpu[i] += u64::from(cpu);
        freed_memory[i] += u64::from(memory);
        chosen.push(id);
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::place::cluster::ContainerInstance;
    use crate::place::requirements::TaskRequirements;

    fn cluster_with(tasks_per_instance: &[(&str, usize)]) -> Cluster {
        let mut cluster = Cluster::new(
            tasks_per_instance
                .iter()
                .enumerate()
                .filter_map(|(k, (zone, _))| {
                    ContainerInstance::launch(&format!("i-{k}"), "m5.xlarge", zone)
                })
                .collect(),
        );
        let needs = TaskRequirements {
            cpu: 256,
            memory: 512,
            ..TaskRequirements::default()
        };
        for (k, (_, n)) in tasks_per_instance.iter().enumerate() {
            for _ in 0..*n {
                cluster.start_task(k, "service:web", &needs);
            }
        }
        cluster
    }

    fn instance_of(cluster: &Cluster, task: u64) -> usize {
        cluster
            .instances
            .iter()
            .position(|i| i.tasks.iter().any(|t| t.id == task))
            .unwrap()
    }

    #[test]
    fn the_default_stops_from_the_busiest_zone_first_as_documented() {
        // Zone a has one task, zones b and c two each: "B or C are considered
        // optimal for termination".
        let cluster = cluster_with(&[("us-east-1a", 1), ("us-east-1b", 2), ("us-east-1c", 2)]);
        let stopped = select_tasks_to_stop(&cluster, "service:web", &[], 2, 9);
        let zones: Vec<usize> = stopped.iter().map(|&t| instance_of(&cluster, t)).collect();
        assert!(zones.contains(&1) && zones.contains(&2), "{zones:?}");
    }

    #[test]
    fn binpack_stops_where_the_most_is_left_after_termination() {
        let cluster = cluster_with(&[("us-east-1a", 5), ("us-east-1a", 1)]);
        let strategy = [PlacementStrategy::Binpack(BinpackField::Memory)];
        let stopped = select_tasks_to_stop(&cluster, "service:web", &strategy, 1, 1);
        assert_eq!(instance_of(&cluster, stopped[0]), 1);
    }

    #[test]
    fn the_same_seed_gives_the_same_selection() {
        let cluster = cluster_with(&[("us-east-1a", 3), ("us-east-1b", 3), ("us-east-1c", 3)]);
        let a = select_tasks_to_stop(&cluster, "service:web", &[], 5, 42);
        let b = select_tasks_to_stop(&cluster, "service:web", &[], 5, 42);
        assert_eq!(a, b);
        assert_eq!(a.len(), 5);
    }

    #[test]
    fn scaling_in_keeps_zones_within_one_task_of_each_other() {
        let mut rng = SplitMix64::new(3);
        for _ in 0..20 {
            let layout: Vec<(&str, usize)> = (0..6)
                .map(|k| {
                    (
                        ["us-east-1a", "us-east-1b", "us-east-1c"][k % 3],
                        1 + rng.below(4),
                    )
                })
                .collect();
            let cluster = cluster_with(&layout);
            let total: usize = layout.iter().map(|(_, n)| n).sum();
            let stop = rng.below(total);
            let stopped = select_tasks_to_stop(&cluster, "service:web", &[], stop, rng.next_u64());
            assert_eq!(stopped.len(), stop);
            let mut before = [0i64; 3];
            let mut after = [0i64; 3];
            for (k, (_, n)) in layout.iter().enumerate() {
                before[k % 3] += *n as i64;
                after[k % 3] += *n as i64;
            }
            for task in &stopped {
                after[instance_of(&cluster, *task) % 3] -= 1;
            }
            let spread = |c: &[i64; 3]| c.iter().max().unwrap() - c.iter().min().unwrap();
            assert!(
                spread(&after) <= spread(&before).max(1),
                "{before:?} -> {after:?}"
            );
        }
    }
}
