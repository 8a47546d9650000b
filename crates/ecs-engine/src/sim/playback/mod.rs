//! Playback: one deterministic run of a scenario, recorded so the UI can
//! watch it, scrub it and ask why.
//!
//! [`Recording::record`] runs the scenario once, exactly as
//! [`Scenario::run`] does, looking at the state after every call and after
//! every virtual time at which events ran. It keeps the calls, the timeline,
//! every service event, the whole-run chart series, the times at which
//! anything happened, and a compact delta log of what the cluster map shows.
//!
//! How each view stays exact and memory stays bounded:
//!
//! - [`Recording::frame_at`] rebuilds the map from the delta log
//!   (`log.rs`): fixed facts of each task and instance stored once, then one
//!   small record per change of a task (lastStatus, desiredStatus, health,
//!   instance, deployment) or an instance (status, agent, reserved CPU and
//!   memory, registered), with periodic checkpoints of the live ones. The
//!   simulator notes which tasks and instances each step changed
//!   ([`Touched`], switched on only while recording), so recording reads
//!   those alone. Never a copy of the whole account per event.
//! - The chart's counts and reservation are kept incrementally from the same
//!   changes; a point is added only when a value changes.
//! - Task details and explanations need everything DescribeTasks and the
//!   placement trace need, so they replay the scenario to the asked time on
//!   demand: the simulator never reads the clock or the OS's randomness, so
//!   the replay is the recorded run's exact state at that time.
//!
//! - [`frame`]: the cluster map's view of one moment.
//! - [`chart`]: the deployment timeline and reservation series.
//! - [`events`]: the service events log.
//! - [`detail`]: one task as DescribeTasks shows it.
//! - [`explain`]: why a task is where it is, why it waits, what a deployment may do.
//! - [`gallery`]: the scenario document's `guide` and the gallery index.

pub mod chart;
pub mod detail;
pub mod events;
pub mod explain;
pub mod frame;
pub mod gallery;
mod log;
mod replay;
mod touched;

#[cfg(test)]
mod tests;

pub use chart::{
    BandPoint, CountPoint, DeploymentChart, DeploymentSeries, Marker, MarkerKind, ReservationPoint,
    ReservationSeries, ServiceChart,
};
pub use detail::{ContainerDetail, TaskDetail};
pub use events::ServiceEventView;
pub use explain::{CircuitBreakerView, DeploymentExplanation, TaskExplanation};
pub use frame::{
    ClusterView, DeploymentView, Frame, InstanceGroupView, InstanceView, ServiceView, TaskCell,
    ZoneView, NO_SERVICE,
};

use super::core::TimelineEvent;
use super::scenario::{CallRecord, Scenario};
use super::Ecs;

pub(crate) use self::touched::Touched;

use self::chart::ChartRecorder;
use self::events::EventRecorder;
use self::log::FrameLog;
use self::replay::Moment;

/// One recorded run of a scenario.
#[derive(Debug, Clone)]
pub struct Recording {
    scenario: Scenario,
    end: u64,
    calls: Vec<CallRecord>,
    event_times: Vec<u64>,
    chart: DeploymentChart,
    service_events: Vec<ServiceEventView>,
    timeline: Vec<TimelineEvent>,
    timeline_dropped: u64,
    log: FrameLog,
}

impl Recording {
    /// Runs the scenario once, deterministically, capturing what the views
    /// need. Never panics.
    pub fn record(scenario: &Scenario) -> Recording {
        Recording::record_with(scenario, log::CHECKPOINT_INTERVAL)
    }

    /// [`Recording::record`] with a checkpoint every `interval` changes.
    pub(crate) fn record_with(scenario: &Scenario, interval: usize) -> Recording {
        let mut chart = ChartRecorder::default();
        let mut events = EventRecorder::default();
        let mut log = FrameLog::new(interval);
        let mut event_times: Vec<u64> = Vec::new();
        let mut observe = |ecs: &mut Ecs, _: Moment| {
            if event_times.last() != Some(&ecs.now) {
                event_times.push(ecs.now);
            }
            let touched = ecs.touched.take().unwrap_or_default();
            ecs.touched = Some(Touched::default());
            log.observe(ecs, touched.tasks, touched.instances);
            let fresh = events.observe(ecs);
            let all = events.events();
            chart.observe(ecs, &log, all.get(all.len() - fresh..).unwrap_or_default());
        };
        let (ecs, calls) = replay::drive(scenario, u64::MAX, true, &mut observe);
        log.finish();
        Recording {
            scenario: scenario.clone(),
            end: ecs.now,
            calls,
            event_times,
            chart: chart.finish(),
            service_events: events.finish(),
            timeline: ecs.timeline().cloned().collect(),
            timeline_dropped: ecs.timeline_dropped(),
            log,
        }
    }

    /// The last virtual time of the run (ms).
    pub fn end(&self) -> u64 {
        self.end
    }

    /// Every step's response or error.
    pub fn calls(&self) -> &[CallRecord] {
        &self.calls
    }

    /// Sorted distinct times at which a call or a simulator event ran.
    pub fn event_times(&self) -> &[u64] {
        &self.event_times
    }

    /// The first event time after `at`, for "step to the next event".
    pub fn next_event_after(&self, at: u64) -> Option<u64> {
        let i = self.event_times.partition_point(|t| *t <= at);
        self.event_times.get(i).copied()
    }

    /// The last event time before `at`, for "step back".
    pub fn previous_event_before(&self, at: u64) -> Option<u64> {
        let i = self.event_times.partition_point(|t| *t < at);
        i.checked_sub(1)
            .and_then(|i| self.event_times.get(i).copied())
    }

    /// The exact state at `at` (clamped to the run's end), rebuilt from the
    /// delta log.
    pub fn frame_at(&self, at: u64) -> Frame {
        self.log.frame_at(at.min(self.end))
    }

    /// Changes logged, checkpoints kept, and roughly the bytes they take
    /// (memory figures for benchmarks).
    pub fn log_sizes(&self) -> (usize, usize, usize) {
        self.log.sizes()
    }

    pub fn chart(&self) -> &DeploymentChart {
        &self.chart
    }

    /// The service events DescribeServices shows at `at`, ECS's wording,
    /// newest first, at most 100 per service.
    pub fn service_events_until(&self, at: u64, service: Option<&str>) -> Vec<ServiceEventView> {
        events::events_until(&self.service_events, at, service)
    }

    /// The timeline up to and including `at`, oldest first. Holds the events
    /// the timeline kept (see [`Recording::timeline_dropped`]).
    pub fn timeline_until(&self, at: u64) -> &[TimelineEvent] {
        let end = self.timeline.partition_point(|e| e.at <= at);
        self.timeline.get(..end).unwrap_or_default()
    }

    /// Oldest timeline events dropped to respect the timeline capacity.
    pub fn timeline_dropped(&self) -> u64 {
        self.timeline_dropped
    }

    /// The task as DescribeTasks shows it at `at`; `None` if it does not
    /// exist then (or was already forgotten).
    pub fn task_detail(&self, at: u64, task_id: &str) -> Option<TaskDetail> {
        let ecs = self.state_at(at);
        detail::find_task(&ecs, task_id).map(|t| detail::task_detail(&ecs, t))
    }

    /// Why the task is where it is, or why it waits.
    pub fn explain_task(&self, at: u64, task_id: &str) -> Option<TaskExplanation> {
        let at = at.min(self.end);
        let whereabouts = self.log.task_at(at, task_id)?;
        if whereabouts.on_instance {
            // The decision that placed it, as the placer explained it when it
            // made it (a replay to that decision), never a recomputation.
            let then = self.state_at(whereabouts.placed_at);
            let task = detail::find_task(&then, task_id)?;
            let placement = task.placement?;
            let capture =
                replay::capture_decision(&self.scenario, whereabouts.placed_at, placement)?;
            return explain::placed(whereabouts.placed_at, capture);
        }
        let ecs = self.state_at(at);
        let task = detail::find_task(&ecs, task_id)?;
        Some(if task.launch_type == "FARGATE" {
            explain::fargate(&ecs, task)
        } else {
            explain::pending(&ecs, task)
        })
    }

    /// Why nothing fits a service's next task at `at`, in plain words, when
    /// the service is short of tasks; `None` otherwise.
    pub fn explain_unplaced(&self, at: u64, service: &str) -> Option<TaskExplanation> {
        let ecs = self.state_at(at);
        // The latest failed attempt, with every instance's checks as the
        // placer saw them then.
        let latest = ecs
            .state
            .services
            .iter()
            .rposition(|s| s.name == service)
            .and_then(|si| ecs.state.unplaced.get(&si).copied());
        let capture = latest.and_then(|(when, placement)| {
            replay::capture_decision(&self.scenario, when, placement)
        });
        explain::unplaced(&ecs, service, capture)
    }

    /// What the deployment may do at `at`, with the arithmetic shown.
    pub fn explain_deployment(
        &self,
        at: u64,
        service: &str,
        deployment_id: &str,
    ) -> Option<DeploymentExplanation> {
        let ecs = self.state_at(at);
        explain::deployment(&ecs, service, deployment_id)
    }

    /// An ECS API call (or a simulator call) made against the account as it
    /// is at `at`, on a replay: the recording does not change. Lessons check
    /// their goals with it, through the same API the learner uses.
    pub fn call_at(&self, at: u64, operation: &str, request: &serde_json::Value) -> super::Answer {
        let mut ecs = self.state_at(at);
        ecs.call(operation, request)
    }

    /// The account at `at`, replayed from the scenario.
    fn state_at(&self, at: u64) -> Ecs {
        replay::replay_to(&self.scenario, at.min(self.end))
    }
}
