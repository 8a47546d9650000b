//! Every real task definition in shared/corpus imports, validates without
//! syntax errors, and round-trips register → CloudFormation → register.

mod support;

use ecs_engine::export::{to_cloudformation, to_register};
use ecs_engine::import::{import, InputForm};
use ecs_engine::json::parse;

fn value(text: &str) -> serde_json::Value {
    parse(text)
        .unwrap_or_else(|e| panic!("export is not JSON: {e:?}\n{text}"))
        .to_value()
}

#[test]
fn every_corpus_file_imports_and_round_trips() {
    let files = support::corpus_files();
    let mut invalid = 0;
    for path in &files {
        let name = path.display();
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let analysis = ecs_engine::analyze_task_definition(&text);
        if let Err(strict) = serde_json::from_str::<serde_json::Value>(&text) {
            // Real-world files with syntax errors (a missing comma upstream):
            // reported where serde_json finds the error too, not imported.
            let d = &analysis.diagnostics[0];
            assert_eq!(d.code, "json-syntax", "{name}");
            assert_eq!(d.range.start.line as usize, strict.line(), "{name}: {d:?}");
            invalid += 1;
            continue;
        }
        let imported = import(&text).unwrap_or_else(|e| panic!("{name}: {}", e.message));
        assert!(
            analysis.form.is_some()
                && analysis
                    .diagnostics
                    .iter()
                    .all(|d| d.code != "json-syntax" && d.code != "not-a-task-definition"),
            "{name}: {:#?}",
            analysis.diagnostics
        );

        let register = to_register(&imported, &text);
        if imported.form == InputForm::RegisterInput {
            // Register input loses only its null members, and is otherwise the user's text.
            let original = value(&text);
            let stripped = without_nulls(original.clone());
            assert_eq!(value(&register), stripped, "{name}");
            if stripped == original {
                assert_eq!(
                    register, text,
                    "{name}: register input is exported unchanged"
                );
            }
        }
        let resource = to_cloudformation(&import(&register).unwrap());
        let back = import(&resource).unwrap_or_else(|e| panic!("{name}: {}", e.message));
        assert_eq!(back.form, InputForm::CloudFormationResource, "{name}");
        let again = to_register(&back, &resource);
        // CloudFormation names are the API names capitalised, so a key that is
        // not an API name but already capitalised (a typo like `ContainerPort`
        // in a register file) comes back camelCased: compare modulo that.
        assert_eq!(
            api_case(value(&again), ""),
            api_case(value(&register), ""),
            "{name}: round trip lost something"
        );
        if !has_capitalised_key(&value(&register), "") {
            assert_eq!(
                value(&again),
                value(&register),
                "{name}: round trip is not exact"
            );
        }
    }
    assert!(
        invalid * 10 < files.len(),
        "{invalid} of {} corpus files are not JSON",
        files.len()
    );
}

/// Maps whose keys are the user's own (`dockerLabels`, log `options`, …).
const FREE_FORM: &[&str] = &["dockerLabels", "options", "driverOpts", "labels"];

fn api_case(value: serde_json::Value, parent: &str) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let key = if FREE_FORM.contains(&parent) {
                        k
                    } else {
                        let mut chars = k.chars();
                        chars
                            .next()
                            .map(|c| c.to_lowercase().chain(chars).collect())
                            .unwrap_or_default()
                    };
                    let v = api_case(
                        v,
                        if FREE_FORM.contains(&parent) {
                            ""
                        } else {
                            &key
                        },
                    );
                    (key, v)
                })
                .collect(),
        ),
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|v| api_case(v, parent)).collect())
        }
        other => other,
    }
}

fn has_capitalised_key(value: &serde_json::Value, parent: &str) -> bool {
    match value {
        serde_json::Value::Object(map) => map.iter().any(|(k, v)| {
            (!FREE_FORM.contains(&parent) && k.starts_with(|c: char| c.is_uppercase()))
                || has_capitalised_key(v, k)
        }),
        serde_json::Value::Array(items) => items.iter().any(|v| has_capitalised_key(v, parent)),
        _ => false,
    }
}

/// The benchmark's synthetic document is what it claims: about 64 KiB, ten
/// containers, every field the API model lists, and it imports and round-trips.
#[test]
fn the_synthetic_benchmark_document_uses_every_field() {
    let text = ecs_engine::examples::synthetic_task_definition(64 * 1024);
    assert!(
        (60 * 1024..=64 * 1024).contains(&text.len()),
        "{} bytes",
        text.len()
    );
    let model_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/aws-model/ecs-2014-11-13.service-2.json"
    );
    let model: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(model_path).unwrap_or_else(|e| panic!("{model_path}: {e}")),
    )
    .unwrap();
    let document = value(&text);
    let containers = document["containerDefinitions"].as_array().unwrap();
    assert_eq!(containers.len(), 10);
    for (shape, object) in [
        ("RegisterTaskDefinitionRequest", &document),
        ("ContainerDefinition", &containers[1]),
    ] {
        let members = model["shapes"][shape]["members"].as_object().unwrap();
        for name in members.keys() {
            assert!(object.get(name).is_some(), "{shape}.{name} is missing");
        }
    }
    let imported = import(&text).unwrap();
    let resource = to_cloudformation(&imported);
    let back = import(&resource).unwrap();
    assert_eq!(value(&to_register(&back, &resource)), document);
}

fn without_nulls(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}
