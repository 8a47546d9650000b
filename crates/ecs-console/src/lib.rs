//! The run page's `aws ecs` console engine, loaded the first time the
//! learner uses the console (www/js/run-chunks.js, built into
//! `dist/console/` by `scripts/build-run-chunks.sh`): AWS's ECS model, the
//! CLI's word splitting, shorthand and JSON printing (`ecs_engine::aws_cli`)
//! are kept out of the run page's own wasm.
//!
//! Glue only: each function forwards to the engine and hands back JSON text.
//! The page takes the action into its run and records it; it passes back the
//! recorded call to print (`workspace::run::recorded_call`).

use ecs_engine::aws_cli::{complete, session};
use ecs_engine::sim::scenario::CallRecord;
use serde_json::json;
use wasm_bindgen::prelude::*;

/// `{"action": Action, "paginate": bool}` for a command line typed at
/// `at_ms` in a run that has `taken` actions; throws the engine's message
/// (worded as the CLI words it) when the line makes no call.
#[wasm_bindgen(js_name = lineAction)]
pub fn line_action(line: &str, at_ms: f64, taken: u32) -> Result<String, String> {
    let at_ms = if at_ms.is_finite() && at_ms > 0.0 {
        at_ms as u64
    } else {
        0
    };
    let (action, paginate) = session::action(line, at_ms, taken as usize).map_err(|e| e.message)?;
    Ok(json!({"action": action, "paginate": paginate}).to_string())
}

/// The completion at byte offset `cursor` of `line`, as
/// `{"start", "end", "candidates"}`.
#[wasm_bindgen(js_name = completeLine)]
pub fn complete_line(line: &str, cursor: u32) -> String {
    serde_json::to_string(&complete(line, cursor as usize)).unwrap_or_default()
}

/// What the CLI prints for a recorded call (`CallRecord` as JSON); throws
/// when the text is not a recorded call.
#[wasm_bindgen(js_name = printCall)]
pub fn print_call(record: &str, paginate: bool) -> Result<String, String> {
    let record: CallRecord =
        serde_json::from_str(record).map_err(|e| format!("not a recorded call: {e}"))?;
    Ok(session::print_call(&record, paginate))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ecs_engine::sim::playback::Recording;
    use ecs_engine::workspace::run::{recorded_call, Action, Run, RunSource};

    #[test]
    fn a_line_is_an_action_whose_recorded_call_prints_as_the_cli_prints() {
        let run = Run::new(
            RunSource::Workspace,
            json!({"format": "ecs-playground-scenario/1", "steps": [
                {"at": 0, "call": "CreateCluster", "input": {"clusterName": "demo"}}
            ]}),
        );
        let taken: serde_json::Value =
            serde_json::from_str(&line_action("aws ecs list-clusters", 5_000.0, 0).unwrap())
                .unwrap();
        assert_eq!(taken["paginate"], true);
        let action: Action = serde_json::from_value(taken["action"].clone()).unwrap();
        assert_eq!(action.label, "aws ecs list-clusters");
        let next = run.with_action(action.clone()).unwrap();
        let recording = Recording::record(&next.scenario().unwrap());
        let record = serde_json::to_string(recorded_call(&recording, &action).unwrap()).unwrap();
        let printed = print_call(&record, true).unwrap();
        assert!(
            printed.starts_with("{\n    \"clusterArns\": [\n"),
            "{printed}"
        );
        assert!(print_call("[]", false).is_err());
    }

    #[test]
    fn refusals_and_completions_cross_as_text() {
        let refused = line_action("aws ecs create-service --cluster demo", 0.0, 0).unwrap_err();
        assert!(refused.contains("--service-name"), "{refused}");
        let completion: serde_json::Value =
            serde_json::from_str(&complete_line("aws ecs create-se", 17)).unwrap();
        assert_eq!(completion["start"], 8);
        assert_eq!(completion["candidates"], json!(["create-service"]));
    }
}
