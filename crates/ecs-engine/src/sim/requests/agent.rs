//! The requests the container agent sends: SubmitTaskStateChange,
//! SubmitContainerStateChange and SubmitAttachmentStateChanges.

use serde_json::Value;

use super::super::request::{list, opt_bool, opt_int, opt_str, opt_timestamp, req_str};
use super::super::AwsError;
use super::cluster;

pub(crate) struct SubmitTaskStateChangeRequest<'a> {
    pub cluster: &'a str,
    pub task: Option<&'a str>,
    pub status: Option<&'a str>,
    pub reason: Option<&'a str>,
}

impl<'a> SubmitTaskStateChangeRequest<'a> {
    pub fn read(r: &'a Value) -> Result<SubmitTaskStateChangeRequest<'a>, AwsError> {
        let request = SubmitTaskStateChangeRequest {
            cluster: cluster(r)?,
            task: opt_str(r, "task")?,
            status: opt_str(r, "status")?,
            reason: opt_str(r, "reason")?,
        };
        // The members the simulator does not act on, read for their types.
        list(r, "containers")?;
        list(r, "attachments")?;
        list(r, "managedAgents")?;
        for key in ["pullStartedAt", "pullStoppedAt", "executionStoppedAt"] {
            opt_timestamp(r, key)?;
        }
        Ok(request)
    }
}

pub(crate) struct SubmitContainerStateChangeRequest<'a> {
    pub cluster: &'a str,
    pub task: Option<&'a str>,
    pub container_name: Option<&'a str>,
}

impl<'a> SubmitContainerStateChangeRequest<'a> {
    pub fn read(r: &'a Value) -> Result<SubmitContainerStateChangeRequest<'a>, AwsError> {
        let request = SubmitContainerStateChangeRequest {
            cluster: cluster(r)?,
            task: opt_str(r, "task")?,
            container_name: opt_str(r, "containerName")?,
        };
        // The members the simulator does not act on, read for their types.
        for key in ["runtimeId", "status", "reason"] {
            opt_str(r, key)?;
        }
        opt_int(r, "exitCode")?;
        list(r, "networkBindings")?;
        Ok(request)
    }
}

pub(crate) struct SubmitAttachmentStateChangesRequest<'a> {
    pub cluster: &'a str,
}

impl<'a> SubmitAttachmentStateChangesRequest<'a> {
    pub fn read(r: &'a Value) -> Result<SubmitAttachmentStateChangesRequest<'a>, AwsError> {
        // Each `AttachmentStateChange` needs its ARN and status; the
        // simulator only acknowledges them.
        for attachment in list(r, "attachments")? {
            req_str(attachment, "attachmentArn")?;
            req_str(attachment, "status")?;
        }
        Ok(SubmitAttachmentStateChangesRequest {
            cluster: cluster(r)?,
        })
    }
}

/// DiscoverPollEndpoint: the agent's instance and cluster; every agent
/// polls the same simulated endpoint.
pub(crate) struct DiscoverPollEndpointRequest;

impl DiscoverPollEndpointRequest {
    pub fn read(r: &Value) -> Result<DiscoverPollEndpointRequest, AwsError> {
        opt_str(r, "containerInstance")?;
        opt_str(r, "cluster")?;
        Ok(DiscoverPollEndpointRequest)
    }
}

pub(crate) struct ExecuteCommandRequest<'a> {
    pub cluster: &'a str,
    pub container: Option<&'a str>,
    pub interactive: Option<bool>,
    pub task: &'a str,
}

impl<'a> ExecuteCommandRequest<'a> {
    pub fn read(r: &'a Value) -> Result<ExecuteCommandRequest<'a>, AwsError> {
        // No session is opened: the command is read for its presence.
        req_str(r, "command")?;
        Ok(ExecuteCommandRequest {
            cluster: cluster(r)?,
            interactive: opt_bool(r, "interactive")?,
            task: req_str(r, "task")?,
            container: opt_str(r, "container")?,
        })
    }
}
