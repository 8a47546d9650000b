//! Capacity providers, attributes, tags and DiscoverPollEndpoint.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::ops_cluster::with_token;
use super::paging::page;
use super::request::required;
use super::requests::{
    AttributesRequest, CapacityProviderRequest, DeleteCapacityProviderRequest,
    DescribeCapacityProvidersRequest, DiscoverPollEndpointRequest, ListAttributesRequest,
    ListTagsForResourceRequest, TagResourceRequest, UntagResourceRequest,
};
use super::state::{
    CapacityProvider, CapacityProviderStatus, CapacityProviderUpdateStatus, ClusterStatus,
    ServiceStatus,
};
use super::{AwsError, CallResult, Ecs};

/// Custom attributes per container instance.
const MAX_CUSTOM_ATTRIBUTES: usize = 10;
/// An attribute a customer sets (not one of ECS's own `ecs.*` or
/// `com.amazonaws.*`): these count towards the limit.
fn is_custom(name: &str) -> bool {
    !name.starts_with("ecs.") && !name.starts_with("com.amazonaws")
}

/// Tags per resource (A6).
const MAX_TAGS: usize = 50;

impl Ecs {
    pub(crate) fn create_capacity_provider(&mut self, r: &Value) -> CallResult {
        let r = CapacityProviderRequest::read(r)?;
        let name = r.name.to_string();
        if name.starts_with("aws")
            || name.starts_with("ecs")
            || name.starts_with("fargate")
            || crate::place::capacity::is_fargate_provider(&name)
        {
            return Err(AwsError::invalid("The capacity provider name cannot be prefixed with \"aws\", \"ecs\", or \"fargate\"."));
        }
        if self
            .state
            .capacity_providers
            .iter()
            .any(|p| p.name == name && p.status == CapacityProviderStatus::Active)
        {
            return Err(AwsError::client(format!(
                "The capacity provider {name} already exists."
            )));
        }
        let asg = r
            .auto_scaling_group_provider
            .ok_or_else(|| required("autoScalingGroupProvider"))?;
        let asg_arn = asg
            .auto_scaling_group_arn
            .ok_or_else(|| required("autoScalingGroupArn"))?
            .to_string();
        let scaling = asg.managed_scaling.cloned().unwrap_or_else(|| json!({}));
        let get = |k: &str, d: u64| scaling.get(k).and_then(Value::as_u64).unwrap_or(d);
        let provider = CapacityProvider {
            name: name.clone(),
            arn: self.arn(&["capacity-provider", &name]),
            status: CapacityProviderStatus::Active,
            asg_arn,
            managed_scaling: scaling.get("status").and_then(Value::as_str) == Some("ENABLED"),
            target_capacity: get("targetCapacity", 100).clamp(1, 100) as u32,
            minimum_scaling_step_size: get("minimumScalingStepSize", 1).max(1) as u32,
            maximum_scaling_step_size: get("maximumScalingStepSize", 10_000).max(1) as u32,
            instance_warmup_period: get("instanceWarmupPeriod", 300) as u32,
            managed_termination_protection: asg
                .managed_termination_protection
                .unwrap_or("DISABLED")
                .to_string(),
            managed_draining: asg.managed_draining.unwrap_or("ENABLED").to_string(),
            raw_managed_scaling: scaling,
            tags: r.tags.to_vec(),
            update_status: None,
        };
        self.state.capacity_providers.push(provider);
        self.log(
            format!("capacity-provider/{name}"),
            "capacity-provider",
            "created".into(),
        );
        let index = self.state.capacity_providers.len() - 1;
        Ok(json!({"capacityProvider": self.capacity_provider_json(index)}))
    }

    pub(crate) fn describe_capacity_providers(&mut self, r: &Value) -> CallResult {
        let r = DescribeCapacityProvidersRequest::read(r)?;
        let names = r.capacity_providers;
        let mut found: Vec<Value> = Vec::new();
        let mut failures = Vec::new();
        let builtin = |name: &str, arn: String| json!({"capacityProviderArn": arn, "name": name, "status": "ACTIVE", "tags": []});
        if names.is_empty() {
            found.push(builtin(
                "FARGATE",
                self.arn(&["capacity-provider", "FARGATE"]),
            ));
            found.push(builtin(
                "FARGATE_SPOT",
                self.arn(&["capacity-provider", "FARGATE_SPOT"]),
            ));
            for i in 0..self.state.capacity_providers.len() {
                found.push(self.capacity_provider_json(i));
            }
        } else {
            for name in names {
                let short = super::state::short_name(&name);
                if crate::place::capacity::is_fargate_provider(short) {
                    found.push(builtin(short, self.arn(&["capacity-provider", short])));
                } else if let Some(i) = self
                    .state
                    .capacity_providers
                    .iter()
                    .rposition(|p| p.name == short)
                {
                    found.push(self.capacity_provider_json(i));
                } else {
                    failures.push(json!({"arn": name, "reason": "MISSING"}));
                }
            }
        }
        let (items, next) = page(&r.page, &found, 100)?;
        Ok(with_token(
            json!({"capacityProviders": items, "failures": failures}),
            next,
        ))
    }

    pub(crate) fn update_capacity_provider(&mut self, r: &Value) -> CallResult {
        let r = CapacityProviderRequest::read(r)?;
        let name = r.name;
        let index = self
            .state
            .capacity_providers
            .iter()
            .position(|p| p.name == name && p.status == CapacityProviderStatus::Active)
            .ok_or_else(|| AwsError::invalid("The specified capacity provider does not exist."))?;
        if let Some(asg) = r.auto_scaling_group_provider {
            let p = &mut self.state.capacity_providers[index];
            if let Some(scaling) = asg.managed_scaling {
                if let Some(status) = scaling.get("status").and_then(Value::as_str) {
                    p.managed_scaling = status == "ENABLED";
                }
                if let Some(t) = scaling.get("targetCapacity").and_then(Value::as_u64) {
                    p.target_capacity = t.clamp(1, 100) as u32;
                }
                p.raw_managed_scaling = scaling.clone();
            }
            if let Some(t) = asg.managed_termination_protection {
                p.managed_termination_protection = t.to_string();
            }
            p.update_status = Some(CapacityProviderUpdateStatus::UpdateComplete);
        }
        self.request_scaling_check();
        Ok(json!({"capacityProvider": self.capacity_provider_json(index)}))
    }

    pub(crate) fn delete_capacity_provider(&mut self, r: &Value) -> CallResult {
        let r = DeleteCapacityProviderRequest::read(r)?;
        let name = super::state::short_name(r.capacity_provider).to_string();
        let index = self
            .state
            .capacity_providers
            .iter()
            .position(|p| p.name == name && p.status == CapacityProviderStatus::Active)
            .ok_or_else(|| AwsError::invalid("The specified capacity provider does not exist."))?;
        let in_use = self
            .state
            .clusters
            .iter()
            .any(|c| c.status == ClusterStatus::Active && c.capacity_providers.contains(&name));
        if in_use {
            return Err(AwsError::new(
                "ResourceInUseException",
                "The specified capacity provider is in use and cannot be removed.",
            ));
        }
        self.state.capacity_providers[index].status = CapacityProviderStatus::Inactive;
        self.state.capacity_providers[index].update_status =
            Some(CapacityProviderUpdateStatus::DeleteComplete);
        Ok(json!({"capacityProvider": self.capacity_provider_json(index)}))
    }

    fn capacity_provider_json(&self, index: usize) -> Value {
        let Some(p) = self.state.capacity_providers.get(index) else {
            return Value::Null;
        };
        let mut scaling = p.raw_managed_scaling.clone();
        if let Some(o) = scaling.as_object_mut() {
            o.insert(
                "status".into(),
                json!(if p.managed_scaling {
                    "ENABLED"
                } else {
                    "DISABLED"
                }),
            );
            o.insert("targetCapacity".into(), json!(p.target_capacity));
            o.insert(
                "minimumScalingStepSize".into(),
                json!(p.minimum_scaling_step_size),
            );
            o.insert(
                "maximumScalingStepSize".into(),
                json!(p.maximum_scaling_step_size),
            );
            o.insert(
                "instanceWarmupPeriod".into(),
                json!(p.instance_warmup_period),
            );
        }
        let mut out = json!({
            "capacityProviderArn": p.arn,
            "name": p.name,
            "status": p.status.as_str(),
            "autoScalingGroupProvider": {
                "autoScalingGroupArn": p.asg_arn,
                "managedScaling": scaling,
                "managedTerminationProtection": p.managed_termination_protection,
                "managedDraining": p.managed_draining,
            },
            "tags": p.tags,
        });
        if let Some(update_status) = p.update_status {
            out["updateStatus"] = json!(update_status.as_str());
        }
        out
    }

    pub(crate) fn put_attributes(&mut self, r: &Value) -> CallResult {
        let r = AttributesRequest::read(r, true)?;
        let ci = self.cluster_named(r.cluster)?;
        let targets = self.attribute_targets(ci, &r)?;
        // Every attribute is checked against its instance's limit, counting
        // the names the request adds before it, before any is applied.
        let mut added: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
        for (a, &index) in r.attributes.iter().zip(&targets) {
            let attributes = &self.state.instances[index].attributes;
            let new_here = added.entry(index).or_default();
            let custom = attributes.keys().filter(|k| is_custom(k)).count()
                + new_here.iter().filter(|k| is_custom(k)).count();
            let new = !attributes.contains_key(a.name) && !new_here.contains(a.name);
            if new && custom >= MAX_CUSTOM_ATTRIBUTES {
                return Err(AwsError::new(
                    "AttributeLimitExceededException",
                    "You can apply up to 10 custom attributes to a resource.",
                ));
            }
            if new {
                new_here.insert(a.name);
            }
        }
        for (a, index) in r.attributes.iter().zip(targets) {
            self.state.instances[index]
                .attributes
                .insert(a.name.to_string(), a.value.to_string());
            self.state.sync_host(index);
        }
        self.wake_cluster(ci);
        Ok(json!({"attributes": r.given}))
    }

    pub(crate) fn delete_attributes(&mut self, r: &Value) -> CallResult {
        let r = AttributesRequest::read(r, false)?;
        let ci = self.cluster_named(r.cluster)?;
        let targets = self.attribute_targets(ci, &r)?;
        for (a, index) in r.attributes.iter().zip(targets) {
            self.state.instances[index].attributes.remove(a.name);
            self.state.sync_host(index);
        }
        Ok(json!({"attributes": r.given}))
    }

    /// The instance of each attribute's `targetId`, all found before any
    /// attribute is put or deleted.
    fn attribute_targets(
        &self,
        ci: usize,
        r: &AttributesRequest<'_>,
    ) -> Result<Vec<usize>, AwsError> {
        r.attributes
            .iter()
            .map(|a| {
                self.state.instance_index(ci, a.target_id).ok_or_else(|| {
                    AwsError::new(
                        "TargetNotFoundException",
                        format!("Could not find {}.", a.target_id),
                    )
                })
            })
            .collect()
    }

    pub(crate) fn list_attributes(&mut self, r: &Value) -> CallResult {
        let r = ListAttributesRequest::read(r)?;
        let ci = self.cluster_named(r.cluster)?;
        let target_type = r.target_type;
        if target_type != "container-instance" {
            return Err(AwsError::invalid("targetType must be container-instance."));
        }
        let (name, value) = (r.attribute_name, r.attribute_value);
        if value.is_some() && name.is_none() {
            return Err(AwsError::invalid(
                "attributeValue can only be specified with attributeName.",
            ));
        }
        let found: Vec<Value> = self
            .state
            .instances
            .iter()
            .filter(|i| i.cluster == ci && !i.terminated)
            .flat_map(|i| {
                i.attributes.iter().filter_map(move |(k, v)| {
                    if name.is_some_and(|n| n != k) || value.is_some_and(|x| x != v) {
                        return None;
                    }
                    let mut a =
                        json!({"name": k, "targetType": "container-instance", "targetId": i.arn});
                    if !v.is_empty() {
                        a["value"] = json!(v);
                    }
                    Some(a)
                })
            })
            .collect();
        let (items, next) = page(&r.page, &found, 100)?;
        Ok(with_token(json!({"attributes": items}), next))
    }

    /// The tag list of the resource an ARN names, if it exists.
    fn tags_of(&mut self, arn: &str) -> Option<&mut Vec<Value>> {
        let st = &mut self.state;
        if let Some(c) = st
            .clusters
            .iter_mut()
            .find(|c| c.arn == arn && c.status == ClusterStatus::Active)
        {
            return Some(&mut c.tags);
        }
        if let Some(s) = st
            .services
            .iter_mut()
            .find(|s| s.arn == arn && s.status != ServiceStatus::Inactive)
        {
            return Some(&mut s.tags);
        }
        if let Some(t) = st.tasks.values_mut().find(|t| t.arn == arn) {
            return Some(&mut t.tags);
        }
        if let Some(i) = st
            .instances
            .iter_mut()
            .find(|i| i.arn == arn && !i.terminated)
        {
            return Some(&mut i.tags);
        }
        if let Some(p) = st.capacity_providers.iter_mut().find(|p| p.arn == arn) {
            return Some(&mut p.tags);
        }
        st.families
            .values_mut()
            .flat_map(|f| f.revisions.values_mut())
            .find(|td| td.arn == arn)
            .map(|td| &mut td.tags)
    }

    pub(crate) fn tag_resource(&mut self, r: &Value) -> CallResult {
        let r = TagResourceRequest::read(r)?;
        let arn = r.resource_arn.to_string();
        let new = r.tags.to_vec();
        let existing = self.tags_of(&arn).ok_or_else(|| {
            AwsError::new(
                "ResourceNotFoundException",
                "The specified resource could not be found.",
            )
        })?;
        let mut merged = existing.clone();
        for tag in new {
            match merged.iter_mut().find(|t| t.get("key") == tag.get("key")) {
                Some(slot) => *slot = tag,
                None => merged.push(tag),
            }
        }
        if merged.len() > MAX_TAGS {
            return Err(AwsError::invalid("A resource can have at most 50 tags."));
        }
        *existing = merged;
        Ok(json!({}))
    }

    pub(crate) fn untag_resource(&mut self, r: &Value) -> CallResult {
        let r = UntagResourceRequest::read(r)?;
        let arn = r.resource_arn.to_string();
        let keys = r.tag_keys;
        let existing = self.tags_of(&arn).ok_or_else(|| {
            AwsError::new(
                "ResourceNotFoundException",
                "The specified resource could not be found.",
            )
        })?;
        existing.retain(|t| {
            !t.get("key")
                .and_then(Value::as_str)
                .is_some_and(|k| keys.iter().any(|x| x == k))
        });
        Ok(json!({}))
    }

    pub(crate) fn list_tags_for_resource(&mut self, r: &Value) -> CallResult {
        let arn = ListTagsForResourceRequest::read(r)?
            .resource_arn
            .to_string();
        let existing = self.tags_of(&arn).ok_or_else(|| {
            AwsError::new(
                "ResourceNotFoundException",
                "The specified resource could not be found.",
            )
        })?;
        Ok(json!({"tags": existing.clone()}))
    }

    pub(crate) fn discover_poll_endpoint(&mut self, r: &Value) -> CallResult {
        DiscoverPollEndpointRequest::read(r)?;
        let region = &self.config.region;
        Ok(json!({
            "endpoint": format!("https://ecs-a-1.{region}.amazonaws.com/"),
            "telemetryEndpoint": format!("https://ecs-t-1.{region}.amazonaws.com/"),
            "serviceConnectEndpoint": format!("https://ecs-sc.{region}.api.aws"),
        }))
    }
}
