//! Where the simulator puts EC2 tasks: a batch placer over the cluster's
//! container instances (resource fit, static ports, distinctInstance,
//! memberOf, and the random / spread / binpack strategies), plus the
//! capacity-provider base/weight split (ecs-semantics A4).
//!
//! This is a thin adapter kept inside the simulator so a 5,000-task batch
//! stays fast: eligibility and group counts are computed once per batch and
//! updated as tasks are placed. memberOf expressions use the placement
//! engine's cluster query language (`place::query`).

use std::collections::BTreeSet;

use serde_json::Value;

use super::state::{Instance, StrategyItem, DEFAULT_RESERVED_PORTS};

/// What one task needs.
#[derive(Debug, Clone, Default)]
pub struct Need {
    pub cpu: u32,
    pub memory: u32,
    pub host_ports: Vec<u16>,
    pub group: String,
    pub distinct_instance: bool,
    pub member_of: Vec<String>,
    pub strategies: Vec<(String, String)>,
    /// Only instances of this capacity provider.
    pub capacity_provider: Option<String>,
    /// The default service placement: balance AZs, then instances.
    pub balance_zones: bool,
}

impl Need {
    pub fn from_json(
        cpu: u32,
        memory: u32,
        host_ports: Vec<u16>,
        group: String,
        constraints: &[Value],
        strategies: &[Value],
    ) -> Need {
        let mut need = Need {
            cpu,
            memory,
            host_ports,
            group,
            ..Need::default()
        };
        for c in constraints {
            match c.get("type").and_then(Value::as_str) {
                Some("distinctInstance") => need.distinct_instance = true,
                Some("memberOf") => {
                    if let Some(e) = c.get("expression").and_then(Value::as_str) {
                        need.member_of.push(e.to_string());
                    }
                }
                _ => {}
            }
        }
        for s in strategies {
            let kind = s
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let field = s
                .get("field")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            need.strategies.push((kind, field));
        }
        need
    }
}

/// Why no instance took a task, in RunTask `failures[].reason` form, and the
/// closest instance for the service event text.
#[derive(Debug, Clone, PartialEq)]
pub struct NoFit {
    pub reason: &'static str,
    pub closest: Option<usize>,
}

impl NoFit {
    /// The tail of ECS's "unable to place a task" service event.
    pub fn event_detail(&self, instances: &[Instance]) -> String {
        let id = self
            .closest
            .and_then(|i| instances.get(i))
            .map(|i| i.id.as_str())
            .unwrap_or("");
        match self.reason {
            "RESOURCE:CPU" => format!("The closest matching container-instance {id} has insufficient CPU units available. For more information, see the Troubleshooting section."),
            "RESOURCE:MEMORY" => format!("The closest matching container-instance {id} has insufficient memory available. For more information, see the Troubleshooting section."),
            "RESOURCE:PORTS" => format!("The closest matching container-instance {id} is already using a port required by your task. For more information, see the Troubleshooting section."),
            "AGENT" => format!("The closest matching container-instance {id} encountered error \"AGENT\". For more information, see the Troubleshooting section."),
            "DistinctInstance" => format!("The closest matching container-instance {id} is already running a task of the same group. For more information, see the Troubleshooting section."),
            "MissingAttribute" | "MemberOf" => format!("The closest matching container-instance {id} is missing an attribute required by your task. For more information, see the Troubleshooting section."),
            _ => "Reason: No Container Instances were found in your cluster. For more information, see the Troubleshooting section.".to_string(),
        }
    }
}

/// A lexicographic placement score, lower is better; fixed size so scoring
/// thousands of instances allocates nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    parts: [i64; 8],
    len: usize,
}

impl Key {
    fn push(&mut self, value: i64) {
        if let Some(slot) = self.parts.get_mut(self.len) {
            *slot = value;
            self.len += 1;
        }
    }
}

/// A batch placer: candidates are fixed when it is built.
pub struct Placer {
    need: Need,
    candidates: Vec<usize>,
    group_counts: Vec<u32>,
    zone_of: Vec<usize>,
    zone_counts: Vec<u32>,
    /// Instances that exist but cannot take the task whatever the resources.
    static_misfit: Option<NoFit>,
    /// For the default service placement (no strategies): per zone, the
    /// candidates ordered by (tasks of the group, candidate), so a placement
    /// looks at a few instances instead of all of them.
    by_zone: Option<Vec<BTreeSet<(u32, usize)>>>,
}

impl Placer {
    pub fn new(instances: &[Instance], cluster: usize, need: Need) -> Placer {
        let mut candidates = Vec::new();
        let mut static_misfit = None;
        let mut zones: Vec<&str> = Vec::new();
        let mut zone_of = Vec::new();
        let mut group_counts = Vec::new();
        let mut any_in_cluster = false;
        let queries: Vec<Option<crate::place::query::Query>> =
            need.member_of.iter().map(|e| compile(e)).collect();
        for (index, instance) in instances.iter().enumerate() {
            if instance.cluster != cluster || instance.terminated {
                continue;
            }
            if let Some(cp) = &need.capacity_provider {
                if instance.capacity_provider.as_ref() != Some(cp) {
                    continue;
                }
            }
            any_in_cluster = true;
            if instance.status != "ACTIVE" {
                continue;
            }
            if !instance.agent_connected {
                static_misfit.get_or_insert(NoFit {
                    reason: "AGENT",
                    closest: Some(index),
                });
                continue;
            }
            let view = InstanceView(instance);
            if !queries
                .iter()
                .all(|q| q.as_ref().is_some_and(|q| q.matches(&view)))
            {
                static_misfit.get_or_insert(NoFit {
                    reason: "MemberOf",
                    closest: Some(index),
                });
                continue;
            }
            let zone = match zones.iter().position(|z| *z == instance.availability_zone) {
                Some(z) => z,
                None => {
                    zones.push(&instance.availability_zone);
                    zones.len() - 1
                }
            };
            candidates.push(index);
            zone_of.push(zone);
            group_counts.push(instance.group_counts.get(&need.group).copied().unwrap_or(0));
        }
        let mut zone_counts = vec![0u32; zones.len()];
        for (k, z) in zone_of.iter().enumerate() {
            if let (Some(slot), Some(count)) = (zone_counts.get_mut(*z), group_counts.get(k)) {
                *slot += count;
            }
        }
        if !any_in_cluster {
            static_misfit = Some(NoFit {
                reason: "MISSING",
                closest: None,
            });
        }
        let by_zone = (need.strategies.is_empty()).then(|| {
            let mut by_zone = vec![BTreeSet::new(); zone_counts.len()];
            for (k, z) in zone_of.iter().enumerate() {
                if let Some(set) = by_zone.get_mut(*z) {
                    set.insert((group_counts.get(k).copied().unwrap_or(0), k));
                }
            }
            by_zone
        });
        Placer {
            need,
            candidates,
            group_counts,
            zone_of,
            zone_counts,
            static_misfit,
            by_zone,
        }
    }

    /// Whether the instance can take the task now, or the first check failed.
    fn fits(&self, instance: &Instance, group_count: u32) -> Result<(), (&'static str, u8)> {
        if instance.cpu.saturating_sub(instance.used_cpu) < self.need.cpu {
            return Err(("RESOURCE:CPU", 1));
        }
        if instance.memory.saturating_sub(instance.used_memory) < self.need.memory {
            return Err(("RESOURCE:MEMORY", 2));
        }
        if self
            .need
            .host_ports
            .iter()
            .any(|p| instance.used_ports.contains(p) || DEFAULT_RESERVED_PORTS.contains(p))
        {
            return Err(("RESOURCE:PORTS", 3));
        }
        if self.need.distinct_instance && group_count > 0 {
            return Err(("DistinctInstance", 4));
        }
        Ok(())
    }

    /// Picks an instance for one task (and counts it), or says why none fits.
    /// The caller must then commit the task's resources to the instance.
    pub fn place_one(&mut self, instances: &[Instance], random: u64) -> Result<usize, NoFit> {
        if let Some(k) = self.fast_choice(instances) {
            return Ok(self.commit(k));
        }
        let mut best: Option<(Key, usize)> = None;
        let mut closest: Option<(u8, usize)> = None;
        for k in 0..self.candidates.len() {
            let Some(index) = self.candidates.get(k).copied() else {
                continue;
            };
            let Some(instance) = instances.get(index) else {
                continue;
            };
            let group_count = self.group_counts.get(k).copied().unwrap_or(0);
            match self.fits(instance, group_count) {
                Ok(()) => {
                    let key = self.key(instance, k, group_count, random);
                    let better = match &best {
                        None => true,
                        Some((best_key, _)) => key < *best_key,
                    };
                    if better {
                        best = Some((key, k));
                    }
                }
                Err((reason, depth)) => {
                    if closest.is_none_or(|(d, _)| depth > d) {
                        closest = Some((depth, k));
                        let _ = reason;
                    }
                }
            }
        }
        match best {
            Some((_, k)) => Ok(self.commit(k)),
            None => {
                if let Some((_, k)) = closest {
                    let index = self.candidates.get(k).copied().unwrap_or(0);
                    let group_count = self.group_counts.get(k).copied().unwrap_or(0);
                    let reason = instances
                        .get(index)
                        .and_then(|i| self.fits(i, group_count).err())
                        .map_or("RESOURCE:CPU", |(r, _)| r);
                    return Err(NoFit {
                        reason,
                        closest: Some(index),
                    });
                }
                Err(self.static_misfit.clone().unwrap_or(NoFit {
                    reason: "MISSING",
                    closest: None,
                }))
            }
        }
    }

    /// The default placement's choice without scoring every instance: the
    /// same answer as the full scan (lowest zone count, then fewest tasks of
    /// the group, then candidate order). `None` when nothing fits, so the
    /// full scan can explain why.
    fn fast_choice(&self, instances: &[Instance]) -> Option<usize> {
        let by_zone = self.by_zone.as_ref()?;
        let mut zones: Vec<usize> = (0..by_zone.len()).collect();
        zones.sort_by_key(|z| (self.zone_counts.get(*z).copied().unwrap_or(0), *z));
        let mut level: Option<u32> = None;
        let mut best: Option<(u32, usize)> = None;
        for z in zones {
            let count = self.zone_counts.get(z).copied().unwrap_or(0);
            if best.is_some() && level != Some(count) {
                break;
            }
            level = Some(count);
            let first_fit = by_zone.get(z)?.iter().find(|(group_count, k)| {
                let instance = self.candidates.get(*k).and_then(|i| instances.get(*i));
                instance.is_some_and(|i| self.fits(i, *group_count).is_ok())
            });
            if let Some(&(group_count, k)) = first_fit {
                if best.is_none_or(|b| (group_count, k) < b) {
                    best = Some((group_count, k));
                }
            }
        }
        best.map(|(_, k)| k)
    }

    /// Counts a placement on candidate `k`; returns the instance index.
    fn commit(&mut self, k: usize) -> usize {
        if let Some(c) = self.group_counts.get_mut(k) {
            if let Some(z) = self.zone_of.get(k) {
                if let Some(set) = self.by_zone.as_mut().and_then(|b| b.get_mut(*z)) {
                    set.remove(&(*c, k));
                    set.insert((*c + 1, k));
                }
            }
            *c += 1;
        }
        if let Some(z) = self
            .zone_of
            .get(k)
            .and_then(|z| self.zone_counts.get_mut(*z))
        {
            *z += 1;
        }
        self.candidates.get(k).copied().unwrap_or(0)
    }

    /// Lower is better.
    fn key(&self, instance: &Instance, k: usize, group_count: u32, random: u64) -> Key {
        let zone_count = self
            .zone_of
            .get(k)
            .and_then(|z| self.zone_counts.get(*z))
            .copied()
            .unwrap_or(0);
        let mut key = Key::default();
        for (kind, field) in &self.need.strategies {
            match (kind.as_str(), field.to_ascii_lowercase().as_str()) {
                ("binpack", "cpu") => {
                    key.push(i64::from(instance.cpu.saturating_sub(instance.used_cpu)))
                }
                ("binpack", _) => key.push(i64::from(
                    instance.memory.saturating_sub(instance.used_memory),
                )),
                ("spread", "instanceid" | "host") => key.push(i64::from(group_count)),
                // Other attributes are approximated by the zone spread.
                ("spread", _) => key.push(i64::from(zone_count)),
                ("random", _) => key.push((mix(random, k as u64) >> 1) as i64),
                _ => {}
            }
        }
        if self.need.balance_zones || self.need.strategies.is_empty() {
            key.push(i64::from(zone_count));
            key.push(i64::from(group_count));
        }
        key
    }

    /// Undoes the count of a placement whose task was then not created.
    pub fn is_empty(&self) -> bool {
        self.candidates.is_empty()
    }
}

fn mix(seed: u64, n: u64) -> u64 {
    let mut z = seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z ^ (z >> 31)
}

/// Whether an instance satisfies a cluster-query-language expression, with
/// the placement engine's parser and evaluator. An expression that does not
/// parse matches nothing (request validation reports it first).
pub fn matches_expression(instance: &Instance, expression: &str) -> bool {
    crate::place::query::parse(expression).is_ok_and(|q| q.matches(&InstanceView(instance)))
}

/// A compiled memberOf expression, parsed once per placement batch.
pub fn compile(expression: &str) -> Option<crate::place::query::Query> {
    crate::place::query::parse(expression).ok()
}

/// The simulator's instance seen by the query evaluator.
pub struct InstanceView<'a>(pub &'a Instance);

impl crate::place::query::QueryContext for InstanceView<'_> {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.0.attributes.get(name).map(String::as_str)
    }
    fn ec2_instance_id(&self) -> Option<&str> {
        Some(&self.0.ec2_instance_id)
    }
    fn agent_connected(&self) -> bool {
        self.0.agent_connected
    }
    fn agent_version(&self) -> &str {
        "1.89.0"
    }
    fn registered_at(&self) -> i64 {
        i64::try_from(self.0.registered_at / 1000).unwrap_or(0)
    }
    fn running_tasks_count(&self) -> u32 {
        self.0.tasks.len() as u32
    }
    fn any_task_group(&self, test: &mut dyn FnMut(&str) -> bool) -> bool {
        self.0.group_counts.keys().any(|g| test(g))
    }
}

/// Which provider of a strategy the next task goes to, given how many tasks
/// each already has: the placement engine's base-then-weight split (A4).
pub fn next_provider(strategy: &[StrategyItem], placed: &[u32]) -> Option<usize> {
    crate::place::capacity::next_provider(&provider_items(strategy), placed)
}

pub fn provider_items(strategy: &[StrategyItem]) -> Vec<crate::place::capacity::ProviderItem> {
    strategy
        .iter()
        .map(|i| crate::place::capacity::ProviderItem::new(&i.capacity_provider, i.base, i.weight))
        .collect()
}

/// The strategy rules AWS enforces before placing anything.
pub fn validate_strategy(strategy: &[StrategyItem]) -> Result<(), super::AwsError> {
    crate::place::capacity::validate(&provider_items(strategy), None)
        .map_err(super::AwsError::invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(name: &str, base: u32, weight: u32) -> StrategyItem {
        StrategyItem {
            capacity_provider: name.into(),
            weight,
            base,
        }
    }

    #[test]
    fn base_then_weight_split() {
        // The Spot Workshop example: base 2 weight 1 on-demand, weight 3 spot.
        let strategy = [item("od", 2, 1), item("spot", 0, 3)];
        let mut placed = [0u32, 0];
        let mut order = Vec::new();
        for _ in 0..10 {
            let i = next_provider(&strategy, &placed).unwrap();
            placed[i] += 1;
            order.push(i);
        }
        assert_eq!(&order[..2], &[0, 0]);
        assert_eq!(placed, [4, 6]);
        let even = [item("a", 0, 1), item("b", 0, 1)];
        let mut placed = [0u32, 0];
        for _ in 0..6 {
            let i = next_provider(&even, &placed).unwrap();
            placed[i] += 1;
        }
        assert_eq!(placed, [3, 3]);
        assert_eq!(
            next_provider(&[item("a", 0, 0), item("b", 0, 0)], &[0, 0]),
            None
        );
    }
}
