//! Terraform: `aws_ecs_task_definition`, `aws_ecs_service` and
//! `aws_ecs_cluster` resources read from `.tf` text into the API's shape,
//! every value keeping its place in the `.tf` text so that diagnostics land
//! there.
//!
//! Parsed by hcl-edit (through hcl-rs), which keeps byte spans. `container_definitions` is
//! read from `jsonencode([...])`, a heredoc of JSON, or `file("x.json")`,
//! whose text the caller supplies (the engine reads no files): values from
//! such a file are located at the `file(...)` call. Anything Terraform
//! evaluates at plan time (variables, locals, module outputs, data sources,
//! other resources' attributes, most functions) becomes a placeholder string
//! `${...}` holding the expression as written, and no rule reports on a
//! value it cannot know.

use hcl::edit::expr::{Expression, ObjectKey};
use hcl::edit::structure::{Block, Body, Structure};
use hcl::edit::Span as _;

use crate::json::{self, Member, Node, NodeKind};
use crate::text::Span;

/// The ECS resource types read from Terraform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceKind {
    TaskDefinition,
    Service,
    Cluster,
}

impl ResourceKind {
    fn of(resource_type: &str) -> Option<ResourceKind> {
        match resource_type {
            "aws_ecs_task_definition" => Some(ResourceKind::TaskDefinition),
            "aws_ecs_service" => Some(ResourceKind::Service),
            "aws_ecs_cluster" => Some(ResourceKind::Cluster),
            _ => None,
        }
    }

    pub fn resource_type(self) -> &'static str {
        match self {
            ResourceKind::TaskDefinition => "aws_ecs_task_definition",
            ResourceKind::Service => "aws_ecs_service",
            ResourceKind::Cluster => "aws_ecs_cluster",
        }
    }
}

/// One resource, in the API's shape (RegisterTaskDefinition, CreateService
/// or CreateCluster input), spans pointing into the `.tf` text.
#[derive(Debug, Clone)]
pub struct Resource {
    pub kind: ResourceKind,
    /// The resource's name: `web` in `resource "aws_ecs_service" "web"`.
    pub name: String,
    /// The `resource` block's labels, for findings about the whole resource.
    pub header_span: Span,
    pub node: Node,
    /// Spans of values Terraform computes: no rule reports inside them.
    pub placeholders: Vec<Span>,
}

/// Reads every ECS resource of a `.tf` text. `file_text` returns the text
/// of a file that `file("...")` names (relative to the `.tf` file), if the
/// caller has it.
pub fn read(
    text: &str,
    file_text: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<Resource>, json::SyntaxError> {
    let body = hcl::edit::parser::parse_body(text).map_err(|e| {
        let offset = line_column_offset(text, e.location().line(), e.location().column());
        json::SyntaxError {
            message: format!("Terraform syntax: {}", e.message()),
            span: Span::new(offset, offset),
        }
    })?;
    let mut resources = Vec::new();
    for block in body.blocks() {
        if block.ident.as_str() != "resource" {
            continue;
        }
        let (Some(kind), Some(name)) = (
            block
                .labels
                .first()
                .and_then(|l| ResourceKind::of(l.as_str())),
            block.labels.get(1),
        ) else {
            continue;
        };
        let header_span = match (block.labels.first().and_then(|l| l.span()), name.span()) {
            (Some(first), Some(last)) => Span::new(first.start, last.end),
            _ => span_of(block),
        };
        let mut reader = Reader {
            text,
            file_text,
            placeholders: Vec::new(),
        };
        let node = reader.resource(kind, block);
        // Strings with interpolations (`"${var.env}-web"`, in HCL or in JSON) are templates too.
        collect_templates(&node, &mut reader.placeholders);
        resources.push(Resource {
            kind,
            name: name.as_str().to_string(),
            header_span,
            node,
            placeholders: reader.placeholders,
        });
    }
    Ok(resources)
}

fn line_column_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = text.get(line_start..).unwrap_or("");
    line_start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}

fn span_of(item: &impl hcl::edit::Span) -> Span {
    item.span()
        .map_or(Span::new(0, 0), |r| Span::new(r.start, r.end))
}

/// How a block or attribute of a resource maps to the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mapping {
    /// A member of this name.
    Named(&'static str),
    /// Repeated blocks: an array member of this name.
    List(&'static str),
    /// A member nested under another object: `deploymentConfiguration.maximumPercent`.
    Nested(&'static str, &'static str),
    /// A map of strings written as the API's `[{key, value}]` tags.
    Tags,
    /// Terraform's own setting, with no API counterpart.
    TerraformOnly,
}

/// Terraform names that are not the API's name in snake case: (resource,
/// the enclosing block's Terraform name or "" at the top, Terraform name,
/// mapping). Reading and writing Terraform both use this one table; a
/// resource of `None` is any of them.
pub const NAMES: &[(Option<ResourceKind>, &str, &str, Mapping)] = {
    use Mapping::*;
    use ResourceKind::*;
    &[
        (None, "", "tags", Tags),
        (None, "", "tags_all", TerraformOnly),
        (None, "", "region", TerraformOnly),
        (Some(TaskDefinition), "", "skip_destroy", TerraformOnly),
        (Some(TaskDefinition), "", "track_latest", TerraformOnly),
        (Some(TaskDefinition), "", "volume", List("volumes")),
        (
            Some(TaskDefinition),
            "",
            "placement_constraints",
            List("placementConstraints"),
        ),
        (
            Some(TaskDefinition),
            "",
            "inference_accelerator",
            List("inferenceAccelerators"),
        ),
        (
            Some(TaskDefinition),
            "volume",
            "host_path",
            Nested("host", "sourcePath"),
        ),
        (Some(Service), "", "name", Named("serviceName")),
        (Some(Service), "", "iam_role", Named("role")),
        (
            Some(Service),
            "",
            "deployment_minimum_healthy_percent",
            Nested("deploymentConfiguration", "minimumHealthyPercent"),
        ),
        (
            Some(Service),
            "",
            "deployment_maximum_percent",
            Nested("deploymentConfiguration", "maximumPercent"),
        ),
        (
            Some(Service),
            "",
            "deployment_circuit_breaker",
            Nested("deploymentConfiguration", "deploymentCircuitBreaker"),
        ),
        (Some(Service), "", "load_balancer", List("loadBalancers")),
        (
            Some(Service),
            "",
            "ordered_placement_strategy",
            List("placementStrategy"),
        ),
        (
            Some(Service),
            "",
            "placement_constraints",
            List("placementConstraints"),
        ),
        (
            Some(Service),
            "",
            "capacity_provider_strategy",
            List("capacityProviderStrategy"),
        ),
        (
            Some(Service),
            "",
            "service_registries",
            List("serviceRegistries"),
        ),
        (Some(Service), "", "force_new_deployment", TerraformOnly),
        (Some(Service), "", "wait_for_steady_state", TerraformOnly),
        (Some(Service), "", "triggers", TerraformOnly),
        (Some(Service), "", "force_delete", TerraformOnly),
        (Some(Cluster), "", "name", Named("clusterName")),
        (Some(Cluster), "", "setting", List("settings")),
    ]
};

fn mapping(kind: ResourceKind, parent: &str, name: &str) -> Option<Mapping> {
    NAMES
        .iter()
        .find(|(k, p, n, _)| k.is_none_or(|k| k == kind) && *p == parent && *n == name)
        .map(|(_, _, _, mapping)| *mapping)
}

/// `desired_count` → `desiredCount`.
pub fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

struct Reader<'a> {
    text: &'a str,
    file_text: &'a dyn Fn(&str) -> Option<String>,
    placeholders: Vec<Span>,
}

impl Reader<'_> {
    fn resource(&mut self, kind: ResourceKind, block: &Block) -> Node {
        let mut members = self.body(kind, "", &block.body);
        if kind == ResourceKind::Service {
            wrap_awsvpc_configuration(&mut members);
        }
        Node {
            span: span_of(block),
            kind: NodeKind::Object(members),
        }
    }

    fn body(&mut self, kind: ResourceKind, parent: &str, body: &Body) -> Vec<Member> {
        let mut members: Vec<Member> = Vec::new();
        for structure in body.iter() {
            let (name, key_span, value) = match structure {
                Structure::Attribute(attribute) => {
                    let name = attribute.key.as_str();
                    let value = if kind == ResourceKind::TaskDefinition
                        && parent.is_empty()
                        && name == "container_definitions"
                    {
                        self.container_definitions(&attribute.value)
                    } else {
                        self.expression(&attribute.value)
                    };
                    (name, span_of(&attribute.key), value)
                }
                Structure::Block(block) => {
                    let name = block.ident.as_str();
                    let inner = self.body(kind, name, &block.body);
                    let value = Node {
                        span: span_of(block),
                        kind: NodeKind::Object(inner),
                    };
                    (name, span_of(&block.ident), value)
                }
            };
            let value = api_value(kind, parent, name, value);
            match mapping(kind, parent, name) {
                Some(Mapping::TerraformOnly) => {}
                Some(Mapping::Tags) => members.push(Member {
                    key: "tags".into(),
                    key_span,
                    value: tags(value),
                }),
                Some(Mapping::List(api)) => {
                    push_to_list(&mut members, api, key_span, value);
                }
                Some(Mapping::Nested(outer, inner)) => {
                    let member = Member {
                        key: inner.into(),
                        key_span,
                        value,
                    };
                    push_nested(&mut members, outer, member);
                }
                Some(Mapping::Named(api)) => members.push(Member {
                    key: api.into(),
                    key_span,
                    value,
                }),
                None => members.push(Member {
                    key: camel_case(name),
                    key_span,
                    value,
                }),
            }
        }
        members
    }

    /// `jsonencode([...])`, a heredoc or string of JSON, or `file("x.json")`.
    fn container_definitions(&mut self, expression: &Expression) -> Node {
        let span = span_of(expression);
        match expression {
            Expression::FuncCall(call) if call.name.name.as_str() == "jsonencode" => {
                match call.args.iter().next() {
                    Some(argument) if call.args.len() == 1 => self.expression(argument),
                    _ => self.placeholder(span),
                }
            }
            Expression::FuncCall(call) if call.name.name.as_str() == "file" => {
                // `file("x.json")`, or `file("${path.module}/x.json")`: relative to the module.
                let path = call.args.iter().next().and_then(|a| match a {
                    Expression::String(s) => Some(s.value().clone()),
                    Expression::StringTemplate(_) => self
                        .source(span_of(a))
                        .trim()
                        .trim_matches('"')
                        .strip_prefix("${path.module}/")
                        .filter(|rest| !rest.contains("${"))
                        .map(str::to_string),
                    _ => None,
                });
                match path.and_then(|p| (self.file_text)(&p)) {
                    Some(file) => match json::parse(&file) {
                        Ok(mut node) => {
                            respan(&mut node, span);
                            node
                        }
                        Err(_) => self.placeholder(span),
                    },
                    None => self.placeholder(span),
                }
            }
            Expression::HeredocTemplate(_) => {
                let raw = self.heredoc_content(span);
                match raw.and_then(|(start, content)| {
                    json_with_interpolations(content).map(|node| (start, node))
                }) {
                    Some((start, mut node)) => {
                        shift(&mut node, start);
                        node
                    }
                    None => self.placeholder(span),
                }
            }
            Expression::String(s) => match json::parse(s.value()) {
                Ok(mut node) => {
                    respan(&mut node, span);
                    node
                }
                Err(_) => self.placeholder(span),
            },
            _ => self.placeholder(span),
        }
    }

    /// The text between a heredoc's opening line and its closing delimiter.
    fn heredoc_content(&self, span: Span) -> Option<(usize, &str)> {
        let whole = self.text.get(span.start as usize..span.end as usize)?;
        let body_start = whole.find('\n')? + 1;
        let body_end = whole.trim_end().rfind('\n')?;
        let content = whole.get(body_start..body_end)?;
        Some((span.start as usize + body_start, content))
    }

    fn expression(&mut self, expression: &Expression) -> Node {
        let span = span_of(expression);
        let kind = match expression {
            Expression::Null(_) => NodeKind::Null,
            Expression::Bool(b) => NodeKind::Bool(*b.value()),
            Expression::Number(_) => {
                let written = self.source(span).trim();
                NodeKind::Number(written.to_string())
            }
            Expression::String(s) => NodeKind::String(s.value().clone()),
            Expression::Array(array) => {
                NodeKind::Array(array.iter().map(|e| self.expression(e)).collect())
            }
            Expression::Object(object) => NodeKind::Object(
                object
                    .iter()
                    .map(|(key, value)| Member {
                        key: object_key(key),
                        key_span: span_of(key),
                        value: self.expression(value.expr()),
                    })
                    .collect(),
            ),
            Expression::Parenthesis(inner) => return self.expression(inner.inner()),
            Expression::StringTemplate(_) => {
                // Interpolations stay as written: `"${var.env}-web"` is the
                // placeholder form templates use.
                let written = self.source(span).trim();
                let inner = written
                    .strip_prefix('"')
                    .and_then(|w| w.strip_suffix('"'))
                    .unwrap_or(written);
                NodeKind::String(inner.to_string())
            }
            _ => return self.placeholder(span),
        };
        Node { span, kind }
    }

    /// A value Terraform computes: `${expression as written}`.
    fn placeholder(&mut self, span: Span) -> Node {
        self.placeholders.push(span);
        let written = self.source(span).trim();
        Node {
            span,
            kind: NodeKind::String(format!("${{{written}}}")),
        }
    }

    fn source(&self, span: Span) -> &str {
        self.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }
}

fn object_key(key: &ObjectKey) -> String {
    match key {
        ObjectKey::Ident(ident) => ident.as_str().to_string(),
        ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
        ObjectKey::Expression(other) => other.to_string().trim().to_string(),
    }
}

/// Values whose Terraform type differs from the API's: task-level `cpu` and
/// `memory` are strings in the API (Terraform converts numbers), and
/// `assign_public_ip` is a boolean in Terraform, `ENABLED`/`DISABLED` in the API.
fn api_value(kind: ResourceKind, parent: &str, name: &str, mut value: Node) -> Node {
    match (kind, parent, name, &value.kind) {
        (ResourceKind::TaskDefinition, "", "cpu" | "memory", NodeKind::Number(n)) => {
            value.kind = NodeKind::String(n.clone());
        }
        (ResourceKind::Service, "network_configuration", "assign_public_ip", NodeKind::Bool(b)) => {
            value.kind = NodeKind::String(if *b { "ENABLED" } else { "DISABLED" }.into());
        }
        _ => {}
    }
    value
}

/// `{Name = "web"}` → `[{"key": "Name", "value": "web"}]`, spans kept.
fn tags(map: Node) -> Node {
    let span = map.span;
    match map.kind {
        NodeKind::Object(members) => Node {
            span,
            kind: NodeKind::Array(
                members
                    .into_iter()
                    .map(|m| Node {
                        span: Span::new(m.key_span.start as usize, m.value.span.end as usize),
                        kind: NodeKind::Object(vec![
                            Member {
                                key: "key".into(),
                                key_span: m.key_span,
                                value: Node {
                                    span: m.key_span,
                                    kind: NodeKind::String(m.key),
                                },
                            },
                            Member {
                                key: "value".into(),
                                key_span: m.value.span,
                                value: m.value,
                            },
                        ]),
                    })
                    .collect(),
            ),
        },
        other => Node { span, kind: other },
    }
}

fn push_to_list(members: &mut Vec<Member>, api: &str, key_span: Span, value: Node) {
    if let Some(Member {
        value: Node {
            kind: NodeKind::Array(items),
            ..
        },
        ..
    }) = members.iter_mut().find(|m| m.key == api)
    {
        items.push(value);
        return;
    }
    members.push(Member {
        key: api.into(),
        key_span,
        value: Node {
            span: value.span,
            kind: NodeKind::Array(vec![value]),
        },
    });
}

/// Adds `member` to the object member `outer`, created at its key if absent.
fn push_nested(members: &mut Vec<Member>, outer: &str, member: Member) {
    let existing = members.iter_mut().find_map(|m| match &mut m.value.kind {
        NodeKind::Object(inner) if m.key == outer => Some(inner),
        _ => None,
    });
    match existing {
        Some(inner) => inner.push(member),
        None => members.push(Member {
            key: outer.into(),
            key_span: member.key_span,
            value: Node {
                span: member.key_span,
                kind: NodeKind::Object(vec![member]),
            },
        }),
    }
}

/// Terraform's `network_configuration { subnets ... }` is the API's
/// `networkConfiguration.awsvpcConfiguration`.
fn wrap_awsvpc_configuration(members: &mut [Member]) {
    if let Some(member) = members.iter_mut().find(|m| m.key == "networkConfiguration") {
        let span = member.value.span;
        let inner = std::mem::replace(
            &mut member.value,
            Node {
                span,
                kind: NodeKind::Object(Vec::new()),
            },
        );
        member.value.kind = NodeKind::Object(vec![Member {
            key: "awsvpcConfiguration".into(),
            key_span: member.key_span,
            value: inner,
        }]);
    }
}

/// Every node of a tree located at one span (values read from another file
/// or decoded from an escaped string, whose own positions are not in the `.tf` text).
fn respan(node: &mut Node, span: Span) {
    node.span = span;
    match &mut node.kind {
        NodeKind::Array(items) => items.iter_mut().for_each(|n| respan(n, span)),
        NodeKind::Object(members) => members.iter_mut().for_each(|m| {
            m.key_span = span;
            respan(&mut m.value, span);
        }),
        _ => {}
    }
}

fn shift(node: &mut Node, by: usize) {
    let moved = |s: Span| Span::new(s.start as usize + by, s.end as usize + by);
    node.span = moved(node.span);
    match &mut node.kind {
        NodeKind::Array(items) => items.iter_mut().for_each(|n| shift(n, by)),
        NodeKind::Object(members) => members.iter_mut().for_each(|m| {
            m.key_span = moved(m.key_span);
            shift(&mut m.value, by);
        }),
        _ => {}
    }
}

/// JSON in a heredoc, where `${...}` may stand outside strings (`"cpu":
/// ${var.cpu}`): each such interpolation is parsed as a string of the same
/// length, then given its written text, so that every span stays exact.
fn json_with_interpolations(content: &str) -> Option<Node> {
    let bytes = content.as_bytes();
    let mut masked = content.to_string().into_bytes();
    let mut interpolations = Vec::new();
    let (mut i, mut in_string) = (0, false);
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'$' if !in_string && bytes.get(i + 1) == Some(&b'{') => {
                let mut depth = 0;
                let mut end = None;
                for (j, &b) in bytes.iter().enumerate().skip(i + 1) {
                    match b {
                        b'{' => depth += 1,
                        b'}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = Some(j + 1);
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                let end = end?;
                // `"` + filler + `"`: a JSON string of the interpolation's length.
                for (k, slot) in masked[i..end].iter_mut().enumerate() {
                    *slot = if k == 0 || k == end - i - 1 {
                        b'"'
                    } else {
                        b'x'
                    };
                }
                interpolations.push((Span::new(i, end), content[i..end].to_string()));
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    let masked = String::from_utf8(masked).ok()?;
    let mut node = json::parse(&masked).ok()?;
    restore(&mut node, &interpolations);
    Some(node)
}

fn restore(node: &mut Node, interpolations: &[(Span, String)]) {
    if let Some((_, written)) = interpolations.iter().find(|(s, _)| *s == node.span) {
        node.kind = NodeKind::String(written.clone());
        return;
    }
    match &mut node.kind {
        NodeKind::Array(items) => items.iter_mut().for_each(|n| restore(n, interpolations)),
        NodeKind::Object(members) => members
            .iter_mut()
            .for_each(|m| restore(&mut m.value, interpolations)),
        _ => {}
    }
}

fn collect_templates(node: &Node, spans: &mut Vec<Span>) {
    match &node.kind {
        NodeKind::String(s) if s.contains("${") => spans.push(node.span),
        NodeKind::Array(items) => items.iter().for_each(|n| collect_templates(n, spans)),
        NodeKind::Object(members) => members
            .iter()
            .for_each(|m| collect_templates(&m.value, spans)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::analyze_terraform;
    use crate::Diagnostic;

    /// The text a diagnostic points at.
    fn at<'t>(text: &'t str, d: &Diagnostic) -> &'t str {
        // The fixtures are ASCII: UTF-16 offsets are byte offsets.
        &text[d.range.start.offset_utf16 as usize..d.range.end.offset_utf16 as usize]
    }

    const MAIN: &str = r#"
resource "aws_ecs_task_definition" "web" {
  family                   = "web"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "bridge"
  cpu                      = 256
  memory                   = var.memory
  container_definitions = jsonencode([
    { name = "web", image = var.image, essential = "yes", memory = 512 }
  ])
}

resource "aws_ecs_task_definition" "heredoc" {
  family                = "heredoc"
  container_definitions = <<EOF
[{"name": "a", "image": "${var.image}", "cpu": ${var.cpu}, "memory": 64, "essential": 1}]
EOF
}

resource "aws_ecs_task_definition" "from_file" {
  family                = "from file"
  container_definitions = file("containers.json")
}

resource "aws_ecs_service" "web" {
  name            = "web"
  task_definition = aws_ecs_task_definition.web.arn
  desired_count   = var.count
  launch_type     = "FARGATE"
}
"#;

    #[test]
    fn diagnostics_point_into_the_tf_text_and_skip_what_terraform_computes() {
        let files = |name: &str| {
            (name == "containers.json").then(|| r#"[{"name": "f", "image": "x:1"}]"#.to_string())
        };
        let analysis = analyze_terraform(MAIN, &files);
        let found: Vec<(&str, &str, &str)> = analysis
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.path.as_str(), at(MAIN, d)))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "fargate-requires-awsvpc",
                    "aws_ecs_task_definition.web.networkMode",
                    "\"bridge\""
                ),
                (
                    "type-mismatch",
                    "aws_ecs_task_definition.web.containerDefinitions[0].essential",
                    "\"yes\""
                ),
                (
                    "type-mismatch",
                    "aws_ecs_task_definition.heredoc.containerDefinitions[0].essential",
                    "1"
                ),
                (
                    "family-format",
                    "aws_ecs_task_definition.from_file.family",
                    "\"from file\""
                ),
                (
                    "container-memory-required",
                    "aws_ecs_task_definition.from_file.containerDefinitions[0].memory",
                    "file(\"containers.json\")"
                ),
            ],
            "{:#?}",
            analysis.diagnostics
        );
    }

    #[test]
    fn references_become_placeholders_and_blocks_the_apis_shape() {
        let text = r#"
resource "aws_ecs_service" "api" {
  name                               = "api"
  cluster                            = module.ecs.cluster_id
  desired_count                      = 2
  deployment_minimum_healthy_percent = 50
  network_configuration {
    subnets          = data.aws_subnets.private.ids
    assign_public_ip = true
  }
  load_balancer {
    target_group_arn = aws_lb_target_group.api.arn
    container_name   = "api"
    container_port   = 8080
  }
  tags = { Team = "api" }
  wait_for_steady_state = true
}
"#;
        let resources = super::read(text, &|_| None).unwrap();
        assert_eq!(resources.len(), 1);
        assert_eq!(
            resources[0].node.to_value(),
            serde_json::json!({
                "serviceName": "api",
                "cluster": "${module.ecs.cluster_id}",
                "desiredCount": 2,
                "deploymentConfiguration": {"minimumHealthyPercent": 50},
                "networkConfiguration": {"awsvpcConfiguration": {
                    "subnets": "${data.aws_subnets.private.ids}",
                    "assignPublicIp": "ENABLED"
                }},
                "loadBalancers": [{"targetGroupArn": "${aws_lb_target_group.api.arn}", "containerName": "api", "containerPort": 8080}],
                "tags": [{"key": "Team", "value": "api"}]
            })
        );
    }

    #[test]
    fn a_syntax_error_is_one_located_diagnostic() {
        let text = "resource \"aws_ecs_service\" \"a\" {\n  name = \n}\n";
        let analysis = analyze_terraform(text, &|_| None);
        assert_eq!(analysis.diagnostics.len(), 1);
        assert_eq!(analysis.diagnostics[0].code, "terraform-syntax");
        assert_eq!(analysis.diagnostics[0].range.start.line, 2);
    }
}
