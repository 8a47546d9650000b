//! The requests of the task-definition operations.

use serde_json::Value;

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
