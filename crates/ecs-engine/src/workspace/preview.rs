//! Where the authoring page shows its task would be placed: on the cluster
//! the page shows, as the first placement the run page makes when it runs
//! the workspace (`scenario::to_scenario`). When a service of the workspace
//! runs the definition on that cluster, its first task is placed as the
//! simulator places it: the service's launch type or capacity provider, its
//! constraints and strategies (the service default when it has none), and
//! the tie-break draws of its placement batch (`place::rng::batch_seed`).
//! Without such a service the page shows its demonstration,
//! binpack(memory). The `agreement` tests hold the two pages equal.
//!
//! The preview places on the cluster as its instance groups launch it,
//! empty: exact for the workspace's first service, while a later service's
//! first task would, in the run, also see the tasks earlier services placed.

use serde_json::Value;

use super::cluster::cluster_instances;
use super::scenario::ScenarioSettings;
use super::{parse_value, Document, DocumentKind, Workspace};
use crate::place::capacity::{is_fargate_provider, next_launch, ProviderItem, TaskLaunch};
use crate::place::rng::batch_seed;
use crate::place::strategy::{constraints_from_json, strategies_from_json};
use crate::place::PreviewRequest;
use crate::place::{place_as, ContainerInstance, PlacementDecision, PlacementStrategy};
use crate::Analysis;

/// The service whose first task the preview places.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceToPlace {
    pub text: String,
    /// The placement batch of its first task in the run: the services are
    /// created in workspace order, each placing its first tasks in one
    /// batch, so the number of services before it.
    pub batch: u64,
}

/// What the cluster panel shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    pub instances: Vec<ContainerInstance>,
    pub decision: Option<PlacementDecision>,
    /// The task definition has errors, so nothing is placed.
    pub blocked: bool,
}

/// The service that runs `task_definition` (the revision it names: `family`
/// is the latest) on `cluster`: the open one if it does, else the first.
pub fn service_to_place(
    workspace: &Workspace,
    task_definition: Option<&Document>,
    cluster: Option<&Document>,
) -> Option<ServiceToPlace> {
    let revisions = workspace.revisions();
    let revision = revisions
        .iter()
        .find(|r| Some(&r.id) == task_definition.map(|d| &d.id))?;
    let latest = revisions.iter().rfind(|r| r.family == revision.family)?;
    let cluster_name = cluster?.name.as_str();
    let runs_here = |doc: &Document| {
        let Ok(service) = parse_value(&doc.text) else {
            return false;
        };
        let named = |key: &str| service.get(key).and_then(Value::as_str);
        let reference = named("taskDefinition").unwrap_or_default();
        let pinned = crate::arn::task_definition_revision(reference);
        let cluster = named("cluster").unwrap_or("default");
        crate::arn::task_definition_family(reference) == revision.family
            && pinned.map_or(latest.id == revision.id, |n| n == revision.revision)
            && crate::arn::short_name(cluster) == cluster_name
    };
    let services: Vec<&Document> = workspace.of_kind(DocumentKind::Service).collect();
    let selected = workspace.selected_document().map(|d| &d.id);
    let at = services
        .iter()
        .position(|d| Some(&d.id) == selected && runs_here(d))
        .or_else(|| services.iter().position(|d| runs_here(d)))?;
    Some(ServiceToPlace {
        text: services.get(at)?.text.clone(),
        batch: at as u64,
    })
}

/// The panel's instances and the decision for the analysed task definition.
pub fn preview(
    task: Option<&Analysis>,
    cluster_text: Option<&str>,
    service: Option<&ServiceToPlace>,
) -> Preview {
    let instances = cluster_text
        .and_then(|text| cluster_instances(text).ok())
        .map(|c| c.instances)
        .unwrap_or_default();
    let blocked = task.is_none_or(|a| a.error_count() > 0);
    let decision = match task.and_then(|a| a.requirements.as_ref()) {
        Some(requirements) if !blocked && !instances.is_empty() => {
            let how = service
                .and_then(|s| service_request(s, cluster_text))
                .unwrap_or_else(|| PreviewRequest::demonstration(requirements));
            Some(place_as(requirements, &instances, &how))
        }
        _ => None,
    };
    Preview {
        instances,
        decision,
        blocked,
    }
}

/// The first task of `service` as the simulator's scheduler asks for it.
fn service_request(service: &ServiceToPlace, cluster_text: Option<&str>) -> Option<PreviewRequest> {
    let value = parse_value(&service.text).ok()?;
    fn list<'v>(value: &'v Value, key: &str) -> &'v [Value] {
        value
            .get(key)
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }
    // Read member by member: serde's Value deserializer is not in the
    // authoring page's wasm, and would cost it kilobytes.
    let providers = |v: &Value, key: &str| -> Vec<ProviderItem> {
        let number = |item: &Value, member: &str| {
            item.get(member)
                .and_then(Value::as_u64)
                .map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX))
        };
        list(v, key)
            .iter()
            .filter_map(|item| {
                let name = item.get("capacityProvider").and_then(Value::as_str)?;
                Some(ProviderItem::new(
                    name,
                    number(item, "base"),
                    number(item, "weight"),
                ))
            })
            .collect()
    };
    let launch_type = value.get("launchType").and_then(Value::as_str);
    // Neither a launch type nor a strategy: the cluster's default strategy,
    // and with none launch type EC2 (CreateService's API reference).
    let mut strategy = providers(&value, "capacityProviderStrategy");
    if launch_type.is_none() && strategy.is_empty() {
        if let Some(cluster) = cluster_text.and_then(|t| parse_value(t).ok()) {
            strategy = providers(&cluster, "defaultCapacityProviderStrategy");
        }
    }
    // The first task's launch as RunTask and the scheduler choose it; a
    // strategy without weight (refused by ECS) previews as EC2.
    let launch = next_launch(launch_type, &strategy, &mut []).unwrap_or(TaskLaunch {
        launch_type: "EC2",
        capacity_provider: None,
    });
    let launch_type = launch.launch_type;
    // A Fargate provider's task needs no instance; any other provider's
    // task is placed on that provider's instances.
    let capacity_provider = launch
        .capacity_provider
        .filter(|p| !is_fargate_provider(p))
        .map(str::to_string);
    let strategies = strategies_from_json(list(&value, "placementStrategy"));
    let name = value.get("serviceName").and_then(Value::as_str)?;
    Some(PreviewRequest {
        launch_type: Some(launch_type.to_string()),
        group: format!("service:{name}"),
        constraints: constraints_from_json(list(&value, "placementConstraints")),
        strategies: if strategies.is_empty() {
            PlacementStrategy::service_default()
        } else {
            strategies
        },
        capacity_provider,
        seed: batch_seed(ScenarioSettings::default().seed, service.batch),
    })
}
