//! The placers' indexes the simulator keeps between placement batches, so
//! that a RunTask or a scheduler run costs what changed since the last batch
//! of the same request, not the size of the cluster.
//!
//! One source of truth: an index is only ever a cache of what
//! `place::Placer::new` builds from the hosts. Every change to a cluster's
//! hosts goes through `State` (`begin_stopping_on`, `finish_stopped_on`,
//! `sync_host`, `host_mut`, `hosts_mut`) or through a placer of a batch
//! (`Placer::into_index` reports the instances it changed), and each tells
//! the kept indexes: a changed instance is re-evaluated when the index is
//! next used (`Placer::resume`); anything else (instances joining,
//! attributes or the agent changing) drops the cluster's indexes. In test
//! builds every resumed index is compared with a freshly built one. The
//! scale-in's kept orders (`sim::kept_stop_order`) are told the same.

use crate::place::{Cluster, PlacementError, PlacementRequest, Placer, PlacerIndex};

/// Indexes kept per cluster: a few requests (a RunTask's, each service's).
const KEPT_PER_CLUSTER: usize = 8;

#[derive(Debug, Clone)]
struct Kept {
    index: PlacerIndex,
    /// Host slots changed since the index was put back (duplicates allowed).
    changed: Vec<u32>,
}

/// Per cluster (the index of `State::clusters`): the kept indexes, least
/// recently used first.
#[derive(Debug, Clone, Default)]
pub struct KeptIndexes {
    clusters: Vec<Vec<Kept>>,
    /// The scale-in's orders, told of the same changes
    /// (`sim::kept_stop_order`).
    pub stop_orders: super::kept_stop_order::KeptStopOrders,
}

impl KeptIndexes {
    /// Host `slot` of `cluster` changed (a task started or stopped on it,
    /// its status or agent connection changed).
    pub fn changed(&mut self, cluster: usize, slot: usize) {
        self.stop_orders.changed(cluster, slot);
        let Some(kept) = self.clusters.get_mut(cluster) else {
            return;
        };
        // Past one change per instance, building anew costs no more.
        kept.retain_mut(|k| {
            k.changed.push(slot as u32);
            k.changed.len() <= k.index.instance_count().max(16)
        });
    }

    /// Something the indexes do not follow changed: drop them.
    pub fn forget_cluster(&mut self, cluster: usize) {
        self.stop_orders.forget_cluster(cluster);
        if let Some(kept) = self.clusters.get_mut(cluster) {
            kept.clear();
        }
    }

    /// The placer of a batch of `request` over `hosts` (the hosts of
    /// `cluster`): resumed from the kept index of the same request, or built.
    pub fn placer<'c>(
        &mut self,
        cluster: usize,
        hosts: &'c mut Cluster,
        request: PlacementRequest,
        seed: u64,
    ) -> Result<Placer<'c>, PlacementError> {
        let kept = self.clusters.get_mut(cluster).and_then(|kept| {
            let at = kept.iter().position(|k| *k.index.request() == request)?;
            Some(kept.remove(at))
        });
        let Some(Kept { index, changed }) = kept else {
            return Placer::new(hosts, request, seed);
        };
        #[cfg(test)]
        let check = (hosts.clone(), index.request().clone(), changed.clone());
        // `resume` gives the hosts back when the index no longer fits them.
        match Placer::resume(hosts, index, &changed, seed) {
            Ok(placer) => {
                #[cfg(test)]
                check_resumed(&placer, check);
                Ok(placer)
            }
            Err(hosts) => Placer::new(hosts, request, seed),
        }
    }

    /// Keeps a batch's index for the next batch of its request, and tells
    /// the cluster's other indexes which instances the batch changed.
    pub fn put(&mut self, cluster: usize, index: PlacerIndex, touched: &[u32]) {
        if self.clusters.len() <= cluster {
            self.clusters.resize_with(cluster + 1, Vec::new);
        }
        for &slot in touched {
            self.changed(cluster, slot as usize);
        }
        let Some(kept) = self.clusters.get_mut(cluster) else {
            return;
        };
        if kept.len() >= KEPT_PER_CLUSTER {
            kept.remove(0);
        }
        kept.push(Kept {
            index,
            changed: Vec::new(),
        });
    }
}

#[cfg(test)]
impl KeptIndexes {
    /// Checks every kept index against one built afresh from `hosts` (the
    /// state's, per cluster); returns how many were compared.
    pub(crate) fn check_all(&self, hosts: &[Cluster]) -> usize {
        let mut compared = 0;
        for (cluster, kept) in self.clusters.iter().enumerate() {
            let Some(hosts) = hosts.get(cluster) else {
                assert!(kept.is_empty(), "an index kept for a cluster without hosts");
                continue;
            };
            for k in kept {
                let mut resumed_hosts = hosts.clone();
                let resumed = Placer::resume(&mut resumed_hosts, k.index.clone(), &k.changed, 0);
                if let Ok(placer) = resumed {
                    check_resumed(
                        &placer,
                        (hosts.clone(), k.index.request().clone(), k.changed.clone()),
                    );
                    compared += 1;
                }
            }
        }
        compared
    }
}

/// The one-source-of-truth check, in every test that places through the
/// simulator: a resumed index equals the index built afresh from the same
/// hosts (taken before the resumed placer re-evaluated anything).
#[cfg(test)]
fn check_resumed(
    placer: &Placer<'_>,
    (mut hosts, request, changed): (Cluster, PlacementRequest, Vec<u32>),
) {
    let fresh = Placer::new(&mut hosts, request, 0)
        .map(|p| p.into_index().0)
        .expect("a kept request was valid when first placed");
    let resumed = placer.index_snapshot();
    assert!(
        resumed.same_as(&fresh),
        "the kept placement index differs from a fresh one after changes to {changed:?}:\nkept  {resumed:?}\nfresh {fresh:?}"
    );
}
