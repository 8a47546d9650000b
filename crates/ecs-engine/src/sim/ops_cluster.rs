//! Cluster operations: Create, Delete, Describe, List, Update,
//! UpdateClusterSettings and PutClusterCapacityProviders.

use serde_json::{json, Value};

use super::paging::page;
use super::requests::{
    CreateClusterRequest, DeleteClusterRequest, DescribeClustersRequest, ListClustersRequest,
    PutClusterCapacityProvidersRequest, UpdateClusterRequest,
};
use super::state::{CapacityProviderStatus, Cluster, ClusterStatus, ServiceStatus, StrategyItem};
use super::{AwsError, CallResult, Ecs};

/// How long a cluster with Auto Scaling group capacity providers stays
/// PROVISIONING after CreateCluster.
const CLUSTER_PROVISIONING_MS: u64 = 5_000;

impl Ecs {
    /// The cluster of that name or ARN, or ECS's ClusterNotFoundException.
    pub(crate) fn cluster_named(&self, name: &str) -> Result<usize, AwsError> {
        self.state
            .cluster_index(name)
            .ok_or_else(AwsError::cluster_not_found)
    }

    pub(crate) fn create_cluster(&mut self, r: &Value) -> CallResult {
        let r = CreateClusterRequest::read(r)?;
        let name = r.cluster_name.to_string();
        if let Some(ci) = self.state.cluster_index(&name) {
            // CreateCluster is idempotent for an existing ACTIVE cluster.
            return Ok(json!({"cluster": self.cluster_json(ci, &[])}));
        }
        let providers = r.capacity_providers;
        let default_strategy = r.default_capacity_provider_strategy;
        self.check_strategy_providers(&providers, &default_strategy)?;
        let namespace = r
            .service_connect_namespace
            .filter(|n| !n.is_empty())
            .map(str::to_string);
        if let Some(ns) = &namespace {
            self.state.namespaces.insert(ns.clone());
        }
        let arn = self.arn(&["cluster", &name]);
        let settings = r.settings.to_vec();
        let settings = if settings.is_empty() {
            // The account's containerInsights setting is new clusters' default.
            vec![
                json!({"name": "containerInsights", "value": self.account_setting("containerInsights")}),
            ]
        } else {
            settings
        };
        let cluster = Cluster {
            name: name.clone(),
            arn: arn.clone(),
            status: ClusterStatus::Active,
            settings,
            configuration: r.configuration.cloned(),
            capacity_providers: providers,
            default_strategy,
            service_connect_namespace: namespace,
            tags: r.tags.to_vec(),
        };
        let attaches_groups = cluster
            .capacity_providers
            .iter()
            .any(|p| !crate::place::capacity::is_fargate_provider(p));
        self.state.clusters.push(cluster);
        self.log(
            format!("cluster/{name}"),
            "cluster",
            "cluster created".into(),
        );
        let ci = self.state.clusters.len() - 1;
        if attaches_groups {
            // AWS: PROVISIONING while the capacity providers' resources
            // are created (how long is not documented: an approximation).
            let until = self.now.saturating_add(CLUSTER_PROVISIONING_MS);
            self.state.ops.cluster_active_at.insert(ci, until);
        }
        Ok(
            json!({"cluster": self.cluster_json(ci, &["ATTACHMENTS", "SETTINGS", "CONFIGURATIONS", "TAGS"])}),
        )
    }

    fn check_strategy_providers(
        &self,
        providers: &[String],
        default_strategy: &[StrategyItem],
    ) -> Result<(), AwsError> {
        for name in providers {
            let known = name == "FARGATE"
                || name == "FARGATE_SPOT"
                || self
                    .state
                    .capacity_providers
                    .iter()
                    .any(|p| &p.name == name && p.status == CapacityProviderStatus::Active);
            if !known {
                return Err(AwsError::invalid(format!(
                    "The specified capacity provider '{name}' does not exist."
                )));
            }
        }
        for item in default_strategy {
            if !providers.contains(&item.capacity_provider) {
                return Err(AwsError::invalid(format!(
                    "The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again. ({})",
                    item.capacity_provider
                )));
            }
        }
        Ok(())
    }

    pub(crate) fn delete_cluster(&mut self, r: &Value) -> CallResult {
        let name = DeleteClusterRequest::read(r)?.cluster;
        let ci = self
            .state
            .cluster_index(name)
            .ok_or_else(AwsError::cluster_not_found)?;
        if self
            .state
            .instances
            .iter()
            .any(|i| i.cluster == ci && !i.terminated)
        {
            return Err(AwsError::new(
                "ClusterContainsContainerInstancesException",
                "The Cluster cannot be deleted while Container Instances are active or draining.",
            ));
        }
        if self
            .state
            .services
            .iter()
            .any(|s| s.cluster == ci && s.status != ServiceStatus::Inactive)
        {
            return Err(AwsError::new(
                "ClusterContainsServicesException",
                "The Cluster cannot be deleted while Services are active.",
            ));
        }
        if self
            .state
            .tasks
            .values()
            .any(|t| t.cluster == ci && t.is_live())
        {
            return Err(AwsError::new(
                "ClusterContainsTasksException",
                "The Cluster cannot be deleted while Tasks are active.",
            ));
        }
        if let Some(cluster) = self.state.clusters.get_mut(ci) {
            cluster.status = ClusterStatus::Inactive;
        }
        let label = format!("cluster/{}", self.state.clusters[ci].name);
        self.log(label, "cluster", "cluster deleted".into());
        Ok(json!({"cluster": self.cluster_json(ci, &[])}))
    }

    pub(crate) fn describe_clusters(&mut self, r: &Value) -> CallResult {
        let r = DescribeClustersRequest::read(r)?;
        let (names, include) = (r.clusters, r.include);
        let include: Vec<&str> = include.iter().map(String::as_str).collect();
        let mut clusters = Vec::new();
        let mut failures = Vec::new();
        for name in &names {
            let short = super::state::short_name(name);
            // Deleted clusters stay describable as INACTIVE.
            let found = self
                .state
                .clusters
                .iter()
                .enumerate()
                .rev()
                .find(|(_, c)| c.name == short)
                .map(|(i, _)| i);
            match found {
                Some(ci) => clusters.push(self.cluster_json(ci, &include)),
                None => failures.push(json!({
                    "arn": self.arn(&["cluster", short]),
                    "reason": "MISSING",
                })),
            }
        }
        Ok(super::response([
            ("clusters", Value::Array(clusters)),
            ("failures", Value::Array(failures)),
        ]))
    }

    pub(crate) fn list_clusters(&mut self, r: &Value) -> CallResult {
        let r = ListClustersRequest::read(r)?;
        let arns: Vec<String> = self
            .state
            .clusters
            .iter()
            .filter(|c| c.status == ClusterStatus::Active)
            .map(|c| c.arn.clone())
            .collect();
        let (items, next) = page(&r.page, &arns, 100)?;
        Ok(with_token(json!({"clusterArns": items}), next))
    }

    pub(crate) fn update_cluster(&mut self, r: &Value) -> CallResult {
        let r = UpdateClusterRequest::read(r)?;
        let ci = self.cluster_named(r.cluster)?;
        let settings = r.settings.cloned();
        let configuration = r.configuration.cloned();
        let namespace = r.service_connect_namespace.map(str::to_string);
        if let Some(ns) = namespace.as_ref().filter(|n| !n.is_empty()) {
            self.state.namespaces.insert(ns.clone());
        }
        if let Some(cluster) = self.state.clusters.get_mut(ci) {
            if let Some(settings) = settings {
                merge_settings(&mut cluster.settings, &settings);
            }
            if configuration.is_some() {
                cluster.configuration = configuration;
            }
            if let Some(ns) = namespace {
                // "" removes the default; the namespace itself stays.
                cluster.service_connect_namespace = (!ns.is_empty()).then_some(ns);
            }
        }
        Ok(json!({"cluster": self.cluster_json(ci, &["SETTINGS", "CONFIGURATIONS"])}))
    }

    pub(crate) fn update_cluster_settings(&mut self, r: &Value) -> CallResult {
        let r = UpdateClusterRequest::read(r)?;
        let ci = self.cluster_named(r.cluster)?;
        let settings = r.settings.cloned().unwrap_or_default();
        if let Some(cluster) = self.state.clusters.get_mut(ci) {
            merge_settings(&mut cluster.settings, &settings);
        }
        Ok(json!({"cluster": self.cluster_json(ci, &["SETTINGS"])}))
    }

    pub(crate) fn put_cluster_capacity_providers(&mut self, r: &Value) -> CallResult {
        let r = PutClusterCapacityProvidersRequest::read(r)?;
        let ci = self.cluster_named(r.cluster)?;
        let providers = r.capacity_providers;
        let default_strategy = r.default_capacity_provider_strategy;
        self.check_strategy_providers(&providers, &default_strategy)?;
        // A provider already associated with another cluster cannot be shared.
        for name in &providers {
            let elsewhere = self.state.clusters.iter().enumerate().any(|(i, c)| {
                i != ci
                    && c.status == ClusterStatus::Active
                    && c.capacity_providers.contains(name)
                    && name != "FARGATE"
                    && name != "FARGATE_SPOT"
            });
            if elsewhere {
                return Err(AwsError::new(
                    "ResourceInUseException",
                    format!(
                        "The capacity provider {name} is already associated with another cluster."
                    ),
                ));
            }
        }
        if let Some(cluster) = self.state.clusters.get_mut(ci) {
            cluster.capacity_providers = providers;
            cluster.default_strategy = default_strategy;
        }
        Ok(json!({"cluster": self.cluster_json(ci, &["ATTACHMENTS"])}))
    }

    /// The Cluster shape; `include` gates the optional parts (B-CL-05).
    pub(crate) fn cluster_json(&self, ci: usize, include: &[&str]) -> Value {
        let Some(c) = self.state.clusters.get(ci) else {
            return Value::Null;
        };
        let live_instances = self
            .state
            .instances
            .iter()
            .filter(|i| i.cluster == ci && !i.terminated)
            .count();
        let (mut running, mut pending) = (0u32, 0u32);
        let (mut running_ec2, mut running_fargate, mut pending_ec2, mut pending_fargate) =
            (0, 0, 0, 0);
        if c.status == ClusterStatus::Active {
            for t in self.state.tasks.values().filter(|t| t.cluster == ci) {
                let fargate = t.launch_type == "FARGATE";
                match t.last_status {
                    super::state::TaskStatus::Running => {
                        running += 1;
                        if fargate {
                            running_fargate += 1
                        } else {
                            running_ec2 += 1
                        }
                    }
                    super::state::TaskStatus::Pending => {
                        pending += 1;
                        if fargate {
                            pending_fargate += 1
                        } else {
                            pending_ec2 += 1
                        }
                    }
                    _ => {}
                }
            }
        }
        let services: Vec<_> = self
            .state
            .services
            .iter()
            .filter(|s| s.cluster == ci)
            .collect();
        let active = services
            .iter()
            .filter(|s| s.status == ServiceStatus::Active)
            .count();
        let provisioning = c.status == ClusterStatus::Active
            && self
                .state
                .ops
                .cluster_active_at
                .get(&ci)
                .is_some_and(|until| self.now < *until);
        let mut out = json!({
            "clusterArn": c.arn,
            "clusterName": c.name,
            "status": if provisioning { "PROVISIONING" } else { c.status.as_str() },
            "registeredContainerInstancesCount": live_instances,
            "runningTasksCount": running,
            "pendingTasksCount": pending,
            "activeServicesCount": active,
            "capacityProviders": c.capacity_providers,
            "defaultCapacityProviderStrategy": c.default_strategy.iter().map(StrategyItem::to_json).collect::<Vec<_>>(),
        });
        if let Some(ns) = &c.service_connect_namespace {
            out["serviceConnectDefaults"] = json!({"namespace": self.namespace_arn(ns)});
        }
        if include.contains(&"SETTINGS") {
            out["settings"] = json!(c.settings);
        }
        if include.contains(&"CONFIGURATIONS") {
            if let Some(conf) = &c.configuration {
                out["configuration"] = conf.clone();
            }
        }
        if include.contains(&"TAGS") {
            out["tags"] = json!(c.tags);
        }
        if include.contains(&"ATTACHMENTS") {
            let attachments: Vec<Value> = c
                .capacity_providers
                .iter()
                .filter(|p| !crate::place::capacity::is_fargate_provider(p))
                .enumerate()
                .map(|(n, p)| {
                    json!({
                        "id": format!("{:08x}-0000-4000-8000-{:012x}", ci, n),
                        "type": "as_policy",
                        "status": "ACTIVE",
                        "details": [{"name": "capacityProviderName", "value": p}],
                    })
                })
                .collect();
            out["attachments"] = json!(attachments);
            out["attachmentsStatus"] = json!(if provisioning {
                "UPDATE_IN_PROGRESS"
            } else {
                "UPDATE_COMPLETE"
            });
        }
        if include.contains(&"STATISTICS") {
            let is_fargate = |s: &&&super::state::Service| {
                s.launch_type.as_deref() == Some("FARGATE")
                    || s.strategy
                        .iter()
                        .flatten()
                        .any(|i| crate::place::capacity::is_fargate_provider(&i.capacity_provider))
            };
            let count = |status: ServiceStatus, fargate: bool| {
                services
                    .iter()
                    .filter(|s| s.status == status && is_fargate(s) == fargate)
                    .count()
            };
            out["statistics"] = json!([
                {"name": "runningEC2TasksCount", "value": running_ec2.to_string()},
                {"name": "runningFargateTasksCount", "value": running_fargate.to_string()},
                {"name": "pendingEC2TasksCount", "value": pending_ec2.to_string()},
                {"name": "pendingFargateTasksCount", "value": pending_fargate.to_string()},
                {"name": "activeEC2ServiceCount", "value": count(ServiceStatus::Active, false).to_string()},
                {"name": "activeFargateServiceCount", "value": count(ServiceStatus::Active, true).to_string()},
                {"name": "drainingEC2ServiceCount", "value": count(ServiceStatus::Draining, false).to_string()},
                {"name": "drainingFargateServiceCount", "value": count(ServiceStatus::Draining, true).to_string()},
            ]);
        }
        out
    }

    pub(crate) fn namespace_arn(&self, namespace: &str) -> String {
        if namespace.starts_with("arn:") {
            namespace.to_string()
        } else {
            crate::arn::arn_in_region(
                "servicediscovery",
                &self.config.region,
                &self.config.account,
                &format!("namespace/{namespace}"),
            )
        }
    }
}

/// Settings are replaced by name.
fn merge_settings(current: &mut Vec<Value>, updates: &[Value]) {
    for update in updates {
        let name = update.get("name");
        match current.iter_mut().find(|s| s.get("name") == name) {
            Some(slot) => *slot = update.clone(),
            None => current.push(update.clone()),
        }
    }
}

pub(crate) fn with_token(mut out: Value, next: Option<String>) -> Value {
    if let Some(token) = next {
        out["nextToken"] = json!(token);
    }
    out
}
