//! The model against AWS's service model: every reachable member is covered,
//! and documents survive import and export unchanged.

use serde_json::{json, Map, Value};

use super::generated::{round_trip_by_shape, MEMBER_COUNTS};
use super::*;

const SERVICE_MODEL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/aws-model/ecs-2014-11-13.service-2.json"
);
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus");

/// The operations whose shapes the model covers (as in scripts/gen-model.py).
const OPERATIONS: &[&str] = &[
    "RegisterTaskDefinition",
    "DescribeTaskDefinition",
    "DeregisterTaskDefinition",
    "RunTask",
    "StartTask",
    "StopTask",
    "DescribeTasks",
    "CreateService",
    "UpdateService",
    "DeleteService",
    "DescribeServices",
    "CreateCluster",
    "DeleteCluster",
    "DescribeClusters",
    "UpdateCluster",
    "UpdateClusterSettings",
    "PutClusterCapacityProviders",
    "ListServicesByNamespace",
    "DiscoverPollEndpoint",
    "DescribeServiceRevisions",
];

/// Shapes the simulator needs that those operations do not reach (as in scripts/gen-model.py).
const EXTRA_SHAPES: &[&str] = &[
    "CapacityProvider",
    "ContainerInstance",
    "Resource",
    "ServiceDeployment",
];

pub(crate) fn service_model() -> Value {
    let text = std::fs::read_to_string(SERVICE_MODEL).unwrap_or_else(|e| {
        panic!("cannot read AWS's service model at {SERVICE_MODEL} (shared/ must sit beside the repository): {e}")
    });
    serde_json::from_str(&text).expect("service-2.json is JSON")
}

/// Shape names reachable from the operations' inputs and outputs and from
/// `extra`, sorted.
pub(crate) fn reachable_shapes(model: &Value, extra: &[&str]) -> Vec<String> {
    let shapes = &model["shapes"];
    let mut stack: Vec<String> = Vec::new();
    for op in OPERATIONS {
        let spec = &model["operations"][*op];
        assert!(spec.is_object(), "operation {op} is not in service-2.json");
        for key in ["input", "output"] {
            if let Some(name) = spec[key]["shape"].as_str() {
                stack.push(name.to_string());
            }
        }
    }
    stack.extend(extra.iter().map(|name| name.to_string()));
    let mut seen = std::collections::BTreeSet::new();
    while let Some(name) = stack.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let shape = &shapes[&name];
        for key in ["member", "key", "value"] {
            if let Some(target) = shape[key]["shape"].as_str() {
                stack.push(target.to_string());
            }
        }
        if let Some(members) = shape["members"].as_object() {
            for member in members.values() {
                stack.push(member["shape"].as_str().unwrap_or_default().to_string());
            }
        }
    }
    seen.into_iter().collect()
}

/// A value of the right type for `shape`; structures are filled in to `depth`.
fn sample(shapes: &Value, shape_name: &str, depth: usize) -> Value {
    let shape = &shapes[shape_name];
    match shape["type"].as_str().unwrap_or_default() {
        "structure" if shape["document"].as_bool() == Some(true) => json!({"any": [1, "two"]}),
        "structure" if depth >= 3 => json!({}),
        "structure" => {
            let mut object = Map::new();
            for (name, member) in shape["members"].as_object().into_iter().flatten() {
                let target = member["shape"].as_str().unwrap_or_default();
                object.insert(name.clone(), sample(shapes, target, depth + 1));
            }
            Value::Object(object)
        }
        "string" => match shape["enum"].as_array().and_then(|values| values.last()) {
            Some(value) => value.clone(),
            None => json!("sample"),
        },
        "integer" | "long" => json!(7),
        "double" | "float" => json!(1.5),
        "boolean" => json!(true),
        "timestamp" => json!(1_700_000_000.25),
        "list" => json!([sample(
            shapes,
            shape["member"]["shape"].as_str().unwrap_or_default(),
            depth + 1
        )]),
        "map" => {
            let value = sample(
                shapes,
                shape["value"]["shape"].as_str().unwrap_or_default(),
                depth + 1,
            );
            json!({ "some-key": value })
        }
        other => panic!("shape {shape_name} has a type the sampler does not know: {other}"),
    }
}

fn is_plain_structure(shape: &Value) -> bool {
    shape["type"] == "structure" && shape["document"].as_bool() != Some(true)
}

#[test]
fn every_reachable_structure_round_trips_with_every_member_known() {
    let model = service_model();
    let shapes = &model["shapes"];
    let mut checked = 0;
    let mut problems = Vec::new();
    for name in reachable_shapes(&model, EXTRA_SHAPES) {
        if !is_plain_structure(&shapes[&name]) {
            continue;
        }
        let input = sample(shapes, &name, 0);
        match round_trip_by_shape(&name, input.clone()) {
            None => problems.push(format!("{name}: no generated type")),
            Some(Err(e)) => problems.push(format!("{name}: does not deserialize: {e}")),
            Some(Ok(trip)) => {
                if !trip.unknown.is_empty() {
                    problems.push(format!(
                        "{name}: members not in the model: {:?}",
                        trip.unknown
                    ));
                }
                if trip.exported != input {
                    problems.push(format!(
                        "{name}: round trip changed the value\n  in:  {input}\n  out: {}",
                        trip.exported
                    ));
                }
            }
        }
        checked += 1;
    }
    assert!(
        problems.is_empty(),
        "the model is stale (run python3 scripts/gen-model.py):\n{}",
        problems.join("\n")
    );
    assert!(
        checked > 150,
        "only {checked} structures reached: the walk is broken"
    );
}

#[test]
fn generated_structures_have_exactly_the_models_members() {
    let model = service_model();
    let shapes = &model["shapes"];
    let expected: Vec<(String, usize)> = reachable_shapes(&model, EXTRA_SHAPES)
        .into_iter()
        .filter(|name| is_plain_structure(&shapes[name]))
        .map(|name| {
            let count = shapes[&name]["members"].as_object().map_or(0, Map::len);
            (name, count)
        })
        .collect();
    let generated: Vec<(String, usize)> = MEMBER_COUNTS
        .iter()
        .map(|(name, count)| (name.to_string(), *count))
        .collect();
    assert_eq!(
        generated, expected,
        "the model is stale: run python3 scripts/gen-model.py"
    );
}

#[test]
fn unknown_members_survive_import_and_export() {
    let input = json!({
        "family": "web",
        "futureTopLevel": {"nested": [1, 2]},
        "containerDefinitions": [{
            "name": "app",
            "image": "nginx",
            "x-custom": true,
            "portMappings": [{"containerPort": 80, "hostPortRange": "8000-8100"}],
            "logConfiguration": {"logDriver": "awslogs", "options": {"b": "1", "a": "2"}, "mode": "non-blocking"}
        }],
        "zzzLast": null
    });
    let typed: RegisterTaskDefinitionRequest = serde_json::from_value(input.clone()).unwrap();
    assert_eq!(
        typed.extra.get("futureTopLevel"),
        Some(&json!({"nested": [1, 2]}))
    );
    let container = &typed.container_definitions.as_ref().unwrap()[0];
    assert_eq!(container.extra.get("x-custom"), Some(&json!(true)));
    let port = &container.port_mappings.as_ref().unwrap()[0];
    assert_eq!(port.extra.get("hostPortRange"), Some(&json!("8000-8100")));
    let exported = serde_json::to_string(&typed).unwrap();
    let reimported: Value = serde_json::from_str(&exported).unwrap();
    assert_eq!(reimported, input);
    // Map order is kept, not sorted.
    assert!(exported.find("\"b\"").unwrap() < exported.find("\"a\"").unwrap());
}

#[test]
fn enum_values_outside_the_model_are_kept_as_written() {
    let cases = [
        ("awsvpc", NetworkMode::Awsvpc, true),
        ("bridge", NetworkMode::Bridge, true),
        ("none", NetworkMode::None, true),
        ("AWSVPC", NetworkMode::Unknown("AWSVPC".into()), false),
        ("", NetworkMode::Unknown(String::new()), false),
    ];
    for (text, expected, known) in cases {
        let parsed: NetworkMode = serde_json::from_value(json!(text)).unwrap();
        assert_eq!(parsed, expected, "{text}");
        assert_eq!(parsed.is_known(), known, "{text}");
        assert_eq!(serde_json::to_value(&parsed).unwrap(), json!(text));
    }
    assert_eq!(LogDriver::from("json-file"), LogDriver::JsonFile);
    assert_eq!(CPUArchitecture::VALUES, ["X86_64", "ARM64"]);
    assert_eq!(Compatibility::Fargate.to_string(), "FARGATE");
}

#[test]
fn timestamps_keep_their_written_form() {
    for value in [
        json!(1_700_000_000),
        json!(1_700_000_000.123),
        json!("2024-05-01T10:00:00.000000+00:00"),
    ] {
        let stamp: Timestamp = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(serde_json::to_value(&stamp).unwrap(), value);
    }
    let stamp: Timestamp = serde_json::from_value(json!(12.5)).unwrap();
    assert_eq!(stamp.epoch_seconds(), Some(12.5));
}

/// Drops `null` members, which the model treats as absent.
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

pub(crate) fn corpus_files() -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(CORPUS)];
    while let Some(dir) = dirs.pop() {
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot read the corpus at {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|ext| ext == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_corpus_task_definition_round_trips_through_the_model() {
    let files = corpus_files();
    let mut checked = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        // A few corpus files are not valid JSON; analysis reports those.
        let Ok(value) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        let exported = if value.get("taskDefinition").is_some() {
            serde_json::from_value::<DescribeTaskDefinitionResponse>(value.clone())
                .map(|typed| serde_json::to_value(&typed).unwrap())
        } else {
            serde_json::from_value::<RegisterTaskDefinitionRequest>(value.clone())
                .map(|typed| serde_json::to_value(&typed).unwrap())
        };
        let exported = match exported {
            Ok(exported) => exported,
            Err(e) => {
                // Only a document with a wrong JSON type may fail to import, and
                // then the shape check must say where.
                let analysis = crate::analyze_task_definition(&text);
                assert!(
                    analysis
                        .diagnostics
                        .iter()
                        .any(|d| d.code == "type-mismatch"),
                    "{} does not import ({e}) but has no type-mismatch diagnostic",
                    path.display()
                );
                continue;
            }
        };
        assert_eq!(exported, without_nulls(&value), "{}", path.display());
        checked += 1;
    }
    assert!(checked > 20, "only {checked} corpus files were JSON");
}

#[test]
fn import_errors_say_where() {
    let cases = [
        (
            json!({"containerDefinitions": [{"name": "a"}, {"portMappings": {"containerPort": 80}}]}),
            "containerDefinitions[1].portMappings: expected an array, found an object",
        ),
        (
            json!({"containerDefinitions": [{"memory": 3_000_000_000_i64}]}),
            "containerDefinitions[0].memory: expected a 32-bit integer, found a number",
        ),
        (
            json!({"family": "a", "volumes": [{"host": {"sourcePath": 7}}]}),
            "volumes[0].host.sourcePath: expected a string, found a number",
        ),
        (
            json!({"containerDefinitions": [{"dockerLabels": {"a": "1", "b": false}}]}),
            "containerDefinitions[0].dockerLabels.b: expected a string, found a boolean",
        ),
        (json!([1]), "expected an object, found an array"),
    ];
    for (input, expected) in cases {
        let error = RegisterTaskDefinitionRequest::from_json(input.clone()).unwrap_err();
        assert_eq!(error.to_string(), expected, "{input}");
        let through_serde = serde_json::from_value::<RegisterTaskDefinitionRequest>(input);
        assert_eq!(through_serde.unwrap_err().to_string(), expected);
    }
}
