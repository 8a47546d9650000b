//! Data-driven API cases (tests/api/cases.json): setup calls, then one
//! request and the response it must contain (`response`, matched as a
//! subset: objects by key, arrays element by element with equal length
//! unless the expected array is a prefix marker) or the error type it must
//! raise (`error`), and members that must be `absent`.

use ecs_engine::sim::{Ecs, SimConfig};
use serde_json::Value;

fn contains(actual: &Value, expected: &Value, path: &str) -> Result<(), String> {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => {
            for (k, ev) in e {
                let av = a.get(k).ok_or(format!("{path}.{k} is missing"))?;
                contains(av, ev, &format!("{path}.{k}"))?;
            }
            Ok(())
        }
        (Value::Array(a), Value::Array(e)) => {
            if a.len() < e.len() {
                return Err(format!(
                    "{path} has {} items, expected at least {}",
                    a.len(),
                    e.len()
                ));
            }
            for (i, ev) in e.iter().enumerate() {
                contains(&a[i], ev, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        _ if actual == expected => Ok(()),
        _ => Err(format!("{path} is {actual}, expected {expected}")),
    }
}

#[test]
fn api_cases() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/api/cases.json");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let cases: Vec<Value> = serde_json::from_str(&text).expect("cases.json parses");
    assert!(cases.len() >= 30);
    let mut failures = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap_or("?");
        let mut ecs = Ecs::new(SimConfig::default());
        for step in case["setup"].as_array().map_or(&[][..], Vec::as_slice) {
            let call = step["call"].as_str().unwrap_or("");
            if let Err(e) = ecs.call(call, &step["input"]) {
                failures.push(format!(
                    "{name}: setup {call} failed: {} {}",
                    e.error_type, e.message
                ));
            }
        }
        let call = case["call"].as_str().unwrap_or("");
        let result = ecs.call(call, &case["input"]);
        match (&result, case.get("error"), case.get("response")) {
            (Err(e), Some(expected), _) => {
                if e.error_type != expected.as_str().unwrap_or("") {
                    failures.push(format!(
                        "{name}: raised {} ({}), expected {expected}",
                        e.error_type, e.message
                    ));
                }
                if e.message.is_empty() {
                    failures.push(format!("{name}: empty error message"));
                }
            }
            (Ok(v), None, Some(expected)) => {
                if let Err(why) = contains(v, expected, "$") {
                    failures.push(format!("{name}: {why}"));
                }
                for absent in case["absent"].as_array().map_or(&[][..], Vec::as_slice) {
                    let mut node: &Value = v;
                    let mut found = true;
                    for part in absent.as_str().unwrap_or("").split('.') {
                        match node.get(part) {
                            Some(next) => node = next,
                            None => {
                                found = false;
                                break;
                            }
                        }
                    }
                    if found {
                        failures.push(format!("{name}: {absent} should be absent"));
                    }
                }
            }
            (Ok(v), Some(expected), _) => {
                failures.push(format!("{name}: succeeded ({v}), expected {expected}"))
            }
            (Err(e), None, _) => {
                failures.push(format!("{name}: raised {} {}", e.error_type, e.message))
            }
            (Ok(_), None, None) => failures.push(format!("{name}: the case expects nothing")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
