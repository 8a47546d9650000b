//! The generic shape check: a located document against AWS's model.
//!
//! Walks a [`Located`] node against a shape of the compact table in
//! [`super::schema`] (generated from service-2.json) and reports wrong JSON
//! types, quoted numbers, nulls, unknown and missing members, enum values and
//! length or range bounds, each at the exact offending text.

use super::schema::{Kind, MemberDef, ShapeDef, SHAPES};
use super::{Located, Rule, Sink};
use crate::diagnostic::Severity;
use crate::import::InputForm;
use crate::json::{JsonPath, Node, NodeKind, Segment};
use crate::text::Span;

// The AWS CLI and SDKs check types, unknown and required members on the
// client before sending; the user sees botocore's ParamValidationError.
const CLIENT_VALIDATION: Option<&str> = Some("ParamValidationError");

pub const TYPE_MISMATCH: Rule = Rule {
    code: "type-mismatch",
    severity: Severity::Error,
    summary: "A value has the wrong JSON type for its member in AWS's model.",
    covers: &[],
    exception: CLIENT_VALIDATION,
};

pub const NUMBER_AS_STRING: Rule = Rule {
    code: "number-as-string",
    severity: Severity::Warning,
    summary: "A number is written as a string where AWS's model expects a number.",
    covers: &[],
    exception: None,
};

pub const NULL_VALUE: Rule = Rule {
    code: "null-value",
    severity: Severity::Info,
    summary: "A member is null; it is treated as absent.",
    covers: &[],
    exception: None,
};

pub const UNKNOWN_FIELD: Rule = Rule {
    code: "unknown-field",
    severity: Severity::Error,
    summary: "A member that AWS's model does not define for this object.",
    covers: &[],
    exception: CLIENT_VALIDATION,
};

pub const REQUIRED_FIELD: Rule = Rule {
    code: "required-field",
    severity: Severity::Error,
    summary: "A member that AWS's model requires is missing.",
    covers: &["V-CD-045"],
    exception: CLIENT_VALIDATION,
};

pub const ENUM_VALUE: Rule = Rule {
    code: "enum-value",
    severity: Severity::Error,
    summary: "A value that is not one of the values AWS's model allows.",
    covers: &["V-TD-031", "V-CL-002", "V-ATTR-003"],
    exception: Some("InvalidParameterException"),
};

pub const LENGTH_OUT_OF_RANGE: Rule = Rule {
    code: "length-out-of-range",
    severity: Severity::Error,
    summary: "A string or list is shorter or longer than AWS's model allows.",
    covers: &[],
    exception: Some("InvalidParameterException"),
};

pub const VALUE_OUT_OF_RANGE: Rule = Rule {
    code: "value-out-of-range",
    severity: Severity::Error,
    summary: "A number is outside the range AWS's model allows.",
    covers: &[],
    exception: Some("InvalidParameterException"),
};

pub const RULES: &[&Rule] = &[
    &TYPE_MISMATCH,
    &NUMBER_AS_STRING,
    &NULL_VALUE,
    &UNKNOWN_FIELD,
    &REQUIRED_FIELD,
    &ENUM_VALUE,
    &LENGTH_OUT_OF_RANGE,
    &VALUE_OUT_OF_RANGE,
];

/// Required members that a hand-written rule reports with a better message;
/// the shape check leaves them to it so that each problem is reported once.
const REQUIRED_REPORTED_ELSEWHERE: &[(&str, &str)] = &[
    ("RegisterTaskDefinitionRequest", "family"),
    ("RegisterTaskDefinitionRequest", "containerDefinitions"),
];

/// Values that AWS documents and accepts although the model's enum omits
/// them, as (structure, member, value). The log driver `logentries` is listed
/// for EC2 in the ContainerDefinition documentation (seed-checklist V-CD-048).
const ACCEPTED_BEYOND_THE_MODEL: &[(&str, &str, &str)] =
    &[("LogConfiguration", "logDriver", "logentries")];

/// Deeper than any AWS shape; bounds the walk on hostile input.
const MAX_DEPTH: usize = 64;

/// The structure shape named `name` in the compact table.
pub fn find_shape(name: &str) -> Option<&'static ShapeDef> {
    SHAPES
        .iter()
        .find(|s| s.kind == Kind::Structure && s.name == name)
}

/// Checks `located` against the shape named `shape`. An unknown shape name
/// checks nothing.
pub fn check_shape(located: &Located<'_>, shape: &str, sink: &mut Sink) {
    if let Some(shape) = find_shape(shape) {
        Walker::new(sink, &[], located.path.clone()).walk(located, shape, 0);
    }
}

/// Checks a task definition in the form it was recognised in.
///
/// A register input may be a describe output's inner object: its read-only
/// members (taskDefinitionArn, revision, status, …) are members of the
/// TaskDefinition shape but not of the request. They are not reported here;
/// another rule explains them.
pub fn check_task_definition_shape(
    root: &Located<'_>,
    form: InputForm,
    task_def: &Located<'_>,
    sink: &mut Sink,
) {
    // Forms other than these (added by later importers) are not checked here.
    if form == InputForm::DescribeOutput {
        check_shape(root, "DescribeTaskDefinitionResponse", sink);
    } else if form == InputForm::RegisterInput {
        let Some(request) = find_shape("RegisterTaskDefinitionRequest") else {
            return;
        };
        let read_only = read_only_task_definition_members();
        Walker::new(sink, &read_only, task_def.path.clone()).walk(task_def, request, 0);
    } else if form == InputForm::ContainerDefinitions {
        let Some(container) = find_shape("ContainerDefinition") else {
            return;
        };
        let mut walker = Walker::new(sink, &[], task_def.path.clone());
        for (i, item) in task_def.node.items().iter().enumerate() {
            walker.steps.push(Step::Index(i));
            walker.walk_value(item, None, container, 1, false);
            walker.steps.pop();
        }
    }
}

/// Members that describe-task-definition returns but register does not take:
/// those of TaskDefinition that RegisterTaskDefinitionRequest lacks.
pub fn read_only_task_definition_members() -> Vec<&'static str> {
    let (Some(request), Some(output)) = (
        find_shape("RegisterTaskDefinitionRequest"),
        find_shape("TaskDefinition"),
    ) else {
        return Vec::new();
    };
    output
        .members
        .iter()
        .map(|m| m.0)
        .filter(|name| !request.members.iter().any(|m| m.0 == *name))
        .collect()
}

/// One step from the walk's starting point, borrowed from the document:
/// paths are built only for the values a finding is reported on.
#[derive(Clone, Copy)]
enum Step<'n> {
    Key(&'n str),
    Index(usize),
}

struct Walker<'s, 't, 'n> {
    sink: &'s mut Sink,
    /// Members accepted at the top level besides the shape's own.
    tolerated: &'t [&'t str],
    /// The path of the value the walk started at.
    base: JsonPath,
    /// The steps from `base` to the value being checked.
    steps: Vec<Step<'n>>,
}

impl<'s, 't, 'n> Walker<'s, 't, 'n> {
    fn new(sink: &'s mut Sink, tolerated: &'t [&'t str], base: JsonPath) -> Self {
        Walker {
            sink,
            tolerated,
            base,
            steps: Vec::new(),
        }
    }

    /// Checks the value `located` against `shape` (at depth 0 or `depth`).
    fn walk(&mut self, located: &Located<'n>, shape: &ShapeDef, depth: usize) {
        self.walk_value(located.node, located.key_span, shape, depth, false);
    }

    /// The path of the value being checked.
    fn path(&self) -> JsonPath {
        let mut path = JsonPath(Vec::with_capacity(self.base.0.len() + self.steps.len()));
        path.0.extend_from_slice(&self.base.0);
        path.0.extend(self.steps.iter().map(|step| match step {
            Step::Key(key) => Segment::Key((*key).to_string()),
            Step::Index(i) => Segment::Index(*i),
        }));
        path
    }

    fn last_key(&self) -> Option<&str> {
        match self.steps.last() {
            Some(Step::Key(key)) => Some(key),
            Some(Step::Index(_)) => None,
            None => self.base.last_key(),
        }
    }

    /// Checks one value. `is_member` says whether it is an object member
    /// (where null means absent) rather than a list item or map value;
    /// `key_span` is its key's span when it is a member.
    fn walk_value(
        &mut self,
        node: &'n Node,
        key_span: Option<Span>,
        shape: &ShapeDef,
        depth: usize,
        is_member: bool,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        if node.is_null() {
            if is_member {
                let name = self.last_key().unwrap_or("this member");
                let message = format!("{name} is null: console exports write null for absent fields; it is treated as absent");
                let path = self.path();
                self.sink.report(&NULL_VALUE, path, node.span, message);
            } else {
                self.type_mismatch(node, shape);
            }
            return;
        }
        match shape.kind {
            Kind::Document => {}
            Kind::Structure => self.walk_structure(node, key_span, shape, depth),
            Kind::List => self.walk_list(node, shape, depth),
            Kind::Map => self.walk_map(node, shape, depth),
            Kind::String => self.check_string(node, shape),
            Kind::Integer | Kind::Double => self.check_number(node, shape),
            Kind::Boolean => {
                if node.as_bool().is_none() {
                    self.type_mismatch(node, shape);
                }
            }
            Kind::Timestamp => {
                if !matches!(node.kind, NodeKind::Number(_) | NodeKind::String(_)) {
                    self.type_mismatch(node, shape);
                }
            }
        }
    }

    fn walk_structure(
        &mut self,
        node: &'n Node,
        key_span: Option<Span>,
        shape: &ShapeDef,
        depth: usize,
    ) {
        if !node.is_object() {
            self.type_mismatch(node, shape);
            return;
        }
        let tolerated = if depth == 0 { self.tolerated } else { &[] };
        for member in node.members() {
            match shape.members.iter().find(|m| m.0 == member.key) {
                Some(MemberDef(_, target, _)) => {
                    let Some(target) = SHAPES.get(usize::from(*target)) else {
                        continue;
                    };
                    let accepted = member.value.as_str().is_some_and(|value| {
                        ACCEPTED_BEYOND_THE_MODEL.contains(&(
                            shape.name,
                            member.key.as_str(),
                            value,
                        ))
                    });
                    if accepted {
                        continue;
                    }
                    self.steps.push(Step::Key(&member.key));
                    self.walk_value(
                        &member.value,
                        Some(member.key_span),
                        target,
                        depth + 1,
                        true,
                    );
                    self.steps.pop();
                }
                None if tolerated.contains(&member.key.as_str()) => {}
                None => self.unknown_member(node, shape, &member.key, member.key_span),
            }
        }
        for MemberDef(name, _, required) in shape.members {
            let present = node.member(name).is_some_and(|m| !m.value.is_null());
            if !required || present || REQUIRED_REPORTED_ELSEWHERE.contains(&(shape.name, name)) {
                continue;
            }
            let parent = Located {
                node,
                path: self.path(),
                key_span,
            };
            let message = format!(
                "Missing required parameter in {}: \"{name}\"",
                describe_parent(&parent.path)
            );
            self.sink
                .report_missing(&REQUIRED_FIELD, &parent, name, message);
        }
    }

    fn unknown_member(&mut self, parent: &Node, shape: &ShapeDef, key: &str, key_span: Span) {
        if self.sink.is_full(&UNKNOWN_FIELD) {
            self.sink.skip(&UNKNOWN_FIELD);
            return;
        }
        let parent_path = self.path();
        let known: Vec<&str> = shape.members.iter().map(|m| m.0).collect();
        let suggestion = closest(key, &known);
        let mut message = format!(
            "Unknown parameter in {}: \"{key}\", must be one of: {}",
            describe_parent(&parent_path),
            known.join(", ")
        );
        if let Some(name) = suggestion {
            message = format!("{message} (did you mean \"{name}\"?)");
        }
        let finding = self
            .sink
            .report(&UNKNOWN_FIELD, parent_path.key(key), key_span, message);
        // Renaming onto a member that is already there would hide one of them.
        if let Some(name) = suggestion.filter(|name| parent.member(name).is_none()) {
            finding.with_fix(
                format!("Rename to \"{name}\""),
                vec![(key_span, json_string(name))],
            );
        }
    }

    fn walk_list(&mut self, node: &'n Node, shape: &ShapeDef, depth: usize) {
        let Some(item_shape) = SHAPES.get(usize::from(shape.target)) else {
            return;
        };
        let NodeKind::Array(items) = &node.kind else {
            self.type_mismatch(node, shape);
            return;
        };
        self.check_length(node, shape, items.len(), "items");
        for (i, item) in items.iter().enumerate() {
            self.steps.push(Step::Index(i));
            self.walk_value(item, None, item_shape, depth + 1, false);
            self.steps.pop();
        }
    }

    fn walk_map(&mut self, node: &'n Node, shape: &ShapeDef, depth: usize) {
        let Some(value_shape) = SHAPES.get(usize::from(shape.target)) else {
            return;
        };
        if !node.is_object() {
            self.type_mismatch(node, shape);
            return;
        }
        for member in node.members() {
            self.steps.push(Step::Key(&member.key));
            self.walk_value(
                &member.value,
                Some(member.key_span),
                value_shape,
                depth + 1,
                false,
            );
            self.steps.pop();
        }
    }

    fn check_string(&mut self, node: &Node, shape: &ShapeDef) {
        let Some(value) = node.as_str() else {
            self.type_mismatch(node, shape);
            return;
        };
        if !shape.enum_values.is_empty() && !shape.enum_values.contains(&value) {
            let path = self.path();
            let message = format!(
                "Invalid value \"{value}\" for {}: must be one of: {}",
                describe_parent(&path),
                shape.enum_values.join(", ")
            );
            let same_but_case = shape
                .enum_values
                .iter()
                .find(|allowed| allowed.eq_ignore_ascii_case(value));
            let finding = self.sink.report(&ENUM_VALUE, path, node.span, message);
            if let Some(allowed) = same_but_case {
                finding.with_fix(
                    format!("Use \"{allowed}\""),
                    vec![(node.span, json_string(allowed))],
                );
            }
            return;
        }
        self.check_length(node, shape, value.chars().count(), "characters");
    }

    fn check_number(&mut self, node: &Node, shape: &ShapeDef) {
        let wants_integer = shape.kind == Kind::Integer;
        match &node.kind {
            NodeKind::Number(raw) => {
                if wants_integer && node.as_i64().is_none() {
                    let path = self.path();
                    let message = format!(
                        "Invalid type for parameter {path}: expected an integer, found the number {raw}"
                    );
                    self.sink.report(&TYPE_MISMATCH, path, node.span, message);
                    return;
                }
                self.check_range(node, shape);
            }
            NodeKind::String(text) if is_number_text(text.trim(), wants_integer) => {
                let expected = if wants_integer {
                    "an integer"
                } else {
                    "a number"
                };
                let number = text.trim();
                let path = self.path();
                let message = format!("{path} expects {expected}, found the string \"{text}\": the AWS CLI and SDKs reject a quoted number, though CloudFormation converts it");
                self.sink
                    .report(&NUMBER_AS_STRING, path, node.span, message)
                    .with_fix("Remove the quotes", vec![(node.span, number.to_string())]);
            }
            _ => self.type_mismatch(node, shape),
        }
    }

    fn check_range(&mut self, node: &Node, shape: &ShapeDef) {
        let Some(value) = node.as_f64() else {
            return;
        };
        let below = shape.min.is_some_and(|min| value < f64::from(min));
        let above = shape.max.is_some_and(|max| value > f64::from(max));
        if below || above {
            let path = self.path();
            let message = format!(
                "{path} is {}, outside the allowed range {}",
                raw_number(node),
                describe_bounds(shape)
            );
            self.sink
                .report(&VALUE_OUT_OF_RANGE, path, node.span, message);
        }
    }

    fn check_length(&mut self, node: &Node, shape: &ShapeDef, len: usize, unit: &str) {
        let len_i64 = i64::try_from(len).unwrap_or(i64::MAX);
        let below = shape.min.is_some_and(|min| len_i64 < i64::from(min));
        let above = shape.max.is_some_and(|max| len_i64 > i64::from(max));
        if below || above {
            let path = self.path();
            let message = format!(
                "{path} has {len} {unit}; the allowed length is {}",
                describe_bounds(shape)
            );
            self.sink
                .report(&LENGTH_OUT_OF_RANGE, path, node.span, message);
        }
    }

    fn type_mismatch(&mut self, node: &Node, shape: &ShapeDef) {
        let expected = expected_name(shape.kind);
        let found = found_name(node);
        let path = self.path();
        let message =
            format!("Invalid type for parameter {path}: expected {expected}, found {found}");
        let fix = type_fix(node, shape);
        let finding = self.sink.report(&TYPE_MISMATCH, path, node.span, message);
        if let Some((title, edits)) = fix {
            finding.with_fix(title, edits);
        }
    }
}

/// A machine fix for common type slips: a bare number or boolean where a
/// string is expected, a quoted boolean, a single item where a list is expected.
fn type_fix(node: &Node, shape: &ShapeDef) -> Option<(String, Vec<(Span, String)>)> {
    match (&node.kind, shape.kind) {
        (NodeKind::Number(raw), Kind::String) if shape.enum_values.is_empty() => Some((
            "Write it as a string".to_string(),
            vec![(node.span, json_string(raw))],
        )),
        (NodeKind::String(text), Kind::Boolean) if text == "true" || text == "false" => Some((
            "Remove the quotes".to_string(),
            vec![(node.span, text.clone())],
        )),
        (_, Kind::List) => {
            let item_shape = SHAPES.get(usize::from(shape.target))?;
            let fits = matches!(
                (&node.kind, item_shape.kind),
                (NodeKind::Object(_), Kind::Structure | Kind::Map)
                    | (NodeKind::String(_), Kind::String)
                    | (NodeKind::Number(_), Kind::Integer | Kind::Double)
            );
            let start = node.span.start as usize;
            let end = node.span.end as usize;
            fits.then(|| {
                (
                    "Wrap it in a list".to_string(),
                    vec![
                        (Span::new(start, start), "[".to_string()),
                        (Span::new(end, end), "]".to_string()),
                    ],
                )
            })
        }
        _ => None,
    }
}

fn expected_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Structure | Kind::Map => "an object",
        Kind::Document => "a JSON value",
        Kind::List => "an array",
        Kind::String => "a string",
        Kind::Integer => "an integer",
        Kind::Double => "a number",
        Kind::Boolean => "a boolean",
        Kind::Timestamp => "a timestamp (a number or a string)",
    }
}

fn found_name(node: &Node) -> String {
    match &node.kind {
        NodeKind::Null => "null".to_string(),
        NodeKind::Bool(b) => format!("the boolean {b}"),
        NodeKind::Number(raw) => format!("the number {raw}"),
        NodeKind::String(_) => "a string".to_string(),
        NodeKind::Array(_) => "an array".to_string(),
        NodeKind::Object(_) => "an object".to_string(),
    }
}

fn raw_number(node: &Node) -> &str {
    match &node.kind {
        NodeKind::Number(raw) => raw,
        _ => "",
    }
}

fn describe_bounds(shape: &ShapeDef) -> String {
    match (shape.min, shape.max) {
        (Some(min), Some(max)) => format!("{min} to {max}"),
        (Some(min), None) => format!("at least {min}"),
        (None, Some(max)) => format!("at most {max}"),
        (None, None) => "unbounded".to_string(),
    }
}

/// How AWS's CLI names the object a member belongs to.
fn describe_parent(path: &JsonPath) -> String {
    if path.is_root() {
        "input".to_string()
    } else {
        path.to_string()
    }
}

fn is_number_text(text: &str, integer: bool) -> bool {
    if text.is_empty() {
        return false;
    }
    if integer {
        text.parse::<i64>().is_ok()
    } else {
        crate::json::number::parse_f64(text).is_some()
    }
}

fn json_string(s: &str) -> String {
    crate::json::write::quoted(s)
}

/// The known name closest to `key`: one that differs only in case, or else
/// within a small edit distance. Ties go to the model's order.
fn closest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    if let Some(same) = known.iter().find(|k| k.eq_ignore_ascii_case(key)) {
        return Some(same);
    }
    // Member names are short; a long key is no typo of one.
    if key.len() > 64 {
        return None;
    }
    let key_lower = key.to_ascii_lowercase();
    let allowed = if key.chars().count() >= 5 { 2 } else { 1 };
    known
        .iter()
        .map(|k| (edit_distance(&key_lower, &k.to_ascii_lowercase()), *k))
        .filter(|(d, _)| *d <= allowed)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod service_model;
#[cfg(test)]
mod tests;
