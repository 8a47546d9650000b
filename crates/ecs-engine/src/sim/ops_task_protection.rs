//! Task scale-in protection: GetTaskProtection and UpdateTaskProtection.
//! A protected service task is not chosen by the scheduler's scale-in and
//! is not stopped by a deployment until its protection expires or is
//! removed (the scheduler asks [`super::ops_state::OpsState::is_protected`]
//! before selecting tasks to stop). Protection lasts 120 minutes unless
//! `expiresInMinutes` (1 to 2,880) says otherwise; only service tasks can
//! be protected (others are `TASK_NOT_VALID` failures).

use serde_json::{json, Value};

use super::request::required;
use super::requests::TaskProtectionRequest;
use super::{AwsError, CallResult, Ecs};

const DEFAULT_PROTECTION_MINUTES: i64 = 120;
const MAX_PROTECTION_MINUTES: i64 = 2_880;
const MAX_UPDATE_TASKS: usize = 10;
const MAX_GET_TASKS: usize = 100;

impl Ecs {
    /// ECS's event when protected tasks outnumber the desired count. ECS
    /// names a task set: `task_set`, or else the service's primary
    /// deployment, which is its task set under the ECS controller.
    pub(crate) fn protected_scale_in_event(&mut self, si: usize, task_set: Option<&str>) {
        let Some(s) = self.state.services.get(si) else {
            return;
        };
        let name = s.name.clone();
        let task_set = match task_set {
            Some(id) => id.to_string(),
            None => s.primary().map(|d| d.id.clone()).unwrap_or_default(),
        };
        self.service_event(
            si,
            format!("service {name} was unable to reach steady state because task set {task_set} was unable to scale in. Reason: The number of protected tasks are more than the desired count of tasks."),
        );
    }

    fn protected_task_json(&self, seq: u64) -> Value {
        let Some(t) = self.state.tasks.get(&seq) else {
            return Value::Null;
        };
        let until = self
            .state
            .ops
            .protection
            .get(&seq)
            .copied()
            .filter(|until| *until > self.now);
        let mut out = json!({"taskArn": t.arn, "protectionEnabled": until.is_some()});
        if let Some(until) = until {
            out["expirationDate"] = self.ts(until);
        }
        out
    }

    /// The live service task a reference names, or the failure to report.
    fn protectable_task(&self, ci: usize, reference: &str) -> Result<u64, Value> {
        let Some(seq) = self.state.task_by_ref(ci, reference) else {
            return Err(json!({"arn": reference, "reason": "MISSING"}));
        };
        match self.state.tasks.get(&seq) {
            Some(t) if t.service.is_some() && t.is_live() => Ok(seq),
            Some(t) => Err(json!({"arn": t.arn, "reason": "TASK_NOT_VALID"})),
            None => Err(json!({"arn": reference, "reason": "MISSING"})),
        }
    }

    pub(crate) fn get_task_protection(&mut self, r: &Value) -> CallResult {
        let r = TaskProtectionRequest::read(r)?;
        let ci = self.cluster_named(r.cluster)?;
        let references = r.tasks;
        if references.len() > MAX_GET_TASKS {
            return Err(AwsError::invalid("tasks can have at most 100 items."));
        }
        let mut protected = Vec::new();
        let mut failures = Vec::new();
        if references.is_empty() {
            // Without a list: the cluster's live service tasks.
            let seqs: Vec<u64> = self
                .state
                .tasks
                .values()
                .filter(|t| t.cluster == ci && t.service.is_some() && t.is_live())
                .map(|t| t.seq)
                .collect();
            protected.extend(seqs.into_iter().map(|seq| self.protected_task_json(seq)));
        }
        for reference in &references {
            match self.protectable_task(ci, reference) {
                Ok(seq) => protected.push(self.protected_task_json(seq)),
                Err(failure) => failures.push(failure),
            }
        }
        Ok(json!({"protectedTasks": protected, "failures": failures}))
    }

    pub(crate) fn update_task_protection(&mut self, r: &Value) -> CallResult {
        let r = TaskProtectionRequest::read(r)?;
        let ci = self.cluster_named(r.cluster)?;
        let references = r.tasks;
        if references.is_empty() || references.len() > MAX_UPDATE_TASKS {
            return Err(AwsError::invalid("tasks must list between 1 and 10 tasks."));
        }
        let enabled = r
            .protection_enabled
            .ok_or_else(|| required("protectionEnabled"))?;
        let minutes = r.expires_in_minutes.unwrap_or(DEFAULT_PROTECTION_MINUTES);
        if !(1..=MAX_PROTECTION_MINUTES).contains(&minutes) {
            return Err(AwsError::invalid(
                "expiresInMinutes must be between 1 and 2880.",
            ));
        }
        let duration = minutes.unsigned_abs() * 60_000;
        // Forget protections that have ended.
        let now = self.now;
        self.state.ops.protection.retain(|_, until| *until > now);
        let mut protected = Vec::new();
        let mut failures = Vec::new();
        for reference in &references {
            let seq = match self.protectable_task(ci, reference) {
                Ok(seq) => seq,
                Err(failure) => {
                    failures.push(failure);
                    continue;
                }
            };
            let service = self.state.tasks.get(&seq).and_then(|t| t.service);
            if enabled {
                let until = self.now.saturating_add(duration);
                self.state.ops.protection.insert(seq, until);
            } else {
                self.state.ops.protection.remove(&seq);
            }
            if let Some(si) = service {
                // The scheduler looks again when the protection ends.
                let delay = if enabled { duration } else { 0 };
                self.reconcile_in(si, delay);
            }
            protected.push(self.protected_task_json(seq));
        }
        Ok(json!({"protectedTasks": protected, "failures": failures}))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::sim::tests::{cluster_with, ecs, ok};
    use crate::sim::Ecs;

    fn service_tasks(ecs: &mut Ecs) -> Vec<String> {
        let out = ok(ecs, "ListTasks", json!({"serviceName": "web"}));
        out["taskArns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn protected_tasks_survive_scale_in_until_protection_ends() {
        let mut ecs = ecs();
        cluster_with(&mut ecs, 2);
        ok(
            &mut ecs,
            "CreateService",
            json!({"serviceName": "web", "taskDefinition": "web", "desiredCount": 4}),
        );
        ecs.advance_to(120_000);
        let tasks = service_tasks(&mut ecs);
        assert_eq!(tasks.len(), 4);
        let out = ok(
            &mut ecs,
            "UpdateTaskProtection",
            json!({"tasks": tasks[..3], "protectionEnabled": true, "expiresInMinutes": 10}),
        );
        let protected = out["protectedTasks"].as_array().unwrap();
        assert_eq!(protected.len(), 3);
        assert_eq!(protected[0]["protectionEnabled"], true);
        let expires = protected[0]["expirationDate"].as_f64().unwrap();
        assert_eq!(expires, ecs.config().epoch_seconds as f64 + 120.0 + 600.0);
        ok(
            &mut ecs,
            "UpdateService",
            json!({"service": "web", "desiredCount": 1}),
        );
        ecs.advance_to(240_000);
        // Only the unprotected task could go.
        let left = service_tasks(&mut ecs);
        assert_eq!(left.len(), 3);
        assert!(left.iter().all(|t| tasks[..3].contains(t)));
        let service = ok(&mut ecs, "DescribeServices", json!({"services": ["web"]}));
        let events: Vec<&str> = service["services"][0]["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["message"].as_str())
            .collect();
        assert!(
            events.iter().any(|m| m.contains(
                "The number of protected tasks are more than the desired count of tasks"
            )),
            "{events:?}"
        );
        // Ten minutes on, protection has expired and scale-in finishes.
        ecs.advance_to(120_000 + 600_000 + 60_000);
        assert_eq!(service_tasks(&mut ecs).len(), 1);
        let got = ok(
            &mut ecs,
            "GetTaskProtection",
            json!({"tasks": [tasks[0].clone()]}),
        );
        let state: &Value = &got["protectedTasks"][0];
        assert!(
            state.is_null() || state["protectionEnabled"] == false,
            "{got}"
        );
    }

    #[test]
    fn protection_is_for_live_service_tasks_within_its_limits() {
        let mut ecs = ecs();
        cluster_with(&mut ecs, 1);
        let run = ok(&mut ecs, "RunTask", json!({"taskDefinition": "web"}));
        let standalone = run["tasks"][0]["taskArn"].as_str().unwrap().to_string();
        let out = ok(
            &mut ecs,
            "UpdateTaskProtection",
            json!({"tasks": [standalone, "nope"], "protectionEnabled": true}),
        );
        assert_eq!(out["protectedTasks"], json!([]));
        assert_eq!(out["failures"][0]["reason"], "TASK_NOT_VALID");
        assert_eq!(out["failures"][1]["reason"], "MISSING");
        for minutes in [0, 2_881] {
            let e = ecs
                .call(
                    "UpdateTaskProtection",
                    &json!({"tasks": ["x"], "protectionEnabled": true, "expiresInMinutes": minutes}),
                )
                .unwrap_err();
            assert_eq!(e.error_type, "InvalidParameterException");
        }
        let e = ecs
            .call("UpdateTaskProtection", &json!({"tasks": ["x"]}))
            .unwrap_err();
        assert_eq!(e.error_type, "InvalidParameterException");
    }

    /// A deployment does not stop a protected task of the old revision.
    #[test]
    fn deployments_wait_for_protected_old_tasks() {
        let mut ecs = ecs();
        cluster_with(&mut ecs, 2);
        ok(
            &mut ecs,
            "CreateService",
            json!({"serviceName": "web", "taskDefinition": "web", "desiredCount": 2}),
        );
        ecs.advance_to(120_000);
        let old = service_tasks(&mut ecs);
        ok(
            &mut ecs,
            "UpdateTaskProtection",
            json!({"tasks": [old[0].clone()], "protectionEnabled": true, "expiresInMinutes": 30}),
        );
        ok(
            &mut ecs,
            "UpdateService",
            json!({"service": "web", "forceNewDeployment": true}),
        );
        ecs.advance_to(600_000);
        let now = service_tasks(&mut ecs);
        assert!(now.contains(&old[0]), "the protected task was stopped");
        assert!(!now.contains(&old[1]), "the unprotected old task stays");
        ecs.advance_to(120_000 + 1_800_000 + 120_000);
        let later = service_tasks(&mut ecs);
        assert!(!later.contains(&old[0]));
        assert_eq!(later.len(), 2);
        let service = ok(&mut ecs, "DescribeServices", json!({"services": ["web"]}));
        assert_eq!(
            service["services"][0]["deployments"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
    }
}
