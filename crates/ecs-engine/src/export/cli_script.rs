//! The workspace as an `aws ecs` shell script that would create the same
//! resources on real AWS.
//!
//! It is written from the workspace's scenario, so it creates exactly what the
//! simulator runs: each ECS call becomes `aws ecs <operation> --cli-input-json
//! '<input>'`. Simulator-only steps (launching instances) have no ECS API
//! equivalent; they become comments saying what to do instead.

use crate::json::write::{compact, quoted};
use serde_json::Value;

/// The script for a scenario (see [`crate::workspace::scenario`]).
pub fn cli_script(scenario: &Value) -> String {
    let mut out = String::from(
        "#!/bin/sh\n\
         # Creates the resources of an ECS Playground workspace on real AWS.\n\
         # Needs the AWS CLI v2 with credentials; uses your default region\n\
         # unless AWS_REGION is set. Review it before running: it creates\n\
         # resources that may cost money.\n\
         set -eu\n",
    );
    let steps = scenario
        .get("steps")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    for step in steps {
        let call = step.get("call").and_then(Value::as_str).unwrap_or("");
        let input = step.get("input").cloned().unwrap_or(Value::Null);
        out.push('\n');
        if let Some(simulator_call) = call.strip_prefix("Simulator.") {
            out.push_str(&simulator_comment(simulator_call, &input));
            continue;
        }
        let json = crate::json::write::pretty(&input);
        out.push_str(&format!(
            "aws ecs {} --cli-input-json {}\n",
            kebab_case(call),
            shell_quote(&json)
        ));
    }
    out
}

/// Single-quotes `text` for a POSIX shell: only `'` itself needs care.
pub fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// `RegisterTaskDefinition` → `register-task-definition`.
pub fn kebab_case(operation: &str) -> String {
    let mut out = String::with_capacity(operation.len() + 8);
    for (i, c) in operation.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        }
    }
    out
}

/// What a simulator step stands for on real AWS, as comment lines (every line
/// starts with `#`, so nothing in the input can become a command).
fn simulator_comment(call: &str, input: &Value) -> String {
    let text = match call {
        "LaunchInstances" => {
            let count = input.get("count").and_then(Value::as_u64).unwrap_or(1);
            let kind = input
                .get("instanceType")
                .and_then(Value::as_str)
                .unwrap_or("m5.large");
            let cluster = input
                .get("cluster")
                .and_then(Value::as_str)
                .unwrap_or("default");
            let zones = input
                .get("availabilityZones")
                .and_then(Value::as_array)
                .map(|z| {
                    z.iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .filter(|z| !z.is_empty())
                .unwrap_or_else(|| "any zone".to_string());
            let mut text = format!(
                "The playground launches {count} x {kind} in {zones} into cluster {cluster}.\n\
                 On AWS, launch them from the ECS-optimized AMI with ECS_CLUSTER={cluster}\n\
                 in /etc/ecs/ecs.config (for example through an Auto Scaling group)."
            );
            if let Some(attributes) = input.get("attributes").and_then(Value::as_object) {
                let pairs: Vec<String> = attributes
                    .iter()
                    .map(|(k, v)| {
                        let value = compact(v);
                        let value = if v.is_string() { value } else { quoted(&value) };
                        format!("{}:{value}", quoted(k))
                    })
                    .collect();
                text.push_str(&format!(
                    "\nAlso set ECS_INSTANCE_ATTRIBUTES={{{}}}.",
                    pairs.join(",")
                ));
            }
            text
        }
        other => format!("Simulator.{other} only exists in the playground; nothing to do on AWS."),
    };
    text.lines().map(|line| format!("# {line}\n")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::scenario::{to_scenario, ScenarioSettings};
    use crate::workspace::{default_workspace, Edit};

    #[test]
    fn the_default_workspace_becomes_register_create_create() {
        let scenario = to_scenario(&default_workspace(), &ScenarioSettings::default()).scenario;
        let script = cli_script(&scenario);
        assert!(script.starts_with("#!/bin/sh\n"));
        let commands: Vec<&str> = script
            .lines()
            .filter(|l| l.starts_with("aws "))
            .map(|l| l.split(" --").next().unwrap_or(""))
            .collect();
        assert_eq!(
            commands,
            [
                "aws ecs register-task-definition",
                "aws ecs create-cluster",
                "aws ecs create-service"
            ]
        );
        assert!(script
            .contains("# On AWS, launch them from the ECS-optimized AMI with ECS_CLUSTER=demo"));
        assert!(script.contains("ECS_INSTANCE_ATTRIBUTES={\"workload\":\"batch\"}"));
    }

    #[test]
    fn quoting_survives_quotes_and_shell_metacharacters() {
        let hostile = "it's $(rm -rf /) `x` \"y\" \\ ;\n'";
        assert_eq!(shell_quote("a'b"), r"'a'\''b'");
        let ws = default_workspace().apply(Edit::Rename {
            id: "d1".into(),
            name: hostile.into(),
        });
        let script = cli_script(&to_scenario(&ws, &ScenarioSettings::default()).scenario);
        // Every line is a comment, a command, or inside a quoted argument:
        // removing the quoted arguments leaves only comments and commands.
        let mut unquoted = String::new();
        let mut inside = false;
        let mut chars = script.chars();
        while let Some(c) = chars.next() {
            match (c, inside) {
                ('\'', _) => inside = !inside,
                // An escaped character outside quotes is a literal.
                ('\\', false) => {
                    chars.next();
                }
                (c, false) => unquoted.push(c),
                _ => {}
            }
        }
        assert!(!inside, "quotes balance");
        for line in unquoted.lines().filter(|l| !l.trim().is_empty()) {
            assert!(
                line.starts_with('#')
                    || line.starts_with("set -eu")
                    || line.starts_with("aws ecs "),
                "unexpected unquoted line {line:?}"
            );
            assert!(!line.contains("$(") && !line.contains('`'), "{line:?}");
        }
    }

    #[test]
    fn operation_names_become_cli_commands() {
        for (op, cli) in [
            ("CreateService", "create-service"),
            ("RegisterTaskDefinition", "register-task-definition"),
            (
                "PutClusterCapacityProviders",
                "put-cluster-capacity-providers",
            ),
        ] {
            assert_eq!(kebab_case(op), cli);
        }
    }
}
