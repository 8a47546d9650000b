//! The requests of the container-instance operations: Register,
//! Deregister, Describe, List and UpdateContainerInstancesState, and
//! UpdateContainerAgent's.

use serde_json::Value;

use super::super::paging::PageRequest;
use super::super::request::{list, opt_bool, opt_int, opt_object, opt_str, req_str, str_list};
use super::super::AwsError;
use super::cluster;

/// A container instance of a cluster (DeregisterContainerInstance with
/// its `force`, UpdateContainerAgent).
pub(crate) struct ContainerInstanceRequest<'a> {
    pub cluster: &'a str,
    pub container_instance: &'a str,
    pub force: bool,
}

impl<'a> ContainerInstanceRequest<'a> {
    pub fn read(r: &'a Value) -> Result<ContainerInstanceRequest<'a>, AwsError> {
        Ok(ContainerInstanceRequest {
            cluster: cluster(r)?,
            container_instance: req_str(r, "containerInstance")?,
            force: opt_bool(r, "force")?.unwrap_or(false),
        })
    }
}

pub(crate) struct RegisterContainerInstanceRequest<'a> {
    pub cluster: &'a str,
    /// The EC2 instance identity document, as JSON text.
    pub instance_identity_document: Option<&'a str>,
    /// CPU and MEMORY of `totalResources` (their `integerValue`).
    pub cpu: Option<u32>,
    pub memory: Option<u32>,
    /// `(name, value)` of each attribute with a name.
    pub attributes: Vec<(String, String)>,
    pub version_info: Option<&'a Value>,
    pub tags: &'a [Value],
}

impl<'a> RegisterContainerInstanceRequest<'a> {
    pub fn read(r: &'a Value) -> Result<RegisterContainerInstanceRequest<'a>, AwsError> {
        let (mut cpu, mut memory) = (None, None);
        for resource in list(r, "totalResources")? {
            // Other resources (PORTS, GPU …) and other value members are
            // not simulated; a value out of range counts as none.
            let value = opt_int(resource, "integerValue")?.and_then(|v| u32::try_from(v).ok());
            match (opt_str(resource, "name")?, value) {
                (Some("CPU"), Some(v)) => cpu = Some(v),
                (Some("MEMORY"), Some(v)) => memory = Some(v),
                _ => {}
            }
        }
        let attributes = list(r, "attributes")?
            .iter()
            .filter_map(|a| {
                Some((
                    a.get("name")?.as_str()?.to_string(),
                    a.get("value")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                ))
            })
            .collect();
        let request = RegisterContainerInstanceRequest {
            cluster: cluster(r)?,
            instance_identity_document: opt_str(r, "instanceIdentityDocument")?,
            cpu,
            memory,
            attributes,
            version_info: opt_object(r, "versionInfo")?,
            tags: list(r, "tags")?,
        };
        // Not simulated: read for their types.
        opt_str(r, "instanceIdentityDocumentSignature")?;
        opt_str(r, "containerInstanceArn")?;
        list(r, "platformDevices")?;
        Ok(request)
    }
}

pub(crate) struct DescribeContainerInstancesRequest<'a> {
    pub cluster: &'a str,
    pub container_instances: Vec<String>,
}

impl<'a> DescribeContainerInstancesRequest<'a> {
    pub fn read(r: &'a Value) -> Result<DescribeContainerInstancesRequest<'a>, AwsError> {
        // Every instance is answered with its health: `include` is read
        // for its type.
        str_list(r, "include")?;
        Ok(DescribeContainerInstancesRequest {
            cluster: cluster(r)?,
            container_instances: str_list(r, "containerInstances")?,
        })
    }
}

pub(crate) struct ListContainerInstancesRequest<'a> {
    pub cluster: &'a str,
    pub filter: Option<&'a str>,
    pub status: Option<&'a str>,
    pub page: PageRequest<'a>,
}

impl<'a> ListContainerInstancesRequest<'a> {
    pub fn read(r: &'a Value) -> Result<ListContainerInstancesRequest<'a>, AwsError> {
        Ok(ListContainerInstancesRequest {
            cluster: cluster(r)?,
            filter: opt_str(r, "filter")?,
            status: opt_str(r, "status")?,
            page: PageRequest::read(r)?,
        })
    }
}

pub(crate) struct UpdateContainerInstancesStateRequest<'a> {
    pub cluster: &'a str,
    pub container_instances: Vec<String>,
    pub status: &'a str,
}

impl<'a> UpdateContainerInstancesStateRequest<'a> {
    pub fn read(r: &'a Value) -> Result<UpdateContainerInstancesStateRequest<'a>, AwsError> {
        Ok(UpdateContainerInstancesStateRequest {
            cluster: cluster(r)?,
            status: req_str(r, "status")?,
            container_instances: str_list(r, "containerInstances")?,
        })
    }
}
