//! The console on a run: a command line becomes a run-page action (one call
//! at the current virtual time, labelled with the line), and what the console
//! prints for it is read from the run's recording, as the CLI would print it.
//!
//! The run page loads this through the console module (`crates/ecs-console`,
//! on demand): [`action`] takes the number of actions the run already has,
//! not the run, and [`print_call`] the recorded call the page found with
//! `workspace::run::recorded_call`, so that only JSON crosses.

use serde_json::Value;

use super::{parse, print_error, print_json, CliError};
use crate::sim::playback::Recording;
use crate::sim::scenario::CallRecord;
use crate::workspace::run::{recorded_call, Action, ActionStep};

/// The action `line` stands for at `at_ms` in a run that has `taken`
/// actions, and whether the CLI would go on to fetch further pages (see
/// [`print_call`]). RunTask's idempotency token is a UUID-shaped number from
/// the run's action count, so that each call is new (botocore sends a random
/// one) and the run stays deterministic.
pub fn action(line: &str, at_ms: u64, taken: usize) -> Result<(Action, bool), CliError> {
    let token = format!("00000000-0000-4000-8000-{taken:012x}");
    let call = parse(line, &token)?;
    let action = Action {
        at_ms,
        label: format!("aws ecs {}", call.command),
        steps: vec![ActionStep {
            call: call.operation.to_string(),
            input: call.request,
        }],
    };
    Ok((action, call.paginate))
}

/// What the console prints for `action` once the run with it is recorded
/// (`None` if the recording has no such call: the action was not recorded).
pub fn output(recording: &Recording, action: &Action, paginate: bool) -> Option<String> {
    recorded_call(recording, action).map(|record| print_call(record, paginate))
}

/// What the console prints for a recorded call: the response as
/// `aws --output json` prints it, or the CLI's error line. `paginate` is
/// what [`action`] said: when the CLI would follow `nextToken` and the
/// response has one, the output says that this is one page.
pub fn print_call(record: &CallRecord, paginate: bool) -> String {
    match (&record.response, &record.error) {
        (Some(response), _) => {
            let mut printed = print_json(response);
            let more = response.get("nextToken").is_some_and(|t| !t.is_null());
            if paginate && more {
                // The CLI would follow nextToken itself and print every page
                // as one; this console makes one call per line.
                printed.push_str(
                    "(This is one page. The AWS CLI would fetch the rest and print them together; \
                     here, run the line again with --next-token and the nextToken above.)\n",
                );
            }
            printed
        }
        (None, Some(error)) => print_error(
            &record.call,
            error
                .get("__type")
                .and_then(Value::as_str)
                .unwrap_or("ServerException"),
            error.get("message").and_then(Value::as_str).unwrap_or(""),
        ),
        (None, None) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::run::{Run, RunSource};
    use serde_json::json;

    fn base() -> Run {
        Run::new(
            RunSource::Workspace,
            json!({"format": "ecs-playground-scenario/1", "steps": [
                {"at": 0, "call": "CreateCluster", "input": {"clusterName": "demo"}},
                {"at": 0, "call": "Simulator.LaunchInstances", "input": {"cluster": "demo", "count": 2}}
            ]}),
        )
    }

    fn take(run: &Run, line: &str, at_ms: u64) -> (Run, String) {
        let (action, paginate) = action(line, at_ms, run.actions.len()).unwrap();
        let next = run.with_action(action.clone()).unwrap();
        let recording = Recording::record(&next.scenario().unwrap());
        let printed = output(&recording, &action, paginate).unwrap();
        (next, printed)
    }

    #[test]
    fn lines_become_calls_and_print_what_the_cli_prints() {
        let run = base();
        let (run, printed) = take(&run, "aws ecs register-task-definition --family web --container-definitions name=web,image=nginx,memory=256", 10_000);
        assert!(
            printed.starts_with("{\n    \"taskDefinition\": {\n"),
            "{printed}"
        );
        assert!(printed.contains("\"revision\": 1,"), "{printed}");
        let (run, printed) = take(&run, "aws ecs create-service --cluster demo --service-name web --task-definition web:1 --desired-count 3 --placement-strategy type=spread,field=attribute:ecs.availability-zone", 20_000);
        assert!(printed.contains("\"desiredCount\": 3,"), "{printed}");
        let (run, printed) = take(
            &run,
            "aws ecs run-task --cluster demo --task-definition web",
            30_000,
        );
        assert!(printed.contains("\"tasks\": ["), "{printed}");
        let (_, printed) = take(
            &run,
            "aws ecs run-task --cluster demo --task-definition web",
            30_000,
        );
        assert!(
            printed.contains("\"tasks\": ["),
            "a second run-task is a new call: {printed}"
        );
        let (_, printed) = take(
            &run,
            "aws ecs describe-services --cluster nowhere --services web",
            40_000,
        );
        assert!(printed.contains("An error occurred (ClusterNotFoundException) when calling the DescribeServices operation"), "{printed}");
    }

    #[test]
    fn refused_lines_make_no_action() {
        let run = base();
        assert!(action(
            "aws ecs create-service --cluster demo",
            0,
            run.actions.len()
        )
        .is_err());
        assert!(action(
            "aws ecs register-task-definition --cli-input-json file://x.json",
            0,
            run.actions.len()
        )
        .is_err());
    }
}
