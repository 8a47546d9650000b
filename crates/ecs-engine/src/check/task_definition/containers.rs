//! The container list itself: presence, count, essential containers and
//! container names (V-TD-003, V-TD-004, V-CD-001, A6, checklist §7).

use std::collections::HashMap;

use super::{clean_name, is_essential, is_simple_name, json_string, name_of, Context};
use crate::check::{Rule, Sink};
use crate::diagnostic::Severity;

/// "Containers per task definition: 10, not adjustable" (ecs-semantics A6).
pub const MAX_CONTAINERS: usize = 10;

pub const CONTAINERS_REQUIRED: Rule = Rule {
    code: "container-definitions-required",
    severity: Severity::Error,
    summary: "A task definition needs at least one container definition.",
    covers: &["V-TD-003"],
    exception: Some("ClientException"),
};

pub const TOO_MANY_CONTAINERS: Rule = Rule {
    code: "too-many-containers",
    severity: Severity::Error,
    summary: "A task definition holds at most 10 container definitions (a fixed quota).",
    covers: &[],
    exception: Some("ClientException"),
};

pub const ESSENTIAL_CONTAINER: Rule = Rule {
    code: "essential-container-required",
    severity: Severity::Error,
    summary: "At least one container must be essential (`essential` defaults to true).",
    covers: &["V-TD-004"],
    exception: Some("ClientException"),
};

/// AWS's model leaves `name` and `image` optional, but the service refuses a
/// container without either (ecs-semantics E8): client-side validation passes
/// and RegisterTaskDefinition answers with these ClientExceptions.
pub const CONTAINER_NAME_REQUIRED: Rule = Rule {
    code: "container-name-required",
    severity: Severity::Error,
    summary: "Every container has a non-empty `name` (AWS: \"Container.name should not be null or empty.\").",
    covers: &[],
    exception: Some("ClientException"),
};

pub const CONTAINER_IMAGE_REQUIRED: Rule = Rule {
    code: "container-image-required",
    severity: Severity::Error,
    summary: "Every container has a non-empty `image` (AWS: \"Container.image should not be null or empty.\").",
    covers: &[],
    exception: Some("ClientException"),
};

pub const CONTAINER_NAME_FORMAT: Rule = Rule {
    code: "container-name-format",
    severity: Severity::Error,
    summary: "A container `name` is 1 to 255 letters, digits, hyphens and underscores.",
    covers: &["V-CD-001"],
    exception: Some("ClientException"),
};

pub const DUPLICATE_CONTAINER_NAME: Rule = Rule {
    code: "duplicate-container-name",
    severity: Severity::Error,
    summary: "Container names are unique within a task definition.",
    covers: &[],
    exception: Some("ClientException"),
};

pub const UNUSED_NON_ESSENTIAL_CONTAINER: Rule = Rule {
    code: "unused-non-essential-container",
    severity: Severity::Info,
    summary: "A non-essential container that no other container depends on, links to or routes logs through may stop without anyone noticing.",
    covers: &[],
    exception: None,
};

/// Checks the container list; returns false when there are no containers
/// to check further.
pub fn check(context: &Context<'_>, sink: &mut Sink) -> bool {
    if context.containers.is_empty() {
        match (&context.container_list, &context.task_def) {
            (Some(list), _) => {
                sink.report(
                    &CONTAINERS_REQUIRED,
                    list.path.clone(),
                    list.span(),
                    "containerDefinitions is empty: a task definition needs at least one container",
                );
            }
            (None, Some(task_def)) => {
                sink.report_missing(
                    &CONTAINERS_REQUIRED,
                    task_def,
                    "containerDefinitions",
                    "missing required field containerDefinitions: a task definition needs at least one container",
                );
            }
            (None, None) => {}
        }
        return false;
    }
    check_count(context, sink);
    check_required(context, sink);
    check_essential(context, sink);
    check_names(context, sink);
    check_unused(context, sink);
    true
}

fn check_count(context: &Context<'_>, sink: &mut Sink) {
    let (Some(list), Some(extra)) = (
        &context.container_list,
        context.containers.get(MAX_CONTAINERS),
    ) else {
        return;
    };
    let count = context.containers.len();
    sink.report(
        &TOO_MANY_CONTAINERS,
        extra.path.clone(),
        list.key_span.unwrap_or(extra.span()),
        format!("Too many containers: the task definition has {count} container definitions, and the limit is {MAX_CONTAINERS} per task definition"),
    );
}

/// `name` and `image`: absent, null or empty is refused with AWS's own words.
fn check_required(context: &Context<'_>, sink: &mut Sink) {
    for container in &context.containers {
        for (key, rule) in [
            ("name", &CONTAINER_NAME_REQUIRED),
            ("image", &CONTAINER_IMAGE_REQUIRED),
        ] {
            let message = format!("Container.{key} should not be null or empty.");
            match container.field(key) {
                None => {
                    sink.report_missing(rule, container, key, message);
                }
                Some(value) if value.node.as_str() == Some("") => {
                    sink.report(rule, value.path.clone(), value.span(), message);
                }
                Some(_) => {}
            }
        }
    }
}

fn check_essential(context: &Context<'_>, sink: &mut Sink) {
    if context.containers.iter().any(is_essential) {
        return;
    }
    let Some(list) = &context.container_list else {
        return;
    };
    let finding = sink.report(
        &ESSENTIAL_CONTAINER,
        list.path.clone(),
        list.key_span.unwrap_or(list.span()),
        "no container is essential: at least one container in a task definition must be marked essential",
    );
    if let Some(flag) = context
        .containers
        .first()
        .and_then(|c| c.field("essential"))
    {
        finding.with_fix(
            "Mark the first container essential",
            vec![(flag.span(), "true".to_string())],
        );
    }
}

fn check_names(context: &Context<'_>, sink: &mut Sink) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    // Every name, so that finding a free one is a lookup, not a scan.
    let names: std::collections::HashSet<&str> = context
        .containers
        .iter()
        .filter_map(|c| c.str_field("name"))
        .collect();
    for (index, container) in context.containers.iter().enumerate() {
        let Some(name_node) = container.field("name") else {
            continue; // A missing name is container-name-required.
        };
        let Some(name) = name_node.node.as_str() else {
            continue;
        };
        if name.is_empty() {
            continue; // container-name-required.
        }
        if !is_simple_name(name) {
            let cleaned = clean_name(name);
            let finding = sink.report(
                &CONTAINER_NAME_FORMAT,
                name_node.path.clone(),
                name_node.span(),
                format!("container name \"{name}\" is invalid: up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed"),
            );
            if !cleaned.is_empty() {
                finding.with_fix(
                    format!("Rename to \"{cleaned}\""),
                    vec![(name_node.span(), json_string(&cleaned))],
                );
            }
        }
        if let Some(&first) = seen.get(name) {
            // Finding a free name scans the containers: past the limit, only count.
            if sink.is_full(&DUPLICATE_CONTAINER_NAME) {
                sink.skip(&DUPLICATE_CONTAINER_NAME);
                continue;
            }
            let unique = unique_name(name, &names);
            sink.report(
                &DUPLICATE_CONTAINER_NAME,
                name_node.path.clone(),
                name_node.span(),
                format!("Duplicate container name \"{name}\": containerDefinitions[{first}] already uses it, and container names must be unique within a task definition"),
            )
            .with_fix(
                format!("Rename to \"{unique}\""),
                vec![(name_node.span(), json_string(&unique))],
            );
        } else {
            seen.insert(name, index);
        }
    }
}

/// `name-2`, `name-3`, … whichever no container uses yet.
fn unique_name(name: &str, names: &std::collections::HashSet<&str>) -> String {
    (2..)
        .map(|n| format!("{name}-{n}"))
        .find(|candidate| !names.contains(candidate.as_str()))
        .unwrap_or_else(|| format!("{name}-copy"))
}

fn check_unused(context: &Context<'_>, sink: &mut Sink) {
    let mut used: Vec<&str> = Vec::new();
    for container in &context.containers {
        for dependency in container.items("dependsOn") {
            used.extend(dependency.str_field("containerName"));
        }
        for source in container.items("volumesFrom") {
            used.extend(source.str_field("sourceContainer"));
        }
        for link in container.items("links") {
            if let Some(link) = link.node.as_str() {
                used.push(link.split(':').next().unwrap_or(link));
            }
        }
    }
    if let Some(proxy) = context
        .task_field("proxyConfiguration")
        .and_then(|p| p.str_field("containerName"))
    {
        used.push(proxy);
    }
    // With no essential container at all, essential-container-required says it.
    if !context.containers.iter().any(is_essential) {
        return;
    }
    for container in &context.containers {
        if is_essential(container) || container.field("firelensConfiguration").is_some() {
            continue;
        }
        let name = name_of(container);
        if used.contains(&name) {
            continue;
        }
        let Some(flag) = container.field("essential") else {
            continue;
        };
        sink.report(
            &UNUSED_NON_ESSENTIAL_CONTAINER,
            flag.path.clone(),
            flag.span(),
            format!("container '{name}' is not essential and no other container depends on it: if it exits or fails, the task keeps running without it. Add a dependsOn entry if another container needs it"),
        );
    }
}
