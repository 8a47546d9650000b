//! Every service event of the run, in the order ECS emitted it, so the list
//! DescribeServices would have shown at any time can be cut from it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::super::state::Service;
use super::super::Ecs;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceEventView {
    pub at: u64,
    pub cluster: String,
    pub service: String,
    pub id: String,
    /// ECS's own wording.
    pub message: String,
}

/// The log of emitted service events, oldest first.
#[derive(Debug, Default)]
pub(crate) struct EventRecorder {
    events: Vec<ServiceEventView>,
    /// By service index: the newest event id already logged.
    newest: BTreeMap<usize, String>,
}

impl EventRecorder {
    /// Logs the events emitted since the last look; returns how many.
    pub(crate) fn observe(&mut self, ecs: &Ecs) -> usize {
        let before = self.events.len();
        for (si, s) in ecs.state.services.iter().enumerate() {
            let Some(front) = s.events.front() else {
                continue;
            };
            let known = self.newest.get(&si);
            if known == Some(&front.id) {
                continue;
            }
            let fresh: Vec<&_> = s
                .events
                .iter()
                .take_while(|e| Some(&e.id) != known)
                .collect();
            let cluster = ecs
                .state
                .clusters
                .get(s.cluster)
                .map(|c| c.name.clone())
                .unwrap_or_default();
            for e in fresh.into_iter().rev() {
                self.events.push(view(&cluster, s, e));
            }
            self.newest.insert(si, front.id.clone());
        }
        // Several services may emit at one time: keep the log in time order.
        if let Some(new) = self.events.get_mut(before..) {
            new.sort_by_key(|e| e.at);
        }
        self.events.len() - before
    }

    pub(crate) fn events(&self) -> &[ServiceEventView] {
        &self.events
    }

    pub(crate) fn finish(self) -> Vec<ServiceEventView> {
        self.events
    }
}

fn view(cluster: &str, s: &Service, e: &super::super::state::ServiceEvent) -> ServiceEventView {
    ServiceEventView {
        at: e.created_at,
        cluster: cluster.to_string(),
        service: s.name.clone(),
        id: e.id.clone(),
        message: e.message.clone(),
    }
}

/// The events DescribeServices shows at `at`: newest first, at most
/// [`Service::EVENT_CAP`] per service (duplicates were already suppressed
/// when ECS emitted them).
pub(crate) fn events_until(
    log: &[ServiceEventView],
    at: u64,
    service: Option<&str>,
) -> Vec<ServiceEventView> {
    let end = log.partition_point(|e| e.at <= at);
    let mut per_service: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut out = Vec::new();
    for e in log.get(..end).unwrap_or_default().iter().rev() {
        if service.is_some_and(|name| name != e.service) {
            continue;
        }
        let shown = per_service
            .entry((e.cluster.as_str(), e.service.as_str()))
            .or_insert(0);
        if *shown < Service::EVENT_CAP {
            *shown += 1;
            out.push(e.clone());
        }
    }
    out
}
