//! `check` over a repository, as CI runs it: the fixture tree
//! `tests/fixtures/repo` holds valid, invalid, templated and unrelated files,
//! a .gitignore'd directory and a config-excluded one.
//!
//! Every output format is compared with its snapshot in `tests/snapshots/`;
//! `UPDATE_EXPECT=1 cargo test -p ecs-cli --test check` rewrites them.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/repo")
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn ecs_playground(args: &[&str], dir: &Path, stdin: Option<&str>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ecs-playground"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run ecs-playground");
    if let Some(text) = stdin {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    // Closing standard input ends what the command reads.
    child.stdin = None;
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Compares `actual` with the snapshot `name`, or rewrites it under UPDATE_EXPECT=1.
fn expect_snapshot(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with UPDATE_EXPECT=1 to create it)",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "{name} differs from its snapshot (UPDATE_EXPECT=1 rewrites it)\n--- expected\n{expected}\n--- actual\n{actual}"
    );
}

#[test]
fn every_output_format_matches_its_snapshot() {
    for (format, file) in [
        ("text", "check.txt"),
        ("json", "check.json"),
        ("sarif", "check.sarif"),
        ("junit", "check.junit.xml"),
        ("github", "check.github.txt"),
    ] {
        let run = ecs_playground(&["check", "--format", format, "."], &repo(), None);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        expect_snapshot(file, &run.stdout);
    }
}

/// (file, line, column, code) of each finding, from `--format json`.
fn locations(json: &str) -> Vec<(String, u64, u64, String)> {
    let all: serde_json::Value = serde_json::from_str(json).expect("JSON output");
    all.as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn owned(list: &[(&str, u64, u64, &str)]) -> Vec<(String, u64, u64, String)> {
    list.iter()
        .map(|(f, l, c, code)| (f.to_string(), *l, *c, code.to_string()))
        .collect()
}

#[test]
fn a_ci_run_over_a_repository_reports_every_finding_where_it_is() {
    let run = ecs_playground(&["check", "--format", "json", "."], &repo(), None);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // Not here: generated/ (.gitignore), vendor/ (the config's exclude),
    // image-latest-tag on worker-fargate.json (the config's ignore),
    // package.json, docs/README.md and bucket.yaml (no ECS document), web.json (valid).
    // The template's two findings are on its placeholders; web.env (read
    // through compose.yaml's env_file) and terraform/buckets.tf are skipped.
    let expected = [
        (
            "cloudformation/stack.yaml",
            11,
            20,
            "fargate-requires-awsvpc",
        ),
        (
            "cloudformation/stack.yaml",
            16,
            18,
            "cloudformation-intrinsic",
        ),
        ("compose/compose.yaml", 3, 1, "compose-no-ecs-equivalent"),
        ("compose/compose.yaml", 13, 9, "compose-env-file-unread"),
        (
            "compose/compose.yaml",
            26,
            7,
            "depends-on-healthy-without-health-check",
        ),
        ("compose/compose.yaml", 29, 7, "compose-no-ecs-equivalent"),
        ("compose/compose.yaml", 32, 11, "compose-no-ecs-equivalent"),
        ("compose/compose.yaml", 51, 5, "compose-no-ecs-equivalent"),
        ("compose/compose.yaml", 52, 5, "compose-no-ecs-equivalent"),
        ("compose/compose.yaml", 53, 5, "compose-no-ecs-equivalent"),
        ("compose/compose.yaml", 54, 5, "compose-no-ecs-equivalent"),
        // A service with only `build` has no image: AWS refuses the definition.
        ("compose/compose.yaml", 56, 5, "container-image-required"),
        ("compose/compose.yaml", 56, 5, "compose-no-ecs-equivalent"),
        ("compose/compose.yaml", 73, 9, "secret-in-environment"),
        ("compose/compose.yaml", 76, 7, "compose-no-ecs-equivalent"),
        ("compose/compose.yaml", 83, 1, "compose-no-ecs-equivalent"),
        ("services/api-service.json", 3, 18, "service-name-format"),
        ("taskdefs/broken.json", 5, 3, "json-syntax"),
        (
            "taskdefs/worker-fargate.json",
            3,
            18,
            "fargate-requires-awsvpc",
        ),
        ("taskdefs/worker-fargate.json", 6, 13, "fargate-cpu-memory"),
        // Placeholders are recognised: one info each, no format error on them.
        ("templates/api.json.tpl", 2, 18, "template-placeholder"),
        ("templates/api.json.tpl", 3, 24, "template-placeholder"),
        ("templates/api.json.tpl", 7, 17, "template-placeholder"),
        ("terraform/main.tf", 30, 30, "fargate-cpu-memory"),
        ("terraform/main.tf", 58, 18, "type-mismatch"),
        ("terraform/main.tf", 67, 27, "container-memory-required"),
        (
            "terraform/main.tf",
            78,
            3,
            "health-check-grace-period-unused",
        ),
    ];
    assert_eq!(locations(&run.stdout), owned(&expected));
    assert!(
        run.stderr.contains(
            "checked 9 files (7 task definitions, 1 service, 1 Terraform file), skipped 5 with no ECS document; 10 errors, 3 warnings, 14 notes"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(".ecs-playground.toml"),
        "{}",
        run.stderr
    );

    // A config named on the command line, relative to the working directory.
    let run = ecs_playground(
        &[
            "check",
            "--config",
            ".ecs-playground.strict.toml",
            "--format",
            "json",
            ".",
        ],
        &repo(),
        None,
    );
    let found = locations(&run.stdout);
    assert!(
        found
            .iter()
            .all(|f| !f.0.starts_with("compose/") && !f.0.starts_with("terraform/")),
        "{found:?}"
    );
    assert!(found.iter().any(|f| f.3 == "image-latest-tag"), "{found:?}");

    // Without the config, vendor/ is walked and the ignored code comes back.
    let run = ecs_playground(
        &["check", "--no-config", "--format", "json", "."],
        &repo(),
        None,
    );
    let found = locations(&run.stdout);
    assert!(
        found.iter().any(|f| f.0 == "vendor/upstream.json"),
        "{found:?}"
    );
    assert!(found.iter().any(|f| f.3 == "image-latest-tag"), "{found:?}");
    assert!(
        !found.iter().any(|f| f.0.starts_with("generated/")),
        "{found:?}"
    );
}

#[test]
fn fail_on_and_ignore_decide_the_exit_status() {
    let dir = repo();
    // Only a note left: passes unless notes fail.
    let args = [
        "check",
        "cloudformation/stack.yaml",
        "--ignore",
        "fargate-requires-awsvpc",
    ];
    assert_eq!(ecs_playground(&args, &dir, None).code, 0);
    let with = |extra: &'static str| [&args[..], &["--fail-on", extra]].concat();
    assert_eq!(ecs_playground(&with("warning"), &dir, None).code, 0);
    assert_eq!(ecs_playground(&with("info"), &dir, None).code, 1);
    let both = [
        &args[..],
        &["--ignore", "cloudformation-intrinsic", "--fail-on", "info"],
    ]
    .concat();
    let run = ecs_playground(&both, &dir, None);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""));
}

#[test]
fn globs_stdin_and_explicit_files() {
    let dir = repo();
    let run = ecs_playground(
        &["check", "--format", "json", "taskdefs/*.json"],
        &dir,
        None,
    );
    let files: Vec<String> = locations(&run.stdout).into_iter().map(|f| f.0).collect();
    assert_eq!(
        files,
        [
            "taskdefs/broken.json",
            "taskdefs/worker-fargate.json",
            "taskdefs/worker-fargate.json"
        ]
    );
    // `*` stays in its directory; `**` crosses.
    let run = ecs_playground(&["check", "*.json"], &dir, None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("checked 0 files, skipped 1"),
        "{}",
        run.stderr
    );
    let run = ecs_playground(&["check", "**/api*"], &dir, None);
    assert!(
        run.stderr
            .contains("checked 2 files (1 task definition, 1 service)"),
        "{}",
        run.stderr
    );
    let run = ecs_playground(&["check", "nothing/**/*.json"], &dir, None);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no file matches nothing/**/*.json"),
        "{}",
        run.stderr
    );

    // `-` reads standard input, named `-`.
    let run = ecs_playground(
        &["check", "-"],
        &dir,
        Some("{\"containerDefinitions\": []}"),
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.starts_with("-:1:1: error[family-required]"),
        "{}",
        run.stdout
    );

    // A file named explicitly is checked whatever it holds.
    let run = ecs_playground(&["check", "package.json"], &dir, None);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("package.json:1:1: error[family-required]"),
        "{}",
        run.stdout
    );
}

#[cfg(not(target_family = "wasm"))]
#[test]
fn the_sarif_output_is_valid_against_the_published_schema() {
    let schema_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-2.1.0-rtm.5.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let run = ecs_playground(
        &["check", "--format", "sarif", "--no-config", "."],
        &repo(),
        None,
    );
    let log: serde_json::Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The schema is strict enough to catch a mistake of the kind we could make.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));

    let run0 = &log["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    let fargate = rules
        .iter()
        .find(|r| r["id"] == "fargate-cpu-memory")
        .unwrap();
    assert!(fargate["shortDescription"]["text"].as_str().unwrap().len() > 10);
    for result in run0["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
}

#[test]
fn completions_and_help_per_subcommand() {
    let dir = std::env::temp_dir();
    let run = ecs_playground(&["completions", "bash"], &dir, None);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.contains("complete -F") && run.stdout.contains("--fail-on"),
        "{}",
        run.stdout
    );
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        assert_eq!(
            ecs_playground(&["completions", shell], &dir, None).code,
            0,
            "{shell}"
        );
    }
    let run = ecs_playground(&["check", "--help"], &dir, None);
    assert_eq!(run.code, 0);
    for flag in [
        "--format",
        "--fail-on",
        "--ignore",
        "--var",
        "--config",
        "sarif",
        "junit",
        "github",
    ] {
        assert!(run.stdout.contains(flag), "{flag} in {}", run.stdout);
    }
    let run = ecs_playground(&["check", "--var", "NOEQUALS", "x.json"], &dir, None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("not NAME=VALUE"), "{}", run.stderr);
}

#[test]
fn the_pre_commit_hook_checks_only_the_ecs_documents_it_is_given() {
    let hooks = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.pre-commit-hooks.yaml"),
    )
    .expect("a .pre-commit-hooks.yaml at the repository root");
    assert!(hooks.contains("id: ecs-playground-check"), "{hooks}");
    assert!(
        hooks.contains("entry: ecs-playground check --skip-unrelated"),
        "{hooks}"
    );
    // What the hook runs, on files pre-commit names: unrelated JSON passes.
    let run = ecs_playground(
        &[
            "check",
            "--skip-unrelated",
            "package.json",
            "taskdefs/web.json",
        ],
        &repo(),
        None,
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("checked 1 file, skipped 1"),
        "{}",
        run.stderr
    );
}
