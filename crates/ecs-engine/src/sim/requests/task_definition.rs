//! The requests of the task-definition operations.

use serde_json::Value;

use super::super::paging::PageRequest;
use super::super::request::{list, opt_str, req_str, str_list};
use super::super::AwsError;

/// RegisterTaskDefinition's members the simulator reads itself; the
/// members it keeps as given (roles, runtimePlatform …) are copied from
/// the request into the definition's body.
pub(crate) struct RegisterTaskDefinitionRequest<'a> {
    pub family: &'a str,
    pub container_definitions: &'a [Value],
    /// `bridge` when omitted.
    pub network_mode: &'a str,
    pub requires_compatibilities: Vec<String>,
    pub cpu: Option<&'a str>,
    pub memory: Option<&'a str>,
    pub volumes: &'a [Value],
    pub placement_constraints: &'a [Value],
    pub tags: &'a [Value],
}

impl<'a> RegisterTaskDefinitionRequest<'a> {
    pub fn read(r: &'a Value) -> Result<RegisterTaskDefinitionRequest<'a>, AwsError> {
        Ok(RegisterTaskDefinitionRequest {
            family: req_str(r, "family")?,
            container_definitions: list(r, "containerDefinitions")?,
            network_mode: opt_str(r, "networkMode")?.unwrap_or("bridge"),
            requires_compatibilities: str_list(r, "requiresCompatibilities")?,
            cpu: opt_str(r, "cpu")?,
            memory: opt_str(r, "memory")?,
            volumes: list(r, "volumes")?,
            placement_constraints: list(r, "placementConstraints")?,
            tags: list(r, "tags")?,
        })
    }
}

/// DeregisterTaskDefinition and DescribeTaskDefinition (`include`).
pub(crate) struct TaskDefinitionRequest<'a> {
    pub task_definition: &'a str,
    /// `include` lists `TAGS`.
    pub with_tags: bool,
}

impl<'a> TaskDefinitionRequest<'a> {
    pub fn read(r: &'a Value) -> Result<TaskDefinitionRequest<'a>, AwsError> {
        Ok(TaskDefinitionRequest {
            task_definition: req_str(r, "taskDefinition")?,
            with_tags: str_list(r, "include")?.iter().any(|i| i == "TAGS"),
        })
    }
}

/// ListTaskDefinitions and ListTaskDefinitionFamilies (which has no `sort`).
pub(crate) struct ListTaskDefinitionsRequest<'a> {
    pub family_prefix: Option<&'a str>,
    /// ACTIVE when omitted.
    pub status: &'a str,
    /// `sort` is DESC.
    pub descending: bool,
    pub page: PageRequest<'a>,
}

impl<'a> ListTaskDefinitionsRequest<'a> {
    pub fn read(r: &'a Value) -> Result<ListTaskDefinitionsRequest<'a>, AwsError> {
        Ok(ListTaskDefinitionsRequest {
            family_prefix: opt_str(r, "familyPrefix")?,
            status: opt_str(r, "status")?.unwrap_or("ACTIVE"),
            descending: opt_str(r, "sort")? == Some("DESC"),
            page: PageRequest::read(r)?,
        })
    }
}

pub(crate) struct DeleteTaskDefinitionsRequest {
    pub task_definitions: Vec<String>,
}

impl DeleteTaskDefinitionsRequest {
    pub fn read(r: &Value) -> Result<DeleteTaskDefinitionsRequest, AwsError> {
        Ok(DeleteTaskDefinitionsRequest {
            task_definitions: str_list(r, "taskDefinitions")?,
        })
    }
}
