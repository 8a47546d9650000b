//! Comparing two task-definition revisions field by field, and what
//! UpdateService with the second would do to a service running the first.
//!
//! Both documents are read in any import form and compared as
//! register-task-definition input (read-only fields such as `revision` are
//! not part of what is registered). Containers are matched by name, so a
//! container edited in place reads as its own fields' changes.
//!
//! The deployment arithmetic is the simulator's own (`sim::scheduler`):
//! ceil(desired × minimumHealthyPercent / 100) tasks stay healthy, at most
//! floor(desired × maximumPercent / 100) run.

use serde::Serialize;
use serde_json::Value;

use crate::export::register_input_from;
use crate::sim::scheduler::{maximum_tasks, minimum_healthy};

/// One field that differs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldChange {
    /// Where, like `containerDefinitions[web].image` (containers by name).
    pub path: String,
    /// `None` when the field is new in the second revision.
    pub before: Option<Value>,
    /// `None` when the second revision removes the field.
    pub after: Option<Value>,
}

/// A rolling deployment's bounds for a service.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rollout {
    pub desired_count: u32,
    pub minimum_healthy_percent: u32,
    pub maximum_percent: u32,
}

impl Default for Rollout {
    /// ECS's defaults for a replica service: 100% and 200%.
    fn default() -> Rollout {
        Rollout {
            desired_count: 1,
            minimum_healthy_percent: 100,
            maximum_percent: 200,
        }
    }
}

/// What a rolling deployment from the first revision to the second may do.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentPlan {
    pub rollout: Rollout,
    /// Tasks that must stay healthy throughout.
    pub minimum_healthy_tasks: u32,
    /// Tasks that may run at once, old and new.
    pub maximum_tasks: u32,
    /// New tasks ECS may start before stopping any old one.
    pub start_first: u32,
    /// Old tasks ECS may stop before any new one is healthy.
    pub stop_first: u32,
    /// The same in words.
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RevisionDiff {
    pub changes: Vec<FieldChange>,
    /// Whether UpdateService with the second revision starts a deployment.
    pub starts_deployment: bool,
    pub explanation: String,
    /// Present when a deployment starts.
    pub deployment: Option<DeploymentPlan>,
}

/// Compares two task definitions in any import form. An unreadable
/// document's error names which one and where.
pub fn diff_task_definitions(
    before: &str,
    after: &str,
    rollout: Rollout,
) -> Result<RevisionDiff, String> {
    let read = |which: &str, text: &str| -> Result<Value, String> {
        let register = register_input_from(text).map_err(|e| format!("{which}: {e}"))?;
        serde_json::from_str(&register).map_err(|e| format!("{which}: {e}"))
    };
    let (a, b) = (read("first", before)?, read("second", after)?);
    let mut changes = Vec::new();
    compare(&mut changes, String::new(), Some(&a), Some(&b));
    let starts_deployment = !changes.is_empty();
    let explanation = if starts_deployment {
        format!(
            "{} {}: registering the second gives a new revision, and UpdateService with it starts a new deployment that replaces every task.",
            changes.len(),
            if changes.len() == 1 { "field differs" } else { "fields differ" }
        )
    } else {
        "The revisions register the same task definition. UpdateService with the first's revision starts no deployment; registering the second still creates a new revision, and UpdateService with that one (or with forceNewDeployment) would start one.".to_string()
    };
    Ok(RevisionDiff {
        deployment: starts_deployment.then(|| plan(rollout)),
        changes,
        starts_deployment,
        explanation,
    })
}

/// The bounds of a rolling deployment under `rollout`.
pub fn plan(rollout: Rollout) -> DeploymentPlan {
    let desired = rollout.desired_count;
    let minimum = minimum_healthy(desired, rollout.minimum_healthy_percent);
    let maximum = maximum_tasks(desired, rollout.maximum_percent);
    let start_first = maximum.saturating_sub(desired);
    let stop_first = desired.saturating_sub(minimum);
    let summary = if desired == 0 {
        "desiredCount is 0: the deployment completes without starting a task.".to_string()
    } else if start_first == 0 && stop_first == 0 {
        format!(
            "At least {minimum} of {desired} tasks must stay healthy and at most {maximum} may run: ECS can neither start a new task nor stop an old one, so the deployment cannot progress."
        )
    } else {
        format!(
            "At least {minimum} of {desired} tasks stay healthy and at most {maximum} run: ECS starts up to {start_first} new task{} and stops up to {stop_first} old one{} at first, then replaces the rest as new tasks become healthy.",
            if start_first == 1 { "" } else { "s" },
            if stop_first == 1 { "" } else { "s" },
        )
    };
    DeploymentPlan {
        rollout,
        minimum_healthy_tasks: minimum,
        maximum_tasks: maximum,
        start_first,
        stop_first,
        summary,
    }
}

fn compare(changes: &mut Vec<FieldChange>, path: String, a: Option<&Value>, b: Option<&Value>) {
    match (a, b) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            for (key, value) in a {
                compare(changes, join(&path, key), Some(value), b.get(key));
            }
            for (key, value) in b.iter().filter(|(k, _)| !a.contains_key(*k)) {
                compare(changes, join(&path, key), None, Some(value));
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) if by_name(a) && by_name(b) => {
            let name = |v: &Value| {
                v.get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string()
            };
            for item in a {
                let other = b.iter().find(|o| name(o) == name(item));
                compare(
                    changes,
                    format!("{path}[{}]", name(item)),
                    Some(item),
                    other,
                );
            }
            for item in b.iter().filter(|o| !a.iter().any(|i| name(i) == name(o))) {
                compare(changes, format!("{path}[{}]", name(item)), None, Some(item));
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                compare(changes, format!("{path}[{i}]"), Some(x), Some(y));
            }
        }
        (a, b) if a == b => {}
        (a, b) => changes.push(FieldChange {
            path,
            before: a.cloned(),
            after: b.cloned(),
        }),
    }
}

/// Arrays of objects each with a distinct `name` (containers, volumes,
/// environment variables) are compared item by name.
fn by_name(items: &[Value]) -> bool {
    let names: Vec<&str> = items
        .iter()
        .filter_map(|v| v.get("name").and_then(Value::as_str))
        .collect();
    !items.is_empty()
        && names.len() == items.len()
        && names
            .iter()
            .enumerate()
            .all(|(i, n)| !names[..i].contains(n))
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples::DEFAULT_TASK_DEFINITION;

    fn paths(diff: &RevisionDiff) -> Vec<&str> {
        diff.changes.iter().map(|c| c.path.as_str()).collect()
    }

    #[test]
    fn fields_are_compared_with_containers_by_name() {
        let after = DEFAULT_TASK_DEFINITION
            .replace("nginx:1.27", "nginx:1.28")
            .replace("\"memoryReservation\": 384,", "")
            .replace(
                "\"networkMode\": \"bridge\",",
                "\"networkMode\": \"bridge\", \"pidMode\": \"task\",",
            );
        let diff =
            diff_task_definitions(DEFAULT_TASK_DEFINITION, &after, Rollout::default()).unwrap();
        assert_eq!(
            paths(&diff),
            [
                "containerDefinitions[web].image",
                "containerDefinitions[web].memoryReservation",
                "pidMode"
            ]
        );
        assert_eq!(
            diff.changes[0].after,
            Some(Value::from("public.ecr.aws/nginx/nginx:1.28"))
        );
        assert_eq!(diff.changes[1].after, None);
        assert_eq!(diff.changes[2].before, None);
        assert!(diff.starts_deployment);
    }

    #[test]
    fn a_described_revision_equals_its_register_input() {
        let described = format!(
            "{{\"taskDefinition\": {}}}",
            DEFAULT_TASK_DEFINITION.replacen('{', "{\"revision\": 7, \"status\": \"ACTIVE\",", 1)
        );
        let diff =
            diff_task_definitions(DEFAULT_TASK_DEFINITION, &described, Rollout::default()).unwrap();
        assert_eq!(diff.changes, []);
        assert!(!diff.starts_deployment && diff.deployment.is_none());
        let error =
            diff_task_definitions("{", DEFAULT_TASK_DEFINITION, Rollout::default()).unwrap_err();
        assert!(error.starts_with("first: line 1"), "{error}");
    }

    #[test]
    fn the_deployment_uses_the_schedulers_arithmetic() {
        // (desired, min%, max%) → (minimum healthy, maximum, start first, stop first)
        for ((desired, min, max), expected) in [
            ((4, 100, 200), (4, 8, 4, 0)),
            ((4, 50, 100), (2, 4, 0, 2)),
            ((3, 50, 150), (2, 4, 1, 1)),
            ((1, 100, 100), (1, 1, 0, 0)),
            ((10, 0, 100), (0, 10, 0, 10)),
        ] {
            let plan = plan(Rollout {
                desired_count: desired,
                minimum_healthy_percent: min,
                maximum_percent: max,
            });
            assert_eq!(
                (
                    plan.minimum_healthy_tasks,
                    plan.maximum_tasks,
                    plan.start_first,
                    plan.stop_first
                ),
                expected,
                "{desired} {min} {max}"
            );
        }
        assert!(plan(Rollout {
            desired_count: 1,
            minimum_healthy_percent: 100,
            maximum_percent: 100
        })
        .summary
        .contains("cannot progress"));
    }
}
