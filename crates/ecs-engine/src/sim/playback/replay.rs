//! Running a scenario exactly as [`Scenario::run`] does, with a look at the
//! state after every call and after every virtual time at which events ran,
//! or only up to a chosen time. Determinism makes a replay to time `t` the
//! exact state of the recorded run at `t`.

use serde_json::json;

use super::super::scenario::{call_step, CallRecord, Scenario, DEFAULT_TAIL_MS, MAX_DURATION_MS};
use super::super::Ecs;

/// A fresh account with the scenario's default image behaviour.
pub(crate) fn fresh(scenario: &Scenario) -> Ecs {
    let mut ecs = Ecs::new(scenario.config.clone());
    if let Some(behavior) = &scenario.image_behavior {
        let mut request = behavior.clone();
        if let Some(o) = request.as_object_mut() {
            o.insert("image".into(), json!("*"));
        }
        // A bad default behaviour is reported by Scenario::run; ignored here alike.
        let _ = ecs.call("Simulator.SetImageBehavior", &request);
    }
    ecs
}

/// When the scenario's run ends (as [`Scenario::run`] without `--until`).
pub(crate) fn end_of(scenario: &Scenario) -> u64 {
    let last_step = scenario.steps.last().map_or(0, |s| s.at);
    scenario
        .until
        .unwrap_or(last_step.saturating_add(DEFAULT_TAIL_MS))
        .min(MAX_DURATION_MS)
}

/// What the driver reports after each look.
pub(crate) enum Moment {
    /// A step's call just ran.
    Call,
    /// Every event due at the clock's time has run.
    Events,
}

/// Runs the scenario up to `stop` (at most its end), calling `observe` after
/// each call and after each distinct time at which events ran. With `touched`
/// the simulator notes the tasks and instances it changes.
pub(crate) fn drive(
    scenario: &Scenario,
    stop: u64,
    touched: bool,
    observe: &mut dyn FnMut(&mut Ecs, Moment),
) -> (Ecs, Vec<CallRecord>) {
    let stop = stop.min(end_of(scenario));
    let mut ecs = fresh(scenario);
    if touched {
        ecs.touched = Some(super::Touched::default());
    }
    let mut calls = Vec::new();
    for step in scenario.steps.iter().filter(|s| s.at <= stop) {
        advance_observed(&mut ecs, step.at, observe);
        calls.push(call_step(&mut ecs, step));
        observe(&mut ecs, Moment::Call);
    }
    advance_observed(&mut ecs, stop, observe);
    (ecs, calls)
}

/// The state at `at`: every step at or before it has run, and every event due
/// by then.
pub(crate) fn replay_to(scenario: &Scenario, at: u64) -> Ecs {
    drive(scenario, at, false, &mut |_, _| {}).0
}

/// The full trace of a recorded placement decision: the run replayed up to
/// the decision's time, the placer explaining the decision as it makes it.
pub(crate) fn capture_decision(
    scenario: &Scenario,
    at: u64,
    placement: crate::sim::placement::TaskPlacement,
) -> Option<crate::sim::placement::Capture> {
    let stop = at.min(end_of(scenario));
    let mut ecs = fresh(scenario);
    ecs.state.capture = Some(crate::sim::placement::Capture {
        batch: placement.batch,
        decision: placement.decision,
        ..Default::default()
    });
    for step in scenario.steps.iter().filter(|s| s.at <= stop) {
        advance_observed(&mut ecs, step.at, &mut |_, _| {});
        call_step(&mut ecs, step);
    }
    advance_observed(&mut ecs, stop, &mut |_, _| {});
    ecs.state.capture.take().filter(|c| c.trace.is_some())
}

fn advance_observed(ecs: &mut Ecs, until: u64, observe: &mut dyn FnMut(&mut Ecs, Moment)) {
    while let Some(at) = ecs.queue.next_time() {
        if at > until {
            break;
        }
        ecs.advance_to(at);
        observe(ecs, Moment::Events);
    }
    ecs.advance_to(until);
}
