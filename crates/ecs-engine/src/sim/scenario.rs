//! Scenarios: a versioned JSON document of timed calls, run against a fresh
//! simulated account. The result holds every call's response or error, the
//! timeline, state snapshots at requested virtual times and the final state.
//!
//! ```json
//! {"format": "ecs-playground-scenario/1", "seed": 7, "region": "us-east-1",
//!  "account": "123456789012", "defaults": {"imageBehavior": {"pullSeconds": 5}},
//!  "steps": [{"at": 0, "call": "CreateCluster", "input": {}}], "until": "10m"}
//! ```
//!
//! `at`, `until` and snapshot times are virtual seconds (a number) or a
//! duration string such as `"90s"`, `"5m"`, `"1h30m"`. docs/scenario-format.md
//! documents every member and simulator call.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::core::{format_time, TimelineEvent};
use super::{Ecs, SimConfig};

/// Format tags this runner loads, oldest first.
pub const FORMATS: &[&str] = &["ecs-playground-scenario/1"];
/// Steps per scenario, and the longest virtual run (one week).
pub const MAX_STEPS: usize = 10_000;
pub const MAX_DURATION_MS: u64 = 7 * 24 * 3_600_000;
/// Without `until`, the run continues this long after the last step.
pub const DEFAULT_TAIL_MS: u64 = 10 * 60_000;

#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: Option<String>,
    pub description: Option<String>,
    /// The gallery's guide, kept as written.
    pub guide: Option<super::playback::gallery::Guide>,
    pub config: SimConfig,
    pub image_behavior: Option<Value>,
    pub steps: Vec<Step>,
    pub until: Option<u64>,
    pub snapshots: Vec<u64>,
}

#[derive(Debug, Clone)]
pub struct Step {
    pub at: u64,
    pub call: String,
    pub input: Value,
}

/// One call's outcome. Read back from JSON by the console module, which
/// prints a call the run page recorded (`aws_cli::session::print_call`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallRecord {
    /// Virtual seconds.
    pub at: f64,
    pub call: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<Value>,
}

/// Makes one step's call at the simulator's current time and records its
/// response or AWS-shaped error.
pub(crate) fn call_step(ecs: &mut Ecs, step: &Step) -> CallRecord {
    let (response, error) = match ecs.call(&step.call, &step.input) {
        Ok(v) => (Some(v.into_value()), None),
        Err(e) => (
            None,
            Some(json!({"__type": e.error_type, "message": e.message})),
        ),
    };
    CallRecord {
        at: ecs.now() as f64 / 1000.0,
        call: step.call.clone(),
        response,
        error,
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioRun {
    pub format: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub calls: Vec<CallRecord>,
    pub timeline: Vec<TimelineEvent>,
    /// Oldest timeline events dropped to respect the timeline capacity.
    pub timeline_dropped: u64,
    pub snapshots: Vec<Value>,
    #[serde(rename = "final")]
    pub final_state: Value,
    /// Virtual seconds at the end.
    pub end: f64,
}

/// Parses `"90s"`, `"5m"`, `"1h30m"`, `"250ms"` or a number of seconds into ms.
pub fn parse_time(value: &Value) -> Result<u64, String> {
    let ms = match value {
        Value::Number(n) => {
            let seconds = n.as_f64().unwrap_or(-1.0);
            if !(0.0..=(MAX_DURATION_MS as f64 / 1000.0)).contains(&seconds) {
                return Err(format!(
                    "time {n} must be between 0 and one week in seconds"
                ));
            }
            (seconds * 1000.0).round() as u64
        }
        Value::String(text) => parse_duration(text)?,
        other => {
            return Err(format!(
                "a time is seconds or a duration like \"5m\", not {other}"
            ))
        }
    };
    if ms > MAX_DURATION_MS {
        return Err("times are limited to one week".into());
    }
    Ok(ms)
}

fn parse_duration(text: &str) -> Result<u64, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("an empty duration".into());
    }
    let mut total: u64 = 0;
    let mut number = String::new();
    let mut chars = text.chars().peekable();
    let mut saw_unit = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        let unit_ms: f64 = match c {
            'h' => 3_600_000.0,
            'm' if chars.peek() == Some(&'s') => {
                chars.next();
                1.0
            }
            'm' => 60_000.0,
            's' => 1000.0,
            _ => return Err(format!("bad duration \"{text}\": use h, m, s or ms")),
        };
        let value: f64 = number
            .parse()
            .map_err(|_| format!("bad duration \"{text}\""))?;
        number.clear();
        total = total.saturating_add((value * unit_ms).round().min(1e15) as u64);
        saw_unit = true;
    }
    if !number.is_empty() {
        let value: f64 = number
            .parse()
            .map_err(|_| format!("bad duration \"{text}\""))?;
        total = total.saturating_add((value * 1000.0).round().min(1e15) as u64);
    } else if !saw_unit {
        return Err(format!("bad duration \"{text}\""));
    }
    Ok(total)
}

impl Scenario {
    /// Parses a scenario document; errors name the offending member.
    pub fn parse(text: &str) -> Result<Scenario, String> {
        let doc: Value = serde_json::from_str(text)
            .map_err(|e| format!("the scenario is not valid JSON: {e}"))?;
        Scenario::from_value(&doc)
    }

    pub fn from_value(doc: &Value) -> Result<Scenario, String> {
        let format = doc
            .get("format")
            .and_then(Value::as_str)
            .ok_or("the scenario needs \"format\": \"ecs-playground-scenario/1\"")?;
        if !FORMATS.contains(&format) {
            return Err(format!(
                "unknown scenario format \"{format}\": this runner loads {}",
                FORMATS.join(", ")
            ));
        }
        let mut config = SimConfig::default();
        if let Some(seed) = doc.get("seed") {
            config.seed = seed.as_u64().ok_or("\"seed\" is a non-negative integer")?;
        }
        if let Some(region) = doc.get("region") {
            config.region = region.as_str().ok_or("\"region\" is a string")?.to_string();
        }
        if let Some(account) = doc.get("account") {
            config.account = account
                .as_str()
                .ok_or("\"account\" is a string")?
                .to_string();
        }
        let defaults = doc.get("defaults").cloned().unwrap_or(Value::Null);
        if let Some(min) = defaults.get("circuitBreakerMinimum") {
            config.circuit_breaker_minimum = min
                .as_u64()
                .and_then(|m| u32::try_from(m).ok())
                .ok_or("\"defaults.circuitBreakerMinimum\" is an integer")?;
        }
        if let Some(cap) = defaults.get("timelineCapacity") {
            config.timeline_capacity = cap
                .as_u64()
                .map(|c| c.clamp(1, 10_000_000) as usize)
                .ok_or("\"defaults.timelineCapacity\" is an integer")?;
        }
        if let Some(flag) = defaults.get("maxPercentCountsStopping") {
            config.max_percent_counts_stopping = flag
                .as_bool()
                .ok_or("\"defaults.maxPercentCountsStopping\" is a boolean")?;
        }
        let image_behavior = defaults.get("imageBehavior").cloned();
        let raw_steps = doc
            .get("steps")
            .and_then(Value::as_array)
            .ok_or("the scenario needs a \"steps\" list")?;
        if raw_steps.len() > MAX_STEPS {
            return Err(format!("a scenario has at most {MAX_STEPS} steps"));
        }
        let mut steps = Vec::with_capacity(raw_steps.len());
        for (n, step) in raw_steps.iter().enumerate() {
            let at = match step.get("at") {
                Some(at) => parse_time(at).map_err(|e| format!("steps[{n}].at: {e}"))?,
                None => steps.last().map_or(0, |s: &Step| s.at),
            };
            let call = step
                .get("call")
                .and_then(Value::as_str)
                .ok_or(format!(
                    "steps[{n}] needs a \"call\" (an ECS operation or Simulator.*)"
                ))?
                .to_string();
            let input = step.get("input").cloned().unwrap_or_else(|| json!({}));
            steps.push(Step { at, call, input });
        }
        // Steps run in time order; equal times keep document order.
        steps.sort_by_key(|s| s.at);
        let until = match doc.get("until") {
            Some(u) => Some(parse_time(u).map_err(|e| format!("until: {e}"))?),
            None => None,
        };
        let mut snapshots = Vec::new();
        for (n, t) in doc
            .get("snapshots")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .enumerate()
        {
            snapshots.push(parse_time(t).map_err(|e| format!("snapshots[{n}]: {e}"))?);
        }
        snapshots.sort_unstable();
        let guide = match doc.get("guide") {
            Some(g) => Some(super::playback::gallery::Guide::from_value(g)?),
            None => None,
        };
        Ok(Scenario {
            name: doc.get("name").and_then(Value::as_str).map(str::to_string),
            description: doc
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_string),
            guide,
            config,
            image_behavior,
            steps,
            until,
            snapshots,
        })
    }

    /// Runs the scenario; `until` (ms) overrides the document's.
    pub fn run(&self, until: Option<u64>) -> ScenarioRun {
        let mut ecs = Ecs::new(self.config.clone());
        if let Some(b) = &self.image_behavior {
            let mut request = b.clone();
            if let Some(o) = request.as_object_mut() {
                o.insert("image".into(), json!("*"));
            }
            // A bad default behaviour is reported as the first call's error.
            let _ = ecs.call("Simulator.SetImageBehavior", &request);
        }
        let last_step = self.steps.last().map_or(0, |s| s.at);
        let end = until
            .or(self.until)
            .unwrap_or(last_step.saturating_add(DEFAULT_TAIL_MS))
            .min(MAX_DURATION_MS);
        let mut calls = Vec::new();
        let mut snapshots = Vec::new();
        let mut pending_snapshots = self
            .snapshots
            .iter()
            .copied()
            .filter(|t| *t <= end)
            .peekable();
        for step in self.steps.iter().filter(|s| s.at <= end) {
            while let Some(t) = pending_snapshots.next_if(|t| *t < step.at) {
                ecs.advance_to(t);
                snapshots.push(ecs.snapshot());
            }
            ecs.advance_to(step.at);
            calls.push(call_step(&mut ecs, step));
        }
        for t in pending_snapshots {
            ecs.advance_to(t);
            snapshots.push(ecs.snapshot());
        }
        ecs.advance_to(end);
        ScenarioRun {
            format: FORMATS.last().copied().unwrap_or_default().to_string(),
            name: self.name.clone(),
            calls,
            timeline: ecs.timeline().cloned().collect(),
            timeline_dropped: ecs.timeline_dropped(),
            snapshots,
            final_state: ecs.snapshot(),
            end: ecs.now() as f64 / 1000.0,
        }
    }
}

impl ScenarioRun {
    /// The calls, the timeline and a summary of the final state as text.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        if let Some(name) = &self.name {
            out.push_str(&format!("# {name}\n\n"));
        }
        out.push_str("## Calls\n");
        for c in &self.calls {
            let at = format_time((c.at * 1000.0).round() as u64);
            match &c.error {
                Some(e) => out.push_str(&format!(
                    "{at}  {}  → {}: {}\n",
                    c.call,
                    e["__type"].as_str().unwrap_or(""),
                    e["message"].as_str().unwrap_or("")
                )),
                None => out.push_str(&format!("{at}  {}  → ok\n", c.call)),
            }
        }
        out.push_str("\n## Timeline\n");
        if self.timeline_dropped > 0 {
            out.push_str(&format!(
                "({} older events dropped)\n",
                self.timeline_dropped
            ));
        }
        for e in &self.timeline {
            out.push_str(&format!(
                "{}  {:<40} {:<14} {}\n",
                format_time(e.at),
                e.resource,
                e.kind,
                e.message
            ));
        }
        out.push_str(&format!(
            "\n## Final state at {}\n",
            format_time((self.end * 1000.0).round() as u64)
        ));
        out.push_str(&summarize(&self.final_state));
        out
    }
}

/// A readable summary of a snapshot: clusters, services with deployments and
/// events, tasks.
pub fn summarize(snapshot: &Value) -> String {
    let mut out = String::new();
    let empty = Vec::new();
    let list = |v: &Value, key: &str| {
        v.get(key)
            .and_then(Value::as_array)
            .unwrap_or(&empty)
            .clone()
    };
    let tail = |s: &str| crate::arn::short_name(s).to_string();
    for c in list(snapshot, "clusters") {
        let cluster = &c["cluster"];
        out.push_str(&format!(
            "cluster {}: {}, {} instances, {} running, {} pending, {} services\n",
            cluster["clusterName"].as_str().unwrap_or(""),
            cluster["status"].as_str().unwrap_or(""),
            cluster["registeredContainerInstancesCount"],
            cluster["runningTasksCount"],
            cluster["pendingTasksCount"],
            cluster["activeServicesCount"],
        ));
        for s in list(&c, "services") {
            out.push_str(&format!(
                "  service {}: {} {} desired {} running {} pending {} ({})\n",
                s["serviceName"].as_str().unwrap_or(""),
                s["status"].as_str().unwrap_or(""),
                s["schedulingStrategy"].as_str().unwrap_or(""),
                s["desiredCount"],
                s["runningCount"],
                s["pendingCount"],
                tail(s["taskDefinition"].as_str().unwrap_or("")),
            ));
            for d in list(&s, "deployments") {
                out.push_str(&format!(
                    "    deployment {} {} {} {}: desired {} running {} pending {} failed {}\n",
                    d["id"].as_str().unwrap_or(""),
                    d["status"].as_str().unwrap_or(""),
                    d["rolloutState"].as_str().unwrap_or(""),
                    tail(d["taskDefinition"].as_str().unwrap_or("")),
                    d["desiredCount"],
                    d["runningCount"],
                    d["pendingCount"],
                    d["failedTasks"],
                ));
            }
            out.push_str("    events (newest first):\n");
            for e in list(&s, "events").iter().take(10) {
                out.push_str(&format!("      {}\n", e["message"].as_str().unwrap_or("")));
            }
        }
        let tasks = list(&c, "tasks");
        let live = tasks
            .iter()
            .filter(|t| t["lastStatus"] != "STOPPED")
            .count();
        out.push_str(&format!(
            "  tasks: {} live, {} stopped\n",
            live,
            tasks.len() - live
        ));
        for t in tasks.iter().filter(|t| t["lastStatus"] != "STOPPED") {
            out.push_str(&format!(
                "    {} {} {} health {} {}\n",
                tail(t["taskArn"].as_str().unwrap_or(""))
                    .get(..8)
                    .unwrap_or(""),
                tail(t["taskDefinitionArn"].as_str().unwrap_or("")),
                t["lastStatus"].as_str().unwrap_or(""),
                t["healthStatus"].as_str().unwrap_or(""),
                t["availabilityZone"].as_str().unwrap_or(""),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse() {
        for (text, ms) in [
            ("90s", 90_000),
            ("5m", 300_000),
            ("1h30m", 5_400_000),
            ("250ms", 250),
            ("1.5m", 90_000),
            ("12", 12_000),
        ] {
            assert_eq!(parse_time(&json!(text)).unwrap(), ms, "{text}");
        }
        assert_eq!(parse_time(&json!(2.5)).unwrap(), 2500);
        for bad in [
            json!("5x"),
            json!(""),
            json!(-1),
            json!(true),
            json!("9999h"),
        ] {
            assert!(parse_time(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bad_documents_are_explained() {
        for (doc, needle) in [
            ("{", "not valid JSON"),
            ("{}", "format"),
            (
                r#"{"format": "ecs-playground-scenario/9", "steps": []}"#,
                "unknown scenario format",
            ),
            (r#"{"format": "ecs-playground-scenario/1"}"#, "steps"),
            (
                r#"{"format": "ecs-playground-scenario/1", "steps": [{"at": 0}]}"#,
                "call",
            ),
            (
                r#"{"format": "ecs-playground-scenario/1", "steps": [{"at": "x", "call": "ListClusters"}]}"#,
                "steps[0].at",
            ),
        ] {
            let e = Scenario::parse(doc).unwrap_err();
            assert!(e.contains(needle), "{doc}: {e}");
        }
    }

    #[test]
    fn a_scenario_runs_and_snapshots() {
        let doc = r#"{
          "format": "ecs-playground-scenario/1", "seed": 3,
          "defaults": {"imageBehavior": {"pullSeconds": 1, "startSeconds": 1}},
          "steps": [
            {"at": 0, "call": "CreateCluster", "input": {}},
            {"at": 0, "call": "Simulator.LaunchInstances", "input": {"count": 2}},
            {"at": "1s", "call": "RegisterTaskDefinition", "input": {"family": "w", "containerDefinitions": [{"name": "a", "image": "x", "memory": 128}]}},
            {"at": "2s", "call": "CreateService", "input": {"serviceName": "s", "taskDefinition": "w", "desiredCount": 2}},
            {"at": "3s", "call": "DeleteCluster", "input": {"cluster": "default"}}
          ],
          "snapshots": ["2.5s"],
          "until": "2m"
        }"#;
        let run = Scenario::parse(doc).unwrap().run(None);
        assert_eq!(run.calls.len(), 5);
        assert_eq!(
            run.calls[4].error.as_ref().unwrap()["__type"],
            "ClusterContainsContainerInstancesException"
        );
        assert_eq!(run.snapshots.len(), 1);
        assert_eq!(
            run.snapshots[0]["clusters"][0]["services"][0]["runningCount"],
            0
        );
        assert_eq!(
            run.final_state["clusters"][0]["services"][0]["runningCount"],
            2
        );
        assert_eq!(run.end, 120.0);
        let text = run.to_text();
        assert!(text.contains("has reached a steady state."));
        assert!(text.contains("DeleteCluster  → ClusterContainsContainerInstancesException"));
        // --until cuts the run short.
        let short = Scenario::parse(doc).unwrap().run(Some(1_500));
        assert_eq!(short.calls.len(), 3);
    }
}
