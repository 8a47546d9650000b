//! Services: Create, Update, Delete, Describe, List, ListServicesByNamespace,
//! service deployments (List, Describe, Stop) and service revisions.

use std::collections::{BTreeMap, VecDeque};

use serde_json::{json, Value};

use super::ops_cluster::with_token;
use super::paging::page;
use super::request::{member, opt_str, opt_u32};
use super::requests::{
    CreateServiceRequest, DeleteServiceRequest, DescribeArnsRequest, DescribeRequest,
    ListServiceDeploymentsRequest, ListServicesByNamespaceRequest, ListServicesRequest,
    StopServiceDeploymentRequest, UpdateServiceRequest,
};
use super::state::{
    Deployment, DeploymentConfig, DeploymentStatus, RolloutState, Service, ServiceDeploymentStatus,
    ServiceRevision, ServiceStatus, StrategyItem, TaskStatus,
};
use super::{AwsError, CallResult, Ecs};

/// Services per DescribeServices call.
const MAX_DESCRIBE_SERVICES: usize = 10;

impl Ecs {
    pub(crate) fn create_service(&mut self, r: &Value) -> CallResult {
        let q = CreateServiceRequest::read(r)?;
        let ci = self.cluster_named(q.cluster)?;
        let name = q.service_name.to_string();
        if let Some(existing) = self.state.service_index(ci, &name) {
            if self
                .state
                .services
                .get(existing)
                .is_some_and(|s| s.status != ServiceStatus::Inactive)
            {
                return Err(AwsError::invalid("Creation of service was not idempotent."));
            }
        }
        let controller = q.deployment_controller.map(str::to_string);
        let external = controller.as_deref() == Some("EXTERNAL");
        // An EXTERNAL service's task definition belongs to its task sets.
        let td = match q.task_definition {
            None if external => None,
            reference => {
                let reference =
                    reference.ok_or_else(|| AwsError::invalid("taskDefinition is required."))?;
                Some(self.service_task_definition(reference)?)
            }
        };
        let daemon = q.daemon;
        let desired = q.desired_count;
        if daemon && desired.is_some_and(|d| d > 0) {
            return Err(AwsError::invalid(
                "The daemon scheduling strategy does not support a desired count for services.",
            ));
        }
        let desired = if daemon { 0 } else { desired.unwrap_or(0) };
        if desired > 5000 {
            return Err(AwsError::invalid(
                "desiredCount can be at most 5000 tasks per service.",
            ));
        }
        let launch_type = q.launch_type.map(str::to_string);
        let requested = q.capacity_provider_strategy;
        if let Some(st) = &requested {
            super::placement::validate_strategy(st)?;
        }
        if launch_type.is_some() && requested.is_some() {
            return Err(AwsError::invalid("Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again."));
        }
        let strategy = self.effective_strategy(ci, launch_type.as_deref(), requested.as_deref());
        let launch_type = match (&launch_type, &strategy) {
            (None, None) if !external => Some("EC2".to_string()),
            (lt, _) => lt.clone(),
        };
        let config = parse_deployment_config(q.deployment_configuration, daemon, None)?;
        let (service_connect, namespace) =
            self.service_connect_of(ci, q.service_connect_configuration)?;
        let arn = {
            let cluster = &self.state.clusters[ci].name;
            self.arn_in_format("serviceLongArnFormat", "service", cluster, &name)
        };
        let service = Service {
            name: name.clone(),
            arn,
            cluster: ci,
            status: ServiceStatus::Active,
            daemon,
            desired_count: desired,
            launch_type,
            strategy,
            task_definition: td.as_ref().map(|td| td.arn.clone()).unwrap_or_default(),
            config,
            placement: super::state::ServicePlacement::new(
                q.placement_constraints.to_vec(),
                q.placement_strategy.to_vec(),
            ),
            network_configuration: q.network_configuration.cloned(),
            load_balancers: q.load_balancers.to_vec(),
            service_registries: q.service_registries.to_vec(),
            health_check_grace_period: q.health_check_grace_period_seconds.unwrap_or(0),
            platform_version: q.platform_version.map(str::to_string),
            service_connect,
            namespace,
            enable_ecs_managed_tags: q.enable_ecs_managed_tags,
            propagate_tags: q.propagate_tags.map(str::to_string),
            enable_execute_command: q.enable_execute_command,
            created_at: self.now,
            role_arn: q.role.map(str::to_string),
            tags: q.tags.to_vec(),
            deployments: Vec::new(),
            events: VecDeque::new(),
            last_emitted: BTreeMap::new(),
            tasks: Default::default(),
            consecutive_start_failures: 0,
            next_launch_at: 0,
            revisions: Vec::new(),
            steady: false,
            reconcile_times: Default::default(),
            recent_launches: VecDeque::new(),
        };
        let volume_configurations = q.volume_configurations.to_vec();
        let client_token = q.client_token.map(|t| (t.to_string(), r.clone()));
        self.state.services.push(service);
        let si = self.state.services.len() - 1;
        let extras = self.state.ops.service_mut(si);
        extras.deployment_controller = controller;
        extras.volume_configurations = volume_configurations;
        extras.client_token = client_token;
        let label = self.service_label(si);
        let what = match &td {
            Some(td) => format!("{}:{}", td.family, td.revision),
            None => "the EXTERNAL deployment controller".into(),
        };
        self.log(
            label,
            "service",
            format!("created with {what} desiredCount {desired}"),
        );
        if external {
            // The external controller deploys through task sets.
            self.request_reconcile(si);
        } else {
            self.start_deployment(si, None, "");
        }
        Ok(json!({"service": self.service_json(si, false)}))
    }

    /// The ACTIVE task definition a service or task set is created or
    /// updated with.
    pub(crate) fn service_task_definition(
        &self,
        reference: &str,
    ) -> Result<super::state::TaskDefinition, AwsError> {
        self.active_revision(reference, "TaskDefinition not found.")
    }

    /// CreateService with a `clientToken` seen before: the same request
    /// returns the service it created; another request with the token is
    /// refused as ECS refuses it.
    pub(crate) fn idempotent_create(&self, r: &Value) -> Result<Option<usize>, AwsError> {
        let Some(token) = opt_str(r, "clientToken")? else {
            return Ok(None);
        };
        let earlier = self.state.ops.services.iter().find(|(_, extras)| {
            extras
                .client_token
                .as_ref()
                .is_some_and(|(t, _)| t == token)
        });
        match earlier {
            None => Ok(None),
            Some((si, extras)) => {
                let same = extras
                    .client_token
                    .as_ref()
                    .is_some_and(|(_, req)| req == r);
                let live = self
                    .state
                    .services
                    .get(*si)
                    .is_some_and(|s| s.status != ServiceStatus::Inactive);
                if same && live {
                    Ok(Some(*si))
                } else {
                    Err(AwsError::invalid("Creation of service was not idempotent."))
                }
            }
        }
    }

    /// The Service Connect configuration with its namespace resolved from
    /// the cluster default when omitted (B-CL-08).
    fn service_connect_of(
        &mut self,
        ci: usize,
        config: Option<&Value>,
    ) -> Result<(Option<Value>, Option<String>), AwsError> {
        let Some(config) = config else {
            return Ok((None, None));
        };
        if config.get("enabled").and_then(Value::as_bool) != Some(true) {
            return Ok((Some(config.clone()), None));
        }
        let namespace = config
            .get("namespace")
            .and_then(Value::as_str)
            .map(str::to_string)
            .or_else(|| {
                self.state
                    .clusters
                    .get(ci)
                    .and_then(|c| c.service_connect_namespace.clone())
            });
        let Some(namespace) = namespace else {
            return Err(AwsError::invalid(
                "Service Connect is enabled but no namespace is specified and the cluster has no default namespace.",
            ));
        };
        let short = crate::arn::short_name(&namespace).to_string();
        self.state.namespaces.insert(short.clone());
        let mut config = config.clone();
        config["namespace"] = json!(short);
        Ok((Some(config), Some(short)))
    }

    pub(crate) fn update_service(&mut self, r: &Value) -> CallResult {
        let q = UpdateServiceRequest::read(r)?;
        let ci = self.cluster_named(q.cluster)?;
        let si = self
            .state
            .service_index(ci, q.service)
            .ok_or_else(AwsError::service_not_found)?;
        if self.state.services[si].status != ServiceStatus::Active {
            return Err(AwsError::new(
                "ServiceNotActiveException",
                "Service was not ACTIVE.",
            ));
        }
        let daemon = self.state.services[si].daemon;
        let mut deploy = q.force_new_deployment;
        let new_td = match q.task_definition {
            Some(reference) => Some(self.service_task_definition(reference)?.arn),
            None => None,
        };
        let desired = q.desired_count;
        if daemon && desired.is_some() {
            return Err(AwsError::invalid(
                "The daemon scheduling strategy does not support a desired count for services.",
            ));
        }
        if desired.is_some_and(|d| d > 5000) {
            return Err(AwsError::invalid(
                "desiredCount can be at most 5000 tasks per service.",
            ));
        }
        let requested_strategy = q.capacity_provider_strategy;
        let previous_config = self.state.services[si].config.clone();
        let config = match q.deployment_configuration {
            Some(raw) => Some(parse_deployment_config(
                Some(raw),
                daemon,
                Some(&previous_config),
            )?),
            None => None,
        };
        let service_connect = match q.service_connect_configuration {
            Some(c) => Some(self.service_connect_of(ci, Some(c))?),
            None => None,
        };
        let s = &mut self.state.services[si];
        if let Some(td) = new_td {
            deploy |= td != s.task_definition;
            s.task_definition = td;
        }
        if let Some(d) = desired {
            s.desired_count = d;
            if let Some(p) = s.primary_mut() {
                p.desired_count = d;
            }
        }
        if let Some(st) = requested_strategy {
            deploy |= Some(&st) != s.strategy.as_ref();
            s.strategy = Some(st);
            s.launch_type = None;
        }
        if let Some(c) = config {
            s.config = c;
        }
        // Placement changes apply to later placements without a deployment.
        if let Some(c) = q.placement_constraints {
            s.placement.set_constraints(c.clone());
        }
        if let Some(c) = q.placement_strategy {
            s.placement.set_strategy(c.clone());
        }
        if let Some(n) = q.network_configuration {
            deploy |= Some(n) != s.network_configuration.as_ref();
            s.network_configuration = Some(n.clone());
        }
        if let Some(lbs) = q.load_balancers {
            deploy |= *lbs != s.load_balancers;
            s.load_balancers = lbs.clone();
        }
        if let Some(srs) = q.service_registries {
            deploy |= *srs != s.service_registries;
            s.service_registries = srs.clone();
        }
        if let Some(p) = q.platform_version {
            deploy |= Some(p) != s.platform_version.as_deref();
            s.platform_version = Some(p.to_string());
        }
        if let Some((config, namespace)) = service_connect {
            deploy |= config != s.service_connect;
            s.service_connect = config;
            s.namespace = namespace;
        }
        if let Some(g) = q.health_check_grace_period_seconds {
            s.health_check_grace_period = g;
        }
        if let Some(e) = q.enable_execute_command {
            s.enable_execute_command = e;
        }
        if let Some(e) = q.enable_ecs_managed_tags {
            s.enable_ecs_managed_tags = e;
        }
        if let Some(p) = q.propagate_tags {
            s.propagate_tags = Some(p.to_string());
        }
        if let Some(volumes) = q.volume_configurations {
            let extras = self.state.ops.service_mut(si);
            deploy |= *volumes != extras.volume_configurations;
            extras.volume_configurations = volumes.clone();
        }
        // An EXTERNAL service deploys through its task sets.
        if deploy && !self.state.ops.is_external(si) {
            self.start_deployment(si, None, "");
        } else {
            self.request_reconcile(si);
        }
        Ok(json!({"service": self.service_json(si, false)}))
    }

    pub(crate) fn delete_service(&mut self, r: &Value) -> CallResult {
        let r = DeleteServiceRequest::read(r)?;
        let ci = self.cluster_named(r.cluster)?;
        let si = self
            .state
            .service_index(ci, r.service)
            .ok_or_else(AwsError::service_not_found)?;
        let force = r.force;
        let s = &mut self.state.services[si];
        if s.status != ServiceStatus::Active {
            return Err(AwsError::new(
                "ServiceNotActiveException",
                "Service was not ACTIVE.",
            ));
        }
        if !s.daemon && s.desired_count > 0 && !force {
            return Err(AwsError::invalid(
                "The service cannot be stopped while it is scaled above 0.",
            ));
        }
        s.status = ServiceStatus::Draining;
        s.desired_count = 0;
        // A deleted service's tags go with it (B-SVC-01).
        s.tags.clear();
        let label = self.service_label(si);
        self.log(label, "service", "DRAINING (deleted)".into());
        self.request_reconcile(si);
        Ok(json!({"service": self.service_json(si, false)}))
    }

    pub(crate) fn describe_services(&mut self, r: &Value) -> CallResult {
        let q = DescribeRequest::read(r, "services")?;
        let ci = self.cluster_named(q.cluster)?;
        let names = q.references;
        if names.len() > MAX_DESCRIBE_SERVICES {
            return Err(AwsError::invalid("services can have at most 10 items."));
        }
        let with_tags = q.with_tags;
        let mut services = Vec::new();
        let mut failures = Vec::new();
        for name in names {
            match self
                .state
                .service_index(ci, &name)
                .filter(|si| self.still_describable(*si))
            {
                Some(si) => services.push(self.service_json(si, with_tags)),
                None => failures.push(json!({"arn": if name.starts_with("arn:") { name.clone() } else { self.arn(&["service", &self.state.clusters[ci].name, name.as_str()]) }, "reason": "MISSING"})),
            }
        }
        Ok(super::response([
            ("services", Value::Array(services)),
            ("failures", Value::Array(failures)),
        ]))
    }

    /// A deleted service stays describable as INACTIVE for an hour, as AWS
    /// keeps it ("about an hour"), then it is MISSING.
    fn still_describable(&self, si: usize) -> bool {
        const INACTIVE_KEPT_MS: u64 = 3_600_000;
        self.state
            .ops
            .service(si)
            .and_then(|e| e.inactive_at)
            .is_none_or(|at| self.now < at.saturating_add(INACTIVE_KEPT_MS))
    }

    pub(crate) fn list_services(&mut self, r: &Value) -> CallResult {
        let r = ListServicesRequest::read(r)?;
        let ci = self.cluster_named(r.cluster)?;
        let (launch_type, scheduling) = (r.launch_type, r.scheduling_strategy);
        let arns: Vec<String> = self
            .state
            .services
            .iter()
            .filter(|s| s.cluster == ci && s.status == ServiceStatus::Active)
            .filter(|s| launch_type.is_none_or(|l| s.launch_type.as_deref() == Some(l)))
            .filter(|s| scheduling.is_none_or(|k| (k == "DAEMON") == s.daemon))
            .map(|s| s.arn.clone())
            .collect();
        let (items, next) = page(&r.page, &arns, 10)?;
        Ok(with_token(json!({"serviceArns": items}), next))
    }

    pub(crate) fn list_services_by_namespace(&mut self, r: &Value) -> CallResult {
        let r = ListServicesByNamespaceRequest::read(r)?;
        let namespace = r.namespace;
        let short = crate::arn::short_name(namespace);
        if !self.state.namespaces.contains(short) {
            return Err(AwsError::new(
                "NamespaceNotFoundException",
                "The specified namespace wasn't found.",
            ));
        }
        let arns: Vec<String> = self
            .state
            .services
            .iter()
            .filter(|s| s.status == ServiceStatus::Active && s.namespace.as_deref() == Some(short))
            .map(|s| s.arn.clone())
            .collect();
        let (items, next) = page(&r.page, &arns, 10)?;
        Ok(with_token(json!({"serviceArns": items}), next))
    }

    fn find_service_deployment(&self, arn: &str) -> Option<(usize, usize)> {
        self.state.services.iter().enumerate().find_map(|(si, s)| {
            s.deployments
                .iter()
                .position(|d| d.service_deployment_arn == arn && !d.is_rollback)
                .map(|di| (si, di))
        })
    }

    pub(crate) fn list_service_deployments(&mut self, r: &Value) -> CallResult {
        let r = ListServiceDeploymentsRequest::read(r)?;
        let ci = self.cluster_named(r.cluster)?;
        let si = self
            .state
            .service_index(ci, r.service)
            .ok_or_else(AwsError::service_not_found)?;
        let statuses = &r.status;
        let (after, before) = (r.created_after, r.created_before);
        let s = &self.state.services[si];
        let briefs: Vec<Value> = s
            .deployments
            .iter()
            .rev()
            .filter(|d| !d.is_rollback)
            .filter(|d| statuses.is_empty() || statuses.iter().any(|st| st == d.sd_status.as_str()))
            .filter(|d| {
                let at = self.ts(d.created_at).as_f64().unwrap_or(0.0);
                after.is_none_or(|a| at >= a) && before.is_none_or(|b| at <= b)
            })
            .map(|d| self.service_deployment_brief(s, d))
            .collect();
        let (items, next) = page(&r.page, &briefs, 20)?;
        Ok(with_token(json!({"serviceDeployments": items}), next))
    }

    fn service_deployment_brief(&self, s: &Service, d: &Deployment) -> Value {
        let cluster_arn = self.cluster_arn(s.cluster);
        let mut out = json!({
            "serviceDeploymentArn": d.service_deployment_arn,
            "serviceArn": s.arn,
            "clusterArn": cluster_arn,
            "startedAt": self.ts(d.created_at),
            "createdAt": self.ts(d.created_at),
            "targetServiceRevisionArn": d.revision_arn,
            "status": d.sd_status.as_str(),
        });
        if let Some(at) = d.finished_at {
            out["finishedAt"] = self.ts(at);
        }
        if let Some(reason) = &d.sd_status_reason {
            out["statusReason"] = json!(reason);
        }
        out
    }

    pub(crate) fn describe_service_deployments(&mut self, r: &Value) -> CallResult {
        let arns = DescribeArnsRequest::read(r, "serviceDeploymentArns")?.arns;
        let mut found = Vec::new();
        let mut failures = Vec::new();
        for arn in arns {
            match self.find_service_deployment(&arn) {
                Some((si, di)) => found.push(self.service_deployment_json(si, di)),
                None => failures.push(json!({"arn": arn, "reason": "MISSING"})),
            }
        }
        Ok(json!({"serviceDeployments": found, "failures": failures}))
    }

    fn service_deployment_json(&self, si: usize, di: usize) -> Value {
        let s = &self.state.services[si];
        let d = &s.deployments[di];
        let mut out = self.service_deployment_brief(s, d);
        if let Some(o) = out.as_object_mut() {
            o.remove("targetServiceRevisionArn");
        }
        let count = |revision: &str, running: bool| {
            s.tasks
                .iter()
                .filter_map(|q| self.state.tasks.get(q))
                .filter(|t| t.is_wanted())
                .filter(|t| {
                    s.deployments
                        .iter()
                        .any(|x| Some(&x.id) == t.deployment.as_ref() && x.revision_arn == revision)
                })
                .filter(|t| (t.last_status == TaskStatus::Running) == running)
                .count()
        };
        out["sourceServiceRevisions"] = json!(d
            .source_revisions
            .iter()
            .map(|rev| json!({"arn": rev, "requestedTaskCount": 0, "runningTaskCount": count(rev, true), "pendingTaskCount": count(rev, false)}))
            .collect::<Vec<_>>());
        out["targetServiceRevision"] = json!({
            "arn": d.revision_arn,
            "requestedTaskCount": d.desired_count,
            "runningTaskCount": count(&d.revision_arn, true),
            "pendingTaskCount": count(&d.revision_arn, false),
        });
        out["updatedAt"] = self.ts(d.updated_at);
        out["deploymentConfiguration"] = s.config.raw.clone();
        out["deploymentCircuitBreaker"] = json!({
            "status": d.circuit_breaker_status.as_str(),
            "failureCount": d.failed_tasks,
            "threshold": d.threshold.max(if s.config.circuit_breaker {
                super::scheduler::circuit_breaker_threshold(&s.config.threshold_type, s.config.threshold_value, d.desired_count, self.config.circuit_breaker_minimum)
            } else { 0 }),
        });
        if let Some((reason, revision)) = &d.rollback {
            out["rollback"] = json!({"reason": reason, "startedAt": self.ts(d.updated_at), "serviceRevisionArn": revision});
        }
        out
    }

    pub(crate) fn stop_service_deployment(&mut self, r: &Value) -> CallResult {
        let r = StopServiceDeploymentRequest::read(r)?;
        let arn = r.service_deployment_arn.to_string();
        let stop_type = r.stop_type;
        let (si, di) = self.find_service_deployment(&arn).ok_or_else(|| {
            AwsError::new(
                "ServiceDeploymentNotFoundException",
                "The service deployment does not exist.",
            )
        })?;
        let d = &self.state.services[si].deployments[di];
        if !matches!(
            d.sd_status,
            ServiceDeploymentStatus::Pending | ServiceDeploymentStatus::InProgress
        ) || d.status != DeploymentStatus::Primary
        {
            return Err(AwsError::new(
                "ConflictException",
                format!(
                    "The service deployment is {} and can't be stopped.",
                    d.sd_status.as_str()
                ),
            ));
        }
        if stop_type == "ABORT" {
            let now = self.now;
            if let Some(d) = self.state.services[si].deployments.get_mut(di) {
                d.sd_status = ServiceDeploymentStatus::Stopped;
                d.sd_status_reason = Some("Service deployment stopped by user request.".into());
                d.rollout_state = RolloutState::Failed;
                d.rollout_state_reason = "Service deployment stopped by user request.".into();
                d.finished_at = Some(now);
            }
        } else {
            if let Some(d) = self.state.services[si].deployments.get_mut(di) {
                d.sd_status = ServiceDeploymentStatus::RollbackRequested;
            }
            self.fail_deployment(
                si,
                "Service deployment rolled back because of a user request.",
                false,
            );
        }
        self.request_reconcile(si);
        Ok(json!({"serviceDeploymentArn": arn}))
    }

    pub(crate) fn describe_service_revisions(&mut self, r: &Value) -> CallResult {
        let arns = DescribeArnsRequest::read(r, "serviceRevisionArns")?.arns;
        let mut found = Vec::new();
        let mut failures = Vec::new();
        for arn in arns {
            let revision = self
                .state
                .services
                .iter()
                .flat_map(|s| s.revisions.iter())
                .find(|rev| rev.arn == arn);
            match revision {
                Some(rev) => found.push(rev.body.clone()),
                None => failures.push(json!({"arn": arn, "reason": "MISSING"})),
            }
        }
        Ok(json!({"serviceRevisions": found, "failures": failures}))
    }

    /// Captures the service's configuration as an immutable revision. Its
    /// ARN ends with `number`, its deployment's (`ecs-svc/<number>`):
    /// Terraform finds a deployment's revision by that number.
    pub(crate) fn create_service_revision(&mut self, si: usize, number: &str) -> String {
        // The draw that numbered revisions before they shared their
        // deployment's number: kept so recorded runs keep their task ids.
        let _ = self.rng.digits(19);
        let arn = self.service_scoped_arn(si, "service-revision", number);
        let Some(s) = self.state.services.get(si) else {
            return arn;
        };
        let td = self.state.task_definition(&s.task_definition);
        let images: Vec<Value> = td
            .and_then(|td| {
                td.body
                    .get("containerDefinitions")
                    .and_then(Value::as_array)
            })
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|c| {
                let image = c.get("image").and_then(Value::as_str).unwrap_or("");
                json!({
                    "containerName": c.get("name").and_then(Value::as_str).unwrap_or(""),
                    "imageDigest": format!("sha256:{}", digest_of(image)),
                    "image": image,
                })
            })
            .collect();
        let cluster_arn = self.cluster_arn(s.cluster);
        let mut body = json!({
            "serviceRevisionArn": arn,
            "serviceArn": s.arn,
            "clusterArn": cluster_arn,
            "taskDefinition": s.task_definition,
            "loadBalancers": s.load_balancers,
            "serviceRegistries": s.service_registries,
            "containerImages": images,
            "guardDutyEnabled": false,
            "createdAt": self.ts(self.now),
        });
        write_capacity(&mut body, s.strategy.as_deref(), s.launch_type.as_deref());
        write_network_and_platform(
            &mut body,
            s.network_configuration.as_ref(),
            s.platform_version.as_deref(),
        );
        if let Some(sc) = &s.service_connect {
            body["serviceConnectConfiguration"] = sc.clone();
        }
        if let Some(volumes) = self
            .state
            .ops
            .service(si)
            .map(|e| &e.volume_configurations)
            .filter(|v| !v.is_empty())
        {
            body["volumeConfigurations"] = json!(volumes);
        }
        if let Some(s) = self.state.services.get_mut(si) {
            s.revisions.push(ServiceRevision {
                arn: arn.clone(),
                body,
            });
        }
        arn
    }

    pub(crate) fn service_json(&self, si: usize, with_tags: bool) -> Value {
        let Some(s) = self.state.services.get(si) else {
            return Value::Null;
        };
        let cluster_arn = self.cluster_arn(s.cluster);
        // The service's and each deployment's counts, in one pass over its
        // tasks (DescribeServices is what a client polls).
        let mut counts = TaskCounts::default();
        let mut per_deployment = vec![TaskCounts::default(); s.deployments.len()];
        let keys: Vec<u64> = s
            .deployments
            .iter()
            .map(|d| super::state::deployment_key(Some(&d.id)))
            .collect();
        for t in self.state.tasks_by_seq(&s.tasks) {
            counts.add(t);
            // The key narrows the search; the id decides.
            for ((&key, d), c) in keys.iter().zip(&s.deployments).zip(&mut per_deployment) {
                if key == t.deployment_key && t.deployment.as_ref() == Some(&d.id) {
                    c.add(t);
                }
            }
        }
        let (running, pending) = (counts.running, counts.pending);
        let deployments: Vec<Value> = s
            .deployments
            .iter()
            .zip(&per_deployment)
            .rev()
            .filter(|(d, _)| d.status != DeploymentStatus::Inactive)
            .map(|(d, mine)| {
                let (running, pending) = (mine.running, mine.pending);
                let desired = if d.status == DeploymentStatus::Primary { s.desired_count as usize } else { mine.wanted };
                let mut out = json!({
                    "id": d.id,
                    "status": d.status.as_str(),
                    "taskDefinition": d.task_definition,
                    "desiredCount": desired,
                    "pendingCount": pending,
                    "runningCount": running,
                    "failedTasks": d.failed_tasks,
                    "createdAt": self.ts(d.created_at),
                    "updatedAt": self.ts(d.updated_at),
                    "rolloutState": d.rollout_state.as_str(),
                    "rolloutStateReason": d.rollout_state_reason,
                });
                write_capacity(&mut out, d.strategy.as_deref(), d.launch_type.as_deref());
                write_network_and_platform(&mut out, d.network_configuration.as_ref(), d.platform_version.as_deref());
                // Each deployment shows the Service Connect and volume
                // configurations of its own revision (Terraform reads the
                // PRIMARY deployment's).
                let revision = s.revisions.iter().find(|rev| rev.arn == d.revision_arn).map(|rev| &rev.body);
                if let Some(volumes) = revision.and_then(|body| body.get("volumeConfigurations")) {
                    out["volumeConfigurations"] = volumes.clone();
                }
                if let Some(sc) = revision.and_then(|body| body.get("serviceConnectConfiguration")) {
                    out["serviceConnectConfiguration"] = sc.clone();
                    let resources: Vec<Value> = sc
                        .get("services")
                        .and_then(Value::as_array)
                        .map_or(&[][..], Vec::as_slice)
                        .iter()
                        .filter_map(|entry| {
                            let name = entry.get("discoveryName").or_else(|| entry.get("portName"))?.as_str()?;
                            Some(json!({
                                "discoveryName": name,
                                "discoveryArn": crate::arn::arn_in_region("servicediscovery", &self.config.region, &self.config.account, &format!("service/srv-{}", digest_of(name).get(..16).unwrap_or(""))),
                            }))
                        })
                        .collect();
                    out["serviceConnectResources"] = json!(resources);
                }
                out
            })
            .collect();
        let events: Vec<Value> = s
            .events
            .iter()
            .map(|e| json!({"id": e.id, "createdAt": self.ts(e.created_at), "message": e.message}))
            .collect();
        let mut out = json!({
            "serviceArn": s.arn,
            "serviceName": s.name,
            "clusterArn": cluster_arn,
            "loadBalancers": s.load_balancers,
            "serviceRegistries": s.service_registries,
            "status": s.status.as_str(),
            "desiredCount": s.desired_count,
            "runningCount": running,
            "pendingCount": pending,
        });
        write_capacity(&mut out, s.strategy.as_deref(), s.launch_type.as_deref());
        if s.launch_type.as_deref() == Some("FARGATE") {
            out["platformVersion"] = json!(s
                .platform_version
                .clone()
                .unwrap_or_else(|| "LATEST".into()));
            out["platformFamily"] = json!("Linux");
        }
        out["taskDefinition"] = json!(s.task_definition);
        out["deploymentConfiguration"] = s.config.raw.clone();
        // Only a controller other than the default ECS one is shown.
        if let Some(controller) = self
            .state
            .ops
            .service(si)
            .and_then(|e| e.deployment_controller.clone())
        {
            if controller == "EXTERNAL" {
                out["taskSets"] = json!(self.task_sets_json(si));
            }
            out["deploymentController"] = json!({"type": controller});
        }
        out["deployments"] = Value::Array(deployments);
        if let Some(role) = &s.role_arn {
            out["roleArn"] = json!(role);
        }
        out["events"] = Value::Array(events);
        out["createdAt"] = self.ts(s.created_at);
        out["placementConstraints"] = json!(s.placement.given_constraints());
        out["placementStrategy"] = json!(s.placement.given_strategy());
        if let Some(n) = &s.network_configuration {
            out["networkConfiguration"] = n.clone();
        }
        if s.health_check_grace_period > 0 || !s.load_balancers.is_empty() {
            out["healthCheckGracePeriodSeconds"] = json!(s.health_check_grace_period);
        }
        out["schedulingStrategy"] = json!(if s.daemon { "DAEMON" } else { "REPLICA" });
        out["createdBy"] = json!(self.root_principal());
        out["enableECSManagedTags"] = json!(s.enable_ecs_managed_tags);
        out["propagateTags"] = json!(s.propagate_tags.clone().unwrap_or_else(|| "NONE".into()));
        out["enableExecuteCommand"] = json!(s.enable_execute_command);
        if with_tags {
            out["tags"] = json!(s.tags);
        }
        out
    }
}

/// Where tasks run, as services, deployments and service revisions all
/// write it: a capacity provider strategy, or else a launch type (EC2 when
/// none was given).
fn write_capacity(out: &mut Value, strategy: Option<&[StrategyItem]>, launch_type: Option<&str>) {
    match strategy {
        Some(items) => {
            out["capacityProviderStrategy"] =
                json!(items.iter().map(StrategyItem::to_json).collect::<Vec<_>>())
        }
        None => out["launchType"] = json!(launch_type.unwrap_or("EC2")),
    }
}

/// The network configuration and platform version a deployment or service
/// revision was made with, when it has them.
fn write_network_and_platform(
    out: &mut Value,
    network: Option<&Value>,
    platform_version: Option<&str>,
) {
    if let Some(network) = network {
        out["networkConfiguration"] = network.clone();
    }
    if let Some(version) = platform_version {
        out["platformVersion"] = json!(version);
    }
}

/// A stable fake digest of an image reference (64 hex digits).
fn digest_of(text: &str) -> String {
    let mut out = String::with_capacity(64);
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for round in 0u64..4 {
        for b in text.bytes().chain(round.to_le_bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        out.push_str(&format!("{h:016x}"));
    }
    out
}

/// Parses DeploymentConfiguration with the defaults of A3; on update the
/// omitted members keep their previous values.
pub(crate) fn parse_deployment_config(
    raw: Option<&Value>,
    daemon: bool,
    previous: Option<&DeploymentConfig>,
) -> Result<DeploymentConfig, AwsError> {
    let empty = json!({});
    let raw = raw.unwrap_or(&empty);
    let (default_min, default_max) = if daemon { (0, 100) } else { (100, 200) };
    let min = opt_u32(raw, "minimumHealthyPercent")?
        .or(previous.map(|p| p.minimum_healthy_percent))
        .unwrap_or(default_min);
    let max = opt_u32(raw, "maximumPercent")?
        .or(previous.map(|p| p.maximum_percent))
        .unwrap_or(default_max);
    if min > 100 {
        return Err(AwsError::invalid(
            "minimumHealthyPercent must be between 0 and 100.",
        ));
    }
    if max < 100 && !daemon {
        return Err(AwsError::invalid("maximumPercent must be at least 100."));
    }
    let breaker = member(raw, "deploymentCircuitBreaker");
    let get_bool = |key: &str| breaker.and_then(|b| b.get(key)).and_then(Value::as_bool);
    let enable = get_bool("enable")
        .or(previous.map(|p| p.circuit_breaker))
        .unwrap_or(false);
    let rollback = get_bool("rollback")
        .or(previous.map(|p| p.rollback))
        .unwrap_or(false);
    let reset = get_bool("resetOnHealthyTask")
        .or(previous.map(|p| p.reset_on_healthy_task))
        .unwrap_or(true);
    let threshold = breaker.and_then(|b| b.get("thresholdConfiguration"));
    let threshold_type = threshold
        .and_then(|t| t.get("type"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .or(previous.map(|p| p.threshold_type.clone()))
        .unwrap_or_else(|| "BOUNDED_PERCENT".into());
    let threshold_value = threshold
        .and_then(|t| t.get("value"))
        .and_then(Value::as_u64)
        .map(|v| v.min(u64::from(u32::MAX)) as u32)
        .or(previous.map(|p| p.threshold_value))
        .unwrap_or(50);
    let mut rendered = json!({
        "deploymentCircuitBreaker": {"enable": enable, "rollback": rollback},
        "maximumPercent": max,
        "minimumHealthyPercent": min,
    });
    if threshold.is_some() || get_bool("resetOnHealthyTask").is_some() {
        rendered["deploymentCircuitBreaker"]["resetOnHealthyTask"] = json!(reset);
        rendered["deploymentCircuitBreaker"]["thresholdConfiguration"] =
            json!({"type": threshold_type, "value": threshold_value});
    }
    if let Some(alarms) = member(raw, "alarms").or(previous.and_then(|p| p.raw.get("alarms"))) {
        rendered["alarms"] = alarms.clone();
    }
    Ok(DeploymentConfig {
        minimum_healthy_percent: min,
        maximum_percent: max,
        circuit_breaker: enable,
        rollback,
        reset_on_healthy_task: reset,
        threshold_type,
        threshold_value,
        raw: rendered,
    })
}

/// A service's (or one deployment's) tasks as DescribeServices counts them.
#[derive(Debug, Clone, Copy, Default)]
struct TaskCounts {
    running: usize,
    /// Wanted and not yet RUNNING.
    pending: usize,
    wanted: usize,
}

impl TaskCounts {
    fn add(&mut self, t: &super::state::Task) {
        self.running += usize::from(t.last_status == TaskStatus::Running);
        self.pending += usize::from(t.is_wanted() && t.last_status.is_starting());
        self.wanted += usize::from(t.is_wanted());
    }
}
