//! Scale-in: which tasks of a group to stop first (ecs-semantics A1).
//!
//! Each strategy is applied in reverse: spread stops from the attribute value
//! (or instance) with the most tasks of the group, keeping the balance;
//! binpack stops the task whose instance has the most of the resource
//! available after the task ends. Ties, and `random`, go to the seeded draw;
//! within an Availability Zone that gives the documented "selected at random".
//!
//! The rule, one pick at a time: every live candidate has a score per
//! strategy (up to the first `random`); the candidates whose scores are
//! lexicographically highest are tied, and when more than one is tied the
//! seeded draw picks one of them by its place in task-id order. Picking a
//! task changes only the scores of tasks on its instance (spread on the
//! instance, binpack) and the count of its attribute values (spread on an
//! attribute), so the choice is kept incremental: the candidates are split
//! into *cells* (instances with the same values of every spread attribute),
//! and each cell keeps a tournament tree over its candidates in id order
//! that knows its best score and how many candidates share it. A pick
//! updates the picked instance's leaves and compares the cells' best ones,
//! instead of scoring every candidate again; the test module keeps the
//! rescan-everything form as the oracle it is compared with.

use std::cmp::Ordering;
use std::collections::BTreeMap;

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

/// The strategies a scale-in scores by: the given ones, or the service
/// scheduler's default when none are given.
fn strategies_or_service_default(
    strategies: &[PlacementStrategy],
) -> std::borrow::Cow<'_, [PlacementStrategy]> {
    if strategies.is_empty() {
        std::borrow::Cow::Owned(PlacementStrategy::service_default())
    } else {
        std::borrow::Cow::Borrowed(strategies)
    }
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
    let tasks = select_candidates(cluster, group, eligible);
    select_among_candidates(cluster, strategies, tasks, count, seed)
}

/// The live tasks of `group` that `eligible` accepts, in id order.
fn select_candidates(
    cluster: &Cluster,
    group: &str,
    eligible: impl Fn(u64) -> bool,
) -> Vec<Candidate> {
    let mut tasks: Vec<Candidate> = cluster
        .instances
        .iter()
        .enumerate()
        .flat_map(|(i, instance)| {
            instance
                .tasks
                .iter()
                .filter(|t| t.is_live() && t.group == group && eligible(t.id))
                .map(move |t| Candidate {
                    id: t.id,
                    instance: i,
                    cpu: t.claim.cpu,
                    memory: t.claim.memory,
                })
        })
        .collect();
    // Task ids are unique, so the id alone orders them (a cheaper
    // comparison than the whole candidate's).
    tasks.sort_unstable_by_key(|task| task.id);
    tasks
}

/// [`select_tasks_to_stop_among`] with the eligible tasks named by the caller
/// as `(task id, instance slot)`, which spares a pass over every task of the
/// cluster when the caller knows where its tasks are (the simulator's
/// scheduler, at every scale-in of a service). The same selection: a named
/// task counts only if it is live on that instance in `group`; the rest are
/// ignored, as `eligible` would pass them by.
pub fn select_tasks_to_stop_of(
    cluster: &Cluster,
    group: &str,
    strategies: &[PlacementStrategy],
    count: usize,
    seed: u64,
    eligible: &[(u64, usize)],
) -> Vec<u64> {
    let named = in_id_order(eligible);
    let tasks = named_candidates(cluster, group, &named);
    select_among_candidates(cluster, strategies, tasks, count, seed)
}

/// Named tasks `(task id, instance slot)` sorted and without repeats: the
/// order the candidates are drawn in. Usually sorted already, and then not
/// copied.
fn in_id_order(eligible: &[(u64, usize)]) -> std::borrow::Cow<'_, [(u64, usize)]> {
    if eligible.windows(2).all(|w| w[0] < w[1]) {
        return std::borrow::Cow::Borrowed(eligible);
    }
    let mut named = eligible.to_vec();
    named.sort_unstable();
    named.dedup();
    std::borrow::Cow::Owned(named)
}

/// The candidates among `named` (in id order): those live on the named
/// instance in `group`.
fn named_candidates(cluster: &Cluster, group: &str, named: &[(u64, usize)]) -> Vec<Candidate> {
    named
        .iter()
        .filter_map(|&(id, slot)| live_candidate(cluster, group, id, slot))
        .collect()
}

/// Task `id` as a candidate, if it is live on instance `slot` in `group`.
fn live_candidate(cluster: &Cluster, group: &str, id: u64, slot: usize) -> Option<Candidate> {
    let task = cluster
        .instances
        .get(slot)?
        .tasks
        .iter()
        .find(|t| t.id == id)
        .filter(|t| t.is_live() && t.group == group)?;
    Some(Candidate {
        id,
        instance: slot,
        cpu: task.claim.cpu,
        memory: task.claim.memory,
    })
}

/// The selection over `tasks` (live tasks of the group, in id order).
fn select_among_candidates(
    cluster: &Cluster,
    strategies: &[PlacementStrategy],
    tasks: Vec<Candidate>,
    count: usize,
    seed: u64,
) -> Vec<u64> {
    let strategies = strategies_or_service_default(strategies);
    let mut order = StopOrder::new(cluster, &strategies, tasks);
    let picked = order.take(count, seed);
    picked.into_iter().map(|k| order.tasks[k].id).collect()
}

/// A scale-in order kept between selections of one group with the same
/// strategies (the simulator keeps one per service between scheduler runs,
/// `sim::kept_stop_order`), so that a selection costs what changed since the
/// last one and its picks, not the size of the group and cluster.
///
/// It selects exactly what [`select_tasks_to_stop_of`] selects over the same
/// hosts, provided it is told of every instance slot whose tasks or
/// resources changed since ([`KeptStopOrder::changed`]) and dropped when
/// instances join or leave the cluster or their attributes change. It
/// rebuilds itself when a candidate it never had appears; a candidate it had
/// comes back in place.
#[derive(Debug, Clone)]
pub struct KeptStopOrder {
    group: String,
    /// The strategies it scores by (the service default when none are given).
    strategies: Vec<PlacementStrategy>,
    order: Option<StopOrder>,
    /// Per instance slot: changed since the order was last brought up to
    /// date; and those slots, once each.
    is_changed: Vec<bool>,
    changed: Vec<usize>,
    /// How many times the order was built (the tests check that most
    /// selections update it instead).
    #[cfg(test)]
    builds: usize,
}

impl KeptStopOrder {
    /// An order for `group` scoring by `strategies`, built at its first
    /// selection.
    pub fn new(group: &str, strategies: &[PlacementStrategy]) -> KeptStopOrder {
        KeptStopOrder {
            group: group.to_string(),
            strategies: strategies_or_service_default(strategies).into_owned(),
            order: None,
            is_changed: Vec::new(),
            changed: Vec::new(),
            #[cfg(test)]
            builds: 0,
        }
    }

    /// Whether this is the order of `group` scoring by `strategies`.
    pub fn is_for(&self, group: &str, strategies: &[PlacementStrategy]) -> bool {
        self.group == group && self.strategies[..] == strategies_or_service_default(strategies)[..]
    }

    /// How many times the order was built.
    #[cfg(test)]
    pub(crate) fn builds(&self) -> usize {
        self.builds
    }

    /// Whether task `id` has been a candidate of the order (it comes back
    /// without a rebuild).
    pub fn knows(&self, id: u64) -> bool {
        self.order.as_ref().is_some_and(|order| {
            order
                .tasks
                .binary_search_by_key(&id, |task| task.id)
                .is_ok()
        })
    }

    /// Instance `slot` changed: a task started or stopped on it, or its
    /// resources or status changed.
    pub fn changed(&mut self, slot: usize) {
        if self.order.is_none() {
            return;
        }
        match self.is_changed.get_mut(slot) {
            Some(true) => {}
            Some(flag) => {
                *flag = true;
                self.changed.push(slot);
            }
            // A slot the order never saw: the cluster grew behind its back.
            None => self.order = None,
        }
    }

    /// [`select_tasks_to_stop_of`] this order's group and strategies: picks
    /// `count` of the named tasks, in order.
    pub fn select(
        &mut self,
        cluster: &Cluster,
        count: usize,
        seed: u64,
        eligible: &[(u64, usize)],
    ) -> Vec<u64> {
        let named = in_id_order(eligible);
        let current = self.order.as_mut().is_some_and(|order| {
            order.update(
                cluster,
                &self.group,
                &named,
                &self.changed,
                &self.is_changed,
            )
        });
        for &slot in &self.changed {
            if let Some(flag) = self.is_changed.get_mut(slot) {
                *flag = false;
            }
        }
        self.changed.clear();
        if !current {
            let tasks = named_candidates(cluster, &self.group, &named);
            self.is_changed = vec![false; cluster.instances.len()];
            self.order = Some(StopOrder::new(cluster, &self.strategies, tasks));
            #[cfg(test)]
            {
                self.builds += 1;
            }
        }
        let Some(order) = self.order.as_mut() else {
            return Vec::new();
        };
        let picked = order.take(count, seed);
        let stopped: Vec<(u64, usize)> = picked
            .iter()
            .filter_map(|&k| order.tasks.get(k))
            .map(|task| (task.id, task.instance))
            .collect();
        // The picks' instances now hold what stopping them would leave:
        // read again from the hosts next time, stopped or not.
        for &(_, slot) in &stopped {
            self.changed(slot);
        }
        stopped.into_iter().map(|(id, _)| id).collect()
    }
}

/// What one strategy scores a candidate by; higher = stopped first.
#[derive(Debug, Clone, Copy)]
enum Score {
    /// Live candidates with the instance's value of a spread attribute
    /// (the slot in [`StopOrder::values`]).
    AttributeCount(usize),
    /// Live candidates on the instance.
    InstanceCount,
    /// CPU available on the instance once the task has ended.
    CpuAfter,
    /// Memory available on the instance once the task has ended.
    MemoryAfter,
}

/// A live task of the group that may be stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Candidate {
    id: u64,
    instance: usize,
    cpu: u32,
    memory: u32,
}

/// One spread attribute: each instance's value and live candidates per value.
#[derive(Debug, Clone)]
struct AttributeCounts {
    value_of: Vec<usize>,
    counts: Vec<u64>,
}

/// An attribute's values numbered in first-seen order: a short list while
/// they are few (a zone spread sees a handful, compared faster in a row than
/// through a map), a map past [`Interner::FEW`].
#[derive(Default)]
struct Interner<'a> {
    few: Vec<Option<&'a str>>,
    many: BTreeMap<Option<&'a str>, usize>,
}

impl<'a> Interner<'a> {
    const FEW: usize = 8;

    fn index(&mut self, value: Option<&'a str>) -> usize {
        if self.many.is_empty() {
            if let Some(at) = self.few.iter().position(|v| *v == value) {
                return at;
            }
            if self.few.len() < Self::FEW {
                self.few.push(value);
                return self.few.len() - 1;
            }
            self.many = self
                .few
                .iter()
                .enumerate()
                .map(|(at, v)| (*v, at))
                .collect();
        }
        let next = self.many.len();
        *self.many.entry(value).or_insert(next)
    }
}

/// A tournament-tree node: a candidate with the subtree's best score and how
/// many candidates of the subtree share that score (0: none left).
#[derive(Debug, Clone, Copy)]
struct Node {
    best: usize,
    count: usize,
}

const EMPTY: Node = Node { best: 0, count: 0 };

/// Room a pick reuses rather than allocating (thousands of picks in a
/// deployment's scale-in): the best candidate's scores (every strategy,
/// `within`) and the tied cells.
#[derive(Default)]
struct PickRoom {
    all: Vec<u64>,
    within: Vec<u64>,
    tied: Vec<usize>,
}

/// The candidates of instances with the same value of every spread attribute:
/// their order is decided by the per-instance scores alone.
#[derive(Debug, Clone, Default)]
struct Cell {
    /// Candidates (indexes into [`StopOrder::tasks`]) in id order.
    members: Vec<usize>,
    /// Leaves at `width + slot` (`StopOrder::slot_of`); node `v` covers
    /// `2v` and `2v+1`.
    tree: Vec<Node>,
    width: usize,
}

/// Up to this many cells, every cell's tree spans all the candidates (a
/// candidate's leaf is its place in id order, empty in the other cells), so
/// that a draw among tied cells descends their trees together. Past it (a
/// spread over an attribute with many values), each tree spans its own
/// members, and the draw searches the id order.
const ALIGNED_CELLS: usize = 8;

#[derive(Debug, Clone)]
struct StopOrder {
    scores: Vec<Score>,
    /// `scores` without the attribute counts: what orders the candidates
    /// of one cell.
    within: Vec<Score>,
    /// Whether the cells' trees are aligned ([`ALIGNED_CELLS`]).
    aligned: bool,
    /// Candidates in id order.
    tasks: Vec<Candidate>,
    /// Per candidate: its cell and its leaf in the cell's tree (its place
    /// among the cell's members, or in `tasks` when aligned).
    cell_of: Vec<usize>,
    slot_of: Vec<usize>,
    cells: Vec<Cell>,
    /// Per instance: live candidates, CPU and memory available.
    on_instance: Vec<u64>,
    cpu_available: Vec<u64>,
    memory_available: Vec<u64>,
    /// Per instance: its candidates (indexes into `tasks`), as a range of
    /// `by_instance`.
    by_instance: Vec<usize>,
    instance_range: Vec<(usize, usize)>,
    values: Vec<AttributeCounts>,
    /// Per candidate: still a candidate (not picked, and named at the last
    /// update); and live on its instance in the group as the hosts were
    /// last read (a kept order reads only the instances changed since).
    alive: Vec<bool>,
    valid: Vec<bool>,
    /// Room reused between updates and picks: the candidates named, the
    /// tree nodes to merge again.
    wanted: Vec<bool>,
    nodes: Vec<(usize, usize)>,
    level: Vec<usize>,
}

impl StopOrder {
    /// The order over `tasks`: live tasks of one group, in id order.
    fn new(
        cluster: &Cluster,
        strategies: &[PlacementStrategy],
        tasks: Vec<Candidate>,
    ) -> StopOrder {
        // Strategies after `random` never decide anything.
        let decisive = strategies
            .iter()
            .take_while(|s| **s != PlacementStrategy::Random);
        let mut attribute_names: Vec<&str> = Vec::new();
        let scores: Vec<Score> = decisive
            .map(|strategy| match strategy {
                PlacementStrategy::Spread(SpreadField::Attribute(name)) => {
                    attribute_names.push(name);
                    Score::AttributeCount(attribute_names.len() - 1)
                }
                PlacementStrategy::Spread(SpreadField::Instance) => Score::InstanceCount,
                PlacementStrategy::Binpack(BinpackField::Cpu) => Score::CpuAfter,
                PlacementStrategy::Binpack(BinpackField::Memory) => Score::MemoryAfter,
                // Not reached: the list stops before `random`.
                PlacementStrategy::Random => Score::InstanceCount,
            })
            .collect();
        let n = cluster.instances.len();
        let mut on_instance = vec![0u64; n];
        for task in &tasks {
            on_instance[task.instance] += 1;
        }
        // Candidates grouped by instance (counting sort, id order within).
        let mut instance_range = vec![(0usize, 0usize); n];
        let mut start = 0;
        for (i, range) in instance_range.iter_mut().enumerate() {
            *range = (start, start);
            start += on_instance[i] as usize;
        }
        let mut by_instance = vec![0usize; tasks.len()];
        for (k, task) in tasks.iter().enumerate() {
            let range = &mut instance_range[task.instance];
            by_instance[range.1] = k;
            range.1 += 1;
        }
        let (cpu_available, memory_available) = cluster
            .instances
            .iter()
            .map(|i| (u64::from(i.free_cpu()), u64::from(i.free_memory())))
            .unzip();
        // Each instance's value of every spread attribute (interned), only
        // for instances with candidates: no other value is ever counted.
        let mut values: Vec<AttributeCounts> = attribute_names
            .iter()
            .map(|_| AttributeCounts {
                value_of: vec![0; n],
                counts: Vec::new(),
            })
            .collect();
        let mut interned: Vec<Interner> = attribute_names
            .iter()
            .map(|_| Interner::default())
            .collect();
        let mut cell_index: BTreeMap<Vec<usize>, usize> = BTreeMap::new();
        let mut cell_of_instance = vec![0usize; n];
        let mut key: Vec<usize> = Vec::with_capacity(attribute_names.len());
        for (i, instance) in cluster.instances.iter().enumerate() {
            if on_instance[i] == 0 {
                continue;
            }
            key.clear();
            for (slot, name) in attribute_names.iter().enumerate() {
                let seen = &mut values[slot];
                let index = interned[slot].index(instance.attribute_value(name));
                if index == seen.counts.len() {
                    seen.counts.push(0);
                }
                seen.value_of[i] = index;
                seen.counts[index] += on_instance[i];
                key.push(index);
            }
            // One spread attribute (the default's zone): its value is the
            // cell; several: their values together, interned.
            cell_of_instance[i] = match key[..] {
                [] => 0,
                [value] => value,
                _ => match cell_index.get(&key) {
                    Some(&cell) => cell,
                    None => {
                        let next = cell_index.len();
                        cell_index.insert(key.clone(), next);
                        next
                    }
                },
            };
        }
        let cell_count = match attribute_names.len() {
            0 => usize::from(!tasks.is_empty()),
            1 => values.first().map_or(0, |v| v.counts.len()),
            _ => cell_index.len(),
        };
        let mut cells: Vec<Cell> = (0..cell_count).map(|_| Cell::default()).collect();
        let aligned = cell_count <= ALIGNED_CELLS;
        let mut cell_of = vec![0usize; tasks.len()];
        let mut slot_of = vec![0usize; tasks.len()];
        for (k, task) in tasks.iter().enumerate() {
            let c = cell_of_instance[task.instance];
            cell_of[k] = c;
            slot_of[k] = if aligned { k } else { cells[c].members.len() };
            cells[c].members.push(k);
        }
        let width = tasks.len().next_power_of_two();
        let task_count = tasks.len();
        let within = scores
            .iter()
            .copied()
            .filter(|s| !matches!(s, Score::AttributeCount(_)))
            .collect();
        let mut order = StopOrder {
            scores,
            within,
            aligned,
            tasks,
            cell_of,
            slot_of,
            cells: Vec::new(),
            on_instance,
            cpu_available,
            memory_available,
            by_instance,
            instance_range,
            values,
            alive: vec![true; task_count],
            valid: vec![true; task_count],
            wanted: Vec::new(),
            nodes: Vec::new(),
            level: Vec::new(),
        };
        for cell in &mut cells {
            cell.width = if aligned {
                width
            } else {
                cell.members.len().next_power_of_two()
            };
            cell.tree = vec![EMPTY; 2 * cell.width];
            for &member in &cell.members {
                cell.tree[cell.width + order.slot_of[member]] = Node {
                    best: member,
                    count: 1,
                };
            }
            for v in (1..cell.width).rev() {
                cell.tree[v] = order.merge(cell.tree[2 * v], cell.tree[2 * v + 1]);
            }
        }
        order.cells = cells;
        order
    }

    fn score(&self, score: Score, k: usize) -> u64 {
        let task = &self.tasks[k];
        let i = task.instance;
        match score {
            Score::AttributeCount(slot) => {
                let attribute = &self.values[slot];
                attribute.counts[attribute.value_of[i]]
            }
            Score::InstanceCount => self.on_instance[i],
            Score::CpuAfter => self.cpu_available[i] + u64::from(task.cpu),
            Score::MemoryAfter => self.memory_available[i] + u64::from(task.memory),
        }
    }

    /// Candidate `a` against `b`: Greater = stopped before.
    fn compare(&self, a: usize, b: usize) -> Ordering {
        self.compare_by(&self.scores, a, b)
    }

    /// [`StopOrder::compare`] by `scores` alone.
    fn compare_by(&self, scores: &[Score], a: usize, b: usize) -> Ordering {
        scores
            .iter()
            .map(|&s| self.score(s, a).cmp(&self.score(s, b)))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    }

    fn merge(&self, a: Node, b: Node) -> Node {
        if a.count == 0 {
            return b;
        }
        if b.count == 0 {
            return a;
        }
        // Within a cell: its candidates' attribute counts are the same.
        // One score (the common case) is compared without the list's loop.
        let order = match self.within[..] {
            [only] => self.score(only, a.best).cmp(&self.score(only, b.best)),
            _ => self.compare_by(&self.within, a.best, b.best),
        };
        match order {
            Ordering::Greater => a,
            Ordering::Less => b,
            Ordering::Equal => Node {
                best: a.best,
                count: a.count + b.count,
            },
        }
    }

    /// Candidate `k`'s score under each of `scores`, in order, into `out`.
    fn scores_into(&self, scores: &[Score], k: usize, out: &mut Vec<u64>) {
        out.clear();
        out.extend(scores.iter().map(|&s| self.score(s, k)));
    }

    /// How many of a cell root's candidates have the scores `target` (a
    /// [`StopOrder::scores_into`] every strategy).
    fn matching(&self, node: Node, target: &[u64]) -> usize {
        self.matching_by(&self.scores, node, target)
    }

    /// How many of `node`'s candidates, in a cell whose attribute counts are
    /// the target's, have the per-instance scores `target` (a
    /// [`StopOrder::scores_into`] `within`, computed once per pick rather than
    /// again at every node the draw visits).
    fn matching_within(&self, node: Node, target: &[u64]) -> usize {
        self.matching_by(&self.within, node, target)
    }

    fn matching_by(&self, scores: &[Score], node: Node, target: &[u64]) -> usize {
        let tied = node.count > 0
            && match (scores, target) {
                ([only], [t]) => self.score(*only, node.best) == *t,
                _ => scores
                    .iter()
                    .zip(target)
                    .all(|(&s, &t)| self.score(s, node.best) == t),
            };
        if tied {
            node.count
        } else {
            0
        }
    }

    /// The next task to stop (an index into `tasks`), drawing among the tied
    /// ones when there are several; `None` when no candidate is left.
    fn pick(&self, rng: &mut SplitMix64, room: &mut PickRoom) -> Option<usize> {
        let mut best: Option<usize> = None;
        for cell in &self.cells {
            let Some(&root) = cell.tree.get(1).filter(|root| root.count > 0) else {
                continue;
            };
            if best.is_none_or(|b| self.compare(root.best, b).is_gt()) {
                best = Some(root.best);
            }
        }
        let best = best?;
        self.scores_into(&self.scores, best, &mut room.all);
        let target = &room.all[..];
        room.tied.clear();
        let mut total = 0;
        for (c, cell) in self.cells.iter().enumerate() {
            let tied = cell
                .tree
                .get(1)
                .map_or(0, |&root| self.matching(root, target));
            if tied > 0 {
                room.tied.push(c);
                total += tied;
            }
        }
        let rank = if total > 1 { rng.below(total) } else { 0 };
        // Inside the tied cells only the per-instance scores can differ.
        self.scores_into(&self.within, best, &mut room.within);
        let target = &room.within[..];
        match room.tied[..] {
            [c] => Some(self.nth_best(&self.cells[c], target, rank)),
            _ => Some(self.nth_best_among(&room.tied, target, rank)),
        }
    }

    /// The `rank`-th (in id order) of `cell`'s candidates with the
    /// per-instance scores `target`.
    fn nth_best(&self, cell: &Cell, target: &[u64], mut rank: usize) -> usize {
        let mut v = 1;
        while v < cell.width {
            let left = self.matching_within(cell.tree[2 * v], target);
            if rank < left {
                v *= 2;
            } else {
                rank -= left;
                v = 2 * v + 1;
            }
        }
        self.at_leaf(cell, v - cell.width)
    }

    /// The candidate whose leaf is `leaf` of `cell`'s tree.
    fn at_leaf(&self, cell: &Cell, leaf: usize) -> usize {
        if self.aligned {
            leaf
        } else {
            cell.members[leaf]
        }
    }

    /// The `rank`-th (in id order) of the candidates with the per-instance
    /// scores `target`
    /// across several cells: the first id at which that many are passed.
    fn nth_best_among(&self, cells: &[usize], target: &[u64], mut rank: usize) -> usize {
        if self.aligned {
            // The trees cover the same candidates node for node: count the
            // tied ones left of each split across the cells at once.
            let width = self.tasks.len().next_power_of_two();
            let mut v = 1;
            while v < width {
                let left: usize = cells
                    .iter()
                    .map(|&c| self.matching_within(self.cells[c].tree[2 * v], target))
                    .sum();
                if rank < left {
                    v *= 2;
                } else {
                    rank -= left;
                    v = 2 * v + 1;
                }
            }
            return v - width;
        }
        // Tied candidates with an index below `end`.
        let below = |end: usize| -> usize {
            cells
                .iter()
                .map(|&c| {
                    let cell = &self.cells[c];
                    let upto = cell.members.partition_point(|&k| k < end);
                    self.matching_prefix(cell, upto, target)
                })
                .sum()
        };
        let (mut low, mut high) = (0, self.tasks.len().saturating_sub(1));
        while low < high {
            let mid = low + (high - low) / 2;
            if below(mid + 1) > rank {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        low
    }

    /// How many of `cell`'s first `upto` members have the scores `target`.
    fn matching_prefix(&self, cell: &Cell, upto: usize, target: &[u64]) -> usize {
        let (mut low, mut high) = (cell.width, cell.width + upto);
        let mut sum = 0;
        while low < high {
            if low & 1 == 1 {
                sum += self.matching_within(cell.tree[low], target);
                low += 1;
            }
            if high & 1 == 1 {
                high -= 1;
                sum += self.matching_within(cell.tree[high], target);
            }
            low /= 2;
            high /= 2;
        }
        sum
    }

    /// Picks and stops up to `count` candidates, the draws seeded by
    /// `seed`: their indexes into `tasks`, in order.
    fn take(&mut self, count: usize, seed: u64) -> Vec<usize> {
        let mut rng = SplitMix64::new(seed);
        let mut picked = Vec::with_capacity(count.min(self.tasks.len()));
        let mut room = PickRoom::default();
        while picked.len() < count {
            let Some(pick) = self.pick(&mut rng, &mut room) else {
                break;
            };
            self.stop(pick);
            picked.push(pick);
        }
        picked
    }

    /// Stops candidate `k`: its instance's counts and available resources
    /// change, so the scores of the instance's other candidates are redone.
    fn stop(&mut self, k: usize) {
        let task = self.tasks[k];
        let i = task.instance;
        self.cpu_available[i] += u64::from(task.cpu);
        self.memory_available[i] += u64::from(task.memory);
        self.set_alive(k, false);
        self.redo_instance(i);
    }

    /// [`StopOrder::redo_instances`] of one instance, whose candidates
    /// share a cell and whose leaves are in order.
    fn redo_instance(&mut self, i: usize) {
        let (from, to) = self.instance_range[i];
        let Some(&first) = self.by_instance.get(from).filter(|_| from < to) else {
            return;
        };
        let c = self.cell_of[first];
        let mut cell = std::mem::take(&mut self.cells[c]);
        let mut level = std::mem::take(&mut self.level);
        level.clear();
        for &k in &self.by_instance[from..to] {
            let leaf = cell.width + self.slot_of[k];
            cell.tree[leaf] = if self.alive[k] {
                Node { best: k, count: 1 }
            } else {
                EMPTY
            };
            level.push(leaf);
        }
        self.climb(&mut cell, &mut level);
        self.cells[c] = cell;
        self.level = level;
    }

    /// Merges the ancestors of the nodes `level` (in order) of `cell`'s
    /// tree again, level by level, each once, children before parents.
    fn climb(&self, cell: &mut Cell, level: &mut Vec<usize>) {
        if let [leaf] = level[..] {
            let mut v = leaf / 2;
            while v >= 1 {
                cell.tree[v] = self.merge(cell.tree[2 * v], cell.tree[2 * v + 1]);
                v /= 2;
            }
            return;
        }
        while level.first().is_some_and(|&v| v > 1) {
            for v in level.iter_mut() {
                *v /= 2;
            }
            level.dedup();
            for &v in level.iter() {
                cell.tree[v] = self.merge(cell.tree[2 * v], cell.tree[2 * v + 1]);
            }
        }
    }

    /// Candidate `k` counts or no longer counts in its instance's and its
    /// attribute values' counts (its leaf is redone by `redo_instances`).
    fn set_alive(&mut self, k: usize, alive: bool) {
        let i = self.tasks[k].instance;
        self.alive[k] = alive;
        if alive {
            self.on_instance[i] += 1;
        } else {
            self.on_instance[i] -= 1;
        }
        for attribute in &mut self.values {
            let count = &mut attribute.counts[attribute.value_of[i]];
            if alive {
                *count += 1;
            } else {
                *count -= 1;
            }
        }
    }

    /// The leaves of `instances`' candidates, whose scores changed, and
    /// then their ancestors level by level, each once, children before
    /// parents, cell by cell.
    fn redo_instances(&mut self, instances: &[usize]) {
        let mut nodes = std::mem::take(&mut self.nodes);
        nodes.clear();
        for &i in instances {
            let (from, to) = self.instance_range[i];
            for &k in &self.by_instance[from..to] {
                let c = self.cell_of[k];
                let cell = &mut self.cells[c];
                let leaf = cell.width + self.slot_of[k];
                cell.tree[leaf] = if self.alive[k] {
                    Node { best: k, count: 1 }
                } else {
                    EMPTY
                };
                nodes.push((c, leaf));
            }
        }
        // One instance's leaves are in order already (ids ascending).
        if instances.len() > 1 {
            nodes.sort_unstable();
            nodes.dedup();
        }
        let mut level = std::mem::take(&mut self.level);
        for same_cell in nodes.chunk_by(|a, b| a.0 == b.0) {
            let c = same_cell[0].0;
            let mut cell = std::mem::take(&mut self.cells[c]);
            level.clear();
            level.extend(same_cell.iter().map(|&(_, v)| v));
            self.climb(&mut cell, &mut level);
            self.cells[c] = cell;
        }
        self.nodes = nodes;
        self.level = level;
    }

    /// Brings a kept order up to date with `cluster` (see [`KeptStopOrder`]):
    /// the candidates become the tasks `named` (in id order) that are live
    /// on their instance in `group`, where only the instances `changed`
    /// (flagged in `is_changed`) can differ from when the hosts were last
    /// read. False when it cannot be (hosts of another size, a candidate the
    /// order never had, a claim that differs); the order is then built anew.
    fn update(
        &mut self,
        cluster: &Cluster,
        group: &str,
        named: &[(u64, usize)],
        changed: &[usize],
        is_changed: &[bool],
    ) -> bool {
        if cluster.instances.len() != self.on_instance.len()
            || is_changed.len() != self.on_instance.len()
        {
            return false;
        }
        // What the changed instances hold now of the order's candidates.
        for &slot in changed {
            let (from, to) = self.instance_range[slot];
            for &k in &self.by_instance[from..to] {
                let task = self.tasks[k];
                self.valid[k] = match live_candidate(cluster, group, task.id, slot) {
                    None => false,
                    Some(now) if now == task => true,
                    Some(_) => return false,
                };
            }
        }
        let mut wanted = std::mem::take(&mut self.wanted);
        wanted.clear();
        wanted.resize(self.tasks.len(), false);
        let mut k = 0;
        for &(id, slot) in named {
            while self.tasks.get(k).is_some_and(|task| task.id < id) {
                k += 1;
            }
            match self.tasks.get(k) {
                Some(task) if task.id == id && task.instance == slot => wanted[k] = self.valid[k],
                // A candidate the order never had; or not a candidate at
                // all, and then the fresh order would pass it by too.
                _ => {
                    if live_candidate(cluster, group, id, slot).is_some() {
                        self.wanted = wanted;
                        return false;
                    }
                }
            }
        }
        // Candidates that come and go redo their instance's leaves; so do
        // changed resources the scores within a cell read.
        let mut redo: Vec<usize> = Vec::new();
        for (k, &want) in wanted.iter().enumerate() {
            if self.alive[k] != want {
                self.set_alive(k, want);
                redo.push(self.tasks[k].instance);
            }
        }
        self.wanted = wanted;
        let reads_cpu = self.within.iter().any(|s| matches!(s, Score::CpuAfter));
        let reads_memory = self.within.iter().any(|s| matches!(s, Score::MemoryAfter));
        for &slot in changed {
            let Some(instance) = cluster.instances.get(slot) else {
                continue;
            };
            let cpu = u64::from(instance.free_cpu());
            let memory = u64::from(instance.free_memory());
            let differs = (reads_cpu && cpu != self.cpu_available[slot])
                || (reads_memory && memory != self.memory_available[slot]);
            self.cpu_available[slot] = cpu;
            self.memory_available[slot] = memory;
            if differs {
                redo.push(slot);
            }
        }
        if !redo.is_empty() {
            redo.sort_unstable();
            redo.dedup();
            self.redo_instances(&redo);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::place::cluster::ContainerInstance;
    use crate::place::requirements::TaskRequirements;

    #[test]
    fn interner_numbers_values_in_first_seen_order_past_the_short_list() {
        // More values than the short list holds, each seen several times.
        let names: Vec<String> = (0..3 * Interner::FEW).map(|n| format!("v{n}")).collect();
        let mut values: Vec<Option<&str>> = vec![None];
        for round in 0..3 {
            for (k, name) in names.iter().enumerate() {
                if (k + round) % 2 == 0 {
                    values.push(Some(name.as_str()));
                }
            }
            values.push(None);
        }
        let mut interner = Interner::default();
        let mut first_seen: Vec<Option<&str>> = Vec::new();
        for value in values {
            let expected = match first_seen.iter().position(|v| *v == value) {
                Some(at) => at,
                None => {
                    first_seen.push(value);
                    first_seen.len() - 1
                }
            };
            assert_eq!(interner.index(value), expected, "{value:?}");
        }
        assert!(first_seen.len() > Interner::FEW);
    }

    /// The straightforward form the incremental selection must equal: each
    /// pick scores every remaining candidate again (the selection as it was
    /// first written). The property test compares the two.
    pub(super) fn select_tasks_to_stop_reference(
        cluster: &Cluster,
        group: &str,
        strategies: &[PlacementStrategy],
        count: usize,
        seed: u64,
        eligible: impl Fn(u64) -> bool,
    ) -> Vec<u64> {
        let strategies = strategies_or_service_default(strategies);
        let strategies = &strategies[..];
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
                        (0..tasks.len())
                            .filter(|&k| alive[k] && counts[value_of[tasks[k].1]] == best),
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

    /// A random cluster: instances of a few types in three zones, some with a
    /// custom attribute, tasks of two groups with several claims, some of
    /// them STOPPING (not live).
    fn random_cluster(rng: &mut SplitMix64) -> Cluster {
        let types = ["m5.large", "m5.xlarge", "t3.medium", "c5.2xlarge"];
        let zones = ["us-east-1a", "us-east-1b", "us-east-1c"];
        let size = 1 + rng.below(24);
        let mut cluster = Cluster::new(
            (0..size)
                .filter_map(|k| {
                    let mut instance = ContainerInstance::launch(
                        &format!("i-{k}"),
                        types[rng.below(types.len())],
                        zones[rng.below(zones.len())],
                    )?;
                    if rng.below(3) > 0 {
                        instance.set_attribute("rack", ["r1", "r2"][rng.below(2)]);
                    }
                    Some(instance)
                })
                .collect(),
        );
        let groups = ["service:web", "service:api"];
        let claims = [(128, 256), (256, 512), (512, 1024)];
        let instances = cluster.instances.len();
        for _ in 0..rng.below(5 * instances + 1) {
            let (cpu, memory) = claims[rng.below(claims.len())];
            let needs = TaskRequirements {
                cpu,
                memory,
                ..TaskRequirements::default()
            };
            let at = rng.below(instances);
            let group = groups[usize::from(rng.below(4) == 0)];
            if let Some(id) = cluster.start_task(at, group, &needs) {
                if rng.below(8) == 0 {
                    cluster.begin_stopping(id);
                }
            }
        }
        cluster
    }

    fn random_strategies(rng: &mut SplitMix64) -> Vec<PlacementStrategy> {
        let pool = [
            PlacementStrategy::Random,
            PlacementStrategy::spread_zone(),
            PlacementStrategy::Spread(SpreadField::Instance),
            PlacementStrategy::Spread(SpreadField::Attribute("rack".into())),
            PlacementStrategy::Spread(SpreadField::Attribute("ecs.instance-type".into())),
            PlacementStrategy::Binpack(BinpackField::Cpu),
            PlacementStrategy::Binpack(BinpackField::Memory),
        ];
        (0..rng.below(5))
            .map(|_| pool[rng.below(pool.len())].clone())
            .collect()
    }

    #[test]
    fn the_incremental_selection_equals_rescanning_every_candidate() {
        let mut rng = SplitMix64::new(12);
        for case in 0..3000 {
            let cluster = random_cluster(&mut rng);
            let strategies = random_strategies(&mut rng);
            let live = cluster
                .instances
                .iter()
                .map(|i| i.tasks.len())
                .sum::<usize>();
            let count = rng.below(live + 3);
            let seed = rng.next_u64();
            // Every task, or a third of them (the scheduler's old deployments).
            let modulus = [1, 3][rng.below(2)] as u64;
            let eligible = |id: u64| id.is_multiple_of(modulus);
            let fast = select_tasks_to_stop_among(
                &cluster,
                "service:web",
                &strategies,
                count,
                seed,
                eligible,
            );
            let reference = select_tasks_to_stop_reference(
                &cluster,
                "service:web",
                &strategies,
                count,
                seed,
                eligible,
            );
            assert_eq!(
                fast, reference,
                "case {case}: {strategies:?}, count {count}"
            );
            // The same tasks named with their instances (as the simulator
            // does), among tasks that do not count: STOPPING ones, another
            // group's, and ones named on the wrong instance; out of order.
            let mut named: Vec<(u64, usize)> = Vec::new();
            for (slot, instance) in cluster.instances.iter().enumerate() {
                for task in instance.tasks.iter().filter(|t| eligible(t.id)) {
                    named.push((task.id, slot));
                    if rng.below(4) == 0 {
                        named.push((task.id, slot + 1 + rng.below(3)));
                    }
                }
            }
            named.reverse();
            let of =
                select_tasks_to_stop_of(&cluster, "service:web", &strategies, count, seed, &named);
            assert_eq!(
                of, reference,
                "case {case}, named: {strategies:?}, count {count}"
            );
        }
    }

    #[test]
    fn aligned_and_separate_cell_trees_both_equal_rescanning() {
        // Spread over an attribute with 3 values (aligned trees, one descent
        // for a draw among cells) and with 12 (each cell its own tree).
        for racks in [3, 12] {
            let mut cluster = cluster_with(
                &(0..48)
                    .map(|k| (["us-east-1a", "us-east-1b"][k % 2], 1 + k % 3))
                    .collect::<Vec<_>>(),
            );
            for (k, instance) in cluster.instances.iter_mut().enumerate() {
                instance.set_attribute("rack", &format!("r{}", k % racks));
            }
            let strategies = [
                PlacementStrategy::Spread(SpreadField::Attribute("rack".into())),
                PlacementStrategy::Spread(SpreadField::Instance),
            ];
            let order = StopOrder::new(
                &cluster,
                &strategies,
                select_candidates(&cluster, "service:web", |_| true),
            );
            assert_eq!(order.aligned, racks <= ALIGNED_CELLS, "{racks} racks");
            assert_eq!(order.cells.len(), racks);
            let total = order.tasks.len();
            for seed in 0..20 {
                let count = (seed as usize * 7) % (total + 1);
                let fast = select_tasks_to_stop(&cluster, "service:web", &strategies, count, seed);
                let reference = select_tasks_to_stop_reference(
                    &cluster,
                    "service:web",
                    &strategies,
                    count,
                    seed,
                    |_| true,
                );
                assert_eq!(fast, reference, "{racks} racks, seed {seed}");
            }
        }
    }

    #[test]
    fn the_incremental_selection_equals_rescanning_on_a_large_balanced_cluster() {
        // The benchmark's shape: one task per instance, zones one apart, then
        // several tasks per instance; every default pick is a tie.
        for (instances, per_instance) in [(301, 1), (60, 4)] {
            let layout: Vec<(&str, usize)> = (0..instances)
                .map(|k| {
                    (
                        ["us-east-1a", "us-east-1b", "us-east-1c"][k % 3],
                        per_instance,
                    )
                })
                .collect();
            let cluster = cluster_with(&layout);
            let total = instances * per_instance;
            for strategies in [
                vec![],
                vec![PlacementStrategy::Binpack(BinpackField::Memory)],
                vec![
                    PlacementStrategy::spread_zone(),
                    PlacementStrategy::Binpack(BinpackField::Cpu),
                ],
            ] {
                let fast = select_tasks_to_stop(&cluster, "service:web", &strategies, total, 5);
                let reference = select_tasks_to_stop_reference(
                    &cluster,
                    "service:web",
                    &strategies,
                    total,
                    5,
                    |_| true,
                );
                assert_eq!(fast.len(), total);
                assert_eq!(fast, reference, "{strategies:?}");
            }
        }
    }

    /// The tasks of `cluster` as the simulator names its candidates: with
    /// their instances, those `eligible` accepts, STOPPING ones and another
    /// group's among them, some named on a wrong instance too; in no order
    /// when `shuffled`.
    fn named_tasks(
        cluster: &Cluster,
        rng: &mut SplitMix64,
        eligible: impl Fn(u64, usize) -> bool,
        shuffled: bool,
    ) -> Vec<(u64, usize)> {
        let mut named: Vec<(u64, usize)> = Vec::new();
        for (slot, instance) in cluster.instances.iter().enumerate() {
            for task in instance.tasks.iter().filter(|t| eligible(t.id, slot)) {
                named.push((task.id, slot));
                if rng.below(16) == 0 {
                    named.push((task.id, slot + 1 + rng.below(2)));
                }
            }
        }
        named.sort_unstable();
        if shuffled {
            named.reverse();
        }
        named
    }

    #[test]
    fn a_kept_order_picks_what_a_fresh_one_picks_at_every_step() {
        // Random sequences of task starts, stops (begun and finished),
        // drains, attribute changes, instances joining and scale-ins, the
        // chosen tasks stopped or left running; after each step a kept
        // order, told which instances changed, selects exactly what a fresh
        // order over the same hosts and candidates selects.
        let mut rng = SplitMix64::new(77);
        let (mut selections, mut builds) = (0usize, 0usize);
        let groups = ["service:web", "service:api"];
        let claims = [(128, 256), (256, 512), (512, 1024)];
        for case in 0..400 {
            let mut cluster = random_cluster(&mut rng);
            let strategies = random_strategies(&mut rng);
            let mut kept = KeptStopOrder::new("service:web", &strategies);
            assert!(kept.is_for("service:web", &strategies));
            let mut draining = vec![false; cluster.instances.len()];
            for step in 0..40 {
                let slot = rng.below(cluster.instances.len());
                let live: Vec<(u64, usize)> = cluster
                    .instances
                    .iter()
                    .enumerate()
                    .flat_map(|(at, i)| i.tasks.iter().map(move |t| (t.id, at)))
                    .collect();
                let any_task = (!live.is_empty()).then(|| live[rng.below(live.len())]);
                let what = rng.below(20);
                match what {
                    // Starts (one of another group, which never counts).
                    0..=2 => {
                        let (cpu, memory) = claims[rng.below(claims.len())];
                        let needs = TaskRequirements {
                            cpu,
                            memory,
                            ..TaskRequirements::default()
                        };
                        cluster.start_task(slot, groups[usize::from(what == 2)], &needs);
                        kept.changed(slot);
                    }
                    3..=5 => {
                        if let Some((id, at)) = any_task {
                            cluster.begin_stopping_on(at, id);
                            kept.changed(at);
                        }
                    }
                    6..=7 => {
                        if let Some((id, at)) = any_task {
                            cluster.finish_stopped_on(at, id);
                            kept.changed(at);
                        }
                    }
                    8 => {
                        // A drain changes which tasks the scheduler names.
                        draining[slot] = !draining[slot];
                        cluster.instances[slot].status = if draining[slot] {
                            crate::place::cluster::InstanceStatus::Draining
                        } else {
                            crate::place::cluster::InstanceStatus::Active
                        };
                        kept.changed(slot);
                    }
                    9 => {
                        // New attribute values: the simulator drops its
                        // kept orders, and the next one is built afresh.
                        cluster.instances[slot].set_attribute("rack", "r3");
                        builds += kept.builds;
                        kept = KeptStopOrder::new("service:web", &strategies);
                    }
                    10 => {
                        // An instance joins with a task: an order kept over
                        // fewer instances builds itself again.
                        let joined = cluster.instances.len();
                        if let Some(instance) = ContainerInstance::launch(
                            &format!("i-{joined}"),
                            "m5.large",
                            "us-east-1b",
                        ) {
                            cluster.instances.push(instance);
                            draining.push(false);
                            let needs = TaskRequirements {
                                cpu: 256,
                                memory: 512,
                                ..TaskRequirements::default()
                            };
                            cluster.start_task(joined, "service:web", &needs);
                            if rng.below(2) == 0 {
                                kept.changed(joined);
                            }
                        }
                    }
                    _ => {}
                }
                // The candidates named: every task, the old deployment's
                // third, or those on (not) draining instances.
                let mode = rng.below(4);
                let named = named_tasks(
                    &cluster,
                    &mut rng,
                    |id, at| match mode {
                        0 => true,
                        1 => id % 3 != 0,
                        2 => !draining[at],
                        _ => draining[at],
                    },
                    step % 5 == 4,
                );
                let count = rng.below(named.len() + 2);
                let seed = rng.next_u64();
                let fresh = select_tasks_to_stop_of(
                    &cluster,
                    "service:web",
                    &strategies,
                    count,
                    seed,
                    &named,
                );
                let chosen = kept.select(&cluster, count, seed, &named);
                selections += 1;
                assert_eq!(
                    chosen, fresh,
                    "case {case} step {step} (after change {what}): {strategies:?}, count {count}"
                );
                // The scheduler stops what it chose, or (some of the time)
                // none or only some of it.
                let stop = match rng.below(3) {
                    0 => 0,
                    1 => chosen.len(),
                    _ => rng.below(chosen.len() + 1),
                };
                for &id in &chosen[..stop] {
                    if let Some(at) = cluster
                        .instances
                        .iter()
                        .position(|i| i.tasks.iter().any(|t| t.id == id))
                    {
                        cluster.begin_stopping_on(at, id);
                        kept.changed(at);
                    }
                }
            }
            builds += kept.builds;
        }
        // Most selections brought the kept order up to date rather than
        // building it again.
        assert!(
            builds * 3 < selections,
            "{builds} builds for {selections} selections"
        );
    }
}
