//! The workspace the playground opens with: the example task definition, a
//! small cluster to run it on and a service that keeps two copies running.

use super::{Document, DocumentKind, Workspace};
use crate::examples::DEFAULT_TASK_DEFINITION;

/// A cluster of three EC2 instances in two instance groups, across three zones.
pub const DEFAULT_CLUSTER: &str = r#"{
  "clusterName": "demo",
  "settings": [{ "name": "containerInsights", "value": "enabled" }],
  "instanceGroups": [
    {
      "name": "general",
      "instanceType": "m5.large",
      "availabilityZones": ["us-east-1a", "us-east-1b"],
      "count": 2
    },
    {
      "name": "compute",
      "instanceType": "c5.xlarge",
      "availabilityZones": ["us-east-1c"],
      "count": 1,
      "attributes": { "workload": "batch" }
    }
  ]
}
"#;

/// A service running two copies of the example task, spread across zones.
pub const DEFAULT_SERVICE: &str = r#"{
  "cluster": "demo",
  "serviceName": "web",
  "taskDefinition": "web-app",
  "desiredCount": 2,
  "launchType": "EC2",
  "deploymentConfiguration": {
    "minimumHealthyPercent": 50,
    "maximumPercent": 200,
    "deploymentCircuitBreaker": { "enable": true, "rollback": true }
  },
  "placementStrategy": [
    { "type": "spread", "field": "attribute:ecs.availability-zone" },
    { "type": "binpack", "field": "memory" }
  ]
}
"#;

/// A new, empty-but-valid document of each kind, named `name`.
pub fn template(kind: DocumentKind, name: &str) -> String {
    let name = crate::json::write::quoted(name);
    match kind {
        DocumentKind::TaskDefinition => format!(
            "{{\n  \"family\": {name},\n  \"containerDefinitions\": [\n    {{\n      \"name\": \"app\",\n      \"image\": \"public.ecr.aws/docker/library/busybox:latest\",\n      \"essential\": true,\n      \"memory\": 128\n    }}\n  ]\n}}\n"
        ),
        DocumentKind::Cluster => format!(
            "{{\n  \"clusterName\": {name},\n  \"instanceGroups\": [\n    {{ \"name\": \"default\", \"instanceType\": \"m5.large\", \"availabilityZones\": [\"us-east-1a\"], \"count\": 1 }}\n  ]\n}}\n"
        ),
        DocumentKind::Service => format!(
            "{{\n  \"cluster\": \"demo\",\n  \"serviceName\": {name},\n  \"taskDefinition\": \"web-app\",\n  \"desiredCount\": 1\n}}\n"
        ),
    }
}

pub fn default_workspace() -> Workspace {
    let documents = vec![
        Document::new("d1", DocumentKind::TaskDefinition, DEFAULT_TASK_DEFINITION),
        Document::new("d2", DocumentKind::Cluster, DEFAULT_CLUSTER),
        Document::new("d3", DocumentKind::Service, DEFAULT_SERVICE),
    ];
    Workspace {
        documents,
        selected: Some("d1".to_string()),
    }
}
