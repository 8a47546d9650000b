//! The requests of the capacity-provider operations: Create, Describe,
//! Update and DeleteCapacityProvider.

use serde_json::Value;

use super::super::paging::PageRequest;
use super::super::request::{list, opt_object, opt_str, req_str, str_list};
use super::super::AwsError;

/// `AutoScalingGroupProvider` (Create) or `AutoScalingGroupProviderUpdate`
/// (Update): `managedScaling` is kept as given, its members read leniently
/// as ECS's defaults fill them in.
pub(crate) struct AutoScalingGroupProvider<'a> {
    pub auto_scaling_group_arn: Option<&'a str>,
    pub managed_scaling: Option<&'a Value>,
    pub managed_termination_protection: Option<&'a str>,
    pub managed_draining: Option<&'a str>,
}

impl<'a> AutoScalingGroupProvider<'a> {
    fn read(r: &'a Value) -> Result<Option<AutoScalingGroupProvider<'a>>, AwsError> {
        let Some(asg) = opt_object(r, "autoScalingGroupProvider")? else {
            return Ok(None);
        };
        Ok(Some(AutoScalingGroupProvider {
            auto_scaling_group_arn: opt_str(asg, "autoScalingGroupArn")?,
            managed_scaling: opt_object(asg, "managedScaling")?,
            managed_termination_protection: opt_str(asg, "managedTerminationProtection")?,
            managed_draining: opt_str(asg, "managedDraining")?,
        }))
    }
}

/// CreateCapacityProvider and UpdateCapacityProvider.
pub(crate) struct CapacityProviderRequest<'a> {
    pub name: &'a str,
    pub auto_scaling_group_provider: Option<AutoScalingGroupProvider<'a>>,
    pub tags: &'a [Value],
}

impl<'a> CapacityProviderRequest<'a> {
    pub fn read(r: &'a Value) -> Result<CapacityProviderRequest<'a>, AwsError> {
        let request = CapacityProviderRequest {
            name: req_str(r, "name")?,
            auto_scaling_group_provider: AutoScalingGroupProvider::read(r)?,
            tags: list(r, "tags")?,
        };
        // Managed-instances providers are not simulated: their members are
        // read for their types.
        opt_str(r, "cluster")?;
        opt_object(r, "managedInstancesProvider")?;
        Ok(request)
    }
}

pub(crate) struct DescribeCapacityProvidersRequest<'a> {
    pub capacity_providers: Vec<String>,
    pub page: PageRequest<'a>,
}

impl<'a> DescribeCapacityProvidersRequest<'a> {
    pub fn read(r: &'a Value) -> Result<DescribeCapacityProvidersRequest<'a>, AwsError> {
        // Every provider is answered with its tags: `include` and the
        // managed-instances `cluster` are read for their types.
        opt_str(r, "cluster")?;
        str_list(r, "include")?;
        Ok(DescribeCapacityProvidersRequest {
            capacity_providers: str_list(r, "capacityProviders")?,
            page: PageRequest::read(r)?,
        })
    }
}

pub(crate) struct DeleteCapacityProviderRequest<'a> {
    pub capacity_provider: &'a str,
}

impl<'a> DeleteCapacityProviderRequest<'a> {
    pub fn read(r: &'a Value) -> Result<DeleteCapacityProviderRequest<'a>, AwsError> {
        opt_str(r, "cluster")?;
        Ok(DeleteCapacityProviderRequest {
            capacity_provider: req_str(r, "capacityProvider")?,
        })
    }
}
