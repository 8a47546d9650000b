//! Placement: which container instance a task goes to, and why.
//!
//! - [`query`]: the cluster query language of `memberOf` constraints.
//! - [`catalogue`]: EC2 instance types (embedded data file).
//! - [`cluster`]: container instances, their resources and tasks.
//! - [`requirements`]: what a task needs, read from a task definition.
//! - [`strategy`]: strategies and constraints, limits and defaults.
//! - [`pipeline`]: the checks in order, strategies, tie-break, counters.
//! - [`trace`]: the explanation of a decision.
//! - [`launch`]: EC2, Fargate or External, from the definition and launch type.
//! - [`capacity`]: capacity provider strategies (base and weight).
//! - [`scale_in`]: which tasks to stop first.
//! - [`rng`]: the seeded generator behind every random choice.

pub mod capacity;
pub mod catalogue;
pub mod cluster;
pub mod launch;
pub mod pipeline;
pub mod query;
pub mod requirements;
pub mod rng;
pub mod scale_in;
pub mod strategy;
pub mod trace;
pub mod workload;

#[cfg(test)]
mod cases;
#[cfg(test)]
mod properties;

pub use cluster::{Cluster, ContainerInstance, InstanceStatus, TaskStatus, DEFAULT_RESERVED_PORTS};
pub use pipeline::{
    Check, DecisionRecord, PlacementError, PlacementRequest, Placer, PlacerIndex, PIPELINE,
};
pub use requirements::TaskRequirements;
pub use strategy::{BinpackField, PlacementConstraint, PlacementStrategy, SpreadField};
pub use trace::{CandidateTrace, CheckOutcome, PlacementCounters, PlacementDecision};

/// The small cluster the web app places onto: three catalogued instances in
/// three Availability Zones, one of them partly busy (a task holding 1 vCPU,
/// 2 GiB and host port 80) and one with a little load.
pub fn demo_cluster() -> Vec<ContainerInstance> {
    let mut cluster = Cluster::new(
        [
            ("i-0a1b2c3d4e5f60001", "t3.medium", "us-east-1a"),
            ("i-0a1b2c3d4e5f60002", "m5.large", "us-east-1b"),
            ("i-0a1b2c3d4e5f60003", "c5.xlarge", "us-east-1c"),
        ]
        .iter()
        .filter_map(|(id, kind, zone)| ContainerInstance::launch(id, kind, zone))
        .collect(),
    );
    let web = TaskRequirements {
        cpu: 1024,
        memory: 2048,
        host_ports: vec![80],
        network_mode: "bridge".into(),
        family: "web".into(),
        ..TaskRequirements::default()
    };
    let worker = TaskRequirements {
        cpu: 512,
        memory: 1024,
        network_mode: "bridge".into(),
        family: "worker".into(),
        ..TaskRequirements::default()
    };
    cluster.start_task(0, "family:web", &web);
    cluster.start_task(1, "family:worker", &worker);
    cluster.instances
}

/// How a preview launches and places its one task: as the workspace's
/// service would (`workspace::preview`), or as the demonstration does.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviewRequest {
    /// The launch type the task is launched with: `None` previews the
    /// definition as launched with the one launch type it requires
    /// (`launch::preview_target`).
    pub launch_type: Option<String>,
    pub group: String,
    pub constraints: Vec<PlacementConstraint>,
    pub strategies: Vec<PlacementStrategy>,
    /// The Auto Scaling group capacity provider the task goes to.
    pub capacity_provider: Option<String>,
    /// The seed of the tie-break draws (`rng::batch_seed`).
    pub seed: u64,
}

impl PreviewRequest {
    /// The demonstration: binpack(memory), no launch type, seed 0.
    pub fn demonstration(requirements: &TaskRequirements) -> PreviewRequest {
        PreviewRequest {
            launch_type: None,
            group: format!("family:{}", requirements.family),
            constraints: Vec::new(),
            strategies: vec![PlacementStrategy::Binpack(BinpackField::Memory)],
            capacity_provider: None,
            seed: 0,
        }
    }
}

/// Places one task with binpack(memory), the web app's first demonstration,
/// and returns the full trace. Ties are broken by the seeded draw (seed 0).
pub fn place(
    requirements: &TaskRequirements,
    instances: &[ContainerInstance],
) -> PlacementDecision {
    place_as(
        requirements,
        instances,
        &PreviewRequest::demonstration(requirements),
    )
}

/// Places one task as `how` asks, and returns the full trace.
pub fn place_as(
    requirements: &TaskRequirements,
    instances: &[ContainerInstance],
    how: &PreviewRequest,
) -> PlacementDecision {
    let strategy = strategy::chain_to_string(&how.strategies);
    let not_placed =
        |strategy: String, reason: String, approximations: Vec<String>| PlacementDecision {
            strategy,
            candidates: Vec::new(),
            chosen: None,
            unplaced_reason: Some(reason),
            constraints: Vec::new(),
            steps: Vec::new(),
            tie_break: None,
            counters: PlacementCounters::default(),
            closest_match: None,
            failures: Vec::new(),
            approximations,
        };
    let target = match &how.launch_type {
        // A launch type the definition does not support is refused with AWS's message.
        Some(launch_type) => {
            match launch::launch_target(&requirements.requires_compatibilities, launch_type) {
                Ok(target) => target,
                Err(message) => return not_placed(strategy, message, Vec::new()),
            }
        }
        None => launch::preview_target(&requirements.requires_compatibilities),
    };
    if let target @ (launch::LaunchTarget::Fargate | launch::LaunchTarget::External) = target {
        // Without a launch type, a definition that requires only FARGATE (or
        // EXTERNAL) is previewed as launched with it, and says so.
        let name = target.as_str();
        let runs_on = format!("when launched with launchType {name}, the task runs on {name}, not on a container instance of this cluster.");
        let (reason, approximations) = match how.launch_type {
            Some(_) => (runs_on, Vec::new()),
            None => (
                format!("requiresCompatibilities is [\"{name}\"]: {runs_on}"),
                vec![format!(
                    "Previewed as launched with launchType {name}. RunTask or CreateService with neither a launch type nor a capacity provider strategy uses the cluster's default capacity provider strategy, and with none launch type EC2, which places this definition on the cluster's instances."
                )],
            ),
        };
        return not_placed(name.into(), reason, approximations);
    }
    let mut cluster = Cluster::new(instances.to_vec());
    let request = PlacementRequest {
        requirements: requirements.clone(),
        group: how.group.clone(),
        constraints: how.constraints.clone(),
        strategies: how.strategies.clone(),
        capacity_provider: how.capacity_provider.clone(),
    };
    match Placer::new(&mut cluster, request, how.seed) {
        Ok(placer) => placer.explain(),
        Err(err) => not_placed(strategy, err.message, Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needs(cpu: u32, memory: u32, ports: &[u16]) -> TaskRequirements {
        TaskRequirements {
            cpu,
            memory,
            host_ports: ports.to_vec(),
            network_mode: "bridge".into(),
            ..TaskRequirements::default()
        }
    }

    #[test]
    fn binpack_chooses_the_fullest_instance_that_fits() {
        let decision = place(&needs(256, 512, &[]), &demo_cluster());
        // The t3.medium has the least memory free (3992 - 2048).
        assert_eq!(decision.chosen.as_deref(), Some("i-0a1b2c3d4e5f60001"));
        assert_eq!(
            decision.candidates[0].memory_left_after,
            Some(3992 - 2048 - 512)
        );
    }

    #[test]
    fn a_port_conflict_excludes_an_instance_and_says_which_port() {
        let decision = place(&needs(256, 512, &[80]), &demo_cluster());
        assert_eq!(decision.chosen.as_deref(), Some("i-0a1b2c3d4e5f60002"));
        let first = &decision.candidates[0];
        assert!(first
            .checks
            .iter()
            .any(|c| c.check == "ports" && !c.passed && c.detail.contains("80")));
    }

    #[test]
    fn an_oversized_task_is_unplaced_with_the_ecs_event_text() {
        let decision = place(&needs(256, 100_000, &[]), &demo_cluster());
        assert_eq!(decision.chosen, None);
        let reason = decision.unplaced_reason.unwrap();
        assert!(
            reason.contains("has insufficient memory available"),
            "{reason}"
        );
        assert!(decision
            .failures
            .iter()
            .all(|f| f.reason == "RESOURCE:MEMORY"));
    }

    #[test]
    fn a_fargate_only_definition_is_never_previewed_on_an_instance() {
        let mut fargate = needs(256, 512, &[]);
        fargate.requires_compatibilities = vec!["FARGATE".into()];
        let decision = place(&fargate, &demo_cluster());
        assert_eq!(decision.chosen, None);
        assert!(decision
            .unplaced_reason
            .unwrap()
            .contains("when launched with launchType FARGATE, the task runs on FARGATE"));
        assert!(decision.approximations[0].contains("launch type EC2"));
        fargate.requires_compatibilities = vec!["EC2".into(), "FARGATE".into()];
        assert!(place(&fargate, &demo_cluster()).chosen.is_some());
    }

    #[test]
    fn reserved_ports_are_never_free() {
        let decision = place(&needs(1, 1, &[22]), &demo_cluster());
        assert_eq!(decision.chosen, None);
        assert!(decision
            .unplaced_reason
            .unwrap()
            .contains("already using a port"));
    }
}
