//! The requests of the simulator's own calls (`Simulator.*`), read as the
//! ECS operations' are: every member once, before the call acts.

use serde_json::Value;

use super::super::request::{
    list, opt_f64, opt_int, opt_object, opt_str, opt_u32, req_str, str_list,
};
use super::super::AwsError;
use super::cluster;

pub(crate) struct LaunchInstancesRequest<'a> {
    pub cluster: &'a str,
    /// m5.large when omitted.
    pub instance_type: &'a str,
    /// 1 when omitted.
    pub count: u32,
    /// `availabilityZones`, then `availabilityZone`.
    pub availability_zones: Vec<String>,
    /// Custom attributes: an object of names to values.
    pub attributes: Option<&'a Value>,
    pub capacity_provider: Option<&'a str>,
}

impl<'a> LaunchInstancesRequest<'a> {
    pub fn read(r: &'a Value) -> Result<LaunchInstancesRequest<'a>, AwsError> {
        let mut availability_zones = str_list(r, "availabilityZones")?;
        if let Some(z) = opt_str(r, "availabilityZone")? {
            availability_zones.push(z.to_string());
        }
        Ok(LaunchInstancesRequest {
            cluster: cluster(r)?,
            instance_type: opt_str(r, "instanceType")?.unwrap_or("m5.large"),
            count: opt_u32(r, "count")?.unwrap_or(1),
            availability_zones,
            attributes: opt_object(r, "attributes")?,
            capacity_provider: opt_str(r, "capacityProvider")?,
        })
    }
}

/// TerminateInstances: container instances of a cluster.
pub(crate) struct TerminateInstancesRequest<'a> {
    pub cluster: &'a str,
    pub container_instances: Vec<String>,
}

impl<'a> TerminateInstancesRequest<'a> {
    pub fn read(r: &'a Value) -> Result<TerminateInstancesRequest<'a>, AwsError> {
        Ok(TerminateInstancesRequest {
            cluster: cluster(r)?,
            container_instances: str_list(r, "containerInstances")?,
        })
    }
}

/// SetInstanceState: a status for the instances a query selects.
pub(crate) struct SetInstanceStateRequest<'a> {
    pub cluster: &'a str,
    pub filter: &'a str,
    pub status: &'a str,
}

impl<'a> SetInstanceStateRequest<'a> {
    pub fn read(r: &'a Value) -> Result<SetInstanceStateRequest<'a>, AwsError> {
        Ok(SetInstanceStateRequest {
            cluster: cluster(r)?,
            filter: req_str(r, "filter")?,
            status: req_str(r, "status")?,
        })
    }
}

pub(crate) struct CreateAutoScalingGroupRequest<'a> {
    pub name: &'a str,
    /// The cluster its instances register with (`default` when omitted).
    pub cluster: Option<&'a str>,
    /// m5.large when omitted.
    pub instance_type: &'a str,
    pub availability_zones: Vec<String>,
    pub min_size: Option<u32>,
    pub max_size: Option<u32>,
    pub desired_capacity: Option<u32>,
    pub launch_seconds: Option<u32>,
    pub attributes: Option<&'a Value>,
}

impl<'a> CreateAutoScalingGroupRequest<'a> {
    pub fn read(r: &'a Value) -> Result<CreateAutoScalingGroupRequest<'a>, AwsError> {
        Ok(CreateAutoScalingGroupRequest {
            name: req_str(r, "name")?,
            cluster: opt_str(r, "cluster")?,
            instance_type: opt_str(r, "instanceType")?.unwrap_or("m5.large"),
            availability_zones: str_list(r, "availabilityZones")?,
            min_size: opt_u32(r, "minSize")?,
            max_size: opt_u32(r, "maxSize")?,
            desired_capacity: opt_u32(r, "desiredCapacity")?,
            launch_seconds: opt_u32(r, "launchSeconds")?,
            attributes: opt_object(r, "attributes")?,
        })
    }
}

pub(crate) struct SetDesiredCapacityRequest<'a> {
    pub auto_scaling_group_name: &'a str,
    pub desired_capacity: u32,
}

impl<'a> SetDesiredCapacityRequest<'a> {
    pub fn read(r: &'a Value) -> Result<SetDesiredCapacityRequest<'a>, AwsError> {
        Ok(SetDesiredCapacityRequest {
            auto_scaling_group_name: req_str(r, "autoScalingGroupName")?,
            desired_capacity: opt_u32(r, "desiredCapacity")?
                .ok_or_else(|| AwsError::invalid("desiredCapacity is required"))?,
        })
    }
}

/// SetImageBehavior: how containers of an image behave; `None` keeps the
/// default.
pub(crate) struct SetImageBehaviorRequest<'a> {
    pub image: &'a str,
    pub pull_seconds: Option<f64>,
    pub start_seconds: Option<f64>,
    pub stop_seconds: Option<f64>,
    /// `(atSeconds, healthy)`.
    pub health: Vec<(f64, bool)>,
    pub exit_after_seconds: Option<f64>,
    pub exit_code: Option<i64>,
    pub start_failure: Option<&'a str>,
}

impl<'a> SetImageBehaviorRequest<'a> {
    pub fn read(r: &'a Value) -> Result<SetImageBehaviorRequest<'a>, AwsError> {
        let image = req_str(r, "image")?;
        let mut health = Vec::new();
        for h in list(r, "health")? {
            let at = opt_f64(h, "atSeconds")?.unwrap_or(0.0);
            let healthy = match opt_str(h, "status")?.unwrap_or("HEALTHY") {
                "HEALTHY" => true,
                "UNHEALTHY" => false,
                other => {
                    return Err(AwsError::invalid(format!(
                        "health status {other} must be HEALTHY or UNHEALTHY"
                    )))
                }
            };
            health.push((at, healthy));
        }
        Ok(SetImageBehaviorRequest {
            image,
            pull_seconds: opt_f64(r, "pullSeconds")?,
            start_seconds: opt_f64(r, "startSeconds")?,
            stop_seconds: opt_f64(r, "stopSeconds")?,
            health,
            exit_after_seconds: opt_f64(r, "exitAfterSeconds")?,
            exit_code: opt_int(r, "exitCode")?,
            start_failure: opt_str(r, "startFailure")?,
        })
    }
}

pub(crate) struct InjectFaultRequest<'a> {
    /// INSTANCE_FAILURE, AGENT_DISCONNECT, AGENT_RECONNECT or SPOT_INTERRUPTION.
    pub kind: &'a str,
    pub cluster: &'a str,
    /// The instance of the instance faults.
    pub container_instance: Option<&'a str>,
    /// The task of SPOT_INTERRUPTION.
    pub task: Option<&'a str>,
}

impl<'a> InjectFaultRequest<'a> {
    pub fn read(r: &'a Value) -> Result<InjectFaultRequest<'a>, AwsError> {
        Ok(InjectFaultRequest {
            kind: req_str(r, "type")?,
            cluster: cluster(r)?,
            container_instance: opt_str(r, "containerInstance")?,
            task: opt_str(r, "task")?,
        })
    }
}

/// AdvanceClock: by `seconds`, or to `to` (virtual seconds).
pub(crate) struct AdvanceClockRequest {
    pub seconds: Option<f64>,
    pub to: Option<f64>,
}

impl AdvanceClockRequest {
    pub fn read(r: &Value) -> Result<AdvanceClockRequest, AwsError> {
        Ok(AdvanceClockRequest {
            seconds: opt_f64(r, "seconds")?,
            to: opt_f64(r, "to")?,
        })
    }
}
