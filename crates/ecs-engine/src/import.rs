//! Recognising which form of task definition the user pasted, and reading it.
//!
//! Every form ends up as a [`Located`] task definition in the API's own shape
//! (RegisterTaskDefinition input), whose spans point into the user's text, so
//! that the rules are written once and diagnostics land where the user looks.

pub mod cloudformation;
#[cfg(feature = "yaml")]
pub mod compose;
#[cfg(feature = "terraform")]
pub mod terraform;
#[cfg(feature = "yaml")]
pub mod yaml;

use serde::{Deserialize, Serialize};

use crate::check::{Located, Rule};
use crate::diagnostic::{Finding, Severity};
use crate::edit::remove_members;
use crate::json::{self, JsonPath, Node, Segment};
use crate::text::Span;

use cloudformation::{Converted, Shape};

/// The shapes a task definition arrives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum InputForm {
    /// `aws ecs register-task-definition --cli-input-json` input.
    RegisterInput,
    /// `aws ecs describe-task-definition` output: `{"taskDefinition": {...}}`.
    DescribeOutput,
    /// The task definition object of describe-task-definition, unwrapped
    /// (recognised by read-only fields such as `taskDefinitionArn`).
    DescribedTaskDefinition,
    /// A bare array of container definitions (Terraform's `container_definitions`).
    ContainerDefinitions,
    /// A CloudFormation template holding an `AWS::ECS::TaskDefinition` resource.
    CloudFormationTemplate,
    /// One CloudFormation resource: `{"Type": "AWS::ECS::TaskDefinition", "Properties": ...}`.
    CloudFormationResource,
    /// The `Properties` of such a resource alone.
    CloudFormationProperties,
    /// A Docker Compose file: its services as the containers of one task definition.
    Compose,
}

impl InputForm {
    pub fn describe(self) -> &'static str {
        match self {
            InputForm::RegisterInput => "RegisterTaskDefinition input",
            InputForm::DescribeOutput => "describe-task-definition output",
            InputForm::DescribedTaskDefinition => "a task definition from describe-task-definition",
            InputForm::ContainerDefinitions => "a bare containerDefinitions array",
            InputForm::CloudFormationTemplate => "a CloudFormation template",
            InputForm::CloudFormationResource => {
                "a CloudFormation AWS::ECS::TaskDefinition resource"
            }
            InputForm::CloudFormationProperties => {
                "the Properties of a CloudFormation AWS::ECS::TaskDefinition"
            }
            InputForm::Compose => "a Docker Compose file",
        }
    }

    pub fn is_cloudformation(self) -> bool {
        matches!(
            self,
            InputForm::CloudFormationTemplate
                | InputForm::CloudFormationResource
                | InputForm::CloudFormationProperties
        )
    }
}

/// The text the document was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Syntax {
    Json,
    Yaml,
}

/// Fields that describe-task-definition returns and register-task-definition does not take.
pub const READ_ONLY_FIELDS: &[&str] = &[
    "taskDefinitionArn",
    "revision",
    "status",
    "requiresAttributes",
    "compatibilities",
    "registeredAt",
    "registeredBy",
    "deregisteredAt",
];

pub const READ_ONLY_FIELD: Rule = Rule {
    code: "read-only-field",
    severity: Severity::Info,
    summary:
        "Fields that describe-task-definition returns are ignored by register-task-definition.",
    covers: &[],
    exception: None,
};

pub const CLOUDFORMATION_INTRINSIC: Rule = Rule {
    code: "cloudformation-intrinsic",
    severity: Severity::Info,
    summary:
        "CloudFormation functions (`Ref`, `Fn::Sub`, …) are kept as written and not validated.",
    covers: &[],
    exception: None,
};

pub const CLOUDFORMATION_SEVERAL: Rule = Rule {
    code: "cloudformation-several-task-definitions",
    severity: Severity::Info,
    summary: "Of several task-definition resources in a template, the first is checked.",
    covers: &[],
    exception: None,
};

/// The rules that importing applies, for the catalogue.
pub const RULES: &[&Rule] = &[
    &READ_ONLY_FIELD,
    &CLOUDFORMATION_INTRINSIC,
    &CLOUDFORMATION_SEVERAL,
    #[cfg(feature = "yaml")]
    &compose::COMPOSE_NO_ECS_EQUIVALENT,
    #[cfg(feature = "yaml")]
    &compose::COMPOSE_ENV_FILE_UNREAD,
];

/// Where the task definition sits inside the document, and in which form.
pub struct Recognised<'a> {
    pub form: InputForm,
    pub task_def: Located<'a>,
}

/// Finds the task definition in a JSON document in the API's shape, or says
/// why there is none. CloudFormation is recognised by [`import`].
pub fn recognise(root: &Node) -> Result<Recognised<'_>, String> {
    if root.is_array() {
        return Ok(Recognised {
            form: InputForm::ContainerDefinitions,
            task_def: Located::root(root, JsonPath::root()),
        });
    }
    if !root.is_object() {
        return Err(format!(
            "expected a task definition (a JSON object), found {}",
            root.type_name()
        ));
    }
    if let Some(member) = root.member("taskDefinition") {
        if member.value.is_object() {
            return Ok(Recognised {
                form: InputForm::DescribeOutput,
                task_def: Located {
                    node: &member.value,
                    path: JsonPath::root().key("taskDefinition"),
                    key_span: Some(member.key_span),
                },
            });
        }
    }
    let described = ["taskDefinitionArn", "revision", "status", "registeredAt"]
        .iter()
        .any(|k| root.member(k).is_some());
    Ok(Recognised {
        form: if described {
            InputForm::DescribedTaskDefinition
        } else {
            InputForm::RegisterInput
        },
        task_def: Located::root(root, JsonPath::root()),
    })
}

/// A document read and recognised: the tree as written, and the task definition in API form.
pub struct Imported {
    pub form: InputForm,
    pub syntax: Syntax,
    /// The document exactly as the user wrote it.
    pub root: Node,
    /// CloudFormation properties translated to the API form.
    pub converted: Option<Converted>,
    /// Path of the task definition (for CloudFormation: of its Properties) in `root`.
    pub task_def_path: JsonPath,
    task_def_key_span: Option<Span>,
    /// What importing found: read-only fields, functions it cannot evaluate.
    pub findings: Vec<Finding>,
}

impl Imported {
    /// The task definition in API form, located in the user's text.
    pub fn task_def(&self) -> Located<'_> {
        let node = match &self.converted {
            Some(converted) => &converted.node,
            None => self.root.at(&self.task_def_path).unwrap_or(&self.root),
        };
        Located {
            node,
            path: self.task_def_path.clone(),
            key_span: self.task_def_key_span,
        }
    }

    /// Makes rule findings speak the user's form: for CloudFormation, paths
    /// use the template's names, nothing is reported inside a function the
    /// playground cannot evaluate, and only fixes that replace a value with a
    /// plain value are kept (the others would write API names into the template).
    pub fn adapt(&self, findings: &mut Vec<Finding>) {
        let Some(converted) = &self.converted else {
            return;
        };
        // Compose findings keep the API's paths: the task definition has no
        // counterpart path in the Compose file (its spans point there).
        if self.form != InputForm::Compose {
            for finding in findings.iter_mut() {
                finding.path = self.original_path(converted, &finding.path);
            }
        }
        // A finding on a function's value, or on its key, or inside it, is moot.
        findings.retain(|f| {
            !converted.intrinsics.iter().any(|i| {
                (i.span.start <= f.span.start && f.span.end <= i.span.end)
                    || f.path.0.starts_with(&i.path.0)
            })
        });
        for finding in findings.iter_mut() {
            let keep_fix = finding.fix.as_ref().is_some_and(|fix| {
                fix.edits.iter().all(|(_, text)| {
                    json::parse(text).is_ok_and(|n| !n.is_object() && !n.is_array())
                })
            });
            if !keep_fix {
                finding.fix = None;
            }
        }
    }

    fn original_path(&self, converted: &Converted, path: &JsonPath) -> JsonPath {
        let prefix = self.task_def_path.0.len();
        if path.0.get(..prefix) != Some(&self.task_def_path.0[..]) {
            return path.clone();
        }
        let mut original = self.task_def_path.clone();
        let mut node = Some(&converted.node);
        let mut user_node = self.root.at(&self.task_def_path);
        let mut parent_api = String::new();
        for segment in path.0.iter().skip(prefix) {
            match segment {
                Segment::Key(key) => {
                    let index = node.and_then(|n| n.members().iter().rposition(|m| &m.key == key));
                    let name = index
                        .and_then(|i| user_node.and_then(|u| u.members().get(i)))
                        .map(|m| m.key.clone())
                        .unwrap_or_else(|| cloudformation::cloudformation_name(key, &parent_api));
                    original.0.push(Segment::Key(name));
                    node = index
                        .and_then(|i| node.and_then(|n| n.members().get(i)))
                        .map(|m| &m.value);
                    user_node = index
                        .and_then(|i| user_node.and_then(|u| u.members().get(i)))
                        .map(|m| &m.value);
                    parent_api.clone_from(key);
                }
                Segment::Index(i) => {
                    original.0.push(Segment::Index(*i));
                    node = node.and_then(|n| n.items().get(*i));
                    user_node = user_node.and_then(|u| u.items().get(*i));
                }
            }
        }
        original
    }
}

/// Reads a document in any accepted form, or returns the one error that stops it.
pub fn import(text: &str) -> Result<Imported, Box<Finding>> {
    import_with(text, &|_| None)
}

/// Like [`import`], with the text of files the document names (a Compose
/// file's `env_file`), which the caller reads.
pub fn import_with(
    text: &str,
    file_text: &dyn Fn(&str) -> Option<String>,
) -> Result<Imported, Box<Finding>> {
    let parsed = parse_document(text)?;
    import_parsed(parsed, file_text)
}

/// A document's text parsed once, as JSON or (when it cannot be JSON and
/// looks like it) YAML: what classification hands on to the check, so that
/// a repository-wide check parses each file once.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub root: Node,
    pub syntax: Syntax,
}

/// `text` parsed as [`import_with`] parses it, or the syntax error that stops it.
pub fn parse_document(text: &str) -> Result<Parsed, Box<Finding>> {
    let (root, syntax) = match json::parse(text) {
        Ok(root) => (root, Syntax::Json),
        Err(json_error) => match yaml_document(text) {
            Some(Ok(root)) => (root, Syntax::Yaml),
            Some(Err(yaml_error)) => {
                return Err(input_error(
                    if cfg!(feature = "yaml") {
                        "yaml-syntax"
                    } else {
                        "yaml-not-supported"
                    },
                    yaml_error.span,
                    yaml_error.message,
                ))
            }
            None => {
                return Err(input_error(
                    "json-syntax",
                    json_error.span,
                    json_error.message,
                ))
            }
        },
    };
    Ok(Parsed { root, syntax })
}

/// [`import_with`] of a text already parsed by [`parse_document`].
pub fn import_parsed(
    parsed: Parsed,
    file_text: &dyn Fn(&str) -> Option<String>,
) -> Result<Imported, Box<Finding>> {
    let Parsed { root, syntax } = parsed;
    if root.is_object() {
        match cloudformation::find(&root) {
            Shape::TaskDefinition(found) => {
                let (form, converted, path, key_span, findings) = from_cloudformation(&root, found);
                return Ok(Imported {
                    form,
                    syntax,
                    root,
                    converted: Some(converted),
                    task_def_path: path,
                    task_def_key_span: key_span,
                    findings,
                });
            }
            Shape::TemplateWithout => {
                return Err(input_error(
                    "not-a-task-definition",
                    root.span,
                    format!(
                        "the CloudFormation template has no {} resource",
                        cloudformation::RESOURCE_TYPE
                    ),
                ))
            }
            Shape::NotCloudFormation => {}
        }
    }
    #[cfg(feature = "yaml")]
    if compose::is_compose(&root) {
        let converted = compose::to_task_definition(&root, file_text);
        return Ok(Imported {
            form: InputForm::Compose,
            syntax,
            root,
            converted: Some(Converted {
                node: converted.node,
                intrinsics: Vec::new(),
            }),
            task_def_path: JsonPath::root(),
            task_def_key_span: None,
            findings: converted.findings,
        });
    }
    let _ = file_text;
    if syntax == Syntax::Yaml {
        return Err(input_error(
            "not-a-task-definition",
            root.span,
            "this YAML is not a CloudFormation template or AWS::ECS::TaskDefinition resource; task definitions in other forms must be JSON",
        ));
    }
    let (form, path, key_span) = match recognise(&root) {
        Ok(r) => (r.form, r.task_def.path, r.task_def.key_span),
        Err(message) => return Err(input_error("not-a-task-definition", root.span, message)),
    };
    let mut imported = Imported {
        form,
        syntax,
        root,
        converted: None,
        task_def_path: path,
        task_def_key_span: key_span,
        findings: Vec::new(),
    };
    if form != InputForm::ContainerDefinitions {
        imported.findings = read_only_findings(&imported.task_def());
    }
    Ok(imported)
}

/// Whether `text` is Terraform declaring ECS resources (a cheap test on the
/// text, available without the `terraform` feature so that every build
/// recognises what it cannot read).
pub fn terraform_markers(text: &str) -> bool {
    text.contains("resource")
        && [
            "\"aws_ecs_task_definition\"",
            "\"aws_ecs_service\"",
            "\"aws_ecs_cluster\"",
        ]
        .iter()
        .any(|t| text.contains(t))
}

/// YAML is tried only for text that cannot be JSON and mentions CloudFormation
/// or task-definition properties; otherwise the JSON error is the useful one.
fn yaml_document(text: &str) -> Option<Result<Node, json::SyntaxError>> {
    let first = text.trim_start().chars().next()?;
    if matches!(first, '{' | '[' | '"') {
        return None;
    }
    let markers = [
        "services:",
        "AWSTemplateFormatVersion",
        "Resources:",
        "ContainerDefinitions:",
        cloudformation::RESOURCE_TYPE,
    ];
    let looks_like_cloudformation = markers.iter().any(|marker| text.contains(marker));
    if !looks_like_cloudformation {
        return None;
    }
    parse_yaml(text)
}

#[cfg(feature = "yaml")]
fn parse_yaml(text: &str) -> Option<Result<Node, json::SyntaxError>> {
    Some(yaml::parse(text))
}

/// Built without YAML support (the browser, to keep the page small): a YAML
/// template is refused with the way to convert it, never with a JSON error.
#[cfg(not(feature = "yaml"))]
fn parse_yaml(text: &str) -> Option<Result<Node, json::SyntaxError>> {
    let first_line = text.find('\n').unwrap_or(text.len());
    Some(Err(json::SyntaxError {
        message: YAML_NOT_SUPPORTED.into(),
        span: Span::new(0, first_line),
    }))
}

/// What a build without YAML support says about a CloudFormation YAML template.
pub const YAML_NOT_SUPPORTED: &str = "CloudFormation YAML is not supported here: this build reads JSON only. Convert the template to JSON first (for example `cfn-flip template.yaml`, or `yq -o=json template.yaml`) and paste or import that; the ecs-playground command line reads YAML as it is.";

type FromCloudFormation = (InputForm, Converted, JsonPath, Option<Span>, Vec<Finding>);

fn from_cloudformation(root: &Node, found: cloudformation::Found<'_>) -> FromCloudFormation {
    let form = if found.logical_id.is_some() {
        InputForm::CloudFormationTemplate
    } else if found.path.is_root() {
        InputForm::CloudFormationProperties
    } else {
        InputForm::CloudFormationResource
    };
    let empty = Node {
        span: found.key_span.unwrap_or(root.span),
        kind: json::NodeKind::Object(Vec::new()),
    };
    let converted = cloudformation::to_api(found.properties.unwrap_or(&empty), &found.path);
    let mut findings = Vec::new();
    for intrinsic in &converted.intrinsics {
        findings.push(finding(
            &CLOUDFORMATION_INTRINSIC,
            intrinsic.path.clone(),
            intrinsic.span,
            format!(
                "{} is evaluated by CloudFormation when the stack deploys: the playground keeps it as written and does not validate this value",
                intrinsic.function
            ),
        ));
    }
    if let (Some(first), Some((_, span))) = (&found.logical_id, found.others.first()) {
        findings.push(finding(
            &CLOUDFORMATION_SEVERAL,
            JsonPath::root().key("Resources"),
            *span,
            format!(
                "the template defines {} {} resources: the playground checks the first, \"{first}\"",
                found.others.len() + 1,
                cloudformation::RESOURCE_TYPE
            ),
        ));
    }
    (form, converted, found.path, found.key_span, findings)
}

fn read_only_findings(task_def: &Located<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (i, member) in task_def.node.members().iter().enumerate() {
        if !READ_ONLY_FIELDS.contains(&member.key.as_str()) {
            continue;
        }
        let mut f = finding(
            &READ_ONLY_FIELD,
            task_def.path.key(&member.key),
            member.key_span,
            format!(
                "{} is a read-only field that describe-task-definition returns: register-task-definition ignores it",
                member.key
            ),
        );
        f.with_fix(
            format!("Remove {}", member.key),
            remove_members(task_def.node, &[i]),
        );
        findings.push(f);
    }
    findings
}

fn finding(rule: &Rule, path: JsonPath, span: Span, message: String) -> Finding {
    Finding {
        code: rule.code,
        severity: rule.severity,
        path,
        span,
        message,
        exception: rule.exception,
        fix: None,
    }
}

fn input_error(code: &'static str, span: Span, message: impl Into<String>) -> Box<Finding> {
    Box::new(Finding {
        code,
        severity: Severity::Error,
        path: JsonPath::root(),
        span,
        message: message.into(),
        exception: None,
        fix: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze_task_definition;
    use crate::diagnostic::{apply_fix, Diagnostic};

    fn find<'a>(diagnostics: &'a [Diagnostic], code: &str) -> &'a Diagnostic {
        diagnostics
            .iter()
            .find(|d| d.code == code)
            .unwrap_or_else(|| panic!("no {code} in {diagnostics:#?}"))
    }

    fn text_at<'a>(text: &'a str, d: &Diagnostic) -> &'a str {
        let utf16: Vec<u16> = text.encode_utf16().collect();
        let (start, end) = (
            d.range.start.offset_utf16 as usize,
            d.range.end.offset_utf16 as usize,
        );
        let before = String::from_utf16_lossy(&utf16[..start]).len();
        let inside = String::from_utf16_lossy(&utf16[start..end]).len();
        &text[before..before + inside]
    }

    #[test]
    fn a_bare_described_task_definition_gets_read_only_infos_with_fixes() {
        let text = "{\n  \"taskDefinitionArn\": \"arn:aws:ecs:us-east-1:1:task-definition/web:1\",\n  \"family\": \"web\",\n  \"containerDefinitions\": [{\"name\": \"a\", \"image\": \"x\", \"memory\": 64}],\n  \"revision\": 1\n}";
        let analysis = analyze_task_definition(text);
        assert_eq!(analysis.form, Some(InputForm::DescribedTaskDefinition));
        let infos: Vec<&Diagnostic> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.code == "read-only-field")
            .collect();
        assert_eq!(infos.len(), 2);
        assert_eq!(infos[0].path, "taskDefinitionArn");
        assert_eq!(text_at(text, infos[0]), "\"taskDefinitionArn\"");
        for info in infos {
            let fixed = apply_fix(text, info.fix.as_ref().unwrap());
            let root = json::parse(&fixed).expect("the fix keeps the JSON valid");
            assert!(root.get(info.path.as_str()).is_none());
            assert_eq!(root.members().len(), 3);
        }
    }

    #[test]
    fn read_only_fields_inside_describe_output_are_reported_with_the_wrapper_path() {
        let text = r#"{"taskDefinition": {"family": "web", "status": "ACTIVE", "containerDefinitions": [{"name": "a", "image": "x", "memory": 64}]}}"#;
        let analysis = analyze_task_definition(text);
        assert_eq!(analysis.form, Some(InputForm::DescribeOutput));
        let info = find(&analysis.diagnostics, "read-only-field");
        assert_eq!(info.path, "taskDefinition.status");
        let fixed = apply_fix(text, info.fix.as_ref().unwrap());
        assert_eq!(
            fixed,
            r#"{"taskDefinition": {"family": "web", "containerDefinitions": [{"name": "a", "image": "x", "memory": 64}]}}"#
        );
    }

    const FARGATE_YAML: &str = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Web:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Family: !Ref FamilyName\n      RequiresCompatibilities: [FARGATE]\n      NetworkMode: bridge\n      Cpu: 256\n      Memory: 512\n      ContainerDefinitions:\n        - Name: web\n          Image: !Sub '${Repo}:latest'\n";

    /// The browser build leaves YAML out; a template gets the way to convert it.
    #[cfg(not(feature = "yaml"))]
    #[test]
    fn without_yaml_a_template_says_how_to_convert_it() {
        let analysis = analyze_task_definition(FARGATE_YAML);
        assert_eq!(analysis.form, None);
        assert_eq!(analysis.diagnostics.len(), 1);
        assert_eq!(analysis.diagnostics[0].code, "yaml-not-supported");
        assert_eq!(analysis.diagnostics[0].message, YAML_NOT_SUPPORTED);
        // JSON mistakes still get the JSON error.
        let broken = analyze_task_definition("{\"family\": }");
        assert_eq!(broken.diagnostics[0].code, "json-syntax");
    }

    #[test]
    fn cloudformation_yaml_diagnostics_point_into_the_template() {
        let analysis = analyze_task_definition(FARGATE_YAML);
        assert_eq!(analysis.form, Some(InputForm::CloudFormationTemplate));
        let mode = find(&analysis.diagnostics, "fargate-requires-awsvpc");
        assert_eq!(mode.path, "Resources.Web.Properties.NetworkMode");
        assert_eq!(text_at(FARGATE_YAML, mode), "bridge");
        assert_eq!((mode.range.start.line, mode.range.start.column), (8, 20));
        let fixed = apply_fix(FARGATE_YAML, mode.fix.as_ref().unwrap());
        assert!(fixed.contains("NetworkMode: \"awsvpc\"\n"));
        assert_eq!(analyze_task_definition(&fixed).error_count(), 0, "{fixed}");
        // Cpu 256 as a YAML number is a CloudFormation string: no type trouble, a valid pair.
        assert!(analysis
            .diagnostics
            .iter()
            .all(|d| d.code != "fargate-cpu-memory"));
    }

    #[test]
    fn intrinsic_functions_get_an_info_and_no_value_rules() {
        let analysis = analyze_task_definition(FARGATE_YAML);
        let intrinsics: Vec<&Diagnostic> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.code == "cloudformation-intrinsic")
            .collect();
        assert_eq!(intrinsics.len(), 2);
        assert_eq!(intrinsics[0].path, "Resources.Web.Properties.Family");
        assert_eq!(text_at(FARGATE_YAML, intrinsics[0]), "!Ref FamilyName");
        assert!(intrinsics[1].message.starts_with("Fn::Sub"));
        assert!(analysis
            .diagnostics
            .iter()
            .all(|d| d.code != "family-format"));
    }

    #[test]
    fn findings_on_a_function_key_value_or_inside_are_dropped_and_others_translated() {
        let imported = import(FARGATE_YAML).unwrap();
        let task_def = imported.task_def();
        let family = task_def.node.member("family").unwrap();
        let mode = task_def.field("networkMode").unwrap();
        let at = |path: JsonPath, span: Span| finding(&READ_ONLY_FIELD, path, span, String::new());
        let mut findings = vec![
            at(task_def.path.key("family"), family.key_span),
            at(task_def.path.key("family").key("Ref"), family.value.span),
            at(mode.path.clone(), mode.span()),
        ];
        imported.adapt(&mut findings);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(
            findings[0].path.to_string(),
            "Resources.Web.Properties.NetworkMode"
        );
    }

    #[test]
    fn json_templates_resources_and_properties_are_recognised() {
        let cases = [
            (
                r#"{"Resources": {"A": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"Family": "a", "ContainerDefinitions": [{"Name": "c", "Image": "i", "Memory": 64}]}}, "B": {"Type": "AWS::ECS::TaskDefinition", "Properties": {}}}}"#,
                InputForm::CloudFormationTemplate,
            ),
            (
                r#"{"Type": "AWS::ECS::TaskDefinition", "Properties": {"Family": "a", "ContainerDefinitions": [{"Name": "c", "Image": "i", "Memory": "64"}]}}"#,
                InputForm::CloudFormationResource,
            ),
            (
                r#"{"Family": "a", "ContainerDefinitions": [{"Name": "c", "Image": "i", "MemoryReservation": 64}]}"#,
                InputForm::CloudFormationProperties,
            ),
        ];
        for (text, form) in cases {
            let analysis = analyze_task_definition(text);
            assert_eq!(analysis.form, Some(form), "{text}");
            assert_eq!(analysis.error_count(), 0, "{:#?}", analysis.diagnostics);
        }
        let several = analyze_task_definition(cases[0].0);
        assert_eq!(
            find(
                &several.diagnostics,
                "cloudformation-several-task-definitions"
            )
            .severity,
            Severity::Info
        );
    }

    #[test]
    fn missing_cloudformation_properties_are_reported_at_the_properties_key_with_template_names() {
        let text = r#"{"Resources": {"A": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"Family": "a"}}}}"#;
        let analysis = analyze_task_definition(text);
        let missing = find(&analysis.diagnostics, "container-definitions-required");
        assert_eq!(missing.path, "Resources.A.Properties.ContainerDefinitions");
        assert_eq!(text_at(text, missing), "\"Properties\"");
        assert!(missing.fix.is_none());
    }

    #[test]
    fn text_that_is_neither_json_nor_a_template_gets_the_json_error() {
        let cases = [
            ("hello: world\n", "json-syntax"),
            ("Resources:\n  A: [1, 2\n  B: 3\n", "yaml-syntax"),
            (
                "Resources:\n  A:\n    Type: AWS::S3::Bucket\n",
                "not-a-task-definition",
            ),
            ("- ContainerDefinitions: []\n", "not-a-task-definition"),
        ];
        for (text, code) in cases {
            let analysis = analyze_task_definition(text);
            assert_eq!(analysis.diagnostics[0].code, code, "{text}");
        }
    }
}
