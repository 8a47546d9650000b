//! The account's state that only the endpoint's operations read and write:
//! account settings, task protection, ECS Exec, container agent updates,
//! task definitions being deleted, clusters still provisioning, and what a
//! service has beyond the rolling-update scheduler's view (its deployment
//! controller, idempotency token, task sets, volume configurations, when it
//! became INACTIVE). Kept apart from [`super::state::State`]'s collections so
//! that the scheduler's data stays as it was; keyed by the same indexes and
//! sequence numbers, which are never reused.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::state::{AgentUpdateStatus, TaskSetStatus};

#[derive(Debug, Clone, Default)]
pub struct OpsState {
    /// Explicit account settings by (principal ARN, setting name).
    pub account_settings: BTreeMap<(String, String), String>,
    /// Protected tasks: task sequence number → when protection expires (ms).
    pub protection: BTreeMap<u64, u64>,
    /// Standalone tasks run with `enableExecuteCommand`.
    pub exec_enabled: BTreeSet<u64>,
    /// Container agent updates by instance index.
    pub agent_updates: BTreeMap<usize, AgentUpdate>,
    /// Task definition ARNs in DELETE_IN_PROGRESS.
    pub deleting_task_definitions: BTreeSet<String>,
    /// Clusters PROVISIONING their capacity providers until this time (ms).
    pub cluster_active_at: BTreeMap<usize, u64>,
    /// Per service index.
    pub services: BTreeMap<usize, ServiceExtras>,
    /// Task sets made so far (numbers their ARNs' ids never repeat).
    pub next_task_set: u64,
}

/// What a service has beyond the scheduler's [`super::state::Service`].
#[derive(Debug, Clone, Default)]
pub struct ServiceExtras {
    /// `ECS` (absent), `CODE_DEPLOY` or `EXTERNAL`.
    pub deployment_controller: Option<String>,
    /// CreateService's `clientToken` and the request it came with.
    pub client_token: Option<(String, Value)>,
    pub volume_configurations: Vec<Value>,
    pub task_sets: Vec<TaskSet>,
    /// When the service became INACTIVE (ms).
    pub inactive_at: Option<u64>,
}

/// A task set of a service with the EXTERNAL deployment controller.
#[derive(Debug, Clone)]
pub struct TaskSet {
    /// `ecs-svc/<digits>`; also its tasks' `startedBy` and deployment key.
    pub id: String,
    pub arn: String,
    pub external_id: Option<String>,
    pub status: TaskSetStatus,
    pub task_definition: String,
    pub launch_type: Option<String>,
    pub capacity_provider_strategy: Vec<Value>,
    pub platform_version: Option<String>,
    pub network_configuration: Option<Value>,
    pub load_balancers: Vec<Value>,
    pub service_registries: Vec<Value>,
    /// Percent of the service's desiredCount (`scale.value`, unit PERCENT).
    pub scale: f64,
    pub stable: bool,
    pub stability_at: u64,
    pub created_at: u64,
    pub updated_at: u64,
    pub tags: Vec<Value>,
    pub client_token: Option<String>,
}

/// One UpdateContainerAgent run on an instance.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentUpdate {
    pub status: AgentUpdateStatus,
    /// The version the agent reports once UPDATED.
    pub target_version: String,
}

impl OpsState {
    pub fn service(&self, si: usize) -> Option<&ServiceExtras> {
        self.services.get(&si)
    }

    pub fn service_mut(&mut self, si: usize) -> &mut ServiceExtras {
        self.services.entry(si).or_default()
    }

    /// The service uses the EXTERNAL deployment controller (task sets).
    pub fn is_external(&self, si: usize) -> bool {
        self.service(si)
            .and_then(|s| s.deployment_controller.as_deref())
            == Some("EXTERNAL")
    }

    /// The task is protected from scale-in at `now`.
    pub fn is_protected(&self, seq: u64, now: u64) -> bool {
        self.protection.get(&seq).is_some_and(|until| *until > now)
    }
}
