//! The workspace's open task definition compared with another revision (a
//! pasted describe-task-definition output, or any task definition in an
//! import form): the field-by-field diff ([`crate::diff`]), what
//! UpdateService with the new revision does to the workspace's service that
//! runs the family (its desiredCount and deploymentConfiguration, read by the
//! simulator's own `parse_deployment_config`, with the scheduler's
//! arithmetic), and that deployment as a run for the run page: the workspace
//! running the first revision, then RegisterTaskDefinition of the second and
//! UpdateService to it ([`ActionRequest::RegisterRevision`]).

use serde::Serialize;
use serde_json::Value;

use super::run::{ActionRequest, Run, RunSource};
use super::scenario::{to_scenario, ScenarioSettings};
use super::{parse_value, DocumentKind, Workspace};
use crate::diff::{diff_task_definitions, RevisionDiff, Rollout};
use crate::export::register_input_from;
use crate::sim::ops_service::parse_deployment_config;

/// When the run's UpdateService is called: a minute in, once the service's
/// first tasks have started.
pub const DEPLOY_AT_MS: u64 = 60_000;

/// The service UpdateService would be called on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceTarget {
    pub cluster: String,
    pub service: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceComparison {
    /// The workspace document compared (its name).
    pub document: String,
    pub diff: RevisionDiff,
    /// The workspace's service running the document's family, whose bounds
    /// the deployment is computed under; `None` when no service runs it (the
    /// deployment then assumes one task under ECS's defaults, 100% and 200%).
    pub service: Option<ServiceTarget>,
    /// The deployment as a run (the run page's own form), when there is one.
    #[serde(skip)]
    pub run: Option<Run>,
    /// Why there is no run, when a deployment starts but cannot be run.
    pub no_run: Option<String>,
}

/// Compares the workspace's open task definition (or its first, when the
/// open document is not one) with `other`. `workspace_is_new` makes the
/// workspace document the second (new) revision and `other` the running one;
/// otherwise `other` is the new revision. The error says which document
/// could not be read.
pub fn compare_with_workspace(
    workspace: &Workspace,
    other: &str,
    workspace_is_new: bool,
) -> Result<WorkspaceComparison, String> {
    let doc = workspace
        .selected_document()
        .filter(|d| d.kind == DocumentKind::TaskDefinition)
        .or_else(|| workspace.of_kind(DocumentKind::TaskDefinition).next())
        .ok_or("The workspace has no task definition to compare.")?;
    let (first, second) = if workspace_is_new {
        (other, doc.text.as_str())
    } else {
        (doc.text.as_str(), other)
    };
    let family = doc.name.as_str();
    let service = workspace
        .of_kind(DocumentKind::Service)
        .filter_map(|s| parse_value(&s.text).ok())
        .find(|s| {
            s.get("taskDefinition")
                .and_then(Value::as_str)
                .is_some_and(|td| crate::arn::task_definition_family(td) == family)
        });
    let rollout = match &service {
        Some(service) => rollout_of(service)?,
        None => Rollout::default(),
    };
    let diff = diff_task_definitions(first, second, rollout)?;
    let target = service.as_ref().map(|s| {
        let text = |key: &str, default: &str| {
            s.get(key)
                .and_then(Value::as_str)
                .unwrap_or(default)
                .to_string()
        };
        ServiceTarget {
            cluster: text("cluster", "default"),
            service: text("serviceName", ""),
        }
    });
    let (run, no_run) = match (&target, diff.starts_deployment) {
        (_, false) => (None, None),
        (None, true) => (
            None,
            Some(format!(
                "No service in the workspace runs {family}: add one to run the deployment."
            )),
        ),
        (Some(target), true) => match deployment_run(workspace, &doc.id, first, second, target) {
            Ok(run) => (Some(run), None),
            Err(why) => (None, Some(why)),
        },
    };
    Ok(WorkspaceComparison {
        document: doc.name.clone(),
        diff,
        service: target,
        run,
        no_run,
    })
}

/// A service's rolling-deployment bounds as ECS reads them from its
/// CreateService input (the simulator's defaults and checks).
fn rollout_of(service: &Value) -> Result<Rollout, String> {
    let daemon = service.get("schedulingStrategy").and_then(Value::as_str) == Some("DAEMON");
    let config = parse_deployment_config(service.get("deploymentConfiguration"), daemon, None)
        .map_err(|e| format!("the service's deploymentConfiguration: {}", e.message))?;
    let desired = service
        .get("desiredCount")
        .and_then(Value::as_u64)
        .map_or(0, |d| d.min(u64::from(u32::MAX)) as u32);
    Ok(Rollout {
        desired_count: desired,
        minimum_healthy_percent: config.minimum_healthy_percent,
        maximum_percent: config.maximum_percent,
    })
}

/// The workspace with document `id` holding the first revision, then the
/// second registered and deployed to `target` at [`DEPLOY_AT_MS`].
fn deployment_run(
    workspace: &Workspace,
    id: &str,
    first: &str,
    second: &str,
    target: &ServiceTarget,
) -> Result<Run, String> {
    let mut running = workspace.clone();
    if let Some(doc) = running.documents.iter_mut().find(|d| d.id == id) {
        doc.set_text(register_input_from(first)?);
    }
    let base = to_scenario(&running, &ScenarioSettings::default()).scenario;
    let run = Run::new(RunSource::Workspace, base);
    let action = ActionRequest::RegisterRevision {
        cluster: target.cluster.clone(),
        document: register_input_from(second)?,
        deploy_to: Some(target.service.clone()),
    }
    .into_action(&run, DEPLOY_AT_MS)?;
    run.with_action(action)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::{default_workspace, Edit};

    /// The default workspace (web task definition, a cluster, a service of
    /// it) with the service's deploymentConfiguration and desiredCount set.
    fn workspace(min: u32, max: u32, desired: u32) -> Workspace {
        let mut ws = default_workspace();
        let service = ws
            .documents
            .iter_mut()
            .find(|d| d.kind == DocumentKind::Service)
            .unwrap();
        let mut value = parse_value(&service.text).unwrap();
        value["desiredCount"] = desired.into();
        value["deploymentConfiguration"] =
            serde_json::json!({"minimumHealthyPercent": min, "maximumPercent": max});
        service.text = crate::json::write::pretty(&value);
        let td = ws
            .of_kind(DocumentKind::TaskDefinition)
            .next()
            .unwrap()
            .id
            .clone();
        ws.apply(Edit::Select { id: td })
    }

    fn open_text(ws: &Workspace) -> String {
        ws.selected_document().unwrap().text.clone()
    }

    #[test]
    fn the_deployment_is_under_the_services_own_bounds() {
        let ws = workspace(50, 150, 4);
        let running = open_text(&ws);
        let described = format!(
            "{{\"taskDefinition\": {}}}",
            running.replace("nginx:1.27", "nginx:1.26")
        );
        // The workspace document is the new revision; the pasted describe
        // output is what runs.
        let compared = compare_with_workspace(&ws, &described, true).unwrap();
        assert_eq!(
            compared.diff.changes.len(),
            1,
            "{:?}",
            compared.diff.changes
        );
        assert!(compared.diff.starts_deployment);
        let plan = compared.diff.deployment.as_ref().unwrap();
        // ceil(4 × 50%) = 2 stay healthy, floor(4 × 150%) = 6 may run.
        assert_eq!((plan.minimum_healthy_tasks, plan.maximum_tasks), (2, 6));
        assert_eq!((plan.start_first, plan.stop_first), (2, 2));
        let service = compared.service.clone().unwrap();
        let run = compared.run.expect("a run of the deployment");
        assert_eq!(run.actions.len(), 1);
        let action = &run.actions[0];
        assert_eq!(action.at_ms, DEPLOY_AT_MS);
        assert_eq!(action.steps[0].call, "RegisterTaskDefinition");
        assert!(action.steps[0].input.to_string().contains("nginx:1.27"));
        assert_eq!(action.steps[1].call, "UpdateService");
        assert_eq!(action.steps[1].input["service"], service.service.as_str());
        // The run starts from the running revision.
        let base = run.base.to_string();
        assert!(
            base.contains("nginx:1.26") && !base.contains("nginx:1.27"),
            "{base}"
        );
        // And the simulator runs the deployment: a second deployment appears.
        let recorded = run.scenario().unwrap().run(None);
        let updates: Vec<_> = recorded
            .calls
            .iter()
            .filter(|c| c.call == "UpdateService")
            .collect();
        assert_eq!(updates.len(), 1);
        assert!(updates[0].error.is_none(), "{:?}", updates[0].error);
        assert!(recorded.calls.iter().all(|c| c.error.is_none()));
    }

    #[test]
    fn the_same_revision_starts_no_deployment_and_no_run() {
        let ws = workspace(100, 200, 2);
        let compared = compare_with_workspace(&ws, &open_text(&ws), false).unwrap();
        assert!(!compared.diff.starts_deployment);
        assert!(compared.run.is_none() && compared.no_run.is_none());
    }

    #[test]
    fn without_a_service_there_is_no_run_and_ecs_defaults_apply() {
        let mut ws = workspace(100, 200, 2);
        ws.documents.retain(|d| d.kind != DocumentKind::Service);
        let newer = open_text(&ws).replace("nginx:1.27", "nginx:1.28");
        let compared = compare_with_workspace(&ws, &newer, false).unwrap();
        assert!(compared.service.is_none() && compared.run.is_none());
        assert!(compared
            .no_run
            .unwrap()
            .starts_with("No service in the workspace runs"));
        assert_eq!(
            compared.diff.deployment.unwrap().rollout,
            Rollout::default()
        );
        let error = compare_with_workspace(&ws, "{", false).unwrap_err();
        assert!(error.starts_with("second: line 1"), "{error}");
    }
}
