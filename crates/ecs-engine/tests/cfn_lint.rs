//! The differential test against cfn-lint, the CloudFormation linter whose
//! ECS rules AWS keeps current: every shared/corpus definition and every rule
//! fixture is exported to CloudFormation with the project's own export, all
//! templates are linted by one cfn-lint run (it is slow to start), and the
//! test fails where cfn-lint reports an error the playground does not, unless
//! `cfn-lint-exceptions.tsv` lists the case with its reason. The reverse,
//! errors only the playground reports, is printed as a report.
//!
//! Not run by a plain `cargo test` (`test = false`): it needs cfn-lint from
//! `.venv` (scripts/setup.sh) and is a step of its own in scripts/test-all.sh:
//! `cargo test -p ecs-engine --test cfn_lint -- --nocapture`. `CFN_LINT`
//! names another cfn-lint executable.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use ecs_engine::export::to_cloudformation;
use ecs_engine::import::import;
use ecs_engine::{analyze_task_definition, Severity};
use serde_json::Value;

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn cfn_lint() -> PathBuf {
    let path = std::env::var_os("CFN_LINT")
        .map(PathBuf::from)
        .unwrap_or_else(|| repository().join(".venv/bin/cfn-lint"));
    assert!(
        path.exists(),
        "cfn-lint is missing at {}: run scripts/setup.sh (or set CFN_LINT)",
        path.display()
    );
    path
}

/// One document to compare: a corpus file or a fixture case.
struct Case {
    name: String,
    text: String,
}

fn cases() -> Vec<Case> {
    let mut cases: Vec<Case> = support::corpus_files()
        .into_iter()
        .map(|path| Case {
            name: format!("corpus/{}", path.file_name().unwrap().to_string_lossy()),
            text: std::fs::read_to_string(&path).unwrap(),
        })
        .collect();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules");
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    fixtures.sort();
    for path in fixtures {
        let code = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        // Cases as tests/rules.rs reads them: `=== title`, the input, `// expect:` lines.
        for (index, case) in format!("\n{text}").split("\n=== ").skip(1).enumerate() {
            let input: String = case
                .lines()
                .skip(1)
                .take_while(|line| !line.starts_with("// expect: "))
                .map(|line| format!("{line}\n"))
                .collect();
            cases.push(Case {
                name: format!("rules/{code}#{}", index + 1),
                text: input,
            });
        }
    }
    cases
}

/// A path as a list of lowercase segments, so that CloudFormation's and the
/// API's names compare (`ContainerDefinitions/0/Image` and
/// `containerDefinitions[0].image`).
fn segments_of_playground_path(path: &str) -> Vec<String> {
    let path = path.strip_prefix("taskDefinition").unwrap_or(path);
    // A bare containerDefinitions array exports as ContainerDefinitions.
    let bare = path.starts_with('[');
    let segments = path
        .split(['.', '[', ']'])
        .map(|s| s.trim_matches('"').to_ascii_lowercase())
        .filter(|s| !s.is_empty());
    bare.then(|| "containerdefinitions".to_string())
        .into_iter()
        .chain(segments)
        .collect()
}

fn segments_of_cfn_lint_path(path: &[Value]) -> Vec<String> {
    let after = path
        .iter()
        .position(|s| s == "Properties")
        .map_or(path.len(), |i| i + 1);
    path[after..]
        .iter()
        .map(|s| match s {
            Value::String(s) => s.to_ascii_lowercase(),
            other => other.to_string(),
        })
        .collect()
}

fn is_prefix(a: &[String], b: &[String]) -> bool {
    a.len() <= b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// (case, cfn-lint rule) → reason, from the reviewed exceptions file. A case
/// ending in `*` names every case it begins.
fn exceptions() -> BTreeMap<(String, String), String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cfn-lint-exceptions.tsv");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let mut out = BTreeMap::new();
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        assert!(
            fields.len() == 3 && !fields[2].trim().is_empty(),
            "{}: each line is case<TAB>rule<TAB>reason: {line}",
            path.display()
        );
        out.insert(
            (fields[0].to_string(), fields[1].to_string()),
            fields[2].to_string(),
        );
    }
    out
}

#[test]
fn cfn_lint_errors_are_playground_errors_too() {
    let cfn_lint = cfn_lint();
    let dir = std::env::temp_dir().join(format!("ecs-cfn-lint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Exported cases by file name, with the playground's error paths.
    let mut exported: BTreeMap<String, (String, Vec<(String, Vec<String>)>)> = BTreeMap::new();
    let mut files = Vec::new();
    for case in cases() {
        let Ok(imported) = import(&case.text) else {
            continue; // Input errors (not JSON, not a task definition) have nothing to export.
        };
        let resource: Value = serde_json::from_str(&to_cloudformation(&imported)).unwrap();
        let template = serde_json::json!({
            "AWSTemplateFormatVersion": "2010-09-09",
            "Resources": {"TaskDefinition": resource},
        });
        let file = format!("case-{:04}.json", files.len());
        std::fs::write(
            dir.join(&file),
            serde_json::to_string_pretty(&template).unwrap(),
        )
        .unwrap();
        files.push(file.clone());
        let errors = analyze_task_definition(&case.text)
            .diagnostics
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| (d.code, segments_of_playground_path(&d.path)))
            .collect();
        exported.insert(file, (case.name, errors));
    }
    assert!(files.len() > 200, "only {} cases exported", files.len());

    let output = Command::new(&cfn_lint)
        .args(["--format", "json", "--"])
        .args(&files)
        .current_dir(&dir)
        .output()
        .expect("run cfn-lint");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let matches: Vec<Value> = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "cfn-lint did not print JSON ({e}): {stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let _ = std::fs::remove_dir_all(&dir);

    let exceptions = exceptions();
    let mut used = Vec::new();
    let mut missed = Vec::new();
    let mut linted_errors: BTreeMap<&str, usize> = BTreeMap::new();
    for m in &matches {
        if m["Level"] != "Error" {
            continue;
        }
        let file = m["Filename"].as_str().unwrap_or_default();
        let file = Path::new(file)
            .file_name()
            .map_or(file.to_string(), |f| f.to_string_lossy().into_owned());
        let Some((name, errors)) = exported.get(&file) else {
            panic!("cfn-lint reported on an unknown file {file}: {m}");
        };
        *linted_errors.entry(name.as_str()).or_default() += 1;
        let rule = m["Rule"]["Id"].as_str().unwrap_or("?").to_string();
        let at = segments_of_cfn_lint_path(m["Location"]["Path"].as_array().map_or(&[], |p| p));
        let covered = errors
            .iter()
            .any(|(_, path)| is_prefix(&at, path) || is_prefix(path, &at));
        if covered {
            continue;
        }
        let listed = exceptions.keys().find(|(case, listed_rule)| {
            *listed_rule == rule
                && match case.strip_suffix('*') {
                    Some(prefix) => name.starts_with(prefix),
                    None => case == name,
                }
        });
        if let Some(key) = listed {
            used.push(key.clone());
            continue;
        }
        missed.push(format!(
            "{name}\t{rule}\t{} (at {})",
            m["Message"].as_str().unwrap_or(""),
            at.join("/")
        ));
    }

    // The reverse: errors only the playground reports, for review.
    let mut only_playground = Vec::new();
    for (name, errors) in exported.values() {
        if errors.is_empty() || linted_errors.contains_key(name.as_str()) {
            continue;
        }
        let mut codes: Vec<&str> = errors.iter().map(|(code, _)| code.as_str()).collect();
        codes.dedup();
        only_playground.push(format!("{name}: {}", codes.join(", ")));
    }
    eprintln!(
        "cfn-lint differential: {} cases, {} cfn-lint errors; {} cases have errors only the playground reports:\n  {}",
        exported.len(),
        linted_errors.values().sum::<usize>(),
        only_playground.len(),
        only_playground.join("\n  ")
    );

    let stale: Vec<String> = exceptions
        .keys()
        .filter(|key| !used.contains(key))
        .map(|(case, rule)| format!("{case}\t{rule}"))
        .collect();
    assert!(
        missed.is_empty() && stale.is_empty(),
        "{} cfn-lint error(s) the playground does not report (add a rule, or list case<TAB>rule<TAB>reason in tests/cfn-lint-exceptions.tsv):\n{}\n{} exception(s) no longer needed:\n{}",
        missed.len(),
        missed.join("\n"),
        stale.len(),
        stale.join("\n")
    );
}
