//! The console against the real AWS CLI (the records in `oracle.jsonl`,
//! checked against the CLI itself by `scripts/aws-cli-oracle.py --check`),
//! against AWS's model, and against hostile input.

use serde_json::Value;

use super::*;

/// What `scripts/aws-cli-oracle.py` writes in place of the fresh UUID botocore
/// sends as RunTask's `clientToken`.
const TOKEN: &str = "11111111-1111-4111-8111-111111111111";

fn records() -> Vec<Value> {
    include_str!("oracle.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("oracle.jsonl holds JSON lines"))
        .collect()
}

#[test]
fn every_line_sends_what_the_real_cli_sends() {
    let mut sent = 0;
    let mut refused = 0;
    let mut problems = Vec::new();
    for record in records() {
        let Some(line) = record["line"].as_str() else {
            continue;
        };
        let parsed = parse(line, TOKEN);
        if record["refused"] == Value::Bool(true) {
            refused += 1;
            if let Ok(call) = parsed {
                problems.push(format!(
                    "{line}\n  the CLI refuses it; the console sends {}",
                    call.body()
                ));
            }
            continue;
        }
        sent += 1;
        match parsed {
            Err(e) => problems.push(format!("{line}\n  the console refuses it: {e}")),
            Ok(call) => {
                if Some(call.target().as_str()) != record["target"].as_str() {
                    problems.push(format!(
                        "{line}\n  target {} (CLI: {})",
                        call.target(),
                        record["target"]
                    ));
                }
                if Some(call.body().as_str()) != record["body"].as_str() {
                    problems.push(format!(
                        "{line}\n  console: {}\n  CLI:     {}",
                        call.body(),
                        record["body"]
                    ));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {} lines differ:\n{}",
        problems.len(),
        sent + refused,
        problems.join("\n")
    );
    assert!(sent >= 50, "only {sent} lines with a request in the table");
    assert!(refused >= 5, "only {refused} refused lines in the table");
}

#[test]
fn arguments_are_named_as_the_cli_names_them() {
    let mut compared = 0;
    for record in records() {
        let Some(command) = record["operation"].as_str() else {
            continue;
        };
        let op = operation(command)
            .unwrap_or_else(|| panic!("the CLI has {command}; the model does not"));
        let strings = |key: &str| -> Vec<String> {
            record[key]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        };
        let (cli, cli_hidden) = (strings("arguments"), strings("undocumented"));
        let ours = arguments(op);
        let documented: Vec<String> = ours
            .iter()
            .filter(|a| a.documented)
            .map(|a| a.name.clone())
            .collect();
        let hidden: Vec<String> = ours
            .iter()
            .filter(|a| !a.documented)
            .map(|a| a.name.clone())
            .collect();
        // The shared model may be newer than the CLI's: it can only add arguments.
        let common: Vec<String> = documented
            .iter()
            .filter(|n| cli.contains(n))
            .cloned()
            .collect();
        assert_eq!(common, cli, "{command}: the CLI's arguments, in its order");
        assert_eq!(hidden, cli_hidden, "{command}: undocumented arguments");
        compared += 1;
    }
    assert!(compared >= 70, "only {compared} operations compared");
}

#[test]
fn the_model_is_current() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/aws-model/ecs-2014-11-13.service-2.json"
    ))
    .expect("shared/aws-model beside the repository");
    let model: Value = serde_json::from_str(&text).expect("service-2.json is JSON");
    let operations = model["operations"].as_object().expect("operations");
    assert_eq!(
        model::OPERATIONS.len(),
        operations.len(),
        "operations: run python3 scripts/gen-model.py"
    );
    for op in model::OPERATIONS {
        let input = operations[op.name]["input"]["shape"]
            .as_str()
            .expect("an input shape");
        let shape = value::shape(op.input).expect("the input's index");
        assert_eq!(
            shape.name, input,
            "{}: run python3 scripts/gen-model.py",
            op.name
        );
        let members: Vec<&str> = model["shapes"][input]["members"]
            .as_object()
            .map_or(vec![], |m| m.keys().map(String::as_str).collect());
        let ours: Vec<&str> = shape.members.iter().map(|m| m.0).collect();
        assert_eq!(
            ours, members,
            "{}: run python3 scripts/gen-model.py",
            op.name
        );
    }
}

#[test]
fn refuses_what_is_not_available_with_a_reason() {
    let cases: &[(&str, &str)] = &[
        ("aws ecs register-task-definition --cli-input-json file://td.json", "--cli-input-json"),
        ("aws ecs register-task-definition --family web --container-definitions file://c.json", "file://"),
        ("aws ecs describe-clusters --clusters https://example.com/x", "fetches a URL"),
        ("aws ecs list-clusters --query clusterArns", "JMESPath"),
        ("aws ecs list-clusters --output table", "--output table"),
        ("aws ecs list-clusters --endpoint-url http://x", "always calls"),
        ("aws ecs create-cluster --cli-input-json '{}'", "--cli-input-json"),
        ("aws ecs create-cluster --generate-cli-skeleton", "--generate-cli-skeleton"),
        ("aws ecs list-clusters --starting-token abc", "--next-token"),
        ("aws s3 ls", "Only aws ecs"),
        ("aws ecs wait services-stable", "not available"),
        ("aws ecs list-clusters | head", "no shell"),
        ("aws ecs describe-clusters --clusters $C", "no shell"),
        ("aws ecs create-servce --service-name web", "Did you mean create-service?"),
        ("aws ecs create-service --service-name web --desired-cont 3", "Did you mean --desired-count?"),
        ("aws ecs create-service --desired-count 3", "required: --service-name"),
        ("aws ecs create-service --service-name web --desired-count three", "invalid literal"),
        ("aws ecs create-service --service-name web --placement-strategy typ", "Expected: '='"),
        ("aws ecs create-service --service-name web --placement-strategy type=spread,bogus=1", "Unknown parameter in placementStrategy[0]: \"bogus\""),
        ("aws ecs create-service --service-name web --deployment-configuration '{\"maximumPercent\": \"200\"}'", "Invalid type for parameter deploymentConfiguration.maximumPercent"),
        ("aws ecs create-service --service-name web --network-configuration '{'", "Invalid JSON"),
        ("aws ecs create-service --service-name web --tags key=a,value=b --cluster", "expected one argument"),
        ("aws ecs create-service --service-name web --c x", "ambiguous option"),
        ("aws ecs list-services --max-results 5 --page-size 5", "Cannot specify --no-paginate"),
        ("aws ecs update-service --service web --force-new-deployment=yes", "ignored explicit argument"),
        ("aws ecs list-service-deployments --service web --created-at before='Jan 1 2024'", "Invalid type for parameter createdAt.before"),
        ("aws ecs update-service --service 'web", "No closing quotation"),
        ("aws", "Type an AWS CLI command"),
    ];
    for (line, expected) in cases {
        match parse(line, TOKEN) {
            Ok(call) => panic!("{line}: accepted as {}", call.body()),
            Err(e) => assert!(
                e.message.contains(expected),
                "{line}: {e}\n  wanted: {expected}"
            ),
        }
    }
}

#[test]
fn run_task_gets_the_callers_idempotency_token_unless_it_has_one() {
    let call = parse("aws ecs run-task --task-definition web", "tok-1").unwrap();
    assert_eq!(
        call.body(),
        r#"{"taskDefinition": "web", "clientToken": "tok-1"}"#
    );
    let call = parse(
        "aws ecs run-task --task-definition web --client-token mine",
        "tok-1",
    )
    .unwrap();
    assert_eq!(
        call.body(),
        r#"{"taskDefinition": "web", "clientToken": "mine"}"#
    );
}

#[test]
fn paging_follows_the_cli() {
    let call = parse(
        "aws ecs list-services --cluster demo --page-size 5 --max-items 7",
        TOKEN,
    )
    .unwrap();
    assert!(call.paginate);
    assert_eq!(call.max_items, Some(7));
    assert_eq!(call.body(), r#"{"cluster": "demo", "maxResults": 5}"#);
    let call = parse(
        "aws ecs list-services --cluster demo --next-token abc",
        TOKEN,
    )
    .unwrap();
    assert!(!call.paginate, "a token given by hand turns paging off");
    let call = parse(
        "aws --no-paginate --region eu-west-1 ecs list-clusters",
        TOKEN,
    )
    .unwrap();
    assert!(!call.paginate);
    assert_eq!(call.region.as_deref(), Some("eu-west-1"));
    assert!(!parse("aws ecs describe-clusters", TOKEN).unwrap().paginate);
}

/// A small deterministic generator, so the hostile-input test is the same each run.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn never_panics_on_any_input() {
    let pieces = [
        "aws",
        "ecs",
        " ",
        "create-service",
        "update-service",
        "run-task",
        "list-services",
        "register-task-definition",
        "list-service-deployments",
        "--cluster",
        "--placement-strategy",
        "--container-definitions",
        "--deployment-configuration",
        "--tags",
        "--created-at",
        "--desired-count",
        "--network-configuration",
        "--no-enable-ecs-managed-tags",
        "--page-size",
        "=",
        ",",
        "{",
        "}",
        "[",
        "]",
        "'",
        "\"",
        "\\",
        "é",
        "😀",
        "\u{0}",
        "\n",
        "-1",
        "1e999",
        "type=spread",
        "a=b,c",
        "{\"a\":",
        "[1,2]",
        "file://",
        "$",
        "--",
        "-",
        "@=",
        "key=",
        "true",
        "99999999999999999999",
    ];
    let mut rng = Lcg(7);
    let mut lines: Vec<String> = records()
        .iter()
        .filter_map(|r| r["line"].as_str().map(str::to_string))
        .collect();
    for _ in 0..800 {
        let n = 1 + rng.next() % 12;
        let line: String = (0..n)
            .map(|_| pieces[(rng.next() as usize) % pieces.len()])
            .collect::<Vec<_>>()
            .join(" ");
        lines.push(line);
    }
    // Oracle lines cut short, and with a character swapped for a hostile piece,
    // at every fifth character (every character of every line takes minutes
    // in a debug build on a loaded machine).
    let originals: Vec<String> = lines.iter().step_by(3).cloned().collect();
    for line in &originals {
        for (i, _) in line.char_indices().step_by(5) {
            lines.push(line[..i].to_string());
            let mut swapped = line.clone();
            let replacement = pieces[(rng.next() as usize) % pieces.len()];
            swapped.replace_range(
                i..i + line[i..].chars().next().map_or(0, char::len_utf8),
                replacement,
            );
            lines.push(swapped);
        }
    }
    for line in &lines {
        let _ = parse(line, TOKEN);
        for cursor in [0, line.len() / 2, line.len()] {
            let c = complete(line, cursor);
            assert!(
                c.start <= c.end && c.end <= line.len(),
                "{line:?} at {cursor}"
            );
        }
    }
}

#[test]
fn output_is_printed_as_the_cli_prints_json() {
    let response = serde_json::json!({"clusters": [{"clusterName": "demo", "createdAt": 1700000000.5, "tags": []}], "failures": []});
    assert_eq!(
        print_json(&response),
        "{\n    \"clusters\": [\n        {\n            \"clusterName\": \"demo\",\n            \"createdAt\": 1700000000.5,\n            \"tags\": []\n        }\n    ],\n    \"failures\": []\n}\n"
    );
    assert_eq!(
        print_error("CreateService", "ClusterNotFoundException", "Cluster not found."),
        "\nAn error occurred (ClusterNotFoundException) when calling the CreateService operation: Cluster not found.\n"
    );
}
