//! Test support: AWS's service model and the task-definition corpus, read from
//! shared/ beside the repository, so the shape tests can check the generated
//! schema (check/schema.rs) against its source and run over real documents.

use serde_json::Value;

const SERVICE_MODEL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/aws-model/ecs-2014-11-13.service-2.json"
);
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus");

/// The operations whose shapes the schema covers (OPERATIONS in scripts/gen-model.py).
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

pub(crate) fn service_model() -> Value {
    let text = std::fs::read_to_string(SERVICE_MODEL).unwrap_or_else(|e| {
        panic!("cannot read AWS's service model at {SERVICE_MODEL} (shared/ must sit beside the repository): {e}")
    });
    serde_json::from_str(&text).expect("service-2.json is JSON")
}

/// Shape names reachable from the operations' inputs and outputs, sorted.
pub(crate) fn reachable_shapes(model: &Value) -> Vec<String> {
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

/// Every `.json` file under shared/corpus, sorted.
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
