//! A workspace as a scenario for the simulator (Engine III): the ECS API
//! calls that would create it, in order.
//!
//! The scenario format is `{format: "ecs-playground-scenario/1", seed, region,
//! account, steps: [{at, call, input}]}`. Task definitions are registered
//! first (in workspace order, so each family's revisions count up), then each
//! cluster is created and its instance groups launched
//! (`Simulator.LaunchInstances`), then the services are created. This module
//! is the one place that knows that shape.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::{Document, DocumentKind, Workspace};

pub const SCENARIO_FORMAT: &str = "ecs-playground-scenario/1";

/// The member a cluster document adds to CreateCluster input.
pub const INSTANCE_GROUPS: &str = "instanceGroups";

/// The members an instance group shares with `Simulator.LaunchInstances`
/// input: copied one way by [`to_scenario`], the other by [`from_scenario`].
const INSTANCE_GROUP_KEYS: [&str; 5] = [
    "instanceType",
    "count",
    "availabilityZones",
    "attributes",
    "capacityProvider",
];

/// Members of a described task definition that register-task-definition does not take.
const READ_ONLY_TASK_DEFINITION_FIELDS: &[&str] = &[
    "taskDefinitionArn",
    "revision",
    "status",
    "requiresAttributes",
    "compatibilities",
    "registeredAt",
    "registeredBy",
    "deregisteredAt",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioSettings {
    pub seed: u64,
    pub region: String,
    pub account: String,
}

impl Default for ScenarioSettings {
    fn default() -> Self {
        ScenarioSettings {
            seed: 1,
            region: "us-east-1".into(),
            account: "123456789012".into(),
        }
    }
}

/// The scenario, and the documents left out of it (with why).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioExport {
    pub scenario: Value,
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    pub name: String,
    pub reason: String,
}

pub fn to_scenario(workspace: &Workspace, settings: &ScenarioSettings) -> ScenarioExport {
    let mut steps = Vec::new();
    let mut skipped = Vec::new();
    for kind in DocumentKind::ALL {
        for doc in workspace.of_kind(kind) {
            match calls_for(doc) {
                Ok(calls) => steps.extend(
                    calls
                        .into_iter()
                        .map(|(call, input)| json!({"at": 0, "call": call, "input": input})),
                ),
                Err(reason) => skipped.push(Skipped {
                    name: doc.name.clone(),
                    reason,
                }),
            }
        }
    }
    ScenarioExport {
        scenario: json!({
            "format": SCENARIO_FORMAT,
            "seed": settings.seed,
            "region": settings.region,
            "account": settings.account,
            "steps": steps,
        }),
        skipped,
    }
}

/// The calls that create one document's resources.
pub fn calls_for(doc: &Document) -> Result<Vec<(String, Value)>, String> {
    let value = super::parse_value(&doc.text)
        .map_err(|e| format!("{} {} is not valid JSON: {e}", doc.kind.label(), doc.name))?;
    match doc.kind {
        DocumentKind::TaskDefinition => Ok(vec![(
            "RegisterTaskDefinition".into(),
            register_input(value, &doc.name)?,
        )]),
        DocumentKind::Cluster => cluster_calls(value),
        DocumentKind::Service => {
            if !value.is_object() {
                return Err(format!("service {} is not a JSON object", doc.name));
            }
            Ok(vec![("CreateService".into(), value)])
        }
    }
}

/// register-task-definition input from any accepted task definition form:
/// the input itself, a describe output (unwrapped, read-only members removed,
/// its tags kept), or a bare container definitions array (given `family`).
pub fn register_input(value: Value, family: &str) -> Result<Value, String> {
    match value {
        Value::Array(containers) => {
            Ok(json!({"family": family, "containerDefinitions": containers}))
        }
        Value::Object(mut object) => {
            let described = matches!(object.get("taskDefinition"), Some(Value::Object(_)));
            let mut input = if described {
                let tags = object.remove("tags");
                let mut inner = match object.remove("taskDefinition") {
                    Some(Value::Object(inner)) => inner,
                    _ => Map::new(),
                };
                if let Some(tags) = tags.filter(|t| t.as_array().is_some_and(|a| !a.is_empty())) {
                    inner.insert("tags".into(), tags);
                }
                inner
            } else {
                object
            };
            for field in READ_ONLY_TASK_DEFINITION_FIELDS {
                input.shift_remove(*field);
            }
            Ok(Value::Object(input))
        }
        other => Err(format!(
            "a task definition is a JSON object, not {}",
            json_type(&other)
        )),
    }
}

/// CreateCluster, then one `Simulator.LaunchInstances` per instance group.
fn cluster_calls(value: Value) -> Result<Vec<(String, Value)>, String> {
    let Value::Object(mut create) = value else {
        return Err("a cluster is a JSON object".into());
    };
    let groups = create.shift_remove(INSTANCE_GROUPS);
    let cluster = create
        .get("clusterName")
        .and_then(Value::as_str)
        .unwrap_or("default")
        .to_string();
    let mut calls = vec![("CreateCluster".to_string(), Value::Object(create))];
    let groups = match groups {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(groups)) => groups,
        Some(other) => {
            return Err(format!(
                "instanceGroups must be an array, not {}",
                json_type(&other)
            ))
        }
    };
    for group in groups {
        let Value::Object(group) = group else {
            return Err("each instance group is a JSON object".into());
        };
        let mut launch = Map::new();
        launch.insert("cluster".into(), Value::from(cluster.clone()));
        for key in INSTANCE_GROUP_KEYS {
            if let Some(v) = group.get(key) {
                launch.insert(key.into(), v.clone());
            }
        }
        calls.push(("Simulator.LaunchInstances".into(), Value::Object(launch)));
    }
    Ok(calls)
}

/// The workspace a scenario's set-up describes, for editing it on the
/// authoring page. The set-up is every step up to the last CreateService (so
/// a family's later revisions and instances launched later stay timed
/// steps); its steps that are documents (RegisterTaskDefinition,
/// CreateCluster with the `Simulator.LaunchInstances` of its cluster as
/// instance groups, CreateService), the inverse of [`to_scenario`]. Every
/// other step (later ones, capacity providers, image behaviours, faults) has
/// no document and is listed in the second value, with why, never dropped
/// silently.
pub fn from_scenario(scenario: &Value) -> (Workspace, Vec<Skipped>) {
    let mut workspace = Workspace::empty();
    let mut skipped = Vec::new();
    let steps = scenario
        .get("steps")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    // Clusters first collect their instance groups, then become documents.
    let mut clusters: Vec<(String, Map<String, Value>, Vec<Value>)> = Vec::new();
    let mut others: Vec<(DocumentKind, Value)> = Vec::new();
    let at = |step: &Value| {
        step.get("at")
            .map_or(Ok(0), crate::sim::scenario::parse_time)
            .unwrap_or(u64::MAX)
    };
    let setup_end = steps
        .iter()
        .filter(|s| s.get("call").and_then(Value::as_str) == Some("CreateService"))
        .map(at)
        .max()
        .unwrap_or(0);
    for step in &steps {
        let call = step.get("call").and_then(Value::as_str).unwrap_or("");
        let input = step.get("input").cloned().unwrap_or_else(|| json!({}));
        let at_start = at(step) <= setup_end;
        let cluster_name = |input: &Value, key: &str| {
            input
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or("default")
                .to_string()
        };
        match (call, at_start) {
            ("RegisterTaskDefinition", true) => {
                others.push((DocumentKind::TaskDefinition, input));
            }
            ("CreateService", true) => others.push((DocumentKind::Service, input)),
            ("CreateCluster", true) => {
                let name = cluster_name(&input, "clusterName");
                let create = input.as_object().cloned().unwrap_or_default();
                match clusters.iter_mut().find(|c| c.0 == name) {
                    Some(c) => c.1 = create,
                    None => clusters.push((name, create, Vec::new())),
                }
            }
            ("Simulator.LaunchInstances", true) => {
                let name = cluster_name(&input, "cluster");
                let mut group = Map::new();
                group.insert(
                    "name".into(),
                    json!(format!(
                        "group-{}",
                        clusters.iter().map(|c| c.2.len()).sum::<usize>() + 1
                    )),
                );
                for key in INSTANCE_GROUP_KEYS {
                    if let Some(v) = input.get(key) {
                        group.insert(key.into(), v.clone());
                    }
                }
                if let Some(zone) = input.get("availabilityZone") {
                    group.insert("availabilityZones".into(), json!([zone]));
                }
                match clusters.iter_mut().find(|c| c.0 == name) {
                    Some(c) => c.2.push(Value::Object(group)),
                    None => {
                        let mut create = Map::new();
                        if name != "default" {
                            create.insert("clusterName".into(), json!(name));
                        }
                        clusters.push((name, create, vec![Value::Object(group)]));
                    }
                }
            }
            _ => skipped.push(Skipped {
                name: format!(
                    "{call} at {}",
                    step.get("at").map_or_else(
                        || "0".into(),
                        |a| a.to_string().trim_matches('"').to_string()
                    )
                ),
                reason: if at_start {
                    "the workspace has no document for it".into()
                } else {
                    "a timed step: the workspace holds the set-up, up to the services' creation"
                        .into()
                },
            }),
        }
    }
    for (name, mut create, groups) in clusters {
        if !create.contains_key("clusterName") {
            create.insert("clusterName".into(), json!(name));
        }
        if !groups.is_empty() {
            create.insert(INSTANCE_GROUPS.into(), Value::Array(groups));
        }
        workspace = workspace.apply(super::Edit::AddText {
            kind: DocumentKind::Cluster,
            text: crate::json::write::pretty(&Value::Object(create)),
        });
    }
    for (kind, input) in others {
        workspace = workspace.apply(super::Edit::AddText {
            kind,
            text: crate::json::write::pretty(&input),
        });
    }
    (workspace, skipped)
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::{default_workspace, Edit};

    /// Every gallery scenario opens as documents whose calls are its setup
    /// (the same calls and inputs, instance groups back as LaunchInstances),
    /// and each step that is not a document is listed, never lost.
    #[test]
    fn gallery_scenarios_become_workspaces_and_back() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../www/scenarios");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|n| n == "index.json") {
                continue;
            }
            let scenario: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let steps = scenario["steps"].as_array().unwrap();
            let (workspace, skipped) = from_scenario(&scenario);
            let export = to_scenario(&workspace, &ScenarioSettings::default());
            assert_eq!(export.skipped, vec![], "{path:?}");
            let normal = |call: &str, input: &Value| {
                let mut input = input.clone();
                if let Some(o) = input.as_object_mut() {
                    o.shift_remove("name");
                    if call == "CreateCluster" && o.get("clusterName").is_none() {
                        o.insert("clusterName".into(), json!("default"));
                    }
                    if call == "Simulator.LaunchInstances" {
                        if o.get("cluster").is_none() {
                            o.insert("cluster".into(), json!("default"));
                        }
                        if let Some(zone) = o.shift_remove("availabilityZone") {
                            o.insert("availabilityZones".into(), json!([zone]));
                        }
                    }
                    o.sort_keys();
                }
                (call.to_string(), crate::json::write::compact(&input))
            };
            let mut back: Vec<_> = export.scenario["steps"]
                .as_array()
                .unwrap()
                .iter()
                .map(|st| normal(st["call"].as_str().unwrap(), &st["input"]))
                .collect();
            let documents = [
                "RegisterTaskDefinition",
                "CreateCluster",
                "Simulator.LaunchInstances",
                "CreateService",
            ];
            let time = |st: &Value| {
                st.get("at")
                    .map_or(Ok(0), crate::sim::scenario::parse_time)
                    .unwrap()
            };
            let setup_end = steps
                .iter()
                .filter(|st| st["call"] == "CreateService")
                .map(time)
                .max()
                .unwrap_or(0);
            let mut setup: Vec<_> = steps
                .iter()
                .filter(|st| time(st) <= setup_end)
                .filter(|st| documents.contains(&st["call"].as_str().unwrap()))
                .map(|st| {
                    normal(
                        st["call"].as_str().unwrap(),
                        &st.get("input").cloned().unwrap_or(json!({})),
                    )
                })
                .collect();
            back.sort();
            setup.sort();
            assert_eq!(back, setup, "{path:?}");
            assert_eq!(
                skipped.len(),
                steps.len() - setup.len(),
                "{path:?}: {skipped:?}"
            );
            seen += 1;
        }
        assert!(seen >= 10);
    }

    #[test]
    fn the_default_workspace_becomes_register_create_launch_create() {
        let export = to_scenario(&default_workspace(), &ScenarioSettings::default());
        assert_eq!(export.skipped, vec![]);
        let s = &export.scenario;
        assert_eq!(s["format"], SCENARIO_FORMAT);
        assert_eq!(
            (s["seed"].as_u64(), s["region"].as_str()),
            (Some(1), Some("us-east-1"))
        );
        let calls: Vec<_> = s["steps"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|st| st["call"].as_str().unwrap_or(""))
            .collect();
        assert_eq!(
            calls,
            [
                "RegisterTaskDefinition",
                "CreateCluster",
                "Simulator.LaunchInstances",
                "Simulator.LaunchInstances",
                "CreateService"
            ]
        );
        let steps = &s["steps"];
        assert_eq!(steps[0]["input"]["family"], "web-app");
        assert!(steps[1]["input"].get("instanceGroups").is_none());
        assert_eq!(
            steps[1]["input"]["settings"][0]["name"],
            "containerInsights"
        );
        assert_eq!(
            steps[2]["input"],
            json!({"cluster": "demo", "instanceType": "m5.large", "count": 2, "availabilityZones": ["us-east-1a", "us-east-1b"]})
        );
        assert_eq!(
            steps[3]["input"]["attributes"],
            json!({"workload": "batch"})
        );
        assert_eq!(steps[4]["input"]["serviceName"], "web");
        assert!(steps
            .as_array()
            .into_iter()
            .flatten()
            .all(|st| st["at"] == 0));
    }

    #[test]
    fn a_describe_output_registers_without_its_read_only_members() {
        let described = json!({
            "taskDefinition": {"taskDefinitionArn": "arn:x", "family": "f", "revision": 4, "containerDefinitions": [], "status": "ACTIVE", "compatibilities": ["EC2"], "unknownField": 1},
            "tags": [{"key": "team", "value": "a"}]
        });
        let input = register_input(described, "ignored");
        assert_eq!(
            input,
            Ok(
                json!({"family": "f", "containerDefinitions": [], "unknownField": 1, "tags": [{"key": "team", "value": "a"}]})
            )
        );
        assert_eq!(
            register_input(json!([{"name": "a"}]), "fam"),
            Ok(json!({"family": "fam", "containerDefinitions": [{"name": "a"}]}))
        );
        assert!(register_input(json!(3), "x").is_err());
    }

    #[test]
    fn documents_that_do_not_convert_are_listed_not_dropped_silently() {
        let ws = default_workspace()
            .apply(Edit::SetText {
                id: "d2".into(),
                text: "{\"clusterName\": \"c\", \"instanceGroups\": 3}".into(),
            })
            .apply(Edit::SetText {
                id: "d3".into(),
                text: "{ oops".into(),
            });
        let export = to_scenario(&ws, &ScenarioSettings::default());
        let names: Vec<_> = export.skipped.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["c", "web"]);
        assert!(export.skipped[0]
            .reason
            .contains("instanceGroups must be an array"));
        assert_eq!(export.scenario["steps"].as_array().map(Vec::len), Some(1));
    }
}
