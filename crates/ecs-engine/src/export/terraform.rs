//! Terraform: a task definition as an `aws_ecs_task_definition` resource
//! (containers as `jsonencode([...])`, in the API's own names), a service
//! as an `aws_ecs_service` resource and a cluster as an `aws_ecs_cluster`
//! resource (its capacity providers as the `aws_ecs_cluster_capacity_providers`
//! resource beside it), written by hcl-rs's formatter.
//!
//! The names are the reader's table (`import::terraform::NAMES`) read the
//! other way, so that what is written reads back to the same API document.

use hcl::expr::{Expression, FuncCall, Object, ObjectKey};
use hcl::{Block, Body, Identifier};
use serde_json::Value;

use crate::import::terraform::{Mapping, ResourceKind, NAMES};

/// API members whose value is a map of strings in Terraform, not a block.
const MAP_MEMBERS: &[&str] = &["driverOpts", "labels", "properties", "options"];

/// `resource "aws_ecs_task_definition" "NAME" { ... }` from register input.
pub fn task_definition(register: &Value) -> String {
    resource(ResourceKind::TaskDefinition, register, "family")
}

/// `resource "aws_ecs_service" "NAME" { ... }` from CreateService input.
pub fn service(create: &Value) -> String {
    resource(ResourceKind::Service, create, "serviceName")
}

/// CreateCluster members that the AWS provider (since version 5) takes in the
/// `aws_ecs_cluster_capacity_providers` resource, not in `aws_ecs_cluster`.
const CLUSTER_CAPACITY_MEMBERS: &[&str] = &["capacityProviders", "defaultCapacityProviderStrategy"];

/// `resource "aws_ecs_cluster" "NAME" { ... }` from CreateCluster input, and,
/// when it names capacity providers, `resource
/// "aws_ecs_cluster_capacity_providers" "NAME" { ... }` referring to it.
pub fn cluster(create: &Value) -> String {
    let mut cluster = create.clone();
    let mut capacity = serde_json::Map::new();
    if let Some(members) = cluster.as_object_mut() {
        for member in CLUSTER_CAPACITY_MEMBERS {
            if let Some(value) = members.remove(*member).filter(|v| !v.is_null()) {
                capacity.insert((*member).to_string(), value);
            }
        }
    }
    let name = resource_name(create, "clusterName");
    let mut body =
        Body::builder().add_block(resource_block(ResourceKind::Cluster, &cluster, &name));
    if !capacity.is_empty() {
        let reference =
            hcl::expr::Traversal::builder(hcl::expr::Variable::unchecked("aws_ecs_cluster"))
                .attr(name.as_str())
                .attr("name")
                .build();
        let mut block = Block::builder("resource")
            .add_label("aws_ecs_cluster_capacity_providers")
            .add_label(name.as_str())
            .add_attribute(("cluster_name", Expression::from(reference)));
        if let Some(providers) = capacity.get("capacityProviders") {
            block = block.add_attribute(("capacity_providers", expression(providers)));
        }
        for item in capacity
            .get("defaultCapacityProviderStrategy")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            block = block.add_block(nested_block(
                ResourceKind::Cluster,
                "default_capacity_provider_strategy",
                item,
            ));
        }
        body = body.add_block(block.build());
    }
    hcl::to_string(&body.build()).unwrap_or_default()
}

fn resource(kind: ResourceKind, document: &Value, name_member: &str) -> String {
    let name = resource_name(document, name_member);
    let body = Body::builder()
        .add_block(resource_block(kind, document, &name))
        .build();
    hcl::to_string(&body).unwrap_or_default()
}

/// The resource's Terraform name, from the document's own name.
fn resource_name(document: &Value, name_member: &str) -> String {
    document
        .get(name_member)
        .and_then(Value::as_str)
        .map_or_else(|| "this".to_string(), terraform_name)
}

fn resource_block(kind: ResourceKind, document: &Value, name: &str) -> Block {
    let mut block = Block::builder("resource")
        .add_label(kind.resource_type())
        .add_label(name);
    if let Some(members) = document.as_object() {
        for (key, value) in members {
            block = add_member(block, kind, "", key, value);
        }
    }
    block.build()
}

/// A Terraform resource name: letters, digits, `_` and `-`, not starting with a digit.
fn terraform_name(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}

/// The Terraform name and mapping for API member `key` under `parent` (a Terraform block name).
fn terraform_member(
    kind: ResourceKind,
    parent: &str,
    key: &str,
) -> Option<(&'static str, Mapping)> {
    NAMES
        .iter()
        .filter(|(k, p, _, _)| k.is_none_or(|k| k == kind) && *p == parent)
        .find(|(_, _, _, mapping)| match mapping {
            Mapping::Named(api) | Mapping::List(api) => *api == key,
            Mapping::Tags => key == "tags",
            _ => false,
        })
        .map(|(_, _, tf, mapping)| (*tf, *mapping))
}

fn add_member(
    mut block: hcl::structure::BlockBuilder,
    kind: ResourceKind,
    parent: &str,
    key: &str,
    value: &Value,
) -> hcl::structure::BlockBuilder {
    if value.is_null() {
        return block;
    }
    if kind == ResourceKind::TaskDefinition && parent.is_empty() && key == "containerDefinitions" {
        let call = FuncCall::builder("jsonencode")
            .arg(expression(value))
            .build();
        return block.add_attribute(("container_definitions", Expression::from(call)));
    }
    match terraform_member(kind, parent, key) {
        Some((tf, Mapping::Tags)) => {
            let mut map = Object::new();
            for tag in value.as_array().into_iter().flatten() {
                if let (Some(k), Some(v)) =
                    (tag.get("key").and_then(Value::as_str), tag.get("value"))
                {
                    map.insert(ObjectKey::from(k), expression(v));
                }
            }
            return block.add_attribute((tf, Expression::Object(map)));
        }
        Some((tf, Mapping::List(_))) => {
            for item in value.as_array().into_iter().flatten() {
                block = block.add_block(nested_block(kind, tf, item));
            }
            return block;
        }
        Some((tf, _)) => return add_value(block, kind, tf, value),
        None => {}
    }
    // Members the reader nests: written flat, as Terraform has them.
    let flattened: Vec<&(Option<ResourceKind>, &str, &str, Mapping)> = NAMES
        .iter()
        .filter(|(k, p, _, m)| {
            k.is_none_or(|k| k == kind)
                && *p == parent
                && matches!(m, Mapping::Nested(outer, _) if *outer == key)
        })
        .collect();
    if !flattened.is_empty() {
        for (member, inner) in value.as_object().into_iter().flatten() {
            let entry = flattened
                .iter()
                .find(|(_, _, _, m)| matches!(m, Mapping::Nested(_, i) if i == member));
            block = match entry {
                Some((_, _, tf, _)) => add_value(block, kind, tf, inner),
                None => add_value(
                    block,
                    kind,
                    &format!("{}_{}", snake_case(key), snake_case(member)),
                    inner,
                ),
            };
        }
        return block;
    }
    if kind == ResourceKind::Service && key == "networkConfiguration" {
        if let Some(awsvpc) = value.get("awsvpcConfiguration") {
            let mut inner = awsvpc.clone();
            if let Some(assign) = inner.get_mut("assignPublicIp") {
                *assign = Value::Bool(assign.as_str() == Some("ENABLED"));
            }
            return block.add_block(nested_block(kind, "network_configuration", &inner));
        }
    }
    add_value(block, kind, &snake_case(key), value)
}

/// An attribute, or a block for an object that is not a map.
fn add_value(
    block: hcl::structure::BlockBuilder,
    kind: ResourceKind,
    tf: &str,
    value: &Value,
) -> hcl::structure::BlockBuilder {
    let is_map = MAP_MEMBERS.iter().any(|m| snake_case(m) == tf);
    if value.is_object() && !is_map {
        return block.add_block(nested_block(kind, tf, value));
    }
    block.add_attribute((tf.to_string(), expression(value)))
}

fn nested_block(kind: ResourceKind, tf: &str, value: &Value) -> Block {
    let mut block = Block::builder(Identifier::sanitized(tf));
    let host_path = value
        .get("host")
        .and_then(|h| h.get("sourcePath"))
        .filter(|_| kind == ResourceKind::TaskDefinition && tf == "volume");
    if let Some(members) = value.as_object() {
        for (key, inner) in members {
            if key == "host" && host_path.is_some() {
                continue;
            }
            block = add_member(block, kind, tf, key, inner);
        }
    }
    if let Some(path) = host_path {
        block = block.add_attribute(("host_path", expression(path)));
    }
    block.build()
}

fn expression(value: &Value) -> Expression {
    hcl::to_expression(value).unwrap_or(Expression::Null)
}

/// `desiredCount` → `desired_count`.
fn snake_case(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 4);
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze_terraform;

    #[test]
    fn a_task_definition_reads_back_to_the_same_document() {
        let register: Value =
            serde_json::from_str(crate::examples::DEFAULT_TASK_DEFINITION).unwrap();
        let mut register = register;
        register["volumes"] = serde_json::json!([{"name": "data", "host": {"sourcePath": "/srv"}}]);
        register["tags"] = serde_json::json!([{"key": "team", "value": "web"}]);
        let hcl = task_definition(&register);
        assert!(
            hcl.starts_with("resource \"aws_ecs_task_definition\" \"web-app\" {\n"),
            "{hcl}"
        );
        assert!(hcl.contains("container_definitions = jsonencode("), "{hcl}");
        assert!(hcl.contains("host_path = \"/srv\""), "{hcl}");
        let resources = crate::import::terraform::read(&hcl, &|_| None).expect("valid HCL");
        assert_eq!(resources[0].node.to_value(), register, "{hcl}");
        assert_eq!(analyze_terraform(&hcl, &|_| None).diagnostics, [], "{hcl}");
    }

    #[test]
    fn a_service_reads_back_to_the_same_document() {
        let create = serde_json::json!({
            "serviceName": "web",
            "cluster": "prod",
            "taskDefinition": "web:3",
            "desiredCount": 2,
            "launchType": "FARGATE",
            "deploymentConfiguration": {"minimumHealthyPercent": 50, "maximumPercent": 200,
                "deploymentCircuitBreaker": {"enable": true, "rollback": true}},
            "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1"], "securityGroups": ["sg-1"], "assignPublicIp": "DISABLED"}},
            "loadBalancers": [{"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1", "containerName": "web", "containerPort": 80}],
        });
        let hcl = service(&create);
        for line in [
            "name = \"web\"",
            "deployment_minimum_healthy_percent = 50",
            "assign_public_ip = false",
            "load_balancer {",
            "deployment_circuit_breaker {",
        ] {
            assert!(hcl.contains(line), "{line} in {hcl}");
        }
        let resources = crate::import::terraform::read(&hcl, &|_| None).expect("valid HCL");
        assert_eq!(resources[0].node.to_value(), create, "{hcl}");
    }

    #[test]
    fn a_cluster_reads_back_with_its_capacity_providers_beside_it() {
        let create = serde_json::json!({
            "clusterName": "prod",
            "settings": [{"name": "containerInsights", "value": "enabled"}],
            "configuration": {"executeCommandConfiguration": {"kmsKeyId": "k-1", "logging": "OVERRIDE",
                "logConfiguration": {"cloudWatchLogGroupName": "exec", "s3BucketName": "b"}}},
            "serviceConnectDefaults": {"namespace": "prod.local"},
            "tags": [{"key": "team", "value": "platform"}],
        });
        let mut with_capacity = create.clone();
        with_capacity["capacityProviders"] = serde_json::json!(["FARGATE", "FARGATE_SPOT"]);
        with_capacity["defaultCapacityProviderStrategy"] =
            serde_json::json!([{"capacityProvider": "FARGATE", "weight": 1, "base": 1}]);
        let hcl = cluster(&with_capacity);
        for line in [
            "resource \"aws_ecs_cluster\" \"prod\" {",
            "setting {",
            "execute_command_configuration {",
            "cloud_watch_log_group_name = \"exec\"",
            "service_connect_defaults {",
            "resource \"aws_ecs_cluster_capacity_providers\" \"prod\" {",
            "cluster_name = aws_ecs_cluster.prod.name",
            "capacity_providers = [\n    \"FARGATE\",\n    \"FARGATE_SPOT\"\n  ]",
            "default_capacity_provider_strategy {",
            "capacity_provider = \"FARGATE\"",
        ] {
            assert!(hcl.contains(line), "{line} in {hcl}");
        }
        let resources = crate::import::terraform::read(&hcl, &|_| None).expect("valid HCL");
        assert_eq!(resources[0].node.to_value(), create, "{hcl}");
        assert_eq!(analyze_terraform(&hcl, &|_| None).diagnostics, [], "{hcl}");
        assert!(!cluster(&create).contains("capacity_providers"));
    }
}
