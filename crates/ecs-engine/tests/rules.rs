//! Data-driven rule tests and the generated rule catalogue.
//!
//! Every file in `tests/rules/` is named after a rule code and holds cases:
//!
//! ```text
//! === fail: what the case shows
//! { "family": "web.app", ... }
//! // expect: error[family-format] family 1:13 family "web.app" is invalid: … (fix: Rename to "web-app")
//! === pass: what the case shows
//! { ... }
//! // expect: nothing
//! ```
//!
//! A `fail` case must produce the file's rule, a `pass` case must not, and
//! each case's diagnostics must equal its `// expect:` lines exactly. Only
//! diagnostics of task-definition rules and input-level errors are compared,
//! so rules from other modules (such as the shape check) do not disturb the
//! fixtures. Run with `UPDATE_EXPECT=1` to rewrite the expectations from the
//! engine's output (then review the diff), and to regenerate docs/rules.md.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use ecs_engine::check::shape::find_shape;
use ecs_engine::check::{audit, tags, task_definition, Rule, RULES};
use ecs_engine::{analyze_task_definition, Diagnostic};

const EXPECT: &str = "// expect: ";
const NOTHING: &str = "nothing";

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules")
}

fn catalogue_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md")
}

fn updating() -> bool {
    std::env::var_os("UPDATE_EXPECT").is_some()
}

#[derive(Debug, Clone)]
struct Case {
    title: String,
    passes: bool,
    input: String,
    expected: Vec<String>,
}

#[derive(Debug)]
struct Fixture {
    code: String,
    path: PathBuf,
    header: Vec<String>,
    cases: Vec<Case>,
}

fn parse_fixture(path: &Path) -> Fixture {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let code = path.file_stem().unwrap().to_string_lossy().into_owned();
    let mut header = Vec::new();
    let mut cases: Vec<Case> = Vec::new();
    for line in text.lines() {
        if let Some(title) = line.strip_prefix("=== ") {
            let passes = title.starts_with("pass");
            assert!(
                passes || title.starts_with("fail"),
                "{}: a case title starts with `pass` or `fail`: {line}",
                path.display()
            );
            cases.push(Case {
                title: title.to_string(),
                passes,
                input: String::new(),
                expected: Vec::new(),
            });
            continue;
        }
        let Some(case) = cases.last_mut() else {
            header.push(line.to_string());
            continue;
        };
        if let Some(expectation) = line.strip_prefix(EXPECT) {
            if expectation != NOTHING {
                case.expected.push(expectation.to_string());
            }
        } else if case.expected.is_empty() {
            case.input.push_str(line);
            case.input.push('\n');
        } else {
            assert!(
                line.trim().is_empty(),
                "{}: text after the expectations of `{}`: {line}",
                path.display(),
                case.title
            );
        }
    }
    Fixture {
        code,
        path: path.to_path_buf(),
        header,
        cases,
    }
}

fn fixtures() -> Vec<Fixture> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .expect("tests/rules exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths.iter().map(|p| parse_fixture(p)).collect()
}

/// The rules these fixtures test: the task-definition rules and the tag rules
/// that task definitions share with every other tagged resource.
fn fixture_rules() -> impl Iterator<Item = &'static &'static Rule> {
    task_definition::RULES.iter().chain(tags::RULES.iter())
}

/// Codes of rules from other modules, whose diagnostics these fixtures ignore.
fn foreign_codes() -> Vec<&'static str> {
    RULES
        .iter()
        .map(|r| r.code)
        .filter(|code| !fixture_rules().any(|r| r.code == *code))
        .collect()
}

fn render(d: &Diagnostic) -> String {
    let mut line = format!(
        "{}[{}] {} {}:{} {}",
        d.severity.as_str(),
        d.code,
        d.path,
        d.range.start.line,
        d.range.start.column,
        d.message
    );
    if let Some(fix) = &d.fix {
        let _ = write!(line, " (fix: {})", fix.title);
    }
    line
}

fn actual(input: &str) -> Vec<String> {
    let foreign = foreign_codes();
    analyze_task_definition(input)
        .diagnostics
        .iter()
        .filter(|d| !foreign.contains(&d.code.as_str()))
        .map(render)
        .collect()
}

fn code_of(line: &str) -> &str {
    line.split_once('[')
        .and_then(|(_, rest)| rest.split_once(']'))
        .map_or("", |(code, _)| code)
}

fn write_fixture(fixture: &Fixture, cases: &[Case]) {
    let mut out = String::new();
    for line in &fixture.header {
        out.push_str(line);
        out.push('\n');
    }
    for case in cases {
        let _ = writeln!(out, "=== {}", case.title);
        out.push_str(case.input.trim_end());
        out.push('\n');
        if case.expected.is_empty() {
            let _ = writeln!(out, "{EXPECT}{NOTHING}");
        }
        for line in &case.expected {
            let _ = writeln!(out, "{EXPECT}{line}");
        }
        out.push('\n');
    }
    let out = out.trim_end().to_string() + "\n";
    // Only changed files are rewritten, through a rename, so that the
    // catalogue test running alongside never reads a half-written fixture.
    if std::fs::read_to_string(&fixture.path).ok().as_deref() == Some(out.as_str()) {
        return;
    }
    let temporary = fixture.path.with_extension("txt.new");
    std::fs::write(&temporary, out).unwrap();
    std::fs::rename(&temporary, &fixture.path).unwrap();
}

#[test]
fn every_fixture_case_produces_its_expected_diagnostics() {
    let mut failures = Vec::new();
    for fixture in fixtures() {
        let mut updated = fixture.cases.clone();
        for case in &mut updated {
            let got = actual(&case.input);
            if got != case.expected {
                let mut report = format!(
                    "{} / {}:\n",
                    fixture.path.file_name().unwrap().to_string_lossy(),
                    case.title
                );
                for line in &case.expected {
                    if !got.contains(line) {
                        let _ = writeln!(report, "  - {line}");
                    }
                }
                for line in &got {
                    if !case.expected.contains(line) {
                        let _ = writeln!(report, "  + {line}");
                    }
                }
                if got.len() == case.expected.len() && report.lines().count() == 1 {
                    report.push_str("  (same diagnostics, different order)\n");
                }
                failures.push(report);
                case.expected = got;
            }
        }
        if updating() {
            write_fixture(&fixture, &updated);
        }
    }
    assert!(
        failures.is_empty() || updating(),
        "{} fixture case(s) differ (- expected, + actual); rerun with UPDATE_EXPECT=1 to accept:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_rule_has_a_failing_and_a_passing_fixture() {
    let fixtures = fixtures();
    let mut problems = Vec::new();
    for fixture in &fixtures {
        if !fixture_rules().any(|r| r.code == fixture.code) {
            problems.push(format!(
                "{}: no task-definition rule has this code",
                fixture.code
            ));
        }
        for case in &fixture.cases {
            // Judged on the engine's output, so that this test does not race
            // with the one that rewrites expectations under UPDATE_EXPECT.
            let fires = actual(&case.input)
                .iter()
                .any(|line| code_of(line) == fixture.code);
            if case.passes && fires {
                problems.push(format!(
                    "{} / {}: a pass case expects the rule",
                    fixture.code, case.title
                ));
            }
            if !case.passes && !fires {
                problems.push(format!(
                    "{} / {}: a fail case does not expect the rule",
                    fixture.code, case.title
                ));
            }
        }
    }
    for rule in fixture_rules() {
        let Some(fixture) = fixtures.iter().find(|f| f.code == rule.code) else {
            problems.push(format!(
                "{}: no fixture file tests/rules/{}.txt",
                rule.code, rule.code
            ));
            continue;
        };
        if !fixture.cases.iter().any(|c| c.passes) || !fixture.cases.iter().any(|c| !c.passes) {
            problems.push(format!(
                "{}: needs at least one pass and one fail case",
                rule.code
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn rule_codes_are_unique_kebab_case() {
    let mut seen = BTreeMap::new();
    for rule in RULES {
        assert!(
            rule.code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{} is not kebab-case",
            rule.code
        );
        assert!(
            seen.insert(rule.code, ()).is_none(),
            "{} is listed twice",
            rule.code
        );
    }
}

/// The catalogue: every rule with what it checks, the checklist IDs it
/// covers and an example from its fixtures.
fn catalogue(fixtures: &[Fixture]) -> String {
    let mut out = String::from(
        "# Rule catalogue\n\n\
         Generated from the `Rule` constants in `crates/ecs-engine/src/check/` and the fixtures in\n\
         `crates/ecs-engine/tests/rules/` by the `rule_catalogue_is_up_to_date` test.\n\
         Do not edit by hand: run `UPDATE_EXPECT=1 cargo test -p ecs-engine --test rules`.\n\n\
         Severity: **error** means AWS rejects the task definition; **warning** means AWS accepts it but it is very likely a mistake; **info** is worth knowing.\n\n\
         | Code | Severity | Exception | Checks | Checklist IDs |\n|---|---|---|---|---|\n",
    );
    for rule in RULES {
        let _ = writeln!(
            out,
            "| [`{0}`](#{0}) | {1} | {2} | {3} | {4} |",
            rule.code,
            rule.severity.as_str(),
            rule.exception.unwrap_or("—"),
            rule.summary.replace('|', "\\|"),
            if rule.covers.is_empty() {
                "— (beyond the seeds)".to_string()
            } else {
                rule.covers.join(", ")
            }
        );
    }
    for rule in RULES {
        out.push_str(&rule_section(rule, fixtures));
    }
    out.push_str(&audit_table());
    out
}

/// What the audit needs to know of a member from AWS's model.
struct ModelMember {
    path: String,
    required: bool,
    number: bool,
    has_enum: bool,
    min: Option<i64>,
    max: Option<i64>,
}

/// AWS's model (shared/aws-model), the ground truth the audit is walked against.
fn aws_model() -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/aws-model/ecs-2014-11-13.service-2.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("AWS's model is missing at {}: {e}", path.display()));
    serde_json::from_str(&text).expect("the model is JSON")
}

/// Every member path of a structure in AWS's model, depth first
/// (`containerDefinitions[].image`); recursive shapes are walked once.
fn member_paths(
    shapes: &serde_json::Value,
    shape: &str,
    prefix: &str,
    seen: &mut Vec<String>,
    out: &mut Vec<ModelMember>,
) {
    let def = &shapes[shape];
    if seen.iter().any(|s| s == shape) || def["type"] != "structure" {
        return;
    }
    seen.push(shape.to_string());
    let required: Vec<&str> = def["required"]
        .as_array()
        .map(|r| r.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    for (name, member) in def["members"].as_object().into_iter().flatten() {
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        let mut target = member["shape"].as_str().unwrap_or_default();
        let m = &shapes[target];
        out.push(ModelMember {
            path: path.clone(),
            required: required.contains(&name.as_str()),
            number: matches!(
                m["type"].as_str(),
                Some("integer" | "long" | "double" | "float")
            ),
            has_enum: m.get("enum").is_some(),
            min: m["min"].as_i64(),
            max: m["max"].as_i64(),
        });
        let mut inner_path = path;
        loop {
            match shapes[target]["type"].as_str() {
                Some("list") => {
                    inner_path.push_str("[]");
                    target = shapes[target]["member"]["shape"]
                        .as_str()
                        .unwrap_or_default();
                }
                Some("map") => {
                    inner_path.push_str("{}");
                    target = shapes[target]["value"]["shape"]
                        .as_str()
                        .unwrap_or_default();
                }
                _ => break,
            }
        }
        member_paths(shapes, target, &inner_path, seen, out);
    }
    seen.pop();
}

/// The checks AWS's model gives a member. The shape check applies them to
/// requests in the compact schema; others are checked only by AWS.
fn model_checks(member: &ModelMember, required: bool, checked: bool) -> Vec<(String, String)> {
    let outcome = |rule: &str| {
        if checked {
            rule.to_string()
        } else {
            "— no request rule runs for this operation (its request is not in the compact schema); AWS's SDKs check it".to_string()
        }
    };
    let mut checks = Vec::new();
    if required {
        checks.push(("missing".into(), outcome("required-field")));
    }
    checks.push(("wrong JSON type".into(), outcome("type-mismatch")));
    if member.has_enum {
        checks.push((
            "not one of the model's values".into(),
            outcome("enum-value"),
        ));
    }
    if member.min.is_some() || member.max.is_some() {
        let (what, rule) = if member.number {
            ("outside the model's range", "value-out-of-range")
        } else {
            ("outside the model's length", "length-out-of-range")
        };
        let bounds = format!(
            "{what} ({}–{})",
            member.min.map_or("".into(), |m| m.to_string()),
            member.max.map_or("".into(), |m| m.to_string())
        );
        checks.push((bounds, outcome(rule)));
    }
    checks
}

/// The audit's (condition, outcome) pairs for one row.
fn audit_checks(row: &str) -> Vec<(String, String)> {
    row.split("; ")
        .filter(|c| !c.is_empty())
        .map(|c| {
            let (condition, outcome) = c.split_once('=').unwrap_or((c, ""));
            (condition.to_string(), outcome.to_string())
        })
        .collect()
}

fn audited_members(shapes: &serde_json::Value, request: &str) -> Vec<ModelMember> {
    assert!(
        shapes[request].is_object(),
        "{request} is not in AWS's model"
    );
    let mut members = Vec::new();
    member_paths(shapes, request, "", &mut Vec::new(), &mut members);
    members
}

fn audit_table() -> String {
    let model = aws_model();
    let shapes = &model["shapes"];
    let mut out = String::new();
    for (request, tables) in audit::AUDIT {
        let rows = audit::rows_of(tables);
        let checked = find_shape(request).is_some();
        let _ = write!(
            out,
            "\n## Audit: {request}\n\nFor every member of the request (recursively), what AWS does when it is missing, empty, of the wrong type, out of range, malformed, or in conflict with another member, the launch type, network mode or platform: the rule that reports it, or why none does. Generated from `check/audit.rs` and AWS's model (the model's own checks: types, enums, bounds, required members).\n\n| Member | Condition | Rule or reason |\n|---|---|---|\n"
        );
        for member in audited_members(shapes, request) {
            let path = &member.path;
            let row = rows.iter().find(|(p, _)| p == path).map_or("", |(_, r)| r);
            let listed = audit_checks(row);
            let missing_listed = listed.iter().any(|(c, _)| c.contains("missing"));
            let mut checks = model_checks(&member, member.required && !missing_listed, checked);
            if !member.required && !missing_listed {
                checks.insert(0, ("missing".into(), "— optional".into()));
            }
            checks.extend(listed);
            for (condition, outcome) in checks {
                let outcome = if outcome.starts_with('—') {
                    outcome
                } else {
                    format!("[`{outcome}`](#{outcome})")
                };
                let _ = writeln!(
                    out,
                    "| `{path}` | {} | {} |",
                    condition.replace('|', "\\|"),
                    outcome.replace('|', "\\|")
                );
            }
        }
    }
    out
}

#[test]
fn every_member_of_the_audited_requests_is_audited_with_known_rules() {
    let model = aws_model();
    let mut problems = Vec::new();
    for (request, tables) in audit::AUDIT {
        let rows = audit::rows_of(tables);
        let members = audited_members(&model["shapes"], request);
        assert!(!members.is_empty(), "{request} has no members");
        for ModelMember { path, .. } in &members {
            if !rows.iter().any(|(p, _)| p == path) {
                problems.push(format!(
                    "{request}.{path}: in AWS's model but not in check/audit.rs"
                ));
            }
        }
        for (path, row) in &rows {
            if !members.iter().any(|m| m.path == *path) {
                problems.push(format!(
                    "{request}.{path}: in check/audit.rs but not a member in AWS's model"
                ));
            }
            for (condition, outcome) in audit_checks(row) {
                let known = outcome.starts_with("— ") || RULES.iter().any(|r| r.code == outcome);
                if condition.is_empty() || !known {
                    problems.push(format!(
                        "{request}.{path}: `{condition}={outcome}` names no rule and gives no `— reason`"
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn rule_section(rule: &Rule, fixtures: &[Fixture]) -> String {
    let mut out = format!("\n## {}\n\n{}\n\n", rule.code, rule.summary);
    let _ = writeln!(out, "- Severity: {}", rule.severity.as_str());
    if let Some(exception) = rule.exception {
        let _ = writeln!(out, "- AWS exception: `{exception}`");
    }
    if !rule.covers.is_empty() {
        let _ = writeln!(out, "- Covers: {}", rule.covers.join(", "));
    }
    let example = fixtures
        .iter()
        .find(|f| f.code == rule.code)
        .and_then(|f| f.cases.iter().find(|c| !c.passes));
    if let Some(case) = example {
        let _ = writeln!(
            out,
            "\nExample ({}):\n\n```json\n{}\n```\n",
            case.title.trim_start_matches("fail:").trim(),
            shorten(&case.input)
        );
        for line in case.expected.iter().filter(|l| code_of(l) == rule.code) {
            let _ = writeln!(out, "> {}", line.replace('<', "&lt;"));
        }
    }
    out
}

/// Keeps catalogue examples readable: long lines and long documents are cut.
fn shorten(input: &str) -> String {
    const MAX_LINES: usize = 60;
    const MAX_LINE: usize = 160;
    let lines: Vec<&str> = input.trim_end().lines().collect();
    let mut out: Vec<String> = lines
        .iter()
        .take(MAX_LINES)
        .map(|line| match line.char_indices().nth(MAX_LINE) {
            Some((at, _)) => format!("{}…", &line[..at]),
            None => (*line).to_string(),
        })
        .collect();
    if lines.len() > MAX_LINES {
        out.push(format!("… ({} more lines)", lines.len() - MAX_LINES));
    }
    out.join("\n")
}

#[test]
fn rule_catalogue_is_up_to_date() {
    let expected = catalogue(&fixtures());
    let path = catalogue_path();
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current == expected {
        return;
    }
    if updating() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, expected).unwrap();
        return;
    }
    panic!(
        "docs/rules.md is stale: run `UPDATE_EXPECT=1 cargo test -p ecs-engine --test rules` and commit the result"
    );
}

/// Every value of every fixture swapped for each JSON type in turn: the
/// rules must neither panic nor produce an unlocatable finding, whatever the
/// shape of the input.
#[test]
fn rules_survive_every_value_replaced_by_every_type() {
    use serde_json::{json, Value};

    fn paths(value: &Value, prefix: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
        out.push(prefix.clone());
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    prefix.push(Value::String(key.clone()));
                    paths(child, prefix, out);
                    prefix.pop();
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate().take(2) {
                    prefix.push(json!(index));
                    paths(child, prefix, out);
                    prefix.pop();
                }
            }
            _ => {}
        }
    }

    fn replace(value: &mut Value, path: &[Value], with: &Value) {
        let Some((first, rest)) = path.split_first() else {
            *value = with.clone();
            return;
        };
        let child = match (value, first) {
            (Value::Object(map), Value::String(key)) => map.get_mut(key),
            (Value::Array(items), Value::Number(n)) => {
                n.as_u64().and_then(|i| items.get_mut(i as usize))
            }
            _ => None,
        };
        if let Some(child) = child {
            replace(child, rest, with);
        }
    }

    let replacements = [
        json!(null),
        json!(0),
        json!(-1),
        json!(1e300),
        json!(""),
        json!("x"),
        json!([]),
        json!({}),
        json!([{}]),
    ];
    let mut analyses = 0;
    for fixture in fixtures() {
        for case in &fixture.cases {
            if case.input.len() > 10_000 {
                continue;
            }
            let original: Value =
                serde_json::from_str(&case.input).expect("fixture inputs are JSON");
            let mut all = Vec::new();
            paths(&original, &mut Vec::new(), &mut all);
            for path in &all {
                for with in &replacements {
                    let mut mutated = original.clone();
                    replace(&mut mutated, path, with);
                    let text = serde_json::to_string_pretty(&mutated).unwrap();
                    let analysis = analyze_task_definition(&text);
                    for d in &analysis.diagnostics {
                        assert!(
                            d.range.start.offset_utf16 <= d.range.end.offset_utf16,
                            "{}: bad range in {text}",
                            d.code
                        );
                    }
                    analyses += 1;
                }
            }
        }
    }
    assert!(
        analyses > 1000,
        "only {analyses} mutated documents were analysed"
    );
}
