//! The command line, run as a user runs it.

use std::process::Command;

fn ecs_playground(args: &[&str], dir: &std::path::Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ecs-playground"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run ecs-playground");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ecs-cli-test-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn version_prints_the_package_version() {
    let (code, out, _) = ecs_playground(&["--version"], &std::env::temp_dir());
    assert_eq!(code, 0);
    assert_eq!(
        out.trim(),
        format!("ecs-playground {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn check_reports_file_line_column_and_exits_1_on_errors() {
    let dir = temp_dir("errors");
    std::fs::write(
        dir.join("bad.json"),
        "{\n  \"containerDefinitions\": []\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("good.json"),
        ecs_engine::examples::DEFAULT_TASK_DEFINITION,
    )
    .unwrap();
    let (code, out, _) = ecs_playground(&["check", "good.json", "bad.json"], &dir);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("bad.json:1:1: error[family-required]: missing required field family"),
        "{out}"
    );
    assert!(
        out.contains("bad.json:2:27: error[container-definitions-required]"),
        "{out}"
    );
    assert!(!out.contains("good.json"), "{out}");

    let (code, _, _) = ecs_playground(&["check", "good.json"], &dir);
    assert_eq!(code, 0);
}

#[test]
fn check_substitutes_template_variables_and_points_into_the_template() {
    let dir = temp_dir("template");
    std::fs::write(
        dir.join("td.json"),
        "{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"web\",\n  \"image\": \"{{ must_env `IMAGE` }}\", \"memory\": \"${MEMORY}\", \"memoryReservation\": 512}]}\n",
    )
    .unwrap();
    // Unrendered: placeholders are infos, not errors.
    let (code, out, _) = ecs_playground(&["check", "td.json"], &dir);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(
            "td.json:2:13: info[template-placeholder]: placeholder {{ must_env `IMAGE` }}"
        ),
        "{out}"
    );
    // Rendered with --var and the environment: the substituted memory is
    // checked, and the finding points at the placeholder in the template.
    let out = Command::new(env!("CARGO_BIN_EXE_ecs-playground"))
        .args(["check", "--env", "--var", "MEMORY=256", "td.json"])
        .env("IMAGE", "nginx:1.27")
        .current_dir(&dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("td.json:2:82: error[memory-reservation-over-memory]"),
        "{stdout}"
    );
    assert!(!stdout.contains("template-placeholder"), "{stdout}");
    // Without --env the environment is not read.
    let (_, out, _) = ecs_playground(&["check", "--var=MEMORY=1024", "td.json"], &dir);
    assert!(out.contains("placeholder {{ must_env `IMAGE` }}"), "{out}");
    assert!(!out.contains("${MEMORY}"), "{out}");
    let (code, _, err) = ecs_playground(&["check", "--var", "MEMORY", "td.json"], &dir);
    assert_eq!(code, 2);
    assert!(err.contains("`MEMORY` is not NAME=VALUE"), "{err}");
}

#[test]
fn check_prints_json_when_asked() {
    let dir = temp_dir("json");
    std::fs::write(dir.join("td.json"), "{\"family\": \"a b\", \"containerDefinitions\": [{\"name\": \"x\", \"image\": \"y\", \"memory\": 64}]}").unwrap();
    let (code, out, _) = ecs_playground(&["check", "--format", "json", "td.json"], &dir);
    assert_eq!(code, 1);
    let all: serde_json::Value = serde_json::from_str(&out).expect("JSON output");
    let first = &all[0];
    assert_eq!(first["file"], "td.json");
    assert_eq!(first["code"], "family-format");
    assert_eq!(first["path"], "family");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(1), Some(12))
    );
    assert_eq!(first["endColumn"], 17);
    assert_eq!(first["fix"]["edits"][0]["newText"], "\"a-b\"");
}

#[test]
fn unreadable_files_and_bad_usage_exit_2() {
    let dir = temp_dir("usage");
    let (code, _, err) = ecs_playground(&["check", "missing.json"], &dir);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read missing.json"), "{err}");
    let (code, _, err) = ecs_playground(&["check", "--format", "xml", "a"], &dir);
    assert_eq!(code, 2);
    assert!(err.contains("invalid value 'xml'"), "{err}");
    let (code, _, _) = ecs_playground(&["frobnicate"], &dir);
    assert_eq!(code, 2);
}

#[test]
fn simulate_prints_calls_timeline_and_final_state() {
    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../www/scenarios/rolling-default.json"
    );
    let dir = std::env::temp_dir();
    let (code, out, err) = ecs_playground(&["simulate", scenario], &dir);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("## Calls") && out.contains("## Timeline") && out.contains("## Final state")
    );
    assert!(out.contains("(service api) has reached a steady state."));
    let (code, out, err) = ecs_playground(
        &["simulate", "--until", "1m", "--format", "json", scenario],
        &dir,
    );
    assert_eq!(code, 0, "{err}");
    let run: serde_json::Value = serde_json::from_str(&out).expect("json output");
    assert_eq!(run["end"], 60.0);
    assert_eq!(run["calls"].as_array().map(Vec::len), Some(4));
    let (code, _, err) = ecs_playground(&["simulate", "--until", "soon", scenario], &dir);
    assert_eq!(code, 2);
    assert!(err.contains("--until"));
}

#[test]
fn export_converts_between_register_input_and_cloudformation() {
    let dir = temp_dir("export");
    std::fs::write(
        dir.join("td.yaml"),
        "Resources:\n  Web:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Family: web\n      ContainerDefinitions:\n        - Name: web\n          Image: !Ref Image\n          Memory: 256\n",
    )
    .unwrap();
    let (code, out, err) = ecs_playground(&["export", "--to", "register", "td.yaml"], &dir);
    assert_eq!(code, 0, "{err}");
    let register: serde_json::Value = serde_json::from_str(&out).expect("JSON output");
    assert_eq!(register["family"], "web");
    assert_eq!(register["containerDefinitions"][0]["image"]["Ref"], "Image");
    assert!(
        err.contains("td.yaml:8:18: note: Resources.Web.Properties.ContainerDefinitions[0].Image is copied as written"),
        "{err}"
    );
    assert_eq!(register["containerDefinitions"][0]["memory"], 256);

    // A register file with the function replaced by a value, as the note asks.
    let mut register = register;
    register["containerDefinitions"][0]["image"] = "nginx".into();
    std::fs::write(dir.join("register.json"), register.to_string()).unwrap();
    let (code, out, _) = ecs_playground(&["export", "--to=cloudformation", "register.json"], &dir);
    assert_eq!(code, 0);
    let resource: serde_json::Value = serde_json::from_str(&out).expect("JSON output");
    assert_eq!(resource["Type"], "AWS::ECS::TaskDefinition");
    assert_eq!(
        resource["Properties"]["ContainerDefinitions"][0]["Memory"],
        256
    );

    // check accepts the same forms.
    let (code, out, _) = ecs_playground(&["check", "td.yaml", "register.json"], &dir);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn export_refuses_documents_with_errors_and_bad_usage() {
    let dir = temp_dir("export-errors");
    std::fs::write(
        dir.join("bad.json"),
        "{\"family\": \"web\",\n  \"cpu\": 1,,\n}",
    )
    .unwrap();
    let (code, out, _) = ecs_playground(&["export", "--to", "register", "bad.json"], &dir);
    assert_eq!(code, 1);
    assert!(
        out.starts_with("bad.json:2:12: error[json-syntax]"),
        "{out}"
    );

    let (code, _, err) = ecs_playground(&["export", "bad.json"], &dir);
    assert_eq!(code, 2);
    assert!(err.contains("--to"), "{err}");
    let (code, _, err) = ecs_playground(&["export", "--to", "yaml", "bad.json"], &dir);
    assert_eq!(code, 2);
    assert!(err.contains("invalid value 'yaml'"), "{err}");
    let (code, _, _) = ecs_playground(&["export", "--to", "register", "missing.json"], &dir);
    assert_eq!(code, 2);
}

#[test]
fn serve_answers_ecs_calls_and_refuses_bad_options() {
    use std::io::{BufRead, BufReader, Read, Write};
    let (code, _, err) = ecs_playground(&["serve", "--speed", "fast"], &std::env::temp_dir());
    assert_eq!(code, 2);
    assert!(err.contains("--speed fast: not a number"), "{err}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_ecs-playground"))
        .args(["serve", "--port", "0", "--clock", "manual"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line.trim().rsplit("http://").next().unwrap().to_string();
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    stream
        .write_all(b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Amz-Target: AmazonEC2ContainerServiceV20141113.ListClusters\r\nContent-Length: 2\r\n\r\n{}")
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"clusterArns\":[]"), "{answer}");
}
