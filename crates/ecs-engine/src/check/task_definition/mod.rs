//! Task-definition rules (seed-checklist §2.1, §2.2, §2.6–§2.9, §2.20 and the
//! AWS limits the seeds leave out).
//!
//! Each file holds one concept: its `Rule` constants, the code applying them
//! and unit tests for its helpers. The data-driven fixtures in
//! `tests/rules/*.txt` give every rule a failing and a passing case.
//!
//! Rules read the task definition through a [`Context`], which knows what the
//! rules keep asking: which compatibilities must validate, the network mode,
//! the operating system and the containers by name. Generic shape checks
//! (types, enums, required members, unknown fields) are not here: they are
//! driven by the AWS model in `check/shape.rs`.

mod attributes;
mod container_settings;
mod containers;
mod depends_on;
mod environment;
mod family;
mod fargate;
mod health_check;
mod images;
mod linux_parameters;
mod logging;
mod network_mode;
pub mod placeholders;
mod placement;
mod ports;
mod references;
mod resources;
mod size;
mod task_level;
mod volumes;
mod windows;

use super::{Located, Rule, Sink};
use crate::text::Span;

/// Every task-definition rule, in catalogue order.
pub const RULES: &[&Rule] = &[
    &family::FAMILY_REQUIRED,
    &family::FAMILY_FORMAT,
    &containers::CONTAINERS_REQUIRED,
    &containers::TOO_MANY_CONTAINERS,
    &containers::ESSENTIAL_CONTAINER,
    &containers::CONTAINER_NAME_REQUIRED,
    &containers::CONTAINER_IMAGE_REQUIRED,
    &containers::CONTAINER_NAME_FORMAT,
    &containers::DUPLICATE_CONTAINER_NAME,
    &containers::UNUSED_NON_ESSENTIAL_CONTAINER,
    &size::TASK_DEFINITION_TOO_LARGE,
    &resources::TASK_CPU_FORMAT,
    &resources::TASK_MEMORY_FORMAT,
    &resources::TASK_CPU_RANGE,
    &resources::CONTAINER_MEMORY_REQUIRED,
    &resources::CONTAINER_MEMORY_OVER_TASK,
    &resources::CONTAINER_CPU_OVER_TASK,
    &resources::MEMORY_RESERVATION_OVER_MEMORY,
    &resources::CONTAINER_MEMORY_LOW,
    &resources::GPU_COUNT,
    &resources::INFERENCE_ACCELERATOR_REFERENCE,
    &fargate::FARGATE_NETWORK_MODE,
    &fargate::FARGATE_CPU_MEMORY,
    &fargate::FARGATE_UNSUPPORTED_PARAMETER,
    &fargate::FARGATE_CAPABILITIES,
    &windows::WINDOWS_UNSUPPORTED_PARAMETER,
    &windows::WINDOWS_NETWORK_MODE,
    &windows::WINDOWS_TASK_SIZE_IGNORED,
    &windows::ARM64_REQUIRES_LINUX,
    &network_mode::NETWORK_MODE_UNSUPPORTED_PARAMETER,
    &network_mode::HOST_PORT_MISMATCH,
    &ports::DUPLICATE_CONTAINER_PORT,
    &ports::DUPLICATE_HOST_PORT,
    &ports::EPHEMERAL_HOST_PORT,
    &ports::PORT_MAPPING_NAME_FORMAT,
    &ports::CONTAINER_PORT_RANGE,
    &ports::PORT_NUMBER,
    &references::UNKNOWN_CONTAINER_REFERENCE,
    &references::UNKNOWN_VOLUME_REFERENCE,
    &references::LINK_FORMAT,
    &depends_on::DEPENDS_ON_ESSENTIAL,
    &depends_on::DEPENDS_ON_HEALTHY,
    &depends_on::DEPENDS_ON_CYCLE,
    &images::IMAGE_FORMAT,
    &images::IMAGE_LATEST_TAG,
    &environment::ENVIRONMENT_FILES_LIMIT,
    &environment::ENVIRONMENT_FILE_EXTENSION,
    &environment::SECRET_IN_ENVIRONMENT,
    &environment::SECRET_VALUE_FROM,
    &container_settings::USER_FORMAT,
    &container_settings::ROOT_IN_HOST_MODE,
    &container_settings::STOP_TIMEOUT_RANGE,
    &container_settings::DOCKER_SECURITY_OPTION_FORMAT,
    &linux_parameters::LINUX_PARAMETER_RANGE,
    &linux_parameters::LINUX_PARAMETER_VALUE,
    &linux_parameters::SWAPPINESS_WITHOUT_MAX_SWAP,
    &health_check::HEALTH_CHECK_COMMAND,
    &health_check::HEALTH_CHECK_RANGE,
    &health_check::HEALTH_CHECK_TIMING,
    &logging::AWSLOGS_OPTIONS,
    &logging::SPLUNK_OPTIONS,
    &logging::LOG_OPTION_VALUE,
    &logging::FARGATE_LOG_DRIVER,
    &logging::FIRELENS_CONTAINER_REQUIRED,
    &logging::FIRELENS_CONFIG_FILE_TYPE,
    &logging::EXECUTION_ROLE_REQUIRED,
    &volumes::VOLUME_NAME_FORMAT,
    &volumes::DUPLICATE_VOLUME_NAME,
    &volumes::WINDOWS_VOLUME_DRIVER,
    &volumes::AUTOPROVISION_WITHOUT_SHARED_SCOPE,
    &volumes::EFS_TRANSIT_ENCRYPTION,
    &volumes::EFS_ACCESS_POINT_ROOT,
    &task_level::IPC_HOST_SYSTEM_CONTROLS,
    &task_level::NETWORK_SYSTEM_CONTROLS_SHARED,
    &task_level::PROXY_CONFIGURATION_PROPERTIES,
    &task_level::EPHEMERAL_STORAGE_SIZE,
    &placement::PLACEMENT_CONSTRAINT_EXPRESSION,
    &placement::TOO_MANY_PLACEMENT_CONSTRAINTS,
    &attributes::ATTRIBUTE_FORMAT,
    &placeholders::TEMPLATE_PLACEHOLDER,
];

/// Applies every task-definition rule to `task_def`.
pub fn check(task_def: &Located<'_>, sink: &mut Sink) {
    let context = Context::of_task_definition(task_def);
    family::check(&context, sink);
    size::check(&context, sink);
    if !containers::check(&context, sink) {
        return;
    }
    check_all(&context, sink);
}

/// Checks a bare containerDefinitions array, where task-level context is
/// unknown: only rules that need no task-level fields apply.
pub fn check_bare_containers(list: &Located<'_>, sink: &mut Sink) {
    let context = Context::of_bare_containers(list);
    if !containers::check(&context, sink) {
        return;
    }
    check_all(&context, sink);
}

fn check_all(context: &Context<'_>, sink: &mut Sink) {
    resources::check(context, sink);
    fargate::check(context, sink);
    windows::check(context, sink);
    network_mode::check(context, sink);
    ports::check(context, sink);
    references::check(context, sink);
    depends_on::check(context, sink);
    images::check(context, sink);
    environment::check(context, sink);
    container_settings::check(context, sink);
    linux_parameters::check(context, sink);
    health_check::check(context, sink);
    logging::check(context, sink);
    volumes::check(context, sink);
    task_level::check(context, sink);
    placement::check(context, sink);
    if let Some(list) = context.task_field("tags") {
        crate::check::tags::check_tags(&list, sink);
    }
    attributes::check(context, sink);
}

/// What the rules need to know about the task definition being checked.
pub struct Context<'a> {
    /// The task definition object; `None` for a bare containerDefinitions array.
    pub task_def: Option<Located<'a>>,
    /// The containerDefinitions array itself, when present.
    pub container_list: Option<Located<'a>>,
    pub containers: Vec<Located<'a>>,
}

impl<'a> Context<'a> {
    fn of_task_definition(task_def: &Located<'a>) -> Context<'a> {
        Context {
            task_def: Some(task_def.clone()),
            container_list: task_def.field("containerDefinitions"),
            containers: task_def.items("containerDefinitions"),
        }
    }

    fn of_bare_containers(list: &Located<'a>) -> Context<'a> {
        let containers = list
            .node
            .items()
            .iter()
            .enumerate()
            .map(|(i, node)| Located {
                node,
                path: list.path.index(i),
                key_span: None,
            })
            .collect();
        Context {
            task_def: None,
            container_list: Some(list.clone()),
            containers,
        }
    }

    /// The launch types the definition must validate for (V-TD-008). An
    /// empty or absent list validates for EC2 only.
    pub fn compatibilities(&self) -> Vec<&'a str> {
        let Some(task_def) = &self.task_def else {
            return Vec::new();
        };
        let listed: Vec<&str> = task_def
            .node
            .get("requiresCompatibilities")
            .map(|list| list.items().iter().filter_map(|c| c.as_str()).collect())
            .unwrap_or_default();
        if listed.is_empty() {
            vec!["EC2"]
        } else {
            listed
        }
    }

    pub fn requires(&self, compatibility: &str) -> bool {
        self.task_def.as_ref().is_some_and(|task_def| {
            task_def
                .node
                .get("requiresCompatibilities")
                .is_some_and(|list| {
                    list.items()
                        .iter()
                        .any(|c| c.as_str() == Some(compatibility))
                })
        })
    }

    pub fn on_fargate(&self) -> bool {
        self.requires("FARGATE")
    }

    /// True when the definition may run on EC2 or external instances.
    pub fn on_instances(&self) -> bool {
        self.compatibilities()
            .iter()
            .any(|c| matches!(*c, "EC2" | "EXTERNAL" | "MANAGED_INSTANCES"))
    }

    /// `runtimePlatform.operatingSystemFamily` is one of the Windows families.
    pub fn is_windows(&self) -> bool {
        self.operating_system()
            .is_some_and(|os| os.starts_with("WINDOWS"))
    }

    pub fn operating_system(&self) -> Option<&'a str> {
        self.task_def
            .as_ref()?
            .node
            .get("runtimePlatform")?
            .get("operatingSystemFamily")?
            .as_str()
    }

    /// The network mode in effect: as written, else `bridge` (Linux's
    /// default). `None` for a bare containerDefinitions array.
    pub fn network_mode(&self) -> Option<&'a str> {
        let task_def = self.task_def.as_ref()?;
        Some(task_def.str_field("networkMode").unwrap_or("bridge"))
    }

    pub fn task_field(&self, key: &str) -> Option<Located<'a>> {
        self.task_def.as_ref()?.field(key)
    }

    pub fn task_items(&self, key: &str) -> Vec<Located<'a>> {
        self.task_def
            .as_ref()
            .map(|task_def| task_def.items(key))
            .unwrap_or_default()
    }

    /// The container named `name`, if there is one.
    pub fn container(&self, name: &str) -> Option<&Located<'a>> {
        self.containers
            .iter()
            .find(|c| c.str_field("name") == Some(name))
    }
}

/// A container's name for messages; `?` when it has none.
pub fn name_of<'a>(container: &Located<'a>) -> &'a str {
    container.str_field("name").unwrap_or("?")
}

/// Where to point for a member that should not be there: its key.
pub fn key_span(located: &Located<'_>) -> Span {
    located.key_span.unwrap_or(located.node.span)
}

/// Whether a container is essential (`essential` defaults to true).
pub fn is_essential(container: &Located<'_>) -> bool {
    container.bool_field("essential").unwrap_or(true)
}

/// True for text holding a template placeholder (`${Region}`, `{{ account }}`,
/// `<ACCOUNT_ID>`) that a tool fills in before the task definition is
/// registered; format rules do not judge such values.
pub fn has_placeholder(text: &str) -> bool {
    crate::template::has_placeholder(text)
}

/// True for a string value holding a template placeholder: what it stands
/// for is known only after substitution.
pub fn is_templated(value: &Located<'_>) -> bool {
    value.node.as_str().is_some_and(has_placeholder)
}

/// `s` as a JSON string literal, for fixes.
pub fn json_string(s: &str) -> String {
    crate::json::write::quoted(s)
}

/// True for names of 1 to 255 letters, digits, hyphens and underscores.
pub fn is_simple_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Replaces characters a simple name does not allow with hyphens.
pub fn clean_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(255)
        .collect()
}

/// The codes and paths a document's task-definition findings have, for
/// unit tests that look at one rule's behaviour.
#[cfg(test)]
pub(crate) fn findings(text: &str) -> Vec<(String, String)> {
    crate::analyze_task_definition(text)
        .diagnostics
        .into_iter()
        .filter(|d| RULES.iter().any(|r| r.code == d.code))
        .map(|d| (d.code, d.path))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_names_are_letters_digits_hyphens_and_underscores() {
        assert!(is_simple_name("web_app-2"));
        assert!(!is_simple_name(""));
        assert!(!is_simple_name("web.app"));
        assert!(!is_simple_name(&"a".repeat(256)));
        assert_eq!(clean_name("web.app v2"), "web-app-v2");
    }

    #[test]
    fn compatibilities_default_to_ec2() {
        let node = crate::json::parse(r#"{"family": "a"}"#).unwrap();
        let task_def = Located::root(&node, crate::json::JsonPath::root());
        let context = Context::of_task_definition(&task_def);
        assert_eq!(context.compatibilities(), ["EC2"]);
        assert!(context.on_instances());
        assert!(!context.on_fargate());
        assert_eq!(context.network_mode(), Some("bridge"));
    }
}
