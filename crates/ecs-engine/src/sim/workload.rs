//! The simulation benchmark's workload, shared by the native benchmark
//! (`benches/simulation.rs`) and the in-browser one (`crates/ecs-js/tests/bench.rs`),
//! so that both figures measure the same thing: a REPLICA service of `size`
//! tasks on `size` m5.large instances, rolled from `web:1` to `web:2` with the
//! default deployment configuration (100% / 200%).

use serde_json::{json, Value};

use super::scenario::Scenario;
use super::{AwsError, Ecs, SimConfig};

/// The service the workload creates.
pub const SERVICE: &str = "web";

/// How far a run to steady state may go before it is called stuck.
pub const STEADY_LIMIT_MS: u64 = 6 * 3_600_000;

/// The workload's task definition: one container, 256 CPU units, 512 MiB and a
/// dynamic host port.
pub fn task_definition(image: &str) -> Value {
    json!({"family": SERVICE, "containerDefinitions": [{"name": "app", "image": image, "cpu": 256, "memory": 512, "portMappings": [{"containerPort": 80}]}]})
}

/// A task definition the size of the corpus's larger ones (about 2 KB of
/// JSON): an application container and a FireLens log router, with
/// environment, logging, a health check and a shared volume.
pub fn corpus_sized_task_definition(family: &str) -> Value {
    json!({
        "family": family,
        "networkMode": "bridge",
        "requiresCompatibilities": ["EC2"],
        "containerDefinitions": [
            {
                "name": "app",
                "image": "public.ecr.aws/nginx/nginx:1.27",
                "essential": true,
                "cpu": 256,
                "memory": 512,
                "memoryReservation": 384,
                "portMappings": [{"containerPort": 80, "protocol": "tcp"}],
                "environment": [
                    {"name": "APP_ENV", "value": "production"},
                    {"name": "APP_LOG_LEVEL", "value": "info"},
                    {"name": "APP_FEATURE_FLAGS", "value": "search,checkout,recommendations"},
                    {"name": "APP_UPSTREAM", "value": "http://orders.internal:8080"}
                ],
                "mountPoints": [{"containerPath": "/var/log/app", "sourceVolume": "logs"}],
                "logConfiguration": {
                    "logDriver": "awsfirelens",
                    "options": {
                        "Name": "cloudwatch",
                        "region": "us-east-1",
                        "log_group_name": "/ecs/web/application",
                        "auto_create_group": "true",
                        "log_stream_prefix": "app-",
                        "retry_limit": "2"
                    }
                },
                "healthCheck": {
                    "command": ["CMD-SHELL", "curl -f http://localhost/health || exit 1"],
                    "interval": 30,
                    "timeout": 5,
                    "retries": 3,
                    "startPeriod": 10
                },
                "dependsOn": [{"containerName": "log-router", "condition": "START"}],
                "ulimits": [{"name": "nofile", "softLimit": 65536, "hardLimit": 65536}]
            },
            {
                "name": "log-router",
                "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable",
                "essential": true,
                "cpu": 64,
                "memoryReservation": 64,
                "firelensConfiguration": {"type": "fluentbit", "options": {"enable-ecs-log-metadata": "true"}},
                "mountPoints": [{"containerPath": "/logs", "sourceVolume": "logs"}],
                "logConfiguration": {
                    "logDriver": "awslogs",
                    "options": {
                        "awslogs-group": "/ecs/web/firelens",
                        "awslogs-region": "us-east-1",
                        "awslogs-create-group": "true",
                        "awslogs-stream-prefix": "firelens"
                    }
                }
            }
        ],
        "volumes": [{"name": "logs"}],
        "tags": [{"key": "team", "value": "storefront"}, {"key": "cost-center", "value": "1234"}]
    })
}

/// A cluster of `size` m5.large instances running the `web` service of
/// `size` tasks of `web:1`, run until its first rollout is complete.
pub fn steady_service(size: u32) -> Result<Ecs, AwsError> {
    let mut ecs = Ecs::new(SimConfig::default());
    ecs.call("CreateCluster", &json!({}))?;
    ecs.call(
        "Simulator.LaunchInstances",
        &json!({"instanceType": "m5.large", "count": size}),
    )?;
    ecs.call("RegisterTaskDefinition", &task_definition("web:1"))?;
    ecs.call(
        "CreateService",
        &json!({"serviceName": SERVICE, "taskDefinition": "web:1", "desiredCount": size}),
    )?;
    run_to_steady(&mut ecs, size)
        .ok_or_else(|| AwsError::client("the service never became steady"))?;
    Ok(ecs)
}

/// Registers `web:2` and points the service at it: the rolling deployment.
pub fn start_rolling_deployment(ecs: &mut Ecs) -> Result<(), AwsError> {
    ecs.call("RegisterTaskDefinition", &task_definition("web:2"))?;
    ecs.call(
        "UpdateService",
        &json!({"service": SERVICE, "taskDefinition": "web:2"}),
    )?;
    Ok(())
}

/// The same workload as a scenario for playback: the service is created at
/// 0, the deployment starts at 25 virtual minutes and the run ends at 50.
pub fn rolling_scenario(size: u32) -> Result<Scenario, String> {
    Scenario::from_value(&json!({
        "format": "ecs-playground-scenario/1",
        "steps": [
            {"at": 0, "call": "CreateCluster", "input": {}},
            {"at": 0, "call": "Simulator.LaunchInstances", "input": {"instanceType": "m5.large", "count": size}},
            {"at": 0, "call": "RegisterTaskDefinition", "input": task_definition("web:1")},
            {"at": 0, "call": "CreateService", "input": {"serviceName": SERVICE, "taskDefinition": "web:1", "desiredCount": size}},
            {"at": "25m", "call": "RegisterTaskDefinition", "input": task_definition("web:2")},
            {"at": "25m", "call": "UpdateService", "input": {"service": SERVICE, "taskDefinition": "web:2"}}
        ],
        "until": "50m"
    }))
}

/// One deployment, COMPLETED, with all `size` tasks running.
pub fn is_steady(ecs: &mut Ecs, size: u32) -> bool {
    let Ok(out) = ecs.call("DescribeServices", &json!({"services": [SERVICE]})) else {
        return false;
    };
    let service = &out["services"][0];
    service["deployments"]
        .as_array()
        .is_some_and(|d| d.len() == 1)
        && service["deployments"][0]["rolloutState"] == "COMPLETED"
        && service["runningCount"] == size
}

/// Advances a virtual minute at a time until the service is steady; returns
/// the virtual milliseconds it took, or `None` past [`STEADY_LIMIT_MS`].
///
/// Steady is what [`is_steady`] reads from DescribeServices. Building that
/// answer costs as much as a scheduler run at 5,000 tasks, so between
/// minutes the run only reads the timeline for the scheduler's own
/// announcement ("has reached a steady state", logged by the run that marks
/// the rollout COMPLETED) and asks DescribeServices once it has been made:
/// the same minute as polling DescribeServices every minute (a test below
/// compares the two), without a client's polling inside the measured time.
pub fn run_to_steady(ecs: &mut Ecs, size: u32) -> Option<u64> {
    let start = ecs.now();
    if is_steady(ecs, size) {
        return Some(0);
    }
    let announcement = format!("(service {SERVICE}) has reached a steady state.");
    // Timeline events read so far, counting the dropped ones.
    let mut read = ecs.timeline().count() as u64 + ecs.timeline_dropped();
    let mut announced = false;
    loop {
        if ecs.now() - start >= STEADY_LIMIT_MS {
            return None;
        }
        let next = ecs.now().saturating_add(60_000);
        ecs.advance_to(next);
        let unread = read.saturating_sub(ecs.timeline_dropped()) as usize;
        announced |= ecs
            .timeline()
            .skip(unread)
            .any(|e| e.kind == "deployment" && e.message == announcement);
        read = ecs.timeline().count() as u64 + ecs.timeline_dropped();
        if announced && is_steady(ecs, size) {
            return Some(ecs.now() - start);
        }
    }
}

/// [`run_to_steady`] asking DescribeServices every minute (how a client
/// polls): the reference the announcement-driven run is compared with.
#[cfg(test)]
fn run_to_steady_polling(ecs: &mut Ecs, size: u32) -> Option<u64> {
    let start = ecs.now();
    while !is_steady(ecs, size) {
        if ecs.now() - start >= STEADY_LIMIT_MS {
            return None;
        }
        let next = ecs.now().saturating_add(60_000);
        ecs.advance_to(next);
    }
    Some(ecs.now() - start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_service_rolls_to_the_new_definition() {
        let mut ecs = steady_service(20).expect("the workload builds");
        start_rolling_deployment(&mut ecs).expect("the deployment starts");
        assert!(!is_steady(&mut ecs, 20), "a new deployment is in progress");
        assert!(run_to_steady(&mut ecs, 20).is_some());
        let out = ecs
            .call("DescribeServices", &json!({"services": [SERVICE]}))
            .expect("describe");
        assert_eq!(
            out["services"][0]["taskDefinition"],
            ecs.arn(&["task-definition", "web:2"])
        );
    }

    #[test]
    fn reading_the_announcement_finds_the_minute_polling_finds() {
        for size in [1, 7, 40] {
            let mut polled = steady_service(size).expect("the workload builds");
            let mut announced = polled.clone();
            start_rolling_deployment(&mut polled).expect("the deployment starts");
            start_rolling_deployment(&mut announced).expect("the deployment starts");
            let by_polling = run_to_steady_polling(&mut polled, size);
            assert!(by_polling.is_some_and(|ms| ms > 0), "size {size}");
            assert_eq!(
                run_to_steady(&mut announced, size),
                by_polling,
                "size {size}"
            );
            // Already steady: no time passes.
            assert_eq!(run_to_steady(&mut announced, size), Some(0));
        }
    }

    #[test]
    fn the_corpus_sized_definition_registers_and_is_corpus_sized() {
        let definition = corpus_sized_task_definition("storefront");
        let size = definition.to_string().len();
        assert!((1500..=3000).contains(&size), "{size} bytes");
        let mut ecs = Ecs::new(SimConfig::default());
        let out = ecs
            .call("RegisterTaskDefinition", &definition)
            .expect("registers");
        assert_eq!(out["taskDefinition"]["revision"], 1);
    }
}
