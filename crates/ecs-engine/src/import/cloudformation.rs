//! CloudFormation's `AWS::ECS::TaskDefinition`: finding it in a template and
//! translating between its PascalCase properties and the API's camelCase.
//!
//! The translation keeps every node's span, so that rules written against
//! the API form report positions in the template the user wrote.

use crate::json::{JsonPath, Member, Node, NodeKind, Segment, MAX_DEPTH};
use crate::text::Span;

pub const RESOURCE_TYPE: &str = "AWS::ECS::TaskDefinition";

/// Names that are not simply the API name with its first letter capitalised:
/// (API name, CloudFormation name, API name of the enclosing member or "" for any).
const RENAMED: &[(&str, &str, &str)] = &[
    ("efsVolumeConfiguration", "EFSVolumeConfiguration", ""),
    (
        "fsxWindowsFileServerVolumeConfiguration",
        "FSxWindowsFileServerVolumeConfiguration",
        "",
    ),
    ("fileSystemId", "FilesystemId", "efsVolumeConfiguration"),
    ("iam", "IAM", "authorizationConfig"),
    (
        "properties",
        "ProxyConfigurationProperties",
        "proxyConfiguration",
    ),
];

/// Members whose value is a map of the user's own keys, kept verbatim.
const FREE_FORM: &[&str] = &["dockerLabels", "options", "driverOpts", "labels"];

/// Integer members that CloudFormation also accepts as strings.
const INTEGER_MEMBERS: &[&str] = &[
    "cpu",
    "memory",
    "memoryReservation",
    "startTimeout",
    "stopTimeout",
    "containerPort",
    "hostPort",
    "hardLimit",
    "softLimit",
    "interval",
    "retries",
    "startPeriod",
    "timeout",
    "sharedMemorySize",
    "maxSwap",
    "swappiness",
    "size",
    "sizeInGiB",
    "transitEncryptionPort",
    "restartAttemptPeriod",
];

/// Boolean members that CloudFormation also accepts as `"true"`/`"false"`.
const BOOLEAN_MEMBERS: &[&str] = &[
    "essential",
    "readOnly",
    "privileged",
    "disableNetworking",
    "interactive",
    "pseudoTerminal",
    "readonlyRootFilesystem",
    "initProcessEnabled",
    "autoprovision",
    "enabled",
    "configuredAtLaunch",
    "enableFaultInjection",
];

/// Task-level members that the API takes as strings (`"256"`, `"0.5 vCPU"`).
const TASK_STRING_MEMBERS: &[&str] = &["cpu", "memory"];

/// The API name for a CloudFormation property name.
pub fn api_name(cfn: &str, parent_api: &str) -> String {
    for (api, cloudformation, parent) in RENAMED {
        if *cloudformation == cfn && (parent.is_empty() || *parent == parent_api) {
            return (*api).to_string();
        }
    }
    // Property names are ASCII: no Unicode case tables needed.
    let mut name = cfn.to_string();
    if let Some(first) = name.get_mut(..1) {
        first.make_ascii_lowercase();
    }
    name
}

/// The CloudFormation name for an API member name.
pub fn cloudformation_name(api: &str, parent_api: &str) -> String {
    for (api_name, cloudformation, parent) in RENAMED {
        if *api_name == api && (parent.is_empty() || *parent == parent_api) {
            return (*cloudformation).to_string();
        }
    }
    let mut name = api.to_string();
    if let Some(first) = name.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    name
}

/// Where the task definition's properties are in a CloudFormation document.
pub struct Found<'a> {
    /// The `Properties` object, if the resource has one.
    pub properties: Option<&'a Node>,
    /// Path of the properties from the document root.
    pub path: JsonPath,
    /// The key to point at when something is missing.
    pub key_span: Option<Span>,
    /// Logical IDs and key spans of further task-definition resources, which are not checked.
    pub others: Vec<(String, Span)>,
    /// The logical ID of the resource checked, for a whole template.
    pub logical_id: Option<String>,
}

/// What a CloudFormation document holds, if it is one.
pub enum Shape<'a> {
    /// A template, a resource or bare properties holding a task definition.
    TaskDefinition(Found<'a>),
    /// A template without any task-definition resource.
    TemplateWithout,
    NotCloudFormation,
}

/// Recognises a whole template, a single resource, or bare properties.
pub fn find(root: &Node) -> Shape<'_> {
    if let Some(resources) = root.get("Resources").filter(|r| r.is_object()) {
        let mut matching = resources
            .members()
            .iter()
            .filter(|m| m.value.get("Type").and_then(Node::as_str) == Some(RESOURCE_TYPE));
        let Some(first) = matching.next() else {
            return Shape::TemplateWithout;
        };
        let path = JsonPath::root().key("Resources").key(&first.key);
        let properties = first.value.member("Properties");
        return Shape::TaskDefinition(Found {
            properties: properties.map(|p| &p.value),
            path: path.key("Properties"),
            key_span: Some(properties.map_or(first.key_span, |p| p.key_span)),
            others: matching.map(|m| (m.key.clone(), m.key_span)).collect(),
            logical_id: Some(first.key.clone()),
        });
    }
    if root.get("Type").and_then(Node::as_str) == Some(RESOURCE_TYPE) {
        let properties = root.member("Properties");
        return Shape::TaskDefinition(Found {
            properties: properties.map(|p| &p.value),
            path: JsonPath::root().key("Properties"),
            key_span: properties.map(|p| p.key_span),
            others: Vec::new(),
            logical_id: None,
        });
    }
    if root.get("AWSTemplateFormatVersion").is_some() {
        return Shape::TemplateWithout;
    }
    // Bare properties: CloudFormation names only. A camelCase member means
    // register input with a mis-cased key, which the shape check reports.
    let pascal_properties = ["ContainerDefinitions", "Family", "RequiresCompatibilities"];
    let api_style = root
        .members()
        .iter()
        .any(|m| m.key.starts_with(|c: char| c.is_ascii_lowercase()));
    if !api_style && pascal_properties.iter().any(|k| root.member(k).is_some()) {
        return Shape::TaskDefinition(Found {
            properties: Some(root),
            path: JsonPath::root(),
            key_span: None,
            others: Vec::new(),
            logical_id: None,
        });
    }
    Shape::NotCloudFormation
}

/// An intrinsic function the playground cannot evaluate.
#[derive(Debug, Clone)]
pub struct Intrinsic {
    pub function: String,
    pub span: Span,
    /// The path in the user's document.
    pub path: JsonPath,
}

/// CloudFormation properties translated to the API form, spans kept. Members
/// keep their order and count, so the user's key for a translated member is
/// the key at the same index in the original object.
#[derive(Debug, Clone)]
pub struct Converted {
    pub node: Node,
    pub intrinsics: Vec<Intrinsic>,
}

/// `{"Ref": ...}` or `{"Fn::...": ...}`: one member naming a function.
pub fn intrinsic_name(node: &Node) -> Option<&str> {
    match node.members() {
        [only] if only.key == "Ref" || only.key.starts_with("Fn::") => Some(&only.key),
        _ => None,
    }
}

/// Translates properties to the API form. `path` is their path in the document.
pub fn to_api(properties: &Node, path: &JsonPath) -> Converted {
    let mut converted = Converted {
        node: Node {
            span: properties.span,
            kind: NodeKind::Null,
        },
        intrinsics: Vec::new(),
    };
    let mut path = path.clone();
    converted.node = translate(properties, "", 0, &mut path, &mut converted);
    converted
}

fn translate(
    node: &Node,
    parent_api: &str,
    depth: usize,
    path: &mut JsonPath,
    out: &mut Converted,
) -> Node {
    if let Some(function) = intrinsic_name(node) {
        out.intrinsics.push(Intrinsic {
            function: function.to_string(),
            span: node.span,
            path: path.clone(),
        });
        return node.clone();
    }
    if depth > MAX_DEPTH {
        return node.clone();
    }
    let kind = match &node.kind {
        NodeKind::Object(members) if FREE_FORM.contains(&parent_api) => NodeKind::Object(
            members
                .iter()
                .map(|m| {
                    path.0.push(Segment::Key(m.key.clone()));
                    let value = translate(&m.value, "", depth + 1, path, out);
                    path.0.pop();
                    Member {
                        key: m.key.clone(),
                        key_span: m.key_span,
                        value,
                    }
                })
                .collect(),
        ),
        NodeKind::Object(members) => NodeKind::Object(
            members
                .iter()
                .map(|m| {
                    let key = api_name(&m.key, parent_api);
                    path.0.push(Segment::Key(m.key.clone()));
                    let value = translate(&m.value, &key, depth + 1, path, out);
                    path.0.pop();
                    Member {
                        value: coerce(value, &key, depth == 0),
                        key,
                        key_span: m.key_span,
                    }
                })
                .collect(),
        ),
        NodeKind::Array(items) => NodeKind::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    path.0.push(Segment::Index(i));
                    let value = translate(item, parent_api, depth + 1, path, out);
                    path.0.pop();
                    // Items of integer lists (ignoredExitCodes) coerce like members.
                    coerce(value, parent_api, false)
                })
                .collect(),
        ),
        other => other.clone(),
    };
    Node {
        span: node.span,
        kind,
    }
}

/// CloudFormation converts between strings and numbers or booleans; do the same.
fn coerce(node: Node, api_key: &str, task_level: bool) -> Node {
    let kind = match &node.kind {
        NodeKind::Number(raw) if task_level && TASK_STRING_MEMBERS.contains(&api_key) => {
            NodeKind::String(raw.clone())
        }
        NodeKind::String(s)
            if !task_level
                && (INTEGER_MEMBERS.contains(&api_key) || api_key == "ignoredExitCodes")
                && !s.is_empty()
                && s.trim_start_matches('-')
                    .bytes()
                    .all(|b| b.is_ascii_digit())
                && s.parse::<i64>().is_ok() =>
        {
            NodeKind::Number(s.clone())
        }
        NodeKind::String(s) if BOOLEAN_MEMBERS.contains(&api_key) => match s.as_str() {
            "true" => NodeKind::Bool(true),
            "false" => NodeKind::Bool(false),
            _ => return node,
        },
        _ => return node,
    };
    Node {
        span: node.span,
        kind,
    }
}

/// Translates a task definition in API form to CloudFormation properties.
/// Intrinsic functions and free-form maps are kept verbatim.
pub fn to_cloudformation(api: &Node) -> serde_json::Value {
    from_api(api, "", 0)
}

/// Like [`to_cloudformation`], for the value of the API member `parent_api`.
pub fn to_cloudformation_list(node: &Node, parent_api: &str) -> serde_json::Value {
    from_api(node, parent_api, 0)
}

fn from_api(node: &Node, parent_api: &str, depth: usize) -> serde_json::Value {
    use serde_json::Value;
    if intrinsic_name(node).is_some() || depth > MAX_DEPTH {
        return node.to_value();
    }
    match &node.kind {
        NodeKind::Object(members) => {
            let mut map = serde_json::Map::with_capacity(members.len());
            for m in members {
                let key = if FREE_FORM.contains(&parent_api) {
                    m.key.clone()
                } else {
                    cloudformation_name(&m.key, parent_api)
                };
                let child_parent = if FREE_FORM.contains(&parent_api) {
                    ""
                } else {
                    &m.key
                };
                map.insert(key, from_api(&m.value, child_parent, depth + 1));
            }
            Value::Object(map)
        }
        NodeKind::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| from_api(item, parent_api, depth + 1))
                .collect(),
        ),
        _ => node.to_value(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    #[test]
    fn names_translate_both_ways() {
        let cases = [
            ("containerDefinitions", "ContainerDefinitions", ""),
            ("taskRoleArn", "TaskRoleArn", ""),
            ("sizeInGiB", "SizeInGiB", "ephemeralStorage"),
            (
                "efsVolumeConfiguration",
                "EFSVolumeConfiguration",
                "volumes",
            ),
            ("fileSystemId", "FilesystemId", "efsVolumeConfiguration"),
            (
                "fileSystemId",
                "FileSystemId",
                "fsxWindowsFileServerVolumeConfiguration",
            ),
            ("iam", "IAM", "authorizationConfig"),
            (
                "properties",
                "ProxyConfigurationProperties",
                "proxyConfiguration",
            ),
        ];
        for (api, cfn, parent) in cases {
            assert_eq!(cloudformation_name(api, parent), cfn);
            assert_eq!(api_name(cfn, parent), api);
        }
    }

    #[test]
    fn properties_translate_with_spans_kept_and_values_coerced() {
        let text = r#"{"Cpu": 256, "ContainerDefinitions": [{"Name": "a", "Memory": "512", "Essential": "true",
            "DockerLabels": {"Com.Example": "x"}, "Image": {"Fn::Sub": "${R}:1"}}]}"#;
        let root = parse(text).unwrap();
        let converted = to_api(&root, &JsonPath::root());
        let api = &converted.node;
        assert_eq!(api.get("cpu").and_then(Node::as_str), Some("256"));
        let container = &api.get("containerDefinitions").unwrap().items()[0];
        assert_eq!(container.get("memory").and_then(Node::as_i64), Some(512));
        assert_eq!(
            container.get("essential").and_then(Node::as_bool),
            Some(true)
        );
        assert!(container
            .get("dockerLabels")
            .unwrap()
            .get("Com.Example")
            .is_some());
        let memory = container.get("memory").unwrap();
        assert_eq!(
            &text[memory.span.start as usize..memory.span.end as usize],
            "\"512\""
        );
        assert_eq!(converted.intrinsics.len(), 1);
        assert_eq!(converted.intrinsics[0].function, "Fn::Sub");
        assert_eq!(
            converted.intrinsics[0].path.to_string(),
            "ContainerDefinitions[0].Image"
        );
    }

    #[test]
    fn templates_resources_and_properties_are_found() {
        let template = parse(
            r#"{"Resources": {"Log": {"Type": "AWS::Logs::LogGroup"},
            "A": {"Type": "AWS::ECS::TaskDefinition", "Properties": {}},
            "B": {"Type": "AWS::ECS::TaskDefinition", "Properties": {}}}}"#,
        )
        .unwrap();
        let Shape::TaskDefinition(found) = find(&template) else {
            panic!("template not recognised")
        };
        assert_eq!(found.path.to_string(), "Resources.A.Properties");
        assert_eq!(found.others.len(), 1);

        let resource =
            parse(r#"{"Type": "AWS::ECS::TaskDefinition", "Properties": {"Family": "x"}}"#)
                .unwrap();
        assert!(
            matches!(find(&resource), Shape::TaskDefinition(f) if f.path.to_string() == "Properties")
        );
        let bare = parse(r#"{"Family": "x", "ContainerDefinitions": []}"#).unwrap();
        assert!(matches!(find(&bare), Shape::TaskDefinition(f) if f.path.is_root()));
        let other = parse(r#"{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}"#).unwrap();
        assert!(matches!(find(&other), Shape::TemplateWithout));
        let api = parse(r#"{"family": "x"}"#).unwrap();
        assert!(matches!(find(&api), Shape::NotCloudFormation));
        let miscased = parse(r#"{"Family": "x", "containerDefinitions": []}"#).unwrap();
        assert!(matches!(find(&miscased), Shape::NotCloudFormation));
    }
}
