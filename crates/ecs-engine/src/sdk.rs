//! The JavaScript SDK's front doors over JSON text (`crates/ecs-js` only
//! forwards to these): a simulated account from an optional configuration,
//! scenario runs and task-definition analysis. Every failure comes back as
//! the same AWS-shaped error object `Ecs::call_json` returns:
//! `{"__type": "...", "message": "..."}`.

use serde_json::json;

use crate::sim::scenario::Scenario;
use crate::sim::{AwsError, Ecs, SimConfig};

/// The `__type` of a scenario document that cannot be run.
pub const INVALID_SCENARIO: &str = "InvalidScenarioException";

/// An AWS-shaped error as JSON text.
pub fn error_json(error: &AwsError) -> String {
    crate::json::write::compact(&json!({"__type": error.error_type, "message": error.message}))
}

/// A simulated account. `config` is a [`SimConfig`] as JSON
/// (`{"seed": 7, "region": "eu-west-1"}`; missing members take their
/// defaults); `None`, empty or `null` gives the defaults.
pub fn new_ecs(config: Option<&str>) -> Result<Ecs, AwsError> {
    let config = match config.map(str::trim) {
        None | Some("") | Some("null") => SimConfig::default(),
        Some(text) => serde_json::from_str::<SimConfig>(text).map_err(|e| {
            AwsError::new(
                "SerializationException",
                format!("the simulator configuration is not valid: {e}"),
            )
        })?,
    };
    Ok(Ecs::new(config))
}

/// Runs a scenario document; `until_ms` overrides its `until`. Returns the
/// run (`docs/scenario-format.md`, "Output") or an error object.
pub fn run_scenario_json(text: &str, until_ms: Option<u64>) -> String {
    match Scenario::parse(text) {
        Ok(scenario) => serde_json::to_string(&scenario.run(until_ms)).unwrap_or_else(|e| {
            error_json(&AwsError::new(
                "SerializationException",
                format!("the run could not be written as JSON: {e}"),
            ))
        }),
        Err(message) => error_json(&AwsError::new(INVALID_SCENARIO, message)),
    }
}

/// Analyses a task definition in any accepted form: the [`crate::Analysis`]
/// (form, diagnostics, requirements) as JSON. Never an error: bad input is a
/// diagnostic.
pub fn analyze_task_definition_json(text: &str) -> String {
    let analysis = crate::analyze_task_definition(text);
    serde_json::to_string(&analysis).unwrap_or_else(|e| {
        error_json(&AwsError::new(
            "SerializationException",
            format!("the analysis could not be written as JSON: {e}"),
        ))
    })
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    fn parse(text: &str) -> Value {
        serde_json::from_str(text).expect("the SDK always returns JSON")
    }

    #[test]
    fn configurations_take_defaults_for_what_they_leave_out() {
        // (configuration, Ok((seed, region)) or Err(__type))
        type Expected = Result<(u64, &'static str), &'static str>;
        let cases: &[(Option<&str>, Expected)] = &[
            (None, Ok((1, "us-east-1"))),
            (Some(""), Ok((1, "us-east-1"))),
            (Some("null"), Ok((1, "us-east-1"))),
            (Some(r#"{"seed": 7}"#), Ok((7, "us-east-1"))),
            (Some(r#"{"region": "eu-west-1"}"#), Ok((1, "eu-west-1"))),
            (Some(r#"{"seed": -1}"#), Err("SerializationException")),
            (Some("[1"), Err("SerializationException")),
        ];
        for (config, expected) in cases {
            let got = new_ecs(*config)
                .map(|ecs| (ecs.config().seed, ecs.config().region.clone()))
                .map_err(|e| e.error_type);
            match (got, expected) {
                (Ok((seed, region)), Ok((s, r))) => assert_eq!((seed, region.as_str()), (*s, *r)),
                (Err(t), Err(e)) => assert_eq!(t, *e, "{config:?}"),
                (got, expected) => panic!("{config:?}: {got:?} vs {expected:?}"),
            }
        }
    }

    #[test]
    fn a_scenario_runs_and_a_bad_one_is_an_error_object() {
        let run = parse(&run_scenario_json(
            r#"{"format": "ecs-playground-scenario/1", "steps": [{"call": "CreateCluster", "input": {"clusterName": "demo"}}]}"#,
            Some(60_000),
        ));
        assert_eq!(
            run["calls"][0]["response"]["cluster"]["clusterArn"],
            "arn:aws:ecs:us-east-1:123456789012:cluster/demo"
        );
        assert_eq!(run["end"], 60.0);
        for bad in [
            "",
            "{",
            r#"{"format": "other/9", "steps": []}"#,
            r#"{"format": "ecs-playground-scenario/1"}"#,
        ] {
            let error = parse(&run_scenario_json(bad, None));
            assert_eq!(error["__type"], INVALID_SCENARIO, "{bad}");
            assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
        }
    }

    #[test]
    fn analysis_reports_diagnostics_as_json() {
        let valid = parse(&analyze_task_definition_json(
            crate::examples::DEFAULT_TASK_DEFINITION,
        ));
        assert_eq!(valid["diagnostics"], json!([]));
        assert_eq!(valid["requirements"]["cpu"], 320);
        let broken = parse(&analyze_task_definition_json("{\"family\": "));
        let codes: Vec<&str> = broken["diagnostics"].as_array().map_or(vec![], |d| {
            d.iter().filter_map(|d| d["code"].as_str()).collect()
        });
        assert!(!codes.is_empty(), "{broken}");
    }
}
