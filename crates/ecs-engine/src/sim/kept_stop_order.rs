//! The scale-in orders the simulator keeps between scheduler runs
//! (`place::scale_in::KeptStopOrder`), so that a rolling deployment's
//! scale-ins cost what changed since the last one and their picks, not a
//! rebuild over every old task and instance at every run.
//!
//! A cache, never a second truth: an order is told of every host change by
//! `KeptIndexes` (which `State` and each placement batch tell of every
//! change: `changed`), dropped with the cluster's placer indexes
//! (`forget_cluster`: instances joining, attributes changing), and keyed by
//! the group and the strategies it scores by, so an UpdateService that
//! changes the strategies gets an order of its own. It rebuilds itself when
//! a candidate it never had is named. In test builds every selection is
//! compared with a fresh `place::scale_in::select_tasks_to_stop_of`.

use crate::place::scale_in::KeptStopOrder;
use crate::place::{Cluster, PlacementStrategy};

/// Orders kept per cluster: a service's pools (the surplus of its primary
/// deployment, the tasks it retires) and a few services.
const KEPT_PER_CLUSTER: usize = 8;

/// Per cluster (the index of `State::clusters`): the kept orders, least
/// recently used first.
#[derive(Debug, Clone, Default)]
pub struct KeptStopOrders {
    clusters: Vec<Vec<KeptStopOrder>>,
    /// Selections made, and those a kept order made without being built
    /// again (each compared with a fresh selection).
    #[cfg(test)]
    pub(crate) selections: usize,
    #[cfg(test)]
    pub(crate) updated: usize,
}

impl KeptStopOrders {
    /// Host `slot` of `cluster` changed.
    pub fn changed(&mut self, cluster: usize, slot: usize) {
        if let Some(kept) = self.clusters.get_mut(cluster) {
            for order in kept {
                order.changed(slot);
            }
        }
    }

    /// Something the orders do not follow changed: drop them.
    pub fn forget_cluster(&mut self, cluster: usize) {
        if let Some(kept) = self.clusters.get_mut(cluster) {
            kept.clear();
        }
    }

    /// `place::scale_in::select_tasks_to_stop_of` over `hosts` (the hosts
    /// of `cluster`), through the order kept for `group` and `strategies`
    /// that already knows one of the first named tasks (a service's other
    /// pool, or one never seen, gets an order of its own).
    #[allow(clippy::too_many_arguments)]
    pub fn select(
        &mut self,
        cluster: usize,
        hosts: &Cluster,
        group: &str,
        strategies: &[PlacementStrategy],
        count: usize,
        seed: u64,
        eligible: &[(u64, usize)],
    ) -> Vec<u64> {
        if self.clusters.len() <= cluster {
            self.clusters.resize_with(cluster + 1, Vec::new);
        }
        let Some(kept) = self.clusters.get_mut(cluster) else {
            return Vec::new();
        };
        /// Named tasks looked for (one of them may not be a candidate).
        const LOOKED_FOR: usize = 4;
        let at = kept.iter().rposition(|order| {
            order.is_for(group, strategies)
                && eligible
                    .iter()
                    .take(LOOKED_FOR)
                    .any(|&(id, _)| order.knows(id))
        });
        let mut order = match at {
            Some(at) => kept.remove(at),
            None => {
                if kept.len() >= KEPT_PER_CLUSTER {
                    kept.remove(0);
                }
                KeptStopOrder::new(group, strategies)
            }
        };
        #[cfg(test)]
        let builds = at.map(|_| order.builds());
        let chosen = order.select(hosts, count, seed, eligible);
        #[cfg(test)]
        {
            self.selections += 1;
            self.updated += usize::from(builds == Some(order.builds()));
        }
        #[cfg(test)]
        assert_eq!(
            chosen,
            crate::place::scale_in::select_tasks_to_stop_of(
                hosts, group, strategies, count, seed, eligible
            ),
            "the kept scale-in order of {group} chose otherwise than a fresh one"
        );
        kept.push(order);
        chosen
    }
}
