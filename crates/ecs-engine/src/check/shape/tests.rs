use serde_json::{json, Value};

use super::service_model::{corpus_files, reachable_shapes, service_model};
use super::*;
use crate::analysis::analyze_task_definition;
use crate::diagnostic::apply_fix;

/// The codes this module reports.
fn is_shape_code(code: &str) -> bool {
    RULES.iter().any(|rule| rule.code == code)
}

/// Shape diagnostics of `text` as `code path line:col`.
fn shape_findings(text: &str) -> Vec<String> {
    analyze_task_definition(text)
        .diagnostics
        .iter()
        .filter(|d| is_shape_code(&d.code))
        .map(|d| {
            format!(
                "{} {} {}:{}",
                d.code, d.path, d.range.start.line, d.range.start.column
            )
        })
        .collect()
}

const REGISTER_INPUT: &str = r#"{
  "family": "web",
  "netwrokMode": "awsvpc",
  "cpu": 256,
  "containerDefinitions": [
    {
      "name": "app",
      "image": "nginx",
      "memory": "512",
      "essential": "true",
      "portMappings": [{"containerPort": 80, "protocol": "TCP"}],
      "ulimits": [{"name": "nofile", "hardLimit": 1024}],
      "user": null
    }
  ]
}"#;

#[test]
fn located_findings() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "one of each, in a register input",
            REGISTER_INPUT,
            &[
                "unknown-field netwrokMode 3:3",
                "type-mismatch cpu 4:10",
                "number-as-string containerDefinitions[0].memory 9:17",
                "type-mismatch containerDefinitions[0].essential 10:20",
                "enum-value containerDefinitions[0].portMappings[0].protocol 11:58",
                "required-field containerDefinitions[0].ulimits[0].softLimit 12:19",
                "null-value containerDefinitions[0].user 13:15",
            ],
        ),
        (
            "a clean register input",
            r#"{"family": "web", "networkMode": "awsvpc", "containerDefinitions": [{"name": "a", "image": "x", "memory": 128, "portMappings": [{"containerPort": 80}]}]}"#,
            &[],
        ),
        (
            "a member written with the wrong case; family-required covers the missing family",
            r#"{"Family": "web", "containerDefinitions": [{"name": "a", "image": "x", "memory": 128}]}"#,
            &["unknown-field Family 1:2"],
        ),
        (
            "a missing containerDefinitions is left to container-definitions-required",
            r#"{"family": "web"}"#,
            &[],
        ),
        (
            "read-only members of an unwrapped describe output are not unknown",
            r#"{"taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3", "family": "web", "revision": 3, "status": "ACTIVE", "compatibilities": ["EC2"], "requiresAttributes": [{"name": "ecs.capability.task-eni"}], "registeredAt": "2024-01-01T00:00:00Z", "registeredBy": "arn:aws:iam::123456789012:root", "containerDefinitions": [{"name": "a", "image": "x", "memory": 128}]}"#,
            &[],
        ),
        (
            "a describe output, with tags beside taskDefinition",
            r#"{"taskDefinition": {"family": "web", "revision": 3, "status": "ACTIVE", "containerDefinitions": [{"name": "a", "image": "x", "memory": 128, "essentail": true}]}, "tags": [{"key": "team", "value": "core"}]}"#,
            &["unknown-field taskDefinition.containerDefinitions[0].essentail 1:141"],
        ),
        (
            "a bare containerDefinitions array",
            r#"[{"name": "a", "image": "x", "memory": 128, "portMapings": []}]"#,
            &["unknown-field [0].portMapings 1:45"],
        ),
        (
            "a fractional integer",
            r#"{"family": "web", "containerDefinitions": [{"name": "a", "image": "x", "memory": 1.5}]}"#,
            &["type-mismatch containerDefinitions[0].memory 1:82"],
        ),
        (
            "a single object where a list is expected",
            r#"{"family": "web", "containerDefinitions": [{"name": "a", "image": "x", "memory": 128, "portMappings": {"containerPort": 80}}]}"#,
            &["type-mismatch containerDefinitions[0].portMappings 1:103"],
        ),
        (
            "a tag key below its minimum length",
            r#"{"family": "web", "containerDefinitions": [{"name": "a", "image": "x", "memory": 128}], "tags": [{"key": "", "value": "v"}]}"#,
            &["length-out-of-range tags[0].key 1:106"],
        ),
        (
            "null in a list is not absent",
            r#"{"family": "web", "containerDefinitions": [{"name": "a", "image": "x", "memory": 128, "command": [null]}]}"#,
            &["type-mismatch containerDefinitions[0].command[0] 1:99"],
        ),
        (
            "an enum value that is no value at all",
            r#"{"family": "web", "networkMode": "vpc", "containerDefinitions": [{"name": "a", "image": "x", "memory": 128}]}"#,
            &["enum-value networkMode 1:34"],
        ),
        (
            "logentries is documented for EC2 though the model's enum omits it",
            r#"{"family": "web", "containerDefinitions": [{"name": "a", "image": "x", "memory": 128, "logConfiguration": {"logDriver": "logentries"}}]}"#,
            &[],
        ),
        (
            "other log drivers outside the enum are reported",
            r#"{"family": "web", "containerDefinitions": [{"name": "a", "image": "x", "memory": 128, "logConfiguration": {"logDriver": "loki"}}]}"#,
            &["enum-value containerDefinitions[0].logConfiguration.logDriver 1:121"],
        ),
        (
            "map values must be strings",
            r#"{"family": "web", "containerDefinitions": [{"name": "a", "image": "x", "memory": 128, "dockerLabels": {"tier": 1}}]}"#,
            &["type-mismatch containerDefinitions[0].dockerLabels.tier 1:112"],
        ),
    ];
    for (name, input, expected) in cases {
        assert_eq!(shape_findings(input), *expected, "{name}");
    }
}

/// For each case: the code whose fix to apply, and the text after applying it.
#[test]
fn fixes() {
    let cases: &[(&str, &str, &str)] = &[
        (
            r#"{"netwrokMode": "host"}"#,
            "unknown-field",
            r#"{"networkMode": "host"}"#,
        ),
        (r#"{"FAMILY": "a"}"#, "unknown-field", r#"{"family": "a"}"#),
        (r#"{"cpu": 256}"#, "type-mismatch", r#"{"cpu": "256"}"#),
        (
            r#"{"networkMode": "AwsVpc"}"#,
            "enum-value",
            r#"{"networkMode": "awsvpc"}"#,
        ),
        (
            r#"[{"memory": " 512"}]"#,
            "number-as-string",
            r#"[{"memory": 512}]"#,
        ),
        (
            r#"[{"essential": "false"}]"#,
            "type-mismatch",
            r#"[{"essential": false}]"#,
        ),
        (
            r#"[{"portMappings": {"containerPort": 80}}]"#,
            "type-mismatch",
            r#"[{"portMappings": [{"containerPort": 80}]}]"#,
        ),
        (
            r#"[{"command": "npm start"}]"#,
            "type-mismatch",
            r#"[{"command": ["npm start"]}]"#,
        ),
    ];
    for (input, code, expected) in cases {
        let analysis = analyze_task_definition(input);
        let diagnostic = analysis
            .diagnostics
            .iter()
            .find(|d| d.code == *code)
            .unwrap_or_else(|| panic!("{input}: no {code} in {:?}", analysis.diagnostics));
        let fix = diagnostic
            .fix
            .as_ref()
            .unwrap_or_else(|| panic!("{input}: {code} has no fix"));
        assert_eq!(apply_fix(input, fix), *expected, "{input}");
    }
}

#[test]
fn no_fix_without_a_close_match() {
    let cases: &[(&str, &str)] = &[
        (r#"{"memorySize": 512}"#, "unknown-field"),
        // Renaming would collide with the member that is already there.
        (r#"{"Family": "a", "family": "b"}"#, "unknown-field"),
        (r#"{"networkMode": "vpc"}"#, "enum-value"),
        (r#"{"cpu": true}"#, "type-mismatch"),
    ];
    for (input, code) in cases {
        let analysis = analyze_task_definition(input);
        let diagnostic = analysis.diagnostics.iter().find(|d| d.code == *code);
        let diagnostic = diagnostic.unwrap_or_else(|| panic!("{input}: no {code}"));
        assert!(
            diagnostic.fix.is_none(),
            "{input}: unexpected fix {:?}",
            diagnostic.fix
        );
    }
}

#[test]
fn messages_use_the_aws_clis_wording() {
    let analysis = analyze_task_definition(
        r#"{"family": "a", "containerDefinitions": [{"name": "a", "image": "x", "memory": 128, "ulimits": [{"name": "nofile", "softLimit": 1}]}], "netwrokMode": "host"}"#,
    );
    let message = |code: &str| {
        analysis
            .diagnostics
            .iter()
            .find(|d| d.code == code)
            .map(|d| d.message.clone())
            .unwrap_or_default()
    };
    assert!(message("unknown-field").starts_with(
        "Unknown parameter in input: \"netwrokMode\", must be one of: family, taskRoleArn, executionRoleArn, networkMode,"
    ));
    assert!(message("unknown-field").ends_with("(did you mean \"networkMode\"?)"));
    assert_eq!(
        message("required-field"),
        "Missing required parameter in containerDefinitions[0].ulimits[0]: \"hardLimit\""
    );
}

#[test]
fn one_diagnostic_per_problem_with_the_hand_written_rules() {
    // A quoted memory is understood by the memory rules, not reported as missing.
    let codes = |text: &str| -> Vec<String> {
        analyze_task_definition(text)
            .diagnostics
            .into_iter()
            .map(|d| d.code)
            .collect()
    };
    assert_eq!(
        codes(
            r#"{"family": "a", "containerDefinitions": [{"name": "a", "image": "x:1.0", "memory": "128"}]}"#
        ),
        ["number-as-string"]
    );
    // A case slip in networkMode is one enum-value, not also fargate-requires-awsvpc.
    assert_eq!(
        codes(
            r#"{"family": "a", "networkMode": "AWSVPC", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512", "containerDefinitions": [{"name": "a", "image": "x:1.0"}]}"#
        ),
        ["enum-value"]
    );
}

#[test]
fn check_shape_reports_number_ranges_and_ignores_unknown_shape_names() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "CapacityProviderStrategyItem",
            r#"{"capacityProvider": "FARGATE", "weight": 1001, "base": -1}"#,
            &["value-out-of-range weight", "value-out-of-range base"],
        ),
        (
            "CapacityProviderStrategyItem",
            r#"{"capacityProvider": "FARGATE", "weight": 1000, "base": 0}"#,
            &[],
        ),
        (
            "CapacityProviderStrategyItem",
            r#"{"weight": 1}"#,
            &["required-field capacityProvider"],
        ),
        ("NoSuchShape", r#"{"anything": 1}"#, &[]),
        // Only structures are found by name.
        ("", r#"{"anything": 1}"#, &[]),
    ];
    for (shape, input, expected) in cases {
        let node = crate::json::parse(input).unwrap();
        let mut sink = Sink::default();
        check_shape(&Located::root(&node, JsonPath::root()), shape, &mut sink);
        let found: Vec<String> = sink
            .findings
            .iter()
            .map(|f| format!("{} {}", f.code, f.path))
            .collect();
        assert_eq!(found, *expected, "{shape} {input}");
    }
}

#[test]
fn deep_input_does_not_overflow() {
    let depth = 60;
    let text = format!(
        "{{\"family\": \"a\", \"containerDefinitions\": {}{}",
        "[".repeat(depth),
        "]".repeat(depth) + "}"
    );
    let analysis = analyze_task_definition(&text);
    assert!(analysis
        .diagnostics
        .iter()
        .any(|d| d.code == "type-mismatch"));
}

#[test]
fn read_only_members_are_what_describe_adds() {
    assert_eq!(
        read_only_task_definition_members(),
        [
            "taskDefinitionArn",
            "revision",
            "status",
            "requiresAttributes",
            "compatibilities",
            "registeredAt",
            "deregisteredAt",
            "deleteRequestedAt",
            "registeredBy",
        ]
    );
}

#[test]
fn edit_distances() {
    let cases = [
        ("", "", 0),
        ("abc", "", 3),
        ("kitten", "sitting", 3),
        ("memory", "memroy", 2),
        ("é", "e", 1),
    ];
    for (a, b, expected) in cases {
        assert_eq!(edit_distance(a, b), expected, "{a} {b}");
    }
    let known = [
        "name",
        "image",
        "memory",
        "memoryReservation",
        "portMappings",
    ];
    let suggestions = [
        ("Memory", Some("memory")),
        ("portMapping", Some("portMappings")),
        ("imgae", Some("image")),
        ("nam", Some("name")),
        ("cpuShares", None),
        ("x", None),
    ];
    for (key, expected) in suggestions {
        assert_eq!(closest(key, &known), expected, "{key}");
    }
}

/// The compact table matches service-2.json: every reachable structure with
/// its members in order, required flags, and each member's target kind,
/// enum values and bounds.
#[test]
fn the_schema_matches_the_service_model() {
    let model = service_model();
    let shapes = &model["shapes"];
    let mut problems = Vec::new();
    let mut checked = 0;
    for name in reachable_shapes(&model) {
        let shape = &shapes[&name];
        if shape["type"] != "structure" || shape["document"] == Value::Bool(true) {
            continue;
        }
        let Some(table) = find_shape(&name) else {
            problems.push(format!("{name}: missing from the table"));
            continue;
        };
        let required: Vec<&str> = shape["required"]
            .as_array()
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let members: Vec<(&String, &Value)> =
            shape["members"].as_object().into_iter().flatten().collect();
        if members.len() != table.members.len() {
            problems.push(format!(
                "{name}: {} members, the table has {}",
                members.len(),
                table.members.len()
            ));
            continue;
        }
        for ((member, spec), MemberDef(table_name, target, table_required)) in
            members.iter().zip(table.members)
        {
            let target_name = spec["shape"].as_str().unwrap_or_default();
            let expected = describe_model_shape(shapes, target_name, 0);
            let actual = describe_table_shape(&SHAPES[usize::from(*target)], 0);
            if *member != table_name
                || required.contains(&member.as_str()) != *table_required
                || expected != actual
            {
                problems.push(format!(
                    "{name}.{member}: model {expected} required={}, table {table_name} {actual} required={table_required}",
                    required.contains(&member.as_str())
                ));
            }
        }
        checked += 1;
    }
    let table_structures = SHAPES.iter().filter(|s| s.kind == Kind::Structure).count();
    if table_structures != checked {
        problems.push(format!(
            "the table has {table_structures} structures, the model {checked}"
        ));
    }
    assert!(
        problems.is_empty(),
        "the schema is stale (run python3 scripts/gen-model.py):\n{}",
        problems.join("\n")
    );
    assert!(checked > 150, "only {checked} structures checked");
}

/// A shape's kind and constraints, following lists and maps two levels down.
fn describe_model_shape(shapes: &Value, name: &str, depth: usize) -> String {
    let shape = &shapes[name];
    let kind = match shape["type"].as_str().unwrap_or_default() {
        "structure" if shape["document"] == Value::Bool(true) => "Document".to_string(),
        "structure" => format!("Structure {name}"),
        "list" if depth < 2 => format!(
            "List [{}]",
            describe_model_shape(
                shapes,
                shape["member"]["shape"].as_str().unwrap_or_default(),
                depth + 1
            )
        ),
        "map" if depth < 2 => format!(
            "Map [{}]",
            describe_model_shape(
                shapes,
                shape["value"]["shape"].as_str().unwrap_or_default(),
                depth + 1
            )
        ),
        "list" => "List".to_string(),
        "map" => "Map".to_string(),
        "string" => "String".to_string(),
        "integer" | "long" => "Integer".to_string(),
        "double" | "float" => "Double".to_string(),
        "boolean" => "Boolean".to_string(),
        "timestamp" => "Timestamp".to_string(),
        other => other.to_string(),
    };
    let values: Vec<&str> = shape["enum"]
        .as_array()
        .map(|v| v.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    format!(
        "{kind} {values:?} {:?} {:?}",
        shape["min"].as_i64(),
        shape["max"].as_i64()
    )
}

fn describe_table_shape(shape: &ShapeDef, depth: usize) -> String {
    let kind = match shape.kind {
        Kind::Structure => format!("Structure {}", shape.name),
        Kind::List if depth < 2 => format!(
            "List [{}]",
            describe_table_shape(&SHAPES[usize::from(shape.target)], depth + 1)
        ),
        Kind::Map if depth < 2 => format!(
            "Map [{}]",
            describe_table_shape(&SHAPES[usize::from(shape.target)], depth + 1)
        ),
        other => format!("{other:?}"),
    };
    format!(
        "{kind} {:?} {:?} {:?}",
        shape.enum_values, shape.min, shape.max
    )
}

/// Corpus files that AWS would really reject for their shape, and why. Every
/// other corpus file must have no unknown-field or type-mismatch error.
const CORPUS_SHAPE_ERRORS: &[(&str, &str)] = &[
    // portMappings is written as one object with PascalCase keys; the CLI
    // rejects it ("Invalid type for parameter ... valid types: list").
    (
        "fluent-bit_logstash_task-definition.json",
        "type-mismatch containerDefinitions[1].portMappings",
    ),
    // secretOptions is written as one object instead of a list of them.
    (
        "fluent-bit_signalfx_task-definition.json",
        "type-mismatch containerDefinitions[1].logConfiguration.secretOptions",
    ),
];

#[test]
fn the_corpus_has_only_the_shape_errors_aws_would_reject() {
    let mut found = Vec::new();
    let files = corpus_files();
    assert!(files.len() > 20, "the corpus looks empty");
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let file = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        for d in analyze_task_definition(&text).diagnostics {
            if d.code == "unknown-field" || d.code == "type-mismatch" {
                found.push((file.clone(), format!("{} {}", d.code, d.path)));
            }
        }
    }
    let expected: Vec<(String, String)> = CORPUS_SHAPE_ERRORS
        .iter()
        .map(|(file, finding)| (file.to_string(), finding.to_string()))
        .collect();
    found.sort();
    assert_eq!(found, expected);
}

/// Every value of a few corpus documents swapped for every other JSON type:
/// analysis must not panic, and each swap is reported (null as an info).
#[test]
fn type_swaps_in_real_documents_are_reported_without_panicking() {
    let replacements = [
        json!(null),
        json!(7),
        json!("seven"),
        json!(true),
        json!([]),
        json!({}),
    ];
    for path in &corpus_files() {
        let text = std::fs::read_to_string(path).unwrap();
        let Ok(original) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        // Swaps in a document with shape errors may repair it; they are only run for panics.
        let clean = !analyze_task_definition(&text)
            .diagnostics
            .iter()
            .any(|d| is_shape_code(&d.code));
        let mut paths = Vec::new();
        collect_paths(&original, &mut Vec::new(), &mut paths);
        for pointer in paths.iter().take(40) {
            for replacement in &replacements {
                let mut mutated = original.clone();
                let Some(slot) = mutated.pointer_mut(pointer) else {
                    continue;
                };
                let same_type =
                    std::mem::discriminant(&*slot) == std::mem::discriminant(replacement);
                if same_type {
                    continue;
                }
                *slot = replacement.clone();
                let analysis =
                    analyze_task_definition(&serde_json::to_string_pretty(&mutated).unwrap());
                assert!(
                    !clean || !analysis.diagnostics.is_empty(),
                    "{} with {pointer} = {replacement}: no diagnostic",
                    path.display()
                );
            }
        }
    }
}

fn collect_paths(value: &Value, prefix: &mut Vec<String>, out: &mut Vec<String>) {
    let here = prefix.iter().map(|p| format!("/{p}")).collect::<String>();
    if !here.is_empty() {
        out.push(here);
    }
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                prefix.push(key.replace('~', "~0").replace('/', "~1"));
                collect_paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                prefix.push(i.to_string());
                collect_paths(child, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}
