//! A lesson step's goal: a small typed language checked against a recorded
//! run. Every check reads what the run recorded (frames, the chart, ECS's
//! service events, the calls' results) or asks the simulated ECS through its
//! own API at the end of the run, so a goal is met exactly when the page
//! would show it met.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::sim::playback::{MarkerKind, Recording};

/// One goal. Written in JSON as `{"type": "…", …}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase", deny_unknown_fields)]
pub enum Goal {
    /// One of the learner's calls to `call` succeeded.
    #[serde(rename_all = "camelCase")]
    CallSucceeded {
        call: String,
    },
    /// At some moment, at least `at_least` tasks (of `service`, or of the
    /// whole account) were RUNNING.
    #[serde(rename_all = "camelCase")]
    TasksRunning {
        #[serde(default)]
        service: Option<String>,
        at_least: u32,
    },
    /// A deployment the learner started reached a steady state, and from its
    /// start until then the service never had fewer than `at_least` RUNNING tasks.
    #[serde(rename_all = "camelCase")]
    RunningThroughoutDeployment {
        service: String,
        at_least: u32,
    },
    /// The most tasks (RUNNING or PENDING) the service had at once, after the
    /// learner's first call, was `equals`.
    #[serde(rename_all = "camelCase")]
    PeakTasks {
        service: String,
        equals: u32,
    },
    /// The circuit breaker failed a deployment of `service` and ECS rolled back.
    #[serde(rename_all = "camelCase")]
    CircuitBreakerRolledBack {
        service: String,
    },
    /// The circuit breaker's failure threshold for the service's deployment
    /// was `equals` when it counted failures.
    #[serde(rename_all = "camelCase")]
    CircuitBreakerThreshold {
        service: String,
        equals: u32,
    },
    /// After the learner's last call the service reported a steady state.
    #[serde(rename_all = "camelCase")]
    ServiceSteady {
        service: String,
    },
    /// An ECS service event containing `contains`.
    #[serde(rename_all = "camelCase")]
    ServiceEvent {
        #[serde(default)]
        service: Option<String>,
        contains: String,
    },
    /// At the end of the run, at least `at_least` RUNNING tasks (of `service`,
    /// on `capacityProvider`, on instances `instanceFilter` selects) as
    /// ListTasks, DescribeTasks and ListContainerInstances report them; with
    /// `only`, none of the service's RUNNING tasks is elsewhere.
    #[serde(rename_all = "camelCase")]
    Tasks {
        #[serde(default)]
        cluster: Option<String>,
        #[serde(default)]
        service: Option<String>,
        #[serde(default)]
        capacity_provider: Option<String>,
        #[serde(default)]
        instance_filter: Option<String>,
        at_least: u32,
        #[serde(default)]
        only: bool,
    },
    /// An API call at the end of the run, and a value in its response at
    /// `path` (`services[0].deployments`, `serviceArns`): equal to `equals`,
    /// or a list of at least `countAtLeast` items.
    #[serde(rename_all = "camelCase")]
    Response {
        call: String,
        #[serde(default = "empty_object")]
        input: Value,
        path: String,
        #[serde(default)]
        equals: Option<Value>,
        #[serde(default)]
        count_at_least: Option<usize>,
    },
    All {
        goals: Vec<Goal>,
    },
    Any {
        goals: Vec<Goal>,
    },
    Not {
        goal: Box<Goal>,
    },
}

fn empty_object() -> Value {
    json!({})
}

/// Whether a goal is met, and what the run showed (for the learner).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Verdict {
    pub met: bool,
    pub detail: String,
}

fn verdict(met: bool, detail: impl Into<String>) -> Verdict {
    Verdict {
        met,
        detail: detail.into(),
    }
}

/// The run and where the learner's calls start in it.
pub struct Run<'a> {
    pub recording: &'a Recording,
    /// Index of the learner's first call in `recording.calls()`.
    pub learner_from: usize,
}

impl Run<'_> {
    /// Virtual ms of the learner's first call (the run's end if none).
    fn learner_start(&self) -> u64 {
        self.recording
            .calls()
            .get(self.learner_from)
            .map_or(self.recording.end(), |c| (c.at * 1000.0).round() as u64)
    }

    fn learner_last(&self) -> u64 {
        self.recording
            .calls()
            .last()
            .filter(|_| self.recording.calls().len() > self.learner_from)
            .map_or(self.recording.end(), |c| (c.at * 1000.0).round() as u64)
    }

    /// Frames at every event time from `from` on.
    fn frames_from(&self, from: u64) -> impl Iterator<Item = crate::sim::playback::Frame> + '_ {
        let times = self.recording.event_times();
        let start = times.partition_point(|t| *t < from);
        times
            .get(start..)
            .unwrap_or_default()
            .iter()
            .map(|&t| self.recording.frame_at(t))
    }
}

impl Goal {
    pub fn check(&self, run: &Run) -> Verdict {
        let recording = run.recording;
        match self {
            Goal::CallSucceeded { call } => {
                let calls = recording
                    .calls()
                    .get(run.learner_from..)
                    .unwrap_or_default();
                let ok = calls.iter().any(|c| c.call == *call && c.error.is_none());
                let failed = calls
                    .iter()
                    .rev()
                    .find(|c| c.call == *call && c.error.is_some());
                match (ok, failed) {
                    (true, _) => verdict(true, format!("{call} succeeded.")),
                    (false, Some(c)) => {
                        let message = c
                            .error
                            .as_ref()
                            .and_then(|e| e.get("message"))
                            .and_then(Value::as_str)
                            .unwrap_or("");
                        verdict(false, format!("{call} failed: {message}"))
                    }
                    (false, None) => verdict(false, format!("No {call} call yet.")),
                }
            }
            Goal::TasksRunning { service, at_least } => {
                let mut most = 0;
                for frame in run.frames_from(run.learner_start()) {
                    let running: u32 = frame
                        .services
                        .iter()
                        .filter(|s| service.as_ref().is_none_or(|n| s.name == *n))
                        .map(|s| s.running)
                        .sum::<u32>()
                        + if service.is_none() {
                            frame
                                .task_cells()
                                .filter(|t| {
                                    t.service.is_none()
                                        && t.last_status == crate::sim::state::TaskStatus::Running
                                })
                                .count() as u32
                        } else {
                            0
                        };
                    most = most.max(running);
                }
                verdict(
                    most >= *at_least,
                    format!("At most {most} tasks were RUNNING at once (goal: {at_least})."),
                )
            }
            Goal::RunningThroughoutDeployment { service, at_least } => {
                let markers = &recording.chart().markers;
                let start = run.learner_start();
                let Some(begun) = markers.iter().find(|m| {
                    m.service == *service
                        && m.at >= start
                        && matches!(m.kind, MarkerKind::DeploymentStarted)
                }) else {
                    return verdict(false, format!("No deployment of {service} started yet."));
                };
                let Some(steady) = markers.iter().find(|m| {
                    m.service == *service
                        && m.at >= begun.at
                        && matches!(m.kind, MarkerKind::SteadyState)
                }) else {
                    return verdict(
                        false,
                        format!("The deployment of {service} has not reached a steady state."),
                    );
                };
                let lowest = run
                    .frames_from(begun.at)
                    .take_while(|f| f.at <= steady.at)
                    .filter_map(|f| {
                        f.services
                            .iter()
                            .find(|s| s.name == *service)
                            .map(|s| s.running)
                    })
                    .min()
                    .unwrap_or(0);
                verdict(
                    lowest >= *at_least,
                    format!("During the deployment {service} had as few as {lowest} RUNNING tasks (goal: at least {at_least})."),
                )
            }
            Goal::PeakTasks { service, equals } => {
                let peak = run
                    .frames_from(run.learner_start())
                    .filter_map(|f| {
                        f.services
                            .iter()
                            .find(|s| s.name == *service)
                            .map(|s| s.running + s.pending)
                    })
                    .max()
                    .unwrap_or(0);
                verdict(
                    peak == *equals,
                    format!("{service} peaked at {peak} tasks."),
                )
            }
            Goal::CircuitBreakerRolledBack { service } => {
                let start = run.learner_start();
                let mine = |k: fn(&MarkerKind) -> bool| {
                    recording
                        .chart()
                        .markers
                        .iter()
                        .any(|m| m.service == *service && m.at >= start && k(&m.kind))
                };
                let failed = mine(|k| matches!(k, MarkerKind::Failed));
                let rolled = mine(|k| matches!(k, MarkerKind::RolledBack));
                let detail = match (failed, rolled) {
                    (true, true) => {
                        "The circuit breaker failed the deployment and ECS rolled back."
                    }
                    (true, false) => "The deployment FAILED, but nothing rolled back.",
                    _ => "No deployment has failed.",
                };
                verdict(failed && rolled, detail)
            }
            Goal::CircuitBreakerThreshold { service, equals } => {
                let threshold = recording.chart().markers.iter().find_map(|m| match m.kind {
                    MarkerKind::CircuitBreakerFailure { threshold, .. }
                        if m.service == *service =>
                    {
                        Some(threshold)
                    }
                    _ => None,
                });
                match threshold {
                    Some(t) => verdict(
                        t == *equals,
                        format!("The circuit breaker's threshold was {t}."),
                    ),
                    None => verdict(false, "The circuit breaker has counted no failures."),
                }
            }
            Goal::ServiceSteady { service } => {
                let last = run.learner_last();
                let steady = recording.chart().markers.iter().any(|m| {
                    m.service == *service
                        && m.at >= last
                        && matches!(m.kind, MarkerKind::SteadyState)
                });
                verdict(
                    steady,
                    if steady {
                        format!("{service} has reached a steady state.")
                    } else {
                        format!("{service} is not steady yet.")
                    },
                )
            }
            Goal::ServiceEvent { service, contains } => {
                let found = recording
                    .service_events_until(recording.end(), service.as_deref())
                    .into_iter()
                    .any(|e| e.at >= run.learner_start() && e.message.contains(contains.as_str()));
                verdict(
                    found,
                    if found {
                        format!("ECS said: …{contains}…")
                    } else {
                        format!("No event mentions \"{contains}\".")
                    },
                )
            }
            Goal::Tasks {
                cluster,
                service,
                capacity_provider,
                instance_filter,
                at_least,
                only,
            } => tasks_goal(
                run,
                cluster.as_deref(),
                service.as_deref(),
                capacity_provider.as_deref(),
                instance_filter.as_deref(),
                *at_least,
                *only,
            ),
            Goal::Response {
                call,
                input,
                path,
                equals,
                count_at_least,
            } => {
                let response = match recording.call_at(recording.end(), call, input) {
                    Ok(v) => v,
                    Err(e) => return verdict(false, format!("{call} failed: {}", e.message)),
                };
                let found = lookup(&response, path);
                let met = match (found, equals, count_at_least) {
                    (Some(v), Some(want), _) => v == want,
                    (Some(Value::Array(items)), None, Some(n)) => items.len() >= *n,
                    (Some(_), None, None) => true,
                    _ => false,
                };
                let shown = found.map_or("nothing".to_string(), crate::json::write::compact);
                verdict(met, format!("{call} shows {path} = {shown}."))
            }
            Goal::All { goals } => {
                let verdicts: Vec<Verdict> = goals.iter().map(|g| g.check(run)).collect();
                let met = verdicts.iter().all(|v| v.met);
                let detail = verdicts
                    .iter()
                    .find(|v| !v.met)
                    .or(verdicts.last())
                    .map(|v| v.detail.clone())
                    .unwrap_or_default();
                verdict(met, detail)
            }
            Goal::Any { goals } => {
                let verdicts: Vec<Verdict> = goals.iter().map(|g| g.check(run)).collect();
                let met = verdicts.iter().any(|v| v.met);
                let detail = verdicts
                    .iter()
                    .find(|v| v.met)
                    .or(verdicts.first())
                    .map(|v| v.detail.clone())
                    .unwrap_or_default();
                verdict(met, detail)
            }
            Goal::Not { goal } => {
                let inner = goal.check(run);
                verdict(!inner.met, inner.detail)
            }
        }
    }
}

/// `services[0].deployments` in a JSON value.
fn lookup<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    let mut current = value;
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (name, indexes) = match part.find('[') {
            Some(i) => part.split_at(i),
            None => (part, ""),
        };
        if !name.is_empty() {
            current = current.get(name)?;
        }
        for index in indexes.split(['[', ']']).filter(|s| !s.is_empty()) {
            current = current.get(index.parse::<usize>().ok()?)?;
        }
    }
    Some(current)
}

fn tasks_goal(
    run: &Run,
    cluster: Option<&str>,
    service: Option<&str>,
    capacity_provider: Option<&str>,
    instance_filter: Option<&str>,
    at_least: u32,
    only: bool,
) -> Verdict {
    let recording = run.recording;
    let end = recording.end();
    let cluster = cluster.unwrap_or("default");
    let mut list = json!({"cluster": cluster, "desiredStatus": "RUNNING"});
    if let Some(s) = service {
        list["serviceName"] = json!(s);
    }
    let arns = match recording.call_at(end, "ListTasks", &list) {
        Ok(v) => v.get("taskArns").cloned().unwrap_or(json!([])),
        Err(e) => return verdict(false, e.message),
    };
    let tasks = if arns.as_array().is_some_and(|a| !a.is_empty()) {
        match recording.call_at(
            end,
            "DescribeTasks",
            &json!({"cluster": cluster, "tasks": arns}),
        ) {
            Ok(v) => v
                .get("tasks")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
            Err(e) => return verdict(false, e.message),
        }
    } else {
        Vec::new()
    };
    let selected: Option<Vec<Value>> = match instance_filter {
        Some(filter) => match recording.call_at(
            end,
            "ListContainerInstances",
            &json!({"cluster": cluster, "filter": filter}),
        ) {
            Ok(v) => Some(
                v.get("containerInstanceArns")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default(),
            ),
            Err(e) => return verdict(false, format!("The filter is refused: {}", e.message)),
        },
        None => None,
    };
    let running: Vec<&Value> = tasks
        .iter()
        .filter(|t| t.get("lastStatus") == Some(&json!("RUNNING")))
        .collect();
    let matches = |t: &&&Value| {
        capacity_provider
            .is_none_or(|cp| t.get("capacityProviderName").and_then(Value::as_str) == Some(cp))
            && selected.as_ref().is_none_or(|arns| {
                t.get("containerInstanceArn")
                    .is_some_and(|a| arns.contains(a))
            })
    };
    let count = running.iter().filter(matches).count() as u32;
    let elsewhere = running.len() as u32 - count;
    let mut detail = format!("{count} RUNNING tasks match (goal: at least {at_least})");
    if only && elsewhere > 0 {
        detail.push_str(&format!("; {elsewhere} run elsewhere"));
    }
    detail.push('.');
    verdict(count >= at_least && !(only && elsewhere > 0), detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_bad_goals() {
        let v = json!({"services": [{"deployments": [1, 2]}]});
        assert_eq!(lookup(&v, "services[0].deployments[1]"), Some(&json!(2)));
        assert_eq!(lookup(&v, "services[3]"), None);
        let bad: Result<Goal, _> =
            serde_json::from_value(json!({"type": "tasksRunning", "atLeast": 1, "oops": 1}));
        assert!(bad.is_err());
        let good: Goal = serde_json::from_value(
            json!({"type": "not", "goal": {"type": "serviceSteady", "service": "web"}}),
        )
        .unwrap();
        assert!(matches!(good, Goal::Not { .. }));
    }
}
