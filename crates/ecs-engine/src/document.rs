//! Which ECS document a text is, if any: what a repository-wide check uses to
//! choose the files it checks, by their content rather than their names.
//!
//! Pure: the caller reads the files. A text is classified, not validated:
//! a task definition with mistakes (even a syntax error, as a template that
//! is not JSON until rendered) is still a task definition, so that its
//! mistakes are reported rather than the file skipped.

use serde::{Deserialize, Serialize};

use crate::analysis::{self, Analysis};
use crate::check::request::Operation;
use crate::import::cloudformation::{self, Shape};
use crate::import::{Parsed, Syntax};
use crate::json::{self, Node};
use crate::request_analysis::{self, DocumentAccount};

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

/// A text's kind, with the tree classification parsed to decide it (if it
/// parsed one): the check takes it as it is rather than parsing again.
#[derive(Debug, Clone, PartialEq)]
pub struct Classified {
    pub kind: DocumentKind,
    pub parsed: Option<Parsed>,
}

/// Classifies `text` by its content. Cheap for unrelated text: a text that
/// mentions none of the markers is not parsed at all.
pub fn classify(text: &str) -> DocumentKind {
    classify_parsed(text).kind
}

/// [`classify`], keeping the parsed tree for the check that follows
/// (`analysis::analyze_parsed_task_definition`,
/// `request_analysis::analyze_parsed_request`).
pub fn classify_parsed(text: &str) -> Classified {
    let unparsed = |kind| Classified { kind, parsed: None };
    if crate::import::terraform_markers(text) {
        return unparsed(DocumentKind::Terraform);
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
        if let Ok(parsed) = crate::import::parse_document(text) {
            if is_compose(&parsed.root) {
                return Classified {
                    kind: DocumentKind::TaskDefinition,
                    parsed: Some(parsed),
                };
            }
        }
    }
    if !maybe_task_definition && !maybe_service {
        return unparsed(DocumentKind::Unrelated);
    }
    match json::parse(text) {
        Ok(root) => Classified {
            kind: classify_json(&root),
            parsed: Some(Parsed {
                root,
                syntax: Syntax::Json,
            }),
        },
        // Not JSON: YAML (CloudFormation), or a template that becomes JSON
        // once rendered. Only a task definition is read from such text.
        Err(_) if maybe_task_definition => unparsed(DocumentKind::TaskDefinition),
        Err(_) => unparsed(DocumentKind::Unrelated),
    }
}

/// A Compose file as import reads one: not CloudFormation, and Compose's shape.
#[cfg(feature = "yaml")]
fn is_compose(root: &Node) -> bool {
    let cloudformation =
        root.is_object() && !matches!(cloudformation::find(root), Shape::NotCloudFormation);
    !cloudformation && crate::import::compose::is_compose(root)
}

/// Checks a classified text as what it is, as `ecs-playground check` checks
/// each file: a task definition in any form (Compose included), a service as
/// CreateService input, a Terraform file resource by resource, findings in
/// the text's own lines. `None` for unrelated text. `file_text` gives the
/// text of files the document names (`env_file`, `file()`), which the
/// caller reads.
pub fn check(
    text: &str,
    classified: Classified,
    file_text: &dyn Fn(&str) -> Option<String>,
) -> Option<Analysis> {
    let analysis = match (classified.kind, classified.parsed) {
        (DocumentKind::TaskDefinition, Some(parsed)) => {
            analysis::analyze_parsed_task_definition(text, parsed, file_text)
        }
        (DocumentKind::TaskDefinition, None) => {
            analysis::analyze_task_definition_with(text, file_text)
        }
        (DocumentKind::Service, Some(parsed)) => request_analysis::analyze_parsed_request(
            Operation::CreateService,
            text,
            &parsed.root,
            &DocumentAccount::default(),
        ),
        (DocumentKind::Service, None) => {
            request_analysis::analyze_request("CreateService", text, &DocumentAccount::default())
        }
        (DocumentKind::Terraform, _) => check_terraform(text, file_text),
        (DocumentKind::Unrelated, _) => return None,
    };
    Some(analysis)
}

#[cfg(feature = "terraform")]
fn check_terraform(text: &str, file_text: &dyn Fn(&str) -> Option<String>) -> Analysis {
    analysis::analyze_terraform(text, file_text)
}

/// Built without Terraform (the authoring page's first load): said, never
/// misread as JSON.
#[cfg(not(feature = "terraform"))]
fn check_terraform(text: &str, _: &dyn Fn(&str) -> Option<String>) -> Analysis {
    let first_line = text.find('\n').unwrap_or(text.len());
    analysis::input_error(
        "terraform-not-supported",
        text,
        crate::text::Span::new(0, first_line),
        "Terraform is not read by this build; the workbench (import the .tf file) and the ecs-playground command line read it".into(),
    )
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

    /// The tree classification hands on gives the same findings as parsing again.
    #[test]
    fn checking_the_classified_tree_is_checking_the_text() {
        let service =
            r#"{"serviceName": "web app", "taskDefinition": "web:3", "desiredCount": -1}"#;
        let bad_task_definition = r#"{"family": "a b", "containerDefinitions": [{"name": "web", "image": "nginx", "memory": 4}]}"#;
        let cases = [
            (
                crate::examples::DEFAULT_TASK_DEFINITION,
                DocumentKind::TaskDefinition,
            ),
            (bad_task_definition, DocumentKind::TaskDefinition),
            (service, DocumentKind::Service),
            #[cfg(feature = "yaml")]
            (
                "services:\n  web:\n    image: nginx:1\n    stdin_open: true\n",
                DocumentKind::TaskDefinition,
            ),
        ];
        for (text, kind) in cases {
            let classified = classify_parsed(text);
            assert_eq!(classified.kind, kind, "{text}");
            assert!(classified.parsed.is_some(), "{text}");
            let from_tree = check(text, classified, &|_| None).expect("checked");
            let from_text =
                check(text, Classified { kind, parsed: None }, &|_| None).expect("checked");
            assert_eq!(from_tree, from_text, "{text}");
            if text != crate::examples::DEFAULT_TASK_DEFINITION {
                assert!(!from_tree.diagnostics.is_empty(), "{text}");
            }
        }
        assert_eq!(
            check("# README", classify_parsed("# README"), &|_| None),
            None
        );
    }
}
