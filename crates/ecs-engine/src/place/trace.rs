//! The explanation of one placement decision: a first-class output that the
//! UI and service events render and nothing outside the engine recomputes.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

/// One check on one instance, with the numbers behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckOutcome {
    /// The check's name in pipeline order: capacityProvider, status, agent, cpu, memory, gpu,
    /// ports, eni, attributes, distinctInstance, memberOf.
    pub check: Cow<'static, str>,
    pub passed: bool,
    /// The numbers behind the verdict (text fixed for the request is shared,
    /// not copied per instance).
    pub detail: Cow<'static, str>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CandidateTrace {
    pub instance_id: String,
    #[serde(default)]
    pub availability_zone: String,
    pub checks: Vec<CheckOutcome>,
    /// Memory left after placing the task, for instances that pass every check.
    pub memory_left_after: Option<u32>,
    #[serde(default)]
    pub cpu_left_after: Option<u32>,
}

impl CandidateTrace {
    pub fn feasible(&self) -> bool {
        self.checks.iter().all(|c| c.passed)
    }
}

/// One surviving candidate's score under one strategy (lower is better).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CandidateScore {
    pub instance_id: String,
    pub score: u64,
    pub kept: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StrategyStep {
    pub strategy: String,
    /// What the score counts, e.g. "tasks of service:web in the instance's ecs.availability-zone".
    pub measure: String,
    pub scores: Vec<CandidateScore>,
    pub best: u64,
    pub kept: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TieBreak {
    /// Candidates still tied after every strategy, in registration order.
    pub among: Vec<String>,
    /// The seeded generator's draw: the index into `among`.
    pub draw: u32,
    pub chosen: String,
}

/// Counters in the spirit of Nomad's placement metrics. Each instance is
/// counted once, under the first check it fails in pipeline order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlacementCounters {
    pub evaluated: u32,
    pub feasible: u32,
    pub filtered_capacity_provider: u32,
    pub filtered_status: u32,
    pub filtered_agent: u32,
    pub exhausted_cpu: u32,
    pub exhausted_memory: u32,
    pub exhausted_gpu: u32,
    pub exhausted_ports: u32,
    pub exhausted_eni: u32,
    pub filtered_attribute: u32,
    pub filtered_distinct_instance: u32,
    pub filtered_member_of: u32,
}

impl PlacementCounters {
    pub fn render(&self) -> String {
        let mut parts = vec![
            format!("evaluated {}", self.evaluated),
            format!("feasible {}", self.feasible),
        ];
        for (name, n) in [
            ("filtered capacityProvider", self.filtered_capacity_provider),
            ("filtered status", self.filtered_status),
            ("filtered agent", self.filtered_agent),
            ("exhausted cpu", self.exhausted_cpu),
            ("exhausted memory", self.exhausted_memory),
            ("exhausted gpu", self.exhausted_gpu),
            ("exhausted ports", self.exhausted_ports),
            ("exhausted eni", self.exhausted_eni),
            ("filtered attribute", self.filtered_attribute),
            ("filtered distinctInstance", self.filtered_distinct_instance),
            ("filtered memberOf", self.filtered_member_of),
        ] {
            if n > 0 {
                parts.push(format!("{name} {n}"));
            }
        }
        parts.join(", ")
    }
}

/// A RunTask `failures[]` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlacementFailure {
    pub arn: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlacementDecision {
    /// The strategy chain as applied, e.g. "spread(attribute:ecs.availability-zone), binpack(memory)".
    pub strategy: String,
    pub candidates: Vec<CandidateTrace>,
    pub chosen: Option<String>,
    /// ECS's service-event wording when nothing fits (prefix it with
    /// "service NAME ").
    pub unplaced_reason: Option<String>,
    #[serde(default)]
    pub constraints: Vec<String>,
    #[serde(default)]
    pub steps: Vec<StrategyStep>,
    #[serde(default)]
    pub tie_break: Option<TieBreak>,
    #[serde(default)]
    pub counters: PlacementCounters,
    /// The closest matching instance when nothing fits (see
    /// `pipeline::closest_match` for the definition).
    #[serde(default)]
    pub closest_match: Option<String>,
    /// RunTask `failures[]` when nothing fits: one per instance, with the
    /// reason of the first check it fails.
    #[serde(default)]
    pub failures: Vec<PlacementFailure>,
    /// Modelling choices AWS does not document, to label in the UI.
    #[serde(default)]
    pub approximations: Vec<String>,
}

impl PlacementDecision {
    /// The decision as readable text, for case files and the command line.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "strategy: {}", self.strategy);
        if !self.constraints.is_empty() {
            let _ = writeln!(out, "constraints: {}", self.constraints.join(", "));
        }
        for candidate in &self.candidates {
            let verdict = if candidate.feasible() { "fits" } else { "no" };
            let _ = writeln!(
                out,
                "candidate {} ({}): {verdict}",
                candidate.instance_id, candidate.availability_zone
            );
            for check in &candidate.checks {
                let mark = if check.passed { "pass" } else { "FAIL" };
                let _ = writeln!(out, "  {mark} {}: {}", check.check, check.detail);
            }
        }
        for step in &self.steps {
            let _ = writeln!(
                out,
                "step {} ({}), best {}:",
                step.strategy, step.measure, step.best
            );
            for score in &step.scores {
                let mark = if score.kept { "kept" } else { "dropped" };
                let _ = writeln!(out, "  {} {} {mark}", score.instance_id, score.score);
            }
        }
        if let Some(tie) = &self.tie_break {
            let _ = writeln!(
                out,
                "tie-break: draw {} of [{}] -> {}",
                tie.draw,
                tie.among.join(", "),
                tie.chosen
            );
        }
        let _ = writeln!(out, "counters: {}", self.counters.render());
        match (&self.chosen, &self.unplaced_reason) {
            (Some(chosen), _) => {
                let _ = writeln!(out, "chosen: {chosen}");
            }
            (None, Some(reason)) => {
                let _ = writeln!(out, "unplaced: {reason}");
                for failure in &self.failures {
                    let _ = writeln!(out, "  failure {}: {}", failure.arn, failure.reason);
                }
            }
            (None, None) => {
                let _ = writeln!(out, "unplaced");
            }
        }
        out
    }
}
