//! The placement pipeline: which container instance a task goes to, and why.
//!
//! [`PIPELINE`] is the one place the order of checks lives. A [`Placer`]
//! places many tasks of one request (a service or a RunTask) quickly by
//! keeping, per instance, the result of the pipeline (its verdict) and, per
//! group and attribute value, task counts; after a placement only the chosen
//! instance is re-evaluated. [`Placer::explain`] produces the full trace of
//! the next decision on demand; it makes the same choice as
//! [`Placer::place_one`] because both draw from the same seeded generator state
//! and order tied candidates the same way (registration order).
//!
//! Strategies combine lexicographically (an INFERENCE; AWS does not document
//! it): the first strategy keeps only the candidates tied at its best score,
//! the next ranks those, and so on. `random` ends the chain: it, or any tie
//! left at the end, is resolved by one uniform draw from the seeded generator.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use super::cluster::{Cluster, ContainerInstance, InstanceStatus, MAX_RESERVED_PORTS};
use super::query::{parse as parse_query, Query};
use super::requirements::TaskRequirements;
use super::rng::SplitMix64;
use super::strategy::{
    chain_to_string, BinpackField, PlacementConstraint, PlacementStrategy, SpreadField,
    MAX_CONSTRAINTS, MAX_STRATEGIES,
};
use super::trace::{
    CandidateScore, CandidateTrace, CheckOutcome, PlacementCounters, PlacementDecision,
    PlacementFailure, StrategyStep, TieBreak,
};
use crate::text::Span;

/// One check of the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Check {
    CapacityProvider,
    Status,
    Agent,
    Cpu,
    Memory,
    Gpu,
    Ports,
    Eni,
    Attributes,
    DistinctInstance,
    MemberOf,
}

/// The pipeline, in order. Why each step sits where it does:
pub const PIPELINE: [Check; 11] = [
    // A task launched through an Auto Scaling group capacity provider may use
    // only that provider's instances: the others are a different pool, not
    // candidates at all, so this comes before anything is reported about them.
    Check::CapacityProvider,
    // A DRAINING instance is outside the candidate set altogether: ECS starts
    // no new tasks on it, so it must never be reported as the closest match.
    Check::Status,
    // A disconnected agent cannot start anything whatever its resources
    // (RunTask reason AGENT); it is a property of the instance, not the task.
    Check::Agent,
    // Step 1 of the documented order: CPU, GPU, memory and ports. CPU and
    // memory come first because they are what most placements run out of and
    // what the service event names ("insufficient memory").
    Check::Cpu,
    Check::Memory,
    Check::Gpu,
    Check::Ports,
    // awsvpc's ENI attachment points are a resource too (RESOURCE:ENI).
    Check::Eni,
    // requiresAttributes: the replica scheduler filters "on CPU, memory, ports
    // and attributes" before constraints.
    Check::Attributes,
    // Step 2 of the documented order: placement constraints, binding. Last
    // because they are the costliest (query evaluation) and because a
    // resource shortfall is the more useful thing to report.
    Check::DistinctInstance,
    Check::MemberOf,
];

const CHECKS: usize = PIPELINE.len();
/// The verdict of an instance that passes every check.
const PASS: u8 = CHECKS as u8;

impl Check {
    pub fn name(self) -> &'static str {
        match self {
            Check::CapacityProvider => "capacityProvider",
            Check::Status => "status",
            Check::Agent => "agent",
            Check::Cpu => "cpu",
            Check::Memory => "memory",
            Check::Gpu => "gpu",
            Check::Ports => "ports",
            Check::Eni => "eni",
            Check::Attributes => "attributes",
            Check::DistinctInstance => "distinctInstance",
            Check::MemberOf => "memberOf",
        }
    }

    /// The RunTask `failures[].reason` (ecs-semantics A1). RESOURCE:GPU is
    /// presumed (UNCERTAIN); DRAINING and CAPACITY_PROVIDER are the
    /// simulator's own words.
    pub fn failure_reason(self) -> &'static str {
        match self {
            Check::CapacityProvider => "CAPACITY_PROVIDER",
            Check::Status => "DRAINING",
            Check::Agent => "AGENT",
            Check::Cpu => "RESOURCE:CPU",
            Check::Memory => "RESOURCE:MEMORY",
            Check::Gpu => "RESOURCE:GPU",
            Check::Ports => "RESOURCE:PORTS",
            Check::Eni => "RESOURCE:ENI",
            Check::Attributes => "ATTRIBUTE",
            Check::DistinctInstance => "DistinctInstance placement constraint unsatisfied.",
            Check::MemberOf => "MemberOf placement constraint unsatisfied.",
        }
    }

    /// The end of the service event sentence about the closest match.
    fn event_phrase(self, port_limit: bool) -> &'static str {
        match self {
            Check::CapacityProvider => "belongs to another capacity provider.",
            Check::Status => "is DRAINING, and ECS places no new tasks on a draining instance.",
            Check::Agent => "encountered error \"AGENT\": its container agent is disconnected.",
            Check::Cpu => "has insufficient CPU units available.",
            Check::Memory => "has insufficient memory available.",
            Check::Gpu => "encountered error \"RESOURCE:GPU\": it has too few GPUs available.",
            Check::Ports if port_limit => "has reached the maximum allowed reserved port limit of 100 host ports per container instance.",
            Check::Ports => "is already using a port required by your task.",
            Check::Eni => "encountered error \"RESOURCE:ENI\": not enough available ENI attachment points.",
            Check::Attributes => "is missing an attribute required by your task.",
            Check::DistinctInstance => "encountered error \"DistinctInstance placement constraint unsatisfied.\"",
            Check::MemberOf => "encountered error \"MemberOf placement constraint unsatisfied.\"",
        }
    }
}

const SERVICE_EVENT: &str =
    "was unable to place a task because no container instance met all of its requirements.";

/// What to place: one task's needs, its group and the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacementRequest {
    pub requirements: TaskRequirements,
    /// `service:NAME` for service tasks, `family:NAME` by default for
    /// standalone tasks: the set that spread and distinctInstance count.
    pub group: String,
    /// Constraints of the request (RunTask, CreateService); the task
    /// definition's memberOf expressions come from `requirements.member_of`.
    pub constraints: Vec<PlacementConstraint>,
    pub strategies: Vec<PlacementStrategy>,
    /// The Auto Scaling group capacity provider chosen for this task (see
    /// `capacity::next_provider`); `None` for a launch type.
    pub capacity_provider: Option<String>,
}

impl PlacementRequest {
    /// A service's task: group `service:NAME`, the service default strategy
    /// when none is given.
    pub fn service(name: &str, requirements: TaskRequirements) -> PlacementRequest {
        PlacementRequest {
            requirements,
            group: format!("service:{name}"),
            constraints: Vec::new(),
            strategies: PlacementStrategy::service_default(),
            capacity_provider: None,
        }
    }

    /// A standalone task: group `family:FAMILY`, random placement.
    pub fn run_task(requirements: TaskRequirements) -> PlacementRequest {
        PlacementRequest {
            group: format!("family:{}", requirements.family),
            requirements,
            constraints: Vec::new(),
            strategies: PlacementStrategy::run_task_default(),
            capacity_provider: None,
        }
    }
}

/// A request ECS would refuse before placing anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlacementError {
    pub message: String,
}

/// What each decision records, always: the counters and the outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DecisionRecord {
    /// Index of the chosen instance in the cluster.
    pub chosen: Option<u32>,
    pub counters: PlacementCounters,
    /// Candidates tied when the seeded draw decided (1 = no draw).
    pub tied: u32,
    /// The first check the closest match failed, when nothing fit.
    pub closest_failed: Option<Check>,
}

/// Task counts of the group per value of one spread attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SpreadIndex {
    value_of: Vec<u32>,
    values: Vec<String>,
    counts: Vec<u32>,
}

/// The passing instances of one bucket (a value of the leading spread
/// attribute, or the whole cluster) by the indexed strategy's key, each key's
/// instances sorted in registration order, so the tied ones are a slice.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Bucket {
    by_key: BTreeMap<u32, Vec<u32>>,
}

impl Bucket {
    fn insert(&mut self, key: u32, i: u32) {
        let run = self.by_key.entry(key).or_default();
        if let Err(at) = run.binary_search(&i) {
            run.insert(at, i);
        }
    }

    fn remove(&mut self, key: u32, i: u32) {
        let Some(run) = self.by_key.get_mut(&key) else {
            return;
        };
        if let Ok(at) = run.binary_search(&i) {
            run.remove(at);
        }
        if run.is_empty() {
            self.by_key.remove(&key);
        }
    }

    fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    fn lowest_key(&self) -> Option<u32> {
        self.by_key.keys().next().copied()
    }

    fn with_key(&self, key: u32) -> &[u32] {
        self.by_key.get(&key).map_or(&[], Vec::as_slice)
    }
}

/// The `k`-th (from 0) of the instances in `runs`, each sorted and none
/// shared, in registration order: the smallest index with more than `k` of
/// them at or below it.
fn nth_in_runs(runs: &[&[u32]], k: usize) -> Option<u32> {
    match runs {
        [] => None,
        [run] => run.get(k).copied(),
        _ => {
            let at_or_below = |x: u32| -> usize {
                runs.iter()
                    .map(|run| run.partition_point(|&i| i <= x))
                    .sum()
            };
            let (mut low, mut high) = (
                runs.iter().filter_map(|run| run.first()).min().copied()?,
                runs.iter().filter_map(|run| run.last()).max().copied()?,
            );
            while low < high {
                let mid = low + (high - low) / 2;
                if at_or_below(mid) > k {
                    high = mid;
                } else {
                    low = mid + 1;
                }
            }
            (at_or_below(low) > k).then_some(low)
        }
    }
}

/// What a [`Placer`] knows of a cluster for one request: every instance's
/// verdict, the group's counts, the strategies' indexes. The simulator keeps
/// it between batches ([`Placer::into_index`], [`Placer::resume`]) so that a
/// call costs what changed since the last one, not the size of the cluster.
#[derive(Debug, Clone)]
pub struct PlacerIndex {
    request: PlacementRequest,
    member_of: Vec<Query>,
    distinct: bool,
    /// Per instance: index into PIPELINE of the first failed check, or PASS.
    verdicts: Vec<u8>,
    verdict_counts: [u32; CHECKS + 1],
    /// Per instance: live tasks of the request's group.
    group_on_instance: Vec<u32>,
    /// Per instance: the memberOf query that is false and its false clause,
    /// kept so each instance's queries run once per change, not per decision.
    member_of_blame: Vec<Option<(u32, Span)>>,
    /// Per strategy position: its spread index, for spread(attribute:…).
    spread_of: Vec<Option<SpreadIndex>>,
    /// Strategies that count: up to and including the first `random`.
    chain_end: usize,
    /// Whether strategy 0 is spread(attribute:…): its values are the buckets.
    lead_spread: bool,
    /// The strategy whose score orders each bucket's index, if any.
    index_strategy: Option<usize>,
    /// Per bucket: passing instances by index key.
    buckets: Vec<Bucket>,
    bucket_of: Vec<u32>,
    index_key: Vec<u32>,
    /// When every passing instance is a candidate (no strategy ranks them:
    /// random placement), a Fenwick tree over the instances counting those
    /// that pass, so the seeded draw finds its instance without listing the
    /// candidates; empty otherwise.
    passing: Vec<u32>,
}

impl PlacerIndex {
    /// The request this index answers.
    pub fn request(&self) -> &PlacementRequest {
        &self.request
    }

    /// How many instances it was built for.
    pub fn instance_count(&self) -> usize {
        self.verdicts.len()
    }

    /// The same knowledge as `other` (the parsed queries aside, which follow
    /// from the request): what an incrementally kept index must equal a
    /// freshly built one on.
    pub fn same_as(&self, other: &PlacerIndex) -> bool {
        self.request == other.request
            && self.distinct == other.distinct
            && self.verdicts == other.verdicts
            && self.verdict_counts == other.verdict_counts
            && self.group_on_instance == other.group_on_instance
            && self.member_of_blame == other.member_of_blame
            && self.spread_of == other.spread_of
            && self.chain_end == other.chain_end
            && self.lead_spread == other.lead_spread
            && self.index_strategy == other.index_strategy
            && self.buckets == other.buckets
            && self.bucket_of == other.bucket_of
            && self.live_keys().eq(other.live_keys())
            && self.passing == other.passing
    }

    /// The index keys of passing instances (a failing instance's key is a
    /// leftover nothing reads).
    fn live_keys(&self) -> impl Iterator<Item = Option<u32>> + '_ {
        self.verdicts
            .iter()
            .zip(&self.index_key)
            .map(|(&verdict, &key)| (verdict == PASS).then_some(key))
    }
}

/// Places tasks of one request onto a cluster, incrementally: its index
/// (kept between batches) and what one batch adds.
pub struct Placer<'c> {
    cluster: &'c mut Cluster,
    index: PlacerIndex,
    rng: SplitMix64,
    records: Vec<DecisionRecord>,
    scratch: Vec<u32>,
    /// Instances this placer changed (tasks started or stopped on them), for
    /// the other indexes kept of the same cluster.
    touched: Vec<u32>,
}

impl<'c> Placer<'c> {
    /// Validates the request (limits of 10 constraints and 5 strategies,
    /// parseable queries), then evaluates the pipeline once per instance.
    pub fn new(
        cluster: &'c mut Cluster,
        request: PlacementRequest,
        seed: u64,
    ) -> Result<Placer<'c>, PlacementError> {
        let fail = |message: String| Err(PlacementError { message });
        let constraint_count = request.constraints.len() + request.requirements.member_of.len();
        if constraint_count > MAX_CONSTRAINTS {
            return fail(format!(
                "{constraint_count} placement constraints: a task may have at most {MAX_CONSTRAINTS}, counting the task definition's and the request's together"
            ));
        }
        if request.strategies.len() > MAX_STRATEGIES {
            return fail(format!(
                "{} placement strategy rules: at most {MAX_STRATEGIES} are allowed",
                request.strategies.len()
            ));
        }
        let mut member_of = Vec::new();
        let expressions =
            request
                .requirements
                .member_of
                .iter()
                .chain(request.constraints.iter().filter_map(|c| match c {
                    PlacementConstraint::MemberOf(e) => Some(e),
                    PlacementConstraint::DistinctInstance => None,
                }));
        for expression in expressions {
            match parse_query(expression) {
                Ok(query) => member_of.push(query),
                Err(err) => return fail(format!("memberOf expression `{expression}`: {err}")),
            }
        }
        let distinct = request
            .constraints
            .contains(&PlacementConstraint::DistinctInstance);
        let chain_end = request
            .strategies
            .iter()
            .position(|s| *s == PlacementStrategy::Random)
            .map_or(request.strategies.len(), |p| p + 1);
        let n = cluster.instances.len();
        let group_on_instance: Vec<u32> = cluster
            .instances
            .iter()
            .map(|i| i.group_count(&request.group))
            .collect();
        let spread_of: Vec<Option<SpreadIndex>> = request
            .strategies
            .iter()
            .map(|s| match s {
                PlacementStrategy::Spread(SpreadField::Attribute(name)) => {
                    Some(spread_index(&cluster.instances, name, &group_on_instance))
                }
                _ => None,
            })
            .collect();
        let lead_spread = chain_end > 0 && spread_of.first().is_some_and(Option::is_some);
        let first_ranked = usize::from(lead_spread);
        let index_strategy = request
            .strategies
            .get(first_ranked)
            .filter(|_| first_ranked < chain_end)
            .filter(|s| {
                matches!(
                    s,
                    PlacementStrategy::Binpack(_)
                        | PlacementStrategy::Spread(SpreadField::Instance)
                )
            })
            .map(|_| first_ranked);
        let (bucket_of, bucket_count) = match spread_of
            .first()
            .and_then(Option::as_ref)
            .filter(|_| lead_spread)
        {
            Some(index) => (index.value_of.clone(), index.values.len()),
            None => (vec![0; n], 1),
        };
        let index = PlacerIndex {
            request,
            member_of,
            distinct,
            verdicts: vec![0; n],
            verdict_counts: [0; CHECKS + 1],
            group_on_instance,
            member_of_blame: vec![None; n],
            spread_of,
            chain_end,
            lead_spread,
            index_strategy,
            buckets: vec![Bucket::default(); bucket_count.max(1)],
            bucket_of,
            index_key: vec![0; n],
            passing: if index_strategy.is_none() && !lead_spread {
                vec![0; n + 1]
            } else {
                Vec::new()
            },
        };
        let mut placer = Placer::with_index(cluster, index, seed);
        for i in 0..n {
            placer.evaluate_member_of(i);
            let verdict = placer.verdict(i);
            placer.index.verdicts[i] = verdict;
            placer.index.verdict_counts[usize::from(verdict)] += 1;
            if verdict == PASS {
                placer.index_insert(i);
            }
        }
        Ok(placer)
    }

    /// A placer over `cluster` from an index kept since an earlier batch of
    /// the same request, after re-evaluating the instances that changed
    /// since (`changed`, duplicates allowed). The cluster back when the
    /// index no longer fits it (instances joined or left): build anew.
    pub fn resume(
        cluster: &'c mut Cluster,
        index: PlacerIndex,
        changed: &[u32],
        seed: u64,
    ) -> Result<Placer<'c>, &'c mut Cluster> {
        if index.instance_count() != cluster.instances.len() {
            return Err(cluster);
        }
        let mut placer = Placer::with_index(cluster, index, seed);
        let mut seen = vec![false; placer.index.verdicts.len()];
        for &i in changed {
            if let Some(flag) = seen.get_mut(i as usize) {
                if !*flag {
                    *flag = true;
                    placer.instance_changed(i as usize);
                }
            }
        }
        Ok(placer)
    }

    /// A copy of the index as it stands (for the test that compares a kept
    /// index with a fresh one).
    #[cfg(test)]
    pub(crate) fn index_snapshot(&self) -> PlacerIndex {
        self.index.clone()
    }

    /// Ends the batch: the index to keep for the next batch of the same
    /// request, and the instances this placer changed.
    pub fn into_index(self) -> (PlacerIndex, Vec<u32>) {
        (self.index, self.touched)
    }

    /// A placer with `index` (built or kept) and nothing placed yet.
    fn with_index(cluster: &'c mut Cluster, index: PlacerIndex, seed: u64) -> Placer<'c> {
        Placer {
            cluster,
            index,
            rng: SplitMix64::new(seed),
            records: Vec::new(),
            scratch: Vec::new(),
            touched: Vec::new(),
        }
    }

    pub fn cluster(&self) -> &Cluster {
        self.cluster
    }

    pub fn records(&self) -> &[DecisionRecord] {
        &self.records
    }

    pub fn request(&self) -> &PlacementRequest {
        &self.index.request
    }

    fn instance(&self, i: usize) -> Option<&ContainerInstance> {
        self.cluster.instances.get(i)
    }

    /// Whether instance `i` passes `check` for this request.
    fn passes(&self, check: Check, i: usize) -> bool {
        let Some(instance) = self.instance(i) else {
            return false;
        };
        let needs = &self.index.request.requirements;
        match check {
            Check::CapacityProvider => match &self.index.request.capacity_provider {
                Some(provider) => instance.capacity_provider.as_ref() == Some(provider),
                None => true,
            },
            Check::Status => instance.status == InstanceStatus::Active,
            Check::Agent => instance.agent_connected,
            Check::Cpu => needs.cpu <= instance.free_cpu(),
            Check::Memory => needs.memory <= instance.free_memory(),
            Check::Gpu => needs.gpus <= instance.free_gpus(),
            Check::Ports => port_problem(instance, needs).is_none(),
            Check::Eni => needs.network_mode != "awsvpc" || instance.free_enis() >= 1,
            Check::Attributes => needs.requires_attributes.iter().all(|(name, value)| {
                match (instance.attribute_value(name), value) {
                    (Some(have), Some(want)) => have == want,
                    (Some(_), None) => true,
                    (None, _) => false,
                }
            }),
            Check::DistinctInstance => {
                !self.index.distinct
                    || self.index.group_on_instance.get(i).copied().unwrap_or(0) == 0
            }
            Check::MemberOf => self
                .index
                .member_of_blame
                .get(i)
                .is_some_and(Option::is_none),
        }
    }

    fn evaluate_member_of(&mut self, i: usize) {
        let Some(instance) = self.cluster.instances.get(i) else {
            return;
        };
        let blame = self
            .index
            .member_of
            .iter()
            .enumerate()
            .find_map(|(k, q)| q.false_span(instance).map(|span| (k as u32, span)));
        if let Some(slot) = self.index.member_of_blame.get_mut(i) {
            *slot = blame;
        }
    }

    fn verdict(&self, i: usize) -> u8 {
        PIPELINE
            .iter()
            .position(|&check| !self.passes(check, i))
            .map_or(PASS, |p| p as u8)
    }

    /// The score of instance `i` under strategy `position`; lower is better.
    fn score(&self, position: usize, i: usize) -> u64 {
        let Some(instance) = self.instance(i) else {
            return u64::MAX;
        };
        match self.index.request.strategies.get(position) {
            Some(PlacementStrategy::Spread(SpreadField::Attribute(_))) => self
                .index
                .spread_of
                .get(position)
                .and_then(Option::as_ref)
                .and_then(|index| {
                    let value = index.value_of.get(i)?;
                    index.counts.get(*value as usize)
                })
                .map_or(0, |&c| u64::from(c)),
            Some(PlacementStrategy::Spread(SpreadField::Instance)) => {
                u64::from(self.index.group_on_instance.get(i).copied().unwrap_or(0))
            }
            Some(PlacementStrategy::Binpack(BinpackField::Cpu)) => u64::from(
                instance
                    .free_cpu()
                    .saturating_sub(self.index.request.requirements.cpu),
            ),
            Some(PlacementStrategy::Binpack(BinpackField::Memory)) => u64::from(
                instance
                    .free_memory()
                    .saturating_sub(self.index.request.requirements.memory),
            ),
            Some(PlacementStrategy::Random) | None => 0,
        }
    }

    fn index_entry(&self, i: usize) -> (usize, u32) {
        let bucket = self.index.bucket_of.get(i).copied().unwrap_or(0) as usize;
        let key = self.index.index_key.get(i).copied().unwrap_or(0);
        (bucket, key)
    }

    fn index_insert(&mut self, i: usize) {
        let key = self
            .index
            .index_strategy
            .map_or(0, |p| u32::try_from(self.score(p, i)).unwrap_or(u32::MAX));
        if let Some(slot) = self.index.index_key.get_mut(i) {
            *slot = key;
        }
        let (bucket, key) = self.index_entry(i);
        if let Some(set) = self.index.buckets.get_mut(bucket) {
            set.insert(key, i as u32);
        }
        self.count_passing(i, true);
    }

    /// Adds or removes instance `i` in the Fenwick tree of passing ones.
    fn count_passing(&mut self, i: usize, passes: bool) {
        let mut at = i + 1;
        while let Some(node) = self.index.passing.get_mut(at) {
            *node = if passes {
                *node + 1
            } else {
                node.saturating_sub(1)
            };
            at += at & at.wrapping_neg();
        }
    }

    /// The `k`-th passing instance (from 0) in registration order.
    fn nth_passing(&self, mut k: u32) -> Option<u32> {
        let n = self.index.passing.len().checked_sub(1)?;
        let mut at = 0;
        let mut step = n.checked_next_power_of_two()?;
        while step > 0 {
            if let Some(&count) = self.index.passing.get(at + step) {
                if count <= k {
                    at += step;
                    k -= count;
                }
            }
            step /= 2;
        }
        (at < n).then_some(at as u32)
    }

    /// Re-evaluates one instance after it changed (a task placed on it or
    /// stopped, its status or agent changed).
    fn refresh(&mut self, i: usize) {
        let Some(&old) = self.index.verdicts.get(i) else {
            return;
        };
        if old == PASS {
            let (bucket, key) = self.index_entry(i);
            if let Some(set) = self.index.buckets.get_mut(bucket) {
                set.remove(key, i as u32);
            }
            self.count_passing(i, false);
        }
        self.evaluate_member_of(i);
        let new = self.verdict(i);
        self.index.verdict_counts[usize::from(old)] -= 1;
        self.index.verdict_counts[usize::from(new)] += 1;
        self.index.verdicts[i] = new;
        if new == PASS {
            self.index_insert(i);
        }
    }

    /// Tell the placer that instance `i` changed outside it (a task of it
    /// began stopping, it started draining…): recounts its group tasks and
    /// re-evaluates it.
    pub fn instance_changed(&mut self, i: usize) {
        let Some(now) = self
            .instance(i)
            .map(|inst| inst.group_count(&self.index.request.group))
        else {
            return;
        };
        let before = self.index.group_on_instance.get(i).copied().unwrap_or(0);
        for index in self.index.spread_of.iter_mut().flatten() {
            if let Some(count) = index
                .value_of
                .get(i)
                .and_then(|&v| index.counts.get_mut(v as usize))
            {
                *count = count.saturating_add(now).saturating_sub(before);
            }
        }
        if let Some(slot) = self.index.group_on_instance.get_mut(i) {
            *slot = now;
        }
        self.refresh(i);
    }

    /// A task of the cluster moves to STOPPING (its resources are freed at
    /// once with agent 1.73.0 or later); the placer re-evaluates its instance.
    pub fn stop_task(&mut self, task: u64) -> bool {
        let Some(i) = self.instance_of_task(task) else {
            return false;
        };
        let stopped = self.cluster.begin_stopping(task);
        self.touched.push(i as u32);
        self.instance_changed(i);
        stopped
    }

    /// A task is STOPPED and leaves its instance.
    pub fn task_stopped(&mut self, task: u64) -> bool {
        let Some(i) = self.instance_of_task(task) else {
            return false;
        };
        let removed = self.cluster.finish_stopped(task);
        self.touched.push(i as u32);
        self.instance_changed(i);
        removed
    }

    fn instance_of_task(&self, task: u64) -> Option<usize> {
        self.cluster
            .instances
            .iter()
            .position(|inst| inst.tasks.iter().any(|t| t.id == task))
    }

    pub fn counters(&self) -> PlacementCounters {
        let c = &self.index.verdict_counts;
        let at = |check: Check| c[PIPELINE.iter().position(|&k| k == check).unwrap_or(0)];
        PlacementCounters {
            evaluated: self.index.verdicts.len() as u32,
            feasible: c[CHECKS],
            filtered_capacity_provider: at(Check::CapacityProvider),
            filtered_status: at(Check::Status),
            filtered_agent: at(Check::Agent),
            exhausted_cpu: at(Check::Cpu),
            exhausted_memory: at(Check::Memory),
            exhausted_gpu: at(Check::Gpu),
            exhausted_ports: at(Check::Ports),
            exhausted_eni: at(Check::Eni),
            filtered_attribute: at(Check::Attributes),
            filtered_distinct_instance: at(Check::DistinctInstance),
            filtered_member_of: at(Check::MemberOf),
        }
    }

    /// Keeps, in `self.scratch`, the candidates tied at the best score of
    /// every strategy from `from` to the end of the chain.
    fn rank_scratch(&mut self, from: usize) {
        for position in from..self.index.chain_end {
            if self.scratch.len() <= 1 {
                return;
            }
            if self.index.request.strategies.get(position) == Some(&PlacementStrategy::Random) {
                return;
            }
            let mut best = u64::MAX;
            let mut kept = 0;
            for k in 0..self.scratch.len() {
                let i = self.scratch[k];
                let score = self.score(position, i as usize);
                if score < best {
                    best = score;
                    kept = 0;
                }
                if score == best {
                    self.scratch[kept] = i;
                    kept += 1;
                }
            }
            self.scratch.truncate(kept);
        }
    }

    /// The candidates the indexes leave tied, as sorted runs of instances:
    /// the leading spread(attribute)'s values with the fewest tasks of the
    /// group (among values with a feasible instance), and in each the
    /// instances with the lowest key of the indexed strategy (all of them
    /// when none is indexed: every key is 0). Also where ranking goes on.
    fn indexed_ties(&self) -> (Vec<&[u32]>, usize) {
        let mut best_buckets: Vec<&Bucket> = Vec::new();
        if self.index.lead_spread {
            let counts = self
                .index
                .spread_of
                .first()
                .and_then(Option::as_ref)
                .map(|s| s.counts.as_slice())
                .unwrap_or(&[]);
            let mut best = u32::MAX;
            for (b, set) in self.index.buckets.iter().enumerate() {
                if set.is_empty() {
                    continue;
                }
                let count = counts.get(b).copied().unwrap_or(0);
                if count < best {
                    best = count;
                    best_buckets.clear();
                }
                if count == best {
                    best_buckets.push(set);
                }
            }
        } else if let Some(set) = self.index.buckets.first().filter(|s| !s.is_empty()) {
            best_buckets.push(set);
        }
        let min_key = best_buckets.iter().filter_map(|b| b.lowest_key()).min();
        let runs = match min_key {
            Some(key) => best_buckets
                .iter()
                .map(|b| b.with_key(key))
                .filter(|run| !run.is_empty())
                .collect(),
            None => Vec::new(),
        };
        let rank_from = self
            .index
            .index_strategy
            .map_or(usize::from(self.index.lead_spread), |position| position + 1);
        (runs, rank_from)
    }

    /// Whether a strategy from `from` on still ranks the candidates.
    fn ranks_from(&self, from: usize) -> bool {
        from < self.index.chain_end
            && self.index.request.strategies.get(from) != Some(&PlacementStrategy::Random)
    }

    /// The candidates tied after every strategy and the one the seeded draw
    /// chooses among them (registration order), using the indexes instead of
    /// a scan. When the indexes decide alone, the tied candidates are never
    /// listed: the draw's instance is found in the sorted runs.
    fn draw_tied(&mut self) -> (u32, Option<u32>) {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        let (runs, rank_from) = self.indexed_ties();
        if !self.ranks_from(rank_from) {
            let tied: usize = runs.iter().map(|run| run.len()).sum();
            let mut rng = self.rng;
            let draw = match tied {
                0 | 1 => 0,
                len => rng.below(len),
            };
            let chosen = (tied > 0).then(|| nth_in_runs(&runs, draw)).flatten();
            self.rng = rng;
            self.scratch = scratch;
            return (tied as u32, chosen);
        }
        for run in &runs {
            scratch.extend_from_slice(run);
        }
        if runs.len() > 1 {
            // One sorted run per bucket: the stable sort finds the runs and
            // merges them, linear in the candidates for a few buckets.
            scratch.sort();
        }
        self.scratch = scratch;
        self.rank_scratch(rank_from);
        let chosen = match self.scratch.len() {
            0 => None,
            1 => self.scratch.first().copied(),
            len => {
                let draw = self.rng.below(len);
                self.scratch.get(draw).copied()
            }
        };
        (self.scratch.len() as u32, chosen)
    }

    /// Places one task: records the decision's counters and outcome, and
    /// returns the chosen instance's index.
    pub fn place_one(&mut self) -> Option<usize> {
        let counters = self.counters();
        let (tied, chosen) = if self.index.passing.is_empty() {
            self.draw_tied()
        } else {
            // Every passing instance is tied: the same draw, over the tree.
            let tied = counters.feasible;
            let draw = match tied {
                0 | 1 => 0,
                len => self.rng.below(len as usize) as u32,
            };
            let chosen = (tied > 0).then(|| self.nth_passing(draw)).flatten();
            (tied, chosen)
        };
        let closest_failed = match chosen {
            Some(_) => None,
            None => closest_match(&self.index.verdicts)
                .and_then(|(_, v)| PIPELINE.get(usize::from(v)).copied()),
        };
        self.records.push(DecisionRecord {
            chosen,
            counters,
            tied: tied.max(1),
            closest_failed,
        });
        let i = chosen? as usize;
        self.commit(i)?;
        Some(i)
    }

    /// Starts the task on instance `i` and updates what depends on it: the
    /// group counts, the spread counts and that instance's verdict.
    fn commit(&mut self, i: usize) -> Option<u64> {
        let task = self.cluster.start_task(
            i,
            &self.index.request.group,
            &self.index.request.requirements,
        )?;
        self.touched.push(i as u32);
        if let Some(count) = self.index.group_on_instance.get_mut(i) {
            *count += 1;
        }
        for index in self.index.spread_of.iter_mut().flatten() {
            if let Some(count) = index
                .value_of
                .get(i)
                .and_then(|&v| index.counts.get_mut(v as usize))
            {
                *count += 1;
            }
        }
        self.refresh(i);
        Some(task)
    }

    /// The DAEMON scheduler: one task on every instance that passes the
    /// pipeline and has none of the group yet, in registration order. Returns
    /// the instances that got a task.
    pub fn place_daemon(&mut self) -> Vec<usize> {
        let mut placed = Vec::new();
        for i in 0..self.index.verdicts.len() {
            if self.index.group_on_instance.get(i) != Some(&0) {
                continue;
            }
            let counters = self.counters();
            let verdict = self.index.verdicts.get(i).copied().unwrap_or(PASS);
            self.records.push(DecisionRecord {
                chosen: (verdict == PASS).then_some(i as u32),
                counters,
                tied: 1,
                closest_failed: PIPELINE.get(usize::from(verdict)).copied(),
            });
            if verdict == PASS && self.commit(i).is_some() {
                placed.push(i);
            }
        }
        placed
    }

    /// Places one task on instance `i` if it passes the pipeline (StartTask,
    /// and the DAEMON scheduler's one task per instance); records the
    /// decision either way. Returns the task id, or the first failed check.
    pub fn place_on(&mut self, i: usize) -> Result<u64, Check> {
        let counters = self.counters();
        let verdict = self.index.verdicts.get(i).copied().unwrap_or(0);
        let failed = PIPELINE.get(usize::from(verdict)).copied();
        self.records.push(DecisionRecord {
            chosen: failed.is_none().then_some(i as u32),
            counters,
            tied: 1,
            closest_failed: failed,
        });
        if let Some(check) = failed {
            return Err(check);
        }
        self.commit(i).ok_or(Check::Status)
    }

    /// The id the next placed task gets (the simulator's task number).
    pub fn set_next_task_id(&mut self, id: u64) {
        self.cluster.next_task_id = id;
    }

    /// Places up to `count` tasks; returns how many were placed.
    pub fn place_many(&mut self, count: usize) -> usize {
        (0..count)
            .take_while(|_| self.place_one().is_some())
            .count()
    }

    /// The full trace of the next decision, without making it: every
    /// instance's checks in pipeline order with their numbers, every
    /// strategy's scores, the tie-break and the counters. Deterministic, and
    /// it chooses what `place_one` will choose.
    pub fn explain(&self) -> PlacementDecision {
        let instances = &self.cluster.instances;
        let candidates: Vec<CandidateTrace> = (0..instances.len())
            .map(|i| self.trace_candidate(i))
            .collect();
        let mut survivors: Vec<u32> = (0..instances.len() as u32)
            .filter(|&i| self.index.verdicts.get(i as usize) == Some(&PASS))
            .collect();
        let mut steps = Vec::new();
        for position in 0..self.index.chain_end {
            let Some(strategy) = self.index.request.strategies.get(position) else {
                break;
            };
            if survivors.is_empty() || *strategy == PlacementStrategy::Random {
                break;
            }
            let scored: Vec<(u32, u64)> = survivors
                .iter()
                .map(|&i| (i, self.score(position, i as usize)))
                .collect();
            let best = scored.iter().map(|(_, s)| *s).min().unwrap_or(0);
            survivors = scored
                .iter()
                .filter(|&&(_, s)| s == best)
                .map(|&(i, _)| i)
                .collect();
            steps.push(StrategyStep {
                strategy: strategy.to_string(),
                measure: self.measure(strategy),
                scores: scored
                    .iter()
                    .map(|&(i, score)| CandidateScore {
                        instance_id: self.id_of(i),
                        score,
                        kept: score == best,
                    })
                    .collect(),
                best,
                kept: survivors.len() as u32,
            });
        }
        let mut rng = self.rng;
        let (chosen, tie_break) = match survivors.len() {
            0 => (None, None),
            1 => (survivors.first().copied(), None),
            len => {
                let draw = rng.below(len);
                let chosen = survivors.get(draw).copied();
                let tie = TieBreak {
                    among: survivors.iter().map(|&i| self.id_of(i)).collect(),
                    draw: draw as u32,
                    chosen: chosen.map(|i| self.id_of(i)).unwrap_or_default(),
                };
                (chosen, Some(tie))
            }
        };
        let mut decision = PlacementDecision {
            strategy: chain_to_string(self.index.request.strategies.get(..self.index.chain_end).unwrap_or(&[])),
            candidates,
            chosen: chosen.map(|i| self.id_of(i)),
            unplaced_reason: None,
            constraints: self.constraint_texts(),
            steps,
            tie_break,
            counters: self.counters(),
            closest_match: None,
            failures: Vec::new(),
            approximations: vec![
                "Strategies combine lexicographically and ties are broken by a seeded draw; AWS does not document either.".into(),
            ],
        };
        if chosen.is_none() {
            self.explain_unplaced(&mut decision);
        }
        decision
    }

    /// Why nothing fits now, as ECS's service event says it: the closest
    /// match (its index and the first check it failed) and the sentence.
    /// `None` for the closest match when the cluster has no instance.
    pub fn unplaced(&self) -> (Option<(usize, Check)>, String) {
        let Some((at, verdict)) = closest_match(&self.index.verdicts) else {
            return (
                None,
                format!(
                    "{SERVICE_EVENT} Reason: No Container Instances were found in your cluster."
                ),
            );
        };
        let check = PIPELINE
            .get(usize::from(verdict))
            .copied()
            .unwrap_or(Check::MemberOf);
        let port_limit = check == Check::Ports
            && self.instance(at).is_some_and(|inst| {
                port_problem(inst, &self.index.request.requirements) == Some(PortProblem::Limit)
            });
        let id = self.id_of(at as u32);
        (
            Some((at, check)),
            format!(
                "{SERVICE_EVENT} The closest matching container-instance {id} {}",
                check.event_phrase(port_limit)
            ),
        )
    }

    /// The first check instance `i` fails now, or `None` when it passes.
    pub fn failed_check(&self, i: usize) -> Option<Check> {
        PIPELINE
            .get(usize::from(*self.index.verdicts.get(i)?))
            .copied()
    }

    fn explain_unplaced(&self, decision: &mut PlacementDecision) {
        let (closest, sentence) = self.unplaced();
        decision.unplaced_reason = Some(sentence);
        let Some((at, _)) = closest else {
            return;
        };
        let id = self.id_of(at as u32);
        decision.closest_match = Some(id);
        decision.failures = self
            .index
            .verdicts
            .iter()
            .enumerate()
            .filter_map(|(i, &v)| {
                let check = PIPELINE.get(usize::from(v))?;
                Some(PlacementFailure {
                    arn: self.id_of(i as u32),
                    reason: check.failure_reason().to_string(),
                })
            })
            .collect();
        decision.approximations.push(
            "\"Closest matching\" is the instance that got furthest through the check order, the earliest registered among equals; AWS does not document its choice.".into(),
        );
    }

    fn id_of(&self, i: u32) -> String {
        self.instance(i as usize)
            .map(|inst| inst.id.clone())
            .unwrap_or_default()
    }

    fn constraint_texts(&self) -> Vec<String> {
        let from_task_def = self
            .index
            .request
            .requirements
            .member_of
            .iter()
            .map(|e| format!("memberOf({e}) [task definition]"));
        from_task_def
            .chain(
                self.index
                    .request
                    .constraints
                    .iter()
                    .map(ToString::to_string),
            )
            .collect()
    }

    fn measure(&self, strategy: &PlacementStrategy) -> String {
        let group = &self.index.request.group;
        match strategy {
            PlacementStrategy::Spread(SpreadField::Attribute(name)) => {
                format!("tasks of {group} with the instance's {name}")
            }
            PlacementStrategy::Spread(SpreadField::Instance) => {
                format!("tasks of {group} on the instance")
            }
            PlacementStrategy::Binpack(BinpackField::Cpu) => "CPU units left after placing".into(),
            PlacementStrategy::Binpack(BinpackField::Memory) => {
                "MiB of memory left after placing".into()
            }
            PlacementStrategy::Random => "random".into(),
        }
    }

    fn trace_candidate(&self, i: usize) -> CandidateTrace {
        let Some(instance) = self.instance(i) else {
            return CandidateTrace {
                instance_id: String::new(),
                availability_zone: String::new(),
                checks: Vec::new(),
                memory_left_after: None,
                cpu_left_after: None,
            };
        };
        let checks: Vec<CheckOutcome> = PIPELINE
            .iter()
            .map(|&check| CheckOutcome {
                check: Cow::Borrowed(check.name()),
                passed: self.passes(check, i),
                detail: self.detail(check, i, instance),
            })
            .collect();
        let feasible = checks.iter().all(|c| c.passed);
        let needs = &self.index.request.requirements;
        CandidateTrace {
            instance_id: instance.id.clone(),
            availability_zone: instance.availability_zone.clone(),
            checks,
            memory_left_after: feasible.then(|| instance.free_memory() - needs.memory),
            cpu_left_after: feasible.then(|| instance.free_cpu() - needs.cpu),
        }
    }

    /// The numbers behind one check, for the trace.
    fn detail(&self, check: Check, i: usize, instance: &ContainerInstance) -> Cow<'static, str> {
        let needs = &self.index.request.requirements;
        let owned = |text: String| -> Cow<'static, str> { Cow::Owned(text) };
        match check {
            Check::CapacityProvider => {
                match (
                    &self.index.request.capacity_provider,
                    &instance.capacity_provider,
                ) {
                    (None, _) => Cow::Borrowed("any (no capacity provider)"),
                    (Some(want), Some(have)) if want == have => owned(format!("in {have}")),
                    (Some(want), Some(have)) => owned(format!("in {have}, not {want}")),
                    (Some(want), None) => owned(format!("not in {want}")),
                }
            }
            Check::Status => Cow::Borrowed(instance.status.as_str()),
            // The version is on the instance; repeating it here would cost a
            // string per instance per trace.
            Check::Agent if instance.agent_connected => Cow::Borrowed("connected"),
            Check::Agent => Cow::Borrowed("disconnected"),
            Check::Cpu => owned(format!(
                "needs {} units; {} used of {}, {} free",
                needs.cpu,
                instance.used_cpu,
                instance.registered_cpu,
                instance.free_cpu()
            )),
            Check::Memory => owned(format!(
                "needs {} MiB; {} used of {}, {} free",
                needs.memory,
                instance.used_memory,
                instance.registered_memory,
                instance.free_memory()
            )),
            Check::Gpu if needs.gpus == 0 && instance.registered_gpus == 0 => {
                Cow::Borrowed("needs none")
            }
            Check::Gpu => owned(format!(
                "needs {}; {} of {} free",
                needs.gpus,
                instance.free_gpus(),
                instance.registered_gpus
            )),
            Check::Ports => match port_problem(instance, needs) {
                Some(PortProblem::TcpTaken(port)) => {
                    owned(format!("host port {port}/tcp is already reserved"))
                }
                Some(PortProblem::UdpTaken(port)) => {
                    owned(format!("host port {port}/udp is already reserved"))
                }
                Some(PortProblem::Limit) => owned(format!(
                    "{} reserved + {} static would exceed the limit of {MAX_RESERVED_PORTS}",
                    instance.reserved_port_count(),
                    needs.host_ports.len() + needs.udp_host_ports.len()
                )),
                Some(PortProblem::Dynamic) => owned(format!(
                    "needs {} dynamic ports; {} left in the ephemeral range",
                    needs.dynamic_ports,
                    instance.free_dynamic_ports()
                )),
                None if needs.host_ports.is_empty() && needs.udp_host_ports.is_empty() => {
                    match needs.dynamic_ports {
                        0 => Cow::Borrowed("no host ports"),
                        1 => Cow::Borrowed("1 dynamic port, free in the ephemeral range"),
                        _ => Cow::Borrowed("dynamic ports, free in the ephemeral range"),
                    }
                }
                None => owned(format!(
                    "static {:?} free; {} dynamic; {} of {MAX_RESERVED_PORTS} reserved",
                    needs.host_ports,
                    needs.dynamic_ports,
                    instance.reserved_port_count()
                )),
            },
            Check::Eni if needs.network_mode != "awsvpc" => {
                Cow::Borrowed("no ENI needed outside awsvpc")
            }
            Check::Eni => owned(format!(
                "awsvpc needs 1 ENI; {} of {} free",
                instance.free_enis(),
                instance.eni_slots
            )),
            Check::Attributes if needs.requires_attributes.is_empty() => {
                Cow::Borrowed("none required")
            }
            Check::Attributes => {
                let missing: Vec<String> = needs
                    .requires_attributes
                    .iter()
                    .filter(
                        |(name, value)| match (instance.attribute_value(name), value) {
                            (Some(have), Some(want)) => have != want,
                            (Some(_), None) => false,
                            (None, _) => true,
                        },
                    )
                    .map(|(name, value)| match value {
                        Some(v) => format!("{name}={v}"),
                        None => name.clone(),
                    })
                    .collect();
                if missing.is_empty() {
                    owned(format!("all {} present", needs.requires_attributes.len()))
                } else {
                    owned(format!("missing {}", missing.join(", ")))
                }
            }
            Check::DistinctInstance if !self.index.distinct => Cow::Borrowed("not requested"),
            Check::DistinctInstance => owned(format!(
                "{} task(s) of {} already here",
                self.index.group_on_instance.get(i).copied().unwrap_or(0),
                self.index.request.group
            )),
            Check::MemberOf if self.index.member_of.is_empty() => Cow::Borrowed("no expression"),
            Check::MemberOf => match self.index.member_of_blame.get(i).copied().flatten() {
                Some((k, span)) => {
                    let source = self
                        .index
                        .member_of
                        .get(k as usize)
                        .map_or("", |q| q.source());
                    let clause = source
                        .get(span.start as usize..span.end as usize)
                        .unwrap_or(source);
                    owned(format!("false: {clause}"))
                }
                None => Cow::Borrowed("every expression holds"),
            },
        }
    }
}

/// The full trace of decision `k` (0-based) of a run, on demand: replays the
/// run from the same cluster, request and seed up to that decision and
/// explains it. Placement is deterministic, so this is the decision that was
/// made, at the cost of redoing `k` fast decisions instead of storing every
/// trace.
pub fn replay_trace(
    initial: &Cluster,
    request: &PlacementRequest,
    seed: u64,
    k: usize,
) -> Result<PlacementDecision, PlacementError> {
    let mut cluster = initial.clone();
    let mut placer = Placer::new(&mut cluster, request.clone(), seed)?;
    for _ in 0..k {
        placer.place_one();
    }
    Ok(placer.explain())
}

/// Fargate places no tasks on instances: it spreads across the
/// Availability Zones of the task's subnets. The zone with the fewest tasks
/// of the group wins; ties go to the seeded draw, among zones in the order
/// given. Returns the index into `zones` (name, tasks of the group there).
pub fn fargate_zone(zones: &[(&str, u32)], rng: &mut SplitMix64) -> Option<usize> {
    let fewest = zones.iter().map(|(_, n)| *n).min()?;
    let tied: Vec<usize> = (0..zones.len())
        .filter(|&z| zones.get(z).is_some_and(|(_, n)| *n == fewest))
        .collect();
    match tied.len() {
        1 => tied.first().copied(),
        len => tied.get(rng.below(len)).copied(),
    }
}

fn spread_index(
    instances: &[ContainerInstance],
    attribute: &str,
    group_on_instance: &[u32],
) -> SpreadIndex {
    let mut values: Vec<String> = Vec::new();
    let mut value_of = Vec::with_capacity(instances.len());
    for instance in instances {
        // Instances without the attribute share one value of their own
        // (UNCERTAIN: AWS does not say how spread treats them).
        let value = instance.attribute_value(attribute).unwrap_or("");
        let at = match values.iter().position(|v| v == value) {
            Some(at) => at,
            None => {
                values.push(value.to_string());
                values.len() - 1
            }
        };
        value_of.push(at as u32);
    }
    let mut counts = vec![0u32; values.len()];
    for (i, &v) in value_of.iter().enumerate() {
        if let Some(count) = counts.get_mut(v as usize) {
            *count += group_on_instance.get(i).copied().unwrap_or(0);
        }
    }
    SpreadIndex {
        value_of,
        values,
        counts,
    }
}

/// The "closest matching container-instance" (UNCERTAIN; this is the
/// simulator's definition): the instance whose first failed check comes
/// latest in [`PIPELINE`], i.e. that passed the most checks in order; among
/// equals, the earliest registered. Returns its index and verdict.
pub fn closest_match(verdicts: &[u8]) -> Option<(usize, u8)> {
    let mut best: Option<(usize, u8)> = None;
    for (i, &v) in verdicts.iter().enumerate() {
        if best.is_none_or(|(_, b)| v > b) {
            best = Some((i, v));
        }
    }
    best
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PortProblem {
    TcpTaken(u16),
    UdpTaken(u16),
    Limit,
    Dynamic,
}

fn port_problem(instance: &ContainerInstance, needs: &TaskRequirements) -> Option<PortProblem> {
    if let Some(&port) = needs
        .host_ports
        .iter()
        .find(|&&p| instance.tcp_port_taken(p))
    {
        return Some(PortProblem::TcpTaken(port));
    }
    if let Some(&port) = needs
        .udp_host_ports
        .iter()
        .find(|&&p| instance.udp_port_taken(p))
    {
        return Some(PortProblem::UdpTaken(port));
    }
    let statics = needs.host_ports.len() + needs.udp_host_ports.len();
    if statics > 0 && instance.reserved_port_count() + statics > MAX_RESERVED_PORTS {
        return Some(PortProblem::Limit);
    }
    if needs.dynamic_ports > instance.free_dynamic_ports() {
        return Some(PortProblem::Dynamic);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nth_of_sorted_runs_is_the_nth_of_their_merge() {
        let mut rng = SplitMix64::new(8);
        for _ in 0..300 {
            // Disjoint sorted runs: each instance goes to one run or none.
            let mut runs: Vec<Vec<u32>> = vec![Vec::new(); 1 + rng.below(4)];
            for i in 0..rng.below(60) as u32 {
                let to = rng.below(runs.len() + 1);
                if let Some(run) = runs.get_mut(to) {
                    run.push(i);
                }
            }
            let slices: Vec<&[u32]> = runs.iter().map(Vec::as_slice).collect();
            let mut merged: Vec<u32> = runs.concat();
            merged.sort_unstable();
            for k in 0..=merged.len() {
                assert_eq!(
                    nth_in_runs(&slices, k),
                    merged.get(k).copied(),
                    "{runs:?} {k}"
                );
            }
        }
    }
}
