//! The whole run's series for the deployment timeline and the cluster
//! reservation chart, sampled after every call and every event time; a point
//! is added only when a value changes (step series).

use std::collections::BTreeMap;

use serde::Serialize;

use super::super::scheduler::{maximum_tasks, minimum_healthy};
use super::super::Ecs;
use super::events::ServiceEventView;
use super::frame::revision_of;
use super::log::FrameLog;
use crate::sim::state::RolloutState;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentChart {
    pub services: Vec<ServiceChart>,
    pub reservation: Vec<ReservationSeries>,
    /// In time order.
    pub markers: Vec<Marker>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceChart {
    pub cluster: String,
    pub service: String,
    pub service_index: u32,
    /// Step series of the desired count and the deployment bands.
    pub bands: Vec<BandPoint>,
    pub deployments: Vec<DeploymentSeries>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BandPoint {
    pub at: u64,
    pub desired: u32,
    /// `ceil(desired × minimumHealthyPercent / 100)`.
    pub minimum_healthy: u32,
    /// `floor(desired × maximumPercent / 100)`.
    pub maximum: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentSeries {
    pub deployment_id: String,
    pub task_definition: String,
    pub revision: u32,
    pub points: Vec<CountPoint>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CountPoint {
    pub at: u64,
    pub running: u32,
    pub pending: u32,
    /// The deployment's `failedTasks` as DescribeServices reports it: what
    /// the circuit breaker counts against its threshold.
    pub failed: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReservationSeries {
    pub cluster: String,
    pub points: Vec<ReservationPoint>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReservationPoint {
    pub at: u64,
    pub cpu_percent: f64,
    pub memory_percent: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Marker {
    pub at: u64,
    pub service: String,
    pub kind: MarkerKind,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum MarkerKind {
    DeploymentStarted,
    CircuitBreakerFailure { failed: u32, threshold: u32 },
    RolledBack,
    Failed,
    SteadyState,
}

/// What the recorder remembers of a deployment between looks.
#[derive(Debug, Clone)]
struct Seen {
    failed: u32,
    rollout_state: RolloutState,
}

/// Builds the chart while the run goes.
#[derive(Debug, Default)]
pub(crate) struct ChartRecorder {
    chart: DeploymentChart,
    /// By service index: its position in `chart.services`.
    service_slot: BTreeMap<usize, usize>,
    /// By (service, deployment id): position in the service's series, and what was seen.
    deployments: BTreeMap<(usize, String), (usize, Seen)>,
    cluster_slot: BTreeMap<usize, usize>,
}

impl ChartRecorder {
    /// Samples the series after a look; counts and reservation come from the
    /// frame log, already up to date.
    pub(crate) fn observe(&mut self, ecs: &Ecs, log: &FrameLog, new_events: &[ServiceEventView]) {
        let at = ecs.now;
        for (si, s) in ecs.state.services.iter().enumerate() {
            let Some(cluster) = ecs.state.clusters.get(s.cluster) else {
                continue;
            };
            let slot = *self.service_slot.entry(si).or_insert_with(|| {
                self.chart.services.push(ServiceChart {
                    cluster: cluster.name.clone(),
                    service: s.name.clone(),
                    service_index: si as u32,
                    bands: Vec::new(),
                    deployments: Vec::new(),
                });
                self.chart.services.len() - 1
            });
            let Some(series) = self.chart.services.get_mut(slot) else {
                continue;
            };
            let band = BandPoint {
                at,
                desired: s.desired_count,
                minimum_healthy: minimum_healthy(s.desired_count, s.config.minimum_healthy_percent),
                maximum: maximum_tasks(s.desired_count, s.config.maximum_percent),
            };
            push_changed(&mut series.bands, band, |a, b| {
                (a.desired, a.minimum_healthy, a.maximum)
                    == (b.desired, b.minimum_healthy, b.maximum)
            });
            for d in &s.deployments {
                let key = (si, d.id.clone());
                let known = self.deployments.contains_key(&key);
                if !known {
                    series.deployments.push(DeploymentSeries {
                        deployment_id: d.id.clone(),
                        task_definition: d.task_definition.clone(),
                        revision: revision_of(&d.task_definition).unwrap_or(0),
                        points: Vec::new(),
                    });
                    let (kind, text) = if d.is_rollback {
                        (
                            MarkerKind::RolledBack,
                            format!("Rolled back to {}", short_td(&d.task_definition)),
                        )
                    } else {
                        (
                            MarkerKind::DeploymentStarted,
                            format!(
                                "Deployment {} started: {}",
                                d.id,
                                short_td(&d.task_definition)
                            ),
                        )
                    };
                    self.chart.markers.push(Marker {
                        at,
                        service: s.name.clone(),
                        kind,
                        text,
                    });
                    self.deployments.insert(
                        key.clone(),
                        (
                            series.deployments.len() - 1,
                            Seen {
                                failed: 0,
                                rollout_state: d.rollout_state,
                            },
                        ),
                    );
                }
                let Some((position, seen)) = self.deployments.get_mut(&key) else {
                    continue;
                };
                if d.failed_tasks > seen.failed && s.config.circuit_breaker {
                    self.chart.markers.push(Marker {
                        at,
                        service: s.name.clone(),
                        kind: MarkerKind::CircuitBreakerFailure {
                            failed: d.failed_tasks,
                            threshold: d.threshold,
                        },
                        text: format!(
                            "{} failed tasks of a threshold of {}",
                            d.failed_tasks, d.threshold
                        ),
                    });
                }
                seen.failed = d.failed_tasks;
                if d.rollout_state != seen.rollout_state && d.rollout_state == RolloutState::Failed
                {
                    self.chart.markers.push(Marker {
                        at,
                        service: s.name.clone(),
                        kind: MarkerKind::Failed,
                        text: d.rollout_state_reason.clone(),
                    });
                }
                seen.rollout_state = d.rollout_state;
                let counts = log.counts(si, &d.id);
                let (running, pending) = (counts.running, counts.pending);
                if let Some(line) = series.deployments.get_mut(*position) {
                    push_changed(
                        &mut line.points,
                        CountPoint {
                            at,
                            running,
                            pending,
                            failed: d.failed_tasks,
                        },
                        |a, b| (a.running, a.pending, a.failed) == (b.running, b.pending, b.failed),
                    );
                }
            }
        }
        for e in new_events
            .iter()
            .filter(|e| e.message.ends_with("has reached a steady state."))
        {
            self.chart.markers.push(Marker {
                at: e.at,
                service: e.service.clone(),
                kind: MarkerKind::SteadyState,
                text: e.message.clone(),
            });
        }
        for (ci, c) in ecs.state.clusters.iter().enumerate() {
            let (cpu_percent, memory_percent) = log.reservation(ci);
            let slot = *self.cluster_slot.entry(ci).or_insert_with(|| {
                self.chart.reservation.push(ReservationSeries {
                    cluster: c.name.clone(),
                    points: Vec::new(),
                });
                self.chart.reservation.len() - 1
            });
            if let Some(series) = self.chart.reservation.get_mut(slot) {
                let point = ReservationPoint {
                    at,
                    cpu_percent,
                    memory_percent,
                };
                push_changed(&mut series.points, point, |a, b| {
                    (a.cpu_percent, a.memory_percent) == (b.cpu_percent, b.memory_percent)
                });
            }
        }
    }

    pub(crate) fn finish(self) -> DeploymentChart {
        self.chart
    }
}

/// Appends `point` unless it equals the last one; a change at the same time
/// replaces the last point.
fn push_changed<T: Copy + HasTime>(series: &mut Vec<T>, point: T, same: impl Fn(&T, &T) -> bool) {
    match series.last_mut() {
        Some(last) if same(last, &point) => {}
        Some(last) if last.at() == point.at() => *last = point,
        _ => series.push(point),
    }
}

trait HasTime {
    fn at(&self) -> u64;
}

impl HasTime for BandPoint {
    fn at(&self) -> u64 {
        self.at
    }
}
impl HasTime for CountPoint {
    fn at(&self) -> u64 {
        self.at
    }
}
impl HasTime for ReservationPoint {
    fn at(&self) -> u64 {
        self.at
    }
}

fn short_td(arn: &str) -> &str {
    crate::arn::short_name(arn)
}
