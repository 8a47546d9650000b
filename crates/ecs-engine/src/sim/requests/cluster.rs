//! The requests of the cluster operations: Create, Delete, Describe, List,
//! Update, UpdateClusterSettings and PutClusterCapacityProviders.

use serde_json::Value;

use super::super::paging::PageRequest;
use super::super::request::{list, opt_list, opt_object, opt_str, req_str, str_list, strategy};
use super::super::state::StrategyItem;
use super::super::AwsError;
use super::cluster;

/// `serviceConnectDefaults.namespace`: `Some("")` removes the default.
fn namespace(r: &Value) -> Result<Option<&str>, AwsError> {
    match opt_object(r, "serviceConnectDefaults")? {
        None => Ok(None),
        Some(defaults) => Ok(Some(opt_str(defaults, "namespace")?.unwrap_or(""))),
    }
}

pub(crate) struct CreateClusterRequest<'a> {
    /// `default` when omitted.
    pub cluster_name: &'a str,
    pub tags: &'a [Value],
    pub settings: &'a [Value],
    pub configuration: Option<&'a Value>,
    pub capacity_providers: Vec<String>,
    pub default_capacity_provider_strategy: Vec<StrategyItem>,
    /// `serviceConnectDefaults.namespace`.
    pub service_connect_namespace: Option<&'a str>,
}

impl<'a> CreateClusterRequest<'a> {
    pub fn read(r: &'a Value) -> Result<CreateClusterRequest<'a>, AwsError> {
        Ok(CreateClusterRequest {
            cluster_name: opt_str(r, "clusterName")?.unwrap_or("default"),
            tags: list(r, "tags")?,
            settings: list(r, "settings")?,
            configuration: opt_object(r, "configuration")?,
            capacity_providers: str_list(r, "capacityProviders")?,
            default_capacity_provider_strategy: strategy(r, "defaultCapacityProviderStrategy")?
                .unwrap_or_default(),
            service_connect_namespace: namespace(r)?,
        })
    }
}

/// DeleteCluster: the cluster (required).
pub(crate) struct DeleteClusterRequest<'a> {
    pub cluster: &'a str,
}

impl<'a> DeleteClusterRequest<'a> {
    pub fn read(r: &'a Value) -> Result<DeleteClusterRequest<'a>, AwsError> {
        Ok(DeleteClusterRequest {
            cluster: req_str(r, "cluster")?,
        })
    }
}

pub(crate) struct DescribeClustersRequest {
    /// `default` when the list is empty.
    pub clusters: Vec<String>,
    pub include: Vec<String>,
}

impl DescribeClustersRequest {
    pub fn read(r: &Value) -> Result<DescribeClustersRequest, AwsError> {
        let mut clusters = str_list(r, "clusters")?;
        if clusters.is_empty() {
            clusters.push("default".into());
        }
        Ok(DescribeClustersRequest {
            clusters,
            include: str_list(r, "include")?,
        })
    }
}

/// UpdateCluster and UpdateClusterSettings: `None` leaves the cluster's own.
pub(crate) struct UpdateClusterRequest<'a> {
    pub cluster: &'a str,
    pub settings: Option<&'a Vec<Value>>,
    pub configuration: Option<&'a Value>,
    pub service_connect_namespace: Option<&'a str>,
}

impl<'a> UpdateClusterRequest<'a> {
    pub fn read(r: &'a Value) -> Result<UpdateClusterRequest<'a>, AwsError> {
        Ok(UpdateClusterRequest {
            cluster: cluster(r)?,
            settings: opt_list(r, "settings")?,
            configuration: opt_object(r, "configuration")?,
            service_connect_namespace: namespace(r)?,
        })
    }
}

pub(crate) struct PutClusterCapacityProvidersRequest<'a> {
    pub cluster: &'a str,
    pub capacity_providers: Vec<String>,
    pub default_capacity_provider_strategy: Vec<StrategyItem>,
}

impl<'a> PutClusterCapacityProvidersRequest<'a> {
    pub fn read(r: &'a Value) -> Result<PutClusterCapacityProvidersRequest<'a>, AwsError> {
        Ok(PutClusterCapacityProvidersRequest {
            cluster: cluster(r)?,
            capacity_providers: str_list(r, "capacityProviders")?,
            default_capacity_provider_strategy: strategy(r, "defaultCapacityProviderStrategy")?
                .unwrap_or_default(),
        })
    }
}

/// ListClusters: paging only.
pub(crate) struct ListClustersRequest<'a> {
    pub page: PageRequest<'a>,
}

impl<'a> ListClustersRequest<'a> {
    pub fn read(r: &'a Value) -> Result<ListClustersRequest<'a>, AwsError> {
        Ok(ListClustersRequest {
            page: PageRequest::read(r)?,
        })
    }
}
