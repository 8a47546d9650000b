//! Every operation's request, read once into a typed struct before the
//! operation acts, one module per area (named as AWS's model names the
//! shapes: `RunTaskRequest` …); this module keeps the reads they share.
//!
//! Members are named and typed as in AWS's model (aws-model's
//! `RunTaskRequest` …); those the simulator acts on are kept, the others
//! are read for their types only (a request with a number for
//! `daemonName` fails as in AWS). Several operations of the same shape
//! share a struct (`TaskSetRequest`, `AttributesRequest` …). The
//! reads go through `sim::request`'s helpers rather than a serde derive, so
//! that a wrong type fails with the same AWS-shaped error as every other
//! operation's (`count: expected an integer`). Every member is read before
//! the operation looks anything up or changes anything: a request with a
//! badly typed member fails whole, as AWS's deserialisation makes it fail,
//! and changes nothing (`sim::tests_bad_members` checks every operation).
//! Strings and JSON members are borrowed from the request, not copied.

use serde_json::Value;

use super::request::{opt_str, str_list};
use super::AwsError;

mod account_setting;
mod agent;
mod attribute;
mod capacity_provider;
mod cluster;
mod container_instance;
mod service;
mod simulator;
mod tag;
mod task;
mod task_definition;
mod task_set;

pub(crate) use account_setting::{AccountSettingRequest, ListAccountSettingsRequest};
pub(crate) use agent::{
    DiscoverPollEndpointRequest, ExecuteCommandRequest, SubmitAttachmentStateChangesRequest,
    SubmitContainerStateChangeRequest, SubmitTaskStateChangeRequest,
};
pub(crate) use attribute::{AttributesRequest, ListAttributesRequest};
pub(crate) use capacity_provider::{
    CapacityProviderRequest, DeleteCapacityProviderRequest, DescribeCapacityProvidersRequest,
};
pub(crate) use cluster::{
    CreateClusterRequest, DeleteClusterRequest, DescribeClustersRequest, ListClustersRequest,
    PutClusterCapacityProvidersRequest, UpdateClusterRequest,
};
pub(crate) use container_instance::{
    ContainerInstanceRequest, DescribeContainerInstancesRequest, ListContainerInstancesRequest,
    RegisterContainerInstanceRequest, UpdateContainerInstancesStateRequest,
};
pub(crate) use service::{
    CreateServiceRequest, DeleteServiceRequest, DescribeArnsRequest, ListServiceDeploymentsRequest,
    ListServicesByNamespaceRequest, ListServicesRequest, StopServiceDeploymentRequest,
    UpdateServiceRequest,
};
pub(crate) use simulator::{
    AdvanceClockRequest, CreateAutoScalingGroupRequest, InjectFaultRequest, LaunchInstancesRequest,
    SetDesiredCapacityRequest, SetImageBehaviorRequest, SetInstanceStateRequest,
    TerminateInstancesRequest,
};
pub(crate) use tag::{ListTagsForResourceRequest, TagResourceRequest, UntagResourceRequest};
pub(crate) use task::{
    ListTasksRequest, RunTaskRequest, StartTaskRequest, StopTaskRequest, TaskProtectionRequest,
};
pub(crate) use task_definition::{
    DeleteTaskDefinitionsRequest, ListTaskDefinitionsRequest, RegisterTaskDefinitionRequest,
    TaskDefinitionRequest,
};
pub(crate) use task_set::{
    CreateTaskSetRequest, DescribeTaskSetsRequest, ServiceRef, TaskSetRequest,
};

/// The cluster a request addresses: `default` when it names none.
pub(crate) fn cluster(r: &Value) -> Result<&str, AwsError> {
    Ok(opt_str(r, "cluster")?.unwrap_or("default"))
}

/// DescribeTasks and DescribeServices: a cluster, the names or ARNs to
/// describe (`tasks` or `services`) and `include`.
pub(crate) struct DescribeRequest<'a> {
    pub cluster: &'a str,
    pub references: Vec<String>,
    /// `include` lists `TAGS`.
    pub with_tags: bool,
}

impl<'a> DescribeRequest<'a> {
    /// `list` is the member naming what to describe: `tasks` or `services`.
    pub fn read(r: &'a Value, list: &str) -> Result<DescribeRequest<'a>, AwsError> {
        Ok(DescribeRequest {
            cluster: cluster(r)?,
            references: str_list(r, list)?,
            with_tags: str_list(r, "include")?.iter().any(|i| i == "TAGS"),
        })
    }
}
