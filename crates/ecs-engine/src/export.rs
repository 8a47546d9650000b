//! Export: the task definition as `register-task-definition` input, or as a
//! CloudFormation resource.
//!
//! When the user's document is already register or describe JSON, the export
//! is their own text with only the read-only fields cut out (and the describe
//! wrapper removed), so field order, formatting and numbers stay as written.
//! Converting between forms re-serializes, pretty-printed with two spaces.

pub mod cli_script;
#[cfg(feature = "terraform")]
pub mod terraform;
use serde::{Deserialize, Serialize};

use crate::analysis::{analyze_bytes, Analysis, MAX_INPUT_BYTES};
use crate::edit::{apply_edits, remove_members};
use crate::import::{cloudformation, import, Imported, InputForm, READ_ONLY_FIELDS};
use crate::json::Node;
use crate::text::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ExportTarget {
    /// Input for `aws ecs register-task-definition --cli-input-json`.
    Register,
    /// `{"Type": "AWS::ECS::TaskDefinition", "Properties": {...}}`.
    CloudFormation,
    /// `resource "aws_ecs_task_definition" "FAMILY" {...}` (HCL).
    #[cfg(feature = "terraform")]
    Terraform,
}

/// Exports `text` in any import form to `target`. A document with errors is
/// not exported: the analysis that found them comes back instead.
pub fn export(text: &str, target: ExportTarget) -> Result<String, Box<Analysis>> {
    export_with(text, target, &|_| None)
}

/// Like [`export`], with the text of files the document names (a Compose
/// file's `env_file`), which the caller reads.
pub fn export_with(
    text: &str,
    target: ExportTarget,
    file_text: &dyn Fn(&str) -> Option<String>,
) -> Result<String, Box<Analysis>> {
    let analysis = crate::analysis::analyze_task_definition_with(text, file_text);
    if analysis.error_count() > 0 {
        return Err(Box::new(analysis));
    }
    let Ok(imported) = crate::import::import_with(text, file_text) else {
        return Err(Box::new(analysis));
    };
    Ok(match target {
        ExportTarget::Register => to_register(&imported, text),
        ExportTarget::CloudFormation => to_cloudformation(&imported),
        #[cfg(feature = "terraform")]
        ExportTarget::Terraform => {
            let register = to_register(&imported, text);
            let value = serde_json::from_str(&register).unwrap_or(serde_json::Value::Null);
            terraform::task_definition(&value)
        }
    })
}

/// Like [`export`], for raw bytes: checks size and UTF-8 first.
pub fn export_bytes(bytes: &[u8], target: ExportTarget) -> Result<String, Box<Analysis>> {
    match std::str::from_utf8(bytes) {
        Ok(text) if bytes.len() <= MAX_INPUT_BYTES => export(text, target),
        _ => Err(Box::new(analyze_bytes(bytes))),
    }
}

/// register-task-definition input from `text` in any import form, without
/// validating it (the editor validates what it opens); an unreadable text's
/// error names the line and column.
pub fn register_input_from(text: &str) -> Result<String, String> {
    match import(text) {
        Ok(imported) => Ok(to_register(&imported, text)),
        Err(finding) => {
            let at = crate::text::LineIndex::new(text).position(finding.span.start as usize);
            Err(format!(
                "line {}, column {}: {}",
                at.line, at.column, finding.message
            ))
        }
    }
}

/// register-task-definition input from an imported document.
pub fn to_register(imported: &Imported, text: &str) -> String {
    match imported.form {
        InputForm::RegisterInput
        | InputForm::DescribedTaskDefinition
        | InputForm::DescribeOutput => trim_in_place(imported, text),
        InputForm::ContainerDefinitions => {
            let mut map = serde_json::Map::new();
            map.insert(
                "containerDefinitions".into(),
                without_nulls(imported.root.to_value()),
            );
            pretty(&serde_json::Value::Object(map))
        }
        InputForm::CloudFormationTemplate
        | InputForm::CloudFormationResource
        | InputForm::CloudFormationProperties
        | InputForm::Compose => {
            let mut value = without_nulls(imported.task_def().node.to_value());
            if let Some(map) = value.as_object_mut() {
                map.retain(|k, _| !READ_ONLY_FIELDS.contains(&k.as_str()));
            }
            pretty(&value)
        }
    }
}

/// A CloudFormation resource from an imported document.
pub fn to_cloudformation(imported: &Imported) -> String {
    let task_def = imported.task_def();
    let properties = if imported.form == InputForm::ContainerDefinitions {
        let mut map = serde_json::Map::new();
        map.insert(
            "ContainerDefinitions".into(),
            cloudformation::to_cloudformation_list(task_def.node, "containerDefinitions"),
        );
        serde_json::Value::Object(map)
    } else {
        let mut value = cloudformation::to_cloudformation(task_def.node);
        if let Some(map) = value.as_object_mut() {
            let read_only: Vec<String> = READ_ONLY_FIELDS
                .iter()
                .map(|k| cloudformation::cloudformation_name(k, ""))
                .collect();
            map.retain(|k, _| !read_only.contains(k));
        }
        value
    };
    let mut resource = serde_json::Map::new();
    resource.insert(
        "Type".into(),
        serde_json::Value::String(cloudformation::RESOURCE_TYPE.into()),
    );
    resource.insert("Properties".into(), properties);
    pretty(&without_nulls(serde_json::Value::Object(resource)))
}

fn pretty(value: &serde_json::Value) -> String {
    let mut out = crate::json::write::pretty(value);
    out.push('\n');
    out
}

/// The user's own text, minus read-only fields and the describe wrapper.
fn trim_in_place(imported: &Imported, text: &str) -> String {
    let task_def = imported.task_def();
    let node = task_def.node;
    let read_only: Vec<usize> = node
        .members()
        .iter()
        .enumerate()
        .filter(|(_, m)| READ_ONLY_FIELDS.contains(&m.key.as_str()) || m.value.is_null())
        .map(|(i, _)| i)
        .collect();
    let mut edits = remove_members(node, &read_only);
    for (i, member) in node.members().iter().enumerate() {
        if !read_only.contains(&i) {
            remove_nulls(&member.value, &mut edits);
        }
    }
    if imported.form != InputForm::DescribeOutput {
        return apply_edits(text, &edits);
    }
    // describe-task-definition --include TAGS puts the tags beside the task definition.
    if let Some(tags) = wrapper_tags(imported, node) {
        if let Some(insert_at) = last_kept_value_end(node, &read_only) {
            let indent = member_indent(text, node);
            let tags_text = text
                .get(tags.span.start as usize..tags.span.end as usize)
                .unwrap_or("[]");
            edits.push((
                Span::new(insert_at, insert_at),
                format!(",\n{indent}\"tags\": {tags_text}"),
            ));
        }
    }
    let (start, end) = (node.span.start as usize, node.span.end as usize);
    let shifted: Vec<(Span, String)> = edits
        .into_iter()
        .filter(|(span, _)| span.start as usize >= start && span.end as usize <= end)
        .map(|(span, new)| {
            (
                Span::new(span.start as usize - start, span.end as usize - start),
                new,
            )
        })
        .collect();
    let inner = apply_edits(text.get(start..end).unwrap_or(""), &shifted);
    let mut out = dedent(&inner, closing_indent(text, node));
    if text.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Console exports write `null` for absent fields; the CLI rejects `null`
/// for typed parameters, so null members go, wherever they are.
fn remove_nulls(node: &Node, edits: &mut Vec<(Span, String)>) {
    let nulls: Vec<usize> = node
        .members()
        .iter()
        .enumerate()
        .filter(|(_, m)| m.value.is_null())
        .map(|(i, _)| i)
        .collect();
    edits.extend(remove_members(node, &nulls));
    for member in node.members().iter().filter(|m| !m.value.is_null()) {
        remove_nulls(&member.value, edits);
    }
    for item in node.items() {
        remove_nulls(item, edits);
    }
}

fn without_nulls(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

fn wrapper_tags<'a>(imported: &'a Imported, task_def: &Node) -> Option<&'a Node> {
    let tags = imported.root.get("tags")?;
    let wanted = !tags.items().is_empty() && task_def.get("tags").is_none();
    wanted.then_some(tags)
}

fn last_kept_value_end(node: &Node, removed: &[usize]) -> Option<usize> {
    node.members()
        .iter()
        .enumerate()
        .rev()
        .find(|(i, _)| !removed.contains(i))
        .map(|(_, m)| m.value.span.end as usize)
}

/// The whitespace before the first member's key on its line.
fn member_indent(text: &str, node: &Node) -> String {
    let Some(first) = node.members().first() else {
        return "  ".into();
    };
    let key_start = first.key_span.start as usize;
    let line_start = text
        .get(..key_start)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |i| i + 1);
    let before = text.get(line_start..key_start).unwrap_or("");
    if before.chars().all(|c| c == ' ' || c == '\t') {
        before.to_string()
    } else {
        " ".into()
    }
}

/// How far the object's closing brace is indented, if it sits on its own line.
fn closing_indent(text: &str, node: &Node) -> usize {
    let close = (node.span.end as usize).saturating_sub(1);
    let line_start = text
        .get(..close)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |i| i + 1);
    match text.get(line_start..close) {
        Some(before) if before.bytes().all(|b| b == b' ') => before.len(),
        _ => 0,
    }
}

/// Removes `width` spaces from every line after the first, if all have them.
/// JSON strings cannot hold raw line breaks, so every line break is layout.
fn dedent(text: &str, width: usize) -> String {
    let prefix = " ".repeat(width);
    let mut lines = text.split('\n');
    let first = lines.next().unwrap_or("");
    let rest: Vec<&str> = lines.collect();
    if width == 0
        || !rest
            .iter()
            .all(|line| line.trim().is_empty() || line.starts_with(&prefix))
    {
        return text.to_string();
    }
    let mut out = first.to_string();
    for line in rest {
        out.push('\n');
        out.push_str(line.get(width..).unwrap_or(line.trim_start()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    /// The register export without validation, which other rules may tighten.
    fn register_of(text: &str) -> String {
        to_register(&import(text).expect("imports"), text)
    }

    fn value(text: &str) -> serde_json::Value {
        parse(text).expect("export produces JSON").to_value()
    }

    #[test]
    fn register_input_without_read_only_fields_is_returned_unchanged() {
        let text = "{\n  \"family\":   \"web\",\n  \"containerDefinitions\": [{\"name\": \"a\", \"image\": \"x\", \"memory\":128 }]\n}\n";
        assert_eq!(export(text, ExportTarget::Register).unwrap(), text);
    }

    #[test]
    fn describe_output_is_unwrapped_and_trimmed_in_place() {
        let text = r#"{
    "taskDefinition": {
        "taskDefinitionArn": "arn:aws:ecs:us-east-1:1:task-definition/web:3",
        "family": "web",
        "containerDefinitions": [
            {"name": "a", "image": "x", "memory": 128}
        ],
        "revision": 3,
        "status": "ACTIVE",
        "x-unknown": true,
        "registeredAt": "2024-01-01T00:00:00Z"
    },
    "tags": [{"key": "team", "value": "web"}]
}
"#;
        let expected = r#"{
    "family": "web",
    "containerDefinitions": [
        {"name": "a", "image": "x", "memory": 128}
    ],
    "x-unknown": true,
    "tags": [{"key": "team", "value": "web"}]
}
"#;
        assert_eq!(register_of(text), expected);
    }

    #[test]
    fn cloudformation_converts_to_register_input_and_back() {
        let yaml = "Resources:\n  Web:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Family: web\n      Cpu: 256\n      Memory: '512'\n      NetworkMode: awsvpc\n      RequiresCompatibilities: [FARGATE]\n      ContainerDefinitions:\n        - Name: web\n          Image: nginx\n          PortMappings:\n            - ContainerPort: '80'\n          DockerLabels:\n            Com.Example: x\n      Volumes:\n        - Name: data\n          EFSVolumeConfiguration:\n            FilesystemId: fs-1\n            TransitEncryption: ENABLED\n            AuthorizationConfig: {IAM: ENABLED}\n";
        let register = export(yaml, ExportTarget::Register).unwrap();
        let expected = serde_json::json!({
            "family": "web", "cpu": "256", "memory": "512", "networkMode": "awsvpc",
            "requiresCompatibilities": ["FARGATE"],
            "containerDefinitions": [{"name": "web", "image": "nginx",
                "portMappings": [{"containerPort": 80}], "dockerLabels": {"Com.Example": "x"}}],
            "volumes": [{"name": "data", "efsVolumeConfiguration": {"fileSystemId": "fs-1",
                "transitEncryption": "ENABLED", "authorizationConfig": {"iam": "ENABLED"}}}]
        });
        assert_eq!(value(&register), expected);
        assert!(
            register.starts_with("{\n  \"family\""),
            "pretty with 2 spaces"
        );

        let resource = export(&register, ExportTarget::CloudFormation).unwrap();
        let cfn = value(&resource);
        assert_eq!(cfn["Type"], "AWS::ECS::TaskDefinition");
        assert_eq!(
            cfn["Properties"]["Volumes"][0]["EFSVolumeConfiguration"]["FilesystemId"],
            "fs-1"
        );
        assert_eq!(
            value(&export(&resource, ExportTarget::Register).unwrap()),
            expected
        );
    }

    #[test]
    fn console_nulls_are_dropped_from_exports() {
        let text = "{\n  \"family\": \"web\",\n  \"pidMode\": null,\n  \"containerDefinitions\": [\n    {\"name\": \"a\", \"image\": \"x\", \"memory\": 64, \"user\": null}\n  ],\n  \"ipcMode\": null\n}\n";
        let expected = "{\n  \"family\": \"web\",\n  \"containerDefinitions\": [\n    {\"name\": \"a\", \"image\": \"x\", \"memory\": 64}\n  ]\n}\n";
        assert_eq!(register_of(text), expected);
        let cfn = to_cloudformation(&import(text).unwrap());
        assert!(!cfn.contains("null"), "{cfn}");
    }

    /// What the browser's on-demand YAML reader does: any import form to
    /// register input, errors and all, or the line that stops it.
    #[cfg(feature = "yaml")]
    #[test]
    fn a_yaml_template_becomes_register_input_even_with_errors() {
        let yaml = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Web:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Family: web\n      ContainerDefinitions:\n        - Name: web\n          Image: nginx\n          Memory: 0\n";
        let register = value(&register_input_from(yaml).unwrap());
        assert_eq!(register["family"], "web");
        assert_eq!(register["containerDefinitions"][0]["memory"], 0);
        let error = register_input_from("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Web:\n    Type: [AWS::ECS::TaskDefinition\n").unwrap_err();
        assert!(error.starts_with("line 5, column 1: "), "{error}");
        let error = register_input_from("{\"family\": 1,,}").unwrap_err();
        assert!(error.starts_with("line 1, column "), "{error}");
    }

    #[test]
    fn documents_with_errors_are_not_exported() {
        let analysis = export("{\"family\": 1,,}", ExportTarget::Register).unwrap_err();
        assert_eq!(analysis.diagnostics[0].code, "json-syntax");
        let analysis = export(
            "{\"containerDefinitions\": []}",
            ExportTarget::CloudFormation,
        )
        .unwrap_err();
        assert!(analysis.error_count() > 0);
    }

    #[test]
    fn a_bare_container_list_exports_as_container_definitions() {
        let text = r#"[{"name": "a", "image": "x", "memory": 128}]"#;
        let register = value(&export(text, ExportTarget::Register).unwrap());
        assert_eq!(register["containerDefinitions"][0]["memory"], 128);
        let cfn = value(&export(text, ExportTarget::CloudFormation).unwrap());
        assert_eq!(cfn["Properties"]["ContainerDefinitions"][0]["Memory"], 128);
    }
}
