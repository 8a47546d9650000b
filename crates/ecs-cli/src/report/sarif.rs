//! SARIF 2.1.0 (OASIS), the format code-scanning services read: one run of
//! the `ecs-playground` tool, the rules it reported with their metadata
//! from the engine's catalogue, and each finding with its region and fix.

use std::io::{self, Write};

use ecs_engine::check::RULES;
use ecs_engine::text::TextRange;
use ecs_engine::{Diagnostic, Severity};
use serde_json::{json, Value};

use crate::check::Outcome;

pub fn write(out: &mut impl Write, outcome: &Outcome) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(outcome))?;
    writeln!(out)
}

/// The whole SARIF log.
pub fn log(outcome: &Outcome) -> Value {
    // Rules in order of first appearance; results refer to them by index.
    let mut rule_ids: Vec<(&str, Severity)> = Vec::new();
    let mut results = Vec::new();
    for checked in &outcome.checked {
        let uri = relative_uri(&checked.name);
        for d in &checked.diagnostics {
            let index = match rule_ids.iter().position(|(id, _)| *id == d.code) {
                Some(index) => index,
                None => {
                    rule_ids.push((&d.code, d.severity));
                    rule_ids.len() - 1
                }
            };
            results.push(result(d, index, &uri));
        }
    }
    let rules: Vec<Value> = rule_ids.iter().map(|(id, seen)| rule(id, *seen)).collect();
    let artifacts: Vec<Value> = outcome
        .checked
        .iter()
        .map(|c| json!({"location": {"uri": relative_uri(&c.name)}}))
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "ecs-playground",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            // The engine's columns count characters (Unicode scalar values).
            "columnKind": "unicodeCodePoints",
            "artifacts": artifacts,
            "results": results,
        }],
    })
}

/// A rule's metadata: the engine's catalogue entry, or (for the few input
/// errors that are not rules, such as a syntax error) its code alone.
fn rule(id: &str, seen: Severity) -> Value {
    match RULES.iter().find(|r| r.code == id) {
        Some(rule) => {
            let mut value = json!({
                "id": rule.code,
                "shortDescription": {"text": rule.summary},
                "defaultConfiguration": {"level": level(rule.severity)},
            });
            let mut properties = serde_json::Map::new();
            if !rule.covers.is_empty() {
                properties.insert("checklist".into(), json!(rule.covers));
            }
            if let Some(exception) = rule.exception {
                properties.insert("awsException".into(), json!(exception));
            }
            if !properties.is_empty() {
                value["properties"] = Value::Object(properties);
            }
            value
        }
        None => json!({
            "id": id,
            "defaultConfiguration": {"level": level(seen)},
        }),
    }
}

fn result(d: &Diagnostic, rule_index: usize, uri: &str) -> Value {
    let mut value = json!({
        "ruleId": d.code,
        "ruleIndex": rule_index,
        "level": level(d.severity),
        "message": {"text": d.message},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": uri},
                "region": region(&d.range),
            },
            "logicalLocations": [{"fullyQualifiedName": d.path, "kind": "member"}],
        }],
    });
    if let Some(fix) = &d.fix {
        value["fixes"] = json!([{
            "description": {"text": fix.title},
            "artifactChanges": [{
                "artifactLocation": {"uri": uri},
                "replacements": fix.edits.iter().map(|edit| json!({
                    "deletedRegion": region(&edit.range),
                    "insertedContent": {"text": edit.new_text},
                })).collect::<Vec<_>>(),
            }],
        }]);
    }
    value
}

fn region(range: &TextRange) -> Value {
    json!({
        "startLine": range.start.line,
        "startColumn": range.start.column,
        "endLine": range.end.line,
        "endColumn": range.end.column,
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative URI reference for a path as shown: `/` separators, and every
/// byte outside the unreserved set and `/` percent-encoded.
fn relative_uri(path: &str) -> String {
    let mut uri = String::with_capacity(path.len());
    for byte in path.replace('\\', "/").bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_relative_uri_references() {
        assert_eq!(relative_uri("infra/td.json"), "infra/td.json");
        assert_eq!(
            relative_uri("my dir\\tâche.json"),
            "my%20dir/t%C3%A2che.json"
        );
    }
}
