//! Which ECS document a text is, if any: what a repository-wide check uses to
//! choose the files it checks, by their content rather than their names.
//!
//! Pure: the caller reads the files. A text is classified, not validated:
//! a task definition with mistakes (even a syntax error, as a template that
//! is not JSON until rendered) is still a task definition, so that its
//! mistakes are reported rather than the file skipped.

use serde::{Deserialize, Serialize};

use crate::import::cloudformation::{self, Shape};
use crate::json::{self, Node};

/// What a text holds, as far as the playground is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DocumentKind {
    /// A task definition in any form the engine imports (register input,
    /// describe output, a containerDefinitions array, CloudFormation).
    TaskDefinition,
    /// A service: CreateService input, or a service definition file as
    /// deployment tools keep them (ecspresso, Copilot-style JSON).
    Service,
    /// A Terraform file with `aws_ecs_task_definition`, `aws_ecs_service`
    /// or `aws_ecs_cluster` resources (`analysis::analyze_terraform`).
    Terraform,
    /// Anything else: checked by nobody, counted as skipped.
    Unrelated,
}

/// Member names that only a task definition (in API or CloudFormation names) has.
const TASK_DEFINITION_MARKERS: &[&str] = &[
    "containerDefinitions",
    "ContainerDefinitions",
    "taskDefinitionArn",
];

/// Member names that only a service has (CreateService input or a service definition).
const SERVICE_MARKERS: &[&str] = &[
    "serviceName",
    "desiredCount",
    "deploymentConfiguration",
    "deploymentController",
    "schedulingStrategy",
    "serviceRegistries",
];

/// Classifies `text` by its content. Cheap for unrelated text: a text that
/// mentions none of the markers is not parsed at all.
pub fn classify(text: &str) -> DocumentKind {
    if crate::import::terraform_markers(text) {
        return DocumentKind::Terraform;
    }
    let mentions = |markers: &[&str]| markers.iter().any(|m| text.contains(m));
    // A bare containerDefinitions array names no task-definition member.
    let container_array = text.trim_start().starts_with('[') && text.contains("\"image\"");
    let maybe_task_definition = mentions(TASK_DEFINITION_MARKERS)
        || text.contains(cloudformation::RESOURCE_TYPE)
        || container_array;
    let maybe_service = mentions(SERVICE_MARKERS);
    #[cfg(feature = "yaml")]
    if text.contains("services:") && (text.contains("image:") || text.contains("build:")) {
        let compose =
            crate::import::import(text).is_ok_and(|i| i.form == crate::import::InputForm::Compose);
        if compose {
            return DocumentKind::TaskDefinition;
        }
    }
    if !maybe_task_definition && !maybe_service {
        return DocumentKind::Unrelated;
    }
    match json::parse(text) {
        Ok(root) => classify_json(&root),
        // Not JSON: YAML (CloudFormation), or a template that becomes JSON
        // once rendered. Only a task definition is read from such text.
        Err(_) if maybe_task_definition => DocumentKind::TaskDefinition,
        Err(_) => DocumentKind::Unrelated,
    }
}

fn classify_json(root: &Node) -> DocumentKind {
    if root.is_array() {
        let containers = root.items();
        let all_containers = !containers.is_empty()
            && containers
                .iter()
                .all(|c| c.get("name").is_some() && c.get("image").is_some());
        return if all_containers {
            DocumentKind::TaskDefinition
        } else {
            DocumentKind::Unrelated
        };
    }
    if !root.is_object() {
        return DocumentKind::Unrelated;
    }
    match cloudformation::find(root) {
        Shape::TaskDefinition(_) => return DocumentKind::TaskDefinition,
        Shape::TemplateWithout => return DocumentKind::Unrelated,
        Shape::NotCloudFormation => {}
    }
    let has = |key: &str| root.member(key).is_some();
    if TASK_DEFINITION_MARKERS.iter().any(|k| has(k))
        || root.get("taskDefinition").is_some_and(Node::is_object)
    {
        return DocumentKind::TaskDefinition;
    }
    if SERVICE_MARKERS.iter().any(|k| has(k)) {
        return DocumentKind::Service;
    }
    DocumentKind::Unrelated
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_chosen_by_content() {
        let cases = [
            (
                crate::examples::DEFAULT_TASK_DEFINITION,
                DocumentKind::TaskDefinition,
            ),
            (
                r#"{"taskDefinition": {"family": "a", "containerDefinitions": []}}"#,
                DocumentKind::TaskDefinition,
            ),
            (
                r#"[{"name": "web", "image": "nginx"}]"#,
                DocumentKind::TaskDefinition,
            ),
            (
                r#"{"family": "a", "containerDefinitions": [{"name": "${NAME}", "cpu": {{ .Cpu }} }]}"#,
                DocumentKind::TaskDefinition,
            ),
            (
                "Resources:\n  Td:\n    Type: AWS::ECS::TaskDefinition\n",
                DocumentKind::TaskDefinition,
            ),
            (
                r#"{"serviceName": "web", "taskDefinition": "web:3", "desiredCount": 2}"#,
                DocumentKind::Service,
            ),
            (
                r#"{"deploymentConfiguration": {"minimumHealthyPercent": 50}, "launchType": "FARGATE"}"#,
                DocumentKind::Service,
            ),
            (
                r#"{"name": "my-package", "version": "1.0.0"}"#,
                DocumentKind::Unrelated,
            ),
            (r#"[{"name": "a"}]"#, DocumentKind::Unrelated),
            (
                r#"{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}, "x": "containerDefinitions"}"#,
                DocumentKind::Unrelated,
            ),
            (
                "serviceName is a word in this README",
                DocumentKind::Unrelated,
            ),
            ("", DocumentKind::Unrelated),
            (
                "resource \"aws_ecs_service\" \"web\" {\n}\n",
                DocumentKind::Terraform,
            ),
            (
                "name: shop\nservices:\n  web:\n    image: nginx:1\n",
                DocumentKind::TaskDefinition,
            ),
            (
                "on: push\njobs:\n  a:\n    services:\n      db:\n        image: postgres\n",
                DocumentKind::Unrelated,
            ),
            (
                "resource \"aws_s3_bucket\" \"logs\" {\n}\n",
                DocumentKind::Unrelated,
            ),
        ];
        for (text, kind) in cases {
            assert_eq!(classify(text), kind, "{text}");
        }
    }
}
